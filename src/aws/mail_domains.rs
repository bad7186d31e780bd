//! `ListMailDomains`: an organization's mail domains, paged (WorkMail API model, version
//! 2017-10-01).

use serde::{Deserialize, Serialize};

use super::export::page_bound;
use super::list::NextToken;
use super::response::{Fields, ResponseError};
use crate::id::DomainName;
use crate::reported::Reported;

/// The most characters of a listed `DomainName` this crate reads (API model: the mail-domain
/// calls' `WorkMailDomainName`, 3 to 209; read up to 255, as `DefaultMailDomain` is, and kept
/// as reported).
const MAX_LISTED_DOMAIN_LEN: usize = 255;

const FIELDS: Fields = Fields {
    operation: "ListMailDomains",
};

organization_page_request! {
    /// The body of a `ListMailDomains` request: the organization, the page and its size (API
    /// model: `MaxResults` 1 to 100).
    ///
    /// ```
    /// use workmail_org::aws::ListMailDomainsRequest;
    ///
    /// let request = ListMailDomainsRequest::new("m-0123456789abcdef0123456789abcdef".parse()?);
    /// assert_eq!(
    ///     serde_json::to_string(&request)?,
    ///     r#"{"OrganizationId":"m-0123456789abcdef0123456789abcdef"}"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ListMailDomainsRequest, RawListMailDomainsRequest, "RawListMailDomainsRequest"
}

/// One entry of a `ListMailDomains` response (API model: `MailDomainSummary`): the domain,
/// kept as reported, and whether it is the default.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawMailDomain")]
pub struct MailDomainSummary {
    domain_name: Reported<DomainName>,
    default_domain: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawMailDomain {
    pub(super) domain_name: Option<String>,
    pub(super) default_domain: Option<bool>,
}

impl RawMailDomain {
    fn into_summary(self, prefix: &str) -> Result<MailDomainSummary, ResponseError> {
        let field = format!("{prefix}DomainName");
        let name = FIELDS.required(&field, self.domain_name)?;
        Ok(MailDomainSummary {
            domain_name: FIELDS.reported(&field, name, MAX_LISTED_DOMAIN_LEN)?,
            // An absent `DefaultDomain` reads as `false`, as the AWS SDKs read it.
            default_domain: self.default_domain.unwrap_or_default(),
        })
    }
}

impl TryFrom<RawMailDomain> for MailDomainSummary {
    type Error = ResponseError;

    fn try_from(raw: RawMailDomain) -> Result<Self, ResponseError> {
        raw.into_summary("")
    }
}

impl MailDomainSummary {
    /// The entry for `domain_name`, the default domain or not.
    ///
    /// # Errors
    /// A [`ResponseError`] when `domain_name` has more than 255 characters.
    pub fn new(domain_name: &str, default_domain: bool) -> Result<Self, ResponseError> {
        RawMailDomain {
            domain_name: Some(domain_name.to_owned()),
            default_domain: Some(default_domain),
        }
        .into_summary("")
    }

    /// `DomainName`, kept as reported; [`known`](Reported::known) is the parsed name.
    pub fn domain_name(&self) -> &Reported<DomainName> {
        &self.domain_name
    }

    /// `DefaultDomain`.
    pub fn default_domain(&self) -> bool {
        self.default_domain
    }
}

/// A `ListMailDomains` response: one page of domains (at most 100) and the token of the
/// next.
///
/// ```
/// use workmail_org::aws::ListMailDomainsResponse;
///
/// let page: ListMailDomainsResponse = serde_json::from_str(
///     r#"{"MailDomains": [{"DomainName": "acme.awsapps.com", "DefaultDomain": true}]}"#,
/// )?;
/// assert!(page.mail_domains()[0].default_domain());
/// assert_eq!(page.next_token(), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawMailDomains")]
pub struct ListMailDomainsResponse {
    mail_domains: Vec<MailDomainSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<NextToken>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawMailDomains {
    #[serde(default)]
    pub(super) mail_domains: Option<Vec<RawMailDomain>>,
    pub(super) next_token: Option<String>,
}

impl TryFrom<RawMailDomains> for ListMailDomainsResponse {
    type Error = ResponseError;

    fn try_from(raw: RawMailDomains) -> Result<Self, ResponseError> {
        let domains = raw.mail_domains.unwrap_or_default();
        page_bound(&FIELDS, "MailDomains", domains.len())?;
        Ok(ListMailDomainsResponse {
            mail_domains: domains
                .into_iter()
                .enumerate()
                .map(|(index, domain)| domain.into_summary(&format!("MailDomains[{index}].")))
                .collect::<Result<_, _>>()?,
            next_token: raw
                .next_token
                .map(|token| FIELDS.parsed("NextToken", &token))
                .transpose()?,
        })
    }
}

impl ListMailDomainsResponse {
    /// One page of `mail_domains`, and the token of the next when more follow.
    ///
    /// # Errors
    /// A [`ResponseError`] for more than 100 domains (API model: `MaxResults`).
    pub fn new(
        mail_domains: Vec<MailDomainSummary>,
        next_token: Option<NextToken>,
    ) -> Result<Self, ResponseError> {
        page_bound(&FIELDS, "MailDomains", mail_domains.len())?;
        Ok(ListMailDomainsResponse {
            mail_domains,
            next_token,
        })
    }

    /// `MailDomains`, in AWS's order.
    pub fn mail_domains(&self) -> &[MailDomainSummary] {
        &self.mail_domains
    }

    /// `NextToken`: more pages follow when present.
    pub fn next_token(&self) -> Option<&NextToken> {
        self.next_token.as_ref()
    }
}
