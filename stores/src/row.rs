//! Rows as both engines write and read them: an entry's columns from an [`Entry`], and an
//! [`Entry`] or [`Holder`] back from columns, each value through the library's own parsers.

use std::error::Error;
use std::fmt;

use workmail_org::aws::{CreateOrganizationRequest, Organization};
use workmail_org::catalog::store::{Holder, StoreError, StoredEntry};
use workmail_org::catalog::{Entry, EntryId, Lease, LeaseOwner};
use workmail_org::{
    AccountId, ClientToken, DomainName, OrganizationAlias, OrganizationId, OrganizationSpec, Region,
};

/// A stored row that the library's parsers or checks refuse: written by another tool or an
/// older version, or edited by hand. It travels as the source of a
/// [`StoreError`], so a caller finds it with `downcast_ref`; the row is left as it is.
#[derive(Clone, PartialEq, Eq)]
pub struct InvalidRow {
    table: &'static str,
    row: String,
    column: &'static str,
    problem: String,
}

impl InvalidRow {
    pub(crate) fn new(
        table: &'static str,
        row: impl fmt::Display,
        column: &'static str,
        problem: impl fmt::Display,
    ) -> Self {
        InvalidRow {
            table,
            row: row.to_string(),
            column,
            problem: problem.to_string(),
        }
    }

    /// The table: `organization_entry`, `organization_account` or `organization_key`, or
    /// one of the emulator's (feature `emulator`): `emulator_directories`,
    /// `emulator_organizations` or `emulator_domains`.
    pub fn table(&self) -> &'static str {
        self.table
    }

    /// The row's key as stored: an entry id, an account or a key's text.
    pub fn row(&self) -> &str {
        &self.row
    }

    /// The column holding the bad value (`entry` when the columns each parse but do not make
    /// an entry together).
    pub fn column(&self) -> &'static str {
        self.column
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for InvalidRow {
    /// `row 7 of organization_entry has an invalid spec: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {} of {} has an invalid {}: {}",
            self.row, self.table, self.column, self.problem
        )
    }
}

// Debug reads like the message, so a failed `unwrap` is legible.
impl fmt::Debug for InvalidRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Error for InvalidRow {}

impl From<InvalidRow> for StoreError {
    fn from(invalid: InvalidRow) -> Self {
        StoreError::new("reading a stored row", invalid)
    }
}

/// A number the database keeps as a signed 64-bit integer; larger values are refused rather
/// than wrapped.
pub(crate) fn to_i64(value: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| {
        StoreError::msg(format!(
            "{what} {value} is past the largest the database stores ({})",
            i64::MAX
        ))
    })
}

/// A stored number that must not be negative.
pub(crate) fn to_u64(
    value: i64,
    table: &'static str,
    row: impl fmt::Display,
    column: &'static str,
) -> Result<u64, InvalidRow> {
    u64::try_from(value)
        .map_err(|_| InvalidRow::new(table, row, column, format!("{value} is negative")))
}

const ENTRY: &str = "organization_entry";

/// A row of `organization_entry`, the columns of `entry.sql` in order: as an entry is written
/// ([`of`](Self::of)), and as the database returned it, before any check
/// ([`decode`](Self::decode)).
#[derive(Debug)]
pub(crate) struct EntryRow {
    pub(crate) id: i64,
    pub(crate) account: String,
    pub(crate) region: String,
    pub(crate) alias: String,
    pub(crate) alias_folded: String,
    pub(crate) client_token: Option<String>,
    pub(crate) spec: String,
    pub(crate) request: Option<String>,
    pub(crate) organization_id: Option<String>,
    pub(crate) snapshot: Option<String>,
    pub(crate) mail_domains: String,
    pub(crate) live: bool,
    pub(crate) admitted_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) version: i64,
    pub(crate) token: Option<String>,
    pub(crate) sends: i64,
    pub(crate) sent_at: Option<i64>,
    pub(crate) lease_owner: Option<String>,
    pub(crate) lease_expires: Option<i64>,
}

impl EntryRow {
    /// The row of `entry`: the spec in its JSON format, the request and snapshot in AWS's.
    pub(crate) fn of(entry: &Entry) -> Result<Self, StoreError> {
        let json = |what: &str, result: serde_json::Result<String>| {
            result.map_err(|err| StoreError::new(format!("writing the {what} as JSON"), err))
        };
        let domains: Vec<&str> = entry
            .mail_domains()
            .iter()
            .map(DomainName::as_str)
            .collect();
        Ok(EntryRow {
            id: to_i64(entry.id().get(), "the entry id")?,
            account: entry.account().as_str().to_owned(),
            region: entry.region().as_str().to_owned(),
            alias: entry.alias().as_str().to_owned(),
            alias_folded: entry.alias().to_canonical(),
            client_token: entry
                .spec()
                .client_token()
                .map(|token| token.as_str().to_owned()),
            spec: json("spec", serde_json::to_string(&entry.spec().to_draft()))?,
            request: entry
                .request()
                .map(|request| json("request", serde_json::to_string(request)))
                .transpose()?,
            organization_id: entry.organization_id().map(|id| id.as_str().to_owned()),
            snapshot: entry
                .organization()
                .map(|snapshot| json("snapshot", serde_json::to_string(snapshot)))
                .transpose()?,
            mail_domains: json("mail domains", serde_json::to_string(&domains))?,
            live: entry.is_live(),
            admitted_at: to_i64(entry.admitted_at(), "the admission time")?,
            updated_at: to_i64(entry.updated_at(), "the update time")?,
            version: to_i64(entry.version(), "the version")?,
            token: Some(entry.client_token().as_str().to_owned()),
            sends: i64::from(entry.sends()),
            sent_at: entry
                .sent_at()
                .map(|at| to_i64(at, "the send time"))
                .transpose()?,
            lease_owner: entry.lease().map(|lease| lease.owner().as_str().to_owned()),
            lease_expires: entry
                .lease()
                .map(|lease| to_i64(lease.expires_at(), "the lease's expiry"))
                .transpose()?,
        })
    }

    /// The entry, each column through the library's parser, then `Entry::try_from`'s checks,
    /// then the columns kept beside the JSON for the indexes checked against it.
    pub(crate) fn decode(self) -> Result<Entry, StoreError> {
        let id = EntryId::new(to_u64(self.id, ENTRY, self.id, "id")?);
        let bad = |column: &'static str, problem: &dyn fmt::Display| {
            InvalidRow::new(ENTRY, id, column, problem)
        };
        let account = AccountId::parse(&self.account).map_err(|err| bad("account", &err))?;
        let spec: OrganizationSpec =
            serde_json::from_str(&self.spec).map_err(|err| bad("spec", &err))?;
        let token = self
            .token
            .as_deref()
            .ok_or_else(|| bad("token", &"it is NULL"))?;
        let token = ClientToken::parse(token).map_err(|err| bad("token", &err))?;
        let mut parts = StoredEntry::admitted(
            id,
            account,
            spec,
            token,
            to_u64(self.admitted_at, ENTRY, id, "admitted_at")?,
        );
        parts.sends = u32::try_from(self.sends).map_err(|_| {
            bad(
                "sends",
                &format_args!("{} is not 0 to {}", self.sends, u32::MAX),
            )
        })?;
        parts.sent_at = self
            .sent_at
            .map(|at| to_u64(at, ENTRY, id, "sent_at"))
            .transpose()?;
        parts.lease = match (self.lease_owner.as_deref(), self.lease_expires) {
            (None, None) => None,
            (Some(owner), Some(expires)) => Some(Lease::new(
                LeaseOwner::parse(owner).map_err(|err| bad("lease_owner", &err))?,
                to_u64(expires, ENTRY, id, "lease_expires")?,
            )),
            _ => return Err(bad("lease_expires", &"an owner and an expiry go together").into()),
        };
        parts.request = self
            .request
            .as_deref()
            .map(serde_json::from_str::<CreateOrganizationRequest>)
            .transpose()
            .map_err(|err| bad("request", &err))?;
        parts.organization_id = self
            .organization_id
            .as_deref()
            .map(OrganizationId::parse)
            .transpose()
            .map_err(|err| bad("organization_id", &err))?;
        parts.organization = self
            .snapshot
            .as_deref()
            .map(serde_json::from_str::<Organization>)
            .transpose()
            .map_err(|err| bad("snapshot", &err))?;
        let domains: Vec<String> =
            serde_json::from_str(&self.mail_domains).map_err(|err| bad("mail_domains", &err))?;
        parts.mail_domains = domains
            .iter()
            .map(|name| DomainName::parse(name))
            .collect::<Result<_, _>>()
            .map_err(|err| bad("mail_domains", &err))?;
        parts.updated_at = to_u64(self.updated_at, ENTRY, id, "updated_at")?;
        parts.version = to_u64(self.version, ENTRY, id, "version")?;
        let entry = Entry::try_from(parts).map_err(|err| bad("entry", &err))?;
        let disagrees = |column: &'static str, stored: &dyn fmt::Debug, entry: &dyn fmt::Debug| {
            bad(
                column,
                &format!("{stored:?} disagrees with the entry's {entry:?}"),
            )
        };
        if self.region != entry.region().as_str() {
            return Err(disagrees("region", &self.region, &entry.region().as_str()).into());
        }
        if self.alias != entry.alias().as_str() {
            return Err(disagrees("alias", &self.alias, &entry.alias().as_str()).into());
        }
        if self.alias_folded != entry.alias().to_canonical() {
            let folded = entry.alias().to_canonical();
            return Err(disagrees("alias_folded", &self.alias_folded, &folded).into());
        }
        let token = entry.spec().client_token().map(|token| token.as_str());
        if self.client_token.as_deref() != token {
            return Err(disagrees("client_token", &self.client_token, &token).into());
        }
        if self.live != entry.is_live() {
            return Err(disagrees("live", &self.live, &entry.is_live()).into());
        }
        Ok(entry)
    }
}

/// The entry holding a key, as `holder.sql` returns it.
#[derive(Debug)]
pub(crate) struct HolderRow {
    pub(crate) id: i64,
    pub(crate) account: String,
    pub(crate) region: String,
    pub(crate) alias: String,
}

impl HolderRow {
    pub(crate) fn decode(self) -> Result<Holder, StoreError> {
        let id = EntryId::new(to_u64(self.id, ENTRY, self.id, "id")?);
        let bad = |column: &'static str, problem: &dyn fmt::Display| {
            InvalidRow::new(ENTRY, id, column, problem)
        };
        Ok(Holder::new(
            id,
            AccountId::parse(&self.account).map_err(|err| bad("account", &err))?,
            Region::parse(&self.region).map_err(|err| bad("region", &err))?,
            OrganizationAlias::parse(&self.alias).map_err(|err| bad("alias", &err))?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use workmail_org::catalog::store::StoredEntry;
    use workmail_org::catalog::{Entry, EntryId};
    use workmail_org::OrganizationDraft;

    use super::*;

    fn entry() -> Entry {
        let mut draft = OrganizationDraft::new("Acme", "eu-west-1");
        draft.client_token = Some("token-1".into());
        let stored = StoredEntry::admitted(
            EntryId::new(7),
            "111122223333".parse().unwrap(),
            draft.validate().unwrap(),
            "token-1".parse().unwrap(),
            1_700_000_000,
        );
        Entry::try_from(stored).unwrap()
    }

    fn row_of(entry: &Entry) -> EntryRow {
        EntryRow::of(entry).unwrap()
    }

    #[test]
    fn an_entry_written_as_columns_reads_back_equal() {
        let entry = entry();
        assert_eq!(row_of(&entry).decode().unwrap(), entry);
    }

    #[track_caller]
    fn invalid_column(row: EntryRow) -> &'static str {
        let err = row.decode().unwrap_err();
        let source = std::error::Error::source(&err).expect("a source");
        source
            .downcast_ref::<InvalidRow>()
            .unwrap_or_else(|| panic!("not an invalid row: {err}"))
            .column()
    }

    #[test]
    fn each_bad_column_is_named() {
        let entry = entry();
        type Spoil = fn(&mut EntryRow);
        let cases: [(Spoil, &str); 10] = [
            (|row| row.account = "1111".into(), "account"),
            (|row| row.spec = "{}".into(), "spec"),
            (|row| row.request = Some("[]".into()), "request"),
            (
                |row| row.organization_id = Some("m-".into()),
                "organization_id",
            ),
            (
                |row| row.mail_domains = r#"["not a domain!"]"#.into(),
                "mail_domains",
            ),
            (|row| row.version = -1, "version"),
            (|row| row.region = "us-west-2".into(), "region"),
            (|row| row.client_token = None, "client_token"),
            (|row| row.alias_folded = "ACME".into(), "alias_folded"),
            (|row| row.updated_at = 1, "entry"),
        ];
        for (spoil, column) in cases {
            let mut row = row_of(&entry);
            spoil(&mut row);
            assert_eq!(invalid_column(row), column);
        }
    }

    #[test]
    fn the_message_names_the_table_row_and_column() {
        let mut row = row_of(&entry());
        row.live = false;
        let err = row.decode().unwrap_err();
        let source = std::error::Error::source(&err).unwrap();
        assert_eq!(
            source.to_string(),
            "row 7 of organization_entry has an invalid live: false disagrees with the entry's true"
        );
    }
}
