//! The alias registry on SQLite.

use std::fmt;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use workmail_org::catalog::{AliasHolder, RegistryError, Reservation};
use workmail_org::{AliasRegistry, OrganizationAlias};

use crate::row::{
    self, backend, holder_columns, release_outcome, reserve_outcome, settle, StoredRow,
};

/// An [`AliasRegistry`] in an SQLite database file, for the processes of one machine.
///
/// One value is one connection, behind a mutex; give each thread or process its own
/// registry on the same file, and SQLite serialises their writes. A reservation is one
/// `BEGIN IMMEDIATE` transaction: the `INSERT … ON CONFLICT (alias_folded) DO NOTHING`,
/// then, if it inserted nothing, the `SELECT` of the holder. Taking the write lock first
/// means no other writer runs between the two, and a contending connection waits for it
/// (up to the busy timeout) instead of failing with `SQLITE_BUSY`, so under contention
/// every loser is told who won.
///
/// ```
/// use workmail_org::catalog::{AliasHolder, RegistryError, Reservation};
/// use workmail_org::AliasRegistry;
/// use workmail_org_registries::SqliteAliasRegistry;
///
/// let dir = std::env::temp_dir().join(format!("sqlite-registry-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let registry = SqliteAliasRegistry::open(dir.join("aliases.db"))?;
/// registry.migrate()?;
///
/// let holder = AliasHolder::new("111122223333".parse()?, "us-east-1".parse()?, None);
/// assert_eq!(registry.reserve(&"Acme".parse()?, holder.clone())?, Reservation::New);
///
/// // Another connection to the same file, as another process would have.
/// let other = SqliteAliasRegistry::open(dir.join("aliases.db"))?;
/// let rival = AliasHolder::new("444455556666".parse()?, "eu-west-1".parse()?, None);
/// let err = other.reserve(&"ACME".parse()?, rival).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "organization alias \"Acme\" is already held by an organization of account 111122223333 in us-east-1"
/// );
/// # drop((registry, other));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SqliteAliasRegistry {
    connection: Mutex<Connection>,
}

impl SqliteAliasRegistry {
    /// How long a connection [`open`](Self::open)ed here waits for another connection's write
    /// lock before failing with `SQLITE_BUSY`.
    pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

    /// Opens (creating if need be) the database file at `path`, with a busy timeout of
    /// [`DEFAULT_BUSY_TIMEOUT`](Self::DEFAULT_BUSY_TIMEOUT).
    ///
    /// Call [`migrate`](Self::migrate) once before the first reservation.
    ///
    /// # Errors
    /// The driver's error when the file cannot be opened.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, rusqlite::Error> {
        let connection = Connection::open(path)?;
        connection.busy_timeout(Self::DEFAULT_BUSY_TIMEOUT)?;
        Ok(Self::from_connection(connection))
    }

    /// A registry on a connection the caller opened and configured.
    ///
    /// Give it a busy timeout ([`Connection::busy_timeout`]) when other connections write to
    /// the same file: without one, a reservation that finds the write lock taken fails with
    /// `SQLITE_BUSY` at once. An in-memory database works but is private to its connection;
    /// the library's `InMemoryAliasRegistry` is the faster choice for that.
    pub fn from_connection(connection: Connection) -> Self {
        SqliteAliasRegistry {
            connection: Mutex::new(connection),
        }
    }

    /// Creates the `organization_alias` table if it is missing, and switches the file to
    /// write-ahead logging (readers then never wait for the writer); idempotent.
    ///
    /// # Errors
    /// The driver's error, e.g. when the file is read-only.
    pub fn migrate(&self) -> Result<(), rusqlite::Error> {
        let connection = self.lock();
        // The mode is stored in the file; `memory` comes back for an in-memory database.
        let _mode: String =
            connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        connection.execute_batch(row::SCHEMA)
    }

    /// The connection, for the caller's own queries (say, to list the reservations).
    ///
    /// The guard holds the registry's lock: drop it before the next registry call on this
    /// thread, or that call deadlocks.
    pub fn connection(&self) -> MutexGuard<'_, Connection> {
        self.lock()
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held left no transaction open: `Transaction` rolls back
        // when dropped, so the connection is usable.
        self.connection.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn stored_row(row: &Row<'_>) -> rusqlite::Result<StoredRow> {
    Ok(StoredRow {
        alias_folded: row.get(0)?,
        alias: row.get(1)?,
        account: row.get(2)?,
        region: row.get(3)?,
        client_token: row.get(4)?,
    })
}

/// The alias and holder stored under `key`, validated.
fn read_holder(
    connection: &Connection,
    key: &str,
) -> Result<Option<(OrganizationAlias, AliasHolder)>, RegistryError<AliasHolder>> {
    let stored = connection
        .prepare_cached(row::HOLDER)
        .and_then(|mut statement| statement.query_row(params![key], stored_row).optional())
        .map_err(backend)?;
    stored
        .map(|stored| stored.decode().map_err(backend))
        .transpose()
}

impl AliasRegistry for SqliteAliasRegistry {
    type Holder = AliasHolder;

    fn reserve(
        &self,
        alias: &OrganizationAlias,
        holder: AliasHolder,
    ) -> Result<Reservation, RegistryError<AliasHolder>> {
        let key = alias.to_canonical();
        let (account, region, token) = holder_columns(&holder);
        let mut connection = self.lock();
        // One attempt settles: the write lock is taken before the insert and kept until the
        // holder is read, so no other connection changes the row in between.
        settle(alias, || {
            let transaction = connection
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let inserted = transaction
                .prepare_cached(row::RESERVE)
                .and_then(|mut statement| {
                    statement.execute(params![key, alias.as_str(), account, region, token])
                })
                .map_err(backend)?;
            let outcome = if inserted == 1 {
                Some(Ok(Reservation::New))
            } else {
                reserve_outcome(&holder, read_holder(&transaction, &key)?)
            };
            transaction.commit().map_err(backend)?;
            outcome.transpose()
        })
    }

    fn release(
        &self,
        alias: &OrganizationAlias,
        holder: &AliasHolder,
    ) -> Result<(), RegistryError<AliasHolder>> {
        let key = alias.to_canonical();
        let (account, region, token) = holder_columns(holder);
        let mut connection = self.lock();
        settle(alias, || {
            let transaction = connection
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let deleted = transaction
                .prepare_cached(row::RELEASE)
                .and_then(|mut statement| statement.execute(params![key, account, region, token]))
                .map_err(backend)?;
            let outcome = if deleted == 1 {
                Some(Ok(()))
            } else {
                release_outcome(alias, holder, read_holder(&transaction, &key)?)
            };
            transaction.commit().map_err(backend)?;
            outcome.transpose()
        })
    }

    fn holder(
        &self,
        alias: &OrganizationAlias,
    ) -> Result<Option<AliasHolder>, RegistryError<AliasHolder>> {
        let connection = self.lock();
        Ok(read_holder(&connection, &alias.to_canonical())?.map(|(_, holder)| holder))
    }
}

impl fmt::Debug for SqliteAliasRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let connection = self.connection.try_lock();
        let path = match &connection {
            Ok(connection) => connection.path().map(str::to_owned),
            Err(_) => None,
        };
        f.debug_struct("SqliteAliasRegistry")
            .field("path", &path)
            .finish_non_exhaustive()
    }
}
