//! The binary: flags, the listening line, a call, and a clear refusal of the stores this
//! build does not have.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_workmail-org-emulator");

/// Kills the child when the test ends, passing or not.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_with_its_flags() {
    let mut child = Child(
        Command::new(BINARY)
            .args([
                "--listen",
                "127.0.0.1:0",
                "--create-after-polls",
                "1",
                "--account-id",
                "444455556666",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the emulator"),
    );
    let stdout = child.0.stdout.take().expect("its stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the listening line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .expect("an address");
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
                "sqlite://state.db",
            ][..],
            "in-memory store",
        ),
        (
            &["--listen", "127.0.0.1:0", "--database-url", "mysql://x"][..],
            "expected memory:",
        ),
        (
            &["--listen", "127.0.0.1:0", "--account-id", "12"][..],
            "--account-id",
        ),
        (&["--create-after-polls", "many"][..], "not a whole number"),
        (&["--verbose"][..], "unknown argument"),
        (&[][..], "--listen is required"),
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
    assert!(String::from_utf8_lossy(&help.stdout).contains("--verify-after-polls"));
}
