//! The catalog on an `InMemoryStore`: the rules across organizations, alone and together,
//! the quota, client tokens, accounts sharing one store, error messages, and the catalog
//! against a model of it. The stages of creation are in `catalog_stages`, threads in
//! `catalog_race`.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::error::Error;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use proptest::prelude::*;
use serde_json::json;
use workmail_org::{
    aws::{CreateOrganization, CreateOrganizationResponse, Organization},
    catalog::{
        store::{Holder, Listing, NewEntry, Quota, Reservation, Store, StoreError, Written},
        Admission, AdmitError, CatalogError, Entry, EntryId, InMemoryStore, Release, UniquenessKey,
        DEFAULT_ORGANIZATION_LIMIT,
    },
    AccountId, AwsErrorCode, Catalog, DomainName, OrganizationAlias, OrganizationId,
    OrganizationSpec, Rule, Violations,
};

use crate::fixtures::{found, pairs};

/// The account most tests use.
pub(crate) const ACCOUNT: &str = "111122223333";

/// The epoch second most tests admit at.
pub(crate) const NOW: u64 = 1_764_000_000;

#[track_caller]
pub(crate) fn account(s: &str) -> AccountId {
    s.parse().unwrap()
}

#[track_caller]
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

/// The organization id whose last 32 hex digits are `n`.
#[track_caller]
pub(crate) fn org_id(n: u128) -> OrganizationId {
    format!("m-{n:032x}").parse().unwrap()
}

/// What `DescribeOrganization` reports about organization `org_id(n)`; the ARN, when given,
/// names `(region, account)`.
#[track_caller]
pub(crate) fn snapshot(
    n: u128,
    alias: &str,
    state: &str,
    arn: Option<(&str, &str)>,
) -> Organization {
    let organization_id = org_id(n);
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

/// The entry of an admission that must be new.
#[track_caller]
pub(crate) fn admitted(result: Result<Admission, AdmitError>) -> Entry {
    match result {
        Ok(Admission::New(entry)) => entry,
        other => panic!("expected a new admission, got {other:?}"),
    }
}

/// The violations of an admission that must be refused.
#[track_caller]
pub(crate) fn rejected(result: Result<Admission, AdmitError>) -> Violations {
    match result {
        Err(AdmitError::Rejected(rejection)) => rejection.into_violations(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// Takes an admitted entry through `sent` and `created`, AWS naming it `org_id(n)`.
#[track_caller]
pub(crate) fn create<S: Store + Borrow<InMemoryStore>>(
    catalog: &Catalog<S>,
    entry: &Entry,
    n: u128,
    now: u64,
) -> Entry {
    let call = CreateOrganization::new(entry.spec()).expect("no new Route 53 domain");
    catalog
        .blocking(|c| c.sent(entry.id(), &call, now))
        .expect("sent");
    let response = CreateOrganizationResponse::new(org_id(n));
    catalog
        .blocking(|c| c.created(entry.id(), &response, now))
        .expect("created")
}

/// The output of a future that is ready the first time it is polled: a call of an
/// `InMemoryStore` itself, or of a catalog on one of the fake stores below, which have no
/// `Catalog::blocking` (only a catalog on an `InMemoryStore` has it).
#[track_caller]
pub(crate) fn poll_once<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future was not ready after one poll"),
    }
}

/// A `Deleted` snapshot of `entry`, created as `org_id(n)`, that agrees with its spec.
#[track_caller]
pub(crate) fn deleted_snapshot(entry: &Entry, n: u128) -> Organization {
    let mut organization = snapshot(n, entry.alias().as_str(), "Deleted", None);
    if let Some(directory) = entry.spec().directory().existing() {
        organization = with_field(&organization, "DirectoryId", json!(directory.id().as_str()));
    }
    organization
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

/// The one violation of `violations`, checked for its path, rule and AWS code.
#[track_caller]
fn only(violations: &Violations, path: &str, rule: Rule, code: AwsErrorCode) -> String {
    assert_eq!(violations.len(), 1, "{violations}");
    let violation = &violations.as_slice()[0];
    assert_eq!(violation.path().to_string(), path, "{violations}");
    assert_eq!(violation.rule(), rule, "{violations}");
    assert_eq!(violation.code(), code, "{violations}");
    violation.message().to_owned()
}

/// The holder named in messages about entry `id` of `ACCOUNT` in `region`.
fn holder(alias: &str, region: &str, id: u64) -> String {
    format!("organization \"{alias}\" of account {ACCOUNT} in {region} (entry {id})")
}

// ---------------------------------------------------------------------------------------
// Each rule alone

#[test]
fn alias_taken_in_another_case_alone() {
    let catalog = Catalog::new(account(ACCOUNT));
    let acme = spec("Acme", "us-east-1", &[], None);
    let first = admitted(catalog.blocking(|c| c.admit(&acme, NOW)));
    let acme = spec("acme", "us-west-2", &[], None);
    let message = only(
        &rejected(catalog.blocking(|c| c.admit(&acme, NOW))),
        "alias",
        Rule::AliasTaken,
        AwsErrorCode::NameAvailability,
    );
    assert_eq!(message, "organization alias \"acme\" is not available");
    let Err(AdmitError::Rejected(rejection)) = catalog.blocking(|c| c.admit(&acme, NOW)) else {
        panic!("the alias is taken");
    };
    assert_eq!(
        rejection.holders()[0].1.to_string(),
        holder("Acme", "us-east-1", first.id().get())
    );
}

#[test]
fn domain_in_use_alone_names_the_domain_path() {
    let catalog = Catalog::new(account(ACCOUNT));
    let acme = spec("acme", "us-east-1", &["acme.com"], None);
    catalog.blocking(|c| c.admit(&acme, NOW)).unwrap();
    let candidate = spec("globex", "us-east-1", &["globex.com", "ACME.com."], None);
    let message = only(
        &rejected(catalog.blocking(|c| c.admit(&candidate, NOW))),
        "domains[1].name",
        Rule::DomainsInUse,
        AwsErrorCode::MailDomainInUse,
    );
    assert_eq!(message, "domain \"acme.com\" is in use");
}

#[test]
fn directory_in_use_alone_and_only_in_its_region() {
    let catalog = Catalog::new(account(ACCOUNT));
    let acme = spec("acme", "us-east-1", &[], Some("d-1234567890"));
    catalog.blocking(|c| c.admit(&acme, NOW)).unwrap();
    let globex = spec("globex", "us-east-1", &[], Some("d-1234567890"));
    let message = only(
        &rejected(catalog.blocking(|c| c.admit(&globex, NOW))),
        "directory.directory_id",
        Rule::DirectoryInUse,
        AwsErrorCode::DirectoryInUse,
    );
    assert_eq!(message, "directory \"d-1234567890\" is in use");
    // The same id in another Region is another directory.
    let globex = spec("globex", "us-west-2", &[], Some("d-1234567890"));
    admitted(catalog.blocking(|c| c.admit(&globex, NOW)));
}

#[test]
fn organization_limit_alone() {
    let catalog = Catalog::new(account(ACCOUNT));
    catalog.blocking(|c| c.set_limit(Some(2))).unwrap();
    assert_eq!(catalog.blocking(|c| c.quota()).unwrap(), Quota::new(0, 2));
    let one = spec("one", "us-east-1", &[], None);
    catalog.blocking(|c| c.admit(&one, NOW)).unwrap();
    let two = spec("two", "us-west-2", &[], None);
    catalog.blocking(|c| c.admit(&two, NOW)).unwrap();
    let three = spec("three", "eu-west-1", &[], None);
    let message = only(
        &rejected(catalog.blocking(|c| c.admit(&three, NOW))),
        "",
        Rule::AccountOrganizationLimit,
        AwsErrorCode::LimitExceeded,
    );
    assert_eq!(
        message,
        "the account has reached its quota of 2 organizations"
    );
    assert!(catalog.blocking(|c| c.quota()).unwrap().is_full());
}

#[test]
fn client_token_reused_alone() {
    let catalog = Catalog::new(account(ACCOUNT));
    let token = Some("create-acme-1");
    let acme = spec_with_token("acme", "us-east-1", &["acme.com"], None, token);
    let first = admitted(catalog.blocking(|c| c.admit(&acme, NOW)));
    // Every key of the new spec is held too, and the quota full: the token alone is told.
    catalog.blocking(|c| c.set_limit(Some(1))).unwrap();
    let other = spec_with_token("acme", "us-east-1", &["acme.net", "acme.com"], None, token);
    let message = only(
        &rejected(catalog.blocking(|c| c.admit(&other, NOW))),
        "client_token",
        Rule::ClientTokenReused,
        AwsErrorCode::InvalidParameter,
    );
    assert_eq!(
        message,
        "client token \"create-acme-1\" already named another request, with another spec; \
         a retry sends the identical spec, a new request a new token"
    );
    let Err(AdmitError::Rejected(rejection)) = catalog.blocking(|c| c.admit(&other, NOW)) else {
        panic!("the token is reused");
    };
    assert_eq!(rejection.token_holder(), Some(&Holder::of(&first)));
    assert!(rejection.holders().is_empty());
}

#[test]
fn every_catalog_rule_in_one_admission() {
    let catalog = Catalog::new(account(ACCOUNT));
    catalog.blocking(|c| c.set_limit(Some(1))).unwrap();
    let first = spec(
        "acme",
        "us-east-1",
        &["acme.com", "acme.org"],
        Some("d-1234567890"),
    );
    catalog.blocking(|c| c.admit(&first, NOW)).unwrap();
    let acme = spec(
        "Acme",
        "us-east-1",
        &["acme.org", "acme.net", "acme.com"],
        Some("d-1234567890"),
    );
    let violations = rejected(catalog.blocking(|c| c.admit(&acme, NOW)));
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
    let codes: Vec<AwsErrorCode> = violations.iter().map(|v| v.code()).collect();
    assert_eq!(
        codes,
        [
            AwsErrorCode::LimitExceeded,
            AwsErrorCode::NameAvailability,
            AwsErrorCode::MailDomainInUse,
            AwsErrorCode::MailDomainInUse,
            AwsErrorCode::DirectoryInUse,
        ]
    );
}

#[test]
fn a_refused_admission_leaves_no_trace() {
    let store = InMemoryStore::new();
    let catalog = Catalog::open(account(ACCOUNT), &store);
    let acme = spec("acme", "us-east-1", &["acme.com"], None);
    catalog.blocking(|c| c.admit(&acme, NOW)).unwrap();
    let refused = spec_with_token(
        "globex",
        "us-east-1",
        &["globex.com", "acme.com"],
        Some("d-1234567890"),
        Some("create-globex-1"),
    );
    rejected(catalog.blocking(|c| c.admit(&refused, NOW)));
    assert_eq!(store.len(), 1);
    assert_eq!(catalog.blocking(|c| c.quota()).unwrap().live, 1);
    for key in catalog.keys(&refused).iter() {
        if !matches!(key, UniquenessKey::Domain(name) if name.as_str() == "acme.com") {
            assert_eq!(poll_once(store.holder(key)).unwrap(), None, "{key}");
        }
    }
    let globex_alias = alias("globex");
    assert_eq!(
        catalog.blocking(|c| c.by_alias(&globex_alias)).unwrap(),
        None
    );
    // Nor is its token taken: with the conflict gone, the same token admits another spec.
    let fixed = spec_with_token(
        "globex",
        "us-east-1",
        &["globex.com"],
        Some("d-1234567890"),
        Some("create-globex-1"),
    );
    assert_eq!(
        admitted(catalog.blocking(|c| c.admit(&fixed, NOW))).id(),
        EntryId::new(2)
    );
}

// ---------------------------------------------------------------------------------------
// The quota

#[test]
fn the_default_quota_is_one_hundred_and_set_limit_moves_it() {
    let catalog = Catalog::new(account(ACCOUNT));
    assert_eq!(DEFAULT_ORGANIZATION_LIMIT, 100);
    assert_eq!(
        catalog.blocking(|c| c.quota()).unwrap(),
        Quota::new(0, DEFAULT_ORGANIZATION_LIMIT)
    );
    for i in 0..100 {
        let org = spec(&format!("org{i}"), "us-east-1", &[], None);
        catalog.blocking(|c| c.admit(&org, NOW)).unwrap();
    }
    let over = spec("org100", "us-east-1", &[], None);
    assert_eq!(
        found(&rejected(catalog.blocking(|c| c.admit(&over, NOW)))),
        pairs(&[("", Rule::AccountOrganizationLimit)])
    );
    // A raised quota admits it; a lowered one keeps who is over it and admits nobody new.
    catalog.blocking(|c| c.set_limit(Some(101))).unwrap();
    admitted(catalog.blocking(|c| c.admit(&over, NOW)));
    catalog.blocking(|c| c.set_limit(Some(50))).unwrap();
    assert_eq!(
        catalog.blocking(|c| c.quota()).unwrap(),
        Quota::new(101, 50)
    );
    let late = spec("late", "us-east-1", &[], None);
    let message = only(
        &rejected(catalog.blocking(|c| c.admit(&late, NOW))),
        "",
        Rule::AccountOrganizationLimit,
        AwsErrorCode::LimitExceeded,
    );
    assert_eq!(
        message,
        "the account has reached its quota of 50 organizations"
    );
    let Err(AdmitError::Rejected(rejection)) = catalog.blocking(|c| c.admit(&late, NOW)) else {
        panic!("over the quota");
    };
    assert_eq!(rejection.quota(), Some(Quota::new(101, 50)));
    catalog.blocking(|c| c.set_limit(None)).unwrap();
    assert_eq!(
        catalog.blocking(|c| c.quota()).unwrap(),
        Quota::new(101, 100)
    );
}

#[test]
fn deleted_and_released_entries_do_not_count() {
    let catalog = Catalog::new(account(ACCOUNT));
    catalog.blocking(|c| c.set_limit(Some(2))).unwrap();
    let one = spec("one", "us-east-1", &[], None);
    let first = admitted(catalog.blocking(|c| c.admit(&one, NOW)));
    let two = spec("two", "us-east-1", &[], None);
    let second = admitted(catalog.blocking(|c| c.admit(&two, NOW)));
    assert!(catalog.blocking(|c| c.quota()).unwrap().is_full());
    let created = create(&catalog, &first, 1, NOW);
    let deleted = deleted_snapshot(&created, 1);
    catalog.blocking(|c| c.record(&deleted, NOW)).unwrap();
    assert_eq!(catalog.blocking(|c| c.quota()).unwrap(), Quota::new(1, 2));
    catalog
        .blocking(|c| c.release(second.id(), Release::NothingSent, NOW))
        .unwrap();
    assert_eq!(catalog.blocking(|c| c.quota()).unwrap(), Quota::new(0, 2));
    let three = spec("three", "us-east-1", &[], None);
    admitted(catalog.blocking(|c| c.admit(&three, NOW)));
    let four = spec("four", "us-east-1", &[], None);
    admitted(catalog.blocking(|c| c.admit(&four, NOW)));
    assert!(catalog.blocking(|c| c.quota()).unwrap().is_full());
}

#[test]
fn the_quota_is_per_account() {
    let store = InMemoryStore::new();
    let first = Catalog::open(account(ACCOUNT), &store);
    let second = Catalog::open(account("444455556666"), &store);
    first.blocking(|c| c.set_limit(Some(1))).unwrap();
    let acme = spec("acme", "us-east-1", &[], None);
    first.blocking(|c| c.admit(&acme, NOW)).unwrap();
    assert_eq!(
        second.blocking(|c| c.quota()).unwrap(),
        Quota::new(0, DEFAULT_ORGANIZATION_LIMIT)
    );
    let globex = spec("globex", "us-east-1", &[], None);
    admitted(second.blocking(|c| c.admit(&globex, NOW)));
    assert_eq!(first.blocking(|c| c.quota()).unwrap(), Quota::new(1, 1));
}

// ---------------------------------------------------------------------------------------
// Client tokens

#[test]
fn the_identical_spec_with_its_token_is_already_admitted_as_the_first_entry() {
    let catalog = Catalog::new(account(ACCOUNT));
    catalog.blocking(|c| c.set_limit(Some(1))).unwrap();
    let full = spec_with_token(
        "acme",
        "us-east-1",
        &["acme.com", "acme.org"],
        Some("d-1234567890"),
        Some("create-acme-1"),
    );
    let first = admitted(catalog.blocking(|c| c.admit(&full, NOW)));
    // Retried later, at the quota: the entry admitted first, at its stage; nothing changes.
    let full_call = CreateOrganization::new(&full).unwrap();
    catalog
        .blocking(|c| c.sent(first.id(), &full_call, NOW + 5))
        .unwrap();
    let sent = catalog.blocking(|c| c.get(first.id())).unwrap().unwrap();
    let again = catalog.blocking(|c| c.admit(&full, NOW + 60)).unwrap();
    assert_eq!(again, Admission::AlreadyAdmitted(sent.clone()));
    assert_eq!(again.entry(), &sent);
    assert_eq!(again.into_entry().admitted_at(), NOW);
    assert_eq!(catalog.blocking(|c| c.quota()).unwrap().live, 1);
    assert_eq!(
        catalog.blocking(|c| c.list(None, None, 10)).unwrap(),
        [sent]
    );
}

#[test]
fn a_retry_compares_domains_as_names() {
    // `ACME.COM.` is `acme.com`, and so is the request AWS gets.
    let catalog = Catalog::new(account(ACCOUNT));
    let token = Some("create-acme-1");
    let acme = spec_with_token("acme", "us-east-1", &["ACME.COM."], None, token);
    let first = admitted(catalog.blocking(|c| c.admit(&acme, NOW)));
    let retry = spec_with_token("acme", "us-east-1", &["acme.com"], None, token);
    assert_eq!(
        catalog.blocking(|c| c.admit(&retry, NOW)).unwrap(),
        Admission::AlreadyAdmitted(first)
    );
}

#[test]
fn the_same_token_with_another_spec_is_client_token_reused_alone() {
    let catalog = Catalog::new(account(ACCOUNT));
    let token = Some("create-acme-1");
    let acme = spec_with_token("acme", "us-east-1", &["acme.com"], None, token);
    catalog.blocking(|c| c.admit(&acme, NOW)).unwrap();
    let others = [
        // Only the alias's spelling differs: AWS is sent another alias.
        spec_with_token("ACME", "us-east-1", &["acme.com"], None, token),
        spec_with_token("acme", "us-east-1", &["acme.net"], None, token),
        spec_with_token(
            "acme",
            "us-east-1",
            &["acme.com"],
            Some("d-1234567890"),
            token,
        ),
        spec_with_token("hooli", "us-east-1", &[], None, token),
    ];
    for other in others {
        assert_eq!(
            found(&rejected(catalog.blocking(|c| c.admit(&other, NOW)))),
            pairs(&[("client_token", Rule::ClientTokenReused)]),
            "{other:?}"
        );
    }
    assert_eq!(catalog.blocking(|c| c.quota()).unwrap().live, 1);
}

#[test]
fn without_a_token_the_identical_spec_is_a_second_organization() {
    let catalog = Catalog::new(account(ACCOUNT));
    let tokenless = spec(
        "acme",
        "us-east-1",
        &["acme.com", "acme.org"],
        Some("d-1234567890"),
    );
    catalog.blocking(|c| c.admit(&tokenless, NOW)).unwrap();
    assert_eq!(
        found(&rejected(catalog.blocking(|c| c.admit(&tokenless, NOW)))),
        pairs(&[
            ("alias", Rule::AliasTaken),
            ("domains[0].name", Rule::DomainsInUse),
            ("domains[1].name", Rule::DomainsInUse),
            ("directory.directory_id", Rule::DirectoryInUse),
        ])
    );
    // Another token is another request, refused on its keys.
    let other_token = spec_with_token("acme", "us-east-1", &[], None, Some("create-acme-2"));
    assert_eq!(
        found(&rejected(catalog.blocking(|c| c.admit(&other_token, NOW)))),
        pairs(&[("alias", Rule::AliasTaken)])
    );
}

#[test]
fn a_token_is_scoped_to_its_account_and_region() {
    let store = InMemoryStore::new();
    let first = Catalog::open(account(ACCOUNT), &store);
    let second = Catalog::open(account("444455556666"), &store);
    let token = Some("create-1");
    let acme = spec_with_token("acme", "us-east-1", &[], None, token);
    first.blocking(|c| c.admit(&acme, NOW)).unwrap();
    // The same token in another Region, or in another account, names another request.
    let globex = spec_with_token("globex", "us-west-2", &[], None, token);
    let west = admitted(first.blocking(|c| c.admit(&globex, NOW)));
    let initech = spec_with_token("initech", "us-east-1", &[], None, token);
    let other = admitted(second.blocking(|c| c.admit(&initech, NOW)));
    assert_eq!((west.id().get(), other.id().get()), (2, 3));
    // And the identical spec from another account is not its retry: the alias is taken.
    let third = Catalog::open(account("777788889999"), &store);
    let twin = spec_with_token("acme", "us-east-1", &[], None, token);
    assert_eq!(
        found(&rejected(third.blocking(|c| c.admit(&twin, NOW)))),
        pairs(&[("alias", Rule::AliasTaken)])
    );
}

// ---------------------------------------------------------------------------------------
// Accounts sharing one store

/// Asserts that `text` names none of `secrets`.
#[track_caller]
fn names_none(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "{text:?} names {secret:?}");
    }
}

#[test]
fn refusals_name_no_other_account_entry_or_organization_and_the_rejection_names_the_holder() {
    // Account 1111... holds acme (created, with an organization id); 4444... shares the store,
    // and a second customer of 1111... shares its account.
    let store = Arc::new(InMemoryStore::new());
    let owner = Catalog::open(account(ACCOUNT), Arc::clone(&store));
    let rival = Catalog::open(account("444455556666"), Arc::clone(&store));
    let held_spec = spec(
        "acme-holding",
        "us-east-1",
        &["acme.com"],
        Some("d-1234567890"),
    );
    let held = admitted(owner.blocking(|c| c.admit(&held_spec, NOW)));
    let held = create(&owner, &held, 7, NOW);
    let organization_id = org_id(7);
    let secrets = [
        ACCOUNT,
        organization_id.as_str(),
        "acme-holding",
        // An entry id is named only with the word "entry".
        "entry",
    ];
    let attempts = [
        // The alias, from another account: the caller's own spelling is named.
        (
            &rival,
            spec("ACME-Holding", "eu-west-1", &[], None),
            UniquenessKey::Alias("acme-holding".into()),
            Rule::AliasTaken,
        ),
        // The domain, from another account.
        (
            &rival,
            spec("globex", "us-east-1", &["ACME.com"], None),
            UniquenessKey::Domain("acme.com".parse().unwrap()),
            Rule::DomainsInUse,
        ),
        // The directory, by another customer of the same account.
        (
            &owner,
            spec("initech", "us-east-1", &[], Some("d-1234567890")),
            UniquenessKey::Directory {
                account: account(ACCOUNT),
                region: "us-east-1".parse().unwrap(),
                directory: "d-1234567890".parse().unwrap(),
            },
            Rule::DirectoryInUse,
        ),
    ];
    for (catalog, candidate, key, rule) in attempts {
        let Err(AdmitError::Rejected(rejection)) = catalog.blocking(|c| c.admit(&candidate, NOW))
        else {
            panic!("{key} is held");
        };
        let violations = rejection.violations();
        assert_eq!(violations.len(), 1, "{violations}");
        assert_eq!(violations.as_slice()[0].rule(), rule);
        let secrets: &[&str] = if rule == Rule::AliasTaken {
            // The caller's own alias is the holder's, in another case.
            &[secrets[0], secrets[1], secrets[3]]
        } else {
            &secrets
        };
        names_none(&violations.to_string(), secrets);
        names_none(
            &AdmitError::Rejected(rejection.clone()).to_string(),
            secrets,
        );
        names_none(&format!("{rejection:?}"), secrets);
        // The operator still learns who holds it.
        assert_eq!(rejection.holders(), [(key, Holder::of(&held))]);
        assert_eq!(rejection.holders()[0].1.account.as_str(), ACCOUNT);
    }

    // Registering a mail domain another account holds: the caller's own entry is named, the
    // holder is not, but stays in the error.
    let globex_spec = spec("globex", "us-east-1", &[], None);
    let globex = admitted(rival.blocking(|c| c.admit(&globex_spec, NOW)));
    let globex = create(&rival, &globex, 8, NOW);
    let domain: DomainName = "acme.com".parse().unwrap();
    let err = rival
        .blocking(|c| c.register_mail_domain(globex.id(), &domain, NOW))
        .expect_err("the domain is held");
    names_none(&err.to_string(), &secrets[..3]);
    assert_eq!(
        err.to_string(),
        format!(
            "entry {}: domain \"acme.com\" is in use [domains.in_use, MailDomainInUse]",
            globex.id()
        )
    );
    let CatalogError::MailDomainInUse { holder, .. } = err else {
        panic!("MailDomainInUse: {err:?}");
    };
    assert_eq!(holder, Holder::of(&held));
}

#[test]
fn two_accounts_on_one_store_share_the_global_keys_only() {
    let store = Arc::new(InMemoryStore::new());
    let first = Catalog::open(account(ACCOUNT), Arc::clone(&store));
    let second = Catalog::open(account("444455556666"), Arc::clone(&store));
    let acme_spec = spec("Acme", "eu-west-1", &["acme.com"], Some("d-1234567890"));
    let acme = admitted(first.blocking(|c| c.admit(&acme_spec, NOW)));

    // Aliases and domains are global: the other account is told they are taken, not by whom.
    let acme_spec = spec("ACME", "us-east-1", &["acme.com"], None);
    let violations = rejected(second.blocking(|c| c.admit(&acme_spec, NOW)));
    let messages: Vec<&str> = violations.iter().map(|v| v.message()).collect();
    assert_eq!(
        messages,
        [
            "organization alias \"acme\" is not available",
            "domain \"acme.com\" is in use",
        ]
    );
    // A directory is the account's: the same id elsewhere is another directory.
    let globex_spec = spec("globex", "eu-west-1", &[], Some("d-1234567890"));
    let globex = admitted(second.blocking(|c| c.admit(&globex_spec, NOW)));

    // Each sees its own entries only, and frees only its own.
    assert_eq!(second.blocking(|c| c.get(acme.id())).unwrap(), None);
    let acme_alias = alias("acme");
    assert_eq!(second.blocking(|c| c.by_alias(&acme_alias)).unwrap(), None);
    let acme_alias = alias("ACME");
    assert_eq!(
        first.blocking(|c| c.by_alias(&acme_alias)).unwrap(),
        Some(acme.clone())
    );
    assert_eq!(
        second.blocking(|c| c.list(None, None, 10)).unwrap(),
        std::slice::from_ref(&globex)
    );
    let key = UniquenessKey::Alias("acme".into());
    assert_eq!(
        second.blocking(|c| c.holder(&key)).unwrap(),
        Some(Holder::of(&acme))
    );
    assert_eq!(
        second
            .blocking(|c| c.release(acme.id(), Release::NothingSent, NOW))
            .unwrap_err()
            .to_string(),
        "account 444455556666 has no entry 1"
    );
    assert_eq!(store.len(), 2);
    assert_eq!(first.blocking(|c| c.quota()).unwrap().live, 1);
    assert_eq!(second.blocking(|c| c.quota()).unwrap().live, 1);
    assert_eq!(first.store().len(), 2);
}

#[test]
fn a_second_catalog_of_the_same_account_sees_everything() {
    // Catalogs hold no state: a new one over the same store, as after a restart, answers
    // the same, and a retry through it is the first admission.
    let store = InMemoryStore::new();
    let full = spec_with_token(
        "acme",
        "us-east-1",
        &["acme.com"],
        None,
        Some("create-acme-1"),
    );
    let entry = admitted(Catalog::open(account(ACCOUNT), &store).blocking(|c| c.admit(&full, NOW)));
    let restarted = Catalog::open(account(ACCOUNT), &store);
    assert_eq!(restarted.account(), &account(ACCOUNT));
    assert_eq!(
        restarted.blocking(|c| c.get(entry.id())).unwrap(),
        Some(entry.clone())
    );
    assert_eq!(
        restarted.blocking(|c| c.admit(&full, NOW)).unwrap(),
        Admission::AlreadyAdmitted(entry)
    );
    // A catalog owning the store sees the same.
    let owning = Catalog::open(account(ACCOUNT), store);
    assert_eq!(owning.blocking(|c| c.quota()).unwrap().live, 1);
}

// ---------------------------------------------------------------------------------------
// Errors

/// An in-memory store whose storage fails while `failing` is set.
#[derive(Default)]
struct FailingStore {
    inner: InMemoryStore,
    failing: AtomicBool,
}

impl FailingStore {
    fn check(&self) -> Result<(), StoreError> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(StoreError::new(
                "the connection was lost",
                std::io::Error::other("connection reset by peer"),
            ));
        }
        Ok(())
    }
}

impl Store for FailingStore {
    async fn admit(&self, admission: &NewEntry<'_>) -> Result<Reservation, StoreError> {
        self.check()?;
        self.inner.admit(admission).await
    }
    async fn write(&self, next: &Entry) -> Result<Written, StoreError> {
        self.check()?;
        self.inner.write(next).await
    }
    async fn release(&self, entry: &Entry) -> Result<Written, StoreError> {
        self.check()?;
        self.inner.release(entry).await
    }
    async fn entry(&self, id: EntryId) -> Result<Option<Entry>, StoreError> {
        self.check()?;
        self.inner.entry(id).await
    }
    async fn by_organization_id(&self, id: &OrganizationId) -> Result<Option<Entry>, StoreError> {
        self.check()?;
        self.inner.by_organization_id(id).await
    }
    async fn holder(&self, key: &UniquenessKey) -> Result<Option<Holder>, StoreError> {
        self.check()?;
        self.inner.holder(key).await
    }
    async fn list(&self, listing: &Listing) -> Result<Vec<Entry>, StoreError> {
        self.check()?;
        self.inner.list(listing).await
    }
    async fn quota(&self, account: &AccountId) -> Result<Quota, StoreError> {
        self.check()?;
        self.inner.quota(account).await
    }
    async fn set_limit(&self, account: &AccountId, limit: Option<u64>) -> Result<(), StoreError> {
        self.check()?;
        self.inner.set_limit(account, limit).await
    }
}

#[test]
fn errors_print_each_message_once_and_debug_as_the_message() {
    let store = FailingStore::default();
    let catalog = Catalog::open(account(ACCOUNT), &store);
    let acme = spec("acme", "us-east-1", &[], None);
    let entry = admitted(poll_once(catalog.admit(&acme, NOW)));
    store.failing.store(true, Ordering::SeqCst);

    // Each message says what the catalog was doing, then what the store was; the driver's
    // error is the source.
    let expected = |doing: &str| {
        [
            format!("the store failed {doing}: the connection was lost"),
            "connection reset by peer".to_owned(),
        ]
    };
    let err = poll_once(catalog.admit(&acme, NOW)).expect_err("the store fails");
    assert!(matches!(err, AdmitError::Store(_)));
    let admitting = expected("admitting \"acme\"");
    assert_eq!(chain(&err), admitting);
    assert_eq!(
        format!("{err:?}"),
        format!("AdmitError({:?})", admitting[0])
    );
    let err = poll_once(catalog.release(entry.id(), Release::NothingSent, NOW))
        .expect_err("the store fails");
    let reading = expected("reading entry 1");
    assert_eq!(chain(&err), reading);
    assert_eq!(
        format!("{err:?}"),
        format!("CatalogError({:?})", reading[0])
    );
    let err = poll_once(catalog.quota()).expect_err("the store fails");
    let quota = expected("reading the quota");
    assert_eq!(chain(&err), quota);
    // A store error's Debug goes on through its sources, so a failed `unwrap` shows the cause.
    assert_eq!(
        format!("{err:?}"),
        format!("StoreError({:?})", quota.join(": "))
    );

    // The store back, nothing was lost.
    store.failing.store(false, Ordering::SeqCst);
    assert_eq!(poll_once(catalog.get(entry.id())).unwrap(), Some(entry));

    // A rejection is its violations, once.
    poll_once(catalog.set_limit(Some(0))).unwrap();
    let err = poll_once(catalog.admit(&spec("globex", "us-east-1", &[], None), NOW))
        .expect_err("over the quota");
    let message = "1 rule violation\n- : the account has reached its quota of 0 organizations \
                   [account.organization_limit, LimitExceeded]";
    assert_eq!(chain(&err), [message]);
    assert_eq!(format!("{err:?}"), format!("AdmitError({message:?})"));
    let violations = rejected(Err(err));
    assert_eq!(
        format!("{violations:?}"),
        format!("Violations({message:?})")
    );
}

#[test]
fn a_store_error_carries_the_catalogs_context_and_the_stores_source() {
    let store = FailingStore::default();
    let catalog = Catalog::open(account(ACCOUNT), &store);
    store.failing.store(true, Ordering::SeqCst);
    let err = poll_once(catalog.by_alias(&alias("acme"))).expect_err("the store fails");
    assert!(
        err.to_string().contains("looking up alias \"acme\""),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "the store failed looking up alias \"acme\": the connection was lost"
    );
    assert_eq!(
        err.doing(),
        "looking up alias \"acme\": the connection was lost"
    );
    // The source is the fake store's own error, unchanged.
    let source = err.source().expect("a source");
    let io = source
        .downcast_ref::<std::io::Error>()
        .expect("the fake store's io::Error");
    assert_eq!(io.kind(), std::io::ErrorKind::Other);
    assert_eq!(io.to_string(), "connection reset by peer");
    assert_eq!(
        chain(&err),
        [
            "the store failed looking up alias \"acme\": the connection was lost",
            "connection reset by peer",
        ]
    );
}

#[test]
fn a_store_that_refuses_without_a_reason_is_a_store_error() {
    // A store bug must not read as an admission: the catalog says the store misbehaved.
    struct Mute(InMemoryStore);
    impl Store for Mute {
        fn admit(
            &self,
            _: &NewEntry<'_>,
        ) -> impl Future<Output = Result<Reservation, StoreError>> + Send {
            std::future::ready(Ok(Reservation::Refused(Default::default())))
        }
        fn write(&self, next: &Entry) -> impl Future<Output = Result<Written, StoreError>> + Send {
            self.0.write(next)
        }
        fn release(
            &self,
            entry: &Entry,
        ) -> impl Future<Output = Result<Written, StoreError>> + Send {
            self.0.release(entry)
        }
        fn entry(
            &self,
            id: EntryId,
        ) -> impl Future<Output = Result<Option<Entry>, StoreError>> + Send {
            self.0.entry(id)
        }
        fn by_organization_id(
            &self,
            id: &OrganizationId,
        ) -> impl Future<Output = Result<Option<Entry>, StoreError>> + Send {
            self.0.by_organization_id(id)
        }
        fn holder(
            &self,
            key: &UniquenessKey,
        ) -> impl Future<Output = Result<Option<Holder>, StoreError>> + Send {
            self.0.holder(key)
        }
        fn list(
            &self,
            listing: &Listing,
        ) -> impl Future<Output = Result<Vec<Entry>, StoreError>> + Send {
            self.0.list(listing)
        }
        fn quota(
            &self,
            account: &AccountId,
        ) -> impl Future<Output = Result<Quota, StoreError>> + Send {
            self.0.quota(account)
        }
        fn set_limit(
            &self,
            account: &AccountId,
            limit: Option<u64>,
        ) -> impl Future<Output = Result<(), StoreError>> + Send {
            self.0.set_limit(account, limit)
        }
    }
    let catalog = Catalog::open(account(ACCOUNT), Mute(InMemoryStore::new()));
    let err =
        poll_once(catalog.admit(&spec("acme", "us-east-1", &[], None), NOW)).expect_err("refused");
    assert!(matches!(err, AdmitError::Store(_)), "{err}");
    assert_eq!(
        err.to_string(),
        "the store failed admitting \"acme\": its refusal gave no reason"
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
    /// Admits again the spec of the `pick`-th entry the model holds.
    Retry { pick: usize },
    /// Releases the `pick`-th entry the model holds, with nothing sent.
    Release { pick: usize },
    /// Creates the `pick`-th entry and records AWS reporting it `Deleted`.
    Delete { pick: usize },
}

const ALIASES: [&str; 6] = ["acme", "ACME", "globex", "Initech", "initech", "umbrella"];
const REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-west-1"];
const DOMAINS: [&str; 5] = ["acme.com", "globex.com", "ACME.COM", "shared.org", "x.io"];
const DIRECTORIES: [&str; 3] = ["d-0000000001", "d-0000000002", "d-0000000003"];
const TOKENS: [&str; 2] = ["token-1", "token-2"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (
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
        2 => any::<usize>().prop_map(|pick| Op::Release { pick }),
        2 => any::<usize>().prop_map(|pick| Op::Delete { pick }),
    ]
}

/// One organization as the model sees it: plain strings, compared the way AWS compares them
/// (aliases and domains ignoring ASCII case), written without the crate's types.
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

    /// The same request: the alias spelled the same, and the same choices (domains compared
    /// ignoring case, in order).
    fn same_request(&self, other: &ModelOrg) -> bool {
        self.alias == other.alias
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

/// What an admission must do, in the model's words.
#[derive(Debug, PartialEq, Eq)]
enum Expected {
    New(u64),
    AlreadyAdmitted(u64),
    Rejected(Vec<Rule>),
}

/// The catalog's answers, from a list of entries: `(id, org, live)`.
#[derive(Debug, Default)]
struct Model {
    entries: Vec<(u64, ModelOrg, bool)>,
    last_id: u64,
}

impl Model {
    fn live(&self) -> impl Iterator<Item = &(u64, ModelOrg, bool)> {
        self.entries.iter().filter(|(_, _, live)| *live)
    }

    fn alias_holder(&self, alias: &str) -> Option<u64> {
        self.live()
            .find(|(_, org, _)| org.alias.eq_ignore_ascii_case(alias))
            .map(|(id, _, _)| *id)
    }

    fn domain_holder(&self, domain: &str) -> Option<u64> {
        self.live()
            .find(|(_, org, _)| org.domains.iter().any(|d| d.eq_ignore_ascii_case(domain)))
            .map(|(id, _, _)| *id)
    }

    fn directory_holder(&self, region: &str, directory: &str) -> Option<u64> {
        self.live()
            .find(|(_, org, _)| org.region == region && org.directory == Some(directory))
            .map(|(id, _, _)| *id)
    }

    fn admit(&mut self, candidate: ModelOrg, limit: u64) -> Expected {
        // A token names one request for as long as its entry is kept, deleted or not.
        if let Some((id, org, _)) = self.entries.iter().find(|(_, org, _)| {
            candidate.token.is_some()
                && org.token == candidate.token
                && org.region == candidate.region
        }) {
            return if org.same_request(&candidate) {
                Expected::AlreadyAdmitted(*id)
            } else {
                Expected::Rejected(vec![Rule::ClientTokenReused])
            };
        }
        let mut rules = Vec::new();
        if self.live().count() as u64 >= limit {
            rules.push(Rule::AccountOrganizationLimit);
        }
        if self.alias_holder(candidate.alias).is_some() {
            rules.push(Rule::AliasTaken);
        }
        for domain in &candidate.domains {
            if self.domain_holder(domain).is_some() {
                rules.push(Rule::DomainsInUse);
            }
        }
        if let Some(directory) = candidate.directory {
            if self.directory_holder(candidate.region, directory).is_some() {
                rules.push(Rule::DirectoryInUse);
            }
        }
        if !rules.is_empty() {
            return Expected::Rejected(rules);
        }
        self.last_id += 1;
        self.entries.push((self.last_id, candidate, true));
        Expected::New(self.last_id)
    }
}

fn outcome(result: &Result<Admission, AdmitError>) -> Expected {
    match result {
        Ok(Admission::New(entry)) => Expected::New(entry.id().get()),
        Ok(Admission::AlreadyAdmitted(entry)) => Expected::AlreadyAdmitted(entry.id().get()),
        Err(AdmitError::Rejected(rejection)) => {
            let violations = rejection.violations();
            Expected::Rejected(violations.iter().map(|v| v.rule()).collect())
        }
        Err(other) => panic!("the in-memory store failed: {other}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_catalog_answers_as_a_model_of_it(
        ops in proptest::collection::vec(op(), 1..40),
        limit in 1u64..6,
    ) {
        let store = InMemoryStore::new();
        let catalog = Catalog::open(account(ACCOUNT), &store);
        catalog.blocking(|c| c.set_limit(Some(limit))).unwrap();
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
                Op::Retry { pick } if !model.entries.is_empty() => {
                    Some(model.entries[pick % model.entries.len()].1.clone())
                }
                Op::Release { pick } if !model.entries.is_empty() => {
                    let index = pick % model.entries.len();
                    let (id, _, live) = model.entries[index];
                    let released = catalog.blocking(|c| c.release(EntryId::new(id), Release::NothingSent, NOW));
                    // Only a reserved entry is released; a deleted one was sent and created.
                    prop_assert_eq!(released.is_ok(), live, "{:?}", released);
                    if live {
                        model.entries.remove(index);
                    }
                    None
                }
                Op::Delete { pick } if !model.entries.is_empty() => {
                    let index = pick % model.entries.len();
                    let (id, _, live) = model.entries[index];
                    if live {
                        let entry = catalog.blocking(|c| c.get(EntryId::new(id))).unwrap().expect("kept");
                        let created = create(&catalog, &entry, u128::from(id), NOW);
                        let deleted_report = deleted_snapshot(&created, u128::from(id));
                        let deleted = catalog.blocking(|c| c.record(&deleted_report, NOW)).unwrap();
                        prop_assert!(!deleted.is_live());
                        model.entries[index].2 = false;
                    }
                    None
                }
                Op::Retry { .. } | Op::Release { .. } | Op::Delete { .. } => None,
            };
            if let Some(candidate) = candidate {
                // Two spellings of one domain make an invalid spec, which never reaches a
                // catalog.
                let unique: HashSet<String> =
                    candidate.domains.iter().map(|d| d.to_ascii_lowercase()).collect();
                if unique.len() == candidate.domains.len() {
                    let candidate_spec = candidate.spec();
                    let result = catalog.blocking(|c| c.admit(&candidate_spec, NOW));
                    let expected = model.admit(candidate, limit);
                    prop_assert_eq!(outcome(&result), expected, "{:?}", result);
                }
            }

            // Every answer of the catalog is the model's.
            prop_assert_eq!(store.len(), model.entries.len());
            prop_assert_eq!(catalog.blocking(|c| c.quota()).unwrap(), Quota::new(model.live().count() as u64, limit));
            let listed: Vec<(u64, bool)> = catalog
                .blocking(|c| c.list(None, None, 100))
                .unwrap()
                .iter()
                .map(|entry| (entry.id().get(), entry.is_live()))
                .collect();
            let expected: Vec<(u64, bool)> =
                model.entries.iter().map(|(id, _, live)| (*id, *live)).collect();
            prop_assert_eq!(listed, expected);
            for name in ALIASES {
                let wanted = alias(name);
                let found = catalog.blocking(|c| c.by_alias(&wanted)).unwrap().map(|e| e.id().get());
                prop_assert_eq!(found, model.alias_holder(name));
            }
            for domain in DOMAINS {
                let key = UniquenessKey::Domain(domain.parse().unwrap());
                let found = catalog.blocking(|c| c.holder(&key)).unwrap().map(|h| h.entry.get());
                prop_assert_eq!(found, model.domain_holder(domain));
            }
            for region in REGIONS {
                for directory in DIRECTORIES {
                    let key = UniquenessKey::Directory {
                        account: account(ACCOUNT),
                        region: region.parse().unwrap(),
                        directory: directory.parse().unwrap(),
                    };
                    let found = catalog.blocking(|c| c.holder(&key)).unwrap().map(|h| h.entry.get());
                    prop_assert_eq!(found, model.directory_holder(region, directory));
                }
            }
        }
    }
}
