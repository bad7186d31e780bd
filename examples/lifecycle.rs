//! Walks a WorkMail organization through its lifecycle.
//!
//! Draws the state diagram from the transition table (Mermaid, then Graphviz DOT), walks an
//! organization from `Requested` to `Deleted` at run time and with the typestate (requesting
//! the deletion with a checked `DeletionRequest`), shows what polling accepts, and the
//! errors for refused moves.
//!
//! Run with `cargo run --example lifecycle`.

use std::fmt::Write as _;

use workmail_org::lifecycle::typestate::Typed;
use workmail_org::lifecycle::{
    DeletionRequest, Event, OrganizationState, Refused, ReportedState, Tracked, TRANSITIONS,
};

/// What the caller keeps with its organization.
#[derive(Debug)]
struct Org {
    alias: &'static str,
}

/// The table as a Mermaid `stateDiagram-v2`: the start marker points at the states nothing
/// moves to, terminal states point at the end marker.
fn mermaid() -> String {
    let mut out = String::from("stateDiagram-v2\n");
    for &state in OrganizationState::ALL {
        if TRANSITIONS.iter().all(|t| t.to != state) {
            let _ = writeln!(out, "    [*] --> {state}");
        }
    }
    for t in TRANSITIONS {
        let _ = writeln!(out, "    {} --> {}: {}", t.from, t.to, t.event);
    }
    for state in OrganizationState::ALL.iter().filter(|s| s.is_terminal()) {
        let _ = writeln!(out, "    {state} --> [*]");
    }
    out
}

/// The table as a Graphviz DOT digraph, terminal states drawn with a double border.
fn dot() -> String {
    let mut out = String::from("digraph organization_lifecycle {\n    rankdir=LR;\n");
    out += "    node [shape=box, style=rounded];\n";
    for &state in OrganizationState::ALL {
        let border = if state.is_terminal() {
            " [peripheries=2]"
        } else {
            ""
        };
        let _ = writeln!(out, "    {state}{border};");
    }
    for t in TRANSITIONS {
        let _ = writeln!(out, "    {} -> {} [label=\"{}\"];", t.from, t.to, t.event);
    }
    out + "}\n"
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("== State diagram (Mermaid) ==\n{}", mermaid());
    println!("== State diagram (Graphviz DOT) ==\n{}", dot());

    let request = DeletionRequest {
        delete_directory: true,
        force_delete: true,
    };

    println!("== Run time: events AWS reported, applied to a stored organization ==");
    let mut org = Tracked::new(OrganizationState::Requested, Org { alias: "corp" });
    let reported = [
        Event::CreationStarted,
        Event::ValidationStarted,
        Event::IssueDetected,
        Event::Recovered,
    ];
    for event in reported {
        let from = org.state().clone();
        org = org.apply(event).map_err(Refused::into_error)?;
        println!("  {from} --{event}--> {}", org.state());
    }
    // Deleting is asked for, not reported: the request is checked before the move.
    let from = org.state().clone();
    org = org
        .request_deletion(&request, 2)
        .map_err(Refused::into_error)?;
    println!(
        "  {from} --request_deletion(DeleteDirectory, ForceDelete, 2 users)--> {}",
        org.state()
    );
    org = org
        .apply(Event::DeletionCompleted)
        .map_err(Refused::into_error)?;
    println!("  {} ends in {}\n", org.data().alias, org.state());

    println!("== Typestate: the same walk, checked by the compiler ==");
    let org = Typed::new(Org { alias: "typed" });
    let org = org
        .start_creation()
        .start_validation()
        .detect_issue()
        .recover();
    println!(
        "  start_creation, start_validation, detect_issue, recover -> {}",
        org.state()
    );
    let without_force = DeletionRequest {
        delete_directory: true,
        force_delete: false,
    };
    let org = match org.request_deletion(&without_force, 2) {
        Ok(deleting) => return Err(format!("{:?} should need ForceDelete", deleting).into()),
        Err(refused) => {
            println!("  request_deletion refused: {refused}");
            refused.into_value()
        }
    };
    let org = org
        .request_deletion(&request, 2)
        .map_err(Refused::into_error)?;
    println!("  request_deletion -> {}", org.state());
    let org = org.complete_deletion();
    println!("  complete_deletion -> {}", org.state());
    println!("  {} ends in {}\n", org.data().alias, org.state());

    println!("== Polling ==");
    let org = Tracked::new(OrganizationState::Requested, "corp");
    let (org, path) = org
        .observe(OrganizationState::Active)
        .map_err(Refused::into_error)?;
    println!(
        "  Requested, then Active reported: {} implied moves",
        path.len()
    );
    for t in &path {
        println!("    {} -> {} ({})", t.from, t.to, t.event);
    }
    let (org, path) = org
        .observe(OrganizationState::Active)
        .map_err(Refused::into_error)?;
    println!("  Active again: {} moves", path.len());
    let (org, _) = org
        .observe(ReportedState::new("Suspended"))
        .map_err(Refused::into_error)?;
    println!(
        "  a state this version does not know is kept: {}",
        org.state()
    );
    let json = serde_json::to_string(&org)?;
    println!("  stored as {json}\n");

    println!("== Refused moves ==");
    let deleted = Tracked::new(OrganizationState::Deleted, ());
    if let Err(refused) = deleted.clone().transition_to(OrganizationState::Active) {
        println!("  transition_to: {refused}");
    }
    if let Err(refused) = deleted.apply(Event::Recovered) {
        println!("  apply:         {refused}");
    }
    if let Err(err) = OrganizationState::Active.observe(OrganizationState::Creating) {
        println!("  observe:       {err}");
    }
    if let Err(refused) = org.apply(Event::Recovered) {
        println!("  unknown state: {refused}");
    }
    if let Err(err) = DeletionRequest::default().check(OrganizationState::Active, 0) {
        println!("  deletion:      {err}");
    }
    if let Err(err) = request.check(OrganizationState::Creating, 0) {
        println!("  deletion:      {err}");
    }
    Ok(())
}
