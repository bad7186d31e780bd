//! Helpers shared by the public-API test files: validity-table assertions, a handle on every
//! identifier type, and builders for boundary-length inputs.
//!
//! Each test file uses a different subset, so unused helpers are expected.

use std::fmt::{Debug, Display};
use std::str::FromStr;

use workmail_org::{
    id::ParseErrorKind, AccountId, ClientToken, DirectoryId, DomainName, HostedZoneId, KmsKeyArn,
    OrganizationAlias, OrganizationArn, OrganizationId, ParseError, Region, Rule,
};

/// What every validated identifier type offers: the whole conversion family, all going
/// through one validator.
pub trait Identifier:
    FromStr<Err = ParseError>
    + for<'a> TryFrom<&'a str, Error = ParseError>
    + TryFrom<String, Error = ParseError>
    + Into<String>
    + AsRef<str>
    + Display
    + Debug
    + Clone
    + Eq
    + std::hash::Hash
    + serde::Serialize
    + serde::de::DeserializeOwned
{
}

impl<T> Identifier for T where
    T: FromStr<Err = ParseError>
        + for<'a> TryFrom<&'a str, Error = ParseError>
        + TryFrom<String, Error = ParseError>
        + Into<String>
        + AsRef<str>
        + Display
        + Debug
        + Clone
        + Eq
        + std::hash::Hash
        + serde::Serialize
        + serde::de::DeserializeOwned
{
}

/// Asserts that `input` parses, through every entry point alike, to a value displayed as
/// `canonical`, and that the canonical text parses back to the same value.
#[track_caller]
pub fn accepts<T: Identifier>(input: &str, canonical: &str) -> T {
    let value = match input.parse::<T>() {
        Ok(value) => value,
        Err(err) => panic!("{input:?} was rejected: {err}"),
    };
    assert_eq!(value.to_string(), canonical, "Display of {input:?}");
    assert_eq!(value.as_ref(), canonical, "AsRef<str> of {input:?}");
    assert_eq!(T::try_from(input), Ok(value.clone()), "TryFrom<&str>");
    assert_eq!(
        T::try_from(input.to_owned()),
        Ok(value.clone()),
        "TryFrom<String>"
    );
    let string: String = value.clone().into();
    assert_eq!(string, canonical, "From<T> for String");
    assert_eq!(
        canonical.parse::<T>(),
        Ok(value.clone()),
        "canonical {canonical:?} of {input:?} does not parse back to the same value"
    );
    value
}

/// Asserts that `input` is rejected for `rule`, identically by every entry point, with a
/// message of the documented shape; returns the error for further checks.
#[track_caller]
pub fn rejects<T: Identifier>(input: &str, rule: Rule) -> ParseError {
    let err = match input.parse::<T>() {
        Ok(value) => panic!("{input:?} was accepted as {value:?}, expected rule {rule}"),
        Err(err) => err,
    };
    assert_eq!(err.rule(), rule, "rule for {input:?} ({err})");
    assert_eq!(T::try_from(input), Err(err.clone()), "TryFrom<&str>");
    assert_eq!(
        T::try_from(input.to_owned()),
        Err(err.clone()),
        "TryFrom<String>"
    );
    assert_well_formed(&err, input);
    err
}

/// Like [`rejects`], and also checks the kind (which carries the position, if any).
#[track_caller]
pub fn rejects_with<T: Identifier>(input: &str, rule: Rule, kind: ParseErrorKind) -> ParseError {
    let err = rejects::<T>(input, rule);
    assert_eq!(err.kind(), &kind, "kind for {input:?} ({err})");
    err
}

/// How many characters of the input an error message repeats (documented on `ParseError`).
pub const SHOWN_CHARS: usize = 64;

/// Checks what every error promises, whatever the input: the message reads
/// `SUBJECT "INPUT": PROBLEM`, is one line without control or bidi-override characters,
/// repeats at most 64 characters of the input, and `Debug` shows the message.
#[track_caller]
pub fn assert_well_formed(err: &ParseError, input: &str) {
    let message = err.to_string();
    let quoted = format!(" \"{}\": ", err.input());
    let subject = message.split(&quoted).next().unwrap_or_default();
    assert!(
        message.contains(&quoted)
            && !subject.is_empty()
            && subject.bytes().all(|b| b.is_ascii_lowercase() || b == b' '),
        "{message:?} does not read `SUBJECT {quoted:?}`"
    );
    assert!(!message.ends_with('.'), "{message:?} ends with a period");
    if let Some(c) = message.chars().find(|&c| is_unsafe_in_a_message(c)) {
        panic!("message {message:?} holds the raw character {c:?}");
    }
    // At most 64 input characters, each escaped to at most 10 (`\u{10ffff}`), and `…`.
    let shown = err.input();
    assert!(
        shown.chars().count() <= SHOWN_CHARS * 10 + 1,
        "input shown in full: {} characters",
        shown.chars().count()
    );
    // A cut input ends with the mark; an uncut one only if it ends with `…` itself, which is
    // not escaped (found by the `identifiers` fuzz target).
    let cut = input.chars().count() > SHOWN_CHARS;
    assert_eq!(
        shown.ends_with('…'),
        cut || input.ends_with('…'),
        "cut mark of {shown:?}"
    );
    if input.len() <= SHOWN_CHARS && input.bytes().all(|b| b.is_ascii_alphanumeric()) {
        assert_eq!(shown, input, "plain input is shown as is");
    }
    // A bound on the whole line: subject, two shortened strings and fixed text.
    assert!(
        message.chars().count() <= 2 * (SHOWN_CHARS * 10 + 1) + 300,
        "message too long: {} characters",
        message.chars().count()
    );
    assert_eq!(format!("{err:?}"), format!("ParseError({message:?})"));
}

/// Characters a one-line message must never hold raw: controls (newlines included),
/// bidirectional overrides and isolates, line and paragraph separators.
pub fn is_unsafe_in_a_message(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Every validated identifier type, to run one input through all parsers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Alias,
    Domain,
    HostedZone,
    Directory,
    OrganizationId,
    Account,
    ClientToken,
    Region,
    KmsKey,
    OrganizationArn,
}

impl Type {
    pub const ALL: [Type; 10] = [
        Type::Alias,
        Type::Domain,
        Type::HostedZone,
        Type::Directory,
        Type::OrganizationId,
        Type::Account,
        Type::ClientToken,
        Type::Region,
        Type::KmsKey,
        Type::OrganizationArn,
    ];

    /// Parses `input` as this type; on success returns the displayed (canonical) form.
    pub fn parse(self, input: &str) -> Result<String, ParseError> {
        match self {
            Type::Alias => check::<OrganizationAlias>(input),
            Type::Domain => check::<DomainName>(input),
            Type::HostedZone => check::<HostedZoneId>(input),
            Type::Directory => check::<DirectoryId>(input),
            Type::OrganizationId => check::<OrganizationId>(input),
            Type::Account => check::<AccountId>(input),
            Type::ClientToken => check::<ClientToken>(input),
            Type::Region => check::<Region>(input),
            Type::KmsKey => check::<KmsKeyArn>(input),
            Type::OrganizationArn => check::<OrganizationArn>(input),
        }
    }
}

/// Parses, and checks what holds for any input: an accepted value's canonical text is a
/// fixed point of parsing, and a rejection is a well-formed error.
#[track_caller]
fn check<T: Identifier>(input: &str) -> Result<String, ParseError> {
    match input.parse::<T>() {
        Ok(value) => {
            let canonical = value.to_string();
            assert_eq!(
                canonical.parse::<T>().as_ref(),
                Ok(&value),
                "canonical form {canonical:?} of {input:?} does not parse back"
            );
            assert_eq!(value.as_ref(), canonical);
            Ok(canonical)
        }
        Err(err) => {
            assert_well_formed(&err, input);
            Err(err)
        }
    }
}

/// `n` copies of `c`.
pub fn rep(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

/// A valid ASCII domain name of exactly `len` characters (at least 3): labels of 62 `a`s,
/// then a last label of `x`s.
pub fn domain_of_len(len: usize) -> String {
    assert!(len >= 3);
    let mut labels = Vec::new();
    let mut left = len;
    while left > 63 {
        labels.push(rep('a', 62));
        left -= 63;
    }
    if labels.is_empty() {
        // One label would not be a domain: split the length in two.
        let first = (len - 1) / 2;
        labels.push(rep('a', first));
        left = len - first - 1;
    }
    labels.push(rep('x', left));
    let name = labels.join(".");
    assert_eq!(name.len(), len);
    name
}

/// A sample valid value of every type, in canonical form.
pub const ALIAS: &str = "acme-corp";
pub const DOMAIN: &str = "mail.example.com";
pub const HOSTED_ZONE: &str = "Z0123456789ABCDEFGHIJ";
pub const DIRECTORY: &str = "d-90670b1c2e";
pub const ORGANIZATION_ID: &str = "m-0123456789abcdef0123456789abcdef";
pub const ACCOUNT: &str = "111122223333";
pub const CLIENT_TOKEN: &str = "create-acme-1";
pub const REGION: &str = "eu-west-1";
pub const KMS_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
pub const KMS_MRK: &str =
    "arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
pub const ORGANIZATION_ARN: &str =
    "arn:aws:workmail:us-east-1:111122223333:organization/m-0123456789abcdef0123456789abcdef";

impl Type {
    /// A valid value of this type.
    pub fn sample(self) -> &'static str {
        match self {
            Type::Alias => ALIAS,
            Type::Domain => DOMAIN,
            Type::HostedZone => HOSTED_ZONE,
            Type::Directory => DIRECTORY,
            Type::OrganizationId => ORGANIZATION_ID,
            Type::Account => ACCOUNT,
            Type::ClientToken => CLIENT_TOKEN,
            Type::Region => REGION,
            Type::KmsKey => KMS_KEY,
            Type::OrganizationArn => ORGANIZATION_ARN,
        }
    }
}
