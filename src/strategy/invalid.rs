//! Invalid input: near misses that break one rule and nothing else, and invalid drafts in
//! general.
//!
//! A near miss is a valid draft (an [`organization_draft`]) with one change, a [`Break`]:
//! its text is made to break the rule (and checked with the value type's own parser, so a
//! text breaking another rule first is drawn again), and it is put where it breaks nothing
//! else: where no rule between fields can see it, or where the others still hold.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use proptest::collection::{btree_set, vec};
use proptest::option;
use proptest::prelude::{any, prop_oneof, BoxedStrategy, Just, Strategy};
use proptest::sample::{select, Index};
use proptest::strategy::Union;

use super::{
    account_id, client_token, directory_id, domain_name, domain_name_spelling, hosted_zone_id,
    kms_key_arn_in, label, lower_hex, organization_alias, organization_draft, region,
    top_level_label, unicode_label, uuid_text, word, Case, ALNUM, DIGITS, LOWER_HEX, UPPER_ALNUM,
};
use crate::id::{
    ClientToken, DirectoryId, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias, Region,
};
use crate::id::{ParseError, MAX_ALIAS_LEN, MAX_CLIENT_TOKEN_LEN, MAX_DOMAIN_LEN};
use crate::rule::Rule;
use crate::spec::OrganizationDraft;
use crate::spec::{
    DirectoryDraft, DirectoryKind, DomainDraft, EncryptionDraft, ExistingDirectoryDraft,
    MAX_USER_DOMAINS,
};

// ---------------------------------------------------------------------------------------
// The public strategies

/// Drafts that break `rule` and nothing else: [`validate`](OrganizationDraft::validate)
/// reports exactly one violation, of `rule`. `None` for a rule no single spec can break.
///
/// Each draft is an [`organization_draft`] (a valid spec's draft, with every shape that
/// strategy favours) with one change: a value one step off (a valid alias with one character
/// replaced, a domain name with a label too long, a KMS key ARN naming an alias), or a
/// choice that contradicts another (a directory in another Region, interoperability without
/// an AD Connector). What each rule's drafts vary:
///
/// - `alias.*`: the alias: empty, 63 to 100 characters, a valid alias padded to 63; a
///   valid alias with one character replaced by punctuation, a space, a control or a
///   non-ASCII letter; with a hyphen first, last or doubled; after `d-` or `D-`.
/// - `region.unsupported`: the organization's Region, or an existing directory's (one is
///   added when the draft has none): other AWS Regions, supported ones in upper case or
///   with spaces, Region-shaped text, the empty string.
/// - `domain.*`: one domain name, in a listed entry (replaced), in a new entry of any type
///   (when fewer than five user domains are listed) or as the default domain: over 209
///   characters or under 3, a valid name (in any spelling) with ASCII punctuation or a
///   character IDNA rejects inserted, a Punycode label that does not decode, one label, an
///   empty or 64-character label, a label starting or ending with a hyphen, an all-digit
///   top-level label.
/// - `hosted_zone_id.*`: a listed domain turned into an existing Route 53 domain (or one
///   added) with a zone id of the wrong length or with one bad character.
/// - `directory_id.format`, `directory.*`: an existing directory (one of any kind is added,
///   with the organization's alias and Region, when the draft has a new WorkMail directory)
///   with a malformed id; an unsupported or shared type; replicated to one to three other
///   Regions; in another WorkMail Region; in a stage other than `Active`; with another
///   alias.
/// - `interoperability.requires_ad_connector`: interoperability with a new WorkMail
///   directory, a Managed Microsoft AD or a Simple AD.
/// - `kms_key_arn.*`, `encryption.region_mismatch`: a customer managed key whose ARN is
///   under 20 or over 2048 characters, has another prefix, partition, service or resource
///   type, an unsupported Region, an account that is not 12 digits, an alias, a malformed
///   key id; or a valid key in another WorkMail Region.
/// - `client_token.*`: the empty token, 129 to 200 characters, a valid token with one
///   character replaced by a space, a control or non-ASCII.
/// - `domains.*`, `default_domain.unknown`: the free test domain listed twice, six to ten
///   user domains, a listed domain again in another spelling (upper case, trailing dot,
///   Unicode), a domain under `awsapps.com`, a default domain that is not listed (a fresh
///   name, or the test domain of another alias).
///
/// `None` for the fifteen rules a single spec cannot break alone:
///
/// - rules that need other organizations, checked by a [`Catalog`](crate::Catalog):
///   `alias.taken`, `client_token.reused`, `domains.in_use`, `directory.in_use`,
///   `account.organization_limit` (use
///   [`catalog_with_specs`](super::catalog_with_specs) for those);
/// - rules of values a spec does not hold: `organization_id.format`, `account_id.format`,
///   `organization_arn.format` (AWS's answers and the catalog's account),
///   `next_token.length`, `exception_name.length` (the AWS wire format),
///   `dns.verification_token`, `dns.dkim_token` (DNS records);
/// - rules that need what AWS reports after creation: `domains.hosted_zone_missing` (a new
///   Route 53 domain's zone, for the `CreateOrganization` request) and
///   `default_domain.unverified` (a domain's verification status);
/// - `violations.left_out`, which only counts the violations past the hundredth.
///
/// Every rule of [`Rule::ALL`] is one or the other; a new rule must be given a near miss or
/// added to this list.
///
/// ```
/// use proptest::prelude::*;
/// use workmail_org::{strategy, Rule};
///
/// let near_miss = strategy::near_miss(Rule::DirectoryRegionMismatch).expect("a spec rule");
/// proptest!(ProptestConfig::with_cases(16), |(draft in near_miss)| {
///     let violations = draft.validate().unwrap_err();
///     prop_assert_eq!(violations.len(), 1);
///     prop_assert_eq!(violations.as_slice()[0].rule(), Rule::DirectoryRegionMismatch);
/// });
/// assert!(strategy::near_miss(Rule::AliasTaken).is_none());
/// ```
pub fn near_miss(rule: Rule) -> Option<BoxedStrategy<OrganizationDraft>> {
    let breaks = breaks(rule)?;
    Some(
        (organization_draft(), breaks)
            .prop_map(|(mut draft, change)| {
                change.apply(&mut draft);
                draft
            })
            .boxed(),
    )
}

/// [`near_miss`]es of every rule that has them, each tagged with its rule: every rule
/// equally often.
///
/// ```
/// use proptest::prelude::*;
/// use workmail_org::strategy;
///
/// proptest!(ProptestConfig::with_cases(32), |((rule, draft) in strategy::near_misses())| {
///     let violations = draft.validate().unwrap_err();
///     prop_assert!(violations.iter().all(|v| v.rule() == rule), "{}: {}", rule, violations);
/// });
/// ```
pub fn near_misses() -> impl Strategy<Value = (Rule, OrganizationDraft)> {
    (organization_draft(), any_break()).prop_map(|(mut draft, change)| {
        change.apply(&mut draft);
        (change.rule, draft)
    })
}

/// [`OrganizationDraft`]s that [`validate`](OrganizationDraft::validate) rejects, of every
/// kind: for the input side of your property tests (an API that must refuse them, an error
/// report that must name each violation).
///
/// - Half of them are [`near_misses`]: one rule broken, the rest valid.
/// - A quarter are valid drafts with two to four near-miss changes of any rules applied one
///   after the other: several violations at once, in several fields, or one change hiding
///   another's rule (a broken alias keeps the directory's alias from being compared).
/// - A quarter have arbitrary text in every field: any Unicode, printable ASCII,
///   letters-digits-dots-hyphens, the empty string or, for the Region, the directory's type
///   and stage, a valid value; zero to seven domain entries of every type; either directory
///   and either encryption; interoperability on or off; a client token or none.
///
/// Each is checked invalid: a draft of arbitrary text that happens to be valid (it needs a
/// valid alias and Region among others: in practice never) is drawn again.
pub fn invalid_draft() -> impl Strategy<Value = OrganizationDraft> {
    let stacked =
        (organization_draft(), vec(any_break(), 2..=4)).prop_map(|(mut draft, changes)| {
            for change in &changes {
                change.apply(&mut draft);
            }
            draft
        });
    // Boxed: a union holds a value tree of each option, and these are large.
    prop_oneof![
        2 => near_misses().prop_map(|(_, draft)| draft).boxed(),
        1 => stacked.boxed(),
        1 => arbitrary_draft().boxed(),
    ]
    .prop_filter("every generated draft is invalid", |draft| {
        draft.validate().is_err()
    })
}

// ---------------------------------------------------------------------------------------
// Changes

/// One change to a valid draft that breaks `rule` and nothing else.
#[derive(Clone)]
struct Break {
    rule: Rule,
    apply: Arc<dyn Fn(&mut OrganizationDraft) + Send + Sync>,
}

impl Break {
    fn apply(&self, draft: &mut OrganizationDraft) {
        (self.apply)(draft);
    }
}

impl fmt::Debug for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Break({})", self.rule)
    }
}

/// Changes breaking `rule`, made by `apply` from each value of `inputs`.
fn breaking<S>(
    rule: Rule,
    inputs: S,
    apply: fn(&mut OrganizationDraft, &S::Value),
) -> BoxedStrategy<Break>
where
    S: Strategy + 'static,
    S::Value: Send + Sync + 'static,
{
    inputs
        .prop_map(move |input| Break {
            rule,
            apply: Arc::new(move |draft| apply(draft, &input)),
        })
        .boxed()
}

/// A change of any rule that has one, every rule equally often.
fn any_break() -> Union<BoxedStrategy<Break>> {
    Union::new(Rule::ALL.iter().filter_map(|&rule| breaks(rule)))
}

/// Texts from `texts` that break `rule` as a `T`, written into a draft by `set`.
fn field<T: std::str::FromStr<Err = ParseError>>(
    rule: Rule,
    texts: BoxedStrategy<String>,
    set: fn(&mut OrganizationDraft, &String),
) -> BoxedStrategy<Break> {
    breaking(rule, failing(rule, texts, rule_of::<T>), set)
}

/// The changes breaking `rule`; `None` for a rule no single spec can break (the list is in
/// [`near_miss`]'s docs).
fn breaks(rule: Rule) -> Option<BoxedStrategy<Break>> {
    let alias = |texts| field::<OrganizationAlias>(rule, texts, |d, text| set_alias(d, text));
    let name = |texts: BoxedStrategy<String>| {
        let texts = failing(rule, texts, rule_of::<DomainName>);
        breaking(rule, (texts, name_place()), put_name)
    };
    let zone = |texts: BoxedStrategy<String>| {
        let texts = failing(rule, texts, rule_of::<HostedZoneId>);
        breaking(rule, (texts, any::<Index>(), domain_name()), put_zone)
    };
    let key = |texts| field::<KmsKeyArn>(rule, texts, |d, text| set_key(d, text));
    let token = |texts| field::<ClientToken>(rule, texts, |d, text| set_token(d, text));
    Some(match rule {
        Rule::AliasLength => alias(long_or_empty_alias().boxed()),
        Rule::AliasCharacter => alias(alias_with_bad_character().boxed()),
        Rule::AliasHyphen => alias(alias_with_bad_hyphen().boxed()),
        Rule::AliasReservedPrefix => alias(alias_with_reserved_prefix().boxed()),
        Rule::RegionUnsupported => breaking(
            rule,
            (
                failing(rule, unsupported_region(), rule_of::<Region>),
                any::<bool>(),
                new_directory(),
            ),
            set_region,
        ),
        Rule::DomainLength => name(long_or_short_domain().boxed()),
        Rule::DomainIdna => name(domain_idna_rejects().boxed()),
        Rule::DomainCharacter => name(domain_with_bad_character().boxed()),
        Rule::DomainLabelCount => name(single_label_domain().boxed()),
        Rule::DomainLabelLength => name(domain_with_bad_label_length().boxed()),
        Rule::DomainLabelHyphen => name(domain_with_label_hyphen().boxed()),
        Rule::DomainNumericTld => name(domain_with_numeric_tld().boxed()),
        Rule::DomainReservedLabel => name(domain_with_reserved_label().boxed()),
        Rule::HostedZoneIdLength => zone(zone_of_bad_length().boxed()),
        Rule::HostedZoneIdCharacter => zone(zone_with_bad_character().boxed()),
        Rule::DirectoryIdFormat => breaking(
            rule,
            (
                failing(rule, malformed_directory_id(), rule_of::<DirectoryId>),
                new_directory(),
            ),
            |draft, (id, new)| existing(draft, new).directory_id = id.clone(),
        ),
        Rule::ClientTokenLength => token(token_of_bad_length().boxed()),
        Rule::ClientTokenCharacter => token(token_with_bad_character().boxed()),
        Rule::KmsKeyArnLength => key(key_arn_of_bad_length().boxed()),
        Rule::KmsKeyArnFormat => key(key_arn_of_bad_format().boxed()),
        Rule::KmsKeyArnRegion => key(key_arn_in_unsupported_region().boxed()),
        Rule::KmsKeyArnAccount => key(key_arn_of_bad_account().boxed()),
        Rule::KmsKeyArnKeyId => key(key_arn_of_bad_key_id().boxed()),
        Rule::KmsKeyArnAlias => key(key_arn_of_alias().boxed()),
        Rule::DomainsFreeTestDuplicate => breaking(
            rule,
            (any::<Index>(), any::<Index>()),
            list_free_test_twice,
        ),
        Rule::DomainsLimit => breaking(
            rule,
            (
                btree_set(domain_name(), 2 * MAX_USER_DOMAINS + 5),
                vec((entry_kind(), any::<Index>()), 2 * MAX_USER_DOMAINS),
                MAX_USER_DOMAINS + 1..=2 * MAX_USER_DOMAINS,
            ),
            list_too_many_domains,
        ),
        Rule::DomainsDuplicate => breaking(
            rule,
            (
                domain_name(),
                (any::<Index>(), any::<Index>(), any::<Index>()),
                0..4u8,
                entry_kind(),
            ),
            list_a_domain_twice,
        ),
        Rule::DomainsReservedNamespace => breaking(
            rule,
            (
                test_namespace_domain(),
                entry_kind(),
                any::<Index>(),
                any::<Index>(),
            ),
            list_a_test_namespace_domain,
        ),
        Rule::DefaultDomainUnknown => breaking(
            rule,
            (
                btree_set(domain_name(), MAX_USER_DOMAINS + 1),
                option::weighted(0.25, label(1..=20)),
                super::case(),
                any::<bool>(),
            ),
            choose_an_unknown_default,
        ),
        Rule::DirectoryUnsupportedType => breaking(
            rule,
            (unsupported_directory_type(), new_directory()),
            |draft, (kind, new)| existing(draft, new).directory_type = kind.clone(),
        ),
        Rule::DirectoryShared => breaking(rule, new_directory(), |draft, new| {
            existing(draft, new).directory_type = "SharedMicrosoftAD".to_owned();
        }),
        Rule::DirectoryMultiRegion => breaking(
            rule,
            (vec(additional_region(), 1..=3), new_directory()),
            |draft, (regions, new)| existing(draft, new).additional_regions = regions.clone(),
        ),
        Rule::DirectoryRegionMismatch => breaking(
            rule,
            (any::<Index>(), new_directory()),
            |draft, (at, new)| {
                let region = other_region(draft, *at);
                existing(draft, new).region = region.as_str().to_owned();
            },
        ),
        Rule::DirectoryNotActive => breaking(
            rule,
            (inactive_stage(), new_directory()),
            |draft, (stage, new)| existing(draft, new).stage = stage.clone(),
        ),
        Rule::DirectoryAliasMismatch => breaking(
            rule,
            (other_directory_alias(), new_directory()),
            |draft, (alias, new)| {
                let mut alias = alias.clone();
                if alias.eq_ignore_ascii_case(&draft.alias) {
                    alias.push('x');
                }
                existing(draft, new).alias = alias;
            },
        ),
        Rule::InteroperabilityRequiresAdConnector => breaking(
            rule,
            (
                option::of(select(vec![DirectoryKind::MicrosoftAd, DirectoryKind::SimpleAd])),
                new_directory(),
            ),
            interoperability_without_ad_connector,
        ),
        Rule::EncryptionRegionMismatch => breaking(
            rule,
            (
                Region::ALL
                    .iter()
                    .map(|&region| kms_key_arn_in(region))
                    .collect::<Vec<_>>(),
                any::<Index>(),
            ),
            |draft, (keys, at)| {
                let region = other_region(draft, *at);
                if let Some(key) = keys.iter().find(|key| key.region() == region) {
                    set_key(draft, key.as_str());
                }
            },
        ),
        // Rules that need other organizations: a catalog's.
        Rule::AliasTaken
        | Rule::ClientTokenReused
        | Rule::DomainsInUse
        | Rule::DirectoryInUse
        | Rule::AccountOrganizationLimit
        // Rules of values a spec does not hold.
        | Rule::OrganizationIdFormat
        | Rule::AccountIdFormat
        | Rule::OrganizationArnFormat
        | Rule::NextTokenLength
        | Rule::ExceptionNameLength
        | Rule::EntityIdLength
        | Rule::EntityIdCharacter
        | Rule::RoleArnLength
        | Rule::RoleArnFormat
        | Rule::ExportBucketLength
        | Rule::ExportBucketCharacter
        | Rule::ExportPrefixLength
        | Rule::ExportPrefixCharacter
        | Rule::ExportJobIdLength
        | Rule::ExportJobIdCharacter
        | Rule::ExportDescriptionLength
        | Rule::LeavingCutoverPending
        | Rule::LeavingExportsUnfinished
        | Rule::LeavingNotDeleted
        | Rule::LeavingDirectoryUnknown
        | Rule::LeavingConcurrency
        | Rule::LeavingNewMx
        | Rule::DnsVerificationToken
        | Rule::DnsDkimToken
        // Rules that need what AWS reports.
        | Rule::DomainsHostedZoneMissing
        | Rule::DefaultDomainUnverified
        // Not a rule of its own: it counts the violations past the cap.
        | Rule::ViolationsLeftOut => return None,
    })
}

// ---------------------------------------------------------------------------------------
// Checking a text breaks the rule it was made for

/// `texts`, each checked to break `rule` (with `rule_of`, the value type's parser): a text
/// that breaks another rule first is drawn again. The texts are made to break `rule`, so
/// this is a safety net that does not reject in practice.
fn failing<S>(rule: Rule, texts: S, rule_of: fn(&str) -> Option<Rule>) -> BoxedStrategy<String>
where
    S: Strategy<Value = String> + 'static,
{
    texts
        .prop_filter("a text made to break a rule breaks it first", move |text| {
            rule_of(text) == Some(rule)
        })
        .boxed()
}

/// The rule `text` breaks as a `T`, if any.
fn rule_of<T: std::str::FromStr<Err = ParseError>>(text: &str) -> Option<Rule> {
    text.parse::<T>().err().map(|error| error.rule())
}

/// `text` with the character at `at` replaced by `by`.
fn replace_char(text: &str, at: Index, by: char) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return by.to_string();
    }
    let at = at.index(chars.len());
    chars[at] = by;
    chars.into_iter().collect()
}

/// `text` with `what` inserted before the character at `at` (or at the end).
fn insert_char(text: &str, at: Index, what: char) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    chars.insert(at.index(chars.len() + 1), what);
    chars.into_iter().collect()
}

// ---------------------------------------------------------------------------------------
// Alias

/// Empty, 63 to 100 letters, digits and single hyphens, or a valid alias padded to 63.
fn long_or_empty_alias() -> impl Strategy<Value = String> {
    let padded =
        (organization_alias(), vec(select(ALNUM), MAX_ALIAS_LEN + 1)).prop_map(|(alias, pad)| {
            let mut text = alias.as_str().to_owned();
            let missing = MAX_ALIAS_LEN + 1 - text.len();
            text.extend(pad.into_iter().take(missing).map(char::from));
            text
        });
    prop_oneof![
        1 => Just(String::new()),
        2 => word(ALNUM, MAX_ALIAS_LEN + 1..=100, true),
        2 => padded,
    ]
}

/// Characters no alias may hold.
const NOT_IN_ALIAS: &[char] = &[
    '_', '.', ' ', '@', '!', '/', '+', '*', '\t', '\0', 'é', 'ß', 'Ж', '中', '😀', '\u{200B}',
];

/// A valid alias with one character replaced by one of [`NOT_IN_ALIAS`].
fn alias_with_bad_character() -> impl Strategy<Value = String> {
    (organization_alias(), any::<Index>(), select(NOT_IN_ALIAS))
        .prop_map(|(alias, at, bad)| replace_char(alias.as_str(), at, bad))
}

/// A valid alias with a hyphen first (replacing the first character), last (replacing the
/// last) or doubled (inserted, or replacing two characters at the maximum length).
fn alias_with_bad_hyphen() -> impl Strategy<Value = String> {
    (organization_alias(), 0..3u8, any::<Index>()).prop_map(|(alias, place, at)| {
        let alias = alias.as_str();
        let len = alias.len();
        let first = format!("-{}", &alias[1..]);
        let text = match place {
            0 => first.clone(),
            1 => format!("{}-", &alias[..len - 1]),
            _ if len + 2 <= MAX_ALIAS_LEN => {
                let at = 1 + at.index(len);
                format!("{}--{}", &alias[..at], &alias[at..])
            }
            _ => {
                let at = 1 + at.index(len - 2);
                format!("{}--{}", &alias[..at], &alias[at + 2..])
            }
        };
        // `d-` first would break `alias.reserved_prefix` instead.
        if text.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("d-")) {
            first
        } else {
            text
        }
    })
}

/// `d-` or `D-` before a valid alias, cut to 62 characters.
fn alias_with_reserved_prefix() -> impl Strategy<Value = String> {
    (organization_alias(), select(&["d-", "D-"][..])).prop_map(|(alias, prefix)| {
        let rest = &alias.as_str()[..alias.as_str().len().min(MAX_ALIAS_LEN - 2)];
        format!("{prefix}{rest}")
    })
}

fn set_alias(draft: &mut OrganizationDraft, alias: &str) {
    draft.alias = alias.to_owned();
}

// ---------------------------------------------------------------------------------------
// Region

/// AWS Regions where WorkMail does not run, and Region-like text.
const OTHER_REGIONS: &[&str] = &[
    "eu-central-1",
    "us-east-2",
    "us-west-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ca-central-1",
    "sa-east-1",
    "eu-west-2",
    "us-gov-west-1",
    "cn-north-1",
    "global",
];

/// Text that is no supported Region: another AWS Region, a supported one in upper case or
/// with a space, Region-shaped text, the empty string.
fn unsupported_region() -> impl Strategy<Value = String> {
    let supported = || select(Region::ALL).prop_map(|region| region.as_str());
    prop_oneof![
        4 => select(OTHER_REGIONS).prop_map(str::to_owned),
        1 => supported().prop_map(str::to_ascii_uppercase),
        1 => supported().prop_map(|region| format!(" {region}")),
        1 => supported().prop_map(|region| format!("{region} ")),
        2 => "[a-z]{2}-[a-z]{4,9}-[0-9]",
        1 => Just(String::new()),
    ]
}

/// The organization's Region (when `organization`), else an existing directory's.
fn set_region(
    draft: &mut OrganizationDraft,
    (text, organization, new): &(String, bool, NewDirectory),
) {
    if *organization {
        draft.region = text.clone();
    } else {
        existing(draft, new).region = text.clone();
    }
}

/// A WorkMail Region other than the draft's: the `at`-th of the others.
fn other_region(draft: &OrganizationDraft, at: Index) -> Region {
    let own = Region::parse(&draft.region).ok();
    let others: Vec<Region> = Region::ALL
        .iter()
        .copied()
        .filter(|&region| Some(region) != own)
        .collect();
    others[at.index(others.len())]
}

// ---------------------------------------------------------------------------------------
// Domain names

/// Four labels of 52 to 63 characters and a top-level label (215 characters or more), or
/// two characters or fewer (with a trailing dot, or only one).
fn long_or_short_domain() -> impl Strategy<Value = String> {
    let long = (vec(label(52..=63), 4), top_level_label())
        .prop_map(|(labels, top)| format!("{}.{top}", labels.join(".")));
    let short = select(&["", ".", "a", "ab", "a.", "ab.", "A"][..]).prop_map(str::to_owned);
    prop_oneof![3 => long, 1 => short]
}

/// ASCII characters no domain name may hold.
const NOT_IN_DOMAIN: &[char] = &[
    '_', ' ', '@', '/', ':', '*', '!', ',', ';', '+', '=', '~', '\\', '"', '\'', '(', ')', '<',
    '>', '?', '#', '$', '%', '&', '^', '{', '}', '[', ']', '|', '`', '\t', '\0',
];

/// A valid domain name, as a user might spell it, with one of [`NOT_IN_DOMAIN`] inserted.
fn domain_with_bad_character() -> impl Strategy<Value = String> {
    (
        domain_name_spelling(),
        any::<Index>(),
        select(NOT_IN_DOMAIN),
    )
        .prop_map(|((spelling, _), at, bad)| insert_char(&spelling, at, bad))
}

/// Non-ASCII characters IDNA (UTS 46) rejects: the replacement character, a private-use
/// and an unassigned code point, a line separator, full-width `_` and `@` (which map to
/// ASCII punctuation), a no-break space (which maps to a space).
const IDNA_REJECTS: &[char] = &[
    '\u{FFFD}', '\u{E000}', '\u{0378}', '\u{2028}', '\u{FF3F}', '\u{FF20}', '\u{00A0}',
];

/// Punycode labels that do not decode to a valid label.
const BAD_PUNYCODE: &[&str] = &["xn--zz", "XN--ZZ", "xn--a", "xn--0", "xn--99999999"];

/// A valid domain name with a character IDNA rejects inserted, or with its first label
/// replaced by Punycode that does not decode.
fn domain_idna_rejects() -> impl Strategy<Value = String> {
    let inserted = (domain_name_spelling(), any::<Index>(), select(IDNA_REJECTS))
        .prop_map(|((spelling, _), at, bad)| insert_char(&spelling, at, bad));
    let punycode = (domain_name(), select(BAD_PUNYCODE)).prop_map(|(name, bad)| {
        let rest = name.as_str().split_once('.').map_or("", |(_, rest)| rest);
        format!("{bad}.{rest}")
    });
    prop_oneof![inserted, punycode]
}

/// One label (ASCII of 3 to 63 characters, or Unicode), in any case, with the trailing dot
/// one time in four.
fn single_label_domain() -> impl Strategy<Value = String> {
    let text = prop_oneof![label(3..=63), unicode_label()];
    (text, super::case(), proptest::bool::weighted(0.25)).prop_map(|(text, case, dot)| {
        let mut text = case.apply(&text);
        if dot {
            text.push('.');
        }
        text
    })
}

/// A valid domain name with the first character of a label replaced by a dot (an empty
/// label), or 64 to 100 characters before a valid name (or `com`).
fn domain_with_bad_label_length() -> impl Strategy<Value = String> {
    let empty = (domain_name(), any::<Index>()).prop_map(|(name, at)| {
        let name = name.as_str();
        let starts: Vec<usize> = std::iter::once(0)
            .chain(name.match_indices('.').map(|(dot, _)| dot + 1))
            // The last character: the name would end with two dots, one of them dropped,
            // and the shortest names would become too short instead.
            .filter(|&start| start + 1 < name.len())
            .collect();
        let start = starts[at.index(starts.len())];
        format!("{}.{}", &name[..start], &name[start + 1..])
    });
    let long = (label(64..=100), domain_name()).prop_map(|(long, name)| {
        if long.len() + 1 + name.as_str().len() <= MAX_DOMAIN_LEN {
            format!("{long}.{name}")
        } else {
            format!("{long}.com")
        }
    });
    prop_oneof![empty, long]
}

/// A valid domain name (in any case) with the first or last character of one label replaced
/// by a hyphen.
fn domain_with_label_hyphen() -> impl Strategy<Value = String> {
    (domain_name(), any::<Index>(), any::<bool>(), super::case()).prop_map(
        |(name, at, last, case)| {
            let name = name.as_str();
            let mut bounds = Vec::new();
            let mut start = 0;
            for label in name.split('.') {
                bounds.push((start, start + label.len() - 1));
                start += label.len() + 1;
            }
            let (first_char, last_char) = bounds[at.index(bounds.len())];
            let position = if last { last_char } else { first_char };
            let text = format!("{}-{}", &name[..position], &name[position + 1..]);
            case.apply(&text)
        },
    )
}

/// A valid domain name with its top-level label replaced by as many digits or fewer.
fn domain_with_numeric_tld() -> impl Strategy<Value = String> {
    (domain_name(), vec(select(DIGITS), 1..=6)).prop_map(|(name, digits)| {
        let (rest, top) = name
            .as_str()
            .rsplit_once('.')
            .unwrap_or(("", name.as_str()));
        let digits: String = digits.into_iter().take(top.len()).map(char::from).collect();
        format!("{rest}.{digits}")
    })
}

/// A short domain whose first label has hyphens as its third and fourth characters but does
/// not start with `xn` (RFC 5890 reserves such labels), e.g. `ab--cd.example.com`.
fn domain_with_reserved_label() -> impl Strategy<Value = String> {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwyz0123456789";
    (
        select(LETTERS),
        select(LETTERS),
        vec(select(LETTERS), 1..=8),
    )
        .prop_map(|(first, second, rest)| {
            let rest: String = rest.into_iter().map(char::from).collect();
            format!(
                "{}{}--{rest}.example.com",
                char::from(first),
                char::from(second)
            )
        })
}

/// What kind of entry a new domain entry is.
#[derive(Clone, Debug)]
enum EntryKind {
    ExistingRoute53(HostedZoneId),
    NewRoute53,
    External,
}

impl EntryKind {
    fn entry(&self, name: String) -> DomainDraft {
        match self {
            EntryKind::ExistingRoute53(zone) => DomainDraft::ExistingRoute53 {
                name,
                hosted_zone_id: zone.as_str().to_owned(),
            },
            EntryKind::NewRoute53 => DomainDraft::NewRoute53 { name },
            EntryKind::External => DomainDraft::External { name },
        }
    }
}

/// Each kind of user domain entry equally often, an existing Route 53 domain with a
/// [`hosted_zone_id`].
fn entry_kind() -> impl Strategy<Value = EntryKind> {
    prop_oneof![
        hosted_zone_id().prop_map(EntryKind::ExistingRoute53),
        Just(EntryKind::NewRoute53),
        Just(EntryKind::External),
    ]
}

/// Where a bad domain name goes.
#[derive(Clone, Debug)]
enum NamePlace {
    /// In place of the name of a listed user domain (a new entry when there is none).
    Listed(Index),
    /// In a new entry at this position (in place of a listed name when five are listed).
    New(Index, EntryKind),
    /// As the default domain.
    Default,
}

/// A listed name half the time, a new entry a third, the default domain otherwise.
fn name_place() -> impl Strategy<Value = NamePlace> {
    prop_oneof![
        3 => any::<Index>().prop_map(NamePlace::Listed),
        2 => (any::<Index>(), entry_kind()).prop_map(|(at, kind)| NamePlace::New(at, kind)),
        1 => Just(NamePlace::Default),
    ]
}

/// Puts a name that does not parse where it was chosen to go. A listed name it replaces is
/// no longer the default: a default that named it is dropped, as it would now name no listed
/// domain (`default_domain.unknown`).
fn put_name(draft: &mut OrganizationDraft, (name, place): &(String, NamePlace)) {
    let named = named_entries(draft);
    let user_domains = named.len();
    match place {
        NamePlace::Default => draft.default_domain = Some(name.clone()),
        NamePlace::Listed(at) | NamePlace::New(at, _) if user_domains == MAX_USER_DOMAINS => {
            replace_name(draft, named[at.index(named.len())], name.clone());
        }
        NamePlace::Listed(at) if !named.is_empty() => {
            replace_name(draft, named[at.index(named.len())], name.clone());
        }
        NamePlace::Listed(at) => {
            let at = at.index(draft.domains.len() + 1);
            draft
                .domains
                .insert(at, DomainDraft::External { name: name.clone() });
        }
        NamePlace::New(at, kind) => {
            let at = at.index(draft.domains.len() + 1);
            draft.domains.insert(at, kind.entry(name.clone()));
        }
    }
}

/// The positions of the entries that have a name (the user domains).
fn named_entries(draft: &OrganizationDraft) -> Vec<usize> {
    draft
        .domains
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.name().map(String::as_str).is_some())
        .map(|(index, _)| index)
        .collect()
}

/// Replaces the name of entry `at`, dropping a default that named it.
fn replace_name(draft: &mut OrganizationDraft, at: usize, new: String) {
    let old = draft.domains[at]
        .name()
        .map(String::as_str)
        .and_then(|name| DomainName::parse(name).ok());
    let default = draft
        .default_domain
        .as_deref()
        .and_then(|name| DomainName::parse(name).ok());
    if old.is_some() && old == default {
        draft.default_domain = None;
    }
    if let Some(name) = draft.domains[at].name_mut() {
        *name = new;
    }
}

// ---------------------------------------------------------------------------------------
// Hosted zones

/// Empty, the bare `/hostedzone/` prefix, 33 to 128 upper-case letters and digits (maybe
/// after the prefix), or 129 to 160 characters of any kind.
fn zone_of_bad_length() -> impl Strategy<Value = String> {
    let long = (vec(select(UPPER_ALNUM), 33..=128), any::<bool>()).prop_map(|(chars, prefixed)| {
        let id: String = chars.into_iter().map(char::from).collect();
        if prefixed {
            format!("/hostedzone/{id}")
        } else {
            id
        }
    });
    prop_oneof![
        1 => Just(String::new()),
        1 => Just("/hostedzone/".to_owned()),
        3 => long,
        1 => "\\PC{129,160}",
    ]
}

/// Characters no hosted zone id may hold.
const NOT_IN_ZONE: &[char] = &['a', 'z', '-', '_', '/', ' ', '.', 'é', 'Ω'];

/// A valid hosted zone id with one character replaced by one of [`NOT_IN_ZONE`], maybe
/// after `/hostedzone/`.
fn zone_with_bad_character() -> impl Strategy<Value = String> {
    (
        hosted_zone_id(),
        any::<Index>(),
        select(NOT_IN_ZONE),
        any::<bool>(),
    )
        .prop_map(|(zone, at, bad, prefixed)| {
            let id = replace_char(zone.as_str(), at, bad);
            if prefixed {
                format!("/hostedzone/{id}")
            } else {
                id
            }
        })
}

/// A listed user domain becomes an existing Route 53 domain with the bad zone id; with no
/// user domain listed, `fresh` is added as one.
fn put_zone(draft: &mut OrganizationDraft, (zone, at, fresh): &(String, Index, DomainName)) {
    let named = named_entries(draft);
    if named.is_empty() {
        let position = at.index(draft.domains.len() + 1);
        draft.domains.insert(
            position,
            DomainDraft::ExistingRoute53 {
                name: fresh.as_str().to_owned(),
                hosted_zone_id: zone.clone(),
            },
        );
        return;
    }
    let entry = &mut draft.domains[named[at.index(named.len())]];
    let name = entry
        .name()
        .map(String::as_str)
        .unwrap_or_default()
        .to_owned();
    *entry = DomainDraft::ExistingRoute53 {
        name,
        hosted_zone_id: zone.clone(),
    };
}

// ---------------------------------------------------------------------------------------
// The list of domains and the default domain

/// Lists the free test domain twice in all, at the given positions.
fn list_free_test_twice(draft: &mut OrganizationDraft, (first, second): &(Index, Index)) {
    let listed = draft
        .domains
        .iter()
        .filter(|entry| matches!(entry, DomainDraft::FreeTest))
        .count();
    for at in [first, second].into_iter().take(2 - listed.min(2)) {
        let at = at.index(draft.domains.len() + 1);
        draft.domains.insert(at, DomainDraft::FreeTest);
    }
}

type TooMany = (BTreeSet<DomainName>, Vec<(EntryKind, Index)>, usize);

/// Lists fresh names (not yet listed) until `count` user domains are listed.
fn list_too_many_domains(draft: &mut OrganizationDraft, (fresh, kinds, count): &TooMany) {
    let listed: BTreeSet<String> = draft
        .domains
        .iter()
        .filter_map(|entry| entry.name().map(String::as_str))
        .map(str::to_owned)
        .collect();
    let missing = count.saturating_sub(listed.len());
    let fresh = fresh
        .iter()
        .filter(|name| !listed.contains(name.as_str()))
        .take(missing);
    for (name, (kind, at)) in fresh.zip(kinds) {
        let at = at.index(draft.domains.len() + 1);
        draft
            .domains
            .insert(at, kind.entry(name.as_str().to_owned()));
    }
}

type Duplicate = (DomainName, (Index, Index, Index), u8, EntryKind);

/// Lists a listed domain again (`fresh` twice when none is listed) in another spelling;
/// with five user domains listed, one that is neither the copied one nor the default goes.
fn list_a_domain_twice(
    draft: &mut OrganizationDraft,
    (fresh, (source, drop, at), spelling, kind): &Duplicate,
) {
    let named = named_entries(draft);
    let copied = match named.len() {
        0 => {
            draft.domains.push(DomainDraft::External {
                name: fresh.as_str().to_owned(),
            });
            fresh.as_str().to_owned()
        }
        count => {
            let copied = draft.domains[named[source.index(count)]]
                .name()
                .map(String::as_str)
                .unwrap_or_default();
            copied.to_owned()
        }
    };
    if named.len() >= MAX_USER_DOMAINS {
        let default = draft.default_domain.clone();
        let droppable: Vec<usize> = named
            .iter()
            .copied()
            .filter(|&index| {
                let name = draft.domains[index].name().map(String::as_str);
                name != Some(copied.as_str()) && name != default.as_deref()
            })
            .collect();
        draft.domains.remove(droppable[drop.index(droppable.len())]);
    }
    let spelled = match (spelling, DomainName::parse(&copied)) {
        (1, _) => copied.to_ascii_uppercase(),
        (2, _) => format!("{copied}."),
        (3, Ok(name)) => name.to_unicode().to_uppercase(),
        _ => copied,
    };
    let at = at.index(draft.domains.len() + 1);
    draft.domains.insert(at, kind.entry(spelled));
}

/// `awsapps.com` or zero to two labels under it, in any case, maybe with the trailing dot.
fn test_namespace_domain() -> impl Strategy<Value = String> {
    (
        vec(label(1..=20), 0..=2),
        super::case(),
        proptest::bool::weighted(0.25),
    )
        .prop_map(|(labels, case, dot)| {
            let mut name = labels.join(".");
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str("awsapps.com");
            if dot {
                name.push('.');
            }
            case.apply(&name)
        })
}

/// Lists a name under `awsapps.com`: in a new entry, or, with five user domains listed, in
/// place of one that is not the default.
fn list_a_test_namespace_domain(
    draft: &mut OrganizationDraft,
    (name, kind, at, replaced): &(String, EntryKind, Index, Index),
) {
    let named = named_entries(draft);
    if named.len() < MAX_USER_DOMAINS {
        let at = at.index(draft.domains.len() + 1);
        draft.domains.insert(at, kind.entry(name.clone()));
        return;
    }
    let default = draft.default_domain.clone();
    let replaceable: Vec<usize> = named
        .into_iter()
        .filter(|&index| draft.domains[index].name().map(String::as_str) != default.as_deref())
        .collect();
    draft.domains[replaceable[replaced.index(replaceable.len())]] = kind.entry(name.clone());
}

type UnknownDefault = (BTreeSet<DomainName>, Option<String>, Case, bool);

/// A default domain that is neither listed nor the test domain: a fresh name, or (when a
/// label is given) the test domain of another alias, in any case, maybe with the trailing
/// dot.
fn choose_an_unknown_default(
    draft: &mut OrganizationDraft,
    (fresh, other_alias, case, dot): &UnknownDefault,
) {
    let listed: BTreeSet<&str> = draft
        .domains
        .iter()
        .filter_map(|entry| entry.name().map(String::as_str))
        .collect();
    let mut name = match other_alias {
        Some(other) if other.eq_ignore_ascii_case(&draft.alias) => format!("{other}x.awsapps.com"),
        Some(other) => format!("{other}.awsapps.com"),
        None => fresh
            .iter()
            .find(|name| !listed.contains(name.as_str()))
            .map(|name| name.as_str().to_owned())
            .unwrap_or_default(),
    };
    name = case.apply(&name);
    if *dot {
        name.push('.');
    }
    draft.default_domain = Some(name);
}

// ---------------------------------------------------------------------------------------
// Directory

/// What an existing directory added to a draft that has a new WorkMail directory is.
type NewDirectory = (DirectoryId, DirectoryKind);

fn new_directory() -> impl Strategy<Value = NewDirectory> {
    (directory_id(), select(DirectoryKind::ALL))
}

/// The draft's existing directory; when it has a new WorkMail directory, `new` is chosen
/// first, with the organization's alias and Region (an AD Connector when interoperability is
/// on), so that only the change made to it breaks a rule.
fn existing<'a>(
    draft: &'a mut OrganizationDraft,
    (id, kind): &NewDirectory,
) -> &'a mut ExistingDirectoryDraft {
    if matches!(draft.directory, DirectoryDraft::NewWorkMailDirectory) {
        let kind = if draft.interoperability {
            DirectoryKind::AdConnector
        } else {
            *kind
        };
        draft.directory = DirectoryDraft::Existing(ExistingDirectoryDraft {
            directory_id: id.as_str().to_owned(),
            directory_type: kind.as_str().to_owned(),
            alias: draft.alias.clone(),
            region: draft.region.clone(),
            ..ExistingDirectoryDraft::default()
        });
    }
    match &mut draft.directory {
        DirectoryDraft::Existing(report) => report,
        DirectoryDraft::NewWorkMailDirectory => unreachable!("an existing directory was chosen"),
    }
}

/// Not `d-` and 10 lower-case hex digits: an upper-case or non-hex digit, 9 or 11 digits,
/// another prefix, the empty string.
fn malformed_directory_id() -> impl Strategy<Value = String> {
    let bad_digit = (
        directory_id(),
        any::<Index>(),
        select(&['A', 'F', 'g', 'z', '-', ' '][..]),
    )
        .prop_map(|(id, at, bad)| {
            let digits = replace_char(&id.as_str()[2..], at, bad);
            format!("d-{digits}")
        });
    let bad_length = prop_oneof![lower_hex(9), lower_hex(11), lower_hex(1)]
        .prop_map(|digits| format!("d-{digits}"));
    let bad_prefix = (
        select(&["D-", "m-", "", "d_", "dd-", "d"][..]),
        lower_hex(10),
    )
        .prop_map(|(prefix, digits)| format!("{prefix}{digits}"));
    prop_oneof![
        2 => bad_digit,
        2 => bad_length,
        2 => bad_prefix,
        1 => Just(String::new()),
    ]
}

/// Directory types WorkMail does not know: near spellings of the supported ones, other
/// Directory Service words, letters, the empty string.
fn unsupported_directory_type() -> impl Strategy<Value = String> {
    let near = select(
        &[
            "ADConnector2",
            "adconnector",
            "ADCONNECTOR",
            "AD Connector",
            "Microsoft AD",
            "MicrosoftAd",
            "simplead",
            "SimpleAD ",
            "SharedMicrosoftAd",
            "Shared",
            "OnPremisesAD",
            "",
        ][..],
    )
    .prop_map(str::to_owned);
    prop_oneof![3 => near, 1 => "[A-Za-z]{1,20}"].prop_filter(
        "a type that is neither supported nor the shared Managed AD",
        |text| text.parse::<DirectoryKind>().is_err() && text != "SharedMicrosoftAD",
    )
}

/// Other Regions a directory is replicated to: WorkMail Regions, Region-shaped text or any
/// text.
fn additional_region() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => region().prop_map(|region| region.as_str().to_owned()),
        1 => "[a-z]{2}-[a-z]{4,9}-[0-9]",
        1 => "\\PC{0,12}",
    ]
}

/// Directory Service stages other than `Active`, case variants of it and other text.
fn inactive_stage() -> impl Strategy<Value = String> {
    let stages = select(
        &[
            "Requested",
            "Creating",
            "Created",
            "Inoperable",
            "Impaired",
            "Restoring",
            "RestoreFailed",
            "Deleting",
            "Deleted",
            "Failed",
            "active",
            "ACTIVE",
            " Active",
            "Active ",
            "",
        ][..],
    )
    .prop_map(str::to_owned);
    prop_oneof![3 => stages, 1 => "[A-Za-z]{1,12}"]
        .prop_filter("a stage other than Active", |stage| stage != "Active")
}

/// Another alias for the directory: a valid alias, alias-like text or the empty string (one
/// equal to the organization's, ignoring case, gets an `x` appended).
fn other_directory_alias() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => organization_alias().prop_map(String::from),
        1 => "[a-z0-9-]{1,20}",
        1 => Just(String::new()),
    ]
}

/// Interoperability on, with a new WorkMail directory (`None`) or an existing directory of
/// this other kind.
fn interoperability_without_ad_connector(
    draft: &mut OrganizationDraft,
    (kind, new): &(Option<DirectoryKind>, NewDirectory),
) {
    draft.interoperability = true;
    match kind {
        None => draft.directory = DirectoryDraft::NewWorkMailDirectory,
        Some(kind) => {
            let report = existing(draft, &(new.0.clone(), *kind));
            report.directory_type = kind.as_str().to_owned();
        }
    }
}

// ---------------------------------------------------------------------------------------
// Encryption and the client token

/// The text of a valid key ARN's parts: a Region, an account and a key id.
fn key_parts() -> impl Strategy<Value = (Region, String, String)> {
    let key_id = prop_oneof![
        3 => uuid_text(),
        1 => lower_hex(32).prop_map(|hex| format!("mrk-{hex}")),
    ];
    (region(), account_id().prop_map(String::from), key_id)
}

/// Under 20 characters (printable ASCII, up to four characters of any kind, or a key ARN
/// cut short), or a valid key ARN whose key id is 2049 to 2100 hex digits.
fn key_arn_of_bad_length() -> impl Strategy<Value = String> {
    let cut = (key_parts(), 0..20usize).prop_map(|((region, account, id), len)| {
        let arn = format!("arn:aws:kms:{region}:{account}:key/{id}");
        arn[..len].to_owned()
    });
    let long = (key_parts(), vec(select(LOWER_HEX), 2049..=2100)).prop_map(
        |((region, account, _), hex)| {
            let hex: String = hex.into_iter().map(char::from).collect();
            format!("arn:aws:kms:{region}:{account}:key/{hex}")
        },
    );
    // Under 20 bytes: the parser checks the length in bytes first (and counts characters
    // only beyond), so a short text of wide characters would break the format instead.
    prop_oneof!["[ -~]{0,19}", "\\PC{0,4}", cut, long]
}

/// A key ARN with another prefix, partition, service or resource type, or no resource.
fn key_arn_of_bad_format() -> impl Strategy<Value = String> {
    let part = |choices: &'static [&'static str]| select(choices);
    (
        key_parts(),
        prop_oneof![
            part(&["ARN", "arm", "urn", ""]).prop_map(|p| (0, p)),
            part(&["aws-cn", "aws-us-gov", "aws-iso", "AWS", ""]).prop_map(|p| (1, p)),
            part(&["KMS", "workmail", "kms2", "s3", ""]).prop_map(|p| (2, p)),
            part(&["keys/", "KEY/", "Key/", "secret/", "key:", ""]).prop_map(|p| (3, p)),
            Just((4, "")),
        ],
    )
        .prop_map(|((region, account, id), (place, bad))| match place {
            0 => format!("{bad}:aws:kms:{region}:{account}:key/{id}"),
            1 => format!("arn:{bad}:kms:{region}:{account}:key/{id}"),
            2 => format!("arn:aws:{bad}:{region}:{account}:key/{id}"),
            3 => format!("arn:aws:kms:{region}:{account}:{bad}{id}"),
            _ => format!("arn:aws:kms:{region}:{account}"),
        })
}

/// A key ARN in a Region where WorkMail does not run (no `:` in it).
fn key_arn_in_unsupported_region() -> impl Strategy<Value = String> {
    (key_parts(), unsupported_region())
        .prop_map(|((_, account, id), region)| format!("arn:aws:kms:{region}:{account}:key/{id}"))
}

/// A key ARN whose account is not 12 digits: fewer, more, with hyphens, letters.
fn key_arn_of_bad_account() -> impl Strategy<Value = String> {
    let account = prop_oneof![
        "[0-9]{0,11}",
        "[0-9]{13,15}",
        "[0-9]{4}-[0-9]{4}-[0-9]{4}",
        "[a-z]{12}",
    ];
    (key_parts(), account)
        .prop_map(|((region, _, id), account)| format!("arn:aws:kms:{region}:{account}:key/{id}"))
}

/// A valid key ARN whose resource is an alias, `alias/NAME`.
fn key_arn_of_alias() -> impl Strategy<Value = String> {
    let name = prop_oneof![Just("aws/workmail".to_owned()), label(1..=30)];
    (key_parts(), name).prop_map(|((region, account, _), name)| {
        format!("arn:aws:kms:{region}:{account}:alias/{name}")
    })
}

/// A key ARN whose key id is not a lower-case UUID nor `mrk-` and 32 lower-case hex digits:
/// an upper-case UUID, one without hyphens, `mrk-` and 31 digits or upper case, other hex,
/// nothing.
fn key_arn_of_bad_key_id() -> impl Strategy<Value = String> {
    let key_id = prop_oneof![
        uuid_text().prop_map(|id| id.to_uppercase()),
        uuid_text().prop_map(|id| id.replace('-', "")),
        lower_hex(31).prop_map(|hex| format!("mrk-{hex}")),
        lower_hex(32).prop_map(|hex| format!("mrk-{}", hex.to_uppercase())),
        (8..=40usize).prop_flat_map(lower_hex),
        Just(String::new()),
    ];
    (key_parts(), key_id)
        .prop_map(|((region, account, _), id)| format!("arn:aws:kms:{region}:{account}:key/{id}"))
}

fn set_key(draft: &mut OrganizationDraft, arn: &str) {
    draft.encryption = EncryptionDraft::CustomerManagedKey {
        kms_key_arn: arn.to_owned(),
    };
}

/// The empty token, or 129 to 200 printable ASCII characters.
fn token_of_bad_length() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        vec(
            (0x21u8..=0x7e).prop_map(char::from),
            MAX_CLIENT_TOKEN_LEN + 1..=200
        )
        .prop_map(String::from_iter),
    ]
}

/// Characters no client token may hold.
const NOT_IN_TOKEN: &[char] = &[' ', '\t', '\n', '\0', '\u{7f}', 'é', '€', '😀'];

/// A valid client token with one character replaced by one of [`NOT_IN_TOKEN`].
fn token_with_bad_character() -> impl Strategy<Value = String> {
    (client_token(), any::<Index>(), select(NOT_IN_TOKEN))
        .prop_map(|(token, at, bad)| replace_char(token.as_str(), at, bad))
}

fn set_token(draft: &mut OrganizationDraft, token: &str) {
    draft.client_token = Some(token.to_owned());
}

// ---------------------------------------------------------------------------------------
// Arbitrary text

/// Any text: any Unicode (no controls) two times in six, printable ASCII two, letters,
/// digits, dots and hyphens one, the empty string one.
fn any_text() -> BoxedStrategy<String> {
    prop_oneof![
        2 => "\\PC{0,40}",
        2 => "[ -~]{0,40}",
        1 => "[a-zA-Z0-9.-]{0,70}",
        1 => Just(String::new()),
    ]
    .boxed()
}

/// [`any_text`] half the time, else one of `valid`.
fn text_or(valid: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![any_text(), select(valid).prop_map(str::to_owned)].boxed()
}

/// Drafts with arbitrary text in every field (see [`invalid_draft`]).
fn arbitrary_draft() -> impl Strategy<Value = OrganizationDraft> {
    let regions: &'static [&'static str] = &["us-east-1", "us-west-2", "eu-west-1"];
    let domain = prop_oneof![
        (any_text(), any_text()).prop_map(|(name, hosted_zone_id)| DomainDraft::ExistingRoute53 {
            name,
            hosted_zone_id
        }),
        any_text().prop_map(|name| DomainDraft::NewRoute53 { name }),
        any_text().prop_map(|name| DomainDraft::External { name }),
        Just(DomainDraft::FreeTest),
    ];
    let report = (
        any_text(),
        text_or(&[
            "ADConnector",
            "MicrosoftAD",
            "SimpleAD",
            "SharedMicrosoftAD",
        ]),
        any_text(),
        text_or(regions),
        vec(any_text(), 0..=2),
        text_or(&["Active", "Creating"]),
    )
        .prop_map(
            |(directory_id, directory_type, alias, region, additional_regions, stage)| {
                ExistingDirectoryDraft {
                    directory_id,
                    directory_type,
                    alias,
                    region,
                    additional_regions,
                    stage,
                }
            },
        );
    let directory = prop_oneof![
        Just(DirectoryDraft::NewWorkMailDirectory),
        report.prop_map(DirectoryDraft::Existing),
    ];
    let encryption = prop_oneof![
        Just(EncryptionDraft::WorkMailManagedKey),
        any_text().prop_map(|kms_key_arn| EncryptionDraft::CustomerManagedKey { kms_key_arn }),
    ];
    (
        any_text(),
        text_or(regions),
        vec(domain, 0..=7),
        option::of(any_text()),
        directory,
        encryption,
        any::<bool>(),
        option::of(any_text()),
    )
        .prop_map(
            |(
                alias,
                region,
                domains,
                default_domain,
                directory,
                encryption,
                interoperability,
                client_token,
            )| OrganizationDraft {
                alias,
                region,
                domains,
                default_domain,
                directory,
                encryption,
                interoperability,
                client_token,
            },
        )
}
