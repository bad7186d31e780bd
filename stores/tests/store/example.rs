//! `examples/store.rs` as a user runs it: its lines on stdout and its exit status, on an
//! SQLite file (and, with the feature, PostgreSQL). `cargo test` builds the example next to
//! this test binary, in `target/debug/examples`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The example's binary, built by `cargo test` beside this test's `deps/` directory.
fn example() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let debug = exe.parent().and_then(Path::parent).unwrap();
    let example = debug.join("examples").join("store");
    assert!(
        example.exists(),
        "no {}: `cargo test -p workmail-org-stores` builds it (a `--test` filter does not)",
        example.display()
    );
    example
}

struct Session {
    dir: PathBuf,
    url: String,
}

impl Session {
    fn sqlite(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("stores-example-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("orgs.db").display());
        Session { dir, url }
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    /// Runs the example; its exit code, its stdout lines as JSON and its stderr.
    #[track_caller]
    fn run(&self, args: &[&str]) -> (i32, Vec<Value>, String) {
        let (code, raw, stderr) = self.run_raw(args);
        let lines = raw
            .iter()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}")))
            .collect();
        (code, lines, stderr)
    }

    /// Runs the example; its exit code, its stdout lines as printed and its stderr.
    #[track_caller]
    fn run_raw(&self, args: &[&str]) -> (i32, Vec<String>, String) {
        let Output {
            status,
            stdout,
            stderr,
        } = Command::new(example())
            .args(["--database-url", &self.url, "--account", "111122223333"])
            .args(args)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        let lines = String::from_utf8(stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        (
            status.code().unwrap(),
            lines,
            String::from_utf8_lossy(&stderr).into_owned(),
        )
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const SPEC: &str = r#"{"alias": "Acme", "region": "eu-west-1",
    "domains": [{"type": "external", "name": "acme.example"}], "client_token": "create-acme"}"#;
const ORGANIZATION_ID: &str = "m-0123456789abcdef0123456789abcdef";

fn describe(interoperability: bool) -> String {
    format!(
        r#"{{"OrganizationId": "{ORGANIZATION_ID}", "Alias": "acme", "State": "Active",
            "InteroperabilityEnabled": {interoperability},
            "ARN": "arn:aws:workmail:eu-west-1:111122223333:organization/{ORGANIZATION_ID}"}}"#
    )
}

#[test]
fn a_session_from_admission_to_record() {
    let session = Session::sqlite("session");
    let spec = session.file("acme.json", SPEC);

    let (code, lines, _) = session.run_raw(&["admit", &spec]);
    assert_eq!(code, 0);
    let entry = lines.last().unwrap();
    assert_eq!(
        entry,
        r#"{"id":1,"alias":"Acme","account":"111122223333","region":"eu-west-1","stage":"reserved"}"#
    );
    // The same file again is the same request: the same entry, from a new process.
    assert_eq!(session.run_raw(&["admit", &spec]).1.last(), Some(entry));

    // Another alias with the same domain: a finding in `validate`'s shape, and exit 1.
    let rival = session.file(
        "rival.json",
        r#"{"alias": "globex", "region": "eu-west-1",
            "domains": [{"type": "external", "name": "ACME.example"}]}"#,
    );
    let (code, lines, _) = session.run_raw(&["admit", &rival]);
    assert_eq!(code, 1);
    let start = format!(
        r#"{{"file":"{rival}","severity":"error","path":"domains[0].name","code":"MailDomainInUse","rule":"domains.in_use","message":"#
    );
    assert!(lines[0].starts_with(&start), "{}", lines[0]);

    let (code, lines, _) = session.run(&["sent", "ACME"]);
    assert_eq!((code, lines[0]["stage"].as_str()), (0, Some("sent")));
    // Zero lists every pending entry, one touched in this very second too.
    let (code, lines, _) = session.run(&["pending", "--older-than", "0"]);
    assert_eq!(code, 0);
    let pending: Vec<(&str, &str)> = lines
        .iter()
        .filter_map(|line| Some((line["alias"].as_str()?, line["stage"].as_str()?)))
        .collect();
    assert_eq!(pending, [("Acme", "sent")], "{lines:?}");
    // An hour: nothing this test made is that old.
    let (code, lines, _) = session.run(&["pending", "--older-than", "3600"]);
    assert_eq!((code, lines.len()), (0, 0), "{lines:?}");
    let (code, lines, _) = session.run(&["created", "acme", ORGANIZATION_ID]);
    assert_eq!(
        (code, lines[0]["organization_id"].as_str()),
        (0, Some(ORGANIZATION_ID))
    );

    // A snapshot unlike the spec: one line naming what differs, and exit 1.
    let unlike = session.file("unlike.json", &describe(true));
    let (code, lines, _) = session.run(&["record", &unlike]);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["refused"], "record");
    let differences = lines[0]["differences"].as_array().unwrap();
    assert_eq!(differences.len(), 1);
    assert!(
        differences[0]
            .as_str()
            .unwrap()
            .starts_with("interoperability"),
        "{differences:?}"
    );

    let like = session.file("like.json", &describe(false));
    let (code, lines, _) = session.run(&["record", &like]);
    assert_eq!((code, lines[0]["state"].as_str()), (0, Some("Active")));
    // A created organization is never released.
    let (code, lines, _) = session.run(&["release", "acme"]);
    assert_eq!((code, lines[0]["refused"].as_str()), (1, Some("release")));
    let (code, lines, _) = session.run(&["list"]);
    assert_eq!((code, lines.len()), (0, 1));
}

#[test]
fn release_frees_a_pending_alias() {
    let session = Session::sqlite("release");
    let spec = session.file("acme.json", SPEC);
    session.run(&["admit", &spec]);
    let (code, lines, _) = session.run(&["release", "acme"]);
    assert_eq!((code, lines[0]["stage"].as_str()), (0, Some("reserved")));
    let (code, lines, _) = session.run(&["list"]);
    assert_eq!((code, lines.len()), (0, 0));
    let (code, lines, _) = session.run(&["release", "acme"]);
    assert_eq!(code, 1);
    assert_eq!(
        lines[0]["message"],
        "account 111122223333 has no live organization \"acme\""
    );
}

#[test]
fn namespaces_keep_their_rows_apart() {
    let session = Session::sqlite("namespaces");
    let spec = session.file("acme.json", SPEC);
    let (code, lines, _) = session.run(&["admit", &spec]);
    assert_eq!(
        (code, lines.last().unwrap()["stage"].as_str()),
        (0, Some("reserved"))
    );
    // The same alias in another namespace of the same file: another store's rows.
    let (code, lines, _) = session.run(&["--namespace", "tenant_b", "admit", &spec]);
    assert_eq!(
        (code, lines.last().unwrap()["stage"].as_str()),
        (0, Some("reserved"))
    );
    let (code, lines, _) = session.run(&["--namespace", "tenant_b", "list"]);
    assert_eq!((code, lines.len()), (0, 1));
    let (code, _, stderr) = session.run(&["--namespace", "Tenant-B", "list"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "error: invalid value 'Tenant-B' for '--namespace <NAME>': namespace \"Tenant-B\": \
             character 'T' at position 0"
        ),
        "{stderr}"
    );
}

#[test]
fn usage_files_and_databases_exit_2() {
    let session = Session::sqlite("usage");
    let (code, _, stderr) = session.run(&["bogus"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: unrecognized subcommand 'bogus'\n\nUsage: store "),
        "{stderr}"
    );

    let big = session.file("big.json", &" ".repeat((1 << 20) + 1));
    let (code, _, stderr) = session.run(&["admit", &big]);
    assert_eq!(code, 2);
    assert!(stderr.contains("too large"), "{stderr}");

    let not_a_spec = session.file("x.json", r#"{"alias": 1}"#);
    assert_eq!(session.run(&["admit", &not_a_spec]).0, 2);
    assert_eq!(session.run(&["created", "acme", "not-an-id"]).0, 2);
    assert_eq!(session.run(&["pending", "--older-than", "soon"]).0, 2);

    let (code, _, stderr) = session.run(&["created", "acme", "not-an-id"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: invalid value 'not-an-id' for '<ORGANIZATION_ID>'"),
        "{stderr}"
    );
    let (code, _, stderr) = session.run(&["sent", "acme", "--hosted-zone", "acme.example"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: invalid value 'acme.example' for '--hosted-zone <DOMAIN=ZONE>'"),
        "{stderr}"
    );

    let nowhere = Session {
        dir: session.dir.join("none"),
        url: "mysql://localhost/x".to_owned(),
    };
    assert_eq!(nowhere.run(&["list"]).0, 2);
}

#[test]
fn help_lists_every_flag_and_command_and_exits_0() {
    let session = Session::sqlite("help");
    let (code, stdout, stderr) = session.run_raw(&["--help"]);
    assert_eq!(code, 0, "{stderr}");
    let help = stdout.join("\n");
    for item in [
        "--database-url <URL>",
        "[env: DATABASE_URL]",
        "--namespace <NAME>",
        "--account <ID>",
        "admit",
        "sent",
        "created",
        "record",
        "pending",
        "release",
        "list",
    ] {
        assert!(help.contains(item), "{item}: {help}");
    }
    let (code, stdout, _) = session.run_raw(&["sent", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.join("\n").contains("--hosted-zone <DOMAIN=ZONE>"));
}

#[test]
fn the_database_url_falls_back_to_database_url() {
    let session = Session::sqlite("env");
    let spec = session.file("acme.json", SPEC);
    let run = |url: &str| {
        Command::new(example())
            .args(["--account", "111122223333", "admit", &spec])
            .env("DATABASE_URL", url)
            .output()
            .unwrap()
    };
    let output = run(&session.url);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"stage\":\"reserved\""));
    // An empty DATABASE_URL names no database.
    let output = run("");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no database URL"));
}
