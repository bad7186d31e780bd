//! The advice for a valid spec, one function per advice.

use crate::report::Findings;
use crate::report::{Advisory, AdvisoryKind};

use super::{DirectoryKind, EmailDomain, FieldPath, OrganizationSpec};

/// Every advisory for `spec`, in field order.
pub(super) fn of(spec: &OrganizationSpec) -> Vec<Advisory> {
    let mut findings = Findings::default();
    for (index, domain) in spec.domains().iter().enumerate() {
        match domain {
            EmailDomain::External { name } => {
                external_domain_needs_dns_records(&mut findings, index, name.as_str())
            }
            EmailDomain::NewRoute53 { name } => {
                new_domain_needs_registration(&mut findings, index, name.as_str())
            }
            _ => {}
        }
    }
    test_domain_needs_enabled_user(spec, &mut findings);
    default_domain_not_yet_verifiable(spec, &mut findings);
    interoperability_recommended(spec, &mut findings);
    findings.into_advisories()
}

/// `advice.external_domain_dns_records`: an external domain is verified only once its
/// records are published.
fn external_domain_needs_dns_records(findings: &mut Findings, index: usize, name: &str) {
    findings.advise(
        FieldPath::Domain(index),
        AdvisoryKind::ExternalDomainNeedsDnsRecords,
        format!(
            "external domain \"{name}\" must publish WorkMail's verification records \
             (TXT, MX, CNAME) at its DNS provider before it can be verified"
        ),
    );
}

/// `advice.new_domain_registration`: a new Route 53 domain is registered first.
fn new_domain_needs_registration(findings: &mut Findings, index: usize, name: &str) {
    findings.advise(
        FieldPath::Domain(index),
        AdvisoryKind::NewDomainNeedsRegistration,
        format!(
            "domain \"{name}\" must be registered with Route 53 first; it has a hosted zone only after that"
        ),
    );
}

/// `advice.test_domain_needs_enabled_user`: when the organization relies on
/// the test domain (listed, or the default), it stays its own only while a user is enabled.
/// Reported at the `free_test` entry when listed, else at `default_domain`.
fn test_domain_needs_enabled_user(spec: &OrganizationSpec, findings: &mut Findings) {
    let listed_at = spec.domains().iter().position(EmailDomain::is_free_test);
    let path = match listed_at {
        Some(index) => FieldPath::Domain(index),
        None if spec.chosen_default_domain().is_none()
            || spec.default_domain() == spec.test_domain() =>
        {
            FieldPath::DefaultDomain
        }
        None => return,
    };
    findings.advise(
        path,
        AdvisoryKind::TestDomainNeedsEnabledUser,
        format!(
            "the test domain \"{}\" stays the organization's only while it keeps at least one enabled user",
            spec.test_domain()
        ),
    );
}

/// `advice.default_domain_unverified`: no domain is verified at creation, so a chosen
/// default other than the test domain takes effect only once verified.
fn default_domain_not_yet_verifiable(spec: &OrganizationSpec, findings: &mut Findings) {
    let Some(default) = spec.chosen_default_domain() else {
        return;
    };
    let test_domain = spec.test_domain();
    if default == test_domain {
        return;
    }
    findings.advise(
        FieldPath::DefaultDomain,
        AdvisoryKind::DefaultDomainNotYetVerifiable,
        format!(
            "default domain \"{default}\" is not verified at creation; the test domain \
             \"{test_domain}\" stays the default until it is"
        ),
    );
}

/// `advice.interoperability_recommended`: with an AD Connector, consider
/// interoperability, which can only be set at creation.
fn interoperability_recommended(spec: &OrganizationSpec, findings: &mut Findings) {
    let ad_connector = spec
        .directory()
        .existing()
        .filter(|directory| directory.kind() == DirectoryKind::AdConnector);
    let Some(directory) = ad_connector else {
        return;
    };
    if spec.interoperability() {
        return;
    }
    findings.advise(
        FieldPath::Interoperability,
        AdvisoryKind::InteroperabilityRecommended,
        format!(
            "directory \"{}\" is an AD Connector: if its Active Directory runs Microsoft Exchange, \
             enable interoperability now, as it can only be set at creation",
            directory.id()
        ),
    );
}
