//! Where a store keeps its tables: [`Namespace`].

/// Where a store keeps its tables, so that several stores share one database without seeing
/// each other's rows: a PostgreSQL schema, or a prefix of SQLite's table names
/// (`emulator` → `emulator_organization_entry`). `migrate` creates it.
///
/// Lower-case ASCII letters, digits and `_`, starting with a letter, at most 48 bytes, and
/// not `pg_…` (PostgreSQL keeps those), so it needs no quoting on either engine.
///
/// ```
/// use workmail_org_stores::Namespace;
///
/// let namespace: Namespace = "workmail_emulator".parse()?;
/// assert_eq!(namespace.as_str(), "workmail_emulator");
/// let err = "Emulator".parse::<Namespace>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "namespace \"Emulator\": character 'E' at position 0 is not allowed (lower-case ASCII \
///      letters, digits and _, starting with a letter)"
/// );
/// # Ok::<(), workmail_org_stores::NamespaceError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Namespace(String);

impl Namespace {
    /// The longest namespace, in bytes: PostgreSQL's names have at most 63, and the longest
    /// table name the stores add to a prefix is 24 (the emulator's
    /// `emulator_failing_domains`).
    pub const MAX_LEN: usize = 40;

    /// The namespace's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Namespace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Namespace {
    type Err = NamespaceError;

    fn from_str(text: &str) -> Result<Self, NamespaceError> {
        let refuse = |problem: String| NamespaceError {
            shown: text.chars().take(Self::MAX_LEN + 8).collect(),
            problem,
        };
        if text.is_empty() {
            return Err(refuse("is empty".to_owned()));
        }
        if text.len() > Self::MAX_LEN {
            return Err(refuse(format!(
                "has {} bytes, more than {}",
                text.len(),
                Self::MAX_LEN
            )));
        }
        for (position, character) in text.chars().enumerate() {
            let allowed = character.is_ascii_lowercase()
                || (position > 0 && (character.is_ascii_digit() || character == '_'));
            if !allowed {
                return Err(refuse(format!(
                    "character {character:?} at position {position} is not allowed \
                     (lower-case ASCII letters, digits and _, starting with a letter)"
                )));
            }
        }
        if text.starts_with("pg_") {
            return Err(refuse("starts with pg_, which PostgreSQL keeps".to_owned()));
        }
        Ok(Namespace(text.to_owned()))
    }
}

/// A namespace that breaks a rule of [`Namespace`]: the message names it and the rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("namespace \"{shown}\": {problem}")]
pub struct NamespaceError {
    shown: String,
    problem: String,
}
