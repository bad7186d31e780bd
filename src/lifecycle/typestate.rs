//! The lifecycle at compile time: [`TypedOrganization<S, T>`] carries its state in its type,
//! so an illegal move is a missing method rather than a run-time error.
//!
//! The state markers ([`Requested`], [`Creating`], ...) are zero-sized types named exactly
//! like the states. The trait they implement, [`State`], is sealed: no other crate can add a
//! state. Each state has its own `impl` block whose methods consume the organization and
//! return it in the next state; the methods are named after the [`LifecycleEvent`] they make.
//! They are written out by hand (through a macro) and checked against the [transition
//! table](super::TRANSITIONS) at compile time: the crate fails to compile unless they match it
//! edge for edge.
//!
//! Every move is unconditional except `request_deletion`, the one move the caller asks for
//! rather than observes: it takes the [`DeletionRequest`] and the number of enabled users, and
//! moves to [`Deleting`] only when [`OrganizationState::check_deletion`] accepts them
//! (`DeleteDirectory` chosen, and `ForceDelete` when enabled users remain). Otherwise it
//! returns a [`TypedDeletionError`] that gives the organization back, still in its state. A
//! compile-time check makes every typed move into `Deleting` go through that check.
//!
//! | event | method |
//! | --- | --- |
//! | `CreationStarted` | `start_creation` |
//! | `CreationFailed` | `fail_creation` |
//! | `CreationCompleted` | `complete_creation` |
//! | `ValidationStarted` | `start_validation` |
//! | `HealthCheckPassed` | `pass_health_check` |
//! | `IssueDetected` | `detect_issue` |
//! | `Recovered` | `recover` |
//! | `Deactivated` | `deactivate` |
//! | `Reactivated` | `reactivate` |
//! | `DeletionRequested` | `request_deletion` (checked, returns a `Result`) |
//! | `DeletionCompleted` | `complete_deletion` |
//!
//! # Illegal moves do not compile
//!
//! Each example that does not compile is followed by its twin: the same code, with the one
//! step added or changed that makes the move legal, so the first fails only for want of the
//! method in that state.
//!
//! `Requested` cannot become `Active` without being created:
//!
//! ```compile_fail,E0599
//! use workmail_org::lifecycle::{typestate::Active, TypedOrganization};
//!
//! let org = TypedOrganization::new(());
//! let org: TypedOrganization<Active> = org.complete_creation();
//! ```
//!
//! ```
//! use workmail_org::lifecycle::{typestate::Active, TypedOrganization};
//!
//! let org = TypedOrganization::new(()).start_creation();
//! let org: TypedOrganization<Active> = org.complete_creation();
//! ```
//!
//! `Active` cannot go back to `Creating`:
//!
//! ```compile_fail,E0599
//! use workmail_org::lifecycle::{typestate::Creating, TypedOrganization};
//!
//! let org = TypedOrganization::new(()).start_creation().complete_creation();
//! let org: TypedOrganization<Creating> = org.start_creation();
//! ```
//!
//! ```
//! use workmail_org::lifecycle::{typestate::Creating, TypedOrganization};
//!
//! let org = TypedOrganization::new(());
//! let org: TypedOrganization<Creating> = org.start_creation();
//! ```
//!
//! `Deleted` is terminal: nothing brings it back:
//!
//! ```compile_fail,E0599
//! use workmail_org::lifecycle::{typestate::Validating, DeletionRequest, TypedOrganization};
//!
//! let request = DeletionRequest::new().with_delete_directory(true);
//! let org = TypedOrganization::new(()).start_creation().complete_creation();
//! let org = org.request_deletion(&request, 0)?.complete_deletion();
//! let org: TypedOrganization<Validating> = org.start_validation();
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! use workmail_org::lifecycle::{typestate::Validating, TypedOrganization};
//!
//! let org = TypedOrganization::new(()).start_creation().complete_creation();
//! let org = org.detect_issue();
//! let org: TypedOrganization<Validating> = org.start_validation();
//! ```
//!
//! A `Failed` organization cannot be completed after all:
//!
//! ```compile_fail,E0599
//! use workmail_org::lifecycle::{typestate::Active, TypedOrganization};
//!
//! let org = TypedOrganization::new(()).start_creation().fail_creation();
//! let org: TypedOrganization<Active> = org.complete_creation();
//! ```
//!
//! ```
//! use workmail_org::lifecycle::{typestate::Active, TypedOrganization};
//!
//! let org = TypedOrganization::new(()).start_creation();
//! let org: TypedOrganization<Active> = org.complete_creation();
//! ```
//!
//! A `Requested` organization cannot be deleted before it has been created or has failed:
//!
//! ```compile_fail,E0599
//! use workmail_org::lifecycle::{typestate::Deleting, DeletionRequest, TypedOrganization};
//!
//! let request = DeletionRequest::new().with_delete_directory(true);
//! let org = TypedOrganization::new(());
//! let org: TypedOrganization<Deleting> = org.request_deletion(&request, 0)?;
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! use workmail_org::lifecycle::{typestate::Deleting, DeletionRequest, TypedOrganization};
//!
//! let request = DeletionRequest::new().with_delete_directory(true);
//! let org = TypedOrganization::new(()).fail_creation();
//! let org: TypedOrganization<Deleting> = org.request_deletion(&request, 0)?;
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Deletion cannot be requested without a [`DeletionRequest`] and the number of enabled users,
//! so the deletion rule cannot be skipped:
//!
//! ```compile_fail,E0061
//! use workmail_org::lifecycle::{typestate::Deleting, DeletionRequest, TypedOrganization};
//!
//! let request = DeletionRequest::new().with_delete_directory(true);
//! let org = TypedOrganization::new(()).fail_creation();
//! let org: TypedOrganization<Deleting> = org.request_deletion()?;
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! use workmail_org::lifecycle::{typestate::Deleting, DeletionRequest, TypedOrganization};
//!
//! let request = DeletionRequest::new().with_delete_directory(true);
//! let org = TypedOrganization::new(()).fail_creation();
//! let org: TypedOrganization<Deleting> = org.request_deletion(&request, 0)?;
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! `Inactive` is not `Impaired`: it must be reactivated and pass a health check, not recover:
//!
//! ```compile_fail,E0599
//! use workmail_org::lifecycle::{typestate::Active, TypedOrganization};
//!
//! let org = TypedOrganization::new(()).start_creation().complete_creation().deactivate();
//! let org: TypedOrganization<Active> = org.recover();
//! ```
//!
//! ```
//! use workmail_org::lifecycle::{typestate::Active, TypedOrganization};
//!
//! let org = TypedOrganization::new(()).start_creation().complete_creation().detect_issue();
//! let org: TypedOrganization<Active> = org.recover();
//! ```
//!
//! A `Validating` organization cannot be deactivated until the check is over:
//!
//! ```compile_fail,E0599
//! use workmail_org::lifecycle::{typestate::Inactive, TypedOrganization};
//!
//! let org = TypedOrganization::new(()).start_creation().start_validation();
//! let org: TypedOrganization<Inactive> = org.deactivate();
//! ```
//!
//! ```
//! use workmail_org::lifecycle::{typestate::Inactive, TypedOrganization};
//!
//! let org = TypedOrganization::new(()).start_creation().start_validation().pass_health_check();
//! let org: TypedOrganization<Inactive> = org.deactivate();
//! ```
//!
//! Outsiders cannot add a state, because [`State`] is sealed:
//!
//! ```compile_fail,E0277
//! use workmail_org::lifecycle::{typestate::State, OrganizationState};
//!
//! #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
//! struct Suspended;
//! impl State for Suspended {
//!     const STATE: OrganizationState = OrganizationState::Active;
//! }
//! ```

use std::fmt::{self, Debug};
use std::hash::Hash;

use super::event::LifecycleEvent;
use super::permissions::{DeletionError, DeletionRequest};
use super::state::OrganizationState;
use super::table::{edge_by_event, TRANSITIONS};

mod sealed {
    /// Keeps [`State`](super::State) closed to this crate's markers.
    pub trait Sealed {}
}

/// A compile-time organization state: implemented by the markers in this module only.
pub trait State:
    sealed::Sealed + Copy + Eq + Ord + Hash + Debug + Default + Send + Sync + 'static
{
    /// The run-time state this marker stands for.
    const STATE: OrganizationState;
}

macro_rules! markers {
    ($($name:ident: $what:literal;)*) => {$(
        #[doc = concat!("Typestate marker: the organization ", $what, " ([`OrganizationState::", stringify!($name), "`]).")]
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
        pub struct $name;

        impl sealed::Sealed for $name {}

        impl State for $name {
            const STATE: OrganizationState = OrganizationState::$name;
        }
    )*};
}

markers! {
    Requested: "is queued for creation";
    Creating: "is being created";
    Validating: "is being health-checked";
    Active: "is healthy and ready for use";
    Impaired: "is malfunctioning";
    Inactive: "is inactive";
    Failed: "could not be created";
    Deleting: "is being deleted";
    Deleted: "has been deleted";
}

/// An organization whose state `S` is known at compile time, carrying the caller's data `T`.
///
/// Start in [`Requested`] with [`new`](TypedOrganization::new); every other state is reached
/// by the transition methods of the state before it, or by converting a run-time
/// [`AnyOrganization`](super::AnyOrganization) with [`TryFrom`] after checking its state.
///
/// # Examples
///
/// ```
/// use workmail_org::lifecycle::{typestate::Active, OrganizationState, TypedOrganization};
///
/// let org = TypedOrganization::new("m-0123456789abcdef0123456789abcdef");
/// let org = org.start_creation().start_validation();
/// let org: TypedOrganization<Active, _> = org.pass_health_check();
/// assert_eq!(org.state(), OrganizationState::Active);
/// assert_eq!(*org.data(), "m-0123456789abcdef0123456789abcdef");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct TypedOrganization<S: State, T = ()> {
    data: T,
    state: S,
}

impl<T> TypedOrganization<Requested, T> {
    /// A new organization whose creation has been requested.
    pub fn new(data: T) -> Self {
        Self::from_data(data)
    }
}

impl<S: State, T> TypedOrganization<S, T> {
    /// Wraps `data` in state `S`; callers must have established that the organization is in
    /// `S` (a table move, or a run-time state equal to `S::STATE`).
    pub(crate) fn from_data(data: T) -> Self {
        Self {
            data,
            state: S::default(),
        }
    }

    /// The run-time form of the state.
    pub fn state(&self) -> OrganizationState {
        S::STATE
    }

    /// The caller's data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The caller's data, mutably. Changing it does not change the state.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// The caller's data, dropping the state.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The one way the typed methods change state; the table check is at compile time below.
    fn step<N: State>(self) -> TypedOrganization<N, T> {
        TypedOrganization::from_data(self.data)
    }
}

/// One typed method: an unconditional move, or (`checked`) the deletion request, which moves
/// only when [`OrganizationState::check_deletion`] accepts the request.
macro_rules! typed_method {
    ($(#[$doc:meta])* fn $method:ident by $event:ident: $from:ident -> $to:ident) => {
        $(#[$doc])*
        #[doc = concat!(
            "\n\nThe `", stringify!($event), "` move, `",
            stringify!($from), "` to `", stringify!($to), "`."
        )]
        pub fn $method(self) -> TypedOrganization<$to, T> {
            self.step()
        }
    };
    ($(#[$doc:meta])* fn $method:ident by $event:ident: $from:ident -> $to:ident, checked) => {
        $(#[$doc])*
        #[doc = concat!(
            "\n\nThe `", stringify!($event), "` move, `",
            stringify!($from), "` to `", stringify!($to), "`, made only when ",
            "[`OrganizationState::check_deletion`] accepts `request` with `enabled_users` ",
            "users still enabled: `DeleteDirectory` must be chosen, and `ForceDelete` too ",
            "when `enabled_users` is not 0.",
            "\n\n# Errors\n\n",
            "[`TypedDeletionError`], which gives the organization back unchanged (still in `",
            stringify!($from), "`), when `DeleteDirectory` is not chosen ",
            "([`DirectoryNotDeleted`](super::DeletionErrorKind::DirectoryNotDeleted)) or users ",
            "remain enabled without `ForceDelete` ",
            "([`EnabledUsersRemain`](super::DeletionErrorKind::EnabledUsersRemain))."
        )]
        pub fn $method(
            self,
            request: &DeletionRequest,
            enabled_users: usize,
        ) -> Result<TypedOrganization<$to, T>, TypedDeletionError<$from, T>> {
            match $from::STATE.check_deletion(request, enabled_users) {
                Ok(()) => Ok(self.step()),
                Err(error) => Err(TypedDeletionError {
                    organization: self,
                    error,
                }),
            }
        }
    };
    (@checked) => {
        false
    };
    (@checked checked) => {
        true
    };
}

/// A typed method as the compile-time check sees it.
struct TypedEdge {
    from: OrganizationState,
    event: LifecycleEvent,
    to: OrganizationState,
    /// The method's name, pinned by a unit test.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "only the unit tests read the name")
    )]
    name: &'static str,
    /// Whether the method checks a [`DeletionRequest`] before moving.
    checked: bool,
}

macro_rules! typed_transitions {
    ($(
        $(#[$impl_doc:meta])*
        $from:ident {
            $($(#[$doc:meta])* fn $method:ident by $event:ident -> $to:ident $(, $checked:ident)?;)*
        }
    )*) => {
        $(
            $(#[$impl_doc])*
            impl<T> TypedOrganization<$from, T> {
                $(
                    typed_method! {
                        $(#[$doc])* fn $method by $event: $from -> $to $(, $checked)?
                    }
                )*
            }
        )*

        /// Every typed method, generated with the methods.
        const TYPED_EDGES: &[TypedEdge] = &[
            $($(TypedEdge {
                from: OrganizationState::$from,
                event: LifecycleEvent::$event,
                to: OrganizationState::$to,
                name: stringify!($method),
                checked: typed_method!(@checked $($checked)?),
            },)*)*
        ];
    };
}

typed_transitions! {
    /// Moves out of `Requested`.
    Requested {
        /// The queued request is picked up.
        fn start_creation by CreationStarted -> Creating;
        /// The organization could not be created.
        fn fail_creation by CreationFailed -> Failed;
    }
    /// Moves out of `Creating`.
    Creating {
        /// Creation is done; a health check of all settings begins.
        fn start_validation by ValidationStarted -> Validating;
        /// Creation is done and the organization is ready.
        fn complete_creation by CreationCompleted -> Active;
        /// The organization could not be created.
        fn fail_creation by CreationFailed -> Failed;
    }
    /// Moves out of `Validating`.
    Validating {
        /// The health check found nothing wrong.
        fn pass_health_check by HealthCheckPassed -> Active;
        /// The health check found a problem.
        fn detect_issue by IssueDetected -> Impaired;
    }
    /// Moves out of `Active`.
    Active {
        /// A health check of all settings begins.
        fn start_validation by ValidationStarted -> Validating;
        /// A malfunction was detected.
        fn detect_issue by IssueDetected -> Impaired;
        /// The organization is switched off.
        fn deactivate by Deactivated -> Inactive;
        /// Requests deletion (`DeleteOrganization`), checking the request first.
        fn request_deletion by DeletionRequested -> Deleting, checked;
    }
    /// Moves out of `Impaired`.
    Impaired {
        /// The issue is resolved.
        fn recover by Recovered -> Active;
        /// A health check of all settings begins.
        fn start_validation by ValidationStarted -> Validating;
        /// The organization is switched off.
        fn deactivate by Deactivated -> Inactive;
        /// Requests deletion (`DeleteOrganization`), checking the request first.
        fn request_deletion by DeletionRequested -> Deleting, checked;
    }
    /// Moves out of `Inactive`.
    Inactive {
        /// The organization is switched back on and re-checked.
        fn reactivate by Reactivated -> Validating;
        /// Requests deletion (`DeleteOrganization`), checking the request first.
        fn request_deletion by DeletionRequested -> Deleting, checked;
    }
    /// Moves out of `Failed`.
    Failed {
        /// Requests deletion (`DeleteOrganization`), checking the request first.
        fn request_deletion by DeletionRequested -> Deleting, checked;
    }
    /// Moves out of `Deleting`.
    Deleting {
        /// Deletion finished.
        fn complete_deletion by DeletionCompleted -> Deleted;
    }
    /// `Deleted` is terminal: no moves.
    Deleted {}
}

// The typed methods and the table agree edge for edge, checked when the crate compiles:
// every method is a table edge (same source, event and target) and every edge has a method.
// Every move into `Deleting`, and only those, checks the deletion request first.
const _: () = {
    let mut i = 0;
    while i < TYPED_EDGES.len() {
        let TypedEdge {
            from,
            event,
            to,
            checked,
            ..
        } = TYPED_EDGES[i];
        match edge_by_event(from, event) {
            Some(edge) => assert!(
                edge.to().index() == to.index(),
                "a typed method leads elsewhere than its table edge"
            ),
            None => panic!("a typed method is not in the transition table"),
        }
        let into_deleting = to.index() == OrganizationState::Deleting.index();
        assert!(
            checked == into_deleting,
            "a typed move into Deleting must check the deletion request, and only those may"
        );
        assert!(
            !checked || event.index() == LifecycleEvent::DeletionRequested.index(),
            "a checked typed method must be the DeletionRequested move"
        );
        i += 1;
    }
    let mut j = 0;
    while j < TRANSITIONS.len() {
        let edge = TRANSITIONS[j];
        let mut found = false;
        let mut k = 0;
        while k < TYPED_EDGES.len() {
            let TypedEdge { from, event, .. } = TYPED_EDGES[k];
            found |= from.index() == edge.from().index() && event.index() == edge.event().index();
            k += 1;
        }
        assert!(found, "a table edge has no typed method");
        j += 1;
    }
};

/// A deletion request that a [`TypedOrganization`] in state `S` refused, because
/// `DeleteDirectory` was not chosen or users remain enabled without `ForceDelete`.
///
/// Gives the organization back unchanged, still in `S`. The message is the
/// [`DeletionError`]'s, for example
/// `cannot delete organization with 3 enabled users without ForceDelete`.
///
/// # Examples
///
/// ```
/// use workmail_org::lifecycle::{
///     DeletionErrorKind, DeletionRequest, OrganizationState, TypedOrganization,
/// };
///
/// let org = TypedOrganization::new("corp").start_creation().complete_creation();
/// let request = DeletionRequest::new().with_delete_directory(true);
///
/// let refused = org.request_deletion(&request, 3).unwrap_err();
/// assert_eq!(refused.error().kind(), DeletionErrorKind::EnabledUsersRemain);
/// assert_eq!(
///     refused.to_string(),
///     "cannot delete organization with 3 enabled users without ForceDelete"
/// );
///
/// // The caller keeps the organization, in its state, and may try again.
/// let org = refused.into_organization();
/// assert_eq!(org.state(), OrganizationState::Active);
/// let org = org.request_deletion(&request.with_force_delete(true), 3)?;
/// assert_eq!(org.state(), OrganizationState::Deleting);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct TypedDeletionError<S: State, T = ()> {
    organization: TypedOrganization<S, T>,
    error: DeletionError,
}

impl<S: State, T> TypedDeletionError<S, T> {
    /// Why the request was refused; its [`kind`](DeletionError::kind) says which rule failed.
    pub fn error(&self) -> &DeletionError {
        &self.error
    }

    /// The organization, unchanged.
    pub fn organization(&self) -> &TypedOrganization<S, T> {
        &self.organization
    }

    /// The organization, unchanged, by value.
    pub fn into_organization(self) -> TypedOrganization<S, T> {
        self.organization
    }
}

impl<S: State, T> fmt::Debug for TypedDeletionError<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TypedDeletionError")
            .field(&self.to_string())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_methods_and_table_edges_are_the_same_set() {
        let mut typed: Vec<_> = TYPED_EDGES
            .iter()
            .map(|edge| (edge.from, edge.event, edge.to))
            .collect();
        let mut table: Vec<_> = TRANSITIONS
            .iter()
            .map(|t| (t.from(), t.event(), t.to()))
            .collect();
        typed.sort();
        table.sort();
        assert_eq!(typed, table);
    }

    #[test]
    fn methods_are_named_after_their_events() {
        let expected = [
            (LifecycleEvent::CreationStarted, "start_creation"),
            (LifecycleEvent::CreationFailed, "fail_creation"),
            (LifecycleEvent::CreationCompleted, "complete_creation"),
            (LifecycleEvent::ValidationStarted, "start_validation"),
            (LifecycleEvent::HealthCheckPassed, "pass_health_check"),
            (LifecycleEvent::IssueDetected, "detect_issue"),
            (LifecycleEvent::Recovered, "recover"),
            (LifecycleEvent::Deactivated, "deactivate"),
            (LifecycleEvent::Reactivated, "reactivate"),
            (LifecycleEvent::DeletionRequested, "request_deletion"),
            (LifecycleEvent::DeletionCompleted, "complete_deletion"),
        ];
        for edge in TYPED_EDGES {
            let (event, method) = (edge.event, edge.name);
            assert!(expected.contains(&(event, method)), "{method} for {event}");
        }
    }

    #[test]
    fn every_typed_method_lands_in_its_declared_state() {
        let requested = || TypedOrganization::new(());
        let creating = || requested().start_creation();
        let validating = || creating().start_validation();
        let active = || creating().complete_creation();
        let impaired = || active().detect_issue();
        let inactive = || active().deactivate();
        let failed = || requested().fail_creation();
        let request = DeletionRequest::new().with_delete_directory(true);
        // Where a deletion request leaves the organization: `Deleting`, or its own state if
        // the request was refused.
        fn reached<S: State>(
            moved: Result<TypedOrganization<Deleting>, TypedDeletionError<S, ()>>,
        ) -> OrganizationState {
            match moved {
                Ok(org) => org.state(),
                Err(refused) => refused.organization().state(),
            }
        }
        let deleting = || failed().request_deletion(&request, 0);
        use OrganizationState as S;
        let called = [
            (
                S::Requested,
                S::Creating,
                requested().start_creation().state(),
            ),
            (S::Requested, S::Failed, requested().fail_creation().state()),
            (
                S::Creating,
                S::Validating,
                creating().start_validation().state(),
            ),
            (
                S::Creating,
                S::Active,
                creating().complete_creation().state(),
            ),
            (S::Creating, S::Failed, creating().fail_creation().state()),
            (
                S::Validating,
                S::Active,
                validating().pass_health_check().state(),
            ),
            (
                S::Validating,
                S::Impaired,
                validating().detect_issue().state(),
            ),
            (
                S::Active,
                S::Validating,
                active().start_validation().state(),
            ),
            (S::Active, S::Impaired, active().detect_issue().state()),
            (S::Active, S::Inactive, active().deactivate().state()),
            (
                S::Active,
                S::Deleting,
                reached(active().request_deletion(&request, 0)),
            ),
            (S::Impaired, S::Active, impaired().recover().state()),
            (
                S::Impaired,
                S::Validating,
                impaired().start_validation().state(),
            ),
            (S::Impaired, S::Inactive, impaired().deactivate().state()),
            (
                S::Impaired,
                S::Deleting,
                reached(impaired().request_deletion(&request, 0)),
            ),
            (S::Inactive, S::Validating, inactive().reactivate().state()),
            (
                S::Inactive,
                S::Deleting,
                reached(inactive().request_deletion(&request, 0)),
            ),
            (
                S::Failed,
                S::Deleting,
                reached(failed().request_deletion(&request, 0)),
            ),
            (
                S::Deleting,
                S::Deleted,
                deleting().map_or(S::Failed, |org| org.complete_deletion().state()),
            ),
        ];
        assert_eq!(called.len(), TRANSITIONS.len());
        for (from, declared, reached) in called {
            assert_eq!(reached, declared);
            assert!(from.can_transition_to(reached), "{from} to {reached}");
        }
    }

    #[test]
    fn refused_deletions_give_the_organization_back() {
        use super::super::DeletionErrorKind as K;
        let active = TypedOrganization::new(String::from("corp"))
            .start_creation()
            .complete_creation();
        let cases = [
            (DeletionRequest::new(), 0, K::DirectoryNotDeleted),
            (
                DeletionRequest::new().with_force_delete(true),
                2,
                K::DirectoryNotDeleted,
            ),
            (
                DeletionRequest::new().with_delete_directory(true),
                1,
                K::EnabledUsersRemain,
            ),
        ];
        for (request, users, kind) in cases {
            let refused = active
                .clone()
                .request_deletion(&request, users)
                .unwrap_err();
            assert_eq!(refused.error().kind(), kind);
            assert_eq!(refused.error().state(), OrganizationState::Active);
            assert_eq!(
                format!("{refused:?}"),
                format!("TypedDeletionError({:?})", refused.error().to_string())
            );
            assert_eq!(refused.organization(), &active);
            assert_eq!(refused.into_organization(), active);
        }
    }

    #[test]
    fn data_travels_with_the_organization() {
        let mut org = TypedOrganization::new(vec![1]).start_creation();
        org.data_mut().push(2);
        let org = org.complete_creation();
        assert_eq!(org.data(), &[1, 2]);
        assert_eq!(org.into_data(), [1, 2]);
    }
}
