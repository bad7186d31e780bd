//! The emulator's state (feature `emulator`) against one contract, in memory, on SQLite and
//! on PostgreSQL; its migrations; and stores on one database (processes, as far as the
//! database can tell) that agree on it, a fault above all: taken once only.

use std::sync::Arc;

use workmail_org::dns::DomainTokens;
use workmail_org::{DomainName, OrganizationId};
use workmail_org_stores::emulator::{
    EntityKind, ExportJob, ExportStart, Fault, FaultKind, OrganizationPolls, SeededDirectory,
    SeededEntity,
};
use workmail_org_stores::AnyStore;

use crate::support::Engine;

fn tokens(seed: &str) -> DomainTokens {
    DomainTokens::new(
        seed.parse().expect("a base64 token"),
        vec![format!("dkim{}", seed.trim_end_matches('='))
            .parse()
            .expect("a dkim token")],
    )
    .expect("tokens")
}

fn organization() -> OrganizationId {
    "m-0123456789abcdef0123456789abcdef".parse().unwrap()
}

/// A new store on the engine's database, its emulator tables made (twice: it is idempotent).
async fn open(engine: &impl Engine) -> Arc<AnyStore> {
    let store = engine.open().await;
    store.migrate_emulator().await.unwrap();
    store.migrate_emulator().await.unwrap();
    store
}

/// What every engine must do, call by call; then another store on the same database sees the
/// same state.
pub async fn keeps_the_contract(engine: &impl Engine) {
    let store = open(engine).await;
    let state = store.emulator();
    let directory = SeededDirectory {
        directory_id: "d-0123456789".into(),
        directory_type: "SimpleAD".into(),
        alias: "acme".into(),
        region: "us-east-1".into(),
        additional_regions: vec!["eu-west-1".into()],
        stage: "Active".into(),
    };
    assert_eq!(state.directory("d-0123456789").await.unwrap(), None);
    state.seed_directory(&directory).await.unwrap();
    assert_eq!(
        state.directory("d-0123456789").await.unwrap(),
        Some(directory.clone())
    );
    let replaced = SeededDirectory {
        stage: "Creating".into(),
        ..directory
    };
    state.seed_directory(&replaced).await.unwrap();
    assert_eq!(
        state.directory("d-0123456789").await.unwrap(),
        Some(replaced.clone())
    );

    let (create, describe) = ("CreateOrganization", "DescribeOrganization");
    state
        .add_fault(&Fault {
            kind: FaultKind::Throttle,
            operation: Some(describe.into()),
            count: 2,
        })
        .await
        .unwrap();
    state
        .add_fault(&Fault {
            kind: FaultKind::Throttle,
            operation: None,
            count: 1,
        })
        .await
        .unwrap();
    state
        .add_fault(&Fault {
            kind: FaultKind::DropAfter,
            operation: None,
            count: 0,
        })
        .await
        .unwrap();
    assert!(!state
        .take_fault(FaultKind::DropAfter, describe)
        .await
        .unwrap());
    assert!(
        state.take_fault(FaultKind::Throttle, create).await.unwrap(),
        "the any-operation one"
    );
    assert!(!state.take_fault(FaultKind::Throttle, create).await.unwrap());
    assert!(state
        .take_fault(FaultKind::Throttle, describe)
        .await
        .unwrap());
    assert!(state
        .take_fault(FaultKind::Throttle, describe)
        .await
        .unwrap());
    assert!(!state
        .take_fault(FaultKind::Throttle, describe)
        .await
        .unwrap());

    let id = organization();
    state.start_organization(&id, true).await.unwrap();
    state.start_organization(&id, false).await.unwrap();
    assert_eq!(
        state.poll_organization(&id).await.unwrap(),
        OrganizationPolls {
            polls: 1,
            fails: true
        }
    );
    assert_eq!(state.poll_organization(&id).await.unwrap().polls, 2);

    let domain: DomainName = "acme.example".parse().unwrap();
    let first = state
        .domain(&id, &domain, tokens("Zmlyc3Q="), true)
        .await
        .unwrap();
    assert_eq!((first.polls, first.fails), (1, false));
    let again = state
        .domain(&id, &domain, tokens("c2Vjb25k"), false)
        .await
        .unwrap();
    assert_eq!(again.tokens, first.tokens, "the first tokens stay");
    assert_eq!(again.polls, 1, "not a poll");
    state.fail_verification(&domain).await.unwrap();
    state.fail_verification(&domain).await.unwrap();
    assert!(
        state
            .domain(&id, &domain, tokens("Zmlyc3Q="), true)
            .await
            .unwrap()
            .fails
    );
    state.forget_domain(&id, &domain).await.unwrap();
    let fresh = state
        .domain(&id, &domain, tokens("c2Vjb25k"), true)
        .await
        .unwrap();
    assert_eq!((fresh.tokens, fresh.polls), (tokens("c2Vjb25k"), 1));

    // Another store on the same database (for memory, the same store) sees the same state.
    let other = engine.open().await;
    let other = other.emulator();
    assert_eq!(other.poll_organization(&id).await.unwrap().polls, 3);
    assert_eq!(
        other.directory("d-0123456789").await.unwrap(),
        Some(replaced)
    );
    assert_eq!(
        other
            .domain(&id, &domain, tokens("Zmlyc3Q="), false)
            .await
            .unwrap()
            .tokens,
        tokens("c2Vjb25k")
    );
}

/// Two stores on one database, each its own pool (two processes' worth), take faults at the
/// same moment: each call of a fault is taken once, never twice and never lost.
pub async fn stores_take_a_fault_once(engine: &impl Engine) {
    const CALLS: u32 = 12;
    const TAKERS: usize = 48;
    let (a, b) = (open(engine).await, open(engine).await);
    a.emulator()
        .add_fault(&Fault {
            kind: FaultKind::ServerErrorAfter,
            operation: Some("CreateOrganization".into()),
            count: CALLS,
        })
        .await
        .unwrap();
    // Single-call faults too: the last call of each deletes its row.
    for _ in 0..4 {
        b.emulator()
            .add_fault(&Fault {
                kind: FaultKind::ServerErrorAfter,
                operation: None,
                count: 1,
            })
            .await
            .unwrap();
    }
    let mut tasks = Vec::new();
    for n in 0..TAKERS {
        let store = if n % 2 == 0 {
            Arc::clone(&a)
        } else {
            Arc::clone(&b)
        };
        tasks.push(tokio::spawn(async move {
            store
                .emulator()
                .take_fault(FaultKind::ServerErrorAfter, "CreateOrganization")
                .await
                .unwrap()
        }));
    }
    let mut taken = 0;
    for task in tasks {
        taken += usize::from(task.await.unwrap());
    }
    assert_eq!(taken, CALLS as usize + 4, "each call of a fault once");
    assert!(!a
        .emulator()
        .take_fault(FaultKind::ServerErrorAfter, "ListOrganizations")
        .await
        .unwrap());
}

/// The emulator's migrations run on their own track: `migrate` alone makes none of its
/// tables, and `migrate_emulator` records 1001 and 1002 beside the store's versions.
pub async fn migrations_are_a_track_of_their_own(engine: &impl Engine) {
    let before = engine.migrations().await;
    if let Some(before) = &before {
        assert!(
            before.iter().all(|(version, _)| *version < 1000),
            "{before:?}"
        );
    }
    let store = open(engine).await;
    if let Some(after) = engine.migrations().await {
        let emulator: Vec<_> = after
            .iter()
            .filter(|(version, _)| *version > 1000)
            .collect();
        assert_eq!(
            emulator,
            [
                &(1001, "the emulator's state".to_owned()),
                &(1002, "users, resources and mailbox export jobs".to_owned())
            ],
            "{after:?}"
        );
        assert_eq!(after.len(), before.map_or(0, |before| before.len()) + 2);
    }
    store
        .emulator()
        .fail_verification(&"a.example".parse().unwrap())
        .await
        .unwrap();
}

fn entity(id: &str, kind: EntityKind, name: &str, state: &str, enabled: bool) -> SeededEntity {
    SeededEntity {
        organization_id: organization(),
        id: id.into(),
        kind,
        name: name.into(),
        email: Some(format!("{name}@acme.example")),
        state: state.into(),
        role: None,
        enabled_date: enabled.then_some(1_767_225_600),
    }
}

fn job(id: &str, token: &str, entity: &str) -> ExportJob {
    ExportJob {
        job_id: id.into(),
        organization_id: organization(),
        entity_id: entity.into(),
        client_token: token.into(),
        request: format!("{{\"ClientToken\": \"{token}\"}}"),
        state: "RUNNING".into(),
        polls: 0,
        fails: false,
        start_time: 100,
        end_time: None,
    }
}

/// Users, resources and export jobs, on every engine: found by id, name or email, paged by
/// id, counted; a job named by its token once, the running ones bounded, a failure used up,
/// polls ending a job and freeing its place.
pub async fn keeps_the_export_contract(engine: &impl Engine) {
    let store = open(engine).await;
    let state = store.emulator();
    let org = organization();
    for seeded in [
        entity("u-1", EntityKind::User, "jdoe", "ENABLED", true),
        entity("u-2", EntityKind::User, "ghost", "DISABLED", false),
        entity("r-1", EntityKind::Resource, "room", "ENABLED", true),
    ] {
        assert!(state.add_entity(&seeded, 3).await.unwrap());
    }
    let full = entity("u-3", EntityKind::User, "late", "ENABLED", true);
    assert!(!state.add_entity(&full, 3).await.unwrap(), "at most 3");
    assert_eq!(state.enabled_users(&org).await.unwrap(), 1);
    let by_email = state
        .entity(&org, "jdoe@acme.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_email.id, "u-1");
    assert_eq!(state.entity(&org, "room").await.unwrap().unwrap().id, "r-1");
    assert_eq!(state.entity(&org, "nobody").await.unwrap(), None);
    let first = state.entities(&org, EntityKind::User, "", 1).await.unwrap();
    assert_eq!(first.len(), 1);
    let rest = state
        .entities(&org, EntityKind::User, &first[0].id, 10)
        .await
        .unwrap();
    assert_eq!(
        rest.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["u-2"]
    );

    state.add_export_failure(&org, "r-1").await.unwrap();
    let started = state
        .start_export(&job("j-1", "t-1", "u-1"), 2)
        .await
        .unwrap();
    assert!(
        matches!(&started, ExportStart::Started(j) if !j.fails),
        "{started:?}"
    );
    let again = state
        .start_export(&job("j-9", "t-1", "u-1"), 2)
        .await
        .unwrap();
    assert!(
        matches!(&again, ExportStart::Existing(j) if j.job_id == "j-1"),
        "{again:?}"
    );
    let failing = state
        .start_export(&job("j-2", "t-2", "r-1"), 2)
        .await
        .unwrap();
    assert!(
        matches!(&failing, ExportStart::Started(j) if j.fails),
        "{failing:?}"
    );
    let refused = state
        .start_export(&job("j-3", "t-3", "u-1"), 2)
        .await
        .unwrap();
    assert_eq!(refused, ExportStart::LimitReached);
    for expected in ["RUNNING", "COMPLETED", "COMPLETED"] {
        let polled = state
            .poll_export(&org, "j-1", 200, 2)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(polled.state, expected);
    }
    assert_eq!(
        state.poll_export(&org, "j-none", 200, 2).await.unwrap(),
        None
    );
    let freed = state
        .start_export(&job("j-3", "t-3", "u-1"), 2)
        .await
        .unwrap();
    assert!(matches!(freed, ExportStart::Started(_)), "{freed:?}");
    let listed = state.export_jobs(Some(&org), 100, "", 10).await.unwrap();
    assert_eq!(
        listed.iter().map(|j| j.job_id.as_str()).collect::<Vec<_>>(),
        ["j-1", "j-2", "j-3"]
    );
    assert!(state
        .export_jobs(Some(&org), 101, "", 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        state.export_jobs(None, 0, "j-1", 1).await.unwrap()[0].job_id,
        "j-2"
    );

    state.delete_entities(&org).await.unwrap();
    assert_eq!(state.enabled_users(&org).await.unwrap(), 0);
    assert!(
        state.add_entity(&full, 3).await.unwrap(),
        "the count goes with them"
    );
    state.delete_entities(&org).await.unwrap();
    assert_eq!(state.entity(&org, "u-1").await.unwrap(), None);
    assert_eq!(
        state.export_jobs(None, 0, "", 10).await.unwrap().len(),
        3,
        "jobs stay"
    );
}

on_every_engine!(
    keeps_the_contract,
    keeps_the_export_contract,
    stores_take_a_fault_once,
    migrations_are_a_track_of_their_own,
);
