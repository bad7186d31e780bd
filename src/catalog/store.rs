//! The seam between the catalog's rules and the storage that keeps them: [`Store`], and the
//! types a store's author works with.
//!
//! A service picks a store and hands it to a [`Catalog`](crate::Catalog), whose calls answer
//! with this module's [`StoreError`] (the store failed), [`Quota`] (an account's live
//! organizations and limit) and [`Holder`] (the entry that holds a key). Only someone
//! writing a storage engine implements [`Store`], and needs the rest of this module:
//! [`NewEntry`] (what to admit), [`Reservation`] and [`Taken`] (what admitting did),
//! [`Written`] (what a write did), [`Listing`] (a page asked for) and [`StoredEntry`] (an
//! entry taken apart into columns, checked again when it becomes an entry).

use std::error::Error;
use std::fmt;
use std::future::Future;

use crate::id::{AccountId, OrganizationAlias, OrganizationId, Region};
use crate::spec::OrganizationSpec;

pub use super::entry::{InvalidEntry, StoredEntry};
use super::{Entry, EntryId, UniquenessKey, UniquenessKeys};

/// Storage that keeps every organization's [`Entry`] and every [`UniquenessKey`], shared by
/// every process that creates organizations.
///
/// The catalog's rules live in [`Catalog`](crate::Catalog), which works on any store; a store
/// only has to make each call **one atomic step**, so that what several processes do at once
/// is as if they took turns. Unique indexes decide races, never a read followed by a write.
/// This crate has [`InMemoryStore`](super::InMemoryStore), for one process; the
/// `workmail-org-stores` workspace member puts the same trait on SQLite and PostgreSQL,
/// and one contract test suite holds all three to it.
///
/// What each call must do, atomically:
/// - [`admit`](Self::admit): refuse (changing nothing) when an entry with the same account,
///   Region and client token exists; otherwise insert every key of the new entry and count it
///   against its account's quota, or, when any key is held or the quota is reached, insert
///   nothing and report *every* held key and the full quota at once.
/// - [`write`](Self::write): replace an entry with its next version, only over the version it
///   was made from, and bring its keys in line with it: a live entry holds its alias key, its
///   directory key and one key per mail domain it lists; a no longer live entry (reported
///   `Deleted`) holds none and stops counting against the quota.
/// - [`release`](Self::release): delete an entry and its keys, uncounting it, only over the
///   version given.
///
/// The calls are asynchronous, and their futures are `Send`, so a store is awaited inside
/// any async runtime's tasks; this crate does no I/O itself and depends on no runtime. A
/// store with nothing to wait for (the in-memory one) returns futures that are ready at
/// once, which [`Catalog::blocking`](crate::Catalog::blocking) drives from sync code.
///
/// A store is not object safe (its methods return `impl Future`): an engine chosen at run
/// time is an enum of the engines, as the `workmail-org-stores` member's `AnyStore` is.
pub trait Store: Send + Sync {
    /// Admits a new entry: one transaction.
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed; nothing was admitted then, or, if the failure
    /// hid a commit, the entry is there and a retry with the same client token finds it.
    fn admit(
        &self,
        admission: &NewEntry<'_>,
    ) -> impl Future<Output = Result<Reservation, StoreError>> + Send;

    /// Writes `next`, the next version of an entry, over version `next.version() - 1`, with
    /// the key changes described on the trait.
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed.
    fn write(&self, next: &Entry) -> impl Future<Output = Result<Written, StoreError>> + Send;

    /// Deletes `entry` and frees its keys, when the stored entry is still at
    /// `entry.version()`.
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed.
    fn release(&self, entry: &Entry) -> impl Future<Output = Result<Written, StoreError>> + Send;

    /// The entry with this id.
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed or holds an entry it cannot read back.
    fn entry(&self, id: EntryId) -> impl Future<Output = Result<Option<Entry>, StoreError>> + Send;

    /// The entry AWS knows by this organization id.
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed or holds an entry it cannot read back.
    fn by_organization_id(
        &self,
        id: &OrganizationId,
    ) -> impl Future<Output = Result<Option<Entry>, StoreError>> + Send;

    /// Who holds `key`, if anyone: a live entry.
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed or holds a row it cannot read back.
    fn holder(
        &self,
        key: &UniquenessKey,
    ) -> impl Future<Output = Result<Option<Holder>, StoreError>> + Send;

    /// One page of an account's entries, in id order: see [`Listing`].
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed or holds an entry it cannot read back.
    fn list(
        &self,
        listing: &Listing,
    ) -> impl Future<Output = Result<Vec<Entry>, StoreError>> + Send;

    /// The account's live organizations and its quota.
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed.
    fn quota(&self, account: &AccountId) -> impl Future<Output = Result<Quota, StoreError>> + Send;

    /// Sets the account's quota; [`None`] goes back to
    /// [`DEFAULT_ORGANIZATION_LIMIT`](super::DEFAULT_ORGANIZATION_LIMIT). Organizations
    /// already over a lowered quota stay; no new one is admitted until the account is below
    /// it.
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed.
    fn set_limit(
        &self,
        account: &AccountId,
        limit: Option<u64>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// A shared store is a store: `&S` and `Arc<S>` work where a store is taken.
macro_rules! forward_store {
    ($($ty:ty),+) => {$(
        impl<S: Store> Store for $ty {
            fn admit(
                &self,
                admission: &NewEntry<'_>,
            ) -> impl Future<Output = Result<Reservation, StoreError>> + Send {
                (**self).admit(admission)
            }
            fn write(&self, next: &Entry) -> impl Future<Output = Result<Written, StoreError>> + Send {
                (**self).write(next)
            }
            fn release(&self, entry: &Entry) -> impl Future<Output = Result<Written, StoreError>> + Send {
                (**self).release(entry)
            }
            fn entry(&self, id: EntryId) -> impl Future<Output = Result<Option<Entry>, StoreError>> + Send {
                (**self).entry(id)
            }
            fn by_organization_id(
                &self,
                id: &OrganizationId,
            ) -> impl Future<Output = Result<Option<Entry>, StoreError>> + Send {
                (**self).by_organization_id(id)
            }
            fn holder(
                &self,
                key: &UniquenessKey,
            ) -> impl Future<Output = Result<Option<Holder>, StoreError>> + Send {
                (**self).holder(key)
            }
            fn list(&self, listing: &Listing) -> impl Future<Output = Result<Vec<Entry>, StoreError>> + Send {
                (**self).list(listing)
            }
            fn quota(&self, account: &AccountId) -> impl Future<Output = Result<Quota, StoreError>> + Send {
                (**self).quota(account)
            }
            fn set_limit(
                &self,
                account: &AccountId,
                limit: Option<u64>,
            ) -> impl Future<Output = Result<(), StoreError>> + Send {
                (**self).set_limit(account, limit)
            }
        }
    )+};
}

forward_store!(&S, std::sync::Arc<S>);

/// What [`Store::admit`] is asked to admit: a valid spec of one account, with its keys, at
/// the caller's time.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct NewEntry<'a> {
    /// The account admitting it.
    pub account: &'a AccountId,
    /// The spec.
    pub spec: &'a OrganizationSpec,
    /// The spec's keys ([`UniquenessKeys::new`] of the account and spec).
    pub keys: &'a UniquenessKeys,
    /// The caller's time, in epoch seconds.
    pub now: u64,
}

impl<'a> NewEntry<'a> {
    /// What admitting `spec` into `account` at `now` asks, with the keys it must hold.
    pub fn new(
        account: &'a AccountId,
        spec: &'a OrganizationSpec,
        keys: &'a UniquenessKeys,
        now: u64,
    ) -> Self {
        NewEntry {
            account,
            spec,
            keys,
            now,
        }
    }
}

/// What [`Store::admit`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reservation {
    /// Every key was free and the quota not reached: the entry is admitted, at
    /// [`Stage::Reserved`](super::Stage::Reserved).
    New(Entry),
    /// An entry of the same account and Region already has the spec's client token; nothing
    /// changed. Whether it is the same request is the catalog's to decide.
    TokenHeld(Entry),
    /// Nothing changed: these keys are held, or the quota is reached.
    Refused(Taken),
}

/// Why a store refused an admission: every held key, and the quota when it is full.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Taken {
    /// Each key of the spec that an entry holds, with that entry, in the keys' order.
    pub conflicts: Vec<(UniquenessKey, Holder)>,
    /// The account's quota, when it is full.
    pub quota: Option<Quota>,
}

impl Taken {
    /// A refusal for these held keys and, if full, the quota.
    pub fn new(conflicts: Vec<(UniquenessKey, Holder)>, quota: Option<Quota>) -> Self {
        Taken { conflicts, quota }
    }
}

/// The entry that holds a key: enough to name it in a message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Holder {
    /// The entry.
    pub entry: EntryId,
    /// Its account.
    pub account: AccountId,
    /// Its Region.
    pub region: Region,
    /// Its alias, as its spec spells it.
    pub alias: OrganizationAlias,
}

impl Holder {
    /// The holder `entry` of `account` in `region`, named `alias`.
    pub fn new(
        entry: EntryId,
        account: AccountId,
        region: Region,
        alias: OrganizationAlias,
    ) -> Self {
        Holder {
            entry,
            account,
            region,
            alias,
        }
    }

    /// The holder that `entry` is.
    pub fn of(entry: &Entry) -> Self {
        Holder::new(
            entry.id(),
            entry.account().clone(),
            entry.region(),
            entry.alias().clone(),
        )
    }
}

impl fmt::Display for Holder {
    /// `organization "acme" of account 111122223333 in us-east-1 (entry 7)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "organization \"{}\" of account {} in {} (entry {})",
            self.alias, self.account, self.region, self.entry
        )
    }
}

/// An account's live organizations and its quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Quota {
    /// Live organizations: admitted, and not reported `Deleted`.
    pub live: u64,
    /// How many it may hold.
    pub limit: u64,
}

impl Quota {
    /// `live` organizations of a quota of `limit`.
    pub fn new(live: u64, limit: u64) -> Self {
        Quota { live, limit }
    }

    /// Whether no further organization fits.
    pub fn is_full(&self) -> bool {
        self.live >= self.limit
    }
}

/// What [`Store::write`] or [`Store::release`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Written {
    /// Done.
    Done,
    /// The stored entry is gone or at another version: another process changed it first.
    /// Nothing changed; read it again and decide again.
    Stale,
    /// Nothing changed: these keys the next version needs are held by other entries.
    Conflict(Vec<(UniquenessKey, Holder)>),
}

/// One page of [`Store::list`]: an account's entries with an id above `after`, in id order,
/// at most `limit` of them, optionally only one Region's or only the pending ones.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Listing {
    /// The account.
    pub account: AccountId,
    /// Only this Region's entries.
    pub region: Option<Region>,
    /// Only the entries still [pending](super::Stage::is_pending) (reserved or sent) that
    /// last changed before this time, in epoch seconds.
    pub pending_before: Option<u64>,
    /// Only the entries with an id above this one: the last id of the page before.
    pub after: Option<EntryId>,
    /// The most entries to return, 1 to [`MAX_PAGE`].
    pub limit: usize,
}

/// The most entries one page of a listing holds.
pub const MAX_PAGE: usize = 1000;

/// Storage failed: the database's error is the source. The call may or may not have taken
/// effect when the failure hid a commit; every catalog call is safe to retry.
///
/// The message says what was being done, outermost first: a store names its step
/// (`reading a key's holder`), and [`Catalog`](crate::Catalog) adds its operation and
/// argument in front (`looking up alias "acme"`). The driver's error stays the
/// [`source`](Error::source), so printing the whole chain shows the server's own reason.
#[derive(thiserror::Error)]
#[error("the store failed {message}")]
pub struct StoreError {
    message: String,
    #[source]
    source: Option<Box<dyn Error + Send + Sync>>,
}

// Debug reads like the message followed by every source's, so that a failed `unwrap` shows
// the database's own reason.
impl fmt::Debug for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.to_string();
        let mut source = self
            .source
            .as_deref()
            .map(|err| err as &(dyn Error + 'static));
        while let Some(err) = source {
            shown.push_str(": ");
            shown.push_str(&err.to_string());
            source = err.source();
        }
        f.debug_tuple("StoreError").field(&shown).finish()
    }
}

impl StoreError {
    /// A failure while doing `message` (what the store was doing), caused by `source`.
    pub fn new(
        message: impl Into<String>,
        source: impl Into<Box<dyn Error + Send + Sync>>,
    ) -> Self {
        StoreError {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// A failure with no underlying error, such as a row the store cannot read back.
    pub fn msg(message: impl Into<String>) -> Self {
        StoreError {
            message: message.into(),
            source: None,
        }
    }

    /// The same failure, as part of `doing`: `doing` goes in front of the message, and the
    /// source stays.
    ///
    /// ```
    /// use workmail_org::catalog::store::StoreError;
    ///
    /// let err = StoreError::msg("reading a key's holder").context("looking up alias \"acme\"");
    /// assert_eq!(
    ///     err.to_string(),
    ///     "the store failed looking up alias \"acme\": reading a key's holder"
    /// );
    /// ```
    #[must_use]
    pub fn context(mut self, doing: impl fmt::Display) -> Self {
        self.message = format!("{doing}: {}", self.message);
        self
    }

    /// What was being done, outermost first, without the source.
    pub fn doing(&self) -> &str {
        &self.message
    }
}
