//! The organization lifecycle: the states AWS reports, the moves between them this crate
//! allows, and what each state permits, enforced at run time and, where the state is known
//! while compiling, at compile time.
//!
//! # States and moves
//!
//! AWS documents seven organization states (`Requested`, `Creating`, `Validating`, `Active`,
//! `Impaired`, `Inactive`, `Failed`) and returns two more in practice (`Deleting`, `Deleted`:
//! deleted organizations stay visible). [`OrganizationState`] has all nine, spelled exactly as
//! AWS spells them.
//!
//! **Decision:** AWS documents the states but not the moves between them. The table below is
//! this crate's decision, written once in code as [`TRANSITIONS`]. Every run-time check,
//! [`OrganizationState::allowed_next`] and this very table are computed from it (a unit test
//! fails if this table drifts from the code); the typestate methods are written out in a
//! macro and checked against it at compile time, so the crate does not build if they differ
//! by one edge. Each move carries the [`LifecycleEvent`] that makes it.
//!
#![doc = include_str!("transitions.md")]
//!
//! [`diagram`] renders the same table as a Mermaid or Graphviz DOT diagram.
//!
//! # Run time
//!
//! For states read from AWS or from storage: parse strictly with [`FromStr`](std::str::FromStr)
//! (or leniently with [`ReportedState`], which keeps unknown strings), then record what AWS
//! reports with [`OrganizationState::transition_to`] or [`OrganizationState::apply`] (which
//! replays observed history, [`LifecycleEvent::DeletionRequested`] included). An illegal move
//! is a [`TransitionError`] naming where the organization is, where it was sent and where it
//! could go. Requesting a deletion is not a report: it goes through
//! [`OrganizationState::request_deletion`] (see [below](#deletion)).
//!
//! ```
//! use workmail_org::lifecycle::{LifecycleEvent, OrganizationState, ReportedState};
//!
//! let state: OrganizationState = "Creating".parse()?;
//! let state = state.apply(LifecycleEvent::CreationCompleted)?;
//! assert_eq!(state, OrganizationState::Active);
//!
//! let err = OrganizationState::Requested
//!     .transition_to(OrganizationState::Active)
//!     .unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "cannot move organization from Requested to Active (allowed: Creating, Failed)"
//! );
//!
//! // What AWS reports is never lost, even a state this version does not know.
//! assert_eq!(ReportedState::from("Suspended").known(), None);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Compile time
//!
//! [`TypedOrganization<S, T>`] carries its state in its type and the caller's data `T`. Each
//! state has only the methods for its own moves, so an illegal move does not compile (see
//! [`typestate`] for the `compile_fail` examples). [`AnyOrganization<T>`] holds a typed
//! organization in any state, for storage and serde; [`TryFrom`] brings it back into the typed
//! world after checking the state.
//!
//! ```
//! use workmail_org::lifecycle::{
//!     typestate::Active, AnyOrganization, DeletionRequest, TypedOrganization,
//! };
//!
//! let org = TypedOrganization::new("corp").start_creation().complete_creation();
//! let stored = AnyOrganization::from(org);
//!
//! let org: TypedOrganization<Active, _> = stored.try_into()?;
//! let request = DeletionRequest::new().with_delete_directory(true);
//! let org = org.deactivate().request_deletion(&request, 0)?.complete_deletion();
//! assert!(org.state().is_terminal());
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Polling
//!
//! A poll may see an organization several moves after the state last seen.
//! [`OrganizationState::observe`] accepts any state reachable through the table, returns the
//! shortest path of moves it implies, and rejects the rest with an [`ObserveError`].
//!
//! ```
//! use workmail_org::lifecycle::OrganizationState;
//!
//! let path = OrganizationState::Requested.observe(OrganizationState::Active)?;
//! assert_eq!(path.len(), 2); // via Creating
//! assert!(OrganizationState::Deleted.observe(OrganizationState::Active).is_err());
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What each state permits
//!
//! Member and domain operations need `Active` ([`OrganizationState::permits`] with an
//! [`Operation`]).
//!
//! # Deletion
//!
//! Deletion needs a state with a move to `Deleting`, `DeleteDirectory` chosen, and
//! `ForceDelete` when enabled users remain. A caller deleting an organization goes through
//! `request_deletion`, which takes the [`DeletionRequest`] and the number of enabled users and
//! moves to `Deleting` only when the request passes:
//!
//! - [`OrganizationState::request_deletion`] answers with a [`DeletionError`] whose
//!   [`kind`](DeletionError::kind) says which rule failed;
//! - the typed `request_deletion` (on `Active`, `Impaired`, `Inactive` and `Failed` only)
//!   answers with a [`TypedDeletionError`] and [`AnyOrganization::request_deletion`] with an
//!   [`AnyDeletionError`], both of which give the organization back unchanged.
//!
//! [`OrganizationState::check_deletion`] runs the same checks without moving, for a request
//! about to be sent. Moving to `Deleting` with `transition_to`, `apply` or `observe` checks no
//! request: those record what AWS reports (a deletion someone else requested, or history
//! being replayed).
//!
//! ```
//! use workmail_org::lifecycle::{
//!     DeletionErrorKind, DeletionRequest, Operation, OrganizationState, TypedOrganization,
//! };
//!
//! assert!(!OrganizationState::Impaired.permits(Operation::ManageMembers));
//!
//! let request = DeletionRequest::new().with_delete_directory(true).with_force_delete(true);
//! let state = OrganizationState::Impaired.request_deletion(&request, 12)?;
//! assert_eq!(state, OrganizationState::Deleting);
//!
//! let err = OrganizationState::Creating.request_deletion(&request, 0).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "cannot delete organization in Creating (deletion is allowed from: Active, Impaired, Inactive, Failed)"
//! );
//!
//! // The typed form refuses a request without ForceDelete and gives the organization back.
//! let org = TypedOrganization::new("corp").start_creation().complete_creation();
//! let without_force = DeletionRequest::new().with_delete_directory(true);
//! let refused = org.request_deletion(&without_force, 12).unwrap_err();
//! assert_eq!(refused.error().kind(), DeletionErrorKind::EnabledUsersRemain);
//! let org = refused.into_organization().request_deletion(&request, 12)?;
//! assert_eq!(org.state(), OrganizationState::Deleting);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod any;
pub mod diagram;
mod event;
mod list;
mod observe;
mod permissions;
mod reported;
mod state;
mod table;
mod transition;
pub mod typestate;

pub use any::{AnyDeletionError, AnyOrganization, AnyTransitionError, StateMismatchError};
pub use event::LifecycleEvent;
pub use observe::ObserveError;
pub use permissions::{DeletionError, DeletionErrorKind, DeletionRequest, Operation};
pub use reported::{ReportedState, UnknownState};
pub use state::{InvalidOrganizationState, OrganizationState};
pub use table::{Transition, TRANSITIONS};
pub use transition::TransitionError;
pub use typestate::{TypedDeletionError, TypedOrganization};
