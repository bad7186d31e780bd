//! What every fuzz target asserts about the crate's values and errors.

use std::fmt::{Debug, Display};
use std::str::FromStr;

use serde::{de::DeserializeOwned, Serialize};
use workmail_org::{
    AccountId, ClientToken, DirectoryId, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias,
    OrganizationArn, OrganizationId, ParseError, Region,
};

/// How many characters of an input a message repeats, escaped (`ParseError`'s docs).
const SHOWN_CHARS: usize = 64;

/// The identifier types, in the order the first input byte selects them (modulo 10).
pub const TYPES: [&str; 10] = [
    "alias",
    "domain",
    "hosted_zone_id",
    "directory_id",
    "organization_id",
    "client_token",
    "account_id",
    "region",
    "kms_key_arn",
    "organization_arn",
];

/// Parses `input` as the type `selector` picks and asserts the round-trip and error
/// properties.
pub fn check_identifier(selector: u8, input: &str) {
    match usize::from(selector) % TYPES.len() {
        0 => drop(check::<OrganizationAlias>(input, "alias.")),
        1 => {
            if let Some(domain) = check::<DomainName>(input, "domain.") {
                // The Unicode form shown to people parses back to the same name.
                let unicode = domain.to_unicode();
                assert_eq!(
                    DomainName::parse(&unicode).as_ref(),
                    Ok(&domain),
                    "the Unicode form {unicode:?} of {input:?} does not parse back"
                );
                assert!(domain.labels().count() >= 2);
            }
        }
        2 => drop(check::<HostedZoneId>(input, "hosted_zone_id.")),
        3 => drop(check::<DirectoryId>(input, "directory_id.")),
        4 => drop(check::<OrganizationId>(input, "organization_id.")),
        5 => drop(check::<ClientToken>(input, "client_token.")),
        6 => drop(check::<AccountId>(input, "account_id.")),
        7 => drop(check::<Region>(input, "region.")),
        8 => drop(check::<KmsKeyArn>(input, "kms_key_arn.")),
        _ => drop(check::<OrganizationArn>(input, "organization_arn.")),
    }
}

/// Parses through every entry point; an accepted value's text is a fixed point of parsing
/// and survives JSON, a rejection is a well-formed error of the type's own rules.
fn check<T>(input: &str, rule_prefix: &str) -> Option<T>
where
    T: FromStr<Err = ParseError>
        + TryFrom<String, Error = ParseError>
        + Display
        + Debug
        + PartialEq
        + Serialize
        + DeserializeOwned,
{
    let parsed = T::from_str(input);
    assert_eq!(T::try_from(input.to_owned()), parsed, "TryFrom<String>");
    match parsed {
        Ok(value) => {
            let text = value.to_string();
            let again = T::from_str(&text).unwrap_or_else(|err| {
                panic!("the canonical form {text:?} of {input:?} is rejected: {err}")
            });
            assert_eq!(again, value, "{input:?} -> {text:?}");
            assert_eq!(again.to_string(), text);
            let json = serde_json::to_string(&value).expect("serializes");
            let back: T = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, value);
            Some(value)
        }
        Err(err) => {
            assert!(
                err.rule().id().starts_with(rule_prefix),
                "{input:?}: rule {} is not one of {rule_prefix}*",
                err.rule()
            );
            assert_well_formed(&err, input);
            None
        }
    }
}

/// `SUBJECT "INPUT": PROBLEM` on one safe line, the input escaped and cut after 64
/// characters, no trailing period, `Debug` reading like the message.
pub fn assert_well_formed(err: &ParseError, input: &str) {
    let message = err.to_string();
    assert_one_line(&message);
    assert!(!message.ends_with('.'), "{message:?} ends with a period");
    let quoted = format!(" \"{}\": ", err.input());
    let subject = message.split(&quoted).next().unwrap_or_default();
    assert!(
        message.contains(&quoted)
            && !subject.is_empty()
            && subject.bytes().all(|b| b.is_ascii_lowercase() || b == b' '),
        "{message:?} does not read `SUBJECT {quoted:?}`"
    );
    let shown = err.input();
    assert!(shown.chars().count() <= SHOWN_CHARS * 10 + 1, "{shown:?}");
    // Cut inputs end with the mark; an uncut input only if it ends with `…` itself (the
    // mark is not escaped: an input of "…" is shown as "…").
    if input.chars().count() > SHOWN_CHARS {
        assert!(shown.ends_with('…'), "no cut mark in {shown:?}");
    } else {
        assert_eq!(
            shown.ends_with('…'),
            input.ends_with('…'),
            "cut mark of {shown:?}"
        );
    }
    assert!(
        message.chars().count() <= 2 * (SHOWN_CHARS * 10 + 1) + 300,
        "message too long: {message:?}"
    );
    assert_eq!(format!("{err:?}"), format!("ParseError({message:?})"));
}

/// No controls (newlines included), bidirectional overrides or isolates, line or paragraph
/// separators.
pub fn assert_one_line(message: &str) {
    if let Some(c) = message.chars().find(|&c| {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    }) {
        panic!("message {message:?} holds the raw character {c:?}");
    }
}
