//! The state of `workmail-org-emulator`, the local WorkMail endpoint (feature `emulator`):
//! seeded directories, injected faults, poll counters, generated DNS tokens and verification
//! failures, beside the organizations that the catalog's store keeps.
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
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), workmail_org::catalog::StoreError> {
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

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use workmail_org::catalog::StoreError;
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
}

/// What each call does inside its transaction, once for both engines.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod steps {
    use workmail_org::catalog::StoreError;
    use workmail_org::{DomainName, OrganizationId};

    use super::{DomainState, Fault, FaultKind, OrganizationPolls, SeededDirectory};
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
}
