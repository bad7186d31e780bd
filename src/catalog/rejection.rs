//! Why an admission was refused: the violations a caller may be shown, and who holds what,
//! for the operator.

use std::fmt;

use super::{Holder, Quota, UniquenessKey};
use crate::report::Violations;

/// The catalog rules an admission broke ([`AdmitError::Rejected`](super::AdmitError)).
///
/// Two audiences, kept apart:
/// - [`violations`](Self::violations) are for whoever sent the spec. Their messages say what
///   AWS says (`organization alias "acme" is not available`, `domain "acme.com" is in use`,
///   `directory "d-1234567890" is in use`) and name only the caller's own values: never an
///   account id, an entry id or another organization, since a store is shared by accounts,
///   and an account by a service's customers.
/// - [`holders`](Self::holders), [`token_holder`](Self::token_holder) and
///   [`quota`](Self::quota) are for the operator: the entry holding each key, the entry that
///   already used the client token, the account's count.
///
/// `Display` and `Debug` show the violations only.
///
/// ```
/// use workmail_org::catalog::AdmitError;
/// use workmail_org::{AccountId, Catalog, OrganizationDraft, Rule};
///
/// let catalog = Catalog::new("111122223333".parse::<AccountId>()?);
/// let spec = OrganizationDraft::new("acme", "us-east-1").validate()?;
/// catalog.blocking(|c| c.admit(&spec, 1))?;
/// let Err(AdmitError::Rejected(rejection)) = catalog.blocking(|c| c.admit(&spec, 2)) else {
///     panic!("the alias is held");
/// };
/// assert!(rejection.violations().contains(Rule::AliasTaken));
/// assert_eq!(
///     rejection.to_string(),
///     "1 rule violation\n- alias: organization alias \"acme\" is not available \
///      [alias.taken, NameAvailability]"
/// );
/// let (key, holder) = &rejection.holders()[0];
/// assert_eq!(key.to_string(), "alias/acme");
/// assert_eq!(holder.account.as_str(), "111122223333");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Rejection {
    violations: Violations,
    holders: Vec<(UniquenessKey, Holder)>,
    token_holder: Option<Holder>,
    quota: Option<Quota>,
}

impl Rejection {
    /// Violations, and nothing known of who holds what.
    pub fn new(violations: Violations) -> Self {
        Rejection {
            violations,
            holders: Vec::new(),
            token_holder: None,
            quota: None,
        }
    }

    /// The same rejection, naming who holds each held key.
    #[must_use]
    pub(crate) fn with_holders(mut self, holders: Vec<(UniquenessKey, Holder)>) -> Self {
        self.holders = holders;
        self
    }

    /// The same rejection, naming the entry that already used the client token.
    #[must_use]
    pub(crate) fn with_token_holder(mut self, holder: Holder) -> Self {
        self.token_holder = Some(holder);
        self
    }

    /// The same rejection, with the account's full quota.
    #[must_use]
    pub(crate) fn with_quota(mut self, quota: Quota) -> Self {
        self.quota = Some(quota);
        self
    }

    /// Every violation, for the caller: their messages name no other account, entry or
    /// organization.
    pub fn violations(&self) -> &Violations {
        &self.violations
    }

    /// The violations, by value.
    pub fn into_violations(self) -> Violations {
        self.violations
    }

    /// Each held key of the spec with the entry holding it, in the keys' order: for the
    /// operator, never for the caller (the holder may be another customer's).
    pub fn holders(&self) -> &[(UniquenessKey, Holder)] {
        &self.holders
    }

    /// The entry that already used the spec's client token with another spec
    /// (`client_token.reused`), for the operator.
    pub fn token_holder(&self) -> Option<&Holder> {
        self.token_holder.as_ref()
    }

    /// The account's live organizations and quota, when the quota is reached
    /// (`account.organization_limit`), for the operator.
    pub fn quota(&self) -> Option<Quota> {
        self.quota
    }
}

impl From<Violations> for Rejection {
    fn from(violations: Violations) -> Self {
        Rejection::new(violations)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.violations, f)
    }
}

crate::text::debug_as_display!(Rejection);

impl std::error::Error for Rejection {}
