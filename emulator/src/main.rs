//! `workmail-org-emulator [--listen ADDR:PORT] [--database-url URL] [--namespace NAME]
//! [--pool-size N] [--create-after-polls N] [--verify-after-polls N] [--export-concurrency N]
//! [--export-after-polls N] [--account-id ID]`:
//! `--help` lists every flag with its default.

#![forbid(unsafe_code)]

use std::error::Error;
use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use workmail_org::AccountId;
use workmail_org_emulator::{
    open_database, server, Config, Emulator, StoreOptions, DEFAULT_ACCOUNT_ID, DEFAULT_NAMESPACE,
};
use workmail_org_stores::Namespace;

/// A local Amazon WorkMail endpoint for organizations and mail domains, answering as
/// workmail-org's model says AWS does.
#[derive(Debug, Parser)]
#[command(name = "workmail-org-emulator", version)]
struct EndpointArgs {
    /// Where to listen (port 0: any free port).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:4566")]
    listen: String,
    /// The database: memory: (this process's), sqlite://FILE or postgres://...
    #[arg(long, value_name = "URL", default_value = "memory:")]
    database_url: String,
    /// The store's tables: a PostgreSQL schema or an SQLite prefix, apart from a service's.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_NAMESPACE)]
    namespace: Namespace,
    /// The database connections at most: one pool.
    #[arg(long, value_name = "N", default_value_t = StoreOptions::DEFAULT_SIZE)]
    pool_size: NonZeroUsize,
    /// DescribeOrganization calls until an organization is Active.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = count)]
    create_after_polls: u64,
    /// GetMailDomain calls until a domain is VERIFIED.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = count)]
    verify_after_polls: u64,
    /// How many mailbox export jobs of one organization may run at once.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = count)]
    export_concurrency: u64,
    /// After how many polls a mailbox export job ends.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = count)]
    export_after_polls: u64,
    /// The account in ARNs.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ACCOUNT_ID)]
    account_id: AccountId,
}

/// A poll count: a whole number.
fn count(value: &str) -> Result<u64, String> {
    value
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number"))
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
    // Usage errors exit 2, `--help` and `--version` 0 (clap's codes).
    let cli = EndpointArgs::parse();
    let pool = StoreOptions::default()
        .with_namespace(cli.namespace)
        .with_size(cli.pool_size);
    let config = Config::new(cli.account_id)
        .create_after_polls(cli.create_after_polls)
        .verify_after_polls(cli.verify_after_polls)
        .export_concurrency(cli.export_concurrency)
        .export_after_polls(cli.export_after_polls);
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
    let database = match runtime.block_on(open_database(Some(&cli.database_url), &pool)) {
        Ok(database) => database,
        Err(err) => {
            eprintln!("workmail-org-emulator: {}", chain(&err));
            return ExitCode::from(2);
        }
    };
    // Kept here until the runtime is gone, so that no task on it drops the last reference.
    let emulator = Arc::new(Emulator::new(config, database.store));
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&cli.listen).await?;
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
