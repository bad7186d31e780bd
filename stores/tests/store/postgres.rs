//! PostgreSQL going away and coming back, the pool, and the errors of a database that cannot
//! be opened. Each prints its figures with `eprintln!` (`cargo test -p workmail-org-stores
//! postgres:: -- --nocapture` shows them).
//!
//! The store's connections are found in `pg_stat_activity` by the `application_name` each
//! test gives its store's configuration.

use std::error::Error;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;
use workmail_org::catalog::{Admission, AdmitError};
use workmail_org::Catalog;
use workmail_org_stores::tokio_postgres::{self, Client, Config};
use workmail_org_stores::{DatabaseUrl, PostgresStore, StoreOptions};

use crate::support::postgres_support::{connect, database_url, Server};
use crate::support::{postgres, spec};

const ACCOUNT: &str = "111122223333";

/// An error and its sources, each `Display`ed, joined with ": ".
fn chain(err: &(dyn Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(err) = source {
        parts.push(err.to_string());
        source = err.source();
    }
    parts.join(": ")
}

/// Whether the error or one of its sources is the driver's error.
fn holds_driver_error(err: &(dyn Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(err) = next {
        if err.downcast_ref::<tokio_postgres::Error>().is_some() {
            return true;
        }
        next = err.source();
    }
    false
}

/// A unique `application_name` for one test's store.
fn application_name(test: &str) -> String {
    format!("stores-{test}-{}", std::process::id())
}

/// How many of the server's sessions belong to `application`.
async fn sessions(admin: &Client, application: &str) -> i64 {
    admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
            &[&application],
        )
        .await
        .unwrap()
        .get(0)
}

/// Ends every session of `application` with `pg_terminate_backend`; how many it ended.
async fn terminate(admin: &Client, application: &str) -> i64 {
    admin
        .query_one(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid() \
             AND application_name = $1",
            &[&application],
        )
        .await
        .unwrap()
        .get(0)
}

/// One call of a load: admits `alias`, then looks it up. A failure is the [`StoreError`]'s
/// source chain, with whether it holds the driver's error; anything else panics.
///
/// [`StoreError`]: workmail_org::catalog::store::StoreError
async fn admit_and_look_up(
    catalog: &Catalog<Arc<PostgresStore>>,
    alias: &str,
) -> Result<(), (String, bool)> {
    let spec = spec(alias, "us-east-1", &[], None, None);
    let admitted = match catalog.admit(&spec, 0).await {
        Ok(admitted) => admitted,
        Err(AdmitError::Store(err)) => return Err((chain(&err), holds_driver_error(&err))),
        Err(refused) => panic!("{alias}: not a store error: {refused}"),
    };
    assert!(matches!(admitted, Admission::New(_)), "{admitted:?}");
    match catalog.by_alias(spec.alias()).await {
        Ok(found) => {
            assert_eq!(found.as_ref(), Some(admitted.entry()));
            Ok(())
        }
        Err(err) => Err((chain(&err), holds_driver_error(&err))),
    }
}

/// One call of a load, timed.
struct Call {
    task: usize,
    started: Instant,
    ended: Instant,
    result: Result<(), (String, bool)>,
}

/// `tasks` tasks calling `catalog` in a loop until `stop` is set, each call recorded; a
/// failed call is followed by a pause of 10 ms, so that a down server is not called in a
/// tight loop.
fn load(
    tasks: usize,
    catalog: &Catalog<Arc<PostgresStore>>,
    prefix: &str,
    stop: &Arc<AtomicBool>,
    calls: &Arc<Mutex<Vec<Call>>>,
) -> JoinSet<()> {
    let mut set = JoinSet::new();
    for task in 0..tasks {
        let (catalog, stop, calls) = (catalog.clone(), stop.clone(), calls.clone());
        let prefix = prefix.to_owned();
        set.spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let started = Instant::now();
                let result = admit_and_look_up(&catalog, &format!("{prefix}{task}-{n}")).await;
                let failed = result.is_err();
                calls.lock().unwrap().push(Call {
                    task,
                    started,
                    ended: Instant::now(),
                    result,
                });
                if failed {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        });
    }
    set
}

/// A server of its own stops (`pg_ctl -m fast stop`) under a load of 8 tasks, and starts
/// again on the same data and socket directory: every call while it is down fails within
/// about the acquire timeout, with the driver's error in its source chain, and the same
/// store works again once it is back, with nothing reopened.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_outage_under_load_then_a_restart() {
    const TASKS: usize = 8;
    let server = Arc::new(
        tokio::task::spawn_blocking(Server::start)
            .await
            .unwrap()
            .unwrap_or_else(|err| panic!("a server of the test's own: {err}")),
    );
    let application = application_name("outage");
    let mut config: Config = server.url().parse().unwrap();
    config.application_name(&application);
    let acquire_timeout = Duration::from_secs(1);
    let options = StoreOptions::default().with_acquire_timeout(acquire_timeout);
    let store = Arc::new(PostgresStore::connect_with(config, &options).await.unwrap());
    store.migrate().await.unwrap();
    let catalog = Catalog::open(ACCOUNT.parse().unwrap(), Arc::clone(&store));
    catalog.set_limit(Some(1_000_000)).await.unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = load(TASKS, &catalog, "outage", &stop, &calls);
    tokio::time::sleep(Duration::from_millis(800)).await;

    let stopping = Instant::now();
    let down = Arc::clone(&server);
    tokio::task::spawn_blocking(move || down.stop())
        .await
        .unwrap()
        .unwrap();
    let stopped = Instant::now();
    // Down for a few acquire timeouts.
    tokio::time::sleep(3 * acquire_timeout).await;
    let starting = Instant::now();
    let up = Arc::clone(&server);
    tokio::task::spawn_blocking(move || up.start_again())
        .await
        .unwrap()
        .unwrap();
    let started = Instant::now();
    // Until every task has succeeded three times since, or 15 s.
    let deadline = started + Duration::from_secs(15);
    loop {
        let done = {
            let calls = calls.lock().unwrap();
            (0..TASKS).all(|task| {
                calls
                    .iter()
                    .filter(|c| c.task == task && c.started >= started && c.result.is_ok())
                    .count()
                    >= 3
            })
        };
        if done || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    while let Some(task) = tasks.join_next().await {
        task.unwrap();
    }
    let calls = std::mem::take(&mut *calls.lock().unwrap());

    let before: Vec<&Call> = calls.iter().filter(|c| c.ended < stopping).collect();
    assert!(!before.is_empty(), "calls before the outage");
    for call in &before {
        assert!(call.result.is_ok(), "before the outage: {:?}", call.result);
    }
    let during: Vec<&Call> = calls
        .iter()
        .filter(|c| c.started >= stopped && c.ended <= starting)
        .collect();
    assert!(!during.is_empty(), "calls during the outage");
    for call in &during {
        assert!(
            call.result.is_err(),
            "a call succeeded while the server was down"
        );
    }
    let failed: Vec<&Call> = calls.iter().filter(|c| c.result.is_err()).collect();
    let margin = Duration::from_secs(4);
    let slowest = failed
        .iter()
        .map(|c| c.ended - c.started)
        .max()
        .unwrap_or_default();
    for call in &failed {
        let took = call.ended - call.started;
        let Err((err, driver)) = &call.result else {
            unreachable!()
        };
        assert!(
            took <= acquire_timeout + margin,
            "a failing call took {took:?}: {err}"
        );
        assert!(
            *driver,
            "no tokio_postgres::Error in the source chain: {err}"
        );
    }
    let after: Vec<&Call> = calls.iter().filter(|c| c.started >= started).collect();
    let first_success = after
        .iter()
        .filter(|c| c.result.is_ok())
        .map(|c| c.ended)
        .min()
        .expect("a call succeeded after the restart");
    for task in 0..TASKS {
        assert!(
            after.iter().any(|c| c.task == task && c.result.is_ok()),
            "task {task} never succeeded after the restart"
        );
    }
    let to_first_success = first_success - started;
    let sample = failed
        .iter()
        .filter_map(|c| c.result.as_ref().err())
        .map(|(err, _)| err.as_str())
        .next()
        .unwrap_or_default();
    eprintln!(
        "outage on PostgreSQL under {TASKS} tasks (acquire timeout {acquire_timeout:?}): \
         stop took {:.1?}, down {:.1?}, start took {:.1?}; {} calls before, {} calls failed in \
         all ({} wholly inside the outage, every one), the slowest failure {slowest:.1?}; \
         first success {to_first_success:.1?} after the server was back ({:.1?} after \
         `pg_ctl start`), every task succeeding again on the same store; {} calls after; a \
         failure: {sample}",
        stopped - stopping,
        starting - stopped,
        started - starting,
        before.len(),
        failed.len(),
        during.len(),
        first_success - starting,
        after.iter().filter(|c| c.result.is_ok()).count(),
    );
    assert!(
        to_first_success < Duration::from_secs(3),
        "the first success came {to_first_success:?} after the restart"
    );
    drop((catalog, store));
}

/// `pg_terminate_backend` on every connection of a store, between calls and then under
/// load: the store drops the broken connections and runs its calls again on new ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn terminated_sessions_are_replaced() {
    const TASKS: usize = 8;
    let db = postgres("terminate").await;
    let application = application_name("terminate");
    let mut config = db.config();
    config.application_name(&application);
    let store = Arc::new(
        PostgresStore::connect_with(config, &StoreOptions::default())
            .await
            .unwrap(),
    );
    let catalog = Catalog::open(ACCOUNT.parse().unwrap(), Arc::clone(&store));
    catalog.set_limit(Some(1_000_000)).await.unwrap();
    let admin = connect(&database_url().parse().unwrap()).await;

    // Between calls: a round of calls at once, so the pool holds several connections.
    let between = |round: usize| {
        let catalog = catalog.clone();
        async move {
            let mut calls = JoinSet::new();
            for task in 0..TASKS {
                let catalog = catalog.clone();
                calls.spawn(async move {
                    admit_and_look_up(&catalog, &format!("between{round}-{task}")).await
                });
            }
            while let Some(call) = calls.join_next().await {
                if let Err((err, _)) = call.unwrap() {
                    panic!("round {round}: {err}");
                }
            }
        }
    };
    between(0).await;
    let open = sessions(&admin, &application).await;
    assert!(open > 1, "{open} sessions after {TASKS} calls at once");
    let ended_between = terminate(&admin, &application).await;
    assert_eq!(ended_between, open);
    let gone = Instant::now();
    while sessions(&admin, &application).await > 0 {
        assert!(gone.elapsed() < Duration::from_secs(10), "sessions stay");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Every pooled connection is broken now; the next calls all succeed.
    between(1).await;
    assert!(sessions(&admin, &application).await > 0);

    // Under load: every session ended every 150 ms, ten times.
    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = load(TASKS, &catalog, "loaded", &stop, &calls);
    let mut ended_under_load = 0;
    for _ in 0..10 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        ended_under_load += terminate(&admin, &application).await;
    }
    tokio::time::sleep(Duration::from_millis(150)).await;
    stop.store(true, Ordering::Relaxed);
    while let Some(task) = tasks.join_next().await {
        task.unwrap();
    }
    let calls = std::mem::take(&mut *calls.lock().unwrap());
    // A connection ended while its transaction commits leaves the outcome unknown: that
    // call fails (a retry finds what it did). Any other failure is a bug.
    let failures: Vec<&String> = calls
        .iter()
        .filter_map(|c| c.result.as_ref().err().map(|(err, _)| err))
        .collect();
    let unexpected: Vec<&&String> = failures
        .iter()
        .filter(|err| !err.contains("committing"))
        .collect();
    assert_eq!(unexpected, Vec::<&&String>::new(), "failures under load");
    // And after the load, with its connections ended once more, the same store works.
    terminate(&admin, &application).await;
    between(2).await;
    eprintln!(
        "pg_terminate_backend on PostgreSQL: {ended_between} sessions ended between calls, \
         then {TASKS} calls at once all succeeded; under load of {TASKS} tasks, {ended_under_load} \
         sessions ended in 10 rounds, {} calls, {} failed (each while committing: outcome \
         unknown), every other succeeded; then {TASKS} calls at once all succeeded",
        calls.len(),
        failures.len(),
    );
    drop((catalog, store));
}

/// A pool of 3 under 16 calls at once: never more than 3 sessions, and more than 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_pool_size_is_respected() {
    const TASKS: usize = 16;
    let db = postgres("pool").await;
    let application = application_name("pool");
    let mut config = db.config();
    config.application_name(&application);
    let size = NonZeroUsize::new(3).unwrap();
    let options = StoreOptions::default().with_size(size);
    let store = Arc::new(PostgresStore::connect_with(config, &options).await.unwrap());
    let catalog = Catalog::open(ACCOUNT.parse().unwrap(), Arc::clone(&store));
    catalog.set_limit(Some(1_000_000)).await.unwrap();
    let admin = connect(&database_url().parse().unwrap()).await;

    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = load(TASKS, &catalog, "pooled", &stop, &calls);
    let mut samples = Vec::new();
    let mut pool_sizes = Vec::new();
    let began = Instant::now();
    while began.elapsed() < Duration::from_millis(1500) {
        samples.push(sessions(&admin, &application).await);
        pool_sizes.push(store.pool().status().size);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Relaxed);
    while let Some(task) = tasks.join_next().await {
        task.unwrap();
    }
    let calls = std::mem::take(&mut *calls.lock().unwrap());
    for call in &calls {
        assert!(call.result.is_ok(), "{:?}", call.result);
    }
    let most = samples.iter().copied().max().unwrap();
    let histogram: Vec<(i64, usize)> = (0..=most)
        .map(|n| (n, samples.iter().filter(|s| **s == n).count()))
        .filter(|(_, count)| *count > 0)
        .collect();
    eprintln!(
        "a pool of {size} under {TASKS} tasks on PostgreSQL: {} calls in {:.1?}; {} samples of \
         pg_stat_activity, (sessions, samples) {histogram:?}; the pool's own size at most {}",
        calls.len(),
        began.elapsed(),
        samples.len(),
        pool_sizes.iter().max().unwrap(),
    );
    assert!(most <= 3, "{most} sessions for a pool of 3");
    assert!(most > 1, "one session only: no pooling");
    assert!(pool_sizes.iter().all(|size| *size <= 3));
    drop((catalog, store));
}

/// `url` naming database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let start = url.find("://").unwrap() + 3;
    let path = start + url[start..].find('/').expect("a URL with a database");
    let end = url[path..]
        .find('?')
        .map_or(url.len(), |query| path + query);
    format!("{}/{name}{}", &url[..path], &url[end..])
}

/// `url` with `password` in its user info.
fn with_password(url: &str, password: &str) -> String {
    let start = url.find("://").unwrap() + 3;
    let authority_end = url[start..]
        .find(['/', '?'])
        .map_or(url.len(), |end| start + end);
    let authority = &url[start..authority_end];
    let (user, host) = match authority.rsplit_once('@') {
        Some((user_info, host)) => (user_info.split(':').next().unwrap(), host),
        None => ("postgres", authority),
    };
    format!(
        "{}{user}:{password}@{host}{}",
        &url[..start],
        &url[authority_end..]
    )
}

/// A database that does not exist: opening it fails, and the error's source chain has the
/// server's reason; a password in the URL is never shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_missing_database_is_named_and_passwords_are_hidden() {
    let url = with_database(&database_url(), "nosuchdb");
    let parsed: DatabaseUrl = url.parse().unwrap();
    let began = Instant::now();
    let err = parsed.open(&StoreOptions::default()).await.unwrap_err();
    let took = began.elapsed();
    let full = chain(&err);
    eprintln!("a missing database on PostgreSQL, in {took:.1?}: {full}");
    assert!(
        full.contains(r#"database "nosuchdb" does not exist"#),
        "{full}"
    );
    assert!(err.to_string().contains("nosuchdb"), "{err}");

    const PASSWORD: &str = "s3cret-Pa55";
    let in_user_info = with_password(&url, PASSWORD);
    let separator = if url.contains('?') { '&' } else { '?' };
    let in_query = format!("{url}{separator}password={PASSWORD}");
    for url in [in_user_info, in_query] {
        let parsed: DatabaseUrl = url.parse().unwrap();
        for shown in [parsed.to_string(), format!("{parsed:?}")] {
            assert!(!shown.contains(PASSWORD), "{shown}");
        }
        let err = parsed.open(&StoreOptions::default()).await.unwrap_err();
        let mut shown = vec![err.to_string(), format!("{err:?}"), chain(&err)];
        let mut source = err.source();
        while let Some(err) = source {
            shown.push(format!("{err:?}"));
            source = err.source();
        }
        for shown in shown {
            assert!(!shown.contains(PASSWORD), "the password is shown: {shown}");
        }
        eprintln!("with a password: {}", chain(&err));
    }
}

/// Two stores on one database, one in the default schema of its connections and one in a
/// namespace: `migrate` creates the namespace's schema, and each store admits the same alias
/// without seeing the other's rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespace_is_a_schema_of_its_own() {
    let db = postgres("namespace_schema").await;
    let plain = Catalog::open(crate::support::account("111122223333"), db.store().await);
    let namespace = format!("{}_ns", db.schema());
    let options = StoreOptions::default().with_namespace(namespace.parse().unwrap());
    let apart = PostgresStore::connect_with(db.config(), &options)
        .await
        .unwrap();
    apart.migrate().await.unwrap();
    // Twice, as a second process would: nothing left to do.
    apart.migrate().await.unwrap();
    let apart = Catalog::open(crate::support::account("111122223333"), apart);

    let spec = spec("apart", "us-east-1", &["apart.example"], None, None);
    assert!(matches!(
        plain.admit(&spec, 1).await.unwrap(),
        Admission::New(_)
    ));
    assert!(matches!(
        apart.admit(&spec, 1).await.unwrap(),
        Admission::New(_)
    ));
    let Err(AdmitError::Rejected(_)) = apart.admit(&spec, 2).await else {
        panic!("the alias is taken within the namespace");
    };

    let admin = db.client().await;
    let counted = |table: String| {
        let admin = &admin;
        async move {
            let row = admin
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .await
                .unwrap();
            row.get::<_, i64>(0)
        }
    };
    assert_eq!(counted(format!("{namespace}.organization_entry")).await, 1);
    // Every migration is recorded on every engine, run there or not.
    assert_eq!(
        counted(format!("{namespace}.organization_migration")).await,
        6
    );
    assert_eq!(
        counted(format!("{}.organization_entry", db.schema())).await,
        1
    );
    admin
        .batch_execute(&format!("DROP SCHEMA {namespace} CASCADE"))
        .await
        .unwrap();
}
