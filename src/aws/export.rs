//! Mailbox export jobs: `StartMailboxExportJob`, `DescribeMailboxExportJob` and
//! `ListMailboxExportJobs` (WorkMail API model, version 2017-10-01).
//!
//! An export writes one mailbox's email and calendar items, as one .zip file of MIME
//! messages, into an S3 bucket, encrypted with a KMS key, through an IAM role WorkMail
//! assumes. It runs over time: a job is `RUNNING` and reports an estimated progress, then
//! ends `COMPLETED`, `FAILED` or `CANCELLED`. `ListMailboxExportJobs` lists only the jobs
//! started in the last seven days.

use serde::{Deserialize, Serialize};

use super::list::NextToken;
use super::response::{Fields, ResponseError, ResponseErrorKind};
use super::timestamp::Timestamp;
use super::MAX_RESULTS;
use crate::id::{
    ClientToken, EntityId, ExportDescription, ExportJobId, KmsKeyArn, OrganizationId, RoleArn,
    S3BucketName, S3Prefix,
};
use crate::reported::Reported;
use crate::text::string_enum;

/// The most characters of `S3Path` and `ErrorInfo` this crate reads (decision: the bound of
/// the job's other texts, `Description` and `S3Prefix`, 1,023 characters).
pub const MAX_EXPORT_TEXT_LEN: usize = 1023;

string_enum! {
    /// The state of a mailbox export job (API model: `MailboxExportJobState`).
    ///
    /// A state a newer AWS reports is kept as a [`Reported`](crate::Reported) value whose
    /// [`known`](crate::Reported::known) is `None`.
    ///
    /// ```
    /// use workmail_org::aws::ExportJobState;
    /// use workmail_org::Reported;
    ///
    /// assert_eq!("RUNNING".parse::<ExportJobState>()?, ExportJobState::Running);
    /// let later: Reported<ExportJobState> = Reported::new("PAUSED");
    /// assert!(!later.is_known());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    pub enum ExportJobState: "export job state" {
        /// `RUNNING`: the export is under way.
        Running = "RUNNING",
        /// `COMPLETED`: the file is in the bucket.
        Completed = "COMPLETED",
        /// `FAILED`: the export stopped; `ErrorInfo` says why.
        Failed = "FAILED",
        /// `CANCELLED`: `CancelMailboxExportJob` stopped it.
        Cancelled = "CANCELLED",
    }
}

impl ExportJobState {
    /// Whether the job has ended (every state but `RUNNING`).
    pub fn is_finished(self) -> bool {
        self != ExportJobState::Running
    }
}

/// The body of a `StartMailboxExportJob` request: every field required by the API model but
/// `Description`, and each one a validated type of this crate, so the request always meets
/// the model's lengths and patterns.
///
/// | field | type | API model |
/// | --- | --- | --- |
/// | `ClientToken` | [`ClientToken`] | 1–128, `[\x21-\x7e]+` |
/// | `OrganizationId` | [`OrganizationId`] | `m-` and 32 hex digits |
/// | `EntityId` | [`EntityId`] | 1–256, `[a-zA-Z0-9._%+@-]+` |
/// | `Description` | [`ExportDescription`] | 0–1023 |
/// | `RoleArn` | [`RoleArn`] | 20–2048, `arn:aws:iam:...` |
/// | `KmsKeyArn` | [`KmsKeyArn`] | 20–2048, `arn:aws:kms:...`; this crate's key rules (a key, not an alias, in a WorkMail Region) |
/// | `S3BucketName` | [`S3BucketName`] | 1–63, `[A-Za-z0-9.-]+` |
/// | `S3Prefix` | [`S3Prefix`] | 1–1023, `[A-Za-z0-9!_.*'()/-]+` |
///
/// The client token makes the request idempotent: sent again with the same token, AWS
/// answers the same job.
///
/// ```
/// use workmail_org::aws::StartMailboxExportJobRequest;
///
/// let request = StartMailboxExportJobRequest::new(
///     "export-jdoe-1".parse()?,
///     "m-0123456789abcdef0123456789abcdef".parse()?,
///     "jdoe@acme.example".parse()?,
///     "arn:aws:iam::111122223333:role/workmail-export".parse()?,
///     "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".parse()?,
///     "acme-exports".parse()?,
///     "workmail/".parse()?,
/// )
/// .with_description("leaving WorkMail".parse()?);
/// let json = serde_json::to_string(&request)?;
/// assert!(json.starts_with(r#"{"ClientToken":"export-jdoe-1","OrganizationId":"#));
/// assert_eq!(serde_json::from_str::<StartMailboxExportJobRequest>(&json)?, request);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StartMailboxExportJobRequest {
    client_token: ClientToken,
    organization_id: OrganizationId,
    entity_id: EntityId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<ExportDescription>,
    role_arn: RoleArn,
    kms_key_arn: KmsKeyArn,
    s3_bucket_name: S3BucketName,
    s3_prefix: S3Prefix,
}

impl StartMailboxExportJobRequest {
    /// A request to export the mailbox of `entity_id` in `organization_id`, with no
    /// description.
    pub fn new(
        client_token: ClientToken,
        organization_id: OrganizationId,
        entity_id: EntityId,
        role_arn: RoleArn,
        kms_key_arn: KmsKeyArn,
        s3_bucket_name: S3BucketName,
        s3_prefix: S3Prefix,
    ) -> Self {
        StartMailboxExportJobRequest {
            client_token,
            organization_id,
            entity_id,
            description: None,
            role_arn,
            kms_key_arn,
            s3_bucket_name,
            s3_prefix,
        }
    }

    /// With `Description`.
    #[must_use]
    pub fn with_description(mut self, description: ExportDescription) -> Self {
        self.description = Some(description);
        self
    }

    /// `ClientToken`.
    pub fn client_token(&self) -> &ClientToken {
        &self.client_token
    }

    /// `OrganizationId`.
    pub fn organization_id(&self) -> &OrganizationId {
        &self.organization_id
    }

    /// `EntityId`.
    pub fn entity_id(&self) -> &EntityId {
        &self.entity_id
    }

    /// `Description`.
    pub fn description(&self) -> Option<&ExportDescription> {
        self.description.as_ref()
    }

    /// `RoleArn`.
    pub fn role_arn(&self) -> &RoleArn {
        &self.role_arn
    }

    /// `KmsKeyArn`.
    pub fn kms_key_arn(&self) -> &KmsKeyArn {
        &self.kms_key_arn
    }

    /// `S3BucketName`.
    pub fn s3_bucket_name(&self) -> &S3BucketName {
        &self.s3_bucket_name
    }

    /// `S3Prefix`.
    pub fn s3_prefix(&self) -> &S3Prefix {
        &self.s3_prefix
    }
}

/// AWS's answer to `StartMailboxExportJob`: `{"JobId": ...}`, the id validated.
///
/// ```
/// use workmail_org::aws::StartMailboxExportJobResponse;
///
/// let response: StartMailboxExportJobResponse = serde_json::from_str(r#"{"JobId": "job-1"}"#)?;
/// assert_eq!(response.job_id().as_str(), "job-1");
/// assert!(serde_json::from_str::<StartMailboxExportJobResponse>(r#"{"JobId": "a/b"}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartMailboxExportJobResponse {
    job_id: ExportJobId,
}

impl StartMailboxExportJobResponse {
    /// The answer naming `job_id`.
    pub fn new(job_id: ExportJobId) -> Self {
        StartMailboxExportJobResponse { job_id }
    }

    /// `JobId`.
    pub fn job_id(&self) -> &ExportJobId {
        &self.job_id
    }
}

/// The body of a `DescribeMailboxExportJob` request: `JobId` and `OrganizationId`, both
/// required.
///
/// ```
/// use workmail_org::aws::DescribeMailboxExportJobRequest;
///
/// let request = DescribeMailboxExportJobRequest::new(
///     "job-1".parse()?,
///     "m-0123456789abcdef0123456789abcdef".parse()?,
/// );
/// assert_eq!(
///     serde_json::to_string(&request)?,
///     r#"{"JobId":"job-1","OrganizationId":"m-0123456789abcdef0123456789abcdef"}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DescribeMailboxExportJobRequest {
    job_id: ExportJobId,
    organization_id: OrganizationId,
}

impl DescribeMailboxExportJobRequest {
    /// The request for job `job_id` of `organization_id`.
    pub fn new(job_id: ExportJobId, organization_id: OrganizationId) -> Self {
        DescribeMailboxExportJobRequest {
            job_id,
            organization_id,
        }
    }

    /// `JobId`.
    pub fn job_id(&self) -> &ExportJobId {
        &self.job_id
    }

    /// `OrganizationId`.
    pub fn organization_id(&self) -> &OrganizationId {
        &self.organization_id
    }
}

/// The fields of a job as AWS reports them, every one optional (the API model requires
/// none), unknown fields ignored; `null` reads as absent.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawJob {
    pub(super) job_id: Option<String>,
    pub(super) entity_id: Option<String>,
    pub(super) description: Option<String>,
    pub(super) role_arn: Option<String>,
    pub(super) kms_key_arn: Option<String>,
    pub(super) s3_bucket_name: Option<String>,
    pub(super) s3_prefix: Option<String>,
    pub(super) s3_path: Option<String>,
    pub(super) estimated_progress: Option<i64>,
    pub(super) state: Option<String>,
    pub(super) error_info: Option<String>,
    pub(super) start_time: Option<Timestamp>,
    pub(super) end_time: Option<Timestamp>,
}

/// The checked fields every job shape shares.
struct JobFields {
    entity_id: Option<EntityId>,
    description: Option<ExportDescription>,
    s3_bucket_name: Option<S3BucketName>,
    s3_path: Option<Box<str>>,
    estimated_progress: Option<u8>,
    state: Option<Reported<ExportJobState>>,
    start_time: Option<Timestamp>,
    end_time: Option<Timestamp>,
}

impl RawJob {
    fn common(&mut self, fields: &Fields, prefix: &str) -> Result<JobFields, ResponseError> {
        let name = |field: &str| format!("{prefix}{field}");
        let estimated_progress = match self.estimated_progress {
            None => None,
            Some(n @ 0..=100) => Some(n as u8),
            Some(n) => {
                return Err(fields.error(
                    &name("EstimatedProgress"),
                    ResponseErrorKind::Pattern {
                        shown: n.to_string().into(),
                        problem: "is not a percentage from 0 to 100",
                    },
                ))
            }
        };
        Ok(JobFields {
            entity_id: parsed(fields, &name("EntityId"), self.entity_id.take())?,
            description: parsed(fields, &name("Description"), self.description.take())?,
            s3_bucket_name: parsed(fields, &name("S3BucketName"), self.s3_bucket_name.take())?,
            s3_path: self
                .s3_path
                .take()
                .map(|v| fields.text(&name("S3Path"), v, 0, MAX_EXPORT_TEXT_LEN))
                .transpose()?,
            estimated_progress,
            state: self
                .state
                .take()
                .map(|v| fields.reported(&name("State"), v, super::organization::MAX_STRING))
                .transpose()?,
            start_time: self.start_time,
            end_time: self.end_time,
        })
    }
}

/// An optional field of one of this crate's types.
fn parsed<T: std::str::FromStr<Err = crate::id::ParseError>>(
    fields: &Fields,
    field: &str,
    value: Option<String>,
) -> Result<Option<T>, ResponseError> {
    value.map(|v| fields.parsed(field, &v)).transpose()
}

/// Declares the accessors of the fields every job shape shares.
macro_rules! common_accessors {
    () => {
        /// `EntityId`.
        pub fn entity_id(&self) -> Option<&EntityId> {
            self.entity_id.as_ref()
        }

        /// `Description`.
        pub fn description(&self) -> Option<&ExportDescription> {
            self.description.as_ref()
        }

        /// `S3BucketName`.
        pub fn s3_bucket_name(&self) -> Option<&S3BucketName> {
            self.s3_bucket_name.as_ref()
        }

        /// `S3Path`: where the export is written.
        pub fn s3_path(&self) -> Option<&str> {
            self.s3_path.as_deref()
        }

        /// `EstimatedProgress`, a percentage from 0 to 100.
        pub fn estimated_progress(&self) -> Option<u8> {
            self.estimated_progress
        }

        /// `State`, kept even when this version does not know it.
        pub fn state(&self) -> Option<&Reported<ExportJobState>> {
            self.state.as_ref()
        }

        /// `StartTime`.
        pub fn start_time(&self) -> Option<Timestamp> {
            self.start_time
        }

        /// `EndTime`, once the job has ended.
        pub fn end_time(&self) -> Option<Timestamp> {
            self.end_time
        }
    };
}

/// A `DescribeMailboxExportJob` response: one job, every field checked against the API
/// model (ids and names by their types, `EstimatedProgress` 0 to 100, texts bounded; a
/// `State` or `KmsKeyArn` this crate does not know is kept as reported).
///
/// ```
/// use workmail_org::aws::{DescribeMailboxExportJobResponse, ExportJobState};
///
/// let job: DescribeMailboxExportJobResponse = serde_json::from_str(r#"{
///     "EntityId": "jdoe@acme.example", "State": "RUNNING", "EstimatedProgress": 40,
///     "S3BucketName": "acme-exports", "S3Prefix": "workmail/", "StartTime": 1767225600.0
/// }"#)?;
/// assert_eq!(job.state().and_then(|s| s.known()), Some(&ExportJobState::Running));
/// assert_eq!(job.estimated_progress(), Some(40));
/// let err = serde_json::from_str::<DescribeMailboxExportJobResponse>(r#"{"EstimatedProgress": 101}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("EstimatedProgress"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawJob")]
pub struct DescribeMailboxExportJobResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_id: Option<EntityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<ExportDescription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_arn: Option<RoleArn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kms_key_arn: Option<Reported<KmsKeyArn>>,
    #[serde(rename = "S3BucketName", skip_serializing_if = "Option::is_none")]
    s3_bucket_name: Option<S3BucketName>,
    #[serde(rename = "S3Prefix", skip_serializing_if = "Option::is_none")]
    s3_prefix: Option<S3Prefix>,
    #[serde(rename = "S3Path", skip_serializing_if = "Option::is_none")]
    s3_path: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    estimated_progress: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<Reported<ExportJobState>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_info: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_time: Option<Timestamp>,
}

const DESCRIBE: Fields = Fields {
    operation: "DescribeMailboxExportJob",
};

impl TryFrom<RawJob> for DescribeMailboxExportJobResponse {
    type Error = ResponseError;

    fn try_from(mut raw: RawJob) -> Result<Self, ResponseError> {
        let fields = DESCRIBE;
        let common = raw.common(&fields, "")?;
        Ok(DescribeMailboxExportJobResponse {
            entity_id: common.entity_id,
            description: common.description,
            role_arn: raw
                .role_arn
                .map(|v| fields.parsed("RoleArn", &v))
                .transpose()?,
            kms_key_arn: raw
                .kms_key_arn
                .map(|v| fields.reported("KmsKeyArn", v, crate::id::MAX_KMS_KEY_ARN_LEN))
                .transpose()?,
            s3_bucket_name: common.s3_bucket_name,
            s3_prefix: raw
                .s3_prefix
                .map(|v| fields.parsed("S3Prefix", &v))
                .transpose()?,
            s3_path: common.s3_path,
            estimated_progress: common.estimated_progress,
            state: common.state,
            error_info: raw
                .error_info
                .map(|v| fields.text("ErrorInfo", v, 0, MAX_EXPORT_TEXT_LEN))
                .transpose()?,
            start_time: common.start_time,
            end_time: common.end_time,
        })
    }
}

impl DescribeMailboxExportJobResponse {
    /// A builder taking every field as AWS's SDKs hand it over; [`build`](
    /// DescribeMailboxExportJobResponseBuilder::build) checks them as the JSON reader does.
    pub fn builder() -> DescribeMailboxExportJobResponseBuilder {
        DescribeMailboxExportJobResponseBuilder::default()
    }

    common_accessors!();

    /// `RoleArn`.
    pub fn role_arn(&self) -> Option<&RoleArn> {
        self.role_arn.as_ref()
    }

    /// `KmsKeyArn`, kept as reported (this crate's key rules are stricter than the model's).
    pub fn kms_key_arn(&self) -> Option<&Reported<KmsKeyArn>> {
        self.kms_key_arn.as_ref()
    }

    /// `S3Prefix`.
    pub fn s3_prefix(&self) -> Option<&S3Prefix> {
        self.s3_prefix.as_ref()
    }

    /// `ErrorInfo`: why a `FAILED` job failed.
    pub fn error_info(&self) -> Option<&str> {
        self.error_info.as_deref()
    }
}

/// Builds a [`DescribeMailboxExportJobResponse`] from parts, checking them in
/// [`build`](Self::build).
///
/// ```
/// use workmail_org::aws::DescribeMailboxExportJobResponse;
///
/// let job = DescribeMailboxExportJobResponse::builder()
///     .entity_id("jdoe")
///     .state("FAILED")
///     .error_info("the role cannot write to the bucket")
///     .build()?;
/// assert_eq!(job.error_info(), Some("the role cannot write to the bucket"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct DescribeMailboxExportJobResponseBuilder {
    raw: RawJob,
}

impl DescribeMailboxExportJobResponseBuilder {
    builder_setters! {
        /// Sets `EntityId`.
        entity_id: &str => |v: &str| Some(v.to_owned());
        /// Sets `Description`.
        description: &str => |v: &str| Some(v.to_owned());
        /// Sets `RoleArn`.
        role_arn: &str => |v: &str| Some(v.to_owned());
        /// Sets `KmsKeyArn`.
        kms_key_arn: &str => |v: &str| Some(v.to_owned());
        /// Sets `S3BucketName`.
        s3_bucket_name: &str => |v: &str| Some(v.to_owned());
        /// Sets `S3Prefix`.
        s3_prefix: &str => |v: &str| Some(v.to_owned());
        /// Sets `S3Path`.
        s3_path: &str => |v: &str| Some(v.to_owned());
        /// Sets `EstimatedProgress`.
        estimated_progress: i64 => Some;
        /// Sets `State`.
        state: &str => |v: &str| Some(v.to_owned());
        /// Sets `ErrorInfo`.
        error_info: &str => |v: &str| Some(v.to_owned());
        /// Sets `StartTime`.
        start_time: Timestamp => Some;
        /// Sets `EndTime`.
        end_time: Timestamp => Some;
    }

    /// Checks every part and builds the response.
    ///
    /// # Errors
    /// The first part the API model does not allow, as a [`ResponseError`] naming its field.
    pub fn build(self) -> Result<DescribeMailboxExportJobResponse, ResponseError> {
        self.raw.try_into()
    }
}

/// One entry of a `ListMailboxExportJobs` response (API model: `MailboxExportJob`): the job's
/// id (required here: a job without one cannot be described) and its summary.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawJob")]
pub struct MailboxExportJob {
    job_id: ExportJobId,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_id: Option<EntityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<ExportDescription>,
    #[serde(rename = "S3BucketName", skip_serializing_if = "Option::is_none")]
    s3_bucket_name: Option<S3BucketName>,
    #[serde(rename = "S3Path", skip_serializing_if = "Option::is_none")]
    s3_path: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    estimated_progress: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<Reported<ExportJobState>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_time: Option<Timestamp>,
}

const LIST: Fields = Fields {
    operation: "ListMailboxExportJobs",
};

impl RawJob {
    fn into_job(
        mut self,
        fields: &Fields,
        prefix: &str,
    ) -> Result<MailboxExportJob, ResponseError> {
        let job_id = fields.required(&format!("{prefix}JobId"), self.job_id.take())?;
        let job_id = fields.parsed(&format!("{prefix}JobId"), &job_id)?;
        let common = self.common(fields, prefix)?;
        Ok(MailboxExportJob {
            job_id,
            entity_id: common.entity_id,
            description: common.description,
            s3_bucket_name: common.s3_bucket_name,
            s3_path: common.s3_path,
            estimated_progress: common.estimated_progress,
            state: common.state,
            start_time: common.start_time,
            end_time: common.end_time,
        })
    }
}

impl TryFrom<RawJob> for MailboxExportJob {
    type Error = ResponseError;

    fn try_from(raw: RawJob) -> Result<Self, ResponseError> {
        raw.into_job(&LIST, "")
    }
}

impl MailboxExportJob {
    /// A builder for the summary of job `job_id`; [`build`](MailboxExportJobBuilder::build)
    /// checks the other parts.
    pub fn builder(job_id: &ExportJobId) -> MailboxExportJobBuilder {
        MailboxExportJobBuilder {
            raw: RawJob {
                job_id: Some(job_id.as_str().to_owned()),
                ..RawJob::default()
            },
        }
    }

    /// `JobId`.
    pub fn job_id(&self) -> &ExportJobId {
        &self.job_id
    }

    common_accessors!();
}

/// Builds a [`MailboxExportJob`] from parts, checking them in [`build`](Self::build).
#[derive(Clone, Debug)]
#[must_use]
pub struct MailboxExportJobBuilder {
    raw: RawJob,
}

impl MailboxExportJobBuilder {
    builder_setters! {
        /// Sets `EntityId`.
        entity_id: &str => |v: &str| Some(v.to_owned());
        /// Sets `Description`.
        description: &str => |v: &str| Some(v.to_owned());
        /// Sets `S3BucketName`.
        s3_bucket_name: &str => |v: &str| Some(v.to_owned());
        /// Sets `S3Path`.
        s3_path: &str => |v: &str| Some(v.to_owned());
        /// Sets `EstimatedProgress`.
        estimated_progress: i64 => Some;
        /// Sets `State`.
        state: &str => |v: &str| Some(v.to_owned());
        /// Sets `StartTime`.
        start_time: Timestamp => Some;
        /// Sets `EndTime`.
        end_time: Timestamp => Some;
    }

    /// Checks every part and builds the entry.
    ///
    /// # Errors
    /// The first part the API model does not allow, as a [`ResponseError`] naming its field.
    pub fn build(self) -> Result<MailboxExportJob, ResponseError> {
        self.raw.try_into()
    }
}

organization_page_request! {
    /// The body of a `ListMailboxExportJobs` request: the organization, the page and its
    /// size (API model: `MaxResults` 1 to 100).
    ///
    /// ```
    /// use workmail_org::aws::ListMailboxExportJobsRequest;
    ///
    /// let first = ListMailboxExportJobsRequest::first_page(
    ///     "m-0123456789abcdef0123456789abcdef".parse()?,
    ///     50,
    /// )?;
    /// assert_eq!(
    ///     serde_json::to_string(&first)?,
    ///     r#"{"OrganizationId":"m-0123456789abcdef0123456789abcdef","MaxResults":50}"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ListMailboxExportJobsRequest, RawListJobsRequest, "RawListJobsRequest"
}

/// A `ListMailboxExportJobs` response: one page of jobs (at most 100) and the token of the
/// next. AWS lists only the jobs started in the last seven days.
///
/// ```
/// use workmail_org::aws::ListMailboxExportJobsResponse;
///
/// let page: ListMailboxExportJobsResponse = serde_json::from_str(
///     r#"{"Jobs": [{"JobId": "job-1", "State": "COMPLETED", "EstimatedProgress": 100}]}"#,
/// )?;
/// assert_eq!(page.jobs()[0].job_id().as_str(), "job-1");
/// let err = serde_json::from_str::<ListMailboxExportJobsResponse>(r#"{"Jobs": [{}]}"#).unwrap_err();
/// assert!(err.to_string().starts_with("ListMailboxExportJobs response: Jobs[0].JobId: missing"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawJobs")]
pub struct ListMailboxExportJobsResponse {
    jobs: Vec<MailboxExportJob>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<NextToken>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawJobs {
    #[serde(default)]
    pub(super) jobs: Option<Vec<RawJob>>,
    pub(super) next_token: Option<String>,
}

impl TryFrom<RawJobs> for ListMailboxExportJobsResponse {
    type Error = ResponseError;

    fn try_from(raw: RawJobs) -> Result<Self, ResponseError> {
        let jobs = raw.jobs.unwrap_or_default();
        page_bound(&LIST, "Jobs", jobs.len())?;
        Ok(ListMailboxExportJobsResponse {
            jobs: jobs
                .into_iter()
                .enumerate()
                .map(|(index, job)| job.into_job(&LIST, &format!("Jobs[{index}].")))
                .collect::<Result<_, _>>()?,
            next_token: raw
                .next_token
                .map(|token| LIST.parsed("NextToken", &token))
                .transpose()?,
        })
    }
}

impl ListMailboxExportJobsResponse {
    /// One page of `jobs`, and the token of the next when more follow.
    ///
    /// # Errors
    /// A [`ResponseError`] for more than 100 jobs (API model: `MaxResults`).
    pub fn new(
        jobs: Vec<MailboxExportJob>,
        next_token: Option<NextToken>,
    ) -> Result<Self, ResponseError> {
        page_bound(&LIST, "Jobs", jobs.len())?;
        Ok(ListMailboxExportJobsResponse { jobs, next_token })
    }

    /// `Jobs`, in AWS's order.
    pub fn jobs(&self) -> &[MailboxExportJob] {
        &self.jobs
    }

    /// `NextToken`: more pages follow when present.
    pub fn next_token(&self) -> Option<&NextToken> {
        self.next_token.as_ref()
    }
}

/// A page holds at most [`MAX_RESULTS`] entries (API model: `MaxResults`).
pub(super) fn page_bound(fields: &Fields, field: &str, actual: usize) -> Result<(), ResponseError> {
    let max = usize::from(MAX_RESULTS);
    if actual > max {
        return Err(fields.error(field, ResponseErrorKind::TooMany { max, actual }));
    }
    Ok(())
}
