//! The statements, one file each under `sql/`: the same text on both engines but the schema.

/// One versioned change of the schema. A database records each version it has run in
/// `organization_migration`; `migrate` runs the missing ones in order, each in the
/// transaction that records it. A later schema change is a new migration, never an edit of
/// one that shipped.
pub(crate) struct Migration {
    /// Its version: 1, 2, …, in order.
    pub(crate) version: i64,
    /// What it does, in a few words.
    pub(crate) name: &'static str,
    /// Its DDL. The one difference between the engines is how an entry gets its id, so the
    /// text names it `{ENTRY_ID}`: see [`Migration::sql`].
    text: &'static str,
}

impl Migration {
    /// The DDL for an engine whose entry id column is `entry_id`: SQLite's `INTEGER PRIMARY
    /// KEY AUTOINCREMENT`, PostgreSQL's `bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`.
    /// Neither reuses the id of a deleted row.
    pub(crate) fn sql(&self, entry_id: &str) -> String {
        self.text.replace("{ENTRY_ID}", entry_id)
    }
}

/// Every migration, in order.
pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    // `IF NOT EXISTS` throughout: a database made before migrations were versioned already
    // has these tables, and this migration adopts it as it is.
    name: "accounts, entries and keys",
    text: include_str!("../sql/schema.sql"),
}];

/// The table of versions run; created before anything else, under the migration lock.
pub(crate) const MIGRATION_TABLE: &str = include_str!("../sql/migration_table.sql");

/// The versions a database has run.
pub(crate) const MIGRATION_VERSIONS: &str = "SELECT version FROM organization_migration";

/// Records migration `$1`, named `$2`.
pub(crate) const MIGRATION_DONE: &str =
    "INSERT INTO organization_migration (version, name) VALUES ($1, $2)";

/// The entry of `$1` account, `$2` Region, `$3` client token.
pub(crate) const TOKEN: &str = include_str!("../sql/token.sql");

/// Counts one more live entry for `$1` unless it is at its quota (`$2` the default); returns the new count, or no row when full.
pub(crate) const CLAIM: &str = include_str!("../sql/claim.sql");

/// `live, organization_limit` of `$1`.
pub(crate) const QUOTA: &str = include_str!("../sql/quota.sql");

/// Sets `$1`'s quota to `$2` (NULL: the default).
pub(crate) const SET_LIMIT: &str = include_str!("../sql/set_limit.sql");

/// Counts one live entry fewer for `$1`.
pub(crate) const UNCOUNT: &str = include_str!("../sql/uncount.sql");

/// Inserts an entry's columns, returning its new id.
pub(crate) const INSERT_ENTRY: &str = include_str!("../sql/insert_entry.sql");

/// Inserts key `$1` for entry `$2` unless it is held: one row changed, or none.
pub(crate) const INSERT_KEY: &str = include_str!("../sql/insert_key.sql");

/// The entry holding key `$1`: `id, account, region, alias`.
pub(crate) const HOLDER: &str = include_str!("../sql/holder.sql");

/// Entry `$1`.
pub(crate) const ENTRY: &str = include_str!("../sql/entry.sql");

/// The entry with organization id `$1`.
pub(crate) const BY_ORGANIZATION_ID: &str = include_str!("../sql/by_organization_id.sql");

/// A page of `$1`'s entries after id `$2`, of Region `$3` (NULL: any), pending and last changed before `$4` (NULL: any), at most `$5`.
pub(crate) const LIST: &str = include_str!("../sql/list.sql");

/// The keys entry `$1` holds, in order.
pub(crate) const ENTRY_KEYS: &str = include_str!("../sql/entry_keys.sql");

/// Deletes key `$1` of entry `$2`.
pub(crate) const DELETE_KEY: &str = include_str!("../sql/delete_key.sql");

/// Writes the changing columns of entry `$1` over version `$2`, raising it.
pub(crate) const UPDATE_ENTRY: &str = include_str!("../sql/update_entry.sql");

/// `version, live` of entry `$1`.
pub(crate) const STATE: &str = include_str!("../sql/state.sql");

/// Raises the version of entry `$1` if it is `$2` (locking the row), returning `version, live`.
pub(crate) const RETIRE: &str = include_str!("../sql/retire.sql");

/// Deletes every key of entry `$1`.
pub(crate) const DELETE_KEYS: &str = include_str!("../sql/delete_keys.sql");

/// Deletes entry `$1`.
pub(crate) const DELETE_ENTRY: &str = include_str!("../sql/delete_entry.sql");

/// Every statement both engines run, for the test of their parameters.
#[cfg(test)]
pub(crate) const SHARED: [&str; 18] = [
    TOKEN,
    CLAIM,
    QUOTA,
    SET_LIMIT,
    UNCOUNT,
    INSERT_ENTRY,
    INSERT_KEY,
    HOLDER,
    ENTRY,
    BY_ORGANIZATION_ID,
    LIST,
    ENTRY_KEYS,
    DELETE_KEY,
    UPDATE_ENTRY,
    STATE,
    RETIRE,
    DELETE_KEYS,
    DELETE_ENTRY,
];

#[cfg(test)]
mod tests {
    use super::SHARED;

    #[test]
    fn parameters_are_numbered_without_gaps() {
        // SQLite binds `$N` by name and PostgreSQL by number: both agree when every number
        // from 1 up to the highest is used.
        for sql in SHARED {
            let highest = (1..=20).filter(|n| sql.contains(&format!("${n}"))).max();
            if let Some(highest) = highest {
                for n in 1..=highest {
                    assert!(sql.contains(&format!("${n}")), "${n} missing in {sql}");
                }
            }
        }
    }
}
