//! The `workmail-org` command line: see the `workmail_org_cli` crate docs and
//! `cli/README.md`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

fn main() -> std::process::ExitCode {
    workmail_org_cli::main()
}
