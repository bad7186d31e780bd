//! The provisioning plan: a plan for every example spec, its phases, serde and resuming.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use workmail_org::plan::{Input, Output, OutputKind, Plan, ResumeError, StepKind};
use workmail_org::OrganizationSpec;

fn spec(json: Value) -> OrganizationSpec {
    serde_json::from_value(json).expect("a valid spec")
}

fn names(plan: &Plan) -> Vec<&'static str> {
    plan.steps().iter().map(|step| step.kind().name()).collect()
}

#[test]
fn every_valid_example_spec_has_a_plan_that_round_trips() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/specs");
    let mut planned = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("valid-") {
            continue;
        }
        let spec: OrganizationSpec =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let plan = Plan::new(&spec);
        // Every plan creates the organization and waits for it, in that order.
        let names = names(&plan);
        let create = names
            .iter()
            .position(|n| *n == "create_organization")
            .unwrap();
        assert_eq!(names[create + 1], "wait_until_active", "{name}");
        // Every later input refers only to earlier steps.
        for (index, step) in plan.steps().iter().enumerate() {
            for (_, input) in step.inputs() {
                if let Input::FromStep { step: source, .. } = input {
                    assert!(
                        *source < index,
                        "{name}: step {index} refers to step {source}"
                    );
                }
            }
        }
        let text = serde_json::to_string(&plan).unwrap();
        assert_eq!(serde_json::from_str::<Plan>(&text).unwrap(), plan, "{name}");
        planned += 1;
    }
    assert!(planned >= 10, "only {planned} example specs planned");
}

#[test]
fn a_spec_that_needs_no_step_in_a_phase_gets_none() {
    let minimal = Plan::new(&spec(json!({"alias": "acme", "region": "us-east-1"})));
    assert_eq!(
        names(&minimal),
        [
            "create_organization",
            "wait_until_active",
            "keep_enabled_user"
        ]
    );

    let route53 = Plan::new(&spec(json!({
        "alias": "acme", "region": "us-east-1",
        "domains": [{"type": "existing_route53", "name": "acme.com", "hosted_zone_id": "Z1"}]
    })));
    assert_eq!(
        names(&route53),
        [
            "create_organization",
            "wait_until_active",
            "wait_until_verified"
        ]
    );
}

#[test]
fn the_full_plan_has_every_phase_in_order() {
    let plan = Plan::new(&spec(json!({
        "alias": "acme", "region": "eu-west-1",
        "domains": [
            {"type": "new_route53", "name": "acme-mail.net"},
            {"type": "external", "name": "acme.org"},
            {"type": "free_test"}
        ],
        "default_domain": "acme.org"
    })));
    assert_eq!(
        names(&plan),
        [
            "register_domain",
            "find_hosted_zone",
            "create_organization",
            "wait_until_active",
            "publish_records",
            "wait_until_verified",
            "wait_until_verified",
            "set_default_domain",
        ]
    );
    let steps = plan.steps();
    assert_eq!(
        steps[0].kind().call(),
        Some("route53domains:RegisterDomain")
    );
    assert!(steps[0]
        .inputs()
        .iter()
        .any(|(_, input)| matches!(input, Input::FromCaller { .. })));
    assert_eq!(
        steps[1].inputs()[1].1,
        Input::FromStep {
            step: 0,
            output: OutputKind::OperationId
        }
    );
    // The request waits for the zone registration creates.
    assert!(steps[2].inputs().iter().any(|(name, input)| name
        == "Domains[acme-mail.net].HostedZoneId"
        && *input
            == Input::FromStep {
                step: 1,
                output: OutputKind::HostedZoneId
            }));
    assert!(!steps[2].inputs().iter().any(|(name, _)| name == "Request"));
    // Every call after creation names the organization by the id creation returns.
    for step in &steps[3..] {
        assert!(step.inputs().contains(&(
            "OrganizationId".to_owned(),
            Input::FromStep {
                step: 2,
                output: OutputKind::OrganizationId
            }
        )));
    }
    assert_eq!(
        steps[7].kind(),
        &StepKind::SetDefaultDomain {
            domain: "acme.org".parse().unwrap()
        }
    );
    assert!(steps[5].kind().done_when().contains("DKIM"));
}

#[test]
fn resuming_resolves_outputs_and_completes_the_request() {
    let plan = Plan::new(&spec(json!({
        "alias": "acme", "region": "us-east-1",
        "domains": [{"type": "new_route53", "name": "acme-mail.net"}],
        "client_token": "t-1"
    })));
    let mut outputs = BTreeMap::from([
        (0, Output::OperationId("op-1".into())),
        (1, Output::HostedZoneId("Z0555".parse().unwrap())),
    ]);
    let rest = plan.resume(2, &outputs).unwrap();
    assert_eq!(rest.len(), plan.steps().len() - 2);
    let request = rest[0]
        .inputs()
        .iter()
        .find_map(|(name, input)| match input {
            Input::Request { request } if name == "Request" => Some(request),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        serde_json::to_value(request).unwrap(),
        json!({"Alias": "acme", "ClientToken": "t-1",
               "Domains": [{"DomainName": "acme-mail.net", "HostedZoneId": "Z0555"}]})
    );

    // After creation, later steps get the organization id.
    outputs.insert(
        2,
        Output::OrganizationId("m-0123456789abcdef0123456789abcdef".parse().unwrap()),
    );
    let rest = plan.resume(3, &outputs).unwrap();
    assert!(rest[0]
        .inputs()
        .iter()
        .any(|(name, input)| name == "OrganizationId"
            && matches!(
                input,
                Input::Resolved {
                    output: Output::OrganizationId(_)
                }
            )));

    // Resuming at the end leaves nothing to do.
    assert!(plan
        .resume(plan.steps().len(), &outputs)
        .unwrap()
        .is_empty());
}

#[test]
fn resuming_refuses_what_does_not_fit() {
    let plan = Plan::new(&spec(json!({
        "alias": "acme", "region": "us-east-1",
        "domains": [{"type": "new_route53", "name": "acme-mail.net"}]
    })));
    let err = plan.resume(99, &BTreeMap::new()).unwrap_err();
    assert!(matches!(err, ResumeError::PastTheEnd { from: 99, .. }));

    let err = plan
        .resume(2, &BTreeMap::from([(0, Output::OperationId("op".into()))]))
        .unwrap_err();
    assert_eq!(
        err,
        ResumeError::MissingOutput {
            step: 1,
            output: OutputKind::HostedZoneId,
            needed_by: 2
        }
    );

    let wrong = BTreeMap::from([
        (0, Output::OperationId("op".into())),
        (
            1,
            Output::OrganizationId("m-0123456789abcdef0123456789abcdef".parse().unwrap()),
        ),
    ]);
    let err = plan.resume(2, &wrong).unwrap_err();
    assert_eq!(
        err.to_string(),
        "step 1 produces a HostedZoneId, but a OrganizationId was given for it"
    );

    let early = BTreeMap::from([(3, Output::OperationId("op".into()))]);
    assert!(matches!(
        plan.resume(1, &early).unwrap_err(),
        ResumeError::UnexpectedOutput {
            step: 3,
            expected: None,
            ..
        }
    ));
}

#[test]
fn a_plan_whose_steps_were_edited_is_refused() {
    let plan = Plan::new(&spec(json!({"alias": "acme", "region": "us-east-1"})));
    let mut document = serde_json::to_value(&plan).unwrap();
    document["steps"].as_array_mut().unwrap().remove(1);
    let err = serde_json::from_value::<Plan>(document).unwrap_err();
    assert!(
        err.to_string().contains("not the ones its spec calls for"),
        "{err}"
    );
}

#[test]
fn each_step_names_its_call_and_a_wrong_call_is_refused() {
    let plan = Plan::new(&spec(json!({"alias": "acme", "region": "us-east-1"})));
    let document = serde_json::to_value(&plan).unwrap();
    let steps = document["steps"].as_array().unwrap();
    let create = steps
        .iter()
        .find(|step| step["step"] == "create_organization")
        .expect("a create step");
    assert_eq!(create["call"], "workmail:CreateOrganization");
    let text = serde_json::to_string(&plan).unwrap();
    assert!(
        text.contains(
            r#"{"step":"create_organization","call":"workmail:CreateOrganization","inputs":"#
        ),
        "{text}"
    );
    for (step, written) in plan.steps().iter().zip(steps) {
        assert_eq!(written["call"].as_str(), step.kind().call(), "{written}");
    }

    let mut edited = document.clone();
    let index = steps
        .iter()
        .position(|step| step["step"] == "create_organization")
        .unwrap();
    edited["steps"][index]["call"] = json!("workmail:DeleteOrganization");
    let err = serde_json::from_value::<Plan>(edited).unwrap_err();
    assert_eq!(
        err.to_string(),
        "step create_organization has call \"workmail:DeleteOrganization\", but its call is \
         \"workmail:CreateOrganization\""
    );
}
