//! Catalogs admitting at once over one shared `InMemoryStore`, as the threads of a service
//! do: every contested key goes to exactly one entry, and a loser holds nothing.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Barrier};
use std::thread;

use workmail_org::{
    catalog::{store::Store, Admission, AdmitError, EntryId, InMemoryStore, UniquenessKey},
    AccountId, Catalog, OrganizationSpec, Rule,
};

use crate::catalog::{account, poll_once, spec, spec_with_token, NOW};

/// How many catalogs race, each on its own thread.
const THREADS: usize = 16;

/// `base` spelled in the `n`-th of 16 letter cases.
fn spelling(base: &str, n: usize) -> String {
    base.chars()
        .enumerate()
        .map(|(i, c)| {
            if n & (1 << (i % 4)) != 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

/// The account of the `n`-th racer.
fn racer_account(n: usize) -> AccountId {
    account(&format!("{:012}", 100_000_000_000 + n))
}

/// Each `(account, spec)` admitted on its own thread, all released at once by a barrier.
fn race(
    store: &Arc<InMemoryStore>,
    racers: Vec<(AccountId, OrganizationSpec)>,
) -> Vec<Result<Admission, AdmitError>> {
    let barrier = Arc::new(Barrier::new(racers.len()));
    let handles: Vec<_> = racers
        .into_iter()
        .map(|(account, candidate)| {
            let catalog = Catalog::open(account, Arc::clone(store));
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                catalog.blocking(|c| c.admit(&candidate, NOW))
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|handle| handle.join().expect("a racer panicked"))
        .collect()
}

#[test]
fn sixteen_accounts_racing_for_one_alias_in_mixed_case_exactly_one_wins() {
    const ROUNDS: usize = 100;
    let store = Arc::new(InMemoryStore::new());
    let mut wins = [0usize; THREADS];
    for round in 0..ROUNDS {
        let base = format!("race{round}");
        let racers = (0..THREADS)
            .map(|n| {
                (
                    racer_account(n),
                    spec(&spelling(&base, n), "us-east-1", &[], None),
                )
            })
            .collect();
        let outcomes = race(&store, racers);
        let winners: Vec<usize> = outcomes
            .iter()
            .enumerate()
            .filter(|(_, outcome)| matches!(outcome, Ok(Admission::New(_))))
            .map(|(n, _)| n)
            .collect();
        assert_eq!(winners.len(), 1, "{base}: winners {winners:?}");
        let winner = winners[0];
        wins[winner] += 1;
        let holder = poll_once(store.holder(&UniquenessKey::Alias(base.clone())))
            .unwrap()
            .expect("held");
        assert_eq!(holder.account, racer_account(winner));
        for outcome in &outcomes {
            match outcome {
                Ok(Admission::New(entry)) => assert_eq!(entry.id(), holder.entry),
                Err(AdmitError::Rejected(rejection)) => {
                    let violations = rejection.violations();
                    assert_eq!(violations.len(), 1, "{violations}");
                    assert_eq!(violations.as_slice()[0].rule(), Rule::AliasTaken);
                    assert_eq!(rejection.holders()[0].1, holder, "{violations}");
                }
                other => panic!("{base}: unexpected {other:?}"),
            }
        }
    }
    assert_eq!(store.len(), ROUNDS);
    println!("wins per thread over {ROUNDS} rounds: {wins:?}");
}

#[test]
fn overlapping_specs_split_their_keys_with_no_partial_admission() {
    // Each racer wants its own alias, two of four shared domains and one of two directories:
    // whoever wins a key holds it alone, and every loser was refused for a key a winner holds.
    const ROUNDS: usize = 50;
    let store = Arc::new(InMemoryStore::new());
    // Room for every winner: here only keys contend.
    Catalog::open(account("111122223333"), &*store)
        .blocking(|c| c.set_limit(Some(10_000)))
        .unwrap();
    let mut admitted = 0;
    for round in 0..ROUNDS {
        let racers: Vec<(AccountId, OrganizationSpec)> = (0..THREADS)
            .map(|n| {
                let own_alias = format!("r{round}-org{n}");
                let first = format!("r{round}-d{}.com", n % 4);
                let second = format!("r{round}-d{}.com", (n / 4 + n % 4 + 1) % 4);
                let directory = format!("d-{:010}", round * 2 + n % 2);
                let domains: Vec<&str> = if first == second {
                    vec![&first]
                } else {
                    vec![&first, &second]
                };
                // One account: directories are per account, and all of them contend.
                (
                    account("111122223333"),
                    spec(&own_alias, "us-east-1", &domains, Some(&directory)),
                )
            })
            .collect();
        let outcomes = race(&store, racers.clone());
        let mut holders: HashMap<UniquenessKey, EntryId> = HashMap::new();
        for ((account, candidate), outcome) in racers.iter().zip(&outcomes) {
            if let Ok(Admission::New(entry)) = outcome {
                admitted += 1;
                for key in Catalog::open(account.clone(), &*store)
                    .keys(candidate)
                    .iter()
                {
                    let previous = holders.insert(key.clone(), entry.id());
                    assert_eq!(previous, None, "{key} won twice");
                    assert_eq!(
                        poll_once(store.holder(key)).unwrap().map(|h| h.entry),
                        Some(entry.id())
                    );
                }
            }
        }
        assert!(!holders.is_empty(), "round {round}: nobody won");
        for ((account, candidate), outcome) in racers.iter().zip(&outcomes) {
            match outcome {
                Ok(Admission::New(_)) => {}
                Err(AdmitError::Rejected(rejection)) => {
                    let violations = rejection.violations();
                    assert!(!violations.is_empty());
                    let keys = Catalog::open(account.clone(), &*store).keys(candidate);
                    // Every key it was refused for is a winner's; every other key is free
                    // or a winner's, never the loser's own.
                    for key in keys.iter() {
                        if let Some(holder) = poll_once(store.holder(key)).unwrap() {
                            assert_eq!(holders.get(key), Some(&holder.entry), "{key}");
                        }
                    }
                    for violation in violations.iter() {
                        let path = violation.path().to_string();
                        let key = keys
                            .iter()
                            .find(|key| keys.path(key).map(|p| p.to_string()) == Some(path.clone()))
                            .unwrap_or_else(|| panic!("no key at {path}"));
                        assert!(holders.contains_key(key), "{violation}");
                    }
                }
                other => panic!("round {round}: unexpected {other:?}"),
            }
        }
    }
    assert_eq!(store.len(), admitted);
    assert_eq!(
        Catalog::open(account("111122223333"), &*store)
            .blocking(|c| c.quota())
            .unwrap()
            .live,
        admitted as u64
    );
}

#[test]
fn racing_for_the_last_place_in_the_quota_admits_exactly_the_quota() {
    let store = Arc::new(InMemoryStore::new());
    let account = account("111122223333");
    Catalog::open(account.clone(), &*store)
        .blocking(|c| c.set_limit(Some(5)))
        .unwrap();
    let racers = (0..THREADS)
        .map(|n| {
            (
                account.clone(),
                spec(&format!("quota{n}"), "us-east-1", &[], None),
            )
        })
        .collect();
    let outcomes = race(&store, racers);
    let mut refused = 0;
    for outcome in &outcomes {
        match outcome {
            Ok(Admission::New(_)) => {}
            Err(AdmitError::Rejected(rejection)) => {
                let violations = rejection.violations();
                assert_eq!(violations.len(), 1, "{violations}");
                assert!(violations.contains(Rule::AccountOrganizationLimit));
                refused += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(refused, THREADS - 5);
    assert_eq!(store.len(), 5);
}

#[test]
fn one_request_retried_by_every_thread_is_one_entry() {
    // The same request (account, Region, client token and identical spec) reaching sixteen
    // threads at once: one admits it, the others are told it is the same entry.
    let store = Arc::new(InMemoryStore::new());
    let candidate = spec_with_token(
        "Retried",
        "eu-west-1",
        &["retried.org"],
        None,
        Some("create-retried-1"),
    );
    let racers = (0..THREADS)
        .map(|_| (account("111122223333"), candidate.clone()))
        .collect();
    let outcomes = race(&store, racers);
    let mut new = BTreeSet::new();
    let mut entries = BTreeSet::new();
    for outcome in outcomes {
        match outcome {
            Ok(Admission::New(entry)) => {
                new.insert(entry.id());
                entries.insert(entry.id());
            }
            Ok(Admission::AlreadyAdmitted(entry)) => {
                entries.insert(entry.id());
            }
            Err(err) => panic!("a retry was refused: {err}"),
        }
    }
    assert_eq!(new.len(), 1);
    assert_eq!(entries, new);
    assert_eq!(store.len(), 1);
}
