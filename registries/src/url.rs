//! Opening a store from a database URL: the one spelling the command-line tools share.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use workmail_org::catalog::Store;

/// A database named by a URL: `sqlite://PATH` (so `sqlite:///tmp/x.db` is absolute and
/// `sqlite://x.db` relative) or `postgres://…` / `postgresql://…` (any connection string
/// the `postgres` driver takes after its scheme).
///
/// ```
/// use workmail_org_registries::DatabaseUrl;
///
/// let url: DatabaseUrl = "sqlite:///tmp/orgs.db".parse()?;
/// assert_eq!(url, DatabaseUrl::Sqlite("/tmp/orgs.db".into()));
/// assert!("mysql://x".parse::<DatabaseUrl>().is_err());
/// # Ok::<(), workmail_org_registries::OpenError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL server: the whole URL.
    Postgres(String),
}

impl FromStr for DatabaseUrl {
    type Err = OpenError;

    fn from_str(url: &str) -> Result<Self, OpenError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(OpenError::new(url, "sqlite:// needs a file path"));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        Err(OpenError::new(
            url,
            "a database URL is sqlite://PATH, postgres://... or postgresql://...",
        ))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => f.write_str(url),
        }
    }
}

impl DatabaseUrl {
    /// Opens the store, creating its tables when missing.
    ///
    /// # Errors
    /// [`OpenError`] naming the database when it cannot be opened or migrated, or when this
    /// build lacks the engine's feature.
    pub fn open_store(&self) -> Result<Box<dyn Store>, OpenError> {
        let fail = |err: &dyn fmt::Display| OpenError::new(&self.to_string(), &err.to_string());
        match self {
            #[cfg(feature = "sqlite")]
            DatabaseUrl::Sqlite(path) => {
                let store = crate::SqliteStore::open(path).map_err(|err| fail(&err))?;
                store.migrate().map_err(|err| fail(&err))?;
                Ok(Box::new(store))
            }
            #[cfg(feature = "postgres")]
            DatabaseUrl::Postgres(url) => {
                let store = crate::PostgresStore::connect(url).map_err(|err| fail(&err))?;
                store.migrate().map_err(|err| fail(&err))?;
                Ok(Box::new(store))
            }
            #[allow(unreachable_patterns)]
            _ => Err(fail(
                &"this build lacks the engine's feature (sqlite or postgres)",
            )),
        }
    }
}

/// A database URL that names no database, or a database that cannot be opened. The message
/// names a SQLite file by its path and a PostgreSQL server only as such, so that no password
/// a URL holds reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct OpenError {
    database: String,
    problem: String,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.database, self.problem)
    }
}

impl std::error::Error for OpenError {}

impl fmt::Debug for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OpenError").field(&self.to_string()).finish()
    }
}

impl OpenError {
    fn new(url: &str, problem: &str) -> Self {
        let database = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            "the PostgreSQL database".to_owned()
        } else if url.starts_with("sqlite://") {
            format!("the SQLite database {url}")
        } else {
            format!(
                "the database URL \"{}\"",
                url.chars().take(64).collect::<String>()
            )
        };
        OpenError {
            database,
            problem: problem.to_owned(),
        }
    }
}
