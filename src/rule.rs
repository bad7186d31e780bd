//! The catalog of every rule this crate checks.
//!
//! Each rule has a stable dotted id (a public contract: ids are never renamed or reused), the
//! AWS error code an AWS call breaking it would answer with, a one-line summary and its
//! source. [`Rule::ALL`] lists them in a fixed order; the rule table in the crate docs is
//! generated from it (a test keeps the two identical).

use std::fmt;

/// The AWS error a broken rule stands for: what `CreateOrganization` (or a later call) would
/// answer if the request were sent anyway.
///
/// The spellings are the exception names of the WorkMail API without the `Exception` suffix.
/// AWS may add errors, so the enum is `#[non_exhaustive]`.
///
/// ```
/// use workmail_org::AwsErrorCode;
/// assert_eq!(AwsErrorCode::NameAvailability.as_str(), "NameAvailability");
/// assert_eq!(AwsErrorCode::NameAvailability.exception_name(), "NameAvailabilityException");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AwsErrorCode {
    /// `InvalidParameterException`: a field is malformed or the combination is not allowed.
    InvalidParameter,
    /// `NameAvailabilityException`: the organization alias is already taken.
    NameAvailability,
    /// `DirectoryInUseException`: the directory already backs an organization.
    DirectoryInUse,
    /// `DirectoryUnavailableException`: the directory cannot be used (wrong Region, not
    /// active, unsupported kind).
    DirectoryUnavailable,
    /// `LimitExceededException`: a quota is reached.
    LimitExceeded,
    /// `MailDomainInUseException`: the domain already belongs to an organization.
    MailDomainInUse,
}

impl AwsErrorCode {
    /// Every code, in declaration order.
    pub const ALL: &'static [AwsErrorCode] = &[
        AwsErrorCode::InvalidParameter,
        AwsErrorCode::NameAvailability,
        AwsErrorCode::DirectoryInUse,
        AwsErrorCode::DirectoryUnavailable,
        AwsErrorCode::LimitExceeded,
        AwsErrorCode::MailDomainInUse,
    ];

    /// The code as this crate prints it, e.g. `"InvalidParameter"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AwsErrorCode::InvalidParameter => "InvalidParameter",
            AwsErrorCode::NameAvailability => "NameAvailability",
            AwsErrorCode::DirectoryInUse => "DirectoryInUse",
            AwsErrorCode::DirectoryUnavailable => "DirectoryUnavailable",
            AwsErrorCode::LimitExceeded => "LimitExceeded",
            AwsErrorCode::MailDomainInUse => "MailDomainInUse",
        }
    }

    /// The exception name the WorkMail API uses on the wire, e.g.
    /// `"InvalidParameterException"`.
    pub const fn exception_name(self) -> &'static str {
        match self {
            AwsErrorCode::InvalidParameter => "InvalidParameterException",
            AwsErrorCode::NameAvailability => "NameAvailabilityException",
            AwsErrorCode::DirectoryInUse => "DirectoryInUseException",
            AwsErrorCode::DirectoryUnavailable => "DirectoryUnavailableException",
            AwsErrorCode::LimitExceeded => "LimitExceededException",
            AwsErrorCode::MailDomainInUse => "MailDomainInUseException",
        }
    }
}

impl fmt::Display for AwsErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Deserializes one of `all` by the name `name` gives it: how the id enums read back what
/// they serialize.
pub(crate) fn deserialize_by_name<'de, D, T>(
    deserializer: D,
    all: &'static [T],
    name: fn(T) -> &'static str,
    expecting: &'static str,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Copy,
{
    struct Visitor<T: 'static> {
        all: &'static [T],
        name: fn(T) -> &'static str,
        expecting: &'static str,
    }
    impl<T: Copy> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            self.all
                .iter()
                .copied()
                .find(|item| (self.name)(*item) == v)
                .ok_or_else(|| {
                    E::custom(format_args!(
                        "unknown {} \"{}\"",
                        self.expecting,
                        crate::error::shown(v)
                    ))
                })
        }
    }
    deserializer.deserialize_str(Visitor {
        all,
        name,
        expecting,
    })
}

impl<'de> serde::Deserialize<'de> for AwsErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_by_name(
            deserializer,
            AwsErrorCode::ALL,
            AwsErrorCode::as_str,
            "AWS error code",
        )
    }
}

impl serde::Serialize for AwsErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

macro_rules! rules {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $id:literal, $code:ident, $source:literal, $summary:literal;
    )*) => {
        /// A rule this crate checks, identified by a stable dotted id.
        ///
        /// The rules of single values (`alias.length`, `domain.label_count`, ...) are checked
        /// by the validating constructors and reported through
        /// [`ParseError::rule`](crate::ParseError::rule); the others are checked when a whole
        /// organization is validated, or admitted into a catalog (`alias.taken`,
        /// `domains.in_use`, `directory.in_use`, `account.organization_limit`). AWS may add rules,
        /// and this crate may learn to check more of them, so the enum is
        /// `#[non_exhaustive]`; an id, once published, keeps its meaning.
        ///
        /// ```
        /// use workmail_org::{AwsErrorCode, OrganizationAlias, Rule};
        ///
        /// let err = "d-acme".parse::<OrganizationAlias>().unwrap_err();
        /// assert_eq!(err.rule(), Rule::AliasReservedPrefix);
        /// assert_eq!(err.rule().id(), "alias.reserved_prefix");
        /// assert_eq!(err.rule().code(), AwsErrorCode::InvalidParameter);
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Rule {
            $(
                #[doc = concat!("`", $id, "`: ", $summary, ".")]
                $(#[$doc])*
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in the order of the rule table.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable dotted id, e.g. `"alias.reserved_prefix"`.
            pub const fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            /// The AWS error a request breaking this rule would get.
            pub const fn code(self) -> AwsErrorCode {
                match self { $(Rule::$variant => AwsErrorCode::$code,)* }
            }

            /// What the rule requires, in one line.
            pub const fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }

            /// Where the rule comes from: the WorkMail API model, the source document, or a
            /// decision of this crate (see `FACTS.md`).
            pub const fn source(self) -> &'static str {
                match self { $(Rule::$variant => $source,)* }
            }
        }
    };
}

rules! {
    AliasLength = "alias.length", InvalidParameter, "API model",
        "an organization alias has 1 to 62 characters";
    AliasCharacter = "alias.character", InvalidParameter, "API model",
        "an organization alias holds only ASCII letters, digits and hyphens";
    AliasHyphen = "alias.hyphen", InvalidParameter, "API model",
        "an organization alias neither starts nor ends with a hyphen, nor holds two in a row";
    AliasReservedPrefix = "alias.reserved_prefix", InvalidParameter, "API model; decision for `D-`",
        "an organization alias does not start with `d-` or `D-`";
    DomainLength = "domain.length", InvalidParameter, "API model; decision (209)",
        "a domain name has 3 to 209 characters in its ASCII form";
    DomainIdna = "domain.idna", InvalidParameter, "decision (UTS 46)",
        "a Unicode domain name converts to ASCII under IDNA (UTS 46)";
    DomainCharacter = "domain.character", InvalidParameter, "API model",
        "a domain name holds only letters, digits, hyphens and dots";
    DomainLabelCount = "domain.label_count", InvalidParameter, "decision",
        "a domain name has at least two labels";
    DomainLabelLength = "domain.label_length", InvalidParameter, "decision (RFC 1035)",
        "every label of a domain name has 1 to 63 characters";
    DomainLabelHyphen = "domain.label_hyphen", InvalidParameter, "decision (RFC 952)",
        "no label of a domain name starts or ends with a hyphen";
    DomainNumericTld = "domain.numeric_tld", InvalidParameter, "decision (RFC 3696)",
        "the last label of a domain name is not all digits";
    HostedZoneIdLength = "hosted_zone_id.length", InvalidParameter, "API model",
        "a hosted zone id has 1 to 32 characters";
    HostedZoneIdCharacter = "hosted_zone_id.character", InvalidParameter, "decision",
        "a hosted zone id holds only upper-case letters and digits";
    DirectoryIdFormat = "directory_id.format", InvalidParameter, "API model",
        "a directory id is `d-` and 10 lower-case hex digits";
    OrganizationIdFormat = "organization_id.format", InvalidParameter, "API model",
        "an organization id is `m-` and 32 lower-case hex digits";
    AccountIdFormat = "account_id.format", InvalidParameter, "decision",
        "an AWS account id is 12 digits";
    ClientTokenLength = "client_token.length", InvalidParameter, "API model",
        "a client token has 1 to 128 characters";
    ClientTokenCharacter = "client_token.character", InvalidParameter, "API model",
        "a client token holds only printable ASCII (0x21 to 0x7E)";
    RegionUnsupported = "region.unsupported", InvalidParameter, "WorkMail endpoints",
        "the Region is one where WorkMail runs: us-east-1, us-west-2 or eu-west-1";
    KmsKeyArnLength = "kms_key_arn.length", InvalidParameter, "API model",
        "a KMS key ARN has 20 to 2048 characters";
    KmsKeyArnFormat = "kms_key_arn.format", InvalidParameter, "API model; decision",
        "a KMS key ARN reads `arn:aws:kms:REGION:ACCOUNT:key/KEY_ID`";
    KmsKeyArnRegion = "kms_key_arn.region", InvalidParameter, "decision",
        "a KMS key ARN names a WorkMail Region";
    KmsKeyArnAccount = "kms_key_arn.account", InvalidParameter, "decision",
        "a KMS key ARN names a 12-digit account";
    KmsKeyArnKeyId = "kms_key_arn.key_id", InvalidParameter, "decision",
        "a KMS key id is a lower-case UUID or `mrk-` and 32 lower-case hex digits";
    KmsKeyArnAlias = "kms_key_arn.alias", InvalidParameter, "decision",
        "an alias ARN is not a key ARN";
    OrganizationArnFormat = "organization_arn.format", InvalidParameter, "API model",
        "an organization ARN reads `arn:aws:workmail:REGION:ACCOUNT:organization/ORG_ID`";
    DomainsFreeTestDuplicate = "domains.free_test_duplicate", InvalidParameter, "FACTS rule 2",
        "the free test domain is listed at most once";
    DomainsLimit = "domains.limit", InvalidParameter, "API model (0 to 5 domains)",
        "at most 5 domains besides the free test domain";
    DomainsDuplicate = "domains.duplicate", InvalidParameter, "FACTS rule 2",
        "no domain is listed twice (compared in ASCII, lower-case form)";
    DomainsReservedNamespace = "domains.reserved_namespace", InvalidParameter, "FACTS rule 1; decision",
        "no user domain is `awsapps.com` or under it: that namespace is for test domains";
    DefaultDomainUnknown = "default_domain.unknown", InvalidParameter, "FACTS rule 2",
        "the default domain is one of the listed domains or the free test domain";
    DirectoryUnsupportedType = "directory.unsupported_type", DirectoryUnavailable, "FACTS rule 4",
        "an existing directory is an AD Connector, AWS Managed Microsoft AD or Simple AD";
    DirectoryShared = "directory.shared", DirectoryUnavailable, "source document; FACTS rule 4",
        "a Managed Microsoft AD shared from another account is not supported";
    DirectoryMultiRegion = "directory.multi_region", DirectoryUnavailable, "source document; FACTS rule 4",
        "a directory replicated to more than one Region is not supported";
    DirectoryRegionMismatch = "directory.region_mismatch", DirectoryUnavailable, "FACTS rule 4",
        "the directory is in the organization's Region";
    DirectoryNotActive = "directory.not_active", DirectoryUnavailable, "FACTS rule 4",
        "the directory's stage is `Active`";
    DirectoryAliasMismatch = "directory.alias_mismatch", InvalidParameter, "FACTS rule 4",
        "the organization alias equals the directory's alias (ignoring case)";
    InteroperabilityRequiresAdConnector = "interoperability.requires_ad_connector", InvalidParameter, "FACTS rule 5",
        "Exchange interoperability needs an existing AD Connector directory";
    EncryptionRegionMismatch = "encryption.region_mismatch", InvalidParameter, "FACTS rule 6",
        "a customer managed KMS key is in the organization's Region";
    AliasTaken = "alias.taken", NameAvailability, "FACTS rule 1",
        "the alias is not held by another organization (aliases are global)";
    DomainsInUse = "domains.in_use", MailDomainInUse, "FACTS rule 3",
        "the domain does not belong to another organization (checked within one account's catalog)";
    DirectoryInUse = "directory.in_use", DirectoryInUse, "FACTS rule 4",
        "the directory backs no other organization in the same account and Region";
    AccountOrganizationLimit = "account.organization_limit", LimitExceeded, "AWS default quota",
        "the account holds fewer organizations than its quota (100 by default)";
}

impl Rule {
    /// What kind of value or rule group the rule is about, as error messages name it, e.g.
    /// `"organization alias"`.
    pub const fn subject(self) -> &'static str {
        match self {
            Rule::AliasLength
            | Rule::AliasCharacter
            | Rule::AliasHyphen
            | Rule::AliasReservedPrefix => "organization alias",
            Rule::DomainLength
            | Rule::DomainIdna
            | Rule::DomainCharacter
            | Rule::DomainLabelCount
            | Rule::DomainLabelLength
            | Rule::DomainLabelHyphen
            | Rule::DomainNumericTld => "domain name",
            Rule::HostedZoneIdLength | Rule::HostedZoneIdCharacter => "hosted zone id",
            Rule::DirectoryIdFormat => "directory id",
            Rule::OrganizationIdFormat => "organization id",
            Rule::AccountIdFormat => "account id",
            Rule::ClientTokenLength | Rule::ClientTokenCharacter => "client token",
            Rule::RegionUnsupported => "region",
            Rule::KmsKeyArnLength
            | Rule::KmsKeyArnFormat
            | Rule::KmsKeyArnRegion
            | Rule::KmsKeyArnAccount
            | Rule::KmsKeyArnKeyId
            | Rule::KmsKeyArnAlias => "kms key arn",
            Rule::OrganizationArnFormat => "organization arn",
            Rule::DomainsFreeTestDuplicate
            | Rule::DomainsLimit
            | Rule::DomainsDuplicate
            | Rule::DomainsReservedNamespace
            | Rule::DomainsInUse => "domains",
            Rule::DefaultDomainUnknown => "default domain",
            Rule::DirectoryUnsupportedType
            | Rule::DirectoryShared
            | Rule::DirectoryMultiRegion
            | Rule::DirectoryRegionMismatch
            | Rule::DirectoryNotActive
            | Rule::DirectoryAliasMismatch
            | Rule::DirectoryInUse => "directory",
            Rule::InteroperabilityRequiresAdConnector => "interoperability",
            Rule::EncryptionRegionMismatch => "encryption",
            Rule::AliasTaken => "organization alias",
            Rule::AccountOrganizationLimit => "account",
        }
    }

    /// Looks a rule up by its dotted id.
    ///
    /// ```
    /// use workmail_org::Rule;
    /// assert_eq!(Rule::from_id("directory.shared"), Some(Rule::DirectoryShared));
    /// assert_eq!(Rule::from_id("no.such_rule"), None);
    /// ```
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.id() == id)
    }

    /// The rule table as Markdown: one row per rule with its id, summary, AWS code and source.
    ///
    /// The table in the crate docs is this output (a test keeps them identical).
    pub fn markdown_table() -> String {
        let mut out = String::from("| rule id | what it requires | AWS code | source |\n");
        out.push_str("| --- | --- | --- | --- |\n");
        for rule in Rule::ALL {
            out.push_str(&format!(
                "| `{}` | {} | `{}` | {} |\n",
                rule.id(),
                rule.summary(),
                rule.code(),
                rule.source()
            ));
        }
        out
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_by_name(deserializer, Rule::ALL, Rule::id, "rule id")
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_and_codes_read_back_what_they_write() {
        for rule in Rule::ALL {
            let json = serde_json::to_string(rule).unwrap();
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), *rule);
        }
        for code in AwsErrorCode::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(serde_json::from_str::<AwsErrorCode>(&json).unwrap(), *code);
        }
        let err = serde_json::from_str::<Rule>("\"alias.nope\"").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown rule id \"alias.nope\" at line 1 column 12"
        );
    }

    #[test]
    fn ids_are_unique_dotted_and_round_trip() {
        let mut seen = HashSet::new();
        for rule in Rule::ALL {
            let id = rule.id();
            assert!(seen.insert(id), "duplicate rule id {id}");
            assert!(
                id.split('.').count() == 2
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'),
                "rule id {id} is not `subject.snake_case`"
            );
            assert_eq!(Rule::from_id(id), Some(*rule));
        }
    }

    #[test]
    fn the_documented_table_is_generated_from_the_catalog() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
        if std::env::var_os("WORKMAIL_ORG_BLESS").is_some() {
            std::fs::write(path, Rule::markdown_table()).unwrap();
            // The `include_str!` below is the old text until the next build.
            return;
        }
        let documented = include_str!("../docs/rules.md");
        assert_eq!(
            documented,
            Rule::markdown_table(),
            "docs/rules.md is stale: run `WORKMAIL_ORG_BLESS=1 cargo test --lib rule` and commit it"
        );
    }
}
