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

/// The usage text (clap's), in `--help` and on stderr after a command-line error.
const USAGE: &str = "Usage: validate [--account ID] FILE...\n       \
                     validate --aws-request [--hosted-zone DOMAIN=ZONE]... FILE";

/// clap's last line after a command-line error.
const MORE: &str = "For more information, try '--help'.\n";

/// What one run of the tool produced.
struct Output {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs the tool with `args` (paths relative to the crate root, where cargo runs tests) and
/// `stdin`.
fn run(args: &[&str], stdin: Option<&str>) -> Output {
    run_reading(args, &mut stdin.unwrap_or("").as_bytes())
}

/// Runs the tool with `args`, standard input read from `stdin`.
fn run_reading(args: &[&str], stdin: &mut dyn std::io::Read) -> Output {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = validate::run(
        args.iter().map(|arg| (*arg).to_owned()),
        stdin,
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
         domains[0].hosted_zone: unknown field `hosted_zone`, expected one of `type`, `name`, \
         `hosted_zone_id` at line 4 column 68\n"
    );

    // So does a list where the spec belongs.
    let output = run(&["-"], Some(r#"["acme-corp", "us-east-1"]"#));
    assert_eq!(output.code, Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output),
        "validate: -: not an organization spec: invalid type: sequence, expected an \
         organization spec: an object with `alias` and `region` at line 1 column 1\n"
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
        format!(
            "error: the following required arguments were not provided:\n  <FILE>...\n\n\
             {USAGE}\n\n{MORE}"
        )
    );
}

#[test]
fn help_lists_every_flag_with_its_default_and_exits_0() {
    for flag in ["--help", "-h"] {
        let output = run(&[flag], None);
        assert_eq!(output.code, Some(0));
        assert!(output.stderr.is_empty());
        let help = String::from_utf8(output.stdout).expect("UTF-8 help");
        assert!(help.contains(&format!("\n{USAGE}\n")), "{help}");
        for option in [
            "--account <ID>",
            "[default: 000000000000]",
            "--aws-request",
            "--hosted-zone <DOMAIN=ZONE>",
            "<FILE>...",
        ] {
            assert!(help.contains(option), "{option}: {help}");
        }
    }
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
        format!(
            "error: invalid value '12345' for '--account <ID>': account id \"12345\": must be \
             exactly 12 characters long, found 5\n\n{MORE}"
        )
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
    // The validate section's lines; the store example's session prints the same shape.
    let section = readme
        .split("\n## ")
        .find(|section| section.starts_with("Validating specs"))
        .expect("the README has a section on validating specs");
    let shown: Vec<Value> = section
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

// ---------------------------------------------------------------------------------------
// Retries: the same spec file twice

#[test]
fn the_same_file_twice_is_one_request_with_a_client_token_and_a_clash_without() {
    // valid-full.json has a client token: the second copy is the same request, retried.
    let full = "examples/specs/valid-full.json";
    let output = run(&[full, full], None);
    assert_eq!(output.code, Some(0), "{}", stderr(&output));
    let printed = lines(&output);
    assert!(printed.iter().all(|line| line["severity"] == "advisory"));
    assert_eq!(printed.len() % 2, 0);
    assert_eq!(printed[..printed.len() / 2], printed[printed.len() / 2..]);

    // valid-ad-connector.json has none: the second copy is a second organization.
    let connector = "examples/specs/valid-ad-connector.json";
    let output = run(&[connector, connector], None);
    assert_eq!(output.code, Some(1), "{}", stderr(&output));
    let errors: Vec<(String, String)> = lines(&output)
        .iter()
        .filter(|line| line["severity"] == "error")
        .map(|line| {
            (
                line["path"].as_str().unwrap_or_default().to_owned(),
                line["rule"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("alias".to_owned(), "alias.taken".to_owned()),
            (
                "directory.directory_id".to_owned(),
                "directory.in_use".to_owned()
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Input at the edges: size, endless streams, byte order marks

/// A directory of its own for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("workmail-org-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        Scratch(dir)
    }

    /// Writes `contents` to `name` and returns its path as text.
    fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("writable");
        path.to_str().expect("a UTF-8 path").to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// A valid spec padded with spaces to exactly `len` bytes.
fn padded_spec(len: usize) -> Vec<u8> {
    let mut text = br#"{"alias": "acme-big", "region": "us-east-1"}"#.to_vec();
    text.resize(len, b' ');
    text
}

const MIB: usize = 1 << 20;

#[test]
fn files_and_standard_input_over_one_mib_are_refused() {
    let scratch = Scratch::new("size");
    let at_limit = scratch.file("at-limit.json", &padded_spec(MIB));
    let over = scratch.file("over.json", &padded_spec(MIB + 1));

    let output = run(&[&at_limit], None);
    assert_eq!(output.code, Some(0), "{}", stderr(&output));

    let output = run(&[&over], None);
    assert_eq!(output.code, Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output),
        format!("validate: {over}: too large: a spec file has at most 1 MiB (1048576 bytes)\n")
    );

    // Standard input is capped the same way, at the same byte.
    let output = run_reading(&["-"], &mut padded_spec(MIB).as_slice());
    assert_eq!(output.code, Some(0), "{}", stderr(&output));
    let output = run_reading(&["-"], &mut padded_spec(MIB + 1).as_slice());
    assert_eq!(output.code, Some(2));
    assert_eq!(
        stderr(&output),
        "validate: -: too large: a spec file has at most 1 MiB (1048576 bytes)\n"
    );

    // Other files are still checked; 2 wins.
    let output = run(
        &[&over, "examples/specs/invalid-shared-directory.json"],
        None,
    );
    assert_eq!(output.code, Some(2));
    assert_eq!(lines(&output).len(), 1);
}

/// Counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: usize,
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n;
        Ok(n)
    }
}

#[test]
fn an_endless_input_is_read_only_to_the_limit() {
    let mut endless = Counted {
        inner: std::io::repeat(b' '),
        read: 0,
    };
    let output = run_reading(&["-"], &mut endless);
    assert_eq!(output.code, Some(2));
    assert_eq!(endless.read, MIB + 1);
    assert!(stderr(&output).ends_with("too large: a spec file has at most 1 MiB (1048576 bytes)\n"));

    if Path::new("/dev/zero").exists() {
        let output = run(&["/dev/zero"], None);
        assert_eq!(output.code, Some(2));
        assert_eq!(
            stderr(&output),
            "validate: /dev/zero: too large: a spec file has at most 1 MiB (1048576 bytes)\n"
        );
    }
}

#[test]
fn a_utf8_byte_order_mark_is_accepted() {
    let scratch = Scratch::new("bom");
    let mut text = "\u{feff}".as_bytes().to_vec();
    text.extend_from_slice(br#"{"alias": "d-acme", "region": "us-east-1"}"#);
    let file = scratch.file("bom.json", &text);
    let output = run(&[&file], None);
    assert_eq!(output.code, Some(1), "{}", stderr(&output));
    assert_eq!(lines(&output)[0]["rule"], "alias.reserved_prefix");

    let output = run(
        &["-"],
        Some("\u{feff}{\"alias\": \"acme\", \"region\": \"us-east-1\"}"),
    );
    assert_eq!(output.code, Some(0), "{}", stderr(&output));

    // Only at the start, and only once.
    let output = run(
        &["-"],
        Some("\u{feff}\u{feff}{\"alias\": \"acme\", \"region\": \"us-east-1\"}"),
    );
    assert_eq!(output.code, Some(2));
    // Bytes that are not UTF-8 are refused as before.
    let output = run_reading(&["-"], &mut &b"{\"alias\": \"\xff\"}"[..]);
    assert_eq!(output.code, Some(2));
    assert_eq!(
        stderr(&output),
        "validate: -: cannot read: stream did not contain valid UTF-8\n"
    );
}

// ---------------------------------------------------------------------------------------
// --aws-request

#[test]
fn aws_request_prints_the_body_alone_and_the_region_and_advice_on_stderr() {
    let output = run(
        &[
            "--aws-request",
            "--hosted-zone",
            "acme-mail.net=/hostedzone/Z111111QQQQQQQ",
            "examples/specs/valid-full.json",
        ],
        None,
    );
    assert_eq!(output.code, Some(0), "{}", stderr(&output));
    assert_eq!(
        String::from_utf8(output.stdout.clone()).expect("UTF-8"),
        "{\"Alias\":\"acme-corp\",\"DirectoryId\":\"d-1234567890\",\"ClientToken\":\"create-acme-1\",\
         \"Domains\":[{\"DomainName\":\"acme.com\",\"HostedZoneId\":\"Z0123456789ABCDEFGHIJ\"},\
         {\"DomainName\":\"acme-mail.net\",\"HostedZoneId\":\"Z111111QQQQQQQ\"},\
         {\"DomainName\":\"acme.org\"}],\"KmsKeyArn\":\"arn:aws:kms:us-east-1:111122223333:key/\
         1234abcd-12ab-34cd-56ef-1234567890ab\",\"EnableInteroperability\":true}\n"
    );
    let diagnostics = stderr(&output);
    let mut stderr_lines = diagnostics.lines();
    assert_eq!(stderr_lines.next(), Some("region: us-east-1"));
    let advice: Vec<Value> = stderr_lines
        .map(|line| serde_json::from_str(line).expect("JSON advisory lines"))
        .collect();
    assert_eq!(advice.len(), 4);
    assert!(advice.iter().all(|line| line["severity"] == "advisory"));

    // The body reads back as the request type, from standard input too.
    let output = run(
        &["--aws-request", "-"],
        Some(r#"{"alias": "acme", "region": "eu-west-1"}"#),
    );
    assert_eq!(output.code, Some(0), "{}", stderr(&output));
    let body: workmail_org::aws::CreateOrganizationRequest =
        serde_json::from_slice(&output.stdout).expect("a request body");
    assert_eq!(body.alias().as_str(), "acme");
    assert_eq!(stderr(&output).lines().next(), Some("region: eu-west-1"));
}

#[test]
fn aws_request_without_a_new_domains_zone_names_it_and_exits_1() {
    let output = run(&["--aws-request", "examples/specs/valid-full.json"], None);
    assert_eq!(output.code, Some(1), "{}", stderr(&output));
    assert_eq!(
        String::from_utf8(output.stdout.clone()).expect("UTF-8"),
        "{\"file\":\"examples/specs/valid-full.json\",\"severity\":\"error\",\"path\":\"domains[1]\",\
         \"code\":\"InvalidParameter\",\"rule\":\"domains.hosted_zone_missing\",\
         \"message\":\"new Route 53 domain \\\"acme-mail.net\\\" has no hosted zone yet; register \
         it and supply the zone Route 53 created\"}\n"
    );
    assert_eq!(stderr(&output), "");
}

#[test]
fn aws_request_of_an_invalid_or_unreadable_spec() {
    let output = run(
        &[
            "--aws-request",
            "examples/specs/invalid-region-mismatch.json",
        ],
        None,
    );
    assert_eq!(output.code, Some(1));
    let plain = run(&["examples/specs/invalid-region-mismatch.json"], None);
    assert_eq!(
        output.stdout, plain.stdout,
        "the findings as validate prints them"
    );
    assert_eq!(stderr(&output), "");

    let output = run(&["--aws-request", "examples/specs/malformed.json"], None);
    assert_eq!(output.code, Some(2));
    assert!(output.stdout.is_empty());
    assert!(stderr(&output)
        .starts_with("validate: examples/specs/malformed.json: not an organization spec"));
}

#[test]
fn aws_request_usage_errors_exit_2() {
    let full = "examples/specs/valid-full.json";
    let cases: [(&[&str], &str); 8] = [
        (
            &[
                "--aws-request",
                "--hosted-zone",
                "acme-mail.net=Z1",
                "--hosted-zone",
                "acme.org=Z2",
                full,
            ],
            "validate: --hosted-zone: a hosted zone was supplied for \"acme.org\", which is not a \
             new Route 53 domain of the spec\n",
        ),
        (
            &["--aws-request", full, "examples/specs/valid-minimal.json"],
            "error: --aws-request takes exactly one spec file\n",
        ),
        (
            &["--aws-request"],
            "error: the following required arguments were not provided:\n  <FILE>...\n",
        ),
        (
            &["--hosted-zone", "acme-mail.net=Z1", full],
            "error: the following required arguments were not provided:\n  --aws-request\n",
        ),
        (
            &["--aws-request", "--hosted-zone", "acme-mail.net", full],
            "error: invalid value 'acme-mail.net' for '--hosted-zone <DOMAIN=ZONE>': needs \
             DOMAIN=ZONE\n",
        ),
        (
            &["--aws-request", "--hosted-zone", "acme-mail.net=z1", full],
            "error: invalid value 'acme-mail.net=z1' for '--hosted-zone <DOMAIN=ZONE>': hosted \
             zone id \"z1\": character 'z' at position 0 is not allowed (upper-case letters and \
             digits only)\n",
        ),
        (
            &[
                "--aws-request",
                "--hosted-zone",
                "a.net=Z1",
                "--hosted-zone",
                "A.NET=Z2",
                full,
            ],
            "error: --hosted-zone: the zone of \"a.net\" is given twice\n",
        ),
        (
            &["--aws-request", "--account", "111122223333", full],
            "error: the argument '--aws-request' cannot be used with '--account <ID>'\n",
        ),
    ];
    for (args, expected) in cases {
        let output = run(args, None);
        assert_eq!(output.code, Some(2), "{args:?}");
        let diagnostics = stderr(&output);
        assert!(diagnostics.starts_with(expected), "{args:?}: {diagnostics}");
    }
    // The wrong zone is named even when another zone is also missing; nothing else is
    // written on stderr, and the missing zone is still reported as a finding.
    let output = run(
        &["--aws-request", "--hosted-zone", "acme.com=Z1", full],
        None,
    );
    assert_eq!(output.code, Some(2));
    assert_eq!(lines(&output)[0]["rule"], "domains.hosted_zone_missing");
}

#[test]
fn the_readme_shows_what_aws_request_really_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md is readable");
    let command = readme
        .lines()
        .find(|line| line.contains("--aws-request --hosted-zone"))
        .expect("the README shows an --aws-request command");
    let args: Vec<&str> = command
        .split_once("-- ")
        .expect("cargo run ... -- ARGS")
        .1
        .split_whitespace()
        .collect();
    let body = readme
        .lines()
        .find(|line| line.starts_with("{\"Alias\":"))
        .expect("the README shows a request body");
    let output = run(&args, None);
    assert_eq!(output.code, Some(0), "{}", stderr(&output));
    assert_eq!(
        String::from_utf8(output.stdout.clone()).expect("UTF-8"),
        format!("{body}\n"),
        "the README's request body is stale"
    );
}
