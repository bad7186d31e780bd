//! Two emulator processes on one PostgreSQL database refuse a shared domain and a shared
//! alias. The database is `DATABASE_URL`, or a throwaway server the test starts itself (the
//! registries member's test support, shared rather than copied).
#![cfg(feature = "postgres")]

mod common;
#[allow(unused_imports)] // the module serves every registries test; this file uses one part
#[path = "../../registries/tests/store/support.rs"]
mod support;

use aws_sdk_workmail::error::ProvideErrorMetadata;

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
