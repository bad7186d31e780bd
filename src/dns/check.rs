//! Checking the records a resolver returned against the records a domain needs.

use std::fmt;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use super::listed::is_spf;
use super::names::same_name;
use super::{Purpose, RecordData, RequiredRecord, RequiredRecords};
use crate::aws::RecordType;
use crate::reported::Reported;
use crate::text::{shown, string_enum, Listed, LISTED_IN_MESSAGE};

/// One record a resolver returned, as the caller hands it over: its name, and typed data for
/// the types the check reads (TXT, MX, CNAME) or any other type with its data as text.
///
/// Names may be written in any case, with or without the trailing dot. TXT data is the list
/// of character-strings as the resolver returned them; the check joins them. Give records
/// of every type found at a name (an `A` record at `autodiscover.DOMAIN` matters: a CNAME
/// must be alone at its name). A TXT, MX or CNAME record given through
/// [`other`](Self::other) counts at its name but never matches a required value.
///
/// The type of a record given through [`other`](Self::other) is the resolver's text, kept as
/// a [`Reported<RecordType>`](crate::Reported): a type this crate does not know still counts
/// at its name.
///
/// ```
/// use workmail_org::aws::RecordType;
/// use workmail_org::dns::ObservedRecord;
///
/// let spf = ObservedRecord::txt("Example.com.", ["v=spf1 include:amazonses.com", " ~all"]);
/// assert_eq!(spf.kind(), RecordType::Txt);
/// let a = ObservedRecord::other("autodiscover.example.com", "a", "192.0.2.1");
/// assert_eq!(a.kind(), RecordType::A);
/// let caa = ObservedRecord::other("example.com", "CAA", "0 issue \"amazon.com\"");
/// assert_eq!((caa.kind().is_known(), caa.kind().as_str()), (false, "CAA"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObservedRecord {
    name: Box<str>,
    data: ObservedData,
}

/// The data of an [`ObservedRecord`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ObservedData {
    /// A TXT record's character-strings, in order.
    Txt(Vec<String>),
    /// An MX record.
    Mx {
        /// The preference.
        preference: u16,
        /// The mail server's name.
        exchange: String,
    },
    /// A CNAME record's target.
    Cname(String),
    /// A record of any other type, its data as text.
    Other {
        /// The record type, as the resolver wrote it.
        kind: Reported<RecordType>,
        /// The data, as the resolver shows it.
        data: String,
    },
}

impl ObservedRecord {
    /// A TXT record at `name` with its character-strings.
    pub fn txt<S: Into<String>>(
        name: impl Into<String>,
        strings: impl IntoIterator<Item = S>,
    ) -> Self {
        Self::with(
            name,
            ObservedData::Txt(strings.into_iter().map(Into::into).collect()),
        )
    }

    /// An MX record at `name`.
    pub fn mx(name: impl Into<String>, preference: u16, exchange: impl Into<String>) -> Self {
        Self::with(
            name,
            ObservedData::Mx {
                preference,
                exchange: exchange.into(),
            },
        )
    }

    /// A CNAME record at `name`.
    pub fn cname(name: impl Into<String>, target: impl Into<String>) -> Self {
        Self::with(name, ObservedData::Cname(target.into()))
    }

    /// A record of any other type at `name`, e.g. `A` or `NS`, with its type and its data
    /// as text.
    pub fn other(
        name: impl Into<String>,
        kind: impl Into<String>,
        data: impl Into<String>,
    ) -> Self {
        Self::with(
            name,
            ObservedData::Other {
                kind: Reported::new(kind.into()),
                data: data.into(),
            },
        )
    }

    fn with(name: impl Into<String>, data: ObservedData) -> Self {
        ObservedRecord {
            name: name.into().into_boxed_str(),
            data,
        }
    }

    /// The name, as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The data.
    pub fn data(&self) -> &ObservedData {
        &self.data
    }

    /// The record type: known for TXT, MX and CNAME data, as the resolver wrote it for
    /// [`other`](Self::other) records.
    pub fn kind(&self) -> Reported<RecordType> {
        match &self.data {
            ObservedData::Txt(_) => RecordType::Txt.into(),
            ObservedData::Mx { .. } => RecordType::Mx.into(),
            ObservedData::Cname(_) => RecordType::Cname.into(),
            ObservedData::Other { kind, .. } => kind.clone(),
        }
    }

    /// The record type without allocating: known, or the resolver's text.
    fn kind_or_text(&self) -> Result<RecordType, &str> {
        match &self.data {
            ObservedData::Txt(_) => Ok(RecordType::Txt),
            ObservedData::Mx { .. } => Ok(RecordType::Mx),
            ObservedData::Cname(_) => Ok(RecordType::Cname),
            ObservedData::Other { kind, .. } => kind.known().copied().ok_or(kind.as_str()),
        }
    }

    /// The joined text of a TXT record.
    fn text(&self) -> Option<String> {
        match &self.data {
            ObservedData::Txt(strings) => Some(strings.concat()),
            _ => None,
        }
    }
}

string_enum! {
    /// The three verdicts of the check.
    ///
    /// ```
    /// use workmail_org::dns::Status;
    /// assert_eq!(Status::Inconsistent.as_str(), "inconsistent");
    /// ```
    #[non_exhaustive]
    pub enum Status: "verdict status" {
        /// The record is published as required.
        Verified = "verified",
        /// Nothing that could be the record is published.
        Missing = "missing",
        /// Something is published that conflicts with the record, or falls short of it.
        Inconsistent = "inconsistent",
    }
}

/// Why a record got its verdict: one variant per row of the verdict table in the
/// [module docs](crate::dns#checking-published-records).
///
/// Found values are kept as the resolver returned them (TXT strings joined); the message
/// shows them escaped and shortened.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// Verified: the required value is published (for a CNAME, alone at its name; for the
    /// MX, as the only one).
    Published,
    /// Verified: the one SPF record authorizes Amazon SES (`include:amazonses.com`) among
    /// other terms.
    SpfIncludesAmazonSes,
    /// Missing: no record of the required type (for SPF and DMARC: no such record) at the
    /// name; for a CNAME, no record at all at the name.
    NotPublished,
    /// Inconsistent: a TXT at `_amazonses.DOMAIN` holds the token in another letter case;
    /// the token is case-sensitive base64.
    TokenCaseDiffers {
        /// The value found.
        found: Box<str>,
    },
    /// Inconsistent: TXT records at the name, none with the required value (the ownership
    /// token, or the DMARC record).
    ValueDiffers {
        /// The values found.
        found: Vec<Box<str>>,
    },
    /// Inconsistent: WorkMail's MX host is published at another preference.
    MxPreference {
        /// The preference found.
        found: u16,
    },
    /// Inconsistent: another MX beside WorkMail's, so some mail would go elsewhere.
    MxBeside {
        /// The other exchanges.
        others: Vec<Box<str>>,
    },
    /// Inconsistent: MX records, none to WorkMail's host in this Region.
    MxElsewhere {
        /// The exchanges found.
        exchanges: Vec<Box<str>>,
    },
    /// Inconsistent: a CNAME to another target.
    CnameTarget {
        /// The target found.
        found: Box<str>,
    },
    /// Inconsistent: the CNAME is not alone at its name (RFC 1034 §3.6.2, RFC 2181 §10.1):
    /// records of other types, or CNAMEs to other targets, beside it.
    CnameNotAlone {
        /// The types of the records found at the name: known ones in their canonical
        /// spelling and declaration order, then the others as the resolver wrote them.
        found: Vec<Reported<RecordType>>,
    },
    /// Inconsistent: no CNAME, but records of other types at the name, which a CNAME could
    /// not join.
    NameTaken {
        /// The types of the records found at the name, ordered as for
        /// [`CnameNotAlone`](Self::CnameNotAlone).
        found: Vec<Reported<RecordType>>,
    },
    /// Inconsistent: more than one SPF record at the domain, an SPF permanent error
    /// (RFC 7208 §4.5).
    SpfMultiple {
        /// How many SPF records.
        count: usize,
    },
    /// Inconsistent: the one SPF record does not include `amazonses.com`.
    SpfWithoutAmazonSes {
        /// The SPF record found.
        found: Box<str>,
    },
    /// Inconsistent: more than one DMARC record at `_dmarc.DOMAIN`, which makes receivers
    /// apply none (RFC 7489 §6.6.3).
    DmarcMultiple {
        /// How many DMARC records.
        count: usize,
    },
}

impl Reason {
    /// The verdict this reason gives.
    pub fn status(&self) -> Status {
        match self {
            Reason::Published | Reason::SpfIncludesAmazonSes => Status::Verified,
            Reason::NotPublished => Status::Missing,
            Reason::TokenCaseDiffers { .. }
            | Reason::ValueDiffers { .. }
            | Reason::MxPreference { .. }
            | Reason::MxBeside { .. }
            | Reason::MxElsewhere { .. }
            | Reason::CnameTarget { .. }
            | Reason::CnameNotAlone { .. }
            | Reason::NameTaken { .. }
            | Reason::SpfMultiple { .. }
            | Reason::SpfWithoutAmazonSes { .. }
            | Reason::DmarcMultiple { .. } => Status::Inconsistent,
        }
    }
}

/// Displays found values quoted, escaped and cut.
struct Quoted<'a>(&'a [Box<str>]);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One more than a cut list shows, so that it still marks the cut.
        let quoted: Vec<String> = self
            .0
            .iter()
            .take(LISTED_IN_MESSAGE + 1)
            .map(|value| format!("\"{}\"", shown(value)))
            .collect();
        write!(f, "{}", Listed::cut(&quoted))
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Published => f.write_str("published as required"),
            Reason::SpfIncludesAmazonSes => {
                f.write_str("the SPF record includes amazonses.com among other terms")
            }
            Reason::NotPublished => f.write_str("no such record at the name"),
            Reason::TokenCaseDiffers { found } => write!(
                f,
                "found \"{}\", which differs in letter case: the token is case-sensitive base64",
                shown(found)
            ),
            Reason::ValueDiffers { found } => {
                write!(f, "found only other values: {}", Quoted(found))
            }
            Reason::MxPreference { found } => write!(
                f,
                "WorkMail's host is published at preference {found}, not {}",
                super::MX_PREFERENCE
            ),
            Reason::MxBeside { others } => write!(
                f,
                "another MX beside WorkMail's would take some mail: {}",
                Quoted(others)
            ),
            Reason::MxElsewhere { exchanges } => {
                write!(f, "the MX records point elsewhere: {}", Quoted(exchanges))
            }
            Reason::CnameTarget { found } => {
                write!(f, "the CNAME points to \"{}\"", shown(found))
            }
            Reason::CnameNotAlone { found } => write!(
                f,
                "a CNAME must be alone at its name, found {}",
                Listed::cut(found)
            ),
            Reason::NameTaken { found } => write!(
                f,
                "no CNAME, and {} at the name, which a CNAME cannot join",
                Listed::cut(found)
            ),
            Reason::SpfMultiple { count } => write!(
                f,
                "{count} SPF records at the name, and SPF allows one (RFC 7208)"
            ),
            Reason::SpfWithoutAmazonSes { found } => write!(
                f,
                "the SPF record \"{}\" does not include amazonses.com",
                shown(found)
            ),
            Reason::DmarcMultiple { count } => write!(
                f,
                "{count} DMARC records at the name, and DMARC allows one (RFC 7489)"
            ),
        }
    }
}

/// The verdict on one required record: the record, and why it is verified, missing or
/// inconsistent.
///
/// The message reads `PURPOSE TYPE HOST: STATUS (REASON)`, e.g.
/// `inbound_mail MX example.com: inconsistent (another MX beside WorkMail's would take some
/// mail: "mx.old-provider.net")`. Serde writes `{"record", "status", "reason"}`, the reason
/// as its message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Verdict {
    record: RequiredRecord,
    reason: Reason,
}

impl Verdict {
    /// The record judged.
    pub fn record(&self) -> &RequiredRecord {
        &self.record
    }

    /// Verified, missing or inconsistent.
    pub fn status(&self) -> Status {
        self.reason.status()
    }

    /// Why.
    pub fn reason(&self) -> &Reason {
        &self.reason
    }

    /// Whether the record is published as required.
    pub fn is_verified(&self) -> bool {
        self.status() == Status::Verified
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: {} ({})",
            self.record.purpose(),
            self.record.kind(),
            self.record.host(),
            self.status(),
            self.reason
        )
    }
}

impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut verdict = serializer.serialize_struct("Verdict", 3)?;
        verdict.serialize_field("record", &self.record)?;
        verdict.serialize_field("status", &self.status())?;
        verdict.serialize_field("reason", &self.reason.to_string())?;
        verdict.end()
    }
}

impl RequiredRecords {
    /// Judges every record against what a resolver returned, in order: one [`Verdict`] per
    /// record, following the verdict table in the
    /// [module docs](crate::dns#checking-published-records).
    ///
    /// The work is linear in the number of observed records (at most 15 required records
    /// each look at every observed one).
    ///
    /// ```
    /// use workmail_org::dns::{DomainTokens, ObservedRecord, Reason, RequiredRecords, Status};
    /// use workmail_org::{DomainName, Region};
    ///
    /// let domain: DomainName = "example.com".parse()?;
    /// let tokens = DomainTokens::new("c2VjcmV0".parse()?, vec![])?;
    /// let records = RequiredRecords::new(&domain, Region::UsEast1, &tokens);
    /// let observed = [
    ///     ObservedRecord::txt("_amazonses.example.com.", ["c2VjcmV0"]),
    ///     ObservedRecord::mx("example.com.", 10, "inbound-smtp.us-east-1.amazonaws.com."),
    ///     ObservedRecord::mx("example.com.", 20, "mx.old-provider.net."),
    /// ];
    /// let verdicts = records.check(&observed);
    /// assert_eq!(verdicts[0].status(), Status::Verified);
    /// assert!(matches!(verdicts[1].reason(), Reason::MxBeside { .. }));
    /// assert_eq!(
    ///     verdicts[1].to_string(),
    ///     "inbound_mail MX example.com: inconsistent (another MX beside WorkMail's would take \
    ///      some mail: \"mx.old-provider.net.\")"
    /// );
    /// assert_eq!(verdicts[2].status(), Status::Missing); // autodiscover
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, observed: &[ObservedRecord]) -> Vec<Verdict> {
        self.iter()
            .map(|record| Verdict {
                record: record.clone(),
                reason: judge(record, observed),
            })
            .collect()
    }
}

/// The reason for one record's verdict.
fn judge(record: &RequiredRecord, observed: &[ObservedRecord]) -> Reason {
    let at_name: Vec<&ObservedRecord> = observed
        .iter()
        .filter(|o| same_name(o.name(), record.host()))
        .collect();
    match (record.purpose(), record.data()) {
        (Purpose::Spf, _) => judge_spf(&at_name),
        (Purpose::Dmarc, RecordData::Txt(value)) => judge_dmarc(&at_name, value),
        (_, RecordData::Txt(value)) => judge_token(&at_name, value),
        (
            _,
            RecordData::Mx {
                preference,
                exchange,
            },
        ) => judge_mx(&at_name, *preference, exchange),
        (_, RecordData::Cname(target)) => judge_cname(&at_name, target),
    }
}

fn texts(at_name: &[&ObservedRecord]) -> Vec<String> {
    at_name.iter().filter_map(|o| o.text()).collect()
}

fn boxed(values: impl IntoIterator<Item = impl Into<Box<str>>>) -> Vec<Box<str>> {
    values.into_iter().map(Into::into).collect()
}

/// The ownership TXT: the exact token among any TXT values at the name.
fn judge_token(at_name: &[&ObservedRecord], token: &str) -> Reason {
    let texts = texts(at_name);
    if texts.iter().any(|text| text == token) {
        Reason::Published
    } else if let Some(found) = texts.iter().find(|text| text.eq_ignore_ascii_case(token)) {
        Reason::TokenCaseDiffers {
            found: found.as_str().into(),
        }
    } else if texts.is_empty() {
        Reason::NotPublished
    } else {
        Reason::ValueDiffers {
            found: boxed(texts),
        }
    }
}

fn judge_mx(at_name: &[&ObservedRecord], preference: u16, exchange: &str) -> Reason {
    let mxs: Vec<(u16, &str)> = at_name
        .iter()
        .filter_map(|o| match o.data() {
            ObservedData::Mx {
                preference,
                exchange,
            } => Some((*preference, exchange.as_str())),
            _ => None,
        })
        .collect();
    let (ours, others): (Vec<_>, Vec<_>) = mxs.iter().partition(|(_, e)| same_name(e, exchange));
    if mxs.is_empty() {
        Reason::NotPublished
    } else if ours.is_empty() {
        Reason::MxElsewhere {
            exchanges: boxed(others.iter().map(|(_, e)| *e)),
        }
    } else if !others.is_empty() {
        Reason::MxBeside {
            others: boxed(others.iter().map(|(_, e)| *e)),
        }
    } else if let Some((found, _)) = ours.iter().find(|(p, _)| *p != preference) {
        Reason::MxPreference { found: *found }
    } else {
        Reason::Published
    }
}

fn judge_cname(at_name: &[&ObservedRecord], target: &str) -> Reason {
    let found = || {
        // Known types first (`a` and `A` are one), in declaration order, then the others.
        let mut kinds: Vec<_> = at_name.iter().map(|o| o.kind_or_text()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let reported = |kind: Result<_, _>| kind.map_or_else(Reported::new, Reported::from);
        kinds.into_iter().map(reported).collect()
    };
    let mut targets = at_name.iter().filter_map(|o| match o.data() {
        ObservedData::Cname(target) => Some(target.as_str()),
        _ => None,
    });
    let Some(first) = targets.next() else {
        return if at_name.is_empty() {
            Reason::NotPublished
        } else {
            Reason::NameTaken { found: found() }
        };
    };
    let other_types = at_name
        .iter()
        .any(|o| o.kind_or_text() != Ok(RecordType::Cname));
    if other_types || targets.any(|other| !same_name(other, first)) {
        Reason::CnameNotAlone { found: found() }
    } else if !same_name(first, target) {
        Reason::CnameTarget {
            found: first.into(),
        }
    } else {
        Reason::Published
    }
}

/// The SPF terms that authorize Amazon SES: `include:amazonses.com` with no qualifier or
/// `+` (RFC 7208 §4.6.2, §5.2; names and mechanisms ignore case).
fn includes_amazon_ses(spf: &str) -> bool {
    spf.split(' ').any(|term| {
        let term = term.strip_prefix('+').unwrap_or(term);
        term.eq_ignore_ascii_case("include:amazonses.com")
    })
}

fn judge_spf(at_name: &[&ObservedRecord]) -> Reason {
    let spfs: Vec<String> = texts(at_name).into_iter().filter(|t| is_spf(t)).collect();
    match spfs.as_slice() {
        [] => Reason::NotPublished,
        [one] if one == super::SPF_VALUE => Reason::Published,
        [one] if includes_amazon_ses(one) => Reason::SpfIncludesAmazonSes,
        [one] => Reason::SpfWithoutAmazonSes {
            found: one.as_str().into(),
        },
        many => Reason::SpfMultiple { count: many.len() },
    }
}

/// Whether a TXT text is a DMARC record: `v=DMARC1` (the tag name in any case, spaces around
/// `=` allowed), then the end, `;` or a space (RFC 7489 §6.4, §6.6.3).
fn is_dmarc(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(['v', 'V']) else {
        return false;
    };
    let Some(rest) = rest.trim_start_matches([' ', '\t']).strip_prefix('=') else {
        return false;
    };
    let Some(rest) = rest.trim_start_matches([' ', '\t']).strip_prefix("DMARC1") else {
        return false;
    };
    matches!(rest.as_bytes().first(), None | Some(b';' | b' ' | b'\t'))
}

fn judge_dmarc(at_name: &[&ObservedRecord], value: &str) -> Reason {
    let dmarcs: Vec<String> = texts(at_name).into_iter().filter(|t| is_dmarc(t)).collect();
    match dmarcs.as_slice() {
        [] => Reason::NotPublished,
        [one] if one == value => Reason::Published,
        [_] => Reason::ValueDiffers {
            found: boxed(dmarcs),
        },
        many => Reason::DmarcMultiple { count: many.len() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spf_and_dmarc_records_are_recognized_by_their_version_tag() {
        assert!(is_spf("v=spf1"));
        assert!(is_spf("V=SPF1 -all"));
        assert!(!is_spf("v=spf10 -all"));
        assert!(!is_spf("google-site-verification=abc"));
        assert!(is_dmarc("v=DMARC1;p=none"));
        assert!(is_dmarc("v = DMARC1; p=none"));
        assert!(is_dmarc("v=DMARC1"));
        assert!(!is_dmarc("v=DMARC10"));
        assert!(!is_dmarc("p=none; v=DMARC1"));
    }

    #[test]
    fn only_plain_or_pass_includes_authorize_amazon_ses() {
        assert!(includes_amazon_ses("v=spf1 include:amazonses.com ~all"));
        assert!(includes_amazon_ses("v=spf1 +INCLUDE:AmazonSES.com -all"));
        assert!(!includes_amazon_ses("v=spf1 -include:amazonses.com ~all"));
        assert!(!includes_amazon_ses(
            "v=spf1 include:amazonses.com.evil ~all"
        ));
    }
}
