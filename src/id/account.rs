//! AWS account ids.

use crate::id::scan::{exact_len, first_invalid, overlong};
use crate::id::{ParseError, ParseErrorKind};
use crate::text::string_type;
use crate::Rule;

/// A 12-digit AWS account id, e.g. `111122223333`. Leading zeros are significant and kept.
///
/// ```
/// use workmail_org::AccountId;
/// let account: AccountId = "012345678901".parse()?;
/// assert_eq!(account.as_str(), "012345678901");
/// assert!("12345".parse::<AccountId>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(Box<str>);

impl AccountId {
    /// Parses an account id.
    ///
    /// # Errors
    /// [`Rule::AccountIdFormat`] for anything but 12 ASCII digits: `"12345"`,
    /// `"1111-2222-3333"`, `" 111122223333"`.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
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
        Ok(AccountId(input.into()))
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_type!(AccountId, "a 12-digit AWS account id");
