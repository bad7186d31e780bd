//! The store of one process: everything in memory, behind one lock.

use std::collections::{BTreeSet, HashMap};
use std::future::{ready, Future};

// The key index is the one map on the hot path of every lookup: hashbrown's foldhash (seeded
// per process) hashes a key in a few nanoseconds, where std's SipHash takes several times
// as long.
type KeyIndex = hashbrown::HashMap<UniquenessKey, Holder>;
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::id::{AccountId, ClientToken, OrganizationId, Region};

use super::entry::StoredEntry;
use super::plans::{PlanStore, StoredPlan};
use super::store::{
    Holder, Listing, NewEntry, Quota, Reservation, Store, StoreError, Taken, Written, MAX_PAGE,
};
use super::{Entry, EntryId, UniquenessKey, DEFAULT_ORGANIZATION_LIMIT};

/// A [`Store`] in memory: the default of [`Catalog::new`](crate::Catalog::new), and the
/// store of tests and of single-process tools.
///
/// Its state is gone when the process ends; the processes of a fleet share a database store
/// instead (`workmail-org-stores`). Every call takes one lock, a write lock to change
/// anything and a read lock to look up, so each call is atomic and readers run side by side.
/// Lookups are hash-map lookups, and a key's holder sits beside the key, so finding who holds
/// a key is one probe and one copy (`cargo bench --bench registry` times it at a million
/// entries; `BENCHMARKS.md` has the figures).
///
/// A lock poisoned by a panic elsewhere is recovered: no call here leaves the state half
/// written, because each checks everything before it changes anything.
#[derive(Debug, Default)]
pub struct InMemoryStore {
    state: RwLock<Tables>,
    tokens: Mutex<Tokens>,
}

/// Where an in-memory store draws the client token of an entry whose spec has none (a
/// database draws it in SQL; memory has no randomness of its own).
#[derive(Default)]
enum Tokens {
    /// std's `RandomState`: keys from the operating system's randomness, once per thread,
    /// hashing a counter. Unique with overwhelming likelihood; not for secrets, and a client
    /// token is none.
    #[default]
    Hashed,
    /// The caller's source.
    Given(Box<dyn FnMut() -> [u8; 16] + Send>),
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Tokens::Hashed => "Hashed",
            Tokens::Given(_) => "Given",
        })
    }
}

impl Tokens {
    fn draw(&mut self, serial: u64) -> ClientToken {
        let bits = match self {
            Tokens::Given(source) => source(),
            Tokens::Hashed => {
                use std::hash::BuildHasher;
                let random = std::collections::hash_map::RandomState::new();
                let half = |salt: u8| random.hash_one((serial, salt)).to_le_bytes();
                let mut bits = [0u8; 16];
                bits[..8].copy_from_slice(&half(0));
                bits[8..].copy_from_slice(&half(1));
                bits
            }
        };
        ClientToken::from_random(bits)
    }
}

#[derive(Debug, Default)]
struct Tables {
    last_id: u64,
    entries: HashMap<EntryId, Entry>,
    by_account: HashMap<AccountId, BTreeSet<EntryId>>,
    /// Each held key with its holder, so a lookup is one probe.
    keys: KeyIndex,
    tokens: HashMap<(AccountId, Region, ClientToken), EntryId>,
    organization_ids: HashMap<OrganizationId, EntryId>,
    accounts: HashMap<AccountId, Account>,
    /// Leaving plans, by account and organization.
    plans: HashMap<(AccountId, OrganizationId), StoredPlan>,
}

#[derive(Debug, Default)]
struct Account {
    live: u64,
    limit: Option<u64>,
}

impl InMemoryStore {
    /// An empty store. It draws the client token of an entry whose spec has none from std's
    /// `RandomState` (the operating system's randomness); see
    /// [`with_token_source`](Self::with_token_source) for a source of your own.
    pub fn new() -> Self {
        InMemoryStore::default()
    }

    /// An empty store that draws client tokens from `source`, 128 bits each (a seeded
    /// generator in a property test, a CSPRNG in a service).
    pub fn with_token_source(source: impl FnMut() -> [u8; 16] + Send + 'static) -> Self {
        InMemoryStore {
            state: RwLock::default(),
            tokens: Mutex::new(Tokens::Given(Box::new(source))),
        }
    }

    /// How many entries it holds, deleted ones included.
    pub fn len(&self) -> usize {
        self.read().entries.len()
    }

    /// Whether it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read(&self) -> RwLockReadGuard<'_, Tables> {
        self.state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_lock(&self) -> RwLockWriteGuard<'_, Tables> {
        self.state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Tables {
    fn quota(&self, account: &AccountId) -> Quota {
        let stored = self.accounts.get(account);
        Quota::new(
            stored.map_or(0, |a| a.live),
            stored
                .and_then(|a| a.limit)
                .unwrap_or(DEFAULT_ORGANIZATION_LIMIT),
        )
    }

    fn holder(&self, key: &UniquenessKey) -> Option<Holder> {
        self.keys.get(key).cloned()
    }
}

// Every call is done when it is made, and its future is ready at once: the catalog's rules
// run on this store from sync code through `Catalog::blocking`.
impl InMemoryStore {
    fn admit_now(&self, admission: &NewEntry<'_>) -> Result<Reservation, StoreError> {
        let mut state = self.write_lock();
        let spec = admission.spec;
        if let Some(token) = spec.client_token() {
            let scope = (admission.account.clone(), spec.region(), token.clone());
            if let Some(entry) = state
                .tokens
                .get(&scope)
                .and_then(|id| state.entries.get(id))
            {
                return Ok(Reservation::TokenHeld(entry.clone()));
            }
        }
        let conflicts: Vec<(UniquenessKey, Holder)> = admission
            .keys
            .iter()
            .filter_map(|key| state.holder(key).map(|holder| (key.clone(), holder)))
            .collect();
        let quota = state.quota(admission.account);
        if !conflicts.is_empty() || quota.is_full() {
            return Ok(Reservation::Refused(Taken::new(
                conflicts,
                quota.is_full().then_some(quota),
            )));
        }
        state.last_id += 1;
        let id = EntryId::new(state.last_id);
        let token = match spec.client_token() {
            Some(token) => token.clone(),
            None => self
                .tokens
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .draw(state.last_id),
        };
        let stored = StoredEntry::admitted(
            id,
            admission.account.clone(),
            spec.clone(),
            token,
            admission.now,
        );
        let entry =
            Entry::try_from(stored).map_err(|err| StoreError::new("admitting an entry", err))?;
        let holder = Holder::of(&entry);
        for key in admission.keys.iter() {
            state.keys.insert(key.clone(), holder.clone());
        }
        if let Some(token) = spec.client_token() {
            state.tokens.insert(
                (admission.account.clone(), spec.region(), token.clone()),
                id,
            );
        }
        state
            .accounts
            .entry(admission.account.clone())
            .or_default()
            .live += 1;
        state
            .by_account
            .entry(admission.account.clone())
            .or_default()
            .insert(id);
        state.entries.insert(id, entry.clone());
        Ok(Reservation::New(entry))
    }

    fn write_now(&self, next: &Entry) -> Result<Written, StoreError> {
        let mut state = self.write_lock();
        let Some(stored) = state.entries.get(&next.id()) else {
            return Ok(Written::Stale);
        };
        if stored.version() + 1 != next.version() {
            return Ok(Written::Stale);
        }
        let was_live = stored.is_live();
        let old_keys = stored.keys();
        let new_keys = next.keys();
        let conflicts: Vec<(UniquenessKey, Holder)> = new_keys
            .iter()
            .filter(|key| !old_keys.contains(key))
            .filter_map(|key| state.holder(key).map(|holder| (key.clone(), holder)))
            .collect();
        if !conflicts.is_empty() {
            return Ok(Written::Conflict(conflicts));
        }
        if let Some(id) = next.organization_id() {
            if let Some(owner) = state.organization_ids.get(id) {
                if *owner != next.id() {
                    return Err(StoreError::msg(format!(
                        "writing entry {}: organization id {id} is already entry {owner}'s",
                        next.id()
                    )));
                }
            }
            state.organization_ids.insert(id.clone(), next.id());
        }
        for key in old_keys.iter().filter(|key| !new_keys.contains(key)) {
            state.keys.remove(key);
        }
        let holder = Holder::of(next);
        for key in new_keys {
            state.keys.insert(key, holder.clone());
        }
        if was_live && !next.is_live() {
            if let Some(account) = state.accounts.get_mut(next.account()) {
                account.live = account.live.saturating_sub(1);
            }
        }
        state.entries.insert(next.id(), next.clone());
        Ok(Written::Done)
    }

    fn release_now(&self, entry: &Entry) -> Result<Written, StoreError> {
        let mut state = self.write_lock();
        let Some(stored) = state.entries.get(&entry.id()) else {
            return Ok(Written::Stale);
        };
        if stored.version() != entry.version() {
            return Ok(Written::Stale);
        }
        let stored = stored.clone();
        for key in stored.keys() {
            state.keys.remove(&key);
        }
        if let Some(token) = stored.spec().client_token() {
            state
                .tokens
                .remove(&(stored.account().clone(), stored.region(), token.clone()));
        }
        if let Some(id) = stored.organization_id() {
            state.organization_ids.remove(id);
        }
        if stored.is_live() {
            if let Some(account) = state.accounts.get_mut(stored.account()) {
                account.live = account.live.saturating_sub(1);
            }
        }
        if let Some(ids) = state.by_account.get_mut(stored.account()) {
            ids.remove(&stored.id());
        }
        state.entries.remove(&stored.id());
        Ok(Written::Done)
    }

    fn entry_now(&self, id: EntryId) -> Result<Option<Entry>, StoreError> {
        Ok(self.read().entries.get(&id).cloned())
    }

    fn by_organization_id_now(&self, id: &OrganizationId) -> Result<Option<Entry>, StoreError> {
        let state = self.read();
        Ok(state
            .organization_ids
            .get(id)
            .and_then(|entry| state.entries.get(entry))
            .cloned())
    }

    fn holder_now(&self, key: &UniquenessKey) -> Result<Option<Holder>, StoreError> {
        Ok(self.read().holder(key))
    }

    fn list_now(&self, listing: &Listing) -> Result<Vec<Entry>, StoreError> {
        let state = self.read();
        let Some(ids) = state.by_account.get(&listing.account) else {
            return Ok(Vec::new());
        };
        let after = listing.after.map_or(0, EntryId::get);
        let entries = ids
            .range(EntryId::new(after.saturating_add(1))..)
            .filter_map(|id| state.entries.get(id))
            .filter(|entry| listing.region.is_none_or(|region| entry.region() == region))
            .filter(|entry| {
                listing
                    .pending_before
                    .is_none_or(|before| entry.stage().is_pending() && entry.updated_at() < before)
            })
            .take(listing.limit.clamp(1, MAX_PAGE))
            .cloned()
            .collect();
        Ok(entries)
    }

    fn quota_now(&self, account: &AccountId) -> Result<Quota, StoreError> {
        Ok(self.read().quota(account))
    }

    fn set_limit_now(&self, account: &AccountId, limit: Option<u64>) -> Result<(), StoreError> {
        self.write_lock()
            .accounts
            .entry(account.clone())
            .or_default()
            .limit = limit;
        Ok(())
    }
}

impl Store for InMemoryStore {
    fn admit(
        &self,
        admission: &NewEntry<'_>,
    ) -> impl Future<Output = Result<Reservation, StoreError>> + Send {
        ready(self.admit_now(admission))
    }

    fn write(&self, next: &Entry) -> impl Future<Output = Result<Written, StoreError>> + Send {
        ready(self.write_now(next))
    }

    fn release(&self, entry: &Entry) -> impl Future<Output = Result<Written, StoreError>> + Send {
        ready(self.release_now(entry))
    }

    fn entry(&self, id: EntryId) -> impl Future<Output = Result<Option<Entry>, StoreError>> + Send {
        ready(self.entry_now(id))
    }

    fn by_organization_id(
        &self,
        id: &OrganizationId,
    ) -> impl Future<Output = Result<Option<Entry>, StoreError>> + Send {
        ready(self.by_organization_id_now(id))
    }

    fn holder(
        &self,
        key: &UniquenessKey,
    ) -> impl Future<Output = Result<Option<Holder>, StoreError>> + Send {
        ready(self.holder_now(key))
    }

    fn list(
        &self,
        listing: &Listing,
    ) -> impl Future<Output = Result<Vec<Entry>, StoreError>> + Send {
        ready(self.list_now(listing))
    }

    fn quota(&self, account: &AccountId) -> impl Future<Output = Result<Quota, StoreError>> + Send {
        ready(self.quota_now(account))
    }

    fn set_limit(
        &self,
        account: &AccountId,
        limit: Option<u64>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(self.set_limit_now(account, limit))
    }
}

impl PlanStore for InMemoryStore {
    fn plan(
        &self,
        account: &AccountId,
        organization_id: &OrganizationId,
    ) -> impl Future<Output = Result<Option<StoredPlan>, StoreError>> + Send {
        let key = (account.clone(), organization_id.clone());
        ready(Ok(self.read().plans.get(&key).cloned()))
    }

    fn put_plan(
        &self,
        next: &StoredPlan,
    ) -> impl Future<Output = Result<Written, StoreError>> + Send {
        let mut tables = self.write_lock();
        let key = (next.account().clone(), next.organization_id().clone());
        let current = tables.plans.get(&key).map(StoredPlan::version);
        let fits = match current {
            None => next.version() == 1,
            Some(version) => next.version() == version + 1,
        };
        ready(Ok(if fits {
            tables.plans.insert(key, next.clone());
            Written::Done
        } else {
            Written::Stale
        }))
    }
}
