//! The catalog of every rule this crate checks.
//!
//! Each rule has a stable dotted id (a public contract: ids are never renamed or reused), the
//! AWS error code an AWS call breaking it would answer with, a one-line summary and its
//! source. [`Rule::ALL`] lists them in a fixed order; the rule table in the crate docs is
//! generated from it (a test keeps the two identical).

use crate::text::string_enum;

string_enum! {
    /// The AWS error a broken rule stands for: what `CreateOrganization` (or a later call)
    /// would answer if the request were sent anyway.
    ///
    /// The spellings are the exception names of the WorkMail API without the `Exception`
    /// suffix. This is a closed set: the codes this crate's rules produce. AWS may add
    /// errors, so the enum is `#[non_exhaustive]`.
    ///
    /// ```
    /// use workmail_org::AwsErrorCode;
    /// assert_eq!(AwsErrorCode::NameAvailability.as_str(), "NameAvailability");
    /// assert_eq!(AwsErrorCode::NameAvailability.exception_name(), "NameAvailabilityException");
    /// assert_eq!("DirectoryInUse".parse::<AwsErrorCode>()?, AwsErrorCode::DirectoryInUse);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    pub enum AwsErrorCode: "AWS error code" {
        /// `InvalidParameterException`: a field is malformed or the combination is not allowed.
        InvalidParameter = "InvalidParameter",
        /// `NameAvailabilityException`: the organization alias is already taken.
        NameAvailability = "NameAvailability",
        /// `DirectoryInUseException`: the directory already backs an organization.
        DirectoryInUse = "DirectoryInUse",
        /// `DirectoryUnavailableException`: the directory cannot be used (wrong Region, not
        /// active, unsupported kind).
        DirectoryUnavailable = "DirectoryUnavailable",
        /// `LimitExceededException`: a quota is reached.
        LimitExceeded = "LimitExceeded",
        /// `MailDomainInUseException`: the domain already belongs to an organization.
        MailDomainInUse = "MailDomainInUse",
        /// `MailDomainStateException`: the mail domain is not in a state that allows the call,
        /// such as `UpdateDefaultMailDomain` on a domain whose ownership is not verified.
        MailDomainState = "MailDomainState",
    }
}

impl AwsErrorCode {
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
            AwsErrorCode::MailDomainState => "MailDomainStateException",
        }
    }
}

macro_rules! rules {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $id:literal, $code:ident, $source:literal, $summary:literal;
    )*) => {
        string_enum! {
            /// A rule this crate checks, identified by a stable dotted id.
            ///
            /// The rules of single values (`alias.length`, `domain.label_count`, ...) are
            /// checked by the validating constructors and reported through
            /// [`ParseError::rule`](crate::id::ParseError::rule); the others are checked when a
            /// whole organization is validated, or admitted into a catalog (`alias.taken`,
            /// `domains.in_use`, `directory.in_use`, `account.organization_limit`). AWS may
            /// add rules, and this crate may learn to check more of them, so the enum is
            /// `#[non_exhaustive]`; an id, once published, keeps its meaning.
            ///
            /// ```
            /// use workmail_org::{AwsErrorCode, OrganizationAlias, Rule};
            ///
            /// let err = "d-acme".parse::<OrganizationAlias>().unwrap_err();
            /// assert_eq!(err.rule(), Rule::AliasReservedPrefix);
            /// assert_eq!(err.rule().id(), "alias.reserved_prefix");
            /// assert_eq!(err.rule().code(), AwsErrorCode::InvalidParameter);
            /// assert_eq!("alias.reserved_prefix".parse::<Rule>()?, Rule::AliasReservedPrefix);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            #[non_exhaustive]
            pub enum Rule: "rule id" {
                $(
                    #[doc = concat!("`", $id, "`: ", $summary, ".")]
                    $(#[$doc])*
                    $variant = $id,
                )*
            }
        }

        impl Rule {
            /// The stable dotted id, e.g. `"alias.reserved_prefix"` (the same as
            /// [`as_str`](Self::as_str)).
            pub const fn id(self) -> &'static str {
                self.as_str()
            }

            /// The AWS error a request breaking this rule would get.
            pub const fn code(self) -> AwsErrorCode {
                match self { $(Rule::$variant => AwsErrorCode::$code,)* }
            }

            /// What the rule requires, in one line.
            pub const fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }

            /// Where the rule comes from: the WorkMail API operation and field, the WorkMail
            /// Administrator Guide page, or "decision" with its reason where AWS is silent.
            pub const fn source(self) -> &'static str {
                match self { $(Rule::$variant => $source,)* }
            }
        }
    };
}

rules! {
    AliasLength = "alias.length", InvalidParameter, "WorkMail API, CreateOrganization `Alias` (length 1 to 62)",
        "an organization alias has 1 to 62 characters";
    AliasCharacter = "alias.character", InvalidParameter, "WorkMail API, CreateOrganization `Alias` (pattern, applied as a full match)",
        "an organization alias holds only ASCII letters, digits and hyphens";
    AliasHyphen = "alias.hyphen", InvalidParameter, "WorkMail API, CreateOrganization `Alias` (pattern, applied as a full match)",
        "an organization alias neither starts nor ends with a hyphen, nor holds two in a row";
    AliasReservedPrefix = "alias.reserved_prefix", InvalidParameter, "WorkMail API, CreateOrganization `Alias` (pattern); `D-` is a decision: Directory Service aliases forbid both cases and the alias is a DNS label",
        "an organization alias does not start with `d-` or `D-`";
    DomainLength = "domain.length", InvalidParameter, "WorkMail API, mail-domain calls `DomainName` (3 to 209); decision: 209 in CreateOrganization too, leaving room for `TOKEN._domainkey.DOMAIN` within 253",
        "a domain name has 3 to 209 characters in its ASCII form";
    DomainIdna = "domain.idna", InvalidParameter, "decision: Unicode input is converted to ASCII with IDNA (UTS 46), as registries do",
        "a Unicode domain name converts to ASCII under IDNA (UTS 46)";
    DomainCharacter = "domain.character", InvalidParameter, "WorkMail API, `DomainName` (pattern `[a-zA-Z0-9.-]`)",
        "a domain name holds only letters, digits, hyphens and dots";
    DomainLabelCount = "domain.label_count", InvalidParameter, "decision: a mail domain is a name under a top-level domain, never a bare label",
        "a domain name has at least two labels";
    DomainLabelLength = "domain.label_length", InvalidParameter, "decision: DNS label length (RFC 1035)",
        "every label of a domain name has 1 to 63 characters";
    DomainLabelHyphen = "domain.label_hyphen", InvalidParameter, "decision: host name syntax (RFC 952, RFC 1123)",
        "no label of a domain name starts or ends with a hyphen";
    DomainNumericTld = "domain.numeric_tld", InvalidParameter, "decision: no top-level domain is all digits (RFC 3696)",
        "the last label of a domain name is not all digits";
    HostedZoneIdLength = "hosted_zone_id.length", InvalidParameter, "WorkMail API, CreateOrganization `Domains[].HostedZoneId` (length 1 to 32)",
        "a hosted zone id has 1 to 32 characters";
    HostedZoneIdCharacter = "hosted_zone_id.character", InvalidParameter, "decision: Route 53 hosted zone ids are upper-case letters and digits",
        "a hosted zone id holds only upper-case letters and digits";
    DirectoryIdFormat = "directory_id.format", InvalidParameter, "WorkMail API, CreateOrganization `DirectoryId` (pattern)",
        "a directory id is `d-` and 10 lower-case hex digits";
    OrganizationIdFormat = "organization_id.format", InvalidParameter, "WorkMail API, `OrganizationId` (pattern)",
        "an organization id is `m-` and 32 lower-case hex digits";
    AccountIdFormat = "account_id.format", InvalidParameter, "decision: AWS account ids are 12 digits",
        "an AWS account id is 12 digits";
    ClientTokenLength = "client_token.length", InvalidParameter, "WorkMail API, `ClientToken` (length 1 to 128)",
        "a client token has 1 to 128 characters";
    ClientTokenCharacter = "client_token.character", InvalidParameter, "WorkMail API, `ClientToken` (pattern)",
        "a client token holds only printable ASCII (0x21 to 0x7E)";
    RegionUnsupported = "region.unsupported", InvalidParameter, "WorkMail endpoints (AWS General Reference)",
        "the Region is one where WorkMail runs: us-east-1, us-west-2 or eu-west-1";
    KmsKeyArnLength = "kms_key_arn.length", InvalidParameter, "WorkMail API, CreateOrganization `KmsKeyArn` (length 20 to 2048)",
        "a KMS key ARN has 20 to 2048 characters";
    KmsKeyArnFormat = "kms_key_arn.format", InvalidParameter, "WorkMail API, CreateOrganization `KmsKeyArn` (pattern); decision: partition `aws` only",
        "a KMS key ARN reads `arn:aws:kms:REGION:ACCOUNT:key/KEY_ID`";
    KmsKeyArnRegion = "kms_key_arn.region", InvalidParameter, "decision: a key outside the WorkMail Regions can never be in the organization's Region",
        "a KMS key ARN names a WorkMail Region";
    KmsKeyArnAccount = "kms_key_arn.account", InvalidParameter, "decision: AWS account ids are 12 digits",
        "a KMS key ARN names a 12-digit account";
    KmsKeyArnKeyId = "kms_key_arn.key_id", InvalidParameter, "decision: KMS key ids are lower-case UUIDs or multi-Region `mrk-` ids",
        "a KMS key id is a lower-case UUID or `mrk-` and 32 lower-case hex digits";
    KmsKeyArnAlias = "kms_key_arn.alias", InvalidParameter, "decision: an alias ARN names no key, and WorkMail needs the key itself",
        "an alias ARN is not a key ARN";
    OrganizationArnFormat = "organization_arn.format", InvalidParameter, "WorkMail API, DescribeOrganization `ARN`",
        "an organization ARN reads `arn:aws:workmail:REGION:ACCOUNT:organization/ORG_ID`";
    DomainsFreeTestDuplicate = "domains.free_test_duplicate", InvalidParameter, "WorkMail Administrator Guide, Creating an organization (free test domain); decision: listed at most once",
        "the free test domain is listed at most once";
    DomainsLimit = "domains.limit", InvalidParameter, "WorkMail API, CreateOrganization `Domains` (0 to 5 entries)",
        "at most 5 domains besides the free test domain";
    DomainsDuplicate = "domains.duplicate", InvalidParameter, "decision: a domain belongs to one organization, so listing it twice is a mistake",
        "no domain is listed twice (compared in ASCII, lower-case form)";
    DomainsReservedNamespace = "domains.reserved_namespace", InvalidParameter, "WorkMail Administrator Guide, Creating an organization (test domains are `ALIAS.awsapps.com`); decision: the namespace is never a user domain",
        "no user domain is `awsapps.com` or under it: that namespace is for test domains";
    DefaultDomainUnknown = "default_domain.unknown", InvalidParameter, "WorkMail Administrator Guide, Creating an organization (choosing the default domain)",
        "the default domain is one of the listed domains or the free test domain";
    DirectoryUnsupportedType = "directory.unsupported_type", DirectoryUnavailable, "WorkMail Administrator Guide, Creating an organization (AD Connector, AWS Managed Microsoft AD or Simple AD)",
        "an existing directory is an AD Connector, AWS Managed Microsoft AD or Simple AD";
    DirectoryShared = "directory.shared", DirectoryUnavailable, "WorkMail Administrator Guide, Creating an organization, Considerations",
        "a Managed Microsoft AD shared from another account is not supported";
    DirectoryMultiRegion = "directory.multi_region", DirectoryUnavailable, "WorkMail Administrator Guide, Creating an organization, Considerations",
        "a directory replicated to more than one Region is not supported";
    DirectoryRegionMismatch = "directory.region_mismatch", DirectoryUnavailable, "WorkMail API, CreateOrganization `DirectoryId` (DirectoryUnavailableException)",
        "the directory is in the organization's Region";
    DirectoryNotActive = "directory.not_active", DirectoryUnavailable, "WorkMail API, CreateOrganization `DirectoryId` (DirectoryUnavailableException)",
        "the directory's stage is `Active`";
    DirectoryAliasMismatch = "directory.alias_mismatch", InvalidParameter, "WorkMail API, CreateOrganization (the organization alias must match the directory alias)",
        "the organization alias equals the directory's alias (ignoring case)";
    InteroperabilityRequiresAdConnector = "interoperability.requires_ad_connector", InvalidParameter, "WorkMail API, CreateOrganization `EnableInteroperability`; WorkMail Administrator Guide, Interoperability with Microsoft Exchange",
        "Exchange interoperability needs an existing AD Connector directory";
    EncryptionRegionMismatch = "encryption.region_mismatch", InvalidParameter, "decision: KMS keys are regional and WorkMail uses a key in its own Region",
        "a customer managed KMS key is in the organization's Region";
    AliasTaken = "alias.taken", NameAvailability, "WorkMail API, CreateOrganization `Alias` (NameAvailabilityException): the alias names `ALIAS.awsapps.com`",
        "the alias is not held by another organization (aliases are global)";
    ClientTokenReused = "client_token.reused", InvalidParameter, "decision: AWS's model documents no error for a client token sent again with another request; refused, as idempotency keys are, and AWS answers `InvalidParameter` for a request it cannot take",
        "a client token names one request: within an account and Region, it comes back only with the identical spec";
    DomainsInUse = "domains.in_use", MailDomainInUse, "WorkMail API, CreateOrganization and RegisterMailDomain (MailDomainInUseException)",
        "the domain does not belong to another organization (checked within one account's catalog)";
    DirectoryInUse = "directory.in_use", DirectoryInUse, "WorkMail API, CreateOrganization `DirectoryId` (DirectoryInUseException)",
        "the directory backs no other organization in the same account and Region";
    AccountOrganizationLimit = "account.organization_limit", LimitExceeded, "WorkMail Administrator Guide, WorkMail quotas (organizations per account)",
        "the account holds fewer organizations than its quota (100 by default)";
    DnsVerificationToken = "dns.verification_token", InvalidParameter, "WorkMail API, GetMailDomain `Records` (the `_amazonses` TXT value, at most 256 characters); decision: base64 (RFC 4648) as Amazon SES issues it, compared case-sensitively",
        "an SES verification token has 1 to 256 base64 characters (`A-Z a-z 0-9 + /`, then at most two `=`)";
    DnsDkimToken = "dns.dkim_token", InvalidParameter, "decision: one DNS label (RFC 1035, RFC 1123) of at most 32 characters, so that `TOKEN._domainkey.DOMAIN` stays within 253 for every 209-character domain; Amazon SES Easy DKIM tokens have 32",
        "a DKIM token has 1 to 32 letters, digits and inner hyphens";
    DefaultDomainUnverified = "default_domain.unverified", MailDomainState, "WorkMail API, UpdateDefaultMailDomain (MailDomainStateException); WorkMail Administrator Guide, Choosing the default domain",
        "only a domain whose ownership verification status is `VERIFIED` can become the default domain";
    DomainsHostedZoneMissing = "domains.hosted_zone_missing", InvalidParameter, "WorkMail API, CreateOrganization `Domains[].HostedZoneId` (required for a domain hosted in Route 53); a new Route 53 domain has a zone only once registered",
        "a new Route 53 domain is listed in `CreateOrganization` with the hosted zone its registration created";
    NextTokenLength = "next_token.length", InvalidParameter, "WorkMail API, ListOrganizations `NextToken` (length 1 to 1024)",
        "a paging token has 1 to 1024 characters";
    ExceptionNameLength = "exception_name.length", InvalidParameter, "decision: an AWS exception name is 1 to 256 characters, the API model's bound on its strings",
        "an AWS exception name has 1 to 256 characters";
    DomainReservedLabel = "domain.reserved_label", InvalidParameter, "RFC 5890 section 2.3.1 (labels with hyphens as their third and fourth characters are reserved; `xn--` is the prefix in use); decision: rejected, as UTS 46 does when it checks hyphens for registration",
        "no label of a domain name has hyphens as its third and fourth characters, unless it starts with `xn--`";
    ViolationsLeftOut = "violations.left_out", InvalidParameter, "decision: at most 100 violations are reported for one spec, so a 1 MiB body gives a bounded answer",
        "at most 100 violations are reported for one spec; past them, this one gives how many more were left out";
    EntityIdLength = "entity_id.length", InvalidParameter, "WorkMail API, StartMailboxExportJob `EntityId` (length 1 to 256)",
        "an entity id has 1 to 256 characters";
    EntityIdCharacter = "entity_id.character", InvalidParameter, "WorkMail API, StartMailboxExportJob `EntityId` (pattern `[a-zA-Z0-9._%+@-]+`, applied as a full match)",
        "an entity id holds only ASCII letters, digits and `. _ % + @ -`";
    RoleArnLength = "role_arn.length", InvalidParameter, "WorkMail API, StartMailboxExportJob `RoleArn` (length 20 to 2048)",
        "an IAM role ARN has 20 to 2048 characters";
    RoleArnFormat = "role_arn.format", InvalidParameter, "WorkMail API, StartMailboxExportJob `RoleArn` (pattern, applied as a full match)",
        "an IAM role ARN reads `arn:aws:iam:REGION:ACCOUNT:RESOURCE`, each part in the model's character set";
    ExportBucketLength = "export_bucket.length", InvalidParameter, "WorkMail API, StartMailboxExportJob `S3BucketName` (length 1 to 63)",
        "an S3 bucket name has 1 to 63 characters";
    ExportBucketCharacter = "export_bucket.character", InvalidParameter, "WorkMail API, StartMailboxExportJob `S3BucketName` (pattern `[A-Za-z0-9.-]+`, applied as a full match)",
        "an S3 bucket name holds only ASCII letters, digits, dots and hyphens";
    ExportPrefixLength = "export_prefix.length", InvalidParameter, "WorkMail API, StartMailboxExportJob `S3Prefix` (length 1 to 1023)",
        "an S3 prefix has 1 to 1023 characters";
    ExportPrefixCharacter = "export_prefix.character", InvalidParameter, "WorkMail API, StartMailboxExportJob `S3Prefix` (pattern `[A-Za-z0-9!_.*'()/-]+`, applied as a full match)",
        "an S3 prefix holds only ASCII letters, digits and `! _ . * ' ( ) / -`";
    ExportJobIdLength = "export_job_id.length", InvalidParameter, "WorkMail API, `MailboxExportJobId` (length 1 to 63)",
        "a mailbox export job id has 1 to 63 characters";
    ExportJobIdCharacter = "export_job_id.character", InvalidParameter, "WorkMail API, `MailboxExportJobId` (pattern `[A-Za-z0-9-]+`, applied as a full match)",
        "a mailbox export job id holds only ASCII letters, digits and hyphens";
    ExportDescriptionLength = "export_description.length", InvalidParameter, "WorkMail API, StartMailboxExportJob `Description` (length 0 to 1023)",
        "an export job's description has at most 1023 characters";
    LeavingCutoverPending = "leaving.cutover_pending", InvalidParameter, "decision: mail that reaches WorkMail after its mailbox is exported is lost, so exports wait until every domain's new MX answers and the old MX's TTL has passed",
        "no mailbox export starts before the cutover holds for every domain";
    LeavingExportsUnfinished = "leaving.exports_unfinished", InvalidParameter, "decision: DeleteOrganization removes every mailbox, so it waits for every export job to complete",
        "the organization is not deleted before every export job has completed, unless the caller accepts each failure by name";
    LeavingNotDeleted = "leaving.not_deleted", InvalidParameter, "decision: WorkMail's DKIM and ownership records serve the organization until it is deleted",
        "no DNS clean-up before the organization is Deleted";
    LeavingDirectoryUnknown = "leaving.directory_unknown", InvalidParameter, "WorkMail API, DeleteOrganization `DeleteDirectory`; decision: only a directory type this crate knows is deleted, unless the caller insists",
        "a directory is deleted with the organization only when its type is known, unless the caller insists";
    LeavingConcurrency = "leaving.concurrency", InvalidParameter, "decision: LimitExceededException bounds running exports anyway; at most 100 are tracked at once",
        "1 to 100 export jobs run at once";
    LeavingNewMx = "leaving.new_mx", InvalidParameter, "decision: a domain's mail must go somewhere after the cutover",
        "the new provider has 1 to 16 MX records";
}

impl Rule {
    /// What kind of value or rule group the rule is about, as error messages name it, e.g.
    /// `"organization alias"`.
    pub(crate) const fn subject(self) -> &'static str {
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
            | Rule::DomainNumericTld
            | Rule::DomainReservedLabel => "domain name",
            Rule::HostedZoneIdLength | Rule::HostedZoneIdCharacter => "hosted zone id",
            Rule::DirectoryIdFormat => "directory id",
            Rule::OrganizationIdFormat => "organization id",
            Rule::AccountIdFormat => "account id",
            Rule::ClientTokenLength | Rule::ClientTokenCharacter | Rule::ClientTokenReused => {
                "client token"
            }
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
            Rule::DnsVerificationToken => "ses verification token",
            Rule::DnsDkimToken => "dkim token",
            Rule::DefaultDomainUnverified => "default domain",
            Rule::DomainsHostedZoneMissing => "domains",
            Rule::NextTokenLength => "next token",
            Rule::ExceptionNameLength => "exception name",
            Rule::ViolationsLeftOut => "violations",
            Rule::EntityIdLength | Rule::EntityIdCharacter => "entity id",
            Rule::RoleArnLength | Rule::RoleArnFormat => "role arn",
            Rule::ExportBucketLength | Rule::ExportBucketCharacter => "s3 bucket name",
            Rule::ExportPrefixLength | Rule::ExportPrefixCharacter => "s3 prefix",
            Rule::ExportJobIdLength | Rule::ExportJobIdCharacter => "export job id",
            Rule::ExportDescriptionLength => "export description",
            Rule::LeavingCutoverPending
            | Rule::LeavingExportsUnfinished
            | Rule::LeavingNotDeleted
            | Rule::LeavingDirectoryUnknown
            | Rule::LeavingConcurrency
            | Rule::LeavingNewMx => "leaving plan",
        }
    }

    /// The rule table as Markdown: one row per rule with its id, summary, AWS code and source.
    ///
    /// The table in the crate docs is this output (a test keeps them identical).
    #[cfg(test)]
    pub(crate) fn markdown_table() -> String {
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
            assert_eq!(id.parse::<Rule>(), Ok(*rule));
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
