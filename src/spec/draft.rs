//! The unchecked form of a spec: plain strings, read from JSON or filled in by hand.
//!
//! Reading is derived: the organization directly, the tagged objects through the flat shapes
//! of `raw.rs`. Writing is derived for the tagged objects, and written by hand for the
//! organization (see its `Serialize`).

use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::report::Findings;
use crate::Violations;

use super::choices::Choices;
use super::directory::ACTIVE_STAGE;
use super::raw::{RawDirectory, RawDomain, RawEncryption};
use super::{cross_field, OrganizationSpec};

/// What a user chose, unchecked: the JSON format of a spec, as plain data.
///
/// Every value is a plain `String`, so reading a draft never fails because of a bad value,
/// only because of bad shape (an unknown field, a missing `alias` or `region`, a field its
/// `type` does not have, a wrong JSON type); read through [`read_json`](super::read_json),
/// such an error names the JSON path of what is wrong. [`validate`](Self::validate) then
/// checks every rule and reports every violation at once. See the [module docs](crate::spec#json-format) for the format, its defaults and
/// the serde formats that read it.
///
/// ```
/// use workmail_org::{FieldPath, OrganizationDraft, Rule};
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an organization spec: an object with `alias` and `region`"
)]
pub struct OrganizationDraft {
    /// The organization alias (required).
    pub alias: String,
    /// The AWS Region code (required).
    pub region: String,
    /// The email domains; empty means only the free test domain.
    #[serde(default)]
    pub domains: Vec<DomainDraft>,
    /// The default domain; `None` means the free test domain.
    #[serde(default)]
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
    #[serde(default)]
    pub client_token: Option<String>,
}

/// One entry of [`OrganizationDraft::domains`], unchecked. JSON: an object whose `type` is
/// `existing_route53`, `new_route53`, `external` or `free_test`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "RawDomain")]
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
#[serde(tag = "type", try_from = "RawDirectory")]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawDirectory")]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", try_from = "RawEncryption")]
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
    /// use workmail_org::{FieldPath, OrganizationDraft, Rule};
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
        let mut findings = Findings::default();
        let choices = Choices::read(self, &mut findings);
        cross_field::check(choices, findings)
    }
}

impl Serialize for OrganizationDraft {
    /// Every field in order, except that a human-readable format leaves out an unset
    /// `default_domain` or `client_token`. A compact format gets all eight, so one that
    /// writes objects as sequences keeps every field in its place.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let every = !serializer.is_human_readable();
        let written = |field: &Option<String>| every || field.is_some();
        let len = 6
            + usize::from(written(&self.default_domain))
            + usize::from(written(&self.client_token));
        let mut out = serializer.serialize_struct("OrganizationDraft", len)?;
        out.serialize_field("alias", &self.alias)?;
        out.serialize_field("region", &self.region)?;
        out.serialize_field("domains", &self.domains)?;
        if written(&self.default_domain) {
            out.serialize_field("default_domain", &self.default_domain)?;
        } else {
            out.skip_field("default_domain")?;
        }
        out.serialize_field("directory", &self.directory)?;
        out.serialize_field("encryption", &self.encryption)?;
        out.serialize_field("interoperability", &self.interoperability)?;
        if written(&self.client_token) {
            out.serialize_field("client_token", &self.client_token)?;
        } else {
            out.skip_field("client_token")?;
        }
        out.end()
    }
}
