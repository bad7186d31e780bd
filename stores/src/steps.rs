//! What each [`Store`](workmail_org::catalog::store::Store) call does inside its transaction, once
//! for both engines: the engines only run statements ([`Tx`]) and decide how a transaction
//! begins, ends and is retried.

use std::collections::HashSet;
use std::future::Future;

use workmail_org::catalog::store::{
    Holder, Listing, NewEntry, Quota, StoreError, StoredEntry, Written, MAX_PAGE,
};
#[cfg(feature = "sqlite")]
use workmail_org::catalog::store::{Reservation, Taken};
use workmail_org::catalog::{Entry, EntryId, UniquenessKey, DEFAULT_ORGANIZATION_LIMIT};
use workmail_org::catalog::{Lease, LeaseOwner, StoredPlan};
use workmail_org::{AccountId, ClientToken, OrganizationId};

use crate::row::{to_i64, to_u64, EntryRow, HolderRow, InvalidRow};
use crate::sql::Sql;

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

/// The type of a column that [`Tx::rows`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Column {
    Text,
    Int,
    #[cfg_attr(not(feature = "emulator"), allow(dead_code))] // the emulator's rows only
    Bool,
}

/// A cell that [`Tx::rows`] read, of its [`Column`]'s type; `None` is `NULL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(Option<bool>),
}

/// Why a step stopped.
pub(crate) enum Failure {
    /// Another transaction got in the way (a deadlock, a serialization failure, a concurrent
    /// admission with the same token, a key's holder released between two statements): the
    /// whole transaction is worth running again.
    Retry(StoreError),
    /// The connection broke before the transaction committed (the server restarted, or
    /// ended the session): nothing was written, and the transaction is worth running again
    /// on a new connection.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    // SQLite has no connection to lose
    Reconnect(StoreError),
    /// The database failed, or holds what it should not.
    Fatal(StoreError),
}

impl Failure {
    /// The error, however it would have been handled.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))] // PostgreSQL's admission
    pub(crate) fn into_error(self) -> StoreError {
        match self {
            Failure::Retry(err) | Failure::Reconnect(err) | Failure::Fatal(err) => err,
        }
    }
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

/// A step that only reads: its transaction is rolled back.
pub(crate) async fn reading<T>(
    step: impl Future<Output = Result<T, Failure>>,
) -> Result<Finish<T>, Failure> {
    step.await.map(Finish::Rollback)
}

/// How many times an engine runs a transaction that ends in [`Failure::Retry`].
pub(crate) const ATTEMPTS: usize = 16;

/// One open transaction of an engine: its statements, by the shape of what they return.
///
/// The futures are `Send`, so a step on PostgreSQL is `Send`; SQLite's are ready at once (the
/// statement ran when it was called, on the blocking thread that owns the connection).
pub(crate) trait Tx {
    /// Runs a statement; how many rows it changed.
    fn execute(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<u64, Failure>> + Send;
    /// The first column of the first row, an integer, if there is a row.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))] // PostgreSQL admits in one statement
    fn int(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Option<i64>, Failure>> + Send;
    /// The first column of each row, text.
    fn texts(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Vec<String>, Failure>> + Send;
    /// Rows of `organization_entry`'s columns, as `entry.sql` selects them.
    fn entries(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Vec<EntryRow>, Failure>> + Send;
    /// The row of `holder.sql`.
    fn holder(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Option<HolderRow>, Failure>> + Send;
    /// An integer and a boolean: `version, live`.
    fn version_live(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Option<(i64, bool)>, Failure>> + Send;
    /// An integer and a nullable integer: `live, organization_limit`.
    fn quota_row(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<Option<(i64, Option<i64>)>, Failure>> + Send;
    /// Every row, each the cells of its first `columns.len()` columns, read as `columns`
    /// says: the one reader of any other row shape.
    fn rows(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        columns: &[Column],
    ) -> impl Future<Output = Result<Vec<Vec<Cell>>, Failure>> + Send;
}

/// Inserts `keys` for entry `id`, in the order of their text so that two transactions never
/// wait for each other's keys in opposite orders; every key already held comes back with its
/// holder, in the order of `keys`.
async fn insert_keys<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    keys: &[&UniquenessKey],
    id: i64,
) -> Result<Vec<(UniquenessKey, Holder)>, Failure> {
    let texts = sorted_key_texts(keys);
    let mut conflicts = Vec::new();
    for (index, text) in &texts {
        if tx.execute(&sql.insert_key, &[Text(text), Int(id)]).await? == 1 {
            continue;
        }
        let Some(holder) = tx.holder(&sql.holder, &[Text(text)]).await? else {
            // Held when inserted, free when read: released in between, by a transaction that
            // committed after this one's insert waited for it.
            return Err(Failure::Retry(StoreError::msg(format!(
                "key {text} changed hands during the admission"
            ))));
        };
        conflicts.push((*index, holder.decode()?));
    }
    Ok(in_key_order(keys, conflicts))
}

/// Each key's text with its place in `keys`, sorted by the text: the order keys are
/// inserted in.
pub(crate) fn sorted_key_texts(keys: &[&UniquenessKey]) -> Vec<(usize, String)> {
    let mut texts: Vec<(usize, String)> = keys
        .iter()
        .enumerate()
        .map(|(index, key)| (index, key.to_string()))
        .collect();
    texts.sort_unstable_by(|a, b| a.1.cmp(&b.1));
    texts
}

/// Held keys, found by their place in `keys`, back in the order of `keys`.
pub(crate) fn in_key_order(
    keys: &[&UniquenessKey],
    mut conflicts: Vec<(usize, Holder)>,
) -> Vec<(UniquenessKey, Holder)> {
    conflicts.sort_unstable_by_key(|(index, _)| *index);
    conflicts
        .into_iter()
        .map(|(index, holder)| (keys[index].clone(), holder))
        .collect()
}

/// The entry an admission makes, before the store gives it an id, and its columns.
/// `token` is the client token the database drew, used when the spec has none.
pub(crate) fn provisional(
    admission: &NewEntry<'_>,
    token: ClientToken,
) -> Result<(Entry, EntryRow), Failure> {
    let provisional = StoredEntry::admitted(
        EntryId::new(0),
        admission.account.clone(),
        admission.spec.clone(),
        token,
        admission.now,
    );
    let provisional =
        Entry::try_from(provisional).map_err(|err| StoreError::new("admitting an entry", err))?;
    let columns = EntryRow::of(&provisional)?;
    Ok((provisional, columns))
}

/// The admitted entry: the provisional one with the id the store gave it, and the client
/// token the database drew when it draws it in the admission itself.
pub(crate) fn admitted(
    provisional: Entry,
    id: i64,
    token: Option<ClientToken>,
) -> Result<Entry, Failure> {
    let mut parts = StoredEntry::from(provisional);
    parts.id = EntryId::new(to_u64(id, "organization_entry", id, "id")?);
    if let Some(token) = token {
        parts.client_token = token;
    }
    Ok(Entry::try_from(parts).map_err(|err| StoreError::new("admitting an entry", err))?)
}

/// The default quota, as the database stores numbers.
pub(crate) fn default_limit() -> i64 {
    i64::try_from(DEFAULT_ORGANIZATION_LIMIT).unwrap_or(i64::MAX)
}

fn first_entry(rows: Vec<EntryRow>) -> Result<Option<Entry>, StoreError> {
    rows.into_iter().next().map(EntryRow::decode).transpose()
}

/// [`Store::admit`](workmail_org::catalog::store::Store::admit): the token, the quota counter, the
/// entry, every key; refused and rolled back when any key is held or the quota is full.
#[cfg(feature = "sqlite")] // PostgreSQL admits in one statement
pub(crate) async fn admit<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    admission: &NewEntry<'_>,
) -> Result<Finish<Reservation>, Failure> {
    let spec = admission.spec;
    let account = admission.account.as_str();
    if let Some(token) = spec.client_token() {
        let rows = tx
            .entries(
                &sql.token,
                &[
                    Text(account),
                    Text(spec.region().as_str()),
                    Text(token.as_str()),
                ],
            )
            .await?;
        if let Some(entry) = first_entry(rows)? {
            return Ok(Finish::Rollback(Reservation::TokenHeld(entry)));
        }
    }
    // On PostgreSQL the counter row stays locked until the end: admissions of one account
    // take turns from here, so the count cannot overshoot.
    let counted = tx
        .int(&sql.claim, &[Text(account), Int(default_limit())])
        .await?
        .is_some();
    let drawn = tx.texts(&sql.draw_token, &[]).await?;
    let drawn = drawn
        .first()
        .ok_or_else(|| StoreError::msg("drawing a client token returned no row"))?;
    let drawn = ClientToken::parse(drawn)
        .map_err(|err| StoreError::new("reading the client token the database drew", err))?;
    let (provisional, c) = provisional(admission, drawn)?;
    let id = tx
        .int(
            &sql.insert_entry,
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
                NullText(c.token.as_deref()),
                Int(c.sends),
                NullInt(c.sent_at),
                NullText(c.lease_owner.as_deref()),
                NullInt(c.lease_expires),
            ],
        )
        .await?
        .ok_or_else(|| StoreError::msg("inserting an entry returned no id"))?;
    let keys: Vec<&UniquenessKey> = admission.keys.iter().collect();
    let conflicts = insert_keys(tx, sql, &keys, id).await?;
    if !counted || !conflicts.is_empty() {
        let quota = if counted {
            None
        } else {
            Some(read_quota(tx, sql, admission.account).await?).filter(Quota::is_full)
        };
        return Ok(Finish::Rollback(Reservation::Refused(Taken::new(
            conflicts, quota,
        ))));
    }
    Ok(Finish::Commit(Reservation::New(admitted(
        provisional,
        id,
        None,
    )?)))
}

/// [`Store::write`](workmail_org::catalog::store::Store::write): compare-and-set on the version,
/// then the keys brought in line with `next.keys()`, then the quota counter.
pub(crate) async fn write<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    next: &Entry,
) -> Result<Finish<Written>, Failure> {
    // An id past i64::MAX was never stored: as stale as a deleted entry.
    let Ok(id) = i64::try_from(next.id().get()) else {
        return Ok(Finish::Rollback(Written::Stale));
    };
    let Some((version, was_live)) = tx.version_live(&sql.state, &[Int(id)]).await? else {
        return Ok(Finish::Rollback(Written::Stale));
    };
    if version.checked_add(1) != i64::try_from(next.version()).ok() {
        return Ok(Finish::Rollback(Written::Stale));
    }
    let c = EntryRow::of(next)?;
    let changed = tx
        .execute(
            &sql.update_entry,
            &[
                Int(id),
                Int(version),
                NullText(c.request.as_deref()),
                NullText(c.organization_id.as_deref()),
                NullText(c.snapshot.as_deref()),
                Text(&c.mail_domains),
                Bool(c.live),
                Int(c.updated_at),
                Int(c.sends),
                NullInt(c.sent_at),
                NullText(c.lease_owner.as_deref()),
                NullInt(c.lease_expires),
            ],
        )
        .await?;
    if changed == 0 {
        return Ok(Finish::Rollback(Written::Stale));
    }
    let held = tx.texts(&sql.entry_keys, &[Int(id)]).await?;
    let wanted = next.keys();
    let wanted_texts: HashSet<String> = wanted.iter().map(ToString::to_string).collect();
    let held_texts: HashSet<&str> = held.iter().map(String::as_str).collect();
    let missing: Vec<&UniquenessKey> = wanted
        .iter()
        .filter(|key| !held_texts.contains(key.to_string().as_str()))
        .collect();
    let conflicts = insert_keys(tx, sql, &missing, id).await?;
    if !conflicts.is_empty() {
        return Ok(Finish::Rollback(Written::Conflict(conflicts)));
    }
    for text in held.iter().filter(|text| !wanted_texts.contains(*text)) {
        tx.execute(&sql.delete_key, &[Text(text), Int(id)]).await?;
    }
    if was_live && !next.is_live() {
        tx.execute(&sql.uncount, &[Text(next.account().as_str())])
            .await?;
    }
    Ok(Finish::Commit(Written::Done))
}

/// [`Store::release`](workmail_org::catalog::store::Store::release): the entry's row locked at its
/// version, then its keys and itself deleted and the counter lowered.
pub(crate) async fn release<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    entry: &Entry,
) -> Result<Finish<Written>, Failure> {
    let (Ok(id), Ok(version)) = (
        i64::try_from(entry.id().get()),
        i64::try_from(entry.version()),
    ) else {
        return Ok(Finish::Rollback(Written::Stale));
    };
    let Some((_, live)) = tx
        .version_live(&sql.retire, &[Int(id), Int(version)])
        .await?
    else {
        return Ok(Finish::Rollback(Written::Stale));
    };
    tx.execute(&sql.delete_keys, &[Int(id)]).await?;
    tx.execute(&sql.delete_entry, &[Int(id)]).await?;
    if live {
        tx.execute(&sql.uncount, &[Text(entry.account().as_str())])
            .await?;
    }
    Ok(Finish::Commit(Written::Done))
}

pub(crate) async fn entry<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    id: EntryId,
) -> Result<Option<Entry>, Failure> {
    let Ok(id) = i64::try_from(id.get()) else {
        return Ok(None);
    };
    Ok(first_entry(tx.entries(&sql.entry, &[Int(id)]).await?)?)
}

pub(crate) async fn by_organization_id<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    id: &OrganizationId,
) -> Result<Option<Entry>, Failure> {
    Ok(first_entry(
        tx.entries(&sql.by_organization_id, &[Text(id.as_str())])
            .await?,
    )?)
}

pub(crate) async fn holder<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    key: &UniquenessKey,
) -> Result<Option<Holder>, Failure> {
    let text = key.to_string();
    Ok(tx
        .holder(&sql.holder, &[Text(&text)])
        .await?
        .map(HolderRow::decode)
        .transpose()?)
}

pub(crate) async fn list<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    listing: &Listing,
) -> Result<Vec<Entry>, Failure> {
    // Ids and times past i64::MAX are never stored: saturating keeps the comparisons right.
    let saturate = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
    let limit = listing.limit.clamp(1, MAX_PAGE);
    let rows = tx
        .entries(
            &sql.list,
            &[
                Text(listing.account.as_str()),
                Int(listing.after.map_or(0, |after| saturate(after.get()))),
                NullText(listing.region.map(|region| region.as_str())),
                NullInt(listing.pending_before.map(saturate)),
                Int(saturate(limit as u64)),
            ],
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(EntryRow::decode)
        .collect::<Result<_, _>>()?)
}

pub(crate) async fn read_quota<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    account: &AccountId,
) -> Result<Quota, Failure> {
    let Some((live, limit)) = tx.quota_row(&sql.quota, &[Text(account.as_str())]).await? else {
        return Ok(Quota::new(0, DEFAULT_ORGANIZATION_LIMIT));
    };
    Ok(quota(live, limit, account)?)
}

/// The quota of an `organization_account` row: `live`, and `organization_limit` (`NULL`:
/// the default).
pub(crate) fn quota(
    live: i64,
    limit: Option<i64>,
    account: &AccountId,
) -> Result<Quota, InvalidRow> {
    let table = "organization_account";
    Ok(Quota::new(
        to_u64(live, table, account, "live")?,
        limit
            .map(|limit| to_u64(limit, table, account, "organization_limit"))
            .transpose()?
            .unwrap_or(DEFAULT_ORGANIZATION_LIMIT),
    ))
}

pub(crate) async fn set_limit<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    account: &AccountId,
    limit: Option<u64>,
) -> Result<Finish<()>, Failure> {
    // A quota past i64::MAX is as good as none: no account gets near it.
    let limit = limit.map(|limit| i64::try_from(limit).unwrap_or(i64::MAX));
    tx.execute(&sql.set_limit, &[Text(account.as_str()), NullInt(limit)])
        .await?;
    Ok(Finish::Commit(()))
}

/// The leaving plan of `organization_id` in `account`.
pub(crate) async fn plan<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    account: &AccountId,
    organization_id: &OrganizationId,
) -> Result<Option<StoredPlan>, Failure> {
    let rows = tx
        .rows(
            &sql.leaving_plan,
            &[Text(account.as_str()), Text(organization_id.as_str())],
            &[
                Column::Text,
                Column::Int,
                Column::Text,
                Column::Int,
                Column::Int,
            ],
        )
        .await?;
    let Some(row) = rows.into_iter().next() else {
        return Ok(None);
    };
    let invalid = |what: &str| {
        Failure::Fatal(StoreError::msg(format!(
            "the leaving plan of {organization_id} has an invalid {what}"
        )))
    };
    let [Cell::Text(Some(document)), Cell::Int(Some(version)), Cell::Text(owner), Cell::Int(expires), Cell::Int(Some(updated_at))] =
        <[Cell; 5]>::try_from(row).map_err(|_| invalid("row"))?
    else {
        return Err(invalid("row"));
    };
    let version = u64::try_from(version).map_err(|_| invalid("version"))?;
    let updated_at = u64::try_from(updated_at).map_err(|_| invalid("updated_at"))?;
    let lease = match (owner, expires) {
        (None, None) => None,
        (Some(owner), Some(expires)) => Some(Lease::new(
            LeaseOwner::parse(&owner).map_err(|_| invalid("lease_owner"))?,
            u64::try_from(expires).map_err(|_| invalid("lease_expires"))?,
        )),
        _ => return Err(invalid("lease")),
    };
    Ok(Some(StoredPlan::new(
        account.clone(),
        organization_id.clone(),
        document,
        version,
        lease,
        updated_at,
    )))
}

/// Writes `next` by compare-and-set on its version.
pub(crate) async fn put_plan<T: Tx + ?Sized>(
    tx: &mut T,
    sql: &Sql,
    next: &StoredPlan,
) -> Result<Finish<Written>, Failure> {
    let (Ok(version), Ok(updated_at)) = (
        i64::try_from(next.version()),
        i64::try_from(next.updated_at()),
    ) else {
        return Ok(Finish::Rollback(Written::Stale));
    };
    let owner = next.lease().map(|lease| lease.owner().as_str());
    let expires = match next.lease() {
        Some(lease) => Some(to_i64(lease.expires_at(), "a lease expiry")?),
        None => None,
    };
    let account = Text(next.account().as_str());
    let organization = Text(next.organization_id().as_str());
    let changed = if version == 1 {
        tx.execute(
            &sql.insert_leaving,
            &[
                account,
                organization,
                Text(next.document()),
                NullText(owner),
                NullInt(expires),
                Int(updated_at),
            ],
        )
        .await?
    } else {
        tx.execute(
            &sql.update_leaving,
            &[
                account,
                organization,
                Text(next.document()),
                Int(version - 1),
                NullText(owner),
                NullInt(expires),
                Int(updated_at),
            ],
        )
        .await?
    };
    Ok(if changed == 1 {
        Finish::Commit(Written::Done)
    } else {
        Finish::Rollback(Written::Stale)
    })
}
