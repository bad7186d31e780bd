//! The states, their lenient form and the events that move between them.

use crate::reported::Reported;
use crate::text::string_enum;

string_enum! {
    /// The state of a WorkMail organization, spelled exactly (case-sensitive) as AWS spells
    /// it: the contract of `FromStr`, `Display` and serde alike.
    ///
    /// The first seven are documented (WorkMail Administrator Guide, Organization states);
    /// AWS returns `Deleting` and `Deleted` for an organization being (or already) deleted,
    /// which stays visible for a while. `#[non_exhaustive]`: the API types the state as a
    /// free-form string, so AWS may add states; [`ReportedState`] keeps one without failing.
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

/// A state as AWS reported it: the crate's lenient form, [`Reported`], of an
/// [`OrganizationState`]. [`known`](Reported::known) is the state when this version knows
/// it; the exact text of any other is kept, so that nothing read is lost.
///
/// [`Reported::new`] never fails (a known spelling becomes that state) and does not bound the
/// input: the caller does (`DescribeOrganization` caps `State` at 256 characters). `Display`,
/// [`as_str`](Reported::as_str) and serde give back the exact string. The spelling is exact,
/// so two reports are equal exactly when they are the same state, or the same unknown text.
///
/// ```
/// use workmail_org::lifecycle::{OrganizationState, ReportedState};
///
/// assert_eq!(ReportedState::new("Active"), OrganizationState::Active);
/// assert_eq!(ReportedState::new("Active"), ReportedState::from(OrganizationState::Active));
/// let unknown = ReportedState::new("Suspended");
/// assert_eq!((unknown.known(), unknown.as_str()), (None, "Suspended"));
/// assert_eq!(serde_json::to_string(&unknown)?, "\"Suspended\"");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type ReportedState = Reported<OrganizationState>;
