//! The deletion rule: what a `DeleteOrganization` request needs.

use super::error::{Attempted, TransitionError, TransitionErrorKind as K};
use super::state::{Event, ReportedState};
use super::table::edge;

/// The choices of a `DeleteOrganization` request that the deletion rule,
/// [`check`](Self::check), looks at.
///
/// ```
/// use workmail_org::lifecycle::{DeletionRequest, OrganizationState::Active};
///
/// let request = DeletionRequest { delete_directory: true, force_delete: false };
/// request.check(Active, 0)?;
/// // Keeping the directory is allowed too.
/// DeletionRequest { delete_directory: false, ..request }.check(Active, 0)?;
/// assert!(request.check(Active, 3).is_err()); // enabled users need ForceDelete
/// DeletionRequest { force_delete: true, ..request }.check(Active, 3)?;
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct DeletionRequest {
    /// `DeleteDirectory`: `true` deletes the organization's directory with it, `false` keeps
    /// it (both are valid: WorkMail API, `DeleteOrganization`). The deletion rule does not
    /// look at it.
    pub delete_directory: bool,
    /// `ForceDelete`: delete even though users are still enabled.
    pub force_delete: bool,
}

impl DeletionRequest {
    /// The deletion rule: may an organization in `state`, with `enabled_users` users still
    /// enabled, be deleted with this request? The state needs a move to `Deleting` in the
    /// table, and `ForceDelete` must be chosen when users remain enabled (WorkMail API,
    /// `DeleteOrganization`). `DeleteDirectory` may be either: `false` keeps the directory.
    /// The wrappers' `request_deletion` moves only when this passes.
    ///
    /// # Errors
    ///
    /// The first rule that fails: [`UnknownState`](K::UnknownState),
    /// [`StateForbidsDeletion`](K::StateForbidsDeletion) or
    /// [`EnabledUsersRemain`](K::EnabledUsersRemain).
    pub fn check(
        &self,
        state: impl Into<ReportedState>,
        enabled_users: usize,
    ) -> Result<(), TransitionError> {
        let state = state.into();
        let deletable = |s| edge(s, Event::DeletionRequested).is_some();
        let kind = match state.known().copied().map(deletable) {
            None => K::UnknownState,
            Some(false) => K::StateForbidsDeletion,
            Some(true) if enabled_users > 0 && !self.force_delete => K::EnabledUsersRemain,
            Some(true) => return Ok(()),
        };
        Err(TransitionError::new(
            kind,
            state,
            Attempted::Delete { enabled_users },
        ))
    }
}
