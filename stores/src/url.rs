//! Opening a store from a database URL: the one spelling the command-line tools share.

use std::error::Error;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use workmail_org::catalog::store::StoreError;

use crate::{AnyStore, StoreOptions};

/// A database named by a URL: `memory:` (this process's memory), `sqlite://PATH` (so
/// `sqlite:///tmp/x.db` is absolute and `sqlite://x.db` relative) or `postgres://…` /
/// `postgresql://…` (any connection string tokio-postgres takes).
///
/// `Display` and `Debug` hide a password the URL holds (`postgres://app:***@db/orgs`), so a
/// URL can go into a log or an error message.
///
/// ```
/// use workmail_org_stores::DatabaseUrl;
///
/// let url: DatabaseUrl = "sqlite:///tmp/orgs.db".parse()?;
/// assert_eq!(url, DatabaseUrl::Sqlite("/tmp/orgs.db".into()));
/// let url: DatabaseUrl = "postgresql://app:secret@db.internal/orgs".parse()?;
/// assert_eq!(url.to_string(), "postgresql://app:***@db.internal/orgs");
/// assert!("mysql://x".parse::<DatabaseUrl>().is_err());
/// # Ok::<(), workmail_org_stores::OpenError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DatabaseUrl {
    /// This process's memory.
    Memory,
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL server: the whole URL.
    Postgres(String),
}

impl FromStr for DatabaseUrl {
    type Err = OpenError;

    fn from_str(url: &str) -> Result<Self, OpenError> {
        if url == "memory:" {
            return Ok(DatabaseUrl::Memory);
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(OpenError::new(url, "sqlite:// needs a file path", None));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        Err(OpenError::new(
            url,
            "a database URL is memory:, sqlite://PATH, postgres://... or postgresql://...",
            None,
        ))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Memory => f.write_str("memory:"),
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => f.write_str(&redacted(url)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DatabaseUrl")
            .field(&self.to_string())
            .finish()
    }
}

impl DatabaseUrl {
    /// Opens the store, with its pool sized and timed by `options`, and runs its
    /// migrations.
    ///
    /// # Errors
    /// [`OpenError`] naming the database (without a password) when it cannot be opened or
    /// migrated, with the driver's error in its source chain, or when this build lacks the
    /// engine's feature.
    pub async fn open(&self, options: &StoreOptions) -> Result<AnyStore, OpenError> {
        let name = self.to_string();
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        let fail = |err: StoreError| OpenError::new(&name, "cannot be opened", Some(err));
        match self {
            DatabaseUrl::Memory => Ok(AnyStore::memory()),
            #[cfg(feature = "sqlite")]
            DatabaseUrl::Sqlite(path) => {
                let store = crate::SqliteStore::open(path, options)
                    .await
                    .map_err(fail)?;
                store.migrate().await.map_err(fail)?;
                Ok(AnyStore::Sqlite(store))
            }
            #[cfg(feature = "postgres")]
            DatabaseUrl::Postgres(url) => {
                let store = crate::PostgresStore::connect(url, options)
                    .await
                    .map_err(fail)?;
                store.migrate().await.map_err(fail)?;
                Ok(AnyStore::Postgres(store))
            }
            #[allow(unreachable_patterns)]
            _ => {
                let _ = options;
                Err(OpenError::new(
                    &name,
                    "needs an engine this build lacks (features sqlite and postgres)",
                    None,
                ))
            }
        }
    }
}

/// `url` with the password of its user info, and a `password=` parameter, shown as `***`.
fn redacted(url: &str) -> String {
    let mut shown = url.to_owned();
    if let Some(scheme_end) = shown.find("://") {
        let start = scheme_end + 3;
        let authority_end = shown[start..]
            .find(['/', '?'])
            .map_or(shown.len(), |end| start + end);
        if let Some(at) = shown[start..authority_end].rfind('@') {
            let user_info = start..start + at;
            if let Some(colon) = shown[user_info.clone()].find(':') {
                shown.replace_range(user_info.start + colon + 1..user_info.end, "***");
            }
        }
    }
    if let Some(query) = shown.find('?') {
        let (head, tail) = shown.split_at(query + 1);
        let tail = tail
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&");
        shown = format!("{head}{tail}");
    }
    shown
}

/// A database URL that names no database, or a database that cannot be opened. The message
/// names the database by its URL without a password, and says what went wrong; the
/// store's error, when there is one, is the source, and its own source is the driver's
/// (print the chain to see the server's reason, such as `database "x" does not exist`).
pub struct OpenError {
    database: String,
    problem: &'static str,
    source: Option<StoreError>,
}

impl OpenError {
    fn new(url: &str, problem: &'static str, source: Option<StoreError>) -> Self {
        let database = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            format!("the PostgreSQL database {}", redacted(url))
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
            problem,
            source,
        }
    }
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.database, self.problem)
    }
}

impl Error for OpenError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_ref()
            .map(|err| err as &(dyn Error + 'static))
    }
}

impl fmt::Debug for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OpenError").field(&self.to_string()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn passwords_are_hidden() {
        for (url, shown) in [
            (
                "postgresql://app:s3cret@db/orgs",
                "postgresql://app:***@db/orgs",
            ),
            (
                "postgres://app:p@ss@db:5432/orgs?x=1",
                "postgres://app:***@db:5432/orgs?x=1",
            ),
            ("postgresql://app@db/orgs", "postgresql://app@db/orgs"),
            (
                "postgresql:///orgs?host=/run&password=s3cret&user=app",
                "postgresql:///orgs?host=/run&password=***&user=app",
            ),
            ("postgresql://db/orgs", "postgresql://db/orgs"),
        ] {
            assert_eq!(redacted(url), shown, "{url}");
        }
    }
}
