//! `workmail-org-emulator --listen 127.0.0.1:PORT [--database-url URL] [--namespace NAME]
//! [--pool-size N] [--create-after-polls N] [--verify-after-polls N] [--account-id ID]`

#![forbid(unsafe_code)]

use std::error::Error;
use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::sync::Arc;

use workmail_org_emulator::{
    default_namespace, open_database, server, Config, Emulator, StoreOptions, DEFAULT_ACCOUNT_ID,
};

const USAGE: &str = "usage: workmail-org-emulator --listen ADDR:PORT [--database-url URL] \
[--namespace NAME] [--pool-size N] [--create-after-polls N] [--verify-after-polls N] \
[--account-id ID]

  --listen ADDR:PORT        where to listen, e.g. 127.0.0.1:4566 (port 0: any free port)
  --database-url URL        memory: (the default), sqlite://FILE or postgres://...
  --namespace NAME          the store's tables: a PostgreSQL schema or an SQLite prefix
                            (default workmail_emulator, apart from a service's tables)
  --pool-size N             the database connections at most: one pool (default 10)
  --create-after-polls N    DescribeOrganization calls until Active (default 3)
  --verify-after-polls N    GetMailDomain calls until VERIFIED (default 2)
  --account-id ID           the account in ARNs (default 111122223333)";

struct Options {
    listen: String,
    database_url: Option<String>,
    pool: StoreOptions,
    config: Config,
}

fn options(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut listen = None;
    let mut database_url = None;
    let mut pool = StoreOptions::default().with_namespace(default_namespace());
    let mut create = None;
    let mut verify = None;
    let mut account = DEFAULT_ACCOUNT_ID.to_owned();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => listen = Some(value()?),
            "--database-url" => database_url = Some(value()?),
            "--pool-size" => {
                let size = value()?;
                let size = size
                    .parse::<NonZeroUsize>()
                    .map_err(|_| format!("{flag}: {size:?} is not a whole number above 0"))?;
                pool = pool.with_size(size);
            }
            "--namespace" => {
                let namespace = value()?;
                let namespace = namespace.parse().map_err(|err| format!("{flag}: {err}"))?;
                pool = pool.with_namespace(namespace);
            }
            "--create-after-polls" => create = Some(count(&flag, &value()?)?),
            "--verify-after-polls" => verify = Some(count(&flag, &value()?)?),
            "--account-id" => account = value()?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let account = account
        .parse()
        .map_err(|err| format!("--account-id: {err}"))?;
    let mut config = Config::new(account);
    if let Some(polls) = create {
        config = config.create_after_polls(polls);
    }
    if let Some(polls) = verify {
        config = config.verify_after_polls(polls);
    }
    Ok(Options {
        listen: listen.ok_or("--listen is required")?,
        database_url,
        pool,
        config,
    })
}

fn count(flag: &str, value: &str) -> Result<u64, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: {value:?} is not a whole number"))
}

/// `err` and each of its sources, `: `-separated: the server's own reason included.
fn chain(err: &dyn Error) -> String {
    let mut shown = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        shown.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    shown
}

fn main() -> ExitCode {
    let options = match options(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(problem) if problem.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("workmail-org-emulator: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!(
                "workmail-org-emulator: cannot start the runtime: {}",
                chain(&err)
            );
            return ExitCode::FAILURE;
        }
    };
    let database = match runtime.block_on(open_database(
        options.database_url.as_deref(),
        &options.pool,
    )) {
        Ok(database) => database,
        Err(err) => {
            eprintln!("workmail-org-emulator: {}", chain(&err));
            return ExitCode::from(2);
        }
    };
    // Kept here until the runtime is gone, so that no task on it drops the last reference.
    let emulator = Arc::new(Emulator::new(options.config, database.store));
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&options.listen).await?;
        // Tests and scripts read the bound address from this line (port 0 picks one).
        println!("listening on http://{}", listener.local_addr()?);
        server::serve(listener, Arc::clone(&emulator)).await
    });
    drop(runtime);
    drop(emulator);
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("workmail-org-emulator: {}", chain(&err));
            ExitCode::FAILURE
        }
    }
}
