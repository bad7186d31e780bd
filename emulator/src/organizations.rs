//! `CreateOrganization`, `DescribeOrganization`, `ListOrganizations` and
//! `DeleteOrganization`: a request becomes a spec, the catalog admits it, and the lifecycle
//! moves as the organization is polled.

use bytes::Bytes;
use http::Response;
use serde::Deserialize;
use workmail_org::aws::{
    CreateOrganization, CreateOrganizationResponse, DeleteOrganizationResponse,
    ListOrganizationsResponse, NextToken, Organization, OrganizationSummary, Timestamp,
};
use workmail_org::catalog::{AdmitError, CatalogError, Entry, EntryId, RecordError, Stage};
use workmail_org::lifecycle::{DeletionRequest, OrganizationState, TransitionErrorKind};
use workmail_org::spec::{DirectoryDraft, DomainDraft, EncryptionDraft, ExistingDirectoryDraft};
use workmail_org::{
    AwsErrorCode, DirectoryChoice, DirectoryId, FieldPath, OrganizationArn, OrganizationDraft,
    OrganizationId, OrganizationSpec, Region, Rule, Violation,
};

use crate::emulator::Emulator;
use crate::members::{max_results, read_body, required};
use crate::wire::{self, shown, ErrorName, Exception, Operation};
use workmail_org_stores::emulator::FaultKind;

/// The order in which findings choose the one exception a response carries.
const PRECEDENCE: [AwsErrorCode; 6] = [
    AwsErrorCode::InvalidParameter,
    AwsErrorCode::NameAvailability,
    AwsErrorCode::DirectoryUnavailable,
    AwsErrorCode::DirectoryInUse,
    AwsErrorCode::MailDomainInUse,
    AwsErrorCode::LimitExceeded,
];

/// How often creating reads the entry again when a step of another call came first.
const FINISH_ATTEMPTS: usize = 8;

/// The directory type DescribeOrganization reports for a directory WorkMail made.
const WORKMAIL_DIRECTORY_TYPE: &str = "VpcDirectory";

/// An odd multiplier: entry ids map one to one onto organization ids that look random.
const ID_MULTIPLIER: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835;

/// The organization id of entry `id`: a function of the entry, so every process and every
/// retry of one creation names the same organization.
pub(crate) fn organization_id_of(id: EntryId) -> Result<OrganizationId, Exception> {
    let mixed = u128::from(id.get()).wrapping_mul(ID_MULTIPLIER);
    OrganizationId::parse(&format!("m-{mixed:032x}")).map_err(Exception::internal)
}

// The library's request types are not read here. They are what a caller of AWS writes, strict
// for that reason: `CreateOrganizationRequest` is only ever made from a valid spec, and it and
// `DeleteOrganizationRequest` and `ListOrganizationsRequest` deny unknown members and fail a
// body at its first malformed member, as a `SerializationException`. AWS answers bodies
// otherwise: unknown members are ignored (newer SDKs send members older servers do not
// know), a missing or malformed member is an `InvalidParameterException` naming it, and
// `CreateOrganization` lists every finding of the rules in one message. So each operation
// reads the members it needs leniently, as below, and checks them itself.

/// The members `CreateOrganization` reads, every one optional and unchecked: they become an
/// [`OrganizationDraft`], which the crate's rules validate, every finding listed.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateMembers {
    alias: Option<String>,
    directory_id: Option<String>,
    client_token: Option<String>,
    domains: Option<Vec<DomainMembers>>,
    kms_key_arn: Option<String>,
    enable_interoperability: Option<bool>,
}

/// One of `CreateOrganization`'s `Domains`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DomainMembers {
    domain_name: Option<String>,
    hosted_zone_id: Option<String>,
}

/// The members of `DescribeOrganization` (the library writes no such body: its caller sends
/// the id alone).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeOrganizationMembers {
    organization_id: Option<String>,
}

/// The members `DeleteOrganization` reads (the library's `DeleteOrganizationRequest` is
/// strict: see above).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteMembers {
    organization_id: Option<String>,
    delete_directory: Option<bool>,
    force_delete: Option<bool>,
    // `DeleteIdentityCenterApplication` is read and ignored: the endpoint has none.
}

/// The members `ListOrganizations` reads (the library's `ListOrganizationsRequest` is strict,
/// and its `NextToken` any text, where this endpoint's tokens are its entry ids).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListOrganizationsMembers {
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// One exception for every finding: the first code in [`PRECEDENCE`] that any finding has
/// names it, and the message lists them all.
pub(crate) fn exception_of(findings: &[Violation]) -> Exception {
    let code = PRECEDENCE
        .iter()
        .copied()
        .find(|code| findings.iter().any(|finding| finding.code() == *code))
        .or_else(|| findings.first().map(Violation::code))
        .unwrap_or(AwsErrorCode::InvalidParameter);
    let message = findings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    Exception::new(ErrorName::from(code), message)
}

/// A parsed `OrganizationId` member.
pub(crate) fn organization_id(raw: Option<String>) -> Result<OrganizationId, Exception> {
    let raw = required(raw, "OrganizationId")?;
    OrganizationId::parse(&raw).map_err(|err| {
        Exception::new(
            ErrorName::InvalidParameter,
            format!("OrganizationId: {err}"),
        )
    })
}

/// What DescribeOrganization says of an organization, built as the library's [`Organization`].
pub(crate) struct Snapshot<'a> {
    pub(crate) entry: &'a Entry,
    pub(crate) id: &'a OrganizationId,
    pub(crate) state: OrganizationState,
    pub(crate) default_domain: String,
    pub(crate) completed: Option<u64>,
    pub(crate) error: Option<&'a str>,
}

impl Snapshot<'_> {
    pub(crate) fn build(
        &self,
        account: &workmail_org::AccountId,
    ) -> Result<Organization, Exception> {
        let spec = self.entry.spec();
        let (directory_id, directory_type) = match spec.directory() {
            DirectoryChoice::Existing(directory) => (
                directory.id().as_str().to_owned(),
                directory.kind().as_str().to_owned(),
            ),
            _ => (
                // The id of the directory WorkMail made: `d-` and ten hex digits of the id.
                format!("d-{}", &self.id.as_str()[2..12]),
                WORKMAIL_DIRECTORY_TYPE.to_owned(),
            ),
        };
        let arn = OrganizationArn::new(spec.region(), account, self.id);
        let mut organization =
            Organization::builder(self.id.clone(), spec.alias().clone(), self.state)
                .directory_id(directory_id)
                .directory_type(directory_type)
                .default_mail_domain(self.default_domain.as_str())
                .arn(&arn)
                .interoperability_enabled(spec.interoperability());
        if let Some(completed) = self.completed {
            let seconds = i64::try_from(completed).map_err(Exception::internal)?;
            organization = organization
                .completed_date(Timestamp::new(seconds, 0).map_err(Exception::internal)?);
        }
        if let Some(error) = self.error {
            organization = organization.error_message(error);
        }
        organization.build().map_err(Exception::internal)
    }

    /// The snapshot `organization` with another state (and the completion time when it
    /// becomes `Active`).
    pub(crate) fn next(
        entry: &Entry,
        organization: &Organization,
        state: OrganizationState,
        now: u64,
        error: Option<&str>,
        account: &workmail_org::AccountId,
    ) -> Result<Organization, Exception> {
        Snapshot {
            entry,
            id: organization.organization_id(),
            state,
            default_domain: organization.default_mail_domain().map_or_else(
                || entry.spec().test_domain().to_string(),
                |d| d.as_str().to_owned(),
            ),
            completed: match (organization.completed_date(), state) {
                (Some(date), _) => u64::try_from(date.seconds()).ok(),
                (None, OrganizationState::Active) => Some(now),
                (None, _) => None,
            },
            error: error.or(organization.error_message()),
        }
        .build(account)
    }
}

impl Emulator {
    /// Records `next` for `entry`; when another process recorded a later state first, the
    /// stored snapshot stands and is returned.
    pub(crate) async fn record(&self, next: &Organization) -> Result<Organization, Exception> {
        match self.catalog.record(next, self.now()).await {
            Ok(_) => Ok(next.clone()),
            Err(CatalogError::Record(RecordError::State { .. })) => self
                .catalog
                .by_organization_id(next.organization_id())
                .await?
                .and_then(|entry| entry.organization().cloned())
                .ok_or_else(|| {
                    Exception::internal("the organization vanished while it was recorded")
                }),
            Err(err) => Err(Exception::internal(err)),
        }
    }

    pub(crate) async fn create_organization(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: CreateMembers = read_body(Operation::CreateOrganization, body)?;
        let (draft, mut findings) = self.draft(raw, region).await?;
        let spec = match draft.validate() {
            Ok(spec) if findings.is_empty() => spec,
            Ok(spec) => {
                self.held_keys(&spec, &mut findings).await?;
                return Err(exception_of(&findings));
            }
            Err(violations) => {
                findings.extend(violations.into_vec());
                self.held_alias(&draft.alias, &mut findings).await?;
                return Err(exception_of(&findings));
            }
        };
        let now = self.now();
        let admission = match self.catalog.admit(&spec, now).await {
            Ok(admission) => admission,
            Err(AdmitError::Rejected(rejection)) => {
                return Err(exception_of(rejection.violations().as_slice()))
            }
            Err(err) => return Err(Exception::internal(err)),
        };
        let fails = matches!(admission, workmail_org::catalog::Admission::New(_))
            && self
                .state()
                .take_fault(
                    FaultKind::FailNextCreation,
                    Operation::CreateOrganization.as_str(),
                )
                .await?;
        let id = self
            .finish_creation(admission.entry(), &spec, fails)
            .await?;
        Ok(wire::ok(&CreateOrganizationResponse::new(id)))
    }

    /// Takes an admitted entry through `sent`, `created` and its first snapshot,
    /// `Requested`. Each step is idempotent and reads the entry afresh, so a retry (or
    /// another process) finishes what an interrupted call began, and two calls finishing one
    /// entry at once both end with its organization id.
    async fn finish_creation(
        &self,
        admitted: &Entry,
        spec: &OrganizationSpec,
        fails: bool,
    ) -> Result<OrganizationId, Exception> {
        let id = organization_id_of(admitted.id())?;
        self.state().start_organization(&id, fails).await?;
        let mut last_error = None;
        for _ in 0..FINISH_ATTEMPTS {
            let Some(entry) = self.catalog.get(admitted.id()).await? else {
                return Err(Exception::internal("the admitted entry vanished"));
            };
            let now = self.now();
            let step = match (entry.stage(), entry.organization()) {
                (_, Some(_)) => return Ok(id),
                (Stage::Reserved, None) => {
                    let call = CreateOrganization::new(spec).map_err(Exception::internal)?;
                    self.catalog
                        .sent(entry.id(), &call, now)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                }
                (_, None) if entry.organization_id().is_none() => self
                    .catalog
                    .created(
                        entry.id(),
                        &CreateOrganizationResponse::new(id.clone()),
                        now,
                    )
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string()),
                (_, None) => {
                    let requested = Snapshot {
                        entry: &entry,
                        id: &id,
                        state: OrganizationState::Requested,
                        default_domain: spec.test_domain().to_string(),
                        completed: None,
                        error: None,
                    }
                    .build(&self.config.account)?;
                    self.record(&requested)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                }
            };
            // Another call moved the entry first: read it again and take the next step.
            if let Err(err) = step {
                last_error = Some(err);
            }
        }
        Err(Exception::internal(last_error.unwrap_or_else(|| {
            "the creation did not finish".to_owned()
        })))
    }

    /// The draft a request makes, and the findings the draft cannot carry: a domain without
    /// a name, a directory that was never seeded.
    async fn draft(
        &self,
        raw: CreateMembers,
        region: Region,
    ) -> Result<(OrganizationDraft, Vec<Violation>), Exception> {
        let alias = required(raw.alias, "Alias")?;
        let mut draft = OrganizationDraft::new(alias, region.as_str());
        let mut findings = Vec::new();
        for (index, domain) in raw.domains.unwrap_or_default().into_iter().enumerate() {
            let Some(name) = domain.domain_name else {
                findings.push(Violation::new(
                    FieldPath::DomainName(index),
                    Rule::DomainLength,
                    format!("Domains[{index}].DomainName: missing, but required"),
                ));
                continue;
            };
            // A hosted zone says Route 53 serves the domain; without one it is external.
            draft.domains.push(match domain.hosted_zone_id {
                Some(hosted_zone_id) => DomainDraft::ExistingRoute53 {
                    name,
                    hosted_zone_id,
                },
                None => DomainDraft::External { name },
            });
        }
        if let Some(directory_id) = raw.directory_id {
            match self.state().directory(&directory_id).await? {
                Some(seeded) => {
                    draft.directory = DirectoryDraft::Existing(ExistingDirectoryDraft {
                        directory_id: seeded.directory_id,
                        directory_type: seeded.directory_type,
                        alias: seeded.alias,
                        region: seeded.region,
                        additional_regions: seeded.additional_regions,
                        stage: seeded.stage,
                    })
                }
                None => findings.push(match DirectoryId::parse(&directory_id) {
                    Err(err) => Violation::from_parse_error(FieldPath::DirectoryId, &err),
                    Ok(id) => Violation::new(
                        FieldPath::DirectoryId,
                        Rule::DirectoryNotActive,
                        format!("directory \"{id}\" does not exist in {region}"),
                    ),
                }),
            }
        }
        if let Some(kms_key_arn) = raw.kms_key_arn {
            draft.encryption = EncryptionDraft::CustomerManagedKey { kms_key_arn };
        }
        draft.interoperability = raw.enable_interoperability.unwrap_or(false);
        draft.client_token = raw.client_token;
        Ok((draft, findings))
    }

    /// Adds a finding for each of `spec`'s keys that an organization holds.
    async fn held_keys(
        &self,
        spec: &OrganizationSpec,
        findings: &mut Vec<Violation>,
    ) -> Result<(), Exception> {
        let keys = self.catalog.keys(spec);
        for key in keys.iter() {
            if self.catalog.holder(key).await?.is_some() {
                findings.push(keys.conflict(key));
            }
        }
        Ok(())
    }

    /// Adds a finding when an organization holds `alias` (a valid one).
    async fn held_alias(
        &self,
        alias: &str,
        findings: &mut Vec<Violation>,
    ) -> Result<(), Exception> {
        let Ok(alias) = alias.parse::<workmail_org::OrganizationAlias>() else {
            return Ok(());
        };
        let key = workmail_org::catalog::UniquenessKey::Alias(alias.to_canonical());
        if self.catalog.holder(&key).await?.is_some() {
            findings.push(Violation::new(
                FieldPath::Alias,
                Rule::AliasTaken,
                key.conflict(),
            ));
        }
        Ok(())
    }

    /// The entry of organization `id` with its snapshot, or `OrganizationNotFoundException`.
    pub(crate) async fn organization(
        &self,
        region: Region,
        id: &OrganizationId,
    ) -> Result<(Entry, Organization), Exception> {
        let not_found = || {
            Exception::new(
                ErrorName::OrganizationNotFound,
                format!("organization {id} does not exist in {region}"),
            )
        };
        let entry = self
            .catalog
            .by_organization_id(id)
            .await?
            .filter(|entry| entry.region() == region)
            .ok_or_else(not_found)?;
        match entry.organization().cloned() {
            Some(organization) => Ok((entry, organization)),
            // Created by a call still running (or one that died before its first
            // snapshot): it is `Requested`.
            None => {
                let requested = Snapshot {
                    entry: &entry,
                    id,
                    state: OrganizationState::Requested,
                    default_domain: entry.spec().test_domain().to_string(),
                    completed: None,
                    error: None,
                }
                .build(&self.config.account)?;
                let organization = self.record(&requested).await?;
                Ok((entry, organization))
            }
        }
    }

    pub(crate) async fn describe_organization(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: DescribeOrganizationMembers = read_body(Operation::DescribeOrganization, body)?;
        let id = organization_id(raw.organization_id)?;
        let (entry, organization) = self.organization(region, &id).await?;
        let polls = self.state().poll_organization(&id).await?;
        let after = self.config.create_after_polls;
        let current = organization.state().known().copied();
        let next = match current {
            Some(OrganizationState::Requested | OrganizationState::Creating) => {
                if polls.polls >= after {
                    if polls.fails {
                        OrganizationState::Failed
                    } else {
                        OrganizationState::Active
                    }
                } else if polls.polls <= 1 {
                    OrganizationState::Requested
                } else {
                    OrganizationState::Creating
                }
            }
            Some(OrganizationState::Deleting) => OrganizationState::Deleted,
            _ => return Ok(wire::ok(&organization)),
        };
        if Some(next) == current {
            return Ok(wire::ok(&organization));
        }
        let error = (next == OrganizationState::Failed)
            .then_some("the organization could not be created (injected fault)");
        let snapshot = Snapshot::next(
            &entry,
            &organization,
            next,
            self.now(),
            error,
            &self.config.account,
        )?;
        Ok(wire::ok(&self.record(&snapshot).await?))
    }

    pub(crate) async fn list_organizations(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: ListOrganizationsMembers = read_body(Operation::ListOrganizations, body)?;
        let limit = max_results(raw.max_results)?;
        let after = raw
            .next_token
            .map(|token| {
                token.parse::<EntryId>().map_err(|_| {
                    Exception::new(
                        ErrorName::InvalidParameter,
                        format!(
                            "NextToken {:?} is not one this endpoint issued",
                            shown(&token, 64)
                        ),
                    )
                })
            })
            .transpose()?;
        let page = self.catalog.list(Some(region), after, limit).await?;
        let summaries = page
            .iter()
            .filter_map(|entry| entry.organization())
            .map(|organization| {
                let mut summary = OrganizationSummary::builder(
                    organization.organization_id().clone(),
                    organization.alias().clone(),
                    organization.state().clone(),
                );
                if let Some(domain) = organization.default_mail_domain() {
                    summary = summary.default_mail_domain(domain.as_str());
                }
                if let Some(error) = organization.error_message() {
                    summary = summary.error_message(error);
                }
                summary.build().map_err(Exception::internal)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let next_token = match page.last() {
            Some(last) if page.len() == limit => {
                Some(NextToken::parse(&last.id().to_string()).map_err(Exception::internal)?)
            }
            _ => None,
        };
        Ok(wire::ok(&ListOrganizationsResponse::new(
            summaries, next_token,
        )))
    }

    pub(crate) async fn delete_organization(
        &self,
        region: Region,
        body: &[u8],
    ) -> Result<Response<Bytes>, Exception> {
        let raw: DeleteMembers = read_body(Operation::DeleteOrganization, body)?;
        let id = organization_id(raw.organization_id)?;
        let request = DeletionRequest {
            delete_directory: required(raw.delete_directory, "DeleteDirectory")?,
            force_delete: raw.force_delete.unwrap_or(false),
        };
        let (entry, organization) = self.organization(region, &id).await?;
        let state = organization.state().known().copied();
        if matches!(
            state,
            Some(OrganizationState::Deleting | OrganizationState::Deleted)
        ) {
            return deletion_response(&organization);
        }
        let enabled_users = self.state().enabled_users(&id).await?;
        let enabled_users = usize::try_from(enabled_users).unwrap_or(usize::MAX);
        if let Err(err) = request.check(organization.state().clone(), enabled_users) {
            // Decision: users still enabled are fixed by a parameter (`ForceDelete`), so
            // the refusal is `InvalidParameterException`; a state that forbids deletion is
            // `OrganizationStateException`.
            let name = match err.kind() {
                TransitionErrorKind::EnabledUsersRemain => ErrorName::InvalidParameter,
                _ => ErrorName::OrganizationState,
            };
            return Err(Exception::new(name, err.to_string()));
        }
        let deleting = Snapshot::next(
            &entry,
            &organization,
            OrganizationState::Deleting,
            self.now(),
            None,
            &self.config.account,
        )?;
        let deleting = self.record(&deleting).await?;
        // The organization's users and resources go with it (its domains and alias are
        // freed once it is `Deleted`). `DeleteDirectory: true` deletes an existing
        // directory too: it is no longer seeded. `false` keeps it, free for another
        // organization once this one is `Deleted`.
        self.state().delete_entities(&id).await?;
        if request.delete_directory {
            if let DirectoryChoice::Existing(directory) = entry.spec().directory() {
                self.state()
                    .forget_directory(directory.id().as_str())
                    .await?;
            }
        }
        deletion_response(&deleting)
    }
}

fn deletion_response(organization: &Organization) -> Result<Response<Bytes>, Exception> {
    let state = organization.state().known().copied().ok_or_else(|| {
        Exception::internal(format!(
            "the organization is in a state the emulator does not know: {}",
            organization.state()
        ))
    })?;
    Ok(wire::ok(&DeleteOrganizationResponse::new(
        organization.organization_id().clone(),
        state,
    )))
}
