//! Reading a request's JSON members: the body into an operation's shape, a required member, and
//! `MaxResults`. Every operation file and the control API read their bodies through it, so
//! every body has the same limits and errors.

use serde::de::DeserializeOwned;

use crate::wire::{ErrorName, Exception};

/// How deep a request body may nest: WorkMail's shapes need 3 levels; serde_json skips
/// unknown members without a depth limit, so the limit is checked before parsing.
const MAX_DEPTH: usize = 32;

/// Reads a request body: a JSON object, unknown members ignored (newer clients send members
/// this version does not know); an empty body is `{}`.
pub(crate) fn read_body<T: DeserializeOwned>(
    what: impl std::fmt::Display,
    body: &[u8],
) -> Result<T, Exception> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    if too_deep(body) {
        return Err(Exception::new(
            ErrorName::Serialization,
            format!("{what} request body: nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    serde_json::from_slice(body).map_err(|err| {
        Exception::new(
            ErrorName::Serialization,
            format!("{what} request body: {err}"),
        )
    })
}

/// Whether `body` nests arrays and objects deeper than [`MAX_DEPTH`], outside strings.
fn too_deep(body: &[u8]) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in body {
        match (in_string, byte) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') | (false, b'"') => in_string = !in_string,
            (false, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// A required member, or `InvalidParameterException` naming it.
pub(crate) fn required<T>(value: Option<T>, member: &str) -> Result<T, Exception> {
    value.ok_or_else(|| {
        Exception::new(
            ErrorName::InvalidParameter,
            format!("{member}: missing, but required"),
        )
    })
}

/// `MaxResults` within 1 to 100 (absent: 100).
pub(crate) fn max_results(value: Option<i64>) -> Result<usize, Exception> {
    match value {
        None => Ok(100),
        Some(n @ 1..=100) => Ok(n as usize),
        Some(n) => Err(Exception::new(
            ErrorName::InvalidParameter,
            format!("MaxResults: {n} is not within 1 to 100"),
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn depth_is_counted_outside_strings() {
        assert!(!super::too_deep(
            br#"{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#
        ));
        assert!(super::too_deep("[".repeat(33).as_bytes()));
        assert!(!super::too_deep("[".repeat(32).as_bytes()));
    }
}
