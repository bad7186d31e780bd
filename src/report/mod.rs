//! Findings of whole-organization validation: violations (errors) and advisories.
//!
//! Validation never stops at the first problem: every rule runs and every violation is
//! reported, each with the path of the field it concerns, the AWS error code it stands for
//! and its stable [`Rule`] id. Advisories travel apart: they never make a value invalid.
//!
//! Reports travel: [`Violation`], [`Violations`], [`Advisory`] and [`ParseError`] serialize
//! with the field names `path`, `code`, `rule` and `message` (the `validate` tool's too), and
//! a client reads a [`Violation`] or an [`Advisory`] back, re-validated. The codes are this
//! crate's closed set, [`AwsErrorCode`]; what AWS itself answers, any exception name, is read
//! by [`aws::AwsException`](crate::aws::AwsException), which gives the [`AwsErrorCode`] where
//! one matches.
//!
//! The crate root re-exports every type of this module; [`MAX_VIOLATIONS`] is only here.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::id::ParseError;
use crate::rule::{AwsErrorCode, Rule};
use crate::text::{debug_as_display, shown, string_enum};

mod finding;
mod findings;
mod path;

pub use finding::{Finding, FindingCode};
pub use findings::MAX_VIOLATIONS;
pub(crate) use findings::{Findings, PARSED};
pub use path::FieldPath;

/// The most bytes of a message read back into a [`Violation`] or an [`Advisory`].
const MAX_MESSAGE_BYTES: usize = 4096;

/// The most bytes of a path read back; the longest real one, `domains[i].hosted_zone_id`
/// with a 20-digit index, has 44.
const MAX_PATH_BYTES: usize = 64;

// The docs of `Violation` and `Advisory` state these numbers.
const _: () = assert!(MAX_MESSAGE_BYTES == 4096 && MAX_PATH_BYTES == 64);

/// One broken rule: where, which rule, and what was wrong.
///
/// Serialized, it is an object with `path` (as [`FieldPath`] displays it), `code`, `rule` and
/// `message`: an error body a service can send as it is. `Deserialize` reads it back and
/// re-validates: `path` must be a path of the [JSON format](crate::spec#json-format) spelled
/// as [`FieldPath`] displays it (at most 64 bytes), `rule` a known rule id, `code` exactly
/// that rule's code, and `message` one line (no control characters) of at most 4096 bytes.
/// Other fields are ignored, so a `validate` output line reads as a violation too.
///
/// ```
/// use workmail_org::{AwsErrorCode, FieldPath, OrganizationAlias, Rule, Violation};
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
///
/// // An error body, and back.
/// let json = serde_json::to_string(&taken)?;
/// assert_eq!(
///     json,
///     r#"{"path":"domains[0].name","code":"MailDomainInUse","rule":"domains.in_use","message":"domain \"acme.com\" is in use"}"#
/// );
/// assert_eq!(serde_json::from_str::<Violation>(&json)?, taken);
///
/// // The code must be the rule's.
/// let forged = json.replace("MailDomainInUse", "InvalidParameter");
/// let err = serde_json::from_str::<Violation>(&forged).unwrap_err();
/// assert!(err.to_string().starts_with(
///     "code InvalidParameter does not match rule domains.in_use, whose code is MailDomainInUse"
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawViolation")]
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
/// `Deserialize` reads it back and re-validates like [`Violation`]'s: a path of the format,
/// a known advisory id, one line of at most 4096 bytes. An advisory has no AWS error code:
/// a `code` field is accepted only as `null`, as the `validate` tool writes it; other fields
/// are ignored.
///
/// ```
/// use workmail_org::{Advisory, AdvisoryKind, OrganizationDraft};
///
/// let spec = OrganizationDraft::new("acme-corp", "us-east-1").validate()?;
/// let advisory = &spec.advisories()[0];
/// let json = serde_json::to_string(advisory)?;
/// assert_eq!(
///     json,
///     r#"{"path":"default_domain","rule":"advice.test_domain_needs_enabled_user","message":"the test domain \"acme-corp.awsapps.com\" stays the organization's only while it keeps at least one enabled user"}"#
/// );
/// assert_eq!(&serde_json::from_str::<Advisory>(&json)?, advisory);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawAdvisory")]
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
/// use workmail_org::{FieldPath, OrganizationDraft, Rule, Violation, Violations};
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
///
/// // Serialized: a JSON array of violations, read back as `Vec<Violation>`.
/// let json = serde_json::to_string(&violations)?;
/// assert!(json.starts_with(r#"[{"path":"alias","code":"InvalidParameter","rule":"alias.reserved_prefix","#));
/// let read: Vec<Violation> = serde_json::from_str(&json)?;
/// assert_eq!(read, violations.as_slice());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{} rule violation{}{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, Bulleted(.0))]
#[serde(transparent)]
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
    /// The message, written once into a string sized for it: a serde error takes it whole,
    /// and growing it line by line was a third of reading an invalid spec.
    pub(crate) fn to_message(&self) -> String {
        use std::fmt::Write;
        // Each line: "\n- ", the path, ": ", the message, " [", the rule id, ", ", the code, "]".
        let size = 32 + self.0.iter().map(|v| v.message.len() + 96).sum::<usize>();
        let mut out = String::with_capacity(size);
        let _ = write!(out, "{self}");
        out
    }

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

/// A violation as it arrives, before its parts are checked together.
#[derive(Deserialize)]
struct RawViolation {
    path: String,
    code: AwsErrorCode,
    rule: Rule,
    message: String,
}

impl TryFrom<RawViolation> for Violation {
    type Error = InvalidFinding;

    fn try_from(raw: RawViolation) -> Result<Self, InvalidFinding> {
        let path = read_path(&raw.path)?;
        if raw.code != raw.rule.code() {
            return Err(InvalidFinding::Code {
                code: raw.code,
                rule: raw.rule,
            });
        }
        check_message(&raw.message)?;
        Ok(Violation::new(path, raw.rule, raw.message))
    }
}

/// An advisory as it arrives, before its parts are checked.
#[derive(Deserialize)]
struct RawAdvisory {
    path: String,
    rule: AdvisoryKind,
    message: String,
    #[serde(default)]
    code: Option<AwsErrorCode>,
}

impl TryFrom<RawAdvisory> for Advisory {
    type Error = InvalidFinding;

    fn try_from(raw: RawAdvisory) -> Result<Self, InvalidFinding> {
        let path = read_path(&raw.path)?;
        if let Some(code) = raw.code {
            return Err(InvalidFinding::AdvisoryCode {
                kind: raw.rule,
                code,
            });
        }
        check_message(&raw.message)?;
        Ok(Advisory::new(path, raw.rule, raw.message))
    }
}

/// Why a serialized violation or advisory was refused; serde shows the message.
#[derive(Debug, thiserror::Error)]
enum InvalidFinding {
    #[error("path \"{0}\" is not a field of the spec format")]
    Path(Box<str>),
    #[error("code {code} does not match rule {rule}, whose code is {}", .rule.code())]
    Code { code: AwsErrorCode, rule: Rule },
    #[error("advisory {kind} has code {code}; an advisory has no AWS error code")]
    AdvisoryCode {
        kind: AdvisoryKind,
        code: AwsErrorCode,
    },
    #[error("message has {0} bytes; at most {MAX_MESSAGE_BYTES} are allowed")]
    MessageLength(usize),
    #[error("message holds a control character at byte {0}; a message is one line")]
    MessageControl(usize),
}

/// Reads a path as [`FieldPath`] displays it: exactly one spelling per path, so what is
/// read writes back unchanged.
fn read_path(text: &str) -> Result<FieldPath, InvalidFinding> {
    FieldPath::parse(text, MAX_PATH_BYTES).ok_or_else(|| InvalidFinding::Path(shown(text)))
}

/// A message read back is one line of at most [`MAX_MESSAGE_BYTES`].
fn check_message(message: &str) -> Result<(), InvalidFinding> {
    if message.len() > MAX_MESSAGE_BYTES {
        return Err(InvalidFinding::MessageLength(message.len()));
    }
    match message.char_indices().find(|(_, c)| c.is_control()) {
        Some((at, _)) => Err(InvalidFinding::MessageControl(at)),
        None => Ok(()),
    }
}

impl Serialize for ParseError {
    /// An object with `code`, `rule` and `message`, the names a [`Violation`] uses (a parse
    /// error has no path: it is about one value, wherever it came from).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// The message, written without an intermediate `String`.
        struct MessageOf<'a>(&'a ParseError);
        impl Serialize for MessageOf<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self.0)
            }
        }
        let mut object = serializer.serialize_struct("ParseError", 3)?;
        object.serialize_field("code", &self.rule().code())?;
        object.serialize_field("rule", &self.rule())?;
        object.serialize_field("message", &MessageOf(self))?;
        object.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path, fixed or indexed; the match fails to compile when `FieldPath` grows.
    fn is_fixed(path: FieldPath) -> bool {
        match path {
            FieldPath::Organization
            | FieldPath::Alias
            | FieldPath::Region
            | FieldPath::Domains
            | FieldPath::DefaultDomain
            | FieldPath::DirectoryId
            | FieldPath::DirectoryType
            | FieldPath::DirectoryAlias
            | FieldPath::DirectoryRegion
            | FieldPath::DirectoryAdditionalRegions
            | FieldPath::DirectoryStage
            | FieldPath::KmsKeyArn
            | FieldPath::Interoperability
            | FieldPath::ClientToken => true,
            FieldPath::Domain(_) | FieldPath::DomainName(_) | FieldPath::HostedZoneId(_) => false,
        }
    }

    #[test]
    fn every_path_reads_back_from_its_display() {
        let fixed = path::FIXED_PATHS;
        assert_eq!(fixed.len(), 14);
        assert!(fixed.iter().all(|path| is_fixed(*path)));
        assert!(fixed.windows(2).all(|pair| pair[0] < pair[1]));
        let indexed = [0, 1, 9, 10, usize::MAX].into_iter().flat_map(|i| {
            [
                FieldPath::Domain(i),
                FieldPath::DomainName(i),
                FieldPath::HostedZoneId(i),
            ]
        });
        for path in fixed.iter().copied().chain(indexed) {
            let text = path.to_string();
            assert!(text.len() <= MAX_PATH_BYTES, "{text}");
            assert_eq!(
                FieldPath::parse(&text, MAX_PATH_BYTES),
                Some(path),
                "{text:?}"
            );
        }
    }

    #[test]
    fn only_the_displayed_spelling_of_a_path_reads() {
        for text in [
            "Alias",
            " alias",
            "alias ",
            "domains[]",
            "domains[01]",
            "domains[+1]",
            "domains[-1]",
            "domains[1].Name",
            "domains[1]name",
            "domains[1].name.",
            "domains[18446744073709551616]",
            "domains[0].hosted_zone",
            "directory",
            "encryption",
            "domains [0]",
        ] {
            assert_eq!(FieldPath::parse(text, MAX_PATH_BYTES), None, "{text:?}");
        }
        let long = format!("domains[{}]", "9".repeat(80));
        assert_eq!(FieldPath::parse(&long, MAX_PATH_BYTES), None);
    }

    #[test]
    fn messages_are_one_bounded_line() {
        assert!(check_message("").is_ok());
        assert!(check_message(&"é".repeat(MAX_MESSAGE_BYTES / 2)).is_ok());
        assert_eq!(
            check_message(&"x".repeat(MAX_MESSAGE_BYTES + 1))
                .unwrap_err()
                .to_string(),
            "message has 4097 bytes; at most 4096 are allowed"
        );
        assert_eq!(
            check_message("two\nlines").unwrap_err().to_string(),
            "message holds a control character at byte 3; a message is one line"
        );
    }
}
