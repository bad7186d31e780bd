//! Proptest strategies for your own property tests (feature `proptest`): valid values,
//! whole accounts, and invalid input.
//!
//! **Valid values.** Every strategy of this kind produces only values that this crate
//! accepts, and builds them the way a caller would: identifiers are parsed from generated
//! text with their `parse`, existing directories are read from a Directory Service report,
//! and specs are put together with [`OrganizationSpec::builder`]. The text is generated so
//! that it is valid by construction; each strategy still passes it through the validating
//! constructor, with a `prop_filter_map` whose reason says what construction guarantees, as
//! a safety net (it never rejects in practice: a rejection would be a bug in the strategy).
//!
//! The value types also implement proptest's [`Arbitrary`], delegating to these functions,
//! so `any::<OrganizationAlias>()` works. Each function's docs say what it generates: the
//! shapes, the lengths, the letter cases and the edge cases it favours, so that a few
//! hundred cases reach the boundaries (a 62-character alias, a 209-character domain).
//! Strategies that depend on other choices take them as arguments: a directory that must
//! match an alias and a Region ([`directory_choice_for`]), a key in a Region
//! ([`kms_key_arn_in`], [`encryption_choice_in`]).
//!
//! **Whole accounts.** Specs drawn one by one collide when put in one account (the same
//! alias, a shared domain). [`fitting_specs`] gives sets that a [`Catalog`] admits in full,
//! and [`catalog_with_specs`] a catalog already holding one.
//!
//! **Invalid input.** [`near_miss`] gives, for one [`Rule`], drafts that break that rule
//! and nothing else; [`near_misses`] tags them with their rule, for every rule a single spec
//! can break; [`invalid_draft`] gives invalid drafts of every kind, arbitrary text
//! included. They are [`OrganizationDraft`]s, the unchecked input type, made from a valid
//! draft with a change or from arbitrary text; a text made to break a rule is checked to
//! break it with the value type's own parser (a safety net, as above).
//!
//! ```
//! use proptest::prelude::*;
//! use workmail_org::strategy;
//! use workmail_org::{OrganizationAlias, OrganizationSpec};
//!
//! proptest! {
//!     #![proptest_config(ProptestConfig::with_cases(16))]
//!
//!     // In a test file, put `#[test]` on each of these.
//!     fn specs_survive_json(spec in strategy::organization_spec()) {
//!         let json = serde_json::to_string(&spec)?;
//!         prop_assert_eq!(serde_json::from_str::<OrganizationSpec>(&json)?, spec);
//!     }
//!
//!     fn keys_stay_in_their_region(
//!         (region, key) in strategy::region()
//!             .prop_flat_map(|region| (Just(region), strategy::kms_key_arn_in(region)))
//!     ) {
//!         prop_assert_eq!(key.region(), region);
//!     }
//!
//!     fn test_domains_are_lower_case(alias in any::<OrganizationAlias>()) {
//!         let test_domain = alias.test_domain();
//!         prop_assert_eq!(test_domain.as_str(), test_domain.as_str().to_ascii_lowercase());
//!     }
//!
//!     fn near_misses_name_their_rule((rule, draft) in strategy::near_misses()) {
//!         let violations = draft.validate().unwrap_err();
//!         prop_assert_eq!(violations.as_slice()[0].rule(), rule);
//!     }
//! }
//!
//! specs_survive_json();
//! keys_stay_in_their_region();
//! test_domains_are_lower_case();
//! near_misses_name_their_rule();
//! ```
//!
//! [`OrganizationDraft`] has no `Arbitrary` impl: a draft is unchecked input, and
//! `any::<OrganizationDraft>()` would not say whether it means valid drafts
//! ([`organization_draft`]), drafts breaking one rule ([`near_miss`]) or any invalid draft
//! ([`invalid_draft`]). [`ExistingDirectory`] has none either, as it is only meaningful with
//! an organization's alias and Region: use [`directory_choice_for`].
#![cfg_attr(docsrs, doc(cfg(feature = "proptest")))]

use std::ops::RangeInclusive;

use proptest::arbitrary::Arbitrary;
use proptest::bool::weighted;
use proptest::collection::{btree_set, vec};
use proptest::option;
use proptest::prelude::{any, prop_oneof, BoxedStrategy, Just, Strategy};
use proptest::sample::{select, Index};

#[cfg(doc)]
use crate::catalog::Catalog;
use crate::lifecycle::{Event, OrganizationState};
#[cfg(doc)]
use crate::rule::Rule;

mod account;
mod invalid;

use crate::id::{
    AccountId, ClientToken, DirectoryId, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias,
    OrganizationArn, OrganizationId, Region,
};
use crate::spec::{
    DirectoryChoice, EmailDomain, EncryptionChoice, OrganizationDraft, OrganizationSpec,
};
use crate::{
    id::HOSTED_ZONE_PREFIX, id::MAX_ALIAS_LEN, id::MAX_CLIENT_TOKEN_LEN, id::MAX_DOMAIN_LEN,
    id::MAX_HOSTED_ZONE_ID_LEN, id::MAX_LABEL_LEN, spec::DirectoryKind, spec::ExistingDirectory,
    spec::ExistingDirectoryDraft, spec::MAX_USER_DOMAINS,
};
pub use account::{catalog_with_specs, fitting_specs};
pub use invalid::{invalid_draft, near_miss, near_misses};

// ---------------------------------------------------------------------------------------
// Alphabets and building blocks

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LOWER_HEX: &[u8] = b"0123456789abcdef";
const DIGITS: &[u8] = b"0123456789";

/// Top-level labels drawn most of the time; the rest are generated.
const COMMON_TLDS: &[&str] = &[
    "com", "net", "org", "io", "co", "de", "jp", "info", "email", "example", "test",
];

/// Non-ASCII letters for IDN labels: lower-case Latin with diacritics, Greek (no final
/// sigma), Cyrillic, CJK ideographs, Hiragana and Hangul. All are valid in IDNA (UTS 46,
/// IDNA 2008) as they are, left-to-right (so no Bidi rule applies), neither joiners nor
/// contextual characters, and their upper-case forms map back to them.
const IDN_LETTERS: &str = "àáâäåæçèéêëíîïñòóôöøùúûüýþÿ\
                           αβγδεζηθικλμνξοπρστυφχψω\
                           абвгдежзийклмнопрстуфхцчшщъыьэюя\
                           例中文日本語網絡郵件測試\
                           あいうえおかきくけこさしすせそたちつてと\
                           한국어도메인메일시험";

/// How often an inner position of a word becomes a hyphen (when allowed there).
const HYPHEN_PROBABILITY: f64 = 0.12;

/// How generated text is cased before it is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    /// As drawn: letters of either case, mixed within a word.
    Mixed,
    Lower,
    Upper,
}

impl Case {
    fn apply(self, text: &str) -> String {
        match self {
            Case::Mixed => text.to_owned(),
            Case::Lower => text.to_lowercase(),
            Case::Upper => text.to_uppercase(),
        }
    }
}

/// Lower case half the time, mixed a third, upper case a sixth.
fn case() -> impl Strategy<Value = Case> {
    prop_oneof![
        3 => Just(Case::Lower),
        2 => Just(Case::Mixed),
        1 => Just(Case::Upper),
    ]
}

/// Letters and digits with some inner characters replaced by hyphens: never a hyphen first,
/// last or right after another, and, for an alias, never right after a leading `d` or `D`.
fn hyphenate(chars: &[u8], hyphens: &[bool], alias_rules: bool) -> String {
    let last = chars.len().saturating_sub(1);
    let mut out = String::with_capacity(chars.len());
    for (position, &byte) in chars.iter().enumerate() {
        let wanted = hyphens.get(position).copied().unwrap_or(false);
        let allowed = position > 0
            && position < last
            && !out.ends_with('-')
            && !(alias_rules && position == 1 && out.eq_ignore_ascii_case("d"));
        out.push(if wanted && allowed {
            '-'
        } else {
            char::from(byte)
        });
    }
    out
}

/// The raw material of a word: `len` characters, the first from `first` and the rest letters
/// and digits, and where hyphens are wanted.
fn raw_word(
    first: &'static [u8],
    len: RangeInclusive<usize>,
) -> impl Strategy<Value = (Vec<u8>, Vec<bool>)> {
    let rest = len.start().saturating_sub(1)..=len.end().saturating_sub(1);
    (
        select(first),
        vec(select(ALNUM), rest),
        vec(weighted(HYPHEN_PROBABILITY), MAX_LABEL_LEN),
    )
        .prop_map(|(first, mut chars, hyphens)| {
            chars.insert(0, first);
            (chars, hyphens)
        })
}

/// Runs of letters and digits joined by single hyphens, `len` characters in all.
fn word(
    first: &'static [u8],
    len: RangeInclusive<usize>,
    alias_rules: bool,
) -> impl Strategy<Value = String> {
    raw_word(first, len).prop_map(move |(chars, hyphens)| hyphenate(&chars, &hyphens, alias_rules))
}

/// `count` lower-case hex digits.
fn lower_hex(count: usize) -> impl Strategy<Value = String> {
    vec(select(LOWER_HEX), count).prop_map(|digits| digits.into_iter().map(char::from).collect())
}

/// A lower-case UUID, 8-4-4-4-12 hex digits.
fn uuid_text() -> impl Strategy<Value = String> {
    lower_hex(32).prop_map(|hex| {
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    })
}

// ---------------------------------------------------------------------------------------
// Identifiers

/// Valid [`OrganizationAlias`]es, parsed from generated text.
///
/// Runs of ASCII letters and digits joined by single hyphens (about one inner character in
/// eight becomes a hyphen). Lengths: exactly 1 character one time in ten, exactly 62 (the
/// maximum) one time in ten, 2 to 16 six times in ten, 17 to 61 otherwise. Cases: all lower
/// case half the time, letters of both cases mixed within the alias a third of the time, all
/// upper case otherwise; the spelling is kept, as the type keeps it. Aliases may start with
/// `d` or `D` (as in `dev-team`) but never with the reserved `d-` or `D-`.
pub fn organization_alias() -> impl Strategy<Value = OrganizationAlias> {
    let text = prop_oneof![
        1 => word(ALNUM, 1..=1, true),
        1 => word(ALNUM, MAX_ALIAS_LEN..=MAX_ALIAS_LEN, true),
        6 => word(ALNUM, 2..=16, true),
        2 => word(ALNUM, 17..=MAX_ALIAS_LEN - 1, true),
    ];
    (text, case()).prop_filter_map(
        "runs of letters and digits joined by single hyphens, 1 to 62 characters, never d- first, \
         are valid aliases",
        |(text, case)| OrganizationAlias::parse(&case.apply(&text)).ok(),
    )
}

/// A label of letters and digits joined by single hyphens.
fn label(len: RangeInclusive<usize>) -> impl Strategy<Value = String> {
    word(ALNUM, len, false)
}

/// A top-level label: a common one (`com`, `net`, `example`, ...) three times in four, else
/// 2 to 10 letters, digits and hyphens starting with a letter (so never all digits).
fn top_level_label() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(COMMON_TLDS).prop_map(str::to_owned),
        1 => word(LETTERS, 2..=10, false),
    ]
}

/// An IDN label: 1 to 7 characters, at least one of them non-ASCII, the rest a mix of
/// non-ASCII letters, ASCII letters and digits. Its Punycode form stays well within 63.
fn unicode_label() -> impl Strategy<Value = String> {
    let letters: Vec<char> = IDN_LETTERS.chars().collect();
    let any_char = prop_oneof![select(ALNUM).prop_map(char::from), select(letters.clone()),];
    (select(letters), vec(any_char, 0..=6), any::<Index>()).prop_map(|(unicode, mut chars, at)| {
        chars.insert(at.index(chars.len() + 1), unicode);
        chars.into_iter().collect()
    })
}

/// The shapes of a domain name, as text before casing and the trailing dot.
fn domain_text() -> impl Strategy<Value = String> {
    // Two to four labels of 1 to 12 characters.
    let common = (vec(label(1..=12), 1..=3), top_level_label())
        .prop_map(|(labels, top)| format!("{}.{top}", labels.join(".")));
    // The shortest name: three characters, `x.y`.
    let shortest = (select(ALNUM), select(LETTERS))
        .prop_map(|(first, top)| format!("{}.{}", char::from(first), char::from(top)));
    // Many short labels: five to eight.
    let many = (vec(label(1..=4), 4..=7), top_level_label())
        .prop_map(|(labels, top)| format!("{}.{top}", labels.join(".")));
    // A label of exactly 63 characters, maybe under another label.
    let long_label = (
        option::of(label(1..=12)),
        label(MAX_LABEL_LEN..=MAX_LABEL_LEN),
        top_level_label(),
    )
        .prop_map(|(sub, long, top)| match sub {
            Some(sub) => format!("{sub}.{long}.{top}"),
            None => format!("{long}.{top}"),
        });
    // Four labels, 195 to 209 characters in all (209, the maximum, half the time): three of
    // 50 to 63 characters (sum 150 to 189) and a top-level label of the 3 to 56 left.
    let near_max = (
        label(50..=MAX_LABEL_LEN),
        label(50..=MAX_LABEL_LEN),
        label(50..=MAX_LABEL_LEN),
        raw_word(LETTERS, 56..=56),
        prop_oneof![Just(MAX_DOMAIN_LEN), 195..MAX_DOMAIN_LEN],
    )
        .prop_map(|(a, b, c, (top, hyphens), total)| {
            let left = total.saturating_sub(a.len() + b.len() + c.len() + 3);
            let top = hyphenate(&top[..left.min(top.len())], &hyphens, false);
            format!("{a}.{b}.{c}.{top}")
        });
    // IDN: a Unicode label, maybe under an ASCII label, under a common or Unicode top label.
    let idn = (
        option::of(label(1..=10)),
        unicode_label(),
        prop_oneof![2 => top_level_label(), 1 => unicode_label()],
    )
        .prop_map(|(sub, unicode, top)| match sub {
            Some(sub) => format!("{sub}.{unicode}.{top}"),
            None => format!("{unicode}.{top}"),
        });
    prop_oneof![
        6 => common,
        1 => shortest,
        1 => many,
        2 => long_label,
        2 => near_max,
        3 => idn,
    ]
}

/// Valid [`DomainName`]s outside `awsapps.com`, each with the spelling it was parsed from.
///
/// The spelling is what a user might type and the name is its canonical form; see
/// [`domain_name`] for the shapes. Spellings are all lower case half the time, mixed case a
/// third of the time and all upper case (Unicode letters too) otherwise, and end with the
/// optional trailing dot one time in four.
pub fn domain_name_spelling() -> impl Strategy<Value = (String, DomainName)> {
    (domain_text(), case(), weighted(0.25)).prop_filter_map(
        "labels of letters, digits and single hyphens, Unicode labels of IDNA-valid letters, \
         within 63 and 209 characters, a top label starting with a letter or non-ASCII, and no \
         awsapps.com, make a valid user domain",
        |(text, case, dot)| {
            let mut spelling = case.apply(&text);
            if dot {
                spelling.push('.');
            }
            let name = DomainName::parse(&spelling).ok()?;
            (!name.is_test_domain_namespace()).then_some((spelling, name))
        },
    )
}

/// Valid [`DomainName`]s, never `awsapps.com` or under it (so any of them may be a user
/// domain), parsed from a generated spelling (see [`domain_name_spelling`]: upper and mixed
/// case, a trailing dot).
///
/// Shapes, out of fifteen: six have two to four labels of 1 to 12 characters; one is the
/// shortest name, `x.y`; one has five to eight short labels; two have a label of exactly 63
/// characters; two have four labels and 195 to 209 characters (exactly 209 half the time);
/// three are IDNs, with a Unicode label (Latin with diacritics, Greek, Cyrillic, CJK,
/// Hiragana or Hangul, mixed with ASCII letters and digits) whose canonical form is
/// Punycode (`xn--…`), sometimes as the top-level label. Labels are runs of letters and
/// digits joined by single hyphens, so never `xn--` unless from a Unicode label; the top
/// label is a common one (`com`, `net`, `example`, ...) or starts with a letter.
pub fn domain_name() -> impl Strategy<Value = DomainName> {
    domain_name_spelling().prop_map(|(_, name)| name)
}

/// Valid [`HostedZoneId`]s, upper-case letters and digits.
///
/// Three times in five the usual Route 53 shape, `Z` and 12 to 20 more characters; otherwise
/// 1 to 32 characters, with the extremes 1 and 32 each one time in ten. One spelling in four
/// carries the `/hostedzone/` prefix Route 53 prints, which parsing drops.
pub fn hosted_zone_id() -> impl Strategy<Value = HostedZoneId> {
    let id = |len: RangeInclusive<usize>| {
        vec(select(UPPER_ALNUM), len).prop_map(|chars| chars.into_iter().map(char::from).collect())
    };
    let text = prop_oneof![
        6 => id(12..=20).prop_map(|rest: String| format!("Z{rest}")),
        2 => id(1..=MAX_HOSTED_ZONE_ID_LEN),
        1 => id(1..=1),
        1 => id(MAX_HOSTED_ZONE_ID_LEN..=MAX_HOSTED_ZONE_ID_LEN),
    ];
    (text, weighted(0.25)).prop_filter_map(
        "1 to 32 upper-case letters and digits, maybe after /hostedzone/, are a valid hosted zone id",
        |(id, prefixed): (String, bool)| {
            let spelling = if prefixed {
                format!("{HOSTED_ZONE_PREFIX}{id}")
            } else {
                id
            };
            HostedZoneId::parse(&spelling).ok()
        },
    )
}

/// Valid [`DirectoryId`]s: `d-` and 10 lower-case hex digits, uniformly.
pub fn directory_id() -> impl Strategy<Value = DirectoryId> {
    lower_hex(10).prop_filter_map(
        "d- and 10 lower-case hex digits is a valid directory id",
        |hex| DirectoryId::parse(&format!("d-{hex}")).ok(),
    )
}

/// Valid [`OrganizationId`]s: `m-` and 32 lower-case hex digits, uniformly.
pub fn organization_id() -> impl Strategy<Value = OrganizationId> {
    lower_hex(32).prop_filter_map(
        "m- and 32 lower-case hex digits is a valid organization id",
        |hex| OrganizationId::parse(&format!("m-{hex}")).ok(),
    )
}

/// Valid [`AccountId`]s: 12 digits, uniformly (so one in ten has a significant leading
/// zero).
pub fn account_id() -> impl Strategy<Value = AccountId> {
    vec(select(DIGITS), 12).prop_filter_map("12 digits are a valid account id", |digits| {
        AccountId::parse(&digits.into_iter().map(char::from).collect::<String>()).ok()
    })
}

/// Valid [`ClientToken`]s: printable ASCII, `!` to `~`.
///
/// Lengths: 1 to 40 characters three times in ten, a lower-case UUID (36 characters, the
/// usual idempotency token) two times in ten, exactly 1 and exactly 128 (the maximum) each
/// two times in ten, 41 to 127 otherwise.
pub fn client_token() -> impl Strategy<Value = ClientToken> {
    let printable = |len: RangeInclusive<usize>| {
        vec((0x21u8..=0x7e).prop_map(char::from), len).prop_map(String::from_iter)
    };
    prop_oneof![
        3 => printable(1..=40),
        2 => uuid_text(),
        2 => printable(1..=1),
        2 => printable(MAX_CLIENT_TOKEN_LEN..=MAX_CLIENT_TOKEN_LEN),
        1 => printable(41..=MAX_CLIENT_TOKEN_LEN - 1),
    ]
    .prop_filter_map(
        "1 to 128 printable ASCII characters are a valid client token",
        |token| ClientToken::parse(&token).ok(),
    )
}

/// Every [`Region`] where WorkMail runs, uniformly.
pub fn region() -> impl Strategy<Value = Region> {
    select(Region::ALL.to_vec())
}

/// Valid [`KmsKeyArn`]s in any Region, uniformly: [`kms_key_arn_in`] a [`region`].
pub fn kms_key_arn() -> impl Strategy<Value = KmsKeyArn> {
    region().prop_flat_map(kms_key_arn_in)
}

/// Valid [`KmsKeyArn`]s in `region`: `arn:aws:kms:REGION:ACCOUNT:key/KEY_ID` with an
/// [`account_id`], and a key id that is a lower-case UUID three times in four, else a
/// multi-Region key, `mrk-` and 32 lower-case hex digits.
pub fn kms_key_arn_in(region: Region) -> impl Strategy<Value = KmsKeyArn> {
    let key_id = prop_oneof![
        3 => uuid_text(),
        1 => lower_hex(32).prop_map(|hex| format!("mrk-{hex}")),
    ];
    (account_id(), key_id).prop_filter_map(
        "a key ARN of partition aws, a WorkMail Region, 12 digits and a key id is valid",
        move |(account, key_id)| {
            KmsKeyArn::parse(&format!("arn:aws:kms:{region}:{account}:key/{key_id}")).ok()
        },
    )
}

/// Valid [`OrganizationArn`]s: [`OrganizationArn::new`] of a [`region`], an [`account_id`]
/// and an [`organization_id`].
pub fn organization_arn() -> impl Strategy<Value = OrganizationArn> {
    (region(), account_id(), organization_id())
        .prop_map(|(region, account, id)| OrganizationArn::new(region, &account, &id))
}

// ---------------------------------------------------------------------------------------
// Spec parts

/// A user domain (not the free test domain) named `name`: existing Route 53 with a
/// [`hosted_zone_id`], new Route 53 or external, each a third of the time.
fn user_email_domain(name: DomainName) -> impl Strategy<Value = EmailDomain> {
    let existing = {
        let name = name.clone();
        hosted_zone_id().prop_map(move |hosted_zone_id| EmailDomain::ExistingRoute53 {
            name: name.clone(),
            hosted_zone_id,
        })
    };
    prop_oneof![
        existing,
        Just(EmailDomain::NewRoute53 { name: name.clone() }),
        Just(EmailDomain::External { name }),
    ]
}

/// [`EmailDomain`]s of every kind: [`FreeTest`](EmailDomain::FreeTest) one time in seven;
/// otherwise a [`domain_name`] as an existing Route 53 domain (with a [`hosted_zone_id`]), a
/// new Route 53 domain or an external domain, each equally often. Names are never under
/// `awsapps.com`, so every value may appear in any spec.
pub fn email_domain() -> impl Strategy<Value = EmailDomain> {
    prop_oneof![
        1 => Just(EmailDomain::FreeTest),
        6 => domain_name().prop_flat_map(user_email_domain),
    ]
}

/// [`DirectoryChoice`]s an organization with this alias in this Region may use.
///
/// A new WorkMail directory one time in four; otherwise an existing directory (a
/// [`directory_id`]) of each [`DirectoryKind`] equally often, read from a Directory Service
/// report that places it in `region`, single-Region and `Active`, with the organization's
/// alias as its alias: in lower case half the time, as spelled a third of the time, in upper
/// case otherwise (the alias rule ignores case).
pub fn directory_choice_for(
    alias: &OrganizationAlias,
    region: Region,
) -> impl Strategy<Value = DirectoryChoice> {
    let alias = alias.as_str().to_owned();
    let existing = (directory_id(), select(DirectoryKind::ALL.to_vec()), case()).prop_filter_map(
        "a report of a supported, single-Region, Active directory is a valid existing directory",
        move |(id, kind, case)| {
            let report = ExistingDirectoryDraft {
                directory_id: id.into(),
                directory_type: kind.as_str().to_owned(),
                alias: case.apply(&alias),
                region: region.as_str().to_owned(),
                ..ExistingDirectoryDraft::default()
            };
            ExistingDirectory::try_from(&report)
                .ok()
                .map(DirectoryChoice::Existing)
        },
    );
    prop_oneof![
        1 => Just(DirectoryChoice::NewWorkMailDirectory),
        3 => existing,
    ]
}

/// [`EncryptionChoice`]s an organization in `region` may use: the WorkMail-managed key half
/// the time, else a customer managed key from [`kms_key_arn_in`] `region`.
pub fn encryption_choice_in(region: Region) -> impl Strategy<Value = EncryptionChoice> {
    prop_oneof![
        Just(EncryptionChoice::WorkMailManagedKey),
        kms_key_arn_in(region).prop_map(EncryptionChoice::CustomerManagedKey),
    ]
}

/// Which default domain a spec names.
#[derive(Clone, Copy, Debug)]
enum DefaultPick {
    /// None: the test domain by default.
    Unset,
    /// The test domain, named explicitly.
    TestDomain,
    /// A listed user domain (the test domain when there is none).
    UserDomain(Index),
}

/// Valid [`OrganizationSpec`]s, built from valid parts with [`OrganizationSpec::builder`].
///
/// - Alias: an [`organization_alias`]; Region: a [`region`].
/// - Domains: 0 to 5 distinct user domains (each count equally likely), each from
///   [`domain_name`] as an existing Route 53, new Route 53 or external domain, in random
///   order; the free test domain is listed half the time, at a random position.
/// - Default domain: a listed user domain half the time (the test domain, named, when none
///   is listed), the test domain named explicitly a quarter of the time, left unset (the
///   test domain) otherwise.
/// - Directory: [`directory_choice_for`] the alias and Region; encryption:
///   [`encryption_choice_in`] the Region.
/// - Interoperability: on half the time when the directory is an AD Connector, else off.
/// - Client token: a [`client_token`] half the time.
pub fn organization_spec() -> impl Strategy<Value = OrganizationSpec> {
    (organization_alias(), region())
        .prop_flat_map(|(alias, region)| {
            let domains = btree_set(domain_name(), 0..=MAX_USER_DOMAINS)
                .prop_flat_map(|names| names.into_iter().map(user_email_domain).collect::<Vec<_>>())
                .prop_shuffle();
            let default = prop_oneof![
                1 => Just(DefaultPick::Unset),
                1 => Just(DefaultPick::TestDomain),
                2 => any::<Index>().prop_map(DefaultPick::UserDomain),
            ];
            (
                domains,
                option::of(any::<Index>()),
                default,
                directory_choice_for(&alias, region),
                encryption_choice_in(region),
                any::<bool>(),
                option::of(client_token()),
                Just(alias),
                Just(region),
            )
        })
        .prop_filter_map(
            "distinct user domains outside awsapps.com, a listed or test default, a directory \
             and key matching alias and Region, interoperability only with an AD Connector make \
             a valid spec",
            |(
                mut domains,
                free_test_at,
                default,
                directory,
                encryption,
                interoperability,
                client_token,
                alias,
                region,
            )| {
                let default_domain = match default {
                    DefaultPick::Unset => None,
                    DefaultPick::TestDomain => Some(alias.test_domain()),
                    DefaultPick::UserDomain(index) => Some(
                        domains
                            .get(index.index(domains.len().max(1)))
                            .and_then(EmailDomain::name)
                            .cloned()
                            .unwrap_or_else(|| alias.test_domain()),
                    ),
                };
                if let Some(at) = free_test_at {
                    domains.insert(at.index(domains.len() + 1), EmailDomain::FreeTest);
                }
                let interoperability = interoperability && directory.is_ad_connector();
                let mut builder = OrganizationSpec::builder(alias, region)
                    .domains(domains)
                    .directory(directory)
                    .encryption(encryption)
                    .interoperability(interoperability);
                if let Some(default_domain) = default_domain {
                    builder = builder.default_domain(default_domain);
                }
                if let Some(client_token) = client_token {
                    builder = builder.client_token(client_token);
                }
                builder.build().ok()
            },
        )
}

/// [`OrganizationDraft`]s that validate: the [`to_draft`](OrganizationSpec::to_draft) of an
/// [`organization_spec`], so every value is in its canonical spelling, and
/// [`validate`](OrganizationDraft::validate) gives back an equal spec.
pub fn organization_draft() -> impl Strategy<Value = OrganizationDraft> {
    organization_spec().prop_map(|spec| spec.to_draft())
}

// ---------------------------------------------------------------------------------------
// Lifecycle

/// Every [`OrganizationState`], uniformly.
pub fn organization_state() -> impl Strategy<Value = OrganizationState> {
    select(OrganizationState::ALL.to_vec())
}

/// Every lifecycle [`Event`], uniformly.
pub fn lifecycle_event() -> impl Strategy<Value = Event> {
    select(Event::ALL.to_vec())
}

// ---------------------------------------------------------------------------------------
// Arbitrary

macro_rules! arbitrary {
    ($($(#[$doc:meta])* $ty:ty => $strategy:expr;)*) => {
        $(
            $(#[$doc])*
            impl Arbitrary for $ty {
                type Parameters = ();
                type Strategy = BoxedStrategy<$ty>;

                fn arbitrary_with((): ()) -> Self::Strategy {
                    $strategy.boxed()
                }
            }
        )*
    };
}

arbitrary! {
    /// [`organization_alias`].
    OrganizationAlias => organization_alias();
    /// [`domain_name`].
    DomainName => domain_name();
    /// [`hosted_zone_id`].
    HostedZoneId => hosted_zone_id();
    /// [`directory_id`].
    DirectoryId => directory_id();
    /// [`organization_id`].
    OrganizationId => organization_id();
    /// [`account_id`].
    AccountId => account_id();
    /// [`client_token`].
    ClientToken => client_token();
    /// [`region`].
    Region => region();
    /// [`kms_key_arn`].
    KmsKeyArn => kms_key_arn();
    /// [`organization_arn`].
    OrganizationArn => organization_arn();
    /// [`email_domain`].
    EmailDomain => email_domain();
    /// Every [`DirectoryKind`], uniformly.
    DirectoryKind => select(DirectoryKind::ALL.to_vec());
    /// [`directory_choice_for`] an [`organization_alias`] and a [`region`]: each value is
    /// valid for some organization, not for any.
    DirectoryChoice => (organization_alias(), region())
        .prop_flat_map(|(alias, region)| directory_choice_for(&alias, region));
    /// [`encryption_choice_in`] a [`region`]: each value is valid for an organization in
    /// its key's Region.
    EncryptionChoice => region().prop_flat_map(encryption_choice_in);
    /// [`organization_spec`].
    OrganizationSpec => organization_spec();
    /// [`organization_state`].
    OrganizationState => organization_state();
    /// [`lifecycle_event`].
    Event => lifecycle_event();
}
