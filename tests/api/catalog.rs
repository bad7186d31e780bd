//! The account catalog: rules across organizations, alone and together, and its invariants.

use std::collections::HashSet;
use std::sync::Arc;

use proptest::prelude::*;
use serde_json::json;
use workmail_org::{
    catalog::AdmitError, catalog::AliasHolder, catalog::InMemoryAliasRegistry,
    catalog::RegistryError, catalog::Reservation, AccountId, AliasRegistry, AwsErrorCode, Catalog,
    OrganizationAlias, OrganizationSpec, Rule, Violations,
};

use crate::fixtures::{found, pairs};

fn account(s: &str) -> AccountId {
    s.parse().unwrap()
}

fn alias(s: &str) -> OrganizationAlias {
    s.parse().unwrap()
}

/// A valid spec from JSON: `alias`, `region`, external domains and an optional Simple AD
/// directory (whose alias is the organization's, as `CreateOrganization` requires).
#[track_caller]
fn spec(alias: &str, region: &str, domains: &[&str], directory: Option<&str>) -> OrganizationSpec {
    let mut value = json!({
        "alias": alias,
        "region": region,
        "domains": domains
            .iter()
            .map(|d| json!({"type": "external", "name": d}))
            .collect::<Vec<_>>(),
    });
    if let Some(id) = directory {
        value["directory"] = json!({
            "type": "existing",
            "directory_id": id,
            "directory_type": "SimpleAD",
            "alias": alias,
            "region": region,
        });
    }
    serde_json::from_value(value).expect("a valid spec")
}

#[track_caller]
fn rejected(result: Result<(), AdmitError>) -> Violations {
    match result {
        Err(AdmitError::Rejected(violations)) => violations,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[track_caller]
fn assert_violation(violations: &Violations, path: &str, rule: Rule, code: AwsErrorCode) {
    assert!(
        violations
            .iter()
            .any(|v| v.path().to_string() == path && v.rule() == rule && v.code() == code),
        "no {rule} at {path:?} in {violations}"
    );
}

#[test]
fn alias_taken_in_another_case_alone() {
    let mut catalog = Catalog::new(account("111122223333"));
    catalog.admit(spec("Acme", "us-east-1", &[], None)).unwrap();
    let violations = rejected(catalog.admit(spec("acme", "us-west-2", &[], None)));
    assert_eq!(violations.len(), 1, "{violations}");
    assert_violation(
        &violations,
        "alias",
        Rule::AliasTaken,
        AwsErrorCode::NameAvailability,
    );
    assert_eq!(
        violations.as_slice()[0].message(),
        "organization alias \"acme\" is already used by organization \"Acme\" of this account in us-east-1"
    );
}

#[test]
fn alias_held_through_a_shared_registry_names_the_other_account() {
    let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
    let mut first = Catalog::with_registry(account("111122223333"), Arc::clone(&registry));
    let mut second = Catalog::with_registry(account("444455556666"), Arc::clone(&registry));
    first.admit(spec("globex", "eu-west-1", &[], None)).unwrap();
    let violations = rejected(second.admit(spec("GLOBEX", "us-east-1", &[], None)));
    assert_eq!(violations.len(), 1);
    assert_eq!(
        violations.as_slice()[0].message(),
        "organization alias \"GLOBEX\" is already held by an organization of account 111122223333 in eu-west-1"
    );
    assert!(second.is_empty());
}

#[test]
fn two_catalogs_of_one_account_cannot_both_take_an_alias() {
    // Without a client token, two requests of the same account and Region look alike: the
    // second is a conflict, never a silent second owner.
    let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
    let mut first = Catalog::with_registry(account("111122223333"), Arc::clone(&registry));
    let mut second = Catalog::with_registry(account("111122223333"), Arc::clone(&registry));
    first.admit(spec("acme", "us-east-1", &[], None)).unwrap();
    let violations = rejected(second.admit(spec("ACME", "us-east-1", &[], None)));
    assert_violation(
        &violations,
        "alias",
        Rule::AliasTaken,
        AwsErrorCode::NameAvailability,
    );
    assert!(second.is_empty());
    // The loser cannot release the winner's reservation.
    assert_eq!(second.remove(&alias("acme")).unwrap(), None);
    assert!(registry.holder(&alias("acme")).unwrap().is_some());
}

#[test]
fn the_same_request_retried_with_its_client_token_reclaims_its_reservation() {
    let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
    let with_token = |token: &str| -> OrganizationSpec {
        serde_json::from_value(json!({
            "alias": "acme", "region": "us-east-1", "client_token": token
        }))
        .unwrap()
    };
    // A first attempt reserved the alias, then stopped before recording the organization.
    let holder = AliasHolder::new(
        account("111122223333"),
        "us-east-1".parse().unwrap(),
        Some("create-acme-1".parse().unwrap()),
    );
    registry.reserve(&alias("acme"), holder).unwrap();
    let mut catalog = Catalog::with_registry(account("111122223333"), Arc::clone(&registry));
    // Another request (another token) is refused; the retry of the first one is admitted.
    let violations = rejected(catalog.admit(with_token("create-acme-2")));
    assert!(violations.contains(Rule::AliasTaken));
    catalog.admit(with_token("create-acme-1")).unwrap();
    assert_eq!(catalog.len(), 1);
}

#[test]
fn domain_in_use_alone_names_the_domain_path() {
    let mut catalog = Catalog::new(account("111122223333"));
    catalog
        .admit(spec("acme", "us-east-1", &["acme.com"], None))
        .unwrap();
    let violations = rejected(catalog.admit(spec(
        "globex",
        "us-east-1",
        &["globex.com", "ACME.com."],
        None,
    )));
    assert_eq!(violations.len(), 1, "{violations}");
    assert_violation(
        &violations,
        "domains[1].name",
        Rule::DomainsInUse,
        AwsErrorCode::MailDomainInUse,
    );
    assert_eq!(
        violations.as_slice()[0].message(),
        "domain \"acme.com\" already belongs to organization \"acme\""
    );
}

#[test]
fn organization_limit_alone() {
    let mut catalog = Catalog::new(account("111122223333")).with_limit(2);
    assert_eq!(catalog.limit(), 2);
    catalog.admit(spec("one", "us-east-1", &[], None)).unwrap();
    catalog.admit(spec("two", "us-west-2", &[], None)).unwrap();
    let violations = rejected(catalog.admit(spec("three", "eu-west-1", &[], None)));
    assert_eq!(violations.len(), 1);
    assert_violation(
        &violations,
        "",
        Rule::AccountOrganizationLimit,
        AwsErrorCode::LimitExceeded,
    );
    assert_eq!(
        violations.as_slice()[0].message(),
        "account 111122223333 already holds 2 organizations, its quota of 2"
    );
}

#[test]
fn the_default_limit_is_one_hundred() {
    let mut catalog = Catalog::new(account("111122223333"));
    for i in 0..100 {
        catalog
            .admit(spec(&format!("org{i}"), "us-east-1", &[], None))
            .unwrap();
    }
    let violations = rejected(catalog.admit(spec("org100", "us-east-1", &[], None)));
    assert!(violations.contains(Rule::AccountOrganizationLimit));
}

#[test]
fn directory_in_use_alone() {
    let mut catalog = Catalog::new(account("111122223333"));
    catalog
        .admit(spec("acme", "us-east-1", &[], Some("d-1234567890")))
        .unwrap();
    // The spec cannot know the directory already backs "acme": its report names "globex".
    let violations =
        rejected(catalog.admit(spec("globex", "us-east-1", &[], Some("d-1234567890"))));
    assert_eq!(violations.len(), 1, "{violations}");
    assert_violation(
        &violations,
        "directory.directory_id",
        Rule::DirectoryInUse,
        AwsErrorCode::DirectoryInUse,
    );
    assert_eq!(
        violations.as_slice()[0].message(),
        "directory \"d-1234567890\" already backs organization \"acme\" in us-east-1"
    );
}

#[test]
fn every_catalog_rule_in_one_admission() {
    let mut catalog = Catalog::new(account("111122223333")).with_limit(1);
    catalog
        .admit(spec(
            "acme",
            "us-east-1",
            &["acme.com", "acme.org"],
            Some("d-1234567890"),
        ))
        .unwrap();
    let violations = rejected(catalog.admit(spec(
        "Acme",
        "us-east-1",
        &["acme.org", "acme.net", "acme.com"],
        Some("d-1234567890"),
    )));
    assert_eq!(
        found(&violations),
        pairs(&[
            ("", Rule::AccountOrganizationLimit),
            ("alias", Rule::AliasTaken),
            ("domains[0].name", Rule::DomainsInUse),
            ("domains[2].name", Rule::DomainsInUse),
            ("directory.directory_id", Rule::DirectoryInUse),
        ])
    );
}

#[test]
fn a_rejected_admission_leaves_no_trace() {
    let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
    let mut catalog = Catalog::with_registry(account("111122223333"), Arc::clone(&registry));
    catalog
        .admit(spec("acme", "us-east-1", &["acme.com"], None))
        .unwrap();
    rejected(catalog.admit(spec(
        "globex",
        "us-east-1",
        &["globex.com", "acme.com"],
        None,
    )));
    assert_eq!(catalog.len(), 1);
    assert_eq!(registry.holder(&alias("globex")).unwrap(), None);
    assert!(catalog
        .domain_owner(&"globex.com".parse().unwrap())
        .is_none());
    // With the conflict gone, the same spec is admitted.
    catalog
        .admit(spec("globex", "us-east-1", &["globex.com"], None))
        .unwrap();
}

#[test]
fn removing_frees_alias_domains_and_directory() {
    let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
    let mut catalog = Catalog::with_registry(account("111122223333"), Arc::clone(&registry));
    let first = spec("acme", "us-east-1", &["acme.com"], Some("d-1234567890"));
    catalog.admit(first.clone()).unwrap();
    assert_eq!(
        registry.holder(&alias("ACME")).unwrap(),
        Some(AliasHolder::new(
            account("111122223333"),
            "us-east-1".parse().unwrap(),
            None
        ))
    );
    assert_eq!(catalog.remove(&alias("ACME")).unwrap(), Some(first.clone()));
    assert_eq!(catalog.remove(&alias("acme")).unwrap(), None);
    assert!(catalog.is_empty());
    assert_eq!(registry.holder(&alias("acme")).unwrap(), None);
    assert!(catalog.domain_owner(&"acme.com".parse().unwrap()).is_none());
    assert!(catalog
        .directory_owner(
            "us-east-1".parse().unwrap(),
            &"d-1234567890".parse().unwrap()
        )
        .is_none());
    catalog.admit(first).unwrap();
}

#[test]
fn the_same_directory_id_in_another_region_is_another_directory() {
    let mut catalog = Catalog::new(account("111122223333"));
    catalog
        .admit(spec("acme", "us-east-1", &[], Some("d-1234567890")))
        .unwrap();
    assert!(catalog
        .directory_owner(
            "us-west-2".parse().unwrap(),
            &"d-1234567890".parse().unwrap()
        )
        .is_none());
    assert!(catalog
        .directory_owner(
            "us-east-1".parse().unwrap(),
            &"d-1234567890".parse().unwrap()
        )
        .is_some());
}

#[test]
fn check_changes_nothing() {
    let catalog = Catalog::new(account("111122223333"));
    let candidate = spec("acme", "us-east-1", &["acme.com"], None);
    catalog.check(&candidate).unwrap();
    assert!(catalog.is_empty());
    assert_eq!(catalog.registry().holder(&alias("acme")).unwrap(), None);
}

#[derive(Clone, Debug)]
enum Op {
    Admit {
        alias: usize,
        region: usize,
        domains: Vec<usize>,
        directory: Option<usize>,
    },
    Remove {
        alias: usize,
    },
}

const ALIASES: [&str; 6] = ["acme", "ACME", "globex", "Initech", "initech", "umbrella"];
const REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-west-1"];
const DOMAINS: [&str; 5] = ["acme.com", "globex.com", "ACME.COM", "shared.org", "x.io"];
const DIRECTORIES: [&str; 3] = ["d-0000000001", "d-0000000002", "d-0000000003"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (
            0..ALIASES.len(),
            0..REGIONS.len(),
            proptest::sample::subsequence((0..DOMAINS.len()).collect::<Vec<_>>(), 0..3),
            proptest::option::of(0..DIRECTORIES.len()),
        )
            .prop_map(|(alias, region, domains, directory)| Op::Admit {
                alias,
                region,
                domains,
                directory,
            }),
        1 => (0..ALIASES.len()).prop_map(|alias| Op::Remove { alias }),
    ]
}

proptest! {
    #[test]
    fn no_two_organizations_ever_share_alias_domain_or_directory(
        ops in proptest::collection::vec(op(), 1..40),
        limit in 1usize..6,
    ) {
        let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
        let mut catalog =
            Catalog::with_registry(account("111122223333"), Arc::clone(&registry)).with_limit(limit);
        for op in ops {
            match op {
                Op::Admit { alias: a, region, domains, directory } => {
                    // Distinct domain spellings may normalise to the same name: a spec with a
                    // duplicate is invalid and never reaches the catalog.
                    let names: Vec<&str> = domains.iter().map(|&d| DOMAINS[d]).collect();
                    let unique: HashSet<String> = names.iter().map(|d| d.to_ascii_lowercase()).collect();
                    if unique.len() != names.len() {
                        continue;
                    }
                    let candidate = spec(
                        ALIASES[a],
                        REGIONS[region],
                        &names,
                        directory.map(|d| DIRECTORIES[d]),
                    );
                    let expected_conflict = catalog.len() >= limit
                        || catalog.get(candidate.alias()).is_some()
                        || candidate.user_domains().any(|(_, d)| catalog.domain_owner(d).is_some())
                        || candidate.directory().existing().is_some_and(|dir| {
                            catalog.directory_owner(candidate.region(), dir.id()).is_some()
                        });
                    let outcome = catalog.admit(candidate);
                    prop_assert_eq!(outcome.is_err(), expected_conflict, "{:?}", outcome);
                }
                Op::Remove { alias: a } => {
                    let before = catalog.len();
                    let removed = catalog.remove(&alias(ALIASES[a])).unwrap();
                    prop_assert_eq!(catalog.len(), before - usize::from(removed.is_some()));
                    prop_assert_eq!(registry.holder(&alias(ALIASES[a])).unwrap(), None);
                }
            }
            let mut aliases = HashSet::new();
            let mut domains = HashSet::new();
            let mut directories = HashSet::new();
            for org in catalog.iter() {
                prop_assert!(aliases.insert(org.alias().to_canonical()));
                prop_assert!(registry.holder(org.alias()).unwrap().is_some());
                for (_, d) in org.user_domains() {
                    prop_assert!(domains.insert(d.clone()));
                }
                if let Some(dir) = org.directory().existing() {
                    prop_assert!(directories.insert((org.region(), dir.id().clone())));
                }
            }
            prop_assert!(catalog.len() <= limit);
            prop_assert_eq!(registry.len(), catalog.len());
        }
    }
}

/// A registry whose storage always fails.
struct BrokenStorage;

impl AliasRegistry for BrokenStorage {
    type Holder = AliasHolder;

    fn reserve(
        &self,
        _: &OrganizationAlias,
        _: AliasHolder,
    ) -> Result<Reservation, RegistryError<AliasHolder>> {
        Err(RegistryError::Backend("disk full".into()))
    }

    fn release(
        &self,
        _: &OrganizationAlias,
        _: &AliasHolder,
    ) -> Result<(), RegistryError<AliasHolder>> {
        Err(RegistryError::Backend("disk full".into()))
    }

    fn holder(
        &self,
        _: &OrganizationAlias,
    ) -> Result<Option<AliasHolder>, RegistryError<AliasHolder>> {
        Err(RegistryError::Backend("disk full".into()))
    }
}

/// Every message of an error chain, outermost first.
fn chain(err: &dyn std::error::Error) -> Vec<String> {
    let mut messages = vec![err.to_string()];
    let mut source = err.source();
    while let Some(err) = source {
        messages.push(err.to_string());
        source = err.source();
    }
    messages
}

#[test]
fn admission_errors_print_each_message_once_and_debug_as_the_message() {
    let catalog = Catalog::with_registry(account("111122223333"), BrokenStorage);
    let err = catalog
        .check(&spec("acme", "us-east-1", &[], None))
        .expect_err("the storage fails");
    assert!(matches!(
        err,
        AdmitError::Registry(RegistryError::Backend(_))
    ));
    assert_eq!(chain(&err), ["alias registry storage failed", "disk full"]);
    assert_eq!(
        format!("{err:?}"),
        "AdmitError(\"alias registry storage failed\")"
    );

    let mut catalog = Catalog::new(account("111122223333")).with_limit(0);
    let err = catalog
        .admit(spec("acme", "us-east-1", &[], None))
        .expect_err("over the quota");
    let message = "1 rule violation\n- : account 111122223333 already holds 0 organizations, \
                   its quota of 0 [account.organization_limit, LimitExceeded]";
    assert_eq!(chain(&err), [message]);
    assert_eq!(format!("{err:?}"), format!("AdmitError({message:?})"));
    let violations = rejected(Err(err));
    assert_eq!(
        format!("{violations:?}"),
        format!("Violations({message:?})")
    );
}
