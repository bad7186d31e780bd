//! The emulator's own state, beside the catalog's store: seeded directories, injected faults,
//! poll counters, generated DNS tokens, verification failures, seeded users and resources,
//! and mailbox export jobs.
//!
//! Organizations, their keys, the quota and client tokens live in the crate's
//! [`Store`](workmail_org::catalog::store::Store); what only an emulator needs lives in the same
//! store, reached through [`AnyStore::emulator`](crate::AnyStore::emulator), so that several
//! emulator processes on one database agree on it too. Its types and its tables belong to the
//! `workmail-org-stores` member (feature `emulator`), which owns every statement, migration,
//! retry, busy timeout, pool and driver of the emulator's database:
//! [`workmail_org_stores::emulator`] has the tables and what each call does. The types are
//! re-exported here under their old names.

pub use workmail_org_stores::emulator::{
    DomainState, EmulatorState, EntityKind, ExportJob, ExportStart, Fault, FaultKind, MemoryState,
    OrganizationPolls, SeededDirectory, SeededEntity,
};
