//! # workmail-org-emulator
//!
//! A local Amazon WorkMail endpoint for organizations, mail domains, users, resources and
//! mailbox exports, answering as the `workmail-org` model says AWS does. Point any AWS
//! client at it: the Rust SDK, the AWS CLI (`--endpoint-url http://127.0.0.1:PORT`), boto3.
//!
//! The core, [`Emulator`], owns no socket: an [`http::Request`] in, an [`http::Response`] out
//! ([`Emulator::handle`]), or, without the HTTP checks, an operation, a Region and a JSON body
//! ([`Emulator::call`]). Its calls are `async`: they await one store (the `workmail-org-stores` member's
//! [`AnyStore`], async and pooled), for the catalog's organizations and the emulator's own
//! state alike. [`server::serve`] puts it behind hyper on tokio; the same core
//! can sit behind the Rust SDK's pluggable HTTP client, in process, without a socket (the
//! tests do both).
//!
//! ```
//! use workmail_org::Region;
//! use workmail_org_emulator::{Config, Emulator};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::in_memory(Config::new("111122223333".parse()?).create_after_polls(1));
//! let created = emulator
//!     .call(
//!         "WorkMailService.CreateOrganization",
//!         Region::UsEast1,
//!         br#"{"Alias": "acme-corp", "ClientToken": "create-acme-1"}"#,
//!     )
//!     .await;
//! assert_eq!(created.status(), 200);
//! let id: serde_json::Value = serde_json::from_slice(created.body())?;
//! let describe = format!(r#"{{"OrganizationId": {}}}"#, id["OrganizationId"]);
//! let described = emulator
//!     .call("WorkMailService.DescribeOrganization", Region::UsEast1, describe.as_bytes())
//!     .await;
//! let organization: serde_json::Value = serde_json::from_slice(described.body())?;
//! assert_eq!(organization["State"], "Active");
//!
//! let taken = emulator
//!     .call("WorkMailService.CreateOrganization", Region::UsWest2, br#"{"Alias": "ACME-corp"}"#)
//!     .await;
//! let error: serde_json::Value = serde_json::from_slice(taken.body())?;
//! assert_eq!((taken.status().as_u16(), error["__type"].as_str()), (400, Some("NameAvailabilityException")));
//! # Ok(())
//! # }
//! ```
//!
//! # The protocol
//! WorkMail's JSON 1.1 protocol: `POST /`, `X-Amz-Target: WorkMailService.<Operation>`,
//! `Content-Type: application/x-amz-json-1.1`. Errors are HTTP 400 with
//! `{"__type": "<Name>Exception", "Message": "..."}` unless said otherwise.
//!
//! | request | answer |
//! | --- | --- |
//! | no `Authorization` | 403 `MissingAuthenticationTokenException` |
//! | an `Authorization` without a SigV4 credential scope for `workmail` | 403 `IncompleteSignatureException` |
//! | no `X-Amz-Target`, or one outside WorkMail | `UnknownOperationException` |
//! | a WorkMail operation not listed below | `UnsupportedOperationException`, naming it as not emulated |
//! | another content type; a body that is not the operation's JSON | `SerializationException` |
//! | a body over 1 MiB | 413 `RequestEntityTooLargeException` |
//! | a credential scope naming a Region without WorkMail | `InvalidParameterException` |
//! | a store failure | 500 `InternalFailure` |
//! | an injected `Throttle` fault | `ThrottlingException`, the call not performed |
//! | an injected `ServerErrorAfter` or `DropAfter` fault | the call performed, then 500 `InternalFailure` or a closed connection |
//!
//! **Signatures are not verified, and any credentials are accepted.** The Region is the one
//! the credential scope (`Credential=KEY/DATE/REGION/workmail/aws4_request`) names, and
//! organizations are regional, as in AWS: one made in `us-east-1` is not found in
//! `eu-west-1` (its alias and domains are still held everywhere).
//!
//! # Operations
//! - `CreateOrganization`: the request becomes a spec (a domain with a `HostedZoneId` is an
//!   existing Route 53 domain, one without is external; a `DirectoryId` must be a directory
//!   seeded through the [control API](control), else `DirectoryUnavailableException`), every
//!   rule of the crate that applies is checked, then the catalog admits it (alias, domains,
//!   directory, quota, client token). A response carries one `__type`, the first of
//!   `InvalidParameter`, `NameAvailability`, `DirectoryUnavailable`, `DirectoryInUse`,
//!   `MailDomainInUse`, `LimitExceeded` that any finding has, and its `Message` lists every
//!   finding (`path: message [rule id, code]`, paths as in the crate's spec). The same
//!   `ClientToken` with the same request answers the same organization id; with another
//!   request, `InvalidParameterException` (rule `client_token.reused`).
//! - `DescribeOrganization`: the *k*-th call reports `Active` from *k* = N on (N is
//!   `--create-after-polls`, 3 by default), and before that `Requested` at *k* = 1 and
//!   `Creating` after; `Failed` instead of `Active` when the creation was made to fail. A call after
//!   `DeleteOrganization` reports `Deleted`, which frees the alias and the domains.
//! - `ListOrganizations`: the organizations of the request's Region, `Deleted` ones too,
//!   paged (`MaxResults` 1 to 100).
//! - `DeleteOrganization`: the crate's deletion rule: the state must allow deletion, else
//!   `OrganizationStateException`; while enabled users remain, `ForceDelete` is needed, else
//!   `InvalidParameterException`. `DeleteDirectory` is required and either value is valid:
//!   `true` deletes a seeded directory (it is no longer seeded), `false` keeps it (free for
//!   another organization once this one is `Deleted`). Answers `Deleting`, then polls see
//!   `Deleted`; the organization's users and resources are deleted with it, its alias and
//!   domains freed once `Deleted`. `DeleteIdentityCenterApplication` is accepted and ignored.
//! - `RegisterMailDomain`, `DeregisterMailDomain`: the domain's key is added to or removed
//!   from the store (`MailDomainInUseException` when another organization holds it, or when
//!   deregistering the default domain). Deregistering a domain not held does nothing.
//! - `GetMailDomain`: the records the crate's `dns` module says WorkMail lists, with tokens
//!   the emulator generates once per domain; ownership and DKIM are `PENDING`, then
//!   `VERIFIED` from the N-th call on (N is `--verify-after-polls`, 2 by default), or
//!   `FAILED` when the control API said so. The test domain `ALIAS.awsapps.com` is
//!   `VERIFIED`, with only its routing records.
//! - `ListMailDomains`: the test domain and the registered ones, paged.
//! - `UpdateDefaultMailDomain`: needs a `VERIFIED` domain, else
//!   `MailDomainStateException`.
//!
//! - `ListUsers`, `ListResources`: the users and resources seeded through the
//!   [control API](control), by id, paged (`MaxResults` 1 to 100) with opaque `NextToken`s.
//!   `Filters` is ignored.
//! - `StartMailboxExportJob`: every member checked by the crate's types
//!   (`InvalidParameterException` naming the member and the rule id);
//!   `EntityNotFoundException` for an entity (by id, name or email) the organization does not
//!   have, or one without a mailbox (never enabled, or deleted). The same `ClientToken` with
//!   the same request answers the same `JobId`; with another request,
//!   `InvalidParameterException` (rule `client_token.reused`). Above
//!   `--export-concurrency` running jobs of the organization (10 by default),
//!   `LimitExceededException`.
//! - `DescribeMailboxExportJob`, `ListMailboxExportJobs`: each call polls the job (listing
//!   polls the running ones it lists): `RUNNING` with `EstimatedProgress` rising, then from
//!   the N-th poll (`--export-after-polls`, 3 by default) `COMPLETED`, or `FAILED` with an
//!   `ErrorInfo` after `POST /_emulator/export-failures` for its entity. An unknown job is
//!   `EntityNotFoundException`. `ListMailboxExportJobs` lists the jobs started in the last
//!   seven days by the endpoint's clock, paged.
//!
//! Mail-domain, entity and export operations need an `Active` organization
//! (`OrganizationStateException`).
//!
//! # What clients see
//! - `CreateOrganization` declares no `MailDomainInUseException` in the API model, so SDKs
//!   surface it as an unmodelled error: in the Rust SDK, `CreateOrganizationError::Unhandled`,
//!   with the code readable through `ProvideErrorMetadata::code()`.
//! - The Rust SDK's standard retry classifies `LimitExceededException` as throttling and
//!   retries it (three attempts by default) before returning it.
//! - The Rust SDK fills in a random `ClientToken` when none is set and sends the same one on
//!   each retry of a call, so a retried `CreateOrganization` gets the same organization.
//!
//! # State
//! One [`AnyStore`] of the `workmail-org-stores` member keeps everything, on one pool and in
//! one namespace: as the catalog's [`Store`](workmail_org::catalog::store::Store), the
//! organizations (their keys, the quota, client tokens and snapshots); as the emulator's
//! state ([`AnyStore::emulator`], an [`EmulatorState`]), poll counters, tokens, verification
//! failures, faults, seeded directories, seeded users and resources, and export jobs.
//! [`open_database`] opens it from one `--database-url` (through the stores member's
//! `DatabaseUrl`, its pool sized by
//! [`StoreOptions`], `--pool-size` on the command line) and makes its tables (`migrate`, then
//! `migrate_emulator`): in memory, in one SQLite file (state across restarts), or in one
//! PostgreSQL database that several emulator processes share.
//!
//! The emulator's state lives in the stores member (its feature `emulator`) rather than
//! here, so that one place owns every statement, migration, retry (`40001`, `40P01`), busy
//! timeout, pool and driver; the emulator shares its store's pool and namespace. Its calls
//! are awaited like the catalog's: no call of the core runs on tokio's blocking threads but
//! what the store itself puts there (SQLite's calls).
//!
//! # Features
//! - `sqlite` (default): `--database-url sqlite://FILE`: the stores member's `SqliteStore`,
//!   with SQLite compiled in.
//! - `postgres` (default): `--database-url postgres://...`: the stores member's
//!   `PostgresStore`, on tokio-postgres pooled by deadpool-postgres.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod control;
mod database;
mod emulator;
mod entities;
mod exports;
mod mail_domains;
mod members;
mod organizations;
pub mod server;
mod wire;

pub use database::{default_namespace, open_database, Database, DatabaseError, DEFAULT_NAMESPACE};
pub use emulator::{Config, Emulator, DEFAULT_ACCOUNT_ID};
pub use wire::{DropConnection, Operation, MAX_BODY_BYTES};
pub use workmail_org_stores::emulator::{EmulatorState, MemoryState};
pub use workmail_org_stores::{AnyStore, StoreOptions};
