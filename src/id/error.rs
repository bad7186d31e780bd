//! The error every validating constructor returns.

use std::fmt;

use crate::rule::Rule;
use crate::text::{debug_as_display, shown};

/// A value was rejected by a validating constructor (`FromStr`, `TryFrom`, `Deserialize`).
///
/// It names the rule that failed ([`rule`](Self::rule), with a stable id and AWS error code),
/// what exactly was wrong ([`kind`](Self::kind)) and the rejected input, shown escaped and
/// shortened: control and other unprintable characters are escaped, and input over
/// 64 characters is cut, so a message is always one short, safe line.
///
/// The message reads `SUBJECT "INPUT": PROBLEM`, lower-case and without a trailing period;
/// `Debug` shows the same message, so a failed `unwrap` is legible.
///
/// ```
/// use workmail_org::{OrganizationAlias, id::ParseErrorKind, Rule};
///
/// let err = "acme_corp".parse::<OrganizationAlias>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "organization alias \"acme_corp\": character '_' at position 4 is not allowed \
///      (ASCII letters, digits and single hyphens only)"
/// );
/// assert_eq!(err.rule(), Rule::AliasCharacter);
/// assert!(matches!(err.kind(), ParseErrorKind::Character { character: '_', position: 4, .. }));
/// ```
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} \"{input}\": {kind}", rule.subject())]
pub struct ParseError {
    rule: Rule,
    kind: ParseErrorKind,
    input: Box<str>,
}

/// What exactly was wrong with a rejected value.
///
/// Positions count characters (not bytes) from 0. New kinds may be added, so the enum is
/// `#[non_exhaustive]`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The value's length, in characters, is outside `min..=max`.
    Length {
        /// The fewest characters allowed.
        min: usize,
        /// The most characters allowed.
        max: usize,
        /// How many characters the value has.
        actual: usize,
    },
    /// A character that is not allowed where it stands.
    Character {
        /// The offending character.
        character: char,
        /// Its position, counted in characters from 0.
        position: usize,
        /// What is allowed instead.
        allowed: &'static str,
    },
    /// A hyphen where hyphens are not allowed.
    Hyphen {
        /// The hyphen's position, counted in characters from 0.
        position: usize,
        /// Which placement rule it breaks.
        place: HyphenPlace,
    },
    /// The value starts with a prefix that is reserved.
    ReservedPrefix {
        /// The prefix as the value spells it, e.g. `"D-"`.
        prefix: Box<str>,
    },
    /// The value does not start with the prefix it must have.
    MissingPrefix {
        /// The prefix required, e.g. `"d-"`.
        expected: &'static str,
    },
    /// A domain name with fewer than two labels.
    LabelCount {
        /// How many labels it has.
        actual: usize,
    },
    /// A domain label that is empty or longer than 63 characters.
    LabelLength {
        /// The label's index, counted from 0 from the left.
        label: usize,
        /// Its length in characters (of its ASCII form).
        actual: usize,
        /// The most characters a label may have.
        max: usize,
    },
    /// The last label of a domain name is all digits.
    NumericTopLevel,
    /// IDNA (UTS 46) processing rejected the name: a disallowed, unassigned or invalid
    /// character, an invalid Punycode label, a Unicode label with hyphens as its third and
    /// fourth characters, or a bidirectional-text or joiner violation.
    Idna,
    /// The value is well-formed but names something outside the allowed set (a Region).
    NotSupported {
        /// What is allowed, e.g. `"us-east-1, us-west-2, eu-west-1"`.
        allowed: &'static str,
    },
    /// One part of a structured value (an ARN) is wrong.
    Part {
        /// Which part, e.g. `"partition"` or `"region"`.
        part: &'static str,
        /// The part as found, escaped and shortened like the input.
        found: Box<str>,
        /// What the part must be.
        expected: &'static str,
    },
}

/// Where a misplaced hyphen stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HyphenPlace {
    /// First character of the value.
    Start,
    /// Last character of the value.
    End,
    /// Right after another hyphen.
    Doubled,
    /// First character of a domain label.
    LabelStart,
    /// Last character of a domain label.
    LabelEnd,
    /// Third character of a domain label whose fourth is a hyphen too: such labels are
    /// reserved, only A-labels (`xn--…`) may have them. The position is the first of the two.
    LabelThirdAndFourth,
}

debug_as_display!(ParseError);

impl ParseError {
    pub(crate) fn new(rule: Rule, kind: ParseErrorKind, input: &str) -> Self {
        ParseError {
            rule,
            kind,
            input: shown(input),
        }
    }

    /// The rule that failed; its [`id`](Rule::id) and [`code`](Rule::code) are stable.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// What exactly was wrong.
    pub fn kind(&self) -> &ParseErrorKind {
        &self.kind
    }

    /// The rejected input as the message shows it: escaped, and cut after 64 characters.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseErrorKind::Length { min, max, actual } if min == max => {
                write!(f, "must be exactly {min} characters long, found {actual}")
            }
            ParseErrorKind::Length { min, max, actual } => {
                write!(f, "must be {min} to {max} characters long, found {actual}")
            }
            ParseErrorKind::Character {
                character,
                position,
                allowed,
            } => {
                // Shown between single quotes: a double quote needs no escape.
                let shown: String = if *character == '"' {
                    "\"".into()
                } else {
                    character.escape_debug().collect()
                };
                write!(
                    f,
                    "character '{shown}' at position {position} is not allowed ({allowed})"
                )
            }
            ParseErrorKind::Hyphen { position, place } => {
                let rule = match place {
                    HyphenPlace::Start => "it cannot start with a hyphen",
                    HyphenPlace::End => "it cannot end with a hyphen",
                    HyphenPlace::Doubled => "hyphens must be single",
                    HyphenPlace::LabelStart => "a label cannot start with a hyphen",
                    HyphenPlace::LabelEnd => "a label cannot end with a hyphen",
                    HyphenPlace::LabelThirdAndFourth => {
                        "a label with hyphens as its third and fourth characters is reserved, \
                         unless it starts with xn--"
                    }
                };
                write!(f, "hyphen at position {position} is not allowed ({rule})")
            }
            ParseErrorKind::ReservedPrefix { prefix } => write!(
                f,
                "the prefix \"{prefix}\" is reserved for directory ids (in either case)"
            ),
            ParseErrorKind::MissingPrefix { expected } => {
                write!(f, "must start with \"{expected}\"")
            }
            ParseErrorKind::LabelCount { actual } => write!(
                f,
                "must have at least two labels separated by dots, found {actual}"
            ),
            ParseErrorKind::LabelLength {
                label, actual: 0, ..
            } => {
                write!(
                    f,
                    "label {label} is empty (labels are separated by single dots)"
                )
            }
            ParseErrorKind::LabelLength { label, actual, max } => write!(
                f,
                "label {label} is {actual} characters long (at most {max} allowed)"
            ),
            ParseErrorKind::NumericTopLevel => f.write_str("the last label must not be all digits"),
            ParseErrorKind::Idna => {
                f.write_str("is not a valid internationalized domain name (IDNA UTS 46 rejects it)")
            }
            ParseErrorKind::NotSupported { allowed } => {
                write!(f, "is not supported (allowed: {allowed})")
            }
            ParseErrorKind::Part {
                part,
                found,
                expected,
            } => write!(f, "{part} \"{found}\" is not allowed (expected {expected})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_reads_like_the_message() {
        let err = ParseError::new(
            Rule::AccountIdFormat,
            ParseErrorKind::Length {
                min: 12,
                max: 12,
                actual: 3,
            },
            "123",
        );
        assert_eq!(
            format!("{err:?}"),
            "ParseError(\"account id \\\"123\\\": must be exactly 12 characters long, found 3\")"
        );
    }
}
