//! The control API for tests: seed directories, users and resources, inject faults and
//! export failures, set the quota, list every export job.
//!
//! Every call is a JSON body (PascalCase members) to a path under `/_emulator/`, answered
//! `200 {}` (or the answer below) or an AWS-shaped error. It needs no `Authorization`.
//!
//! | call | body | effect |
//! | --- | --- | --- |
//! | `POST /_emulator/directories` | `{"DirectoryId", "DirectoryType", "Alias", "Region", "Stage"?, "AdditionalRegions"?}` | a directory `CreateOrganization` may name ([`SeededDirectory`]) |
//! | `POST /_emulator/faults` | `{"Kind", "Operation"?, "Count"?}` | a [`Fault`]: `FailNextCreation`, `Throttle`, `ServerErrorAfter` or `DropAfter`, for `Count` calls (1) of `Operation` (any) |
//! | `POST /_emulator/verification-failures` | `{"DomainName"}` | the domain's verification ends `FAILED` |
//! | `POST /_emulator/quota` | `{"Limit": n}` or `{"Limit": null}` | the account's organization quota (default 100) |
//! | `POST /_emulator/users` | `{"OrganizationId", "Name", "Email"?, "State"?, "UserRole"?, "Enabled"?}` | one user, answered `{"Id": ...}`; `"Enabled": false` is a user never enabled, with no mailbox (`State` defaults to `ENABLED`, or `DISABLED` when never enabled; `UserRole` to `USER`); at most 10,000 users and resources per organization, then `LimitExceededException` |
//! | `POST /_emulator/resources` | `{"OrganizationId", "Name", "Email"?, "State"?, "Type"?, "Enabled"?}` | one resource (`Type` `ROOM`, the default, or `EQUIPMENT`), answered `{"Id": "r-..."}` |
//! | `POST /_emulator/export-failures` | `{"OrganizationId", "EntityId"}` | the next export job of the entity (by id, name or email) ends `FAILED` |
//! | `GET /_emulator/export-jobs` | none | `{"Jobs": [{"JobId", "OrganizationId", "EntityId", "ClientToken", "State", "StartTime"}], "Truncated"}`: every job the endpoint started, those of deleted organizations too, at most 1,000 |
//! | `GET /_emulator/health` | none | `{"Status": "ok", "AccountId": ...}` |

use bytes::Bytes;
use http::{Method, Response};
use serde::{Deserialize, Serialize};
use workmail_org::DomainName;

use crate::emulator::Emulator;
use crate::entities::EntitySeed;
use crate::exports::ExportFailure;
use crate::members::read_body;
use crate::wire::{self, shown, ErrorName, Exception, Operation};
use workmail_org_stores::emulator::{EntityKind, Fault, SeededDirectory};

/// The body of `POST /_emulator/verification-failures`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct VerificationFailure {
    domain_name: String,
}

/// The body of `POST /_emulator/quota`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct QuotaBody {
    limit: Option<u64>,
}

/// The answer of `GET /_emulator/health`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Health<'a> {
    status: &'a str,
    account_id: &'a str,
}

impl Emulator {
    /// Answers a control call: `method`, the `path` after `/_emulator/`, and the body.
    pub async fn control(&self, method: &Method, path: &str, body: &[u8]) -> Response<Bytes> {
        self.control_call(method, path, body)
            .await
            .unwrap_or_else(Exception::into_response)
    }

    async fn control_call(
        &self,
        method: &Method,
        path: &str,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        // Control bodies are read like WorkMail's: the same limits and errors.
        let read = format!("/_emulator/{}", shown(path, 64));
        match (method, path) {
            (&Method::GET, "health") => Ok(wire::ok(&Health {
                status: "ok",
                account_id: self.config.account.as_str(),
            })),
            (&Method::POST, "directories") => {
                let directory: SeededDirectory = read_body(&read, body)?;
                self.state().seed_directory(&directory).await?;
                Ok(wire::ok_empty())
            }
            (&Method::POST, "faults") => {
                let fault: Fault = read_body(&read, body)?;
                if let Some(name) = &fault.operation {
                    if Operation::from_name(name).is_none() {
                        return Err(Exception::new(
                            ErrorName::InvalidParameter,
                            format!("Operation {name:?} is not one the emulator answers"),
                        ));
                    }
                }
                self.state().add_fault(&fault).await?;
                Ok(wire::ok_empty())
            }
            (&Method::POST, "verification-failures") => {
                let failure: VerificationFailure = read_body(&read, body)?;
                let domain = DomainName::parse(&failure.domain_name).map_err(|err| {
                    Exception::new(ErrorName::InvalidParameter, format!("DomainName: {err}"))
                })?;
                self.state().fail_verification(&domain).await?;
                Ok(wire::ok_empty())
            }
            (&Method::POST, "users") => {
                let seed: EntitySeed = read_body(&read, body)?;
                self.seed_entity(EntityKind::User, seed).await
            }
            (&Method::POST, "resources") => {
                let seed: EntitySeed = read_body(&read, body)?;
                self.seed_entity(EntityKind::Resource, seed).await
            }
            (&Method::POST, "export-failures") => {
                let failure: ExportFailure = read_body(&read, body)?;
                self.fail_next_export(failure).await
            }
            (&Method::GET, "export-jobs") => self.export_job_records().await,
            (&Method::POST, "quota") => {
                let quota: QuotaBody = read_body(&read, body)?;
                self.catalog.set_limit(quota.limit).await?;
                Ok(wire::ok_empty())
            }
            _ => Err(Exception::new(
                ErrorName::ResourceNotFound,
                format!("no control call {method} /_emulator/{}", shown(path, 64)),
            )),
        }
    }
}
