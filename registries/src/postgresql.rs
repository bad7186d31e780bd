//! The alias registry on PostgreSQL.

use std::fmt;
use std::sync::{Mutex, MutexGuard};

use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls};
use workmail_org::catalog::{AliasHolder, RegistryError, Reservation};
use workmail_org::{AliasRegistry, OrganizationAlias};

use crate::row::{self, holder_columns, release_outcome, reserve_outcome, settle, StoredRow};

/// An [`AliasRegistry`] in a PostgreSQL table, for every process of a service.
///
/// One value is one connection, behind a mutex: give each thread its own registry (or a
/// small pool of them). Each statement runs on its own (autocommit, `READ COMMITTED`) in one
/// round trip, with its parameter types given so nothing is prepared first.
///
/// A reservation is the `INSERT … ON CONFLICT (alias_folded) DO NOTHING`; when it inserted
/// nothing, a second statement reads the holder. PostgreSQL makes a conflicting insert wait
/// until the transaction that inserted the row commits, and the read that follows takes a
/// new snapshot, so it sees the winner. (Both in one statement would not: a `WITH … INSERT`
/// reads from the snapshot taken before the wait, which misses the winner's row.) Should
/// the alias be released between the two statements, the pair runs again, up to eight
/// times before failing with [`StoreError::Unsettled`](crate::StoreError::Unsettled).
///
/// The driver blocks the calling thread on a runtime of its own, so calling it from inside
/// an async task panics; see the [crate docs](crate#sync-and-tokio-services).
///
/// ```no_run
/// use workmail_org::catalog::{AliasHolder, Reservation};
/// use workmail_org::AliasRegistry;
/// use workmail_org_registries::PostgresAliasRegistry;
///
/// let registry = PostgresAliasRegistry::connect("postgresql://postgres@/postgres?host=/run/postgresql")?;
/// registry.migrate()?;
/// let holder = AliasHolder::new("111122223333".parse()?, "us-east-1".parse()?, None);
/// assert_eq!(registry.reserve(&"Acme".parse()?, holder)?, Reservation::New);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PostgresAliasRegistry {
    client: Mutex<Client>,
}

impl PostgresAliasRegistry {
    /// Connects without TLS, e.g. to `postgresql://postgres@/postgres?host=/run/postgresql`
    /// (a unix socket) or `host=127.0.0.1 user=registry dbname=aliases` (the key-value form);
    /// for TLS, connect a [`Client`] yourself and use [`from_client`](Self::from_client).
    ///
    /// Call [`migrate`](Self::migrate) once before the first reservation.
    ///
    /// # Errors
    /// The driver's error when the parameters do not parse or the server refuses.
    pub fn connect(params: &str) -> Result<Self, postgres::Error> {
        Ok(Self::from_client(Client::connect(params, NoTls)?))
    }

    /// A registry on a client the caller connected. The table is looked up through the
    /// client's `search_path`, so a schema per tenant or per test is a connection option
    /// (`options=-csearch_path=NAME`).
    pub fn from_client(client: Client) -> Self {
        PostgresAliasRegistry {
            client: Mutex::new(client),
        }
    }

    /// Creates the `organization_alias` table if it is missing; idempotent.
    ///
    /// Run it from one process before the others start: PostgreSQL's `CREATE TABLE IF NOT
    /// EXISTS` is not safe against itself running concurrently.
    ///
    /// # Errors
    /// The driver's error, e.g. when the role may not create tables.
    pub fn migrate(&self) -> Result<(), postgres::Error> {
        self.lock().batch_execute(row::SCHEMA)
    }

    /// The client, for the caller's own queries.
    ///
    /// The guard holds the registry's lock: drop it before the next registry call on this
    /// thread, or that call deadlocks.
    pub fn client(&self) -> MutexGuard<'_, Client> {
        self.lock()
    }

    fn lock(&self) -> MutexGuard<'_, Client> {
        // Every call is a single statement in autocommit: a panic in between leaves no
        // transaction open.
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A driver error as the registry's backend error: the server's own error
/// ([`DbError`](postgres::error::DbError): SQLSTATE code, message, detail) when the server
/// answered with one, so the backend error's source reads as the database's message; any
/// other failure (connection lost, bad parameters) as the [`postgres::Error`] itself.
fn backend(err: postgres::Error) -> RegistryError<AliasHolder> {
    match err.as_db_error() {
        Some(db_error) => row::backend(db_error.clone()),
        None => row::backend(err),
    }
}

/// The alias and holder stored under `key`, validated.
fn read_holder(
    client: &mut Client,
    key: &str,
) -> Result<Option<(OrganizationAlias, AliasHolder)>, RegistryError<AliasHolder>> {
    let Some(found) = client
        .query_typed_opt(row::HOLDER, &[(&key, Type::TEXT)])
        .map_err(backend)?
    else {
        return Ok(None);
    };
    let stored = StoredRow {
        alias_folded: found.try_get(0).map_err(backend)?,
        alias: found.try_get(1).map_err(backend)?,
        account: found.try_get(2).map_err(backend)?,
        region: found.try_get(3).map_err(backend)?,
        client_token: found.try_get(4).map_err(backend)?,
    };
    stored.decode().map(Some).map_err(row::backend)
}

impl AliasRegistry for PostgresAliasRegistry {
    type Holder = AliasHolder;

    fn reserve(
        &self,
        alias: &OrganizationAlias,
        holder: AliasHolder,
    ) -> Result<Reservation, RegistryError<AliasHolder>> {
        let key = alias.to_canonical();
        let (account, region, token) = holder_columns(&holder);
        let params: [(&(dyn ToSql + Sync), Type); 5] = [
            (&key, Type::TEXT),
            (&alias.as_str(), Type::TEXT),
            (&account, Type::TEXT),
            (&region, Type::TEXT),
            (&token, Type::TEXT),
        ];
        let mut client = self.lock();
        settle(alias, || {
            let inserted = client
                .execute_typed(row::RESERVE, &params)
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(Some(Reservation::New));
            }
            reserve_outcome(&holder, read_holder(&mut client, &key)?).transpose()
        })
    }

    fn release(
        &self,
        alias: &OrganizationAlias,
        holder: &AliasHolder,
    ) -> Result<(), RegistryError<AliasHolder>> {
        let key = alias.to_canonical();
        let (account, region, token) = holder_columns(holder);
        let params: [(&(dyn ToSql + Sync), Type); 4] = [
            (&key, Type::TEXT),
            (&account, Type::TEXT),
            (&region, Type::TEXT),
            (&token, Type::TEXT),
        ];
        let mut client = self.lock();
        settle(alias, || {
            let deleted = client
                .execute_typed(row::RELEASE, &params)
                .map_err(backend)?;
            if deleted == 1 {
                return Ok(Some(()));
            }
            release_outcome(alias, holder, read_holder(&mut client, &key)?).transpose()
        })
    }

    fn holder(
        &self,
        alias: &OrganizationAlias,
    ) -> Result<Option<AliasHolder>, RegistryError<AliasHolder>> {
        let mut client = self.lock();
        Ok(read_holder(&mut client, &alias.to_canonical())?.map(|(_, holder)| holder))
    }
}

impl fmt::Debug for PostgresAliasRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let closed = self.client.try_lock().ok().map(|client| client.is_closed());
        f.debug_struct("PostgresAliasRegistry")
            .field("closed", &closed)
            .finish_non_exhaustive()
    }
}
