//! The rules of a whole organization spec, one function per rule.
//!
//! Single-value rules live in the value types' constructors ([`OrganizationAlias::parse`],
//! [`DomainName::parse`], ...); what is here needs several fields, or a directory's report.
//! Each rule function reads the [`Facts`] (the fields that parsed) and records into the shared
//! [`Findings`]; a rule whose fields did not parse is skipped, as the parse failure was
//! already reported.

use std::collections::HashMap;

use crate::report::Findings;
use crate::text::{shown, Listed};
use crate::{DomainName, KmsKeyArn, OrganizationAlias, Region, Rule, Violations};

use super::directory::{DirectoryKind, ACTIVE_STAGE, SHARED_MICROSOFT_AD};
use super::MAX_USER_DOMAINS;

/// What the cross-field rules see of a spec: each field that parsed, `None` (or
/// [`Entry::Unparsed`]) where one failed.
pub(super) struct Facts<'a> {
    pub(super) alias: Option<&'a OrganizationAlias>,
    pub(super) region: Option<Region>,
    pub(super) domains: Vec<Entry<'a>>,
    /// The chosen default domain, when one was chosen and it parsed.
    pub(super) default_domain: Option<&'a DomainName>,
    pub(super) directory: DirectoryFacts<'a>,
    /// The customer managed key, when one was chosen and it parsed.
    pub(super) kms_key: Option<&'a KmsKeyArn>,
    pub(super) interoperability: bool,
}

/// One entry of `domains`.
#[derive(Clone, Copy)]
pub(super) enum Entry<'a> {
    FreeTest,
    Named(&'a DomainName),
    /// A user domain whose name failed to parse.
    Unparsed,
}

/// The directory choice.
pub(super) enum DirectoryFacts<'a> {
    New,
    Existing {
        /// The id as given (only shown in messages).
        id: &'a str,
        kind: Option<DirectoryKind>,
        alias: &'a str,
        region: Option<Region>,
    },
}

/// Runs every cross-field rule, in field order.
pub(super) fn check(facts: &Facts<'_>, findings: &mut Findings) {
    free_test_listed_once(facts, findings);
    at_most_five_user_domains(facts, findings);
    no_domain_listed_twice(facts, findings);
    no_user_domain_in_test_namespace(facts, findings);
    default_domain_is_known(facts, findings);
    directory_in_organization_region(facts, findings);
    directory_alias_matches(facts, findings);
    key_in_organization_region(facts, findings);
    interoperability_needs_ad_connector(facts, findings);
}

/// Orders the violations by field and turns the findings into the result.
///
/// `value` is `None` only when some field failed to parse, and every such failure recorded a
/// violation (`Findings::field`, or a directory rule that returned `None`/`false` after
/// recording one); so with no violations, `value` is always `Some`.
pub(super) fn conclude<T>(findings: Findings, value: Option<T>) -> Result<T, Violations> {
    let mut violations = findings.violations;
    violations.sort_by_key(|violation| path_order(violation.path()));
    match (Violations::from_vec(violations), value) {
        (Err(violations), _) => Err(violations),
        (Ok(()), Some(value)) => Ok(value),
        (Ok(()), None) => unreachable!("a field failed to parse without recording a violation"),
    }
}

/// The fields in the order the JSON format lists them.
const FIELD_ORDER: [&str; 8] = [
    "alias",
    "region",
    "domains",
    "default_domain",
    "directory",
    "encryption",
    "interoperability",
    "client_token",
];

/// Where a path sorts: by its top-level field in [`FIELD_ORDER`], then by the index of a
/// list entry (`domains` itself before `domains[0]`). Unknown fields sort last.
pub(super) fn path_order(path: &str) -> (usize, Option<usize>) {
    let field = path.split(['.', '[']).next().unwrap_or(path);
    let rank = FIELD_ORDER
        .iter()
        .position(|known| *known == field)
        .unwrap_or(FIELD_ORDER.len());
    let index = path
        .get(field.len()..)
        .and_then(|rest| rest.strip_prefix('['))
        .and_then(|rest| rest.split(']').next())
        .and_then(|index| index.parse().ok());
    (rank, index)
}

/// `domains[i]`.
pub(super) fn domain_path(index: usize) -> String {
    format!("domains[{index}]")
}

/// `domains[i].name`: where violations about a listed domain's name go (the catalog's too).
pub(crate) fn domain_name_path(index: usize) -> String {
    format!("{}.name", domain_path(index))
}

// ---------------------------------------------------------------------------------------
// Domains

/// `domains.free_test_duplicate`: the free test domain is listed at most once.
fn free_test_listed_once(facts: &Facts<'_>, findings: &mut Findings) {
    let mut first = None;
    for (index, entry) in facts.domains.iter().enumerate() {
        if !matches!(entry, Entry::FreeTest) {
            continue;
        }
        match first {
            None => first = Some(index),
            Some(first) => findings.violation(
                domain_path(index),
                Rule::DomainsFreeTestDuplicate,
                format!(
                    "the free test domain is already listed as domains[{first}]; list it at most once"
                ),
            ),
        }
    }
}

/// `domains.limit`: at most five domains besides the free test domain.
fn at_most_five_user_domains(facts: &Facts<'_>, findings: &mut Findings) {
    let count = facts
        .domains
        .iter()
        .filter(|entry| !matches!(entry, Entry::FreeTest))
        .count();
    if count > MAX_USER_DOMAINS {
        findings.violation(
            "domains",
            Rule::DomainsLimit,
            format!(
                "{count} domains are listed besides the free test domain; at most {MAX_USER_DOMAINS} are allowed"
            ),
        );
    }
}

/// `domains.duplicate`: no domain is listed twice (compared as [`DomainName`]s, so after
/// IDNA conversion and lower-casing).
fn no_domain_listed_twice(facts: &Facts<'_>, findings: &mut Findings) {
    let mut first_seen: HashMap<&DomainName, usize> = HashMap::new();
    for (index, entry) in facts.domains.iter().enumerate() {
        let Entry::Named(name) = entry else { continue };
        match first_seen.get(name) {
            Some(first) => findings.violation(
                domain_path(index),
                Rule::DomainsDuplicate,
                format!(
                    "domain \"{name}\" is already listed as domains[{first}]; list each domain once"
                ),
            ),
            None => {
                first_seen.insert(name, index);
            }
        }
    }
}

/// `domains.reserved_namespace`: no user domain is `awsapps.com` or under it.
fn no_user_domain_in_test_namespace(facts: &Facts<'_>, findings: &mut Findings) {
    for (index, entry) in facts.domains.iter().enumerate() {
        let Entry::Named(name) = entry else { continue };
        if name.is_test_domain_namespace() {
            findings.violation(
                domain_path(index),
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
/// Needs the default and the alias to have parsed, and every listed name (the default may be
/// the one that failed).
fn default_domain_is_known(facts: &Facts<'_>, findings: &mut Findings) {
    let Some(default) = facts.default_domain else {
        return;
    };
    let mut names = Vec::new();
    for entry in &facts.domains {
        match entry {
            Entry::Named(name) if *name == default => return,
            Entry::Named(name) => names.push(*name),
            Entry::Unparsed => return,
            Entry::FreeTest => {}
        }
    }
    let Some(alias) = facts.alias else { return };
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
        "default_domain",
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
    if let Some(kind) = DirectoryKind::from_directory_type(directory_type) {
        return Some(kind);
    }
    if directory_type == SHARED_MICROSOFT_AD {
        findings.violation(
            "directory.directory_type",
            Rule::DirectoryShared,
            format!(
                "directory type \"{SHARED_MICROSOFT_AD}\" is a managed Microsoft AD shared from another account, \
                 which WorkMail does not support (allowed: {})",
                DirectoryKind::supported_list()
            ),
        );
    } else {
        findings.violation(
            "directory.directory_type",
            Rule::DirectoryUnsupportedType,
            format!(
                "directory type \"{}\" is not supported (allowed: {})",
                shown(directory_type),
                DirectoryKind::supported_list()
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
    additional_regions: &[String],
) -> bool {
    if additional_regions.is_empty() {
        return true;
    }
    findings.violation(
        "directory.additional_regions",
        Rule::DirectoryMultiRegion,
        format!(
            "directory \"{}\" is replicated to {}; WorkMail does not support multi-region directories \
             (allowed: no additional regions)",
            shown(id),
            Listed::cut(additional_regions.iter().map(|region| shown(region)))
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
        "directory.stage",
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
fn directory_in_organization_region(facts: &Facts<'_>, findings: &mut Findings) {
    let DirectoryFacts::Existing {
        id,
        region: Some(directory_region),
        ..
    } = facts.directory
    else {
        return;
    };
    let Some(region) = facts.region else { return };
    if directory_region != region {
        findings.violation(
            "directory.region",
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
fn directory_alias_matches(facts: &Facts<'_>, findings: &mut Findings) {
    let DirectoryFacts::Existing {
        id,
        alias: directory_alias,
        ..
    } = facts.directory
    else {
        return;
    };
    let Some(alias) = facts.alias else { return };
    if !alias.as_str().eq_ignore_ascii_case(directory_alias) {
        findings.violation(
            "directory.alias",
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
fn key_in_organization_region(facts: &Facts<'_>, findings: &mut Findings) {
    let (Some(key), Some(region)) = (facts.kms_key, facts.region) else {
        return;
    };
    if key.region() != region {
        findings.violation(
            "encryption.kms_key_arn",
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
fn interoperability_needs_ad_connector(facts: &Facts<'_>, findings: &mut Findings) {
    if !facts.interoperability {
        return;
    }
    let found = match facts.directory {
        DirectoryFacts::New => "the organization gets a new WorkMail directory".to_owned(),
        DirectoryFacts::Existing {
            kind: Some(DirectoryKind::AdConnector),
            ..
        }
        // An unsupported type was reported already.
        | DirectoryFacts::Existing { kind: None, .. } => return,
        DirectoryFacts::Existing {
            id,
            kind: Some(kind),
            ..
        } => format!(
            "directory \"{}\" is {kind} ({})",
            shown(id),
            kind.description()
        ),
    };
    findings.violation(
        "interoperability",
        Rule::InteroperabilityRequiresAdConnector,
        format!("interoperability needs an existing AD Connector directory, but {found}"),
    );
}
