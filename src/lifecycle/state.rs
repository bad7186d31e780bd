//! The states, their lenient form and the events that move between them.

use std::fmt;

use crate::text::string_enum;

string_enum! {
    /// The state of a WorkMail organization, spelled exactly (case-sensitive) as AWS spells
    /// it: the contract of `FromStr`, `Display` and serde alike.
    ///
    /// The first seven are documented (WorkMail Administrator Guide, Organization states);
    /// AWS returns `Deleting` and `Deleted` for an organization being (or already) deleted,
    /// which stays visible for a while. `#[non_exhaustive]`: the API types the state as a
    /// free-form string, so AWS may add states; [`ReportedState`] reads one without failing.
    ///
    /// ```
    /// use workmail_org::lifecycle::OrganizationState;
    ///
    /// assert_eq!("Active".parse::<OrganizationState>()?, OrganizationState::Active);
    /// let err = "active".parse::<OrganizationState>().unwrap_err();
    /// assert!(err.to_string().starts_with("unknown organization state \"active\" (expected"));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    pub enum OrganizationState: "organization state" {
        /// The creation request is queued, waiting to be created.
        Requested = "Requested",
        /// A workflow is running to create the organization.
        Creating = "Creating",
        /// All settings of the organization are being health-checked.
        Validating = "Validating",
        /// The organization is healthy and ready for use.
        Active = "Active",
        /// The organization is malfunctioning or an issue has been detected.
        Impaired = "Impaired",
        /// The organization is inactive.
        Inactive = "Inactive",
        /// The organization could not be created.
        Failed = "Failed",
        /// The organization is being deleted (returned by AWS, not documented as a state).
        Deleting = "Deleting",
        /// The organization has been deleted and stays visible for a while. Terminal.
        Deleted = "Deleted",
    }
}

string_enum! {
    /// What happens to an organization to move it: the label of each move in
    /// [`TRANSITIONS`](super::TRANSITIONS), always to one state. `#[non_exhaustive]`: new
    /// states would bring new events.
    #[non_exhaustive]
    pub enum Event: "lifecycle event" {
        /// The queued request is picked up: `Requested` to `Creating`.
        CreationStarted = "CreationStarted",
        /// The organization could not be created: to `Failed`.
        CreationFailed = "CreationFailed",
        /// Creation finished without a separate health check: `Creating` to `Active`.
        CreationCompleted = "CreationCompleted",
        /// A health check of all settings begins: to `Validating`.
        ValidationStarted = "ValidationStarted",
        /// The health check found nothing wrong: `Validating` to `Active`.
        HealthCheckPassed = "HealthCheckPassed",
        /// A malfunction was detected: to `Impaired`.
        IssueDetected = "IssueDetected",
        /// The issue is resolved: `Impaired` to `Active`.
        Recovered = "Recovered",
        /// The organization is switched off: to `Inactive`.
        Deactivated = "Deactivated",
        /// An inactive organization is switched back on and re-checked: to `Validating`.
        Reactivated = "Reactivated",
        /// `DeleteOrganization` was accepted: to `Deleting` (asking for it is `request_deletion`).
        DeletionRequested = "DeletionRequested",
        /// Deletion finished: `Deleting` to `Deleted`.
        DeletionCompleted = "DeletionCompleted",
    }
}

/// A state as AWS reported it: an [`OrganizationState`], or the exact text of a state this
/// version does not know, kept so that nothing read is lost. Converting from a string never
/// fails (a known spelling becomes that state) and does not bound the input: the caller does
/// (`DescribeOrganization` caps `State` at 256 characters). `Display`,
/// [`as_str`](Self::as_str) and serde give back the exact string.
///
/// ```
/// use workmail_org::lifecycle::{OrganizationState, ReportedState};
///
/// assert_eq!(ReportedState::from("Active"), OrganizationState::Active);
/// let unknown = ReportedState::from("Suspended");
/// assert_eq!((unknown.known(), unknown.as_str()), (None, "Suspended"));
/// assert_eq!(serde_json::to_string(&unknown)?, "\"Suspended\"");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug, serde::Deserialize)]
#[serde(from = "String")]
pub struct ReportedState(Reported);

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum Reported {
    Known(OrganizationState),
    /// Never a known spelling: the one constructor tries those first.
    Unknown(Box<str>),
}

impl ReportedState {
    /// The state, if this version knows it.
    pub fn known(&self) -> Option<OrganizationState> {
        match self.0 {
            Reported::Known(state) => Some(state),
            Reported::Unknown(_) => None,
        }
    }

    /// The exact string reported.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Reported::Known(state) => state.as_str(),
            Reported::Unknown(text) => text,
        }
    }
}

impl From<&str> for ReportedState {
    fn from(text: &str) -> Self {
        Self(
            text.parse()
                .map_or_else(|_| Reported::Unknown(text.into()), Reported::Known),
        )
    }
}

impl From<String> for ReportedState {
    fn from(text: String) -> Self {
        Self::from(text.as_str())
    }
}

impl From<OrganizationState> for ReportedState {
    fn from(state: OrganizationState) -> Self {
        Self(Reported::Known(state))
    }
}

impl PartialEq<OrganizationState> for ReportedState {
    fn eq(&self, other: &OrganizationState) -> bool {
        self.known() == Some(*other)
    }
}

impl fmt::Display for ReportedState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ReportedState {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
