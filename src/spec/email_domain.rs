//! The email domains an organization starts with.

use crate::{DomainName, HostedZoneId};

/// The most domains besides the free test domain that `CreateOrganization` accepts
/// (API model: `Domains` holds 0 to 5 entries).
pub const MAX_USER_DOMAINS: usize = 5;

/// One email domain chosen in the console's *Email domain* step.
///
/// The variants hold only valid parts ([`DomainName`], [`HostedZoneId`]); the rules that
/// involve several domains or the alias (no duplicates, at most
/// [`MAX_USER_DOMAINS`] user domains, nothing under `awsapps.com`) are checked when an
/// [`OrganizationSpec`](crate::OrganizationSpec) is built. AWS may add ways to bring a domain,
/// so the enum is `#[non_exhaustive]`.
///
/// ```
/// use workmail_org::EmailDomain;
///
/// let domain = EmailDomain::ExistingRoute53 {
///     name: "Acme.com".parse()?,
///     hosted_zone_id: "/hostedzone/Z0123456789ABCDEFGHIJ".parse()?,
/// };
/// assert_eq!(domain.name().map(|n| n.as_str()), Some("acme.com"));
/// assert_eq!(EmailDomain::FreeTest.name(), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EmailDomain {
    /// A domain you manage in a Route 53 hosted zone; WorkMail adds its records there.
    ExistingRoute53 {
        /// The domain.
        name: DomainName,
        /// The hosted zone that serves it.
        hosted_zone_id: HostedZoneId,
    },
    /// A domain to register with Route 53 first; it has a hosted zone only after that.
    NewRoute53 {
        /// The domain to register.
        name: DomainName,
    },
    /// A domain served by another DNS provider; you publish the verification records.
    External {
        /// The domain.
        name: DomainName,
    },
    /// The free test domain `ALIAS.awsapps.com`. Its name comes from the organization alias
    /// and is never typed in; see [`OrganizationSpec::test_domain`](crate::OrganizationSpec::test_domain).
    FreeTest,
}

impl EmailDomain {
    /// The domain's name; `None` for [`FreeTest`](Self::FreeTest), whose name depends on the
    /// alias.
    pub fn name(&self) -> Option<&DomainName> {
        match self {
            EmailDomain::ExistingRoute53 { name, .. }
            | EmailDomain::NewRoute53 { name }
            | EmailDomain::External { name } => Some(name),
            EmailDomain::FreeTest => None,
        }
    }

    /// The hosted zone of an [`ExistingRoute53`](Self::ExistingRoute53) domain.
    pub fn hosted_zone_id(&self) -> Option<&HostedZoneId> {
        match self {
            EmailDomain::ExistingRoute53 { hosted_zone_id, .. } => Some(hosted_zone_id),
            _ => None,
        }
    }

    /// Whether this is the free test domain.
    pub fn is_free_test(&self) -> bool {
        matches!(self, EmailDomain::FreeTest)
    }
}
