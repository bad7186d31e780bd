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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlong_only_fires_beyond_four_bytes_per_character() {
        assert_eq!(overlong(&"x".repeat(48), 12), None);
        assert_eq!(overlong(&"x".repeat(49), 12), Some(49));
        // Four-byte characters: 13 of them are 52 bytes, surely more than 12 characters.
        assert_eq!(overlong(&"😀".repeat(13), 12), Some(13));
        assert_eq!(overlong("", usize::MAX), None);
    }
}
