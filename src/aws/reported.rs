//! What AWS reports, kept even when this crate cannot read it.

use std::fmt;
use std::str::FromStr;

/// A value as AWS reported it: the exact text, and the typed value when this crate knows it.
///
/// AWS's responses type many fields as free-form strings (a directory type, a mail domain,
/// an ARN) and its own documentation shows values that no spec can choose (`VpcDirectory`)
/// or that break the documented pattern (an ARN whose organization id is not `m-` and 32 hex
/// digits). Rejecting them would lose what AWS said; accepting them into the strict types
/// would break those types' promise. So a reported value keeps the text verbatim and parses
/// it once: [`known`](Self::known) is the strict value, or `None` when this version of the
/// crate cannot read it. Serde writes the text back unchanged.
///
/// Equality and hashing compare the text: two reports are equal when AWS sent the same
/// string.
///
/// ```
/// use workmail_org::aws::Reported;
/// use workmail_org::spec::DirectoryKind;
///
/// let kind: Reported<DirectoryKind> = Reported::new("ADConnector");
/// assert_eq!(kind.known(), Some(&DirectoryKind::AdConnector));
///
/// let vpc: Reported<DirectoryKind> = Reported::new("VpcDirectory");
/// assert_eq!(vpc.known(), None);
/// assert_eq!(vpc.as_str(), "VpcDirectory");
/// assert_eq!(serde_json::to_string(&vpc)?, "\"VpcDirectory\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Reported<T> {
    text: Box<str>,
    known: Option<T>,
}

impl<T: FromStr> Reported<T> {
    /// Keeps `text` and parses it with `T`'s `FromStr`.
    ///
    /// The text is not bounded here: the readers of AWS responses in this module check each
    /// field's length from the API model before they keep it.
    pub fn new(text: impl Into<Box<str>>) -> Self {
        let text = text.into();
        let known = text.parse().ok();
        Reported { text, known }
    }
}

impl<T> Reported<T> {
    /// The value, when this crate can read it.
    pub fn known(&self) -> Option<&T> {
        self.known.as_ref()
    }

    /// The value, when this crate can read it, by value.
    pub fn into_known(self) -> Option<T> {
        self.known
    }

    /// The text exactly as AWS reported it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this crate can read the value.
    pub fn is_known(&self) -> bool {
        self.known.is_some()
    }
}

impl<T: fmt::Display> From<T> for Reported<T> {
    /// A known value, with its canonical text.
    fn from(value: T) -> Self {
        Reported {
            text: value.to_string().into_boxed_str(),
            known: Some(value),
        }
    }
}

impl<T> PartialEq for Reported<T> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<T> Eq for Reported<T> {}

impl<T> std::hash::Hash for Reported<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl<T> AsRef<str> for Reported<T> {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl<T> fmt::Display for Reported<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<T: fmt::Debug> fmt::Debug for Reported<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.known {
            Some(known) => fmt::Debug::fmt(known, f),
            None => f.debug_tuple("Unknown").field(&self.text).finish(),
        }
    }
}

impl<T> serde::Serialize for Reported<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de, T: FromStr> serde::Deserialize<'de> for Reported<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Reported::new(text.into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainName;

    #[test]
    fn keeps_the_text_and_the_canonical_value_apart() {
        let domain: Reported<DomainName> = Reported::new("Site.AwsApps.com");
        assert_eq!(domain.as_str(), "Site.AwsApps.com");
        assert_eq!(
            domain.known().map(DomainName::as_str),
            Some("site.awsapps.com")
        );
        assert_ne!(domain, Reported::from(domain.known().unwrap().clone()));
    }
}
