//! Small character-level checks shared by the identifier types.

use crate::id::{ParseError, ParseErrorKind};
use crate::rule::Rule;

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

/// Eight bytes at a time: each byte of a `u64` word is one byte of text (little-endian, so
/// byte `i` of the text is bits `8i..8i + 8`), and a mask has the high bit of each byte it
/// selects. The comparisons assume ASCII bytes (high bit clear); a word with any other byte
/// must be refused through [`HIGH`] before its masks mean anything.
pub(crate) mod swar {
    /// Every byte 1.
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    /// The high bit of every byte.
    pub(crate) const HIGH: u64 = ONES << 7;

    /// The bytes of `word` (all ASCII) that are at least `low`.
    #[inline(always)]
    fn at_least(word: u64, low: u8) -> u64 {
        // No byte carries into the next: an ASCII byte plus at most 0x80 stays below 0x100.
        word.wrapping_add(ONES * u64::from(0x80 - low)) & HIGH
    }

    /// The bytes of `word` (all ASCII) from `low` to `high`, both included.
    #[inline(always)]
    pub(crate) fn in_range(word: u64, low: u8, high: u8) -> u64 {
        at_least(word, low) & !at_least(word, high + 1)
    }

    /// The first `n` bytes of a word (all eight from `n = 8` on).
    #[inline(always)]
    pub(crate) fn first(n: usize) -> u64 {
        if n >= 8 {
            HIGH
        } else {
            HIGH & ((1 << (8 * n)) - 1)
        }
    }

    /// The word at byte `at` of `buffer`, which has eight bytes from there.
    #[inline(always)]
    pub(crate) fn word(buffer: &[u8], at: usize) -> u64 {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(&buffer[at..at + 8]);
        u64::from_le_bytes(bytes)
    }
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

/// A text value whose only rules are a length and a character set (API model: `min`, `max`
/// and a pattern `[SET]+` or `[SET]*`): the one check of the export job's fields.
pub(crate) struct Charset {
    pub(crate) min: usize,
    pub(crate) max: usize,
    pub(crate) length: Rule,
    pub(crate) character: Rule,
    pub(crate) allowed: fn(char) -> bool,
    pub(crate) allowed_text: &'static str,
}

impl Charset {
    /// Checks `input`: far too long first (by bytes), then the first character outside the
    /// set, then the length in characters.
    pub(crate) fn check(&self, input: &str) -> Result<(), ParseError> {
        let length = |actual| {
            ParseError::new(
                self.length,
                ParseErrorKind::Length {
                    min: self.min,
                    max: self.max,
                    actual,
                },
                input,
            )
        };
        if let Some(actual) = overlong(input, self.max) {
            return Err(length(actual));
        }
        if let Some((position, character)) = first_invalid(input, self.allowed) {
            return Err(ParseError::new(
                self.character,
                ParseErrorKind::Character {
                    character,
                    position,
                    allowed: self.allowed_text,
                },
                input,
            ));
        }
        let actual = input.chars().count();
        if !(self.min..=self.max).contains(&actual) {
            return Err(length(actual));
        }
        Ok(())
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
    fn swar_ranges_and_masks_agree_with_bytes() {
        let text = *b"aZ09-./\x00";
        let word = swar::word(&text, 0);
        let bytes =
            |mask: u64| -> Vec<bool> { (0..8).map(|i| mask >> (8 * i + 7) & 1 == 1).collect() };
        let expect = |f: fn(u8) -> bool| -> Vec<bool> { text.iter().map(|&b| f(b)).collect() };
        assert_eq!(
            bytes(swar::in_range(word, b'0', b'9')),
            expect(|b| b.is_ascii_digit())
        );
        assert_eq!(
            bytes(swar::in_range(word, b'A', b'Z')),
            expect(|b| b.is_ascii_uppercase())
        );
        assert_eq!(
            bytes(swar::in_range(word, b'-', b'.')),
            expect(|b| b == b'-' || b == b'.')
        );
        assert_eq!(swar::first(0), 0);
        assert_eq!(
            bytes(swar::first(3)),
            [true, true, true, false, false, false, false, false]
        );
        assert_eq!(swar::first(8), swar::HIGH);
        assert_eq!(swar::first(9), swar::HIGH);
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
