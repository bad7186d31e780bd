//! # workmail-org-stores
//!
//! [`workmail_org`]'s [`Store`](workmail_org::catalog::store::Store) on real databases, so that
//! every uniqueness key, every organization and every account's quota are shared by all the
//! processes that create organizations, and survive their crashes and the database's
//! restarts: [`SqliteStore`] for the processes of one machine sharing a file,
//! [`PostgresStore`] for a service's fleet, and [`AnyStore`] for an engine chosen at run time
//! from a [`DatabaseUrl`]. A [`Catalog`](workmail_org::Catalog) works on any of them
//! unchanged, and one contract test suite holds them, and the library's `InMemoryStore`, to
//! the same answers.
//!
//! The stores are async and pooled: every call is a `Send` future that takes a connection
//! from the store's pool ([`StoreOptions`]: its size, and how long a call waits for a
//! connection) for one transaction. A tokio service (axum, hyper, tonic) opens one store at
//! start-up, shares it in an `Arc` or by reference, and awaits the catalog in its handlers:
//! no `spawn_blocking`, and no care where the store is created or dropped. The library stays
//! I/O-free; this crate is where the drivers are: tokio-postgres pooled by
//! deadpool-postgres, and rusqlite in deadpool's pool on tokio's blocking threads.
//!
//! ```
//! # #[cfg(feature = "sqlite")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use workmail_org::catalog::{Admission, AdmitError};
//! use workmail_org::{Catalog, OrganizationDraft, Rule};
//! use workmail_org_stores::{StoreOptions, SqliteStore};
//!
//! let dir = std::env::temp_dir().join(format!("stores-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let file = dir.join("organizations.db");
//! let store = SqliteStore::open(&file, &StoreOptions::default()).await?;
//! store.migrate().await?;
//!
//! // One account's catalog; a second process opens a store of its own on the file.
//! let catalog = Catalog::open("111122223333".parse()?, store);
//! let mut draft = OrganizationDraft::new("Acme", "us-east-1");
//! draft.client_token = Some("create-acme-1".into());
//! let spec = draft.validate()?;
//! let Admission::New(entry) = catalog.admit(&spec, 1_764_000_000).await? else {
//!     panic!("new")
//! };
//!
//! // After a restart, the same request is recognised by the store, not by memory.
//! let reopened = SqliteStore::open(&file, &StoreOptions::default()).await?;
//! let restarted = Catalog::open("111122223333".parse()?, reopened);
//! let again = restarted.admit(&spec, 1_764_000_060).await?;
//! assert_eq!(again, Admission::AlreadyAdmitted(entry));
//!
//! // Another account, another alias spelling: still taken.
//! let rival = Catalog::open("444455556666".parse()?, restarted.store());
//! let spec = OrganizationDraft::new("ACME", "eu-west-1").validate()?;
//! let Err(AdmitError::Rejected(rejection)) = rival.admit(&spec, 1_764_000_120).await else {
//!     panic!("the alias is taken");
//! };
//! assert!(rejection.violations().contains(Rule::AliasTaken));
//! # drop(rival);
//! # drop((catalog, restarted));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "sqlite"))]
//! # fn main() {}
//! ```
//!
//! ## The tables
//! The tables come from versioned migrations, recorded in `organization_migration`
//! (`version`, `name`): `migrate` runs the missing ones in order, each in the transaction
//! that records it, and many processes may run it at once (PostgreSQL: a transaction-scoped
//! advisory lock keyed by the schema; SQLite: the file's write lock). A later schema change
//! is a new migration. Every migration is recorded on both engines, and runs on both unless
//! its engine must differ:
//! 1. the three tables below, with `IF NOT EXISTS`, so it adopts a database made before
//!    migrations were versioned;
//! 2. PostgreSQL only: `organization_admit`, the whole admission as one function, so an
//!    admission is one statement, one round trip and one commit (below);
//! 3. SQLite only: the entry table made again with its two unique rules as partial indexes
//!    (`WHERE organization_id IS NOT NULL`, `WHERE client_token IS NOT NULL`) and the key
//!    table made again `WITHOUT ROWID`, so that an admission writes fewer pages; rows, ids
//!    and the id sequence kept.
//! 4. client tokens, sends and leases: the entry's columns of the recovery API;
//! 5. PostgreSQL only: an admission that draws the client token;
//! 6. leaving plans: `organization_leaving`, one row per account and organization id with the
//!    library's `Leaving` document (JSON, re-validated when read), a `version` for
//!    compare-and-set, and a lease (`lease_owner`, `lease_expires`) that every take raises the
//!    version with, so a holder whose lease was taken over cannot write (the library's
//!    `PlanStore`, and the catalog's `take_leaving` and `save_leaving`).
//!
//! The emulator's tables (feature `emulator`) are a track of their own, recorded in the same
//! table from version 1001 on and run by `migrate_emulator` only, under the same lock, so a
//! service's store never gets them:
//!
//! 1001. the emulator's state: seeded directories, faults, poll counts, tokens and failing
//!       domains (see the module `emulator`).
//! 1002. users, resources and mailbox export jobs: the entities seeded through the control
//!       API, every export job started, the running jobs per organization and the failures
//!       injected.
//!
//! A [`Namespace`] puts every table of a store in a PostgreSQL schema or behind an SQLite
//! prefix: the statements below write `{ns}` before a table's name and `{ix}` before an
//! index's, both empty without a namespace.
//!
//! Three tables, the same on both engines but for how an entry gets its id, written
//! `{ENTRY_ID}` below: SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT`, PostgreSQL's `bigint
//! GENERATED ALWAYS AS IDENTITY PRIMARY KEY`; neither reuses the id of a deleted entry.
//!
//! - `organization_account`: one row per account, with its quota (`NULL`: the library's
//!   `DEFAULT_ORGANIZATION_LIMIT`, 100) and its count of live organizations, kept by the
//!   same transactions that admit, delete and release entries.
//! - `organization_entry`: one row per entry, deleted ones kept as history. The spec is its
//!   JSON format, the request and the snapshot AWS's JSON; the organization id is unique, and
//!   so is the client token within an account and Region. The mail domains it holds now
//!   (the spec's, then as registered and deregistered) are a JSON array. The account,
//!   Region, alias (as spelled, and folded) and token are also kept as columns, for the
//!   indexes, for holders and for your own queries, and checked against the JSON when read.
//! - `organization_key`: one row per held key, its text ([`UniquenessKey`]'s `Display`,
//!   `alias/acme`, `domain/acme.com`, `directory/ACCOUNT/REGION/ID`) the primary key: **one
//!   unique index** decides every race, for aliases, mail domains and directories alike.
//!
//! ```sql
#![doc = include_str!("../sql/schema.sql")]
//! ```
//!
//! Every value read back goes through the library's parsers, and the entry through
//! `Entry::try_from`'s checks; a row that fails is a [`StoreError`] whose source is an
//! [`InvalidRow`] naming the table, the row and the column. The row is left as it is.
//! Database failures are store errors too, their source reading as the database's message:
//! `rusqlite::Error` on SQLite; on PostgreSQL the server's `tokio_postgres::error::DbError`
//! (with its SQLSTATE code) when it answered with an error, else the driver's error. The
//! catalog puts its operation and argument in front (`looking up alias "acme": reading a
//! key's holder`); print the whole source chain to see the server's own reason.
//!
//! ## Each call, one transaction
//! On SQLite each call is one `BEGIN IMMEDIATE` transaction, so calls take turns on the
//! file's write lock; a contending connection waits (up to its busy timeout) rather than
//! failing. On PostgreSQL each call is one `READ COMMITTED` transaction, ordered by row locks
//! and unique indexes, and run again on a deadlock, a serialization failure or a concurrent
//! admission with the same client token. Parameters are `$1`, `$2`, …: PostgreSQL numbers
//! them, SQLite reads them as names, and both bind the same values.
//!
//! **Admit.** On PostgreSQL, one call of `organization_admit` (migration 2), which runs the
//! steps below inside the server and answers in rows; on SQLite, the steps themselves, one
//! statement each. The contract suite holds both to the same answers. The client token
//! first: an entry of the account and Region with it is `TokenHeld`, and nothing changes.
//!
//! ```sql
#![doc = include_str!("../sql/token.sql")]
//! ```
//!
//! Then the quota, as the account's counter row: one more live organization, unless it is
//! full (`$2` is the default quota). On PostgreSQL the row stays locked until the
//! transaction ends, so the admissions of one account take turns from here.
//!
//! ```sql
#![doc = include_str!("../sql/claim.sql")]
//! ```
//!
//! Then the entry, which gets its id, and each key, in the order of their text (so that two
//! transactions never wait for each other in opposite orders), never a check followed by an
//! insert:
//!
//! ```sql
#![doc = include_str!("../sql/insert_entry.sql")]
//! ```
//!
//! ```sql
#![doc = include_str!("../sql/insert_key.sql")]
//! ```
//!
//! A key that was not inserted is held: its holder is read (PostgreSQL's insert waited for
//! the holder's transaction to end, and this statement's snapshot sees it). Every held key is
//! collected. Any held key, or a full quota, rolls the whole transaction back: the refusal
//! names every held key with its holder, and the quota when full.
//!
//! ```sql
#![doc = include_str!("../sql/holder.sql")]
//! ```
//!
//! **Write** (the next version of an entry: its request, organization id, snapshot, mail
//! domains) reads the stored version and whether it is live, and writes only over that
//! version; then the keys the entry holds are brought in line with what the new version
//! holds: missing ones inserted as above (a held one rolls back to `Written::Conflict`),
//! extra ones deleted. An entry reported `Deleted` holds no key and leaves the count.
//!
//! ```sql
#![doc = include_str!("../sql/update_entry.sql")]
//! ```
//!
//! **Release** raises the entry's version if it is still the one given (locking the row),
//! deletes its keys and the entry, and lowers the count if it was live.
//!
//! ```sql
#![doc = include_str!("../sql/retire.sql")]
//! ```
//!
//! **List** pages by id within an account, optionally one Region's entries, optionally only
//! the pending ones (no organization id yet) that last changed before a time:
//!
//! ```sql
#![doc = include_str!("../sql/list.sql")]
//! ```
//!
//! ## Crash safety, call by call
//! A process may die at any line; a transaction either committed or left nothing.
//! - **Admit**: committed, the entry is `reserved`, holding every key and counted; else
//!   nothing. A retry with the same client token finds the committed one
//!   (`AlreadyAdmitted`), so a commit whose answer was lost is not admitted twice.
//!   `Catalog::pending` lists what a crash left; `Catalog::release` frees it.
//! - **Sent** (a write): committed, the request is recorded and the entry `sent`: resume it
//!   (the same request, with its client token) or, once AWS shows no organization with the
//!   alias, release it. Not committed: the entry is still `reserved` and nothing was sent,
//!   since a service sends only after this call returns.
//! - **Created, record, mail domains** (writes): the new version and its keys, or the old
//!   ones; AWS's answers can be recorded again, each is idempotent.
//! - **Release**: the entry and every key gone, and the count lowered, or all still there.
//!
//! ## When the database restarts
//! - **PostgreSQL.** A call whose connection broke before it committed (a restart of the
//!   server, `pg_terminate_backend`) runs again on a new connection, and the pool drops the
//!   closed connections it gets back. While the server is down, calls fail within
//!   [`StoreOptions::acquire_timeout`] with a [`StoreError`] whose source chain holds the
//!   driver's error; once it is back, the same store works again, with nothing to reopen. A
//!   connection that breaks while committing leaves the outcome unknown: that call fails,
//!   and a retry finds what it did (the catalog's calls are safe to retry).
//! - **SQLite.** There is no server: a connection is a file handle, and a process that
//!   dies loses nothing committed.
//!
//! ## A command line
//! `examples/store.rs` is one account's store behind a command line, on either engine:
//! `cargo run -p workmail-org-stores --example store -- --database-url sqlite:///tmp/orgs.db
//! --account 111122223333 admit spec.json`, then `sent`, `created`, `record`, `pending`,
//! `release` and `list`. Its docs give every command, its output lines and exit statuses.
//!
//! ## Features
//! - `sqlite` (default): [`SqliteStore`], with SQLite compiled in (rusqlite's `bundled`, so
//!   no system library is needed).
//! - `postgres` (default): [`PostgresStore`], on tokio-postgres and deadpool-postgres.
//! - `emulator` (off): the state of `workmail-org-emulator`, the local WorkMail endpoint,
//!   on the same engines: the module `emulator` (its types, and `AnyStore::emulator` for its
//!   calls, each one transaction of the store), its tables made by `migrate_emulator` (on
//!   [`AnyStore`], [`SqliteStore`] and [`PostgresStore`]; in memory, nothing to make). It
//!   lives here rather than in the emulator so that one place owns every statement,
//!   migration, retry (`40001`, `40P01`), busy timeout, pool and driver, and the emulator
//!   shares its store's pool and namespace.
//!
//! A service on one engine turns the other off:
//! `workmail-org-stores = { default-features = false, features = ["sqlite"] }`. Either way
//! the stores need a tokio runtime (they spawn connection tasks and blocking calls on it).
//!
//! ## What this crate does not do
//! - No TLS out of the box: [`PostgresStore::connect`] uses none; build a
//!   `deadpool_postgres::Pool` with a TLS connector and pass it to
//!   [`PostgresStore::from_pool`].
//! - The alias-only table of earlier versions (`organization_alias`) is left alone.
//!
//! [`UniquenessKey`]: workmail_org::catalog::UniquenessKey
//! [`StoreError`]: workmail_org::catalog::store::StoreError
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod any;
#[cfg(feature = "emulator")]
pub mod emulator;
mod namespace;
mod options;
#[cfg(feature = "postgres")]
mod postgresql;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod row;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod steps;
mod url;

pub use any::{AnyStore, MemoryStore};
pub use namespace::{Namespace, NamespaceError};
pub use options::StoreOptions;
#[cfg(feature = "postgres")]
pub use postgresql::PostgresStore;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use row::InvalidRow;

#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;
pub use url::{DatabaseUrl, OpenError};

// The drivers and the pool, so callers build connections with the versions the stores use.
#[cfg(feature = "postgres")]
pub use deadpool_postgres;
#[cfg(feature = "sqlite")]
pub use rusqlite;
#[cfg(feature = "postgres")]
pub use tokio_postgres;
