//! # workmail-org-registries
//!
//! [`workmail_org`]'s [`Store`](workmail_org::catalog::Store) on real databases, so that
//! every uniqueness key, every organization and every account's quota are shared by all the
//! processes that create organizations, and survive their crashes: [`SqliteStore`] for the
//! processes of one machine sharing a file, [`PostgresStore`] for a service's fleet. A
//! [`Catalog`](workmail_org::Catalog) works on either unchanged, and one contract test suite
//! holds both, and the library's `InMemoryStore`, to the same answers.
//!
//! The library stays I/O-free; this crate is where the database drivers are, in its own
//! workspace member so the library's dependencies and build do not grow.
//!
//! ```
//! # #[cfg(feature = "sqlite")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use workmail_org::catalog::{Admission, AdmitError};
//! use workmail_org::{Catalog, OrganizationDraft, Rule};
//! use workmail_org_registries::SqliteStore;
//!
//! let dir = std::env::temp_dir().join(format!("registries-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let file = dir.join("organizations.db");
//! SqliteStore::open(&file)?.migrate()?;
//!
//! // One account's catalog, on a connection of its own; a second process opens another.
//! let catalog = Catalog::open("111122223333".parse()?, SqliteStore::open(&file)?);
//! let mut draft = OrganizationDraft::new("Acme", "us-east-1");
//! draft.client_token = Some("create-acme-1".into());
//! let spec = draft.validate()?;
//! let Admission::New(entry) = catalog.admit(&spec, 1_764_000_000)? else { panic!("new") };
//!
//! // After a restart, the same request is recognised by the store, not by memory.
//! let restarted = Catalog::open("111122223333".parse()?, SqliteStore::open(&file)?);
//! assert_eq!(restarted.admit(&spec, 1_764_000_060)?, Admission::AlreadyAdmitted(entry));
//!
//! // Another account, another alias spelling: still taken.
//! let rival = Catalog::open("444455556666".parse()?, SqliteStore::open(&file)?);
//! let Err(AdmitError::Rejected(violations)) =
//!     rival.admit(&OrganizationDraft::new("ACME", "eu-west-1").validate()?, 1_764_000_120)
//! else {
//!     panic!("the alias is taken");
//! };
//! assert!(violations.contains(Rule::AliasTaken));
//! # drop((catalog, restarted, rival));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "sqlite"))]
//! # fn main() {}
//! ```
//!
//! ## The tables
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
//! `rusqlite::Error` on SQLite; on PostgreSQL the server's `postgres::error::DbError` (with
//! its SQLSTATE code) when it answered with an error, else the `postgres::Error`.
//!
//! ## Each call, one transaction
//! On SQLite each call is one `BEGIN IMMEDIATE` transaction, so calls take turns on the
//! file's write lock; a contending connection waits (up to its busy timeout) rather than
//! failing. On PostgreSQL each call is one `READ COMMITTED` transaction, ordered by row locks
//! and unique indexes, and run again on a deadlock, a serialization failure or a concurrent
//! admission with the same client token. Parameters are `$1`, `$2`, …: PostgreSQL numbers
//! them, SQLite reads them as names, and both bind the same values.
//!
//! **Admit.** The client token first: an entry of the account and Region with it is
//! `TokenHeld`, and nothing changes.
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
//! ## Sync, and tokio services
//! The library's `Store` is synchronous, and so are these stores: a call blocks its thread
//! for a few round trips to the database, and for the commit's flush to disk when it writes.
//! An admission happens once per organization created, next to a `CreateOrganization` call
//! that takes seconds, so a few milliseconds on tokio's blocking pool cost a service
//! nothing it would notice: share the catalog in an `Arc` and call it there,
//! `tokio::task::spawn_blocking(move || catalog.admit(&spec, now))`. The `postgres` driver
//! blocks on a tokio runtime of its own, and calling it from inside an async task panics
//! ("Cannot start a runtime from within a runtime"), so in a tokio service it goes through
//! `spawn_blocking` (or a thread of its own) in any case.
//!
//! ## A command line
//! `examples/store.rs` is one account's store behind a command line, on either engine:
//! `cargo run -p workmail-org-registries --example store -- --database-url sqlite:///tmp/orgs.db
//! --account 111122223333 admit spec.json`, then `sent`, `created`, `record`, `pending`,
//! `release` and `list`. Its docs give every command, its output lines and exit statuses.
//!
//! ## Features
//! - `sqlite` (default): [`SqliteStore`], with SQLite compiled in (rusqlite's `bundled`, so
//!   no system library is needed).
//! - `postgres` (default): [`PostgresStore`], on the synchronous `postgres` driver.
//!
//! A service on one engine turns the other off:
//! `workmail-org-registries = { default-features = false, features = ["sqlite"] }`.
//!
//! ## What this crate does not do
//! - It pools nothing and reconnects nothing: a store is one connection. After a store
//!   error from a dropped connection, open a new store.
//! - No TLS out of the box: [`PostgresStore::connect`] uses none; connect a client with a
//!   TLS connector and pass it to [`PostgresStore::from_client`].
//! - It migrates only from nothing: `migrate` creates what is missing and changes nothing
//!   that exists. The alias-only table of earlier versions (`organization_alias`) is left
//!   alone.
//!
//! [`UniquenessKey`]: workmail_org::catalog::UniquenessKey
//! [`StoreError`]: workmail_org::catalog::StoreError
#![forbid(unsafe_code)]
#![deny(missing_docs)]

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

#[cfg(feature = "postgres")]
pub use postgresql::PostgresStore;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use row::InvalidRow;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;
pub use url::{DatabaseUrl, OpenError};

// The drivers, so callers build connections with the versions the stores use.
#[cfg(feature = "postgres")]
pub use postgres;
#[cfg(feature = "sqlite")]
pub use rusqlite;
