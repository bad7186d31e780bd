//! Progress: what is done, as data, and the guards that decide what may happen next.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::error::{LeavingError, Refusal};
use super::mailbox::export_client_token;
use super::plan::{Action, LeavingPlan};
use super::records::NewMx;
use crate::aws::{
    DeleteOrganizationRequest, DescribeMailboxExportJobRequest, ExportJobState,
    StartMailboxExportJobRequest,
};
use crate::dns::{ObservedData, ObservedRecord};
use crate::id::{ClientToken, DomainName, EntityId, ExportJobId};
use crate::lifecycle::{OrganizationState, ReportedState};
use crate::reported::Reported;
use crate::rule::Rule;

/// The most characters of a failed job's `ErrorInfo` kept.
pub const MAX_ERROR_INFO_LEN: usize = 1023;

/// One attempt to export one mailbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportAttempt {
    attempt: u8,
    client_token: ClientToken,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    job_id: Option<ExportJobId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    state: Option<Reported<ExportJobState>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error_info: Option<String>,
}

impl ExportAttempt {
    /// The attempt's number, from 1.
    pub fn number(&self) -> u8 {
        self.attempt
    }

    /// Its client token.
    pub fn client_token(&self) -> &ClientToken {
        &self.client_token
    }

    /// Its job id, once AWS answered.
    pub fn job_id(&self) -> Option<&ExportJobId> {
        self.job_id.as_ref()
    }

    /// Its last state polled.
    pub fn state(&self) -> Option<&Reported<ExportJobState>> {
        self.state.as_ref()
    }

    /// Why it failed, as AWS said.
    pub fn error_info(&self) -> Option<&str> {
        self.error_info.as_deref()
    }

    fn known(&self) -> Option<ExportJobState> {
        self.state.as_ref().and_then(|s| s.known().copied())
    }

    /// Ended: `COMPLETED`, `FAILED` or `CANCELLED`. A state this crate does not know is
    /// treated as still running.
    fn is_finished(&self) -> bool {
        self.known().is_some_and(ExportJobState::is_finished)
    }
}

/// What is done, as data: the cutover per domain, every export attempt (tokens, job ids,
/// states), the deletion and the clean-up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    #[serde(default)]
    cutover_applied: BTreeSet<DomainName>,
    #[serde(default)]
    cutover_seen: BTreeMap<DomainName, u64>,
    #[serde(default)]
    exports: BTreeMap<EntityId, Vec<ExportAttempt>>,
    #[serde(default)]
    accepted_failures: BTreeSet<EntityId>,
    #[serde(default)]
    delete_sent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization_state: Option<ReportedState>,
    #[serde(default)]
    store_recorded: bool,
    #[serde(default)]
    cleaned: BTreeSet<DomainName>,
}

/// What the next step is, as [`Leaving::next`] says.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Next {
    /// Apply these domains' cutover changes, then [`Leaving::record_cutover_applied`].
    Cutover(Vec<DomainName>),
    /// Ask a resolver for these domains' MX, then [`Leaving::record_mx_answers`]; or wait
    /// until `until` (the caller's epoch seconds) for the old MX's TTL.
    WaitForCutover {
        /// Domains whose new MX is not seen yet.
        unseen: Vec<DomainName>,
        /// When the last wait ends.
        until: u64,
    },
    /// Export: start these ([`Leaving::start_exports`]) and poll the running jobs
    /// ([`Leaving::jobs_to_poll`]).
    Export,
    /// Every job ended but some failed: accept them by name ([`Leaving::accept_failures`]) to
    /// delete anyway.
    ExportsFailed(Vec<EntityId>),
    /// Send [`Leaving::delete_request`], then poll `DescribeOrganization`.
    Delete,
    /// Record `Deleted` in the store's entry, then [`Leaving::record_store_done`].
    RecordDeleted,
    /// Apply these domains' clean-up changes, then [`Leaving::record_cleaned`].
    Cleanup(Vec<DomainName>),
    /// Everything is done.
    Done,
}

/// A leaving plan and its progress: the document a tool stores, and the sans-I/O state
/// machine that says what to send next and reads what AWS and the resolver answered.
///
/// Serde writes `{"plan", "progress"}`; reading re-validates the plan (as
/// [`LeavingPlan`] does) and the progress against it: every export is the plan's, every
/// client token the one its organization, entity and attempt give, attempts numbered from 1
/// within the limit, only the last one unfinished.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LeavingDocument")]
pub struct Leaving {
    plan: LeavingPlan,
    progress: Progress,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LeavingDocument {
    plan: LeavingPlan,
    progress: Progress,
}

impl TryFrom<LeavingDocument> for Leaving {
    type Error = LeavingError;

    fn try_from(document: LeavingDocument) -> Result<Self, LeavingError> {
        Leaving::resume(document.plan, document.progress)
    }
}

impl Leaving {
    /// A plan with nothing done.
    pub fn new(plan: LeavingPlan) -> Self {
        Leaving {
            plan,
            progress: Progress::default(),
        }
    }

    /// A plan with the progress recorded so far.
    ///
    /// # Errors
    /// [`LeavingError`] on field `progress...` when the progress does not fit the plan.
    pub fn resume(plan: LeavingPlan, progress: Progress) -> Result<Self, LeavingError> {
        let exports: BTreeSet<&EntityId> = plan.exports().map(|(id, _)| id).collect();
        let waits: BTreeSet<&DomainName> = plan.waits().map(|(d, _, _)| d).collect();
        for domain in progress
            .cutover_applied
            .iter()
            .chain(progress.cutover_seen.keys())
            .chain(&progress.cleaned)
        {
            if !waits.contains(domain) {
                return Err(LeavingError::input(
                    "progress",
                    format!("domain {domain} has no cutover in the plan"),
                ));
            }
        }
        let max = plan.inputs().options().max_attempts();
        let organization = plan.organization_id();
        for (entity, attempts) in &progress.exports {
            let field = format!("progress.exports[{entity}]");
            if !exports.contains(entity) {
                return Err(LeavingError::input(field, "not a mailbox the plan exports"));
            }
            if attempts.is_empty() || attempts.len() > usize::from(max) {
                return Err(LeavingError::input(
                    field,
                    format!("{} attempts, 1 to {max} allowed", attempts.len()),
                ));
            }
            for (index, attempt) in attempts.iter().enumerate() {
                let number = u8::try_from(index + 1).unwrap_or(u8::MAX);
                if attempt.attempt != number
                    || attempt.client_token != export_client_token(organization, entity, number)
                {
                    return Err(LeavingError::input(
                        format!("{field}[{index}]"),
                        "the attempt's number or client token is not the plan's",
                    ));
                }
                if index + 1 < attempts.len() && !attempt.is_finished() {
                    return Err(LeavingError::input(
                        format!("{field}[{index}]"),
                        "an attempt before the last has not ended",
                    ));
                }
                if attempt
                    .error_info
                    .as_ref()
                    .is_some_and(|e| e.len() > MAX_ERROR_INFO_LEN)
                {
                    return Err(LeavingError::input(
                        format!("{field}[{index}].error_info"),
                        "too long",
                    ));
                }
            }
        }
        for entity in &progress.accepted_failures {
            if !exports.contains(entity) {
                return Err(LeavingError::input(
                    "progress.accepted_failures",
                    format!("{entity} is not a mailbox the plan exports"),
                ));
            }
        }
        Ok(Leaving { plan, progress })
    }

    /// The plan.
    pub fn plan(&self) -> &LeavingPlan {
        &self.plan
    }

    /// The progress.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The export attempts of a mailbox, oldest first.
    pub fn attempts(&self, entity: &EntityId) -> &[ExportAttempt] {
        self.progress.exports.get(entity).map_or(&[], Vec::as_slice)
    }

    /// Whether the `DeleteOrganization` request was handed out
    /// ([`delete_request`](Self::delete_request)): a run resumed after it polls before sending
    /// again.
    pub fn delete_sent(&self) -> bool {
        self.progress.delete_sent
    }

    /// Every job id AWS gave, with its mailbox, oldest attempt first.
    pub fn job_ids(&self) -> impl Iterator<Item = (&EntityId, &ExportJobId)> + '_ {
        self.progress.exports.iter().flat_map(|(entity, attempts)| {
            attempts
                .iter()
                .filter_map(move |a| a.job_id.as_ref().map(|job| (entity, job)))
        })
    }

    fn deleted(&self) -> bool {
        self.progress
            .organization_state
            .as_ref()
            .is_some_and(|state| state == &OrganizationState::Deleted)
    }

    /// What to do next, at `now` (the caller's epoch seconds).
    pub fn next(&self, now: u64) -> Next {
        let cutover: Vec<DomainName> = self
            .plan
            .waits()
            .map(|(domain, _, _)| domain)
            .filter(|domain| !self.progress.cutover_applied.contains(*domain))
            .cloned()
            .collect();
        if !cutover.is_empty() && !self.deleted() {
            return Next::Cutover(cutover);
        }
        if !self.deleted() && !self.progress.delete_sent {
            if self.cutover_holds(now).is_err() {
                let unseen = self
                    .plan
                    .waits()
                    .map(|(domain, _, _)| domain)
                    .filter(|domain| !self.progress.cutover_seen.contains_key(*domain))
                    .cloned()
                    .collect();
                return Next::WaitForCutover {
                    unseen,
                    until: self.cutover_until(),
                };
            }
            if self.plan.exports().any(|(entity, _)| {
                self.attempts(entity)
                    .last()
                    .is_none_or(|a| !a.is_finished() || self.retry_due(a))
            }) {
                return Next::Export;
            }
            let failed = self.unaccepted_failures();
            if !failed.is_empty() {
                return Next::ExportsFailed(failed);
            }
            return Next::Delete;
        }
        if !self.deleted() {
            return Next::Delete;
        }
        let in_store = self
            .plan
            .steps()
            .iter()
            .any(|step| matches!(step, Action::RecordDeleted { in_store: true }));
        if in_store && !self.progress.store_recorded {
            return Next::RecordDeleted;
        }
        let cleanup: Vec<DomainName> = self
            .plan
            .steps()
            .iter()
            .filter_map(|step| match step {
                Action::Cleanup { domain, .. } if !self.progress.cleaned.contains(domain) => {
                    Some(domain.clone())
                }
                _ => None,
            })
            .collect();
        if !cleanup.is_empty() {
            return Next::Cleanup(cleanup);
        }
        Next::Done
    }

    /// Records that a domain's cutover change was applied.
    ///
    /// # Errors
    /// [`LeavingError`] on field `domain` for a domain with no cutover in the plan.
    pub fn record_cutover_applied(&mut self, domain: &DomainName) -> Result<(), LeavingError> {
        self.wait_of(domain)?;
        self.progress.cutover_applied.insert(domain.clone());
        Ok(())
    }

    fn wait_of(&self, domain: &DomainName) -> Result<(&[NewMx], u64), LeavingError> {
        self.plan
            .waits()
            .find(|(d, _, _)| *d == domain)
            .map(|(_, mx, wait)| (mx, wait))
            .ok_or_else(|| {
                LeavingError::input("domain", format!("{domain} has no cutover in the plan"))
            })
    }

    /// Reads a resolver's answer for a domain's MX, at `now`: when it is exactly the new
    /// provider's records (names compare ignoring ASCII case and one trailing dot, as
    /// [`dns`](crate::dns) compares them), the time is recorded (once) and the wait starts.
    /// Returns whether the new MX is seen.
    ///
    /// # Errors
    /// [`LeavingError`] on field `domain` for a domain with no cutover in the plan.
    pub fn record_mx_answers(
        &mut self,
        domain: &DomainName,
        observed: &[ObservedRecord],
        now: u64,
    ) -> Result<bool, LeavingError> {
        let (new_mx, _) = self.wait_of(domain)?;
        let seen = mx_moved(domain, new_mx, observed);
        if seen && self.progress.cutover_applied.contains(domain) {
            self.progress
                .cutover_seen
                .entry(domain.clone())
                .or_insert(now);
        }
        Ok(seen)
    }

    fn cutover_until(&self) -> u64 {
        self.plan
            .waits()
            .map(|(domain, _, wait)| {
                self.progress
                    .cutover_seen
                    .get(domain)
                    .map_or(u64::MAX, |seen| seen.saturating_add(wait))
            })
            .max()
            .unwrap_or(0)
    }

    /// The first guard: the cutover holds for every domain at `now` (its new MX seen, and
    /// its wait over).
    ///
    /// # Errors
    /// [`Refusal`] with [`Rule::LeavingCutoverPending`], naming each domain still waited for.
    pub fn cutover_holds(&self, now: u64) -> Result<(), Refusal> {
        let pending: Vec<String> = self
            .plan
            .waits()
            .filter_map(|(domain, _, wait)| {
                if !self.progress.cutover_applied.contains(domain) {
                    return Some(format!("{domain}: the cutover is not applied"));
                }
                match self.progress.cutover_seen.get(domain) {
                    None => Some(format!("{domain}: the new MX is not seen yet")),
                    Some(seen) if seen.saturating_add(wait) > now => Some(format!(
                        "{domain}: the old MX's TTL ends in {} s",
                        seen.saturating_add(wait) - now
                    )),
                    Some(_) => None,
                }
            })
            .collect();
        if pending.is_empty() {
            Ok(())
        } else {
            Err(Refusal::new(Rule::LeavingCutoverPending, pending))
        }
    }

    fn retry_due(&self, attempt: &ExportAttempt) -> bool {
        attempt.is_finished()
            && attempt.known() != Some(ExportJobState::Completed)
            && attempt.attempt < self.plan.inputs().options().max_attempts()
    }

    fn running(&self) -> usize {
        self.progress
            .exports
            .values()
            .filter(|attempts| attempts.last().is_some_and(|a| !a.is_finished()))
            .count()
    }

    /// The `StartMailboxExportJob` requests to send now, at most the concurrency minus the
    /// jobs running: first those sent before without an answer (the same token, so AWS
    /// answers the same job), then retries of failed jobs (a new token), then mailboxes not
    /// started. Each is recorded as an attempt before it is returned: store the progress,
    /// then send.
    ///
    /// # Errors
    /// [`Refusal`] with [`Rule::LeavingCutoverPending`] before the cutover holds.
    pub fn start_exports(
        &mut self,
        now: u64,
    ) -> Result<Vec<StartMailboxExportJobRequest>, Refusal> {
        self.cutover_holds(now)?;
        let mut out = Vec::new();
        // Sent without an answer: resend with the same token (they count as running).
        for (entity, attempts) in &self.progress.exports {
            if let Some(last) = attempts.last() {
                if last.job_id.is_none() {
                    out.push(self.request(entity, last.client_token.clone()));
                }
            }
        }
        let concurrency = usize::from(self.plan.inputs().options().concurrency());
        let mut free = concurrency.saturating_sub(self.running());
        let entities: Vec<EntityId> = self.plan.exports().map(|(id, _)| id.clone()).collect();
        for entity in entities {
            if free == 0 {
                break;
            }
            let next = match self.progress.exports.get(&entity).and_then(|a| a.last()) {
                None => 1,
                Some(last) if self.retry_due(last) => last.attempt + 1,
                Some(_) => continue,
            };
            let token = export_client_token(self.plan.organization_id(), &entity, next);
            self.progress
                .exports
                .entry(entity.clone())
                .or_default()
                .push(ExportAttempt {
                    attempt: next,
                    client_token: token.clone(),
                    job_id: None,
                    state: None,
                    error_info: None,
                });
            out.push(self.request(&entity, token));
            free -= 1;
        }
        Ok(out)
    }

    fn request(&self, entity: &EntityId, token: ClientToken) -> StartMailboxExportJobRequest {
        let destination = self.plan.inputs().destination();
        StartMailboxExportJobRequest::new(
            token,
            self.plan.organization_id().clone(),
            entity.clone(),
            destination.role().clone(),
            destination.kms_key().clone(),
            destination.bucket().clone(),
            destination.prefix().clone(),
        )
    }

    fn attempt_mut(
        &mut self,
        token: &ClientToken,
    ) -> Result<(&EntityId, &mut ExportAttempt), LeavingError> {
        self.progress
            .exports
            .iter_mut()
            .find_map(|(entity, attempts)| {
                attempts
                    .last_mut()
                    .filter(|a| &a.client_token == token)
                    .map(|a| (entity, a))
            })
            .ok_or_else(|| {
                LeavingError::input(
                    "client_token",
                    format!("{token} is no pending attempt of this plan"),
                )
            })
    }

    /// Records AWS's `JobId` for the request sent with `token`.
    ///
    /// # Errors
    /// [`LeavingError`] when the token is not the last attempt of a mailbox, or that attempt
    /// already has another job id.
    pub fn record_started(
        &mut self,
        token: &ClientToken,
        job_id: ExportJobId,
    ) -> Result<(), LeavingError> {
        let (entity, attempt) = self.attempt_mut(token)?;
        match &attempt.job_id {
            Some(known) if known != &job_id => Err(LeavingError::input(
                "job_id",
                format!("{entity}'s attempt already has job {known}, not {job_id}"),
            )),
            _ => {
                attempt.job_id = Some(job_id);
                attempt.state.get_or_insert(ExportJobState::Running.into());
                Ok(())
            }
        }
    }

    /// The jobs to poll with `DescribeMailboxExportJob`: every last attempt with a job id
    /// that has not ended.
    pub fn jobs_to_poll(&self) -> Vec<DescribeMailboxExportJobRequest> {
        self.progress
            .exports
            .values()
            .filter_map(|attempts| attempts.last())
            .filter(|a| !a.is_finished())
            .filter_map(|a| a.job_id.clone())
            .map(|job| {
                DescribeMailboxExportJobRequest::new(job, self.plan.organization_id().clone())
            })
            .collect()
    }

    /// Records a job's state as `DescribeMailboxExportJob` reported it (and its `ErrorInfo`).
    ///
    /// # Errors
    /// [`LeavingError`] on field `job_id` for a job that is not a last attempt of this plan.
    pub fn record_job_state(
        &mut self,
        job_id: &ExportJobId,
        state: Reported<ExportJobState>,
        error_info: Option<&str>,
    ) -> Result<(), LeavingError> {
        let attempt = self
            .progress
            .exports
            .values_mut()
            .filter_map(|attempts| attempts.last_mut())
            .find(|a| a.job_id.as_ref() == Some(job_id))
            .ok_or_else(|| {
                LeavingError::input("job_id", format!("{job_id} is no running job of this plan"))
            })?;
        attempt.state = Some(state);
        attempt.error_info = error_info.map(|info| {
            let mut info = info.to_owned();
            if info.len() > MAX_ERROR_INFO_LEN {
                let mut cut = MAX_ERROR_INFO_LEN;
                while !info.is_char_boundary(cut) {
                    cut -= 1;
                }
                info.truncate(cut);
            }
            info
        });
        Ok(())
    }

    /// Mailboxes whose every attempt ended without `COMPLETED`, the last at the limit: the
    /// failures to report.
    pub fn failures(&self) -> Vec<EntityId> {
        self.progress
            .exports
            .iter()
            .filter(|(_, attempts)| {
                attempts.last().is_some_and(|a| {
                    a.is_finished()
                        && a.known() != Some(ExportJobState::Completed)
                        && !self.retry_due(a)
                })
            })
            .map(|(entity, _)| entity.clone())
            .collect()
    }

    fn unaccepted_failures(&self) -> Vec<EntityId> {
        self.failures()
            .into_iter()
            .filter(|entity| !self.progress.accepted_failures.contains(entity))
            .collect()
    }

    /// Accepts failures by name: the organization may be deleted without these mailboxes.
    ///
    /// # Errors
    /// [`LeavingError`] on field `accepted_failures` for a mailbox that is not a reported
    /// failure.
    pub fn accept_failures(&mut self, entities: &[EntityId]) -> Result<(), LeavingError> {
        let failures = self.failures();
        for entity in entities {
            if !failures.contains(entity) {
                return Err(LeavingError::input(
                    "accepted_failures",
                    format!("{entity} is not a failed export of this plan"),
                ));
            }
        }
        self.progress
            .accepted_failures
            .extend(entities.iter().cloned());
        Ok(())
    }

    /// The second guard, then the `DeleteOrganization` request; records it as sent.
    ///
    /// # Errors
    /// [`Refusal`] with [`Rule::LeavingExportsUnfinished`] naming each mailbox not
    /// `COMPLETED` and not accepted, or [`Rule::LeavingCutoverPending`] before the cutover.
    pub fn delete_request(&mut self, now: u64) -> Result<DeleteOrganizationRequest, Refusal> {
        if !self.progress.delete_sent {
            self.cutover_holds(now)?;
            let pending: Vec<String> = self
                .plan
                .exports()
                .filter_map(|(entity, _)| {
                    let last = self.attempts(entity).last();
                    let state = match last {
                        None => "not started".to_owned(),
                        Some(a) if a.known() == Some(ExportJobState::Completed) => return None,
                        Some(_) if self.progress.accepted_failures.contains(entity) => return None,
                        Some(a) => match &a.state {
                            Some(state) => state.as_str().to_owned(),
                            None => "sent".to_owned(),
                        },
                    };
                    Some(format!("{entity}: {state}"))
                })
                .collect();
            if !pending.is_empty() {
                return Err(Refusal::new(Rule::LeavingExportsUnfinished, pending));
            }
        }
        self.progress.delete_sent = true;
        Ok(self
            .plan
            .steps()
            .iter()
            .find_map(|step| match step {
                Action::Delete { request, .. } => Some(request.clone()),
                _ => None,
            })
            .expect("every plan deletes"))
    }

    /// Records the organization's state as `DescribeOrganization` (or `DeleteOrganization`)
    /// reported it.
    pub fn record_organization_state(&mut self, state: ReportedState) {
        self.progress.organization_state = Some(state);
    }

    /// Records that the store's entry now says `Deleted`.
    pub fn record_store_done(&mut self) {
        self.progress.store_recorded = true;
    }

    /// The third guard, then the clean-up changes not yet applied.
    ///
    /// # Errors
    /// [`Refusal`] with [`Rule::LeavingNotDeleted`] before the organization is `Deleted`.
    pub fn cleanup_changes(&self) -> Result<Vec<(&DomainName, &super::DnsChange)>, Refusal> {
        if !self.deleted() {
            return Err(Refusal::new(
                Rule::LeavingNotDeleted,
                vec![format!(
                    "{}: {}",
                    self.plan.organization_id(),
                    self.progress
                        .organization_state
                        .as_ref()
                        .map_or("state not known yet", |s| s.as_str())
                )],
            ));
        }
        Ok(self
            .plan
            .steps()
            .iter()
            .filter_map(|step| match step {
                Action::Cleanup { domain, change, .. }
                    if !self.progress.cleaned.contains(domain) =>
                {
                    Some((domain, change))
                }
                _ => None,
            })
            .collect())
    }

    /// Records that a domain's clean-up change was applied.
    ///
    /// # Errors
    /// [`Refusal`] with [`Rule::LeavingNotDeleted`] before `Deleted`. A domain the plan has
    /// no clean-up for is recorded and changes nothing.
    pub fn record_cleaned(&mut self, domain: &DomainName) -> Result<(), Refusal> {
        self.cleanup_changes()?;
        self.progress.cleaned.insert(domain.clone());
        Ok(())
    }
}

/// Whether the observed MX records at `domain` are exactly `new_mx`.
fn mx_moved(domain: &DomainName, new_mx: &[NewMx], observed: &[ObservedRecord]) -> bool {
    let name = |n: &str| n.strip_suffix('.').unwrap_or(n).to_ascii_lowercase();
    let seen: BTreeSet<(u16, String)> = observed
        .iter()
        .filter(|record| name(record.name()) == domain.as_str())
        .filter_map(|record| match record.data() {
            ObservedData::Mx {
                preference,
                exchange,
            } => Some((*preference, name(exchange))),
            _ => None,
        })
        .collect();
    let wanted: BTreeSet<(u16, String)> = new_mx
        .iter()
        .map(|mx| (mx.preference(), mx.exchange().as_str().to_owned()))
        .collect();
    seen == wanted
}
