//! Speaking AWS: the WorkMail calls that create, read and delete an organization, list its
//! domains, users and resources, and export its mailboxes, as pure data.
//!
//! This crate still makes no call: it builds the exact request bodies (in the WorkMail JSON
//! API's own form, PascalCase) and reads the responses the caller's client got back, checking
//! every field against the WorkMail API model (version 2017-10-01) and naming the field that
//! fails. The caller owns the client, its Region and its credentials.
//!
//! | call | request | response |
//! | --- | --- | --- |
//! | `CreateOrganization` | [`CreateOrganization`] (the body and the Region) from a valid spec | the new `OrganizationId` |
//! | `DescribeOrganization` | the organization id | [`Organization`] |
//! | `ListOrganizations` | [`ListOrganizationsRequest`] | [`ListOrganizationsResponse`] of [`OrganizationSummary`] |
//! | `DeleteOrganization` | [`DeleteOrganizationRequest`] | [`DeleteOrganizationResponse`] |
//! | `GetMailDomain` | the organization id and the domain | [`GetMailDomainResponse`] of [`DnsRecord`]s, read further by [`dns`](crate::dns) |
//! | `ListMailDomains` | [`ListMailDomainsRequest`] | [`ListMailDomainsResponse`] of [`MailDomainSummary`] |
//! | `ListUsers` | [`ListUsersRequest`] | [`ListUsersResponse`] of [`User`] |
//! | `ListResources` | [`ListResourcesRequest`] | [`ListResourcesResponse`] of [`Resource`] |
//! | `StartMailboxExportJob` | [`StartMailboxExportJobRequest`] | [`StartMailboxExportJobResponse`] (the `JobId`) |
//! | `DescribeMailboxExportJob` | [`DescribeMailboxExportJobRequest`] | [`DescribeMailboxExportJobResponse`] |
//! | `ListMailboxExportJobs` | [`ListMailboxExportJobsRequest`] | [`ListMailboxExportJobsResponse`] of [`MailboxExportJob`] |
//! | any, failing | | [`AwsException`], by exception name |
//! | `CreateOrganization`, answered | | [`CreateAnswer`]: whether the request took effect ([`Effect`]), on a first send or a resend ([`Attempt`]) |
//!
//! Fields AWS types as free-form strings are kept as [`Reported`](crate::Reported) values
//! (the crate's one lenient form): the exact text, and the typed value when this crate knows
//! it; a `State` is a [`ReportedState`](crate::lifecycle::ReportedState). AWS's own
//! documentation shows values no spec can choose (`DirectoryType: VpcDirectory`) and ARNs
//! whose organization id is not the documented form; they are kept, not rejected.
//!
//! A response that breaks the API model is a [`ResponseError`]: the crate's one error for a
//! malformed AWS response, naming the operation, the field (`Records[2].Value`) and the
//! [`ResponseErrorKind`].
//!
//! ```
//! use workmail_org::aws::{CreateOrganization, Organization};
//! use workmail_org::OrganizationSpec;
//!
//! let spec: OrganizationSpec = serde_json::from_str(
//!     r#"{"alias": "acme-corp", "region": "us-east-1",
//!         "domains": [{"type": "external", "name": "acme.org"}]}"#,
//! )?;
//! let call = CreateOrganization::new(&spec)?;
//! let body = serde_json::to_string(call.request())?;
//! assert_eq!(body, r#"{"Alias":"acme-corp","Domains":[{"DomainName":"acme.org"}]}"#);
//!
//! // ... the caller sends `body` to WorkMail in `call.region()`, then describes the result:
//! let org: Organization = serde_json::from_str(
//!     r#"{"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme-corp",
//!         "State": "Creating", "SomeFieldAwsAddedLater": 1}"#,
//! )?;
//! org.check_against(&spec).expect("AWS created what the spec asked for");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[macro_use]
mod paged;

mod create;
mod delete;
mod entity;
mod exception;
mod export;
mod list;
mod mail_domain;
mod mail_domains;
mod organization;
mod outcome;
mod response;
#[cfg(feature = "aws-sdk")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws-sdk")))]
pub mod sdk;
mod timestamp;

pub use create::{
    CreateOrganization, CreateOrganizationError, CreateOrganizationRequest,
    CreateOrganizationResponse, Problem, RequestDomain,
};
pub use delete::{DeleteOrganizationRequest, DeleteOrganizationResponse};
pub use entity::{
    EntityState, ListResourcesRequest, ListResourcesResponse, ListUsersRequest, ListUsersResponse,
    Resource, ResourceBuilder, ResourceType, User, UserBuilder, UserRole,
};
pub use exception::{AwsException, MAX_EXCEPTION_NAME_LEN};
pub use export::{
    DescribeMailboxExportJobRequest, DescribeMailboxExportJobResponse,
    DescribeMailboxExportJobResponseBuilder, ExportJobState, ListMailboxExportJobsRequest,
    ListMailboxExportJobsResponse, MailboxExportJob, MailboxExportJobBuilder,
    StartMailboxExportJobRequest, StartMailboxExportJobResponse, MAX_EXPORT_TEXT_LEN,
};
pub use list::{
    ListOrganizationsRequest, ListOrganizationsResponse, NextToken, OrganizationSummary,
    OrganizationSummaryBuilder, PageSizeError, MAX_NEXT_TOKEN_LEN, MAX_RESULTS,
};
pub(crate) use mail_domain::record_field;
pub use mail_domain::{
    DnsRecord, GetMailDomainResponse, GetMailDomainResponseBuilder, RecordType, VerificationStatus,
    MAX_FIELD_LEN, MAX_RECORDS,
};
pub use mail_domains::{ListMailDomainsRequest, ListMailDomainsResponse, MailDomainSummary};
pub use organization::{Mismatch, Organization, OrganizationBuilder};
pub use outcome::{Attempt, CreateAnswer, Effect};
pub use response::{ResponseError, ResponseErrorKind};
pub use timestamp::{Timestamp, TimestampError};
