//! One account's organizations in a database: the crate's stores behind a command line.
//!
//! ```sh
//! cargo run -p workmail-org-stores --example store -- \
//!     --database-url sqlite:///tmp/orgs.db --account 111122223333 admit examples/specs/valid-minimal.json
//! export DATABASE_URL=postgresql://postgres@/postgres?host=/run/postgresql
//! cargo run -p workmail-org-stores --example store -- --account 111122223333 list
//! ```
//!
//! `--database-url URL` (else `DATABASE_URL`) is `sqlite://PATH` (so `sqlite:///tmp/x.db` is
//! absolute, `sqlite://x.db` relative), `postgres://…`/`postgresql://…`, or `memory:` (gone
//! when the command ends); the migrations run when missing. `--namespace NAME` keeps the
//! tables in a PostgreSQL schema or behind an SQLite prefix of that name (default: none,
//! the `public` schema and no prefix). Times are this machine's clock, in epoch seconds.
//!
//! | command | what it does |
//! | --- | --- |
//! | `admit FILE...` | validates and admits each spec file, in order |
//! | `sent ALIAS [--hosted-zone DOMAIN=ZONE]...` | records the `CreateOrganization` request about to be sent |
//! | `created ALIAS ORGANIZATION_ID` | records AWS's answer |
//! | `record FILE` | records a `DescribeOrganization` response |
//! | `pending --older-than SECONDS` | lists the entries still reserved or sent, untouched for that long |
//! | `release ALIAS [--not-created]` | frees every key of a pending entry; `--not-created` for a `sent` one |
//! | `list` | lists the account's entries |
//!
//! `ALIAS` names the account's live entry with that alias, in any letter case.
//!
//! Output, on stdout, one JSON object a line:
//! - an entry: `id`, `alias`, `account`, `region`, `stage` and, when known, `organization_id`
//!   and `state`;
//! - a finding of `admit`, as `validate` prints it: `file`, `severity`, `path`, `code`,
//!   `rule`, `message`;
//! - a refusal of any other command: `refused` (the command), `message`, and for a snapshot
//!   unlike its spec, `differences`, one message per field that differs.
//!
//! Exit status: 0 done; 1 refused by a rule or a check (the lines above say why); 2 the
//! command line, a file (unreadable, over 1 MiB, not JSON of the right shape) or the
//! database (a line on stderr says which, with the database's own reason, and never a
//! password).

use std::collections::BTreeMap;
use std::error::Error;
use std::future::Future;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use workmail_org::aws::{CreateOrganization, CreateOrganizationResponse, Organization};
use workmail_org::catalog::store::MAX_PAGE;
use workmail_org::catalog::{
    Admission, AdmitError, CatalogError, Entry, EntryId, RecordError, Release, StoreError,
};
use workmail_org::{
    AccountId, Advisory, Catalog, DomainName, HostedZoneId, OrganizationAlias, OrganizationDraft,
    OrganizationId, Violation,
};
use workmail_org_stores::{AnyStore, DatabaseUrl, Namespace, OpenError, StoreOptions};

const USAGE: &str =
    "usage: store [--database-url URL] [--namespace NAME] --account ID COMMAND ...\n\
    commands: admit FILE... | sent ALIAS [--hosted-zone DOMAIN=ZONE]... | \
    created ALIAS ORGANIZATION_ID | record FILE | pending --older-than SECONDS | \
    release ALIAS [--not-created] | list";

/// The most bytes an input file may have: 1 MiB, read through `take(LIMIT + 1)` so no
/// input, endless ones included, costs more.
const MAX_INPUT_BYTES: u64 = 1 << 20;

/// Why the command stopped: exit 1 (the lines on stdout say why) or 2 (stderr says why).
enum Stop {
    Refused,
    Failed(String),
}

impl From<String> for Stop {
    fn from(message: String) -> Self {
        Stop::Failed(message)
    }
}

type Outcome = Result<(), Stop>;

// One call at a time: a current-thread runtime is all the stores need.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop::Refused) => ExitCode::from(1),
        Err(Stop::Failed(message)) => {
            eprintln!("store: {message}");
            ExitCode::from(2)
        }
    }
}

fn usage(problem: &str) -> Stop {
    Stop::Failed(format!("{problem}\n{USAGE}"))
}

async fn run(args: &[String]) -> Outcome {
    let mut url = None;
    let mut namespace = None;
    let mut account = None;
    let mut rest = args;
    loop {
        match rest {
            [flag, value, tail @ ..] if flag == "--database-url" => {
                url = Some(value.clone());
                rest = tail;
            }
            [flag, value, tail @ ..] if flag == "--namespace" => {
                let parsed: Namespace = value
                    .parse()
                    .map_err(|err| usage(&format!("--namespace: {err}")))?;
                namespace = Some(parsed);
                rest = tail;
            }
            [flag, value, tail @ ..] if flag == "--account" => {
                account = Some(value.clone());
                rest = tail;
            }
            _ => break,
        }
    }
    let url = match url.or_else(|| std::env::var("DATABASE_URL").ok()) {
        Some(url) if !url.is_empty() => url,
        _ => return Err(usage("no --database-url and no DATABASE_URL")),
    };
    let account: AccountId = account
        .ok_or_else(|| usage("no --account"))?
        .parse()
        .map_err(|err| usage(&format!("--account: {err}")))?;
    let Some((command, operands)) = rest.split_first() else {
        return Err(usage("no command"));
    };
    let mut options = StoreOptions::default();
    if let Some(namespace) = namespace {
        options = options.with_namespace(namespace);
    }
    let catalog = Catalog::open(account, open(&url, &options).await?);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| "the system clock is before 1970".to_owned())?
        .as_secs();
    match (command.as_str(), operands) {
        ("admit", files) if !files.is_empty() => admit(&catalog, files, now).await,
        ("sent", [alias, zones @ ..]) => sent(&catalog, alias, zones, now).await,
        ("created", [alias, id]) => created(&catalog, alias, id, now).await,
        ("record", [file]) => record(&catalog, file, now).await,
        ("pending", [flag, seconds]) if flag == "--older-than" => {
            let seconds: u64 = seconds
                .parse()
                .map_err(|_| usage(&format!("--older-than needs seconds, not \"{seconds}\"")))?;
            let before = now.saturating_sub(seconds);
            print_pages(|after| catalog.pending(before, after, MAX_PAGE)).await
        }
        ("release", [alias]) => release(&catalog, alias, Release::NothingSent).await,
        ("release", [alias, flag]) if flag == "--not-created" => {
            release(&catalog, alias, Release::NotCreated).await
        }
        ("list", []) => print_pages(|after| catalog.list(None, after, MAX_PAGE)).await,
        _ => Err(usage(&format!(
            "cannot read the command \"{command}\" here"
        ))),
    }
}

/// The store a URL names, with its tables created when missing.
async fn open(url: &str, options: &StoreOptions) -> Result<AnyStore, Stop> {
    let url: DatabaseUrl = url
        .parse()
        .map_err(|err: OpenError| usage(&err.to_string()))?;
    url.open(options)
        .await
        .map_err(|err| Stop::Failed(chain(&err)))
}

/// An error's message and every source's after it, so a database's own reason shows.
fn chain(err: &dyn Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

type StoreCatalog = Catalog<AnyStore>;

/// Prints one JSON value on a line of stdout.
fn print(value: &impl Serialize) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer(&mut stdout, value)
        .map_err(|err| err.to_string())
        .and_then(|()| writeln!(stdout).map_err(|err| err.to_string()))
        .map_err(|err| Stop::Failed(format!("cannot write to stdout: {err}")))
}

/// An entry's line, keys in this order.
#[derive(Serialize)]
struct EntryLine<'a> {
    id: u64,
    alias: &'a str,
    account: &'a str,
    region: &'static str,
    stage: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<&'a str>,
}

fn entry_line(entry: &Entry) -> EntryLine<'_> {
    EntryLine {
        id: entry.id().get(),
        alias: entry.alias().as_str(),
        account: entry.account().as_str(),
        region: entry.region().as_str(),
        stage: entry.stage().as_str(),
        organization_id: entry.organization_id().map(OrganizationId::as_str),
        state: entry.organization().map(|org| org.state().as_str()),
    }
}

/// A refusal's line: the command, why, and for a snapshot unlike its spec each difference.
#[derive(Serialize)]
struct RefusedLine<'a> {
    refused: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    differences: Vec<String>,
}

impl<'a> RefusedLine<'a> {
    fn new(refused: &'a str, message: String) -> Self {
        RefusedLine {
            refused,
            message,
            rule: None,
            differences: Vec::new(),
        }
    }
}

/// A finding's line, keys in `validate`'s order.
#[derive(Serialize)]
struct FindingLine<'a> {
    file: &'a str,
    severity: &'static str,
    path: String,
    code: Option<&'static str>,
    rule: &'static str,
    message: &'a str,
}

/// Prints every page a listing gives, each entry a line.
async fn print_pages<F: Future<Output = Result<Vec<Entry>, StoreError>>>(
    mut page: impl FnMut(Option<EntryId>) -> F,
) -> Outcome {
    let mut after = None;
    loop {
        let entries = page(after).await.map_err(|err| chain(&err))?;
        let Some(last) = entries.last() else {
            return Ok(());
        };
        after = Some(last.id());
        for entry in &entries {
            print(&entry_line(entry))?;
        }
    }
}

/// A refusal's line, with `differences` when AWS reported a snapshot unlike its spec.
fn refused(command: &str, err: &CatalogError) -> Outcome {
    let mut line = RefusedLine::new(command, err.to_string());
    line.rule = err.rule().map(|rule| rule.id());
    if let CatalogError::Record(RecordError::Mismatch { mismatches, .. }) = err {
        line.differences = mismatches.iter().map(ToString::to_string).collect();
    }
    print(&line)?;
    Err(Stop::Refused)
}

/// A catalog error: a store failure stops with 2, anything else is a refusal.
fn settle(command: &str, result: Result<Entry, CatalogError>) -> Outcome {
    match result {
        Ok(entry) => print(&entry_line(&entry)),
        Err(CatalogError::Store(err)) => Err(Stop::Failed(chain(&err))),
        Err(err) => refused(command, &err),
    }
}

/// Reads a file of at most [`MAX_INPUT_BYTES`] of UTF-8, without a leading byte order mark.
fn read_file(file: &str) -> Result<String, Stop> {
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|opened| opened.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|err| format!("{file}: cannot read: {err}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Stop::Failed(format!(
            "{file}: too large: an input file has at most 1 MiB ({MAX_INPUT_BYTES} bytes)"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| format!("{file}: not UTF-8"))?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned())
}

fn violation_line<'a>(file: &'a str, violation: &'a Violation) -> FindingLine<'a> {
    FindingLine {
        file,
        severity: "error",
        path: violation.path().to_string(),
        code: Some(violation.code().as_str()),
        rule: violation.rule().id(),
        message: violation.message(),
    }
}

/// An advisory's line: as a violation's, with no AWS code.
fn advisory_line<'a>(file: &'a str, advisory: &'a Advisory) -> FindingLine<'a> {
    FindingLine {
        file,
        severity: "advisory",
        path: advisory.path().to_string(),
        code: None,
        rule: advisory.kind().id(),
        message: advisory.message(),
    }
}

async fn admit(catalog: &StoreCatalog, files: &[String], now: u64) -> Outcome {
    let mut any_refused = false;
    for file in files {
        let text = read_file(file)?;
        let draft: OrganizationDraft = serde_json::from_str(&text)
            .map_err(|err| format!("{file}: not an organization spec: {err}"))?;
        let violations = match draft.validate() {
            Ok(spec) => match catalog.admit(&spec, now).await {
                Ok(Admission::New(entry) | Admission::AlreadyAdmitted(entry)) => {
                    for advisory in &spec.advisories() {
                        print(&advisory_line(file, advisory))?;
                    }
                    print(&entry_line(&entry))?;
                    continue;
                }
                Err(AdmitError::Rejected(violations)) => violations,
                Err(err) => return Err(Stop::Failed(format!("{file}: {}", chain(&err)))),
            },
            Err(violations) => violations,
        };
        any_refused = true;
        for violation in violations.iter() {
            print(&violation_line(file, violation))?;
        }
    }
    if any_refused {
        Err(Stop::Refused)
    } else {
        Ok(())
    }
}

/// The account's live entry with this alias.
async fn by_alias(catalog: &StoreCatalog, command: &str, alias: &str) -> Result<Entry, Stop> {
    let parsed: OrganizationAlias = alias
        .parse()
        .map_err(|err| usage(&format!("alias \"{alias}\": {err}")))?;
    match catalog.by_alias(&parsed).await.map_err(|err| chain(&err))? {
        Some(entry) => Ok(entry),
        None => {
            print(&RefusedLine::new(
                command,
                format!(
                    "account {} has no live organization \"{alias}\"",
                    catalog.account()
                ),
            ))?;
            Err(Stop::Refused)
        }
    }
}

/// Reads `DOMAIN=ZONE` pairs after `--hosted-zone` flags.
fn hosted_zones(args: &[String]) -> Result<BTreeMap<DomainName, HostedZoneId>, Stop> {
    let mut zones = BTreeMap::new();
    let mut rest = args;
    while let [flag, pair, tail @ ..] = rest {
        if flag != "--hosted-zone" {
            break;
        }
        let (domain, zone) = pair
            .split_once('=')
            .ok_or_else(|| usage(&format!("--hosted-zone needs DOMAIN=ZONE, not \"{pair}\"")))?;
        let domain: DomainName = domain
            .parse()
            .map_err(|err| usage(&format!("--hosted-zone domain \"{domain}\": {err}")))?;
        let zone: HostedZoneId = zone
            .parse()
            .map_err(|err| usage(&format!("--hosted-zone zone \"{zone}\": {err}")))?;
        zones.insert(domain, zone);
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(usage(&format!("unexpected \"{}\"", rest[0])));
    }
    Ok(zones)
}

async fn sent(catalog: &StoreCatalog, alias: &str, args: &[String], now: u64) -> Outcome {
    let zones = hosted_zones(args)?;
    let entry = by_alias(catalog, "sent", alias).await?;
    let call = match CreateOrganization::with_hosted_zones(entry.spec(), &zones) {
        Ok(call) => call,
        Err(err) => {
            print(&RefusedLine::new("sent", err.to_string()))?;
            return Err(Stop::Refused);
        }
    };
    settle("sent", catalog.sent(entry.id(), &call, now).await)
}

async fn created(catalog: &StoreCatalog, alias: &str, id: &str, now: u64) -> Outcome {
    let id: OrganizationId = id
        .parse()
        .map_err(|err| usage(&format!("organization id \"{id}\": {err}")))?;
    let entry = by_alias(catalog, "created", alias).await?;
    let response = CreateOrganizationResponse::new(id);
    settle("created", catalog.created(entry.id(), &response, now).await)
}

async fn record(catalog: &StoreCatalog, file: &str, now: u64) -> Outcome {
    let text = read_file(file)?;
    let organization: Organization = serde_json::from_str(&text)
        .map_err(|err| format!("{file}: not a DescribeOrganization response: {err}"))?;
    settle("record", catalog.record(&organization, now).await)
}

async fn release(catalog: &StoreCatalog, alias: &str, how: Release) -> Outcome {
    let entry = by_alias(catalog, "release", alias).await?;
    settle("release", catalog.release(entry.id(), how).await)
}
