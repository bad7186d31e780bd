//! `CreateAnswer::from_sdk`: every kind of SDK result, built with the SDK's own constructors,
//! becomes the answer the table on `CreateAnswer::from_sdk` gives.

use aws_sdk_workmail::error::{ConnectorError, ErrorMetadata, SdkError};
use aws_sdk_workmail::operation::create_organization::{
    CreateOrganizationError, CreateOrganizationOutput,
};
use aws_sdk_workmail::types::error::NameAvailabilityException;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use workmail_org::aws::{Attempt, CreateAnswer, CreateOrganizationResponse, Effect};
use workmail_org::AwsErrorCode;

const ID: &str = "m-0123456789abcdef0123456789abcdef";

type Result = std::result::Result<CreateOrganizationOutput, SdkError<CreateOrganizationError>>;

fn raw(status: u16) -> HttpResponse {
    HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::empty())
}

// The SDK's own result, as `CreateAnswer::from_sdk` takes it: its size is the SDK's.
#[allow(clippy::result_large_err)]
fn service(error: CreateOrganizationError, status: u16) -> Result {
    Err(SdkError::service_error(error, raw(status)))
}

fn unmodelled(code: &str) -> CreateOrganizationError {
    CreateOrganizationError::generic(ErrorMetadata::builder().code(code).build())
}

#[test]
fn an_output_with_an_id_is_created() {
    let output = CreateOrganizationOutput::builder()
        .organization_id(ID)
        .build();
    let answer = CreateAnswer::from_sdk(Ok(output.clone()));
    assert_eq!(answer.organization_id().map(|id| id.as_str()), Some(ID));
    assert_eq!(
        CreateOrganizationResponse::try_from(&output)
            .unwrap()
            .organization_id()
            .as_str(),
        ID
    );
}

#[test]
fn an_output_without_a_readable_id_is_dropped_and_its_conversion_names_the_field() {
    let missing = CreateOrganizationOutput::builder().build();
    let err = CreateOrganizationResponse::try_from(&missing).unwrap_err();
    assert_eq!(
        err.to_string(),
        "CreateOrganization response: OrganizationId: missing, but required"
    );
    assert_eq!(CreateAnswer::from_sdk(Ok(missing)), CreateAnswer::Dropped);

    let malformed = CreateOrganizationOutput::builder()
        .organization_id("m-1")
        .build();
    let err = CreateOrganizationResponse::try_from(&malformed).unwrap_err();
    assert_eq!(
        (err.operation(), err.field()),
        ("CreateOrganization", "OrganizationId")
    );
    assert_eq!(CreateAnswer::from_sdk(Ok(malformed)), CreateAnswer::Dropped);
}

#[test]
fn a_modelled_refusal_is_refused_by_its_code() {
    let error = CreateOrganizationError::NameAvailabilityException(
        NameAvailabilityException::builder()
            .message("the alias is not available")
            .meta(
                ErrorMetadata::builder()
                    .code("NameAvailabilityException")
                    .build(),
            )
            .build(),
    );
    let answer = CreateAnswer::from_sdk(service(error, 400));
    let CreateAnswer::Refused(exception) = &answer else {
        panic!("refused: {answer:?}");
    };
    assert_eq!(exception.code(), Some(AwsErrorCode::NameAvailability));
    assert_eq!(answer.effect(Attempt::First), Effect::NotTaken);
    assert_eq!(answer.effect(Attempt::Resend), Effect::Unknown);
}

#[test]
fn unmodelled_and_throttling_refusals_keep_their_names() {
    let answer = CreateAnswer::from_sdk(service(unmodelled("MailDomainInUseException"), 400));
    assert_eq!(answer.effect(Attempt::First), Effect::NotTaken);

    let answer = CreateAnswer::from_sdk(service(unmodelled("ThrottlingException"), 400));
    let CreateAnswer::Refused(exception) = &answer else {
        panic!("refused: {answer:?}");
    };
    assert_eq!(exception.name(), "ThrottlingException");
    assert_eq!(answer.effect(Attempt::First), Effect::Unknown);
}

#[test]
fn a_service_error_without_a_code_is_dropped() {
    let error = CreateOrganizationError::generic(ErrorMetadata::builder().build());
    assert_eq!(
        CreateAnswer::from_sdk(service(error, 400)),
        CreateAnswer::Dropped
    );
}

#[test]
fn a_5xx_is_a_server_error_whatever_its_exception_name() {
    for (code, status) in [("InternalFailure", 500), ("ServiceUnavailable", 503)] {
        assert_eq!(
            CreateAnswer::from_sdk(service(unmodelled(code), status)),
            CreateAnswer::ServerError { status }
        );
    }
    // Even a modelled name, if the status says the server failed.
    assert_eq!(
        CreateAnswer::from_sdk(service(unmodelled("LimitExceededException"), 502)),
        CreateAnswer::ServerError { status: 502 }
    );
}

#[test]
fn timeouts_are_timed_out() {
    assert_eq!(
        CreateAnswer::from_sdk(Err(SdkError::timeout_error("operation timed out"))),
        CreateAnswer::TimedOut
    );
    assert_eq!(
        CreateAnswer::from_sdk(Err(SdkError::dispatch_failure(ConnectorError::timeout(
            "read timed out".into()
        )))),
        CreateAnswer::TimedOut
    );
}

#[test]
fn other_dispatch_failures_are_dropped_never_not_sent() {
    for failure in [
        ConnectorError::io("connection reset by peer".into()),
        ConnectorError::user("dispatch task is gone".into()),
        ConnectorError::other("unclassified".into(), None),
        ConnectorError::io("connection refused".into()).never_connected(),
    ] {
        let answer = CreateAnswer::from_sdk(Err(SdkError::dispatch_failure(failure)));
        assert_eq!(answer, CreateAnswer::Dropped);
        assert_eq!(answer.effect(Attempt::First), Effect::Unknown);
    }
}

#[test]
fn an_unreadable_answer_is_dropped() {
    assert_eq!(
        CreateAnswer::from_sdk(Err(SdkError::response_error("invalid JSON", raw(200)))),
        CreateAnswer::Dropped
    );
}

#[test]
fn a_request_that_could_not_be_built_was_not_sent() {
    let answer = CreateAnswer::from_sdk(Err(SdkError::construction_failure(
        "failed to serialize the input",
    )));
    assert_eq!(answer, CreateAnswer::NotSent);
    assert_eq!(answer.effect(Attempt::First), Effect::NotTaken);
    assert_eq!(answer.effect(Attempt::Resend), Effect::NotTaken);
}
