//! Where in a spec a finding is.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};

/// A field of the [JSON format](crate::spec#json-format): where a [`Violation`](crate::report::Violation)
/// or an [`Advisory`](crate::Advisory) is.
///
/// `Display` writes the path as the format spells it (`alias`, `domains[2].name`,
/// `directory.region`, and the empty string for the organization as a whole), and so does
/// `Serialize`. `Ord` is the order of the format's fields: `alias`, `region`, `domains`, then
/// each entry with its own fields (`domains[0]`, `domains[0].name`,
/// `domains[0].hosted_zone_id`, `domains[1]`, ...), `default_domain`, the `directory` fields
/// in their order, `encryption.kms_key_arn`, `interoperability`, `client_token`; the
/// organization as a whole comes first. Findings are sorted in this order.
///
/// The format may gain fields, so the enum is `#[non_exhaustive]`.
///
/// ```
/// use workmail_org::{FieldPath, OrganizationDraft};
///
/// assert_eq!(FieldPath::DomainName(2).to_string(), "domains[2].name");
/// assert_eq!(FieldPath::DirectoryRegion.to_string(), "directory.region");
/// assert_eq!(FieldPath::Organization.to_string(), "");
/// assert!(FieldPath::Domain(1) < FieldPath::DomainName(1));
/// assert!(FieldPath::HostedZoneId(1) < FieldPath::Domain(2));
///
/// let violations = OrganizationDraft::new("acme_corp", "mars-1").validate().unwrap_err();
/// let paths: Vec<FieldPath> = violations.iter().map(|v| v.path()).collect();
/// assert_eq!(paths, [FieldPath::Alias, FieldPath::Region]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldPath {
    /// `""`: the organization as a whole, e.g. for the account's organization quota.
    Organization,
    /// `alias`.
    Alias,
    /// `region`.
    Region,
    /// `domains`: the list as a whole.
    Domains,
    /// `domains[i]`: one entry of the list.
    Domain(usize),
    /// `domains[i].name`.
    DomainName(usize),
    /// `domains[i].hosted_zone_id`.
    HostedZoneId(usize),
    /// `default_domain`.
    DefaultDomain,
    /// `directory.directory_id`.
    DirectoryId,
    /// `directory.directory_type`.
    DirectoryType,
    /// `directory.alias`.
    DirectoryAlias,
    /// `directory.region`.
    DirectoryRegion,
    /// `directory.additional_regions`.
    DirectoryAdditionalRegions,
    /// `directory.stage`.
    DirectoryStage,
    /// `encryption.kms_key_arn`.
    KmsKeyArn,
    /// `interoperability`.
    Interoperability,
    /// `client_token`.
    ClientToken,
}

/// The paths without an index, in the format's order, each with its text: `FIXED_PATHS`, and
/// `FieldPath::fixed_text` for `Display` and `parse`. A path's rank in the list is its order.
macro_rules! fixed_paths {
    ($($path:ident => $text:literal,)+) => {
        /// The paths without an index, in the format's order.
        pub(crate) const FIXED_PATHS: &[FieldPath] = &[$(FieldPath::$path),+];

        impl FieldPath {
            /// The text of a path without an index; `None` for a `domains[i]` path.
            const fn fixed_text(self) -> Option<&'static str> {
                match self {
                    $(FieldPath::$path => Some($text),)+
                    FieldPath::Domain(_)
                    | FieldPath::DomainName(_)
                    | FieldPath::HostedZoneId(_) => None,
                }
            }
        }
    };
}

fixed_paths! {
    Organization => "",
    Alias => "alias",
    Region => "region",
    Domains => "domains",
    DefaultDomain => "default_domain",
    DirectoryId => "directory.directory_id",
    DirectoryType => "directory.directory_type",
    DirectoryAlias => "directory.alias",
    DirectoryRegion => "directory.region",
    DirectoryAdditionalRegions => "directory.additional_regions",
    DirectoryStage => "directory.stage",
    KmsKeyArn => "encryption.kms_key_arn",
    Interoperability => "interoperability",
    ClientToken => "client_token",
}

impl FieldPath {
    /// Where the path sorts: its rank in [`FIXED_PATHS`]; a `domains[i]` path sorts right
    /// after `domains`, by its index and then its field within the entry.
    fn order(self) -> (usize, usize, u8) {
        let (rank_of, index, within) = match self {
            FieldPath::Domain(index) => (FieldPath::Domains, index, 1),
            FieldPath::DomainName(index) => (FieldPath::Domains, index, 2),
            FieldPath::HostedZoneId(index) => (FieldPath::Domains, index, 3),
            fixed => (fixed, 0, 0),
        };
        let rank = FIXED_PATHS
            .iter()
            .position(|path| *path == rank_of)
            .unwrap_or(usize::MAX);
        (rank, index, within)
    }
}

impl Ord for FieldPath {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order().cmp(&other.order())
    }
}

impl PartialOrd for FieldPath {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Domain(index) => write!(f, "domains[{index}]"),
            FieldPath::DomainName(index) => write!(f, "domains[{index}].name"),
            FieldPath::HostedZoneId(index) => write!(f, "domains[{index}].hosted_zone_id"),
            fixed => f.write_str(fixed.fixed_text().unwrap_or_default()),
        }
    }
}

impl Serialize for FieldPath {
    /// The path as `Display` writes it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FieldPath {
    /// Reads a path as `Display` writes it, with exactly one spelling per path (so what is
    /// read writes back unchanged); `None` for anything else, or for text over `max_bytes`.
    pub(crate) fn parse(text: &str, max_bytes: usize) -> Option<FieldPath> {
        if text.len() > max_bytes {
            return None;
        }
        if let Some(&path) = FIXED_PATHS
            .iter()
            .find(|path| path.fixed_text() == Some(text))
        {
            return Some(path);
        }
        let (digits, field) = text.strip_prefix("domains[")?.split_once(']')?;
        // Decimal digits without a leading zero: the one spelling `Display` writes.
        let canonical = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        if !canonical {
            return None;
        }
        let index = digits.parse().ok()?;
        match field {
            "" => Some(FieldPath::Domain(index)),
            ".name" => Some(FieldPath::DomainName(index)),
            ".hosted_zone_id" => Some(FieldPath::HostedZoneId(index)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_the_field_order_of_the_format() {
        let sorted = [
            FieldPath::Organization,
            FieldPath::Alias,
            FieldPath::Region,
            FieldPath::Domains,
            FieldPath::Domain(0),
            FieldPath::DomainName(0),
            FieldPath::HostedZoneId(0),
            FieldPath::Domain(1),
            FieldPath::DomainName(1),
            FieldPath::Domain(10),
            FieldPath::DefaultDomain,
            FieldPath::DirectoryId,
            FieldPath::DirectoryType,
            FieldPath::DirectoryAlias,
            FieldPath::DirectoryRegion,
            FieldPath::DirectoryAdditionalRegions,
            FieldPath::DirectoryStage,
            FieldPath::KmsKeyArn,
            FieldPath::Interoperability,
            FieldPath::ClientToken,
        ];
        for pair in sorted.windows(2) {
            assert!(pair[0] < pair[1], "{:?} < {:?}", pair[0], pair[1]);
        }
        let mut shuffled = sorted;
        shuffled.reverse();
        shuffled.sort();
        assert_eq!(shuffled, sorted);
    }

    #[test]
    fn paths_display_and_serialize_as_the_format_spells_them() {
        assert_eq!(
            FieldPath::HostedZoneId(3).to_string(),
            "domains[3].hosted_zone_id"
        );
        assert_eq!(FieldPath::Domain(0).to_string(), "domains[0]");
        assert_eq!(FieldPath::KmsKeyArn.to_string(), "encryption.kms_key_arn");
        assert_eq!(
            serde_json::to_string(&FieldPath::DirectoryStage).unwrap(),
            "\"directory.stage\""
        );
    }
}
