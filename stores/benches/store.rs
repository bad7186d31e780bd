//! What a catalog call costs on each store: the library's `InMemoryStore`, `SqliteStore` on a
//! file in a temporary directory (write-ahead logging, as `migrate` sets it and the tests
//! open it) and `PostgresStore`, all through `Catalog<Arc<AnyStore>>` as the tests use them, awaited on a multi-thread
//! tokio runtime (criterion's `to_async`).
//!
//! ```text
//! cargo bench -p workmail-org-stores --bench store
//! cargo bench -p workmail-org-stores --bench store -- admit    # one group
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

use std::any::Any;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use tokio::runtime::Runtime;
use workmail_org::aws::{CreateOrganization, Organization};
use workmail_org::catalog::Release;
use workmail_org::{Catalog, OrganizationAlias, OrganizationSpec};
use workmail_org_stores::AnyStore;

use support::{catalog, created, snapshot, spec, Engine};

/// The account every bench works in.
const ACCOUNT: &str = "111122223333";
/// How many aliases `by_alias` goes through.
const HELD: usize = 100;
/// The most admissions timed in one go before their entries are released.
const BATCH: usize = 100;

/// The engines to measure, each with one fresh database, and their names: each engine's
/// catalog, ready, and the engine itself, kept until the end (it deletes its database when
/// dropped).
fn engines(runtime: &Runtime) -> Vec<(&'static str, Prepared, Box<dyn Any>)> {
    let mut engines: Vec<(&'static str, Prepared, Box<dyn Any>)> = Vec::new();
    let memory = support::memory("bench");
    engines.push((
        "memory",
        runtime.block_on(prepare(&memory)),
        Box::new(memory),
    ));
    #[cfg(feature = "sqlite")]
    {
        let sqlite = runtime.block_on(support::sqlite("bench"));
        engines.push((
            "sqlite",
            runtime.block_on(prepare(&sqlite)),
            Box::new(sqlite),
        ));
    }
    #[cfg(feature = "postgres")]
    match postgres(runtime) {
        Ok(postgres) => {
            engines.push((
                "postgres",
                runtime.block_on(prepare(&postgres)),
                Box::new(postgres),
            ));
        }
        Err(why) => eprintln!("PostgreSQL is not measured: {why}"),
    }
    engines
}

/// A schema on `DATABASE_URL`'s server or on a throwaway one, or why there is none: the
/// tests' support panics then, and its message is the reason.
#[cfg(feature = "postgres")]
fn postgres(runtime: &Runtime) -> Result<support::postgres_support::Postgres, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        runtime.block_on(support::postgres("bench"))
    }));
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
    catalog: Catalog<Arc<AnyStore>>,
    held: Vec<OrganizationAlias>,
    snapshots: [Organization; 2],
}

async fn prepare(engine: &impl Engine) -> Prepared {
    let catalog = catalog(engine, ACCOUNT).await;
    catalog.set_limit(Some(u64::MAX)).await.expect("limit set");
    let mut held = Vec::with_capacity(HELD);
    for n in 0..HELD {
        let spec = fresh("held", n);
        catalog.admit(&spec, 0).await.expect("admitted");
        held.push(spec.alias().clone());
    }
    let recorded = fresh("recorded", 0);
    let entry = catalog
        .admit(&recorded, 0)
        .await
        .expect("admitted")
        .into_entry();
    let call = CreateOrganization::new(&recorded).expect("a call");
    catalog.sent(entry.id(), &call, 0).await.expect("sent");
    catalog
        .created(entry.id(), &created(1), 0)
        .await
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let engines = engines(&runtime);

    let mut group = c.benchmark_group("admit");
    for (name, Prepared { catalog, .. }, _) in &engines {
        let mut next = 0;
        group.bench_function(*name, |b| {
            b.to_async(&runtime).iter_custom(|iters| {
                let first = next;
                next += iters as usize;
                async move {
                    let mut timed = Duration::ZERO;
                    let mut n = first;
                    let end = first + iters as usize;
                    while n < end {
                        let batch: Vec<OrganizationSpec> =
                            (n..end.min(n + BATCH)).map(|n| fresh("admit", n)).collect();
                        n += batch.len();
                        let start = Instant::now();
                        let mut admitted = Vec::with_capacity(batch.len());
                        for free in &batch {
                            admitted.push(catalog.admit(free, 0).await.expect("admitted"));
                        }
                        timed += start.elapsed();
                        for admission in admitted {
                            catalog
                                .release(admission.entry().id(), Release::NothingSent, 0)
                                .await
                                .expect("released");
                        }
                    }
                    timed
                }
            })
        });
    }
    group.finish();

    // The floor of `admit`, in the same run on the same databases and pools: one transaction
    // holding one INSERT of a 600-byte row into a table with a text primary key, then COMMIT.
    let mut group = c.benchmark_group("bare_write");
    for (name, Prepared { catalog, .. }, _) in &engines {
        let store = catalog.store();
        if matches!(**store, AnyStore::Memory(_)) {
            continue;
        }
        runtime.block_on(bare_write_table(store));
        let mut next = 0u64;
        group.bench_function(*name, |b| {
            b.to_async(&runtime).iter(|| {
                next += 1;
                bare_write(store, next)
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("by_alias");
    for (name, Prepared { catalog, held, .. }, _) in &engines {
        let mut i = 0;
        group.bench_function(*name, |b| {
            b.to_async(&runtime).iter(|| {
                i = (i + 1) % held.len();
                let alias = &held[i];
                async move {
                    black_box(catalog.by_alias(alias).await.expect("read")).expect("held")
                }
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
        _,
    ) in &engines
    {
        let mut i = 0;
        group.bench_function(*name, |b| {
            b.to_async(&runtime).iter(|| {
                i += 1;
                let snapshot = &snapshots[i % 2];
                async move { black_box(catalog.record(snapshot, 0).await.expect("recorded")) }
            })
        });
    }
    group.finish();

    // The stores go while the runtime still runs, then the engines delete their databases.
    let (stores, kept): (Vec<Prepared>, Vec<Box<dyn Any>>) = engines
        .into_iter()
        .map(|(_, prepared, engine)| (prepared, engine))
        .unzip();
    runtime.block_on(async move { drop(stores) });
    drop(kept);
}

/// The table of the bare write: a text primary key and a text body.
const BARE_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS bench_bare_write (key text PRIMARY KEY, body text NOT NULL)";
/// The bare write's statement.
const BARE_INSERT: &str = "INSERT INTO bench_bare_write (key, body) VALUES ($1, $2)";

async fn bare_write_table(store: &AnyStore) {
    match store {
        #[cfg(feature = "sqlite")]
        AnyStore::Sqlite(store) => store
            .interact("bench", |connection| connection.execute_batch(BARE_TABLE))
            .await
            .expect("a connection")
            .expect("the table"),
        #[cfg(feature = "postgres")]
        AnyStore::Postgres(store) => store
            .pool()
            .get()
            .await
            .expect("a connection")
            .batch_execute(BARE_TABLE)
            .await
            .expect("the table"),
        _ => {}
    }
}

/// One bare write of row `n`, as the store's engine runs a call: a pooled connection, and on
/// SQLite one hop to a blocking thread and `BEGIN IMMEDIATE`.
async fn bare_write(store: &AnyStore, n: u64) {
    let key = format!("row-{n:020}");
    let body = "x".repeat(600);
    match store {
        #[cfg(feature = "sqlite")]
        AnyStore::Sqlite(store) => store
            .interact("bench", move |connection| {
                let transaction = connection.transaction_with_behavior(
                    workmail_org_stores::rusqlite::TransactionBehavior::Immediate,
                )?;
                transaction.execute(BARE_INSERT, (&key, &body))?;
                transaction.commit()
            })
            .await
            .expect("a connection")
            .expect("written"),
        #[cfg(feature = "postgres")]
        AnyStore::Postgres(store) => {
            let mut client = store.pool().get().await.expect("a connection");
            let transaction = client.transaction().await.expect("begun");
            transaction
                .execute(BARE_INSERT, &[&key, &body])
                .await
                .expect("written");
            transaction.commit().await.expect("committed");
        }
        _ => {}
    }
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
