//! The JSON format as read: one flat, derived shape per tagged object, then `TryFrom` into
//! the drafts. (The organization itself has no `type`: [`OrganizationDraft`] derives its own
//! reader.)
//!
//! Each tagged object is read by serde's derive into a `Raw*` struct: `type` is a plain
//! field, the other fields are `Option`s and unknown fields are refused. Flat structs keep the path of
//! every value, which `serde_path_to_error` loses inside internally tagged enums. `TryFrom`
//! then checks what the derive cannot: which fields the object's `type` requires and allows.
//! Values stay strings here; [`validate`](super::OrganizationDraft::validate) checks them.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::directory::ACTIVE_STAGE;
use super::draft::{DirectoryDraft, DomainDraft, EncryptionDraft, ExistingDirectoryDraft};

/// The `type` of a domain entry.
#[derive(Clone, Copy)]
enum DomainType {
    ExistingRoute53,
    NewRoute53,
    External,
    FreeTest,
}

impl<'de> Deserialize<'de> for DomainType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const ALL: [DomainType; 4] = [
            DomainType::ExistingRoute53,
            DomainType::NewRoute53,
            DomainType::External,
            DomainType::FreeTest,
        ];
        let names = &["existing_route53", "new_route53", "external", "free_test"];
        Ok(ALL[tag(deserializer, names)?])
    }
}

/// A domain entry as read.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a domain: an object whose `type` is one of `existing_route53`, `new_route53`, `external`, `free_test`"
)]
pub(super) struct RawDomain {
    #[serde(rename = "type")]
    kind: DomainType,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    hosted_zone_id: Option<String>,
}

impl TryFrom<RawDomain> for DomainDraft {
    type Error = ShapeError;

    fn try_from(raw: RawDomain) -> Result<Self, ShapeError> {
        let RawDomain {
            kind,
            name,
            hosted_zone_id,
        } = raw;
        Ok(match kind {
            DomainType::ExistingRoute53 => {
                let of = Of::new("existing_route53", &["name", "hosted_zone_id"]);
                DomainDraft::ExistingRoute53 {
                    name: of.required("name", name)?,
                    hosted_zone_id: of.required("hosted_zone_id", hosted_zone_id)?,
                }
            }
            DomainType::NewRoute53 => {
                let of = Of::new("new_route53", &["name"]);
                of.absent("hosted_zone_id", &hosted_zone_id)?;
                DomainDraft::NewRoute53 {
                    name: of.required("name", name)?,
                }
            }
            DomainType::External => {
                let of = Of::new("external", &["name"]);
                of.absent("hosted_zone_id", &hosted_zone_id)?;
                DomainDraft::External {
                    name: of.required("name", name)?,
                }
            }
            DomainType::FreeTest => {
                let of = Of::new("free_test", &[]);
                of.absent("name", &name)?;
                of.absent("hosted_zone_id", &hosted_zone_id)?;
                DomainDraft::FreeTest
            }
        })
    }
}

/// The `type` of a directory choice.
#[derive(Clone, Copy)]
enum DirectoryType {
    NewWorkMailDirectory,
    Existing,
}

impl<'de> Deserialize<'de> for DirectoryType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const ALL: [DirectoryType; 2] =
            [DirectoryType::NewWorkMailDirectory, DirectoryType::Existing];
        Ok(ALL[tag(deserializer, &["new_workmail_directory", "existing"])?])
    }
}

/// A directory choice as read: the type, and for an existing directory what Directory
/// Service reports about it. Read alone, as an [`ExistingDirectoryDraft`], it is the report
/// without a `type`.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a directory: an object whose `type` is one of `new_workmail_directory`, `existing`"
)]
pub(super) struct RawDirectory {
    #[serde(rename = "type", default)]
    kind: Option<DirectoryType>,
    #[serde(default)]
    directory_id: Option<String>,
    #[serde(default)]
    directory_type: Option<String>,
    #[serde(default)]
    alias: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    additional_regions: Option<Vec<String>>,
    #[serde(default)]
    stage: Option<String>,
}

/// The fields of a directory report, `additional_regions` and `stage` optional.
const REPORT_FIELDS: &[&str] = &[
    "directory_id",
    "directory_type",
    "alias",
    "region",
    "additional_regions",
    "stage",
];

impl TryFrom<RawDirectory> for DirectoryDraft {
    type Error = ShapeError;

    fn try_from(raw: RawDirectory) -> Result<Self, ShapeError> {
        match raw.kind {
            None => Err(ShapeError::Missing {
                field: "type",
                of: Of::untyped(&[]),
            }),
            Some(DirectoryType::NewWorkMailDirectory) => {
                let of = Of::new("new_workmail_directory", &[]);
                match raw.fields().find(|(_, set)| *set) {
                    Some((field, _)) => Err(of.not_allowed(field)),
                    None => Ok(DirectoryDraft::NewWorkMailDirectory),
                }
            }
            Some(DirectoryType::Existing) => raw
                .into_report(Of::new("existing", REPORT_FIELDS))
                .map(DirectoryDraft::Existing),
        }
    }
}

impl TryFrom<RawDirectory> for ExistingDirectoryDraft {
    type Error = ShapeError;

    /// A report alone: no `type`.
    fn try_from(raw: RawDirectory) -> Result<Self, ShapeError> {
        let of = Of::untyped(REPORT_FIELDS);
        of.absent("type", &raw.kind)?;
        raw.into_report(of)
    }
}

impl RawDirectory {
    /// Each field of the report's, and whether it was given.
    fn fields(&self) -> impl Iterator<Item = (&'static str, bool)> {
        let set = [
            self.directory_id.is_some(),
            self.directory_type.is_some(),
            self.alias.is_some(),
            self.region.is_some(),
            self.additional_regions.is_some(),
            self.stage.is_some(),
        ];
        REPORT_FIELDS.iter().copied().zip(set)
    }

    /// The report, with its four required fields.
    fn into_report(self, of: Of) -> Result<ExistingDirectoryDraft, ShapeError> {
        Ok(ExistingDirectoryDraft {
            directory_id: of.required("directory_id", self.directory_id)?,
            directory_type: of.required("directory_type", self.directory_type)?,
            alias: of.required("alias", self.alias)?,
            region: of.required("region", self.region)?,
            additional_regions: self.additional_regions.unwrap_or_default(),
            stage: self.stage.unwrap_or_else(|| ACTIVE_STAGE.to_owned()),
        })
    }
}

/// The `type` of an encryption choice.
#[derive(Clone, Copy)]
enum EncryptionType {
    WorkMailManagedKey,
    CustomerManagedKey,
}

impl<'de> Deserialize<'de> for EncryptionType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const ALL: [EncryptionType; 2] = [
            EncryptionType::WorkMailManagedKey,
            EncryptionType::CustomerManagedKey,
        ];
        Ok(ALL[tag(
            deserializer,
            &["workmail_managed_key", "customer_managed_key"],
        )?])
    }
}

/// Reads a `type`: the index of its name in `names`. A string, as serde's derive reads a unit
/// variant, but a value of another JSON type is named too (serde_json's enum reader says
/// only "expected value" for it).
fn tag<'de, D: Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    struct Tag(&'static [&'static str]);

    impl Visitor<'_> for Tag {
        type Value = usize;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("one of ")?;
            list(f, self.0)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
            self.0
                .iter()
                .position(|name| *name == v)
                .ok_or_else(|| E::unknown_variant(v, self.0))
        }
    }

    deserializer.deserialize_str(Tag(names))
}

/// An encryption choice as read.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an encryption choice: an object whose `type` is one of `workmail_managed_key`, `customer_managed_key`"
)]
pub(super) struct RawEncryption {
    #[serde(rename = "type")]
    kind: EncryptionType,
    #[serde(default)]
    kms_key_arn: Option<String>,
}

impl TryFrom<RawEncryption> for EncryptionDraft {
    type Error = ShapeError;

    fn try_from(raw: RawEncryption) -> Result<Self, ShapeError> {
        match raw.kind {
            EncryptionType::WorkMailManagedKey => {
                Of::new("workmail_managed_key", &[]).absent("kms_key_arn", &raw.kms_key_arn)?;
                Ok(EncryptionDraft::WorkMailManagedKey)
            }
            EncryptionType::CustomerManagedKey => {
                let of = Of::new("customer_managed_key", &["kms_key_arn"]);
                Ok(EncryptionDraft::CustomerManagedKey {
                    kms_key_arn: of.required("kms_key_arn", raw.kms_key_arn)?,
                })
            }
        }
    }
}

/// A field that an object's `type` requires and is missing, or that it does not allow.
/// Serde shows the message (with the path, when read through [`read_json`](super::read_json)).
#[derive(Debug, thiserror::Error)]
pub(super) enum ShapeError {
    #[error("missing field `{field}`{}", ForType(.of.name))]
    Missing { field: &'static str, of: Of },
    #[error("unknown field `{field}`{}, {}", ForType(.of.name), Expected(&.of.fields()))]
    NotAllowed { field: &'static str, of: Of },
}

/// ``for type `T` ``, or nothing for an object without a type.
struct ForType<'a>(&'a str);

impl fmt::Display for ForType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, " for type `{}`", self.0)
        }
    }
}

/// What is allowed, as serde's messages list it: ``expected `a` ``, ``expected `a` or `b` ``,
/// ``expected one of `a`, `b`, `c` ``.
struct Expected<'a>(&'a [&'static str]);

impl fmt::Display for Expected<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("there are no fields"),
            [one] => write!(f, "expected `{one}`"),
            [one, two] => write!(f, "expected `{one}` or `{two}`"),
            all => {
                f.write_str("expected one of ")?;
                list(f, all)
            }
        }
    }
}

/// Names as serde lists them: `` `a`, `b`, `c` ``.
fn list(f: &mut fmt::Formatter<'_>, names: &[&str]) -> fmt::Result {
    for (index, name) in names.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write!(f, "`{name}`")?;
    }
    Ok(())
}

/// The fields one `type` of an object allows.
#[derive(Clone, Copy, Debug)]
pub(super) struct Of {
    /// The `type`; empty for an object without one.
    name: &'static str,
    /// The fields besides `type`.
    allowed: &'static [&'static str],
}

impl Of {
    /// Every field the type allows, `type` first when the object has one.
    fn fields(&self) -> Vec<&'static str> {
        let typed = (!self.name.is_empty()).then_some("type");
        typed
            .into_iter()
            .chain(self.allowed.iter().copied())
            .collect()
    }

    fn new(name: &'static str, allowed: &'static [&'static str]) -> Self {
        Of { name, allowed }
    }

    /// An object without a `type`.
    fn untyped(allowed: &'static [&'static str]) -> Self {
        Of { name: "", allowed }
    }

    fn required<T>(self, field: &'static str, value: Option<T>) -> Result<T, ShapeError> {
        value.ok_or(ShapeError::Missing { field, of: self })
    }

    fn not_allowed(self, field: &'static str) -> ShapeError {
        ShapeError::NotAllowed { field, of: self }
    }

    fn absent<T>(self, field: &'static str, value: &Option<T>) -> Result<(), ShapeError> {
        match value {
            None => Ok(()),
            Some(_) => Err(self.not_allowed(field)),
        }
    }
}
