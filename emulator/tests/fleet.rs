//! Two emulator processes on one PostgreSQL database refuse a shared domain and a shared
//! alias, and an emulator on PostgreSQL is awaited and dropped on a tokio worker. The
//! database is `DATABASE_URL`, or a throwaway server the test starts itself (the stores
//! member's test support, shared rather than copied).
#![cfg(feature = "postgres")]

mod common;
#[allow(unused_imports)] // the module serves every stores test; this file uses one part
#[path = "../../stores/tests/store/support.rs"]
mod support;

use aws_sdk_workmail::error::ProvideErrorMetadata;
use workmail_org::Region;
use workmail_org_emulator::{open_database, Emulator, StoreOptions};

async fn active(client: &aws_sdk_workmail::Client, alias: &str) -> String {
    let created = client
        .create_organization()
        .alias(alias)
        .send()
        .await
        .unwrap();
    let id = created.organization_id().unwrap().to_owned();
    let described = client
        .describe_organization()
        .organization_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.state(), Some("Active"));
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_database_refuse_a_shared_domain() {
    let url = support::postgres_support::database_url();
    let suffix = std::process::id();
    let ((_a, a), (_b, b)) = (
        common::start(&["--create-after-polls", "1", "--database-url", &url]),
        common::start(&["--create-after-polls", "1", "--database-url", &url]),
    );
    let (a, b) = (
        common::loopback_client(a, "us-east-1"),
        common::loopback_client(b, "us-east-1"),
    );
    let first = active(&a, &format!("fleet-a-{suffix}")).await;
    let second = active(&b, &format!("fleet-b-{suffix}")).await;
    let domain = format!("fleet-{suffix}.example");
    a.register_mail_domain()
        .organization_id(&first)
        .domain_name(&domain)
        .send()
        .await
        .unwrap();
    let refused = b
        .register_mail_domain()
        .organization_id(&second)
        .domain_name(&domain)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("MailDomainInUseException"));
    let taken = b
        .create_organization()
        .alias(format!("FLEET-A-{suffix}"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(taken.code(), Some("NameAvailabilityException"));
}

/// The core on PostgreSQL, its organizations and its state on one pool, awaited on a worker
/// thread and dropped there: no panic, no abort.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emulator_on_postgres_is_awaited_and_dropped_on_a_worker() {
    let url = support::postgres_support::database_url();
    let database = open_database(Some(&url), &StoreOptions::default())
        .await
        .expect("the database opens");
    let emulator = Emulator::new(common::config().create_after_polls(1), database.store);
    let fault = emulator
        .control(
            &http::Method::POST,
            "faults",
            br#"{"Kind": "Throttle", "Operation": "ListOrganizations"}"#,
        )
        .await;
    assert_eq!(fault.status(), 200);
    let throttled = emulator
        .call("WorkMailService.ListOrganizations", Region::UsEast1, b"{}")
        .await;
    assert!(
        String::from_utf8_lossy(throttled.body()).contains("ThrottlingException"),
        "{throttled:?}"
    );
    let alias = format!("worker-{}", std::process::id());
    let created = emulator
        .call(
            "WorkMailService.CreateOrganization",
            Region::UsEast1,
            format!(r#"{{"Alias": "{alias}"}}"#).as_bytes(),
        )
        .await;
    assert_eq!(created.status(), 200, "{created:?}");
    drop(emulator);
}
