//! The shipped example specs, and the `validate` example's output lines and exit codes.
//!
//! The example's code is compiled into this test crate (`#[path]`) and run in-process, so a
//! test never needs a built binary and never runs a stale one.

use std::path::{Path, PathBuf};

use serde_json::Value;
use workmail_org::{OrganizationDraft, OrganizationSpec};

use crate::fixtures::{choices_of, full_json, FULL_JSON};

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/specs")
}

fn spec_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(specs_dir())
        .expect("examples/specs exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .expect("a UTF-8 file name")
                .to_owned();
            let text = std::fs::read_to_string(&path).expect("readable");
            (name, text)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn valid_specs_validate_invalid_ones_do_not_and_malformed_ones_do_not_read() {
    let files = spec_files();
    let mut counts = [0usize; 3];
    for (name, text) in &files {
        let draft = serde_json::from_str::<OrganizationDraft>(text);
        if name.starts_with("valid-") {
            let spec = draft
                .unwrap_or_else(|err| panic!("{name}: {err}"))
                .validate()
                .unwrap_or_else(|violations| panic!("{name}: {violations}"));
            // And it round-trips through JSON unchanged.
            let json = serde_json::to_value(&spec).expect("serializes");
            let back: OrganizationSpec = serde_json::from_value(json).expect("reads back");
            assert_eq!(back, spec, "{name}");
            counts[0] += 1;
        } else if name.starts_with("invalid-") {
            let draft = draft.unwrap_or_else(|err| panic!("{name} must read as a draft: {err}"));
            assert!(draft.validate().is_err(), "{name} must break a rule");
            counts[1] += 1;
        } else if name.starts_with("malformed") {
            assert!(draft.is_err(), "{name} must not read as a draft");
            counts[2] += 1;
        } else {
            panic!("{name}: example specs are named valid-*, invalid-* or malformed*");
        }
    }
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
}

#[test]
fn there_is_a_valid_spec_for_every_choice() {
    let specs: Vec<OrganizationSpec> = spec_files()
        .iter()
        .filter(|(name, _)| name.starts_with("valid-"))
        .map(|(name, text)| {
            serde_json::from_str(text).unwrap_or_else(|err| panic!("{name}: {err}"))
        })
        .collect();
    let mut domain_types = Vec::new();
    let mut directories = Vec::new();
    let mut keys = Vec::new();
    for spec in &specs {
        let (domains, directory, encryption) = choices_of(spec);
        domain_types.extend(domains);
        directories.push(directory);
        keys.push(encryption);
    }
    for expected in ["existing_route53", "new_route53", "external", "free_test"] {
        assert!(
            domain_types.iter().any(|d| d == expected),
            "no valid spec with {expected}"
        );
    }
    for expected in [
        "new_workmail_directory",
        "ADConnector",
        "MicrosoftAD",
        "SimpleAD",
    ] {
        assert!(
            directories.iter().any(|d| d == expected),
            "no valid spec with {expected}"
        );
    }
    for expected in ["workmail_managed_key", "customer_managed_key"] {
        assert!(
            keys.iter().any(|k| k == expected),
            "no valid spec with {expected}"
        );
    }
}

#[test]
fn the_full_example_is_the_documented_json_in_canonical_form() {
    let spec: OrganizationSpec = serde_json::from_str(FULL_JSON).expect("valid");
    assert_eq!(
        serde_json::to_value(&spec).expect("serializes"),
        full_json()
    );
}

// ---------------------------------------------------------------------------------------
// The `validate` example

/// The `validate` example's own code, compiled into this test and run in-process: no binary
/// to build first, and never a stale one.
#[allow(dead_code)]
#[path = "../../examples/validate.rs"]
mod validate;

/// What one run of the tool produced.
struct Output {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs the tool with `args` (paths relative to the crate root, where cargo runs tests) and
/// `stdin`.
fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut input = stdin.unwrap_or("").as_bytes();
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = validate::run(
        args.iter().map(|arg| (*arg).to_owned()),
        &mut input,
        &mut stdout,
        &mut stderr,
    );
    Output {
        code: Some(i32::from(code)),
        stdout,
        stderr,
    }
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("{line}: {err}")))
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

#[test]
fn a_valid_file_prints_its_advisories_and_exits_0() {
    let output = run(&["examples/specs/valid-ad-connector.json"], None);
    assert_eq!(output.code, Some(0), "{}", stderr(&output));
    assert_eq!(
        String::from_utf8(output.stdout.clone()).expect("UTF-8"),
        "{\"file\":\"examples/specs/valid-ad-connector.json\",\"severity\":\"advisory\",\
         \"path\":\"default_domain\",\"code\":null,\"rule\":\"advice.test_domain_needs_enabled_user\",\
         \"message\":\"the test domain \\\"acme-hq.awsapps.com\\\" stays the organization's only \
         while it keeps at least one enabled user\"}\n"
    );
    assert_eq!(stderr(&output), "");
}

#[test]
fn an_invalid_file_prints_one_line_per_violation_and_exits_1() {
    let output = run(&["examples/specs/invalid-region-mismatch.json"], None);
    assert_eq!(output.code, Some(1), "{}", stderr(&output));
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8");
    let first = stdout.lines().next().expect("a line");
    assert_eq!(
        first,
        "{\"file\":\"examples/specs/invalid-region-mismatch.json\",\"severity\":\"error\",\
         \"path\":\"directory.region\",\"code\":\"DirectoryUnavailable\",\
         \"rule\":\"directory.region_mismatch\",\
         \"message\":\"directory \\\"d-1234567890\\\" is in us-west-2 but the organization is in us-east-1\"}"
    );
    let lines = lines(&output);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["rule"], "encryption.region_mismatch");
    assert_eq!(lines[1]["path"], "encryption.kms_key_arn");
}

#[test]
fn every_line_has_exactly_the_documented_keys_in_order() {
    let output = run(
        &[
            "examples/specs/invalid-many.json",
            "examples/specs/valid-full.json",
        ],
        None,
    );
    assert_eq!(output.code, Some(1));
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8");
    assert!(stdout.lines().count() >= 14, "{stdout}");
    for line in stdout.lines() {
        let value: Value = serde_json::from_str(line).expect("one JSON object per line");
        let keys: Vec<&str> = value
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            ["code", "file", "message", "path", "rule", "severity"]
        );
        // serde_json's map sorts keys, so check the order on the raw text.
        let positions: Vec<usize> = [
            "\"file\"",
            "\"severity\"",
            "\"path\"",
            "\"code\"",
            "\"rule\"",
            "\"message\"",
        ]
        .iter()
        .map(|key| line.find(key).expect("the key is present"))
        .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{line}");
        match value["severity"].as_str() {
            Some("error") => assert!(value["code"].is_string(), "{line}"),
            Some("advisory") => assert!(value["code"].is_null(), "{line}"),
            other => panic!("unexpected severity {other:?} in {line}"),
        }
    }
    // Findings come file by file, in argument order.
    let order: Vec<usize> = stdout
        .lines()
        .map(|line| usize::from(!line.contains("\"file\":\"examples/specs/invalid-many.json\"")))
        .collect();
    assert!(order.contains(&0) && order.contains(&1), "{stdout}");
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{stdout}");
}

#[test]
fn stdin_is_read_for_a_dash() {
    let output = run(
        &["-"],
        Some(r#"{"alias": "d-acme", "region": "us-east-1"}"#),
    );
    assert_eq!(output.code, Some(1));
    let lines = lines(&output);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["file"], "-");
    assert_eq!(lines[0]["path"], "alias");
    assert_eq!(lines[0]["rule"], "alias.reserved_prefix");
    assert_eq!(lines[0]["code"], "InvalidParameter");
}

#[test]
fn malformed_or_unreadable_files_exit_2_naming_the_file_and_where() {
    let output = run(&["examples/specs/malformed.json"], None);
    assert_eq!(output.code, Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output),
        "validate: examples/specs/malformed.json: not an organization spec: expected `,` or `}` \
         at line 4 column 3\n"
    );

    // A shape error names the JSON path and what is allowed there.
    let output = run(&["examples/specs/malformed-unknown-field.json"], None);
    assert_eq!(output.code, Some(2));
    assert_eq!(
        stderr(&output),
        "validate: examples/specs/malformed-unknown-field.json: not an organization spec: \
         domains[0]: unknown field \"hosted_zone\" for type external (allowed: type, name) at \
         line 4 column 68\n"
    );

    // So does a list where the spec belongs.
    let output = run(&["-"], Some(r#"["acme-corp", "us-east-1"]"#));
    assert_eq!(output.code, Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output),
        "validate: -: not an organization spec: invalid type: sequence, expected an \
         organization spec: an object with \"alias\" and \"region\" at line 1 column 1\n"
    );

    let output = run(&["examples/specs/no-such-file.json"], None);
    assert_eq!(output.code, Some(2));
    assert!(
        stderr(&output).starts_with("validate: examples/specs/no-such-file.json: cannot read: "),
        "{}",
        stderr(&output)
    );

    // Other files are still checked and reported; 2 wins over 1.
    let output = run(
        &[
            "examples/specs/malformed.json",
            "examples/specs/invalid-shared-directory.json",
        ],
        None,
    );
    assert_eq!(output.code, Some(2));
    let lines = lines(&output);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["rule"], "directory.shared");
}

#[test]
fn every_valid_example_exits_0_together() {
    let files: Vec<String> = spec_files()
        .into_iter()
        .filter(|(name, _)| name.starts_with("valid-"))
        .map(|(name, _)| format!("examples/specs/{name}"))
        .collect();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let output = run(&args, None);
    assert_eq!(output.code, Some(0), "{}", stderr(&output));
    assert!(lines(&output)
        .iter()
        .all(|line| line["severity"] == "advisory"));
}

#[test]
fn no_files_is_a_usage_error() {
    let output = run(&[], None);
    assert_eq!(output.code, Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output),
        "usage: validate [--account ID] FILE... (`-` reads standard input)\n"
    );
}

// ---------------------------------------------------------------------------------------
// Several files: one account's catalog

#[test]
fn a_later_file_reusing_alias_domain_or_directory_gets_the_catalog_violations() {
    let dir = std::env::temp_dir().join(format!("workmail-org-catalog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let second = dir.join("second.json");
    std::fs::write(
        &second,
        r#"{
  "alias": "ACME-CORP",
  "region": "us-east-1",
  "domains": [{"type": "external", "name": "acme-else.org"}, {"type": "external", "name": "ACME.com"}],
  "directory": {"type": "existing", "directory_id": "d-1234567890", "directory_type": "ADConnector",
                "alias": "acme-corp", "region": "us-east-1"},
  "interoperability": true
}"#,
    )
    .expect("writable");
    let second = second.to_str().expect("a UTF-8 path");
    let output = run(&["examples/specs/valid-full.json", second], None);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(output.code, Some(1), "{}", stderr(&output));
    let errors: Vec<(String, String, String, String)> = lines(&output)
        .iter()
        .filter(|line| line["severity"] == "error")
        .map(|line| {
            (
                line["file"].as_str().unwrap_or_default().to_owned(),
                line["path"].as_str().unwrap_or_default().to_owned(),
                line["code"].as_str().unwrap_or_default().to_owned(),
                line["rule"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("alias", "NameAvailability", "alias.taken"),
        ("domains[1].name", "MailDomainInUse", "domains.in_use"),
        (
            "directory.directory_id",
            "DirectoryInUse",
            "directory.in_use",
        ),
    ]
    .map(|(path, code, rule)| (second.to_owned(), path.into(), code.into(), rule.into()));
    assert_eq!(errors, expected);
    // The first file keeps its advisories and no error; the second, rejected, has no advice.
    assert!(lines(&output).iter().all(
        |line| line["file"] == "examples/specs/valid-full.json" || line["severity"] == "error"
    ));
}

#[test]
fn the_account_option_is_validated() {
    let output = run(
        &["--account", "12345", "examples/specs/valid-minimal.json"],
        None,
    );
    assert_eq!(output.code, Some(2));
    assert_eq!(
        stderr(&output),
        "validate: account id \"12345\": must be exactly 12 characters long, found 5\n\
         usage: validate [--account ID] FILE... (`-` reads standard input)\n"
    );
    let output = run(
        &[
            "--account",
            "111122223333",
            "examples/specs/valid-minimal.json",
        ],
        None,
    );
    assert_eq!(output.code, Some(0), "{}", stderr(&output));
}

#[test]
fn the_readme_shows_what_validate_really_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md is readable");
    let shown: Vec<Value> = readme
        .lines()
        .filter(|line| line.starts_with("{\"file\":"))
        .map(|line| serde_json::from_str(line).expect("README lines are JSON"))
        .collect();
    assert!(
        shown.len() >= 3,
        "the README shows a valid and an invalid spec"
    );
    for line in &shown {
        let file = line["file"].as_str().expect("a file name");
        let output = run(&[file], None);
        assert!(
            lines(&output).contains(line),
            "README line for {file} is stale: {line}"
        );
    }
}
