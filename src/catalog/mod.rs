//! One account's organizations, and the rules that need more than one organization.
//!
//! A [`Catalog`] admits [`OrganizationSpec`]s into an account and checks, all at once, what
//! spec validation alone cannot: the alias is not held by any organization anywhere (through
//! the shared [`AliasRegistry`]), no mail domain belongs to two organizations of the account,
//! no existing directory backs two organizations in the same account and Region, and the
//! account's organization quota (100 by default) is not exceeded.
//!
//! Scope: AWS keeps a mail domain to one organization across *all* accounts (WorkMail API: `MailDomainInUseException`);
//! a catalog sees one account, so a domain used by another account's organization is only
//! caught by AWS itself (`MailDomainInUse`). Aliases, which name the global
//! `ALIAS.awsapps.com`, go through the shared registry and are unique everywhere it is shared. Violations have the same shape as spec
//! validation's: a path, an AWS error code, a stable rule id and a message.
//!
//! ```
//! use workmail_org::{AccountId, catalog::AdmitError, Catalog, OrganizationDraft, Rule};
//!
//! let account: AccountId = "111122223333".parse()?;
//! let mut catalog = Catalog::new(account);
//! let spec = OrganizationDraft::new("acme", "us-east-1").validate()?;
//! catalog.admit(spec.clone())?;
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

mod registry;

pub use registry::{AliasRegistry, InMemoryAliasRegistry, RegistryError, Reservation};

use std::collections::HashMap;
use std::fmt;

use crate::report::Findings;
use crate::spec::FieldPath;
use crate::text::debug_as_display;
use crate::ClientToken;
use crate::{
    AccountId, DirectoryId, DomainName, OrganizationAlias, OrganizationSpec, Region, Rule,
    Violation, Violations,
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
#[derive(Debug)]
pub struct Catalog<R = InMemoryAliasRegistry<AliasHolder>>
where
    R: AliasRegistry<Holder = AliasHolder>,
{
    account: AccountId,
    limit: usize,
    registry: R,
    organizations: HashMap<OrganizationAlias, OrganizationSpec>,
    domains: HashMap<DomainName, OrganizationAlias>,
    directories: HashMap<(Region, DirectoryId), OrganizationAlias>,
}

impl Catalog {
    /// An empty catalog for `account`, with its own in-memory alias registry (aliases are
    /// then unique within this catalog only; pass a shared registry with
    /// [`with_registry`](Self::with_registry) to make them unique across catalogs).
    pub fn new(account: AccountId) -> Self {
        Catalog::with_registry(account, InMemoryAliasRegistry::new())
    }
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
        }
    }

    /// The same catalog with a quota of `limit` organizations (an account whose quota was
    /// raised, or a test).
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
    pub fn get(&self, alias: &OrganizationAlias) -> Option<&OrganizationSpec> {
        self.organizations.get(alias)
    }

    /// The organizations, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &OrganizationSpec> + '_ {
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

    /// Checks every catalog rule for `spec` without changing anything.
    ///
    /// # Errors
    /// [`AdmitError::Rejected`] with every violation: the quota
    /// (`account.organization_limit`, with an empty path: the organization as a whole), the
    /// alias (`alias.taken`, path `alias`), each mail domain (`domains.in_use`, path
    /// `domains[i].name`) and the directory (`directory.in_use`, path
    /// `directory.directory_id`). [`AdmitError::Registry`] when the registry's storage failed.
    pub fn check(&self, spec: &OrganizationSpec) -> Result<(), AdmitError> {
        let mut findings = Findings::default();
        self.check_limit(&mut findings);
        self.check_alias(spec, &mut findings)?;
        self.check_domains(spec, &mut findings);
        self.check_directory(spec, &mut findings);
        Ok(Violations::from_vec(findings.violations)?)
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

    fn check_alias(
        &self,
        spec: &OrganizationSpec,
        findings: &mut Findings,
    ) -> Result<(), RegistryError<AliasHolder>> {
        let alias = spec.alias();
        let message = if let Some((existing, other)) = self.organizations.get_key_value(alias) {
            Some(format!(
                "organization alias \"{alias}\" is already used by organization \"{existing}\" \
                 of this account in {}",
                other.region()
            ))
        } else {
            match self.registry.holder(alias)? {
                // An earlier attempt of the same request (same client token) that reserved
                // the alias and stopped is no conflict.
                Some(holder) if !self.is_own_reservation(spec, &holder) => Some(
                    RegistryError::Taken {
                        alias: alias.clone(),
                        holder,
                    }
                    .to_string(),
                ),
                _ => None,
            }
        };
        if let Some(message) = message {
            findings.violation(FieldPath::Alias, Rule::AliasTaken, message);
        }
        Ok(())
    }

    fn check_domains(&self, spec: &OrganizationSpec, findings: &mut Findings) {
        for (index, name) in spec.user_domains() {
            if let Some(owner) = self.domains.get(name) {
                findings.violation(
                    FieldPath::DomainName(index),
                    Rule::DomainsInUse,
                    format!("domain \"{name}\" already belongs to organization \"{owner}\""),
                );
            }
        }
    }

    fn check_directory(&self, spec: &OrganizationSpec, findings: &mut Findings) {
        let Some(directory) = spec.directory().existing() else {
            return;
        };
        if let Some(owner) = self.directory_owner(spec.region(), directory.id()) {
            findings.violation(
                FieldPath::DirectoryId,
                Rule::DirectoryInUse,
                format!(
                    "directory \"{}\" already backs organization \"{owner}\" in {}",
                    directory.id(),
                    spec.region()
                ),
            );
        }
    }

    /// Admits `spec`: checks every catalog rule, reserves the alias in the registry, and
    /// records the organization with its domains and directory.
    ///
    /// Nothing changes unless everything passes. The alias is reserved last, atomically: if
    /// another process took it since [`check`](Self::check), the result is the same
    /// `alias.taken` violation.
    ///
    /// # Errors
    /// [`AdmitError::Rejected`] with every violation; [`AdmitError::Registry`] when the
    /// registry's storage failed.
    pub fn admit(&mut self, spec: OrganizationSpec) -> Result<(), AdmitError> {
        self.check(&spec)?;
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
        let alias = spec.alias().clone();
        for (_, name) in spec.user_domains() {
            self.domains.insert(name.clone(), alias.clone());
        }
        if let Some(directory) = spec.directory().existing() {
            self.directories
                .insert((spec.region(), directory.id().clone()), alias.clone());
        }
        self.organizations.insert(alias, spec);
        Ok(())
    }

    /// Removes the organization with this alias, freeing its alias, domains and directory.
    ///
    /// Returns the removed spec, or `None` when the catalog has no such organization. The
    /// alias is released in the registry; an alias the registry no longer attributes to this
    /// organization (released or re-reserved by someone else meanwhile) is left as it is.
    ///
    /// # Errors
    /// [`RegistryError::Backend`] when the registry's storage failed; the organization then
    /// stays in the catalog, so the call can be retried.
    pub fn remove(
        &mut self,
        alias: &OrganizationAlias,
    ) -> Result<Option<OrganizationSpec>, RegistryError<AliasHolder>> {
        let Some(spec) = self.organizations.get(alias) else {
            return Ok(None);
        };
        match self.registry.release(spec.alias(), &self.holder_for(spec)) {
            Ok(())
            | Err(RegistryError::NotReserved { .. })
            | Err(RegistryError::HeldByOther { .. }) => {}
            Err(err) => return Err(err),
        }
        let Some(spec) = self.organizations.remove(alias) else {
            return Ok(None);
        };
        for (_, name) in spec.user_domains() {
            self.domains.remove(name);
        }
        if let Some(directory) = spec.directory().existing() {
            self.directories
                .remove(&(spec.region(), directory.id().clone()));
        }
        Ok(Some(spec))
    }
}
