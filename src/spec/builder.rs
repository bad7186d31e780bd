//! Building a spec from typed parts.

use crate::report::Findings;
use crate::{ClientToken, DomainName, OrganizationAlias, Region, Violations};

use super::cross_field::{self, DirectoryFacts, Entry, Facts};
use super::{DirectoryChoice, EmailDomain, EncryptionChoice, OrganizationSpec};

/// Builds an [`OrganizationSpec`] from typed parts, for Rust callers.
///
/// The parts are already valid values, so only the rules between them remain; `build` runs
/// them all (the same rules as [`OrganizationDraft::validate`](crate::OrganizationDraft::validate),
/// with the same paths) and reports every violation at once. Setters consume and return the
/// builder.
///
/// ```
/// use workmail_org::{
///     DirectoryChoice, spec::DirectoryKind, EmailDomain, EncryptionChoice, spec::ExistingDirectory,
///     OrganizationSpec, Region, Rule,
/// };
///
/// let directory = ExistingDirectory::new(
///     "d-1234567890".parse()?,
///     DirectoryKind::AdConnector,
///     "acme-corp",
///     Region::UsEast1,
/// );
/// let spec = OrganizationSpec::builder("acme-corp".parse()?, Region::UsEast1)
///     .domain(EmailDomain::ExistingRoute53 {
///         name: "acme.com".parse()?,
///         hosted_zone_id: "Z0123456789ABCDEFGHIJ".parse()?,
///     })
///     .domain(EmailDomain::FreeTest)
///     .default_domain("acme.com".parse()?)
///     .directory(DirectoryChoice::Existing(directory))
///     .encryption(EncryptionChoice::CustomerManagedKey(
///         "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".parse()?,
///     ))
///     .interoperability(true)
///     .client_token("create-acme-1".parse()?)
///     .build()?;
/// assert_eq!(spec.default_domain().as_str(), "acme.com");
///
/// // Interoperability without an AD Connector breaks a rule between two parts.
/// let violations = OrganizationSpec::builder("acme-corp".parse()?, Region::UsEast1)
///     .interoperability(true)
///     .build()
///     .unwrap_err();
/// assert!(violations.contains(Rule::InteroperabilityRequiresAdConnector));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct OrganizationSpecBuilder {
    alias: OrganizationAlias,
    region: Region,
    domains: Vec<EmailDomain>,
    default_domain: Option<DomainName>,
    directory: DirectoryChoice,
    encryption: EncryptionChoice,
    interoperability: bool,
    client_token: Option<ClientToken>,
}

impl OrganizationSpecBuilder {
    /// A builder with the required alias and Region and every other choice at its default:
    /// no domains (the test domain only), the test domain as default, a new WorkMail
    /// directory, the WorkMail-managed key, no interoperability, no client token.
    pub fn new(alias: OrganizationAlias, region: Region) -> Self {
        OrganizationSpecBuilder {
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

    /// Adds a domain at the end of the list.
    pub fn domain(mut self, domain: EmailDomain) -> Self {
        self.domains.push(domain);
        self
    }

    /// Adds several domains at the end of the list.
    pub fn domains(mut self, domains: impl IntoIterator<Item = EmailDomain>) -> Self {
        self.domains.extend(domains);
        self
    }

    /// Chooses the default domain: a listed domain or the test domain.
    pub fn default_domain(mut self, domain: DomainName) -> Self {
        self.default_domain = Some(domain);
        self
    }

    /// Chooses the user directory.
    pub fn directory(mut self, directory: DirectoryChoice) -> Self {
        self.directory = directory;
        self
    }

    /// Chooses the encryption key.
    pub fn encryption(mut self, encryption: EncryptionChoice) -> Self {
        self.encryption = encryption;
        self
    }

    /// Turns Exchange interoperability on or off.
    pub fn interoperability(mut self, enabled: bool) -> Self {
        self.interoperability = enabled;
        self
    }

    /// Sets the idempotency token.
    pub fn client_token(mut self, token: ClientToken) -> Self {
        self.client_token = Some(token);
        self
    }

    /// Checks the rules between the parts and returns the spec.
    ///
    /// # Errors
    /// [`Violations`] listing every broken rule: a second free test domain, more than five
    /// other domains, a domain listed twice or under `awsapps.com`, an unknown default
    /// domain, a directory or key in another Region, a directory alias that differs from
    /// the organization alias, interoperability without an AD Connector.
    pub fn build(self) -> Result<OrganizationSpec, Violations> {
        let mut findings = Findings::default();
        let facts = Facts {
            alias: Some(&self.alias),
            region: Some(self.region),
            domains: self
                .domains
                .iter()
                .map(|domain| domain.name().map_or(Entry::FreeTest, Entry::Named))
                .collect(),
            default_domain: self.default_domain.as_ref(),
            directory: match &self.directory {
                DirectoryChoice::NewWorkMailDirectory => DirectoryFacts::New,
                DirectoryChoice::Existing(existing) => DirectoryFacts::Existing {
                    id: existing.id().as_str(),
                    kind: Some(existing.kind()),
                    alias: existing.alias(),
                    region: Some(existing.region()),
                },
            },
            kms_key: self.encryption.kms_key_arn(),
            interoperability: self.interoperability,
        };
        cross_field::check(&facts, &mut findings);
        let spec = OrganizationSpec::from_checked_parts(
            self.alias,
            self.region,
            self.domains,
            self.default_domain,
            self.directory,
            self.encryption,
            self.interoperability,
            self.client_token,
        );
        cross_field::conclude(findings, Some(spec))
    }
}
