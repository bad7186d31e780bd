//! `recover`: settles every pending entry of the account that a crash left, then brings
//! the snapshot of every organization still being created up to date.

use workmail_org::catalog::store::MAX_PAGE;
use workmail_org::catalog::{CatalogError, Entry, Release, Stage};
use workmail_org::lifecycle::OrganizationState;

use crate::args::Recover;
use crate::job::{about, call_failed, catalog_failed, now, Job, Settled, TooSoon};
use crate::output::{self, About, Exit};

/// Runs `recover`: every entry still `reserved` or `sent` and untouched for
/// `--older-than` seconds, each under a lease, in id order; then every entry whose
/// organization is still being created (`created` without a snapshot, or `Requested`,
/// `Creating`, `Validating`) and untouched as long: one `DescribeOrganization` each,
/// recorded.
pub async fn run(job: Job, args: Recover) -> Exit {
    let before = now().saturating_sub(args.older_than);
    let mut worst = Exit::Done;
    let mut after = None;
    loop {
        let page = match job.catalog.pending(before, after, MAX_PAGE).await {
            Ok(page) => page,
            Err(err) => return catalog_failed(About::default(), &err.into()),
        };
        let Some(last) = page.last() else {
            break;
        };
        after = Some(last.id());
        for entry in &page {
            worst = worst.max(one(&job, entry, args.min_age).await);
            if worst == Exit::Usage {
                return worst;
            }
        }
    }
    let mut after = None;
    loop {
        let page = match job.catalog.list(None, after, MAX_PAGE).await {
            Ok(page) => page,
            Err(err) => return catalog_failed(About::default(), &err.into()),
        };
        let Some(last) = page.last() else {
            return worst;
        };
        after = Some(last.id());
        for entry in page
            .iter()
            .filter(|entry| in_flight(entry) && entry.updated_at() < before)
        {
            worst = worst.max(one(&job, entry, args.min_age).await);
            if worst == Exit::Usage {
                return worst;
            }
        }
    }
}

/// Whether `entry`'s organization is known and still being created: `created` without a
/// snapshot, or last seen `Requested`, `Creating` or `Validating` (a crash while polling).
fn in_flight(entry: &Entry) -> bool {
    entry.is_live()
        && match entry.stage() {
            Stage::Created => true,
            Stage::Recorded => matches!(
                entry.organization().and_then(|org| org.state().known()),
                Some(
                    OrganizationState::Requested
                        | OrganizationState::Creating
                        | OrganizationState::Validating
                )
            ),
            _ => false,
        }
}

/// Settles one pending entry, under a lease.
async fn one(job: &Job, listed: &Entry, min_age: u64) -> Exit {
    let leased = match job
        .catalog
        .lease(listed.id(), now(), job.lease_seconds)
        .await
    {
        Ok(leased) => leased,
        Err(CatalogError::Leased { until, .. }) => {
            output::step(
                "skipped",
                listed,
                Some(format!("leased by another process until {until}")),
            );
            return Exit::Done;
        }
        // Settled and released by another process since it was listed.
        Err(CatalogError::NotFound { .. } | CatalogError::Deleted { .. }) => return Exit::Done,
        Err(err) => return catalog_failed(about(listed), &err),
    };
    let entry = leased.entry;
    if leased.took_over {
        output::step(
            "taken_over",
            &entry,
            Some("the lease of another process had expired".to_owned()),
        );
    }
    let exit = settle(job, &entry, min_age).await;
    job.unlease(&entry).await;
    exit
}

async fn settle(job: &Job, entry: &Entry, min_age: u64) -> Exit {
    match entry.stage() {
        Stage::Reserved => match job
            .catalog
            .release(entry.id(), Release::NothingSent, now())
            .await
        {
            Ok(released) => {
                output::step("released", &released, Some("nothing was sent".to_owned()));
                Exit::Done
            }
            Err(err) => catalog_failed(about(entry), &err),
        },
        Stage::Sent => match job.send(entry, None, min_age, TooSoon::Leave).await {
            Ok(Settled::Created(created)) if created.organization().is_some() => Exit::Done,
            Ok(Settled::Created(created)) => record(job, &created).await,
            Ok(Settled::Ended(exit)) => exit,
            Ok(Settled::Again(again)) => {
                output::error(
                    about(&again),
                    "Unreachable",
                    "the request could not be sent; the entry stays sent",
                );
                Exit::Unreachable
            }
            Err(exit) => exit,
        },
        _ if in_flight(entry) => record(job, entry).await,
        // Settled by another process between the listing and the lease.
        _ => Exit::Done,
    }
}

/// Records one `DescribeOrganization` snapshot of an entry whose organization id is known.
async fn record(job: &Job, entry: &Entry) -> Exit {
    let Some(id) = entry.organization_id() else {
        return Exit::Done;
    };
    let organization = match job.aws.describe(entry.region(), id).await {
        Ok(organization) => organization,
        Err(err) => return call_failed(about(entry), &err),
    };
    match job.catalog.record(&organization, now()).await {
        Ok(recorded) => {
            output::step("recorded", &recorded, None);
            Exit::Done
        }
        Err(err) => catalog_failed(about(entry), &err),
    }
}
