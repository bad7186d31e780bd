//! Kill points, for the crash tests: compiled only with the cargo feature `kill-points`.
//!
//! With the feature, `WORKMAIL_ORG_KILL_AT=STEP` makes the process write
//! `workmail-org: kill point STEP` on stderr when it reaches `STEP`, then wait there until it
//! is killed (the test sends SIGKILL on seeing the line). The steps:
//!
//! | step | where |
//! | --- | --- |
//! | `admitted` | `provision`: the spec is admitted (`reserved`), before its lease and send |
//! | `sent` | the request is recorded (`sent`), before `CreateOrganization` is called |
//! | `called` | `CreateOrganization` answered, before the answer is applied (`created`) |
//! | `polling` | `provision`: the first `DescribeOrganization` snapshot is recorded, while polling |
//! | `cutover` | `leave`: the cutover changes are printed and recorded |
//! | `cutover_seen` | `leave`: the resolver's answers are recorded and the wait is over |
//! | `export_recorded` | `leave`: export attempts are stored, before they are sent |
//! | `export_started` | `leave`: job ids are stored |
//! | `export_polled` | `leave`: jobs that ended are stored |
//! | `delete_recorded` | `leave`: the deletion is stored as handed out, before it is sent |
//! | `deleted` | `leave`: `Deleted` is stored |
//! | `cleanup` | `leave`: the clean-up changes are printed and recorded |
//!
//! Without the feature [`point`] is an empty function and the variable is never read, so a
//! release build carries no kill point; `--help` says when a build carries them.

/// The kill point `step`: see the module docs.
#[cfg(feature = "kill-points")]
pub fn point(step: &str) {
    if std::env::var("WORKMAIL_ORG_KILL_AT").is_ok_and(|at| at == step) {
        use std::io::Write;
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "workmail-org: kill point {step}");
        let _ = stderr.flush();
        drop(stderr);
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

/// The kill point `step`: nothing, in a build without the feature `kill-points`.
#[cfg(not(feature = "kill-points"))]
#[inline(always)]
pub fn point(_step: &str) {}
