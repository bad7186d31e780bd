//! The raw, unchecked form of a spec: plain strings, read from JSON or filled in by hand.
//!
//! Its serde format (the JSON format of the module docs) is written in `format.rs`.

use std::borrow::Cow;

use serde::Serialize;

use crate::report::Findings;
use crate::Violations;

use super::directory::ACTIVE_STAGE;
use super::parts::Parsed;
use super::{cross_field, OrganizationSpec};

/// What a user chose, unchecked: the JSON format of a spec, as plain data.
///
/// Every value is a plain `String`, so reading a draft never fails because of a bad value,
/// only because of bad shape (an unknown field, a missing `alias` or `region`, a wrong JSON
/// type, a list where an object belongs); such an error names the JSON path of what is
/// wrong. [`validate`](Self::validate) then checks every rule and reports every violation
/// at once. See the [module docs](crate::spec#json-format) for the format, its defaults and
/// the serde formats that read it.
///
/// ```
/// use workmail_org::{spec::FieldPath, OrganizationDraft, Rule};
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
/// assert_eq!(violation.path(), FieldPath::DefaultDomain);
/// assert_eq!(violation.rule(), Rule::DefaultDomainUnknown);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OrganizationDraft {
    /// The organization alias (required).
    pub alias: String,
    /// The AWS Region code (required).
    pub region: String,
    /// The email domains; empty means only the free test domain.
    pub domains: Vec<DomainDraft>,
    /// The default domain; `None` means the free test domain.
    pub default_domain: Option<String>,
    /// The user directory; a new WorkMail directory by default.
    pub directory: DirectoryDraft,
    /// The encryption key; the WorkMail-managed key by default.
    pub encryption: EncryptionDraft,
    /// Exchange interoperability; off by default.
    pub interoperability: bool,
    /// The idempotency token for `CreateOrganization`; none by default.
    pub client_token: Option<String>,
}

/// One entry of [`OrganizationDraft::domains`], unchecked. JSON: an object whose `type` is
/// `existing_route53`, `new_route53`, `external` or `free_test`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum DirectoryDraft {
    /// `{"type": "new_workmail_directory"}` (the default).
    #[default]
    #[serde(rename = "new_workmail_directory")]
    NewWorkMailDirectory,
    /// `{"type": "existing", …}`.
    #[serde(rename = "existing")]
    Existing(ExistingDirectoryDraft),
}

/// What Directory Service reports about an existing directory (`DescribeDirectories`),
/// unchecked.
///
/// `additional_regions` defaults to none and `stage` to `"Active"`. Alone, its serde form is
/// the object of an `existing` directory without the `type`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
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
    pub additional_regions: Vec<String>,
    /// The directory's stage, e.g. `Active` or `Creating`.
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
            stage: ACTIVE_STAGE.to_owned(),
        }
    }
}

/// [`OrganizationDraft::encryption`], unchecked. JSON: `{"type": "workmail_managed_key"}` or
/// `{"type": "customer_managed_key", "kms_key_arn": …}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum EncryptionDraft {
    /// `{"type": "workmail_managed_key"}` (the default).
    #[default]
    #[serde(rename = "workmail_managed_key")]
    WorkMailManagedKey,
    /// `{"type": "customer_managed_key", "kms_key_arn": …}`.
    #[serde(rename = "customer_managed_key")]
    CustomerManagedKey {
        /// The key's ARN.
        kms_key_arn: String,
    },
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
    /// Violations come in field order ([`FieldPath`](super::FieldPath)'s order): `alias`,
    /// `region`, `domains`, `default_domain`, `directory`, `encryption`, `interoperability`,
    /// `client_token`.
    ///
    /// # Errors
    /// [`Violations`], never empty, each naming its path, rule and AWS error code.
    ///
    /// ```
    /// use workmail_org::{spec::FieldPath, OrganizationDraft, Rule};
    ///
    /// let draft = OrganizationDraft::new("d-acme", "eu-central-1");
    /// let violations = draft.validate().unwrap_err();
    /// let found: Vec<(FieldPath, Rule)> = violations.iter().map(|v| (v.path(), v.rule())).collect();
    /// assert_eq!(
    ///     found,
    ///     [(FieldPath::Alias, Rule::AliasReservedPrefix), (FieldPath::Region, Rule::RegionUnsupported)]
    /// );
    /// ```
    pub fn validate(&self) -> Result<OrganizationSpec, Violations> {
        DraftRef::from(self).validate()
    }
}

// ---------------------------------------------------------------------------------------
// The borrowed twin

/// A draft whose text borrows from where it was read (the JSON input, or an
/// [`OrganizationDraft`]) wherever it can: what the serde format reads, and what the one
/// validation pipeline checks. Reading a spec from JSON this way allocates only the
/// validated values, never a `String` per field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct DraftRef<'a> {
    pub(crate) alias: Cow<'a, str>,
    pub(crate) region: Cow<'a, str>,
    pub(crate) domains: Vec<DomainRef<'a>>,
    pub(crate) default_domain: Option<Cow<'a, str>>,
    pub(crate) directory: DirectoryRef<'a>,
    pub(crate) encryption: EncryptionRef<'a>,
    pub(crate) interoperability: bool,
    pub(crate) client_token: Option<Cow<'a, str>>,
}

/// [`DomainDraft`], borrowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DomainRef<'a> {
    ExistingRoute53 {
        name: Cow<'a, str>,
        hosted_zone_id: Cow<'a, str>,
    },
    NewRoute53 {
        name: Cow<'a, str>,
    },
    External {
        name: Cow<'a, str>,
    },
    FreeTest,
}

/// [`DirectoryDraft`], borrowed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum DirectoryRef<'a> {
    #[default]
    NewWorkMailDirectory,
    Existing(ExistingDirectoryRef<'a>),
}

/// [`ExistingDirectoryDraft`], borrowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExistingDirectoryRef<'a> {
    pub(crate) directory_id: Cow<'a, str>,
    pub(crate) directory_type: Cow<'a, str>,
    pub(crate) alias: Cow<'a, str>,
    pub(crate) region: Cow<'a, str>,
    pub(crate) additional_regions: Vec<Cow<'a, str>>,
    pub(crate) stage: Cow<'a, str>,
}

/// [`EncryptionDraft`], borrowed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum EncryptionRef<'a> {
    #[default]
    WorkMailManagedKey,
    CustomerManagedKey {
        kms_key_arn: Cow<'a, str>,
    },
}

impl DraftRef<'_> {
    /// [`OrganizationDraft::validate`], on the borrowed form.
    pub(crate) fn validate(&self) -> Result<OrganizationSpec, Violations> {
        let mut findings = Findings::default();
        let parsed = Parsed::read(self, &mut findings);
        cross_field::check(parsed, findings)
    }
}

fn borrowed(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

impl<'a> From<&'a OrganizationDraft> for DraftRef<'a> {
    fn from(draft: &'a OrganizationDraft) -> Self {
        DraftRef {
            alias: borrowed(&draft.alias),
            region: borrowed(&draft.region),
            domains: draft.domains.iter().map(DomainRef::from).collect(),
            default_domain: draft.default_domain.as_deref().map(borrowed),
            directory: match &draft.directory {
                DirectoryDraft::NewWorkMailDirectory => DirectoryRef::NewWorkMailDirectory,
                DirectoryDraft::Existing(report) => DirectoryRef::Existing(report.into()),
            },
            encryption: match &draft.encryption {
                EncryptionDraft::WorkMailManagedKey => EncryptionRef::WorkMailManagedKey,
                EncryptionDraft::CustomerManagedKey { kms_key_arn } => {
                    EncryptionRef::CustomerManagedKey {
                        kms_key_arn: borrowed(kms_key_arn),
                    }
                }
            },
            interoperability: draft.interoperability,
            client_token: draft.client_token.as_deref().map(borrowed),
        }
    }
}

impl<'a> From<&'a DomainDraft> for DomainRef<'a> {
    fn from(draft: &'a DomainDraft) -> Self {
        match draft {
            DomainDraft::ExistingRoute53 {
                name,
                hosted_zone_id,
            } => DomainRef::ExistingRoute53 {
                name: borrowed(name),
                hosted_zone_id: borrowed(hosted_zone_id),
            },
            DomainDraft::NewRoute53 { name } => DomainRef::NewRoute53 {
                name: borrowed(name),
            },
            DomainDraft::External { name } => DomainRef::External {
                name: borrowed(name),
            },
            DomainDraft::FreeTest => DomainRef::FreeTest,
        }
    }
}

impl<'a> From<&'a ExistingDirectoryDraft> for ExistingDirectoryRef<'a> {
    fn from(report: &'a ExistingDirectoryDraft) -> Self {
        ExistingDirectoryRef {
            directory_id: borrowed(&report.directory_id),
            directory_type: borrowed(&report.directory_type),
            alias: borrowed(&report.alias),
            region: borrowed(&report.region),
            additional_regions: report
                .additional_regions
                .iter()
                .map(|region| borrowed(region))
                .collect(),
            stage: borrowed(&report.stage),
        }
    }
}

impl From<DraftRef<'_>> for OrganizationDraft {
    fn from(draft: DraftRef<'_>) -> Self {
        OrganizationDraft {
            alias: draft.alias.into_owned(),
            region: draft.region.into_owned(),
            domains: draft.domains.into_iter().map(DomainDraft::from).collect(),
            default_domain: draft.default_domain.map(Cow::into_owned),
            directory: draft.directory.into(),
            encryption: draft.encryption.into(),
            interoperability: draft.interoperability,
            client_token: draft.client_token.map(Cow::into_owned),
        }
    }
}

impl From<DomainRef<'_>> for DomainDraft {
    fn from(draft: DomainRef<'_>) -> Self {
        match draft {
            DomainRef::ExistingRoute53 {
                name,
                hosted_zone_id,
            } => DomainDraft::ExistingRoute53 {
                name: name.into_owned(),
                hosted_zone_id: hosted_zone_id.into_owned(),
            },
            DomainRef::NewRoute53 { name } => DomainDraft::NewRoute53 {
                name: name.into_owned(),
            },
            DomainRef::External { name } => DomainDraft::External {
                name: name.into_owned(),
            },
            DomainRef::FreeTest => DomainDraft::FreeTest,
        }
    }
}

impl From<DirectoryRef<'_>> for DirectoryDraft {
    fn from(draft: DirectoryRef<'_>) -> Self {
        match draft {
            DirectoryRef::NewWorkMailDirectory => DirectoryDraft::NewWorkMailDirectory,
            DirectoryRef::Existing(report) => DirectoryDraft::Existing(report.into()),
        }
    }
}

impl From<ExistingDirectoryRef<'_>> for ExistingDirectoryDraft {
    fn from(report: ExistingDirectoryRef<'_>) -> Self {
        ExistingDirectoryDraft {
            directory_id: report.directory_id.into_owned(),
            directory_type: report.directory_type.into_owned(),
            alias: report.alias.into_owned(),
            region: report.region.into_owned(),
            additional_regions: report
                .additional_regions
                .into_iter()
                .map(Cow::into_owned)
                .collect(),
            stage: report.stage.into_owned(),
        }
    }
}

impl From<EncryptionRef<'_>> for EncryptionDraft {
    fn from(draft: EncryptionRef<'_>) -> Self {
        match draft {
            EncryptionRef::WorkMailManagedKey => EncryptionDraft::WorkMailManagedKey,
            EncryptionRef::CustomerManagedKey { kms_key_arn } => {
                EncryptionDraft::CustomerManagedKey {
                    kms_key_arn: kms_key_arn.into_owned(),
                }
            }
        }
    }
}
