//! The lifecycle at compile time: [`Typed<S, T>`](Typed) carries its state in its type, so
//! an illegal move is a missing method rather than a run-time error.
//!
//! The markers ([`Requested`], ...) are zero-sized types named like the states; [`State`]
//! is sealed. Each state has the methods of its own moves, named after their [`Event`]
//! (`CreationStarted` is `start_creation`): the rows of [`TRANSITIONS`], checked while
//! compiling. Only `request_deletion` can be refused: it checks a [`DeletionRequest`] and
//! hands the organization back on a [`Refused`].
//!
//! # Illegal moves do not compile
//!
//! Each example that does not compile is followed by its twin, which differs by the one
//! step that makes the move legal.
//!
//! ```compile_fail,E0599
//! // `Requested` cannot become `Active` without being created.
//! workmail_org::lifecycle::typestate::Typed::new(()).complete_creation();
//! ```
//! ```
//! workmail_org::lifecycle::typestate::Typed::new(()).start_creation().complete_creation();
//! ```
//! ```compile_fail,E0599
//! // `Active` cannot go back to `Creating`, though it can be validated again.
//! workmail_org::lifecycle::typestate::Typed::new(()).start_creation().complete_creation().start_creation();
//! ```
//! ```
//! workmail_org::lifecycle::typestate::Typed::new(()).start_creation().complete_creation().start_validation();
//! ```
//! ```compile_fail,E0599
//! // A `Failed` organization cannot be completed after all.
//! workmail_org::lifecycle::typestate::Typed::new(()).start_creation().fail_creation().complete_creation();
//! ```
//! ```
//! workmail_org::lifecycle::typestate::Typed::new(()).start_creation().complete_creation();
//! ```
//! ```compile_fail,E0599
//! // `Inactive` is not `Impaired`: it is reactivated and re-checked, it does not recover.
//! workmail_org::lifecycle::typestate::Typed::new(()).start_creation().complete_creation().deactivate().recover();
//! ```
//! ```
//! workmail_org::lifecycle::typestate::Typed::new(()).start_creation().complete_creation().detect_issue().recover();
//! ```
//! ```compile_fail,E0599
//! // A `Requested` organization cannot be deleted before it has been created or has failed.
//! workmail_org::lifecycle::typestate::Typed::new(()).request_deletion(&Default::default(), 0);
//! ```
//! ```
//! workmail_org::lifecycle::typestate::Typed::new(()).fail_creation().request_deletion(&Default::default(), 0);
//! ```
//! ```compile_fail,E0599
//! // `Deleted` is terminal: nothing brings it back.
//! use workmail_org::lifecycle::typestate::{Deleting, Typed};
//! use workmail_org::lifecycle::{OrganizationState, Tracked};
//! let org: Typed<Deleting> = Tracked::new(OrganizationState::Deleting, ()).try_into().unwrap();
//! org.complete_deletion().start_validation();
//! ```
//! ```
//! use workmail_org::lifecycle::typestate::{Deleting, Typed};
//! use workmail_org::lifecycle::{OrganizationState, Tracked};
//! let org: Typed<Deleting> = Tracked::new(OrganizationState::Deleting, ()).try_into().unwrap();
//! org.complete_deletion();
//! ```

use super::deletion::DeletionRequest;
use super::error::{Attempted, Refused, TransitionError, TransitionErrorKind};
use super::state::{Event, OrganizationState};
use super::table::{Transition, TRANSITIONS};
use super::tracked::Tracked;

mod sealed {
    /// Keeps [`State`](super::State) closed to this crate's markers.
    pub trait Sealed {}
}

/// A state known at compile time: implemented by this module's markers only.
pub trait State: sealed::Sealed + Copy + Eq + std::hash::Hash + std::fmt::Debug + Default {
    /// The run-time state this marker stands for.
    const STATE: OrganizationState;
}

macro_rules! markers {
    ($($name:ident),*) => {$(
        #[doc = concat!("The [`", stringify!($name), "`](OrganizationState::", stringify!($name), ") state, as a type.")]
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
        pub struct $name;
        impl sealed::Sealed for $name {}
        impl State for $name {
            const STATE: OrganizationState = OrganizationState::$name;
        }
    )*};
}

markers!(Requested, Creating, Validating, Active, Impaired, Inactive, Failed, Deleting, Deleted);

/// An organization whose state `S` is known at compile time, carrying the caller's data `T`.
///
/// Start in [`Requested`] with [`new`](Typed::new), or convert a [`Tracked`] with
/// [`TryFrom`], which checks its state; [`From`] converts back.
///
/// ```
/// use workmail_org::lifecycle::typestate::{Active, Typed};
/// use workmail_org::lifecycle::{Refused, Tracked};
///
/// let org = Typed::new("corp").start_creation().start_validation().pass_health_check();
/// let org: Typed<Active, _> = Tracked::from(org).try_into().map_err(Refused::into_error)?;
/// assert_eq!(*org.deactivate().data(), "corp");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Typed<S: State, T = ()> {
    state: S,
    data: T,
}

impl<T> Typed<Requested, T> {
    /// A new organization whose creation has been requested.
    pub fn new(data: T) -> Self {
        Self::with(data)
    }
}

impl<S: State, T> Typed<S, T> {
    /// The caller has established that the organization is in `S`.
    fn with(data: T) -> Self {
        let state = S::default();
        Self { state, data }
    }

    /// The run-time form of the state.
    pub fn state(&self) -> OrganizationState {
        S::STATE
    }

    /// The caller's data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The caller's data, dropping the state.
    pub fn into_data(self) -> T {
        self.data
    }
}

macro_rules! moves {
    ($($from:ident { $($method:ident($event:ident) -> $to:ident),* } $(+ $delete:ident)?;)*) => {
        $(impl<T> Typed<$from, T> {
            $(
                #[doc = concat!("[`", stringify!($event), "`](Event::", stringify!($event), "): `", stringify!($from), "` to `", stringify!($to), "`.")]
                pub fn $method(self) -> Typed<$to, T> {
                    Typed::with(self.data)
                }
            )*
            $(
                #[doc = concat!("Requests deletion ([`DeletionRequested`](Event::DeletionRequested): `", stringify!($from), "` to `Deleting`) if [`DeletionRequest::check`] accepts `request` with `enabled_users` users still enabled.")]
                #[doc = "\n\n# Errors\n\nWhat [`DeletionRequest::check`] refuses, with the organization unchanged."]
                pub fn $delete(self, request: &DeletionRequest, enabled_users: usize) -> Result<Typed<Deleting, T>, Refused<Self>> {
                    match request.check($from::STATE, enabled_users) {
                        Ok(()) => Ok(Typed::with(self.data)),
                        Err(error) => Err(Refused::new(self, error)),
                    }
                }
            )?
        })*

        /// The typed methods as moves, in the order they are written.
        const TYPED: &[Transition] = &[$(
            $(Transition { from: OrganizationState::$from, event: Event::$event, to: OrganizationState::$to },)*
            $((Transition { from: OrganizationState::$from, event: Event::DeletionRequested, to: OrganizationState::Deleting }, stringify!($delete)).0,)?
        )*];
    };
}

moves! {
    Requested { start_creation(CreationStarted) -> Creating, fail_creation(CreationFailed) -> Failed };
    Creating {
        start_validation(ValidationStarted) -> Validating,
        complete_creation(CreationCompleted) -> Active,
        fail_creation(CreationFailed) -> Failed
    };
    Validating { pass_health_check(HealthCheckPassed) -> Active, detect_issue(IssueDetected) -> Impaired };
    Active {
        start_validation(ValidationStarted) -> Validating,
        detect_issue(IssueDetected) -> Impaired,
        deactivate(Deactivated) -> Inactive
    } + request_deletion;
    Impaired {
        recover(Recovered) -> Active,
        start_validation(ValidationStarted) -> Validating,
        deactivate(Deactivated) -> Inactive
    } + request_deletion;
    Inactive { reactivate(Reactivated) -> Validating } + request_deletion;
    Failed {} + request_deletion;
    Deleting { complete_deletion(DeletionCompleted) -> Deleted };
    Deleted {};
}

// The typed methods are the rows of the table, in order, checked when the crate compiles.
const _: () = {
    assert!(
        TYPED.len() == TRANSITIONS.len(),
        "a table row without its typed method"
    );
    let mut i = 0;
    while i < TYPED.len() {
        let (a, b) = (TYPED[i], TRANSITIONS[i]);
        let same = a.from as usize == b.from as usize && a.event as usize == b.event as usize;
        assert!(
            same && a.to as usize == b.to as usize,
            "a typed method unlike its row"
        );
        i += 1;
    }
};

impl<S: State, T> From<Typed<S, T>> for Tracked<T> {
    fn from(org: Typed<S, T>) -> Self {
        Tracked::new(S::STATE, org.data)
    }
}

impl<S: State, T> TryFrom<Tracked<T>> for Typed<S, T> {
    type Error = Refused<Tracked<T>>;

    /// The organization if it is in `S`, else a [`StateMismatch`](TransitionErrorKind::StateMismatch).
    fn try_from(org: Tracked<T>) -> Result<Self, Self::Error> {
        if org.state() == &S::STATE {
            return Ok(Self::with(org.into_data()));
        }
        let kind = TransitionErrorKind::StateMismatch;
        let error = TransitionError::new(kind, org.state().clone(), Attempted::Become(S::STATE));
        Err(Refused::new(org, error))
    }
}
