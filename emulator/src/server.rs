//! The HTTP layer: hyper on tokio, around the [`Emulator`] core.
//!
//! It reads the request's head and at most [`MAX_BODY_BYTES`] of its body, runs the core in
//! a task of its own (so a call runs to its end even when the client goes away, and a panic
//! in it answers `InternalFailure`), and writes the reply, or closes the connection when an
//! injected fault says so. The core awaits the store, for the catalog and for the
//! emulator's own state alike.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::emulator::{Emulator, HttpRequest};
use crate::wire::{self, AfterCall, ErrorName, Exception, Reply, MAX_BODY_BYTES};

/// How much of an oversized body is read and thrown away before answering, so that the
/// client, still sending, reads the answer instead of a reset connection.
const DRAIN_BYTES: usize = 16 << 20;

/// The answer is not sent: the connection closes (an injected fault, or a broken request).
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped")
    }
}

impl std::error::Error for Dropped {}

/// Serves `emulator` on `listener` until the task is dropped or accepting fails for good.
///
/// The emulator may be dropped anywhere, a worker thread included: its store's pool closes
/// its connections without blocking.
///
/// # Errors
/// The listener's error when it can accept no more connections.
pub async fn serve(listener: TcpListener, emulator: Arc<Emulator>) -> io::Result<()> {
    let request_ids = Arc::new(AtomicU64::new(1));
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors, a connection reset before accept: the next may work.
            Err(err) if is_transient(&err) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
            Err(err) => return Err(err),
        };
        let emulator = emulator.clone();
        let request_ids = request_ids.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let id = request_ids.fetch_add(1, Ordering::Relaxed);
                answer(emulator.clone(), request, id)
            });
            // A client that goes away mid-request is its business, not the server's.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// `EMFILE` and `ENFILE` (Linux, macOS): out of file descriptors, for now.
const EMFILE: i32 = 24;
const ENFILE: i32 = 23;

fn is_transient(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    ) || matches!(err.raw_os_error(), Some(EMFILE | ENFILE))
}

enum Body {
    Read(Bytes),
    TooLarge,
}

async fn read_body(headers: &HeaderMap, mut body: Incoming) -> Result<Body, Dropped> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > DRAIN_BYTES as u64) {
        return Ok(Body::TooLarge);
    }
    let mut read = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| Dropped)?;
        if let Ok(data) = frame.into_data() {
            seen = seen.saturating_add(data.len());
            if seen <= MAX_BODY_BYTES {
                read.extend_from_slice(&data);
            } else if seen > DRAIN_BYTES {
                return Ok(Body::TooLarge);
            }
        }
    }
    if seen > MAX_BODY_BYTES {
        return Ok(Body::TooLarge);
    }
    Ok(Body::Read(Bytes::from(read)))
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

async fn answer(
    emulator: Arc<Emulator>,
    request: Request<Incoming>,
    id: u64,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = match read_body(&parts.headers, body).await? {
        Body::Read(body) => body,
        Body::TooLarge => {
            let reply = Exception::new(
                ErrorName::RequestEntityTooLarge,
                format!("the request body is over {MAX_BODY_BYTES} bytes"),
            )
            .into_reply();
            return Ok(response(reply, id));
        }
    };
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let target = header(&parts.headers, "x-amz-target");
    let content_type = header(&parts.headers, "content-type");
    let authorization = header(&parts.headers, "authorization");
    let reply = tokio::spawn(async move {
        // Boxed: the core's future is several KB, and a task moves what it is given.
        Box::pin(emulator.handle_http(&HttpRequest {
            method: &method,
            path: &path,
            target: target.as_deref(),
            content_type: content_type.as_deref(),
            authorization: authorization.as_deref(),
            body: &body,
        }))
        .await
    })
    .await
    .unwrap_or_else(|_| {
        Exception::new(
            ErrorName::InternalFailure,
            "the call failed inside the emulator",
        )
        .into_reply()
    });
    match reply.after {
        Some(AfterCall::Drop) => Err(Dropped),
        Some(AfterCall::ServerError) => Ok(response(Reply::internal_failure(), id)),
        None => Ok(response(reply, id)),
    }
}

fn response(reply: Reply, id: u64) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(wire::CONTENT_TYPE));
    if let Ok(value) = HeaderValue::from_str(&format!("emulator-{id:016x}")) {
        headers.insert("x-amzn-requestid", value);
    }
    response
}
