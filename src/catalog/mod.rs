//! One account's organizations, kept by a store every process shares, and the rules that
//! need more than one organization.
//!
//! A [`Catalog`] is one account's view of a [`Store`]. It admits [`OrganizationSpec`]s and
//! checks, all at once and in one atomic step of the store, what spec validation alone
//! cannot: the alias is held by no organization anywhere, no mail domain by another
//! organization, no existing directory by another organization of the account and Region,
//! and the account is under its organization quota (100 by default, settable per account).
//! Violations have the shape of spec validation's: a path, an AWS error code, a stable rule
//! id and a message.
//!
//! The store is the only state: a catalog holds nothing but its account and its store, so any
//! number of catalogs, threads and processes over one store agree on every answer, and a new
//! process sees everything an old one did. [`InMemoryStore`] is the store of one process;
//! the `workmail-org-stores` workspace member has SQLite (the processes of one machine)
//! and PostgreSQL (a fleet), each on a pool of connections.
//!
//! # Creating an organization, crash-safe
//! Each organization is an [`Entry`], and its [`Stage`] says how far its creation got, and
//! so what a crash at any line leaves behind:
//!
//! 1. [`admit`](Catalog::admit) reserves every key and counts the quota: `reserved`. The
//!    entry gets its [client token](Entry::client_token): the spec's, or 128 random bits the
//!    store draws, so that every send of its request is idempotent.
//! 2. [`sent`](Catalog::sent) records the exact `CreateOrganization` request just before each
//!    send, and returns the call to send, with the token: `sent`.
//! 3. [`answered`](Catalog::answered) applies AWS's answer, telling a first send from a
//!    resend: the organization id is [`created`](Catalog::created); a first send AWS refused
//!    is released; an answer that does not say starts a [`Lookup`].
//! 4. [`record`](Catalog::record) records each `DescribeOrganization` snapshot:
//!    `recorded`, with AWS's lifecycle state. A `Deleted` snapshot frees the alias, the
//!    domains and the directory, and the entry stays as history.
//!
//! A spec with a new Route 53 domain goes in this order: admit (the domain's key is held),
//! register the domain with Route 53, build the call with
//! [`CreateOrganization::with_hosted_zones`] and the new zone, then `sent`. A tool that
//! sends refuses such a spec without its zone before admitting it.
//!
//! # Recovery
//! A service that died lists what it left with [`pending`](Catalog::pending) (entries still
//! `reserved` or `sent`, untouched for a while) and settles each one, holding a
//! [lease](Catalog::lease) on it so that no other process acts on it at the same time:
//! - `reserved`: nothing was sent. [Release](Catalog::release) it
//!   ([`Release::NothingSent`]), or send it.
//! - `sent`: [resend](Catalog::resend) the recorded request, with its token, and pass the
//!   answer to [`answered`](Catalog::answered). An organization id means `created`. Any other
//!   answer (a refusal, a 5xx, a timeout, a dropped connection, throttling) goes to the
//!   [`Lookup`]: a refusal of a resend proves nothing, because the first send may have
//!   succeeded and its token expired.
//! - The lookup reads every page of `ListOrganizations` in the entry's Region, comparing the
//!   alias in any letter case. A match is described and [adopted](Catalog::adopt), only if
//!   its snapshot agrees with the spec, no other entry has its id, and it is not `Deleting`
//!   or `Deleted`; a `Failed` one is recorded as `Failed`, not released. No match is the
//!   [`NotCreated`] evidence that releases the entry ([`Release::NotCreated`]), once its
//!   last send is [`DEFAULT_MIN_AGE`] old: `ListOrganizations` may not show an organization
//!   made seconds ago.
//!
//! A `sent` entry is never released on the caller's word: only on a first send's refusal,
//! or on a lookup's evidence.
//!
//! # Leases
//! A process names itself with a [`LeaseOwner`] ([`with_owner`](Catalog::with_owner)) and
//! takes a lease on an entry before acting on it ([`lease`](Catalog::lease): a
//! compare-and-set on the entry's version, so two processes never hold it at once). It
//! renews the lease while it waits on AWS; a sweep skips an entry whose lease is live
//! ([`CatalogError::Leased`]) and takes over one that expired. A worker whose lease was
//! taken over can no longer write the entry: [`CatalogError::LeaseLost`] (fencing). Expiries
//! are in the holder's clock; [`MAX_CLOCK_SKEW`] says how far clocks may drift.
//!
//! # Retries and client tokens
//! The store decides what is a retry, not the memory of a process. A client token names one
//! request of an account in a Region:
//! - the same token with the identical spec is [`Admission::AlreadyAdmitted`], with the
//!   entry admitted first, from any process and after any restart, as AWS answers a retried
//!   `CreateOrganization` with the same organization (a deleted one included: the token
//!   named that request; a [released](Catalog::release) entry is gone, and its token free);
//! - the same token with any other spec is refused, rule `client_token.reused`;
//! - without a token, a second identical spec is a second organization: `alias.taken`.
//!
//! # Scope
//! A store sees the accounts that use it. AWS keeps an alias and a mail domain unique across
//! every account; a domain held by an organization outside the store is only caught by AWS
//! itself, whose answer [`aws::AwsException`](crate::aws::AwsException) reads, with the code
//! of `domains.in_use`.
//!
//! # Async, and sync for the in-memory store
//! Every call that reaches the store is an `async fn` whose future is `Send`, so a tokio or
//! axum service awaits it in its handlers. A catalog on an [`InMemoryStore`], whose calls
//! never wait, also runs from sync code through [`blocking`](Catalog::blocking):
//!
//! ```
//! use workmail_org::catalog::{Admission, AdmitError, Release};
//! use workmail_org::{AccountId, Catalog, OrganizationDraft, Rule};
//!
//! let account: AccountId = "111122223333".parse()?;
//! let catalog = Catalog::new(account);
//! let mut draft = OrganizationDraft::new("acme", "us-east-1");
//! draft.client_token = Some("create-acme-1".into());
//! let spec = draft.validate()?;
//! let now = 1_764_000_000; // the caller's clock, in epoch seconds
//! let Admission::New(entry) = catalog.blocking(|c| c.admit(&spec, now))? else {
//!     panic!("a new alias")
//! };
//! // The same request retried: the same entry.
//! let retried = catalog.blocking(|c| c.admit(&spec, now))?;
//! assert_eq!(retried, Admission::AlreadyAdmitted(entry.clone()));
//!
//! // The same alias again, in another case: taken.
//! let again = OrganizationDraft::new("ACME", "us-west-2").validate()?;
//! let Err(AdmitError::Rejected(rejection)) = catalog.blocking(|c| c.admit(&again, now)) else {
//!     panic!("the alias is taken");
//! };
//! assert!(rejection.violations().contains(Rule::AliasTaken));
//!
//! // Releasing an entry that sent nothing frees the alias, domains and directory.
//! catalog.blocking(|c| c.release(entry.id(), Release::NothingSent, now))?;
//! assert!(matches!(catalog.blocking(|c| c.admit(&again, now))?, Admission::New(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod entry;
mod keys;
mod lease;
mod memory;
mod plans;
mod recovery;
mod rejection;
pub mod store;

pub use entry::{Entry, EntryId, RecordError, Stage};
pub use keys::{UniquenessKey, UniquenessKeys};
pub use lease::{InvalidLeaseOwner, Lease, LeaseOwner, MAX_CLOCK_SKEW, MAX_LEASE_OWNER_LEN};
pub use memory::InMemoryStore;
pub use plans::{LeavingHeld, PlanError, PlanStore, StoredPlan};
pub use recovery::{
    Answered, Lookup, LookupStep, NotCreated, Unresolved, DEFAULT_MIN_AGE, MAX_LOOKUP_PAGES,
};
pub use rejection::Rejection;

use std::borrow::Borrow;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use store::{Holder, Listing, NewEntry, Quota, Reservation, Store, StoreError, Written, MAX_PAGE};

use crate::aws::{
    Attempt, CreateAnswer, CreateOrganization, CreateOrganizationRequest,
    CreateOrganizationResponse, Effect, Organization,
};
use crate::id::{AccountId, DomainName, OrganizationAlias, OrganizationId, Region};
use crate::report::FieldPath;
use crate::report::Violations;
use crate::report::{Finding, FindingCode, Findings};
use crate::rule::Rule;
use crate::spec::OrganizationSpec;
use crate::text::debug_as_display;

/// How many organizations an account may hold unless configured otherwise (the AWS default
/// quota: WorkMail Administrator Guide, WorkMail quotas).
pub const DEFAULT_ORGANIZATION_LIMIT: u64 = 100;

/// How often a catalog call reads an entry again when another process changed it between
/// the read and the write, before it gives up with [`CatalogError::Busy`].
const WRITE_ATTEMPTS: usize = 16;

/// What a successful [`Catalog::admit`] did, with the entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// The organization is new and was admitted, at [`Stage::Reserved`].
    New(Entry),
    /// The store already holds this organization, admitted from the identical spec with the
    /// same client token: the same request, retried. Nothing changed; the entry is the one
    /// admitted first, at whatever stage it has reached.
    AlreadyAdmitted(Entry),
}

impl Admission {
    /// The entry.
    pub fn entry(&self) -> &Entry {
        match self {
            Admission::New(entry) | Admission::AlreadyAdmitted(entry) => entry,
        }
    }

    /// The entry, by value.
    pub fn into_entry(self) -> Entry {
        match self {
            Admission::New(entry) | Admission::AlreadyAdmitted(entry) => entry,
        }
    }
}

/// What [`Catalog::lease`] did: the entry with its lease, and whether it took over an
/// expired lease of another owner.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Leased {
    /// The entry, leased.
    pub entry: Entry,
    /// Whether another owner's expired lease was taken over.
    pub took_over: bool,
}

/// Why an organization was not admitted.
///
/// Transparent: each variant shows its inner error's message, and `source` is the inner
/// error's own source, so an error chain never prints the same message twice. `Debug` shows
/// the message too.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum AdmitError {
    /// Catalog rules are broken: every violation found, for the caller, and who holds what,
    /// for the operator.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// The store failed; nothing was admitted, or a retry finds the admission.
    #[error(transparent)]
    Store(#[from] StoreError),
}

debug_as_display!(AdmitError);

impl From<Violations> for AdmitError {
    fn from(violations: Violations) -> Self {
        AdmitError::Rejected(violations.into())
    }
}

impl AdmitError {
    /// The error as findings, for an API's answer: every violation with its rule (the
    /// holders stay with the operator, in the [`Rejection`]), or one `StoreFailed` finding
    /// without a rule (see [`FindingCode`]).
    pub fn findings(&self) -> Vec<Finding> {
        match self {
            AdmitError::Rejected(rejection) => {
                rejection.violations().iter().map(Finding::from).collect()
            }
            AdmitError::Store(err) => vec![Finding::new(FindingCode::StoreFailed, err.to_string())],
        }
    }
}

/// How an entry is [released](Catalog::release): the evidence that AWS made nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Release {
    /// Nothing was sent: only a [`Stage::Reserved`] entry.
    NothingSent,
    /// A [`Lookup`] read every page of `ListOrganizations` and found no organization with
    /// the entry's alias, at least its minimum age after the last send: a [`Stage::Sent`]
    /// entry, not sent again since.
    NotCreated(NotCreated),
}

/// Why a catalog call on an entry failed. Every message names the entry; `Debug` shows the
/// message.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The account has no entry with this id.
    #[error("account {account} has no entry {id}")]
    NotFound {
        /// The account.
        account: AccountId,
        /// The id asked for.
        id: EntryId,
    },
    /// The entry is not at a stage where this step may happen.
    #[error("entry {id} (\"{alias}\") is {stage}; {step} needs it {allowed}")]
    Stage {
        /// The entry.
        id: EntryId,
        /// Its alias.
        alias: OrganizationAlias,
        /// Its stage.
        stage: Stage,
        /// The step tried.
        step: &'static str,
        /// The stages it needs, in words.
        allowed: &'static str,
    },
    /// The entry is deleted: its keys are free and it is history.
    #[error("entry {id} (\"{alias}\") is deleted")]
    Deleted {
        /// The entry.
        id: EntryId,
        /// Its alias.
        alias: OrganizationAlias,
    },
    /// The request is not the one the entry's spec makes (another spec's, or another
    /// Region's).
    #[error(
        "entry {id} (\"{alias}\"): the CreateOrganization request is not the one its spec makes"
    )]
    NotItsRequest {
        /// The entry.
        id: EntryId,
        /// Its alias.
        alias: OrganizationAlias,
    },
    /// What AWS answered contradicts the entry.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// A mail domain to register belongs to another organization.
    #[error("entry {id}: {message} [domains.in_use, MailDomainInUse]")]
    MailDomainInUse {
        /// The entry.
        id: EntryId,
        /// The domain.
        domain: DomainName,
        /// Who holds it.
        holder: Holder,
        /// The message, naming the domain, never its holder (which is for the operator, in
        /// `holder`).
        message: String,
    },
    /// A mail domain to deregister is not the entry's.
    #[error("entry {id} (\"{alias}\") holds no mail domain \"{domain}\"")]
    MailDomainNotHeld {
        /// The entry.
        id: EntryId,
        /// Its alias.
        alias: OrganizationAlias,
        /// The domain.
        domain: DomainName,
    },
    /// Other processes kept changing the entry between this call's read and write.
    #[error("entry {id} kept changing under this call; try again")]
    Busy {
        /// The entry.
        id: EntryId,
    },
    /// Another process holds a live lease on the entry: leave it alone until the lease ends.
    #[error("entry {id} (\"{alias}\") is leased by another process until {until}")]
    Leased {
        /// The entry.
        id: EntryId,
        /// Its alias.
        alias: OrganizationAlias,
        /// When the lease ends, with [`MAX_CLOCK_SKEW`] added, by the holder's clock.
        until: u64,
    },
    /// This catalog's owner no longer holds the entry's lease: another process took it over
    /// (or, for a catalog without an owner, holds it now). Nothing was written; stop acting
    /// on the entry.
    #[error(
        "entry {id} (\"{alias}\"): the lease was lost to another process; nothing was written"
    )]
    LeaseLost {
        /// The entry.
        id: EntryId,
        /// Its alias.
        alias: OrganizationAlias,
    },
    /// [`Catalog::lease`] needs a catalog made [`with_owner`](Catalog::with_owner).
    #[error("taking a lease on entry {id} needs a lease owner: make the catalog with_owner")]
    NoOwner {
        /// The entry.
        id: EntryId,
    },
    /// The evidence given to [`Catalog::release`] is not about the entry as it is now: another
    /// entry's, or the request was sent again after the lookup started.
    #[error("entry {id} (\"{alias}\"): the lookup's evidence {problem}; look it up again")]
    StaleEvidence {
        /// The entry.
        id: EntryId,
        /// Its alias.
        alias: OrganizationAlias,
        /// What no longer holds.
        problem: &'static str,
    },
    /// The organization found by alias cannot be this entry's: it is being deleted or is
    /// deleted.
    #[error(
        "entry {id} (\"{alias}\"): organization {organization} is {state} and cannot be adopted"
    )]
    NotAdoptable {
        /// The entry.
        id: EntryId,
        /// Its alias.
        alias: OrganizationAlias,
        /// The organization found.
        organization: OrganizationId,
        /// Its state.
        state: crate::lifecycle::ReportedState,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

debug_as_display!(CatalogError);

impl CatalogError {
    /// The rule of a refusal that has one: [`Rule::DomainsInUse`] for
    /// [`MailDomainInUse`](Self::MailDomainInUse).
    pub fn rule(&self) -> Option<Rule> {
        match self {
            CatalogError::MailDomainInUse { .. } => Some(Rule::DomainsInUse),
            _ => None,
        }
    }

    /// The error as findings (one), for an API's answer: `domains.in_use` for
    /// [`MailDomainInUse`](Self::MailDomainInUse); otherwise no rule, with the code
    /// `NotFound`, `Busy`, `StoreFailed` or, for every refusal of the entry's stage, lease or
    /// history, `Conflict` (see [`FindingCode`]).
    pub fn findings(&self) -> Vec<Finding> {
        let code = match self {
            CatalogError::MailDomainInUse { .. } => {
                let violation = crate::report::Violation::new(
                    FieldPath::Organization,
                    Rule::DomainsInUse,
                    self.to_string(),
                );
                return vec![Finding::from(&violation)];
            }
            CatalogError::NotFound { .. } => FindingCode::NotFound,
            CatalogError::Busy { .. } => FindingCode::Busy,
            CatalogError::Store(_) => FindingCode::StoreFailed,
            _ => FindingCode::Conflict,
        };
        vec![Finding::new(code, self.to_string())]
    }
}

/// One account's view of a [`Store`]: admissions, the stages of creation, lookups and
/// listings.
///
/// Every method takes `&self`: the store is the only state and makes each step atomic, so
/// one catalog may be shared by threads, and catalogs of many processes may share one
/// database. Times are the caller's, in epoch seconds: this crate has no clock.
#[derive(Clone, Debug)]
pub struct Catalog<S = InMemoryStore> {
    account: AccountId,
    store: S,
    owner: Option<LeaseOwner>,
}

impl Catalog {
    /// A catalog of `account` on a new [`InMemoryStore`] of its own.
    pub fn new(account: AccountId) -> Self {
        Catalog::open(account, InMemoryStore::new())
    }
}

impl<S: Store + Borrow<InMemoryStore>> Catalog<S> {
    /// Runs one call of this catalog from sync code (a command-line tool, a property test, a
    /// doctest): `catalog.blocking(|c| c.admit(&spec, now))`.
    ///
    /// Only a catalog on an [`InMemoryStore`] (owned, borrowed or in an `Arc`) has it: that
    /// store does each call when it is made, so every future of the catalog is ready the
    /// first time it is polled, and this polls it once. A store that waits for I/O is awaited
    /// in an async runtime instead.
    ///
    /// # Panics
    /// If the call is not finished after one poll, which an in-memory store never causes
    /// (the closure awaited something else).
    pub fn blocking<'a, F: Future>(&'a self, call: impl FnOnce(&'a Self) -> F) -> F::Output {
        let future = pin!(call(self));
        match future.poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(output) => output,
            Poll::Pending => panic!(
                "Catalog::blocking: the call was not finished after one poll; an in-memory \
                 store never waits, so the closure awaited something else (await it in an \
                 async runtime instead)"
            ),
        }
    }
}

/// Whether two specs are the same request: equal, and the alias spelled the same (spec
/// equality ignores the alias's case).
fn same_request(admitted: &OrganizationSpec, spec: &OrganizationSpec) -> bool {
    admitted == spec && admitted.alias().as_str() == spec.alias().as_str()
}

impl<S: Store> Catalog<S> {
    /// The catalog of `account` on `store` (pass `&store` or an `Arc` to share one store).
    pub fn open(account: AccountId, store: S) -> Self {
        Catalog {
            account,
            store,
            owner: None,
        }
    }

    /// The same catalog acting as `owner`, the name of this process among those sharing the
    /// store: it may take [leases](Self::lease), and each of its writes to a leased entry
    /// goes through only while `owner` holds the lease (fencing).
    #[must_use]
    pub fn with_owner(mut self, owner: LeaseOwner) -> Self {
        self.owner = Some(owner);
        self
    }

    /// The lease owner this catalog acts as, if any.
    pub fn owner(&self) -> Option<&LeaseOwner> {
        self.owner.as_ref()
    }

    /// The account.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The account's live organizations and quota.
    ///
    /// # Errors
    /// [`StoreError`] when the store failed.
    pub async fn quota(&self) -> Result<Quota, StoreError> {
        self.store
            .quota(&self.account)
            .await
            .map_err(|err| err.context("reading the quota"))
    }

    /// Sets the account's quota (an account whose quota AWS raised, or a test); `None` goes
    /// back to [`DEFAULT_ORGANIZATION_LIMIT`].
    ///
    /// # Errors
    /// [`StoreError`] when the store failed.
    pub async fn set_limit(&self, limit: Option<u64>) -> Result<(), StoreError> {
        self.store
            .set_limit(&self.account, limit)
            .await
            .map_err(|err| err.context("setting the quota"))
    }

    /// The keys of `spec` that must be unique.
    pub fn keys(&self, spec: &OrganizationSpec) -> UniquenessKeys {
        UniquenessKeys::new(&self.account, spec)
    }

    /// Admits `spec` at `now`: reserves every key and counts the quota, in one atomic step
    /// of the store, or changes nothing.
    ///
    /// # Errors
    /// [`AdmitError::Rejected`] with every violation at once: the quota
    /// (`account.organization_limit`, with an empty path: the organization as a whole), the
    /// alias (`alias.taken`, path `alias`), each mail domain (`domains.in_use`, path
    /// `domains[i].name`), the directory (`directory.in_use`, path `directory.directory_id`),
    /// or a client token this account already used in the Region for another spec
    /// (`client_token.reused`, path `client_token`, alone). The messages name no account,
    /// entry or other organization; the [`Rejection`] gives those to the operator.
    /// [`AdmitError::Store`] when the store failed.
    pub async fn admit(&self, spec: &OrganizationSpec, now: u64) -> Result<Admission, AdmitError> {
        let keys = self.keys(spec);
        let reservation = self
            .store
            .admit(&NewEntry::new(&self.account, spec, &keys, now))
            .await
            .map_err(|err| err.context(format_args!("admitting \"{}\"", spec.alias())))?;
        match reservation {
            Reservation::New(entry) => Ok(Admission::New(entry)),
            Reservation::TokenHeld(entry) if same_request(entry.spec(), spec) => {
                Ok(Admission::AlreadyAdmitted(entry))
            }
            Reservation::TokenHeld(entry) => {
                let token = spec.client_token().map_or("", |token| token.as_str());
                let violation = crate::report::Violation::new(
                    FieldPath::ClientToken,
                    Rule::ClientTokenReused,
                    format!(
                        "client token \"{}\" already named another request, with another spec; \
                         a retry sends the identical spec, a new request a new token",
                        crate::text::shown(token),
                    ),
                );
                Err(AdmitError::Rejected(
                    Rejection::new(violation.into()).with_token_holder(Holder::of(&entry)),
                ))
            }
            Reservation::Refused(refusal) => {
                let mut findings = Findings::default();
                if let Some(quota) = refusal.quota {
                    findings.violation(
                        FieldPath::Organization,
                        Rule::AccountOrganizationLimit,
                        format!(
                            "the account has reached its quota of {} organizations",
                            quota.limit
                        ),
                    );
                }
                for (key, _) in &refusal.conflicts {
                    findings.violations.push(keys.conflict(key));
                }
                match Violations::from_vec(findings.violations) {
                    Err(violations) => {
                        let rejection = Rejection::new(violations).with_holders(refusal.conflicts);
                        Err(AdmitError::Rejected(match refusal.quota {
                            Some(quota) => rejection.with_quota(quota),
                            None => rejection,
                        }))
                    }
                    Ok(()) => Err(AdmitError::Store(StoreError::msg(format!(
                        "admitting \"{}\": its refusal gave no reason",
                        spec.alias()
                    )))),
                }
            }
        }
    }

    /// The account's entry with this id.
    ///
    /// # Errors
    /// [`StoreError`] when the store failed.
    pub async fn get(&self, id: EntryId) -> Result<Option<Entry>, StoreError> {
        Ok(self
            .store
            .entry(id)
            .await
            .map_err(|err| err.context(format_args!("reading entry {id}")))?
            .filter(|entry| *entry.account() == self.account))
    }

    /// The account's entry AWS knows by this organization id, deleted ones included.
    ///
    /// # Errors
    /// [`StoreError`] when the store failed.
    pub async fn by_organization_id(
        &self,
        id: &OrganizationId,
    ) -> Result<Option<Entry>, StoreError> {
        Ok(self
            .store
            .by_organization_id(id)
            .await
            .map_err(|err| err.context(format_args!("looking up organization {id}")))?
            .filter(|entry| *entry.account() == self.account))
    }

    /// The account's live entry with this alias (in any letter case).
    ///
    /// # Errors
    /// [`StoreError`] when the store failed.
    pub async fn by_alias(&self, alias: &OrganizationAlias) -> Result<Option<Entry>, StoreError> {
        let key = UniquenessKey::Alias(alias.to_canonical());
        let holder = self
            .store
            .holder(&key)
            .await
            .map_err(|err| err.context(format_args!("looking up alias \"{alias}\"")))?;
        match holder {
            Some(holder) if holder.account == self.account => self.get(holder.entry).await,
            _ => Ok(None),
        }
    }

    /// Who holds `key`, in this account or any other the store keeps.
    ///
    /// # Errors
    /// [`StoreError`] when the store failed.
    pub async fn holder(&self, key: &UniquenessKey) -> Result<Option<Holder>, StoreError> {
        self.store
            .holder(key)
            .await
            .map_err(|err| err.context(format_args!("looking up the holder of {key}")))
    }

    /// One page of the account's entries in `region` (every Region with `None`), deleted
    /// ones included, in id order: at most `limit` entries (1 to [`MAX_PAGE`]) with an id
    /// above `after`. Pass the last id of a page to get the next; an empty page is the end.
    ///
    /// # Errors
    /// [`StoreError`] when the store failed.
    pub async fn list(
        &self,
        region: Option<Region>,
        after: Option<EntryId>,
        limit: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        self.store
            .list(&Listing {
                account: self.account.clone(),
                region,
                pending_before: None,
                after,
                limit: limit.clamp(1, MAX_PAGE),
            })
            .await
            .map_err(|err| err.context("listing entries"))
    }

    /// One page of the account's entries still `reserved` or `sent` that last changed before
    /// `older_than` (epoch seconds): what a crash may have left. Paged as [`list`](Self::list).
    ///
    /// # Errors
    /// [`StoreError`] when the store failed.
    pub async fn pending(
        &self,
        older_than: u64,
        after: Option<EntryId>,
        limit: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        self.store
            .list(&Listing {
                account: self.account.clone(),
                region: None,
                pending_before: Some(older_than),
                after,
                limit: limit.clamp(1, MAX_PAGE),
            })
            .await
            .map_err(|err| err.context("listing pending entries"))
    }

    /// Records the `CreateOrganization` call about to be sent for entry `id`, and returns the
    /// call to send: `call`, carrying the entry's [client token](Entry::client_token). Call
    /// it just before every send: the first (`call` is [`CreateOrganization::new`] of the
    /// entry's spec, or `with_hosted_zones` for new Route 53 domains) and each resend (the
    /// same call again, or [`resend`](Self::resend)). The entry counts its sends, so that
    /// [`answered`](Self::answered) tells a first send from a resend.
    ///
    /// # Errors
    /// [`CatalogError::NotFound`], [`CatalogError::NotItsRequest`], [`CatalogError::Stage`]
    /// when the entry is past `sent` (or `sent` with another request),
    /// [`CatalogError::LeaseLost`], [`CatalogError::Busy`] or [`CatalogError::Store`].
    pub async fn sent(
        &self,
        id: EntryId,
        call: &CreateOrganization,
        now: u64,
    ) -> Result<CreateOrganization, CatalogError> {
        let entry = self
            .change(id, now, |entry| {
                live(entry)?;
                if call.region() != entry.region()
                    || !call
                        .request()
                        .is_for_entry(entry.spec(), entry.client_token())
                {
                    return Err(CatalogError::NotItsRequest {
                        id,
                        alias: entry.alias().clone(),
                    });
                }
                let token = entry.client_token();
                let same = |recorded: &CreateOrganizationRequest| {
                    recorded.clone().with_client_token(token.clone())
                        == call.request().clone().with_client_token(token.clone())
                };
                match entry.stage() {
                    Stage::Reserved => {}
                    Stage::Sent if entry.request().is_some_and(same) => {}
                    stage => {
                        return Err(stage_error(
                            entry,
                            stage,
                            "recording a send",
                            "reserved, or sent with this request",
                        ))
                    }
                }
                Ok(Some(Box::new(move |next: &mut Entry| {
                    next.record_send(call.request().clone(), now)
                })))
            })
            .await?;
        entry.call().ok_or_else(|| {
            StoreError::msg(format!(
                "recording a send of entry {id}: the request is not kept"
            ))
            .into()
        })
    }

    /// Records a resend of a `sent` entry's recorded request, and returns the call to send
    /// again: the request with the entry's client token, and the Region. AWS answers a
    /// request it already took with the same organization id while it remembers the token.
    ///
    /// # Errors
    /// [`CatalogError::Stage`] for an entry that is not `sent`; as [`sent`](Self::sent).
    pub async fn resend(&self, id: EntryId, now: u64) -> Result<CreateOrganization, CatalogError> {
        let entry = self.entry(id).await?;
        match entry.call() {
            Some(call) if entry.stage() == Stage::Sent => self.sent(id, &call, now).await,
            _ => Err(stage_error(&entry, entry.stage(), "resending", "sent")),
        }
    }

    /// Applies AWS's answer to the latest send of entry `id`'s request, as
    /// [`CreateAnswer::effect`] classifies it for that send (the first, or a resend):
    /// - taken: the organization id is recorded ([`Answered::Created`]);
    /// - not taken on the first send (AWS refused before making anything): the entry is
    ///   released ([`Answered::Released`]), or, when nothing was sent, left `sent`
    ///   ([`Answered::NotSent`]);
    /// - unknown: nothing changes, and the [`Lookup`] to run comes back
    ///   ([`Answered::Lookup`], with [`DEFAULT_MIN_AGE`]).
    ///
    /// # Errors
    /// [`CatalogError::Stage`] for an entry that is not `sent`; as [`created`](Self::created)
    /// and [`release`](Self::release).
    pub async fn answered(
        &self,
        id: EntryId,
        answer: &CreateAnswer,
        now: u64,
    ) -> Result<Answered, CatalogError> {
        let entry = self.entry(id).await?;
        if entry.stage() != Stage::Sent {
            if let (Some(recorded), Some(answered)) =
                (entry.organization_id(), answer.organization_id())
            {
                if recorded == answered {
                    return Ok(Answered::Created(entry));
                }
            }
            return Err(stage_error(
                &entry,
                entry.stage(),
                "applying an answer",
                "sent",
            ));
        }
        let attempt = if entry.sends() <= 1 {
            Attempt::First
        } else {
            Attempt::Resend
        };
        match (answer.effect(attempt), answer) {
            (Effect::Taken, CreateAnswer::Created(response)) => {
                Ok(Answered::Created(self.created(id, response, now).await?))
            }
            (Effect::NotTaken, CreateAnswer::Refused(exception)) => {
                let entry = self.release_entry(id, now, |_| Ok(())).await?;
                Ok(Answered::Released {
                    entry,
                    exception: exception.clone(),
                })
            }
            (Effect::NotTaken, _) => Ok(Answered::NotSent(entry)),
            _ => Ok(Answered::Lookup(Lookup::new(&entry, now).ok_or_else(
                || stage_error(&entry, entry.stage(), "looking up", "sent"),
            )?)),
        }
    }

    /// Adopts `organization`, found by a [`Lookup`] and described, as entry `id`'s: records
    /// its id and snapshot in one step. A `Failed` organization is recorded as such (not
    /// released: it holds the alias until deleted).
    ///
    /// # Errors
    /// [`CatalogError::NotAdoptable`] for an organization `Deleting` or `Deleted`;
    /// [`RecordError::Mismatch`] (and the other snapshot checks of [`record`](Self::record))
    /// when it is unlike the spec; [`RecordError::IdInUse`] when another entry has its id;
    /// [`CatalogError::Stage`] for an entry that is not `sent`; [`CatalogError::LeaseLost`],
    /// [`CatalogError::Busy`] or [`CatalogError::Store`]. Nothing changes then.
    pub async fn adopt(
        &self,
        id: EntryId,
        organization: &Organization,
        now: u64,
    ) -> Result<Entry, CatalogError> {
        let organization_id = organization.organization_id();
        if let Some(owner) = self.by_organization_id(organization_id).await? {
            if owner.id() != id {
                return Err(RecordError::IdInUse {
                    alias: organization.alias().clone(),
                    id: organization_id.clone(),
                    owner: owner.id(),
                }
                .into());
            }
        }
        self.change(id, now, |entry| {
            live(entry)?;
            if let Some(
                crate::lifecycle::OrganizationState::Deleting
                | crate::lifecycle::OrganizationState::Deleted,
            ) = organization.state().known()
            {
                return Err(CatalogError::NotAdoptable {
                    id,
                    alias: entry.alias().clone(),
                    organization: organization_id.clone(),
                    state: organization.state().clone(),
                });
            }
            self.check_record(entry, organization)?;
            match (entry.stage(), entry.organization_id()) {
                (Stage::Sent, None) => Ok(Some(Box::new(|next: &mut Entry| {
                    next.set_organization_id(organization_id.clone());
                    next.set_organization(organization.clone());
                }))),
                (_, Some(recorded)) if recorded == organization_id => Ok(None),
                (stage, _) => Err(stage_error(
                    entry,
                    stage,
                    "adopting an organization",
                    "sent",
                )),
            }
        })
        .await
    }

    /// Takes, renews or takes over the lease on entry `id` for this catalog's
    /// [owner](Self::with_owner), until `now + seconds`: a compare-and-set on the entry's
    /// version, so two processes never both hold it. An expired lease of another owner
    /// (past [`MAX_CLOCK_SKEW`] too) is taken over.
    ///
    /// # Errors
    /// [`CatalogError::NoOwner`] for a catalog without an owner; [`CatalogError::Leased`]
    /// while another owner's lease is live; [`CatalogError::Deleted`],
    /// [`CatalogError::NotFound`], [`CatalogError::Busy`] or [`CatalogError::Store`].
    pub async fn lease(&self, id: EntryId, now: u64, seconds: u64) -> Result<Leased, CatalogError> {
        let Some(owner) = self.owner.clone() else {
            return Err(CatalogError::NoOwner { id });
        };
        let mut took_over = false;
        let entry = self
            .write_leased(id, now, |entry| {
                live(entry)?;
                took_over = false;
                if let Some(lease) = entry.lease() {
                    if *lease.owner() != owner {
                        if lease.is_live_at(now) {
                            return Err(CatalogError::Leased {
                                id,
                                alias: entry.alias().clone(),
                                until: lease.expires_at().saturating_add(MAX_CLOCK_SKEW),
                            });
                        }
                        took_over = true;
                    }
                }
                let lease = Lease::new(owner.clone(), now.saturating_add(seconds));
                Ok(Some(Box::new(move |next: &mut Entry| {
                    next.set_lease(Some(lease))
                })))
            })
            .await?;
        Ok(Leased { entry, took_over })
    }

    /// Gives up this catalog's lease on entry `id`; no lease is no change.
    ///
    /// # Errors
    /// [`CatalogError::LeaseLost`] when another owner holds it; [`CatalogError::NotFound`],
    /// [`CatalogError::Busy`] or [`CatalogError::Store`].
    pub async fn unlease(&self, id: EntryId, now: u64) -> Result<Entry, CatalogError> {
        self.change(id, now, |entry| match entry.lease() {
            None => Ok(None),
            Some(_) => Ok(Some(Box::new(|next: &mut Entry| next.set_lease(None)))),
        })
        .await
    }

    /// Records AWS's answer to `CreateOrganization` for entry `id`: the organization id.
    /// Recording the same id again is a no-op.
    ///
    /// # Errors
    /// [`CatalogError::NotFound`]; [`CatalogError::Stage`] for an entry whose request was not
    /// recorded as [`sent`](Self::sent); [`RecordError::IdChanged`] when the entry has
    /// another organization id, [`RecordError::IdInUse`] when another entry has this one;
    /// [`CatalogError::Busy`] or [`CatalogError::Store`].
    pub async fn created(
        &self,
        id: EntryId,
        response: &CreateOrganizationResponse,
        now: u64,
    ) -> Result<Entry, CatalogError> {
        let organization_id = response.organization_id();
        let owner = self
            .store
            .by_organization_id(organization_id)
            .await
            .map_err(|err| {
                err.context(format_args!("looking up organization {organization_id}"))
            })?;
        if let Some(owner) = owner {
            if owner.id() != id {
                let alias = self.entry(id).await?.alias().clone();
                return Err(RecordError::IdInUse {
                    alias,
                    id: organization_id.clone(),
                    owner: owner.id(),
                }
                .into());
            }
        }
        self.change(id, now, |entry| match live(entry)?.organization_id() {
            Some(recorded) if recorded == organization_id => Ok(None),
            Some(recorded) => Err(RecordError::IdChanged {
                alias: entry.alias().clone(),
                recorded: recorded.clone(),
                reported: organization_id.clone(),
            }
            .into()),
            None if entry.stage() == Stage::Sent => Ok(Some(Box::new(|next: &mut Entry| {
                next.set_organization_id(organization_id.clone())
            }))),
            None => Err(stage_error(
                entry,
                entry.stage(),
                "recording the organization id",
                "sent",
            )),
        })
        .await
    }

    /// Records what AWS reports about an organization (`DescribeOrganization`), found by its
    /// organization id, and returns its entry.
    ///
    /// The snapshot replaces the one recorded before, once checked: against the spec
    /// ([`Organization::check_against`], and the Region its ARN names), against the
    /// account (the ARN's), and the lifecycle must lead from the state recorded before to
    /// the one reported now. A `Deleted` snapshot frees the entry's keys and quota; the entry
    /// stays as history, and seeing `Deleted` again is no change.
    ///
    /// # Errors
    /// [`RecordError::NotFound`] when no entry of the account has the organization id; the
    /// other [`RecordError`]s when the snapshot contradicts the entry; [`CatalogError::Busy`]
    /// or [`CatalogError::Store`]. Nothing changes then.
    pub async fn record(
        &self,
        organization: &Organization,
        now: u64,
    ) -> Result<Entry, CatalogError> {
        let Some(entry) = self
            .by_organization_id(organization.organization_id())
            .await?
        else {
            return Err(RecordError::NotFound {
                id: organization.organization_id().clone(),
                alias: organization.alias().clone(),
            }
            .into());
        };
        self.change(entry.id(), now, |entry| {
            self.check_record(entry, organization)?;
            if entry.organization() == Some(organization) {
                return Ok(None);
            }
            Ok(Some(Box::new(|next: &mut Entry| {
                next.set_organization(organization.clone())
            })))
        })
        .await
    }

    /// Whether `organization` may be recorded for `entry`: it matches the spec and the
    /// account, and follows the lifecycle from the snapshot before.
    fn check_record(&self, entry: &Entry, organization: &Organization) -> Result<(), RecordError> {
        entry::check_snapshot(entry.spec(), organization)?;
        if let Some(previous) = entry.organization() {
            // What AWS reports next must follow the lifecycle from what it reported before.
            crate::lifecycle::Tracked::new(previous.state().clone(), ())
                .observe(organization.state().clone())
                .map_err(|refused| RecordError::State {
                    alias: entry.alias().clone(),
                    error: refused.into_error(),
                })?;
        }
        if let Some(arn) = organization.arn().and_then(|arn| arn.known()) {
            if *arn.account() != self.account {
                return Err(RecordError::Account {
                    alias: entry.alias().clone(),
                    entry: self.account.clone(),
                    reported: arn.account().clone(),
                });
            }
        }
        Ok(())
    }

    /// Releases entry `id`: deletes it and frees every key at once, and its place in the
    /// quota. Only the entry's own account may (another account's entry is not found).
    ///
    /// # Errors
    /// [`CatalogError::Stage`] when `release` does not cover the entry's stage (see
    /// [`Release`]; a created organization is never released: delete it and record the
    /// `Deleted` snapshot); [`CatalogError::StaleEvidence`] when the lookup was for another
    /// entry, or the entry was sent again since it started; [`CatalogError::LeaseLost`],
    /// [`CatalogError::NotFound`], [`CatalogError::Busy`] or [`CatalogError::Store`].
    pub async fn release(
        &self,
        id: EntryId,
        release: Release,
        now: u64,
    ) -> Result<Entry, CatalogError> {
        self.release_entry(id, now, |entry| {
            let stale = |problem| CatalogError::StaleEvidence {
                id,
                alias: entry.alias().clone(),
                problem,
            };
            match (&release, entry.stage()) {
                (_, Stage::Reserved) => Ok(()),
                (Release::NotCreated(evidence), Stage::Sent) => {
                    if evidence.entry != id {
                        Err(stale("is about another entry"))
                    } else if evidence.sends != entry.sends() {
                        Err(stale("predates the latest send"))
                    } else if entry.sent_at().is_none_or(|sent_at| {
                        evidence.started_at < sent_at.saturating_add(evidence.min_age)
                    }) {
                        Err(stale(
                            "started before the minimum age after the latest send",
                        ))
                    } else {
                        Ok(())
                    }
                }
                (Release::NothingSent, stage) => Err(stage_error(
                    entry,
                    stage,
                    "releasing with nothing sent",
                    "reserved",
                )),
                (_, stage) => Err(stage_error(
                    entry,
                    stage,
                    "releasing as not created",
                    "reserved or sent",
                )),
            }
        })
        .await
    }

    /// Deletes entry `id` once `allowed` passes on the entry as read, over the version read,
    /// fenced by its lease.
    async fn release_entry(
        &self,
        id: EntryId,
        now: u64,
        allowed: impl Fn(&Entry) -> Result<(), CatalogError>,
    ) -> Result<Entry, CatalogError> {
        for _ in 0..WRITE_ATTEMPTS {
            let entry = self.entry(id).await?;
            self.fence(&entry, now)?;
            allowed(&entry)?;
            let written = self
                .store
                .release(&entry)
                .await
                .map_err(|err| err.context(format_args!("releasing entry {id}")))?;
            if written == Written::Done {
                return Ok(entry);
            }
        }
        Err(CatalogError::Busy { id })
    }

    /// Whether this catalog may write `entry` at `now`: a catalog with an owner only while no
    /// other owner holds the entry's lease (expired or not: the lease was taken over); one
    /// without an owner while no lease is live.
    fn fence(&self, entry: &Entry, now: u64) -> Result<(), CatalogError> {
        let Some(lease) = entry.lease() else {
            return Ok(());
        };
        let lost = match &self.owner {
            Some(owner) => lease.owner() != owner,
            None => lease.is_live_at(now),
        };
        if lost {
            return Err(CatalogError::LeaseLost {
                id: entry.id(),
                alias: entry.alias().clone(),
            });
        }
        Ok(())
    }

    /// Registers a mail domain with a live organization (what `RegisterMailDomain` does): its
    /// key, in one atomic step.  Registering a domain the entry holds is a no-op.
    ///
    /// # Errors
    /// [`CatalogError::MailDomainInUse`] when another organization holds it;
    /// [`CatalogError::Deleted`], [`CatalogError::NotFound`], [`CatalogError::Busy`] or
    /// [`CatalogError::Store`].
    pub async fn register_mail_domain(
        &self,
        id: EntryId,
        domain: &DomainName,
        now: u64,
    ) -> Result<Entry, CatalogError> {
        self.change(id, now, |entry| {
            if live(entry)?.mail_domains().contains(domain) {
                return Ok(None);
            }
            let mut domains = entry.mail_domains().to_vec();
            domains.push(domain.clone());
            domains.sort_unstable();
            Ok(Some(Box::new(move |next: &mut Entry| {
                next.set_mail_domains(domains)
            })))
        })
        .await
    }

    /// Deregisters a mail domain from a live organization (what `DeregisterMailDomain`
    /// does), freeing its key, in one atomic step.
    ///
    /// # Errors
    /// [`CatalogError::MailDomainNotHeld`] when the entry does not hold it;
    /// [`CatalogError::Deleted`], [`CatalogError::NotFound`], [`CatalogError::Busy`] or
    /// [`CatalogError::Store`].
    pub async fn deregister_mail_domain(
        &self,
        id: EntryId,
        domain: &DomainName,
        now: u64,
    ) -> Result<Entry, CatalogError> {
        self.change(id, now, |entry| {
            if !live(entry)?.mail_domains().contains(domain) {
                return Err(CatalogError::MailDomainNotHeld {
                    id,
                    alias: entry.alias().clone(),
                    domain: domain.clone(),
                });
            }
            let domains = entry
                .mail_domains()
                .iter()
                .filter(|held| *held != domain)
                .cloned()
                .collect();
            Ok(Some(Box::new(move |next: &mut Entry| {
                next.set_mail_domains(domains)
            })))
        })
        .await
    }

    /// The account's entry `id`, or [`CatalogError::NotFound`].
    async fn entry(&self, id: EntryId) -> Result<Entry, CatalogError> {
        self.get(id).await?.ok_or_else(|| CatalogError::NotFound {
            account: self.account.clone(),
            id,
        })
    }

    /// Reads entry `id`, lets `decide` say what changes (`None`: nothing), and writes the
    /// next version over the one read; reads again when another process wrote first.
    /// `decide` refuses what the entry's stage does not allow, a deleted entry included.
    async fn change<'a>(
        &self,
        id: EntryId,
        now: u64,
        mut decide: impl FnMut(&Entry) -> Result<Option<Change<'a>>, CatalogError>,
    ) -> Result<Entry, CatalogError> {
        self.write_leased(id, now, |entry| {
            self.fence(entry, now)?;
            decide(entry)
        })
        .await
    }

    /// [`change`](Self::change) without the fence: for [`lease`](Self::lease), which decides
    /// about the lease itself.
    async fn write_leased<'a>(
        &self,
        id: EntryId,
        now: u64,
        mut decide: impl FnMut(&Entry) -> Result<Option<Change<'a>>, CatalogError>,
    ) -> Result<Entry, CatalogError> {
        for _ in 0..WRITE_ATTEMPTS {
            let entry = self.entry(id).await?;
            let Some(change) = decide(&entry)? else {
                return Ok(entry);
            };
            let next = entry.next(now, change);
            let written = self
                .store
                .write(&next)
                .await
                .map_err(|err| err.context(format_args!("writing entry {id}")))?;
            match written {
                Written::Done => return Ok(next),
                Written::Stale => continue,
                Written::Conflict(conflicts) => {
                    let Some((key, holder)) = conflicts.into_iter().next() else {
                        continue;
                    };
                    let domain = match &key {
                        UniquenessKey::Domain(domain) => domain.clone(),
                        _ => {
                            return Err(StoreError::msg(format!(
                                "writing entry {id}: its refusal names {key}, held by {holder}, which is no mail domain"
                            ))
                            .into())
                        }
                    };
                    return Err(CatalogError::MailDomainInUse {
                        id,
                        message: key.conflict(),
                        domain,
                        holder,
                    });
                }
            }
        }
        Err(CatalogError::Busy { id })
    }
}

/// The entry, or [`CatalogError::Deleted`] when it is history.
fn live(entry: &Entry) -> Result<&Entry, CatalogError> {
    if entry.is_live() {
        Ok(entry)
    } else {
        Err(CatalogError::Deleted {
            id: entry.id(),
            alias: entry.alias().clone(),
        })
    }
}

/// A change to an entry, applied to its next version.
type Change<'a> = Box<dyn FnOnce(&mut Entry) + Send + 'a>;

fn stage_error(
    entry: &Entry,
    stage: Stage,
    step: &'static str,
    allowed: &'static str,
) -> CatalogError {
    CatalogError::Stage {
        id: entry.id(),
        alias: entry.alias().clone(),
        stage,
        step,
        allowed,
    }
}

#[cfg(test)]
mod tests {
    use super::{Catalog, Release, Store};
    use crate::aws::{CreateOrganization, CreateOrganizationResponse, Organization};
    use crate::spec::OrganizationSpec;

    fn send<T: Send>(_: T) {}

    /// Every call's future is `Send` for every store, so a multi-threaded runtime can move
    /// it between threads; checked at compile time, for any `S: Store`.
    #[allow(dead_code)]
    fn futures_are_send<S: Store>(
        catalog: &Catalog<S>,
        spec: &OrganizationSpec,
        call: &CreateOrganization,
        response: &CreateOrganizationResponse,
        organization: &Organization,
        answer: &crate::aws::CreateAnswer,
    ) {
        let id = super::EntryId::new(1);
        send(catalog.admit(spec, 0));
        send(catalog.get(id));
        send(catalog.by_alias(spec.alias()));
        send(catalog.list(None, None, 10));
        send(catalog.pending(0, None, 10));
        send(catalog.sent(id, call, 0));
        send(catalog.created(id, response, 0));
        send(catalog.record(organization, 0));
        send(catalog.resend(id, 0));
        send(catalog.release(id, Release::NothingSent, 0));
        send(catalog.lease(id, 0, 60));
        send(catalog.unlease(id, 0));
        send(catalog.adopt(id, organization, 0));
        send(catalog.answered(id, answer, 0));
        send(catalog.quota());
    }

    #[test]
    #[should_panic(expected = "not finished after one poll")]
    fn blocking_refuses_a_future_that_pends() {
        let catalog = Catalog::new("111122223333".parse().unwrap());
        let mut polled = false;
        catalog.blocking(|_| {
            std::future::poll_fn(move |_| {
                if polled {
                    std::task::Poll::Ready(())
                } else {
                    polled = true;
                    std::task::Poll::Pending
                }
            })
        });
    }
}
