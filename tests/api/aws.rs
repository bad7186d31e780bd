//! The AWS wire format: golden JSON for every request and response shape, AWS's own
//! documentation examples, and properties over generated specs against the API model's
//! constraints as botocore's `workmail/2017-10-01/service-2.json` states them.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use workmail_org::aws::{
    AwsException, CreateOrganization, DeleteOrganizationRequest, DeleteOrganizationResponse,
    ListOrganizationsRequest, ListOrganizationsResponse, Mismatch, Organization,
    OrganizationSummary, Problem, ResponseErrorKind, Timestamp,
};
use workmail_org::lifecycle::OrganizationState;
use workmail_org::spec::DirectoryKind;
use workmail_org::{AwsErrorCode, OrganizationSpec, Region, Rule};

fn spec(json: Value) -> OrganizationSpec {
    serde_json::from_value(json).expect("a valid spec")
}

fn body(call: &CreateOrganization) -> Value {
    serde_json::to_value(call.request()).unwrap()
}

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

#[test]
fn the_full_request_is_the_apis_own_body() {
    let spec = spec(json!({
        "alias": "acme-corp",
        "region": "us-east-1",
        "domains": [
            {"type": "existing_route53", "name": "Acme.COM", "hosted_zone_id": "/hostedzone/Z0123456789ABCDEFGHIJ"},
            {"type": "free_test"},
            {"type": "external", "name": "acme.org"}
        ],
        "default_domain": "acme.com",
        "directory": {"type": "existing", "directory_id": "d-1234567890", "directory_type": "ADConnector",
                      "alias": "acme-corp", "region": "us-east-1"},
        "encryption": {"type": "customer_managed_key", "kms_key_arn": KEY},
        "interoperability": true,
        "client_token": "create-acme-1"
    }));
    let call = CreateOrganization::new(&spec).unwrap();
    assert_eq!(call.region(), Region::UsEast1);
    assert_eq!(
        body(&call),
        json!({
            "Alias": "acme-corp",
            "DirectoryId": "d-1234567890",
            "ClientToken": "create-acme-1",
            "Domains": [
                {"DomainName": "acme.com", "HostedZoneId": "Z0123456789ABCDEFGHIJ"},
                {"DomainName": "acme.org"}
            ],
            "KmsKeyArn": KEY,
            "EnableInteroperability": true
        })
    );
    // The body reads back into an equal request.
    let text = serde_json::to_string(call.request()).unwrap();
    let back: workmail_org::aws::CreateOrganizationRequest = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, call.request());
}

#[test]
fn the_minimal_request_omits_every_absent_value() {
    let call =
        CreateOrganization::new(&spec(json!({"alias": "acme", "region": "eu-west-1"}))).unwrap();
    assert_eq!(call.region(), Region::EuWest1);
    assert_eq!(body(&call), json!({"Alias": "acme"}));
}

#[test]
fn the_test_domain_and_the_default_domain_are_never_in_the_request() {
    let call = CreateOrganization::new(&spec(json!({
        "alias": "acme", "region": "us-west-2",
        "domains": [{"type": "free_test"}],
        "default_domain": "acme.awsapps.com"
    })))
    .unwrap();
    assert_eq!(body(&call), json!({"Alias": "acme"}));
}

#[test]
fn new_route53_domains_need_the_zones_their_registration_created() {
    let spec = spec(json!({
        "alias": "acme", "region": "us-east-1",
        "domains": [
            {"type": "external", "name": "acme.org"},
            {"type": "new_route53", "name": "acme-mail.net"},
            {"type": "new_route53", "name": "acme-mail.io"}
        ]
    }));
    let err = CreateOrganization::new(&spec).unwrap_err();
    assert_eq!(
        err.problems(),
        [
            Problem::MissingHostedZone {
                index: 1,
                domain: "acme-mail.net".parse().unwrap()
            },
            Problem::MissingHostedZone {
                index: 2,
                domain: "acme-mail.io".parse().unwrap()
            },
        ]
    );
    let violations = err.violations().unwrap();
    let found: Vec<(String, Rule, AwsErrorCode)> = violations
        .iter()
        .map(|v| (v.path().to_string(), v.rule(), v.code()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "domains[1]".to_owned(),
                Rule::DomainsHostedZoneMissing,
                AwsErrorCode::InvalidParameter
            ),
            (
                "domains[2]".to_owned(),
                Rule::DomainsHostedZoneMissing,
                AwsErrorCode::InvalidParameter
            ),
        ]
    );

    let zones = BTreeMap::from([
        ("acme-mail.net".parse().unwrap(), "Z111".parse().unwrap()),
        (
            "ACME-mail.io.".parse().unwrap(),
            "/hostedzone/Z222".parse().unwrap(),
        ),
    ]);
    let call = CreateOrganization::with_hosted_zones(&spec, &zones).unwrap();
    assert_eq!(
        body(&call)["Domains"],
        json!([
            {"DomainName": "acme.org"},
            {"DomainName": "acme-mail.net", "HostedZoneId": "Z111"},
            {"DomainName": "acme-mail.io", "HostedZoneId": "Z222"}
        ])
    );
}

#[test]
fn a_zone_for_a_domain_that_is_not_new_is_refused_not_ignored() {
    let spec = spec(json!({
        "alias": "acme", "region": "us-east-1",
        "domains": [{"type": "external", "name": "acme.org"}]
    }));
    let zones = BTreeMap::from([("acme.org".parse().unwrap(), "Z111".parse().unwrap())]);
    let err = CreateOrganization::with_hosted_zones(&spec, &zones).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a hosted zone was supplied for \"acme.org\", which is not a new Route 53 domain of the spec"
    );
    assert!(err.violations().is_none());
}

#[test]
fn a_request_body_is_revalidated_when_read() {
    for (bad, expected) in [
        (json!({"Alias": "d-acme"}), "reserved for directory ids"),
        (
            json!({"Alias": "acme", "Extra": 1}),
            "unknown field `Extra`",
        ),
        (
            json!({"DirectoryId": "d-1234567890"}),
            "missing field `Alias`",
        ),
        (
            json!({"Alias": "acme", "Domains": [
                {"DomainName": "a1.com"}, {"DomainName": "a2.com"}, {"DomainName": "a3.com"},
                {"DomainName": "a4.com"}, {"DomainName": "a5.com"}, {"DomainName": "a6.com"}]}),
            "Domains holds 6 entries; the API allows at most 5",
        ),
    ] {
        let err = serde_json::from_value::<workmail_org::aws::CreateOrganizationRequest>(bad)
            .unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    }
}

/// The AWS CLI reference's `describe-organization` output, verbatim.
const CLI_DESCRIBE: &str = r#"{"OrganizationId": "m-d281d0a2fd824be5b6cd3d3ce909fd27", "Alias": "alias", "State": "Active",
 "DirectoryId": "d-926726012c", "DirectoryType": "VpcDirectory",
 "DefaultMailDomain": "site.awsapps.com", "CompletedDate": 1522693605.468,
 "ARN": "arn:aws:workmail:us-west-2:111122223333:organization/m-n1pq2345678r901st2u3vx45x6789yza"}"#;

#[test]
fn the_cli_reference_example_reads_and_nothing_is_lost() {
    let org: Organization = serde_json::from_str(CLI_DESCRIBE).unwrap();
    assert_eq!(
        org.organization_id().as_str(),
        "m-d281d0a2fd824be5b6cd3d3ce909fd27"
    );
    assert_eq!(org.alias().as_str(), "alias");
    assert_eq!(org.state().known(), Some(&OrganizationState::Active));
    assert_eq!(
        org.directory_id()
            .and_then(|id| id.known())
            .map(|id| id.as_str()),
        Some("d-926726012c")
    );
    // `VpcDirectory` is WorkMail's own directory, no kind a spec can choose: kept as text.
    let directory_type = org.directory_type().unwrap();
    assert_eq!(
        (directory_type.as_str(), directory_type.known()),
        ("VpcDirectory", None)
    );
    // The ARN matches the model's pattern but its organization id is not `m-` + 32 hex:
    // kept as text, with no strict `OrganizationArn`.
    let arn = org.arn().unwrap();
    assert!(arn
        .as_str()
        .ends_with("organization/m-n1pq2345678r901st2u3vx45x6789yza"));
    assert!(arn.known().is_none());
    let completed = org.completed_date().unwrap();
    assert_eq!(
        (completed.seconds(), completed.millis()),
        (1_522_693_605, 468)
    );
    assert_eq!(
        org.default_mail_domain()
            .and_then(|d| d.known())
            .map(|d| d.as_str()),
        Some("site.awsapps.com")
    );

    // Written back, it is the same document.
    let written = serde_json::to_value(&org).unwrap();
    let original: Value = serde_json::from_str(CLI_DESCRIBE).unwrap();
    assert_eq!(written, original);
}

#[test]
fn a_full_describe_response_round_trips_and_unknown_fields_are_ignored() {
    let document = json!({
        "OrganizationId": "m-0123456789abcdef0123456789abcdef",
        "Alias": "Acme-Corp",
        "State": "Suspended",
        "DirectoryId": "d-1234567890",
        "DirectoryType": "ADConnector",
        "DefaultMailDomain": "acme.com",
        "CompletedDate": 1700000000,
        "ErrorMessage": "",
        "ARN": "arn:aws:workmail:us-east-1:111122223333:organization/m-0123456789abcdef0123456789abcdef",
        "MigrationAdmin": "S-1-1-11-1111111111-2222222222-3333333333-3333",
        "InteroperabilityEnabled": true
    });
    let mut with_extra = document.clone();
    with_extra["NewFieldAwsAdded"] = json!({"nested": [1, 2]});
    let org: Organization = serde_json::from_value(with_extra).unwrap();
    assert_eq!(org.state().as_str(), "Suspended");
    assert_eq!(org.state().known(), None);
    assert_eq!(
        org.directory_type().and_then(|t| t.known()),
        Some(&DirectoryKind::AdConnector)
    );
    assert_eq!(
        org.arn().and_then(|a| a.known()).map(|a| a.region()),
        Some(Region::UsEast1)
    );
    assert_eq!(serde_json::to_value(&org).unwrap(), document);
}

#[test]
fn a_malformed_known_field_is_an_error_naming_it() {
    let cases = [
        (json!({"Alias": "acme", "State": "Active"}), "DescribeOrganization response: OrganizationId: missing, but required"),
        (json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "State": "Active"}), "DescribeOrganization response: Alias: missing, but required"),
        (json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme"}), "DescribeOrganization response: State: missing, but required"),
        (json!({"OrganizationId": "m-1", "Alias": "acme", "State": "Active"}), "DescribeOrganization response: OrganizationId: organization id \"m-1\""),
        (json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme_corp", "State": "Active"}), "DescribeOrganization response: Alias: organization alias \"acme_corp\""),
        (json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme", "State": "x".repeat(257)}), "DescribeOrganization response: State: \""),
        (json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme", "State": "Active", "ARN": "arn:aws:kms:us-east-1:111122223333:key/x"}), "DescribeOrganization response: ARN: \"arn:aws:kms:us-east-1:111122223333:key/x\" does not match the API model's WorkMail ARN pattern"),
        (json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme", "State": "Active", "MigrationAdmin": "short"}), "DescribeOrganization response: MigrationAdmin: \"short\" is 5 characters long; the API allows 12 to 256"),
        (json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme", "State": "Active", "CompletedDate": -5}), "is not an epoch time"),
        (json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme", "State": 7}), "invalid type: integer `7`, expected a string"),
    ];
    for (document, expected) in cases {
        let err = serde_json::from_value::<Organization>(document).unwrap_err();
        assert!(
            err.to_string().starts_with(expected) || err.to_string().contains(expected),
            "{err}\nexpected: {expected}"
        );
    }
}

#[test]
fn the_response_error_names_operation_field_and_kind() {
    // Through the error type itself, not only its message.
    let raw = json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme", "State": "Active", "ErrorMessage": "e".repeat(300)});
    let err = serde_json::from_value::<Organization>(raw).unwrap_err();
    assert!(err.to_string().contains("ErrorMessage: \""), "{err}");
    assert!(
        err.to_string()
            .contains("is 300 characters long; the API allows 0 to 256"),
        "{err}"
    );
    assert!(
        matches!(err.to_string().as_str(), m if m.starts_with("DescribeOrganization response: "))
    );
}

#[test]
fn list_organizations_pages_read_and_write_back() {
    let request = ListOrganizationsRequest::first_page(100).unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"MaxResults": 100})
    );
    let next = request.next_page("token-2".parse().unwrap());
    assert_eq!(
        serde_json::to_value(&next).unwrap(),
        json!({"NextToken": "token-2", "MaxResults": 100})
    );
    assert!(ListOrganizationsRequest::first_page(101).is_err());
    assert!(serde_json::from_value::<ListOrganizationsRequest>(json!({"MaxResults": 0})).is_err());
    assert!(
        serde_json::from_value::<ListOrganizationsRequest>(json!({"MaxResults": 1000})).is_err()
    );
    assert_eq!(
        serde_json::from_value::<ListOrganizationsRequest>(
            json!({"NextToken": "t", "MaxResults": 5})
        )
        .unwrap(),
        ListOrganizationsRequest::first_page(5)
            .unwrap()
            .next_page("t".parse().unwrap())
    );

    let document = json!({
        "OrganizationSummaries": [
            {"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme", "DefaultMailDomain": "acme.com", "State": "Active"},
            {"OrganizationId": "m-fedcba9876543210fedcba9876543210", "Alias": "broken", "ErrorMessage": "directory unavailable", "State": "Failed"}
        ],
        "NextToken": "next"
    });
    let page: ListOrganizationsResponse = serde_json::from_value(document.clone()).unwrap();
    let states: Vec<Option<&OrganizationState>> = page
        .organization_summaries()
        .iter()
        .map(|s| s.state().known())
        .collect();
    assert_eq!(
        states,
        [
            Some(&OrganizationState::Active),
            Some(&OrganizationState::Failed)
        ]
    );
    assert_eq!(serde_json::to_value(&page).unwrap(), document);

    let empty: ListOrganizationsResponse = serde_json::from_value(json!({})).unwrap();
    assert!(empty.organization_summaries().is_empty() && empty.next_token().is_none());

    let err = serde_json::from_value::<ListOrganizationsResponse>(json!({
        "OrganizationSummaries": [
            {"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme", "State": "Active"},
            {"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme", "State": "Active", "DefaultMailDomain": "x".repeat(256)}
        ]
    }))
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("ListOrganizations response: OrganizationSummaries[1].DefaultMailDomain:"),
        "{err}"
    );

    let one: OrganizationSummary = serde_json::from_value(json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme", "State": "Creating"})).unwrap();
    assert_eq!(one.alias().as_str(), "acme");
}

#[test]
fn delete_organization_request_and_response() {
    let request = DeleteOrganizationRequest::new(
        "m-0123456789abcdef0123456789abcdef".parse().unwrap(),
        false,
    );
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "DeleteDirectory": false})
    );
    let full = request
        .clone()
        .with_force_delete(true)
        .with_delete_identity_center_application(true)
        .with_client_token("t-1".parse().unwrap());
    let value = serde_json::to_value(&full).unwrap();
    assert_eq!(
        value,
        json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "DeleteDirectory": false,
               "ClientToken": "t-1", "ForceDelete": true, "DeleteIdentityCenterApplication": true})
    );
    assert_eq!(
        serde_json::from_value::<DeleteOrganizationRequest>(value).unwrap(),
        full
    );
    assert!(serde_json::from_value::<DeleteOrganizationRequest>(
        json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef"})
    )
    .unwrap_err()
    .to_string()
    .contains("missing field `DeleteDirectory`"));

    let response: DeleteOrganizationResponse = serde_json::from_value(
        json!({"OrganizationId": "m-0123456789abcdef0123456789abcdef", "State": "Deleting"}),
    )
    .unwrap();
    assert_eq!(
        response.state().and_then(|s| s.known()),
        Some(&OrganizationState::Deleting)
    );
    let empty: DeleteOrganizationResponse = serde_json::from_value(json!({})).unwrap();
    assert!(empty.organization_id().is_none() && empty.state().is_none());
}

#[test]
fn exception_names_keep_unknown_ones_and_map_known_ones() {
    for code in AwsErrorCode::ALL {
        let exception: AwsException = code.exception_name().parse().unwrap();
        assert_eq!(exception.code(), Some(*code));
        assert_eq!(AwsException::from(*code), exception);
    }
    for unknown in [
        "OrganizationNotFoundException",
        "OrganizationStateException",
        "ThrottlingException",
    ] {
        let exception: AwsException = unknown.parse().unwrap();
        assert_eq!((exception.name(), exception.code()), (unknown, None));
        assert_eq!(serde_json::to_value(&exception).unwrap(), json!(unknown));
    }
    let qualified: AwsException = "com.amazonaws.workmail#DirectoryInUseException"
        .parse()
        .unwrap();
    assert_eq!(qualified.code(), Some(AwsErrorCode::DirectoryInUse));
    assert_eq!(
        qualified.as_str(),
        "com.amazonaws.workmail#DirectoryInUseException"
    );
    let err = "".parse::<AwsException>().unwrap_err();
    assert_eq!(err.rule(), Rule::ExceptionNameLength);
    let err = "E".repeat(1_000_000).parse::<AwsException>().unwrap_err();
    assert_eq!(err.rule(), Rule::ExceptionNameLength);
}

#[test]
fn the_organization_is_checked_against_its_spec() {
    let spec = spec(json!({
        "alias": "acme-corp", "region": "us-east-1",
        "directory": {"type": "existing", "directory_id": "d-1234567890", "directory_type": "ADConnector",
                      "alias": "acme-corp", "region": "us-east-1"},
        "interoperability": true
    }));
    let matching: Organization = serde_json::from_value(json!({
        "OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "ACME-corp", "State": "Active",
        "DirectoryId": "d-1234567890", "InteroperabilityEnabled": true
    }))
    .unwrap();
    assert_eq!(matching.check_against(&spec), Ok(()));

    // A field AWS did not report is unknown, not a mismatch.
    let silent: Organization = serde_json::from_value(json!({
        "OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme-corp", "State": "Active",
        "DirectoryId": "d-1234567890"
    }))
    .unwrap();
    assert_eq!(silent.check_against(&spec), Ok(()));
    let bare: Organization = serde_json::from_value(json!({
        "OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme-corp", "State": "Active"
    }))
    .unwrap();
    assert_eq!(bare.check_against(&spec), Ok(()));

    let other: Organization = serde_json::from_value(json!({
        "OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "globex", "State": "Active",
        "DirectoryId": "d-0987654321", "InteroperabilityEnabled": false
    }))
    .unwrap();
    let mismatches = other.check_against(&spec).unwrap_err();
    assert_eq!(mismatches.len(), 3);
    assert!(matches!(mismatches[0], Mismatch::Alias { .. }));
    assert_eq!(
        mismatches[1].to_string(),
        "directory: the spec has \"d-1234567890\" but AWS reports \"d-0987654321\""
    );
    assert_eq!(
        mismatches[2],
        Mismatch::Interoperability {
            spec: true,
            reported: false
        }
    );
}

#[test]
fn timestamps_keep_integers_and_the_wire_number() {
    let stamp = Timestamp::new(1_522_693_605, 468).unwrap();
    assert_eq!(stamp.to_string(), "1522693605.468");
    assert_eq!(serde_json::to_string(&stamp).unwrap(), "1522693605.468");
    assert_eq!(
        serde_json::to_string(&Timestamp::new(5, 0).unwrap()).unwrap(),
        "5"
    );
}

#[cfg(feature = "proptest")]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;
    use workmail_org::strategy;

    /// The API model's patterns and lengths for `CreateOrganization`, written out as botocore's
    /// `service-2.json` states them. The model's patterns are applied as full matches
    /// (`^…$`); `OrganizationName`'s `(?!d-)` lookahead is a separate check, as the `regex`
    /// crate has no lookaround.
    struct Model {
        alias: Regex,
        directory_id: Regex,
        client_token: Regex,
        domain_name: Regex,
        hosted_zone_id: Regex,
        kms_key_arn: Regex,
    }

    fn model() -> Model {
        let full = |pattern: &str| Regex::new(&format!("^(?:{pattern})$")).unwrap();
        Model {
            alias: full(r"([\da-zA-Z]+)([-][\da-zA-Z]+)*"),
            directory_id: full(r"d-[0-9a-f]{10}"),
            client_token: full(r"[\x21-\x7e]+"),
            domain_name: full(r"[a-zA-Z0-9.-]+"),
            hosted_zone_id: full(r"[^/\\]*"),
            kms_key_arn: full(
                r"arn:aws:kms:[a-z0-9-]*:[a-z0-9-]+:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}",
            ),
        }
    }

    fn len_in(value: &str, min: usize, max: usize) -> bool {
        (min..=max).contains(&value.chars().count())
    }

    /// Zones for every new Route 53 domain of a spec, as registration would assign them.
    fn zones_for(
        spec: &OrganizationSpec,
    ) -> BTreeMap<workmail_org::DomainName, workmail_org::HostedZoneId> {
        spec.domains()
            .iter()
            .enumerate()
            .filter_map(|(index, domain)| match domain {
                workmail_org::EmailDomain::NewRoute53 { name } => {
                    Some((name.clone(), format!("Z{index:08}NEW").parse().unwrap()))
                }
                _ => None,
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn every_emitted_field_satisfies_the_api_model(spec in strategy::organization_spec()) {
            let model = model();
            let call = CreateOrganization::with_hosted_zones(&spec, &zones_for(&spec)).unwrap();
            let body = serde_json::to_value(call.request()).unwrap();
            let object = body.as_object().unwrap();
            for key in object.keys() {
                prop_assert!(
                    ["Alias", "DirectoryId", "ClientToken", "Domains", "KmsKeyArn", "EnableInteroperability"]
                        .contains(&key.as_str()),
                    "unexpected field {}", key
                );
            }
            let alias = object["Alias"].as_str().unwrap();
            prop_assert!(len_in(alias, 1, 62) && model.alias.is_match(alias) && !alias.starts_with("d-"));
            if let Some(id) = object.get("DirectoryId") {
                let id = id.as_str().unwrap();
                prop_assert!(len_in(id, 12, 12) && model.directory_id.is_match(id));
            }
            if let Some(token) = object.get("ClientToken") {
                let token = token.as_str().unwrap();
                prop_assert!(len_in(token, 1, 128) && model.client_token.is_match(token));
            }
            if let Some(key) = object.get("KmsKeyArn") {
                let key = key.as_str().unwrap();
                prop_assert!(len_in(key, 20, 2048) && model.kms_key_arn.is_match(key));
            }
            if let Some(flag) = object.get("EnableInteroperability") {
                prop_assert_eq!(flag, &Value::Bool(true));
            }
            let domains = object.get("Domains").and_then(Value::as_array).cloned().unwrap_or_default();
            prop_assert!(domains.len() <= 5);
            // Every user domain of the spec is listed, in order; the test domain never is.
            let expected: Vec<&str> = spec.user_domains().map(|(_, name)| name.as_str()).collect();
            let listed: Vec<&str> = domains.iter().map(|d| d["DomainName"].as_str().unwrap()).collect();
            prop_assert_eq!(listed, expected);
            for domain in &domains {
                let name = domain["DomainName"].as_str().unwrap();
                prop_assert!(len_in(name, 3, 255) && model.domain_name.is_match(name));
                prop_assert!(!name.ends_with(".awsapps.com"));
                if let Some(zone) = domain.get("HostedZoneId") {
                    let zone = zone.as_str().unwrap();
                    prop_assert!(len_in(zone, 1, 32) && model.hosted_zone_id.is_match(zone));
                }
            }
            prop_assert_eq!(call.region(), spec.region());
        }

        #[test]
        fn what_describe_echoes_back_is_consistent_with_the_spec(
            spec in strategy::organization_spec(),
            id in strategy::organization_id(),
        ) {
            let call = CreateOrganization::with_hosted_zones(&spec, &zones_for(&spec)).unwrap();
            let request = call.request();
            // The fields DescribeOrganization reports for an organization created from it.
            let mut echoed = json!({
                "OrganizationId": id.as_str(),
                "Alias": request.alias().as_str(),
                "State": "Creating",
                "InteroperabilityEnabled": request.enable_interoperability(),
            });
            if let Some(directory) = request.directory_id() {
                echoed["DirectoryId"] = json!(directory.as_str());
            }
            let org: Organization = serde_json::from_value(echoed).unwrap();
            prop_assert_eq!(org.check_against(&spec), Ok(()));
            prop_assert_eq!(org.alias(), spec.alias());
        }
    }
}

#[cfg(feature = "aws-sdk")]
mod sdk {
    use super::*;
    use aws_sdk_workmail::operation::delete_organization::DeleteOrganizationOutput;
    use aws_sdk_workmail::operation::describe_organization::DescribeOrganizationOutput;
    use aws_sdk_workmail::operation::list_organizations::ListOrganizationsOutput;
    use aws_sdk_workmail::primitives::DateTime;

    #[test]
    fn a_spec_fills_the_sdk_input_field_for_field() {
        let spec = spec(json!({
            "alias": "acme-corp", "region": "us-east-1",
            "domains": [
                {"type": "existing_route53", "name": "acme.com", "hosted_zone_id": "Z0123456789ABCDEFGHIJ"},
                {"type": "external", "name": "acme.org"},
                {"type": "free_test"}
            ],
            "directory": {"type": "existing", "directory_id": "d-1234567890", "directory_type": "ADConnector",
                          "alias": "acme-corp", "region": "us-east-1"},
            "encryption": {"type": "customer_managed_key", "kms_key_arn": KEY},
            "interoperability": true,
            "client_token": "create-acme-1"
        }));
        let call = CreateOrganization::new(&spec).unwrap();
        let input = call.request().to_sdk_builder().unwrap().build().unwrap();
        assert_eq!(input.alias(), Some("acme-corp"));
        assert_eq!(input.directory_id(), Some("d-1234567890"));
        assert_eq!(input.client_token(), Some("create-acme-1"));
        assert_eq!(input.kms_key_arn(), Some(KEY));
        assert_eq!(input.enable_interoperability(), Some(true));
        let domains: Vec<(&str, Option<&str>)> = input
            .domains()
            .iter()
            .map(|d| (d.domain_name(), d.hosted_zone_id()))
            .collect();
        assert_eq!(
            domains,
            [
                ("acme.com", Some("Z0123456789ABCDEFGHIJ")),
                ("acme.org", None)
            ]
        );

        // The minimal spec sets nothing the SDK would send.
        let minimal = CreateOrganization::new(&super::spec(
            json!({"alias": "acme", "region": "us-east-1"}),
        ))
        .unwrap();
        let input = minimal.request().to_sdk_builder().unwrap().build().unwrap();
        assert_eq!(input.alias(), Some("acme"));
        assert!(input.directory_id().is_none() && input.client_token().is_none());
        assert!(input.domains().is_empty() && input.kms_key_arn().is_none());
        assert_eq!(input.enable_interoperability(), None);
    }

    #[test]
    fn sdk_outputs_become_the_same_snapshots_as_the_json() {
        let output = DescribeOrganizationOutput::builder()
            .organization_id("m-d281d0a2fd824be5b6cd3d3ce909fd27")
            .alias("alias")
            .state("Active")
            .directory_id("d-926726012c")
            .directory_type("VpcDirectory")
            .default_mail_domain("site.awsapps.com")
            .completed_date(DateTime::from_secs_and_nanos(1_522_693_605, 468_000_000))
            .arn("arn:aws:workmail:us-west-2:111122223333:organization/m-n1pq2345678r901st2u3vx45x6789yza")
            .build();
        let from_sdk = Organization::try_from(&output).unwrap();
        let mut from_json: Value = serde_json::from_str(CLI_DESCRIBE).unwrap();
        // The SDK reads an absent `InteroperabilityEnabled` as false.
        from_json["InteroperabilityEnabled"] = json!(false);
        let from_json: Organization = serde_json::from_value(from_json).unwrap();
        assert_eq!(from_sdk, from_json);

        let missing = DescribeOrganizationOutput::builder()
            .alias("acme")
            .state("Active")
            .build();
        assert_eq!(
            Organization::try_from(&missing).unwrap_err().to_string(),
            "DescribeOrganization response: OrganizationId: missing, but required"
        );

        let page = ListOrganizationsOutput::builder()
            .organization_summaries(
                aws_sdk_workmail::types::OrganizationSummary::builder()
                    .organization_id("m-0123456789abcdef0123456789abcdef")
                    .alias("acme")
                    .state("Suspended")
                    .build(),
            )
            .next_token("more")
            .build();
        let page = ListOrganizationsResponse::try_from(&page).unwrap();
        assert_eq!(
            page.organization_summaries()[0].state().as_str(),
            "Suspended"
        );
        assert_eq!(page.next_token().map(|t| t.as_str()), Some("more"));

        let deleted = DeleteOrganizationOutput::builder()
            .state("Deleting")
            .build();
        let deleted = DeleteOrganizationResponse::try_from(&deleted).unwrap();
        assert_eq!(
            deleted.state().and_then(|s| s.known()),
            Some(&OrganizationState::Deleting)
        );
    }

    #[test]
    fn a_get_mail_domain_output_becomes_the_same_response_as_the_json() {
        use aws_sdk_workmail::operation::get_mail_domain::GetMailDomainOutput;
        use aws_sdk_workmail::types::{DnsRecord, DnsRecordVerificationStatus};
        use workmail_org::aws::{GetMailDomainResponse, RecordType, VerificationStatus};

        // The JSON golden file with what AWS may add or vary, field for field.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/dns/responses/verified-aws-variations.json"
        );
        let json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let text = |value: &Value| value.as_str().map(str::to_owned);
        let records = json["Records"].as_array().unwrap().iter().map(|record| {
            DnsRecord::builder()
                .set_type(text(&record["Type"]))
                .set_hostname(text(&record["Hostname"]))
                .set_value(text(&record["Value"]))
                .build()
        });
        let output = GetMailDomainOutput::builder()
            .set_records(Some(records.collect()))
            .is_default(true)
            .ownership_verification_status(DnsRecordVerificationStatus::Verified)
            .dkim_verification_status(DnsRecordVerificationStatus::from("EXPIRED"))
            .build();
        let from_sdk = GetMailDomainResponse::try_from(&output).unwrap();
        let from_json: GetMailDomainResponse = serde_json::from_value(json).unwrap();
        assert_eq!(from_sdk, from_json);
        // What this crate does not know is kept, in AWS's spelling.
        let dkim = from_sdk.dkim_verification_status().unwrap();
        assert_eq!((dkim.known(), dkim.as_str()), (None, "EXPIRED"));
        assert_eq!(
            from_sdk.ownership_verification_status().unwrap(),
            &VerificationStatus::Verified
        );
        assert_eq!(from_sdk.records()[1].kind(), &RecordType::Mx);
        assert_eq!(from_sdk.records()[1].kind().as_str(), "mx");
        assert_eq!(from_sdk.records()[5].kind().as_str(), "HTTPS");

        // The same checks as the JSON reader, naming the same fields.
        let no_value = GetMailDomainOutput::builder()
            .records(
                DnsRecord::builder()
                    .r#type("TXT")
                    .hostname("a")
                    .value("b")
                    .build(),
            )
            .records(DnsRecord::builder().r#type("TXT").hostname("a").build())
            .build();
        let err = GetMailDomainResponse::try_from(&no_value).unwrap_err();
        assert_eq!(
            (err.operation(), err.field(), err.kind()),
            (
                "GetMailDomain",
                "Records[1].Value",
                &ResponseErrorKind::Missing
            )
        );
        assert_eq!(
            err.to_string(),
            "GetMailDomain response: Records[1].Value: missing, but required"
        );
        let record = DnsRecord::builder()
            .r#type("A")
            .hostname("a")
            .value("192.0.2.1")
            .build();
        let many = GetMailDomainOutput::builder()
            .set_records(Some(vec![record; 101]))
            .build();
        let err = GetMailDomainResponse::try_from(&many).unwrap_err();
        assert_eq!(
            (err.field(), err.kind()),
            (
                "Records",
                &ResponseErrorKind::TooMany {
                    max: 100,
                    actual: 101
                }
            )
        );
        let long = GetMailDomainOutput::builder()
            .ownership_verification_status(DnsRecordVerificationStatus::from(
                "X".repeat(257).as_str(),
            ))
            .build();
        let err = GetMailDomainResponse::try_from(&long).unwrap_err();
        assert_eq!(err.field(), "OwnershipVerificationStatus");
        assert!(matches!(
            err.kind(),
            ResponseErrorKind::Length {
                max: 256,
                actual: 257,
                ..
            }
        ));
    }

    #[test]
    fn requests_fill_the_delete_and_list_builders() {
        let delete = DeleteOrganizationRequest::new(
            "m-0123456789abcdef0123456789abcdef".parse().unwrap(),
            true,
        )
        .with_force_delete(true)
        .to_sdk_builder()
        .build()
        .unwrap();
        assert_eq!(
            delete.organization_id(),
            Some("m-0123456789abcdef0123456789abcdef")
        );
        assert_eq!(
            (delete.delete_directory(), delete.force_delete()),
            (Some(true), Some(true))
        );

        let list = ListOrganizationsRequest::first_page(7)
            .unwrap()
            .to_sdk_builder()
            .build()
            .unwrap();
        assert_eq!(list.max_results(), Some(7));
    }
}
