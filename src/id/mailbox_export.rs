//! The fields of a mailbox export job (`StartMailboxExportJob`, WorkMail API model): the
//! entity whose mailbox is exported, the IAM role WorkMail assumes, the S3 bucket and prefix
//! it writes to, the job's id and its description.
//!
//! Each is a validated string as the other identifiers are: one constructor, every rule of
//! the API model (lengths, patterns applied as full matches), and a [`ParseError`] naming
//! the rule that failed.

use crate::id::scan::{overlong, Charset};
use crate::id::{ParseError, ParseErrorKind};
use crate::rule::Rule;
use crate::text::string_type;

/// The most characters of an entity id (API model: `EntityIdentifier`).
pub const MAX_ENTITY_ID_LEN: usize = 256;
/// The most characters of an S3 bucket name (API model: `S3BucketName`).
pub const MAX_S3_BUCKET_NAME_LEN: usize = 63;
/// The most characters of an S3 prefix (API model: `S3ObjectKey`).
pub const MAX_S3_PREFIX_LEN: usize = 1023;
/// The most characters of an export job id (API model: `MailboxExportJobId`).
pub const MAX_EXPORT_JOB_ID_LEN: usize = 63;
/// The most characters of an export job's description (API model: `Description`).
pub const MAX_EXPORT_DESCRIPTION_LEN: usize = 1023;
/// The fewest characters of an IAM role ARN (API model: `RoleArn`).
pub const MIN_ROLE_ARN_LEN: usize = 20;
/// The most characters of an IAM role ARN (API model: `RoleArn`).
pub const MAX_ROLE_ARN_LEN: usize = 2048;

/// A validated string whose rules are a length and a character set.
macro_rules! charset_type {
    (
        $(#[$doc:meta])*
        $name:ident, $expecting:literal, $set:expr
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Box<str>);

        impl $name {
            /// Parses the value, checking the API model's length and pattern.
            ///
            /// # Errors
            /// A [`ParseError`] naming the length rule or the character rule it breaks.
            pub fn parse(input: &str) -> Result<Self, ParseError> {
                const SET: Charset = $set;
                SET.check(input)?;
                Ok($name(input.into()))
            }

            /// The value.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        string_type!($name, $expecting);
    };
}

charset_type! {
    /// The entity whose mailbox an export job reads (API model: `StartMailboxExportJob`
    /// `EntityId`): a user or resource id, a name, or an email address; 1 to 256 characters
    /// of `[a-zA-Z0-9._%+@-]`.
    ///
    /// The ids that `ListUsers` and `ListResources` report are read as this type too, so a
    /// listed entity goes straight into a request.
    ///
    /// ```
    /// use workmail_org::EntityId;
    /// let id: EntityId = "jdoe@acme.example".parse()?;
    /// assert_eq!(id.as_str(), "jdoe@acme.example");
    /// let err = "j doe".parse::<EntityId>().unwrap_err();
    /// assert_eq!(err.rule().id(), "entity_id.character");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    EntityId, "an entity id", Charset {
        min: 1,
        max: MAX_ENTITY_ID_LEN,
        length: Rule::EntityIdLength,
        character: Rule::EntityIdCharacter,
        allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '@' | '-'),
        allowed_text: "ASCII letters, digits and . _ % + @ - only",
    }
}

charset_type! {
    /// The S3 bucket an export job writes to (API model: `StartMailboxExportJob`
    /// `S3BucketName`): 1 to 63 characters of `[A-Za-z0-9.-]`.
    ///
    /// ```
    /// use workmail_org::S3BucketName;
    /// let bucket: S3BucketName = "acme-exports".parse()?;
    /// assert_eq!(bucket.as_str(), "acme-exports");
    /// assert_eq!("acme_exports".parse::<S3BucketName>().unwrap_err().rule().id(), "export_bucket.character");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    S3BucketName, "an S3 bucket name", Charset {
        min: 1,
        max: MAX_S3_BUCKET_NAME_LEN,
        length: Rule::ExportBucketLength,
        character: Rule::ExportBucketCharacter,
        allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'),
        allowed_text: "ASCII letters, digits, dots and hyphens only",
    }
}

charset_type! {
    /// The key prefix an export job writes under (API model: `StartMailboxExportJob`
    /// `S3Prefix`): 1 to 1,023 characters of `[A-Za-z0-9!_.*'()/-]`.
    ///
    /// ```
    /// use workmail_org::S3Prefix;
    /// let prefix: S3Prefix = "workmail/acme/".parse()?;
    /// assert_eq!(prefix.as_str(), "workmail/acme/");
    /// assert_eq!("".parse::<S3Prefix>().unwrap_err().rule().id(), "export_prefix.length");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    S3Prefix, "an S3 prefix", Charset {
        min: 1,
        max: MAX_S3_PREFIX_LEN,
        length: Rule::ExportPrefixLength,
        character: Rule::ExportPrefixCharacter,
        allowed: |c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '!' | '_' | '.' | '*' | '\'' | '(' | ')' | '/' | '-')
        },
        allowed_text: "ASCII letters, digits and ! _ . * ' ( ) / - only",
    }
}

charset_type! {
    /// A mailbox export job's id (API model: `MailboxExportJobId`): 1 to 63 characters of
    /// `[A-Za-z0-9-]`.
    ///
    /// ```
    /// use workmail_org::ExportJobId;
    /// let id: ExportJobId = "0f3e8b9a-1234-4cde-8f00-0123456789ab".parse()?;
    /// assert_eq!(id.as_str().len(), 36);
    /// assert_eq!("job/1".parse::<ExportJobId>().unwrap_err().rule().id(), "export_job_id.character");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ExportJobId, "a mailbox export job id", Charset {
        min: 1,
        max: MAX_EXPORT_JOB_ID_LEN,
        length: Rule::ExportJobIdLength,
        character: Rule::ExportJobIdCharacter,
        allowed: |c| c.is_ascii_alphanumeric() || c == '-',
        allowed_text: "ASCII letters, digits and hyphens only",
    }
}

charset_type! {
    /// An export job's description (API model: `StartMailboxExportJob` `Description`): 0 to
    /// 1,023 characters of any kind.
    ///
    /// ```
    /// use workmail_org::ExportDescription;
    /// let description: ExportDescription = "leaving WorkMail: jdoe".parse()?;
    /// assert_eq!(description.as_str(), "leaving WorkMail: jdoe");
    /// assert!("x".repeat(1024).parse::<ExportDescription>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ExportDescription, "an export job description", Charset {
        min: 0,
        max: MAX_EXPORT_DESCRIPTION_LEN,
        length: Rule::ExportDescriptionLength,
        character: Rule::ExportDescriptionLength,
        allowed: |_| true,
        allowed_text: "any character",
    }
}

/// The IAM role WorkMail assumes to write an export (API model: `StartMailboxExportJob`
/// `RoleArn`): 20 to 2,048 characters matching
/// `arn:aws:iam:[a-z0-9-]*:[a-z0-9-]+:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}` as a full
/// match. The text is kept as given.
///
/// ```
/// use workmail_org::RoleArn;
/// let role: RoleArn = "arn:aws:iam::111122223333:role/workmail-export".parse()?;
/// assert_eq!(role.account(), "111122223333");
/// assert_eq!(role.resource(), "role/workmail-export");
/// let err = "arn:aws:s3:::bucket/key-name".parse::<RoleArn>().unwrap_err();
/// assert_eq!(err.rule().id(), "role_arn.format");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleArn {
    text: Box<str>,
    /// Where the account starts and the resource starts, in bytes.
    account_at: usize,
    resource_at: usize,
}

/// The prefix every role ARN has (partition `aws`, service `iam`).
const ROLE_ARN_PREFIX: &str = "arn:aws:iam:";

impl RoleArn {
    /// Parses an IAM role ARN.
    ///
    /// # Errors
    /// [`Rule::RoleArnLength`] outside 20 to 2,048 characters; [`Rule::RoleArnFormat`] for
    /// another prefix (`arn:aws:s3:`), an empty account, a character the pattern does not
    /// allow where it stands, or a resource over 1,024 characters.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let length = |actual| {
            ParseError::new(
                Rule::RoleArnLength,
                ParseErrorKind::Length {
                    min: MIN_ROLE_ARN_LEN,
                    max: MAX_ROLE_ARN_LEN,
                    actual,
                },
                input,
            )
        };
        let actual = overlong(input, MAX_ROLE_ARN_LEN).unwrap_or_else(|| input.chars().count());
        if !(MIN_ROLE_ARN_LEN..=MAX_ROLE_ARN_LEN).contains(&actual) {
            return Err(length(actual));
        }
        let format = |kind| ParseError::new(Rule::RoleArnFormat, kind, input);
        let character = |position: usize, character: char, allowed: &'static str| {
            format(ParseErrorKind::Character {
                character,
                // Positions count characters; everything before `position` is ASCII.
                position,
                allowed,
            })
        };
        let Some(rest) = input.strip_prefix(ROLE_ARN_PREFIX) else {
            return Err(format(ParseErrorKind::MissingPrefix {
                expected: ROLE_ARN_PREFIX,
            }));
        };
        let lower = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        // REGION: `[a-z0-9-]*`, then `:`.
        let region_at = ROLE_ARN_PREFIX.len();
        let region_end = rest.find(|c: char| !lower(c)).unwrap_or(rest.len());
        let rest = &rest[region_end..];
        let Some(rest) = rest.strip_prefix(':') else {
            let found = rest.chars().next().unwrap_or(' ');
            return Err(character(
                region_at + region_end,
                found,
                "lower-case letters, digits and hyphens in the Region, then `:`",
            ));
        };
        // ACCOUNT: `[a-z0-9-]+`, then `:`.
        let account_at = region_at + region_end + 1;
        let account_end = rest.find(|c: char| !lower(c)).unwrap_or(rest.len());
        if account_end == 0 {
            return Err(format(ParseErrorKind::Part {
                part: "account",
                found: "".into(),
                expected: "one or more lower-case letters, digits or hyphens",
            }));
        }
        let Some(resource) = rest[account_end..].strip_prefix(':') else {
            let found = rest[account_end..].chars().next().unwrap_or(' ');
            return Err(character(
                account_at + account_end,
                found,
                "lower-case letters, digits and hyphens in the account, then `:`",
            ));
        };
        // RESOURCE: `[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}`.
        let resource_at = account_at + account_end + 1;
        for (offset, c) in resource.chars().enumerate() {
            let allowed = if offset == 0 {
                c.is_ascii_alphanumeric()
            } else {
                c.is_ascii_alphanumeric()
                    || matches!(c, ':' | '_' | '/' | '+' | '=' | ',' | '@' | '.' | '-')
            };
            if !allowed {
                return Err(character(
                    resource_at + offset,
                    c,
                    "an ASCII letter or digit first in the resource, then letters, digits \
                     and : _ / + = , @ . - only",
                ));
            }
        }
        let resource_len = resource.len();
        if resource_len == 0 || resource_len > 1024 {
            return Err(format(ParseErrorKind::Part {
                part: "resource",
                found: crate::text::shown(resource),
                expected: "1 to 1024 characters",
            }));
        }
        Ok(RoleArn {
            text: input.into(),
            account_at,
            resource_at,
        })
    }

    /// The ARN.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The account part, e.g. `111122223333`.
    pub fn account(&self) -> &str {
        &self.text[self.account_at..self.resource_at - 1]
    }

    /// The resource part, e.g. `role/workmail-export`.
    pub fn resource(&self) -> &str {
        &self.text[self.resource_at..]
    }
}

string_type!(RoleArn, "an IAM role ARN");
