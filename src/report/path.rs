//! Where in a spec a finding is.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};

/// A field of the [JSON format](crate::spec#json-format): where a [`Violation`](crate::Violation)
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

impl FieldPath {
    /// Where the path sorts: its field's rank in the format, then the entry index and the
    /// field within the entry for `domains[i]` paths.
    fn order(self) -> (u8, usize, u8) {
        match self {
            FieldPath::Organization => (0, 0, 0),
            FieldPath::Alias => (1, 0, 0),
            FieldPath::Region => (2, 0, 0),
            FieldPath::Domains => (3, 0, 0),
            FieldPath::Domain(index) => (4, index, 0),
            FieldPath::DomainName(index) => (4, index, 1),
            FieldPath::HostedZoneId(index) => (4, index, 2),
            FieldPath::DefaultDomain => (5, 0, 0),
            FieldPath::DirectoryId => (6, 0, 0),
            FieldPath::DirectoryType => (7, 0, 0),
            FieldPath::DirectoryAlias => (8, 0, 0),
            FieldPath::DirectoryRegion => (9, 0, 0),
            FieldPath::DirectoryAdditionalRegions => (10, 0, 0),
            FieldPath::DirectoryStage => (11, 0, 0),
            FieldPath::KmsKeyArn => (12, 0, 0),
            FieldPath::Interoperability => (13, 0, 0),
            FieldPath::ClientToken => (14, 0, 0),
        }
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
        let fixed = match self {
            FieldPath::Organization => "",
            FieldPath::Alias => "alias",
            FieldPath::Region => "region",
            FieldPath::Domains => "domains",
            FieldPath::Domain(index) => return write!(f, "domains[{index}]"),
            FieldPath::DomainName(index) => return write!(f, "domains[{index}].name"),
            FieldPath::HostedZoneId(index) => return write!(f, "domains[{index}].hosted_zone_id"),
            FieldPath::DefaultDomain => "default_domain",
            FieldPath::DirectoryId => "directory.directory_id",
            FieldPath::DirectoryType => "directory.directory_type",
            FieldPath::DirectoryAlias => "directory.alias",
            FieldPath::DirectoryRegion => "directory.region",
            FieldPath::DirectoryAdditionalRegions => "directory.additional_regions",
            FieldPath::DirectoryStage => "directory.stage",
            FieldPath::KmsKeyArn => "encryption.kms_key_arn",
            FieldPath::Interoperability => "interoperability",
            FieldPath::ClientToken => "client_token",
        };
        f.write_str(fixed)
    }
}

impl Serialize for FieldPath {
    /// The path as `Display` writes it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The paths without an index, in the format's order.
pub(crate) const FIXED_PATHS: &[FieldPath] = &[
    FieldPath::Organization,
    FieldPath::Alias,
    FieldPath::Region,
    FieldPath::Domains,
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

impl FieldPath {
    /// Reads a path as `Display` writes it, with exactly one spelling per path (so what is
    /// read writes back unchanged); `None` for anything else, or for text over `max_bytes`.
    pub(crate) fn parse(text: &str, max_bytes: usize) -> Option<FieldPath> {
        if text.len() > max_bytes {
            return None;
        }
        if let Some(&path) = FIXED_PATHS.iter().find(|path| path.to_string() == text) {
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
