//! # `workmail-org`: provision, recover, report and leave WorkMail organizations
//!
//! One command line for the whole job that a service otherwise writes itself: validate a
//! spec, admit it into the account's store, record the `CreateOrganization` request, send it,
//! apply the answer, poll `DescribeOrganization` until `Active` or `Failed`, record it, and
//! after a crash settle what was left. It is built on the `workmail-org` catalog (its
//! creation stages, leases and recovery) and the `workmail-org-stores` member's SQLite and
//! PostgreSQL stores.
//!
//! ```sh
//! export DATABASE_URL=postgresql://app@/orgs?host=/run/postgresql WORKMAIL_ORG_ACCOUNT=111122223333
//! workmail-org provision examples/specs/valid-minimal.json
//! workmail-org recover --older-than 600
//! workmail-org status acme-min
//! ```
//!
//! # Configuration
//! The SDK's usual, through `aws-config`: the Region, credentials and profile.
//! `--endpoint-url` and `--region` point it at a local endpoint. `--database-url` (else
//! `DATABASE_URL`) is the store: `sqlite://PATH`, `postgres://...`, or `memory:`, with `--namespace NAME` for a PostgreSQL
//! schema or an SQLite table prefix. `--account`
//! (else `WORKMAIL_ORG_ACCOUNT`) is required: the store is per account, and the tool makes
//! no STS call. `--owner` names this process on its leases (default `HOST/PID/START`);
//! `--lease-seconds` is a lease's length (60), renewed at half of it. Each call goes to its
//! organization's own Region, the spec's.
//!
//! # Commands
//! - `provision SPEC... [--hosted-zone DOMAIN=ZONE]... [--poll-interval S] [--timeout S]
//!   [--parallel N]`: every file is read (at most 1 MiB) and validated first; a
//!   `new_route53` domain without its `--hosted-zone` stops the command with 2 before anything
//!   is admitted. Then each spec, one after another or `N` at once: admit, lease, `sent`,
//!   `CreateOrganization` (the entry's client token on every send), the answer applied
//!   (created, released on a first send's refusal, or a `ListOrganizations` lookup, with a
//!   resend at least a second apart while it is too soon to decide), `DescribeOrganization`
//!   polled and recorded until `Active` (exit 0) or `Failed` (exit 1), within `--timeout`
//!   seconds (else 3, the entry left for `recover`). A spec with a client token already admitted resumes where it stopped.
//! - `recover [--older-than S] [--min-age S]`: each entry still `reserved` or `sent` and
//!   untouched for `--older-than` seconds (300), under a lease: a live lease of another
//!   process is skipped, an expired one taken over. `reserved`: released (nothing was sent).
//!   `sent`: resent with its token and the answer applied; an answer that does not say goes
//!   to the lookup, which adopts the organization holding the alias or, once the last send is
//!   `--min-age` old (300), releases the entry on the evidence that none does. Then each
//!   entry whose organization is still being created (`created` without a snapshot, or last
//!   seen `Requested`, `Creating` or `Validating`: a crash while polling), untouched as long:
//!   one `DescribeOrganization`, recorded. Safe from several processes at once.
//! - `status [ALIAS]`: the account's entries, or its live entry with that alias.
//! - `leave ORGANIZATION_ID --bucket B --prefix P --kms-key-arn K --role-arn R --mx MX...`:
//!   the library's leaving plan, printed (`--format text|json`), and with `--execute` run,
//!   its progress stored under a lease so the same command resumes; see `cli/README.md`.
//!
//! # Output
//! One JSON object a line on stdout, its first key `event`:
//! - `"step"`: a step done on an entry: `step` (`admitted`, `already_admitted`, `sent`,
//!   `resent`, `created`, `lookup`, `adopted`, `released`, `not_sent`, `too_soon`, `recorded`,
//!   `done`, `timed_out`, `skipped`, `taken_over`), then the entry: `id`, `alias`, `account`,
//!   `region`, `stage` (`reserved`, `sent`, `created`, `recorded`), `organization_id` and
//!   `state` (`null` until known), `sends`, and `detail` (words, when there is more to say).
//!   `leave`'s steps name the organization instead (`organization_id`, `step`, `detail`):
//!   `leased`, `cutover`, `mx_seen`, `export_started`, `export_throttled`, `export_ended`,
//!   `failures_accepted`, `delete_sent`, `deleted`, `store_recorded`, `cleanup`, `done`;
//! - `"entry"`: `status`'s line: the same keys without `step` and `detail`;
//! - `"finding"`: `file` and `alias` (when known), `severity` (`error` or `advisory`),
//!   `path` (the spec's field, `""` for the whole), `code` (an AWS error code, an exception
//!   name AWS answered, or the tool's: `Malformed`, `TooLarge`, `Conflict`, `NotFound`,
//!   `Busy`, `StoreFailed`, `Unreachable`, `TimedOut`, `Unresolved`, `Usage`, `Failed`),
//!   `rule` (a rule id, or `null`), `message`.
//!
//! A refusal names no other account, entry or organization: the catalog keeps holders for
//! the operator.
//!
//! # Exit status
//! 0 done; 1 refused, by a rule or by AWS (or an entry left pending for an operator); 2 the
//! command line, a file, or the database; 3 AWS unreachable, or timed out. Over several
//! specs or entries, the highest.
//!
//! # Features
//! - `kill-points` (test only, off by default): `WORKMAIL_ORG_KILL_AT=STEP` stops the process
//!   at a named step for a test to kill it (steps `admitted`, `sent`, `called`, `polling`;
//!   `leave`'s are in `cli/README.md`).
//!   Without the feature the variable is never read; `--help` says when a build has them.
//!
//! # What it does not do
//! It does not register new Route 53 domains (give the zone with `--hosted-zone`), publish
//! or change DNS records (`leave` prints its changes for the operator), or set the default
//! domain; it deletes an organization only through `leave`. `recover` does not wait for
//! an organization still being created: it records one snapshot a run (`provision` of the
//! same spec with its client token polls it to the end).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod args;
mod aws;
mod job;
mod kill;
mod leave;
mod output;
mod provision;
mod recover;
mod status;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use workmail_org::Catalog;
use workmail_org_stores::StoreOptions;

use args::{Cli, Command};
use output::Exit;

/// The whole tool: reads the command line, runs the command, and gives the exit status.
///
/// The `workmail-org` binary is this function; the crate is a library only so that its
/// docs sit apart from the `workmail-org` library's (a binary named `workmail-org` would
/// document itself as the crate `workmail_org`).
pub fn main() -> ExitCode {
    // `--help` on stdout with 0; a usage error on stderr with 2.
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("workmail-org: cannot start the async runtime: {err}");
            return Exit::Usage.into();
        }
    };
    runtime.block_on(run(cli)).into()
}

async fn run(cli: Cli) -> Exit {
    let global = cli.global;
    let Some(account) = global.account.clone() else {
        eprintln!("workmail-org: no account: give --account ID or WORKMAIL_ORG_ACCOUNT");
        return Exit::Usage;
    };
    let Some(url) = global.database_url.clone() else {
        eprintln!("workmail-org: no database: give --database-url URL or DATABASE_URL");
        return Exit::Usage;
    };
    let mut options = StoreOptions::default();
    if let Some(namespace) = global.namespace.clone() {
        options = options.with_namespace(namespace);
    }
    let store = match url.open(&options).await {
        Ok(store) => store,
        Err(err) => {
            eprintln!("workmail-org: {}", aws::chain(&err));
            return Exit::Usage;
        }
    };
    let owner = global.owner.clone().unwrap_or_else(job::default_owner);
    let catalog = Catalog::open(account, Arc::new(store)).with_owner(owner);
    if let Command::Status { alias } = cli.command {
        return status::run(&catalog, alias).await;
    }
    let job = job::Job {
        catalog,
        aws: aws::Aws::load(&global).await,
        lease_seconds: global.lease_seconds,
    };
    match cli.command {
        Command::Provision(args) => provision::run(job, args).await,
        Command::Recover(args) => recover::run(job, args).await,
        Command::Leave(args) => {
            let region = global.region.as_deref().and_then(|r| r.parse().ok());
            leave::run(job, *args, region).await
        }
        Command::Status { .. } => Exit::Done,
    }
}
