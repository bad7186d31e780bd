//! Property tests: valid parts always make a valid spec that round-trips through JSON;
//! breaking one rule always yields exactly that rule; no input makes validation panic.

use proptest::prelude::*;
use workmail_org::{
    spec::DirectoryDraft, spec::DomainDraft, spec::EncryptionDraft, spec::ExistingDirectoryDraft,
    OrganizationDraft, OrganizationSpec, Region, Rule,
};

use crate::fixtures::{existing, external, found, key_arn, KEY_ID};

const CASES: u32 = 256;

fn alias() -> impl Strategy<Value = String> {
    // At least two characters before a hyphen, so never the reserved `d-`.
    "[a-zA-Z][a-zA-Z0-9]{1,10}(-[a-zA-Z0-9]{1,6}){0,2}"
}

fn region() -> impl Strategy<Value = Region> {
    prop::sample::select(Region::ALL.to_vec())
}

/// Randomly re-cases a name and maybe adds the trailing dot: the same domain.
fn spelled(name: String, upper: bool, dot: bool) -> String {
    let name = if upper { name.to_uppercase() } else { name };
    if dot {
        format!("{name}.")
    } else {
        name
    }
}

fn user_domain(name: String) -> impl Strategy<Value = DomainDraft> {
    (0..3u8, "Z[A-Z0-9]{1,20}", any::<bool>(), any::<bool>()).prop_map(
        move |(kind, zone, upper, dot)| {
            let name = spelled(name.clone(), upper, dot);
            match kind {
                0 => DomainDraft::ExistingRoute53 {
                    name,
                    hosted_zone_id: zone,
                },
                1 => DomainDraft::NewRoute53 { name },
                _ => DomainDraft::External { name },
            }
        },
    )
}

/// Up to three distinct user domains (room for a breaker to add some) and maybe the free
/// test domain, in any order.
fn domains() -> impl Strategy<Value = (Vec<DomainDraft>, Vec<String>)> {
    prop::collection::btree_set("[a-z][a-z0-9]{0,9}\\.(com|net|org|io)", 0..=3)
        .prop_flat_map(|names| {
            let names: Vec<String> = names.into_iter().collect();
            let drafts: Vec<_> = names.iter().cloned().map(user_domain).collect();
            (drafts, any::<Option<prop::sample::Index>>(), Just(names))
        })
        .prop_map(|(mut drafts, free_test_at, names)| {
            if let Some(at) = free_test_at {
                drafts.insert(at.index(drafts.len() + 1), DomainDraft::FreeTest);
            }
            (drafts, names)
        })
}

fn key_id() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "mrk-[0-9a-f]{32}",
    ]
}

/// A valid draft built from valid parts.
fn valid_draft() -> impl Strategy<Value = OrganizationDraft> {
    (
        alias(),
        region(),
        domains(),
        any::<prop::sample::Index>(),
        0..3u8,
        (0..4u8, "[0-9a-f]{10}", any::<bool>(), any::<bool>()),
        (any::<bool>(), key_id()),
        prop::option::of("[!-~]{1,40}"),
    )
        .prop_map(
            |(alias, region, (domains, names), pick, default_kind, directory, key, token)| {
                let default_domain = match default_kind {
                    0 => None,
                    1 if !names.is_empty() => Some(names[pick.index(names.len())].to_uppercase()),
                    _ => Some(format!("{}.AwsApps.com", alias.to_uppercase())),
                };
                let (directory_kind, id, upper_alias, interoperability) = directory;
                let directory_type =
                    ["ADConnector", "MicrosoftAD", "SimpleAD"].get(usize::from(directory_kind));
                let directory = match directory_type {
                    None => DirectoryDraft::NewWorkMailDirectory,
                    Some(directory_type) => DirectoryDraft::Existing(ExistingDirectoryDraft {
                        directory_id: format!("d-{id}"),
                        directory_type: (*directory_type).to_owned(),
                        alias: if upper_alias {
                            alias.to_uppercase()
                        } else {
                            alias.to_lowercase()
                        },
                        region: region.to_string(),
                        ..ExistingDirectoryDraft::default()
                    }),
                };
                let interoperability = interoperability && directory_kind == 0;
                let (customer_key, key_id) = key;
                let encryption = if customer_key {
                    EncryptionDraft::CustomerManagedKey {
                        kms_key_arn: key_arn(region).replace(KEY_ID, &key_id),
                    }
                } else {
                    EncryptionDraft::WorkMailManagedKey
                };
                OrganizationDraft {
                    alias,
                    region: region.to_string(),
                    domains,
                    default_domain,
                    directory,
                    encryption,
                    interoperability,
                    client_token: token,
                }
            },
        )
}

fn other_region(region: &str) -> Region {
    Region::ALL
        .iter()
        .copied()
        .find(|r| r.as_str() != region)
        .expect("there are three Regions")
}

fn user_count(draft: &OrganizationDraft) -> usize {
    draft
        .domains
        .iter()
        .filter(|d| !matches!(d, DomainDraft::FreeTest))
        .count()
}

fn push(draft: &mut OrganizationDraft, domain: DomainDraft) -> String {
    draft.domains.push(domain);
    format!("domains[{}]", draft.domains.len() - 1)
}

type Breaker = fn(&mut OrganizationDraft) -> (String, Rule);

/// Each breaks one rule of a valid draft and says where the violation must be.
const BREAKERS: &[Breaker] = &[
    |d| {
        d.alias = format!("{}_x", d.alias);
        ("alias".into(), Rule::AliasCharacter)
    },
    |d| {
        d.region = "ap-south-1".into();
        ("region".into(), Rule::RegionUnsupported)
    },
    |d| {
        (
            push(d, external("bad_name.test")) + ".name",
            Rule::DomainCharacter,
        )
    },
    |d| {
        let zone = DomainDraft::ExistingRoute53 {
            name: "zone.test".into(),
            hosted_zone_id: "bad zone".into(),
        };
        (
            push(d, zone) + ".hosted_zone_id",
            Rule::HostedZoneIdCharacter,
        )
    },
    |d| {
        if !d.domains.contains(&DomainDraft::FreeTest) {
            d.domains.push(DomainDraft::FreeTest);
        }
        (
            push(d, DomainDraft::FreeTest),
            Rule::DomainsFreeTestDuplicate,
        )
    },
    |d| {
        let mut n = 0;
        while user_count(d) <= 5 {
            d.domains.push(external(&format!("limit{n}.test")));
            n += 1;
        }
        ("domains".into(), Rule::DomainsLimit)
    },
    |d| {
        let first = d.domains.iter().find_map(|domain| match domain {
            DomainDraft::ExistingRoute53 { name, .. }
            | DomainDraft::NewRoute53 { name }
            | DomainDraft::External { name } => Some(name.clone()),
            _ => None,
        });
        let name = first.unwrap_or_else(|| {
            d.domains.push(external("dup.test"));
            "dup.test".into()
        });
        let respelled = format!("{}.", name.trim_end_matches('.').to_uppercase());
        (push(d, external(&respelled)), Rule::DomainsDuplicate)
    },
    |d| {
        (
            push(d, external("mail.awsapps.com")),
            Rule::DomainsReservedNamespace,
        )
    },
    |d| {
        d.default_domain = Some("unknown.test".into());
        ("default_domain".into(), Rule::DefaultDomainUnknown)
    },
    |d| {
        d.default_domain = Some("bad..test".into());
        ("default_domain".into(), Rule::DomainLabelLength)
    },
    |d| {
        existing(d).directory_type = "SharedMicrosoftAD".into();
        ("directory.directory_type".into(), Rule::DirectoryShared)
    },
    |d| {
        existing(d).directory_type = "WorkDocsAD".into();
        (
            "directory.directory_type".into(),
            Rule::DirectoryUnsupportedType,
        )
    },
    |d| {
        existing(d).additional_regions = vec!["eu-central-1".into()];
        (
            "directory.additional_regions".into(),
            Rule::DirectoryMultiRegion,
        )
    },
    |d| {
        existing(d).stage = "Deleting".into();
        ("directory.stage".into(), Rule::DirectoryNotActive)
    },
    |d| {
        let region = other_region(&d.region);
        existing(d).region = region.to_string();
        ("directory.region".into(), Rule::DirectoryRegionMismatch)
    },
    |d| {
        existing(d).region = "ap-south-1".into();
        ("directory.region".into(), Rule::RegionUnsupported)
    },
    |d| {
        let alias = format!("x{}", d.alias);
        existing(d).alias = alias;
        ("directory.alias".into(), Rule::DirectoryAliasMismatch)
    },
    |d| {
        existing(d).directory_id = "d-XYZ".into();
        ("directory.directory_id".into(), Rule::DirectoryIdFormat)
    },
    |d| {
        let region = other_region(&d.region);
        d.encryption = EncryptionDraft::CustomerManagedKey {
            kms_key_arn: key_arn(region),
        };
        (
            "encryption.kms_key_arn".into(),
            Rule::EncryptionRegionMismatch,
        )
    },
    |d| {
        d.encryption = EncryptionDraft::CustomerManagedKey {
            kms_key_arn: format!("arn:aws:kms:{}:111122223333:alias/acme", d.region),
        };
        ("encryption.kms_key_arn".into(), Rule::KmsKeyArnAlias)
    },
    |d| {
        d.directory = DirectoryDraft::NewWorkMailDirectory;
        d.interoperability = true;
        (
            "interoperability".into(),
            Rule::InteroperabilityRequiresAdConnector,
        )
    },
    |d| {
        d.client_token = Some("has space".into());
        ("client_token".into(), Rule::ClientTokenCharacter)
    },
];

/// A string from a small alphabet that mixes valid and invalid characters, or any string.
fn messy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9.\\-_ ]{0,20}",
        "d-[0-9a-f]{10}",
        "(us-east-1|us-west-2|eu-west-1|eu-central-1)",
        any::<String>(),
    ]
}

fn any_draft() -> impl Strategy<Value = OrganizationDraft> {
    let domain = prop_oneof![
        Just(DomainDraft::FreeTest),
        messy().prop_map(|name| DomainDraft::External { name }),
        messy().prop_map(|name| DomainDraft::NewRoute53 { name }),
        (messy(), messy()).prop_map(|(name, hosted_zone_id)| DomainDraft::ExistingRoute53 {
            name,
            hosted_zone_id
        }),
    ];
    let directory = prop_oneof![
        Just(DirectoryDraft::NewWorkMailDirectory),
        (
            messy(),
            prop_oneof![
                Just("ADConnector".to_owned()),
                Just("SharedMicrosoftAD".to_owned()),
                messy()
            ],
            messy(),
            messy(),
            prop::collection::vec(messy(), 0..3),
            prop_oneof![Just("Active".to_owned()), messy()],
        )
            .prop_map(
                |(directory_id, directory_type, alias, region, additional_regions, stage)| {
                    DirectoryDraft::Existing(ExistingDirectoryDraft {
                        directory_id,
                        directory_type,
                        alias,
                        region,
                        additional_regions,
                        stage,
                    })
                }
            ),
    ];
    (
        messy(),
        messy(),
        prop::collection::vec(domain, 0..9),
        prop::option::of(messy()),
        directory,
        prop::option::of(messy()),
        any::<bool>(),
        prop::option::of(messy()),
    )
        .prop_map(
            |(
                alias,
                region,
                domains,
                default_domain,
                directory,
                key,
                interoperability,
                client_token,
            )| {
                OrganizationDraft {
                    alias,
                    region,
                    domains,
                    default_domain,
                    directory,
                    encryption: key.map_or(EncryptionDraft::WorkMailManagedKey, |kms_key_arn| {
                        EncryptionDraft::CustomerManagedKey { kms_key_arn }
                    }),
                    interoperability,
                    client_token,
                }
            },
        )
}

fn documented_path(path: &str) -> bool {
    let fixed = [
        "alias",
        "region",
        "domains",
        "default_domain",
        "directory.directory_id",
        "directory.directory_type",
        "directory.alias",
        "directory.region",
        "directory.additional_regions",
        "directory.stage",
        "encryption.kms_key_arn",
        "interoperability",
        "client_token",
    ];
    if fixed.contains(&path) {
        return true;
    }
    let Some(rest) = path.strip_prefix("domains[") else {
        return false;
    };
    let Some((index, field)) = rest.split_once(']') else {
        return false;
    };
    index.parse::<usize>().is_ok() && ["", ".name", ".hosted_zone_id"].contains(&field)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn valid_parts_make_a_valid_spec_that_round_trips(draft in valid_draft()) {
        let spec = draft.validate().map_err(|v| TestCaseError::fail(v.to_string()))?;
        let json = serde_json::to_string(&spec).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: OrganizationSpec =
            serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &spec);
        prop_assert_eq!(serde_json::to_string(&back).ok(), Some(json));
        prop_assert_eq!(spec.to_draft().validate().ok(), Some(spec.clone()));
        // Advisories never turn into violations.
        for advisory in spec.advisories() {
            prop_assert!(documented_path(&advisory.path().to_string()), "{}", advisory);
        }
    }

    #[test]
    fn breaking_one_rule_yields_exactly_that_rule(
        draft in valid_draft(),
        which in 0..BREAKERS.len(),
    ) {
        let mut draft = draft;
        let (path, rule) = BREAKERS[which](&mut draft);
        let found = match draft.validate() {
            Ok(spec) => return Err(TestCaseError::fail(format!("still valid: {spec:?}"))),
            Err(violations) => found(&violations),
        };
        prop_assert_eq!(found, vec![(path, rule)], "breaker {} on {:?}", which, draft);
    }

    #[test]
    fn no_input_makes_validation_panic(draft in any_draft()) {
        match draft.validate() {
            Ok(spec) => prop_assert_eq!(spec.to_draft().validate().ok(), Some(spec)),
            Err(violations) => {
                prop_assert!(!violations.is_empty());
                for violation in &violations {
                    prop_assert!(documented_path(&violation.path().to_string()), "{}", violation);
                    prop_assert!(!violation.message().contains('\n'), "{}", violation);
                    prop_assert_eq!(violation.code(), violation.rule().code());
                }
            }
        }
    }
}

#[test]
fn every_breaker_is_exercised_on_a_fixed_draft() {
    // A deterministic twin of the property, so a failing breaker shows up by index.
    for (which, breaker) in BREAKERS.iter().enumerate() {
        let mut draft = OrganizationDraft::new("acme-corp", "us-east-1");
        let (path, rule) = breaker(&mut draft);
        let violations = draft.validate().expect_err("broken");
        assert_eq!(found(&violations), vec![(path, rule)], "breaker {which}");
    }
}
