//! Real crashes: a child process (this test binary, run again with `STORE_TEST_CHILD` naming
//! its role) admits and goes on through the stages, and is killed with SIGKILL once it says
//! it reached the one under test (on PostgreSQL, the test then waits for the server to end
//! the child's sessions); a new store (standing for the next process) then finds what it left
//! with `pending` and releases (a sent one on a lookup's evidence) or resends it. The child runs on a tokio runtime of its own
//! (`#[tokio::test]`).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use workmail_org::aws::CreateOrganization;
use workmail_org::catalog::{Admission, AdmitError, Release, Stage, UniquenessKey};
use workmail_org::lifecycle::OrganizationState;
use workmail_org::{Catalog, OrganizationSpec};
use workmail_org_stores::AnyStore;

use crate::support::{
    catalog, check_keys, created, open_from_env, release_not_created, snapshot, spec, Engine,
};

/// Names the role of a child process; unset in a normal run.
const CHILD_ROLE: &str = "STORE_TEST_CHILD";
/// The alias a child works on.
const CHILD_ALIAS: &str = "STORE_TEST_ALIAS";
/// The stage a `stages` child stops at, or the client token of a `token` child.
const CHILD_ARG: &str = "STORE_TEST_ARG";

const ACCOUNT: &str = "111122223333";

/// The spec a child admits for `alias`: two mail domains, and a client token.
fn crash_spec(alias: &str, token: &str) -> OrganizationSpec {
    spec(
        alias,
        "us-east-1",
        &[&format!("{alias}.example"), &format!("{alias}.example.org")],
        None,
        Some(token),
    )
}

/// The organization id the crash tests' AWS answers for `alias`: one per alias.
fn organization_number(alias: &str) -> u64 {
    alias
        .bytes()
        .fold(7u64, |n, b| n.wrapping_mul(31).wrapping_add(u64::from(b)))
}

/// Says a stage was reached, on a line of its own, so the parent can kill right after it.
fn reached(stage: &str) {
    // Straight to the file descriptor: libtest may hold back what `println!` prints until the
    // test ends, and this child never ends by itself.
    let mut stdout = std::io::stdout().lock();
    let said = writeln!(stdout, "STAGE {stage}").and_then(|()| stdout.flush());
    said.expect("the parent reads the child's output");
}

/// The child's side: does its role and then, for the roles that wait to be killed, sleeps.
/// In a normal test run `STORE_TEST_CHILD` is unset and this returns at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child() {
    let Ok(role) = std::env::var(CHILD_ROLE) else {
        return;
    };
    let alias = std::env::var(CHILD_ALIAS).unwrap_or_default();
    let arg = std::env::var(CHILD_ARG).unwrap_or_default();
    let catalog = Catalog::open(ACCOUNT.parse().unwrap(), open_from_env().await);
    match role.as_str() {
        "stages" => {
            let spec = crash_spec(&alias, &format!("crash-{alias}"));
            let entry = catalog.admit(&spec, 100).await.unwrap().into_entry();
            reached("reserved");
            if arg != "reserved" {
                let call = CreateOrganization::new(&spec).unwrap();
                catalog.sent(entry.id(), &call, 101).await.unwrap();
                reached("sent");
            }
            if arg == "created" {
                catalog
                    .created(entry.id(), &created(organization_number(&alias)), 102)
                    .await
                    .unwrap();
                reached("created");
            }
            tokio::time::sleep(Duration::from_secs(600)).await;
        }
        "loop" => {
            catalog.set_limit(Some(1_000_000)).await.unwrap();
            reached("looping");
            for n in 0.. {
                let spec = crash_spec(&format!("{alias}{n}"), &format!("loop-{n}"));
                let entry = catalog.admit(&spec, n).await.unwrap().into_entry();
                catalog
                    .sent(entry.id(), &CreateOrganization::new(&spec).unwrap(), n)
                    .await
                    .unwrap();
                if n % 2 == 0 {
                    release_not_created(&catalog, entry.id(), n).await.unwrap();
                }
            }
        }
        "token" => {
            let outcome = match catalog.admit(&crash_spec(&alias, &arg), 100).await {
                Ok(Admission::New(_)) => "new".to_owned(),
                Ok(Admission::AlreadyAdmitted(_)) => "already".to_owned(),
                Err(AdmitError::Rejected(rejection)) => rejection
                    .violations()
                    .iter()
                    .map(|v| v.rule().id())
                    .collect::<Vec<_>>()
                    .join(","),
                Err(err) => format!("error: {err}"),
            };
            reached(&outcome);
        }
        other => panic!("no child role {other}"),
    }
}

/// Starts this binary again as a child with `role`, on `engine`'s database.
fn spawn(engine: &impl Engine, role: &str, alias: &str, arg: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash::child", "--nocapture", "--test-threads=1"])
        .envs(engine.child_env())
        .env(CHILD_ROLE, role)
        .env(CHILD_ALIAS, alias)
        .env(CHILD_ARG, arg)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Reads the child's output until it says it reached `stage`; every stage it said, in order.
#[track_caller]
fn wait_for(child: &mut Child, stage: &str) -> Vec<String> {
    let stdout = child.stdout.as_mut().unwrap();
    let mut said = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        // libtest's own `test crash::child ... ` may precede the first one on its line.
        if let Some((_, reached)) = line.split_once("STAGE ") {
            said.push(reached.to_owned());
            if reached == stage {
                return said;
            }
        }
    }
    let status = child.wait().unwrap();
    panic!("the child ended ({status}) before reaching {stage}; it said {said:?}");
}

/// SIGKILL, then reap; then waits until the database has ended the child's sessions (so
/// that whatever its server side was still doing is done).
async fn kill(engine: &impl Engine, mut child: Child) {
    let pid = child.id();
    child.kill().unwrap();
    child.wait().unwrap();
    engine.settle(pid).await;
}

/// What a crash left, in words, for the closing figures.
async fn left_behind(catalog: &Catalog<Arc<AnyStore>>, alias: &str) -> String {
    let pending = catalog.pending(u64::MAX, None, 100).await.unwrap();
    let entry = catalog
        .by_alias(&alias.parse().unwrap())
        .await
        .unwrap()
        .expect("the entry survives the crash");
    let mut keys = 0;
    for key in entry.keys() {
        if catalog.holder(&key).await.unwrap().map(|h| h.entry) == Some(entry.id()) {
            keys += 1;
        }
    }
    format!(
        "entry {} at {}, {} of its {} keys held, {} pending, quota {} live",
        entry.id(),
        entry.stage(),
        keys,
        entry.keys().len(),
        if pending.iter().any(|e| e.id() == entry.id()) {
            "listed as"
        } else {
            "not"
        },
        catalog.quota().await.unwrap().live
    )
}

/// Kills a child at each stage; the next process releases or resends what it left.
async fn killed_at_each_stage(engine: &impl Engine, name: &str) {
    let cases = [
        ("reserved", "crash-reserved", "release"),
        ("sent", "crash-sent-resent", "resend"),
        ("sent", "crash-sent-released", "release"),
        ("created", "crash-created", "record"),
    ];
    for (stage, alias, settle) in cases {
        let mut child = spawn(engine, "stages", alias, stage);
        tokio::task::block_in_place(|| wait_for(&mut child, stage));
        kill(engine, child).await;

        let next = catalog(engine, ACCOUNT).await;
        eprintln!(
            "crash on {name}, killed at {stage}: {}",
            left_behind(&next, alias).await
        );
        let entry = next
            .by_alias(&alias.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(entry.stage().as_str(), stage);
        let pending = next.pending(u64::MAX, None, 100).await.unwrap();
        assert_eq!(
            pending.iter().any(|e| e.id() == entry.id()),
            entry.stage().is_pending()
        );
        let keys = entry.keys();
        let n = organization_number(alias);
        match settle {
            "release" => {
                // A sent entry on a lookup's evidence, a reserved one with nothing sent.
                release_not_created(&next, entry.id(), 200).await.unwrap();
                for key in &keys {
                    assert_eq!(next.holder(key).await.unwrap(), None, "{key} is free");
                }
                assert_eq!(next.get(entry.id()).await.unwrap(), None);
                // Free for anyone, at once.
                let again = crash_spec(alias, "after-release");
                assert!(matches!(
                    next.admit(&again, 200).await,
                    Ok(Admission::New(_))
                ));
                let readmitted = next
                    .by_alias(&alias.parse().unwrap())
                    .await
                    .unwrap()
                    .unwrap();
                next.release(readmitted.id(), Release::NothingSent, 200)
                    .await
                    .unwrap();
            }
            _ => {
                if settle == "resend" {
                    let call = next.resend(entry.id(), 199).await.unwrap();
                    assert_eq!(call, CreateOrganization::new(entry.spec()).unwrap());
                    let resent = next.get(entry.id()).await.unwrap().unwrap();
                    assert_eq!((resent.sends(), resent.sent_at()), (2, Some(199)));
                    // AWS answers the resent request, token and all, with the organization.
                    next.created(entry.id(), &created(n), 200).await.unwrap();
                }
                let recorded = next
                    .record(&snapshot(n, alias, ACCOUNT, "us-east-1", "Active"), 201)
                    .await
                    .unwrap();
                assert_eq!(recorded.state(), Some(&OrganizationState::Active));
                let listed: Vec<_> = next
                    .list(None, None, 100)
                    .await
                    .unwrap()
                    .into_iter()
                    .filter(|e| e.alias().as_str() == alias)
                    .collect();
                assert_eq!(listed, std::slice::from_ref(&recorded), "recorded once");
                for key in &keys {
                    let holder = next.holder(key).await.unwrap().map(|h| h.entry);
                    assert_eq!(holder, Some(entry.id()), "{key}");
                }
            }
        }
        check_keys(engine, &next).await;
    }
    let next = catalog(engine, ACCOUNT).await;
    assert!(next.pending(u64::MAX, None, 100).await.unwrap().is_empty());
    assert_eq!(
        next.quota().await.unwrap().live,
        2,
        "the two recorded organizations"
    );
}

/// A pseudo-random number of milliseconds from 30 to 330, from the clock.
fn random_millis(round: u64) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()));
    let mixed =
        (nanos ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    30 + (mixed >> 33) % 300
}

/// Kills a looping child (admit, send, release every other) at a random moment: whatever
/// it was doing, every entry holds all its keys and no key is left without one.
async fn killed_mid_loop(engine: &impl Engine, name: &str) {
    for round in 0..3u64 {
        let alias = format!("loop{round}-");
        let mut child = spawn(engine, "loop", &alias, "");
        tokio::task::block_in_place(|| wait_for(&mut child, "looping"));
        let wait = random_millis(round);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        kill(engine, child).await;

        let next = catalog(engine, ACCOUNT).await;
        let keys = check_keys(engine, &next).await;
        let pending = next.pending(u64::MAX, None, 1000).await.unwrap();
        let stages: Vec<Stage> = pending.iter().map(|e| e.stage()).collect();
        eprintln!(
            "crash on {name}, killed mid-loop after {wait} ms: {} entries pending ({} reserved, \
             {} sent), {keys} keys held, every one by its entry",
            pending.len(),
            stages.iter().filter(|s| **s == Stage::Reserved).count(),
            stages.iter().filter(|s| **s == Stage::Sent).count(),
        );
        for entry in pending {
            release_not_created(&next, entry.id(), u64::from(u32::MAX))
                .await
                .unwrap();
        }
        assert_eq!(check_keys(engine, &next).await, 0);
        assert_eq!(next.quota().await.unwrap().live, 0);
    }
}

/// Two processes send one client token: the same spec is the same request, another spec is
/// refused.
async fn same_token_from_two_processes(engine: &impl Engine, name: &str) {
    let outcomes = [
        run_token_child(engine, "tok").await,
        run_token_child(engine, "tok").await,
        run_token_child(engine, "tok-other").await,
    ];
    eprintln!("one client token from three processes on {name}: {outcomes:?}");
    assert_eq!(outcomes, ["new", "already", "client_token.reused"]);
    let holder = catalog(engine, ACCOUNT)
        .await
        .holder(&UniquenessKey::Alias("tok-other".into()))
        .await
        .unwrap();
    assert_eq!(holder, None);
}

/// Runs a `token` child for `alias` to its end, and returns the one outcome it said.
async fn run_token_child(engine: &impl Engine, alias: &str) -> String {
    let mut child = spawn(engine, "token", alias, "shared-token");
    let stdout = child.stdout.take().unwrap();
    // Read to the end: a pipe closed early would fail the child's last writes.
    let lines: Vec<String> = tokio::task::block_in_place(|| {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect()
    });
    let outcome = lines
        .iter()
        .find_map(|line| line.split_once("STAGE ").map(|(_, said)| said.to_owned()))
        .unwrap_or_default();
    assert!(tokio::task::block_in_place(|| child.wait())
        .unwrap()
        .success());
    outcome
}

on_database_engines!(
    killed_at_each_stage,
    killed_mid_loop,
    same_token_from_two_processes
);
