//! Two accounts in one store: a refusal the tool prints for one account never names the
//! other account, its entry or its organization.

use crate::common::{endpoint, run, tool, Store, TempDir};
use crate::support;

const A: &str = "444455556666";
const B: &str = "777788889999";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_for_one_account_never_names_the_other() {
    let db = support::postgres_support::postgres_unmigrated("cli_tenant").await;
    // The tool migrates the schema itself, under `--namespace`.
    let store = Store {
        url: db.url().to_owned(),
        namespace: Some(db.schema().to_owned()),
    };
    let dir = TempDir::new("tenant");
    let endpoint_a = endpoint(A).await;
    let endpoint_b = endpoint(B).await;
    let spec_a = dir.file(
        "a.json",
        br#"{"alias": "tenant-shared", "region": "us-east-1", "client_token": "tenant-a-1",
             "domains": [{"type": "external", "name": "tenant-shared.example"}]}"#,
    );
    let mut provision = tool(&store, A, Some(endpoint_a.addr));
    provision
        .arg("provision")
        .arg(&spec_a)
        .args(["--poll-interval", "0.05", "--timeout", "30"]);
    let ran = run(provision).await;
    assert_eq!(ran.code, Some(0), "{ran:?}");
    let done = ran.lines().into_iter().last().expect("a line");
    assert_eq!(done["step"], "done", "{ran:?}");
    assert_eq!(done["state"], "Active", "{ran:?}");
    let organization_a = done["organization_id"].as_str().expect("an id").to_owned();

    // Account B wants the same alias and the same domain: refused by the store, before AWS.
    let spec_b = dir.file(
        "b.json",
        br#"{"alias": "TENANT-shared", "region": "eu-west-1",
             "domains": [{"type": "external", "name": "tenant-shared.example"}]}"#,
    );
    let mut provision = tool(&store, B, Some(endpoint_b.addr));
    provision.arg("provision").arg(&spec_b);
    let refused = run(provision).await;
    assert_eq!(refused.code, Some(1), "{refused:?}");
    let rules: Vec<String> = refused
        .lines()
        .iter()
        .filter(|line| line["event"] == "finding" && line["severity"] == "error")
        .map(|line| line["rule"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(rules, ["alias.taken", "domains.in_use"], "{refused:?}");
    assert!(
        endpoint_b.organizations().await.is_empty(),
        "nothing was sent"
    );

    // B's status of the alias: not B's.
    let mut status = tool(&store, B, None);
    status.args(["status", "tenant-shared"]);
    let not_found = run(status).await;
    assert_eq!(not_found.code, Some(1), "{not_found:?}");

    for ran in [&refused, &not_found] {
        for text in [&ran.stdout, &ran.stderr] {
            for secret in [A, organization_a.as_str(), "tenant-a-1"] {
                assert!(!text.contains(secret), "B's output names {secret}: {text}");
            }
        }
    }
}
