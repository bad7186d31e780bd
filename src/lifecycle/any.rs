//! [`AnyOrganization`]: a typed organization whose state is known only at run time, the way
//! back into the typed world for stored or deserialized organizations.

use std::fmt;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};

use super::event::LifecycleEvent;
use super::permissions::{DeletionError, DeletionRequest};
use super::state::OrganizationState;
use super::transition::TransitionError;
use super::typestate::{self, State, TypedOrganization};

/// An organization in any state: one variant per state, each holding the
/// [`TypedOrganization`] of that state.
///
/// Build it from a run-time state with [`new`](Self::new), or from a typed organization with
/// [`From`]; get a typed one back with [`TryFrom`] (or by matching), which checks the state.
/// Moves at run time ([`transition_to`](Self::transition_to), [`apply`](Self::apply)) follow
/// the same table as the typed methods and record what AWS reports; a caller deleting the
/// organization goes through [`request_deletion`](Self::request_deletion), which checks the
/// [`DeletionRequest`] first.
///
/// Serde writes `{"state": "Active", "data": ...}`; reading re-checks the state spelling and
/// rejects missing, repeated and unknown fields.
///
/// `#[non_exhaustive]`: a new state would bring a new variant.
///
/// # Examples
///
/// ```
/// use workmail_org::lifecycle::{
///     typestate::Impaired, AnyOrganization, OrganizationState, TypedOrganization,
/// };
///
/// // A stored organization re-enters the typed world after a state check.
/// let stored = AnyOrganization::new(OrganizationState::Impaired, "corp");
/// let org = TypedOrganization::<Impaired, _>::try_from(stored)?;
/// let org = org.recover();
///
/// let any = AnyOrganization::from(org);
/// assert_eq!(any.state(), OrganizationState::Active);
/// let any = any.transition_to(OrganizationState::Inactive)?;
/// assert_eq!(any.state(), OrganizationState::Inactive);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum AnyOrganization<T = ()> {
    /// In `Requested`.
    Requested(TypedOrganization<typestate::Requested, T>),
    /// In `Creating`.
    Creating(TypedOrganization<typestate::Creating, T>),
    /// In `Validating`.
    Validating(TypedOrganization<typestate::Validating, T>),
    /// In `Active`.
    Active(TypedOrganization<typestate::Active, T>),
    /// In `Impaired`.
    Impaired(TypedOrganization<typestate::Impaired, T>),
    /// In `Inactive`.
    Inactive(TypedOrganization<typestate::Inactive, T>),
    /// In `Failed`.
    Failed(TypedOrganization<typestate::Failed, T>),
    /// In `Deleting`.
    Deleting(TypedOrganization<typestate::Deleting, T>),
    /// In `Deleted`.
    Deleted(TypedOrganization<typestate::Deleted, T>),
}

/// Runs `$body` with `$org` bound to the typed organization inside any variant.
macro_rules! each_variant {
    ($any:expr, $org:ident => $body:expr) => {
        match $any {
            AnyOrganization::Requested($org) => $body,
            AnyOrganization::Creating($org) => $body,
            AnyOrganization::Validating($org) => $body,
            AnyOrganization::Active($org) => $body,
            AnyOrganization::Impaired($org) => $body,
            AnyOrganization::Inactive($org) => $body,
            AnyOrganization::Failed($org) => $body,
            AnyOrganization::Deleting($org) => $body,
            AnyOrganization::Deleted($org) => $body,
        }
    };
}

impl<T> AnyOrganization<T> {
    /// The organization in `state`, carrying `data`.
    pub fn new(state: OrganizationState, data: T) -> Self {
        use OrganizationState as S;
        match state {
            S::Requested => Self::Requested(TypedOrganization::from_data(data)),
            S::Creating => Self::Creating(TypedOrganization::from_data(data)),
            S::Validating => Self::Validating(TypedOrganization::from_data(data)),
            S::Active => Self::Active(TypedOrganization::from_data(data)),
            S::Impaired => Self::Impaired(TypedOrganization::from_data(data)),
            S::Inactive => Self::Inactive(TypedOrganization::from_data(data)),
            S::Failed => Self::Failed(TypedOrganization::from_data(data)),
            S::Deleting => Self::Deleting(TypedOrganization::from_data(data)),
            S::Deleted => Self::Deleted(TypedOrganization::from_data(data)),
        }
    }

    /// The current state.
    pub fn state(&self) -> OrganizationState {
        each_variant!(self, org => org.state())
    }

    /// The caller's data.
    pub fn data(&self) -> &T {
        each_variant!(self, org => org.data())
    }

    /// The caller's data, mutably. Changing it does not change the state.
    pub fn data_mut(&mut self) -> &mut T {
        each_variant!(self, org => org.data_mut())
    }

    /// The caller's data, dropping the state.
    pub fn into_data(self) -> T {
        each_variant!(self, org => org.into_data())
    }

    /// Moves directly to `next`, as [`OrganizationState::transition_to`] allows.
    ///
    /// This records a move AWS reported and checks no deletion request: to delete the
    /// organization, use [`request_deletion`](Self::request_deletion).
    ///
    /// # Errors
    ///
    /// [`AnyTransitionError`], which gives the organization back unchanged, when the table has
    /// no such move.
    pub fn transition_to(self, next: OrganizationState) -> Result<Self, AnyTransitionError<T>> {
        let moved = self.state().transition_to(next);
        self.moved(moved)
    }

    /// Moves by `event`, as [`OrganizationState::apply`] allows.
    ///
    /// This replays observed history and checks no deletion request:
    /// [`LifecycleEvent::DeletionRequested`] here records a deletion that was requested and
    /// accepted; to request one, use [`request_deletion`](Self::request_deletion).
    ///
    /// # Errors
    ///
    /// [`AnyTransitionError`], which gives the organization back unchanged, when the event
    /// cannot happen in the current state.
    ///
    /// ```
    /// use workmail_org::lifecycle::{AnyOrganization, LifecycleEvent, OrganizationState};
    ///
    /// let org = AnyOrganization::new(OrganizationState::Requested, ());
    /// let err = org.apply(LifecycleEvent::Deactivated).unwrap_err();
    /// assert_eq!(err.organization().state(), OrganizationState::Requested);
    /// ```
    pub fn apply(self, event: LifecycleEvent) -> Result<Self, AnyTransitionError<T>> {
        let moved = self.state().apply(event);
        self.moved(moved)
    }

    /// Requests deletion: moves to `Deleting` when
    /// [`OrganizationState::request_deletion`] accepts `request` with `enabled_users` users
    /// still enabled.
    ///
    /// # Errors
    ///
    /// [`AnyDeletionError`], which gives the organization back unchanged, when the state has
    /// no move to `Deleting`, `DeleteDirectory` is not chosen, or users remain enabled
    /// without `ForceDelete`.
    ///
    /// # Examples
    ///
    /// ```
    /// use workmail_org::lifecycle::{AnyOrganization, DeletionRequest, OrganizationState};
    ///
    /// let org = AnyOrganization::new(OrganizationState::Failed, "corp");
    /// let err = org.request_deletion(&DeletionRequest::new(), 0).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "cannot delete organization without DeleteDirectory chosen"
    /// );
    ///
    /// let org = err.into_organization();
    /// let request = DeletionRequest::new().with_delete_directory(true);
    /// let org = org.request_deletion(&request, 0)?;
    /// assert_eq!(org.state(), OrganizationState::Deleting);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request_deletion(
        self,
        request: &DeletionRequest,
        enabled_users: usize,
    ) -> Result<Self, AnyDeletionError<T>> {
        match self.state().request_deletion(request, enabled_users) {
            Ok(next) => Ok(Self::new(next, self.into_data())),
            Err(error) => Err(AnyDeletionError {
                organization: self,
                error,
            }),
        }
    }

    fn moved(
        self,
        moved: Result<OrganizationState, TransitionError>,
    ) -> Result<Self, AnyTransitionError<T>> {
        match moved {
            Ok(next) => Ok(Self::new(next, self.into_data())),
            Err(error) => Err(AnyTransitionError {
                organization: self,
                error,
            }),
        }
    }
}

impl<S: State, T> From<TypedOrganization<S, T>> for AnyOrganization<T> {
    fn from(org: TypedOrganization<S, T>) -> Self {
        Self::new(S::STATE, org.into_data())
    }
}

impl<S: State, T> TryFrom<AnyOrganization<T>> for TypedOrganization<S, T> {
    type Error = StateMismatchError<T>;

    /// Takes the typed organization out if it is in state `S`.
    ///
    /// # Errors
    ///
    /// [`StateMismatchError`], giving the organization back, when it is in another state.
    fn try_from(org: AnyOrganization<T>) -> Result<Self, Self::Error> {
        if org.state() == S::STATE {
            Ok(Self::from_data(org.into_data()))
        } else {
            Err(StateMismatchError {
                organization: org,
                expected: S::STATE,
            })
        }
    }
}

/// How [`AnyOrganization`] is stored: its state and the caller's data.
#[derive(serde::Serialize)]
struct StoredRef<'a, T> {
    state: OrganizationState,
    data: &'a T,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored<T> {
    state: OrganizationState,
    data: T,
}

impl<T: Serialize> Serialize for AnyOrganization<T> {
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        StoredRef {
            state: self.state(),
            data: self.data(),
        }
        .serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for AnyOrganization<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Stored { state, data } = Stored::deserialize(deserializer)?;
        Ok(Self::new(state, data))
    }
}

/// An [`AnyOrganization`] that is not in the state a [`TypedOrganization`] was asked for.
///
/// Gives the organization back. Message: `expected organization in Active, found Creating`.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected organization in {expected}, found {}", .organization.state())]
pub struct StateMismatchError<T> {
    organization: AnyOrganization<T>,
    expected: OrganizationState,
}

impl<T> StateMismatchError<T> {
    /// The state that was asked for.
    pub fn expected(&self) -> OrganizationState {
        self.expected
    }

    /// The state the organization is in.
    pub fn actual(&self) -> OrganizationState {
        self.organization.state()
    }

    /// The organization, unchanged.
    pub fn organization(&self) -> &AnyOrganization<T> {
        &self.organization
    }

    /// The organization, unchanged, by value.
    pub fn into_organization(self) -> AnyOrganization<T> {
        self.organization
    }
}

impl<T> fmt::Debug for StateMismatchError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StateMismatchError")
            .field(&self.to_string())
            .finish()
    }
}

/// A run-time move of an [`AnyOrganization`] that the table does not allow.
///
/// Gives the organization back, unchanged. The message is the [`TransitionError`]'s.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct AnyTransitionError<T> {
    organization: AnyOrganization<T>,
    error: TransitionError,
}

impl<T> AnyTransitionError<T> {
    /// Why the move was rejected.
    pub fn error(&self) -> &TransitionError {
        &self.error
    }

    /// The organization, unchanged.
    pub fn organization(&self) -> &AnyOrganization<T> {
        &self.organization
    }

    /// The organization, unchanged, by value.
    pub fn into_organization(self) -> AnyOrganization<T> {
        self.organization
    }
}

impl<T> fmt::Debug for AnyTransitionError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AnyTransitionError")
            .field(&self.to_string())
            .finish()
    }
}

/// A deletion request that an [`AnyOrganization`] refused (see
/// [`AnyOrganization::request_deletion`]).
///
/// Gives the organization back, unchanged. The message is the [`DeletionError`]'s, for
/// example `cannot delete organization without DeleteDirectory chosen`.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct AnyDeletionError<T> {
    organization: AnyOrganization<T>,
    error: DeletionError,
}

impl<T> AnyDeletionError<T> {
    /// Why the request was refused; its [`kind`](DeletionError::kind) says which rule failed.
    pub fn error(&self) -> &DeletionError {
        &self.error
    }

    /// The organization, unchanged.
    pub fn organization(&self) -> &AnyOrganization<T> {
        &self.organization
    }

    /// The organization, unchanged, by value.
    pub fn into_organization(self) -> AnyOrganization<T> {
        self.organization
    }
}

impl<T> fmt::Debug for AnyDeletionError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AnyDeletionError")
            .field(&self.to_string())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_puts_every_state_in_its_variant() {
        for &state in OrganizationState::ALL {
            let org = AnyOrganization::new(state, state.as_str());
            assert_eq!(org.state(), state);
            assert_eq!(*org.data(), state.as_str());
        }
    }

    #[test]
    fn try_from_checks_the_state_and_gives_the_value_back() {
        let org = AnyOrganization::new(OrganizationState::Creating, 7_u8);
        let err = TypedOrganization::<typestate::Active, u8>::try_from(org).unwrap_err();
        assert_eq!(err.expected(), OrganizationState::Active);
        assert_eq!(err.actual(), OrganizationState::Creating);
        assert_eq!(
            err.to_string(),
            "expected organization in Active, found Creating"
        );
        assert_eq!(
            format!("{err:?}"),
            "StateMismatchError(\"expected organization in Active, found Creating\")"
        );
        assert_eq!(err.organization().data(), &7);
        let typed: TypedOrganization<typestate::Creating, u8> =
            err.into_organization().try_into().unwrap();
        assert_eq!(typed.into_data(), 7);
    }

    #[test]
    fn rejected_moves_leave_the_organization_unchanged() {
        let mut org = AnyOrganization::new(OrganizationState::Deleted, String::from("x"));
        org.data_mut().push('y');
        let err = org.transition_to(OrganizationState::Active).unwrap_err();
        assert_eq!(err.error().from(), OrganizationState::Deleted);
        assert_eq!(err.organization().data(), "xy");
        assert_eq!(
            format!("{err:?}"),
            "AnyTransitionError(\"cannot move organization from Deleted to Active: \
             Deleted is terminal\")"
        );
        let org = err.into_organization();
        assert_eq!(org.state(), OrganizationState::Deleted);
        assert_eq!(org.into_data(), "xy");
    }

    #[test]
    fn refused_deletion_requests_leave_the_organization_unchanged() {
        let org = AnyOrganization::new(OrganizationState::Creating, 5_u8);
        let request = DeletionRequest::new()
            .with_delete_directory(true)
            .with_force_delete(true);
        let err = org.request_deletion(&request, 0).unwrap_err();
        assert_eq!(
            format!("{err:?}"),
            "AnyDeletionError(\"cannot delete organization in Creating \
             (deletion is allowed from: Active, Impaired, Inactive, Failed)\")"
        );
        assert_eq!(err.error().state(), OrganizationState::Creating);
        assert_eq!(err.organization().data(), &5);
        let org = err.into_organization();
        assert_eq!(org, AnyOrganization::new(OrganizationState::Creating, 5));
    }
}
