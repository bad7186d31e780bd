//! The emulator's own state, beside the catalog's store: seeded directories, injected faults,
//! poll counters, generated DNS tokens and verification failures.
//!
//! Organizations, their keys, the quota and client tokens live in the crate's
//! [`Store`](workmail_org::catalog::Store); what only an emulator needs lives behind
//! [`EmulatorState`], so that several emulator processes on one database agree on it too.
//! [`InMemoryState`] keeps it for one process.
//!
//! # Tables
//! `SqliteState` (feature `sqlite`) and `PostgresState` (feature `postgres`) keep it in the
//! tables below, one transaction per call, with the same statements where the dialects
//! agree (`ON CONFLICT`, `RETURNING`); PostgreSQL's `emulator_faults.id` is an identity
//! column:
//!
//! ```sql
#![doc = include_str!("schema.sql")]
//! ```

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use workmail_org::dns::DomainTokens;
use workmail_org::{DomainName, OrganizationId};

use crate::wire::Operation;

#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "postgres")]
pub use postgres::PostgresState;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteState;

/// A counter as a database stores it (a signed integer that only grows from 0).
#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn count(stored: i64) -> u64 {
    u64::try_from(stored).unwrap_or(0)
}

/// A fault's kind as a database stores it.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
const fn kind_name(kind: FaultKind) -> &'static str {
    match kind {
        FaultKind::FailNextCreation => "FailNextCreation",
        FaultKind::Throttle => "Throttle",
        FaultKind::ServerErrorAfter => "ServerErrorAfter",
        FaultKind::DropAfter => "DropAfter",
    }
}

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
/// tables a SQL implementation uses). Calls are synchronous (the catalog's store is async):
/// the [`Emulator`](crate::Emulator) runs each on tokio's blocking threads.
pub trait EmulatorState: Send + Sync {
    /// Whether a call may block its thread on I/O (a database), so that the emulator runs
    /// it on tokio's blocking threads; an in-memory state answers in place. `true` unless an
    /// implementation says otherwise.
    fn blocks(&self) -> bool {
        true
    }

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
    fn blocks(&self) -> bool {
        false
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(seed: &str) -> DomainTokens {
        DomainTokens::new(
            seed.parse().expect("a base64 token"),
            vec![format!("dkim{}", seed.trim_end_matches('='))
                .parse()
                .expect("a dkim token")],
        )
        .expect("tokens")
    }

    /// What every implementation must do, call by call.
    fn contract(state: &dyn EmulatorState) {
        let directory = SeededDirectory {
            directory_id: "d-0123456789".into(),
            directory_type: "SimpleAD".into(),
            alias: "acme".into(),
            region: "us-east-1".into(),
            additional_regions: vec!["eu-west-1".into()],
            stage: "Active".into(),
        };
        assert_eq!(state.directory("d-0123456789").unwrap(), None);
        state.seed_directory(directory.clone()).unwrap();
        assert_eq!(
            state.directory("d-0123456789").unwrap(),
            Some(directory.clone())
        );
        let replaced = SeededDirectory {
            stage: "Creating".into(),
            ..directory
        };
        state.seed_directory(replaced.clone()).unwrap();
        assert_eq!(state.directory("d-0123456789").unwrap(), Some(replaced));

        let create = Operation::CreateOrganization;
        let describe = Operation::DescribeOrganization;
        state
            .add_fault(Fault {
                kind: FaultKind::Throttle,
                operation: Some("DescribeOrganization".into()),
                count: 2,
            })
            .unwrap();
        state
            .add_fault(Fault {
                kind: FaultKind::Throttle,
                operation: None,
                count: 1,
            })
            .unwrap();
        assert!(!state.take_fault(FaultKind::DropAfter, describe).unwrap());
        assert!(
            state.take_fault(FaultKind::Throttle, create).unwrap(),
            "the any-operation one"
        );
        assert!(!state.take_fault(FaultKind::Throttle, create).unwrap());
        assert!(state.take_fault(FaultKind::Throttle, describe).unwrap());
        assert!(state.take_fault(FaultKind::Throttle, describe).unwrap());
        assert!(!state.take_fault(FaultKind::Throttle, describe).unwrap());

        let id: OrganizationId = "m-0123456789abcdef0123456789abcdef".parse().unwrap();
        state.start_organization(&id, true).unwrap();
        state.start_organization(&id, false).unwrap();
        assert_eq!(
            state.poll_organization(&id).unwrap(),
            OrganizationPolls {
                polls: 1,
                fails: true
            }
        );
        assert_eq!(state.poll_organization(&id).unwrap().polls, 2);

        let domain: DomainName = "acme.example".parse().unwrap();
        let first = state
            .domain(&id, &domain, tokens("Zmlyc3Q="), true)
            .unwrap();
        assert_eq!((first.polls, first.fails), (1, false));
        let again = state
            .domain(&id, &domain, tokens("c2Vjb25k"), false)
            .unwrap();
        assert_eq!(again.tokens, first.tokens, "the first tokens stay");
        assert_eq!(again.polls, 1, "not a poll");
        state.fail_verification(&domain).unwrap();
        state.fail_verification(&domain).unwrap();
        assert!(
            state
                .domain(&id, &domain, tokens("Zmlyc3Q="), true)
                .unwrap()
                .fails
        );
        state.forget_domain(&id, &domain).unwrap();
        let fresh = state
            .domain(&id, &domain, tokens("c2Vjb25k"), true)
            .unwrap();
        assert_eq!((fresh.tokens, fresh.polls), (tokens("c2Vjb25k"), 1));
    }

    #[test]
    fn in_memory_state_keeps_the_contract() {
        contract(&InMemoryState::new());
    }

    #[cfg(feature = "postgres")]
    #[test]
    #[ignore = "needs a PostgreSQL server: scripts/with-postgres.sh cargo test -p workmail-org-emulator -- --ignored"]
    fn postgres_state_keeps_the_contract() {
        let url = std::env::var("DATABASE_URL").expect("DATABASE_URL names a PostgreSQL database");
        let state = PostgresState::connect(&url).unwrap();
        state.migrate().unwrap();
        state.migrate().unwrap();
        state
            .lock()
            .batch_execute(
                "TRUNCATE emulator_directories, emulator_faults, emulator_organizations, \
                 emulator_domains, emulator_failing_domains",
            )
            .unwrap();
        contract(&state);
        let other = PostgresState::connect(&url).unwrap();
        let id: OrganizationId = "m-0123456789abcdef0123456789abcdef".parse().unwrap();
        assert_eq!(other.poll_organization(&id).unwrap().polls, 3);
    }

    #[cfg(feature = "sqlite")]
    #[test]
    fn sqlite_state_keeps_the_contract_across_connections() {
        let dir = std::env::temp_dir().join(format!("emulator-state-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.db");
        let _ = std::fs::remove_file(&path);
        let state = SqliteState::open(&path).unwrap();
        state.migrate().unwrap();
        state.migrate().unwrap();
        contract(&state);
        // Another connection to the same file sees the same state.
        let other = SqliteState::open(&path).unwrap();
        let id: OrganizationId = "m-0123456789abcdef0123456789abcdef".parse().unwrap();
        assert_eq!(other.poll_organization(&id).unwrap().polls, 3);
        assert!(other.directory("d-0123456789").unwrap().is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
