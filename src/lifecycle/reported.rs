//! The lenient form of a state, for reading what AWS reports without losing anything.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use super::state::OrganizationState;

/// A state as AWS reported it: a known [`OrganizationState`], or the exact string of one this
/// version does not know, kept so that nothing read is lost.
///
/// Converting from a string never fails and puts a known spelling in `Known`; anything else
/// becomes an [`UnknownState`], which only this crate can build, so a known spelling is never
/// `Unknown` and equal strings always give equal values. [`Display`](fmt::Display),
/// [`as_str`](Self::as_str) and serde give back the exact string.
///
/// # Examples
///
/// ```
/// use workmail_org::lifecycle::{OrganizationState, ReportedState};
///
/// let known = ReportedState::from("Active");
/// assert_eq!(known.known(), Some(OrganizationState::Active));
///
/// let unknown = ReportedState::from("Suspended");
/// assert_eq!(unknown.known(), None);
/// assert_eq!(unknown.to_string(), "Suspended");
/// let ReportedState::Unknown(state) = &unknown else {
///     return Err("Suspended should be unknown".into());
/// };
/// assert_eq!(state.as_str(), "Suspended");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum ReportedState {
    /// One of the states this crate models.
    Known(OrganizationState),
    /// Any other string, exactly as reported.
    Unknown(UnknownState),
}

/// A reported state string that is not one of the [`OrganizationState`] spellings, exactly as
/// reported.
///
/// Only this crate builds it (through [`ReportedState`]'s conversions), so it never holds a
/// known spelling such as `"Active"`; compare and hash it as its exact string.
///
/// ```
/// use workmail_org::lifecycle::ReportedState;
///
/// let ReportedState::Unknown(state) = ReportedState::from("active") else {
///     return Err("only the exact spelling Active is known".into());
/// };
/// assert_eq!(state.as_str(), "active");
/// assert_eq!(state.to_string(), "active");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct UnknownState(String);

impl UnknownState {
    /// The exact string reported.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ReportedState {
    /// The known state, if it is one.
    pub fn known(&self) -> Option<OrganizationState> {
        match self {
            Self::Known(state) => Some(*state),
            Self::Unknown(_) => None,
        }
    }

    /// Whether the state is one this crate models.
    pub fn is_known(&self) -> bool {
        self.known().is_some()
    }

    /// The exact string reported.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Known(state) => state.as_str(),
            Self::Unknown(state) => state.as_str(),
        }
    }
}

impl From<OrganizationState> for ReportedState {
    fn from(state: OrganizationState) -> Self {
        Self::Known(state)
    }
}

impl From<&str> for ReportedState {
    fn from(s: &str) -> Self {
        match OrganizationState::from_aws(s) {
            Some(state) => Self::Known(state),
            None => Self::Unknown(UnknownState(s.to_owned())),
        }
    }
}

impl From<String> for ReportedState {
    fn from(s: String) -> Self {
        match OrganizationState::from_aws(&s) {
            Some(state) => Self::Known(state),
            None => Self::Unknown(UnknownState(s)),
        }
    }
}

impl FromStr for ReportedState {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(s))
    }
}

impl fmt::Display for ReportedState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ReportedState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ReportedState {
    /// Deserializes any string; only a non-string fails.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ReportedVisitor;

        impl Visitor<'_> for ReportedVisitor {
            type Value = ReportedState;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an organization state string")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(ReportedState::from(s))
            }

            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(ReportedState::from(s))
            }
        }

        deserializer.deserialize_string(ReportedVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_and_borrowed_strings_agree() {
        for s in ["Active", "Deleted", "active", "", "Suspended"] {
            assert_eq!(ReportedState::from(s), ReportedState::from(s.to_owned()));
            assert_eq!(ReportedState::from(s).as_str(), s);
        }
        assert!(ReportedState::from("Deleted").is_known());
        assert!(!ReportedState::from("deleted").is_known());
    }

    #[test]
    fn known_spellings_are_never_unknown() {
        for &state in OrganizationState::ALL {
            for reported in [
                ReportedState::from(state.as_str()),
                ReportedState::from(state.as_str().to_owned()),
            ] {
                assert_eq!(reported, ReportedState::Known(state));
            }
        }
        let unknown = ReportedState::from("Suspended");
        assert_eq!(
            unknown,
            ReportedState::Unknown(UnknownState("Suspended".to_owned()))
        );
        assert_eq!(
            format!("{unknown:?}"),
            "Unknown(UnknownState(\"Suspended\"))"
        );
    }
}
