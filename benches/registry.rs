//! The in-memory alias registry: single-thread cost, throughput under contention, and the
//! memory ten million aliases take.
//!
//! `cargo bench --bench registry` runs the timings on a registry holding 100,000 aliases;
//! `REGISTRY_ALIASES=10000000 cargo bench --bench registry` holds ten million instead (about
//! 2 GiB with the bench's own copies, a minute to fill). `MEASURE_MEMORY=1 cargo bench
//! --bench registry` also fills a registry with 10,000,000 aliases and prints the resident
//! memory it added, in all and beyond the aliases' text (Linux only; it reads
//! /proc/self/statm).

use std::hint::black_box;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use workmail_org::{catalog::InMemoryAliasRegistry, AliasRegistry, OrganizationAlias};

fn aliases(n: usize, prefix: &str) -> Vec<OrganizationAlias> {
    (0..n)
        .map(|i| format!("{prefix}{i:x}").parse().expect("valid alias"))
        .collect()
}

/// How many aliases the single-thread benches hold: `REGISTRY_ALIASES`, 100,000 by default.
fn held() -> usize {
    std::env::var("REGISTRY_ALIASES").map_or(100_000, |n| n.parse().expect("a count"))
}

fn single_thread(c: &mut Criterion) {
    let mut group = c.benchmark_group("registry");
    let filled = InMemoryAliasRegistry::<u64>::new();
    let held = held();
    let existing = aliases(held, "org-");
    for (i, a) in existing.iter().enumerate() {
        filled.reserve(a, i as u64).expect("fresh alias");
    }
    let mut i = 0;
    group.bench_function(format!("holder_hit_{held}"), |b| {
        b.iter(|| {
            i = (i + 1) % existing.len();
            black_box(filled.holder(&existing[i]).expect("in memory"))
        })
    });
    let missing: OrganizationAlias = "not-there".parse().expect("valid alias");
    group.bench_function(format!("holder_miss_{held}"), |b| {
        b.iter(|| black_box(filled.holder(&missing).expect("in memory")))
    });
    group.bench_function(format!("reserve_release_{held}"), |b| {
        b.iter(|| {
            filled.reserve(&missing, 1).expect("free");
            filled.release(&missing, &1).expect("held");
        })
    });
    let mut i = 0;
    group.bench_function(format!("reserve_taken_{held}"), |b| {
        b.iter(|| {
            i = (i + 7919) % existing.len();
            black_box(filled.reserve(&existing[i], u64::MAX).is_err())
        })
    });
    group.bench_function("reserve_taken_same_alias", |b| {
        b.iter(|| black_box(filled.reserve(&existing[7], u64::MAX).is_err()))
    });
    group.finish();
}

/// Many threads reserving distinct aliases, then looking them up: the cost per operation
/// across all threads.
fn contended(c: &mut Criterion) {
    let mut group = c.benchmark_group("registry_contended");
    for threads in [1usize, 2, 8, 16] {
        group.bench_function(format!("reserve_then_lookup_{threads}_threads"), |b| {
            b.iter_custom(|iters| {
                let per_thread = (iters as usize).div_ceil(threads).max(1);
                let registry = Arc::new(InMemoryAliasRegistry::<usize>::new());
                let work: Vec<Vec<OrganizationAlias>> = (0..threads)
                    .map(|t| aliases(per_thread, &format!("t{t}-")))
                    .collect();
                let start = Instant::now();
                let handles: Vec<_> = work
                    .into_iter()
                    .enumerate()
                    .map(|(t, mine)| {
                        let registry = Arc::clone(&registry);
                        thread::spawn(move || {
                            for a in &mine {
                                registry.reserve(a, t).expect("distinct");
                            }
                            for a in &mine {
                                black_box(registry.holder(a).expect("in memory"));
                            }
                        })
                    })
                    .collect();
                for handle in handles {
                    handle.join().expect("worker");
                }
                // Two operations per alias: scale to the time of `iters` operations.
                let operations = 2 * per_thread * threads;
                start.elapsed().mul_f64(iters as f64 / operations as f64)
            })
        });
    }
    group.finish();
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn memory(_: &mut Criterion) {
    if std::env::var_os("MEASURE_MEMORY").is_none() {
        return;
    }
    const N: usize = 10_000_000;
    let before = resident_bytes().unwrap_or(0);
    let registry = InMemoryAliasRegistry::<u64>::new();
    let start = Instant::now();
    let mut text = 0;
    for i in 0..N {
        let a: OrganizationAlias = format!("organization-{i}").parse().expect("valid alias");
        text += a.as_str().len();
        registry.reserve(&a, i as u64).expect("fresh alias");
    }
    let fill = start.elapsed();
    let added = resident_bytes().unwrap_or(0).saturating_sub(before) as f64;
    println!(
        "memory: {N} aliases (\"organization-N\", u64 holders, {:.1} characters on average) \
         added {:.0} MiB resident: {:.1} bytes per alias, {:.1} beyond its text; filled in {:.1?}",
        text as f64 / N as f64,
        added / (1 << 20) as f64,
        added / N as f64,
        (added - text as f64) / N as f64,
        fill
    );
    assert_eq!(registry.len(), N);
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3));
    targets = single_thread, contended, memory
}
criterion_main!(benches);
