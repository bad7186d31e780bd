//! The invalid-input strategies (feature `proptest`): each near miss breaks its rule and
//! nothing else, for every rule a single spec can break; every rule without near misses is
//! one the docs list; every invalid draft is rejected.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use workmail_org::{strategy, FieldPath, OrganizationDraft, Rule};

use crate::strategy::sample;

/// The rules `strategy::near_miss` documents as having none: no single spec can break them.
const WITHOUT_NEAR_MISS: [Rule; 32] = [
    // They need other organizations: a catalog's rules.
    Rule::AliasTaken,
    Rule::ClientTokenReused,
    Rule::DomainsInUse,
    Rule::DirectoryInUse,
    Rule::AccountOrganizationLimit,
    // Rules of values a spec does not hold.
    Rule::OrganizationIdFormat,
    Rule::AccountIdFormat,
    Rule::OrganizationArnFormat,
    Rule::NextTokenLength,
    Rule::ExceptionNameLength,
    Rule::EntityIdLength,
    Rule::EntityIdCharacter,
    Rule::RoleArnLength,
    Rule::RoleArnFormat,
    Rule::ExportBucketLength,
    Rule::ExportBucketCharacter,
    Rule::ExportPrefixLength,
    Rule::ExportPrefixCharacter,
    Rule::ExportJobIdLength,
    Rule::ExportJobIdCharacter,
    Rule::ExportDescriptionLength,
    Rule::LeavingCutoverPending,
    Rule::LeavingExportsUnfinished,
    Rule::LeavingNotDeleted,
    Rule::LeavingDirectoryUnknown,
    Rule::LeavingConcurrency,
    Rule::LeavingNewMx,
    Rule::DnsVerificationToken,
    Rule::DnsDkimToken,
    // Rules that need what AWS reports.
    Rule::DomainsHostedZoneMissing,
    Rule::DefaultDomainUnverified,
    // Not a rule of its own: it counts the violations past the cap.
    Rule::ViolationsLeftOut,
];

/// Cases per rule in the proof below.
const CASES_PER_RULE: u32 = 64;

/// The one violation of `draft`, which must break `rule` and nothing else.
fn breaks_only(rule: Rule, draft: &OrganizationDraft) -> Result<FieldPath, TestCaseError> {
    let violations = match draft.validate() {
        Ok(spec) => return Err(TestCaseError::fail(format!("valid: {spec:?}"))),
        Err(violations) => violations,
    };
    let found: Vec<(String, Rule)> = violations
        .iter()
        .map(|v| (v.path().to_string(), v.rule()))
        .collect();
    prop_assert_eq!(found.len(), 1, "{:?}", found);
    let violation = &violations.as_slice()[0];
    prop_assert_eq!(violation.rule(), rule, "{:?}", found);
    Ok(violation.path())
}

#[test]
fn every_rule_a_spec_can_break_has_near_misses_that_break_it_alone() {
    let mut without = BTreeSet::new();
    let mut failures = Vec::new();
    for &rule in Rule::ALL {
        let Some(near_miss) = strategy::near_miss(rule) else {
            without.insert(rule);
            continue;
        };
        let mut runner = TestRunner::new(Config {
            cases: CASES_PER_RULE,
            failure_persistence: None,
            ..Config::default()
        });
        if let Err(failure) = runner.run(&near_miss, |draft| breaks_only(rule, &draft).map(drop)) {
            failures.push(format!("{rule}: {failure}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // A new rule must get a near miss, or join the documented list.
    assert_eq!(without, BTreeSet::from(WITHOUT_NEAR_MISS));
}

#[test]
fn near_misses_reach_every_rule_and_every_place() {
    let mut places: BTreeMap<Rule, BTreeSet<String>> = BTreeMap::new();
    for (rule, draft) in sample(strategy::near_misses(), 1500) {
        let path = match breaks_only(rule, &draft) {
            Ok(path) => path,
            Err(failure) => panic!("{rule}: {failure}: {draft:?}"),
        };
        // Entries by kind of path, not by index.
        let place = match path {
            FieldPath::Domain(_) => "domains[i]".to_owned(),
            FieldPath::DomainName(_) => "domains[i].name".to_owned(),
            FieldPath::HostedZoneId(_) => "domains[i].hosted_zone_id".to_owned(),
            other => other.to_string(),
        };
        places.entry(rule).or_default().insert(place);
    }
    let expected: BTreeSet<Rule> = Rule::ALL
        .iter()
        .copied()
        .filter(|rule| !WITHOUT_NEAR_MISS.contains(rule))
        .collect();
    let reached: BTreeSet<Rule> = places.keys().copied().collect();
    assert_eq!(reached, expected);
    let at = |rule: Rule| &places[&rule];
    let set = |paths: &[&str]| -> BTreeSet<String> {
        paths.iter().map(|path| (*path).to_owned()).collect()
    };
    assert_eq!(
        at(Rule::RegionUnsupported),
        &set(&["region", "directory.region"])
    );
    for rule in [
        Rule::DomainCharacter,
        Rule::DomainLabelLength,
        Rule::DomainIdna,
    ] {
        assert_eq!(
            at(rule),
            &set(&["domains[i].name", "default_domain"]),
            "{rule}"
        );
    }
    assert_eq!(at(Rule::DomainsLimit), &set(&["domains"]));
    assert_eq!(at(Rule::DomainsDuplicate), &set(&["domains[i]"]));
    assert_eq!(
        at(Rule::DirectoryMultiRegion),
        &set(&["directory.additional_regions"])
    );
}

#[test]
fn interoperability_near_misses_use_each_other_directory() {
    let drafts = sample(
        strategy::near_miss(Rule::InteroperabilityRequiresAdConnector).expect("a spec rule"),
        200,
    );
    let directories: BTreeSet<String> = drafts
        .iter()
        .map(|draft| match &draft.directory {
            workmail_org::spec::DirectoryDraft::Existing(report) => report.directory_type.clone(),
            _ => "new".to_owned(),
        })
        .collect();
    assert_eq!(
        directories,
        BTreeSet::from(["MicrosoftAD", "SimpleAD", "new"].map(str::to_owned))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn invalid_drafts_never_validate(draft in strategy::invalid_draft()) {
        let violations = match draft.validate() {
            Ok(spec) => return Err(TestCaseError::fail(format!("valid: {spec:?}"))),
            Err(violations) => violations,
        };
        prop_assert!(!violations.is_empty());
        // Whatever the text, a draft survives JSON unchanged.
        let json = serde_json::to_string(&draft)?;
        prop_assert_eq!(serde_json::from_str::<OrganizationDraft>(&json)?, draft);
    }
}

#[test]
fn invalid_drafts_mix_one_violation_many_and_arbitrary_text() {
    let drafts = sample(strategy::invalid_draft(), 1000);
    let counts: Vec<usize> = drafts
        .iter()
        .map(|draft| draft.validate().map_or_else(|v| v.len(), |_| 0))
        .collect();
    assert!(!counts.contains(&0), "a valid draft");
    assert!(counts.contains(&1), "no draft with one violation");
    assert!(
        counts.iter().any(|&n| n >= 4),
        "no draft with four violations or more"
    );
    let rules: BTreeSet<Rule> = drafts
        .iter()
        .flat_map(|draft| draft.validate().err().into_iter().flatten())
        .map(|violation| violation.rule())
        .collect();
    assert!(rules.len() >= 30, "only {} rules: {rules:?}", rules.len());
    assert!(
        drafts.iter().any(|d| !d.alias.is_ascii()),
        "no non-ASCII alias"
    );
    assert!(
        drafts.iter().any(|d| d.region.is_empty()),
        "no empty Region"
    );
}
