//! Recovery of a pending entry, sans I/O: what an answer to a send means, and the lookup of
//! an organization by alias in `ListOrganizations` when it does not say.
//!
//! The catalog knows how many times an entry's request was sent, so it, not the caller,
//! tells a first send from a resend ([`Catalog::answered`](crate::Catalog::answered)). An
//! answer that does not say whether the organization was made starts a [`Lookup`]: the
//! caller reads every page of `ListOrganizations` in the entry's Region and hands each to
//! [`Lookup::page`], which ends in one of:
//! - an organization that holds the alias: describe it and
//!   [adopt](crate::Catalog::adopt) it (checked against the spec, the store and its state);
//! - no organization holds the alias, and the entry's last send is at least the minimum age
//!   old ([`DEFAULT_MIN_AGE`]: `ListOrganizations` may not show an organization made seconds
//!   ago): the [`NotCreated`] evidence that [releases](crate::Catalog::release) the entry;
//! - too soon to tell, or nothing this crate may decide alone ([`LookupStep`]).

use std::fmt;

use crate::aws::{AwsException, ListOrganizationsRequest, ListOrganizationsResponse, MAX_RESULTS};
use crate::id::{OrganizationAlias, OrganizationId, Region};
use crate::lifecycle::OrganizationState;

use super::{Entry, EntryId};

/// How long after an entry's last send a lookup that finds no organization may release it,
/// by default, in seconds: 5 minutes.
pub const DEFAULT_MIN_AGE: u64 = 300;

/// The most pages a lookup reads before it gives up ([`Unresolved::TooManyPages`]): 1,000
/// pages of 100 organizations, ten times more than the quota of any account we know.
pub const MAX_LOOKUP_PAGES: u32 = 1000;

/// What [`Catalog::answered`](crate::Catalog::answered) made of an answer to a send.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answered {
    /// AWS answered the organization id: the entry is `created`.
    Created(Entry),
    /// AWS refused the first send of the request before it made anything: the entry is
    /// released, its keys and quota free. The exception says why.
    Released {
        /// The entry as it was before release.
        entry: Entry,
        /// AWS's refusal.
        exception: AwsException,
    },
    /// The request never left the caller: the entry stays `sent`; send it again.
    NotSent(Entry),
    /// The answer does not say whether the organization was made: look it up.
    Lookup(Lookup),
}

/// The search for an entry's organization in `ListOrganizations`, page by page.
///
/// ```
/// # use workmail_org::catalog::{Lookup, LookupStep};
/// # use workmail_org::aws::ListOrganizationsResponse;
/// # fn run(mut lookup: Lookup, list: impl Fn(&workmail_org::aws::ListOrganizationsRequest) -> ListOrganizationsResponse) {
/// let step = loop {
///     let page = list(&lookup.request()); // ListOrganizations in lookup.region()
///     match lookup.page(&page) {
///         LookupStep::NextPage => continue,
///         done => break done,
///     }
/// };
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    entry: EntryId,
    alias: OrganizationAlias,
    region: Region,
    sends: u32,
    sent_at: u64,
    started_at: u64,
    min_age: u64,
    request: ListOrganizationsRequest,
    pages: u32,
    found: Vec<(OrganizationId, OrganizationState)>,
    unknown_state: bool,
}

/// What a page of `ListOrganizations` led to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LookupStep {
    /// Read the next page: [`Lookup::request`].
    NextPage,
    /// Every page read: this organization holds the alias. Describe it
    /// (`DescribeOrganization`) and [adopt](crate::Catalog::adopt) it.
    Describe(OrganizationId),
    /// Every page read, and no organization holds the alias: the evidence to
    /// [release](crate::Catalog::release) the entry.
    NotCreated(NotCreated),
    /// No organization holds the alias, but the entry was last sent too recently for the
    /// listing to be trusted: look again at `retry_at` (the caller's clock).
    TooSoon {
        /// When a new lookup may decide.
        retry_at: u64,
    },
    /// Nothing this crate may decide alone: the entry stays pending, for an operator.
    Unresolved(Unresolved),
}

/// Why a lookup could not decide.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unresolved {
    /// The organization holding the alias is being deleted: it cannot be adopted, and while
    /// it holds the alias no organization of this entry can exist.
    Deleting(OrganizationId),
    /// Several organizations that are not deleted answer to the alias, which AWS keeps
    /// unique: a listing changing under the lookup.
    Several(Vec<OrganizationId>),
    /// An organization with the alias is in a state this version does not know.
    UnknownState(OrganizationId),
    /// Past [`MAX_LOOKUP_PAGES`], or a page pointing back to itself.
    TooManyPages,
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unresolved::Deleting(id) => write!(
                f,
                "organization {id}, which holds the alias, is being deleted"
            ),
            Unresolved::Several(ids) => {
                write!(f, "{} organizations answer to the alias", ids.len())
            }
            Unresolved::UnknownState(id) => {
                write!(f, "organization {id}, which holds the alias, is in a state this version does not know")
            }
            Unresolved::TooManyPages => {
                write!(f, "ListOrganizations went on past {MAX_LOOKUP_PAGES} pages")
            }
        }
    }
}

/// Evidence that AWS has no organization of an entry: every page of `ListOrganizations` in
/// its Region read, no organization holding its alias, at least the minimum age after its
/// last send. Only a [`Lookup`] makes one, and only
/// [`Catalog::release`](crate::Catalog::release) takes it, checking it is still about the
/// entry as it is (no send since).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotCreated {
    pub(super) entry: EntryId,
    pub(super) sends: u32,
    pub(super) started_at: u64,
    pub(super) min_age: u64,
    pages: u32,
}

impl NotCreated {
    /// The entry it is about.
    pub fn entry(&self) -> EntryId {
        self.entry
    }

    /// How many pages were read.
    pub fn pages(&self) -> u32 {
        self.pages
    }
}

impl Lookup {
    /// The lookup of `entry`, a `sent` one, starting at `now` (the caller's clock), with the
    /// minimum age [`DEFAULT_MIN_AGE`]. `None` for an entry that was never sent: nothing can
    /// exist, and [`Release::NothingSent`](super::Release::NothingSent) frees it.
    pub fn new(entry: &Entry, now: u64) -> Option<Self> {
        let sent_at = entry.sent_at()?;
        Some(Lookup {
            entry: entry.id(),
            alias: entry.alias().clone(),
            region: entry.region(),
            sends: entry.sends(),
            sent_at,
            started_at: now,
            min_age: DEFAULT_MIN_AGE,
            request: ListOrganizationsRequest::first_page(MAX_RESULTS)
                .unwrap_or_else(|_| unreachable!("MAX_RESULTS is a valid page size")),
            pages: 0,
            found: Vec::new(),
            unknown_state: false,
        })
    }

    /// The same lookup with another minimum age, in seconds (0 in tests against a local
    /// endpoint, whose listing is never behind).
    #[must_use]
    pub fn with_min_age(mut self, min_age: u64) -> Self {
        self.min_age = min_age;
        self
    }

    /// The entry it is for.
    pub fn entry(&self) -> EntryId {
        self.entry
    }

    /// The Region to call `ListOrganizations` in: the entry's.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The alias it looks for (compared in any letter case).
    pub fn alias(&self) -> &OrganizationAlias {
        &self.alias
    }

    /// The page to read next.
    pub fn request(&self) -> ListOrganizationsRequest {
        self.request.clone()
    }

    /// Takes the page that [`request`](Self::request) asked for, and says what follows.
    pub fn page(&mut self, page: &ListOrganizationsResponse) -> LookupStep {
        self.pages += 1;
        for summary in page.organization_summaries() {
            if *summary.alias() != self.alias {
                continue;
            }
            match summary.state().known() {
                // A deleted organization frees its alias: it is not this entry's (the
                // entry would have been recorded before anyone deleted it).
                Some(OrganizationState::Deleted) => {}
                Some(state) => self.found.push((summary.organization_id().clone(), *state)),
                None => {
                    self.unknown_state = true;
                    self.found.push((
                        summary.organization_id().clone(),
                        OrganizationState::Requested,
                    ));
                }
            }
        }
        match page.next_token() {
            Some(token)
                if self.pages < MAX_LOOKUP_PAGES && self.request.next_token() != Some(token) =>
            {
                self.request = self.request.next_page(token.clone());
                LookupStep::NextPage
            }
            Some(_) => LookupStep::Unresolved(Unresolved::TooManyPages),
            None => self.conclude(),
        }
    }

    fn conclude(&mut self) -> LookupStep {
        self.found.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        self.found.dedup_by(|a, b| a.0 == b.0);
        match self.found.as_slice() {
            [] => {
                let retry_at = self.sent_at.saturating_add(self.min_age);
                if self.started_at < retry_at {
                    return LookupStep::TooSoon { retry_at };
                }
                LookupStep::NotCreated(NotCreated {
                    entry: self.entry,
                    sends: self.sends,
                    started_at: self.started_at,
                    min_age: self.min_age,
                    pages: self.pages,
                })
            }
            [(id, _)] if self.unknown_state => {
                LookupStep::Unresolved(Unresolved::UnknownState(id.clone()))
            }
            [(id, OrganizationState::Deleting)] => {
                LookupStep::Unresolved(Unresolved::Deleting(id.clone()))
            }
            [(id, _)] => LookupStep::Describe(id.clone()),
            several => LookupStep::Unresolved(Unresolved::Several(
                several.iter().map(|(id, _)| id.clone()).collect(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::{
        CreateOrganization, ListOrganizationsResponse, NextToken, OrganizationSummary,
    };
    use crate::catalog::store::StoredEntry;
    use crate::id::ClientToken;
    use crate::spec::OrganizationDraft;

    const SENT_AT: u64 = 1_000;

    fn sent_entry() -> Entry {
        let spec = OrganizationDraft::new("Acme", "us-east-1")
            .validate()
            .unwrap();
        let mut parts = StoredEntry::admitted(
            EntryId::new(4),
            "111122223333".parse().unwrap(),
            spec.clone(),
            ClientToken::from_random([7; 16]),
            SENT_AT,
        );
        parts.request = Some(CreateOrganization::new(&spec).unwrap().into_parts().1);
        parts.sends = 1;
        parts.sent_at = Some(SENT_AT);
        Entry::try_from(parts).unwrap()
    }

    fn summary(n: u8, alias: &str, state: &str) -> OrganizationSummary {
        let id = format!("m-{:032x}", n);
        let summary: OrganizationSummary = serde_json::from_str(&format!(
            r#"{{"OrganizationId": "{id}", "Alias": "{alias}", "State": "{state}"}}"#
        ))
        .unwrap();
        summary
    }

    fn page(summaries: Vec<OrganizationSummary>, next: Option<&str>) -> ListOrganizationsResponse {
        ListOrganizationsResponse::new(summaries, next.map(|t| t.parse::<NextToken>().unwrap()))
    }

    #[test]
    fn a_match_on_a_later_page_in_any_case_is_described() {
        let mut lookup = Lookup::new(&sent_entry(), SENT_AT).unwrap();
        assert_eq!(lookup.request().next_token(), None);
        assert_eq!(lookup.request().max_results(), Some(MAX_RESULTS));
        let first = page(vec![summary(1, "globex", "Active")], Some("p2"));
        assert_eq!(lookup.page(&first), LookupStep::NextPage);
        assert_eq!(
            lookup.request().next_token().map(NextToken::as_str),
            Some("p2")
        );
        let second = page(
            vec![
                summary(2, "acme", "Deleted"),
                summary(3, "ACME", "Creating"),
            ],
            None,
        );
        assert_eq!(
            lookup.page(&second),
            LookupStep::Describe(format!("m-{:032x}", 3).parse().unwrap())
        );
    }

    #[test]
    fn no_match_is_evidence_only_after_the_minimum_age() {
        let entry = sent_entry();
        let only_deleted = page(vec![summary(2, "acme", "Deleted")], None);
        let mut early = Lookup::new(&entry, SENT_AT + 10).unwrap();
        assert_eq!(
            early.page(&only_deleted),
            LookupStep::TooSoon {
                retry_at: SENT_AT + DEFAULT_MIN_AGE
            }
        );
        let mut tested = Lookup::new(&entry, SENT_AT).unwrap().with_min_age(0);
        let LookupStep::NotCreated(evidence) = tested.page(&only_deleted) else {
            panic!("no organization holds the alias")
        };
        assert_eq!((evidence.entry(), evidence.pages()), (EntryId::new(4), 1));
    }

    #[test]
    fn what_cannot_be_decided_is_unresolved() {
        let entry = sent_entry();
        let cases = [
            (
                vec![summary(1, "acme", "Deleting")],
                Unresolved::Deleting(format!("m-{:032x}", 1).parse().unwrap()),
            ),
            (
                vec![summary(1, "acme", "Active"), summary(2, "acme", "Failed")],
                Unresolved::Several(vec![
                    format!("m-{:032x}", 1).parse().unwrap(),
                    format!("m-{:032x}", 2).parse().unwrap(),
                ]),
            ),
            (
                vec![summary(1, "acme", "Hibernating")],
                Unresolved::UnknownState(format!("m-{:032x}", 1).parse().unwrap()),
            ),
        ];
        for (summaries, unresolved) in cases {
            let mut lookup = Lookup::new(&entry, SENT_AT).unwrap();
            assert_eq!(
                lookup.page(&page(summaries, None)),
                LookupStep::Unresolved(unresolved)
            );
        }
    }

    #[test]
    fn a_listing_that_never_ends_is_cut_off() {
        let mut lookup = Lookup::new(&sent_entry(), SENT_AT).unwrap();
        // A page pointing back to itself.
        assert_eq!(
            lookup.page(&page(vec![], Some("same"))),
            LookupStep::NextPage
        );
        assert_eq!(
            lookup.page(&page(vec![], Some("same"))),
            LookupStep::Unresolved(Unresolved::TooManyPages)
        );
        let mut endless = Lookup::new(&sent_entry(), SENT_AT).unwrap();
        for n in 0..MAX_LOOKUP_PAGES - 1 {
            let step = endless.page(&page(vec![], Some(&format!("p{n}"))));
            assert_eq!(step, LookupStep::NextPage, "page {n}");
        }
        assert_eq!(
            endless.page(&page(vec![], Some("last"))),
            LookupStep::Unresolved(Unresolved::TooManyPages)
        );
    }

    #[test]
    fn a_reserved_entry_needs_no_lookup() {
        let spec = OrganizationDraft::new("acme", "us-east-1")
            .validate()
            .unwrap();
        let reserved = Entry::try_from(StoredEntry::admitted(
            EntryId::new(1),
            "111122223333".parse().unwrap(),
            spec,
            ClientToken::from_random([1; 16]),
            SENT_AT,
        ))
        .unwrap();
        assert_eq!(Lookup::new(&reserved, SENT_AT), None);
    }
}
