//! The command line's refusals and exits, on an SQLite store: `--help`, a missing account,
//! files that are not specs, a spec that breaks a rule, a new Route 53 domain without its
//! zone (refused before admission), an endpoint that does not answer.

use crate::common::{endpoint, run, tool, Store, TempDir, BIN};

const ACCOUNT: &str = "123456789012";

fn sqlite(dir: &TempDir) -> Store {
    Store {
        url: format!("sqlite://{}", dir.path().join("orgs.db").display()),
        namespace: None,
    }
}

/// The finding lines' `(code, rule)`.
fn findings(ran: &crate::common::Ran) -> Vec<(String, String)> {
    ran.lines()
        .iter()
        .filter(|line| line["event"] == "finding" && line["severity"] == "error")
        .map(|line| {
            (
                line["code"].as_str().unwrap_or_default().to_owned(),
                line["rule"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn help_lists_every_command_and_the_exits() {
    let mut help = tokio::process::Command::new(BIN);
    help.arg("--help");
    let ran = run(help).await;
    assert_eq!(ran.code, Some(0), "{ran:?}");
    for word in [
        "provision",
        "recover",
        "status",
        "--account",
        "--database-url",
        "Exit status",
    ] {
        assert!(ran.stdout.contains(word), "{word}: {}", ran.stdout);
    }
    let mut help = tokio::process::Command::new(BIN);
    help.args(["provision", "--help"]);
    let ran = run(help).await;
    assert_eq!(ran.code, Some(0), "{ran:?}");
    assert!(ran.stdout.contains("--hosted-zone"), "{}", ran.stdout);
}

#[tokio::test]
async fn usage_errors_exit_2() {
    let dir = TempDir::new("usage");
    let store = sqlite(&dir);
    // No account.
    let mut no_account = tokio::process::Command::new(BIN);
    no_account
        .env_remove("WORKMAIL_ORG_ACCOUNT")
        .args(["--database-url", &store.url, "status"]);
    let ran = run(no_account).await;
    assert_eq!(ran.code, Some(2), "{ran:?}");
    assert!(ran.stderr.contains("--account"), "{ran:?}");
    // A bad account id: clap's usage error names the flag.
    let mut bad = tokio::process::Command::new(BIN);
    bad.args(["--database-url", &store.url, "--account", "12", "status"]);
    let ran = run(bad).await;
    assert_eq!(ran.code, Some(2), "{ran:?}");
    assert!(ran.stderr.contains("--account"), "{ran:?}");

    // A file too large, one that is not JSON, a JSON array, a value of the wrong type, one
    // missing: 2, each a finding naming its file, and the JSON path where there is one.
    let large = dir.file("large.json", &vec![b' '; (1 << 20) + 1]);
    let malformed = dir.file("malformed.json", b"{\"alias\": ");
    let array = dir.file("array.json", br#"["acme", "us-east-1"]"#);
    let shape = dir.file(
        "shape.json",
        br#"{"alias": "acme", "region": "us-east-1", "domains": [{"type": "external", "name": 1}]}"#,
    );
    let missing = dir.path().join("missing.json");
    for (file, code, starts) in [
        (&large, "TooLarge", "too large: a spec has at most 1 MiB"),
        (&malformed, "Malformed", "alias: EOF while parsing a value"),
        (
            &array,
            "Malformed",
            "invalid type: sequence, expected an organization spec",
        ),
        (
            &shape,
            "Malformed",
            "domains[0].name: invalid type: integer `1`",
        ),
        (&missing, "Malformed", "cannot read: "),
    ] {
        let mut command = tool(&store, ACCOUNT, None);
        command.arg("provision").arg(file);
        let ran = run(command).await;
        assert_eq!(ran.code, Some(2), "{ran:?}");
        let lines = ran.lines();
        assert_eq!(lines.len(), 1, "{ran:?}");
        assert_eq!(lines[0]["code"], code, "{ran:?}");
        assert_eq!(lines[0]["file"], file.display().to_string(), "{ran:?}");
        let message = lines[0]["message"].as_str().unwrap_or_default();
        assert!(message.starts_with(starts), "{message:?}, not {starts:?}");
    }
}

#[tokio::test]
async fn a_new_route53_domain_without_its_zone_is_refused_before_admission() {
    let dir = TempDir::new("zone");
    let store = sqlite(&dir);
    let spec = dir.file(
        "news.json",
        br#"{"alias": "acme-news", "region": "us-east-1",
             "domains": [{"type": "new_route53", "name": "acme-news.net"}]}"#,
    );
    let mut command = tool(&store, ACCOUNT, None);
    command.arg("provision").arg(&spec);
    let ran = run(command).await;
    assert_eq!(ran.code, Some(2), "{ran:?}");
    assert_eq!(
        findings(&ran),
        [(
            "InvalidParameter".to_owned(),
            "domains.hosted_zone_missing".to_owned()
        )],
        "{ran:?}"
    );
    // A zone for a domain no spec has: 2 as well, naming the flag.
    let plain = dir.file(
        "plain.json",
        br#"{"alias": "acme-plain", "region": "us-east-1"}"#,
    );
    let mut command = tool(&store, ACCOUNT, None);
    command
        .arg("provision")
        .arg(&plain)
        .args(["--hosted-zone", "other.net=Z111111QQQQQQQ"]);
    let ran = run(command).await;
    assert_eq!(ran.code, Some(2), "{ran:?}");
    assert_eq!(
        findings(&ran),
        [("Usage".to_owned(), String::new())],
        "{ran:?}"
    );
    // Nothing was admitted.
    let mut status = tool(&store, ACCOUNT, None);
    status.arg("status");
    let ran = run(status).await;
    assert_eq!((ran.code, ran.stdout.as_str()), (Some(0), ""), "{ran:?}");
}

#[tokio::test]
async fn a_spec_that_breaks_a_rule_exits_1_and_a_good_one_is_provisioned() {
    let dir = TempDir::new("rules");
    let store = sqlite(&dir);
    let endpoint = endpoint(ACCOUNT).await;
    let bad = dir.file(
        "bad.json",
        br#"{"alias": "acme_corp", "region": "us-east-1"}"#,
    );
    let good = dir.file(
        "good.json",
        br#"{"alias": "acme-good", "region": "us-east-1"}"#,
    );
    let zone = dir.file(
        "zone.json",
        br#"{"alias": "acme-zone", "region": "us-east-1",
             "domains": [{"type": "new_route53", "name": "acme-zone.net"}]}"#,
    );
    let mut command = tool(&store, ACCOUNT, Some(endpoint.addr));
    command
        .arg("provision")
        .args([&bad, &good, &zone])
        .args(["--hosted-zone", "acme-zone.net=Z111111QQQQQQQ"])
        .args(["--poll-interval", "0", "--parallel", "2"]);
    let ran = run(command).await;
    assert_eq!(ran.code, Some(1), "{ran:?}");
    assert_eq!(
        findings(&ran),
        [("InvalidParameter".to_owned(), "alias.character".to_owned())],
        "{ran:?}"
    );
    let done: Vec<String> = ran
        .lines()
        .iter()
        .filter(|line| line["step"] == "done")
        .map(|line| line["alias"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(done.len(), 2, "{ran:?}");
    assert_eq!(endpoint.organizations().await.len(), 2);

    let mut status = tool(&store, ACCOUNT, None);
    status.args(["status", "ACME-GOOD"]);
    let ran = run(status).await;
    assert_eq!(ran.code, Some(0), "{ran:?}");
    let lines = ran.lines();
    assert_eq!(lines.len(), 1, "{ran:?}");
    assert_eq!(
        (&lines[0]["event"], &lines[0]["stage"], &lines[0]["state"]),
        (&"entry".into(), &"recorded".into(), &"Active".into()),
        "{ran:?}"
    );
}

#[tokio::test]
async fn an_endpoint_that_does_not_answer_exits_3_and_leaves_the_entry_sent() {
    let dir = TempDir::new("unreachable");
    let store = sqlite(&dir);
    // A port that was free a moment ago: nothing listens there.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    let spec = dir.file(
        "down.json",
        br#"{"alias": "acme-down", "region": "us-east-1"}"#,
    );
    let mut command = tool(&store, ACCOUNT, Some(addr));
    command
        .arg("provision")
        .arg(&spec)
        .args(["--poll-interval", "0.1", "--timeout", "5"]);
    let ran = run(command).await;
    assert_eq!(ran.code, Some(3), "{ran:?}");
    let mut status = tool(&store, ACCOUNT, None);
    status.args(["status", "acme-down"]);
    let ran = run(status).await;
    assert_eq!(ran.lines()[0]["stage"], "sent", "{ran:?}");
}

#[tokio::test]
async fn a_first_send_aws_refuses_is_released_and_exits_1() {
    let dir = TempDir::new("refused");
    let endpoint = endpoint(ACCOUNT).await;
    let spec = dir.file(
        "taken.json",
        br#"{"alias": "acme-taken", "region": "us-east-1"}"#,
    );
    // Another store (another service) made the organization first: AWS holds the alias.
    let other = Store {
        url: format!("sqlite://{}", dir.path().join("other.db").display()),
        namespace: None,
    };
    let mut first = tool(&other, ACCOUNT, Some(endpoint.addr));
    first
        .arg("provision")
        .arg(&spec)
        .args(["--poll-interval", "0"]);
    let ran = run(first).await;
    assert_eq!(ran.code, Some(0), "{ran:?}");

    let store = sqlite(&dir);
    let mut second = tool(&store, ACCOUNT, Some(endpoint.addr));
    second.arg("provision").arg(&spec);
    let ran = run(second).await;
    assert_eq!(ran.code, Some(1), "{ran:?}");
    let steps: Vec<String> = ran
        .lines()
        .iter()
        .filter(|line| line["event"] == "step")
        .map(|line| line["step"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(steps, ["admitted", "sent", "released"], "{ran:?}");
    assert_eq!(
        findings(&ran),
        [("NameAvailabilityException".to_owned(), String::new())],
        "{ran:?}"
    );
    // Released: the alias is free again in this store.
    let mut status = tool(&store, ACCOUNT, None);
    status.arg("status");
    let ran = run(status).await;
    assert_eq!((ran.code, ran.stdout.as_str()), (Some(0), ""), "{ran:?}");
}
