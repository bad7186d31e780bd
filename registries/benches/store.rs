//! What a catalog call costs on each store: the library's `InMemoryStore`, `SqliteStore` on a
//! file in a temporary directory (write-ahead logging, as `migrate` sets it and the tests
//! open it) and `PostgresStore`, all through `Catalog<Box<dyn Store>>` as the tests use them.
//!
//! ```text
//! cargo bench -p workmail-org-registries --bench store
//! cargo bench -p workmail-org-registries --bench store -- admit    # one group
//! ```
//!
//! PostgreSQL runs on the server `DATABASE_URL` names, or, when it is unset, on a throwaway
//! server started as the tests start theirs (`tests/store/support.rs`, included here), in a
//! schema of its own. When neither works (no server binaries, say) the bench prints why and
//! measures the other engines.
//!
//! Each group has one function per engine (`admit/memory`, `admit/sqlite`,
//! `admit/postgres`):
//! - `admit`: `Catalog::admit` of a spec no key of which is held, a new alias and two new
//!   mail domains each iteration, on an account whose limit is raised to `u64::MAX`. The specs
//!   are made, and the new entries released, outside the timing, so the live keys stay
//!   few (the databases keep released entries as history);
//! - `by_alias`: `Catalog::by_alias` of a held alias, in turn over 100 held ones;
//! - `record`: `Catalog::record` of a `DescribeOrganization` snapshot of a created entry,
//!   `Active` and `Impaired` in turn, so each call is a change the store writes.
//!
//! The databases commit each write to disk: the samples are few (20) and the measurements
//! short (4 s): the whole run takes about a minute (55 s on 2 CPUs). The figures depend on the
//! disk and on what else runs: note the load (`uptime`) with them.

#[path = "../tests/store/support.rs"]
mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use workmail_org::aws::{CreateOrganization, Organization};
use workmail_org::catalog::{Release, Store};
use workmail_org::{Catalog, OrganizationAlias, OrganizationSpec};

use support::{catalog, created, snapshot, spec, Engine};

/// The account every bench works in.
const ACCOUNT: &str = "111122223333";
/// How many aliases `by_alias` goes through.
const HELD: usize = 100;
/// The most admissions timed in one go before their entries are released.
const BATCH: usize = 100;

/// The engines to measure, each with one fresh database, and their names.
fn engines() -> Vec<(&'static str, Box<dyn Engine>)> {
    // Without a database feature only the in-memory store is left to push.
    #[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(unused_mut))]
    let mut engines: Vec<(&'static str, Box<dyn Engine>)> =
        vec![("memory", Box::new(support::memory("bench")))];
    #[cfg(feature = "sqlite")]
    engines.push(("sqlite", Box::new(support::sqlite("bench"))));
    #[cfg(feature = "postgres")]
    match postgres() {
        Ok(engine) => engines.push(("postgres", Box::new(engine))),
        Err(why) => eprintln!("PostgreSQL is not measured: {why}"),
    }
    engines
}

/// A schema on `DATABASE_URL`'s server or on a throwaway one, or why there is none: the
/// tests' support panics then, and its message is the reason.
#[cfg(feature = "postgres")]
fn postgres() -> Result<support::postgres_support::Postgres, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let opened = std::panic::catch_unwind(|| support::postgres("bench"));
    std::panic::set_hook(hook);
    opened.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "the server could not be opened".to_owned())
    })
}

/// A spec with alias `{prefix}{n}` and two mail domains of its own.
fn fresh(prefix: &str, n: usize) -> OrganizationSpec {
    let alias = format!("{prefix}{n}");
    spec(
        &alias,
        "us-east-1",
        &[&format!("{alias}.example"), &format!("{alias}.example.org")],
        None,
        None,
    )
}

/// One engine's catalog, ready: the limit raised, [`HELD`] aliases held, and one entry
/// created as organization 1, for `record`.
struct Prepared {
    catalog: Catalog<Box<dyn Store>>,
    held: Vec<OrganizationAlias>,
    snapshots: [Organization; 2],
}

fn prepare(engine: &dyn Engine) -> Prepared {
    let catalog = catalog(engine, ACCOUNT);
    catalog.set_limit(Some(u64::MAX)).expect("limit set");
    let held = (0..HELD)
        .map(|n| {
            let spec = fresh("held", n);
            catalog.admit(&spec, 0).expect("admitted");
            spec.alias().clone()
        })
        .collect();
    let recorded = fresh("recorded", 0);
    let entry = catalog.admit(&recorded, 0).expect("admitted").into_entry();
    let call = CreateOrganization::new(&recorded).expect("a call");
    catalog.sent(entry.id(), &call, 0).expect("sent");
    catalog
        .created(entry.id(), &created(1), 0)
        .expect("created");
    let alias = recorded.alias().to_string();
    let snapshots =
        ["Active", "Impaired"].map(|state| snapshot(1, &alias, ACCOUNT, "us-east-1", state));
    Prepared {
        catalog,
        held,
        snapshots,
    }
}

fn store(c: &mut Criterion) {
    let engines = engines();
    let prepared: Vec<(&str, Prepared)> = engines
        .iter()
        .map(|(name, engine)| (*name, prepare(engine.as_ref())))
        .collect();

    let mut group = c.benchmark_group("admit");
    for (name, Prepared { catalog, .. }) in &prepared {
        let mut next = 0;
        group.bench_function(*name, |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                let mut left = iters as usize;
                while left > 0 {
                    let batch: Vec<OrganizationSpec> = (next..next + left.min(BATCH))
                        .map(|n| fresh("admit", n))
                        .collect();
                    next += batch.len();
                    let start = Instant::now();
                    let admitted: Vec<_> = batch
                        .iter()
                        .map(|free| catalog.admit(free, 0).expect("admitted"))
                        .collect();
                    timed += start.elapsed();
                    for admission in admitted {
                        catalog
                            .release(admission.entry().id(), Release::NothingSent)
                            .expect("released");
                    }
                    left -= batch.len();
                }
                timed
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("by_alias");
    for (name, Prepared { catalog, held, .. }) in &prepared {
        let mut i = 0;
        group.bench_function(*name, |b| {
            b.iter(|| {
                i = (i + 1) % held.len();
                black_box(catalog.by_alias(&held[i]).expect("read")).expect("held")
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("record");
    for (
        name,
        Prepared {
            catalog, snapshots, ..
        },
    ) in &prepared
    {
        let mut i = 0;
        group.bench_function(*name, |b| {
            b.iter(|| {
                i += 1;
                black_box(catalog.record(&snapshots[i % 2], 0).expect("recorded"))
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = store
}
criterion_main!(benches);
