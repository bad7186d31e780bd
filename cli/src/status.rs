//! `status [ALIAS]`: the account's entries and their stages.

use workmail_org::catalog::store::MAX_PAGE;
use workmail_org::OrganizationAlias;

use crate::job::{catalog_failed, StoreCatalog};
use crate::output::{self, About, Exit};

/// Prints every entry of the account (deleted ones included), or its live entry with
/// `alias`.
pub async fn run(catalog: &StoreCatalog, alias: Option<OrganizationAlias>) -> Exit {
    if let Some(alias) = alias {
        return match catalog.by_alias(&alias).await {
            Ok(Some(entry)) => {
                output::entry(&entry);
                Exit::Done
            }
            Ok(None) => {
                output::error(
                    About {
                        file: None,
                        alias: Some(alias.as_str()),
                    },
                    "NotFound",
                    &format!("the account has no live organization \"{alias}\""),
                );
                Exit::Refused
            }
            Err(err) => catalog_failed(About::default(), &err.into()),
        };
    }
    let mut after = None;
    loop {
        let page = match catalog.list(None, after, MAX_PAGE).await {
            Ok(page) => page,
            Err(err) => return catalog_failed(About::default(), &err.into()),
        };
        let Some(last) = page.last() else {
            return Exit::Done;
        };
        after = Some(last.id());
        page.iter().for_each(output::entry);
    }
}
