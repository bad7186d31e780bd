//! Spec JSON → `OrganizationDraft` → `validate()`.
//!
//! Asserts: no panic; a draft that reads survives JSON unchanged; a valid spec survives
//! JSON (serialize, deserialize, equal) and its own draft validates to the same spec; every
//! violation and advisory is one safe line whose code is its rule's.
//!
//! (The crate has no `CreateOrganization` request JSON yet; when it does, this target is
//! where a valid spec's request is built and checked.)

#![no_main]

use libfuzzer_sys::fuzz_target;
use workmail_org::{OrganizationDraft, OrganizationSpec};

#[allow(dead_code)] // this target only needs the line check
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(draft) = serde_json::from_slice::<OrganizationDraft>(data) else {
        return;
    };
    let json = serde_json::to_string(&draft).expect("a draft serializes");
    let back: OrganizationDraft = serde_json::from_str(&json).expect("a draft reads back");
    assert_eq!(back, draft, "{json}");

    match draft.validate() {
        Ok(spec) => {
            let json = serde_json::to_string(&spec).expect("a spec serializes");
            let back: OrganizationSpec = serde_json::from_str(&json)
                .unwrap_or_else(|violations| panic!("{json} does not read back: {violations}"));
            assert_eq!(back, spec, "{json}");
            assert_eq!(spec.to_draft().validate().as_ref(), Ok(&spec));
            for advisory in spec.advisories() {
                assert!(!advisory.path().is_empty());
                common::assert_one_line(advisory.message());
            }
        }
        Err(violations) => {
            assert!(!violations.is_empty());
            for violation in &violations {
                assert!(!violation.path().is_empty());
                assert_eq!(violation.code(), violation.rule().code());
                common::assert_one_line(violation.message());
            }
        }
    }
});
