//! The core, sans I/O: an [`http::Request`] in, an [`http::Response`] out, the store awaited;
//! no socket.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE as CONTENT_TYPE_HEADER};
use http::{Method, Request, Response};
use workmail_org::{AccountId, Catalog, Region};
use workmail_org_stores::emulator::EmulatorState;
use workmail_org_stores::AnyStore;

use crate::wire::{
    is_protocol_content_type, region_of_authorization, shown, DropConnection, ErrorName, Exception,
    Operation, Target, CONTENT_TYPE, MAX_BODY_BYTES, X_AMZ_TARGET,
};
use workmail_org_stores::emulator::FaultKind;

/// The account the ARNs name unless configured: the account id of AWS's documentation
/// examples.
pub const DEFAULT_ACCOUNT_ID: &str = "111122223333";

/// How an emulator plays AWS.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The account whose organizations these are (in ARNs, and the store's account).
    pub account: AccountId,
    /// After how many `DescribeOrganization` calls a new organization is `Active` (see
    /// [`crate`] docs for the states on the way).
    pub create_after_polls: u64,
    /// After how many `GetMailDomain` calls a domain's ownership is `VERIFIED`.
    pub verify_after_polls: u64,
    /// How many mailbox export jobs of one organization may run at once; one more is
    /// refused `LimitExceededException`.
    pub export_concurrency: u64,
    /// After how many polls (`DescribeMailboxExportJob`, or a `ListMailboxExportJobs` that
    /// lists it) an export job ends.
    pub export_after_polls: u64,
}

impl Config {
    /// The configuration for `account`, with the default poll counts (3, 2 and 3) and
    /// export concurrency (10).
    pub fn new(account: AccountId) -> Self {
        Config {
            account,
            create_after_polls: 3,
            verify_after_polls: 2,
            export_concurrency: 10,
            export_after_polls: 3,
        }
    }

    /// With `export_concurrency`.
    pub fn export_concurrency(mut self, jobs: u64) -> Self {
        self.export_concurrency = jobs;
        self
    }

    /// With `export_after_polls`.
    pub fn export_after_polls(mut self, polls: u64) -> Self {
        self.export_after_polls = polls;
        self
    }

    /// With `create_after_polls`.
    pub fn create_after_polls(mut self, polls: u64) -> Self {
        self.create_after_polls = polls;
        self
    }

    /// With `verify_after_polls`.
    pub fn verify_after_polls(mut self, polls: u64) -> Self {
        self.verify_after_polls = polls;
        self
    }
}

/// A WorkMail endpoint for organizations and mail domains, on one [`AnyStore`]: the
/// catalog keeps the organizations in it, and the emulator's own state
/// ([`AnyStore::emulator`]) the rest, on the same pool and in the same namespace. Every method
/// takes `&self`; share one emulator between tasks and threads (in an `Arc`).
///
/// The calls are `async`: they await the store, for the catalog and for the emulator's state
/// alike, so a call is awaited on any tokio runtime, a worker thread included, and nothing
/// runs on tokio's blocking threads but what the store itself puts there (SQLite's calls).
/// Without a tokio runtime (another executor) an emulator in memory still works: its store
/// answers in place; the SQL stores need tokio. Create and drop it anywhere.
pub struct Emulator {
    pub(crate) catalog: Catalog<Arc<AnyStore>>,
    pub(crate) config: Config,
    clock: fn() -> u64,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn system_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

impl Emulator {
    /// An emulator on `store` (an [`AnyStore`], or one in an `Arc` shared with others), its
    /// organizations and its own state. On a database, the store's tables and the emulator's
    /// must be there: [`open_database`](crate::open_database) makes both, else call
    /// `migrate()` and then `migrate_emulator()` on the store.
    pub fn new(config: Config, store: impl Into<Arc<AnyStore>>) -> Self {
        Emulator {
            catalog: Catalog::open(config.account.clone(), store.into()),
            config,
            clock: system_clock,
        }
    }

    /// An emulator whose store and state are in memory.
    pub fn in_memory(config: Config) -> Self {
        Emulator::new(config, AnyStore::memory())
    }

    /// The store: the catalog's organizations and the emulator's own state.
    pub fn store(&self) -> &Arc<AnyStore> {
        self.catalog.store()
    }

    /// With `clock` (epoch seconds) instead of the system's.
    pub fn with_clock(mut self, clock: fn() -> u64) -> Self {
        self.clock = clock;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub(crate) fn now(&self) -> u64 {
        (self.clock)()
    }

    /// The emulator's own state, on the store: each call awaited, one transaction of the
    /// store on a database.
    pub(crate) fn state(&self) -> EmulatorState<'_> {
        self.catalog.store().emulator()
    }

    /// Answers one HTTP request, the core of the endpoint, owning no socket: the control API
    /// under `/_emulator/`, else a WorkMail call, checked in the order AWS does: size,
    /// `Authorization`, `X-Amz-Target`, method and path, content type, then the body.
    ///
    /// An injected `DropAfter` fault answers a response that carries [`DropConnection`] in
    /// its extensions: the server closes the connection instead of sending it.
    pub async fn handle(&self, request: Request<Bytes>) -> Response<Bytes> {
        let (method, path, headers, body) = (
            request.method(),
            request.uri().path(),
            request.headers(),
            request.body(),
        );
        if let Some(path) = path.strip_prefix("/_emulator/") {
            return self.control(method, path, body).await;
        }
        if body.len() > MAX_BODY_BYTES {
            return Exception::too_large().into_response();
        }
        let Some(authorization) = headers.get(AUTHORIZATION) else {
            return Exception::new(
                ErrorName::MissingAuthenticationToken,
                "Missing Authentication Token: the request has no Authorization header",
            )
            .into_response();
        };
        let Some(target) = headers.get(X_AMZ_TARGET) else {
            return Exception::new(
                ErrorName::UnknownOperation,
                "the request has no X-Amz-Target header",
            )
            .into_response();
        };
        if method != Method::POST || path != "/" {
            return Exception::new(
                ErrorName::UnknownOperation,
                "WorkMail operations are POST /",
            )
            .into_response();
        }
        let content_type = headers.get(CONTENT_TYPE_HEADER);
        if !content_type.is_some_and(is_protocol_content_type) {
            let shown_type = content_type.map(|value| String::from_utf8_lossy(value.as_bytes()));
            return Exception::new(
                ErrorName::Serialization,
                format!(
                    "content type {:?} is not {CONTENT_TYPE}",
                    shown(shown_type.as_deref().unwrap_or(""), 64)
                ),
            )
            .into_response();
        }
        let region =
            match region_of_authorization(&String::from_utf8_lossy(authorization.as_bytes())) {
                Ok(region) => region,
                Err(exception) => return exception.into_response(),
            };
        self.call(&String::from_utf8_lossy(target.as_bytes()), region, body)
            .await
    }

    /// Answers one WorkMail call without its HTTP checks: the `X-Amz-Target` value, the
    /// Region of the credential scope, and the JSON body. Injected faults apply here:
    /// throttling before the call; after it, a 500 `InternalFailure` instead of the answer,
    /// or [`DropConnection`] on it.
    pub async fn call(&self, target: &str, region: Region, body: &[u8]) -> Response<Bytes> {
        let operation = match Target::parse(target) {
            Target::Emulated(operation) => operation,
            Target::NotEmulated(name) => {
                return Exception::new(
                    ErrorName::UnsupportedOperation,
                    format!(
                        "WorkMailService.{name} is a WorkMail operation this endpoint does not \
                         emulate; it emulates {}",
                        Operation::ALL
                            .iter()
                            .map(|op| op.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .into_response();
            }
            Target::Unknown => {
                return Exception::new(
                    ErrorName::UnknownOperation,
                    format!(
                        "{:?} is not an operation of WorkMailService",
                        shown(target, 128)
                    ),
                )
                .into_response();
            }
        };
        if body.len() > MAX_BODY_BYTES {
            return Exception::too_large().into_response();
        }
        match self
            .state()
            .take_fault(FaultKind::Throttle, operation.as_str())
            .await
        {
            Ok(false) => {}
            Ok(true) => {
                return Exception::new(ErrorName::Throttling, "Rate exceeded (injected fault)")
                    .into_response()
            }
            Err(err) => return Exception::from(err).into_response(),
        }
        let response = match self.dispatch(operation, region, body).await {
            Ok(response) => response,
            Err(exception) => exception.into_response(),
        };
        self.after_call(operation, response)
            .await
            .unwrap_or_else(Exception::into_response)
    }

    /// The faults injected after a performed call: a 500 instead of `response`, or
    /// `response` marked [`DropConnection`].
    async fn after_call(
        &self,
        operation: Operation,
        mut response: Response<Bytes>,
    ) -> Result<Response<Bytes>, Exception> {
        if self
            .state()
            .take_fault(FaultKind::ServerErrorAfter, operation.as_str())
            .await?
        {
            return Ok(Exception::new(
                ErrorName::InternalFailure,
                "injected fault: the call was performed, then this error answered",
            )
            .into_response());
        }
        if self
            .state()
            .take_fault(FaultKind::DropAfter, operation.as_str())
            .await?
        {
            response.extensions_mut().insert(DropConnection);
        }
        Ok(response)
    }

    async fn dispatch(
        &self,
        operation: Operation,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        match operation {
            Operation::CreateOrganization => self.create_organization(region, body).await,
            Operation::DescribeOrganization => self.describe_organization(region, body).await,
            Operation::ListOrganizations => self.list_organizations(region, body).await,
            Operation::DeleteOrganization => self.delete_organization(region, body).await,
            Operation::RegisterMailDomain => self.register_mail_domain(region, body).await,
            Operation::DeregisterMailDomain => self.deregister_mail_domain(region, body).await,
            Operation::GetMailDomain => self.get_mail_domain(region, body).await,
            Operation::ListMailDomains => self.list_mail_domains(region, body).await,
            Operation::UpdateDefaultMailDomain => {
                self.update_default_mail_domain(region, body).await
            }
            Operation::ListUsers => self.list_users(region, body).await,
            Operation::ListResources => self.list_resources(region, body).await,
            Operation::StartMailboxExportJob => self.start_mailbox_export_job(region, body).await,
            Operation::DescribeMailboxExportJob => {
                self.describe_mailbox_export_job(region, body).await
            }
            Operation::ListMailboxExportJobs => self.list_mailbox_export_jobs(region, body).await,
        }
    }
}
