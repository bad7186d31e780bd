//! The raw, unchecked form of a spec: plain strings, read from JSON or filled in by hand.

use serde::{Deserialize, Serialize};

use crate::report::Findings;
use crate::{
    ClientToken, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias, Region, Violations,
};

use super::cross_field::{self, DirectoryFacts, Entry, Facts};
use super::directory::{ExistingDirectory, ACTIVE_STAGE};
use super::{DirectoryChoice, EmailDomain, EncryptionChoice, OrganizationSpec};

/// What a user chose, unchecked: the JSON format of a spec, as plain data.
///
/// Every value is a plain `String`, so reading a draft never fails because of a bad value,
/// only because of bad JSON shape (an unknown field, a missing `alias` or `region`, a wrong
/// type). [`validate`](Self::validate) then checks every rule and reports every violation
/// at once. See the [module docs](crate::spec) for the format and its defaults.
///
/// ```
/// use workmail_org::{OrganizationDraft, Rule};
///
/// let draft = OrganizationDraft {
///     alias: "acme-corp".into(),
///     region: "us-east-1".into(),
///     default_domain: Some("acme.com".into()),
///     ..OrganizationDraft::default()
/// };
/// let violations = draft.validate().unwrap_err();
/// assert_eq!(violations.len(), 1);
/// let violation = &violations.as_slice()[0];
/// assert_eq!(violation.path(), "default_domain");
/// assert_eq!(violation.rule(), Rule::DefaultDomainUnknown);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationDraft {
    /// The organization alias (required).
    pub alias: String,
    /// The AWS Region code (required).
    pub region: String,
    /// The email domains; empty means only the free test domain.
    #[serde(default)]
    pub domains: Vec<DomainDraft>,
    /// The default domain; `None` means the free test domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_domain: Option<String>,
    /// The user directory; a new WorkMail directory by default.
    #[serde(default)]
    pub directory: DirectoryDraft,
    /// The encryption key; the WorkMail-managed key by default.
    #[serde(default)]
    pub encryption: EncryptionDraft,
    /// Exchange interoperability; off by default.
    #[serde(default)]
    pub interoperability: bool,
    /// The idempotency token for `CreateOrganization`; none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

/// One entry of [`OrganizationDraft::domains`], unchecked. JSON: an object whose `type` is
/// `existing_route53`, `new_route53`, `external` or `free_test`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "DomainWire", into = "DomainWire")]
#[non_exhaustive]
pub enum DomainDraft {
    /// `{"type": "existing_route53", "name": …, "hosted_zone_id": …}`.
    ExistingRoute53 {
        /// The domain name.
        name: String,
        /// The hosted zone id, with or without `/hostedzone/`.
        hosted_zone_id: String,
    },
    /// `{"type": "new_route53", "name": …}`.
    NewRoute53 {
        /// The domain name.
        name: String,
    },
    /// `{"type": "external", "name": …}`.
    External {
        /// The domain name.
        name: String,
    },
    /// `{"type": "free_test"}`.
    FreeTest,
}

/// [`OrganizationDraft::directory`], unchecked. JSON: `{"type": "new_workmail_directory"}`
/// or `{"type": "existing", …}` with the fields of [`ExistingDirectoryDraft`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "DirectoryWire", into = "DirectoryWire")]
#[non_exhaustive]
pub enum DirectoryDraft {
    /// `{"type": "new_workmail_directory"}` (the default).
    #[default]
    NewWorkMailDirectory,
    /// `{"type": "existing", …}`.
    Existing(ExistingDirectoryDraft),
}

/// What Directory Service reports about an existing directory (`DescribeDirectories`),
/// unchecked.
///
/// `additional_regions` defaults to none and `stage` to `"Active"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExistingDirectoryDraft {
    /// The directory id, e.g. `d-1234567890`.
    pub directory_id: String,
    /// The Directory Service type: `ADConnector`, `MicrosoftAD`, `SimpleAD` (or an
    /// unsupported one such as `SharedMicrosoftAD`).
    pub directory_type: String,
    /// The directory's alias (a directory without one reports its id).
    pub alias: String,
    /// The directory's Region code.
    pub region: String,
    /// The Regions the directory is replicated to besides `region`.
    #[serde(default)]
    pub additional_regions: Vec<String>,
    /// The directory's stage, e.g. `Active` or `Creating`.
    #[serde(default = "active_stage")]
    pub stage: String,
}

impl Default for ExistingDirectoryDraft {
    /// Empty strings, no additional Regions, stage `"Active"`.
    fn default() -> Self {
        ExistingDirectoryDraft {
            directory_id: String::new(),
            directory_type: String::new(),
            alias: String::new(),
            region: String::new(),
            additional_regions: Vec::new(),
            stage: active_stage(),
        }
    }
}

fn active_stage() -> String {
    ACTIVE_STAGE.to_owned()
}

/// [`OrganizationDraft::encryption`], unchecked. JSON: `{"type": "workmail_managed_key"}` or
/// `{"type": "customer_managed_key", "kms_key_arn": …}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "EncryptionWire", into = "EncryptionWire")]
#[non_exhaustive]
pub enum EncryptionDraft {
    /// `{"type": "workmail_managed_key"}` (the default).
    #[default]
    WorkMailManagedKey,
    /// `{"type": "customer_managed_key", "kms_key_arn": …}`.
    CustomerManagedKey {
        /// The key's ARN.
        kms_key_arn: String,
    },
}

// The wire forms. Serde lets an internally tagged *unit* variant ignore unknown fields even
// under `deny_unknown_fields`; an empty struct variant (`FreeTest {}`) rejects them. The
// public drafts keep their unit variants and convert through these.

#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum DomainWire {
    ExistingRoute53 {
        name: String,
        hosted_zone_id: String,
    },
    NewRoute53 {
        name: String,
    },
    External {
        name: String,
    },
    FreeTest {},
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
enum DirectoryWire {
    #[serde(rename = "new_workmail_directory")]
    NewWorkMailDirectory {},
    #[serde(rename = "existing")]
    Existing(ExistingDirectoryDraft),
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
enum EncryptionWire {
    #[serde(rename = "workmail_managed_key")]
    WorkMailManagedKey {},
    #[serde(rename = "customer_managed_key")]
    CustomerManagedKey { kms_key_arn: String },
}

impl From<DomainWire> for DomainDraft {
    fn from(wire: DomainWire) -> Self {
        match wire {
            DomainWire::ExistingRoute53 {
                name,
                hosted_zone_id,
            } => DomainDraft::ExistingRoute53 {
                name,
                hosted_zone_id,
            },
            DomainWire::NewRoute53 { name } => DomainDraft::NewRoute53 { name },
            DomainWire::External { name } => DomainDraft::External { name },
            DomainWire::FreeTest {} => DomainDraft::FreeTest,
        }
    }
}

impl From<DomainDraft> for DomainWire {
    fn from(draft: DomainDraft) -> Self {
        match draft {
            DomainDraft::ExistingRoute53 {
                name,
                hosted_zone_id,
            } => DomainWire::ExistingRoute53 {
                name,
                hosted_zone_id,
            },
            DomainDraft::NewRoute53 { name } => DomainWire::NewRoute53 { name },
            DomainDraft::External { name } => DomainWire::External { name },
            DomainDraft::FreeTest => DomainWire::FreeTest {},
        }
    }
}

impl From<DirectoryWire> for DirectoryDraft {
    fn from(wire: DirectoryWire) -> Self {
        match wire {
            DirectoryWire::NewWorkMailDirectory {} => DirectoryDraft::NewWorkMailDirectory,
            DirectoryWire::Existing(existing) => DirectoryDraft::Existing(existing),
        }
    }
}

impl From<DirectoryDraft> for DirectoryWire {
    fn from(draft: DirectoryDraft) -> Self {
        match draft {
            DirectoryDraft::NewWorkMailDirectory => DirectoryWire::NewWorkMailDirectory {},
            DirectoryDraft::Existing(existing) => DirectoryWire::Existing(existing),
        }
    }
}

impl From<EncryptionWire> for EncryptionDraft {
    fn from(wire: EncryptionWire) -> Self {
        match wire {
            EncryptionWire::WorkMailManagedKey {} => EncryptionDraft::WorkMailManagedKey,
            EncryptionWire::CustomerManagedKey { kms_key_arn } => {
                EncryptionDraft::CustomerManagedKey { kms_key_arn }
            }
        }
    }
}

impl From<EncryptionDraft> for EncryptionWire {
    fn from(draft: EncryptionDraft) -> Self {
        match draft {
            EncryptionDraft::WorkMailManagedKey => EncryptionWire::WorkMailManagedKey {},
            EncryptionDraft::CustomerManagedKey { kms_key_arn } => {
                EncryptionWire::CustomerManagedKey { kms_key_arn }
            }
        }
    }
}

impl OrganizationDraft {
    /// A draft with only the two required fields; everything else takes its default.
    pub fn new(alias: impl Into<String>, region: impl Into<String>) -> Self {
        OrganizationDraft {
            alias: alias.into(),
            region: region.into(),
            ..OrganizationDraft::default()
        }
    }

    /// Checks every rule and returns the spec, or every violation found.
    ///
    /// Each field is parsed by its value type (a field that fails reports its own violation
    /// at its path); then every cross-field rule whose fields parsed runs. A rule that needs
    /// a field that failed to parse is skipped, so one bad value never causes a cascade.
    /// Violations come in field order: `alias`, `region`, `domains`, `default_domain`,
    /// `directory`, `encryption`, `interoperability`, `client_token`.
    ///
    /// # Errors
    /// [`Violations`], never empty, each naming its path, rule and AWS error code.
    ///
    /// ```
    /// use workmail_org::{OrganizationDraft, Rule};
    ///
    /// let draft = OrganizationDraft::new("d-acme", "eu-central-1");
    /// let violations = draft.validate().unwrap_err();
    /// let found: Vec<(&str, Rule)> = violations.iter().map(|v| (v.path(), v.rule())).collect();
    /// assert_eq!(
    ///     found,
    ///     [("alias", Rule::AliasReservedPrefix), ("region", Rule::RegionUnsupported)]
    /// );
    /// ```
    pub fn validate(&self) -> Result<OrganizationSpec, Violations> {
        let mut findings = Findings::default();
        let alias = findings.field("alias", OrganizationAlias::parse(&self.alias));
        let region = findings.field("region", Region::parse(&self.region));
        let domains: Vec<ParsedDomain> = self
            .domains
            .iter()
            .enumerate()
            .map(|(index, domain)| parse_domain(&mut findings, index, domain))
            .collect();
        let default_domain = match &self.default_domain {
            None => Ok(None),
            Some(name) => findings
                .field("default_domain", DomainName::parse(name))
                .map(Some)
                .ok_or(()),
        };
        let (directory_facts, directory) = parse_directory(&mut findings, &self.directory);
        let encryption = parse_encryption(&mut findings, &self.encryption);
        let client_token = match &self.client_token {
            None => Ok(None),
            Some(token) => findings
                .field("client_token", ClientToken::parse(token))
                .map(Some)
                .ok_or(()),
        };

        let facts = Facts {
            alias: alias.as_ref(),
            region,
            domains: domains.iter().map(ParsedDomain::entry).collect(),
            default_domain: default_domain.as_ref().ok().and_then(Option::as_ref),
            directory: directory_facts,
            kms_key: encryption.as_ref().and_then(EncryptionChoice::kms_key_arn),
            interoperability: self.interoperability,
        };
        cross_field::check(&facts, &mut findings);

        let spec = assemble(
            alias,
            region,
            domains.into_iter().map(|parsed| parsed.domain).collect(),
            default_domain.ok(),
            directory,
            encryption,
            self.interoperability,
            client_token.ok(),
        );
        cross_field::conclude(findings, spec)
    }
}

/// The spec, when every field parsed.
#[allow(clippy::too_many_arguments)]
fn assemble(
    alias: Option<OrganizationAlias>,
    region: Option<Region>,
    domains: Option<Vec<EmailDomain>>,
    default_domain: Option<Option<DomainName>>,
    directory: Option<DirectoryChoice>,
    encryption: Option<EncryptionChoice>,
    interoperability: bool,
    client_token: Option<Option<ClientToken>>,
) -> Option<OrganizationSpec> {
    Some(OrganizationSpec::from_checked_parts(
        alias?,
        region?,
        domains?,
        default_domain?,
        directory?,
        encryption?,
        interoperability,
        client_token?,
    ))
}

/// One domain entry as parsed: its kind, its name if that parsed, and the whole domain if
/// every part parsed.
struct ParsedDomain {
    free_test: bool,
    name: Option<DomainName>,
    domain: Option<EmailDomain>,
}

impl ParsedDomain {
    /// What the cross-field rules see of the entry.
    fn entry(&self) -> Entry<'_> {
        match (&self.name, self.free_test) {
            (_, true) => Entry::FreeTest,
            (Some(name), false) => Entry::Named(name),
            (None, false) => Entry::Unparsed,
        }
    }
}

/// Parses one domain entry, recording a violation for each part that fails.
fn parse_domain(findings: &mut Findings, index: usize, draft: &DomainDraft) -> ParsedDomain {
    let name_path = || cross_field::domain_name_path(index);
    let (name, domain) = match draft {
        DomainDraft::FreeTest => {
            return ParsedDomain {
                free_test: true,
                name: None,
                domain: Some(EmailDomain::FreeTest),
            }
        }
        DomainDraft::ExistingRoute53 {
            name,
            hosted_zone_id,
        } => {
            let name = findings.field(name_path(), DomainName::parse(name));
            let zone = findings.field(
                format!("domains[{index}].hosted_zone_id"),
                HostedZoneId::parse(hosted_zone_id),
            );
            let domain = match (&name, zone) {
                (Some(name), Some(hosted_zone_id)) => Some(EmailDomain::ExistingRoute53 {
                    name: name.clone(),
                    hosted_zone_id,
                }),
                _ => None,
            };
            (name, domain)
        }
        DomainDraft::NewRoute53 { name } => {
            let name = findings.field(name_path(), DomainName::parse(name));
            let domain = name.clone().map(|name| EmailDomain::NewRoute53 { name });
            (name, domain)
        }
        DomainDraft::External { name } => {
            let name = findings.field(name_path(), DomainName::parse(name));
            let domain = name.clone().map(|name| EmailDomain::External { name });
            (name, domain)
        }
    };
    ParsedDomain {
        free_test: false,
        name,
        domain,
    }
}

/// Parses the directory choice: what the rules see of it, and the choice if it parsed.
fn parse_directory<'a>(
    findings: &mut Findings,
    draft: &'a DirectoryDraft,
) -> (DirectoryFacts<'a>, Option<DirectoryChoice>) {
    match draft {
        DirectoryDraft::NewWorkMailDirectory => (
            DirectoryFacts::New,
            Some(DirectoryChoice::NewWorkMailDirectory),
        ),
        DirectoryDraft::Existing(existing) => {
            let parsed = ExistingDirectory::parse(existing, findings);
            let facts = DirectoryFacts::Existing {
                id: &existing.directory_id,
                kind: parsed.kind,
                alias: &existing.alias,
                region: parsed.region,
            };
            (facts, parsed.directory.map(DirectoryChoice::Existing))
        }
    }
}

/// Parses the encryption choice.
fn parse_encryption(findings: &mut Findings, draft: &EncryptionDraft) -> Option<EncryptionChoice> {
    match draft {
        EncryptionDraft::WorkMailManagedKey => Some(EncryptionChoice::WorkMailManagedKey),
        EncryptionDraft::CustomerManagedKey { kms_key_arn } => findings
            .field("encryption.kms_key_arn", KmsKeyArn::parse(kms_key_arn))
            .map(EncryptionChoice::CustomerManagedKey),
    }
}
