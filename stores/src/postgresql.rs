//! The store on PostgreSQL: tokio-postgres, pooled by deadpool-postgres.

use std::fmt;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Transaction};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{NoTls, Row};
use workmail_org::catalog::store::{
    Holder, Listing, NewEntry, Quota, Reservation, Store, StoreError, Taken, Written,
};
use workmail_org::catalog::{Entry, EntryId, PlanStore, StoredPlan, UniquenessKey};
use workmail_org::{AccountId, ClientToken, OrganizationId};

use crate::options::StoreOptions;
use crate::row::{EntryRow, HolderRow};
use crate::sql::{self, Engine, Sql};
use crate::steps::{self, Failure, Finish, Tx, Value, ATTEMPTS};
use crate::steps::{Cell, Column};
use crate::Namespace;

/// The unique constraint on `(account, region, client_token)`: a violation of it is a
/// concurrent admission with the same token, which a retry finds.
const TOKEN_CONSTRAINT: &str = "organization_entry_token";

/// Serialises `migrate` across every process on one schema: a transaction-scoped advisory
/// lock keyed by the schema the tables go into, `$1` (NULL: the `search_path`'s).
const MIGRATION_LOCK: &str = "SELECT pg_advisory_xact_lock(hashtext('workmail-org-stores ' \
     || coalesce($1::text, current_schema(), '')))";

/// A [`Store`] in PostgreSQL tables, for every process of a service's fleet.
///
/// It is a pool of connections (deadpool-postgres on tokio-postgres): clone-free and shared
/// by reference or in an `Arc`, every call takes a connection for one transaction and gives
/// it back. Create, use and drop it anywhere inside a tokio runtime, multi-thread or
/// current-thread.
///
/// Every call is one `READ COMMITTED` transaction, each statement one round trip with its
/// parameter types given, so nothing is prepared first. An admission locks its account's
/// counter row first, so the admissions of one account take turns; keys go in in the order
/// of their text, so two admissions never wait for each other's keys in opposite orders. A
/// transaction that meets a deadlock (`40P01`), a serialization failure (`40001`) or a
/// concurrent admission with the same client token runs again from the start, up to 16
/// times.
///
/// **When the database goes away.** A call that finds its connection broken before it
/// committed (the server restarted, or `pg_terminate_backend` ended the backend) drops that
/// connection and runs again on a new one; the pool also drops closed connections when they
/// come back. While the server is down, a call fails once no connection can be had within
/// [`StoreOptions::acquire_timeout`], with a [`StoreError`] whose source is the driver's
/// error. When the server is back, the same store works again: nothing needs reopening. A
/// connection that breaks *while committing* leaves the call's outcome unknown: that is a
/// [`StoreError`], and every catalog call is safe to retry.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use workmail_org::catalog::Admission;
/// use workmail_org::{Catalog, OrganizationDraft};
/// use workmail_org_stores::{StoreOptions, PostgresStore};
///
/// let url = "postgresql://postgres@/postgres?host=/run/postgresql";
/// let store = PostgresStore::connect(url, &StoreOptions::default()).await?;
/// store.migrate().await?;
/// let catalog = Catalog::open("111122223333".parse()?, store);
/// let spec = OrganizationDraft::new("Acme", "us-east-1").validate()?;
/// assert!(matches!(catalog.admit(&spec, 1_764_000_000).await?, Admission::New(_)));
/// # Ok(())
/// # }
/// ```
pub struct PostgresStore {
    pool: Pool,
    namespace: Option<Namespace>,
    pub(crate) sql: Sql,
}

impl PostgresStore {
    /// A pool of connections without TLS to `params`, e.g.
    /// `postgresql://postgres@/postgres?host=/run/postgresql` (a unix socket) or `host=127.0.0.1
    /// user=registry dbname=organizations` (the key-value form), sized and timed by
    /// `options`. It connects once before it returns, so a wrong address, role or database
    /// fails here, with the server's reason in the error's source chain.
    ///
    /// For TLS, build a [`Pool`] with a TLS connector and use [`from_pool`](Self::from_pool).
    /// Call [`migrate`](Self::migrate) before the first admission.
    ///
    /// # Errors
    /// [`StoreError`] when the parameters do not parse or no connection can be made.
    pub async fn connect(params: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config = params
            .parse()
            .map_err(|err| StoreError::new("reading the connection parameters", err))?;
        Self::connect_with(config, options).await
    }

    /// [`connect`](Self::connect), with a connection configuration built by the caller: a
    /// schema per tenant or per test is `config.options("-c search_path=NAME")`.
    ///
    /// # Errors
    /// [`StoreError`] when no connection can be made.
    pub async fn connect_with(
        config: tokio_postgres::Config,
        options: &StoreOptions,
    ) -> Result<Self, StoreError> {
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                // A closed connection is dropped when it comes back; one that broke unseen
                // is found by the call that gets it, which then runs again on a new one.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = options
            .apply(Pool::builder(manager))
            .build()
            .map_err(|err| StoreError::new("building the connection pool", err))?;
        let store = PostgresStore::from_pool(pool, options.namespace().cloned());
        drop(store.connection("opening").await?);
        Ok(store)
    }

    /// A store on a pool the caller built (for TLS, or a pool shared with other queries),
    /// with its tables in the schema `namespace`, or, with `None`, where the connections'
    /// `search_path` finds them.
    pub fn from_pool(pool: Pool, namespace: Option<Namespace>) -> Self {
        PostgresStore {
            sql: Sql::in_namespace(namespace.as_ref(), '.'),
            pool,
            namespace,
        }
    }

    /// The pool, for the caller's own queries and for its status.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Creates the namespace's schema if missing, then runs the migrations this database has
    /// not run yet, in order, each in the transaction that records it in
    /// `organization_migration`. Safe to run from many processes at once: a
    /// transaction-scoped advisory lock, keyed by the schema, makes them take turns, and each
    /// finds what the one before it did. The first migration adopts the tables of a database
    /// made before migrations were versioned.
    ///
    /// # Errors
    /// [`StoreError`], e.g. when the role may not create tables.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.migrate_track("migrating", sql::MIGRATIONS).await
    }

    /// Makes the tables of the emulator's state (feature `emulator`): runs the emulator's
    /// migrations (versions 1001, …) this database has not run yet, as
    /// [`migrate`](Self::migrate) runs the store's, under the same advisory lock and recorded
    /// in the same `organization_migration` table. A store that only
    /// [`migrate`](Self::migrate)s never gets them.
    ///
    /// # Errors
    /// [`StoreError`], e.g. when the role may not create tables.
    #[cfg(feature = "emulator")]
    pub async fn migrate_emulator(&self) -> Result<(), StoreError> {
        self.migrate_track("migrating the emulator's state", sql::EMULATOR_MIGRATIONS)
            .await
    }

    /// The schema, then the `migrations` this database has not run yet, in order, in one
    /// transaction under the migration lock that records them.
    async fn migrate_track(
        &self,
        what: &'static str,
        migrations: &[sql::Migration],
    ) -> Result<(), StoreError> {
        let mut client = self.connection(what).await?;
        let fail = |err: tokio_postgres::Error| StoreError::new(what, err);
        let transaction = client.transaction().await.map_err(fail)?;
        let schema = self.namespace.as_ref().map(Namespace::as_str);
        let lock: [&(dyn ToSql + Sync); 1] = [&schema];
        tokio_postgres::Transaction::execute(&transaction, MIGRATION_LOCK, &lock)
            .await
            .map_err(fail)?;
        if let Some(schema) = schema {
            // A namespace is lower-case letters, digits and `_`: no quoting needed.
            transaction
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .await
                .map_err(fail)?;
        }
        transaction
            .batch_execute(&self.sql.migration_table)
            .await
            .map_err(fail)?;
        let done: Vec<i64> = transaction
            .query(&self.sql.migration_versions, &[])
            .await
            .map_err(fail)?
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        for migration in migrations {
            if done.contains(&migration.version) {
                continue;
            }
            if let Some(ddl) = migration.render(&self.sql, Engine::Postgres) {
                transaction.batch_execute(&ddl).await.map_err(|err| {
                    StoreError::new(
                        format!("migration {} ({})", migration.version, migration.name),
                        err,
                    )
                })?;
            }
            let recorded: [&(dyn ToSql + Sync); 2] = [&migration.version, &migration.name];
            tokio_postgres::Transaction::execute(&transaction, &self.sql.migration_done, &recorded)
                .await
                .map_err(fail)?;
        }
        transaction.commit().await.map_err(fail)
    }

    pub(crate) async fn connection(&self, what: &str) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(|err| pool_error(what, err))
    }
}

/// Ends a transaction as its step said: a commit whose connection broke is fatal, since it
/// may have reached the server and only the caller can tell.
pub(crate) async fn finish<T>(
    transaction: Transaction<'_>,
    what: &'static str,
    finish: Finish<T>,
) -> Result<T, Failure> {
    match finish {
        Finish::Commit(done) => transaction
            .commit()
            .await
            .map(|()| done)
            .map_err(|err| Failure::Fatal(StoreError::new(format!("{what}: committing"), err))),
        Finish::Rollback(done) => transaction
            .rollback()
            .await
            .map(|()| done)
            .map_err(|err| failure(what, err)),
    }
}

/// What a failed attempt leaves: the error to report if no attempt succeeds, when it is
/// worth another; the error itself when it is fatal. A broken connection never goes back
/// into the pool.
pub(crate) fn retrying(failed: Failure, client: Object) -> Result<StoreError, StoreError> {
    match failed {
        Failure::Fatal(err) => Err(err),
        Failure::Retry(err) => Ok(err),
        Failure::Reconnect(err) => {
            drop(Object::take(client));
            Ok(err)
        }
    }
}

/// `$step` (an expression of `$tx`, the open transaction) in one transaction of `$store`,
/// committed or rolled back as it says, and run again (up to [`ATTEMPTS`] times) when it
/// meets another transaction, or a broken connection before it committed; used inside an
/// `async fn` (or an async block), from which it returns. Its paths are the crate's, so the
/// emulator's state (`crate::emulator`) runs its steps with it too.
///
/// A macro, not a method taking a closure: the step borrows the transaction and the call's
/// arguments, and a closure returning such a future cannot yet be named with a `Send`
/// bound.
macro_rules! transaction {
    ($store:expr, $what:expr, |$tx:ident| $step:expr) => {{
        let store: &$crate::PostgresStore = $store;
        let what: &'static str = $what;
        let mut last = None;
        for _ in 0..$crate::steps::ATTEMPTS {
            let mut client = store.connection(what).await?;
            let attempt = async {
                let mut transaction = client
                    .transaction()
                    .await
                    .map_err(|err| $crate::postgresql::failure(what, err))?;
                let $tx = &mut transaction;
                let step = $step.await?;
                $crate::postgresql::finish(transaction, what, step).await
            }
            .await;
            match attempt {
                Ok(done) => return Ok(done),
                Err(failed) => last = Some($crate::postgresql::retrying(failed, client)?),
            }
        }
        Err(last.unwrap_or_else(|| {
            ::workmail_org::catalog::store::StoreError::msg(format!("{what}: no attempt ran"))
        }))
    }};
}
#[cfg(feature = "emulator")]
pub(crate) use transaction;

/// The parameter types of `organization_admit`.
const ADMIT_TYPES: &[Type] = &[
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT8,
    Type::INT8,
    Type::TEXT_ARRAY,
];

impl PostgresStore {
    /// What `organization_admit` answered, as a reservation; `None` when the entry holding
    /// the token is gone by the time it is read.
    async fn admitted(
        &self,
        rows: Vec<Row>,
        keys: &[&UniquenessKey],
        sorted: &[(usize, String)],
        provisional: &Entry,
    ) -> Result<Option<Reservation>, StoreError> {
        let mut conflicts = Vec::new();
        let mut quota = None;
        for row in &rows {
            let outcome: String = get(row, 0).map_err(Failure::into_error)?;
            match outcome.as_str() {
                "new" => {
                    let id = get(row, 1).map_err(Failure::into_error)?;
                    let token: String = get(row, 2).map_err(Failure::into_error)?;
                    let token = ClientToken::parse(&token).map_err(|err| {
                        StoreError::new("reading the client token the database drew", err)
                    })?;
                    let entry = steps::admitted(provisional.clone(), id, Some(token))
                        .map_err(Failure::into_error)?;
                    return Ok(Some(Reservation::New(entry)));
                }
                "token" => {
                    let id: i64 = get(row, 1).map_err(Failure::into_error)?;
                    let id = EntryId::new(u64::try_from(id).unwrap_or(0));
                    return Ok(self.entry(id).await?.map(Reservation::TokenHeld));
                }
                "held" => {
                    let key: String = get(row, 2).map_err(Failure::into_error)?;
                    let holder = HolderRow {
                        id: get(row, 1).map_err(Failure::into_error)?,
                        account: get(row, 3).map_err(Failure::into_error)?,
                        region: get(row, 4).map_err(Failure::into_error)?,
                        alias: get(row, 5).map_err(Failure::into_error)?,
                    }
                    .decode()?;
                    let Some((index, _)) = sorted.iter().find(|(_, text)| *text == key) else {
                        return Err(StoreError::msg(format!(
                            "admitting an entry: the database names key {key}, which is not one of the admission's"
                        )));
                    };
                    conflicts.push((*index, holder));
                }
                "full" => {
                    let live: i64 = get(row, 6).map_err(Failure::into_error)?;
                    let limit: Option<i64> = get(row, 7).map_err(Failure::into_error)?;
                    quota = Some(steps::quota(live, limit, provisional.account())?)
                        .filter(Quota::is_full);
                }
                other => {
                    return Err(StoreError::msg(format!(
                        "admitting an entry: the database answered {other:?}"
                    )))
                }
            }
        }
        Ok(Some(Reservation::Refused(Taken::new(
            steps::in_key_order(keys, conflicts),
            quota,
        ))))
    }
}

/// A connection that could not be had: the driver's error itself when making one failed.
fn pool_error(what: &str, err: deadpool_postgres::PoolError) -> StoreError {
    match err {
        deadpool_postgres::PoolError::Backend(err) => {
            StoreError::new(format!("{what}: connecting"), err)
        }
        deadpool_postgres::PoolError::Timeout(_) => StoreError::new(
            format!("{what}: no connection within the acquire timeout"),
            err,
        ),
        err => StoreError::new(format!("{what}: getting a connection"), err),
    }
}

/// A driver error as a failure: a retry for what another transaction caused, a retry on a
/// new connection for a connection that broke, fatal otherwise. The source is the server's
/// own error ([`DbError`](tokio_postgres::error::DbError): SQLSTATE code, message, detail)
/// when it answered with one, else the driver's.
pub(crate) fn failure(what: &str, err: tokio_postgres::Error) -> Failure {
    let Some(db) = err.as_db_error() else {
        // No answer from the server: the connection closed, or its socket failed.
        return Failure::Reconnect(StoreError::new(what, err));
    };
    let code = db.code().code();
    let retry = *db.code() == SqlState::T_R_DEADLOCK_DETECTED
        || *db.code() == SqlState::T_R_SERIALIZATION_FAILURE
        || (*db.code() == SqlState::UNIQUE_VIOLATION && db.constraint() == Some(TOKEN_CONSTRAINT));
    // Class 08 (connection exception) and 57P01-57P03: the server ended this session
    // (`pg_terminate_backend`, a shutdown, a restart).
    let broken = code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03");
    let err = StoreError::new(what, db.clone());
    if broken {
        Failure::Reconnect(err)
    } else if retry {
        Failure::Retry(err)
    } else {
        Failure::Fatal(err)
    }
}

/// The parameters with their types, so PostgreSQL needs no round trip to infer them.
fn typed<'a>(params: &'a [Value<'a>]) -> Vec<(&'a (dyn ToSql + Sync), Type)> {
    params
        .iter()
        .map(|value| -> (&(dyn ToSql + Sync), Type) {
            match value {
                Value::Text(text) => (text, Type::TEXT),
                Value::NullText(text) => (text, Type::TEXT),
                Value::Int(int) => (int, Type::INT8),
                Value::NullInt(int) => (int, Type::INT8),
                Value::Bool(flag) => (flag, Type::BOOL),
            }
        })
        .collect()
}

async fn query(tx: &Transaction<'_>, sql: &str, params: &[Value<'_>]) -> Result<Vec<Row>, Failure> {
    tx.query_typed(sql, &typed(params))
        .await
        .map_err(|err| failure("running a statement", err))
}

async fn first(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[Value<'_>],
) -> Result<Option<Row>, Failure> {
    Ok(query(tx, sql, params).await?.into_iter().next())
}

fn get<'r, T: tokio_postgres::types::FromSql<'r>>(
    row: &'r Row,
    index: usize,
) -> Result<T, Failure> {
    row.try_get(index)
        .map_err(|err| Failure::Fatal(StoreError::new("reading a column", err)))
}

fn entry_row(row: &Row) -> Result<EntryRow, Failure> {
    Ok(EntryRow {
        id: get(row, 0)?,
        account: get(row, 1)?,
        region: get(row, 2)?,
        alias: get(row, 3)?,
        alias_folded: get(row, 4)?,
        client_token: get(row, 5)?,
        spec: get(row, 6)?,
        request: get(row, 7)?,
        organization_id: get(row, 8)?,
        snapshot: get(row, 9)?,
        mail_domains: get(row, 10)?,
        live: get(row, 11)?,
        admitted_at: get(row, 12)?,
        updated_at: get(row, 13)?,
        version: get(row, 14)?,
        token: get(row, 15)?,
        sends: get(row, 16)?,
        sent_at: get(row, 17)?,
        lease_owner: get(row, 18)?,
        lease_expires: get(row, 19)?,
    })
}

impl Tx for Transaction<'_> {
    async fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, Failure> {
        self.execute_typed(sql, &typed(params))
            .await
            .map_err(|err| failure("running a statement", err))
    }

    async fn int(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Option<i64>, Failure> {
        first(self, sql, params)
            .await?
            .map(|row| get(&row, 0))
            .transpose()
    }

    async fn texts(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Vec<String>, Failure> {
        query(self, sql, params)
            .await?
            .iter()
            .map(|row| get(row, 0))
            .collect()
    }

    async fn entries(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Vec<EntryRow>, Failure> {
        query(self, sql, params)
            .await?
            .iter()
            .map(entry_row)
            .collect()
    }

    async fn holder(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Option<HolderRow>, Failure> {
        first(self, sql, params)
            .await?
            .map(|row| {
                Ok(HolderRow {
                    id: get(&row, 0)?,
                    account: get(&row, 1)?,
                    region: get(&row, 2)?,
                    alias: get(&row, 3)?,
                })
            })
            .transpose()
    }

    async fn version_live(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Option<(i64, bool)>, Failure> {
        first(self, sql, params)
            .await?
            .map(|row| Ok((get(&row, 0)?, get(&row, 1)?)))
            .transpose()
    }

    async fn quota_row(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Option<(i64, Option<i64>)>, Failure> {
        first(self, sql, params)
            .await?
            .map(|row| Ok((get(&row, 0)?, get(&row, 1)?)))
            .transpose()
    }

    async fn rows(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        columns: &[Column],
    ) -> Result<Vec<Vec<Cell>>, Failure> {
        query(self, sql, params)
            .await?
            .iter()
            .map(|row| {
                columns
                    .iter()
                    .enumerate()
                    .map(|(index, column)| {
                        Ok(match column {
                            Column::Text => Cell::Text(get(row, index)?),
                            Column::Int => Cell::Int(get(row, index)?),
                            Column::Bool => Cell::Bool(get(row, index)?),
                        })
                    })
                    .collect()
            })
            .collect()
    }
}

impl PlanStore for PostgresStore {
    async fn plan(
        &self,
        account: &AccountId,
        organization_id: &OrganizationId,
    ) -> Result<Option<StoredPlan>, StoreError> {
        transaction!(self, "reading a leaving plan", |tx| steps::reading(
            steps::plan(tx, &self.sql, account, organization_id)
        ))
    }

    async fn put_plan(&self, next: &StoredPlan) -> Result<Written, StoreError> {
        transaction!(self, "writing a leaving plan", |tx| steps::put_plan(
            tx, &self.sql, next
        ))
    }
}

impl Store for PostgresStore {
    // One statement, `organization_admit` (migrations 2 and 5): one round trip and its commit. The
    // steps SQLite runs (`steps::admit`) are its other spelling; the contract suite holds
    // both to the same answers.
    async fn admit(&self, admission: &NewEntry<'_>) -> Result<Reservation, StoreError> {
        let what = "admitting an entry";
        // The database draws the token (`organization_admit`); this one is replaced.
        let (provisional, columns) =
            steps::provisional(admission, ClientToken::from_random([0; 16]))
                .map_err(Failure::into_error)?;
        let keys: Vec<&UniquenessKey> = admission.keys.iter().collect();
        let sorted = steps::sorted_key_texts(&keys);
        let texts: Vec<&str> = sorted.iter().map(|(_, text)| text.as_str()).collect();
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let client = self.connection(what).await?;
            let attempt = async {
                let statement = client
                    .prepare_typed_cached(&self.sql.admit, ADMIT_TYPES)
                    .await
                    .map_err(|err| failure(what, err))?;
                let params: [&(dyn ToSql + Sync); 10] = [
                    &columns.account,
                    &columns.region,
                    &columns.alias,
                    &columns.alias_folded,
                    &columns.client_token,
                    &columns.spec,
                    &columns.mail_domains,
                    &columns.admitted_at,
                    &steps::default_limit(),
                    &texts,
                ];
                client
                    .query(&statement, &params)
                    .await
                    .map_err(|err| failure(what, err))
            }
            .await;
            let rows = match attempt {
                Ok(rows) => rows,
                Err(failed) => {
                    last = Some(retrying(failed, client)?);
                    continue;
                }
            };
            drop(client);
            match self.admitted(rows, &keys, &sorted, &provisional).await? {
                Some(reservation) => return Ok(reservation),
                // The entry that held the token was released before it could be read.
                None => last = Some(StoreError::msg(format!("{what}: the token changed hands"))),
            }
        }
        Err(last.unwrap_or_else(|| StoreError::msg(format!("{what}: no attempt ran"))))
    }

    async fn write(&self, next: &Entry) -> Result<Written, StoreError> {
        transaction!(self, "writing an entry", |tx| steps::write(
            tx, &self.sql, next
        ))
    }

    async fn release(&self, entry: &Entry) -> Result<Written, StoreError> {
        transaction!(self, "releasing an entry", |tx| steps::release(
            tx, &self.sql, entry
        ))
    }

    async fn entry(&self, id: EntryId) -> Result<Option<Entry>, StoreError> {
        transaction!(self, "reading an entry", |tx| steps::reading(steps::entry(
            tx, &self.sql, id
        )))
    }

    async fn by_organization_id(&self, id: &OrganizationId) -> Result<Option<Entry>, StoreError> {
        transaction!(self, "reading an entry by organization id", |tx| {
            steps::reading(steps::by_organization_id(tx, &self.sql, id))
        })
    }

    async fn holder(&self, key: &UniquenessKey) -> Result<Option<Holder>, StoreError> {
        transaction!(self, "reading a key's holder", |tx| steps::reading(
            steps::holder(tx, &self.sql, key)
        ))
    }

    async fn list(&self, listing: &Listing) -> Result<Vec<Entry>, StoreError> {
        transaction!(self, "listing entries", |tx| steps::reading(steps::list(
            tx, &self.sql, listing
        )))
    }

    async fn quota(&self, account: &AccountId) -> Result<Quota, StoreError> {
        transaction!(self, "reading a quota", |tx| steps::reading(
            steps::read_quota(tx, &self.sql, account)
        ))
    }

    async fn set_limit(&self, account: &AccountId, limit: Option<u64>) -> Result<(), StoreError> {
        transaction!(self, "setting a quota", |tx| steps::set_limit(
            tx, &self.sql, account, limit
        ))
    }
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.pool.status();
        f.debug_struct("PostgresStore")
            .field("size", &status.size)
            .field("available", &status.available)
            .field("max_size", &status.max_size)
            .finish_non_exhaustive()
    }
}
