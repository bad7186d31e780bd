//! The JSON format as read: one flat, derived shape per tagged object, then `TryFrom` into
//! the drafts. (The organization itself has no `type`: [`OrganizationDraft`] derives its own
//! reader.)
//!
//! Each tagged object is read by serde's derive into a `Raw*` struct: `type` is a plain
//! field, the other fields are `Option`s and unknown fields are refused. Flat structs keep the
//! path of every value, which `serde_path_to_error` loses inside internally tagged enums.
//! `TryFrom` then checks what the derive cannot: which fields the object's `type` allows
//! (the first given field it does not allow is refused), then which it requires. Values stay
//! text here; [`validate`](super::OrganizationDraft::validate) checks them.
//!
//! [`OrganizationDraft`]: super::OrganizationDraft

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::directory::ACTIVE_STAGE;
use super::draft::{DirectoryDraft, DomainDraft, EncryptionDraft, ExistingDirectoryDraft};

/// Declares a flat object as read, each field but `type` an `Option` that defaults to `None`
/// (also when a compact format's sequence ends early), and `$fields`: the names of those
/// fields, in order.
macro_rules! raw_object {
    (
        $(#[$meta:meta])*
        struct $name:ident, fields $fields:ident {
            $(#[$kind_meta:meta])*
            type: $tag:ty,
            $($field:ident: $ty:ty,)+
        }
    ) => {
        $(#[$meta])*
        #[serde(bound(deserialize = "S: Deserialize<'de>"))]
        pub(super) struct $name<S> {
            #[serde(rename = "type")]
            $(#[$kind_meta])*
            kind: $tag,
            $(
                #[serde(default)]
                $field: Option<$ty>,
            )+
        }

        #[doc = concat!("The fields of [`", stringify!($name), "`] besides `type`, in order.")]
        const $fields: &[&str] = &[$(stringify!($field)),+];

        impl<S> $name<S> {
            /// Each field besides `type`, and whether it was given.
            fn given(&self) -> impl Iterator<Item = (&'static str, bool)> {
                $fields.iter().copied().zip([$(self.$field.is_some()),+])
            }
        }
    };
}

/// Declares the `type` of an object: each value with its name and the fields besides `type`
/// it allows. Read as serde reads a unit variant (see [`tag`]).
macro_rules! object_type {
    (
        $(#[$meta:meta])*
        enum $name:ident {
            $($variant:ident = $text:literal, allowing $allowed:expr;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy)]
        enum $name {
            $($variant,)+
        }

        impl $name {
            /// The type's name and the fields it allows.
            fn of(self) -> Of {
                match self {
                    $($name::$variant => Of::new($text, $allowed),)+
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const ALL: &[$name] = &[$($name::$variant),+];
                Ok(ALL[tag(deserializer, &[$($text),+])?])
            }
        }
    };
}

raw_object! {
    /// A domain entry as read.
    #[derive(Deserialize)]
    #[serde(
        deny_unknown_fields,
        expecting = "a domain: an object whose `type` is one of `existing_route53`, `new_route53`, `external`, `free_test`"
    )]
    struct RawDomain, fields DOMAIN_FIELDS {
        type: DomainType,
        name: S,
        hosted_zone_id: S,
    }
}

object_type! {
    /// The `type` of a domain entry.
    enum DomainType {
        ExistingRoute53 = "existing_route53", allowing DOMAIN_FIELDS;
        NewRoute53 = "new_route53", allowing &["name"];
        External = "external", allowing &["name"];
        FreeTest = "free_test", allowing &[];
    }
}

impl<S> TryFrom<RawDomain<S>> for DomainDraft<S> {
    type Error = ShapeError;

    fn try_from(raw: RawDomain<S>) -> Result<Self, ShapeError> {
        let of = raw.kind.of().allowing(raw.given())?;
        let RawDomain {
            kind,
            name,
            hosted_zone_id,
        } = raw;
        Ok(match kind {
            DomainType::ExistingRoute53 => DomainDraft::ExistingRoute53 {
                name: of.required("name", name)?,
                hosted_zone_id: of.required("hosted_zone_id", hosted_zone_id)?,
            },
            DomainType::NewRoute53 => DomainDraft::NewRoute53 {
                name: of.required("name", name)?,
            },
            DomainType::External => DomainDraft::External {
                name: of.required("name", name)?,
            },
            DomainType::FreeTest => DomainDraft::FreeTest,
        })
    }
}

raw_object! {
    /// A directory choice as read: the type, and for an existing directory what Directory
    /// Service reports about it. Read alone, as an [`ExistingDirectoryDraft`], it is the
    /// report without a `type`.
    #[derive(Deserialize)]
    #[serde(
        deny_unknown_fields,
        expecting = "a directory: an object whose `type` is one of `new_workmail_directory`, `existing`"
    )]
    struct RawDirectory, fields REPORT_FIELDS {
        #[serde(default)]
        type: Option<DirectoryType>,
        directory_id: S,
        directory_type: S,
        alias: S,
        region: S,
        additional_regions: Vec<S>,
        stage: S,
    }
}

object_type! {
    /// The `type` of a directory choice.
    enum DirectoryType {
        NewWorkMailDirectory = "new_workmail_directory", allowing &[];
        Existing = "existing", allowing REPORT_FIELDS;
    }
}

impl<S: From<&'static str>> TryFrom<RawDirectory<S>> for DirectoryDraft<S> {
    type Error = ShapeError;

    fn try_from(raw: RawDirectory<S>) -> Result<Self, ShapeError> {
        let Some(kind) = raw.kind else {
            return Err(Of::untyped(&[]).missing("type"));
        };
        let of = kind.of().allowing(raw.given())?;
        match kind {
            DirectoryType::NewWorkMailDirectory => Ok(DirectoryDraft::NewWorkMailDirectory),
            DirectoryType::Existing => raw.into_report(of).map(DirectoryDraft::Existing),
        }
    }
}

impl<S: From<&'static str>> TryFrom<RawDirectory<S>> for ExistingDirectoryDraft<S> {
    type Error = ShapeError;

    /// A report alone: no `type`.
    fn try_from(raw: RawDirectory<S>) -> Result<Self, ShapeError> {
        let of = Of::untyped(REPORT_FIELDS);
        if raw.kind.is_some() {
            return Err(of.not_allowed("type"));
        }
        raw.into_report(of)
    }
}

impl<S: From<&'static str>> RawDirectory<S> {
    /// The report, with its four required fields.
    fn into_report(self, of: Of) -> Result<ExistingDirectoryDraft<S>, ShapeError> {
        Ok(ExistingDirectoryDraft {
            directory_id: of.required("directory_id", self.directory_id)?,
            directory_type: of.required("directory_type", self.directory_type)?,
            alias: of.required("alias", self.alias)?,
            region: of.required("region", self.region)?,
            additional_regions: self.additional_regions.unwrap_or_default(),
            stage: self.stage.unwrap_or_else(|| ACTIVE_STAGE.into()),
        })
    }
}

raw_object! {
    /// An encryption choice as read.
    #[derive(Deserialize)]
    #[serde(
        deny_unknown_fields,
        expecting = "an encryption choice: an object whose `type` is one of `workmail_managed_key`, `customer_managed_key`"
    )]
    struct RawEncryption, fields ENCRYPTION_FIELDS {
        type: EncryptionType,
        kms_key_arn: S,
    }
}

object_type! {
    /// The `type` of an encryption choice.
    enum EncryptionType {
        WorkMailManagedKey = "workmail_managed_key", allowing &[];
        CustomerManagedKey = "customer_managed_key", allowing ENCRYPTION_FIELDS;
    }
}

impl<S> TryFrom<RawEncryption<S>> for EncryptionDraft<S> {
    type Error = ShapeError;

    fn try_from(raw: RawEncryption<S>) -> Result<Self, ShapeError> {
        let of = raw.kind.of().allowing(raw.given())?;
        Ok(match raw.kind {
            EncryptionType::WorkMailManagedKey => EncryptionDraft::WorkMailManagedKey,
            EncryptionType::CustomerManagedKey => EncryptionDraft::CustomerManagedKey {
                kms_key_arn: of.required("kms_key_arn", raw.kms_key_arn)?,
            },
        })
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
        value.ok_or_else(|| self.missing(field))
    }

    fn missing(self, field: &'static str) -> ShapeError {
        ShapeError::Missing { field, of: self }
    }

    fn not_allowed(self, field: &'static str) -> ShapeError {
        ShapeError::NotAllowed { field, of: self }
    }

    /// The type, unless one of the `given` fields is one it does not allow: then the error
    /// for the first such field.
    fn allowing(
        self,
        mut given: impl Iterator<Item = (&'static str, bool)>,
    ) -> Result<Self, ShapeError> {
        match given.find(|&(field, set)| set && !self.allowed.contains(&field)) {
            Some((field, _)) => Err(self.not_allowed(field)),
            None => Ok(self),
        }
    }
}
