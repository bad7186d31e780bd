//! Small character-level checks shared by the identifier types.

use crate::error::{ParseError, ParseErrorKind};
use crate::Rule;

/// Checks `PREFIX` followed by exactly `digits` lower-case hex digits (directory and
/// organization ids).
pub(crate) fn prefixed_lower_hex(
    input: &str,
    prefix: &'static str,
    digits: usize,
    rule: Rule,
) -> Result<(), ParseError> {
    let fail = |kind| Err(ParseError::new(rule, kind, input));
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
    exact_len(input, prefix.len() + digits, rule)
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
