//! Reports that travel: violations, advisories and parse errors as JSON, and back.

use serde_json::{json, Value};
use workmail_org::{
    Advisory, AdvisoryKind, AwsErrorCode, FieldPath, OrganizationAlias, OrganizationDraft, Rule,
    Violation, Violations,
};

use crate::fixtures::FULL_JSON;

/// The violations of the shipped `invalid-many.json`: many rules, many paths.
fn many_violations() -> Violations {
    let text = include_str!("../../examples/specs/invalid-many.json");
    serde_json::from_str::<OrganizationDraft>(text)
        .expect("a draft")
        .validate()
        .expect_err("invalid")
}

#[track_caller]
fn refused<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value) -> String {
    serde_json::from_value::<T>(value)
        .expect_err("must be refused")
        .to_string()
}

#[test]
fn violations_serialize_as_an_array_that_reads_back() {
    let violations = many_violations();
    assert!(violations.len() >= 10, "{violations}");
    let json = serde_json::to_value(&violations).expect("serializes");
    let array = json.as_array().expect("a JSON array");
    assert_eq!(array.len(), violations.len());
    for (value, violation) in array.iter().zip(&violations) {
        let keys: Vec<&str> = value
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, ["code", "message", "path", "rule"]);
        assert_eq!(value["path"], violation.path().to_string());
        assert_eq!(value["code"], violation.code().as_str());
        assert_eq!(value["rule"], violation.rule().id());
        assert_eq!(value["message"], violation.message());
    }
    let read: Vec<Violation> = serde_json::from_value(json).expect("reads back");
    assert_eq!(read, violations.as_slice());
}

#[test]
fn a_violation_keeps_its_fields_in_order_on_the_wire() {
    let violation = Violation::new(
        FieldPath::HostedZoneId(3),
        Rule::HostedZoneIdCharacter,
        "hosted zone id \"z1\": lower case",
    );
    let text = serde_json::to_string(&violation).expect("serializes");
    assert_eq!(
        text,
        r#"{"path":"domains[3].hosted_zone_id","code":"InvalidParameter","rule":"hosted_zone_id.character","message":"hosted zone id \"z1\": lower case"}"#
    );
    assert_eq!(
        serde_json::from_str::<Violation>(&text).expect("reads back"),
        violation
    );
    // The whole organization's path is the empty string.
    let quota = Violation::new(
        FieldPath::Organization,
        Rule::AccountOrganizationLimit,
        "full",
    );
    let back: Violation =
        serde_json::from_value(serde_json::to_value(&quota).expect("serializes")).expect("reads");
    assert_eq!(back.path(), FieldPath::Organization);
}

#[test]
fn a_validate_output_line_reads_as_a_violation() {
    let line = json!({
        "file": "examples/specs/invalid-region-mismatch.json",
        "severity": "error",
        "path": "directory.region",
        "code": "DirectoryUnavailable",
        "rule": "directory.region_mismatch",
        "message": "directory \"d-1234567890\" is in us-west-2 but the organization is in us-east-1",
    });
    let violation: Violation = serde_json::from_value(line).expect("extra fields are ignored");
    assert_eq!(violation.path(), FieldPath::DirectoryRegion);
    assert_eq!(violation.rule(), Rule::DirectoryRegionMismatch);
    assert_eq!(violation.code(), AwsErrorCode::DirectoryUnavailable);
}

#[test]
fn deserializing_a_violation_revalidates_every_field() {
    let good = json!({
        "path": "domains[1].name",
        "code": "MailDomainInUse",
        "rule": "domains.in_use",
        "message": "domain \"acme.com\" is in use",
    });
    serde_json::from_value::<Violation>(good.clone()).expect("the baseline reads");
    let with = |key: &str, value: Value| {
        let mut changed = good.clone();
        changed[key] = value;
        changed
    };
    let cases = [
        (
            with("code", json!("InvalidParameter")),
            "code InvalidParameter does not match rule domains.in_use, whose code is MailDomainInUse",
        ),
        (
            with("code", json!("IdempotentParameterMismatch")),
            "unknown AWS error code \"IdempotentParameterMismatch\" (expected one of: \
             InvalidParameter, NameAvailability, DirectoryInUse, DirectoryUnavailable, \
             LimitExceeded, MailDomainInUse, MailDomainState)",
        ),
        (
            with("rule", json!("domains.in_used")),
            "unknown rule id \"domains.in_used\"",
        ),
        (
            with("path", json!("domains[01].name")),
            "path \"domains[01].name\" is not a field of the spec format",
        ),
        (
            with("path", json!("Alias")),
            "path \"Alias\" is not a field of the spec format",
        ),
        (
            with("path", json!("domains[1].name\n")),
            "path \"domains[1].name\\n\" is not a field of the spec format",
        ),
        (
            with("message", json!("two\nlines")),
            "message holds a control character at byte 3; a message is one line",
        ),
        (
            with("message", json!("x".repeat(4097))),
            "message has 4097 bytes; at most 4096 are allowed",
        ),
        (with("path", json!(1)), "invalid type: integer `1`, expected a string"),
    ];
    for (value, expected) in cases {
        let message = refused::<Violation>(value.clone());
        assert_eq!(message, expected, "for {value}");
    }
    let mut missing = good.clone();
    missing.as_object_mut().expect("an object").remove("code");
    assert_eq!(refused::<Violation>(missing), "missing field `code`");
    // At the limit, a message reads.
    serde_json::from_value::<Violation>(with("message", json!("x".repeat(4096))))
        .expect("4096 bytes read");
}

#[test]
fn advisories_round_trip_and_read_validate_lines() {
    let spec: workmail_org::OrganizationSpec =
        serde_json::from_str(FULL_JSON).expect("the full example is valid");
    let advisories = spec.advisories();
    assert!(advisories.len() >= 3);
    for advisory in &advisories {
        let value = serde_json::to_value(advisory).expect("serializes");
        let mut keys: Vec<&str> = value
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["message", "path", "rule"]);
        let back: Advisory = serde_json::from_value(value).expect("reads back");
        assert_eq!(&back, advisory);
    }

    // `validate` writes `"code": null` for advice: accepted, as is no code at all.
    let line = json!({
        "file": "-", "severity": "advisory", "path": "default_domain", "code": null,
        "rule": "advice.test_domain_needs_enabled_user", "message": "keep a user enabled",
    });
    let advisory: Advisory = serde_json::from_value(line.clone()).expect("reads");
    assert_eq!(advisory.kind(), AdvisoryKind::TestDomainNeedsEnabledUser);
    assert_eq!(advisory.path(), FieldPath::DefaultDomain);

    let mut with_code = line.clone();
    with_code["code"] = json!("InvalidParameter");
    assert_eq!(
        refused::<Advisory>(with_code),
        "advisory advice.test_domain_needs_enabled_user has code InvalidParameter; an advisory \
         has no AWS error code"
    );
    let mut unknown = line.clone();
    unknown["rule"] = json!("alias.taken");
    assert!(refused::<Advisory>(unknown).starts_with("unknown advisory id \"alias.taken\""));
    let mut bad_path = line;
    bad_path["path"] = json!("domains[x]");
    assert_eq!(
        refused::<Advisory>(bad_path),
        "path \"domains[x]\" is not a field of the spec format"
    );
}

#[test]
fn parse_errors_serialize_with_code_rule_and_message() {
    let err = "d-acme".parse::<OrganizationAlias>().unwrap_err();
    let value = serde_json::to_value(&err).expect("serializes");
    assert_eq!(
        value,
        json!({
            "code": "InvalidParameter",
            "rule": "alias.reserved_prefix",
            "message": "organization alias \"d-acme\": the prefix \"d-\" is reserved for directory \
                        ids (in either case)",
        })
    );
    // The names and order are a violation's, without the path.
    let text = serde_json::to_string(&err).expect("serializes");
    assert!(text.starts_with(r#"{"code":"InvalidParameter","rule":"alias.reserved_prefix","#));
    // A parse error placed at a path reads back as a violation.
    let violation = Violation::from_parse_error(FieldPath::Alias, &err);
    let mut placed = value;
    placed["path"] = json!("alias");
    assert_eq!(
        serde_json::from_value::<Violation>(placed).expect("reads"),
        violation
    );
}

#[test]
fn rules_codes_and_advisory_kinds_parse_what_they_print() {
    for rule in Rule::ALL {
        assert_eq!(rule.to_string().parse::<Rule>(), Ok(*rule));
        assert_eq!(Rule::try_from(rule.id()), Ok(*rule));
    }
    for code in AwsErrorCode::ALL {
        assert_eq!(code.to_string().parse::<AwsErrorCode>(), Ok(*code));
    }
    for kind in AdvisoryKind::ALL {
        assert_eq!(kind.to_string().parse::<AdvisoryKind>(), Ok(*kind));
    }
    // Exact spellings only: the wire's exception name is `aws::AwsException`'s to read.
    assert!("NameAvailabilityException".parse::<AwsErrorCode>().is_err());
    assert!("ALIAS.TAKEN".parse::<Rule>().is_err());
}
