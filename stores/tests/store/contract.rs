//! What every store must answer, whatever keeps it: each check takes an engine with a fresh
//! database, and runs on catalogs over new stores on it, each a pool of its own (a new store
//! stands for another process).

use std::collections::BTreeMap;

use workmail_org::aws::CreateOrganization;
use workmail_org::catalog::{
    Admission, AdmitError, CatalogError, RecordError, Release, Stage, UniquenessKey,
};
use workmail_org::lifecycle::OrganizationState;
use workmail_org::{Rule, Violations};

use crate::support::{account, catalog, created, release_not_created, snapshot, spec, Engine};

const ACME: &str = "111122223333";
const GLOBEX: &str = "444455556666";
const NOW: u64 = 1_764_000_000;

#[track_caller]
fn rejected(result: Result<Admission, AdmitError>) -> Violations {
    match result {
        Err(AdmitError::Rejected(rejection)) => rejection.into_violations(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// `(path, AWS code, rule id)` of each violation, in order.
fn findings(violations: &Violations) -> Vec<(String, &'static str, &'static str)> {
    violations
        .iter()
        .map(|v| (v.path().to_string(), v.code().as_str(), v.rule().id()))
        .collect()
}

fn key(text: &str) -> UniquenessKey {
    match text.split_once('/') {
        Some(("alias", alias)) => UniquenessKey::Alias(alias.to_owned()),
        Some(("domain", domain)) => UniquenessKey::Domain(domain.parse().unwrap()),
        _ => panic!("a test key is alias/ or domain/: {text}"),
    }
}

pub async fn admits_every_key_or_none(engine: &impl Engine) {
    let first = catalog(engine, ACME).await;
    let held = spec("acme", "us-east-1", &["a.example", "b.example"], None, None);
    let entry = first.admit(&held, NOW).await.unwrap().into_entry();
    assert_eq!(entry.stage(), Stage::Reserved);

    // Another process: one of its domains is held, so none of its keys may be.
    let second = catalog(engine, GLOBEX).await;
    let overlapping = spec(
        "globex",
        "eu-west-1",
        &["c.example", "b.example"],
        None,
        None,
    );
    let violations = rejected(second.admit(&overlapping, NOW).await);
    assert_eq!(
        findings(&violations),
        [(
            "domains[1].name".to_owned(),
            "MailDomainInUse",
            "domains.in_use"
        )]
    );
    for free in ["alias/globex", "domain/c.example"] {
        assert_eq!(second.holder(&key(free)).await.unwrap(), None, "{free}");
    }
    assert_eq!(second.quota().await.unwrap().live, 0);
    let holder = second
        .holder(&key("domain/b.example"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((holder.entry, holder.alias.as_str()), (entry.id(), "acme"));
    assert_eq!(first.quota().await.unwrap().live, 1);
}

pub async fn reports_every_conflict_at_once(engine: &impl Engine) {
    let first = catalog(engine, ACME).await;
    first.set_limit(Some(1)).await.unwrap();
    let held = spec(
        "acme",
        "us-east-1",
        &["a.example"],
        Some("d-1234567890"),
        None,
    );
    first.admit(&held, NOW).await.unwrap();
    let again = spec(
        "ACME",
        "us-east-1",
        &["a.example"],
        Some("d-1234567890"),
        None,
    );
    let violations = rejected(catalog(engine, ACME).await.admit(&again, NOW).await);
    assert_eq!(
        findings(&violations),
        [
            ("".to_owned(), "LimitExceeded", "account.organization_limit"),
            ("alias".to_owned(), "NameAvailability", "alias.taken"),
            (
                "domains[0].name".to_owned(),
                "MailDomainInUse",
                "domains.in_use"
            ),
            (
                "directory.directory_id".to_owned(),
                "DirectoryInUse",
                "directory.in_use"
            ),
        ]
    );
    // The quota alone, with free keys; then back to the default.
    let free = spec("initech", "us-east-1", &[], None, None);
    let violations = rejected(first.admit(&free, NOW).await);
    assert!(violations.contains(Rule::AccountOrganizationLimit));
    assert_eq!(violations.len(), 1);
    first.set_limit(None).await.unwrap();
    assert_eq!(first.quota().await.unwrap().limit, 100);
    assert!(matches!(
        first.admit(&free, NOW).await,
        Ok(Admission::New(_))
    ));
}

pub async fn client_tokens_decide_retries(engine: &impl Engine) {
    let first = catalog(engine, ACME).await;
    let with_token = spec("acme", "us-east-1", &["a.example"], None, Some("create-1"));
    let entry = first.admit(&with_token, NOW).await.unwrap().into_entry();

    // The same request from another connection, later: the entry admitted first.
    let retry = catalog(engine, ACME).await;
    assert_eq!(
        retry.admit(&with_token, NOW + 60).await.unwrap(),
        Admission::AlreadyAdmitted(entry.clone())
    );
    // The same token with another spec: refused, on the token alone.
    let other = spec("acme-two", "us-east-1", &[], None, Some("create-1"));
    let violations = rejected(retry.admit(&other, NOW).await);
    assert_eq!(
        findings(&violations),
        [(
            "client_token".to_owned(),
            "InvalidParameter",
            "client_token.reused"
        )]
    );
    // The token is the account's and Region's: elsewhere it is a new request.
    let elsewhere = spec("acme-west", "us-west-2", &[], None, Some("create-1"));
    assert!(matches!(
        retry.admit(&elsewhere, NOW).await,
        Ok(Admission::New(_))
    ));
    // Without a token an identical spec is a second organization: the alias is taken.
    let plain = spec("initech", "us-east-1", &[], None, None);
    retry.admit(&plain, NOW).await.unwrap();
    assert!(rejected(retry.admit(&plain, NOW).await).contains(Rule::AliasTaken));
}

pub async fn stages_lead_from_reserved_to_recorded(engine: &impl Engine) {
    let catalog_a = catalog(engine, ACME).await;
    let acme = spec("acme", "us-east-1", &["a.example"], None, Some("t-1"));
    let entry = catalog_a.admit(&acme, NOW).await.unwrap().into_entry();
    let id = entry.id();
    let call = CreateOrganization::new(&acme).unwrap();

    // The call to send carries the entry's client token: the spec's.
    assert_eq!(catalog_a.sent(id, &call, NOW + 1).await.unwrap(), call);
    let sent = catalog_a.get(id).await.unwrap().unwrap();
    assert_eq!(sent.stage(), Stage::Sent);
    assert_eq!(sent.request(), Some(call.request()));
    assert_eq!(sent.client_token().as_str(), "t-1");
    assert_eq!((sent.sends(), sent.sent_at()), (1, Some(NOW + 1)));
    // Recording the same call again is a resend: counted, nothing else changes.
    assert_eq!(catalog_a.sent(id, &call, NOW + 2).await.unwrap(), call);

    let other = catalog(engine, ACME).await;
    assert_eq!(other.resend(id, NOW + 2).await.unwrap(), call);
    let resent = other.get(id).await.unwrap().unwrap();
    assert_eq!((resent.sends(), resent.sent_at()), (3, Some(NOW + 2)));
    assert_eq!(resent.request(), sent.request());
    // Another request is not a resend of this one.
    let another =
        CreateOrganization::new(&spec("acme", "us-east-1", &[], None, Some("t-1"))).unwrap();
    assert!(matches!(
        other.sent(id, &another, NOW + 2).await,
        Err(CatalogError::NotItsRequest { .. })
    ));
    let created_entry = other.created(id, &created(1), NOW + 3).await.unwrap();
    assert_eq!(created_entry.stage(), Stage::Created);
    let recorded = other
        .record(&snapshot(1, "acme", ACME, "us-east-1", "Active"), NOW + 4)
        .await
        .unwrap();
    assert_eq!(recorded.stage(), Stage::Recorded);
    assert_eq!(recorded.state(), Some(&OrganizationState::Active));
    assert_eq!(
        recorded.version(),
        6,
        "admitted, three sends, created, recorded"
    );

    let id_1 = recorded.organization_id().unwrap().clone();
    assert_eq!(
        catalog_a.by_organization_id(&id_1).await.unwrap(),
        Some(recorded.clone())
    );
    assert_eq!(catalog_a.get(id).await.unwrap(), Some(recorded.clone()));

    // A snapshot that contradicts the entry is refused, and nothing changes.
    let wrong_region = snapshot(1, "acme", ACME, "eu-west-1", "Active");
    assert!(matches!(
        catalog_a.record(&wrong_region, NOW + 5).await,
        Err(CatalogError::Record(RecordError::Region { .. }))
    ));
    let wrong_account = snapshot(1, "acme", GLOBEX, "us-east-1", "Active");
    assert!(matches!(
        catalog_a.record(&wrong_account, NOW + 5).await,
        Err(CatalogError::Record(RecordError::Account { .. }))
    ));
    let backwards = snapshot(1, "acme", ACME, "us-east-1", "Creating");
    assert!(matches!(
        catalog_a.record(&backwards, NOW + 5).await,
        Err(CatalogError::Record(RecordError::State { .. }))
    ));
    let unknown = snapshot(2, "acme", ACME, "us-east-1", "Active");
    assert!(matches!(
        catalog_a.record(&unknown, NOW + 5).await,
        Err(CatalogError::Record(RecordError::NotFound { .. }))
    ));
    assert_eq!(catalog_a.get(id).await.unwrap(), Some(recorded));

    // Another entry may not take the same organization id.
    let second = catalog_a
        .admit(&spec("acme-two", "us-east-1", &[], None, None), NOW)
        .await
        .unwrap()
        .into_entry();
    let second_call = CreateOrganization::new(second.spec()).unwrap();
    catalog_a
        .sent(second.id(), &second_call, NOW)
        .await
        .unwrap();
    assert!(matches!(
        catalog_a.created(second.id(), &created(1), NOW).await,
        Err(CatalogError::Record(RecordError::IdInUse { .. }))
    ));
}

pub async fn deleted_frees_keys_and_quota_and_stays_as_history(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let spec_a = spec("acme", "us-east-1", &["a.example"], None, None);
    let entry = acme.admit(&spec_a, NOW).await.unwrap().into_entry();
    acme.sent(entry.id(), &CreateOrganization::new(&spec_a).unwrap(), NOW)
        .await
        .unwrap();
    acme.created(entry.id(), &created(7), NOW).await.unwrap();
    for state in ["Active", "Deleting", "Deleted"] {
        acme.record(&snapshot(7, "acme", ACME, "us-east-1", state), NOW + 1)
            .await
            .unwrap();
    }
    assert_eq!(acme.quota().await.unwrap().live, 0);
    for held in ["alias/acme", "domain/a.example"] {
        assert_eq!(acme.holder(&key(held)).await.unwrap(), None, "{held}");
    }
    let history = acme.get(entry.id()).await.unwrap().unwrap();
    assert_eq!(history.state(), Some(&OrganizationState::Deleted));
    assert!(history.mail_domains().is_empty());
    assert!(matches!(
        acme.register_mail_domain(entry.id(), &"b.example".parse().unwrap(), NOW)
            .await,
        Err(CatalogError::Deleted { .. })
    ));
    // Its alias and domain are free for a new organization.
    let again = catalog(engine, ACME)
        .await
        .admit(&spec_a, NOW + 2)
        .await
        .unwrap();
    assert!(matches!(again, Admission::New(_)));
    assert_eq!(acme.list(None, None, 10).await.unwrap().len(), 2);
}

pub async fn mail_domains_register_and_deregister(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let globex = catalog(engine, GLOBEX).await;
    let a = acme
        .admit(&spec("acme", "us-east-1", &["a.example"], None, None), NOW)
        .await
        .unwrap()
        .into_entry();
    let g = globex
        .admit(
            &spec("globex", "us-east-1", &["g.example"], None, None),
            NOW,
        )
        .await
        .unwrap()
        .into_entry();
    let extra = "extra.example".parse().unwrap();
    let registered = acme
        .register_mail_domain(a.id(), &extra, NOW + 1)
        .await
        .unwrap();
    assert_eq!(registered.mail_domains().len(), 2);
    assert_eq!(
        globex
            .holder(&key("domain/extra.example"))
            .await
            .unwrap()
            .map(|h| h.entry),
        Some(a.id())
    );
    let err = globex
        .register_mail_domain(g.id(), &extra, NOW + 1)
        .await
        .unwrap_err();
    assert_eq!(err.rule(), Some(Rule::DomainsInUse));
    assert!(err.to_string().contains("extra.example"), "{err}");

    acme.deregister_mail_domain(a.id(), &"a.example".parse().unwrap(), NOW + 2)
        .await
        .unwrap();
    assert_eq!(acme.holder(&key("domain/a.example")).await.unwrap(), None);
    assert!(matches!(
        acme.deregister_mail_domain(a.id(), &"a.example".parse().unwrap(), NOW + 2)
            .await,
        Err(CatalogError::MailDomainNotHeld { .. })
    ));
    let now_free = globex
        .register_mail_domain(g.id(), &"a.example".parse().unwrap(), NOW + 3)
        .await
        .unwrap();
    assert_eq!(now_free.mail_domains().len(), 2);
}

pub async fn lists_page_by_id_and_find_pending(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let mut ids = Vec::new();
    for (n, region) in [
        "us-east-1",
        "eu-west-1",
        "us-east-1",
        "eu-west-1",
        "us-east-1",
    ]
    .iter()
    .enumerate()
    {
        let entry = acme
            .admit(
                &spec(&format!("acme-{n}"), region, &[], None, None),
                NOW + n as u64,
            )
            .await
            .unwrap()
            .into_entry();
        ids.push(entry.id());
    }
    catalog(engine, GLOBEX)
        .await
        .admit(&spec("globex", "us-east-1", &[], None, None), NOW)
        .await
        .unwrap();

    let first = acme.list(None, None, 2).await.unwrap();
    let second = acme.list(None, Some(first[1].id()), 2).await.unwrap();
    let third = acme.list(None, Some(second[1].id()), 2).await.unwrap();
    let paged: Vec<_> = first
        .iter()
        .chain(&second)
        .chain(&third)
        .map(|e| e.id())
        .collect();
    assert_eq!(paged, ids);
    assert!(acme.list(None, Some(ids[4]), 2).await.unwrap().is_empty());
    // A limit of 0 is read as 1.
    assert_eq!(acme.list(None, None, 0).await.unwrap().len(), 1);
    let east = acme
        .list(Some("us-east-1".parse().unwrap()), None, 10)
        .await
        .unwrap();
    assert_eq!(
        east.iter().map(|e| e.id()).collect::<Vec<_>>(),
        [ids[0], ids[2], ids[4]]
    );

    // Pending: still reserved or sent, and untouched before the time given.
    let call = CreateOrganization::new(&spec("acme-0", "us-east-1", &[], None, None)).unwrap();
    acme.sent(ids[0], &call, NOW + 10).await.unwrap();
    let call_1 = CreateOrganization::new(&spec("acme-1", "eu-west-1", &[], None, None)).unwrap();
    acme.sent(ids[1], &call_1, NOW + 10).await.unwrap();
    acme.created(ids[1], &created(11), NOW + 10).await.unwrap();
    let pending: Vec<_> = acme
        .pending(NOW + 4, None, 10)
        .await
        .unwrap()
        .iter()
        .map(|e| (e.id(), e.stage()))
        .collect();
    assert_eq!(
        pending,
        [(ids[2], Stage::Reserved), (ids[3], Stage::Reserved)]
    );
    let later: Vec<_> = acme
        .pending(NOW + 100, None, 10)
        .await
        .unwrap()
        .iter()
        .map(|e| (e.id(), e.stage()))
        .collect();
    assert_eq!(
        later,
        [
            (ids[0], Stage::Sent),
            (ids[2], Stage::Reserved),
            (ids[3], Stage::Reserved),
            (ids[4], Stage::Reserved)
        ]
    );
}

pub async fn release_follows_the_stage(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let spec_a = spec("acme", "us-east-1", &["a.example"], None, None);
    let reserved = acme.admit(&spec_a, NOW).await.unwrap().into_entry();
    // Another account's entry is not found.
    assert!(matches!(
        catalog(engine, GLOBEX)
            .await
            .release(reserved.id(), Release::NothingSent, NOW)
            .await,
        Err(CatalogError::NotFound { .. })
    ));
    acme.release(reserved.id(), Release::NothingSent, NOW)
        .await
        .unwrap();
    assert_eq!(acme.get(reserved.id()).await.unwrap(), None);
    assert_eq!(acme.holder(&key("domain/a.example")).await.unwrap(), None);
    assert_eq!(acme.quota().await.unwrap().live, 0);

    let entry = acme.admit(&spec_a, NOW).await.unwrap().into_entry();
    assert_ne!(entry.id(), reserved.id(), "ids are never reused");
    let call = CreateOrganization::new(&spec_a).unwrap();
    acme.sent(entry.id(), &call, NOW).await.unwrap();
    assert!(matches!(
        acme.release(entry.id(), Release::NothingSent, NOW).await,
        Err(CatalogError::Stage {
            stage: Stage::Sent,
            ..
        })
    ));
    // A sent entry goes on a lookup's evidence.
    let released = release_not_created(&acme, entry.id(), NOW).await.unwrap();
    assert_eq!(released.stage(), Stage::Sent);
    assert_eq!(acme.holder(&key("alias/acme")).await.unwrap(), None);

    let entry = acme.admit(&spec_a, NOW).await.unwrap().into_entry();
    acme.sent(entry.id(), &call, NOW).await.unwrap();
    acme.created(entry.id(), &created(3), NOW).await.unwrap();
    assert!(matches!(
        release_not_created(&acme, entry.id(), NOW).await,
        Err(CatalogError::Stage {
            stage: Stage::Created,
            ..
        })
    ));
    assert!(matches!(
        acme.release(entry.id(), Release::NothingSent, NOW).await,
        Err(CatalogError::Stage {
            stage: Stage::Created,
            ..
        })
    ));
    assert_eq!(acme.quota().await.unwrap().live, 1);
}

pub async fn a_restart_sees_everything(engine: &impl Engine) {
    let admitted = {
        let before = catalog(engine, ACME).await;
        before.set_limit(Some(5)).await.unwrap();
        let spec_a = spec(
            "Acme",
            "eu-west-1",
            &["a.example", "b.example"],
            Some("d-1234567890"),
            Some("t-1"),
        );
        let entry = before.admit(&spec_a, NOW).await.unwrap().into_entry();
        let call = CreateOrganization::with_hosted_zones(&spec_a, &BTreeMap::new()).unwrap();
        before.sent(entry.id(), &call, NOW + 1).await.unwrap();
        before.get(entry.id()).await.unwrap().unwrap()
    };
    let after = catalog(engine, ACME).await;
    assert_eq!(
        after.get(admitted.id()).await.unwrap(),
        Some(admitted.clone())
    );
    assert_eq!(
        after.by_alias(&"ACME".parse().unwrap()).await.unwrap(),
        Some(admitted.clone())
    );
    for held in admitted.keys() {
        assert_eq!(
            after.holder(&held).await.unwrap().map(|h| h.entry),
            Some(admitted.id()),
            "{held}"
        );
    }
    let quota = after.quota().await.unwrap();
    assert_eq!((quota.live, quota.limit), (1, 5));
    assert_eq!(
        after.list(None, None, 10).await.unwrap(),
        std::slice::from_ref(&admitted)
    );
    assert_eq!(
        after.admit(admitted.spec(), NOW + 2).await.unwrap(),
        Admission::AlreadyAdmitted(admitted)
    );
    assert_eq!(account(ACME), *after.account());
}

on_every_engine!(
    admits_every_key_or_none,
    reports_every_conflict_at_once,
    client_tokens_decide_retries,
    stages_lead_from_reserved_to_recorded,
    deleted_frees_keys_and_quota_and_stays_as_history,
    mail_domains_register_and_deregister,
    lists_page_by_id_and_find_pending,
    release_follows_the_stage,
    a_restart_sees_everything,
);

/// What only a database can be given: rows written by another tool.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod rows {
    use super::*;
    use workmail_org::catalog::store::Store;

    /// A row another tool wrote wrong is a store error naming its table, row and column; the
    /// row stays as it is.
    async fn a_bad_row_names_its_column(engine: &impl Engine, _name: &str) {
        let acme = catalog(engine, ACME).await;
        let cases = [
            ("spec = '{}'", "spec"),
            ("region = 'us-west-2'", "region"),
            ("account = 'x'", "account"),
            ("mail_domains = '[1]'", "mail_domains"),
            ("updated_at = 1", "entry"),
        ];
        for (n, (change, column)) in cases.into_iter().enumerate() {
            let entry = acme
                .admit(
                    &spec(&format!("acme{n}"), "us-east-1", &[], None, None),
                    NOW,
                )
                .await
                .unwrap()
                .into_entry();
            let spoil = format!(
                "UPDATE organization_entry SET {change} WHERE id = {}",
                entry.id()
            );
            engine.execute_sql(&spoil).await;
            for _ in 0..2 {
                let err = engine.open().await.entry(entry.id()).await.unwrap_err();
                let invalid = std::error::Error::source(&err)
                    .and_then(|source| source.downcast_ref::<workmail_org_stores::InvalidRow>())
                    .unwrap_or_else(|| panic!("{change}: {err}"));
                assert_eq!(
                    (invalid.table(), invalid.row(), invalid.column()),
                    (
                        "organization_entry",
                        entry.id().to_string().as_str(),
                        column
                    ),
                    "{change}: {invalid}"
                );
            }
        }
    }

    on_database_engines!(a_bad_row_names_its_column);
}
