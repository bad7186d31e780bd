//! Small character-level checks shared by the identifier types.

use crate::id::{ParseError, ParseErrorKind};
use crate::Rule;

/// The character count of `input` when it is far too long for a value of at most `max`
/// characters: more than four bytes per allowed character, so surely over `max` whatever it
/// holds. Checked before any character-by-character work, so a huge input is rejected at once
/// while an input just over the limit still gets the more precise character errors.
pub(crate) fn overlong(input: &str, max: usize) -> Option<usize> {
    (input.len() > max.saturating_mul(4)).then(|| input.chars().count())
}

/// Whether `input` is `prefix` and exactly `digits` lower-case hex digits: the fast
/// acceptance of [`prefixed_lower_hex`], one pass over the bytes.
pub(crate) fn is_prefixed_lower_hex(input: &str, prefix: &str, digits: usize) -> bool {
    input.len() == prefix.len() + digits
        && input
            .as_bytes()
            .strip_prefix(prefix.as_bytes())
            .is_some_and(all_lower_hex)
}

/// Checks `PREFIX` followed by exactly `digits` lower-case hex digits (directory and
/// organization ids).
pub(crate) fn prefixed_lower_hex(
    input: &str,
    prefix: &'static str,
    digits: usize,
    rule: Rule,
) -> Result<(), ParseError> {
    let fail = |kind| Err(ParseError::new(rule, kind, input));
    let len = prefix.len() + digits;
    if let Some(actual) = overlong(input, len) {
        return fail(ParseErrorKind::Length {
            min: len,
            max: len,
            actual,
        });
    }
    let Some(rest) = input.strip_prefix(prefix) else {
        return fail(ParseErrorKind::MissingPrefix { expected: prefix });
    };
    if let Some((offset, character)) = rest.chars().enumerate().find(|&(_, c)| !is_lower_hex(c)) {
        return fail(ParseErrorKind::Character {
            character,
            position: prefix.len() + offset,
            allowed: "lower-case hex digits 0-9 and a-f only after the prefix",
        });
    }
    exact_len(input, len, rule)
}

/// Checks that an ASCII value has exactly `len` characters.
pub(crate) fn exact_len(input: &str, len: usize, rule: Rule) -> Result<(), ParseError> {
    if input.len() == len {
        Ok(())
    } else {
        Err(ParseError::new(
            rule,
            ParseErrorKind::Length {
                min: len,
                max: len,
                actual: input.chars().count(),
            },
            input,
        ))
    }
}

/// Finds the first character that `allowed` rejects, with its character position.
pub(crate) fn first_invalid(input: &str, allowed: impl Fn(char) -> bool) -> Option<(usize, char)> {
    input.chars().enumerate().find(|&(_, c)| !allowed(c))
}

pub(crate) fn is_lower_hex(c: char) -> bool {
    matches!(c, '0'..='9' | 'a'..='f')
}

/// Whether every byte is a lower-case hex digit: without early exit, so the compiler can
/// check many bytes at once.
pub(crate) fn all_lower_hex(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |ok, &b| {
        ok & ((b.wrapping_sub(b'0') < 10) | (b.wrapping_sub(b'a') < 6))
    })
}

/// The text of a fixed-length ASCII identifier, kept inline: no allocation to make or
/// clone one. Only ever built from validated ASCII.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Ascii<const N: usize>([u8; N]);

impl<const N: usize> Ascii<N> {
    /// Copies `text`, which the caller validated: ASCII of exactly `N` bytes.
    pub(crate) fn new(text: &str) -> Self {
        let mut bytes = [0; N];
        bytes.copy_from_slice(text.as_bytes());
        debug_assert!(text.is_ascii());
        Ascii(bytes)
    }

    pub(crate) fn as_str(&self) -> &str {
        // Built from a `&str` of exactly these bytes, so always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl<const N: usize> std::hash::Hash for Ascii<N> {
    /// Hashes as the text does.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl<const N: usize> std::fmt::Debug for Ascii<N> {
    /// Debugs as the text does.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_ascii_keeps_the_text() {
        let id = Ascii::<12>::new("d-1234567890");
        assert_eq!(id.as_str(), "d-1234567890");
        assert_eq!(format!("{id:?}"), "\"d-1234567890\"");
        assert!(Ascii::<3>::new("abc") < Ascii::<3>::new("abd"));
        assert!(is_prefixed_lower_hex("d-0123456789", "d-", 10));
        assert!(!is_prefixed_lower_hex("d-012345678A", "d-", 10));
        assert!(!is_prefixed_lower_hex("d-012345678", "d-", 10));
        assert!(all_lower_hex(b"0123456789abcdef"));
        for b in (0..=255u8).filter(|b| !b"0123456789abcdef".contains(b)) {
            assert!(!all_lower_hex(&[b'0', b]), "{b}");
        }
    }

    #[test]
    fn overlong_only_fires_beyond_four_bytes_per_character() {
        assert_eq!(overlong(&"x".repeat(48), 12), None);
        assert_eq!(overlong(&"x".repeat(49), 12), Some(49));
        // Four-byte characters: 13 of them are 52 bytes, surely more than 12 characters.
        assert_eq!(overlong(&"😀".repeat(13), 12), Some(13));
        assert_eq!(overlong("", usize::MAX), None);
    }
}
