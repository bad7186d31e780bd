//! Idempotency tokens.

use crate::id::inline::ShortStr;
use crate::id::scan::{first_invalid, overlong};
use crate::id::{ParseError, ParseErrorKind};
use crate::rule::Rule;
use crate::text::string_type;

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
///
/// A token of up to 38 characters (a UUID has 36) is kept inline: making or cloning one does
/// not allocate.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientToken(ShortStr<38>);

impl ClientToken {
    /// Parses a client token.
    ///
    /// # Errors
    /// [`Rule::ClientTokenLength`] for `""` or 129 characters;
    /// [`Rule::ClientTokenCharacter`] for a space, a control character or non-ASCII.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        if (1..=MAX_CLIENT_TOKEN_LEN).contains(&input.len()) && is_printable(input.as_bytes()) {
            return Ok(ClientToken(ShortStr::new(input)));
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
        Ok(ClientToken(ShortStr::new(input)))
    }

    /// The token of 128 random bits, as every store draws one for an entry whose spec has
    /// none: 32 lowercase hexadecimal digits.
    ///
    /// ```
    /// use workmail_org::ClientToken;
    /// let token = ClientToken::from_random([0xab; 16]);
    /// assert_eq!(token.as_str(), "abababababababababababababababab");
    /// ```
    pub fn from_random(bits: [u8; 16]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 32];
        for (pair, byte) in text.chunks_exact_mut(2).zip(bits) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 0xf)];
        }
        let text =
            std::str::from_utf8(&text).unwrap_or_else(|_| unreachable!("hex digits are ASCII"));
        ClientToken(ShortStr::new(text))
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Whether every byte is printable ASCII, `0x21` to `0x7E`: without early exit, so the
/// compiler can check many bytes at once.
fn is_printable(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(true, |ok, &b| ok & (b.wrapping_sub(b'!') < b'~' - b'!' + 1))
}

impl std::fmt::Debug for ClientToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ClientToken").field(&self.as_str()).finish()
    }
}

string_type!(ClientToken, "a client token of printable ASCII");
