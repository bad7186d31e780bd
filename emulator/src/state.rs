//! The emulator's own state, beside the catalog's store: seeded directories, injected faults,
//! poll counters, generated DNS tokens and verification failures.
//!
//! Organizations, their keys, the quota and client tokens live in the crate's
//! [`Store`](workmail_org::catalog::Store); what only an emulator needs lives behind
//! [`EmulatorState`], so that several emulator processes on one database agree on it too.
//! [`InMemoryState`] keeps it for one process.
//!
//! # Tables for a SQL implementation
//! A SQLite or PostgreSQL implementation keeps it in the store's database, one transaction
//! per call, with the same SQL on both where the dialects agree:
//!
//! ```sql
//! CREATE TABLE emulator_directories (
//!     directory_id TEXT PRIMARY KEY, directory_type TEXT NOT NULL, alias TEXT NOT NULL,
//!     region TEXT NOT NULL, additional_regions TEXT NOT NULL, stage TEXT NOT NULL);
//! -- One row per injected fault; take_fault decrements `remaining` and deletes it at 0
//! -- (UPDATE ... WHERE id = (SELECT ... ORDER BY id LIMIT 1) RETURNING kind).
//! CREATE TABLE emulator_faults (
//!     id INTEGER PRIMARY KEY, kind TEXT NOT NULL, operation TEXT, remaining INTEGER NOT NULL);
//! -- start_organization: INSERT ... ON CONFLICT DO UPDATE SET fails = fails OR excluded.fails;
//! -- poll_organization: UPDATE ... SET polls = polls + 1 RETURNING polls, fails.
//! CREATE TABLE emulator_organizations (
//!     organization_id TEXT PRIMARY KEY, polls INTEGER NOT NULL, fails BOOLEAN NOT NULL);
//! -- The first writer's tokens win: INSERT ... ON CONFLICT DO NOTHING, then SELECT.
//! CREATE TABLE emulator_domains (
//!     organization_id TEXT NOT NULL, domain TEXT NOT NULL, tokens TEXT NOT NULL,
//!     polls INTEGER NOT NULL, PRIMARY KEY (organization_id, domain));
//! CREATE TABLE emulator_failing_domains (domain TEXT PRIMARY KEY);
//! ```

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use workmail_org::dns::DomainTokens;
use workmail_org::{DomainName, OrganizationId};

use crate::wire::Operation;

/// A directory as Directory Service would report it, seeded through the control API so that a
/// `CreateOrganization` naming its id can use it. Its JSON is PascalCase; `Stage` defaults to
/// `Active` and `AdditionalRegions` to none.
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
    fn applies_to(&self, operation: Operation) -> bool {
        self.operation
            .as_deref()
            .is_none_or(|name| name == operation.as_str())
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

/// The emulator's state could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("the emulator's state failed: {0}")]
pub struct StateError(pub String);

/// The emulator's own state, one atomic step per call (see the [module docs](self) for the
/// tables a SQL implementation uses). Calls are synchronous, as the store's are.
pub trait EmulatorState: Send + Sync {
    /// Seeds (or replaces) a directory.
    ///
    /// # Errors
    /// [`StateError`] when the state failed.
    fn seed_directory(&self, directory: SeededDirectory) -> Result<(), StateError>;

    /// The seeded directory with this id.
    ///
    /// # Errors
    /// [`StateError`] when the state failed.
    fn directory(&self, id: &str) -> Result<Option<SeededDirectory>, StateError>;

    /// Adds a fault.
    ///
    /// # Errors
    /// [`StateError`] when the state failed.
    fn add_fault(&self, fault: Fault) -> Result<(), StateError>;

    /// Uses the oldest fault of `kind` that applies to `operation`, if any: it applies to one
    /// call fewer, and is gone at none.
    ///
    /// # Errors
    /// [`StateError`] when the state failed.
    fn take_fault(&self, kind: FaultKind, operation: Operation) -> Result<bool, StateError>;

    /// Records a new organization, whose creation ends `Failed` when `fails`; a second call
    /// for the same id (a retried creation) keeps its polls, and its failure if either call
    /// had one.
    ///
    /// # Errors
    /// [`StateError`] when the state failed.
    fn start_organization(&self, id: &OrganizationId, fails: bool) -> Result<(), StateError>;

    /// Counts one `DescribeOrganization` of `id` and returns its polls so far.
    ///
    /// # Errors
    /// [`StateError`] when the state failed.
    fn poll_organization(&self, id: &OrganizationId) -> Result<OrganizationPolls, StateError>;

    /// Makes the verification of `domain` fail, in every organization.
    ///
    /// # Errors
    /// [`StateError`] when the state failed.
    fn fail_verification(&self, domain: &DomainName) -> Result<(), StateError>;

    /// The state of `domain` in organization `id`: `tokens` become its tokens if it has none
    /// yet, and the call counts as one `GetMailDomain` when `poll`.
    ///
    /// # Errors
    /// [`StateError`] when the state failed.
    fn domain(
        &self,
        id: &OrganizationId,
        domain: &DomainName,
        tokens: DomainTokens,
        poll: bool,
    ) -> Result<DomainState, StateError>;

    /// Forgets `domain` in organization `id` (deregistered): registered again, it gets new
    /// tokens and is verified anew.
    ///
    /// # Errors
    /// [`StateError`] when the state failed.
    fn forget_domain(&self, id: &OrganizationId, domain: &DomainName) -> Result<(), StateError>;
}

/// [`EmulatorState`] in memory, for one process.
#[derive(Debug, Default)]
pub struct InMemoryState {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    directories: HashMap<String, SeededDirectory>,
    faults: Vec<Fault>,
    organizations: HashMap<OrganizationId, OrganizationPolls>,
    domains: HashMap<(OrganizationId, DomainName), (DomainTokens, u64)>,
    failing_domains: HashSet<DomainName>,
}

impl InMemoryState {
    /// An empty state.
    pub fn new() -> Self {
        InMemoryState::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every change below is one assignment; a panic elsewhere cannot leave it half done.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl EmulatorState for InMemoryState {
    fn seed_directory(&self, directory: SeededDirectory) -> Result<(), StateError> {
        self.lock()
            .directories
            .insert(directory.directory_id.clone(), directory);
        Ok(())
    }

    fn directory(&self, id: &str) -> Result<Option<SeededDirectory>, StateError> {
        Ok(self.lock().directories.get(id).cloned())
    }

    fn add_fault(&self, fault: Fault) -> Result<(), StateError> {
        if fault.count > 0 {
            self.lock().faults.push(fault);
        }
        Ok(())
    }

    fn take_fault(&self, kind: FaultKind, operation: Operation) -> Result<bool, StateError> {
        let mut inner = self.lock();
        let Some(index) = inner
            .faults
            .iter()
            .position(|fault| fault.kind == kind && fault.applies_to(operation))
        else {
            return Ok(false);
        };
        inner.faults[index].count -= 1;
        if inner.faults[index].count == 0 {
            inner.faults.remove(index);
        }
        Ok(true)
    }

    fn start_organization(&self, id: &OrganizationId, fails: bool) -> Result<(), StateError> {
        let mut inner = self.lock();
        let polls = inner
            .organizations
            .entry(id.clone())
            .or_insert(OrganizationPolls { polls: 0, fails });
        polls.fails |= fails;
        Ok(())
    }

    fn poll_organization(&self, id: &OrganizationId) -> Result<OrganizationPolls, StateError> {
        let mut inner = self.lock();
        let polls = inner
            .organizations
            .entry(id.clone())
            .or_insert(OrganizationPolls {
                polls: 0,
                fails: false,
            });
        polls.polls = polls.polls.saturating_add(1);
        Ok(*polls)
    }

    fn fail_verification(&self, domain: &DomainName) -> Result<(), StateError> {
        self.lock().failing_domains.insert(domain.clone());
        Ok(())
    }

    fn domain(
        &self,
        id: &OrganizationId,
        domain: &DomainName,
        tokens: DomainTokens,
        poll: bool,
    ) -> Result<DomainState, StateError> {
        let mut inner = self.lock();
        let fails = inner.failing_domains.contains(domain);
        let (tokens, polls) = inner
            .domains
            .entry((id.clone(), domain.clone()))
            .or_insert((tokens, 0));
        if poll {
            *polls = polls.saturating_add(1);
        }
        Ok(DomainState {
            tokens: tokens.clone(),
            polls: *polls,
            fails,
        })
    }

    fn forget_domain(&self, id: &OrganizationId, domain: &DomainName) -> Result<(), StateError> {
        self.lock().domains.remove(&(id.clone(), domain.clone()));
        Ok(())
    }
}
