//! Findings of whole-organization validation: violations (errors) and advisories.
//!
//! Validation never stops at the first problem: every rule runs and every violation is
//! reported, each with the path of the field it concerns, the AWS error code it stands for
//! and its stable [`Rule`] id. Advisories travel apart: they never make a value invalid.

use std::fmt;

use crate::text::string_enum;

use serde::Serialize;

use crate::{AwsErrorCode, ParseError, Rule};

/// One broken rule: where, which rule, and what was wrong.
///
/// ```
/// use workmail_org::{AwsErrorCode, OrganizationAlias, Rule, Violation};
///
/// let err = "d-acme".parse::<OrganizationAlias>().unwrap_err();
/// let violation = Violation::from_parse_error("alias", &err);
/// assert_eq!(violation.path(), "alias");
/// assert_eq!(violation.rule(), Rule::AliasReservedPrefix);
/// assert_eq!(violation.code(), AwsErrorCode::InvalidParameter);
/// assert_eq!(violation.message(), err.to_string());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Violation {
    path: Box<str>,
    code: AwsErrorCode,
    rule: Rule,
    message: Box<str>,
}

impl Violation {
    /// A violation of `rule` at `path` (e.g. `domains[2].name`), explained by `message`.
    pub fn new(path: impl Into<String>, rule: Rule, message: impl Into<String>) -> Self {
        Violation {
            path: path.into().into_boxed_str(),
            code: rule.code(),
            rule,
            message: message.into().into_boxed_str(),
        }
    }

    /// The violation a rejected field value stands for: its rule, with its message.
    pub fn from_parse_error(path: impl Into<String>, error: &ParseError) -> Self {
        Violation::new(path, error.rule(), error.to_string())
    }

    /// The field the violation concerns, e.g. `alias`, `domains[2].name`,
    /// `directory.region`, `encryption.kms_key_arn`.
    pub fn path(&self) -> &str {
        &self.path
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
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Advisory {
    path: Box<str>,
    #[serde(rename = "rule")]
    kind: AdvisoryKind,
    message: Box<str>,
}

impl Advisory {
    /// An advisory at `path`, explained by `message`.
    pub fn new(path: impl Into<String>, kind: AdvisoryKind, message: impl Into<String>) -> Self {
        Advisory {
            path: path.into().into_boxed_str(),
            kind,
            message: message.into().into_boxed_str(),
        }
    }

    /// The field the advice concerns.
    pub fn path(&self) -> &str {
        &self.path
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

/// Every violation found in one validation, in the order the fields were checked. Never
/// empty.
///
/// ```
/// use workmail_org::{Rule, Violation, Violations};
///
/// let violations = Violations::from_vec(vec![
///     Violation::new("alias", Rule::AliasTaken, "alias \"acme\" is held by m-…"),
/// ])
/// .unwrap_err();
/// assert_eq!(violations.len(), 1);
/// assert!(violations.contains(Rule::AliasTaken));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// `Ok(())` when `violations` is empty, else the error that carries them all.
    #[allow(clippy::result_large_err)]
    pub fn from_vec(violations: Vec<Violation>) -> Result<(), Violations> {
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

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "{n} rule violation{}", if n == 1 { "" } else { "s" })?;
        for violation in &self.0 {
            write!(f, "\n- {violation}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Violations {}

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
    pub(crate) fn violation(
        &mut self,
        path: impl Into<String>,
        rule: Rule,
        message: impl Into<String>,
    ) {
        self.violations.push(Violation::new(path, rule, message));
    }

    /// Records an advisory.
    pub(crate) fn advise(
        &mut self,
        path: impl Into<String>,
        kind: AdvisoryKind,
        message: impl Into<String>,
    ) {
        self.advisories.push(Advisory::new(path, kind, message));
    }

    /// Keeps a parsed field value, or records why it was rejected.
    pub(crate) fn field<T>(
        &mut self,
        path: impl Into<String>,
        parsed: Result<T, ParseError>,
    ) -> Option<T> {
        parsed
            .map_err(|err| {
                self.violations
                    .push(Violation::from_parse_error(path, &err))
            })
            .ok()
    }
}
