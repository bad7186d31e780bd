//! Findings of whole-organization validation: violations (errors) and advisories.
//!
//! Validation never stops at the first problem: every rule runs and every violation is
//! reported, each with the path of the field it concerns, the AWS error code it stands for
//! and its stable [`Rule`] id. Advisories travel apart: they never make a value invalid.

use std::fmt;

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

/// Advice that does not make a value invalid.
///
/// AWS may add considerations, so the enum is `#[non_exhaustive]`; ids are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Advice {
    /// An AD Connector directory without Exchange interoperability: AWS recommends turning
    /// it on, and it can only be set at creation (FACTS rule 5).
    InteroperabilityRecommended,
    /// The free test domain stays the organization's only while it keeps at least one
    /// enabled user (FACTS rule 7).
    TestDomainNeedsEnabledUser,
    /// An external domain works only once its verification records are published in its
    /// DNS (FACTS, "Domains after creation").
    ExternalDomainNeedsDnsRecords,
    /// A new Route 53 domain must be registered before it has a hosted zone (FACTS rule 2).
    NewDomainNeedsRegistration,
    /// The chosen default domain is not verified yet at creation; until it is, the free test
    /// domain stays the default (only a verified domain can be default).
    DefaultDomainNotYetVerifiable,
}

impl Advice {
    /// Every advice, in declaration order.
    pub const ALL: &'static [Advice] = &[
        Advice::InteroperabilityRecommended,
        Advice::TestDomainNeedsEnabledUser,
        Advice::ExternalDomainNeedsDnsRecords,
        Advice::NewDomainNeedsRegistration,
        Advice::DefaultDomainNotYetVerifiable,
    ];

    /// The stable dotted id, e.g. `"advice.interoperability_recommended"`.
    pub const fn id(self) -> &'static str {
        match self {
            Advice::InteroperabilityRecommended => "advice.interoperability_recommended",
            Advice::TestDomainNeedsEnabledUser => "advice.test_domain_needs_enabled_user",
            Advice::ExternalDomainNeedsDnsRecords => "advice.external_domain_dns_records",
            Advice::NewDomainNeedsRegistration => "advice.new_domain_registration",
            Advice::DefaultDomainNotYetVerifiable => "advice.default_domain_unverified",
        }
    }
}

impl fmt::Display for Advice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for Advice {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::rule::deserialize_by_name(deserializer, Advice::ALL, Advice::id, "advice id")
    }
}

impl Serialize for Advice {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// A finding that does not make a value invalid: something a tool should tell its user.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Advisory {
    path: Box<str>,
    #[serde(rename = "rule")]
    advice: Advice,
    message: Box<str>,
}

impl Advisory {
    /// An advisory at `path`, explained by `message`.
    pub fn new(path: impl Into<String>, advice: Advice, message: impl Into<String>) -> Self {
        Advisory {
            path: path.into().into_boxed_str(),
            advice,
            message: message.into().into_boxed_str(),
        }
    }

    /// The field the advice concerns.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Which advice it is.
    pub fn advice(&self) -> Advice {
        self.advice
    }

    /// The advice, in one line.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Advisory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.path, self.message, self.advice)
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
        advice: Advice,
        message: impl Into<String>,
    ) {
        self.advisories.push(Advisory::new(path, advice, message));
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
