//! How the JSON format is read: the machinery the drafts' readers share.
//!
//! Each tagged object (a domain entry, a directory, an encryption choice) is read by serde's
//! derive into a flat `Raw*` struct, declared beside its draft with [`raw_object!`]: `type`
//! is a plain field, the other fields are `Option`s and unknown fields are refused. Flat
//! structs keep the path of every value, which `serde_path_to_error` loses inside internally
//! tagged enums. `TryFrom` then checks what the derive cannot: which fields the object's
//! `type` allows (the first given field it does not allow is refused), then which it
//! requires. Values stay text; [`validate`](super::OrganizationDraft::validate) checks them.
//! (The organization itself has no `type`: [`OrganizationDraft`](super::OrganizationDraft)
//! derives its own reader.)

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

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
        #[serde(bound(deserialize = "S: ::serde::Deserialize<'de>"))]
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
            fn of(self) -> $crate::spec::raw::Of {
                match self {
                    $($name::$variant => $crate::spec::raw::Of::new($text, $allowed),)+
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                // A `match` on the names, which compiles to comparisons with constants.
                $crate::spec::raw::tag(deserializer, &[$($text),+], |name| match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                })
            }
        }
    };
}

pub(super) use {object_type, raw_object};

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
    /// A string, as `String` reads one (and with its message for any other type).
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

            // UTF-8 bytes, as `String` takes them from a format that writes text so.
            fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Text<'de>, E> {
                std::str::from_utf8(v)
                    .map(|text| Text(Cow::Borrowed(text)))
                    .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Text<'de>, E> {
                std::str::from_utf8(v)
                    .map(|text| Text(Cow::Owned(text.to_owned())))
                    .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
            }

            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Text<'de>, E> {
                String::from_utf8(v)
                    .map(|text| Text(Cow::Owned(text)))
                    .map_err(|err| E::invalid_value(de::Unexpected::Bytes(err.as_bytes()), &self))
            }
        }

        deserializer.deserialize_str(TextVisitor)
    }
}

/// Reads a `type`: the value `find` gives for its name, one of `names`. A string, as serde's
/// derive reads a unit variant, but a value of another JSON type is named too (serde_json's
/// enum reader says only "expected value" for it).
pub(super) fn tag<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    names: &'static [&'static str],
    find: fn(&str) -> Option<T>,
) -> Result<T, D::Error> {
    struct Tag<T> {
        names: &'static [&'static str],
        find: fn(&str) -> Option<T>,
    }

    impl<T> Visitor<'_> for Tag<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("one of ")?;
            list(f, self.names)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.find)(v).ok_or_else(|| E::unknown_variant(v, self.names))
        }
    }

    deserializer.deserialize_str(Tag { names, find })
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
    pub(super) fn fields(&self) -> Vec<&'static str> {
        let typed = (!self.name.is_empty()).then_some("type");
        typed
            .into_iter()
            .chain(self.allowed.iter().copied())
            .collect()
    }

    pub(super) fn new(name: &'static str, allowed: &'static [&'static str]) -> Self {
        Of { name, allowed }
    }

    /// An object without a `type`.
    pub(super) fn untyped(allowed: &'static [&'static str]) -> Self {
        Of { name: "", allowed }
    }

    pub(super) fn required<T>(
        self,
        field: &'static str,
        value: Option<T>,
    ) -> Result<T, ShapeError> {
        value.ok_or_else(|| self.missing(field))
    }

    pub(super) fn missing(self, field: &'static str) -> ShapeError {
        ShapeError::Missing { field, of: self }
    }

    pub(super) fn not_allowed(self, field: &'static str) -> ShapeError {
        ShapeError::NotAllowed { field, of: self }
    }

    /// The type, unless one of the `given` fields is one it does not allow: then the error
    /// for the first such field.
    pub(super) fn allowing(
        self,
        mut given: impl Iterator<Item = (&'static str, bool)>,
    ) -> Result<Self, ShapeError> {
        match given.find(|&(field, set)| set && !self.allowed.contains(&field)) {
            Some((field, _)) => Err(self.not_allowed(field)),
            None => Ok(self),
        }
    }
}
