//! The unchecked form of a spec: plain text, read from JSON or filled in by hand.
//!
//! Reading is derived: the organization directly, the tagged objects through the flat shapes
//! of `raw.rs`. Writing is derived for the tagged objects, and written by hand for the
//! organization (see its `Serialize`). Every draft is generic over its text, `String` by
//! default; the crate reads a body's JSON as [`Text`], borrowed from the body where it can.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use super::directory::ACTIVE_STAGE;
use super::raw::{RawDirectory, RawDomain, RawEncryption};

/// What a user chose, unchecked: the JSON format of a spec, as plain data.
///
/// Every value is plain text (`S`, a `String` unless you choose another text type), so
/// reading a draft never fails because of a bad value, only because of bad shape (an
/// unknown field, a missing `alias` or `region`, a field its `type` does not have, a wrong
/// JSON type); read through [`read_json`](super::read_json), such an error names the JSON
/// path of what is wrong. [`validate`](Self::validate) then checks every rule and reports
/// every violation at once. See the [module docs](crate::spec#json-format) for the format,
/// its defaults and the serde formats that read it.
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
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an organization spec: an object with `alias` and `region`",
    bound(deserialize = "S: Deserialize<'de> + From<&'static str>")
)]
pub struct OrganizationDraft<S = String> {
    /// The organization alias (required).
    pub alias: S,
    /// The AWS Region code (required).
    pub region: S,
    /// The email domains; empty means only the free test domain.
    #[serde(default)]
    pub domains: Vec<DomainDraft<S>>,
    /// The default domain; `None` means the free test domain.
    #[serde(default)]
    pub default_domain: Option<S>,
    /// The user directory; a new WorkMail directory by default.
    #[serde(default)]
    pub directory: DirectoryDraft<S>,
    /// The encryption key; the WorkMail-managed key by default.
    #[serde(default)]
    pub encryption: EncryptionDraft<S>,
    /// Exchange interoperability; off by default.
    #[serde(default)]
    pub interoperability: bool,
    /// The idempotency token for `CreateOrganization`; none by default.
    #[serde(default)]
    pub client_token: Option<S>,
}

/// One entry of [`OrganizationDraft::domains`], unchecked. JSON: an object whose `type` is
/// `existing_route53`, `new_route53`, `external` or `free_test`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "RawDomain<S>")]
#[non_exhaustive]
pub enum DomainDraft<S = String> {
    /// `{"type": "existing_route53", "name": …, "hosted_zone_id": …}`.
    ExistingRoute53 {
        /// The domain name.
        name: S,
        /// The hosted zone id, with or without `/hostedzone/`.
        hosted_zone_id: S,
    },
    /// `{"type": "new_route53", "name": …}`.
    NewRoute53 {
        /// The domain name.
        name: S,
    },
    /// `{"type": "external", "name": …}`.
    External {
        /// The domain name.
        name: S,
    },
    /// `{"type": "free_test"}`.
    FreeTest,
}

impl<S> DomainDraft<S> {
    /// The entry's domain name; `None` for [`FreeTest`](Self::FreeTest), whose name comes
    /// from the alias.
    pub fn name(&self) -> Option<&S> {
        match self {
            DomainDraft::ExistingRoute53 { name, .. }
            | DomainDraft::NewRoute53 { name }
            | DomainDraft::External { name } => Some(name),
            DomainDraft::FreeTest => None,
        }
    }

    /// The entry's domain name, to change it; `None` for [`FreeTest`](Self::FreeTest).
    pub fn name_mut(&mut self) -> Option<&mut S> {
        match self {
            DomainDraft::ExistingRoute53 { name, .. }
            | DomainDraft::NewRoute53 { name }
            | DomainDraft::External { name } => Some(name),
            DomainDraft::FreeTest => None,
        }
    }
}

/// [`OrganizationDraft::directory`], unchecked. JSON: `{"type": "new_workmail_directory"}`
/// or `{"type": "existing", …}` with the fields of [`ExistingDirectoryDraft`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "type",
    try_from = "RawDirectory<S>",
    bound(deserialize = "S: Deserialize<'de> + From<&'static str>")
)]
#[non_exhaustive]
pub enum DirectoryDraft<S = String> {
    /// `{"type": "new_workmail_directory"}` (the default).
    #[serde(rename = "new_workmail_directory")]
    NewWorkMailDirectory,
    /// `{"type": "existing", …}`.
    #[serde(rename = "existing")]
    Existing(ExistingDirectoryDraft<S>),
}

impl<S> Default for DirectoryDraft<S> {
    /// A new WorkMail directory.
    fn default() -> Self {
        DirectoryDraft::NewWorkMailDirectory
    }
}

/// What Directory Service reports about an existing directory (`DescribeDirectories`),
/// unchecked.
///
/// `additional_regions` defaults to none and `stage` to `"Active"`. Alone, its serde form is
/// the object of an `existing` directory without the `type`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    try_from = "RawDirectory<S>",
    bound(deserialize = "S: Deserialize<'de> + From<&'static str>")
)]
pub struct ExistingDirectoryDraft<S = String> {
    /// The directory id, e.g. `d-1234567890`.
    pub directory_id: S,
    /// The Directory Service type: `ADConnector`, `MicrosoftAD`, `SimpleAD` (or an
    /// unsupported one such as `SharedMicrosoftAD`).
    pub directory_type: S,
    /// The directory's alias (a directory without one reports its id).
    pub alias: S,
    /// The directory's Region code.
    pub region: S,
    /// The Regions the directory is replicated to besides `region`.
    pub additional_regions: Vec<S>,
    /// The directory's stage, e.g. `Active` or `Creating`.
    pub stage: S,
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
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", try_from = "RawEncryption<S>")]
#[non_exhaustive]
pub enum EncryptionDraft<S = String> {
    /// `{"type": "workmail_managed_key"}` (the default).
    #[serde(rename = "workmail_managed_key")]
    WorkMailManagedKey,
    /// `{"type": "customer_managed_key", "kms_key_arn": …}`.
    #[serde(rename = "customer_managed_key")]
    CustomerManagedKey {
        /// The key's ARN.
        kms_key_arn: S,
    },
}

impl<S> Default for EncryptionDraft<S> {
    /// The WorkMail-managed key.
    fn default() -> Self {
        EncryptionDraft::WorkMailManagedKey
    }
}

/// A draft's text as the crate reads it from a body: borrowed from the body where the JSON
/// string has no escapes, owned where it has. So [`read_json`](super::read_json) and
/// `OrganizationSpec`'s `Deserialize` allocate no `String` per value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(super) struct Text<'a>(Cow<'a, str>);

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&'static str> for Text<'_> {
    fn from(text: &'static str) -> Self {
        Text(Cow::Borrowed(text))
    }
}

impl<'de> Deserialize<'de> for Text<'de> {
    /// A string, as `String` reads one (with its message for any other JSON type).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(TextVisitor)
    }
}

impl Default for OrganizationDraft {
    /// Empty alias and Region, every other field at its default.
    fn default() -> Self {
        OrganizationDraft::new(String::new(), String::new())
    }
}

impl OrganizationDraft {
    /// A draft with only the two required fields; everything else takes its default.
    pub fn new(alias: impl Into<String>, region: impl Into<String>) -> Self {
        OrganizationDraft {
            alias: alias.into(),
            region: region.into(),
            domains: Vec::new(),
            default_domain: None,
            directory: DirectoryDraft::default(),
            encryption: EncryptionDraft::default(),
            interoperability: false,
            client_token: None,
        }
    }
}

impl<S: Serialize> Serialize for OrganizationDraft<S> {
    /// Every field in order, except that a human-readable format leaves out an unset
    /// `default_domain` or `client_token`. A compact format gets all eight, so one that
    /// writes objects as sequences keeps every field in its place.
    fn serialize<W: Serializer>(&self, serializer: W) -> Result<W::Ok, W::Error> {
        let every = !serializer.is_human_readable();
        let written = |field: &Option<S>| every || field.is_some();
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
