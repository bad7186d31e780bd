//! Recovery on every engine: the decision table of `Catalog::answered` for a first send and a
//! resend, the lookup by alias in `ListOrganizations` (a match adopted, none released on
//! evidence, a `Failed`, a `Deleting`, a `Deleted` and an organization another entry holds),
//! the minimum age and stale evidence, the client tokens, and leases with their fencing. Then
//! two recoverers at once on the same 50 pending entries, on each database engine.

#![cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::sync::Barrier;
use tokio::task::JoinSet;
use workmail_org::aws::{
    AwsException, CreateAnswer, CreateOrganization, ListOrganizationsResponse,
};
use workmail_org::catalog::{
    Answered, CatalogError, Entry, LeaseOwner, Leased, Lookup, LookupStep, RecordError, Release,
    Stage, Unresolved, DEFAULT_MIN_AGE, MAX_CLOCK_SKEW,
};
use workmail_org::lifecycle::OrganizationState;
use workmail_org::Catalog;
use workmail_org_stores::AnyStore;

use crate::support::{
    catalog, check_keys, created, organization_id, release_not_created, snapshot, spec, Engine,
};

const ACME: &str = "111122223333";
const NOW: u64 = 1_764_000_000;
const REGION: &str = "us-east-1";

fn exception(name: &str) -> AwsException {
    AwsException::parse(name).unwrap()
}

fn owner(name: &str) -> LeaseOwner {
    LeaseOwner::parse(name).unwrap()
}

/// A page of `ListOrganizations`: `(organization number, alias, state)` each, and the next
/// page's token.
fn page(organizations: &[(u64, &str, &str)], next: Option<&str>) -> ListOrganizationsResponse {
    let summaries: Vec<_> = organizations
        .iter()
        .map(|(n, alias, state)| {
            json!({"OrganizationId": organization_id(*n), "Alias": alias, "State": state})
        })
        .collect();
    let mut value = json!({ "OrganizationSummaries": summaries });
    if let Some(next) = next {
        value["NextToken"] = json!(next);
    }
    serde_json::from_value(value).unwrap()
}

/// Runs `lookup` over `pages`, checking it asks for each page in turn; what the last led to.
#[track_caller]
fn run(lookup: &mut Lookup, pages: &[ListOrganizationsResponse]) -> LookupStep {
    for (n, listed) in pages.iter().enumerate() {
        let asked = lookup.request();
        let expected = n.checked_sub(1).and_then(|p| pages[p].next_token());
        assert_eq!(asked.next_token(), expected, "page {n}");
        match lookup.page(listed) {
            LookupStep::NextPage if n + 1 < pages.len() => {}
            step => {
                assert_eq!(
                    n + 1,
                    pages.len(),
                    "ended at page {n} of {}: {step:?}",
                    pages.len()
                );
                return step;
            }
        }
    }
    panic!("no page given")
}

/// Admits `alias` (in `REGION`, a mail domain of its own, no client token) and records its
/// first send at `at`: the entry, `sent`.
async fn sent(catalog: &Catalog<Arc<AnyStore>>, alias: &str, at: u64) -> Entry {
    let domain = format!("{alias}.example");
    let spec = spec(alias, REGION, &[&domain], None, None);
    let entry = catalog.admit(&spec, at).await.unwrap().into_entry();
    let call = CreateOrganization::new(&spec).unwrap();
    let to_send = catalog.sent(entry.id(), &call, at).await.unwrap();
    assert_eq!(
        to_send.request().client_token(),
        Some(entry.client_token()),
        "every send carries the entry's token"
    );
    catalog.get(entry.id()).await.unwrap().unwrap()
}

/// Whether every key of `entry` is held by it (`true`) or free (`false`); panics when mixed.
async fn holds_keys(catalog: &Catalog<Arc<AnyStore>>, entry: &Entry) -> bool {
    let mut held = Vec::new();
    for key in entry.keys() {
        let holder = catalog.holder(&key).await.unwrap().map(|h| h.entry);
        assert!(
            holder.is_none() || holder == Some(entry.id()),
            "{key}: {holder:?}"
        );
        held.push(holder.is_some());
    }
    assert!(
        held.iter().all(|h| *h == held[0]),
        "{}: some keys held, some free",
        entry.alias()
    );
    held[0]
}

/// What an answer led to, in a word, for the table.
fn outcome(answered: &Result<Answered, CatalogError>) -> &'static str {
    match answered {
        Ok(Answered::Created(_)) => "created",
        Ok(Answered::Released { .. }) => "released",
        Ok(Answered::NotSent(_)) => "still sent",
        Ok(Answered::Lookup(_)) => "lookup",
        Ok(_) => "other",
        Err(_) => "error",
    }
}

/// Each answer AWS (or the network) may give to a first send and to a resend, on an entry
/// of its own: what the catalog made of it, and what it left in the store.
pub async fn each_answer_to_a_first_send_and_a_resend(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let answers: Vec<(&str, CreateAnswer)> = vec![
        ("Created", CreateAnswer::Created(created(0))),
        (
            "NameAvailabilityException",
            CreateAnswer::Refused(exception("NameAvailabilityException")),
        ),
        (
            "InvalidParameterException",
            CreateAnswer::Refused(exception("InvalidParameterException")),
        ),
        (
            "ThrottlingException",
            CreateAnswer::Refused(exception("ThrottlingException")),
        ),
        ("HTTP 500", CreateAnswer::ServerError { status: 500 }),
        ("HTTP 503", CreateAnswer::ServerError { status: 503 }),
        ("timed out", CreateAnswer::TimedOut),
        ("dropped", CreateAnswer::Dropped),
        ("not sent", CreateAnswer::NotSent),
    ];
    let expected = |resend: bool, answer: &str| match answer {
        "Created" => "created",
        "NameAvailabilityException" | "InvalidParameterException" if !resend => "released",
        "not sent" => "still sent",
        _ => "lookup",
    };
    let mut table = Vec::new();
    let mut n = 0;
    for resend in [false, true] {
        for (name, answer) in &answers {
            n += 1;
            let answer = match answer {
                CreateAnswer::Created(_) => CreateAnswer::Created(created(n)),
                other => other.clone(),
            };
            let entry = sent(&acme, &format!("answer{n}"), NOW).await;
            let id = entry.id();
            let entry = if resend {
                let call = acme.resend(id, NOW + 1).await.unwrap();
                assert_eq!(Some(call), entry.call());
                let resent = acme.get(id).await.unwrap().unwrap();
                assert_eq!((resent.sends(), resent.sent_at()), (2, Some(NOW + 1)));
                resent
            } else {
                entry
            };
            let answered = acme.answered(id, &answer, NOW + 2).await;
            let got = outcome(&answered);
            table.push(format!(
                "{} {name}: {got}",
                if resend { "resend" } else { "first send" }
            ));
            assert_eq!(
                got,
                expected(resend, name),
                "{name}, resend {resend}: {answered:?}"
            );
            let now = acme.get(id).await.unwrap();
            match answered.unwrap() {
                Answered::Created(created) => {
                    assert_eq!(created.stage(), Stage::Created);
                    assert_eq!(
                        created.organization_id(),
                        Some(&organization_id(n).parse().unwrap())
                    );
                    assert_eq!(now, Some(created));
                    assert!(holds_keys(&acme, &entry).await);
                }
                Answered::Released {
                    entry: released,
                    exception,
                } => {
                    assert_eq!(exception.name(), *name);
                    assert_eq!(released.id(), id);
                    assert_eq!(now, None, "released");
                    assert!(!holds_keys(&acme, &entry).await, "{name}: keys free");
                }
                Answered::NotSent(still) => {
                    assert_eq!(now, Some(still.clone()));
                    assert_eq!(still, entry, "nothing changed");
                }
                Answered::Lookup(lookup) => {
                    assert_eq!((lookup.entry(), lookup.region()), (id, entry.region()));
                    assert_eq!(lookup.alias(), entry.alias());
                    assert_eq!(now, Some(entry.clone()), "nothing changed");
                    assert!(holds_keys(&acme, &entry).await);
                }
                other => panic!("{other:?}"),
            }
        }
    }
    check_keys(engine, &acme).await;
    let quota = acme.quota().await.unwrap();
    assert_eq!(quota.live, answers.len() as u64 * 2 - 2);
    if engine.key_rows().await.is_none() {
        eprintln!(
            "the answers to CreateOrganization, as the catalog reads them:\n  {}",
            table.join("\n  ")
        );
    }
}

/// A lookup over two pages finds the alias (in another letter case): described, adopted,
/// `recorded` with the organization's id; an answer for a created entry repeats it.
pub async fn a_lookup_that_matches_is_adopted(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let entry = sent(&acme, "acme", NOW).await;
    let Answered::Lookup(mut lookup) = acme
        .answered(entry.id(), &CreateAnswer::TimedOut, NOW + 1)
        .await
        .unwrap()
    else {
        panic!("a timeout is looked up")
    };
    let pages = [
        page(
            &[(90, "other", "Active"), (91, "acme-two", "Active")],
            Some("page-2"),
        ),
        page(&[(7, "ACME", "Creating")], None),
    ];
    // A match needs no minimum age: the organization is there.
    assert_eq!(
        run(&mut lookup, &pages),
        LookupStep::Describe(organization_id(7).parse().unwrap())
    );
    // Unlike the spec: refused, nothing changes.
    let unlike = snapshot(7, "acme", ACME, "eu-west-1", "Creating");
    assert!(matches!(
        acme.adopt(entry.id(), &unlike, NOW + 2).await,
        Err(CatalogError::Record(RecordError::Region { .. }))
    ));
    let other_alias = snapshot(7, "someone-else", ACME, REGION, "Creating");
    assert!(matches!(
        acme.adopt(entry.id(), &other_alias, NOW + 2).await,
        Err(CatalogError::Record(RecordError::Mismatch { .. }))
    ));
    assert_eq!(acme.get(entry.id()).await.unwrap(), Some(entry.clone()));
    let described = snapshot(7, "acme", ACME, REGION, "Creating");
    let adopted = acme.adopt(entry.id(), &described, NOW + 2).await.unwrap();
    assert_eq!(adopted.stage(), Stage::Recorded);
    assert_eq!(
        adopted.organization_id(),
        Some(&organization_id(7).parse().unwrap())
    );
    assert_eq!(adopted.state(), Some(&OrganizationState::Creating));
    assert_eq!(
        acme.by_organization_id(&organization_id(7).parse().unwrap())
            .await
            .unwrap(),
        Some(adopted.clone())
    );
    assert!(holds_keys(&acme, &entry).await);
    // Adopting it again is no change; later snapshots are recorded as usual.
    assert_eq!(
        acme.adopt(entry.id(), &described, NOW + 3).await.unwrap(),
        adopted
    );
    let active = acme
        .record(&snapshot(7, "acme", ACME, REGION, "Active"), NOW + 4)
        .await
        .unwrap();
    assert_eq!(active.state(), Some(&OrganizationState::Active));
    assert!(acme.pending(u64::MAX, None, 10).await.unwrap().is_empty());
    check_keys(engine, &acme).await;
}

/// No organization holds the alias (a `Deleted` one with it does not count): once the minimum
/// age has passed, the evidence releases the entry and frees its keys; evidence about another
/// entry is refused.
pub async fn a_lookup_without_a_match_releases_on_evidence(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let entry = sent(&acme, "acme", NOW).await;
    let other = sent(&acme, "other", NOW).await;
    let Answered::Lookup(lookup) = acme
        .answered(
            entry.id(),
            &CreateAnswer::ServerError { status: 503 },
            NOW + 1,
        )
        .await
        .unwrap()
    else {
        panic!("a 503 is looked up")
    };
    let pages = [
        page(
            &[(90, "globex", "Active"), (5, "acme", "Deleted")],
            Some("2"),
        ),
        page(&[(6, "Acme", "Deleted")], None),
    ];
    // Too soon, by the default minimum age.
    assert_eq!(
        run(&mut lookup.clone(), &pages),
        LookupStep::TooSoon {
            retry_at: NOW + DEFAULT_MIN_AGE
        }
    );
    let later = NOW + DEFAULT_MIN_AGE;
    let mut lookup = Lookup::new(&entry, later).unwrap();
    let LookupStep::NotCreated(evidence) = run(&mut lookup, &pages) else {
        panic!("a Deleted-only listing is no match")
    };
    assert_eq!((evidence.entry(), evidence.pages()), (entry.id(), 2));
    assert!(matches!(
        acme.release(other.id(), Release::NotCreated(evidence.clone()), later)
            .await,
        Err(CatalogError::StaleEvidence { .. })
    ));
    assert!(holds_keys(&acme, &other).await);
    let released = acme
        .release(entry.id(), Release::NotCreated(evidence), later)
        .await
        .unwrap();
    assert_eq!(released.id(), entry.id());
    assert_eq!(acme.get(entry.id()).await.unwrap(), None);
    assert!(!holds_keys(&acme, &entry).await);
    assert_eq!(acme.quota().await.unwrap().live, 1);
    check_keys(engine, &acme).await;
}

/// A `Failed` organization with the alias is adopted as `Failed`, not released: it holds the
/// alias until deleted.
pub async fn a_failed_match_is_adopted_as_failed(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let entry = sent(&acme, "acme", NOW).await;
    let Answered::Lookup(mut lookup) = acme
        .answered(entry.id(), &CreateAnswer::Dropped, NOW + 1)
        .await
        .unwrap()
    else {
        panic!("a dropped connection is looked up")
    };
    let step = run(&mut lookup, &[page(&[(8, "acme", "Failed")], None)]);
    assert_eq!(
        step,
        LookupStep::Describe(organization_id(8).parse().unwrap())
    );
    let adopted = acme
        .adopt(
            entry.id(),
            &snapshot(8, "acme", ACME, REGION, "Failed"),
            NOW + 2,
        )
        .await
        .unwrap();
    assert_eq!(adopted.stage(), Stage::Recorded);
    assert_eq!(adopted.state(), Some(&OrganizationState::Failed));
    assert!(holds_keys(&acme, &entry).await, "not released");
    assert!(matches!(
        release_not_created(&acme, entry.id(), NOW + DEFAULT_MIN_AGE).await,
        Err(CatalogError::Stage {
            stage: Stage::Recorded,
            ..
        })
    ));
    assert_eq!(acme.quota().await.unwrap().live, 1);
}

/// A `Deleting` organization with the alias: the lookup cannot decide, and it cannot be
/// adopted (nor a `Deleted` one); the entry stays as it was.
pub async fn a_deleting_match_is_unresolved(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let entry = sent(&acme, "acme", NOW).await;
    let mut lookup = Lookup::new(&entry, NOW + DEFAULT_MIN_AGE).unwrap();
    let step = run(
        &mut lookup,
        &[page(
            &[(9, "acme", "Deleting"), (4, "acme", "Deleted")],
            None,
        )],
    );
    assert_eq!(
        step,
        LookupStep::Unresolved(Unresolved::Deleting(organization_id(9).parse().unwrap()))
    );
    for state in ["Deleting", "Deleted"] {
        let described = snapshot(9, "acme", ACME, REGION, state);
        assert!(
            matches!(
                acme.adopt(entry.id(), &described, NOW + 2).await,
                Err(CatalogError::NotAdoptable { .. })
            ),
            "{state}"
        );
    }
    assert_eq!(acme.get(entry.id()).await.unwrap(), Some(entry.clone()));
    assert!(holds_keys(&acme, &entry).await);
    // Two organizations with the alias: nothing to decide alone either.
    let mut lookup = Lookup::new(&entry, NOW + DEFAULT_MIN_AGE).unwrap();
    assert!(matches!(
        run(&mut lookup, &[page(&[(9, "acme", "Active"), (10, "ACME", "Active")], None)]),
        LookupStep::Unresolved(Unresolved::Several(ids)) if ids.len() == 2
    ));
}

/// The organization found belongs to another entry already: `IdInUse`, nothing changes.
pub async fn an_organization_held_by_another_entry_is_not_adopted(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let holder = sent(&acme, "holder", NOW).await;
    acme.created(holder.id(), &created(5), NOW).await.unwrap();
    let entry = sent(&acme, "acme", NOW).await;
    let mut lookup = Lookup::new(&entry, NOW + 1).unwrap();
    let step = run(&mut lookup, &[page(&[(5, "acme", "Active")], None)]);
    assert_eq!(
        step,
        LookupStep::Describe(organization_id(5).parse().unwrap())
    );
    let described = snapshot(5, "acme", ACME, REGION, "Active");
    match acme.adopt(entry.id(), &described, NOW + 2).await {
        Err(CatalogError::Record(RecordError::IdInUse { owner, .. })) => {
            assert_eq!(owner, holder.id())
        }
        other => panic!("expected IdInUse, got {other:?}"),
    }
    assert_eq!(acme.get(entry.id()).await.unwrap(), Some(entry));
}

/// An entry younger than the minimum age is not released on an empty listing (`TooSoon`);
/// evidence made before a later resend is stale; a new lookup after the minimum age since that
/// resend releases it.
pub async fn too_soon_and_stale_evidence(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let entry = sent(&acme, "acme", NOW).await;
    let empty = [page(&[], None)];
    let mut young = Lookup::new(&entry, NOW + 10).unwrap();
    assert_eq!(
        run(&mut young, &empty),
        LookupStep::TooSoon {
            retry_at: NOW + DEFAULT_MIN_AGE
        }
    );
    // A shorter minimum age of the caller's, still not reached.
    let mut young = Lookup::new(&entry, NOW + 10).unwrap().with_min_age(60);
    assert_eq!(
        run(&mut young, &empty),
        LookupStep::TooSoon { retry_at: NOW + 60 }
    );
    let mut old_enough = Lookup::new(&entry, NOW + DEFAULT_MIN_AGE).unwrap();
    let LookupStep::NotCreated(evidence) = run(&mut old_enough, &empty) else {
        panic!("old enough")
    };
    // The request goes again before the evidence is used: it proves nothing now.
    let resend_at = NOW + DEFAULT_MIN_AGE + 1;
    acme.resend(entry.id(), resend_at).await.unwrap();
    assert!(matches!(
        acme.release(entry.id(), Release::NotCreated(evidence), resend_at + 1)
            .await,
        Err(CatalogError::StaleEvidence { .. })
    ));
    let resent = acme.get(entry.id()).await.unwrap().unwrap();
    assert_eq!((resent.stage(), resent.sends()), (Stage::Sent, 2));
    assert!(holds_keys(&acme, &entry).await);
    let mut again = Lookup::new(&resent, resend_at + 1).unwrap();
    assert_eq!(
        run(&mut again, &empty),
        LookupStep::TooSoon {
            retry_at: resend_at + DEFAULT_MIN_AGE
        }
    );
    let mut again = Lookup::new(&resent, resend_at + DEFAULT_MIN_AGE).unwrap();
    let LookupStep::NotCreated(evidence) = run(&mut again, &empty) else {
        panic!("old enough since the resend")
    };
    acme.release(
        entry.id(),
        Release::NotCreated(evidence),
        resend_at + DEFAULT_MIN_AGE,
    )
    .await
    .unwrap();
    assert!(!holds_keys(&acme, &entry).await);
    // A reserved entry has nothing to look up.
    let reserved = acme
        .admit(&spec("reserved", REGION, &[], None, None), NOW)
        .await
        .unwrap()
        .into_entry();
    assert_eq!(Lookup::new(&reserved, NOW + DEFAULT_MIN_AGE), None);
}

/// Entries without a token of the spec's get 32 hex digits each, different; a spec's token
/// wins; both survive a reopen of the store and go with every send.
pub async fn every_entry_has_a_client_token(engine: &impl Engine) {
    let acme = catalog(engine, ACME).await;
    let is_hex32 = |token: &str| {
        token.len() == 32
            && token
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    };
    let plain_1 = sent(&acme, "plain-1", NOW).await;
    let plain_2 = acme
        .admit(&spec("plain-2", REGION, &[], None, None), NOW)
        .await
        .unwrap()
        .into_entry();
    let own_spec = spec("own", REGION, &[], None, Some("my-own-token"));
    let own = acme.admit(&own_spec, NOW).await.unwrap().into_entry();
    for entry in [&plain_1, &plain_2] {
        let token = entry.client_token().as_str();
        assert!(is_hex32(token), "{}: {token:?}", entry.alias());
    }
    assert_ne!(plain_1.client_token(), plain_2.client_token());
    assert_eq!(own.client_token().as_str(), "my-own-token");
    let call = acme
        .sent(own.id(), &CreateOrganization::new(&own_spec).unwrap(), NOW)
        .await
        .unwrap();
    assert_eq!(
        call.request().client_token().map(|t| t.as_str()),
        Some("my-own-token")
    );

    // Another process, on a new store.
    let reopened = catalog(engine, ACME).await;
    for entry in [&plain_1, &plain_2, &own] {
        let read = reopened.get(entry.id()).await.unwrap().unwrap();
        assert_eq!(
            read.client_token(),
            entry.client_token(),
            "{}",
            entry.alias()
        );
    }
    let resent = reopened.resend(plain_1.id(), NOW + 1).await.unwrap();
    assert_eq!(
        resent.request().client_token(),
        Some(plain_1.client_token())
    );
    assert_eq!(Some(resent), plain_1.call());
    // The drawn token is the entry's, not the spec's: the same spec again is another
    // organization, refused for its alias.
    assert!(reopened.admit(plain_2.spec(), NOW).await.is_err());
}

/// Two owners cannot both hold an entry's lease; it is live until its expiry plus the clock
/// skew; its holder renews and gives it up; writes by others are fenced while it lives.
pub async fn two_owners_cannot_both_lease_an_entry(engine: &impl Engine) {
    let w1 = catalog(engine, ACME).await.with_owner(owner("w1"));
    let w2 = catalog(engine, ACME).await.with_owner(owner("w2"));
    let anyone = catalog(engine, ACME).await;
    let entry = sent(&anyone, "acme", NOW).await;
    let id = entry.id();
    assert!(matches!(
        anyone.lease(id, NOW, 60).await,
        Err(CatalogError::NoOwner { .. })
    ));

    let Leased {
        entry: leased,
        took_over,
        ..
    } = w1.lease(id, NOW, 60).await.unwrap();
    assert!(!took_over);
    assert_eq!(
        leased.lease().map(|l| (l.owner().as_str(), l.expires_at())),
        Some(("w1", NOW + 60))
    );
    for at in [NOW + 1, NOW + 60, NOW + 60 + MAX_CLOCK_SKEW - 1] {
        match w2.lease(id, at, 60).await {
            Err(CatalogError::Leased { until, .. }) => {
                assert_eq!(until, NOW + 60 + MAX_CLOCK_SKEW)
            }
            other => panic!("at {at}: {other:?}"),
        }
    }
    // Fenced: another owner, and a catalog without one while the lease lives.
    assert!(matches!(
        w2.resend(id, NOW + 2).await,
        Err(CatalogError::LeaseLost { .. })
    ));
    assert!(matches!(
        anyone.created(id, &created(1), NOW + 2).await,
        Err(CatalogError::LeaseLost { .. })
    ));
    assert!(matches!(
        w2.unlease(id, NOW + 2).await,
        Err(CatalogError::LeaseLost { .. })
    ));
    // The holder renews, and writes.
    let renewed = w1.lease(id, NOW + 30, 60).await.unwrap();
    assert!(!renewed.took_over);
    assert_eq!(
        renewed.entry.lease().map(|l| l.expires_at()),
        Some(NOW + 90)
    );
    w1.resend(id, NOW + 31).await.unwrap();
    // Given up: the other takes it, not over anyone.
    let unleased = w1.unlease(id, NOW + 32).await.unwrap();
    assert_eq!(unleased.lease(), None);
    let Leased {
        entry: taken,
        took_over,
        ..
    } = w2.lease(id, NOW + 33, 60).await.unwrap();
    assert!(!took_over);
    assert_eq!(taken.lease().map(|l| l.owner().as_str()), Some("w2"));
    assert_eq!(taken.sends(), 2);
}

/// An expired lease (past its expiry and the clock skew) is taken over, and said so.
pub async fn an_expired_lease_is_taken_over(engine: &impl Engine) {
    let w1 = catalog(engine, ACME).await.with_owner(owner("w1"));
    let w2 = catalog(engine, ACME).await.with_owner(owner("w2"));
    let entry = sent(&w1, "acme", NOW).await;
    w1.lease(entry.id(), NOW, 60).await.unwrap();
    let at = NOW + 60 + MAX_CLOCK_SKEW;
    let Leased {
        entry: taken,
        took_over,
        ..
    } = w2.lease(entry.id(), at, 60).await.unwrap();
    assert!(took_over);
    assert_eq!(
        taken.lease().map(|l| (l.owner().as_str(), l.expires_at())),
        Some(("w2", at + 60))
    );
    // A catalog without an owner may write once no lease is live.
    let anyone = catalog(engine, ACME).await;
    let expired = at + 60 + MAX_CLOCK_SKEW;
    assert!(anyone.resend(entry.id(), expired).await.is_ok());
}

/// The fencing: a worker whose lease expired and was taken over gets `LeaseLost` on
/// `created` (and on every other write), and nothing is written; the new holder records.
pub async fn a_worker_whose_lease_was_taken_over_is_fenced(engine: &impl Engine) {
    let w1 = catalog(engine, ACME).await.with_owner(owner("w1"));
    let w2 = catalog(engine, ACME).await.with_owner(owner("w2"));
    let entry = sent(&w1, "acme", NOW).await;
    let id = entry.id();
    w1.lease(id, NOW, 60).await.unwrap();
    // w1 waits on AWS past its lease; w2 takes the entry over.
    let at = NOW + 60 + MAX_CLOCK_SKEW + 1;
    let taken = w2.lease(id, at, 60).await.unwrap();
    assert!(taken.took_over);
    let before = w2.get(id).await.unwrap().unwrap();

    let lost =
        |result: Result<Entry, CatalogError>| matches!(result, Err(CatalogError::LeaseLost { .. }));
    assert!(lost(w1.created(id, &created(1), at + 1).await), "created");
    assert!(matches!(
        w1.answered(id, &CreateAnswer::Created(created(1)), at + 1)
            .await,
        Err(CatalogError::LeaseLost { .. })
    ));
    assert!(matches!(
        w1.resend(id, at + 1).await,
        Err(CatalogError::LeaseLost { .. })
    ));
    assert!(lost(release_not_created(&w1, id, at + 1).await), "release");
    assert!(lost(
        w1.adopt(id, &snapshot(1, "acme", ACME, REGION, "Active"), at + 1)
            .await
    ));
    assert!(lost(w1.unlease(id, at + 1).await), "unlease");
    // Its own lease again, while w2's lives: refused.
    assert!(matches!(
        w1.lease(id, at + 1, 60).await,
        Err(CatalogError::Leased { .. })
    ));
    // Nothing was written.
    assert_eq!(w2.get(id).await.unwrap(), Some(before));
    assert_eq!(
        w2.by_organization_id(&organization_id(1).parse().unwrap())
            .await
            .unwrap(),
        None
    );
    // The holder records what AWS answered it.
    let created_entry = w2.created(id, &created(1), at + 2).await.unwrap();
    assert_eq!(created_entry.stage(), Stage::Created);
}

on_every_engine!(
    each_answer_to_a_first_send_and_a_resend,
    a_lookup_that_matches_is_adopted,
    a_lookup_without_a_match_releases_on_evidence,
    a_failed_match_is_adopted_as_failed,
    a_deleting_match_is_unresolved,
    an_organization_held_by_another_entry_is_not_adopted,
    too_soon_and_stale_evidence,
    every_entry_has_a_client_token,
    two_owners_cannot_both_lease_an_entry,
    an_expired_lease_is_taken_over,
    a_worker_whose_lease_was_taken_over_is_fenced,
);

/// How many entries the two recoverers share.
const PENDING: u64 = 50;
/// How many of them a recoverer that died left leased (expired): each is a takeover.
const ABANDONED: u64 = 10;
/// A recoverer's lease, in seconds.
const LEASE: u64 = 60;

/// What one recoverer did.
#[derive(Debug, Default)]
struct Sweep {
    actions: usize,
    takeovers: usize,
    skipped_leased: usize,
    skipped_settled: usize,
    passes: usize,
}

/// One recoverer: sweeps `pending` pages until none is left, leasing each entry (skipping one
/// another recoverer holds, or one settled since the page was read) and settling it: the even
/// ones by an answer with the organization id, the odd ones on a lookup's evidence.
async fn recover(
    catalog: Catalog<Arc<AnyStore>>,
    now: u64,
    log: Arc<Mutex<Vec<(u64, String)>>>,
) -> Sweep {
    let me = catalog.owner().unwrap().as_str().to_owned();
    let mut sweep = Sweep::default();
    loop {
        sweep.passes += 1;
        assert!(
            sweep.passes < 1000,
            "{me}: the sweep does not end: {sweep:?}"
        );
        let mut seen = 0;
        let mut after = None;
        loop {
            let pending = catalog.pending(u64::MAX, after, 8).await.unwrap();
            let Some(last) = pending.last() else { break };
            after = Some(last.id());
            seen += pending.len();
            for listed in pending {
                let id = listed.id();
                let leased = match catalog.lease(id, now, LEASE).await {
                    Ok(leased) => leased,
                    Err(CatalogError::Leased { .. }) => {
                        sweep.skipped_leased += 1;
                        continue;
                    }
                    Err(CatalogError::NotFound { .. }) => {
                        sweep.skipped_settled += 1;
                        continue;
                    }
                    Err(err) => panic!("{me}: leasing entry {id}: {err}"),
                };
                if leased.entry.stage() != Stage::Sent {
                    // Settled by the other since this page was read.
                    sweep.skipped_settled += 1;
                    catalog.unlease(id, now).await.unwrap();
                    continue;
                }
                sweep.takeovers += usize::from(leased.took_over);
                let n: u64 = leased.entry.alias().as_str()[1..].parse().unwrap();
                log.lock().unwrap().push((id.get(), me.clone()));
                sweep.actions += 1;
                if n.is_multiple_of(2) {
                    let answer = CreateAnswer::Created(created(n));
                    match catalog.answered(id, &answer, now).await.unwrap() {
                        Answered::Created(entry) => assert_eq!(entry.stage(), Stage::Created),
                        other => panic!("{me}: entry {id}: {other:?}"),
                    }
                    catalog.unlease(id, now).await.unwrap();
                } else {
                    let mut lookup = Lookup::new(&leased.entry, now).unwrap();
                    let LookupStep::NotCreated(evidence) =
                        lookup.page(&page(&[(1_000 + n, "unrelated", "Active")], None))
                    else {
                        panic!("{me}: entry {id}: no evidence")
                    };
                    catalog
                        .release(id, Release::NotCreated(evidence), now)
                        .await
                        .unwrap();
                }
            }
        }
        if seen == 0 {
            return sweep;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Two recoverers, each with a store (a pool) of its own and an owner of its own, sweep the
/// same 50 pending `sent` entries at once, ten of them left leased by a recoverer that died:
/// each entry is acted on exactly once, none is left pending, and no key outlives its entry.
async fn two_recoverers_share_fifty_pending_entries(engine: &impl Engine, name: &str) {
    let setup = catalog(engine, ACME).await;
    let dead = catalog(engine, ACME).await.with_owner(owner("recoverer-0"));
    for n in 0..PENDING {
        let entry = sent(&setup, &format!("p{n}"), NOW).await;
        if n.is_multiple_of(PENDING / ABANDONED) {
            dead.lease(entry.id(), NOW, LEASE).await.unwrap();
        }
    }
    // Long after the sends (past the minimum age) and the dead recoverer's leases.
    let now = NOW + DEFAULT_MIN_AGE + 3_600;
    let log: Arc<Mutex<Vec<(u64, String)>>> = Arc::new(Mutex::new(Vec::new()));
    let start = Arc::new(Barrier::new(2));
    let began = Instant::now();
    let mut recoverers = JoinSet::new();
    for r in 1..=2 {
        let catalog = catalog(engine, ACME)
            .await
            .with_owner(owner(&format!("recoverer-{r}")));
        let (log, start) = (log.clone(), start.clone());
        recoverers.spawn(async move {
            start.wait().await;
            (r, recover(catalog, now, log).await)
        });
    }
    let mut sweeps = BTreeMap::new();
    while let Some(done) = recoverers.join_next().await {
        let (r, sweep) = done.expect("a recoverer ran to its end");
        sweeps.insert(r, sweep);
    }
    let elapsed = began.elapsed();

    let log = std::mem::take(&mut *log.lock().unwrap());
    let mut per_entry: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
    for (id, owner) in &log {
        per_entry.entry(*id).or_default().push(owner);
    }
    let twice: Vec<_> = per_entry
        .iter()
        .filter(|(_, owners)| owners.len() > 1)
        .collect();
    assert_eq!(
        twice,
        Vec::<(&u64, &Vec<&str>)>::new(),
        "an entry acted on twice"
    );
    assert_eq!(per_entry.len() as u64, PENDING, "every entry acted on");
    assert_eq!(log.len() as u64, PENDING);
    assert!(setup.pending(u64::MAX, None, 100).await.unwrap().is_empty());
    let listed = setup.list(None, None, 100).await.unwrap();
    assert_eq!(
        listed.len() as u64,
        PENDING / 2,
        "the released ones are gone"
    );
    for entry in &listed {
        assert_eq!(entry.stage(), Stage::Created, "{}", entry.alias());
        assert_eq!(entry.lease(), None, "{}", entry.alias());
    }
    assert_eq!(setup.quota().await.unwrap().live, PENDING / 2);
    let keys = check_keys(engine, &setup).await;
    assert_eq!(keys as u64, PENDING / 2 * 2, "an alias and a domain each");
    let takeovers: usize = sweeps.values().map(|s| s.takeovers).sum();
    assert_eq!(
        takeovers as u64, ABANDONED,
        "every abandoned lease taken over once"
    );
    eprintln!(
        "two recoverers on {name}: {PENDING} pending sent entries ({ABANDONED} left leased by \
         a dead recoverer), each acted on exactly once: {}; {takeovers} takeovers in all; \
         {} created, {} released on evidence, none pending, {keys} keys held, every one by its \
         entry; {elapsed:.1?}",
        sweeps
            .iter()
            .map(|(r, s)| format!(
                "recoverer-{r} {} actions, {} takeovers, {} skipped as leased, {} as settled, \
                 {} passes",
                s.actions, s.takeovers, s.skipped_leased, s.skipped_settled, s.passes
            ))
            .collect::<Vec<_>>()
            .join(", "),
        PENDING / 2,
        PENDING / 2,
    );
}

/// The race on each database engine.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod race {
    use super::two_recoverers_share_fifty_pending_entries;

    on_database_engines!(two_recoverers_share_fifty_pending_entries);
}
