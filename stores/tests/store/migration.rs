//! Migrations: eight processes (this test binary, run again with `STORE_TEST_MIGRATE` set)
//! migrate one fresh database at the same moment, and each migration is recorded once; and a
//! database made before migrations were versioned is adopted with its rows intact.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use workmail_org::aws::{CreateOrganization, CreateOrganizationRequest};
use workmail_org::catalog::{Admission, Stage};
use workmail_org::{Catalog, OrganizationSpec};

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

/// SQL text: `value` quoted, or `NULL`.
fn sql_text(value: Option<&str>) -> String {
    value.map_or_else(
        || "NULL".to_owned(),
        |v| format!("'{}'", v.replace('\'', "''")),
    )
}

/// The row the old store wrote for `spec` of `account`: the old columns only, the request
/// JSON once sent, the keys beside it. Its id is the database's next.
fn old_entry_row(
    account: &str,
    spec: &OrganizationSpec,
    request: Option<&CreateOrganizationRequest>,
    at: (u64, u64, u64),
) -> String {
    let (admitted_at, updated_at, version) = at;
    let domains: Vec<String> = spec
        .user_domains()
        .map(|(_, name)| name.as_str().to_owned())
        .collect();
    format!(
        "INSERT INTO organization_entry (account, region, alias, alias_folded, client_token, \
         spec, request, organization_id, snapshot, mail_domains, live, admitted_at, updated_at, \
         version) VALUES ('{account}', '{region}', {alias}, {folded}, {token}, {spec}, \
         {request}, NULL, NULL, {domains}, true, {admitted_at}, {updated_at}, {version});\n",
        region = spec.region().as_str(),
        alias = sql_text(Some(spec.alias().as_str())),
        folded = sql_text(Some(&spec.alias().to_canonical())),
        token = sql_text(spec.client_token().map(|t| t.as_str())),
        spec = sql_text(Some(&serde_json::to_string(&spec.to_draft()).unwrap())),
        request = sql_text(
            request
                .map(|r| serde_json::to_string(r).unwrap())
                .as_deref()
        ),
        domains = sql_text(Some(&serde_json::to_string(&domains).unwrap())),
    )
}

/// The key rows of entry `id` of `account` admitted from `spec`, as the old store wrote them.
fn old_key_rows(account: &str, spec: &OrganizationSpec, id: u64) -> String {
    Catalog::new(account.parse().unwrap())
        .keys(spec)
        .iter()
        .map(|key| {
            format!(
                "INSERT INTO organization_key (key, entry) VALUES ({}, {id});\n",
                sql_text(Some(&key.to_string()))
            )
        })
        .collect()
}

/// A database made by the old `migrate` (the schema, no migration table), with rows the old
/// store wrote in it (in the old columns, with SQL), is adopted by the new one: the
/// migrations recorded, every row as it was, each entry with a client token (its spec's, or
/// 32 hex digits drawn), a recorded request counted as one send, and ids going on.
async fn an_old_database_is_adopted(old: &impl Engine, reference: &impl Engine, name: &str) {
    old.execute_sql(&old.old_schema()).await;
    assert_eq!(old.migrations().await, None, "no migration table yet");
    const ACME: &str = "111122223333";
    let spec_a = spec(
        "Acme",
        "eu-west-1",
        &["a.example", "b.example"],
        Some("d-1234567890"),
        Some("t-1"),
    );
    let spec_b = spec("globex", "us-east-1", &["g.example"], None, None);
    let spec_c = spec("initech", "us-east-1", &["i.example"], None, None);
    let spec_gone = spec("gone", "us-east-1", &[], None, None);
    let request_a = CreateOrganization::new(&spec_a).unwrap().request().clone();
    let request_c = CreateOrganization::new(&spec_c).unwrap().request().clone();
    // Entry 1 sent (with its spec's token), 2 reserved, 3 sent without a token, 4 released
    // (gone, its id used); the quota of 7 set, 3 live.
    let mut rows = String::from(
        "INSERT INTO organization_account (account, organization_limit, live) \
         VALUES ('111122223333', 7, 3);\n",
    );
    rows += &old_entry_row(ACME, &spec_a, Some(&request_a), (10, 11, 2));
    rows += &old_entry_row(ACME, &spec_b, None, (12, 12, 1));
    rows += &old_entry_row(ACME, &spec_c, Some(&request_c), (13, 14, 2));
    rows += &old_entry_row(ACME, &spec_gone, None, (15, 15, 1));
    rows += &old_key_rows(ACME, &spec_a, 1);
    rows += &old_key_rows(ACME, &spec_b, 2);
    rows += &old_key_rows(ACME, &spec_c, 3);
    rows += "DELETE FROM organization_entry WHERE id = 4;\n";
    old.execute_sql(&rows).await;

    old.migrate().await.unwrap();
    reference.migrate().await.unwrap();
    let expected = reference.migrations().await.expect("migrated");
    assert_eq!(old.migrations().await, Some(expected.clone()));

    let after = catalog(old, ACME).await;
    let listed = after.list(None, None, 100).await.unwrap();
    let ids: Vec<u64> = listed.iter().map(|e| e.id().get()).collect();
    assert_eq!(ids, [1, 2, 3]);
    let is_hex32 = |token: &str| {
        token.len() == 32
            && token
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    };
    // (spec, request, sends, sent_at, admitted_at, updated_at, version)
    let was = [
        (&spec_a, Some(&request_a), 1, Some(11), 10, 11, 2),
        (&spec_b, None, 0, None, 12, 12, 1),
        (&spec_c, Some(&request_c), 1, Some(14), 13, 14, 2),
    ];
    for (entry, (spec, request, sends, sent_at, admitted_at, updated_at, version)) in
        listed.iter().zip(was)
    {
        let alias = spec.alias();
        assert_eq!(entry.spec(), spec, "{alias}");
        assert_eq!(entry.spec().alias().as_str(), alias.as_str());
        assert_eq!(entry.request(), request, "{alias}");
        assert_eq!(
            entry.stage(),
            if request.is_some() {
                Stage::Sent
            } else {
                Stage::Reserved
            }
        );
        assert_eq!(
            (entry.sends(), entry.sent_at()),
            (sends, sent_at),
            "{alias}"
        );
        assert_eq!(
            (entry.admitted_at(), entry.updated_at(), entry.version()),
            (admitted_at, updated_at, version),
            "{alias}"
        );
        assert_eq!(entry.lease(), None);
        assert_eq!(entry.organization_id(), None);
        match spec.client_token() {
            Some(token) => assert_eq!(entry.client_token(), token, "{alias}"),
            None => assert!(
                is_hex32(entry.client_token().as_str()),
                "{alias}: {:?}",
                entry.client_token()
            ),
        }
        for key in entry.keys() {
            let holder = after.holder(&key).await.unwrap().map(|h| h.entry);
            assert_eq!(holder, Some(entry.id()), "{key}");
        }
    }
    assert_ne!(
        listed[1].client_token(),
        listed[2].client_token(),
        "drawn one by one"
    );
    // The sent entry without a token is resent with the drawn one.
    let resent = after.resend(listed[2].id(), 20).await.unwrap();
    assert_eq!(
        resent.request().client_token(),
        Some(listed[2].client_token())
    );
    let quota = after.quota().await.unwrap();
    assert_eq!((quota.live, quota.limit), (3, 7));
    assert_eq!(
        after.admit(&spec_a, 20).await.unwrap(),
        Admission::AlreadyAdmitted(listed[0].clone())
    );
    // New ids follow the old ones, the released one's included.
    let next = after
        .admit(&spec("hooli", "us-east-1", &[], None, None), 21)
        .await
        .unwrap()
        .into_entry();
    assert!(next.id().get() > 4, "ids are never reused: {}", next.id());
    assert!(is_hex32(next.client_token().as_str()));
    old.migrate().await.unwrap();
    assert_eq!(old.migrations().await, Some(expected.clone()));
    eprintln!(
        "an old {name} database adopted: {} entries and the quota as they were, tokens kept or \
         drawn, sent ones counted once; migrations {expected:?} recorded",
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
