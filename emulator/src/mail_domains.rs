//! `RegisterMailDomain`, `DeregisterMailDomain`, `GetMailDomain`, `ListMailDomains` and
//! `UpdateDefaultMailDomain`.
//!
//! Every use of the crate's `GetMailDomain` types is in this module.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use bytes::Bytes;
use http::Response;
use serde::Deserialize;
use workmail_org::aws::{
    GetMailDomainResponse, ListMailDomainsResponse, MailDomainSummary, NextToken, Organization,
    VerificationStatus,
};
use workmail_org::catalog::{CatalogError, Entry};
use workmail_org::dns::{DkimToken, DomainTokens, RequiredRecords, VerificationToken};
use workmail_org::lifecycle::OrganizationState;
use workmail_org::{DomainName, OrganizationId, Region};

use crate::emulator::Emulator;
use crate::members::{max_results, read_body, required};
use crate::organizations::{organization_id, Snapshot};
use crate::wire::{self, shown, ErrorName, Exception, Operation};

/// How many DKIM tokens a domain gets, as SES issues them.
const DKIM_TOKENS: usize = 3;

// The library's request types are strict (see `organizations.rs`), so the members are read
// as every operation reads them: leniently, then checked one by one. The answers are the
// library's (`GetMailDomainResponse`, `ListMailDomainsResponse`).

/// The members of the calls on one domain: `RegisterMailDomain`, `DeregisterMailDomain`,
/// `GetMailDomain` and `UpdateDefaultMailDomain`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DomainCallMembers {
    organization_id: Option<String>,
    domain_name: Option<String>,
}

/// The members of `ListMailDomains`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListDomainsMembers {
    organization_id: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// An active organization, its mail domain, and whether the domain is its test domain.
struct ActiveDomain {
    entry: Entry,
    organization: Organization,
    id: OrganizationId,
    domain: DomainName,
    is_test_domain: bool,
}

/// `DomainName`: 3 to 209 characters of `[a-zA-Z0-9.-]` (the model's pattern), and a valid
/// domain name.
fn domain_name(raw: Option<String>) -> Result<DomainName, Exception> {
    let raw = required(raw, "DomainName")?;
    let invalid = |problem: String| {
        Exception::new(
            ErrorName::InvalidParameter,
            format!("DomainName: {problem}"),
        )
    };
    if !(3..=209).contains(&raw.len())
        || !raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return Err(invalid(format!(
            "{:?} is not 3 to 209 characters of letters, digits, '.' and '-'",
            shown(&raw, 240)
        )));
    }
    DomainName::parse(&raw).map_err(|err| invalid(err.to_string()))
}

/// The random bytes of an ownership token: 30, 40 base64 characters before the padding.
const VERIFICATION_BYTES: usize = 30;

/// The random bytes of a DKIM token: 16, 32 lower-case hex digits.
const DKIM_BYTES: usize = 16;

/// Fresh tokens for a domain, from the operating system's random source (`getrandom`): the
/// ownership token in standard base64 (`base64`) ending `AAA=`, as SES's do, and the DKIM
/// tokens in lower-case hex.
fn generate_tokens() -> Result<DomainTokens, Exception> {
    let mut random = [0u8; VERIFICATION_BYTES + DKIM_TOKENS * DKIM_BYTES];
    getrandom::fill(&mut random).map_err(Exception::internal)?;
    let (ownership, dkim) = random.split_at(VERIFICATION_BYTES);
    let mut verification = BASE64.encode(ownership);
    verification.push_str("AAA=");
    let verification = VerificationToken::parse(&verification).map_err(Exception::internal)?;
    let dkim = dkim
        .chunks_exact(DKIM_BYTES)
        .map(|token| {
            let hex: String = token.iter().map(|byte| format!("{byte:02x}")).collect();
            DkimToken::parse(&hex).map_err(Exception::internal)
        })
        .collect::<Result<Vec<_>, _>>()?;
    DomainTokens::new(verification, dkim).map_err(Exception::internal)
}

impl Emulator {
    /// The organization, which must be `Active`; `what` ends the message of the refusal
    /// (`"mail domains need it Active"`).
    pub(crate) async fn active_organization(
        &self,
        region: Region,
        raw: Option<String>,
        what: &str,
    ) -> Result<(Entry, Organization, OrganizationId), Exception> {
        let id = organization_id(raw)?;
        let (entry, organization) = self.organization(region, &id).await?;
        if organization.state().known() != Some(&OrganizationState::Active) {
            return Err(Exception::new(
                ErrorName::OrganizationState,
                format!(
                    "organization {id} is {}; {what}",
                    organization.state().as_str()
                ),
            ));
        }
        Ok((entry, organization, id))
    }

    async fn target(
        &self,
        region: Region,
        raw: DomainCallMembers,
    ) -> Result<ActiveDomain, Exception> {
        let (entry, organization, id) = self
            .active_organization(region, raw.organization_id, "mail domains need it Active")
            .await?;
        let domain = domain_name(raw.domain_name)?;
        let is_test_domain = domain == entry.spec().alias().test_domain();
        Ok(ActiveDomain {
            entry,
            organization,
            id,
            domain,
            is_test_domain,
        })
    }

    fn not_found(target: &ActiveDomain) -> Exception {
        Exception::new(
            ErrorName::MailDomainNotFound,
            format!(
                "organization {} has no mail domain \"{}\"",
                target.id, target.domain
            ),
        )
    }

    /// The domain's ownership status: `poll` counts the call as a `GetMailDomain`.
    async fn verification(
        &self,
        target: &ActiveDomain,
        poll: bool,
    ) -> Result<(Option<DomainTokens>, VerificationStatus), Exception> {
        if target.is_test_domain {
            return Ok((None, VerificationStatus::Verified));
        }
        let state = self
            .state()
            .domain(&target.id, &target.domain, generate_tokens()?, poll)
            .await?;
        let status = if state.fails {
            VerificationStatus::Failed
        } else if state.polls >= self.config.verify_after_polls {
            VerificationStatus::Verified
        } else {
            VerificationStatus::Pending
        };
        Ok((Some(state.tokens), status))
    }

    fn is_default(target: &ActiveDomain) -> bool {
        target
            .organization
            .default_mail_domain()
            .is_some_and(|default| default.as_str() == target.domain.as_str())
    }

    pub(crate) async fn register_mail_domain(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: DomainCallMembers = read_body(Operation::RegisterMailDomain, body)?;
        let target = self.target(region, raw).await?;
        if target.is_test_domain {
            return Err(Exception::new(
                ErrorName::InvalidParameter,
                format!(
                    "\"{}\" is the organization's test domain, always registered",
                    target.domain
                ),
            ));
        }
        match self
            .catalog
            .register_mail_domain(target.entry.id(), &target.domain, self.now())
            .await
        {
            Ok(_) => Ok(wire::ok_empty()),
            Err(CatalogError::MailDomainInUse { message, .. }) => Err(Exception::new(
                ErrorName::Code(workmail_org::AwsErrorCode::MailDomainInUse),
                message,
            )),
            Err(err) => Err(Exception::internal(err)),
        }
    }

    pub(crate) async fn deregister_mail_domain(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: DomainCallMembers = read_body(Operation::DeregisterMailDomain, body)?;
        let target = self.target(region, raw).await?;
        if target.is_test_domain {
            return Err(Exception::new(
                ErrorName::InvalidParameter,
                format!(
                    "\"{}\" is the organization's test domain, which cannot be deregistered",
                    target.domain
                ),
            ));
        }
        if Self::is_default(&target) {
            return Err(Exception::new(
                ErrorName::Code(workmail_org::AwsErrorCode::MailDomainInUse),
                format!("\"{}\" is the organization's default mail domain; make another domain the default first", target.domain),
            ));
        }
        // A domain the organization does not hold: nothing to do, as AWS declares no
        // MailDomainNotFound here.
        if target.entry.mail_domains().contains(&target.domain) {
            match self
                .catalog
                .deregister_mail_domain(target.entry.id(), &target.domain, self.now())
                .await
            {
                Ok(_) | Err(CatalogError::MailDomainNotHeld { .. }) => {}
                Err(err) => return Err(Exception::internal(err)),
            }
        }
        self.state()
            .forget_domain(&target.id, &target.domain)
            .await?;
        Ok(wire::ok_empty())
    }

    pub(crate) async fn get_mail_domain(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: DomainCallMembers = read_body(Operation::GetMailDomain, body)?;
        let target = self.target(region, raw).await?;
        if !target.is_test_domain && !target.entry.mail_domains().contains(&target.domain) {
            return Err(Self::not_found(&target));
        }
        let (tokens, status) = self.verification(&target, true).await?;
        let region = target.entry.region();
        // The test domain's ownership and DKIM are AWS's own: only its routing records.
        let records = match &tokens {
            Some(tokens) => RequiredRecords::new(&target.domain, region, tokens),
            None => RequiredRecords::without_tokens(&target.domain, region),
        };
        let mut response = GetMailDomainResponse::builder()
            .is_test_domain(target.is_test_domain)
            .is_default(Self::is_default(&target))
            .ownership_verification_status(Some(status.as_str()))
            .dkim_verification_status(Some(status.as_str()));
        for record in records.to_dns_records() {
            response = response.record(
                Some(record.kind().as_str()),
                Some(record.hostname()),
                Some(record.value()),
            );
        }
        let response = response.build().map_err(Exception::internal)?;
        Ok(wire::ok(&response))
    }

    pub(crate) async fn list_mail_domains(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: ListDomainsMembers = read_body(Operation::ListMailDomains, body)?;
        let (entry, organization, _) = self
            .active_organization(region, raw.organization_id, "mail domains need it Active")
            .await?;
        let limit = max_results(raw.max_results)?;
        let mut domains: Vec<DomainName> = entry.mail_domains().to_vec();
        domains.push(entry.spec().alias().test_domain());
        domains.sort_unstable();
        let default = organization.default_mail_domain().map(|d| d.as_str());
        let after = raw.next_token;
        let page: Vec<&DomainName> = domains
            .iter()
            .filter(|domain| after.as_deref().is_none_or(|after| domain.as_str() > after))
            .take(limit)
            .collect();
        let mail_domains = page
            .iter()
            .map(|domain| {
                MailDomainSummary::new(domain.as_str(), Some(domain.as_str()) == default)
                    .map_err(Exception::internal)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let more = page
            .last()
            .is_some_and(|last| domains.last().is_some_and(|end| end != *last));
        let next_token = page
            .last()
            .filter(|_| page.len() == limit && more)
            .map(|last| NextToken::parse(last.as_str()).map_err(Exception::internal))
            .transpose()?;
        let response =
            ListMailDomainsResponse::new(mail_domains, next_token).map_err(Exception::internal)?;
        Ok(wire::ok(&response))
    }

    pub(crate) async fn update_default_mail_domain(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: DomainCallMembers = read_body(Operation::UpdateDefaultMailDomain, body)?;
        let target = self.target(region, raw).await?;
        if !target.is_test_domain && !target.entry.mail_domains().contains(&target.domain) {
            return Err(Self::not_found(&target));
        }
        let (_, status) = self.verification(&target, false).await?;
        if status != VerificationStatus::Verified {
            return Err(Exception::new(
                ErrorName::Code(workmail_org::AwsErrorCode::MailDomainState),
                format!(
                    "mail domain \"{}\" has ownership verification status {}; only VERIFIED domains can become the default",
                    target.domain,
                    status.as_str()
                ),
            ));
        }
        if Self::is_default(&target) {
            return Ok(wire::ok_empty());
        }
        let mut snapshot = Snapshot {
            entry: &target.entry,
            id: &target.id,
            state: OrganizationState::Active,
            default_domain: target.domain.to_string(),
            completed: None,
            error: None,
        };
        snapshot.completed = target
            .organization
            .completed_date()
            .and_then(|date| u64::try_from(date.seconds()).ok());
        let next = snapshot.build(&self.config.account)?;
        self.record(&next).await?;
        Ok(wire::ok_empty())
    }
}
