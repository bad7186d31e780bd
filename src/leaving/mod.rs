//! Leaving WorkMail: one guarded, resumable plan that moves an organization's mail to a new
//! provider, exports every mailbox, deletes the organization and removes WorkMail's DNS
//! records, as data.
//!
//! AWS ends WorkMail support on 2027-03-31. This module does no I/O: the caller reads the
//! organization, its users, resources, domains and DNS records, and gives them as
//! [`LeavingInputs`]; [`LeavingPlan`] lists the steps; [`Leaving`] (the plan and its
//! [`Progress`]) says what to send next and reads what AWS and the resolver answered.
//!
//! | order | step | call | done when |
//! | --- | --- | --- | --- |
//! | 1 | [`Action::Cutover`], per domain ([`Action::NoCutover`] for the test domain) | Route 53 `ChangeResourceRecordSets`, or zone-file lines | the change is applied |
//! | 2 | [`Action::WaitForCutover`], per domain | the caller's resolver | the MX answer is exactly the new provider's, then the old MX's TTL (or the caller's wait) has passed |
//! | 3 | [`Action::Export`], per mailbox ([`Action::Skip`] with a [`SkipReason`] for the others) | WorkMail `StartMailboxExportJob`, `DescribeMailboxExportJob` | every job `COMPLETED`, or its failures accepted by name |
//! | 4 | [`Action::Delete`] | WorkMail `DeleteOrganization`, `DescribeOrganization` | `State` is `Deleted` |
//! | 4 | [`Action::RecordDeleted`] | the caller's store | its entry says `Deleted` (or it has none, and the plan says so) |
//! | 5 | [`Action::Cleanup`], per domain ([`Action::NoCleanup`] when nothing is left) | Route 53 `ChangeResourceRecordSets`, or zone-file lines | the change is applied |
//!
//! The order keeps every message: mail that arrives before the cutover is in WorkMail and
//! gets exported; mail after it goes to the new provider. There is no `DeregisterMailDomain`
//! step: `DeleteOrganization` removes the domains with the organization.
//!
//! # The changes
//! - **Cutover:** the MX set at the domain becomes the new provider's (`UPSERT`); the
//!   `autodiscover` CNAME points at the new provider's target when one is given (`UPSERT`),
//!   and otherwise is removed when it is WorkMail's (`DELETE`, carrying the record set
//!   exactly as `ListResourceRecordSets` gave it, as Route 53 requires).
//! - **Clean-up:** each DKIM CNAME, the `_amazonses` ownership TXT, and the SPF and DMARC
//!   TXT values that still hold WorkMail's advised values (from `GetMailDomain`) are removed;
//!   a set that holds other values too keeps them (`UPSERT` of the rest). A value changed since
//!   is kept, and the step says so.
//! - For a zone file, the lines to remove are the given lines exactly, and the lines to add
//!   are absolute (`NAME. TTL IN TYPE DATA`).
//!
//! # Exports
//! One job per mailbox: a user or resource `ENABLED` or `DISABLED` that was ever enabled
//! (`EnabledDate`). `EntityId` is the entity's `Id`, never its name or email. The client
//! token is [`export_client_token`]`(organization, entity, attempt)`: a resent request names
//! the same job, and a retry after `FAILED` gets a new one. At most
//! [`Options::concurrency`] jobs run at once; `LimitExceededException` leaves the attempt
//! unsent and [`Leaving::start_exports`] offers it again later. A job that ends `FAILED` or
//! `CANCELLED` is retried up to [`Options::max_attempts`], then reported
//! ([`Leaving::failures`]). Every job id is kept in the progress, because
//! `ListMailboxExportJobs` forgets jobs after seven days.
//!
//! # Guards
//! Each refusal is a [`Refusal`] naming its rule:
//!
//! | rule | refuses |
//! | --- | --- |
//! | [`leaving.cutover_pending`](crate::Rule::LeavingCutoverPending) | an export (or the deletion) before every domain's new MX answers and its wait is over |
//! | [`leaving.exports_unfinished`](crate::Rule::LeavingExportsUnfinished) | the deletion before every job `COMPLETED`, unless each failure is accepted by name |
//! | [`leaving.not_deleted`](crate::Rule::LeavingNotDeleted) | the clean-up before the organization is `Deleted` |
//!
//! The plan itself refuses to delete a directory whose type it does not know
//! ([`leaving.directory_unknown`](crate::Rule::LeavingDirectoryUnknown)) unless the caller
//! insists with [`DirectoryFate::DeleteAnyType`].
//!
//! # Resuming
//! [`Leaving`] is the stored document: serde writes the plan (its inputs and steps) and the
//! progress, and reading re-validates both, as [`plan::Plan`](crate::plan::Plan) does. A
//! run records each attempt before sending it, so a run killed at any point and resumed
//! from the stored document resends the same tokens and never starts a mailbox twice.
//!
//! ```
//! use workmail_org::aws::{GetMailDomainResponse, Organization};
//! use workmail_org::dns::ObservedRecord;
//! use workmail_org::leaving::{
//!     Destination, DomainDns, DomainInput, Leaving, LeavingInputs, LeavingPlan, Next, Options,
//! };
//! use workmail_org::Region;
//!
//! let organization: Organization = serde_json::from_str(r#"{
//!     "OrganizationId": "m-0123456789abcdef0123456789abcdef", "Alias": "acme",
//!     "State": "Active", "DirectoryType": "VpcDirectory"}"#)?;
//! let domain: GetMailDomainResponse = serde_json::from_str(r#"{"Records": [
//!     {"Type": "TXT", "Hostname": "_amazonses.acme.example", "Value": "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU="},
//!     {"Type": "MX", "Hostname": "acme.example", "Value": "10 inbound-smtp.us-east-1.amazonaws.com"}
//! ], "IsTestDomain": false, "IsDefault": true}"#)?;
//! let records = DomainDns::zone_lines(
//!     "acme.example. 300 IN MX 10 inbound-smtp.us-east-1.amazonaws.com.\n\
//!      _amazonses.acme.example. 3600 IN TXT \"pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=\"",
//! )?;
//! let destination = Destination::new(
//!     "acme-exports".parse()?,
//!     "workmail/".parse()?,
//!     "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".parse()?,
//!     "arn:aws:iam::111122223333:role/workmail-export".parse()?,
//!     vec!["10 mx.new.example".parse()?],
//! )?;
//! let inputs = LeavingInputs::new(
//!     Region::UsEast1, organization, vec![], vec![],
//!     vec![DomainInput::new("acme.example".parse()?, domain, records)],
//!     destination, Options::default().with_cutover_wait(Some(0)),
//! );
//! let plan = LeavingPlan::new(inputs)?;
//! let kinds: Vec<&str> = plan.steps().iter().map(|s| s.name()).collect();
//! assert_eq!(kinds, ["cutover", "wait_for_cutover", "delete", "record_deleted", "cleanup"]);
//!
//! let mut leaving = Leaving::new(plan);
//! let acme = "acme.example".parse()?;
//! assert_eq!(leaving.next(0), Next::Cutover(vec![acme]));
//! let acme = "acme.example".parse()?;
//! // No export before the cutover holds.
//! let refusal = leaving.start_exports(0).unwrap_err();
//! assert_eq!(refusal.rule().id(), "leaving.cutover_pending");
//! leaving.record_cutover_applied(&acme)?;
//! let answer = [ObservedRecord::mx("acme.example.", 10, "mx.new.example.")];
//! assert!(leaving.record_mx_answers(&acme, &answer, 100)?);
//! assert_eq!(leaving.next(100), Next::Delete);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod mailbox;
mod plan;
mod progress;
mod records;

pub use error::{LeavingError, Refusal};
pub use mailbox::{export_client_token, MailboxKind, SkipReason};
pub use plan::{
    Action, Destination, DirectoryFate, DomainInput, LeavingInputs, LeavingPlan, Options,
    MAX_ATTEMPTS, MAX_CONCURRENCY, MAX_DOMAINS, MAX_ENTITIES, WORKMAIL_DIRECTORY_TYPE,
};
pub use progress::{ExportAttempt, Leaving, Next, Progress, MAX_ERROR_INFO_LEN};
pub use records::{DnsChange, DomainDns, NewMx, MAX_NEW_MX, MAX_RECORD_SETS, MAX_RECORD_TEXT_LEN};
