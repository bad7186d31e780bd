//! End to end: the `workmail-org` binary as child processes against an endpoint served in
//! this test process (the emulator, through its library API) and a store on SQLite or
//! PostgreSQL (`DATABASE_URL`, or a throwaway server the stores member's test support starts
//! and deletes).

mod common;
#[cfg(all(feature = "kill-points", feature = "postgres"))]
mod crash;
#[cfg(all(feature = "kill-points", feature = "sqlite"))]
mod leave;
#[allow(unused_imports)] // the module serves every stores test; these use a part
#[path = "../../../stores/tests/store/support.rs"]
mod support;
#[cfg(feature = "postgres")]
mod tenant;
#[cfg(feature = "sqlite")]
mod usage;
