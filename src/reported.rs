//! [`Reported`]: a value as AWS or a resolver reported it, kept even when this crate cannot
//! read it.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// A value as AWS (or a resolver) reported it: the exact text, and the typed value when this
/// crate knows it. The crate's one lenient form, like rustls's `ApplicationProtocol::Other`.
///
/// AWS's responses type many fields as free-form strings (an organization state, a
/// directory type, a verification status, a DNS record type, an ARN) and AWS may send values
/// that no strict type of this crate accepts: a state added later, a directory no spec can
/// choose (`VpcDirectory`), an ARN whose organization id breaks the documented pattern.
/// Rejecting them would lose what AWS said; accepting them into the strict types would break
/// those types' promise. So a reported value keeps the text verbatim and parses it once with
/// `T`'s `FromStr`: [`known`](Self::known) is the strict value, or `None` when this version
/// of the crate cannot read it. `Display`, [`as_str`](Self::as_str) and serde give the text
/// back unchanged, so an unknown value is written back exactly as read.
///
/// - **Equality and hashing compare the text**: two reports are equal when the same string
///   was reported. A report equals a `T` (`PartialEq<T>`) when it is known and its value
///   equals it, which is how to ask "is this `VERIFIED`?" whatever the spelling `T`'s parser
///   accepts.
/// - `From<T>` is a known value with its canonical text (`T`'s `Display`).
/// - Serde writes the text and reads any string (only a non-string fails).
/// - `Debug` shows the known value's `Debug`, or `Unknown("text")`.
///
/// The aliases [`ReportedState`](crate::lifecycle::ReportedState) and the field types of
/// [`aws`](crate::aws) and [`dns`](crate::dns) are all this one type.
///
/// ```
/// use workmail_org::spec::DirectoryKind;
/// use workmail_org::Reported;
///
/// let kind: Reported<DirectoryKind> = Reported::new("ADConnector");
/// assert_eq!(kind.known(), Some(&DirectoryKind::AdConnector));
/// assert_eq!(kind, DirectoryKind::AdConnector);
///
/// let vpc: Reported<DirectoryKind> = Reported::new("VpcDirectory");
/// assert!(!vpc.is_known());
/// assert_eq!(vpc.as_str(), "VpcDirectory");
/// assert_eq!(format!("{vpc:?}"), r#"Unknown("VpcDirectory")"#);
/// assert_eq!(serde_json::to_string(&vpc)?, "\"VpcDirectory\"");
/// assert_eq!(serde_json::from_str::<Reported<DirectoryKind>>("\"VpcDirectory\"")?, vpc);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Reported<T> {
    text: Box<str>,
    known: Option<T>,
}

impl<T: FromStr> Reported<T> {
    /// Keeps `text` and parses it with `T`'s `FromStr`. Never fails.
    ///
    /// The text is not bounded here: the readers of AWS responses in this crate check each
    /// field's length from the API model before they keep it, and a caller building one from
    /// other input should bound it too.
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

    /// The text exactly as reported.
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
    /// The same text.
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<T> Eq for Reported<T> {}

impl<T: PartialEq> PartialEq<T> for Reported<T> {
    /// Known, and equal to `other`.
    fn eq(&self, other: &T) -> bool {
        self.known.as_ref() == Some(other)
    }
}

impl<T> Hash for Reported<T> {
    /// The text, as equality compares it.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl<T> AsRef<str> for Reported<T> {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl<T> fmt::Display for Reported<T> {
    /// The text exactly as reported.
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
    /// Reads any string; only a non-string fails.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Reported::new(text.into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::DomainName;

    #[test]
    fn keeps_the_text_and_the_canonical_value_apart() {
        let domain: Reported<DomainName> = Reported::new("Site.AwsApps.com");
        assert_eq!(domain.as_str(), "Site.AwsApps.com");
        let canonical = domain.known().unwrap().clone();
        assert_eq!(canonical.as_str(), "site.awsapps.com");
        // The text differs, the value is the same.
        assert_ne!(domain, Reported::from(canonical.clone()));
        assert_eq!(domain, canonical);
        assert_eq!(domain.into_known(), Some(canonical));
    }
}
