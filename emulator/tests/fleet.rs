//! Two emulator processes on one PostgreSQL database refuse a shared domain and a shared
//! alias. The database is `DATABASE_URL`, or a throwaway server the test starts itself (the
//! registries member's test support, shared rather than copied).
#![cfg(feature = "postgres")]

mod common;
#[allow(dead_code)]
#[path = "../../registries/tests/store/support.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};

use aws_sdk_workmail::error::ProvideErrorMetadata;

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(database_url: &str) -> (Child, SocketAddr) {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_workmail-org-emulator"))
            .args(["--listen", "127.0.0.1:0", "--create-after-polls", "1"])
            .args(["--database-url", database_url])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start an emulator"),
    );
    let mut line = String::new();
    let stdout = child.0.stdout.take().expect("its stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the listening line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .expect("an address");
    (child, addr)
}

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
    let ((_a, a), (_b, b)) = (start(&url), start(&url));
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
