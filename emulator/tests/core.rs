//! The core without HTTP, call by call: the rules, their order, the lifecycle, the domains.

mod common;

use bytes::Bytes;
use http::{Method, Response};
use serde_json::{json, Value};
use workmail_org::Region;
use workmail_org_emulator::{DropConnection, Emulator};

use common::config;

/// An emulator and the runtime its calls are awaited on, one at a time.
struct Harness {
    emulator: Emulator,
    runtime: tokio::runtime::Runtime,
}

impl Harness {
    fn new(emulator: Emulator) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        Harness { emulator, runtime }
    }

    fn control(&self, method: Method, path: &str, body: &[u8]) -> Response<Bytes> {
        self.runtime
            .block_on(self.emulator.control(&method, path, body))
    }

    #[track_caller]
    fn call(&self, operation: &str, region: Region, body: Value) -> (u16, Value) {
        let response = self.runtime.block_on(self.emulator.call(
            &format!("WorkMailService.{operation}"),
            region,
            body.to_string().as_bytes(),
        ));
        assert!(response.extensions().get::<DropConnection>().is_none());
        let body = serde_json::from_slice(response.body()).expect("a JSON response");
        (response.status().as_u16(), body)
    }

    #[track_caller]
    fn ok(&self, operation: &str, body: Value) -> Value {
        let (status, body) = self.call(operation, Region::UsEast1, body);
        assert_eq!(status, 200, "{operation}: {body}");
        body
    }

    #[track_caller]
    fn error(&self, operation: &str, body: Value) -> (String, String) {
        let (status, body) = self.call(operation, Region::UsEast1, body);
        assert_eq!(status, 400, "{operation}: {body}");
        (
            body["__type"].as_str().unwrap_or_default().to_owned(),
            body["Message"].as_str().unwrap_or_default().to_owned(),
        )
    }

    #[track_caller]
    fn create(&self, body: Value) -> String {
        let created = self.ok("CreateOrganization", body);
        created["OrganizationId"]
            .as_str()
            .expect("an id")
            .to_owned()
    }

    #[track_caller]
    fn state(&self, id: &str) -> String {
        let described = self.ok("DescribeOrganization", json!({ "OrganizationId": id }));
        described["State"].as_str().unwrap_or_default().to_owned()
    }

    /// A new `Active` organization (create_after_polls 1).
    #[track_caller]
    fn active(&self, body: Value) -> String {
        let id = self.create(body);
        assert_eq!(self.state(&id), "Active");
        id
    }
}

fn harness() -> Harness {
    Harness::new(Emulator::in_memory(
        config().create_after_polls(1).verify_after_polls(1),
    ))
}

#[test]
fn one_type_by_precedence_and_every_finding_in_the_message() {
    let h = harness();
    h.create(json!({"Alias": "taken"}));
    // An invalid KMS key (InvalidParameter) and a taken alias (NameAvailability).
    let (kind, message) = h.error(
        "CreateOrganization",
        json!({"Alias": "TAKEN", "KmsKeyArn": "arn:aws:kms:nowhere"}),
    );
    assert_eq!(kind, "InvalidParameterException");
    assert!(
        message.contains("kms_key_arn") && message.contains("alias.taken"),
        "{message}"
    );
    // A taken alias and a directory never seeded: NameAvailability first.
    let (kind, message) = h.error(
        "CreateOrganization",
        json!({"Alias": "taken", "DirectoryId": "d-0123456789"}),
    );
    assert_eq!(kind, "NameAvailabilityException");
    assert!(message.contains("does not exist"), "{message}");
    // The directory alone.
    let (kind, _) = h.error(
        "CreateOrganization",
        json!({"Alias": "fresh", "DirectoryId": "d-0123456789"}),
    );
    assert_eq!(kind, "DirectoryUnavailableException");
    // A malformed directory id is a parameter error.
    let (kind, _) = h.error(
        "CreateOrganization",
        json!({"Alias": "fresh", "DirectoryId": "nope"}),
    );
    assert_eq!(kind, "InvalidParameterException");
}

#[test]
fn seeded_directories_are_used_once_per_region() {
    let h = harness();
    let seed = |alias: &str| {
        let body = json!({"DirectoryId": "d-0123456789", "DirectoryType": "ADConnector", "Alias": alias, "Region": "us-east-1"});
        assert_eq!(
            h.control(Method::POST, "directories", body.to_string().as_bytes())
                .status(),
            200
        );
    };
    seed("dir-one");
    let id = h.active(
        json!({"Alias": "dir-one", "DirectoryId": "d-0123456789", "EnableInteroperability": true}),
    );
    let described = h.ok("DescribeOrganization", json!({ "OrganizationId": id }));
    assert_eq!(described["DirectoryId"], "d-0123456789");
    assert_eq!(described["DirectoryType"], "ADConnector");
    assert_eq!(described["InteroperabilityEnabled"], true);
    seed("dir-two");
    let (kind, _) = h.error(
        "CreateOrganization",
        json!({"Alias": "dir-two", "DirectoryId": "d-0123456789"}),
    );
    assert_eq!(kind, "DirectoryInUseException");
    // Alias mismatch with the directory: what the crate's rule says.
    let (kind, message) = h.error(
        "CreateOrganization",
        json!({"Alias": "other", "DirectoryId": "d-0123456789"}),
    );
    assert!(
        message.contains("directory.alias_mismatch"),
        "{kind}: {message}"
    );
}

#[test]
fn refusals_say_what_aws_says_and_name_no_holder() {
    let h = harness();
    let body = json!({"DirectoryId": "d-0123456789", "DirectoryType": "ADConnector", "Alias": "held", "Region": "us-east-1"});
    h.control(Method::POST, "directories", body.to_string().as_bytes());
    let held = h.active(json!({
        "Alias": "held", "DirectoryId": "d-0123456789",
        "Domains": [{"DomainName": "held.example"}]
    }));
    let body = json!({"DirectoryId": "d-0123456789", "DirectoryType": "ADConnector", "Alias": "other", "Region": "us-east-1"});
    h.control(Method::POST, "directories", body.to_string().as_bytes());
    let other = h.active(json!({"Alias": "plain"}));
    let secrets = [common::ACCOUNT, held.as_str(), "entry"];
    let cases = [
        (
            json!({"Alias": "HELD"}),
            "NameAvailabilityException",
            "alias: organization alias \"held\" is not available [alias.taken, NameAvailability]",
        ),
        (
            json!({"Alias": "fresh", "Domains": [{"DomainName": "HELD.example"}]}),
            "MailDomainInUseException",
            "domains[0].name: domain \"held.example\" is in use [domains.in_use, MailDomainInUse]",
        ),
        (
            json!({"Alias": "other", "DirectoryId": "d-0123456789"}),
            "DirectoryInUseException",
            "directory.directory_id: directory \"d-0123456789\" is in use [directory.in_use, DirectoryInUse]",
        ),
    ];
    for (body, expected_kind, expected) in cases {
        let (kind, message) = h.error("CreateOrganization", body);
        assert_eq!(kind, expected_kind, "{message}");
        assert!(message.contains(expected), "{message}");
        for secret in secrets {
            assert!(!message.contains(secret), "{message} names {secret}");
        }
    }
    let (kind, message) = h.error(
        "RegisterMailDomain",
        json!({"OrganizationId": other, "DomainName": "held.example"}),
    );
    assert_eq!(kind, "MailDomainInUseException");
    assert_eq!(message, "domain \"held.example\" is in use");
}

#[test]
fn client_tokens_decide_retries() {
    let h = harness();
    let first = h.create(json!({"Alias": "tokened", "ClientToken": "t-1"}));
    assert_eq!(
        h.create(json!({"Alias": "tokened", "ClientToken": "t-1"})),
        first
    );
    let (kind, message) = h.error(
        "CreateOrganization",
        json!({"Alias": "tokened", "ClientToken": "t-1", "Domains": [{"DomainName": "tokened.example"}]}),
    );
    assert_eq!(kind, "InvalidParameterException");
    assert!(message.contains("client_token.reused"), "{message}");
}

#[test]
fn organizations_are_listed_per_region_in_pages() {
    let h = harness();
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(h.create(json!({ "Alias": format!("listed-{n}") })));
    }
    let (status, body) = h.call(
        "CreateOrganization",
        Region::EuWest1,
        json!({"Alias": "elsewhere"}),
    );
    assert_eq!(status, 200, "{body}");
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut request = json!({"MaxResults": 2});
        if let Some(token) = &token {
            request["NextToken"] = json!(token);
        }
        let page = h.ok("ListOrganizations", request);
        for summary in page["OrganizationSummaries"].as_array().unwrap() {
            assert_eq!(summary["State"], "Requested");
            seen.push(summary["OrganizationId"].as_str().unwrap().to_owned());
        }
        match page["NextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ids);
}

#[test]
fn deletion_follows_the_rule_and_frees_the_keys() {
    let h = Harness::new(Emulator::in_memory(config().create_after_polls(2)));
    let id = h.create(json!({"Alias": "doomed", "Domains": [{"DomainName": "doomed.example"}]}));
    let (kind, _) = h.error(
        "DeleteOrganization",
        json!({"OrganizationId": id, "DeleteDirectory": true}),
    );
    assert_eq!(
        kind, "OrganizationStateException",
        "Requested cannot be deleted"
    );
    assert_eq!(h.state(&id), "Requested");
    assert_eq!(h.state(&id), "Active");
    let (kind, _) = h.error("DeleteOrganization", json!({"OrganizationId": id}));
    assert_eq!(
        kind, "InvalidParameterException",
        "DeleteDirectory is required"
    );
    // `DeleteDirectory: false` is valid: it keeps the directory.
    let deleting = h.ok(
        "DeleteOrganization",
        json!({"OrganizationId": id, "DeleteDirectory": false}),
    );
    assert_eq!(deleting["State"], "Deleting");
    // Still held while Deleting.
    let (kind, _) = h.error("CreateOrganization", json!({"Alias": "doomed"}));
    assert_eq!(kind, "NameAvailabilityException");
    assert_eq!(h.state(&id), "Deleted");
    assert_eq!(h.state(&id), "Deleted");
    h.create(json!({"Alias": "doomed", "Domains": [{"DomainName": "doomed.example"}]}));
    let (kind, _) = h.error(
        "DescribeOrganization",
        json!({"OrganizationId": "m-00000000000000000000000000000000"}),
    );
    assert_eq!(kind, "OrganizationNotFoundException");
}

#[test]
fn mail_domains_register_verify_and_deregister() {
    let h = harness();
    let id = h.active(json!({"Alias": "domains"}));
    let other = h.active(json!({"Alias": "other-org"}));
    let domain = |name: &str| json!({"OrganizationId": id, "DomainName": name});

    let (kind, _) = h.error("GetMailDomain", domain("new.example"));
    assert_eq!(kind, "MailDomainNotFoundException");
    h.ok("RegisterMailDomain", domain("new.example"));
    h.ok("RegisterMailDomain", domain("new.example"));
    let (kind, _) = h.error(
        "RegisterMailDomain",
        json!({"OrganizationId": other, "DomainName": "NEW.example"}),
    );
    assert_eq!(kind, "MailDomainInUseException");
    let (kind, _) = h.error("RegisterMailDomain", domain("bad_domain.example"));
    assert_eq!(kind, "InvalidParameterException");

    let got = h.ok("GetMailDomain", domain("new.example"));
    assert_eq!(got["OwnershipVerificationStatus"], "VERIFIED");
    assert_eq!(got["IsTestDomain"], false);
    assert_eq!(got["Records"].as_array().map(Vec::len), Some(8), "{got}");
    let test = h.ok("GetMailDomain", domain("domains.awsapps.com"));
    assert_eq!(test["IsTestDomain"], true);
    assert_eq!(test["IsDefault"], true);

    h.ok("UpdateDefaultMailDomain", domain("new.example"));
    let (kind, _) = h.error("DeregisterMailDomain", domain("new.example"));
    assert_eq!(kind, "MailDomainInUseException", "the default cannot go");
    h.ok("UpdateDefaultMailDomain", domain("domains.awsapps.com"));
    h.ok("DeregisterMailDomain", domain("new.example"));
    h.ok("DeregisterMailDomain", domain("new.example"));
    h.ok(
        "RegisterMailDomain",
        json!({"OrganizationId": other, "DomainName": "new.example"}),
    );

    // A domain whose verification was made to fail.
    h.control(
        Method::POST,
        "verification-failures",
        br#"{"DomainName": "failing.example"}"#,
    );
    h.ok("RegisterMailDomain", domain("failing.example"));
    let got = h.ok("GetMailDomain", domain("failing.example"));
    assert_eq!(got["OwnershipVerificationStatus"], "FAILED");
    let (kind, message) = h.error("UpdateDefaultMailDomain", domain("failing.example"));
    assert_eq!(kind, "MailDomainStateException");
    assert!(message.contains("FAILED"), "{message}");

    let listed = h.ok(
        "ListMailDomains",
        json!({"OrganizationId": id, "MaxResults": 1}),
    );
    assert_eq!(
        listed["MailDomains"],
        json!([{"DomainName": "domains.awsapps.com", "DefaultDomain": true}])
    );
    let rest = h.ok(
        "ListMailDomains",
        json!({"OrganizationId": id, "NextToken": listed["NextToken"]}),
    );
    assert_eq!(
        rest["MailDomains"],
        json!([{"DomainName": "failing.example", "DefaultDomain": false}])
    );
    assert!(rest.get("NextToken").is_none());
}

#[test]
fn mail_domains_need_an_active_organization() {
    let h = Harness::new(Emulator::in_memory(config().create_after_polls(5)));
    let id = h.create(json!({"Alias": "pending"}));
    let (kind, message) = h.error(
        "RegisterMailDomain",
        json!({"OrganizationId": id, "DomainName": "a.example"}),
    );
    assert_eq!(kind, "OrganizationStateException");
    assert!(message.contains("Requested"), "{message}");
}

#[test]
fn throttling_is_answered_before_the_call() {
    let h = harness();
    h.control(
        Method::POST,
        "faults",
        br#"{"Kind": "Throttle", "Operation": "CreateOrganization"}"#,
    );
    let (kind, _) = h.error("CreateOrganization", json!({"Alias": "throttled"}));
    assert_eq!(kind, "ThrottlingException");
    h.create(json!({"Alias": "throttled"}));
}
