//! What each [`Store`](workmail_org::catalog::Store) call does inside its transaction, once
//! for both engines: the engines only run statements ([`Tx`]) and decide how a transaction
//! begins, ends and is retried.

use std::collections::HashSet;

use workmail_org::catalog::{
    Entry, EntryId, Holder, Listing, NewEntry, Quota, Refusal, Reservation, StoreError,
    StoredEntry, UniquenessKey, Written, DEFAULT_ORGANIZATION_LIMIT, MAX_PAGE,
};
use workmail_org::{AccountId, OrganizationId};

use crate::row::{to_u64, EntryRow, HolderRow, InvalidRow};
use crate::sql;

/// A statement parameter; `$1` is the first of a slice.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Value<'a> {
    Text(&'a str),
    NullText(Option<&'a str>),
    Int(i64),
    NullInt(Option<i64>),
    Bool(bool),
}

use Value::{Bool, Int, NullInt, NullText, Text};

/// Why a step stopped.
pub(crate) enum Failure {
    /// Another transaction got in the way (a deadlock, a serialization failure, a concurrent
    /// admission with the same token, a key's holder released between two statements): the
    /// whole transaction is worth running again.
    Retry(StoreError),
    /// The database failed, or holds what it should not.
    Fatal(StoreError),
}

impl From<StoreError> for Failure {
    fn from(err: StoreError) -> Self {
        Failure::Fatal(err)
    }
}

impl From<InvalidRow> for Failure {
    fn from(err: InvalidRow) -> Self {
        Failure::Fatal(err.into())
    }
}

/// How a step ends its transaction.
pub(crate) enum Finish<T> {
    /// Keep what it wrote.
    Commit(T),
    /// It decided against writing (a refusal, a stale version) or only read.
    Rollback(T),
}

/// How many times an engine runs a transaction that ends in [`Failure::Retry`].
pub(crate) const ATTEMPTS: usize = 16;

/// One open transaction of an engine: its statements, by the shape of what they return.
pub(crate) trait Tx {
    /// Runs a statement; how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, Failure>;
    /// The first column of the first row, an integer, if there is a row.
    fn int(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Option<i64>, Failure>;
    /// The first column of each row, text.
    fn texts(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Vec<String>, Failure>;
    /// Rows of `organization_entry`'s columns, as `entry.sql` selects them.
    fn entries(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Vec<EntryRow>, Failure>;
    /// The row of `holder.sql`.
    fn holder(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Option<HolderRow>, Failure>;
    /// An integer and a boolean: `version, live`.
    fn version_live(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Option<(i64, bool)>, Failure>;
    /// An integer and a nullable integer: `live, organization_limit`.
    fn quota_row(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Option<(i64, Option<i64>)>, Failure>;
}

fn default_limit() -> i64 {
    i64::try_from(DEFAULT_ORGANIZATION_LIMIT).unwrap_or(i64::MAX)
}

/// Inserts `keys` for entry `id`, in the order of their text so that two transactions never
/// wait for each other's keys in opposite orders; every key already held comes back with its
/// holder, in the order of `keys`.
fn insert_keys<T: Tx + ?Sized>(
    tx: &mut T,
    keys: &[&UniquenessKey],
    id: i64,
) -> Result<Vec<(UniquenessKey, Holder)>, Failure> {
    let mut texts: Vec<(usize, String)> = keys
        .iter()
        .enumerate()
        .map(|(index, key)| (index, key.to_string()))
        .collect();
    texts.sort_unstable_by(|a, b| a.1.cmp(&b.1));
    let mut conflicts = Vec::new();
    for (index, text) in &texts {
        if tx.execute(sql::INSERT_KEY, &[Text(text), Int(id)])? == 1 {
            continue;
        }
        let Some(holder) = tx.holder(sql::HOLDER, &[Text(text)])? else {
            // Held when inserted, free when read: released in between, by a transaction that
            // committed after this one's insert waited for it.
            return Err(Failure::Retry(StoreError::msg(format!(
                "key {text} changed hands during the admission"
            ))));
        };
        conflicts.push((*index, holder.decode()?));
    }
    conflicts.sort_unstable_by_key(|(index, _)| *index);
    Ok(conflicts
        .into_iter()
        .map(|(index, holder)| (keys[index].clone(), holder))
        .collect())
}

fn first_entry(rows: Vec<EntryRow>) -> Result<Option<Entry>, StoreError> {
    rows.into_iter().next().map(EntryRow::decode).transpose()
}

/// [`Store::admit`](workmail_org::catalog::Store::admit): the token, the quota counter, the
/// entry, every key; refused and rolled back when any key is held or the quota is full.
pub(crate) fn admit<T: Tx + ?Sized>(
    tx: &mut T,
    admission: &NewEntry<'_>,
) -> Result<Finish<Reservation>, Failure> {
    let spec = admission.spec;
    let account = admission.account.as_str();
    if let Some(token) = spec.client_token() {
        let rows = tx.entries(
            sql::TOKEN,
            &[
                Text(account),
                Text(spec.region().as_str()),
                Text(token.as_str()),
            ],
        )?;
        if let Some(entry) = first_entry(rows)? {
            return Ok(Finish::Rollback(Reservation::TokenHeld(entry)));
        }
    }
    // On PostgreSQL the counter row stays locked until the end: admissions of one account
    // take turns from here, so the count cannot overshoot.
    let counted = tx
        .int(sql::CLAIM, &[Text(account), Int(default_limit())])?
        .is_some();
    let provisional = StoredEntry::admitted(
        EntryId::new(0),
        admission.account.clone(),
        spec.clone(),
        admission.now,
    );
    let provisional =
        Entry::try_from(provisional).map_err(|err| StoreError::new("admitting an entry", err))?;
    let c = EntryRow::of(&provisional)?;
    let id = tx
        .int(
            sql::INSERT_ENTRY,
            &[
                Text(&c.account),
                Text(&c.region),
                Text(&c.alias),
                Text(&c.alias_folded),
                NullText(c.client_token.as_deref()),
                Text(&c.spec),
                NullText(c.request.as_deref()),
                NullText(c.organization_id.as_deref()),
                NullText(c.snapshot.as_deref()),
                Text(&c.mail_domains),
                Bool(c.live),
                Int(c.admitted_at),
                Int(c.updated_at),
                Int(c.version),
            ],
        )?
        .ok_or_else(|| StoreError::msg("inserting an entry returned no id"))?;
    let keys: Vec<&UniquenessKey> = admission.keys.iter().collect();
    let conflicts = insert_keys(tx, &keys, id)?;
    if !counted || !conflicts.is_empty() {
        let quota = if counted {
            None
        } else {
            Some(read_quota(tx, admission.account)?).filter(Quota::is_full)
        };
        return Ok(Finish::Rollback(Reservation::Refused(Refusal::new(
            conflicts, quota,
        ))));
    }
    let mut parts = StoredEntry::from(provisional);
    parts.id = EntryId::new(to_u64(id, "organization_entry", id, "id")?);
    let entry = Entry::try_from(parts).map_err(|err| StoreError::new("admitting an entry", err))?;
    Ok(Finish::Commit(Reservation::New(entry)))
}

/// [`Store::write`](workmail_org::catalog::Store::write): compare-and-set on the version,
/// then the keys brought in line with `next.keys()`, then the quota counter.
pub(crate) fn write<T: Tx + ?Sized>(tx: &mut T, next: &Entry) -> Result<Finish<Written>, Failure> {
    // An id past i64::MAX was never stored: as stale as a deleted entry.
    let Ok(id) = i64::try_from(next.id().get()) else {
        return Ok(Finish::Rollback(Written::Stale));
    };
    let Some((version, was_live)) = tx.version_live(sql::STATE, &[Int(id)])? else {
        return Ok(Finish::Rollback(Written::Stale));
    };
    if version.checked_add(1) != i64::try_from(next.version()).ok() {
        return Ok(Finish::Rollback(Written::Stale));
    }
    let c = EntryRow::of(next)?;
    let changed = tx.execute(
        sql::UPDATE_ENTRY,
        &[
            Int(id),
            Int(version),
            NullText(c.request.as_deref()),
            NullText(c.organization_id.as_deref()),
            NullText(c.snapshot.as_deref()),
            Text(&c.mail_domains),
            Bool(c.live),
            Int(c.updated_at),
        ],
    )?;
    if changed == 0 {
        return Ok(Finish::Rollback(Written::Stale));
    }
    let held = tx.texts(sql::ENTRY_KEYS, &[Int(id)])?;
    let wanted = next.keys();
    let wanted_texts: HashSet<String> = wanted.iter().map(ToString::to_string).collect();
    let held_texts: HashSet<&str> = held.iter().map(String::as_str).collect();
    let missing: Vec<&UniquenessKey> = wanted
        .iter()
        .filter(|key| !held_texts.contains(key.to_string().as_str()))
        .collect();
    let conflicts = insert_keys(tx, &missing, id)?;
    if !conflicts.is_empty() {
        return Ok(Finish::Rollback(Written::Conflict(conflicts)));
    }
    for text in held.iter().filter(|text| !wanted_texts.contains(*text)) {
        tx.execute(sql::DELETE_KEY, &[Text(text), Int(id)])?;
    }
    if was_live && !next.is_live() {
        tx.execute(sql::UNCOUNT, &[Text(next.account().as_str())])?;
    }
    Ok(Finish::Commit(Written::Done))
}

/// [`Store::release`](workmail_org::catalog::Store::release): the entry's row locked at its
/// version, then its keys and itself deleted and the counter lowered.
pub(crate) fn release<T: Tx + ?Sized>(
    tx: &mut T,
    entry: &Entry,
) -> Result<Finish<Written>, Failure> {
    let (Ok(id), Ok(version)) = (
        i64::try_from(entry.id().get()),
        i64::try_from(entry.version()),
    ) else {
        return Ok(Finish::Rollback(Written::Stale));
    };
    let Some((_, live)) = tx.version_live(sql::RETIRE, &[Int(id), Int(version)])? else {
        return Ok(Finish::Rollback(Written::Stale));
    };
    tx.execute(sql::DELETE_KEYS, &[Int(id)])?;
    tx.execute(sql::DELETE_ENTRY, &[Int(id)])?;
    if live {
        tx.execute(sql::UNCOUNT, &[Text(entry.account().as_str())])?;
    }
    Ok(Finish::Commit(Written::Done))
}

pub(crate) fn entry<T: Tx + ?Sized>(tx: &mut T, id: EntryId) -> Result<Option<Entry>, Failure> {
    let Ok(id) = i64::try_from(id.get()) else {
        return Ok(None);
    };
    Ok(first_entry(tx.entries(sql::ENTRY, &[Int(id)])?)?)
}

pub(crate) fn by_organization_id<T: Tx + ?Sized>(
    tx: &mut T,
    id: &OrganizationId,
) -> Result<Option<Entry>, Failure> {
    Ok(first_entry(
        tx.entries(sql::BY_ORGANIZATION_ID, &[Text(id.as_str())])?,
    )?)
}

pub(crate) fn holder<T: Tx + ?Sized>(
    tx: &mut T,
    key: &UniquenessKey,
) -> Result<Option<Holder>, Failure> {
    let text = key.to_string();
    Ok(tx
        .holder(sql::HOLDER, &[Text(&text)])?
        .map(HolderRow::decode)
        .transpose()?)
}

pub(crate) fn list<T: Tx + ?Sized>(tx: &mut T, listing: &Listing) -> Result<Vec<Entry>, Failure> {
    // Ids and times past i64::MAX are never stored: saturating keeps the comparisons right.
    let saturate = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
    let limit = listing.limit.clamp(1, MAX_PAGE);
    let rows = tx.entries(
        sql::LIST,
        &[
            Text(listing.account.as_str()),
            Int(listing.after.map_or(0, |after| saturate(after.get()))),
            NullText(listing.region.map(|region| region.as_str())),
            NullInt(listing.pending_before.map(saturate)),
            Int(saturate(limit as u64)),
        ],
    )?;
    Ok(rows
        .into_iter()
        .map(EntryRow::decode)
        .collect::<Result<_, _>>()?)
}

pub(crate) fn read_quota<T: Tx + ?Sized>(
    tx: &mut T,
    account: &AccountId,
) -> Result<Quota, Failure> {
    let Some((live, limit)) = tx.quota_row(sql::QUOTA, &[Text(account.as_str())])? else {
        return Ok(Quota::new(0, DEFAULT_ORGANIZATION_LIMIT));
    };
    let table = "organization_account";
    Ok(Quota::new(
        to_u64(live, table, account, "live")?,
        limit
            .map(|limit| to_u64(limit, table, account, "organization_limit"))
            .transpose()?
            .unwrap_or(DEFAULT_ORGANIZATION_LIMIT),
    ))
}

pub(crate) fn set_limit<T: Tx + ?Sized>(
    tx: &mut T,
    account: &AccountId,
    limit: Option<u64>,
) -> Result<Finish<()>, Failure> {
    // A quota past i64::MAX is as good as none: no account gets near it.
    let limit = limit.map(|limit| i64::try_from(limit).unwrap_or(i64::MAX));
    tx.execute(sql::SET_LIMIT, &[Text(account.as_str()), NullInt(limit)])?;
    Ok(Finish::Commit(()))
}

/// `impl Store` for an engine whose `run` (a writing transaction) and `read` (a reading one)
/// take a step of this module: every call is that step in one transaction.
/// `impl Store` for an engine whose `run` takes a step of this module: every call is that
/// step in one transaction, the reads rolled back.
macro_rules! store_on_steps {
    ($engine:ty) => {
        impl workmail_org::catalog::Store for $engine {
            fn admit(
                &self,
                admission: &workmail_org::catalog::NewEntry<'_>,
            ) -> Result<workmail_org::catalog::Reservation, workmail_org::catalog::StoreError> {
                self.run("admitting an entry", |tx| {
                    $crate::steps::admit(tx, admission)
                })
            }

            fn write(
                &self,
                next: &workmail_org::catalog::Entry,
            ) -> Result<workmail_org::catalog::Written, workmail_org::catalog::StoreError> {
                self.run("writing an entry", |tx| $crate::steps::write(tx, next))
            }

            fn release(
                &self,
                entry: &workmail_org::catalog::Entry,
            ) -> Result<workmail_org::catalog::Written, workmail_org::catalog::StoreError> {
                self.run("releasing an entry", |tx| $crate::steps::release(tx, entry))
            }

            fn entry(
                &self,
                id: workmail_org::catalog::EntryId,
            ) -> Result<Option<workmail_org::catalog::Entry>, workmail_org::catalog::StoreError>
            {
                self.run("reading an entry", |tx| {
                    $crate::steps::entry(tx, id).map($crate::steps::Finish::Rollback)
                })
            }

            fn by_organization_id(
                &self,
                id: &workmail_org::OrganizationId,
            ) -> Result<Option<workmail_org::catalog::Entry>, workmail_org::catalog::StoreError>
            {
                self.run("reading an entry by organization id", |tx| {
                    $crate::steps::by_organization_id(tx, id).map($crate::steps::Finish::Rollback)
                })
            }

            fn holder(
                &self,
                key: &workmail_org::catalog::UniquenessKey,
            ) -> Result<Option<workmail_org::catalog::Holder>, workmail_org::catalog::StoreError>
            {
                self.run("reading a key's holder", |tx| {
                    $crate::steps::holder(tx, key).map($crate::steps::Finish::Rollback)
                })
            }

            fn list(
                &self,
                listing: &workmail_org::catalog::Listing,
            ) -> Result<Vec<workmail_org::catalog::Entry>, workmail_org::catalog::StoreError> {
                self.run("listing entries", |tx| {
                    $crate::steps::list(tx, listing).map($crate::steps::Finish::Rollback)
                })
            }

            fn quota(
                &self,
                account: &workmail_org::AccountId,
            ) -> Result<workmail_org::catalog::Quota, workmail_org::catalog::StoreError> {
                self.run("reading a quota", |tx| {
                    $crate::steps::read_quota(tx, account).map($crate::steps::Finish::Rollback)
                })
            }

            fn set_limit(
                &self,
                account: &workmail_org::AccountId,
                limit: Option<u64>,
            ) -> Result<(), workmail_org::catalog::StoreError> {
                self.run("setting a quota", |tx| {
                    $crate::steps::set_limit(tx, account, limit)
                })
            }
        }
    };
}

pub(crate) use store_on_steps;
