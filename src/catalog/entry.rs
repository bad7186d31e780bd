//! What a store keeps for one organization: the spec it admitted, how far its creation got,
//! and what AWS last reported.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::aws::{CreateOrganization, CreateOrganizationRequest, Mismatch, Organization};
use crate::lifecycle::OrganizationState;

use super::Lease;
use super::{UniquenessKey, UniquenessKeys};
use crate::id::{AccountId, ClientToken, DomainName, OrganizationAlias, OrganizationId, Region};
use crate::spec::OrganizationSpec;
use crate::text::{debug_as_display, string_enum};

/// The id a store gives an entry when it admits it: unique within that store, never reused.
///
/// Serde writes it as a number; `Display` and `FromStr` as decimal digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(u64);

impl EntryId {
    /// The id with this number.
    pub const fn new(id: u64) -> Self {
        EntryId(id)
    }

    /// Its number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for EntryId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(EntryId)
    }
}

string_enum! {
    /// How far the creation of an entry's organization got, and so what a crash at that
    /// point leaves behind.
    ///
    /// | stage | what is known | after a crash |
    /// | --- | --- | --- |
    /// | `reserved` | every key is held; nothing was sent to AWS | [release](crate::Catalog::release) it, or send the request |
    /// | `sent` | the exact `CreateOrganization` request, with the entry's client token, recorded just before each send | AWS may or may not have the organization: [resend](crate::Catalog::resend) it and apply the [answer](crate::Catalog::answered); an answer that does not say leads to a [`Lookup`](crate::catalog::Lookup) in `ListOrganizations` |
    /// | `created` | AWS answered with the organization id | nothing is lost: poll `DescribeOrganization` and [record](crate::Catalog::record) it |
    /// | `recorded` | AWS's latest `DescribeOrganization` snapshot, with its lifecycle state | nothing is lost |
    pub enum Stage: "stage" {
        /// Every key is held and nothing was sent to AWS.
        Reserved = "reserved",
        /// The `CreateOrganization` request is recorded: it was about to be sent.
        Sent = "sent",
        /// AWS answered `CreateOrganization` with the organization id.
        Created = "created",
        /// AWS's `DescribeOrganization` snapshot is recorded.
        Recorded = "recorded",
    }
}

impl Stage {
    /// Whether an entry at this stage is pending: its organization id is not known, so a
    /// crash may have left it for [`pending`](crate::Catalog::pending) to find.
    pub const fn is_pending(self) -> bool {
        matches!(self, Stage::Reserved | Stage::Sent)
    }
}

/// One organization of a store: the spec it admitted and how far its creation got.
///
/// - the spec, and its account;
/// - once [sent](crate::Catalog::sent), the exact `CreateOrganization` request (a new Route 53
///   domain's hosted zone exists only by then);
/// - once [created](crate::Catalog::created), the organization id AWS answered;
/// - once [recorded](crate::Catalog::record), AWS's latest `DescribeOrganization` snapshot,
///   with its lifecycle state;
/// - the mail domains the organization holds now (the spec's, then as
///   [registered](crate::Catalog::register_mail_domain) and
///   [deregistered](crate::Catalog::deregister_mail_domain));
/// - when it was admitted and last changed, in the caller's epoch seconds (this crate has no
///   clock), and a version that every change raises.
///
/// Every entry holds together: the request is the one the spec makes, the snapshot agrees
/// with the spec ([`Organization::check_against`], its ARN's Region) and carries the
/// recorded organization id. Storage engines rebuild entries from [`StoredEntry`], which
/// checks all of it again.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    id: EntryId,
    account: AccountId,
    spec: OrganizationSpec,
    client_token: ClientToken,
    request: Option<CreateOrganizationRequest>,
    sends: u32,
    sent_at: Option<u64>,
    lease: Option<Lease>,
    organization_id: Option<OrganizationId>,
    organization: Option<Organization>,
    mail_domains: Vec<DomainName>,
    admitted_at: u64,
    updated_at: u64,
    version: u64,
}

/// An [`Entry`] taken apart, as a storage engine keeps it: every field public, checked when
/// it becomes an entry again with `Entry::try_from`.
///
/// Engines read each column with this crate's own parsers (`OrganizationSpec` from its JSON
/// format, the request and snapshot from AWS's JSON), then let `TryFrom` check that the
/// parts hold together, so no engine can hand out an entry the library would not have made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredEntry {
    /// The store's id.
    pub id: EntryId,
    /// The account that admitted it.
    pub account: AccountId,
    /// The admitted spec.
    pub spec: OrganizationSpec,
    /// The client token every send carries: the spec's, or the one the store drew at
    /// admission.
    pub client_token: ClientToken,
    /// The `CreateOrganization` request, once sent.
    pub request: Option<CreateOrganizationRequest>,
    /// How many times the request was sent (recorded just before each send).
    pub sends: u32,
    /// When it was last sent, in epoch seconds.
    pub sent_at: Option<u64>,
    /// The lease on it, if any process took one.
    pub lease: Option<Lease>,
    /// The organization id, once AWS answered.
    pub organization_id: Option<OrganizationId>,
    /// The latest `DescribeOrganization` snapshot, once recorded.
    pub organization: Option<Organization>,
    /// The mail domains the entry holds keys for, in any order.
    pub mail_domains: Vec<DomainName>,
    /// When it was admitted, in epoch seconds.
    pub admitted_at: u64,
    /// When it last changed, in epoch seconds.
    pub updated_at: u64,
    /// Raised by every change: the store's compare-and-set token.
    pub version: u64,
}

impl StoredEntry {
    /// The parts of a newly admitted entry: the spec alone, holding its own mail domains, at
    /// version 1. Its client token is the spec's when it has one, else `drawn`, the one the
    /// store drew.
    pub fn admitted(
        id: EntryId,
        account: AccountId,
        spec: OrganizationSpec,
        drawn: ClientToken,
        now: u64,
    ) -> Self {
        let mail_domains = spec.user_domains().map(|(_, name)| name.clone()).collect();
        let client_token = spec.client_token().cloned().unwrap_or(drawn);
        StoredEntry {
            id,
            account,
            spec,
            client_token,
            request: None,
            sends: 0,
            sent_at: None,
            lease: None,
            organization_id: None,
            organization: None,
            mail_domains,
            admitted_at: now,
            updated_at: now,
            version: 1,
        }
    }
}

impl TryFrom<StoredEntry> for Entry {
    type Error = InvalidEntry;

    /// Checks that the parts hold together: the request is the spec's, an organization id
    /// comes only after a request, the snapshot agrees with the spec and carries the id.
    fn try_from(parts: StoredEntry) -> Result<Self, InvalidEntry> {
        let invalid = |problem: String| InvalidEntry {
            id: parts.id,
            problem,
        };
        if let Some(token) = parts.spec.client_token() {
            if *token != parts.client_token {
                return Err(invalid(format!(
                    "its client token {:?} is not its spec's {:?}",
                    parts.client_token.as_str(),
                    token.as_str()
                )));
            }
        }
        if let Some(request) = &parts.request {
            if !request.is_for_entry(&parts.spec, &parts.client_token) {
                return Err(invalid(
                    "its CreateOrganization request is not the one its spec makes".to_owned(),
                ));
            }
        }
        if parts.request.is_some() != (parts.sends > 0)
            || parts.sends > 0 && parts.sent_at.is_none()
        {
            return Err(invalid(format!(
                "it was sent {} times, sent at {:?}, with {} request",
                parts.sends,
                parts.sent_at,
                if parts.request.is_some() { "a" } else { "no" }
            )));
        }
        if parts.organization_id.is_some() && parts.request.is_none() {
            return Err(invalid(
                "it has an organization id but no CreateOrganization request".to_owned(),
            ));
        }
        if let Some(organization) = &parts.organization {
            if parts.organization_id.as_ref() != Some(organization.organization_id()) {
                return Err(invalid(format!(
                    "its snapshot names organization {} but its organization id is {}",
                    organization.organization_id(),
                    parts
                        .organization_id
                        .as_ref()
                        .map_or_else(|| "not recorded".to_owned(), ToString::to_string)
                )));
            }
            check_snapshot(&parts.spec, organization).map_err(|err| invalid(err.to_string()))?;
        }
        if parts.updated_at < parts.admitted_at {
            return Err(invalid(format!(
                "it changed at {} before it was admitted at {}",
                parts.updated_at, parts.admitted_at
            )));
        }
        let mut mail_domains = parts.mail_domains;
        mail_domains.sort_unstable();
        mail_domains.dedup();
        Ok(Entry {
            id: parts.id,
            account: parts.account,
            spec: parts.spec,
            client_token: parts.client_token,
            request: parts.request,
            sends: parts.sends,
            sent_at: parts.sent_at,
            lease: parts.lease,
            organization_id: parts.organization_id,
            organization: parts.organization,
            mail_domains,
            admitted_at: parts.admitted_at,
            updated_at: parts.updated_at,
            version: parts.version,
        })
    }
}

impl From<Entry> for StoredEntry {
    fn from(entry: Entry) -> Self {
        StoredEntry {
            id: entry.id,
            account: entry.account,
            spec: entry.spec,
            client_token: entry.client_token,
            request: entry.request,
            sends: entry.sends,
            sent_at: entry.sent_at,
            lease: entry.lease,
            organization_id: entry.organization_id,
            organization: entry.organization,
            mail_domains: entry.mail_domains,
            admitted_at: entry.admitted_at,
            updated_at: entry.updated_at,
            version: entry.version,
        }
    }
}

/// Stored parts that do not make an entry (see [`StoredEntry`]): written by another tool, or
/// by a bug. The message names the entry and what is wrong.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored entry {id} is inconsistent: {problem}")]
pub struct InvalidEntry {
    id: EntryId,
    problem: String,
}

debug_as_display!(InvalidEntry);

impl InvalidEntry {
    /// The entry's id.
    pub fn id(&self) -> EntryId {
        self.id
    }
}

impl Entry {
    /// The store's id.
    pub fn id(&self) -> EntryId {
        self.id
    }

    /// The account that admitted it.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The organization's Region: the spec's.
    pub fn region(&self) -> Region {
        self.spec.region()
    }

    /// The admitted spec.
    pub fn spec(&self) -> &OrganizationSpec {
        &self.spec
    }

    /// The organization's alias, as the spec spells it.
    pub fn alias(&self) -> &OrganizationAlias {
        self.spec.alias()
    }

    /// How far the creation got: derived from what is recorded.
    pub fn stage(&self) -> Stage {
        match (&self.request, &self.organization_id, &self.organization) {
            (None, _, _) => Stage::Reserved,
            (Some(_), None, _) => Stage::Sent,
            (Some(_), Some(_), None) => Stage::Created,
            (Some(_), Some(_), Some(_)) => Stage::Recorded,
        }
    }

    /// The client token every send of its request carries: the spec's, or one of 128 random
    /// bits the store drew at admission. It is never in the spec, so a spec without a token
    /// admitted twice is still two organizations (`alias.taken`).
    pub fn client_token(&self) -> &ClientToken {
        &self.client_token
    }

    /// The `CreateOrganization` request, once [sent](crate::Catalog::sent), with the entry's
    /// client token.
    pub fn request(&self) -> Option<&CreateOrganizationRequest> {
        self.request.as_ref()
    }

    /// The call to send, once [sent](crate::Catalog::sent) recorded it: the request, with
    /// the entry's client token, and the Region.
    pub fn call(&self) -> Option<CreateOrganization> {
        let request = self.request.clone()?;
        Some(CreateOrganization::from_parts(
            self.region(),
            request.with_client_token(self.client_token.clone()),
        ))
    }

    /// How many times the request was sent, each recorded by [`sent`](crate::Catalog::sent)
    /// just before it went: 0 while reserved.
    pub fn sends(&self) -> u32 {
        self.sends
    }

    /// When the request was last sent, in the caller's epoch seconds.
    pub fn sent_at(&self) -> Option<u64> {
        self.sent_at
    }

    /// The lease a process holds on the entry, if any (see
    /// [`Catalog::lease`](crate::Catalog::lease)); it may have expired.
    pub fn lease(&self) -> Option<&Lease> {
        self.lease.as_ref()
    }

    /// The organization id AWS answered, once [created](crate::Catalog::created).
    pub fn organization_id(&self) -> Option<&OrganizationId> {
        self.organization_id.as_ref()
    }

    /// What AWS last reported, once [recorded](crate::Catalog::record).
    pub fn organization(&self) -> Option<&Organization> {
        self.organization.as_ref()
    }

    /// The lifecycle state AWS last reported, when it is one this version knows.
    pub fn state(&self) -> Option<&OrganizationState> {
        self.organization
            .as_ref()
            .and_then(|org| org.state().known())
    }

    /// Whether the organization still counts: not reported `Deleted`. A live entry holds
    /// its keys and counts against the account's quota; a deleted one is history.
    pub fn is_live(&self) -> bool {
        self.state() != Some(&OrganizationState::Deleted)
    }

    /// The mail domains the organization holds now, sorted: the spec's user domains, then
    /// as registered and deregistered. Empty once deleted.
    pub fn mail_domains(&self) -> &[DomainName] {
        &self.mail_domains
    }

    /// The keys this version of the entry holds in its store: while live, its alias, its
    /// existing directory and one key per mail domain it holds; none once deleted.
    pub fn keys(&self) -> Vec<UniquenessKey> {
        if !self.is_live() {
            return Vec::new();
        }
        let mut keys: Vec<UniquenessKey> = UniquenessKeys::new(&self.account, &self.spec)
            .iter()
            .filter(|key| !matches!(key, UniquenessKey::Domain(_)))
            .cloned()
            .collect();
        keys.extend(self.mail_domains.iter().cloned().map(UniquenessKey::Domain));
        keys
    }

    /// When it was admitted, in the caller's epoch seconds.
    pub fn admitted_at(&self) -> u64 {
        self.admitted_at
    }

    /// When it last changed, in the caller's epoch seconds.
    pub fn updated_at(&self) -> u64 {
        self.updated_at
    }

    /// Raised by every change; a store writes a change only over the version it was made
    /// from.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The next version of this entry, changed by `change` at `now`.
    pub(super) fn next(&self, now: u64, change: impl FnOnce(&mut Entry)) -> Entry {
        let mut next = self.clone();
        change(&mut next);
        next.updated_at = now.max(self.updated_at);
        next.version = self.version + 1;
        if !next.is_live() {
            next.mail_domains.clear();
        }
        next
    }

    /// Records a send of `request` at `now`: the first, or one more.
    pub(super) fn record_send(&mut self, request: CreateOrganizationRequest, now: u64) {
        self.request = Some(request.with_client_token(self.client_token.clone()));
        self.sends = self.sends.saturating_add(1);
        self.sent_at = Some(now);
    }

    pub(super) fn set_lease(&mut self, lease: Option<Lease>) {
        self.lease = lease;
    }

    pub(super) fn set_organization_id(&mut self, id: OrganizationId) {
        self.organization_id = Some(id);
    }

    pub(super) fn set_organization(&mut self, organization: Organization) {
        self.organization = Some(organization);
    }

    pub(super) fn set_mail_domains(&mut self, mail_domains: Vec<DomainName>) {
        self.mail_domains = mail_domains;
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

/// Why a snapshot from AWS was not recorded: no entry has its organization id, or the
/// snapshot contradicts the entry.
///
/// Every message names the organization; `Debug` shows the message.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// No entry of the account has the snapshot's organization id: it was never
    /// [created](crate::Catalog::created) through this store.
    #[error("no organization {id} (\"{alias}\") in the store")]
    NotFound {
        /// The snapshot's organization id.
        id: OrganizationId,
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
    /// The snapshot's ARN names another account than the entry's.
    #[error(
        "organization \"{alias}\" belongs to account {entry} but its ARN names account {reported}"
    )]
    Account {
        /// The organization.
        alias: OrganizationAlias,
        /// The entry's account.
        entry: AccountId,
        /// The ARN's account.
        reported: AccountId,
    },
    /// The entry already has an organization id, and AWS answered another one.
    #[error("organization \"{alias}\" was recorded as {recorded} but AWS now reports {reported}")]
    IdChanged {
        /// The organization.
        alias: OrganizationAlias,
        /// The id recorded before.
        recorded: OrganizationId,
        /// The id AWS reports now.
        reported: OrganizationId,
    },
    /// The organization id is already another entry's.
    #[error("organization id {id} is already recorded for another entry, not \"{alias}\"")]
    IdInUse {
        /// The organization the answer was for.
        alias: OrganizationAlias,
        /// The id.
        id: OrganizationId,
        /// The entry that has it.
        owner: EntryId,
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

/// The JSON form of an [`Entry`], written: every part, with the spec in its JSON format, the
/// request and snapshot in AWS's, and the stage it derives.
#[derive(Serialize)]
struct EntryOut<'a> {
    id: EntryId,
    account: &'a AccountId,
    stage: Stage,
    spec: crate::spec::OrganizationDraft,
    client_token: &'a ClientToken,
    request: Option<&'a CreateOrganizationRequest>,
    sends: u32,
    sent_at: Option<u64>,
    lease: Option<&'a Lease>,
    organization_id: Option<&'a OrganizationId>,
    organization: Option<&'a Organization>,
    mail_domains: &'a [DomainName],
    admitted_at: u64,
    updated_at: u64,
    version: u64,
}

/// The JSON form of an [`Entry`], read: each part through its own parser, then the checks
/// of `TryFrom<StoredEntry>`; the stage must be the one the parts make.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an entry: an object with its id, account, spec and stage"
)]
struct EntryIn {
    id: EntryId,
    account: AccountId,
    stage: Stage,
    spec: OrganizationSpec,
    client_token: ClientToken,
    #[serde(default)]
    request: Option<CreateOrganizationRequest>,
    #[serde(default)]
    sends: u32,
    #[serde(default)]
    sent_at: Option<u64>,
    #[serde(default)]
    lease: Option<Lease>,
    #[serde(default)]
    organization_id: Option<OrganizationId>,
    #[serde(default)]
    organization: Option<Organization>,
    mail_domains: Vec<DomainName>,
    admitted_at: u64,
    updated_at: u64,
    version: u64,
}

/// An entry as JSON, for a service's API or a tool's output: `id`, `account`, `stage`, `spec`
/// (the spec JSON format), `client_token`, `request` (AWS's `CreateOrganization` body),
/// `sends`, `sent_at`, `lease` (`owner`, `expires_at`), `organization_id`, `organization`
/// (AWS's `DescribeOrganization` response), `mail_domains`, `admitted_at`, `updated_at` and
/// `version`. Reading it back checks every part, and that they hold together, as a store
/// does.
///
/// ```
/// use workmail_org::catalog::{Admission, Entry};
/// use workmail_org::{Catalog, OrganizationDraft};
///
/// let catalog = Catalog::new("111122223333".parse()?);
/// let spec = OrganizationDraft::new("acme", "us-east-1").validate()?;
/// let entry = catalog.blocking(|c| c.admit(&spec, 1_764_000_000))?.into_entry();
/// let json = serde_json::to_string(&entry)?;
/// assert!(json.starts_with(r#"{"id":1,"account":"111122223333","stage":"reserved","spec":{"#));
/// assert_eq!(serde_json::from_str::<Entry>(&json)?, entry);
/// // A stage the parts do not make is refused.
/// let lying = json.replace(r#""stage":"reserved""#, r#""stage":"sent""#);
/// assert!(serde_json::from_str::<Entry>(&lying).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        EntryOut {
            id: self.id,
            account: &self.account,
            stage: self.stage(),
            spec: self.spec.to_draft(),
            client_token: &self.client_token,
            request: self.request.as_ref(),
            sends: self.sends,
            sent_at: self.sent_at,
            lease: self.lease.as_ref(),
            organization_id: self.organization_id.as_ref(),
            organization: self.organization.as_ref(),
            mail_domains: &self.mail_domains,
            admitted_at: self.admitted_at,
            updated_at: self.updated_at,
            version: self.version,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = EntryIn::deserialize(deserializer)?;
        let stage = read.stage;
        let entry = Entry::try_from(StoredEntry {
            id: read.id,
            account: read.account,
            spec: read.spec,
            client_token: read.client_token,
            request: read.request,
            sends: read.sends,
            sent_at: read.sent_at,
            lease: read.lease,
            organization_id: read.organization_id,
            organization: read.organization,
            mail_domains: read.mail_domains,
            admitted_at: read.admitted_at,
            updated_at: read.updated_at,
            version: read.version,
        })
        .map_err(serde::de::Error::custom)?;
        if entry.stage() != stage {
            return Err(serde::de::Error::custom(format_args!(
                "entry {}: its stage is {stage} but its parts make it {}",
                entry.id,
                entry.stage()
            )));
        }
        Ok(entry)
    }
}
