//! The transition table, written once, and what each state allows.

use super::error::{Attempted, TransitionError, TransitionErrorKind};
use super::state::{Event, OrganizationState};

/// One move of the lifecycle: an organization in `from` moves to `to` when `event` happens.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Transition {
    /// The state the organization leaves.
    pub from: OrganizationState,
    /// What happens.
    pub event: Event,
    /// The state the organization enters.
    pub to: OrganizationState,
}

const fn row(from: OrganizationState, event: Event, to: OrganizationState) -> Transition {
    Transition { from, event, to }
}

/// Every move this crate allows, as written in the source, `row(from, event, to)`:
///
#[doc = concat!("```text\n", include_str!("transitions.rs"), "```")]
///
/// Decision: AWS documents the states but not the moves between them. Every check is
/// computed from this table, and the crate does not compile if a [`Typed`](super::typestate::Typed)
/// method differs from its row, a state moves to itself, two moves join the same states or
/// leave one state by one event, or an event leads to two states.
pub const TRANSITIONS: &[Transition] = {
    use Event::*;
    use OrganizationState::*;
    // The rows live in their own file so that the docs above show them as written.
    include!("transitions.rs")
};

// The shape of the table (`as usize`: `==` is not const).
const _: () = {
    let t = TRANSITIONS;
    let mut i = 0;
    while i < t.len() {
        assert!(t[i].from as usize != t[i].to as usize, "a move to itself");
        let mut j = i + 1;
        while j < t.len() {
            let same_from = t[i].from as usize == t[j].from as usize;
            let same_event = t[i].event as usize == t[j].event as usize;
            let same_to = t[i].to as usize == t[j].to as usize;
            assert!(
                !same_from || !(same_to || same_event),
                "a move listed twice"
            );
            assert!(!same_event || same_to, "an event that leads to two states");
            j += 1;
        }
        i += 1;
    }
};

/// The rows that `keep` keeps, in table order.
pub(crate) fn rows(keep: impl Fn(&Transition) -> bool) -> impl Iterator<Item = Transition> {
    TRANSITIONS.iter().copied().filter(keep)
}

/// The move out of `from` by `event`, if the table has one.
pub(crate) fn edge(from: OrganizationState, event: Event) -> Option<Transition> {
    rows(|t| t.from == from && t.event == event).next()
}

const STATES: usize = OrganizationState::ALL.len();

/// Breadth-first search from `from`, in table order so that answers are deterministic: for
/// each state, `None` if unreachable, else `Some` of the move that first reached it, if any.
fn search(from: OrganizationState) -> [Option<Option<Transition>>; STATES] {
    let mut reached = [None; STATES];
    reached[from as usize] = Some(None);
    let (mut queue, mut head, mut tail) = ([from; STATES], 0, 1);
    while head < tail {
        let at = queue[head];
        head += 1;
        for t in rows(|t| t.from == at) {
            if reached[t.to as usize].is_none() {
                reached[t.to as usize] = Some(Some(t));
                (queue[tail], tail) = (t.to, tail + 1);
            }
        }
    }
    reached
}

impl OrganizationState {
    /// The states this one may move to, in table order; none for a terminal state.
    pub fn allowed_next(self) -> impl Iterator<Item = OrganizationState> {
        rows(move |t| t.from == self).map(|t| t.to)
    }

    /// Whether no move leaves this state (only `Deleted`).
    pub fn is_terminal(self) -> bool {
        self.allowed_next().next().is_none()
    }

    /// Whether member and domain operations are allowed: only in `Active` (WorkMail
    /// Administrator Guide, Organization states). Deletion has its own rule,
    /// [`DeletionRequest::check`](super::DeletionRequest::check).
    pub fn is_operational(self) -> bool {
        self == Self::Active
    }

    /// The moves implied when AWS reports `seen` for an organization last seen in `self`.
    ///
    /// Polling can miss states, so any state reachable through the table is accepted; the
    /// answer is the shortest path (ties broken by table order), and empty when `seen` is
    /// `self`: seeing the same state again is no move. This records a report and checks no
    /// deletion request.
    ///
    /// # Errors
    ///
    /// [`Unreachable`](TransitionErrorKind::Unreachable) when no path leads to `seen`.
    ///
    /// ```
    /// use workmail_org::lifecycle::{Event, OrganizationState as S};
    ///
    /// let path = S::Requested.observe(S::Active)?;
    /// assert!(path.iter().map(|t| t.event).eq([Event::CreationStarted, Event::CreationCompleted]));
    /// assert_eq!(S::Active.observe(S::Active)?, []);
    /// assert!(S::Active.observe(S::Creating).is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn observe(self, seen: OrganizationState) -> Result<Vec<Transition>, TransitionError> {
        let reached = search(self);
        if reached[seen as usize].is_none() {
            let (kind, attempt) = (TransitionErrorKind::Unreachable, Attempted::Observe(seen));
            return Err(TransitionError::new(kind, self.into(), attempt));
        }
        let back = |t: &Transition| reached[t.from as usize].flatten();
        let mut path: Vec<_> =
            std::iter::successors(reached[seen as usize].flatten(), back).collect();
        path.reverse();
        Ok(path)
    }

    /// The states [`observe`](Self::observe) accepts after this one, other than itself.
    pub(crate) fn reachable(self) -> impl Iterator<Item = OrganizationState> {
        let reached = search(self);
        let found = move |&s: &OrganizationState| s != self && reached[s as usize].is_some();
        Self::ALL.iter().copied().filter(found)
    }
}

impl Event {
    /// The states this event applies in, in table order.
    pub(crate) fn sources(self) -> impl Iterator<Item = OrganizationState> {
        rows(move |t| t.event == self).map(|t| t.from)
    }
}
