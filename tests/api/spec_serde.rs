//! The JSON format: defaults, canonical output, round trips, unknown fields, and
//! `OrganizationSpec`'s `Deserialize` never skipping a rule.

use serde_json::{json, Value};
use workmail_org::spec::read_json;
use workmail_org::{
    spec::DirectoryDraft, spec::DomainDraft, spec::EncryptionDraft, DirectoryChoice, EmailDomain,
    EncryptionChoice, OrganizationDraft, OrganizationSpec, Region, Rule,
};

use crate::fixtures::full_json as full;

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

/// Asserts that `text` fails to read through the body reader with exactly `expected` (the
/// path, then serde's message) and then serde_json's position; that no message names a type
/// of the crate; and that plain serde refuses it too, as a draft and as a spec.
#[track_caller]
fn assert_shape_error(text: &str, expected: &str) {
    let err = read_json(text.as_bytes()).expect_err("the JSON must be rejected");
    assert!(err.path().is_some(), "{text}: not a shape error: {err}");
    let message = err.to_string();
    let rest = message
        .strip_prefix(expected)
        .unwrap_or_else(|| panic!("{text}:\n  found    {message}\n  expected {expected}"));
    assert!(rest.starts_with(" at line "), "{text}: {message}");
    for private in ["Raw", "Draft", "Spec", "enum ", "struct "] {
        assert!(!message.contains(private), "{text} names a type: {message}");
    }
    read_error::<OrganizationDraft>(text);
    read_error::<OrganizationSpec>(text);
}

#[test]
fn unknown_fields_are_rejected_at_every_level_naming_the_path_and_what_is_allowed() {
    for (text, expected) in [
        (
            r#"{"alias": "a", "region": "us-east-1", "domain": []}"#,
            "domain: unknown field `domain`, expected one of `alias`, `region`, `domains`, \
             `default_domain`, `directory`, `encryption`, `interoperability`, `client_token`",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "domains": [{"type": "free_test", "name": "a.com"}]}"#,
            "domains[0]: unknown field `name` for type `free_test`, expected `type`",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "domains": [{"type": "external", "name": "a.com", "zone": "Z1"}]}"#,
            "domains[0].zone: unknown field `zone`, expected one of `type`, `name`, `hosted_zone_id`",
        ),
        (
            // The field comes before the `type` that does not allow it.
            r#"{"alias": "a", "region": "us-east-1", "domains": [{"name": "a.com", "hosted_zone_id": "Z1", "type": "new_route53"}]}"#,
            "domains[0]: unknown field `hosted_zone_id` for type `new_route53`, expected `type` or `name`",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "domains": [{"name": "a.com", "ttl": 1, "type": "external"}]}"#,
            "domains[0].ttl: unknown field `ttl`, expected one of `type`, `name`, `hosted_zone_id`",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "directory": {"type": "new_workmail_directory", "stage": "Active"}}"#,
            "directory: unknown field `stage` for type `new_workmail_directory`, expected `type`",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "directory": {"type": "existing", "directory_id": "d", "directory_type": "t", "alias": "a", "region": "r", "vpc": "x"}}"#,
            "directory.vpc: unknown field `vpc`, expected one of `type`, `directory_id`, \
             `directory_type`, `alias`, `region`, `additional_regions`, `stage`",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "encryption": {"type": "workmail_managed_key", "kms_key_arn": "x"}}"#,
            "encryption: unknown field `kms_key_arn` for type `workmail_managed_key`, expected `type`",
        ),
        (
            r#"{"alias": "a", "region": "us-east-1", "encryption": {"type": "customer_managed_key", "kms_key_arn": "x", "grant": "y"}}"#,
            "encryption.grant: unknown field `grant`, expected `type` or `kms_key_arn`",
        ),
        (
            // An unknown name is shown escaped, like every input.
            r#"{"alias": "a", "region": "r", "evil\nfield": 1}"#,
            "evil\\nfield: unknown field `evil\\nfield`, expected one of `alias`, `region`, \
             `domains`, `default_domain`, `directory`, `encryption`, `interoperability`, \
             `client_token`",
        ),
    ] {
        assert_shape_error(text, expected);
    }
}

#[test]
fn a_long_input_is_cut_in_the_message() {
    let key = "k".repeat(5000);
    let text = format!(r#"{{"alias": "a", "region": "r", "domains": "{key}"}}"#);
    let message = read_json(text.as_bytes()).unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "domains: invalid type: string \"{}…\", expected a sequence at line 1 column 5043",
            "k".repeat(64)
        )
    );
}

#[test]
fn shape_errors_name_the_json_path_and_what_is_allowed() {
    for (text, expected) in [
        (r#"{"region": "us-east-1"}"#, "missing field `alias`"),
        (r#"{"alias": "a"}"#, "missing field `region`"),
        (
            r#"{"alias": "a", "region": "r", "alias": "b"}"#,
            "duplicate field `alias`",
        ),
        (
            r#"{"alias": "a", "region": "r", "domains": [{"type": "free_test"}, {"name": "a.com"}]}"#,
            "domains[1]: missing field `type`",
        ),
        (
            r#"{"alias": "a", "region": "r", "domains": [{"type": "route53", "name": "a.com"}]}"#,
            "domains[0].type: unknown variant `route53`, expected one of `existing_route53`, \
             `new_route53`, `external`, `free_test`",
        ),
        (
            r#"{"alias": "a", "region": "r", "domains": [{"type": "existing_route53", "name": "a.com"}]}"#,
            "domains[0]: missing field `hosted_zone_id` for type `existing_route53`",
        ),
        (
            r#"{"alias": "a", "region": "r", "domains": [{"type": 1}]}"#,
            "domains[0].type: invalid type: integer `1`, expected one of `existing_route53`, \
             `new_route53`, `external`, `free_test`",
        ),
        (
            r#"{"alias": "a", "region": "r", "domains": ["acme.org"]}"#,
            "domains[0]: invalid type: string \"acme.org\", expected a domain: an object whose \
             `type` is one of `existing_route53`, `new_route53`, `external`, `free_test`",
        ),
        (
            r#"{"alias": "a", "region": "r", "domains": {"type": "free_test"}}"#,
            "domains: invalid type: map, expected a sequence",
        ),
        (
            r#"{"alias": "a", "region": "r", "directory": "existing"}"#,
            "directory: invalid type: string \"existing\", expected a directory: an object whose \
             `type` is one of `new_workmail_directory`, `existing`",
        ),
        (
            r#"{"alias": "a", "region": "r", "directory": {"type": "existing", "directory_id": "d", "directory_type": "t", "alias": "a", "region": "r", "additional_regions": ["us-east-1", 2]}}"#,
            "directory.additional_regions[1]: invalid type: integer `2`, expected a string",
        ),
        (
            r#"{"alias": "a", "region": "r", "directory": {"type": "existing", "directory_id": "d"}}"#,
            "directory: missing field `directory_type` for type `existing`",
        ),
        (
            r#"{"alias": "a", "region": "r", "encryption": null}"#,
            "encryption: invalid type: null, expected an encryption choice: an object whose \
             `type` is one of `workmail_managed_key`, `customer_managed_key`",
        ),
        (
            r#"{"alias": "a", "region": "r", "default_domain": 5}"#,
            "default_domain: invalid type: integer `5`, expected a string",
        ),
        (
            r#"{"alias": "a", "region": "r", "interoperability": "yes"}"#,
            "interoperability: invalid type: string \"yes\", expected a boolean",
        ),
        (
            r#"{"alias": 5, "region": "r"}"#,
            "alias: invalid type: integer `5`, expected a string",
        ),
        (
            r#"{"alias": "a", "region": "r""#,
            "EOF while parsing an object",
        ),
    ] {
        assert_shape_error(text, expected);
    }
}

#[test]
fn a_json_list_is_not_a_spec() {
    for text in [r#"["acme", "us-east-1"]"#, "[]"] {
        let err = read_json(text.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid type: sequence, expected an organization spec: an object with `alias` and \
             `region` at line 1 column 1"
        );
    }
    assert_shape_error(
        r#""acme""#,
        "invalid type: string \"acme\", expected an organization spec: an object with `alias` \
         and `region`",
    );
}

#[test]
fn a_compact_format_writes_every_field_and_reads_it_back() {
    // CBOR is not human-readable: a draft writes its unset optional fields too, as null.
    let draft = OrganizationDraft::new("acme-corp", "us-east-1");
    let mut bytes = Vec::new();
    ciborium::into_writer(&draft, &mut bytes).expect("writes CBOR");
    let written: ciborium::Value = ciborium::from_reader(bytes.as_slice()).expect("CBOR");
    let fields: Vec<(String, bool)> = written
        .as_map()
        .expect("a map")
        .iter()
        .map(|(key, value)| {
            (
                key.as_text().expect("a text key").to_owned(),
                value.is_null(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("alias".to_owned(), false),
            ("region".to_owned(), false),
            ("domains".to_owned(), false),
            ("default_domain".to_owned(), true),
            ("directory".to_owned(), false),
            ("encryption".to_owned(), false),
            ("interoperability".to_owned(), false),
            ("client_token".to_owned(), true),
        ]
    );
    let back: OrganizationDraft = ciborium::from_reader(bytes.as_slice()).expect("reads CBOR");
    assert_eq!(back, draft);

    // A whole spec survives the trip, and the JSON it then writes is unchanged.
    let spec: OrganizationSpec = serde_json::from_value(full()).expect("valid");
    let mut bytes = Vec::new();
    ciborium::into_writer(&spec, &mut bytes).expect("writes CBOR");
    let back: OrganizationSpec = ciborium::from_reader(bytes.as_slice()).expect("reads CBOR");
    assert_eq!(back, spec);
    assert_eq!(serde_json::to_value(&back).expect("serializes"), full());
}

#[test]
fn a_compact_format_may_write_objects_as_sequences() {
    // As MessagePack writes structs by default: each object as its fields in order, `type`
    // first, a short sequence leaving the rest at their defaults. (serde_json's `Value` hands
    // a list to a struct as such a format does; the body reader refuses a JSON array.)
    let compact = json!([
        "acme",
        "us-east-1",
        [
            ["external", "acme.org"],
            ["free_test"],
            ["existing_route53", "acme.com", "Z1"]
        ],
        null,
        [
            "existing",
            "d-1234567890",
            "ADConnector",
            "acme",
            "us-east-1"
        ],
        ["customer_managed_key", "arn"],
        true,
        "token"
    ]);
    let draft: OrganizationDraft = serde_json::from_value(compact).expect("reads a sequence");
    assert_eq!(
        draft.domains,
        [
            DomainDraft::External {
                name: "acme.org".into()
            },
            DomainDraft::FreeTest,
            DomainDraft::ExistingRoute53 {
                name: "acme.com".into(),
                hosted_zone_id: "Z1".into()
            },
        ]
    );
    let DirectoryDraft::Existing(report) = &draft.directory else {
        panic!("an existing directory: {draft:?}");
    };
    assert_eq!(
        report.stage, "Active",
        "a short sequence leaves the defaults"
    );
    assert!(draft.interoperability);
    assert_eq!(draft.client_token.as_deref(), Some("token"));

    // A short sequence still needs the fields its type requires.
    let short = json!(["acme", "us-east-1", [["existing_route53", "acme.com"]]]);
    let err = serde_json::from_value::<OrganizationDraft>(short).unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing field `hosted_zone_id` for type `existing_route53`"
    );
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
