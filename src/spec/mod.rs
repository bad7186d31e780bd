//! Organization specs: what a user chooses when creating an organization, checked in one
//! pass that reports every violation at once.
//!
// The rest of these docs, with a row for each field of the JSON format and for each path, is
// `docs/spec.md`.
#![doc = include_str!("../../docs/spec.md")]

// The shapes a spec takes, each for one reason:
// - `OrganizationDraft<S>` and its tagged objects (`DomainDraft<S>`, `DirectoryDraft<S>`,
//   `ExistingDirectoryDraft<S>`, `EncryptionDraft<S>`): the JSON format as text, never
//   rejected for a bad value; `S` is `String`, or `raw::Text` borrowed from a body.
// - `RawDomain<S>`, `RawDirectory<S>`, `RawEncryption<S>` (private, `raw_object!`): what
//   serde's derive reads a tagged object into, flat so every value keeps its JSON path, with
//   its `type` (`object_type!`: each type's name and the fields it allows).
// - `email_domain::DomainEntry` (private): an entry as far as it parsed, so a name whose
//   hosted zone failed still takes part in the rules between domains. Only a list with an
//   entry that failed is kept as entries; the rules read either list (`ListedDomain`).
// - `OrganizationSpec`, with `EmailDomain`, `DirectoryChoice`, `ExistingDirectory` and
//   `EncryptionChoice`: the choices, valid; a spec exists only if every rule holds.
// - `OrganizationSpecBuilder`: typed parts for Rust callers, checked by `build` through the
//   draft, the one way in.

// First: the macros the readers of the tagged objects use.
mod raw;

mod advisories;
mod body;
mod cross_field;
mod directory;
mod email_domain;
mod encryption;
mod organization;

pub use body::{read_json, ReadError, MAX_BODY_BYTES};
pub use directory::{
    DirectoryChoice, DirectoryDraft, DirectoryKind, ExistingDirectory, ExistingDirectoryDraft,
};
pub use email_domain::{DomainDraft, EmailDomain, MAX_USER_DOMAINS};
pub use encryption::{EncryptionChoice, EncryptionDraft};
pub use organization::{OrganizationDraft, OrganizationSpec, OrganizationSpecBuilder};

use crate::id::ParseError;
use crate::report::{FieldPath, Findings};

/// `findings.field(path, result)` with the common case here: a value that parsed is kept
/// without a call, and only a failure is handed to [`Findings`] (whose generic `field` is not
/// inlined into each reader).
#[inline(always)]
fn parsed<T>(findings: &mut Findings, path: FieldPath, result: Result<T, ParseError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        failed => findings.field(path, failed),
    }
}
