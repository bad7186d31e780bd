//! The registries against real databases: SQLite files in a temporary directory, and the
//! PostgreSQL server named by `DATABASE_URL` (`scripts/with-postgres.sh` starts a throwaway
//! one). One test crate, a module per engine, and the checks both share in `contract`.

#[allow(dead_code)] // each engine uses a different subset
mod contract;

#[cfg(feature = "postgres")]
mod postgresql;
#[cfg(feature = "sqlite")]
mod sqlite;
