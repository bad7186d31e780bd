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
//! | `release ALIAS` | frees every key of a `reserved` entry (a `sent` one is released only on the evidence of a `ListOrganizations` lookup: the `workmail-org` tool's `recover`) |
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
//! command line (clap's error and the usage on stderr; `--help` and `COMMAND --help` print
//! every flag and exit 0), a file (unreadable, over 1 MiB, not JSON of the right shape) or
//! the database (a line on stderr says which, with the database's own reason, and never a
//! PostgreSQL password).

use std::collections::BTreeMap;
use std::error::Error;
use std::future::Future;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Parser, Subcommand};
use serde::Serialize;
use workmail_org::aws::{CreateOrganization, CreateOrganizationResponse, Organization};
use workmail_org::catalog::store::{StoreError, MAX_PAGE};
use workmail_org::catalog::{
    Admission, AdmitError, CatalogError, Entry, EntryId, RecordError, Release,
};
use workmail_org::spec::{self, ReadError};
use workmail_org::{
    AccountId, Advisory, Catalog, DomainName, HostedZoneId, OrganizationAlias, OrganizationId,
    ParseError, Violation,
};
use workmail_org_stores::{AnyStore, DatabaseUrl, Namespace, OpenError, StoreOptions};

/// The command line, as clap reads it.
#[derive(Debug, Parser)]
#[command(
    name = "store",
    about = "One account's organizations in a database",
    args_override_self = true,
    disable_help_subcommand = true,
    after_help = "Exit status: 0 done, 1 refused by a rule or a check (the lines on stdout say \
                  why), 2 the command line, a file or the database (a line on stderr says which)."
)]
struct StoreArgs {
    /// memory:, sqlite://PATH, postgres://... or postgresql://...; the migrations run when
    /// missing
    #[arg(
        long,
        value_name = "URL",
        env = "DATABASE_URL",
        hide_env_values = true,
        value_parser = parse_url
    )]
    database_url: DatabaseUrl,
    /// The PostgreSQL schema or SQLite table prefix of the store [default: none: the public
    /// schema, no prefix]
    #[arg(long, value_name = "NAME")]
    namespace: Option<Namespace>,
    /// The account whose organizations these are
    #[arg(long, value_name = "ID")]
    account: AccountId,
    #[command(subcommand)]
    command: StoreCommand,
}

/// What to do in the account's store. `ALIAS` names the account's live entry with that
/// alias, in any letter case.
#[derive(Debug, Subcommand)]
enum StoreCommand {
    /// Validates and admits each spec file, in order
    Admit {
        /// Organization spec files (JSON)
        #[arg(value_name = "FILE", required = true)]
        files: Vec<String>,
    },
    /// Records the CreateOrganization request about to be sent
    Sent {
        /// The account's live entry with this alias, in any letter case
        #[arg(value_name = "ALIAS")]
        alias: OrganizationAlias,
        /// The hosted zone that registering a new Route 53 domain created (repeatable)
        #[arg(long, value_name = "DOMAIN=ZONE", value_parser = parse_zone)]
        hosted_zone: Vec<(DomainName, HostedZoneId)>,
    },
    /// Records AWS's answer: the organization's id
    Created {
        /// The account's live entry with this alias, in any letter case
        #[arg(value_name = "ALIAS")]
        alias: OrganizationAlias,
        /// The OrganizationId of the CreateOrganization response
        #[arg(value_name = "ORGANIZATION_ID")]
        organization_id: OrganizationId,
    },
    /// Records a DescribeOrganization response
    Record {
        /// The response's JSON
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Lists the entries still reserved or sent, untouched for that long
    Pending {
        /// How long untouched
        #[arg(long, value_name = "SECONDS")]
        older_than: u64,
    },
    /// Frees every key of a reserved entry (nothing sent)
    Release {
        /// The account's live entry with this alias, in any letter case
        #[arg(value_name = "ALIAS")]
        alias: OrganizationAlias,
    },
    /// Lists the account's entries
    List,
}

fn parse_url(arg: &str) -> Result<DatabaseUrl, String> {
    if arg.is_empty() {
        return Err("no database URL: give --database-url or a non-empty DATABASE_URL".to_owned());
    }
    arg.parse().map_err(|err: OpenError| err.to_string())
}

/// Reads `DOMAIN=ZONE`.
fn parse_zone(arg: &str) -> Result<(DomainName, HostedZoneId), String> {
    let (domain, zone) = arg
        .split_once('=')
        .ok_or_else(|| "needs DOMAIN=ZONE".to_owned())?;
    let domain = domain.parse().map_err(|err: ParseError| err.to_string())?;
    let zone = zone.parse().map_err(|err: ParseError| err.to_string())?;
    Ok((domain, zone))
}

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
    // `--help` on stdout with 0; a usage error on stderr with 2.
    let cli = StoreArgs::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop::Refused) => ExitCode::from(1),
        Err(Stop::Failed(message)) => {
            eprintln!("store: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: StoreArgs) -> Outcome {
    let mut options = StoreOptions::default();
    if let Some(namespace) = cli.namespace {
        options = options.with_namespace(namespace);
    }
    let store = cli
        .database_url
        .open(&options)
        .await
        .map_err(|err| Stop::Failed(chain(&err)))?;
    let catalog = Catalog::open(cli.account, store);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| "the system clock is before 1970".to_owned())?
        .as_secs();
    match cli.command {
        StoreCommand::Admit { files } => admit(&catalog, &files, now).await,
        StoreCommand::Sent { alias, hosted_zone } => {
            sent(&catalog, &alias, hosted_zone.into_iter().collect(), now).await
        }
        StoreCommand::Created {
            alias,
            organization_id,
        } => created(&catalog, &alias, organization_id, now).await,
        StoreCommand::Record { file } => record(&catalog, &file, now).await,
        StoreCommand::Pending { older_than } => {
            // Untouched for SECONDS is `updated_at <= now - SECONDS`, and `pending` takes an
            // exclusive bound: hence the + 1. Zero is every pending entry, even one touched
            // by a process whose clock runs ahead of this one.
            let before = match older_than {
                0 => u64::MAX,
                _ => now.saturating_sub(older_than).saturating_add(1),
            };
            print_pages(|after| catalog.pending(before, after, MAX_PAGE)).await
        }
        StoreCommand::Release { alias } => release(&catalog, &alias, now).await,
        StoreCommand::List => print_pages(|after| catalog.list(None, after, MAX_PAGE)).await,
    }
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
        // The library's reader: a shape error names its JSON path.
        let violations = match spec::read_json(text.as_bytes()) {
            Ok(spec) => match catalog.admit(&spec, now).await {
                Ok(Admission::New(entry) | Admission::AlreadyAdmitted(entry)) => {
                    for advisory in &spec.advisories() {
                        print(&advisory_line(file, advisory))?;
                    }
                    print(&entry_line(&entry))?;
                    continue;
                }
                Err(AdmitError::Rejected(rejection)) => rejection.into_violations(),
                Err(err) => return Err(Stop::Failed(format!("{file}: {}", chain(&err)))),
            },
            Err(ReadError::Invalid(violations)) => violations,
            Err(err) => return Err(Stop::Failed(format!("{file}: {err}"))),
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
async fn by_alias(
    catalog: &StoreCatalog,
    command: &str,
    alias: &OrganizationAlias,
) -> Result<Entry, Stop> {
    match catalog.by_alias(alias).await.map_err(|err| chain(&err))? {
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

async fn sent(
    catalog: &StoreCatalog,
    alias: &OrganizationAlias,
    zones: BTreeMap<DomainName, HostedZoneId>,
    now: u64,
) -> Outcome {
    let entry = by_alias(catalog, "sent", alias).await?;
    let call = match CreateOrganization::with_hosted_zones(entry.spec(), &zones) {
        Ok(call) => call,
        Err(err) => {
            print(&RefusedLine::new("sent", err.to_string()))?;
            return Err(Stop::Refused);
        }
    };
    if let Err(err) = catalog.sent(entry.id(), &call, now).await {
        return settle("sent", Err(err));
    }
    print(&entry_line(&by_alias(catalog, "sent", alias).await?))
}

async fn created(
    catalog: &StoreCatalog,
    alias: &OrganizationAlias,
    id: OrganizationId,
    now: u64,
) -> Outcome {
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

async fn release(catalog: &StoreCatalog, alias: &OrganizationAlias, now: u64) -> Outcome {
    let entry = by_alias(catalog, "release", alias).await?;
    settle(
        "release",
        catalog.release(entry.id(), Release::NothingSent, now).await,
    )
}
