//! Which entities have a mailbox to export, and why the others are skipped.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::aws::{EntityState, Resource, User, UserRole};
use crate::id::{ClientToken, EntityId, OrganizationId};

/// Whether an entity is a user or a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailboxKind {
    /// A user, from `ListUsers`.
    User,
    /// A resource (room or equipment), from `ListResources`.
    Resource,
}

impl fmt::Display for MailboxKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MailboxKind::User => "user",
            MailboxKind::Resource => "resource",
        })
    }
}

/// Why an entity gets no export job.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum SkipReason {
    /// `State` is `DELETED`: the mailbox is gone.
    Deleted,
    /// No `EnabledDate`: never enabled, so it never had a mailbox.
    NeverEnabled,
    /// `UserRole` `SYSTEM_USER`: a user WorkMail made for itself, with no mailbox of a person.
    SystemUser,
    /// `UserRole` `RESOURCE`: the user behind a resource, exported through the resource's id.
    ResourceUser,
    /// `UserRole` `REMOTE_USER`: the mailbox lives on an interoperable Exchange server.
    RemoteUser,
    /// A `State` this crate does not know, or none: not exported on a guess.
    UnknownState {
        /// The state as AWS reported it (empty when absent).
        state: String,
    },
    /// A `UserRole` this crate does not know: not exported on a guess.
    UnknownRole {
        /// The role as AWS reported it.
        role: String,
    },
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Deleted => f.write_str("deleted: no mailbox left"),
            SkipReason::NeverEnabled => f.write_str("never enabled: no mailbox"),
            SkipReason::SystemUser => f.write_str("system user: WorkMail's own"),
            SkipReason::ResourceUser => {
                f.write_str("the user behind a resource: exported as the resource")
            }
            SkipReason::RemoteUser => f.write_str("remote user: the mailbox is on Exchange"),
            SkipReason::UnknownState { state } if state.is_empty() => {
                f.write_str("no state reported: not exported on a guess")
            }
            SkipReason::UnknownState { state } => write!(
                f,
                "state \"{}\" unknown: not exported on a guess",
                crate::text::shown(state)
            ),
            SkipReason::UnknownRole { role } => write!(
                f,
                "role \"{}\" unknown: not exported on a guess",
                crate::text::shown(role)
            ),
        }
    }
}

/// The first rule that skips a user, if any.
pub(super) fn skip_user(user: &User) -> Option<SkipReason> {
    if let Some(role) = user.user_role() {
        match role.known() {
            Some(UserRole::User) => {}
            Some(UserRole::SystemUser) => return Some(SkipReason::SystemUser),
            Some(UserRole::Resource) => return Some(SkipReason::ResourceUser),
            Some(UserRole::RemoteUser) => return Some(SkipReason::RemoteUser),
            _ => {
                return Some(SkipReason::UnknownRole {
                    role: role.as_str().to_owned(),
                })
            }
        }
    }
    skip_state(
        user.state().map(|s| (s.known(), s.as_str())),
        user.enabled_date().is_some(),
    )
}

/// The first rule that skips a resource, if any.
pub(super) fn skip_resource(resource: &Resource) -> Option<SkipReason> {
    skip_state(
        resource.state().map(|s| (s.known(), s.as_str())),
        resource.enabled_date().is_some(),
    )
}

fn skip_state(
    state: Option<(Option<&EntityState>, &str)>,
    ever_enabled: bool,
) -> Option<SkipReason> {
    match state {
        Some((Some(EntityState::Deleted), _)) => Some(SkipReason::Deleted),
        Some((Some(EntityState::Enabled | EntityState::Disabled), _)) if !ever_enabled => {
            Some(SkipReason::NeverEnabled)
        }
        Some((Some(EntityState::Enabled | EntityState::Disabled), _)) => None,
        Some((_, text)) => Some(SkipReason::UnknownState {
            state: text.to_owned(),
        }),
        None => Some(SkipReason::UnknownState {
            state: String::new(),
        }),
    }
}

/// The most characters of an entity id written into a client token as it is; longer ids are
/// written as a digest.
const TOKEN_ENTITY_CHARS: usize = 80;

/// The client token of attempt `attempt` (from 1) to export `entity`'s mailbox in
/// `organization`: `leave-` and the organization id's 32 hex digits, the entity id (or `h` and
/// its 64-bit FNV-1a digest in hex when over 80 characters), and the attempt. The same inputs
/// always give the same token, so a resent request names the same job, and a retry gets a new
/// one.
pub fn export_client_token(
    organization: &OrganizationId,
    entity: &EntityId,
    attempt: u8,
) -> ClientToken {
    let hex = organization
        .as_str()
        .strip_prefix("m-")
        .unwrap_or(organization.as_str());
    let entity = if entity.as_str().len() <= TOKEN_ENTITY_CHARS {
        entity.as_str().to_owned()
    } else {
        format!("h{:016x}", fnv1a(entity.as_str().as_bytes()))
    };
    let token = format!("leave-{hex}-{entity}-{attempt}");
    // At most 6 + 32 + 1 + 80 + 1 + 3 = 123 printable characters: a valid token.
    ClientToken::parse(&token).expect("an export client token is valid by construction")
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Timestamp;

    fn user(state: &str, role: &str, enabled: bool) -> User {
        let mut builder = User::builder(&"u-1".parse().unwrap())
            .state(state)
            .user_role(role);
        if enabled {
            builder = builder.enabled_date(Timestamp::new(1_767_225_600, 0).unwrap());
        }
        builder.build().unwrap()
    }

    #[test]
    fn every_skip_reason() {
        assert_eq!(skip_user(&user("ENABLED", "USER", true)), None);
        assert_eq!(skip_user(&user("DISABLED", "USER", true)), None);
        assert_eq!(
            skip_user(&user("ENABLED", "USER", false)),
            Some(SkipReason::NeverEnabled)
        );
        assert_eq!(
            skip_user(&user("DELETED", "USER", true)),
            Some(SkipReason::Deleted)
        );
        assert_eq!(
            skip_user(&user("ENABLED", "SYSTEM_USER", true)),
            Some(SkipReason::SystemUser)
        );
        assert_eq!(
            skip_user(&user("ENABLED", "RESOURCE", true)),
            Some(SkipReason::ResourceUser)
        );
        assert_eq!(
            skip_user(&user("ENABLED", "REMOTE_USER", true)),
            Some(SkipReason::RemoteUser)
        );
        assert_eq!(
            skip_user(&user("ENABLED", "ROBOT", true)),
            Some(SkipReason::UnknownRole {
                role: "ROBOT".into()
            })
        );
        assert_eq!(
            skip_user(&user("PAUSED", "USER", true)),
            Some(SkipReason::UnknownState {
                state: "PAUSED".into()
            })
        );
        assert_eq!(
            SkipReason::UnknownState {
                state: "PAUSED".into()
            }
            .to_string(),
            "state \"PAUSED\" unknown: not exported on a guess"
        );
    }

    #[test]
    fn tokens_are_deterministic_and_bounded() {
        let org: OrganizationId = "m-0123456789abcdef0123456789abcdef".parse().unwrap();
        let entity: EntityId = "r-0123456789abcdef0123456789abcdef".parse().unwrap();
        assert_eq!(
            export_client_token(&org, &entity, 1).as_str(),
            "leave-0123456789abcdef0123456789abcdef-r-0123456789abcdef0123456789abcdef-1"
        );
        assert_ne!(
            export_client_token(&org, &entity, 1),
            export_client_token(&org, &entity, 2)
        );
        let long: EntityId = "a".repeat(256).parse().unwrap();
        let token = export_client_token(&org, &long, 255);
        assert!(token.as_str().len() <= 128);
        assert_eq!(token, export_client_token(&org, &long, 255));
    }
}
