//! The provisioning plan: the ordered AWS calls that turn a valid spec into a working
//! organization, as data.
//!
//! Creating the organization is one step of several. A plan lists them all, in order, each
//! naming its AWS call, its inputs and what must hold before the next step starts:
//!
//! | phase | step | call | done when |
//! | --- | --- | --- | --- |
//! | 1 | [`StepKind::RegisterDomain`], per new Route 53 domain | Route 53 Domains `RegisterDomain` | `GetOperationDetail` reports `SUCCESSFUL` for its operation id |
//! | 1 | [`StepKind::FindHostedZone`], per new Route 53 domain | Route 53 `ListHostedZonesByName` | the zone Route 53 created for the domain is found |
//! | 2 | [`StepKind::CreateOrganization`] | WorkMail `CreateOrganization` | AWS answers with the organization id |
//! | 3 | [`StepKind::WaitUntilActive`] | WorkMail `DescribeOrganization` | `State` is `Active`; `Failed` ends the plan |
//! | 4 | [`StepKind::PublishRecords`], per external domain | WorkMail `GetMailDomain`, then the caller's DNS provider | the records are published |
//! | 5 | [`StepKind::WaitUntilVerified`], per external or new domain | WorkMail `GetMailDomain` | `OwnershipVerificationStatus` is `VERIFIED` (DKIM may lag behind) |
//! | 6 | [`StepKind::SetDefaultDomain`], unless the default is the test domain | WorkMail `UpdateDefaultMailDomain` | AWS accepts it |
//! | 7 | [`StepKind::KeepEnabledUser`], while only the test domain exists | none: advice | |
//!
//! A spec that needs nothing in a phase gets no step for it. Domains listed in
//! `CreateOrganization` are associated with the organization at creation, so no step
//! registers them again with `RegisterMailDomain`; Route 53 domains get their DNS records
//! from WorkMail, so only external domains have records to publish.
//!
//! An input known only later is a typed reference to an earlier step's output
//! ([`Input::FromStep`]: the organization id after `CreateOrganization`, a hosted zone after
//! registration); an input the spec does not hold (the contacts and duration `RegisterDomain`
//! needs) is [`Input::FromCaller`]. The plan is data (serde): a tool stores it, runs the
//! steps, and resumes after a restart with [`Plan::resume`], passing the outputs of the steps
//! already done.
//!
//! ```
//! use workmail_org::plan::{Plan, StepKind};
//! use workmail_org::OrganizationSpec;
//!
//! let spec: OrganizationSpec = serde_json::from_str(r#"{
//!     "alias": "acme", "region": "us-east-1",
//!     "domains": [{"type": "external", "name": "acme.org"}],
//!     "default_domain": "acme.org"
//! }"#)?;
//! let plan = Plan::new(&spec);
//! let kinds: Vec<&str> = plan.steps().iter().map(|step| step.kind().name()).collect();
//! assert_eq!(
//!     kinds,
//!     ["create_organization", "wait_until_active", "publish_records", "wait_until_verified",
//!      "set_default_domain"]
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::aws::{CreateOrganization, CreateOrganizationError, CreateOrganizationRequest};
use crate::id::{DomainName, HostedZoneId, OrganizationId, Region};
use crate::spec::{EmailDomain, OrganizationSpec};
use crate::text::shown;

/// The ordered steps that provision one organization.
///
/// Serde writes the spec and the steps; reading a plan back re-validates the spec and
/// recomputes the steps from it, refusing a document whose steps differ (a plan cannot be
/// edited into one the spec does not call for).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawPlan")]
pub struct Plan {
    spec: OrganizationSpec,
    steps: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    spec: OrganizationSpec,
    steps: Vec<Step>,
}

impl TryFrom<RawPlan> for Plan {
    type Error = String;

    fn try_from(document: RawPlan) -> Result<Self, String> {
        let plan = Plan::new(&document.spec);
        if plan.steps != document.steps {
            return Err("the plan's steps are not the ones its spec calls for".to_owned());
        }
        Ok(plan)
    }
}

/// One step: what to call, with what, and when it is done.
///
/// Serde writes the kind's fields, then `call` (the AWS call as `service:Operation`, as the
/// text form names it; absent for advice), then the inputs. Reading checks that `call` is the
/// kind's own.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawStep")]
pub struct Step {
    kind: StepKind,
    inputs: Vec<(String, Input)>,
}

impl Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct WrittenStep<'a> {
            #[serde(flatten)]
            kind: &'a StepKind,
            #[serde(skip_serializing_if = "Option::is_none")]
            call: Option<&'static str>,
            #[serde(serialize_with = "named_inputs::serialize")]
            inputs: &'a [(String, Input)],
        }
        WrittenStep {
            kind: &self.kind,
            call: self.kind.call(),
            inputs: &self.inputs,
        }
        .serialize(serializer)
    }
}

/// A step as read.
// No `deny_unknown_fields`: serde does not support it beside `flatten`. A plan read back is
// compared with the steps its spec calls for anyway.
#[derive(Deserialize)]
struct RawStep {
    #[serde(flatten)]
    kind: StepKind,
    #[serde(default)]
    call: Option<String>,
    #[serde(deserialize_with = "named_inputs::deserialize")]
    inputs: Vec<(String, Input)>,
}

impl TryFrom<RawStep> for Step {
    type Error = String;

    fn try_from(raw: RawStep) -> Result<Self, String> {
        if raw.call.as_deref() != raw.kind.call() {
            return Err(format!(
                "step {} has call {}, but its call is {}",
                raw.kind.name(),
                raw.call
                    .as_deref()
                    .map_or("none".into(), |call| format!("\"{}\"", shown(call))),
                raw.kind
                    .call()
                    .map_or("none".into(), |call| format!("\"{call}\"")),
            ));
        }
        Ok(Step {
            kind: raw.kind,
            inputs: raw.inputs,
        })
    }
}

/// Inputs are written as a list of objects, each its `name` and its source:
/// `{"name": "OrganizationId", "from": "from_step", "step": 2, "output": "organization_id"}`.
mod named_inputs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Input;

    #[derive(Serialize, Deserialize)]
    struct Named<I> {
        name: String,
        #[serde(flatten)]
        input: I,
    }

    pub(super) fn serialize<S: Serializer>(
        inputs: &&[(String, Input)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(inputs.iter().map(|(name, input)| Named {
            name: name.clone(),
            input,
        }))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<(String, Input)>, D::Error> {
        let named = Vec::<Named<Input>>::deserialize(deserializer)?;
        Ok(named.into_iter().map(|n| (n.name, n.input)).collect())
    }
}

/// What a step does. Each kind names its AWS call ([`call`](Self::call)) and what must hold
/// before the next step starts ([`done_when`](Self::done_when)).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StepKind {
    /// Register a new domain with Route 53 Domains. It completes asynchronously: poll the
    /// operation id it returns.
    RegisterDomain {
        /// The domain to register.
        domain: DomainName,
    },
    /// Find the hosted zone Route 53 created for a domain just registered.
    FindHostedZone {
        /// The registered domain.
        domain: DomainName,
    },
    /// Create the organization.
    CreateOrganization,
    /// Poll the organization until it is `Active`.
    WaitUntilActive,
    /// Read an external domain's records from WorkMail and publish them at its DNS provider.
    PublishRecords {
        /// The external domain.
        domain: DomainName,
    },
    /// Poll a domain until WorkMail has verified its ownership.
    WaitUntilVerified {
        /// The domain.
        domain: DomainName,
    },
    /// Make the chosen domain the organization's default.
    SetDefaultDomain {
        /// The new default domain.
        domain: DomainName,
    },
    /// Advice, no call: the organization relies on its test domain, which stays its own only
    /// while it keeps at least one enabled user.
    KeepEnabledUser {
        /// The test domain.
        test_domain: DomainName,
    },
}

impl StepKind {
    /// The step's name as its JSON `step` tag spells it, e.g. `"create_organization"`.
    pub fn name(&self) -> &'static str {
        match self {
            StepKind::RegisterDomain { .. } => "register_domain",
            StepKind::FindHostedZone { .. } => "find_hosted_zone",
            StepKind::CreateOrganization => "create_organization",
            StepKind::WaitUntilActive => "wait_until_active",
            StepKind::PublishRecords { .. } => "publish_records",
            StepKind::WaitUntilVerified { .. } => "wait_until_verified",
            StepKind::SetDefaultDomain { .. } => "set_default_domain",
            StepKind::KeepEnabledUser { .. } => "keep_enabled_user",
        }
    }

    /// The AWS call the step makes, as `service:Operation`; `None` for advice.
    pub fn call(&self) -> Option<&'static str> {
        Some(match self {
            StepKind::RegisterDomain { .. } => "route53domains:RegisterDomain",
            StepKind::FindHostedZone { .. } => "route53:ListHostedZonesByName",
            StepKind::CreateOrganization => "workmail:CreateOrganization",
            StepKind::WaitUntilActive => "workmail:DescribeOrganization",
            StepKind::PublishRecords { .. } => "workmail:GetMailDomain",
            StepKind::WaitUntilVerified { .. } => "workmail:GetMailDomain",
            StepKind::SetDefaultDomain { .. } => "workmail:UpdateDefaultMailDomain",
            StepKind::KeepEnabledUser { .. } => return None,
        })
    }

    /// What must hold before the next step starts.
    pub fn done_when(&self) -> &'static str {
        match self {
            StepKind::RegisterDomain { .. } => {
                "Route 53 Domains GetOperationDetail reports SUCCESSFUL for the operation id"
            }
            StepKind::FindHostedZone { .. } => "the hosted zone Route 53 created for the domain is found",
            StepKind::CreateOrganization => "WorkMail answers with the organization id",
            StepKind::WaitUntilActive => {
                "DescribeOrganization reports State Active (Failed ends the plan)"
            }
            StepKind::PublishRecords { .. } => {
                "every record GetMailDomain lists is published at the domain's DNS provider"
            }
            StepKind::WaitUntilVerified { .. } => {
                "GetMailDomain reports OwnershipVerificationStatus VERIFIED (DKIM may still be PENDING)"
            }
            StepKind::SetDefaultDomain { .. } => "WorkMail accepts the new default domain",
            StepKind::KeepEnabledUser { .. } => {
                "the organization keeps at least one enabled user while only the test domain exists"
            }
        }
    }

    /// What the step produces that later steps use.
    pub fn output(&self) -> Option<OutputKind> {
        match self {
            StepKind::RegisterDomain { .. } => Some(OutputKind::OperationId),
            StepKind::FindHostedZone { .. } => Some(OutputKind::HostedZoneId),
            StepKind::CreateOrganization => Some(OutputKind::OrganizationId),
            _ => None,
        }
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepKind::RegisterDomain { domain } => write!(f, "register {domain} with Route 53"),
            StepKind::FindHostedZone { domain } => {
                write!(f, "find the hosted zone Route 53 created for {domain}")
            }
            StepKind::CreateOrganization => f.write_str("create the organization"),
            StepKind::WaitUntilActive => f.write_str("wait until the organization is Active"),
            StepKind::PublishRecords { domain } => {
                write!(f, "publish the DNS records of {domain} at its DNS provider")
            }
            StepKind::WaitUntilVerified { domain } => {
                write!(f, "wait until WorkMail has verified {domain}")
            }
            StepKind::SetDefaultDomain { domain } => {
                write!(f, "make {domain} the default domain")
            }
            StepKind::KeepEnabledUser { test_domain } => write!(
                f,
                "keep at least one enabled user: the test domain {test_domain} stays the organization's only while one is"
            ),
        }
    }
}

/// Where a step's input comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Input {
    /// A value the plan knows now.
    Value {
        /// The value, as the call takes it.
        value: String,
    },
    /// The `CreateOrganization` request body, complete.
    Request {
        /// The body, as the API takes it.
        request: CreateOrganizationRequest,
    },
    /// The output of an earlier step, known once that step is done.
    FromStep {
        /// The index of the step in [`Plan::steps`].
        step: usize,
        /// Which output.
        output: OutputKind,
    },
    /// An earlier step's output, as the caller supplied it when resuming.
    Resolved {
        /// The output.
        output: Output,
    },
    /// A value the spec does not hold: the caller supplies it.
    FromCaller {
        /// What is needed, e.g. "registrant, admin and tech contacts".
        what: String,
    },
}

/// The kinds of value a step produces for later steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OutputKind {
    /// The operation id `RegisterDomain` returns, to poll.
    OperationId,
    /// The hosted zone id of a registered domain.
    HostedZoneId,
    /// The organization id `CreateOrganization` returns.
    OrganizationId,
}

/// A step's output, supplied by the caller when resuming a plan.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Output {
    /// `RegisterDomain`'s operation id (opaque to this crate; 1 to 255 characters).
    OperationId(String),
    /// The hosted zone found for a registered domain.
    HostedZoneId(HostedZoneId),
    /// The new organization's id.
    OrganizationId(OrganizationId),
}

impl Output {
    /// The kind of this output.
    pub fn kind(&self) -> OutputKind {
        match self {
            Output::OperationId(_) => OutputKind::OperationId,
            Output::HostedZoneId(_) => OutputKind::HostedZoneId,
            Output::OrganizationId(_) => OutputKind::OrganizationId,
        }
    }
}

impl Step {
    fn new(kind: StepKind, inputs: Vec<(&str, Input)>) -> Self {
        Step {
            kind,
            inputs: inputs
                .into_iter()
                .map(|(name, input)| (name.to_owned(), input))
                .collect(),
        }
    }

    /// What the step does.
    pub fn kind(&self) -> &StepKind {
        &self.kind
    }

    /// The call's inputs, by the name the call gives them (e.g. `"OrganizationId"`).
    pub fn inputs(&self) -> &[(String, Input)] {
        &self.inputs
    }
}

fn value(text: impl Into<String>) -> Input {
    Input::Value { value: text.into() }
}

fn from_step(step: usize, output: OutputKind) -> Input {
    Input::FromStep { step, output }
}

impl Plan {
    /// The plan for a valid spec.
    pub fn new(spec: &OrganizationSpec) -> Self {
        let mut steps = Vec::new();
        // Phase 1: new Route 53 domains, registered and their zones found.
        let mut zone_steps = BTreeMap::new();
        for domain in spec.domains() {
            if let EmailDomain::NewRoute53 { name } = domain {
                let register = steps.len();
                steps.push(Step::new(
                    StepKind::RegisterDomain {
                        domain: name.clone(),
                    },
                    vec![
                        ("DomainName", value(name.as_str())),
                        (
                            "DurationInYears",
                            Input::FromCaller {
                                what: "how many years to register the domain for".into(),
                            },
                        ),
                        (
                            "AdminContact, RegistrantContact, TechContact",
                            Input::FromCaller {
                                what: "the domain's contacts".into(),
                            },
                        ),
                    ],
                ));
                zone_steps.insert(name.clone(), steps.len());
                steps.push(Step::new(
                    StepKind::FindHostedZone {
                        domain: name.clone(),
                    },
                    vec![
                        ("DNSName", value(name.as_str())),
                        ("OperationId", from_step(register, OutputKind::OperationId)),
                    ],
                ));
            }
        }
        // Phase 2: the organization. Zones of new domains come from phase 1.
        let create = steps.len();
        let mut inputs = vec![("Region", value(spec.region().as_str()))];
        let request = CreateOrganization::new(spec).ok();
        if let Some(call) = &request {
            inputs.push((
                "Request",
                Input::Request {
                    request: call.request().clone(),
                },
            ));
        }
        let mut step = Step::new(StepKind::CreateOrganization, inputs);
        if request.is_none() {
            // The request is complete once every new domain's zone is known.
            step.inputs
                .extend(zone_steps.iter().map(|(domain, &zone_step)| {
                    (
                        format!("Domains[{domain}].HostedZoneId"),
                        from_step(zone_step, OutputKind::HostedZoneId),
                    )
                }));
        }
        steps.push(step);
        let organization = || {
            (
                "OrganizationId",
                from_step(create, OutputKind::OrganizationId),
            )
        };
        // Phase 3: wait until active.
        steps.push(Step::new(StepKind::WaitUntilActive, vec![organization()]));
        // Phase 4: records of external domains.
        for domain in spec.domains() {
            if let EmailDomain::External { name } = domain {
                steps.push(Step::new(
                    StepKind::PublishRecords {
                        domain: name.clone(),
                    },
                    vec![organization(), ("DomainName", value(name.as_str()))],
                ));
            }
        }
        // Phase 5: every user domain verified (Route 53 ones by WorkMail's own records).
        for (_, name) in spec.user_domains() {
            steps.push(Step::new(
                StepKind::WaitUntilVerified {
                    domain: name.clone(),
                },
                vec![organization(), ("DomainName", value(name.as_str()))],
            ));
        }
        // Phase 6: the chosen default, once verified.
        if let Some(default) = spec.chosen_default_domain() {
            if default != spec.test_domain() {
                steps.push(Step::new(
                    StepKind::SetDefaultDomain {
                        domain: default.clone(),
                    },
                    vec![organization(), ("DomainName", value(default.as_str()))],
                ));
            }
        }
        // Phase 7: advice while only the test domain exists.
        if spec.user_domains().next().is_none() {
            steps.push(Step::new(
                StepKind::KeepEnabledUser {
                    test_domain: spec.test_domain().clone(),
                },
                Vec::new(),
            ));
        }
        Plan {
            spec: spec.clone(),
            steps,
        }
    }

    /// The spec the plan provisions.
    pub fn spec(&self) -> &OrganizationSpec {
        &self.spec
    }

    /// The Region every WorkMail call goes to.
    pub fn region(&self) -> Region {
        self.spec.region()
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
}

impl Plan {
    /// The steps from `from` on, with every input that an earlier step produced resolved
    /// from `outputs` (by step index); the `CreateOrganization` request is completed once the
    /// zones of every new Route 53 domain are known. Inputs produced by steps not yet done
    /// stay [`Input::FromStep`].
    ///
    /// # Errors
    /// [`ResumeError`] when `from` is past the end, an output is given for a step not yet
    /// done or of the wrong kind, or a done step's output that a remaining step needs is
    /// missing.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use workmail_org::plan::{Input, Output, Plan, StepKind};
    /// use workmail_org::OrganizationSpec;
    ///
    /// let spec: OrganizationSpec = serde_json::from_str(r#"{
    ///     "alias": "acme", "region": "us-east-1",
    ///     "domains": [{"type": "new_route53", "name": "acme-mail.net"}]
    /// }"#)?;
    /// let plan = Plan::new(&spec);
    /// // Steps 0 and 1 (register, find the zone) are done; resume at CreateOrganization.
    /// let outputs = BTreeMap::from([
    ///     (0, Output::OperationId("op-1".into())),
    ///     (1, Output::HostedZoneId("Z0555".parse()?)),
    /// ]);
    /// let rest = plan.resume(2, &outputs)?;
    /// assert_eq!(rest[0].kind(), &StepKind::CreateOrganization);
    /// let Some((_, Input::Request { request })) =
    ///     rest[0].inputs().iter().find(|(name, _)| name == "Request")
    /// else {
    ///     panic!("the request is complete");
    /// };
    /// assert_eq!(request.domains()[0].hosted_zone_id().map(|z| z.as_str()), Some("Z0555"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resume(
        &self,
        from: usize,
        outputs: &BTreeMap<usize, Output>,
    ) -> Result<Vec<Step>, ResumeError> {
        if from > self.steps.len() {
            return Err(ResumeError::PastTheEnd {
                from,
                steps: self.steps.len(),
            });
        }
        for (&step, output) in outputs {
            let expected = self.steps.get(step).and_then(|s| s.kind.output());
            if step >= from || expected != Some(output.kind()) {
                return Err(ResumeError::UnexpectedOutput {
                    step,
                    output: output.kind(),
                    expected: if step >= from { None } else { expected },
                });
            }
        }
        let mut remaining = Vec::with_capacity(self.steps.len() - from);
        for (index, step) in self.steps.iter().enumerate().skip(from) {
            let mut inputs = Vec::with_capacity(step.inputs.len());
            for (name, input) in &step.inputs {
                let resolved = match input {
                    Input::FromStep {
                        step: source,
                        output,
                    } if *source < from => match outputs.get(source) {
                        Some(found) => Input::Resolved {
                            output: found.clone(),
                        },
                        None => {
                            return Err(ResumeError::MissingOutput {
                                step: *source,
                                output: *output,
                                needed_by: index,
                            })
                        }
                    },
                    other => other.clone(),
                };
                inputs.push((name.clone(), resolved));
            }
            if step.kind == StepKind::CreateOrganization {
                inputs = self.complete_request(inputs, from, outputs)?;
            }
            remaining.push(Step {
                kind: step.kind.clone(),
                inputs,
            });
        }
        Ok(remaining)
    }

    /// Replaces the zone inputs of `CreateOrganization` with the whole request once every
    /// zone is known.
    fn complete_request(
        &self,
        inputs: Vec<(String, Input)>,
        from: usize,
        outputs: &BTreeMap<usize, Output>,
    ) -> Result<Vec<(String, Input)>, ResumeError> {
        let mut zones = BTreeMap::new();
        for (index, step) in self.steps.iter().enumerate() {
            let StepKind::FindHostedZone { domain } = &step.kind else {
                continue;
            };
            match outputs.get(&index) {
                Some(Output::HostedZoneId(zone)) if index < from => {
                    zones.insert(domain.clone(), zone.clone());
                }
                // A zone not known yet: the request stays incomplete.
                _ => return Ok(inputs),
            }
        }
        if zones.is_empty() {
            return Ok(inputs);
        }
        let call = CreateOrganization::with_hosted_zones(&self.spec, &zones)
            .map_err(ResumeError::Request)?;
        let mut complete: Vec<(String, Input)> = inputs
            .into_iter()
            .filter(|(_, input)| !matches!(input, Input::Resolved { .. }))
            .collect();
        complete.push((
            "Request".to_owned(),
            Input::Request {
                request: call.into_parts().1,
            },
        ));
        Ok(complete)
    }
}

/// Why a plan cannot resume as asked.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResumeError {
    /// `from` is past the last step.
    #[error("cannot resume at step {from}: the plan has {steps} steps")]
    PastTheEnd {
        /// The step asked for.
        from: usize,
        /// How many steps the plan has.
        steps: usize,
    },
    /// An output was given for a step that is not done or produces another kind.
    #[error("step {step} {}, but a {output:?} was given for it", match expected { Some(kind) => format!("produces a {kind:?}"), None => "is not done or produces nothing later steps use".to_owned() })]
    UnexpectedOutput {
        /// The step the output was given for.
        step: usize,
        /// The kind given.
        output: OutputKind,
        /// The kind the step produces, if it is done and produces one.
        expected: Option<OutputKind>,
    },
    /// A done step's output that a remaining step needs was not given.
    #[error("step {needed_by} needs the {output:?} of step {step}, which was not given")]
    MissingOutput {
        /// The done step.
        step: usize,
        /// Its output kind.
        output: OutputKind,
        /// The remaining step that needs it.
        needed_by: usize,
    },
    /// The zones given do not complete the request.
    #[error("{0}")]
    Request(CreateOrganizationError),
}

crate::text::debug_as_display!(ResumeError);
