//! Every rule an organization spec checks, triggered alone, with its path, code and rule id.

use std::collections::BTreeSet;

use workmail_org::{
    spec::DirectoryDraft, spec::DomainDraft, spec::EncryptionDraft, AwsErrorCode,
    OrganizationDraft, Region, Rule,
};

use crate::fixtures::{
    base_draft as base, existing, external, found, key_arn, pairs, violations_of,
};

fn set_domain_name(draft: &mut OrganizationDraft, name: &str) {
    draft.domains[1] = DomainDraft::External { name: name.into() };
}

fn set_zone(draft: &mut OrganizationDraft, zone: &str) {
    draft.domains[0] = DomainDraft::ExistingRoute53 {
        name: "acme.com".into(),
        hosted_zone_id: zone.into(),
    };
}

fn set_key(draft: &mut OrganizationDraft, arn: &str) {
    draft.encryption = EncryptionDraft::CustomerManagedKey {
        kms_key_arn: arn.into(),
    };
}

type Case = (&'static str, fn(&mut OrganizationDraft), &'static str, Rule);

/// (name, how to break the base draft, expected path, expected rule).
const CASES: &[Case] = &[
    (
        "alias empty",
        |d| d.alias = String::new(),
        "alias",
        Rule::AliasLength,
    ),
    (
        "alias character",
        |d| d.alias = "acme_corp".into(),
        "alias",
        Rule::AliasCharacter,
    ),
    (
        "alias hyphen",
        |d| d.alias = "acme-".into(),
        "alias",
        Rule::AliasHyphen,
    ),
    (
        "alias prefix",
        |d| d.alias = "D-acme".into(),
        "alias",
        Rule::AliasReservedPrefix,
    ),
    (
        "region",
        |d| d.region = "eu-central-1".into(),
        "region",
        Rule::RegionUnsupported,
    ),
    (
        "domain length",
        |d| set_domain_name(d, &format!("{}.com", vec!["a".repeat(60); 4].join("."))),
        "domains[1].name",
        Rule::DomainLength,
    ),
    (
        "domain idna",
        |d| set_domain_name(d, "xn--zz.com"),
        "domains[1].name",
        Rule::DomainIdna,
    ),
    (
        "domain character",
        |d| set_domain_name(d, "acme_corp.com"),
        "domains[1].name",
        Rule::DomainCharacter,
    ),
    (
        "domain labels",
        |d| set_domain_name(d, "acme"),
        "domains[1].name",
        Rule::DomainLabelCount,
    ),
    (
        "domain label length",
        |d| set_domain_name(d, "a..com"),
        "domains[1].name",
        Rule::DomainLabelLength,
    ),
    (
        "domain label hyphen",
        |d| set_domain_name(d, "-acme.com"),
        "domains[1].name",
        Rule::DomainLabelHyphen,
    ),
    (
        "domain numeric tld",
        |d| set_domain_name(d, "acme.123"),
        "domains[1].name",
        Rule::DomainNumericTld,
    ),
    (
        "domain reserved label",
        |d| set_domain_name(d, "ab--cd.com"),
        "domains[1].name",
        Rule::DomainReservedLabel,
    ),
    (
        "hosted zone length",
        |d| set_zone(d, "/hostedzone/"),
        "domains[0].hosted_zone_id",
        Rule::HostedZoneIdLength,
    ),
    (
        "hosted zone character",
        |d| set_zone(d, "z0123"),
        "domains[0].hosted_zone_id",
        Rule::HostedZoneIdCharacter,
    ),
    (
        "default domain syntax",
        |d| d.default_domain = Some("acme..com".into()),
        "default_domain",
        Rule::DomainLabelLength,
    ),
    (
        "directory id",
        |d| existing(d).directory_id = "d-123".into(),
        "directory.directory_id",
        Rule::DirectoryIdFormat,
    ),
    (
        "directory region unsupported",
        |d| existing(d).region = "eu-central-1".into(),
        "directory.region",
        Rule::RegionUnsupported,
    ),
    (
        "key length",
        |d| set_key(d, "arn:aws:kms"),
        "encryption.kms_key_arn",
        Rule::KmsKeyArnLength,
    ),
    (
        "key partition",
        |d| {
            set_key(
                d,
                &key_arn(Region::UsEast1).replace("arn:aws:", "arn:aws-cn:"),
            )
        },
        "encryption.kms_key_arn",
        Rule::KmsKeyArnFormat,
    ),
    (
        "key region",
        |d| {
            set_key(
                d,
                &key_arn(Region::UsEast1).replace("us-east-1", "eu-central-1"),
            )
        },
        "encryption.kms_key_arn",
        Rule::KmsKeyArnRegion,
    ),
    (
        "key account",
        |d| set_key(d, &key_arn(Region::UsEast1).replace("111122223333", "1111")),
        "encryption.kms_key_arn",
        Rule::KmsKeyArnAccount,
    ),
    (
        "key id",
        |d| {
            set_key(
                d,
                &key_arn(Region::UsEast1).replace("1234abcd-", "1234ABCD-"),
            )
        },
        "encryption.kms_key_arn",
        Rule::KmsKeyArnKeyId,
    ),
    (
        "key alias",
        |d| set_key(d, "arn:aws:kms:us-east-1:111122223333:alias/acme"),
        "encryption.kms_key_arn",
        Rule::KmsKeyArnAlias,
    ),
    (
        "client token empty",
        |d| d.client_token = Some(String::new()),
        "client_token",
        Rule::ClientTokenLength,
    ),
    (
        "client token character",
        |d| d.client_token = Some("create acme".into()),
        "client_token",
        Rule::ClientTokenCharacter,
    ),
    (
        "free test twice",
        |d| {
            d.domains
                .extend([DomainDraft::FreeTest, DomainDraft::FreeTest])
        },
        "domains[3]",
        Rule::DomainsFreeTestDuplicate,
    ),
    (
        "six user domains",
        |d| {
            d.domains
                .extend(["a.example", "b.example", "c.example", "d.example"].map(external))
        },
        "domains",
        Rule::DomainsLimit,
    ),
    (
        "duplicate after normalisation",
        |d| d.domains.push(external("ACME.com.")),
        "domains[2]",
        Rule::DomainsDuplicate,
    ),
    (
        "reserved namespace",
        |d| d.domains.push(external("mail.awsapps.com")),
        "domains[2]",
        Rule::DomainsReservedNamespace,
    ),
    (
        "default not listed",
        |d| d.default_domain = Some("acme.net".into()),
        "default_domain",
        Rule::DefaultDomainUnknown,
    ),
    (
        "unknown directory type",
        |d| existing(d).directory_type = "ADConnector2".into(),
        "directory.directory_type",
        Rule::DirectoryUnsupportedType,
    ),
    (
        "shared directory",
        |d| existing(d).directory_type = "SharedMicrosoftAD".into(),
        "directory.directory_type",
        Rule::DirectoryShared,
    ),
    (
        "multi-region directory",
        |d| existing(d).additional_regions = vec!["us-west-2".into()],
        "directory.additional_regions",
        Rule::DirectoryMultiRegion,
    ),
    (
        "directory in another region",
        |d| existing(d).region = "us-west-2".into(),
        "directory.region",
        Rule::DirectoryRegionMismatch,
    ),
    (
        "directory not active",
        |d| existing(d).stage = "Creating".into(),
        "directory.stage",
        Rule::DirectoryNotActive,
    ),
    (
        "directory alias differs",
        |d| existing(d).alias = "acme".into(),
        "directory.alias",
        Rule::DirectoryAliasMismatch,
    ),
    (
        "interoperability with simple ad",
        |d| existing(d).directory_type = "SimpleAD".into(),
        "interoperability",
        Rule::InteroperabilityRequiresAdConnector,
    ),
    (
        "interoperability with a new directory",
        |d| d.directory = DirectoryDraft::NewWorkMailDirectory,
        "interoperability",
        Rule::InteroperabilityRequiresAdConnector,
    ),
    (
        "key in another region",
        |d| set_key(d, &key_arn(Region::UsWest2)),
        "encryption.kms_key_arn",
        Rule::EncryptionRegionMismatch,
    ),
];

#[track_caller]
fn assert_message_style(message: &str) {
    let first = message.chars().next().expect("a message is never empty");
    assert!(
        !first.is_uppercase(),
        "message starts upper-case: {message}"
    );
    assert!(
        !message.ends_with('.'),
        "message ends with a period: {message}"
    );
    assert!(!message.contains('\n'), "message spans lines: {message}");
}

#[test]
fn the_base_draft_is_valid() {
    let spec = base().validate().expect("the base draft is valid");
    assert!(spec.interoperability());
}

#[test]
fn every_rule_triggers_alone_with_its_path_code_and_rule() {
    for (name, breaks, path, rule) in CASES {
        let mut draft = base();
        breaks(&mut draft);
        let violations = violations_of(&draft);
        assert_eq!(
            found(&violations),
            pairs(&[(path, *rule)]),
            "case {name:?}: {violations}"
        );
        let violation = &violations.as_slice()[0];
        assert_eq!(violation.code(), rule.code(), "case {name:?}");
        assert_message_style(violation.message());
    }
}

#[test]
fn every_spec_rule_has_a_case() {
    // Rules of values a spec does not hold, and rules that need other organizations.
    let elsewhere = [
        Rule::OrganizationIdFormat,
        Rule::AccountIdFormat,
        Rule::OrganizationArnFormat,
        Rule::AliasTaken,
        Rule::ClientTokenReused,
        Rule::DomainsInUse,
        Rule::DirectoryInUse,
        Rule::AccountOrganizationLimit,
        // The dns module's rules: tested in dns.rs.
        Rule::DnsVerificationToken,
        Rule::DnsDkimToken,
        Rule::DefaultDomainUnverified,
        // The aws module's rules: tested in aws.rs.
        Rule::DomainsHostedZoneMissing,
        Rule::NextTokenLength,
        Rule::ExceptionNameLength,
        // The export job's fields: tested in export.rs.
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
        // The leaving plan's guards and inputs: tested in leaving.rs.
        Rule::LeavingCutoverPending,
        Rule::LeavingExportsUnfinished,
        Rule::LeavingNotDeleted,
        Rule::LeavingDirectoryUnknown,
        Rule::LeavingConcurrency,
        Rule::LeavingNewMx,
        // Counts the violations past the cap: tested below.
        Rule::ViolationsLeftOut,
    ];
    let covered: BTreeSet<Rule> = CASES.iter().map(|case| case.3).collect();
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .filter(|rule| !covered.contains(rule) && !elsewhere.contains(rule))
        .map(|rule| rule.id())
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

#[test]
fn codes_are_the_aws_errors_the_rules_stand_for() {
    for (rule, code) in [
        (Rule::DomainsLimit, AwsErrorCode::InvalidParameter),
        (Rule::DirectoryShared, AwsErrorCode::DirectoryUnavailable),
        (
            Rule::DirectoryUnsupportedType,
            AwsErrorCode::DirectoryUnavailable,
        ),
        (
            Rule::DirectoryMultiRegion,
            AwsErrorCode::DirectoryUnavailable,
        ),
        (
            Rule::DirectoryRegionMismatch,
            AwsErrorCode::DirectoryUnavailable,
        ),
        (Rule::DirectoryNotActive, AwsErrorCode::DirectoryUnavailable),
        (Rule::DirectoryAliasMismatch, AwsErrorCode::InvalidParameter),
        (
            Rule::EncryptionRegionMismatch,
            AwsErrorCode::InvalidParameter,
        ),
    ] {
        let case = CASES
            .iter()
            .find(|case| case.3 == rule)
            .expect("every spec rule has a case");
        let mut draft = base();
        (case.1)(&mut draft);
        assert_eq!(violations_of(&draft).as_slice()[0].code(), code, "{rule}");
    }
}

#[test]
fn one_spec_breaking_many_rules_reports_them_all_in_field_order() {
    let mut draft = base();
    draft.domains.extend([
        DomainDraft::FreeTest,
        DomainDraft::FreeTest,
        external("ACME.org"),
        external("acme.awsapps.com"),
        external("a.example"),
        external("b.example"),
    ]);
    draft.default_domain = Some("other.example".into());
    set_zone(&mut draft, "z-lower");
    let directory = existing(&mut draft);
    directory.directory_type = "MicrosoftAD".into();
    directory.alias = "someone-else".into();
    directory.region = "eu-west-1".into();
    directory.additional_regions = vec!["us-west-2".into()];
    directory.stage = "Creating".into();
    set_key(&mut draft, &key_arn(Region::UsWest2));
    draft.client_token = Some("create acme".into());

    let violations = violations_of(&draft);
    // Directory fields in the format's order: alias, region, additional_regions, stage.
    assert_eq!(
        found(&violations),
        pairs(&[
            ("domains", Rule::DomainsLimit),
            ("domains[0].hosted_zone_id", Rule::HostedZoneIdCharacter),
            ("domains[3]", Rule::DomainsFreeTestDuplicate),
            ("domains[4]", Rule::DomainsDuplicate),
            ("domains[5]", Rule::DomainsReservedNamespace),
            ("default_domain", Rule::DefaultDomainUnknown),
            ("directory.alias", Rule::DirectoryAliasMismatch),
            ("directory.region", Rule::DirectoryRegionMismatch),
            ("directory.additional_regions", Rule::DirectoryMultiRegion),
            ("directory.stage", Rule::DirectoryNotActive),
            ("encryption.kms_key_arn", Rule::EncryptionRegionMismatch),
            (
                "interoperability",
                Rule::InteroperabilityRequiresAdConnector
            ),
            ("client_token", Rule::ClientTokenCharacter),
        ])
    );
    let distinct: BTreeSet<Rule> = violations.iter().map(|v| v.rule()).collect();
    assert!(distinct.len() >= 10, "{} distinct rules", distinct.len());
}

#[test]
fn messages_say_what_was_wrong_and_what_is_allowed() {
    let message = |breaks: fn(&mut OrganizationDraft)| {
        let mut draft = base();
        breaks(&mut draft);
        violations_of(&draft).as_slice()[0].message().to_owned()
    };
    assert_eq!(
        message(|d| existing(d).region = "us-west-2".into()),
        "directory \"d-1234567890\" is in us-west-2 but the organization is in us-east-1"
    );
    assert_eq!(
        message(|d| existing(d).directory_type = "SharedMicrosoftAD".into()),
        "directory type \"SharedMicrosoftAD\" is a managed Microsoft AD shared from another \
         account, which WorkMail does not support (allowed: ADConnector, MicrosoftAD, SimpleAD)"
    );
    assert_eq!(
        message(|d| existing(d).directory_type = "Bogus".into()),
        "directory type \"Bogus\" is not supported (allowed: ADConnector, MicrosoftAD, SimpleAD)"
    );
    assert_eq!(
        message(|d| existing(d).additional_regions = vec!["us-west-2".into(), "eu-west-1".into()]),
        "directory \"d-1234567890\" is replicated to us-west-2, eu-west-1; WorkMail does not \
         support multi-region directories (allowed: no additional regions)"
    );
    assert_eq!(
        message(|d| existing(d).stage = "Creating".into()),
        "directory \"d-1234567890\" is in stage \"Creating\" but must be \"Active\" to back an \
         organization"
    );
    assert_eq!(
        message(|d| existing(d).alias = "acme".into()),
        "directory \"d-1234567890\" has alias \"acme\" but the organization alias is \
         \"acme-corp\"; they must be equal (ignoring case)"
    );
    assert_eq!(
        message(|d| d.directory = DirectoryDraft::NewWorkMailDirectory),
        "interoperability needs an existing AD Connector directory, but the organization gets a \
         new WorkMail directory"
    );
    assert_eq!(
        message(|d| existing(d).directory_type = "MicrosoftAD".into()),
        "interoperability needs an existing AD Connector directory, but directory \
         \"d-1234567890\" is MicrosoftAD (AWS Managed Microsoft AD)"
    );
    assert_eq!(
        message(|d| set_key(d, &key_arn(Region::UsWest2))),
        "kms key \"1234abcd-12ab-34cd-56ef-1234567890ab\" is in us-west-2 but the organization \
         is in us-east-1; a key is regional and must be in the organization's region"
    );
    assert_eq!(
        message(|d| d.domains.push(DomainDraft::ExistingRoute53 {
            name: "Acme.Com.".into(),
            hosted_zone_id: "Z1".into()
        })),
        "domain \"acme.com\" is already listed as domains[0]; list each domain once"
    );
    assert_eq!(
        message(|d| d
            .domains
            .extend([DomainDraft::FreeTest, DomainDraft::FreeTest])),
        "the free test domain is already listed as domains[2]; list it at most once"
    );
    assert_eq!(
        message(|d| d
            .domains
            .extend(["a.example", "b.example", "c.example", "d.example"].map(external))),
        "6 domains are listed besides the free test domain; at most 5 are allowed"
    );
    assert_eq!(
        message(|d| d.domains.push(external("acme-corp.awsapps.com"))),
        "domain \"acme-corp.awsapps.com\" is in awsapps.com, which is reserved for free test \
         domains; use a free_test entry for the test domain"
    );
    assert_eq!(
        message(|d| d.default_domain = Some("acme.net".into())),
        "default domain \"acme.net\" is neither a listed domain nor the test domain (allowed: \
         acme.com, acme.org, acme-corp.awsapps.com)"
    );
}

#[test]
fn hostile_values_are_shown_escaped_and_shortened() {
    let mut draft = base();
    existing(&mut draft).directory_type = format!("Evil\"\n{}", "x".repeat(100));
    let violations = violations_of(&draft);
    let message = violations.as_slice()[0].message();
    assert!(
        message.starts_with("directory type \"Evil\\\"\\nxxx"),
        "{message}"
    );
    assert!(message.contains('…'), "{message}");
    assert!(message.len() < 200, "{message}");
}

#[test]
fn a_field_that_failed_to_parse_skips_the_rules_that_need_it() {
    // Organization Region unparsed: no directory or key Region mismatch.
    let mut draft = base();
    draft.region = "eu-central-1".into();
    existing(&mut draft).region = "us-west-2".into();
    set_key(&mut draft, &key_arn(Region::UsWest2));
    let rules: Vec<Rule> = violations_of(&draft).iter().map(|v| v.rule()).collect();
    assert_eq!(rules, [Rule::RegionUnsupported]);

    // Directory Region unparsed: its own violation, no mismatch.
    let mut draft = base();
    existing(&mut draft).region = "ap-south-1".into();
    assert_eq!(
        found(&violations_of(&draft)),
        pairs(&[("directory.region", Rule::RegionUnsupported)])
    );

    // Alias unparsed: no directory alias mismatch, no unknown default.
    let mut draft = base();
    draft.alias = "acme_corp".into();
    existing(&mut draft).alias = "acme_corp".into();
    draft.default_domain = Some("acme_corp.awsapps.com".into());
    let rules: Vec<Rule> = violations_of(&draft).iter().map(|v| v.rule()).collect();
    assert_eq!(rules, [Rule::AliasCharacter, Rule::DomainCharacter]);

    // A listed name unparsed: the default is still judged, against the names that parsed.
    let mut draft = base();
    set_domain_name(&mut draft, "acme..org");
    draft.default_domain = Some("acme.org".into());
    let rules: Vec<Rule> = violations_of(&draft).iter().map(|v| v.rule()).collect();
    assert_eq!(rules, [Rule::DomainLabelLength, Rule::DefaultDomainUnknown]);
    // The same text as the default fails as the default too: no unknown default on top.
    draft.default_domain = Some("ACME..org".into());
    let found: Vec<(String, Rule)> = violations_of(&draft)
        .iter()
        .map(|v| (v.path().to_string(), v.rule()))
        .collect();
    assert_eq!(
        found,
        [
            ("domains[1].name".to_owned(), Rule::DomainLabelLength),
            ("default_domain".to_owned(), Rule::DomainLabelLength)
        ]
    );

    // Unsupported directory type: no interoperability noise on top.
    let mut draft = base();
    existing(&mut draft).directory_type = "SharedMicrosoftAD".into();
    let rules: Vec<Rule> = violations_of(&draft).iter().map(|v| v.rule()).collect();
    assert_eq!(rules, [Rule::DirectoryShared]);
}

#[test]
fn a_default_outside_awsapps_com_is_judged_even_when_the_alias_is_invalid() {
    // It cannot be the test domain, whatever the alias: judged against the listed names,
    // and the message says there is no test domain to offer.
    let mut draft = base();
    draft.alias = "acme_corp".into();
    draft.default_domain = Some("acme.net".into());
    let violations = violations_of(&draft);
    assert_eq!(
        found(&violations),
        pairs(&[
            ("alias", Rule::AliasCharacter),
            ("default_domain", Rule::DefaultDomainUnknown)
        ])
    );
    assert_eq!(
        violations.as_slice()[1].message(),
        "default domain \"acme.net\" is neither a listed domain nor the test domain (allowed: \
         acme.com, acme.org; there is no test domain while the alias is invalid)"
    );
    draft.domains.clear();
    assert_eq!(
        violations_of(&draft).as_slice()[1].message(),
        "default domain \"acme.net\" is neither a listed domain nor the test domain (allowed: \
         none; there is no test domain while the alias is invalid)"
    );

    // Under awsapps.com it might be the test domain: not judged without a valid alias.
    draft.default_domain = Some("acme-corp.awsapps.com".into());
    assert_eq!(
        found(&violations_of(&draft)),
        pairs(&[("alias", Rule::AliasCharacter)])
    );
}

#[test]
fn the_default_may_be_the_test_domain_even_when_not_listed() {
    let mut draft = base();
    draft.default_domain = Some("ACME-CORP.awsapps.com.".into());
    let spec = draft.validate().expect("the test domain always exists");
    assert_eq!(spec.default_domain().as_str(), "acme-corp.awsapps.com");
    assert!(!spec.domains().iter().any(|d| d.is_free_test()));
}

#[test]
fn aliases_compare_ignoring_case_and_domains_after_normalisation() {
    let mut draft = base();
    draft.alias = "Acme-Corp".into();
    existing(&mut draft).alias = "ACME-CORP".into();
    draft.default_domain = Some("ACME.com.".into());
    let spec = draft.validate().expect("valid");
    assert_eq!(spec.alias().as_str(), "Acme-Corp");
    assert_eq!(spec.default_domain().as_str(), "acme.com");

    let mut draft = base();
    draft.domains.push(external("bücher.example"));
    draft.domains.push(external("xn--bcher-kva.example"));
    assert_eq!(
        found(&violations_of(&draft)),
        pairs(&[("domains[3]", Rule::DomainsDuplicate)])
    );
}

#[test]
fn the_limit_counts_user_domains_only() {
    let mut draft = base();
    draft
        .domains
        .extend(["a.example", "b.example", "c.example"].map(external));
    draft.domains.push(DomainDraft::FreeTest);
    assert_eq!(draft.domains.len(), 6);
    draft
        .validate()
        .expect("five user domains and the test domain are fine");
}

#[test]
fn past_one_hundred_violations_one_more_gives_the_count_left_out() {
    let mut draft = OrganizationDraft::new("acme-corp", "us-east-1");
    draft.domains = (0..149)
        .map(|_| DomainDraft::External {
            name: "bad_name.example".into(),
        })
        .collect();
    let violations = draft.validate().unwrap_err().into_vec();
    // 149 bad names and the domain limit: 150, of which the first 100 in field order.
    assert_eq!(violations.len(), workmail_org::report::MAX_VIOLATIONS + 1);
    assert_eq!(violations[0].rule(), Rule::DomainsLimit);
    assert_eq!(violations[1].path().to_string(), "domains[0].name");
    assert_eq!(violations[99].path().to_string(), "domains[98].name");
    let last = &violations[100];
    assert_eq!(last.path().to_string(), "");
    assert_eq!(last.rule(), Rule::ViolationsLeftOut);
    assert_eq!(last.code(), workmail_org::AwsErrorCode::InvalidParameter);
    assert_eq!(
        last.message(),
        "50 more violations are left out; at most 100 are reported for one spec"
    );
}
