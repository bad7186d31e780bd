//! The rules of a whole organization spec, one function per rule.
//!
//! Single-value rules live in the value types' constructors
//! ([`OrganizationAlias::parse`](crate::OrganizationAlias::parse),
//! [`DomainName::parse`], ...); what is here needs several fields, or a directory's report.
//! Each rule function takes the parsed values it needs and records into the shared
//! [`Findings`]; [`validate`](crate::spec::OrganizationDraft::validate) calls it only when they
//! parsed, as a parse failure was already reported.

use std::collections::HashMap;

use crate::id::TEST_DOMAIN_SUFFIX;
use crate::id::{DomainName, OrganizationAlias, Region};
use crate::report::{FieldPath, Findings};
use crate::rule::Rule;
use crate::text::{shown, Listed};

use super::directory::{DirectoryDraft, DirectoryKind, ACTIVE_STAGE, SHARED_MICROSOFT_AD};
use super::email_domain::ListedDomain;
use super::MAX_USER_DOMAINS;

// ---------------------------------------------------------------------------------------
// Domains

/// `domains.free_test_duplicate`: the free test domain is listed at most once.
pub(super) fn free_test_listed_once(domains: &[impl ListedDomain], findings: &mut Findings) {
    let mut first = None;
    for (index, entry) in domains.iter().enumerate() {
        if !entry.is_free_test() {
            continue;
        }
        match first {
            None => first = Some(index),
            Some(first) => findings.violation(
                FieldPath::Domain(index),
                Rule::DomainsFreeTestDuplicate,
                format!(
                    "the free test domain is already listed as domains[{first}]; list it at most once"
                ),
            ),
        }
    }
}

/// `domains.limit`: at most five domains besides the free test domain.
pub(super) fn at_most_five_user_domains(domains: &[impl ListedDomain], findings: &mut Findings) {
    let count = domains.iter().filter(|entry| !entry.is_free_test()).count();
    if count > MAX_USER_DOMAINS {
        findings.violation(
            FieldPath::Domains,
            Rule::DomainsLimit,
            format!(
                "{count} domains are listed besides the free test domain; at most {MAX_USER_DOMAINS} are allowed"
            ),
        );
    }
}

/// `domains.duplicate`: no domain is listed twice (compared as [`DomainName`]s, so after
/// IDNA conversion and lower-casing).
pub(super) fn no_domain_listed_twice(domains: &[impl ListedDomain], findings: &mut Findings) {
    // A spec lists a handful of domains: compare each with those before it, with no hash
    // map (and no hashing) unless the list is long.
    const SCANNED: usize = 16;
    if domains.len() <= SCANNED {
        // Each name's canonical bytes, read once; a slice comparison looks at the lengths
        // first, so names of different lengths cost no byte comparison.
        let mut names: [Option<&[u8]>; SCANNED] = [None; SCANNED];
        for (slot, entry) in names.iter_mut().zip(domains) {
            *slot = entry.name().map(DomainName::as_bytes);
        }
        for (index, entry) in domains.iter().enumerate() {
            let Some(name) = names[index] else { continue };
            let first = names[..index]
                .iter()
                .position(|&earlier| earlier == Some(name));
            if let (Some(first), Some(name)) = (first, entry.name()) {
                findings.violation(
                    FieldPath::Domain(index),
                    Rule::DomainsDuplicate,
                    duplicate_message(name, first),
                );
            }
        }
        return;
    }
    let mut first_seen: HashMap<&DomainName, usize> = HashMap::new();
    for (index, entry) in domains.iter().enumerate() {
        let Some(name) = entry.name() else { continue };
        match first_seen.get(name) {
            Some(&first) => findings.violation(
                FieldPath::Domain(index),
                Rule::DomainsDuplicate,
                duplicate_message(name, first),
            ),
            None => {
                first_seen.insert(name, index);
            }
        }
    }
}

fn duplicate_message(name: &DomainName, first: usize) -> String {
    format!("domain \"{name}\" is already listed as domains[{first}]; list each domain once")
}

/// `domains.reserved_namespace`: no user domain is `awsapps.com` or under it.
pub(super) fn no_user_domain_in_test_namespace(
    domains: &[impl ListedDomain],
    findings: &mut Findings,
) {
    for (index, entry) in domains.iter().enumerate() {
        let Some(name) = entry.name() else { continue };
        if name.is_test_domain_namespace() {
            findings.violation(
                FieldPath::Domain(index),
                Rule::DomainsReservedNamespace,
                format!(
                    "domain \"{name}\" is in awsapps.com, which is reserved for free test domains; \
                     use a free_test entry for the test domain"
                ),
            );
        }
    }
}

/// `default_domain.unknown`: the default is a listed domain or the test domain.
///
/// A listed name that failed to parse is no excuse: the same text as the default would have
/// failed too, so a default that parsed is never that name. Without a valid alias there is no
/// test domain: a default under `awsapps.com` might be it and is not judged, any other is.
pub(super) fn default_domain_is_known(
    default: &DomainName,
    domains: &[impl ListedDomain],
    alias: Option<&OrganizationAlias>,
    findings: &mut Findings,
) {
    if domains.iter().any(|entry| entry.name() == Some(default)) {
        return;
    }
    let test_domain = match alias {
        Some(alias) if is_test_domain_of(default, alias) => return,
        Some(alias) => Some(alias.test_domain()),
        None if default.is_test_domain_namespace() => return,
        None => None,
    };
    let mut allowed: Vec<&str> = Vec::new();
    for name in domains.iter().filter_map(ListedDomain::name) {
        if !name.is_test_domain_namespace() && !allowed.contains(&name.as_str()) {
            allowed.push(name.as_str());
        }
    }
    let allowed = match &test_domain {
        Some(test_domain) => {
            allowed.push(test_domain.as_str());
            Listed::cut(&allowed).to_string()
        }
        None if allowed.is_empty() => {
            "none; there is no test domain while the alias is invalid".to_owned()
        }
        None => format!(
            "{}; there is no test domain while the alias is invalid",
            Listed::cut(&allowed)
        ),
    };
    findings.violation(
        FieldPath::DefaultDomain,
        Rule::DefaultDomainUnknown,
        format!(
            "default domain \"{default}\" is neither a listed domain nor the test domain (allowed: {allowed})"
        ),
    );
}

/// Whether `name` is `alias`'s test domain, `ALIAS.awsapps.com` in lower case, without
/// building it.
fn is_test_domain_of(name: &DomainName, alias: &OrganizationAlias) -> bool {
    name.as_bytes()
        .strip_suffix(TEST_DOMAIN_SUFFIX.as_bytes())
        .and_then(|rest| rest.strip_suffix(b"."))
        .is_some_and(|label| label.eq_ignore_ascii_case(alias.as_bytes()))
}

// ---------------------------------------------------------------------------------------
// Directory: what Directory Service reports about one directory

/// `directory.unsupported_type` and `directory.shared`: the directory's type is one WorkMail
/// supports. Returns the kind, or records why there is none.
pub(super) fn directory_kind(
    findings: &mut Findings,
    directory_type: &str,
) -> Option<DirectoryKind> {
    if let Ok(kind) = directory_type.parse() {
        return Some(kind);
    }
    if directory_type == SHARED_MICROSOFT_AD {
        findings.violation(
            FieldPath::DirectoryType,
            Rule::DirectoryShared,
            format!(
                "directory type \"{SHARED_MICROSOFT_AD}\" is a managed Microsoft AD shared from another account, \
                 which WorkMail does not support (allowed: {})",
                Listed::all(DirectoryKind::ALL)
            ),
        );
    } else {
        findings.violation(
            FieldPath::DirectoryType,
            Rule::DirectoryUnsupportedType,
            format!(
                "directory type \"{}\" is not supported (allowed: {})",
                shown(directory_type),
                Listed::all(DirectoryKind::ALL)
            ),
        );
    }
    None
}

/// `directory.multi_region`: the directory is not replicated to other Regions. Returns
/// whether it holds.
pub(super) fn directory_single_region(
    findings: &mut Findings,
    id: &str,
    additional_regions: &[impl AsRef<str>],
) -> bool {
    if additional_regions.is_empty() {
        return true;
    }
    findings.violation(
        FieldPath::DirectoryAdditionalRegions,
        Rule::DirectoryMultiRegion,
        format!(
            "directory \"{}\" is replicated to {}; WorkMail does not support multi-region directories \
             (allowed: no additional regions)",
            shown(id),
            Listed::cut(additional_regions.iter().map(|region| shown(region.as_ref())))
        ),
    );
    false
}

/// `directory.not_active`: the directory's stage is `Active`. Returns whether it holds.
pub(super) fn directory_active(findings: &mut Findings, id: &str, stage: &str) -> bool {
    if stage == ACTIVE_STAGE {
        return true;
    }
    findings.violation(
        FieldPath::DirectoryStage,
        Rule::DirectoryNotActive,
        format!(
            "directory \"{}\" is in stage \"{}\" but must be \"{ACTIVE_STAGE}\" to back an organization",
            shown(id),
            shown(stage)
        ),
    );
    false
}

// ---------------------------------------------------------------------------------------
// Directory against the organization

/// `directory.region_mismatch`: the directory is in the organization's Region.
pub(super) fn directory_in_organization_region(
    id: &str,
    directory_region: Region,
    region: Region,
    findings: &mut Findings,
) {
    if directory_region != region {
        findings.violation(
            FieldPath::DirectoryRegion,
            Rule::DirectoryRegionMismatch,
            format!(
                "directory \"{}\" is in {directory_region} but the organization is in {region}",
                shown(id)
            ),
        );
    }
}

/// `directory.alias_mismatch`: the organization alias equals the directory's alias,
/// ignoring case.
pub(super) fn directory_alias_matches(
    id: &str,
    directory_alias: &str,
    alias: &OrganizationAlias,
    findings: &mut Findings,
) {
    if !alias
        .as_bytes()
        .eq_ignore_ascii_case(directory_alias.as_bytes())
    {
        findings.violation(
            FieldPath::DirectoryAlias,
            Rule::DirectoryAliasMismatch,
            format!(
                "directory \"{}\" has alias \"{}\" but the organization alias is \"{alias}\"; \
                 they must be equal (ignoring case)",
                shown(id),
                shown(directory_alias)
            ),
        );
    }
}

/// `interoperability.requires_ad_connector`: interoperability, when on, needs an existing AD
/// Connector.
pub(super) fn interoperability_needs_ad_connector<S: AsRef<str>>(
    directory: &DirectoryDraft<S>,
    findings: &mut Findings,
) {
    let found = match directory {
        DirectoryDraft::NewWorkMailDirectory => {
            "the organization gets a new WorkMail directory".to_owned()
        }
        DirectoryDraft::Existing(report) => {
            match report.directory_type.as_ref().parse::<DirectoryKind>() {
                // An unsupported type was reported already.
                Ok(DirectoryKind::AdConnector) | Err(_) => return,
                Ok(kind) => format!(
                    "directory \"{}\" is {kind} ({})",
                    shown(report.directory_id.as_ref()),
                    kind.description()
                ),
            }
        }
    };
    findings.violation(
        FieldPath::Interoperability,
        Rule::InteroperabilityRequiresAdConnector,
        format!("interoperability needs an existing AD Connector directory, but {found}"),
    );
}
