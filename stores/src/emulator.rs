//! The state of `workmail-org-emulator`, the local WorkMail endpoint (feature `emulator`):
//! seeded directories, injected faults, poll counters, generated DNS tokens, verification
//! failures, seeded users and resources, and mailbox export jobs, beside the organizations
//! that the catalog's store keeps.
//!
//! Organizations, their keys, the quota and client tokens live in the store; what only an
//! emulator needs is reached through [`AnyStore::emulator`], an [`EmulatorState`] on the same
//! store, so that several emulator processes on one database agree on it too. In memory it is
//! a [`MemoryState`] beside the store's `InMemoryStore` ([`MemoryStore`](crate::MemoryStore)).
//!
//! On SQLite and PostgreSQL each call is one transaction of the store, on its pool and in its
//! namespace, with the store's retries (`40001`, `40P01`, a fault taken by another process
//! meanwhile) and busy timeout. The steps are written once for both engines, each statement
//! a file under `sql/emulator/`. The tables below come from the emulator's own migrations
//! (versions 1001, …), recorded in `organization_migration` beside the store's and run by
//! [`AnyStore::migrate_emulator`] only, so a service's store never has them. `{ROW_ID}` is
//! SQLite's `INTEGER PRIMARY KEY`, PostgreSQL's `bigint GENERATED ALWAYS AS IDENTITY
//! PRIMARY KEY`:
//!
//! ```sql
#![doc = include_str!("../sql/emulator/schema.sql")]
//! ```
//!
//! Migration 1002 adds the users and resources (their number per organization bounded in
//! one conditional `UPDATE`), the export jobs, the running jobs per organization (taken the
//! same way, so no two starts pass one limit) and the injected export failures:
//!
//! ```sql
#![doc = include_str!("../sql/emulator/exports.sql")]
//! ```
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), workmail_org::catalog::store::StoreError> {
//! use workmail_org_stores::emulator::{Fault, FaultKind};
//! use workmail_org_stores::AnyStore;
//!
//! let store = AnyStore::memory();
//! store.migrate_emulator().await?;
//! let state = store.emulator();
//! state
//!     .add_fault(&Fault {
//!         kind: FaultKind::Throttle,
//!         operation: Some("CreateOrganization".into()),
//!         count: 1,
//!     })
//!     .await?;
//! assert!(!state.take_fault(FaultKind::Throttle, "ListOrganizations").await?);
//! assert!(state.take_fault(FaultKind::Throttle, "CreateOrganization").await?);
//! assert!(!state.take_fault(FaultKind::Throttle, "CreateOrganization").await?);
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use workmail_org::catalog::store::StoreError;
use workmail_org::dns::DomainTokens;
use workmail_org::{DomainName, OrganizationId};

use crate::AnyStore;

/// A directory as Directory Service would report it, seeded through the emulator's control
/// API so that a `CreateOrganization` naming its id can use it. Its JSON is PascalCase;
/// `Stage` defaults to `Active` and `AdditionalRegions` to none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeededDirectory {
    /// `d-` and 10 hex digits.
    pub directory_id: String,
    /// `ADConnector`, `MicrosoftAD`, `SimpleAD`, or an unsupported type such as
    /// `SharedMicrosoftAD`.
    pub directory_type: String,
    /// The directory's alias; an organization using it must have the same.
    pub alias: String,
    /// Its Region code.
    pub region: String,
    /// The Regions it is replicated to.
    #[serde(default)]
    pub additional_regions: Vec<String>,
    /// Its stage, `Active` when usable.
    #[serde(default = "active")]
    pub stage: String,
}

fn active() -> String {
    "Active".to_owned()
}

/// What an injected fault does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum FaultKind {
    /// The next organization created ends `Failed` instead of `Active`.
    FailNextCreation,
    /// The call is not performed and answered `ThrottlingException`.
    Throttle,
    /// The call is performed, then answered HTTP 500 `InternalFailure`.
    ServerErrorAfter,
    /// The call is performed, then the connection is closed without an answer.
    DropAfter,
}

impl FaultKind {
    /// Its name, as in JSON and in the `emulator_faults` table: `Throttle`, say.
    pub const fn as_str(self) -> &'static str {
        match self {
            FaultKind::FailNextCreation => "FailNextCreation",
            FaultKind::Throttle => "Throttle",
            FaultKind::ServerErrorAfter => "ServerErrorAfter",
            FaultKind::DropAfter => "DropAfter",
        }
    }
}

/// An injected fault: its kind, the operation it applies to (any, when `None`) and how many
/// calls it applies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Fault {
    /// What it does.
    pub kind: FaultKind,
    /// The operation it applies to, by name; any operation when absent.
    #[serde(default)]
    pub operation: Option<String>,
    /// How many calls it applies to (at least 1).
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

impl Fault {
    /// Whether it applies to the operation named `operation`.
    pub fn applies_to(&self, operation: &str) -> bool {
        self.operation
            .as_deref()
            .is_none_or(|name| name == operation)
    }
}

/// An organization's creation as the emulator plays it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrganizationPolls {
    /// `DescribeOrganization` calls so far, this one included.
    pub polls: u64,
    /// Whether its creation ends `Failed`.
    pub fails: bool,
}

/// A mail domain as the emulator plays it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainState {
    /// Its tokens: generated once, the same for every later call and process.
    pub tokens: DomainTokens,
    /// `GetMailDomain` calls so far, this one included when it counted.
    pub polls: u64,
    /// Whether its verification fails (an injected fault).
    pub fails: bool,
}

/// What kind of entity has a mailbox: a user, or a resource (a room, equipment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum EntityKind {
    /// A user (`ListUsers`).
    User,
    /// A resource (`ListResources`).
    Resource,
}

impl EntityKind {
    /// Its name, as in JSON and in the `emulator_entities` table.
    pub const fn as_str(self) -> &'static str {
        match self {
            EntityKind::User => "User",
            EntityKind::Resource => "Resource",
        }
    }
}

/// A user or resource seeded through the emulator's control API. Its JSON is PascalCase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeededEntity {
    /// The organization it belongs to.
    pub organization_id: OrganizationId,
    /// Its id: a UUID for a user, `r-` and 32 hex digits for a resource.
    pub id: String,
    /// A user or a resource.
    pub kind: EntityKind,
    /// Its name.
    pub name: String,
    /// Its email address.
    #[serde(default)]
    pub email: Option<String>,
    /// `ENABLED`, `DISABLED` or `DELETED`.
    pub state: String,
    /// A user's `UserRole`, a resource's `Type`.
    #[serde(default)]
    pub role: Option<String>,
    /// When it was enabled (epoch seconds); `None` for one never enabled, which has no
    /// mailbox.
    #[serde(default)]
    pub enabled_date: Option<u64>,
}

impl SeededEntity {
    /// Whether it is a user whose state is `ENABLED`: one that `DeleteOrganization` needs
    /// `ForceDelete` for.
    pub fn is_enabled_user(&self) -> bool {
        self.kind == EntityKind::User && self.state == "ENABLED"
    }

    /// Whether it has a mailbox: enabled once, and not deleted.
    pub fn has_mailbox(&self) -> bool {
        self.enabled_date.is_some() && self.state != "DELETED"
    }
}

/// A mailbox export job as the emulator plays it: `RUNNING`, its polls counted, then
/// `COMPLETED` (or `FAILED`, when a failure was injected for its entity).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ExportJob {
    /// Its id.
    pub job_id: String,
    /// The organization it exports from.
    pub organization_id: OrganizationId,
    /// The id of the entity whose mailbox it exports.
    pub entity_id: String,
    /// The request's `ClientToken`.
    pub client_token: String,
    /// The request, as the JSON of the library's `StartMailboxExportJobRequest`: the same
    /// token with another request is refused.
    pub request: String,
    /// `RUNNING`, `COMPLETED` or `FAILED`.
    pub state: String,
    /// Polls so far.
    pub polls: u64,
    /// Whether it ends `FAILED`.
    pub fails: bool,
    /// When it started (epoch seconds, the endpoint's clock).
    pub start_time: u64,
    /// When it ended.
    #[serde(default)]
    pub end_time: Option<u64>,
}

impl ExportJob {
    /// Whether it still runs.
    pub fn is_running(&self) -> bool {
        self.state == "RUNNING"
    }

    /// The job after one more poll at `now`: `COMPLETED` (or `FAILED`) from poll
    /// `after_polls` on.
    pub fn polled(&self, now: u64, after_polls: u64) -> ExportJob {
        let mut next = self.clone();
        if !next.is_running() {
            return next;
        }
        next.polls = next.polls.saturating_add(1);
        if next.polls >= after_polls {
            next.state = if next.fails { "FAILED" } else { "COMPLETED" }.to_owned();
            next.end_time = Some(now);
        }
        next
    }
}

/// What [`EmulatorState::start_export`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExportStart {
    /// A new job, running.
    Started(ExportJob),
    /// The job its client token already names, unchanged.
    Existing(ExportJob),
    /// As many jobs of the organization run as the limit allows: none started.
    LimitReached,
}

/// The emulator's state in this process's memory, beside an `InMemoryStore` in a
/// [`MemoryStore`](crate::MemoryStore): each call one step under one lock. Reach it through
/// [`AnyStore::emulator`], which awaits nothing for it.
#[derive(Debug, Default)]
pub struct MemoryState {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    directories: HashMap<String, SeededDirectory>,
    faults: Vec<Fault>,
    organizations: HashMap<OrganizationId, OrganizationPolls>,
    domains: HashMap<(OrganizationId, DomainName), (DomainTokens, u64)>,
    failing_domains: HashSet<DomainName>,
    entities: BTreeMap<(OrganizationId, String), SeededEntity>,
    entity_counts: HashMap<OrganizationId, u64>,
    jobs: BTreeMap<String, ExportJob>,
    running: HashMap<OrganizationId, u64>,
    export_failures: HashSet<(OrganizationId, String)>,
}

impl MemoryState {
    /// An empty state.
    pub fn new() -> Self {
        MemoryState::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every change below is one assignment; a panic elsewhere cannot leave it half done.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn seed_directory(&self, directory: &SeededDirectory) {
        self.lock()
            .directories
            .insert(directory.directory_id.clone(), directory.clone());
    }

    fn directory(&self, id: &str) -> Option<SeededDirectory> {
        self.lock().directories.get(id).cloned()
    }

    fn add_fault(&self, fault: &Fault) {
        self.lock().faults.push(fault.clone());
    }

    fn take_fault(&self, kind: FaultKind, operation: &str) -> bool {
        let mut inner = self.lock();
        let Some(index) = inner
            .faults
            .iter()
            .position(|fault| fault.kind == kind && fault.applies_to(operation))
        else {
            return false;
        };
        inner.faults[index].count -= 1;
        if inner.faults[index].count == 0 {
            inner.faults.remove(index);
        }
        true
    }

    fn start_organization(&self, id: &OrganizationId, fails: bool) {
        let mut inner = self.lock();
        let polls = inner
            .organizations
            .entry(id.clone())
            .or_insert(OrganizationPolls { polls: 0, fails });
        polls.fails |= fails;
    }

    fn poll_organization(&self, id: &OrganizationId) -> OrganizationPolls {
        let mut inner = self.lock();
        let polls = inner
            .organizations
            .entry(id.clone())
            .or_insert(OrganizationPolls {
                polls: 0,
                fails: false,
            });
        polls.polls = polls.polls.saturating_add(1);
        *polls
    }

    fn fail_verification(&self, domain: &DomainName) {
        self.lock().failing_domains.insert(domain.clone());
    }

    fn domain(
        &self,
        id: &OrganizationId,
        domain: &DomainName,
        tokens: DomainTokens,
        poll: bool,
    ) -> DomainState {
        let mut inner = self.lock();
        let fails = inner.failing_domains.contains(domain);
        let (tokens, polls) = inner
            .domains
            .entry((id.clone(), domain.clone()))
            .or_insert((tokens, 0));
        if poll {
            *polls = polls.saturating_add(1);
        }
        DomainState {
            tokens: tokens.clone(),
            polls: *polls,
            fails,
        }
    }

    fn forget_domain(&self, id: &OrganizationId, domain: &DomainName) {
        self.lock().domains.remove(&(id.clone(), domain.clone()));
    }
    fn forget_directory(&self, id: &str) {
        self.lock().directories.remove(id);
    }

    fn add_entity(&self, entity: &SeededEntity, limit: u64) -> bool {
        let mut inner = self.lock();
        let count = inner
            .entity_counts
            .entry(entity.organization_id.clone())
            .or_insert(0);
        if *count >= limit {
            return false;
        }
        *count += 1;
        inner.entities.insert(
            (entity.organization_id.clone(), entity.id.clone()),
            entity.clone(),
        );
        true
    }

    fn entity(&self, organization: &OrganizationId, key: &str) -> Option<SeededEntity> {
        self.lock()
            .entities
            .range((organization.clone(), String::new())..)
            .take_while(|((org, _), _)| org == organization)
            .map(|(_, entity)| entity)
            .find(|e| e.id == key || e.name == key || e.email.as_deref() == Some(key))
            .cloned()
    }

    fn entities(
        &self,
        organization: &OrganizationId,
        kind: EntityKind,
        after: &str,
        limit: usize,
    ) -> Vec<SeededEntity> {
        self.lock()
            .entities
            .range((organization.clone(), after.to_owned())..)
            .take_while(|((org, _), _)| org == organization)
            .map(|(_, entity)| entity)
            .filter(|e| e.kind == kind && e.id.as_str() > after)
            .take(limit)
            .cloned()
            .collect()
    }

    fn enabled_users(&self, organization: &OrganizationId) -> u64 {
        self.lock()
            .entities
            .values()
            .filter(|e| &e.organization_id == organization && e.is_enabled_user())
            .count() as u64
    }

    fn delete_entities(&self, organization: &OrganizationId) {
        let mut inner = self.lock();
        inner.entities.retain(|(org, _), _| org != organization);
        inner.entity_counts.remove(organization);
    }

    fn add_export_failure(&self, organization: &OrganizationId, entity: &str) {
        self.lock()
            .export_failures
            .insert((organization.clone(), entity.to_owned()));
    }

    fn start_export(&self, job: &ExportJob, limit: u64) -> ExportStart {
        let mut inner = self.lock();
        if let Some(existing) = inner.jobs.values().find(|j| {
            j.organization_id == job.organization_id && j.client_token == job.client_token
        }) {
            return ExportStart::Existing(existing.clone());
        }
        let running = inner
            .running
            .entry(job.organization_id.clone())
            .or_insert(0);
        if *running >= limit {
            return ExportStart::LimitReached;
        }
        *running += 1;
        let mut job = job.clone();
        job.fails |= inner
            .export_failures
            .remove(&(job.organization_id.clone(), job.entity_id.clone()));
        inner.jobs.insert(job.job_id.clone(), job.clone());
        ExportStart::Started(job)
    }

    fn poll_export(
        &self,
        organization: &OrganizationId,
        job_id: &str,
        now: u64,
        after_polls: u64,
    ) -> Option<ExportJob> {
        let mut inner = self.lock();
        let job = inner.jobs.get(job_id)?;
        if &job.organization_id != organization {
            return None;
        }
        let next = job.polled(now, after_polls);
        if job.is_running() && !next.is_running() {
            if let Some(running) = inner.running.get_mut(organization) {
                *running = running.saturating_sub(1);
            }
        }
        inner.jobs.insert(job_id.to_owned(), next.clone());
        Some(next)
    }

    fn export_jobs(
        &self,
        organization: Option<&OrganizationId>,
        since: u64,
        after: &str,
        limit: usize,
    ) -> Vec<ExportJob> {
        self.lock()
            .jobs
            .range::<str, _>((std::ops::Bound::Excluded(after), std::ops::Bound::Unbounded))
            .map(|(_, job)| job)
            .filter(|job| {
                organization.is_none_or(|org| &job.organization_id == org)
                    && job.start_time >= since
            })
            .take(limit)
            .cloned()
            .collect()
    }
}

impl AnyStore {
    /// The emulator's own state on this store: in its memory, or in its database, on its
    /// pool and in its namespace (the tables of [`migrate_emulator`](Self::migrate_emulator)).
    pub fn emulator(&self) -> EmulatorState<'_> {
        EmulatorState { store: self }
    }
}

/// The emulator's own state on an [`AnyStore`] ([`AnyStore::emulator`]), one atomic step per
/// call: in memory, a [`MemoryState`]; on a database, one transaction of the store (see the
/// [module docs](self) for the tables). Every call is a `Send` future; a database call takes a
/// connection from the store's pool, as the store's own calls do.
#[derive(Clone, Copy, Debug)]
pub struct EmulatorState<'a> {
    store: &'a AnyStore,
}

/// The same step on whichever engine `$state` holds: `$memory` on the in-memory state, or
/// `$step` (an expression of `$tx` and `$sql`) in one transaction of the store, the SQLite
/// one with the arguments `$owned` moved to its connection's thread.
macro_rules! on_engine {
    (
        $state:ident, $what:expr,
        memory: |$memory:ident| $in_memory:expr,
        owned: ($($owned:ident),*),
        step: |$tx:ident, $sql:ident| $step:expr $(,)?
    ) => {
        match $state.store {
            AnyStore::Memory(store) => {
                let $memory = store.emulator();
                Ok($in_memory)
            }
            // Boxed, as `AnyStore`'s calls are: the in-memory path stays small.
            #[cfg(feature = "sqlite")]
            AnyStore::Sqlite(store) => {
                $(let $owned = $owned.to_owned();)*
                Box::pin(store.run($what, move |$tx, $sql| {
                    $(let $owned = &$owned;)*
                    crate::sqlite::done($step)
                }))
                .await
            }
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(store) => {
                Box::pin(async {
                    let $sql = &store.sql;
                    crate::postgresql::transaction!(store, $what, |$tx| $step)
                })
                .await
            }
        }
    };
}

// `Ok(memory.seed_directory(…))`: the in-memory calls that answer nothing answer `()`.
#[allow(clippy::unit_arg)]
impl EmulatorState<'_> {
    /// Seeds (or replaces) a directory.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn seed_directory(&self, directory: &SeededDirectory) -> Result<(), StoreError> {
        on_engine!(self, "seeding a directory",
            memory: |memory| memory.seed_directory(directory),
            owned: (directory),
            step: |tx, sql| steps::seed_directory(tx, sql, directory),
        )
    }

    /// The seeded directory with this id.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn directory(&self, id: &str) -> Result<Option<SeededDirectory>, StoreError> {
        on_engine!(self, "reading a directory",
            memory: |memory| memory.directory(id),
            owned: (id),
            step: |tx, sql| crate::steps::reading(steps::directory(tx, sql, id)),
        )
    }

    /// Adds a fault; one that applies to no call (`count` 0) is not kept.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn add_fault(&self, fault: &Fault) -> Result<(), StoreError> {
        if fault.count == 0 {
            return Ok(());
        }
        on_engine!(self, "adding a fault",
            memory: |memory| memory.add_fault(fault),
            owned: (fault),
            step: |tx, sql| steps::add_fault(tx, sql, fault),
        )
    }

    /// Uses the oldest fault of `kind` that applies to the operation named `operation`, if
    /// any: it applies to one call fewer, and is gone at none. Whether there was one: of many
    /// calls at once, on one store or many on one database, as many find one as the faults
    /// have calls.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn take_fault(&self, kind: FaultKind, operation: &str) -> Result<bool, StoreError> {
        on_engine!(self, "taking a fault",
            memory: |memory| memory.take_fault(kind, operation),
            owned: (operation),
            step: |tx, sql| steps::take_fault(tx, sql, kind, operation),
        )
    }

    /// Records a new organization, whose creation ends `Failed` when `fails`; a second call
    /// for the same id (a retried creation) keeps its polls, and its failure if either call
    /// had one.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn start_organization(
        &self,
        id: &OrganizationId,
        fails: bool,
    ) -> Result<(), StoreError> {
        on_engine!(self, "starting an organization",
            memory: |memory| memory.start_organization(id, fails),
            owned: (id),
            step: |tx, sql| steps::start_organization(tx, sql, id, fails),
        )
    }

    /// Counts one `DescribeOrganization` of `id` and returns its polls so far.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn poll_organization(
        &self,
        id: &OrganizationId,
    ) -> Result<OrganizationPolls, StoreError> {
        on_engine!(self, "polling an organization",
            memory: |memory| memory.poll_organization(id),
            owned: (id),
            step: |tx, sql| steps::poll_organization(tx, sql, id),
        )
    }

    /// Makes the verification of `domain` fail, in every organization.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn fail_verification(&self, domain: &DomainName) -> Result<(), StoreError> {
        on_engine!(self, "failing a verification",
            memory: |memory| memory.fail_verification(domain),
            owned: (domain),
            step: |tx, sql| steps::fail_verification(tx, sql, domain),
        )
    }

    /// The state of `domain` in organization `id`: `tokens` become its tokens if it has none
    /// yet, and the call counts as one `GetMailDomain` when `poll`.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn domain(
        &self,
        id: &OrganizationId,
        domain: &DomainName,
        tokens: DomainTokens,
        poll: bool,
    ) -> Result<DomainState, StoreError> {
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        let written = serde_json::to_string(&tokens)
            .map_err(|err| StoreError::new("writing a domain's tokens", err))?;
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        let written = written.as_str();
        on_engine!(self, "reading a domain",
            memory: |memory| memory.domain(id, domain, tokens, poll),
            owned: (id, domain, written),
            step: |tx, sql| steps::domain(tx, sql, id, domain, written, poll),
        )
    }

    /// Forgets `domain` in organization `id` (deregistered): registered again, it gets new
    /// tokens and is verified anew.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn forget_domain(
        &self,
        id: &OrganizationId,
        domain: &DomainName,
    ) -> Result<(), StoreError> {
        on_engine!(self, "forgetting a domain",
            memory: |memory| memory.forget_domain(id, domain),
            owned: (id, domain),
            step: |tx, sql| steps::forget_domain(tx, sql, id, domain),
        )
    }
    /// Forgets directory `id`: deleted with its organization (`DeleteDirectory: true`).
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn forget_directory(&self, id: &str) -> Result<(), StoreError> {
        on_engine!(self, "forgetting a directory",
            memory: |memory| memory.forget_directory(id),
            owned: (id),
            step: |tx, sql| steps::forget_directory(tx, sql, id),
        )
    }

    /// Seeds (or replaces) a user or resource, unless its organization was given `limit`
    /// already (each call counts one, in one conditional update): whether it was seeded.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn add_entity(&self, entity: &SeededEntity, limit: u64) -> Result<bool, StoreError> {
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        let sql_limit = i64::try_from(limit).unwrap_or(i64::MAX);
        on_engine!(self, "seeding an entity",
            memory: |memory| memory.add_entity(entity, limit),
            owned: (entity),
            step: |tx, sql| steps::add_entity(tx, sql, entity, sql_limit),
        )
    }

    /// The entity of `organization` whose id, name or email is `key`.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn entity(
        &self,
        organization: &OrganizationId,
        key: &str,
    ) -> Result<Option<SeededEntity>, StoreError> {
        on_engine!(self, "reading an entity",
            memory: |memory| memory.entity(organization, key),
            owned: (organization, key),
            step: |tx, sql| crate::steps::reading(steps::entity(tx, sql, organization, key)),
        )
    }

    /// Up to `limit` entities of `organization` of `kind` whose ids sort after `after`
    /// (`""`: from the first), by id.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn entities(
        &self,
        organization: &OrganizationId,
        kind: EntityKind,
        after: &str,
        limit: usize,
    ) -> Result<Vec<SeededEntity>, StoreError> {
        on_engine!(self, "listing entities",
            memory: |memory| memory.entities(organization, kind, after, limit),
            owned: (organization, after),
            step: |tx, sql| crate::steps::reading(
                steps::entities(tx, sql, organization, kind, after, limit)
            ),
        )
    }

    /// How many users of `organization` are enabled.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn enabled_users(&self, organization: &OrganizationId) -> Result<u64, StoreError> {
        on_engine!(self, "counting enabled users",
            memory: |memory| memory.enabled_users(organization),
            owned: (organization),
            step: |tx, sql| crate::steps::reading(steps::enabled_users(tx, sql, organization)),
        )
    }

    /// Deletes every user and resource of `organization` (deleted with it).
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn delete_entities(&self, organization: &OrganizationId) -> Result<(), StoreError> {
        on_engine!(self, "deleting entities",
            memory: |memory| memory.delete_entities(organization),
            owned: (organization),
            step: |tx, sql| steps::delete_entities(tx, sql, organization),
        )
    }

    /// Makes the next export job of entity `entity` (its id) of `organization` fail.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn add_export_failure(
        &self,
        organization: &OrganizationId,
        entity: &str,
    ) -> Result<(), StoreError> {
        on_engine!(self, "adding an export failure",
            memory: |memory| memory.add_export_failure(organization, entity),
            owned: (organization, entity),
            step: |tx, sql| steps::add_export_failure(tx, sql, organization, entity),
        )
    }

    /// Starts `job`, in one step: the job its client token already names in its
    /// organization, if any; else none when `limit` jobs of the organization run (a running
    /// job is counted in one conditional update, so no two starts pass one limit); else the
    /// new job, failing if a failure was injected for its entity (the failure is used up).
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn start_export(
        &self,
        job: &ExportJob,
        limit: u64,
    ) -> Result<ExportStart, StoreError> {
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        let sql_limit = i64::try_from(limit).unwrap_or(i64::MAX);
        on_engine!(self, "starting an export",
            memory: |memory| memory.start_export(job, limit),
            owned: (job),
            step: |tx, sql| steps::start_export(tx, sql, job, sql_limit),
        )
    }

    /// Counts one poll of job `job_id` of `organization` at `now` and returns it: it ends
    /// from poll `after_polls` on, and frees its place among the running jobs. `None` for a
    /// job of no such id in the organization.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn poll_export(
        &self,
        organization: &OrganizationId,
        job_id: &str,
        now: u64,
        after_polls: u64,
    ) -> Result<Option<ExportJob>, StoreError> {
        on_engine!(self, "polling an export",
            memory: |memory| memory.poll_export(organization, job_id, now, after_polls),
            owned: (organization, job_id),
            step: |tx, sql| steps::poll_export(tx, sql, organization, job_id, now, after_polls),
        )
    }

    /// Up to `limit` jobs whose ids sort after `after` (`""`: from the first), by id: of
    /// `organization` (of every organization, deleted ones too, when `None`) started at
    /// `since` or later.
    ///
    /// # Errors
    /// [`StoreError`] when the state failed.
    pub async fn export_jobs(
        &self,
        organization: Option<&OrganizationId>,
        since: u64,
        after: &str,
        limit: usize,
    ) -> Result<Vec<ExportJob>, StoreError> {
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        let organization_text: Option<String> = organization.map(|org| org.as_str().to_owned());
        on_engine!(self, "listing export jobs",
            memory: |memory| memory.export_jobs(organization, since, after, limit),
            owned: (after, organization_text),
            step: |tx, sql| crate::steps::reading(
                steps::export_jobs(tx, sql, organization_text.as_deref(), since, after, limit)
            ),
        )
    }
}

/// What each call does inside its transaction, once for both engines.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod steps {
    use workmail_org::catalog::store::StoreError;
    use workmail_org::{DomainName, OrganizationId};

    use super::{
        DomainState, EntityKind, ExportJob, ExportStart, Fault, FaultKind, OrganizationPolls,
        SeededDirectory, SeededEntity,
    };
    use crate::row::{to_u64, InvalidRow};
    use crate::sql::Sql;
    use crate::steps::Value::{Bool, Int, NullText, Text};
    use crate::steps::{Cell, Column, Failure, Finish, Tx};

    /// Cell `index` of `row`, text.
    fn text(row: &mut [Cell], index: usize) -> Result<String, Failure> {
        match row.get_mut(index) {
            Some(Cell::Text(Some(text))) => Ok(std::mem::take(text)),
            _ => Err(unexpected(index, "text")),
        }
    }

    /// Cell `index` of `row`, an integer.
    fn int(row: &[Cell], index: usize) -> Result<i64, Failure> {
        match row.get(index) {
            Some(Cell::Int(Some(int))) => Ok(*int),
            _ => Err(unexpected(index, "an integer")),
        }
    }

    /// Cell `index` of `row`, a boolean.
    fn flag(row: &[Cell], index: usize) -> Result<bool, Failure> {
        match row.get(index) {
            Some(Cell::Bool(Some(flag))) => Ok(*flag),
            _ => Err(unexpected(index, "a boolean")),
        }
    }

    fn unexpected(index: usize, wanted: &str) -> Failure {
        Failure::Fatal(StoreError::msg(format!(
            "column {index} of the emulator's state is not {wanted}"
        )))
    }

    /// The first row `sql` returns, if any.
    async fn first<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &str,
        params: &[crate::steps::Value<'_>],
        columns: &[Column],
    ) -> Result<Option<Vec<Cell>>, Failure> {
        Ok(tx.rows(sql, params, columns).await?.into_iter().next())
    }

    pub(super) async fn seed_directory<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        directory: &SeededDirectory,
    ) -> Result<Finish<()>, Failure> {
        let regions = serde_json::to_string(&directory.additional_regions)
            .map_err(|err| StoreError::new("writing a directory's Regions", err))?;
        tx.execute(
            &sql.seed_directory,
            &[
                Text(&directory.directory_id),
                Text(&directory.directory_type),
                Text(&directory.alias),
                Text(&directory.region),
                Text(&regions),
                Text(&directory.stage),
            ],
        )
        .await?;
        Ok(Finish::Commit(()))
    }

    pub(super) async fn directory<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        id: &str,
    ) -> Result<Option<SeededDirectory>, Failure> {
        let columns = [Column::Text; 5];
        let Some(mut row) = first(tx, &sql.directory, &[Text(id)], &columns).await? else {
            return Ok(None);
        };
        let regions = text(&mut row, 3)?;
        let additional_regions = serde_json::from_str(&regions).map_err(|err| {
            InvalidRow::new("emulator_directories", id, "additional_regions", err)
        })?;
        Ok(Some(SeededDirectory {
            directory_id: id.to_owned(),
            directory_type: text(&mut row, 0)?,
            alias: text(&mut row, 1)?,
            region: text(&mut row, 2)?,
            additional_regions,
            stage: text(&mut row, 4)?,
        }))
    }

    pub(super) async fn add_fault<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        fault: &Fault,
    ) -> Result<Finish<()>, Failure> {
        tx.execute(
            &sql.add_fault,
            &[
                Text(fault.kind.as_str()),
                NullText(fault.operation.as_deref()),
                Int(i64::from(fault.count)),
            ],
        )
        .await?;
        Ok(Finish::Commit(()))
    }

    /// The oldest fault that applies, then one call fewer for it, on the condition that it
    /// still has the calls it was read with: a fault another transaction used in between (on
    /// PostgreSQL, whose transactions do not take turns here) sends this one round again.
    pub(super) async fn take_fault<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        kind: FaultKind,
        operation: &str,
    ) -> Result<Finish<bool>, Failure> {
        let columns = [Column::Int, Column::Int];
        let params = [Text(kind.as_str()), Text(operation)];
        let Some(row) = first(tx, &sql.oldest_fault, &params, &columns).await? else {
            return Ok(Finish::Rollback(false));
        };
        let (id, remaining) = (int(&row, 0)?, int(&row, 1)?);
        let statement = if remaining > 1 {
            &sql.use_fault
        } else {
            &sql.drop_fault
        };
        if tx.execute(statement, &[Int(id)]).await? == 0 {
            return Err(Failure::Retry(StoreError::msg(format!(
                "fault {id} was used by another call meanwhile"
            ))));
        }
        Ok(Finish::Commit(true))
    }

    pub(super) async fn start_organization<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        id: &OrganizationId,
        fails: bool,
    ) -> Result<Finish<()>, Failure> {
        tx.execute(&sql.start_organization, &[Text(id.as_str()), Bool(fails)])
            .await?;
        Ok(Finish::Commit(()))
    }

    pub(super) async fn poll_organization<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        id: &OrganizationId,
    ) -> Result<Finish<OrganizationPolls>, Failure> {
        let columns = [Column::Int, Column::Bool];
        let row = first(tx, &sql.poll_organization, &[Text(id.as_str())], &columns)
            .await?
            .ok_or_else(|| StoreError::msg("polling an organization returned no row"))?;
        Ok(Finish::Commit(OrganizationPolls {
            polls: to_u64(int(&row, 0)?, "emulator_organizations", id, "polls")?,
            fails: flag(&row, 1)?,
        }))
    }

    pub(super) async fn fail_verification<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        domain: &DomainName,
    ) -> Result<Finish<()>, Failure> {
        tx.execute(&sql.fail_verification, &[Text(domain.as_str())])
            .await?;
        Ok(Finish::Commit(()))
    }

    /// The domain's row, made with `tokens` (their JSON) if missing, its polls raised when
    /// `poll`; whether its verification fails.
    pub(super) async fn domain<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        id: &OrganizationId,
        domain: &DomainName,
        tokens: &str,
        poll: bool,
    ) -> Result<Finish<DomainState>, Failure> {
        let (id, name) = (id.as_str(), domain.as_str());
        let inserted = tx
            .execute(&sql.insert_domain, &[Text(id), Text(name), Text(tokens)])
            .await?;
        let columns = [Column::Text, Column::Int];
        let params = [Text(id), Text(name), Int(i64::from(poll))];
        let Some(mut row) = first(tx, &sql.poll_domain, &params, &columns).await? else {
            // Inserted or found, then gone: forgotten by a transaction that committed between.
            return Err(Failure::Retry(StoreError::msg(format!(
                "domain {name} of {id} was forgotten meanwhile"
            ))));
        };
        let stored = text(&mut row, 0)?;
        let row_name = format!("{id} {name}");
        let polls = to_u64(int(&row, 1)?, "emulator_domains", &row_name, "polls")?;
        let failing = first(tx, &sql.failing_domain, &[Text(name)], &[Column::Bool])
            .await?
            .ok_or_else(|| StoreError::msg("reading a failing domain returned no row"))?;
        let tokens = serde_json::from_str(&stored)
            .map_err(|err| InvalidRow::new("emulator_domains", &row_name, "tokens", err))?;
        let state = DomainState {
            tokens,
            polls,
            fails: flag(&failing, 0)?,
        };
        // Nothing written when the row was there and the call is no poll.
        Ok(if inserted == 0 && !poll {
            Finish::Rollback(state)
        } else {
            Finish::Commit(state)
        })
    }

    pub(super) async fn forget_domain<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        id: &OrganizationId,
        domain: &DomainName,
    ) -> Result<Finish<()>, Failure> {
        tx.execute(
            &sql.forget_domain,
            &[Text(id.as_str()), Text(domain.as_str())],
        )
        .await?;
        Ok(Finish::Commit(()))
    }
    pub(super) async fn forget_directory<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        id: &str,
    ) -> Result<Finish<()>, Failure> {
        tx.execute(&sql.forget_directory, &[Text(id)]).await?;
        Ok(Finish::Commit(()))
    }

    fn json<V: serde::Serialize>(what: &'static str, value: &V) -> Result<String, Failure> {
        serde_json::to_string(value).map_err(|err| Failure::Fatal(StoreError::new(what, err)))
    }

    fn read<V: serde::de::DeserializeOwned>(
        table: &'static str,
        row: &mut [Cell],
    ) -> Result<V, Failure> {
        let body = text(row, 0)?;
        serde_json::from_str(&body).map_err(|err| InvalidRow::new(table, "?", "body", err).into())
    }

    pub(super) async fn add_entity<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        entity: &SeededEntity,
        limit: i64,
    ) -> Result<Finish<bool>, Failure> {
        let organization = entity.organization_id.as_str();
        tx.execute(&sql.insert_entity_count, &[Text(organization)])
            .await?;
        if tx
            .execute(&sql.take_entity_count, &[Text(organization), Int(limit)])
            .await?
            == 0
        {
            return Ok(Finish::Rollback(false));
        }
        let body = json("writing an entity", entity)?;
        tx.execute(
            &sql.upsert_entity,
            &[
                Text(entity.organization_id.as_str()),
                Text(&entity.id),
                Text(entity.kind.as_str()),
                Text(&entity.name),
                NullText(entity.email.as_deref()),
                Bool(entity.is_enabled_user()),
                Text(&body),
            ],
        )
        .await?;
        Ok(Finish::Commit(true))
    }

    pub(super) async fn entity<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        organization: &OrganizationId,
        key: &str,
    ) -> Result<Option<SeededEntity>, Failure> {
        let params = [Text(organization.as_str()), Text(key)];
        match first(tx, &sql.find_entity, &params, &[Column::Text]).await? {
            Some(mut row) => Ok(Some(read("emulator_entities", &mut row)?)),
            None => Ok(None),
        }
    }

    pub(super) async fn entities<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        organization: &OrganizationId,
        kind: EntityKind,
        after: &str,
        limit: usize,
    ) -> Result<Vec<SeededEntity>, Failure> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let params = [
            Text(organization.as_str()),
            Text(kind.as_str()),
            Text(after),
            Int(limit),
        ];
        let rows = tx
            .rows(&sql.list_entities, &params, &[Column::Text])
            .await?;
        rows.into_iter()
            .map(|mut row| read("emulator_entities", &mut row))
            .collect()
    }

    pub(super) async fn enabled_users<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        organization: &OrganizationId,
    ) -> Result<u64, Failure> {
        let row = first(
            tx,
            &sql.enabled_users,
            &[Text(organization.as_str())],
            &[Column::Int],
        )
        .await?
        .ok_or_else(|| StoreError::msg("counting enabled users returned no row"))?;
        Ok(to_u64(
            int(&row, 0)?,
            "emulator_entities",
            organization,
            "enabled_user",
        )?)
    }

    pub(super) async fn delete_entities<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        organization: &OrganizationId,
    ) -> Result<Finish<()>, Failure> {
        tx.execute(&sql.delete_entities, &[Text(organization.as_str())])
            .await?;
        tx.execute(&sql.clear_entity_count, &[Text(organization.as_str())])
            .await?;
        Ok(Finish::Commit(()))
    }

    pub(super) async fn add_export_failure<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        organization: &OrganizationId,
        entity: &str,
    ) -> Result<Finish<()>, Failure> {
        tx.execute(
            &sql.add_export_failure,
            &[Text(organization.as_str()), Text(entity)],
        )
        .await?;
        Ok(Finish::Commit(()))
    }

    pub(super) async fn start_export<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        job: &ExportJob,
        limit: i64,
    ) -> Result<Finish<ExportStart>, Failure> {
        let organization = job.organization_id.as_str();
        let params = [Text(organization), Text(&job.client_token)];
        if let Some(mut row) = first(tx, &sql.job_by_token, &params, &[Column::Text]).await? {
            let existing = read("emulator_export_jobs", &mut row)?;
            return Ok(Finish::Rollback(ExportStart::Existing(existing)));
        }
        tx.execute(&sql.insert_slot, &[Text(organization)]).await?;
        if tx
            .execute(&sql.take_slot, &[Text(organization), Int(limit)])
            .await?
            == 0
        {
            return Ok(Finish::Rollback(ExportStart::LimitReached));
        }
        let mut job = job.clone();
        job.fails |= tx
            .execute(
                &sql.take_export_failure,
                &[Text(organization), Text(&job.entity_id)],
            )
            .await?
            > 0;
        let body = json("writing an export job", &job)?;
        let start = i64::try_from(job.start_time).unwrap_or(i64::MAX);
        let inserted = tx
            .execute(
                &sql.insert_job,
                &[
                    Text(&job.job_id),
                    Text(organization),
                    Text(&job.client_token),
                    Int(start),
                    Text(&body),
                ],
            )
            .await?;
        if inserted == 0 {
            // The same token, inserted by a transaction that committed between: read it.
            return Err(Failure::Retry(StoreError::msg(format!(
                "export job {} or its client token was taken meanwhile",
                job.job_id
            ))));
        }
        Ok(Finish::Commit(ExportStart::Started(job)))
    }

    pub(super) async fn poll_export<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        organization: &OrganizationId,
        job_id: &str,
        now: u64,
        after_polls: u64,
    ) -> Result<Finish<Option<ExportJob>>, Failure> {
        let params = [Text(organization.as_str()), Text(job_id)];
        let Some(mut row) = first(tx, &sql.job, &params, &[Column::Text]).await? else {
            return Ok(Finish::Rollback(None));
        };
        let old_body = text(&mut row, 0)?;
        let job: ExportJob = serde_json::from_str(&old_body)
            .map_err(|err| InvalidRow::new("emulator_export_jobs", job_id, "body", err))?;
        let next = job.polled(now, after_polls);
        if next == job {
            return Ok(Finish::Rollback(Some(next)));
        }
        let body = json("writing an export job", &next)?;
        if tx
            .execute(
                &sql.update_job,
                &[Text(job_id), Text(&old_body), Text(&body)],
            )
            .await?
            == 0
        {
            return Err(Failure::Retry(StoreError::msg(format!(
                "export job {job_id} was polled by another call meanwhile"
            ))));
        }
        if job.is_running() && !next.is_running() {
            tx.execute(&sql.free_slot, &[Text(organization.as_str())])
                .await?;
        }
        Ok(Finish::Commit(Some(next)))
    }

    pub(super) async fn export_jobs<T: Tx + ?Sized>(
        tx: &mut T,
        sql: &Sql,
        organization: Option<&str>,
        since: u64,
        after: &str,
        limit: usize,
    ) -> Result<Vec<ExportJob>, Failure> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = match organization {
            Some(organization) => {
                let since = i64::try_from(since).unwrap_or(i64::MAX);
                let params = [Text(organization), Int(since), Text(after), Int(limit)];
                tx.rows(&sql.list_jobs, &params, &[Column::Text]).await?
            }
            None => {
                tx.rows(&sql.all_jobs, &[Text(after), Int(limit)], &[Column::Text])
                    .await?
            }
        };
        rows.into_iter()
            .map(|mut row| read("emulator_export_jobs", &mut row))
            .collect()
    }
}
