//! Leaving WorkMail against the endpoint, through the Rust SDK: users and resources seeded
//! and listed page by page, mailbox exports started (idempotently, up to the concurrency
//! limit), polled to their end or their injected failure, listed within seven days, and the
//! organization deleted with `ForceDelete`, keeping or deleting its directory. Each scenario
//! runs in memory, on SQLite and on PostgreSQL (`DATABASE_URL`, or a throwaway server the
//! test starts itself, as `fleet.rs` does).

mod common;
#[cfg(feature = "postgres")]
#[allow(unused_imports)] // the module serves every stores test; this file uses one part
#[path = "../../stores/tests/store/support.rs"]
mod support;

use std::sync::atomic::{AtomicU64, Ordering};

use aws_sdk_workmail::error::ProvideErrorMetadata;
use aws_sdk_workmail::types::{EntityState, MailboxExportJobState};
use http::Method;
use serde::Deserialize;
use workmail_org::aws::{ListResourcesResponse, ListUsersResponse, StartMailboxExportJobRequest};
use workmail_org_emulator::{open_database, Config, Emulator, StoreOptions};

use common::{config, loopback_client, serve};

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROLE: &str = "arn:aws:iam::111122223333:role/workmail-export";

/// A name no other run on the same database has.
fn unique(test: &str) -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{test}-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::SeqCst)
    )
}

/// The emulators a scenario runs on: in memory, on SQLite, on PostgreSQL.
#[derive(Clone, Copy, Debug)]
enum Engine {
    Memory,
    #[cfg(feature = "sqlite")]
    Sqlite,
    #[cfg(feature = "postgres")]
    Postgres,
}

async fn emulator(engine: Engine, config: Config) -> Emulator {
    let url = match engine {
        Engine::Memory => return Emulator::in_memory(config),
        #[cfg(feature = "sqlite")]
        Engine::Sqlite => {
            let dir = std::env::temp_dir().join(unique("emulator-leaving"));
            std::fs::create_dir_all(&dir).expect("a temporary directory");
            format!("sqlite://{}", dir.join("state.db").display())
        }
        #[cfg(feature = "postgres")]
        Engine::Postgres => support::postgres_support::database_url(),
    };
    let database = open_database(Some(&url), &StoreOptions::default())
        .await
        .expect("the database opens");
    Emulator::new(config, database.store)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Seeded {
    id: String,
}

async fn control(emulator: &Emulator, method: Method, path: &str, body: String) -> Vec<u8> {
    let response = emulator.control(&method, path, body.as_bytes()).await;
    assert_eq!(
        response.status(),
        200,
        "{path} {body}: {}",
        String::from_utf8_lossy(response.body())
    );
    response.body().to_vec()
}

async fn seed(emulator: &Emulator, path: &str, body: String) -> String {
    let answer = control(emulator, Method::POST, path, body).await;
    serde_json::from_slice::<Seeded>(&answer)
        .expect("{\"Id\"}")
        .id
}

/// An `Active` organization named `alias`.
async fn active(client: &aws_sdk_workmail::Client, alias: &str, directory: Option<&str>) -> String {
    let id = client
        .create_organization()
        .alias(alias)
        .set_directory_id(directory.map(str::to_owned))
        .send()
        .await
        .expect("CreateOrganization")
        .organization_id()
        .expect("an id")
        .to_owned();
    let state = client
        .describe_organization()
        .organization_id(&id)
        .send()
        .await
        .expect("DescribeOrganization");
    assert_eq!(state.state(), Some("Active"));
    id
}

async fn state_of(client: &aws_sdk_workmail::Client, id: &str) -> String {
    client
        .describe_organization()
        .organization_id(id)
        .send()
        .await
        .expect("DescribeOrganization")
        .state()
        .unwrap_or_default()
        .to_owned()
}

/// The library's request for `entity`, sent through the SDK; the job id or the error code.
async fn start(
    client: &aws_sdk_workmail::Client,
    organization: &str,
    entity: &str,
    token: &str,
    prefix: &str,
) -> Result<String, String> {
    let request = StartMailboxExportJobRequest::new(
        token.parse().unwrap(),
        organization.parse().unwrap(),
        entity.parse().unwrap(),
        ROLE.parse().unwrap(),
        KEY.parse().unwrap(),
        "acme-exports".parse().unwrap(),
        prefix.parse().unwrap(),
    );
    request
        .to_sdk_builder()
        .send_with(client)
        .await
        .map(|output| output.job_id().unwrap_or_default().to_owned())
        .map_err(|err| err.code().unwrap_or("no code").to_owned())
}

async fn describe(
    client: &aws_sdk_workmail::Client,
    organization: &str,
    job: &str,
) -> aws_sdk_workmail::operation::describe_mailbox_export_job::DescribeMailboxExportJobOutput {
    client
        .describe_mailbox_export_job()
        .organization_id(organization)
        .job_id(job)
        .send()
        .await
        .expect("DescribeMailboxExportJob")
}

/// Every call of issue 27 on one engine.
async fn leaving(engine: Engine) {
    let (addr, emulator) = serve(
        emulator(
            engine,
            config()
                .create_after_polls(1)
                .export_concurrency(2)
                .export_after_polls(3),
        )
        .await,
    )
    .await;
    let client = loopback_client(addr, "us-east-1");
    let alias = unique("leave");
    let org = active(&client, &alias, None).await;

    // Seeding: one entity per call, each answered its id.
    let user = |name: &str, extra: &str| {
        format!(
            r#"{{"OrganizationId": "{org}", "Name": "{name}", "Email": "{name}@acme.example"{extra}}}"#
        )
    };
    let jdoe = seed(&emulator, "users", user("jdoe", r#", "UserRole": "USER""#)).await;
    let asmith = seed(&emulator, "users", user("asmith", "")).await;
    let ghost = seed(&emulator, "users", user("ghost", r#", "Enabled": false"#)).await;
    let room = seed(
        &emulator,
        "resources",
        format!(r#"{{"OrganizationId": "{org}", "Name": "board-room", "Type": "ROOM"}}"#),
    )
    .await;
    let printer = seed(
        &emulator,
        "resources",
        format!(r#"{{"OrganizationId": "{org}", "Name": "printer", "Type": "EQUIPMENT"}}"#),
    )
    .await;
    assert!(room.starts_with("r-") && room.len() == 34, "{room}");
    // Seeding refuses what it cannot hold, by name.
    for (path, body, exception) in [
        (
            "users",
            format!(r#"{{"OrganizationId": "{org}", "Name": "a b"}}"#),
            "InvalidParameterException",
        ),
        (
            "users",
            format!(
                r#"{{"OrganizationId": "{org}", "Name": "x", "Enabled": false, "State": "ENABLED"}}"#
            ),
            "InvalidParameterException",
        ),
        (
            "users",
            format!(r#"{{"OrganizationId": "{org}", "Name": "x", "Type": "ROOM"}}"#),
            "InvalidParameterException",
        ),
        (
            "resources",
            format!(r#"{{"OrganizationId": "{org}", "Name": "x", "Type": "CAR"}}"#),
            "InvalidParameterException",
        ),
        (
            "users",
            r#"{"OrganizationId": "m-00000000000000000000000000000000", "Name": "x"}"#.to_owned(),
            "OrganizationNotFoundException",
        ),
        (
            "users",
            format!(r#"{{"OrganizationId": "{org}", "Name": "x", "Extra": 1}}"#),
            "SerializationException",
        ),
        (
            "export-failures",
            format!(r#"{{"OrganizationId": "{org}", "EntityId": "nobody"}}"#),
            "EntityNotFoundException",
        ),
    ] {
        let refused = emulator.control(&Method::POST, path, body.as_bytes()).await;
        assert_eq!(refused.status(), 400, "{body}");
        let text = String::from_utf8_lossy(refused.body());
        assert!(text.contains(exception), "{body}: {text}");
    }

    // ListUsers, two a page, read back by the library.
    let mut users = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let output = client
            .list_users()
            .organization_id(&org)
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .expect("ListUsers");
        let page = ListUsersResponse::try_from(&output).expect("a well-formed page");
        assert!(page.users().len() <= 2);
        users.extend(page.users().iter().cloned());
        pages += 1;
        token = output.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 2);
    let mut ids: Vec<&str> = users.iter().map(|u| u.id().as_str()).collect();
    ids.sort_unstable();
    let mut seeded = vec![jdoe.as_str(), asmith.as_str(), ghost.as_str()];
    seeded.sort_unstable();
    assert_eq!(ids, seeded);
    let never = users.iter().find(|u| u.id().as_str() == ghost).unwrap();
    assert!(!never.has_mailbox() && never.enabled_date().is_none());
    let bad_token = client
        .list_users()
        .organization_id(&org)
        .next_token("not-ours!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad_token.code(), Some("InvalidParameterException"));

    // ListResources, one a page.
    let first = client
        .list_resources()
        .organization_id(&org)
        .max_results(1)
        .send()
        .await
        .expect("ListResources");
    let second = client
        .list_resources()
        .organization_id(&org)
        .max_results(1)
        .set_next_token(first.next_token().map(str::to_owned))
        .send()
        .await
        .expect("ListResources");
    assert!(second.next_token().is_none());
    let mut resources: Vec<String> = [&first, &second]
        .iter()
        .flat_map(|page| {
            ListResourcesResponse::try_from(*page)
                .unwrap()
                .resources()
                .to_vec()
        })
        .map(|r| r.id().as_str().to_owned())
        .collect();
    resources.sort_unstable();
    let mut expected = vec![room.clone(), printer.clone()];
    expected.sort_unstable();
    assert_eq!(resources, expected);
    assert_eq!(first.resources()[0].state(), Some(&EntityState::Enabled));

    // ListMailDomains: the test domain.
    let domains = client
        .list_mail_domains()
        .organization_id(&org)
        .send()
        .await
        .expect("ListMailDomains");
    assert_eq!(
        domains.mail_domains()[0].domain_name(),
        Some(format!("{alias}.awsapps.com").as_str())
    );

    // StartMailboxExportJob: idempotent by its client token.
    let job1 = start(&client, &org, "jdoe@acme.example", "exp-jdoe-1", "a/")
        .await
        .unwrap();
    let again = start(&client, &org, "jdoe@acme.example", "exp-jdoe-1", "a/")
        .await
        .unwrap();
    assert_eq!(job1, again, "the same token and request: the same job");
    let reused = start(&client, &org, "jdoe@acme.example", "exp-jdoe-1", "b/").await;
    assert_eq!(reused, Err("InvalidParameterException".into()));
    // Validation, unknown entities and entities without a mailbox.
    let invalid = client
        .start_mailbox_export_job()
        .organization_id(&org)
        .entity_id(&jdoe)
        .role_arn(ROLE)
        .kms_key_arn(KEY)
        .s3_bucket_name("bad_bucket")
        .s3_prefix("a/")
        .send()
        .await
        .unwrap_err();
    assert_eq!(invalid.code(), Some("InvalidParameterException"));
    assert!(
        invalid
            .message()
            .unwrap_or_default()
            .contains("export_bucket.character"),
        "{invalid:?}"
    );
    assert_eq!(
        start(&client, &org, "nobody", "exp-nobody", "a/").await,
        Err("EntityNotFoundException".into())
    );
    assert_eq!(
        start(&client, &org, &ghost, "exp-ghost", "a/").await,
        Err("EntityNotFoundException".into())
    );

    // The concurrency limit: two run, a third is refused until one ends.
    let job2 = start(&client, &org, "asmith", "exp-asmith-1", "a/")
        .await
        .unwrap();
    control(
        &emulator,
        Method::POST,
        "export-failures",
        format!(r#"{{"OrganizationId": "{org}", "EntityId": "board-room"}}"#),
    )
    .await;
    assert_eq!(
        start(&client, &org, &room, "exp-room-1", "a/").await,
        Err("LimitExceededException".into())
    );
    // Progress rises by polls, then the job completes and frees its place.
    let mut seen = Vec::new();
    for _ in 0..3 {
        let job = describe(&client, &org, &job1).await;
        seen.push((job.state().cloned(), job.estimated_progress()));
    }
    assert_eq!(
        seen,
        [
            (Some(MailboxExportJobState::Running), 33),
            (Some(MailboxExportJobState::Running), 66),
            (Some(MailboxExportJobState::Completed), 100),
        ]
    );
    let done = describe(&client, &org, &job1).await;
    assert_eq!(done.entity_id(), Some("jdoe@acme.example"));
    assert_eq!(
        done.s3_path(),
        Some(format!("acme-exports/a/{job1}.zip").as_str())
    );
    assert!(done.end_time().is_some() && done.error_info().is_none());

    // A failed export: the failure injected for the room.
    let job3 = start(&client, &org, &room, "exp-room-1", "a/")
        .await
        .unwrap();
    let mut last = describe(&client, &org, &job3).await;
    while last.state() == Some(&MailboxExportJobState::Running) {
        last = describe(&client, &org, &job3).await;
    }
    assert_eq!(last.state(), Some(&MailboxExportJobState::Failed));
    assert!(last.error_info().is_some());
    let unknown = client
        .describe_mailbox_export_job()
        .organization_id(&org)
        .job_id("no-such-job")
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("EntityNotFoundException"));

    // ListMailboxExportJobs, paged; listing polls the running one too.
    let mut listed = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_mailbox_export_jobs()
            .organization_id(&org)
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .expect("ListMailboxExportJobs");
        listed.extend(
            page.jobs()
                .iter()
                .map(|job| job.job_id().unwrap_or_default().to_owned()),
        );
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    listed.sort_unstable();
    let mut started = vec![job1.clone(), job2.clone(), job3.clone()];
    started.sort_unstable();
    assert_eq!(listed, started);

    // DeleteOrganization: refused while enabled users remain, unless forced.
    let refused = client
        .delete_organization()
        .organization_id(&org)
        .delete_directory(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("InvalidParameterException"));
    assert!(
        refused
            .message()
            .unwrap_or_default()
            .contains("ForceDelete"),
        "{refused:?}"
    );
    let deleted = client
        .delete_organization()
        .organization_id(&org)
        .delete_directory(true)
        .force_delete(true)
        .send()
        .await
        .expect("DeleteOrganization with ForceDelete");
    assert_eq!(deleted.state(), Some("Deleting"));
    assert_eq!(state_of(&client, &org).await, "Deleted");
    let gone = client
        .list_users()
        .organization_id(&org)
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some("OrganizationStateException"));
    let org_id = org.parse().unwrap();
    let state = emulator.store().emulator();
    assert_eq!(state.enabled_users(&org_id).await.unwrap(), 0);
    assert!(
        state.entity(&org_id, &room).await.unwrap().is_none(),
        "resources go too"
    );

    // The control API still lists the jobs of the deleted organization.
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Record {
        job_id: String,
        organization_id: String,
        client_token: String,
        state: String,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Records {
        jobs: Vec<Record>,
    }
    let records: Records = serde_json::from_slice(
        &control(&emulator, Method::GET, "export-jobs", String::new()).await,
    )
    .unwrap();
    let mut ours: Vec<(String, String, String)> = records
        .jobs
        .into_iter()
        .filter(|r| r.organization_id == org)
        .map(|r| (r.job_id, r.client_token, r.state))
        .collect();
    ours.sort_unstable();
    let mut expected = vec![
        (job1, "exp-jdoe-1".to_owned(), "COMPLETED".to_owned()),
        (job3, "exp-room-1".to_owned(), "FAILED".to_owned()),
    ];
    let job2_state = if ours
        .iter()
        .any(|(id, _, s)| *id == job2 && s == "COMPLETED")
    {
        "COMPLETED"
    } else {
        "RUNNING"
    };
    expected.push((job2, "exp-asmith-1".to_owned(), job2_state.to_owned()));
    expected.sort_unstable();
    assert_eq!(ours, expected);
}

/// `DeleteDirectory: false` keeps the directory, seeded and free for another organization;
/// `true` deletes it.
async fn directories(engine: Engine) {
    let (addr, emulator) = serve(emulator(engine, config().create_after_polls(1)).await).await;
    let client = loopback_client(addr, "us-east-1");
    let alias = unique("keepdir");
    let hex: String = format!("{:010x}", {
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(&alias) & 0xff_ffff_ffff
    });
    let directory = format!("d-{hex}");
    control(
        &emulator,
        Method::POST,
        "directories",
        format!(
            r#"{{"DirectoryId": "{directory}", "DirectoryType": "SimpleAD", "Alias": "{alias}",
                "Region": "us-east-1"}}"#
        ),
    )
    .await;
    let first = active(&client, &alias, Some(&directory)).await;
    client
        .delete_organization()
        .organization_id(&first)
        .delete_directory(false)
        .send()
        .await
        .expect("DeleteDirectory false is valid");
    assert_eq!(state_of(&client, &first).await, "Deleted");
    let second = active(&client, &alias, Some(&directory)).await;
    assert_ne!(first, second, "the kept directory backs a new organization");
    client
        .delete_organization()
        .organization_id(&second)
        .delete_directory(true)
        .send()
        .await
        .expect("DeleteOrganization");
    assert_eq!(state_of(&client, &second).await, "Deleted");
    let gone = client
        .create_organization()
        .alias(&alias)
        .directory_id(&directory)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        gone.code(),
        Some("DirectoryUnavailableException"),
        "{gone:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_in_memory() {
    leaving(Engine::Memory).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directories_in_memory() {
    directories(Engine::Memory).await;
}

#[cfg(feature = "sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_on_sqlite() {
    leaving(Engine::Sqlite).await;
}

#[cfg(feature = "sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directories_on_sqlite() {
    directories(Engine::Sqlite).await;
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_on_postgres() {
    leaving(Engine::Postgres).await;
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directories_on_postgres() {
    directories(Engine::Postgres).await;
}

/// The endpoint's clock, set by the test below.
static NOW: AtomicU64 = AtomicU64::new(1_767_225_600);

fn clock() -> u64 {
    NOW.load(Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_mailbox_export_jobs_shows_seven_days_by_the_endpoints_clock() {
    let (addr, emulator) =
        serve(Emulator::in_memory(config().create_after_polls(1)).with_clock(clock)).await;
    let client = loopback_client(addr, "us-east-1");
    let org = active(&client, "seven-days", None).await;
    seed(
        &emulator,
        "users",
        format!(r#"{{"OrganizationId": "{org}", "Name": "jdoe"}}"#),
    )
    .await;
    let job = start(&client, &org, "jdoe", "week-1", "w/").await.unwrap();
    let listed = |client: aws_sdk_workmail::Client, org: String| async move {
        client
            .list_mailbox_export_jobs()
            .organization_id(org)
            .send()
            .await
            .expect("ListMailboxExportJobs")
            .jobs()
            .len()
    };
    NOW.fetch_add(7 * 24 * 3600, Ordering::SeqCst);
    assert_eq!(
        listed(client.clone(), org.clone()).await,
        1,
        "seven days: still listed"
    );
    NOW.fetch_add(1, Ordering::SeqCst);
    assert_eq!(
        listed(client.clone(), org.clone()).await,
        0,
        "older: no longer listed"
    );
    // Still described, and still in the control API's list.
    assert_eq!(
        describe(&client, &org, &job).await.entity_id(),
        Some("jdoe")
    );
    let all = control(&emulator, Method::GET, "export-jobs", String::new()).await;
    assert!(String::from_utf8_lossy(&all).contains(&job));
}

/// Sixteen starts at once, of sixteen entities, against a limit of ten: ten start, six are
/// refused, on every engine (the running jobs are counted in one conditional update).
async fn the_limit_holds_under_concurrent_starts(engine: Engine) {
    let (addr, emulator) = serve(
        emulator(
            engine,
            config().create_after_polls(1).export_concurrency(10),
        )
        .await,
    )
    .await;
    let client = loopback_client(addr, "us-east-1");
    let org = active(&client, &unique("race"), None).await;
    let mut names = Vec::new();
    for n in 0..16 {
        let name = format!("user{n}");
        seed(
            &emulator,
            "users",
            format!(r#"{{"OrganizationId": "{org}", "Name": "{name}"}}"#),
        )
        .await;
        names.push(name);
    }
    let starts = names.into_iter().map(|name| {
        let emulator = emulator.clone();
        let org = org.clone();
        tokio::spawn(async move {
            let body = format!(
                r#"{{"ClientToken": "race-{name}", "OrganizationId": "{org}", "EntityId": "{name}",
                    "RoleArn": "{ROLE}", "KmsKeyArn": "{KEY}", "S3BucketName": "b",
                    "S3Prefix": "p/"}}"#
            );
            emulator
                .call(
                    "WorkMailService.StartMailboxExportJob",
                    workmail_org::Region::UsEast1,
                    body.as_bytes(),
                )
                .await
        })
    });
    let mut started = 0;
    let mut refused = 0;
    for start in starts.collect::<Vec<_>>() {
        let response = start.await.expect("the task ran");
        match response.status().as_u16() {
            200 => started += 1,
            _ => {
                let text = String::from_utf8_lossy(response.body()).into_owned();
                assert!(text.contains("LimitExceededException"), "{text}");
                refused += 1;
            }
        }
    }
    assert_eq!((started, refused), (10, 6));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_limit_holds_under_concurrent_starts_in_memory() {
    the_limit_holds_under_concurrent_starts(Engine::Memory).await;
}

#[cfg(feature = "sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_limit_holds_under_concurrent_starts_on_sqlite() {
    the_limit_holds_under_concurrent_starts(Engine::Sqlite).await;
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_limit_holds_under_concurrent_starts_on_postgres() {
    the_limit_holds_under_concurrent_starts(Engine::Postgres).await;
}
