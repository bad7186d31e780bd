//! `provision SPEC...`: validate, admit, send, poll, record.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use workmail_org::aws::CreateOrganization;
use workmail_org::catalog::{Admission, AdmitError, Entry, Stage};
use workmail_org::lifecycle::OrganizationState;
use workmail_org::spec::{self, EmailDomain, ReadError};
use workmail_org::{DomainName, HostedZoneId, OrganizationSpec};
use workmail_org::{Finding, FindingCode};

use crate::args::Provision;
use crate::job::{about, call_failed, catalog_failed, now, Job, Settled, TooSoon};
use crate::kill;
use crate::output::{self, About, Exit};

/// A spec read and checked, ready to admit.
struct Ready {
    file: String,
    spec: OrganizationSpec,
    call: CreateOrganization,
}

/// The least time between two sends of one request: a resend after an answer that did not
/// say waits at least this long, whatever `--poll-interval` is.
const MIN_RESEND_INTERVAL: Duration = Duration::from_secs(1);

/// How long to wait, and until when.
#[derive(Clone, Copy)]
struct Pace {
    interval: Duration,
    timeout: Duration,
}

/// Runs `provision`.
pub async fn run(job: Job, args: Provision) -> Exit {
    let zones: BTreeMap<DomainName, HostedZoneId> = args.hosted_zone.into_iter().collect();
    let mut worst = Exit::Done;
    let mut ready = Vec::new();
    let mut used = Vec::new();
    // Every file is read and checked before anything is admitted: a file or a missing zone
    // stops the command with 2, before admission.
    for path in &args.specs {
        let file = path.display().to_string();
        let about = About {
            file: Some(&file),
            alias: None,
        };
        let body = match read_spec(path) {
            Ok(body) => body,
            Err(finding) => {
                output::finding(about, &finding);
                worst = worst.max(Exit::Usage);
                continue;
            }
        };
        // The library's reader: the size bound, a byte order mark, UTF-8, a shape error named
        // by its JSON path, and every violation.
        let spec = match spec::read_json(&body) {
            Ok(spec) => spec,
            Err(ReadError::Invalid(violations)) => {
                for violation in violations.iter() {
                    output::violation(about, violation);
                }
                worst = worst.max(Exit::Refused);
                continue;
            }
            Err(err) => {
                for finding in err.findings() {
                    output::finding(about, &finding);
                }
                worst = worst.max(Exit::Usage);
                continue;
            }
        };
        let about = About {
            file: Some(&file),
            alias: Some(spec.alias().as_str()),
        };
        let mine: BTreeMap<DomainName, HostedZoneId> = spec
            .domains()
            .iter()
            .filter_map(|domain| match domain {
                EmailDomain::NewRoute53 { name } => {
                    zones.get(name).map(|zone| (name.clone(), zone.clone()))
                }
                _ => None,
            })
            .collect();
        used.extend(mine.keys().cloned());
        match CreateOrganization::with_hosted_zones(&spec, &mine) {
            Ok(call) => ready.push(Ready { file, spec, call }),
            Err(err) => {
                match err.violations() {
                    Some(violations) => {
                        for violation in violations.iter() {
                            output::violation(about, violation);
                        }
                    }
                    None => output::error(about, "Usage", &err.to_string()),
                }
                worst = worst.max(Exit::Usage);
            }
        }
    }
    for domain in zones.keys().filter(|domain| !used.contains(domain)) {
        output::error(
            About::default(),
            "Usage",
            &format!(
                "--hosted-zone {domain}=...: no spec has \"{domain}\" as a new Route 53 domain"
            ),
        );
        worst = worst.max(Exit::Usage);
    }
    if worst >= Exit::Usage {
        return worst;
    }
    for advisory in ready.iter().flat_map(|r| {
        let file = r.file.as_str();
        r.spec.advisories().into_iter().map(move |a| (file, a))
    }) {
        let (file, advisory) = advisory;
        output::advisory(
            About {
                file: Some(file),
                alias: None,
            },
            &advisory,
        );
    }
    let pace = Pace {
        interval: Duration::from_secs_f64(args.poll_interval),
        timeout: Duration::from_secs(args.timeout),
    };
    let permits = Arc::new(Semaphore::new(usize::from(args.parallel)));
    let mut tasks = JoinSet::new();
    for ready in ready {
        let (job, permits) = (job.clone(), permits.clone());
        let Ok(permit) = permits.acquire_owned().await else {
            break;
        };
        tasks.spawn(async move {
            let exit = one(&job, &ready, pace).await;
            drop(permit);
            exit
        });
        // One at a time without --parallel: each spec ends before the next starts.
        if args.parallel == 1 {
            if let Some(done) = tasks.join_next().await {
                worst = worst.max(done.unwrap_or(Exit::Usage));
            }
        }
    }
    while let Some(done) = tasks.join_next().await {
        worst = worst.max(done.unwrap_or(Exit::Usage));
    }
    worst
}

/// Reads a spec file: at most one byte more than [`spec::MAX_BODY_BYTES`], so that
/// [`spec::read_json`] refuses a longer one without the rest being read.
fn read_spec(path: &Path) -> Result<Vec<u8>, Finding> {
    let mut body = Vec::new();
    let limit = spec::MAX_BODY_BYTES as u64 + 1;
    std::fs::File::open(path)
        .and_then(|opened| opened.take(limit).read_to_end(&mut body))
        .map_err(|err| Finding::new(FindingCode::Malformed, format!("cannot read: {err}")))?;
    Ok(body)
}

/// Provisions one spec, from admission to `Active` or `Failed`.
async fn one(job: &Job, ready: &Ready, pace: Pace) -> Exit {
    let deadline = Instant::now() + pace.timeout;
    let file = ready.file.as_str();
    let about_file = About {
        file: Some(file),
        alias: Some(ready.spec.alias().as_str()),
    };
    let entry = match job.catalog.admit(&ready.spec, now()).await {
        Ok(Admission::New(entry)) => {
            output::step("admitted", &entry, None);
            entry
        }
        Ok(Admission::AlreadyAdmitted(entry)) => {
            output::step(
                "already_admitted",
                &entry,
                Some("the same spec and client token: the same request, resumed".to_owned()),
            );
            entry
        }
        Err(AdmitError::Rejected(rejection)) => {
            for violation in rejection.violations().iter() {
                output::violation(about_file, violation);
            }
            return Exit::Refused;
        }
        Err(err) => {
            output::error(about_file, "StoreFailed", &crate::aws::chain(&err));
            return Exit::Usage;
        }
    };
    kill::point("admitted");
    let entry = match job.renew(&entry).await {
        Ok(entry) => entry,
        Err(exit) => return exit,
    };
    let exit = drive(job, entry.clone(), &ready.call, pace, deadline).await;
    job.unlease(&entry).await;
    exit
}

/// Sends until the organization id is known, then polls.
async fn drive(
    job: &Job,
    mut entry: Entry,
    call: &CreateOrganization,
    pace: Pace,
    deadline: Instant,
) -> Exit {
    let mut renewed = Instant::now();
    loop {
        let first = match entry.stage() {
            Stage::Reserved => Some(call),
            Stage::Sent => None,
            _ => break,
        };
        let settled = match job
            .send(
                &entry,
                first,
                workmail_org::catalog::DEFAULT_MIN_AGE,
                TooSoon::SendAgain,
            )
            .await
        {
            Ok(settled) => settled,
            Err(exit) => return exit,
        };
        match settled {
            Settled::Created(created) => entry = created,
            Settled::Ended(exit) => return exit,
            Settled::Again(again) => {
                let wait = pace.interval.max(MIN_RESEND_INTERVAL);
                if Instant::now() + wait >= deadline {
                    return timed_out(&again, "no answer said whether the organization was made");
                }
                tokio::time::sleep(wait).await;
                entry = match renew_if_due(job, &again, &mut renewed).await {
                    Ok(entry) => entry,
                    Err(exit) => return exit,
                };
            }
        }
    }
    poll(job, entry, pace, deadline, renewed).await
}

/// Renews the lease once half of it has passed.
async fn renew_if_due(job: &Job, entry: &Entry, renewed: &mut Instant) -> Result<Entry, Exit> {
    if renewed.elapsed() >= Duration::from_secs(job.lease_seconds) / 2 {
        let entry = job.renew(entry).await?;
        *renewed = Instant::now();
        return Ok(entry);
    }
    Ok(entry.clone())
}

fn timed_out(entry: &Entry, why: &str) -> Exit {
    output::step("timed_out", entry, Some(why.to_owned()));
    output::error(
        about(entry),
        "TimedOut",
        &format!(
            "\"{}\" did not settle within --timeout: {why}; the entry stays {}, for `recover` or a later `provision`",
            entry.alias(),
            entry.stage()
        ),
    );
    Exit::Unreachable
}

/// Polls `DescribeOrganization` and records each snapshot until `Active` or `Failed`.
async fn poll(
    job: &Job,
    mut entry: Entry,
    pace: Pace,
    deadline: Instant,
    mut renewed: Instant,
) -> Exit {
    let Some(id) = entry.organization_id().cloned() else {
        return Exit::Refused;
    };
    let mut first = true;
    loop {
        if let Some(state) = entry.organization().and_then(|org| org.state().known()) {
            match state {
                OrganizationState::Active => {
                    output::step("done", &entry, None);
                    return Exit::Done;
                }
                OrganizationState::Failed
                | OrganizationState::Deleting
                | OrganizationState::Deleted => {
                    let message = entry
                        .organization()
                        .and_then(|org| org.error_message())
                        .unwrap_or("no error message")
                        .to_owned();
                    output::error(
                        about(&entry),
                        state.as_str(),
                        &format!("organization \"{}\" is {state}: {message}", entry.alias()),
                    );
                    return Exit::Refused;
                }
                _ => {}
            }
        }
        if !first {
            if Instant::now() + pace.interval >= deadline {
                return timed_out(&entry, "the organization is not Active or Failed yet");
            }
            tokio::time::sleep(pace.interval).await;
        }
        entry = match renew_if_due(job, &entry, &mut renewed).await {
            Ok(entry) => entry,
            Err(exit) => return exit,
        };
        let organization = match job.aws.describe(entry.region(), &id).await {
            Ok(organization) => organization,
            Err(err @ crate::aws::CallError::Refused { .. }) => {
                return call_failed(about(&entry), &err)
            }
            Err(err) => {
                if Instant::now() + pace.interval >= deadline {
                    return call_failed(about(&entry), &err);
                }
                first = false;
                continue;
            }
        };
        entry = match job.catalog.record(&organization, now()).await {
            Ok(entry) => entry,
            Err(err) => return catalog_failed(about(&entry), &err),
        };
        output::step("recorded", &entry, None);
        if first {
            kill::point("polling");
            first = false;
        }
    }
}
