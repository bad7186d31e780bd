//! The statements, one file each under `sql/`: the same text on both engines but the schema,
//! with the store's namespace filled in when the store is made.

use crate::Namespace;

/// One versioned change of the schema. A database records each version it has run in
/// `organization_migration`; `migrate` runs the missing ones in order, each in the
/// transaction that records it. A later schema change is a new migration, never an edit of
/// one that shipped.
pub(crate) struct Migration {
    /// Its version: 1, 2, …, in order.
    pub(crate) version: i64,
    /// What it does, in a few words.
    pub(crate) name: &'static str,
    /// Its DDL. The one difference between the engines' tables is how a row gets its id, so
    /// the text names it `{ENTRY_ID}` (an entry's) or `{ROW_ID}` (another table's): see
    /// [`Migration::render`].
    text: &'static str,
    /// The one engine that runs it, if only one does; the other records it as run, so the
    /// versions agree.
    only: Option<Engine>,
}

/// Every migration, in order.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        // `IF NOT EXISTS` throughout: a database made before migrations were versioned
        // already has these tables, and this migration adopts it as it is.
        name: "accounts, entries and keys",
        text: include_str!("../sql/schema.sql"),
        only: None,
    },
    Migration {
        version: 2,
        name: "an admission in one statement",
        text: include_str!("../sql/postgres/admit.sql"),
        only: Some(Engine::Postgres),
    },
    Migration {
        version: 3,
        name: "fewer pages written by an admission",
        text: include_str!("../sql/sqlite/lean_indexes.sql"),
        only: Some(Engine::Sqlite),
    },
    Migration {
        version: 4,
        name: "client tokens, sends and leases",
        text: include_str!("../sql/recovery.sql"),
        only: None,
    },
    Migration {
        version: 5,
        name: "an admission that draws the client token",
        text: include_str!("../sql/postgres/admit_token.sql"),
        only: Some(Engine::Postgres),
    },
    Migration {
        version: 6,
        name: "leaving plans",
        text: include_str!("../sql/leaving.sql"),
        only: None,
    },
];

/// The emulator's migrations (feature `emulator`), their own track in the same
/// `organization_migration` table: versions from 1001 on, run by `migrate_emulator` only, so
/// a service's store never gets them.
#[cfg(feature = "emulator")]
pub(crate) const EMULATOR_MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1001,
        // `IF NOT EXISTS` throughout: it adopts the tables earlier emulators made themselves.
        name: "the emulator's state",
        text: include_str!("../sql/emulator/schema.sql"),
        only: None,
    },
    Migration {
        version: 1002,
        name: "users, resources and mailbox export jobs",
        text: include_str!("../sql/emulator/exports.sql"),
        only: None,
    },
];

/// The engine a migration is rendered for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// How an entry gets its id: SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT`, PostgreSQL's
    /// `bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`. Neither reuses the id of a deleted
    /// row.
    fn entry_id(self) -> &'static str {
        match self {
            Engine::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
            Engine::Postgres => "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        }
    }

    /// 128 random bits as 32 lowercase hex digits, written `{RANDOM_TOKEN}`: a client token
    /// the database draws.
    fn random_token(self) -> &'static str {
        match self {
            Engine::Sqlite => "lower(hex(randomblob(16)))",
            Engine::Postgres => "replace(gen_random_uuid()::text, '-', '')",
        }
    }

    /// How another table's row gets its id, written `{ROW_ID}`: SQLite's `INTEGER PRIMARY
    /// KEY` (its rowid), PostgreSQL's identity column.
    fn row_id(self) -> &'static str {
        match self {
            Engine::Sqlite => "INTEGER PRIMARY KEY",
            Engine::Postgres => "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        }
    }
}

impl Migration {
    /// The DDL `engine` runs, in the namespace of `sql`; `None` when it runs nothing there.
    pub(crate) fn render(&self, sql: &Sql, engine: Engine) -> Option<String> {
        if self.only.is_some_and(|only| only != engine) {
            return None;
        }
        Some(
            render(self.text, &sql.tables, &sql.indexes)
                .replace("{ENTRY_ID}", engine.entry_id())
                .replace("{ROW_ID}", engine.row_id())
                .replace("{RANDOM_TOKEN}", engine.random_token()),
        )
    }
}

/// The statements of one store, with its namespace filled in: declared once, each from
/// its file under `sql/`.
macro_rules! statements {
    ($($(#[doc = $doc:literal])+ $(#[cfg($cfg:meta)])? $name:ident = $file:literal;)+) => {
        /// Every statement, with the store's namespace in its table names.
        #[derive(Debug)]
        pub(crate) struct Sql {
            /// The prefix of table names: empty, `schema.` (PostgreSQL) or `prefix_` (SQLite).
            pub(crate) tables: String,
            /// The prefix of index names: empty, or `prefix_` (SQLite).
            pub(crate) indexes: String,
            $($(#[doc = $doc])+ $(#[cfg($cfg)])? pub(crate) $name: String,)+
        }

        impl Sql {
            /// The statements for tables named `{tables}organization_…` and indexes named
            /// `{indexes}organization_…`.
            fn new(tables: &str, indexes: &str) -> Self {
                Sql {
                    tables: tables.to_owned(),
                    indexes: indexes.to_owned(),
                    $($(#[cfg($cfg)])? $name: render(include_str!(concat!("../sql/", $file)), tables, indexes),)+
                }
            }
        }

        /// Every statement's text, for the test of their parameters.
        #[cfg(test)]
        pub(crate) const SHARED: &[&str] = &[$(include_str!(concat!("../sql/", $file))),+];
    };
}

/// `text` with its placeholders filled: `{ns}` before a table's name, `{ix}` before an
/// index's (PostgreSQL names an index without its schema).
fn render(text: &str, tables: &str, indexes: &str) -> String {
    text.replace("{ns}", tables).replace("{ix}", indexes)
}

statements! {
    /// The table of versions run; created before anything else, under the migration lock.
    migration_table = "migration_table.sql";
    /// The versions a database has run.
    migration_versions = "migration_versions.sql";
    /// Records migration `$1`, named `$2`.
    migration_done = "migration_done.sql";
    /// The entry of `$1` account, `$2` Region, `$3` client token.
    #[cfg(feature = "sqlite")]
    token = "token.sql";
    /// Counts one more live entry for `$1` unless it is at its quota (`$2` the default);
    /// returns the new count, or no row when full.
    #[cfg(feature = "sqlite")]
    claim = "claim.sql";
    /// `live, organization_limit` of `$1`.
    quota = "quota.sql";
    /// Sets `$1`'s quota to `$2` (NULL: the default).
    set_limit = "set_limit.sql";
    /// Counts one live entry fewer for `$1`.
    uncount = "uncount.sql";
    /// 128 random bits as 32 lowercase hex digits: the client token of an entry whose spec
    /// has none.
    #[cfg(feature = "sqlite")]
    draw_token = "sqlite/draw_token.sql";
    /// Inserts an entry's columns, returning its new id.
    #[cfg(feature = "sqlite")]
    insert_entry = "insert_entry.sql";
    /// Inserts key `$1` for entry `$2` unless it is held: one row changed, or none.
    insert_key = "insert_key.sql";
    /// The entry holding key `$1`: `id, account, region, alias`.
    holder = "holder.sql";
    /// Entry `$1`.
    entry = "entry.sql";
    /// The entry with organization id `$1`.
    by_organization_id = "by_organization_id.sql";
    /// A page of `$1`'s entries after id `$2`, of Region `$3` (NULL: any), pending and last
    /// changed before `$4` (NULL: any), at most `$5`.
    list = "list.sql";
    /// The keys entry `$1` holds, in order.
    entry_keys = "entry_keys.sql";
    /// Deletes key `$1` of entry `$2`.
    delete_key = "delete_key.sql";
    /// Writes the changing columns of entry `$1` over version `$2`, raising it.
    update_entry = "update_entry.sql";
    /// `version, live` of entry `$1`.
    state = "state.sql";
    /// Raises the version of entry `$1` if it is `$2` (locking the row), returning
    /// `version, live`.
    retire = "retire.sql";
    /// Deletes every key of entry `$1`.
    delete_keys = "delete_keys.sql";
    /// Deletes entry `$1`.
    delete_entry = "delete_entry.sql";
    /// The leaving plan of account `$1`, organization `$2`: `document, version, lease_owner,
    /// lease_expires, updated_at`.
    leaving_plan = "leaving_plan.sql";
    /// Inserts version 1 of the leaving plan of account `$1`, organization `$2`: document
    /// `$3`, lease `$4` until `$5`, at `$6`; one row changed, or none when it has one.
    insert_leaving = "insert_leaving.sql";
    /// Replaces the leaving plan of account `$1`, organization `$2` at version `$4`:
    /// document `$3`, lease `$5` until `$6`, at `$7`; one row changed, or none.
    update_leaving = "update_leaving.sql";
    /// PostgreSQL: the whole admission, `organization_admit` of migration 2.
    #[cfg(feature = "postgres")]
    admit = "postgres/admit_call.sql";
    /// Seeds or replaces directory `$1`: type `$2`, alias `$3`, Region `$4`, additional
    /// Regions `$5` (a JSON array), stage `$6`.
    #[cfg(feature = "emulator")]
    seed_directory = "emulator/seed_directory.sql";
    /// Directory `$1`: `directory_type, alias, region, additional_regions, stage`.
    #[cfg(feature = "emulator")]
    directory = "emulator/directory.sql";
    /// Adds a fault of kind `$1` for operation `$2` (NULL: any), for `$3` calls.
    #[cfg(feature = "emulator")]
    add_fault = "emulator/add_fault.sql";
    /// The oldest fault of kind `$1` that applies to operation `$2`: `id, remaining`.
    #[cfg(feature = "emulator")]
    oldest_fault = "emulator/oldest_fault.sql";
    /// One call fewer for fault `$1`, if it has more than one left: one row changed, or none.
    #[cfg(feature = "emulator")]
    use_fault = "emulator/use_fault.sql";
    /// Deletes fault `$1`, if it has one call left: one row changed, or none.
    #[cfg(feature = "emulator")]
    drop_fault = "emulator/drop_fault.sql";
    /// Records organization `$1`, failing when `$2` (or when it already was).
    #[cfg(feature = "emulator")]
    start_organization = "emulator/start_organization.sql";
    /// Counts one poll of organization `$1`: `polls, fails`.
    #[cfg(feature = "emulator")]
    poll_organization = "emulator/poll_organization.sql";
    /// Makes the verification of domain `$1` fail.
    #[cfg(feature = "emulator")]
    fail_verification = "emulator/fail_verification.sql";
    /// Gives domain `$2` of organization `$1` the tokens `$3`, unless it has some.
    #[cfg(feature = "emulator")]
    insert_domain = "emulator/insert_domain.sql";
    /// Adds `$3` polls to domain `$2` of organization `$1`: `tokens, polls`.
    #[cfg(feature = "emulator")]
    poll_domain = "emulator/poll_domain.sql";
    /// Whether the verification of domain `$1` fails.
    #[cfg(feature = "emulator")]
    failing_domain = "emulator/failing_domain.sql";
    /// Forgets domain `$2` of organization `$1`.
    #[cfg(feature = "emulator")]
    forget_domain = "emulator/forget_domain.sql";
    /// Forgets directory `$1` (deleted with its organization).
    #[cfg(feature = "emulator")]
    forget_directory = "emulator/forget_directory.sql";
    /// Seeds or replaces entity `$2` of organization `$1`: kind `$3`, name `$4`, email `$5`, whether an enabled user `$6`, its JSON `$7`.
    #[cfg(feature = "emulator")]
    upsert_entity = "emulator/upsert_entity.sql";
    /// Gives organization `$1` its count of entities, unless it has one.
    #[cfg(feature = "emulator")]
    insert_entity_count = "emulator/insert_entity_count.sql";
    /// One more entity for organization `$1`, if it has fewer than `$2`: one row changed, or
    /// none.
    #[cfg(feature = "emulator")]
    take_entity_count = "emulator/take_entity_count.sql";
    /// Forgets the count of entities of organization `$1`.
    #[cfg(feature = "emulator")]
    clear_entity_count = "emulator/clear_entity_count.sql";
    /// The JSON of the entity of organization `$1` whose id, name or email is `$2`.
    #[cfg(feature = "emulator")]
    find_entity = "emulator/find_entity.sql";
    /// The JSON of up to `$4` entities of organization `$1` of kind `$2` after id `$3`, by id.
    #[cfg(feature = "emulator")]
    list_entities = "emulator/list_entities.sql";
    /// How many enabled users organization `$1` has.
    #[cfg(feature = "emulator")]
    enabled_users = "emulator/enabled_users.sql";
    /// Deletes every entity of organization `$1`.
    #[cfg(feature = "emulator")]
    delete_entities = "emulator/delete_entities.sql";
    /// Makes the next export job of entity `$2` of organization `$1` fail.
    #[cfg(feature = "emulator")]
    add_export_failure = "emulator/add_export_failure.sql";
    /// Takes the failure of entity `$2` of organization `$1`: one row changed, or none.
    #[cfg(feature = "emulator")]
    take_export_failure = "emulator/take_export_failure.sql";
    /// The JSON of the job of organization `$1` with client token `$2`.
    #[cfg(feature = "emulator")]
    job_by_token = "emulator/job_by_token.sql";
    /// Gives organization `$1` its row of running jobs, unless it has one.
    #[cfg(feature = "emulator")]
    insert_slot = "emulator/insert_slot.sql";
    /// One more running job for organization `$1`, if fewer than `$2` run: one row changed, or none.
    #[cfg(feature = "emulator")]
    take_slot = "emulator/take_slot.sql";
    /// One running job fewer for organization `$1`.
    #[cfg(feature = "emulator")]
    free_slot = "emulator/free_slot.sql";
    /// Inserts job `$1` of organization `$2`, client token `$3`, started at `$4`, its JSON `$5`, unless either key is held.
    #[cfg(feature = "emulator")]
    insert_job = "emulator/insert_job.sql";
    /// The JSON of job `$2` of organization `$1`.
    #[cfg(feature = "emulator")]
    job = "emulator/job.sql";
    /// Replaces the JSON of job `$1`, if it is still `$2`, by `$3`.
    #[cfg(feature = "emulator")]
    update_job = "emulator/update_job.sql";
    /// The JSON of up to `$4` jobs of organization `$1` started at `$2` or later, after id `$3`, by id.
    #[cfg(feature = "emulator")]
    list_jobs = "emulator/list_jobs.sql";
    /// The JSON of up to `$2` jobs of every organization after id `$1`, by id.
    #[cfg(feature = "emulator")]
    all_jobs = "emulator/all_jobs.sql";
}

impl Sql {
    /// The statements of a store in `namespace` on an engine that separates a namespace from
    /// a name with `separator`: `.` (a PostgreSQL schema, where an index takes no prefix)
    /// or `_` (an SQLite prefix, for tables and indexes alike).
    pub(crate) fn in_namespace(namespace: Option<&Namespace>, separator: char) -> Self {
        let Some(namespace) = namespace else {
            return Sql::new("", "");
        };
        let tables = format!("{namespace}{separator}");
        let indexes = if separator == '.' {
            ""
        } else {
            tables.as_str()
        };
        Sql::new(&tables, indexes)
    }
}

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
