//! Organization specs: what a user chooses when creating an organization, checked in one
//! pass that reports every violation at once.
//!
// The rest of these docs, with a row for each field of the JSON format and for each path, is
// `docs/spec.md`.
#![doc = include_str!("../../docs/spec.md")]

// First: the macros the readers of the tagged objects use.
mod raw;

mod advisories;
mod body;
mod cross_field;
mod directory;
mod email_domain;
mod encryption;
mod organization;

/// Also at the crate root, beside [`Violation`](crate::Violation): where a finding is.
pub use crate::report::FieldPath;
pub use crate::report::MAX_VIOLATIONS;
pub use body::{read_json, ReadError, MAX_BODY_BYTES};
pub use directory::{
    DirectoryChoice, DirectoryDraft, DirectoryKind, ExistingDirectory, ExistingDirectoryDraft,
};
pub use email_domain::{DomainDraft, EmailDomain, MAX_USER_DOMAINS};
pub use encryption::{EncryptionChoice, EncryptionDraft};
pub use organization::{OrganizationDraft, OrganizationSpec, OrganizationSpecBuilder};
