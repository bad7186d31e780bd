//! The stores against one contract: the library's `InMemoryStore`, `SqliteStore` on a file in
//! a temporary directory and `PostgresStore` on the server `DATABASE_URL` names, or, when it
//! is unset, on a throwaway server these tests start themselves. One test crate: `support`
//! opens the engines, `contract` holds every engine to the same answers, `recovery` holds them
//! to the recovery decision table, leases and fencing (and races two recoverers), `concurrency` races
//! stores, `crash` kills child processes (this binary, run again) at each stage, `runtime`
//! creates and drops stores on each kind of tokio runtime, `migration` races migrating
//! processes and adopts an old database, `postgres` takes the server away (an outage, ended
//! sessions) and checks the pool and the errors, `example` runs `examples/store.rs`, and
//! `emulator` (feature `emulator`) holds the emulator's state to one contract on every engine.
//!
//! Every check is async, on a multi-thread runtime of 4 workers, and each store is a pool of
//! its own: a new store stands for another process.

mod support;

/// Runs each async check on the database engines, with the engine's name for its figures:
/// `MODULE::sqlite::NAME`, `MODULE::postgres::NAME`.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
macro_rules! on_database_engines {
    ($($check:ident),+ $(,)?) => {
        #[cfg(feature = "sqlite")]
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                super::$check(&crate::support::sqlite(stringify!($check)).await, "SQLite").await;
            })+
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                super::$check(&crate::support::postgres(stringify!($check)).await, "PostgreSQL")
                    .await;
            })+
        }
    };
}

/// Runs each check on each engine, the in-memory one included: `MODULE::memory::NAME`,
/// `MODULE::sqlite::NAME`, `MODULE::postgres::NAME`.
macro_rules! on_every_engine {
    ($($check:ident),+ $(,)?) => {
        mod memory {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                super::$check(&crate::support::memory(stringify!($check))).await;
            })+
        }
        #[cfg(feature = "sqlite")]
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                super::$check(&crate::support::sqlite(stringify!($check)).await).await;
            })+
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                super::$check(&crate::support::postgres(stringify!($check)).await).await;
            })+
        }
    };
}
mod contract;
mod leaving;
mod recovery;

#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod concurrency;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod crash;
#[cfg(feature = "emulator")]
mod emulator;
#[cfg(feature = "sqlite")]
mod example;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod migration;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod runtime;
