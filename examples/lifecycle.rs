//! Walks a WorkMail organization through its lifecycle.
//!
//! Prints the state diagram generated from the transition table (Mermaid, then Graphviz DOT),
//! walks an organization from `Requested` to `Deleted` at run time and with the typestate
//! (requesting the deletion with a checked `DeletionRequest`), shows a polling jump accepted
//! by `observe`, and the errors for illegal moves and refused deletions.
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

    let request = DeletionRequest::new()
        .with_delete_directory(true)
        .with_force_delete(true);

    println!("== Run time: events AWS reported, applied to a stored organization ==");
    let mut org = AnyOrganization::new(OrganizationState::Requested, Org { alias: "corp" });
    let reported = [
        LifecycleEvent::CreationStarted,
        LifecycleEvent::ValidationStarted,
        LifecycleEvent::IssueDetected,
        LifecycleEvent::Recovered,
    ];
    for event in reported {
        let from = org.state();
        org = org.apply(event)?;
        println!("  {from} --{event}--> {}", org.state());
    }
    // Deleting is asked for, not reported: the request is checked before the move.
    let from = org.state();
    org = org.request_deletion(&request, 2)?;
    println!(
        "  {from} --request_deletion(DeleteDirectory, ForceDelete, 2 users)--> {}",
        org.state()
    );
    let from = org.state();
    org = org.apply(LifecycleEvent::DeletionCompleted)?;
    println!("  {from} --DeletionCompleted--> {}", org.state());
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
    let without_force = DeletionRequest::new().with_delete_directory(true);
    let org = match org.request_deletion(&without_force, 2) {
        Ok(deleting) => return Err(format!("{} should need ForceDelete", deleting.state()).into()),
        Err(refused) => {
            println!("  request_deletion  refused: {refused}");
            refused.into_organization()
        }
    };
    println!("  (still {})", org.state());
    let org = org.request_deletion(&request, 2)?;
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
    if let Err(err) = OrganizationState::Active.request_deletion(&DeletionRequest::new(), 0) {
        println!("  deletion:      {err}");
    }
    if let Err(err) = OrganizationState::Creating.request_deletion(&request, 0) {
        println!("  deletion:      {err}");
    }
    Ok(())
}
