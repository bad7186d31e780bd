//! [`EmulatorState`] on PostgreSQL.

use std::sync::{Mutex, MutexGuard};

use postgres::{Client, NoTls};
use workmail_org::dns::DomainTokens;
use workmail_org::{DomainName, OrganizationId};

use super::{
    count, kind_name, DomainState, EmulatorState, Fault, FaultKind, OrganizationPolls,
    SeededDirectory, StateError,
};
use crate::wire::Operation;

/// [`EmulatorState`] in a PostgreSQL database: the tables of the [module docs](super),
/// which [`migrate`](Self::migrate) creates. Every call is one transaction, so a fleet of
/// emulator processes on one database agrees.
pub struct PostgresState {
    client: Mutex<Client>,
}

impl std::fmt::Debug for PostgresState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresState").finish_non_exhaustive()
    }
}

/// The driver's error with its sources: its own message says only `db error` when the
/// server answered with one.
fn failed(doing: &str) -> impl Fn(postgres::Error) -> StateError + '_ {
    move |err| {
        let mut message = format!("{doing}: {err}");
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        StateError(message)
    }
}

impl PostgresState {
    /// Connects to `url` (`postgres://...` or `postgresql://...`), without TLS.
    ///
    /// # Errors
    /// [`StateError`] when the database cannot be reached.
    pub fn connect(url: &str) -> Result<Self, StateError> {
        let client = Client::connect(url, NoTls).map_err(failed("connecting"))?;
        Ok(PostgresState {
            client: Mutex::new(client),
        })
    }

    /// Creates the tables that are missing. Many processes may run it at once: one
    /// transaction, which takes a transaction-scoped advisory lock first (PostgreSQL's
    /// `CREATE TABLE IF NOT EXISTS` is not safe against a concurrent one).
    ///
    /// # Errors
    /// [`StateError`] when the database refuses.
    pub fn migrate(&self) -> Result<(), StateError> {
        // The one difference of dialect: an identity column instead of SQLite's rowid.
        let schema = include_str!("schema.sql").replace(
            "id INTEGER PRIMARY KEY",
            "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        );
        let mut client = self.lock();
        let mut transaction = client
            .transaction()
            .map_err(failed("creating the tables"))?;
        transaction
            .batch_execute("SELECT pg_advisory_xact_lock(hashtext('workmail-org-emulator state'))")
            .map_err(failed("locking the tables"))?;
        transaction
            .batch_execute(&schema)
            .map_err(failed("creating the tables"))?;
        transaction.commit().map_err(failed("creating the tables"))
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Client> {
        // A client left by a panicking thread is still connected; its transaction rolled back.
        self.client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl EmulatorState for PostgresState {
    fn seed_directory(&self, directory: SeededDirectory) -> Result<(), StateError> {
        let regions = serde_json::to_string(&directory.additional_regions)
            .map_err(|err| StateError(err.to_string()))?;
        self.lock()
            .execute(
                "INSERT INTO emulator_directories
                     (directory_id, directory_type, alias, region, additional_regions, stage)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (directory_id) DO UPDATE SET
                     directory_type = excluded.directory_type, alias = excluded.alias,
                     region = excluded.region, additional_regions = excluded.additional_regions,
                     stage = excluded.stage",
                &[
                    &directory.directory_id,
                    &directory.directory_type,
                    &directory.alias,
                    &directory.region,
                    &regions,
                    &directory.stage,
                ],
            )
            .map_err(failed("seeding a directory"))?;
        Ok(())
    }

    fn directory(&self, id: &str) -> Result<Option<SeededDirectory>, StateError> {
        let row = self
            .lock()
            .query_opt(
                "SELECT directory_type, alias, region, additional_regions, stage
                 FROM emulator_directories WHERE directory_id = $1",
                &[&id],
            )
            .map_err(failed("reading a directory"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let regions: String = row.get(3);
        let additional_regions = serde_json::from_str(&regions)
            .map_err(|err| StateError(format!("directory {id:?}: additional regions: {err}")))?;
        Ok(Some(SeededDirectory {
            directory_id: id.to_owned(),
            directory_type: row.get(0),
            alias: row.get(1),
            region: row.get(2),
            additional_regions,
            stage: row.get(4),
        }))
    }

    fn add_fault(&self, fault: Fault) -> Result<(), StateError> {
        if fault.count == 0 {
            return Ok(());
        }
        self.lock()
            .execute(
                "INSERT INTO emulator_faults (kind, operation, remaining) VALUES ($1, $2, $3)",
                &[
                    &kind_name(fault.kind),
                    &fault.operation,
                    &i64::from(fault.count),
                ],
            )
            .map_err(failed("adding a fault"))?;
        Ok(())
    }

    fn take_fault(&self, kind: FaultKind, operation: Operation) -> Result<bool, StateError> {
        let mut client = self.lock();
        let mut transaction = client.transaction().map_err(failed("taking a fault"))?;
        // FOR UPDATE: two processes taking the same fault take turns.
        let oldest = transaction
            .query_opt(
                "SELECT id, remaining FROM emulator_faults
                 WHERE kind = $1 AND (operation IS NULL OR operation = $2)
                 ORDER BY id LIMIT 1 FOR UPDATE",
                &[&kind_name(kind), &operation.as_str()],
            )
            .map_err(failed("taking a fault"))?;
        let Some(row) = oldest else {
            return Ok(false);
        };
        let (id, remaining): (i64, i64) = (row.get(0), row.get(1));
        let statement = if remaining <= 1 {
            "DELETE FROM emulator_faults WHERE id = $1"
        } else {
            "UPDATE emulator_faults SET remaining = remaining - 1 WHERE id = $1"
        };
        transaction
            .execute(statement, &[&id])
            .map_err(failed("taking a fault"))?;
        transaction.commit().map_err(failed("taking a fault"))?;
        Ok(true)
    }

    fn start_organization(&self, id: &OrganizationId, fails: bool) -> Result<(), StateError> {
        self.lock()
            .execute(
                "INSERT INTO emulator_organizations (organization_id, polls, fails)
                 VALUES ($1, 0, $2)
                 ON CONFLICT (organization_id) DO UPDATE SET
                     fails = emulator_organizations.fails OR excluded.fails",
                &[&id.as_str(), &fails],
            )
            .map_err(failed("starting an organization"))?;
        Ok(())
    }

    fn poll_organization(&self, id: &OrganizationId) -> Result<OrganizationPolls, StateError> {
        let row = self
            .lock()
            .query_one(
                "INSERT INTO emulator_organizations (organization_id, polls, fails)
                 VALUES ($1, 1, FALSE)
                 ON CONFLICT (organization_id) DO UPDATE SET
                     polls = emulator_organizations.polls + 1
                 RETURNING polls, fails",
                &[&id.as_str()],
            )
            .map_err(failed("polling an organization"))?;
        Ok(OrganizationPolls {
            polls: count(row.get(0)),
            fails: row.get(1),
        })
    }

    fn fail_verification(&self, domain: &DomainName) -> Result<(), StateError> {
        self.lock()
            .execute(
                "INSERT INTO emulator_failing_domains (domain) VALUES ($1)
                 ON CONFLICT (domain) DO NOTHING",
                &[&domain.as_str()],
            )
            .map_err(failed("failing a verification"))?;
        Ok(())
    }

    fn domain(
        &self,
        id: &OrganizationId,
        domain: &DomainName,
        tokens: DomainTokens,
        poll: bool,
    ) -> Result<DomainState, StateError> {
        let tokens = serde_json::to_string(&tokens).map_err(|err| StateError(err.to_string()))?;
        let (id, name) = (id.as_str(), domain.as_str());
        let mut client = self.lock();
        let mut transaction = client.transaction().map_err(failed("reading a domain"))?;
        transaction
            .execute(
                "INSERT INTO emulator_domains (organization_id, domain, tokens, polls)
                 VALUES ($1, $2, $3, 0) ON CONFLICT (organization_id, domain) DO NOTHING",
                &[&id, &name, &tokens],
            )
            .map_err(failed("reading a domain"))?;
        let row = transaction
            .query_one(
                "UPDATE emulator_domains SET polls = polls + $3
                 WHERE organization_id = $1 AND domain = $2 RETURNING tokens, polls",
                &[&id, &name, &i64::from(poll)],
            )
            .map_err(failed("reading a domain"))?;
        let (stored, polls): (String, i64) = (row.get(0), row.get(1));
        let fails: bool = transaction
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM emulator_failing_domains WHERE domain = $1)",
                &[&name],
            )
            .map_err(failed("reading a domain"))?
            .get(0);
        transaction.commit().map_err(failed("reading a domain"))?;
        let tokens = serde_json::from_str(&stored)
            .map_err(|err| StateError(format!("domain {name:?}: stored tokens: {err}")))?;
        Ok(DomainState {
            tokens,
            polls: count(polls),
            fails,
        })
    }

    fn forget_domain(&self, id: &OrganizationId, domain: &DomainName) -> Result<(), StateError> {
        self.lock()
            .execute(
                "DELETE FROM emulator_domains WHERE organization_id = $1 AND domain = $2",
                &[&id.as_str(), &domain.as_str()],
            )
            .map_err(failed("forgetting a domain"))?;
        Ok(())
    }
}
