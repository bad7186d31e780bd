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
    assert_send_sync::<workmail_org::EntityId>();
    assert_send_sync::<workmail_org::RoleArn>();
    assert_send_sync::<workmail_org::S3BucketName>();
    assert_send_sync::<workmail_org::S3Prefix>();
    assert_send_sync::<workmail_org::ExportJobId>();
    assert_send_sync::<workmail_org::ExportDescription>();
    assert_send_sync::<workmail_org::aws::StartMailboxExportJobRequest>();
    assert_send_sync::<workmail_org::aws::DescribeMailboxExportJobResponse>();
    assert_send_sync::<workmail_org::aws::ListMailboxExportJobsResponse>();
    assert_send_sync::<workmail_org::leaving::Leaving>();
    assert_send_sync::<workmail_org::leaving::LeavingPlan>();
    assert_send_sync::<workmail_org::leaving::LeavingInputs>();
    assert_send_sync::<workmail_org::leaving::Progress>();
    assert_send_sync::<workmail_org::leaving::Action>();
    assert_send_sync::<workmail_org::leaving::DnsChange>();
    assert_send_sync::<workmail_org::leaving::DomainDns>();
    assert_send_sync::<workmail_org::leaving::NewMx>();
    assert_send_sync::<workmail_org::leaving::Refusal>();
    assert_send_sync::<workmail_org::leaving::LeavingError>();
    assert_send_sync::<workmail_org::leaving::SkipReason>();
    assert_send_sync::<workmail_org::leaving::Next>();
    assert_send_sync::<workmail_org::aws::ListUsersResponse>();
    assert_send_sync::<workmail_org::aws::ListResourcesResponse>();
    assert_send_sync::<workmail_org::aws::ListMailDomainsResponse>();
}

#[test]
fn catalog_types_are_send_sync_unpin() {
    use std::sync::Arc;
    use workmail_org::catalog::{self, InMemoryStore};
    assert_send_sync::<workmail_org::Catalog>();
    assert_send_sync::<workmail_org::Catalog<&InMemoryStore>>();
    assert_send_sync::<workmail_org::Catalog<Arc<InMemoryStore>>>();
    assert_send_sync::<catalog::Admission>();
    assert_send_sync::<catalog::Entry>();
    assert_send_sync::<catalog::EntryId>();
    assert_send_sync::<catalog::store::Holder>();
    assert_send_sync::<catalog::Rejection>();
    assert_send_sync::<catalog::InMemoryStore>();
    assert_send_sync::<catalog::store::Listing>();
    assert_send_sync::<catalog::store::NewEntry<'static>>();
    assert_send_sync::<catalog::store::Quota>();
    assert_send_sync::<catalog::store::Taken>();
    assert_send_sync::<catalog::Release>();
    assert_send_sync::<catalog::store::Reservation>();
    assert_send_sync::<catalog::Stage>();
    assert_send_sync::<catalog::store::StoredEntry>();
    assert_send_sync::<catalog::UniquenessKey>();
    assert_send_sync::<catalog::UniquenessKeys>();
    assert_send_sync::<catalog::store::Written>();
    assert_send_sync::<workmail_org::aws::CreateOrganizationResponse>();
    assert_send_sync::<workmail_org::aws::CreateAnswer>();
    assert_send_sync::<workmail_org::aws::Attempt>();
    assert_send_sync::<workmail_org::aws::Effect>();
    // Any store crosses threads, and so does a catalog on it: checked for every `S: Store`
    // (a store is not object safe, so there is no `dyn Store` to check).
    fn assert_send_sync_only<T: Send + Sync>() {}
    #[allow(dead_code)]
    fn any_store<S: catalog::store::Store>() {
        assert_send_sync_only::<S>();
        assert_send_sync_only::<workmail_org::Catalog<S>>();
    }
    any_store::<InMemoryStore>();
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
    assert_send_sync::<typestate::Typed<typestate::Requested, String>>();
    assert_send_sync::<typestate::Typed<typestate::Deleted, String>>();
}

#[test]
fn catalog_errors_cross_threads() {
    use workmail_org::catalog;
    // A store error carries a boxed source, which need not be unwind-safe.
    fn assert_send_sync_only<T: Send + Sync>() {}
    assert_send_sync_only::<catalog::store::StoreError>();
    assert_error::<catalog::store::StoreError>();
    assert_send_sync_only::<catalog::AdmitError>();
    assert_error::<catalog::AdmitError>();
    assert_error::<catalog::Rejection>();
    assert_send_sync_only::<catalog::CatalogError>();
    assert_error::<catalog::CatalogError>();
    assert_send_sync::<catalog::RecordError>();
    assert_error::<catalog::RecordError>();
    assert_send_sync::<catalog::store::InvalidEntry>();
    assert_error::<catalog::store::InvalidEntry>();
}

#[test]
fn error_types_are_std_errors() {
    assert_error::<workmail_org::ParseError>();
    assert_error::<workmail_org::Violations>();
    assert_error::<workmail_org::lifecycle::TransitionError>();
    assert_error::<workmail_org::leaving::Refusal>();
    assert_error::<workmail_org::leaving::LeavingError>();
}
