//! A spec's eight fields in every form: the draft (text), the spec (values), the builder, and
//! the one way from a draft to a spec, [`OrganizationDraft::validate`].

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::id::{ClientToken, DomainName, OrganizationAlias, Region};
use crate::report::{Advisory, Violations};
use crate::report::{FieldPath, Findings, PARSED};

use super::email_domain::{DomainEntry, ListedDomain};
use super::raw::Text;
use super::{advisories, cross_field, DirectoryChoice, DirectoryDraft, DomainDraft, EmailDomain};
use super::{parsed, EncryptionChoice, EncryptionDraft, MAX_USER_DOMAINS};

/// What a user chose, unchecked: the JSON format of a spec, as plain data.
///
/// Every value is plain text, `S`: a `String` unless you choose another text type. Any
/// `S: AsRef<str>` validates, so `OrganizationDraft<&str>` checks borrowed text without
/// copying it. Reading a draft never fails because of a bad value, only because of bad
/// shape (an unknown field, a missing `alias` or `region`, a field its `type` does not have,
/// a wrong JSON type); read through [`read_json`](super::read_json), such an error names the
/// JSON path of what is wrong. [`validate`](Self::validate) then checks every rule and
/// reports every violation at once. See the [module docs](crate::spec#json-format) for the
/// format, its defaults and the serde formats that read it.
///
/// ```
/// use workmail_org::{FieldPath, OrganizationDraft, Rule};
///
/// let draft = OrganizationDraft {
///     alias: "acme-corp".into(),
///     region: "us-east-1".into(),
///     default_domain: Some("acme.com".into()),
///     ..OrganizationDraft::default()
/// };
/// let violations = draft.validate().unwrap_err();
/// assert_eq!(violations.len(), 1);
/// let violation = &violations.as_slice()[0];
/// assert_eq!(violation.path(), FieldPath::DefaultDomain);
/// assert_eq!(violation.rule(), Rule::DefaultDomainUnknown);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an organization spec: an object with `alias` and `region`",
    bound(deserialize = "S: Deserialize<'de> + From<&'static str>")
)]
pub struct OrganizationDraft<S = String> {
    /// The organization alias (required).
    pub alias: S,
    /// The AWS Region code (required).
    pub region: S,
    /// The email domains; empty means only the free test domain.
    #[serde(default, deserialize_with = "domain_list")]
    pub domains: Vec<DomainDraft<S>>,
    /// The default domain; `None` means the free test domain.
    #[serde(default)]
    pub default_domain: Option<S>,
    /// The user directory; a new WorkMail directory by default.
    #[serde(default)]
    pub directory: DirectoryDraft<S>,
    /// The encryption key; the WorkMail-managed key by default.
    #[serde(default)]
    pub encryption: EncryptionDraft<S>,
    /// Exchange interoperability; off by default.
    #[serde(default)]
    pub interoperability: bool,
    /// The idempotency token for `CreateOrganization`; none by default.
    #[serde(default)]
    pub client_token: Option<S>,
}

/// Reads `domains` as serde reads any `Vec`, with room for a whole spec's list (the five
/// user domains and the test domain) from its first entry: the list then grows only past
/// that.
fn domain_list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    struct List<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for List<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a sequence")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let Some(first) = seq.next_element()? else {
                return Ok(Vec::new());
            };
            // A format's count, if any, is trusted only up to a bound, as serde does.
            let expected = seq.size_hint().unwrap_or(0).saturating_add(1);
            let mut list = Vec::with_capacity(expected.clamp(MAX_USER_DOMAINS + 1, 64));
            list.push(first);
            while let Some(domain) = seq.next_element()? {
                list.push(domain);
            }
            Ok(list)
        }
    }

    deserializer.deserialize_seq(List(PhantomData))
}

impl Default for OrganizationDraft {
    /// Empty alias and Region, every other field at its default.
    fn default() -> Self {
        OrganizationDraft::new(String::new(), String::new())
    }
}

impl OrganizationDraft {
    /// A draft with only the two required fields; everything else takes its default.
    pub fn new(alias: impl Into<String>, region: impl Into<String>) -> Self {
        OrganizationDraft {
            alias: alias.into(),
            region: region.into(),
            domains: Vec::new(),
            default_domain: None,
            directory: DirectoryDraft::default(),
            encryption: EncryptionDraft::default(),
            interoperability: false,
            client_token: None,
        }
    }
}

impl<S: Serialize> Serialize for OrganizationDraft<S> {
    /// Every field in order, except that a human-readable format leaves out an unset
    /// `default_domain` or `client_token`. A compact format gets all eight, so one that
    /// writes objects as sequences keeps every field in its place.
    fn serialize<W: Serializer>(&self, serializer: W) -> Result<W::Ok, W::Error> {
        let every = !serializer.is_human_readable();
        let written = |field: &Option<S>| every || field.is_some();
        let len = 6
            + usize::from(written(&self.default_domain))
            + usize::from(written(&self.client_token));
        let mut out = serializer.serialize_struct("OrganizationDraft", len)?;
        out.serialize_field("alias", &self.alias)?;
        out.serialize_field("region", &self.region)?;
        out.serialize_field("domains", &self.domains)?;
        if written(&self.default_domain) {
            out.serialize_field("default_domain", &self.default_domain)?;
        } else {
            out.skip_field("default_domain")?;
        }
        out.serialize_field("directory", &self.directory)?;
        out.serialize_field("encryption", &self.encryption)?;
        out.serialize_field("interoperability", &self.interoperability)?;
        if written(&self.client_token) {
            out.serialize_field("client_token", &self.client_token)?;
        } else {
            out.skip_field("client_token")?;
        }
        out.end()
    }
}

impl<S: AsRef<str>> OrganizationDraft<S> {
    /// Checks every rule and returns the spec, or every violation found.
    ///
    /// Each field is parsed by its value type (a field that fails reports its own violation
    /// at its path); then every cross-field rule whose fields parsed runs. A rule that needs
    /// a field that failed to parse is skipped, so one bad value never causes a cascade.
    /// Violations come in field order ([`FieldPath`]'s order): `alias`, `region`, `domains`,
    /// `default_domain`, `directory`, `encryption`, `interoperability`, `client_token`.
    ///
    /// # Errors
    /// [`Violations`], never empty, each naming its path, rule and AWS error code.
    ///
    /// ```
    /// use workmail_org::{FieldPath, OrganizationDraft, Rule};
    ///
    /// let draft = OrganizationDraft::new("d-acme", "eu-central-1");
    /// let violations = draft.validate().unwrap_err();
    /// let found: Vec<(FieldPath, Rule)> = violations.iter().map(|v| (v.path(), v.rule())).collect();
    /// assert_eq!(
    ///     found,
    ///     [(FieldPath::Alias, Rule::AliasReservedPrefix), (FieldPath::Region, Rule::RegionUnsupported)]
    /// );
    /// ```
    pub fn validate(&self) -> Result<OrganizationSpec, Violations> {
        let mut findings = Findings::default();
        let alias = parsed(
            &mut findings,
            FieldPath::Alias,
            OrganizationAlias::parse(self.alias.as_ref()),
        );
        let region = parsed(
            &mut findings,
            FieldPath::Region,
            Region::parse(self.region.as_ref()),
        );
        let domains = DomainEntry::read_all(&self.domains, &mut findings);
        let default_domain = findings.optional(
            FieldPath::DefaultDomain,
            self.default_domain.as_ref().map(AsRef::as_ref),
            DomainName::parse,
        );
        let directory =
            DirectoryChoice::read(&self.directory, (alias.as_ref(), region), &mut findings);
        let encryption = EncryptionChoice::read(&self.encryption, region, &mut findings);
        let client_token = findings.optional(
            FieldPath::ClientToken,
            self.client_token.as_ref().map(AsRef::as_ref),
            ClientToken::parse,
        );

        match &domains {
            Ok(domains) => domain_rules(domains, &default_domain, alias.as_ref(), &mut findings),
            Err(entries) => domain_rules(entries, &default_domain, alias.as_ref(), &mut findings),
        }
        if self.interoperability {
            cross_field::interoperability_needs_ad_connector(&self.directory, &mut findings);
        }

        findings.finish()?;
        // No violation was recorded, so every field parsed. The spec is built in place as
        // the returned value: built first and then moved, its 360 bytes were copied twice
        // more.
        let alias = alias.expect(PARSED);
        Ok(OrganizationSpec {
            test_domain: alias.test_domain(),
            alias,
            region: region.expect(PARSED),
            domains: domains.ok().expect(PARSED),
            default_domain: default_domain.expect(PARSED),
            directory: directory.expect(PARSED),
            encryption: encryption.expect(PARSED),
            interoperability: self.interoperability,
            client_token: client_token.expect(PARSED),
        })
    }
}

/// The rules between the listed domains, and between them and the default domain (when it
/// parsed).
fn domain_rules(
    domains: &[impl ListedDomain],
    default_domain: &Option<Option<DomainName>>,
    alias: Option<&OrganizationAlias>,
    findings: &mut Findings,
) {
    cross_field::free_test_listed_once(domains, findings);
    cross_field::at_most_five_user_domains(domains, findings);
    cross_field::no_domain_listed_twice(domains, findings);
    cross_field::no_user_domain_in_test_namespace(domains, findings);
    if let Some(Some(default)) = default_domain {
        cross_field::default_domain_is_known(default, domains, alias, findings);
    }
}

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
            domains: self.domains.iter().map(EmailDomain::to_draft).collect(),
            default_domain: self.default_domain.as_ref().map(|d| d.as_str().to_owned()),
            directory: self.directory.to_draft(),
            encryption: self.encryption.to_draft(),
            interoperability: self.interoperability,
            client_token: self.client_token.as_ref().map(|t| t.as_str().to_owned()),
        }
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
        // Validated where it was read: moved out of the `Result` first, the draft's 280
        // bytes were copied once more.
        match OrganizationDraft::<Text<'de>>::deserialize(deserializer) {
            Ok(ref draft) => draft
                .validate()
                .map_err(|violations| de::Error::custom(violations.to_message())),
            Err(err) => Err(err),
        }
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

/// Builds an [`OrganizationSpec`] from typed parts, for Rust callers.
///
/// The parts are already valid values, so only the rules between them remain; `build` runs
/// them all (the same rule functions as
/// [`OrganizationDraft::validate`](crate::spec::OrganizationDraft::validate), with the same paths)
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
