//! Run-time moves between states, checked against the transition table.

use std::fmt;

use super::event::LifecycleEvent;
use super::list::Listed;
use super::state::OrganizationState;
use super::table::{edge_by_event, Transition, NEXT, PREVIOUS, TRANSITIONS};

impl OrganizationState {
    /// The states this one may move to, in table order; empty for a terminal state.
    ///
    /// ```
    /// use workmail_org::lifecycle::OrganizationState;
    ///
    /// assert_eq!(
    ///     OrganizationState::Requested.allowed_next(),
    ///     [OrganizationState::Creating, OrganizationState::Failed]
    /// );
    /// ```
    pub fn allowed_next(self) -> &'static [OrganizationState] {
        NEXT[self.index()].as_slice()
    }

    /// The states that may move to this one, in table order.
    ///
    /// ```
    /// use workmail_org::lifecycle::OrganizationState;
    ///
    /// assert_eq!(
    ///     OrganizationState::Deleted.allowed_previous(),
    ///     [OrganizationState::Deleting]
    /// );
    /// ```
    pub fn allowed_previous(self) -> &'static [OrganizationState] {
        PREVIOUS[self.index()].as_slice()
    }

    /// The table edges leaving this state, in table order.
    pub fn transitions(self) -> impl Iterator<Item = Transition> {
        TRANSITIONS
            .iter()
            .copied()
            .filter(move |t| t.from() == self)
    }

    /// Whether no move leaves this state (only `Deleted`).
    pub fn is_terminal(self) -> bool {
        self.allowed_next().is_empty()
    }

    /// Whether the table allows a direct move from this state to `next`. Staying in the same
    /// state is not a move.
    pub fn can_transition_to(self, next: OrganizationState) -> bool {
        self.allowed_next().contains(&next)
    }

    /// Moves directly to `next`.
    ///
    /// This records a move AWS reported, such as `Deleting` for an organization someone else
    /// deleted, and checks no deletion request. To delete an organization, use
    /// [`request_deletion`](Self::request_deletion), which checks the
    /// [`DeletionRequest`](super::DeletionRequest) first.
    ///
    /// # Errors
    ///
    /// [`TransitionError`] when the table has no such move, for example `Requested` to
    /// `Active`: `cannot move organization from Requested to Active (allowed: Creating, Failed)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use workmail_org::lifecycle::OrganizationState;
    ///
    /// let state = OrganizationState::Requested.transition_to(OrganizationState::Creating)?;
    /// assert_eq!(state, OrganizationState::Creating);
    ///
    /// let err = OrganizationState::Deleted
    ///     .transition_to(OrganizationState::Active)
    ///     .unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "cannot move organization from Deleted to Active: Deleted is terminal"
    /// );
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn transition_to(self, next: OrganizationState) -> Result<Self, TransitionError> {
        if self.can_transition_to(next) {
            Ok(next)
        } else {
            Err(TransitionError {
                from: self,
                to: next,
                event: None,
            })
        }
    }

    /// Moves by `event`, to [`event.target()`](LifecycleEvent::target).
    ///
    /// This replays observed history and checks no deletion request:
    /// [`LifecycleEvent::DeletionRequested`] here records a deletion that was requested and
    /// accepted. To request one, use [`request_deletion`](Self::request_deletion).
    ///
    /// # Errors
    ///
    /// [`TransitionError`] when the event cannot happen in this state, for example
    /// `Deactivated` in `Requested`:
    /// `cannot move organization from Requested to Inactive by event Deactivated (allowed: Creating, Failed)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use workmail_org::lifecycle::{LifecycleEvent, OrganizationState};
    ///
    /// let state = OrganizationState::Active.apply(LifecycleEvent::IssueDetected)?;
    /// assert_eq!(state, OrganizationState::Impaired);
    /// assert!(OrganizationState::Failed.apply(LifecycleEvent::Recovered).is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(self, event: LifecycleEvent) -> Result<Self, TransitionError> {
        match edge_by_event(self, event) {
            Some(edge) => Ok(edge.to()),
            None => Err(TransitionError {
                from: self,
                to: event.target(),
                event: Some(event),
            }),
        }
    }
}

/// A move the transition table does not allow.
///
/// The message names the current state, the attempted one (and the event, if the move was
/// made by one) and the allowed next states:
///
/// - `cannot move organization from Requested to Active (allowed: Creating, Failed)`
/// - `cannot move organization from Deleted to Active: Deleted is terminal`
/// - `cannot move organization from Requested to Inactive by event Deactivated (allowed: Creating, Failed)`
#[derive(Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error(
    "cannot move organization from {from} to {to}{}{}",
    ByEvent(*.event),
    Allowed(*.from)
)]
pub struct TransitionError {
    from: OrganizationState,
    to: OrganizationState,
    event: Option<LifecycleEvent>,
}

impl TransitionError {
    /// The state the organization is in.
    pub fn from(&self) -> OrganizationState {
        self.from
    }

    /// The state the move tried to reach.
    pub fn to(&self) -> OrganizationState {
        self.to
    }

    /// The event that was applied, if the move was made by one.
    pub fn event(&self) -> Option<LifecycleEvent> {
        self.event
    }

    /// The states the organization could have moved to instead.
    pub fn allowed(&self) -> &'static [OrganizationState] {
        self.from.allowed_next()
    }
}

impl fmt::Debug for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TransitionError")
            .field(&self.to_string())
            .finish()
    }
}

/// ` by event X` when the move was made by an event.
struct ByEvent(Option<LifecycleEvent>);

impl fmt::Display for ByEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(event) => write!(f, " by event {event}"),
            None => Ok(()),
        }
    }
}

/// `: X is terminal` or ` (allowed: A, B)`.
struct Allowed(OrganizationState);

impl fmt::Display for Allowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_terminal() {
            write!(f, ": {} is terminal", self.0)
        } else {
            write!(f, " (allowed: {})", Listed(self.0.allowed_next()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrganizationState as S;

    #[test]
    fn apply_agrees_with_transition_to() {
        for &from in S::ALL {
            for &event in LifecycleEvent::ALL {
                let by_event = from.apply(event).ok();
                let direct = from.transition_to(event.target()).ok();
                if by_event.is_some() {
                    assert_eq!(by_event, direct, "{from} by {event}");
                }
            }
        }
    }

    #[test]
    fn only_deleted_is_terminal() {
        let terminal: Vec<_> = S::ALL.iter().copied().filter(|s| s.is_terminal()).collect();
        assert_eq!(terminal, [S::Deleted]);
    }

    #[test]
    fn error_accessors_and_debug() {
        let err = S::Failed.apply(LifecycleEvent::Recovered).unwrap_err();
        assert_eq!(err.from(), S::Failed);
        assert_eq!(err.to(), S::Active);
        assert_eq!(err.event(), Some(LifecycleEvent::Recovered));
        assert_eq!(err.allowed(), [S::Deleting]);
        assert_eq!(
            format!("{err:?}"),
            "TransitionError(\"cannot move organization from Failed to Active \
             by event Recovered (allowed: Deleting)\")"
        );
    }
}
