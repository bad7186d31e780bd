//! How names and values compare, written once.

/// Whether two DNS names are the same name: ASCII case ignored (RFC 4343) and one trailing
/// dot ignored on either side (the absolute and the relative-looking spelling of one fully
/// qualified name). Linear in the shorter name.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let a = a.strip_suffix('.').unwrap_or(a);
    let b = b.strip_suffix('.').unwrap_or(b);
    a.eq_ignore_ascii_case(b)
}

/// The text inside one pair of enclosing double quotes, or the text as it is.
pub(crate) fn strip_quotes(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ignore_case_and_one_trailing_dot() {
        assert!(same_name("Example.COM.", "example.com"));
        assert!(same_name("example.com", "example.com."));
        assert!(!same_name("example.com..", "example.com"));
        assert!(!same_name("example.co", "example.com"));
    }

    #[test]
    fn quotes_are_stripped_once_and_only_in_pairs() {
        assert_eq!(strip_quotes("\"abc\""), "abc");
        assert_eq!(strip_quotes("\"abc"), "\"abc");
        assert_eq!(strip_quotes("\"\"abc\"\""), "\"abc\"");
        assert_eq!(strip_quotes("\""), "\"");
    }
}
