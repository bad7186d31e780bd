//! Migrations: eight processes (this test binary, run again with `STORE_TEST_MIGRATE` set)
//! migrate one fresh database at the same moment, and each migration is recorded once; and a
//! database made before migrations were versioned is adopted with its rows intact.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use workmail_org::aws::CreateOrganization;
use workmail_org::catalog::{Admission, Release};

use crate::support::{catalog, open_from_env, spec, Engine};

/// Set in a child that migrates: the moment to start at, in milliseconds since the epoch.
const CHILD_START_AT: &str = "STORE_TEST_MIGRATE";
/// How many processes migrate at once.
const PROCESSES: usize = 8;
/// How many fresh databases they migrate, one after the other.
const ROUNDS: usize = 4;

fn epoch_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// The child's side: opens the database its parent named, waits for the start time, and
/// migrates; says how late it started. In a normal run the variable is unset and this
/// returns at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child() {
    let Ok(start_at) = std::env::var(CHILD_START_AT) else {
        return;
    };
    let start_at: u64 = start_at.parse().unwrap();
    let store = open_from_env().await;
    let wait = start_at.saturating_sub(epoch_millis());
    tokio::time::sleep(Duration::from_millis(wait)).await;
    let late = epoch_millis().saturating_sub(start_at);
    let result = match &store {
        #[cfg(feature = "sqlite")]
        workmail_org_stores::AnyStore::Sqlite(store) => store.migrate().await,
        #[cfg(feature = "postgres")]
        workmail_org_stores::AnyStore::Postgres(store) => store.migrate().await,
        other => panic!("no migration for {other:?}"),
    };
    if let Err(err) = result {
        let mut chain = vec![err.to_string()];
        let mut source = std::error::Error::source(&err);
        while let Some(err) = source {
            chain.push(err.to_string());
            source = err.source();
        }
        panic!("migrating: {}", chain.join(": "));
    }
    println!("MIGRATED late={late}");
}

/// Eight processes migrate one fresh database at the same moment: all succeed, and the
/// migration table is what one migration alone makes. Each test runs [`ROUNDS`] of them, on
/// a fresh database each.
async fn eight_processes_migrate_at_once(fresh: &impl Engine, reference: &impl Engine, name: &str) {
    // Not even looked at first: the SQLite file does not exist until the children open it.
    // Long enough for eight test binaries to start on two cores.
    let start_at = epoch_millis() + 1_500;
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| {
            Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "migration::child",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .envs(fresh.child_env())
                .env(CHILD_START_AT, start_at.to_string())
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outcomes = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|mut child| {
                let (mut out, mut err) = (String::new(), String::new());
                child
                    .stdout
                    .take()
                    .unwrap()
                    .read_to_string(&mut out)
                    .unwrap();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                (child.wait().unwrap(), out, err)
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let mut lateness = Vec::new();
    for (status, out, err) in &outcomes {
        assert!(
            status.success(),
            "a migrating process failed ({status}): {out}{err}"
        );
        let late = out
            .lines()
            .find_map(|line| line.split_once("MIGRATED late=").map(|(_, late)| late))
            .unwrap_or_else(|| panic!("the child did not migrate: {out}{err}"));
        lateness.push(late.parse::<u64>().unwrap());
    }
    lateness.sort_unstable();
    reference.migrate().await.unwrap();
    let expected = reference.migrations().await.expect("migrated once");
    assert!(!expected.is_empty());
    let versions: Vec<i64> = expected.iter().map(|(version, _)| *version).collect();
    assert_eq!(
        versions,
        (1..=expected.len() as i64).collect::<Vec<_>>(),
        "versions 1, 2, ... each once"
    );
    let recorded = fresh.migrations().await.expect("migrated");
    assert_eq!(recorded, expected, "one row per migration");
    eprintln!(
        "{PROCESSES} processes migrating one fresh {name} database at once: all exited 0, \
         {} migration row(s) {recorded:?}; started {lateness:?} ms after the agreed moment",
        recorded.len()
    );
    // The database works, and migrating again changes nothing.
    let acme = catalog(fresh, "111122223333").await;
    let admitted = acme
        .admit(&spec("acme", "us-east-1", &[], None, None), 0)
        .await
        .unwrap();
    assert!(matches!(admitted, Admission::New(_)));
    fresh.migrate().await.unwrap();
    assert_eq!(fresh.migrations().await.as_ref(), Some(&expected));
}

/// A database made by the old `migrate` (the schema, no migration table), with rows in it,
/// is adopted by the new one: the migrations recorded, every row as it was.
async fn an_old_database_is_adopted(old: &impl Engine, reference: &impl Engine, name: &str) {
    old.execute_sql(&old.old_schema()).await;
    assert_eq!(old.migrations().await, None, "no migration table yet");
    const ACME: &str = "111122223333";
    let before = catalog(old, ACME).await;
    before.set_limit(Some(7)).await.unwrap();
    let spec_a = spec(
        "Acme",
        "eu-west-1",
        &["a.example", "b.example"],
        Some("d-1234567890"),
        Some("t-1"),
    );
    let reserved = before.admit(&spec_a, 10).await.unwrap().into_entry();
    let call = CreateOrganization::new(&spec_a).unwrap();
    let sent = before.sent(reserved.id(), &call, 11).await.unwrap();
    let spec_b = spec("globex", "us-east-1", &["g.example"], None, None);
    let second = before.admit(&spec_b, 12).await.unwrap().into_entry();
    let released = before
        .admit(&spec("gone", "us-east-1", &[], None, None), 13)
        .await
        .unwrap()
        .into_entry();
    before
        .release(released.id(), Release::NothingSent)
        .await
        .unwrap();
    let listed = before.list(None, None, 100).await.unwrap();
    drop(before);

    old.migrate().await.unwrap();
    reference.migrate().await.unwrap();
    let expected = reference.migrations().await.expect("migrated");
    assert_eq!(old.migrations().await, Some(expected.clone()));

    let after = catalog(old, ACME).await;
    assert_eq!(after.list(None, None, 100).await.unwrap(), listed);
    assert_eq!(after.get(sent.id()).await.unwrap(), Some(sent.clone()));
    assert_eq!(after.get(second.id()).await.unwrap(), Some(second.clone()));
    assert_eq!(after.get(released.id()).await.unwrap(), None);
    let quota = after.quota().await.unwrap();
    assert_eq!((quota.live, quota.limit), (2, 7));
    for entry in [&sent, &second] {
        for key in entry.keys() {
            let holder = after.holder(&key).await.unwrap().map(|h| h.entry);
            assert_eq!(holder, Some(entry.id()), "{key}");
        }
    }
    assert_eq!(
        after.admit(&spec_a, 20).await.unwrap(),
        Admission::AlreadyAdmitted(sent.clone())
    );
    // New ids follow the old ones.
    let next = after
        .admit(&spec("initech", "us-east-1", &[], None, None), 21)
        .await
        .unwrap()
        .into_entry();
    assert!(next.id() > released.id(), "ids are never reused");
    old.migrate().await.unwrap();
    assert_eq!(old.migrations().await, Some(expected.clone()));
    eprintln!(
        "an old {name} database adopted: {} entries and the quota as they were, migrations \
         {expected:?} recorded",
        listed.len()
    );
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use crate::support::sqlite_support::sqlite_unmigrated;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn eight_processes_migrate_at_once() {
        for _ in 0..super::ROUNDS {
            let (fresh, reference) = (sqlite_unmigrated("migrate"), sqlite_unmigrated("reference"));
            super::eight_processes_migrate_at_once(&fresh, &reference, "SQLite").await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn an_old_database_is_adopted() {
        let (old, reference) = (sqlite_unmigrated("old"), sqlite_unmigrated("reference"));
        super::an_old_database_is_adopted(&old, &reference, "SQLite").await;
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use crate::support::postgres_support::postgres_unmigrated;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn eight_processes_migrate_at_once() {
        for _ in 0..super::ROUNDS {
            let fresh = postgres_unmigrated("migrate").await;
            let reference = postgres_unmigrated("reference").await;
            super::eight_processes_migrate_at_once(&fresh, &reference, "PostgreSQL").await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn an_old_database_is_adopted() {
        let old = postgres_unmigrated("old").await;
        let reference = postgres_unmigrated("reference").await;
        super::an_old_database_is_adopted(&old, &reference, "PostgreSQL").await;
    }
}
