//! The JSON format: defaults, canonical output, round trips, unknown fields, and
//! `OrganizationSpec`'s `Deserialize` never skipping a rule.

use serde_json::{json, Value};
use workmail_org::{
    spec::DirectoryDraft, spec::DomainDraft, spec::EncryptionDraft, DirectoryChoice, EmailDomain,
    EncryptionChoice, OrganizationDraft, OrganizationSpec, Region, Rule,
};

fn full() -> Value {
    json!({
      "alias": "acme-corp",
      "region": "us-east-1",
      "domains": [
        {"type": "existing_route53", "name": "acme.com", "hosted_zone_id": "Z0123456789ABCDEFGHIJ"},
        {"type": "new_route53", "name": "acme-mail.net"},
        {"type": "external", "name": "acme.org"},
        {"type": "free_test"}
      ],
      "default_domain": "acme.com",
      "directory": {"type": "existing", "directory_id": "d-1234567890", "directory_type": "ADConnector",
                    "alias": "acme-corp", "region": "us-east-1", "additional_regions": [], "stage": "Active"},
      "encryption": {"type": "customer_managed_key",
                     "kms_key_arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
      "interoperability": true,
      "client_token": "create-acme-1"
    })
}

#[track_caller]
fn spec(value: Value) -> OrganizationSpec {
    serde_json::from_value(value).expect("a valid spec")
}

#[track_caller]
fn read_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    serde_json::from_str::<T>(text)
        .expect_err("the JSON must be rejected")
        .to_string()
}

#[test]
fn the_documented_example_reads_and_writes_back_unchanged() {
    let spec = spec(full());
    assert_eq!(spec.alias().as_str(), "acme-corp");
    assert_eq!(spec.region(), Region::UsEast1);
    assert_eq!(spec.domains().len(), 4);
    assert_eq!(spec.default_domain().as_str(), "acme.com");
    assert!(spec.directory().is_ad_connector());
    assert!(spec.encryption().kms_key_arn().is_some());
    assert!(spec.interoperability());
    assert_eq!(
        spec.client_token().map(|t| t.as_str()),
        Some("create-acme-1")
    );
    assert_eq!(serde_json::to_value(&spec).expect("serializes"), full());
}

#[test]
fn only_alias_and_region_are_required_and_defaults_apply() {
    let spec = spec(json!({"alias": "Acme", "region": "eu-west-1"}));
    assert!(spec.domains().is_empty());
    assert_eq!(spec.default_domain().as_str(), "acme.awsapps.com");
    assert_eq!(spec.chosen_default_domain(), None);
    assert_eq!(spec.directory(), &DirectoryChoice::NewWorkMailDirectory);
    assert_eq!(spec.encryption(), &EncryptionChoice::WorkMailManagedKey);
    assert!(!spec.interoperability());
    assert_eq!(spec.client_token(), None);
    // Written back, every field but the unset optional ones appears with its default.
    assert_eq!(
        serde_json::to_value(&spec).expect("serializes"),
        json!({
            "alias": "Acme",
            "region": "eu-west-1",
            "domains": [],
            "directory": {"type": "new_workmail_directory"},
            "encryption": {"type": "workmail_managed_key"},
            "interoperability": false
        })
    );

    let draft: OrganizationDraft =
        serde_json::from_value(json!({"alias": "a", "region": "b"})).expect("reads");
    assert_eq!(draft, OrganizationDraft::new("a", "b"));
    let existing: OrganizationDraft = serde_json::from_value(json!({
        "alias": "a", "region": "b",
        "directory": {"type": "existing", "directory_id": "x", "directory_type": "y",
                      "alias": "z", "region": "r"}
    }))
    .expect("reads");
    match existing.directory {
        DirectoryDraft::Existing(directory) => {
            assert_eq!(directory.stage, "Active");
            assert!(directory.additional_regions.is_empty());
        }
        other => panic!("expected an existing directory, found {other:?}"),
    }
}

#[test]
fn writing_gives_canonical_values() {
    let spec = spec(json!({
        "alias": "Acme-Corp",
        "region": "us-west-2",
        "domains": [
            {"type": "existing_route53", "name": "Bücher.Example.",
             "hosted_zone_id": "/hostedzone/Z0123456789ABCDEFGHIJ"},
            {"type": "external", "name": "ACME.org"}
        ],
        "default_domain": "acme.ORG."
    }));
    let written = serde_json::to_value(&spec).expect("serializes");
    assert_eq!(written["alias"], "Acme-Corp");
    assert_eq!(
        written["domains"],
        json!([
            {"type": "existing_route53", "name": "xn--bcher-kva.example",
             "hosted_zone_id": "Z0123456789ABCDEFGHIJ"},
            {"type": "external", "name": "acme.org"}
        ])
    );
    assert_eq!(written["default_domain"], "acme.org");
    // Canonical output reads back to an equal spec and writes identically.
    let again: OrganizationSpec = serde_json::from_value(written.clone()).expect("reads back");
    assert_eq!(again, spec);
    assert_eq!(serde_json::to_value(&again).expect("serializes"), written);
}

#[test]
fn drafts_round_trip_whatever_their_values() {
    let draft = OrganizationDraft {
        alias: "not an alias".into(),
        region: "mars-1".into(),
        domains: vec![
            DomainDraft::FreeTest,
            DomainDraft::NewRoute53 { name: "??".into() },
            DomainDraft::ExistingRoute53 {
                name: String::new(),
                hosted_zone_id: "zz".into(),
            },
        ],
        default_domain: Some(String::new()),
        directory: DirectoryDraft::NewWorkMailDirectory,
        encryption: EncryptionDraft::CustomerManagedKey {
            kms_key_arn: "nope".into(),
        },
        interoperability: true,
        client_token: Some(" ".into()),
    };
    let text = serde_json::to_string(&draft).expect("serializes");
    let back: OrganizationDraft =
        serde_json::from_str(&text).expect("a bad value never fails reading");
    assert_eq!(back, draft);
    assert!(back.validate().is_err());
}

#[test]
fn unknown_fields_are_rejected_at_every_level_naming_the_field() {
    let cases = [
        (
            r#"{"alias": "a", "region": "us-east-1", "domain": []}"#,
            "domain",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "domains": [{"type": "free_test", "name": "a.com"}]}"#,
            "name",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "domains": [{"type": "external", "name": "a.com", "zone": "Z1"}]}"#,
            "zone",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "domains": [{"type": "new_route53", "name": "a.com", "hosted_zone_id": "Z1"}]}"#,
            "hosted_zone_id",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "domains": [{"type": "existing_route53", "name": "a.com", "hosted_zone_id": "Z1", "ttl": 1}]}"#,
            "ttl",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "directory": {"type": "new_workmail_directory", "size": 1}}"#,
            "size",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "directory": {"type": "existing", "directory_id": "d", "directory_type": "t", "alias": "a", "region": "r", "vpc": "x"}}"#,
            "vpc",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "encryption": {"type": "workmail_managed_key", "kms_key_arn": "x"}}"#,
            "kms_key_arn",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "encryption": {"type": "customer_managed_key", "kms_key_arn": "x", "grant": "y"}}"#,
            "grant",
        ),
    ];
    for (text, field) in cases {
        for message in [
            read_error::<OrganizationDraft>(text),
            read_error::<OrganizationSpec>(text),
        ] {
            assert!(
                message.contains(&format!("unknown field `{field}`")),
                "{text}: {message}"
            );
        }
    }
}

#[test]
fn shape_errors_name_what_is_wrong() {
    for (text, expected) in [
        (r#"{"region": "us-east-1"}"#, "missing field `alias`"),
        (r#"{"alias": "a"}"#, "missing field `region`"),
        (
            r#"{"alias": "a", "region": "r", "domains": [{"name": "a.com"}]}"#,
            "missing field `type`",
        ),
        (
            r#"{"alias": "a", "region": "r", "domains": [{"type": "route53", "name": "a.com"}]}"#,
            "unknown variant `route53`",
        ),
        (
            r#"{"alias": "a", "region": "r", "domains": [{"type": "existing_route53", "name": "a.com"}]}"#,
            "missing field `hosted_zone_id`",
        ),
        (
            r#"{"alias": "a", "region": "r", "interoperability": "yes"}"#,
            "expected a boolean",
        ),
        (r#"{"alias": 5, "region": "r"}"#, "expected a string"),
        (r#"{"alias": "a", "region": "r""#, "EOF"),
    ] {
        let message = read_error::<OrganizationDraft>(text);
        assert!(message.contains(expected), "{text}: {message}");
        assert!(message.contains("line 1 column"), "{text}: {message}");
    }
}

#[test]
fn deserializing_an_invalid_spec_fails_listing_every_violation() {
    let message = read_error::<OrganizationSpec>(
        r#"{"alias": "d-acme", "region": "eu-central-1", "client_token": ""}"#,
    );
    assert!(message.starts_with("3 rule violations\n"), "{message}");
    for expected in [
        "- alias: organization alias \"d-acme\": the prefix \"d-\" is reserved",
        "[alias.reserved_prefix, InvalidParameter]",
        "- region: region \"eu-central-1\": is not supported",
        "- client_token: client token \"\": must be 1 to 128 characters long, found 0",
    ] {
        assert!(
            message.contains(expected),
            "missing {expected:?} in {message}"
        );
    }

    // A cross-field rule too: deserializing never skips one.
    let mut value = full();
    value["encryption"]["kms_key_arn"] =
        json!("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    let error = serde_json::from_value::<OrganizationSpec>(value).expect_err("invalid");
    assert!(
        error
            .to_string()
            .contains(Rule::EncryptionRegionMismatch.id()),
        "{error}"
    );
}

#[test]
fn drafts_and_specs_convert_both_ways() {
    let spec = spec(full());
    let draft = OrganizationDraft::from(&spec);
    assert_eq!(draft.validate().expect("valid"), spec);
    assert_eq!(
        OrganizationSpec::try_from(draft.clone()).expect("valid"),
        spec
    );
    assert_eq!(OrganizationSpec::try_from(&draft).expect("valid"), spec);
    assert_eq!(OrganizationDraft::from(spec.clone()), draft);
    assert_eq!(
        spec.domains()[0],
        EmailDomain::ExistingRoute53 {
            name: "acme.com".parse().expect("valid"),
            hosted_zone_id: "Z0123456789ABCDEFGHIJ".parse().expect("valid"),
        }
    );
}
