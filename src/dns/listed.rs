//! Reading the tokens out of `GetMailDomain`'s `Records`, and comparing the rest with what
//! this crate derives.

use std::fmt;

use serde::Serialize;

use super::names::{same_name, strip_quotes};
use super::{
    DkimToken, DomainTokens, Purpose, RecordData, RequiredRecord, RequiredRecords, TokensError,
    VerificationToken,
};
use crate::aws::{record_field, DnsRecord, GetMailDomainResponse, RecordType};
use crate::id::{DomainName, ParseError, Region};
use crate::text::shown;

/// What a `GetMailDomain` response's `Records` say, read against what this crate derives:
/// the tokens, the records the domain needs, and every difference between the two lists.
///
/// Made by [`GetMailDomainResponse::listed_records`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedRecords {
    tokens: DomainTokens,
    required: RequiredRecords,
    differences: Vec<Difference>,
}

impl ListedRecords {
    /// The tokens read from the records.
    pub fn tokens(&self) -> &DomainTokens {
        &self.tokens
    }

    /// The records the domain needs, derived from the domain, the Region and the tokens.
    pub fn required(&self) -> &RequiredRecords {
        &self.required
    }

    /// Every difference between AWS's list and the derived records; empty when they agree.
    pub fn differences(&self) -> &[Difference] {
        &self.differences
    }

    /// The derived records, dropping the rest.
    pub fn into_required(self) -> RequiredRecords {
        self.required
    }
}

/// A difference between the records AWS lists and the records this crate derives.
///
/// Differences are reported, never hidden, and never fatal: the derived records stay what
/// AWS's documentation asks for, and the caller decides what a difference means (a wrong
/// Region passed in, AWS changing its records, a record type this crate does not know).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "difference", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Difference {
    /// AWS lists a record at a name and type this crate derives, with another value.
    ValueDiffers {
        /// The index in `Records`.
        index: usize,
        /// The purpose of the derived record at that name.
        purpose: Purpose,
        /// The value this crate derives, in AWS's form.
        derived: Box<str>,
        /// The value AWS lists.
        listed: Box<str>,
    },
    /// A token-free record this crate derives (MX, autodiscover, SPF, DMARC) that AWS does
    /// not list.
    NotListed {
        /// What the missing record is for.
        purpose: Purpose,
    },
    /// A record AWS lists that this crate does not derive (another name, or a type it does
    /// not know). It is kept in the response.
    Unrecognized {
        /// The index in `Records`.
        index: usize,
    },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::ValueDiffers {
                index,
                purpose,
                derived,
                listed,
            } => write!(
                f,
                "Records[{index}] ({purpose}) has value \"{}\", derived \"{}\"",
                shown(listed),
                shown(derived)
            ),
            Difference::NotListed { purpose } => {
                write!(f, "no record in Records for {purpose}, which is derived")
            }
            Difference::Unrecognized { index } => {
                write!(f, "Records[{index}] is not a record this crate derives")
            }
        }
    }
}

impl GetMailDomainResponse {
    /// Reads the tokens from `Records` and compares the rest with what this crate derives for
    /// `domain` in `region` (the domain and Region the request was for: the response names
    /// neither).
    ///
    /// - The SES verification token is the value of the TXT record at `_amazonses.DOMAIN`.
    /// - Each DKIM token is the first label of a CNAME's host name `TOKEN._domainkey.DOMAIN`
    ///   (a token listed twice is read once).
    /// - Host names and CNAME and MX targets compare ignoring ASCII case and one trailing
    ///   dot; TXT values compare exactly, after removing one pair of enclosing double quotes
    ///   if AWS wrote them (decision: a quoted TXT value is the zone-file form of the same
    ///   text).
    ///
    /// Every other difference is reported in [`ListedRecords::differences`], not hidden: a
    /// listed MX, autodiscover, DKIM, SPF or DMARC value other than the derived one, a
    /// token-free record AWS does not list, and any record at another name or of a type this
    /// crate does not know.
    ///
    /// ```
    /// use workmail_org::aws::GetMailDomainResponse;
    /// use workmail_org::dns::{Difference, Purpose};
    /// use workmail_org::{DomainName, Region};
    ///
    /// let response = GetMailDomainResponse::builder()
    ///     .record(Some("TXT"), Some("_amazonses.example.com."), Some("c2VjcmV0"))
    ///     .record(Some("CNAME"), Some("abc._domainkey.example.com"), Some("abc.dkim.amazonses.com"))
    ///     .record(Some("MX"), Some("example.com"), Some("10 inbound-smtp.eu-west-1.amazonaws.com"))
    ///     .build()?;
    /// let domain: DomainName = "example.com".parse()?;
    /// let listed = response.listed_records(&domain, Region::UsEast1)?;
    /// assert_eq!(listed.tokens().verification().as_str(), "c2VjcmV0");
    /// assert_eq!(listed.tokens().dkim()[0].as_str(), "abc");
    /// // The MX points to another Region than the one asked for: reported.
    /// assert!(matches!(
    ///     listed.differences()[0],
    ///     Difference::ValueDiffers { index: 2, purpose: Purpose::InboundMail, .. }
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// A [`TokensError`] naming the record: no TXT record at `_amazonses.DOMAIN`
    /// ([`NoVerificationToken`](TokensError::NoVerificationToken)); a token that is not valid
    /// ([`InvalidToken`](TokensError::InvalidToken), field `Records[i].Value` for the SES
    /// token, `Records[i].Hostname` for a DKIM token); two different SES tokens
    /// ([`ConflictingVerificationTokens`](TokensError::ConflictingVerificationTokens)); more
    /// than [`MAX_DKIM_TOKENS`](super::MAX_DKIM_TOKENS) DKIM tokens
    /// ([`TooMany`](TokensError::TooMany)).
    pub fn listed_records(
        &self,
        domain: &DomainName,
        region: Region,
    ) -> Result<ListedRecords, TokensError> {
        let ownership_host = format!("_amazonses.{domain}");
        let dkim_suffix = format!("._domainkey.{domain}");
        let mut verification: Option<(usize, VerificationToken)> = None;
        // At most MAX_RECORDS records: the scans for a token seen before are bounded.
        let mut dkim: Vec<DkimToken> = Vec::new();
        let mut token_records = vec![false; self.records().len()];

        for (index, listed) in self.records().iter().enumerate() {
            let hostname = listed.hostname();
            if *listed.kind() == RecordType::Txt && same_name(hostname, &ownership_host) {
                let token = VerificationToken::parse(strip_quotes(listed.value()))
                    .map_err(|err| invalid_token(index, "Value", err))?;
                match &verification {
                    Some((_, first)) if first == &token => {}
                    Some((first, _)) => {
                        return Err(TokensError::ConflictingVerificationTokens {
                            first: *first,
                            second: index,
                        })
                    }
                    None => verification = Some((index, token)),
                }
                token_records[index] = true;
            } else if *listed.kind() == RecordType::Cname {
                if let Some(label) = strip_suffix_ignoring_case(hostname, &dkim_suffix) {
                    let token = DkimToken::parse(label)
                        .map_err(|err| invalid_token(index, "Hostname", err))?;
                    if !dkim.contains(&token) {
                        dkim.push(token);
                    }
                    token_records[index] = true;
                }
            }
        }

        let Some((_, verification)) = verification else {
            return Err(TokensError::NoVerificationToken {
                hostname: ownership_host.into_boxed_str(),
            });
        };
        // The tokens are distinct: only too many is left to refuse.
        let tokens = DomainTokens::new(verification, dkim)?;
        let required = RequiredRecords::new(domain, region, &tokens);
        let differences = compare(self.records(), &token_records, &required);
        Ok(ListedRecords {
            tokens,
            required,
            differences,
        })
    }
}

fn invalid_token(index: usize, field: &'static str, error: ParseError) -> TokensError {
    TokensError::InvalidToken {
        field: record_field(Some(index), field).into(),
        error,
    }
}

/// What comes before `suffix` in `name` (compared ignoring ASCII case and one trailing dot
/// on the name), if anything does. The caller's token parser rejects what is not one label.
fn strip_suffix_ignoring_case<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    let name = name.strip_suffix('.').unwrap_or(name);
    let split = name.len().checked_sub(suffix.len())?;
    if split == 0 || !name.is_char_boundary(split) {
        return None;
    }
    let (label, tail) = name.split_at(split);
    tail.eq_ignore_ascii_case(suffix).then_some(label)
}

/// Compares every record that holds no token with the derived records.
fn compare(
    listed: &[DnsRecord],
    token_records: &[bool],
    required: &RequiredRecords,
) -> Vec<Difference> {
    let mut differences = Vec::new();
    let mut seen = Vec::new();
    for (index, record) in listed.iter().enumerate() {
        // The DKIM records hold a token in their host names, and their values can still
        // differ; the ownership TXT is its token.
        let derived = required.iter().find(|derived| {
            *record.kind() == derived.kind()
                && same_name(record.hostname(), derived.host())
                && (derived.purpose() != Purpose::Spf || is_spf(strip_quotes(record.value())))
        });
        match derived {
            Some(derived) => {
                seen.push(derived.purpose());
                if derived.purpose() != Purpose::Ownership && !same_value(derived, record.value()) {
                    differences.push(Difference::ValueDiffers {
                        index,
                        purpose: derived.purpose(),
                        derived: derived.value().into_boxed_str(),
                        listed: record.value().into(),
                    });
                }
            }
            None if token_records[index] => {}
            None => differences.push(Difference::Unrecognized { index }),
        }
    }
    for purpose in [
        Purpose::InboundMail,
        Purpose::Autodiscover,
        Purpose::Spf,
        Purpose::Dmarc,
    ] {
        if !seen.contains(&purpose) {
            differences.push(Difference::NotListed { purpose });
        }
    }
    differences
}

/// Whether AWS's value says what the derived record says: names ignoring case and a
/// trailing dot, TXT text exactly (without enclosing quotes).
fn same_value(derived: &RequiredRecord, listed: &str) -> bool {
    match derived.data() {
        RecordData::Txt(text) => strip_quotes(listed) == &**text,
        RecordData::Cname(target) => same_name(listed.trim(), target),
        RecordData::Mx {
            preference,
            exchange,
        } => {
            let mut parts = listed.split_ascii_whitespace();
            let (Some(found_preference), Some(found_exchange), None) =
                (parts.next(), parts.next(), parts.next())
            else {
                return false;
            };
            found_preference.parse::<u16>() == Ok(*preference)
                && same_name(found_exchange, exchange)
        }
    }
}

/// Whether a TXT text is an SPF record: `v=spf1` (any case), then the end or a space
/// (RFC 7208 §4.5).
pub(crate) fn is_spf(text: &str) -> bool {
    let version = "v=spf1";
    text.get(..version.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(version))
        && matches!(text.as_bytes().get(version.len()), None | Some(b' '))
}
