//! `leave ORGANIZATION_ID ...`: the leaving plan of the library, printed, and with
//! `--execute` run against WorkMail, its progress kept in the store under a lease.
//!
//! The tool makes no DNS change itself: the cutover and clean-up changes (Route 53 change
//! batches, zone-file lines) are printed as `cutover` and `cleanup` steps for the operator to
//! apply, and the plan waits on what a resolver answers (hickory-resolver, or `--dns-answers`
//! in tests), which is what the guard checks.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use workmail_org::aws::Organization;
use workmail_org::catalog::PlanError;
use workmail_org::dns::ObservedRecord;
use workmail_org::leaving::{
    Destination, DirectoryFate, DomainDns, DomainInput, Leaving, LeavingInputs, LeavingPlan, Next,
    Options, Refusal,
};
use workmail_org::lifecycle::OrganizationState;
use workmail_org::{DomainName, HostedZoneId, OrganizationId, Region};

use crate::args::Leave;
use crate::aws::{bounded, chain, CallError};
use crate::job::{call_failed, now, Job};
use crate::kill;
use crate::output::{self, About, Exit};

/// The most bytes of `--records` and `--dns-answers`.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Runs `leave`.
pub async fn run(job: Job, args: Leave, region: Option<Region>) -> Exit {
    let Some(region) = region else {
        output::error(
            About::default(),
            "Usage",
            "leave needs --region: the organization's",
        );
        return Exit::Usage;
    };
    let about = About::default();
    let records = match args.records.as_deref().map(read_json).transpose() {
        Ok(records) => records.unwrap_or(Value::Object(Default::default())),
        Err(message) => {
            output::error(about, "Usage", &message);
            return Exit::Usage;
        }
    };
    let answers = match args.dns_answers.as_deref().map(read_json).transpose() {
        Ok(answers) => answers,
        Err(message) => {
            output::error(about, "Usage", &message);
            return Exit::Usage;
        }
    };
    let id = args.organization_id.clone();
    // A plan already stored (a run killed, or stopped by a guard) is resumed as it is.
    let stored = match job.catalog.leaving(&id).await {
        Ok(stored) => stored.map(|(leaving, _)| leaving),
        Err(err) => return plan_failed(&err),
    };
    let leaving = match stored {
        Some(leaving) => leaving,
        None => match build(&job, &args, region, &records).await {
            Ok(plan) => Leaving::new(plan),
            Err(exit) => return exit,
        },
    };
    if !args.execute {
        if args.format == "json" {
            output::print(leaving.plan());
        } else {
            println!("{}", leaving.plan());
        }
        return Exit::Done;
    }
    execute(&job, &args, region, leaving, answers.as_ref()).await
}

fn read_json(path: &Path) -> Result<Value, String> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|err| format!("{shown}: {err}"))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!("{shown}: larger than {MAX_FILE_BYTES} bytes"));
    }
    let text = std::fs::read_to_string(path).map_err(|err| format!("{shown}: {err}"))?;
    serde_json::from_str(&text).map_err(|err| format!("{shown}: not JSON: {err}"))
}

/// Reads the organization from AWS and makes its plan.
async fn build(
    job: &Job,
    args: &Leave,
    region: Region,
    records: &Value,
) -> Result<LeavingPlan, Exit> {
    let about = About::default();
    let id = &args.organization_id;
    let failed = |err: CallError| call_failed(about, &err);
    let organization = job.aws.describe(region, id).await.map_err(failed)?;
    let users = job.aws.users(region, id).await.map_err(failed)?;
    let resources = job.aws.resources(region, id).await.map_err(failed)?;
    let domains = job.aws.domains(region, id).await.map_err(failed)?;
    // The store's entry knows the zones of the organizations created through it; a
    // `--hosted-zone` wins.
    let entry = match job.catalog.by_organization_id(id).await {
        Ok(entry) => entry,
        Err(err) => return Err(crate::job::catalog_failed(about, &err.into())),
    };
    let mut zones: BTreeMap<DomainName, HostedZoneId> = BTreeMap::new();
    if let Some(entry) = &entry {
        for domain in entry.spec().domains() {
            if let (Some(name), Some(zone)) = (domain.name(), domain.hosted_zone_id()) {
                zones.insert(name.clone(), zone.clone());
            }
        }
    }
    zones.extend(args.hosted_zone.iter().cloned());
    let mut inputs = Vec::with_capacity(domains.len());
    for (name, mail_domain) in domains {
        let dns = if mail_domain.is_test_domain() {
            DomainDns::none()
        } else {
            let given = records.get(name.as_str());
            let read = match (given, zones.get(&name)) {
                (Some(Value::String(lines)), _) => DomainDns::zone_lines(lines),
                (Some(json), Some(zone)) => DomainDns::route53(zone.clone(), &json.to_string()),
                (Some(_), None) => {
                    return Err(usage(&format!(
                        "{name}: Route 53 records need its zone: give --hosted-zone {name}=ZONE"
                    )))
                }
                (None, _) => {
                    return Err(usage(&format!(
                        "{name}: no records: give the domain's records in --records"
                    )))
                }
            };
            read.map_err(|err| usage(&format!("{name}: {err}")))?
        };
        inputs.push(DomainInput::new(name, mail_domain, dns));
    }
    let destination = Destination::new(
        args.bucket.clone(),
        args.prefix.clone(),
        args.kms_key_arn.clone(),
        args.role_arn.clone(),
        args.mx.clone(),
    )
    .map_err(|err| usage(&err.to_string()))?;
    let destination = match &args.autodiscover {
        Some(target) => destination.with_autodiscover(target.clone()),
        None => destination,
    };
    let in_store = entry.is_some();
    let fate = match (args.delete_directory, args.delete_any_directory_type) {
        (false, _) => DirectoryFate::Keep,
        (true, false) => DirectoryFate::Delete,
        (true, true) => DirectoryFate::DeleteAnyType,
    };
    let options = Options::default()
        .with_concurrency(args.concurrency)
        .and_then(|o| o.with_max_attempts(args.max_attempts))
        .map_err(|err| usage(&err.to_string()))?
        .with_directory(fate)
        .with_cutover_wait(args.cutover_wait)
        .in_store(in_store);
    let inputs = LeavingInputs::new(
        region,
        organization,
        users,
        resources,
        inputs,
        destination,
        options,
    );
    LeavingPlan::new(inputs).map_err(|err| {
        let rule = err.broken_rule();
        output::print(&Line {
            event: "finding",
            organization_id: id.as_str(),
            step: None,
            detail: None,
            severity: Some("error"),
            code: Some("InvalidParameter"),
            rule: rule.map(|r| r.id()),
            message: Some(&err.to_string()),
        });
        if rule.is_some() {
            Exit::Refused
        } else {
            Exit::Usage
        }
    })
}

fn usage(message: &str) -> Exit {
    output::error(About::default(), "Usage", &bounded(message));
    Exit::Usage
}

/// One line of `leave`'s output.
#[derive(Serialize)]
struct Line<'a> {
    event: &'static str,
    organization_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

fn step(id: &OrganizationId, step: &'static str, detail: Value) {
    output::print(&Line {
        event: "step",
        organization_id: id.as_str(),
        step: Some(step),
        detail: Some(detail),
        severity: None,
        code: None,
        rule: None,
        message: None,
    });
}

/// A guard refused: its rule, and exit 1.
fn refused(id: &OrganizationId, refusal: &Refusal) -> Exit {
    output::print(&Line {
        event: "finding",
        organization_id: id.as_str(),
        step: None,
        detail: Some(Value::from(refusal.pending().to_vec())),
        severity: Some("error"),
        code: Some("Refused"),
        rule: Some(refusal.rule().id()),
        message: Some(&refusal.to_string()),
    });
    Exit::Refused
}

fn plan_failed(err: &PlanError) -> Exit {
    let (code, exit) = match err {
        PlanError::Store(_) => ("StoreFailed", Exit::Usage),
        PlanError::Leased { .. } | PlanError::Busy { .. } => ("Busy", Exit::Refused),
        PlanError::LeaseLost { .. } => ("LeaseLost", Exit::Refused),
        _ => ("Conflict", Exit::Refused),
    };
    output::error(About::default(), code, &chain(err));
    exit
}

/// Where MX answers come from: the `--dns-answers` file, or DNS through hickory-resolver.
enum Resolver<'a> {
    File(&'a Value),
    Dns(Box<hickory_resolver::TokioResolver>),
}

/// Why an answer could not be had: the file is wrong (exit 2), or DNS failed (exit 3).
enum AnswerError {
    File(String),
    Dns(String),
}

impl Resolver<'_> {
    /// The MX answers for `domain`: none when the name has no MX or does not exist.
    async fn mx(&self, domain: &DomainName) -> Result<Vec<ObservedRecord>, AnswerError> {
        match self {
            Resolver::File(answers) => mx_from_file(answers, domain).map_err(AnswerError::File),
            Resolver::Dns(resolver) => match resolver.mx_lookup(format!("{domain}.")).await {
                Ok(lookup) => Ok(lookup
                    .iter()
                    .map(|mx| {
                        ObservedRecord::mx(
                            domain.as_str(),
                            mx.preference(),
                            mx.exchange().to_ascii(),
                        )
                    })
                    .collect()),
                Err(err) if err.is_no_records_found() || err.is_nx_domain() => Ok(Vec::new()),
                Err(err) => Err(AnswerError::Dns(bounded(&format!(
                    "resolving MX of {domain}: {err}"
                )))),
            },
        }
    }
}

/// The MX answers for `domain` in a `--dns-answers` file.
fn mx_from_file(answers: &Value, domain: &DomainName) -> Result<Vec<ObservedRecord>, String> {
    let mut observed = Vec::new();
    let listed = answers
        .get(domain.as_str())
        .and_then(|types| types.get("MX"))
        .and_then(Value::as_array);
    for answer in listed.into_iter().flatten().take(MAX_ANSWERS) {
        let text = answer.as_str().unwrap_or_default();
        let mut parts = text.split_ascii_whitespace();
        let (Some(preference), Some(exchange)) = (parts.next(), parts.next()) else {
            return Err(format!(
                "{domain}: MX answer \"{}\" is not `PREFERENCE HOST`",
                bounded(text)
            ));
        };
        let preference = preference.parse().map_err(|_| {
            format!(
                "{domain}: MX preference \"{}\" is not a number",
                bounded(preference)
            )
        })?;
        observed.push(ObservedRecord::mx(domain.as_str(), preference, exchange));
    }
    Ok(observed)
}

/// The most MX answers read for one domain.
const MAX_ANSWERS: usize = 64;

/// Runs the plan to its end, or to a guard, a refusal, a kill or the timeout.
async fn execute(
    job: &Job,
    args: &Leave,
    region: Region,
    leaving: Leaving,
    answers: Option<&Value>,
) -> Exit {
    let id = args.organization_id.clone();
    let lease = job.lease_seconds;
    let resolver = match answers {
        Some(answers) => Resolver::File(answers),
        None => match hickory_resolver::TokioResolver::builder_tokio() {
            Ok(builder) => Resolver::Dns(Box::new(builder.build())),
            Err(err) => {
                output::error(
                    About::default(),
                    "Unreachable",
                    &bounded(&format!("no resolver: {err}")),
                );
                return Exit::Unreachable;
            }
        },
    };
    let mut held = match job.catalog.take_leaving(leaving, now(), lease).await {
        Ok(held) => held,
        Err(err) => return plan_failed(&err),
    };
    step(
        &id,
        "leased",
        serde_json::json!({"version": held.version(), "took_over": held.took_over()}),
    );
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    let interval = Duration::from_secs_f64(args.poll_interval);
    let mut organization: Option<Organization> = None;
    macro_rules! save {
        () => {
            if let Err(err) = job.catalog.save_leaving(&mut held, now(), lease).await {
                return plan_failed(&err);
            }
        };
    }
    loop {
        if Instant::now() >= deadline {
            output::error(
                About::default(),
                "TimedOut",
                "the plan is not done yet: run the same command again to resume",
            );
            return Exit::Unreachable;
        }
        let at = now();
        match held.leaving().next(at) {
            Next::Cutover(domains) => {
                for domain in domains {
                    let change = held.leaving().plan().steps().iter().find_map(|s| match s {
                        workmail_org::leaving::Action::Cutover { domain: d, change }
                            if *d == domain =>
                        {
                            Some(change.clone())
                        }
                        _ => None,
                    });
                    step(
                        &id,
                        "cutover",
                        serde_json::json!({"domain": domain, "change": change}),
                    );
                    if let Err(err) = held.leaving_mut().record_cutover_applied(&domain) {
                        return usage(&err.to_string());
                    }
                }
                save!();
                kill::point("cutover");
            }
            Next::WaitForCutover { unseen, .. } => {
                for domain in &unseen {
                    let observed = match resolver.mx(domain).await {
                        Ok(observed) => observed,
                        Err(AnswerError::File(message)) => return usage(&message),
                        Err(AnswerError::Dns(message)) => {
                            save!();
                            output::error(About::default(), "Unreachable", &message);
                            return Exit::Unreachable;
                        }
                    };
                    match held.leaving_mut().record_mx_answers(domain, &observed, at) {
                        Ok(true) => step(&id, "mx_seen", serde_json::json!({"domain": domain})),
                        Ok(false) => {}
                        Err(err) => return usage(&err.to_string()),
                    }
                }
                save!();
                if let Err(refusal) = held.leaving().cutover_holds(now()) {
                    // A domain whose new MX is not seen refuses now (run again later); one
                    // whose old TTL is still running is waited for, within the timeout.
                    let (unseen, wait) = match held.leaving().next(now()) {
                        Next::WaitForCutover { unseen, until } => {
                            (!unseen.is_empty(), until.saturating_sub(now()))
                        }
                        _ => (false, 0),
                    };
                    if unseen || Instant::now() + Duration::from_secs(wait) > deadline {
                        return refused(&id, &refusal);
                    }
                    tokio::time::sleep(Duration::from_secs(wait.max(1))).await;
                }
                kill::point("cutover_seen");
            }
            Next::Export => {
                let requests = match held.leaving_mut().start_exports(at) {
                    Ok(requests) => requests,
                    Err(refusal) => return refused(&id, &refusal),
                };
                // Every attempt is stored before it is sent: a kill after this resends the
                // same token, and AWS answers the same job.
                save!();
                if !requests.is_empty() {
                    kill::point("export_recorded");
                }
                let mut started = 0;
                for request in &requests {
                    match job.aws.start_export(region, request).await {
                        Ok(Some(job_id)) => {
                            step(
                                &id,
                                "export_started",
                                serde_json::json!({"entity_id": request.entity_id(), "job_id": job_id, "client_token": request.client_token()}),
                            );
                            if let Err(err) = held
                                .leaving_mut()
                                .record_started(request.client_token(), job_id)
                            {
                                return usage(&err.to_string());
                            }
                            started += 1;
                        }
                        Ok(None) => step(
                            &id,
                            "export_throttled",
                            serde_json::json!({"entity_id": request.entity_id()}),
                        ),
                        Err(err) => {
                            save!();
                            return call_failed(About::default(), &err);
                        }
                    }
                }
                save!();
                if started > 0 {
                    kill::point("export_started");
                }
                let polls = held.leaving().jobs_to_poll();
                let mut ended = 0;
                for poll in &polls {
                    let described = match job.aws.describe_export(region, poll).await {
                        Ok(described) => described,
                        Err(err) => {
                            save!();
                            return call_failed(About::default(), &err);
                        }
                    };
                    let Some(state) = described.state().cloned() else {
                        continue;
                    };
                    if state.known().is_some_and(|s| s.is_finished()) {
                        ended += 1;
                        step(
                            &id,
                            "export_ended",
                            serde_json::json!({"entity_id": described.entity_id(), "job_id": poll.job_id(), "state": state.as_str()}),
                        );
                    }
                    if let Err(err) = held.leaving_mut().record_job_state(
                        poll.job_id(),
                        state,
                        described.error_info(),
                    ) {
                        return usage(&err.to_string());
                    }
                }
                save!();
                if ended > 0 {
                    kill::point("export_polled");
                }
                if started == 0 && ended == 0 {
                    tokio::time::sleep(interval).await;
                }
            }
            Next::ExportsFailed(failed) => {
                if failed
                    .iter()
                    .all(|entity| args.accept_failure.contains(entity))
                {
                    if let Err(err) = held.leaving_mut().accept_failures(&failed) {
                        return usage(&err.to_string());
                    }
                    step(
                        &id,
                        "failures_accepted",
                        serde_json::json!({"entities": failed}),
                    );
                    save!();
                } else {
                    let refusal = match held.leaving_mut().delete_request(at) {
                        Err(refusal) => refusal,
                        Ok(_) => unreachable!("failures not accepted refuse the deletion"),
                    };
                    return refused(&id, &refusal);
                }
            }
            Next::Delete => {
                let sent_before = held.leaving().delete_sent();
                let request = match held.leaving_mut().delete_request(at) {
                    Ok(request) => request,
                    Err(refusal) => return refused(&id, &refusal),
                };
                save!();
                kill::point("delete_recorded");
                // Sent before a kill, perhaps: send again (the request carries the plan's
                // client token) unless the organization is already going.
                let going = if sent_before {
                    match job.aws.describe(region, &id).await {
                        Ok(described) => matches!(
                            described.state().known(),
                            Some(OrganizationState::Deleting | OrganizationState::Deleted)
                        ),
                        Err(err) => return call_failed(About::default(), &err),
                    }
                } else {
                    false
                };
                if !going {
                    match job.aws.delete(region, &request).await {
                        Ok(response) => {
                            if let Some(state) = response.state() {
                                held.leaving_mut().record_organization_state(state.clone());
                            }
                            step(
                                &id,
                                "delete_sent",
                                serde_json::json!({"delete_directory": request.delete_directory(), "force_delete": request.force_delete()}),
                            );
                        }
                        Err(err) => return call_failed(About::default(), &err),
                    }
                    save!();
                }
                // Poll until Deleted.
                loop {
                    let described = match job.aws.describe(region, &id).await {
                        Ok(described) => described,
                        Err(err) => return call_failed(About::default(), &err),
                    };
                    let state = described.state().clone();
                    held.leaving_mut().record_organization_state(state.clone());
                    organization = Some(described);
                    save!();
                    if state == OrganizationState::Deleted {
                        step(&id, "deleted", serde_json::json!({"state": state.as_str()}));
                        break;
                    }
                    if Instant::now() + interval >= deadline {
                        output::error(About::default(), "TimedOut", "the organization is not Deleted yet: run the same command again to resume");
                        return Exit::Unreachable;
                    }
                    tokio::time::sleep(interval).await;
                }
                kill::point("deleted");
            }
            Next::RecordDeleted => {
                let described = match organization.take() {
                    Some(described) => described,
                    None => match job.aws.describe(region, &id).await {
                        Ok(described) => described,
                        Err(err) => return call_failed(About::default(), &err),
                    },
                };
                if let Err(err) = job.catalog.record(&described, now()).await {
                    return crate::job::catalog_failed(About::default(), &err);
                }
                held.leaving_mut().record_store_done();
                save!();
                step(
                    &id,
                    "store_recorded",
                    serde_json::json!({"state": described.state().as_str()}),
                );
            }
            Next::Cleanup(domains) => {
                let changes: Vec<(DomainName, Value)> = match held.leaving().cleanup_changes() {
                    Ok(changes) => changes
                        .into_iter()
                        .map(|(domain, change)| {
                            (
                                domain.clone(),
                                serde_json::to_value(change).unwrap_or_default(),
                            )
                        })
                        .collect(),
                    Err(refusal) => return refused(&id, &refusal),
                };
                for (domain, change) in changes {
                    step(
                        &id,
                        "cleanup",
                        serde_json::json!({"domain": domain, "change": change}),
                    );
                    if let Err(refusal) = held.leaving_mut().record_cleaned(&domain) {
                        return refused(&id, &refusal);
                    }
                }
                let _ = domains;
                save!();
                kill::point("cleanup");
            }
            Next::Done => {
                if let Err(err) = job.catalog.unlease_leaving(&mut held, now()).await {
                    return plan_failed(&err);
                }
                let jobs = held.leaving().job_ids().count();
                step(&id, "done", serde_json::json!({"jobs": jobs}));
                return Exit::Done;
            }
            _ => {
                output::error(
                    About::default(),
                    "Unknown",
                    "a step this tool does not know",
                );
                return Exit::Refused;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_from_a_file_are_read_and_bad_ones_named() {
        let domain: DomainName = "acme.example".parse().unwrap();
        let answers = serde_json::json!({"acme.example": {"MX": ["10 mx.new.example."]}});
        let observed = mx_from_file(&answers, &domain).unwrap();
        assert_eq!(
            observed,
            [ObservedRecord::mx("acme.example", 10, "mx.new.example.")]
        );
        assert!(mx_from_file(&serde_json::json!({}), &domain)
            .unwrap()
            .is_empty());
        let bad = serde_json::json!({"acme.example": {"MX": ["mx.new.example."]}});
        assert_eq!(
            mx_from_file(&bad, &domain).unwrap_err(),
            "acme.example: MX answer \"mx.new.example.\" is not `PREFERENCE HOST`"
        );
    }
}
