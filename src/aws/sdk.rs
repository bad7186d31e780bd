//! The bridge to the Rust AWS SDK's types (`aws-sdk-workmail` 1.x), behind the `aws-sdk`
//! feature.
//!
//! Requests go out as the SDK's input builders, filled from this crate's requests: send them
//! with the builder's `send_with(&client)`, or `build()` them (the SDK's `build` returns a
//! `Result`, and so do these conversions: nothing is unwrapped). Outputs come back into this
//! crate's snapshots, checking every field the SDK hands over as an `Option<&str>`; a field
//! the snapshot requires (id, alias, state) that the SDK left empty is a [`ResponseError`]
//! naming it. `GetMailDomainOutput` becomes a
//! [`GetMailDomainResponse`] the same way, and `CreateOrganizationOutput` a
//! [`CreateOrganizationResponse`]. Service errors convert by their error code into
//! [`AwsException`]; a whole `CreateOrganization` result, error or not, into a
//! [`CreateAnswer`] ([`CreateAnswer::from_sdk`]), which says whether the request took effect.
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
