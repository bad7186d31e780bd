//! The values that must be unique among organizations: the keys of a database's unique
//! indexes.

use std::fmt;

use crate::spec::FieldPath;
use crate::{AccountId, DirectoryId, DomainName, OrganizationSpec, Region, Rule, Violation};

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
    Domain {
        /// Its index in the spec's [`domains`](OrganizationSpec::domains), for the path of a
        /// violation.
        index: usize,
        /// The domain.
        name: DomainName,
    },
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
    /// The field of the spec that holds the value: `alias`, `domains[i].name` or
    /// `directory.directory_id`.
    pub fn path(&self) -> FieldPath {
        match self {
            UniquenessKey::Alias(_) => FieldPath::Alias,
            UniquenessKey::Domain { index, .. } => FieldPath::DomainName(*index),
            UniquenessKey::Directory { .. } => FieldPath::DirectoryId,
        }
    }

    /// The rule a second organization with the same key breaks: [`Rule::AliasTaken`],
    /// [`Rule::DomainsInUse`] or [`Rule::DirectoryInUse`].
    pub fn rule(&self) -> Rule {
        match self {
            UniquenessKey::Alias(_) => Rule::AliasTaken,
            UniquenessKey::Domain { .. } => Rule::DomainsInUse,
            UniquenessKey::Directory { .. } => Rule::DirectoryInUse,
        }
    }

    /// The violation of a spec whose key is already held: at [`path`](Self::path), of
    /// [`rule`](Self::rule), naming `owner` (whatever the caller's storage knows of the
    /// holder, e.g. `organization "acme"`).
    ///
    /// ```
    /// use workmail_org::catalog::UniquenessKey;
    ///
    /// let key = UniquenessKey::Domain { index: 1, name: "acme.com".parse()? };
    /// let violation = key.conflict("organization \"acme\"");
    /// assert_eq!(
    ///     violation.to_string(),
    ///     "domains[1].name: domain \"acme.com\" already belongs to organization \"acme\" \
    ///      [domains.in_use, MailDomainInUse]"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn conflict(&self, owner: impl fmt::Display) -> Violation {
        let message = match self {
            UniquenessKey::Alias(alias) => {
                format!("organization alias \"{alias}\" is already held by {owner}")
            }
            UniquenessKey::Domain { name, .. } => {
                format!("domain \"{name}\" already belongs to {owner}")
            }
            UniquenessKey::Directory {
                region, directory, ..
            } => format!("directory \"{directory}\" already backs {owner} in {region}"),
        };
        Violation::new(self.path(), self.rule(), message)
    }
}

impl fmt::Display for UniquenessKey {
    /// The storage key: `alias/ALIAS`, `domain/DOMAIN` or `directory/ACCOUNT/REGION/ID`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UniquenessKey::Alias(alias) => write!(f, "alias/{alias}"),
            UniquenessKey::Domain { name, .. } => write!(f, "domain/{name}"),
            UniquenessKey::Directory {
                account,
                region,
                directory,
            } => write!(f, "directory/{account}/{region}/{directory}"),
        }
    }
}

/// Every value of one organization that must be unique, for storage shared by many
/// processes to enforce with unique indexes.
///
/// A service behind a load balancer cannot keep uniqueness in any one process's memory: it
/// inserts these keys into its database in the transaction that records the organization,
/// and lets the database refuse duplicates. The keys are the same ones a [`Catalog`]
/// checks in memory; [`UniquenessKey::conflict`] turns the key a database refused into the
/// violation a catalog would report.
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
/// assert_eq!(keys.alias(), "acme-corp");
/// let stored: Vec<String> = keys.iter().map(|key| key.to_string()).collect();
/// assert_eq!(
///     stored,
///     ["alias/acme-corp", "domain/acme.com", "directory/111122223333/us-east-1/d-1234567890"]
/// );
/// assert!(matches!(&keys.as_slice()[1], UniquenessKey::Domain { index: 0, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # On a SQL database
///
/// ```sql
/// CREATE TABLE organization_key_alias (
///     alias        text PRIMARY KEY,              -- UniquenessKey::Alias
///     organization text NOT NULL
/// );
/// CREATE TABLE organization_key_domain (
///     domain       text PRIMARY KEY,              -- UniquenessKey::Domain's name
///     organization text NOT NULL
/// );
/// CREATE TABLE organization_key_directory (
///     account      text NOT NULL,
///     region       text NOT NULL,
///     directory    text NOT NULL,
///     organization text NOT NULL,
///     PRIMARY KEY (account, region, directory)    -- UniquenessKey::Directory
/// );
/// -- In the transaction that stores the organization: one INSERT per key. A unique
/// -- violation rolls everything back; its table and value name the key, and
/// -- UniquenessKey::conflict the violation to report.
/// ```
///
/// [`Catalog`]: crate::Catalog
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UniquenessKeys {
    /// The alias first, then the domains, then the directory.
    keys: Vec<UniquenessKey>,
}

impl UniquenessKeys {
    /// The keys of `spec`, created in `account`.
    pub fn new(account: &AccountId, spec: &OrganizationSpec) -> Self {
        let mut keys = Vec::with_capacity(2 + spec.domains().len());
        keys.push(UniquenessKey::Alias(spec.alias().to_canonical()));
        keys.extend(
            spec.user_domains()
                .map(|(index, name)| UniquenessKey::Domain {
                    index,
                    name: name.clone(),
                }),
        );
        if let Some(directory) = spec.directory().existing() {
            keys.push(UniquenessKey::Directory {
                account: account.clone(),
                region: spec.region(),
                directory: directory.id().clone(),
            });
        }
        UniquenessKeys { keys }
    }

    /// The case-folded alias: the first key.
    pub fn alias(&self) -> &str {
        self.keys
            .iter()
            .find_map(|key| match key {
                UniquenessKey::Alias(alias) => Some(alias.as_str()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The keys, in order.
    pub fn as_slice(&self) -> &[UniquenessKey] {
        &self.keys
    }

    /// Iterates over the keys, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, UniquenessKey> {
        self.keys.iter()
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

impl IntoIterator for UniquenessKeys {
    type Item = UniquenessKey;
    type IntoIter = std::vec::IntoIter<UniquenessKey>;
    fn into_iter(self) -> Self::IntoIter {
        self.keys.into_iter()
    }
}

impl<'a> IntoIterator for &'a UniquenessKeys {
    type Item = &'a UniquenessKey;
    type IntoIter = std::slice::Iter<'a, UniquenessKey>;
    fn into_iter(self) -> Self::IntoIter {
        self.keys.iter()
    }
}
