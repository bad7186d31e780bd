//! PostgreSQL: the server `DATABASE_URL` names, each test in a schema of its own (through the
//! connection's `search_path`), so the tests run in parallel against one server.
//!
//! Without `DATABASE_URL` every test here fails, saying how to run them: they never pass by
//! skipping.

use workmail_org::catalog::{AliasHolder, RegistryError};
use workmail_org::AliasRegistry;
use workmail_org_registries::postgres::error::{DbError, SqlState};
use workmail_org_registries::postgres::{self, Client, Config, NoTls};
use workmail_org_registries::{PostgresAliasRegistry, StoreError};

use crate::contract::{self, alias, holder, ROUNDS, THREADS};

const HOW_TO_RUN: &str = "set DATABASE_URL to a PostgreSQL server, e.g. run: \
                          scripts/with-postgres.sh cargo test -p workmail-org-registries";

fn database_url() -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("{HOW_TO_RUN}"),
    }
}

fn connect(config: &Config) -> Client {
    config
        .connect(NoTls)
        .unwrap_or_else(|err| panic!("cannot connect to DATABASE_URL: {err}; {HOW_TO_RUN}"))
}

/// A schema of its own for one test, dropped when the test ends.
struct TestSchema {
    name: String,
    admin: Config,
    config: Config,
}

impl TestSchema {
    /// A fresh schema with the registry's table in it.
    fn migrated(test: &str) -> Self {
        let schema = Self::empty(test);
        schema.open().migrate().unwrap();
        schema
    }

    /// A fresh, empty schema.
    fn empty(test: &str) -> Self {
        let admin: Config = database_url()
            .parse()
            .unwrap_or_else(|err| panic!("DATABASE_URL does not parse: {err}; {HOW_TO_RUN}"));
        let name = format!("registries_{test}_{}", std::process::id());
        connect(&admin)
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .unwrap();
        let mut config = admin.clone();
        config.options(&format!("-c search_path={name}"));
        TestSchema {
            name,
            admin,
            config,
        }
    }

    /// A client on a new connection, in this schema.
    fn client(&self) -> Client {
        connect(&self.config)
    }

    /// A registry on a new connection, in this schema.
    fn open(&self) -> PostgresAliasRegistry {
        PostgresAliasRegistry::from_client(self.client())
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        if let Ok(mut admin) = self.admin.connect(NoTls) {
            let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

#[test]
fn sixteen_connections_racing_for_one_alias_in_mixed_case_exactly_one_wins() {
    let schema = TestSchema::migrated("race");
    let figures = contract::race(|| schema.open(), ROUNDS);
    assert_eq!(figures.rounds_with_one_winner, ROUNDS);
    assert_eq!(figures.threads, THREADS);
    eprintln!("postgresql race: {figures}");
}

#[test]
fn reservations_survive_a_reconnect() {
    let schema = TestSchema::migrated("reconnect");
    contract::reservations_survive_reconnect(|| schema.open());
}

#[test]
fn release_is_the_holders_and_a_retry_is_already_held() {
    let schema = TestSchema::migrated("release");
    contract::release_and_retry(&schema.open());
}

#[test]
fn catalog_checks_pass_unchanged() {
    let schema = TestSchema::migrated("catalog");
    contract::catalog_on_top(|| schema.open());
}

#[test]
fn reservations_racing_releases_are_answered_right() {
    let schema = TestSchema::migrated("churn");
    contract::reserve_racing_release(|| schema.open(), 300);
}

#[test]
fn migrate_is_idempotent() {
    let schema = TestSchema::migrated("migrate");
    let registry = schema.open();
    let who = holder("111122223333", "us-east-1", None);
    registry.reserve(&alias("acme"), who.clone()).unwrap();
    registry.migrate().unwrap();
    schema.open().migrate().unwrap();
    assert_eq!(registry.holder(&alias("ACME")).unwrap(), Some(who));
}

#[test]
fn the_folded_alias_is_the_unique_index() {
    let schema = TestSchema::migrated("index");
    let unique: bool = schema
        .client()
        .query_one(
            "SELECT i.indisunique FROM pg_index i \
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
             WHERE i.indrelid = 'organization_alias'::regclass AND a.attname = 'alias_folded'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(unique);
}

#[track_caller]
fn backend_source(
    err: &RegistryError<AliasHolder>,
) -> &(dyn std::error::Error + Send + Sync + 'static) {
    match err {
        RegistryError::Backend(source) => &**source,
        other => panic!("expected a backend error, got {other:?}"),
    }
}

#[test]
fn database_errors_are_backend_errors_with_the_database_message() {
    // No `migrate`: the table is missing.
    let schema = TestSchema::empty("no_table");
    let registry = schema.open();
    let err = registry
        .reserve(&alias("acme"), holder("111122223333", "us-east-1", None))
        .unwrap_err();
    assert_eq!(err.to_string(), "alias registry storage failed");
    // The source is the server's own error: its code, and its message as it reads.
    let source = backend_source(&err);
    let db_error = source
        .downcast_ref::<DbError>()
        .unwrap_or_else(|| panic!("expected the server's error, got {source:?}"));
    assert_eq!(*db_error.code(), SqlState::UNDEFINED_TABLE);
    assert_eq!(
        source.to_string(),
        "ERROR: relation \"organization_alias\" does not exist"
    );
}

#[test]
fn a_dropped_connection_is_a_backend_error() {
    let schema = TestSchema::migrated("dropped");
    let registry = schema.open();
    let pid: i32 = registry
        .client()
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    schema
        .client()
        .execute("SELECT pg_terminate_backend($1)", &[&pid])
        .unwrap();
    let err = registry.holder(&alias("acme")).unwrap_err();
    assert!(
        backend_source(&err)
            .downcast_ref::<postgres::Error>()
            .is_some(),
        "{err:?}"
    );
    // A new registry on a new connection carries on.
    assert_eq!(schema.open().holder(&alias("acme")).unwrap(), None);
}

#[test]
fn a_corrupted_row_is_a_backend_error_naming_the_column() {
    let schema = TestSchema::migrated("corrupt");
    schema
        .client()
        .batch_execute(
            "INSERT INTO organization_alias VALUES ('acme', 'Acme', '1111', 'us-east-1', NULL); \
             INSERT INTO organization_alias VALUES ('globex', 'globex', '111122223333', 'us-east-1', 'two words')",
        )
        .unwrap();
    let registry = schema.open();
    let cases = [
        (registry.holder(&alias("ACME")).map(drop), "account"),
        (
            registry
                .reserve(&alias("acme"), holder("444455556666", "us-east-1", None))
                .map(drop),
            "account",
        ),
        (registry.holder(&alias("globex")).map(drop), "client_token"),
    ];
    for (result, column) in cases {
        let err = result.unwrap_err();
        match backend_source(&err).downcast_ref::<StoreError>() {
            Some(StoreError::InvalidRow { column: got, .. }) => assert_eq!(*got, column),
            _ => panic!("expected an invalid {column}, got {err:?}"),
        }
    }
}

#[test]
fn registries_are_send_and_sync() {
    contract::assert_send_sync::<PostgresAliasRegistry>();
}
