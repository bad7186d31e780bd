//! The store on PostgreSQL.

use std::fmt;
use std::sync::{Mutex, MutexGuard};

use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Row, Transaction};
use workmail_org::catalog::StoreError;

use crate::row::{EntryRow, HolderRow};
use crate::sql;
use crate::steps::{self, Failure, Finish, Tx, Value, ATTEMPTS};

/// The unique constraint on `(account, region, client_token)`: a violation of it is a
/// concurrent admission with the same token, which a retry finds.
const TOKEN_CONSTRAINT: &str = "organization_entry_token";

/// A [`Store`](workmail_org::catalog::Store) in PostgreSQL tables, for every process of a service's fleet.
///
/// One value is one connection, behind a mutex: give each thread its own store (or a small
/// pool of them). Every call is one `READ COMMITTED` transaction, each statement one round
/// trip with its parameter types given, so nothing is prepared first. An admission locks its
/// account's counter row first, so the admissions of one account take turns; keys go in in
/// the order of their text, so two admissions never wait for each other's keys in opposite
/// orders. A transaction that still meets a deadlock (`40P01`), a serialization failure
/// (`40001`) or a concurrent admission with the same client token runs again from the
/// start, up to 16 times.
///
/// The driver blocks the calling thread on a runtime of its own, so calling it from inside
/// an async task panics; see the [crate docs](crate#sync-and-tokio-services).
///
/// ```no_run
/// use workmail_org::catalog::Admission;
/// use workmail_org::{Catalog, OrganizationDraft};
/// use workmail_org_registries::PostgresStore;
///
/// let store = PostgresStore::connect("postgresql://postgres@/postgres?host=/run/postgresql")?;
/// store.migrate()?;
/// let catalog = Catalog::open("111122223333".parse()?, store);
/// let spec = OrganizationDraft::new("Acme", "us-east-1").validate()?;
/// assert!(matches!(catalog.admit(&spec, 1_764_000_000)?, Admission::New(_)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PostgresStore {
    client: Mutex<Client>,
}

impl PostgresStore {
    /// Connects without TLS, e.g. to `postgresql://postgres@/postgres?host=/run/postgresql`
    /// (a unix socket) or `host=127.0.0.1 user=registry dbname=organizations` (the key-value
    /// form); for TLS, connect a [`Client`] yourself and use
    /// [`from_client`](Self::from_client).
    ///
    /// Call [`migrate`](Self::migrate) once before the first admission.
    ///
    /// # Errors
    /// The driver's error when the parameters do not parse or the server refuses.
    pub fn connect(params: &str) -> Result<Self, postgres::Error> {
        Ok(Self::from_client(Client::connect(params, NoTls)?))
    }

    /// A store on a client the caller connected. The tables are looked up through the
    /// client's `search_path`, so a schema per tenant or per test is a connection option
    /// (`options=-csearch_path=NAME`).
    pub fn from_client(client: Client) -> Self {
        PostgresStore {
            client: Mutex::new(client),
        }
    }

    /// Creates the tables and indexes that are missing; idempotent.
    ///
    /// Run it from one process before the others start: PostgreSQL's `CREATE TABLE IF NOT
    /// EXISTS` is not safe against itself running concurrently.
    ///
    /// # Errors
    /// The driver's error, e.g. when the role may not create tables.
    pub fn migrate(&self) -> Result<(), postgres::Error> {
        self.lock().batch_execute(&sql::schema(
            "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        ))
    }

    /// The client, for the caller's own queries.
    ///
    /// The guard holds the store's lock: drop it before the next store call on this thread,
    /// or that call deadlocks.
    pub fn client(&self) -> MutexGuard<'_, Client> {
        self.lock()
    }

    fn lock(&self) -> MutexGuard<'_, Client> {
        // A panic while the lock was held left no transaction open: `Transaction` rolls back
        // when dropped.
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `step` in one transaction, committing or rolling back as it says, and again (up
    /// to [`ATTEMPTS`] times) when it or the commit meets another transaction.
    fn run<T>(
        &self,
        what: &str,
        mut step: impl FnMut(&mut Transaction<'_>) -> Result<Finish<T>, Failure>,
    ) -> Result<T, StoreError> {
        let mut client = self.lock();
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let attempt = client
                .transaction()
                .map_err(|err| failure(what, err))
                .and_then(|mut transaction| match step(&mut transaction)? {
                    Finish::Commit(done) => transaction
                        .commit()
                        .map(|()| done)
                        .map_err(|err| failure(what, err)),
                    Finish::Rollback(done) => transaction
                        .rollback()
                        .map(|()| done)
                        .map_err(|err| failure(what, err)),
                });
            match attempt {
                Ok(done) => return Ok(done),
                Err(Failure::Fatal(err)) => return Err(err),
                Err(Failure::Retry(err)) => last = Some(err),
            }
        }
        Err(last.unwrap_or_else(|| StoreError::msg(format!("{what}: no attempt ran"))))
    }
}

/// A driver error as a failure: a retry for what another transaction caused, fatal
/// otherwise. The source is the server's own error ([`DbError`](postgres::error::DbError):
/// SQLSTATE code, message, detail) when it answered with one, else the driver's.
fn failure(what: &str, err: postgres::Error) -> Failure {
    let Some(db) = err.as_db_error() else {
        return Failure::Fatal(StoreError::new(what, err));
    };
    let retry = *db.code() == SqlState::T_R_DEADLOCK_DETECTED
        || *db.code() == SqlState::T_R_SERIALIZATION_FAILURE
        || (*db.code() == SqlState::UNIQUE_VIOLATION && db.constraint() == Some(TOKEN_CONSTRAINT));
    let err = StoreError::new(what, db.clone());
    if retry {
        Failure::Retry(err)
    } else {
        Failure::Fatal(err)
    }
}

fn query(tx: &mut Transaction<'_>, sql: &str, params: &[Value<'_>]) -> Result<Vec<Row>, Failure> {
    tx.query_typed(sql, &typed(params))
        .map_err(|err| failure("running a statement", err))
}

fn first(
    tx: &mut Transaction<'_>,
    sql: &str,
    params: &[Value<'_>],
) -> Result<Option<Row>, Failure> {
    Ok(query(tx, sql, params)?.into_iter().next())
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

fn get<'r, T: postgres::types::FromSql<'r>>(row: &'r Row, index: usize) -> Result<T, Failure> {
    row.try_get(index)
        .map_err(|err| failure("reading a column", err))
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
    })
}

impl Tx for Transaction<'_> {
    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, Failure> {
        self.execute_typed(sql, &typed(params))
            .map_err(|err| failure("running a statement", err))
    }

    fn int(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Option<i64>, Failure> {
        first(self, sql, params)?
            .map(|row| get(&row, 0))
            .transpose()
    }

    fn texts(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Vec<String>, Failure> {
        query(self, sql, params)?
            .iter()
            .map(|row| get(row, 0))
            .collect()
    }

    fn entries(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Vec<EntryRow>, Failure> {
        query(self, sql, params)?.iter().map(entry_row).collect()
    }

    fn holder(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Option<HolderRow>, Failure> {
        first(self, sql, params)?
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

    fn version_live(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Option<(i64, bool)>, Failure> {
        first(self, sql, params)?
            .map(|row| Ok((get(&row, 0)?, get(&row, 1)?)))
            .transpose()
    }

    fn quota_row(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Option<(i64, Option<i64>)>, Failure> {
        first(self, sql, params)?
            .map(|row| Ok((get(&row, 0)?, get(&row, 1)?)))
            .transpose()
    }
}

steps::store_on_steps!(PostgresStore);

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let closed = self.client.try_lock().ok().map(|client| client.is_closed());
        f.debug_struct("PostgresStore")
            .field("closed", &closed)
            .finish_non_exhaustive()
    }
}
