//! The emulator's state (feature `emulator`) against one contract, in memory, on SQLite and
//! on PostgreSQL; its migrations; and stores on one database (processes, as far as the
//! database can tell) that agree on it, a fault above all: taken once only.

use std::sync::Arc;

use workmail_org::dns::DomainTokens;
use workmail_org::{DomainName, OrganizationId};
use workmail_org_stores::emulator::{Fault, FaultKind, OrganizationPolls, SeededDirectory};
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

on_every_engine!(
    keeps_the_contract,
    stores_take_a_fault_once,
    migrations_are_a_track_of_their_own,
);
