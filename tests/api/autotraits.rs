//! Every public type can cross threads and be held across an `.await`, and the error types
//! are ordinary `std::error::Error`s (after semver's `tests/test_autotrait.rs`).

use std::panic::{RefUnwindSafe, UnwindSafe};

fn assert_send_sync<T: Send + Sync + Unpin + UnwindSafe + RefUnwindSafe>() {}

fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn public_types_are_send_sync_unpin() {
    assert_send_sync::<workmail_org::AccountId>();
    assert_send_sync::<workmail_org::AdvisoryKind>();
    assert_send_sync::<workmail_org::Advisory>();
    assert_send_sync::<workmail_org::AwsErrorCode>();
    assert_send_sync::<workmail_org::ClientToken>();
    assert_send_sync::<workmail_org::DirectoryId>();
    assert_send_sync::<workmail_org::DomainName>();
    assert_send_sync::<workmail_org::HostedZoneId>();
    assert_send_sync::<workmail_org::id::HyphenPlace>();
    assert_send_sync::<workmail_org::KmsKeyArn>();
    assert_send_sync::<workmail_org::OrganizationAlias>();
    assert_send_sync::<workmail_org::OrganizationArn>();
    assert_send_sync::<workmail_org::OrganizationId>();
    assert_send_sync::<workmail_org::ParseError>();
    assert_send_sync::<workmail_org::id::ParseErrorKind>();
    assert_send_sync::<workmail_org::Region>();
    assert_send_sync::<workmail_org::Reported<workmail_org::DomainName>>();
    assert_send_sync::<workmail_org::Rule>();
    assert_send_sync::<workmail_org::Violation>();
    assert_send_sync::<workmail_org::Violations>();
    assert_send_sync::<workmail_org::catalog::InMemoryAliasRegistry<String>>();
    assert_send_sync::<workmail_org::Catalog>();
    assert_send_sync::<workmail_org::catalog::AliasHolder>();
    assert_send_sync::<workmail_org::catalog::Reservation>();
}

#[test]
fn lifecycle_types_are_send_sync_unpin() {
    use workmail_org::lifecycle::{self, typestate};
    assert_send_sync::<lifecycle::DeletionRequest>();
    assert_send_sync::<lifecycle::Event>();
    assert_send_sync::<lifecycle::OrganizationState>();
    assert_send_sync::<lifecycle::Refused<lifecycle::Tracked<String>>>();
    assert_send_sync::<lifecycle::ReportedState>();
    assert_send_sync::<lifecycle::Tracked<String>>();
    assert_send_sync::<lifecycle::Transition>();
    assert_send_sync::<lifecycle::TransitionError>();
    assert_send_sync::<lifecycle::TransitionErrorKind>();
    assert_send_sync::<lifecycle::Typed<typestate::Requested, String>>();
    assert_send_sync::<lifecycle::Typed<typestate::Deleted, String>>();
}

#[test]
fn registry_errors_cross_threads() {
    fn assert_send_sync_only<T: Send + Sync>() {}
    assert_send_sync_only::<workmail_org::catalog::RegistryError<String>>();
    assert_error::<workmail_org::catalog::RegistryError<String>>();
    assert_send_sync_only::<workmail_org::catalog::AdmitError>();
    assert_error::<workmail_org::catalog::AdmitError>();
}

#[test]
fn error_types_are_std_errors() {
    assert_error::<workmail_org::ParseError>();
    assert_error::<workmail_org::Violations>();
    assert_error::<workmail_org::lifecycle::TransitionError>();
}
