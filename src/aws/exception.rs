//! The errors AWS answers with, by exception name.

use std::fmt;

use crate::id::scan::overlong;
use crate::id::ParseError;
use crate::id::ParseErrorKind;
use crate::rule::{AwsErrorCode, Rule};
use crate::text::string_type;

/// The most characters of an exception name this crate keeps.
pub const MAX_EXCEPTION_NAME_LEN: usize = 256;

/// The exception AWS answered a WorkMail call with, by name: any name AWS returns,
/// `NameAvailabilityException`, `MailDomainInUseException`, `OrganizationNotFoundException`,
/// `OrganizationStateException`, ….
///
/// The name is kept as AWS (or the SDK's `ProvideErrorMetadata::code`) gave it, so an
/// exception this version does not know is never lost; [`code`](Self::code) gives the
/// [`AwsErrorCode`] of this crate's rules where one matches, so a service can tell "AWS
/// refused for the reason our validation predicted" from anything else. A namespace prefix
/// (`com.amazonaws.workmail#`), as the JSON protocol's `__type` may carry, is ignored when
/// matching.
///
/// ```
/// use workmail_org::aws::AwsException;
/// use workmail_org::AwsErrorCode;
///
/// let taken: AwsException = "NameAvailabilityException".parse()?;
/// assert_eq!(taken.code(), Some(AwsErrorCode::NameAvailability));
///
/// let other: AwsException = "com.amazonaws.workmail#OrganizationNotFoundException".parse()?;
/// assert_eq!(other.code(), None);
/// assert_eq!(other.name(), "OrganizationNotFoundException");
/// assert_eq!(other.as_str(), "com.amazonaws.workmail#OrganizationNotFoundException");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AwsException {
    text: Box<str>,
    code: Option<AwsErrorCode>,
}

impl AwsException {
    /// Reads an exception name.
    ///
    /// # Errors
    /// [`Rule::ExceptionNameLength`] for an empty name or one over 256 characters.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let actual =
            overlong(input, MAX_EXCEPTION_NAME_LEN).unwrap_or_else(|| input.chars().count());
        if !(1..=MAX_EXCEPTION_NAME_LEN).contains(&actual) {
            return Err(ParseError::new(
                Rule::ExceptionNameLength,
                ParseErrorKind::Length {
                    min: 1,
                    max: MAX_EXCEPTION_NAME_LEN,
                    actual,
                },
                input,
            ));
        }
        let name = unqualified(input);
        let code = AwsErrorCode::ALL
            .iter()
            .copied()
            .find(|code| code.exception_name() == name);
        Ok(AwsException {
            text: input.into(),
            code,
        })
    }

    /// The name as given, prefix and all.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The exception's name without a namespace prefix, e.g. `"NameAvailabilityException"`.
    pub fn name(&self) -> &str {
        unqualified(&self.text)
    }

    /// The code of this crate's rules that this exception stands for, if any.
    pub fn code(&self) -> Option<AwsErrorCode> {
        self.code
    }
}

/// The part after a `namespace#` prefix.
fn unqualified(name: &str) -> &str {
    name.rsplit_once('#').map_or(name, |(_, name)| name)
}

impl fmt::Debug for AwsException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AwsException").field(&self.text).finish()
    }
}

impl From<AwsErrorCode> for AwsException {
    fn from(code: AwsErrorCode) -> Self {
        AwsException {
            text: code.exception_name().into(),
            code: Some(code),
        }
    }
}

string_type!(AwsException, "an AWS exception name");
