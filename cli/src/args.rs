//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use workmail_org::catalog::LeaseOwner;
use workmail_org::leaving::NewMx;
use workmail_org::{
    AccountId, DomainName, EntityId, HostedZoneId, KmsKeyArn, OrganizationAlias, OrganizationId,
    ParseError, RoleArn, S3BucketName, S3Prefix,
};
use workmail_org_stores::{DatabaseUrl, Namespace, OpenError};

/// What `--help` says after the flags.
#[cfg(not(feature = "kill-points"))]
const AFTER_HELP: &str =
    "Output: one JSON object a line on stdout (cli/README.md has the schema).\n\
     Exit status: 0 done, 1 refused by a rule or by AWS, 2 the command line, a file or the \
     database, 3 AWS unreachable or timed out.";

/// What `--help` says after the flags, in a build that carries the test-only kill points.
#[cfg(feature = "kill-points")]
const AFTER_HELP: &str =
    "Output: one JSON object a line on stdout (cli/README.md has the schema).\n\
     Exit status: 0 done, 1 refused by a rule or by AWS, 2 the command line, a file or the \
     database, 3 AWS unreachable or timed out.\n\
     This build carries the test-only kill points (feature kill-points, WORKMAIL_ORG_KILL_AT).";

/// Provisions Amazon WorkMail organizations, recovers what a crash left, and reports.
#[derive(Debug, Parser)]
#[command(
    name = "workmail-org",
    version,
    about = "Provisions Amazon WorkMail organizations, recovers what a crash left, and reports",
    args_override_self = true,
    disable_help_subcommand = true,
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// Global flags.
    #[command(flatten)]
    pub global: Global,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The flags every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The WorkMail endpoint [default: the SDK's, from the Region]
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The Region of the SDK's configuration [default: the SDK's usual chain]; each call goes
    /// to its organization's own Region
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// The store: sqlite://PATH, postgres://... or postgresql://... (memory: for a dry run);
    /// the migrations run when missing
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "DATABASE_URL",
        hide_env_values = true,
        value_parser = parse_url
    )]
    pub database_url: Option<DatabaseUrl>,
    /// The store's PostgreSQL schema or SQLite table prefix [default: none: the public
    /// schema, no prefix]
    #[arg(long, global = true, value_name = "NAME")]
    pub namespace: Option<Namespace>,
    /// The AWS account whose organizations these are (no STS call is made to find it)
    #[arg(long, global = true, value_name = "ID", env = "WORKMAIL_ORG_ACCOUNT")]
    pub account: Option<AccountId>,
    /// This process's name on the leases it takes [default: HOST/PID/START]
    #[arg(long, global = true, value_name = "NAME")]
    pub owner: Option<LeaseOwner>,
    /// How long a lease on an entry lasts, renewed at half its length while working
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub lease_seconds: u64,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validates, admits, sends CreateOrganization, polls DescribeOrganization until Active
    /// or Failed, and records each spec
    Provision(Provision),
    /// Settles every pending entry of the account that a crash left: releases, resends,
    /// looks up, adopts
    Recover(Recover),
    /// Plans leaving WorkMail for one organization (cutover, exports, deletion, clean-up),
    /// prints the plan, and with --execute runs it, resuming after a kill
    Leave(Box<Leave>),
    /// Prints the account's entries and their stages
    Status {
        /// Only the account's live entry with this alias, in any letter case
        #[arg(value_name = "ALIAS")]
        alias: Option<OrganizationAlias>,
    },
}

/// `provision`'s flags.
#[derive(Debug, Args)]
pub struct Provision {
    /// Organization spec files (JSON, at most 1 MiB each), one organization each
    #[arg(value_name = "SPEC", required = true)]
    pub specs: Vec<PathBuf>,
    /// The hosted zone that registering a new Route 53 domain created (repeatable); a spec
    /// with a new_route53 domain and no zone is refused before admission
    #[arg(long, value_name = "DOMAIN=ZONE", value_parser = parse_zone)]
    pub hosted_zone: Vec<(DomainName, HostedZoneId)>,
    /// Seconds between two DescribeOrganization calls
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, value_parser = parse_interval)]
    pub poll_interval: f64,
    /// Seconds one spec may take, from admission to Active or Failed
    #[arg(long, value_name = "SECONDS", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// How many specs run at once
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub parallel: u16,
}

/// `recover`'s flags.
#[derive(Debug, Args)]
pub struct Recover {
    /// Only entries untouched for at least this long
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub older_than: u64,
    /// How long after an entry's last send a lookup that finds nothing may release it
    #[arg(long, value_name = "SECONDS", default_value_t = workmail_org::catalog::DEFAULT_MIN_AGE)]
    pub min_age: u64,
}

/// `leave`'s flags.
#[derive(Debug, Args)]
pub struct Leave {
    /// The organization to leave
    #[arg(value_name = "ORGANIZATION_ID", value_parser = parse_organization)]
    pub organization_id: OrganizationId,
    /// The S3 bucket the mailboxes are exported to
    #[arg(long, value_name = "BUCKET", value_parser = parse_id::<S3BucketName>)]
    pub bucket: S3BucketName,
    /// The S3 prefix of the exports
    #[arg(long, value_name = "PREFIX", value_parser = parse_id::<S3Prefix>)]
    pub prefix: S3Prefix,
    /// The symmetric KMS key the exports are encrypted with
    #[arg(long, value_name = "ARN", value_parser = parse_id::<KmsKeyArn>)]
    pub kms_key_arn: KmsKeyArn,
    /// The IAM role WorkMail assumes to write the exports
    #[arg(long, value_name = "ARN", value_parser = parse_id::<RoleArn>)]
    pub role_arn: RoleArn,
    /// One MX record of the new provider, `PREFERENCE HOST` (repeatable; at least one)
    #[arg(long, value_name = "MX", required = true)]
    pub mx: Vec<NewMx>,
    /// The new provider's autodiscover target [default: WorkMail's autodiscover CNAME is
    /// removed]
    #[arg(long, value_name = "HOST", value_parser = parse_id::<DomainName>)]
    pub autodiscover: Option<DomainName>,
    /// A domain in Route 53, and its hosted zone (repeatable) [default: the zone in the store's
    /// entry, for an organization this tool created]
    #[arg(long, value_name = "DOMAIN=ZONE", value_parser = parse_zone)]
    pub hosted_zone: Vec<(DomainName, HostedZoneId)>,
    /// Each domain's DNS records now (at most 8 MiB): a JSON object from domain to its
    /// Route 53 ListResourceRecordSets answer (an object, or an array of pages) or to its
    /// zone-file lines (a string)
    #[arg(long, value_name = "FILE")]
    pub records: Option<PathBuf>,
    /// How many export jobs run at once
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u8).range(1..=100))]
    pub concurrency: u8,
    /// How many attempts a mailbox's export gets before it is reported failed
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u8).range(1..=10))]
    pub max_attempts: u8,
    /// Deletes the directory with the organization, when its type is one the tool knows
    #[arg(long)]
    pub delete_directory: bool,
    /// With --delete-directory: deletes it whatever its type
    #[arg(long, requires = "delete_directory")]
    pub delete_any_directory_type: bool,
    /// Seconds to wait once the new MX answers, in place of the old MX record's TTL
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(0..=604_800))]
    pub cutover_wait: Option<u64>,
    /// Resolver answers to use instead of DNS (tests): a JSON object from domain to record
    /// type to answers, e.g. {"acme.example": {"MX": ["10 mx.new.example."]}}
    #[arg(long, value_name = "FILE")]
    pub dns_answers: Option<PathBuf>,
    /// A mailbox whose failed export is accepted: the organization is deleted without it
    /// (repeatable; by entity id)
    #[arg(long, value_name = "ENTITY_ID", value_parser = parse_id::<EntityId>)]
    pub accept_failure: Vec<EntityId>,
    /// The plan's output: text or json
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
    /// Runs the plan (else it is only printed)
    #[arg(long)]
    pub execute: bool,
    /// Seconds between two polls of export jobs or of the deletion
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, value_parser = parse_interval)]
    pub poll_interval: f64,
    /// Seconds one run may take before it stops (exit 3; run it again to resume)
    #[arg(long, value_name = "SECONDS", default_value_t = 3600,
          value_parser = clap::value_parser!(u64).range(1..=604_800))]
    pub timeout: u64,
}

fn parse_organization(arg: &str) -> Result<OrganizationId, String> {
    arg.parse().map_err(|err: ParseError| err.to_string())
}

fn parse_id<T: std::str::FromStr<Err = ParseError>>(arg: &str) -> Result<T, String> {
    arg.parse().map_err(|err: ParseError| err.to_string())
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

/// A poll interval: 0 to 3600 seconds, fractions allowed.
fn parse_interval(arg: &str) -> Result<f64, String> {
    let seconds: f64 = arg
        .parse()
        .map_err(|_| format!("\"{arg}\" is not a number of seconds"))?;
    if !(0.0..=3600.0).contains(&seconds) {
        return Err(format!("{seconds} is not between 0 and 3600 seconds"));
    }
    Ok(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_hosted_zone_needs_a_domain_and_a_zone() {
        let (domain, zone) = parse_zone("acme-news.net=Z111111QQQQQQQ").unwrap();
        assert_eq!(
            (domain.as_str(), zone.as_str()),
            ("acme-news.net", "Z111111QQQQQQQ")
        );
        assert_eq!(
            parse_zone("acme-news.net").unwrap_err(),
            "needs DOMAIN=ZONE"
        );
        assert!(parse_zone("acme_news=Z111111QQQQQQQ").is_err());
        assert!(parse_zone("acme-news.net=zone id").is_err());
    }

    #[test]
    fn a_poll_interval_is_0_to_3600_seconds() {
        assert_eq!(parse_interval("0.05"), Ok(0.05));
        assert_eq!(parse_interval("0"), Ok(0.0));
        assert_eq!(
            parse_interval("-1"),
            Err("-1 is not between 0 and 3600 seconds".to_owned())
        );
        assert_eq!(
            parse_interval("NaN"),
            Err("NaN is not between 0 and 3600 seconds".to_owned())
        );
        assert_eq!(
            parse_interval("soon"),
            Err("\"soon\" is not a number of seconds".to_owned())
        );
    }

    #[test]
    fn an_empty_database_url_is_named() {
        assert_eq!(
            parse_url("").unwrap_err(),
            "no database URL: give --database-url or a non-empty DATABASE_URL"
        );
    }
}
