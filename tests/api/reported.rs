//! `Reported<T>`: the crate's one lenient form of what AWS or a resolver reports, the same
//! for every `T` it wraps.

use std::collections::HashSet;

use workmail_org::aws::{RecordType, VerificationStatus};
use workmail_org::lifecycle::{OrganizationState, ReportedState};
use workmail_org::spec::DirectoryKind;
use workmail_org::{DomainName, Reported};

#[test]
fn known_values_are_typed_and_unknown_ones_kept_verbatim() {
    let active = ReportedState::new("Active");
    assert_eq!(
        (active.known(), active.is_known(), active.as_str()),
        (Some(&OrganizationState::Active), true, "Active")
    );
    assert_eq!(active.clone().into_known(), Some(OrganizationState::Active));

    let later = Reported::<VerificationStatus>::new("EXPIRED");
    assert_eq!((later.known(), later.is_known()), (None, false));
    assert_eq!(later.into_known(), None);

    for text in ["", " Active", "Suspended", "d-1", "\u{0}"] {
        let reported = ReportedState::new(text);
        assert_eq!(
            (reported.as_str(), reported.as_ref()),
            (text, text),
            "{text:?}"
        );
        assert_eq!(reported.to_string(), text);
    }
}

#[test]
fn equality_and_hashing_compare_the_text_and_a_value_compares_when_known() {
    let domain = Reported::<DomainName>::new("Site.AwsApps.com");
    let canonical: DomainName = "site.awsapps.com".parse().unwrap();
    // The same value, other text: not the same report, but equal to the value.
    assert_ne!(domain, Reported::from(canonical.clone()));
    assert_eq!(domain, canonical);
    assert_eq!(
        Reported::from(canonical.clone()).as_str(),
        "site.awsapps.com"
    );

    let cname = Reported::<RecordType>::new("cname");
    assert_eq!(cname, RecordType::Cname);
    assert_ne!(cname, RecordType::Txt);
    assert_ne!(Reported::<RecordType>::new("HTTPS"), RecordType::Txt);

    let set: HashSet<ReportedState> = ["Active", "Active", "Suspended", "Suspended"]
        .into_iter()
        .map(ReportedState::new)
        .chain([ReportedState::from(OrganizationState::Active)])
        .collect();
    assert_eq!(set.len(), 2);
}

#[test]
fn serde_writes_the_text_and_reads_any_string() {
    for text in ["ADConnector", "VpcDirectory", "", "\"quoted\""] {
        let reported = Reported::<DirectoryKind>::new(text);
        let json = serde_json::to_string(&reported).unwrap();
        assert_eq!(json, serde_json::to_string(text).unwrap());
        let back: Reported<DirectoryKind> = serde_json::from_str(&json).unwrap();
        assert_eq!((back.as_str(), back.known()), (text, reported.known()));
    }
    for not_a_string in ["null", "1", "true", "[]", "{}"] {
        let err = serde_json::from_str::<ReportedState>(not_a_string).unwrap_err();
        assert!(err.to_string().starts_with("invalid type"), "{err}");
    }
}

#[test]
fn debug_shows_the_known_value_or_the_unknown_text() {
    assert_eq!(format!("{:?}", ReportedState::new("Active")), "Active");
    assert_eq!(
        format!("{:?}", ReportedState::new("Sus\npended")),
        r#"Unknown("Sus\npended")"#
    );
    assert_eq!(format!("{:?}", Reported::<RecordType>::new("mx")), "Mx");
}
