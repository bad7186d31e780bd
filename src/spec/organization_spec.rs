//! A validated organization spec.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::{Advisory, ClientToken, DomainName, OrganizationAlias, Region, Violations};

use super::draft::{DirectoryDraft, DomainDraft, EncryptionDraft, ExistingDirectoryDraft, Text};
use super::{advisories, DirectoryChoice, EmailDomain, EncryptionChoice, OrganizationDraft};
use super::{directory::ACTIVE_STAGE, OrganizationSpecBuilder};

/// Everything a user chooses when creating an organization, checked against every
/// offline-knowable rule.
///
/// The fields are private and a value exists only if valid: the only ways in are
/// [`OrganizationDraft::validate`], [`OrganizationSpec::builder`] and serde's
/// `Deserialize`, which goes through the draft (so deserializing can never skip a rule).
/// `Serialize` writes the [JSON format](crate::spec) with canonical values (lower-case ASCII
/// domains, the alias as spelled), and reading that back gives an equal spec.
///
/// ```
/// use workmail_org::{EmailDomain, OrganizationSpec, Region};
///
/// let spec = OrganizationSpec::builder("Acme-Corp".parse()?, Region::UsEast1)
///     .domain(EmailDomain::External { name: "acme.org".parse()? })
///     .build()?;
/// assert_eq!(spec.alias().as_str(), "Acme-Corp");
/// assert_eq!(spec.default_domain().as_str(), "acme-corp.awsapps.com");
/// let names: Vec<(usize, &str)> = spec.user_domains().map(|(i, n)| (i, n.as_str())).collect();
/// assert_eq!(names, [(0, "acme.org")]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "OrganizationDraft")]
pub struct OrganizationSpec {
    pub(super) alias: OrganizationAlias,
    pub(super) region: Region,
    pub(super) domains: Vec<EmailDomain>,
    pub(super) default_domain: Option<DomainName>,
    pub(super) directory: DirectoryChoice,
    pub(super) encryption: EncryptionChoice,
    pub(super) interoperability: bool,
    pub(super) client_token: Option<ClientToken>,
    /// Derived from the alias, kept so `default_domain` can lend it.
    pub(super) test_domain: DomainName,
}

impl fmt::Debug for OrganizationSpec {
    /// The eight choices, as the spec's fields.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.debug_choices(f, "OrganizationSpec")
    }
}

impl OrganizationSpec {
    /// Starts a builder with the two required choices; see [`OrganizationSpecBuilder`].
    pub fn builder(alias: OrganizationAlias, region: Region) -> OrganizationSpecBuilder {
        OrganizationSpecBuilder::new(alias, region)
    }

    /// The required choices and every other one at its default, not yet checked: what a
    /// builder starts from.
    pub(super) fn unchecked(alias: OrganizationAlias, region: Region) -> Self {
        OrganizationSpec {
            test_domain: alias.test_domain(),
            alias,
            region,
            domains: Vec::new(),
            default_domain: None,
            directory: DirectoryChoice::default(),
            encryption: EncryptionChoice::default(),
            interoperability: false,
            client_token: None,
        }
    }

    /// `Debug` of the spec or of a builder holding one, named `name`: the eight choices as
    /// its own fields.
    pub(super) fn debug_choices(&self, f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
        f.debug_struct(name)
            .field("alias", &self.alias)
            .field("region", &self.region)
            .field("domains", &self.domains)
            .field("default_domain", &self.default_domain)
            .field("directory", &self.directory)
            .field("encryption", &self.encryption)
            .field("interoperability", &self.interoperability)
            .field("client_token", &self.client_token)
            .finish()
    }

    /// The organization alias, as the user spelled it.
    pub fn alias(&self) -> &OrganizationAlias {
        &self.alias
    }

    /// The Region the organization is created in.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The email domains, in the order given (may include [`EmailDomain::FreeTest`]).
    pub fn domains(&self) -> &[EmailDomain] {
        &self.domains
    }

    /// The index in [`domains`](Self::domains) and the name of every domain that is not the
    /// free test domain: what a registry needs to build the path `domains[i].name`.
    pub fn user_domains(&self) -> impl Iterator<Item = (usize, &DomainName)> + '_ {
        self.domains
            .iter()
            .enumerate()
            .filter_map(|(index, domain)| domain.name().map(|name| (index, name)))
    }

    /// The default domain, resolved: the chosen one, or the test domain when none was chosen.
    pub fn default_domain(&self) -> &DomainName {
        self.default_domain.as_ref().unwrap_or(&self.test_domain)
    }

    /// The default domain exactly as chosen; `None` when none was (the test domain is then
    /// the default).
    pub fn chosen_default_domain(&self) -> Option<&DomainName> {
        self.default_domain.as_ref()
    }

    /// The free test domain `ALIAS.awsapps.com` (lower case). It always exists, listed or not.
    pub fn test_domain(&self) -> &DomainName {
        &self.test_domain
    }

    /// The user directory.
    pub fn directory(&self) -> &DirectoryChoice {
        &self.directory
    }

    /// The encryption key.
    pub fn encryption(&self) -> &EncryptionChoice {
        &self.encryption
    }

    /// Whether Exchange interoperability is enabled (only with an AD Connector).
    pub fn interoperability(&self) -> bool {
        self.interoperability
    }

    /// The idempotency token, if any.
    pub fn client_token(&self) -> Option<&ClientToken> {
        self.client_token.as_ref()
    }

    /// The advice for this spec: findings that never make it invalid. See the
    /// [module docs](crate::spec#advisories) for the list.
    ///
    /// ```
    /// use workmail_org::{AdvisoryKind, OrganizationDraft};
    ///
    /// let spec = OrganizationDraft::new("acme-corp", "us-east-1").validate()?;
    /// let advice: Vec<AdvisoryKind> = spec.advisories().iter().map(|a| a.kind()).collect();
    /// assert_eq!(advice, [AdvisoryKind::TestDomainNeedsEnabledUser]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn advisories(&self) -> Vec<Advisory> {
        advisories::of(self)
    }

    /// The spec as a draft: the JSON format as plain data, with canonical values.
    pub fn to_draft(&self) -> OrganizationDraft {
        OrganizationDraft {
            alias: self.alias.as_str().to_owned(),
            region: self.region.as_str().to_owned(),
            domains: self.domains.iter().map(domain_draft).collect(),
            default_domain: self.default_domain.as_ref().map(|d| d.as_str().to_owned()),
            directory: directory_draft(&self.directory),
            encryption: encryption_draft(&self.encryption),
            interoperability: self.interoperability,
            client_token: self.client_token.as_ref().map(|t| t.as_str().to_owned()),
        }
    }
}

fn domain_draft(domain: &EmailDomain) -> DomainDraft {
    match domain {
        EmailDomain::ExistingRoute53 {
            name,
            hosted_zone_id,
        } => DomainDraft::ExistingRoute53 {
            name: name.as_str().to_owned(),
            hosted_zone_id: hosted_zone_id.as_str().to_owned(),
        },
        EmailDomain::NewRoute53 { name } => DomainDraft::NewRoute53 {
            name: name.as_str().to_owned(),
        },
        EmailDomain::External { name } => DomainDraft::External {
            name: name.as_str().to_owned(),
        },
        EmailDomain::FreeTest => DomainDraft::FreeTest,
    }
}

fn directory_draft(directory: &DirectoryChoice) -> DirectoryDraft {
    match directory {
        DirectoryChoice::NewWorkMailDirectory => DirectoryDraft::NewWorkMailDirectory,
        DirectoryChoice::Existing(existing) => DirectoryDraft::Existing(ExistingDirectoryDraft {
            directory_id: existing.id().as_str().to_owned(),
            directory_type: existing.kind().as_str().to_owned(),
            alias: existing.alias().to_owned(),
            region: existing.region().as_str().to_owned(),
            additional_regions: Vec::new(),
            stage: ACTIVE_STAGE.to_owned(),
        }),
    }
}

fn encryption_draft(encryption: &EncryptionChoice) -> EncryptionDraft {
    match encryption {
        EncryptionChoice::WorkMailManagedKey => EncryptionDraft::WorkMailManagedKey,
        EncryptionChoice::CustomerManagedKey(key) => EncryptionDraft::CustomerManagedKey {
            kms_key_arn: key.as_str().to_owned(),
        },
    }
}

impl From<&OrganizationSpec> for OrganizationDraft {
    fn from(spec: &OrganizationSpec) -> Self {
        spec.to_draft()
    }
}

impl From<OrganizationSpec> for OrganizationDraft {
    fn from(spec: OrganizationSpec) -> Self {
        spec.to_draft()
    }
}

impl<'de> Deserialize<'de> for OrganizationSpec {
    /// Reads a draft and validates it: the errors of reading an [`OrganizationDraft`], then
    /// its [`Violations`] as one error, whose message is written once into a sized string.
    /// The draft's text is borrowed from the input where the format lends it.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        OrganizationDraft::<Text<'de>>::deserialize(deserializer)?
            .validate()
            .map_err(|violations| de::Error::custom(violations.to_message()))
    }
}

impl<S: AsRef<str>> TryFrom<OrganizationDraft<S>> for OrganizationSpec {
    type Error = Violations;

    /// [`OrganizationDraft::validate`].
    fn try_from(draft: OrganizationDraft<S>) -> Result<Self, Violations> {
        draft.validate()
    }
}

impl<S: AsRef<str>> TryFrom<&OrganizationDraft<S>> for OrganizationSpec {
    type Error = Violations;

    /// [`OrganizationDraft::validate`].
    fn try_from(draft: &OrganizationDraft<S>) -> Result<Self, Violations> {
        draft.validate()
    }
}
