//! The SQL both engines run, and the row it reads, re-validated on the way out.

use workmail_org::catalog::{AliasHolder, RegistryError, Reservation};
use workmail_org::{AccountId, ClientToken, OrganizationAlias, ParseError, Region};

use crate::StoreError;

/// Creates the table; idempotent.
pub(crate) const SCHEMA: &str = include_str!("../sql/schema.sql");
/// Inserts a reservation unless the folded alias is already there:
/// `$1` folded alias, `$2` spelling, `$3` account, `$4` Region, `$5` client token.
pub(crate) const RESERVE: &str = include_str!("../sql/reserve.sql");
/// Reads the reservation of `$1`, a folded alias.
pub(crate) const HOLDER: &str = include_str!("../sql/holder.sql");
/// Deletes the reservation of `$1` if `$2`, `$3`, `$4` (account, Region, client token) hold it.
pub(crate) const RELEASE: &str = include_str!("../sql/release.sql");

/// A row of `organization_alias` as the database returned it, before validation.
pub(crate) struct StoredRow {
    pub(crate) alias_folded: String,
    pub(crate) alias: String,
    pub(crate) account: String,
    pub(crate) region: String,
    pub(crate) client_token: Option<String>,
}

impl StoredRow {
    /// The alias as reserved and its holder, each value through the library's parser, so a
    /// row written by anything else cannot smuggle an invalid value into the program.
    pub(crate) fn decode(self) -> Result<(OrganizationAlias, AliasHolder), StoreError> {
        let key = self.alias_folded;
        let invalid = |column: &'static str, err: ParseError| StoreError::InvalidRow {
            key: key.clone(),
            column,
            problem: err.to_string(),
        };
        let alias = OrganizationAlias::parse(&self.alias).map_err(|e| invalid("alias", e))?;
        if alias.to_canonical() != key {
            return Err(StoreError::InvalidRow {
                column: "alias_folded",
                problem: format!(
                    "\"{key}\" is not the folded form of the alias \"{}\"",
                    self.alias
                ),
                key,
            });
        }
        let account = AccountId::parse(&self.account).map_err(|e| invalid("account", e))?;
        let region = Region::parse(&self.region).map_err(|e| invalid("region", e))?;
        let client_token = self
            .client_token
            .as_deref()
            .map(ClientToken::parse)
            .transpose()
            .map_err(|e| invalid("client_token", e))?;
        Ok((alias, AliasHolder::new(account, region, client_token)))
    }
}

/// The values a holder is stored as: account, Region, client token.
pub(crate) fn holder_columns(holder: &AliasHolder) -> (&str, &'static str, Option<&str>) {
    (
        holder.account().as_str(),
        holder.region().as_str(),
        holder.client_token().map(ClientToken::as_str),
    )
}

/// A driver's or this crate's error as the registry's backend error.
pub(crate) fn backend<E>(err: E) -> RegistryError<AliasHolder>
where
    E: std::error::Error + Send + Sync + 'static,
{
    RegistryError::Backend(Box::new(err))
}

/// How many times a registry runs its statement pair (write, then read the holder) before
/// giving up with [`StoreError::Unsettled`]. A second run needs the alias released and
/// reserved again between the two statements; an eighth needs that seven times in a row.
pub(crate) const MAX_ATTEMPTS: u32 = 8;

/// Runs `attempt` until it settles (`Some`), at most [`MAX_ATTEMPTS`] times.
pub(crate) fn settle<T>(
    alias: &OrganizationAlias,
    mut attempt: impl FnMut() -> Result<Option<T>, RegistryError<AliasHolder>>,
) -> Result<T, RegistryError<AliasHolder>> {
    for _ in 0..MAX_ATTEMPTS {
        if let Some(done) = attempt()? {
            return Ok(done);
        }
    }
    Err(backend(StoreError::Unsettled {
        alias: alias.clone(),
        attempts: MAX_ATTEMPTS,
    }))
}

/// What a reservation that inserted nothing answers, given who holds the alias now; `None`
/// when nobody does (it was released since the insert): try again.
pub(crate) fn reserve_outcome(
    wanted: &AliasHolder,
    current: Option<(OrganizationAlias, AliasHolder)>,
) -> Option<Result<Reservation, RegistryError<AliasHolder>>> {
    let (alias, holder) = current?;
    Some(if holder == *wanted {
        Ok(Reservation::AlreadyHeld)
    } else {
        Err(RegistryError::Taken { alias, holder })
    })
}

/// What a release that deleted nothing answers, given who holds the alias now; `None` when
/// the releasing holder does (it reserved again since the delete): try again.
pub(crate) fn release_outcome(
    alias: &OrganizationAlias,
    releasing: &AliasHolder,
    current: Option<(OrganizationAlias, AliasHolder)>,
) -> Option<Result<(), RegistryError<AliasHolder>>> {
    match current {
        None => Some(Err(RegistryError::NotReserved {
            alias: alias.clone(),
        })),
        Some((_, holder)) if holder == *releasing => None,
        Some((alias, holder)) => Some(Err(RegistryError::HeldByOther { alias, holder })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(alias_folded: &str, alias: &str, account: &str, region: &str) -> StoredRow {
        StoredRow {
            alias_folded: alias_folded.into(),
            alias: alias.into(),
            account: account.into(),
            region: region.into(),
            client_token: Some("token-1".into()),
        }
    }

    #[test]
    fn a_valid_row_decodes_with_its_spelling() {
        let (alias, holder) = row("acme", "AcMe", "111122223333", "eu-west-1")
            .decode()
            .unwrap();
        assert_eq!(alias.as_str(), "AcMe");
        assert_eq!(holder.account().as_str(), "111122223333");
        assert_eq!(holder.region(), Region::EuWest1);
        assert_eq!(holder.client_token().unwrap().as_str(), "token-1");
    }

    #[test]
    fn each_bad_column_is_named() {
        let cases = [
            (row("acme", "acme", "1111", "us-east-1"), "account"),
            (row("acme", "acme", "111122223333", "mars-1"), "region"),
            (row("d-x", "d-x", "111122223333", "us-east-1"), "alias"),
            (
                row("acme", "globex", "111122223333", "us-east-1"),
                "alias_folded",
            ),
        ];
        for (row, column) in cases {
            match row.decode() {
                Err(StoreError::InvalidRow { column: got, .. }) => assert_eq!(got, column),
                other => panic!("expected an invalid {column}, got {other:?}"),
            }
        }
        let mut bad_token = row("acme", "acme", "111122223333", "us-east-1");
        bad_token.client_token = Some("two words".into());
        let err = bad_token.decode().unwrap_err();
        assert!(err.to_string().starts_with(
            "stored row \"acme\" of organization_alias has an invalid client_token: "
        ));
    }

    #[test]
    fn parameters_appear_in_order_so_sqlite_binds_them_by_position() {
        // Positional parameters appear in order, so SQLite's `$N` names bind by index too.
        for (sql, count) in [(RESERVE, 5), (HOLDER, 1), (RELEASE, 4)] {
            let positions: Vec<usize> = (1..=count)
                .map(|n| sql.find(&format!("${n}")).expect("parameter present"))
                .collect();
            assert!(positions.windows(2).all(|w| w[0] < w[1]), "{sql}");
            assert!(!sql.contains(&format!("${}", count + 1)), "{sql}");
        }
    }
}
