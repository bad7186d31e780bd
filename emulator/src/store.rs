//! Opening the catalog's store from a `--database-url`.

use workmail_org::catalog::{InMemoryStore, Store};

/// A `--database-url` the emulator cannot open.
#[derive(Debug, thiserror::Error)]
#[error("database URL {url:?}: {problem}")]
pub struct OpenError {
    url: String,
    problem: String,
}

/// The store a `--database-url` names: `memory:` (or nothing) is the in-memory store of this
/// process.
///
/// # Errors
/// [`OpenError`] for `sqlite://FILE` and `postgres://...`, whose stores are not in this
/// build yet, and for any other scheme.
pub fn open_store(url: Option<&str>) -> Result<Box<dyn Store>, OpenError> {
    let url = url.unwrap_or("memory:");
    let fail = |problem: &str| OpenError {
        url: url.to_owned(),
        problem: problem.to_owned(),
    };
    if url == "memory:" {
        return Ok(Box::new(InMemoryStore::new()));
    }
    if url.starts_with("sqlite://")
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://")
    {
        // merge: open `SqliteStore::open(path)?` then `.migrate()?` for sqlite://FILE, and
        // `PostgresStore::connect(url)?` then `.migrate()?` for postgres://, from the
        // registries member; the emulator's own state then goes in the same database:
        // `SqliteState::open(path)?` / `PostgresState::connect(url)?`, then `.migrate()?`,
        // passed to `Emulator::new` in main.rs instead of `InMemoryState`.
        return Err(fail(
            "this build has only the in-memory store (memory:); SQLite and PostgreSQL come with the registries member",
        ));
    }
    Err(fail("expected memory:, sqlite://FILE or postgres://..."))
}
