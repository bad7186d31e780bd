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
//! this crate's decision, written once in code as [`TRANSITIONS`]; every check, the typestate
//! methods, [`OrganizationState::allowed_next`] and this very table are derived from it (a
//! unit test fails if this table drifts from the code). Each move carries the
//! [`LifecycleEvent`] that makes it.
//!
#![doc = include_str!("transitions.md")]
//!
//! [`diagram`] renders the same table as a Mermaid or Graphviz DOT diagram.
//!
//! # Run time
//!
//! For states read from AWS or from storage: parse strictly with [`FromStr`](std::str::FromStr)
//! (or leniently with [`ReportedState`], which keeps unknown strings), then move with
//! [`OrganizationState::transition_to`] or [`OrganizationState::apply`]. An illegal move is a
//! [`TransitionError`] naming where the organization is, where it was sent and where it could
//! go.
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
//! use workmail_org::lifecycle::{typestate::Active, AnyOrganization, TypedOrganization};
//!
//! let org = TypedOrganization::new("corp").start_creation().complete_creation();
//! let stored = AnyOrganization::from(org);
//!
//! let org: TypedOrganization<Active, _> = stored.try_into()?;
//! let org = org.deactivate().request_deletion().complete_deletion();
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
//! [`Operation`]). Deletion needs a state with a move to `Deleting`, `DeleteDirectory` chosen,
//! and `ForceDelete` when enabled users remain: [`OrganizationState::check_deletion`] checks a
//! [`DeletionRequest`] and answers with a [`DeletionError`] whose
//! [`kind`](DeletionError::kind) says which rule failed.
//!
//! ```
//! use workmail_org::lifecycle::{DeletionRequest, Operation, OrganizationState};
//!
//! assert!(!OrganizationState::Impaired.permits(Operation::ManageMembers));
//!
//! let request = DeletionRequest::new().with_delete_directory(true).with_force_delete(true);
//! OrganizationState::Impaired.check_deletion(&request, 12)?;
//!
//! let err = OrganizationState::Creating.check_deletion(&request, 0).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "cannot delete organization in Creating (deletion is allowed from: Active, Impaired, Inactive, Failed)"
//! );
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

pub use any::{AnyOrganization, AnyTransitionError, StateMismatchError};
pub use event::LifecycleEvent;
pub use observe::ObserveError;
pub use permissions::{DeletionError, DeletionErrorKind, DeletionRequest, Operation};
pub use reported::ReportedState;
pub use state::{InvalidOrganizationState, OrganizationState};
pub use table::{Transition, TRANSITIONS};
pub use transition::TransitionError;
pub use typestate::TypedOrganization;
