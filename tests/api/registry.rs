//! The alias registry under contention and its contract.

use std::sync::{Arc, Barrier};
use std::thread;

use workmail_org::{
    catalog::InMemoryAliasRegistry, catalog::RegistryError, catalog::Reservation, AliasRegistry,
    OrganizationAlias,
};

fn alias(s: &str) -> OrganizationAlias {
    s.parse().unwrap()
}

/// Spellings of one alias in 16 letter cases.
fn spellings(base: &str) -> Vec<OrganizationAlias> {
    (0..16u32)
        .map(|mask| {
            let spelled: String = base
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if mask & (1 << (i % 4)) != 0 {
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

#[test]
fn sixteen_threads_racing_for_one_alias_in_mixed_case_exactly_one_wins() {
    const ROUNDS: usize = 200;
    let registry = Arc::new(InMemoryAliasRegistry::<usize>::new());
    for round in 0..ROUNDS {
        let base = format!("race{round}");
        let barrier = Arc::new(Barrier::new(16));
        let handles: Vec<_> = spellings(&base)
            .into_iter()
            .enumerate()
            .map(|(thread_id, spelled)| {
                let registry = Arc::clone(&registry);
                let barrier = Arc::clone(&barrier);
                thread::spawn(move || {
                    barrier.wait();
                    match registry.reserve(&spelled, thread_id) {
                        Ok(Reservation::New) => Some(thread_id),
                        Ok(Reservation::AlreadyHeld) => panic!("thread {thread_id} never reserved"),
                        Err(RegistryError::Taken { holder, .. }) => {
                            assert_ne!(holder, thread_id, "a loser is told it holds the alias");
                            None
                        }
                        Err(other) => panic!("unexpected error {other:?}"),
                    }
                })
            })
            .collect();
        let winners: Vec<usize> = handles
            .into_iter()
            .filter_map(|h| h.join().unwrap())
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: winners {winners:?}");
        assert_eq!(registry.holder(&alias(&base)).unwrap(), Some(winners[0]));
    }
    assert_eq!(registry.len(), ROUNDS);
}

#[test]
fn distinct_aliases_from_many_threads_all_succeed() {
    let registry = Arc::new(InMemoryAliasRegistry::<u32>::with_shards(8));
    let handles: Vec<_> = (0..8u32)
        .map(|t| {
            let registry = Arc::clone(&registry);
            thread::spawn(move || {
                for i in 0..1000 {
                    registry.reserve(&alias(&format!("t{t}-a{i}")), t).unwrap();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(registry.len(), 8000);
    assert_eq!(registry.holder(&alias("T3-A999")).unwrap(), Some(3));
}

#[test]
fn a_taken_alias_names_the_holder_and_its_spelling() {
    let registry = InMemoryAliasRegistry::new();
    registry
        .reserve(&alias("AcMe"), "first".to_string())
        .unwrap();
    let err = registry
        .reserve(&alias("acme"), "second".to_string())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "organization alias \"AcMe\" is already held by first"
    );
    let err = registry
        .release(&alias("ACME"), &"second".to_string())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "organization alias \"AcMe\" is held by first, who alone can release it"
    );
    let err = registry
        .release(&alias("other"), &"first".to_string())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "organization alias \"other\" is not reserved"
    );
}

#[test]
fn the_trait_is_object_safe_and_forwards_through_pointers() {
    let registry: Arc<dyn AliasRegistry<Holder = u8>> = Arc::new(InMemoryAliasRegistry::new());
    registry.reserve(&alias("acme"), 7).unwrap();
    let by_ref = &registry;
    assert_eq!(by_ref.holder(&alias("ACME")).unwrap(), Some(7));
    let boxed: Box<dyn AliasRegistry<Holder = u8>> = Box::new(InMemoryAliasRegistry::new());
    assert_eq!(boxed.holder(&alias("acme")).unwrap(), None);
}
