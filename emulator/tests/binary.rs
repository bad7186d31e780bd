//! The binary: flags, the listening line, a call, state kept in SQLite across a restart, and
//! a clear refusal of a database it cannot open.

mod common;

use std::process::Command;

const BINARY: &str = env!("CARGO_BIN_EXE_workmail-org-emulator");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_with_its_flags() {
    let (_child, addr) =
        common::start(&["--create-after-polls", "1", "--account-id", "444455556666"]);
    let client = common::loopback_client(addr, "us-west-2");
    let created = client
        .create_organization()
        .alias("from-the-binary")
        .send()
        .await
        .unwrap();
    let described = client
        .describe_organization()
        .organization_id(created.organization_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(described.state(), Some("Active"));
    assert!(described
        .arn()
        .unwrap()
        .contains(":us-west-2:444455556666:organization/"));
}

#[test]
fn bad_flags_and_unavailable_stores_are_refused_clearly() {
    for (args, expected) in [
        (
            &[
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                "sqlite:///nonexistent-directory/of/state.db",
            ][..],
            "SQLite database",
        ),
        (
            &["--listen", "127.0.0.1:0", "--database-url", "mysql://x"][..],
            "a database URL is memory:",
        ),
        (
            &["--listen", "127.0.0.1:0", "--account-id", "12"][..],
            "--account-id",
        ),
        (&["--create-after-polls", "many"][..], "not a whole number"),
        (&["--verbose"][..], "unexpected argument '--verbose'"),
        (&["--pool-size", "0"][..], "--pool-size"),
    ] {
        let output = Command::new(BINARY)
            .args(args)
            .output()
            .expect("run the emulator");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    let help = Command::new(BINARY)
        .arg("--help")
        .output()
        .expect("run the emulator");
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--listen <ADDR:PORT>",
        "--database-url <URL>",
        "--namespace <NAME>",
        "--pool-size <N>",
        "--create-after-polls <N>",
        "--verify-after-polls <N>",
        "--export-concurrency <N>",
        "--export-after-polls <N>",
        "--account-id <ID>",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
    // Each flag's own words follow it, before the next flag.
    for (flag, words) in [
        (
            "--export-concurrency <N>",
            "mailbox export jobs of one organization",
        ),
        ("--export-after-polls <N>", "a mailbox export job ends"),
        ("--account-id <ID>", "The account in ARNs"),
    ] {
        let after = &help[help.find(flag).expect("the flag") + flag.len()..];
        let own: String = after
            .lines()
            .enumerate()
            .take_while(|(index, line)| *index == 0 || !line.trim_start().starts_with('-'))
            .map(|(_, line)| line)
            .collect();
        assert!(
            own.contains(words),
            "{flag} is not described as {words:?}: {help}"
        );
    }
    for default in [
        "[default: 127.0.0.1:4566]",
        "[default: memory:]",
        "[default: workmail_emulator]",
        "[default: 10]",
        "[default: 3]",
        "[default: 2]",
        "[default: 111122223333]",
    ] {
        assert!(help.contains(default), "{default}: {help}");
    }
}

#[cfg(feature = "sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_the_organizations_across_a_restart() {
    let dir = std::env::temp_dir().join(format!("emulator-restart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let url = format!("sqlite://{}", dir.join("state.db").display());
    let args = ["--database-url", url.as_str(), "--create-after-polls", "1"];

    let (mut first, addr) = common::start(&args);
    let client = common::loopback_client(addr, "us-east-1");
    let created = client
        .create_organization()
        .alias("kept-across-restarts")
        .send()
        .await
        .unwrap();
    let id = created.organization_id().unwrap().to_owned();
    // A real kill: the process gets no chance to flush anything.
    first.0.kill().expect("kill the first emulator");
    first.0.wait().expect("reap it");

    let (_second, addr) = common::start(&args);
    let client = common::loopback_client(addr, "us-east-1");
    let described = client
        .describe_organization()
        .organization_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.alias(), Some("kept-across-restarts"));
    let taken = client
        .create_organization()
        .alias("KEPT-across-restarts")
        .send()
        .await
        .unwrap_err();
    use aws_sdk_workmail::error::ProvideErrorMetadata;
    assert_eq!(taken.code(), Some("NameAvailabilityException"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A service's store (no namespace, the default) and an emulator (its own namespace, the
/// default) on one database never see each other's rows: the `store` example admits an
/// alias, an emulator on the same file creates it, and the example still lists its
/// reservation. The example runs through `cargo run`, which builds it if this test's build
/// did not.
#[cfg(feature = "sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_and_an_emulator_on_one_database_stay_apart() {
    let dir = std::env::temp_dir().join(format!("emulator-namespace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let url = format!("sqlite://{}", dir.join("shared.db").display());
    let spec = dir.join("shared.json");
    std::fs::write(&spec, r#"{"alias": "shared-alias", "region": "us-east-1"}"#)
        .expect("a spec file");
    let store = |args: &[&str]| {
        let output = Command::new(env!("CARGO"))
            .args([
                "run",
                "--quiet",
                "-p",
                "workmail-org-stores",
                "--example",
                "store",
                "--",
            ])
            .args(["--database-url", url.as_str(), "--account", "111122223333"])
            .args(args)
            .env_remove("DATABASE_URL")
            .output()
            .expect("run the store example");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{args:?}: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    };
    let admitted = store(&["admit", spec.to_str().expect("a UTF-8 path")]);
    assert!(admitted.contains(r#""stage":"reserved""#), "{admitted}");

    let (_emulator, addr) = common::start(&["--database-url", url.as_str()]);
    let client = common::loopback_client(addr, "us-east-1");
    let created = client
        .create_organization()
        .alias("shared-alias")
        .send()
        .await
        .expect("the emulator's namespace does not hold the service's alias");
    assert!(created.organization_id().is_some());

    let listed = store(&["list"]);
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(
        listed.contains(r#""alias":"shared-alias""#) && listed.contains(r#""stage":"reserved""#),
        "{listed}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
