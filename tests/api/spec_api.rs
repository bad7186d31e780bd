//! The spec API: builder, accessors, directory reports, advisories and auto traits.

use workmail_org::{
    spec::DirectoryDraft, spec::DirectoryKind, spec::DomainDraft, spec::EncryptionDraft,
    spec::ExistingDirectory, spec::ExistingDirectoryDraft, spec::OrganizationSpecBuilder,
    spec::MAX_USER_DOMAINS, Advisory, AdvisoryKind, DirectoryChoice, EmailDomain, EncryptionChoice,
    OrganizationDraft, OrganizationSpec, Region, Rule,
};

use crate::fixtures::{
    ad_connector, builder, directory_report, domain, existing_directory as directory, found, key,
    pairs,
};

#[track_caller]
fn rules_of(result: Result<OrganizationSpec, workmail_org::Violations>) -> Vec<(String, Rule)> {
    found(&result.expect_err("expected violations"))
}

// ---------------------------------------------------------------------------------------
// Builder

#[test]
fn the_builder_defaults_match_the_json_defaults() {
    let built = builder().build().expect("valid");
    let read = OrganizationDraft::new("acme-corp", "us-east-1")
        .validate()
        .expect("valid");
    assert_eq!(built, read);
    assert_eq!(built.default_domain().as_str(), "acme-corp.awsapps.com");
}

#[test]
fn the_builder_builds_every_choice() {
    let spec = builder()
        .domains([
            EmailDomain::ExistingRoute53 {
                name: domain("acme.com"),
                hosted_zone_id: "Z1".parse().expect("valid"),
            },
            EmailDomain::NewRoute53 {
                name: domain("acme.net"),
            },
        ])
        .domain(EmailDomain::External {
            name: domain("acme.org"),
        })
        .domain(EmailDomain::FreeTest)
        .default_domain(domain("acme.org"))
        .directory(directory(DirectoryKind::AdConnector, "ACME-corp", Region::UsEast1).into())
        .encryption(key(Region::UsEast1).into())
        .interoperability(true)
        .client_token("token-1".parse().expect("valid"))
        .build()
        .expect("valid");
    assert_eq!(spec.domains().len(), 4);
    assert_eq!(spec.default_domain(), &domain("acme.org"));
    assert_eq!(
        spec.directory().existing().map(ExistingDirectory::alias),
        Some("ACME-corp")
    );
    assert_eq!(spec.encryption().kms_key_arn(), Some(&key(Region::UsEast1)));
    assert_eq!(spec.client_token().map(|t| t.as_str()), Some("token-1"));
    // The builder's spec and its JSON round trip agree.
    let again = spec.to_draft().validate().expect("valid");
    assert_eq!(again, spec);
}

#[test]
fn the_builder_reports_every_cross_field_violation_with_draft_paths() {
    let result = builder()
        .domain(EmailDomain::FreeTest)
        .domain(EmailDomain::FreeTest)
        .domains((0..MAX_USER_DOMAINS).map(|i| EmailDomain::External {
            name: domain(&format!("d{i}.example")),
        }))
        .domain(EmailDomain::External {
            name: domain("D0.example."),
        })
        .domain(EmailDomain::NewRoute53 {
            name: domain("x.awsapps.com"),
        })
        .default_domain(domain("nowhere.example"))
        .directory(DirectoryChoice::Existing(directory(
            DirectoryKind::SimpleAd,
            "other",
            Region::EuWest1,
        )))
        .encryption(EncryptionChoice::CustomerManagedKey(key(Region::UsWest2)))
        .interoperability(true)
        .build();
    let expected = pairs(&[
        ("domains", Rule::DomainsLimit),
        ("domains[1]", Rule::DomainsFreeTestDuplicate),
        ("domains[7]", Rule::DomainsDuplicate),
        ("domains[8]", Rule::DomainsReservedNamespace),
        ("default_domain", Rule::DefaultDomainUnknown),
        ("directory.alias", Rule::DirectoryAliasMismatch),
        ("directory.region", Rule::DirectoryRegionMismatch),
        ("encryption.kms_key_arn", Rule::EncryptionRegionMismatch),
        (
            "interoperability",
            Rule::InteroperabilityRequiresAdConnector,
        ),
    ]);
    assert_eq!(rules_of(result), expected);
}

#[test]
fn the_builder_accepts_the_test_domain_as_default_without_listing_it() {
    let spec = builder()
        .default_domain(domain("Acme-Corp.awsapps.com"))
        .build()
        .expect("the test domain always exists");
    assert_eq!(spec.chosen_default_domain(), Some(spec.test_domain()));
}

// ---------------------------------------------------------------------------------------
// Accessors

#[test]
fn user_domains_index_into_domains() {
    let spec = builder()
        .domain(EmailDomain::FreeTest)
        .domain(EmailDomain::External {
            name: domain("acme.org"),
        })
        .domain(EmailDomain::NewRoute53 {
            name: domain("acme.net"),
        })
        .build()
        .expect("valid");
    let listed: Vec<(usize, &str)> = spec.user_domains().map(|(i, n)| (i, n.as_str())).collect();
    assert_eq!(listed, [(1, "acme.org"), (2, "acme.net")]);
    for (index, name) in spec.user_domains() {
        assert_eq!(spec.domains()[index].name(), Some(name));
    }
    assert_eq!(spec.test_domain().as_str(), "acme-corp.awsapps.com");
}

#[test]
fn choices_expose_their_parts() {
    let zone = "Z1".parse().expect("valid");
    let existing = EmailDomain::ExistingRoute53 {
        name: domain("a.com"),
        hosted_zone_id: zone,
    };
    assert_eq!(existing.hosted_zone_id().map(|z| z.as_str()), Some("Z1"));
    assert_eq!(existing.name(), Some(&domain("a.com")));
    assert!(!existing.is_free_test());
    assert_eq!(EmailDomain::FreeTest.name(), None);
    assert_eq!(EmailDomain::FreeTest.hosted_zone_id(), None);
    assert!(EmailDomain::FreeTest.is_free_test());
    assert_eq!(DirectoryChoice::NewWorkMailDirectory.existing(), None);
    assert!(!DirectoryChoice::NewWorkMailDirectory.is_ad_connector());
    assert_eq!(EncryptionChoice::WorkMailManagedKey.kms_key_arn(), None);
    let dir = directory(DirectoryKind::MicrosoftAd, "acme", Region::UsWest2);
    assert_eq!(dir.id().as_str(), "d-1234567890");
    assert_eq!(dir.kind(), DirectoryKind::MicrosoftAd);
    assert_eq!(dir.region(), Region::UsWest2);
    assert_eq!(dir.alias(), "acme");
}

#[test]
fn directory_kinds_use_the_directory_service_spellings() {
    for (kind, spelling) in [
        (DirectoryKind::AdConnector, "ADConnector"),
        (DirectoryKind::MicrosoftAd, "MicrosoftAD"),
        (DirectoryKind::SimpleAd, "SimpleAD"),
    ] {
        assert_eq!(kind.as_str(), spelling);
        assert_eq!(kind.to_string(), spelling);
        assert_eq!(spelling.parse::<DirectoryKind>(), Ok(kind));
        assert_eq!(DirectoryKind::try_from(spelling), Ok(kind));
        let json = format!("\"{spelling}\"");
        assert_eq!(serde_json::to_string(&kind).expect("serializes"), json);
        assert_eq!(
            serde_json::from_str::<DirectoryKind>(&json).ok(),
            Some(kind)
        );
    }
    assert_eq!(DirectoryKind::ALL.len(), 3);
    for rejected in ["SharedMicrosoftAD", "adconnector", "", "ADConnector "] {
        let err = rejected.parse::<DirectoryKind>().expect_err(rejected);
        assert_eq!(err.what(), "directory type");
        assert_eq!(
            err.to_string(),
            format!(
                "unknown directory type \"{rejected}\" (expected one of: ADConnector, \
                 MicrosoftAD, SimpleAD)"
            )
        );
    }
}

#[test]
fn an_existing_directory_is_built_only_from_a_supported_report() {
    let report = directory_report("SimpleAD", "acme", "eu-west-1");
    let built = ExistingDirectory::try_from(&report).expect("supported");
    assert_eq!(
        built,
        directory(DirectoryKind::SimpleAd, "acme", Region::EuWest1)
    );

    let broken = ExistingDirectoryDraft {
        directory_id: "d-XYZ".into(),
        directory_type: "SharedMicrosoftAD".into(),
        region: "eu-central-1".into(),
        additional_regions: vec!["us-east-1".into()],
        stage: "Impaired".into(),
        ..report
    };
    let violations = ExistingDirectory::try_from(broken).expect_err("unsupported");
    assert_eq!(
        found(&violations),
        pairs(&[
            ("directory.directory_id", Rule::DirectoryIdFormat),
            ("directory.directory_type", Rule::DirectoryShared),
            ("directory.region", Rule::RegionUnsupported),
            ("directory.additional_regions", Rule::DirectoryMultiRegion),
            ("directory.stage", Rule::DirectoryNotActive),
        ])
    );
}

// ---------------------------------------------------------------------------------------
// Advisories

fn advice_of(spec: &OrganizationSpec) -> Vec<(String, AdvisoryKind)> {
    spec.advisories()
        .iter()
        .map(|a| (a.path().to_string(), a.kind()))
        .collect()
}

fn advice(expected: &[(&str, AdvisoryKind)]) -> Vec<(String, AdvisoryKind)> {
    expected
        .iter()
        .map(|(path, advice)| ((*path).to_owned(), *advice))
        .collect()
}

#[test]
fn each_advisory_is_triggered_and_never_a_violation() {
    let cases: Vec<(OrganizationDraft, Vec<(String, AdvisoryKind)>)> = vec![
        (
            OrganizationDraft::new("acme-corp", "us-east-1"),
            advice(&[("default_domain", AdvisoryKind::TestDomainNeedsEnabledUser)]),
        ),
        (
            OrganizationDraft {
                domains: vec![
                    DomainDraft::External {
                        name: "acme.org".into(),
                    },
                    DomainDraft::FreeTest,
                ],
                ..OrganizationDraft::new("acme-corp", "us-east-1")
            },
            advice(&[
                ("domains[0]", AdvisoryKind::ExternalDomainNeedsDnsRecords),
                ("domains[1]", AdvisoryKind::TestDomainNeedsEnabledUser),
            ]),
        ),
        (
            OrganizationDraft {
                domains: vec![DomainDraft::NewRoute53 {
                    name: "acme.net".into(),
                }],
                default_domain: Some("acme.net".into()),
                ..OrganizationDraft::new("acme-corp", "us-east-1")
            },
            advice(&[
                ("domains[0]", AdvisoryKind::NewDomainNeedsRegistration),
                (
                    "default_domain",
                    AdvisoryKind::DefaultDomainNotYetVerifiable,
                ),
            ]),
        ),
        (
            OrganizationDraft {
                domains: vec![DomainDraft::ExistingRoute53 {
                    name: "acme.com".into(),
                    hosted_zone_id: "Z1".into(),
                }],
                default_domain: Some("acme.com".into()),
                directory: ad_connector(),
                ..OrganizationDraft::new("acme-corp", "us-east-1")
            },
            advice(&[
                (
                    "default_domain",
                    AdvisoryKind::DefaultDomainNotYetVerifiable,
                ),
                (
                    "interoperability",
                    AdvisoryKind::InteroperabilityRecommended,
                ),
            ]),
        ),
        (
            // Interoperability on: nothing to recommend.
            OrganizationDraft {
                domains: vec![DomainDraft::ExistingRoute53 {
                    name: "acme.com".into(),
                    hosted_zone_id: "Z1".into(),
                }],
                directory: ad_connector(),
                interoperability: true,
                encryption: EncryptionDraft::WorkMailManagedKey,
                ..OrganizationDraft::new("acme-corp", "us-east-1")
            },
            advice(&[("default_domain", AdvisoryKind::TestDomainNeedsEnabledUser)]),
        ),
    ];
    let mut seen = Vec::new();
    for (draft, expected) in cases {
        let spec = draft
            .validate()
            .expect("advisories never make a spec invalid");
        assert_eq!(advice_of(&spec), expected, "{draft:?}");
        seen.extend(expected.into_iter().map(|(_, advice)| advice));
    }
    for advice in AdvisoryKind::ALL {
        assert!(seen.contains(advice), "{advice} is never triggered");
    }
}

#[test]
fn advisory_messages_follow_the_house_style() {
    let spec = OrganizationDraft {
        domains: vec![
            DomainDraft::External {
                name: "acme.org".into(),
            },
            DomainDraft::NewRoute53 {
                name: "acme.net".into(),
            },
        ],
        default_domain: Some("acme.org".into()),
        directory: ad_connector(),
        ..OrganizationDraft::new("acme-corp", "us-east-1")
    }
    .validate()
    .expect("valid");
    let messages: Vec<String> = spec.advisories().iter().map(Advisory::to_string).collect();
    assert_eq!(
        messages,
        [
            "domains[0]: external domain \"acme.org\" must publish WorkMail's verification \
             records (TXT, MX, CNAME) at its DNS provider before it can be verified \
             [advice.external_domain_dns_records]",
            "domains[1]: domain \"acme.net\" must be registered with Route 53 first; it has a \
             hosted zone only after that [advice.new_domain_registration]",
            "default_domain: default domain \"acme.org\" is not verified at creation; the test \
             domain \"acme-corp.awsapps.com\" stays the default until it is \
             [advice.default_domain_unverified]",
            "interoperability: directory \"d-1234567890\" is an AD Connector: if its Active \
             Directory runs Microsoft Exchange, enable interoperability now, as it can only be \
             set at creation [advice.interoperability_recommended]",
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Auto traits

#[test]
fn public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<OrganizationSpec>();
    send_sync::<OrganizationSpecBuilder>();
    send_sync::<OrganizationDraft>();
    send_sync::<DomainDraft>();
    send_sync::<DirectoryDraft>();
    send_sync::<ExistingDirectoryDraft>();
    send_sync::<EncryptionDraft>();
    send_sync::<EmailDomain>();
    send_sync::<DirectoryChoice>();
    send_sync::<ExistingDirectory>();
    send_sync::<DirectoryKind>();
    send_sync::<EncryptionChoice>();
    send_sync::<workmail_org::Violations>();
    send_sync::<Advisory>();
    send_sync::<workmail_org::FieldPath>();
}

#[test]
fn a_draft_of_borrowed_text_validates_like_a_draft_of_strings() {
    let borrowed = OrganizationDraft::<&str> {
        alias: "acme-corp",
        region: "us-east-1",
        domains: vec![
            DomainDraft::External { name: "Acme.COM" },
            DomainDraft::FreeTest,
        ],
        default_domain: Some("acme.com"),
        directory: DirectoryDraft::default(),
        encryption: EncryptionDraft::default(),
        interoperability: false,
        client_token: Some("create-acme-1"),
    };
    let mut owned = OrganizationDraft::new("acme-corp", "us-east-1");
    owned.domains = vec![
        DomainDraft::External {
            name: "Acme.COM".into(),
        },
        DomainDraft::FreeTest,
    ];
    owned.default_domain = Some("acme.com".into());
    owned.client_token = Some("create-acme-1".into());
    assert_eq!(borrowed.validate(), owned.validate());
    assert!(borrowed.validate().is_ok());

    let broken = OrganizationDraft::<&str> {
        alias: "d-acme",
        ..borrowed
    };
    assert_eq!(
        rules_of(broken.validate()),
        pairs(&[("alias", Rule::AliasReservedPrefix)])
    );
    assert_eq!(
        broken.domains[0].name(),
        Some(&"Acme.COM"),
        "an entry's name, read through the one accessor"
    );
}
