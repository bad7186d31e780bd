//! # workmail-org
//!
//! One trusted model of what a valid Amazon WorkMail organization is: pure types, no I/O.
//!
//! Services and tools that create or manage WorkMail organizations use this crate to check
//! what a user chose *before* calling AWS, with the same rules AWS applies and errors that
//! say which field broke which rule.
//!
//! - **Validated identifiers.** [`OrganizationAlias`], [`DomainName`], [`HostedZoneId`],
//!   [`DirectoryId`], [`OrganizationId`], [`ClientToken`], [`AccountId`], [`Region`],
//!   [`KmsKeyArn`] and [`OrganizationArn`] can only hold valid values: every way in
//!   (`FromStr`, `TryFrom<&str>`, `TryFrom<String>`, serde's `Deserialize`) goes through one
//!   validating constructor, and a rejected value gets a [`ParseError`] naming the
//!   [`Rule`] it broke.
//! - **Organization specs.** [`OrganizationSpec`] is what a user chooses when creating an
//!   organization (domains, directory, encryption, alias and the rest), and exists only if
//!   every offline-knowable rule holds. [`OrganizationDraft`] is its raw form (plain strings,
//!   the JSON format) whose [`validate`](OrganizationDraft::validate) reports every
//!   violation at once, each with a path, an AWS error code and a rule id; see [`spec`].
//! - **An account store every process shares.** A [`Catalog`] admits specs into one
//!   account on a [`Store`] and checks, in one atomic step, what needs other organizations:
//!   the alias is held nowhere, no mail domain or directory serves two organizations, and the
//!   quota ([`catalog::DEFAULT_ORGANIZATION_LIMIT`] by default) holds. Each organization is
//!   an entry whose stage (reserved, sent, created, recorded) says what a crash leaves
//!   behind, and client tokens decide retries across processes; see [`catalog`].
//! - **A typed lifecycle.** [`lifecycle`] enforces one table of moves between the
//!   organization states AWS reports: at run time with [`lifecycle::Tracked`] (which also
//!   keeps a state only a newer AWS knows), at compile time with [`lifecycle::typestate::Typed`].
//! - **DNS records.** [`dns`] reads a domain's tokens from `GetMailDomain`, says which
//!   records to publish (as BIND zone-file lines or AWS's `{Type, Hostname, Value}`), checks
//!   what a resolver returned, and says whether the domain can become the default.
//! - **Speaking AWS.** [`aws`] builds the `CreateOrganization` request for a valid spec (the
//!   body in the WorkMail JSON API's own form, and the Region beside it), reads
//!   `DescribeOrganization`, `ListOrganizations` and `DeleteOrganization`, and names AWS's
//!   exceptions; for leaving WorkMail it models `ListUsers`, `ListResources`,
//!   `ListMailDomains` and the mailbox export jobs (`StartMailboxExportJob`, every field
//!   validated; `DescribeMailboxExportJob`; `ListMailboxExportJobs`); the `aws-sdk` feature
//!   bridges to `aws-sdk-workmail`. [`plan`] lists every
//!   call from registering new domains to setting the default domain, in order.
//! - **Leaving WorkMail.** AWS ends WorkMail after 2027-03-31. [`leaving`] turns an
//!   organization, its users, resources, domains and DNS records into one guarded plan:
//!   cut the mail over, wait for it, export every mailbox, delete the organization, clean up
//!   its records. Guards refuse each step before the one it needs holds, and the plan with
//!   its progress serializes and resumes without starting a mailbox twice.
//! - **What AWS reports, kept.** A value read from AWS or a resolver is a
//!   [`Reported<T>`](Reported): the exact text, and the strict `T` when this version knows
//!   it (an organization state, a directory type, a verification status, a DNS record type),
//!   so nothing AWS adds later is lost. A malformed response is one error,
//!   [`aws::ResponseError`], naming the operation and the field.
//!
//! ```
//! use workmail_org::{DomainName, KmsKeyArn, OrganizationAlias, Region, Rule};
//!
//! let alias: OrganizationAlias = "Acme-Corp".parse()?;
//! assert_eq!(alias.test_domain().as_str(), "acme-corp.awsapps.com");
//!
//! let domain: DomainName = "Mail.Bücher.example.".parse()?;
//! assert_eq!(domain.as_str(), "mail.xn--bcher-kva.example");
//!
//! let key: KmsKeyArn =
//!     "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".parse()?;
//! assert_eq!(key.region(), Region::UsEast1);
//!
//! let err = "d-acme".parse::<OrganizationAlias>().unwrap_err();
//! assert_eq!(err.rule(), Rule::AliasReservedPrefix);
//! assert_eq!(
//!     err.to_string(),
//!     "organization alias \"d-acme\": the prefix \"d-\" is reserved for directory ids (in either case)"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Organization specs and their JSON format
//!
//! A spec is written as JSON like this; only `alias` and `region` are required, unknown
//! fields are rejected, and the [`spec`] module documents every field, its default, the
//! serde formats that read it, the paths violations carry ([`FieldPath`]) and the
//! advisories.
//!
//! ```
//! use workmail_org::{OrganizationDraft, Rule};
//!
//! let json = r#"{
//!     "alias": "acme-corp",
//!     "region": "us-east-1",
//!     "domains": [{"type": "external", "name": "acme.org"}, {"type": "free_test"}],
//!     "default_domain": "acme.org",
//!     "encryption": {"type": "customer_managed_key",
//!                    "kms_key_arn": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
//! }"#;
//! // Any serde format reads a draft; reading never fails on a bad value, only on bad shape,
//! // and `spec::read_json`, the body reader, then names the JSON path.
//! let draft: OrganizationDraft = serde_json::from_str(json)?;
//! let violations = draft.validate().unwrap_err();
//! let violation = &violations.as_slice()[0];
//! assert_eq!(violation.path().to_string(), "encryption.kms_key_arn");
//! assert_eq!(violation.rule(), Rule::EncryptionRegionMismatch);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## What this crate does not do
//! - It does no I/O: no network, no files, no clock, no async runtime. It builds the
//!   requests and reads the answers; the caller sends them (with the `aws-sdk` feature,
//!   through the SDK's own client). Rules that need AWS's answer (is this alias free
//!   worldwide, does this hosted zone exist, is this domain verified) are left to AWS, or to
//!   the [`Store`] an account's [`Catalog`] shares, which keeps what this account holds.
//! - It does not retry, poll or wait: the lifecycle says whether what you *observed* is
//!   consistent, and [`catalog`] and [`leaving`] say what to do next, not when.
//! - A [`Catalog`] sees one account: a mail domain used by another account's organization
//!   is caught by AWS (`MailDomainInUse`), not here.
//! - It does not resolve names: [`dns`] checks the records a resolver you call returned.
//!
//! The workspace's members do the I/O: `workmail-org-stores` (the [`Store`] on SQLite and
//! PostgreSQL), `workmail-org-emulator` (a local WorkMail endpoint) and `workmail-org-cli`
//! (the tool `workmail-org`: provision, recover, leave).
//!
//! ## Features
#![cfg_attr(
    feature = "aws-sdk",
    doc = "- `aws-sdk`: [`aws::sdk`], conversions to the input builders and from the outputs and \
           service errors of `aws-sdk-workmail` 1.x (built with `default-features = false`: no \
           HTTP client, TLS or async runtime), and the SDK itself re-exported as \
           [`aws_sdk_workmail`]. Sending needs the SDK's own features too (see the README). \
           The SDK declares `rust-version = 1.94.1`; the default build keeps this crate's 1.88."
)]
#![cfg_attr(
    not(feature = "aws-sdk"),
    doc = "- `aws-sdk`: an `aws::sdk` module of conversions to the input builders and from the \
           outputs and service errors of `aws-sdk-workmail` 1.x (built with \
           `default-features = false`). The SDK declares `rust-version = 1.94.1`; the default \
           build keeps this crate's 1.88."
)]
#![cfg_attr(
    feature = "proptest",
    doc = "- `proptest`: [`strategy`], proptest strategies for your own property tests: valid \
           values (and `Arbitrary` for the value types), sets of specs that fit in one account, \
           near misses that break exactly one rule, and invalid drafts."
)]
#![cfg_attr(
    not(feature = "proptest"),
    doc = "- `proptest`: a `strategy` module of proptest strategies for your own property tests: \
           valid values (and `Arbitrary` for the value types), sets of specs that fit in one \
           account, near misses that break exactly one rule, and invalid drafts."
)]
//!
//! ## Rules
//! Every rule this crate checks has a stable id, the AWS error it stands for and a source
//! (the WorkMail API model, the source document, or a decision of this crate where AWS is
//! silent). The table is generated from [`Rule::ALL`].
//!
#![doc = include_str!("../docs/rules.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod aws;
pub mod catalog;
pub mod dns;
pub mod id;
pub mod leaving;
pub mod lifecycle;
pub mod plan;
pub mod report;
mod reported;
mod rule;
pub mod spec;
#[cfg(feature = "proptest")]
pub mod strategy;
mod text;

pub use catalog::store::Store;
pub use catalog::Catalog;
pub use id::{
    AccountId, ClientToken, DirectoryId, DomainName, EntityId, ExportDescription, ExportJobId,
    HostedZoneId, KmsKeyArn, OrganizationAlias, OrganizationArn, OrganizationId, ParseError,
    Region, RoleArn, S3BucketName, S3Prefix,
};
pub use report::{Advisory, AdvisoryKind, FieldPath, Finding, FindingCode, Violation, Violations};
pub use reported::Reported;
pub use rule::{AwsErrorCode, Rule};
pub use spec::{
    DirectoryChoice, EmailDomain, EncryptionChoice, OrganizationDraft, OrganizationSpec,
};
pub use text::UnknownNameError;

/// The Rust AWS SDK for WorkMail, as this crate's `aws-sdk` feature builds it, so that its
/// types can be named without a second dependency line that must agree on the version.
#[cfg(feature = "aws-sdk")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws-sdk")))]
pub use aws_sdk_workmail;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
