//! A catalog survives a restart: written out and read back with serde, or rebuilt from
//! stored entries over a shared registry, it gives the same answers.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde_json::{json, Value};
use workmail_org::{
    catalog::{
        Admission, AdmitError, AliasHolder, Entry, InMemoryAliasRegistry, RecordError, RestoreError,
    },
    AliasRegistry, Catalog, OrganizationSpec, Rule,
};

use crate::catalog::{
    account, alias, chain, rejected, snapshot, spec, spec_with_token, with_field, FailingRegistry,
};
use crate::fixtures::{found, pairs};

/// A catalog with every kind of entry: tokens or none, domains, directories (one id in two
/// Regions), recorded snapshots or none.
fn sample() -> Catalog {
    let mut catalog = Catalog::new(account("111122223333")).with_limit(7);
    let token = Some("create-acme-1");
    catalog
        .admit(spec_with_token(
            "Acme",
            "us-east-1",
            &["acme.com", "acme.org"],
            Some("d-1234567890"),
            token,
        ))
        .unwrap();
    catalog
        .admit(spec(
            "globex",
            "us-west-2",
            &["globex.com"],
            Some("d-1234567890"),
        ))
        .unwrap();
    catalog
        .admit(spec("initech", "eu-west-1", &["initech.io"], None))
        .unwrap();
    catalog
        .admit(spec("umbrella", "us-east-1", &[], None))
        .unwrap();
    let acme = with_field(
        &snapshot(0xa, "acme", "Active", Some(("us-east-1", "111122223333"))),
        "DirectoryId",
        json!("d-1234567890"),
    );
    catalog.record(acme).unwrap();
    catalog
        .record(snapshot(0xb, "initech", "Creating", None))
        .unwrap();
    catalog
}

/// Specs to ask a catalog about: retries, clashes on every key, and strangers.
fn probes() -> Vec<OrganizationSpec> {
    vec![
        spec_with_token(
            "Acme",
            "us-east-1",
            &["acme.com", "acme.org"],
            Some("d-1234567890"),
            Some("create-acme-1"),
        ),
        spec("globex", "us-west-2", &["globex.com"], Some("d-1234567890")),
        spec("ACME", "eu-west-1", &[], None),
        spec("hooli", "us-east-1", &["ACME.org"], None),
        spec("hooli", "us-west-2", &[], Some("d-1234567890")),
        spec("hooli", "eu-west-1", &[], Some("d-1234567890")),
        spec("hooli", "eu-west-1", &["hooli.xyz"], None),
    ]
}

/// Everything a catalog answers, as comparable text.
fn answers(catalog: &Catalog) -> Vec<String> {
    let mut out = vec![format!(
        "{} {} {}",
        catalog.account(),
        catalog.limit(),
        catalog.len()
    )];
    for name in ["acme", "globex", "initech", "umbrella", "hooli"] {
        out.push(format!("{name}: {:?}", catalog.get(&alias(name))));
    }
    for id in [0xa_u128, 0xb, 0xc] {
        let id = format!("m-{id:032x}").parse().unwrap();
        let found = catalog
            .by_organization_id(&id)
            .map(|e| e.alias().to_string());
        out.push(format!("{id}: {found:?}"));
    }
    for domain in [
        "acme.com",
        "acme.org",
        "globex.com",
        "initech.io",
        "hooli.xyz",
    ] {
        let owner = catalog.domain_owner(&domain.parse().unwrap());
        out.push(format!("{domain}: {owner:?}"));
    }
    for region in ["us-east-1", "us-west-2", "eu-west-1"] {
        let owner =
            catalog.directory_owner(region.parse().unwrap(), &"d-1234567890".parse().unwrap());
        out.push(format!("{region}: {owner:?}"));
    }
    for probe in probes() {
        let answer = match catalog.check(&probe) {
            Ok(admission) => format!("{admission:?}"),
            Err(AdmitError::Rejected(violations)) => format!("{:?}", found(&violations)),
            Err(err) => panic!("{err}"),
        };
        out.push(format!("{}: {answer}", probe.alias()));
    }
    out
}

#[test]
fn a_catalog_read_back_gives_the_same_answers() {
    let catalog = sample();
    let json = serde_json::to_string(&catalog).unwrap();
    let restored: Catalog = serde_json::from_str(&json).unwrap();
    assert_eq!(answers(&restored), answers(&catalog));
    assert_eq!(serde_json::to_string(&restored).unwrap(), json);
    assert_eq!(restored.registry().len(), 4);

    // In a compact binary format too.
    let mut cbor = Vec::new();
    ciborium::into_writer(&catalog, &mut cbor).unwrap();
    let from_cbor: Catalog = ciborium::from_reader(cbor.as_slice()).unwrap();
    assert_eq!(answers(&from_cbor), answers(&catalog));

    // After the restart, a retry is still the same organization, and a twin still clashes.
    let mut restored = restored;
    let probes = probes();
    assert_eq!(
        restored.admit(probes[0].clone()).unwrap(),
        Admission::AlreadyAdmitted
    );
    assert_eq!(
        found(&rejected(restored.admit(probes[1].clone()))),
        pairs(&[
            ("alias", Rule::AliasTaken),
            ("domains[0].name", Rule::DomainsInUse),
            ("directory.directory_id", Rule::DirectoryInUse),
        ])
    );
}

#[test]
fn the_written_form_is_account_limit_and_entries_by_alias() {
    let mut catalog = Catalog::new(account("111122223333")).with_limit(3);
    catalog
        .admit(spec("globex", "us-west-2", &[], None))
        .unwrap();
    catalog.admit(spec("Acme", "us-east-1", &[], None)).unwrap();
    catalog
        .record(snapshot(1, "acme", "Requested", None))
        .unwrap();
    let value = serde_json::to_value(&catalog).unwrap();
    let spec_json = |alias: &str, region: &str| {
        json!({
            "alias": alias, "region": region, "domains": [],
            "directory": {"type": "new_workmail_directory"},
            "encryption": {"type": "workmail_managed_key"},
            "interoperability": false,
        })
    };
    assert_eq!(
        value,
        json!({
            "account": "111122223333",
            "limit": 3,
            "entries": [
                {
                    "spec": spec_json("Acme", "us-east-1"),
                    "organization": {
                        "OrganizationId": "m-00000000000000000000000000000001",
                        "Alias": "acme",
                        "State": "Requested",
                    },
                },
                {"spec": spec_json("globex", "us-west-2")},
            ],
        })
    );
}

/// A stored catalog of `entries`, as JSON.
fn stored(entries: Vec<Value>) -> Value {
    json!({"account": "111122223333", "limit": 100, "entries": entries})
}

fn entry(spec: &OrganizationSpec) -> Value {
    json!({"spec": spec})
}

#[track_caller]
fn refused(value: Value) -> String {
    serde_json::from_value::<Catalog>(value)
        .expect_err("must be refused")
        .to_string()
}

#[test]
fn a_conflicting_stored_set_is_refused_never_merged() {
    let acme = spec("acme", "us-east-1", &["acme.com"], Some("d-1234567890"));
    let twin = spec("ACME", "us-west-2", &[], None);
    let same_domain = spec("globex", "us-east-1", &["Acme.COM"], None);
    let same_directory = spec("initech", "us-east-1", &[], Some("d-1234567890"));
    assert_eq!(
        refused(stored(vec![entry(&acme), entry(&twin)])),
        "entries[1] (organization \"ACME\") conflicts with an earlier entry or the alias \
         registry: 1 rule violation\n- alias: organization alias \"ACME\" is already used by \
         organization \"acme\" of this account in us-east-1 [alias.taken, NameAvailability]"
    );
    assert_eq!(
        refused(stored(vec![entry(&acme), entry(&same_domain)])),
        "entries[1] (organization \"globex\") conflicts with an earlier entry or the alias \
         registry: 1 rule violation\n- domains[0].name: domain \"acme.com\" already belongs to \
         organization \"acme\" [domains.in_use, MailDomainInUse]"
    );
    assert!(refused(stored(vec![entry(&acme), entry(&same_directory)]))
        .ends_with("[directory.in_use, DirectoryInUse]"));

    // Two snapshots with one organization id.
    let with_org = |spec: &OrganizationSpec, id: u128| {
        let org = snapshot(id, spec.alias().as_str(), "Active", None);
        json!({"spec": spec, "organization": org})
    };
    let plain_a = spec("acme", "us-east-1", &[], None);
    let plain_b = spec("globex", "us-east-1", &[], None);
    assert_eq!(
        refused(stored(vec![with_org(&plain_a, 7), with_org(&plain_b, 7)])),
        "entries[1] (organization \"globex\") has an AWS snapshot this catalog refuses: \
         organization id m-00000000000000000000000000000007 is already recorded for \
         organization \"acme\", not \"globex\""
    );
    // A snapshot of another account.
    let foreign = snapshot(7, "acme", "Active", Some(("us-east-1", "444455556666")));
    assert!(refused(stored(vec![
        json!({"spec": plain_a, "organization": foreign})
    ]))
    .ends_with("its ARN names account 444455556666"));
    // A snapshot that contradicts its own spec is refused by the entry itself.
    let loud = with_field(
        &snapshot(7, "acme", "Active", None),
        "InteroperabilityEnabled",
        json!(true),
    );
    assert_eq!(
        serde_json::from_value::<Entry>(json!({"spec": plain_a, "organization": loud}))
            .unwrap_err()
            .to_string(),
        "AWS reports organization \"acme\" unlike its spec: interoperability: the spec has \
         false but AWS reports true"
    );
    // Unknown fields, at either level.
    let mut extra = stored(vec![entry(&plain_a)]);
    extra["shards"] = json!(64);
    assert!(refused(extra).starts_with("unknown field `shards`"));
    let odd_entry = json!({"spec": plain_a, "state": "Active"});
    assert!(refused(stored(vec![odd_entry])).starts_with("unknown field `state`"));
}

#[test]
fn from_entries_over_a_shared_registry() {
    let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
    let account = account("111122223333");
    // The registry outlived the catalog: it still holds acme for the catalog's own request.
    let own = AliasHolder::new(account.clone(), "us-east-1".parse().unwrap(), None);
    registry.reserve(&alias("acme"), own).unwrap();
    let entries = vec![
        Entry::new(spec("acme", "us-east-1", &["acme.com"], None)),
        Entry::new(spec("globex", "us-west-2", &["globex.com"], None)),
    ];
    let catalog =
        Catalog::from_entries(account.clone(), Arc::clone(&registry), entries.clone()).unwrap();
    assert_eq!(catalog.len(), 2);
    assert_eq!(registry.len(), 2);
    assert_eq!(catalog.limit(), 100);

    // Held by someone else: a conflict; the reservations the call made are released, the
    // others stay.
    let registry = Arc::new(InMemoryAliasRegistry::<AliasHolder>::new());
    let other = AliasHolder::new(
        "444455556666".parse().unwrap(),
        "eu-west-1".parse().unwrap(),
        None,
    );
    registry.reserve(&alias("GLOBEX"), other.clone()).unwrap();
    let err = Catalog::from_entries(account.clone(), Arc::clone(&registry), entries.clone())
        .expect_err("globex is held by another account");
    let RestoreError::Conflict {
        index, violations, ..
    } = &err
    else {
        panic!("{err}");
    };
    assert_eq!(*index, 1);
    assert_eq!(
        violations.as_slice()[0].message(),
        "organization alias \"GLOBEX\" is already held by an organization of account \
         444455556666 in eu-west-1"
    );
    assert_eq!(registry.len(), 1);
    assert_eq!(registry.holder(&alias("globex")).unwrap(), Some(other));

    // The storage fails on the second reservation: the first is released again.
    let failing = FailingRegistry::new();
    failing.reserves_left.store(1, Ordering::SeqCst);
    let Err(err) = Catalog::from_entries(account, &failing, entries) else {
        panic!("the storage fails");
    };
    assert!(matches!(err, RestoreError::Registry(_)));
    assert_eq!(
        chain(&err),
        [
            "alias registry storage failed",
            "connection to the registry database lost"
        ]
    );
    assert_eq!(
        format!("{err:?}"),
        "RestoreError(\"alias registry storage failed\")"
    );
    assert_eq!(failing.len(), 0);
}

#[test]
fn a_restored_catalog_may_be_over_a_lowered_quota() {
    let entries: Vec<Value> = ["one", "two", "three"]
        .iter()
        .map(|name| entry(&spec(name, "us-east-1", &[], None)))
        .collect();
    let mut value = stored(entries);
    value["limit"] = json!(2);
    let mut catalog: Catalog = serde_json::from_value(value).unwrap();
    assert_eq!((catalog.len(), catalog.limit()), (3, 2));
    let violations = rejected(catalog.admit(spec("four", "us-east-1", &[], None)));
    assert_eq!(
        violations.as_slice()[0].message(),
        "account 111122223333 already holds 3 organizations, its quota of 2"
    );
    // Removing one is not enough; removing two is.
    catalog.remove(&alias("one")).unwrap();
    assert!(catalog
        .check(&spec("four", "us-east-1", &[], None))
        .is_err());
    catalog.remove(&alias("two")).unwrap();
    assert_eq!(
        catalog.admit(spec("four", "us-east-1", &[], None)).unwrap(),
        Admission::New
    );
}

#[test]
fn recorded_ids_survive_the_restart() {
    let catalog = sample();
    let entries: Vec<Entry> = catalog.iter().cloned().collect();
    let registry = InMemoryAliasRegistry::<AliasHolder>::new();
    let mut rebuilt = Catalog::from_entries(catalog.account().clone(), registry, entries)
        .unwrap()
        .with_limit(catalog.limit());
    assert_eq!(answers(&rebuilt), answers(&catalog));
    // And recording goes on from there: the same id is the same organization.
    let later = with_field(
        &snapshot(0xa, "acme", "Impaired", Some(("us-east-1", "111122223333"))),
        "DirectoryId",
        json!("d-1234567890"),
    );
    rebuilt.record(later).unwrap();
    let err = rebuilt
        .record(snapshot(0xc, "initech", "Active", None))
        .unwrap_err();
    assert!(matches!(err, RecordError::IdChanged { .. }));
}

#[test]
fn a_recorded_state_must_follow_the_lifecycle_from_the_one_before() {
    use workmail_org::catalog::RecordError;
    use workmail_org::lifecycle::TransitionErrorKind;

    let mut catalog = Catalog::new("111122223333".parse().unwrap());
    catalog
        .admit(crate::catalog::spec("acme", "us-east-1", &[], None))
        .unwrap();
    let id = 7;
    for state in ["Requested", "Active", "Active", "Suspended", "Impaired"] {
        catalog
            .record(crate::catalog::snapshot(id, "acme", state, None))
            .unwrap_or_else(|err| panic!("{state}: {err}"));
    }
    // Impaired → Creating: no path in the table; the entry keeps what it had.
    let err = catalog
        .record(crate::catalog::snapshot(id, "acme", "Creating", None))
        .unwrap_err();
    let RecordError::State { error, .. } = &err else {
        panic!("expected a state error, got {err}");
    };
    assert_eq!(error.kind(), TransitionErrorKind::Unreachable);
    assert!(
        err.to_string().starts_with("organization \"acme\": "),
        "{err}"
    );
    let entry = catalog.get(&"acme".parse().unwrap()).unwrap();
    assert_eq!(
        entry.organization().map(|o| o.state().as_str()),
        Some("Impaired")
    );
}
