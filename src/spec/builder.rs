//! Building a spec from typed parts.

use std::fmt;

use crate::{ClientToken, DomainName, OrganizationAlias, Region, Violations};

use super::{DirectoryChoice, EmailDomain, EncryptionChoice, OrganizationSpec};

/// Builds an [`OrganizationSpec`] from typed parts, for Rust callers.
///
/// The parts are already valid values, so only the rules between them remain; `build` runs
/// them all (the same rule functions as
/// [`OrganizationDraft::validate`](crate::OrganizationDraft::validate), with the same paths)
/// and reports every violation at once. The builder fills in the very fields the spec holds.
/// Setters consume and return the builder.
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
#[derive(Clone, PartialEq, Eq)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct OrganizationSpecBuilder {
    /// The choices so far, not yet checked: never handed out before `build` checks them.
    spec: OrganizationSpec,
}

impl fmt::Debug for OrganizationSpecBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.spec.debug_choices(f, "OrganizationSpecBuilder")
    }
}

impl OrganizationSpecBuilder {
    /// A builder with the required alias and Region and every other choice at its default:
    /// no domains (the test domain only), the test domain as default, a new WorkMail
    /// directory, the WorkMail-managed key, no interoperability, no client token.
    pub fn new(alias: OrganizationAlias, region: Region) -> Self {
        OrganizationSpecBuilder {
            spec: OrganizationSpec::unchecked(alias, region),
        }
    }

    /// Adds a domain at the end of the list.
    pub fn domain(mut self, domain: EmailDomain) -> Self {
        self.spec.domains.push(domain);
        self
    }

    /// Adds several domains at the end of the list.
    pub fn domains(mut self, domains: impl IntoIterator<Item = EmailDomain>) -> Self {
        self.spec.domains.extend(domains);
        self
    }

    /// Chooses the default domain: a listed domain or the test domain.
    pub fn default_domain(mut self, domain: DomainName) -> Self {
        self.spec.default_domain = Some(domain);
        self
    }

    /// Chooses the user directory.
    pub fn directory(mut self, directory: DirectoryChoice) -> Self {
        self.spec.directory = directory;
        self
    }

    /// Chooses the encryption key.
    pub fn encryption(mut self, encryption: EncryptionChoice) -> Self {
        self.spec.encryption = encryption;
        self
    }

    /// Turns Exchange interoperability on or off.
    pub fn interoperability(mut self, enabled: bool) -> Self {
        self.spec.interoperability = enabled;
        self
    }

    /// Sets the idempotency token.
    pub fn client_token(mut self, token: ClientToken) -> Self {
        self.spec.client_token = Some(token);
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
        // The parts as text, read back by the one way in: every rule, with the same paths.
        self.spec.to_draft().validate()
    }
}
