//! Amazon Resource Names: the shared grammar, and the organization ARN.

use crate::id::scan::overlong;
use crate::id::{AccountId, OrganizationId, Region};
use crate::id::{ParseError, ParseErrorKind};
use crate::rule::Rule;
use crate::text::shown;
use crate::text::string_type;

/// The parts every ARN this crate reads has: `arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE`.
pub(crate) struct ArnParts<'a> {
    pub(crate) region: Region,
    pub(crate) account: AccountId,
    pub(crate) resource: &'a str,
    /// Where `resource` starts in the input, in bytes.
    pub(crate) resource_start: usize,
}

/// What one kind of ARN must name, and which rule each kind of failure reports.
pub(crate) struct ArnRules {
    /// The service, e.g. `"kms"`.
    pub(crate) service: &'static str,
    /// The service as messages quote it, e.g. `"\"kms\""`.
    pub(crate) service_quoted: &'static str,
    pub(crate) format: Rule,
    pub(crate) region: Rule,
    pub(crate) account: Rule,
}

/// A failure in one part of an ARN.
pub(crate) fn part_error(
    rule: Rule,
    input: &str,
    part: &'static str,
    found: &str,
    expected: &'static str,
) -> ParseError {
    ParseError::new(
        rule,
        ParseErrorKind::Part {
            part,
            found: shown(found),
            expected,
        },
        input,
    )
}

/// Splits an ARN of partition `aws` and the given service, parsing its Region and account.
pub(crate) fn parse_arn<'a>(input: &'a str, rules: &ArnRules) -> Result<ArnParts<'a>, ParseError> {
    let mut fields = input.splitn(6, ':');
    let mut next = |part, expected: &'static str, want: Option<&str>, rule| {
        let found = fields.next().unwrap_or("");
        match want {
            Some(want) if found != want => Err(part_error(rule, input, part, found, expected)),
            _ => Ok(found),
        }
    };
    next("prefix", "\"arn\"", Some("arn"), rules.format)?;
    next(
        "partition",
        "\"aws\"; other partitions have no WorkMail",
        Some("aws"),
        rules.format,
    )?;
    next(
        "service",
        rules.service_quoted,
        Some(rules.service),
        rules.format,
    )?;
    let region = next("region", "", None, rules.region)?;
    let account = next("account", "", None, rules.account)?;
    let resource = next("resource", "", None, rules.format)?;
    let region = Region::parse(region).map_err(|_| {
        part_error(
            rules.region,
            input,
            "region",
            region,
            Region::supported_list(),
        )
    })?;
    let account = AccountId::parse(account)
        .map_err(|_| part_error(rules.account, input, "account", account, "12 digits"))?;
    Ok(ArnParts {
        region,
        account,
        resource,
        resource_start: input.len() - resource.len(),
    })
}

/// The ARN of a WorkMail organization:
/// `arn:aws:workmail:REGION:ACCOUNT:organization/ORG_ID`.
///
/// Parsed once into its typed parts; the canonical text is kept.
///
/// ```
/// use workmail_org::{OrganizationArn, Region};
///
/// let arn: OrganizationArn =
///     "arn:aws:workmail:us-east-1:111122223333:organization/m-0123456789abcdef0123456789abcdef"
///         .parse()?;
/// assert_eq!(arn.region(), Region::UsEast1);
/// assert_eq!(arn.account().as_str(), "111122223333");
/// assert_eq!(arn.organization_id().as_str(), "m-0123456789abcdef0123456789abcdef");
/// assert_eq!(
///     OrganizationArn::new(arn.region(), arn.account(), arn.organization_id()),
///     arn
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrganizationArn {
    text: Box<str>,
    region: Region,
    account: AccountId,
    organization_id: OrganizationId,
}

/// The fewest and the most characters of an organization ARN:
/// `arn:aws:workmail:REGION:ACCOUNT:organization/ORG_ID` with a 12-digit account and a
/// 34-character organization id; only the Region codes may differ in length.
const ORGANIZATION_ARN_LEN: (usize, usize) = {
    let fixed = "arn:aws:workmail:".len() + 1 + 12 + ":organization/".len() + 34;
    let (mut shortest, mut longest) = (usize::MAX, 0);
    let mut index = 0;
    while index < Region::ALL.len() {
        let len = Region::ALL[index].as_str().len();
        if len < shortest {
            shortest = len;
        }
        if len > longest {
            longest = len;
        }
        index += 1;
    }
    (fixed + shortest, fixed + longest)
};

const ORGANIZATION_RULES: ArnRules = ArnRules {
    service: "workmail",
    service_quoted: "\"workmail\"",
    format: Rule::OrganizationArnFormat,
    region: Rule::OrganizationArnFormat,
    account: Rule::OrganizationArnFormat,
};

impl OrganizationArn {
    /// Builds the ARN of an organization from its parts.
    pub fn new(region: Region, account: &AccountId, organization_id: &OrganizationId) -> Self {
        OrganizationArn {
            text: format!("arn:aws:workmail:{region}:{account}:organization/{organization_id}")
                .into_boxed_str(),
            region,
            account: account.clone(),
            organization_id: organization_id.clone(),
        }
    }

    /// Parses an organization ARN.
    ///
    /// # Errors
    /// [`Rule::OrganizationArnFormat`] for any part that is wrong: another partition
    /// (`arn:aws-cn:…`) or service, an unsupported Region, an account that is not 12 digits,
    /// a resource other than `organization/` and a valid [`OrganizationId`]. An input far
    /// longer than the 87 characters of every organization ARN (more than four bytes per
    /// character allowed) is rejected by its length, before any other work.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let (min, max) = ORGANIZATION_ARN_LEN;
        if let Some(actual) = overlong(input, max) {
            return Err(ParseError::new(
                Rule::OrganizationArnFormat,
                ParseErrorKind::Length { min, max, actual },
                input,
            ));
        }
        let parts = parse_arn(input, &ORGANIZATION_RULES)?;
        let organization_id = parts
            .resource
            .strip_prefix("organization/")
            .and_then(|id| OrganizationId::parse(id).ok())
            .ok_or_else(|| {
                part_error(
                    Rule::OrganizationArnFormat,
                    input,
                    "resource",
                    parts.resource,
                    "organization/ and an organization id (m- and 32 lower-case hex digits)",
                )
            })?;
        Ok(OrganizationArn {
            text: input.into(),
            region: parts.region,
            account: parts.account,
            organization_id,
        })
    }

    /// The canonical ARN text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The organization's Region.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The account that owns the organization.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The organization's id.
    pub fn organization_id(&self) -> &OrganizationId {
        &self.organization_id
    }
}

string_type!(OrganizationArn, "a WorkMail organization ARN");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_organization_arn_has_87_characters() {
        assert_eq!(ORGANIZATION_ARN_LEN, (87, 87));
        for &region in Region::ALL {
            let arn = OrganizationArn::new(
                region,
                &AccountId::parse("111122223333").unwrap(),
                &OrganizationId::parse("m-0123456789abcdef0123456789abcdef").unwrap(),
            );
            assert_eq!(arn.as_str().len(), 87);
        }
    }
}
