//! A store whose engine is chosen at run time: [`AnyStore`].

use workmail_org::catalog::store::{
    Holder, Listing, NewEntry, Quota, Reservation, Store, StoreError, Written,
};
use workmail_org::catalog::{Entry, EntryId, InMemoryStore, PlanStore, StoredPlan, UniquenessKey};
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
    Memory(MemoryStore),
    /// An SQLite file.
    #[cfg(feature = "sqlite")]
    Sqlite(crate::SqliteStore),
    /// A PostgreSQL database.
    #[cfg(feature = "postgres")]
    Postgres(crate::PostgresStore),
}

/// What [`AnyStore::Memory`] holds: the library's [`InMemoryStore`], and with the feature
/// `emulator` the emulator's state beside it (`emulator::MemoryState`), both gone when the
/// process ends.
///
/// ```
/// use workmail_org::catalog::InMemoryStore;
/// use workmail_org_stores::{AnyStore, MemoryStore};
///
/// let store = AnyStore::Memory(MemoryStore::new());
/// let same_kind = AnyStore::Memory(InMemoryStore::new().into());
/// assert!(matches!((store, same_kind), (AnyStore::Memory(_), AnyStore::Memory(_))));
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    store: InMemoryStore,
    #[cfg(feature = "emulator")]
    emulator: crate::emulator::MemoryState,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// The library's store of organizations.
    pub fn store(&self) -> &InMemoryStore {
        &self.store
    }

    /// The emulator's state.
    #[cfg(feature = "emulator")]
    pub fn emulator(&self) -> &crate::emulator::MemoryState {
        &self.emulator
    }
}

impl From<InMemoryStore> for MemoryStore {
    fn from(store: InMemoryStore) -> Self {
        MemoryStore {
            store,
            #[cfg(feature = "emulator")]
            emulator: crate::emulator::MemoryState::new(),
        }
    }
}

/// The same call on whichever engine `$self` holds.
macro_rules! on_engine {
    ($self:ident, |$store:ident| $call:expr) => {
        match $self {
            AnyStore::Memory(memory) => {
                let $store = &memory.store;
                $call.await
            }
            // A database's future is boxed: awaited in place, its transaction's state (a few
            // KB) would make every call's future, the in-memory one's too, that large.
            #[cfg(feature = "sqlite")]
            AnyStore::Sqlite($store) => Box::pin($call).await,
            #[cfg(feature = "postgres")]
            AnyStore::Postgres($store) => Box::pin($call).await,
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

impl AnyStore {
    /// A store in this process's memory: [`AnyStore::Memory`] with an empty
    /// [`MemoryStore`].
    pub fn memory() -> Self {
        AnyStore::Memory(MemoryStore::new())
    }

    /// Makes the tables of the emulator's state, on a database engine: the engine's
    /// `migrate_emulator` (`SqliteStore`'s or `PostgresStore`'s). In memory there is nothing
    /// to make.
    ///
    /// # Errors
    /// [`StoreError`] when the database refuses.
    #[cfg(feature = "emulator")]
    pub async fn migrate_emulator(&self) -> Result<(), StoreError> {
        match self {
            AnyStore::Memory(_) => Ok(()),
            #[cfg(feature = "sqlite")]
            AnyStore::Sqlite(store) => store.migrate_emulator().await,
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(store) => store.migrate_emulator().await,
        }
    }
}

impl PlanStore for AnyStore {
    async fn plan(
        &self,
        account: &AccountId,
        organization_id: &OrganizationId,
    ) -> Result<Option<StoredPlan>, StoreError> {
        on_engine!(self, |store| store.plan(account, organization_id))
    }

    async fn put_plan(&self, next: &StoredPlan) -> Result<Written, StoreError> {
        on_engine!(self, |store| store.put_plan(next))
    }
}
