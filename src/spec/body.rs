//! Reading a spec from the body of a request or a file: the one entry point whose shape
//! errors name their JSON path.

use crate::report::Violations;
use crate::text::{cut_quoted, shown};

use super::raw::Text;
use super::{OrganizationDraft, OrganizationSpec};

/// The most bytes a spec's body may have: 1 MiB (1,048,576 bytes), a byte order mark
/// included. A spec with five domains and an existing directory has about 1 KB.
///
/// A single value has its own, smaller bound before any costly work: a domain name over
/// [`id::MAX_IDNA_INPUT_BYTES`](crate::id::MAX_IDNA_INPUT_BYTES) never reaches IDNA.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// A UTF-8 byte order mark, which some editors write at the start of a file.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// What the top of a spec must be, in the message for a JSON array.
const EXPECTED_SPEC: &str = "an organization spec: an object with `alias` and `region`";

/// Reads a spec from a body of JSON and validates it: what a service or a tool does with
/// what it was sent.
///
/// The body has at most [`MAX_BODY_BYTES`], a UTF-8 byte order mark at its start is skipped,
/// and the rest must be UTF-8 JSON of the [format](crate::spec#json-format), an object (a
/// JSON array is refused, though a compact format may write objects as sequences). A body of
/// the wrong shape gets [`ReadError::Shape`], naming the JSON path of what is wrong and what
/// is allowed there, never a Rust type; a well-formed spec that breaks rules gets
/// [`ReadError::Invalid`] with every violation (at most
/// [`MAX_VIOLATIONS`](crate::report::MAX_VIOLATIONS) and one counting the rest).
///
/// The common case pays for no path: the body is read once without tracking it, and only a
/// body that fails is read again to name where.
///
/// ```
/// use workmail_org::spec::{read_json, ReadError};
/// use workmail_org::Rule;
///
/// let spec = read_json(br#"{"alias": "acme-corp", "region": "us-east-1"}"#)?;
/// assert_eq!(spec.alias().as_str(), "acme-corp");
///
/// let err = read_json(br#"{"alias": "acme", "region": "us-east-1", "domains": [{"type": "external", "name": 1}]}"#)
///     .unwrap_err();
/// assert_eq!(err.path(), Some("domains[0].name"));
/// assert_eq!(
///     err.to_string(),
///     "domains[0].name: invalid type: integer `1`, expected a string at line 1 column 83"
/// );
///
/// let err = read_json(br#"{"alias": "acme", "region": "us-east-1", "domains": [{"type": "externl"}]}"#)
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "domains[0].type: unknown variant `externl`, expected one of `existing_route53`, \
///      `new_route53`, `external`, `free_test` at line 1 column 71"
/// );
///
/// let ReadError::Invalid(violations) = read_json(br#"{"alias": "d-acme", "region": "us-east-1"}"#)
///     .unwrap_err()
/// else {
///     panic!("a rule violation");
/// };
/// assert!(violations.contains(Rule::AliasReservedPrefix));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ReadError`]: too large, not UTF-8, not a spec's shape, or invalid.
pub fn read_json(body: &[u8]) -> Result<OrganizationSpec, ReadError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(ReadError::TooLarge { bytes: body.len() });
    }
    let body = body.strip_prefix(BYTE_ORDER_MARK).unwrap_or(body);
    let text = std::str::from_utf8(body).map_err(|err| ReadError::NotUtf8 {
        at: err.valid_up_to(),
    })?;
    // JSON's whitespace: space, tab, line feed, carriage return.
    if let Some(at) = text.find(|c: char| !matches!(c, ' ' | '\t' | '\n' | '\r')) {
        if text[at..].starts_with('[') {
            return Err(array(text, at));
        }
    }
    match serde_json::from_str::<OrganizationDraft<Text<'_>>>(text) {
        Ok(draft) => draft.validate().map_err(ReadError::Invalid),
        Err(err) => Err(shape(text, err)),
    }
}

/// The error of a body that failed to read, read again to name where; `first` is the error
/// of the first reading.
fn shape(text: &str, first: serde_json::Error) -> ReadError {
    let mut json = serde_json::Deserializer::from_str(text);
    let (path, err) = match serde_path_to_error::deserialize::<_, OrganizationDraft>(&mut json) {
        Err(err) => (err.path().to_string(), err.into_inner()),
        // A document that reads must also have nothing after it; the first error stands in
        // should the two readings ever disagree.
        Ok(_) => (String::new(), json.end().err().unwrap_or(first)),
    };
    ReadError::Shape {
        // serde_path_to_error writes the top as `.`, and `?` where it cannot tell.
        path: match path.as_str() {
            "." | "?" => "".into(),
            // An unknown key is part of the path: shown escaped and cut, like every input.
            _ => shown(&path),
        },
        message: cut_quoted(&err.to_string()).into_boxed_str(),
    }
}

/// The error for a body that is a JSON array at byte `at`, placed as serde_json places its
/// errors.
fn array(text: &str, at: usize) -> ReadError {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |newline| newline + 1) + 1;
    ReadError::Shape {
        path: "".into(),
        message: format!(
            "invalid type: sequence, expected {EXPECTED_SPEC} at line {line} column {column}"
        )
        .into_boxed_str(),
    }
}

/// Why a body gave no spec: [`read_json`]'s error.
///
/// Every message is one line, except that of [`Invalid`](Self::Invalid), which lists each
/// violation on its own line; each quotes at most 64 characters of any input.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The body has more than [`MAX_BODY_BYTES`].
    #[error("too large: a spec has at most 1 MiB ({MAX_BODY_BYTES} bytes), found {bytes}")]
    TooLarge {
        /// How many bytes it has.
        bytes: usize,
    },
    /// The body is not UTF-8.
    #[error("not UTF-8: invalid byte sequence at byte {at}")]
    NotUtf8 {
        /// Where the first invalid byte is, after any byte order mark.
        at: usize,
    },
    /// The body is not JSON of a spec's shape: bad JSON, an unknown, missing or repeated
    /// field, an unknown `type`, a field another `type` has, or a wrong JSON type.
    #[error("{}{}{message}", .path, if .path.is_empty() { "" } else { ": " })]
    Shape {
        /// The JSON path of what is wrong, e.g. `domains[0].name`; empty at the top.
        path: Box<str>,
        /// What is wrong and what is allowed, with the line and column, e.g. ``invalid
        /// type: integer `1`, expected a string at line 1 column 84``.
        message: Box<str>,
    },
    /// The spec is well formed and breaks rules.
    #[error(transparent)]
    Invalid(Violations),
}

crate::text::debug_as_display!(ReadError);

impl ReadError {
    /// The error as findings, for an API's answer: every violation of an invalid spec with
    /// its rule; otherwise one finding without a rule, `TooLarge` or `Malformed` (a shape
    /// error at its JSON path, in the message).
    pub fn findings(&self) -> Vec<crate::report::Finding> {
        use crate::report::{Finding, FindingCode};
        match self {
            ReadError::Invalid(violations) => violations.iter().map(Finding::from).collect(),
            ReadError::TooLarge { .. } => {
                vec![Finding::new(FindingCode::TooLarge, self.to_string())]
            }
            ReadError::NotUtf8 { .. } | ReadError::Shape { .. } => {
                vec![Finding::new(FindingCode::Malformed, self.to_string())]
            }
        }
    }

    /// The JSON path of a shape error (empty at the top); `None` for any other error.
    pub fn path(&self) -> Option<&str> {
        match self {
            ReadError::Shape { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The violations of a spec that breaks rules; `None` for any other error.
    pub fn violations(&self) -> Option<&Violations> {
        match self {
            ReadError::Invalid(violations) => Some(violations),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_is_placed_where_it_starts() {
        let err = read_json(b"\n  [\"acme\", \"us-east-1\"]").unwrap_err();
        assert_eq!(err.path(), Some(""));
        assert_eq!(
            err.to_string(),
            "invalid type: sequence, expected an organization spec: an object with `alias` and \
             `region` at line 2 column 3"
        );
    }

    #[test]
    fn trailing_text_is_refused_with_its_place() {
        let err = read_json(br#"{"alias": "acme", "region": "us-east-1"} x"#).unwrap_err();
        assert_eq!(err.to_string(), "trailing characters at line 1 column 42");
    }
}
