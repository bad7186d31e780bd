//! Leaving WorkMail, the calls: the export job's fields refused with their rules, and every
//! new request and response read back from what it writes (JSON, and the SDK's types).

use serde_json::json;
use workmail_org::aws::{
    DeleteOrganizationRequest, DescribeMailboxExportJobRequest, DescribeMailboxExportJobResponse,
    EntityState, ExportJobState, ListMailDomainsRequest, ListMailDomainsResponse,
    ListMailboxExportJobsRequest, ListMailboxExportJobsResponse, ListResourcesRequest,
    ListResourcesResponse, ListUsersRequest, ListUsersResponse, MailDomainSummary,
    MailboxExportJob, Resource, ResourceType, StartMailboxExportJobRequest,
    StartMailboxExportJobResponse, Timestamp, User, UserRole,
};
use workmail_org::{
    EntityId, ExportDescription, ExportJobId, ParseError, RoleArn, Rule, S3BucketName, S3Prefix,
};

const ORG: &str = "m-0123456789abcdef0123456789abcdef";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROLE: &str = "arn:aws:iam::111122223333:role/workmail-export";

#[track_caller]
fn refused<T: std::str::FromStr<Err = ParseError> + std::fmt::Debug>(input: &str, rule: Rule) {
    let err = input.parse::<T>().expect_err(input);
    assert_eq!(err.rule(), rule, "{input:?}: {err}");
    // The message names the value's kind and never panics on odd input.
    assert!(!err.to_string().is_empty());
}

#[track_caller]
fn accepted<T: std::str::FromStr<Err = ParseError> + std::fmt::Display>(input: &str) {
    let value = input
        .parse::<T>()
        .unwrap_or_else(|err| panic!("{input:?}: {err}"));
    assert_eq!(value.to_string(), input);
}

#[test]
fn the_export_fields_follow_the_api_model() {
    accepted::<EntityId>("jdoe");
    accepted::<EntityId>("j.doe+work_1%x@acme-corp.example");
    accepted::<EntityId>(&"a".repeat(256));
    refused::<EntityId>("", Rule::EntityIdLength);
    refused::<EntityId>(&"a".repeat(257), Rule::EntityIdLength);
    refused::<EntityId>(&"a".repeat(100_000), Rule::EntityIdLength);
    refused::<EntityId>("j doe", Rule::EntityIdCharacter);
    refused::<EntityId>("jdoe/1", Rule::EntityIdCharacter);
    refused::<EntityId>("jdöe", Rule::EntityIdCharacter);

    accepted::<S3BucketName>("acme.exports-1");
    accepted::<S3BucketName>(&"b".repeat(63));
    refused::<S3BucketName>("", Rule::ExportBucketLength);
    refused::<S3BucketName>(&"b".repeat(64), Rule::ExportBucketLength);
    refused::<S3BucketName>("acme_exports", Rule::ExportBucketCharacter);

    accepted::<S3Prefix>("workmail/acme!_.*'()-/");
    accepted::<S3Prefix>(&"p".repeat(1023));
    refused::<S3Prefix>("", Rule::ExportPrefixLength);
    refused::<S3Prefix>(&"p".repeat(1024), Rule::ExportPrefixLength);
    refused::<S3Prefix>("a b", Rule::ExportPrefixCharacter);
    refused::<S3Prefix>("a?b", Rule::ExportPrefixCharacter);

    accepted::<ExportJobId>("0f3e8b9a-1234");
    refused::<ExportJobId>("", Rule::ExportJobIdLength);
    refused::<ExportJobId>(&"j".repeat(64), Rule::ExportJobIdLength);
    refused::<ExportJobId>("job_1", Rule::ExportJobIdCharacter);

    accepted::<ExportDescription>("");
    accepted::<ExportDescription>("leaving WorkMail: jdoe ✓");
    refused::<ExportDescription>(&"d".repeat(1024), Rule::ExportDescriptionLength);

    accepted::<RoleArn>(ROLE);
    accepted::<RoleArn>("arn:aws:iam:us-east-1:111122223333:role/a,b=c@d.e+f_g:h");
    refused::<RoleArn>("arn:aws:iam::1:r", Rule::RoleArnLength);
    refused::<RoleArn>(&format!("{ROLE}{}", "x".repeat(2048)), Rule::RoleArnLength);
    refused::<RoleArn>("arn:aws:s3:::bucket/key-name-is-long", Rule::RoleArnFormat);
    refused::<RoleArn>("arn:aws-cn:iam::111122223333:role/x", Rule::RoleArnFormat);
    refused::<RoleArn>(
        "arn:aws:iam:US-EAST-1:111122223333:role/x",
        Rule::RoleArnFormat,
    );
    refused::<RoleArn>("arn:aws:iam:::role/workmail-export-x", Rule::RoleArnFormat);
    refused::<RoleArn>("arn:aws:iam::111122223333:/role/x", Rule::RoleArnFormat);
    refused::<RoleArn>("arn:aws:iam::111122223333:role/a b", Rule::RoleArnFormat);
    refused::<RoleArn>(
        &format!("arn:aws:iam::111122223333:{}", "r".repeat(1025)),
        Rule::RoleArnFormat,
    );
    let role: RoleArn = ROLE.parse().unwrap();
    assert_eq!(
        (role.account(), role.resource()),
        ("111122223333", "role/workmail-export")
    );
}

#[test]
fn messages_name_the_field_and_the_rule() {
    let err = "j doe".parse::<EntityId>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "entity id \"j doe\": character ' ' at position 1 is not allowed \
         (ASCII letters, digits and . _ % + @ - only)"
    );
    let err = "".parse::<S3BucketName>().unwrap_err();
    assert_eq!(err.rule().id(), "export_bucket.length");
    assert!(err.to_string().starts_with("s3 bucket name \"\""), "{err}");
    // Deserialize re-validates.
    assert!(serde_json::from_value::<S3Prefix>(json!("a b")).is_err());
}

fn start_request() -> StartMailboxExportJobRequest {
    StartMailboxExportJobRequest::new(
        "export-jdoe-1".parse().unwrap(),
        ORG.parse().unwrap(),
        "jdoe@acme.example".parse().unwrap(),
        ROLE.parse().unwrap(),
        KEY.parse().unwrap(),
        "acme-exports".parse().unwrap(),
        "workmail/".parse().unwrap(),
    )
}

#[test]
fn the_requests_write_the_api_body_and_read_it_back() {
    let start = start_request().with_description("leaving".parse().unwrap());
    let json = serde_json::to_value(&start).unwrap();
    assert_eq!(
        json,
        json!({"ClientToken": "export-jdoe-1", "OrganizationId": ORG,
               "EntityId": "jdoe@acme.example", "Description": "leaving", "RoleArn": ROLE,
               "KmsKeyArn": KEY, "S3BucketName": "acme-exports", "S3Prefix": "workmail/"})
    );
    assert_eq!(
        serde_json::from_value::<StartMailboxExportJobRequest>(json.clone()).unwrap(),
        start
    );
    // Every field is re-validated; unknown members are refused.
    let mut bad = json.clone();
    bad["S3Prefix"] = json!("");
    assert!(serde_json::from_value::<StartMailboxExportJobRequest>(bad).is_err());
    let mut extra = json;
    extra["Other"] = json!(1);
    assert!(serde_json::from_value::<StartMailboxExportJobRequest>(extra).is_err());

    let describe =
        DescribeMailboxExportJobRequest::new("job-1".parse().unwrap(), ORG.parse().unwrap());
    let text = serde_json::to_string(&describe).unwrap();
    assert_eq!(
        serde_json::from_str::<DescribeMailboxExportJobRequest>(&text).unwrap(),
        describe
    );

    let org = || ORG.parse().unwrap();
    let users = ListUsersRequest::first_page(org(), 2).unwrap();
    let next = users.next_page("t-2".parse().unwrap());
    let text = serde_json::to_string(&next).unwrap();
    assert_eq!(
        text,
        format!(r#"{{"OrganizationId":"{ORG}","NextToken":"t-2","MaxResults":2}}"#)
    );
    assert_eq!(
        serde_json::from_str::<ListUsersRequest>(&text).unwrap(),
        next
    );
    round_trip(&ListResourcesRequest::first_page(org(), 100).unwrap());
    round_trip(&ListResourcesRequest::new(org()).next_page("r-2".parse().unwrap()));
    round_trip(&ListMailDomainsRequest::new(org()));
    round_trip(&ListMailboxExportJobsRequest::first_page(org(), 1).unwrap());
    round_trip(&describe);
    assert!(ListResourcesRequest::first_page(org(), 0).is_err());
    assert!(ListMailboxExportJobsRequest::first_page(org(), 101).is_err());
    assert!(serde_json::from_value::<ListMailDomainsRequest>(
        json!({"OrganizationId": ORG, "MaxResults": 0})
    )
    .is_err());

    // DeleteOrganization: DeleteDirectory false is valid, DeleteIdentityCenterApplication
    // written when set.
    let delete =
        DeleteOrganizationRequest::new(org(), false).with_delete_identity_center_application(true);
    let json = serde_json::to_value(&delete).unwrap();
    assert_eq!(
        json,
        json!({"OrganizationId": ORG, "DeleteDirectory": false,
               "DeleteIdentityCenterApplication": true})
    );
    assert_eq!(
        serde_json::from_value::<DeleteOrganizationRequest>(json).unwrap(),
        delete
    );
}

#[track_caller]
fn round_trip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&text).unwrap(), value, "{text}");
}

#[test]
fn the_responses_read_back_what_they_write() {
    let at = Timestamp::new(1_767_225_600, 250).unwrap();
    let job_id: ExportJobId = "job-1".parse().unwrap();
    round_trip(&StartMailboxExportJobResponse::new(job_id.clone()));
    let described = DescribeMailboxExportJobResponse::builder()
        .entity_id("jdoe")
        .description("leaving")
        .role_arn(ROLE)
        .kms_key_arn("arn:aws:kms:us-east-1:111122223333:alias/not-a-key-but-kept")
        .s3_bucket_name("acme-exports")
        .s3_prefix("workmail/")
        .s3_path("s3://acme-exports/workmail/job-1.zip")
        .estimated_progress(100)
        .state("COMPLETED")
        .start_time(at)
        .end_time(at)
        .build()
        .unwrap();
    assert_eq!(
        described.state().and_then(|s| s.known()),
        Some(&ExportJobState::Completed)
    );
    assert!(described.kms_key_arn().is_some_and(|k| !k.is_known()));
    round_trip(&described);

    let job = MailboxExportJob::builder(&job_id)
        .entity_id("jdoe")
        .state("PAUSED")
        .estimated_progress(5)
        .start_time(at)
        .build()
        .unwrap();
    assert_eq!(
        job.state().map(|s| s.as_str()),
        Some("PAUSED"),
        "a newer state is kept"
    );
    let page = ListMailboxExportJobsResponse::new(vec![job], Some("n".parse().unwrap())).unwrap();
    round_trip(&page);

    let id: EntityId = "a1b2c3d4-0000-1111-2222-333344445555".parse().unwrap();
    let user = User::builder(&id)
        .name("jdoe")
        .email("jdoe@acme.example")
        .display_name("J. Doe")
        .state("ENABLED")
        .user_role("USER")
        .enabled_date(at)
        .build()
        .unwrap();
    assert!(user.has_mailbox());
    assert_eq!(
        user.user_role().and_then(|r| r.known()),
        Some(&UserRole::User)
    );
    let never = User::builder(&id).state("DISABLED").build().unwrap();
    assert!(!never.has_mailbox(), "never enabled: no mailbox");
    round_trip(&ListUsersResponse::new(vec![user, never], None).unwrap());

    let room_id: EntityId = "r-0123456789abcdef0123456789abcdef".parse().unwrap();
    let room = Resource::builder(&room_id)
        .name("board-room")
        .kind("ROOM")
        .state("ENABLED")
        .enabled_date(at)
        .description("the big one")
        .build()
        .unwrap();
    assert_eq!(
        room.kind().and_then(|k| k.known()),
        Some(&ResourceType::Room)
    );
    assert_eq!(
        room.state().and_then(|s| s.known()),
        Some(&EntityState::Enabled)
    );
    round_trip(&ListResourcesResponse::new(vec![room], Some("r".parse().unwrap())).unwrap());

    let domains = ListMailDomainsResponse::new(
        vec![
            MailDomainSummary::new("acme.awsapps.com", false).unwrap(),
            MailDomainSummary::new("acme.example", true).unwrap(),
        ],
        None,
    )
    .unwrap();
    round_trip(&domains);
    assert!(domains.mail_domains()[0].domain_name().is_known());
}

#[test]
fn malformed_responses_name_the_field() {
    let err =
        serde_json::from_value::<ListUsersResponse>(json!({"Users": [{"Name": "x"}]})).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("ListUsers response: Users[0].Id: missing, but required"),
        "{err}"
    );
    let err = serde_json::from_value::<ListResourcesResponse>(
        json!({"Resources": [{"Id": "r-1", "Name": "n".repeat(257)}]}),
    )
    .unwrap_err();
    assert!(err.to_string().contains("Resources[0].Name"), "{err}");
    let err = serde_json::from_value::<ListMailboxExportJobsResponse>(
        json!({"Jobs": [{"JobId": "job-1", "EstimatedProgress": -1}]}),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("Jobs[0].EstimatedProgress"),
        "{err}"
    );
    let many: Vec<_> = (0..101)
        .map(|n| json!({"DomainName": format!("d{n}.example")}))
        .collect();
    let err = serde_json::from_value::<ListMailDomainsResponse>(json!({"MailDomains": many}))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("MailDomains: 101 entries (at most 100 allowed)"),
        "{err}"
    );
    let err = DescribeMailboxExportJobResponse::builder()
        .role_arn("arn:aws:s3:::nope-nope-nope")
        .build()
        .unwrap_err();
    assert_eq!(err.field(), "RoleArn");
    assert!(serde_json::from_value::<StartMailboxExportJobResponse>(json!({})).is_err());
}

#[cfg(feature = "aws-sdk")]
#[test]
fn the_sdk_types_convert_both_ways() {
    use aws_sdk_workmail::operation::describe_mailbox_export_job::DescribeMailboxExportJobOutput;
    use aws_sdk_workmail::operation::list_mail_domains::ListMailDomainsOutput;
    use aws_sdk_workmail::operation::list_mailbox_export_jobs::ListMailboxExportJobsOutput;
    use aws_sdk_workmail::operation::list_resources::ListResourcesOutput;
    use aws_sdk_workmail::operation::list_users::ListUsersOutput;
    use aws_sdk_workmail::operation::start_mailbox_export_job::StartMailboxExportJobOutput;
    use aws_sdk_workmail::primitives::DateTime;
    use aws_sdk_workmail::types as sdk;

    let input = start_request().to_sdk_builder().build().unwrap();
    assert_eq!(input.client_token(), Some("export-jdoe-1"));
    assert_eq!(input.kms_key_arn(), Some(KEY));
    assert_eq!(input.s3_prefix(), Some("workmail/"));
    let input = ListUsersRequest::first_page(ORG.parse().unwrap(), 5)
        .unwrap()
        .next_page("t".parse().unwrap())
        .to_sdk_builder()
        .build()
        .unwrap();
    assert_eq!(
        (input.next_token(), input.max_results()),
        (Some("t"), Some(5))
    );
    let input = DeleteOrganizationRequest::new(ORG.parse().unwrap(), false)
        .with_delete_identity_center_application(true)
        .to_sdk_builder()
        .build()
        .unwrap();
    assert_eq!(input.delete_directory(), Some(false));
    assert_eq!(input.delete_identity_center_application(), Some(true));

    let started = StartMailboxExportJobOutput::builder()
        .job_id("job-1")
        .build();
    assert_eq!(
        StartMailboxExportJobResponse::try_from(&started)
            .unwrap()
            .job_id()
            .as_str(),
        "job-1"
    );
    let at = DateTime::from_secs(1_767_225_600);
    let described = DescribeMailboxExportJobOutput::builder()
        .entity_id("jdoe")
        .state(sdk::MailboxExportJobState::Running)
        .estimated_progress(30)
        .start_time(at)
        .build();
    let response = DescribeMailboxExportJobResponse::try_from(&described).unwrap();
    assert_eq!(response.estimated_progress(), Some(30));
    assert_eq!(
        response.start_time().map(|t| t.seconds()),
        Some(1_767_225_600)
    );
    let jobs = ListMailboxExportJobsOutput::builder()
        .jobs(
            sdk::MailboxExportJob::builder()
                .job_id("job-1")
                .state(sdk::MailboxExportJobState::from("PAUSED"))
                .build(),
        )
        .next_token("n")
        .build();
    let page = ListMailboxExportJobsResponse::try_from(&jobs).unwrap();
    assert_eq!(page.jobs()[0].state().map(|s| s.as_str()), Some("PAUSED"));
    let users = ListUsersOutput::builder()
        .users(
            sdk::User::builder()
                .id("u-1234567890ab")
                .state(sdk::EntityState::Enabled)
                .enabled_date(at)
                .build(),
        )
        .build();
    assert!(ListUsersResponse::try_from(&users).unwrap().users()[0].has_mailbox());
    let bad = ListUsersOutput::builder()
        .users(sdk::User::builder().name("x").build())
        .build();
    assert_eq!(
        ListUsersResponse::try_from(&bad).unwrap_err().field(),
        "Users[0].Id"
    );
    let resources = ListResourcesOutput::builder()
        .resources(
            sdk::Resource::builder()
                .id("r-0123456789abcdef0123456789abcdef")
                .r#type(sdk::ResourceType::Equipment)
                .build(),
        )
        .build();
    let page = ListResourcesResponse::try_from(&resources).unwrap();
    assert_eq!(
        page.resources()[0].kind().and_then(|k| k.known()),
        Some(&ResourceType::Equipment)
    );
    let domains = ListMailDomainsOutput::builder()
        .mail_domains(
            sdk::MailDomainSummary::builder()
                .domain_name("acme.example")
                .default_domain(true)
                .build(),
        )
        .build();
    assert!(ListMailDomainsResponse::try_from(&domains)
        .unwrap()
        .mail_domains()[0]
        .default_domain());
}
