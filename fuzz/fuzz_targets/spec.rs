//! Spec JSON → `OrganizationDraft` → `validate()` → `CreateOrganization` request JSON.
//!
//! Asserts: no panic; a draft that reads survives JSON unchanged; reading the JSON straight
//! into an `OrganizationSpec` gives the same spec, or the same violations, as validating the
//! draft; a valid spec survives JSON (serialize, deserialize, equal) and its own draft
//! validates to the same spec; every violation and advisory is one safe line whose code is
//! its rule's; a valid spec's `CreateOrganization` request (with a hosted zone supplied for
//! each new Route 53 domain) survives JSON: written, read back, equal. The body reader
//! (`spec::read_json`) never panics, gives one short line for a body it cannot read, and agrees
//! with plain serde on a body plain serde reads as an object.

#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use workmail_org::aws::{CreateOrganization, CreateOrganizationRequest};
use workmail_org::spec::{read_json, ReadError};
use workmail_org::{EmailDomain, HostedZoneId, OrganizationDraft, OrganizationSpec};

#[allow(dead_code)] // this target only needs the line check
mod common;

fuzz_target!(|data: &[u8]| {
    let read = read_json(data);
    if let Err(err) = &read {
        if !matches!(err, ReadError::Invalid(_)) {
            common::assert_one_line(&err.to_string());
        }
    }
    let Ok(draft) = serde_json::from_slice::<OrganizationDraft>(data) else {
        return;
    };
    if data.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        match (&read, draft.validate()) {
            (Ok(read), Ok(spec)) => assert_eq!(read, &spec),
            (Err(ReadError::Invalid(read)), Err(violations)) => assert_eq!(read, &violations),
            (read, validated) => panic!("the body reader and serde disagree: {read:?} {validated:?}"),
        }
    }
    let json = serde_json::to_string(&draft).expect("a draft serializes");
    let back: OrganizationDraft = serde_json::from_str(&json).expect("a draft reads back");
    assert_eq!(back, draft, "{json}");

    let validated = draft.validate();
    match (serde_json::from_slice::<OrganizationSpec>(data), &validated) {
        (Ok(read), Ok(spec)) => assert_eq!(&read, spec),
        // serde_json adds where in the input the error was found.
        (Err(err), Err(violations)) => {
            assert!(err.to_string().starts_with(&violations.to_string()), "{err}")
        }
        (read, _) => panic!("reading a spec and validating its draft disagree: {read:?}"),
    }

    match validated {
        Ok(spec) => {
            check_request(&spec);
            let json = serde_json::to_string(&spec).expect("a spec serializes");
            let back: OrganizationSpec = serde_json::from_str(&json)
                .unwrap_or_else(|violations| panic!("{json} does not read back: {violations}"));
            assert_eq!(back, spec, "{json}");
            assert_eq!(spec.to_draft().validate().as_ref(), Ok(&spec));
            for advisory in spec.advisories() {
                assert!(!advisory.path().to_string().is_empty());
                common::assert_one_line(advisory.message());
            }
        }
        Err(violations) => {
            assert!(!violations.is_empty());
            for violation in &violations {
                assert!(!violation.path().to_string().is_empty());
                assert_eq!(violation.code(), violation.rule().code());
                common::assert_one_line(violation.message());
            }
        }
    }
});

/// Spec → `CreateOrganization` → request JSON → read back equal.
fn check_request(spec: &OrganizationSpec) {
    let zone: HostedZoneId = "Z0FUZZ0000000000000000".parse().expect("a zone id");
    let new_domains: BTreeMap<_, _> = spec
        .domains()
        .iter()
        .filter_map(|domain| match domain {
            EmailDomain::NewRoute53 { name } => Some((name.clone(), zone.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        CreateOrganization::new(spec).is_ok(),
        new_domains.is_empty(),
        "only a new Route 53 domain needs a zone supplied"
    );
    let call = CreateOrganization::with_hosted_zones(spec, &new_domains)
        .unwrap_or_else(|err| panic!("every new Route 53 domain has a zone: {err}"));
    assert_eq!(call.region(), spec.region());
    let json = serde_json::to_string(call.request()).expect("a request serializes");
    let back: CreateOrganizationRequest = serde_json::from_str(&json)
        .unwrap_or_else(|err| panic!("{json} does not read back: {err}"));
    assert_eq!(&back, call.request(), "{json}");
}
