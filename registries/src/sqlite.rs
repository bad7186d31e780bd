//! The store on SQLite.

use std::fmt;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{CachedStatement, Connection, Row, Transaction, TransactionBehavior};
use workmail_org::catalog::StoreError;

use crate::row::{EntryRow, HolderRow};
use crate::sql;
use crate::steps::{self, Failure, Finish, Tx, Value, ATTEMPTS};

/// A [`Store`](workmail_org::catalog::Store) in an SQLite database file, for the processes of one machine.
///
/// One value is one connection, behind a mutex; give each thread or process its own store on
/// the same file, and SQLite serialises their writes. Every call is one `BEGIN IMMEDIATE`
/// transaction: it takes the file's write lock first, so nothing another connection does
/// runs in the middle of it, and a contending connection waits for the lock (up to the busy
/// timeout) instead of failing with `SQLITE_BUSY`. The file is in write-ahead-logging mode:
/// readers never wait for the writer, and a commit survives a crash of the process.
///
/// ```
/// use workmail_org::catalog::{Admission, AdmitError};
/// use workmail_org::{Catalog, OrganizationDraft, Rule};
/// use workmail_org_registries::SqliteStore;
///
/// let dir = std::env::temp_dir().join(format!("sqlite-store-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let file = dir.join("organizations.db");
/// SqliteStore::open(&file)?.migrate()?;
///
/// let first = Catalog::open("111122223333".parse()?, SqliteStore::open(&file)?);
/// let spec = OrganizationDraft::new("Acme", "us-east-1").validate()?;
/// assert!(matches!(first.admit(&spec, 1_764_000_000)?, Admission::New(_)));
///
/// // Another connection to the same file, as another process would have.
/// let second = Catalog::open("444455556666".parse()?, SqliteStore::open(&file)?);
/// let again = OrganizationDraft::new("ACME", "eu-west-1").validate()?;
/// let Err(AdmitError::Rejected(violations)) = second.admit(&again, 1_764_000_001) else {
///     panic!("the alias is taken");
/// };
/// assert!(violations.contains(Rule::AliasTaken));
/// # drop((first, second));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

impl SqliteStore {
    /// How long a connection [`open`](Self::open)ed here waits for another connection's write
    /// lock before failing with `SQLITE_BUSY`.
    pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

    /// Opens (creating if need be) the database file at `path`, with a busy timeout of
    /// [`DEFAULT_BUSY_TIMEOUT`](Self::DEFAULT_BUSY_TIMEOUT).
    ///
    /// Call [`migrate`](Self::migrate) once before the first admission.
    ///
    /// # Errors
    /// The driver's error when the file cannot be opened.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, rusqlite::Error> {
        let connection = Connection::open(path)?;
        connection.busy_timeout(Self::DEFAULT_BUSY_TIMEOUT)?;
        Ok(Self::from_connection(connection))
    }

    /// A store on a connection the caller opened and configured.
    ///
    /// Give it a busy timeout ([`Connection::busy_timeout`]) when other connections write to
    /// the same file: without one, a call that finds the write lock taken fails with
    /// `SQLITE_BUSY` at once. An in-memory database works but is private to its connection;
    /// the library's `InMemoryStore` is the faster choice for that.
    pub fn from_connection(connection: Connection) -> Self {
        SqliteStore {
            connection: Mutex::new(connection),
        }
    }

    /// Creates the tables and indexes that are missing, and switches the file to
    /// write-ahead logging (readers then never wait for the writer); idempotent.
    ///
    /// # Errors
    /// The driver's error, e.g. when the file is read-only.
    pub fn migrate(&self) -> Result<(), rusqlite::Error> {
        let connection = self.lock();
        // The mode is stored in the file; `memory` comes back for an in-memory database.
        let _mode: String =
            connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        connection.execute_batch(&sql::schema("INTEGER PRIMARY KEY AUTOINCREMENT"))
    }

    /// The connection, for the caller's own queries.
    ///
    /// The guard holds the store's lock: drop it before the next store call on this thread,
    /// or that call deadlocks.
    pub fn connection(&self) -> MutexGuard<'_, Connection> {
        self.lock()
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held left no transaction open: `Transaction` rolls back
        // when dropped, so the connection is usable.
        self.connection.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `step` in one `BEGIN IMMEDIATE` transaction, committing or rolling back as it
    /// says, and again (up to [`ATTEMPTS`] times) when it asks for a retry.
    fn run<T>(
        &self,
        what: &str,
        mut step: impl FnMut(&mut Transaction<'_>) -> Result<Finish<T>, Failure>,
    ) -> Result<T, StoreError> {
        let mut connection = self.lock();
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let mut transaction = connection
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|err| StoreError::new(format!("{what}: beginning"), err))?;
            match step(&mut transaction) {
                Ok(Finish::Commit(done)) => {
                    transaction
                        .commit()
                        .map_err(|err| StoreError::new(format!("{what}: committing"), err))?;
                    return Ok(done);
                }
                Ok(Finish::Rollback(done)) => {
                    transaction
                        .rollback()
                        .map_err(|err| StoreError::new(format!("{what}: rolling back"), err))?;
                    return Ok(done);
                }
                Err(Failure::Fatal(err)) => return Err(err),
                // Dropping the transaction rolls it back.
                Err(Failure::Retry(err)) => last = Some(err),
            }
        }
        Err(last.unwrap_or_else(|| StoreError::msg(format!("{what}: no attempt ran"))))
    }
}

fn fatal(err: rusqlite::Error) -> Failure {
    Failure::Fatal(StoreError::new("running a statement", err))
}

/// The statement `sql`, cached, with `params` bound by name: SQLite reads `$1` as a name.
fn bound<'t>(
    tx: &'t Transaction<'_>,
    sql: &str,
    params: &[Value<'_>],
) -> rusqlite::Result<CachedStatement<'t>> {
    let mut statement = tx.prepare_cached(sql)?;
    for (index, value) in params.iter().enumerate() {
        let name = format!("${}", index + 1);
        let name = name.as_str();
        match *value {
            Value::Text(text) => statement.raw_bind_parameter(name, text)?,
            Value::NullText(text) => statement.raw_bind_parameter(name, text)?,
            Value::Int(int) => statement.raw_bind_parameter(name, int)?,
            Value::NullInt(int) => statement.raw_bind_parameter(name, int)?,
            Value::Bool(flag) => statement.raw_bind_parameter(name, flag)?,
        }
    }
    Ok(statement)
}

fn rows<T>(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[Value<'_>],
    mut read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, Failure> {
    let mut statement = bound(tx, sql, params).map_err(fatal)?;
    let mut rows = statement.raw_query();
    let mut found = Vec::new();
    while let Some(row) = rows.next().map_err(fatal)? {
        found.push(read(row).map_err(fatal)?);
    }
    Ok(found)
}

fn first<T>(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[Value<'_>],
    read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Option<T>, Failure> {
    Ok(rows(tx, sql, params, read)?.into_iter().next())
}

fn entry_row(row: &Row<'_>) -> rusqlite::Result<EntryRow> {
    Ok(EntryRow {
        id: row.get(0)?,
        account: row.get(1)?,
        region: row.get(2)?,
        alias: row.get(3)?,
        alias_folded: row.get(4)?,
        client_token: row.get(5)?,
        spec: row.get(6)?,
        request: row.get(7)?,
        organization_id: row.get(8)?,
        snapshot: row.get(9)?,
        mail_domains: row.get(10)?,
        live: row.get(11)?,
        admitted_at: row.get(12)?,
        updated_at: row.get(13)?,
        version: row.get(14)?,
    })
}

impl Tx for Transaction<'_> {
    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, Failure> {
        let changed = bound(self, sql, params)
            .and_then(|mut statement| statement.raw_execute())
            .map_err(fatal)?;
        Ok(changed as u64)
    }

    fn int(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Option<i64>, Failure> {
        first(self, sql, params, |row| row.get(0))
    }

    fn texts(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Vec<String>, Failure> {
        rows(self, sql, params, |row| row.get(0))
    }

    fn entries(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Vec<EntryRow>, Failure> {
        rows(self, sql, params, entry_row)
    }

    fn holder(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Option<HolderRow>, Failure> {
        first(self, sql, params, |row| {
            Ok(HolderRow {
                id: row.get(0)?,
                account: row.get(1)?,
                region: row.get(2)?,
                alias: row.get(3)?,
            })
        })
    }

    fn version_live(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Option<(i64, bool)>, Failure> {
        first(self, sql, params, |row| Ok((row.get(0)?, row.get(1)?)))
    }

    fn quota_row(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Option<(i64, Option<i64>)>, Failure> {
        first(self, sql, params, |row| Ok((row.get(0)?, row.get(1)?)))
    }
}

steps::store_on_steps!(SqliteStore);

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let connection = self.connection.try_lock();
        let path = match &connection {
            Ok(connection) => connection.path().map(str::to_owned),
            Err(_) => None,
        };
        f.debug_struct("SqliteStore")
            .field("path", &path)
            .finish_non_exhaustive()
    }
}
