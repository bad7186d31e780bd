//! The public strategies (feature `proptest`): every value they generate is valid and
//! survives display → parse (or JSON) unchanged, and over a fixed-seed sample they reach
//! every variant and the boundary cases their docs promise.

use std::collections::BTreeSet;
use std::fmt::{Debug, Display};
use std::str::FromStr;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use workmail_org::lifecycle::{Event, OrganizationState};

use crate::fixtures::choices_of;
use workmail_org::strategy;
use workmail_org::{
    id::MAX_ALIAS_LEN, id::MAX_CLIENT_TOKEN_LEN, id::MAX_DOMAIN_LEN, id::MAX_HOSTED_ZONE_ID_LEN,
    id::MAX_LABEL_LEN, spec::DirectoryKind, spec::MAX_USER_DOMAINS, AccountId, ClientToken,
    DirectoryChoice, DirectoryId, DomainName, EmailDomain, EncryptionChoice, HostedZoneId,
    KmsKeyArn, OrganizationAlias, OrganizationArn, OrganizationDraft, OrganizationId,
    OrganizationSpec, Region,
};

const CASES: u32 = 64;
const SAMPLE: usize = 500;

/// `count` values of `strategy`, from a runner with a fixed seed.
#[track_caller]
pub(crate) fn sample<S: Strategy>(strategy: S, count: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..count)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .expect("the strategy generates values")
                .current()
        })
        .collect()
}

/// Display → parse gives an equal value with the same text.
fn reparses<T>(value: &T) -> Result<(), TestCaseError>
where
    T: FromStr + Display + PartialEq + Debug,
    T::Err: Display,
{
    let text = value.to_string();
    let back: T = text
        .parse()
        .map_err(|e: T::Err| TestCaseError::fail(format!("{text:?} does not parse: {e}")))?;
    prop_assert_eq!(&back, value);
    prop_assert_eq!(back.to_string(), text);
    Ok(())
}

/// The checks every valid spec passes: it is its draft's spec, and JSON gives it back.
pub(crate) fn spec_round_trips(spec: &OrganizationSpec) -> Result<(), TestCaseError> {
    let draft = spec.to_draft();
    prop_assert_eq!(draft.validate().ok(), Some(spec.clone()));
    let json = serde_json::to_string(spec)?;
    let back: OrganizationSpec = serde_json::from_str(&json)?;
    prop_assert_eq!(&back, spec);
    prop_assert_eq!(serde_json::to_string(&back)?, json);
    let user_domains = spec.user_domains().count();
    prop_assert!(user_domains <= MAX_USER_DOMAINS);
    let free_tests = spec.domains().iter().filter(|d| d.is_free_test()).count();
    prop_assert!(free_tests <= 1);
    prop_assert!(spec
        .user_domains()
        .all(|(_, name)| !name.is_test_domain_namespace()));
    prop_assert!(!spec.interoperability() || spec.directory().is_ad_connector());
    if let Some(existing) = spec.directory().existing() {
        prop_assert_eq!(existing.region(), spec.region());
        prop_assert!(existing.alias().eq_ignore_ascii_case(spec.alias().as_str()));
    }
    if let Some(key) = spec.encryption().kms_key_arn() {
        prop_assert_eq!(key.region(), spec.region());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn aliases_reparse(alias in strategy::organization_alias()) {
        reparses(&alias)?;
        prop_assert!((1..=MAX_ALIAS_LEN).contains(&alias.as_str().len()));
        prop_assert!(!alias.as_str().to_ascii_lowercase().starts_with("d-"));
    }

    #[test]
    fn domains_reparse_from_every_form((spelling, name) in strategy::domain_name_spelling()) {
        reparses(&name)?;
        prop_assert_eq!(spelling.parse::<DomainName>().ok(), Some(name.clone()));
        prop_assert_eq!(name.to_unicode().parse::<DomainName>().ok(), Some(name.clone()));
        prop_assert!(name.as_str().len() <= MAX_DOMAIN_LEN);
        prop_assert!(!name.is_test_domain_namespace());
    }

    #[test]
    fn identifiers_reparse(
        zone in strategy::hosted_zone_id(),
        directory in strategy::directory_id(),
        organization in strategy::organization_id(),
        account in strategy::account_id(),
        token in strategy::client_token(),
        region in strategy::region(),
    ) {
        reparses(&zone)?;
        reparses(&directory)?;
        reparses(&organization)?;
        reparses(&account)?;
        reparses(&token)?;
        reparses(&region)?;
    }

    #[test]
    fn arns_reparse(key in strategy::kms_key_arn(), arn in strategy::organization_arn()) {
        reparses(&key)?;
        reparses(&arn)?;
        prop_assert_eq!(
            OrganizationArn::new(arn.region(), arn.account(), arn.organization_id()),
            arn
        );
    }

    #[test]
    fn keys_and_encryption_stay_in_their_region(
        (region, key, choice) in strategy::region().prop_flat_map(|region| {
            (Just(region), strategy::kms_key_arn_in(region), strategy::encryption_choice_in(region))
        })
    ) {
        reparses(&key)?;
        prop_assert_eq!(key.region(), region);
        if let Some(key) = choice.kms_key_arn() {
            reparses(key)?;
            prop_assert_eq!(key.region(), region);
        }
    }

    #[test]
    fn email_domains_hold_valid_parts(domain in strategy::email_domain()) {
        if let Some(name) = domain.name() {
            reparses(name)?;
            prop_assert!(!name.is_test_domain_namespace());
        }
        if let Some(zone) = domain.hosted_zone_id() {
            reparses(zone)?;
        }
    }

    #[test]
    fn directories_match_alias_and_region(
        (alias, region, choice) in (strategy::organization_alias(), strategy::region())
            .prop_flat_map(|(alias, region)| {
                let choice = strategy::directory_choice_for(&alias, region);
                (Just(alias), Just(region), choice)
            })
    ) {
        if let Some(existing) = choice.existing() {
            reparses(existing.id())?;
            prop_assert_eq!(existing.region(), region);
            prop_assert!(existing.alias().eq_ignore_ascii_case(alias.as_str()));
        }
        // Whatever was chosen, a spec with it is valid.
        let spec = OrganizationSpec::builder(alias, region).directory(choice).build();
        prop_assert!(spec.is_ok(), "{:?}", spec);
    }

    #[test]
    fn specs_validate_and_round_trip_through_json(spec in strategy::organization_spec()) {
        spec_round_trips(&spec)?;
    }

    #[test]
    fn drafts_validate_and_round_trip_through_json(draft in strategy::organization_draft()) {
        let spec = draft.validate().map_err(|v| TestCaseError::fail(v.to_string()))?;
        prop_assert_eq!(&spec.to_draft(), &draft);
        let json = serde_json::to_string(&draft)?;
        prop_assert_eq!(serde_json::from_str::<OrganizationDraft>(&json)?, draft);
    }

    #[test]
    fn lifecycle_values_reparse(
        state in strategy::organization_state(),
        event in strategy::lifecycle_event(),
    ) {
        reparses(&state)?;
        let json = serde_json::to_string(&event)?;
        prop_assert_eq!(serde_json::from_str::<Event>(&json)?, event);
        prop_assert_eq!(json, format!("\"{event}\""));
    }

    #[test]
    fn arbitrary_delegates_to_the_strategies(
        ids in any::<(OrganizationAlias, DomainName, HostedZoneId, DirectoryId, OrganizationId, AccountId)>(),
        more in any::<(ClientToken, Region, KmsKeyArn, OrganizationArn, OrganizationState)>(),
        choices in any::<(EmailDomain, DirectoryKind, DirectoryChoice, EncryptionChoice, Event)>(),
        spec in any::<OrganizationSpec>(),
    ) {
        let (alias, domain, zone, directory, organization, account) = ids;
        reparses(&alias)?;
        reparses(&domain)?;
        reparses(&zone)?;
        reparses(&directory)?;
        reparses(&organization)?;
        reparses(&account)?;
        let (token, region, key, arn, state) = more;
        reparses(&token)?;
        reparses(&region)?;
        reparses(&key)?;
        reparses(&arn)?;
        reparses(&state)?;
        let (email_domain, kind, directory_choice, encryption, _event) = choices;
        prop_assert!(email_domain.name().is_none_or(|name| !name.is_test_domain_namespace()));
        prop_assert_eq!(kind.as_str().parse::<DirectoryKind>(), Ok(kind));
        if let Some(existing) = directory_choice.existing() {
            reparses(existing.id())?;
            // Valid for an organization with the directory's own alias and Region.
            let alias: OrganizationAlias = existing.alias().parse()?;
            let built = OrganizationSpec::builder(alias, existing.region())
                .directory(directory_choice.clone())
                .build();
            prop_assert!(built.is_ok(), "{:?}", built);
        }
        if let Some(key) = encryption.kms_key_arn() {
            reparses(key)?;
        }
        spec_round_trips(&spec)?;
    }
}

// ---------------------------------------------------------------------------------------
// Coverage over fixed-seed samples

#[test]
fn aliases_reach_both_lengths_every_case_and_hyphens() {
    let aliases = sample(strategy::organization_alias(), SAMPLE);
    let texts: Vec<&str> = aliases.iter().map(OrganizationAlias::as_str).collect();
    let lengths: BTreeSet<usize> = texts.iter().map(|t| t.len()).collect();
    assert!(lengths.contains(&1), "no 1-character alias");
    assert!(lengths.contains(&MAX_ALIAS_LEN), "no 62-character alias");
    let has = |what: &str, test: &dyn Fn(&str) -> bool| {
        assert!(texts.iter().any(|t| test(t)), "no alias {what}");
    };
    has("in mixed case", &|t| {
        t.bytes().any(|b| b.is_ascii_uppercase()) && t.bytes().any(|b| b.is_ascii_lowercase())
    });
    has("in upper case only", &|t| {
        t.len() > 1
            && t.bytes().any(|b| b.is_ascii_alphabetic())
            && !t.bytes().any(|b| b.is_ascii_lowercase())
    });
    has("in lower case only", &|t| {
        t.bytes().any(|b| b.is_ascii_alphabetic()) && !t.bytes().any(|b| b.is_ascii_uppercase())
    });
    has("with a hyphen", &|t| t.contains('-'));
    has("with several hyphens", &|t| t.matches('-').count() >= 3);
    has("starting with d", &|t| {
        t.len() > 1 && t.starts_with(['d', 'D'])
    });
    has("of 62 characters with a hyphen", &|t| {
        t.len() == MAX_ALIAS_LEN && t.contains('-')
    });
}

#[test]
fn domains_reach_idn_long_names_long_labels_and_every_spelling() {
    let pairs = sample(strategy::domain_name_spelling(), SAMPLE);
    let has = |what: &str, test: &dyn Fn(&str, &DomainName) -> bool| {
        let found = pairs.iter().filter(|(s, n)| test(s, n)).count();
        assert!(found > 0, "no domain {what}");
    };
    has("that is an IDN", &|_, n| {
        n.labels().any(|l| l.starts_with("xn--"))
    });
    has("with a Unicode top-level label", &|_, n| {
        n.labels().last().is_some_and(|l| l.starts_with("xn--"))
    });
    has("spelled in Unicode", &|s, _| !s.is_ascii());
    has("spelled in Unicode upper case", &|s, _| {
        s.chars().any(|c| !c.is_ascii() && c.is_uppercase())
    });
    has("of the minimum 3 characters", &|_, n| n.as_str().len() == 3);
    has("of 200 or more characters", &|_, n| n.as_str().len() >= 200);
    has("of exactly 209 characters", &|_, n| {
        n.as_str().len() == MAX_DOMAIN_LEN
    });
    has("with a 63-character label", &|_, n| {
        n.labels().any(|l| l.len() == MAX_LABEL_LEN)
    });
    has("with five or more labels", &|_, n| n.labels().count() >= 5);
    has("with a hyphen", &|_, n| n.as_str().contains('-'));
    has("spelled with upper case", &|s, _| {
        s.bytes().any(|b| b.is_ascii_uppercase())
    });
    has("spelled in lower case", &|s, n| s == n.as_str());
    has("spelled with a trailing dot", &|s, _| s.ends_with('.'));
    let longest_label = pairs
        .iter()
        .flat_map(|(_, n)| n.labels().map(str::len))
        .max();
    assert_eq!(longest_label, Some(MAX_LABEL_LEN));
}

#[test]
fn identifiers_reach_their_boundaries() {
    let zones = sample(strategy::hosted_zone_id(), SAMPLE);
    let zone_lengths: BTreeSet<usize> = zones.iter().map(|z| z.as_str().len()).collect();
    assert!(zone_lengths.contains(&1) && zone_lengths.contains(&MAX_HOSTED_ZONE_ID_LEN));
    assert!(zones.iter().any(|z| z.as_str().starts_with('Z')));

    let tokens = sample(strategy::client_token(), SAMPLE);
    let token_lengths: BTreeSet<usize> = tokens.iter().map(|t| t.as_str().len()).collect();
    assert!(token_lengths.contains(&1) && token_lengths.contains(&MAX_CLIENT_TOKEN_LEN));
    for (what, character) in [("a '!'", '!'), ("a '~'", '~'), ("a '-'", '-')] {
        assert!(
            tokens.iter().any(|t| t.as_str().contains(character)),
            "no token with {what}"
        );
    }

    let keys = sample(strategy::kms_key_arn(), SAMPLE);
    assert!(keys.iter().any(KmsKeyArn::is_multi_region));
    assert!(keys.iter().any(|k| !k.is_multi_region()));
    let key_regions: BTreeSet<Region> = keys.iter().map(KmsKeyArn::region).collect();
    assert_eq!(key_regions.len(), Region::ALL.len());

    let accounts = sample(strategy::account_id(), SAMPLE);
    assert!(accounts.iter().any(|a| a.as_str().starts_with('0')));
}

#[test]
fn lifecycle_strategies_reach_every_state_and_event() {
    let states: BTreeSet<OrganizationState> = sample(strategy::organization_state(), 200)
        .into_iter()
        .collect();
    assert_eq!(states.len(), OrganizationState::ALL.len());
    let events: BTreeSet<Event> = sample(strategy::lifecycle_event(), 200)
        .into_iter()
        .collect();
    assert_eq!(events.len(), Event::ALL.len());
}

#[test]
fn specs_reach_every_choice() {
    let specs = sample(strategy::organization_spec(), SAMPLE);
    let mut domain_types = BTreeSet::new();
    let mut directories = BTreeSet::new();
    let mut encryptions = BTreeSet::new();
    let mut user_domain_counts = BTreeSet::new();
    let mut defaults = BTreeSet::new();
    for spec in &specs {
        let (domains, directory, encryption) = choices_of(spec);
        domain_types.extend(domains);
        directories.insert(directory);
        encryptions.insert(encryption);
        user_domain_counts.insert(spec.user_domains().count());
        defaults.insert(match spec.chosen_default_domain() {
            None => "unset",
            Some(d) if d == spec.test_domain() => "test domain",
            Some(_) => "user domain",
        });
    }
    let strings = |names: &[&str]| -> BTreeSet<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    };
    assert_eq!(
        domain_types,
        strings(&["existing_route53", "new_route53", "external", "free_test"])
    );
    let mut expected_directories: BTreeSet<String> =
        DirectoryKind::ALL.iter().map(|k| k.to_string()).collect();
    expected_directories.insert("new_workmail_directory".to_owned());
    assert_eq!(directories, expected_directories);
    assert_eq!(
        encryptions,
        strings(&["workmail_managed_key", "customer_managed_key"])
    );
    assert_eq!(
        user_domain_counts,
        (0..=MAX_USER_DOMAINS).collect::<BTreeSet<_>>()
    );
    assert_eq!(defaults.len(), 3, "{defaults:?}");
    assert!(specs.iter().any(OrganizationSpec::interoperability));
    assert!(specs
        .iter()
        .any(|s| s.directory().is_ad_connector() && !s.interoperability()));
    assert!(specs.iter().any(|s| s.client_token().is_some()));
    assert!(specs.iter().any(|s| s.client_token().is_none()));
    assert!(specs.iter().any(|s| s
        .user_domains()
        .any(|(_, n)| n.labels().any(|l| l.starts_with("xn--")))));
    let regions: BTreeSet<Region> = specs.iter().map(OrganizationSpec::region).collect();
    assert_eq!(regions.len(), Region::ALL.len());
    for spec in &specs {
        if let Err(failure) = spec_round_trips(spec) {
            panic!("{failure} for {spec:?}");
        }
    }
}
