//! What the tests share: an emulator on a loopback port, plain-HTTP and in-process HTTP
//! clients for the Rust SDK, and a raw HTTP call.

#![allow(dead_code)] // Each test file uses its own part of this module.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;

use aws_sdk_workmail::config::retry::RetryConfig;
use aws_sdk_workmail::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use workmail_org_emulator::{server, Config, DropConnection, Emulator};

/// The account of the tests' emulators.
pub const ACCOUNT: &str = "111122223333";

/// A config with the tests' account.
pub fn config() -> Config {
    Config::new(ACCOUNT.parse().expect("a valid account id"))
}

/// Serves `emulator` on a free loopback port, on the current tokio runtime.
pub async fn serve(emulator: Emulator) -> (SocketAddr, Arc<Emulator>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("a bound address");
    let emulator = Arc::new(emulator);
    tokio::spawn(server::serve(listener, emulator.clone()));
    (addr, emulator)
}

/// Plain HTTP/1.1 to loopback through hyper: one connection per request, no TLS.
#[derive(Clone, Debug)]
pub struct Loopback;

fn io_error(err: impl std::error::Error + Send + Sync + 'static) -> ConnectorError {
    ConnectorError::io(Box::new(err))
}

impl HttpConnector for Loopback {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        HttpConnectorFuture::new(async move {
            let uri: hyper::Uri = request.uri().parse().map_err(io_error)?;
            let authority = uri
                .authority()
                .map(|a| a.to_string())
                .ok_or_else(|| ConnectorError::user("no authority in the endpoint".into()))?;
            let mut builder = hyper::Request::builder()
                .method(request.method())
                .uri(uri.path_and_query().map_or("/", |p| p.as_str()));
            for (name, value) in request.headers() {
                builder = builder.header(name, value);
            }
            if !request.headers().contains_key("host") {
                builder = builder.header("host", authority.as_str());
            }
            let body = request.body().bytes().unwrap_or_default().to_vec();
            let outgoing = builder
                .body(Full::new(Bytes::from(body)))
                .map_err(io_error)?;
            let stream = tokio::net::TcpStream::connect(authority.as_str())
                .await
                .map_err(io_error)?;
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream))
                    .await
                    .map_err(io_error)?;
            tokio::spawn(connection);
            let response = sender.send_request(outgoing).await.map_err(io_error)?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(io_error)?
                .to_bytes();
            let mut answer = HttpResponse::new(
                StatusCode::try_from(status).map_err(|e| ConnectorError::other(e.into(), None))?,
                SdkBody::from(body),
            );
            for (name, value) in &headers {
                if let Ok(value) = value.to_str() {
                    answer
                        .headers_mut()
                        .insert(name.as_str().to_owned(), value.to_owned());
                }
            }
            Ok(answer)
        })
    }
}

impl HttpClient for Loopback {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

/// An HTTP client that counts the requests it sends through another.
#[derive(Clone, Debug)]
pub struct Counted<C> {
    /// The client that sends them.
    pub inner: C,
    /// How many were sent.
    pub sent: Arc<std::sync::atomic::AtomicUsize>,
}

impl<C: HttpConnector + Clone + 'static> HttpConnector for Counted<C> {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        self.sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.call(request)
    }
}

impl<C: HttpConnector + Clone + 'static> HttpClient for Counted<C> {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

/// The emulator's core behind the SDK's HTTP client seam: no socket at all.
#[derive(Clone, Debug)]
pub struct InProcess(pub Arc<Emulator>);

impl HttpConnector for InProcess {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let emulator = self.0.clone();
        HttpConnectorFuture::new(async move {
            let mut builder = http::Request::builder()
                .method(request.method())
                .uri(request.uri());
            for (name, value) in request.headers() {
                builder = builder.header(name, value);
            }
            let body = Bytes::copy_from_slice(request.body().bytes().unwrap_or_default());
            let request = builder.body(body).map_err(io_error)?;
            let response = emulator.handle(request).await;
            if response.extensions().get::<DropConnection>().is_some() {
                return Err(ConnectorError::io("connection dropped (injected)".into()));
            }
            let (parts, body) = response.into_parts();
            let mut answer = HttpResponse::new(
                StatusCode::try_from(parts.status.as_u16())
                    .map_err(|e| ConnectorError::other(e.into(), None))?,
                SdkBody::from(body),
            );
            for (name, value) in &parts.headers {
                if let Ok(value) = value.to_str() {
                    answer
                        .headers_mut()
                        .insert(name.as_str().to_owned(), value.to_owned());
                }
            }
            Ok(answer)
        })
    }
}

impl HttpClient for InProcess {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

/// An SDK client of `region` whose HTTP goes through `http`.
pub fn client(
    http: impl HttpClient + 'static,
    endpoint: &str,
    region: &str,
) -> aws_sdk_workmail::Client {
    let config = aws_sdk_workmail::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .credentials_provider(Credentials::new(
            "AKIDEMULATOR",
            "secret",
            None,
            None,
            "tests",
        ))
        .endpoint_url(endpoint)
        // The SDK's standard retry, with short pauses so the tests stay fast.
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(std::time::Duration::from_millis(5)),
        )
        .http_client(http)
        .build();
    aws_sdk_workmail::Client::from_conf(config)
}

/// An SDK client talking plain HTTP to the emulator at `addr`.
pub fn loopback_client(addr: SocketAddr, region: &str) -> aws_sdk_workmail::Client {
    client(Loopback, &format!("http://{addr}"), region)
}

/// A raw HTTP exchange: the status and the body of the answer, or the error if the
/// connection broke.
pub async fn raw(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<(u16, serde_json::Value), hyper::Error> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the emulator");
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let mut builder = hyper::Request::builder()
        .method("POST")
        .uri(path)
        .header("host", addr.to_string());
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder
        .body(Full::new(Bytes::from(body)))
        .expect("a valid request");
    let response = sender.send_request(request).await?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await?.to_bytes();
    let json = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    Ok((status, json))
}

/// A SigV4-shaped `Authorization` header for `region` (never verified).
pub fn authorization(region: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20260101/{region}/workmail/aws4_request, \
         SignedHeaders=host;x-amz-date, Signature=0000"
    )
}

/// The headers of a well-formed WorkMail call of `operation` in us-east-1.
pub fn call_headers(operation: &str, auth: &str) -> Vec<(&'static str, String)> {
    vec![
        ("x-amz-target", format!("WorkMailService.{operation}")),
        ("content-type", "application/x-amz-json-1.1".to_owned()),
        ("authorization", auth.to_owned()),
    ]
}

/// Kills the child when the test ends, passing or not.
pub struct Child(pub std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the emulator's binary with `args` and reads the address it listens on.
pub fn start(args: &[&str]) -> (Child, SocketAddr) {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_workmail-org-emulator"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the emulator"),
    );
    let stdout = child.0.stdout.take().expect("its stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the listening line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .expect("an address");
    (child, addr)
}
