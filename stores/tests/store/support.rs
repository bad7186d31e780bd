//! The engines under test, each a way to open new stores (each its own pool of connections)
//! on one fresh database, and the specs and snapshots the tests use.

#![allow(dead_code)] // each feature set uses a different part

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::json;
use workmail_org::aws::{CreateOrganizationResponse, ListOrganizationsResponse, Organization};
use workmail_org::catalog::store::{Store, StoreError};
use workmail_org::catalog::{CatalogError, Entry, EntryId, Lookup, LookupStep, Release};
use workmail_org::{AccountId, Catalog, OrganizationSpec};
use workmail_org_stores::AnyStore;

/// An engine with one fresh database: every `open` is a new store on it, with a pool of its
/// own (another process, as far as the database can tell).
pub trait Engine: Send + Sync {
    /// A new store (for the in-memory engine, a new handle on its one store).
    fn open(&self) -> impl Future<Output = Arc<AnyStore>> + Send;

    /// Every row of the key table, `(key, entry id)`, read straight from the database; `None`
    /// for the in-memory store, whose keys are not reachable from outside.
    fn key_rows(&self) -> impl Future<Output = Option<Vec<(String, u64)>>> + Send;

    /// How many keys the key table holds, and how many of them belong to no live entry;
    /// `None` for the in-memory store.
    fn key_counts(&self) -> impl Future<Output = Option<(u64, u64)>> + Send;

    /// Runs SQL straight on the database, as another tool would.
    fn execute_sql(&self, sql: &str) -> impl Future<Output = ()> + Send;

    /// What a child process needs in its environment to open the same database.
    fn child_env(&self) -> Vec<(&'static str, String)>;

    /// Waits until the database has ended every session of process `pid`, a child killed
    /// with SIGKILL: a PostgreSQL backend goes on with what it already received (a
    /// `COMMIT`, say) until it finds its client gone, so what a killed child did is settled
    /// only then. SQLite has no sessions: a dead process holds no lock.
    fn settle(&self, pid: u32) -> impl Future<Output = ()> + Send;

    /// Runs the engine's `migrate` on a new store.
    fn migrate(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every row of the migration table ([`MIGRATION_ROWS`]), or `None` when there is no
    /// such table (and for the in-memory store).
    fn migrations(&self) -> impl Future<Output = Option<Vec<(i64, String)>>> + Send;

    /// The schema as the stores made it before migrations were versioned
    /// ([`OLD_SCHEMA`] with the engine's `{ENTRY_ID}`).
    fn old_schema(&self) -> String;
}

/// A catalog of `account` on a new store of `engine`.
pub async fn catalog(engine: &impl Engine, account: &str) -> Catalog<Arc<AnyStore>> {
    Catalog::open(account.parse().unwrap(), engine.open().await)
}

pub fn account(text: &str) -> AccountId {
    text.parse().unwrap()
}

/// A unique name for one test's database.
pub fn unique(test: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{test}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs `future` to its end on a runtime of its own, on a thread of its own: for a `Drop`,
/// which may run inside a runtime (where blocking on another future panics) or outside one.
pub fn on_own_runtime<F: Future + Send>(future: F) -> F::Output
where
    F::Output: Send,
{
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime")
                    .block_on(future)
            })
            .join()
            .expect("the future ran to its end")
    })
}

/// The in-memory store: "new stores" are handles on one shared store.
pub struct Memory(Arc<AnyStore>);

pub fn memory(_test: &str) -> Memory {
    Memory(Arc::new(AnyStore::memory()))
}

impl Engine for Memory {
    async fn open(&self) -> Arc<AnyStore> {
        Arc::clone(&self.0)
    }

    async fn key_rows(&self) -> Option<Vec<(String, u64)>> {
        None
    }

    async fn key_counts(&self) -> Option<(u64, u64)> {
        None
    }

    async fn execute_sql(&self, sql: &str) {
        panic!("the in-memory store runs no SQL: {sql}")
    }

    fn child_env(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    async fn settle(&self, _pid: u32) {}

    async fn migrate(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn migrations(&self) -> Option<Vec<(i64, String)>> {
        None
    }

    fn old_schema(&self) -> String {
        panic!("the in-memory store has no schema")
    }
}

/// Every key, and the keys whose entry is missing or no longer live.
const KEY_COUNTS: &str = "SELECT count(*), \
     count(*) FILTER (WHERE e.id IS NULL OR NOT e.live) \
     FROM organization_key k LEFT JOIN organization_entry e ON e.id = k.entry";

/// Every migration a database recorded, `(version, name)`, in order.
pub const MIGRATION_ROWS: &str =
    "SELECT version, name FROM organization_migration ORDER BY version";

/// The schema as the stores made it before migrations were versioned, once `{ns}` and
/// `{ix}` are empty (no namespace) and `{ENTRY_ID}` is the engine's.
pub const OLD_SCHEMA: &str = include_str!("../../sql/schema.sql");

/// The environment variable naming a child's SQLite file.
pub const CHILD_SQLITE: &str = "STORE_TEST_SQLITE";
/// The environment variables naming a child's PostgreSQL server and schema.
pub const CHILD_POSTGRES_URL: &str = "STORE_TEST_POSTGRES_URL";
pub const CHILD_POSTGRES_SCHEMA: &str = "STORE_TEST_POSTGRES_SCHEMA";

/// Opens (without migrating) the database a parent named in this process's environment.
pub async fn open_from_env() -> AnyStore {
    #[cfg(feature = "sqlite")]
    if let Ok(path) = std::env::var(CHILD_SQLITE) {
        let options = workmail_org_stores::StoreOptions::default();
        return AnyStore::Sqlite(
            workmail_org_stores::SqliteStore::open(path, &options)
                .await
                .unwrap(),
        );
    }
    #[cfg(feature = "postgres")]
    if let (Ok(url), Ok(schema)) = (
        std::env::var(CHILD_POSTGRES_URL),
        std::env::var(CHILD_POSTGRES_SCHEMA),
    ) {
        let mut config = postgres_support::schema_config(&url, &schema);
        config.application_name(postgres_support::child_application_name(std::process::id()));
        let options = workmail_org_stores::StoreOptions::default();
        return AnyStore::Postgres(
            workmail_org_stores::PostgresStore::connect_with(config, &options)
                .await
                .unwrap(),
        );
    }
    panic!(
        "a child process needs {CHILD_SQLITE} or {CHILD_POSTGRES_URL} and {CHILD_POSTGRES_SCHEMA}"
    )
}

#[cfg(feature = "sqlite")]
pub use sqlite_support::sqlite;

#[cfg(feature = "sqlite")]
pub mod sqlite_support {
    use std::path::{Path, PathBuf};

    use super::*;
    use workmail_org_stores::rusqlite::Connection;
    use workmail_org_stores::{SqliteStore, StoreOptions};

    /// How SQLite gives an entry its id.
    pub const ENTRY_ID: &str = "INTEGER PRIMARY KEY AUTOINCREMENT";

    /// A fresh SQLite file in a directory of its own, deleted when dropped.
    pub struct Sqlite {
        dir: PathBuf,
        file: PathBuf,
    }

    /// A fresh file, migrated.
    pub async fn sqlite(test: &str) -> Sqlite {
        let db = sqlite_unmigrated(test);
        db.store().await.migrate().await.unwrap();
        db
    }

    /// A directory for a file not made yet.
    pub fn sqlite_unmigrated(test: &str) -> Sqlite {
        let dir = std::env::temp_dir().join(format!("stores-{}", unique(test)));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("store.db");
        Sqlite { dir, file }
    }

    impl Sqlite {
        pub fn file(&self) -> &Path {
            &self.file
        }

        /// A new store on the file, not migrated.
        pub async fn store(&self) -> SqliteStore {
            SqliteStore::open(&self.file, &StoreOptions::default())
                .await
                .unwrap()
        }

        /// Runs `call` on a connection of a new store on the file.
        pub async fn with_connection<R: Send + 'static>(
            &self,
            call: impl FnOnce(&mut Connection) -> R + Send + 'static,
        ) -> R {
            self.store().await.interact("a test", call).await.unwrap()
        }
    }

    impl Engine for Sqlite {
        async fn open(&self) -> Arc<AnyStore> {
            Arc::new(AnyStore::Sqlite(self.store().await))
        }

        async fn key_rows(&self) -> Option<Vec<(String, u64)>> {
            let rows = self
                .with_connection(|connection| {
                    let mut statement = connection
                        .prepare("SELECT key, entry FROM organization_key ORDER BY key")
                        .unwrap();
                    statement
                        .query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))
                        .unwrap()
                        .collect::<Result<_, _>>()
                        .unwrap()
                })
                .await;
            Some(rows)
        }

        async fn key_counts(&self) -> Option<(u64, u64)> {
            let counts = self
                .with_connection(|connection| {
                    connection
                        .query_row(KEY_COUNTS, [], |row| {
                            Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64))
                        })
                        .unwrap()
                })
                .await;
            Some(counts)
        }

        async fn execute_sql(&self, sql: &str) {
            let sql = sql.to_owned();
            self.with_connection(move |connection| connection.execute_batch(&sql).unwrap())
                .await;
        }

        fn child_env(&self) -> Vec<(&'static str, String)> {
            vec![(CHILD_SQLITE, self.file.display().to_string())]
        }

        async fn settle(&self, _pid: u32) {}

        async fn migrate(&self) -> Result<(), StoreError> {
            self.store().await.migrate().await
        }

        async fn migrations(&self) -> Option<Vec<(i64, String)>> {
            self.with_connection(|connection| {
                let tables: i64 = connection
                    .query_row(
                        "SELECT count(*) FROM sqlite_master WHERE name = 'organization_migration'",
                        [],
                        |row| row.get(0),
                    )
                    .unwrap();
                (tables > 0).then(|| {
                    let mut statement = connection.prepare(MIGRATION_ROWS).unwrap();
                    statement
                        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
                        .unwrap()
                        .collect::<Result<_, _>>()
                        .unwrap()
                })
            })
            .await
        }

        fn old_schema(&self) -> String {
            OLD_SCHEMA
                .replace("{ENTRY_ID}", ENTRY_ID)
                .replace("{ns}", "")
                .replace("{ix}", "")
        }
    }

    impl Drop for Sqlite {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(feature = "postgres")]
pub use postgres_support::postgres;

#[cfg(feature = "postgres")]
pub mod postgres_support {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::sync::OnceLock;

    use super::*;
    use workmail_org_stores::tokio_postgres::{Client, Config, NoTls};
    use workmail_org_stores::{PostgresStore, StoreOptions};

    /// How PostgreSQL gives an entry its id.
    pub const ENTRY_ID: &str = "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    /// The server's address: `DATABASE_URL`, or a throwaway server started once for this
    /// test process.
    pub fn database_url() -> String {
        if let Ok(url) = std::env::var("DATABASE_URL") {
            if !url.is_empty() {
                return url;
            }
        }
        static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
        match SERVER.get_or_init(Server::start) {
            Ok(server) => server.url.clone(),
            Err(err) => panic!("no DATABASE_URL, and no throwaway server: {err}"),
        }
    }

    /// The `application_name` of a child process's sessions, by its process id.
    pub fn child_application_name(pid: u32) -> String {
        format!("stores-test-child-{pid}")
    }

    /// The server's config with the search path set to `schema`.
    pub fn schema_config(url: &str, schema: &str) -> Config {
        let mut config: Config = url.parse().expect("DATABASE_URL parses");
        config.options(format!("-c search_path={schema}"));
        config
    }

    /// A new client on `config`, its connection driven by a task of the current runtime.
    pub async fn connect(config: &Config) -> Client {
        let (client, connection) = config
            .connect(NoTls)
            .await
            .unwrap_or_else(|err| panic!("cannot connect to PostgreSQL: {err}"));
        tokio::spawn(async move {
            let _ = connection.await;
        });
        client
    }

    /// A throwaway PostgreSQL server, as `scripts/with-postgres.sh` starts one: a cluster in a
    /// new temporary directory, trust authentication, a unix socket in that directory and no
    /// TCP. As root the server runs as the `postgres` user (it refuses root).
    ///
    /// Stopped and deleted on drop; a static one is never dropped, so a watchdog shell started
    /// with it stops and deletes it once this process is gone, however it ends. A test that
    /// stops and starts a server starts one of its own ([`Server::start`]).
    pub struct Server {
        dir: PathBuf,
        bindir: PathBuf,
        as_root: bool,
        url: String,
    }

    fn bindir() -> Result<PathBuf, String> {
        let from_pg_config = Command::new("pg_config")
            .arg("--bindir")
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
            .filter(|dir| dir.join("initdb").exists());
        if let Some(dir) = from_pg_config {
            return Ok(dir);
        }
        let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|err| format!("no pg_config and no /usr/lib/postgresql: {err}"))?
            .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
            .filter(|bin| bin.join("initdb").exists())
            .collect();
        // Version directories are numbers: the newest is the longest, then the greatest.
        candidates.sort_by_key(|path| {
            let version = path.parent().map(|p| p.display().to_string());
            version.map(|v| (v.len(), v))
        });
        candidates.pop().ok_or_else(|| {
            "no PostgreSQL server binaries (initdb, pg_ctl); install the server".to_owned()
        })
    }

    fn is_root() -> bool {
        Command::new("id")
            .arg("-u")
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
            .unwrap_or(false)
    }

    fn run(as_root: bool, program: &Path, args: &[&str]) -> Result<(), String> {
        let mut command = if as_root {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        };
        let out = command
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|err| format!("cannot run {}: {err}", program.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{} failed: {}{}",
                program.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    impl Server {
        /// A new server of its own, running: `initdb`, then `pg_ctl start`.
        pub fn start() -> Result<Server, String> {
            let bindir = bindir()?;
            let as_root = is_root();
            let dir = std::env::temp_dir().join(format!("stores-pg-{}", unique("server")));
            std::fs::create_dir_all(&dir).map_err(|err| err.to_string())?;
            // The socket directory must be traversable by the client, whoever runs it.
            let chmod = Command::new("chmod").arg("755").arg(&dir).status();
            if !chmod.is_ok_and(|status| status.success()) {
                return Err(format!("cannot chmod {}", dir.display()));
            }
            if as_root {
                let chown = Command::new("chown").arg("postgres:").arg(&dir).status();
                if !chown.is_ok_and(|status| status.success()) {
                    return Err(format!("cannot give {} to postgres", dir.display()));
                }
            }
            let server = Server {
                url: format!("postgresql://postgres@/postgres?host={}", dir.display()),
                dir,
                bindir,
                as_root,
            };
            let data = server.data();
            run(
                as_root,
                &server.bindir.join("initdb"),
                &[
                    "-D",
                    &data,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
            )?;
            server.watch();
            server.start_again()?;
            Ok(server)
        }

        /// The server's URL: the `postgres` database, as `postgres`, on its unix socket.
        pub fn url(&self) -> &str {
            &self.url
        }

        fn data(&self) -> String {
            self.dir.join("data").display().to_string()
        }

        /// Stops the server: `pg_ctl -m fast stop` (every session ended, a clean shutdown),
        /// waiting until it is down.
        pub fn stop(&self) -> Result<(), String> {
            run(
                self.as_root,
                &self.bindir.join("pg_ctl"),
                &["-D", &self.data(), "-m", "fast", "-w", "stop"],
            )
        }

        /// Starts the server on its data and socket directory (again, after [`stop`]),
        /// waiting until it accepts connections.
        ///
        /// [`stop`]: Self::stop
        pub fn start_again(&self) -> Result<(), String> {
            let log = self.dir.join("server.log").display().to_string();
            run(
                self.as_root,
                &self.bindir.join("pg_ctl"),
                &[
                    "-D",
                    &self.data(),
                    "-l",
                    &log,
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    &format!(
                        "-k {} -c listen_addresses='' -c max_connections=200",
                        self.dir.display()
                    ),
                    "start",
                ],
            )
            .map_err(|err| {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                format!("{err}; the server's log: {log}")
            })
        }

        /// A shell that waits for this process to end, then stops the server and deletes it.
        fn watch(&self) {
            let stop = format!(
                "{runuser}'{pg_ctl}' -D '{data}' -m immediate -w stop",
                runuser = if self.as_root {
                    "runuser -u postgres -- "
                } else {
                    ""
                },
                pg_ctl = self.bindir.join("pg_ctl").display(),
                data = self.data(),
            );
            let script = format!(
                "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
                pid = std::process::id(),
                dir = self.dir.display(),
            );
            // In a session of its own, so an interrupt of the tests does not reach it, and
            // with its output going nowhere, so `cargo test` does not wait for it.
            let _ = Command::new("setsid")
                .args(["sh", "-c", &script])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = run(
                self.as_root,
                &self.bindir.join("pg_ctl"),
                &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
            );
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// A schema of its own on the server, for one test; dropped when the test ends.
    pub struct Postgres {
        url: String,
        schema: String,
    }

    /// A fresh schema on [`database_url`]'s server, migrated.
    pub async fn postgres(test: &str) -> Postgres {
        let db = postgres_unmigrated(test).await;
        db.store().await.migrate().await.unwrap();
        db
    }

    /// A fresh, empty schema on [`database_url`]'s server.
    pub async fn postgres_unmigrated(test: &str) -> Postgres {
        let url = database_url();
        let schema = format!("store_{}", unique(test))
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        let admin = connect(&url.parse().expect("DATABASE_URL parses")).await;
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .await
            .unwrap();
        Postgres { url, schema }
    }

    impl Postgres {
        pub fn url(&self) -> &str {
            &self.url
        }

        pub fn schema(&self) -> &str {
            &self.schema
        }

        /// The connection configuration of the schema.
        pub fn config(&self) -> Config {
            schema_config(&self.url, &self.schema)
        }

        /// A new client on the schema, not pooled: for SQL straight on the database.
        pub async fn client(&self) -> Client {
            connect(&self.config()).await
        }

        /// A new store on the schema, not migrated.
        pub async fn store(&self) -> PostgresStore {
            PostgresStore::connect_with(self.config(), &StoreOptions::default())
                .await
                .unwrap()
        }
    }

    impl Engine for Postgres {
        async fn open(&self) -> Arc<AnyStore> {
            Arc::new(AnyStore::Postgres(self.store().await))
        }

        async fn key_rows(&self) -> Option<Vec<(String, u64)>> {
            let rows = self
                .client()
                .await
                .query("SELECT key, entry FROM organization_key ORDER BY key", &[])
                .await
                .unwrap();
            Some(
                rows.iter()
                    .map(|row| (row.get(0), row.get::<_, i64>(1) as u64))
                    .collect(),
            )
        }

        async fn key_counts(&self) -> Option<(u64, u64)> {
            let row = self
                .client()
                .await
                .query_one(KEY_COUNTS, &[])
                .await
                .unwrap();
            Some((row.get::<_, i64>(0) as u64, row.get::<_, i64>(1) as u64))
        }

        async fn execute_sql(&self, sql: &str) {
            self.client().await.batch_execute(sql).await.unwrap();
        }

        fn child_env(&self) -> Vec<(&'static str, String)> {
            vec![
                (CHILD_POSTGRES_URL, self.url.clone()),
                (CHILD_POSTGRES_SCHEMA, self.schema.clone()),
            ]
        }

        async fn settle(&self, pid: u32) {
            let client = self.client().await;
            let application = child_application_name(pid);
            let began = std::time::Instant::now();
            loop {
                let row = client
                    .query_one(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                        &[&application],
                    )
                    .await
                    .unwrap();
                if row.get::<_, i64>(0) == 0 {
                    return;
                }
                assert!(
                    began.elapsed() < std::time::Duration::from_secs(30),
                    "the sessions of killed process {pid} stay"
                );
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }

        async fn migrate(&self) -> Result<(), StoreError> {
            self.store().await.migrate().await
        }

        async fn migrations(&self) -> Option<Vec<(i64, String)>> {
            let client = self.client().await;
            let exists = client
                .query_one(
                    "SELECT to_regclass('organization_migration') IS NOT NULL",
                    &[],
                )
                .await
                .unwrap();
            if !exists.get::<_, bool>(0) {
                return None;
            }
            let rows = client.query(MIGRATION_ROWS, &[]).await.unwrap();
            Some(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
        }

        // The old tables alone: the tests write an earlier version's rows with SQL, in the
        // old columns.
        fn old_schema(&self) -> String {
            OLD_SCHEMA
                .replace("{ENTRY_ID}", ENTRY_ID)
                .replace("{ns}", "")
                .replace("{ix}", "")
        }
    }

    impl Drop for Postgres {
        fn drop(&mut self) {
            let drop_schema = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema);
            let Ok(config) = self.url.parse::<Config>() else {
                return;
            };
            on_own_runtime(async move {
                if let Ok((admin, connection)) = config.connect(NoTls).await {
                    tokio::spawn(connection);
                    let _ = admin.batch_execute(&drop_schema).await;
                }
            });
        }
    }
}

/// A valid spec: external mail domains, an existing directory when `directory` is given (a
/// SimpleAD in the same Region), a client token when `token` is.
#[track_caller]
pub fn spec(
    alias: &str,
    region: &str,
    domains: &[&str],
    directory: Option<&str>,
    token: Option<&str>,
) -> OrganizationSpec {
    let mut value = json!({
        "alias": alias,
        "region": region,
        "domains": domains
            .iter()
            .map(|name| json!({"type": "external", "name": name}))
            .collect::<Vec<_>>(),
    });
    if let Some(id) = directory {
        value["directory"] = json!({
            "type": "existing", "directory_id": id, "directory_type": "SimpleAD",
            "alias": alias, "region": region,
        });
    }
    if let Some(token) = token {
        value["client_token"] = json!(token);
    }
    serde_json::from_value(value).unwrap_or_else(|err| panic!("spec {alias}: {err}"))
}

/// The organization id AWS would answer for entry number `n`.
pub fn organization_id(n: u64) -> String {
    format!("m-{n:032x}")
}

pub fn created(n: u64) -> CreateOrganizationResponse {
    CreateOrganizationResponse::new(organization_id(n).parse().unwrap())
}

/// A `DescribeOrganization` answer for organization `n` of `account`, alias `alias`, in
/// `region`, in `state`.
#[track_caller]
pub fn snapshot(n: u64, alias: &str, account: &str, region: &str, state: &str) -> Organization {
    let id = organization_id(n);
    serde_json::from_value(json!({
        "OrganizationId": id,
        "Alias": alias,
        "State": state,
        "ARN": format!("arn:aws:workmail:{region}:{account}:organization/{id}"),
    }))
    .unwrap()
}

/// Releases entry `id` as AWS's evidence allows: a `reserved` one with nothing sent, a `sent`
/// one on the evidence of a [`Lookup`] (minimum age 0) over one empty `ListOrganizations`
/// page, as a local endpoint that made nothing answers.
pub async fn release_not_created<S: Store>(
    catalog: &Catalog<S>,
    id: EntryId,
    now: u64,
) -> Result<Entry, CatalogError> {
    let Some(entry) = catalog.get(id).await? else {
        return catalog.release(id, Release::NothingSent, now).await;
    };
    let release = match Lookup::new(&entry, now) {
        None => Release::NothingSent,
        Some(lookup) => match lookup
            .with_min_age(0)
            .page(&ListOrganizationsResponse::new(Vec::new(), None))
        {
            LookupStep::NotCreated(evidence) => Release::NotCreated(evidence),
            other => panic!("entry {id}: an empty listing led to {other:?}"),
        },
    };
    catalog.release(id, release, now).await
}

/// Every live entry of the account holds each of its keys, and every key of the table belongs
/// to a live entry that has it: no partial admission, no orphan. Returns how many keys the
/// table holds (0 for the in-memory store, whose keys are not reachable).
pub async fn check_keys<S: Store>(engine: &impl Engine, catalog: &Catalog<S>) -> usize {
    let Some(rows) = engine.key_rows().await else {
        return 0;
    };
    let mut expected: Vec<(String, u64)> = Vec::new();
    let mut after = None;
    loop {
        let page = catalog.list(None, after, 100).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.id());
        for entry in &page {
            expected.extend(
                entry
                    .keys()
                    .iter()
                    .map(|key| (key.to_string(), entry.id().get())),
            );
        }
    }
    expected.sort();
    assert_eq!(
        rows, expected,
        "the key table is exactly the live entries' keys"
    );
    rows.len()
}
