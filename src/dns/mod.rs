//! A mail domain's DNS records: the records WorkMail asks for, read from `GetMailDomain`,
//! rendered for a zone file, checked against what a resolver returned, and whether the
//! domain can become the default.
//!
//! Everything here is data in, data out: the caller calls AWS and the resolver, this module
//! says what to publish and what the answers mean.
//!
//! | step | in | out |
//! | --- | --- | --- |
//! | read AWS's answer (in [`aws`](crate::aws)) | `GetMailDomain` JSON or SDK output | [`GetMailDomainResponse`], or an [`aws::ResponseError`](crate::aws::ResponseError) |
//! | read the tokens | the response, the domain, the Region | [`ListedRecords`]: [`DomainTokens`], [`RequiredRecords`], [`Difference`]s |
//! | say what to publish | domain, Region, tokens | [`RequiredRecords`]: zone-file lines, AWS's `{Type, Hostname, Value}` |
//! | check what is published | [`ObservedRecord`]s from a resolver | one [`Verdict`] per record |
//! | decide on the default domain | the response, the ownership verdict | [`DefaultDomainEligibility`] |
//!
//! ```
//! use workmail_org::aws::GetMailDomainResponse;
//! use workmail_org::dns::{ObservedRecord, Status};
//! use workmail_org::{DomainName, Region};
//!
//! // 1. What AWS answered to GetMailDomain for example.com, in us-east-1.
//! let response: GetMailDomainResponse = serde_json::from_str(r#"{
//!     "Records": [
//!         {"Type": "TXT", "Hostname": "_amazonses.example.com", "Value": "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU="},
//!         {"Type": "MX", "Hostname": "example.com", "Value": "10 inbound-smtp.us-east-1.amazonaws.com"},
//!         {"Type": "CNAME", "Hostname": "autodiscover.example.com", "Value": "autodiscover.mail.us-east-1.awsapps.com"},
//!         {"Type": "CNAME", "Hostname": "ekes3zs2uqbrswnhnd5wlnzl3u6hkcxd._domainkey.example.com", "Value": "ekes3zs2uqbrswnhnd5wlnzl3u6hkcxd.dkim.amazonses.com"},
//!         {"Type": "TXT", "Hostname": "example.com", "Value": "v=spf1 include:amazonses.com ~all"},
//!         {"Type": "TXT", "Hostname": "_dmarc.example.com", "Value": "v=DMARC1;p=quarantine;pct=100;fo=1"}
//!     ],
//!     "IsTestDomain": false,
//!     "IsDefault": false,
//!     "OwnershipVerificationStatus": "PENDING",
//!     "DkimVerificationStatus": "PENDING"
//! }"#)?;
//!
//! // 2. The tokens, and the records they give; AWS's list agrees with the derived one.
//! let domain: DomainName = "example.com".parse()?;
//! let listed = response.listed_records(&domain, Region::UsEast1)?;
//! assert!(listed.differences().is_empty());
//! let records = listed.required();
//!
//! // 3. What to publish, as BIND zone-file lines.
//! let zone = records.to_zone_snippet();
//! assert!(zone.contains(
//!     "\n_amazonses.example.com. 3600 IN TXT \"pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=\"\n"
//! ));
//!
//! // 4. What a resolver returned (the caller asks it); only the ownership TXT is there.
//! let observed = [ObservedRecord::txt(
//!     "_amazonses.example.com.",
//!     ["pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU="],
//! )];
//! let verdicts = records.check(&observed);
//! assert_eq!(verdicts[0].status(), Status::Verified);
//! assert_eq!(verdicts[1].status(), Status::Missing);
//!
//! // 5. Published, but AWS has not verified it yet: not the default domain yet.
//! let eligibility = response.default_domain_eligibility(Some(&verdicts[0]));
//! assert!(!eligibility.can_become_default());
//! assert_eq!(
//!     eligibility.to_string(),
//!     "cannot become the default domain: ownership verification status is PENDING, and only \
//!      VERIFIED domains can; the ownership TXT record is published, so AWS has not verified it yet"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The records
//!
//! For a domain `DOMAIN` in Region `R` (WorkMail Administrator Guide, Verifying domains;
//! Amazon SES Developer Guide, Easy DKIM), each with TTL [`RECOMMENDED_TTL`] (3600):
//!
//! | purpose | type | host | value |
//! | --- | --- | --- | --- |
//! | [`Ownership`](Purpose::Ownership) | TXT | `_amazonses.DOMAIN` | the SES verification token |
//! | [`InboundMail`](Purpose::InboundMail) | MX | `DOMAIN` | `10 inbound-smtp.R.amazonaws.com` |
//! | [`Autodiscover`](Purpose::Autodiscover) | CNAME | `autodiscover.DOMAIN` | `autodiscover.mail.R.awsapps.com` |
//! | [`Dkim`](Purpose::Dkim), one per token | CNAME | `TOKEN._domainkey.DOMAIN` | `TOKEN.dkim.amazonses.com` |
//! | [`Spf`](Purpose::Spf) | TXT | `DOMAIN` | `v=spf1 include:amazonses.com ~all` |
//! | [`Dmarc`](Purpose::Dmarc) | TXT | `_dmarc.DOMAIN` | `v=DMARC1;p=quarantine;pct=100;fo=1` |
//!
//! Domains hosted in Route 53 get these records from AWS when they are added to the
//! organization; the owner of an external domain publishes them. The free test domain
//! (`ALIAS.awsapps.com`) is AWS's and needs none.
//!
//! The tokens come from `GetMailDomain`'s `Records`, where AWS lists the same records:
//! the ownership TXT's value is the verification token, and each DKIM CNAME's host name
//! starts with a DKIM token. [`GetMailDomainResponse::listed_records`] reads them and reports
//! every way AWS's list differs from the derived one as a [`Difference`].
//!
//! Names are kept in lower-case ASCII without the trailing dot; the zone-file form adds it. A
//! mail domain has at most 209 characters and a DKIM token at most 32, so every host name
//! fits DNS's 253.
//!
//! # Zone-file form
//!
//! [`RequiredRecord::to_zone_line`] and [`RequiredRecords::to_zone_snippet`] write BIND
//! master-file lines (RFC 1035 §5.1): `NAME. TTL IN TYPE DATA`, every name absolute (trailing
//! dot, so no `$ORIGIN` is needed and the lines can be appended to any zone), MX and CNAME
//! targets absolute, TXT text quoted and split into strings of at most 255 bytes with `"`
//! and `\` escaped ([`quoted_txt`]). The tests read the output back with a real zone parser
//! (NLnet Labs' `domain`) and compare every name, type and value.
//!
//! # Checking published records
//!
//! [`RequiredRecords::check`] judges each required record against the records a resolver
//! returned ([`ObservedRecord`]s, supplied by the caller) and gives one [`Verdict`]: verified,
//! missing or inconsistent, with its [`Reason`]. Names compare ignoring ASCII case and one
//! trailing dot, CNAME and MX targets too. TXT values are the resolver's strings joined, and
//! compare exactly: the ownership token is case-sensitive base64. The SPF record is judged by
//! its terms, because one SPF record serves every sender of the domain.
//!
//! For each record the first row that applies gives the verdict:
//!
//! | record | verdict | when | reason |
//! | --- | --- | --- | --- |
//! | ownership TXT | verified | a TXT at `_amazonses.DOMAIN` is exactly the token (other TXT values may stand beside it: SES tokens of other Regions) | [`Published`](Reason::Published) |
//! | ownership TXT | inconsistent | a TXT there is the token in another letter case | [`TokenCaseDiffers`](Reason::TokenCaseDiffers) |
//! | ownership TXT | missing | no TXT there | [`NotPublished`](Reason::NotPublished) |
//! | ownership TXT | inconsistent | TXT records there, none the token | [`ValueDiffers`](Reason::ValueDiffers) |
//! | MX | missing | no MX at `DOMAIN` | [`NotPublished`](Reason::NotPublished) |
//! | MX | inconsistent | MX records, none to `inbound-smtp.R.amazonaws.com` (another provider, or another Region) | [`MxElsewhere`](Reason::MxElsewhere) |
//! | MX | inconsistent | another MX beside WorkMail's | [`MxBeside`](Reason::MxBeside) |
//! | MX | inconsistent | WorkMail's host at a preference other than 10 | [`MxPreference`](Reason::MxPreference) |
//! | MX | verified | WorkMail's host at preference 10, and no other MX | [`Published`](Reason::Published) |
//! | CNAME (autodiscover, each DKIM) | missing | no record at all at the name | [`NotPublished`](Reason::NotPublished) |
//! | CNAME | inconsistent | no CNAME, but other records at the name | [`NameTaken`](Reason::NameTaken) |
//! | CNAME | inconsistent | a CNAME with other records, or CNAMEs to other targets, at its name: a CNAME must be alone (RFC 1034 §3.6.2, RFC 2181 §10.1) | [`CnameNotAlone`](Reason::CnameNotAlone) |
//! | CNAME | inconsistent | one CNAME, to another target | [`CnameTarget`](Reason::CnameTarget) |
//! | CNAME | verified | one CNAME, to the required target, alone | [`Published`](Reason::Published) |
//! | SPF TXT | missing | no SPF record (a TXT starting `v=spf1`) at `DOMAIN`; other TXT records do not count | [`NotPublished`](Reason::NotPublished) |
//! | SPF TXT | verified | one SPF record, exactly `v=spf1 include:amazonses.com ~all` | [`Published`](Reason::Published) |
//! | SPF TXT | verified | one SPF record with the term `include:amazonses.com` (or `+include:…`) among others | [`SpfIncludesAmazonSes`](Reason::SpfIncludesAmazonSes) |
//! | SPF TXT | inconsistent | one SPF record without it | [`SpfWithoutAmazonSes`](Reason::SpfWithoutAmazonSes) |
//! | SPF TXT | inconsistent | two or more SPF records: invalid (RFC 7208 §4.5) | [`SpfMultiple`](Reason::SpfMultiple) |
//! | DMARC TXT | missing | no DMARC record (a TXT starting `v=DMARC1`) at `_dmarc.DOMAIN` | [`NotPublished`](Reason::NotPublished) |
//! | DMARC TXT | verified | one DMARC record, exactly the recommended one | [`Published`](Reason::Published) |
//! | DMARC TXT | inconsistent | one DMARC record with another value (another policy) | [`ValueDiffers`](Reason::ValueDiffers) |
//! | DMARC TXT | inconsistent | two or more DMARC records: receivers apply none (RFC 7489 §6.6.3) | [`DmarcMultiple`](Reason::DmarcMultiple) |
//!
//! # The default domain
//!
//! Only a domain whose `OwnershipVerificationStatus` is `VERIFIED` can become the
//! organization's default: AWS answers `UpdateDefaultMailDomain` for any other with
//! `MailDomainStateException` ([`Rule::DefaultDomainUnverified`](crate::Rule::DefaultDomainUnverified)).
//! [`GetMailDomainResponse::default_domain_eligibility`] says which, and, given the DNS
//! verdict on the ownership record, what to do next. DKIM verification often lags behind
//! ownership verification and does not block the default domain.
//!
//! # Reading `GetMailDomain`
//!
//! AWS's answer is read in [`aws`](crate::aws), like every response:
//! [`GetMailDomainResponse`] with its [`DnsRecord`]s, each record's type a
//! `Reported<`[`RecordType`]`>` and each verification status a
//! `Reported<`[`VerificationStatus`]`>`, so a status or type this crate does not know is kept.
//! A malformed response is an [`aws::ResponseError`](crate::aws::ResponseError) naming the
//! field. This module reads the tokens out of a well-formed response, which can still fail
//! ([`TokensError`]: no ownership TXT record, two different tokens, an invalid token), naming
//! the record.
//!
//! [`GetMailDomainResponse`]: crate::aws::GetMailDomainResponse
//! [`DnsRecord`]: crate::aws::DnsRecord
//! [`RecordType`]: crate::aws::RecordType
//! [`VerificationStatus`]: crate::aws::VerificationStatus
//! [`GetMailDomainResponse::listed_records`]: crate::aws::GetMailDomainResponse::listed_records
//! [`GetMailDomainResponse::default_domain_eligibility`]: crate::aws::GetMailDomainResponse::default_domain_eligibility

mod check;
mod default_domain;
mod listed;
mod names;
mod record;
mod token;
mod zone;

pub use check::{ObservedData, ObservedRecord, Reason, Status, Verdict};
pub use default_domain::DefaultDomainEligibility;
pub use listed::{Difference, ListedRecords};
pub(crate) use record::autodiscover_target;
pub use record::{
    Purpose, RecordData, RequiredRecord, RequiredRecords, DMARC_VALUE, MX_PREFERENCE,
    RECOMMENDED_TTL, SPF_VALUE,
};
pub use token::{
    DkimToken, DomainTokens, TokensError, VerificationToken, MAX_DKIM_TOKENS, MAX_DKIM_TOKEN_LEN,
    MAX_VERIFICATION_TOKEN_LEN,
};
pub use zone::{quoted_txt, MAX_TXT_STRING_BYTES};
