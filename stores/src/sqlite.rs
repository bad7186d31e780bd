//! The store on SQLite: rusqlite connections in a pool, each call on tokio's blocking
//! threads.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use deadpool::managed::{self, Metrics, Pool, RecycleError, RecycleResult};
use rusqlite::{CachedStatement, Connection, Row, Transaction, TransactionBehavior};
use workmail_org::catalog::store::{
    Holder, Listing, NewEntry, Quota, Reservation, Store, StoreError, Written,
};
use workmail_org::catalog::{Entry, EntryId, PlanStore, StoredPlan, UniquenessKey};
use workmail_org::{AccountId, OrganizationId};

use crate::options::StoreOptions;
use crate::row::{EntryRow, HolderRow};
use crate::sql::{Engine, Migration, Sql, MIGRATIONS};
use crate::steps::{self, Failure, Finish, Tx, Value, ATTEMPTS};
use crate::steps::{Cell, Column};

/// A [`Store`] in an SQLite database file, for the processes of one machine.
///
/// It is a pool of connections to the file; a call takes one and runs its whole
/// transaction on tokio's blocking threads, since SQLite's calls block. Create, use and drop
/// it anywhere inside a tokio runtime, multi-thread or current-thread.
///
/// Every call is one `BEGIN IMMEDIATE` transaction: it takes the file's write lock first, so
/// nothing another connection does runs in the middle of it, and a contending connection
/// waits for the lock (up to the busy timeout) instead of failing with `SQLITE_BUSY`. The
/// file is in write-ahead-logging mode: readers never wait for the writer, and a commit
/// survives a crash of the process. Give every process on the file its own store.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use workmail_org::catalog::{Admission, AdmitError};
/// use workmail_org::{Catalog, OrganizationDraft, Rule};
/// use workmail_org_stores::{StoreOptions, SqliteStore};
///
/// let dir = std::env::temp_dir().join(format!("sqlite-store-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let file = dir.join("organizations.db");
/// let store = SqliteStore::open(&file, &StoreOptions::default()).await?;
/// store.migrate().await?;
///
/// let first = Catalog::open("111122223333".parse()?, store);
/// let spec = OrganizationDraft::new("Acme", "us-east-1").validate()?;
/// assert!(matches!(first.admit(&spec, 1_764_000_000).await?, Admission::New(_)));
///
/// // Another store on the same file, as another process would have.
/// let other = SqliteStore::open(&file, &StoreOptions::default()).await?;
/// let second = Catalog::open("444455556666".parse()?, other);
/// let again = OrganizationDraft::new("ACME", "eu-west-1").validate()?;
/// let Err(AdmitError::Rejected(rejection)) = second.admit(&again, 1_764_000_001).await else {
///     panic!("the alias is taken");
/// };
/// assert!(rejection.violations().contains(Rule::AliasTaken));
/// # drop((first, second));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// ```
pub struct SqliteStore {
    pool: Pool<Connector>,
    path: PathBuf,
    sql: Arc<Sql>,
}

/// Makes the pool's connections: the file, with the busy timeout.
struct Connector {
    path: PathBuf,
}

/// One pooled connection, used on one blocking thread at a time.
///
/// Not deadpool-sync's wrapper: that one drops its connection through `spawn_blocking`,
/// which aborts the process when a store is dropped outside a runtime. Closing an SQLite
/// connection is a local call, fine on any thread.
struct Pooled(Arc<Mutex<Connection>>);

impl managed::Manager for Connector {
    type Type = Pooled;
    type Error = StoreError;

    async fn create(&self) -> Result<Pooled, StoreError> {
        let path = self.path.clone();
        let opened = tokio::task::spawn_blocking(move || {
            let connection = Connection::open(path)?;
            connection.busy_timeout(SqliteStore::BUSY_TIMEOUT)?;
            Ok::<_, rusqlite::Error>(connection)
        })
        .await;
        match opened {
            Ok(Ok(connection)) => Ok(Pooled(Arc::new(Mutex::new(connection)))),
            Ok(Err(err)) => Err(StoreError::new("opening the file", err)),
            Err(err) => Err(StoreError::new(
                "opening the file on a blocking thread",
                err,
            )),
        }
    }

    async fn recycle(&self, connection: &mut Pooled, _: &Metrics) -> RecycleResult<StoreError> {
        // A panic on the connection's thread poisoned it; its transaction, if any, was rolled
        // back when `Transaction` dropped, but the connection is not trusted again.
        if connection.0.is_poisoned() {
            return Err(RecycleError::message("a call on this connection panicked"));
        }
        Ok(())
    }
}

impl SqliteStore {
    /// How long a call waits for another connection's write lock on the file before
    /// failing with `SQLITE_BUSY`.
    pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

    /// A pool of connections to the database file at `path`, created if missing, sized and
    /// timed by `options`. It opens one connection before it returns, so a path that
    /// cannot be opened fails here.
    ///
    /// Call [`migrate`](Self::migrate) before the first admission.
    ///
    /// # Errors
    /// [`StoreError`] with rusqlite's error as the source when the file cannot be opened.
    pub async fn open(path: impl AsRef<Path>, options: &StoreOptions) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let pool = options
            .apply(Pool::builder(Connector { path: path.clone() }))
            .build()
            .map_err(|err| StoreError::new("building the connection pool", err))?;
        let sql = Arc::new(Sql::in_namespace(options.namespace(), '_'));
        let store = SqliteStore { pool, path, sql };
        store.interact("opening", |_| ()).await?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Switches the file to write-ahead logging (readers then never wait for the writer),
    /// then runs the migrations this file has not run yet, in order, in one `BEGIN
    /// IMMEDIATE` transaction that records them in `organization_migration`. Safe to run
    /// from many processes at once: they take turns on the file's write lock. The first
    /// migration adopts the tables of a file made before migrations were versioned.
    ///
    /// # Errors
    /// [`StoreError`], e.g. when the file is read-only.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.migrate_track("migrating", MIGRATIONS).await
    }

    /// Makes the tables of the emulator's state (feature `emulator`): runs the emulator's
    /// migrations (versions 1001, …) this file has not run yet, as [`migrate`](Self::migrate)
    /// runs the store's, recorded in the same `organization_migration` table. A store that
    /// only [`migrate`](Self::migrate)s never gets them.
    ///
    /// # Errors
    /// [`StoreError`], e.g. when the file is read-only.
    #[cfg(feature = "emulator")]
    pub async fn migrate_emulator(&self) -> Result<(), StoreError> {
        self.migrate_track(
            "migrating the emulator's state",
            crate::sql::EMULATOR_MIGRATIONS,
        )
        .await
    }

    /// Write-ahead logging, then the `migrations` this file has not run yet, in order, in one
    /// `BEGIN IMMEDIATE` transaction that records them.
    async fn migrate_track(
        &self,
        what: &'static str,
        migrations: &'static [Migration],
    ) -> Result<(), StoreError> {
        let sql = Arc::clone(&self.sql);
        self.interact(what, move |connection| {
            write_ahead_logging(connection)?;
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            transaction.execute_batch(&sql.migration_table)?;
            let done: Vec<i64> = transaction
                .prepare(&sql.migration_versions)?
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            for migration in migrations {
                if !done.contains(&migration.version) {
                    if let Some(ddl) = migration.render(&sql, Engine::Sqlite) {
                        transaction.execute_batch(&ddl)?;
                    }
                    rusqlite::Connection::execute(
                        &transaction,
                        &sql.migration_done,
                        (migration.version, migration.name),
                    )?;
                }
            }
            transaction.commit()
        })
        .await?
        .map_err(|err| StoreError::new(what, err))
    }

    /// Runs `call` on one of the pool's connections, on a blocking thread: for the caller's
    /// own queries.
    ///
    /// # Errors
    /// [`StoreError`] when no connection can be had, or `call` panicked.
    pub async fn interact<R: Send + 'static>(
        &self,
        what: &str,
        call: impl FnOnce(&mut Connection) -> R + Send + 'static,
    ) -> Result<R, StoreError> {
        let connection = self.pool.get().await.map_err(|err| match err {
            managed::PoolError::Backend(err) => err.context(what),
            err => StoreError::new(format!("{what}: getting a connection"), err),
        })?;
        // The pooled object stays here: if this future is dropped, the connection goes back
        // to the pool, and its next user waits on the lock until this call is done.
        let shared = Arc::clone(&connection.0);
        tokio::task::spawn_blocking(move || {
            let mut connection = shared.lock().unwrap_or_else(PoisonError::into_inner);
            call(&mut connection)
        })
        .await
        .map_err(|err| {
            if err.is_panic() {
                // Poisoned: the pool drops the connection when it comes back.
                StoreError::msg(format!(
                    "{what}: the call panicked on its connection's thread"
                ))
            } else {
                StoreError::new(format!("{what}: the call was cancelled"), err)
            }
        })
    }

    /// Runs `step` in one `BEGIN IMMEDIATE` transaction, committing or rolling back as it
    /// says, and again (up to [`ATTEMPTS`] times) when it asks for a retry.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        what: &'static str,
        mut step: impl FnMut(&mut Transaction<'_>, &Sql) -> Result<Finish<T>, Failure> + Send + 'static,
    ) -> Result<T, StoreError> {
        let sql = Arc::clone(&self.sql);
        self.interact(what, move |connection| {
            let mut last = None;
            for _ in 0..ATTEMPTS {
                let mut transaction = connection
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(|err| StoreError::new(format!("{what}: beginning"), err))?;
                match step(&mut transaction, &sql) {
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
                    Err(Failure::Retry(err) | Failure::Reconnect(err)) => last = Some(err),
                }
            }
            Err(last.unwrap_or_else(|| StoreError::msg(format!("{what}: no attempt ran"))))
        })
        .await?
    }
}

/// Switches the file to write-ahead logging. The mode is stored in the file, so only the
/// first switch of a new file does anything; that one needs the file to itself and, unlike
/// other statements, answers `SQLITE_BUSY` at once instead of waiting, so it is tried again
/// until [`SqliteStore::BUSY_TIMEOUT`].
fn write_ahead_logging(connection: &Connection) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        match connection.query_row("PRAGMA journal_mode = WAL", [], |row| {
            row.get::<_, String>(0)
        }) {
            Ok(_mode) => return Ok(()),
            Err(rusqlite::Error::SqliteFailure(failure, _))
                if failure.code == rusqlite::ErrorCode::DatabaseBusy
                    && started.elapsed() < SqliteStore::BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(err) => return Err(err),
        }
    }
}

/// The output of a step on SQLite, whose statements run when they are called: its future
/// is ready the first time it is polled.
pub(crate) fn done<T>(step: impl Future<Output = T>) -> T {
    match pin!(step).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("a step on SQLite waited, but its statements never do"),
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
        token: row.get(15)?,
        sends: row.get(16)?,
        sent_at: row.get(17)?,
        lease_owner: row.get(18)?,
        lease_expires: row.get(19)?,
    })
}

// Each statement runs when it is called, on the connection's blocking thread; the future
// only hands over its result.
impl Tx for Transaction<'_> {
    fn execute(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<u64, Failure>> + Send {
        let changed = bound(self, sql, params)
            .and_then(|mut statement| statement.raw_execute())
            .map_err(fatal)
            .map(|changed| changed as u64);
        std::future::ready(changed)
    }

    fn int(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Option<i64>, Failure>> + Send {
        std::future::ready(first(self, sql, params, |row| row.get(0)))
    }

    fn texts(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Vec<String>, Failure>> + Send {
        std::future::ready(rows(self, sql, params, |row| row.get(0)))
    }

    fn entries(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Vec<EntryRow>, Failure>> + Send {
        std::future::ready(rows(self, sql, params, entry_row))
    }

    fn holder(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Option<HolderRow>, Failure>> + Send {
        std::future::ready(first(self, sql, params, |row| {
            Ok(HolderRow {
                id: row.get(0)?,
                account: row.get(1)?,
                region: row.get(2)?,
                alias: row.get(3)?,
            })
        }))
    }

    fn version_live(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Option<(i64, bool)>, Failure>> + Send {
        std::future::ready(first(self, sql, params, |row| {
            Ok((row.get(0)?, row.get(1)?))
        }))
    }

    fn quota_row(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Option<(i64, Option<i64>)>, Failure>> + Send {
        std::future::ready(first(self, sql, params, |row| {
            Ok((row.get(0)?, row.get(1)?))
        }))
    }

    fn rows(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        columns: &[Column],
    ) -> impl Future<Output = Result<Vec<Vec<Cell>>, Failure>> + Send {
        std::future::ready(rows(self, sql, params, |row| {
            columns
                .iter()
                .enumerate()
                .map(|(index, column)| {
                    Ok(match column {
                        Column::Text => Cell::Text(row.get(index)?),
                        Column::Int => Cell::Int(row.get(index)?),
                        Column::Bool => Cell::Bool(row.get(index)?),
                    })
                })
                .collect()
        }))
    }
}

// A call's arguments are borrowed, and its transaction runs on another thread: each call
// takes its own copy there.
impl Store for SqliteStore {
    fn admit(
        &self,
        admission: &NewEntry<'_>,
    ) -> impl Future<Output = Result<Reservation, StoreError>> + Send {
        let (account, spec, keys, now) = (
            admission.account.clone(),
            admission.spec.clone(),
            admission.keys.clone(),
            admission.now,
        );
        self.run("admitting an entry", move |tx, sql| {
            done(steps::admit(
                tx,
                sql,
                &NewEntry::new(&account, &spec, &keys, now),
            ))
        })
    }

    fn write(&self, next: &Entry) -> impl Future<Output = Result<Written, StoreError>> + Send {
        let next = next.clone();
        self.run("writing an entry", move |tx, sql| {
            done(steps::write(tx, sql, &next))
        })
    }

    fn release(&self, entry: &Entry) -> impl Future<Output = Result<Written, StoreError>> + Send {
        let entry = entry.clone();
        self.run("releasing an entry", move |tx, sql| {
            done(steps::release(tx, sql, &entry))
        })
    }

    fn entry(&self, id: EntryId) -> impl Future<Output = Result<Option<Entry>, StoreError>> + Send {
        self.run("reading an entry", move |tx, sql| {
            done(steps::reading(steps::entry(tx, sql, id)))
        })
    }

    fn by_organization_id(
        &self,
        id: &OrganizationId,
    ) -> impl Future<Output = Result<Option<Entry>, StoreError>> + Send {
        let id = id.clone();
        self.run("reading an entry by organization id", move |tx, sql| {
            done(steps::reading(steps::by_organization_id(tx, sql, &id)))
        })
    }

    fn holder(
        &self,
        key: &UniquenessKey,
    ) -> impl Future<Output = Result<Option<Holder>, StoreError>> + Send {
        let key = key.clone();
        self.run("reading a key's holder", move |tx, sql| {
            done(steps::reading(steps::holder(tx, sql, &key)))
        })
    }

    fn list(
        &self,
        listing: &Listing,
    ) -> impl Future<Output = Result<Vec<Entry>, StoreError>> + Send {
        let listing = listing.clone();
        self.run("listing entries", move |tx, sql| {
            done(steps::reading(steps::list(tx, sql, &listing)))
        })
    }

    fn quota(&self, account: &AccountId) -> impl Future<Output = Result<Quota, StoreError>> + Send {
        let account = account.clone();
        self.run("reading a quota", move |tx, sql| {
            done(steps::reading(steps::read_quota(tx, sql, &account)))
        })
    }

    fn set_limit(
        &self,
        account: &AccountId,
        limit: Option<u64>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let account = account.clone();
        self.run("setting a quota", move |tx, sql| {
            done(steps::set_limit(tx, sql, &account, limit))
        })
    }
}

impl PlanStore for SqliteStore {
    fn plan(
        &self,
        account: &AccountId,
        organization_id: &OrganizationId,
    ) -> impl Future<Output = Result<Option<StoredPlan>, StoreError>> + Send {
        let (account, organization_id) = (account.clone(), organization_id.clone());
        self.run("reading a leaving plan", move |tx, sql| {
            done(steps::reading(steps::plan(
                tx,
                sql,
                &account,
                &organization_id,
            )))
        })
    }

    fn put_plan(
        &self,
        next: &StoredPlan,
    ) -> impl Future<Output = Result<Written, StoreError>> + Send {
        let next = next.clone();
        self.run("writing a leaving plan", move |tx, sql| {
            done(steps::put_plan(tx, sql, &next))
        })
    }
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.pool.status();
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("size", &status.size)
            .field("max_size", &status.max_size)
            .finish_non_exhaustive()
    }
}
