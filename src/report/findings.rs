//! Collecting findings while every rule runs (serde_derive's `Ctxt` pattern).

use super::{Advisory, AdvisoryKind, FieldPath, Violation, Violations};
use crate::id::ParseError;
use crate::rule::Rule;

/// The most violations reported for one spec; past them, one more violation
/// ([`Rule::ViolationsLeftOut`], at the empty path) gives how many were left out.
///
/// A 1 MiB body can list about 49,000 bad domains, whose violations would take 8.6 MB: the
/// first hundred say what is wrong as well as all of them.
pub const MAX_VIOLATIONS: usize = 100;

/// Why a value is there once [`Findings::finish`] found no violation: each value that fails
/// to parse records one.
pub(crate) const PARSED: &str = "a field that fails to parse records a violation";

/// Collects the violations and advisories of one validation.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub(crate) violations: Vec<Violation>,
    pub(crate) advisories: Vec<Advisory>,
}

impl Findings {
    /// Records a violation.
    pub(crate) fn violation(&mut self, path: FieldPath, rule: Rule, message: impl Into<String>) {
        self.violations.push(Violation::new(path, rule, message));
    }

    /// Records an advisory.
    pub(crate) fn advise(
        &mut self,
        path: FieldPath,
        kind: AdvisoryKind,
        message: impl Into<String>,
    ) {
        self.advisories.push(Advisory::new(path, kind, message));
    }

    /// Keeps a parsed field value, or records why it was rejected.
    pub(crate) fn field<T>(&mut self, path: FieldPath, parsed: Result<T, ParseError>) -> Option<T> {
        parsed
            .map_err(|err| {
                self.violations
                    .push(Violation::from_parse_error(path, &err))
            })
            .ok()
    }

    /// Keeps an optional field: `Some(None)` when it is unset, `Some(Some(value))` when it
    /// parsed, `None` (and a recorded violation) when it was rejected.
    pub(crate) fn optional<T>(
        &mut self,
        path: FieldPath,
        text: Option<&str>,
        parse: fn(&str) -> Result<T, ParseError>,
    ) -> Option<Option<T>> {
        match text {
            None => Some(None),
            Some(text) => self.field(path, parse(text)).map(Some),
        }
    }

    /// The violations in field order (stable: ties keep the order they were found in), at
    /// most [`MAX_VIOLATIONS`] of them and then one saying how many more there were; or
    /// `value` when there are none.
    ///
    /// `value` is `None` only when some field failed to parse, and every such failure
    /// recorded a violation; so with no violations, `value` is always `Some`.
    pub(crate) fn conclude<T>(self, value: Option<T>) -> Result<T, Violations> {
        self.finish()?;
        Ok(value.expect(PARSED))
    }

    /// The violations, as [`conclude`](Self::conclude) reports them, or `Ok(())` when there
    /// are none: for a caller that builds its value only then, in place.
    pub(crate) fn finish(self) -> Result<(), Violations> {
        let mut violations = self.violations;
        violations.sort_by_key(Violation::path);
        let left_out = violations.len().saturating_sub(MAX_VIOLATIONS);
        if left_out > 0 {
            violations.truncate(MAX_VIOLATIONS);
            violations.push(Violation::new(
                FieldPath::Organization,
                Rule::ViolationsLeftOut,
                format!(
                    "{left_out} more violation{} left out; at most {MAX_VIOLATIONS} are reported for one spec",
                    if left_out == 1 { " is" } else { "s are" }
                ),
            ));
        }
        Violations::from_vec(violations)
    }

    /// The advisories in field order.
    pub(crate) fn into_advisories(self) -> Vec<Advisory> {
        let mut advisories = self.advisories;
        advisories.sort_by_key(Advisory::path);
        advisories
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_cap_one_violation_counts_the_rest() {
        let mut findings = Findings::default();
        for index in (0..MAX_VIOLATIONS + 7).rev() {
            findings.violation(FieldPath::DomainName(index), Rule::DomainLength, "too long");
        }
        let violations = findings.conclude(Some(())).unwrap_err().into_vec();
        assert_eq!(violations.len(), MAX_VIOLATIONS + 1);
        assert_eq!(violations[0].path(), FieldPath::DomainName(0));
        assert_eq!(
            violations[MAX_VIOLATIONS - 1].path(),
            FieldPath::DomainName(MAX_VIOLATIONS - 1)
        );
        let last = &violations[MAX_VIOLATIONS];
        assert_eq!(last.path(), FieldPath::Organization);
        assert_eq!(last.rule(), Rule::ViolationsLeftOut);
        assert_eq!(
            last.message(),
            "7 more violations are left out; at most 100 are reported for one spec"
        );
    }

    #[test]
    fn at_the_cap_nothing_is_left_out() {
        let mut findings = Findings::default();
        for index in 0..MAX_VIOLATIONS {
            findings.violation(FieldPath::DomainName(index), Rule::DomainLength, "too long");
        }
        let violations = findings.conclude(Some(())).unwrap_err();
        assert_eq!(violations.len(), MAX_VIOLATIONS);
        assert!(!violations.contains(Rule::ViolationsLeftOut));
    }
}
