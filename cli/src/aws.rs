//! The calls to WorkMail, through the Rust SDK, each in its organization's Region.

use std::time::Duration;

use aws_sdk_workmail::config::timeout::TimeoutConfig;
use aws_sdk_workmail::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_workmail::Client;
use workmail_org::aws::{
    CreateAnswer, CreateOrganization, DeleteOrganizationRequest, DeleteOrganizationResponse,
    DescribeMailboxExportJobRequest, DescribeMailboxExportJobResponse, GetMailDomainResponse,
    ListMailDomainsRequest, ListMailDomainsResponse, ListOrganizationsRequest,
    ListOrganizationsResponse, ListResourcesRequest, ListResourcesResponse, ListUsersRequest,
    ListUsersResponse, Organization, Resource, StartMailboxExportJobRequest,
    StartMailboxExportJobResponse, User, MAX_RESULTS,
};
use workmail_org::leaving::{MAX_DOMAINS, MAX_ENTITIES};
use workmail_org::{DomainName, ExportJobId, OrganizationId, Region};

use crate::args::Global;

/// How long one attempt of a call may take, and how long a connection may take to open.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The SDK's configuration, loaded once: Region, credentials, profile, endpoint.
#[derive(Clone, Debug)]
pub struct Aws {
    config: aws_sdk_workmail::Config,
}

/// Why a call other than `CreateOrganization` failed.
#[derive(Debug)]
pub enum CallError {
    /// AWS could not be reached, timed out or failed (a 5xx): try again later (exit 3).
    Unreachable(String),
    /// AWS refused the call (a 4xx), or answered what cannot be read (exit 1).
    Refused {
        /// The exception's name, or `Malformed`.
        code: String,
        /// What AWS said.
        message: String,
    },
}

impl CallError {
    fn from_sdk<E: ProvideErrorMetadata + std::error::Error + 'static>(
        operation: &str,
        err: SdkError<E>,
    ) -> Self {
        match &err {
            SdkError::ServiceError(service) if !service.raw().status().is_server_error() => {
                CallError::Refused {
                    code: bounded(service.err().code().unwrap_or("Unknown")),
                    message: bounded(&format!(
                        "{operation}: {}",
                        service.err().message().unwrap_or("no message")
                    )),
                }
            }
            _ => CallError::Unreachable(format!("{operation}: {}", chain(&err))),
        }
    }
}

/// The most characters of a message the tool passes on from AWS or a database.
pub const MAX_MESSAGE_CHARS: usize = 1024;

/// `text`, cut to [`MAX_MESSAGE_CHARS`] characters with `...` when longer.
pub fn bounded(text: &str) -> String {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

/// An error's message and every source's after it, bounded.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    bounded(&message)
}

impl Aws {
    /// Loads the SDK's usual configuration, with `--region` and `--endpoint-url` over it.
    pub async fn load(global: &Global) -> Self {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(region) = &global.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        if let Some(url) = &global.endpoint_url {
            loader = loader.endpoint_url(url.clone());
        }
        let shared = loader.load().await;
        let config = aws_sdk_workmail::config::Builder::from(&shared)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                    .build(),
            )
            .build();
        Aws { config }
    }

    /// A client for `region`.
    fn client(&self, region: Region) -> Client {
        Client::from_conf(
            self.config
                .to_builder()
                .region(aws_sdk_workmail::config::Region::new(region.as_str()))
                .build(),
        )
    }

    /// Sends `call` (with the SDK's own retries) and says what the answer was.
    pub async fn create(&self, call: &CreateOrganization) -> CreateAnswer {
        let builder = match call.request().to_sdk_builder() {
            Ok(builder) => builder,
            Err(_) => return CreateAnswer::NotSent,
        };
        CreateAnswer::from_sdk(builder.send_with(&self.client(call.region())).await)
    }

    /// `DescribeOrganization`.
    pub async fn describe(
        &self,
        region: Region,
        id: &OrganizationId,
    ) -> Result<Organization, CallError> {
        let output = self
            .client(region)
            .describe_organization()
            .organization_id(id.as_str())
            .send()
            .await
            .map_err(|err| CallError::from_sdk("DescribeOrganization", err))?;
        Organization::try_from(&output).map_err(|err| CallError::Refused {
            code: "Malformed".to_owned(),
            message: err.to_string(),
        })
    }

    /// One page of `ListOrganizations`.
    pub async fn list(
        &self,
        region: Region,
        request: &ListOrganizationsRequest,
    ) -> Result<ListOrganizationsResponse, CallError> {
        let output = request
            .to_sdk_builder()
            .send_with(&self.client(region))
            .await
            .map_err(|err| CallError::from_sdk("ListOrganizations", err))?;
        ListOrganizationsResponse::try_from(&output).map_err(|err| CallError::Refused {
            code: "Malformed".to_owned(),
            message: err.to_string(),
        })
    }
}

/// What cannot be read is `Malformed` (exit 1).
fn malformed(err: impl std::fmt::Display) -> CallError {
    CallError::Refused {
        code: "Malformed".to_owned(),
        message: bounded(&err.to_string()),
    }
}

/// Sends an SDK input builder and converts the output, with one error shape.
macro_rules! call {
    ($self:ident, $region:expr, $operation:literal, $builder:expr, $output:ty) => {{
        let output = $builder
            .send_with(&$self.client($region))
            .await
            .map_err(|err| CallError::from_sdk($operation, err))?;
        <$output>::try_from(&output).map_err(malformed)
    }};
}

impl Aws {
    /// Every user of `id`, every page.
    pub async fn users(&self, region: Region, id: &OrganizationId) -> Result<Vec<User>, CallError> {
        let mut request =
            ListUsersRequest::first_page(id.clone(), MAX_RESULTS).map_err(malformed)?;
        let mut all = Vec::new();
        loop {
            let page = call!(
                self,
                region,
                "ListUsers",
                request.to_sdk_builder(),
                ListUsersResponse
            )?;
            all.extend(page.users().iter().cloned());
            match page.next_token() {
                Some(token) if all.len() <= MAX_ENTITIES => {
                    request = request.next_page(token.clone())
                }
                _ => return Ok(all),
            }
        }
    }

    /// Every resource of `id`, every page.
    pub async fn resources(
        &self,
        region: Region,
        id: &OrganizationId,
    ) -> Result<Vec<Resource>, CallError> {
        let mut request =
            ListResourcesRequest::first_page(id.clone(), MAX_RESULTS).map_err(malformed)?;
        let mut all = Vec::new();
        loop {
            let page = call!(
                self,
                region,
                "ListResources",
                request.to_sdk_builder(),
                ListResourcesResponse
            )?;
            all.extend(page.resources().iter().cloned());
            match page.next_token() {
                Some(token) if all.len() <= MAX_ENTITIES => {
                    request = request.next_page(token.clone())
                }
                _ => return Ok(all),
            }
        }
    }

    /// Every mail domain of `id`, every page, with its `GetMailDomain` answer.
    pub async fn domains(
        &self,
        region: Region,
        id: &OrganizationId,
    ) -> Result<Vec<(DomainName, GetMailDomainResponse)>, CallError> {
        let mut request =
            ListMailDomainsRequest::first_page(id.clone(), MAX_RESULTS).map_err(malformed)?;
        let mut names = Vec::new();
        loop {
            let page = call!(
                self,
                region,
                "ListMailDomains",
                request.to_sdk_builder(),
                ListMailDomainsResponse
            )?;
            for domain in page.mail_domains() {
                let name = domain.domain_name().known().cloned().ok_or_else(|| {
                    malformed(format!(
                        "ListMailDomains: domain {} is not valid",
                        domain.domain_name()
                    ))
                })?;
                names.push(name);
            }
            match page.next_token() {
                Some(token) if names.len() <= MAX_DOMAINS => {
                    request = request.next_page(token.clone())
                }
                _ => break,
            }
        }
        let mut domains = Vec::with_capacity(names.len());
        for name in names {
            let output = self
                .client(region)
                .get_mail_domain()
                .organization_id(id.as_str())
                .domain_name(name.as_str())
                .send()
                .await
                .map_err(|err| CallError::from_sdk("GetMailDomain", err))?;
            domains.push((
                name,
                GetMailDomainResponse::try_from(&output).map_err(malformed)?,
            ));
        }
        Ok(domains)
    }

    /// `StartMailboxExportJob`: the job id, or `None` for `LimitExceededException` (wait and
    /// send again).
    pub async fn start_export(
        &self,
        region: Region,
        request: &StartMailboxExportJobRequest,
    ) -> Result<Option<ExportJobId>, CallError> {
        match call!(
            self,
            region,
            "StartMailboxExportJob",
            request.to_sdk_builder(),
            StartMailboxExportJobResponse
        ) {
            Ok(response) => Ok(Some(response.job_id().clone())),
            Err(CallError::Refused { code, .. }) if code.starts_with("LimitExceeded") => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// `DescribeMailboxExportJob`.
    pub async fn describe_export(
        &self,
        region: Region,
        request: &DescribeMailboxExportJobRequest,
    ) -> Result<DescribeMailboxExportJobResponse, CallError> {
        call!(
            self,
            region,
            "DescribeMailboxExportJob",
            request.to_sdk_builder(),
            DescribeMailboxExportJobResponse
        )
    }

    /// `DeleteOrganization`.
    pub async fn delete(
        &self,
        region: Region,
        request: &DeleteOrganizationRequest,
    ) -> Result<DeleteOrganizationResponse, CallError> {
        call!(
            self,
            region,
            "DeleteOrganization",
            request.to_sdk_builder(),
            DeleteOrganizationResponse
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_bounded() {
        assert_eq!(bounded("short"), "short");
        let long = "é".repeat(MAX_MESSAGE_CHARS + 5);
        let cut = bounded(&long);
        assert_eq!(cut.chars().count(), MAX_MESSAGE_CHARS + 3);
        assert!(cut.ends_with("..."));
    }
}
