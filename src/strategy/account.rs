//! Whole accounts: sets of specs that fit together in one account, and a catalog already
//! holding such a set.
//!
//! Independent specs collide: in 1,000 of [`organization_spec`], about 30 aliases repeat
//! (one alias in ten has a single character, and there are 36 of those ignoring case), and
//! short domain names repeat too. A set is made to fit by construction, not by filtering:
//! the specs are drawn independently, then walked in order, and each one that reuses what an
//! earlier one holds gets a fresh value in its place. This is deterministic, so shrinking
//! (dropping specs, simplifying one) always yields another fitting set.

use std::collections::HashSet;

use proptest::collection::{vec, SizeRange};
use proptest::prelude::Strategy;

use super::{account_id, organization_spec};
use crate::catalog::Catalog;
use crate::catalog::DEFAULT_ORGANIZATION_LIMIT;
use crate::id::{ClientToken, DirectoryId, DomainName, OrganizationAlias, Region};
use crate::spec::{DirectoryDraft, DomainDraft};
use crate::spec::{OrganizationDraft, OrganizationSpec};

/// Sets of valid [`OrganizationSpec`]s that fit together in one account: a
/// [`Catalog::new`] admits all of them, in order.
///
/// `size` is how many specs, as for proptest's `vec` (`1..40`, `0..=100`, `25`). Each spec is
/// an [`organization_spec`], with every shape, length and edge case it favours, made to fit
/// the ones before it:
///
/// - **Aliases are distinct, ignoring case.** A spec whose alias an earlier spec holds (in
///   any case) gets the alias followed by its index in the set (`a` becomes `a7`), cut to
///   fit 62 characters; its test domain, a default domain naming the test domain and an
///   existing directory's alias (in the same case as before) follow.
/// - **No mail domain is shared.** A user domain an earlier spec lists has its first label
///   replaced by `oINDEX-N` (`acme.com` becomes `o7-0.com`, `N` counting up until the name is
///   free); a default domain naming it follows.
/// - **No existing directory is shared** in a Region: a directory id an earlier spec in the
///   same Region uses is counted up (`d-00000000ff` becomes `d-0000000100`) until free.
/// - **No client token is shared** in a Region (the store would refuse the second spec with
///   `client_token.reused`): a token an earlier spec in the same Region has gets
///   `-INDEXxN` appended, cut to fit 128 characters.
///
/// The rewritten values are parsed with their validating constructors, and a rewritten spec
/// is validated again from its draft ([`OrganizationDraft::validate`]); a spec nothing
/// collides with is kept as it is. Nothing is ever rejected, so there are no local rejects
/// whatever the size, and shrinking works as for a `vec`: it drops specs and simplifies each.
///
/// # Panics
/// When `size` allows more than [`DEFAULT_ORGANIZATION_LIMIT`] (100) specs, the quota of a
/// [`Catalog::new`]: more would not fit in one account.
///
/// ```
/// use std::collections::HashSet;
///
/// use proptest::prelude::*;
/// use workmail_org::strategy;
///
/// proptest! {
///     #![proptest_config(ProptestConfig::with_cases(8))]
///
///     // In a test file, put `#[test]` on it.
///     fn aliases_are_distinct(specs in strategy::fitting_specs(1..40)) {
///         let aliases: HashSet<String> =
///             specs.iter().map(|s| s.alias().as_str().to_ascii_lowercase()).collect();
///         prop_assert_eq!(aliases.len(), specs.len());
///     }
/// }
///
/// aliases_are_distinct();
/// ```
pub fn fitting_specs(size: impl Into<SizeRange>) -> impl Strategy<Value = Vec<OrganizationSpec>> {
    let size = size.into();
    assert!(
        size.end_incl() as u64 <= DEFAULT_ORGANIZATION_LIMIT,
        "fitting_specs: at most {DEFAULT_ORGANIZATION_LIMIT} specs fit in one account, but the \
         size allows {}",
        size.end_incl()
    );
    vec(organization_spec(), size).prop_filter_map(
        "specs rewritten to hold distinct aliases, domains and directories, each validated, \
         fit together",
        |specs| {
            let mut account = Claimed::default();
            specs
                .into_iter()
                .enumerate()
                .map(|(index, spec)| account.fit(index, spec))
                .collect()
        },
    )
}

/// A [`Catalog`] already holding a set of [`fitting_specs`], with the specs, in the order
/// they were admitted.
///
/// The catalog is a [`Catalog::new`] for an [`account_id`](super::account_id), on its own
/// in-memory store with the default quota; every spec was admitted with
/// [`Catalog::admit`] at time 0, so the account's live count is `specs.len()` and
/// [`Catalog::by_alias`] gives back each spec's entry. Use it to test what happens next:
/// admitting one more spec (which [`near_miss`](super::near_miss) cannot break:
/// `alias.taken`, `client_token.reused`, `domains.in_use`, `directory.in_use` and
/// `account.organization_limit` need a catalog), moving one through its stages, or reading
/// them all.
///
/// # Panics
/// As [`fitting_specs`], when `size` allows more than [`DEFAULT_ORGANIZATION_LIMIT`] specs.
///
/// ```
/// use proptest::prelude::*;
/// use workmail_org::{strategy, OrganizationAlias};
///
/// proptest! {
///     #![proptest_config(ProptestConfig::with_cases(8))]
///
///     // In a test file, put `#[test]` on it.
///     fn aliases_are_found_in_any_case((catalog, specs) in strategy::catalog_with_specs(1..20)) {
///         prop_assert_eq!(catalog.blocking(|c| c.quota())?.live, specs.len() as u64);
///         for spec in &specs {
///             let upper: OrganizationAlias = spec.alias().as_str().to_uppercase().parse()?;
///             let entry = catalog.blocking(|c| c.by_alias(&upper))?;
///             prop_assert_eq!(entry.as_ref().map(|entry| entry.spec()), Some(spec));
///         }
///     }
/// }
///
/// aliases_are_found_in_any_case();
/// ```
pub fn catalog_with_specs(
    size: impl Into<SizeRange>,
) -> impl Strategy<Value = (Catalog, Vec<OrganizationSpec>)> {
    (account_id(), fitting_specs(size)).prop_filter_map(
        "fitting specs are all admitted into a new catalog",
        |(account, specs)| {
            let catalog = Catalog::new(account);
            for spec in &specs {
                catalog.blocking(|c| c.admit(spec, 0)).ok()?;
            }
            Some((catalog, specs))
        },
    )
}

/// How many fresh values are tried before a rewrite gives up (it never does: each try is new
/// and at most a hundred specs hold values).
const MAX_TRIES: usize = 10_000;

/// What the specs fitted so far hold: aliases (lower case), user domains (canonical) and
/// existing directories (with their Region).
#[derive(Default)]
struct Claimed {
    aliases: HashSet<String>,
    domains: HashSet<String>,
    directories: HashSet<(Region, String)>,
    /// Client tokens, per Region: the store refuses one token for two specs there.
    tokens: HashSet<(Region, String)>,
}

impl Claimed {
    /// `spec`, the `index`-th of its set, rewritten so that it holds nothing already taken,
    /// and recorded as taken; `None` only if a rewritten value does not validate (a bug).
    fn fit(&mut self, index: usize, spec: OrganizationSpec) -> Option<OrganizationSpec> {
        let spec = if self.collides(&spec) {
            self.rewrite(index, &spec)?
        } else {
            spec
        };
        self.aliases
            .insert(spec.alias().as_str().to_ascii_lowercase());
        self.domains.extend(
            spec.user_domains()
                .map(|(_, name)| name.as_str().to_owned()),
        );
        if let Some(directory) = spec.directory().existing() {
            self.directories
                .insert((spec.region(), directory.id().as_str().to_owned()));
        }
        if let Some(token) = spec.client_token() {
            self.tokens
                .insert((spec.region(), token.as_str().to_owned()));
        }
        Some(spec)
    }

    fn collides(&self, spec: &OrganizationSpec) -> bool {
        self.aliases
            .contains(&spec.alias().as_str().to_ascii_lowercase())
            || spec
                .user_domains()
                .any(|(_, name)| self.domains.contains(name.as_str()))
            || spec.directory().existing().is_some_and(|directory| {
                self.directories
                    .contains(&(spec.region(), directory.id().as_str().to_owned()))
            })
            || spec.client_token().is_some_and(|token| {
                self.tokens
                    .contains(&(spec.region(), token.as_str().to_owned()))
            })
    }

    /// The spec's draft with every taken value replaced by a free one, validated.
    fn rewrite(&self, index: usize, spec: &OrganizationSpec) -> Option<OrganizationSpec> {
        let mut draft = spec.to_draft();
        self.rewrite_alias(index, spec, &mut draft)?;
        self.rewrite_domains(index, &mut draft)?;
        self.rewrite_directory(spec.region(), &mut draft)?;
        self.rewrite_token(index, spec.region(), &mut draft)?;
        draft.validate().ok()
    }

    fn rewrite_alias(
        &self,
        index: usize,
        spec: &OrganizationSpec,
        draft: &mut OrganizationDraft,
    ) -> Option<()> {
        let old = spec.alias().as_str();
        if !self.aliases.contains(&old.to_ascii_lowercase()) {
            return Some(());
        }
        let new = (0..MAX_TRIES).find_map(|attempt| {
            let suffix = match attempt {
                0 => index.to_string(),
                _ => format!("{index}x{attempt}"),
            };
            let keep = crate::id::MAX_ALIAS_LEN.saturating_sub(suffix.len());
            let head = old[..keep.min(old.len())].trim_end_matches('-');
            let alias = OrganizationAlias::parse(&format!("{head}{suffix}")).ok()?;
            (!self.aliases.contains(&alias.as_str().to_ascii_lowercase())).then_some(alias)
        })?;
        if draft.default_domain.as_deref() == Some(spec.test_domain().as_str()) {
            draft.default_domain = Some(new.test_domain().as_str().to_owned());
        }
        if let DirectoryDraft::Existing(report) = &mut draft.directory {
            report.alias = if report.alias == old {
                new.as_str().to_owned()
            } else if report.alias == old.to_ascii_lowercase() {
                new.as_str().to_ascii_lowercase()
            } else {
                new.as_str().to_ascii_uppercase()
            };
        }
        draft.alias = new.as_str().to_owned();
        Some(())
    }

    fn rewrite_domains(&self, index: usize, draft: &mut OrganizationDraft) -> Option<()> {
        let mut here: HashSet<String> = draft
            .domains
            .iter()
            .filter_map(DomainDraft::name)
            .cloned()
            .collect();
        for entry in &mut draft.domains {
            let Some(name) = entry.name_mut() else {
                continue;
            };
            if !self.domains.contains(name.as_str()) {
                continue;
            }
            let rest = name.split_once('.').map_or("", |(_, rest)| rest);
            let new = (0..MAX_TRIES).find_map(|attempt| {
                let new = DomainName::parse(&format!("o{index}-{attempt}.{rest}")).ok()?;
                let free = !self.domains.contains(new.as_str()) && !here.contains(new.as_str());
                free.then(|| new.as_str().to_owned())
            })?;
            if draft.default_domain.as_deref() == Some(name.as_str()) {
                draft.default_domain = Some(new.clone());
            }
            here.insert(new.clone());
            *name = new;
        }
        Some(())
    }

    fn rewrite_token(
        &self,
        index: usize,
        region: Region,
        draft: &mut OrganizationDraft,
    ) -> Option<()> {
        let Some(old) = draft.client_token.as_deref() else {
            return Some(());
        };
        if !self.tokens.contains(&(region, old.to_owned())) {
            return Some(());
        }
        let new = (0..MAX_TRIES).find_map(|attempt| {
            let suffix = format!("-{index}x{attempt}");
            let keep = crate::id::MAX_CLIENT_TOKEN_LEN.saturating_sub(suffix.len());
            // A valid token is printable ASCII, so any byte offset is a character boundary.
            let token =
                ClientToken::parse(&format!("{}{suffix}", &old[..keep.min(old.len())])).ok()?;
            let free = !self.tokens.contains(&(region, token.as_str().to_owned()));
            free.then(|| token.as_str().to_owned())
        })?;
        draft.client_token = Some(new);
        Some(())
    }

    fn rewrite_directory(&self, region: Region, draft: &mut OrganizationDraft) -> Option<()> {
        let DirectoryDraft::Existing(report) = &mut draft.directory else {
            return Some(());
        };
        let mut id = report.directory_id.clone();
        let mut tries = 0;
        while self.directories.contains(&(region, id.clone())) {
            let hex = id.strip_prefix("d-")?;
            let next = (u64::from_str_radix(hex, 16).ok()? + 1) % (1 << 40);
            id = DirectoryId::parse(&format!("d-{next:010x}")).ok()?.into();
            tries += 1;
            if tries > MAX_TRIES {
                return None;
            }
        }
        report.directory_id = id;
        Some(())
    }
}
