//! Prints the provisioning plan of an organization spec: every AWS call, in order, from
//! registering new domains to making the chosen domain the default.
//!
//! ```sh
//! cargo run --example plan -- examples/specs/valid-full.json                # for people
//! cargo run --example plan -- --format json examples/specs/valid-full.json  # as JSON
//! cargo run --example plan -- --zone acme.org examples/specs/valid-full.json
//! cargo run --example plan -- --zone acme.org --mail-domain get-mail-domain.json SPEC.json
//! ```
//!
//! `--zone DOMAIN` prints only the BIND zone-file lines of one of the spec's domains, ready to
//! append to its zone. `--mail-domain FILE` supplies the `GetMailDomain` response (its JSON)
//! that holds the domain's tokens; without it only the records that need no token are
//! printed, and a `;` comment names the records that wait for the tokens. Differences between
//! what AWS lists and what this crate derives go to standard error as `;` comments.
//!
//! Exit status: 0 printed; 1 the spec breaks a rule (its violations on stdout, one JSON line
//! each, as the `validate` example prints them); 2 a file cannot be read or is not of its
//! shape (one line on stderr), or the command line is wrong (clap's error and the usage on
//! stderr; `--help` prints every flag and its default, and exits 0).

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use serde::Serialize;
use workmail_org::aws::GetMailDomainResponse;
use workmail_org::dns::RequiredRecords;
use workmail_org::plan::{Input, Plan};
use workmail_org::spec::{read_json, ReadError};
use workmail_org::{AwsErrorCode, DomainName, OrganizationSpec, Violation};

/// The most bytes read from one file: a spec or a `GetMailDomain` response is a few KB.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// The command line, as clap reads it.
#[derive(Debug, Parser)]
#[command(
    name = "plan",
    about = "Prints the provisioning plan of an organization spec: every AWS call, in order",
    override_usage = "plan [--format text|json] [--zone DOMAIN [--mail-domain FILE]] SPEC",
    args_override_self = true,
    after_help = "Exit status: 0 printed, 1 the spec breaks a rule (its violations on stdout), \
                  2 a file cannot be read or is not of its shape, or the command line is wrong."
)]
struct PlanArgs {
    /// How the plan is printed: numbered steps for people, or JSON
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Print only the BIND zone-file lines of this domain of the spec
    #[arg(long, value_name = "DOMAIN", value_parser = parse_domain, allow_hyphen_values = true)]
    zone: Option<DomainName>,
    /// The GetMailDomain response (JSON) that holds the domain's tokens, for --zone
    #[arg(long, value_name = "FILE", requires = "zone")]
    mail_domain: Option<String>,
    /// The organization spec (JSON)
    #[arg(value_name = "SPEC")]
    spec: String,
}

/// How the plan is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    // No doc comments here: clap would print the long help for them.
    Text,
    Json,
}

/// Reads `--zone DOMAIN`.
fn parse_domain(arg: &str) -> Result<DomainName, String> {
    arg.parse()
        .map_err(|err: workmail_org::ParseError| err.to_string())
}

/// Why the tool stopped before printing: exit 2, with one line for stderr.
struct Stopped(String);

/// Reads at most [`MAX_FILE_BYTES`] of a file, refusing a larger one.
fn read(file: &str) -> Result<String, Stopped> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_string(&mut text))
        .map_err(|err| Stopped(format!("{file}: cannot read: {err}")))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(Stopped(format!(
            "{file}: larger than {MAX_FILE_BYTES} bytes, which no spec or response is"
        )));
    }
    Ok(text)
}

/// One violation, as the `validate` example prints it.
#[derive(Serialize)]
struct FindingLine<'a> {
    file: &'a str,
    severity: &'static str,
    path: String,
    code: AwsErrorCode,
    rule: &'a str,
    message: &'a str,
}

fn finding_line(file: &str, violation: &Violation) -> String {
    serde_json::to_string(&FindingLine {
        file,
        severity: "error",
        path: violation.path().to_string(),
        code: violation.code(),
        rule: violation.rule().id(),
        message: violation.message(),
    })
    .unwrap_or_default()
}

/// The plan for people: one numbered block per step.
fn describe(plan: &Plan) -> String {
    let spec = plan.spec();
    let mut out = format!(
        "Plan for organization \"{}\" in {} ({} steps)\n",
        spec.alias(),
        plan.region(),
        plan.steps().len()
    );
    for (index, step) in plan.steps().iter().enumerate() {
        out.push_str(&format!("\n{index:>2}. {}\n", step.kind()));
        if let Some(call) = step.kind().call() {
            out.push_str(&format!("    call: {call}\n"));
        }
        for (name, input) in step.inputs() {
            let source = match input {
                Input::Value { value } => value.clone(),
                Input::Request { request } => serde_json::to_string(request).unwrap_or_default(),
                Input::FromStep { step, output } => format!("the {output:?} of step {step}"),
                Input::Resolved { output } => format!("{output:?}"),
                Input::FromCaller { what } => format!("supplied by you: {what}"),
                other => format!("{other:?}"),
            };
            out.push_str(&format!("    {name}: {source}\n"));
        }
        out.push_str(&format!("    done when: {}\n", step.kind().done_when()));
    }
    out
}

/// The zone-file lines of one of the spec's domains.
fn zone(
    spec: &OrganizationSpec,
    domain: &DomainName,
    mail_domain: Option<&str>,
    stderr: &mut dyn Write,
) -> Result<String, Stopped> {
    if !spec.user_domains().any(|(_, name)| name == domain) {
        return Err(Stopped(format!(
            "--zone: \"{domain}\" is not one of the spec's domains"
        )));
    }
    let Some(file) = mail_domain else {
        let records = RequiredRecords::without_tokens(domain, spec.region());
        let mut out = records.to_zone_snippet();
        out.push_str(&format!(
            "; waiting for tokens: the ownership TXT at _amazonses.{domain} and the DKIM CNAMEs \
             at TOKEN._domainkey.{domain}; run again with --mail-domain FILE (the GetMailDomain response)\n"
        ));
        return Ok(out);
    };
    let response: GetMailDomainResponse = serde_json::from_str(&read(file)?)
        .map_err(|err| Stopped(format!("{file}: not a GetMailDomain response: {err}")))?;
    let listed = response
        .listed_records(domain, spec.region())
        .map_err(|err| Stopped(format!("{file}: {err}")))?;
    for difference in listed.differences() {
        let _ = writeln!(stderr, "; {difference}");
    }
    Ok(listed.into_required().to_zone_snippet())
}

/// The whole tool, on explicit streams: returns the exit status.
pub(crate) fn run(
    args: impl Iterator<Item = String>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let args = match PlanArgs::try_parse_from(std::iter::once("plan".to_owned()).chain(args)) {
        Ok(args) => args,
        // `--help` on stdout with 0; a usage error on stderr with 2.
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
    let result = (|| {
        let text = read(&args.spec)?;
        let spec = match read_json(text.as_bytes()) {
            Ok(spec) => spec,
            Err(ReadError::Invalid(violations)) => {
                for violation in &violations {
                    let _ = writeln!(stdout, "{}", finding_line(&args.spec, violation));
                }
                return Ok(1);
            }
            Err(err) => {
                return Err(Stopped(format!(
                    "{}: not an organization spec: {err}",
                    args.spec
                )))
            }
        };
        let output = match &args.zone {
            Some(domain) => zone(&spec, domain, args.mail_domain.as_deref(), stderr)?,
            None if args.format == Format::Json => {
                let mut json = serde_json::to_string_pretty(&Plan::new(&spec))
                    .map_err(|err| Stopped(err.to_string()))?;
                json.push('\n');
                json
            }
            None => describe(&Plan::new(&spec)),
        };
        let _ = stdout.write_all(output.as_bytes());
        Ok(0)
    })();
    result.unwrap_or_else(|Stopped(message)| {
        let _ = writeln!(stderr, "{message}");
        2
    })
}

fn main() -> ExitCode {
    ExitCode::from(run(
        std::env::args().skip(1),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    ))
}
