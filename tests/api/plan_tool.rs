//! The `plan` example: its output for people and as JSON, the zone-file lines of one domain
//! (read back by a real zone parser), and its exit codes. The example's code is compiled into
//! this test crate (`#[path]`) and run in-process.

use std::path::{Path, PathBuf};

use serde_json::Value;
use workmail_org::plan::Plan;

#[allow(dead_code)] // `main` is the binary's; the tests call `run`.
#[path = "../../examples/plan.rs"]
mod tool;

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .display()
        .to_string()
}

/// Runs the tool with `args`: exit status, stdout, stderr.
fn run(args: &[&str]) -> (u8, String, String) {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = tool::run(args.iter().map(|a| a.to_string()), &mut stdout, &mut stderr);
    (
        code,
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

fn example_specs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo("examples/specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_spec_gets_a_plan_or_its_findings() {
    for path in example_specs() {
        let file = path.display().to_string();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (code, stdout, stderr) = run(&[&file]);
        if name.starts_with("valid-") {
            assert_eq!(code, 0, "{name}: {stderr}");
            assert!(stdout.starts_with("Plan for organization "), "{name}");
            assert!(
                stdout.contains("call: workmail:CreateOrganization"),
                "{name}"
            );
            let (code, json, _) = run(&["--format", "json", &file]);
            assert_eq!(code, 0, "{name}");
            let plan: Plan = serde_json::from_str(&json).unwrap();
            assert_eq!(
                stdout.matches("\n    done when: ").count(),
                plan.steps().len()
            );
        } else if name.starts_with("invalid-") {
            assert_eq!(code, 1, "{name}: {stderr}");
            // The findings, as `validate` prints them: one JSON object per line.
            for line in stdout.lines() {
                let finding: Value = serde_json::from_str(line).unwrap();
                let keys: Vec<&str> = finding
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                assert_eq!(finding["file"], Value::from(file.as_str()));
                assert_eq!(finding["severity"], "error");
                assert_eq!(keys.len(), 6, "{line}");
            }
            assert!(!stdout.is_empty(), "{name}");
        } else {
            assert_eq!(code, 2, "{name}");
            assert!(
                stderr.contains("not an organization spec"),
                "{name}: {stderr}"
            );
        }
    }
}

#[test]
fn the_invalid_specs_findings_are_the_validate_tools_lines() {
    let file = repo("examples/specs/invalid-region-mismatch.json");
    let (code, stdout, _) = run(&[&file]);
    assert_eq!(code, 1);
    let expected = format!(
        "{{\"file\":\"{file}\",\"severity\":\"error\",\"path\":\"directory.region\",\"code\":\"DirectoryUnavailable\",\"rule\":\"directory.region_mismatch\",\"message\":\"directory \\\"d-1234567890\\\" is in us-west-2 but the organization is in us-east-1\"}}"
    );
    assert_eq!(stdout.lines().next(), Some(expected.as_str()));
}

#[track_caller]
fn assert_golden(name: &str, actual: &str) {
    let path = repo(&format!("tests/data/plan/{name}"));
    if std::env::var_os("WORKMAIL_ORG_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        actual, expected,
        "{name} differs; WORKMAIL_ORG_BLESS=1 rewrites it"
    );
}

#[test]
fn the_zone_without_tokens_holds_the_token_free_records_and_names_the_rest() {
    let spec = repo("tests/data/plan/external-example.com.json");
    let (code, stdout, stderr) = run(&["--zone", "Example.COM", &spec]);
    assert_eq!(code, 0, "{stderr}");
    assert_golden("example.com.without-tokens.zone", &stdout);
    assert!(stdout.contains("; waiting for tokens: the ownership TXT at _amazonses.example.com"));
    let records = crate::dns::zone_parser::parse(&stdout);
    let types: Vec<&str> = records
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["MX", "CNAME", "TXT", "TXT"]);
}

#[test]
fn the_zone_with_the_mail_domain_response_holds_every_record() {
    let spec = repo("tests/data/plan/external-example.com.json");
    let response = repo("tests/data/dns/responses/pending.json");
    let (code, stdout, stderr) = run(&["--zone", "example.com", "--mail-domain", &response, &spec]);
    assert_eq!(code, 0, "{stderr}");
    assert_golden("example.com.with-tokens.zone", &stdout);
    let records = crate::dns::zone_parser::parse(&stdout);
    assert!(records.len() >= 6);
    assert!(records.iter().any(|r| r["name"]
        .as_str()
        .unwrap()
        .starts_with("_amazonses.example.com")));
}

/// The usage line (clap's), in `--help` and after a command-line error.
const USAGE: &str = "Usage: plan [--format text|json] [--zone DOMAIN [--mail-domain FILE]] SPEC";

#[test]
fn usage_errors_exit_2_with_clap_s_error() {
    let spec = repo("tests/data/plan/external-example.com.json");
    for (args, expected) in [
        (
            vec![],
            format!("error: the following required arguments were not provided:\n  <SPEC>\n\n{USAGE}\n"),
        ),
        (
            vec!["--format", "yaml", spec.as_str()],
            "error: invalid value 'yaml' for '--format <FORMAT>'\n  [possible values: text, json]\n"
                .to_owned(),
        ),
        (
            vec!["--mail-domain", "x.json", spec.as_str()],
            format!(
                "error: the following required arguments were not provided:\n  --zone <DOMAIN>\n\n\
                 {USAGE}\n"
            ),
        ),
        (
            vec!["--zone", "-bad-.org", spec.as_str()],
            "error: invalid value '-bad-.org' for '--zone <DOMAIN>': domain name \"-bad-.org\""
                .to_owned(),
        ),
        (
            vec![spec.as_str(), spec.as_str()],
            format!("error: unexpected argument '{spec}' found\n\n{USAGE}\n"),
        ),
    ] {
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty(), "{args:?}");
        assert!(stderr.starts_with(&expected), "{args:?}: {stderr}");
        assert!(
            stderr.ends_with("\nFor more information, try '--help'.\n"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn help_lists_every_flag_with_its_default_and_exits_0() {
    let (code, stdout, stderr) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(stderr.is_empty());
    assert!(stdout.contains(&format!("\n{USAGE}\n")), "{stdout}");
    for option in [
        "--format <FORMAT>",
        "[default: text] [possible values: text, json]",
        "--zone <DOMAIN>",
        "--mail-domain <FILE>",
        "<SPEC>",
    ] {
        assert!(stdout.contains(option), "{option}: {stdout}");
    }
}

#[test]
fn input_errors_exit_2_with_one_line() {
    let spec = repo("tests/data/plan/external-example.com.json");
    for (args, expected) in [
        (
            vec!["--zone", "other.org", spec.as_str()],
            "is not one of the spec's domains",
        ),
        (vec!["/nonexistent/spec.json"], "cannot read"),
        (
            vec![
                "--zone",
                "example.com",
                "--mail-domain",
                spec.as_str(),
                spec.as_str(),
            ],
            "holds the ownership verification token",
        ),
    ] {
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty(), "{args:?}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = std::env::temp_dir().join(format!("workmail-org-plan-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("spec.json");
    std::fs::write(
        &file,
        "\u{feff}{\"alias\": \"acme\", \"region\": \"us-east-1\"}",
    )
    .unwrap();
    let (code, stdout, stderr) = run(&[file.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("keep at least one enabled user"));
}
