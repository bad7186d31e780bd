//! The organization lifecycle: the states AWS reports, the moves between them this crate
//! allows, and the deletion rule, checked at run time and, where the state is known while
//! compiling, at compile time.
//!
//! - **Data:** [`OrganizationState`] and its lenient form [`ReportedState`] (the crate's
//!   [`Reported`](crate::Reported) of a state: what AWS reported, kept even when this version
//!   does not know it; build one from text with `ReportedState::new`); [`TRANSITIONS`],
//!   each move labelled with its [`Event`], from which everything else is computed; the
//!   deletion rule, [`DeletionRequest::check`].
//! - **Wrappers:** [`Tracked<T>`](Tracked), a state read from AWS or storage with the
//!   caller's data, checked move by move; [`Typed<S, T>`](typestate::Typed), whose state is in its
//!   type, so an illegal move does not compile ([`typestate`]).
//! - **Error:** a refused move is a [`Refused`], which hands the value back with a plain
//!   [`TransitionError`] naming the current state, the attempt and what was allowed.
//! - **Polling:** [`OrganizationState::observe`] and [`Tracked::observe`] accept a state
//!   several moves on and return the path (empty for the same state).
//!
//! ```
//! use workmail_org::lifecycle::typestate::Typed;
//! use workmail_org::lifecycle::{Event, OrganizationState as S, Refused, Tracked};
//!
//! let org = Tracked::new(S::Creating, "corp").apply(Event::CreationCompleted);
//! let org = org.map_err(Refused::into_error)?;
//! assert_eq!(Tracked::from(Typed::new("corp").start_creation().complete_creation()), org);
//!
//! let refused = org.transition_to(S::Creating).unwrap_err();
//! let (org, path) = refused.into_value().observe(S::Deleted).map_err(Refused::into_error)?;
//! assert_eq!((org.state().known(), path.len()), (Some(&S::Deleted), 2)); // through Deleting
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod deletion;
mod error;
mod state;
mod table;
mod tracked;
pub mod typestate;

pub use deletion::DeletionRequest;
pub use error::{Refused, TransitionError, TransitionErrorKind};
pub use state::{Event, OrganizationState, ReportedState};
pub use table::{Transition, TRANSITIONS};
pub use tracked::Tracked;
