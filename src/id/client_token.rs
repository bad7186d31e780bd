//! Idempotency tokens.

use crate::id::scan::{first_invalid, overlong};
use crate::id::{ParseError, ParseErrorKind};
use crate::text::string_type;
use crate::Rule;

/// The most characters of a client token (API model).
pub const MAX_CLIENT_TOKEN_LEN: usize = 128;

/// An idempotency token for `CreateOrganization`: 1 to 128 printable ASCII characters
/// (`0x21` to `0x7E`; no spaces).
///
/// ```
/// use workmail_org::ClientToken;
/// let token: ClientToken = "create-acme-1".parse()?;
/// assert_eq!(token.as_str(), "create-acme-1");
/// assert!("two words".parse::<ClientToken>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientToken(Box<str>);

impl ClientToken {
    /// Parses a client token.
    ///
    /// # Errors
    /// [`Rule::ClientTokenLength`] for `""` or 129 characters;
    /// [`Rule::ClientTokenCharacter`] for a space, a control character or non-ASCII.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        if (1..=MAX_CLIENT_TOKEN_LEN).contains(&input.len())
            && input.bytes().all(|b| (b'!'..=b'~').contains(&b))
        {
            return Ok(ClientToken(input.into()));
        }
        let length_error = |actual| {
            ParseError::new(
                Rule::ClientTokenLength,
                ParseErrorKind::Length {
                    min: 1,
                    max: MAX_CLIENT_TOKEN_LEN,
                    actual,
                },
                input,
            )
        };
        if let Some(actual) = overlong(input, MAX_CLIENT_TOKEN_LEN) {
            return Err(length_error(actual));
        }
        if let Some((position, character)) = first_invalid(input, |c| ('!'..='~').contains(&c)) {
            return Err(ParseError::new(
                Rule::ClientTokenCharacter,
                ParseErrorKind::Character {
                    character,
                    position,
                    allowed: "printable ASCII 0x21 to 0x7E only",
                },
                input,
            ));
        }
        // Every character is ASCII by now: bytes are characters.
        if input.is_empty() || input.len() > MAX_CLIENT_TOKEN_LEN {
            return Err(length_error(input.len()));
        }
        Ok(ClientToken(input.into()))
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_type!(ClientToken, "a client token of printable ASCII");
