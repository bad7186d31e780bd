//! The stores against one contract: the library's `InMemoryStore`, `SqliteStore` on a file in
//! a temporary directory and `PostgresStore` on the server `DATABASE_URL` names, or, when it
//! is unset, on a throwaway server these tests start themselves. One test crate: `support`
//! opens the engines, `contract` holds every engine to the same answers, `concurrency` races
//! connections, `crash` kills child processes (this binary, run again) at each stage, `example` runs
//! `examples/store.rs`.

mod support;

/// Runs each check on the database engines, with the engine's name for its figures:
/// `MODULE::sqlite::NAME`, `MODULE::postgres::NAME`.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
macro_rules! on_database_engines {
    ($($check:ident),+ $(,)?) => {
        #[cfg(feature = "sqlite")]
        mod sqlite {
            $(#[test]
            fn $check() {
                super::$check(&crate::support::sqlite(stringify!($check)), "SQLite");
            })+
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(#[test]
            fn $check() {
                super::$check(&crate::support::postgres(stringify!($check)), "PostgreSQL");
            })+
        }
    };
}

mod contract;

#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod concurrency;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod crash;
#[cfg(feature = "sqlite")]
mod example;
