//! Walks a WorkMail organization through its lifecycle.
//!
//! Prints the state diagram generated from the transition table (Mermaid, then Graphviz DOT),
//! walks an organization from `Requested` to `Deleted` at run time and with the typestate,
//! shows a polling jump accepted by `observe`, and the errors for illegal moves.
//!
//! Run with `cargo run --example lifecycle`.

use workmail_org::lifecycle::{
    diagram, AnyOrganization, DeletionRequest, LifecycleEvent, OrganizationState, TypedOrganization,
};

/// What the caller keeps with its organization.
struct Org {
    alias: &'static str,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("== State diagram (Mermaid) ==\n{}", diagram::to_mermaid());
    println!("== State diagram (Graphviz DOT) ==\n{}", diagram::to_dot());

    println!("== Run time: events applied to a stored organization ==");
    let mut org = AnyOrganization::new(OrganizationState::Requested, Org { alias: "corp" });
    let events = [
        LifecycleEvent::CreationStarted,
        LifecycleEvent::ValidationStarted,
        LifecycleEvent::IssueDetected,
        LifecycleEvent::Recovered,
        LifecycleEvent::DeletionRequested,
        LifecycleEvent::DeletionCompleted,
    ];
    for event in events {
        let from = org.state();
        if event == LifecycleEvent::DeletionRequested {
            let request = DeletionRequest::new()
                .with_delete_directory(true)
                .with_force_delete(true);
            from.check_deletion(&request, 2)?;
            println!("  deletion request checked: DeleteDirectory and ForceDelete, 2 users");
        }
        org = org.apply(event)?;
        println!("  {from} --{event}--> {}", org.state());
    }
    println!("  {} ends in {}\n", org.data().alias, org.state());

    println!("== Typestate: the same walk, checked by the compiler ==");
    let org = TypedOrganization::new(Org { alias: "typed" });
    println!("  {}", org.state());
    let org = org.start_creation();
    println!("  start_creation    -> {}", org.state());
    let org = org.start_validation();
    println!("  start_validation  -> {}", org.state());
    let org = org.detect_issue();
    println!("  detect_issue      -> {}", org.state());
    let org = org.recover();
    println!("  recover           -> {}", org.state());
    let org = org.request_deletion();
    println!("  request_deletion  -> {}", org.state());
    let org = org.complete_deletion();
    println!("  complete_deletion -> {}", org.state());
    println!("  {} ends in {}\n", org.data().alias, org.state());

    println!("== Polling: Requested last seen, Active reported ==");
    let path = OrganizationState::Requested.observe(OrganizationState::Active)?;
    for step in &path {
        println!("  implied: {step}");
    }
    println!();

    println!("== Illegal moves ==");
    if let Err(err) = OrganizationState::Deleted.transition_to(OrganizationState::Active) {
        println!("  transition_to: {err}");
    }
    if let Err(err) = OrganizationState::Requested.apply(LifecycleEvent::Recovered) {
        println!("  apply:         {err}");
    }
    if let Err(err) = OrganizationState::Active.observe(OrganizationState::Creating) {
        println!("  observe:       {err}");
    }
    if let Err(err) = OrganizationState::Active.check_deletion(&DeletionRequest::new(), 0) {
        println!("  deletion:      {err}");
    }
    Ok(())
}
