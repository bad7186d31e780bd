//! What each state permits: member, domain and deletion operations.

use std::fmt;

use super::list::Listed;
use super::state::OrganizationState;

/// The states in which members and domains may be managed.
const OPERATIONAL: &[OrganizationState] = &[OrganizationState::Active];

/// A kind of operation on an organization whose availability depends on its state.
///
/// `#[non_exhaustive]`: more operations may be modelled later.
///
/// # Examples
///
/// ```
/// use workmail_org::lifecycle::{Operation, OrganizationState};
///
/// assert!(OrganizationState::Active.permits(Operation::ManageMembers));
/// assert!(!OrganizationState::Impaired.permits(Operation::ManageDomains));
/// assert!(OrganizationState::Failed.permits(Operation::Delete));
/// assert_eq!(Operation::ManageMembers.permitted_states(), [OrganizationState::Active]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[non_exhaustive]
pub enum Operation {
    /// Creating, changing or removing users, groups and resources: needs `Active`.
    ManageMembers,
    /// Registering, verifying or removing mail domains: needs `Active`.
    ManageDomains,
    /// `DeleteOrganization`: needs a state with a move to `Deleting` in the transition table.
    /// The request itself is checked by [`OrganizationState::check_deletion`], and
    /// [`OrganizationState::request_deletion`] checks it and moves.
    Delete,
}

impl Operation {
    /// Every operation, in declaration order.
    ///
    /// A slice rather than an array, so that a new operation is not a change of type.
    pub const ALL: &'static [Self] = &[Self::ManageMembers, Self::ManageDomains, Self::Delete];

    /// The states in which this operation is permitted, in table order.
    pub fn permitted_states(self) -> &'static [OrganizationState] {
        match self {
            Self::ManageMembers | Self::ManageDomains => OPERATIONAL,
            Self::Delete => OrganizationState::Deleting.allowed_previous(),
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ManageMembers => "member management",
            Self::ManageDomains => "domain management",
            Self::Delete => "deletion",
        })
    }
}

impl OrganizationState {
    /// Whether an organization in this state permits `operation`.
    pub fn permits(self, operation: Operation) -> bool {
        operation.permitted_states().contains(&self)
    }

    /// Checks a `DeleteOrganization` request against this state and the number of users
    /// still enabled, without moving; [`request_deletion`](Self::request_deletion) checks and
    /// moves to `Deleting`.
    ///
    /// The checks run in this order and the first failure is returned: the state must allow
    /// deletion ([`Operation::Delete`]); `DeleteDirectory` must be chosen; with enabled users,
    /// `ForceDelete` must be chosen.
    ///
    /// # Errors
    ///
    /// [`DeletionError`], whose [`kind`](DeletionError::kind) says which rule failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use workmail_org::lifecycle::{DeletionErrorKind, DeletionRequest, OrganizationState};
    ///
    /// let request = DeletionRequest::new().with_delete_directory(true);
    /// OrganizationState::Active.check_deletion(&request, 0)?;
    ///
    /// let err = OrganizationState::Active.check_deletion(&request, 3).unwrap_err();
    /// assert_eq!(err.kind(), DeletionErrorKind::EnabledUsersRemain);
    /// assert_eq!(
    ///     err.to_string(),
    ///     "cannot delete organization with 3 enabled users without ForceDelete"
    /// );
    ///
    /// OrganizationState::Active.check_deletion(&request.with_force_delete(true), 3)?;
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_deletion(
        self,
        request: &DeletionRequest,
        enabled_users: usize,
    ) -> Result<(), DeletionError> {
        let kind = if !self.permits(Operation::Delete) {
            DeletionErrorKind::StateForbidsDeletion
        } else if !request.delete_directory {
            DeletionErrorKind::DirectoryNotDeleted
        } else if enabled_users > 0 && !request.force_delete {
            DeletionErrorKind::EnabledUsersRemain
        } else {
            return Ok(());
        };
        Err(DeletionError {
            kind,
            state: self,
            enabled_users,
        })
    }

    /// Requests deletion: checks a `DeleteOrganization` request as
    /// [`check_deletion`](Self::check_deletion) does and, if it passes, moves to `Deleting`.
    ///
    /// This is how a caller deletes an organization. [`transition_to`](Self::transition_to)
    /// `Deleting` and [`apply`](Self::apply) with [`LifecycleEvent::DeletionRequested`](super::LifecycleEvent::DeletionRequested) do not
    /// check a request: they record a deletion AWS reports or replay observed history.
    ///
    /// # Errors
    ///
    /// [`DeletionError`], whose [`kind`](DeletionError::kind) says which rule failed: the
    /// state has no move to `Deleting`, `DeleteDirectory` is not chosen, or users remain
    /// enabled without `ForceDelete`.
    ///
    /// # Examples
    ///
    /// ```
    /// use workmail_org::lifecycle::{DeletionErrorKind, DeletionRequest, OrganizationState};
    ///
    /// let request = DeletionRequest::new().with_delete_directory(true);
    /// let state = OrganizationState::Inactive.request_deletion(&request, 0)?;
    /// assert_eq!(state, OrganizationState::Deleting);
    ///
    /// let err = OrganizationState::Inactive
    ///     .request_deletion(&DeletionRequest::new(), 0)
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), DeletionErrorKind::DirectoryNotDeleted);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request_deletion(
        self,
        request: &DeletionRequest,
        enabled_users: usize,
    ) -> Result<Self, DeletionError> {
        self.check_deletion(request, enabled_users)?;
        // `check_deletion` passed, so the table has a move from here to `Deleting`.
        Ok(Self::Deleting)
    }
}

/// The choices of a `DeleteOrganization` request that this crate checks.
///
/// Built from [`new`](Self::new) (nothing chosen) and the `with_` methods.
/// `#[non_exhaustive]`: the API may grow more options.
///
/// ```
/// use workmail_org::lifecycle::DeletionRequest;
///
/// let request = DeletionRequest::new().with_delete_directory(true);
/// assert!(request.delete_directory());
/// assert!(!request.force_delete());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
#[non_exhaustive]
pub struct DeletionRequest {
    delete_directory: bool,
    force_delete: bool,
}

impl DeletionRequest {
    /// A request with nothing chosen.
    pub const fn new() -> Self {
        Self {
            delete_directory: false,
            force_delete: false,
        }
    }

    /// Sets `DeleteDirectory`: delete the directory with the organization (required here).
    pub const fn with_delete_directory(mut self, delete_directory: bool) -> Self {
        self.delete_directory = delete_directory;
        self
    }

    /// Sets `ForceDelete`: delete even though users are still enabled.
    pub const fn with_force_delete(mut self, force_delete: bool) -> Self {
        self.force_delete = force_delete;
        self
    }

    /// Whether `DeleteDirectory` is chosen.
    pub const fn delete_directory(&self) -> bool {
        self.delete_directory
    }

    /// Whether `ForceDelete` is chosen.
    pub const fn force_delete(&self) -> bool {
        self.force_delete
    }
}

/// Which deletion rule failed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum DeletionErrorKind {
    /// The organization's state has no move to `Deleting`.
    StateForbidsDeletion,
    /// `DeleteDirectory` was not chosen.
    DirectoryNotDeleted,
    /// Users are still enabled and `ForceDelete` was not chosen.
    EnabledUsersRemain,
}

/// A `DeleteOrganization` request that must not be sent.
///
/// Messages, by [`kind`](Self::kind):
/// - `cannot delete organization in Creating (deletion is allowed from: Active, Impaired, Inactive, Failed)`
/// - `cannot delete organization without DeleteDirectory chosen`
/// - `cannot delete organization with 3 enabled users without ForceDelete`
#[derive(Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("cannot delete organization {}", Reason(self))]
pub struct DeletionError {
    kind: DeletionErrorKind,
    state: OrganizationState,
    enabled_users: usize,
}

impl DeletionError {
    /// Which rule failed.
    pub fn kind(&self) -> DeletionErrorKind {
        self.kind
    }

    /// The state the organization was in.
    pub fn state(&self) -> OrganizationState {
        self.state
    }

    /// The number of enabled users given to the check.
    pub fn enabled_users(&self) -> usize {
        self.enabled_users
    }

    /// The states from which deletion is allowed.
    pub fn allowed_states(&self) -> &'static [OrganizationState] {
        Operation::Delete.permitted_states()
    }
}

impl fmt::Debug for DeletionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DeletionError")
            .field(&self.to_string())
            .finish()
    }
}

struct Reason<'a>(&'a DeletionError);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let err = self.0;
        match err.kind {
            DeletionErrorKind::StateForbidsDeletion => write!(
                f,
                "in {} (deletion is allowed from: {})",
                err.state,
                Listed(err.allowed_states())
            ),
            DeletionErrorKind::DirectoryNotDeleted => f.write_str("without DeleteDirectory chosen"),
            DeletionErrorKind::EnabledUsersRemain => write!(
                f,
                "with {} enabled user{} without ForceDelete",
                err.enabled_users,
                if err.enabled_users == 1 { "" } else { "s" }
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrganizationState as S;

    #[test]
    fn deletion_is_allowed_exactly_where_the_table_leads_to_deleting() {
        for &state in S::ALL {
            assert_eq!(
                state.permits(Operation::Delete),
                state.can_transition_to(S::Deleting),
                "{state}"
            );
        }
    }

    #[test]
    fn request_deletion_moves_exactly_when_the_check_passes() {
        let requests = [
            DeletionRequest::new(),
            DeletionRequest::new().with_delete_directory(true),
            DeletionRequest::new().with_force_delete(true),
            DeletionRequest::new()
                .with_delete_directory(true)
                .with_force_delete(true),
        ];
        for &state in S::ALL {
            for request in &requests {
                for users in [0, 1, 7] {
                    let checked = state.check_deletion(request, users);
                    let requested = state.request_deletion(request, users);
                    match checked {
                        Ok(()) => {
                            let by_event =
                                state.apply(crate::lifecycle::LifecycleEvent::DeletionRequested);
                            assert_eq!(requested.ok(), by_event.ok(), "{state}");
                            assert_eq!(requested, Ok(S::Deleting));
                        }
                        Err(err) => assert_eq!(requested, Err(err), "{state}"),
                    }
                }
            }
        }
    }

    #[test]
    fn one_enabled_user_is_singular() {
        let request = DeletionRequest::new().with_delete_directory(true);
        let err = S::Inactive.check_deletion(&request, 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot delete organization with 1 enabled user without ForceDelete"
        );
        assert_eq!(err.enabled_users(), 1);
        assert_eq!(
            format!("{err:?}"),
            format!("DeletionError({:?})", err.to_string())
        );
    }

    #[test]
    fn operations_display_in_words() {
        let words: Vec<_> = Operation::ALL.iter().map(Operation::to_string).collect();
        assert_eq!(
            words,
            ["member management", "domain management", "deletion"]
        );
    }
}
