//! Directory Service directory ids.

use crate::check::prefixed_lower_hex;
use crate::error::ParseError;
use crate::string_type::string_type;
use crate::Rule;

/// A Directory Service directory id: `d-` and 10 lower-case hex digits, e.g. `d-1234567890`.
///
/// ```
/// use workmail_org::DirectoryId;
/// let id: DirectoryId = "d-90670b1c2e".parse()?;
/// assert_eq!(id.as_str(), "d-90670b1c2e");
/// assert!("d-90670B1C2E".parse::<DirectoryId>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DirectoryId(Box<str>);

impl DirectoryId {
    /// Parses a directory id.
    ///
    /// # Errors
    /// [`Rule::DirectoryIdFormat`]: `"D-1234567890"` (prefix), `"d-12345678AB"` (upper-case
    /// hex), `"d-123"` (length).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        prefixed_lower_hex(input, "d-", 10, Rule::DirectoryIdFormat)?;
        Ok(DirectoryId(input.into()))
    }

    /// The id, e.g. `"d-1234567890"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_type!(DirectoryId, "a directory id such as d-1234567890");
