//! The core, without HTTP: a request's parts in, a [`Reply`] out, the catalog awaited.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use workmail_org::catalog::StoreError;
use workmail_org::{AccountId, Catalog, Region};
use workmail_org_stores::emulator::EmulatorState;
use workmail_org_stores::AnyStore;

use crate::state::FaultKind;
use crate::wire::{
    region_of_authorization, AfterCall, ErrorName, Exception, Operation, Reply, Target,
    CONTENT_TYPE, MAX_BODY_BYTES,
};

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
}

impl Config {
    /// The configuration for `account`, with the default poll counts: 3 and 2.
    pub fn new(account: AccountId) -> Self {
        Config {
            account,
            create_after_polls: 3,
            verify_after_polls: 2,
        }
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

/// An HTTP request as the core reads it: the parts that matter, borrowed.
#[derive(Clone, Copy, Debug, Default)]
pub struct HttpRequest<'a> {
    /// The method, e.g. `POST`.
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// `X-Amz-Target`.
    pub target: Option<&'a str>,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
    /// `Authorization`.
    pub authorization: Option<&'a str>,
    /// The body: at most [`MAX_BODY_BYTES`] are read.
    pub body: &'a [u8],
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

    /// Answers one HTTP request: the control API under `/_emulator/`, else a WorkMail call,
    /// checked in the order AWS does: size, `Authorization`, `X-Amz-Target`, content type,
    /// then the body.
    pub async fn handle_http(&self, request: &HttpRequest<'_>) -> Reply {
        if let Some(path) = request.path.strip_prefix("/_emulator/") {
            return self.control(request.method, path, request.body).await;
        }
        if request.body.len() > MAX_BODY_BYTES {
            return too_large().into();
        }
        let Some(authorization) = request.authorization else {
            return Exception::new(
                ErrorName::MissingAuthenticationToken,
                "Missing Authentication Token: the request has no Authorization header",
            )
            .into();
        };
        let Some(target) = request.target else {
            return Exception::new(
                ErrorName::UnknownOperation,
                "the request has no X-Amz-Target header",
            )
            .into();
        };
        if request.method != "POST" || request.path != "/" {
            return Exception::new(
                ErrorName::UnknownOperation,
                "WorkMail operations are POST /",
            )
            .into();
        }
        let content_type = request.content_type.unwrap_or("");
        let media_type = content_type.split(';').next().unwrap_or("").trim();
        if !media_type.eq_ignore_ascii_case(CONTENT_TYPE) {
            return Exception::new(
                ErrorName::Serialization,
                format!(
                    "content type {:?} is not {CONTENT_TYPE}",
                    shown(content_type, 64)
                ),
            )
            .into();
        }
        let region = match region_of_authorization(authorization) {
            Ok(region) => region,
            Err(exception) => return exception.into(),
        };
        self.handle(target, region, request.body).await
    }

    /// Answers one WorkMail call: the `X-Amz-Target` value, the Region of the credential
    /// scope, and the JSON body. Injected faults apply here: throttling before the call, a
    /// 500 or a dropped connection after it (in [`Reply::after`]).
    pub async fn handle(&self, target: &str, region: Region, body: &[u8]) -> Reply {
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
                .into();
            }
            Target::Unknown => {
                return Exception::new(
                    ErrorName::UnknownOperation,
                    format!(
                        "{:?} is not an operation of WorkMailService",
                        shown(target, 128)
                    ),
                )
                .into();
            }
        };
        if body.len() > MAX_BODY_BYTES {
            return too_large().into();
        }
        match self
            .state()
            .take_fault(FaultKind::Throttle, operation.as_str())
            .await
        {
            Ok(false) => {}
            Ok(true) => {
                return Exception::new(ErrorName::Throttling, "Rate exceeded (injected fault)")
                    .into()
            }
            Err(err) => return internal(err).into(),
        }
        let mut reply = match self.call(operation, region, body).await {
            Ok(reply) => reply,
            Err(exception) => exception.into_reply(),
        };
        reply.after = match self.after_call(operation).await {
            Ok(after) => after,
            Err(exception) => return exception.into_reply(),
        };
        reply
    }

    async fn after_call(&self, operation: Operation) -> Result<Option<AfterCall>, Exception> {
        if self
            .state()
            .take_fault(FaultKind::ServerErrorAfter, operation.as_str())
            .await?
        {
            return Ok(Some(AfterCall::ServerError));
        }
        if self
            .state()
            .take_fault(FaultKind::DropAfter, operation.as_str())
            .await?
        {
            return Ok(Some(AfterCall::Drop));
        }
        Ok(None)
    }

    async fn call(
        &self,
        operation: Operation,
        region: Region,
        body: &[u8],
    ) -> Result<Reply, Exception> {
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
        }
    }
}

fn too_large() -> Exception {
    Exception::new(
        ErrorName::RequestEntityTooLarge,
        format!("the request body is over {MAX_BODY_BYTES} bytes"),
    )
}

/// At most `max` characters of `text`, for a message.
pub(crate) fn shown(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(cut, _)| &text[..cut])
}

/// Reads a request body: a JSON object, unknown members ignored (newer clients send members
/// this version does not know); an empty body is `{}`.
pub(crate) fn read_body<T: DeserializeOwned>(
    what: impl std::fmt::Display,
    body: &[u8],
) -> Result<T, Exception> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    if let Some(depth) = too_deep(body) {
        return Err(Exception::new(
            ErrorName::Serialization,
            format!("{what} request body: nested deeper than {depth} levels"),
        ));
    }
    serde_json::from_slice(body).map_err(|err| {
        Exception::new(
            ErrorName::Serialization,
            format!("{what} request body: {err}"),
        )
    })
}

/// How deep a request body may nest: WorkMail's shapes need 3 levels; serde_json skips
/// unknown members without a depth limit, so the limit is checked before parsing.
const MAX_DEPTH: usize = 32;

/// `Some(MAX_DEPTH)` when `body` nests arrays and objects deeper than it, outside strings.
fn too_deep(body: &[u8]) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in body {
        match (in_string, byte) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') | (false, b'"') => in_string = !in_string,
            (false, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(MAX_DEPTH);
                }
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A required member, or `InvalidParameterException` naming it.
pub(crate) fn required<T>(value: Option<T>, member: &str) -> Result<T, Exception> {
    value.ok_or_else(|| {
        Exception::new(
            ErrorName::InvalidParameter,
            format!("{member}: missing, but required"),
        )
    })
}

/// `MaxResults` within 1 to 100 (absent: 100).
pub(crate) fn max_results(value: Option<i64>) -> Result<usize, Exception> {
    match value {
        None => Ok(100),
        Some(n @ 1..=100) => Ok(n as usize),
        Some(n) => Err(Exception::new(
            ErrorName::InvalidParameter,
            format!("MaxResults: {n} is not within 1 to 100"),
        )),
    }
}

pub(crate) fn internal(err: impl std::fmt::Display) -> Exception {
    Exception::new(ErrorName::InternalFailure, err.to_string())
}

impl From<StoreError> for Exception {
    fn from(err: StoreError) -> Self {
        internal(err)
    }
}
