//! What a catalog holds for one organization: the spec it admitted and, once known, what AWS
//! reports about it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::aws::{Mismatch, Organization};
use crate::text::debug_as_display;
use crate::{AccountId, OrganizationAlias, OrganizationId, OrganizationSpec, Region};

/// One organization of a [`Catalog`](crate::Catalog): the spec it admitted, and AWS's
/// `DescribeOrganization` snapshot ([`Organization`]) once the caller has
/// [recorded](crate::Catalog::record) it.
///
/// The snapshot is held once, as AWS reported it: its id, ARN and state (in its lenient
/// form, so a state this version does not know is kept) are read through
/// [`organization`](Self::organization). An entry never holds a snapshot that contradicts
/// its spec: [`with_organization`](Self::with_organization) and `Deserialize` check it with
/// [`Organization::check_against`] and against the spec's Region.
///
/// Serialized, an entry is `{"spec": SPEC, "organization": SNAPSHOT}`: the spec in the
/// [JSON format](crate::spec#json-format) and the snapshot in `DescribeOrganization`'s own
/// JSON (PascalCase); `organization` is left out until recorded. Reading one re-validates
/// both and their agreement; unknown fields are refused.
///
/// ```
/// use workmail_org::aws::Organization;
/// use workmail_org::catalog::Entry;
/// use workmail_org::lifecycle::OrganizationState;
/// use workmail_org::OrganizationDraft;
///
/// let spec = OrganizationDraft::new("acme", "us-east-1").validate()?;
/// let entry = Entry::new(spec.clone());
/// assert!(entry.organization().is_none());
///
/// let org: Organization = serde_json::from_str(
///     r#"{"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme",
///         "State": "Creating",
///         "ARN": "arn:aws:workmail:us-east-1:111122223333:organization/m-0123456789abcdef0123456789abcdef"}"#,
/// )?;
/// let entry = Entry::with_organization(spec, org)?;
/// assert_eq!(entry.organization_id().map(|id| id.as_str()), Some("m-0123456789abcdef0123456789abcdef"));
/// let state = entry.organization().map(|org| org.state().known());
/// assert_eq!(state, Some(Some(&OrganizationState::Creating)));
///
/// let json = serde_json::to_string(&entry)?;
/// assert_eq!(serde_json::from_str::<Entry>(&json)?, entry);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawEntry")]
pub struct Entry {
    spec: OrganizationSpec,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<Organization>,
}

/// An entry as stored: both parts valid on their own, their agreement not yet checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    spec: OrganizationSpec,
    #[serde(default)]
    organization: Option<Organization>,
}

impl TryFrom<RawEntry> for Entry {
    type Error = RecordError;

    fn try_from(raw: RawEntry) -> Result<Self, RecordError> {
        match raw.organization {
            Some(organization) => Entry::with_organization(raw.spec, organization),
            None => Ok(Entry::new(raw.spec)),
        }
    }
}

impl Entry {
    /// An entry for an admitted spec, before AWS has said anything about it.
    pub fn new(spec: OrganizationSpec) -> Self {
        Entry {
            spec,
            organization: None,
        }
    }

    /// An entry with AWS's snapshot of the organization created from `spec`.
    ///
    /// # Errors
    /// [`RecordError::Mismatch`] when [`Organization::check_against`] finds the snapshot
    /// unlike the spec (another alias, directory or interoperability);
    /// [`RecordError::Region`] when its ARN names another Region than the spec's.
    pub fn with_organization(
        spec: OrganizationSpec,
        organization: Organization,
    ) -> Result<Self, RecordError> {
        check_snapshot(&spec, &organization)?;
        Ok(Entry {
            spec,
            organization: Some(organization),
        })
    }

    /// The admitted spec.
    pub fn spec(&self) -> &OrganizationSpec {
        &self.spec
    }

    /// The organization's alias, as the spec spells it.
    pub fn alias(&self) -> &OrganizationAlias {
        self.spec.alias()
    }

    /// What AWS last reported about the organization, once recorded.
    pub fn organization(&self) -> Option<&Organization> {
        self.organization.as_ref()
    }

    /// The organization id AWS assigned, once recorded.
    pub fn organization_id(&self) -> Option<&OrganizationId> {
        self.organization
            .as_ref()
            .map(Organization::organization_id)
    }

    /// The spec and the snapshot, by value.
    pub fn into_parts(self) -> (OrganizationSpec, Option<Organization>) {
        (self.spec, self.organization)
    }

    /// Replaces the snapshot, once checked.
    pub(super) fn set_organization(&mut self, organization: Organization) {
        self.organization = Some(organization);
    }
}

/// Checks a snapshot against the spec it was created from: [`Organization::check_against`],
/// then the ARN's Region when the ARN is readable.
pub(super) fn check_snapshot(
    spec: &OrganizationSpec,
    organization: &Organization,
) -> Result<(), RecordError> {
    organization
        .check_against(spec)
        .map_err(|mismatches| RecordError::Mismatch {
            alias: spec.alias().clone(),
            mismatches,
        })?;
    if let Some(arn) = organization.arn().and_then(|arn| arn.known()) {
        if arn.region() != spec.region() {
            return Err(RecordError::Region {
                alias: spec.alias().clone(),
                spec: spec.region(),
                reported: arn.region(),
            });
        }
    }
    Ok(())
}

/// Why a snapshot from AWS was not recorded: the catalog has no such organization, or the
/// snapshot contradicts the spec or the catalog.
///
/// Every message names the organization; `Debug` shows the message.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The catalog holds no organization with the snapshot's alias.
    #[error("no organization \"{alias}\" in the catalog")]
    NotFound {
        /// The snapshot's alias.
        alias: OrganizationAlias,
    },
    /// The snapshot is unlike the spec ([`Organization::check_against`]).
    #[error("AWS reports organization \"{alias}\" unlike its spec: {}", Joined(.mismatches))]
    Mismatch {
        /// The organization.
        alias: OrganizationAlias,
        /// Every difference found.
        mismatches: Vec<Mismatch>,
    },
    /// The snapshot's ARN names another Region than the spec.
    #[error("organization \"{alias}\" was specified in {spec} but its ARN names {reported}")]
    Region {
        /// The organization.
        alias: OrganizationAlias,
        /// The spec's Region.
        spec: Region,
        /// The ARN's Region.
        reported: Region,
    },
    /// The snapshot's ARN names another account than the catalog's.
    #[error(
        "organization \"{alias}\" belongs to account {catalog} but its ARN names account {reported}"
    )]
    Account {
        /// The organization.
        alias: OrganizationAlias,
        /// The catalog's account.
        catalog: AccountId,
        /// The ARN's account.
        reported: AccountId,
    },
    /// The organization already has a recorded id, and AWS now reports another one (it was
    /// deleted and created again: remove it from the catalog and admit it anew).
    #[error("organization \"{alias}\" was recorded as {recorded} but AWS now reports {reported}")]
    IdChanged {
        /// The organization.
        alias: OrganizationAlias,
        /// The id recorded before.
        recorded: OrganizationId,
        /// The id AWS reports now.
        reported: OrganizationId,
    },
    /// The snapshot's organization id is already recorded for another organization.
    #[error(
        "organization id {id} is already recorded for organization \"{owner}\", not \"{alias}\""
    )]
    IdInUse {
        /// The organization the snapshot names.
        alias: OrganizationAlias,
        /// The id.
        id: OrganizationId,
        /// The organization it is recorded for.
        owner: OrganizationAlias,
    },
    /// The lifecycle table has no path from the state recorded before to the state AWS now
    /// reports (say `Active` back to `Creating`): a stale or mixed-up snapshot.
    #[error("organization \"{alias}\": {error}")]
    State {
        /// The organization.
        alias: OrganizationAlias,
        /// Which move the table refused.
        error: crate::lifecycle::TransitionError,
    },
}

debug_as_display!(RecordError);

/// Mismatches joined by `; `.
struct Joined<'a>(&'a [Mismatch]);

impl fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, mismatch) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{mismatch}")?;
        }
        Ok(())
    }
}
