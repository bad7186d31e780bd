//! A spec's choices as far as they parsed: what the rules between fields read.
//!
//! Both ways in end here: a draft's strings are parsed with [`Choices::read`] (recording
//! every rejected value), a builder's typed spec is taken whole with `From`. The rules between
//! fields then run on the [`Choices`]; when none is broken, [`Choices::into_spec`] gives the
//! spec.

use crate::report::{FieldPath, Findings};
use crate::{ClientToken, DirectoryId, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias};
use crate::{OrganizationDraft, Region};

use super::draft::{DirectoryDraft, DomainDraft, EncryptionDraft, ExistingDirectoryDraft};
use super::{cross_field, DirectoryChoice, DirectoryKind, EmailDomain, EncryptionChoice};
use super::{ExistingDirectory, OrganizationSpec};

/// The eight choices as far as they parsed.
///
/// A choice that was rejected is `None` (its violation is already recorded), so a rule that
/// needs it is skipped and one bad value never causes a cascade. An optional choice is
/// `Some(None)` when it is unset. What is kept of rejected text borrows from the draft (`'a`).
pub(super) struct Choices<'a> {
    pub(super) alias: Option<OrganizationAlias>,
    pub(super) region: Option<Region>,
    pub(super) domains: Vec<DomainEntry>,
    pub(super) default_domain: Option<Option<DomainName>>,
    pub(super) directory: DirectoryEntry<'a>,
    pub(super) encryption: Option<EncryptionChoice>,
    pub(super) interoperability: bool,
    pub(super) client_token: Option<Option<ClientToken>>,
}

/// One entry of `domains`, as far as it parsed.
pub(super) enum DomainEntry {
    /// The whole entry parsed.
    Parsed(EmailDomain),
    /// The name parsed, another part did not.
    Named(DomainName),
    /// The name did not parse.
    Unparsed,
}

/// The directory choice, as far as it parsed.
pub(super) enum DirectoryEntry<'a> {
    /// A new WorkMail directory, or an existing directory whose whole report passed.
    Chosen(DirectoryChoice),
    /// An existing directory whose report broke a rule: what the rules between fields can
    /// still check of it.
    Rejected(DirectoryFacts<'a>),
}

/// An existing directory as the rules between fields see it, each part `None` where it
/// failed to parse.
#[derive(Clone, Copy)]
pub(super) struct DirectoryFacts<'a> {
    /// The id as reported, for messages.
    pub(super) id: &'a str,
    pub(super) kind: Option<DirectoryKind>,
    pub(super) alias: &'a str,
    pub(super) region: Option<Region>,
}

impl<'a> Choices<'a> {
    /// Parses every field of a draft with its value type, recording each rejected value at
    /// its path, and the directory report's own rules.
    pub(super) fn read(draft: &'a OrganizationDraft, findings: &mut Findings) -> Self {
        Choices {
            alias: findings.field(FieldPath::Alias, OrganizationAlias::parse(&draft.alias)),
            region: findings.field(FieldPath::Region, Region::parse(&draft.region)),
            domains: draft
                .domains
                .iter()
                .enumerate()
                .map(|(index, domain)| DomainEntry::read(index, domain, findings))
                .collect(),
            default_domain: findings.optional(
                FieldPath::DefaultDomain,
                draft.default_domain.as_deref(),
                DomainName::parse,
            ),
            directory: match &draft.directory {
                DirectoryDraft::NewWorkMailDirectory => {
                    DirectoryEntry::Chosen(DirectoryChoice::NewWorkMailDirectory)
                }
                DirectoryDraft::Existing(report) => DirectoryEntry::read_existing(report, findings),
            },
            encryption: match &draft.encryption {
                EncryptionDraft::WorkMailManagedKey => Some(EncryptionChoice::WorkMailManagedKey),
                EncryptionDraft::CustomerManagedKey { kms_key_arn } => findings
                    .field(FieldPath::KmsKeyArn, KmsKeyArn::parse(kms_key_arn))
                    .map(EncryptionChoice::CustomerManagedKey),
            },
            interoperability: draft.interoperability,
            client_token: findings.optional(
                FieldPath::ClientToken,
                draft.client_token.as_deref(),
                ClientToken::parse,
            ),
        }
    }

    /// The spec, when every choice parsed.
    pub(super) fn into_spec(self) -> Option<OrganizationSpec> {
        let domains = self
            .domains
            .into_iter()
            .map(|domain| match domain {
                DomainEntry::Parsed(domain) => Some(domain),
                DomainEntry::Named(_) | DomainEntry::Unparsed => None,
            })
            .collect::<Option<_>>()?;
        let directory = match self.directory {
            DirectoryEntry::Chosen(choice) => choice,
            DirectoryEntry::Rejected(_) => return None,
        };
        let alias = self.alias?;
        Some(OrganizationSpec {
            test_domain: alias.test_domain(),
            alias,
            region: self.region?,
            domains,
            default_domain: self.default_domain?,
            directory,
            encryption: self.encryption?,
            interoperability: self.interoperability,
            client_token: self.client_token?,
        })
    }

    /// The chosen default domain, when one was chosen and it parsed.
    pub(super) fn default_domain(&self) -> Option<&DomainName> {
        self.default_domain.as_ref().and_then(Option::as_ref)
    }

    /// The customer managed key, when one was chosen and it parsed.
    pub(super) fn kms_key(&self) -> Option<&KmsKeyArn> {
        self.encryption
            .as_ref()
            .and_then(EncryptionChoice::kms_key_arn)
    }
}

impl From<OrganizationSpec> for Choices<'static> {
    /// A builder's typed choices, every one parsed (the spec is not checked yet).
    fn from(spec: OrganizationSpec) -> Self {
        Choices {
            alias: Some(spec.alias),
            region: Some(spec.region),
            domains: spec.domains.into_iter().map(DomainEntry::Parsed).collect(),
            default_domain: Some(spec.default_domain),
            directory: DirectoryEntry::Chosen(spec.directory),
            encryption: Some(spec.encryption),
            interoperability: spec.interoperability,
            client_token: Some(spec.client_token),
        }
    }
}

impl DomainEntry {
    /// Parses entry `index`, recording a violation for each part that fails.
    fn read(index: usize, draft: &DomainDraft, findings: &mut Findings) -> Self {
        let (text, zone) = match draft {
            DomainDraft::FreeTest => return DomainEntry::Parsed(EmailDomain::FreeTest),
            DomainDraft::NewRoute53 { name } | DomainDraft::External { name } => (name, None),
            DomainDraft::ExistingRoute53 {
                name,
                hosted_zone_id,
            } => (name, Some(hosted_zone_id)),
        };
        let name = findings.field(FieldPath::DomainName(index), DomainName::parse(text));
        let zone = zone
            .map(|zone| findings.field(FieldPath::HostedZoneId(index), HostedZoneId::parse(zone)));
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

impl<'a> DirectoryEntry<'a> {
    /// Parses what Directory Service reports about an existing directory, recording every
    /// violation under `directory.`: the id, the type, the Region, the other Regions and the
    /// stage.
    pub(super) fn read_existing(
        report: &'a ExistingDirectoryDraft,
        findings: &mut Findings,
    ) -> Self {
        let id = &report.directory_id;
        let parsed_id = findings.field(FieldPath::DirectoryId, DirectoryId::parse(id));
        let kind = cross_field::directory_kind(findings, &report.directory_type);
        let region = findings.field(FieldPath::DirectoryRegion, Region::parse(&report.region));
        let single_region =
            cross_field::directory_single_region(findings, id, &report.additional_regions);
        let active = cross_field::directory_active(findings, id, &report.stage);
        match (parsed_id, kind, region, single_region, active) {
            (Some(parsed_id), Some(kind), Some(region), true, true) => {
                DirectoryEntry::Chosen(DirectoryChoice::Existing(ExistingDirectory::new(
                    parsed_id,
                    kind,
                    report.alias.as_str(),
                    region,
                )))
            }
            _ => DirectoryEntry::Rejected(DirectoryFacts {
                id,
                kind,
                alias: &report.alias,
                region,
            }),
        }
    }

    /// An existing directory as the rules between fields see it; `None` for a new WorkMail
    /// directory.
    pub(super) fn existing(&self) -> Option<DirectoryFacts<'_>> {
        match self {
            DirectoryEntry::Chosen(DirectoryChoice::NewWorkMailDirectory) => None,
            DirectoryEntry::Chosen(DirectoryChoice::Existing(directory)) => Some(DirectoryFacts {
                id: directory.id().as_str(),
                kind: Some(directory.kind()),
                alias: directory.alias(),
                region: Some(directory.region()),
            }),
            DirectoryEntry::Rejected(facts) => Some(*facts),
        }
    }
}
