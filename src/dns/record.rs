//! The records a mail domain needs: what they are for, their types, their data.

use std::fmt;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use super::{zone, DkimToken, DomainTokens};
use crate::aws::{DnsRecord, RecordType};
use crate::id::{DomainName, Region};
use crate::text::string_enum;

/// The TTL AWS recommends for every record, in seconds (WorkMail Administrator Guide,
/// Verifying domains).
pub const RECOMMENDED_TTL: u32 = 3600;

/// The preference of WorkMail's MX record (WorkMail Administrator Guide, Verifying domains).
pub const MX_PREFERENCE: u16 = 10;

/// The SPF record WorkMail recommends at the domain (WorkMail Administrator Guide, Verifying
/// domains; RFC 7208).
pub const SPF_VALUE: &str = "v=spf1 include:amazonses.com ~all";

/// The DMARC record WorkMail recommends at `_dmarc.DOMAIN` (WorkMail Administrator Guide,
/// Verifying domains; RFC 7489).
pub const DMARC_VALUE: &str = "v=DMARC1;p=quarantine;pct=100;fo=1";

string_enum! {
    /// What a required record is for.
    ///
    /// The spellings are stable ids, used in serde and in zone-file comments. AWS may ask for
    /// more records, so the enum is `#[non_exhaustive]`.
    ///
    /// ```
    /// use workmail_org::dns::Purpose;
    ///
    /// assert_eq!(Purpose::Ownership.as_str(), "ownership");
    /// assert_eq!("dkim".parse::<Purpose>()?, Purpose::Dkim);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    pub enum Purpose: "record purpose" {
        /// TXT at `_amazonses.DOMAIN`: proves to Amazon SES that the domain is yours.
        Ownership = "ownership",
        /// MX at `DOMAIN`: routes incoming mail to WorkMail.
        InboundMail = "inbound_mail",
        /// CNAME at `autodiscover.DOMAIN`: lets mail clients find their settings.
        Autodiscover = "autodiscover",
        /// CNAME at `TOKEN._domainkey.DOMAIN`: one DKIM signing key (Amazon SES Easy DKIM).
        Dkim = "dkim",
        /// TXT at `DOMAIN`: lets Amazon SES send mail for the domain (SPF, RFC 7208).
        Spf = "spf",
        /// TXT at `_dmarc.DOMAIN`: the domain's DMARC policy (RFC 7489).
        Dmarc = "dmarc",
    }
}

impl Purpose {
    /// One line saying what the record does, as zone-file comments show it.
    pub const fn description(self) -> &'static str {
        match self {
            Purpose::Ownership => "proves to Amazon SES that the domain is yours",
            Purpose::InboundMail => "routes incoming mail to WorkMail",
            Purpose::Autodiscover => "lets mail clients find their settings (Autodiscover)",
            Purpose::Dkim => "publishes a DKIM signing key (Amazon SES Easy DKIM)",
            Purpose::Spf => "lets Amazon SES send mail for the domain (SPF)",
            Purpose::Dmarc => "asks receivers to quarantine mail failing SPF and DKIM (DMARC)",
        }
    }
}

/// The data of a required record, typed.
///
/// Names are absolute, in lower case and written without the trailing dot; the zone-file
/// form adds it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordData {
    /// A `TXT` record's text, as one string (rendered as strings of at most 255 bytes).
    Txt(Box<str>),
    /// An `MX` record.
    Mx {
        /// The preference: lower is tried first.
        preference: u16,
        /// The mail server's name.
        exchange: Box<str>,
    },
    /// A `CNAME` record's target.
    Cname(Box<str>),
}

impl RecordData {
    /// The record type.
    pub fn kind(&self) -> RecordType {
        match self {
            RecordData::Txt(_) => RecordType::Txt,
            RecordData::Mx { .. } => RecordType::Mx,
            RecordData::Cname(_) => RecordType::Cname,
        }
    }
}

impl fmt::Display for RecordData {
    /// The value as AWS's `DnsRecord` writes it: the text of a TXT (unquoted), `10 HOST` for
    /// an MX, the target of a CNAME; names without the trailing dot.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordData::Txt(text) => f.write_str(text),
            RecordData::Mx {
                preference,
                exchange,
            } => write!(f, "{preference} {exchange}"),
            RecordData::Cname(target) => f.write_str(target),
        }
    }
}

/// One record a mail domain needs: its type, fully qualified host name, value, TTL and
/// purpose.
///
/// Only [`RequiredRecords::new`] makes them, from a valid domain, Region and tokens, so every
/// host name fits DNS's 253 characters and every value is what AWS asks for.
///
/// Serde writes `{"type", "host", "value", "ttl", "purpose"}`, `value` in AWS's form (see
/// [`value`](Self::value)).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequiredRecord {
    host: Box<str>,
    data: RecordData,
    ttl: u32,
    purpose: Purpose,
}

impl RequiredRecord {
    fn new(host: String, data: RecordData, purpose: Purpose) -> Self {
        debug_assert!(host.len() <= 253, "{host} is longer than DNS allows");
        RequiredRecord {
            host: host.into_boxed_str(),
            data,
            ttl: RECOMMENDED_TTL,
            purpose,
        }
    }

    /// The record type: `TXT`, `MX` or `CNAME`.
    pub fn kind(&self) -> RecordType {
        self.data.kind()
    }

    /// The fully qualified host name, lower case, without the trailing dot, e.g.
    /// `_amazonses.example.com`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The typed data.
    pub fn data(&self) -> &RecordData {
        &self.data
    }

    /// The value as AWS's `DnsRecord` `Value` writes it: a TXT's text unquoted,
    /// `10 inbound-smtp.REGION.amazonaws.com` for the MX, a CNAME's target; names without
    /// the trailing dot.
    pub fn value(&self) -> String {
        self.data.to_string()
    }

    /// The TTL in seconds: [`RECOMMENDED_TTL`].
    pub fn ttl(&self) -> u32 {
        self.ttl
    }

    /// What the record is for.
    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    /// The record as one BIND zone-file line, without a newline: `NAME. TTL IN TYPE DATA`
    /// with absolute names (trailing dot) and TXT text quoted and split into strings of at
    /// most 255 bytes (RFC 1035 §5.1).
    pub fn to_zone_line(&self) -> String {
        let mut line = String::new();
        zone::write_line(&mut line, self);
        line
    }

    /// The record in AWS's `DnsRecord` shape, `{Type, Hostname, Value}`.
    pub fn to_dns_record(&self) -> DnsRecord {
        // A derived host has at most 253 characters and a derived value at most 256: within
        // the API's 256.
        DnsRecord::from_checked(self.kind().into(), self.host().into(), self.value().into())
    }
}

impl fmt::Display for RequiredRecord {
    /// `TYPE HOST VALUE`, e.g. `MX example.com 10 inbound-smtp.us-east-1.amazonaws.com`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.kind(), self.host, self.data)
    }
}

impl Serialize for RequiredRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut record = serializer.serialize_struct("RequiredRecord", 5)?;
        record.serialize_field("type", &self.kind())?;
        record.serialize_field("host", &self.host)?;
        record.serialize_field("value", &self.value())?;
        record.serialize_field("ttl", &self.ttl)?;
        record.serialize_field("purpose", &self.purpose)?;
        record.end()
    }
}

/// Every record a mail domain needs in one Region, in AWS's order: ownership TXT, MX,
/// autodiscover CNAME, one DKIM CNAME per token, SPF TXT, DMARC TXT.
///
/// Route 53 domains get these records from AWS; an external domain's owner publishes them.
/// Render them as BIND zone-file lines with [`to_zone_snippet`](Self::to_zone_snippet), in
/// AWS's `{Type, Hostname, Value}` shape with [`to_dns_records`](Self::to_dns_records), and
/// check what a resolver returned with [`check`](Self::check).
///
/// ```
/// use workmail_org::dns::{DomainTokens, Purpose, RequiredRecords};
/// use workmail_org::{DomainName, Region};
///
/// let domain: DomainName = "example.com".parse()?;
/// let tokens = DomainTokens::new(
///     "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=".parse()?,
///     vec!["ekes3zs2uqbrswnhnd5wlnzl3u6hkcxd".parse()?],
/// )?;
/// let records = RequiredRecords::new(&domain, Region::UsEast1, &tokens);
/// assert_eq!(records.len(), 6);
/// let mx = records.by_purpose(Purpose::InboundMail).next().ok_or("no MX")?;
/// assert_eq!(
///     mx.to_zone_line(),
///     "example.com. 3600 IN MX 10 inbound-smtp.us-east-1.amazonaws.com."
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequiredRecords {
    domain: DomainName,
    region: Region,
    records: Vec<RequiredRecord>,
}

impl RequiredRecords {
    /// The records `domain` needs for WorkMail in `region`, with the tokens AWS issued for it.
    ///
    /// Never fails: a [`DomainName`] has at most 209 characters and a [`DkimToken`] at most
    /// 32, so every host name fits DNS's 253.
    pub fn new(domain: &DomainName, region: Region, tokens: &DomainTokens) -> Self {
        let mut records = Vec::with_capacity(5 + tokens.dkim().len());
        records.push(ownership(domain, tokens.verification().as_str()));
        records.push(inbound_mail(domain, region));
        records.push(autodiscover(domain, region));
        records.extend(tokens.dkim().iter().map(|token| dkim(domain, token)));
        records.push(spf(domain));
        records.push(dmarc(domain));
        RequiredRecords {
            domain: domain.clone(),
            region,
            records,
        }
    }

    /// The records `domain` needs that carry no token: MX, autodiscover CNAME, SPF TXT and
    /// DMARC TXT, in AWS's order. They can be published before AWS issues the tokens; the
    /// ownership TXT and the DKIM CNAMEs follow once `GetMailDomain` lists them (see
    /// [`GetMailDomainResponse::listed_records`](crate::aws::GetMailDomainResponse::listed_records)).
    ///
    /// ```
    /// use workmail_org::dns::{Purpose, RequiredRecords};
    /// use workmail_org::{DomainName, Region};
    ///
    /// let domain: DomainName = "example.com".parse()?;
    /// let records = RequiredRecords::without_tokens(&domain, Region::EuWest1);
    /// let purposes: Vec<Purpose> = records.iter().map(|r| r.purpose()).collect();
    /// assert_eq!(
    ///     purposes,
    ///     [Purpose::InboundMail, Purpose::Autodiscover, Purpose::Spf, Purpose::Dmarc]
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn without_tokens(domain: &DomainName, region: Region) -> Self {
        RequiredRecords {
            domain: domain.clone(),
            region,
            records: vec![
                inbound_mail(domain, region),
                autodiscover(domain, region),
                spf(domain),
                dmarc(domain),
            ],
        }
    }

    /// The domain the records are for.
    pub fn domain(&self) -> &DomainName {
        &self.domain
    }

    /// The Region the records point to.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The records, in order.
    pub fn as_slice(&self) -> &[RequiredRecord] {
        &self.records
    }

    /// Iterates over the records, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, RequiredRecord> {
        self.records.iter()
    }

    /// How many records: five and one per DKIM token, or four without tokens.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Always `false`: every domain needs at least four records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The records with one purpose, in order (several for [`Purpose::Dkim`]).
    pub fn by_purpose(&self, purpose: Purpose) -> impl Iterator<Item = &RequiredRecord> + '_ {
        self.records.iter().filter(move |r| r.purpose == purpose)
    }

    /// The records as BIND zone-file text that can be appended to any zone: a comment naming
    /// the domain and Region, then for each record a comment with its purpose and its line
    /// (see [`RequiredRecord::to_zone_line`]). Names are absolute, so no `$ORIGIN` is needed;
    /// every line ends with a newline.
    pub fn to_zone_snippet(&self) -> String {
        zone::snippet(self)
    }

    /// The records in AWS's `DnsRecord` shape, `{Type, Hostname, Value}`, in order.
    pub fn to_dns_records(&self) -> Vec<DnsRecord> {
        self.records
            .iter()
            .map(RequiredRecord::to_dns_record)
            .collect()
    }
}

impl<'a> IntoIterator for &'a RequiredRecords {
    type Item = &'a RequiredRecord;
    type IntoIter = std::slice::Iter<'a, RequiredRecord>;
    fn into_iter(self) -> Self::IntoIter {
        self.records.iter()
    }
}

impl Serialize for RequiredRecords {
    /// The records, as a list.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(&self.records)
    }
}

/// The host of WorkMail's inbound mail servers in a Region.
pub(crate) fn inbound_mail_host(region: Region) -> String {
    format!("inbound-smtp.{region}.amazonaws.com")
}

/// The autodiscover target in a Region.
pub(crate) fn autodiscover_target(region: Region) -> String {
    format!("autodiscover.mail.{region}.awsapps.com")
}

/// The CNAME target of a DKIM token.
pub(crate) fn dkim_target(token: &DkimToken) -> String {
    format!("{token}.dkim.amazonses.com")
}

pub(crate) fn ownership(domain: &DomainName, token: &str) -> RequiredRecord {
    RequiredRecord::new(
        format!("_amazonses.{domain}"),
        RecordData::Txt(token.into()),
        Purpose::Ownership,
    )
}

pub(crate) fn inbound_mail(domain: &DomainName, region: Region) -> RequiredRecord {
    RequiredRecord::new(
        domain.as_str().to_owned(),
        RecordData::Mx {
            preference: MX_PREFERENCE,
            exchange: inbound_mail_host(region).into_boxed_str(),
        },
        Purpose::InboundMail,
    )
}

pub(crate) fn autodiscover(domain: &DomainName, region: Region) -> RequiredRecord {
    RequiredRecord::new(
        format!("autodiscover.{domain}"),
        RecordData::Cname(autodiscover_target(region).into_boxed_str()),
        Purpose::Autodiscover,
    )
}

pub(crate) fn dkim(domain: &DomainName, token: &DkimToken) -> RequiredRecord {
    RequiredRecord::new(
        format!("{token}._domainkey.{domain}"),
        RecordData::Cname(dkim_target(token).into_boxed_str()),
        Purpose::Dkim,
    )
}

pub(crate) fn spf(domain: &DomainName) -> RequiredRecord {
    RequiredRecord::new(
        domain.as_str().to_owned(),
        RecordData::Txt(SPF_VALUE.into()),
        Purpose::Spf,
    )
}

pub(crate) fn dmarc(domain: &DomainName) -> RequiredRecord {
    RequiredRecord::new(
        format!("_dmarc.{domain}"),
        RecordData::Txt(DMARC_VALUE.into()),
        Purpose::Dmarc,
    )
}
