//! WorkMail organization ids.

use crate::check::prefixed_lower_hex;
use crate::error::ParseError;
use crate::string_type::string_type;
use crate::Rule;

/// A WorkMail organization id: `m-` and 32 lower-case hex digits.
///
/// ```
/// use workmail_org::OrganizationId;
/// let id: OrganizationId = "m-0123456789abcdef0123456789abcdef".parse()?;
/// assert_eq!(id.as_str().len(), 34);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrganizationId(Box<str>);

impl OrganizationId {
    /// Parses an organization id.
    ///
    /// # Errors
    /// [`Rule::OrganizationIdFormat`]: a missing `m-` prefix, upper-case hex, or other than 32
    /// digits.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        prefixed_lower_hex(input, "m-", 32, Rule::OrganizationIdFormat)?;
        Ok(OrganizationId(input.into()))
    }

    /// The id, e.g. `"m-0123456789abcdef0123456789abcdef"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_type!(
    OrganizationId,
    "an organization id such as m-0123456789abcdef0123456789abcdef"
);
