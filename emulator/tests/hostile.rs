//! Hostile requests over a real socket: each gets an AWS-shaped error, never a panic or a
//! dropped connection.

mod common;

use std::net::SocketAddr;

use workmail_org_emulator::Emulator;

use common::{authorization, call_headers, config, raw, serve};

#[track_caller]
fn assert_error(answer: &(u16, serde_json::Value), status: u16, kind: &str) {
    assert_eq!(answer.0, status, "{answer:?}");
    assert_eq!(answer.1["__type"], kind, "{answer:?}");
    assert!(
        answer.1["Message"].as_str().is_some_and(|m| !m.is_empty()),
        "{answer:?}"
    );
}

async fn call(
    addr: SocketAddr,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> (u16, serde_json::Value) {
    let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    raw(addr, "/", &headers, body)
        .await
        .expect("an answer, not a broken connection")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_get_aws_shaped_errors() {
    let (addr, _) = serve(Emulator::in_memory(config())).await;
    let auth = authorization("us-east-1");
    let create = call_headers("CreateOrganization", &auth);

    for body in [
        &b"{\"Alias\": "[..],
        b"not json",
        b"[1, 2, 3]",
        b"{\"Alias\": 7}",
        b"{\"Alias\": \"x\", \"Domains\": {\"DomainName\": 1}}",
        b"\xff\xfe\x00",
    ] {
        assert_error(
            &call(addr, &create, body.to_vec()).await,
            400,
            "SerializationException",
        );
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let nested = format!(r#"{{"Alias": "deep", "Extra": {deep}}}"#);
    assert_error(
        &call(addr, &create, nested.into_bytes()).await,
        400,
        "SerializationException",
    );

    let mut wrong_type = create.clone();
    wrong_type[1].1 = "text/plain".to_owned();
    assert_error(
        &call(addr, &wrong_type, b"{}".to_vec()).await,
        400,
        "SerializationException",
    );

    let no_target = vec![create[1].clone(), create[2].clone()];
    assert_error(
        &call(addr, &no_target, b"{}".to_vec()).await,
        400,
        "UnknownOperationException",
    );

    let mut other_service = create.clone();
    other_service[0].1 = "DynamoDB_20120810.ListTables".to_owned();
    assert_error(
        &call(addr, &other_service, b"{}".to_vec()).await,
        400,
        "UnknownOperationException",
    );

    let no_auth = vec![create[0].clone(), create[1].clone()];
    assert_error(
        &call(addr, &no_auth, b"{}".to_vec()).await,
        403,
        "MissingAuthenticationTokenException",
    );

    let mut unsigned = create.clone();
    unsigned[2].1 = "Bearer token".to_owned();
    assert_error(
        &call(addr, &unsigned, b"{}".to_vec()).await,
        403,
        "IncompleteSignatureException",
    );

    let oversized = format!(r#"{{"Alias": "{}"}}"#, "a".repeat(2 << 20));
    assert_error(
        &call(addr, &create, oversized.into_bytes()).await,
        413,
        "RequestEntityTooLargeException",
    );

    assert_error(
        &call(addr, &create, b"{}".to_vec()).await,
        400,
        "InvalidParameterException",
    );
    let describe = call_headers("DescribeOrganization", &auth);
    assert_error(
        &call(
            addr,
            &describe,
            br#"{"OrganizationId": "m-nothex"}"#.to_vec(),
        )
        .await,
        400,
        "InvalidParameterException",
    );
    let list = call_headers("ListOrganizations", &auth);
    assert_error(
        &call(addr, &list, br#"{"MaxResults": 0}"#.to_vec()).await,
        400,
        "InvalidParameterException",
    );
    assert_error(
        &call(addr, &list, br#"{"NextToken": "x"}"#.to_vec()).await,
        400,
        "InvalidParameterException",
    );

    // The server still answers well-formed calls afterwards.
    let created = call(
        addr,
        &create,
        br#"{"Alias": "still-here", "SomeFutureMember": [1]}"#.to_vec(),
    )
    .await;
    assert_eq!(created.0, 200, "{created:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_control_api_refuses_what_it_cannot_read() {
    let (addr, _) = serve(Emulator::in_memory(config())).await;
    let post = |path: &'static str, body: &'static [u8]| async move {
        raw(
            addr,
            path,
            &[("content-type", "application/json")],
            body.to_vec(),
        )
        .await
        .expect("an answer")
    };
    assert_error(
        &post("/_emulator/faults", br#"{"Kind": "Explode"}"#).await,
        400,
        "SerializationException",
    );
    assert_error(
        &post(
            "/_emulator/faults",
            br#"{"Kind": "Throttle", "Operation": "CreateUser"}"#,
        )
        .await,
        400,
        "InvalidParameterException",
    );
    assert_error(
        &post("/_emulator/nothing", b"{}").await,
        404,
        "ResourceNotFoundException",
    );
    assert_eq!(
        post(
            "/_emulator/verification-failures",
            br#"{"DomainName": "a.example"}"#
        )
        .await
        .0,
        200
    );
}
