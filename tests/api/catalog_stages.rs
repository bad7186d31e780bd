//! The stages of an entry on an `InMemoryStore`: `sent`, `created`, `record`, what a crash
//! leaves (`pending`, `list`), `release`, `resume`, and mail domains registered later.

use std::collections::BTreeMap;

use serde_json::json;
use workmail_org::{
    aws::{CreateOrganization, CreateOrganizationResponse},
    catalog::{
        Admission, CatalogError, Entry, EntryId, InMemoryStore, Quota, RecordError, Release, Stage,
        Store, UniquenessKey, MAX_PAGE,
    },
    lifecycle::TransitionErrorKind,
    Catalog, DomainName, OrganizationSpec, Region, Rule,
};

use crate::catalog::{
    account, admitted, alias, create, deleted_snapshot, org_id, snapshot, spec, spec_with_token,
    with_field, ACCOUNT, NOW,
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
    let entry = admitted(catalog.admit(
        &spec("acme", "us-east-1", &["acme.com"], Some("d-1234567890")),
        NOW,
    ));
    (catalog, entry)
}

// ---------------------------------------------------------------------------------------
// sent

#[test]
fn sent_records_the_specs_request_once() {
    let (catalog, entry) = acme();
    assert_eq!((entry.stage(), entry.version()), (Stage::Reserved, 1));
    let acme_call = call(entry.spec());
    let sent = catalog.sent(entry.id(), &acme_call, NOW + 10).unwrap();
    assert_eq!(sent.stage(), Stage::Sent);
    assert_eq!(sent.request(), Some(acme_call.request()));
    assert_eq!(
        (sent.admitted_at(), sent.updated_at(), sent.version()),
        (NOW, NOW + 10, 2)
    );
    // Sent again (a retry of the step): nothing changes.
    assert_eq!(
        catalog.sent(entry.id(), &acme_call, NOW + 20).unwrap(),
        sent
    );
    assert_eq!(catalog.get(entry.id()).unwrap(), Some(sent));
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
        let err = catalog.sent(entry.id(), other, NOW).unwrap_err();
        assert!(matches!(err, CatalogError::NotItsRequest { .. }), "{err}");
        assert_eq!(err.to_string(), not_its);
        assert_eq!(err.rule(), None);
    }
    assert_eq!(catalog.get(entry.id()).unwrap(), Some(entry.clone()));
    assert_eq!(
        failure(catalog.sent(EntryId::new(9), &call(entry.spec()), NOW)),
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
    let entry = admitted(catalog.admit(&new_domain, NOW));
    let with_zone = |zone: &str| {
        let zones = BTreeMap::from([(domain("acme-mail.net"), zone.parse().unwrap())]);
        CreateOrganization::with_hosted_zones(&new_domain, &zones).unwrap()
    };
    let first = with_zone("Z111111QQQQQQQ");
    catalog.sent(entry.id(), &first, NOW).unwrap();
    catalog.sent(entry.id(), &first, NOW).unwrap();
    assert_eq!(
        failure(catalog.sent(entry.id(), &with_zone("Z222222QQQQQQQ"), NOW)),
        "entry 1 (\"acme\") is sent; recording the request needs it reserved"
    );
    catalog.created(entry.id(), &response(1), NOW).unwrap();
    assert_eq!(
        failure(catalog.sent(entry.id(), &first, NOW)),
        "entry 1 (\"acme\") is created; recording the request needs it reserved"
    );
    assert_eq!(
        catalog.resume(entry.id()).map_err(|err| err.to_string()),
        Err("entry 1 (\"acme\") is created; resuming needs it sent".to_owned())
    );
}

// ---------------------------------------------------------------------------------------
// created

#[test]
fn created_records_the_organization_id_once() {
    let (catalog, entry) = acme();
    assert_eq!(
        failure(catalog.created(entry.id(), &response(1), NOW)),
        "entry 1 (\"acme\") is reserved; recording the organization id needs it sent"
    );
    catalog.sent(entry.id(), &call(entry.spec()), NOW).unwrap();
    let created = catalog.created(entry.id(), &response(1), NOW + 30).unwrap();
    assert_eq!(created.stage(), Stage::Created);
    assert_eq!(created.organization_id(), Some(&org_id(1)));
    assert_eq!((created.version(), created.updated_at()), (3, NOW + 30));
    assert_eq!(
        catalog.created(entry.id(), &response(1), NOW + 40).unwrap(),
        created
    );
    assert_eq!(
        catalog.by_organization_id(&org_id(1)).unwrap(),
        Some(created)
    );

    // Another id for the same entry is AWS contradicting itself.
    let err = catalog.created(entry.id(), &response(2), NOW).unwrap_err();
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
    let globex = admitted(catalog.admit(&spec("globex", "us-east-1", &[], None), NOW));
    catalog
        .sent(globex.id(), &call(globex.spec()), NOW)
        .unwrap();
    let err = catalog.created(globex.id(), &response(1), NOW).unwrap_err();
    assert!(
        matches!(err, CatalogError::Record(RecordError::IdInUse { .. })),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "organization id m-00000000000000000000000000000001 is already recorded for entry 1, \
         not \"globex\""
    );
    assert_eq!(
        catalog.get(globex.id()).unwrap().map(|e| e.stage()),
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
    let err = catalog.record(&creating, NOW).unwrap_err();
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
    let recorded = catalog.record(&creating, NOW + 1).unwrap();
    assert_eq!(recorded.stage(), Stage::Recorded);
    assert_eq!(recorded.organization(), Some(&creating));
    assert_eq!(catalog.record(&creating, NOW + 2).unwrap(), recorded);

    let active = with_field(&creating, "InteroperabilityEnabled", json!(false));
    let active = with_field(&active, "State", json!("Active"));
    let recorded = catalog.record(&active, NOW + 3).unwrap();
    assert_eq!(recorded.state().map(|s| s.as_str()), Some("Active"));
    assert_eq!(
        catalog.by_organization_id(&org_id(1)).unwrap(),
        Some(recorded)
    );

    // A state this version does not know is kept, not refused.
    let unknown = with_field(&active, "State", json!("Hibernating"));
    let kept = catalog.record(&unknown, NOW + 4).unwrap();
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
        let err = catalog.record(&organization, NOW).unwrap_err();
        assert!(matches!(err, CatalogError::Record(_)), "{err}");
        assert_eq!(err.to_string(), message);
        assert_eq!(format!("{err:?}"), format!("CatalogError({message:?})"));
    }
    assert_eq!(catalog.get(entry.id()).unwrap(), Some(created));

    // Active back to Creating: no path in the lifecycle; the entry keeps Active.
    let recorded = catalog.record(&base, NOW).unwrap();
    let err = catalog
        .record(&with_field(&base, "State", json!("Creating")), NOW)
        .unwrap_err();
    let CatalogError::Record(RecordError::State { error, .. }) = &err else {
        panic!("expected a lifecycle refusal, got {err}");
    };
    assert_eq!(error.kind(), TransitionErrorKind::Unreachable);
    assert!(
        err.to_string().starts_with("organization \"acme\": "),
        "{err}"
    );
    assert_eq!(catalog.get(entry.id()).unwrap(), Some(recorded));
}

#[test]
fn another_accounts_organization_is_not_recorded() {
    let store = InMemoryStore::new();
    let first = Catalog::open(account(ACCOUNT), &store);
    let second = Catalog::open(account("444455556666"), &store);
    let entry = admitted(first.admit(&spec("acme", "us-east-1", &[], None), NOW));
    create(&first, &entry, 1, NOW);
    let err = second
        .record(&snapshot(1, "acme", "Active", None), NOW)
        .unwrap_err();
    assert!(
        matches!(err, CatalogError::Record(RecordError::NotFound { .. })),
        "{err}"
    );
    assert_eq!(second.by_organization_id(&org_id(1)).unwrap(), None);
    assert_eq!(
        first.get(entry.id()).unwrap().map(|e| e.stage()),
        Some(Stage::Created)
    );
}

#[test]
fn a_deleted_snapshot_frees_every_key_and_the_quota_and_keeps_the_history() {
    let (catalog, entry) = acme();
    catalog.set_limit(Some(1)).unwrap();
    let created = create(&catalog, &entry, 1, NOW);
    let registered = catalog
        .register_mail_domain(entry.id(), &domain("acme.org"), NOW)
        .unwrap();
    assert_eq!(registered.keys().len(), 4);
    let deleted = catalog
        .record(&deleted_snapshot(&created, 1), NOW + 100)
        .unwrap();
    assert!(!deleted.is_live());
    assert_eq!(deleted.stage(), Stage::Recorded);
    assert!(deleted.mail_domains().is_empty());
    assert!(deleted.keys().is_empty());
    assert_eq!(catalog.quota().unwrap(), Quota::new(0, 1));

    // Findable as history, by id and by organization id; not by alias.
    assert_eq!(catalog.get(entry.id()).unwrap(), Some(deleted.clone()));
    assert_eq!(
        catalog.by_organization_id(&org_id(1)).unwrap(),
        Some(deleted.clone())
    );
    assert_eq!(catalog.by_alias(&alias("acme")).unwrap(), None);
    assert_eq!(
        catalog.list(None, None, 10).unwrap(),
        std::slice::from_ref(&deleted)
    );
    for key in registered.keys() {
        assert_eq!(catalog.holder(&key).unwrap(), None, "{key}");
    }

    // Every key is free for another organization.
    let again = spec(
        "ACME",
        "us-east-1",
        &["acme.org", "acme.com"],
        Some("d-1234567890"),
    );
    let successor = admitted(catalog.admit(&again, NOW));
    assert_eq!(catalog.by_alias(&alias("acme")).unwrap(), Some(successor));

    // History does not move: `Deleted` seen again is no change, and nothing follows it.
    assert_eq!(
        catalog
            .record(&deleted_snapshot(&created, 1), NOW + 200)
            .unwrap(),
        deleted
    );
    let revived = with_field(&deleted_snapshot(&created, 1), "State", json!("Active"));
    let err = catalog.record(&revived, NOW).unwrap_err();
    assert!(
        matches!(err, CatalogError::Record(RecordError::State { .. })),
        "{err}"
    );
    let deleted_message = "entry 1 (\"acme\") is deleted";
    assert_eq!(
        failure(catalog.sent(entry.id(), &call(entry.spec()), NOW)),
        deleted_message
    );
    assert_eq!(
        failure(catalog.created(entry.id(), &response(1), NOW)),
        deleted_message
    );
    assert_eq!(
        failure(catalog.register_mail_domain(entry.id(), &domain("acme.net"), NOW)),
        deleted_message
    );
    assert_eq!(
        failure(catalog.deregister_mail_domain(entry.id(), &domain("acme.com"), NOW)),
        deleted_message
    );
    assert_eq!(
        failure(catalog.release(entry.id(), Release::NotCreated)),
        "entry 1 (\"acme\") is recorded; releasing as not created needs it reserved or sent"
    );
    assert_eq!(catalog.get(entry.id()).unwrap(), Some(deleted));
}

#[test]
fn a_deleted_entrys_client_token_still_names_its_request() {
    // The token names one request for as long as the store keeps its entry: the identical
    // spec is that (deleted) entry, another spec is refused.
    let catalog = Catalog::new(account(ACCOUNT));
    let tokened = spec_with_token("acme", "us-east-1", &[], None, Some("create-acme-1"));
    let entry = admitted(catalog.admit(&tokened, NOW));
    let created = create(&catalog, &entry, 1, NOW);
    let deleted = catalog.record(&deleted_snapshot(&created, 1), NOW).unwrap();
    assert_eq!(
        catalog.admit(&tokened, NOW).unwrap(),
        Admission::AlreadyAdmitted(deleted)
    );
    let other = spec_with_token("globex", "us-east-1", &[], None, Some("create-acme-1"));
    let rules: Vec<Rule> = match catalog.admit(&other, NOW) {
        Err(workmail_org::catalog::AdmitError::Rejected(violations)) => {
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
        let entry = admitted(catalog.admit(&spec(name, region, &[], None), NOW + i as u64));
        ids.push(entry.id());
    }
    // a2 sent late, a3 created, a4 released: pending before NOW + 10 are a1, a5 and a6.
    let a2 = catalog.get(ids[1]).unwrap().unwrap();
    catalog.sent(a2.id(), &call(a2.spec()), NOW + 50).unwrap();
    let a3 = catalog.get(ids[2]).unwrap().unwrap();
    create(&catalog, &a3, 3, NOW + 2);
    catalog.release(ids[3], Release::NothingSent).unwrap();

    let names = |entries: Vec<Entry>| -> Vec<String> {
        entries.iter().map(|e| e.alias().to_string()).collect()
    };
    assert_eq!(
        names(catalog.pending(NOW + 10, None, 10).unwrap()),
        ["a1", "a5", "a6"]
    );
    assert_eq!(
        names(catalog.pending(NOW + 51, None, 10).unwrap()),
        ["a1", "a2", "a5", "a6"]
    );
    // `older_than` is exclusive: a5 changed at NOW + 4.
    assert_eq!(names(catalog.pending(NOW + 4, None, 10).unwrap()), ["a1"]);
    // Paged: two at a time, each page after the last id of the one before.
    let first = catalog.pending(NOW + 51, None, 2).unwrap();
    assert_eq!(names(first.clone()), ["a1", "a2"]);
    let second = catalog.pending(NOW + 51, Some(first[1].id()), 2).unwrap();
    assert_eq!(names(second.clone()), ["a5", "a6"]);
    assert!(catalog
        .pending(NOW + 51, Some(second[1].id()), 2)
        .unwrap()
        .is_empty());

    // `list` has every entry, by Region on request, in id order; a limit of 0 is 1.
    assert_eq!(
        names(catalog.list(None, None, MAX_PAGE + 1).unwrap()),
        ["a1", "a2", "a3", "a5", "a6"]
    );
    assert_eq!(
        names(catalog.list(Some(region("us-east-1")), None, 10).unwrap()),
        ["a1", "a3", "a5"]
    );
    assert_eq!(names(catalog.list(None, Some(ids[1]), 0).unwrap()), ["a3"]);
    assert!(catalog
        .list(Some(region("us-west-2")), None, 10)
        .unwrap()
        .is_empty());
    assert!(Catalog::new(account("444455556666"))
        .list(None, None, 10)
        .unwrap()
        .is_empty());
}

#[test]
fn list_pages_through_more_than_one_page() {
    let catalog = Catalog::new(account(ACCOUNT));
    catalog.set_limit(Some(2_500)).unwrap();
    for i in 0..2_100 {
        catalog
            .admit(&spec(&format!("org{i}"), "us-east-1", &[], None), NOW)
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = catalog.list(None, after, usize::MAX).unwrap();
        let Some(last) = page.last() else { break };
        assert!(page.len() <= MAX_PAGE);
        after = Some(last.id());
        seen.extend(page.iter().map(|e| e.id().get()));
    }
    assert_eq!(seen, (1..=2_100).collect::<Vec<u64>>());
}

// ---------------------------------------------------------------------------------------
// release and resume

#[test]
fn release_frees_what_was_never_created() {
    let (catalog, entry) = acme();
    // Reserved: either way. Sent: only once AWS is known to have no such organization.
    catalog.release(entry.id(), Release::NothingSent).unwrap();
    let again = admitted(catalog.admit(entry.spec(), NOW));
    assert_eq!(again.id(), EntryId::new(2), "ids are never reused");
    catalog.release(again.id(), Release::NotCreated).unwrap();
    let sent = admitted(catalog.admit(entry.spec(), NOW));
    catalog.sent(sent.id(), &call(sent.spec()), NOW).unwrap();
    assert_eq!(
        failure(catalog.release(sent.id(), Release::NothingSent)),
        "entry 3 (\"acme\") is sent; releasing with nothing sent needs it reserved"
    );
    let released = catalog.release(sent.id(), Release::NotCreated).unwrap();
    assert_eq!(released.stage(), Stage::Sent);

    // Gone, with every key, its quota and its history.
    assert_eq!(catalog.get(sent.id()).unwrap(), None);
    assert_eq!(catalog.quota().unwrap().live, 0);
    for key in catalog.keys(entry.spec()).iter() {
        assert_eq!(catalog.holder(key).unwrap(), None, "{key}");
    }
    assert!(catalog.list(None, None, 10).unwrap().is_empty());
    assert_eq!(
        failure(catalog.release(sent.id(), Release::NotCreated)),
        "account 111122223333 has no entry 3"
    );
}

#[test]
fn a_created_organization_is_never_released() {
    let (catalog, entry) = acme();
    let created = create(&catalog, &entry, 1, NOW);
    for release in [Release::NothingSent, Release::NotCreated] {
        let message = failure(catalog.release(entry.id(), release));
        assert!(
            message.starts_with("entry 1 (\"acme\") is created; releasing"),
            "{message}"
        );
    }
    catalog
        .record(
            &with_field(
                &snapshot(1, "acme", "Active", None),
                "DirectoryId",
                json!("d-1234567890"),
            ),
            NOW,
        )
        .unwrap();
    assert_eq!(
        failure(catalog.release(entry.id(), Release::NothingSent)),
        "entry 1 (\"acme\") is recorded; releasing with nothing sent needs it reserved"
    );
    assert_eq!(
        catalog
            .get(entry.id())
            .unwrap()
            .map(|e| e.organization_id().cloned()),
        Some(created.organization_id().cloned())
    );
    assert_eq!(catalog.quota().unwrap().live, 1);
}

#[test]
fn a_released_token_is_free_again() {
    let catalog = Catalog::new(account(ACCOUNT));
    let first = spec_with_token("acme", "us-east-1", &[], None, Some("create-1"));
    let entry = admitted(catalog.admit(&first, NOW));
    catalog.release(entry.id(), Release::NothingSent).unwrap();
    let other = spec_with_token("globex", "us-east-1", &[], None, Some("create-1"));
    admitted(catalog.admit(&other, NOW));
}

#[test]
fn another_accounts_entry_is_not_found() {
    let store = InMemoryStore::new();
    let first = Catalog::open(account(ACCOUNT), &store);
    let second = Catalog::open(account("444455556666"), &store);
    let entry = admitted(first.admit(&spec("acme", "us-east-1", &["acme.com"], None), NOW));
    let not_found = "account 444455556666 has no entry 1";
    assert_eq!(
        failure(second.release(entry.id(), Release::NothingSent)),
        not_found
    );
    assert_eq!(
        failure(second.sent(entry.id(), &call(entry.spec()), NOW)),
        not_found
    );
    assert_eq!(failure(second.resume(entry.id())), not_found);
    assert_eq!(
        failure(second.register_mail_domain(entry.id(), &domain("acme.org"), NOW)),
        not_found
    );
    assert_eq!(
        failure(second.deregister_mail_domain(entry.id(), &domain("acme.com"), NOW)),
        not_found
    );
    assert_eq!(store.entry(entry.id()).unwrap(), Some(entry));
}

#[test]
fn resume_gives_back_the_recorded_request_and_region() {
    let catalog = Catalog::new(account(ACCOUNT));
    let tokened = spec_with_token(
        "acme",
        "eu-west-1",
        &["acme.com"],
        None,
        Some("create-acme-1"),
    );
    let entry = admitted(catalog.admit(&tokened, NOW));
    assert_eq!(
        failure(catalog.resume(entry.id())),
        "entry 1 (\"acme\") is reserved; resuming needs it sent"
    );
    let sent_call = call(&tokened);
    catalog.sent(entry.id(), &sent_call, NOW).unwrap();
    let resumed = catalog.resume(entry.id()).unwrap();
    assert_eq!(resumed, sent_call);
    assert_eq!(resumed.region(), region("eu-west-1"));
    assert_eq!(
        resumed.request().client_token().map(|t| t.as_str()),
        Some("create-acme-1")
    );
    // What a resume sends is again the entry's request.
    catalog.sent(entry.id(), &resumed, NOW).unwrap();
}

// ---------------------------------------------------------------------------------------
// Mail domains

#[test]
fn mail_domains_are_registered_and_deregistered_with_their_keys() {
    let (catalog, entry) = acme();
    let registered = catalog
        .register_mail_domain(entry.id(), &domain("Acme.NET"), NOW + 1)
        .unwrap();
    assert_eq!(
        registered.mail_domains(),
        [domain("acme.com"), domain("acme.net")]
    );
    assert_eq!(registered.version(), 2);
    let key = UniquenessKey::Domain(domain("acme.net"));
    assert_eq!(
        catalog.holder(&key).unwrap().map(|h| h.entry),
        Some(entry.id())
    );
    // Registering a domain it holds changes nothing.
    assert_eq!(
        catalog
            .register_mail_domain(entry.id(), &domain("acme.com"), NOW + 2)
            .unwrap(),
        registered
    );

    let deregistered = catalog
        .deregister_mail_domain(entry.id(), &domain("acme.com"), NOW + 3)
        .unwrap();
    assert_eq!(deregistered.mail_domains(), [domain("acme.net")]);
    assert_eq!(
        catalog
            .holder(&UniquenessKey::Domain(domain("acme.com")))
            .unwrap(),
        None
    );
    let err = catalog
        .deregister_mail_domain(entry.id(), &domain("acme.com"), NOW)
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
    admitted(catalog.admit(&spec("globex", "us-east-1", &["acme.com"], None), NOW));
}

#[test]
fn a_domain_in_use_is_refused_and_changes_nothing() {
    let store = InMemoryStore::new();
    let first = Catalog::open(account(ACCOUNT), &store);
    let second = Catalog::open(account("444455556666"), &store);
    let acme = admitted(first.admit(&spec("acme", "us-east-1", &["acme.com"], None), NOW));
    let globex = admitted(first.admit(&spec("globex", "us-west-2", &["globex.com"], None), NOW));
    let initech = admitted(second.admit(&spec("initech", "eu-west-1", &["initech.io"], None), NOW));

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
        let err = first
            .register_mail_domain(acme.id(), &domain(name), NOW)
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
            format!("entry 1: domain \"{name}\" already belongs to {holder} [domains.in_use, MailDomainInUse]")
        );
        assert_eq!(
            format!("{err:?}"),
            format!("CatalogError({:?})", err.to_string())
        );
    }
    // Nothing moved: every entry and key as before.
    assert_eq!(first.get(acme.id()).unwrap(), Some(acme));
    assert_eq!(first.get(globex.id()).unwrap(), Some(globex.clone()));
    assert_eq!(second.get(initech.id()).unwrap(), Some(initech));
    assert_eq!(
        store
            .holder(&UniquenessKey::Domain(domain("globex.com")))
            .unwrap()
            .map(|h| h.entry),
        Some(globex.id())
    );
}
