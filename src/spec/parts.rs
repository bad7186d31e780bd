//! The parts of a spec, in the two forms the one validation pipeline knows.
//!
//! Both ways in end in the same steps: a draft is parsed into [`Parsed`] (recording every
//! rejected value), a builder's typed [`Parts`] are moved into [`Parsed`]; the rules between
//! fields read [`Parsed`]; when no rule is broken, [`Parsed::into_parts`] gives back the
//! [`Parts`] an [`OrganizationSpec`](super::OrganizationSpec) holds.

use std::fmt;

use crate::report::Findings;
use crate::spec::FieldPath;
use crate::{
    ClientToken, DirectoryId, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias, Region,
};

use super::draft::{DirectoryRef, DomainRef, DraftRef, EncryptionRef};
use super::draft::{ExistingDirectoryDraft, ExistingDirectoryRef};
use super::ExistingDirectory;
use super::{cross_field, DirectoryChoice, DirectoryKind, EmailDomain, EncryptionChoice};

/// The eight choices of a spec, as valid values: what an
/// [`OrganizationSpec`](super::OrganizationSpec) holds and an
/// [`OrganizationSpecBuilder`](super::OrganizationSpecBuilder) fills in.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct Parts {
    pub(super) alias: OrganizationAlias,
    pub(super) region: Region,
    pub(super) domains: Vec<EmailDomain>,
    pub(super) default_domain: Option<DomainName>,
    pub(super) directory: DirectoryChoice,
    pub(super) encryption: EncryptionChoice,
    pub(super) interoperability: bool,
    pub(super) client_token: Option<ClientToken>,
}

impl Parts {
    /// The required choices, and every other one at its default.
    pub(super) fn new(alias: OrganizationAlias, region: Region) -> Self {
        Parts {
            alias,
            region,
            domains: Vec::new(),
            default_domain: None,
            directory: DirectoryChoice::default(),
            encryption: EncryptionChoice::default(),
            interoperability: false,
            client_token: None,
        }
    }

    /// `Debug` of the spec or builder holding the parts, named `name`: the eight choices as
    /// its own fields.
    pub(super) fn debug(&self, f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
        f.debug_struct(name)
            .field("alias", &self.alias)
            .field("region", &self.region)
            .field("domains", &self.domains)
            .field("default_domain", &self.default_domain)
            .field("directory", &self.directory)
            .field("encryption", &self.encryption)
            .field("interoperability", &self.interoperability)
            .field("client_token", &self.client_token)
            .finish()
    }
}

/// The eight choices as far as they parsed: what the rules between fields read.
///
/// A part that was rejected is `None` (its violation is already recorded), so a rule that
/// needs it is skipped and one bad value never causes a cascade. An optional part is
/// `Some(None)` when it is unset.
///
/// What it keeps of a rejected directory report borrows from the draft (`'a`).
pub(super) struct Parsed<'a> {
    pub(super) alias: Option<OrganizationAlias>,
    pub(super) region: Option<Region>,
    pub(super) domains: Vec<ParsedDomain>,
    pub(super) default_domain: Option<Option<DomainName>>,
    pub(super) directory: ParsedDirectory<'a>,
    pub(super) encryption: Option<EncryptionChoice>,
    pub(super) interoperability: bool,
    pub(super) client_token: Option<Option<ClientToken>>,
}

/// One entry of `domains`, as far as it parsed.
pub(super) enum ParsedDomain {
    /// The whole entry parsed.
    Parsed(EmailDomain),
    /// The name parsed, another part did not.
    Named(DomainName),
    /// The name did not parse.
    Unparsed,
}

/// The directory choice, as far as it parsed.
pub(super) enum ParsedDirectory<'a> {
    /// A new WorkMail directory, or an existing directory whose whole report passed.
    Chosen(DirectoryChoice),
    /// An existing directory whose report broke a rule: what the rules between fields can
    /// still check of it.
    Rejected(Reported<'a>),
}

/// An existing directory as the rules between fields see it, each part `None` where it
/// failed to parse.
#[derive(Clone, Copy)]
pub(super) struct Reported<'a> {
    /// The id as reported, for messages.
    pub(super) id: &'a str,
    pub(super) kind: Option<DirectoryKind>,
    pub(super) alias: &'a str,
    pub(super) region: Option<Region>,
}

impl<'a> Parsed<'a> {
    /// Parses every field of a draft with its value type, recording each rejected value at
    /// its path, and the directory report's own rules.
    pub(super) fn read(draft: &'a DraftRef<'_>, findings: &mut Findings) -> Self {
        Parsed {
            alias: findings.field(FieldPath::Alias, OrganizationAlias::parse(&draft.alias)),
            region: findings.field(FieldPath::Region, Region::parse(&draft.region)),
            domains: draft
                .domains
                .iter()
                .enumerate()
                .map(|(index, domain)| ParsedDomain::read(index, domain, findings))
                .collect(),
            default_domain: findings.optional(
                FieldPath::DefaultDomain,
                draft.default_domain.as_deref(),
                DomainName::parse,
            ),
            directory: match &draft.directory {
                DirectoryRef::NewWorkMailDirectory => {
                    ParsedDirectory::Chosen(DirectoryChoice::NewWorkMailDirectory)
                }
                DirectoryRef::Existing(report) => ParsedDirectory::read_existing(report, findings),
            },
            encryption: match &draft.encryption {
                EncryptionRef::WorkMailManagedKey => Some(EncryptionChoice::WorkMailManagedKey),
                EncryptionRef::CustomerManagedKey { kms_key_arn } => findings
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

    /// The parts, when every one parsed.
    pub(super) fn into_parts(self) -> Option<Parts> {
        Some(Parts {
            alias: self.alias?,
            region: self.region?,
            domains: self
                .domains
                .into_iter()
                .map(|domain| match domain {
                    ParsedDomain::Parsed(domain) => Some(domain),
                    ParsedDomain::Named(_) | ParsedDomain::Unparsed => None,
                })
                .collect::<Option<_>>()?,
            default_domain: self.default_domain?,
            directory: match self.directory {
                ParsedDirectory::Chosen(choice) => choice,
                ParsedDirectory::Rejected(_) => return None,
            },
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

impl From<Parts> for Parsed<'static> {
    /// Typed parts, every one parsed.
    fn from(parts: Parts) -> Self {
        Parsed {
            alias: Some(parts.alias),
            region: Some(parts.region),
            domains: parts
                .domains
                .into_iter()
                .map(ParsedDomain::Parsed)
                .collect(),
            default_domain: Some(parts.default_domain),
            directory: ParsedDirectory::Chosen(parts.directory),
            encryption: Some(parts.encryption),
            interoperability: parts.interoperability,
            client_token: Some(parts.client_token),
        }
    }
}

impl ParsedDomain {
    /// Parses entry `index`, recording a violation for each part that fails.
    fn read(index: usize, draft: &DomainRef<'_>, findings: &mut Findings) -> ParsedDomain {
        let mut name =
            |name: &str| findings.field(FieldPath::DomainName(index), DomainName::parse(name));
        let parsed = match draft {
            DomainRef::FreeTest => Some(EmailDomain::FreeTest),
            DomainRef::NewRoute53 { name: text } => {
                name(text).map(|name| EmailDomain::NewRoute53 { name })
            }
            DomainRef::External { name: text } => {
                name(text).map(|name| EmailDomain::External { name })
            }
            DomainRef::ExistingRoute53 {
                name: text,
                hosted_zone_id,
            } => {
                let name = name(text);
                let zone = findings.field(
                    FieldPath::HostedZoneId(index),
                    HostedZoneId::parse(hosted_zone_id),
                );
                match (name, zone) {
                    (Some(name), Some(hosted_zone_id)) => Some(EmailDomain::ExistingRoute53 {
                        name,
                        hosted_zone_id,
                    }),
                    (Some(name), None) => return ParsedDomain::Named(name),
                    (None, _) => None,
                }
            }
        };
        parsed.map_or(ParsedDomain::Unparsed, ParsedDomain::Parsed)
    }

    /// The entry's domain name, when it has one and it parsed.
    pub(super) fn name(&self) -> Option<&DomainName> {
        match self {
            ParsedDomain::Parsed(domain) => domain.name(),
            ParsedDomain::Named(name) => Some(name),
            ParsedDomain::Unparsed => None,
        }
    }

    /// Whether the entry is the free test domain.
    pub(super) fn is_free_test(&self) -> bool {
        matches!(self, ParsedDomain::Parsed(EmailDomain::FreeTest))
    }
}

impl<'a> ParsedDirectory<'a> {
    /// Parses what Directory Service reports about an existing directory, recording every
    /// violation under `directory.`: the id, the type, the Region, the other Regions and the
    /// stage.
    pub(super) fn read_existing(report: &'a impl DirectoryReport, findings: &mut Findings) -> Self {
        let directory_id = report.directory_id();
        let id = findings.field(FieldPath::DirectoryId, DirectoryId::parse(directory_id));
        let kind = cross_field::directory_kind(findings, report.directory_type());
        let region = findings.field(FieldPath::DirectoryRegion, Region::parse(report.region()));
        let single_region = cross_field::directory_single_region(
            findings,
            directory_id,
            report.additional_regions(),
        );
        let active = cross_field::directory_active(findings, directory_id, report.stage());
        match (id, kind, region, single_region, active) {
            (Some(id), Some(kind), Some(region), true, true) => ParsedDirectory::Chosen(
                DirectoryChoice::Existing(ExistingDirectory::new(id, kind, report.alias(), region)),
            ),
            _ => ParsedDirectory::Rejected(Reported {
                id: directory_id,
                kind,
                alias: report.alias(),
                region,
            }),
        }
    }

    /// An existing directory as the rules between fields see it; `None` for a new WorkMail
    /// directory.
    pub(super) fn existing(&self) -> Option<Reported<'_>> {
        match self {
            ParsedDirectory::Chosen(DirectoryChoice::NewWorkMailDirectory) => None,
            ParsedDirectory::Chosen(DirectoryChoice::Existing(directory)) => Some(Reported {
                id: directory.id().as_str(),
                kind: Some(directory.kind()),
                alias: directory.alias(),
                region: Some(directory.region()),
            }),
            ParsedDirectory::Rejected(reported) => Some(*reported),
        }
    }
}

/// What Directory Service reports about a directory, as text: an
/// [`ExistingDirectoryDraft`] or its borrowed twin.
pub(super) trait DirectoryReport {
    /// The text of one additional Region.
    type Text: AsRef<str>;

    fn directory_id(&self) -> &str;
    fn directory_type(&self) -> &str;
    fn alias(&self) -> &str;
    fn region(&self) -> &str;
    fn additional_regions(&self) -> &[Self::Text];
    fn stage(&self) -> &str;
}

macro_rules! directory_report {
    ($(<$($lt:lifetime)?> $ty:ty => $text:ty),*) => {$(
        impl<$($lt)?> DirectoryReport for $ty {
            type Text = $text;

            fn directory_id(&self) -> &str {
                &self.directory_id
            }
            fn directory_type(&self) -> &str {
                &self.directory_type
            }
            fn alias(&self) -> &str {
                &self.alias
            }
            fn region(&self) -> &str {
                &self.region
            }
            fn additional_regions(&self) -> &[Self::Text] {
                &self.additional_regions
            }
            fn stage(&self) -> &str {
                &self.stage
            }
        }
    )*};
}

directory_report!(
    <> ExistingDirectoryDraft => String,
    <'a> ExistingDirectoryRef<'a> => std::borrow::Cow<'a, str>
);
