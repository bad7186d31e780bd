//! Lenient enums for values AWS or a resolver reports: the known spellings as variants, any
//! other string kept exactly, so that nothing read is lost.

/// Declares a lenient enum: unit variants for the known spellings and `Unknown(UNKNOWN)` for
/// any other string, kept exactly as given.
///
/// `$recognize(input, known_spelling) -> bool` decides whether an input is a known spelling
/// (exact, or ignoring ASCII case). Only this crate builds the `UNKNOWN` type, so an unknown
/// value never holds a known spelling and equal inputs give equal values.
///
/// Generates `as_str`, `is_known`, `From<&str>`, `From<String>`, `FromStr` (infallible),
/// `Display`, and serde as the string (any string deserializes).
macro_rules! lenient_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $what:literal, recognized by $recognize:path {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $text:literal,
            )+
        }
        $(#[$umeta:meta])*
        pub struct $unknown:ident;
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// Any other string, exactly as given.
            Unknown($unknown),
        }

        $(#[$umeta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $unknown(Box<str>);

        impl $unknown {
            /// The exact string given.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $unknown {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl $name {
            /// The known value a string stands for, if any.
            fn recognize(input: &str) -> Option<Self> {
                $(
                    if $recognize(input, $text) {
                        return Some(Self::$variant);
                    }
                )+
                None
            }

            /// The spelling: the canonical one of a known value, or the exact string given.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Unknown(unknown) => unknown.as_str(),
                }
            }

            /// Whether the value is one this crate knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(input: &str) -> Self {
                Self::recognize(input).unwrap_or_else(|| Self::Unknown($unknown(input.into())))
            }
        }

        impl From<String> for $name {
            fn from(input: String) -> Self {
                Self::recognize(&input)
                    .unwrap_or_else(|| Self::Unknown($unknown(input.into_boxed_str())))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            /// Never fails: an unknown string is kept as [`Unknown`](Self::Unknown).
            fn from_str(input: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(input))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            /// Deserializes any string; only a non-string fails.
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", $what, " string"))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::from(v))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, v: String) -> Result<$name, E> {
                        Ok($name::from(v))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

pub(crate) use lenient_enum;

/// Exact, case-sensitive spelling.
pub(crate) fn exact(input: &str, known: &str) -> bool {
    input == known
}

/// Spelling ignoring ASCII case.
pub(crate) fn ignoring_case(input: &str, known: &str) -> bool {
    input.eq_ignore_ascii_case(known)
}
