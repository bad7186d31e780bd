//! Users and resources: seeded through the control API (`POST /_emulator/users`,
//! `POST /_emulator/resources`), listed by `ListUsers` and `ListResources`, paged with opaque
//! tokens.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use bytes::Bytes;
use http::Response;
use serde::{Deserialize, Serialize};
use workmail_org::aws::{
    EntityState, ListResourcesResponse, ListUsersResponse, NextToken, Resource, ResourceType,
    Timestamp, User, UserRole,
};
use workmail_org::{AwsErrorCode, EntityId, OrganizationId, Region};

use crate::emulator::Emulator;
use crate::members::{max_results, read_body};
use crate::wire::{self, shown, ErrorName, Exception, Operation};
use workmail_org_stores::emulator::{EntityKind, SeededEntity};

/// The most users and resources one organization is given through the control API.
pub(crate) const MAX_ENTITIES_PER_ORGANIZATION: u64 = 10_000;

/// The most characters of a seeded entity's email (RFC 5321's path limit).
const MAX_EMAIL_LEN: usize = 254;

/// The body of `POST /_emulator/users` and `POST /_emulator/resources`: one entity.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct EntitySeed {
    organization_id: String,
    name: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    state: Option<String>,
    /// A user's role (users only).
    #[serde(default)]
    user_role: Option<String>,
    /// A resource's type (resources only).
    #[serde(default, rename = "Type")]
    kind: Option<String>,
    /// `false`: never enabled, so no mailbox.
    #[serde(default)]
    enabled: Option<bool>,
}

/// The answer of a seeding call: the new entity's id.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Seeded<'a> {
    id: &'a str,
}

/// The members `ListUsers` and `ListResources` read (`Filters` is ignored).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListEntitiesMembers {
    organization_id: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

fn invalid(message: String) -> Exception {
    Exception::new(ErrorName::InvalidParameter, message)
}

/// Random lower-case hex digits, two per byte.
pub(crate) fn random_hex(bytes: usize) -> Result<String, Exception> {
    let mut random = vec![0u8; bytes];
    getrandom::fill(&mut random).map_err(Exception::internal)?;
    Ok(random.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// A random id in the form of a UUID.
pub(crate) fn random_uuid() -> Result<String, Exception> {
    let hex = random_hex(16)?;
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

/// An opaque paging token for the page after `last`.
pub(crate) fn token_after(last: &str) -> Result<NextToken, Exception> {
    NextToken::parse(&BASE64.encode(last)).map_err(Exception::internal)
}

/// What a token this endpoint issued stands for: the id the page starts after (`""`
/// without a token).
pub(crate) fn after_token(token: Option<String>) -> Result<String, Exception> {
    let Some(token) = token else {
        return Ok(String::new());
    };
    BASE64
        .decode(token.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| {
            invalid(format!(
                "NextToken {:?} is not one this endpoint issued",
                shown(&token, 64)
            ))
        })
}

impl Emulator {
    /// Seeds one user or resource of an existing organization; answers its new id.
    pub(crate) async fn seed_entity(
        &self,
        kind: EntityKind,
        seed: EntitySeed,
    ) -> Result<Response<Bytes>, Exception> {
        let organization = OrganizationId::parse(&seed.organization_id)
            .map_err(|err| invalid(format!("OrganizationId: {err}")))?;
        if self
            .catalog
            .by_organization_id(&organization)
            .await?
            .is_none()
        {
            return Err(Exception::new(
                ErrorName::OrganizationNotFound,
                format!("organization {organization} does not exist"),
            ));
        }
        // A name or an email is what `StartMailboxExportJob`'s `EntityId` may name.
        EntityId::parse(&seed.name).map_err(|err| invalid(format!("Name: {err}")))?;
        if let Some(email) = &seed.email {
            EntityId::parse(email)
                .ok()
                .filter(|_| email.contains('@') && email.len() <= MAX_EMAIL_LEN)
                .ok_or_else(|| {
                    invalid(format!(
                        "Email: {:?} is not an email address of at most {MAX_EMAIL_LEN} \
                         characters",
                        shown(email, 64)
                    ))
                })?;
        }
        let enabled = seed.enabled.unwrap_or(true);
        let state = match seed.state.as_deref() {
            None if enabled => EntityState::Enabled,
            None => EntityState::Disabled,
            Some(state) => state
                .parse::<EntityState>()
                .map_err(|err| invalid(format!("State: {err}")))?,
        };
        if !enabled && state == EntityState::Enabled {
            return Err(invalid(
                "State: an entity never enabled (\"Enabled\": false) cannot be ENABLED".into(),
            ));
        }
        let (role, id) = match kind {
            EntityKind::User => {
                if seed.kind.is_some() {
                    return Err(invalid("Type: users have a UserRole, not a Type".into()));
                }
                let role = match seed.user_role.as_deref() {
                    None => UserRole::User,
                    Some(role) => role
                        .parse::<UserRole>()
                        .map_err(|err| invalid(format!("UserRole: {err}")))?,
                };
                (role.as_str(), random_uuid()?)
            }
            // `EntityKind` may grow; anything but a user is seeded as a resource.
            _ => {
                if seed.user_role.is_some() {
                    return Err(invalid(
                        "UserRole: resources have a Type, not a UserRole".into(),
                    ));
                }
                let kind = match seed.kind.as_deref() {
                    None => ResourceType::Room,
                    Some(kind) => kind
                        .parse::<ResourceType>()
                        .map_err(|err| invalid(format!("Type: {err}")))?,
                };
                (kind.as_str(), format!("r-{}", random_hex(16)?))
            }
        };
        let entity = SeededEntity {
            organization_id: organization,
            id,
            kind,
            name: seed.name,
            email: seed.email,
            state: state.as_str().to_owned(),
            role: Some(role.to_owned()),
            enabled_date: enabled.then(|| self.now()),
        };
        if !self
            .state()
            .add_entity(&entity, MAX_ENTITIES_PER_ORGANIZATION)
            .await?
        {
            return Err(Exception::new(
                ErrorName::Code(AwsErrorCode::LimitExceeded),
                format!(
                    "organization {} holds {MAX_ENTITIES_PER_ORGANIZATION} users and \
                     resources, the most this endpoint keeps",
                    entity.organization_id
                ),
            ));
        }
        Ok(wire::ok(&Seeded { id: &entity.id }))
    }

    /// One page of `kind` entities of an active organization, and the token of the next.
    async fn entity_page(
        &self,
        region: Region,
        body: &[u8],
        operation: Operation,
        kind: EntityKind,
    ) -> Result<(Vec<SeededEntity>, Option<NextToken>), Exception> {
        let raw: ListEntitiesMembers = read_body(operation, body)?;
        let (_, _, id) = self
            .active_organization(
                region,
                raw.organization_id,
                "listing users and resources needs it Active",
            )
            .await?;
        let limit = max_results(raw.max_results)?;
        let after = after_token(raw.next_token)?;
        let mut page = self.state().entities(&id, kind, &after, limit + 1).await?;
        let next_token = if page.len() > limit {
            page.truncate(limit);
            page.last().map(|last| token_after(&last.id)).transpose()?
        } else {
            None
        };
        Ok((page, next_token))
    }

    pub(crate) async fn list_users(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let (page, next_token) = self
            .entity_page(region, body, Operation::ListUsers, EntityKind::User)
            .await?;
        let users = page
            .iter()
            .map(|entity| {
                let id = EntityId::parse(&entity.id).map_err(Exception::internal)?;
                let mut user = User::builder(&id).name(&entity.name).state(&entity.state);
                if let Some(email) = &entity.email {
                    user = user.email(email);
                }
                if let Some(role) = &entity.role {
                    user = user.user_role(role);
                }
                if let Some(enabled) = entity.enabled_date {
                    user = user.enabled_date(timestamp(enabled)?);
                }
                user.build().map_err(Exception::internal)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let response = ListUsersResponse::new(users, next_token).map_err(Exception::internal)?;
        Ok(wire::ok(&response))
    }

    pub(crate) async fn list_resources(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let (page, next_token) = self
            .entity_page(region, body, Operation::ListResources, EntityKind::Resource)
            .await?;
        let resources = page
            .iter()
            .map(|entity| {
                let id = EntityId::parse(&entity.id).map_err(Exception::internal)?;
                let mut resource = Resource::builder(&id)
                    .name(&entity.name)
                    .state(&entity.state);
                if let Some(email) = &entity.email {
                    resource = resource.email(email);
                }
                if let Some(kind) = &entity.role {
                    resource = resource.kind(kind);
                }
                if let Some(enabled) = entity.enabled_date {
                    resource = resource.enabled_date(timestamp(enabled)?);
                }
                resource.build().map_err(Exception::internal)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let response =
            ListResourcesResponse::new(resources, next_token).map_err(Exception::internal)?;
        Ok(wire::ok(&response))
    }
}

/// Epoch seconds as a [`Timestamp`].
pub(crate) fn timestamp(seconds: u64) -> Result<Timestamp, Exception> {
    let seconds = i64::try_from(seconds).map_err(Exception::internal)?;
    Timestamp::new(seconds, 0).map_err(Exception::internal)
}
