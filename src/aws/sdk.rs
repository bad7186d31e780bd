//! The bridge to the Rust AWS SDK's types (`aws-sdk-workmail` 1.x), behind the `aws-sdk`
//! feature.
//!
//! Requests go out as the SDK's input builders, filled from this crate's requests: send them
//! with the builder's `send_with(&client)`, or `build()` them (the SDK's `build` returns a
//! `Result`, and so do these conversions: nothing is unwrapped). Outputs come back into this
//! crate's snapshots, checking every field the SDK hands over as an `Option<&str>`; a field
//! the snapshot requires (id, alias, state) that the SDK left empty is a [`ResponseError`]
//! naming it. `GetMailDomainOutput` becomes a
//! [`GetMailDomainResponse`] the same way, `CreateOrganizationOutput` a
//! [`CreateOrganizationResponse`], and so do the outputs of `ListUsers`, `ListResources`,
//! `ListMailDomains`, `StartMailboxExportJob`, `DescribeMailboxExportJob` and
//! `ListMailboxExportJobs` (their `DateTime`s rounded to the millisecond). Service errors
//! convert by their error code into [`AwsException`]; a whole `CreateOrganization` result,
//! error or not, into a [`CreateAnswer`] ([`CreateAnswer::from_sdk`]), which says whether the
//! request took effect.
//!
//! The SDK fills in a *random* `ClientToken` when none is set, so a request sent twice
//! through it is two requests to AWS. Give the spec a client token to make retries
//! idempotent.
//!
//! ```
//! use workmail_org::aws::{CreateOrganization, Organization};
//! use workmail_org::OrganizationSpec;
//! use aws_sdk_workmail::operation::describe_organization::DescribeOrganizationOutput;
//!
//! let spec: OrganizationSpec = serde_json::from_str(
//!     r#"{"alias": "acme", "region": "us-east-1", "client_token": "create-acme-1",
//!         "domains": [{"type": "external", "name": "acme.org"}]}"#,
//! )?;
//! let call = CreateOrganization::new(&spec)?;
//! let input = call.request().to_sdk_builder()?.build()?;
//! assert_eq!(input.alias(), Some("acme"));
//! assert_eq!(input.client_token(), Some("create-acme-1"));
//! assert_eq!(input.domains()[0].domain_name(), "acme.org");
//! // client.create_organization() ... or `call.request().to_sdk_builder()?.send_with(&client)`
//!
//! let output = DescribeOrganizationOutput::builder()
//!     .organization_id("m-0123456789abcdef0123456789abcdef")
//!     .alias("acme")
//!     .state("Active")
//!     .build();
//! let org = Organization::try_from(&output)?;
//! org.check_against(&spec).expect("the organization matches its spec");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use aws_sdk_workmail::error::{BuildError, ProvideErrorMetadata, SdkError};
use aws_sdk_workmail::operation::create_organization::builders::CreateOrganizationInputBuilder;
use aws_sdk_workmail::operation::create_organization::{
    CreateOrganizationError as SdkCreateOrganizationError, CreateOrganizationOutput,
};
use aws_sdk_workmail::operation::delete_organization::builders::DeleteOrganizationInputBuilder;
use aws_sdk_workmail::operation::delete_organization::DeleteOrganizationOutput;
use aws_sdk_workmail::operation::describe_organization::DescribeOrganizationOutput;
use aws_sdk_workmail::operation::get_mail_domain::GetMailDomainOutput;
use aws_sdk_workmail::operation::list_organizations::builders::ListOrganizationsInputBuilder;
use aws_sdk_workmail::operation::list_organizations::ListOrganizationsOutput;
use aws_sdk_workmail::primitives::DateTime;
use aws_sdk_workmail::types as sdk;

use super::delete::RawDeleteResponse;
use super::list::{RawListResponse, RawSummary};
use super::organization::RawOrganization;
use super::response::{Fields, ResponseError, ResponseErrorKind};
use super::GetMailDomainResponse;
use super::{
    AwsException, CreateAnswer, CreateOrganizationRequest, CreateOrganizationResponse,
    DeleteOrganizationRequest, DeleteOrganizationResponse, ListOrganizationsRequest,
    ListOrganizationsResponse, Organization, OrganizationSummary, Timestamp,
};

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_owned)
}

impl CreateOrganizationRequest {
    /// The SDK's `CreateOrganization` input builder, filled with every field of this
    /// request; send it with `send_with(&client)`.
    ///
    /// # Errors
    /// The SDK's [`BuildError`] if it refuses a `Domain` entry (it requires `DomainName`,
    /// which this request always has).
    pub fn to_sdk_builder(&self) -> Result<CreateOrganizationInputBuilder, BuildError> {
        let domains = self
            .domains()
            .iter()
            .map(|domain| {
                sdk::Domain::builder()
                    .domain_name(domain.domain_name().as_str())
                    .set_hosted_zone_id(
                        domain.hosted_zone_id().map(|zone| zone.as_str().to_owned()),
                    )
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CreateOrganizationInputBuilder::default()
            .alias(self.alias().as_str())
            .set_directory_id(self.directory_id().map(|id| id.as_str().to_owned()))
            .set_client_token(self.client_token().map(|token| token.as_str().to_owned()))
            .set_domains((!domains.is_empty()).then_some(domains))
            .set_kms_key_arn(self.kms_key_arn().map(|key| key.as_str().to_owned()))
            .set_enable_interoperability(self.enable_interoperability().then_some(true)))
    }
}

impl TryFrom<&CreateOrganizationOutput> for CreateOrganizationResponse {
    type Error = ResponseError;

    /// Checks the organization id the SDK read, as the JSON reader does.
    ///
    /// # Errors
    /// [`ResponseError`] naming `OrganizationId` when it is missing or not an organization
    /// id.
    fn try_from(output: &CreateOrganizationOutput) -> Result<Self, ResponseError> {
        let fields = Fields {
            operation: "CreateOrganization",
        };
        let id = fields.required("OrganizationId", output.organization_id())?;
        Ok(CreateOrganizationResponse::new(
            fields.parsed("OrganizationId", id)?,
        ))
    }
}

impl CreateAnswer {
    /// The answer an SDK call to `CreateOrganization` got, for
    /// [`effect`](Self::effect) to weigh.
    ///
    /// | SDK result | answer | why |
    /// | --- | --- | --- |
    /// | `Ok` with a valid `OrganizationId` | [`Created`](Self::Created) | |
    /// | `Ok` with the id missing or malformed | [`Dropped`](Self::Dropped) | AWS answered, so the request probably took effect, but the answer cannot be read: the lookup finds the organization by its alias |
    /// | `ServiceError` with an HTTP 5xx | [`ServerError`](Self::ServerError) | by the raw response's status, whatever exception name the body gives (`InternalFailure`, `ServiceUnavailable`) |
    /// | `ServiceError`, otherwise | [`Refused`](Self::Refused) by its error code (`ProvideErrorMetadata::code`), modelled or not; [`Dropped`](Self::Dropped) when it has no readable code | |
    /// | `TimeoutError` | [`TimedOut`](Self::TimedOut) | |
    /// | `DispatchFailure` that is a timeout | [`TimedOut`](Self::TimedOut) | |
    /// | `DispatchFailure`, otherwise | [`Dropped`](Self::Dropped) | the SDK does not say whether a connection was opened or the request written (a user error such as hyper's "dispatch task is gone" may come after the request left), so it is never taken for [`NotSent`](Self::NotSent) |
    /// | `ResponseError` | [`Dropped`](Self::Dropped) | an answer came and could not be read |
    /// | `ConstructionFailure` | [`NotSent`](Self::NotSent) | the SDK builds and serializes the request once, before its first attempt: nothing went out |
    /// | any kind of error newer than this crate | [`Dropped`](Self::Dropped) | nothing is known of it |
    ///
    /// ```
    /// use aws_sdk_workmail::error::SdkError;
    /// use aws_sdk_workmail::operation::create_organization::CreateOrganizationOutput;
    /// use workmail_org::aws::{Attempt, CreateAnswer, Effect};
    ///
    /// let output = CreateOrganizationOutput::builder()
    ///     .organization_id("m-0123456789abcdef0123456789abcdef")
    ///     .build();
    /// let answer = CreateAnswer::from_sdk(Ok(output));
    /// assert_eq!(answer.effect(Attempt::Resend), Effect::Taken);
    ///
    /// let timed_out = CreateAnswer::from_sdk(Err(SdkError::timeout_error("no answer in 30 s")));
    /// assert_eq!(timed_out, CreateAnswer::TimedOut);
    /// assert_eq!(timed_out.effect(Attempt::First), Effect::Unknown);
    /// ```
    pub fn from_sdk(
        result: Result<CreateOrganizationOutput, SdkError<SdkCreateOrganizationError>>,
    ) -> CreateAnswer {
        let error = match result {
            Ok(output) => {
                return CreateOrganizationResponse::try_from(&output)
                    .map_or(CreateAnswer::Dropped, CreateAnswer::Created)
            }
            Err(error) => error,
        };
        match &error {
            SdkError::ServiceError(service) => {
                let status = service.raw().status();
                if status.is_server_error() {
                    CreateAnswer::ServerError {
                        status: status.as_u16(),
                    }
                } else {
                    AwsException::from_sdk_error(service.err())
                        .map_or(CreateAnswer::Dropped, CreateAnswer::Refused)
                }
            }
            SdkError::TimeoutError(_) => CreateAnswer::TimedOut,
            SdkError::DispatchFailure(failure) if failure.is_timeout() => CreateAnswer::TimedOut,
            SdkError::ConstructionFailure(_) => CreateAnswer::NotSent,
            _ => CreateAnswer::Dropped,
        }
    }
}

impl DeleteOrganizationRequest {
    /// The SDK's `DeleteOrganization` input builder, filled with every field of this
    /// request; send it with `send_with(&client)`.
    pub fn to_sdk_builder(&self) -> DeleteOrganizationInputBuilder {
        DeleteOrganizationInputBuilder::default()
            .organization_id(self.organization_id().as_str())
            .delete_directory(self.delete_directory())
            .set_client_token(self.client_token().map(|token| token.as_str().to_owned()))
            .set_force_delete(self.force_delete().then_some(true))
            .set_delete_identity_center_application(
                self.delete_identity_center_application().then_some(true),
            )
    }
}

impl ListOrganizationsRequest {
    /// The SDK's `ListOrganizations` input builder, filled with this request's page.
    pub fn to_sdk_builder(&self) -> ListOrganizationsInputBuilder {
        ListOrganizationsInputBuilder::default()
            .set_next_token(self.next_token().map(|token| token.as_str().to_owned()))
            .set_max_results(self.max_results().map(i32::from))
    }
}

/// An SDK `DateTime` as a [`Timestamp`], rounded to the millisecond like the JSON protocol.
fn timestamp(operation: &'static str, value: &DateTime) -> Result<Timestamp, ResponseError> {
    let millis = (u64::from(value.subsec_nanos()) + 500_000) / 1_000_000;
    let (seconds, millis) = if millis == 1000 {
        (value.secs().saturating_add(1), 0)
    } else {
        (value.secs(), millis as u16)
    };
    Timestamp::new(seconds, millis).map_err(|_| {
        ResponseError::new(
            operation,
            "CompletedDate",
            ResponseErrorKind::Pattern {
                shown: format!("{}.{:09}", value.secs(), value.subsec_nanos()).into(),
                problem: "is not an epoch time between 1970 and 9999",
            },
        )
    })
}

impl TryFrom<&DescribeOrganizationOutput> for Organization {
    type Error = ResponseError;

    /// Checks what the SDK read, as [`Organization`]'s `Deserialize` checks the JSON.
    fn try_from(output: &DescribeOrganizationOutput) -> Result<Self, ResponseError> {
        RawOrganization {
            organization_id: owned(output.organization_id()),
            alias: owned(output.alias()),
            state: owned(output.state()),
            directory_id: owned(output.directory_id()),
            directory_type: owned(output.directory_type()),
            default_mail_domain: owned(output.default_mail_domain()),
            completed_date: output
                .completed_date()
                .map(|date| timestamp("DescribeOrganization", date))
                .transpose()?,
            error_message: owned(output.error_message()),
            arn: owned(output.arn()),
            migration_admin: owned(output.migration_admin()),
            // The SDK reads an absent `InteroperabilityEnabled` as `false`.
            interoperability_enabled: Some(output.interoperability_enabled()),
        }
        .try_into()
    }
}

fn raw_summary(summary: &sdk::OrganizationSummary) -> RawSummary {
    RawSummary {
        organization_id: owned(summary.organization_id()),
        alias: owned(summary.alias()),
        state: owned(summary.state()),
        default_mail_domain: owned(summary.default_mail_domain()),
        error_message: owned(summary.error_message()),
    }
}

impl TryFrom<&sdk::OrganizationSummary> for OrganizationSummary {
    type Error = ResponseError;

    fn try_from(summary: &sdk::OrganizationSummary) -> Result<Self, ResponseError> {
        raw_summary(summary).try_into()
    }
}

impl TryFrom<&ListOrganizationsOutput> for ListOrganizationsResponse {
    type Error = ResponseError;

    fn try_from(output: &ListOrganizationsOutput) -> Result<Self, ResponseError> {
        RawListResponse {
            organization_summaries: output
                .organization_summaries()
                .iter()
                .map(raw_summary)
                .collect(),
            next_token: owned(output.next_token()),
        }
        .try_into()
    }
}

impl TryFrom<&DeleteOrganizationOutput> for DeleteOrganizationResponse {
    type Error = ResponseError;

    fn try_from(output: &DeleteOrganizationOutput) -> Result<Self, ResponseError> {
        RawDeleteResponse {
            organization_id: owned(output.organization_id()),
            state: owned(output.state()),
        }
        .try_into()
    }
}

impl TryFrom<&GetMailDomainOutput> for GetMailDomainResponse {
    type Error = ResponseError;

    /// Checks what the SDK read through [`GetMailDomainResponse::builder`], as the JSON reader
    /// does: errors name the field (`Records[2].Value`), statuses and record types this crate
    /// does not know are kept (the SDK's `DnsRecordVerificationStatus::as_str` keeps them too).
    ///
    /// ```
    /// use aws_sdk_workmail::operation::get_mail_domain::GetMailDomainOutput;
    /// use aws_sdk_workmail::types::{DnsRecord, DnsRecordVerificationStatus};
    /// use workmail_org::aws::{GetMailDomainResponse, VerificationStatus};
    ///
    /// let output = GetMailDomainOutput::builder()
    ///     .records(
    ///         DnsRecord::builder()
    ///             .r#type("TXT")
    ///             .hostname("_amazonses.example.com")
    ///             .value("c2VjcmV0")
    ///             .build(),
    ///     )
    ///     .ownership_verification_status(DnsRecordVerificationStatus::Verified)
    ///     .dkim_verification_status(DnsRecordVerificationStatus::from("EXPIRED"))
    ///     .build();
    /// let response = GetMailDomainResponse::try_from(&output)?;
    /// assert_eq!(response.records()[0].value(), "c2VjcmV0");
    /// let ownership = response.ownership_verification_status().ok_or("no status")?;
    /// assert_eq!(ownership, &VerificationStatus::Verified);
    /// assert_eq!(response.dkim_verification_status().map(|s| s.as_str()), Some("EXPIRED"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn try_from(output: &GetMailDomainOutput) -> Result<Self, ResponseError> {
        output
            .records()
            .iter()
            .fold(GetMailDomainResponse::builder(), |builder, record| {
                builder.record(record.r#type(), record.hostname(), record.value())
            })
            .is_test_domain(output.is_test_domain())
            .is_default(output.is_default())
            .ownership_verification_status(
                output.ownership_verification_status().map(|s| s.as_str()),
            )
            .dkim_verification_status(output.dkim_verification_status().map(|s| s.as_str()))
            .build()
    }
}

impl AwsException {
    /// The exception a failed SDK call reports, by its error code (`ProvideErrorMetadata`);
    /// `None` when the error carries no code (a network or timeout failure, say) or a code
    /// that is not a readable exception name.
    ///
    /// ```
    /// use aws_sdk_workmail::operation::create_organization::CreateOrganizationError;
    /// use aws_sdk_workmail::types::error::NameAvailabilityException;
    /// use workmail_org::aws::AwsException;
    /// use workmail_org::AwsErrorCode;
    ///
    /// let err = CreateOrganizationError::NameAvailabilityException(
    ///     NameAvailabilityException::builder()
    ///         .message("alias taken")
    ///         .meta(
    ///             aws_sdk_workmail::error::ErrorMetadata::builder()
    ///                 .code("NameAvailabilityException")
    ///                 .build(),
    ///         )
    ///         .build(),
    /// );
    /// let exception = AwsException::from_sdk_error(&err).unwrap();
    /// assert_eq!(exception.code(), Some(AwsErrorCode::NameAvailability));
    /// ```
    pub fn from_sdk_error(error: &impl ProvideErrorMetadata) -> Option<AwsException> {
        error.code().and_then(|code| AwsException::parse(code).ok())
    }
}

// ----- Leaving WorkMail: mail domains, users, resources and mailbox export jobs ----------

use aws_sdk_workmail::operation::describe_mailbox_export_job::builders::DescribeMailboxExportJobInputBuilder;
use aws_sdk_workmail::operation::describe_mailbox_export_job::DescribeMailboxExportJobOutput;
use aws_sdk_workmail::operation::list_mail_domains::builders::ListMailDomainsInputBuilder;
use aws_sdk_workmail::operation::list_mail_domains::ListMailDomainsOutput;
use aws_sdk_workmail::operation::list_mailbox_export_jobs::builders::ListMailboxExportJobsInputBuilder;
use aws_sdk_workmail::operation::list_mailbox_export_jobs::ListMailboxExportJobsOutput;
use aws_sdk_workmail::operation::list_resources::builders::ListResourcesInputBuilder;
use aws_sdk_workmail::operation::list_resources::ListResourcesOutput;
use aws_sdk_workmail::operation::list_users::builders::ListUsersInputBuilder;
use aws_sdk_workmail::operation::list_users::ListUsersOutput;
use aws_sdk_workmail::operation::start_mailbox_export_job::builders::StartMailboxExportJobInputBuilder;
use aws_sdk_workmail::operation::start_mailbox_export_job::StartMailboxExportJobOutput;

use super::entity::{RawEntity, RawResources, RawUsers};
use super::export::{RawJob, RawJobs};
use super::mail_domains::{RawMailDomain, RawMailDomains};
use super::{
    DescribeMailboxExportJobRequest, DescribeMailboxExportJobResponse, ListMailDomainsRequest,
    ListMailDomainsResponse, ListMailboxExportJobsRequest, ListMailboxExportJobsResponse,
    ListResourcesRequest, ListResourcesResponse, ListUsersRequest, ListUsersResponse,
    StartMailboxExportJobRequest, StartMailboxExportJobResponse,
};

/// An SDK `DateTime` field as a [`Timestamp`], rounded to the millisecond, its errors naming
/// `field`.
fn time_field(
    operation: &'static str,
    field: &str,
    value: Option<&DateTime>,
) -> Result<Option<Timestamp>, ResponseError> {
    value
        .map(|value| {
            timestamp(operation, value)
                .map_err(|err| ResponseError::new(operation, field, err.kind().clone()))
        })
        .transpose()
}

/// Declares `to_sdk_builder` for a paged request of one organization.
macro_rules! paged_to_sdk {
    ($request:ty, $builder:ty, $call:literal) => {
        impl $request {
            #[doc = concat!("The SDK's `", $call, "` input builder, filled with this request's")]
            /// organization and page; send it with `send_with(&client)`.
            pub fn to_sdk_builder(&self) -> $builder {
                <$builder>::default()
                    .organization_id(self.organization_id().as_str())
                    .set_next_token(self.next_token().map(|token| token.as_str().to_owned()))
                    .set_max_results(self.max_results().map(i32::from))
            }
        }
    };
}

paged_to_sdk!(ListUsersRequest, ListUsersInputBuilder, "ListUsers");
paged_to_sdk!(
    ListResourcesRequest,
    ListResourcesInputBuilder,
    "ListResources"
);
paged_to_sdk!(
    ListMailDomainsRequest,
    ListMailDomainsInputBuilder,
    "ListMailDomains"
);
paged_to_sdk!(
    ListMailboxExportJobsRequest,
    ListMailboxExportJobsInputBuilder,
    "ListMailboxExportJobs"
);

impl StartMailboxExportJobRequest {
    /// The SDK's `StartMailboxExportJob` input builder, filled with every field of this
    /// request (its client token included, so the SDK does not make a random one); send it
    /// with `send_with(&client)`.
    pub fn to_sdk_builder(&self) -> StartMailboxExportJobInputBuilder {
        StartMailboxExportJobInputBuilder::default()
            .client_token(self.client_token().as_str())
            .organization_id(self.organization_id().as_str())
            .entity_id(self.entity_id().as_str())
            .set_description(self.description().map(|d| d.as_str().to_owned()))
            .role_arn(self.role_arn().as_str())
            .kms_key_arn(self.kms_key_arn().as_str())
            .s3_bucket_name(self.s3_bucket_name().as_str())
            .s3_prefix(self.s3_prefix().as_str())
    }
}

impl DescribeMailboxExportJobRequest {
    /// The SDK's `DescribeMailboxExportJob` input builder, filled with this request.
    pub fn to_sdk_builder(&self) -> DescribeMailboxExportJobInputBuilder {
        DescribeMailboxExportJobInputBuilder::default()
            .job_id(self.job_id().as_str())
            .organization_id(self.organization_id().as_str())
    }
}

impl TryFrom<&StartMailboxExportJobOutput> for StartMailboxExportJobResponse {
    type Error = ResponseError;

    /// The job id, required and checked.
    fn try_from(output: &StartMailboxExportJobOutput) -> Result<Self, ResponseError> {
        let fields = super::response::Fields {
            operation: "StartMailboxExportJob",
        };
        let id = fields.required("JobId", output.job_id())?;
        Ok(StartMailboxExportJobResponse::new(
            fields.parsed("JobId", id)?,
        ))
    }
}

impl TryFrom<&DescribeMailboxExportJobOutput> for DescribeMailboxExportJobResponse {
    type Error = ResponseError;

    /// Checks what the SDK read, as the JSON reader does. The SDK reads an absent
    /// `EstimatedProgress` as 0.
    fn try_from(output: &DescribeMailboxExportJobOutput) -> Result<Self, ResponseError> {
        const OPERATION: &str = "DescribeMailboxExportJob";
        RawJob {
            job_id: None,
            entity_id: owned(output.entity_id()),
            description: owned(output.description()),
            role_arn: owned(output.role_arn()),
            kms_key_arn: owned(output.kms_key_arn()),
            s3_bucket_name: owned(output.s3_bucket_name()),
            s3_prefix: owned(output.s3_prefix()),
            s3_path: owned(output.s3_path()),
            estimated_progress: Some(i64::from(output.estimated_progress())),
            state: owned(output.state().map(|s| s.as_str())),
            error_info: owned(output.error_info()),
            start_time: time_field(OPERATION, "StartTime", output.start_time())?,
            end_time: time_field(OPERATION, "EndTime", output.end_time())?,
        }
        .try_into()
    }
}

impl TryFrom<&ListMailboxExportJobsOutput> for ListMailboxExportJobsResponse {
    type Error = ResponseError;

    fn try_from(output: &ListMailboxExportJobsOutput) -> Result<Self, ResponseError> {
        const OPERATION: &str = "ListMailboxExportJobs";
        let jobs = output
            .jobs()
            .iter()
            .enumerate()
            .map(|(index, job)| {
                let field = |name: &str| format!("Jobs[{index}].{name}");
                Ok(RawJob {
                    job_id: owned(job.job_id()),
                    entity_id: owned(job.entity_id()),
                    description: owned(job.description()),
                    s3_bucket_name: owned(job.s3_bucket_name()),
                    s3_path: owned(job.s3_path()),
                    estimated_progress: Some(i64::from(job.estimated_progress())),
                    state: owned(job.state().map(|s| s.as_str())),
                    start_time: time_field(OPERATION, &field("StartTime"), job.start_time())?,
                    end_time: time_field(OPERATION, &field("EndTime"), job.end_time())?,
                    ..RawJob::default()
                })
            })
            .collect::<Result<Vec<_>, ResponseError>>()?;
        RawJobs {
            jobs: Some(jobs),
            next_token: owned(output.next_token()),
        }
        .try_into()
    }
}

impl TryFrom<&ListUsersOutput> for ListUsersResponse {
    type Error = ResponseError;

    fn try_from(output: &ListUsersOutput) -> Result<Self, ResponseError> {
        const OPERATION: &str = "ListUsers";
        let users = output
            .users()
            .iter()
            .enumerate()
            .map(|(index, user)| {
                let field = |name: &str| format!("Users[{index}].{name}");
                Ok(RawEntity {
                    id: owned(user.id()),
                    email: owned(user.email()),
                    name: owned(user.name()),
                    display_name: owned(user.display_name()),
                    state: owned(user.state().map(|s| s.as_str())),
                    user_role: owned(user.user_role().map(|r| r.as_str())),
                    enabled_date: time_field(
                        OPERATION,
                        &field("EnabledDate"),
                        user.enabled_date(),
                    )?,
                    disabled_date: time_field(
                        OPERATION,
                        &field("DisabledDate"),
                        user.disabled_date(),
                    )?,
                    ..RawEntity::default()
                })
            })
            .collect::<Result<Vec<_>, ResponseError>>()?;
        RawUsers {
            users: Some(users),
            next_token: owned(output.next_token()),
        }
        .try_into()
    }
}

impl TryFrom<&ListResourcesOutput> for ListResourcesResponse {
    type Error = ResponseError;

    fn try_from(output: &ListResourcesOutput) -> Result<Self, ResponseError> {
        const OPERATION: &str = "ListResources";
        let resources = output
            .resources()
            .iter()
            .enumerate()
            .map(|(index, resource)| {
                let field = |name: &str| format!("Resources[{index}].{name}");
                Ok(RawEntity {
                    id: owned(resource.id()),
                    email: owned(resource.email()),
                    name: owned(resource.name()),
                    kind: owned(resource.r#type().map(|t| t.as_str())),
                    state: owned(resource.state().map(|s| s.as_str())),
                    enabled_date: time_field(
                        OPERATION,
                        &field("EnabledDate"),
                        resource.enabled_date(),
                    )?,
                    disabled_date: time_field(
                        OPERATION,
                        &field("DisabledDate"),
                        resource.disabled_date(),
                    )?,
                    description: owned(resource.description()),
                    ..RawEntity::default()
                })
            })
            .collect::<Result<Vec<_>, ResponseError>>()?;
        RawResources {
            resources: Some(resources),
            next_token: owned(output.next_token()),
        }
        .try_into()
    }
}

impl TryFrom<&ListMailDomainsOutput> for ListMailDomainsResponse {
    type Error = ResponseError;

    fn try_from(output: &ListMailDomainsOutput) -> Result<Self, ResponseError> {
        RawMailDomains {
            mail_domains: Some(
                output
                    .mail_domains()
                    .iter()
                    .map(|domain| RawMailDomain {
                        domain_name: owned(domain.domain_name()),
                        default_domain: Some(domain.default_domain()),
                    })
                    .collect(),
            ),
            next_token: owned(output.next_token()),
        }
        .try_into()
    }
}
