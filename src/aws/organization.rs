//! The organization as AWS reports it: `DescribeOrganization`.

use serde::{Deserialize, Serialize};

use crate::id::{DirectoryId, DomainName, OrganizationAlias, OrganizationArn, OrganizationId};
use crate::lifecycle::{ReportedState, Tracked};
use crate::reported::Reported;
use crate::spec::DirectoryKind;
use crate::spec::{DirectoryChoice, OrganizationSpec};

use super::response::{Fields, ResponseError, ResponseErrorKind};
use super::Timestamp;

/// The most characters of a free-form response string (API model: `String`, max 256).
pub(super) const MAX_STRING: usize = 256;
/// The most characters of an ARN (API model: `AmazonResourceName`).
const MAX_ARN: usize = 1011;
/// The fewest characters of a `MigrationAdmin` (API model: `WorkMailIdentifier`).
const MIN_MIGRATION_ADMIN: usize = 12;

/// An organization as `DescribeOrganization` reports it: a typed snapshot.
///
/// The identifiers the API model types strictly are validated (`OrganizationId`, `Alias`,
/// `ARN`'s form); the fields it types as free-form strings are kept as [`Reported`] values,
/// so nothing AWS says is lost: a state this version does not know, a directory type no spec
/// can choose (`VpcDirectory`, WorkMail's own directory), an ARN whose organization id is not
/// the documented `m-` and 32 hex digits. Unknown JSON fields are ignored (AWS adds fields);
/// a malformed known field is a [`ResponseError`] naming it.
///
/// Serde reads and writes the response's own JSON (PascalCase). `OrganizationId`, `Alias`
/// and `State` are required; everything else may be absent.
///
/// ```
/// use workmail_org::aws::Organization;
/// use workmail_org::lifecycle::OrganizationState;
///
/// // The AWS CLI reference's `describe-organization` example, verbatim.
/// let org: Organization = serde_json::from_str(r#"{
///     "OrganizationId": "m-d281d0a2fd824be5b6cd3d3ce909fd27", "Alias": "alias", "State": "Active",
///     "DirectoryId": "d-926726012c", "DirectoryType": "VpcDirectory",
///     "DefaultMailDomain": "site.awsapps.com", "CompletedDate": 1522693605.468,
///     "ARN": "arn:aws:workmail:us-west-2:111122223333:organization/m-n1pq2345678r901st2u3vx45x6789yza"
/// }"#)?;
/// assert_eq!(org.state().known(), Some(&OrganizationState::Active));
/// assert_eq!(org.directory_type().map(|t| t.as_str()), Some("VpcDirectory"));
/// assert!(org.directory_type().and_then(|t| t.known()).is_none());
/// let arn = org.arn().unwrap();
/// assert!(arn.known().is_none()); // its organization id breaks the documented pattern
/// assert_eq!(org.completed_date().map(|d| d.millis()), Some(468));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawOrganization")]
pub struct Organization {
    organization_id: OrganizationId,
    alias: OrganizationAlias,
    state: ReportedState,
    #[serde(skip_serializing_if = "Option::is_none")]
    directory_id: Option<Reported<DirectoryId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    directory_type: Option<Reported<DirectoryKind>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_mail_domain: Option<Reported<DomainName>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    completed_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<Box<str>>,
    #[serde(rename = "ARN", skip_serializing_if = "Option::is_none")]
    arn: Option<Reported<OrganizationArn>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    migration_admin: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interoperability_enabled: Option<bool>,
}

/// The response as it arrives: every field optional and unchecked.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RawOrganization {
    pub(super) organization_id: Option<String>,
    pub(super) alias: Option<String>,
    pub(super) state: Option<String>,
    pub(super) directory_id: Option<String>,
    pub(super) directory_type: Option<String>,
    pub(super) default_mail_domain: Option<String>,
    pub(super) completed_date: Option<Timestamp>,
    pub(super) error_message: Option<String>,
    #[serde(rename = "ARN")]
    pub(super) arn: Option<String>,
    pub(super) migration_admin: Option<String>,
    pub(super) interoperability_enabled: Option<bool>,
}

impl TryFrom<RawOrganization> for Organization {
    type Error = ResponseError;

    fn try_from(raw: RawOrganization) -> Result<Self, ResponseError> {
        let fields = Fields {
            operation: "DescribeOrganization",
        };
        let id = fields.required("OrganizationId", raw.organization_id)?;
        let alias = fields.required("Alias", raw.alias)?;
        let state = fields.required("State", raw.state)?;
        Ok(Organization {
            organization_id: fields.parsed("OrganizationId", &id)?,
            alias: fields.parsed("Alias", &alias)?,
            state: fields.reported("State", state, MAX_STRING)?,
            directory_id: raw
                .directory_id
                .map(|v| fields.reported("DirectoryId", v, MAX_STRING))
                .transpose()?,
            directory_type: raw
                .directory_type
                .map(|v| fields.reported("DirectoryType", v, MAX_STRING))
                .transpose()?,
            default_mail_domain: raw
                .default_mail_domain
                .map(|v| fields.reported("DefaultMailDomain", v, MAX_STRING))
                .transpose()?,
            completed_date: raw.completed_date,
            error_message: raw
                .error_message
                .map(|v| fields.text("ErrorMessage", v, 0, MAX_STRING))
                .transpose()?,
            arn: raw.arn.map(|v| arn(&fields, v)).transpose()?,
            migration_admin: raw
                .migration_admin
                .map(|v| fields.text("MigrationAdmin", v, MIN_MIGRATION_ADMIN, MAX_STRING))
                .transpose()?,
            interoperability_enabled: raw.interoperability_enabled,
        })
    }
}

/// An `ARN` field: within the model's length and pattern
/// (`arn:aws:workmail:[a-z0-9-]*:[a-z0-9-]+:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}`, as a full
/// match), kept as reported; [`Reported::known`] is the strict [`OrganizationArn`] when it
/// is one.
fn arn(fields: &Fields, value: String) -> Result<Reported<OrganizationArn>, ResponseError> {
    let value = fields.text("ARN", value, 1, MAX_ARN)?;
    if !matches_arn_model(&value) {
        return Err(fields.error(
            "ARN",
            ResponseErrorKind::Pattern {
                shown: crate::text::shown(&value),
                problem: "does not match the API model's WorkMail ARN pattern",
            },
        ));
    }
    Ok(Reported::new(value))
}

/// The API model's `AmazonResourceName` pattern, applied as a full match.
fn matches_arn_model(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("arn:aws:workmail:") else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    let (Some(region), Some(account), Some(resource)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let region_ok = region
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let account_ok = !account.is_empty()
        && account
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let mut resource_bytes = resource.bytes();
    let resource_ok = resource_bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
        && resource.len() <= 1024
        && resource_bytes.all(|b| b.is_ascii_alphanumeric() || b":_/+=,@.-".contains(&b));
    region_ok && account_ok && resource_ok
}

impl From<Organization> for Tracked<Organization> {
    /// The organization in the state AWS reports, carrying the snapshot: the lifecycle's
    /// run-time wrapper holds it once, and checks the next report against the table.
    ///
    /// ```
    /// use workmail_org::aws::Organization;
    /// use workmail_org::lifecycle::{Refused, Tracked};
    ///
    /// let describe = |state: &str| -> Result<Organization, serde_json::Error> {
    ///     serde_json::from_str(&format!(
    ///         r#"{{"OrganizationId": "m-0123456789abcdef0123456789abcdef",
    ///              "Alias": "acme", "State": "{state}"}}"#
    ///     ))
    /// };
    /// let tracked = Tracked::from(describe("Requested")?);
    ///
    /// // A later poll: the table accepts the jump from Requested to Active (via Creating),
    /// // and the newer snapshot replaces the old one.
    /// let newer = describe("Active")?;
    /// let (tracked, path) = tracked.observe(newer.state().clone()).map_err(Refused::into_error)?;
    /// assert_eq!(path.len(), 2);
    /// let tracked = Tracked::new(tracked.state().clone(), newer);
    /// assert_eq!(tracked.data().state().as_str(), "Active");
    ///
    /// // A report the table cannot explain is refused, and the organization handed back.
    /// let refused = tracked.observe(describe("Creating")?.state().clone()).unwrap_err();
    /// assert_eq!(refused.into_value().data().state().as_str(), "Active");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from(organization: Organization) -> Self {
        Tracked::new(organization.state.clone(), organization)
    }
}

impl Organization {
    /// A builder for the organization `organization_id`, named `alias`, in `state`: what an
    /// endpoint that answers `DescribeOrganization` reports (the crate's emulator does).
    /// Every other field starts absent; [`build`](OrganizationBuilder::build) checks them as
    /// a response read from JSON is checked.
    ///
    /// ```
    /// use workmail_org::aws::{Organization, Timestamp};
    /// use workmail_org::lifecycle::OrganizationState;
    ///
    /// let org = Organization::builder(
    ///     "m-0123456789abcdef0123456789abcdef".parse()?,
    ///     "acme".parse()?,
    ///     OrganizationState::Active,
    /// )
    /// .directory_type("VpcDirectory")
    /// .default_mail_domain("acme.awsapps.com")
    /// .completed_date(Timestamp::new(1_522_693_605, 0)?)
    /// .interoperability_enabled(false)
    /// .build()?;
    /// assert_eq!(
    ///     serde_json::to_string(&org)?,
    ///     r#"{"OrganizationId":"m-0123456789abcdef0123456789abcdef","Alias":"acme","State":"Active","DirectoryType":"VpcDirectory","DefaultMailDomain":"acme.awsapps.com","CompletedDate":1522693605,"InteroperabilityEnabled":false}"#
    /// );
    /// let too_long = Organization::builder(
    ///     org.organization_id().clone(),
    ///     org.alias().clone(),
    ///     OrganizationState::Active,
    /// )
    ///     .error_message("x".repeat(300))
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(too_long.field(), "ErrorMessage");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(
        organization_id: OrganizationId,
        alias: OrganizationAlias,
        state: impl Into<ReportedState>,
    ) -> OrganizationBuilder {
        OrganizationBuilder {
            organization_id,
            alias,
            state: state.into(),
            directory_id: None,
            directory_type: None,
            default_mail_domain: None,
            completed_date: None,
            error_message: None,
            arn: None,
            migration_admin: None,
            interoperability_enabled: None,
        }
    }

    /// `OrganizationId`.
    pub fn organization_id(&self) -> &OrganizationId {
        &self.organization_id
    }

    /// `Alias`.
    pub fn alias(&self) -> &OrganizationAlias {
        &self.alias
    }

    /// `State`, kept even when this version does not know it.
    pub fn state(&self) -> &ReportedState {
        &self.state
    }

    /// `DirectoryId`: a Directory Service id, or whatever AWS reports for WorkMail's own
    /// directory.
    pub fn directory_id(&self) -> Option<&Reported<DirectoryId>> {
        self.directory_id.as_ref()
    }

    /// `DirectoryType`: a [`DirectoryKind`] a spec can choose, or another type such as
    /// `VpcDirectory` (WorkMail's own directory), kept as text.
    pub fn directory_type(&self) -> Option<&Reported<DirectoryKind>> {
        self.directory_type.as_ref()
    }

    /// `DefaultMailDomain`.
    pub fn default_mail_domain(&self) -> Option<&Reported<DomainName>> {
        self.default_mail_domain.as_ref()
    }

    /// `CompletedDate`: when creation completed.
    pub fn completed_date(&self) -> Option<Timestamp> {
        self.completed_date
    }

    /// `ErrorMessage`: why creation failed, if it did.
    pub fn error_message(&self) -> Option<&str> {
        self.error_message.as_deref()
    }

    /// `ARN`, checked against the API model's pattern; [`Reported::known`] is the strict
    /// [`OrganizationArn`] when it names a WorkMail Region and an `m-` organization id.
    pub fn arn(&self) -> Option<&Reported<OrganizationArn>> {
        self.arn.as_ref()
    }

    /// `MigrationAdmin`: the user or group that administers mailbox migration, if set.
    pub fn migration_admin(&self) -> Option<&str> {
        self.migration_admin.as_deref()
    }

    /// `InteroperabilityEnabled`.
    pub fn interoperability_enabled(&self) -> Option<bool> {
        self.interoperability_enabled
    }

    /// Checks the organization against the spec it was created from: the same alias
    /// (ignoring case), and the same existing directory and interoperability when AWS reports
    /// `DirectoryId` and `InteroperabilityEnabled` (an absent field is unknown, not a
    /// mismatch).
    ///
    /// # Errors
    /// Every [`Mismatch`] found.
    ///
    /// ```
    /// use workmail_org::aws::{Mismatch, Organization};
    /// use workmail_org::OrganizationDraft;
    ///
    /// let spec = OrganizationDraft::new("acme", "us-east-1").validate()?;
    /// let org: Organization = serde_json::from_str(
    ///     r#"{"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "ACME",
    ///         "State": "Active", "InteroperabilityEnabled": true}"#,
    /// )?;
    /// let mismatches = org.check_against(&spec).unwrap_err();
    /// assert_eq!(mismatches, [Mismatch::Interoperability { spec: false, reported: true }]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_against(&self, spec: &OrganizationSpec) -> Result<(), Vec<Mismatch>> {
        let mut mismatches = Vec::new();
        if self.alias != *spec.alias() {
            mismatches.push(Mismatch::Alias {
                spec: spec.alias().clone(),
                reported: self.alias.clone(),
            });
        }
        if let DirectoryChoice::Existing(directory) = spec.directory() {
            // An absent `DirectoryId` is unknown, as every field AWS did not report.
            if let Some(reported) = self.directory_id.as_ref() {
                if reported.as_str() != directory.id().as_str() {
                    mismatches.push(Mismatch::Directory {
                        spec: directory.id().clone(),
                        reported: Box::from(reported.as_str()),
                    });
                }
            }
        }
        // A field AWS did not report is unknown, not a mismatch.
        if let Some(reported) = self.interoperability_enabled {
            if reported != spec.interoperability() {
                mismatches.push(Mismatch::Interoperability {
                    spec: spec.interoperability(),
                    reported,
                });
            }
        }
        if mismatches.is_empty() {
            Ok(())
        } else {
            Err(mismatches)
        }
    }
}

/// A difference between an organization AWS reports and the spec it was created from.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Mismatch {
    /// The aliases differ (ignoring case).
    #[error("alias: the spec has \"{spec}\" but AWS reports \"{reported}\"")]
    Alias {
        /// The spec's alias.
        spec: OrganizationAlias,
        /// What AWS reports.
        reported: OrganizationAlias,
    },
    /// The spec chose an existing directory and AWS reports another one. An absent
    /// `DirectoryId` is unknown, never a mismatch.
    #[error(
        "directory: the spec has \"{spec}\" but AWS reports \"{}\"",
        crate::text::shown(reported)
    )]
    Directory {
        /// The spec's directory.
        spec: DirectoryId,
        /// What AWS reports.
        reported: Box<str>,
    },
    /// AWS reports `InteroperabilityEnabled` unlike the spec's choice. An absent field is
    /// unknown, never a mismatch.
    #[error("interoperability: the spec has {spec} but AWS reports {reported}")]
    Interoperability {
        /// The spec's choice.
        spec: bool,
        /// What AWS reports.
        reported: bool,
    },
}

/// Builds an [`Organization`] from parts, checking them all in [`build`](Self::build), as
/// [`Organization::builder`] shows. The free-form fields take text, as AWS writes them; the
/// typed ones their types.
#[derive(Clone, Debug)]
#[must_use]
pub struct OrganizationBuilder {
    organization_id: OrganizationId,
    alias: OrganizationAlias,
    state: ReportedState,
    directory_id: Option<String>,
    directory_type: Option<String>,
    default_mail_domain: Option<String>,
    completed_date: Option<Timestamp>,
    error_message: Option<String>,
    arn: Option<String>,
    migration_admin: Option<String>,
    interoperability_enabled: Option<bool>,
}

impl OrganizationBuilder {
    /// Sets `DirectoryId`: a Directory Service id, or whatever names WorkMail's own directory.
    pub fn directory_id(mut self, directory_id: impl Into<String>) -> Self {
        self.directory_id = Some(directory_id.into());
        self
    }

    /// Sets `DirectoryType`: a [`DirectoryKind`]'s name, or another such as `VpcDirectory`.
    pub fn directory_type(mut self, directory_type: impl Into<String>) -> Self {
        self.directory_type = Some(directory_type.into());
        self
    }

    /// Sets `DefaultMailDomain`.
    pub fn default_mail_domain(mut self, domain: impl Into<String>) -> Self {
        self.default_mail_domain = Some(domain.into());
        self
    }

    /// Sets `CompletedDate`.
    pub fn completed_date(mut self, completed: Timestamp) -> Self {
        self.completed_date = Some(completed);
        self
    }

    /// Sets `ErrorMessage`.
    pub fn error_message(mut self, message: impl Into<String>) -> Self {
        self.error_message = Some(message.into());
        self
    }

    /// Sets `ARN`.
    pub fn arn(mut self, arn: &OrganizationArn) -> Self {
        self.arn = Some(arn.as_str().to_owned());
        self
    }

    /// Sets `MigrationAdmin`.
    pub fn migration_admin(mut self, admin: impl Into<String>) -> Self {
        self.migration_admin = Some(admin.into());
        self
    }

    /// Sets `InteroperabilityEnabled`.
    pub fn interoperability_enabled(mut self, enabled: bool) -> Self {
        self.interoperability_enabled = Some(enabled);
        self
    }

    /// Checks every part and builds the organization.
    ///
    /// # Errors
    /// The first part that a `DescribeOrganization` response could not carry, as a
    /// [`ResponseError`] naming its field: a free-form field or `State` over 256 characters,
    /// a `MigrationAdmin` under 12.
    pub fn build(self) -> Result<Organization, ResponseError> {
        let fields = Fields {
            operation: "DescribeOrganization",
        };
        Ok(Organization {
            organization_id: self.organization_id,
            alias: self.alias,
            state: fields.reported("State", self.state.as_str().to_owned(), MAX_STRING)?,
            directory_id: self
                .directory_id
                .map(|v| fields.reported("DirectoryId", v, MAX_STRING))
                .transpose()?,
            directory_type: self
                .directory_type
                .map(|v| fields.reported("DirectoryType", v, MAX_STRING))
                .transpose()?,
            default_mail_domain: self
                .default_mail_domain
                .map(|v| fields.reported("DefaultMailDomain", v, MAX_STRING))
                .transpose()?,
            completed_date: self.completed_date,
            error_message: self
                .error_message
                .map(|v| fields.text("ErrorMessage", v, 0, MAX_STRING))
                .transpose()?,
            arn: self.arn.map(|v| arn(&fields, v)).transpose()?,
            migration_admin: self
                .migration_admin
                .map(|v| fields.text("MigrationAdmin", v, MIN_MIGRATION_ADMIN, MAX_STRING))
                .transpose()?,
            interoperability_enabled: self.interoperability_enabled,
        })
    }
}
