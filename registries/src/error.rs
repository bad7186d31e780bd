//! What a registry itself finds wrong with the database; the drivers' own errors travel as
//! they are.

use std::error::Error;
use std::fmt;

use workmail_org::OrganizationAlias;

/// A problem a registry found in the database, as opposed to one the database reported.
///
/// It travels as the source of [`RegistryError::Backend`](workmail_org::catalog::RegistryError),
/// like the drivers' errors (`rusqlite::Error`, `postgres::Error`), so a caller tells them
/// apart with `downcast_ref`.
#[non_exhaustive]
pub enum StoreError {
    /// A stored row holds a value that the library's parsers reject, or an alias that does
    /// not fold to its key: the table was written by something other than this crate. The
    /// row is left as it is.
    InvalidRow {
        /// The row's key, `alias_folded`, as stored.
        key: String,
        /// The column holding the bad value.
        column: &'static str,
        /// What is wrong with it, naming the stored value.
        problem: String,
    },
    /// PostgreSQL only: between reserving (or releasing) and reading the holder, the alias
    /// was released and reserved again, on every attempt; nothing changed.
    Unsettled {
        /// The alias.
        alias: OrganizationAlias,
        /// How many times the statement pair ran.
        attempts: u32,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::InvalidRow {
                key,
                column,
                problem,
            } => write!(
                f,
                "stored row \"{key}\" of organization_alias has an invalid {column}: {problem}"
            ),
            StoreError::Unsettled { alias, attempts } => write!(
                f,
                "organization alias \"{alias}\" changed hands during each of {attempts} attempts"
            ),
        }
    }
}

// Debug reads like the message, so a failed `unwrap` is legible.
impl fmt::Debug for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Error for StoreError {}
