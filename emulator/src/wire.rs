//! The WorkMail JSON 1.1 protocol as the emulator speaks it: operations, the SigV4 credential
//! scope, the content type, exceptions and responses.

use std::fmt;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE as CONTENT_TYPE_HEADER};
use http::{Response, StatusCode};
use serde::Serialize;
use workmail_org::catalog::store::StoreError;
use workmail_org::{AwsErrorCode, Region};

/// The largest request body read, in bytes (1 MiB); a larger one is answered
/// `RequestEntityTooLargeException`, HTTP 413.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The prefix of every WorkMail `X-Amz-Target`.
pub const TARGET_PREFIX: &str = "WorkMailService.";

/// The content type of every request and response.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The header that names the operation: `X-Amz-Target: WorkMailService.<Operation>`.
pub const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");

/// Whether a `Content-Type` value is [`CONTENT_TYPE`]: its essence (`type/subtype`) equal
/// ignoring ASCII case, with or without parameters (`; charset=utf-8`).
///
/// The essence is compared on the [`HeaderValue`]'s bytes, without a media-type parser: the
/// protocol has one media type, so a prefix compare and a check that a parameter list (or
/// nothing) follows it is the whole parse, and no crate in the tree parses media types.
pub fn is_protocol_content_type(value: &HeaderValue) -> bool {
    let Some((essence, rest)) = value.as_bytes().split_at_checked(CONTENT_TYPE.len()) else {
        return false;
    };
    essence.eq_ignore_ascii_case(CONTENT_TYPE.as_bytes())
        && rest.trim_ascii_start().first().is_none_or(|&b| b == b';')
}

/// At most `max` characters of `text`, for a message.
pub(crate) fn shown(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(cut, _)| &text[..cut])
}

/// The most characters of an exception's `Message`: every finding is listed, within this.
const MAX_MESSAGE_CHARS: usize = 4096;

/// The WorkMail operations the emulator answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `CreateOrganization`.
    CreateOrganization,
    /// `DescribeOrganization`.
    DescribeOrganization,
    /// `ListOrganizations`.
    ListOrganizations,
    /// `DeleteOrganization`.
    DeleteOrganization,
    /// `RegisterMailDomain`.
    RegisterMailDomain,
    /// `DeregisterMailDomain`.
    DeregisterMailDomain,
    /// `GetMailDomain`.
    GetMailDomain,
    /// `ListMailDomains`.
    ListMailDomains,
    /// `UpdateDefaultMailDomain`.
    UpdateDefaultMailDomain,
    /// `ListUsers`.
    ListUsers,
    /// `ListResources`.
    ListResources,
    /// `StartMailboxExportJob`.
    StartMailboxExportJob,
    /// `DescribeMailboxExportJob`.
    DescribeMailboxExportJob,
    /// `ListMailboxExportJobs`.
    ListMailboxExportJobs,
}

impl Operation {
    /// Every operation the emulator answers.
    pub const ALL: &'static [Operation] = &[
        Operation::CreateOrganization,
        Operation::DescribeOrganization,
        Operation::ListOrganizations,
        Operation::DeleteOrganization,
        Operation::RegisterMailDomain,
        Operation::DeregisterMailDomain,
        Operation::GetMailDomain,
        Operation::ListMailDomains,
        Operation::UpdateDefaultMailDomain,
        Operation::ListUsers,
        Operation::ListResources,
        Operation::StartMailboxExportJob,
        Operation::DescribeMailboxExportJob,
        Operation::ListMailboxExportJobs,
    ];

    /// The operation's name, as in `X-Amz-Target` after `WorkMailService.`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::CreateOrganization => "CreateOrganization",
            Operation::DescribeOrganization => "DescribeOrganization",
            Operation::ListOrganizations => "ListOrganizations",
            Operation::DeleteOrganization => "DeleteOrganization",
            Operation::RegisterMailDomain => "RegisterMailDomain",
            Operation::DeregisterMailDomain => "DeregisterMailDomain",
            Operation::GetMailDomain => "GetMailDomain",
            Operation::ListMailDomains => "ListMailDomains",
            Operation::UpdateDefaultMailDomain => "UpdateDefaultMailDomain",
            Operation::ListUsers => "ListUsers",
            Operation::ListResources => "ListResources",
            Operation::StartMailboxExportJob => "StartMailboxExportJob",
            Operation::DescribeMailboxExportJob => "DescribeMailboxExportJob",
            Operation::ListMailboxExportJobs => "ListMailboxExportJobs",
        }
    }

    /// The operation named `name`, if the emulator answers it.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL
            .iter()
            .copied()
            .find(|op| op.as_str() == name)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an `X-Amz-Target` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// An operation the emulator answers.
    Emulated(Operation),
    /// Another WorkMail operation (`WorkMailService.CreateUser`): answered
    /// `UnsupportedOperationException`.
    NotEmulated(&'a str),
    /// A target outside WorkMail: answered `UnknownOperationException`.
    Unknown,
}

impl<'a> Target<'a> {
    /// Reads an `X-Amz-Target` header value.
    pub fn parse(target: &'a str) -> Target<'a> {
        match target.strip_prefix(TARGET_PREFIX) {
            Some(name) => match Operation::from_name(name) {
                Some(op) => Target::Emulated(op),
                None if !name.is_empty()
                    && name.len() <= 128
                    && name.bytes().all(|b| b.is_ascii_alphanumeric()) =>
                {
                    Target::NotEmulated(name)
                }
                None => Target::Unknown,
            },
            None => Target::Unknown,
        }
    }
}

/// The Region named by a SigV4 `Authorization` header's credential scope
/// (`Credential=AKID/DATE/REGION/workmail/aws4_request`). The signature is not checked.
///
/// # Errors
/// [`Exception`] `IncompleteSignatureException` (403) when the header has no credential
/// scope of the service `workmail`; `InvalidParameterException` when its Region has no
/// WorkMail.
pub fn region_of_authorization(authorization: &str) -> Result<Region, Exception> {
    let incomplete = || {
        Exception::new(
            ErrorName::IncompleteSignature,
            "the Authorization header has no SigV4 credential scope \
             Credential=KEY/DATE/REGION/workmail/aws4_request",
        )
    };
    let scope = authorization
        .split([',', ' '])
        .find_map(|part| part.trim().strip_prefix("Credential="))
        .ok_or_else(incomplete)?;
    let mut parts = scope.split('/');
    let (_key, _date, region, service, terminator) = (
        parts.next(),
        parts.next(),
        parts.next().ok_or_else(incomplete)?,
        parts.next(),
        parts.next(),
    );
    if service != Some("workmail") || terminator != Some("aws4_request") {
        return Err(incomplete());
    }
    Region::parse(region).map_err(|err| {
        Exception::new(
            ErrorName::InvalidParameter,
            format!("the credential scope's Region: {err}"),
        )
    })
}

/// An exception name the emulator answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorName {
    /// One of the model's codes, from a rule of the crate.
    Code(AwsErrorCode),
    /// `OrganizationNotFoundException`.
    OrganizationNotFound,
    /// `OrganizationStateException`.
    OrganizationState,
    /// `MailDomainNotFoundException`.
    MailDomainNotFound,
    /// `EntityNotFoundException`: no such user, resource or export job, or an entity
    /// without a mailbox.
    EntityNotFound,
    /// `InvalidParameterException`, for what the crate has no rule of.
    InvalidParameter,
    /// `SerializationException`: a body that cannot be read.
    Serialization,
    /// `UnknownOperationException`: a target outside WorkMail, or none.
    UnknownOperation,
    /// `UnsupportedOperationException`: a WorkMail operation the emulator does not answer.
    UnsupportedOperation,
    /// `MissingAuthenticationTokenException` (403): no `Authorization` header.
    MissingAuthenticationToken,
    /// `IncompleteSignatureException` (403): an `Authorization` without a credential scope.
    IncompleteSignature,
    /// `RequestEntityTooLargeException` (413): a body over [`MAX_BODY_BYTES`].
    RequestEntityTooLarge,
    /// `ThrottlingException`: an injected fault.
    Throttling,
    /// `InternalFailure` (500): the store failed, or an injected fault.
    InternalFailure,
    /// `ResourceNotFoundException` (404): a control path that does not exist.
    ResourceNotFound,
}

impl ErrorName {
    /// The name on the wire, `__type`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorName::Code(code) => code.exception_name(),
            ErrorName::OrganizationNotFound => "OrganizationNotFoundException",
            ErrorName::OrganizationState => "OrganizationStateException",
            ErrorName::MailDomainNotFound => "MailDomainNotFoundException",
            ErrorName::EntityNotFound => "EntityNotFoundException",
            ErrorName::InvalidParameter => "InvalidParameterException",
            ErrorName::Serialization => "SerializationException",
            ErrorName::UnknownOperation => "UnknownOperationException",
            ErrorName::UnsupportedOperation => "UnsupportedOperationException",
            ErrorName::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            ErrorName::IncompleteSignature => "IncompleteSignatureException",
            ErrorName::RequestEntityTooLarge => "RequestEntityTooLargeException",
            ErrorName::Throttling => "ThrottlingException",
            ErrorName::InternalFailure => "InternalFailure",
            ErrorName::ResourceNotFound => "ResourceNotFoundException",
        }
    }

    /// The HTTP status it is answered with.
    pub const fn status(self) -> StatusCode {
        match self {
            ErrorName::MissingAuthenticationToken | ErrorName::IncompleteSignature => {
                StatusCode::FORBIDDEN
            }
            ErrorName::RequestEntityTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorName::InternalFailure => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorName::ResourceNotFound => StatusCode::NOT_FOUND,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl From<AwsErrorCode> for ErrorName {
    fn from(code: AwsErrorCode) -> Self {
        match code {
            AwsErrorCode::InvalidParameter => ErrorName::InvalidParameter,
            code => ErrorName::Code(code),
        }
    }
}

/// An AWS exception: a name and a message, answered as
/// `{"__type": "<Name>Exception", "Message": "..."}` with the name's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    name: ErrorName,
    message: String,
}

impl Exception {
    /// The exception `name` with `message` (cut to 4096 characters).
    pub fn new(name: ErrorName, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
            message.truncate(cut);
            message.push_str("...");
        }
        Exception { name, message }
    }

    /// The name.
    #[cfg(test)]
    fn name(&self) -> ErrorName {
        self.name
    }

    /// `InternalFailure` with `err`'s message: the store failed, or the emulator did.
    pub fn internal(err: impl fmt::Display) -> Self {
        Exception::new(ErrorName::InternalFailure, err.to_string())
    }

    /// `RequestEntityTooLargeException`: a body over [`MAX_BODY_BYTES`].
    pub fn too_large() -> Self {
        Exception::new(
            ErrorName::RequestEntityTooLarge,
            format!("the request body is over {MAX_BODY_BYTES} bytes"),
        )
    }

    /// The response that carries it.
    pub fn into_response(self) -> Response<Bytes> {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "__type")]
            kind: &'a str,
            #[serde(rename = "Message")]
            message: &'a str,
        }
        let body = Body {
            kind: self.name.as_str(),
            message: &self.message,
        };
        json(self.name.status(), &body)
    }
}

impl From<StoreError> for Exception {
    fn from(err: StoreError) -> Self {
        Exception::internal(err)
    }
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name.as_str(), self.message)
    }
}

impl std::error::Error for Exception {}

/// An extension on a [`Response`]: instead of sending it, the server closes the
/// connection. An injected `DropAfter` fault puts it there, after the call took effect, so
/// that a client retries a call that was performed; a server other than
/// [`server::serve`](crate::server::serve) (an in-process test client) honours it the same
/// way. (An injected `ServerErrorAfter` needs no marker: the core answers the 500 itself.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DropConnection;

/// A response of `status` with `body` as JSON, in the protocol's content type.
pub fn json(status: StatusCode, body: &impl Serialize) -> Response<Bytes> {
    let (status, body) = match serde_json::to_vec(body) {
        Ok(body) => (status, Bytes::from(body)),
        // Serializing plain structs and strings does not fail; say so on the wire if it did.
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Bytes::from_static(
                br#"{"__type":"InternalFailure","Message":"the response could not be written"}"#,
            ),
        ),
    };
    with_body(status, body)
}

/// HTTP 200 with `body` as JSON.
pub fn ok(body: &impl Serialize) -> Response<Bytes> {
    json(StatusCode::OK, body)
}

/// HTTP 200 with the empty object `{}`, the answer of the calls that return nothing.
pub fn ok_empty() -> Response<Bytes> {
    with_body(StatusCode::OK, Bytes::from_static(b"{}"))
}

fn with_body(status: StatusCode, body: Bytes) -> Response<Bytes> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE_HEADER, HeaderValue::from_static(CONTENT_TYPE));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_are_compared_by_their_essence() {
        for (value, expected) in [
            ("application/x-amz-json-1.1", true),
            ("Application/X-Amz-Json-1.1; charset=utf-8", true),
            ("application/x-amz-json-1.1 ;charset=utf-8", true),
            ("application/x-amz-json-1.10", false),
            ("application/json", false),
            ("", false),
        ] {
            let value = HeaderValue::from_static(value);
            assert_eq!(is_protocol_content_type(&value), expected, "{value:?}");
        }
    }

    #[test]
    fn targets_are_read_as_the_protocol_says() {
        assert_eq!(
            Target::parse("WorkMailService.CreateOrganization"),
            Target::Emulated(Operation::CreateOrganization)
        );
        assert_eq!(
            Target::parse("WorkMailService.CreateUser"),
            Target::NotEmulated("CreateUser")
        );
        assert_eq!(Target::parse("DynamoDB_20120810.GetItem"), Target::Unknown);
        assert_eq!(Target::parse("WorkMailService."), Target::Unknown);
        assert_eq!(Target::parse("WorkMailService.a/b"), Target::Unknown);
    }

    #[test]
    fn the_region_comes_from_the_credential_scope() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/workmail/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
        assert_eq!(region_of_authorization(header), Ok(Region::EuWest1));
        let other_service = header.replace("/workmail/", "/s3/");
        assert_eq!(
            region_of_authorization(&other_service).map_err(|e| e.name()),
            Err(ErrorName::IncompleteSignature)
        );
        let elsewhere = header.replace("eu-west-1", "ap-south-1");
        assert_eq!(
            region_of_authorization(&elsewhere).map_err(|e| e.name()),
            Err(ErrorName::InvalidParameter)
        );
        assert_eq!(
            region_of_authorization("Bearer x").map_err(|e| e.name()),
            Err(ErrorName::IncompleteSignature)
        );
    }

    #[test]
    fn exceptions_are_aws_shaped_and_bounded() {
        let response = Exception::new(ErrorName::Serialization, "x".repeat(10_000)).into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(body["__type"], "SerializationException");
        assert_eq!(body["Message"].as_str().map(str::len), Some(4099));
    }
}
