//! Public-API tests of the organization lifecycle, checked against the WorkMail facts sheet
//! (`shared/spec/FACTS.md`, "Organization states"), written out here independently of the
//! crate's own table.

use std::collections::VecDeque;

use proptest::prelude::*;
use workmail_org::lifecycle::{
    diagram, typestate, AnyDeletionError, AnyOrganization, AnyTransitionError, DeletionError,
    DeletionErrorKind, DeletionRequest, InvalidOrganizationState, LifecycleEvent, ObserveError,
    Operation, OrganizationState, ReportedState, StateMismatchError, Transition, TransitionError,
    TypedDeletionError, TypedOrganization, UnknownState,
};

/// The facts sheet's table, row for row, in its order.
const FACTS: &[(&str, &[&str])] = &[
    ("Requested", &["Creating", "Failed"]),
    ("Creating", &["Validating", "Active", "Failed"]),
    ("Validating", &["Active", "Impaired"]),
    (
        "Active",
        &["Validating", "Impaired", "Inactive", "Deleting"],
    ),
    (
        "Impaired",
        &["Active", "Validating", "Inactive", "Deleting"],
    ),
    ("Inactive", &["Validating", "Deleting"]),
    ("Failed", &["Deleting"]),
    ("Deleting", &["Deleted"]),
    ("Deleted", &[]),
];

/// The states from which the facts sheet's table reaches `Deleting`.
const DELETABLE: &[&str] = &["Active", "Impaired", "Inactive", "Failed"];

const KNOWN_LIST: &str =
    "Requested, Creating, Validating, Active, Impaired, Inactive, Failed, Deleting, Deleted";

#[track_caller]
fn state(name: &str) -> OrganizationState {
    match name.parse() {
        Ok(state) => state,
        Err(err) => panic!("{name:?} should parse: {err}"),
    }
}

fn facts_row(from: &str) -> &'static [&'static str] {
    FACTS
        .iter()
        .find(|(name, _)| *name == from)
        .map_or(&[], |(_, row)| row)
}

fn facts_allow(from: OrganizationState, to: OrganizationState) -> bool {
    facts_row(from.as_str()).contains(&to.as_str())
}

/// Shortest number of moves from `from` to every state, by breadth-first search over FACTS.
fn facts_distances(from: &str) -> Vec<(&'static str, usize)> {
    let start = FACTS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| *name == from)
        .unwrap_or_default();
    let mut distances = vec![(start, 0)];
    let mut queue = VecDeque::from([(start, 0)]);
    while let Some((at, d)) = queue.pop_front() {
        for &next in facts_row(at) {
            if distances.iter().all(|(seen, _)| *seen != next) {
                distances.push((next, d + 1));
                queue.push_back((next, d + 1));
            }
        }
    }
    distances
}

#[track_caller]
fn assert_message(err: &dyn std::error::Error, expected: &str) {
    assert_eq!(err.to_string(), expected);
}

// ----- the 9 x 9 matrix ------------------------------------------------------------------

#[test]
fn the_facts_table_names_every_state_once_in_all_order() {
    let names: Vec<_> = FACTS.iter().map(|(name, _)| *name).collect();
    let all: Vec<_> = OrganizationState::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(names, all);
}

#[test]
fn every_move_of_the_matrix_matches_the_facts_table() {
    let mut checked = 0;
    for &(from_name, row) in FACTS {
        let from = state(from_name);
        for &(to_name, _) in FACTS {
            let to = state(to_name);
            let expected = row.contains(&to_name);
            assert_eq!(
                from.can_transition_to(to),
                expected,
                "{from_name} -> {to_name}"
            );
            match from.transition_to(to) {
                Ok(reached) => {
                    assert!(expected, "{from_name} -> {to_name} should be rejected");
                    assert_eq!(reached, to);
                }
                Err(err) => {
                    assert!(!expected, "{from_name} -> {to_name} should be allowed");
                    assert_eq!((err.from(), err.to(), err.event()), (from, to, None));
                    let allowed: Vec<_> = err.allowed().iter().map(|s| s.as_str()).collect();
                    assert_eq!(allowed, row);
                    let reason = if row.is_empty() {
                        format!(": {from_name} is terminal")
                    } else {
                        format!(" (allowed: {})", row.join(", "))
                    };
                    assert_message(
                        &err,
                        &format!("cannot move organization from {from_name} to {to_name}{reason}"),
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 81);
}

#[test]
fn allowed_next_lists_the_facts_row_in_order() {
    for &(from, row) in FACTS {
        let next: Vec<_> = state(from)
            .allowed_next()
            .iter()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(next, row, "{from}");
        assert_eq!(state(from).is_terminal(), row.is_empty(), "{from}");
    }
}

#[test]
fn allowed_previous_inverts_the_facts_table() {
    for &(to, _) in FACTS {
        let expected: Vec<_> = FACTS
            .iter()
            .filter(|(_, row)| row.contains(&to))
            .map(|(from, _)| *from)
            .collect();
        let previous: Vec<_> = state(to)
            .allowed_previous()
            .iter()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(previous, expected, "{to}");
    }
}

#[test]
fn pinned_transition_messages() {
    let s = OrganizationState::Requested;
    assert_message(
        &s.transition_to(OrganizationState::Active).unwrap_err(),
        "cannot move organization from Requested to Active (allowed: Creating, Failed)",
    );
    assert_message(
        &OrganizationState::Deleted
            .transition_to(OrganizationState::Active)
            .unwrap_err(),
        "cannot move organization from Deleted to Active: Deleted is terminal",
    );
    assert_message(
        &s.apply(LifecycleEvent::Deactivated).unwrap_err(),
        "cannot move organization from Requested to Inactive by event Deactivated \
         (allowed: Creating, Failed)",
    );
    assert_message(
        &OrganizationState::Active
            .transition_to(OrganizationState::Active)
            .unwrap_err(),
        "cannot move organization from Active to Active \
         (allowed: Validating, Impaired, Inactive, Deleting)",
    );
}

// ----- events ----------------------------------------------------------------------------

/// Every edge of the facts table with the event this crate names for it.
const EVENT_EDGES: &[(&str, LifecycleEvent, &str)] = &[
    ("Requested", LifecycleEvent::CreationStarted, "Creating"),
    ("Requested", LifecycleEvent::CreationFailed, "Failed"),
    ("Creating", LifecycleEvent::ValidationStarted, "Validating"),
    ("Creating", LifecycleEvent::CreationCompleted, "Active"),
    ("Creating", LifecycleEvent::CreationFailed, "Failed"),
    ("Validating", LifecycleEvent::HealthCheckPassed, "Active"),
    ("Validating", LifecycleEvent::IssueDetected, "Impaired"),
    ("Active", LifecycleEvent::ValidationStarted, "Validating"),
    ("Active", LifecycleEvent::IssueDetected, "Impaired"),
    ("Active", LifecycleEvent::Deactivated, "Inactive"),
    ("Active", LifecycleEvent::DeletionRequested, "Deleting"),
    ("Impaired", LifecycleEvent::Recovered, "Active"),
    ("Impaired", LifecycleEvent::ValidationStarted, "Validating"),
    ("Impaired", LifecycleEvent::Deactivated, "Inactive"),
    ("Impaired", LifecycleEvent::DeletionRequested, "Deleting"),
    ("Inactive", LifecycleEvent::Reactivated, "Validating"),
    ("Inactive", LifecycleEvent::DeletionRequested, "Deleting"),
    ("Failed", LifecycleEvent::DeletionRequested, "Deleting"),
    ("Deleting", LifecycleEvent::DeletionCompleted, "Deleted"),
];

#[test]
fn events_cover_exactly_the_facts_edges() {
    let pairs: usize = FACTS.iter().map(|(_, row)| row.len()).sum();
    assert_eq!(EVENT_EDGES.len(), pairs);
    for &(from, event, to) in EVENT_EDGES {
        assert!(facts_row(from).contains(&to), "{from} -> {to}");
        assert_eq!(event.target().as_str(), to, "{event}");
        assert!(event.sources().contains(&state(from)), "{event}");
    }
    for &from in OrganizationState::ALL {
        for &event in LifecycleEvent::ALL {
            let expected = EVENT_EDGES
                .iter()
                .find(|(f, e, _)| *f == from.as_str() && *e == event)
                .map(|(_, _, to)| state(to));
            assert_eq!(from.apply(event).ok(), expected, "{from} by {event}");
        }
    }
}

#[test]
fn transitions_constant_lists_the_facts_edges() {
    let listed: Vec<_> = workmail_org::lifecycle::TRANSITIONS
        .iter()
        .map(|t: &Transition| (t.from().as_str(), t.event(), t.to().as_str()))
        .collect();
    assert_eq!(listed, EVENT_EDGES);
}

// ----- random walks: the run-time and typed forms agree ----------------------------------

/// A deletion request that passes whatever the number of enabled users.
const FORCED: DeletionRequest = DeletionRequest::new()
    .with_delete_directory(true)
    .with_force_delete(true);

/// Applies `event` through the typed methods only; `None` when the state has no such method
/// (or, for a deletion, when the forced request is refused, which it never should be).
fn typed_apply(org: AnyOrganization<u32>, event: LifecycleEvent) -> Option<AnyOrganization<u32>> {
    use AnyOrganization as A;
    use LifecycleEvent as E;
    Some(match (org, event) {
        (A::Requested(o), E::CreationStarted) => o.start_creation().into(),
        (A::Requested(o), E::CreationFailed) => o.fail_creation().into(),
        (A::Creating(o), E::ValidationStarted) => o.start_validation().into(),
        (A::Creating(o), E::CreationCompleted) => o.complete_creation().into(),
        (A::Creating(o), E::CreationFailed) => o.fail_creation().into(),
        (A::Validating(o), E::HealthCheckPassed) => o.pass_health_check().into(),
        (A::Validating(o), E::IssueDetected) => o.detect_issue().into(),
        (A::Active(o), E::ValidationStarted) => o.start_validation().into(),
        (A::Active(o), E::IssueDetected) => o.detect_issue().into(),
        (A::Active(o), E::Deactivated) => o.deactivate().into(),
        (A::Active(o), E::DeletionRequested) => o.request_deletion(&FORCED, 3).ok()?.into(),
        (A::Impaired(o), E::Recovered) => o.recover().into(),
        (A::Impaired(o), E::ValidationStarted) => o.start_validation().into(),
        (A::Impaired(o), E::Deactivated) => o.deactivate().into(),
        (A::Impaired(o), E::DeletionRequested) => o.request_deletion(&FORCED, 3).ok()?.into(),
        (A::Inactive(o), E::Reactivated) => o.reactivate().into(),
        (A::Inactive(o), E::DeletionRequested) => o.request_deletion(&FORCED, 3).ok()?.into(),
        (A::Failed(o), E::DeletionRequested) => o.request_deletion(&FORCED, 3).ok()?.into(),
        (A::Deleting(o), E::DeletionCompleted) => o.complete_deletion().into(),
        _ => return None,
    })
}

fn any_state() -> impl Strategy<Value = OrganizationState> {
    proptest::sample::select(OrganizationState::ALL)
}

fn any_event() -> impl Strategy<Value = LifecycleEvent> {
    proptest::sample::select(LifecycleEvent::ALL)
}

fn any_request() -> impl Strategy<Value = DeletionRequest> {
    (any::<bool>(), any::<bool>()).prop_map(|(directory, force)| {
        DeletionRequest::new()
            .with_delete_directory(directory)
            .with_force_delete(force)
    })
}

proptest! {
    #[test]
    fn random_event_sequences_stay_in_the_table(
        start in any_state(),
        events in proptest::collection::vec(any_event(), 0..40),
        data in any::<u32>(),
    ) {
        let mut state = start;
        let mut any = AnyOrganization::new(start, data);
        let mut typed = Some(AnyOrganization::new(start, data));
        for event in events {
            let run_time = state.apply(event);
            match run_time {
                Ok(next) => prop_assert!(facts_allow(state, next), "{} -> {}", state, next),
                Err(err) => {
                    prop_assert_eq!(err.from(), state);
                    prop_assert_eq!(err.event(), Some(event));
                }
            }
            let by_typed = typed.take().and_then(|org| typed_apply(org, event));
            prop_assert_eq!(by_typed.as_ref().map(AnyOrganization::state), run_time.ok());
            any = match any.apply(event) {
                Ok(moved) => moved,
                Err(rejected) => {
                    prop_assert_eq!(*rejected.error(), run_time.unwrap_err());
                    rejected.into_organization()
                }
            };
            if let Ok(next) = run_time {
                state = next;
            }
            prop_assert_eq!(any.state(), state);
            prop_assert_eq!(*any.data(), data);
            typed = Some(by_typed.unwrap_or_else(|| AnyOrganization::new(state, data)));
        }
    }

    #[test]
    fn observe_accepts_exactly_the_reachable_states(from in any_state(), seen in any_state()) {
        let distances = facts_distances(from.as_str());
        let distance = distances.iter().find(|(name, _)| *name == seen.as_str()).map(|(_, d)| *d);
        match from.observe(seen) {
            Ok(path) => {
                prop_assert_eq!(Some(path.len()), distance);
                let mut at = from;
                for edge in path {
                    prop_assert_eq!(edge.from(), at);
                    prop_assert!(facts_allow(at, edge.to()));
                    at = edge.to();
                }
                prop_assert_eq!(at, seen);
            }
            Err(err) => {
                prop_assert_eq!(distance, None);
                prop_assert_eq!((err.current(), err.seen()), (from, seen));
            }
        }
    }

    #[test]
    fn every_deletion_path_enforces_the_same_rule(
        start in any_state(),
        request in any_request(),
        enabled_users in 0_usize..4,
    ) {
        let allowed = DELETABLE.contains(&start.as_str())
            && request.delete_directory()
            && (enabled_users == 0 || request.force_delete());
        let by_state = start.request_deletion(&request, enabled_users);
        prop_assert_eq!(by_state.is_ok(), allowed);
        prop_assert_eq!(by_state.err(), start.check_deletion(&request, enabled_users).err());
        match AnyOrganization::new(start, 9_u8).request_deletion(&request, enabled_users) {
            Ok(moved) => {
                prop_assert!(allowed);
                prop_assert_eq!(moved.state(), OrganizationState::Deleting);
                prop_assert_eq!(moved.into_data(), 9);
            }
            Err(refused) => {
                prop_assert!(!allowed);
                prop_assert_eq!(Err(*refused.error()), by_state);
                prop_assert_eq!(refused.into_organization(), AnyOrganization::new(start, 9));
            }
        }
    }

    #[test]
    fn lenient_parsing_never_loses_a_string(s in ".*") {
        let reported = ReportedState::from(s.as_str());
        prop_assert_eq!(reported.as_str(), s.as_str());
        prop_assert_eq!(reported.to_string(), s.clone());
        prop_assert_eq!(reported.known(), s.parse::<OrganizationState>().ok());
        prop_assert_eq!(reported.clone(), ReportedState::from(s.clone()));
        match &reported {
            ReportedState::Known(state) => prop_assert_eq!(state.as_str(), s.as_str()),
            ReportedState::Unknown(unknown) => {
                prop_assert_eq!(unknown.as_str(), s.as_str());
                prop_assert_eq!(unknown.to_string(), s.clone());
                prop_assert!(s.parse::<OrganizationState>().is_err());
            }
        }
        let json = serde_json::to_string(&reported).unwrap();
        prop_assert_eq!(serde_json::from_str::<ReportedState>(&json).unwrap(), reported);
    }
}

// ----- strings and serde -----------------------------------------------------------------

#[test]
fn every_state_string_round_trips() {
    for &(name, _) in FACTS {
        let parsed = state(name);
        assert_eq!(parsed.as_str(), name);
        assert_eq!(parsed.to_string(), name);
        assert_eq!(format!("{parsed:?}"), name);
        assert_eq!(OrganizationState::try_from(name), Ok(parsed));
        assert_eq!(<&str>::from(parsed), name);
        assert_eq!(state(&parsed.to_string()), parsed);
    }
}

#[test]
fn strict_parsing_rejects_other_spellings_and_lists_the_known_states() {
    for bad in ["active", "ACTIVE", " Active", "Active ", "Suspended", ""] {
        let err: InvalidOrganizationState = bad.parse::<OrganizationState>().unwrap_err();
        assert_eq!(err.input(), bad);
        assert_message(
            &err,
            &format!("unknown organization state {bad:?} (expected one of: {KNOWN_LIST})"),
        );
    }
    assert_message(
        &"active".parse::<OrganizationState>().unwrap_err(),
        "unknown organization state \"active\" (expected one of: Requested, Creating, \
         Validating, Active, Impaired, Inactive, Failed, Deleting, Deleted)",
    );
}

#[test]
fn rejected_state_strings_are_shown_escaped_and_shortened() {
    let long = format!("Active{}", "x".repeat(194));
    assert_eq!(long.chars().count(), 200);
    let err = long.parse::<OrganizationState>().unwrap_err();
    let shown = format!("Active{}…", "x".repeat(58));
    assert_eq!(err.input(), shown);
    assert_message(
        &err,
        &format!("unknown organization state \"{shown}\" (expected one of: {KNOWN_LIST})"),
    );
    assert_eq!(
        format!("{err:?}"),
        format!("InvalidOrganizationState({:?})", err.to_string())
    );

    let err = "Act\u{1b}[2J\nive\""
        .parse::<OrganizationState>()
        .unwrap_err();
    assert_eq!(err.input(), "Act\\u{1b}[2J\\nive\\\"");
    assert_message(
        &err,
        &format!(
            "unknown organization state \"Act\\u{{1b}}[2J\\nive\\\"\" \
             (expected one of: {KNOWN_LIST})"
        ),
    );
    assert!(!err.to_string().contains(['\n', '\u{1b}']));
}

#[test]
fn organization_state_serde_round_trips_as_the_aws_string() {
    for &state in OrganizationState::ALL {
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(json, format!("\"{state}\""));
        assert_eq!(
            serde_json::from_str::<OrganizationState>(&json).unwrap(),
            state
        );
    }
    let err = serde_json::from_str::<OrganizationState>("\"Suspended\"").unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "unknown organization state \"Suspended\" (expected one of: {KNOWN_LIST})"
        )),
        "{err}"
    );
    assert!(serde_json::from_str::<OrganizationState>("3").is_err());
}

#[test]
fn reported_state_keeps_unknown_strings() {
    let unknown = ReportedState::from("Suspended");
    let ReportedState::Unknown(inner) = &unknown else {
        panic!("Suspended should be unknown: {unknown:?}");
    };
    let inner: &UnknownState = inner;
    assert_eq!(inner.as_str(), "Suspended");
    assert_eq!(inner.to_string(), "Suspended");
    assert_eq!(unknown, ReportedState::from(String::from("Suspended")));
    assert_eq!(unknown.known(), None);
    assert!(!unknown.is_known());
    assert_eq!(unknown.to_string(), "Suspended");
    assert_eq!(ReportedState::from("active".to_owned()).known(), None);

    for &state in OrganizationState::ALL {
        let reported = ReportedState::from(state.as_str());
        assert_eq!(reported, ReportedState::Known(state));
        assert_eq!(ReportedState::from(state.as_str().to_owned()), reported);
        assert!(!matches!(reported, ReportedState::Unknown(_)), "{state}");
        assert_eq!(reported, ReportedState::from(state));
        assert_eq!(reported.known(), Some(state));
        assert_eq!(reported.as_str().parse::<ReportedState>(), Ok(reported));
    }
}

#[test]
fn reported_state_serde_round_trips_as_the_exact_string() {
    for text in ["Active", "Deleted", "Suspended", "active", ""] {
        let reported = ReportedState::from(text);
        let json = serde_json::to_string(&reported).unwrap();
        assert_eq!(json, serde_json::to_string(text).unwrap());
        assert_eq!(
            serde_json::from_str::<ReportedState>(&json).unwrap(),
            reported
        );
    }
    assert!(serde_json::from_str::<ReportedState>("null").is_err());
}

#[test]
fn any_organization_serde_round_trips_and_rechecks_the_state() {
    let org = AnyOrganization::new(OrganizationState::Impaired, 42_u32);
    let json = serde_json::to_string(&org).unwrap();
    assert_eq!(json, r#"{"state":"Impaired","data":42}"#);
    assert_eq!(
        serde_json::from_str::<AnyOrganization<u32>>(&json).unwrap(),
        org
    );
    let err = serde_json::from_str::<AnyOrganization<u32>>(r#"{"state":"impaired","data":42}"#)
        .unwrap_err();
    assert!(err
        .to_string()
        .contains("unknown organization state \"impaired\""));
}

#[test]
fn any_organization_serde_rejects_unknown_missing_and_repeated_fields() {
    let cases = [
        (
            r#"{"state":"Active","data":1,"extra":2}"#,
            "unknown field `extra`, expected `state` or `data`",
        ),
        (r#"{"state":"Active"}"#, "missing field `data`"),
        (
            r#"{"state":"Active","data":1,"state":"Active"}"#,
            "duplicate field `state`",
        ),
    ];
    for (json, expected) in cases {
        let err = serde_json::from_str::<AnyOrganization<u32>>(json).unwrap_err();
        assert!(err.to_string().starts_with(expected), "{json}: {err}");
    }
    let org = serde_json::from_str::<AnyOrganization<u32>>(r#"{"data":1,"state":"Active"}"#);
    assert_eq!(
        org.ok(),
        Some(AnyOrganization::new(OrganizationState::Active, 1))
    );
}

// ----- polling ---------------------------------------------------------------------------

#[track_caller]
fn assert_path(from: &str, seen: &str, expected: &[(LifecycleEvent, &str)]) {
    let path = state(from).observe(state(seen)).unwrap();
    let moves: Vec<_> = path.iter().map(|t| (t.event(), t.to().as_str())).collect();
    assert_eq!(moves, expected);
}

#[test]
fn observe_reachable_states_with_the_shortest_path() {
    use LifecycleEvent as E;
    assert_path(
        "Requested",
        "Active",
        &[
            (E::CreationStarted, "Creating"),
            (E::CreationCompleted, "Active"),
        ],
    );
    assert_path(
        "Requested",
        "Deleted",
        &[
            (E::CreationFailed, "Failed"),
            (E::DeletionRequested, "Deleting"),
            (E::DeletionCompleted, "Deleted"),
        ],
    );
    assert_path(
        "Inactive",
        "Active",
        &[
            (E::Reactivated, "Validating"),
            (E::HealthCheckPassed, "Active"),
        ],
    );
    // Both ways take two moves; table order picks the first edge out of Validating.
    assert_path(
        "Validating",
        "Inactive",
        &[
            (E::HealthCheckPassed, "Active"),
            (E::Deactivated, "Inactive"),
        ],
    );
    assert_path("Active", "Deleting", &[(E::DeletionRequested, "Deleting")]);
}

#[test]
fn observe_the_same_state_is_an_empty_path() {
    for &state in OrganizationState::ALL {
        assert_eq!(state.observe(state), Ok(Vec::new()), "{state}");
    }
}

#[test]
fn observe_rejects_unreachable_states_naming_both() {
    let cases = [
        ("Deleted", "Active", "Deleted is terminal"),
        (
            "Active",
            "Creating",
            "Creating is not reachable from Active",
        ),
        (
            "Active",
            "Requested",
            "Requested is not reachable from Active",
        ),
        ("Failed", "Active", "Active is not reachable from Failed"),
        (
            "Deleting",
            "Failed",
            "Failed is not reachable from Deleting",
        ),
    ];
    for (current, seen, reason) in cases {
        let err: ObserveError = state(current).observe(state(seen)).unwrap_err();
        assert_eq!((err.current(), err.seen()), (state(current), state(seen)));
        assert_message(
            &err,
            &format!("organization last seen in {current} cannot now be in {seen}: {reason}"),
        );
    }
}

// ----- permissions and deletion ----------------------------------------------------------

#[test]
fn member_and_domain_operations_need_active() {
    for &state in OrganizationState::ALL {
        let active = state.as_str() == "Active";
        assert_eq!(state.permits(Operation::ManageMembers), active, "{state}");
        assert_eq!(state.permits(Operation::ManageDomains), active, "{state}");
        assert_eq!(
            state.permits(Operation::Delete),
            DELETABLE.contains(&state.as_str()),
            "{state}"
        );
    }
}

#[test]
fn deletion_is_allowed_from_the_states_the_table_leads_to_deleting() {
    let request = DeletionRequest::new().with_delete_directory(true);
    for &state in OrganizationState::ALL {
        let result = state.check_deletion(&request, 0);
        if DELETABLE.contains(&state.as_str()) {
            assert_eq!(result, Ok(()), "{state}");
        } else {
            let err: DeletionError = result.unwrap_err();
            assert_eq!(err.kind(), DeletionErrorKind::StateForbidsDeletion);
            assert_eq!(err.state(), state);
            let allowed: Vec<_> = err.allowed_states().iter().map(|s| s.as_str()).collect();
            assert_eq!(allowed, DELETABLE);
            assert_message(
                &err,
                &format!(
                    "cannot delete organization in {state} (deletion is allowed from: {})",
                    DELETABLE.join(", ")
                ),
            );
        }
    }
}

#[test]
fn deletion_needs_delete_directory() {
    let err = OrganizationState::Active
        .check_deletion(&DeletionRequest::new().with_force_delete(true), 0)
        .unwrap_err();
    assert_eq!(err.kind(), DeletionErrorKind::DirectoryNotDeleted);
    assert_message(
        &err,
        "cannot delete organization without DeleteDirectory chosen",
    );
}

#[test]
fn deletion_with_enabled_users_needs_force_delete() {
    let request = DeletionRequest::new().with_delete_directory(true);
    let err = OrganizationState::Failed
        .check_deletion(&request, 3)
        .unwrap_err();
    assert_eq!(err.kind(), DeletionErrorKind::EnabledUsersRemain);
    assert_eq!(err.enabled_users(), 3);
    assert_message(
        &err,
        "cannot delete organization with 3 enabled users without ForceDelete",
    );
    let forced = request.with_force_delete(true);
    assert!(forced.delete_directory() && forced.force_delete());
    assert_eq!(OrganizationState::Failed.check_deletion(&forced, 3), Ok(()));
}

#[test]
fn deletion_checks_the_state_first_then_the_directory() {
    let nothing = DeletionRequest::default();
    assert_eq!(nothing, DeletionRequest::new());
    let kind = |state: OrganizationState| state.check_deletion(&nothing, 5).unwrap_err().kind();
    assert_eq!(
        kind(OrganizationState::Deleted),
        DeletionErrorKind::StateForbidsDeletion
    );
    assert_eq!(
        kind(OrganizationState::Active),
        DeletionErrorKind::DirectoryNotDeleted
    );
}

// ----- typed and run-time forms ----------------------------------------------------------

#[test]
fn typed_walk_from_requested_to_deleted() {
    let org = TypedOrganization::new("corp");
    let org = org.start_creation().start_validation().detect_issue();
    let org = org.recover().deactivate().reactivate().pass_health_check();
    let org = org
        .request_deletion(&FORCED, 2)
        .unwrap()
        .complete_deletion();
    assert_eq!(org.state(), OrganizationState::Deleted);
    assert_eq!(org.into_data(), "corp");
}

/// A typed organization carrying its name.
type Named<S> = TypedOrganization<S, &'static str>;

/// An organization in each deletable state, as the typed API reaches it.
fn typed_in_deletable_states() -> (
    Named<typestate::Active>,
    Named<typestate::Impaired>,
    Named<typestate::Inactive>,
    Named<typestate::Failed>,
) {
    let active = TypedOrganization::new("corp")
        .start_creation()
        .complete_creation();
    (
        active,
        active.detect_issue(),
        active.deactivate(),
        TypedOrganization::new("corp").fail_creation(),
    )
}

/// Checks a refused typed deletion of `org`: the rule that failed, the message, and the
/// organization given back unchanged.
#[track_caller]
fn assert_refused<S: typestate::State>(
    org: Named<S>,
    requested: Result<Named<typestate::Deleting>, TypedDeletionError<S, &'static str>>,
    kind: DeletionErrorKind,
    message: &str,
) {
    let refused = match requested {
        Ok(moved) => panic!("{} should refuse, moved to {}", S::STATE, moved.state()),
        Err(refused) => refused,
    };
    assert_eq!(refused.error().kind(), kind, "{}", S::STATE);
    assert_eq!(refused.error().state(), S::STATE);
    assert_message(&refused, message);
    assert_eq!(
        format!("{refused:?}"),
        format!("TypedDeletionError({message:?})")
    );
    assert_eq!(refused.organization(), &org);
    assert_eq!(refused.into_organization(), org);
}

#[test]
fn typed_deletion_with_enabled_users_needs_force_delete() {
    let request = DeletionRequest::new().with_delete_directory(true);
    let (active, impaired, inactive, failed) = typed_in_deletable_states();
    let kind = DeletionErrorKind::EnabledUsersRemain;
    let message = "cannot delete organization with 4 enabled users without ForceDelete";
    assert_refused(active, active.request_deletion(&request, 4), kind, message);
    assert_refused(
        impaired,
        impaired.request_deletion(&request, 4),
        kind,
        message,
    );
    assert_refused(
        inactive,
        inactive.request_deletion(&request, 4),
        kind,
        message,
    );
    assert_refused(failed, failed.request_deletion(&request, 4), kind, message);
}

#[test]
fn typed_deletion_with_force_delete_moves_to_deleting() {
    let request = DeletionRequest::new()
        .with_delete_directory(true)
        .with_force_delete(true);
    let (active, impaired, inactive, failed) = typed_in_deletable_states();
    let moved: [Named<typestate::Deleting>; 4] = [
        active.request_deletion(&request, 4).unwrap(),
        impaired.request_deletion(&request, 4).unwrap(),
        inactive.request_deletion(&request, 4).unwrap(),
        failed.request_deletion(&request, 4).unwrap(),
    ];
    for org in moved {
        assert_eq!(org.state(), OrganizationState::Deleting);
        assert_eq!(*org.data(), "corp");
    }
    // Without enabled users, ForceDelete is not needed.
    let without_force = DeletionRequest::new().with_delete_directory(true);
    let org = active.request_deletion(&without_force, 0).unwrap();
    assert_eq!(org.complete_deletion().state(), OrganizationState::Deleted);
}

#[test]
fn typed_deletion_without_delete_directory_is_refused() {
    let (active, impaired, inactive, failed) = typed_in_deletable_states();
    let kind = DeletionErrorKind::DirectoryNotDeleted;
    let message = "cannot delete organization without DeleteDirectory chosen";
    for request in [
        DeletionRequest::new(),
        DeletionRequest::new().with_force_delete(true),
    ] {
        for users in [0, 5] {
            assert_refused(
                active,
                active.request_deletion(&request, users),
                kind,
                message,
            );
            assert_refused(
                impaired,
                impaired.request_deletion(&request, users),
                kind,
                message,
            );
            assert_refused(
                inactive,
                inactive.request_deletion(&request, users),
                kind,
                message,
            );
            assert_refused(
                failed,
                failed.request_deletion(&request, users),
                kind,
                message,
            );
        }
    }
}

#[test]
fn run_time_deletion_requests_check_the_request_and_give_the_organization_back() {
    let without_force = DeletionRequest::new().with_delete_directory(true);
    let err = OrganizationState::Active
        .request_deletion(&without_force, 2)
        .unwrap_err();
    assert_eq!(err.kind(), DeletionErrorKind::EnabledUsersRemain);

    let org = AnyOrganization::new(OrganizationState::Impaired, String::from("corp"));
    let refused: AnyDeletionError<String> = org.request_deletion(&without_force, 2).unwrap_err();
    assert_eq!(
        refused.error().kind(),
        DeletionErrorKind::EnabledUsersRemain
    );
    assert_message(
        &refused,
        "cannot delete organization with 2 enabled users without ForceDelete",
    );
    assert_eq!(
        format!("{refused:?}"),
        "AnyDeletionError(\"cannot delete organization with 2 enabled users without ForceDelete\")"
    );
    assert_eq!(refused.organization().state(), OrganizationState::Impaired);
    let org = refused.into_organization();
    assert_eq!(org.data(), "corp");

    let org = org
        .request_deletion(&without_force.with_force_delete(true), 2)
        .unwrap();
    assert_eq!(org.state(), OrganizationState::Deleting);
    assert_eq!(org.into_data(), "corp");

    let deleted = AnyOrganization::new(OrganizationState::Deleted, ());
    let refused = deleted.request_deletion(&FORCED, 0).unwrap_err();
    assert_eq!(
        refused.error().kind(),
        DeletionErrorKind::StateForbidsDeletion
    );
    assert_eq!(refused.into_organization(), deleted);
}

#[test]
fn any_organization_converts_to_and_from_typed() {
    let typed = TypedOrganization::new(String::from("corp")).start_creation();
    let any = AnyOrganization::from(typed.clone());
    assert_eq!(any.state(), OrganizationState::Creating);

    let err: StateMismatchError<String> =
        TypedOrganization::<typestate::Active, String>::try_from(any.clone()).unwrap_err();
    assert_eq!(
        (err.expected(), err.actual()),
        (OrganizationState::Active, OrganizationState::Creating)
    );
    assert_message(&err, "expected organization in Active, found Creating");
    assert_eq!(err.into_organization(), any);

    let back = TypedOrganization::<typestate::Creating, String>::try_from(any).unwrap();
    assert_eq!(back, typed);
}

#[test]
fn any_organization_moves_follow_the_table() {
    for &(from, row) in FACTS {
        for &(to, _) in FACTS {
            let org = AnyOrganization::new(state(from), 1_u8);
            match org.transition_to(state(to)) {
                Ok(moved) => {
                    assert!(row.contains(&to), "{from} -> {to}");
                    assert_eq!(moved.state(), state(to));
                    assert_eq!(moved.into_data(), 1);
                }
                Err(err) => {
                    let err: AnyTransitionError<u8> = err;
                    assert!(!row.contains(&to), "{from} -> {to}");
                    assert_eq!(err.organization().state(), state(from));
                    assert_eq!(err.to_string(), err.error().to_string());
                }
            }
        }
    }
}

// ----- diagrams --------------------------------------------------------------------------

#[test]
fn diagrams_draw_every_facts_edge() {
    let (mermaid, dot) = (diagram::to_mermaid(), diagram::to_dot());
    for &(from, event, to) in EVENT_EDGES {
        assert!(
            mermaid.contains(&format!("    {from} --> {to}: {event}\n")),
            "{from} -> {to}"
        );
        assert!(
            dot.contains(&format!("    {from} -> {to} [label=\"{event}\"];\n")),
            "{from} -> {to}"
        );
    }
    let markdown = diagram::to_markdown_table();
    for &(from, row) in FACTS {
        let to = if row.is_empty() {
            "(terminal)".to_owned()
        } else {
            row.join(", ")
        };
        assert!(markdown.contains(&format!("| {from} | {to} |\n")), "{from}");
    }
}

// ----- auto traits -----------------------------------------------------------------------

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<OrganizationState>();
    assert_send_sync::<InvalidOrganizationState>();
    assert_send_sync::<ReportedState>();
    assert_send_sync::<LifecycleEvent>();
    assert_send_sync::<Transition>();
    assert_send_sync::<TransitionError>();
    assert_send_sync::<ObserveError>();
    assert_send_sync::<Operation>();
    assert_send_sync::<DeletionRequest>();
    assert_send_sync::<DeletionError>();
    assert_send_sync::<DeletionErrorKind>();
    assert_send_sync::<TypedOrganization<typestate::Requested>>();
    assert_send_sync::<TypedOrganization<typestate::Deleted, String>>();
    assert_send_sync::<AnyOrganization<String>>();
    assert_send_sync::<StateMismatchError<String>>();
    assert_send_sync::<AnyTransitionError<String>>();
    assert_send_sync::<AnyDeletionError<String>>();
    assert_send_sync::<TypedDeletionError<typestate::Active, String>>();
    assert_send_sync::<UnknownState>();
    assert_send_sync::<typestate::Active>();
}

#[test]
fn errors_box_into_dyn_error() {
    fn boxed(err: impl std::error::Error + Send + Sync + 'static) -> Box<dyn std::error::Error> {
        Box::new(err)
    }
    let org = AnyOrganization::new(OrganizationState::Deleted, ());
    let failed = TypedOrganization::new(()).fail_creation();
    let errors = [
        boxed(org.request_deletion(&FORCED, 0).unwrap_err()),
        boxed(
            failed
                .request_deletion(&DeletionRequest::new(), 0)
                .unwrap_err(),
        ),
        boxed(org.transition_to(OrganizationState::Active).unwrap_err()),
        boxed(TypedOrganization::<typestate::Active>::try_from(org).unwrap_err()),
        boxed(
            OrganizationState::Deleted
                .observe(OrganizationState::Active)
                .unwrap_err(),
        ),
    ];
    for err in errors {
        assert!(err.to_string().contains("Delete"), "{err}");
    }
}
