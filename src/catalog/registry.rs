//! The alias registry: the seam between this crate and storage shared by many processes.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::error::Error;
use std::fmt;
use std::hash::BuildHasher;
use std::sync::{Arc, RwLock};

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

type Shard<H> = RwLock<HashMap<OrganizationAlias, H>>;

/// An [`AliasRegistry`] for one process: the aliases in memory, split over lock-striped
/// shards so threads reserving different aliases rarely wait on each other.
///
/// Reserve, release and lookup are O(1): one hash of the canonical alias picks the shard,
/// and one hash-map operation runs under that shard's lock (a write lock to reserve or
/// release, a read lock to look up). Ten million aliases of 14 to 20 characters with `u64`
/// holders take about 700 MiB, 73 bytes each (measured by `MEASURE_MEMORY=1 cargo bench
/// --bench registry`), so one process holds every alias a real deployment will see.
///
/// A poisoned shard (a holder's `Clone` or `Eq` panicked while its lock was held) is
/// recovered: the map is never left half-written by this code.
pub struct InMemoryAliasRegistry<H = String> {
    shards: Box<[Shard<H>]>,
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
            shards: (0..count).map(|_| RwLock::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
        }
    }

    /// How many aliases are reserved.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|shard| shard.read().unwrap_or_else(|p| p.into_inner()).len())
            .sum()
    }

    /// Whether no alias is reserved.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn shard(&self, alias: &OrganizationAlias) -> &Shard<H> {
        // The shard count is a power of two; the high bits of the hash pick the shard, the
        // map inside hashes again with its own keys, so the two do not correlate.
        let hash = self.hasher.hash_one(alias);
        let index = (hash >> 32) as usize & (self.shards.len() - 1);
        &self.shards[index]
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
        let mut map = self.shard(alias).write().unwrap_or_else(|p| p.into_inner());
        match map.get_key_value(alias) {
            Some((_, current)) if *current == holder => Ok(Reservation::AlreadyHeld),
            Some((reserved, current)) => Err(RegistryError::Taken {
                alias: reserved.clone(),
                holder: current.clone(),
            }),
            None => {
                map.insert(alias.clone(), holder);
                Ok(Reservation::New)
            }
        }
    }

    fn release(&self, alias: &OrganizationAlias, holder: &H) -> Result<(), RegistryError<H>> {
        let mut map = self.shard(alias).write().unwrap_or_else(|p| p.into_inner());
        match map.get_key_value(alias) {
            None => Err(RegistryError::NotReserved {
                alias: alias.clone(),
            }),
            Some((reserved, current)) if current != holder => Err(RegistryError::HeldByOther {
                alias: reserved.clone(),
                holder: current.clone(),
            }),
            Some(_) => {
                map.remove(alias);
                Ok(())
            }
        }
    }

    fn holder(&self, alias: &OrganizationAlias) -> Result<Option<H>, RegistryError<H>> {
        let map = self.shard(alias).read().unwrap_or_else(|p| p.into_inner());
        Ok(map.get(alias).cloned())
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
