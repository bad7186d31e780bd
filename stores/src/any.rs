//! A store whose engine is chosen at run time: [`AnyStore`].

use workmail_org::catalog::store::{Listing, NewEntry, Reservation, Written};
use workmail_org::catalog::{
    Entry, EntryId, Holder, InMemoryStore, Quota, Store, StoreError, UniquenessKey,
};
use workmail_org::{AccountId, OrganizationId};

/// One of the engines, chosen at run time, for instance from a
/// [`DatabaseUrl`](crate::DatabaseUrl): a [`Store`] that hands each call to the engine it
/// holds.
///
/// An enum rather than a boxed trait object: [`Store`]'s methods return `impl Future`, so
/// it is not object safe, and a boxed wrapper would allocate a future on every call to
/// erase a type this enum already knows. A service with one engine uses that engine's type
/// directly.
// A process holds one or two of these for its lifetime and never moves them on a hot path, so
// the in-memory variant's size is not worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
#[non_exhaustive]
pub enum AnyStore {
    /// This process's memory (`memory:`): gone when the process ends.
    Memory(InMemoryStore),
    /// An SQLite file.
    #[cfg(feature = "sqlite")]
    Sqlite(crate::SqliteStore),
    /// A PostgreSQL database.
    #[cfg(feature = "postgres")]
    Postgres(crate::PostgresStore),
}

/// The same call on whichever engine `$self` holds.
macro_rules! on_engine {
    ($self:ident, |$store:ident| $call:expr) => {
        match $self {
            AnyStore::Memory($store) => $call.await,
            #[cfg(feature = "sqlite")]
            AnyStore::Sqlite($store) => $call.await,
            #[cfg(feature = "postgres")]
            AnyStore::Postgres($store) => $call.await,
        }
    };
}

impl Store for AnyStore {
    async fn admit(&self, admission: &NewEntry<'_>) -> Result<Reservation, StoreError> {
        on_engine!(self, |store| store.admit(admission))
    }

    async fn write(&self, next: &Entry) -> Result<Written, StoreError> {
        on_engine!(self, |store| store.write(next))
    }

    async fn release(&self, entry: &Entry) -> Result<Written, StoreError> {
        on_engine!(self, |store| store.release(entry))
    }

    async fn entry(&self, id: EntryId) -> Result<Option<Entry>, StoreError> {
        on_engine!(self, |store| store.entry(id))
    }

    async fn by_organization_id(&self, id: &OrganizationId) -> Result<Option<Entry>, StoreError> {
        on_engine!(self, |store| store.by_organization_id(id))
    }

    async fn holder(&self, key: &UniquenessKey) -> Result<Option<Holder>, StoreError> {
        on_engine!(self, |store| store.holder(key))
    }

    async fn list(&self, listing: &Listing) -> Result<Vec<Entry>, StoreError> {
        on_engine!(self, |store| store.list(listing))
    }

    async fn quota(&self, account: &AccountId) -> Result<Quota, StoreError> {
        on_engine!(self, |store| store.quota(account))
    }

    async fn set_limit(&self, account: &AccountId, limit: Option<u64>) -> Result<(), StoreError> {
        on_engine!(self, |store| store.set_limit(account, limit))
    }
}
