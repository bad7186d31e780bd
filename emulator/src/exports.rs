//! `StartMailboxExportJob`, `DescribeMailboxExportJob` and `ListMailboxExportJobs`: a job
//! runs, its progress rising by polls, then ends `COMPLETED` (or `FAILED`, when the control
//! API said so).

use bytes::Bytes;
use http::Response;
use serde::{Deserialize, Serialize};
use workmail_org::aws::{
    DescribeMailboxExportJobResponse, ListMailboxExportJobsResponse, MailboxExportJob,
    StartMailboxExportJobRequest, StartMailboxExportJobResponse,
};
use workmail_org::{
    AwsErrorCode, ClientToken, EntityId, ExportDescription, ExportJobId, KmsKeyArn, OrganizationId,
    Region, RoleArn, Rule, S3BucketName, S3Prefix,
};

use crate::emulator::Emulator;
use crate::entities::{after_token, random_uuid, timestamp, token_after};
use crate::members::{max_results, read_body, required};
use crate::organizations::organization_id;
use crate::wire::{self, ErrorName, Exception, Operation};
use workmail_org_stores::emulator::{ExportJob, ExportStart};

/// How far back `ListMailboxExportJobs` lists: seven days (API model, the operation's
/// documentation), by the endpoint's clock.
pub(crate) const EXPORT_LIST_WINDOW_SECS: u64 = 7 * 24 * 60 * 60;

/// The most jobs `GET /_emulator/export-jobs` answers with.
pub(crate) const MAX_CONTROL_JOBS: usize = 1000;

/// What the control API's `GET /_emulator/export-jobs` says of one job.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JobRecord<'a> {
    job_id: &'a str,
    organization_id: &'a str,
    entity_id: &'a str,
    client_token: &'a str,
    state: &'a str,
    start_time: u64,
}

/// The answer of `GET /_emulator/export-jobs`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JobRecords<'a> {
    jobs: Vec<JobRecord<'a>>,
    /// Whether more jobs exist than [`MAX_CONTROL_JOBS`].
    truncated: bool,
}

/// The body of `POST /_emulator/export-failures`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct ExportFailure {
    organization_id: String,
    entity_id: String,
}

/// The members `StartMailboxExportJob` reads, every one checked here (the library's request
/// type is strict: see `organizations.rs`).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StartMembers {
    client_token: Option<String>,
    organization_id: Option<String>,
    entity_id: Option<String>,
    description: Option<String>,
    role_arn: Option<String>,
    kms_key_arn: Option<String>,
    s3_bucket_name: Option<String>,
    s3_prefix: Option<String>,
}

/// The members `DescribeMailboxExportJob` reads.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeJobMembers {
    job_id: Option<String>,
    organization_id: Option<String>,
}

/// The members `ListMailboxExportJobs` reads.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListJobsMembers {
    organization_id: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// A required member, parsed by its type: `InvalidParameterException` naming the member,
/// what is wrong and the rule id (`S3BucketName: ... [export_bucket.character]`).
fn member<T: std::str::FromStr<Err = workmail_org::ParseError>>(
    value: Option<String>,
    name: &str,
) -> Result<T, Exception> {
    required(value, name)?
        .parse()
        .map_err(|err: workmail_org::ParseError| {
            Exception::new(
                ErrorName::InvalidParameter,
                format!("{name}: {err} [{}]", err.rule().id()),
            )
        })
}

const NEEDS_ACTIVE: &str = "mailbox exports need it Active";

impl Emulator {
    pub(crate) async fn start_mailbox_export_job(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: StartMembers = read_body(Operation::StartMailboxExportJob, body)?;
        let organization: OrganizationId = member(raw.organization_id, "OrganizationId")?;
        let mut request = StartMailboxExportJobRequest::new(
            member::<ClientToken>(raw.client_token, "ClientToken")?,
            organization.clone(),
            member::<EntityId>(raw.entity_id, "EntityId")?,
            member::<RoleArn>(raw.role_arn, "RoleArn")?,
            member::<KmsKeyArn>(raw.kms_key_arn, "KmsKeyArn")?,
            member::<S3BucketName>(raw.s3_bucket_name, "S3BucketName")?,
            member::<S3Prefix>(raw.s3_prefix, "S3Prefix")?,
        );
        if let Some(description) = raw.description {
            request = request.with_description(member::<ExportDescription>(
                Some(description),
                "Description",
            )?);
        }
        self.active_organization(region, Some(organization.as_str().to_owned()), NEEDS_ACTIVE)
            .await?;
        let key = request.entity_id().as_str();
        let entity = self
            .state()
            .entity(&organization, key)
            .await?
            .ok_or_else(|| {
                Exception::new(
                    ErrorName::EntityNotFound,
                    format!("entity {key} does not exist in organization {organization}"),
                )
            })?;
        if !entity.has_mailbox() {
            return Err(Exception::new(
                ErrorName::EntityNotFound,
                format!("entity {key} of organization {organization} has no mailbox"),
            ));
        }
        let canonical = serde_json::to_string(&request).map_err(Exception::internal)?;
        let job = ExportJob {
            job_id: random_uuid()?,
            organization_id: organization.clone(),
            entity_id: entity.id,
            client_token: request.client_token().as_str().to_owned(),
            request: canonical,
            state: "RUNNING".to_owned(),
            polls: 0,
            fails: false,
            start_time: self.now(),
            end_time: None,
        };
        let limit = self.config.export_concurrency;
        let started = match self.state().start_export(&job, limit).await? {
            ExportStart::Started(started) => started,
            ExportStart::Existing(existing) if existing.request == job.request => existing,
            ExportStart::Existing(_) => {
                return Err(Exception::new(
                    ErrorName::InvalidParameter,
                    format!(
                        "ClientToken {:?} already started another export job in this \
                         organization; a client token names one request [{}]",
                        request.client_token().as_str(),
                        Rule::ClientTokenReused.id()
                    ),
                ))
            }
            ExportStart::LimitReached => {
                return Err(Exception::new(
                    ErrorName::Code(AwsErrorCode::LimitExceeded),
                    format!(
                        "{limit} mailbox export jobs of organization {organization} are \
                         running, the most this endpoint runs at once; retry when one ends"
                    ),
                ))
            }
            // `ExportStart` may grow; nothing else is answered today.
            _ => return Err(Exception::internal("the export was not started")),
        };
        let job_id = ExportJobId::parse(&started.job_id).map_err(Exception::internal)?;
        Ok(wire::ok(&StartMailboxExportJobResponse::new(job_id)))
    }

    pub(crate) async fn describe_mailbox_export_job(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: DescribeJobMembers = read_body(Operation::DescribeMailboxExportJob, body)?;
        let job_id: ExportJobId = member(raw.job_id, "JobId")?;
        let (_, _, organization) = self
            .active_organization(region, raw.organization_id, NEEDS_ACTIVE)
            .await?;
        let job = self
            .state()
            .poll_export(
                &organization,
                job_id.as_str(),
                self.now(),
                self.config.export_after_polls,
            )
            .await?
            .ok_or_else(|| {
                Exception::new(
                    ErrorName::EntityNotFound,
                    format!(
                        "mailbox export job {job_id} does not exist in organization \
                         {organization}"
                    ),
                )
            })?;
        let request = request_of(&job)?;
        let mut response = DescribeMailboxExportJobResponse::builder()
            .entity_id(request.entity_id().as_str())
            .role_arn(request.role_arn().as_str())
            .kms_key_arn(request.kms_key_arn().as_str())
            .s3_bucket_name(request.s3_bucket_name().as_str())
            .s3_prefix(request.s3_prefix().as_str())
            .s3_path(&s3_path(&request, &job))
            .estimated_progress(self.progress(&job))
            .state(&job.state)
            .start_time(timestamp(job.start_time)?);
        if let Some(description) = request.description() {
            response = response.description(description.as_str());
        }
        if let Some(end) = job.end_time {
            response = response.end_time(timestamp(end)?);
        }
        if job.state == "FAILED" {
            response = response.error_info("the export failed (injected through the control API)");
        }
        Ok(wire::ok(&response.build().map_err(Exception::internal)?))
    }

    pub(crate) async fn list_mailbox_export_jobs(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: ListJobsMembers = read_body(Operation::ListMailboxExportJobs, body)?;
        let (_, _, organization) = self
            .active_organization(region, raw.organization_id, NEEDS_ACTIVE)
            .await?;
        let limit = max_results(raw.max_results)?;
        let after = after_token(raw.next_token)?;
        let now = self.now();
        let since = now.saturating_sub(EXPORT_LIST_WINDOW_SECS);
        let mut page = self
            .state()
            .export_jobs(Some(&organization), since, &after, limit + 1)
            .await?;
        let next_token = if page.len() > limit {
            page.truncate(limit);
            page.last()
                .map(|last| token_after(&last.job_id))
                .transpose()?
        } else {
            None
        };
        let mut jobs = Vec::with_capacity(page.len());
        for job in page {
            // Listing a running job polls it, as describing it does.
            let job = if job.is_running() {
                self.state()
                    .poll_export(
                        &organization,
                        &job.job_id,
                        now,
                        self.config.export_after_polls,
                    )
                    .await?
                    .unwrap_or(job)
            } else {
                job
            };
            let request = request_of(&job)?;
            let id = ExportJobId::parse(&job.job_id).map_err(Exception::internal)?;
            let mut entry = MailboxExportJob::builder(&id)
                .entity_id(request.entity_id().as_str())
                .s3_bucket_name(request.s3_bucket_name().as_str())
                .s3_path(&s3_path(&request, &job))
                .estimated_progress(self.progress(&job))
                .state(&job.state)
                .start_time(timestamp(job.start_time)?);
            if let Some(description) = request.description() {
                entry = entry.description(description.as_str());
            }
            if let Some(end) = job.end_time {
                entry = entry.end_time(timestamp(end)?);
            }
            jobs.push(entry.build().map_err(Exception::internal)?);
        }
        let response =
            ListMailboxExportJobsResponse::new(jobs, next_token).map_err(Exception::internal)?;
        Ok(wire::ok(&response))
    }

    /// The estimated progress of `job`: 100 once completed, else its share of the polls it
    /// takes, below 100.
    fn progress(&self, job: &ExportJob) -> i64 {
        if job.state == "COMPLETED" {
            return 100;
        }
        let after = self.config.export_after_polls.max(1);
        let share = job.polls.min(after).saturating_mul(100) / after;
        i64::try_from(share.min(99)).unwrap_or(99)
    }

    /// `POST /_emulator/export-failures`: the next job for the entity fails.
    pub(crate) async fn fail_next_export(
        &self,
        failure: ExportFailure,
    ) -> Result<Response<Bytes>, Exception> {
        let organization = organization_id(Some(failure.organization_id))?;
        let entity = self
            .state()
            .entity(&organization, &failure.entity_id)
            .await?
            .ok_or_else(|| {
                Exception::new(
                    ErrorName::EntityNotFound,
                    format!(
                        "entity {} does not exist in organization {organization}",
                        wire::shown(&failure.entity_id, 256)
                    ),
                )
            })?;
        self.state()
            .add_export_failure(&organization, &entity.id)
            .await?;
        Ok(wire::ok_empty())
    }

    /// `GET /_emulator/export-jobs`: every job the endpoint started, those of deleted
    /// organizations too, at most [`MAX_CONTROL_JOBS`].
    pub(crate) async fn export_job_records(&self) -> Result<Response<Bytes>, Exception> {
        let mut jobs = self
            .state()
            .export_jobs(None, 0, "", MAX_CONTROL_JOBS + 1)
            .await?;
        let truncated = jobs.len() > MAX_CONTROL_JOBS;
        jobs.truncate(MAX_CONTROL_JOBS);
        Ok(wire::ok(&JobRecords {
            jobs: jobs
                .iter()
                .map(|job| JobRecord {
                    job_id: &job.job_id,
                    organization_id: job.organization_id.as_str(),
                    entity_id: &job.entity_id,
                    client_token: &job.client_token,
                    state: &job.state,
                    start_time: job.start_time,
                })
                .collect(),
            truncated,
        }))
    }
}

/// The request a job was started with.
fn request_of(job: &ExportJob) -> Result<StartMailboxExportJobRequest, Exception> {
    serde_json::from_str(&job.request).map_err(Exception::internal)
}

/// Where the job writes: `BUCKET/PREFIXJOB_ID.zip`.
fn s3_path(request: &StartMailboxExportJobRequest, job: &ExportJob) -> String {
    format!(
        "{}/{}{}.zip",
        request.s3_bucket_name(),
        request.s3_prefix(),
        job.job_id
    )
}
