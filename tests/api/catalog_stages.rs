//! The stages of an entry on an `InMemoryStore`: `sent`, `created`, `record`, what a crash
//! leaves (`pending`, `list`), `release`, `resend`, and mail domains registered later.

use std::collections::BTreeMap;

use serde_json::json;
use workmail_org::{
    aws::{
        CreateAnswer, CreateOrganization, CreateOrganizationResponse, ListOrganizationsResponse,
    },
    catalog::{
        store::{Quota, Store, MAX_PAGE},
        Admission, Answered, CatalogError, Entry, EntryId, InMemoryStore, Lookup, LookupStep,
        RecordError, Release, Stage, UniquenessKey, DEFAULT_MIN_AGE,
    },
    lifecycle::TransitionErrorKind,
    Catalog, DomainName, OrganizationSpec, Region, Rule,
};

use crate::catalog::{
    account, admitted, alias, create, deleted_snapshot, org_id, poll_once, snapshot, spec,
    spec_with_token, with_field, ACCOUNT, NOW,
};

#[track_caller]
fn domain(name: &str) -> DomainName {
    name.parse().unwrap()
}

#[track_caller]
fn region(name: &str) -> Region {
    name.parse().unwrap()
}

#[track_caller]
fn call(spec: &OrganizationSpec) -> CreateOrganization {
    CreateOrganization::new(spec).expect("no new Route 53 domain")
}

fn response(n: u128) -> CreateOrganizationResponse {
    CreateOrganizationResponse::new(org_id(n))
}

/// The message of a catalog call that must fail.
#[track_caller]
fn failure<T: std::fmt::Debug>(result: Result<T, CatalogError>) -> String {
    match result {
        Err(err) => {
            assert_eq!(
                format!("{err:?}"),
                format!("CatalogError({:?})", err.to_string())
            );
            err.to_string()
        }
        Ok(value) => panic!("expected an error, got {value:?}"),
    }
}

/// A catalog holding "acme" (us-east-1, acme.com, directory d-1234567890) just admitted.
fn acme() -> (Catalog, Entry) {
    let catalog = Catalog::new(account(ACCOUNT));
    let acme_spec = spec("acme", "us-east-1", &["acme.com"], Some("d-1234567890"));
    let entry = admitted(catalog.blocking(|c| c.admit(&acme_spec, NOW)));
    (catalog, entry)
}

// ---------------------------------------------------------------------------------------
// sent

#[test]
fn sent_records_the_specs_request_once() {
    let (catalog, entry) = acme();
    assert_eq!((entry.stage(), entry.version()), (Stage::Reserved, 1));
    let acme_call = call(entry.spec());
    assert_eq!(
        acme_call.request().client_token(),
        None,
        "the spec has none"
    );
    let to_send = catalog
        .blocking(|c| c.sent(entry.id(), &acme_call, NOW + 10))
        .unwrap();
    // What goes out carries the token the store drew at admission.
    assert_eq!(to_send.request().client_token(), Some(entry.client_token()));
    assert_eq!(entry.client_token().as_str().len(), 32);
    let sent = catalog.blocking(|c| c.get(entry.id())).unwrap().unwrap();
    assert_eq!(sent.stage(), Stage::Sent);
    assert_eq!(sent.request(), Some(to_send.request()));
    assert_eq!(sent.call(), Some(to_send.clone()));
    assert_eq!(
        (sent.admitted_at(), sent.updated_at(), sent.version()),
        (NOW, NOW + 10, 2)
    );
    assert_eq!((sent.sends(), sent.sent_at()), (1, Some(NOW + 10)));
    // Sent again (a resend): the same call, counted.
    assert_eq!(
        catalog
            .blocking(|c| c.sent(entry.id(), &acme_call, NOW + 20))
            .unwrap(),
        to_send
    );
    let resent = catalog.blocking(|c| c.get(entry.id())).unwrap().unwrap();
    assert_eq!((resent.sends(), resent.sent_at()), (2, Some(NOW + 20)));
    assert_eq!(resent.request(), sent.request());
}

#[test]
fn every_entry_has_its_own_client_token() {
    let catalog = Catalog::new(account(ACCOUNT));
    let (a1, b1) = (
        spec("a1", "us-east-1", &[], None),
        spec("b1", "us-east-1", &[], None),
    );
    let a = admitted(catalog.blocking(|c| c.admit(&a1, NOW)));
    let b = admitted(catalog.blocking(|c| c.admit(&b1, NOW)));
    assert_ne!(a.client_token(), b.client_token());
    let own = spec_with_token("c1", "us-east-1", &[], None, Some("create-c1"));
    let c = admitted(catalog.blocking(|c| c.admit(&own, NOW)));
    assert_eq!(
        c.client_token().as_str(),
        "create-c1",
        "the user's own token wins"
    );
    // A source of the caller's own.
    let mut next = 0u8;
    let store = InMemoryStore::with_token_source(move || {
        next += 1;
        [next; 16]
    });
    let seeded = Catalog::open(account(ACCOUNT), store);
    let d1 = spec("d1", "us-east-1", &[], None);
    let d = admitted(seeded.blocking(|c| c.admit(&d1, NOW)));
    assert_eq!(d.client_token().as_str(), "01".repeat(16));
}

#[test]
fn sent_refuses_another_specs_or_regions_request() {
    let (catalog, entry) = acme();
    let not_its =
        "entry 1 (\"acme\"): the CreateOrganization request is not the one its spec makes";
    let others = [
        call(&spec("globex", "us-east-1", &["acme.com"], None)),
        // Only the alias's spelling differs.
        call(&spec(
            "ACME",
            "us-east-1",
            &["acme.com"],
            Some("d-1234567890"),
        )),
        // The right request, to another Region.
        CreateOrganization::from_parts(region("us-west-2"), call(entry.spec()).request().clone()),
    ];
    for other in &others {
        let err = catalog
            .blocking(|c| c.sent(entry.id(), other, NOW))
            .unwrap_err();
        assert!(matches!(err, CatalogError::NotItsRequest { .. }), "{err}");
        assert_eq!(err.to_string(), not_its);
        assert_eq!(err.rule(), None);
    }
    assert_eq!(
        catalog.blocking(|c| c.get(entry.id())).unwrap(),
        Some(entry.clone())
    );
    let entry_call = call(entry.spec());
    assert_eq!(
        failure(catalog.blocking(|c| c.sent(EntryId::new(9), &entry_call, NOW))),
        "account 111122223333 has no entry 9"
    );
}

#[test]
fn a_sent_entry_keeps_its_request() {
    // A new Route 53 domain's zone is known only when it is sent: the first one recorded
    // stays, and a request with another zone is refused.
    let catalog = Catalog::new(account(ACCOUNT));
    let new_domain: OrganizationSpec = serde_json::from_value(json!({
        "alias": "acme", "region": "us-east-1",
        "domains": [{"type": "new_route53", "name": "acme-mail.net"}],
    }))
    .unwrap();
    let entry = admitted(catalog.blocking(|c| c.admit(&new_domain, NOW)));
    let with_zone = |zone: &str| {
        let zones = BTreeMap::from([(domain("acme-mail.net"), zone.parse().unwrap())]);
        CreateOrganization::with_hosted_zones(&new_domain, &zones).unwrap()
    };
    let first = with_zone("Z111111QQQQQQQ");
    catalog
        .blocking(|c| c.sent(entry.id(), &first, NOW))
        .unwrap();
    catalog
        .blocking(|c| c.sent(entry.id(), &first, NOW))
        .unwrap();
    let other_zone = with_zone("Z222222QQQQQQQ");
    assert_eq!(
        failure(catalog.blocking(|c| c.sent(entry.id(), &other_zone, NOW))),
        "entry 1 (\"acme\") is sent; recording a send needs it reserved, or sent with this request"
    );
    let response_1 = response(1);
    catalog
        .blocking(|c| c.created(entry.id(), &response_1, NOW))
        .unwrap();
    assert_eq!(
        failure(catalog.blocking(|c| c.sent(entry.id(), &first, NOW))),
        "entry 1 (\"acme\") is created; recording a send needs it reserved, or sent with this request"
    );
    assert_eq!(
        catalog
            .blocking(|c| c.resend(entry.id(), NOW))
            .map_err(|err| err.to_string()),
        Err("entry 1 (\"acme\") is created; resending needs it sent".to_owned())
    );
}

// ---------------------------------------------------------------------------------------
// created

#[test]
fn created_records_the_organization_id_once() {
    let (catalog, entry) = acme();
    let response_1 = response(1);
    assert_eq!(
        failure(catalog.blocking(|c| c.created(entry.id(), &response_1, NOW))),
        "entry 1 (\"acme\") is reserved; recording the organization id needs it sent"
    );
    let entry_call = call(entry.spec());
    catalog
        .blocking(|c| c.sent(entry.id(), &entry_call, NOW))
        .unwrap();
    let created = catalog
        .blocking(|c| c.created(entry.id(), &response_1, NOW + 30))
        .unwrap();
    assert_eq!(created.stage(), Stage::Created);
    assert_eq!(created.organization_id(), Some(&org_id(1)));
    assert_eq!((created.version(), created.updated_at()), (3, NOW + 30));
    assert_eq!(
        catalog
            .blocking(|c| c.created(entry.id(), &response_1, NOW + 40))
            .unwrap(),
        created
    );
    let org_id_1 = org_id(1);
    assert_eq!(
        catalog
            .blocking(|c| c.by_organization_id(&org_id_1))
            .unwrap(),
        Some(created)
    );

    // Another id for the same entry is AWS contradicting itself.
    let response_2 = response(2);
    let err = catalog
        .blocking(|c| c.created(entry.id(), &response_2, NOW))
        .unwrap_err();
    assert!(
        matches!(err, CatalogError::Record(RecordError::IdChanged { .. })),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "organization \"acme\" was recorded as m-00000000000000000000000000000001 but AWS now \
         reports m-00000000000000000000000000000002"
    );
    assert_eq!(
        format!("{err:?}"),
        format!("CatalogError({:?})", err.to_string())
    );
    // Transparent: the chain holds the message once, and the inner error reads the same.
    assert_eq!(crate::catalog::chain(&err), [err.to_string()]);
    let CatalogError::Record(inner) = &err else {
        unreachable!("matched above")
    };
    assert_eq!(
        format!("{inner:?}"),
        format!("RecordError({:?})", err.to_string())
    );
}

#[test]
fn an_organization_id_belongs_to_one_entry() {
    let (catalog, acme) = acme();
    create(&catalog, &acme, 1, NOW);
    let globex_spec = spec("globex", "us-east-1", &[], None);
    let globex = admitted(catalog.blocking(|c| c.admit(&globex_spec, NOW)));
    let globex_call = call(globex.spec());
    catalog
        .blocking(|c| c.sent(globex.id(), &globex_call, NOW))
        .unwrap();
    let response_1 = response(1);
    let err = catalog
        .blocking(|c| c.created(globex.id(), &response_1, NOW))
        .unwrap_err();
    assert!(
        matches!(err, CatalogError::Record(RecordError::IdInUse { .. })),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "organization id m-00000000000000000000000000000001 is already recorded for another \
         entry, not \"globex\""
    );
    assert_eq!(
        catalog
            .blocking(|c| c.get(globex.id()))
            .unwrap()
            .map(|e| e.stage()),
        Some(Stage::Sent)
    );
}

// ---------------------------------------------------------------------------------------
// record

#[test]
fn record_finds_the_entry_by_organization_id_and_keeps_the_latest_snapshot() {
    let (catalog, entry) = acme();
    let creating = with_field(
        &snapshot(1, "ACME", "Creating", Some(("us-east-1", ACCOUNT))),
        "DirectoryId",
        json!("d-1234567890"),
    );
    let err = catalog.blocking(|c| c.record(&creating, NOW)).unwrap_err();
    assert!(
        matches!(err, CatalogError::Record(RecordError::NotFound { .. })),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "no organization m-00000000000000000000000000000001 (\"ACME\") in the store"
    );

    create(&catalog, &entry, 1, NOW);
    // An absent `InteroperabilityEnabled` is unknown, not a mismatch.
    assert_eq!(creating.interoperability_enabled(), None);
    let recorded = catalog.blocking(|c| c.record(&creating, NOW + 1)).unwrap();
    assert_eq!(recorded.stage(), Stage::Recorded);
    assert_eq!(recorded.organization(), Some(&creating));
    assert_eq!(
        catalog.blocking(|c| c.record(&creating, NOW + 2)).unwrap(),
        recorded
    );

    let active = with_field(&creating, "InteroperabilityEnabled", json!(false));
    let active = with_field(&active, "State", json!("Active"));
    let recorded = catalog.blocking(|c| c.record(&active, NOW + 3)).unwrap();
    assert_eq!(recorded.state().map(|s| s.as_str()), Some("Active"));
    let org_id_1 = org_id(1);
    assert_eq!(
        catalog
            .blocking(|c| c.by_organization_id(&org_id_1))
            .unwrap(),
        Some(recorded)
    );

    // A state this version does not know is kept, not refused.
    let unknown = with_field(&active, "State", json!("Hibernating"));
    let kept = catalog.blocking(|c| c.record(&unknown, NOW + 4)).unwrap();
    let state = kept.organization().unwrap().state();
    assert_eq!((state.as_str(), state.known()), ("Hibernating", None));
    assert_eq!(kept.state(), None);
    assert!(kept.is_live());
}

#[test]
fn record_refuses_what_contradicts_the_entry_and_changes_nothing() {
    let (catalog, entry) = acme();
    let created = create(&catalog, &entry, 1, NOW);
    let base = with_field(
        &snapshot(1, "acme", "Active", None),
        "DirectoryId",
        json!("d-1234567890"),
    );
    let cases = [
        (
            with_field(&base, "InteroperabilityEnabled", json!(true)),
            "AWS reports organization \"acme\" unlike its spec: interoperability: the spec has \
             false but AWS reports true",
        ),
        (
            with_field(&base, "DirectoryId", json!("d-0987654321")),
            "AWS reports organization \"acme\" unlike its spec: directory: the spec has \
             \"d-1234567890\" but AWS reports \"d-0987654321\"",
        ),
        (
            with_field(
                &base,
                "ARN",
                json!("arn:aws:workmail:eu-west-1:111122223333:organization/m-00000000000000000000000000000001"),
            ),
            "organization \"acme\" was specified in us-east-1 but its ARN names eu-west-1",
        ),
        (
            with_field(
                &base,
                "ARN",
                json!("arn:aws:workmail:us-east-1:444455556666:organization/m-00000000000000000000000000000001"),
            ),
            "organization \"acme\" belongs to account 111122223333 but its ARN names account \
             444455556666",
        ),
    ];
    for (organization, message) in cases {
        let err = catalog
            .blocking(|c| c.record(&organization, NOW))
            .unwrap_err();
        assert!(matches!(err, CatalogError::Record(_)), "{err}");
        assert_eq!(err.to_string(), message);
        assert_eq!(format!("{err:?}"), format!("CatalogError({message:?})"));
    }
    assert_eq!(
        catalog.blocking(|c| c.get(entry.id())).unwrap(),
        Some(created)
    );

    // Active back to Creating: no path in the lifecycle; the entry keeps Active.
    let recorded = catalog.blocking(|c| c.record(&base, NOW)).unwrap();
    let creating = with_field(&base, "State", json!("Creating"));
    let err = catalog.blocking(|c| c.record(&creating, NOW)).unwrap_err();
    let CatalogError::Record(RecordError::State { error, .. }) = &err else {
        panic!("expected a lifecycle refusal, got {err}");
    };
    assert_eq!(error.kind(), TransitionErrorKind::Unreachable);
    assert!(
        err.to_string().starts_with("organization \"acme\": "),
        "{err}"
    );
    assert_eq!(
        catalog.blocking(|c| c.get(entry.id())).unwrap(),
        Some(recorded)
    );
}

#[test]
fn another_accounts_organization_is_not_recorded() {
    let store = InMemoryStore::new();
    let first = Catalog::open(account(ACCOUNT), &store);
    let second = Catalog::open(account("444455556666"), &store);
    let acme = spec("acme", "us-east-1", &[], None);
    let entry = admitted(first.blocking(|c| c.admit(&acme, NOW)));
    create(&first, &entry, 1, NOW);
    let active = snapshot(1, "acme", "Active", None);
    let err = second.blocking(|c| c.record(&active, NOW)).unwrap_err();
    assert!(
        matches!(err, CatalogError::Record(RecordError::NotFound { .. })),
        "{err}"
    );
    let org_id_1 = org_id(1);
    assert_eq!(
        second
            .blocking(|c| c.by_organization_id(&org_id_1))
            .unwrap(),
        None
    );
    assert_eq!(
        first
            .blocking(|c| c.get(entry.id()))
            .unwrap()
            .map(|e| e.stage()),
        Some(Stage::Created)
    );
}

#[test]
fn a_deleted_snapshot_frees_every_key_and_the_quota_and_keeps_the_history() {
    let (catalog, entry) = acme();
    catalog.blocking(|c| c.set_limit(Some(1))).unwrap();
    let created = create(&catalog, &entry, 1, NOW);
    let acme_org = domain("acme.org");
    let registered = catalog
        .blocking(|c| c.register_mail_domain(entry.id(), &acme_org, NOW))
        .unwrap();
    assert_eq!(registered.keys().len(), 4);
    let deleted_report = deleted_snapshot(&created, 1);
    let deleted = catalog
        .blocking(|c| c.record(&deleted_report, NOW + 100))
        .unwrap();
    assert!(!deleted.is_live());
    assert_eq!(deleted.stage(), Stage::Recorded);
    assert!(deleted.mail_domains().is_empty());
    assert!(deleted.keys().is_empty());
    assert_eq!(catalog.blocking(|c| c.quota()).unwrap(), Quota::new(0, 1));

    // Findable as history, by id and by organization id; not by alias.
    assert_eq!(
        catalog.blocking(|c| c.get(entry.id())).unwrap(),
        Some(deleted.clone())
    );
    let org_id_1 = org_id(1);
    assert_eq!(
        catalog
            .blocking(|c| c.by_organization_id(&org_id_1))
            .unwrap(),
        Some(deleted.clone())
    );
    let acme_alias = alias("acme");
    assert_eq!(catalog.blocking(|c| c.by_alias(&acme_alias)).unwrap(), None);
    assert_eq!(
        catalog.blocking(|c| c.list(None, None, 10)).unwrap(),
        std::slice::from_ref(&deleted)
    );
    for key in registered.keys() {
        assert_eq!(catalog.blocking(|c| c.holder(&key)).unwrap(), None, "{key}");
    }

    // Every key is free for another organization.
    let again = spec(
        "ACME",
        "us-east-1",
        &["acme.org", "acme.com"],
        Some("d-1234567890"),
    );
    let successor = admitted(catalog.blocking(|c| c.admit(&again, NOW)));
    assert_eq!(
        catalog.blocking(|c| c.by_alias(&acme_alias)).unwrap(),
        Some(successor)
    );

    // History does not move: `Deleted` seen again is no change, and nothing follows it.
    assert_eq!(
        catalog
            .blocking(|c| c.record(&deleted_report, NOW + 200))
            .unwrap(),
        deleted
    );
    let revived = with_field(&deleted_snapshot(&created, 1), "State", json!("Active"));
    let err = catalog.blocking(|c| c.record(&revived, NOW)).unwrap_err();
    assert!(
        matches!(err, CatalogError::Record(RecordError::State { .. })),
        "{err}"
    );
    let deleted_message = "entry 1 (\"acme\") is deleted";
    let entry_call = call(entry.spec());
    assert_eq!(
        failure(catalog.blocking(|c| c.sent(entry.id(), &entry_call, NOW))),
        deleted_message
    );
    let response_1 = response(1);
    assert_eq!(
        failure(catalog.blocking(|c| c.created(entry.id(), &response_1, NOW))),
        deleted_message
    );
    let acme_net = domain("acme.net");
    assert_eq!(
        failure(catalog.blocking(|c| c.register_mail_domain(entry.id(), &acme_net, NOW))),
        deleted_message
    );
    let acme_com = domain("acme.com");
    assert_eq!(
        failure(catalog.blocking(|c| c.deregister_mail_domain(entry.id(), &acme_com, NOW))),
        deleted_message
    );
    assert_eq!(
        failure(catalog.blocking(|c| c.release(entry.id(), Release::NothingSent, NOW))),
        "entry 1 (\"acme\") is recorded; releasing with nothing sent needs it reserved"
    );
    assert_eq!(
        catalog.blocking(|c| c.get(entry.id())).unwrap(),
        Some(deleted)
    );
}

#[test]
fn a_deleted_entrys_client_token_still_names_its_request() {
    // The token names one request for as long as the store keeps its entry: the identical
    // spec is that (deleted) entry, another spec is refused.
    let catalog = Catalog::new(account(ACCOUNT));
    let tokened = spec_with_token("acme", "us-east-1", &[], None, Some("create-acme-1"));
    let entry = admitted(catalog.blocking(|c| c.admit(&tokened, NOW)));
    let created = create(&catalog, &entry, 1, NOW);
    let deleted_report = deleted_snapshot(&created, 1);
    let deleted = catalog
        .blocking(|c| c.record(&deleted_report, NOW))
        .unwrap();
    assert_eq!(
        catalog.blocking(|c| c.admit(&tokened, NOW)).unwrap(),
        Admission::AlreadyAdmitted(deleted)
    );
    let other = spec_with_token("globex", "us-east-1", &[], None, Some("create-acme-1"));
    let rules: Vec<Rule> = match catalog.blocking(|c| c.admit(&other, NOW)) {
        Err(workmail_org::catalog::AdmitError::Rejected(rejection)) => {
            let violations = rejection.violations();
            violations.iter().map(|v| v.rule()).collect()
        }
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(rules, [Rule::ClientTokenReused]);
}

// ---------------------------------------------------------------------------------------
// What a crash leaves: pending and list

#[test]
fn pending_lists_the_untouched_reserved_and_sent_entries_in_pages() {
    let catalog = Catalog::new(account(ACCOUNT));
    let mut ids = Vec::new();
    for (i, name) in ["a1", "a2", "a3", "a4", "a5", "a6"].iter().enumerate() {
        let region = if i % 2 == 0 { "us-east-1" } else { "eu-west-1" };
        let candidate = spec(name, region, &[], None);
        let entry = admitted(catalog.blocking(|c| c.admit(&candidate, NOW + i as u64)));
        ids.push(entry.id());
    }
    // a2 sent late, a3 created, a4 released: pending before NOW + 10 are a1, a5 and a6.
    let a2 = catalog.blocking(|c| c.get(ids[1])).unwrap().unwrap();
    let a2_call = call(a2.spec());
    catalog
        .blocking(|c| c.sent(a2.id(), &a2_call, NOW + 50))
        .unwrap();
    let a3 = catalog.blocking(|c| c.get(ids[2])).unwrap().unwrap();
    create(&catalog, &a3, 3, NOW + 2);
    catalog
        .blocking(|c| c.release(ids[3], Release::NothingSent, NOW))
        .unwrap();

    let names = |entries: Vec<Entry>| -> Vec<String> {
        entries.iter().map(|e| e.alias().to_string()).collect()
    };
    assert_eq!(
        names(catalog.blocking(|c| c.pending(NOW + 10, None, 10)).unwrap()),
        ["a1", "a5", "a6"]
    );
    assert_eq!(
        names(catalog.blocking(|c| c.pending(NOW + 51, None, 10)).unwrap()),
        ["a1", "a2", "a5", "a6"]
    );
    // `older_than` is exclusive: a5 changed at NOW + 4.
    assert_eq!(
        names(catalog.blocking(|c| c.pending(NOW + 4, None, 10)).unwrap()),
        ["a1"]
    );
    // Paged: two at a time, each page after the last id of the one before.
    let first = catalog.blocking(|c| c.pending(NOW + 51, None, 2)).unwrap();
    assert_eq!(names(first.clone()), ["a1", "a2"]);
    let second = catalog
        .blocking(|c| c.pending(NOW + 51, Some(first[1].id()), 2))
        .unwrap();
    assert_eq!(names(second.clone()), ["a5", "a6"]);
    assert!(catalog
        .blocking(|c| c.pending(NOW + 51, Some(second[1].id()), 2))
        .unwrap()
        .is_empty());

    // `list` has every entry, by Region on request, in id order; a limit of 0 is 1.
    assert_eq!(
        names(
            catalog
                .blocking(|c| c.list(None, None, MAX_PAGE + 1))
                .unwrap()
        ),
        ["a1", "a2", "a3", "a5", "a6"]
    );
    assert_eq!(
        names(
            catalog
                .blocking(|c| c.list(Some(region("us-east-1")), None, 10))
                .unwrap()
        ),
        ["a1", "a3", "a5"]
    );
    assert_eq!(
        names(catalog.blocking(|c| c.list(None, Some(ids[1]), 0)).unwrap()),
        ["a3"]
    );
    assert!(catalog
        .blocking(|c| c.list(Some(region("us-west-2")), None, 10))
        .unwrap()
        .is_empty());
    assert!(Catalog::new(account("444455556666"))
        .blocking(|c| c.list(None, None, 10))
        .unwrap()
        .is_empty());
}

#[test]
fn list_pages_through_more_than_one_page() {
    let catalog = Catalog::new(account(ACCOUNT));
    catalog.blocking(|c| c.set_limit(Some(2_500))).unwrap();
    for i in 0..2_100 {
        let org = spec(&format!("org{i}"), "us-east-1", &[], None);
        catalog.blocking(|c| c.admit(&org, NOW)).unwrap();
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = catalog
            .blocking(|c| c.list(None, after, usize::MAX))
            .unwrap();
        let Some(last) = page.last() else { break };
        assert!(page.len() <= MAX_PAGE);
        after = Some(last.id());
        seen.extend(page.iter().map(|e| e.id().get()));
    }
    assert_eq!(seen, (1..=2_100).collect::<Vec<u64>>());
}

// ---------------------------------------------------------------------------------------
// release and resend

#[test]
fn release_frees_what_was_never_created() {
    let (catalog, entry) = acme();
    // Reserved: either way. Sent: only once AWS is known to have no such organization.
    catalog
        .blocking(|c| c.release(entry.id(), Release::NothingSent, NOW))
        .unwrap();
    let again = admitted(catalog.blocking(|c| c.admit(entry.spec(), NOW)));
    assert_eq!(again.id(), EntryId::new(2), "ids are never reused");
    catalog
        .blocking(|c| c.release(again.id(), Release::NothingSent, NOW))
        .unwrap();
    let sent = admitted(catalog.blocking(|c| c.admit(entry.spec(), NOW)));
    let sent_call = call(sent.spec());
    catalog
        .blocking(|c| c.sent(sent.id(), &sent_call, NOW))
        .unwrap();
    assert_eq!(
        failure(catalog.blocking(|c| c.release(sent.id(), Release::NothingSent, NOW))),
        "entry 3 (\"acme\") is sent; releasing with nothing sent needs it reserved"
    );
    // A sent entry goes only on a lookup's evidence: every page read, no match, and the
    // minimum age passed since the last send.
    let Answered::Lookup(mut lookup) = catalog
        .blocking(|c| c.answered(sent.id(), &CreateAnswer::TimedOut, NOW))
        .unwrap()
    else {
        panic!("a timeout does not say")
    };
    let empty = ListOrganizationsResponse::new(Vec::new(), None);
    assert_eq!(
        lookup.page(&empty),
        LookupStep::TooSoon {
            retry_at: NOW + DEFAULT_MIN_AGE
        }
    );
    let later = NOW + DEFAULT_MIN_AGE;
    let sent_entry = catalog.blocking(|c| c.get(sent.id())).unwrap().unwrap();
    let mut lookup = Lookup::new(&sent_entry, later).unwrap();
    let LookupStep::NotCreated(evidence) = lookup.page(&empty) else {
        panic!("no match, old enough")
    };
    assert_eq!((evidence.entry(), evidence.pages()), (sent.id(), 1));
    let released = catalog
        .blocking(|c| c.release(sent.id(), Release::NotCreated(evidence.clone()), later))
        .unwrap();
    assert_eq!(released.stage(), Stage::Sent);

    // Gone, with every key, its quota and its history.
    assert_eq!(catalog.blocking(|c| c.get(sent.id())).unwrap(), None);
    assert_eq!(catalog.blocking(|c| c.quota()).unwrap().live, 0);
    for key in catalog.keys(entry.spec()).iter() {
        assert_eq!(catalog.blocking(|c| c.holder(key)).unwrap(), None, "{key}");
    }
    assert!(catalog
        .blocking(|c| c.list(None, None, 10))
        .unwrap()
        .is_empty());
    assert_eq!(
        failure(catalog.blocking(|c| c.release(sent.id(), Release::NotCreated(evidence), later))),
        "account 111122223333 has no entry 3"
    );
}

#[test]
fn a_created_organization_is_never_released() {
    let (catalog, entry) = acme();
    let created = create(&catalog, &entry, 1, NOW);
    let message = failure(catalog.blocking(|c| c.release(entry.id(), Release::NothingSent, NOW)));
    assert!(
        message.starts_with("entry 1 (\"acme\") is created; releasing"),
        "{message}"
    );
    let with_directory = with_field(
        &snapshot(1, "acme", "Active", None),
        "DirectoryId",
        json!("d-1234567890"),
    );
    catalog
        .blocking(|c| c.record(&with_directory, NOW))
        .unwrap();
    assert_eq!(
        failure(catalog.blocking(|c| c.release(entry.id(), Release::NothingSent, NOW))),
        "entry 1 (\"acme\") is recorded; releasing with nothing sent needs it reserved"
    );
    assert_eq!(
        catalog
            .blocking(|c| c.get(entry.id()))
            .unwrap()
            .map(|e| e.organization_id().cloned()),
        Some(created.organization_id().cloned())
    );
    assert_eq!(catalog.blocking(|c| c.quota()).unwrap().live, 1);
}

#[test]
fn a_released_token_is_free_again() {
    let catalog = Catalog::new(account(ACCOUNT));
    let first = spec_with_token("acme", "us-east-1", &[], None, Some("create-1"));
    let entry = admitted(catalog.blocking(|c| c.admit(&first, NOW)));
    catalog
        .blocking(|c| c.release(entry.id(), Release::NothingSent, NOW))
        .unwrap();
    let other = spec_with_token("globex", "us-east-1", &[], None, Some("create-1"));
    admitted(catalog.blocking(|c| c.admit(&other, NOW)));
}

#[test]
fn another_accounts_entry_is_not_found() {
    let store = InMemoryStore::new();
    let first = Catalog::open(account(ACCOUNT), &store);
    let second = Catalog::open(account("444455556666"), &store);
    let acme = spec("acme", "us-east-1", &["acme.com"], None);
    let entry = admitted(first.blocking(|c| c.admit(&acme, NOW)));
    let not_found = "account 444455556666 has no entry 1";
    assert_eq!(
        failure(second.blocking(|c| c.release(entry.id(), Release::NothingSent, NOW))),
        not_found
    );
    let entry_call = call(entry.spec());
    assert_eq!(
        failure(second.blocking(|c| c.sent(entry.id(), &entry_call, NOW))),
        not_found
    );
    assert_eq!(
        failure(second.blocking(|c| c.resend(entry.id(), NOW))),
        not_found
    );
    let acme_org = domain("acme.org");
    assert_eq!(
        failure(second.blocking(|c| c.register_mail_domain(entry.id(), &acme_org, NOW))),
        not_found
    );
    let acme_com = domain("acme.com");
    assert_eq!(
        failure(second.blocking(|c| c.deregister_mail_domain(entry.id(), &acme_com, NOW))),
        not_found
    );
    assert_eq!(poll_once(store.entry(entry.id())).unwrap(), Some(entry));
}

#[test]
fn resend_gives_back_the_recorded_request_and_region() {
    let catalog = Catalog::new(account(ACCOUNT));
    let tokened = spec_with_token(
        "acme",
        "eu-west-1",
        &["acme.com"],
        None,
        Some("create-acme-1"),
    );
    let entry = admitted(catalog.blocking(|c| c.admit(&tokened, NOW)));
    assert_eq!(
        failure(catalog.blocking(|c| c.resend(entry.id(), NOW))),
        "entry 1 (\"acme\") is reserved; resending needs it sent"
    );
    let sent_call = call(&tokened);
    catalog
        .blocking(|c| c.sent(entry.id(), &sent_call, NOW))
        .unwrap();
    let resent = catalog.blocking(|c| c.resend(entry.id(), NOW + 5)).unwrap();
    assert_eq!(resent, sent_call);
    assert_eq!(resent.region(), region("eu-west-1"));
    assert_eq!(
        resent.request().client_token().map(|t| t.as_str()),
        Some("create-acme-1")
    );
    let entry = catalog.blocking(|c| c.get(entry.id())).unwrap().unwrap();
    assert_eq!((entry.sends(), entry.sent_at()), (2, Some(NOW + 5)));
}

// ---------------------------------------------------------------------------------------
// Mail domains

#[test]
fn mail_domains_are_registered_and_deregistered_with_their_keys() {
    let (catalog, entry) = acme();
    let acme_net = domain("Acme.NET");
    let registered = catalog
        .blocking(|c| c.register_mail_domain(entry.id(), &acme_net, NOW + 1))
        .unwrap();
    assert_eq!(
        registered.mail_domains(),
        [domain("acme.com"), domain("acme.net")]
    );
    assert_eq!(registered.version(), 2);
    let key = UniquenessKey::Domain(domain("acme.net"));
    assert_eq!(
        catalog
            .blocking(|c| c.holder(&key))
            .unwrap()
            .map(|h| h.entry),
        Some(entry.id())
    );
    // Registering a domain it holds changes nothing.
    let acme_com = domain("acme.com");
    assert_eq!(
        catalog
            .blocking(|c| c.register_mail_domain(entry.id(), &acme_com, NOW + 2))
            .unwrap(),
        registered
    );

    let deregistered = catalog
        .blocking(|c| c.deregister_mail_domain(entry.id(), &acme_com, NOW + 3))
        .unwrap();
    assert_eq!(deregistered.mail_domains(), [domain("acme.net")]);
    let key_acme_com = UniquenessKey::Domain(domain("acme.com"));
    assert_eq!(catalog.blocking(|c| c.holder(&key_acme_com)).unwrap(), None);
    let err = catalog
        .blocking(|c| c.deregister_mail_domain(entry.id(), &acme_com, NOW))
        .unwrap_err();
    assert!(
        matches!(err, CatalogError::MailDomainNotHeld { .. }),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "entry 1 (\"acme\") holds no mail domain \"acme.com\""
    );
    assert_eq!(err.rule(), None);
    // The freed domain is another organization's to take.
    let globex = spec("globex", "us-east-1", &["acme.com"], None);
    admitted(catalog.blocking(|c| c.admit(&globex, NOW)));
}

#[test]
fn a_domain_in_use_is_refused_and_changes_nothing() {
    let store = InMemoryStore::new();
    let first = Catalog::open(account(ACCOUNT), &store);
    let second = Catalog::open(account("444455556666"), &store);
    let acme_spec = spec("acme", "us-east-1", &["acme.com"], None);
    let acme = admitted(first.blocking(|c| c.admit(&acme_spec, NOW)));
    let globex_spec = spec("globex", "us-west-2", &["globex.com"], None);
    let globex = admitted(first.blocking(|c| c.admit(&globex_spec, NOW)));
    let initech_spec = spec("initech", "eu-west-1", &["initech.io"], None);
    let initech = admitted(second.blocking(|c| c.admit(&initech_spec, NOW)));

    // Held in the same account, and in another one.
    let cases = [
        (
            "globex.com",
            "organization \"globex\" of account 111122223333 in us-west-2 (entry 2)",
        ),
        (
            "initech.io",
            "organization \"initech\" of account 444455556666 in eu-west-1 (entry 3)",
        ),
    ];
    for (name, holder) in cases {
        let name_domain = domain(name);
        let err = first
            .blocking(|c| c.register_mail_domain(acme.id(), &name_domain, NOW))
            .unwrap_err();
        let CatalogError::MailDomainInUse {
            id,
            domain: refused,
            holder: held_by,
            ..
        } = &err
        else {
            panic!("expected MailDomainInUse, got {err}");
        };
        assert_eq!(
            (*id, refused.as_str(), held_by.to_string()),
            (acme.id(), name, holder.to_owned())
        );
        assert_eq!(err.rule(), Some(Rule::DomainsInUse));
        assert_eq!(
            Rule::DomainsInUse.code(),
            workmail_org::AwsErrorCode::MailDomainInUse
        );
        assert_eq!(
            err.to_string(),
            format!("entry 1: domain \"{name}\" is in use [domains.in_use, MailDomainInUse]")
        );
        assert_eq!(
            format!("{err:?}"),
            format!("CatalogError({:?})", err.to_string())
        );
    }
    // Nothing moved: every entry and key as before.
    assert_eq!(first.blocking(|c| c.get(acme.id())).unwrap(), Some(acme));
    assert_eq!(
        first.blocking(|c| c.get(globex.id())).unwrap(),
        Some(globex.clone())
    );
    assert_eq!(
        second.blocking(|c| c.get(initech.id())).unwrap(),
        Some(initech)
    );
    assert_eq!(
        poll_once(store.holder(&UniquenessKey::Domain(domain("globex.com"))))
            .unwrap()
            .map(|h| h.entry),
        Some(globex.id())
    );
}
