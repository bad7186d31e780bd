//! Leases: which process acts on a pending entry, until when.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::debug_as_display;

/// How far apart the clocks of the processes sharing a store may be, in seconds.
///
/// Lease expiries are the holder's clock (this crate has none). Another process treats a
/// lease as live until `expires_at + MAX_CLOCK_SKEW` by its own clock, so a holder whose clock
/// is behind by up to this much still finds its lease in place. A holder renews well before
/// `expires_at` (at half the lease's length, say). Beyond this skew two processes may both
/// think they hold an entry; fencing ([`LeaseLost`](super::CatalogError::LeaseLost)) still
/// keeps the one whose lease was taken over from writing, and every request they could send
/// carries the entry's client token, so AWS makes one organization of them.
pub const MAX_CLOCK_SKEW: u64 = 30;

/// The most characters of a [`LeaseOwner`].
pub const MAX_LEASE_OWNER_LEN: usize = 128;

/// Who holds a lease: a name the process chose for itself, unique among the processes that
/// share the store (host, pid and start time, or a random id).
///
/// 1 to 128 characters of `A-Z a-z 0-9 . _ : @ / -`, so it is safe in every message and
/// column.
///
/// ```
/// use workmail_org::catalog::LeaseOwner;
/// let owner: LeaseOwner = "host-1/4242".parse()?;
/// assert_eq!(owner.as_str(), "host-1/4242");
/// assert!("two words".parse::<LeaseOwner>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct LeaseOwner(String);

impl LeaseOwner {
    /// Parses a lease owner.
    ///
    /// # Errors
    /// [`InvalidLeaseOwner`] for an empty or over-long name, or another character.
    pub fn parse(input: &str) -> Result<Self, InvalidLeaseOwner> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || "._:@/-".contains(c);
        if input.is_empty() || input.len() > MAX_LEASE_OWNER_LEN || !input.chars().all(allowed) {
            return Err(InvalidLeaseOwner {
                shown: crate::text::shown(input).to_string(),
            });
        }
        Ok(LeaseOwner(input.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LeaseOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for LeaseOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LeaseOwner").field(&self.0).finish()
    }
}

impl FromStr for LeaseOwner {
    type Err = InvalidLeaseOwner;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LeaseOwner::parse(s)
    }
}

impl<'de> Deserialize<'de> for LeaseOwner {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        LeaseOwner::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A lease owner that is not one: empty, over 128 characters, or with a character outside
/// `A-Z a-z 0-9 . _ : @ / -`.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "lease owner \"{shown}\": 1 to {MAX_LEASE_OWNER_LEN} characters of A-Z a-z 0-9 . _ : @ / -"
)]
pub struct InvalidLeaseOwner {
    shown: String,
}

debug_as_display!(InvalidLeaseOwner);

/// A process's claim on a pending entry: its owner, and when the claim ends unless renewed,
/// in the owner's epoch seconds. See [`Catalog::lease`](crate::Catalog::lease).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lease {
    owner: LeaseOwner,
    expires_at: u64,
}

impl Lease {
    /// A lease of `owner` until `expires_at`.
    pub fn new(owner: LeaseOwner, expires_at: u64) -> Self {
        Lease { owner, expires_at }
    }

    /// Who holds it.
    pub fn owner(&self) -> &LeaseOwner {
        &self.owner
    }

    /// When it ends unless renewed, by its owner's clock.
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }

    /// Whether another process, at `now` by its clock, must leave the entry alone: until
    /// `expires_at` plus [`MAX_CLOCK_SKEW`].
    pub fn is_live_at(&self, now: u64) -> bool {
        now < self.expires_at.saturating_add(MAX_CLOCK_SKEW)
    }
}
