//! The alias registry: the seam between this crate and storage shared by many processes.

use std::collections::hash_map::RandomState;
use std::error::Error;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::num::NonZeroU64;
use std::sync::{Arc, RwLock};

use crate::id::MAX_ALIAS_LEN;
use crate::text::debug_as_display;
use crate::OrganizationAlias;

/// Shared storage of reserved organization aliases: the seam between this crate and storage
/// shared by many processes.
///
/// Implementations must make [`reserve`](Self::reserve) atomic: two concurrent calls for the
/// same canonical alias by different holders never both succeed.
///
/// An organization alias is unique across all of AWS (it names `ALIAS.awsapps.com`), so
/// whoever creates organizations must reserve the alias somewhere every creator sees.
/// [`AliasRegistry`] is that somewhere: its [`reserve`](AliasRegistry::reserve) is atomic, and
/// of several concurrent reservations of one alias, in any letter case, exactly one wins.
/// Keys are the alias's canonical form ([`OrganizationAlias::to_canonical`]), so `Acme` and
/// `acme` collide.
///
/// [`InMemoryAliasRegistry`] implements it for one process: sharded, lock-striped, O(1).
///
/// ```
/// use workmail_org::{
///     AliasRegistry, catalog::InMemoryAliasRegistry, OrganizationAlias, catalog::RegistryError, catalog::Reservation,
/// };
///
/// let registry = InMemoryAliasRegistry::new();
/// let alias: OrganizationAlias = "Acme".parse()?;
/// assert_eq!(registry.reserve(&alias, "team-a")?, Reservation::New);
/// // A retry by the same holder succeeds and says so.
/// assert_eq!(registry.reserve(&alias, "team-a")?, Reservation::AlreadyHeld);
/// // Same alias, other case, other holder: taken, and the holder is named.
/// let err = registry.reserve(&"ACME".parse()?, "team-b").unwrap_err();
/// assert!(matches!(&err, RegistryError::Taken { holder, .. } if *holder == "team-a"));
/// assert_eq!(err.to_string(), "organization alias \"Acme\" is already held by team-a");
/// assert_eq!(registry.holder(&"acme".parse()?)?, Some("team-a"));
/// registry.release(&alias, &"team-a")?;
/// assert_eq!(registry.holder(&alias)?, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # On a shared database
/// A service running many processes implements the trait on storage with a unique key or a
/// conditional write, keyed by the canonical alias. The uniqueness is the database's, never a
/// read-then-write in the service:
///
/// ```sql
/// CREATE TABLE organization_alias (
///     canonical_alias text PRIMARY KEY,   -- OrganizationAlias::to_canonical()
///     spelling        text NOT NULL,      -- as the user typed it, for messages
///     holder          text NOT NULL
/// );
/// -- reserve: insert; one row inserted is Reservation::New. No row: read the holder; the
/// -- same holder is Reservation::AlreadyHeld, another is RegistryError::Taken
/// INSERT INTO organization_alias VALUES ($1, $2, $3)
///     ON CONFLICT (canonical_alias) DO NOTHING;
/// -- release: only the holder may delete
/// DELETE FROM organization_alias WHERE canonical_alias = $1 AND holder = $3;
/// ```
///
/// On DynamoDB the same is a `PutItem` with `ConditionExpression:
/// attribute_not_exists(canonical_alias)` (a failed condition: read the holder as above), and
/// a `DeleteItem` conditioned on `holder = :holder`. Storage failures travel as
/// [`RegistryError::Backend`].
///
/// The alias is one of the values that must be unique; a service that stores its
/// organizations in such a database can enforce all of them there, alias, mail domains and
/// directory, with the keys of [`UniquenessKeys`](crate::catalog::UniquenessKeys).
///
/// # Async services
/// The trait is synchronous and has no async twin. This crate does no I/O, so it has no
/// runtime to pick and no future to poll; an async trait would also stop being usable as
/// `dyn AliasRegistry`, and every method of [`Catalog`](crate::Catalog) that calls it would
/// need an async copy. A tokio service either calls a blocking implementation inside
/// `tokio::task::spawn_blocking` (the calls are short and few: one lookup and one insert per
/// admission), or keeps all I/O on its side of the seam: it validates the spec, inserts the
/// spec's [`UniquenessKeys`](crate::catalog::UniquenessKeys) in its own async transaction,
/// whose unique indexes decide races, and turns a refused key into the violation a catalog
/// would report with [`UniquenessKey::conflict`](crate::catalog::UniquenessKey::conflict).
pub trait AliasRegistry: Send + Sync {
    /// Who holds a reservation: an account, an organization key, a team. Reported back when a
    /// reservation fails, and named in [`RegistryError`]'s messages.
    type Holder: Clone + Eq + fmt::Debug + fmt::Display + Send + Sync;

    /// Reserves `alias` for `holder`, atomically.
    ///
    /// Reserving an alias the same holder already holds succeeds with
    /// [`Reservation::AlreadyHeld`], so a retry is safe; whether an equal holder is really the
    /// same party is the holder type's business (see [`AliasHolder`](crate::catalog::AliasHolder)).
    ///
    /// # Errors
    /// [`RegistryError::Taken`] when another holder has it (in any letter case), naming that
    /// holder and the alias as it was reserved; [`RegistryError::Backend`] when the storage
    /// failed.
    fn reserve(
        &self,
        alias: &OrganizationAlias,
        holder: Self::Holder,
    ) -> Result<Reservation, RegistryError<Self::Holder>>;

    /// Releases `alias`, which `holder` must hold.
    ///
    /// # Errors
    /// [`RegistryError::NotReserved`] when nobody holds it; [`RegistryError::HeldByOther`]
    /// when someone else does (their reservation stays); [`RegistryError::Backend`] when the
    /// storage failed.
    fn release(
        &self,
        alias: &OrganizationAlias,
        holder: &Self::Holder,
    ) -> Result<(), RegistryError<Self::Holder>>;

    /// Who holds `alias`, if anyone.
    ///
    /// # Errors
    /// [`RegistryError::Backend`] when the storage failed.
    fn holder(
        &self,
        alias: &OrganizationAlias,
    ) -> Result<Option<Self::Holder>, RegistryError<Self::Holder>>;
}

/// What a successful [`AliasRegistry::reserve`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reservation {
    /// The alias was free and is now reserved for the holder.
    New,
    /// The same holder already held the alias; nothing changed.
    AlreadyHeld,
}

/// Why a registry call failed.
///
/// The messages name the alias and the holder; a [`Backend`](Self::Backend) failure says only
/// that the storage failed and leaves the storage's error to `source`, so an error chain never
/// prints a message twice. `Debug` shows the message.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError<H> {
    /// The alias is held by another holder.
    #[error("organization alias \"{alias}\" is already held by {holder}")]
    Taken {
        /// The alias as it was reserved (the holder's spelling).
        alias: OrganizationAlias,
        /// Who holds it.
        holder: H,
    },
    /// A release of an alias nobody holds.
    #[error("organization alias \"{alias}\" is not reserved")]
    NotReserved {
        /// The alias.
        alias: OrganizationAlias,
    },
    /// A release by someone other than the holder.
    #[error("organization alias \"{alias}\" is held by {holder}, who alone can release it")]
    HeldByOther {
        /// The alias as it was reserved.
        alias: OrganizationAlias,
        /// Who really holds it.
        holder: H,
    },
    /// The storage behind the registry failed; the operation may or may not have happened.
    #[error("alias registry storage failed")]
    Backend(#[source] Box<dyn Error + Send + Sync>),
}

debug_as_display!(RegistryError<H>);

/// How many independently locked shards an [`InMemoryAliasRegistry`] has by default.
pub(crate) const DEFAULT_SHARDS: usize = 64;

/// The most shards an [`InMemoryAliasRegistry`] takes; more would only cost memory.
pub(crate) const MAX_SHARDS: usize = 1 << 16;

// `InMemoryAliasRegistry::new` and `with_shards` state these numbers in their docs.
const _: () = assert!(DEFAULT_SHARDS == 64 && MAX_SHARDS == 65_536);

/// An [`AliasRegistry`] for one process: the aliases in memory, split over lock-striped
/// shards so threads reserving different aliases rarely wait on each other.
///
/// Reserve, release and lookup are O(1): one keyed hash of the canonical alias (SipHash
/// with a random key, as `std`'s `HashMap` uses, so aliases chosen by users cannot force
/// collisions) picks the shard and the place in that shard's table, and one table operation
/// runs under that shard's lock (a write lock to reserve or release, a read lock to look up).
///
/// Each shard keeps every alias's spelling in one text arena, and an open-addressing table
/// of 8-byte keys (where the spelling is, and some bits of its hash) beside the holders; no
/// alias is allocated on its own. Ten million aliases of 14 to 20 characters with `u64`
/// holders take about 490 MiB, 51 bytes each of which 31 beyond their text (measured by
/// `MEASURE_MEMORY=1 cargo bench --bench registry`; see `BENCHMARKS.md`), so one process
/// holds every alias a real deployment will see.
///
/// A poisoned shard (a holder's `Clone` or `Eq` panicked while its lock was held) is
/// recovered: the table is never left half-written by this code.
pub struct InMemoryAliasRegistry<H = String> {
    shards: Box<[RwLock<Shard<H>>]>,
    hasher: RandomState,
}

impl<H> InMemoryAliasRegistry<H> {
    /// An empty registry with 64 shards.
    pub fn new() -> Self {
        Self::with_shards(DEFAULT_SHARDS)
    }

    /// An empty registry with `shards` shards: clamped to `1..=65536`, then rounded
    /// up to a power of two.
    pub fn with_shards(shards: usize) -> Self {
        let count = shards.clamp(1, MAX_SHARDS).next_power_of_two();
        InMemoryAliasRegistry {
            shards: (0..count).map(|_| RwLock::new(Shard::default())).collect(),
            hasher: RandomState::new(),
        }
    }

    /// How many aliases are reserved.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|shard| shard.read().unwrap_or_else(|p| p.into_inner()).len)
            .sum()
    }

    /// Whether no alias is reserved.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The alias's hash and its shard. The shard count is a power of two; the high bits of
    /// the hash pick the shard, the low bits the place in its table.
    fn shard(&self, alias: &OrganizationAlias) -> (u64, &RwLock<Shard<H>>) {
        let hash = canonical_hash(&self.hasher, alias.as_str());
        let index = (hash >> 48) as usize & (self.shards.len() - 1);
        (hash, &self.shards[index])
    }
}

impl<H> Default for InMemoryAliasRegistry<H> {
    fn default() -> Self {
        Self::new()
    }
}

impl<H> fmt::Debug for InMemoryAliasRegistry<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InMemoryAliasRegistry")
            .field("shards", &self.shards.len())
            .field("len", &self.len())
            .finish()
    }
}

impl<H> AliasRegistry for InMemoryAliasRegistry<H>
where
    H: Clone + Eq + fmt::Debug + fmt::Display + Send + Sync,
{
    type Holder = H;

    fn reserve(
        &self,
        alias: &OrganizationAlias,
        holder: H,
    ) -> Result<Reservation, RegistryError<H>> {
        let (hash, shard) = self.shard(alias);
        let mut shard = shard.write().unwrap_or_else(|p| p.into_inner());
        match shard.find(hash, alias.as_str()) {
            Found::At(slot) => {
                let entry = shard.entry(slot);
                if entry.holder == holder {
                    Ok(Reservation::AlreadyHeld)
                } else {
                    Err(RegistryError::Taken {
                        alias: OrganizationAlias::from_valid(shard.spelling(entry)),
                        holder: entry.holder.clone(),
                    })
                }
            }
            Found::Free => match shard.insert(&self.hasher, hash, alias.as_str(), holder) {
                Some(()) => Ok(Reservation::New),
                None => Err(RegistryError::Backend(
                    "an in-memory alias registry shard holds at most 1 TiB of alias text".into(),
                )),
            },
        }
    }

    fn release(&self, alias: &OrganizationAlias, holder: &H) -> Result<(), RegistryError<H>> {
        let (hash, shard) = self.shard(alias);
        let mut shard = shard.write().unwrap_or_else(|p| p.into_inner());
        match shard.find(hash, alias.as_str()) {
            Found::Free => Err(RegistryError::NotReserved {
                alias: alias.clone(),
            }),
            Found::At(slot) => {
                let entry = shard.entry(slot);
                if entry.holder != *holder {
                    return Err(RegistryError::HeldByOther {
                        alias: OrganizationAlias::from_valid(shard.spelling(entry)),
                        holder: entry.holder.clone(),
                    });
                }
                shard.remove(&self.hasher, slot);
                Ok(())
            }
        }
    }

    fn holder(&self, alias: &OrganizationAlias) -> Result<Option<H>, RegistryError<H>> {
        let (hash, shard) = self.shard(alias);
        let shard = shard.read().unwrap_or_else(|p| p.into_inner());
        Ok(match shard.find(hash, alias.as_str()) {
            Found::At(slot) => Some(shard.entry(slot).holder.clone()),
            Found::Free => None,
        })
    }
}

// ---------------------------------------------------------------------------------------
// One shard: a text arena and an open-addressing table

/// The keyed hash of an alias's canonical (ASCII lower-case) form: what picks its shard and
/// its place, computed again from the stored spelling when a table grows or shifts.
fn canonical_hash(hasher: &RandomState, spelling: &str) -> u64 {
    let mut state = hasher.build_hasher();
    // Aliases are at most 62 ASCII bytes: fold into a stack buffer and hash it in one go.
    let mut folded = [0u8; MAX_ALIAS_LEN];
    let folded = &mut folded[..spelling.len()];
    folded.copy_from_slice(spelling.as_bytes());
    folded.make_ascii_lowercase();
    state.write(folded);
    state.finish()
}

/// The bits of an entry's key that locate its spelling in the arena (plus one, so a key is
/// never zero); the bits above hold a tag from its hash.
const OFFSET_BITS: u32 = 40;
const OFFSET_MASK: u64 = (1 << OFFSET_BITS) - 1;

/// The tag an alias of hash `hash` carries: 24 bits that neither pick the shard (the top
/// 16) nor, in a table of up to 2^24 places, the place: most entries that are not the alias
/// are told apart without reading their spelling.
fn tag(hash: u64) -> u64 {
    (hash >> 24) & 0xff_ffff
}

/// One reserved alias: where its spelling is, a tag of its hash, and its holder. 16 bytes
/// with a `u64` holder; an empty place is `None` at no extra cost.
struct Entry<H> {
    key: NonZeroU64,
    holder: H,
}

impl<H> Entry<H> {
    fn tag(&self) -> u64 {
        self.key.get() >> OFFSET_BITS
    }

    /// Where the spelling's length byte is in the arena.
    fn at(&self) -> usize {
        ((self.key.get() & OFFSET_MASK) - 1) as usize
    }

    /// The key of a spelling at `at`; `None` past the 1 TiB an offset can address.
    fn key(tag: u64, at: usize) -> Option<NonZeroU64> {
        let offset = (at as u64).checked_add(1).filter(|&o| o <= OFFSET_MASK)?;
        NonZeroU64::new(tag << OFFSET_BITS | offset)
    }
}

/// Where a lookup ended: at the place of the alias, or at a free place.
enum Found {
    At(usize),
    Free,
}

/// The aliases of one shard. Spellings are stored once, each as a length byte and the
/// bytes, in `text`; `places` is a linear-probing table (a power of two long, at most three
/// quarters full) of entries pointing into it. A release shifts the entries after it back
/// (no tombstones) and leaves its spelling in the arena as dead bytes, which are dropped
/// once they are half the arena.
struct Shard<H> {
    places: Box<[Option<Entry<H>>]>,
    len: usize,
    text: Vec<u8>,
    dead: usize,
}

impl<H> Default for Shard<H> {
    fn default() -> Self {
        Shard {
            places: Box::default(),
            len: 0,
            text: Vec::new(),
            dead: 0,
        }
    }
}

impl<H> Shard<H> {
    fn mask(&self) -> usize {
        self.places.len().wrapping_sub(1)
    }

    fn spelling_at(&self, at: usize) -> &str {
        let len = usize::from(self.text[at]);
        // Only whole (ASCII) aliases are stored, so every spelling is UTF-8.
        std::str::from_utf8(&self.text[at + 1..at + 1 + len]).unwrap_or_default()
    }

    fn spelling(&self, entry: &Entry<H>) -> &str {
        self.spelling_at(entry.at())
    }

    fn entry(&self, place: usize) -> &Entry<H> {
        self.places[place]
            .as_ref()
            .unwrap_or_else(|| unreachable!("a found place holds an entry"))
    }

    /// Finds the alias spelled `spelling` (in any case), of hash `hash`.
    fn find(&self, hash: u64, spelling: &str) -> Found {
        if self.places.is_empty() {
            return Found::Free;
        }
        let (mask, tag) = (self.mask(), tag(hash));
        let mut place = hash as usize & mask;
        loop {
            match &self.places[place] {
                None => return Found::Free,
                Some(entry)
                    if entry.tag() == tag
                        && self.spelling(entry).eq_ignore_ascii_case(spelling) =>
                {
                    return Found::At(place)
                }
                Some(_) => place = (place + 1) & mask,
            }
        }
    }

    /// Adds an alias that [`find`](Self::find) did not find.
    /// Inserts a spelling the shard does not hold; `None`, changing nothing, when the arena
    /// is full.
    fn insert(&mut self, hasher: &RandomState, hash: u64, spelling: &str, holder: H) -> Option<()> {
        let at = self.text.len();
        let key = Entry::<H>::key(tag(hash), at)?;
        if (self.len + 1) * 4 > self.places.len() * 3 {
            self.grow(hasher);
        }
        self.text.push(spelling.len() as u8);
        self.text.extend_from_slice(spelling.as_bytes());
        let entry = Entry { key, holder };
        let place = self.free_place(hash);
        self.places[place] = Some(entry);
        self.len += 1;
        Some(())
    }

    /// The first free place from the home place of hash `hash`.
    fn free_place(&self, hash: u64) -> usize {
        let mask = self.mask();
        let mut place = hash as usize & mask;
        while self.places[place].is_some() {
            place = (place + 1) & mask;
        }
        place
    }

    fn home(&self, hasher: &RandomState, entry: &Entry<H>) -> usize {
        canonical_hash(hasher, self.spelling(entry)) as usize & self.mask()
    }

    /// Doubles the table (16 places at first), placing every entry again.
    fn grow(&mut self, hasher: &RandomState) {
        let capacity = (self.places.len() * 2).max(16);
        let old = std::mem::replace(&mut self.places, (0..capacity).map(|_| None).collect());
        for entry in old.into_vec().into_iter().flatten() {
            let hash = canonical_hash(hasher, self.spelling(&entry));
            let place = self.free_place(hash);
            self.places[place] = Some(entry);
        }
    }

    /// Removes the entry at `place`, shifting back the entries after it that probed past it.
    fn remove(&mut self, hasher: &RandomState, place: usize) {
        let Some(entry) = self.places[place].take() else {
            return;
        };
        self.dead += 1 + usize::from(self.text[entry.at()]);
        self.len -= 1;
        let mask = self.mask();
        let mut hole = place;
        let mut next = (place + 1) & mask;
        while let Some(entry) = &self.places[next] {
            let home = self.home(hasher, entry);
            // The entry may fill the hole if the hole lies on its probe path: between its
            // home and where it is now.
            if next.wrapping_sub(home) & mask >= next.wrapping_sub(hole) & mask {
                self.places[hole] = self.places[next].take();
                hole = next;
            }
            next = (next + 1) & mask;
        }
        if self.dead > 4096 && self.dead * 2 > self.text.len() {
            self.compact();
        }
    }

    /// Drops the dead spellings from the arena, moving the live ones down.
    fn compact(&mut self) {
        let mut text = Vec::with_capacity(self.text.len() - self.dead);
        for entry in self.places.iter_mut().flatten() {
            let at = entry.at();
            let len = 1 + usize::from(self.text[at]);
            // The new offset is below the old one, which fit, so it always has a key.
            entry.key = Entry::<H>::key(entry.tag(), text.len()).unwrap_or(entry.key);
            text.extend_from_slice(&self.text[at..at + len]);
        }
        self.text = text;
        self.dead = 0;
    }
}

macro_rules! forward_registry {
    ($($ptr:ty),*) => {$(
        impl<R: AliasRegistry + ?Sized> AliasRegistry for $ptr {
            type Holder = R::Holder;
            fn reserve(&self, alias: &OrganizationAlias, holder: R::Holder) -> Result<Reservation, RegistryError<R::Holder>> {
                (**self).reserve(alias, holder)
            }
            fn release(&self, alias: &OrganizationAlias, holder: &R::Holder) -> Result<(), RegistryError<R::Holder>> {
                (**self).release(alias, holder)
            }
            fn holder(&self, alias: &OrganizationAlias) -> Result<Option<R::Holder>, RegistryError<R::Holder>> {
                (**self).holder(alias)
            }
        }
    )*};
}

forward_registry!(&R, Arc<R>, Box<R>);

#[cfg(test)]
mod tests {
    use super::*;

    fn alias(s: &str) -> OrganizationAlias {
        s.parse().unwrap()
    }

    #[test]
    fn reserve_is_idempotent_for_the_holder() {
        let registry = InMemoryAliasRegistry::<u32>::new();
        assert_eq!(
            registry.reserve(&alias("acme"), 1).unwrap(),
            Reservation::New
        );
        assert_eq!(
            registry.reserve(&alias("ACME"), 1).unwrap(),
            Reservation::AlreadyHeld
        );
        assert_eq!(registry.len(), 1);
    }

    #[test]
    fn release_checks_the_holder() {
        let registry = InMemoryAliasRegistry::<u32>::with_shards(3);
        assert!(matches!(
            registry.release(&alias("acme"), &1),
            Err(RegistryError::NotReserved { .. })
        ));
        registry.reserve(&alias("Acme"), 1).unwrap();
        match registry.release(&alias("acme"), &2) {
            Err(RegistryError::HeldByOther { alias, holder }) => {
                assert_eq!(alias.as_str(), "Acme");
                assert_eq!(holder, 1);
            }
            other => panic!("unexpected {other:?}"),
        }
        registry.release(&alias("ACME"), &1).unwrap();
        assert!(registry.is_empty());
    }

    #[test]
    fn releases_shift_entries_back_and_compact_the_text() {
        // One shard, so every alias shares one table: growth, probing past releases,
        // back-shifts and arena compaction all happen here.
        let registry = InMemoryAliasRegistry::<u32>::with_shards(1);
        let names: Vec<OrganizationAlias> =
            (0..5000).map(|i| alias(&format!("Alias-{i}"))).collect();
        for (i, name) in names.iter().enumerate() {
            assert_eq!(registry.reserve(name, i as u32).unwrap(), Reservation::New);
        }
        for (i, name) in names.iter().enumerate().filter(|(i, _)| i % 3 != 0) {
            registry.release(name, &(i as u32)).unwrap();
        }
        let shard = registry.shards[0].read().unwrap();
        assert!(shard.dead < shard.text.len(), "the arena was compacted");
        drop(shard);
        for (i, name) in names.iter().enumerate() {
            let lower = alias(&name.as_str().to_ascii_lowercase());
            let expected = (i % 3 == 0).then_some(i as u32);
            assert_eq!(registry.holder(&lower).unwrap(), expected, "{name}");
        }
        match registry.reserve(&alias("ALIAS-3"), 7) {
            Err(RegistryError::Taken { alias, holder }) => {
                assert_eq!(alias.as_str(), "Alias-3");
                assert_eq!(holder, 3);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(registry.len(), names.len().div_ceil(3));
    }

    #[test]
    fn shard_counts_round_up_to_powers_of_two() {
        assert_eq!(InMemoryAliasRegistry::<u8>::with_shards(0).shards.len(), 1);
        assert_eq!(InMemoryAliasRegistry::<u8>::with_shards(3).shards.len(), 4);
        assert_eq!(
            InMemoryAliasRegistry::<u8>::new().shards.len(),
            DEFAULT_SHARDS
        );
        assert_eq!(
            InMemoryAliasRegistry::<u8>::with_shards(usize::MAX)
                .shards
                .len(),
            MAX_SHARDS
        );
    }
}
