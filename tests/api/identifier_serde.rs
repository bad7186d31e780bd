//! Serde: every identifier serializes as its canonical string, deserializing re-validates,
//! and a rejected string fails with the `ParseError`'s own message.

use std::collections::BTreeMap;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde::Deserialize;

use workmail_org::{
    AccountId, ClientToken, DirectoryId, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias,
    OrganizationArn, OrganizationId, Region,
};

use crate::util::{Identifier, Type};

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A valid input deserializes, from borrowed and owned JSON alike, to the value `parse`
/// gives, and serializes back as the canonical string.
#[track_caller]
fn round_trips<T: Identifier>(input: &str, canonical: &str) {
    let parsed: T = input.parse().unwrap();
    let from_str: T = serde_json::from_str(&json(input)).unwrap();
    assert_eq!(from_str, parsed);
    let from_value: T = serde_json::from_value(serde_json::Value::String(input.into())).unwrap();
    assert_eq!(from_value, parsed);
    assert_eq!(serde_json::to_string(&parsed).unwrap(), json(canonical));
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        serde_json::Value::String(canonical.into())
    );
    let again: T = serde_json::from_str(&serde_json::to_string(&parsed).unwrap()).unwrap();
    assert_eq!(again, parsed);
}

/// An invalid input fails to deserialize, and the serde error carries the `ParseError`
/// message.
#[track_caller]
fn fails_like_parse<T: Identifier>(input: &str) -> String {
    let expected = input.parse::<T>().unwrap_err().to_string();
    let err = serde_json::from_str::<T>(&json(input)).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains(&expected),
        "{message:?} does not contain {expected:?}"
    );
    assert!(err.is_data(), "{input:?} is a data error, not syntax");
    let err = serde_json::from_value::<T>(serde_json::Value::String(input.into())).unwrap_err();
    assert_eq!(err.to_string(), expected, "from_value adds no position");
    message
}

#[test]
fn valid_strings_round_trip() {
    round_trips::<OrganizationAlias>("Acme-Corp", "Acme-Corp");
    round_trips::<DomainName>("Mail.Bücher.example.", "mail.xn--bcher-kva.example");
    round_trips::<DomainName>("acme.com", "acme.com");
    round_trips::<HostedZoneId>("/hostedzone/Z0123456789ABCDEFGHIJ", "Z0123456789ABCDEFGHIJ");
    round_trips::<DirectoryId>(crate::util::DIRECTORY, crate::util::DIRECTORY);
    round_trips::<OrganizationId>(crate::util::ORGANIZATION_ID, crate::util::ORGANIZATION_ID);
    round_trips::<AccountId>("012345678901", "012345678901");
    round_trips::<ClientToken>("tok\"en\\1", "tok\"en\\1");
    round_trips::<Region>("us-west-2", "us-west-2");
    round_trips::<KmsKeyArn>(crate::util::KMS_KEY, crate::util::KMS_KEY);
    round_trips::<KmsKeyArn>(crate::util::KMS_MRK, crate::util::KMS_MRK);
    round_trips::<OrganizationArn>(crate::util::ORGANIZATION_ARN, crate::util::ORGANIZATION_ARN);
}

#[test]
fn json_escapes_are_decoded_before_validation() {
    let domain: DomainName = serde_json::from_str(r#""B\u00fccher.example""#).unwrap();
    assert_eq!(domain.as_str(), "xn--bcher-kva.example");
    let alias: OrganizationAlias = serde_json::from_str(r#""\u0041cme""#).unwrap();
    assert_eq!(alias.as_str(), "Acme");
}

#[test]
fn invalid_strings_fail_with_the_parse_error_message() {
    fails_like_parse::<OrganizationAlias>("d-acme");
    fails_like_parse::<OrganizationAlias>("abc-");
    fails_like_parse::<DomainName>("acme_corp.com");
    fails_like_parse::<DomainName>("xn--zz.example");
    fails_like_parse::<DomainName>(&crate::util::rep('a', 2000));
    fails_like_parse::<HostedZoneId>("/hostedzone/");
    fails_like_parse::<DirectoryId>("d-12345678AB");
    fails_like_parse::<OrganizationId>("m-0123");
    fails_like_parse::<AccountId>("1111-2222-3333");
    fails_like_parse::<ClientToken>("two words");
    fails_like_parse::<Region>("US-EAST-1");
    fails_like_parse::<KmsKeyArn>("arn:aws:kms:us-east-1:111122223333:alias/my-key");
    fails_like_parse::<OrganizationArn>("arn:aws:workmail:eu-central-1:1:organization/m-1");
}

#[test]
fn pinned_serde_messages() {
    assert_eq!(
        fails_like_parse::<OrganizationAlias>("acme_corp"),
        "organization alias \"acme_corp\": character '_' at position 4 is not allowed \
         (ASCII letters, digits and single hyphens only) at line 1 column 11"
    );
    // A control character arrives escaped in JSON and leaves escaped in the message.
    assert_eq!(
        fails_like_parse::<ClientToken>("a\u{7}b"),
        "client token \"a\\u{7}b\": character '\\u{7}' at position 1 is not allowed \
         (printable ASCII 0x21 to 0x7E only) at line 1 column 10"
    );
    assert_eq!(
        fails_like_parse::<Region>("eu-central-1"),
        "region \"eu-central-1\": is not supported (allowed: us-east-1, us-west-2, eu-west-1) \
         at line 1 column 14"
    );
}

#[test]
fn other_json_types_are_rejected_with_what_was_expected() {
    let cases: [(&str, &str); 4] = [
        (
            "5",
            "invalid type: integer `5`, expected a domain name string at line 1 column 1",
        ),
        (
            "null",
            "invalid type: null, expected a domain name string at line 1 column 4",
        ),
        (
            "[\"acme.com\"]",
            "invalid type: sequence, expected a domain name string at line 1 column 0",
        ),
        (
            "{}",
            "invalid type: map, expected a domain name string at line 1 column 0",
        ),
    ];
    for (input, expected) in cases {
        let err = serde_json::from_str::<DomainName>(input).unwrap_err();
        assert_eq!(err.to_string(), expected, "{input}");
    }
    let expecting = [
        (Type::Alias, "an organization alias string"),
        (Type::Domain, "a domain name string"),
        (Type::HostedZone, "a Route 53 hosted zone id"),
        (Type::Directory, "a directory id such as d-1234567890"),
        (
            Type::OrganizationId,
            "an organization id such as m-0123456789abcdef0123456789abcdef",
        ),
        (Type::Account, "a 12-digit AWS account id"),
        (Type::ClientToken, "a client token of printable ASCII"),
        (Type::Region, "a WorkMail Region code"),
        (Type::KmsKey, "a KMS key ARN"),
        (Type::OrganizationArn, "a WorkMail organization ARN"),
    ];
    for (ty, text) in expecting {
        let message = from_json(ty, "true").unwrap_err();
        assert_eq!(
            message,
            format!("invalid type: boolean `true`, expected {text} at line 1 column 4")
        );
    }
}

#[test]
fn inside_structs_and_as_map_keys() {
    #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
    struct Request {
        alias: OrganizationAlias,
        region: Region,
        domains: Vec<DomainName>,
        kms_key_arn: Option<KmsKeyArn>,
    }
    let request: Request = serde_json::from_str(
        r#"{"alias":"Acme","region":"eu-west-1","domains":["Bücher.example.","acme.com"],"kms_key_arn":null}"#,
    )
    .unwrap();
    assert_eq!(request.alias.as_str(), "Acme");
    assert_eq!(request.region, Region::EuWest1);
    assert_eq!(request.domains[0].as_str(), "xn--bcher-kva.example");
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"alias":"Acme","region":"eu-west-1","domains":["xn--bcher-kva.example","acme.com"],"kms_key_arn":null}"#
    );

    let err = serde_json::from_str::<Request>(
        r#"{"alias":"Acme","region":"eu-west-1","domains":["acme.com","bad_domain.com"],"kms_key_arn":null}"#,
    )
    .unwrap_err();
    assert!(err
        .to_string()
        .starts_with("domain name \"bad_domain.com\": character '_' at position 3 is not allowed"));

    let map: BTreeMap<DomainName, u32> =
        serde_json::from_str(r#"{"B.example": 2, "a.example.": 1}"#).unwrap();
    let keys: Vec<&str> = map.keys().map(DomainName::as_str).collect();
    assert_eq!(keys, ["a.example", "b.example"]);
    let err =
        serde_json::from_str::<BTreeMap<DomainName, u32>>(r#"{"a_b.example": 1}"#).unwrap_err();
    assert!(
        err.to_string().contains("domain name \"a_b.example\""),
        "{err}"
    );
}

/// Deserializes a JSON document as `ty`; on success, the value's canonical string.
fn from_json(ty: Type, document: &str) -> Result<String, String> {
    fn go<T: Identifier>(document: &str) -> Result<String, String> {
        serde_json::from_str::<T>(document)
            .map(|value| value.to_string())
            .map_err(|err| err.to_string())
    }
    match ty {
        Type::Alias => go::<OrganizationAlias>(document),
        Type::Domain => go::<DomainName>(document),
        Type::HostedZone => go::<HostedZoneId>(document),
        Type::Directory => go::<DirectoryId>(document),
        Type::OrganizationId => go::<OrganizationId>(document),
        Type::Account => go::<AccountId>(document),
        Type::ClientToken => go::<ClientToken>(document),
        Type::Region => go::<Region>(document),
        Type::KmsKey => go::<KmsKeyArn>(document),
        Type::OrganizationArn => go::<OrganizationArn>(document),
    }
}

/// Short strings, often close to a valid value of some type.
fn candidates() -> impl Strategy<Value = String> {
    let samples: Vec<String> = Type::ALL.iter().map(|ty| ty.sample().to_owned()).collect();
    prop_oneof![
        select(samples.clone()),
        (select(samples), any::<char>(), any::<prop::sample::Index>()).prop_map(
            |(sample, c, at)| {
                let mut chars: Vec<char> = sample.chars().collect();
                let i = at.index(chars.len());
                chars[i] = c;
                chars.into_iter().collect()
            }
        ),
        vec(any::<char>(), 0..40).prop_map(String::from_iter),
    ]
}

proptest! {
    /// Deserializing a JSON string agrees with `parse`: the same value, or an error that
    /// carries the same message.
    #[test]
    fn deserialize_agrees_with_parse(input in candidates()) {
        let document = json(&input);
        for ty in Type::ALL {
            match (ty.parse(&input), from_json(ty, &document)) {
                (Ok(parsed), Ok(deserialized)) => prop_assert_eq!(parsed, deserialized),
                (Err(err), Err(message)) => {
                    let expected = err.to_string();
                    prop_assert!(message.contains(&expected), "{:?} lacks {:?}", message, expected);
                }
                (parsed, deserialized) => {
                    prop_assert!(false, "{:?} {:?}: parse {:?}, serde {:?}", ty, input, parsed, deserialized);
                }
            }
        }
    }
}
