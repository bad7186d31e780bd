//! Opening the emulator's database from a `--database-url`: the catalog's store and the
//! emulator's own state, side by side in one database.

use workmail_org_stores::{AnyStore, DatabaseUrl, Namespace, StoreOptions};

use crate::state::{EmulatorState, InMemoryState, StateError};

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
pub struct OpenError(#[from] Repr);

#[derive(Debug, thiserror::Error)]
enum Repr {
    /// The URL names no database, or the catalog's store cannot be opened.
    #[error(transparent)]
    Store(#[from] workmail_org_stores::OpenError),
    /// The emulator's own state cannot be opened.
    #[error("{database}: the emulator's state cannot be opened")]
    State {
        database: DatabaseUrl,
        #[source]
        source: StateError,
    },
}

/// The catalog's store and the emulator's state, kept in one database.
#[non_exhaustive]
pub struct Database {
    /// The catalog's store: organizations, keys, quota and client tokens.
    pub store: AnyStore,
    /// The emulator's own state: poll counters, tokens, faults and seeded directories.
    ///
    /// A `PostgresState` is on the synchronous `postgres` client, which panics when it is
    /// dropped on a tokio worker thread: hand it to an [`Emulator`](crate::Emulator) (which
    /// drops it safely), or drop it off the runtime.
    pub state: Box<dyn EmulatorState>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

/// The catalog's store and the emulator's state that a `--database-url` names:
/// - `memory:` (or nothing): both in this process's memory, gone when it ends;
/// - `sqlite://FILE`: both in one SQLite file, kept across restarts;
/// - `postgres://...` or `postgresql://...`: both in one PostgreSQL database, which several
///   emulator processes may share.
///
/// The store's pool is sized and timed by `pool` (see [`StoreOptions`]). The tables are
/// created when missing. Call it on a tokio runtime (the SQL stores need one); the state's
/// synchronous clients are opened on its blocking threads.
///
/// # Errors
/// [`OpenError`] for another scheme, a database that cannot be opened, or an engine this
/// build lacks (features `sqlite` and `postgres`).
pub async fn open_database(url: Option<&str>, pool: &StoreOptions) -> Result<Database, OpenError> {
    let url: DatabaseUrl = url.unwrap_or("memory:").parse().map_err(Repr::Store)?;
    let store = url.open(pool).await.map_err(Repr::Store)?;
    let state = if url == DatabaseUrl::Memory {
        Box::new(InMemoryState::new())
    } else {
        let opening = url.clone();
        tokio::task::spawn_blocking(move || open_state(&opening))
            .await
            .unwrap_or_else(|err| Err(StateError(format!("opening failed: {err}"))))
            .map_err(|source| Repr::State {
                database: url,
                source,
            })?
    };
    Ok(Database { store, state })
}

/// The state `url` names, its tables created: on a thread that may block.
fn open_state(url: &DatabaseUrl) -> Result<Box<dyn EmulatorState>, StateError> {
    match url {
        #[cfg(feature = "sqlite")]
        DatabaseUrl::Sqlite(path) => {
            let state = crate::state::SqliteState::open(path)?;
            state.migrate()?;
            Ok(Box::new(state))
        }
        #[cfg(feature = "postgres")]
        DatabaseUrl::Postgres(url) => {
            let state = crate::state::PostgresState::connect(url)?;
            state.migrate()?;
            Ok(Box::new(state))
        }
        #[allow(unreachable_patterns)]
        _ => Err(StateError(
            "this build lacks the engine's feature (sqlite or postgres)".into(),
        )),
    }
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
