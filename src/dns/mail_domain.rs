//! The `GetMailDomain` response: AWS's list of records and the verification statuses.

use std::fmt;

use serde::Serialize;

use super::lenient::{exact, lenient_enum};
use super::{RecordType, RequiredRecord};
use crate::text::{debug_as_display, shown};
use crate::ParseError;

/// The most characters of each `DnsRecord` field, and of a verification status (WorkMail API,
/// `DnsRecord`: `Type`, `Hostname` and `Value` have at most 256).
pub const MAX_FIELD_LEN: usize = 256;

/// The most entries in `Records` (decision: WorkMail lists about eight; the limit bounds the
/// work on what AWS sends).
pub const MAX_RECORDS: usize = 100;

lenient_enum! {
    /// The status of a domain's ownership or DKIM verification, as `GetMailDomain` reports it
    /// (WorkMail API, `DnsRecordVerificationStatus`: `PENDING`, `VERIFIED`, `FAILED`).
    ///
    /// The known spellings are matched exactly; any other string is kept as
    /// [`Unknown`](Self::Unknown), so a status AWS adds later is never lost (and never counts
    /// as verified). The enum is `#[non_exhaustive]`.
    ///
    /// ```
    /// use workmail_org::dns::VerificationStatus;
    ///
    /// assert_eq!(VerificationStatus::from("VERIFIED"), VerificationStatus::Verified);
    /// let later = VerificationStatus::from("EXPIRED");
    /// assert!(!later.is_known());
    /// assert_eq!(later.as_str(), "EXPIRED");
    /// ```
    #[non_exhaustive]
    pub enum VerificationStatus: "verification status", recognized by exact {
        /// `PENDING`: AWS has not yet found the record.
        Pending = "PENDING",
        /// `VERIFIED`: AWS found the record.
        Verified = "VERIFIED",
        /// `FAILED`: AWS stopped looking without finding it.
        Failed = "FAILED",
    }

    /// A verification status string that is not `PENDING`, `VERIFIED` or `FAILED`, exactly
    /// as reported.
    ///
    /// Only this crate builds it, through [`VerificationStatus`]'s conversions.
    pub struct UnknownVerificationStatus;
}

/// One entry of `GetMailDomain`'s `Records` in AWS's shape: `{Type, Hostname, Value}`.
///
/// Each field is a string of at most 256 characters, kept exactly as AWS wrote it (AWS calls
/// this shape `DnsRecord`; the records this crate derives are
/// [`RequiredRecord`]s). A type this crate does not know is kept as
/// [`RecordType::Unknown`].
///
/// Serde reads and writes `{"Type": ..., "Hostname": ..., "Value": ...}`, ignoring unknown
/// fields; a missing or over-long field is an error naming it.
///
/// ```
/// use workmail_org::dns::{DnsRecord, RecordType};
///
/// let record = DnsRecord::new("CAA", "example.com", "0 issue \"amazon.com\"")?;
/// assert_eq!(record.kind(), &RecordType::from("CAA"));
/// assert_eq!(
///     serde_json::to_string(&record)?,
///     r#"{"Type":"CAA","Hostname":"example.com","Value":"0 issue \"amazon.com\""}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct DnsRecord {
    #[serde(rename = "Type")]
    kind: RecordType,
    #[serde(rename = "Hostname")]
    hostname: Box<str>,
    #[serde(rename = "Value")]
    value: Box<str>,
}

impl DnsRecord {
    /// A record in AWS's shape.
    ///
    /// # Errors
    /// [`ResponseError`] with [`ResponseErrorKind::TooLong`] naming `Type`, `Hostname` or
    /// `Value` when it has more than 256 characters.
    pub fn new(
        kind: impl Into<RecordType>,
        hostname: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, ResponseError> {
        let kind = kind.into();
        let hostname = hostname.into();
        let value = value.into();
        let path = FieldPath::record(None);
        check_len(path.field("Type"), kind.as_str())?;
        check_len(path.field("Hostname"), &hostname)?;
        check_len(path.field("Value"), &value)?;
        Ok(DnsRecord {
            kind,
            hostname: hostname.into_boxed_str(),
            value: value.into_boxed_str(),
        })
    }

    /// The record in AWS's shape for a record this crate derived.
    pub(crate) fn from_required(record: &RequiredRecord) -> Self {
        // A derived host has at most 253 characters and a derived value at most 256.
        DnsRecord {
            kind: record.kind(),
            hostname: record.host().into(),
            value: record.value().into_boxed_str(),
        }
    }

    /// From the raw parts, with errors naming `Records[index].FIELD`.
    pub(crate) fn from_raw(raw: RawRecord, index: Option<usize>) -> Result<Self, ResponseError> {
        let path = FieldPath::record(index);
        let require = |field: &'static str, value: Option<String>| {
            let value = value
                .ok_or_else(|| ResponseError::new(path.field(field), ResponseErrorKind::Missing))?;
            check_len(path.field(field), &value)?;
            Ok::<String, ResponseError>(value)
        };
        let kind = require("Type", raw.kind)?;
        let hostname = require("Hostname", raw.hostname)?;
        let value = require("Value", raw.value)?;
        Ok(DnsRecord {
            kind: RecordType::from(kind),
            hostname: hostname.into_boxed_str(),
            value: value.into_boxed_str(),
        })
    }

    /// The record type, e.g. `TXT`; unknown types are kept.
    pub fn kind(&self) -> &RecordType {
        &self.kind
    }

    /// The host name, exactly as given.
    pub fn hostname(&self) -> &str {
        &self.hostname
    }

    /// The value, exactly as given.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for DnsRecord {
    /// `TYPE HOSTNAME VALUE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.kind, self.hostname, self.value)
    }
}

/// A `DnsRecord` as read, every field optional.
#[derive(Debug, Default)]
pub(crate) struct RawRecord {
    pub(crate) kind: Option<String>,
    pub(crate) hostname: Option<String>,
    pub(crate) value: Option<String>,
}

/// A `GetMailDomain` response (WorkMail API, `GetMailDomain`): the records WorkMail asks for
/// and the status of the domain's ownership and DKIM verification.
///
/// Every part is checked when the response is built: each record has `Type`, `Hostname` and
/// `Value` of at most 256 characters (record types this crate does not know are kept), at
/// most [`MAX_RECORDS`] records, statuses of at most 256 characters (unknown ones kept). An
/// absent `IsTestDomain` or `IsDefault` reads as `false`, as the AWS SDKs read it.
///
/// Build one from JSON (serde: PascalCase field names, unknown fields ignored, a malformed or
/// missing field named in the error) or from parts with [`builder`](Self::builder), e.g. from
/// an SDK's output. Then read the tokens with [`listed_records`](Self::listed_records) and ask
/// whether the domain can become the default with
/// [`default_domain_eligibility`](Self::default_domain_eligibility).
///
/// ```
/// use workmail_org::dns::{GetMailDomainResponse, VerificationStatus};
///
/// let json = r#"{
///     "Records": [{"Type": "TXT", "Hostname": "_amazonses.example.com", "Value": "c2VjcmV0"}],
///     "IsTestDomain": false,
///     "IsDefault": false,
///     "OwnershipVerificationStatus": "PENDING",
///     "DkimVerificationStatus": "PENDING",
///     "SomeFieldAwsAddedLater": 1
/// }"#;
/// let response: GetMailDomainResponse = serde_json::from_str(json)?;
/// assert_eq!(response.records().len(), 1);
/// assert_eq!(response.ownership_verification_status(), Some(&VerificationStatus::Pending));
///
/// // The same from parts, as an SDK bridge builds it; a missing field names its path.
/// let err = GetMailDomainResponse::builder()
///     .record(Some("TXT"), Some("_amazonses.example.com"), None)
///     .build()
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "mail domain response field Records[0].Value: missing (every record has Type, Hostname and Value)"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetMailDomainResponse {
    records: Vec<DnsRecord>,
    is_test_domain: bool,
    is_default: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    ownership_verification_status: Option<VerificationStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dkim_verification_status: Option<VerificationStatus>,
}

impl GetMailDomainResponse {
    /// A builder taking every field as AWS's SDKs hand it over: optional strings.
    pub fn builder() -> GetMailDomainResponseBuilder {
        GetMailDomainResponseBuilder::default()
    }

    /// The records AWS lists, in its order, unknown types included.
    pub fn records(&self) -> &[DnsRecord] {
        &self.records
    }

    /// Whether this is the organization's free test domain (`ALIAS.awsapps.com`).
    pub fn is_test_domain(&self) -> bool {
        self.is_test_domain
    }

    /// Whether this is the organization's default domain.
    pub fn is_default(&self) -> bool {
        self.is_default
    }

    /// The ownership verification status, if AWS reported one.
    pub fn ownership_verification_status(&self) -> Option<&VerificationStatus> {
        self.ownership_verification_status.as_ref()
    }

    /// The DKIM verification status, if AWS reported one.
    pub fn dkim_verification_status(&self) -> Option<&VerificationStatus> {
        self.dkim_verification_status.as_ref()
    }
}

/// Builds a [`GetMailDomainResponse`] from parts, checking them all in
/// [`build`](Self::build).
///
/// The setters take what AWS's SDKs return: optional strings for the record fields and the
/// statuses (e.g. `DnsRecordVerificationStatus::as_str`), booleans for the flags.
///
/// ```
/// use workmail_org::dns::GetMailDomainResponse;
///
/// let response = GetMailDomainResponse::builder()
///     .record(Some("MX"), Some("example.com"), Some("10 inbound-smtp.us-east-1.amazonaws.com"))
///     .is_default(true)
///     .ownership_verification_status(Some("VERIFIED"))
///     .build()?;
/// assert!(response.is_default());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct GetMailDomainResponseBuilder {
    records: Vec<(Option<String>, Option<String>, Option<String>)>,
    record_count: usize,
    is_test_domain: bool,
    is_default: bool,
    ownership_verification_status: Option<String>,
    dkim_verification_status: Option<String>,
}

impl GetMailDomainResponseBuilder {
    /// Adds one entry of `Records`: its `Type`, `Hostname` and `Value`, each as AWS gave it.
    pub fn record(
        mut self,
        kind: Option<&str>,
        hostname: Option<&str>,
        value: Option<&str>,
    ) -> Self {
        self.push_raw(RawRecord {
            kind: kind.map(str::to_owned),
            hostname: hostname.map(str::to_owned),
            value: value.map(str::to_owned),
        });
        self
    }

    /// Adds one entry of `Records` as read, keeping only the first [`MAX_RECORDS`] so the
    /// builder stays bounded; `build` reports the excess.
    pub(crate) fn push_raw(&mut self, raw: RawRecord) {
        self.record_count += 1;
        if self.records.len() < MAX_RECORDS {
            self.records.push((raw.kind, raw.hostname, raw.value));
        }
    }

    /// Sets `IsTestDomain` (absent reads as `false`).
    pub fn is_test_domain(mut self, is_test_domain: bool) -> Self {
        self.is_test_domain = is_test_domain;
        self
    }

    /// Sets `IsDefault` (absent reads as `false`).
    pub fn is_default(mut self, is_default: bool) -> Self {
        self.is_default = is_default;
        self
    }

    /// Sets `OwnershipVerificationStatus`.
    pub fn ownership_verification_status(mut self, status: Option<&str>) -> Self {
        self.ownership_verification_status = status.map(str::to_owned);
        self
    }

    /// Sets `DkimVerificationStatus`.
    pub fn dkim_verification_status(mut self, status: Option<&str>) -> Self {
        self.dkim_verification_status = status.map(str::to_owned);
        self
    }

    /// Checks every part and builds the response.
    ///
    /// # Errors
    /// The first problem, as a [`ResponseError`] naming the field: more than
    /// [`MAX_RECORDS`] records (`Records`), a record without `Type`, `Hostname` or `Value`
    /// (`Records[2].Value`), a field or status over 256 characters
    /// (`OwnershipVerificationStatus`).
    pub fn build(self) -> Result<GetMailDomainResponse, ResponseError> {
        if self.record_count > MAX_RECORDS {
            return Err(ResponseError::new(
                FieldPath::records(),
                ResponseErrorKind::TooManyRecords {
                    max: MAX_RECORDS,
                    actual: self.record_count,
                },
            ));
        }
        let records = self
            .records
            .into_iter()
            .enumerate()
            .map(|(index, (kind, hostname, value))| {
                DnsRecord::from_raw(
                    RawRecord {
                        kind,
                        hostname,
                        value,
                    },
                    Some(index),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let status = |field: &'static str, status: Option<String>| {
            status
                .map(|status| {
                    check_len(FieldPath::top(field), &status)?;
                    Ok(VerificationStatus::from(status))
                })
                .transpose()
        };
        Ok(GetMailDomainResponse {
            records,
            is_test_domain: self.is_test_domain,
            is_default: self.is_default,
            ownership_verification_status: status(
                "OwnershipVerificationStatus",
                self.ownership_verification_status,
            )?,
            dkim_verification_status: status(
                "DkimVerificationStatus",
                self.dkim_verification_status,
            )?,
        })
    }
}

fn check_len(path: FieldPath, value: &str) -> Result<(), ResponseError> {
    // Bytes bound characters from above: count only when the bytes are over.
    if value.len() > MAX_FIELD_LEN {
        let actual = value.chars().count();
        if actual > MAX_FIELD_LEN {
            return Err(ResponseError::new(
                path,
                ResponseErrorKind::TooLong {
                    max: MAX_FIELD_LEN,
                    actual,
                },
            ));
        }
    }
    Ok(())
}

/// Where in a `GetMailDomain` response a field is: `Records`, `Records[2].Value`,
/// `OwnershipVerificationStatus`, or `Value` for a lone `DnsRecord`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FieldPath {
    index: Option<usize>,
    field: Option<&'static str>,
    in_records: bool,
}

impl FieldPath {
    pub(crate) fn records() -> Self {
        FieldPath {
            index: None,
            field: None,
            in_records: true,
        }
    }

    pub(crate) fn top(field: &'static str) -> Self {
        FieldPath {
            index: None,
            field: Some(field),
            in_records: false,
        }
    }

    /// A record: `Records[index]`, or a lone `DnsRecord` when `index` is `None`.
    pub(crate) fn record(index: Option<usize>) -> Self {
        FieldPath {
            index,
            field: None,
            in_records: index.is_some(),
        }
    }

    pub(crate) fn field(self, field: &'static str) -> Self {
        FieldPath {
            field: Some(field),
            ..self
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.in_records, self.index, self.field) {
            (true, Some(index), Some(field)) => write!(f, "Records[{index}].{field}"),
            (true, Some(index), None) => write!(f, "Records[{index}]"),
            (true, None, _) => f.write_str("Records"),
            (false, _, Some(field)) => f.write_str(field),
            (false, _, None) => f.write_str("DnsRecord"),
        }
    }
}

/// A `GetMailDomain` response, or what was read from its records, is not usable: which field
/// and what was wrong.
///
/// The message reads `mail domain response field PATH: PROBLEM`, e.g.
/// `mail domain response field Records[2].Value: missing (every record has Type, Hostname and
/// Value)`; [`field`](Self::field) is the path and [`kind`](Self::kind) the problem, typed.
/// `Debug` shows the message.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("mail domain response field {field}: {kind}")]
pub struct ResponseError {
    field: Box<str>,
    kind: ResponseErrorKind,
}

debug_as_display!(ResponseError);

impl ResponseError {
    pub(crate) fn new(path: FieldPath, kind: ResponseErrorKind) -> Self {
        ResponseError {
            field: path.to_string().into_boxed_str(),
            kind,
        }
    }

    /// The field's path: `Records`, `Records[2].Value`, `OwnershipVerificationStatus`, or
    /// `Type`, `Hostname`, `Value` for a lone [`DnsRecord`].
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What was wrong.
    pub fn kind(&self) -> &ResponseErrorKind {
        &self.kind
    }
}

/// What was wrong with a field of a `GetMailDomain` response.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseErrorKind {
    /// A record lacks `Type`, `Hostname` or `Value`.
    Missing,
    /// A string is longer than AWS allows.
    TooLong {
        /// The most characters allowed.
        max: usize,
        /// How many characters it has.
        actual: usize,
    },
    /// More records than [`MAX_RECORDS`].
    TooManyRecords {
        /// The most records allowed.
        max: usize,
        /// How many were seen (reading stops one past the limit, so JSON reports `max + 1`).
        actual: usize,
    },
    /// No TXT record at `_amazonses.DOMAIN`: the response holds no verification token.
    NoVerificationToken {
        /// The host name looked for, `_amazonses.DOMAIN`.
        hostname: Box<str>,
    },
    /// Two ownership TXT records with different tokens.
    ConflictingVerificationTokens {
        /// The index of the record with the first token.
        first: usize,
    },
    /// A token in a record is not valid.
    InvalidToken(ParseError),
    /// More DKIM records than [`MAX_DKIM_TOKENS`](crate::dns::MAX_DKIM_TOKENS).
    TooManyDkimTokens {
        /// The most DKIM tokens allowed.
        max: usize,
    },
}

impl fmt::Display for ResponseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseErrorKind::Missing => {
                f.write_str("missing (every record has Type, Hostname and Value)")
            }
            ResponseErrorKind::TooLong { max, actual } => {
                write!(f, "{actual} characters long (at most {max} allowed)")
            }
            ResponseErrorKind::TooManyRecords { max, actual } => {
                write!(f, "{actual} records (at most {max} allowed)")
            }
            ResponseErrorKind::NoVerificationToken { hostname } => write!(
                f,
                "no TXT record at \"{}\" holds the ownership verification token",
                shown(hostname)
            ),
            ResponseErrorKind::ConflictingVerificationTokens { first } => write!(
                f,
                "a second ownership verification token, different from the one in Records[{first}]"
            ),
            ResponseErrorKind::InvalidToken(err) => write!(f, "{err}"),
            ResponseErrorKind::TooManyDkimTokens { max } => {
                write!(f, "more than {max} DKIM records")
            }
        }
    }
}
