//! What every registry must do, whatever stores it: each check takes a way to connect (a new
//! connection to the same database per call) and runs against what it returns.

use std::fmt;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use workmail_org::catalog::{AdmitError, AliasHolder, RegistryError, Reservation};
use workmail_org::{
    AccountId, AliasRegistry, Catalog, OrganizationAlias, OrganizationDraft, OrganizationSpec,
    Region, Rule, Violations,
};

/// Threads racing in each round, each on its own connection.
pub const THREADS: usize = 16;
/// Rounds of a race, each for a new alias.
pub const ROUNDS: usize = 200;

pub fn alias(s: &str) -> OrganizationAlias {
    s.parse().unwrap()
}

pub fn account(s: &str) -> AccountId {
    s.parse().unwrap()
}

#[track_caller]
pub fn holder(account: &str, region: &str, token: Option<&str>) -> AliasHolder {
    AliasHolder::new(
        account.parse().unwrap(),
        region.parse().unwrap(),
        token.map(|t| t.parse().unwrap()),
    )
}

/// Spellings of one alias in 16 letter cases (the first four letters up or down).
pub fn spellings(base: &str) -> Vec<OrganizationAlias> {
    (0..16u32)
        .map(|mask| {
            let spelled: String = base
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i < 4 && mask & (1 << i) != 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            alias(&spelled)
        })
        .collect()
}

/// Racer `t`'s holder: its own account, a Region and a client token.
fn racer(t: usize) -> AliasHolder {
    AliasHolder::new(
        account(&format!("{:012}", 100_000_000_000 + t)),
        Region::ALL[t % Region::ALL.len()],
        Some(format!("racer-{t}").parse().unwrap()),
    )
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// What a race measured.
pub struct RaceFigures {
    pub rounds: usize,
    pub threads: usize,
    /// Rounds with exactly one winner (every round, or the race panicked).
    pub rounds_with_one_winner: usize,
    /// The median time of one `reserve` while 16 connections contend for the alias.
    pub median_contended: Duration,
    /// The median time of one `reserve` of a free alias, one connection alone.
    pub median_alone: Duration,
}

impl fmt::Display for RaceFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} rounds x {} threads: {} rounds with exactly one winner; median reserve {:.3} ms contended, {:.3} ms alone",
            self.rounds,
            self.threads,
            self.rounds_with_one_winner,
            self.median_contended.as_secs_f64() * 1e3,
            self.median_alone.as_secs_f64() * 1e3,
        )
    }
}

/// [`THREADS`] threads, each on its own connection, start each round at a barrier and reserve
/// the round's alias, each in its own letter case. Every round must have exactly one winner,
/// and every loser must be told that winner (holder and spelling), never a backend error.
/// Then, on a new connection, every round's alias is still the winner's.
#[track_caller]
pub fn race<R, C>(connect: C, rounds: usize) -> RaceFigures
where
    R: AliasRegistry<Holder = AliasHolder>,
    C: Fn() -> R + Sync,
{
    let barrier = Barrier::new(THREADS);
    type Outcome = (Result<Reservation, RegistryError<AliasHolder>>, Duration);
    let outcomes: Vec<Vec<Outcome>> = thread::scope(|scope| {
        let racers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (barrier, connect) = (&barrier, &connect);
                scope.spawn(move || {
                    let registry = connect();
                    (0..rounds)
                        .map(|round| {
                            let spelled = spellings(&format!("race{round}")).swap_remove(t);
                            barrier.wait();
                            let start = Instant::now();
                            let result = registry.reserve(&spelled, racer(t));
                            (result, start.elapsed())
                        })
                        .collect()
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });

    let mut winners = Vec::with_capacity(rounds);
    let mut contended = Vec::with_capacity(rounds * THREADS);
    for round in 0..rounds {
        let spelled = spellings(&format!("race{round}"));
        let results: Vec<&Outcome> = outcomes.iter().map(|o| &o[round]).collect();
        contended.extend(results.iter().map(|(_, took)| *took));
        let won: Vec<usize> = (0..THREADS)
            .filter(|&t| matches!(results[t].0, Ok(Reservation::New)))
            .collect();
        assert_eq!(won.len(), 1, "round {round}: winners {won:?}");
        let winner = won[0];
        for (t, (result, _)) in results.iter().enumerate().filter(|(t, _)| *t != winner) {
            match result {
                Err(RegistryError::Taken { alias, holder }) => {
                    assert_eq!(*holder, racer(winner), "round {round}, thread {t}");
                    assert_eq!(alias.as_str(), spelled[winner].as_str(), "round {round}");
                }
                other => panic!("round {round}, thread {t}: expected taken, got {other:?}"),
            }
        }
        winners.push(winner);
    }

    // A new connection, after every racer's connection closed, sees every winner.
    let registry = connect();
    for (round, &winner) in winners.iter().enumerate() {
        assert_eq!(
            registry.holder(&alias(&format!("RACE{round}"))).unwrap(),
            Some(racer(winner)),
            "round {round}"
        );
    }
    let alone: Vec<Duration> = (0..rounds)
        .map(|i| {
            let start = Instant::now();
            let result = registry.reserve(&alias(&format!("alone{i}")), racer(0));
            let took = start.elapsed();
            assert_eq!(result.unwrap(), Reservation::New);
            took
        })
        .collect();
    RaceFigures {
        rounds,
        threads: THREADS,
        rounds_with_one_winner: winners.len(),
        median_contended: median(contended),
        median_alone: median(alone),
    }
}

/// Reservations made on one connection are there, spelling and holder, on the next.
pub fn reservations_survive_reconnect<R, C>(connect: C)
where
    R: AliasRegistry<Holder = AliasHolder>,
    C: Fn() -> R,
{
    let reserved = [
        (
            "Acme",
            holder("111122223333", "us-east-1", Some("create-acme")),
        ),
        ("globex", holder("444455556666", "eu-west-1", None)),
        (
            "Umbrella-Corp",
            holder("012345678901", "us-west-2", Some("x!~")),
        ),
    ];
    let first = connect();
    for (name, h) in &reserved {
        assert_eq!(
            first.reserve(&alias(name), h.clone()).unwrap(),
            Reservation::New
        );
    }
    drop(first);

    let second = connect();
    for (name, h) in &reserved {
        let upper = alias(&name.to_ascii_uppercase());
        assert_eq!(second.holder(&upper).unwrap().as_ref(), Some(h), "{name}");
        assert_eq!(
            second.reserve(&upper, h.clone()).unwrap(),
            Reservation::AlreadyHeld,
            "{name}"
        );
        let rival = holder("999999999999", "us-east-1", None);
        match second.reserve(&upper, rival) {
            Err(RegistryError::Taken {
                alias: spelled,
                holder: current,
            }) => {
                assert_eq!(spelled.as_str(), *name);
                assert_eq!(current, *h);
            }
            other => panic!("{name}: expected taken, got {other:?}"),
        }
    }
}

/// Release only by the holder, retries by the holder, and the messages that say so.
pub fn release_and_retry<R: AliasRegistry<Holder = AliasHolder>>(registry: &R) {
    let first = holder("111122223333", "us-east-1", Some("create-initech-1"));
    let second = holder("111122223333", "us-east-1", Some("create-initech-2"));
    let tokenless = holder("111122223333", "us-east-1", None);

    let err = registry.release(&alias("Initech"), &first).unwrap_err();
    assert!(matches!(err, RegistryError::NotReserved { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "organization alias \"Initech\" is not reserved"
    );

    assert_eq!(
        registry.reserve(&alias("Initech"), first.clone()).unwrap(),
        Reservation::New
    );
    // A retry by the holder, in another case: held already, nothing changes.
    assert_eq!(
        registry.reserve(&alias("INITECH"), first.clone()).unwrap(),
        Reservation::AlreadyHeld
    );
    let err = registry
        .reserve(&alias("initech"), second.clone())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "organization alias \"Initech\" is already held by an organization of account 111122223333 in us-east-1"
    );

    // Non-holders cannot release: another token, or none where the holder has one.
    for other in [&second, &tokenless] {
        match registry.release(&alias("initech"), other) {
            Err(RegistryError::HeldByOther {
                alias: spelled,
                holder: current,
            }) => {
                assert_eq!(spelled.as_str(), "Initech");
                assert_eq!(current, first);
            }
            result => panic!("release by {other:?}: expected held by other, got {result:?}"),
        }
        assert_eq!(
            registry.holder(&alias("initech")).unwrap(),
            Some(first.clone())
        );
    }

    registry.release(&alias("iNiTeCh"), &first).unwrap();
    assert_eq!(registry.holder(&alias("Initech")).unwrap(), None);
    assert!(matches!(
        registry.release(&alias("Initech"), &first),
        Err(RegistryError::NotReserved { .. })
    ));

    // A holder without a client token (NULL in the table) is matched as such.
    assert_eq!(
        registry
            .reserve(&alias("Hooli"), tokenless.clone())
            .unwrap(),
        Reservation::New
    );
    assert_eq!(
        registry
            .reserve(&alias("hooli"), tokenless.clone())
            .unwrap(),
        Reservation::AlreadyHeld
    );
    assert!(matches!(
        registry.release(&alias("hooli"), &first),
        Err(RegistryError::HeldByOther { .. })
    ));
    registry.release(&alias("HOOLI"), &tokenless).unwrap();
    // Free again: anyone may take it.
    assert_eq!(
        registry.reserve(&alias("hooli"), second).unwrap(),
        Reservation::New
    );
}

#[track_caller]
fn spec(alias: &str, region: &str, token: Option<&str>) -> OrganizationSpec {
    let mut draft = OrganizationDraft::new(alias, region);
    draft.client_token = token.map(str::to_owned);
    draft.validate().expect("a valid spec")
}

#[track_caller]
fn rejected<T: std::fmt::Debug>(result: Result<T, AdmitError>) -> Violations {
    match result {
        Err(AdmitError::Rejected(violations)) => violations,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// The library's catalog rules on this registry, unchanged: two accounts' catalogs on their
/// own connections to one database.
pub fn catalog_on_top<R, C>(connect: C)
where
    R: AliasRegistry<Holder = AliasHolder>,
    C: Fn() -> R,
{
    let mut first = Catalog::with_registry(account("111122223333"), connect());
    let mut second = Catalog::with_registry(account("444455556666"), connect());
    first.admit(spec("globex", "eu-west-1", None)).unwrap();

    // The other account's catalog sees the alias taken, in check and in admit.
    let candidate = spec("GLOBEX", "us-east-1", None);
    for result in [second.check(&candidate), second.admit(candidate.clone())] {
        let violations = rejected(result);
        assert_eq!(violations.len(), 1, "{violations}");
        assert_eq!(violations.as_slice()[0].rule(), Rule::AliasTaken);
        assert_eq!(
            violations.as_slice()[0].message(),
            "organization alias \"GLOBEX\" is already held by an organization of account 111122223333 in eu-west-1"
        );
    }
    assert!(second.is_empty());
    // The loser's catalog never held it, so removing there changes nothing in the database.
    assert_eq!(second.remove(&alias("globex")).unwrap(), None);
    assert_eq!(
        second.registry().holder(&alias("globex")).unwrap(),
        Some(holder("111122223333", "eu-west-1", None))
    );

    // Removing frees the alias for everyone.
    assert!(first.remove(&alias("Globex")).unwrap().is_some());
    assert_eq!(second.registry().holder(&alias("globex")).unwrap(), None);
    second.admit(candidate).unwrap();
    assert_eq!(
        first.registry().holder(&alias("globex")).unwrap(),
        Some(holder("444455556666", "us-east-1", None))
    );

    // A request that reserved and stopped is admitted on retry with its client token; another
    // request of the same account and Region is not.
    let stopped = holder("111122223333", "us-east-1", Some("create-acme-1"));
    assert_eq!(
        first.registry().reserve(&alias("acme"), stopped).unwrap(),
        Reservation::New
    );
    let violations = rejected(first.admit(spec("acme", "us-east-1", Some("create-acme-2"))));
    assert!(violations.contains(Rule::AliasTaken));
    first
        .admit(spec("Acme", "us-east-1", Some("create-acme-1")))
        .unwrap();
    assert_eq!(first.len(), 1);

    // A rejected admission leaves no row behind.
    let mut small = Catalog::with_registry(account("111122223333"), connect()).with_limit(0);
    rejected(small.admit(spec("initech", "us-east-1", None)));
    assert_eq!(first.registry().holder(&alias("initech")).unwrap(), None);
}

/// The registry type can be shared between threads, as the trait requires.
pub fn assert_send_sync<T: Send + Sync>() {}

/// Reservations racing releases: four threads, each on its own connection, reserve one alias
/// and release it when they got it. Whoever holds it, every reservation is new or taken by
/// another of the four, and every release after a new reservation succeeds: a row deleted
/// between a registry's two statements is read again, never reported wrongly.
pub fn reserve_racing_release<R, C>(connect: C, iterations: usize)
where
    R: AliasRegistry<Holder = AliasHolder>,
    C: Fn() -> R + Sync,
{
    let churners: Vec<AliasHolder> = (0..4).map(racer).collect();
    let wins: usize = thread::scope(|scope| {
        let threads: Vec<_> = churners
            .iter()
            .map(|me| {
                let (connect, churners) = (&connect, &churners);
                scope.spawn(move || {
                    let registry = connect();
                    let mut wins = 0;
                    for i in 0..iterations {
                        let spelled = alias(if i % 2 == 0 { "churn" } else { "CHURN" });
                        match registry.reserve(&spelled, me.clone()) {
                            Ok(Reservation::New) => {
                                wins += 1;
                                registry.release(&spelled, me).unwrap();
                            }
                            Err(RegistryError::Taken { holder, .. }) => {
                                assert!(holder != *me && churners.contains(&holder), "{holder:?}");
                            }
                            other => panic!("{me:?}, iteration {i}: {other:?}"),
                        }
                    }
                    wins
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).sum()
    });
    assert!(wins > 0);
    assert_eq!(connect().holder(&alias("churn")).unwrap(), None);
}
