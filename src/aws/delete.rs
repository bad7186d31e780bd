//! `DeleteOrganization`: the request and its response.

use serde::{Deserialize, Serialize};

use crate::id::{ClientToken, OrganizationId};
use crate::lifecycle::{OrganizationState, ReportedState};

use super::organization::MAX_STRING;
use super::response::{Fields, ResponseError};

/// The body of a `DeleteOrganization` request.
///
/// `DeleteDirectory` is required by the API and always written: `true` deletes the
/// organization's directory, `false` keeps it (an existing AD Connector other applications
/// use, say); both are valid. `ForceDelete` and
/// `DeleteIdentityCenterApplication` are written only when set. Whether the request may be
/// sent at all (the organization's state, `ForceDelete` while enabled users remain) is the
/// lifecycle's deletion rule: check it there first.
///
/// ```
/// use workmail_org::aws::DeleteOrganizationRequest;
///
/// let request = DeleteOrganizationRequest::new("m-0123456789abcdef0123456789abcdef".parse()?, true)
///     .with_force_delete(true)
///     .with_client_token("delete-acme-1".parse()?);
/// assert_eq!(
///     serde_json::to_string(&request)?,
///     r#"{"OrganizationId":"m-0123456789abcdef0123456789abcdef","DeleteDirectory":true,"ClientToken":"delete-acme-1","ForceDelete":true}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DeleteOrganizationRequest {
    organization_id: OrganizationId,
    delete_directory: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_token: Option<ClientToken>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    force_delete: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    delete_identity_center_application: bool,
}

impl DeleteOrganizationRequest {
    /// A request to delete `organization_id`, deleting its directory too (`true`) or keeping
    /// it (`false`).
    pub fn new(organization_id: OrganizationId, delete_directory: bool) -> Self {
        DeleteOrganizationRequest {
            organization_id,
            delete_directory,
            client_token: None,
            force_delete: false,
            delete_identity_center_application: false,
        }
    }

    /// Deletes the organization even while enabled users remain.
    #[must_use]
    pub fn with_force_delete(mut self, force_delete: bool) -> Self {
        self.force_delete = force_delete;
        self
    }

    /// Deletes the IAM Identity Center application WorkMail created for the organization.
    #[must_use]
    pub fn with_delete_identity_center_application(mut self, delete: bool) -> Self {
        self.delete_identity_center_application = delete;
        self
    }

    /// The idempotency token.
    #[must_use]
    pub fn with_client_token(mut self, token: ClientToken) -> Self {
        self.client_token = Some(token);
        self
    }

    /// `OrganizationId`.
    pub fn organization_id(&self) -> &OrganizationId {
        &self.organization_id
    }

    /// `DeleteDirectory`: `true` deletes the directory, `false` keeps it.
    pub fn delete_directory(&self) -> bool {
        self.delete_directory
    }

    /// `ForceDelete`.
    pub fn force_delete(&self) -> bool {
        self.force_delete
    }

    /// `DeleteIdentityCenterApplication`.
    pub fn delete_identity_center_application(&self) -> bool {
        self.delete_identity_center_application
    }

    /// `ClientToken`.
    pub fn client_token(&self) -> Option<&ClientToken> {
        self.client_token.as_ref()
    }
}

/// A `DeleteOrganization` response: the organization and the state it is now in (usually
/// `Deleting`). Both fields may be absent, as the API model allows.
///
/// ```
/// use workmail_org::aws::DeleteOrganizationResponse;
/// use workmail_org::lifecycle::OrganizationState;
///
/// let response: DeleteOrganizationResponse = serde_json::from_str(
///     r#"{"OrganizationId": "m-0123456789abcdef0123456789abcdef", "State": "Deleting"}"#,
/// )?;
/// assert_eq!(response.state().and_then(|s| s.known()), Some(&OrganizationState::Deleting));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawDeleteResponse")]
pub struct DeleteOrganizationResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<OrganizationId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<ReportedState>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawDeleteResponse {
    pub(super) organization_id: Option<String>,
    pub(super) state: Option<String>,
}

impl TryFrom<RawDeleteResponse> for DeleteOrganizationResponse {
    type Error = ResponseError;

    fn try_from(raw: RawDeleteResponse) -> Result<Self, ResponseError> {
        let fields = Fields {
            operation: "DeleteOrganization",
        };
        Ok(DeleteOrganizationResponse {
            organization_id: raw
                .organization_id
                .map(|id| fields.parsed("OrganizationId", &id))
                .transpose()?,
            state: raw
                .state
                .map(|state| fields.reported("State", state, MAX_STRING))
                .transpose()?,
        })
    }
}

impl DeleteOrganizationResponse {
    /// The answer that `organization_id` is now in `state` (usually `Deleting`).
    ///
    /// ```
    /// use workmail_org::aws::DeleteOrganizationResponse;
    /// use workmail_org::lifecycle::OrganizationState;
    ///
    /// let response = DeleteOrganizationResponse::new(
    ///     "m-0123456789abcdef0123456789abcdef".parse()?,
    ///     OrganizationState::Deleting,
    /// );
    /// assert_eq!(
    ///     serde_json::to_string(&response)?,
    ///     r#"{"OrganizationId":"m-0123456789abcdef0123456789abcdef","State":"Deleting"}"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(organization_id: OrganizationId, state: OrganizationState) -> Self {
        DeleteOrganizationResponse {
            organization_id: Some(organization_id),
            state: Some(state.into()),
        }
    }

    /// `OrganizationId`.
    pub fn organization_id(&self) -> Option<&OrganizationId> {
        self.organization_id.as_ref()
    }

    /// `State`, kept even when this version does not know it.
    pub fn state(&self) -> Option<&ReportedState> {
        self.state.as_ref()
    }
}
