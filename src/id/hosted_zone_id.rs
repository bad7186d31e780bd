//! Route 53 hosted zone ids.

use crate::id::inline::InlineStr;
use crate::id::scan::{first_invalid, overlong, swar};
use crate::id::{ParseError, ParseErrorKind};
use crate::rule::Rule;
use crate::text::string_type;

/// The most characters of a hosted zone id (API model).
pub const MAX_HOSTED_ZONE_ID_LEN: usize = 32;

/// The prefix Route 53 prints before a hosted zone id; parsing drops it.
pub const HOSTED_ZONE_PREFIX: &str = "/hostedzone/";

/// A Route 53 hosted zone id, e.g. `Z0123456789ABCDEFGHIJ`: 1 to 32 upper-case letters and
/// digits.
///
/// Parsing also accepts the `/hostedzone/Z…` form Route 53 prints and keeps only the id.
///
/// ```
/// use workmail_org::HostedZoneId;
/// let id: HostedZoneId = "/hostedzone/Z0123456789ABCDEFGHIJ".parse()?;
/// assert_eq!(id.as_str(), "Z0123456789ABCDEFGHIJ");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Kept inline, as its at most 32 ASCII bytes: making or cloning one never allocates.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostedZoneId(InlineStr<MAX_HOSTED_ZONE_ID_LEN>);

impl HostedZoneId {
    /// Parses a hosted zone id, with or without the `/hostedzone/` prefix.
    ///
    /// # Errors
    /// [`Rule::HostedZoneIdLength`] for `""`, `"/hostedzone/"` or 33 characters;
    /// [`Rule::HostedZoneIdCharacter`] for `"z0123"` (lower case) or `"Z01/23"`.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let id = input.strip_prefix(HOSTED_ZONE_PREFIX).unwrap_or(input);
        if let Some(inline) = valid_inline(id) {
            return Ok(HostedZoneId(inline));
        }
        let offset = input.len() - id.len();
        let length_error = |actual| {
            ParseError::new(
                Rule::HostedZoneIdLength,
                ParseErrorKind::Length {
                    min: 1,
                    max: MAX_HOSTED_ZONE_ID_LEN,
                    actual,
                },
                input,
            )
        };
        if let Some(actual) = overlong(id, MAX_HOSTED_ZONE_ID_LEN) {
            return Err(length_error(actual));
        }
        if let Some((position, character)) =
            first_invalid(id, |c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return Err(ParseError::new(
                Rule::HostedZoneIdCharacter,
                ParseErrorKind::Character {
                    character,
                    position: offset + position,
                    allowed: "upper-case letters and digits only",
                },
                input,
            ));
        }
        // Every character is ASCII by now: bytes are characters.
        match InlineStr::new(id) {
            Some(inline) if !id.is_empty() => Ok(HostedZoneId(inline)),
            _ => Err(length_error(id.len())),
        }
    }

    /// The id without any `/hostedzone/` prefix.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// The id, when it is 1 to 32 upper-case ASCII letters and digits: copied, then checked
/// eight bytes at a time.
fn valid_inline(id: &str) -> Option<InlineStr<MAX_HOSTED_ZONE_ID_LEN>> {
    let len = id.len();
    if !(1..=MAX_HOSTED_ZONE_ID_LEN).contains(&len) {
        return None;
    }
    let mut buffer = [0; MAX_HOSTED_ZONE_ID_LEN];
    buffer[..len].copy_from_slice(id.as_bytes());
    let mut refused = 0;
    for at in (0..len).step_by(8) {
        let word = swar::word(&buffer, at);
        let allowed = swar::in_range(word, b'0', b'9') | swar::in_range(word, b'A', b'Z');
        refused |= (word & swar::HIGH) | (swar::first(len - at) & !allowed);
    }
    if refused != 0 {
        return None;
    }
    InlineStr::from_zero_padded(&buffer, len)
}

impl std::fmt::Debug for HostedZoneId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("HostedZoneId").field(&self.as_str()).finish()
    }
}

string_type!(HostedZoneId, "a Route 53 hosted zone id");
