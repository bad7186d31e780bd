//! TEMPORARY stub, replaced by the helper's module at merge.
#![allow(missing_docs)]
use super::{AwsException, CreateOrganizationResponse};
use crate::OrganizationId;
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attempt { First, Resend }
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect { Taken, NotTaken, Unknown }
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CreateAnswer {
    Created(CreateOrganizationResponse),
    Refused(AwsException),
    ServerError { status: u16 },
    TimedOut,
    Dropped,
    NotSent,
}
impl CreateAnswer {
    pub fn effect(&self, attempt: Attempt) -> Effect {
        match (self, attempt) {
            (CreateAnswer::Created(_), _) => Effect::Taken,
            (CreateAnswer::NotSent, _) => Effect::NotTaken,
            (CreateAnswer::Refused(e), Attempt::First) if e.code().is_some() => Effect::NotTaken,
            _ => Effect::Unknown,
        }
    }
    pub fn organization_id(&self) -> Option<&OrganizationId> {
        match self { CreateAnswer::Created(r) => Some(r.organization_id()), _ => None }
    }
}
