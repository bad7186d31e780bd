//! The leaving plan: inputs in, ordered steps out.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::LeavingError;
use super::mailbox::{skip_resource, skip_user, MailboxKind, SkipReason};
use super::records::{DnsChange, DomainDns, NewMx, MAX_NEW_MX};
use crate::aws::{DeleteOrganizationRequest, GetMailDomainResponse, Organization, Resource, User};
use crate::dns::{Purpose, RecordData, DMARC_VALUE, RECOMMENDED_TTL, SPF_VALUE};
use crate::id::{
    DomainName, EntityId, KmsKeyArn, OrganizationId, Region, RoleArn, S3BucketName, S3Prefix,
};
use crate::rule::Rule;
use crate::spec::DirectoryKind;

/// The most users plus resources a plan reads (decision: the endpoint's bound of 10,000 per
/// organization, twice).
pub const MAX_ENTITIES: usize = 20_000;

/// The most mail domains a plan reads (decision: far above WorkMail's domain quota).
pub const MAX_DOMAINS: usize = 100;

/// The most export jobs run at once.
pub const MAX_CONCURRENCY: u8 = 100;

/// The most attempts per mailbox.
pub const MAX_ATTEMPTS: u8 = 10;

/// The directory type WorkMail reports for a directory it created itself.
pub const WORKMAIL_DIRECTORY_TYPE: &str = "VpcDirectory";

/// Where the mail goes: the S3 bucket, prefix, KMS key and IAM role of the exports, and the
/// new provider's MX records (and, optionally, its autodiscover target).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawDestination", into = "RawDestination")]
pub struct Destination {
    bucket: S3BucketName,
    prefix: S3Prefix,
    kms_key: KmsKeyArn,
    role: RoleArn,
    mx: Vec<NewMx>,
    autodiscover: Option<DomainName>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDestination {
    bucket: S3BucketName,
    prefix: S3Prefix,
    kms_key: KmsKeyArn,
    role: RoleArn,
    mx: Vec<NewMx>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    autodiscover: Option<DomainName>,
}

impl TryFrom<RawDestination> for Destination {
    type Error = LeavingError;

    fn try_from(raw: RawDestination) -> Result<Self, LeavingError> {
        let destination = Destination::new(raw.bucket, raw.prefix, raw.kms_key, raw.role, raw.mx)?;
        Ok(match raw.autodiscover {
            Some(target) => destination.with_autodiscover(target),
            None => destination,
        })
    }
}

impl From<Destination> for RawDestination {
    fn from(d: Destination) -> Self {
        RawDestination {
            bucket: d.bucket,
            prefix: d.prefix,
            kms_key: d.kms_key,
            role: d.role,
            mx: d.mx,
            autodiscover: d.autodiscover,
        }
    }
}

impl Destination {
    /// The destination. The MX records are kept sorted, without duplicates.
    ///
    /// # Errors
    /// [`LeavingError`] on field `mx`, rule [`Rule::LeavingNewMx`], for no MX record or more
    /// than [`MAX_NEW_MX`].
    pub fn new(
        bucket: S3BucketName,
        prefix: S3Prefix,
        kms_key: KmsKeyArn,
        role: RoleArn,
        mx: Vec<NewMx>,
    ) -> Result<Self, LeavingError> {
        let mx: Vec<NewMx> = mx
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if mx.is_empty() || mx.len() > MAX_NEW_MX {
            return Err(LeavingError::rule(
                "mx",
                Rule::LeavingNewMx,
                format!("{} MX records given, 1 to {MAX_NEW_MX} allowed", mx.len()),
            ));
        }
        Ok(Destination {
            bucket,
            prefix,
            kms_key,
            role,
            mx,
            autodiscover: None,
        })
    }

    /// With the new provider's autodiscover target: the `autodiscover` CNAME points there.
    /// Without one, WorkMail's autodiscover CNAME is removed.
    #[must_use]
    pub fn with_autodiscover(mut self, target: DomainName) -> Self {
        self.autodiscover = Some(target);
        self
    }

    /// The S3 bucket.
    pub fn bucket(&self) -> &S3BucketName {
        &self.bucket
    }

    /// The S3 prefix.
    pub fn prefix(&self) -> &S3Prefix {
        &self.prefix
    }

    /// The KMS key.
    pub fn kms_key(&self) -> &KmsKeyArn {
        &self.kms_key
    }

    /// The IAM role WorkMail assumes.
    pub fn role(&self) -> &RoleArn {
        &self.role
    }

    /// The new provider's MX records.
    pub fn mx(&self) -> &[NewMx] {
        &self.mx
    }

    /// The new provider's autodiscover target.
    pub fn autodiscover(&self) -> Option<&DomainName> {
        self.autodiscover.as_ref()
    }
}

/// What happens to the organization's directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectoryFate {
    /// Kept (`DeleteDirectory: false`): the default.
    #[default]
    Keep,
    /// Deleted, when its type is one this crate knows: a WorkMail-created directory
    /// (`VpcDirectory`), Simple AD, AD Connector or AWS Managed Microsoft AD.
    Delete,
    /// Deleted whatever its type: the caller insists.
    DeleteAnyType,
}

/// How the plan runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawOptions", into = "RawOptions")]
pub struct Options {
    concurrency: u8,
    max_attempts: u8,
    directory: DirectoryFate,
    cutover_wait: Option<u64>,
    in_store: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOptions {
    concurrency: u8,
    max_attempts: u8,
    directory: DirectoryFate,
    #[serde(default)]
    cutover_wait: Option<u64>,
    in_store: bool,
}

impl TryFrom<RawOptions> for Options {
    type Error = LeavingError;

    fn try_from(raw: RawOptions) -> Result<Self, LeavingError> {
        Ok(Options::default()
            .with_concurrency(raw.concurrency)?
            .with_max_attempts(raw.max_attempts)?
            .with_directory(raw.directory)
            .with_cutover_wait(raw.cutover_wait)
            .in_store(raw.in_store))
    }
}

impl From<Options> for RawOptions {
    fn from(o: Options) -> Self {
        RawOptions {
            concurrency: o.concurrency,
            max_attempts: o.max_attempts,
            directory: o.directory,
            cutover_wait: o.cutover_wait,
            in_store: o.in_store,
        }
    }
}

impl Default for Options {
    /// 4 jobs at once, 3 attempts per mailbox, the directory kept, the old MX's TTL waited
    /// for, no store entry.
    fn default() -> Self {
        Options {
            concurrency: 4,
            max_attempts: 3,
            directory: DirectoryFate::Keep,
            cutover_wait: None,
            in_store: false,
        }
    }
}

impl Options {
    /// At most `n` export jobs at once.
    ///
    /// # Errors
    /// [`LeavingError`] on field `concurrency`, rule [`Rule::LeavingConcurrency`], outside
    /// 1 to [`MAX_CONCURRENCY`].
    pub fn with_concurrency(mut self, n: u8) -> Result<Self, LeavingError> {
        if !(1..=MAX_CONCURRENCY).contains(&n) {
            return Err(LeavingError::rule(
                "concurrency",
                Rule::LeavingConcurrency,
                format!("{n} jobs at once, 1 to {MAX_CONCURRENCY} allowed"),
            ));
        }
        self.concurrency = n;
        Ok(self)
    }

    /// At most `n` attempts per mailbox: a `FAILED` job is retried until then, then reported.
    ///
    /// # Errors
    /// [`LeavingError`] on field `max_attempts` outside 1 to [`MAX_ATTEMPTS`].
    pub fn with_max_attempts(mut self, n: u8) -> Result<Self, LeavingError> {
        if !(1..=MAX_ATTEMPTS).contains(&n) {
            return Err(LeavingError::input(
                "max_attempts",
                format!("{n} attempts, 1 to {MAX_ATTEMPTS} allowed"),
            ));
        }
        self.max_attempts = n;
        Ok(self)
    }

    /// What happens to the directory.
    #[must_use]
    pub fn with_directory(mut self, fate: DirectoryFate) -> Self {
        self.directory = fate;
        self
    }

    /// How long to wait after the new MX answers, in seconds, in place of the old MX's TTL.
    #[must_use]
    pub fn with_cutover_wait(mut self, seconds: Option<u64>) -> Self {
        self.cutover_wait = seconds;
        self
    }

    /// Whether the caller's store has an entry for the organization, to record `Deleted` in.
    #[must_use]
    pub fn in_store(mut self, in_store: bool) -> Self {
        self.in_store = in_store;
        self
    }

    /// At most this many export jobs at once.
    pub fn concurrency(&self) -> u8 {
        self.concurrency
    }

    /// At most this many attempts per mailbox.
    pub fn max_attempts(&self) -> u8 {
        self.max_attempts
    }
}

/// One mail domain: its `GetMailDomain` answer and its DNS records now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainInput {
    name: DomainName,
    mail_domain: GetMailDomainResponse,
    records: DomainDns,
}

impl DomainInput {
    /// Domain `name`, as `GetMailDomain` describes it, with its records now
    /// ([`DomainDns::none`] for the test domain).
    pub fn new(name: DomainName, mail_domain: GetMailDomainResponse, records: DomainDns) -> Self {
        DomainInput {
            name,
            mail_domain,
            records,
        }
    }

    /// The domain.
    pub fn name(&self) -> &DomainName {
        &self.name
    }
}

/// Everything the plan is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeavingInputs {
    region: Region,
    organization: Organization,
    users: Vec<User>,
    resources: Vec<Resource>,
    domains: Vec<DomainInput>,
    destination: Destination,
    options: Options,
}

impl LeavingInputs {
    /// The inputs: the Region, `DescribeOrganization`'s answer, every page of `ListUsers` and
    /// `ListResources`, every domain of `ListMailDomains` with its `GetMailDomain` answer and
    /// records, the destination and the options.
    pub fn new(
        region: Region,
        organization: Organization,
        users: Vec<User>,
        resources: Vec<Resource>,
        domains: Vec<DomainInput>,
        destination: Destination,
        options: Options,
    ) -> Self {
        LeavingInputs {
            region,
            organization,
            users,
            resources,
            domains,
            destination,
            options,
        }
    }

    /// The organization.
    pub fn organization(&self) -> &Organization {
        &self.organization
    }

    /// The destination.
    pub fn destination(&self) -> &Destination {
        &self.destination
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The Region.
    pub fn region(&self) -> Region {
        self.region
    }
}

/// One step of the leaving plan, tagged `"step"` in JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Action {
    /// Move a domain's mail to the new provider.
    Cutover {
        /// The domain.
        domain: DomainName,
        /// The DNS change.
        change: DnsChange,
    },
    /// A domain with nothing to move: the test domain, AWS's own.
    NoCutover {
        /// The domain.
        domain: DomainName,
        /// Why.
        reason: String,
    },
    /// Wait until a resolver answers the new MX for a domain, then the old MX's TTL.
    WaitForCutover {
        /// The domain.
        domain: DomainName,
        /// The MX records a resolver must answer, exactly.
        new_mx: Vec<NewMx>,
        /// Seconds to wait once they answer.
        wait_seconds: u64,
    },
    /// Export a mailbox.
    Export {
        /// The entity's `Id`.
        entity_id: EntityId,
        /// User or resource.
        kind: MailboxKind,
        /// Its name or email, for people; never sent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// An entity without a mailbox to export.
    Skip {
        /// The entity's `Id`.
        entity_id: EntityId,
        /// User or resource.
        kind: MailboxKind,
        /// Its name or email, for people.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Why.
        reason: SkipReason,
    },
    /// `DeleteOrganization`, then poll `DescribeOrganization` until `Deleted`.
    Delete {
        /// The request.
        request: DeleteOrganizationRequest,
        /// The directory's type as reported, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        directory_type: Option<String>,
    },
    /// Record `Deleted` in the caller's store, which frees every key; or say there is no entry.
    RecordDeleted {
        /// Whether the store has an entry for the organization.
        in_store: bool,
    },
    /// Remove WorkMail's remaining records of a domain.
    Cleanup {
        /// The domain.
        domain: DomainName,
        /// The DNS change.
        change: DnsChange,
        /// Records left alone, and why.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        kept: Vec<String>,
    },
    /// A domain with nothing to clean up.
    NoCleanup {
        /// The domain.
        domain: DomainName,
        /// Why.
        reason: String,
    },
}

impl Action {
    /// The step's name as its JSON `step` tag spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Cutover { .. } => "cutover",
            Action::NoCutover { .. } => "no_cutover",
            Action::WaitForCutover { .. } => "wait_for_cutover",
            Action::Export { .. } => "export",
            Action::Skip { .. } => "skip",
            Action::Delete { .. } => "delete",
            Action::RecordDeleted { .. } => "record_deleted",
            Action::Cleanup { .. } => "cleanup",
            Action::NoCleanup { .. } => "no_cleanup",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = |name: &Option<String>| match name {
            Some(name) => format!(" ({name})"),
            None => String::new(),
        };
        match self {
            Action::Cutover { domain, change } => write!(f, "cut over {domain}: {change}"),
            Action::NoCutover { domain, reason } => write!(f, "no cutover for {domain}: {reason}"),
            Action::WaitForCutover {
                domain,
                new_mx,
                wait_seconds,
            } => {
                let mx: Vec<String> = new_mx.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "wait until {domain} answers MX {}, then {wait_seconds} s",
                    mx.join(", ")
                )
            }
            Action::Export {
                entity_id,
                kind,
                name,
            } => write!(f, "export the mailbox of {kind} {entity_id}{}", named(name)),
            Action::Skip {
                entity_id,
                kind,
                name,
                reason,
            } => write!(f, "skip {kind} {entity_id}{}: {reason}", named(name)),
            Action::Delete {
                request,
                directory_type,
            } => write!(
                f,
                "delete organization {} ({}{}), then wait until Deleted",
                request.organization_id(),
                if request.delete_directory() {
                    "deleting"
                } else {
                    "keeping"
                },
                match directory_type {
                    Some(kind) => format!(" its {kind} directory"),
                    None => " its directory".to_owned(),
                } + if request.force_delete() {
                    ", ForceDelete"
                } else {
                    ""
                }
            ),
            Action::RecordDeleted { in_store: true } => {
                f.write_str("record Deleted in the store's entry, freeing its keys")
            }
            Action::RecordDeleted { in_store: false } => {
                f.write_str("no store entry for the organization: nothing to record")
            }
            Action::Cleanup {
                domain,
                change,
                kept,
            } => {
                write!(f, "clean up {domain}: {change}")?;
                for note in kept {
                    write!(f, "\n  kept: {note}")?;
                }
                Ok(())
            }
            Action::NoCleanup { domain, reason } => write!(f, "no clean-up for {domain}: {reason}"),
        }
    }
}

/// The ordered steps that take one organization off WorkMail, made from [`LeavingInputs`].
///
/// Serde writes the inputs and the steps; reading a plan back re-validates the inputs and
/// recomputes the steps from them, refusing a document whose steps differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawLeavingPlan")]
pub struct LeavingPlan {
    inputs: LeavingInputs,
    steps: Vec<Action>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeavingPlan {
    inputs: LeavingInputs,
    steps: Vec<Action>,
}

impl TryFrom<RawLeavingPlan> for LeavingPlan {
    type Error = LeavingError;

    fn try_from(document: RawLeavingPlan) -> Result<Self, LeavingError> {
        let plan = LeavingPlan::new(document.inputs)?;
        if plan.steps != document.steps {
            return Err(LeavingError::input(
                "steps",
                "the plan's steps are not the ones its inputs call for",
            ));
        }
        Ok(plan)
    }
}

impl LeavingPlan {
    /// The plan for `inputs`.
    ///
    /// # Errors
    /// [`LeavingError`] naming the field: too many entities or domains, an entity id or
    /// domain given twice, a domain that is not the test domain without records, a domain
    /// whose `GetMailDomain` records cannot be read, or a directory to delete whose type this
    /// crate does not know ([`Rule::LeavingDirectoryUnknown`]).
    pub fn new(inputs: LeavingInputs) -> Result<Self, LeavingError> {
        let entities = inputs.users.len() + inputs.resources.len();
        if entities > MAX_ENTITIES {
            return Err(LeavingError::input(
                "users",
                format!("{entities} users and resources, at most {MAX_ENTITIES} are read"),
            ));
        }
        if inputs.domains.len() > MAX_DOMAINS {
            return Err(LeavingError::input(
                "domains",
                format!(
                    "{} domains, at most {MAX_DOMAINS} are read",
                    inputs.domains.len()
                ),
            ));
        }
        let mut seen = BTreeSet::new();
        for (index, id) in inputs
            .users
            .iter()
            .map(User::id)
            .chain(inputs.resources.iter().map(Resource::id))
            .enumerate()
        {
            if !seen.insert(id) {
                return Err(LeavingError::input(
                    if index < inputs.users.len() {
                        format!("users[{index}].Id")
                    } else {
                        format!("resources[{}].Id", index - inputs.users.len())
                    },
                    format!("entity {id} is listed twice"),
                ));
            }
        }
        let mut names = BTreeSet::new();
        for (index, domain) in inputs.domains.iter().enumerate() {
            if !names.insert(&domain.name) {
                return Err(LeavingError::input(
                    format!("domains[{index}].name"),
                    format!("domain {} is listed twice", domain.name),
                ));
            }
            if !domain.mail_domain.is_test_domain() && domain.records.is_none() {
                return Err(LeavingError::input(
                    format!("domains[{index}].records"),
                    format!(
                        "{} is not the test domain: give its records (Route 53 or zone lines)",
                        domain.name
                    ),
                ));
            }
        }
        let mut steps = Vec::new();
        let domains: Vec<&DomainInput> = inputs.domains.iter().collect();
        // 1. Cutover, per domain.
        for domain in &domains {
            if domain.mail_domain.is_test_domain() {
                steps.push(Action::NoCutover {
                    domain: domain.name.clone(),
                    reason: "the test domain is AWS's own: its mail ends with the organization"
                        .into(),
                });
            } else {
                steps.push(Action::Cutover {
                    domain: domain.name.clone(),
                    change: cutover(domain, &inputs.destination, inputs.region),
                });
            }
        }
        // 2. Wait for the cutover.
        for domain in domains.iter().filter(|d| !d.mail_domain.is_test_domain()) {
            let ttl = domain
                .records
                .mx_ttl(&domain.name)
                .unwrap_or(RECOMMENDED_TTL);
            steps.push(Action::WaitForCutover {
                domain: domain.name.clone(),
                new_mx: inputs.destination.mx.clone(),
                wait_seconds: inputs.options.cutover_wait.unwrap_or(u64::from(ttl)),
            });
        }
        // 3. Export, one job per mailbox; the others skipped.
        let mailboxes = inputs
            .users
            .iter()
            .map(|user| {
                (
                    user.id(),
                    MailboxKind::User,
                    user.email().or(user.name()),
                    skip_user(user),
                )
            })
            .chain(inputs.resources.iter().map(|resource| {
                (
                    resource.id(),
                    MailboxKind::Resource,
                    resource.email().or(resource.name()),
                    skip_resource(resource),
                )
            }));
        for (entity_id, kind, name, skip) in mailboxes {
            let name = name.map(|name| crate::text::shown(name).into_string());
            steps.push(match skip {
                None => Action::Export {
                    entity_id: entity_id.clone(),
                    kind,
                    name,
                },
                Some(reason) => Action::Skip {
                    entity_id: entity_id.clone(),
                    kind,
                    name,
                    reason,
                },
            });
        }
        // 4. Delete.
        let organization = &inputs.organization;
        let directory_type = organization
            .directory_type()
            .map(|kind| kind.as_str().to_owned());
        let delete_directory = match inputs.options.directory {
            DirectoryFate::Keep => false,
            DirectoryFate::DeleteAnyType => true,
            DirectoryFate::Delete => {
                let known = organization.directory_type().is_some_and(|kind| {
                    kind.is_known() || kind.as_str() == WORKMAIL_DIRECTORY_TYPE
                });
                if !known {
                    return Err(LeavingError::rule(
                        "options.directory",
                        Rule::LeavingDirectoryUnknown,
                        format!(
                            "the directory type is {}, which this crate does not know \
                             (known: {WORKMAIL_DIRECTORY_TYPE}, {}); keep the directory, or insist",
                            match &directory_type {
                                Some(kind) => format!("\"{}\"", crate::text::shown(kind)),
                                None => "not reported".to_owned(),
                            },
                            DirectoryKind::ALL
                                .iter()
                                .map(|k| k.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                true
            }
        };
        let enabled_users = inputs.users.iter().any(|user| {
            user.state()
                .is_some_and(|state| state == &crate::aws::EntityState::Enabled)
        });
        steps.push(Action::Delete {
            request: DeleteOrganizationRequest::new(
                organization.organization_id().clone(),
                delete_directory,
            )
            .with_force_delete(enabled_users)
            .with_client_token(delete_client_token(organization.organization_id())),
            directory_type,
        });
        steps.push(Action::RecordDeleted {
            in_store: inputs.options.in_store,
        });
        // 5. Clean-up, per domain.
        for (index, domain) in domains.iter().enumerate() {
            if domain.mail_domain.is_test_domain() {
                steps.push(Action::NoCleanup {
                    domain: domain.name.clone(),
                    reason: "the test domain is AWS's own: its records go with the organization"
                        .into(),
                });
                continue;
            }
            let (change, kept) = cleanup(domain, inputs.region)
                .map_err(|err| err.within(&format!("domains[{index}]")))?;
            steps.push(match change {
                Some(change) => Action::Cleanup {
                    domain: domain.name.clone(),
                    change,
                    kept,
                },
                None => Action::NoCleanup {
                    domain: domain.name.clone(),
                    reason: if kept.is_empty() {
                        "none of WorkMail's records is published".to_owned()
                    } else {
                        format!(
                            "every WorkMail record left was changed: {}",
                            kept.join("; ")
                        )
                    },
                },
            });
        }
        Ok(LeavingPlan { inputs, steps })
    }

    /// The inputs.
    pub fn inputs(&self) -> &LeavingInputs {
        &self.inputs
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Action] {
        &self.steps
    }

    /// The organization id.
    pub fn organization_id(&self) -> &OrganizationId {
        self.inputs.organization.organization_id()
    }

    /// The mailboxes to export, in plan order.
    pub fn exports(&self) -> impl Iterator<Item = (&EntityId, MailboxKind)> + '_ {
        self.steps.iter().filter_map(|step| match step {
            Action::Export {
                entity_id, kind, ..
            } => Some((entity_id, *kind)),
            _ => None,
        })
    }

    /// The domains the cutover waits for, with their new MX and wait.
    pub(super) fn waits(&self) -> impl Iterator<Item = (&DomainName, &[NewMx], u64)> + '_ {
        self.steps.iter().filter_map(|step| match step {
            Action::WaitForCutover {
                domain,
                new_mx,
                wait_seconds,
            } => Some((domain, new_mx.as_slice(), *wait_seconds)),
            _ => None,
        })
    }
}

impl fmt::Display for LeavingPlan {
    /// One numbered line per step, in order, under a title line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let org = &self.inputs.organization;
        write!(
            f,
            "leaving plan for organization {} ({}) in {}: {} steps",
            org.organization_id(),
            org.alias(),
            self.inputs.region,
            self.steps.len()
        )?;
        for (index, step) in self.steps.iter().enumerate() {
            let text = step.to_string().replace('\n', "\n    ");
            write!(f, "\n{:>3}. {text}", index + 1)?;
        }
        Ok(())
    }
}

/// `DeleteOrganization`'s client token: the same for every run of one organization's plan.
fn delete_client_token(organization: &OrganizationId) -> crate::id::ClientToken {
    let hex = organization
        .as_str()
        .strip_prefix("m-")
        .unwrap_or(organization.as_str());
    crate::id::ClientToken::parse(&format!("leave-delete-{hex}"))
        .expect("a delete client token is valid by construction")
}

/// The cutover change: the new MX in place of the old, and the autodiscover CNAME pointed at
/// the new provider or, when it is WorkMail's and no target is given, removed.
fn cutover(domain: &DomainInput, destination: &Destination, region: Region) -> DnsChange {
    let name = domain.name.as_str();
    let mut change = domain.records.change();
    change.replace(
        name,
        "MX",
        RECOMMENDED_TTL,
        destination.mx.iter().map(ToString::to_string).collect(),
    );
    let autodiscover = format!("autodiscover.{name}");
    match &destination.autodiscover {
        Some(target) => change.replace(
            &autodiscover,
            "CNAME",
            RECOMMENDED_TTL,
            vec![target.as_str().to_owned()],
        ),
        None => {
            let workmail = crate::dns::autodiscover_target(region);
            let values = domain.records.values(&autodiscover, "CNAME");
            let ours: Vec<usize> = (0..values.len())
                .filter(|&i| values[i] == workmail)
                .collect();
            if !ours.is_empty() {
                change.remove_values(&autodiscover, "CNAME", &ours);
            }
        }
    }
    change
        .finish(&format!("workmail-org: cut over {name}"))
        .unwrap_or(DnsChange::ZoneLines {
            remove: Vec::new(),
            add: Vec::new(),
        })
}

/// The clean-up change: WorkMail's DKIM CNAMEs, ownership TXT, SPF and DMARC where they still
/// hold WorkMail's values; and what was kept.
fn cleanup(
    domain: &DomainInput,
    region: Region,
) -> Result<(Option<DnsChange>, Vec<String>), LeavingError> {
    let listed = domain
        .mail_domain
        .listed_records(&domain.name, region)
        .map_err(|err| LeavingError::input("mail_domain.Records", err.to_string()))?;
    let mut change = domain.records.change();
    let mut kept = Vec::new();
    for record in listed.required().iter() {
        let (kind, wanted): (&'static str, String) = match (record.purpose(), record.data()) {
            (Purpose::Dkim, RecordData::Cname(target)) => ("CNAME", target.to_string()),
            (Purpose::Ownership, RecordData::Txt(text)) => ("TXT", text.to_string()),
            (Purpose::Spf, _) => ("TXT", SPF_VALUE.to_owned()),
            (Purpose::Dmarc, _) => ("TXT", DMARC_VALUE.to_owned()),
            _ => continue,
        };
        let values = domain.records.values(record.host(), kind);
        let ours: Vec<usize> = (0..values.len()).filter(|&i| values[i] == wanted).collect();
        if !ours.is_empty() {
            change.remove_values(record.host(), kind, &ours);
            continue;
        }
        let changed = match record.purpose() {
            Purpose::Spf => values.iter().any(|v| v.starts_with("v=spf1")),
            Purpose::Dmarc => values.iter().any(|v| v.starts_with("v=DMARC1")),
            _ => !values.is_empty(),
        };
        if changed {
            kept.push(format!(
                "{kind} {} holds another value than WorkMail advised",
                record.host()
            ));
        }
    }
    // Every change is to a distinct name and type: the builder sees each set once.
    Ok((
        change.finish(&format!("workmail-org: clean up {}", domain.name)),
        kept,
    ))
}
