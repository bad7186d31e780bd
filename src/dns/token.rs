//! The tokens AWS issues for a mail domain: the SES verification token and the DKIM tokens.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::id::{HyphenPlace, ParseError, ParseErrorKind};
use crate::rule::Rule;
use crate::text::{debug_as_display, shown, string_type};

/// The most characters of a [`VerificationToken`]: the limit of the GetMailDomain `Value` it
/// arrives in (WorkMail API, `DnsRecord`).
pub const MAX_VERIFICATION_TOKEN_LEN: usize = 256;

/// The most characters of a [`DkimToken`]: DNS allows 253 characters in a name (RFC 1035),
/// a mail domain has at most 209, and `._domainkey.` takes 12, which leaves 32. Amazon SES
/// Easy DKIM tokens have exactly 32.
pub const MAX_DKIM_TOKEN_LEN: usize = 32;

/// The most DKIM tokens one domain may have (decision: Amazon SES Easy DKIM issues three; the
/// limit keeps every check linear in what the resolver returned).
pub const MAX_DKIM_TOKENS: usize = 10;

const BASE64: &str = "base64 only: letters, digits, '+' and '/', then at most two '=' of padding";
const LABEL: &str = "letters, digits and hyphens only";

/// The Amazon SES domain verification token: the value of the TXT record at
/// `_amazonses.DOMAIN` that proves the domain is yours.
///
/// It is base64 (RFC 4648: `A-Z a-z 0-9 + /`, then at most two `=` of padding) with 1 to 256
/// characters (the limit of the `GetMailDomain` `Value` it arrives in). The token is
/// case-sensitive: equality is exact, and the DNS check accepts only the exact text. It is
/// compared as text, never decoded, so the length need not be a multiple of four.
///
/// ```
/// use workmail_org::dns::VerificationToken;
/// use workmail_org::Rule;
///
/// let token: VerificationToken = "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=".parse()?;
/// assert_eq!(token.as_str(), "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=");
/// assert_ne!(token, "PMBGN/7MJNFHTKUZ06ENQQ1PEGUAOKW8LGHCFWEFCHU=".parse()?);
///
/// let err = "pmBGN 7Mj".parse::<VerificationToken>().unwrap_err();
/// assert_eq!(err.rule(), Rule::DnsVerificationToken);
/// assert_eq!(
///     err.to_string(),
///     "ses verification token \"pmBGN 7Mj\": character ' ' at position 5 is not allowed \
///      (base64 only: letters, digits, '+' and '/', then at most two '=' of padding)"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VerificationToken(Box<str>);

impl VerificationToken {
    /// Parses a verification token.
    ///
    /// # Errors
    /// A [`ParseError`] for [`Rule::DnsVerificationToken`]: `""` or 257 characters (length),
    /// `"ab cd"` or `"ab\"cd"` (a character outside base64), `"ab=cd"` (padding before the
    /// end) or `"ab==="` (three `=`).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let fail = |kind| ParseError::new(Rule::DnsVerificationToken, kind, input);
        if input.is_empty() || input.len() > MAX_VERIFICATION_TOKEN_LEN {
            let actual = input.chars().count();
            if !(1..=MAX_VERIFICATION_TOKEN_LEN).contains(&actual) {
                return Err(fail(ParseErrorKind::Length {
                    min: 1,
                    max: MAX_VERIFICATION_TOKEN_LEN,
                    actual,
                }));
            }
        }
        // Everything after the body is `=`; positions before the first non-ASCII character
        // count bytes and characters alike.
        let body_len = input.trim_end_matches('=').len();
        let padding_ok = body_len > 0 && input.len() - body_len <= 2;
        for (position, character) in input.chars().enumerate() {
            let ok = if position < body_len {
                character.is_ascii_alphanumeric() || character == '+' || character == '/'
            } else {
                padding_ok
            };
            if !ok {
                return Err(fail(ParseErrorKind::Character {
                    character,
                    position,
                    allowed: BASE64,
                }));
            }
        }
        Ok(VerificationToken(input.into()))
    }

    /// The token, exactly as issued.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_type!(VerificationToken, "an SES verification token string");

/// An Amazon SES DKIM token: `TOKEN._domainkey.DOMAIN` must be a CNAME to
/// `TOKEN.dkim.amazonses.com`.
///
/// A token is one DNS label: 1 to 32 ASCII letters, digits and hyphens, not starting or ending
/// with a hyphen (RFC 1035, RFC 1123). 32 is what keeps `TOKEN._domainkey.DOMAIN` within
/// DNS's 253 characters for every mail domain (at most 209), and what SES issues. Names in DNS
/// ignore case, so the token is kept in lower case.
///
/// ```
/// use workmail_org::dns::DkimToken;
///
/// let token: DkimToken = "EKES3ZS2uqbrswnhnd5wlnzl3u6hkcxd".parse()?;
/// assert_eq!(token.as_str(), "ekes3zs2uqbrswnhnd5wlnzl3u6hkcxd");
/// assert!("a.b".parse::<DkimToken>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DkimToken(Box<str>);

impl DkimToken {
    /// Parses a DKIM token, lower-casing it.
    ///
    /// # Errors
    /// A [`ParseError`] for [`Rule::DnsDkimToken`]: `""` or 33 characters (length), `"a.b"`
    /// or `"a_b"` (a character outside a label), `"-ab"` or `"ab-"` (a hyphen at either end).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let fail = |kind| ParseError::new(Rule::DnsDkimToken, kind, input);
        if input.is_empty() || input.len() > MAX_DKIM_TOKEN_LEN {
            let actual = input.chars().count();
            if !(1..=MAX_DKIM_TOKEN_LEN).contains(&actual) {
                return Err(fail(ParseErrorKind::Length {
                    min: 1,
                    max: MAX_DKIM_TOKEN_LEN,
                    actual,
                }));
            }
        }
        if let Some((position, character)) = input
            .chars()
            .enumerate()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-'))
        {
            return Err(fail(ParseErrorKind::Character {
                character,
                position,
                allowed: LABEL,
            }));
        }
        // ASCII from here: byte positions are character positions.
        let hyphen = if input.starts_with('-') {
            Some((0, HyphenPlace::Start))
        } else if input.ends_with('-') {
            Some((input.len() - 1, HyphenPlace::End))
        } else {
            None
        };
        if let Some((position, place)) = hyphen {
            return Err(fail(ParseErrorKind::Hyphen { position, place }));
        }
        Ok(DkimToken(input.to_ascii_lowercase().into_boxed_str()))
    }

    /// The token in lower case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_type!(DkimToken, "a DKIM token string");

/// The tokens AWS issued for one mail domain: the SES verification token and the DKIM tokens
/// (none, or up to [`MAX_DKIM_TOKENS`], each once, in AWS's order).
///
/// Read them from a `GetMailDomain` response with
/// [`GetMailDomainResponse::listed_records`](crate::aws::GetMailDomainResponse::listed_records),
/// or build them from stored parts. Serde reads and writes
/// `{"verification": "...", "dkim": ["...", ...]}` and re-validates when reading.
///
/// ```
/// use workmail_org::dns::DomainTokens;
///
/// let tokens = DomainTokens::new(
///     "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=".parse()?,
///     vec!["ekes3zs2uqbrswnhnd5wlnzl3u6hkcxd".parse()?],
/// )?;
/// assert_eq!(tokens.dkim().len(), 1);
///
/// let twice = vec!["abc".parse()?, "ABC".parse()?];
/// let err = DomainTokens::new(tokens.verification().clone(), twice).unwrap_err();
/// assert_eq!(err.to_string(), "dkim tokens: \"abc\" is listed twice");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawTokens")]
pub struct DomainTokens {
    verification: VerificationToken,
    dkim: Vec<DkimToken>,
}

impl DomainTokens {
    /// The tokens of one domain.
    ///
    /// # Errors
    /// [`TokensError`] if there are more than [`MAX_DKIM_TOKENS`] DKIM tokens or one is
    /// listed twice.
    pub fn new(verification: VerificationToken, dkim: Vec<DkimToken>) -> Result<Self, TokensError> {
        if dkim.len() > MAX_DKIM_TOKENS {
            return Err(TokensError::TooMany {
                max: MAX_DKIM_TOKENS,
                actual: dkim.len(),
            });
        }
        // At most 10 tokens: the quadratic scan is bounded.
        for (index, token) in dkim.iter().enumerate() {
            if dkim[..index].contains(token) {
                return Err(TokensError::Duplicate {
                    token: token.clone(),
                });
            }
        }
        Ok(DomainTokens { verification, dkim })
    }

    /// The SES verification token.
    pub fn verification(&self) -> &VerificationToken {
        &self.verification
    }

    /// The DKIM tokens, in AWS's order.
    pub fn dkim(&self) -> &[DkimToken] {
        &self.dkim
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTokens {
    verification: VerificationToken,
    #[serde(default)]
    dkim: Vec<DkimToken>,
}

impl TryFrom<RawTokens> for DomainTokens {
    type Error = TokensError;
    fn try_from(raw: RawTokens) -> Result<Self, Self::Error> {
        DomainTokens::new(raw.verification, raw.dkim)
    }
}

/// A domain's tokens cannot be had: the DKIM tokens of a [`DomainTokens`] are too many or
/// one is listed twice, or the records of a `GetMailDomain` response do not hold them as
/// [`GetMailDomainResponse::listed_records`](crate::aws::GetMailDomainResponse::listed_records)
/// reads them.
///
/// These are not errors in the response's shape (those are
/// [`ResponseError`](crate::aws::ResponseError)s, found while reading it): the response is
/// well-formed, and its records do not give the domain's tokens. A variant about a record
/// names it as the API does, `Records[2].Value`.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokensError {
    /// More than [`MAX_DKIM_TOKENS`] DKIM tokens (given, or listed in `Records`).
    #[error("dkim tokens: {actual} given (at most {max} allowed)")]
    TooMany {
        /// The most allowed.
        max: usize,
        /// How many were given.
        actual: usize,
    },
    /// The same token twice (compared in lower case).
    #[error("dkim tokens: \"{}\" is listed twice", shown(token.as_str()))]
    Duplicate {
        /// The token listed twice.
        token: DkimToken,
    },
    /// No TXT record at `_amazonses.DOMAIN` in `Records`: the response holds no verification
    /// token.
    #[error(
        "Records: no TXT record at \"{}\" holds the ownership verification token",
        shown(hostname)
    )]
    NoVerificationToken {
        /// The host name looked for, `_amazonses.DOMAIN`.
        hostname: Box<str>,
    },
    /// Two ownership TXT records in `Records` with different tokens.
    #[error(
        "Records[{second}].Value: a second ownership verification token, different from the one in Records[{first}]"
    )]
    ConflictingVerificationTokens {
        /// The index of the record with the first token.
        first: usize,
        /// The index of the record with the other token.
        second: usize,
    },
    /// A token in `Records` is not valid: the SES token in a `Value`, or a DKIM token at the
    /// start of a `Hostname`.
    #[error("{field}: {error}")]
    InvalidToken {
        /// The field, e.g. `Records[1].Hostname`.
        field: Box<str>,
        /// Why the token is not valid.
        error: ParseError,
    },
}

debug_as_display!(TokensError);

impl fmt::Display for DomainTokens {
    /// `verification VERIFICATION, dkim A, B, C`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "verification {}, dkim {}",
            self.verification,
            crate::text::Listed::all(&self.dkim)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_only_at_the_end_and_at_most_two() {
        assert!(VerificationToken::parse("ab==").is_ok());
        assert!(VerificationToken::parse("abc=").is_ok());
        assert!(VerificationToken::parse("abcd").is_ok());
        let err = VerificationToken::parse("ab===").unwrap_err();
        assert!(matches!(
            err.kind(),
            ParseErrorKind::Character {
                character: '=',
                position: 2,
                ..
            }
        ));
        let err = VerificationToken::parse("a=b").unwrap_err();
        assert!(matches!(
            err.kind(),
            ParseErrorKind::Character {
                character: '=',
                position: 1,
                ..
            }
        ));
        let err = VerificationToken::parse("=").unwrap_err();
        assert!(matches!(
            err.kind(),
            ParseErrorKind::Character { position: 0, .. }
        ));
    }
}
