//! The engines under test, each a way to open new connections to one fresh database, and the
//! specs and snapshots the tests use.

#![allow(dead_code)] // each feature set uses a different part

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::json;
use workmail_org::aws::{CreateOrganizationResponse, Organization};
use workmail_org::catalog::{InMemoryStore, Store};
use workmail_org::{AccountId, Catalog, OrganizationSpec};

/// An engine with one fresh database: every `open` is a new connection to it.
pub trait Engine: Send + Sync {
    /// A new connection (for the in-memory store, a new handle on the same store).
    fn open(&self) -> Box<dyn Store>;

    /// Every row of the key table, `(key, entry id)`, read straight from the database; `None`
    /// for the in-memory store, whose keys are not reachable from outside.
    fn key_rows(&self) -> Option<Vec<(String, u64)>>;

    /// How many keys the key table holds, and how many of them belong to no live entry;
    /// `None` for the in-memory store.
    fn key_counts(&self) -> Option<(u64, u64)>;

    /// Runs SQL straight on the database, as another tool would.
    fn execute_sql(&self, sql: &str);

    /// What a child process needs in its environment to open the same database.
    fn child_env(&self) -> Vec<(&'static str, String)>;
}

/// A catalog of `account` on a new connection of `engine`.
pub fn catalog(engine: &dyn Engine, account: &str) -> Catalog<Box<dyn Store>> {
    Catalog::open(account.parse().unwrap(), engine.open())
}

pub fn account(text: &str) -> AccountId {
    text.parse().unwrap()
}

/// A unique name for one test's database.
fn unique(test: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{test}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The in-memory store: "connections" are handles on one shared store.
pub struct Memory(Arc<InMemoryStore>);

pub fn memory(_test: &str) -> Memory {
    Memory(Arc::new(InMemoryStore::new()))
}

impl Engine for Memory {
    fn open(&self) -> Box<dyn Store> {
        Box::new(Arc::clone(&self.0))
    }

    fn key_rows(&self) -> Option<Vec<(String, u64)>> {
        None
    }

    fn key_counts(&self) -> Option<(u64, u64)> {
        None
    }

    fn execute_sql(&self, sql: &str) {
        panic!("the in-memory store runs no SQL: {sql}")
    }

    fn child_env(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// Every key, and the keys whose entry is missing or no longer live.
const KEY_COUNTS: &str = "SELECT count(*), \
     count(*) FILTER (WHERE e.id IS NULL OR NOT e.live) \
     FROM organization_key k LEFT JOIN organization_entry e ON e.id = k.entry";

/// The environment variable naming a child's SQLite file.
pub const CHILD_SQLITE: &str = "STORE_TEST_SQLITE";
/// The environment variables naming a child's PostgreSQL server and schema.
pub const CHILD_POSTGRES_URL: &str = "STORE_TEST_POSTGRES_URL";
pub const CHILD_POSTGRES_SCHEMA: &str = "STORE_TEST_POSTGRES_SCHEMA";

/// Opens the database a parent named in this process's environment.
pub fn open_from_env() -> Box<dyn Store> {
    #[cfg(feature = "sqlite")]
    if let Ok(path) = std::env::var(CHILD_SQLITE) {
        return Box::new(workmail_org_registries::SqliteStore::open(path).unwrap());
    }
    #[cfg(feature = "postgres")]
    if let (Ok(url), Ok(schema)) = (
        std::env::var(CHILD_POSTGRES_URL),
        std::env::var(CHILD_POSTGRES_SCHEMA),
    ) {
        let config = postgres_support::schema_config(&url, &schema);
        return Box::new(workmail_org_registries::PostgresStore::from_client(
            config
                .connect(workmail_org_registries::postgres::NoTls)
                .unwrap(),
        ));
    }
    panic!(
        "a child process needs {CHILD_SQLITE} or {CHILD_POSTGRES_URL} and {CHILD_POSTGRES_SCHEMA}"
    )
}

#[cfg(feature = "sqlite")]
pub use sqlite_support::sqlite;

#[cfg(feature = "sqlite")]
mod sqlite_support {
    use std::path::PathBuf;

    use super::*;
    use workmail_org_registries::SqliteStore;

    /// A fresh SQLite file in a directory of its own, deleted when dropped.
    pub struct Sqlite {
        dir: PathBuf,
        file: PathBuf,
    }

    pub fn sqlite(test: &str) -> Sqlite {
        let dir = std::env::temp_dir().join(format!("registries-{}", unique(test)));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("store.db");
        SqliteStore::open(&file).unwrap().migrate().unwrap();
        Sqlite { dir, file }
    }

    impl Sqlite {
        pub fn store(&self) -> SqliteStore {
            SqliteStore::open(&self.file).unwrap()
        }
    }

    impl Engine for Sqlite {
        fn open(&self) -> Box<dyn Store> {
            Box::new(self.store())
        }

        fn key_rows(&self) -> Option<Vec<(String, u64)>> {
            let store = self.store();
            let connection = store.connection();
            let mut statement = connection
                .prepare("SELECT key, entry FROM organization_key ORDER BY key")
                .unwrap();
            let rows = statement
                .query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            Some(rows)
        }

        fn key_counts(&self) -> Option<(u64, u64)> {
            let store = self.store();
            let connection = store.connection();
            Some(
                connection
                    .query_row(KEY_COUNTS, [], |row| {
                        Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64))
                    })
                    .unwrap(),
            )
        }

        fn execute_sql(&self, sql: &str) {
            self.store().connection().execute_batch(sql).unwrap();
        }

        fn child_env(&self) -> Vec<(&'static str, String)> {
            vec![(CHILD_SQLITE, self.file.display().to_string())]
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
    use workmail_org_registries::postgres::{Client, Config, NoTls};
    use workmail_org_registries::PostgresStore;

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

    /// The server's config with the search path set to `schema`.
    pub fn schema_config(url: &str, schema: &str) -> Config {
        let mut config: Config = url.parse().expect("DATABASE_URL parses");
        config.options(&format!("-c search_path={schema}"));
        config
    }

    /// A throwaway PostgreSQL server, as `scripts/with-postgres.sh` starts one: a cluster in a
    /// new temporary directory, trust authentication, a unix socket in that directory and no
    /// TCP. As root the server runs as the `postgres` user (it refuses root).
    ///
    /// Stopped and deleted on drop; a static one is never dropped, so a watchdog shell started
    /// with it stops and deletes it once this process is gone, however it ends.
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
        fn start() -> Result<Server, String> {
            let bindir = bindir()?;
            let as_root = is_root();
            let dir = std::env::temp_dir().join(format!("registries-pg-{}", unique("server")));
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
            let data = dir.join("data");
            let data_arg = data.display().to_string();
            let dir_arg = dir.display().to_string();
            let log = dir.join("server.log").display().to_string();
            let server = Server {
                url: format!("postgresql://postgres@/postgres?host={dir_arg}"),
                dir,
                bindir,
                as_root,
            };
            run(
                as_root,
                &server.bindir.join("initdb"),
                &[
                    "-D",
                    &data_arg,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
            )?;
            server.watch();
            run(
                as_root,
                &server.bindir.join("pg_ctl"),
                &[
                    "-D",
                    &data_arg,
                    "-l",
                    &log,
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    &format!("-k {dir_arg} -c listen_addresses='' -c max_connections=200"),
                    "start",
                ],
            )
            .map_err(|err| {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                format!("{err}; the server's log: {log}")
            })?;
            Ok(server)
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
                data = self.dir.join("data").display(),
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
            let data = self.dir.join("data").display().to_string();
            let _ = run(
                self.as_root,
                &self.bindir.join("pg_ctl"),
                &["-D", &data, "-m", "immediate", "-w", "stop"],
            );
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// A schema of its own on the server, for one test; dropped when the test ends.
    pub struct Postgres {
        url: String,
        schema: String,
    }

    pub fn postgres(test: &str) -> Postgres {
        let url = database_url();
        let schema = format!("store_{}", unique(test)).to_lowercase();
        let mut admin = connect(&url.parse().expect("DATABASE_URL parses"));
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
        let db = Postgres { url, schema };
        db.store().migrate().unwrap();
        db
    }

    fn connect(config: &Config) -> Client {
        config
            .connect(NoTls)
            .unwrap_or_else(|err| panic!("cannot connect to PostgreSQL: {err}"))
    }

    impl Postgres {
        pub fn client(&self) -> Client {
            connect(&schema_config(&self.url, &self.schema))
        }

        pub fn store(&self) -> PostgresStore {
            PostgresStore::from_client(self.client())
        }
    }

    impl Engine for Postgres {
        fn open(&self) -> Box<dyn Store> {
            Box::new(self.store())
        }

        fn key_rows(&self) -> Option<Vec<(String, u64)>> {
            let rows = self
                .client()
                .query("SELECT key, entry FROM organization_key ORDER BY key", &[])
                .unwrap();
            Some(
                rows.iter()
                    .map(|row| (row.get(0), row.get::<_, i64>(1) as u64))
                    .collect(),
            )
        }

        fn key_counts(&self) -> Option<(u64, u64)> {
            let row = self.client().query_one(KEY_COUNTS, &[]).unwrap();
            Some((row.get::<_, i64>(0) as u64, row.get::<_, i64>(1) as u64))
        }

        fn execute_sql(&self, sql: &str) {
            self.client().batch_execute(sql).unwrap();
        }

        fn child_env(&self) -> Vec<(&'static str, String)> {
            vec![
                (CHILD_POSTGRES_URL, self.url.clone()),
                (CHILD_POSTGRES_SCHEMA, self.schema.clone()),
            ]
        }
    }

    impl Drop for Postgres {
        fn drop(&mut self) {
            if let Ok(mut admin) = self
                .url
                .parse::<Config>()
                .map_err(|_| ())
                .and_then(|config| config.connect(NoTls).map_err(|_| ()))
            {
                let _ =
                    admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
            }
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
