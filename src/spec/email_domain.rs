//! The email domains an organization starts with: [`EmailDomain`], its draft and how a
//! draft entry is read.

use serde::{Deserialize, Serialize};

use crate::id::{DomainName, HostedZoneId};
use crate::report::{FieldPath, Findings};

use super::parsed;
use super::raw::{object_type, raw_object, ShapeError};

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

impl EmailDomain {
    /// The entry as a draft, with canonical text.
    pub(super) fn to_draft(&self) -> DomainDraft {
        match self {
            EmailDomain::ExistingRoute53 {
                name,
                hosted_zone_id,
            } => DomainDraft::ExistingRoute53 {
                name: name.as_str().to_owned(),
                hosted_zone_id: hosted_zone_id.as_str().to_owned(),
            },
            EmailDomain::NewRoute53 { name } => DomainDraft::NewRoute53 {
                name: name.as_str().to_owned(),
            },
            EmailDomain::External { name } => DomainDraft::External {
                name: name.as_str().to_owned(),
            },
            EmailDomain::FreeTest => DomainDraft::FreeTest,
        }
    }
}

/// One entry of [`OrganizationDraft::domains`](crate::spec::OrganizationDraft::domains), unchecked.
/// JSON: an object whose `type` is `existing_route53`, `new_route53`, `external` or
/// `free_test`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "RawDomain<S>")]
#[non_exhaustive]
pub enum DomainDraft<S = String> {
    /// `{"type": "existing_route53", "name": …, "hosted_zone_id": …}`.
    ExistingRoute53 {
        /// The domain name.
        name: S,
        /// The hosted zone id, with or without `/hostedzone/`.
        hosted_zone_id: S,
    },
    /// `{"type": "new_route53", "name": …}`.
    NewRoute53 {
        /// The domain name.
        name: S,
    },
    /// `{"type": "external", "name": …}`.
    External {
        /// The domain name.
        name: S,
    },
    /// `{"type": "free_test"}`.
    FreeTest,
}

impl<S> DomainDraft<S> {
    /// The entry's domain name; `None` for [`FreeTest`](Self::FreeTest), whose name comes
    /// from the alias.
    pub fn name(&self) -> Option<&S> {
        match self {
            DomainDraft::ExistingRoute53 { name, .. }
            | DomainDraft::NewRoute53 { name }
            | DomainDraft::External { name } => Some(name),
            DomainDraft::FreeTest => None,
        }
    }

    /// The entry's domain name, to change it; `None` for [`FreeTest`](Self::FreeTest).
    pub fn name_mut(&mut self) -> Option<&mut S> {
        match self {
            DomainDraft::ExistingRoute53 { name, .. }
            | DomainDraft::NewRoute53 { name }
            | DomainDraft::External { name } => Some(name),
            DomainDraft::FreeTest => None,
        }
    }
}

raw_object! {
    /// A domain entry as read.
    #[derive(Deserialize)]
    #[serde(
        deny_unknown_fields,
        expecting = "a domain: an object whose `type` is one of `existing_route53`, `new_route53`, `external`, `free_test`"
    )]
    struct RawDomain, fields DOMAIN_FIELDS {
        type: DomainType,
        name: S,
        hosted_zone_id: S,
    }
}

object_type! {
    /// The `type` of a domain entry.
    enum DomainType {
        ExistingRoute53 = "existing_route53", allowing DOMAIN_FIELDS;
        NewRoute53 = "new_route53", allowing &["name"];
        External = "external", allowing &["name"];
        FreeTest = "free_test", allowing &[];
    }
}

impl<S> TryFrom<RawDomain<S>> for DomainDraft<S> {
    type Error = ShapeError;

    fn try_from(raw: RawDomain<S>) -> Result<Self, ShapeError> {
        let of = raw.kind.of().allowing(raw.given())?;
        let RawDomain {
            kind,
            name,
            hosted_zone_id,
        } = raw;
        Ok(match kind {
            DomainType::ExistingRoute53 => DomainDraft::ExistingRoute53 {
                name: of.required("name", name)?,
                hosted_zone_id: of.required("hosted_zone_id", hosted_zone_id)?,
            },
            DomainType::NewRoute53 => DomainDraft::NewRoute53 {
                name: of.required("name", name)?,
            },
            DomainType::External => DomainDraft::External {
                name: of.required("name", name)?,
            },
            DomainType::FreeTest => DomainDraft::FreeTest,
        })
    }
}

/// One entry of `domains` as far as it parsed: a name whose hosted zone failed still takes
/// part in the rules between domains. Only a list with an entry that failed is kept as
/// entries (see [`DomainEntry::read_all`]).
pub(super) enum DomainEntry {
    /// The whole entry parsed.
    Parsed(EmailDomain),
    /// The name parsed, another part did not.
    Named(DomainName),
    /// The name did not parse.
    Unparsed,
}

impl DomainEntry {
    /// Parses entry `index`, recording a violation for each part that fails.
    pub(super) fn read<S: AsRef<str>>(
        index: usize,
        draft: &DomainDraft<S>,
        findings: &mut Findings,
    ) -> Self {
        let (text, zone) = match draft {
            DomainDraft::FreeTest => return DomainEntry::Parsed(EmailDomain::FreeTest),
            DomainDraft::NewRoute53 { name } | DomainDraft::External { name } => (name, None),
            DomainDraft::ExistingRoute53 {
                name,
                hosted_zone_id,
            } => (name, Some(hosted_zone_id)),
        };
        let name = parsed(
            findings,
            FieldPath::DomainName(index),
            DomainName::parse(text.as_ref()),
        );
        let zone = zone.map(|zone| {
            parsed(
                findings,
                FieldPath::HostedZoneId(index),
                HostedZoneId::parse(zone.as_ref()),
            )
        });
        let Some(name) = name else {
            return DomainEntry::Unparsed;
        };
        match (draft, zone) {
            (DomainDraft::NewRoute53 { .. }, _) => {
                DomainEntry::Parsed(EmailDomain::NewRoute53 { name })
            }
            (DomainDraft::External { .. }, _) => {
                DomainEntry::Parsed(EmailDomain::External { name })
            }
            (_, Some(Some(hosted_zone_id))) => DomainEntry::Parsed(EmailDomain::ExistingRoute53 {
                name,
                hosted_zone_id,
            }),
            _ => DomainEntry::Named(name),
        }
    }

    /// Parses every entry of `drafts`, recording a violation for each part that fails: the
    /// spec's list when every entry parsed, else each entry as far as it parsed. (The common
    /// case builds the spec's list in place, with no list of entries in between.)
    pub(super) fn read_all<S: AsRef<str>>(
        drafts: &[DomainDraft<S>],
        findings: &mut Findings,
    ) -> Result<Vec<EmailDomain>, Vec<DomainEntry>> {
        let mut domains = Vec::with_capacity(drafts.len());
        for (index, draft) in drafts.iter().enumerate() {
            match DomainEntry::read(index, draft, findings) {
                DomainEntry::Parsed(domain) => domains.push(domain),
                failed => {
                    let mut entries = Vec::with_capacity(drafts.len());
                    entries.extend(domains.into_iter().map(DomainEntry::Parsed));
                    entries.push(failed);
                    for (index, draft) in drafts.iter().enumerate().skip(index + 1) {
                        entries.push(DomainEntry::read(index, draft, findings));
                    }
                    return Err(entries);
                }
            }
        }
        Ok(domains)
    }
}

/// A listed domain as the rules between domains see it: a name, if it has one that parsed,
/// and whether it is the free test domain. Both a parsed [`EmailDomain`] and a
/// [`DomainEntry`] are.
pub(super) trait ListedDomain {
    /// The domain's name, when it has one and it parsed.
    fn name(&self) -> Option<&DomainName>;
    /// Whether this is the free test domain.
    fn is_free_test(&self) -> bool;
}

impl ListedDomain for EmailDomain {
    fn name(&self) -> Option<&DomainName> {
        EmailDomain::name(self)
    }

    fn is_free_test(&self) -> bool {
        EmailDomain::is_free_test(self)
    }
}

impl ListedDomain for DomainEntry {
    fn name(&self) -> Option<&DomainName> {
        match self {
            DomainEntry::Parsed(domain) => domain.name(),
            DomainEntry::Named(name) => Some(name),
            DomainEntry::Unparsed => None,
        }
    }

    fn is_free_test(&self) -> bool {
        matches!(self, DomainEntry::Parsed(EmailDomain::FreeTest))
    }
}
