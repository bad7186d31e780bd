//! The `GetMailDomain` response: AWS's list of records and the verification statuses, read
//! like every other response (derive, then `TryFrom`).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::response::{Fields, ResponseError, ResponseErrorKind};
use crate::reported::Reported;
use crate::text::string_enum;

/// The most characters of each `DnsRecord` field, and of a verification status (WorkMail API,
/// `DnsRecord`: `Type`, `Hostname` and `Value` have at most 256).
pub const MAX_FIELD_LEN: usize = 256;

/// The most entries in `Records` (decision: WorkMail lists about eight; the limit bounds the
/// work on what AWS sends).
pub const MAX_RECORDS: usize = 100;

/// Names the fields of a `GetMailDomain` response in its errors.
pub(crate) const FIELDS: Fields = Fields {
    operation: "GetMailDomain",
};

string_enum! {
    /// A DNS record type (RFC 1035 mnemonic): the types this crate works with.
    ///
    /// `FromStr` and serde accept any ASCII letter case (decision: DNS type mnemonics ignore
    /// case, and zone files and resolvers write both); `as_str` and `Display` give the
    /// upper-case mnemonic, as AWS writes it. A type AWS or a resolver reports is a
    /// [`Reported<RecordType>`](crate::Reported), which keeps a type this crate does not know
    /// exactly as given and compares with a `RecordType` whatever its case. New types may
    /// become variants, so the enum is `#[non_exhaustive]`.
    ///
    /// ```
    /// use workmail_org::aws::RecordType;
    /// use workmail_org::Reported;
    ///
    /// assert_eq!("txt".parse::<RecordType>()?, RecordType::Txt);
    /// assert_eq!(RecordType::Txt.as_str(), "TXT");
    /// assert!("CAA".parse::<RecordType>().is_err());
    ///
    /// let caa: Reported<RecordType> = Reported::new("CAA");
    /// assert!(!caa.is_known());
    /// assert_eq!(caa.to_string(), "CAA");
    /// assert_eq!(Reported::<RecordType>::new("cname"), RecordType::Cname);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    pub enum RecordType: "DNS record type", ignoring ASCII case {
        /// `TXT`: text strings (RFC 1035).
        Txt = "TXT",
        /// `MX`: a mail exchange with its preference (RFC 1035).
        Mx = "MX",
        /// `CNAME`: an alias for another name (RFC 1035).
        Cname = "CNAME",
        /// `A`: an IPv4 address (RFC 1035).
        A = "A",
        /// `AAAA`: an IPv6 address (RFC 3596).
        Aaaa = "AAAA",
    }
}

string_enum! {
    /// The status of a domain's ownership or DKIM verification (WorkMail API,
    /// `DnsRecordVerificationStatus`: `PENDING`, `VERIFIED`, `FAILED`), spelled exactly
    /// (case-sensitive) as AWS spells it.
    ///
    /// A status `GetMailDomain` reports is a [`Reported<VerificationStatus>`](crate::Reported),
    /// so a status AWS adds later is kept, never lost, and never counts as verified. The enum
    /// is `#[non_exhaustive]`.
    ///
    /// ```
    /// use workmail_org::aws::VerificationStatus;
    /// use workmail_org::Reported;
    ///
    /// assert_eq!("VERIFIED".parse::<VerificationStatus>()?, VerificationStatus::Verified);
    /// let later: Reported<VerificationStatus> = Reported::new("EXPIRED");
    /// assert!(!later.is_known());
    /// assert_eq!(later.as_str(), "EXPIRED");
    /// assert_ne!(later, VerificationStatus::Verified);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    pub enum VerificationStatus: "verification status" {
        /// `PENDING`: AWS has not yet found the record.
        Pending = "PENDING",
        /// `VERIFIED`: AWS found the record.
        Verified = "VERIFIED",
        /// `FAILED`: AWS stopped looking without finding it.
        Failed = "FAILED",
    }
}

/// One entry of `GetMailDomain`'s `Records` in AWS's shape: `{Type, Hostname, Value}`.
///
/// Each field is a string of at most 256 characters, kept exactly as AWS wrote it (AWS calls
/// this shape `DnsRecord`; the records this crate derives are
/// [`RequiredRecord`](crate::dns::RequiredRecord)s). The type
/// is a [`Reported<RecordType>`](crate::Reported): one this crate does not know is kept.
///
/// Serde reads and writes `{"Type": ..., "Hostname": ..., "Value": ...}`, ignoring unknown
/// fields; a missing or over-long field is a [`ResponseError`] naming it.
///
/// ```
/// use workmail_org::aws::{DnsRecord, RecordType};
///
/// let record = DnsRecord::new("CAA", "example.com", "0 issue \"amazon.com\"")?;
/// assert_eq!(record.kind().as_str(), "CAA");
/// assert!(!record.kind().is_known());
/// assert_eq!(DnsRecord::new("txt", "example.com", "v")?.kind(), &RecordType::Txt);
/// assert_eq!(
///     serde_json::to_string(&record)?,
///     r#"{"Type":"CAA","Hostname":"example.com","Value":"0 issue \"amazon.com\""}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawDnsRecord")]
pub struct DnsRecord {
    #[serde(rename = "Type")]
    kind: Reported<RecordType>,
    #[serde(rename = "Hostname")]
    hostname: Box<str>,
    #[serde(rename = "Value")]
    value: Box<str>,
}

impl DnsRecord {
    /// A record in AWS's shape, each field as AWS gave it.
    ///
    /// # Errors
    /// [`ResponseError`] with [`ResponseErrorKind::Length`] naming `Type`, `Hostname` or
    /// `Value` when it has more than 256 characters.
    pub fn new(
        kind: impl Into<String>,
        hostname: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, ResponseError> {
        let raw = RawDnsRecord {
            kind: Some(kind.into()),
            hostname: Some(hostname.into()),
            value: Some(value.into()),
        };
        DnsRecord::from_raw(raw, None)
    }

    /// A record whose fields are known to be within the API's bounds: one this crate
    /// derived.
    pub(crate) fn from_checked(
        kind: Reported<RecordType>,
        hostname: Box<str>,
        value: Box<str>,
    ) -> Self {
        DnsRecord {
            kind,
            hostname,
            value,
        }
    }

    /// From the raw parts, with errors naming `Records[index].FIELD` (or `FIELD` for a lone
    /// record).
    fn from_raw(raw: RawDnsRecord, index: Option<usize>) -> Result<Self, ResponseError> {
        let text = |name: &'static str, value: Option<String>| {
            let field = record_field(index, name);
            let value = FIELDS.required(&field, value)?;
            FIELDS.text(&field, value, 0, MAX_FIELD_LEN)
        };
        Ok(DnsRecord {
            kind: Reported::new(text("Type", raw.kind)?),
            hostname: text("Hostname", raw.hostname)?,
            value: text("Value", raw.value)?,
        })
    }

    /// The record type, e.g. `TXT`, as AWS wrote it; unknown types are kept.
    pub fn kind(&self) -> &Reported<RecordType> {
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

/// A `DnsRecord` as read, every field optional; unknown fields are ignored, as AWS adds
/// fields.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a record: an object with `Type`, `Hostname` and `Value`"
)]
struct RawDnsRecord {
    #[serde(rename = "Type", default)]
    kind: Option<String>,
    #[serde(default)]
    hostname: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

impl TryFrom<RawDnsRecord> for DnsRecord {
    type Error = ResponseError;

    /// A lone record: errors name `Type`, `Hostname` or `Value`.
    fn try_from(raw: RawDnsRecord) -> Result<Self, ResponseError> {
        DnsRecord::from_raw(raw, None)
    }
}

/// A `GetMailDomain` response (WorkMail API, `GetMailDomain`): the records WorkMail asks for
/// and the status of the domain's ownership and DKIM verification.
///
/// Every part is checked when the response is built: each record has `Type`, `Hostname` and
/// `Value` of at most 256 characters (record types this crate does not know are kept), at
/// most [`MAX_RECORDS`] records, statuses of at most 256 characters (unknown ones kept). An
/// absent `IsTestDomain` or `IsDefault` reads as `false`, as the AWS SDKs read it. A part that
/// breaks these is a [`ResponseError`] of operation `GetMailDomain` naming the field.
///
/// Build one from JSON (serde's derive, then `TryFrom`, as every response: PascalCase field
/// names, unknown fields ignored, `null` read as absent, a missing or over-long value named
/// by its field, a value of the wrong JSON type with serde's message), from parts with
/// [`builder`](Self::builder), or from the AWS SDK's `GetMailDomainOutput` with `TryFrom`
/// (feature `aws-sdk`). Then [`dns`](crate::dns) reads the tokens with
/// [`listed_records`](Self::listed_records) and says whether the domain can become the default
/// with [`default_domain_eligibility`](Self::default_domain_eligibility).
///
/// ```
/// use workmail_org::aws::{GetMailDomainResponse, VerificationStatus};
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
/// let status = response.ownership_verification_status().ok_or("no status")?;
/// assert_eq!(status, &VerificationStatus::Pending);
///
/// // The same from parts, as an SDK bridge builds it; a missing field names its path.
/// let err = GetMailDomainResponse::builder()
///     .record(Some("TXT"), Some("_amazonses.example.com"), None)
///     .build()
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "GetMailDomain response: Records[0].Value: missing, but required"
/// );
/// assert_eq!(err.field(), "Records[0].Value");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawGetMailDomainResponse")]
pub struct GetMailDomainResponse {
    records: Vec<DnsRecord>,
    is_test_domain: bool,
    is_default: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    ownership_verification_status: Option<Reported<VerificationStatus>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dkim_verification_status: Option<Reported<VerificationStatus>>,
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

    /// The ownership verification status, if AWS reported one; unknown ones are kept.
    pub fn ownership_verification_status(&self) -> Option<&Reported<VerificationStatus>> {
        self.ownership_verification_status.as_ref()
    }

    /// The DKIM verification status, if AWS reported one; unknown ones are kept.
    pub fn dkim_verification_status(&self) -> Option<&Reported<VerificationStatus>> {
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
/// use workmail_org::aws::GetMailDomainResponse;
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
    records: Vec<RawDnsRecord>,
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
        self.push_raw(RawDnsRecord {
            kind: kind.map(str::to_owned),
            hostname: hostname.map(str::to_owned),
            value: value.map(str::to_owned),
        });
        self
    }

    /// Adds one entry of `Records` as read, keeping only the first [`MAX_RECORDS`] so the
    /// builder stays bounded; `build` reports the excess.
    fn push_raw(&mut self, raw: RawDnsRecord) {
        self.record_count += 1;
        if self.records.len() < MAX_RECORDS {
            self.records.push(raw);
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
    /// [`MAX_RECORDS`] records (`Records`, [`TooMany`](ResponseErrorKind::TooMany)), a record
    /// without `Type`, `Hostname` or `Value` (`Records[2].Value`,
    /// [`Missing`](ResponseErrorKind::Missing)), a field or status over 256 characters
    /// (`OwnershipVerificationStatus`, [`Length`](ResponseErrorKind::Length)).
    pub fn build(self) -> Result<GetMailDomainResponse, ResponseError> {
        if self.record_count > MAX_RECORDS {
            return Err(too_many_records(self.record_count));
        }
        let records = self
            .records
            .into_iter()
            .enumerate()
            .map(|(index, raw)| DnsRecord::from_raw(raw, Some(index)))
            .collect::<Result<Vec<_>, _>>()?;
        let status = |field: &str, status: Option<String>| {
            status
                .map(|status| FIELDS.reported(field, status, MAX_FIELD_LEN))
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

/// `Records` has more than [`MAX_RECORDS`] entries: `actual` of them.
fn too_many_records(actual: usize) -> ResponseError {
    FIELDS.error(
        "Records",
        ResponseErrorKind::TooMany {
            max: MAX_RECORDS,
            actual,
        },
    )
}

/// Where in a `GetMailDomain` response a record's field is: `Records[2].Value`, or `Value`
/// for a lone `DnsRecord`.
pub(crate) fn record_field(index: Option<usize>, name: &str) -> String {
    match index {
        Some(index) => format!("Records[{index}].{name}"),
        None => name.to_owned(),
    }
}

/// A `GetMailDomain` response as read: every field optional, `null` read as absent, unknown
/// fields ignored (AWS adds fields).
#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a GetMailDomain response: an object"
)]
struct RawGetMailDomainResponse {
    #[serde(default)]
    records: Option<Vec<RawDnsRecord>>,
    #[serde(default)]
    is_test_domain: Option<bool>,
    #[serde(default)]
    is_default: Option<bool>,
    #[serde(default)]
    ownership_verification_status: Option<String>,
    #[serde(default)]
    dkim_verification_status: Option<String>,
}

impl TryFrom<RawGetMailDomainResponse> for GetMailDomainResponse {
    type Error = ResponseError;

    fn try_from(raw: RawGetMailDomainResponse) -> Result<Self, ResponseError> {
        let mut builder = GetMailDomainResponse::builder()
            .is_test_domain(raw.is_test_domain.unwrap_or_default())
            .is_default(raw.is_default.unwrap_or_default());
        builder.ownership_verification_status = raw.ownership_verification_status;
        builder.dkim_verification_status = raw.dkim_verification_status;
        for record in raw.records.into_iter().flatten() {
            builder.push_raw(record);
        }
        builder.build()
    }
}
