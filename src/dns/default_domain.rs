//! Whether a mail domain can become the organization's default domain.

use std::fmt;

use super::{Purpose, Status, Verdict};
use crate::aws::{GetMailDomainResponse, VerificationStatus};
use crate::id::DomainName;
use crate::report::{FieldPath, Violation};
use crate::reported::Reported;
use crate::rule::Rule;

/// Whether `UpdateDefaultMailDomain` would accept a domain, read from its `GetMailDomain`
/// response and, optionally, from the DNS check of its ownership record.
///
/// Only a domain whose `OwnershipVerificationStatus` is `VERIFIED` can become the default:
/// AWS answers any other with `MailDomainStateException` (WorkMail API,
/// UpdateDefaultMailDomain). The DKIM status plays no part: DKIM verification often finishes
/// later than ownership verification, and a domain can be the default while DKIM is still
/// `PENDING`. The DNS verdict never makes a domain eligible; it only says what to do next.
///
/// ```
/// use workmail_org::aws::GetMailDomainResponse;
/// use workmail_org::dns::DefaultDomainEligibility;
/// use workmail_org::{AwsErrorCode, DomainName, Rule};
///
/// let pending = GetMailDomainResponse::builder()
///     .ownership_verification_status(Some("PENDING"))
///     .dkim_verification_status(Some("PENDING"))
///     .build()?;
/// let eligibility = pending.default_domain_eligibility(None);
/// assert!(!eligibility.can_become_default());
/// let domain: DomainName = "example.com".parse()?;
/// let violation = eligibility.check(&domain).unwrap_err();
/// assert_eq!(violation.rule(), Rule::DefaultDomainUnverified);
/// assert_eq!(violation.code(), AwsErrorCode::MailDomainState);
///
/// let verified = GetMailDomainResponse::builder()
///     .ownership_verification_status(Some("VERIFIED"))
///     .dkim_verification_status(Some("PENDING"))
///     .build()?;
/// assert_eq!(verified.default_domain_eligibility(None), DefaultDomainEligibility::Eligible);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DefaultDomainEligibility {
    /// `IsDefault`: the domain is the default already.
    AlreadyDefault,
    /// `OwnershipVerificationStatus` is `VERIFIED`: `UpdateDefaultMailDomain` accepts it.
    Eligible,
    /// Any other status, or none: `UpdateDefaultMailDomain` would answer
    /// `MailDomainStateException`.
    NotVerified {
        /// The ownership verification status AWS reported, if any.
        status: Option<Reported<VerificationStatus>>,
        /// The DNS check of the ownership TXT record, if one was given: `Missing` or
        /// `Inconsistent` mean the record needs publishing or fixing; `Verified` means it is
        /// published and AWS has not (yet) seen it.
        published: Option<Status>,
    },
}

impl GetMailDomainResponse {
    /// Whether the domain can become the organization's default domain (see
    /// [`DefaultDomainEligibility`]).
    ///
    /// `ownership_in_dns` is the verdict on the domain's ownership TXT record from
    /// [`RequiredRecords::check`](crate::dns::RequiredRecords::check), if the caller checked
    /// DNS; a verdict on another record is ignored.
    pub fn default_domain_eligibility(
        &self,
        ownership_in_dns: Option<&Verdict>,
    ) -> DefaultDomainEligibility {
        if self.is_default() {
            return DefaultDomainEligibility::AlreadyDefault;
        }
        match self.ownership_verification_status() {
            Some(status) if *status == VerificationStatus::Verified => {
                DefaultDomainEligibility::Eligible
            }
            status => DefaultDomainEligibility::NotVerified {
                status: status.cloned(),
                published: ownership_in_dns
                    .filter(|verdict| verdict.record().purpose() == Purpose::Ownership)
                    .map(Verdict::status),
            },
        }
    }
}

impl DefaultDomainEligibility {
    /// Whether the domain is, or can become, the default domain.
    pub fn can_become_default(&self) -> bool {
        matches!(
            self,
            DefaultDomainEligibility::AlreadyDefault | DefaultDomainEligibility::Eligible
        )
    }

    /// `Ok(())` when the domain is, or can become, the default; otherwise the violation of
    /// [`Rule::DefaultDomainUnverified`] (AWS code `MailDomainState`) at path
    /// `default_domain`, its message naming the domain, the status and what to do next.
    ///
    /// # Errors
    /// The [`Violation`] when the domain's ownership is not verified.
    pub fn check(&self, domain: &DomainName) -> Result<(), Violation> {
        if self.can_become_default() {
            Ok(())
        } else {
            Err(Violation::new(
                FieldPath::DefaultDomain,
                Rule::DefaultDomainUnverified,
                format!("domain \"{domain}\" {self}"),
            ))
        }
    }
}

impl fmt::Display for DefaultDomainEligibility {
    /// What the domain's state means, in words that follow the domain's name: `is already
    /// the default domain`, `can become the default domain (ownership VERIFIED)`, or `cannot
    /// become the default domain: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefaultDomainEligibility::AlreadyDefault => {
                f.write_str("is already the default domain")
            }
            DefaultDomainEligibility::Eligible => {
                f.write_str("can become the default domain (ownership VERIFIED)")
            }
            DefaultDomainEligibility::NotVerified { status, published } => {
                f.write_str("cannot become the default domain: ownership verification status is ")?;
                match status {
                    Some(status) => write!(f, "{status}")?,
                    None => f.write_str("not reported")?,
                }
                f.write_str(", and only VERIFIED domains can")?;
                match published {
                    Some(Status::Verified) => f.write_str(
                        "; the ownership TXT record is published, so AWS has not verified it yet",
                    ),
                    Some(Status::Missing) => {
                        f.write_str("; publish the ownership TXT record at _amazonses")
                    }
                    Some(Status::Inconsistent) => {
                        f.write_str("; fix the ownership TXT record at _amazonses")
                    }
                    None => Ok(()),
                }
            }
        }
    }
}
