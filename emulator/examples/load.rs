//! Measures `CreateOrganization` and `DescribeOrganization` over loopback: requests per
//! second, p50 and p99, with 1 client and with 16, each on its own keep-alive connection.
//!
//! Every client creates organizations with fresh aliases and deletes each as it goes
//! (`DeleteOrganization`, then the `DescribeOrganization` that sees `Deleted` and frees the
//! alias), so the quota never ends the run.
//!
//! `cargo run --release -p workmail-org-emulator --example load [-- ROUNDS [DATABASE_URL]]`:
//! `DATABASE_URL` is `memory:` (the default), `sqlite://FILE` or `postgres://...`, as the
//! binary's `--database-url`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use workmail_org_emulator::{open_database, server, Config, Emulator, StoreOptions};

const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDLOAD/20260101/us-east-1/workmail/aws4_request, SignedHeaders=host, Signature=0";

type Error = Box<dyn std::error::Error + Send + Sync>;

async fn call(
    sender: &mut SendRequest<Full<Bytes>>,
    operation: &str,
    body: String,
) -> Result<serde_json::Value, Error> {
    sender.ready().await?;
    let request = hyper::Request::post("/")
        .header("host", "127.0.0.1")
        .header("x-amz-target", format!("WorkMailService.{operation}"))
        .header("content-type", "application/x-amz-json-1.1")
        .header("authorization", AUTHORIZATION)
        .body(Full::new(Bytes::from(body)))?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    if !status.is_success() {
        return Err(format!("{operation}: {status} {}", String::from_utf8_lossy(&body)).into());
    }
    Ok(serde_json::from_slice(&body)?)
}

/// One client: `rounds` organizations, each created, described, deleted and seen `Deleted`.
async fn client(
    addr: std::net::SocketAddr,
    run: usize,
    name: usize,
    rounds: usize,
) -> Result<(Vec<Duration>, Vec<Duration>), Error> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let (mut creates, mut describes) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Unique across runs: a database keeps the deleted organizations as history.
        let alias = format!("load-{}-{run}-{name}-{round}", std::process::id());
        let started = Instant::now();
        let created = call(
            &mut sender,
            "CreateOrganization",
            format!(r#"{{"Alias":"{alias}"}}"#),
        )
        .await?;
        creates.push(started.elapsed());
        let id = created["OrganizationId"]
            .as_str()
            .ok_or("no OrganizationId")?
            .to_owned();
        let describe = format!(r#"{{"OrganizationId":"{id}"}}"#);
        let started = Instant::now();
        call(&mut sender, "DescribeOrganization", describe.clone()).await?;
        describes.push(started.elapsed());
        let delete = format!(r#"{{"OrganizationId":"{id}","DeleteDirectory":true}}"#);
        call(&mut sender, "DeleteOrganization", delete).await?;
        call(&mut sender, "DescribeOrganization", describe).await?;
    }
    Ok((creates, describes))
}

fn summary(operation: &str, clients: usize, mut latencies: Vec<Duration>, elapsed: Duration) {
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    // Each operation's own rate: its calls over the time the clients spent in it (the sum of
    // its latencies shared by the concurrent clients); the rate of all calls goes to stderr.
    let busy: Duration = latencies.iter().sum::<Duration>() / clients as u32;
    let share = busy.as_secs_f64().min(elapsed.as_secs_f64());
    println!(
        "| {operation} | {clients} | {} | {:.0} | {:.0} µs | {:.0} µs |",
        latencies.len(),
        latencies.len() as f64 / share,
        at(0.50).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
    );
}

fn main() -> Result<(), Error> {
    let rounds: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(1000);
    let url = std::env::args().nth(2);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        println!("| operation | clients | calls | req/s | p50 | p99 |");
        println!("| --- | --- | --- | --- | --- | --- |");
        for clients in [1, 16] {
            // A fresh emulator per run, Active on the first DescribeOrganization.
            let database = open_database(url.as_deref(), &StoreOptions::default()).await?;
            let config = Config::new("111122223333".parse()?).create_after_polls(1);
            let emulator = Emulator::new(config, database.store);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let addr = listener.local_addr()?;
            let emulator = Arc::new(emulator);
            let serving = tokio::spawn(server::serve(listener, Arc::clone(&emulator)));
            let started = Instant::now();
            let tasks: Vec<_> = (0..clients)
                .map(|name| tokio::spawn(client(addr, clients, name, rounds / clients)))
                .collect();
            let (mut creates, mut describes) = (Vec::new(), Vec::new());
            for task in tasks {
                let (c, d) = task.await??;
                creates.extend(c);
                describes.extend(d);
            }
            let elapsed = started.elapsed();
            let all = 4 * creates.len();
            eprintln!(
                "{clients} client(s): {all} calls (create, describe, delete, describe) in {:.2} s: {:.0} req/s over all four",
                elapsed.as_secs_f64(),
                all as f64 / elapsed.as_secs_f64()
            );
            summary("CreateOrganization", clients, creates, elapsed);
            summary("DescribeOrganization", clients, describes, elapsed);
            serving.abort();
            let _ = serving.await;
            // Dropped here, on the runtime: its store's pool closes its connections without
            // blocking.
            drop(emulator);
        }
        Ok(())
    })
}
