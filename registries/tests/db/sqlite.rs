//! SQLite: one database file per test in a temporary directory, a connection per registry.

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use workmail_org::catalog::{RegistryError, Reservation};
use workmail_org::AliasRegistry;
use workmail_org_registries::rusqlite::{self, params, Connection, TransactionBehavior};
use workmail_org_registries::{SqliteAliasRegistry, StoreError};

use crate::contract::{self, alias, holder, ROUNDS, THREADS};

/// A directory of its own for one test's database, removed when the test ends.
struct TempDb {
    dir: PathBuf,
}

impl TempDb {
    /// A fresh directory, with the schema created in its database.
    fn migrated(test: &str) -> Self {
        let db = Self::empty(test);
        db.open().migrate().unwrap();
        db
    }

    /// A fresh directory; the database file does not exist yet.
    fn empty(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "workmail-org-registries-{}-{test}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDb { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.join("aliases.db")
    }

    /// A registry on a new connection.
    fn open(&self) -> SqliteAliasRegistry {
        SqliteAliasRegistry::open(self.path()).unwrap()
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn sixteen_connections_racing_for_one_alias_in_mixed_case_exactly_one_wins() {
    let db = TempDb::migrated("race");
    let figures = contract::race(|| db.open(), ROUNDS);
    assert_eq!(figures.rounds_with_one_winner, ROUNDS);
    assert_eq!(figures.threads, THREADS);
    eprintln!("sqlite race: {figures}");
}

#[test]
fn reservations_survive_a_restart() {
    let db = TempDb::migrated("restart");
    contract::reservations_survive_reconnect(|| db.open());
}

#[test]
fn release_is_the_holders_and_a_retry_is_already_held() {
    let db = TempDb::migrated("release");
    contract::release_and_retry(&db.open());
}

#[test]
fn catalog_checks_pass_unchanged() {
    let db = TempDb::migrated("catalog");
    contract::catalog_on_top(|| db.open());
}

#[test]
fn migrate_is_idempotent_and_turns_on_write_ahead_logging() {
    let db = TempDb::migrated("migrate");
    let registry = db.open();
    let who = holder("111122223333", "us-east-1", None);
    registry.reserve(&alias("acme"), who.clone()).unwrap();
    registry.migrate().unwrap();
    db.open().migrate().unwrap();
    assert_eq!(registry.holder(&alias("ACME")).unwrap(), Some(who));
    let mode: String = registry
        .connection()
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

/// Reserves on `registry` while another connection holds the write lock, committing that
/// connection's transaction 300 ms after the reservation started.
fn reserve_while_locked(
    db: &TempDb,
    registry: &SqliteAliasRegistry,
) -> Result<Reservation, RegistryError<workmail_org::catalog::AliasHolder>> {
    let mut blocker = Connection::open(db.path()).unwrap();
    let transaction = blocker
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    let (started, waiting) = mpsc::channel();
    thread::scope(|scope| {
        let reserving = scope.spawn(move || {
            started.send(()).unwrap();
            registry.reserve(&alias("acme"), holder("111122223333", "us-east-1", None))
        });
        waiting.recv().unwrap();
        thread::sleep(Duration::from_millis(300));
        transaction.commit().unwrap();
        reserving.join().unwrap()
    })
}

#[test]
fn a_held_write_lock_makes_a_reservation_wait_not_fail() {
    let db = TempDb::migrated("busy");
    let registry = db.open();
    assert_eq!(
        reserve_while_locked(&db, &registry).unwrap(),
        Reservation::New
    );
    // Without a busy timeout the same reservation fails at once: the timeout is what makes
    // losers wait.
    let impatient = Connection::open(db.path()).unwrap();
    impatient.busy_timeout(Duration::ZERO).unwrap();
    let impatient = SqliteAliasRegistry::from_connection(impatient);
    match reserve_while_locked(&db, &impatient) {
        Err(RegistryError::Backend(source)) => {
            assert!(
                source.to_string().contains("database is locked"),
                "{source}"
            )
        }
        other => panic!("expected a locked database, got {other:?}"),
    }
}

#[test]
fn database_errors_are_backend_errors_with_the_database_message() {
    // No `migrate`: the table is missing.
    let db = TempDb::empty("no-table");
    let registry = db.open();
    let err = registry
        .reserve(&alias("acme"), holder("111122223333", "us-east-1", None))
        .unwrap_err();
    let RegistryError::Backend(source) = &err else {
        panic!("expected a backend error, got {err:?}");
    };
    assert!(
        source.downcast_ref::<rusqlite::Error>().is_some(),
        "{source:?}"
    );
    assert_eq!(err.to_string(), "alias registry storage failed");
    assert!(
        source
            .to_string()
            .contains("no such table: organization_alias"),
        "{source}"
    );
}

#[track_caller]
fn invalid_column(err: RegistryError<workmail_org::catalog::AliasHolder>) -> &'static str {
    match err {
        RegistryError::Backend(source) => match source.downcast_ref::<StoreError>() {
            Some(StoreError::InvalidRow { column, .. }) => column,
            _ => panic!("expected an invalid row, got {source:?}"),
        },
        other => panic!("expected a backend error, got {other:?}"),
    }
}

#[test]
fn a_corrupted_row_is_a_backend_error_naming_the_column() {
    let db = TempDb::migrated("corrupt");
    let registry = db.open();
    registry
        .connection()
        .execute(
            "INSERT INTO organization_alias VALUES ($1, $2, $3, $4, $5)",
            params![
                "acme",
                "Acme",
                "111122223333",
                "mars-north-1",
                None::<String>
            ],
        )
        .unwrap();
    registry
        .connection()
        .execute(
            "INSERT INTO organization_alias VALUES ($1, $2, $3, $4, $5)",
            params![
                "globex",
                "Initech",
                "111122223333",
                "us-east-1",
                None::<String>
            ],
        )
        .unwrap();
    let rival = holder("444455556666", "us-east-1", None);
    assert_eq!(
        invalid_column(registry.holder(&alias("acme")).unwrap_err()),
        "region"
    );
    assert_eq!(
        invalid_column(registry.reserve(&alias("ACME"), rival.clone()).unwrap_err()),
        "region"
    );
    assert_eq!(
        invalid_column(registry.release(&alias("acme"), &rival).unwrap_err()),
        "region"
    );
    let err = registry.holder(&alias("globex")).unwrap_err();
    let RegistryError::Backend(source) = &err else {
        panic!("expected a backend error, got {err:?}");
    };
    assert_eq!(
        source.to_string(),
        "stored row \"globex\" of organization_alias has an invalid alias_folded: \"globex\" is not the folded form of the alias \"Initech\""
    );
    // The rows are left as they were.
    let rows: i64 = registry
        .connection()
        .query_row("SELECT count(*) FROM organization_alias", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(rows, 2);
}

#[test]
fn registries_are_send_and_sync() {
    contract::assert_send_sync::<SqliteAliasRegistry>();
    contract::assert_send_sync::<StoreError>();
}

#[test]
fn reservations_racing_releases_are_answered_right() {
    let db = TempDb::migrated("churn");
    contract::reserve_racing_release(|| db.open(), 300);
}
