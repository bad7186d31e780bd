//! The user directory behind an organization: [`DirectoryChoice`], [`ExistingDirectory`],
//! their drafts and how a directory report is read.

use serde::{Deserialize, Serialize};

use crate::id::ShortStr;
use crate::id::{DirectoryId, OrganizationAlias, Region};
use crate::report::Violations;
use crate::report::{FieldPath, Findings};
use crate::text::string_enum;

use super::cross_field;
use super::parsed;
use super::raw::{object_type, raw_object, Of, ShapeError};

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
    /// Inline up to 30 bytes, as most aliases are.
    alias: ShortStr<30>,
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
            alias: ShortStr::from_string(alias.into()),
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
        self.alias.as_str()
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
        let parsed_id = parsed(findings, FieldPath::DirectoryId, DirectoryId::parse(id));
        let kind = cross_field::directory_kind(findings, report.directory_type.as_ref());
        let region = parsed(
            findings,
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
            (Some(id), Some(kind), Some(region), true) => Some(ExistingDirectory {
                id,
                kind,
                alias: ShortStr::new(alias),
                region,
            }),
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

impl DirectoryChoice {
    /// Reads a drafted choice: see [`ExistingDirectory::read`].
    pub(super) fn read<S: AsRef<str>>(
        draft: &DirectoryDraft<S>,
        organization: (Option<&OrganizationAlias>, Option<Region>),
        findings: &mut Findings,
    ) -> Option<Self> {
        match draft {
            DirectoryDraft::NewWorkMailDirectory => Some(DirectoryChoice::NewWorkMailDirectory),
            DirectoryDraft::Existing(report) => {
                ExistingDirectory::read(report, organization, findings)
                    .map(DirectoryChoice::Existing)
            }
        }
    }

    /// The choice as a draft, with canonical text.
    pub(super) fn to_draft(&self) -> DirectoryDraft {
        match self {
            DirectoryChoice::NewWorkMailDirectory => DirectoryDraft::NewWorkMailDirectory,
            DirectoryChoice::Existing(existing) => {
                DirectoryDraft::Existing(ExistingDirectoryDraft {
                    directory_id: existing.id().as_str().to_owned(),
                    directory_type: existing.kind().as_str().to_owned(),
                    alias: existing.alias().to_owned(),
                    region: existing.region().as_str().to_owned(),
                    additional_regions: Vec::new(),
                    stage: ACTIVE_STAGE.to_owned(),
                })
            }
        }
    }
}

/// [`OrganizationDraft::directory`](crate::spec::OrganizationDraft::directory), unchecked. JSON:
/// `{"type": "new_workmail_directory"}` or `{"type": "existing", …}` with the fields of
/// [`ExistingDirectoryDraft`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "type",
    try_from = "RawDirectory<S>",
    bound(deserialize = "S: Deserialize<'de> + From<&'static str>")
)]
#[non_exhaustive]
pub enum DirectoryDraft<S = String> {
    /// `{"type": "new_workmail_directory"}` (the default).
    #[serde(rename = "new_workmail_directory")]
    NewWorkMailDirectory,
    /// `{"type": "existing", …}`.
    #[serde(rename = "existing")]
    Existing(ExistingDirectoryDraft<S>),
}

impl<S> Default for DirectoryDraft<S> {
    /// A new WorkMail directory.
    fn default() -> Self {
        DirectoryDraft::NewWorkMailDirectory
    }
}

/// What Directory Service reports about an existing directory (`DescribeDirectories`),
/// unchecked.
///
/// `additional_regions` defaults to none and `stage` to `"Active"`. Alone, its serde form is
/// the object of an `existing` directory without the `type`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    try_from = "RawDirectory<S>",
    bound(deserialize = "S: Deserialize<'de> + From<&'static str>")
)]
pub struct ExistingDirectoryDraft<S = String> {
    /// The directory id, e.g. `d-1234567890`.
    pub directory_id: S,
    /// The Directory Service type: `ADConnector`, `MicrosoftAD`, `SimpleAD` (or an
    /// unsupported one such as `SharedMicrosoftAD`).
    pub directory_type: S,
    /// The directory's alias (a directory without one reports its id).
    pub alias: S,
    /// The directory's Region code.
    pub region: S,
    /// The Regions the directory is replicated to besides `region`.
    pub additional_regions: Vec<S>,
    /// The directory's stage, e.g. `Active` or `Creating`.
    pub stage: S,
}

impl Default for ExistingDirectoryDraft {
    /// Empty strings, no additional Regions, stage `"Active"`.
    fn default() -> Self {
        ExistingDirectoryDraft {
            directory_id: String::new(),
            directory_type: String::new(),
            alias: String::new(),
            region: String::new(),
            additional_regions: Vec::new(),
            stage: ACTIVE_STAGE.to_owned(),
        }
    }
}

raw_object! {
    /// A directory choice as read: the type, and for an existing directory what Directory
    /// Service reports about it. Read alone, as an [`ExistingDirectoryDraft`], it is the
    /// report without a `type`.
    #[derive(Deserialize)]
    #[serde(
        deny_unknown_fields,
        expecting = "a directory: an object whose `type` is one of `new_workmail_directory`, `existing`"
    )]
    struct RawDirectory, fields REPORT_FIELDS {
        #[serde(default)]
        type: Option<DirectoryType>,
        directory_id: S,
        directory_type: S,
        alias: S,
        region: S,
        additional_regions: Vec<S>,
        stage: S,
    }
}

object_type! {
    /// The `type` of a directory choice.
    enum DirectoryType {
        NewWorkMailDirectory = "new_workmail_directory", allowing &[];
        Existing = "existing", allowing REPORT_FIELDS;
    }
}

impl<S: From<&'static str>> TryFrom<RawDirectory<S>> for DirectoryDraft<S> {
    type Error = ShapeError;

    fn try_from(raw: RawDirectory<S>) -> Result<Self, ShapeError> {
        let Some(kind) = raw.kind else {
            return Err(Of::untyped(&[]).missing("type"));
        };
        let of = kind.of().allowing(raw.given())?;
        match kind {
            DirectoryType::NewWorkMailDirectory => Ok(DirectoryDraft::NewWorkMailDirectory),
            DirectoryType::Existing => raw.into_report(of).map(DirectoryDraft::Existing),
        }
    }
}

impl<S: From<&'static str>> TryFrom<RawDirectory<S>> for ExistingDirectoryDraft<S> {
    type Error = ShapeError;

    /// A report alone: no `type`.
    fn try_from(raw: RawDirectory<S>) -> Result<Self, ShapeError> {
        let of = Of::untyped(REPORT_FIELDS);
        if raw.kind.is_some() {
            return Err(of.not_allowed("type"));
        }
        raw.into_report(of)
    }
}

impl<S: From<&'static str>> RawDirectory<S> {
    /// The report, with its four required fields.
    fn into_report(self, of: Of) -> Result<ExistingDirectoryDraft<S>, ShapeError> {
        Ok(ExistingDirectoryDraft {
            directory_id: of.required("directory_id", self.directory_id)?,
            directory_type: of.required("directory_type", self.directory_type)?,
            alias: of.required("alias", self.alias)?,
            region: of.required("region", self.region)?,
            additional_regions: self.additional_regions.unwrap_or_default(),
            stage: self.stage.unwrap_or_else(|| ACTIVE_STAGE.into()),
        })
    }
}
