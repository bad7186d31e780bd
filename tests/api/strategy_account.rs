//! The whole-account strategies (feature `proptest`): every set fits one account (a new
//! catalog admits all of it), the catalog strategy holds its specs, sets keep the variety of
//! single specs, and shrinking still finds small sets.

use std::collections::{BTreeSet, HashSet};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestError, TestRunner};

use workmail_org::catalog::DEFAULT_ORGANIZATION_LIMIT;
use workmail_org::id::MAX_ALIAS_LEN;
use workmail_org::{strategy, AccountId, Catalog, OrganizationAlias, OrganizationSpec};

use crate::strategy::{sample, spec_round_trips};

/// The default quota, as a count of specs.
const LIMIT: usize = DEFAULT_ORGANIZATION_LIMIT as usize;

/// Checks that `specs` fit one account: distinct aliases (ignoring case), no shared user
/// domain, no existing directory or client token used twice in a Region, each spec valid,
/// and a new catalog admits them all in order.
fn fit_one_account(specs: &[OrganizationSpec]) -> Result<(), TestCaseError> {
    prop_assert!(specs.len() <= LIMIT);
    let mut aliases = HashSet::new();
    let mut domains = HashSet::new();
    let mut directories = HashSet::new();
    let mut tokens = HashSet::new();
    for spec in specs {
        spec_round_trips(spec)?;
        let alias = spec.alias().as_str().to_ascii_lowercase();
        prop_assert!(aliases.insert(alias), "alias {} twice", spec.alias());
        for (_, name) in spec.user_domains() {
            prop_assert!(domains.insert(name.clone()), "domain {} twice", name);
        }
        if let Some(directory) = spec.directory().existing() {
            let key = (spec.region(), directory.id().clone());
            prop_assert!(
                directories.insert(key),
                "directory {} twice",
                directory.id()
            );
        }
        if let Some(token) = spec.client_token() {
            prop_assert!(
                tokens.insert((spec.region(), token.clone())),
                "client token {} twice in {}",
                token,
                spec.region()
            );
        }
    }
    let catalog = Catalog::new("111122223333".parse::<AccountId>()?);
    for spec in specs {
        if let Err(err) = catalog.blocking(|c| c.admit(spec, 0)) {
            return Err(TestCaseError::fail(format!(
                "{} refused: {err}",
                spec.alias()
            )));
        }
    }
    prop_assert_eq!(catalog.blocking(|c| c.quota())?.live, specs.len() as u64);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn fitting_specs_fit_one_account(specs in strategy::fitting_specs(1..40)) {
        prop_assert!((1..40).contains(&specs.len()));
        fit_one_account(&specs)?;
    }

    #[test]
    fn catalogs_hold_their_specs((catalog, specs) in strategy::catalog_with_specs(0..30)) {
        prop_assert!(specs.len() < 30);
        prop_assert_eq!(catalog.blocking(|c| c.quota())?.live, specs.len() as u64);
        for spec in &specs {
            let entry = catalog.blocking(|c| c.by_alias(spec.alias()))?;
            prop_assert_eq!(entry.as_ref().map(|e| e.spec()), Some(spec));
            let upper: OrganizationAlias = spec.alias().as_str().to_ascii_uppercase().parse()?;
            let entry = catalog.blocking(|c| c.by_alias(&upper))?;
            prop_assert_eq!(entry.as_ref().map(|e| e.spec()), Some(spec));
        }
    }
}

#[test]
fn a_full_account_fits() {
    for specs in sample(strategy::fitting_specs(LIMIT), 10) {
        assert_eq!(specs.len(), LIMIT);
        if let Err(failure) = fit_one_account(&specs) {
            panic!("{failure}");
        }
    }
    let (catalog, specs) = sample(strategy::catalog_with_specs(LIMIT), 1)
        .pop()
        .expect("one sample");
    assert_eq!(
        catalog.blocking(|c| c.quota()).unwrap().live,
        DEFAULT_ORGANIZATION_LIMIT
    );
    assert!(catalog.blocking(|c| c.quota()).unwrap().is_full());
    assert_eq!(specs.len(), LIMIT);
}

#[test]
#[should_panic(expected = "at most 100 specs fit in one account, but the size allows 101")]
fn more_than_the_quota_is_refused() {
    let _ = strategy::fitting_specs(1..=LIMIT + 1);
}

#[test]
fn sets_keep_the_variety_of_single_specs() {
    // 1,000 specs in ten full accounts: single specs repeat aliases (a tenth of them have one
    // character), so some were rewritten; the short and long ones are still there.
    let specs: Vec<OrganizationSpec> = sample(strategy::fitting_specs(100), 10)
        .into_iter()
        .flatten()
        .collect();
    let lengths: BTreeSet<usize> = specs.iter().map(|s| s.alias().as_str().len()).collect();
    assert!(lengths.contains(&1), "no 1-character alias");
    assert!(lengths.contains(&MAX_ALIAS_LEN), "no 62-character alias");
    let has = |what: &str, test: &dyn Fn(&OrganizationSpec) -> bool| {
        assert!(specs.iter().any(test), "no spec {what}");
    };
    has("with an IDN", &|s| {
        s.user_domains()
            .any(|(_, n)| n.labels().any(|l| l.starts_with("xn--")))
    });
    has("with five user domains", &|s| s.user_domains().count() == 5);
    has("with an existing directory", &|s| {
        s.directory().existing().is_some()
    });
    has("with an upper-case alias", &|s| {
        s.alias().as_str().bytes().any(|b| b.is_ascii_uppercase())
    });
    has("with a test domain as default", &|s| {
        s.chosen_default_domain() == Some(s.test_domain())
    });
}

#[test]
fn only_what_collides_is_rewritten() {
    // The same seed draws the same specs, before and after they are made to fit.
    let drawn = sample(vec(strategy::organization_spec(), 100), 10);
    let fitted = sample(strategy::fitting_specs(100), 10);
    let mut rewritten = 0;
    for (drawn, fitted) in drawn.iter().zip(&fitted) {
        let mut aliases = HashSet::new();
        let mut domains = HashSet::new();
        let mut directories = HashSet::new();
        let mut tokens = HashSet::new();
        for (before, after) in drawn.iter().zip(fitted) {
            let collides = aliases.contains(&before.alias().as_str().to_ascii_lowercase())
                || before
                    .user_domains()
                    .any(|(_, name)| domains.contains(name))
                || before.directory().existing().is_some_and(|directory| {
                    directories.contains(&(before.region(), directory.id().clone()))
                })
                || before
                    .client_token()
                    .is_some_and(|token| tokens.contains(&(before.region(), token.clone())));
            if collides {
                rewritten += 1;
                // The choices stay; only the colliding values change.
                assert_ne!(before, after);
                assert_eq!(before.region(), after.region());
                assert_eq!(before.encryption(), after.encryption());
                assert_eq!(before.interoperability(), after.interoperability());
                assert_eq!(
                    before.client_token().is_some(),
                    after.client_token().is_some()
                );
                assert_eq!(before.domains().len(), after.domains().len());
                assert_eq!(
                    before.directory().existing().map(|d| d.kind()),
                    after.directory().existing().map(|d| d.kind())
                );
            } else {
                assert_eq!(before, after);
            }
            aliases.insert(after.alias().as_str().to_ascii_lowercase());
            domains.extend(after.user_domains().map(|(_, name)| name.clone()));
            if let Some(directory) = after.directory().existing() {
                directories.insert((after.region(), directory.id().clone()));
            }
            if let Some(token) = after.client_token() {
                tokens.insert((after.region(), token.clone()));
            }
        }
    }
    assert!(rewritten > 0, "nothing collided in 1,000 specs");
}

#[test]
fn shrinking_finds_the_smallest_failing_set() {
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    // A property that fails once a set holds three specs shrinks to exactly three.
    let result = runner.run(&strategy::fitting_specs(0..=40), |specs| {
        prop_assert!(specs.len() < 3);
        Ok(())
    });
    match result {
        Err(TestError::Fail(_, specs)) => {
            assert_eq!(specs.len(), 3);
            if let Err(failure) = fit_one_account(&specs) {
                panic!("{failure}");
            }
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    // One that fails on any existing directory shrinks to one spec that has one.
    let result = runner.run(&strategy::fitting_specs(1..=40), |specs| {
        prop_assert!(specs.iter().all(|s| s.directory().existing().is_none()));
        Ok(())
    });
    match result {
        Err(TestError::Fail(_, specs)) => {
            assert_eq!(specs.len(), 1, "{specs:?}");
            assert!(specs[0].directory().existing().is_some());
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}
