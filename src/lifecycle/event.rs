//! Named events: the domain's reasons for an organization to change state.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::state::OrganizationState;
use super::table::{Transition, EVENT_SOURCES, EVENT_TARGETS, TRANSITIONS};

/// Something that happens to an organization and moves it to another state.
///
/// Every edge of the [transition table](super::TRANSITIONS) carries exactly one event, and
/// every event leads to a single state ([`target`](Self::target)) from one or more states
/// ([`sources`](Self::sources)), all read from that table. The typestate methods are named
/// after the events (`CreationStarted` is `start_creation`, ...).
///
/// `#[non_exhaustive]`: new states would bring new events. Serde and [`Display`](fmt::Display)
/// use the variant name.
///
/// # Examples
///
/// ```
/// use workmail_org::lifecycle::{LifecycleEvent, OrganizationState};
///
/// let event = LifecycleEvent::DeletionRequested;
/// assert_eq!(event.target(), OrganizationState::Deleting);
/// assert!(event.sources().contains(&OrganizationState::Failed));
/// assert_eq!(OrganizationState::Failed.apply(event)?, OrganizationState::Deleting);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub enum LifecycleEvent {
    /// The queued request is picked up: `Requested` to `Creating`.
    CreationStarted,
    /// The organization could not be created: to `Failed`.
    CreationFailed,
    /// Creation finished without a separate health check: `Creating` to `Active`.
    CreationCompleted,
    /// A health check of all settings begins: to `Validating`.
    ValidationStarted,
    /// The health check found nothing wrong: `Validating` to `Active`.
    HealthCheckPassed,
    /// A malfunction was detected: to `Impaired`.
    IssueDetected,
    /// The issue is resolved: `Impaired` to `Active`.
    Recovered,
    /// The organization is switched off: to `Inactive`.
    Deactivated,
    /// An inactive organization is switched back on and re-checked: `Inactive` to `Validating`.
    Reactivated,
    /// `DeleteOrganization` was accepted: to `Deleting`.
    ///
    /// Applying it records a deletion that happened; a caller requesting one goes through
    /// [`OrganizationState::request_deletion`] (or the typed and [`AnyOrganization`](super::AnyOrganization)
    /// methods of that name), which check the [`DeletionRequest`](super::DeletionRequest).
    DeletionRequested,
    /// Deletion finished: `Deleting` to `Deleted`.
    DeletionCompleted,
}

impl LifecycleEvent {
    /// Every event, in declaration order.
    ///
    /// A slice rather than an array, so that a new event is not a change of type.
    pub const ALL: &'static [Self] = &[
        Self::CreationStarted,
        Self::CreationFailed,
        Self::CreationCompleted,
        Self::ValidationStarted,
        Self::HealthCheckPassed,
        Self::IssueDetected,
        Self::Recovered,
        Self::Deactivated,
        Self::Reactivated,
        Self::DeletionRequested,
        Self::DeletionCompleted,
    ];

    /// The event's name, such as `"CreationStarted"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CreationStarted => "CreationStarted",
            Self::CreationFailed => "CreationFailed",
            Self::CreationCompleted => "CreationCompleted",
            Self::ValidationStarted => "ValidationStarted",
            Self::HealthCheckPassed => "HealthCheckPassed",
            Self::IssueDetected => "IssueDetected",
            Self::Recovered => "Recovered",
            Self::Deactivated => "Deactivated",
            Self::Reactivated => "Reactivated",
            Self::DeletionRequested => "DeletionRequested",
            Self::DeletionCompleted => "DeletionCompleted",
        }
    }

    /// The position of the event in [`ALL`](Self::ALL), for table look-ups.
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// The state this event leads to, read from the transition table.
    pub const fn target(self) -> OrganizationState {
        EVENT_TARGETS[self.index()]
    }

    /// The states this event can happen in, in table order.
    pub fn sources(self) -> &'static [OrganizationState] {
        EVENT_SOURCES[self.index()].as_slice()
    }

    /// The table edges this event labels, in table order.
    pub fn transitions(self) -> impl Iterator<Item = Transition> {
        TRANSITIONS
            .iter()
            .copied()
            .filter(move |t| t.event() == self)
    }
}

// `index` must be the position in `ALL`: table look-ups rely on it.
const _: () = {
    let mut i = 0;
    while i < LifecycleEvent::ALL.len() {
        assert!(LifecycleEvent::ALL[i].index() == i);
        i += 1;
    }
};

impl fmt::Display for LifecycleEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_matches_debug() {
        for &event in LifecycleEvent::ALL {
            assert_eq!(event.as_str(), format!("{event:?}"));
        }
    }

    #[test]
    fn every_event_labels_an_edge() {
        for &event in LifecycleEvent::ALL {
            assert!(!event.sources().is_empty(), "{event} has no source");
            assert_eq!(event.transitions().count(), event.sources().len());
        }
    }
}
