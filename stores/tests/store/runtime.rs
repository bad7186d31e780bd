//! A store created, used and dropped on each kind of tokio runtime: a multi-thread one and a
//! current-thread one, in the runtime's own future and inside spawned tasks. None of it may
//! panic or abort (a store spawns connection tasks and blocking calls, and drops its pool
//! wherever it is dropped). And a store dropped outside any runtime (returned from
//! `block_on`, or outliving its runtime), in a child process (this binary, run again with
//! `STORE_TEST_DROP_OUTSIDE` set), so that an abort fails one test rather than the run.

use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};
use tokio::task::JoinSet;
use workmail_org::catalog::Admission;
use workmail_org::Catalog;
use workmail_org_stores::{AnyStore, StoreOptions};

use crate::support::spec;

const ACCOUNT: &str = "111122223333";

fn multi_thread() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn current_thread() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

/// Uses `store`: admissions from 4 tasks at once (so the pool holds several connections),
/// each read back.
async fn use_store(store: Arc<AnyStore>, round: &str) {
    let mut calls = JoinSet::new();
    for n in 0..4 {
        let catalog = Catalog::open(ACCOUNT.parse().unwrap(), Arc::clone(&store));
        let alias = format!("{round}-{n}");
        calls.spawn(async move {
            let spec = spec(&alias, "us-east-1", &[], None, None);
            let admitted = catalog.admit(&spec, 0).await.unwrap();
            assert!(matches!(admitted, Admission::New(_)), "{admitted:?}");
            let found = catalog.by_alias(spec.alias()).await.unwrap();
            assert_eq!(found.as_ref(), Some(admitted.entry()));
        });
    }
    while let Some(call) = calls.join_next().await {
        call.unwrap();
    }
}

/// Every way of creating, using and dropping a store on `runtime`, with `open` opening a new
/// store on one database each time it is called (on the runtime it is called in).
fn create_use_and_drop<F>(runtime: Runtime, kind: &str, open: impl Fn() -> F + Send + Sync)
where
    F: std::future::Future<Output = AnyStore> + Send + 'static,
{
    // Created, used and dropped in the runtime's own future.
    runtime.block_on(async {
        let store = Arc::new(open().await);
        use_store(Arc::clone(&store), &format!("{kind}-block")).await;
        drop(store);
    });
    // Created in the runtime's future, used and dropped inside a spawned task.
    runtime.block_on(async {
        let store = Arc::new(open().await);
        let round = format!("{kind}-task");
        tokio::spawn(async move {
            use_store(Arc::clone(&store), &round).await;
            drop(store);
        })
        .await
        .unwrap();
    });
    // Created inside the runtime's future, used by a spawned task, then dropped in the
    // runtime's future after a pause (its connections idle).
    runtime.block_on(async {
        let store = Arc::new(open().await);
        let inner = Arc::clone(&store);
        let round = format!("{kind}-handed");
        tokio::spawn(async move { use_store(inner, &round).await })
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(store);
    });
    // Created and dropped inside a spawned task.
    runtime.block_on(async {
        let opened = open();
        let round = format!("{kind}-spawned");
        tokio::spawn(async move {
            let store = Arc::new(opened.await);
            use_store(Arc::clone(&store), &round).await;
            drop(store);
        })
        .await
        .unwrap();
    });
    drop(runtime);
}

/// Set in a child that drops a store outside its runtime: `sqlite` or `postgres`.
const CHILD_DROP_OUTSIDE: &str = "STORE_TEST_DROP_OUTSIDE";

/// The child's side: a store created and used on a runtime, then dropped outside it, once
/// while the runtime lives (not entered) and once after it is gone; it says `dropped` when
/// it got through. In a normal run the variable is unset and this returns at once.
#[test]
fn child() {
    let Ok(kind) = std::env::var(CHILD_DROP_OUTSIDE) else {
        return;
    };
    for (n, runtime) in [multi_thread(), current_thread()].into_iter().enumerate() {
        let store = runtime.block_on(async {
            let store = Arc::new(crate::support::open_from_env().await);
            use_store(Arc::clone(&store), &format!("{kind}-outside{n}")).await;
            store
        });
        drop(store);
        let store = runtime.block_on(async {
            let store = Arc::new(crate::support::open_from_env().await);
            use_store(Arc::clone(&store), &format!("{kind}-late{n}")).await;
            store
        });
        drop(runtime);
        drop(store);
    }
    println!("DROPPED");
}

/// Runs a `child` on `env`'s database; panics with its output unless it got through.
fn dropped_outside_a_runtime(kind: &str, env: Vec<(&'static str, String)>) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "runtime::child",
            "--nocapture",
            "--test-threads=1",
        ])
        .envs(env)
        .env(CHILD_DROP_OUTSIDE, kind)
        .env("RUST_BACKTRACE", "0")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("DROPPED"),
        "a {kind} store dropped outside a runtime: the process ended with {}\n{stdout}{stderr}",
        out.status
    );
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use crate::support::sqlite;

    fn on(runtime: Runtime, kind: &str) {
        // The file is made, and migrated, on a runtime of its own.
        let db = crate::support::on_own_runtime(sqlite(kind));
        let file = db.file().to_path_buf();
        create_use_and_drop(runtime, kind, || {
            let file = file.clone();
            async move {
                AnyStore::Sqlite(
                    workmail_org_stores::SqliteStore::open(&file, &StoreOptions::default())
                        .await
                        .unwrap(),
                )
            }
        });
    }

    #[test]
    fn on_a_multi_thread_runtime() {
        on(multi_thread(), "sqlite-multi");
    }

    #[test]
    fn on_a_current_thread_runtime() {
        on(current_thread(), "sqlite-current");
    }

    #[test]
    fn dropped_outside_a_runtime() {
        let db = crate::support::on_own_runtime(sqlite("sqlite-outside"));
        super::dropped_outside_a_runtime("sqlite", crate::support::Engine::child_env(&db));
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;
    use crate::support::postgres;

    fn on(runtime: Runtime, kind: &str) {
        // The schema is made, and migrated, on a runtime of its own.
        let db = crate::support::on_own_runtime(postgres(kind));
        let config = db.config();
        create_use_and_drop(runtime, kind, || {
            let config = config.clone();
            async move {
                AnyStore::Postgres(
                    workmail_org_stores::PostgresStore::connect_with(
                        config,
                        &StoreOptions::default(),
                    )
                    .await
                    .unwrap(),
                )
            }
        });
    }

    #[test]
    fn on_a_multi_thread_runtime() {
        on(multi_thread(), "postgres-multi");
    }

    #[test]
    fn on_a_current_thread_runtime() {
        on(current_thread(), "postgres-current");
    }

    #[test]
    fn dropped_outside_a_runtime() {
        let db = crate::support::on_own_runtime(postgres("postgres-outside"));
        super::dropped_outside_a_runtime("postgres", crate::support::Engine::child_env(&db));
    }
}
