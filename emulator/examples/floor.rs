//! The floor of the endpoint's figures: a bare hyper server on the same runtime that answers
//! every request with one fixed body, as long as the answer it stands beside, so that a load
//! run against it and against the emulator compares the emulator's work with none.
//!
//! `cargo run --release -p workmail-org-emulator --example floor -- --listen 127.0.0.1:4567
//! --body-bytes 220`: prints `listening on http://ADDR`, then serves until killed. The body
//! is `{"x":"…"}` padded to `--body-bytes`, with the emulator's content type.
//! `benches/endpoint.sh` runs it beside the emulator under wrk.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::ExitCode;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// Reads `--listen ADDR` and `--body-bytes N` (at least 9, at most 1 MiB).
fn options() -> Result<(SocketAddr, usize), String> {
    let mut listen = None;
    let mut bytes = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--listen" => {
                listen = Some(
                    value
                        .parse()
                        .map_err(|_| format!("--listen: {value:?} is not ADDR:PORT"))?,
                )
            }
            "--body-bytes" => {
                let size: usize = value
                    .parse()
                    .map_err(|_| format!("--body-bytes: {value:?} is not a whole number"))?;
                if !(9..=1 << 20).contains(&size) {
                    return Err(format!("--body-bytes: {size} is not between 9 and 1048576"));
                }
                bytes = Some(size);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((
        listen.ok_or("--listen is required")?,
        bytes.ok_or("--body-bytes is required")?,
    ))
}

fn main() -> ExitCode {
    let (listen, size) = match options() {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("floor: {problem}\nusage: floor --listen ADDR:PORT --body-bytes N");
            return ExitCode::from(2);
        }
    };
    let body = Bytes::from(format!("{{\"x\":\"{}\"}}", "x".repeat(size - 8)));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("floor: no runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(async move {
        let listener = TcpListener::bind(listen).await?;
        println!("listening on http://{}", listener.local_addr()?);
        loop {
            let (stream, _) = listener.accept().await?;
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_request: Request<hyper::body::Incoming>| {
                    let mut response = Response::new(Full::new(body.clone()));
                    response.headers_mut().insert(
                        hyper::header::CONTENT_TYPE,
                        hyper::header::HeaderValue::from_static("application/x-amz-json-1.1"),
                    );
                    async move { Ok::<_, Infallible>(response) }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
        #[allow(unreachable_code)]
        Ok::<(), std::io::Error>(())
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("floor: {err}");
            ExitCode::FAILURE
        }
    }
}
