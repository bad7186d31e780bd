//! The example drafts, specs and parts the spec and catalog tests share, written once.
//!
//! Each test file uses a different subset, so unused fixtures are expected.

use serde_json::Value;
use workmail_org::{
    spec::DirectoryDraft, spec::DirectoryKind, spec::DomainDraft, spec::EncryptionDraft,
    spec::ExistingDirectory, spec::ExistingDirectoryDraft, spec::OrganizationSpecBuilder,
    DomainName, KmsKeyArn, OrganizationDraft, OrganizationSpec, Region, Rule, Violations,
};

/// The full example of the `spec` module docs, as shipped in `examples/specs/valid-full.json`.
pub const FULL_JSON: &str = include_str!("../../examples/specs/valid-full.json");

/// [`FULL_JSON`] as a JSON value.
pub fn full_json() -> Value {
    serde_json::from_str(FULL_JSON).expect("the full example is JSON")
}

/// The key id of every KMS key in these tests.
pub const KEY_ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";

/// The ARN of the tests' KMS key in `region` (any text, to break the ARN too).
pub fn key_arn(region: impl std::fmt::Display) -> String {
    format!("arn:aws:kms:{region}:111122223333:key/{KEY_ID}")
}

/// The tests' KMS key in `region`.
#[track_caller]
pub fn key(region: Region) -> KmsKeyArn {
    key_arn(region).parse().expect("a valid key")
}

/// The id of every existing directory in these tests.
pub const DIRECTORY_ID: &str = "d-1234567890";

#[track_caller]
pub fn domain(name: &str) -> DomainName {
    name.parse().expect("a valid domain")
}

pub fn external(name: &str) -> DomainDraft {
    DomainDraft::External { name: name.into() }
}

/// What Directory Service reports about [`DIRECTORY_ID`]: single-Region and `Active`.
pub fn directory_report(directory_type: &str, alias: &str, region: &str) -> ExistingDirectoryDraft {
    ExistingDirectoryDraft {
        directory_id: DIRECTORY_ID.into(),
        directory_type: directory_type.into(),
        alias: alias.into(),
        region: region.into(),
        ..ExistingDirectoryDraft::default()
    }
}

/// An AD Connector for the organization `acme-corp` in `us-east-1`.
pub fn ad_connector() -> DirectoryDraft {
    DirectoryDraft::Existing(directory_report("ADConnector", "acme-corp", "us-east-1"))
}

/// [`DIRECTORY_ID`] as a typed existing directory.
#[track_caller]
pub fn existing_directory(kind: DirectoryKind, alias: &str, region: Region) -> ExistingDirectory {
    ExistingDirectory::new(
        DIRECTORY_ID.parse().expect("a valid id"),
        kind,
        alias,
        region,
    )
}

/// A valid draft that uses every field (two user domains, a default, an AD Connector, a
/// customer managed key, interoperability, a client token), so that each rule case can
/// break exactly one rule.
pub fn base_draft() -> OrganizationDraft {
    OrganizationDraft {
        alias: "acme-corp".into(),
        region: "us-east-1".into(),
        domains: vec![
            DomainDraft::ExistingRoute53 {
                name: "acme.com".into(),
                hosted_zone_id: "Z0123456789ABCDEFGHIJ".into(),
            },
            external("acme.org"),
        ],
        default_domain: Some("acme.com".into()),
        directory: ad_connector(),
        encryption: EncryptionDraft::CustomerManagedKey {
            kms_key_arn: key_arn(Region::UsEast1),
        },
        interoperability: true,
        client_token: Some("create-acme-1".into()),
    }
}

/// The draft's existing directory; an AD Connector of the draft's alias and Region is chosen
/// first when the draft has a new WorkMail directory.
pub fn existing(draft: &mut OrganizationDraft) -> &mut ExistingDirectoryDraft {
    if !matches!(draft.directory, DirectoryDraft::Existing(_)) {
        let report = directory_report("ADConnector", &draft.alias, &draft.region);
        draft.directory = DirectoryDraft::Existing(report);
    }
    match &mut draft.directory {
        DirectoryDraft::Existing(existing) => existing,
        other => unreachable!("an existing directory was just chosen, found {other:?}"),
    }
}

/// A builder for `acme-corp` in `us-east-1`.
#[track_caller]
pub fn builder() -> OrganizationSpecBuilder {
    OrganizationSpec::builder("acme-corp".parse().expect("valid"), Region::UsEast1)
}

/// The violations of a draft that must not validate.
#[track_caller]
pub fn violations_of(draft: &OrganizationDraft) -> Violations {
    match draft.validate() {
        Ok(spec) => panic!("expected violations, got a valid spec: {spec:?}"),
        Err(violations) => violations,
    }
}

/// Each violation's path, as displayed, and rule, in order.
pub fn found(violations: &Violations) -> Vec<(String, Rule)> {
    violations
        .iter()
        .map(|v| (v.path().to_string(), v.rule()))
        .collect()
}

/// Expected `(path, rule)` pairs, to compare with [`found`].
pub fn pairs(expected: &[(&str, Rule)]) -> Vec<(String, Rule)> {
    expected
        .iter()
        .map(|(path, rule)| ((*path).to_owned(), *rule))
        .collect()
}

/// The choices a spec writes in the JSON format: each domain's `type`, the directory's
/// (`new_workmail_directory`, or an existing directory's Directory Service type) and the
/// encryption's.
pub fn choices_of(spec: &OrganizationSpec) -> (Vec<String>, String, String) {
    let json = serde_json::to_value(spec).expect("a spec serializes");
    let text = |value: &Value| value.as_str().expect("a string").to_owned();
    let domains = json["domains"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|domain| text(&domain["type"]))
        .collect();
    let directory = &json["directory"];
    let directory = match directory["type"].as_str() {
        Some("existing") => text(&directory["directory_type"]),
        _ => text(&directory["type"]),
    };
    (domains, directory, text(&json["encryption"]["type"]))
}
