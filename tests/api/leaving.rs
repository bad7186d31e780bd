//! The leaving plan: its steps for the test setup (25 entities of every kind, three domains,
//! one in Route 53), each guard, each skip reason, the DNS changes, exports with retries and
//! the concurrency bound, and resuming from the stored document.

use serde_json::{json, Value};
use workmail_org::aws::{ExportJobState, GetMailDomainResponse, Organization, Resource, User};
use workmail_org::dns::ObservedRecord;
use workmail_org::leaving::{
    export_client_token, Action, Destination, DirectoryFate, DnsChange, DomainDns, DomainInput,
    Leaving, LeavingInputs, LeavingPlan, Next, Options, SkipReason,
};
use workmail_org::lifecycle::ReportedState;
use workmail_org::{DomainName, EntityId, ExportJobId, Region, Reported, Rule};

const ORG: &str = "m-0123456789abcdef0123456789abcdef";
const TOKEN: &str = "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=";
const DKIM: [&str; 3] = [
    "ekes3zs2uqbrswnhnd5wlnzl3u6hkcxd",
    "v7phs3ryfeb4pnbtxexkrlxvmt5qebzr",
    "2b5xjfhoqlmd3fz7xzwrcfwaigjt2ufn",
];

fn mail_domain(domain: &str, test: bool) -> GetMailDomainResponse {
    let records = if test {
        json!([])
    } else {
        let mut records = vec![
            json!({"Type": "TXT", "Hostname": format!("_amazonses.{domain}"), "Value": TOKEN}),
            json!({"Type": "MX", "Hostname": domain, "Value": "10 inbound-smtp.us-east-1.amazonaws.com"}),
            json!({"Type": "CNAME", "Hostname": format!("autodiscover.{domain}"), "Value": "autodiscover.mail.us-east-1.awsapps.com"}),
        ];
        for token in DKIM {
            records.push(json!({"Type": "CNAME", "Hostname": format!("{token}._domainkey.{domain}"), "Value": format!("{token}.dkim.amazonses.com")}));
        }
        records.push(json!({"Type": "TXT", "Hostname": domain, "Value": "v=spf1 include:amazonses.com ~all"}));
        records.push(json!({"Type": "TXT", "Hostname": format!("_dmarc.{domain}"), "Value": "v=DMARC1;p=quarantine;pct=100;fo=1"}));
        Value::Array(records)
    };
    serde_json::from_value(json!({
        "Records": records, "IsTestDomain": test, "IsDefault": domain == "acme.example",
        "OwnershipVerificationStatus": "VERIFIED", "DkimVerificationStatus": "VERIFIED"
    }))
    .unwrap()
}

/// `ListResourceRecordSets` for acme.example: WorkMail's records, plus a web server's A.
fn route53_records() -> String {
    let set = |name: &str, kind: &str, ttl: u32, values: &[&str]| {
        json!({"Name": name, "Type": kind, "TTL": ttl,
               "ResourceRecords": values.iter().map(|v| json!({"Value": v})).collect::<Vec<_>>()})
    };
    let mut sets = vec![
        set(
            "acme.example.",
            "MX",
            300,
            &["10 inbound-smtp.us-east-1.amazonaws.com"],
        ),
        set(
            "acme.example.",
            "TXT",
            300,
            &[
                "\"v=spf1 include:amazonses.com ~all\"",
                "\"google-site-verification=abc\"",
            ],
        ),
        set("acme.example.", "A", 300, &["192.0.2.10"]),
        set(
            "_amazonses.acme.example.",
            "TXT",
            3600,
            &[&format!("\"{TOKEN}\"")],
        ),
        set(
            "autodiscover.acme.example.",
            "CNAME",
            3600,
            &["autodiscover.mail.us-east-1.awsapps.com"],
        ),
        set(
            "_dmarc.acme.example.",
            "TXT",
            3600,
            &["\"v=DMARC1;p=quarantine;pct=100;fo=1\""],
        ),
    ];
    for token in DKIM {
        sets.push(set(
            &format!("{token}._domainkey.acme.example."),
            "CNAME",
            1800,
            &[&format!("{token}.dkim.amazonses.com")],
        ));
    }
    json!({"ResourceRecordSets": sets, "IsTruncated": false, "MaxItems": "300"}).to_string()
}

/// acme.org's zone file: WorkMail's records, but an SPF record changed since (kept) and no
/// DMARC record.
fn zone_lines() -> String {
    let mut lines = vec![
        "$TTL 3600".to_owned(),
        "acme.org. 600 IN MX 10 inbound-smtp.us-east-1.amazonaws.com.".to_owned(),
        format!("_amazonses.acme.org. IN TXT \"{TOKEN}\""),
        "autodiscover.acme.org. IN CNAME autodiscover.mail.us-east-1.awsapps.com.".to_owned(),
        "acme.org. IN TXT \"v=spf1 include:amazonses.com include:_spf.new.example ~all\""
            .to_owned(),
    ];
    for token in DKIM {
        lines.push(format!(
            "{token}._domainkey.acme.org. IN CNAME {token}.dkim.amazonses.com."
        ));
    }
    lines.join("\n")
}

fn user(id: &str, name: &str, state: &str, role: &str, enabled: bool) -> User {
    let mut user = json!({"Id": id, "Name": name, "Email": format!("{name}@acme.example"),
                          "State": state, "UserRole": role});
    if enabled {
        user["EnabledDate"] = json!(1_767_225_600);
    }
    serde_json::from_value(user).unwrap()
}

fn resource(id: &str, name: &str, kind: &str, state: &str, enabled: bool) -> Resource {
    let mut resource = json!({"Id": id, "Name": name, "Type": kind, "State": state});
    if enabled {
        resource["EnabledDate"] = json!(1_767_225_600);
    }
    serde_json::from_value(resource).unwrap()
}

/// 25 entities: 8 enabled users, 3 disabled once enabled, 3 never enabled, 2 deleted,
/// 2 system users, 4 rooms (one never enabled) and 3 pieces of equipment (one disabled).
fn entities() -> (Vec<User>, Vec<Resource>) {
    let mut users = Vec::new();
    for n in 1..=8 {
        users.push(user(
            &format!("u-enabled-{n}"),
            &format!("enabled{n}"),
            "ENABLED",
            "USER",
            true,
        ));
    }
    for n in 1..=3 {
        users.push(user(
            &format!("u-disabled-{n}"),
            &format!("disabled{n}"),
            "DISABLED",
            "USER",
            true,
        ));
    }
    for n in 1..=3 {
        users.push(user(
            &format!("u-never-{n}"),
            &format!("never{n}"),
            "DISABLED",
            "USER",
            false,
        ));
    }
    for n in 1..=2 {
        users.push(user(
            &format!("u-deleted-{n}"),
            &format!("deleted{n}"),
            "DELETED",
            "USER",
            true,
        ));
    }
    for n in 1..=2 {
        users.push(user(
            &format!("u-system-{n}"),
            &format!("system{n}"),
            "ENABLED",
            "SYSTEM_USER",
            true,
        ));
    }
    let resources = vec![
        resource(
            "r-00000000000000000000000000000001",
            "board-room",
            "ROOM",
            "ENABLED",
            true,
        ),
        resource(
            "r-00000000000000000000000000000002",
            "small-room",
            "ROOM",
            "ENABLED",
            true,
        ),
        resource(
            "r-00000000000000000000000000000003",
            "lab",
            "ROOM",
            "DISABLED",
            true,
        ),
        resource(
            "r-00000000000000000000000000000004",
            "new-room",
            "ROOM",
            "DISABLED",
            false,
        ),
        resource(
            "r-00000000000000000000000000000005",
            "projector",
            "EQUIPMENT",
            "ENABLED",
            true,
        ),
        resource(
            "r-00000000000000000000000000000006",
            "van",
            "EQUIPMENT",
            "ENABLED",
            true,
        ),
        resource(
            "r-00000000000000000000000000000007",
            "old-van",
            "EQUIPMENT",
            "DISABLED",
            true,
        ),
    ];
    (users, resources)
}

fn organization(directory_type: &str) -> Organization {
    serde_json::from_value(json!({
        "OrganizationId": ORG, "Alias": "acme", "State": "Active",
        "DirectoryId": "d-0123456789", "DirectoryType": directory_type,
        "DefaultMailDomain": "acme.example"
    }))
    .unwrap()
}

fn destination() -> Destination {
    Destination::new(
        "acme-exports".parse().unwrap(),
        "workmail/acme/".parse().unwrap(),
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            .parse()
            .unwrap(),
        "arn:aws:iam::111122223333:role/workmail-export"
            .parse()
            .unwrap(),
        vec![
            "10 mx1.new.example".parse().unwrap(),
            "20 mx2.new.example".parse().unwrap(),
        ],
    )
    .unwrap()
}

fn inputs(options: Options, directory_type: &str) -> LeavingInputs {
    let (users, resources) = entities();
    let domains = vec![
        DomainInput::new(
            "acme.example".parse().unwrap(),
            mail_domain("acme.example", false),
            DomainDns::route53("Z0555ACME".parse().unwrap(), &route53_records()).unwrap(),
        ),
        DomainInput::new(
            "acme.org".parse().unwrap(),
            mail_domain("acme.org", false),
            DomainDns::zone_lines(&zone_lines()).unwrap(),
        ),
        DomainInput::new(
            "acme.awsapps.com".parse().unwrap(),
            mail_domain("acme.awsapps.com", true),
            DomainDns::none(),
        ),
    ];
    LeavingInputs::new(
        Region::UsEast1,
        organization(directory_type),
        users,
        resources,
        domains,
        destination(),
        options,
    )
}

/// The test setup's plan: 3 jobs at once, 2 attempts, no wait after the cutover.
pub fn setup_plan() -> LeavingPlan {
    let options = Options::default()
        .with_concurrency(3)
        .unwrap()
        .with_max_attempts(2)
        .unwrap()
        .with_cutover_wait(Some(0))
        .in_store(true);
    LeavingPlan::new(inputs(options, "VpcDirectory")).unwrap()
}

fn domain(name: &str) -> DomainName {
    name.parse().unwrap()
}

fn moved(name: &str) -> Vec<ObservedRecord> {
    vec![
        ObservedRecord::mx(format!("{name}."), 10, "MX1.new.example."),
        ObservedRecord::mx(name, 20, "mx2.new.example"),
    ]
}

fn cut_over(leaving: &mut Leaving, now: u64) {
    for name in ["acme.example", "acme.org"] {
        leaving.record_cutover_applied(&domain(name)).unwrap();
        assert!(leaving
            .record_mx_answers(&domain(name), &moved(name), now)
            .unwrap());
    }
}

#[test]
fn the_setup_plan_has_its_steps_in_order() {
    let plan = setup_plan();
    let names: Vec<&str> = plan.steps().iter().map(Action::name).collect();
    let count = |name: &str| names.iter().filter(|n| **n == name).count();
    assert_eq!(count("cutover"), 2);
    assert_eq!(count("no_cutover"), 1);
    assert_eq!(count("wait_for_cutover"), 2);
    assert_eq!(count("export"), 17);
    assert_eq!(count("skip"), 8);
    assert_eq!(count("delete"), 1);
    assert_eq!(count("record_deleted"), 1);
    assert_eq!(count("cleanup"), 2);
    assert_eq!(count("no_cleanup"), 1);
    // The order: every cutover before every wait, before every export, before the delete,
    // before every clean-up.
    let last = |name: &str| names.iter().rposition(|n| *n == name).unwrap();
    let first = |name: &str| names.iter().position(|n| *n == name).unwrap();
    assert!(last("no_cutover") < first("wait_for_cutover"));
    assert!(last("wait_for_cutover") < first("export"));
    assert!(last("skip") < first("delete"));
    assert!(first("record_deleted") < first("cleanup"));
}

#[test]
fn the_plan_prints_as_the_readme_shows() {
    let text = setup_plan().to_string();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    if std::env::var_os("WORKMAIL_ORG_BLESS").is_some() {
        println!("{text}");
    }
    assert!(
        readme.contains(&text),
        "the README's leaving plan is stale; it prints:\n{text}"
    );
}

#[test]
fn every_skip_reason_is_given() {
    let plan = setup_plan();
    let skips: Vec<(String, SkipReason)> = plan
        .steps()
        .iter()
        .filter_map(|step| match step {
            Action::Skip {
                entity_id, reason, ..
            } => Some((entity_id.to_string(), reason.clone())),
            _ => None,
        })
        .collect();
    let reason_of = |id: &str| &skips.iter().find(|(e, _)| e == id).unwrap().1;
    assert_eq!(reason_of("u-never-1"), &SkipReason::NeverEnabled);
    assert_eq!(reason_of("u-deleted-2"), &SkipReason::Deleted);
    assert_eq!(reason_of("u-system-1"), &SkipReason::SystemUser);
    assert_eq!(
        reason_of("r-00000000000000000000000000000004"),
        &SkipReason::NeverEnabled
    );
    // Exports name the entity by Id, never by name or email.
    let exported: Vec<String> = plan.exports().map(|(id, _)| id.to_string()).collect();
    assert!(exported.contains(&"u-disabled-3".to_owned()));
    assert!(exported.contains(&"r-00000000000000000000000000000007".to_owned()));
    assert!(!exported.iter().any(|id| id.contains('@')));
}

#[test]
fn the_route53_cutover_upserts_the_mx_and_deletes_workmails_autodiscover_exactly() {
    let plan = setup_plan();
    let Action::Cutover {
        change: DnsChange::Route53 {
            hosted_zone,
            change_batch,
        },
        ..
    } = &plan.steps()[0]
    else {
        panic!("acme.example is cut over in Route 53");
    };
    assert_eq!(hosted_zone.as_str(), "Z0555ACME");
    assert_eq!(
        change_batch["Changes"],
        json!([
            {"Action": "UPSERT", "ResourceRecordSet": {"Name": "acme.example.", "Type": "MX", "TTL": 300,
              "ResourceRecords": [{"Value": "10 mx1.new.example"}, {"Value": "20 mx2.new.example"}]}},
            {"Action": "DELETE", "ResourceRecordSet": {"Name": "autodiscover.acme.example.", "Type": "CNAME", "TTL": 3600,
              "ResourceRecords": [{"Value": "autodiscover.mail.us-east-1.awsapps.com"}]}}
        ])
    );
}

#[test]
fn an_autodiscover_target_is_upserted() {
    let mut inputs = serde_json::to_value(inputs(Options::default(), "VpcDirectory")).unwrap();
    inputs["destination"]["autodiscover"] = json!("autodiscover.new.example");
    let inputs: LeavingInputs = serde_json::from_value(inputs).unwrap();
    let plan = LeavingPlan::new(inputs).unwrap();
    let Action::Cutover {
        change: DnsChange::ZoneLines { remove, add },
        ..
    } = &plan.steps()[1]
    else {
        panic!("acme.org is cut over in its zone file");
    };
    assert_eq!(
        remove,
        &[
            "acme.org. 600 IN MX 10 inbound-smtp.us-east-1.amazonaws.com.",
            "autodiscover.acme.org. IN CNAME autodiscover.mail.us-east-1.awsapps.com."
        ]
    );
    assert_eq!(
        add,
        &[
            "acme.org. 600 IN MX 10 mx1.new.example.",
            "acme.org. 600 IN MX 20 mx2.new.example.",
            "autodiscover.acme.org. 3600 IN CNAME autodiscover.new.example."
        ]
    );
}

#[test]
fn the_cleanup_removes_only_what_still_holds_workmails_values() {
    let plan = setup_plan();
    let cleanups: Vec<&Action> = plan
        .steps()
        .iter()
        .filter(|s| s.name() == "cleanup")
        .collect();
    let Action::Cleanup {
        change: DnsChange::Route53 { change_batch, .. },
        kept,
        ..
    } = cleanups[0]
    else {
        panic!("acme.example is cleaned up in Route 53");
    };
    assert!(kept.is_empty());
    let changes = change_batch["Changes"].as_array().unwrap();
    // The ownership TXT, 3 DKIM CNAMEs and the DMARC TXT are deleted exactly; the apex TXT
    // keeps its other value.
    let deletes = changes.iter().filter(|c| c["Action"] == "DELETE").count();
    assert_eq!(deletes, 5);
    let apex = changes
        .iter()
        .find(|c| c["ResourceRecordSet"]["Name"] == "acme.example.")
        .unwrap();
    assert_eq!(apex["Action"], "UPSERT");
    assert_eq!(
        apex["ResourceRecordSet"]["ResourceRecords"],
        json!([{"Value": "\"google-site-verification=abc\""}])
    );
    let Action::Cleanup {
        change: DnsChange::ZoneLines { remove, add },
        kept,
        ..
    } = cleanups[1]
    else {
        panic!("acme.org is cleaned up in its zone file");
    };
    assert!(add.is_empty());
    assert_eq!(remove.len(), 4, "{remove:?}");
    assert_eq!(
        kept,
        &["TXT acme.org holds another value than WorkMail advised"]
    );
}

#[test]
fn the_directory_is_kept_by_default_and_deleted_only_when_known_or_insisted() {
    let delete_of = |plan: &LeavingPlan| {
        plan.steps()
            .iter()
            .find_map(|s| match s {
                Action::Delete { request, .. } => Some(request.clone()),
                _ => None,
            })
            .unwrap()
    };
    let plan = setup_plan();
    let request = delete_of(&plan);
    assert!(!request.delete_directory());
    assert!(request.force_delete(), "enabled users remain");
    for known in ["VpcDirectory", "SimpleAD", "ADConnector", "MicrosoftAD"] {
        let options = Options::default().with_directory(DirectoryFate::Delete);
        let plan = LeavingPlan::new(inputs(options, known)).unwrap();
        assert!(delete_of(&plan).delete_directory(), "{known}");
    }
    let options = Options::default().with_directory(DirectoryFate::Delete);
    let err = LeavingPlan::new(inputs(options, "SharedMicrosoftAD")).unwrap_err();
    assert_eq!(err.broken_rule(), Some(Rule::LeavingDirectoryUnknown));
    assert_eq!(err.field(), "options.directory");
    assert!(
        err.to_string().ends_with("(leaving.directory_unknown)"),
        "{err}"
    );
    let options = Options::default().with_directory(DirectoryFate::DeleteAnyType);
    let plan = LeavingPlan::new(inputs(options, "SharedMicrosoftAD")).unwrap();
    assert!(delete_of(&plan).delete_directory());
}

#[test]
fn bad_options_name_their_field_and_rule() {
    let err = Options::default().with_concurrency(0).unwrap_err();
    assert_eq!(
        (err.field(), err.broken_rule()),
        ("concurrency", Some(Rule::LeavingConcurrency))
    );
    assert_eq!(
        err.to_string(),
        "concurrency: 0 jobs at once, 1 to 100 allowed (leaving.concurrency)"
    );
    let err = Destination::new(
        "b".parse().unwrap(),
        "p".parse().unwrap(),
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            .parse()
            .unwrap(),
        "arn:aws:iam::111122223333:role/r".parse().unwrap(),
        vec![],
    )
    .unwrap_err();
    assert_eq!(err.broken_rule(), Some(Rule::LeavingNewMx));
    let mut value = serde_json::to_value(inputs(Options::default(), "VpcDirectory")).unwrap();
    value["domains"][1]["records"] = json!("none");
    let inputs: LeavingInputs = serde_json::from_value(value).unwrap();
    let err = LeavingPlan::new(inputs).unwrap_err();
    assert_eq!(err.field(), "domains[1].records");
}

#[test]
fn no_export_before_the_cutover_holds_for_every_domain() {
    let plan = LeavingPlan::new(inputs(
        Options::default().with_cutover_wait(Some(60)),
        "VpcDirectory",
    ))
    .unwrap();
    let mut leaving = Leaving::new(plan);
    assert_eq!(
        leaving.next(0),
        Next::Cutover(vec![domain("acme.example"), domain("acme.org")])
    );
    let refusal = leaving.start_exports(0).unwrap_err();
    assert_eq!(refusal.rule(), Rule::LeavingCutoverPending);
    assert_eq!(
        refusal.to_string(),
        "leaving.cutover_pending: no mailbox export starts before the cutover holds for every \
         domain; waiting for acme.example: the cutover is not applied, acme.org: the cutover is \
         not applied"
    );
    leaving
        .record_cutover_applied(&domain("acme.example"))
        .unwrap();
    leaving.record_cutover_applied(&domain("acme.org")).unwrap();
    assert!(leaving
        .record_mx_answers(&domain("acme.example"), &moved("acme.example"), 10)
        .unwrap());
    // acme.org still answers WorkMail's MX: the guard holds.
    let old = [ObservedRecord::mx(
        "acme.org.",
        10,
        "inbound-smtp.us-east-1.amazonaws.com.",
    )];
    assert!(!leaving
        .record_mx_answers(&domain("acme.org"), &old, 10)
        .unwrap());
    // Only one of the new MX records: not moved either.
    assert!(!leaving
        .record_mx_answers(&domain("acme.org"), &moved("acme.org")[..1], 10)
        .unwrap());
    let refusal = leaving.start_exports(1_000).unwrap_err();
    assert_eq!(refusal.pending(), ["acme.org: the new MX is not seen yet"]);
    assert!(leaving.delete_request(1_000).is_err());
    assert!(leaving
        .record_mx_answers(&domain("acme.org"), &moved("acme.org"), 20)
        .unwrap());
    // Then the wait: 60 s from when each was seen.
    let refusal = leaving.start_exports(75).unwrap_err();
    assert_eq!(
        refusal.pending(),
        ["acme.org: the old MX's TTL ends in 5 s"]
    );
    assert_eq!(leaving.start_exports(80).unwrap().len(), 4);
}

fn job(n: usize) -> ExportJobId {
    format!("job-{n}").parse().unwrap()
}

#[test]
fn exports_run_n_at_once_resend_the_same_token_and_retry_failures_with_a_new_one() {
    let mut leaving = Leaving::new(setup_plan());
    cut_over(&mut leaving, 0);
    assert_eq!(leaving.next(0), Next::Export);
    let first = leaving.start_exports(0).unwrap();
    assert_eq!(first.len(), 3, "three at once");
    let org = ORG.parse().unwrap();
    assert_eq!(
        first[0].client_token(),
        &export_client_token(&org, first[0].entity_id(), 1)
    );
    // The first is answered; the second hits LimitExceeded; the third gets no answer at all.
    leaving
        .record_started(first[0].client_token(), job(1))
        .unwrap();
    // Nothing more starts while three are in flight; the two unanswered are sent again with
    // the same tokens.
    let again = leaving.start_exports(0).unwrap();
    assert_eq!(again.len(), 2);
    assert_eq!(again[0], first[1]);
    assert_eq!(again[1], first[2]);
    leaving
        .record_started(again[0].client_token(), job(2))
        .unwrap();
    leaving
        .record_started(again[1].client_token(), job(3))
        .unwrap();
    assert_eq!(leaving.jobs_to_poll().len(), 3);
    // Job 1 fails: it is retried with attempt 2's token.
    leaving
        .record_job_state(&job(1), Reported::new("FAILED"), Some("bucket denied"))
        .unwrap();
    let retry = leaving.start_exports(0).unwrap();
    assert_eq!(retry.len(), 1);
    assert_eq!(retry[0].entity_id(), first[0].entity_id());
    assert_eq!(
        retry[0].client_token(),
        &export_client_token(&org, first[0].entity_id(), 2)
    );
    leaving
        .record_started(retry[0].client_token(), job(4))
        .unwrap();
    // Fails again: two attempts is the limit, so it is reported.
    leaving
        .record_job_state(&job(4), Reported::new("FAILED"), Some("bucket denied"))
        .unwrap();
    assert_eq!(leaving.failures(), vec![first[0].entity_id().clone()]);
    // Everything else completes.
    let mut n = 10;
    loop {
        for request in leaving.start_exports(0).unwrap() {
            n += 1;
            leaving
                .record_started(request.client_token(), job(n))
                .unwrap();
        }
        let poll = leaving.jobs_to_poll();
        if poll.is_empty() {
            break;
        }
        for request in poll {
            leaving
                .record_job_state(request.job_id(), ExportJobState::Completed.into(), None)
                .unwrap();
        }
    }
    // 17 mailboxes, one retried: 18 jobs, each id kept.
    assert_eq!(leaving.job_ids().count(), 18);
    assert_eq!(
        leaving.next(0),
        Next::ExportsFailed(vec![first[0].entity_id().clone()])
    );
    // The delete guard names the failure, until it is accepted by name.
    let refusal = leaving.delete_request(0).unwrap_err();
    assert_eq!(refusal.rule(), Rule::LeavingExportsUnfinished);
    assert_eq!(
        refusal.pending(),
        [format!("{}: FAILED", first[0].entity_id())]
    );
    let other: EntityId = "u-enabled-8".parse().unwrap();
    assert!(leaving.accept_failures(&[other]).is_err());
    leaving
        .accept_failures(&[first[0].entity_id().clone()])
        .unwrap();
    assert_eq!(leaving.next(0), Next::Delete);
    // No clean-up before Deleted.
    let refusal = leaving.cleanup_changes().unwrap_err();
    assert_eq!(refusal.rule(), Rule::LeavingNotDeleted);
    let request = leaving.delete_request(0).unwrap();
    assert!(request.force_delete() && !request.delete_directory());
    leaving.record_organization_state(ReportedState::new("Deleting"));
    assert!(leaving.cleanup_changes().is_err());
    leaving.record_organization_state(ReportedState::new("Deleted"));
    assert_eq!(leaving.next(0), Next::RecordDeleted);
    leaving.record_store_done();
    assert_eq!(
        leaving.next(0),
        Next::Cleanup(vec![domain("acme.example"), domain("acme.org")])
    );
    assert_eq!(leaving.cleanup_changes().unwrap().len(), 2);
    leaving.record_cleaned(&domain("acme.example")).unwrap();
    leaving.record_cleaned(&domain("acme.org")).unwrap();
    assert_eq!(leaving.next(0), Next::Done);
}

#[test]
fn a_resumed_document_never_starts_a_mailbox_twice() {
    let mut leaving = Leaving::new(setup_plan());
    cut_over(&mut leaving, 0);
    let sent = leaving.start_exports(0).unwrap();
    leaving
        .record_started(sent[0].client_token(), job(1))
        .unwrap();
    // Killed here: the document as stored, read back.
    let stored = serde_json::to_string(&leaving).unwrap();
    let mut resumed: Leaving = serde_json::from_str(&stored).unwrap();
    assert_eq!(resumed, leaving);
    let again = resumed.start_exports(0).unwrap();
    // The two unanswered are resent with their tokens; no new mailbox starts.
    assert_eq!(again, sent[1..].to_vec());
}

#[test]
fn a_tampered_document_is_refused() {
    let mut leaving = Leaving::new(setup_plan());
    cut_over(&mut leaving, 0);
    let sent = leaving.start_exports(0).unwrap();
    leaving
        .record_started(sent[0].client_token(), job(1))
        .unwrap();
    let mut value = serde_json::to_value(&leaving).unwrap();
    let entity = sent[0].entity_id().as_str();
    value["progress"]["exports"][entity][0]["client_token"] = json!("another-token");
    let err = serde_json::from_value::<Leaving>(value).unwrap_err();
    assert!(
        err.to_string().contains("client token is not the plan's"),
        "{err}"
    );
    let mut value = serde_json::to_value(&leaving).unwrap();
    value["plan"]["steps"][0]["domain"] = json!("evil.example");
    assert!(serde_json::from_value::<Leaving>(value).is_err());
    let mut value = serde_json::to_value(&leaving).unwrap();
    value["progress"]["exports"]["u-never-1"] = value["progress"]["exports"][entity].clone();
    let err = serde_json::from_value::<Leaving>(value).unwrap_err();
    assert!(
        err.to_string().contains("not a mailbox the plan exports"),
        "{err}"
    );
}

#[test]
fn the_plan_round_trips_through_json() {
    let plan = setup_plan();
    let json = serde_json::to_string(&plan).unwrap();
    let back: LeavingPlan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, plan);
}
