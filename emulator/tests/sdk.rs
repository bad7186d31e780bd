//! The Rust AWS SDK against the emulator: over loopback, and in process.

mod common;

use aws_sdk_workmail::error::ProvideErrorMetadata;
use aws_sdk_workmail::types::{DnsRecordVerificationStatus, Domain};
use http::Method;
use workmail_org::aws::CreateOrganization;
use workmail_org::aws::GetMailDomainResponse;
use workmail_org::plan::{Plan, StepKind};
use workmail_org::{DomainName, OrganizationDraft, Region};
use workmail_org_emulator::Emulator;

use common::{config, loopback_client, serve};

/// Sends the crate's `CreateOrganization` call through the SDK.
async fn create(
    client: &aws_sdk_workmail::Client,
    call: &CreateOrganization,
) -> Result<
    String,
    aws_sdk_workmail::error::SdkError<
        aws_sdk_workmail::operation::create_organization::CreateOrganizationError,
    >,
> {
    let request = call.request();
    let mut builder = client.create_organization().alias(request.alias().as_str());
    if let Some(token) = request.client_token() {
        builder = builder.client_token(token.as_str());
    }
    for domain in request.domains() {
        let mut sdk = Domain::builder().domain_name(domain.domain_name().as_str());
        if let Some(zone) = domain.hosted_zone_id() {
            sdk = sdk.hosted_zone_id(zone.as_str());
        }
        builder = builder.domains(sdk.build().expect("a domain name is set"));
    }
    let output = builder.send().await?;
    Ok(output.organization_id().unwrap_or_default().to_owned())
}

async fn describe_state(client: &aws_sdk_workmail::Client, id: &str) -> String {
    let output = client
        .describe_organization()
        .organization_id(id)
        .send()
        .await
        .expect("DescribeOrganization");
    output.state().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_to_end_spec_plan_create_verify_default_delete() {
    let (addr, _) = serve(Emulator::in_memory(
        config().create_after_polls(3).verify_after_polls(2),
    ))
    .await;
    let client = loopback_client(addr, "eu-west-1");

    // 1. spec -> plan -> create.
    let mut draft = OrganizationDraft::new("acme-e2e", "eu-west-1");
    draft
        .domains
        .push(workmail_org::spec::DomainDraft::External {
            name: "acme-e2e.example".into(),
        });
    draft.default_domain = Some("acme-e2e.example".into());
    draft.client_token = Some("create-acme-e2e-1".into());
    let spec = draft.validate().expect("a valid spec");
    let plan = Plan::new(&spec);
    let kinds: Vec<&str> = plan.steps().iter().map(|step| step.kind().name()).collect();
    assert_eq!(
        kinds,
        [
            "create_organization",
            "wait_until_active",
            "publish_records",
            "wait_until_verified",
            "set_default_domain"
        ]
    );
    assert!(matches!(
        plan.steps()[0].kind(),
        StepKind::CreateOrganization
    ));
    let call = CreateOrganization::new(&spec).expect("the call");
    let id = create(&client, &call).await.expect("created");
    assert!(id.starts_with("m-") && id.len() == 34, "{id}");

    // 2. Poll until Active: Requested, Creating, Active.
    let mut states = Vec::new();
    for _ in 0..3 {
        states.push(describe_state(&client, &id).await);
    }
    assert_eq!(states, ["Requested", "Creating", "Active"]);
    let described = client
        .describe_organization()
        .organization_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.alias(), Some("acme-e2e"));
    assert_eq!(
        described.default_mail_domain(),
        Some("acme-e2e.awsapps.com")
    );
    assert_eq!(
        described.arn(),
        Some(format!("arn:aws:workmail:eu-west-1:111122223333:organization/{id}").as_str())
    );
    assert!(described.completed_date().is_some());

    // 3. GetMailDomain, read the zone lines back.
    let get = || {
        client
            .get_mail_domain()
            .organization_id(&id)
            .domain_name("acme-e2e.example")
            .send()
    };
    let first = get().await.expect("GetMailDomain");
    assert_eq!(
        first.ownership_verification_status(),
        Some(&DnsRecordVerificationStatus::Pending)
    );
    let mut response = GetMailDomainResponse::builder()
        .is_default(first.is_default())
        .ownership_verification_status(first.ownership_verification_status().map(|s| s.as_str()));
    for record in first.records() {
        response = response.record(record.r#type(), record.hostname(), record.value());
    }
    let response = response.build().expect("a well-formed response");
    let domain: DomainName = "acme-e2e.example".parse().unwrap();
    let listed = response
        .listed_records(&domain, Region::EuWest1)
        .expect("the tokens");
    assert!(
        listed.differences().is_empty(),
        "{:?}",
        listed.differences()
    );
    let zone = listed.required().to_zone_snippet();
    let token = listed.tokens().verification().as_str();
    assert!(
        zone.contains(&format!(
            "_amazonses.acme-e2e.example. 3600 IN TXT \"{token}\""
        )),
        "{zone}"
    );
    assert!(
        zone.contains("acme-e2e.example. 3600 IN MX 10 inbound-smtp.eu-west-1.amazonaws.com."),
        "{zone}"
    );
    assert_eq!(listed.tokens().dkim().len(), 3);

    // 4. Not verified yet: UpdateDefaultMailDomain is refused; verified on the next poll.
    let update = || {
        client
            .update_default_mail_domain()
            .organization_id(&id)
            .domain_name("acme-e2e.example")
            .send()
    };
    let refused = update().await.expect_err("not verified yet");
    assert_eq!(refused.code(), Some("MailDomainStateException"));
    let second = get().await.expect("GetMailDomain");
    assert_eq!(
        second.ownership_verification_status(),
        Some(&DnsRecordVerificationStatus::Verified)
    );
    assert_eq!(
        second.records(),
        first.records(),
        "the tokens stay the same"
    );
    update().await.expect("the default domain");
    let described = client
        .describe_organization()
        .organization_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.default_mail_domain(), Some("acme-e2e.example"));
    let domains = client
        .list_mail_domains()
        .organization_id(&id)
        .send()
        .await
        .unwrap();
    let listed: Vec<(&str, bool)> = domains
        .mail_domains()
        .iter()
        .map(|d| (d.domain_name().unwrap_or_default(), d.default_domain()))
        .collect();
    assert_eq!(
        listed,
        [("acme-e2e.awsapps.com", false), ("acme-e2e.example", true)]
    );

    // 5. Delete until Deleted; the alias and the domain are free again.
    let deleted = client
        .delete_organization()
        .organization_id(&id)
        .delete_directory(true)
        .send()
        .await
        .expect("DeleteOrganization");
    assert_eq!(deleted.state(), Some("Deleting"));
    assert_eq!(describe_state(&client, &id).await, "Deleted");
    let again = CreateOrganization::new(
        &OrganizationDraft {
            client_token: None,
            ..draft
        }
        .validate()
        .unwrap(),
    )
    .unwrap();
    let new_id = create(&client, &again)
        .await
        .expect("the alias and domain are free");
    assert_ne!(new_id, id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_answer_is_retried_with_the_same_client_token() {
    let (addr, emulator) = serve(Emulator::in_memory(config())).await;
    let fault = emulator
        .control(
            &Method::POST,
            "faults",
            br#"{"Kind": "DropAfter", "Operation": "CreateOrganization"}"#,
        )
        .await;
    assert_eq!(fault.status(), 200);
    let (client, sent) = counted_client(addr);
    // No ClientToken set: the SDK makes one and sends it on every attempt.
    let output = client
        .create_organization()
        .alias("retried-corp")
        .send()
        .await
        .expect("the retry gets the organization made by the dropped attempt");
    assert_eq!(
        sent.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "dropped, then retried"
    );
    let id = output.organization_id().unwrap();
    let list = client.list_organizations().send().await.unwrap();
    let ids: Vec<&str> = list
        .organization_summaries()
        .iter()
        .filter_map(|s| s.organization_id())
        .collect();
    assert_eq!(ids, [id], "one organization, made once");
}

/// A loopback client whose requests are counted.
fn counted_client(
    addr: std::net::SocketAddr,
) -> (
    aws_sdk_workmail::Client,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = common::Counted {
        inner: common::Loopback,
        sent: sent.clone(),
    };
    (
        common::client(counted, &format!("http://{addr}"), "us-east-1"),
        sent,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_after_the_call_is_retried_too() {
    let (addr, emulator) = serve(Emulator::in_memory(config())).await;
    emulator
        .control(
            &Method::POST,
            "faults",
            br#"{"Kind": "ServerErrorAfter", "Count": 2}"#,
        )
        .await;
    let (client, sent) = counted_client(addr);
    let output = client
        .create_organization()
        .alias("flaky-corp")
        .send()
        .await;
    assert!(output.is_ok(), "{output:?}");
    assert_eq!(sent.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_clients_race_for_one_alias_and_one_wins() {
    let (addr, _) = serve(Emulator::in_memory(config())).await;
    let attempts = (0..16).map(|n| {
        let client = loopback_client(addr, if n % 2 == 0 { "us-east-1" } else { "us-west-2" });
        tokio::spawn(async move { client.create_organization().alias("contested").send().await })
    });
    let mut won = 0;
    let mut codes = Vec::new();
    for attempt in attempts {
        match attempt.await.expect("the task") {
            Ok(_) => won += 1,
            Err(err) => codes.push(err.code().map(str::to_owned)),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(codes.len(), 15);
    assert!(
        codes
            .iter()
            .all(|code| code.as_deref() == Some("NameAvailabilityException")),
        "{codes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_arrive_as_the_sdk_models_them() {
    let (addr, emulator) = serve(Emulator::in_memory(config().create_after_polls(1))).await;
    let client = loopback_client(addr, "us-east-1");
    let first = client
        .create_organization()
        .alias("first-corp")
        .domains(
            Domain::builder()
                .domain_name("shared.example")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let id = first.organization_id().unwrap();

    // MailDomainInUse is not declared for CreateOrganization: unmodelled, code readable.
    let err = client
        .create_organization()
        .alias("second-corp")
        .domains(
            Domain::builder()
                .domain_name("shared.example")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("MailDomainInUseException"));
    let service = err.into_service_error();
    assert!(!service.is_invalid_parameter_exception() && !service.is_name_availability_exception());

    // Findings of several kinds: one __type by precedence, every finding in the message.
    let err = client
        .create_organization()
        .alias("first-corp")
        .directory_id("d-1234567890")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NameAvailabilityException"));
    let message = err.message().unwrap_or_default().to_owned();
    assert!(
        message.contains("alias.taken") && message.contains("d-1234567890"),
        "{message}"
    );

    // A seeded directory in another Region: DirectoryUnavailable.
    emulator.control(
        &Method::POST,
        "directories",
        br#"{"DirectoryId": "d-1234567890", "DirectoryType": "SimpleAD", "Alias": "dir-corp", "Region": "eu-west-1"}"#,
    ).await;
    let err = client
        .create_organization()
        .alias("dir-corp")
        .directory_id("d-1234567890")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("DirectoryUnavailableException"));

    // An organization in another Region is not found there.
    let elsewhere = loopback_client(addr, "eu-west-1");
    let err = elsewhere
        .describe_organization()
        .organization_id(id)
        .send()
        .await
        .unwrap_err();
    assert!(err
        .into_service_error()
        .is_organization_not_found_exception());

    // Another WorkMail operation is named as not emulated.
    let err = client
        .list_groups()
        .organization_id(id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnsupportedOperationException"));
    assert!(err.message().unwrap_or_default().contains("ListGroups"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limit_exceeded_is_retried_as_throttling_then_returned() {
    let (addr, emulator) = serve(Emulator::in_memory(config())).await;
    assert_eq!(
        emulator
            .control(&Method::POST, "quota", br#"{"Limit": 1}"#)
            .await
            .status(),
        200
    );
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = common::Counted {
        inner: common::Loopback,
        sent: sent.clone(),
    };
    let client = common::client(counted, &format!("http://{addr}"), "us-east-1");
    client
        .create_organization()
        .alias("only-one")
        .send()
        .await
        .unwrap();
    assert_eq!(sent.load(std::sync::atomic::Ordering::SeqCst), 1);
    let err = client
        .create_organization()
        .alias("one-too-many")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("LimitExceededException"));
    // Three attempts: the SDK classified it as throttling and retried it twice.
    assert_eq!(sent.load(std::sync::atomic::Ordering::SeqCst), 4);
    // A modelled error that is not throttling is sent once.
    let err = client
        .create_organization()
        .alias("only-one")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NameAvailabilityException"));
    assert_eq!(sent.load(std::sync::atomic::Ordering::SeqCst), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_core_serves_the_sdk_in_process() {
    let emulator = std::sync::Arc::new(Emulator::in_memory(config().create_after_polls(1)));
    let client = common::client(
        common::InProcess(emulator.clone()),
        "http://in-process",
        "us-west-2",
    );
    let id = client
        .create_organization()
        .alias("in-process")
        .send()
        .await
        .unwrap();
    let id = id.organization_id().unwrap();
    assert_eq!(describe_state(&client, id).await, "Active");
    emulator
        .control(
            &Method::POST,
            "faults",
            br#"{"Kind": "Throttle", "Count": 1}"#,
        )
        .await;
    // Throttled once, retried by the SDK.
    assert_eq!(describe_state(&client, id).await, "Active");
    emulator
        .control(&Method::POST, "faults", br#"{"Kind": "FailNextCreation"}"#)
        .await;
    let doomed = client
        .create_organization()
        .alias("doomed")
        .send()
        .await
        .unwrap();
    let doomed = client
        .describe_organization()
        .organization_id(doomed.organization_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(doomed.state(), Some("Failed"));
    assert!(doomed.error_message().is_some());
}
