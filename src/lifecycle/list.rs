//! Formatting helper for the lists in error messages and diagrams.

use std::fmt;

/// Displays a slice as `A, B, C`, or `none` when empty.
pub(crate) struct Listed<'a, T>(pub(crate) &'a [T]);

impl<T: fmt::Display> fmt::Display for Listed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items = self.0.iter();
        match items.next() {
            None => f.write_str("none"),
            Some(first) => {
                write!(f, "{first}")?;
                items.try_for_each(|item| write!(f, ", {item}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Listed;

    #[test]
    fn joins_with_commas() {
        assert_eq!(Listed(&["A", "B", "C"]).to_string(), "A, B, C");
        assert_eq!(Listed(&["A"]).to_string(), "A");
        assert_eq!(Listed::<&str>(&[]).to_string(), "none");
    }
}
