//! `ListOrganizations`: the request and its paged response.

use serde::{Deserialize, Serialize};

use crate::id::scan::overlong;
use crate::id::ParseErrorKind;
use crate::id::{DomainName, OrganizationAlias, OrganizationId, ParseError};
use crate::lifecycle::ReportedState;
use crate::reported::Reported;
use crate::rule::Rule;
use crate::text::string_type;

use super::organization::MAX_STRING;
use super::response::{Fields, ResponseError};

/// The most organizations one `ListOrganizations` page may hold (API model: `MaxResults`).
pub const MAX_RESULTS: u8 = 100;

/// The most characters of a paging token (API model: `NextToken`).
pub const MAX_NEXT_TOKEN_LEN: usize = 1024;

/// A `ListOrganizations` paging token: 1 to 1,024 characters, opaque (API model:
/// `NextToken`).
///
/// ```
/// use workmail_org::aws::NextToken;
/// let token: NextToken = "AAMA-EFRSURBSGh...".parse()?;
/// assert!("".parse::<NextToken>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NextToken(Box<str>);

impl NextToken {
    /// Parses a paging token.
    ///
    /// # Errors
    /// [`Rule::NextTokenLength`] for an empty token or one over 1,024 characters.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let actual = overlong(input, MAX_NEXT_TOKEN_LEN).unwrap_or_else(|| input.chars().count());
        if !(1..=MAX_NEXT_TOKEN_LEN).contains(&actual) {
            return Err(ParseError::new(
                Rule::NextTokenLength,
                ParseErrorKind::Length {
                    min: 1,
                    max: MAX_NEXT_TOKEN_LEN,
                    actual,
                },
                input,
            ));
        }
        Ok(NextToken(input.into()))
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_type!(NextToken, "a ListOrganizations paging token");

/// The body of a `ListOrganizations` request: the page to read and its size.
///
/// ```
/// use workmail_org::aws::ListOrganizationsRequest;
///
/// let first = ListOrganizationsRequest::first_page(25)?;
/// assert_eq!(serde_json::to_string(&first)?, r#"{"MaxResults":25}"#);
/// assert!(ListOrganizationsRequest::first_page(0).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    rename_all = "PascalCase",
    deny_unknown_fields,
    try_from = "RawListRequest"
)]
pub struct ListOrganizationsRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<NextToken>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_results: Option<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RawListRequest {
    next_token: Option<NextToken>,
    max_results: Option<u64>,
}

impl TryFrom<RawListRequest> for ListOrganizationsRequest {
    type Error = PageSizeError;

    fn try_from(raw: RawListRequest) -> Result<Self, PageSizeError> {
        let max_results = raw
            .max_results
            .map(|n| page_size(u8::try_from(n).unwrap_or(u8::MAX)))
            .transpose()?;
        Ok(ListOrganizationsRequest {
            next_token: raw.next_token,
            max_results,
        })
    }
}

/// A page size outside 1 to [`MAX_RESULTS`].
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("MaxResults {0} is out of range (1 to {MAX_RESULTS})")]
pub struct PageSizeError(u8);

crate::text::debug_as_display!(PageSizeError);

pub(super) fn page_size(max_results: u8) -> Result<u8, PageSizeError> {
    if (1..=MAX_RESULTS).contains(&max_results) {
        Ok(max_results)
    } else {
        Err(PageSizeError(max_results))
    }
}

impl ListOrganizationsRequest {
    /// The first page, of at most `max_results` organizations.
    ///
    /// # Errors
    /// [`PageSizeError`] unless `max_results` is 1 to 100.
    pub fn first_page(max_results: u8) -> Result<Self, PageSizeError> {
        Ok(ListOrganizationsRequest {
            next_token: None,
            max_results: Some(page_size(max_results)?),
        })
    }

    /// The page after the one whose response carried `token`, of the same size.
    pub fn next_page(&self, token: NextToken) -> Self {
        ListOrganizationsRequest {
            next_token: Some(token),
            max_results: self.max_results,
        }
    }

    /// `NextToken`.
    pub fn next_token(&self) -> Option<&NextToken> {
        self.next_token.as_ref()
    }

    /// `MaxResults`; `None` leaves the page size to AWS.
    pub fn max_results(&self) -> Option<u8> {
        self.max_results
    }
}

/// A `ListOrganizations` response: one page of summaries and the token of the next page.
///
/// ```
/// use workmail_org::aws::ListOrganizationsResponse;
///
/// let page: ListOrganizationsResponse = serde_json::from_str(r#"{
///     "OrganizationSummaries": [
///         {"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme",
///          "DefaultMailDomain": "acme.com", "State": "Active"},
///         {"OrganizationId": "m-fedcba9876543210fedcba9876543210", "Alias": "gone",
///          "State": "Deleted"}
///     ],
///     "NextToken": "page-2"
/// }"#)?;
/// assert_eq!(page.organization_summaries().len(), 2);
/// assert_eq!(page.next_token().map(|t| t.as_str()), Some("page-2"));
///
/// let err = serde_json::from_str::<ListOrganizationsResponse>(
///     r#"{"OrganizationSummaries": [{"Alias": "acme", "State": "Active"}]}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().starts_with(
///     "ListOrganizations response: OrganizationSummaries[0].OrganizationId: missing, but required"
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawListResponse")]
pub struct ListOrganizationsResponse {
    organization_summaries: Vec<OrganizationSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<NextToken>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawListResponse {
    #[serde(default)]
    pub(super) organization_summaries: Vec<RawSummary>,
    pub(super) next_token: Option<String>,
}

impl TryFrom<RawListResponse> for ListOrganizationsResponse {
    type Error = ResponseError;

    fn try_from(raw: RawListResponse) -> Result<Self, ResponseError> {
        let fields = Fields {
            operation: "ListOrganizations",
        };
        let organization_summaries = raw
            .organization_summaries
            .into_iter()
            .enumerate()
            .map(|(index, summary)| {
                summary.into_summary(&fields, &format!("OrganizationSummaries[{index}]."))
            })
            .collect::<Result<_, _>>()?;
        Ok(ListOrganizationsResponse {
            organization_summaries,
            next_token: raw
                .next_token
                .map(|token| fields.parsed("NextToken", &token))
                .transpose()?,
        })
    }
}

impl ListOrganizationsResponse {
    /// One page: `organization_summaries` in order, and the token of the next page when more
    /// follow.
    ///
    /// ```
    /// use workmail_org::aws::{ListOrganizationsResponse, OrganizationSummary};
    /// use workmail_org::lifecycle::OrganizationState;
    ///
    /// let summary = OrganizationSummary::builder(
    ///     "m-0123456789abcdef0123456789abcdef".parse()?,
    ///     "acme".parse()?,
    ///     OrganizationState::Active,
    /// )
    /// .default_mail_domain("acme.com")
    /// .build()?;
    /// let page = ListOrganizationsResponse::new(vec![summary], Some("page-2".parse()?));
    /// assert_eq!(
    ///     serde_json::to_string(&page)?,
    ///     r#"{"OrganizationSummaries":[{"OrganizationId":"m-0123456789abcdef0123456789abcdef","Alias":"acme","State":"Active","DefaultMailDomain":"acme.com"}],"NextToken":"page-2"}"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        organization_summaries: Vec<OrganizationSummary>,
        next_token: Option<NextToken>,
    ) -> Self {
        ListOrganizationsResponse {
            organization_summaries,
            next_token,
        }
    }

    /// `OrganizationSummaries`, in AWS's order.
    pub fn organization_summaries(&self) -> &[OrganizationSummary] {
        &self.organization_summaries
    }

    /// `NextToken`: more pages follow when present.
    pub fn next_token(&self) -> Option<&NextToken> {
        self.next_token.as_ref()
    }
}

/// One entry of a `ListOrganizations` response.
///
/// `OrganizationId`, `Alias` and `State` are required, as for
/// [`Organization`](super::Organization); the rest may be absent. Serde reads and writes the
/// entry's own JSON.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawSummary")]
pub struct OrganizationSummary {
    organization_id: OrganizationId,
    alias: OrganizationAlias,
    state: ReportedState,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_mail_domain: Option<Reported<DomainName>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<Box<str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawSummary {
    pub(super) organization_id: Option<String>,
    pub(super) alias: Option<String>,
    pub(super) state: Option<String>,
    pub(super) default_mail_domain: Option<String>,
    pub(super) error_message: Option<String>,
}

impl RawSummary {
    /// Checks every field, naming it as `PREFIX` + the field.
    fn into_summary(
        self,
        fields: &Fields,
        prefix: &str,
    ) -> Result<OrganizationSummary, ResponseError> {
        let name = |field: &str| format!("{prefix}{field}");
        let id = fields.required(&name("OrganizationId"), self.organization_id)?;
        let alias = fields.required(&name("Alias"), self.alias)?;
        let state = fields.required(&name("State"), self.state)?;
        Ok(OrganizationSummary {
            organization_id: fields.parsed(&name("OrganizationId"), &id)?,
            alias: fields.parsed(&name("Alias"), &alias)?,
            state: fields.reported(&name("State"), state, MAX_STRING)?,
            // The summary types `DefaultMailDomain` as a `DomainName` (3 to 255).
            default_mail_domain: self
                .default_mail_domain
                .map(|v| fields.reported(&name("DefaultMailDomain"), v, 255))
                .transpose()?,
            error_message: self
                .error_message
                .map(|v| fields.text(&name("ErrorMessage"), v, 0, MAX_STRING))
                .transpose()?,
        })
    }
}

impl TryFrom<RawSummary> for OrganizationSummary {
    type Error = ResponseError;

    fn try_from(raw: RawSummary) -> Result<Self, ResponseError> {
        raw.into_summary(
            &Fields {
                operation: "ListOrganizations",
            },
            "",
        )
    }
}

impl OrganizationSummary {
    /// A builder for the summary of organization `organization_id`, named `alias`, in
    /// `state`; [`build`](OrganizationSummaryBuilder::build) checks the other fields as a
    /// summary read from JSON is checked (see [`ListOrganizationsResponse::new`]).
    pub fn builder(
        organization_id: OrganizationId,
        alias: OrganizationAlias,
        state: impl Into<ReportedState>,
    ) -> OrganizationSummaryBuilder {
        OrganizationSummaryBuilder {
            organization_id,
            alias,
            state: state.into(),
            default_mail_domain: None,
            error_message: None,
        }
    }

    /// `OrganizationId`.
    pub fn organization_id(&self) -> &OrganizationId {
        &self.organization_id
    }

    /// `Alias`.
    pub fn alias(&self) -> &OrganizationAlias {
        &self.alias
    }

    /// `State`, kept even when this version does not know it.
    pub fn state(&self) -> &ReportedState {
        &self.state
    }

    /// `DefaultMailDomain`.
    pub fn default_mail_domain(&self) -> Option<&Reported<DomainName>> {
        self.default_mail_domain.as_ref()
    }

    /// `ErrorMessage`.
    pub fn error_message(&self) -> Option<&str> {
        self.error_message.as_deref()
    }
}

/// Builds an [`OrganizationSummary`] from parts, checking them in [`build`](Self::build).
#[derive(Clone, Debug)]
#[must_use]
pub struct OrganizationSummaryBuilder {
    organization_id: OrganizationId,
    alias: OrganizationAlias,
    state: ReportedState,
    default_mail_domain: Option<String>,
    error_message: Option<String>,
}

impl OrganizationSummaryBuilder {
    /// Sets `DefaultMailDomain`.
    pub fn default_mail_domain(mut self, domain: impl Into<String>) -> Self {
        self.default_mail_domain = Some(domain.into());
        self
    }

    /// Sets `ErrorMessage`.
    pub fn error_message(mut self, message: impl Into<String>) -> Self {
        self.error_message = Some(message.into());
        self
    }

    /// Checks every part and builds the summary.
    ///
    /// # Errors
    /// The first part a `ListOrganizations` response could not carry, as a [`ResponseError`]
    /// naming its field: `State` or `ErrorMessage` over 256 characters, a
    /// `DefaultMailDomain` over 255.
    pub fn build(self) -> Result<OrganizationSummary, ResponseError> {
        let fields = Fields {
            operation: "ListOrganizations",
        };
        Ok(OrganizationSummary {
            organization_id: self.organization_id,
            alias: self.alias,
            state: fields.reported("State", self.state.as_str().to_owned(), MAX_STRING)?,
            // The summary types `DefaultMailDomain` as a `DomainName` (3 to 255).
            default_mail_domain: self
                .default_mail_domain
                .map(|v| fields.reported("DefaultMailDomain", v, 255))
                .transpose()?,
            error_message: self
                .error_message
                .map(|v| fields.text("ErrorMessage", v, 0, MAX_STRING))
                .transpose()?,
        })
    }
}
