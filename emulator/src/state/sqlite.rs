//! [`EmulatorState`] on SQLite.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use workmail_org::dns::DomainTokens;
use workmail_org::{DomainName, OrganizationId};

use super::{
    count, kind_name, DomainState, EmulatorState, Fault, FaultKind, OrganizationPolls,
    SeededDirectory, StateError,
};
use crate::wire::Operation;

/// [`EmulatorState`] in a SQLite database: the tables of the [module docs](super), which
/// [`migrate`](Self::migrate) creates. Every call is one transaction, so the processes of
/// one machine sharing the file agree.
#[derive(Debug)]
pub struct SqliteState {
    connection: Mutex<Connection>,
}

fn failed(doing: &str) -> impl Fn(rusqlite::Error) -> StateError + '_ {
    move |err| StateError(format!("{doing}: {err}"))
}

impl SqliteState {
    /// Opens (or creates) the database file at `path`, waiting up to five seconds for
    /// another connection's write.
    ///
    /// # Errors
    /// [`StateError`] when the file cannot be opened.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StateError> {
        let connection = Connection::open(path).map_err(failed("opening the database"))?;
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(failed("setting the busy timeout"))?;
        Ok(SqliteState::from_connection(connection))
    }

    /// The state on `connection` (an in-memory database, say).
    pub fn from_connection(connection: Connection) -> Self {
        SqliteState {
            connection: Mutex::new(connection),
        }
    }

    /// Creates the tables that are missing.
    ///
    /// # Errors
    /// [`StateError`] when the database refuses.
    pub fn migrate(&self) -> Result<(), StateError> {
        self.lock()
            .execute_batch(include_str!("schema.sql"))
            .map_err(failed("creating the tables"))
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A connection left by a panicking thread is still a connection; SQLite rolled back.
        self.connection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl EmulatorState for SqliteState {
    fn seed_directory(&self, directory: SeededDirectory) -> Result<(), StateError> {
        let regions = serde_json::to_string(&directory.additional_regions)
            .map_err(|err| StateError(err.to_string()))?;
        self.lock()
            .execute(
                "INSERT INTO emulator_directories
                     (directory_id, directory_type, alias, region, additional_regions, stage)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (directory_id) DO UPDATE SET
                     directory_type = excluded.directory_type, alias = excluded.alias,
                     region = excluded.region, additional_regions = excluded.additional_regions,
                     stage = excluded.stage",
                params![
                    directory.directory_id,
                    directory.directory_type,
                    directory.alias,
                    directory.region,
                    regions,
                    directory.stage
                ],
            )
            .map_err(failed("seeding a directory"))?;
        Ok(())
    }

    fn directory(&self, id: &str) -> Result<Option<SeededDirectory>, StateError> {
        let row = self
            .lock()
            .query_row(
                "SELECT directory_type, alias, region, additional_regions, stage
                 FROM emulator_directories WHERE directory_id = ?1",
                params![id],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(failed("reading a directory"))?;
        let Some((directory_type, alias, region, regions, stage)) = row else {
            return Ok(None);
        };
        let additional_regions = serde_json::from_str(&regions)
            .map_err(|err| StateError(format!("directory {id:?}: additional regions: {err}")))?;
        Ok(Some(SeededDirectory {
            directory_id: id.to_owned(),
            directory_type,
            alias,
            region,
            additional_regions,
            stage,
        }))
    }

    fn add_fault(&self, fault: Fault) -> Result<(), StateError> {
        if fault.count == 0 {
            return Ok(());
        }
        self.lock()
            .execute(
                "INSERT INTO emulator_faults (kind, operation, remaining) VALUES (?1, ?2, ?3)",
                params![kind_name(fault.kind), fault.operation, fault.count],
            )
            .map_err(failed("adding a fault"))?;
        Ok(())
    }

    fn take_fault(&self, kind: FaultKind, operation: Operation) -> Result<bool, StateError> {
        let mut connection = self.lock();
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed("taking a fault"))?;
        let oldest: Option<(i64, i64)> = transaction
            .query_row(
                "SELECT id, remaining FROM emulator_faults
                 WHERE kind = ?1 AND (operation IS NULL OR operation = ?2)
                 ORDER BY id LIMIT 1",
                params![kind_name(kind), operation.as_str()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(failed("taking a fault"))?;
        let Some((id, remaining)) = oldest else {
            return Ok(false);
        };
        let statement = if remaining <= 1 {
            "DELETE FROM emulator_faults WHERE id = ?1"
        } else {
            "UPDATE emulator_faults SET remaining = remaining - 1 WHERE id = ?1"
        };
        transaction
            .execute(statement, params![id])
            .map_err(failed("taking a fault"))?;
        transaction.commit().map_err(failed("taking a fault"))?;
        Ok(true)
    }

    fn start_organization(&self, id: &OrganizationId, fails: bool) -> Result<(), StateError> {
        self.lock()
            .execute(
                "INSERT INTO emulator_organizations (organization_id, polls, fails)
                 VALUES (?1, 0, ?2)
                 ON CONFLICT (organization_id) DO UPDATE SET
                     fails = emulator_organizations.fails OR excluded.fails",
                params![id.as_str(), fails],
            )
            .map_err(failed("starting an organization"))?;
        Ok(())
    }

    fn poll_organization(&self, id: &OrganizationId) -> Result<OrganizationPolls, StateError> {
        self.lock()
            .query_row(
                "INSERT INTO emulator_organizations (organization_id, polls, fails)
                 VALUES (?1, 1, FALSE)
                 ON CONFLICT (organization_id) DO UPDATE SET
                     polls = emulator_organizations.polls + 1
                 RETURNING polls, fails",
                params![id.as_str()],
                |row| {
                    Ok(OrganizationPolls {
                        polls: count(row.get(0)?),
                        fails: row.get(1)?,
                    })
                },
            )
            .map_err(failed("polling an organization"))
    }

    fn fail_verification(&self, domain: &DomainName) -> Result<(), StateError> {
        self.lock()
            .execute(
                "INSERT INTO emulator_failing_domains (domain) VALUES (?1)
                 ON CONFLICT (domain) DO NOTHING",
                params![domain.as_str()],
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
        let mut connection = self.lock();
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed("reading a domain"))?;
        let (id, name) = (id.as_str(), domain.as_str());
        transaction
            .execute(
                "INSERT INTO emulator_domains (organization_id, domain, tokens, polls)
                 VALUES (?1, ?2, ?3, 0) ON CONFLICT (organization_id, domain) DO NOTHING",
                params![id, name, tokens],
            )
            .map_err(failed("reading a domain"))?;
        let (stored, polls): (String, i64) = transaction
            .query_row(
                "UPDATE emulator_domains SET polls = polls + ?3
                 WHERE organization_id = ?1 AND domain = ?2 RETURNING tokens, polls",
                params![id, name, i64::from(poll)],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(failed("reading a domain"))?;
        let fails = transaction
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM emulator_failing_domains WHERE domain = ?1)",
                params![name],
                |row| row.get(0),
            )
            .map_err(failed("reading a domain"))?;
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
                "DELETE FROM emulator_domains WHERE organization_id = ?1 AND domain = ?2",
                params![id.as_str(), domain.as_str()],
            )
            .map_err(failed("forgetting a domain"))?;
        Ok(())
    }
}
