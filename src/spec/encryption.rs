//! The key that encrypts mailbox content.

use crate::KmsKeyArn;

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
