//! The HTTP layer: hyper on tokio, around the sans-I/O core ([`Emulator::handle`]).
//!
//! It reads the request's body through [`http_body_util::Limited`], at most
//! [`MAX_BODY_BYTES`] (a larger one is answered `RequestEntityTooLargeException`, 413), runs
//! the core in a task of its own (so a call runs to its end even when the client goes away,
//! and a panic in it answers `InternalFailure`), and writes the response, or closes the
//! connection when the response carries [`DropConnection`] (an injected fault).

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{Request, Response};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::emulator::Emulator;
use crate::wire::{DropConnection, ErrorName, Exception, MAX_BODY_BYTES};

/// The header of the request id, as AWS names it.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");

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
    // Request ids are a process-wide counter rather than tower-http's request-id layer: that
    // layer would bring tower and tower-http (neither is in the tree) and a tower service
    // around hyper's to set one header, and its ready-made ids are v4 UUIDs, a random draw
    // per request on the path `benches/endpoint.sh` measures. An id here only has to be
    // unique among this process's answers, which a counter is.
    let request_ids = Arc::new(AtomicU64::new(1));
    loop {
        // The accept loop is ours: tokio's listener and hyper-util's connection builders
        // leave accept errors to the caller, and only a whole framework's `serve` (axum's)
        // handles them, with no way to drop a connection on a fault.
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

async fn answer(
    emulator: Arc<Emulator>,
    request: Request<Incoming>,
    id: u64,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.is::<LengthLimitError>() => {
            return Ok(sent(Exception::too_large().into_response(), id))
        }
        Err(_) => return Err(Dropped),
    };
    let request = Request::from_parts(parts, body);
    // Boxed: the core's future is several KB, and a task moves what it is given.
    let response = tokio::spawn(async move { Box::pin(emulator.handle(request)).await })
        .await
        .unwrap_or_else(|_| {
            Exception::new(
                ErrorName::InternalFailure,
                "the call failed inside the emulator",
            )
            .into_response()
        });
    if response.extensions().get::<DropConnection>().is_some() {
        return Err(Dropped);
    }
    Ok(sent(response, id))
}

/// `response` as hyper sends it, with its request id.
fn sent(response: Response<Bytes>, id: u64) -> Response<Full<Bytes>> {
    let mut response = response.map(Full::new);
    if let Ok(value) = HeaderValue::from_str(&format!("emulator-{id:016x}")) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}
