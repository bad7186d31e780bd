//! The values that must be unique among organizations: the keys of a database's unique
//! indexes.

use std::fmt;

use crate::id::{AccountId, DirectoryId, DomainName, Region};
use crate::report::FieldPath;
use crate::report::Violation;
use crate::rule::Rule;
use crate::spec::OrganizationSpec;

/// One value that no two organizations may share, and how far the uniqueness reaches.
///
/// `Display` writes it as one storage key, `KIND/VALUE`, which no other key can spell
/// (none of the parts holds a `/`): `alias/acme-corp`, `domain/acme.com`,
/// `directory/111122223333/us-east-1/d-1234567890`. A key-value store keeps uniqueness with
/// one conditional write per key (DynamoDB: `attribute_not_exists` in one
/// `TransactWriteItems`); a SQL database with one unique index per kind (see
/// [`UniquenessKeys`]).
///
/// The set may grow with what AWS keeps unique, so the enum is `#[non_exhaustive]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum UniquenessKey {
    /// The alias, case-folded
    /// ([`OrganizationAlias::to_canonical`](crate::OrganizationAlias::to_canonical)). Unique
    /// worldwide: it names the free test domain `ALIAS.awsapps.com`
    /// (`NameAvailabilityException`).
    Alias(String),
    /// A mail domain other than the free test domain, in its canonical ASCII lower-case
    /// form. Unique worldwide: a domain belongs to at most one organization of any account
    /// (`MailDomainInUseException`).
    Domain(DomainName),
    /// An existing directory. Unique per account and Region: one directory backs at most
    /// one organization there (`DirectoryInUseException`). A new WorkMail directory has no
    /// key: AWS creates it for the organization.
    Directory {
        /// The account.
        account: AccountId,
        /// The organization's Region.
        region: Region,
        /// The directory.
        directory: DirectoryId,
    },
}

impl UniquenessKey {
    /// The rule a second organization with the same key breaks: [`Rule::AliasTaken`],
    /// [`Rule::DomainsInUse`] or [`Rule::DirectoryInUse`].
    pub fn rule(&self) -> Rule {
        match self {
            UniquenessKey::Alias(_) => Rule::AliasTaken,
            UniquenessKey::Domain(_) => Rule::DomainsInUse,
            UniquenessKey::Directory { .. } => Rule::DirectoryInUse,
        }
    }

    /// What a second organization with the same key is told: what AWS says, naming only the
    /// caller's own value (the alias, the domain, the directory), never who holds it. Stores
    /// are shared by accounts, and accounts by customers, so the holder (another account,
    /// entry or organization) is for the operator, through
    /// [`Rejection::holders`](super::Rejection::holders).
    ///
    /// ```
    /// use workmail_org::catalog::UniquenessKey;
    ///
    /// let key = UniquenessKey::Domain("acme.com".parse()?);
    /// assert_eq!(key.conflict(), "domain \"acme.com\" is in use");
    /// let alias = UniquenessKey::Alias("acme".into());
    /// assert_eq!(alias.conflict(), "organization alias \"acme\" is not available");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn conflict(&self) -> String {
        match self {
            UniquenessKey::Alias(alias) => {
                format!("organization alias \"{alias}\" is not available")
            }
            UniquenessKey::Domain(name) => format!("domain \"{name}\" is in use"),
            UniquenessKey::Directory { directory, .. } => {
                format!("directory \"{directory}\" is in use")
            }
        }
    }
}

impl fmt::Display for UniquenessKey {
    /// The storage key: `alias/ALIAS`, `domain/DOMAIN` or `directory/ACCOUNT/REGION/ID`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UniquenessKey::Alias(alias) => write!(f, "alias/{alias}"),
            UniquenessKey::Domain(name) => write!(f, "domain/{name}"),
            UniquenessKey::Directory {
                account,
                region,
                directory,
            } => write!(f, "directory/{account}/{region}/{directory}"),
        }
    }
}

/// Every value of one organization that must be unique, each with the field of the spec
/// that holds it: what a [`Store`](super::Store) keeps in its unique index.
///
/// A service behind a load balancer cannot keep uniqueness in any one process's memory: its
/// store inserts these keys in the transaction that admits the organization, and lets the
/// database refuse duplicates ([`Catalog`](crate::Catalog) does exactly that on any store).
///
/// The keys come in a fixed order: the alias, each mail domain in the spec's order, then the
/// existing directory if there is one.
///
/// ```
/// use workmail_org::catalog::{UniquenessKey, UniquenessKeys};
/// use workmail_org::{AccountId, OrganizationSpec};
///
/// let account: AccountId = "111122223333".parse()?;
/// let spec: OrganizationSpec = serde_json::from_str(r#"{
///     "alias": "Acme-Corp", "region": "us-east-1",
///     "domains": [{"type": "external", "name": "Acme.COM."}, {"type": "free_test"}],
///     "directory": {"type": "existing", "directory_id": "d-1234567890",
///                   "directory_type": "SimpleAD", "alias": "acme-corp", "region": "us-east-1"}
/// }"#)?;
/// let keys = UniquenessKeys::new(&account, &spec);
/// let stored: Vec<String> = keys.iter().map(|key| key.to_string()).collect();
/// assert_eq!(
///     stored,
///     ["alias/acme-corp", "domain/acme.com", "directory/111122223333/us-east-1/d-1234567890"]
/// );
/// let domain = UniquenessKey::Domain("acme.com".parse()?);
/// assert_eq!(keys.path(&domain).map(|path| path.to_string()).as_deref(), Some("domains[0].name"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # On a SQL database
/// One table of keys, the key's text its primary key (`Display`, `KIND/VALUE`), and the
/// entry holding it beside it. The `workmail-org-stores` member does this on SQLite and
/// PostgreSQL.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UniquenessKeys {
    /// The alias first, then the domains, then the directory.
    keys: Vec<(FieldPath, UniquenessKey)>,
}

impl UniquenessKeys {
    /// The keys of `spec`, created in `account`.
    pub fn new(account: &AccountId, spec: &OrganizationSpec) -> Self {
        let mut keys = Vec::with_capacity(2 + spec.domains().len());
        keys.push((
            FieldPath::Alias,
            UniquenessKey::Alias(spec.alias().to_canonical()),
        ));
        keys.extend(spec.user_domains().map(|(index, name)| {
            (
                FieldPath::DomainName(index),
                UniquenessKey::Domain(name.clone()),
            )
        }));
        if let Some(directory) = spec.directory().existing() {
            keys.push((
                FieldPath::DirectoryId,
                UniquenessKey::Directory {
                    account: account.clone(),
                    region: spec.region(),
                    directory: directory.id().clone(),
                },
            ));
        }
        UniquenessKeys { keys }
    }

    /// The alias's key: the first.
    pub fn alias(&self) -> &UniquenessKey {
        &self.keys[0].1
    }

    /// The field of the spec that holds `key`, if it is one of these keys: `alias`,
    /// `domains[i].name` or `directory.directory_id`.
    pub fn path(&self, key: &UniquenessKey) -> Option<FieldPath> {
        self.keys
            .iter()
            .find(|(_, own)| own == key)
            .map(|(path, _)| *path)
    }

    /// The violation of a spec whose `key` is held by another organization: at the key's
    /// [`path`](Self::path), of its [rule](UniquenessKey::rule), with its
    /// [message](UniquenessKey::conflict), which names no holder.
    pub fn conflict(&self, key: &UniquenessKey) -> Violation {
        let path = self.path(key).unwrap_or(FieldPath::Organization);
        Violation::new(path, key.rule(), key.conflict())
    }

    /// Iterates over the keys, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &UniquenessKey> + '_ {
        self.keys.iter().map(|(_, key)| key)
    }

    /// How many keys: at least one, the alias.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always `false`: every organization has an alias key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
