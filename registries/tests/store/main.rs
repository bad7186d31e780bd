//! The stores against one contract: the library's `InMemoryStore`, `SqliteStore` on a file in
//! a temporary directory and `PostgresStore` on the server `DATABASE_URL` names, or, when it
//! is unset, on a throwaway server these tests start themselves. One test crate: `support`
//! opens the engines, `contract` holds every engine to the same answers, `concurrency` races
//! connections, `crash` kills child processes (this binary, run again) at each stage.

mod support;

mod contract;

#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod concurrency;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod crash;
