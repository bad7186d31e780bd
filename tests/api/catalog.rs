//! The account catalog: rules across organizations, alone and together, idempotent retries,
//! what AWS reports, uniqueness keys, a failing registry, and its invariants against a model.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use proptest::prelude::*;
use serde_json::json;
use workmail_org::{
    aws::Organization,
    catalog::{
        Admission, AdmitError, AliasHolder, Entry, InMemoryAliasRegistry, RecordError,
        RegistryError, Reservation, UniquenessKey, UniquenessKeys,
    },
    AccountId, AliasRegistry, AwsErrorCode, Catalog, OrganizationAlias, OrganizationSpec, Rule,
    Violations,
};

use crate::fixtures::{found, pairs};

pub(crate) fn account(s: &str) -> AccountId {
    s.parse().unwrap()
}

pub(crate) fn alias(s: &str) -> OrganizationAlias {
    s.parse().unwrap()
}

/// A valid spec from JSON: `alias`, `region`, external domains and an optional Simple AD
/// directory (whose alias is the organization's, as `CreateOrganization` requires).
#[track_caller]
pub(crate) fn spec(
    alias: &str,
    region: &str,
    domains: &[&str],
    directory: Option<&str>,
) -> OrganizationSpec {
    spec_with_token(alias, region, domains, directory, None)
}

/// [`spec`] with a client token.
#[track_caller]
pub(crate) fn spec_with_token(
    alias: &str,
    region: &str,
    domains: &[&str],
    directory: Option<&str>,
    token: Option<&str>,
) -> OrganizationSpec {
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
    if let Some(token) = token {
        value["client_token"] = json!(token);
    }
    serde_json::from_value(value).expect("a valid spec")
}

/// What `DescribeOrganization` reports about an organization: `id` is the last 32 hex digits
/// of the id, as a number; the ARN names `account` and `region`.
#[track_caller]
pub(crate) fn snapshot(
    id: u128,
    alias: &str,
    state: &str,
    arn: Option<(&str, &str)>,
) -> Organization {
    let organization_id = format!("m-{id:032x}");
    let mut value = json!({"OrganizationId": organization_id, "Alias": alias, "State": state});
    if let Some((region, account)) = arn {
        value["ARN"] = json!(format!(
            "arn:aws:workmail:{region}:{account}:organization/{organization_id}"
        ));
    }
    serde_json::from_value(value).expect("a valid snapshot")
}

/// `organization` with one field of its JSON set to `value`.
#[track_caller]
pub(crate) fn with_field(
    organization: &Organization,
    field: &str,
    value: serde_json::Value,
) -> Organization {
    let mut json = serde_json::to_value(organization).expect("a snapshot serializes");
    json[field] = value;
    serde_json::from_value(json).expect("a valid snapshot")
}

#[track_caller]
pub(crate) fn rejected(result: Result<Admission, AdmitError>) -> Violations {
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
    assert_eq!(
        catalog.admit(with_token("create-acme-1")).unwrap(),
        Admission::New
    );
    assert_eq!(catalog.len(), 1);
    // And retried once more, it is the organization the catalog holds.
    assert_eq!(
        catalog.admit(with_token("create-acme-1")).unwrap(),
        Admission::AlreadyAdmitted
    );
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
    assert_eq!(
        catalog.remove(&alias("ACME")).unwrap(),
        Some(Entry::new(first.clone()))
    );
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
    assert_eq!(catalog.check(&candidate).unwrap(), Admission::New);
    assert!(catalog.is_empty());
    assert_eq!(catalog.registry().holder(&alias("acme")).unwrap(), None);
}

// ---------------------------------------------------------------------------------------
// Retries

#[test]
fn the_identical_spec_with_its_client_token_is_already_admitted() {
    let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
    let mut catalog =
        Catalog::with_registry(account("111122223333"), Arc::clone(&registry)).with_limit(1);
    let full = || {
        spec_with_token(
            "acme",
            "us-east-1",
            &["acme.com", "acme.org"],
            Some("d-1234567890"),
            Some("create-acme-1"),
        )
    };
    assert_eq!(catalog.admit(full()).unwrap(), Admission::New);
    // Retried, even at the quota: the same organization, nothing changes.
    assert_eq!(catalog.check(&full()).unwrap(), Admission::AlreadyAdmitted);
    assert_eq!(catalog.admit(full()).unwrap(), Admission::AlreadyAdmitted);
    assert_eq!(catalog.len(), 1);
    assert_eq!(registry.len(), 1);
    assert_eq!(catalog.get(&alias("acme")).map(Entry::spec), Some(&full()));
}

#[test]
fn a_retry_is_compared_in_canonical_form() {
    // Domains are compared as names: `ACME.COM` is `acme.com`, and so is the request AWS
    // gets. The alias is sent as spelled, so its spelling must be the same.
    let mut catalog = Catalog::new(account("111122223333"));
    let token = Some("create-acme-1");
    catalog
        .admit(spec_with_token(
            "acme",
            "us-east-1",
            &["ACME.COM."],
            None,
            token,
        ))
        .unwrap();
    assert_eq!(
        catalog
            .admit(spec_with_token(
                "acme",
                "us-east-1",
                &["acme.com"],
                None,
                token
            ))
            .unwrap(),
        Admission::AlreadyAdmitted
    );
}

#[test]
fn without_a_token_or_with_another_spec_the_clash_stands() {
    // No token: a second organization, refused on every key, all against the first.
    let mut catalog = Catalog::new(account("111122223333"));
    let tokenless = spec(
        "acme",
        "us-east-1",
        &["acme.com", "acme.org"],
        Some("d-1234567890"),
    );
    catalog.admit(tokenless.clone()).unwrap();
    let violations = rejected(catalog.admit(tokenless));
    assert_eq!(
        found(&violations),
        pairs(&[
            ("alias", Rule::AliasTaken),
            ("domains[0].name", Rule::DomainsInUse),
            ("domains[1].name", Rule::DomainsInUse),
            ("directory.directory_id", Rule::DirectoryInUse),
        ])
    );

    // The same token on a spec that differs: in a domain, or in the alias's spelling.
    let mut catalog = Catalog::new(account("111122223333"));
    let token = Some("create-acme-1");
    catalog
        .admit(spec_with_token(
            "acme",
            "us-east-1",
            &["acme.com"],
            None,
            token,
        ))
        .unwrap();
    let other_domain = spec_with_token("acme", "us-east-1", &["acme.net"], None, token);
    assert_eq!(
        found(&rejected(catalog.admit(other_domain))),
        pairs(&[("alias", Rule::AliasTaken)])
    );
    let other_spelling = spec_with_token("ACME", "us-east-1", &["acme.com"], None, token);
    assert_eq!(
        found(&rejected(catalog.admit(other_spelling))),
        pairs(&[
            ("alias", Rule::AliasTaken),
            ("domains[0].name", Rule::DomainsInUse)
        ])
    );
    let other_token = spec_with_token(
        "acme",
        "us-east-1",
        &["acme.com"],
        None,
        Some("create-acme-2"),
    );
    assert!(rejected(catalog.admit(other_token)).contains(Rule::AliasTaken));
    assert_eq!(catalog.len(), 1);
}

// ---------------------------------------------------------------------------------------
// What AWS reports

#[test]
fn recording_attaches_the_snapshot_and_finds_it_by_id() {
    let mut catalog = Catalog::new(account("111122223333"));
    catalog
        .admit(spec(
            "Acme",
            "us-east-1",
            &["acme.com"],
            Some("d-1234567890"),
        ))
        .unwrap();
    // AWS reports the directory it was given.
    let creating = with_field(
        &snapshot(1, "acme", "Creating", Some(("us-east-1", "111122223333"))),
        "DirectoryId",
        json!("d-1234567890"),
    );
    let entry = catalog.record(creating.clone()).unwrap();
    assert_eq!(entry.organization(), Some(&creating));
    let id = creating.organization_id().clone();
    assert_eq!(
        catalog.by_organization_id(&id).map(|e| e.alias().as_str()),
        Some("Acme")
    );

    // A later snapshot replaces it: the state moves on, held once.
    let active = with_field(&creating, "State", json!("Active"));
    catalog.record(active.clone()).unwrap();
    let entry = catalog.by_organization_id(&id).unwrap();
    assert_eq!(
        entry.organization().map(|o| o.state().as_str()),
        Some("Active")
    );
    // A state this version does not know is kept, not refused.
    catalog
        .record(with_field(&active, "State", json!("Hibernating")))
        .unwrap();
    let state = catalog
        .by_organization_id(&id)
        .unwrap()
        .organization()
        .unwrap()
        .state();
    assert_eq!((state.as_str(), state.known()), ("Hibernating", None));

    // Removing frees the id.
    catalog.remove(&alias("acme")).unwrap();
    assert!(catalog.by_organization_id(&id).is_none());
}

#[test]
fn recording_refuses_what_contradicts_the_spec_or_the_catalog() {
    let mut catalog = Catalog::new(account("111122223333"));
    catalog.admit(spec("acme", "us-east-1", &[], None)).unwrap();
    catalog
        .admit(spec("globex", "us-east-1", &[], None))
        .unwrap();
    let cases = [
        (
            snapshot(1, "initech", "Active", None),
            "no organization \"initech\" in the catalog",
        ),
        (
            snapshot(1, "acme", "Active", Some(("eu-west-1", "111122223333"))),
            "organization \"acme\" was specified in us-east-1 but its ARN names eu-west-1",
        ),
        (
            snapshot(1, "acme", "Active", Some(("us-east-1", "444455556666"))),
            "organization \"acme\" belongs to account 111122223333 but its ARN names account \
             444455556666",
        ),
        (
            with_field(
                &snapshot(1, "acme", "Active", None),
                "InteroperabilityEnabled",
                json!(true),
            ),
            "AWS reports organization \"acme\" unlike its spec: interoperability: the spec has \
             false but AWS reports true",
        ),
    ];
    for (organization, message) in cases {
        let err = catalog.record(organization).unwrap_err();
        assert_eq!(err.to_string(), message);
        assert_eq!(format!("{err:?}"), format!("RecordError({message:?})"));
    }
    assert!(catalog.iter().all(|entry| entry.organization().is_none()));

    catalog
        .record(snapshot(1, "acme", "Creating", None))
        .unwrap();
    let err = catalog
        .record(snapshot(2, "acme", "Active", None))
        .unwrap_err();
    assert!(matches!(err, RecordError::IdChanged { .. }));
    assert_eq!(
        err.to_string(),
        "organization \"acme\" was recorded as m-00000000000000000000000000000001 but AWS now \
         reports m-00000000000000000000000000000002"
    );
    let err = catalog
        .record(snapshot(1, "globex", "Active", None))
        .unwrap_err();
    assert!(matches!(err, RecordError::IdInUse { .. }));
    assert_eq!(
        err.to_string(),
        "organization id m-00000000000000000000000000000001 is already recorded for \
         organization \"acme\", not \"globex\""
    );
    // Nothing changed.
    let acme = catalog.get(&alias("acme")).unwrap();
    assert_eq!(
        acme.organization().map(|o| o.state().as_str()),
        Some("Creating")
    );
    assert!(catalog
        .get(&alias("globex"))
        .unwrap()
        .organization()
        .is_none());
}

// ---------------------------------------------------------------------------------------
// Uniqueness keys

#[test]
fn the_keys_are_the_ones_the_catalog_checks() {
    let account = account("111122223333");
    let first = spec(
        "acme",
        "us-east-1",
        &["acme.com", "acme.org"],
        Some("d-1234567890"),
    );
    let keys = UniquenessKeys::new(&account, &first);
    assert_eq!(keys.alias(), "acme");
    assert_eq!(keys.len(), 4);
    assert!(!keys.is_empty());
    let shown: Vec<String> = keys.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "alias/acme",
            "domain/acme.com",
            "domain/acme.org",
            "directory/111122223333/us-east-1/d-1234567890",
        ]
    );
    let places: Vec<(String, Rule)> = keys
        .iter()
        .map(|key| (key.path().to_string(), key.rule()))
        .collect();
    assert_eq!(
        places,
        pairs(&[
            ("alias", Rule::AliasTaken),
            ("domains[0].name", Rule::DomainsInUse),
            ("domains[1].name", Rule::DomainsInUse),
            ("directory.directory_id", Rule::DirectoryInUse),
        ])
    );

    // What a database refusing a key reports is what the catalog reports.
    let mut catalog = Catalog::new(account.clone());
    catalog.admit(first).unwrap();
    let second = spec("globex", "us-east-1", &["ACME.org"], Some("d-1234567890"));
    let violations = rejected(catalog.admit(second.clone()));
    let second_keys = catalog.keys(&second);
    let expected: Vec<_> = second_keys
        .iter()
        .filter(|key| !matches!(key, UniquenessKey::Alias(_)))
        .map(|key| key.conflict("organization \"acme\""))
        .collect();
    assert_eq!(violations.as_slice(), expected);

    // A case-folded alias; no key for the free test domain or a new WorkMail directory.
    let plain: OrganizationSpec = serde_json::from_value(json!({
        "alias": "Globex-Corp", "region": "eu-west-1", "domains": [{"type": "free_test"}],
    }))
    .unwrap();
    let keys: Vec<UniquenessKey> = UniquenessKeys::new(&account, &plain).into_iter().collect();
    assert_eq!(keys, [UniquenessKey::Alias("globex-corp".into())]);
    assert_eq!(
        keys[0].conflict("team-b").to_string(),
        "alias: organization alias \"globex-corp\" is already held by team-b \
         [alias.taken, NameAvailability]"
    );
}

// ---------------------------------------------------------------------------------------
// Against a model

#[derive(Clone, Debug)]
enum Op {
    Admit {
        alias: usize,
        region: usize,
        domains: Vec<usize>,
        directory: Option<usize>,
        token: Option<usize>,
    },
    /// Admits again the spec of the `pick`-th organization the model holds.
    Retry {
        pick: usize,
    },
    Remove {
        alias: usize,
    },
}

const ALIASES: [&str; 6] = ["acme", "ACME", "globex", "Initech", "initech", "umbrella"];
const REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-west-1"];
const DOMAINS: [&str; 5] = ["acme.com", "globex.com", "ACME.COM", "shared.org", "x.io"];
const DIRECTORIES: [&str; 3] = ["d-0000000001", "d-0000000002", "d-0000000003"];
const TOKENS: [&str; 2] = ["token-1", "token-2"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (
            0..ALIASES.len(),
            0..REGIONS.len(),
            proptest::sample::subsequence((0..DOMAINS.len()).collect::<Vec<_>>(), 0..3),
            proptest::option::of(0..DIRECTORIES.len()),
            proptest::option::of(0..TOKENS.len()),
        )
            .prop_map(|(alias, region, domains, directory, token)| Op::Admit {
                alias,
                region,
                domains,
                directory,
                token,
            }),
        1 => any::<usize>().prop_map(|pick| Op::Retry { pick }),
        2 => (0..ALIASES.len()).prop_map(|alias| Op::Remove { alias }),
    ]
}

/// One organization as the model sees it: plain strings, compared the way AWS compares them
/// (aliases and domains ignoring ASCII case), written here without the crate's types.
#[derive(Clone, Debug)]
struct ModelOrg {
    alias: &'static str,
    region: &'static str,
    domains: Vec<&'static str>,
    directory: Option<&'static str>,
    token: Option<&'static str>,
}

impl ModelOrg {
    fn spec(&self) -> OrganizationSpec {
        spec_with_token(
            self.alias,
            self.region,
            &self.domains,
            self.directory,
            self.token,
        )
    }

    /// The same request: the alias spelled the same, the same token, and the same choices
    /// (domains compared ignoring case, in order).
    fn same_request(&self, other: &ModelOrg) -> bool {
        self.token.is_some()
            && self.alias == other.alias
            && self.region == other.region
            && self.domains.len() == other.domains.len()
            && self
                .domains
                .iter()
                .zip(&other.domains)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
            && self.directory == other.directory
            && self.token == other.token
    }
}

/// The catalog's answers, from a list of organizations.
#[derive(Debug, Default)]
struct Model {
    orgs: Vec<ModelOrg>,
}

impl Model {
    fn position(&self, alias: &str) -> Option<usize> {
        self.orgs
            .iter()
            .position(|org| org.alias.eq_ignore_ascii_case(alias))
    }

    fn domain_owner(&self, domain: &str) -> Option<&'static str> {
        self.orgs
            .iter()
            .find(|org| org.domains.iter().any(|d| d.eq_ignore_ascii_case(domain)))
            .map(|org| org.alias)
    }

    fn directory_owner(&self, region: &str, directory: &str) -> Option<&'static str> {
        self.orgs
            .iter()
            .find(|org| org.region == region && org.directory == Some(directory))
            .map(|org| org.alias)
    }

    /// What admitting `candidate` must do: `Some(admission)` or `None` for a rejection.
    fn admit(&mut self, candidate: ModelOrg, limit: usize) -> Option<Admission> {
        if let Some(existing) = self.position(candidate.alias) {
            return self.orgs[existing]
                .same_request(&candidate)
                .then_some(Admission::AlreadyAdmitted);
        }
        let clash = self.orgs.len() >= limit
            || candidate
                .domains
                .iter()
                .any(|d| self.domain_owner(d).is_some())
            || candidate
                .directory
                .is_some_and(|dir| self.directory_owner(candidate.region, dir).is_some());
        if clash {
            return None;
        }
        self.orgs.push(candidate);
        Some(Admission::New)
    }

    fn remove(&mut self, alias: &str) -> Option<ModelOrg> {
        self.position(alias).map(|index| self.orgs.remove(index))
    }
}

proptest! {
    #[test]
    fn the_catalog_answers_as_a_model_of_it(
        ops in proptest::collection::vec(op(), 1..40),
        limit in 1usize..6,
    ) {
        let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
        let mut catalog =
            Catalog::with_registry(account("111122223333"), Arc::clone(&registry)).with_limit(limit);
        let mut model = Model::default();
        for op in ops {
            let candidate = match op {
                Op::Admit { alias, region, domains, directory, token } => Some(ModelOrg {
                    alias: ALIASES[alias],
                    region: REGIONS[region],
                    domains: domains.iter().map(|&d| DOMAINS[d]).collect(),
                    directory: directory.map(|d| DIRECTORIES[d]),
                    token: token.map(|t| TOKENS[t]),
                }),
                Op::Retry { pick } if !model.orgs.is_empty() => {
                    Some(model.orgs[pick % model.orgs.len()].clone())
                }
                Op::Retry { .. } => None,
                Op::Remove { alias: a } => {
                    let removed = catalog.remove(&alias(ALIASES[a])).unwrap();
                    let expected = model.remove(ALIASES[a]);
                    prop_assert_eq!(removed.map(|e| e.spec().clone()), expected.map(|o| o.spec()));
                    None
                }
            };
            if let Some(candidate) = candidate {
                // Distinct spellings of one domain make an invalid spec, which never
                // reaches a catalog.
                let unique: HashSet<String> =
                    candidate.domains.iter().map(|d| d.to_ascii_lowercase()).collect();
                if unique.len() == candidate.domains.len() {
                    let outcome = catalog.admit(candidate.spec());
                    let expected = model.admit(candidate, limit);
                    prop_assert_eq!(outcome.as_ref().ok().copied(), expected, "{:?}", outcome);
                }
            }

            // Every answer of the catalog is the model's.
            prop_assert_eq!(catalog.len(), model.orgs.len());
            prop_assert_eq!(registry.len(), model.orgs.len());
            for name in ALIASES {
                let expected = model.position(name).map(|i| model.orgs[i].spec());
                prop_assert_eq!(catalog.get(&alias(name)).map(|e| e.spec().clone()), expected);
                prop_assert_eq!(
                    registry.holder(&alias(name)).unwrap().is_some(),
                    model.position(name).is_some()
                );
            }
            for domain in DOMAINS {
                let owner = catalog.domain_owner(&domain.parse().unwrap()).map(|a| a.to_string());
                prop_assert_eq!(owner.as_deref(), model.domain_owner(domain));
            }
            for region in REGIONS {
                for directory in DIRECTORIES {
                    let owner = catalog
                        .directory_owner(region.parse().unwrap(), &directory.parse().unwrap())
                        .map(|a| a.to_string());
                    prop_assert_eq!(owner.as_deref(), model.directory_owner(region, directory));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// A failing registry

/// An in-memory registry whose storage fails on command: `holder` while `fail_holder` is
/// set, `release` while `fail_release` is, and `reserve` once `reserves_left` successful
/// reserves are used up.
pub(crate) struct FailingRegistry {
    inner: InMemoryAliasRegistry<AliasHolder>,
    pub(crate) fail_holder: AtomicBool,
    pub(crate) fail_release: AtomicBool,
    pub(crate) reserves_left: AtomicUsize,
}

impl FailingRegistry {
    /// A registry that works until told otherwise.
    pub(crate) fn new() -> Self {
        FailingRegistry {
            inner: InMemoryAliasRegistry::new(),
            fail_holder: AtomicBool::new(false),
            fail_release: AtomicBool::new(false),
            reserves_left: AtomicUsize::new(usize::MAX),
        }
    }

    /// How many aliases are reserved.
    pub(crate) fn len(&self) -> usize {
        self.inner.len()
    }

    fn backend() -> RegistryError<AliasHolder> {
        RegistryError::Backend(Box::new(std::io::Error::other(
            "connection to the registry database lost",
        )))
    }
}

impl AliasRegistry for FailingRegistry {
    type Holder = AliasHolder;

    fn reserve(
        &self,
        alias: &OrganizationAlias,
        holder: AliasHolder,
    ) -> Result<Reservation, RegistryError<AliasHolder>> {
        let left = self
            .reserves_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        match left {
            Ok(_) => self.inner.reserve(alias, holder),
            Err(_) => Err(Self::backend()),
        }
    }

    fn release(
        &self,
        alias: &OrganizationAlias,
        holder: &AliasHolder,
    ) -> Result<(), RegistryError<AliasHolder>> {
        if self.fail_release.load(Ordering::SeqCst) {
            return Err(Self::backend());
        }
        self.inner.release(alias, holder)
    }

    fn holder(
        &self,
        alias: &OrganizationAlias,
    ) -> Result<Option<AliasHolder>, RegistryError<AliasHolder>> {
        if self.fail_holder.load(Ordering::SeqCst) {
            return Err(Self::backend());
        }
        self.inner.holder(alias)
    }
}

/// Every message of an error chain, outermost first.
pub(crate) fn chain(err: &dyn std::error::Error) -> Vec<String> {
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
    let registry = FailingRegistry::new();
    registry.fail_holder.store(true, Ordering::SeqCst);
    let catalog = Catalog::with_registry(account("111122223333"), &registry);
    let err = catalog
        .check(&spec("acme", "us-east-1", &[], None))
        .expect_err("the storage fails");
    assert!(matches!(
        err,
        AdmitError::Registry(RegistryError::Backend(_))
    ));
    assert_eq!(
        chain(&err),
        [
            "alias registry storage failed",
            "connection to the registry database lost"
        ]
    );
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

#[test]
fn a_reservation_the_storage_fails_admits_nothing() {
    let registry = FailingRegistry::new();
    let mut catalog = Catalog::with_registry(account("111122223333"), &registry);
    registry.reserves_left.store(0, Ordering::SeqCst);
    let acme = spec("acme", "us-east-1", &["acme.com"], Some("d-1234567890"));
    // The checks pass (the lookup works); the reservation itself fails.
    let err = catalog.admit(acme.clone()).expect_err("the storage fails");
    assert!(matches!(
        &err,
        AdmitError::Registry(RegistryError::Backend(_))
    ));
    assert_eq!(err.to_string(), "alias registry storage failed");
    assert!(catalog.is_empty());
    assert!(catalog.domain_owner(&"acme.com".parse().unwrap()).is_none());
    assert_eq!(registry.len(), 0);
    // Once the storage is back, the same call succeeds.
    registry.reserves_left.store(usize::MAX, Ordering::SeqCst);
    assert_eq!(catalog.admit(acme).unwrap(), Admission::New);
}

#[test]
fn a_release_the_storage_fails_keeps_the_organization_for_a_retry() {
    let registry = FailingRegistry::new();
    let mut catalog = Catalog::with_registry(account("111122223333"), &registry);
    catalog
        .admit(spec("acme", "us-east-1", &["acme.com"], None))
        .unwrap();
    registry.fail_release.store(true, Ordering::SeqCst);
    let err = catalog
        .remove(&alias("acme"))
        .expect_err("the storage fails");
    assert_eq!(
        chain(&err),
        [
            "alias registry storage failed",
            "connection to the registry database lost"
        ]
    );
    assert_eq!(
        format!("{err:?}"),
        "RegistryError(\"alias registry storage failed\")"
    );
    assert_eq!(catalog.len(), 1);
    assert!(catalog.domain_owner(&"acme.com".parse().unwrap()).is_some());
    assert_eq!(registry.len(), 1);
    registry.fail_release.store(false, Ordering::SeqCst);
    assert!(catalog.remove(&alias("acme")).unwrap().is_some());
    assert_eq!(registry.len(), 0);
    assert!(catalog.domain_owner(&"acme.com".parse().unwrap()).is_none());
}

#[test]
fn new_public_types_cross_threads() {
    fn assert_send_sync<T: Send + Sync + Unpin>() {}
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_send_sync::<Admission>();
    assert_send_sync::<Entry>();
    assert_send_sync::<UniquenessKey>();
    assert_send_sync::<UniquenessKeys>();
    assert_send_sync::<RecordError>();
    assert_error::<RecordError>();
    assert_error::<workmail_org::catalog::RestoreError>();
}
