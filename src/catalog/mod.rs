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
//! 1. [`admit`](Catalog::admit) reserves every key and counts the quota: `reserved`.
//! 2. [`sent`](Catalog::sent) records the exact `CreateOrganization` request just before it
//!    is sent: `sent`.
//! 3. [`created`](Catalog::created) records the organization id AWS answered: `created`.
//! 4. [`record`](Catalog::record) records each `DescribeOrganization` snapshot:
//!    `recorded`, with AWS's lifecycle state. A `Deleted` snapshot frees the alias, the
//!    domains and the directory, and the entry stays as history.
//!
//! A service that died lists what it left with [`pending`](Catalog::pending) (entries still
//! `reserved` or `sent`, untouched for a while) and settles each one:
//! - **Resume** ([`resume`](Catalog::resume)): send the recorded request again. It carries
//!   the spec's client token, so AWS answers with the same organization id if the first send
//!   arrived. Without a token AWS cannot tell, and answers `NameAvailabilityException` when
//!   it made the organization: find it by alias in `ListOrganizations`, then call
//!   [`created`](Catalog::created) with its id.
//! - **Release** ([`release`](Catalog::release)): free every key at once. A `reserved` entry
//!   sent nothing, so it may always be released; a `sent` one only once you have checked that
//!   AWS has no organization with its alias: page through `ListOrganizations` in the entry's
//!   Region and look for the alias in `OrganizationSummaries` (a `Deleted` one does not
//!   count).
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
//! catalog.blocking(|c| c.release(entry.id(), Release::NothingSent))?;
//! assert!(matches!(catalog.blocking(|c| c.admit(&again, now))?, Admission::New(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod entry;
mod keys;
mod memory;
mod rejection;
pub mod store;

pub use entry::{Entry, EntryId, RecordError, Stage};
pub use keys::{UniquenessKey, UniquenessKeys};
pub use memory::InMemoryStore;
pub use rejection::Rejection;
pub use store::{Holder, Quota, Store, StoreError};

use std::borrow::Borrow;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use store::{Listing, NewEntry, Reservation, Written, MAX_PAGE};

use crate::aws::{CreateOrganization, CreateOrganizationResponse, Organization};
use crate::report::Findings;
use crate::spec::FieldPath;
use crate::text::debug_as_display;
use crate::{
    AccountId, DomainName, OrganizationAlias, OrganizationId, OrganizationSpec, Region, Rule,
    Violations,
};

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

/// How an entry is [released](Catalog::release): what the caller vouches for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Release {
    /// Nothing was sent: only a [`Stage::Reserved`] entry.
    NothingSent,
    /// The request may have been sent, and the caller checked that AWS has no organization
    /// with the entry's alias (`ListOrganizations` in its Region): a `Reserved` or
    /// [`Stage::Sent`] entry.
    NotCreated,
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
        Catalog { account, store }
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
                let violation = crate::Violation::new(
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

    /// Records the `CreateOrganization` call about to be sent for entry `id`: call it just
    /// before sending. The call must be the one the entry's spec makes
    /// ([`CreateOrganization::new`], or `with_hosted_zones` for new Route 53 domains).
    /// Recording the same call again is a no-op.
    ///
    /// # Errors
    /// [`CatalogError::NotFound`], [`CatalogError::NotItsRequest`], [`CatalogError::Stage`]
    /// when the entry is past `sent` (or `sent` with another request), [`CatalogError::Busy`]
    /// or [`CatalogError::Store`].
    pub async fn sent(
        &self,
        id: EntryId,
        call: &CreateOrganization,
        now: u64,
    ) -> Result<Entry, CatalogError> {
        self.change(id, now, |entry| {
            live(entry)?;
            if call.region() != entry.region() || !call.request().is_for(entry.spec()) {
                return Err(CatalogError::NotItsRequest {
                    id,
                    alias: entry.alias().clone(),
                });
            }
            match entry.stage() {
                Stage::Reserved => Ok(Some(Box::new(|next: &mut Entry| {
                    next.set_request(call.request().clone())
                }))),
                Stage::Sent if entry.request() == Some(call.request()) => Ok(None),
                stage => Err(stage_error(
                    entry,
                    stage,
                    "recording the request",
                    "reserved",
                )),
            }
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

    /// The call to send again for a `sent` entry after a crash: the recorded request, with
    /// its client token, and the Region.
    ///
    /// AWS answers with the same organization id when the first send arrived and the request
    /// has a client token: record it with [`created`](Self::created). Without a token, AWS
    /// answers `NameAvailabilityException` if it made the organization: find it by alias in
    /// `ListOrganizations` and record its id with [`created`](Self::created).
    ///
    /// # Errors
    /// [`CatalogError::NotFound`]; [`CatalogError::Stage`] for an entry that is not `sent`;
    /// [`CatalogError::Store`].
    pub async fn resume(&self, id: EntryId) -> Result<CreateOrganization, CatalogError> {
        let entry = self.entry(id).await?;
        match (entry.stage(), entry.request()) {
            (Stage::Sent, Some(request)) => Ok(CreateOrganization::from_parts(
                entry.region(),
                request.clone(),
            )),
            (stage, _) => Err(stage_error(&entry, stage, "resuming", "sent")),
        }
    }

    /// Releases entry `id`: deletes it and frees every key at once, and its place in the
    /// quota. Only the entry's own account may (another account's entry is not found).
    ///
    /// # Errors
    /// [`CatalogError::Stage`] when `release` does not cover the entry's stage (see
    /// [`Release`]; a created organization is never released: delete it and record the
    /// `Deleted` snapshot); [`CatalogError::NotFound`], [`CatalogError::Busy`] or
    /// [`CatalogError::Store`].
    pub async fn release(&self, id: EntryId, release: Release) -> Result<Entry, CatalogError> {
        for _ in 0..WRITE_ATTEMPTS {
            let entry = self.entry(id).await?;
            let allowed = matches!(
                (release, entry.stage()),
                (_, Stage::Reserved) | (Release::NotCreated, Stage::Sent)
            );
            if !allowed {
                let (step, needs) = match release {
                    Release::NothingSent => ("releasing with nothing sent", "reserved"),
                    Release::NotCreated => ("releasing as not created", "reserved or sent"),
                };
                return Err(stage_error(&entry, entry.stage(), step, needs));
            }
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
    use crate::OrganizationSpec;

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
        send(catalog.resume(id));
        send(catalog.release(id, Release::NothingSent));
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
