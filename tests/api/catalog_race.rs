//! Catalogs admitting concurrently over one shared registry, as processes behind a load
//! balancer do: one alias, many spellings, exactly one organization.
//!
//! Run with `--nocapture` to see how often each branch of `admit` ran.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use workmail_org::{
    catalog::{
        Admission, AdmitError, AliasHolder, InMemoryAliasRegistry, RegistryError, Reservation,
    },
    AccountId, AliasRegistry, Catalog, OrganizationAlias, Rule,
};

use crate::catalog::{account, alias, spec, spec_with_token};

/// How many catalogs race, each on its own thread.
const THREADS: usize = 16;

/// A shared in-memory registry that counts how each alias lookup and reservation ended, and
/// can hold every caller of `holder` at a barrier until all have looked.
struct CountingRegistry {
    inner: InMemoryAliasRegistry<AliasHolder>,
    /// When set, `holder` waits here after its lookup: every racer then sees the alias free.
    gate: Option<Barrier>,
    /// Lookups that found the alias held: losers refused by `check`.
    seen_held: AtomicUsize,
    /// Reservations refused as taken after the lookup had found the alias free: losers of
    /// the race branch of `admit`.
    lost_race: AtomicUsize,
}

impl CountingRegistry {
    fn new(gated: bool) -> Self {
        CountingRegistry {
            inner: InMemoryAliasRegistry::new(),
            gate: gated.then(|| Barrier::new(THREADS)),
            seen_held: AtomicUsize::new(0),
            lost_race: AtomicUsize::new(0),
        }
    }
}

impl AliasRegistry for CountingRegistry {
    type Holder = AliasHolder;

    fn reserve(
        &self,
        alias: &OrganizationAlias,
        holder: AliasHolder,
    ) -> Result<Reservation, RegistryError<AliasHolder>> {
        let result = self.inner.reserve(alias, holder);
        if matches!(result, Err(RegistryError::Taken { .. })) {
            self.lost_race.fetch_add(1, Ordering::SeqCst);
        }
        result
    }

    fn release(
        &self,
        alias: &OrganizationAlias,
        holder: &AliasHolder,
    ) -> Result<(), RegistryError<AliasHolder>> {
        self.inner.release(alias, holder)
    }

    fn holder(
        &self,
        alias: &OrganizationAlias,
    ) -> Result<Option<AliasHolder>, RegistryError<AliasHolder>> {
        let found = self.inner.holder(alias)?;
        if found.is_some() {
            self.seen_held.fetch_add(1, Ordering::SeqCst);
        }
        if let Some(gate) = &self.gate {
            gate.wait();
        }
        Ok(found)
    }
}

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

/// One round: `THREADS` catalogs of different accounts, each admitting `base` in its own
/// spelling at once. Returns each thread's outcome.
fn race(registry: &Arc<CountingRegistry>, base: &str) -> Vec<Result<Admission, AdmitError>> {
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|n| {
            let registry = Arc::clone(registry);
            let barrier = Arc::clone(&barrier);
            let candidate = spec(&spelling(base, n), "us-east-1", &[], None);
            thread::spawn(move || {
                let mut catalog = Catalog::with_registry(racer_account(n), registry);
                barrier.wait();
                let outcome = catalog.admit(candidate);
                assert_eq!(catalog.len(), usize::from(outcome.is_ok()));
                outcome
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|handle| handle.join().expect("a racer panicked"))
        .collect()
}

/// Asserts exactly one winner, every loser refused with `alias.taken` alone, and the
/// registry naming the winner's account. Returns the winner's index.
#[track_caller]
fn exactly_one_winner(
    registry: &CountingRegistry,
    base: &str,
    outcomes: &[Result<Admission, AdmitError>],
) -> usize {
    let winners: Vec<usize> = outcomes
        .iter()
        .enumerate()
        .filter(|(_, outcome)| matches!(outcome, Ok(Admission::New)))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(winners.len(), 1, "{base}: winners {winners:?}");
    for outcome in outcomes {
        match outcome {
            Ok(Admission::New) => {}
            Err(AdmitError::Rejected(violations)) => {
                assert_eq!(violations.len(), 1, "{violations}");
                assert!(violations.contains(Rule::AliasTaken), "{violations}");
            }
            other => panic!("{base}: unexpected {other:?}"),
        }
    }
    let holder = registry.inner.holder(&alias(base)).unwrap().expect("held");
    assert_eq!(*holder.account(), racer_account(winners[0]));
    winners[0]
}

#[test]
fn sixteen_catalogs_racing_for_one_alias_in_mixed_case_exactly_one_wins() {
    const ROUNDS: usize = 100;
    let registry = Arc::new(CountingRegistry::new(false));
    let mut wins = [0usize; THREADS];
    for round in 0..ROUNDS {
        let base = format!("race{round}");
        let outcomes = race(&registry, &base);
        wins[exactly_one_winner(&registry, &base, &outcomes)] += 1;
    }
    let seen_held = registry.seen_held.load(Ordering::SeqCst);
    let lost_race = registry.lost_race.load(Ordering::SeqCst);
    // Every loser was refused once: by the lookup in `check`, or by the reservation after
    // the lookup had found the alias free (the race branch).
    assert_eq!(seen_held + lost_race, ROUNDS * (THREADS - 1));
    assert_eq!(registry.inner.len(), ROUNDS);
    println!(
        "free race: {THREADS} threads x {ROUNDS} rounds: {ROUNDS} winners; losers refused by \
         the lookup {seen_held}, by the reservation (race branch) {lost_race}; wins per \
         thread {wins:?}"
    );
}

#[test]
fn when_every_racer_sees_the_alias_free_the_reservation_decides() {
    // The gate holds each racer after its lookup until all have looked, so every one of
    // them passes `check` and the registry's atomic reservation alone picks the winner:
    // the race branch of `admit` runs for all the others.
    const ROUNDS: usize = 20;
    let registry = Arc::new(CountingRegistry::new(true));
    for round in 0..ROUNDS {
        let base = format!("gate{round}");
        let outcomes = race(&registry, &base);
        exactly_one_winner(&registry, &base, &outcomes);
        let refusal = outcomes
            .iter()
            .find_map(|outcome| match outcome {
                Err(AdmitError::Rejected(violations)) => Some(violations.as_slice()[0].clone()),
                _ => None,
            })
            .expect("a loser");
        // The race branch names the holder, as the lookup would.
        assert!(
            refusal
                .message()
                .contains("is already held by an organization of account 1000000000"),
            "{refusal}"
        );
    }
    assert_eq!(registry.seen_held.load(Ordering::SeqCst), 0);
    assert_eq!(
        registry.lost_race.load(Ordering::SeqCst),
        ROUNDS * (THREADS - 1)
    );
    println!(
        "gated race: {THREADS} threads x {ROUNDS} rounds: {ROUNDS} winners; all {} losers \
         refused by the reservation",
        ROUNDS * (THREADS - 1)
    );
}

#[test]
fn one_request_retried_by_every_process_is_one_reservation() {
    // The same request (one account, Region and client token, the identical spec) reaching
    // sixteen processes at once: each admits it, as AWS would answer each with the same
    // organization, and the registry holds one reservation.
    let registry = Arc::new(CountingRegistry::new(false));
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let registry = Arc::clone(&registry);
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                let candidate = spec_with_token(
                    "Retried",
                    "eu-west-1",
                    &["retried.org"],
                    None,
                    Some("create-retried-1"),
                );
                let mut catalog = Catalog::with_registry(account("111122223333"), registry);
                barrier.wait();
                let first = catalog.admit(candidate.clone());
                let again = catalog.admit(candidate);
                (first.ok(), again.ok())
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(
            handle.join().expect("a racer panicked"),
            (Some(Admission::New), Some(Admission::AlreadyAdmitted))
        );
    }
    assert_eq!(registry.inner.len(), 1);
    assert_eq!(registry.lost_race.load(Ordering::SeqCst), 0);
}
