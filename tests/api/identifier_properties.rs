//! Property tests: valid values survive parse → display → parse; no input, however long or
//! strange, makes a parser panic; and two regex oracles, written from the API's patterns and
//! this crate's decisions, agree with the alias and (ASCII) domain parsers.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::OnceLock;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use regex::Regex;

use workmail_org::{
    AccountId, ClientToken, DirectoryId, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias,
    OrganizationArn, OrganizationId, Region, Rule,
};

use crate::util::{accepts, Type};

// ---------------------------------------------------------------------------------------
// Generators of valid values, written from the rules (not from the crate's code).

fn alias() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,8}(-[a-zA-Z0-9]{1,8}){0,7}",
        "[a-zA-Z0-9]{55,62}",
        "[a-zA-Z0-9]{20,30}-[a-zA-Z0-9]{20,31}",
    ]
    .prop_filter("at most 62 characters, no d- prefix", |s| {
        s.len() <= 62 && !s.to_ascii_lowercase().starts_with("d-")
    })
}

fn ascii_label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]",
        "[a-zA-Z0-9][a-zA-Z0-9-]{0,10}[a-zA-Z0-9]",
        "[a-zA-Z0-9][a-zA-Z0-9-]{50,61}[a-zA-Z0-9]",
    ]
    .prop_filter("no hyphens as third and fourth characters", |l| {
        l.get(2..4) != Some("--")
    })
}

/// A valid ASCII domain in any case, maybe with a trailing dot, and its canonical form.
fn ascii_domain() -> impl Strategy<Value = (String, String)> {
    (vec(ascii_label(), 2..5), any::<bool>())
        .prop_map(|(labels, dot)| {
            let name = labels.join(".");
            let canonical = name.to_ascii_lowercase();
            let input = if dot { format!("{name}.") } else { name };
            (input, canonical)
        })
        .prop_filter(
            "3 to 209 characters, last label not all digits",
            |(_, c)| {
                c.len() <= 209
                    && !c
                        .rsplit('.')
                        .next()
                        .unwrap()
                        .bytes()
                        .all(|b| b.is_ascii_digit())
            },
        )
}

/// A lower-case NFC Unicode domain of Latin letters, all of which IDNA keeps.
fn unicode_domain() -> impl Strategy<Value = String> {
    vec("[a-zäöüéèñçßø0-9]{1,12}", 2..4)
        .prop_map(|labels| labels.join("."))
        .prop_filter("last label not all digits", |s| {
            !s.rsplit('.')
                .next()
                .unwrap()
                .chars()
                .all(|c| c.is_ascii_digit())
        })
}

fn region() -> impl Strategy<Value = Region> {
    select(Region::ALL.to_vec())
}

fn key_id() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "mrk-[0-9a-f]{32}",
    ]
}

// ---------------------------------------------------------------------------------------
// parse(display(x)) == x for valid values.

proptest! {
    #[test]
    fn alias_round_trips(input in alias()) {
        let alias = accepts::<OrganizationAlias>(&input, &input);
        prop_assert_eq!(alias.to_canonical(), input.to_ascii_lowercase());
        let test_domain = alias.test_domain();
        prop_assert_eq!(test_domain.as_str(), format!("{}.awsapps.com", input.to_ascii_lowercase()));
    }

    #[test]
    fn ascii_domain_round_trips((input, canonical) in ascii_domain()) {
        let domain = accepts::<DomainName>(&input, &canonical);
        prop_assert_eq!(domain.to_unicode(), canonical.clone());
        let labels: Vec<&str> = domain.labels().collect();
        prop_assert_eq!(labels.join("."), canonical);
    }

    #[test]
    fn unicode_domain_round_trips(input in unicode_domain()) {
        let domain: DomainName = input.parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert!(domain.as_str().is_ascii());
        prop_assert_eq!(domain.to_unicode(), input.clone());
        prop_assert_eq!(&domain.as_str().parse::<DomainName>().unwrap(), &domain);
        prop_assert_eq!(&domain.to_unicode().parse::<DomainName>().unwrap(), &domain);
        prop_assert_eq!(&format!("{input}.").parse::<DomainName>().unwrap(), &domain);
        for label in domain.labels() {
            prop_assert!(!label.is_empty() && label.len() <= 63);
        }
    }

    #[test]
    fn hosted_zone_round_trips(id in "[A-Z0-9]{1,32}", prefixed in any::<bool>()) {
        let input = if prefixed { format!("/hostedzone/{id}") } else { id.clone() };
        accepts::<HostedZoneId>(&input, &id);
    }

    #[test]
    fn simple_ids_round_trip(
        directory in "d-[0-9a-f]{10}",
        organization in "m-[0-9a-f]{32}",
        account in "[0-9]{12}",
        token in "[!-~]{1,128}",
        region in region(),
    ) {
        accepts::<DirectoryId>(&directory, &directory);
        accepts::<OrganizationId>(&organization, &organization);
        accepts::<AccountId>(&account, &account);
        accepts::<ClientToken>(&token, &token);
        prop_assert_eq!(accepts::<Region>(region.as_str(), region.as_str()), region);
    }

    #[test]
    fn kms_key_arn_round_trips(region in region(), account in "[0-9]{12}", id in key_id()) {
        let text = format!("arn:aws:kms:{region}:{account}:key/{id}");
        let key = accepts::<KmsKeyArn>(&text, &text);
        prop_assert_eq!(key.region(), region);
        prop_assert_eq!(key.account().as_str(), account);
        prop_assert_eq!(key.key_id(), id.as_str());
        prop_assert_eq!(key.is_multi_region(), id.starts_with("mrk-"));
    }

    #[test]
    fn organization_arn_round_trips(region in region(), account in "[0-9]{12}", id in "m-[0-9a-f]{32}") {
        let account: AccountId = account.parse().unwrap();
        let id: OrganizationId = id.parse().unwrap();
        let built = OrganizationArn::new(region, &account, &id);
        let text = built.to_string();
        prop_assert_eq!(accepts::<OrganizationArn>(&text, &text), built);
    }
}

proptest! {
    // Known to fail until the bug is fixed: keep its counterexamples out of the tree.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The Unicode form of an accepted A-label parses back to the same name.
    #[test]

    fn a_labels_unicode_form_parses_back(body in "[a-z0-9-]{1,12}", tld in select(vec!["example", "xn--p1ai"])) {
        if let Ok(domain) = DomainName::parse(&format!("xn--{body}.{tld}")) {
            let unicode = domain.to_unicode();
            prop_assert_eq!(DomainName::parse(&unicode), Ok(domain), "{:?}", unicode);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Identity: the alias compares case-insensitively, the domain by its canonical text.

proptest! {
    #[test]
    fn alias_identity_is_the_lower_case_form(a in alias(), b in alias(), flips in vec(any::<bool>(), 62)) {
        let hasher = RandomState::new();
        let recased: String = a
            .chars()
            .zip(flips)
            .map(|(c, flip)| if flip { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
            .collect();
        let x: OrganizationAlias = a.parse().unwrap();
        let y: OrganizationAlias = recased.parse().unwrap();
        let z: OrganizationAlias = b.parse().unwrap();
        prop_assert_eq!(&x, &y);
        prop_assert_eq!(hasher.hash_one(&x), hasher.hash_one(&y));
        prop_assert_eq!(x.cmp(&y), std::cmp::Ordering::Equal);
        prop_assert_eq!(y.as_str(), recased.as_str());

        let (la, lb) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
        prop_assert_eq!(x == z, la == lb);
        prop_assert_eq!(x.cmp(&z), la.cmp(&lb));
        if x == z {
            prop_assert_eq!(hasher.hash_one(&x), hasher.hash_one(&z));
        }
    }

    #[test]
    fn domain_hash_agrees_with_its_borrowed_str((a, _) in ascii_domain(), (b, _) in ascii_domain()) {
        let hasher = RandomState::new();
        let x: DomainName = a.parse().unwrap();
        let y: DomainName = b.parse().unwrap();
        prop_assert_eq!(hasher.hash_one(&x), hasher.hash_one(x.as_str()));
        prop_assert_eq!(x == y, x.as_str() == y.as_str());
        prop_assert_eq!(x.cmp(&y), x.as_str().cmp(y.as_str()));
    }
}

// ---------------------------------------------------------------------------------------
// No input panics any parser. `Type::parse` also checks, for every input, that an accepted
// value's canonical text parses back to it and that a rejection's message is well-formed
// (one line, escaped, shortened).

/// Arbitrary Unicode of up to 10 KB (UTF-8), from any code point or a dense ASCII mix.
fn up_to_10_kb() -> impl Strategy<Value = String> {
    let char = prop_oneof![
        any::<char>(),
        select(
            " .-_/:azAZ09\u{0}\u{7f}é\u{FFFD}\u{202E}。"
                .chars()
                .collect::<Vec<_>>()
        ),
    ];
    vec(char, 0..=10 * 1024).prop_map(|chars| {
        let mut s = String::new();
        for c in chars {
            if s.len() + c.len_utf8() > 10 * 1024 {
                break;
            }
            s.push(c);
        }
        s
    })
}

/// Short strings that are sometimes close to valid: a valid sample of some type with one
/// edit (insert, replace, delete, cut), or a short arbitrary string.
fn near_valid() -> impl Strategy<Value = String> {
    let edited = (
        select(Type::ALL.to_vec()),
        any::<prop::sample::Index>(),
        0..4u8,
        prop_oneof![
            any::<char>(),
            select("-_.:/ AaZz09Ü\u{0}".chars().collect::<Vec<_>>())
        ],
    )
        .prop_map(|(ty, at, edit, c)| {
            let mut chars: Vec<char> = ty.sample().chars().collect();
            let i = at.index(chars.len() + 1);
            match edit {
                0 => chars.insert(i, c),
                1 if i < chars.len() => chars[i] = c,
                2 if i < chars.len() => {
                    chars.remove(i);
                }
                _ => chars.truncate(i),
            }
            chars.into_iter().collect::<String>()
        });
    prop_oneof![
        edited,
        vec(any::<char>(), 0..80).prop_map(String::from_iter)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_input_up_to_10_kb_panics(input in up_to_10_kb()) {
        for ty in Type::ALL {
            let _ = ty.parse(&input);
        }
    }
}

proptest! {
    #[test]
    fn no_near_valid_input_panics(input in near_valid()) {
        for ty in Type::ALL {
            let _ = ty.parse(&input);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Regex oracles. The regex crate has no look-ahead, so the API's `(?!d-)` becomes a separate
// prefix check; both patterns are applied as full matches (`^…$`), which the API's own
// alias pattern forgets.

fn alias_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(?:[0-9A-Za-z]+)(?:-[0-9A-Za-z]+)*$").unwrap())
}

fn alias_oracle(input: &str) -> bool {
    alias_pattern().is_match(input)
        && (1..=62).contains(&input.chars().count())
        && !input.starts_with("d-")
        && !input.starts_with("D-")
}

/// Labels of `a-z 0-9 -`, 1 to 63 long, no hyphen at either end; at least two of them.
fn domain_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let label = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
        Regex::new(&format!(r"^{label}(?:\.{label})+$")).unwrap()
    })
}

/// The crate's documented decisions for an ASCII name: lower-cased, one trailing dot dropped, the label
/// pattern, no label with hyphens as third and fourth characters (reserved; `xn--` labels are
/// left out of the comparison), 3 to 209 characters, last label not all digits. `None` means
/// rejected.
fn domain_oracle(input: &str) -> Option<String> {
    let lower = input.to_ascii_lowercase();
    let name = lower.strip_suffix('.').unwrap_or(&lower);
    let tld_numeric = name
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()));
    let reserved = name.split('.').any(|label| label.get(2..4) == Some("--"));
    let valid = domain_pattern().is_match(name)
        && (3..=209).contains(&name.len())
        && !tld_numeric
        && !reserved;
    valid.then(|| name.to_owned())
}

#[test]
fn the_unanchored_api_pattern_accepts_what_the_alias_rejects() {
    let naive = Regex::new(r"^(?:[0-9A-Za-z]+)(?:-[0-9A-Za-z]+)*").unwrap();
    for input in ["abc-", "abc_def", "abc--def", "abc def", "abc\n"] {
        assert!(naive.is_match(input), "{input:?}");
        assert!(!alias_oracle(input), "{input:?}");
        assert!(OrganizationAlias::parse(input).is_err(), "{input:?}");
    }
}

#[test]
fn oracle_spot_checks() {
    for (input, expected) in [
        ("a", true),
        ("abc", true),
        ("a-b", true),
        ("d", true),
        ("d-", false),
        ("D-x", false),
        ("-a", false),
        ("", false),
    ] {
        assert_eq!(alias_oracle(input), expected, "{input:?}");
        assert_eq!(
            OrganizationAlias::parse(input).is_ok(),
            expected,
            "{input:?}"
        );
    }
    for (input, expected) in [
        ("a.b", Some("a.b")),
        ("A.B.", Some("a.b")),
        ("a.b..", None),
        ("a-.b", None),
        ("1.2", None),
        ("a", None),
        ("ab--c.d", None),
        ("a--bc.d", Some("a--bc.d")),
    ] {
        assert_eq!(domain_oracle(input).as_deref(), expected, "{input:?}");
        assert_eq!(
            DomainName::parse(input)
                .ok()
                .as_ref()
                .map(DomainName::as_str),
            expected,
            "{input:?}"
        );
    }
}

/// Strings biased to the alias alphabet and short lengths, plus the known traps.
fn alias_candidates() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9_-]{0,8}",
        2 => "[dD]-?[a-zA-Z0-9-]{0,5}",
        2 => "[a-zA-Z0-9-]{56,66}",
        1 => "[a-zA-Z0-9_. é\n-]{0,10}",
        1 => select(vec!["abc-", "abc_def", "d-", "D-", "-", "", "a", "abc\n", "a--b", "d"])
            .prop_map(String::from),
    ]
}

/// ASCII strings biased to domain-like shapes: labels around the limits, stray dots and
/// hyphens, upper case, digits, the odd forbidden character.
fn domain_candidates() -> impl Strategy<Value = String> {
    let suffix = select(vec!["", "", ".", ".."]);
    prop_oneof![
        3 => (vec("[a-zA-Z0-9-]{0,8}", 1..5), suffix.clone())
            .prop_map(|(labels, end)| format!("{}{end}", labels.join("."))),
        2 => "[a-zA-Z0-9.-]{0,12}",
        1 => "[a-zA-Z0-9._ @-]{0,12}",
        2 => (vec("[a-z]{55,70}", 1..5), suffix)
            .prop_map(|(labels, end)| format!("{}{end}", labels.join("."))),
        1 => vec("[0-9]{1,3}", 2..5).prop_map(|labels| labels.join(".")),
        1 => "([a-z]{1,3}xn--[a-z0-9]{0,4}\\.){1,2}[a-z]{2,3}",
    ]
}

proptest! {
    #[test]
    fn alias_agrees_with_the_full_match_oracle(input in alias_candidates()) {
        let parsed = OrganizationAlias::parse(&input);
        prop_assert_eq!(parsed.is_ok(), alias_oracle(&input), "{:?}: {:?}", input, parsed);
        if let Ok(alias) = parsed {
            prop_assert_eq!(alias.as_str(), input.as_str());
        }
    }

    #[test]
    fn ascii_domain_agrees_with_the_oracle(input in domain_candidates()) {
        // Whether an `xn--` label is valid Punycode is IDNA's call, not a pattern's.
        let lower = input.to_ascii_lowercase();
        if lower.split('.').any(|label| label.starts_with("xn--")) {
            return Ok(());
        }
        let parsed = DomainName::parse(&input);
        let expected = domain_oracle(&input);
        prop_assert_eq!(
            parsed.as_ref().ok().map(DomainName::as_str),
            expected.as_deref(),
            "{:?}: {:?}", input, parsed
        );
        // A character outside the alphabet is reported first, with its position.
        if let Some(position) = input.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')) {
            let err = parsed.unwrap_err();
            prop_assert_eq!(err.rule(), Rule::DomainCharacter);
            let kind_position = match err.kind() {
                workmail_org::id::ParseErrorKind::Character { position, .. } => Some(*position),
                _ => None,
            };
            prop_assert_eq!(kind_position, Some(position));
        }
    }
}
