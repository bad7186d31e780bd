//! Reading AWS's answers: every field checked against the API model, and named when it fails.

use std::str::FromStr;

use crate::id::ParseError;
use crate::reported::Reported;
use crate::text::{debug_as_display, shown};

/// A field of an AWS response that is missing, too long, too many or malformed: the crate's
/// one error for a malformed AWS response, from every reader ([`aws`](crate::aws)'s snapshots
/// and [`GetMailDomainResponse`](super::GetMailDomainResponse)), whether it read
/// JSON, an SDK output or parts.
///
/// [`operation`](Self::operation) names the call, [`field`](Self::field) the field as the API
/// spells it (with its index in a list: `Records[2].Value`) and [`kind`](Self::kind) the rule
/// it broke. The message reads `OPERATION response: FIELD: PROBLEM`, e.g.
/// `DescribeOrganization response: OrganizationId: organization id "m-1": must be exactly 34
/// characters long, found 3`. `Debug` shows the message.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation} response: {field}: {kind}")]
pub struct ResponseError {
    operation: &'static str,
    field: Box<str>,
    kind: ResponseErrorKind,
}

debug_as_display!(ResponseError);

/// What was wrong with a response field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseErrorKind {
    /// A field the snapshot needs is absent.
    #[error("missing, but required")]
    Missing,
    /// A list has more entries than allowed (e.g. `GetMailDomain`'s `Records`, at most
    /// [`MAX_RECORDS`](super::MAX_RECORDS)).
    #[error("{actual} entries (at most {max} allowed)")]
    TooMany {
        /// The most entries allowed.
        max: usize,
        /// How many there were.
        actual: usize,
    },
    /// The field's length is outside what the API model allows.
    #[error("\"{shown}\" is {actual} characters long; the API allows {min} to {max}")]
    Length {
        /// The value, escaped and shortened.
        shown: Box<str>,
        /// The fewest characters allowed.
        min: usize,
        /// The most characters allowed.
        max: usize,
        /// How many it has.
        actual: usize,
    },
    /// The field breaks its pattern or type.
    #[error("{0}")]
    Invalid(ParseError),
    /// The field breaks a constraint of the API model that no identifier of this crate
    /// carries.
    #[error("\"{shown}\" {problem}")]
    Pattern {
        /// The value, escaped and shortened.
        shown: Box<str>,
        /// What is wrong, e.g. "does not match the API model's ARN pattern".
        problem: &'static str,
    },
}

impl ResponseError {
    pub(crate) fn new(
        operation: &'static str,
        field: impl Into<Box<str>>,
        kind: ResponseErrorKind,
    ) -> Self {
        ResponseError {
            operation,
            field: field.into(),
            kind,
        }
    }

    /// The operation whose response it was, e.g. `"DescribeOrganization"` or
    /// `"GetMailDomain"`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The field as the API spells it, e.g. `"OrganizationId"` or `"Records[2].Value"`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What was wrong.
    pub fn kind(&self) -> &ResponseErrorKind {
        &self.kind
    }
}

/// Reads the fields of one response, naming each in its errors: the one set of presence,
/// length and parse checks every reader of an AWS response uses.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) operation: &'static str,
}

impl Fields {
    pub(crate) fn error(&self, field: &str, kind: ResponseErrorKind) -> ResponseError {
        ResponseError::new(self.operation, field, kind)
    }

    /// A field the snapshot needs.
    pub(crate) fn required<T>(&self, field: &str, value: Option<T>) -> Result<T, ResponseError> {
        value.ok_or_else(|| self.error(field, ResponseErrorKind::Missing))
    }

    /// Text whose length the API model bounds.
    pub(crate) fn text(
        &self,
        field: &str,
        value: String,
        min: usize,
        max: usize,
    ) -> Result<Box<str>, ResponseError> {
        // Bytes first: a value over 4 bytes per allowed character is surely too long, and is
        // refused before any character is counted.
        let actual = if value.len() > max.saturating_mul(4) {
            value.len()
        } else {
            value.chars().count()
        };
        if actual < min || actual > max {
            return Err(self.error(
                field,
                ResponseErrorKind::Length {
                    shown: shown(&value),
                    min,
                    max,
                    actual,
                },
            ));
        }
        Ok(value.into_boxed_str())
    }

    /// A value of one of this crate's identifiers.
    pub(crate) fn parsed<T: FromStr<Err = ParseError>>(
        &self,
        field: &str,
        value: &str,
    ) -> Result<T, ResponseError> {
        value
            .parse()
            .map_err(|err| self.error(field, ResponseErrorKind::Invalid(err)))
    }

    /// A free-form value kept as reported, after its length check.
    pub(crate) fn reported<T: FromStr>(
        &self,
        field: &str,
        value: String,
        max: usize,
    ) -> Result<Reported<T>, ResponseError> {
        Ok(Reported::new(self.text(field, value, 0, max)?))
    }
}
