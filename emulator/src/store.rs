//! Opening the emulator's database from a `--database-url`: the catalog's store and the
//! emulator's own state, side by side in one database.

use workmail_org::catalog::{InMemoryStore, Store};
use workmail_org_registries::DatabaseUrl;

use crate::state::{EmulatorState, InMemoryState};

/// A `--database-url` the emulator cannot open. The message names the database (never a
/// PostgreSQL password) and what went wrong.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OpenError(String);

/// The catalog's store and the emulator's state, kept in one database.
#[non_exhaustive]
pub struct Database {
    /// The catalog's store: organizations, keys, quota and client tokens.
    pub store: Box<dyn Store>,
    /// The emulator's own state: poll counters, tokens, faults and seeded directories.
    pub state: Box<dyn EmulatorState>,
}

/// The catalog's store and the emulator's state that a `--database-url` names:
/// - `memory:` (or nothing): both in this process's memory, gone when it ends;
/// - `sqlite://FILE`: both in one SQLite file, kept across restarts;
/// - `postgres://...` or `postgresql://...`: both in one PostgreSQL database, which several
///   emulator processes may share.
///
/// The tables are created when missing.
///
/// # Errors
/// [`OpenError`] for another scheme, a database that cannot be opened, or an engine this
/// build lacks (features `sqlite` and `postgres`).
pub fn open_database(url: Option<&str>) -> Result<Database, OpenError> {
    let url = url.unwrap_or("memory:");
    if url == "memory:" {
        return Ok(Database {
            store: Box::new(InMemoryStore::new()),
            state: Box::new(InMemoryState::new()),
        });
    }
    let parsed: DatabaseUrl = url
        .parse()
        .map_err(|err| OpenError(format!("{err}; the emulator also takes memory:")))?;
    let store = parsed
        .open_store()
        .map_err(|err| OpenError(err.to_string()))?;
    let state = open_state(&parsed)?;
    Ok(Database { store, state })
}

fn open_state(url: &DatabaseUrl) -> Result<Box<dyn EmulatorState>, OpenError> {
    let fail = |err: &dyn std::fmt::Display| OpenError(format!("the emulator's state: {err}"));
    match url {
        #[cfg(feature = "sqlite")]
        DatabaseUrl::Sqlite(path) => {
            let state = crate::state::SqliteState::open(path).map_err(|err| fail(&err))?;
            state.migrate().map_err(|err| fail(&err))?;
            Ok(Box::new(state))
        }
        #[cfg(feature = "postgres")]
        DatabaseUrl::Postgres(url) => {
            let state = crate::state::PostgresState::connect(url).map_err(|err| fail(&err))?;
            state.migrate().map_err(|err| fail(&err))?;
            Ok(Box::new(state))
        }
        #[allow(unreachable_patterns)]
        _ => Err(fail(
            &"this build lacks the engine's feature (sqlite or postgres)",
        )),
    }
}
