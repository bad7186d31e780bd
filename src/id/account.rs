//! AWS account ids.

use crate::id::scan::{exact_len, first_invalid, overlong, Ascii};
use crate::id::{ParseError, ParseErrorKind};
use crate::rule::Rule;
use crate::text::string_type;

/// A 12-digit AWS account id, e.g. `111122223333`. Leading zeros are significant and kept.
///
/// ```
/// use workmail_org::AccountId;
/// let account: AccountId = "012345678901".parse()?;
/// assert_eq!(account.as_str(), "012345678901");
/// assert!("12345".parse::<AccountId>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Kept inline, as its 12 ASCII digits: making or cloning one never allocates.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(Ascii<12>);

impl AccountId {
    /// Parses an account id.
    ///
    /// # Errors
    /// [`Rule::AccountIdFormat`] for anything but 12 ASCII digits: `"12345"`,
    /// `"1111-2222-3333"`, `" 111122223333"`.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        if input.len() == 12 && input.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(AccountId(Ascii::new(input)));
        }
        if let Some(actual) = overlong(input, 12) {
            return Err(ParseError::new(
                Rule::AccountIdFormat,
                ParseErrorKind::Length {
                    min: 12,
                    max: 12,
                    actual,
                },
                input,
            ));
        }
        if let Some((position, character)) = first_invalid(input, |c| c.is_ascii_digit()) {
            return Err(ParseError::new(
                Rule::AccountIdFormat,
                ParseErrorKind::Character {
                    character,
                    position,
                    allowed: "digits only",
                },
                input,
            ));
        }
        exact_len(input, 12, Rule::AccountIdFormat)?;
        Ok(AccountId(Ascii::new(input)))
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Debug for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AccountId").field(&self.as_str()).finish()
    }
}

string_type!(AccountId, "a 12-digit AWS account id");
