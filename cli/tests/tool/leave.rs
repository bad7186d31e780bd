//! `leave` end to end against the endpoint, on SQLite: two organizations provisioned by the
//! tool, 25 seeded entities of every kind, three domains with records (one in Route 53), one
//! organization killed with SIGKILL after each kind of step and resumed; the guards under a
//! domain whose MX has not moved and under a FAILED export; at the end both organizations
//! `Deleted`, the kept directory still seeded and the store's keys free.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::common::{endpoint, run, run_until_killed, tool, Endpoint, Ran, Store, TempDir};

const ACCOUNT: &str = "210987654321";
/// The kill points, one after each kind of step, in the order a run meets them.
const KILL_POINTS: [&str; 8] = [
    "cutover",
    "cutover_seen",
    "export_recorded",
    "export_started",
    "export_polled",
    "delete_recorded",
    "deleted",
    "cleanup",
];
const WORKMAIL_MX: &str = "10 inbound-smtp.us-east-1.amazonaws.com.";

async fn control(endpoint: &Endpoint, method: http::Method, path: &str, body: Value) -> Value {
    let answer = endpoint
        .emulator
        .control(&method, path, body.to_string().as_bytes())
        .await;
    assert_eq!(answer.status(), 200, "{answer:?}");
    serde_json::from_slice(answer.body()).unwrap_or(Value::Null)
}

async fn user(endpoint: &Endpoint, org: &str, name: &str, state: &str, role: &str, enabled: bool) {
    control(
        endpoint,
        http::Method::POST,
        "users",
        json!({"OrganizationId": org, "Name": name, "Email": format!("{name}@a-corp.example"),
               "State": state, "UserRole": role, "Enabled": enabled}),
    )
    .await;
}

async fn resource(
    endpoint: &Endpoint,
    org: &str,
    name: &str,
    kind: &str,
    state: &str,
    enabled: bool,
) {
    control(
        endpoint,
        http::Method::POST,
        "resources",
        json!({"OrganizationId": org, "Name": name, "Type": kind, "State": state, "Enabled": enabled}),
    )
    .await;
}

/// Every export job the endpoint started for `org`: `(entity, client token, state)`.
async fn jobs(endpoint: &Endpoint, org: &str) -> Vec<(String, String, String)> {
    let answer = control(endpoint, http::Method::GET, "export-jobs", Value::Null).await;
    answer["Jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|job| job["OrganizationId"] == org)
        .map(|job| {
            let field = |name: &str| job[name].as_str().unwrap_or_default().to_owned();
            (field("EntityId"), field("ClientToken"), field("State"))
        })
        .collect()
}

fn rules(ran: &Ran) -> Vec<String> {
    ran.lines()
        .iter()
        .filter(|line| line["event"] == "finding")
        .map(|line| line["rule"].as_str().unwrap_or("").to_owned())
        .collect()
}

struct Setup {
    dir: TempDir,
    store: Store,
    endpoint: Endpoint,
    a: String,
    b: String,
}

fn write(dir: &TempDir, name: &str, value: &Value) -> String {
    dir.file(name, value.to_string().as_bytes())
        .display()
        .to_string()
}

fn leave(setup: &Setup, org: &str, answers: &str, extra: &[&str]) -> tokio::process::Command {
    let mut command = tool(&setup.store, ACCOUNT, Some(setup.endpoint.addr));
    let records = setup.dir.path().join("records.json");
    command
        .arg("--owner")
        .arg("leave-test")
        .arg("leave")
        .arg(org)
        .args(["--bucket", "leave-exports", "--prefix", "workmail/"])
        .args([
            "--kms-key-arn",
            "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ])
        .args([
            "--role-arn",
            "arn:aws:iam::210987654321:role/workmail-export",
        ])
        .args(["--mx", "10 mx.new.example"])
        // a-corp.example's zone comes from the store's entry: provisioned with it.
        .arg("--records")
        .arg(&records)
        .args([
            "--concurrency",
            "3",
            "--max-attempts",
            "2",
            "--cutover-wait",
            "0",
        ])
        .args(["--poll-interval", "0.05"])
        .arg("--dns-answers")
        .arg(setup.dir.path().join(answers))
        .args(extra);
    command
}

async fn setup() -> Setup {
    let dir = TempDir::new("leave");
    let store = Store {
        url: format!("sqlite://{}", dir.path().join("orgs.db").display()),
        namespace: None,
    };
    let endpoint = endpoint(ACCOUNT).await;
    control(
        &endpoint,
        http::Method::POST,
        "directories",
        json!({"DirectoryId": "d-0123456789", "DirectoryType": "SimpleAD", "Alias": "leave-b",
               "Region": "us-east-1"}),
    )
    .await;
    let spec_a = write(
        &dir,
        "a.json",
        &json!({"alias": "leave-a", "region": "us-east-1", "domains": [
            {"type": "existing_route53", "name": "a-corp.example", "hosted_zone_id": "Z0555ACORP"},
            {"type": "external", "name": "a-corp.org"}]}),
    );
    let spec_b = write(&dir, "b.json", &spec_b());
    let mut provision = tool(&store, ACCOUNT, Some(endpoint.addr));
    provision
        .arg("provision")
        .arg(&spec_a)
        .arg(&spec_b)
        .args(["--poll-interval", "0.05"]);
    let ran = run(provision).await;
    assert_eq!(ran.code, Some(0), "{ran:?}");
    let id_of = |alias: &str| {
        ran.lines()
            .iter()
            .rev()
            .find(|line| line["alias"] == alias && line["organization_id"].is_string())
            .map(|line| line["organization_id"].as_str().unwrap().to_owned())
            .expect("an organization id")
    };
    let (a, b) = (id_of("leave-a"), id_of("leave-b"));
    // 25 entities in A: 8 enabled users, 3 disabled once enabled, 3 never enabled, 2
    // deleted, 2 system users, 4 rooms (one never enabled), 3 pieces of equipment (one
    // disabled). 17 mailboxes.
    // Each kind of user: its name, how many, its state, its role, and whether it was ever
    // enabled.
    for (kind, count, state, role, ever_enabled) in [
        ("enabled", 8, "ENABLED", "USER", true),
        ("disabled", 3, "DISABLED", "USER", true),
        ("never", 3, "DISABLED", "USER", false),
        ("deleted", 2, "DELETED", "USER", true),
        ("system", 2, "ENABLED", "SYSTEM_USER", true),
    ] {
        for n in 1..=count {
            let name = format!("{kind}{n}");
            user(&endpoint, &a, &name, state, role, ever_enabled).await;
        }
    }
    for (name, enabled) in [
        ("board", true),
        ("small", true),
        ("lab", true),
        ("new", false),
    ] {
        resource(
            &endpoint,
            &a,
            name,
            "ROOM",
            if enabled { "ENABLED" } else { "DISABLED" },
            enabled,
        )
        .await;
    }
    for (name, state) in [
        ("projector", "ENABLED"),
        ("van", "ENABLED"),
        ("old-van", "DISABLED"),
    ] {
        resource(&endpoint, &a, name, "EQUIPMENT", state, true).await;
    }
    // B: two users and a room.
    user(&endpoint, &b, "bob", "ENABLED", "USER", true).await;
    user(&endpoint, &b, "carol", "ENABLED", "USER", true).await;
    resource(&endpoint, &b, "b-room", "ROOM", "ENABLED", true).await;
    // Each domain's records: what WorkMail advises (GetMailDomain), as published.
    let mut records = serde_json::Map::new();
    for (org, domain) in [
        (&a, "a-corp.example"),
        (&a, "a-corp.org"),
        (&b, "b-corp.example"),
    ] {
        let body = json!({"OrganizationId": org, "DomainName": domain}).to_string();
        let answer = endpoint
            .emulator
            .call(
                "WorkMailService.GetMailDomain",
                workmail_org::Region::UsEast1,
                body.as_bytes(),
            )
            .await;
        assert_eq!(answer.status(), 200, "{answer:?}");
        let advised: Value = serde_json::from_slice(answer.body()).unwrap();
        let advised = advised["Records"].as_array().unwrap().clone();
        let value = |record: &Value| {
            let value = record["Value"].as_str().unwrap();
            match record["Type"].as_str().unwrap() {
                "TXT" => format!("\"{value}\""),
                _ => value.to_owned(),
            }
        };
        if domain == "a-corp.example" {
            let mut sets: Vec<Value> = Vec::new();
            for record in &advised {
                let name = format!("{}.", record["Hostname"].as_str().unwrap());
                let kind = record["Type"].as_str().unwrap();
                match sets
                    .iter_mut()
                    .find(|s| s["Name"] == name.as_str() && s["Type"] == kind)
                {
                    Some(set) => set["ResourceRecords"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!({"Value": value(record)})),
                    None => sets.push(json!({"Name": name, "Type": kind, "TTL": 300,
                                             "ResourceRecords": [{"Value": value(record)}]})),
                }
            }
            records.insert(
                domain.into(),
                json!({"ResourceRecordSets": sets, "IsTruncated": false}),
            );
        } else {
            let lines: Vec<String> = advised
                .iter()
                .map(|record| {
                    let kind = record["Type"].as_str().unwrap();
                    let data = match kind {
                        "CNAME" | "MX" => format!("{}.", value(record)),
                        _ => value(record),
                    };
                    format!(
                        "{}. 3600 IN {kind} {data}",
                        record["Hostname"].as_str().unwrap()
                    )
                })
                .collect();
            records.insert(domain.into(), Value::String(lines.join("\n")));
        }
    }
    write(&dir, "records.json", &Value::Object(records));
    let moved = |domain: &str| (domain.to_owned(), json!({"MX": ["10 mx.new.example."]}));
    let all_moved: BTreeMap<String, Value> = ["a-corp.example", "a-corp.org", "b-corp.example"]
        .into_iter()
        .map(moved)
        .collect();
    write(&dir, "moved.json", &json!(all_moved));
    let mut unmoved = all_moved.clone();
    unmoved.insert("b-corp.example".into(), json!({"MX": [WORKMAIL_MX]}));
    write(&dir, "unmoved.json", &json!(unmoved));
    Setup {
        dir,
        store,
        endpoint,
        a,
        b,
    }
}

fn spec_b() -> Value {
    json!({"alias": "leave-b", "region": "us-east-1",
           "domains": [{"type": "external", "name": "b-corp.example"}],
           "directory": {"type": "existing", "directory_id": "d-0123456789",
                         "directory_type": "SimpleAD", "alias": "leave-b", "region": "us-east-1"}})
}

/// The README's console example shows `line` as the tool printed it, the organization ids
/// written as the example's.
fn shown_in_readme(setup: &Setup, line: &str) {
    let line = line
        .replace(&setup.a, "m-0123456789abcdef0123456789abcdef")
        .replace(&setup.b, "m-0123456789abcdef0123456789abcdef");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("the README");
    assert!(
        readme.contains(&line),
        "the README's example of `leave` is stale; the tool printed:\n{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_two_organizations_with_kills_and_guards() {
    let setup = setup().await;
    // The plan, printed.
    let mut show = leave(&setup, &setup.a, "moved.json", &[]);
    show.arg("--format").arg("text");
    let shown = run(show).await;
    assert_eq!(shown.code, Some(0), "{shown:?}");
    assert!(shown
        .stdout
        .starts_with(&format!("leaving plan for organization {}", setup.a)));
    assert_eq!(
        shown.stdout.matches(". export the mailbox of").count(),
        17,
        "{}",
        shown.stdout
    );
    if let Some(path) = std::env::var_os("WORKMAIL_ORG_LEAVE_PLAN") {
        std::fs::write(path, &shown.stdout).unwrap();
    }

    // A, killed after each kind of step, each time resumed by the same command.
    let mut kills = Vec::new();
    for point in KILL_POINTS {
        eprintln!("leave A: running until {point}");
        let (killed, ran) =
            run_until_killed(leave(&setup, &setup.a, "moved.json", &["--execute"]), point).await;
        assert!(killed, "never reached {point}: {ran:?}");
        kills.push(point);
    }
    let finished = run(leave(&setup, &setup.a, "moved.json", &["--execute"])).await;
    assert_eq!(finished.code, Some(0), "{finished:?}");
    assert!(
        finished.steps().contains(&"done".to_owned()),
        "{finished:?}"
    );
    shown_in_readme(&setup, finished.stdout.lines().last().unwrap());
    let jobs_a = jobs(&setup.endpoint, &setup.a).await;
    let mut per_entity: BTreeMap<&str, usize> = BTreeMap::new();
    for (entity, _, state) in &jobs_a {
        *per_entity.entry(entity).or_default() += 1;
        assert_eq!(state, "COMPLETED");
    }
    assert_eq!(per_entity.len(), 17, "{jobs_a:?}");
    assert!(
        per_entity.values().all(|&n| n == 1),
        "a job started twice: {jobs_a:?}"
    );
    eprintln!(
        "leave A: killed at {kills:?}, then done: {} jobs for {} mailboxes, none started twice",
        jobs_a.len(),
        per_entity.len()
    );

    // B: its MX has not moved; the guard holds, and no export starts.
    // B gives each mailbox one attempt (a later flag wins over the helper's).
    let ran = run(leave(
        &setup,
        &setup.b,
        "unmoved.json",
        &["--execute", "--max-attempts", "1"],
    ))
    .await;
    assert_eq!(ran.code, Some(1), "{ran:?}");
    assert_eq!(rules(&ran), ["leaving.cutover_pending"], "{ran:?}");
    assert!(jobs(&setup.endpoint, &setup.b).await.is_empty());
    shown_in_readme(&setup, ran.stdout.lines().last().unwrap());
    // B: bob's export fails; the deletion is refused, naming him.
    control(
        &setup.endpoint,
        http::Method::POST,
        "export-failures",
        json!({"OrganizationId": setup.b, "EntityId": "bob"}),
    )
    .await;
    let ran = run(leave(&setup, &setup.b, "moved.json", &["--execute"])).await;
    assert_eq!(ran.code, Some(1), "{ran:?}");
    assert_eq!(rules(&ran), ["leaving.exports_unfinished"], "{ran:?}");
    eprintln!(
        "leave B, bob's export FAILED: {}",
        ran.stdout.lines().last().unwrap_or_default()
    );
    let jobs_b = jobs(&setup.endpoint, &setup.b).await;
    let failed: Vec<&(String, String, String)> = jobs_b
        .iter()
        .filter(|(_, _, state)| state == "FAILED")
        .collect();
    assert_eq!(failed.len(), 1, "{jobs_b:?}");
    let bob_id = failed[0].0.clone();
    let organizations = setup.endpoint.organizations().await;
    assert!(organizations
        .iter()
        .any(|(id, _, state)| *id == setup.b && state == "Active"));
    // Accepted by name, B is left.
    let ran = run(leave(
        &setup,
        &setup.b,
        "moved.json",
        &["--execute", "--accept-failure", &bob_id],
    ))
    .await;
    assert_eq!(ran.code, Some(0), "{ran:?}");

    // Both Deleted; the store's keys are free and the kept directory is still seeded: B's
    // spec (its alias, domain and directory) provisions again.
    let organizations = setup.endpoint.organizations().await;
    for id in [&setup.a, &setup.b] {
        assert!(
            organizations
                .iter()
                .any(|(org, _, state)| org == id && state == "Deleted"),
            "{organizations:?}"
        );
    }
    let spec = write(&setup.dir, "b-again.json", &spec_b());
    let mut again = tool(&setup.store, ACCOUNT, Some(setup.endpoint.addr));
    again
        .arg("provision")
        .arg(&spec)
        .arg(setup.dir.path().join("a.json"))
        .args(["--poll-interval", "0.05"]);
    let ran = run(again).await;
    assert_eq!(ran.code, Some(0), "{ran:?}");
}
