//! Stores racing on one database, each its own pool, as processes would: exactly one winner
//! per contested key, never a partial admission, and a quota that never overshoots. Each
//! racer is a task of a multi-thread runtime with a store of its own (on SQLite its calls run
//! on blocking threads, so they race for the file's lock as processes do). Each prints its
//! figures with `eprintln!` (`cargo test -p workmail-org-stores concurrency -- --nocapture`
//! shows them).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::Barrier;
use tokio::task::JoinSet;
use workmail_org::catalog::{Admission, AdmitError, Release};
use workmail_org::{Catalog, OrganizationSpec, Rule};
use workmail_org_stores::AnyStore;

use crate::support::{catalog, spec, Engine};

/// Stores racing in each round, each its own.
const CONNECTIONS: usize = 16;
/// Rounds of the race.
const RACE_ROUNDS: usize = 200;
/// Rounds of the quota race: each admits 99 and races 16 for the last place.
const QUOTA_ROUNDS: usize = 20;

/// The three contests of a round, each among some of the connections:
/// - connections 0 to 5: aliases `xR` and `yR` (alternately) that share one mail domain;
/// - connections 6 to 10: two specs (the alias in two letter cases, each with a mail domain
///   of its own) that share one directory, all of one account;
/// - connections 11 to 15: one spec, the same alias, without a client token.
///
/// Returns the contest and the spec of connection `t` in round `r`, and its account.
fn racer(t: usize, r: usize) -> (usize, String, OrganizationSpec) {
    let own_account = format!("{:012}", 100_000_000_000 + t);
    match t {
        0..=5 => {
            let alias = if t.is_multiple_of(2) { "x" } else { "y" };
            let shared = format!("shared-{r}.example");
            (
                0,
                own_account,
                spec(&format!("{alias}{r}"), "us-east-1", &[&shared], None, None),
            )
        }
        6..=10 => {
            let alias = if t.is_multiple_of(2) {
                format!("Dir{r}")
            } else {
                format!("dir{r}")
            };
            let own = format!("dir-{r}-{t}.example");
            let directory = format!("d-{r:010x}");
            (
                1,
                "999988887777".to_owned(),
                spec(&alias, "us-east-1", &[&own], Some(&directory), None),
            )
        }
        _ => (
            2,
            own_account,
            spec(&format!("same{r}"), "us-east-1", &[], None, None),
        ),
    }
}

/// The contested races: 16 stores × 200 rounds.
async fn race(engine: &impl Engine, name: &str) {
    let accounts: Vec<String> = (0..CONNECTIONS).map(|t| racer(t, 0).1).collect();
    for account in &accounts {
        catalog(engine, account)
            .await
            .set_limit(Some(1_000_000))
            .await
            .unwrap();
    }
    let start = Arc::new(Barrier::new(CONNECTIONS + 1));
    let end = Arc::new(Barrier::new(CONNECTIONS + 1));
    type Round = Vec<(usize, Result<Admission, AdmitError>)>;
    let results: Arc<Mutex<Round>> = Arc::new(Mutex::new(Vec::new()));
    let began = Instant::now();
    let mut expected_keys = 0;
    let mut winners_per_round = Vec::with_capacity(RACE_ROUNDS);
    let mut problems = Vec::new();
    let mut racers = JoinSet::new();
    for (t, account) in accounts.iter().enumerate() {
        let (start, end, results) = (start.clone(), end.clone(), results.clone());
        let catalog = catalog(engine, account).await;
        racers.spawn(async move {
            for r in 0..RACE_ROUNDS {
                let (contest, _, spec) = racer(t, r);
                start.wait().await;
                let result = catalog.admit(&spec, r as u64).await;
                results.lock().unwrap().push((contest, result));
                end.wait().await;
            }
        });
    }
    let reader = catalog(engine, &accounts[0]).await;
    for r in 0..RACE_ROUNDS {
        start.wait().await;
        end.wait().await;
        // A failed check is kept, not panicked on: the racers wait at the next barrier.
        let round = std::mem::take(&mut *results.lock().unwrap());
        match check_race_round(engine, &reader, r, round, &mut expected_keys).await {
            Ok(winners) => winners_per_round.push(winners),
            Err(problem) => problems.push(problem),
        }
    }
    while let Some(racer) = racers.join_next().await {
        racer.expect("a racer ran to its end");
    }
    assert_eq!(problems, Vec::<String>::new());
    eprintln!(
        "race on {name}: {RACE_ROUNDS} rounds x {CONNECTIONS} stores, 3 contests a round: \
         {} winners ({} a round, one per contest), {} admissions refused, 0 partial; {:.1?}",
        winners_per_round.iter().sum::<usize>(),
        winners_per_round[0],
        RACE_ROUNDS * CONNECTIONS - winners_per_round.iter().sum::<usize>(),
        began.elapsed()
    );
}

/// Checks one round of the race: one winner per contest, each holding every key, refusals
/// for the contested rules only, no key left by a refusal, no key without its live entry.
async fn check_race_round(
    engine: &impl Engine,
    reader: &Catalog<Arc<AnyStore>>,
    r: usize,
    round: Vec<(usize, Result<Admission, AdmitError>)>,
    expected_keys: &mut u64,
) -> Result<usize, String> {
    let mut winners = [0usize; 3];
    for (contest, result) in round {
        match result {
            Ok(Admission::New(entry)) => {
                winners[contest] += 1;
                for key in entry.keys() {
                    let holder = reader.holder(&key).await.map_err(|e| e.to_string())?;
                    if holder.map(|h| h.entry) != Some(entry.id()) {
                        return Err(format!("round {r}: {key} is not its winner's"));
                    }
                }
                *expected_keys += entry.keys().len() as u64;
            }
            Err(AdmitError::Rejected(rejection)) => {
                let violations = rejection.violations();
                let allowed = [Rule::AliasTaken, Rule::DomainsInUse, Rule::DirectoryInUse];
                if !violations.iter().all(|v| allowed.contains(&v.rule())) {
                    return Err(format!("round {r}: {violations}"));
                }
            }
            other => return Err(format!("round {r}: {other:?}")),
        }
    }
    if winners != [1, 1, 1] {
        return Err(format!("round {r}: winners per contest {winners:?}"));
    }
    let counts = engine.key_counts().await;
    if counts != Some((*expected_keys, 0)) {
        return Err(format!(
            "round {r}: (keys, orphan keys) {counts:?}, expected ({expected_keys}, 0)"
        ));
    }
    Ok(winners.iter().sum())
}

/// An account at 99 of 100 live organizations: 16 stores admit specs with free, disjoint
/// keys, and exactly one gets the last place; it is released before the next round.
async fn quota(engine: &impl Engine, name: &str) {
    const ACCOUNT: &str = "222233334444";
    let setup = catalog(engine, ACCOUNT).await;
    for n in 0..99 {
        setup
            .admit(&spec(&format!("fill{n}"), "us-east-1", &[], None, None), 0)
            .await
            .unwrap();
    }
    let start = Arc::new(Barrier::new(CONNECTIONS + 1));
    let end = Arc::new(Barrier::new(CONNECTIONS + 1));
    let results: Arc<Mutex<Vec<Result<Admission, AdmitError>>>> = Arc::new(Mutex::new(Vec::new()));
    let began = Instant::now();
    let mut problems = Vec::new();
    let mut racers = JoinSet::new();
    for t in 0..CONNECTIONS {
        let (start, end, results) = (start.clone(), end.clone(), results.clone());
        let catalog = catalog(engine, ACCOUNT).await;
        racers.spawn(async move {
            for r in 0..QUOTA_ROUNDS {
                let spec = spec(
                    &format!("q{r}-{t}"),
                    "us-east-1",
                    &[&format!("q{r}-{t}.example")],
                    None,
                    None,
                );
                start.wait().await;
                let result = catalog.admit(&spec, 0).await;
                results.lock().unwrap().push(result);
                end.wait().await;
            }
        });
    }
    for r in 0..QUOTA_ROUNDS {
        start.wait().await;
        end.wait().await;
        let round = std::mem::take(&mut *results.lock().unwrap());
        if let Err(problem) = check_quota_round(&setup, r, round).await {
            problems.push(problem);
        }
    }
    while let Some(racer) = racers.join_next().await {
        racer.expect("a racer ran to its end");
    }
    assert_eq!(problems, Vec::<String>::new());
    eprintln!(
        "quota on {name}: {QUOTA_ROUNDS} rounds x {CONNECTIONS} stores at 99 of 100: \
         1 admitted a round, {} refused in all; {:.1?}",
        QUOTA_ROUNDS * (CONNECTIONS - 1),
        began.elapsed()
    );
}

/// Checks one round of the quota race: exactly one admitted, every other refused for the
/// quota alone; then releases it.
async fn check_quota_round(
    setup: &Catalog<Arc<AnyStore>>,
    r: usize,
    round: Vec<Result<Admission, AdmitError>>,
) -> Result<(), String> {
    let mut admitted = Vec::new();
    for result in round {
        match result {
            Ok(Admission::New(entry)) => admitted.push(entry),
            Err(AdmitError::Rejected(rejection)) => {
                let violations = rejection.violations();
                let rules: Vec<_> = violations.iter().map(|v| v.rule()).collect();
                if rules != [Rule::AccountOrganizationLimit] {
                    return Err(format!("round {r}: {violations}"));
                }
            }
            other => return Err(format!("round {r}: {other:?}")),
        }
    }
    let live = || async {
        setup
            .quota()
            .await
            .map(|q| q.live)
            .map_err(|e| e.to_string())
    };
    if admitted.len() != 1 || live().await? != 100 {
        return Err(format!("round {r}: {} admitted", admitted.len()));
    }
    setup
        .release(admitted[0].id(), Release::NothingSent, 0)
        .await
        .map_err(|e| e.to_string())?;
    if live().await? != 99 {
        return Err(format!("round {r}: not back at 99 after the release"));
    }
    Ok(())
}

/// 16 stores send one request (one spec, one client token) at once, for 20 rounds: one
/// admits it, every other finds it, and none fails (on PostgreSQL the losers' inserts meet
/// the token's unique index, and their transactions run again).
async fn same_token_at_once(engine: &impl Engine, name: &str) {
    const ROUNDS: usize = 20;
    let start = Arc::new(Barrier::new(CONNECTIONS));
    let outcomes: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let mut racers = JoinSet::new();
    for _ in 0..CONNECTIONS {
        let (start, outcomes) = (start.clone(), outcomes.clone());
        let catalog = catalog(engine, "555566667777").await;
        racers.spawn(async move {
            for r in 0..ROUNDS {
                let token = format!("request-{r}");
                let spec = spec(&format!("once{r}"), "us-east-1", &[], None, Some(&token));
                start.wait().await;
                let outcome = match catalog.admit(&spec, 0).await {
                    Ok(Admission::New(_)) => "new".to_owned(),
                    Ok(Admission::AlreadyAdmitted(_)) => "already".to_owned(),
                    Err(err) => format!("round {r}: {err}"),
                };
                outcomes.lock().unwrap().push(outcome);
            }
        });
    }
    while let Some(racer) = racers.join_next().await {
        racer.expect("a racer ran to its end");
    }
    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    let new = outcomes.iter().filter(|o| *o == "new").count();
    let already = outcomes.iter().filter(|o| *o == "already").count();
    eprintln!(
        "one request from {CONNECTIONS} stores at once on {name}, {ROUNDS} rounds: \
         {new} admitted, {already} found admitted"
    );
    assert_eq!(
        (new, already),
        (ROUNDS, ROUNDS * (CONNECTIONS - 1)),
        "{outcomes:?}"
    );
}

on_database_engines!(race, quota, same_token_at_once);
