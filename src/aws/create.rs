//! The `CreateOrganization` call, from a valid spec.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::id::{
    ClientToken, DirectoryId, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias,
    OrganizationId, Region,
};
use crate::report::FieldPath;
use crate::report::{Violation, Violations};
use crate::rule::Rule;
use crate::spec::MAX_USER_DOMAINS;
use crate::spec::{DirectoryChoice, EmailDomain, OrganizationSpec};

/// The body of a WorkMail `CreateOrganization` request, in the API's own JSON form.
///
/// Serde writes exactly the body the WorkMail JSON API takes (PascalCase names, absent values
/// omitted) and reads it back, re-validating every field. Build one from a valid
/// [`OrganizationSpec`] with [`CreateOrganization::new`], which decides what goes in:
///
/// | spec | request |
/// | --- | --- |
/// | alias | `Alias` |
/// | existing directory | `DirectoryId`; a new WorkMail directory sends none |
/// | client token | `ClientToken`; none sends none |
/// | existing Route 53 domain | `Domains[]` with `DomainName` and `HostedZoneId` |
/// | new Route 53 domain | `Domains[]` with the hosted zone its registration created, supplied by the caller |
/// | external domain | `Domains[]` with `DomainName` only: AWS associates it at creation and the user publishes its records |
/// | free test domain | nothing: AWS always creates `ALIAS.awsapps.com` |
/// | default domain | nothing: no field carries it; `UpdateDefaultMailDomain` sets it once the domain is verified |
/// | customer managed key | `KmsKeyArn`; the WorkMail-managed key sends none |
/// | interoperability | `EnableInteroperability: true`; off sends none (AWS's default is off) |
/// | Region | not in the body: it is the client's configuration, returned beside it |
///
/// Every field satisfies the API model's constraints (patterns as full matches, lengths,
/// 0 to 5 domains), because each comes from one of this crate's validated types.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateOrganizationRequest {
    alias: OrganizationAlias,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    directory_id: Option<DirectoryId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_token: Option<ClientToken>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "at_most_five_domains"
    )]
    domains: Vec<RequestDomain>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kms_key_arn: Option<KmsKeyArn>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    enable_interoperability: bool,
}

/// One entry of [`CreateOrganizationRequest`]'s `Domains`: `{"DomainName", "HostedZoneId"}`.
///
/// The hosted zone is present for a domain hosted in Route 53 and absent for an external
/// one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RequestDomain {
    domain_name: DomainName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hosted_zone_id: Option<HostedZoneId>,
}

impl RequestDomain {
    /// The domain.
    pub fn domain_name(&self) -> &DomainName {
        &self.domain_name
    }

    /// The Route 53 hosted zone that serves it; `None` for an external domain.
    pub fn hosted_zone_id(&self) -> Option<&HostedZoneId> {
        self.hosted_zone_id.as_ref()
    }
}

fn at_most_five_domains<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<RequestDomain>, D::Error> {
    let domains = Vec::<RequestDomain>::deserialize(deserializer)?;
    if domains.len() > MAX_USER_DOMAINS {
        return Err(serde::de::Error::custom(format_args!(
            "Domains holds {} entries; the API allows at most {MAX_USER_DOMAINS}",
            domains.len()
        )));
    }
    Ok(domains)
}

impl CreateOrganizationRequest {
    /// `Alias`.
    pub fn alias(&self) -> &OrganizationAlias {
        &self.alias
    }

    /// `DirectoryId`: the existing directory, or `None` for a new WorkMail directory.
    pub fn directory_id(&self) -> Option<&DirectoryId> {
        self.directory_id.as_ref()
    }

    /// `ClientToken`, the idempotency token.
    ///
    /// With none, AWS cannot tell a retry from a second request; and the Rust AWS SDK fills
    /// in a *random* token when none is set, so two sends of the same request through it are
    /// never recognised as one. Give the spec a client token to make retries safe.
    pub fn client_token(&self) -> Option<&ClientToken> {
        self.client_token.as_ref()
    }

    /// `Domains`, 0 to 5 entries, in the spec's order.
    pub fn domains(&self) -> &[RequestDomain] {
        &self.domains
    }

    /// Whether this is the request `spec` makes: [`CreateOrganization::with_hosted_zones`]
    /// gives it for the spec and the hosted zones this request lists for the spec's new
    /// Route 53 domains.
    pub fn is_for(&self, spec: &OrganizationSpec) -> bool {
        let zones: BTreeMap<DomainName, HostedZoneId> = self
            .domains
            .iter()
            .filter(|domain| {
                spec.domains().iter().any(|listed| {
                    matches!(listed, EmailDomain::NewRoute53 { name } if *name == domain.domain_name)
                })
            })
            .filter_map(|domain| {
                let zone = domain.hosted_zone_id.clone()?;
                Some((domain.domain_name.clone(), zone))
            })
            .collect();
        CreateOrganization::with_hosted_zones(spec, &zones).is_ok_and(|call| {
            call.request == *self && call.request.alias.as_str() == self.alias.as_str()
        })
    }

    /// Whether this is the request `spec` makes, sent with the entry's client `token`: the
    /// spec's request, but for the token, which is `token` (or absent, as a request recorded
    /// before every entry had a token is).
    pub(crate) fn is_for_entry(&self, spec: &OrganizationSpec, token: &ClientToken) -> bool {
        if self.client_token.as_ref().is_some_and(|sent| sent != token) {
            return false;
        }
        let mut bare = self.clone();
        bare.client_token = spec.client_token().cloned();
        bare.is_for(spec)
    }

    /// The same request, carrying `token`.
    pub(crate) fn with_client_token(mut self, token: ClientToken) -> Self {
        self.client_token = Some(token);
        self
    }

    /// `KmsKeyArn`: the customer managed key, or `None` for the WorkMail-managed key.
    pub fn kms_key_arn(&self) -> Option<&KmsKeyArn> {
        self.kms_key_arn.as_ref()
    }

    /// `EnableInteroperability`.
    pub fn enable_interoperability(&self) -> bool {
        self.enable_interoperability
    }
}

/// A `CreateOrganization` call: the request body, and the Region to configure the client
/// for.
///
/// ```
/// use workmail_org::aws::CreateOrganization;
/// use workmail_org::{OrganizationDraft, Region};
///
/// let spec: workmail_org::OrganizationSpec = serde_json::from_str(r#"{
///     "alias": "acme-corp",
///     "region": "eu-west-1",
///     "domains": [
///         {"type": "existing_route53", "name": "acme.com", "hosted_zone_id": "Z0123456789ABCDEFGHIJ"},
///         {"type": "external", "name": "acme.org"},
///         {"type": "free_test"}
///     ],
///     "client_token": "create-acme-1"
/// }"#)?;
/// let call = CreateOrganization::new(&spec)?;
/// assert_eq!(call.region(), Region::EuWest1);
/// assert_eq!(
///     serde_json::to_string(call.request())?,
///     r#"{"Alias":"acme-corp","ClientToken":"create-acme-1","Domains":[{"DomainName":"acme.com","HostedZoneId":"Z0123456789ABCDEFGHIJ"},{"DomainName":"acme.org"}]}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CreateOrganization {
    region: Region,
    request: CreateOrganizationRequest,
}

impl CreateOrganization {
    /// The call for a spec with no new Route 53 domain.
    ///
    /// # Errors
    /// [`CreateOrganizationError`] naming every new Route 53 domain of the spec: such a
    /// domain has a hosted zone only once registered, so its zone must be supplied with
    /// [`with_hosted_zones`](Self::with_hosted_zones).
    pub fn new(spec: &OrganizationSpec) -> Result<Self, CreateOrganizationError> {
        Self::with_hosted_zones(spec, &BTreeMap::new())
    }

    /// The call for a spec, with the hosted zones that registering its new Route 53 domains
    /// created.
    ///
    /// # Errors
    /// [`CreateOrganizationError`] listing every new Route 53 domain without a zone in
    /// `assigned`, and every zone in `assigned` for a domain that is not a new Route 53
    /// domain of the spec (a zone given for the wrong domain is never silently ignored).
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use workmail_org::aws::CreateOrganization;
    /// use workmail_org::OrganizationSpec;
    ///
    /// let spec: OrganizationSpec = serde_json::from_str(
    ///     r#"{"alias": "acme", "region": "us-east-1",
    ///         "domains": [{"type": "new_route53", "name": "acme-mail.net"}]}"#,
    /// )?;
    /// let err = CreateOrganization::new(&spec).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "domains[0]: new Route 53 domain \"acme-mail.net\" has no hosted zone yet; \
    ///      register it and supply the zone Route 53 created"
    /// );
    ///
    /// let zones = BTreeMap::from([("acme-mail.net".parse()?, "Z111111QQQQQQQ".parse()?)]);
    /// let call = CreateOrganization::with_hosted_zones(&spec, &zones)?;
    /// let domain = &call.request().domains()[0];
    /// assert_eq!(domain.hosted_zone_id().map(|z| z.as_str()), Some("Z111111QQQQQQQ"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_hosted_zones(
        spec: &OrganizationSpec,
        assigned: &BTreeMap<DomainName, HostedZoneId>,
    ) -> Result<Self, CreateOrganizationError> {
        let mut problems = Vec::new();
        let mut used = 0;
        let mut domains = Vec::with_capacity(spec.domains().len());
        for (index, domain) in spec.domains().iter().enumerate() {
            let (domain_name, hosted_zone_id) = match domain {
                EmailDomain::ExistingRoute53 {
                    name,
                    hosted_zone_id,
                } => (name, Some(hosted_zone_id.clone())),
                EmailDomain::NewRoute53 { name } => match assigned.get(name) {
                    Some(zone) => {
                        used += 1;
                        (name, Some(zone.clone()))
                    }
                    None => {
                        problems.push(Problem::MissingHostedZone {
                            index,
                            domain: name.clone(),
                        });
                        continue;
                    }
                },
                EmailDomain::External { name } => (name, None),
                EmailDomain::FreeTest => continue,
            };
            domains.push(RequestDomain {
                domain_name: domain_name.clone(),
                hosted_zone_id,
            });
        }
        if used < assigned.len() {
            for domain in assigned.keys() {
                let is_new = spec
                    .domains()
                    .iter()
                    .any(|d| matches!(d, EmailDomain::NewRoute53 { name } if name == domain));
                if !is_new {
                    problems.push(Problem::UnexpectedHostedZone {
                        domain: domain.clone(),
                    });
                }
            }
        }
        if !problems.is_empty() {
            return Err(CreateOrganizationError { problems });
        }
        let request = CreateOrganizationRequest {
            alias: spec.alias().clone(),
            directory_id: match spec.directory() {
                DirectoryChoice::Existing(directory) => Some(directory.id().clone()),
                DirectoryChoice::NewWorkMailDirectory => None,
            },
            client_token: spec.client_token().cloned(),
            domains,
            kms_key_arn: spec.encryption().kms_key_arn().cloned(),
            enable_interoperability: spec.interoperability(),
        };
        Ok(CreateOrganization {
            region: spec.region(),
            request,
        })
    }

    /// The call of a request read back (a stored one, say) to send to `region`.
    pub fn from_parts(region: Region, request: CreateOrganizationRequest) -> Self {
        CreateOrganization { region, request }
    }

    /// The Region to send the request to: the client's configuration, not a body field.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The request body.
    pub fn request(&self) -> &CreateOrganizationRequest {
        &self.request
    }

    /// The Region and the request body.
    pub fn into_parts(self) -> (Region, CreateOrganizationRequest) {
        (self.region, self.request)
    }
}

/// Why a valid spec could not become a `CreateOrganization` call yet: hosted zones missing
/// for new Route 53 domains, or supplied for domains that are not.
///
/// [`violations`](Self::violations) gives each missing zone as a violation of
/// [`Rule::DomainsHostedZoneMissing`] at `domains[i]`, the shape every other finding has.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.joined())]
pub struct CreateOrganizationError {
    problems: Vec<Problem>,
}

crate::text::debug_as_display!(CreateOrganizationError);

/// One reason of a [`CreateOrganizationError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A new Route 53 domain with no hosted zone supplied.
    MissingHostedZone {
        /// Its index in the spec's domains.
        index: usize,
        /// The domain.
        domain: DomainName,
    },
    /// A hosted zone supplied for a domain that is not a new Route 53 domain of the spec.
    UnexpectedHostedZone {
        /// The domain the zone was supplied for.
        domain: DomainName,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::MissingHostedZone { index, domain } => write!(
                f,
                "domains[{index}]: new Route 53 domain \"{domain}\" has no hosted zone yet; \
                 register it and supply the zone Route 53 created"
            ),
            Problem::UnexpectedHostedZone { domain } => write!(
                f,
                "a hosted zone was supplied for \"{domain}\", which is not a new Route 53 domain of the spec"
            ),
        }
    }
}

impl CreateOrganizationError {
    /// The problems' messages, joined by `; `.
    fn joined(&self) -> String {
        let messages: Vec<String> = self.problems.iter().map(Problem::to_string).collect();
        messages.join("; ")
    }

    /// Every problem found, in the spec's domain order, then the unexpected zones.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The missing hosted zones as violations of [`Rule::DomainsHostedZoneMissing`] at
    /// `domains[i]`, in the form spec validation reports; `None` when the only problems are
    /// zones supplied for the wrong domains, which are the caller's mistake, not the spec's.
    pub fn violations(&self) -> Option<Violations> {
        let violations = self
            .problems
            .iter()
            .filter_map(|problem| match problem {
                Problem::MissingHostedZone { index, domain } => Some(Violation::new(
                    FieldPath::Domain(*index),
                    Rule::DomainsHostedZoneMissing,
                    format!(
                        "new Route 53 domain \"{domain}\" has no hosted zone yet; register it and \
                         supply the zone Route 53 created"
                    ),
                )),
                Problem::UnexpectedHostedZone { .. } => None,
            })
            .collect();
        Violations::from_vec(violations).err()
    }
}

/// AWS's answer to `CreateOrganization`: `{"OrganizationId": ...}`.
///
/// Serde reads and writes the response's own JSON; the id is validated, and fields AWS may
/// add are ignored.
///
/// ```
/// use workmail_org::aws::CreateOrganizationResponse;
///
/// let response: CreateOrganizationResponse =
///     serde_json::from_str(r#"{"OrganizationId": "m-0123456789abcdef0123456789abcdef"}"#)?;
/// assert_eq!(response.organization_id().as_str(), "m-0123456789abcdef0123456789abcdef");
/// assert!(serde_json::from_str::<CreateOrganizationResponse>(r#"{"OrganizationId": "m-1"}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateOrganizationResponse {
    organization_id: OrganizationId,
}

impl CreateOrganizationResponse {
    /// The answer naming `organization_id`.
    pub fn new(organization_id: OrganizationId) -> Self {
        CreateOrganizationResponse { organization_id }
    }

    /// `OrganizationId`: the new organization's id.
    pub fn organization_id(&self) -> &OrganizationId {
        &self.organization_id
    }
}
