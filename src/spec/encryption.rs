//! The key that encrypts mailbox content: [`EncryptionChoice`], its draft and its reader.

use serde::{Deserialize, Serialize};

use crate::id::{KmsKeyArn, Region};
use crate::report::{FieldPath, Findings};
use crate::rule::Rule;

use super::parsed;
use super::raw::{object_type, raw_object, ShapeError};

/// The console's *Encryption* step: which KMS key encrypts mailbox content. Chosen once at
/// creation and never changed.
///
/// A customer managed key must be in the organization's Region (checked when an
/// [`OrganizationSpec`](crate::OrganizationSpec) is built, rule
/// [`encryption.region_mismatch`](crate::Rule::EncryptionRegionMismatch)). AWS may add
/// options, so the enum is `#[non_exhaustive]`.
///
/// ```
/// use workmail_org::{EncryptionChoice, KmsKeyArn};
///
/// assert_eq!(EncryptionChoice::default(), EncryptionChoice::WorkMailManagedKey);
/// let key: KmsKeyArn =
///     "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".parse()?;
/// let choice = EncryptionChoice::from(key.clone());
/// assert_eq!(choice.kms_key_arn(), Some(&key));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EncryptionChoice {
    /// A key WorkMail creates and manages in your account (the default).
    #[default]
    WorkMailManagedKey,
    /// An existing customer managed symmetric KMS key.
    CustomerManagedKey(KmsKeyArn),
}

impl EncryptionChoice {
    /// The customer managed key, if one was chosen.
    pub fn kms_key_arn(&self) -> Option<&KmsKeyArn> {
        match self {
            EncryptionChoice::CustomerManagedKey(key) => Some(key),
            EncryptionChoice::WorkMailManagedKey => None,
        }
    }
}

impl From<KmsKeyArn> for EncryptionChoice {
    fn from(key: KmsKeyArn) -> Self {
        EncryptionChoice::CustomerManagedKey(key)
    }
}

impl EncryptionChoice {
    /// Reads a drafted choice, recording a key that does not parse and, when the
    /// organization's `region` parsed, a key in another Region.
    pub(super) fn read<S: AsRef<str>>(
        draft: &EncryptionDraft<S>,
        region: Option<Region>,
        findings: &mut Findings,
    ) -> Option<Self> {
        match draft {
            EncryptionDraft::WorkMailManagedKey => Some(EncryptionChoice::WorkMailManagedKey),
            EncryptionDraft::CustomerManagedKey { kms_key_arn } => {
                let key = parsed(
                    findings,
                    FieldPath::KmsKeyArn,
                    KmsKeyArn::parse(kms_key_arn.as_ref()),
                )?;
                if let Some(region) = region {
                    key_in_organization_region(&key, region, findings);
                }
                Some(EncryptionChoice::CustomerManagedKey(key))
            }
        }
    }

    /// The choice as a draft, with canonical text.
    pub(super) fn to_draft(&self) -> EncryptionDraft {
        match self {
            EncryptionChoice::WorkMailManagedKey => EncryptionDraft::WorkMailManagedKey,
            EncryptionChoice::CustomerManagedKey(key) => EncryptionDraft::CustomerManagedKey {
                kms_key_arn: key.as_str().to_owned(),
            },
        }
    }
}

/// [`OrganizationDraft::encryption`](crate::spec::OrganizationDraft::encryption), unchecked. JSON:
/// `{"type": "workmail_managed_key"}` or `{"type": "customer_managed_key", "kms_key_arn": …}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", try_from = "RawEncryption<S>")]
#[non_exhaustive]
pub enum EncryptionDraft<S = String> {
    /// `{"type": "workmail_managed_key"}` (the default).
    #[serde(rename = "workmail_managed_key")]
    WorkMailManagedKey,
    /// `{"type": "customer_managed_key", "kms_key_arn": …}`.
    #[serde(rename = "customer_managed_key")]
    CustomerManagedKey {
        /// The key's ARN.
        kms_key_arn: S,
    },
}

impl<S> Default for EncryptionDraft<S> {
    /// The WorkMail-managed key.
    fn default() -> Self {
        EncryptionDraft::WorkMailManagedKey
    }
}

raw_object! {
    /// An encryption choice as read.
    #[derive(Deserialize)]
    #[serde(
        deny_unknown_fields,
        expecting = "an encryption choice: an object whose `type` is one of `workmail_managed_key`, `customer_managed_key`"
    )]
    struct RawEncryption, fields ENCRYPTION_FIELDS {
        type: EncryptionType,
        kms_key_arn: S,
    }
}

object_type! {
    /// The `type` of an encryption choice.
    enum EncryptionType {
        WorkMailManagedKey = "workmail_managed_key", allowing &[];
        CustomerManagedKey = "customer_managed_key", allowing ENCRYPTION_FIELDS;
    }
}

impl<S> TryFrom<RawEncryption<S>> for EncryptionDraft<S> {
    type Error = ShapeError;

    fn try_from(raw: RawEncryption<S>) -> Result<Self, ShapeError> {
        let of = raw.kind.of().allowing(raw.given())?;
        Ok(match raw.kind {
            EncryptionType::WorkMailManagedKey => EncryptionDraft::WorkMailManagedKey,
            EncryptionType::CustomerManagedKey => EncryptionDraft::CustomerManagedKey {
                kms_key_arn: of.required("kms_key_arn", raw.kms_key_arn)?,
            },
        })
    }
}

/// `encryption.region_mismatch`: a customer managed key is in the organization's Region.
fn key_in_organization_region(key: &KmsKeyArn, region: Region, findings: &mut Findings) {
    if key.region() != region {
        findings.violation(
            FieldPath::KmsKeyArn,
            Rule::EncryptionRegionMismatch,
            format!(
                "kms key \"{}\" is in {} but the organization is in {region}; a key is regional \
                 and must be in the organization's region",
                key.key_id(),
                key.region()
            ),
        );
    }
}
