//! The JSON lines on stdout, and the exit status.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use workmail_org::catalog::Entry;
use workmail_org::Finding;
use workmail_org::{Advisory, OrganizationId, Violation};

/// How a command, or one spec of it, ended: the exit status, worst last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// 0: done.
    Done = 0,
    /// 1: refused, by a rule or by AWS.
    Refused = 1,
    /// 2: the command line, a file or the database.
    Usage = 2,
    /// 3: AWS unreachable, or timed out.
    Unreachable = 3,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// Prints one JSON value on a line of stdout. A failed write (a closed pipe) is not worth a
/// panic; the exit status still says how the command ended.
pub fn print(value: &impl Serialize) {
    let Ok(mut line) = serde_json::to_vec(value) else {
        return;
    };
    line.push(b'\n');
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&line).and_then(|()| stdout.flush());
}

/// A step done on an entry, or the entry as `status` shows it: the `entry` event is
/// `status`'s, every other name a step.
#[derive(Serialize)]
pub struct EntryLine<'a> {
    event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<&'static str>,
    id: u64,
    alias: &'a str,
    account: &'a str,
    region: &'static str,
    stage: &'static str,
    organization_id: Option<&'a str>,
    state: Option<&'a str>,
    sends: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

/// Prints a step on `entry`, with an optional detail.
pub fn step(step: &'static str, entry: &Entry, detail: Option<String>) {
    print(&EntryLine {
        event: "step",
        step: Some(step),
        ..entry_line(entry, detail)
    });
}

/// Prints `entry` as `status` does.
pub fn entry(entry: &Entry) {
    print(&entry_line(entry, None));
}

fn entry_line(entry: &Entry, detail: Option<String>) -> EntryLine<'_> {
    EntryLine {
        event: "entry",
        step: None,
        id: entry.id().get(),
        alias: entry.alias().as_str(),
        account: entry.account().as_str(),
        region: entry.region().as_str(),
        stage: entry.stage().as_str(),
        organization_id: entry.organization_id().map(OrganizationId::as_str),
        state: entry.organization().map(|org| org.state().as_str()),
        sends: entry.sends(),
        detail,
    }
}

/// A finding: an error or an advisory, about a spec file or an entry.
#[derive(Serialize)]
pub struct FindingLine<'a> {
    event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<&'a str>,
    severity: &'static str,
    path: String,
    code: Option<&'a str>,
    rule: Option<&'static str>,
    message: &'a str,
}

/// Where a finding belongs: a spec file, an alias, or both.
#[derive(Clone, Copy, Default)]
pub struct About<'a> {
    /// The spec file.
    pub file: Option<&'a str>,
    /// The alias of the entry.
    pub alias: Option<&'a str>,
}

/// Prints an error finding.
pub fn finding(about: About<'_>, finding: &Finding) {
    print(&FindingLine {
        event: "finding",
        file: about.file,
        alias: about.alias,
        severity: "error",
        path: finding.path().to_string(),
        code: Some(finding.code().as_str()),
        rule: finding.rule().map(|rule| rule.id()),
        message: finding.message(),
    });
}

/// Prints a violation of a spec rule.
pub fn violation(about: About<'_>, violation: &Violation) {
    finding(about, &Finding::from(violation));
}

/// Prints an advisory (never an error).
pub fn advisory(about: About<'_>, advisory: &Advisory) {
    print(&FindingLine {
        event: "finding",
        file: about.file,
        alias: about.alias,
        severity: "advisory",
        path: advisory.path().to_string(),
        code: None,
        rule: Some(advisory.kind().id()),
        message: advisory.message(),
    });
}

/// Prints an error finding with a code of the tool's own (`Unreachable`, `TimedOut`,
/// `Malformed`, `TooLarge`, `Unresolved`...) or an AWS exception's name.
pub fn error(about: About<'_>, code: &str, message: &str) {
    print(&FindingLine {
        event: "finding",
        file: about.file,
        alias: about.alias,
        severity: "error",
        path: String::new(),
        code: Some(code),
        rule: None,
        message,
    });
}
