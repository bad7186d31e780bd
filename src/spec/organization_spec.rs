//! A validated organization spec.

use std::fmt;

use serde::Serialize;

use crate::{Advisory, ClientToken, DomainName, OrganizationAlias, Region, Violations};

use super::draft::{DirectoryDraft, DomainDraft, EncryptionDraft, ExistingDirectoryDraft};
use super::parts::Parts;
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
// `Deserialize` is written with the format (`format.rs`): it reads a borrowed draft and
// validates it, with the errors of `try_from = "OrganizationDraft"`.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "OrganizationDraft")]
pub struct OrganizationSpec {
    parts: Parts,
    /// Derived from the alias, kept so `default_domain` can lend it.
    test_domain: DomainName,
}

impl fmt::Debug for OrganizationSpec {
    /// The eight choices, as the spec's fields.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.parts.debug(f, "OrganizationSpec")
    }
}

impl OrganizationSpec {
    /// Starts a builder with the two required choices; see [`OrganizationSpecBuilder`].
    pub fn builder(alias: OrganizationAlias, region: Region) -> OrganizationSpecBuilder {
        OrganizationSpecBuilder::new(alias, region)
    }

    /// The spec of checked parts; only [`cross_field::check`](super::cross_field::check) calls this,
    /// after every rule passed.
    pub(super) fn from_parts(parts: Parts) -> Self {
        OrganizationSpec {
            test_domain: parts.alias.test_domain(),
            parts,
        }
    }

    /// The organization alias, as the user spelled it.
    pub fn alias(&self) -> &OrganizationAlias {
        &self.parts.alias
    }

    /// The Region the organization is created in.
    pub fn region(&self) -> Region {
        self.parts.region
    }

    /// The email domains, in the order given (may include [`EmailDomain::FreeTest`]).
    pub fn domains(&self) -> &[EmailDomain] {
        &self.parts.domains
    }

    /// The index in [`domains`](Self::domains) and the name of every domain that is not the
    /// free test domain: what a registry needs to build the path `domains[i].name`.
    pub fn user_domains(&self) -> impl Iterator<Item = (usize, &DomainName)> + '_ {
        self.parts
            .domains
            .iter()
            .enumerate()
            .filter_map(|(index, domain)| domain.name().map(|name| (index, name)))
    }

    /// The default domain, resolved: the chosen one, or the test domain when none was chosen.
    pub fn default_domain(&self) -> &DomainName {
        self.parts
            .default_domain
            .as_ref()
            .unwrap_or(&self.test_domain)
    }

    /// The default domain exactly as chosen; `None` when none was (the test domain is then
    /// the default).
    pub fn chosen_default_domain(&self) -> Option<&DomainName> {
        self.parts.default_domain.as_ref()
    }

    /// The free test domain `ALIAS.awsapps.com` (lower case). It always exists, listed or not.
    pub fn test_domain(&self) -> &DomainName {
        &self.test_domain
    }

    /// The user directory.
    pub fn directory(&self) -> &DirectoryChoice {
        &self.parts.directory
    }

    /// The encryption key.
    pub fn encryption(&self) -> &EncryptionChoice {
        &self.parts.encryption
    }

    /// Whether Exchange interoperability is enabled (only with an AD Connector).
    pub fn interoperability(&self) -> bool {
        self.parts.interoperability
    }

    /// The idempotency token, if any.
    pub fn client_token(&self) -> Option<&ClientToken> {
        self.parts.client_token.as_ref()
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
            alias: self.parts.alias.as_str().to_owned(),
            region: self.parts.region.as_str().to_owned(),
            domains: self.parts.domains.iter().map(domain_draft).collect(),
            default_domain: self
                .parts
                .default_domain
                .as_ref()
                .map(|d| d.as_str().to_owned()),
            directory: directory_draft(&self.parts.directory),
            encryption: encryption_draft(&self.parts.encryption),
            interoperability: self.parts.interoperability,
            client_token: self
                .parts
                .client_token
                .as_ref()
                .map(|t| t.as_str().to_owned()),
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

impl TryFrom<OrganizationDraft> for OrganizationSpec {
    type Error = Violations;

    /// [`OrganizationDraft::validate`].
    fn try_from(draft: OrganizationDraft) -> Result<Self, Violations> {
        draft.validate()
    }
}

impl TryFrom<&OrganizationDraft> for OrganizationSpec {
    type Error = Violations;

    /// [`OrganizationDraft::validate`].
    fn try_from(draft: &OrganizationDraft) -> Result<Self, Violations> {
        draft.validate()
    }
}
