//! The rules of a whole organization spec, one function per rule.
//!
//! Single-value rules live in the value types' constructors
//! ([`OrganizationAlias::parse`](crate::OrganizationAlias::parse),
//! [`DomainName::parse`], ...); what is here needs several fields, or a directory's report.
//! Each rule function reads the [`Choices`] and records into the shared [`Findings`]; a rule
//! whose choices did not parse is skipped, as the parse failure was already reported.

use std::collections::HashMap;

use crate::report::{FieldPath, Findings};
use crate::text::{shown, Listed};
use crate::{DomainName, Rule, Violations};

use super::choices::{Choices, DirectoryFacts};
use super::directory::{DirectoryKind, ACTIVE_STAGE, SHARED_MICROSOFT_AD};
use super::{OrganizationSpec, MAX_USER_DOMAINS};

/// Runs every rule between fields and returns the spec, or every violation found (those of
/// parsing included): the one ending of both ways in, a draft and a builder.
pub(super) fn check(
    parsed: Choices,
    mut findings: Findings,
) -> Result<OrganizationSpec, Violations> {
    free_test_listed_once(&parsed, &mut findings);
    at_most_five_user_domains(&parsed, &mut findings);
    no_domain_listed_twice(&parsed, &mut findings);
    no_user_domain_in_test_namespace(&parsed, &mut findings);
    default_domain_is_known(&parsed, &mut findings);
    directory_in_organization_region(&parsed, &mut findings);
    directory_alias_matches(&parsed, &mut findings);
    key_in_organization_region(&parsed, &mut findings);
    interoperability_needs_ad_connector(&parsed, &mut findings);
    findings.conclude(parsed.into_spec())
}

// ---------------------------------------------------------------------------------------
// Domains

/// `domains.free_test_duplicate`: the free test domain is listed at most once.
fn free_test_listed_once(parsed: &Choices<'_>, findings: &mut Findings) {
    let mut first = None;
    for (index, entry) in parsed.domains.iter().enumerate() {
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
fn at_most_five_user_domains(parsed: &Choices<'_>, findings: &mut Findings) {
    let count = parsed
        .domains
        .iter()
        .filter(|entry| !entry.is_free_test())
        .count();
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
fn no_domain_listed_twice(parsed: &Choices<'_>, findings: &mut Findings) {
    // A spec lists a handful of domains: compare each with those before it, with no hash
    // map (and no hashing) unless the list is long.
    const SCANNED: usize = 16;
    if parsed.domains.len() <= SCANNED {
        for (index, entry) in parsed.domains.iter().enumerate() {
            let Some(name) = entry.name() else { continue };
            let first = parsed.domains[..index]
                .iter()
                .position(|earlier| earlier.name() == Some(name));
            if let Some(first) = first {
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
    for (index, entry) in parsed.domains.iter().enumerate() {
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
fn no_user_domain_in_test_namespace(parsed: &Choices<'_>, findings: &mut Findings) {
    for (index, entry) in parsed.domains.iter().enumerate() {
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
/// Needs the default and the alias to have parsed. A listed name that failed to parse is no
/// excuse: the same text as the default would have failed too, so a default that parsed is
/// never that name.
fn default_domain_is_known(parsed: &Choices<'_>, findings: &mut Findings) {
    let Some(default) = parsed.default_domain() else {
        return;
    };
    let mut names = Vec::new();
    for entry in &parsed.domains {
        match entry.name() {
            Some(name) if name == default => return,
            Some(name) => names.push(name),
            None => {}
        }
    }
    let Some(alias) = &parsed.alias else { return };
    let test_domain = alias.test_domain();
    if *default == test_domain {
        return;
    }
    let mut allowed: Vec<&str> = Vec::new();
    for name in names {
        if !name.is_test_domain_namespace() && !allowed.contains(&name.as_str()) {
            allowed.push(name.as_str());
        }
    }
    allowed.push(test_domain.as_str());
    findings.violation(
        FieldPath::DefaultDomain,
        Rule::DefaultDomainUnknown,
        format!(
            "default domain \"{default}\" is neither a listed domain nor the test domain (allowed: {})",
            Listed::cut(&allowed)
        ),
    );
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
// Directory and encryption against the organization

/// `directory.region_mismatch`: the directory is in the organization's Region.
fn directory_in_organization_region(parsed: &Choices<'_>, findings: &mut Findings) {
    let Some(DirectoryFacts {
        id,
        region: Some(directory_region),
        ..
    }) = parsed.directory.existing()
    else {
        return;
    };
    let Some(region) = parsed.region else { return };
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
fn directory_alias_matches(parsed: &Choices<'_>, findings: &mut Findings) {
    let Some(DirectoryFacts {
        id,
        alias: directory_alias,
        ..
    }) = parsed.directory.existing()
    else {
        return;
    };
    let Some(alias) = &parsed.alias else { return };
    if !alias.as_str().eq_ignore_ascii_case(directory_alias) {
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

/// `encryption.region_mismatch`: a customer managed key is in the organization's Region.
fn key_in_organization_region(parsed: &Choices<'_>, findings: &mut Findings) {
    let (Some(key), Some(region)) = (parsed.kms_key(), parsed.region) else {
        return;
    };
    if key.region() != region {
        findings.violation(
            FieldPath::KmsKeyArn,
            Rule::EncryptionRegionMismatch,
            format!(
                "kms key \"{}\" is in {} but the organization is in {region}; a key is regional \
                 and must be in the organization's region",
                key.key_id(),
                key.region()
            ),
        );
    }
}

/// `interoperability.requires_ad_connector`: interoperability needs an existing AD Connector.
fn interoperability_needs_ad_connector(parsed: &Choices<'_>, findings: &mut Findings) {
    if !parsed.interoperability {
        return;
    }
    let found = match parsed.directory.existing() {
        None => "the organization gets a new WorkMail directory".to_owned(),
        Some(DirectoryFacts {
            kind: Some(DirectoryKind::AdConnector),
            ..
        })
        // An unsupported type was reported already.
        | Some(DirectoryFacts { kind: None, .. }) => return,
        Some(DirectoryFacts {
            id,
            kind: Some(kind),
            ..
        }) => format!(
            "directory \"{}\" is {kind} ({})",
            shown(id),
            kind.description()
        ),
    };
    findings.violation(
        FieldPath::Interoperability,
        Rule::InteroperabilityRequiresAdConnector,
        format!("interoperability needs an existing AD Connector directory, but {found}"),
    );
}
