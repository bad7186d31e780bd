//! # workmail-org-registries
//!
//! [`workmail_org`]'s [`AliasRegistry`](workmail_org::AliasRegistry) on real databases, so
//! that organization aliases are unique across every process that creates organizations:
//! [`SqliteAliasRegistry`] for the processes of one machine sharing a file,
//! [`PostgresAliasRegistry`] for a service's fleet. Both hold
//! [`AliasHolder`](workmail_org::catalog::AliasHolder)s, so a
//! [`Catalog`](workmail_org::Catalog) works on either unchanged.
//!
//! The library stays I/O-free; this crate is where the database drivers are, in its own
//! workspace member so the library's dependencies and build do not grow.
//!
//! ```
//! # #[cfg(feature = "sqlite")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use workmail_org::catalog::AdmitError;
//! use workmail_org::{Catalog, OrganizationDraft, Rule};
//! use workmail_org_registries::SqliteAliasRegistry;
//!
//! let dir = std::env::temp_dir().join(format!("registries-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let file = dir.join("aliases.db");
//! SqliteAliasRegistry::open(&file)?.migrate()?;
//!
//! // Two accounts' catalogs, each on its own connection to the shared file.
//! let connect = || SqliteAliasRegistry::open(&file);
//! let mut first = Catalog::with_registry("111122223333".parse()?, connect()?);
//! let mut second = Catalog::with_registry("444455556666".parse()?, connect()?);
//! first.admit(OrganizationDraft::new("Acme", "us-east-1").validate()?)?;
//!
//! let Err(AdmitError::Rejected(violations)) =
//!     second.admit(OrganizationDraft::new("ACME", "eu-west-1").validate()?)
//! else {
//!     panic!("the alias is taken");
//! };
//! assert!(violations.contains(Rule::AliasTaken));
//! # drop((first, second));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "sqlite"))]
//! # fn main() {}
//! ```
//!
//! ## The table and its statements
//! One row per reserved alias. Its key is the alias folded to ASCII lower case
//! ([`OrganizationAlias::to_canonical`](workmail_org::OrganizationAlias::to_canonical), the
//! same key the library's in-memory registry uses), so `Acme` and `ACME` collide on the
//! primary key, the unique index. The spelling is kept for messages, and the holder is
//! stored as columns. The same SQL runs on both engines (SQLite 3.39 or later, for
//! `IS NOT DISTINCT FROM`; PostgreSQL 9.5 or later, for `ON CONFLICT`):
//!
//! ```sql
#![doc = include_str!("../sql/schema.sql")]
//! ```
//!
//! **Reserve** (`$1` the folded alias, `$2` its spelling, `$3`–`$5` the holder): one atomic
//! statement, never a check followed by an insert.
//!
//! ```sql
#![doc = include_str!("../sql/reserve.sql")]
//! ```
//!
//! One row inserted is [`Reservation::New`](workmail_org::catalog::Reservation::New). None:
//! the alias is held, so read the holder; an equal holder is
//! [`Reservation::AlreadyHeld`](workmail_org::catalog::Reservation::AlreadyHeld) (a retry),
//! another is [`RegistryError::Taken`](workmail_org::catalog::RegistryError::Taken), naming
//! that holder and its spelling. If the row is gone by the time it is read (released in
//! between), the pair runs again.
//!
//! ```sql
#![doc = include_str!("../sql/holder.sql")]
//! ```
//!
//! **Release** deletes only the releasing holder's own row; when it deletes nothing, the same
//! read tells [`RegistryError::NotReserved`](workmail_org::catalog::RegistryError::NotReserved)
//! from [`RegistryError::HeldByOther`](workmail_org::catalog::RegistryError::HeldByOther).
//!
//! ```sql
#![doc = include_str!("../sql/release.sql")]
//! ```
//!
//! Every value read back goes through the library's parsers; a row that fails them (written
//! by another tool, say) is a
//! [`RegistryError::Backend`](workmail_org::catalog::RegistryError::Backend) whose source
//! is [`StoreError::InvalidRow`], naming the column. Database failures are backend errors
//! too, their source reading as the database's message: `rusqlite::Error` on SQLite;
//! on PostgreSQL the server's `postgres::error::DbError` (with its SQLSTATE code) when it
//! answered with an error, else the `postgres::Error` (a lost connection, say).
//!
//! On SQLite each call is one `BEGIN IMMEDIATE` transaction, and the file is switched to
//! write-ahead logging: a contending connection waits for the write lock (up to its busy
//! timeout) rather than failing with `SQLITE_BUSY`. On PostgreSQL each statement runs alone
//! in `READ COMMITTED`; see [`PostgresAliasRegistry`] for why the pair is two statements.
//!
//! ## Sync, and tokio services
//! [`AliasRegistry`](workmail_org::AliasRegistry) is synchronous, and so are these
//! registries: a call blocks its thread for one or two round trips to the database, and for
//! the commit's flush to disk when it reserves. The trait does not need an async form for
//! them, and this crate adds none:
//! - [`Catalog`](workmail_org::Catalog) calls its registry from `check`, `admit` and
//!   `remove`, which are synchronous and take `&mut self`. An async registry would need an
//!   async copy of the catalog too, not only a second trait.
//! - A reservation happens once per organization created, next to a `CreateOrganization`
//!   call that takes seconds. A few milliseconds on tokio's blocking pool cost a service
//!   nothing it would notice: run the catalog there,
//!   `tokio::task::spawn_blocking(move || catalog.lock().unwrap().admit(spec))`.
//! - The `postgres` driver blocks on a tokio runtime of its own, and calling it from inside
//!   an async task panics ("Cannot start a runtime from within a runtime"), so in a tokio
//!   service it goes through `spawn_blocking` (or a thread of its own) in any case.
//!
//! A service reserving thousands of aliases a second from async code would want the async
//! form: a second trait in the library beside the sync one (`async fn reserve` and the rest,
//! returning `Send` futures), an async admission on the catalog, and an implementation here
//! on `tokio-postgres`, which the `postgres` driver already wraps.
//!
//! ## Features
//! - `sqlite` (default): [`SqliteAliasRegistry`], with SQLite compiled in (rusqlite's
//!   `bundled`, so no system library is needed).
//! - `postgres` (default): [`PostgresAliasRegistry`], on the synchronous `postgres` driver.
//!
//! ## What this crate does not do
//! - It pools nothing and reconnects nothing: a registry is one connection. After a backend
//!   error from a dropped connection, make a new registry.
//! - No TLS out of the box: [`PostgresAliasRegistry::connect`] uses none; connect a client
//!   with a TLS connector and pass it to [`PostgresAliasRegistry::from_client`].
//! - It keeps no history: a released alias leaves no trace.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
#[cfg(feature = "postgres")]
mod postgresql;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod row;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use error::StoreError;
#[cfg(feature = "postgres")]
pub use postgresql::PostgresAliasRegistry;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteAliasRegistry;

// The drivers, so callers build connections with the versions the registries use.
#[cfg(feature = "postgres")]
pub use postgres;
#[cfg(feature = "sqlite")]
pub use rusqlite;
