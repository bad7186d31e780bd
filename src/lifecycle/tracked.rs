//! [`Tracked`]: an organization whose state is known at run time.

use serde::{Deserialize, Serialize};

use super::deletion::DeletionRequest;
use super::error::{Attempted, Refused, TransitionError, TransitionErrorKind as Kind};
use super::state::{Event, OrganizationState, ReportedState};
use super::table::{edge, rows, Transition};

/// An organization's state, read from AWS or storage and checked against the table at run
/// time, with the caller's data.
///
/// Moves consume the organization and give it back, moved or, in a [`Refused`], unchanged.
/// [`apply`](Self::apply), [`transition_to`](Self::transition_to) and
/// [`observe`](Self::observe) record what AWS reported; [`request_deletion`](Self::request_deletion)
/// is how a caller deletes. Decision: no move out of a state this version does not know can
/// be checked, so all but `observe` refuse with [`UnknownState`](Kind::UnknownState). Serde
/// writes `{"state":"Active","data":...}`, and rejects missing, repeated and unknown fields.
///
/// ```
/// use workmail_org::lifecycle::Tracked;
///
/// let stored: Tracked<u32> = serde_json::from_str(r#"{"state":"Suspended","data":7}"#)?;
/// assert_eq!(serde_json::to_string(&stored)?, r#"{"state":"Suspended","data":7}"#);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tracked<T = ()> {
    state: ReportedState,
    data: T,
}

impl<T> Tracked<T> {
    /// An organization in `state`, as stored or reported, carrying `data`.
    pub fn new(state: impl Into<ReportedState>, data: T) -> Self {
        let state = state.into();
        Self { state, data }
    }

    /// The current state.
    pub fn state(&self) -> &ReportedState {
        &self.state
    }

    /// The caller's data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The caller's data, dropping the state.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Moves by `event`, where the table says it leads from the current state.
    ///
    /// # Errors
    ///
    /// [`EventNotApplicable`](Kind::EventNotApplicable) when the event does not happen in
    /// the current state; [`UnknownState`](Kind::UnknownState).
    pub fn apply(self, event: Event) -> Result<Self, Refused<Self>> {
        let kind = Kind::EventNotApplicable;
        self.step(Attempted::Apply(event), kind, |from| edge(from, event))
    }

    /// Moves directly to `next`.
    ///
    /// # Errors
    ///
    /// [`IllegalMove`](Kind::IllegalMove) when the table has no such move (staying in the
    /// same state is not one); [`UnknownState`](Kind::UnknownState).
    pub fn transition_to(self, next: OrganizationState) -> Result<Self, Refused<Self>> {
        let find = |from| rows(|t: &Transition| t.from == from && t.to == next).next();
        self.step(Attempted::MoveTo(next), Kind::IllegalMove, find)
    }

    /// Accepts `seen`, the state AWS now reports, and returns the organization in it with
    /// the moves implied, as [`OrganizationState::observe`] finds them. Decision: the table
    /// says nothing about a state this version does not know, and what AWS reports is kept,
    /// so a report to or from one is recorded with an empty path (and so resynchronises).
    ///
    /// # Errors
    ///
    /// [`Unreachable`](Kind::Unreachable) when no path of moves leads to `seen`.
    ///
    /// ```
    /// use workmail_org::lifecycle::{OrganizationState as S, Refused, ReportedState, Tracked};
    ///
    /// let org = Tracked::new(S::Requested, "corp");
    /// let (org, path) = org.observe(S::Active).map_err(Refused::into_error)?;
    /// assert_eq!(path.len(), 2); // through Creating
    /// let (org, path) = org.observe(ReportedState::new("Suspended")).map_err(Refused::into_error)?;
    /// assert_eq!((org.state().as_str(), path.len()), ("Suspended", 0));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn observe(
        self,
        seen: impl Into<ReportedState>,
    ) -> Result<(Self, Vec<Transition>), Refused<Self>> {
        let seen = seen.into();
        let path = match (self.state.known().copied(), seen.known().copied()) {
            (Some(from), Some(to)) => from.observe(to),
            _ => Ok(Vec::new()),
        };
        match path {
            Ok(path) => Ok((Self::new(seen, self.data), path)),
            Err(error) => Err(Refused::new(self, error)),
        }
    }

    /// Requests deletion: moves to `Deleting` if [`DeletionRequest::check`] accepts
    /// `request` for the current state with `enabled_users` users still enabled.
    ///
    /// # Errors
    ///
    /// What [`DeletionRequest::check`] refuses, with the organization unchanged.
    pub fn request_deletion(
        self,
        request: &DeletionRequest,
        enabled_users: usize,
    ) -> Result<Self, Refused<Self>> {
        match request.check(self.state.clone(), enabled_users) {
            Ok(()) => Ok(Self::new(OrganizationState::Deleting, self.data)),
            Err(error) => Err(Refused::new(self, error)),
        }
    }

    /// Takes the move `find` gives from the known current state, or refuses with `kind`.
    fn step(
        self,
        attempt: Attempted,
        kind: Kind,
        find: impl FnOnce(OrganizationState) -> Option<Transition>,
    ) -> Result<Self, Refused<Self>> {
        let error = match self.state.known().copied().map(|from| (from, find(from))) {
            Some((_, Some(t))) => return Ok(Self::new(t.to, self.data)),
            Some((from, None)) => TransitionError::new(kind, from.into(), attempt),
            None => TransitionError::new(Kind::UnknownState, self.state.clone(), attempt),
        };
        Err(Refused::new(self, error))
    }
}
