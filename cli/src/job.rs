//! What provisioning and recovery share: the catalog and the SDK, the clock, leases, and
//! the steps from a send to a settled entry.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use workmail_org::aws::CreateAnswer;
use workmail_org::catalog::{
    Answered, CatalogError, Entry, LeaseOwner, Lookup, LookupStep, Release,
};
use workmail_org::Catalog;
use workmail_org_stores::AnyStore;

use crate::aws::{Aws, CallError};
use crate::kill;
use crate::output::{self, About, Exit};

/// The account's catalog on the shared store.
pub type StoreCatalog = Catalog<Arc<AnyStore>>;

/// One process's means: the catalog (with this process as lease owner), the SDK, and the
/// length of its leases.
#[derive(Clone, Debug)]
pub struct Job {
    /// The account's catalog, acting as this process's lease owner.
    pub catalog: StoreCatalog,
    /// The SDK.
    pub aws: Aws,
    /// How long a lease lasts, in seconds.
    pub lease_seconds: u64,
}

/// The clock, in epoch seconds (0 for a clock before 1970, which no lease trusts).
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// This process's default lease owner: `HOST/PID/START`, with the host name's characters
/// outside the lease owner's alphabet dropped.
pub fn default_owner() -> LeaseOwner {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default();
    let host: String = host
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
        .take(64)
        .collect();
    let host = if host.is_empty() {
        "host".to_owned()
    } else {
        host
    };
    let name = format!("{host}/{}/{}", std::process::id(), now());
    LeaseOwner::parse(&name).unwrap_or_else(|_| {
        LeaseOwner::parse(&format!("pid/{}/{}", std::process::id(), now()))
            .unwrap_or_else(|_| unreachable!("digits and slashes make a lease owner"))
    })
}

/// Where an entry's findings belong.
pub fn about(entry: &Entry) -> About<'_> {
    About {
        file: None,
        alias: Some(entry.alias().as_str()),
    }
}

/// Prints a catalog error's findings and says how it ends: the database 2, anything else 1.
/// A store's failure is printed with its whole chain of causes (the database's own reason),
/// never with a password: the stores name a database without it.
pub fn catalog_failed(about: About<'_>, err: &CatalogError) -> Exit {
    if let CatalogError::Store(_) = err {
        output::error(about, "StoreFailed", &crate::aws::chain(err));
        return Exit::Usage;
    }
    for finding in err.findings() {
        output::finding(about, &finding);
    }
    Exit::Refused
}

/// Prints a failed call and says how it ends: unreachable 3, refused 1.
pub fn call_failed(about: About<'_>, err: &CallError) -> Exit {
    match err {
        CallError::Unreachable(message) => {
            output::error(about, "Unreachable", message);
            Exit::Unreachable
        }
        CallError::Refused { code, message } => {
            output::error(about, code, message);
            Exit::Refused
        }
    }
}

/// What a send's answer led to.
pub enum Settled {
    /// The organization id is known: the entry is `created` or `recorded`.
    Created(Entry),
    /// Send again, later: the request never left, or it is too soon to decide.
    Again(Entry),
    /// The entry is settled otherwise (released) or left for an operator: how it ends.
    Ended(Exit),
}

/// What a lookup that found nothing too early does.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TooSoon {
    /// Send the request again (provisioning: a resend with the token brings back the
    /// organization if it exists).
    SendAgain,
    /// Leave the entry pending for a later run (recovery).
    Leave,
}

impl Job {
    /// Renews (or takes) this process's lease on `entry`.
    pub async fn renew(&self, entry: &Entry) -> Result<Entry, Exit> {
        self.catalog
            .lease(entry.id(), now(), self.lease_seconds)
            .await
            .map(|leased| leased.entry)
            .map_err(|err| catalog_failed(about(entry), &err))
    }

    /// Gives the lease up, if the entry is still there; a released entry has none.
    pub async fn unlease(&self, entry: &Entry) {
        let _ = self.catalog.unlease(entry.id(), now()).await;
    }

    /// Sends `entry`'s request: the first send of a `reserved` entry (with `call`, which
    /// must be the spec's) or a resend of a `sent` one, then applies the answer.
    pub async fn send(
        &self,
        entry: &Entry,
        first: Option<&workmail_org::aws::CreateOrganization>,
        min_age: u64,
        too_soon: TooSoon,
    ) -> Result<Settled, Exit> {
        let id = entry.id();
        let sent = match first {
            Some(call) => self.catalog.sent(id, call, now()).await,
            None => self.catalog.resend(id, now()).await,
        };
        let call = sent.map_err(|err| catalog_failed(about(entry), &err))?;
        let entry = self.get(entry).await?;
        output::step(
            if first.is_some() { "sent" } else { "resent" },
            &entry,
            None,
        );
        kill::point("sent");
        let answer = self.aws.create(&call).await;
        kill::point("called");
        self.answered(&entry, &answer, min_age, too_soon).await
    }

    /// Reads `entry` again.
    async fn get(&self, entry: &Entry) -> Result<Entry, Exit> {
        match self.catalog.get(entry.id()).await {
            Ok(Some(entry)) => Ok(entry),
            Ok(None) => Err(catalog_failed(
                about(entry),
                &CatalogError::NotFound {
                    account: entry.account().clone(),
                    id: entry.id(),
                },
            )),
            Err(err) => Err(catalog_failed(about(entry), &err.into())),
        }
    }

    /// Applies an answer to the latest send of `entry`.
    async fn answered(
        &self,
        entry: &Entry,
        answer: &CreateAnswer,
        min_age: u64,
        too_soon: TooSoon,
    ) -> Result<Settled, Exit> {
        let answered = self
            .catalog
            .answered(entry.id(), answer, now())
            .await
            .map_err(|err| catalog_failed(about(entry), &err))?;
        match answered {
            Answered::Created(entry) => {
                output::step("created", &entry, None);
                Ok(Settled::Created(entry))
            }
            Answered::Released { entry, exception } => {
                output::step(
                    "released",
                    &entry,
                    Some(format!("AWS refused the request: {}", exception.name())),
                );
                output::error(
                    about(&entry),
                    exception.name(),
                    &format!(
                        "AWS refused CreateOrganization for \"{}\" before making anything: {}",
                        entry.alias(),
                        exception.name()
                    ),
                );
                Ok(Settled::Ended(Exit::Refused))
            }
            Answered::NotSent(entry) => {
                output::step(
                    "not_sent",
                    &entry,
                    Some("the request never left".to_owned()),
                );
                Ok(Settled::Again(entry))
            }
            Answered::Lookup(lookup) => {
                output::step(
                    "lookup",
                    entry,
                    Some(format!("the answer was {}", shown(answer))),
                );
                self.lookup(entry, lookup.with_min_age(min_age), too_soon)
                    .await
            }
            _ => Ok(Settled::Ended(Exit::Refused)),
        }
    }

    /// Reads every page of `ListOrganizations`, then adopts, releases or leaves the entry.
    async fn lookup(
        &self,
        entry: &Entry,
        mut lookup: Lookup,
        too_soon: TooSoon,
    ) -> Result<Settled, Exit> {
        let about = about(entry);
        let step = loop {
            let page = self
                .aws
                .list(lookup.region(), &lookup.request())
                .await
                .map_err(|err| call_failed(about, &err))?;
            match lookup.page(&page) {
                LookupStep::NextPage => continue,
                step => break step,
            }
        };
        match step {
            LookupStep::Describe(organization_id) => {
                let organization = self
                    .aws
                    .describe(entry.region(), &organization_id)
                    .await
                    .map_err(|err| call_failed(about, &err))?;
                let adopted = self
                    .catalog
                    .adopt(entry.id(), &organization, now())
                    .await
                    .map_err(|err| catalog_failed(about, &err))?;
                output::step("adopted", &adopted, None);
                Ok(Settled::Created(adopted))
            }
            LookupStep::NotCreated(evidence) => {
                let pages = evidence.pages();
                let released = self
                    .catalog
                    .release(entry.id(), Release::NotCreated(evidence), now())
                    .await
                    .map_err(|err| catalog_failed(about, &err))?;
                output::step(
                    "released",
                    &released,
                    Some(format!(
                        "no organization has the alias: {pages} page(s) of ListOrganizations read"
                    )),
                );
                Ok(Settled::Ended(Exit::Done))
            }
            LookupStep::TooSoon { retry_at } => match too_soon {
                TooSoon::SendAgain => Ok(Settled::Again(self.get(entry).await?)),
                TooSoon::Leave => {
                    output::step(
                        "too_soon",
                        entry,
                        Some(format!(
                            "no organization has the alias yet; a lookup may decide from {retry_at}"
                        )),
                    );
                    Ok(Settled::Ended(Exit::Refused))
                }
            },
            LookupStep::Unresolved(why) => {
                output::error(about, "Unresolved", &format!("entry {}: {why}", entry.id()));
                Ok(Settled::Ended(Exit::Refused))
            }
            _ => Ok(Settled::Ended(Exit::Refused)),
        }
    }
}

/// An answer in a few words, for a step's detail.
fn shown(answer: &CreateAnswer) -> String {
    match answer {
        CreateAnswer::Created(_) => "an organization id".to_owned(),
        CreateAnswer::Refused(exception) => format!("a refusal, {}", exception.name()),
        CreateAnswer::ServerError { status } => format!("a server error, HTTP {status}"),
        CreateAnswer::TimedOut => "a timeout".to_owned(),
        CreateAnswer::Dropped => "a dropped connection or an unreadable answer".to_owned(),
        CreateAnswer::NotSent => "not sent".to_owned(),
        _ => "not known to this version".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_owner_is_host_pid_and_start() {
        let owner = default_owner();
        let parts: Vec<&str> = owner.as_str().split('/').collect();
        assert_eq!(parts.len(), 3, "{}", owner.as_str());
        assert_eq!(parts[1], std::process::id().to_string());
        assert!(parts[2].parse::<u64>().is_ok(), "{}", owner.as_str());
    }
}
