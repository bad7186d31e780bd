//! The transition table: written once, checked at compile time, and the source of every
//! other view of the lifecycle (checks, `allowed_next`, events, docs, diagrams); the
//! typestate methods are checked against it at compile time.

use super::event::LifecycleEvent;
use super::state::OrganizationState;

use LifecycleEvent as E;
use OrganizationState as S;

/// One edge of the lifecycle: an organization in [`from`](Self::from) moves to
/// [`to`](Self::to) when [`event`](Self::event) happens.
///
/// # Examples
///
/// ```
/// use workmail_org::lifecycle::{LifecycleEvent, OrganizationState, TRANSITIONS};
///
/// let first = TRANSITIONS[0];
/// assert_eq!(first.from(), OrganizationState::Requested);
/// assert_eq!(first.event(), LifecycleEvent::CreationStarted);
/// assert_eq!(first.to(), OrganizationState::Creating);
/// assert_eq!(first.to_string(), "Requested -> Creating (CreationStarted)");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Transition {
    from: OrganizationState,
    event: LifecycleEvent,
    to: OrganizationState,
}

impl Transition {
    const fn new(from: OrganizationState, event: LifecycleEvent, to: OrganizationState) -> Self {
        Self { from, event, to }
    }

    /// The state the organization leaves.
    pub const fn from(self) -> OrganizationState {
        self.from
    }

    /// The event that makes the move.
    pub const fn event(self) -> LifecycleEvent {
        self.event
    }

    /// The state the organization enters.
    pub const fn to(self) -> OrganizationState {
        self.to
    }
}

impl std::fmt::Display for Transition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} -> {} ({})", self.from, self.to, self.event)
    }
}

/// The lifecycle this crate enforces: every legal move, grouped by source state in the order
/// of [`OrganizationState::ALL`], each labelled with the [`LifecycleEvent`] that makes it.
///
/// Decision: AWS documents the states but not the moves between them; this table is this
/// crate's. [`OrganizationState::allowed_next`], [`OrganizationState::transition_to`],
/// [`LifecycleEvent::target`], the table in the [module docs](super) and the diagrams in
/// [`diagram`](super::diagram) are computed from it; the typestate methods are written in a
/// macro and checked against it at compile time, edge for edge.
///
/// Compile-time checks reject a table with a self-loop, a repeated move, a state offering the
/// same event twice, an event with two targets, an unused event, or rows out of order.
pub const TRANSITIONS: &[Transition] = &[
    Transition::new(S::Requested, E::CreationStarted, S::Creating),
    Transition::new(S::Requested, E::CreationFailed, S::Failed),
    Transition::new(S::Creating, E::ValidationStarted, S::Validating),
    Transition::new(S::Creating, E::CreationCompleted, S::Active),
    Transition::new(S::Creating, E::CreationFailed, S::Failed),
    Transition::new(S::Validating, E::HealthCheckPassed, S::Active),
    Transition::new(S::Validating, E::IssueDetected, S::Impaired),
    Transition::new(S::Active, E::ValidationStarted, S::Validating),
    Transition::new(S::Active, E::IssueDetected, S::Impaired),
    Transition::new(S::Active, E::Deactivated, S::Inactive),
    Transition::new(S::Active, E::DeletionRequested, S::Deleting),
    Transition::new(S::Impaired, E::Recovered, S::Active),
    Transition::new(S::Impaired, E::ValidationStarted, S::Validating),
    Transition::new(S::Impaired, E::Deactivated, S::Inactive),
    Transition::new(S::Impaired, E::DeletionRequested, S::Deleting),
    Transition::new(S::Inactive, E::Reactivated, S::Validating),
    Transition::new(S::Inactive, E::DeletionRequested, S::Deleting),
    Transition::new(S::Failed, E::DeletionRequested, S::Deleting),
    Transition::new(S::Deleting, E::DeletionCompleted, S::Deleted),
];

const STATES: usize = OrganizationState::ALL.len();
const EVENTS: usize = LifecycleEvent::ALL.len();

/// A list of states built at compile time (a slice cannot be built in a `const fn`).
#[derive(Clone, Copy)]
pub(crate) struct StateList {
    states: [OrganizationState; STATES],
    len: usize,
}

impl StateList {
    const EMPTY: Self = Self {
        states: [S::Requested; STATES],
        len: 0,
    };

    /// Appends a state; more than `STATES` pushes fail to compile (index out of bounds).
    const fn push(mut self, state: OrganizationState) -> Self {
        self.states[self.len] = state;
        self.len += 1;
        self
    }

    pub(crate) fn as_slice(&self) -> &[OrganizationState] {
        // `len` never exceeds the capacity (see `push`), so the fallback is never taken.
        self.states.get(..self.len).unwrap_or(&[])
    }
}

/// Targets of each state, in table order, indexed by [`OrganizationState::index`].
pub(crate) static NEXT: [StateList; STATES] = {
    let mut lists = [StateList::EMPTY; STATES];
    let mut i = 0;
    while i < TRANSITIONS.len() {
        let t = TRANSITIONS[i];
        lists[t.from.index()] = lists[t.from.index()].push(t.to);
        i += 1;
    }
    lists
};

/// Sources of each state, in table order, indexed by [`OrganizationState::index`].
pub(crate) static PREVIOUS: [StateList; STATES] = {
    let mut lists = [StateList::EMPTY; STATES];
    let mut i = 0;
    while i < TRANSITIONS.len() {
        let t = TRANSITIONS[i];
        lists[t.to.index()] = lists[t.to.index()].push(t.from);
        i += 1;
    }
    lists
};

/// States each event applies from, in table order, indexed by [`LifecycleEvent::index`].
pub(crate) static EVENT_SOURCES: [StateList; EVENTS] = {
    let mut lists = [StateList::EMPTY; EVENTS];
    let mut i = 0;
    while i < TRANSITIONS.len() {
        let t = TRANSITIONS[i];
        lists[t.event.index()] = lists[t.event.index()].push(t.from);
        i += 1;
    }
    lists
};

/// The single target of each event, indexed by [`LifecycleEvent::index`]. Building it fails to
/// compile when an event has no edge or edges to two different states.
pub(crate) const EVENT_TARGETS: [OrganizationState; EVENTS] = {
    let mut targets = [S::Requested; EVENTS];
    let mut seen = [false; EVENTS];
    let mut i = 0;
    while i < TRANSITIONS.len() {
        let t = TRANSITIONS[i];
        let e = t.event.index();
        if seen[e] {
            assert!(
                targets[e].index() == t.to.index(),
                "an event moves to two different states"
            );
        }
        targets[e] = t.to;
        seen[e] = true;
        i += 1;
    }
    let mut e = 0;
    while e < EVENTS {
        assert!(seen[e], "an event has no edge in the transition table");
        e += 1;
    }
    targets
};

/// The edge leaving `from` by `event`, if the table has one. Usable in constants, which the
/// typestate uses to check its methods against the table at compile time.
pub(crate) const fn edge_by_event(
    from: OrganizationState,
    event: LifecycleEvent,
) -> Option<Transition> {
    let mut i = 0;
    while i < TRANSITIONS.len() {
        let t = TRANSITIONS[i];
        if t.from.index() == from.index() && t.event.index() == event.index() {
            return Some(t);
        }
        i += 1;
    }
    None
}

// The shape of the table, checked when the crate compiles.
const _: () = {
    let mut i = 0;
    while i < TRANSITIONS.len() {
        let a = TRANSITIONS[i];
        assert!(a.from.index() != a.to.index(), "self-loop in the table");
        if i > 0 {
            assert!(
                TRANSITIONS[i - 1].from.index() <= a.from.index(),
                "rows must follow the order of OrganizationState::ALL"
            );
        }
        let mut j = i + 1;
        while j < TRANSITIONS.len() {
            let b = TRANSITIONS[j];
            if a.from.index() == b.from.index() {
                assert!(a.to.index() != b.to.index(), "a move is listed twice");
                assert!(
                    a.event.index() != b.event.index(),
                    "a state offers the same event twice"
                );
            }
            j += 1;
        }
        i += 1;
    }
    // Reading EVENT_TARGETS forces its checks even if nothing else used it.
    assert!(EVENT_TARGETS.len() == EVENTS);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_lists_agree_with_the_table() {
        for &state in OrganizationState::ALL {
            let next: Vec<_> = TRANSITIONS
                .iter()
                .filter(|t| t.from == state)
                .map(|t| t.to)
                .collect();
            assert_eq!(NEXT[state.index()].as_slice(), next, "next of {state}");
            let previous: Vec<_> = TRANSITIONS
                .iter()
                .filter(|t| t.to == state)
                .map(|t| t.from)
                .collect();
            assert_eq!(
                PREVIOUS[state.index()].as_slice(),
                previous,
                "previous of {state}"
            );
        }
        for &event in LifecycleEvent::ALL {
            let sources: Vec<_> = TRANSITIONS
                .iter()
                .filter(|t| t.event == event)
                .map(|t| t.from)
                .collect();
            assert_eq!(EVENT_SOURCES[event.index()].as_slice(), sources);
            assert!(TRANSITIONS
                .iter()
                .filter(|t| t.event == event)
                .all(|t| t.to == EVENT_TARGETS[event.index()]));
        }
    }

    #[test]
    fn edge_by_event_finds_exactly_the_table_edges() {
        for &from in OrganizationState::ALL {
            for &event in LifecycleEvent::ALL {
                let expected = TRANSITIONS
                    .iter()
                    .copied()
                    .find(|t| t.from == from && t.event == event);
                assert_eq!(edge_by_event(from, event), expected, "{from} by {event}");
            }
        }
    }
}
