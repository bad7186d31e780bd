//! The control API for tests: seed directories, inject faults, set the quota.
//!
//! Every call is a JSON body (PascalCase members) to a path under `/_emulator/`, answered
//! `200 {}` or an AWS-shaped error. It needs no `Authorization`.
//!
//! | call | body | effect |
//! | --- | --- | --- |
//! | `POST /_emulator/directories` | `{"DirectoryId", "DirectoryType", "Alias", "Region", "Stage"?, "AdditionalRegions"?}` | a directory `CreateOrganization` may name ([`SeededDirectory`]) |
//! | `POST /_emulator/faults` | `{"Kind", "Operation"?, "Count"?}` | a [`Fault`]: `FailNextCreation`, `Throttle`, `ServerErrorAfter` or `DropAfter`, for `Count` calls (1) of `Operation` (any) |
//! | `POST /_emulator/verification-failures` | `{"DomainName"}` | the domain's verification ends `FAILED` |
//! | `POST /_emulator/quota` | `{"Limit": n}` or `{"Limit": null}` | the account's organization quota (default 100) |
//! | `GET /_emulator/health` | none | `{"Status": "ok", "AccountId": ...}` |

use serde::Deserialize;
use serde_json::json;
use workmail_org::DomainName;

use crate::emulator::{read_body, Emulator};
use crate::state::{Fault, SeededDirectory};
use crate::wire::{ErrorName, Exception, Operation, Reply};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RawDomain {
    domain_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RawQuota {
    limit: Option<u64>,
}

impl Emulator {
    /// Answers a control call: `method`, the `path` after `/_emulator/`, and the body.
    pub async fn control(&self, method: &str, path: &str, body: &[u8]) -> Reply {
        match self.control_call(method, path, body).await {
            Ok(reply) => reply,
            Err(exception) => exception.into_reply(),
        }
    }

    async fn control_call(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> Result<Reply, Exception> {
        // Control bodies are read like WorkMail's: the same limits and errors.
        let read = format!("/_emulator/{}", crate::emulator::shown(path, 64));
        match (method, path) {
            ("GET", "health") => Ok(Reply::ok(&json!({
                "Status": "ok",
                "AccountId": self.config.account.as_str(),
            }))),
            ("POST", "directories") => {
                let directory: SeededDirectory = read_body(&read, body)?;
                self.state().seed_directory(&directory).await?;
                Ok(Reply::ok(&json!({})))
            }
            ("POST", "faults") => {
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
                Ok(Reply::ok(&json!({})))
            }
            ("POST", "verification-failures") => {
                let raw: RawDomain = read_body(&read, body)?;
                let domain = DomainName::parse(&raw.domain_name).map_err(|err| {
                    Exception::new(ErrorName::InvalidParameter, format!("DomainName: {err}"))
                })?;
                self.state().fail_verification(&domain).await?;
                Ok(Reply::ok(&json!({})))
            }
            ("POST", "quota") => {
                let raw: RawQuota = read_body(&read, body)?;
                self.catalog.set_limit(raw.limit).await?;
                Ok(Reply::ok(&json!({})))
            }
            _ => Err(Exception::new(
                ErrorName::ResourceNotFound,
                format!(
                    "no control call {method} /_emulator/{}",
                    crate::emulator::shown(path, 64)
                ),
            )),
        }
    }
}
