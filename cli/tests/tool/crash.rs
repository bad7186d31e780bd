//! The crash matrix: `provision` killed with SIGKILL at each kill point, with and without a
//! client token in the spec, with no fault, `DropAfter` and `ServerErrorAfter` five times;
//! then `recover` from two processes at once, and the endpoint and the store must agree.
//!
//! Each case has its own account and its own endpoint (an emulator of that account in this
//! test process, on a loopback port), so that a fault is met by that case's calls alone; all
//! share one PostgreSQL schema.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use workmail_org::catalog::{Entry, MAX_CLOCK_SKEW};
use workmail_org::Catalog;

use crate::common::{endpoint_after, run, run_until_killed, tool, Ran, Store, TempDir};
use crate::support;
use crate::support::Engine;

const KILL_POINTS: [&str; 4] = ["admitted", "sent", "called", "polling"];
const FAULTS: [Option<(&str, u32)>; 3] =
    [None, Some(("DropAfter", 1)), Some(("ServerErrorAfter", 5))];
/// The lease the killed processes held: short, so recovery may take it over soon.
const LEASE_SECONDS: u64 = 1;

struct Case {
    kill: &'static str,
    token: bool,
    fault: Option<(&'static str, u32)>,
    account: String,
    alias: String,
}

impl Case {
    fn fault_name(&self) -> String {
        match self.fault {
            None => "none".to_owned(),
            Some((kind, count)) => format!("{kind}x{count}"),
        }
    }
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for kill in KILL_POINTS {
        for token in [false, true] {
            for fault in FAULTS {
                let n = cases.len();
                let short = fault.map_or(
                    "none",
                    |(kind, _)| if kind == "DropAfter" { "drop" } else { "err" },
                );
                cases.push(Case {
                    kill,
                    token,
                    fault,
                    account: format!("{:012}", 300_000_000_000u64 + n as u64),
                    alias: format!("k-{kill}-{}-{short}", if token { "tok" } else { "notok" }),
                });
            }
        }
    }
    cases
}

/// What one case did: what the killed process printed, then the two recoveries.
struct Outcome {
    killed: bool,
    at_kill: Ran,
    recoveries: Vec<Ran>,
}

/// The steps of both recoveries for the case's entry, in order, without the duplicate
/// `skipped` of the process that found the entry leased.
fn recovery_steps(outcome: &Outcome) -> String {
    let mut steps: Vec<String> = Vec::new();
    for ran in &outcome.recoveries {
        for step in ran.steps() {
            steps.push(step);
        }
    }
    if steps.is_empty() {
        "nothing to do".to_owned()
    } else {
        steps.join(",")
    }
}

/// The stage the killed process left, as its last step line says.
fn stage_at_kill(ran: &Ran) -> String {
    ran.lines()
        .iter()
        .rev()
        .find(|line| line["event"] == "step")
        .map(|line| {
            let stage = line["stage"].as_str().unwrap_or_default();
            match line["state"].as_str() {
                Some(state) => format!("{stage}/{state}"),
                None => stage.to_owned(),
            }
        })
        .unwrap_or_else(|| "nothing printed".to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_every_step_then_recovered_by_two_processes() {
    let began = Instant::now();
    let db = support::postgres_support::postgres_unmigrated("cli_crash").await;
    // The tool migrates the schema itself, as `--namespace` makes it (its functions name
    // their tables in the schema), not through the search path the support module sets.
    let store = Store {
        url: db.url().to_owned(),
        namespace: Some(db.schema().to_owned()),
    };
    let dir = Arc::new(TempDir::new("crash"));
    let cases: Vec<Arc<Case>> = cases().into_iter().map(Arc::new).collect();
    let mut endpoints = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let endpoint = endpoint_after(&case.account, n).await;
        if let Some((kind, count)) = case.fault {
            endpoint.fault(kind, count).await;
        }
        endpoints.push(Arc::new(endpoint));
    }

    // 1. Provision each case and kill it at its step, a few at a time.
    let limit = Arc::new(Semaphore::new(4));
    let mut killing = Vec::new();
    for (case, endpoint) in cases.iter().zip(&endpoints) {
        let (case, endpoint, store, dir, limit) = (
            case.clone(),
            endpoint.clone(),
            store.clone(),
            dir.clone(),
            limit.clone(),
        );
        killing.push(tokio::spawn(async move {
            let _permit = limit.acquire().await.expect("the semaphore");
            let token = if case.token {
                format!(r#", "client_token": "tok-{}""#, case.alias)
            } else {
                String::new()
            };
            let spec = dir.file(
                &format!("{}.json", case.alias),
                format!(
                    r#"{{"alias": "{}", "region": "us-east-1"{token}}}"#,
                    case.alias
                )
                .as_bytes(),
            );
            let mut command = tool(&store, &case.account, Some(endpoint.addr));
            command
                .arg("--lease-seconds")
                .arg(LEASE_SECONDS.to_string())
                .arg("provision")
                .arg(&spec)
                .args(["--poll-interval", "0.05", "--timeout", "60"]);
            run_until_killed(command, case.kill).await
        }));
    }
    let mut killed = Vec::new();
    for task in killing {
        killed.push(task.await.expect("the case ran"));
    }
    let last_kill = Instant::now();
    for ((was_killed, ran), case) in killed.iter().zip(&cases) {
        assert!(
            was_killed,
            "{}: the tool never reached kill point {}: {ran:?}",
            case.alias, case.kill
        );
    }

    // 2. Every lease a killed process held is past its end and the clock skew.
    let expired = Duration::from_secs(LEASE_SECONDS + MAX_CLOCK_SKEW + 2);
    tokio::time::sleep(expired.saturating_sub(last_kill.elapsed())).await;

    // 3. Two `recover` processes at once for each case's account and endpoint.
    let mut recovering = Vec::new();
    for (case, endpoint) in cases.iter().zip(&endpoints) {
        let (case, endpoint, store, limit) =
            (case.clone(), endpoint.clone(), store.clone(), limit.clone());
        recovering.push(tokio::spawn(async move {
            let _permit = limit.acquire().await.expect("the semaphore");
            let recover = || {
                let mut command = tool(&store, &case.account, Some(endpoint.addr));
                command.args(["recover", "--older-than", "0", "--min-age", "0"]);
                run(command)
            };
            let (a, b) = tokio::join!(recover(), recover());
            vec![a, b]
        }));
    }
    let mut outcomes = Vec::new();
    for ((task, (was_killed, at_kill)), _) in recovering.into_iter().zip(killed).zip(&cases) {
        outcomes.push(Outcome {
            killed: was_killed,
            at_kill,
            recoveries: task.await.expect("the recoveries ran"),
        });
    }

    // 4. The endpoint and the store agree, one to one, for every case.
    let shared = db.open().await;
    let mut matrix = Vec::new();
    let mut failures = Vec::new();
    for ((case, endpoint), outcome) in cases.iter().zip(&endpoints).zip(&outcomes) {
        let catalog = Catalog::open(case.account.parse().unwrap(), shared.clone());
        let entries: Vec<Entry> = catalog.list(None, None, 100).await.expect("the entries");
        let live: Vec<&Entry> = entries.iter().filter(|entry| entry.is_live()).collect();
        let pending = catalog.pending(u64::MAX, None, 100).await.expect("pending");
        let stored: BTreeSet<String> = live
            .iter()
            .filter_map(|entry| entry.organization_id().map(|id| id.as_str().to_owned()))
            .collect();
        let organizations = endpoint.organizations().await;
        let listed: BTreeSet<String> = organizations
            .iter()
            .filter(|(_, _, state)| state != "Deleted")
            .map(|(id, _, _)| id.clone())
            .collect();
        let codes: Vec<Option<i32>> = outcome.recoveries.iter().map(|ran| ran.code).collect();
        let agree = stored == listed
            && live.len() == stored.len()
            && pending.is_empty()
            && codes.iter().all(|code| *code == Some(0));
        let result = match live.first() {
            Some(entry) => format!(
                "{} {}",
                entry.stage(),
                entry.organization().map_or("-", |org| org.state().as_str())
            ),
            None => "released".to_owned(),
        };
        let left = stage_at_kill(&outcome.at_kill);
        let expected = match case.kill {
            "admitted" => "reserved",
            "sent" | "called" => "sent",
            _ => "recorded/",
        };
        matrix.push(format!(
            "{:<9} {:<6} {:<19} | left {:<18} | recover: {:<46} | {} | orgs {} = entries {} {}",
            case.kill,
            if case.token { "token" } else { "none" },
            case.fault_name(),
            left,
            recovery_steps(outcome),
            result,
            listed.len(),
            live.len(),
            if agree { "ok" } else { "MISMATCH" },
        ));
        if !agree || !outcome.killed || !left.starts_with(expected) {
            failures.push(format!(
                "{}: stored {stored:?}, listed {organizations:?}, pending {}, recover exits {codes:?}\n{:?}",
                case.alias,
                pending.len(),
                outcome.recoveries
            ));
        }
    }
    eprintln!(
        "crash matrix (kill point x client token x fault -> what recovery did, the result):\n{}",
        matrix.join("\n")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // 5. No key is held without its live entry, in the whole store.
    let (keys, orphans) = db.key_counts().await.expect("PostgreSQL counts its keys");
    assert_eq!(
        orphans, 0,
        "{orphans} of {keys} keys belong to no live entry"
    );
    eprintln!(
        "crash matrix: {} cases, {keys} keys held, none orphaned, in {:.1} s",
        cases.len(),
        began.elapsed().as_secs_f64()
    );
}
