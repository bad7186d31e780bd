//! How values become text and back, written once for the whole crate.
//!
//! - `string_type!(T, "expecting")`: the conversion family of a validated string type. It
//!   needs `T::parse(&str) -> Result<T, ParseError>` and `T::as_str(&self) -> &str`, and
//!   derives from them `FromStr`, `TryFrom<&str>`, `TryFrom<String>`, `Display`,
//!   `AsRef<str>`, `From<T> for String`, `Serialize` as the string and a `Deserialize` that
//!   re-validates through `parse`.
//! - `string_enum!`: a closed set of names (rule ids, AWS codes, states, events, ...): the
//!   enum, `ALL`, `as_str`, `Display`, `FromStr` and `TryFrom<&str>` (exact spelling, else
//!   [`UnknownNameError`]) and serde as the name. `enum T: "what", ignoring ASCII case {..}`
//!   makes `FromStr` (and so serde) accept any ASCII letter case; `as_str` stays canonical.
//!   A value as AWS or a resolver reports it is a [`Reported`](crate::Reported) of one.
//! - `debug_as_display!(T)`: `Debug` that reads like the message, so a failed `unwrap` is
//!   legible (semver's errors do the same).
//!
//!   Errors are written one way: every error type derives `thiserror::Error` (the message
//!   in `#[error(...)]`, `#[source]`/`#[from]` for causes, `#[error(transparent)]` for a
//!   wrapper that adds nothing) and takes its `Debug` from `debug_as_display!`.
//! - [`shown`] and [`Listed`]: how messages quote an input and list what is allowed.

use std::fmt;

macro_rules! string_type {
    ($ty:ty, $expecting:expr) => {
        impl ::std::str::FromStr for $ty {
            type Err = $crate::id::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty>::parse(s)
            }
        }

        impl ::std::convert::TryFrom<&str> for $ty {
            type Error = $crate::id::ParseError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                <$ty>::parse(s)
            }
        }

        impl ::std::convert::TryFrom<String> for $ty {
            type Error = $crate::id::ParseError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                <$ty>::parse(&s)
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.as_str().to_owned()
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                struct StringTypeVisitor;
                impl ::serde::de::Visitor<'_> for StringTypeVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        <$ty>::parse(v).map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(StringTypeVisitor)
            }
        }
    };
}

pub(crate) use string_type;

macro_rules! string_enum {
    (@same case; $input:expr, $text:expr) => {
        $input.eq_ignore_ascii_case($text)
    };
    (@same; $input:expr, $text:expr) => {
        $input == $text
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident: $what:literal $(, ignoring ASCII $case:ident)? {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $text:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            ///
            /// A slice rather than an array, so that a new value is not a change of type.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The exact spelling, as `Display`, `FromStr` and serde use it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::text::UnknownNameError;

            /// Parses a spelling: exact, or ignoring ASCII case where the type says so.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                const NAMES: &[&str] = &[$($text),+];
                fn same(input: &str, text: &str) -> bool {
                    $crate::text::string_enum!(@same $($case)?; input, text)
                }
                $(
                    if same(s, $text) {
                        return Ok(Self::$variant);
                    }
                )+
                Err($crate::text::UnknownNameError::new($what, s, NAMES))
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = $crate::text::UnknownNameError;

            fn try_from(s: &str) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                struct NameVisitor;
                impl ::serde::de::Visitor<'_> for NameVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", $what))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(NameVisitor)
            }
        }
    };
}

pub(crate) use string_enum;

macro_rules! debug_as_display {
    ($name:ident $(<$($generic:ident),+>)?) => {
        impl$(<$($generic),+>)? ::std::fmt::Debug for $name$(<$($generic),+>)?
        where
            Self: ::std::fmt::Display,
        {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple(stringify!($name))
                    .field(&self.to_string())
                    .finish()
            }
        }
    };
}

pub(crate) use debug_as_display;

/// How many characters of a rejected input a message repeats; the rest is cut and marked
/// with `…`.
pub(crate) const SHOWN_INPUT_CHARS: usize = 64;

/// The input as messages show it: `char::escape_debug` of at most 64 characters, then `…`,
/// so a message is always one short, safe line whatever was parsed.
pub(crate) fn shown(input: &str) -> Box<str> {
    // Most inputs are short printable ASCII that `escape_debug` leaves as it is: copied
    // whole.
    if input.len() <= SHOWN_INPUT_CHARS
        && input
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    {
        return input.into();
    }
    let mut out = String::with_capacity(input.len().min(SHOWN_INPUT_CHARS * 2) + 3);
    let mut chars = input.chars();
    for c in chars.by_ref().take(SHOWN_INPUT_CHARS) {
        // Shown between double quotes: a single quote needs no escape.
        if c == '\'' {
            out.push(c);
        } else {
            out.extend(c.escape_debug());
        }
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out.into_boxed_str()
}

/// A message written by another crate (serde's, serde_json's) made one short line, as
/// [`shown`] makes an input: each run between `"` or `` ` `` keeps at most
/// [`SHOWN_INPUT_CHARS`] characters, then `…`, and control and bidirectional characters are
/// escaped. Such
/// messages repeat what was read whole, so a megabyte-long key, or one holding a line
/// break, would otherwise come back in the message.
pub(crate) fn cut_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut quote = None;
    let mut kept = 0;
    let mut escaped = false;
    for c in message.chars() {
        match quote {
            None => {
                if c == '"' || c == '`' {
                    quote = Some(c);
                    kept = 0;
                }
                push_escaped(&mut out, c);
            }
            Some(open) => {
                let closes = c == open && !escaped;
                escaped = open == '"' && c == '\\' && !escaped;
                if closes {
                    quote = None;
                    out.push(c);
                } else if kept < SHOWN_INPUT_CHARS {
                    kept += 1;
                    push_escaped(&mut out, c);
                } else if kept == SHOWN_INPUT_CHARS {
                    kept += 1;
                    out.push('…');
                }
            }
        }
    }
    out
}

/// `c`, or its escape when [`shown`] would escape it (control and bidirectional characters,
/// ...); quotes and backslashes stay as the message wrote them.
fn push_escaped(out: &mut String, c: char) {
    if matches!(c, '"' | '\'' | '\\') {
        out.push(c);
    } else {
        out.extend(c.escape_debug());
    }
}

/// Displays items as `A, B, C`, `none` when there are none, and cuts the list with `, …`
/// after `max` items: how every message lists what is allowed or what was found.
#[derive(Clone, Copy)]
pub(crate) struct Listed<I> {
    items: I,
    max: usize,
}

impl<I> Listed<I> {
    /// Every item.
    pub(crate) fn all(items: I) -> Self {
        Listed {
            items,
            max: usize::MAX,
        }
    }

    /// At most [`LISTED_IN_MESSAGE`] items, then `…`.
    pub(crate) fn cut(items: I) -> Self {
        Listed {
            items,
            max: LISTED_IN_MESSAGE,
        }
    }
}

/// How many items a cut list shows before `…`.
pub(crate) const LISTED_IN_MESSAGE: usize = 6;

impl<I> fmt::Display for Listed<I>
where
    I: IntoIterator + Clone,
    I::Item: fmt::Display,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut any = false;
        for (index, item) in self.items.clone().into_iter().enumerate() {
            if index == self.max {
                return f.write_str(", …");
            }
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{item}")?;
            any = true;
        }
        if !any {
            f.write_str("none")?;
        }
        Ok(())
    }
}

/// A name that is not one of a closed set's spellings (a rule id, an AWS error code, an
/// organization state, ...).
///
/// The message quotes the input, escaped and cut like every input, and lists the known
/// names when there are few: `unknown organization state "active" (expected one of:
/// Requested, Creating, …)`.
///
/// ```
/// use workmail_org::Rule;
///
/// let err = "alias.nope".parse::<Rule>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown rule id \"alias.nope\"");
/// assert_eq!(err.what(), "rule id");
/// ```
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{input}\"{}", KnownNames(known))]
pub struct UnknownNameError {
    what: &'static str,
    input: Box<str>,
    known: &'static [&'static str],
}

debug_as_display!(UnknownNameError);

impl UnknownNameError {
    pub(crate) fn new(what: &'static str, input: &str, known: &'static [&'static str]) -> Self {
        UnknownNameError {
            what,
            input: shown(input),
            known,
        }
    }

    /// What kind of name was expected, e.g. `"rule id"` or `"organization state"`.
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// The rejected input as the message shows it: escaped, and cut after 64 characters.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Every known spelling.
    pub fn known(&self) -> &'static [&'static str] {
        self.known
    }
}

/// Lists the known names in a message when they fit on a line.
struct KnownNames<'a>(&'a [&'static str]);

impl fmt::Display for KnownNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.len() <= 12 {
            write!(f, " (expected one of: {})", Listed::all(self.0))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_of_other_crates_are_cut_and_escaped() {
        let long = "k".repeat(100);
        assert_eq!(
            cut_quoted(&format!("unknown field `{long}`, expected `a` at line 1")),
            format!(
                "unknown field `{}…`, expected `a` at line 1",
                "k".repeat(64)
            )
        );
        assert_eq!(
            cut_quoted("invalid type: string \"a\\\"b\u{202e}\nc\", expected x"),
            "invalid type: string \"a\\\"b\\u{202e}\\nc\", expected x"
        );
    }

    #[test]
    fn shown_escapes_and_cuts() {
        assert_eq!(&*shown("a\"b\n\u{7}"), "a\\\"b\\n\\u{7}");
        assert_eq!(&*shown("it's"), "it's");
        let long = "x".repeat(100);
        let s = shown(&long);
        assert_eq!(s.chars().count(), SHOWN_INPUT_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(&*shown(&"y".repeat(64)), "y".repeat(64));
        // The copy taken whole and the escaped one agree, character by character.
        for c in (' '..='~').chain(['\u{7f}', 'é', '\n']) {
            let input = format!("a{c}b");
            let escaped: String = if c == '\'' {
                input.clone()
            } else {
                input.chars().flat_map(char::escape_debug).collect()
            };
            assert_eq!(&*shown(&input), escaped, "{c:?}");
        }
    }

    #[test]
    fn listed_joins_cuts_and_names_none() {
        assert_eq!(Listed::all(["A", "B", "C"]).to_string(), "A, B, C");
        assert_eq!(Listed::all(["A"]).to_string(), "A");
        assert_eq!(Listed::all(<[&str; 0]>::default()).to_string(), "none");
        assert_eq!(Listed::cut(1..=8).to_string(), "1, 2, 3, 4, 5, 6, …");
        assert_eq!(Listed::cut(1..=6).to_string(), "1, 2, 3, 4, 5, 6");
    }
}
