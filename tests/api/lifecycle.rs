//! Public-API tests of the organization lifecycle: the states of the WorkMail Administrator
//! Guide ("Organization states") and the moves this crate decided, written out here
//! independently of the crate's own table.

use std::collections::VecDeque;
use std::error::Error;

use proptest::prelude::*;
use workmail_org::lifecycle::typestate::{self, State, Typed};
use workmail_org::lifecycle::{
    DeletionRequest, Event, OrganizationState, Refused, ReportedState, Tracked, Transition,
    TransitionError, TransitionErrorKind as Kind, TRANSITIONS,
};
use workmail_org::UnknownNameError;

/// The lifecycle table, row for row, in its order.
const TABLE: &[(&str, &[&str])] = &[
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

/// The states from which the table reaches `Deleting`.
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

fn names(states: impl IntoIterator<Item = OrganizationState>) -> Vec<&'static str> {
    states.into_iter().map(OrganizationState::as_str).collect()
}

fn table_row(from: &str) -> &'static [&'static str] {
    TABLE
        .iter()
        .find(|(name, _)| *name == from)
        .map_or(&[], |(_, row)| row)
}

/// Shortest number of moves from `from` to every state, by breadth-first search over TABLE.
fn table_distances(from: &str) -> Vec<(&str, usize)> {
    let mut distances = vec![(from, 0)];
    let mut queue = VecDeque::from([(from, 0)]);
    while let Some((at, d)) = queue.pop_front() {
        for &next in table_row(at) {
            if distances.iter().all(|(seen, _)| *seen != next) {
                distances.push((next, d + 1));
                queue.push_back((next, d + 1));
            }
        }
    }
    distances
}

#[track_caller]
fn assert_message(err: &impl std::fmt::Display, expected: &str) {
    assert_eq!(err.to_string(), expected);
}

/// The refusal of `moved`, checked to hand back `before` unchanged.
#[track_caller]
fn refused<T: PartialEq + std::fmt::Debug + Clone>(
    before: &Tracked<T>,
    moved: Result<Tracked<T>, Refused<Tracked<T>>>,
) -> TransitionError {
    let refused = moved.expect_err("the move should be refused");
    assert_eq!(refused.to_string(), refused.error().to_string());
    assert_eq!(
        format!("{refused:?}"),
        format!("Refused({:?})", refused.to_string())
    );
    assert_eq!(&refused.clone().into_value(), before);
    refused.into_error()
}

// ----- the 9 x 9 matrix ------------------------------------------------------------------

#[test]
fn the_table_names_every_state_once_in_all_order() {
    let table: Vec<_> = TABLE.iter().map(|(name, _)| *name).collect();
    assert_eq!(table, names(OrganizationState::ALL.iter().copied()));
}

#[test]
fn every_move_of_the_matrix_matches_the_table() {
    let mut checked = 0;
    for &(from_name, row) in TABLE {
        let from = state(from_name);
        assert_eq!(names(from.allowed_next()), row, "{from_name}");
        assert_eq!(from.is_terminal(), row.is_empty(), "{from_name}");
        for &(to_name, _) in TABLE {
            let to = state(to_name);
            let org = Tracked::new(from, 7_u8);
            if row.contains(&to_name) {
                let moved = org.transition_to(to).expect("allowed by the table");
                assert_eq!(moved, Tracked::new(to, 7));
            } else {
                let err = refused(&org.clone(), org.transition_to(to));
                assert_eq!(err.kind(), Kind::IllegalMove);
                assert_eq!(err.current(), &from);
                assert_eq!(names(err.allowed()), row);
                let allowed = if row.is_empty() {
                    "none".to_owned()
                } else {
                    row.join(", ")
                };
                assert_message(
                    &err,
                    &format!(
                        "cannot move organization from {from_name} to {to_name} (allowed: {allowed})"
                    ),
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 81);
}

// ----- events ----------------------------------------------------------------------------

/// Every edge of the table with the event this crate names for it.
const EVENT_EDGES: &[(&str, Event, &str)] = &[
    ("Requested", Event::CreationStarted, "Creating"),
    ("Requested", Event::CreationFailed, "Failed"),
    ("Creating", Event::ValidationStarted, "Validating"),
    ("Creating", Event::CreationCompleted, "Active"),
    ("Creating", Event::CreationFailed, "Failed"),
    ("Validating", Event::HealthCheckPassed, "Active"),
    ("Validating", Event::IssueDetected, "Impaired"),
    ("Active", Event::ValidationStarted, "Validating"),
    ("Active", Event::IssueDetected, "Impaired"),
    ("Active", Event::Deactivated, "Inactive"),
    ("Active", Event::DeletionRequested, "Deleting"),
    ("Impaired", Event::Recovered, "Active"),
    ("Impaired", Event::ValidationStarted, "Validating"),
    ("Impaired", Event::Deactivated, "Inactive"),
    ("Impaired", Event::DeletionRequested, "Deleting"),
    ("Inactive", Event::Reactivated, "Validating"),
    ("Inactive", Event::DeletionRequested, "Deleting"),
    ("Failed", Event::DeletionRequested, "Deleting"),
    ("Deleting", Event::DeletionCompleted, "Deleted"),
];

#[test]
fn transitions_list_the_table_moves_with_their_events() {
    let pairs: usize = TABLE.iter().map(|(_, row)| row.len()).sum();
    assert_eq!(EVENT_EDGES.len(), pairs);
    let listed: Vec<_> = TRANSITIONS
        .iter()
        .map(|t: &Transition| (t.from.as_str(), t.event, t.to.as_str()))
        .collect();
    assert_eq!(listed, EVENT_EDGES);
    for &(from, _, to) in EVENT_EDGES {
        assert!(table_row(from).contains(&to), "{from} -> {to}");
    }
}

#[test]
fn apply_follows_the_event_edges_and_names_where_an_event_applies() {
    for &from in OrganizationState::ALL {
        for &event in Event::ALL {
            let edge = EVENT_EDGES
                .iter()
                .find(|(f, e, _)| *f == from.as_str() && *e == event);
            let org = Tracked::new(from, "corp");
            match edge {
                Some(&(_, _, to)) => {
                    assert_eq!(org.apply(event).unwrap(), Tracked::new(state(to), "corp"))
                }
                None => {
                    let err = refused(&org, org.clone().apply(event));
                    let sources: Vec<_> = EVENT_EDGES
                        .iter()
                        .filter(|(_, e, _)| *e == event)
                        .map(|(f, _, _)| *f)
                        .collect();
                    assert_eq!(err.kind(), Kind::EventNotApplicable);
                    assert_eq!(err.current(), &from);
                    assert_eq!(names(err.allowed()), sources);
                    assert_message(
                        &err,
                        &format!(
                            "event {event} does not apply to organization in {from} \
                             (applies in: {})",
                            sources.join(", ")
                        ),
                    );
                }
            }
        }
    }
}

// ----- pinned messages -------------------------------------------------------------------

#[test]
fn pinned_messages_name_the_state_the_attempt_and_what_was_allowed() {
    use OrganizationState as S;
    let forced = DeletionRequest {
        delete_directory: true,
        force_delete: true,
    };
    let cases: [(TransitionError, &str); 9] = [
        (
            Tracked::new(S::Active, ())
                .transition_to(S::Active)
                .unwrap_err()
                .into_error(),
            "cannot move organization from Active to Active \
             (allowed: Validating, Impaired, Inactive, Deleting)",
        ),
        (
            Tracked::new(S::Active, ())
                .apply(Event::CreationCompleted)
                .unwrap_err()
                .into(),
            "event CreationCompleted does not apply to organization in Active \
             (applies in: Creating)",
        ),
        (
            S::Deleted.observe(S::Active).unwrap_err(),
            "organization last seen in Deleted cannot now be in Active (reachable: none)",
        ),
        (
            S::Deleting.observe(S::Failed).unwrap_err(),
            "organization last seen in Deleting cannot now be in Failed (reachable: Deleted)",
        ),
        (
            Tracked::new(ReportedState::new("Suspended"), ())
                .transition_to(S::Active)
                .unwrap_err()
                .into(),
            "cannot move organization from \"Suspended\" to Active: \
             this version does not know that state",
        ),
        (
            Typed::<typestate::Active>::try_from(Tracked::new(
                ReportedState::new("Sus\npended"),
                (),
            ))
            .unwrap_err()
            .into(),
            "expected organization in Active, found \"Sus\\npended\"",
        ),
        (
            forced.check(S::Creating, 0).unwrap_err(),
            "cannot delete organization in Creating \
             (deletion is allowed from: Active, Impaired, Inactive, Failed)",
        ),
        (
            DeletionRequest::default()
                .check(S::Inactive, 2)
                .unwrap_err(),
            "cannot delete organization in Inactive with 2 enabled users without ForceDelete",
        ),
        (
            DeletionRequest {
                delete_directory: true,
                force_delete: false,
            }
            .check(S::Failed, 1)
            .unwrap_err(),
            "cannot delete organization in Failed with 1 enabled user without ForceDelete",
        ),
    ];
    for (err, message) in cases {
        assert_message(&err, message);
        assert_eq!(format!("{err:?}"), format!("TransitionError({message:?})"));
    }
}

#[test]
fn no_message_moves_a_state_to_itself_by_an_event() {
    for &from in OrganizationState::ALL {
        for &event in Event::ALL {
            if let Err(refused) = Tracked::new(from, ()).apply(event) {
                let message = refused.to_string();
                assert!(!message.contains(" by event "), "{message}");
                assert!(
                    !message.contains(&format!("from {from} to {from}")),
                    "{message}"
                );
            }
        }
    }
}

// ----- polling ---------------------------------------------------------------------------

#[track_caller]
fn assert_path(from: &str, seen: &str, expected: &[(Event, &str)]) {
    let path = state(from).observe(state(seen)).unwrap();
    let moves: Vec<_> = path.iter().map(|t| (t.event, t.to.as_str())).collect();
    assert_eq!(moves, expected);
    let (org, tracked_path) = Tracked::new(state(from), ()).observe(state(seen)).unwrap();
    assert_eq!((org.state(), tracked_path), (&state(seen).into(), path));
}

#[test]
fn observe_reachable_states_with_the_shortest_path() {
    use Event as E;
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
    // Both ways take two moves; table order picks the first move out of Validating.
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
fn observing_the_same_state_again_is_no_move() {
    for &state in OrganizationState::ALL {
        assert_eq!(state.observe(state), Ok(Vec::new()), "{state}");
        let org = Tracked::new(state, "corp");
        assert_eq!(org.clone().observe(state).unwrap(), (org, Vec::new()));
    }
    let unknown = Tracked::new(ReportedState::new("Suspended"), ());
    assert_eq!(
        unknown
            .clone()
            .observe(ReportedState::new("Suspended"))
            .unwrap(),
        (unknown, Vec::new())
    );
}

#[test]
fn observe_records_and_resynchronises_from_unknown_states() {
    let org = Tracked::new(OrganizationState::Deleted, 1_u8);
    let (org, path) = org.observe(ReportedState::new("Purged")).unwrap();
    assert_eq!(*org.data(), 1);
    assert_eq!((org.state().as_str(), path.len()), ("Purged", 0));
    let (org, path) = org.observe(ReportedState::new("Active")).unwrap();
    assert_eq!(
        (org, path),
        (Tracked::new(OrganizationState::Active, 1), Vec::new())
    );
}

// ----- unknown states --------------------------------------------------------------------

#[test]
fn no_move_out_of_an_unknown_state_is_checked() {
    let org = Tracked::new(ReportedState::new(String::from("Suspended")), vec![1]);
    let forced = DeletionRequest {
        delete_directory: true,
        force_delete: true,
    };
    let errors = [
        refused(&org, org.clone().apply(Event::Recovered)),
        refused(&org, org.clone().transition_to(OrganizationState::Active)),
        refused(&org, org.clone().request_deletion(&forced, 0)),
    ];
    for err in errors {
        assert_eq!(err.kind(), Kind::UnknownState, "{err}");
        assert_eq!(err.current().as_str(), "Suspended");
        assert!(err.allowed().is_empty());
    }
    let long = "x".repeat(100);
    let err = refused(
        &Tracked::new(ReportedState::new(long.as_str()), ()),
        Tracked::new(ReportedState::new(long.as_str()), ()).apply(Event::Recovered),
    );
    assert_message(
        &err,
        &format!(
            "event Recovered does not apply to organization in \"{}…\": \
             this version does not know that state",
            "x".repeat(64)
        ),
    );
}

// ----- errors leave with `?` -------------------------------------------------------------

fn move_borrowed(name: &str) -> Result<Tracked<&str>, Box<dyn Error + Send + Sync>> {
    let org = Tracked::new(OrganizationState::Deleted, name);
    Ok(org
        .transition_to(OrganizationState::Active)
        .map_err(Refused::into_error)?)
}

fn move_by_from(name: &str) -> Result<Tracked<&str>, TransitionError> {
    Ok(Tracked::new(OrganizationState::Requested, name).apply(Event::Recovered)?)
}

#[test]
fn refusals_on_borrowed_data_leave_as_plain_static_errors() {
    let name = String::from("corp");
    let err = move_borrowed(&name).unwrap_err();
    assert_message(
        &err,
        "cannot move organization from Deleted to Active (allowed: none)",
    );
    let err: TransitionError = *err.downcast().unwrap();
    assert_eq!(err.kind(), Kind::IllegalMove);

    let err = move_by_from(&name).unwrap_err();
    assert_eq!(err.kind(), Kind::EventNotApplicable);
    let boxed: Box<dyn Error + Send + Sync + 'static> = Box::new(err);
    assert!(boxed.source().is_none());
}

// ----- deletion --------------------------------------------------------------------------

fn any_request() -> impl Strategy<Value = DeletionRequest> {
    (any::<bool>(), any::<bool>()).prop_map(|(directory, force)| DeletionRequest {
        delete_directory: directory,
        force_delete: force,
    })
}

/// Requests deletion through the typed method of `from`, if it has one: the organization
/// moved, or handed back.
fn typed_deletion(
    from: OrganizationState,
    request: &DeletionRequest,
    users: usize,
) -> Option<Result<Tracked<u8>, Tracked<u8>>> {
    type Deleting = Typed<typestate::Deleting, u8>;
    fn back<S: State>(
        requested: Result<Deleting, Refused<Typed<S, u8>>>,
    ) -> Result<Tracked<u8>, Tracked<u8>> {
        requested
            .map(Tracked::from)
            .map_err(|refused| refused.into_value().into())
    }
    use typestate as t;
    use OrganizationState as S;
    let org = Tracked::new(from, 9_u8);
    Some(match from {
        S::Active => back(typed::<t::Active, _>(org).request_deletion(request, users)),
        S::Impaired => back(typed::<t::Impaired, _>(org).request_deletion(request, users)),
        S::Inactive => back(typed::<t::Inactive, _>(org).request_deletion(request, users)),
        S::Failed => back(typed::<t::Failed, _>(org).request_deletion(request, users)),
        _ => return None,
    })
}

proptest! {
    #[test]
    fn every_deletion_path_enforces_the_same_rule(
        start in proptest::sample::select(OrganizationState::ALL),
        request in any_request(),
        enabled_users in 0_usize..4,
    ) {
        let deletable = DELETABLE.contains(&start.as_str());
        // `DeleteDirectory` is either: `false` keeps the directory (WorkMail API).
        let allowed = deletable && (enabled_users == 0 || request.force_delete);
        let checked = request.check(start, enabled_users);
        prop_assert_eq!(checked.is_ok(), allowed);
        let org = Tracked::new(start, 9_u8);
        match org.clone().request_deletion(&request, enabled_users) {
            Ok(moved) => prop_assert_eq!(moved, Tracked::new(OrganizationState::Deleting, 9)),
            Err(refused) => {
                prop_assert_eq!(Err(refused.error().clone()), checked);
                prop_assert_eq!(refused.into_value(), org.clone());
            }
        }
        let expected = if allowed { Ok(Tracked::new(OrganizationState::Deleting, 9)) } else { Err(org) };
        prop_assert_eq!(typed_deletion(start, &request, enabled_users), deletable.then_some(expected));
    }
}

#[test]
fn deletion_checks_the_state_first_then_the_users() {
    let nothing = DeletionRequest::default();
    let kind = |state: &str, request: DeletionRequest| {
        request
            .check(ReportedState::new(state), 5)
            .unwrap_err()
            .kind()
    };
    assert_eq!(kind("Suspended", nothing), Kind::UnknownState);
    assert_eq!(kind("Deleted", nothing), Kind::StateForbidsDeletion);
    assert_eq!(kind("Active", nothing), Kind::EnabledUsersRemain);
    // Keeping the directory is valid: `DeleteDirectory: false` passes the rule.
    assert_eq!(nothing.check(state("Active"), 0), Ok(()));
    assert_eq!(
        kind(
            "Active",
            DeletionRequest {
                delete_directory: true,
                ..nothing
            }
        ),
        Kind::EnabledUsersRemain
    );
    let err = nothing.check(state("Deleted"), 0).unwrap_err();
    assert_eq!(names(err.allowed()), DELETABLE);
}

// ----- random walks: the run-time and typed forms agree ----------------------------------

/// A deletion request that passes whatever the number of enabled users.
const FORCED: DeletionRequest = DeletionRequest {
    delete_directory: true,
    force_delete: true,
};

/// The organization as a `Typed<S, _>`; panics if it is in another state.
#[track_caller]
fn typed<S: State, T>(org: Tracked<T>) -> Typed<S, T> {
    Typed::try_from(org).expect("the walk knows the state")
}

/// Applies `event` through the typed methods only; `None` when the state has no such method.
fn typed_apply(org: Tracked<u32>, event: Event) -> Option<Tracked<u32>> {
    use typestate as t;
    use Event as E;
    use OrganizationState as S;
    Some(match (org.state().known()?, event) {
        (S::Requested, E::CreationStarted) => typed::<t::Requested, _>(org).start_creation().into(),
        (S::Requested, E::CreationFailed) => typed::<t::Requested, _>(org).fail_creation().into(),
        (S::Creating, E::ValidationStarted) => {
            typed::<t::Creating, _>(org).start_validation().into()
        }
        (S::Creating, E::CreationCompleted) => {
            typed::<t::Creating, _>(org).complete_creation().into()
        }
        (S::Creating, E::CreationFailed) => typed::<t::Creating, _>(org).fail_creation().into(),
        (S::Validating, E::HealthCheckPassed) => {
            typed::<t::Validating, _>(org).pass_health_check().into()
        }
        (S::Validating, E::IssueDetected) => typed::<t::Validating, _>(org).detect_issue().into(),
        (S::Active, E::ValidationStarted) => typed::<t::Active, _>(org).start_validation().into(),
        (S::Active, E::IssueDetected) => typed::<t::Active, _>(org).detect_issue().into(),
        (S::Active, E::Deactivated) => typed::<t::Active, _>(org).deactivate().into(),
        (S::Active, E::DeletionRequested) => typed::<t::Active, _>(org)
            .request_deletion(&FORCED, 3)
            .ok()?
            .into(),
        (S::Impaired, E::Recovered) => typed::<t::Impaired, _>(org).recover().into(),
        (S::Impaired, E::ValidationStarted) => {
            typed::<t::Impaired, _>(org).start_validation().into()
        }
        (S::Impaired, E::Deactivated) => typed::<t::Impaired, _>(org).deactivate().into(),
        (S::Impaired, E::DeletionRequested) => typed::<t::Impaired, _>(org)
            .request_deletion(&FORCED, 3)
            .ok()?
            .into(),
        (S::Inactive, E::Reactivated) => typed::<t::Inactive, _>(org).reactivate().into(),
        (S::Inactive, E::DeletionRequested) => typed::<t::Inactive, _>(org)
            .request_deletion(&FORCED, 3)
            .ok()?
            .into(),
        (S::Failed, E::DeletionRequested) => typed::<t::Failed, _>(org)
            .request_deletion(&FORCED, 3)
            .ok()?
            .into(),
        (S::Deleting, E::DeletionCompleted) => {
            typed::<t::Deleting, _>(org).complete_deletion().into()
        }
        _ => return None,
    })
}

proptest! {
    #[test]
    fn random_event_sequences_agree_between_tracked_and_typed(
        start in proptest::sample::select(OrganizationState::ALL),
        events in proptest::collection::vec(proptest::sample::select(Event::ALL), 0..40),
        data in any::<u32>(),
    ) {
        let mut org = Tracked::new(start, data);
        for event in events {
            let by_typed = typed_apply(org.clone(), event);
            let before = org.state().clone();
            org = match org.apply(event) {
                Ok(moved) => {
                    let to = moved.state().as_str();
                    prop_assert!(table_row(before.as_str()).contains(&to), "{} -> {}", before, to);
                    prop_assert_eq!(Some(&moved), by_typed.as_ref());
                    moved
                }
                Err(refused) => {
                    prop_assert_eq!(by_typed, None);
                    prop_assert_eq!(refused.error().kind(), Kind::EventNotApplicable);
                    refused.into_value()
                }
            };
            prop_assert_eq!(*org.data(), data);
        }
    }

    #[test]
    fn observe_accepts_exactly_the_reachable_states(
        from in proptest::sample::select(OrganizationState::ALL),
        seen in proptest::sample::select(OrganizationState::ALL),
    ) {
        let distances = table_distances(from.as_str());
        let distance = distances.iter().find(|(name, _)| *name == seen.as_str()).map(|(_, d)| *d);
        match from.observe(seen) {
            Ok(path) => {
                prop_assert_eq!(Some(path.len()), distance);
                let mut at = from;
                for step in path {
                    prop_assert_eq!(step.from, at);
                    prop_assert!(table_row(at.as_str()).contains(&step.to.as_str()));
                    at = step.to;
                }
                prop_assert_eq!(at, seen);
            }
            Err(err) => {
                prop_assert_eq!(distance, None);
                prop_assert_eq!((err.kind(), err.current()), (Kind::Unreachable, &from.into()));
                let mut reachable: Vec<_> = distances.iter().skip(1).map(|(name, _)| *name).collect();
                reachable.sort_by_key(|name| state(name));
                prop_assert_eq!(names(err.allowed()), reachable);
                let org = Tracked::new(from, ());
                prop_assert_eq!(refused(&org, org.clone().observe(seen).map(|(org, _)| org)), err);
            }
        }
    }

    #[test]
    fn lenient_parsing_never_loses_a_string(s in ".*") {
        let reported = ReportedState::new(s.as_str());
        prop_assert_eq!(reported.as_str(), s.as_str());
        prop_assert_eq!(reported.to_string(), s.clone());
        prop_assert_eq!(reported.known().copied(), s.parse::<OrganizationState>().ok());
        prop_assert_eq!(&reported, &ReportedState::new(s.clone()));
        let json = serde_json::to_string(&reported).unwrap();
        prop_assert_eq!(&json, &serde_json::to_string(&s).unwrap());
        prop_assert_eq!(serde_json::from_str::<ReportedState>(&json).unwrap(), reported);
    }
}

// ----- strings and serde -----------------------------------------------------------------

#[test]
fn every_state_string_round_trips() {
    for &(name, _) in TABLE {
        let parsed = state(name);
        assert_eq!(
            (parsed.as_str(), parsed.to_string()),
            (name, name.to_owned())
        );
        assert_eq!(format!("{parsed:?}"), name);
        assert_eq!(OrganizationState::try_from(name), Ok(parsed));
        assert_eq!(ReportedState::new(name), parsed);
        assert_eq!(ReportedState::new(name), ReportedState::from(parsed));
        let json = serde_json::to_string(&parsed).unwrap();
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(
            serde_json::from_str::<OrganizationState>(&json).unwrap(),
            parsed
        );
    }
    for &event in Event::ALL {
        assert_eq!(event.as_str().parse::<Event>(), Ok(event));
        assert_eq!(format!("{event:?}"), event.as_str());
    }
}

#[test]
fn strict_parsing_rejects_other_spellings_and_lists_the_known_states() {
    for bad in ["active", "ACTIVE", " Active", "Active ", "Suspended", ""] {
        let err: UnknownNameError = bad.parse::<OrganizationState>().unwrap_err();
        assert_eq!((err.what(), err.input()), ("organization state", bad));
        assert_message(
            &err,
            &format!("unknown organization state {bad:?} (expected one of: {KNOWN_LIST})"),
        );
        assert_eq!(ReportedState::new(bad).known(), None);
    }
    let err = serde_json::from_str::<OrganizationState>("\"Suspended\"").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unknown organization state \"Suspended\""),
        "{err}"
    );
}

#[test]
fn a_stored_unknown_state_reads_and_writes_back() {
    for json in [
        r#"{"state":"Suspended","data":42}"#,
        r#"{"state":"Impaired","data":42}"#,
        r#"{"state":"impaired","data":42}"#,
    ] {
        let org: Tracked<u32> = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&org).unwrap(), json);
    }
    let org: Tracked<u32> = serde_json::from_str(r#"{"data":1,"state":"Active"}"#).unwrap();
    assert_eq!(org, Tracked::new(OrganizationState::Active, 1));
    assert!(serde_json::from_str::<ReportedState>("null").is_err());
}

#[test]
fn tracked_serde_rejects_unknown_missing_and_repeated_fields() {
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
        let err = serde_json::from_str::<Tracked<u32>>(json).unwrap_err();
        assert!(err.to_string().starts_with(expected), "{json}: {err}");
    }
}

// ----- typed and run-time forms ----------------------------------------------------------

#[test]
fn typed_walk_from_requested_to_deleted() {
    let org = Typed::new(String::from("corp!"))
        .start_creation()
        .start_validation();
    let org = org
        .detect_issue()
        .recover()
        .deactivate()
        .reactivate()
        .pass_health_check();
    let org = org
        .request_deletion(&FORCED, 2)
        .unwrap()
        .complete_deletion();
    assert_eq!(org.state(), OrganizationState::Deleted);
    assert_eq!(org.data(), "corp!");
    let tracked = Tracked::from(org);
    assert_eq!(tracked.state(), &OrganizationState::Deleted);
    assert_eq!(tracked.into_data(), "corp!");
}

#[test]
fn tracked_converts_to_typed_only_in_the_named_state() {
    let typed = Typed::new(String::from("corp")).start_creation();
    let tracked = Tracked::from(typed.clone());
    assert_eq!(tracked.state(), &OrganizationState::Creating);

    let err = refused(
        &tracked,
        Typed::<typestate::Active, String>::try_from(tracked.clone()).map(Tracked::from),
    );
    assert_eq!(err.kind(), Kind::StateMismatch);
    assert!(err.allowed().is_empty());
    assert_message(&err, "expected organization in Active, found Creating");

    let back = Typed::<typestate::Creating, String>::try_from(tracked).unwrap();
    assert_eq!(back, typed);
}

#[test]
fn a_refused_typed_deletion_hands_the_organization_back() {
    let active = Typed::new("corp").start_creation().complete_creation();
    let without_force = DeletionRequest {
        delete_directory: true,
        force_delete: false,
    };
    let refused = active.request_deletion(&without_force, 4).unwrap_err();
    assert_eq!(refused.error().kind(), Kind::EnabledUsersRemain);
    assert_message(
        &refused,
        "cannot delete organization in Active with 4 enabled users without ForceDelete",
    );
    let org = refused.into_value();
    assert_eq!(org, active);
    let org = org.request_deletion(&without_force, 0).unwrap();
    assert_eq!(org.state(), OrganizationState::Deleting);
}

#[test]
fn member_and_domain_operations_need_active() {
    for &state in OrganizationState::ALL {
        assert_eq!(
            state.is_operational(),
            state.as_str() == "Active",
            "{state}"
        );
    }
}
