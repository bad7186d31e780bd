//! Polling: accepting a state observed several moves after the last one seen.

use super::state::OrganizationState;
use super::table::Transition;

impl OrganizationState {
    /// Accepts `seen`, a state AWS reported for an organization last known to be in `self`,
    /// and returns the moves it implies.
    ///
    /// Polling can miss states, so any state reachable through the table is accepted, and
    /// like [`apply`](Self::apply) it records what AWS reports: a path into `Deleting` checks
    /// no deletion request (requesting one is [`request_deletion`](Self::request_deletion)). The path
    /// is the shortest one (breadth-first over the table, trying edges in table order, so the
    /// answer is deterministic); it is empty when `seen` is `self`.
    ///
    /// # Errors
    ///
    /// [`ObserveError`] when `seen` cannot be reached from `self`, such as `Active` after
    /// `Deleted` or `Creating` after `Active`.
    ///
    /// # Examples
    ///
    /// ```
    /// use workmail_org::lifecycle::{LifecycleEvent, OrganizationState};
    ///
    /// // Last seen Requested, now Active: the organization went through Creating.
    /// let path = OrganizationState::Requested.observe(OrganizationState::Active)?;
    /// let events: Vec<_> = path.iter().map(|t| t.event()).collect();
    /// assert_eq!(
    ///     events,
    ///     [LifecycleEvent::CreationStarted, LifecycleEvent::CreationCompleted]
    /// );
    ///
    /// assert!(OrganizationState::Active.observe(OrganizationState::Active)?.is_empty());
    ///
    /// let err = OrganizationState::Active
    ///     .observe(OrganizationState::Creating)
    ///     .unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "organization last seen in Active cannot now be in Creating: Creating is not reachable from Active"
    /// );
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn observe(self, seen: OrganizationState) -> Result<Vec<Transition>, ObserveError> {
        const N: usize = OrganizationState::ALL.len();
        // `reached_by[s]` is the edge that first reached state `s`.
        let mut reached_by: [Option<Transition>; N] = [None; N];
        let mut visited = [false; N];
        let mut queue = [self; N];
        let (mut head, mut tail) = (0, 1);
        visited[self.index()] = true;
        // Each state is queued at most once, so `tail` never exceeds `N`.
        while head < tail && !visited[seen.index()] {
            let state = queue[head];
            head += 1;
            for edge in state.transitions() {
                let next = edge.to();
                if !visited[next.index()] {
                    visited[next.index()] = true;
                    reached_by[next.index()] = Some(edge);
                    queue[tail] = next;
                    tail += 1;
                }
            }
        }
        if !visited[seen.index()] {
            return Err(ObserveError {
                current: self,
                seen,
            });
        }
        let mut path = Vec::new();
        let mut at = seen;
        while let Some(edge) = reached_by[at.index()] {
            path.push(edge);
            at = edge.from();
        }
        path.reverse();
        Ok(path)
    }
}

/// A reported state that cannot follow the last one seen, whatever moves were missed.
///
/// The message names both: `organization last seen in Deleted cannot now be in Active: Deleted
/// is terminal` or `organization last seen in Active cannot now be in Creating: Creating is not
/// reachable from Active`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error(
    "organization last seen in {current} cannot now be in {seen}: {}",
    Reason(*.current, *.seen)
)]
pub struct ObserveError {
    current: OrganizationState,
    seen: OrganizationState,
}

impl ObserveError {
    /// The state the organization was last known to be in.
    pub fn current(&self) -> OrganizationState {
        self.current
    }

    /// The state that was reported and rejected.
    pub fn seen(&self) -> OrganizationState {
        self.seen
    }
}

impl std::fmt::Debug for ObserveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ObserveError")
            .field(&self.to_string())
            .finish()
    }
}

struct Reason(OrganizationState, OrganizationState);

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self(current, seen) = *self;
        if current.is_terminal() {
            write!(f, "{current} is terminal")
        } else {
            write!(f, "{seen} is not reachable from {current}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrganizationState as S;

    #[test]
    fn paths_are_chains_of_table_edges() {
        for &from in S::ALL {
            for &to in S::ALL {
                if let Ok(path) = from.observe(to) {
                    let mut at = from;
                    for edge in &path {
                        assert_eq!(edge.from(), at);
                        assert!(at.can_transition_to(edge.to()));
                        at = edge.to();
                    }
                    assert_eq!(at, to, "{from} to {to}");
                }
            }
        }
    }

    #[test]
    fn one_move_is_the_direct_edge() {
        for &from in S::ALL {
            for &to in from.allowed_next() {
                let path = from.observe(to).unwrap();
                assert_eq!(path.len(), 1, "{from} to {to}");
            }
        }
    }

    #[test]
    fn debug_reads_like_the_message() {
        let err = S::Deleted.observe(S::Active).unwrap_err();
        assert_eq!((err.current(), err.seen()), (S::Deleted, S::Active));
        assert_eq!(
            format!("{err:?}"),
            "ObserveError(\"organization last seen in Deleted cannot now be in Active: \
             Deleted is terminal\")"
        );
    }
}
