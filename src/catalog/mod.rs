//! One account's organizations, and the rules that need more than one organization.
//!
//! A [`Catalog`] admits [`OrganizationSpec`]s into an account and checks, all at once, what
//! spec validation alone cannot: the alias is not held by any organization anywhere (through
//! the shared [`AliasRegistry`]), no mail domain belongs to two organizations of the account,
//! no existing directory backs two organizations in the same account and Region, and the
//! account's organization quota (100 by default) is not exceeded. Violations have the same
//! shape as spec validation's: a path, an AWS error code, a stable rule id and a message.
//!
//! - **Retries are idempotent.** Admitting the identical spec again with the same client
//!   token answers [`Admission::AlreadyAdmitted`], as AWS answers a retried
//!   `CreateOrganization` with the same organization. Without a token, or with the same
//!   token on a different spec, the clash stands.
//! - **What AWS reports is tracked.** Each organization is an [`Entry`]: the spec, and once
//!   the caller [records](Catalog::record) it, AWS's `DescribeOrganization` snapshot
//!   ([`aws::Organization`](crate::aws::Organization): id, ARN, state), checked against the
//!   spec. [`Catalog::by_organization_id`] finds it again.
//! - **It survives a restart.** A catalog serializes as its account, quota and entries and
//!   reads back with the same answers; [`Catalog::from_entries`] rebuilds one from stored
//!   entries over a shared registry. Both re-check every rule between the entries.
//! - **Storage shared by many processes** enforces uniqueness with the keys of
//!   [`UniquenessKeys`] in its own unique indexes; see there, and [`AliasRegistry`].
//!
//! Scope: AWS keeps a mail domain to one organization across *all* accounts (WorkMail API:
//! `MailDomainInUseException`); a catalog sees one account, so a domain used by another
//! account's organization is only caught by AWS itself, whose answer
//! [`aws::AwsException`](crate::aws::AwsException) reads: its
//! [`code`](crate::aws::AwsException::code) is then `MailDomainInUse`, the code of
//! `domains.in_use`. Aliases, which name the global `ALIAS.awsapps.com`, go
//! through the shared registry and are unique everywhere it is shared.
//!
//! ```
//! use workmail_org::catalog::{Admission, AdmitError};
//! use workmail_org::{AccountId, Catalog, OrganizationDraft, Rule};
//!
//! let account: AccountId = "111122223333".parse()?;
//! let mut catalog = Catalog::new(account);
//! let mut draft = OrganizationDraft::new("acme", "us-east-1");
//! draft.client_token = Some("create-acme-1".into());
//! let spec = draft.validate()?;
//! assert_eq!(catalog.admit(spec.clone())?, Admission::New);
//! // The same request retried: the same organization.
//! assert_eq!(catalog.admit(spec.clone())?, Admission::AlreadyAdmitted);
//!
//! // The same alias again, in another case: taken.
//! let again = OrganizationDraft::new("ACME", "us-west-2").validate()?;
//! let Err(AdmitError::Rejected(violations)) = catalog.check(&again) else {
//!     panic!("the alias is taken");
//! };
//! assert!(violations.contains(Rule::AliasTaken));
//!
//! // Removing frees the alias, domains and directory.
//! catalog.remove(spec.alias())?;
//! catalog.admit(again)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod entry;
mod keys;
mod registry;
mod store;

pub use entry::{Entry, RecordError};
pub use keys::{UniquenessKey, UniquenessKeys};
pub use registry::{AliasRegistry, InMemoryAliasRegistry, RegistryError, Reservation};
pub use store::RestoreError;

use std::collections::HashMap;
use std::fmt;

use crate::aws::Organization;
use crate::report::Findings;
use crate::spec::FieldPath;
use crate::text::debug_as_display;
use crate::ClientToken;
use crate::{
    AccountId, DirectoryId, DomainName, OrganizationAlias, OrganizationId, OrganizationSpec,
    Region, Rule, Violation, Violations,
};

/// How many organizations an account may hold unless configured otherwise (the AWS default
/// quota).
pub const DEFAULT_ORGANIZATION_LIMIT: usize = 100;

/// Who holds an alias that a [`Catalog`] reserved: one request to create an organization,
/// named by its account, Region and client token.
///
/// Equal holders are the same request retried, as with `CreateOrganization`'s own
/// idempotency: a catalog treats an alias already held by an equal holder as its own only
/// when the spec has a client token. Without one, two requests cannot be told apart, so any
/// existing reservation is a conflict.
///
/// A holder does not carry the spec: two catalogs over one registry that admit *different*
/// specs with the same alias, account, Region and token both see the reservation as their
/// own. A client token names one request; reusing it for another spec is the caller's
/// mistake, which AWS refuses when the requests reach it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AliasHolder {
    account: AccountId,
    region: Region,
    client_token: Option<ClientToken>,
}

impl AliasHolder {
    /// The holder for a request of `account` in `region`, with its client token if any.
    pub fn new(account: AccountId, region: Region, client_token: Option<ClientToken>) -> Self {
        AliasHolder {
            account,
            region,
            client_token,
        }
    }

    /// The client token of the request, if it had one.
    pub fn client_token(&self) -> Option<&ClientToken> {
        self.client_token.as_ref()
    }

    /// The account.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The Region.
    pub fn region(&self) -> Region {
        self.region
    }
}

impl fmt::Display for AliasHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an organization of account {} in {}",
            self.account, self.region
        )
    }
}

/// What a successful [`Catalog::admit`] did (or, from [`Catalog::check`], would do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Admission {
    /// The organization is new to the catalog and was admitted.
    New,
    /// The catalog already holds this organization, admitted from the identical spec with
    /// the same client token: the same request, retried. Nothing changed.
    AlreadyAdmitted,
}

/// Why an organization was not admitted (or would not be, from [`Catalog::check`]).
///
/// Transparent: each variant shows its inner error's message, and `source` is the inner
/// error's own source, so an error chain never prints the same message twice. `Debug` shows
/// the message too.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum AdmitError {
    /// Catalog rules are broken: every violation found.
    #[error(transparent)]
    Rejected(#[from] Violations),
    /// The alias registry failed; nothing was admitted.
    #[error(transparent)]
    Registry(#[from] RegistryError<AliasHolder>),
}

debug_as_display!(AdmitError);

/// One account's organizations, with the indexes that keep aliases, domains and directories
/// unique.
///
/// The catalog is owned data (`&mut self` to change it; wrap it in a lock to share it); the
/// alias registry it uses is shared with every other catalog, process or service that
/// reserves aliases, and is the only part that must be atomic across them.
///
/// Serde writes `{"account": ..., "limit": ..., "entries": [...]}`, the [`Entry`]s sorted by
/// alias; reading it back rebuilds the indexes with [`from_entries`](Self::from_entries)
/// into a new registry of type `R` (`R::default()`), so a refused set of entries is an error,
/// never silently merged. With a registry shared with others, store the entries and call
/// [`from_entries`](Self::from_entries) with it instead.
///
/// ```
/// use workmail_org::{AccountId, Catalog, OrganizationDraft};
///
/// let mut catalog = Catalog::new("111122223333".parse()?).with_limit(5);
/// catalog.admit(OrganizationDraft::new("acme", "us-east-1").validate()?)?;
/// let json = serde_json::to_string(&catalog)?;
///
/// let restored: Catalog = serde_json::from_str(&json)?;
/// assert_eq!(restored.limit(), 5);
/// assert!(restored.get(&"ACME".parse()?).is_some());
/// assert_eq!(serde_json::to_string(&restored)?, json);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Catalog<R = InMemoryAliasRegistry<AliasHolder>>
where
    R: AliasRegistry<Holder = AliasHolder>,
{
    account: AccountId,
    limit: usize,
    registry: R,
    organizations: HashMap<OrganizationAlias, Entry>,
    domains: HashMap<DomainName, OrganizationAlias>,
    directories: HashMap<(Region, DirectoryId), OrganizationAlias>,
    organization_ids: HashMap<OrganizationId, OrganizationAlias>,
}

impl Catalog {
    /// An empty catalog for `account`, with its own in-memory alias registry (aliases are
    /// then unique within this catalog only; pass a shared registry with
    /// [`with_registry`](Self::with_registry) to make them unique across catalogs).
    pub fn new(account: AccountId) -> Self {
        Catalog::with_registry(account, InMemoryAliasRegistry::new())
    }
}

/// Whether two specs are the same request: equal, the alias spelled the same (spec equality
/// ignores the alias's case), and with a client token.
fn same_request(admitted: &OrganizationSpec, spec: &OrganizationSpec) -> bool {
    spec.client_token().is_some()
        && admitted == spec
        && admitted.alias().as_str() == spec.alias().as_str()
}

impl<R> Catalog<R>
where
    R: AliasRegistry<Holder = AliasHolder>,
{
    /// An empty catalog for `account` that reserves aliases in `registry`, with the default
    /// quota of [`DEFAULT_ORGANIZATION_LIMIT`] organizations.
    pub fn with_registry(account: AccountId, registry: R) -> Self {
        Catalog {
            account,
            limit: DEFAULT_ORGANIZATION_LIMIT,
            registry,
            organizations: HashMap::new(),
            domains: HashMap::new(),
            directories: HashMap::new(),
            organization_ids: HashMap::new(),
        }
    }

    /// The same catalog with a quota of `limit` organizations (an account whose quota was
    /// raised, or a test).
    ///
    /// The quota is checked when a spec is admitted; a catalog already over a lowered quota
    /// keeps its organizations and admits no new one.
    pub fn with_limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// The account.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The organization quota.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The alias registry.
    pub fn registry(&self) -> &R {
        &self.registry
    }

    /// How many organizations the catalog holds.
    pub fn len(&self) -> usize {
        self.organizations.len()
    }

    /// Whether the catalog holds no organization.
    pub fn is_empty(&self) -> bool {
        self.organizations.is_empty()
    }

    /// The organization with this alias (in any letter case).
    pub fn get(&self, alias: &OrganizationAlias) -> Option<&Entry> {
        self.organizations.get(alias)
    }

    /// The organization AWS knows by this id, once its snapshot was
    /// [recorded](Self::record).
    pub fn by_organization_id(&self, id: &OrganizationId) -> Option<&Entry> {
        self.organization_ids
            .get(id)
            .and_then(|alias| self.organizations.get(alias))
    }

    /// The organizations, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.organizations.values()
    }

    /// The organization a mail domain belongs to.
    pub fn domain_owner(&self, domain: &DomainName) -> Option<&OrganizationAlias> {
        self.domains.get(domain)
    }

    /// The organization an existing directory backs in `region`.
    pub fn directory_owner(
        &self,
        region: Region,
        directory: &DirectoryId,
    ) -> Option<&OrganizationAlias> {
        self.directories.get(&(region, directory.clone()))
    }

    /// The keys of `spec` that must be unique, for storage that enforces them itself.
    pub fn keys(&self, spec: &OrganizationSpec) -> UniquenessKeys {
        UniquenessKeys::new(&self.account, spec)
    }

    fn holder_for(&self, spec: &OrganizationSpec) -> AliasHolder {
        AliasHolder::new(
            self.account.clone(),
            spec.region(),
            spec.client_token().cloned(),
        )
    }

    /// Whether an existing reservation by `holder` is `spec`'s own: an equal holder with a
    /// client token (the same request, retried).
    fn is_own_reservation(&self, spec: &OrganizationSpec, holder: &AliasHolder) -> bool {
        holder.client_token.is_some() && *holder == self.holder_for(spec)
    }

    /// Whether the catalog already holds `spec`, admitted by the same request.
    fn is_retry(&self, spec: &OrganizationSpec) -> bool {
        self.organizations
            .get(spec.alias())
            .is_some_and(|entry| same_request(entry.spec(), spec))
    }

    /// Checks every catalog rule for `spec` without changing anything.
    ///
    /// Returns what [`admit`](Self::admit) would do: [`Admission::AlreadyAdmitted`] for the
    /// identical spec with the same client token as an organization the catalog holds,
    /// [`Admission::New`] when every rule passes.
    ///
    /// # Errors
    /// [`AdmitError::Rejected`] with every violation: the quota
    /// (`account.organization_limit`, with an empty path: the organization as a whole), the
    /// alias (`alias.taken`, path `alias`), each mail domain (`domains.in_use`, path
    /// `domains[i].name`) and the directory (`directory.in_use`, path
    /// `directory.directory_id`). [`AdmitError::Registry`] when the registry's storage failed.
    pub fn check(&self, spec: &OrganizationSpec) -> Result<Admission, AdmitError> {
        if self.is_retry(spec) {
            return Ok(Admission::AlreadyAdmitted);
        }
        let mut findings = Findings::default();
        self.check_limit(&mut findings);
        self.check_alias(spec, &mut findings)?;
        self.check_domains_and_directory(spec, &mut findings);
        Violations::from_vec(findings.violations)?;
        Ok(Admission::New)
    }

    fn check_limit(&self, findings: &mut Findings) {
        if self.organizations.len() >= self.limit {
            findings.violation(
                FieldPath::Organization,
                Rule::AccountOrganizationLimit,
                format!(
                    "account {} already holds {} organizations, its quota of {}",
                    self.account,
                    self.organizations.len(),
                    self.limit
                ),
            );
        }
    }

    /// The alias held by an organization of this catalog.
    fn check_alias_here(&self, spec: &OrganizationSpec, findings: &mut Findings) -> bool {
        let alias = spec.alias();
        let Some((existing, other)) = self.organizations.get_key_value(alias) else {
            return false;
        };
        findings.violation(
            FieldPath::Alias,
            Rule::AliasTaken,
            format!(
                "organization alias \"{alias}\" is already used by organization \"{existing}\" \
                 of this account in {}",
                other.spec().region()
            ),
        );
        true
    }

    fn check_alias(
        &self,
        spec: &OrganizationSpec,
        findings: &mut Findings,
    ) -> Result<(), RegistryError<AliasHolder>> {
        if self.check_alias_here(spec, findings) {
            return Ok(());
        }
        let alias = spec.alias();
        match self.registry.holder(alias)? {
            // An earlier attempt of the same request (same client token) that reserved the
            // alias and stopped is no conflict.
            Some(holder) if !self.is_own_reservation(spec, &holder) => {
                let taken = RegistryError::Taken {
                    alias: alias.clone(),
                    holder,
                };
                findings.violation(FieldPath::Alias, Rule::AliasTaken, taken.to_string());
            }
            _ => {}
        }
        Ok(())
    }

    /// The domain and directory keys of `spec` that an organization of the catalog holds.
    fn check_domains_and_directory(&self, spec: &OrganizationSpec, findings: &mut Findings) {
        for key in &self.keys(spec) {
            let owner = match key {
                UniquenessKey::Domain { name, .. } => self.domains.get(name),
                UniquenessKey::Directory {
                    region, directory, ..
                } => self.directory_owner(*region, directory),
                // The alias goes through the registry (`check_alias`).
                _ => None,
            };
            if let Some(owner) = owner {
                findings
                    .violations
                    .push(key.conflict(format_args!("organization \"{owner}\"")));
            }
        }
    }

    /// Admits `spec`: checks every catalog rule, reserves the alias in the registry, and
    /// records the organization with its domains and directory.
    ///
    /// Nothing changes unless everything passes. The alias is reserved last, atomically: if
    /// another process took it since [`check`](Self::check), the result is the same
    /// `alias.taken` violation.
    ///
    /// The identical spec admitted again with the same client token is the same request
    /// retried: [`Admission::AlreadyAdmitted`], and nothing changes. Without a client token,
    /// or with the same token on a spec that differs in anything (the alias's spelling
    /// included), it is a second organization and its clashes are violations.
    ///
    /// # Errors
    /// [`AdmitError::Rejected`] with every violation; [`AdmitError::Registry`] when the
    /// registry's storage failed.
    pub fn admit(&mut self, spec: OrganizationSpec) -> Result<Admission, AdmitError> {
        if self.check(&spec)? == Admission::AlreadyAdmitted {
            return Ok(Admission::AlreadyAdmitted);
        }
        let holder = self.holder_for(&spec);
        let taken = match self.registry.reserve(spec.alias(), holder.clone()) {
            Ok(Reservation::New) => None,
            // Held by an equal holder since `check`: the same request retried elsewhere is
            // fine, a token-less twin is not.
            Ok(Reservation::AlreadyHeld) if self.is_own_reservation(&spec, &holder) => None,
            Ok(Reservation::AlreadyHeld) => Some(RegistryError::Taken {
                alias: spec.alias().clone(),
                holder,
            }),
            Err(taken @ RegistryError::Taken { .. }) => Some(taken),
            Err(other) => return Err(AdmitError::Registry(other)),
        };
        if let Some(taken) = taken {
            let violation = Violation::new(FieldPath::Alias, Rule::AliasTaken, taken.to_string());
            return Err(AdmitError::Rejected(violation.into()));
        }
        self.insert(Entry::new(spec));
        Ok(Admission::New)
    }

    /// Adds an entry whose keys are free in the catalog, with its indexes.
    fn insert(&mut self, entry: Entry) {
        let alias = entry.alias().clone();
        for key in self.keys(entry.spec()) {
            match key {
                UniquenessKey::Domain { name, .. } => {
                    self.domains.insert(name, alias.clone());
                }
                UniquenessKey::Directory {
                    region, directory, ..
                } => {
                    self.directories.insert((region, directory), alias.clone());
                }
                _ => {}
            }
        }
        if let Some(id) = entry.organization_id() {
            self.organization_ids.insert(id.clone(), alias.clone());
        }
        self.organizations.insert(alias, entry);
    }

    /// Records what AWS reports about an admitted organization (`DescribeOrganization`,
    /// after `CreateOrganization`, or later to follow its state), and returns its entry.
    ///
    /// The organization is found by the snapshot's alias (in any letter case: AWS never
    /// renames an organization). The snapshot replaces the one recorded before, once
    /// checked: against the spec ([`Organization::check_against`], and the Region its ARN
    /// names), against the catalog's account (the ARN's account), and its id must be the one
    /// recorded before, if any, and no other organization's.
    ///
    /// ```
    /// use workmail_org::aws::Organization;
    /// use workmail_org::catalog::RecordError;
    /// use workmail_org::{Catalog, OrganizationDraft};
    ///
    /// let mut catalog = Catalog::new("111122223333".parse()?);
    /// catalog.admit(OrganizationDraft::new("acme", "us-east-1").validate()?)?;
    /// let org: Organization = serde_json::from_str(
    ///     r#"{"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme",
    ///         "State": "Active"}"#,
    /// )?;
    /// catalog.record(org)?;
    /// let entry = catalog.by_organization_id(&"m-0123456789abcdef0123456789abcdef".parse()?);
    /// assert_eq!(entry.map(|e| e.alias().as_str()), Some("acme"));
    ///
    /// let stranger: Organization = serde_json::from_str(
    ///     r#"{"OrganizationId": "m-ffffffffffffffffffffffffffffffff", "Alias": "globex",
    ///         "State": "Active"}"#,
    /// )?;
    /// let err = catalog.record(stranger).unwrap_err();
    /// assert!(matches!(err, RecordError::NotFound { .. }));
    /// assert_eq!(err.to_string(), "no organization \"globex\" in the catalog");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`RecordError::NotFound`] when the catalog has no such organization;
    /// [`RecordError::Mismatch`], [`RecordError::Region`] or [`RecordError::Account`] when the
    /// snapshot contradicts the spec or the account; [`RecordError::IdChanged`] when the
    /// organization was recorded with another id; [`RecordError::IdInUse`] when the id is
    /// another organization's; [`RecordError::State`] when the lifecycle has no path from
    /// the state recorded before to the one reported now. Nothing changes then.
    pub fn record(&mut self, organization: Organization) -> Result<&Entry, RecordError> {
        // AWS never renames an organization: its alias finds the entry, and the id is
        // checked against the ids recorded before.
        let alias = organization.alias().clone();
        let Some(entry) = self.organizations.get(&alias) else {
            return Err(RecordError::NotFound { alias });
        };
        self.check_record(entry, &organization)?;
        let id = organization.organization_id().clone();
        let Some(entry) = self.organizations.get_mut(&alias) else {
            return Err(RecordError::NotFound { alias });
        };
        let alias = entry.alias().clone();
        entry.set_organization(organization);
        self.organization_ids.insert(id, alias);
        Ok(&*entry)
    }

    /// Whether `organization` may be recorded for `entry`: it matches the spec and the
    /// account, and its id is the entry's own.
    fn check_record(&self, entry: &Entry, organization: &Organization) -> Result<(), RecordError> {
        let alias = entry.alias();
        if let Some(owner) = self.organization_ids.get(organization.organization_id()) {
            if owner != alias {
                return Err(RecordError::IdInUse {
                    alias: alias.clone(),
                    id: organization.organization_id().clone(),
                    owner: owner.clone(),
                });
            }
        }
        if let Some(recorded) = entry.organization_id() {
            if recorded != organization.organization_id() {
                return Err(RecordError::IdChanged {
                    alias: alias.clone(),
                    recorded: recorded.clone(),
                    reported: organization.organization_id().clone(),
                });
            }
        }
        entry::check_snapshot(entry.spec(), organization)?;
        if let Some(previous) = entry.organization() {
            // What AWS reports next must follow the lifecycle from what it reported before.
            crate::lifecycle::Tracked::new(previous.state().clone(), ())
                .observe(organization.state().clone())
                .map_err(|refused| RecordError::State {
                    alias: alias.clone(),
                    error: refused.into_error(),
                })?;
        }
        if let Some(arn) = organization.arn().and_then(|arn| arn.known()) {
            if *arn.account() != self.account {
                return Err(RecordError::Account {
                    alias: alias.clone(),
                    catalog: self.account.clone(),
                    reported: arn.account().clone(),
                });
            }
        }
        Ok(())
    }

    /// Removes the organization with this alias, freeing its alias, domains, directory and
    /// organization id.
    ///
    /// Returns the removed entry, or `None` when the catalog has no such organization. The
    /// alias is released in the registry; an alias the registry no longer attributes to this
    /// organization (released or re-reserved by someone else meanwhile) is left as it is.
    ///
    /// # Errors
    /// [`RegistryError::Backend`] when the registry's storage failed; the organization then
    /// stays in the catalog, so the call can be retried.
    pub fn remove(
        &mut self,
        alias: &OrganizationAlias,
    ) -> Result<Option<Entry>, RegistryError<AliasHolder>> {
        let Some(entry) = self.organizations.get(alias) else {
            return Ok(None);
        };
        match self
            .registry
            .release(entry.alias(), &self.holder_for(entry.spec()))
        {
            Ok(())
            | Err(RegistryError::NotReserved { .. })
            | Err(RegistryError::HeldByOther { .. }) => {}
            Err(err) => return Err(err),
        }
        let Some(entry) = self.organizations.remove(alias) else {
            return Ok(None);
        };
        for key in self.keys(entry.spec()) {
            match key {
                UniquenessKey::Domain { name, .. } => {
                    self.domains.remove(&name);
                }
                UniquenessKey::Directory {
                    region, directory, ..
                } => {
                    self.directories.remove(&(region, directory));
                }
                _ => {}
            }
        }
        if let Some(id) = entry.organization_id() {
            self.organization_ids.remove(id);
        }
        Ok(Some(entry))
    }
}
