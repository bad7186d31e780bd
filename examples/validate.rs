//! Validates organization spec files: the crate embedded in a command-line tool.
//!
//! ```sh
//! cargo run --example validate -- examples/specs/*.json
//! cat spec.json | cargo run --example validate -- -
//! cargo run --example validate -- --account 111122223333 a.json b.json
//! cargo run --example validate -- --aws-request --hosted-zone acme-mail.net=Z111111QQQQQQQ spec.json
//! ```
//!
//! Several files are one account's catalog, in the order given: after each file is checked on
//! its own, the valid ones are admitted one by one into a [`Catalog`], so a file reusing an
//! alias (in any case), a mail domain or a directory of an earlier file gets the violation
//! (`alias.taken`, `domains.in_use`, `directory.in_use`), reported with its own `file`; past
//! 100 organizations, `account.organization_limit`. A file whose spec is identical to an
//! earlier one's and has a client token is the same request retried, as AWS treats it: no
//! violation (the same file given twice is valid with a client token, and `alias.taken`
//! without one). `--account ID` names the account (it shows only in the quota message;
//! default `000000000000`).
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
//! Input: a file or standard input of at most 1 MiB (1,048,576 bytes) of UTF-8 JSON; a
//! UTF-8 byte order mark at the start is skipped. At most one byte more than the limit is
//! ever read, so an endless input (`/dev/zero`, a pipe) is refused too.
//!
//! Exit status: 0 when every file is valid (advisories allowed), 1 when any file breaks a
//! rule, 2 when a file cannot be read, is over the size limit or is not JSON of the spec's
//! shape (one line on stderr says which file and where), or when the command line is wrong
//! (clap's error and the usage on stderr; `--help` prints every flag and its default, and
//! exits 0). 2 wins over 1: every file is still checked and reported.
//!
//! # `--aws-request FILE`
//!
//! Prints the body of the `CreateOrganization` request for one spec file, in the WorkMail
//! JSON API's form, on stdout and nothing else, and exits 0. The Region to send it to goes
//! to stderr as `region: REGION`, followed by the spec's advisories as JSON lines of the form
//! above. `--hosted-zone DOMAIN=ZONE`, repeatable, supplies the hosted zone that registering
//! a new Route 53 domain created.
//!
//! An invalid spec exits 1 with its findings on stdout, as above. So does a new Route 53
//! domain with no zone supplied: one line per such domain, rule `domains.hosted_zone_missing`,
//! path `domains[i]`. A zone supplied for a domain that is not a new Route 53 domain of the
//! spec is a usage error: exit 2, with a line on stderr naming the domain.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use serde::Serialize;
use workmail_org::aws::{CreateOrganization, Problem};
use workmail_org::spec::{read_json, ReadError, MAX_BODY_BYTES};
use workmail_org::{
    catalog::AdmitError, AccountId, Advisory, AwsErrorCode, Catalog, DomainName, HostedZoneId,
    OrganizationSpec, Violation,
};

/// The account the files are checked as when `--account` is not given.
const DEFAULT_ACCOUNT: &str = "000000000000";

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Severity {
    /// A broken rule: the spec is invalid.
    Error,
    /// Advice: the spec stays valid.
    Advisory,
}

/// One finding about a file.
#[derive(Clone, Debug)]
struct FileFinding {
    severity: Severity,
    path: String,
    code: Option<AwsErrorCode>,
    rule: &'static str,
    message: String,
}

impl From<&Violation> for FileFinding {
    fn from(violation: &Violation) -> Self {
        FileFinding {
            severity: Severity::Error,
            path: violation.path().to_string(),
            code: Some(violation.code()),
            rule: violation.rule().id(),
            message: violation.message().to_owned(),
        }
    }
}

impl From<&Advisory> for FileFinding {
    fn from(advisory: &Advisory) -> Self {
        FileFinding {
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
struct FindingLine<'a> {
    file: &'a str,
    severity: Severity,
    path: &'a str,
    code: Option<AwsErrorCode>,
    rule: &'a str,
    message: &'a str,
}

impl<'a> FindingLine<'a> {
    fn new(file: &'a str, finding: &'a FileFinding) -> Self {
        FindingLine {
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
    findings: Vec<FileFinding>,
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
    let catalog = Catalog::new(account);
    for report in reports {
        let Some(spec) = &report.spec else { continue };
        // The checks need no clock: every file is admitted at time 0.
        match catalog.blocking(|c| c.admit(spec, 0)) {
            // New, or the identical spec with the same client token: the same request.
            Ok(_) => {}
            Err(AdmitError::Rejected(rejection)) => {
                report.findings.retain(|f| f.severity == Severity::Error);
                report
                    .findings
                    .extend(rejection.violations().iter().map(FileFinding::from));
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

/// Reads a file, or standard input for `-`: at most [`MAX_BODY_BYTES`] and one byte more,
/// so that an endless input costs no more than that.
fn read_input(file: &str, stdin: &mut dyn Read) -> Result<Vec<u8>, InputError> {
    let limit = MAX_BODY_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let read = if file == "-" {
        stdin.take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|opened| opened.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|err| InputError {
        file: file.to_owned(),
        reason: format!("cannot read: {err}"),
    })?;
    Ok(bytes)
}

/// Checks one file's body with the library's reader, and reports violations (or, when
/// valid, advisories).
fn check_file(file: &str, body: &[u8]) -> Result<FileReport, InputError> {
    let fail = |reason: String| InputError {
        file: file.to_owned(),
        reason,
    };
    Ok(match read_json(body) {
        Ok(spec) => FileReport {
            file: file.to_owned(),
            findings: spec.advisories().iter().map(FileFinding::from).collect(),
            spec: Some(spec),
        },
        Err(ReadError::Invalid(violations)) => FileReport {
            file: file.to_owned(),
            findings: violations.iter().map(FileFinding::from).collect(),
            spec: None,
        },
        Err(ReadError::TooLarge { .. }) => {
            return Err(fail(format!(
                "too large: a spec file has at most 1 MiB ({MAX_BODY_BYTES} bytes)"
            )))
        }
        Err(ReadError::NotUtf8 { .. }) => {
            return Err(fail(
                "cannot read: stream did not contain valid UTF-8".to_owned(),
            ))
        }
        Err(err) => return Err(fail(format!("not an organization spec: {err}"))),
    })
}

/// The command line, as clap reads it.
#[derive(Debug, Parser)]
#[command(
    name = "validate",
    about = "Checks organization spec files, as one account's catalog, or prints the \
             CreateOrganization request of one",
    override_usage = "validate [--account ID] FILE...\n       \
                      validate --aws-request [--hosted-zone DOMAIN=ZONE]... FILE",
    args_override_self = true,
    after_help = "Exit status: 0 every file valid (advisories allowed), 1 a file breaks a rule, \
                  2 a file cannot be read or is not a spec, or the command line is wrong."
)]
struct ValidateArgs {
    /// The account whose catalog the files are checked as (named only in the quota message)
    #[arg(
        long,
        value_name = "ID",
        default_value = DEFAULT_ACCOUNT,
        value_parser = parse_account,
        conflicts_with = "aws_request"
    )]
    account: AccountId,
    /// Print the CreateOrganization request body of one spec file (Region and advisories on
    /// stderr)
    #[arg(long)]
    aws_request: bool,
    /// The hosted zone that registering a new Route 53 domain created (repeatable; with
    /// --aws-request)
    #[arg(
        long,
        value_name = "DOMAIN=ZONE",
        value_parser = parse_zone,
        requires = "aws_request"
    )]
    hosted_zone: Vec<(DomainName, HostedZoneId)>,
    /// The spec files (`-` reads standard input); with --aws-request, exactly one
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
}

/// What the command line asks for.
#[derive(Debug)]
enum Task {
    /// Check files as one account's catalog.
    Check {
        account: AccountId,
        files: Vec<String>,
    },
    /// Print the `CreateOrganization` request of one file.
    AwsRequest {
        file: String,
        zones: BTreeMap<DomainName, HostedZoneId>,
    },
}

/// Reads `--account ID`.
fn parse_account(arg: &str) -> Result<AccountId, String> {
    arg.parse()
        .map_err(|err: workmail_org::ParseError| err.to_string())
}

/// Reads `DOMAIN=ZONE`.
fn parse_zone(arg: &str) -> Result<(DomainName, HostedZoneId), String> {
    let (domain, zone) = arg
        .split_once('=')
        .ok_or_else(|| "needs DOMAIN=ZONE".to_owned())?;
    let domain = domain.parse().map_err(|err| format!("{err}"))?;
    let zone = zone.parse().map_err(|err| format!("{err}"))?;
    Ok((domain, zone))
}

impl ValidateArgs {
    /// The command the parsed line asks for, after the checks across flags that clap's
    /// attributes cannot say.
    fn into_task(self) -> Result<Task, clap::Error> {
        let usage =
            |message: String| ValidateArgs::command().error(ErrorKind::ArgumentConflict, message);
        if !self.aws_request {
            return Ok(Task::Check {
                account: self.account,
                files: self.files,
            });
        }
        let [file] = <[String; 1]>::try_from(self.files)
            .map_err(|_| usage("--aws-request takes exactly one spec file".to_owned()))?;
        let mut zones = BTreeMap::new();
        for (domain, zone) in self.hosted_zone {
            if zones.contains_key(&domain) {
                return Err(usage(format!(
                    "--hosted-zone: the zone of \"{domain}\" is given twice"
                )));
            }
            zones.insert(domain, zone);
        }
        Ok(Task::AwsRequest { file, zones })
    }
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
    let command = ValidateArgs::try_parse_from(std::iter::once("validate".to_owned()).chain(args))
        .and_then(ValidateArgs::into_task);
    let command = match command {
        Ok(command) => command,
        // `--help` on stdout with 0; a usage error on stderr with 2. Writing to stderr is
        // best effort: if it fails there is nowhere left to report that.
        Err(err) => {
            let out: &mut dyn Write = if err.use_stderr() {
                &mut *stderr
            } else {
                &mut *stdout
            };
            return match write!(out, "{}", err.render()) {
                Ok(()) => u8::try_from(err.exit_code()).unwrap_or(2),
                Err(_) => 2,
            };
        }
    };
    match command {
        Task::Check { account, files } => check(account, &files, stdin, stdout, stderr),
        Task::AwsRequest { file, zones } => aws_request(&file, &zones, stdin, stdout, stderr),
    }
}

/// Checks files as one account's catalog, printing every finding.
fn check(
    account: AccountId,
    files: &[String],
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let mut unreadable = false;
    let mut reports = Vec::new();
    for file in files {
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

/// Prints the `CreateOrganization` request body of one spec file on stdout; the Region and
/// the advisories on stderr.
fn aws_request(
    file: &str,
    zones: &BTreeMap<DomainName, HostedZoneId>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let report = match read_input(file, stdin).and_then(|text| check_file(file, &text)) {
        Ok(report) => report,
        Err(err) => {
            let _ = writeln!(stderr, "validate: {}: {}", err.file, err.reason);
            return 2;
        }
    };
    let Some(spec) = &report.spec else {
        return match print_findings(std::slice::from_ref(&report), stdout) {
            Ok(()) => 1,
            Err(err) => {
                let _ = writeln!(stderr, "validate: cannot write to standard output: {err}");
                2
            }
        };
    };
    let call = match CreateOrganization::with_hosted_zones(spec, zones) {
        Ok(call) => call,
        Err(err) => return refused_request(&report, &err, stdout, stderr),
    };
    let written = serde_json::to_writer(&mut *stdout, call.request())
        .map_err(std::io::Error::from)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
    if let Err(err) = written {
        let _ = writeln!(stderr, "validate: cannot write to standard output: {err}");
        return 2;
    }
    let _ = writeln!(stderr, "region: {}", call.region());
    let _ = print_findings(std::slice::from_ref(&report), stderr);
    0
}

/// Reports why a valid spec gave no request: each missing zone as a finding on stdout
/// (exit 1), each zone for a domain that is not a new Route 53 domain on stderr (exit 2).
fn refused_request(
    report: &FileReport,
    err: &workmail_org::aws::CreateOrganizationError,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let missing = FileReport {
        file: report.file.clone(),
        spec: None,
        findings: err
            .violations()
            .map(|violations| violations.iter().map(FileFinding::from).collect())
            .unwrap_or_default(),
    };
    let mut code = 1;
    for problem in err.problems() {
        if let Problem::UnexpectedHostedZone { .. } = problem {
            let _ = writeln!(stderr, "validate: --hosted-zone: {problem}");
            code = 2;
        }
    }
    if let Err(err) = print_findings(std::slice::from_ref(&missing), stdout) {
        let _ = writeln!(stderr, "validate: cannot write to standard output: {err}");
        code = 2;
    }
    code
}

/// Prints every finding of every report, one JSON object per line.
fn print_findings(reports: &[FileReport], stdout: &mut dyn Write) -> std::io::Result<()> {
    for report in reports {
        for finding in &report.findings {
            serde_json::to_writer(&mut *stdout, &FindingLine::new(&report.file, finding))?;
            stdout.write_all(b"\n")?;
        }
    }
    stdout.flush()
}
