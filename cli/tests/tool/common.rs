//! What the tool's tests share: an endpoint on a loopback port, the binary as a child
//! process with a clean AWS environment, and its output read as JSON lines.

#![allow(dead_code)] // each feature set uses a different part (the kill points need theirs)

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use workmail_org::Region;
use workmail_org_emulator::{server, Config, Emulator};

/// The tool.
pub const BIN: &str = env!("CARGO_BIN_EXE_workmail-org");

/// How long any one child may run.
const CHILD_LIMIT: Duration = Duration::from_secs(120);

/// An emulator of `account` served on a free loopback port; `DescribeOrganization` reports
/// `Active` from its second call on.
pub struct Endpoint {
    pub addr: SocketAddr,
    pub emulator: Arc<Emulator>,
}

pub async fn endpoint(account: &str) -> Endpoint {
    endpoint_after(account, 0).await
}

/// An endpoint as [`endpoint`]'s, whose organization ids come after `skip` others.
///
/// The emulator derives an organization id from its own entry id, so two in-memory
/// emulators name their first organizations alike, where AWS's ids are unique: each of
/// several endpoints whose organizations share one store first makes `skip` organizations in
/// `eu-west-1`, which `us-east-1`'s listing and the store never see.
pub async fn endpoint_after(account: &str, skip: usize) -> Endpoint {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("a bound address");
    let config = Config::new(account.parse().expect("an account id")).create_after_polls(2);
    let emulator = Arc::new(Emulator::in_memory(config));
    for n in 0..skip {
        let body = format!(r#"{{"Alias": "skip-{n}"}}"#);
        let answer = emulator
            .call(
                "WorkMailService.CreateOrganization",
                Region::EuWest1,
                body.as_bytes(),
            )
            .await;
        assert_eq!(answer.status(), 200, "{answer:?}");
    }
    tokio::spawn(server::serve(listener, emulator.clone()));
    Endpoint { addr, emulator }
}

impl Endpoint {
    /// Injects a fault for `count` calls of `CreateOrganization`.
    pub async fn fault(&self, kind: &str, count: u32) {
        let body =
            format!(r#"{{"Kind": "{kind}", "Operation": "CreateOrganization", "Count": {count}}}"#);
        let answer = self
            .emulator
            .control(&http::Method::POST, "faults", body.as_bytes())
            .await;
        assert_eq!(answer.status(), 200, "{answer:?}");
    }

    /// The organizations the endpoint lists in `us-east-1`: `(id, alias, state)`.
    pub async fn organizations(&self) -> Vec<(String, String, String)> {
        let answer = self
            .emulator
            .call(
                "WorkMailService.ListOrganizations",
                Region::UsEast1,
                br#"{"MaxResults": 100}"#,
            )
            .await;
        assert_eq!(answer.status(), 200, "{answer:?}");
        let body: Value = serde_json::from_slice(answer.body()).expect("JSON");
        body["OrganizationSummaries"]
            .as_array()
            .expect("summaries")
            .iter()
            .map(|org| {
                let field = |name: &str| org[name].as_str().unwrap_or_default().to_owned();
                (field("OrganizationId"), field("Alias"), field("State"))
            })
            .collect()
    }
}

/// Where the tool's store is: a URL and, for PostgreSQL, a schema.
#[derive(Clone, Debug)]
pub struct Store {
    pub url: String,
    pub namespace: Option<String>,
}

/// The tool with a clean AWS environment (test credentials, no profile file, no instance
/// metadata), for `account` on `store`, pointed at `endpoint` in `us-east-1`.
pub fn tool(store: &Store, account: &str, endpoint: Option<SocketAddr>) -> Command {
    let mut command = Command::new(BIN);
    for name in [
        "DATABASE_URL",
        "WORKMAIL_ORG_ACCOUNT",
        "WORKMAIL_ORG_KILL_AT",
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
    ] {
        command.env_remove(name);
    }
    command
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .arg("--database-url")
        .arg(&store.url)
        .arg("--account")
        .arg(account)
        .arg("--region")
        .arg("us-east-1");
    if let Some(namespace) = &store.namespace {
        command.arg("--namespace").arg(namespace);
    }
    if let Some(addr) = endpoint {
        command.arg("--endpoint-url").arg(format!("http://{addr}"));
    }
    command.stdin(Stdio::null()).kill_on_drop(true);
    command
}

/// What a finished child printed, and how it ended.
#[derive(Debug)]
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Every line of stdout as JSON.
    pub fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|err| panic!("not a JSON line ({err}): {line}\n{self:?}"))
            })
            .collect()
    }

    /// The `step` of every step line, in order.
    pub fn steps(&self) -> Vec<String> {
        self.lines()
            .iter()
            .filter(|line| line["event"] == "step")
            .map(|line| line["step"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

/// Runs the tool to its end.
pub async fn run(mut command: Command) -> Ran {
    let output = tokio::time::timeout(
        CHILD_LIMIT,
        command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output(),
    )
    .await
    .expect("the tool ends in time")
    .expect("the tool starts");
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs the tool with `WORKMAIL_ORG_KILL_AT=step`, and kills it with SIGKILL as soon as it
/// says it reached the step. `None` in `code` when it was killed there; what it printed.
pub async fn run_until_killed(mut command: Command, step: &str) -> (bool, Ran) {
    command
        .env("WORKMAIL_ORG_KILL_AT", step)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child: Child = command.spawn().expect("the tool starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let reading = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text).await;
        text
    });
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let marker = format!("workmail-org: kill point {step}");
    let mut seen = String::new();
    let killed = tokio::time::timeout(CHILD_LIMIT, async {
        while let Ok(Some(line)) = stderr.next_line().await {
            if line == marker {
                // SIGKILL: nothing of the process runs after this.
                child.kill().await.expect("SIGKILL");
                return true;
            }
            seen.push_str(&line);
            seen.push('\n');
        }
        false
    })
    .await
    .expect("the tool reaches its kill point or ends in time");
    let status = child.wait().await.expect("the tool is reaped");
    let stdout = reading.await.expect("stdout read");
    (
        killed,
        Ran {
            code: status.code(),
            stdout,
            stderr: seen,
        },
    )
}

/// A directory of its own for one test, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(test: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "workmail-org-cli-{test}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `name` in the directory and returns its path.
    pub fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("a temporary file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
