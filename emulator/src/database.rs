//! Opening the emulator's database from a `--database-url`: one store for the catalog's
//! organizations and the emulator's own state, side by side in one database.

use workmail_org::catalog::store::StoreError;
use workmail_org_stores::{AnyStore, DatabaseUrl, Namespace, StoreOptions};

/// The namespace of an emulator's store unless `--namespace` names another: a PostgreSQL
/// schema, or a prefix of SQLite's table names. A service's store has none by default, so an
/// emulator and a service pointed at one database never see each other's rows.
pub const DEFAULT_NAMESPACE: &str = "workmail_emulator";

/// [`DEFAULT_NAMESPACE`], parsed.
pub fn default_namespace() -> Namespace {
    DEFAULT_NAMESPACE
        .parse()
        .expect("DEFAULT_NAMESPACE is a valid namespace (a unit test checks it)")
}

/// A `--database-url` the emulator cannot open. The message names the database (never a
/// PostgreSQL password) and what went wrong; the [`source`](std::error::Error::source)
/// chain holds the store's error and then the driver's, so print the whole chain to see the
/// server's own reason (such as `database "x" does not exist`).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DatabaseError(#[from] Repr);

#[derive(Debug, thiserror::Error)]
enum Repr {
    /// The URL names no database, or the catalog's store cannot be opened.
    #[error(transparent)]
    Store(#[from] workmail_org_stores::OpenError),
    /// The tables of the emulator's own state cannot be made.
    #[error("{database}: the emulator's state cannot be opened")]
    State {
        database: DatabaseUrl,
        #[source]
        source: StoreError,
    },
}

/// The store that a `--database-url` names, for the catalog and the emulator's state.
#[derive(Debug)]
#[non_exhaustive]
pub struct Database {
    /// The one store of an emulator: organizations, keys, quota and client tokens, and the
    /// emulator's own state (poll counters, tokens, faults and seeded directories), on one
    /// pool.
    pub store: AnyStore,
}

/// The store that a `--database-url` names, its tables made (the store's by `migrate`, then
/// the emulator's by `migrate_emulator`):
/// - `memory:` (or nothing): this process's memory, gone when it ends;
/// - `sqlite://FILE`: one SQLite file, kept across restarts;
/// - `postgres://...` or `postgresql://...`: one PostgreSQL database, which several emulator
///   processes may share.
///
/// Its one pool is sized and timed by `pool` (see [`StoreOptions`]), its tables in the
/// namespace `pool` names. Call it on a tokio runtime (the SQL stores need one).
///
/// # Errors
/// [`DatabaseError`] for another scheme, a database that cannot be opened, or an engine this
/// build lacks (features `sqlite` and `postgres`).
pub async fn open_database(
    url: Option<&str>,
    pool: &StoreOptions,
) -> Result<Database, DatabaseError> {
    let url: DatabaseUrl = url.unwrap_or("memory:").parse().map_err(Repr::Store)?;
    let store = url.open(pool).await.map_err(Repr::Store)?;
    store
        .migrate_emulator()
        .await
        .map_err(|source| Repr::State {
            database: url,
            source,
        })?;
    Ok(Database { store })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_default_namespace_is_valid() {
        assert_eq!(
            super::default_namespace().as_str(),
            super::DEFAULT_NAMESPACE
        );
    }
}
