//! From a draft to a spec: every field parsed by its value type, then every rule between
//! fields, and all violations at once.

use crate::report::{FieldPath, Findings};
use crate::{ClientToken, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias, Region};
use crate::{OrganizationDraft, Violations};

use super::draft::{DirectoryDraft, DomainDraft, EncryptionDraft};
use super::OrganizationSpec;
use super::{cross_field, DirectoryChoice, EmailDomain, EncryptionChoice, ExistingDirectory};

impl<S: AsRef<str>> OrganizationDraft<S> {
    /// Checks every rule and returns the spec, or every violation found.
    ///
    /// Each field is parsed by its value type (a field that fails reports its own violation
    /// at its path); then every cross-field rule whose fields parsed runs. A rule that needs
    /// a field that failed to parse is skipped, so one bad value never causes a cascade.
    /// Violations come in field order ([`FieldPath`]'s order): `alias`, `region`, `domains`,
    /// `default_domain`, `directory`, `encryption`, `interoperability`, `client_token`.
    ///
    /// # Errors
    /// [`Violations`], never empty, each naming its path, rule and AWS error code.
    ///
    /// ```
    /// use workmail_org::{FieldPath, OrganizationDraft, Rule};
    ///
    /// let draft = OrganizationDraft::new("d-acme", "eu-central-1");
    /// let violations = draft.validate().unwrap_err();
    /// let found: Vec<(FieldPath, Rule)> = violations.iter().map(|v| (v.path(), v.rule())).collect();
    /// assert_eq!(
    ///     found,
    ///     [(FieldPath::Alias, Rule::AliasReservedPrefix), (FieldPath::Region, Rule::RegionUnsupported)]
    /// );
    /// ```
    pub fn validate(&self) -> Result<OrganizationSpec, Violations> {
        let mut findings = Findings::default();
        let alias = findings.field(
            FieldPath::Alias,
            OrganizationAlias::parse(self.alias.as_ref()),
        );
        let region = findings.field(FieldPath::Region, Region::parse(self.region.as_ref()));
        let domains: Vec<DomainEntry> = self
            .domains
            .iter()
            .enumerate()
            .map(|(index, domain)| DomainEntry::read(index, domain, &mut findings))
            .collect();
        let default_domain = findings.optional(
            FieldPath::DefaultDomain,
            self.default_domain.as_ref().map(AsRef::as_ref),
            DomainName::parse,
        );
        let directory = match &self.directory {
            DirectoryDraft::NewWorkMailDirectory => Some(DirectoryChoice::NewWorkMailDirectory),
            DirectoryDraft::Existing(report) => {
                ExistingDirectory::read(report, (alias.as_ref(), region), &mut findings)
                    .map(DirectoryChoice::Existing)
            }
        };
        let encryption = match &self.encryption {
            EncryptionDraft::WorkMailManagedKey => Some(EncryptionChoice::WorkMailManagedKey),
            EncryptionDraft::CustomerManagedKey { kms_key_arn } => findings
                .field(FieldPath::KmsKeyArn, KmsKeyArn::parse(kms_key_arn.as_ref()))
                .map(EncryptionChoice::CustomerManagedKey),
        };
        let client_token = findings.optional(
            FieldPath::ClientToken,
            self.client_token.as_ref().map(AsRef::as_ref),
            ClientToken::parse,
        );

        cross_field::free_test_listed_once(&domains, &mut findings);
        cross_field::at_most_five_user_domains(&domains, &mut findings);
        cross_field::no_domain_listed_twice(&domains, &mut findings);
        cross_field::no_user_domain_in_test_namespace(&domains, &mut findings);
        if let Some(Some(default)) = &default_domain {
            cross_field::default_domain_is_known(default, &domains, alias.as_ref(), &mut findings);
        }
        if let (Some(EncryptionChoice::CustomerManagedKey(key)), Some(region)) =
            (&encryption, region)
        {
            cross_field::key_in_organization_region(key, region, &mut findings);
        }
        if self.interoperability {
            let existing = match &self.directory {
                DirectoryDraft::NewWorkMailDirectory => None,
                DirectoryDraft::Existing(report) => Some(report.directory_type.as_ref()),
            };
            cross_field::interoperability_needs_ad_connector(
                existing.map(|directory_type| (self.directory_id(), directory_type)),
                &mut findings,
            );
        }

        // Every field parsed (else a violation was recorded, and `conclude` reports it).
        let spec = (|| {
            let domains = domains
                .into_iter()
                .map(DomainEntry::into_domain)
                .collect::<Option<Vec<_>>>()?;
            let alias = alias?;
            Some(OrganizationSpec {
                test_domain: alias.test_domain(),
                alias,
                region: region?,
                domains,
                default_domain: default_domain?,
                directory: directory?,
                encryption: encryption?,
                interoperability: self.interoperability,
                client_token: client_token?,
            })
        })();
        findings.conclude(spec)
    }

    /// The existing directory's id as reported; empty for a new WorkMail directory.
    fn directory_id(&self) -> &str {
        match &self.directory {
            DirectoryDraft::NewWorkMailDirectory => "",
            DirectoryDraft::Existing(report) => report.directory_id.as_ref(),
        }
    }
}

/// One entry of `domains` as far as it parsed: a name whose hosted zone failed still takes
/// part in the rules between domains.
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
    fn read<S: AsRef<str>>(index: usize, draft: &DomainDraft<S>, findings: &mut Findings) -> Self {
        let (text, zone) = match draft {
            DomainDraft::FreeTest => return DomainEntry::Parsed(EmailDomain::FreeTest),
            DomainDraft::NewRoute53 { name } | DomainDraft::External { name } => (name, None),
            DomainDraft::ExistingRoute53 {
                name,
                hosted_zone_id,
            } => (name, Some(hosted_zone_id)),
        };
        let name = findings.field(
            FieldPath::DomainName(index),
            DomainName::parse(text.as_ref()),
        );
        let zone = zone.map(|zone| {
            findings.field(
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

    /// The domain, when the whole entry parsed.
    fn into_domain(self) -> Option<EmailDomain> {
        match self {
            DomainEntry::Parsed(domain) => Some(domain),
            DomainEntry::Named(_) | DomainEntry::Unparsed => None,
        }
    }

    /// The entry's domain name, when it has one and it parsed.
    pub(super) fn name(&self) -> Option<&DomainName> {
        match self {
            DomainEntry::Parsed(domain) => domain.name(),
            DomainEntry::Named(name) => Some(name),
            DomainEntry::Unparsed => None,
        }
    }

    /// Whether the entry is the free test domain.
    pub(super) fn is_free_test(&self) -> bool {
        matches!(self, DomainEntry::Parsed(EmailDomain::FreeTest))
    }
}
