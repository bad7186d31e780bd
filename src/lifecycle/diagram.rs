//! Renderings of the transition table: a Markdown table, a Mermaid state diagram and a
//! Graphviz DOT graph, all generated from [`TRANSITIONS`].
//!
//! The Markdown table is the one in the [module docs](super): it is checked in as
//! `src/lifecycle/transitions.md` and a unit test fails when it differs from
//! [`to_markdown_table`].
//!
//! ```
//! use workmail_org::lifecycle::diagram;
//!
//! let mermaid = diagram::to_mermaid();
//! assert!(mermaid.starts_with("stateDiagram-v2\n"));
//! assert!(mermaid.contains("    Requested --> Creating: CreationStarted\n"));
//!
//! let dot = diagram::to_dot();
//! assert!(dot.contains("    Requested -> Creating [label=\"CreationStarted\"];\n"));
//! ```

use std::fmt;

use super::event::LifecycleEvent;
use super::list::Listed;
use super::state::OrganizationState;
use super::table::TRANSITIONS;

/// The transition table as Markdown: one row per state with the states it may move to (the
/// shape of the table in the WorkMail facts sheet), then one row per event.
pub fn to_markdown_table() -> String {
    MarkdownTable.to_string()
}

/// The transition table as a Mermaid `stateDiagram-v2`, edges labelled with their events.
/// The start marker points at the states nothing moves to (`Requested`); terminal states
/// (`Deleted`) point at the end marker.
pub fn to_mermaid() -> String {
    Mermaid.to_string()
}

/// The transition table as a Graphviz DOT digraph, edges labelled with their events and
/// terminal states drawn with a double border.
pub fn to_dot() -> String {
    Dot.to_string()
}

struct MarkdownTable;

impl fmt::Display for MarkdownTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("| from | to |\n| --- | --- |\n")?;
        for &state in OrganizationState::ALL {
            if state.is_terminal() {
                writeln!(f, "| {state} | (terminal) |")?;
            } else {
                writeln!(f, "| {state} | {} |", Listed(state.allowed_next()))?;
            }
        }
        f.write_str("\n| event | from | to |\n| --- | --- | --- |\n")?;
        for &event in LifecycleEvent::ALL {
            writeln!(
                f,
                "| {event} | {} | {} |",
                Listed(event.sources()),
                event.target()
            )?;
        }
        Ok(())
    }
}

struct Mermaid;

impl fmt::Display for Mermaid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stateDiagram-v2\n")?;
        for &state in OrganizationState::ALL {
            if state.allowed_previous().is_empty() {
                writeln!(f, "    [*] --> {state}")?;
            }
        }
        for t in TRANSITIONS {
            writeln!(f, "    {} --> {}: {}", t.from(), t.to(), t.event())?;
        }
        for &state in OrganizationState::ALL {
            if state.is_terminal() {
                writeln!(f, "    {state} --> [*]")?;
            }
        }
        Ok(())
    }
}

struct Dot;

impl fmt::Display for Dot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("digraph organization_lifecycle {\n")?;
        f.write_str("    rankdir=LR;\n")?;
        f.write_str("    node [shape=box, style=rounded];\n")?;
        for &state in OrganizationState::ALL {
            if state.is_terminal() {
                writeln!(f, "    {state} [peripheries=2];")?;
            } else {
                writeln!(f, "    {state};")?;
            }
        }
        for t in TRANSITIONS {
            writeln!(
                f,
                "    {} -> {} [label=\"{}\"];",
                t.from(),
                t.to(),
                t.event()
            )?;
        }
        f.write_str("}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in table that the module docs include.
    const CHECKED_IN: &str = include_str!("transitions.md");

    /// Set this variable to rewrite `transitions.md` from the table instead of failing.
    const BLESS: &str = "WORKMAIL_ORG_BLESS";

    #[test]
    fn docs_table_is_generated_from_the_transition_table() {
        let generated = to_markdown_table();
        if std::env::var_os(BLESS).is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/lifecycle/transitions.md");
            std::fs::write(path, &generated).expect("write src/lifecycle/transitions.md");
            return;
        }
        assert!(
            CHECKED_IN == generated,
            "src/lifecycle/transitions.md is out of date with TRANSITIONS; regenerate it with \
             `{BLESS}=1 cargo test --lib lifecycle::diagram` and commit the result\n\
             --- checked in ---\n{CHECKED_IN}\n--- generated ---\n{generated}"
        );
    }

    #[test]
    fn markdown_rows_follow_the_states() {
        let generated = to_markdown_table();
        let mut lines = generated.lines().skip(2);
        for &state in OrganizationState::ALL {
            let row = lines.next().unwrap_or_default();
            assert!(row.starts_with(&format!("| {state} | ")), "{row}");
        }
    }

    #[test]
    fn every_edge_is_drawn_once() {
        let (mermaid, dot) = (to_mermaid(), to_dot());
        assert_eq!(
            mermaid.lines().filter(|l| l.contains(": ")).count(),
            TRANSITIONS.len()
        );
        assert_eq!(
            dot.lines().filter(|l| l.contains(" -> ")).count(),
            TRANSITIONS.len()
        );
        assert!(mermaid.contains("    [*] --> Requested\n"));
        assert!(mermaid.ends_with("    Deleted --> [*]\n"));
        assert!(dot.contains("    Deleted [peripheries=2];\n"));
        assert!(dot.ends_with("}\n"));
    }
}
