//! What goes wrong: bad input ([`LeavingError`]) and a guard's refusal ([`Refusal`]).

use std::fmt;

use crate::rule::Rule;
use crate::text::debug_as_display;

/// Input the plan cannot use, or a report that does not fit the plan: names the field, and
/// the rule when one applies.
///
/// Its message reads `FIELD: WHAT` (`FIELD: WHAT (RULE)` with a rule).
#[derive(Clone, PartialEq, Eq)]
pub struct LeavingError {
    field: String,
    rule: Option<Rule>,
    message: String,
}

impl LeavingError {
    pub(crate) fn input(field: impl Into<String>, message: impl Into<String>) -> Self {
        LeavingError {
            field: field.into(),
            rule: None,
            message: message.into(),
        }
    }

    pub(crate) fn rule(field: impl Into<String>, rule: Rule, message: impl Into<String>) -> Self {
        LeavingError {
            field: field.into(),
            rule: Some(rule),
            message: message.into(),
        }
    }

    /// The input field, e.g. `"concurrency"` or `"domains[1].records"`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The rule broken, if one is.
    pub fn broken_rule(&self) -> Option<Rule> {
        self.rule
    }

    /// What was wrong, without the field.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn within(mut self, outer: &str) -> Self {
        self.field = format!("{outer}.{}", self.field);
        self
    }
}

impl fmt::Display for LeavingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)?;
        if let Some(rule) = self.rule {
            write!(f, " ({rule})")?;
        }
        Ok(())
    }
}

impl std::error::Error for LeavingError {}

debug_as_display!(LeavingError);

/// A guard's refusal: the rule, why, and what is still pending (domains, mailboxes).
///
/// Its message reads `RULE: SUMMARY; WHY`, e.g. `leaving.cutover_pending: no mailbox export
/// starts before the cutover holds for every domain; waiting for acme.example: the new MX
/// is not seen yet`.
#[derive(Clone, PartialEq, Eq)]
pub struct Refusal {
    rule: Rule,
    pending: Vec<String>,
}

impl Refusal {
    pub(crate) fn new(rule: Rule, pending: Vec<String>) -> Self {
        Refusal { rule, pending }
    }

    /// The guard's rule.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// What is still pending, one item each (`acme.example: the new MX is not seen yet`).
    pub fn pending(&self) -> &[String] {
        &self.pending
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.rule.summary())?;
        const SHOWN: usize = 10;
        for (index, item) in self.pending.iter().take(SHOWN).enumerate() {
            f.write_str(if index == 0 { "; waiting for " } else { ", " })?;
            f.write_str(item)?;
        }
        if self.pending.len() > SHOWN {
            write!(f, ", and {} more", self.pending.len() - SHOWN)?;
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}

debug_as_display!(Refusal);
