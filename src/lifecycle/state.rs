//! The run-time organization state and its strict parser.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use super::list::Listed;
use crate::text::shown;

/// The state of a WorkMail organization, as AWS spells it.
///
/// The first seven are the states AWS documents; `Deleting` and `Deleted` are what AWS returns
/// in practice for an organization being (or already) deleted, which stays visible for a while.
///
/// The spellings (`"Active"`, `"Creating"`, ...) are exact and case-sensitive: they are the
/// strings the WorkMail API sends and this crate's public contract for [`FromStr`],
/// [`Display`](fmt::Display) and serde alike.
///
/// The enum is `#[non_exhaustive]` because the API types the state as a free-form string, so AWS
/// may add states: match with a wildcard arm. To read what AWS reports without failing on a
/// state this version does not know, use [`ReportedState`](super::ReportedState).
///
/// The order (`Ord`, [`ALL`](Self::ALL)) is the order of the transition table.
///
/// # Examples
///
/// ```
/// use workmail_org::lifecycle::OrganizationState;
///
/// let state: OrganizationState = "Active".parse()?;
/// assert_eq!(state, OrganizationState::Active);
/// assert_eq!(state.as_str(), "Active");
/// assert_eq!(state.to_string(), "Active");
/// assert!("active".parse::<OrganizationState>().is_err());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[non_exhaustive]
pub enum OrganizationState {
    /// The creation request is queued, waiting to be created.
    Requested,
    /// A workflow is running to create the organization.
    Creating,
    /// All settings of the organization are being health-checked.
    Validating,
    /// The organization is healthy and ready for use.
    Active,
    /// The organization is malfunctioning or an issue has been detected.
    Impaired,
    /// The organization is inactive.
    Inactive,
    /// The organization could not be created.
    Failed,
    /// The organization is being deleted (returned by AWS, not in its state table).
    Deleting,
    /// The organization has been deleted and stays visible (returned by AWS, not in its
    /// state table). Terminal.
    Deleted,
}

impl OrganizationState {
    /// Every state, in the order of the transition table.
    ///
    /// A slice rather than an array, so that a new state is not a change of type.
    pub const ALL: &'static [Self] = &[
        Self::Requested,
        Self::Creating,
        Self::Validating,
        Self::Active,
        Self::Impaired,
        Self::Inactive,
        Self::Failed,
        Self::Deleting,
        Self::Deleted,
    ];

    /// The exact AWS spelling of the state, such as `"Active"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "Requested",
            Self::Creating => "Creating",
            Self::Validating => "Validating",
            Self::Active => "Active",
            Self::Impaired => "Impaired",
            Self::Inactive => "Inactive",
            Self::Failed => "Failed",
            Self::Deleting => "Deleting",
            Self::Deleted => "Deleted",
        }
    }

    /// The position of the state in [`ALL`](Self::ALL), for table look-ups.
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// Parses the exact AWS spelling (case-sensitive); `None` for anything else.
    pub(crate) fn from_aws(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|state| state.as_str() == s)
    }
}

// `index` must be the position in `ALL`: table look-ups rely on it.
const _: () = {
    let mut i = 0;
    while i < OrganizationState::ALL.len() {
        assert!(OrganizationState::ALL[i].index() == i);
        i += 1;
    }
};

impl fmt::Display for OrganizationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrganizationState {
    type Err = InvalidOrganizationState;

    /// Parses the exact, case-sensitive AWS spelling.
    ///
    /// # Errors
    ///
    /// [`InvalidOrganizationState`] for any other string, such as `"active"`, `" Active"` or
    /// `"Suspended"`; its message lists the known states.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_aws(s).ok_or_else(|| InvalidOrganizationState { input: shown(s) })
    }
}

impl TryFrom<&str> for OrganizationState {
    type Error = InvalidOrganizationState;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<OrganizationState> for &'static str {
    fn from(state: OrganizationState) -> Self {
        state.as_str()
    }
}

impl Serialize for OrganizationState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for OrganizationState {
    /// Deserializes from a string through [`FromStr`], so unknown states are rejected.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StateVisitor;

        impl Visitor<'_> for StateVisitor {
            type Value = OrganizationState;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a WorkMail organization state")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                s.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(StateVisitor)
    }
}

/// A string that is not one of the [`OrganizationState`] spellings.
///
/// The message quotes the input and lists the known states:
/// `unknown organization state "active" (expected one of: Requested, Creating, ...)`.
/// The input is shown escaped (control characters, quotes and backslashes) and cut after 64
/// characters, marked with `…`, so the message stays one short line whatever was parsed.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown organization state \"{input}\" (expected one of: {})",
    Listed(OrganizationState::ALL)
)]
pub struct InvalidOrganizationState {
    input: Box<str>,
}

impl InvalidOrganizationState {
    /// The rejected string as the message shows it: escaped, and cut after 64 characters.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Debug for InvalidOrganizationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("InvalidOrganizationState")
            .field(&self.to_string())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_round_trips_through_from_aws() {
        for &state in OrganizationState::ALL {
            assert_eq!(OrganizationState::from_aws(state.as_str()), Some(state));
        }
    }

    #[test]
    fn all_is_sorted_in_declaration_order() {
        assert!(OrganizationState::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn debug_of_the_error_reads_like_its_message() {
        let err = "Gone".parse::<OrganizationState>().unwrap_err();
        assert_eq!(
            format!("{err:?}"),
            format!("InvalidOrganizationState({:?})", err.to_string())
        );
        assert_eq!(err.input(), "Gone");
    }

    #[test]
    fn long_input_is_shortened_and_escaped_in_the_message() {
        let long = "x".repeat(200);
        let err = long.parse::<OrganizationState>().unwrap_err();
        assert_eq!(err.input(), format!("{}…", "x".repeat(64)));

        let err = "Act\nive\"".parse::<OrganizationState>().unwrap_err();
        assert_eq!(err.input(), "Act\\nive\\\"");
        assert!(err
            .to_string()
            .starts_with("unknown organization state \"Act\\nive\\\"\" (expected"));
    }
}
