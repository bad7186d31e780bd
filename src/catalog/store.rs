//! A catalog written out and read back: serde, and rebuilding from stored entries.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::report::Findings;
use crate::spec::FieldPath;
use crate::text::debug_as_display;
use crate::{AccountId, OrganizationAlias, Rule, Violation, Violations};

use super::{AliasHolder, AliasRegistry, Catalog, Entry, RecordError, RegistryError, Reservation};

/// Why stored entries could not be rebuilt into a catalog ([`Catalog::from_entries`], or
/// reading a catalog with serde). Nothing is left reserved in the registry by a failed
/// rebuild, as far as the registry lets go (a failing storage may keep what it took).
///
/// An entry is named by its position among the stored entries, from 0, as `entries[i]`.
/// The violations and the refused snapshot are the error's `source`, so an error chain
/// prints each message once; `Debug` shows the message.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum RestoreError {
    /// An entry breaks a catalog rule against an entry before it (the same alias, a domain
    /// or directory in use), or the registry holds its alias for another holder. Conflicting
    /// entries are never merged.
    #[error("entries[{index}] (organization \"{alias}\") conflicts with an earlier entry or the alias registry")]
    Conflict {
        /// The entry's position.
        index: usize,
        /// Its alias.
        alias: OrganizationAlias,
        /// Every rule it breaks.
        #[source]
        violations: Violations,
    },
    /// An entry's AWS snapshot names another account than the catalog's, or an
    /// organization id an earlier entry has.
    #[error(
        "entries[{index}] (organization \"{alias}\") has an AWS snapshot this catalog refuses"
    )]
    Record {
        /// The entry's position.
        index: usize,
        /// Its alias.
        alias: OrganizationAlias,
        /// Why the snapshot was refused.
        #[source]
        error: RecordError,
    },
    /// The alias registry failed.
    #[error(transparent)]
    Registry(#[from] RegistryError<AliasHolder>),
}

debug_as_display!(RestoreError);

impl<R> Catalog<R>
where
    R: AliasRegistry<Holder = AliasHolder>,
{
    /// Rebuilds a catalog of `account` from stored entries, reserving their aliases in
    /// `registry`, with the default quota (set another with
    /// [`with_limit`](Self::with_limit)).
    ///
    /// Every rule between organizations is checked again, entry by entry in the order
    /// given: a stored set that breaks one is refused, never silently merged. The quota is
    /// not checked: organizations AWS holds are restored even over a lowered quota. An alias
    /// the registry already holds for the entry's own holder (a registry that outlived the
    /// catalog, such as a database) is the entry's; held by another holder, it is a conflict.
    /// On error, the aliases this call reserved are released again.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use workmail_org::catalog::{AliasHolder, Entry, InMemoryAliasRegistry, RestoreError};
    /// use workmail_org::{Catalog, OrganizationDraft, Rule};
    ///
    /// let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
    /// let stored = vec![
    ///     Entry::new(OrganizationDraft::new("acme", "us-east-1").validate()?),
    ///     Entry::new(OrganizationDraft::new("globex", "eu-west-1").validate()?),
    /// ];
    /// let account = "111122223333".parse()?;
    /// let catalog = Catalog::from_entries(account, Arc::clone(&registry), stored)?;
    /// assert_eq!(catalog.len(), 2);
    /// assert_eq!(registry.len(), 2);
    ///
    /// // Two entries with one alias are refused, and nothing stays reserved.
    /// let conflicting = vec![
    ///     Entry::new(OrganizationDraft::new("initech", "us-east-1").validate()?),
    ///     Entry::new(OrganizationDraft::new("INITECH", "us-west-2").validate()?),
    /// ];
    /// let fresh = InMemoryAliasRegistry::<AliasHolder>::new();
    /// let Err(err) = Catalog::from_entries("111122223333".parse()?, &fresh, conflicting) else {
    ///     panic!("one alias, two organizations");
    /// };
    /// assert!(matches!(&err, RestoreError::Conflict { index: 1, violations, .. }
    ///     if violations.contains(Rule::AliasTaken)));
    /// assert!(fresh.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`RestoreError::Conflict`] for the first entry that breaks a rule against the entries
    /// before it or whose alias the registry holds for someone else;
    /// [`RestoreError::Record`] for an entry whose AWS snapshot names another account or an
    /// earlier entry's organization id; [`RestoreError::Registry`] when the registry's
    /// storage failed.
    pub fn from_entries(
        account: AccountId,
        registry: R,
        entries: impl IntoIterator<Item = Entry>,
    ) -> Result<Self, RestoreError> {
        let mut catalog = Catalog::with_registry(account, registry);
        let mut reserved = Vec::new();
        for (index, entry) in entries.into_iter().enumerate() {
            if let Err(err) = catalog.restore(index, entry, &mut reserved) {
                for (alias, holder) in &reserved {
                    // Best effort: the error already says what went wrong.
                    let _ = catalog.registry.release(alias, holder);
                }
                return Err(err);
            }
        }
        Ok(catalog)
    }

    /// Adds one stored entry, checking it against the entries before it and reserving its
    /// alias; `reserved` collects the aliases newly reserved.
    fn restore(
        &mut self,
        index: usize,
        entry: Entry,
        reserved: &mut Vec<(OrganizationAlias, AliasHolder)>,
    ) -> Result<(), RestoreError> {
        let spec = entry.spec();
        let alias = spec.alias().clone();
        let conflict = |violations| RestoreError::Conflict {
            index,
            alias: alias.clone(),
            violations,
        };
        let mut findings = Findings::default();
        self.check_alias_here(spec, &mut findings);
        self.check_domains_and_directory(spec, &mut findings);
        Violations::from_vec(findings.violations).map_err(conflict)?;
        if let Some(organization) = entry.organization() {
            self.check_record(&entry, organization)
                .map_err(|error| RestoreError::Record {
                    index,
                    alias: alias.clone(),
                    error,
                })?;
        }
        let holder = self.holder_for(spec);
        match self.registry.reserve(&alias, holder.clone()) {
            Ok(Reservation::New) => reserved.push((alias.clone(), holder)),
            Ok(Reservation::AlreadyHeld) => {}
            Err(taken @ RegistryError::Taken { .. }) => {
                let violation =
                    Violation::new(FieldPath::Alias, Rule::AliasTaken, taken.to_string());
                return Err(conflict(violation.into()));
            }
            Err(other) => return Err(RestoreError::Registry(other)),
        }
        self.insert(entry);
        Ok(())
    }
}

/// A catalog as serde writes it.
#[derive(Serialize)]
struct StoredRef<'a> {
    account: &'a AccountId,
    limit: usize,
    entries: Vec<&'a Entry>,
}

/// A catalog as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    account: AccountId,
    limit: usize,
    entries: Vec<Entry>,
}

impl<R> Serialize for Catalog<R>
where
    R: AliasRegistry<Holder = AliasHolder>,
{
    /// `{"account", "limit", "entries"}`, the entries sorted by alias (ignoring case), so
    /// equal catalogs write equal text.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<&Entry> = self.organizations.values().collect();
        entries.sort_by(|a, b| a.alias().cmp(b.alias()));
        StoredRef {
            account: &self.account,
            limit: self.limit,
            entries,
        }
        .serialize(serializer)
    }
}

impl<'de, R> Deserialize<'de> for Catalog<R>
where
    R: AliasRegistry<Holder = AliasHolder> + Default,
{
    /// Reads what `Serialize` writes and rebuilds the catalog with
    /// [`Catalog::from_entries`] into `R::default()`; a [`RestoreError`] becomes the
    /// format's error, with every message of its chain.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(deserializer)?;
        Catalog::from_entries(stored.account, R::default(), stored.entries)
            .map(|catalog| catalog.with_limit(stored.limit))
            .map_err(|err| serde::de::Error::custom(Chain(&err)))
    }
}

/// An error and its sources, joined by `: `.
struct Chain<'a>(&'a dyn std::error::Error);

impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(err) = source {
            write!(f, ": {err}")?;
            source = err.source();
        }
        Ok(())
    }
}
