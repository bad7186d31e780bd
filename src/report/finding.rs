//! Any error of a call as findings: the shape of a [`Violation`], for errors that are a
//! rule's and errors that are not.

use std::fmt;

use serde::{Serialize, Serializer};

use super::{FieldPath, Violation};
use crate::rule::{AwsErrorCode, Rule};

/// What a [`Finding`] tells an HTTP layer to answer: the AWS error code of a broken rule, or
/// one of the codes of errors that are no rule's.
///
/// | code | HTTP | what |
/// | --- | --- | --- |
/// | an [`AwsErrorCode`] (`InvalidParameter`, `NameAvailability`, ...) | 400 | a rule is broken: the same answer AWS gives |
/// | `Malformed` | 400 | the input is not JSON of the right shape, or not UTF-8 |
/// | `TooLarge` | 413 | the input is over its limit |
/// | `NotFound` | 404 | no such entry in the caller's account |
/// | `Conflict` | 409 | the entry's stage, lease or history does not allow the call |
/// | `Busy` | 503 | other processes kept changing the entry; retry |
/// | `StoreFailed` | 503 | the store failed; every call is safe to retry |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FindingCode {
    /// A broken rule's AWS error code.
    Aws(AwsErrorCode),
    /// The input is not JSON of the right shape, or not UTF-8.
    Malformed,
    /// The input is over its limit.
    TooLarge,
    /// No such entry in the caller's account.
    NotFound,
    /// The entry's stage, lease or history does not allow the call.
    Conflict,
    /// Other processes kept changing the entry; retry.
    Busy,
    /// The store failed; retry.
    StoreFailed,
}

impl FindingCode {
    /// The code as written: the AWS error code's name, or `Malformed`, `TooLarge`,
    /// `NotFound`, `Conflict`, `Busy`, `StoreFailed`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::Aws(code) => code.as_str(),
            FindingCode::Malformed => "Malformed",
            FindingCode::TooLarge => "TooLarge",
            FindingCode::NotFound => "NotFound",
            FindingCode::Conflict => "Conflict",
            FindingCode::Busy => "Busy",
            FindingCode::StoreFailed => "StoreFailed",
        }
    }

    /// The HTTP status to answer with (see the table above).
    pub fn http_status(self) -> u16 {
        match self {
            FindingCode::Aws(_) | FindingCode::Malformed => 400,
            FindingCode::TooLarge => 413,
            FindingCode::NotFound => 404,
            FindingCode::Conflict => 409,
            FindingCode::Busy | FindingCode::StoreFailed => 503,
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FindingCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One finding of a failed call, serialized with `path`, `code`, `rule` and `message` as a
/// [`Violation`] is: a broken rule's has its rule; an error that is no rule's (a busy entry,
/// a store failure, an entry not found) has `rule: null`, the empty path, and a code that
/// tells an HTTP layer what to answer ([`FindingCode`]).
///
/// `AdmitError::findings`, `CatalogError::findings` and `ReadError::findings` make them.
///
/// ```
/// use workmail_org::catalog::{CatalogError, EntryId, Release};
/// use workmail_org::Catalog;
///
/// let catalog = Catalog::new("111122223333".parse()?);
/// let err = catalog
///     .blocking(|c| c.release(EntryId::new(7), Release::NothingSent, 0))
///     .unwrap_err();
/// let findings = err.findings();
/// assert_eq!(
///     serde_json::to_string(&findings)?,
///     r#"[{"path":"","code":"NotFound","rule":null,"message":"account 111122223333 has no entry 7"}]"#
/// );
/// assert_eq!(findings[0].code().http_status(), 404);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Finding {
    path: FieldPath,
    code: FindingCode,
    rule: Option<Rule>,
    message: String,
}

impl Finding {
    /// A finding that is no rule's: at the empty path.
    pub fn new(code: FindingCode, message: impl Into<String>) -> Self {
        Finding {
            path: FieldPath::Organization,
            code,
            rule: None,
            message: message.into(),
        }
    }

    /// The field it concerns; [`FieldPath::Organization`] (the empty path) when none.
    pub fn path(&self) -> FieldPath {
        self.path
    }

    /// What to answer.
    pub fn code(&self) -> FindingCode {
        self.code
    }

    /// The broken rule, if it is a rule's.
    pub fn rule(&self) -> Option<Rule> {
        self.rule
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<&Violation> for Finding {
    fn from(violation: &Violation) -> Self {
        Finding {
            path: violation.path(),
            code: FindingCode::Aws(violation.code()),
            rule: Some(violation.rule()),
            message: violation.message().to_owned(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path != FieldPath::Organization {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        match self.rule {
            Some(rule) => write!(f, " [{rule}, {}]", self.code),
            None => write!(f, " [{}]", self.code),
        }
    }
}
