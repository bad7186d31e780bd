//! Customer managed KMS keys.

use super::arn::{parse_arn, part_error, ArnRules};
use crate::id::inline::InlineStr;
use crate::id::scan::all_lower_hex;
use crate::id::{AccountId, Region};
use crate::id::{ParseError, ParseErrorKind};
use crate::rule::Rule;
use crate::text::string_type;

/// The fewest characters of a KMS key ARN (API model).
pub const MIN_KMS_KEY_ARN_LEN: usize = 20;
/// The most characters of a KMS key ARN (API model).
pub const MAX_KMS_KEY_ARN_LEN: usize = 2048;

/// The characters of every key id: a UUID, or `mrk-` and 32 hex digits.
const KEY_ID_LEN: usize = 36;

/// The most characters of a valid key ARN: `arn:aws:kms:REGION:ACCOUNT:key/KEY_ID`, with a
/// 12-digit account, a 36-character key id and the longest Region code. Every valid ARN has
/// this form, so its text is kept inline.
const TEXT_LEN: usize = {
    let mut longest = 0;
    let mut index = 0;
    while index < Region::ALL.len() {
        let len = Region::ALL[index].as_str().len();
        if len > longest {
            longest = len;
        }
        index += 1;
    }
    "arn:aws:kms:".len() + longest + ":".len() + 12 + ":key/".len() + KEY_ID_LEN
};

const KEY_RULES: ArnRules = ArnRules {
    service: "kms",
    service_quoted: "\"kms\"",
    format: Rule::KmsKeyArnFormat,
    region: Rule::KmsKeyArnRegion,
    account: Rule::KmsKeyArnAccount,
};

/// The ARN of a customer managed KMS key: `arn:aws:kms:REGION:ACCOUNT:key/KEY_ID`.
///
/// `KEY_ID` is a lower-case UUID, or `mrk-` and 32 lower-case hex digits for a multi-Region
/// key. Alias ARNs (`…:alias/NAME`) name an alias, not a key, and are rejected; so are other
/// partitions and Regions where WorkMail does not run (a key is regional and must be in the
/// organization's Region). Parsed once into typed parts; the canonical text is kept.
///
/// ```
/// use workmail_org::{KmsKeyArn, Region};
///
/// let key: KmsKeyArn =
///     "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".parse()?;
/// assert_eq!(key.region(), Region::EuWest1);
/// assert_eq!(key.account().as_str(), "111122223333");
/// assert_eq!(key.key_id(), "1234abcd-12ab-34cd-56ef-1234567890ab");
/// assert!(!key.is_multi_region());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Kept inline: a valid key ARN has at most 75 characters, so making or cloning one never
/// allocates.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KmsKeyArn {
    text: InlineStr<TEXT_LEN>,
    region: Region,
    account: AccountId,
}

impl KmsKeyArn {
    /// Parses a KMS key ARN.
    ///
    /// # Errors
    /// [`Rule::KmsKeyArnLength`] outside 20 to 2048 characters; [`Rule::KmsKeyArnFormat`] for
    /// another prefix, partition (`arn:aws-cn:`), service or resource type;
    /// [`Rule::KmsKeyArnRegion`] for `eu-central-1`; [`Rule::KmsKeyArnAccount`] for an
    /// account that is not 12 digits; [`Rule::KmsKeyArnAlias`] for `…:alias/my-key`;
    /// [`Rule::KmsKeyArnKeyId`] for an upper-case or malformed key id.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        if let Some(key) = fast_parse(input) {
            return Ok(key);
        }
        // The bounds count characters: a non-ASCII input has fewer of them than bytes.
        if input.len() < MIN_KMS_KEY_ARN_LEN
            || input.len() > MAX_KMS_KEY_ARN_LEN
            || !input.is_ascii()
        {
            let actual = input.chars().count();
            if !(MIN_KMS_KEY_ARN_LEN..=MAX_KMS_KEY_ARN_LEN).contains(&actual) {
                return Err(ParseError::new(
                    Rule::KmsKeyArnLength,
                    ParseErrorKind::Length {
                        min: MIN_KMS_KEY_ARN_LEN,
                        max: MAX_KMS_KEY_ARN_LEN,
                        actual,
                    },
                    input,
                ));
            }
        }
        let parts = parse_arn(input, &KEY_RULES)?;
        let resource = parts.resource;
        if resource.starts_with("alias/") {
            return Err(part_error(
                Rule::KmsKeyArnAlias,
                input,
                "resource",
                resource,
                "key/KEY_ID: an alias ARN names an alias, not a key",
            ));
        }
        let Some(key_id) = resource.strip_prefix("key/") else {
            return Err(part_error(
                Rule::KmsKeyArnFormat,
                input,
                "resource",
                resource,
                "key/KEY_ID",
            ));
        };
        if !is_key_id(key_id) {
            return Err(part_error(
                Rule::KmsKeyArnKeyId,
                input,
                "key id",
                key_id,
                "a lower-case UUID, or mrk- and 32 lower-case hex digits",
            ));
        }
        debug_assert_eq!(
            parts.resource_start + "key/".len(),
            input.len() - KEY_ID_LEN
        );
        let text = InlineStr::new(input).ok_or_else(|| {
            // Never: a valid key id has 36 characters, and the ARN's other parts are fixed.
            ParseError::new(
                Rule::KmsKeyArnLength,
                ParseErrorKind::Length {
                    min: MIN_KMS_KEY_ARN_LEN,
                    max: MAX_KMS_KEY_ARN_LEN,
                    actual: input.len(),
                },
                input,
            )
        })?;
        Ok(KmsKeyArn {
            text,
            region: parts.region,
            account: parts.account,
        })
    }

    /// The canonical ARN text.
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// The key's Region.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The account that owns the key.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The key id: a UUID, or `mrk-…` for a multi-Region key.
    pub fn key_id(&self) -> &str {
        let text = self.as_str();
        &text[text.len() - KEY_ID_LEN..]
    }

    /// Whether this is a multi-Region key (`mrk-…`).
    pub fn is_multi_region(&self) -> bool {
        self.key_id().starts_with("mrk-")
    }
}

string_type!(KmsKeyArn, "a KMS key ARN");

impl std::fmt::Debug for KmsKeyArn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KmsKeyArn")
            .field("text", &self.as_str())
            .field("region", &self.region)
            .field("account", &self.account)
            .field("key_id_start", &(self.text.len() - KEY_ID_LEN))
            .finish()
    }
}

/// The key an ARN of the exact form `arn:aws:kms:REGION:ACCOUNT:key/KEY_ID` names, read in
/// one pass; `None` for anything else, which [`KmsKeyArn::parse`] then takes apart for the
/// precise error. Accepts nothing the full parse rejects: a supported Region, 12 digits,
/// a valid key id (so 20 to 2048 characters).
fn fast_parse(input: &str) -> Option<KmsKeyArn> {
    let rest = input.strip_prefix("arn:aws:kms:")?;
    let (region, rest) = Region::ALL.iter().find_map(|&region| {
        let rest = rest.strip_prefix(region.as_str())?.strip_prefix(':')?;
        Some((region, rest))
    })?;
    let (account, rest) = rest.split_at_checked(12)?;
    let key_id = rest.strip_prefix(":key/")?;
    if !(account.bytes().all(|b| b.is_ascii_digit()) && is_key_id(key_id)) {
        return None;
    }
    Some(KmsKeyArn {
        text: InlineStr::new(input)?,
        region,
        account: AccountId::parse(account).ok()?,
    })
}

/// A lower-case UUID (8-4-4-4-12 hex digits) or `mrk-` and 32 lower-case hex digits.
fn is_key_id(id: &str) -> bool {
    let id = id.as_bytes();
    if let Some(hex) = id.strip_prefix(b"mrk-") {
        return hex.len() == 32 && all_lower_hex(hex);
    }
    id.len() == 36
        && [8, 13, 18, 23].iter().all(|&at| id[at] == b'-')
        && [&id[..8], &id[9..13], &id[14..18], &id[19..23], &id[24..]]
            .iter()
            .all(|group| all_lower_hex(group))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_valid_arn_fits_inline() {
        assert_eq!(TEXT_LEN, 75);
        for &region in Region::ALL {
            let text = format!(
                "arn:aws:kms:{region}:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
            );
            let key = KmsKeyArn::parse(&text).unwrap();
            assert_eq!(key.as_str(), text);
            assert_eq!(key.key_id(), "mrk-1234abcd12ab34cd56ef1234567890ab");
        }
    }

    #[test]
    fn key_ids() {
        assert!(is_key_id("1234abcd-12ab-34cd-56ef-1234567890ab"));
        assert!(is_key_id("mrk-1234abcd12ab34cd56ef1234567890ab"));
        assert!(!is_key_id("1234ABCD-12ab-34cd-56ef-1234567890ab"));
        assert!(!is_key_id("1234abcd-12ab-34cd-56ef-1234567890ab-00"));
        assert!(!is_key_id("1234abcd-12ab-34cd-56ef"));
        assert!(!is_key_id("mrk-1234"));
        assert!(!is_key_id(""));
        assert!(!is_key_id("1234abcd-12ab-34cd-56ef-1234567890a-"));
        assert!(!is_key_id("1234abcd112ab-34cd-56ef-1234567890ab"));
        assert!(!is_key_id("mrk-1234abcd12ab34cd56ef1234567890aB"));
    }
}
