//! The in-memory store at a million organizations: who holds an alias (the lookup every
//! admission and every `by_alias` makes), and what an admission costs.
//!
//! `cargo bench --bench registry` fills one `InMemoryStore` with 1,000,000 entries of one
//! account (`STORE_ENTRIES` sets another count) through `Store::admit`, then times (each
//! call driven from sync code by `Catalog::blocking`, as the in-memory store's futures are
//! ready at once):
//! - `holder_alias_hit`: `Store::holder` of a held `UniquenessKey::Alias` (target: at most
//!   300 ns), and `holder_alias_miss` of a free one; `baseline_hashmap_hit` is a plain
//!   `HashMap<String, u64>` of as many aliases, the floor of a hash lookup on the machine;
//! - `by_alias_hit`: `Catalog::by_alias`, the lookup and a copy of the entry;
//! - `admit_new`: `Catalog::admit` of a spec no key of which is held (the releases that make
//!   room again are not timed), `admit_refused` of one whose alias is held, and
//!   `admit_release` of a new spec followed by its release.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use workmail_org::catalog::store::{NewEntry, Reservation, Store};
use workmail_org::catalog::{Admission, InMemoryStore, Release, UniquenessKey, UniquenessKeys};
use workmail_org::spec::OrganizationSpecBuilder;
use workmail_org::{AccountId, Catalog, OrganizationAlias, OrganizationSpec, Region};

/// How many entries the store holds: `STORE_ENTRIES`, 1,000,000 by default.
fn entries() -> usize {
    std::env::var("STORE_ENTRIES").map_or(1_000_000, |n| n.parse().expect("a count"))
}

fn account() -> AccountId {
    "111122223333".parse().expect("valid account")
}

fn alias(i: usize, prefix: &str) -> OrganizationAlias {
    format!("{prefix}{i:x}").parse().expect("valid alias")
}

fn spec(alias: OrganizationAlias) -> OrganizationSpec {
    OrganizationSpecBuilder::new(alias, Region::UsEast1)
        .build()
        .expect("valid spec")
}

/// A store holding `n` entries of [`account`], aliases `org-0` to `org-N` in hex, and those
/// aliases.
fn filled(n: usize) -> (InMemoryStore, Vec<OrganizationAlias>) {
    let store = InMemoryStore::new();
    let account = account();
    let catalog = Catalog::open(account.clone(), &store);
    catalog
        .blocking(|_| store.set_limit(&account, Some(u64::MAX)))
        .expect("in memory");
    let start = Instant::now();
    let aliases: Vec<OrganizationAlias> = (0..n).map(|i| alias(i, "org-")).collect();
    for held in &aliases {
        let spec = spec(held.clone());
        let keys = UniquenessKeys::new(&account, &spec);
        let admission = NewEntry::new(&account, &spec, &keys, 0);
        match catalog.blocking(|_| store.admit(&admission)) {
            Ok(Reservation::New(_)) => {}
            other => panic!("{held} not admitted: {other:?}"),
        }
    }
    println!(
        "filled a store with {n} entries in {:.1?} ({} bytes per entry inline)",
        start.elapsed(),
        std::mem::size_of::<workmail_org::catalog::Entry>()
    );
    (store, aliases)
}

fn store(c: &mut Criterion) {
    let n = entries();
    let (store, aliases) = filled(n);
    let keys: Vec<UniquenessKey> = aliases
        .iter()
        .map(|held| UniquenessKey::Alias(held.to_canonical()))
        .collect();
    let catalog = Catalog::open(account(), &store);
    let mut group = c.benchmark_group("store");

    // A stride over the keys, so that consecutive lookups touch unrelated memory.
    let stride = 7919;
    let mut i = 0;
    group.bench_function(format!("holder_alias_hit_{n}"), |b| {
        b.iter(|| {
            i = (i + stride) % keys.len();
            black_box(
                catalog
                    .blocking(|_| store.holder(&keys[i]))
                    .expect("in memory"),
            )
        })
    });
    // The floor on this machine: a `HashMap<String, u64>` of as many aliases, same stride.
    let plain: HashMap<String, u64> = aliases
        .iter()
        .enumerate()
        .map(|(id, held)| (held.to_canonical(), id as u64))
        .collect();
    let texts: Vec<&str> = keys
        .iter()
        .map(|key| match key {
            UniquenessKey::Alias(text) => text.as_str(),
            _ => unreachable!("alias keys"),
        })
        .collect();
    let mut i = 0;
    group.bench_function(format!("baseline_hashmap_hit_{n}"), |b| {
        b.iter(|| {
            i = (i + stride) % texts.len();
            black_box(plain.get(texts[i]))
        })
    });
    drop(plain);
    let missing = UniquenessKey::Alias("not-there".to_owned());
    group.bench_function(format!("holder_alias_miss_{n}"), |b| {
        b.iter(|| {
            black_box(
                catalog
                    .blocking(|_| store.holder(&missing))
                    .expect("in memory"),
            )
        })
    });
    let mut i = 0;
    group.bench_function(format!("by_alias_hit_{n}"), |b| {
        b.iter(|| {
            i = (i + stride) % aliases.len();
            black_box(
                catalog
                    .blocking(|c| c.by_alias(&aliases[i]))
                    .expect("in memory"),
            )
        })
    });

    // Admission of a fresh spec, in batches: the specs are made and the entries released
    // outside the timing, so the store stays at `n` entries.
    const BATCH: usize = 1_000;
    let fresh: Vec<OrganizationSpec> = (0..BATCH).map(|i| spec(alias(i, "new-"))).collect();
    group.bench_function(format!("admit_new_{n}"), |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            let mut left = iters as usize;
            while left > 0 {
                let batch = &fresh[..left.min(BATCH)];
                let start = Instant::now();
                let admitted: Vec<Admission> = batch
                    .iter()
                    .map(|candidate| catalog.blocking(|c| c.admit(candidate, 0)).expect("free"))
                    .collect();
                timed += start.elapsed();
                for admission in admitted {
                    catalog
                        .blocking(|c| c.release(admission.entry().id(), Release::NothingSent, 0))
                        .expect("reserved");
                }
                left -= batch.len();
            }
            timed
        })
    });
    let taken = spec(alias(n / 2, "org-"));
    group.bench_function(format!("admit_refused_{n}"), |b| {
        b.iter(|| black_box(catalog.blocking(|c| c.admit(&taken, 0)).is_err()))
    });
    let one = &fresh[0];
    group.bench_function(format!("admit_release_{n}"), |b| {
        b.iter(|| {
            let entry = catalog
                .blocking(|c| c.admit(one, 0))
                .expect("free")
                .into_entry();
            catalog
                .blocking(|c| c.release(entry.id(), Release::NothingSent, 0))
                .expect("reserved")
        })
    });
    group.finish();
    assert_eq!(store.len(), n);
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3));
    targets = store
}
criterion_main!(benches);
