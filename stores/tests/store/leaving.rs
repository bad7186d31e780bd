//! Leaving plans (migration 6) on every engine: compare-and-set on the version, the lease,
//! its takeover, fencing a holder whose lease was taken over, and a plan that survives a
//! reopen of the store.

use std::sync::Arc;

use serde_json::json;
use workmail_org::catalog::store::Written;
use workmail_org::catalog::{LeaseOwner, PlanError, PlanStore, StoredPlan, MAX_CLOCK_SKEW};
use workmail_org::leaving::{Destination, Leaving, LeavingInputs, LeavingPlan, Options};
use workmail_org::{Catalog, Region};
use workmail_org_stores::AnyStore;

use crate::support::{catalog, organization_id, Engine};

const ACME: &str = "111122223333";
const OTHER: &str = "444455556666";
const NOW: u64 = 1_764_000_000;

fn leaving(n: u64) -> Leaving {
    let organization = serde_json::from_value(json!({
        "OrganizationId": organization_id(n), "Alias": format!("acme-{n}"), "State": "Active",
        "DirectoryType": "VpcDirectory"
    }))
    .unwrap();
    let user = serde_json::from_value(json!({
        "Id": "u-1", "Name": "jdoe", "State": "ENABLED", "UserRole": "USER",
        "EnabledDate": 1_767_225_600
    }))
    .unwrap();
    let destination = Destination::new(
        "acme-exports".parse().unwrap(),
        "workmail/".parse().unwrap(),
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            .parse()
            .unwrap(),
        "arn:aws:iam::111122223333:role/workmail-export"
            .parse()
            .unwrap(),
        vec!["10 mx.new.example".parse().unwrap()],
    )
    .unwrap();
    let inputs = LeavingInputs::new(
        Region::UsEast1,
        organization,
        vec![user],
        vec![],
        vec![],
        destination,
        Options::default(),
    );
    Leaving::new(LeavingPlan::new(inputs).unwrap())
}

async fn owned(engine: &impl Engine, account: &str, owner: &str) -> Catalog<Arc<AnyStore>> {
    catalog(engine, account)
        .await
        .with_owner(LeaseOwner::parse(owner).unwrap())
}

/// The first take stores the plan at version 1; progress saved is read back by a new store.
async fn a_plan_is_stored_and_survives_a_reopen(engine: &impl Engine) {
    let worker = owned(engine, ACME, "worker-a").await;
    let mut held = worker.take_leaving(leaving(1), NOW, 60).await.unwrap();
    assert_eq!((held.version(), held.took_over()), (1, false));
    // Progress: the one export sent.
    let sent = held.leaving_mut().start_exports(NOW).unwrap();
    assert_eq!(sent.len(), 1);
    worker.save_leaving(&mut held, NOW + 1, 60).await.unwrap();
    assert_eq!(held.version(), 2);
    // A new store (another process) reads the same document back, re-validated.
    let reader = catalog(engine, ACME).await;
    let (stored, lease) = reader
        .leaving(&organization_id(1).parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&stored, held.leaving());
    assert_eq!(stored.attempts(&"u-1".parse().unwrap()).len(), 1);
    assert_eq!(lease.unwrap().owner().as_str(), "worker-a");
    // Another account has no plan for it; the plan of another organization is apart.
    let other = catalog(engine, OTHER).await;
    assert!(other
        .leaving(&organization_id(1).parse().unwrap())
        .await
        .unwrap()
        .is_none());
    // The same process taking it again resumes the stored progress, not the fresh plan.
    let again = worker.take_leaving(leaving(1), NOW + 2, 60).await.unwrap();
    assert_eq!(again.leaving(), held.leaving());
    assert_eq!((again.version(), again.took_over()), (3, false));
}

/// A live lease of another owner refuses; an expired one is taken over, and the old holder's
/// next write fails with `LeaseLost`, writing nothing.
async fn a_lease_is_refused_taken_over_and_fenced(engine: &impl Engine) {
    let a = owned(engine, ACME, "worker-a").await;
    let b = owned(engine, ACME, "worker-b").await;
    let mut held_a = a.take_leaving(leaving(2), NOW, 60).await.unwrap();
    let refused = b.take_leaving(leaving(2), NOW + 10, 60).await.unwrap_err();
    assert!(
        matches!(refused, PlanError::Leased { until, .. } if until == NOW + 60 + MAX_CLOCK_SKEW),
        "{refused}"
    );
    // Within the skew the lease still holds.
    assert!(b
        .take_leaving(leaving(2), NOW + 60 + MAX_CLOCK_SKEW - 1, 60)
        .await
        .is_err());
    let later = NOW + 60 + MAX_CLOCK_SKEW;
    let mut held_b = b.take_leaving(leaving(2), later, 60).await.unwrap();
    assert!(held_b.took_over());
    // A, whose lease was taken over, cannot write.
    held_a.leaving_mut().start_exports(later).unwrap();
    let lost = a
        .save_leaving(&mut held_a, later + 1, 60)
        .await
        .unwrap_err();
    assert!(matches!(lost, PlanError::LeaseLost { .. }), "{lost}");
    assert_eq!(
        lost.to_string(),
        format!(
            "the leaving plan of {}: the lease was lost to another process; nothing was written",
            organization_id(2)
        )
    );
    let (stored, lease) = b
        .leaving(&organization_id(2).parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.attempts(&"u-1".parse().unwrap()).is_empty(),
        "A wrote nothing"
    );
    assert_eq!(lease.unwrap().owner().as_str(), "worker-b");
    // B writes, and gives the lease up; then A may take it again at once.
    held_b.leaving_mut().start_exports(later).unwrap();
    b.save_leaving(&mut held_b, later + 2, 60).await.unwrap();
    b.unlease_leaving(&mut held_b, later + 3).await.unwrap();
    let resumed = a.take_leaving(leaving(2), later + 4, 60).await.unwrap();
    assert!(!resumed.took_over());
    assert_eq!(resumed.leaving().attempts(&"u-1".parse().unwrap()).len(), 1);
    // Without an owner, no lease.
    let anonymous = catalog(engine, ACME).await;
    assert!(matches!(
        anonymous
            .take_leaving(leaving(3), NOW, 60)
            .await
            .unwrap_err(),
        PlanError::NoOwner { .. }
    ));
}

/// The store's compare-and-set: version 1 only once, each later version only over the one
/// before; a document that does not read back is named.
async fn a_plan_is_written_by_compare_and_set(engine: &impl Engine) {
    let store = engine.open().await;
    let account = ACME.parse().unwrap();
    let id: workmail_org::OrganizationId = organization_id(4).parse().unwrap();
    let document = serde_json::to_string(&leaving(4)).unwrap();
    let at = |version, text: &str| {
        StoredPlan::new(
            ACME.parse().unwrap(),
            id.clone(),
            text.to_owned(),
            version,
            None,
            NOW,
        )
    };
    assert_eq!(
        store.put_plan(&at(1, &document)).await.unwrap(),
        Written::Done
    );
    assert_eq!(
        store.put_plan(&at(1, &document)).await.unwrap(),
        Written::Stale
    );
    assert_eq!(
        store.put_plan(&at(3, &document)).await.unwrap(),
        Written::Stale
    );
    assert_eq!(store.put_plan(&at(2, "{}")).await.unwrap(), Written::Done);
    assert_eq!(
        store.put_plan(&at(2, &document)).await.unwrap(),
        Written::Stale
    );
    let stored = store.plan(&account, &id).await.unwrap().unwrap();
    assert_eq!((stored.version(), stored.document()), (2, "{}"));
    assert!(stored.lease().is_none());
    let invalid = catalog(engine, ACME).await.leaving(&id).await.unwrap_err();
    assert!(matches!(invalid, PlanError::Invalid { .. }), "{invalid}");
}

on_every_engine!(
    a_plan_is_stored_and_survives_a_reopen,
    a_lease_is_refused_taken_over_and_fenced,
    a_plan_is_written_by_compare_and_set,
);
