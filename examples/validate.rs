//! Validates organization spec files: the crate embedded in a command-line tool.
//!
//! ```sh
//! cargo run --example validate -- examples/specs/*.json
//! cat spec.json | cargo run --example validate -- -
//! cargo run --example validate -- --account 111122223333 a.json b.json
//! ```
//!
//! Several files are one account's catalog, in the order given: after each file is checked on
//! its own, the valid ones are admitted one by one into a [`Catalog`], so a file reusing an
//! alias (in any case), a mail domain or a directory of an earlier file gets the violation
//! (`alias.taken`, `domains.in_use`, `directory.in_use`), reported with its own `file`; past
//! 100 organizations, `account.organization_limit`. `--account ID` names the account (it shows
//! only in the quota message; default `000000000000`).
//!
//! For every finding it prints one JSON object per line on stdout, with exactly these keys in
//! this order:
//!
//! ```json
//! {"file": "...", "severity": "error", "path": "...", "code": "InvalidParameter", "rule": "...", "message": "..."}
//! ```
//!
//! `severity` is `"error"` for a violation and `"advisory"` for advice (whose `code` is
//! `null`). Advisories are reported for valid files only.
//!
//! Exit status: 0 when every file is valid (advisories allowed), 1 when any file breaks a
//! rule, 2 when a file cannot be read or is not JSON of the spec's shape (one line on stderr
//! says which file and where), or when no file is given (a usage line on stderr). 2 wins
//! over 1: every file is still checked and reported.

use std::io::{Read, Write};
use std::process::ExitCode;

use serde::Serialize;
use workmail_org::{
    catalog::AdmitError, AccountId, Advisory, AwsErrorCode, Catalog, OrganizationDraft,
    OrganizationSpec, Violation,
};

const USAGE: &str = "usage: validate [--account ID] FILE... (`-` reads standard input)";

/// The account the files are checked as when `--account` is not given.
const DEFAULT_ACCOUNT: &str = "000000000000";

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Severity {
    /// A broken rule: the spec is invalid.
    Error,
    /// AdvisoryKind: the spec stays valid.
    Advisory,
}

/// One finding about a file.
#[derive(Clone, Debug)]
struct Finding {
    severity: Severity,
    path: String,
    code: Option<AwsErrorCode>,
    rule: &'static str,
    message: String,
}

impl From<&Violation> for Finding {
    fn from(violation: &Violation) -> Self {
        Finding {
            severity: Severity::Error,
            path: violation.path().to_string(),
            code: Some(violation.code()),
            rule: violation.rule().id(),
            message: violation.message().to_owned(),
        }
    }
}

impl From<&Advisory> for Finding {
    fn from(advisory: &Advisory) -> Self {
        Finding {
            severity: Severity::Advisory,
            path: advisory.path().to_string(),
            code: None,
            rule: advisory.kind().id(),
            message: advisory.message().to_owned(),
        }
    }
}

/// One output line: a finding and the file it is about, keys in this order.
#[derive(Serialize)]
struct Line<'a> {
    file: &'a str,
    severity: Severity,
    path: &'a str,
    code: Option<AwsErrorCode>,
    rule: &'a str,
    message: &'a str,
}

impl<'a> Line<'a> {
    fn new(file: &'a str, finding: &'a Finding) -> Self {
        Line {
            file,
            severity: finding.severity,
            path: &finding.path,
            code: finding.code,
            rule: finding.rule,
            message: &finding.message,
        }
    }
}

/// What checking one file found: the spec when the file is valid, and every finding.
///
/// Checks across files (several files as one account's catalog) take the reports of all
/// files and add their own findings.
#[derive(Debug)]
struct FileReport {
    file: String,
    spec: Option<OrganizationSpec>,
    findings: Vec<Finding>,
}

impl FileReport {
    /// Valid when nothing but advice was found, on its own or in the catalog.
    fn is_valid(&self) -> bool {
        self.findings
            .iter()
            .all(|finding| finding.severity == Severity::Advisory)
    }
}

/// Admits the valid specs, in file order, into one account's catalog; a spec the catalog
/// rejects gets the catalog's violations in its report.
fn check_catalog(account: AccountId, reports: &mut [FileReport]) -> Result<(), String> {
    let mut catalog = Catalog::new(account);
    for report in reports {
        let Some(spec) = &report.spec else { continue };
        match catalog.admit(spec.clone()) {
            Ok(()) => {}
            Err(AdmitError::Rejected(violations)) => {
                report.findings.retain(|f| f.severity == Severity::Error);
                report.findings.extend(violations.iter().map(Finding::from));
            }
            Err(err) => return Err(err.to_string()),
        }
    }
    Ok(())
}

/// A file that could not be checked at all, with the reason (and, for JSON, where).
#[derive(Debug)]
struct InputError {
    file: String,
    reason: String,
}

/// Reads a file, or standard input for `-`.
fn read_input(file: &str, stdin: &mut dyn Read) -> Result<String, InputError> {
    let mut text = String::new();
    let read = if file == "-" {
        stdin.read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(file).map(|contents| text = contents)
    };
    read.map(|()| text).map_err(|err| InputError {
        file: file.to_owned(),
        reason: format!("cannot read: {err}"),
    })
}

/// Checks one file's text: reads it as a draft, validates it, and reports violations (or,
/// when valid, advisories).
fn check_file(file: &str, text: &str) -> Result<FileReport, InputError> {
    let draft: OrganizationDraft = serde_json::from_str(text).map_err(|err| InputError {
        file: file.to_owned(),
        reason: format!("not an organization spec: {err}"),
    })?;
    Ok(match draft.validate() {
        Ok(spec) => FileReport {
            file: file.to_owned(),
            findings: spec.advisories().iter().map(Finding::from).collect(),
            spec: Some(spec),
        },
        Err(violations) => FileReport {
            file: file.to_owned(),
            findings: violations.iter().map(Finding::from).collect(),
            spec: None,
        },
    })
}

/// The command line: the account and the files.
fn parse_args(args: impl Iterator<Item = String>) -> Result<(AccountId, Vec<String>), String> {
    let mut account = None;
    let mut files = Vec::new();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        if arg == "--account" {
            let id = args.next().ok_or("--account needs an account id")?;
            account = Some(id.parse::<AccountId>().map_err(|err| err.to_string())?);
        } else {
            files.push(arg);
        }
    }
    if files.is_empty() {
        return Err(USAGE.to_owned());
    }
    let account = match account {
        Some(account) => account,
        None => DEFAULT_ACCOUNT
            .parse()
            .map_err(|err: workmail_org::ParseError| err.to_string())?,
    };
    Ok((account, files))
}

fn main() -> ExitCode {
    let code = run(
        std::env::args().skip(1),
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}

/// The whole tool, on explicit streams (so tests can run it in-process): returns the exit
/// status.
pub(crate) fn run(
    args: impl Iterator<Item = String>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let args: Vec<String> = args.collect();
    if args.iter().any(|arg| arg == "-h" || arg == "--help") {
        return match writeln!(stdout, "{USAGE}") {
            Ok(()) => 0,
            Err(_) => 2,
        };
    }
    // Writing to stderr is best effort: if it fails there is nowhere left to report that.
    let (account, files) = match parse_args(args.into_iter()) {
        Ok(parsed) => parsed,
        Err(message) if message == USAGE => {
            let _ = writeln!(stderr, "{USAGE}");
            return 2;
        }
        Err(message) => {
            let _ = writeln!(stderr, "validate: {message}\n{USAGE}");
            return 2;
        }
    };

    let mut unreadable = false;
    let mut reports = Vec::new();
    for file in &files {
        match read_input(file, stdin).and_then(|text| check_file(file, &text)) {
            Ok(report) => reports.push(report),
            Err(err) => {
                let _ = writeln!(stderr, "validate: {}: {}", err.file, err.reason);
                unreadable = true;
            }
        }
    }

    if let Err(err) = check_catalog(account, &mut reports) {
        let _ = writeln!(stderr, "validate: the catalog check failed: {err}");
        return 2;
    }
    if let Err(err) = print_findings(&reports, stdout) {
        let _ = writeln!(stderr, "validate: cannot write to standard output: {err}");
        return 2;
    }
    if unreadable {
        2
    } else if reports.iter().all(FileReport::is_valid) {
        0
    } else {
        1
    }
}

/// Prints every finding of every report, one JSON object per line.
fn print_findings(reports: &[FileReport], stdout: &mut dyn Write) -> std::io::Result<()> {
    for report in reports {
        for finding in &report.findings {
            serde_json::to_writer(&mut *stdout, &Line::new(&report.file, finding))?;
            stdout.write_all(b"\n")?;
        }
    }
    stdout.flush()
}
