//! Leaving plans in the store: one [`Leaving`] document per organization and account, its
//! version for compare-and-set, and a lease, so two processes never run one plan at once.
//!
//! A store that keeps plans implements [`PlanStore`] beside [`Store`]; the catalog's
//! [`take_leaving`](Catalog::take_leaving), [`save_leaving`](Catalog::save_leaving),
//! [`unlease_leaving`](Catalog::unlease_leaving) and [`leaving`](Catalog::leaving) do the
//! rest. The lease works as an entry's (issue 25): taking it is a compare-and-set on the
//! version, a live lease of another owner is refused, an expired one (past
//! [`MAX_CLOCK_SKEW`]) is taken over, and a holder whose lease was taken over gets
//! [`PlanError::LeaseLost`] on its next write (fencing: every take raises the version, so its
//! compare-and-set fails, and the row it reads back names another owner).

use std::fmt;
use std::future::Future;

use super::store::{Store, StoreError, Written};
use super::{Catalog, Lease, MAX_CLOCK_SKEW, WRITE_ATTEMPTS};
use crate::id::{AccountId, OrganizationId};
use crate::leaving::Leaving;

/// One organization's leaving plan as a store keeps it: the [`Leaving`] document as JSON, its
/// version (1 when first written, one more each write), its lease and when it last changed
/// (the writer's epoch seconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPlan {
    account: AccountId,
    organization_id: OrganizationId,
    document: String,
    version: u64,
    lease: Option<Lease>,
    updated_at: u64,
}

impl StoredPlan {
    /// A stored plan, as an engine reads it back.
    pub fn new(
        account: AccountId,
        organization_id: OrganizationId,
        document: String,
        version: u64,
        lease: Option<Lease>,
        updated_at: u64,
    ) -> Self {
        StoredPlan {
            account,
            organization_id,
            document,
            version,
            lease,
            updated_at,
        }
    }

    /// The account.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The organization.
    pub fn organization_id(&self) -> &OrganizationId {
        &self.organization_id
    }

    /// The [`Leaving`] document, as JSON.
    pub fn document(&self) -> &str {
        &self.document
    }

    /// The version: 1 when first written.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The lease, if one was taken and not given up.
    pub fn lease(&self) -> Option<&Lease> {
        self.lease.as_ref()
    }

    /// When it last changed.
    pub fn updated_at(&self) -> u64 {
        self.updated_at
    }
}

/// Storage of leaving plans: what a [`Store`] adds to keep them.
///
/// Each call is one atomic step:
/// - [`plan`](Self::plan): the plan of an organization in an account, if any;
/// - [`put_plan`](Self::put_plan): version 1 inserts, only when the organization has no plan
///   in the account (else [`Written::Stale`]); a later version replaces the stored one only
///   when that is at `version - 1` (else [`Written::Stale`]).
pub trait PlanStore: Send + Sync {
    /// The plan of `organization_id` in `account`.
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed or holds a row it cannot read back.
    fn plan(
        &self,
        account: &AccountId,
        organization_id: &OrganizationId,
    ) -> impl Future<Output = Result<Option<StoredPlan>, StoreError>> + Send;

    /// Writes `next` by compare-and-set on the version.
    ///
    /// # Errors
    /// [`StoreError`] when the storage failed.
    fn put_plan(
        &self,
        next: &StoredPlan,
    ) -> impl Future<Output = Result<Written, StoreError>> + Send;
}

/// A shared plan store is a plan store.
macro_rules! forward_plan_store {
    ($($ty:ty),+) => {$(
        impl<S: PlanStore> PlanStore for $ty {
            fn plan(
                &self,
                account: &AccountId,
                organization_id: &OrganizationId,
            ) -> impl Future<Output = Result<Option<StoredPlan>, StoreError>> + Send {
                (**self).plan(account, organization_id)
            }
            fn put_plan(
                &self,
                next: &StoredPlan,
            ) -> impl Future<Output = Result<Written, StoreError>> + Send {
                (**self).put_plan(next)
            }
        }
    )+};
}

forward_plan_store!(&S, std::sync::Arc<S>);

/// Why a leaving plan could not be taken, saved or read.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// Taking a lease needs a catalog made [`with_owner`](Catalog::with_owner).
    #[error("the leaving plan of {organization_id}: taking its lease needs a lease owner: make the catalog with_owner")]
    NoOwner {
        /// The organization.
        organization_id: OrganizationId,
    },
    /// Another process holds the plan's lease until `until` (its expiry plus
    /// [`MAX_CLOCK_SKEW`], by its clock).
    #[error("the leaving plan of {organization_id} is leased by another process until {until}")]
    Leased {
        /// The organization.
        organization_id: OrganizationId,
        /// When the lease ends, with the allowed skew.
        until: u64,
    },
    /// This catalog's owner no longer holds the plan's lease: another process took it over.
    /// Nothing was written; stop running the plan.
    #[error("the leaving plan of {organization_id}: the lease was lost to another process; nothing was written")]
    LeaseLost {
        /// The organization.
        organization_id: OrganizationId,
    },
    /// The stored document does not read back as a valid plan of this organization.
    #[error("the leaving plan of {organization_id} as stored is not valid: {message}")]
    Invalid {
        /// The organization.
        organization_id: OrganizationId,
        /// Why.
        message: String,
    },
    /// The plan changed under every attempt to write it.
    #[error("the leaving plan of {organization_id} changed under every attempt to write it")]
    Busy {
        /// The organization.
        organization_id: OrganizationId,
    },
    /// The storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::text::debug_as_display!(PlanError);

/// A leaving plan this catalog's owner holds the lease of: the document, and the version it
/// was read or last written at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeavingHeld {
    leaving: Leaving,
    version: u64,
    took_over: bool,
}

impl LeavingHeld {
    /// The plan and its progress, as stored.
    pub fn leaving(&self) -> &Leaving {
        &self.leaving
    }

    /// The plan, to record progress in; [`Catalog::save_leaving`] stores it.
    pub fn leaving_mut(&mut self) -> &mut Leaving {
        &mut self.leaving
    }

    /// The stored version this holder last read or wrote.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Whether the lease was taken over from another owner whose lease had expired.
    pub fn took_over(&self) -> bool {
        self.took_over
    }
}

impl fmt::Display for LeavingHeld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the leaving plan of {} at version {}",
            self.leaving.plan().organization_id(),
            self.version
        )
    }
}

fn to_json(leaving: &Leaving) -> String {
    serde_json::to_string(leaving).expect("a leaving plan always serializes")
}

impl<S: Store + PlanStore> Catalog<S> {
    fn read_plan(&self, stored: &StoredPlan) -> Result<Leaving, PlanError> {
        let organization_id = stored.organization_id.clone();
        let leaving: Leaving =
            serde_json::from_str(&stored.document).map_err(|err| PlanError::Invalid {
                organization_id: organization_id.clone(),
                message: err.to_string(),
            })?;
        if leaving.plan().organization_id() != &organization_id {
            return Err(PlanError::Invalid {
                message: format!("it is the plan of {}", leaving.plan().organization_id()),
                organization_id,
            });
        }
        Ok(leaving)
    }

    /// Takes the lease on the leaving plan of `leaving`'s organization until
    /// `now + seconds`, storing `leaving` when the account has no plan for it yet, and
    /// otherwise resuming the stored one (which wins: it holds what was done). An expired
    /// lease of another owner is taken over.
    ///
    /// # Errors
    /// [`PlanError::NoOwner`], [`PlanError::Leased`] while another owner's lease is live,
    /// [`PlanError::Invalid`] for a stored document that does not read back,
    /// [`PlanError::Busy`] or [`PlanError::Store`].
    pub async fn take_leaving(
        &self,
        leaving: Leaving,
        now: u64,
        seconds: u64,
    ) -> Result<LeavingHeld, PlanError> {
        let organization_id = leaving.plan().organization_id().clone();
        let Some(owner) = self.owner.clone() else {
            return Err(PlanError::NoOwner { organization_id });
        };
        let lease = Lease::new(owner.clone(), now.saturating_add(seconds));
        for _ in 0..WRITE_ATTEMPTS {
            let stored = self.store.plan(&self.account, &organization_id).await?;
            let Some(stored) = stored else {
                let next = StoredPlan::new(
                    self.account.clone(),
                    organization_id.clone(),
                    to_json(&leaving),
                    1,
                    Some(lease.clone()),
                    now,
                );
                if self.store.put_plan(&next).await? == Written::Done {
                    return Ok(LeavingHeld {
                        leaving,
                        version: 1,
                        took_over: false,
                    });
                }
                continue;
            };
            let mut took_over = false;
            if let Some(held) = stored.lease() {
                if *held.owner() != owner {
                    if held.is_live_at(now) {
                        return Err(PlanError::Leased {
                            organization_id,
                            until: held.expires_at().saturating_add(MAX_CLOCK_SKEW),
                        });
                    }
                    took_over = true;
                }
            }
            let current = self.read_plan(&stored)?;
            let next = StoredPlan {
                version: stored.version + 1,
                lease: Some(lease.clone()),
                updated_at: now,
                ..stored
            };
            if self.store.put_plan(&next).await? == Written::Done {
                return Ok(LeavingHeld {
                    leaving: current,
                    version: next.version,
                    took_over,
                });
            }
        }
        Err(PlanError::Busy { organization_id })
    }

    /// Stores `held`'s plan and progress over the version it holds, renewing its lease until
    /// `now + seconds`; `held` moves to the new version.
    ///
    /// # Errors
    /// [`PlanError::LeaseLost`] when another owner took the lease over (nothing is written),
    /// [`PlanError::NoOwner`] or [`PlanError::Store`].
    pub async fn save_leaving(
        &self,
        held: &mut LeavingHeld,
        now: u64,
        seconds: u64,
    ) -> Result<(), PlanError> {
        let lease = self
            .owner
            .clone()
            .map(|owner| Lease::new(owner, now.saturating_add(seconds)));
        self.write_held(held, lease, now).await
    }

    /// Gives up the lease of `held`'s plan, storing its progress.
    ///
    /// # Errors
    /// As [`save_leaving`](Self::save_leaving).
    pub async fn unlease_leaving(&self, held: &mut LeavingHeld, now: u64) -> Result<(), PlanError> {
        self.write_held(held, None, now).await
    }

    async fn write_held(
        &self,
        held: &mut LeavingHeld,
        lease: Option<Lease>,
        now: u64,
    ) -> Result<(), PlanError> {
        let organization_id = held.leaving.plan().organization_id().clone();
        if self.owner.is_none() {
            return Err(PlanError::NoOwner { organization_id });
        }
        let next = StoredPlan::new(
            self.account.clone(),
            organization_id.clone(),
            to_json(&held.leaving),
            held.version + 1,
            lease,
            now,
        );
        if self.store.put_plan(&next).await? == Written::Done {
            held.version = next.version;
            return Ok(());
        }
        // The version moved: only a take raises it besides the holder's own writes, so another
        // owner took the lease over.
        Err(PlanError::LeaseLost { organization_id })
    }

    /// The stored leaving plan of `organization_id` in this catalog's account, and its
    /// lease.
    ///
    /// # Errors
    /// [`PlanError::Invalid`] or [`PlanError::Store`].
    pub async fn leaving(
        &self,
        organization_id: &OrganizationId,
    ) -> Result<Option<(Leaving, Option<Lease>)>, PlanError> {
        let Some(stored) = self.store.plan(&self.account, organization_id).await? else {
            return Ok(None);
        };
        let leaving = self.read_plan(&stored)?;
        Ok(Some((leaving, stored.lease)))
    }
}
