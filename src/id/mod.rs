//! Validated identifiers: every string a WorkMail organization is made of.
//!
//! Each type holds only valid values. Every way in (`parse`, `FromStr`, `TryFrom<&str>`,
//! `TryFrom<String>`, serde's `Deserialize`) goes through one validating constructor, and a
//! rejected value gets a [`ParseError`] naming the [`Rule`](crate::Rule) it broke, what
//! exactly was wrong ([`ParseErrorKind`]) and the input, shown escaped and shortened.
//!
//! | type | form | source |
//! | --- | --- | --- |
//! | [`OrganizationAlias`] | 1–62 ASCII letters and digits in runs joined by single hyphens, not starting with `d-` or `D-` | WorkMail API model, `CreateOrganization` `Alias`; `D-` a decision |
//! | [`DomainName`] | IDNA (UTS 46) to lower-case ASCII, 3–209 characters, at least two labels | WorkMail API model, mail-domain calls; the rest decisions |
//! | [`HostedZoneId`] | 1–32 upper-case letters and digits, `/hostedzone/` stripped | Route 53 API; the character set a decision |
//! | [`DirectoryId`] | `d-` and 10 lower-case hex digits | WorkMail API model, `DirectoryId` |
//! | [`OrganizationId`] | `m-` and 32 lower-case hex digits | WorkMail API model, `OrganizationId` |
//! | [`ClientToken`] | 1–128 printable ASCII characters | WorkMail API model, `ClientToken` |
//! | [`AccountId`] | 12 digits | AWS account ids |
//! | [`Region`] | `us-east-1`, `us-west-2`, `eu-west-1` | WorkMail endpoints |
//! | [`KmsKeyArn`] | `arn:aws:kms:REGION:ACCOUNT:key/KEY_ID` | WorkMail API model, `KmsKeyArn`; the key forms a decision |
//! | [`OrganizationArn`] | `arn:aws:workmail:REGION:ACCOUNT:organization/ORG_ID` | WorkMail API model |
//! | [`EntityId`] | 1–256 characters of `[a-zA-Z0-9._%+@-]`: a user or resource id, a name or an email | WorkMail API model, `StartMailboxExportJob` `EntityId` |
//! | [`RoleArn`] | 20–2048 characters, `arn:aws:iam:REGION:ACCOUNT:RESOURCE` as the model's pattern says | WorkMail API model, `StartMailboxExportJob` `RoleArn` |
//! | [`S3BucketName`] | 1–63 characters of `[A-Za-z0-9.-]` | WorkMail API model, `StartMailboxExportJob` `S3BucketName` |
//! | [`S3Prefix`] | 1–1023 characters of `[A-Za-z0-9!_.*'()/-]` | WorkMail API model, `StartMailboxExportJob` `S3Prefix` |
//! | [`ExportJobId`] | 1–63 characters of `[A-Za-z0-9-]` | WorkMail API model, `MailboxExportJobId` |
//! | [`ExportDescription`] | 0–1023 characters | WorkMail API model, `StartMailboxExportJob` `Description` |
//!
//! Every input is bounded: a value far over its limit is rejected by its length before any
//! other work, and a domain name over [`MAX_IDNA_INPUT_BYTES`] before any IDNA work.

mod account;
mod alias;
mod arn;
mod client_token;
mod domain_name;
mod error;
mod hex_id;
mod hosted_zone_id;
mod inline;
mod kms_key_arn;
mod mailbox_export;
mod region;
pub(crate) mod scan;

pub use account::AccountId;
pub use alias::{OrganizationAlias, MAX_ALIAS_LEN, TEST_DOMAIN_SUFFIX};
pub use arn::OrganizationArn;
pub use client_token::{ClientToken, MAX_CLIENT_TOKEN_LEN};
pub use domain_name::{
    DomainName, MAX_DOMAIN_LEN, MAX_IDNA_INPUT_BYTES, MAX_LABEL_LEN, MIN_DOMAIN_LEN,
};
pub use error::{HyphenPlace, ParseError, ParseErrorKind};
pub use hex_id::{DirectoryId, OrganizationId};
pub use hosted_zone_id::{HostedZoneId, HOSTED_ZONE_PREFIX, MAX_HOSTED_ZONE_ID_LEN};
pub(crate) use inline::ShortStr;
pub use kms_key_arn::{KmsKeyArn, MAX_KMS_KEY_ARN_LEN, MIN_KMS_KEY_ARN_LEN};
pub use mailbox_export::{
    EntityId, ExportDescription, ExportJobId, RoleArn, S3BucketName, S3Prefix, MAX_ENTITY_ID_LEN,
    MAX_EXPORT_DESCRIPTION_LEN, MAX_EXPORT_JOB_ID_LEN, MAX_ROLE_ARN_LEN, MAX_S3_BUCKET_NAME_LEN,
    MAX_S3_PREFIX_LEN, MIN_ROLE_ARN_LEN,
};
pub use region::Region;
