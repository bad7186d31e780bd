//! The one error for a refused move, and the wrapper that hands the value back with it.

use std::fmt;

use super::state::{Event, OrganizationState, ReportedState};
use crate::text::{debug_as_display, shown, Listed};
use TransitionErrorKind as K;

/// Which rule refused a move.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum TransitionErrorKind {
    /// `transition_to`: the table has no such move (staying in a state is not a move).
    IllegalMove,
    /// `apply`: the event does not happen in the current state.
    EventNotApplicable,
    /// `observe`: no path of moves leads from the last state seen to the reported one.
    Unreachable,
    /// The current state is unknown to this version, so no move out of it can be checked.
    UnknownState,
    /// Converting to a [`Typed`](super::typestate::Typed): the organization is in another state.
    StateMismatch,
    /// `request_deletion`: the current state has no move to `Deleting`.
    StateForbidsDeletion,
    /// `request_deletion`: users are still enabled and `ForceDelete` was not chosen.
    EnabledUsersRemain,
}

/// What was attempted.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Attempted {
    MoveTo(OrganizationState),
    Apply(Event),
    Observe(OrganizationState),
    Become(OrganizationState),
    Delete { enabled_users: usize },
}

/// A move the lifecycle refused: which rule ([`kind`](Self::kind)), the state the
/// organization is in, what was attempted and what would have been allowed. Plain data
/// (`'static`, `Send`, `Sync`), so it goes anywhere with `?`. Messages, for example:
///
/// - `cannot move organization from Requested to Active (allowed: Creating, Failed)`
/// - `event Recovered does not apply to organization in Failed (applies in: Impaired)`
/// - `organization last seen in Deleted cannot now be in Active (reachable: none)`
/// - `cannot move organization from "Suspended" to Active: this version does not know that state`
/// - `cannot delete organization in Active with 3 enabled users without ForceDelete`
///
/// A state this version does not know is shown quoted and escaped, cut after 64 characters.
#[derive(Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", Message(self))]
pub struct TransitionError {
    kind: TransitionErrorKind,
    current: ReportedState,
    attempt: Attempted,
}

debug_as_display!(TransitionError);

impl TransitionError {
    pub(crate) fn new(
        kind: TransitionErrorKind,
        current: ReportedState,
        attempt: Attempted,
    ) -> Self {
        Self {
            kind,
            current,
            attempt,
        }
    }

    /// Which rule refused the move.
    pub fn kind(&self) -> TransitionErrorKind {
        self.kind
    }

    /// The state the organization is in, and stays in.
    pub fn current(&self) -> &ReportedState {
        &self.current
    }

    /// What the message lists, by [`kind`](Self::kind): the states the organization may
    /// move to (`IllegalMove`), those the event applies in (`EventNotApplicable`), those
    /// `observe` would accept (`Unreachable`), those deletion is allowed from
    /// (`StateForbidsDeletion`); none otherwise.
    pub fn allowed(&self) -> Vec<OrganizationState> {
        let current = self.current.known().copied();
        match (self.kind, self.attempt) {
            (K::IllegalMove, _) => current.map_or(vec![], |s| s.allowed_next().collect()),
            (K::EventNotApplicable, Attempted::Apply(e)) => e.sources().collect(),
            (K::Unreachable, _) => current.map_or(vec![], |s| s.reachable().collect()),
            (K::StateForbidsDeletion, _) => Event::DeletionRequested.sources().collect(),
            _ => vec![],
        }
    }
}

struct Message<'a>(&'a TransitionError);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let err = self.0;
        let current = match err.current.known() {
            Some(state) => state.to_string(),
            None => format!("\"{}\"", shown(err.current.as_str())),
        };
        match err.attempt {
            Attempted::MoveTo(to) => write!(f, "cannot move organization from {current} to {to}"),
            Attempted::Apply(e) => {
                write!(f, "event {e} does not apply to organization in {current}")
            }
            Attempted::Observe(to) => write!(
                f,
                "organization last seen in {current} cannot now be in {to}"
            ),
            Attempted::Become(s) => write!(f, "expected organization in {s}, found {current}"),
            Attempted::Delete { .. } => write!(f, "cannot delete organization in {current}"),
        }?;
        let allowed = err.allowed();
        let allowed = Listed::all(&allowed);
        match (err.kind, err.attempt) {
            (K::IllegalMove, _) => write!(f, " (allowed: {allowed})"),
            (K::EventNotApplicable, _) => write!(f, " (applies in: {allowed})"),
            (K::Unreachable, _) => write!(f, " (reachable: {allowed})"),
            (K::UnknownState, _) => f.write_str(": this version does not know that state"),
            (K::StateForbidsDeletion, _) => write!(f, " (deletion is allowed from: {allowed})"),
            (K::EnabledUsersRemain, Attempted::Delete { enabled_users: n }) => {
                let s = if n == 1 { "" } else { "s" };
                write!(f, " with {n} enabled user{s} without ForceDelete")
            }
            _ => Ok(()),
        }
    }
}

/// A refused move that hands the value back: the organization, unchanged, and the
/// [`TransitionError`] saying why.
///
/// It is not an [`Error`](std::error::Error) itself, because the value may borrow:
/// [`into_error`](Self::into_error), or `?` in a function returning `TransitionError`,
/// leaves the plain error. `Display` and `Debug` read like the error's message.
///
/// ```
/// use workmail_org::lifecycle::{OrganizationState as S, Refused, Tracked};
///
/// fn activate(name: &str) -> Result<Tracked<&str>, Box<dyn std::error::Error + Send + Sync>> {
///     Ok(Tracked::new(S::Requested, name).transition_to(S::Active).map_err(Refused::into_error)?)
/// }
/// assert!(activate("corp").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Refused<V> {
    value: V,
    error: TransitionError,
}

debug_as_display!(Refused<V>);

impl<V> Refused<V> {
    pub(crate) fn new(value: V, error: TransitionError) -> Self {
        Self { value, error }
    }

    /// The value, unchanged.
    pub fn into_value(self) -> V {
        self.value
    }

    /// Why the move was refused.
    pub fn error(&self) -> &TransitionError {
        &self.error
    }

    /// The plain error, dropping the value.
    pub fn into_error(self) -> TransitionError {
        self.error
    }
}

impl<V> From<Refused<V>> for TransitionError {
    fn from(refused: Refused<V>) -> Self {
        refused.error
    }
}

impl<V> fmt::Display for Refused<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}
