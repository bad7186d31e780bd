//! Findings of whole-organization validation: violations (errors) and advisories.
//!
//! Validation never stops at the first problem: every rule runs and every violation is
//! reported, each with the path of the field it concerns, the AWS error code it stands for
//! and its stable [`Rule`] id. Advisories travel apart: they never make a value invalid.

use std::fmt;

use serde::Serialize;

use crate::spec::FieldPath;
use crate::text::{debug_as_display, string_enum};
use crate::{AwsErrorCode, ParseError, Rule};

/// One broken rule: where, which rule, and what was wrong.
///
/// Serialized, it is an object with `path` (as [`FieldPath`] displays it), `code`, `rule` and
/// `message`.
///
/// ```
/// use workmail_org::{spec::FieldPath, AwsErrorCode, OrganizationAlias, Rule, Violation};
///
/// let err = "d-acme".parse::<OrganizationAlias>().unwrap_err();
/// let violation = Violation::from_parse_error(FieldPath::Alias, &err);
/// assert_eq!(violation.path(), FieldPath::Alias);
/// assert_eq!(violation.rule(), Rule::AliasReservedPrefix);
/// assert_eq!(violation.code(), AwsErrorCode::InvalidParameter);
/// assert_eq!(violation.message(), err.to_string());
///
/// // A rule of your own service, reported like the crate's.
/// let taken = Violation::new(FieldPath::DomainName(0), Rule::DomainsInUse, "domain \"acme.com\" is in use");
/// assert_eq!(taken.to_string(), "domains[0].name: domain \"acme.com\" is in use [domains.in_use, MailDomainInUse]");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Violation {
    path: FieldPath,
    code: AwsErrorCode,
    rule: Rule,
    message: Box<str>,
}

impl Violation {
    /// A violation of `rule` at `path`, explained by `message` (one line, lower-case, no
    /// trailing period, like every message of this crate).
    pub fn new(path: FieldPath, rule: Rule, message: impl Into<String>) -> Self {
        Violation {
            path,
            code: rule.code(),
            rule,
            message: message.into().into_boxed_str(),
        }
    }

    /// The violation a rejected field value stands for: its rule, with its message.
    pub fn from_parse_error(path: FieldPath, error: &ParseError) -> Self {
        Violation::new(path, error.rule(), error.to_string())
    }

    /// The field the violation concerns, e.g. [`FieldPath::Alias`] or
    /// [`FieldPath::DomainName`]`(2)` (displayed `domains[2].name`).
    pub fn path(&self) -> FieldPath {
        self.path
    }

    /// The rule that was broken.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The AWS error a request breaking the rule would get.
    pub fn code(&self) -> AwsErrorCode {
        self.code
    }

    /// What was wrong, in one line.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} [{}, {}]",
            self.path, self.message, self.rule, self.code
        )
    }
}

string_enum! {
    /// Which advice an [`Advisory`] gives: a stable dotted id, like a [`Rule`]'s, for a
    /// finding that never makes a value invalid.
    ///
    /// AWS may add considerations, so the enum is `#[non_exhaustive]`; ids are stable.
    ///
    /// ```
    /// use workmail_org::AdvisoryKind;
    ///
    /// let kind: AdvisoryKind = "advice.interoperability_recommended".parse()?;
    /// assert_eq!(kind, AdvisoryKind::InteroperabilityRecommended);
    /// assert_eq!(kind.id(), "advice.interoperability_recommended");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    pub enum AdvisoryKind: "advisory id" {
        /// `advice.interoperability_recommended`: an AD Connector directory without Exchange
        /// interoperability. AWS recommends it for on-premises Exchange, and it can only be
        /// set at creation (WorkMail Administrator Guide, Creating an organization,
        /// Considerations; API: `EnableInteroperability` exists only in `CreateOrganization`).
        InteroperabilityRecommended = "advice.interoperability_recommended",
        /// `advice.test_domain_needs_enabled_user`: the free test domain stays the
        /// organization's only while it keeps at least one enabled user (WorkMail
        /// Administrator Guide, Creating an organization, Considerations).
        TestDomainNeedsEnabledUser = "advice.test_domain_needs_enabled_user",
        /// `advice.external_domain_dns_records`: an external domain works only once its
        /// verification records are published in its DNS (WorkMail Administrator Guide,
        /// Verifying domains).
        ExternalDomainNeedsDnsRecords = "advice.external_domain_dns_records",
        /// `advice.new_domain_registration`: a new Route 53 domain must be registered before
        /// it has a hosted zone (WorkMail Administrator Guide, Creating an organization).
        NewDomainNeedsRegistration = "advice.new_domain_registration",
        /// `advice.default_domain_unverified`: the chosen default domain is not verified yet
        /// at creation; until it is, the free test domain stays the default (WorkMail API,
        /// UpdateDefaultMailDomain: only a verified domain can be default).
        DefaultDomainNotYetVerifiable = "advice.default_domain_unverified",
    }
}

impl AdvisoryKind {
    /// The stable dotted id, e.g. `"advice.interoperability_recommended"` (the same as
    /// [`as_str`](Self::as_str)).
    pub const fn id(self) -> &'static str {
        self.as_str()
    }
}

/// A finding that does not make a value invalid: something a tool should tell its user.
///
/// Serialized, it is an object with `path`, `rule` (the advisory id) and `message`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Advisory {
    path: FieldPath,
    #[serde(rename = "rule")]
    kind: AdvisoryKind,
    message: Box<str>,
}

impl Advisory {
    /// An advisory at `path`, explained by `message`.
    pub fn new(path: FieldPath, kind: AdvisoryKind, message: impl Into<String>) -> Self {
        Advisory {
            path,
            kind,
            message: message.into().into_boxed_str(),
        }
    }

    /// The field the advice concerns.
    pub fn path(&self) -> FieldPath {
        self.path
    }

    /// Which advice it is.
    pub fn kind(&self) -> AdvisoryKind {
        self.kind
    }

    /// The advice, in one line.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Advisory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.path, self.message, self.kind)
    }
}

/// Every violation found in one validation, in field order ([`FieldPath`]'s order). Never
/// empty.
///
/// The message is a count and then one line per violation; `Debug` shows the same message.
///
/// ```
/// use workmail_org::{spec::FieldPath, OrganizationDraft, Rule, Violation, Violations};
///
/// let violations = OrganizationDraft::new("d-acme", "us-east-1").validate().unwrap_err();
/// assert_eq!(violations.len(), 1);
/// assert!(violations.contains(Rule::AliasReservedPrefix));
/// assert_eq!(
///     violations.to_string(),
///     "1 rule violation\n- alias: organization alias \"d-acme\": the prefix \"d-\" is reserved \
///      for directory ids (in either case) [alias.reserved_prefix, InvalidParameter]"
/// );
///
/// // Your own rules' findings travel the same way.
/// let taken = Violation::new(FieldPath::Alias, Rule::AliasTaken, "alias \"acme\" is held by m-…");
/// assert!(Violations::from(taken).contains(Rule::AliasTaken));
/// ```
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} rule violation{}{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, Bulleted(.0))]
pub struct Violations(Vec<Violation>);

debug_as_display!(Violations);

/// Each violation on its own line, after `- `.
struct Bulleted<'a>(&'a [Violation]);

impl fmt::Display for Bulleted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .iter()
            .try_for_each(|violation| write!(f, "\n- {violation}"))
    }
}

impl Violations {
    /// `Ok(())` when `violations` is empty, else the error that carries them all.
    #[allow(clippy::result_large_err)]
    pub(crate) fn from_vec(violations: Vec<Violation>) -> Result<(), Violations> {
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Violations(violations))
        }
    }

    /// The violations, in order.
    pub fn as_slice(&self) -> &[Violation] {
        &self.0
    }

    /// How many violations (at least one).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: a `Violations` holds at least one violation.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Iterates over the violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// Whether any violation broke `rule`.
    pub fn contains(&self, rule: Rule) -> bool {
        self.0.iter().any(|v| v.rule == rule)
    }

    /// The violations, as a vector.
    pub fn into_vec(self) -> Vec<Violation> {
        self.0
    }
}

impl From<Violation> for Violations {
    /// A single violation.
    fn from(violation: Violation) -> Self {
        Violations(vec![violation])
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Collects findings while every rule runs (serde_derive's `Ctxt` pattern).
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub(crate) violations: Vec<Violation>,
    pub(crate) advisories: Vec<Advisory>,
}

impl Findings {
    /// Records a violation.
    pub(crate) fn violation(&mut self, path: FieldPath, rule: Rule, message: impl Into<String>) {
        self.violations.push(Violation::new(path, rule, message));
    }

    /// Records an advisory.
    pub(crate) fn advise(
        &mut self,
        path: FieldPath,
        kind: AdvisoryKind,
        message: impl Into<String>,
    ) {
        self.advisories.push(Advisory::new(path, kind, message));
    }

    /// Keeps a parsed field value, or records why it was rejected.
    pub(crate) fn field<T>(&mut self, path: FieldPath, parsed: Result<T, ParseError>) -> Option<T> {
        parsed
            .map_err(|err| {
                self.violations
                    .push(Violation::from_parse_error(path, &err))
            })
            .ok()
    }

    /// Keeps an optional field: `Some(None)` when it is unset, `Some(Some(value))` when it
    /// parsed, `None` (and a recorded violation) when it was rejected.
    pub(crate) fn optional<T>(
        &mut self,
        path: FieldPath,
        text: Option<&str>,
        parse: fn(&str) -> Result<T, ParseError>,
    ) -> Option<Option<T>> {
        match text {
            None => Some(None),
            Some(text) => self.field(path, parse(text)).map(Some),
        }
    }

    /// The violations in field order (stable: ties keep the order they were found in), or
    /// `value` when there are none.
    ///
    /// `value` is `None` only when some field failed to parse, and every such failure
    /// recorded a violation; so with no violations, `value` is always `Some`.
    pub(crate) fn conclude<T>(self, value: Option<T>) -> Result<T, Violations> {
        let mut violations = self.violations;
        violations.sort_by_key(Violation::path);
        match (Violations::from_vec(violations), value) {
            (Err(violations), _) => Err(violations),
            (Ok(()), Some(value)) => Ok(value),
            (Ok(()), None) => unreachable!("a field failed to parse without recording a violation"),
        }
    }

    /// The advisories in field order.
    pub(crate) fn into_advisories(self) -> Vec<Advisory> {
        let mut advisories = self.advisories;
        advisories.sort_by_key(Advisory::path);
        advisories
    }
}
