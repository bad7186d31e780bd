//! The AWS error code of every rule, written out by hand: the one place that pins each
//! code without going through the rule catalog that produces it (the generated docs table is
//! produced by that catalog too).

use std::collections::HashSet;

use workmail_org::AwsErrorCode::{
    self, DirectoryInUse, DirectoryUnavailable, InvalidParameter, LimitExceeded, MailDomainInUse,
    MailDomainState, NameAvailability,
};
use workmail_org::Rule;

/// Rule id → the AWS error a request breaking it gets (in `Rule::ALL`'s order, for reading;
/// the test does not depend on it).
const CODES: &[(&str, AwsErrorCode)] = &[
    ("alias.length", InvalidParameter),
    ("alias.character", InvalidParameter),
    ("alias.hyphen", InvalidParameter),
    ("alias.reserved_prefix", InvalidParameter),
    ("domain.length", InvalidParameter),
    ("domain.idna", InvalidParameter),
    ("domain.character", InvalidParameter),
    ("domain.label_count", InvalidParameter),
    ("domain.label_length", InvalidParameter),
    ("domain.label_hyphen", InvalidParameter),
    ("domain.numeric_tld", InvalidParameter),
    ("hosted_zone_id.length", InvalidParameter),
    ("hosted_zone_id.character", InvalidParameter),
    ("directory_id.format", InvalidParameter),
    ("organization_id.format", InvalidParameter),
    ("account_id.format", InvalidParameter),
    ("client_token.length", InvalidParameter),
    ("client_token.character", InvalidParameter),
    ("region.unsupported", InvalidParameter),
    ("kms_key_arn.length", InvalidParameter),
    ("kms_key_arn.format", InvalidParameter),
    ("kms_key_arn.region", InvalidParameter),
    ("kms_key_arn.account", InvalidParameter),
    ("kms_key_arn.key_id", InvalidParameter),
    ("kms_key_arn.alias", InvalidParameter),
    ("organization_arn.format", InvalidParameter),
    ("domains.free_test_duplicate", InvalidParameter),
    ("domains.limit", InvalidParameter),
    ("domains.duplicate", InvalidParameter),
    ("domains.reserved_namespace", InvalidParameter),
    ("default_domain.unknown", InvalidParameter),
    ("directory.unsupported_type", DirectoryUnavailable),
    ("directory.shared", DirectoryUnavailable),
    ("directory.multi_region", DirectoryUnavailable),
    ("directory.region_mismatch", DirectoryUnavailable),
    ("directory.not_active", DirectoryUnavailable),
    ("directory.alias_mismatch", InvalidParameter),
    ("interoperability.requires_ad_connector", InvalidParameter),
    ("encryption.region_mismatch", InvalidParameter),
    ("alias.taken", NameAvailability),
    ("client_token.reused", InvalidParameter),
    ("domains.in_use", MailDomainInUse),
    ("directory.in_use", DirectoryInUse),
    ("account.organization_limit", LimitExceeded),
    ("dns.verification_token", InvalidParameter),
    ("dns.dkim_token", InvalidParameter),
    ("default_domain.unverified", MailDomainState),
    ("domains.hosted_zone_missing", InvalidParameter),
    ("next_token.length", InvalidParameter),
    ("exception_name.length", InvalidParameter),
    ("domain.reserved_label", InvalidParameter),
    ("violations.left_out", InvalidParameter),
    ("entity_id.length", InvalidParameter),
    ("entity_id.character", InvalidParameter),
    ("role_arn.length", InvalidParameter),
    ("role_arn.format", InvalidParameter),
    ("export_bucket.length", InvalidParameter),
    ("export_bucket.character", InvalidParameter),
    ("export_prefix.length", InvalidParameter),
    ("export_prefix.character", InvalidParameter),
    ("export_job_id.length", InvalidParameter),
    ("export_job_id.character", InvalidParameter),
    ("export_description.length", InvalidParameter),
    ("leaving.cutover_pending", InvalidParameter),
    ("leaving.exports_unfinished", InvalidParameter),
    ("leaving.not_deleted", InvalidParameter),
    ("leaving.directory_unknown", InvalidParameter),
    ("leaving.concurrency", InvalidParameter),
    ("leaving.new_mx", InvalidParameter),
];

#[test]
fn every_rule_has_the_code_written_here() {
    assert_eq!(
        CODES.len(),
        Rule::ALL.len(),
        "the table must have one row per rule: add the new rule's row"
    );
    for (id, code) in CODES {
        let rule: Rule = id.parse().unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(rule.code(), *code, "{id}");
    }
    let ids: HashSet<&str> = CODES.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), CODES.len(), "a rule is listed twice");
}

#[test]
fn every_code_is_produced_by_some_rule() {
    let used: HashSet<AwsErrorCode> = CODES.iter().map(|(_, code)| *code).collect();
    for code in AwsErrorCode::ALL {
        assert!(used.contains(code), "no rule produces {code}");
        assert_eq!(code.as_str().parse::<AwsErrorCode>(), Ok(*code));
        assert_eq!(
            code.exception_name(),
            format!("{code}Exception"),
            "the wire name is the code and `Exception`"
        );
    }
}
