//! The entities that own mailboxes: `ListUsers` and `ListResources` (WorkMail API model,
//! version 2017-10-01), each paged.
//!
//! Users and resources (rooms, equipment) have mailboxes; a user who was never enabled
//! (`EnabledDate` absent) has none. Their ids are read as [`EntityId`]s, so a listed entity
//! goes straight into a
//! [`StartMailboxExportJobRequest`](super::StartMailboxExportJobRequest).

use serde::{Deserialize, Serialize};

use super::export::page_bound;
use super::list::NextToken;
use super::organization::MAX_STRING;
use super::response::{Fields, ResponseError};
use super::timestamp::Timestamp;
use crate::id::EntityId;
use crate::reported::Reported;
use crate::text::string_enum;

string_enum! {
    /// The state of a user or a resource (API model: `EntityState`).
    ///
    /// ```
    /// use workmail_org::aws::EntityState;
    /// assert_eq!("ENABLED".parse::<EntityState>()?, EntityState::Enabled);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    pub enum EntityState: "entity state" {
        /// `ENABLED`: it has a working mailbox.
        Enabled = "ENABLED",
        /// `DISABLED`: not enabled now.
        Disabled = "DISABLED",
        /// `DELETED`: deleted.
        Deleted = "DELETED",
    }
}

string_enum! {
    /// A user's role (API model: `UserRole`).
    #[non_exhaustive]
    pub enum UserRole: "user role" {
        /// `USER`: a person.
        User = "USER",
        /// `RESOURCE`: the user behind a resource.
        Resource = "RESOURCE",
        /// `SYSTEM_USER`: a user WorkMail made.
        SystemUser = "SYSTEM_USER",
        /// `REMOTE_USER`: a user of an interoperable Exchange.
        RemoteUser = "REMOTE_USER",
    }
}

string_enum! {
    /// A resource's type (API model: `ResourceType`).
    #[non_exhaustive]
    pub enum ResourceType: "resource type" {
        /// `ROOM`.
        Room = "ROOM",
        /// `EQUIPMENT`.
        Equipment = "EQUIPMENT",
    }
}

/// A user or resource as AWS reports it, every field optional, unknown fields ignored.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawEntity {
    pub(super) id: Option<String>,
    pub(super) email: Option<String>,
    pub(super) name: Option<String>,
    pub(super) display_name: Option<String>,
    pub(super) state: Option<String>,
    pub(super) user_role: Option<String>,
    #[serde(rename = "Type")]
    pub(super) kind: Option<String>,
    pub(super) enabled_date: Option<Timestamp>,
    pub(super) disabled_date: Option<Timestamp>,
    pub(super) description: Option<String>,
}

/// The fields users and resources share, checked.
struct EntityFields {
    id: EntityId,
    email: Option<Box<str>>,
    name: Option<Box<str>>,
    state: Option<Reported<EntityState>>,
    enabled_date: Option<Timestamp>,
    disabled_date: Option<Timestamp>,
}

impl RawEntity {
    fn common(&mut self, fields: &Fields, prefix: &str) -> Result<EntityFields, ResponseError> {
        let name = |field: &str| format!("{prefix}{field}");
        let text = |field: &str, value: Option<String>| {
            value
                .map(|v| fields.text(&name(field), v, 0, MAX_STRING))
                .transpose()
        };
        let id = fields.required(&name("Id"), self.id.take())?;
        Ok(EntityFields {
            id: fields.parsed(&name("Id"), &id)?,
            email: text("Email", self.email.take())?,
            name: text("Name", self.name.take())?,
            state: self
                .state
                .take()
                .map(|v| fields.reported(&name("State"), v, MAX_STRING))
                .transpose()?,
            enabled_date: self.enabled_date,
            disabled_date: self.disabled_date,
        })
    }

    fn into_user(mut self, fields: &Fields, prefix: &str) -> Result<User, ResponseError> {
        let common = self.common(fields, prefix)?;
        Ok(User {
            id: common.id,
            email: common.email,
            name: common.name,
            display_name: self
                .display_name
                .map(|v| fields.text(&format!("{prefix}DisplayName"), v, 0, MAX_STRING))
                .transpose()?,
            state: common.state,
            user_role: self
                .user_role
                .map(|v| fields.reported(&format!("{prefix}UserRole"), v, MAX_STRING))
                .transpose()?,
            enabled_date: common.enabled_date,
            disabled_date: common.disabled_date,
        })
    }

    fn into_resource(mut self, fields: &Fields, prefix: &str) -> Result<Resource, ResponseError> {
        let common = self.common(fields, prefix)?;
        Ok(Resource {
            id: common.id,
            email: common.email,
            name: common.name,
            kind: self
                .kind
                .map(|v| fields.reported(&format!("{prefix}Type"), v, MAX_STRING))
                .transpose()?,
            state: common.state,
            enabled_date: common.enabled_date,
            disabled_date: common.disabled_date,
            description: self
                .description
                .map(|v| fields.text(&format!("{prefix}Description"), v, 0, MAX_STRING))
                .transpose()?,
        })
    }
}

const USERS: Fields = Fields {
    operation: "ListUsers",
};
const RESOURCES: Fields = Fields {
    operation: "ListResources",
};

/// The accessors a [`User`] and a [`Resource`] share, over their fields of the same names.
macro_rules! entity_accessors {
    () => {
        /// `Email`.
        pub fn email(&self) -> Option<&str> {
            self.email.as_deref()
        }

        /// `Name`.
        pub fn name(&self) -> Option<&str> {
            self.name.as_deref()
        }

        /// `State`.
        pub fn state(&self) -> Option<&Reported<EntityState>> {
            self.state.as_ref()
        }

        /// `EnabledDate`.
        pub fn enabled_date(&self) -> Option<Timestamp> {
            self.enabled_date
        }

        /// `DisabledDate`.
        pub fn disabled_date(&self) -> Option<Timestamp> {
            self.disabled_date
        }

        /// Whether the entity has a mailbox to export: enabled once (`EnabledDate` present)
        /// and not `DELETED`.
        pub fn has_mailbox(&self) -> bool {
            has_mailbox(self.state.as_ref(), self.enabled_date)
        }
    };
}

/// Whether an entity in `state`, enabled at `enabled_date`, has a mailbox: it was enabled
/// once and is not deleted.
fn has_mailbox(state: Option<&Reported<EntityState>>, enabled: Option<Timestamp>) -> bool {
    enabled.is_some() && state.and_then(Reported::known) != Some(&EntityState::Deleted)
}

/// One user of a `ListUsers` response (API model: `User`). `Id` is required here (an
/// entity without one cannot be exported); the texts have at most 256 characters; `State`
/// and `UserRole` are kept even when this version does not know them.
///
/// ```
/// use workmail_org::aws::{EntityState, User};
///
/// let user: User = serde_json::from_str(
///     r#"{"Id": "a1b2c3d4-0000-1111-2222-333344445555", "Name": "jdoe",
///         "Email": "jdoe@acme.example", "State": "ENABLED", "UserRole": "USER",
///         "EnabledDate": 1767225600}"#,
/// )?;
/// assert_eq!(user.state().and_then(|s| s.known()), Some(&EntityState::Enabled));
/// assert!(user.has_mailbox());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawEntity")]
pub struct User {
    id: EntityId,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<Reported<EntityState>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_role: Option<Reported<UserRole>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled_date: Option<Timestamp>,
}

impl TryFrom<RawEntity> for User {
    type Error = ResponseError;

    fn try_from(raw: RawEntity) -> Result<Self, ResponseError> {
        raw.into_user(&USERS, "")
    }
}

impl User {
    /// A builder for user `id`; [`build`](UserBuilder::build) checks the other parts.
    pub fn builder(id: &EntityId) -> UserBuilder {
        UserBuilder {
            raw: RawEntity {
                id: Some(id.as_str().to_owned()),
                ..RawEntity::default()
            },
        }
    }

    /// `Id`.
    pub fn id(&self) -> &EntityId {
        &self.id
    }

    entity_accessors!();

    /// `DisplayName`.
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    /// `UserRole`.
    pub fn user_role(&self) -> Option<&Reported<UserRole>> {
        self.user_role.as_ref()
    }
}

/// Builds a [`User`] from parts, checking them in [`build`](Self::build).
#[derive(Clone, Debug)]
#[must_use]
pub struct UserBuilder {
    raw: RawEntity,
}

impl UserBuilder {
    builder_setters! {
        /// Sets `Email`.
        email: &str => |v: &str| Some(v.to_owned());
        /// Sets `Name`.
        name: &str => |v: &str| Some(v.to_owned());
        /// Sets `DisplayName`.
        display_name: &str => |v: &str| Some(v.to_owned());
        /// Sets `State`.
        state: &str => |v: &str| Some(v.to_owned());
        /// Sets `UserRole`.
        user_role: &str => |v: &str| Some(v.to_owned());
        /// Sets `EnabledDate`.
        enabled_date: Timestamp => Some;
        /// Sets `DisabledDate`.
        disabled_date: Timestamp => Some;
    }

    /// Checks every part and builds the user.
    ///
    /// # Errors
    /// The first part the API model does not allow, as a [`ResponseError`] naming its field.
    pub fn build(self) -> Result<User, ResponseError> {
        self.raw.into_user(&USERS, "")
    }
}

/// One resource of a `ListResources` response (API model: `Resource`): a room or a piece of
/// equipment, with a mailbox.
///
/// ```
/// use workmail_org::aws::{Resource, ResourceType};
///
/// let room: Resource = serde_json::from_str(
///     r#"{"Id": "r-0123456789abcdef0123456789abcdef", "Name": "board-room", "Type": "ROOM",
///         "State": "ENABLED", "EnabledDate": 1767225600}"#,
/// )?;
/// assert_eq!(room.kind().and_then(|t| t.known()), Some(&ResourceType::Room));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawEntity")]
pub struct Resource {
    id: EntityId,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<Box<str>>,
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    kind: Option<Reported<ResourceType>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<Reported<EntityState>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Box<str>>,
}

impl TryFrom<RawEntity> for Resource {
    type Error = ResponseError;

    fn try_from(raw: RawEntity) -> Result<Self, ResponseError> {
        raw.into_resource(&RESOURCES, "")
    }
}

impl Resource {
    /// A builder for resource `id`; [`build`](ResourceBuilder::build) checks the other parts.
    pub fn builder(id: &EntityId) -> ResourceBuilder {
        ResourceBuilder {
            raw: RawEntity {
                id: Some(id.as_str().to_owned()),
                ..RawEntity::default()
            },
        }
    }

    /// `Id` (`r-` and 32 hex digits, as AWS makes them).
    pub fn id(&self) -> &EntityId {
        &self.id
    }

    entity_accessors!();

    /// `Type`.
    pub fn kind(&self) -> Option<&Reported<ResourceType>> {
        self.kind.as_ref()
    }

    /// `Description`.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

/// Builds a [`Resource`] from parts, checking them in [`build`](Self::build).
#[derive(Clone, Debug)]
#[must_use]
pub struct ResourceBuilder {
    raw: RawEntity,
}

impl ResourceBuilder {
    builder_setters! {
        /// Sets `Email`.
        email: &str => |v: &str| Some(v.to_owned());
        /// Sets `Name`.
        name: &str => |v: &str| Some(v.to_owned());
        /// Sets `Type`.
        kind: &str => |v: &str| Some(v.to_owned());
        /// Sets `State`.
        state: &str => |v: &str| Some(v.to_owned());
        /// Sets `EnabledDate`.
        enabled_date: Timestamp => Some;
        /// Sets `DisabledDate`.
        disabled_date: Timestamp => Some;
        /// Sets `Description`.
        description: &str => |v: &str| Some(v.to_owned());
    }

    /// Checks every part and builds the resource.
    ///
    /// # Errors
    /// The first part the API model does not allow, as a [`ResponseError`] naming its field.
    pub fn build(self) -> Result<Resource, ResponseError> {
        self.raw.into_resource(&RESOURCES, "")
    }
}

organization_page_request! {
    /// The body of a `ListUsers` request: the organization, the page and its size (API
    /// model: `MaxResults` 1 to 100). `Filters` is not modelled.
    ///
    /// ```
    /// use workmail_org::aws::ListUsersRequest;
    ///
    /// let first = ListUsersRequest::first_page("m-0123456789abcdef0123456789abcdef".parse()?, 2)?;
    /// let second = first.next_page("page-2".parse()?);
    /// assert_eq!(
    ///     serde_json::to_string(&second)?,
    ///     r#"{"OrganizationId":"m-0123456789abcdef0123456789abcdef","NextToken":"page-2","MaxResults":2}"#
    /// );
    /// assert!(serde_json::from_str::<ListUsersRequest>(
    ///     r#"{"OrganizationId":"m-0123456789abcdef0123456789abcdef","MaxResults":101}"#
    /// ).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ListUsersRequest, RawListUsersRequest, "RawListUsersRequest"
}

organization_page_request! {
    /// The body of a `ListResources` request: the organization, the page and its size (API
    /// model: `MaxResults` 1 to 100). `Filters` is not modelled.
    ListResourcesRequest, RawListResourcesRequest, "RawListResourcesRequest"
}

/// A `ListUsers` response: one page of users (at most 100) and the token of the next.
///
/// ```
/// use workmail_org::aws::ListUsersResponse;
///
/// let page: ListUsersResponse = serde_json::from_str(
///     r#"{"Users": [{"Id": "u-1234567890ab", "State": "DISABLED"}], "NextToken": "t"}"#,
/// )?;
/// assert!(!page.users()[0].has_mailbox());
/// assert_eq!(page.next_token().map(|t| t.as_str()), Some("t"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawUsers")]
pub struct ListUsersResponse {
    users: Vec<User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<NextToken>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawUsers {
    #[serde(default)]
    pub(super) users: Option<Vec<RawEntity>>,
    pub(super) next_token: Option<String>,
}

impl TryFrom<RawUsers> for ListUsersResponse {
    type Error = ResponseError;

    fn try_from(raw: RawUsers) -> Result<Self, ResponseError> {
        let users = raw.users.unwrap_or_default();
        page_bound(&USERS, "Users", users.len())?;
        Ok(ListUsersResponse {
            users: users
                .into_iter()
                .enumerate()
                .map(|(index, user)| user.into_user(&USERS, &format!("Users[{index}].")))
                .collect::<Result<_, _>>()?,
            next_token: raw
                .next_token
                .map(|token| USERS.parsed("NextToken", &token))
                .transpose()?,
        })
    }
}

impl ListUsersResponse {
    /// One page of `users`, and the token of the next when more follow.
    ///
    /// # Errors
    /// A [`ResponseError`] for more than 100 users (API model: `MaxResults`).
    pub fn new(users: Vec<User>, next_token: Option<NextToken>) -> Result<Self, ResponseError> {
        page_bound(&USERS, "Users", users.len())?;
        Ok(ListUsersResponse { users, next_token })
    }

    /// `Users`, in AWS's order.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// `NextToken`: more pages follow when present.
    pub fn next_token(&self) -> Option<&NextToken> {
        self.next_token.as_ref()
    }
}

/// A `ListResources` response: one page of resources (at most 100) and the token of the
/// next.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawResources")]
pub struct ListResourcesResponse {
    resources: Vec<Resource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<NextToken>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawResources {
    #[serde(default)]
    pub(super) resources: Option<Vec<RawEntity>>,
    pub(super) next_token: Option<String>,
}

impl TryFrom<RawResources> for ListResourcesResponse {
    type Error = ResponseError;

    fn try_from(raw: RawResources) -> Result<Self, ResponseError> {
        let resources = raw.resources.unwrap_or_default();
        page_bound(&RESOURCES, "Resources", resources.len())?;
        Ok(ListResourcesResponse {
            resources: resources
                .into_iter()
                .enumerate()
                .map(|(index, resource)| {
                    resource.into_resource(&RESOURCES, &format!("Resources[{index}]."))
                })
                .collect::<Result<_, _>>()?,
            next_token: raw
                .next_token
                .map(|token| RESOURCES.parsed("NextToken", &token))
                .transpose()?,
        })
    }
}

impl ListResourcesResponse {
    /// One page of `resources`, and the token of the next when more follow.
    ///
    /// # Errors
    /// A [`ResponseError`] for more than 100 resources (API model: `MaxResults`).
    pub fn new(
        resources: Vec<Resource>,
        next_token: Option<NextToken>,
    ) -> Result<Self, ResponseError> {
        page_bound(&RESOURCES, "Resources", resources.len())?;
        Ok(ListResourcesResponse {
            resources,
            next_token,
        })
    }

    /// `Resources`, in AWS's order.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// `NextToken`: more pages follow when present.
    pub fn next_token(&self) -> Option<&NextToken> {
        self.next_token.as_ref()
    }
}
