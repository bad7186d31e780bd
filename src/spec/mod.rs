//! Organization specs: what a user chooses when creating an organization, checked in one
//! pass that reports every violation at once.
//!
//! The console's four steps are four types:
//!
//! | step | type | choices |
//! | --- | --- | --- |
//! | Email domain | [`EmailDomain`] | existing Route 53, new Route 53, external, free test domain |
//! | User directory | [`DirectoryChoice`] | new WorkMail directory, or an [`ExistingDirectory`] of a supported [`DirectoryKind`] |
//! | Encryption | [`EncryptionChoice`] | WorkMail-managed key, or a customer managed [`KmsKeyArn`](crate::KmsKeyArn) |
//! | Alias and the rest | [`OrganizationSpec`] | alias, Region, default domain, interoperability, client token |
//!
//! An [`OrganizationSpec`] exists only if valid. Get one from an [`OrganizationDraft`] (plain
//! strings, the JSON format below) with [`validate`](OrganizationDraft::validate), or from
//! typed parts with [`OrganizationSpec::builder`]. Either way every rule runs and all
//! violations come back together as [`Violations`](crate::Violations), each with a path, the
//! AWS error code it stands for and a stable rule id. Advice that never makes a spec invalid
//! comes from [`OrganizationSpec::advisories`].
//!
//! ```
//! use workmail_org::{
//!     AdvisoryKind, AwsErrorCode, EmailDomain, FieldPath, OrganizationDraft, OrganizationSpec,
//!     Region, Rule,
//! };
//!
//! // A draft: plain strings, as read from JSON or a form.
//! let mut draft = OrganizationDraft::new("acme-corp", "us-east-1");
//! draft.default_domain = Some("acme.com".into());
//!
//! // Every violation at once, each with its path, AWS code and rule.
//! let violations = draft.validate().unwrap_err();
//! for violation in &violations {
//!     println!("{}: {} [{}]", violation.path(), violation.message(), violation.rule());
//! }
//! let violation = &violations.as_slice()[0];
//! assert_eq!(violation.path(), FieldPath::DefaultDomain);
//! assert_eq!(violation.path().to_string(), "default_domain");
//! assert_eq!(violation.code(), AwsErrorCode::InvalidParameter);
//! assert_eq!(violation.rule(), Rule::DefaultDomainUnknown);
//!
//! // Fix it and get the spec, then its advice.
//! draft.domains.push(workmail_org::spec::DomainDraft::External { name: "Acme.COM".into() });
//! let spec = draft.validate()?;
//! assert_eq!(spec.default_domain().as_str(), "acme.com");
//! let advice: Vec<AdvisoryKind> = spec.advisories().iter().map(|a| a.kind()).collect();
//! assert_eq!(
//!     advice,
//!     [AdvisoryKind::ExternalDomainNeedsDnsRecords, AdvisoryKind::DefaultDomainNotYetVerifiable]
//! );
//!
//! // The same spec from typed parts.
//! let built = OrganizationSpec::builder("acme-corp".parse()?, Region::UsEast1)
//!     .domain(EmailDomain::External { name: "acme.com".parse()? })
//!     .default_domain("acme.com".parse()?)
//!     .build()?;
//! assert_eq!(built, spec);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # JSON format
//!
//! [`OrganizationDraft`] reads and writes this format with serde, and so do
//! [`OrganizationSpec`]'s `Serialize` and `Deserialize` (deserializing a spec validates it,
//! and fails with a message listing every violation). Unknown fields are rejected at every
//! level. Every value is a string, checked by [`validate`](OrganizationDraft::validate), not
//! by the reader: a draft fails to read only for bad JSON, an unknown, missing or repeated
//! field, an unknown `type`, a field another `type` has, or a wrong JSON type.
//!
//! A service or a tool reads what it was sent with [`read_json`]: at most [`MAX_BODY_BYTES`]
//! of UTF-8 (a byte order mark skipped), refusing a JSON array, and naming the JSON path of
//! what is wrong and what is allowed there, never a Rust type. It gives at most
//! [`MAX_VIOLATIONS`] violations, and then one more, `violations.left_out` at the empty path,
//! saying how many were left out.
//!
//! ```
//! use workmail_org::spec::{read_json, ReadError};
//!
//! let err = read_json(br#"{"alias": "acme", "region": "us-east-1", "domains": ["acme.org"]}"#)
//!     .unwrap_err();
//! assert_eq!(err.path(), Some("domains[0]"));
//! assert_eq!(
//!     err.to_string(),
//!     "domains[0]: invalid type: string \"acme.org\", expected a domain: an object whose \
//!      `type` is one of `existing_route53`, `new_route53`, `external`, `free_test` at line 1 \
//!      column 63"
//! );
//! let err = read_json(br#"["acme", "us-east-1"]"#).unwrap_err();
//! assert!(err.to_string().starts_with("invalid type: sequence, expected an organization spec"));
//! ```
//!
//! Each object of the format is read by serde's derive into a flat shape, its `type` a plain
//! field, and then checked for the fields its `type` requires and allows; so any serde format
//! reads drafts and specs: JSON, YAML, TOML, CBOR. Like every derived struct, an object may
//! also come as the sequence of its fields in the order below, `type` first, as MessagePack
//! writes structs by default; so that each field keeps its place there, a draft written to a
//! format that is not human-readable (as `Deserializer::is_human_readable` tells) includes
//! its unset optional fields, as null. [`read_json`] refuses a spec that is a JSON array.
//!
//! ```json
//! {
//!   "alias": "acme-corp",
//!   "region": "us-east-1",
//!   "domains": [
//!     {"type": "existing_route53", "name": "acme.com", "hosted_zone_id": "Z0123456789ABCDEFGHIJ"},
//!     {"type": "new_route53", "name": "acme-mail.net"},
//!     {"type": "external", "name": "acme.org"},
//!     {"type": "free_test"}
//!   ],
//!   "default_domain": "acme.com",
//!   "directory": {"type": "existing", "directory_id": "d-1234567890", "directory_type": "ADConnector",
//!                 "alias": "acme-corp", "region": "us-east-1", "additional_regions": [], "stage": "Active"},
//!   "encryption": {"type": "customer_managed_key",
//!                  "kms_key_arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
//!   "interoperability": true,
//!   "client_token": "create-acme-1"
//! }
//! ```
//!
//! | field | required | default | values |
//! | --- | --- | --- | --- |
//! | `alias` | yes | | an [`OrganizationAlias`](crate::OrganizationAlias) |
//! | `region` | yes | | a [`Region`](crate::Region) code |
//! | `domains` | no | `[]` (the test domain only) | entries with `type` `existing_route53` (`name`, `hosted_zone_id`), `new_route53` (`name`), `external` (`name`) or `free_test` |
//! | `default_domain` | no | the test domain `ALIAS.awsapps.com` | a listed domain's name or the test domain's |
//! | `directory` | no | `{"type": "new_workmail_directory"}` | or `{"type": "existing", …}`: `directory_id`, `directory_type`, `alias`, `region` required; `additional_regions` (default `[]`), `stage` (default `"Active"`) |
//! | `encryption` | no | `{"type": "workmail_managed_key"}` | or `{"type": "customer_managed_key", "kms_key_arn": …}` |
//! | `interoperability` | no | `false` | `true` or `false` |
//! | `client_token` | no | none | a [`ClientToken`](crate::ClientToken) |
//!
//! `directory_type` uses the Directory Service spellings: `ADConnector`, `MicrosoftAD`,
//! `SimpleAD`; `SharedMicrosoftAD` is rejected (`directory.shared`), any other type too
//! (`directory.unsupported_type`). The `free_test` entry may be listed to say the test domain
//! is wanted; the test domain exists either way, so the default may name it without it.
//!
//! Writing a spec gives canonical values: domains in lower-case ASCII (Punycode), hosted zone
//! ids without `/hostedzone/`, the alias as spelled; every field is written except an unset
//! `default_domain` or `client_token`. Reading that back gives an equal spec.
//!
//! # Rules and paths
//!
//! Each field is parsed by its value type first: a field that fails reports its own
//! violation (`alias.*`, `domain.*`, `region.unsupported`, ...) at its path, and the rules
//! that need that field are skipped, so one bad value never causes a cascade. Then every
//! rule between fields runs. A path is a [`FieldPath`], displayed as below (the empty path
//! is the organization as a whole, for the catalog's quota); violations and advisories come
//! in its order, the order of this table.
//!
//! | path | rules |
//! | --- | --- |
//! | `alias` | `alias.*` |
//! | `region` | `region.unsupported` |
//! | `domains` | `domains.limit` |
//! | `domains[i]` | `domains.free_test_duplicate`, `domains.duplicate`, `domains.reserved_namespace` |
//! | `domains[i].name` | `domain.*` |
//! | `domains[i].hosted_zone_id` | `hosted_zone_id.*` |
//! | `default_domain` | `domain.*`, `default_domain.unknown` |
//! | `directory.directory_id` | `directory_id.format` |
//! | `directory.directory_type` | `directory.unsupported_type`, `directory.shared` |
//! | `directory.alias` | `directory.alias_mismatch` |
//! | `directory.region` | `region.unsupported`, `directory.region_mismatch` |
//! | `directory.additional_regions` | `directory.multi_region` |
//! | `directory.stage` | `directory.not_active` |
//! | `encryption.kms_key_arn` | `kms_key_arn.*`, `encryption.region_mismatch` |
//! | `interoperability` | `interoperability.requires_ad_connector` |
//! | `client_token` | `client_token.*` |
//!
//! Domains are compared as [`DomainName`](crate::DomainName)s, so `Acme.COM.` and `acme.com`
//! are the same domain; aliases are compared ignoring case. The crate docs hold the table of
//! every rule with its AWS code and source.
//!
//! # Advisories
//!
//! [`OrganizationSpec::advisories`] reports, apart from violations and never making a spec
//! invalid:
//!
//! | advice | path | when |
//! | --- | --- | --- |
//! | `advice.external_domain_dns_records` | `domains[i]` | an external domain: its verification records must be published at its DNS provider |
//! | `advice.new_domain_registration` | `domains[i]` | a new Route 53 domain: it must be registered first |
//! | `advice.test_domain_needs_enabled_user` | the `free_test` entry, else `default_domain` | the test domain is listed or is the default: it stays the organization's only while a user is enabled |
//! | `advice.default_domain_unverified` | `default_domain` | a chosen default other than the test domain: no domain is verified at creation, so the test domain stays the default until it is |
//! | `advice.interoperability_recommended` | `interoperability` | an AD Connector without interoperability, which can only be set at creation |
//!
//! # What is not checked here
//!
//! - Rules that need other organizations: the alias is taken (`alias.taken`), a domain or
//!   directory is in use (`domains.in_use`, `directory.in_use`), the account's organization
//!   quota (`account.organization_limit`). They belong to a catalog of the account's
//!   organizations.
//! - Anything that needs AWS: that the hosted zone exists and serves the domain, that a new
//!   domain can be registered, that the directory really has the reported type, Regions and
//!   stage, that the KMS key exists, is symmetric and usable by WorkMail. The directory's
//!   facts come from what Directory Service reported; the spec checks them, it does not
//!   fetch them.

// First: the macros the readers of the tagged objects use.
mod raw;

mod advisories;
mod body;
mod cross_field;
mod directory;
mod email_domain;
mod encryption;
mod organization;

/// Also at the crate root, beside [`Violation`](crate::Violation): where a finding is.
pub use crate::report::FieldPath;
pub use crate::report::MAX_VIOLATIONS;
pub use body::{read_json, ReadError, MAX_BODY_BYTES};
pub use directory::{
    DirectoryChoice, DirectoryDraft, DirectoryKind, ExistingDirectory, ExistingDirectoryDraft,
};
pub use email_domain::{DomainDraft, EmailDomain, MAX_USER_DOMAINS};
pub use encryption::{EncryptionChoice, EncryptionDraft};
pub use organization::{OrganizationDraft, OrganizationSpec, OrganizationSpecBuilder};
