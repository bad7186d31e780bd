//! The user directory behind an organization.

use crate::report::{FieldPath, Findings};
use crate::text::string_enum;
use crate::{DirectoryId, OrganizationAlias, Region, Violations};

use super::cross_field;
use super::draft::ExistingDirectoryDraft;

/// The stage Directory Service reports for a usable directory.
pub(super) const ACTIVE_STAGE: &str = "Active";

/// The Directory Service type of a Managed Microsoft AD shared from another account, which
/// WorkMail does not support.
pub(super) const SHARED_MICROSOFT_AD: &str = "SharedMicrosoftAD";

string_enum! {
    /// The kinds of existing directory WorkMail can use.
    ///
    /// Named after what Directory Service reports as the directory's `Type`, and spelled
    /// exactly so by `Display`, `FromStr` and serde: `ADConnector`, `MicrosoftAD` and
    /// `SimpleAD`. WorkDocs and WorkSpaces quick-setup directories are of these types too. A
    /// `SharedMicrosoftAD` (a managed AD shared from another account) is not a kind WorkMail
    /// supports, so it has no variant. AWS may add kinds, so the enum is `#[non_exhaustive]`.
    ///
    /// ```
    /// use workmail_org::spec::DirectoryKind;
    ///
    /// assert_eq!("ADConnector".parse::<DirectoryKind>()?, DirectoryKind::AdConnector);
    /// assert_eq!(DirectoryKind::MicrosoftAd.as_str(), "MicrosoftAD");
    /// let err = "SharedMicrosoftAD".parse::<DirectoryKind>().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "unknown directory type \"SharedMicrosoftAD\" (expected one of: ADConnector, MicrosoftAD, SimpleAD)"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    pub enum DirectoryKind: "directory type" {
        /// `ADConnector`: an AD Connector in front of an on-premises Microsoft Active
        /// Directory. The only kind that allows Exchange interoperability.
        AdConnector = "ADConnector",
        /// `MicrosoftAD`: AWS Managed Microsoft AD.
        MicrosoftAd = "MicrosoftAD",
        /// `SimpleAD`: Simple AD.
        SimpleAd = "SimpleAD",
    }
}

impl DirectoryKind {
    /// What the kind is, for people, e.g. `"AD Connector (on-premises Active Directory)"`.
    pub const fn description(self) -> &'static str {
        match self {
            DirectoryKind::AdConnector => "AD Connector (on-premises Active Directory)",
            DirectoryKind::MicrosoftAd => "AWS Managed Microsoft AD",
            DirectoryKind::SimpleAd => "Simple AD",
        }
    }
}

/// An existing Directory Service directory that WorkMail can use.
///
/// It can only hold a supported directory: its kind is a [`DirectoryKind`] (so never a
/// `SharedMicrosoftAD` nor an unknown type), it lives in one Region only and it is
/// `Active`. Build one from what Directory Service reports about a directory with
/// `TryFrom<&ExistingDirectoryDraft>`, which checks the type, the Regions and the stage, or
/// from typed parts with [`new`](Self::new) when you already know the directory is
/// single-Region and `Active`.
///
/// The alias is kept as Directory Service reports it (a directory without an alias reports
/// its id); that it equals the organization alias is checked when an
/// [`OrganizationSpec`](crate::OrganizationSpec) is built.
///
/// ```
/// use workmail_org::{spec::DirectoryKind, spec::ExistingDirectory, spec::ExistingDirectoryDraft, Region, Rule};
///
/// let report = ExistingDirectoryDraft {
///     directory_id: "d-1234567890".into(),
///     directory_type: "ADConnector".into(),
///     alias: "acme-corp".into(),
///     region: "us-east-1".into(),
///     ..ExistingDirectoryDraft::default()
/// };
/// let directory = ExistingDirectory::try_from(&report)?;
/// assert_eq!(directory.kind(), DirectoryKind::AdConnector);
/// assert_eq!(directory.region(), Region::UsEast1);
///
/// let shared = ExistingDirectoryDraft { directory_type: "SharedMicrosoftAD".into(), ..report };
/// let violations = ExistingDirectory::try_from(&shared).unwrap_err();
/// assert!(violations.contains(Rule::DirectoryShared));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExistingDirectory {
    id: DirectoryId,
    kind: DirectoryKind,
    alias: Box<str>,
    region: Region,
}

impl ExistingDirectory {
    /// A supported directory from its parts, for a directory the caller already knows to be
    /// single-Region and `Active`: the parts cannot say, so this constructor does not check
    /// it. To check what Directory Service reports (Regions and stage included), use
    /// `TryFrom<&ExistingDirectoryDraft>`. `alias` is the directory's alias as Directory
    /// Service reports it.
    pub fn new(
        id: DirectoryId,
        kind: DirectoryKind,
        alias: impl Into<String>,
        region: Region,
    ) -> Self {
        ExistingDirectory {
            id,
            kind,
            alias: alias.into().into_boxed_str(),
            region,
        }
    }

    /// The directory id.
    pub fn id(&self) -> &DirectoryId {
        &self.id
    }

    /// The kind of directory.
    pub fn kind(&self) -> DirectoryKind {
        self.kind
    }

    /// The directory's alias, as Directory Service reports it.
    pub fn alias(&self) -> &str {
        &self.alias
    }

    /// The directory's Region.
    pub fn region(&self) -> Region {
        self.region
    }
}

impl ExistingDirectory {
    /// Reads what Directory Service reports about a directory, recording every violation
    /// under `directory.`: its own rules (id, type, Region, other Regions, stage) and, for
    /// the parts of `organization` (its alias and Region) that parsed, the rules between
    /// the directory and the organization. The directory, when its own rules hold.
    pub(super) fn read<S: AsRef<str>>(
        report: &ExistingDirectoryDraft<S>,
        organization: (Option<&OrganizationAlias>, Option<Region>),
        findings: &mut Findings,
    ) -> Option<Self> {
        let id = report.directory_id.as_ref();
        let alias = report.alias.as_ref();
        let parsed_id = findings.field(FieldPath::DirectoryId, DirectoryId::parse(id));
        let kind = cross_field::directory_kind(findings, report.directory_type.as_ref());
        let region = findings.field(
            FieldPath::DirectoryRegion,
            Region::parse(report.region.as_ref()),
        );
        let single_region =
            cross_field::directory_single_region(findings, id, &report.additional_regions);
        let active = cross_field::directory_active(findings, id, report.stage.as_ref());
        if let (Some(region), Some(organization_region)) = (region, organization.1) {
            cross_field::directory_in_organization_region(
                id,
                region,
                organization_region,
                findings,
            );
        }
        if let Some(organization_alias) = organization.0 {
            cross_field::directory_alias_matches(id, alias, organization_alias, findings);
        }
        match (parsed_id, kind, region, single_region && active) {
            (Some(id), Some(kind), Some(region), true) => {
                Some(ExistingDirectory::new(id, kind, alias, region))
            }
            _ => None,
        }
    }
}

impl<S: AsRef<str>> TryFrom<&ExistingDirectoryDraft<S>> for ExistingDirectory {
    type Error = Violations;

    /// Checks what Directory Service reports about a directory: a valid id, a supported
    /// type, a WorkMail Region, no additional Regions and the `Active` stage. Violations
    /// carry paths under `directory.`, as in an organization.
    fn try_from(draft: &ExistingDirectoryDraft<S>) -> Result<Self, Violations> {
        let mut findings = Findings::default();
        let directory = ExistingDirectory::read(draft, (None, None), &mut findings);
        findings.conclude(directory)
    }
}

impl<S: AsRef<str>> TryFrom<ExistingDirectoryDraft<S>> for ExistingDirectory {
    type Error = Violations;

    fn try_from(draft: ExistingDirectoryDraft<S>) -> Result<Self, Violations> {
        ExistingDirectory::try_from(&draft)
    }
}

/// The console's *User directory* step: a new WorkMail directory, or an existing one.
///
/// AWS may add options, so the enum is `#[non_exhaustive]`.
///
/// ```
/// use workmail_org::{DirectoryChoice, spec::DirectoryKind, spec::ExistingDirectory, Region};
///
/// assert_eq!(DirectoryChoice::default(), DirectoryChoice::NewWorkMailDirectory);
/// let existing = ExistingDirectory::new(
///     "d-1234567890".parse()?,
///     DirectoryKind::SimpleAd,
///     "acme-corp",
///     Region::EuWest1,
/// );
/// let choice = DirectoryChoice::from(existing);
/// assert_eq!(choice.existing().map(|d| d.kind()), Some(DirectoryKind::SimpleAd));
/// assert!(!choice.is_ad_connector());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DirectoryChoice {
    /// WorkMail creates a new directory for the organization's users (the default).
    #[default]
    NewWorkMailDirectory,
    /// An existing Directory Service directory.
    Existing(ExistingDirectory),
}

impl DirectoryChoice {
    /// The existing directory, if one was chosen.
    pub fn existing(&self) -> Option<&ExistingDirectory> {
        match self {
            DirectoryChoice::Existing(directory) => Some(directory),
            DirectoryChoice::NewWorkMailDirectory => None,
        }
    }

    /// Whether the choice is an existing AD Connector (the only directory that allows
    /// Exchange interoperability).
    pub fn is_ad_connector(&self) -> bool {
        self.existing()
            .is_some_and(|directory| directory.kind == DirectoryKind::AdConnector)
    }
}

impl From<ExistingDirectory> for DirectoryChoice {
    fn from(directory: ExistingDirectory) -> Self {
        DirectoryChoice::Existing(directory)
    }
}
