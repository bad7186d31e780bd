//! The AWS Regions where WorkMail runs.

use crate::id::{ParseError, ParseErrorKind};
use crate::rule::Rule;
use crate::text::string_type;

const SUPPORTED: &str = "us-east-1, us-west-2, eu-west-1";

/// An AWS Region where Amazon WorkMail runs.
///
/// WorkMail exists in three Regions. AWS may open more, so the enum is `#[non_exhaustive]`;
/// parsing accepts exactly the lower-case Region codes.
///
/// ```
/// use workmail_org::Region;
///
/// let region: Region = "eu-west-1".parse()?;
/// assert_eq!(region, Region::EuWest1);
/// let err = "eu-central-1".parse::<Region>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "region \"eu-central-1\": is not supported (allowed: us-east-1, us-west-2, eu-west-1)"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Region {
    /// US East (N. Virginia), `us-east-1`.
    UsEast1,
    /// US West (Oregon), `us-west-2`.
    UsWest2,
    /// Europe (Ireland), `eu-west-1`.
    EuWest1,
}

impl Region {
    /// Every Region where WorkMail runs.
    pub const ALL: &'static [Region] = &[Region::UsEast1, Region::UsWest2, Region::EuWest1];

    /// Parses a Region code.
    ///
    /// # Errors
    /// [`Rule::RegionUnsupported`] for any other string, e.g. `"eu-central-1"` or
    /// `"US-EAST-1"`; the message lists the supported Regions.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        Region::ALL
            .iter()
            .copied()
            .find(|region| region.as_str() == input)
            .ok_or_else(|| {
                ParseError::new(
                    Rule::RegionUnsupported,
                    ParseErrorKind::NotSupported { allowed: SUPPORTED },
                    input,
                )
            })
    }

    /// The Region code, e.g. `"us-east-1"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Region::UsEast1 => "us-east-1",
            Region::UsWest2 => "us-west-2",
            Region::EuWest1 => "eu-west-1",
        }
    }

    /// The supported Region codes as messages list them.
    pub(crate) const fn supported_list() -> &'static str {
        SUPPORTED
    }
}

string_type!(Region, "a WorkMail Region code");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supported_list_matches_all() {
        let listed: Vec<&str> = Region::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(listed.join(", "), SUPPORTED);
    }
}
