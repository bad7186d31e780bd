//! What an answer to `CreateOrganization` proves: whether the request took effect at AWS.

use super::{AwsException, CreateOrganizationResponse};
use crate::id::OrganizationId;
use crate::rule::AwsErrorCode;

/// Which send of a `CreateOrganization` request an answer is to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attempt {
    /// The first send of the entry's request (with the SDK's own retries of it).
    First,
    /// A later send of the same request, with the same client token, after the first send's
    /// answer was lost or unknown (a crash, a timeout, a 5xx).
    Resend,
}

/// What an answer proves about whether the request took effect at AWS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// The organization exists: the answer names it.
    Taken,
    /// Nothing was made by this send.
    NotTaken,
    /// The answer does not say: look the alias up in `ListOrganizations`.
    Unknown,
}

/// An answer to `CreateOrganization`, whatever client got it.
///
/// Every send of a `CreateOrganization` request carries its entry's client token, and AWS
/// answers a repeated request with the same token with the same organization id. So an
/// organization id always settles it; what any other answer proves depends on whether it
/// answers the first send or a resend ([`Attempt`]).
///
/// [`effect`](Self::effect) gives the [`Effect`] of each answer by this table, a public
/// contract:
///
/// | answer | first send | resend | why |
/// | --- | --- | --- | --- |
/// | `Created` (an organization id) | taken | taken | AWS names the organization it made, for this token: made now, or by an earlier send of the same request |
/// | `Refused`: `InvalidParameterException` | not taken | unknown | first: the request was refused before anything was made (the SDK's retries of this send carry the same token, and a send that had made the organization would be answered with its id). Resend: the first send may have succeeded and its token expired, so the refusal proves nothing |
/// | `Refused`: `NameAvailabilityException` | not taken | unknown | first: the alias is held by someone else, nothing was made. Resend: the alias may be held by this very request's organization, made by the first send |
/// | `Refused`: `DirectoryInUseException` | not taken | unknown | first: the directory backs another organization, nothing was made. Resend: it may back the organization the first send made |
/// | `Refused`: `DirectoryUnavailableException` | not taken | unknown | first: the directory cannot be used, nothing was made. Resend: as for any refusal, the first send may have succeeded |
/// | `Refused`: `LimitExceededException` | not taken | unknown | first: the account's quota is reached, nothing was made. Resend: the first send's organization may be what filled the quota |
/// | `Refused`: `MailDomainInUseException` | not taken | unknown | absent from the API model's `CreateOrganization` errors, but answered for a domain another organization holds (the local endpoint does), before anything is made. Resend: the domain may be held by the first send's organization |
/// | `Refused`: throttling (`ThrottlingException`, `TooManyRequestsException`, ...) | unknown | unknown | the SDK retries throttling and 5xx answers, and gives back only the last: an earlier attempt of this send may have been a 5xx that took effect |
/// | `Refused`: any other name (`AccessDeniedException`, `MailDomainStateException`, a name newer than this crate, ...) | unknown | unknown | not an answer `CreateOrganization` gives for a request it refused before acting, as far as this crate knows; it may follow an SDK retry of a 5xx that took effect. A lookup costs one `ListOrganizations`; a wrong "not taken" loses an organization |
/// | `ServerError` (HTTP 5xx) | unknown | unknown | the server failed while or after acting: the organization may exist |
/// | `TimedOut` | unknown | unknown | the request may have arrived and been acted on |
/// | `Dropped` | unknown | unknown | the request may have arrived and been acted on; its answer was lost or unreadable |
/// | `NotSent` | not taken | not taken | the request never left the caller: this send cannot have made anything (on a resend, what the first send did is still to be found out by the lookup, as for an entry never resent) |
///
/// An `Unknown` answer goes to the lookup: `ListOrganizations` in the entry's Region,
/// comparing aliases. A `NotTaken` answer to a first send frees the entry; to a resend it
/// says only that the resend did nothing, and the entry stays as it was.
///
/// The SDK's results become answers through `CreateAnswer::from_sdk` (feature `aws-sdk`);
/// any other client builds the answer itself.
///
/// ```
/// use workmail_org::aws::{Attempt, AwsException, CreateAnswer, Effect};
/// use workmail_org::AwsErrorCode;
///
/// let taken = CreateAnswer::Refused(AwsException::from(AwsErrorCode::NameAvailability));
/// assert_eq!(taken.effect(Attempt::First), Effect::NotTaken);
/// assert_eq!(taken.effect(Attempt::Resend), Effect::Unknown);
/// assert_eq!(CreateAnswer::ServerError { status: 500 }.effect(Attempt::First), Effect::Unknown);
/// ```
///
/// New ways of failing may be told apart later, so the enum is `#[non_exhaustive]`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CreateAnswer {
    /// AWS answered with the organization id.
    Created(CreateOrganizationResponse),
    /// An HTTP 4xx with an exception name (the JSON protocol's `__type`).
    Refused(AwsException),
    /// An HTTP 5xx.
    ServerError {
        /// The HTTP status, 500 to 599.
        status: u16,
    },
    /// No answer came in time.
    TimedOut,
    /// The connection dropped, or the answer could not be read.
    Dropped,
    /// The request never left the caller: it could not be built, or no connection was
    /// opened.
    NotSent,
}

/// The exceptions `CreateOrganization` answers for a request it refused before acting.
///
/// The five of the API model, and `MailDomainInUse`, which AWS answers for a domain another
/// organization holds although the model does not declare it.
const REFUSED_BEFORE_ACTING: [AwsErrorCode; 6] = [
    AwsErrorCode::InvalidParameter,
    AwsErrorCode::NameAvailability,
    AwsErrorCode::DirectoryInUse,
    AwsErrorCode::DirectoryUnavailable,
    AwsErrorCode::LimitExceeded,
    AwsErrorCode::MailDomainInUse,
];

impl CreateAnswer {
    /// What this answer to `attempt` proves, by the table on [`CreateAnswer`].
    ///
    /// ```
    /// use workmail_org::aws::{Attempt, CreateAnswer, Effect};
    ///
    /// assert_eq!(CreateAnswer::TimedOut.effect(Attempt::First), Effect::Unknown);
    /// assert_eq!(CreateAnswer::NotSent.effect(Attempt::Resend), Effect::NotTaken);
    /// let throttled = CreateAnswer::Refused("ThrottlingException".parse()?);
    /// assert_eq!(throttled.effect(Attempt::First), Effect::Unknown);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn effect(&self, attempt: Attempt) -> Effect {
        match (self, attempt) {
            (CreateAnswer::Created(_), _) => Effect::Taken,
            (CreateAnswer::NotSent, _) => Effect::NotTaken,
            (CreateAnswer::Refused(exception), Attempt::First)
                if exception
                    .code()
                    .is_some_and(|code| REFUSED_BEFORE_ACTING.contains(&code)) =>
            {
                Effect::NotTaken
            }
            (
                CreateAnswer::Refused(_)
                | CreateAnswer::ServerError { .. }
                | CreateAnswer::TimedOut
                | CreateAnswer::Dropped,
                _,
            ) => Effect::Unknown,
        }
    }

    /// The organization id, for [`Created`](Self::Created).
    pub fn organization_id(&self) -> Option<&OrganizationId> {
        match self {
            CreateAnswer::Created(response) => Some(response.organization_id()),
            _ => None,
        }
    }
}

impl From<CreateOrganizationResponse> for CreateAnswer {
    fn from(response: CreateOrganizationResponse) -> Self {
        CreateAnswer::Created(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "m-0123456789abcdef0123456789abcdef";

    fn refused(name: &str) -> CreateAnswer {
        CreateAnswer::Refused(AwsException::parse(name).expect("a valid exception name"))
    }

    /// One row of `CreateAnswer`'s table: the answer, its effect on a first send and on a
    /// resend.
    #[track_caller]
    fn row(answer: CreateAnswer, first: Effect, resend: Effect) {
        assert_eq!(
            answer.effect(Attempt::First),
            first,
            "{answer:?}, first send"
        );
        assert_eq!(answer.effect(Attempt::Resend), resend, "{answer:?}, resend");
    }

    #[test]
    fn an_organization_id_is_taken_on_every_send() {
        let answer = CreateAnswer::from(CreateOrganizationResponse::new(ID.parse().unwrap()));
        assert_eq!(answer.organization_id().map(|id| id.as_str()), Some(ID));
        row(answer, Effect::Taken, Effect::Taken);
    }

    #[test]
    fn the_named_refusals_are_not_taken_first_and_unknown_on_a_resend() {
        for name in [
            "InvalidParameterException",
            "NameAvailabilityException",
            "DirectoryInUseException",
            "DirectoryUnavailableException",
            "LimitExceededException",
            "MailDomainInUseException",
            "com.amazonaws.workmail#NameAvailabilityException",
        ] {
            let answer = refused(name);
            assert_eq!(answer.organization_id(), None);
            row(answer, Effect::NotTaken, Effect::Unknown);
        }
    }

    #[test]
    fn throttling_is_unknown_on_every_send() {
        for name in [
            "ThrottlingException",
            "TooManyRequestsException",
            "RequestLimitExceeded",
            "ProvisionedThroughputExceededException",
        ] {
            row(refused(name), Effect::Unknown, Effect::Unknown);
        }
    }

    #[test]
    fn other_and_newer_exceptions_are_unknown_on_every_send() {
        for name in [
            "AccessDeniedException",
            "MailDomainStateException",
            "OrganizationStateException",
            "SomeExceptionAwsAddsLater",
        ] {
            row(refused(name), Effect::Unknown, Effect::Unknown);
        }
    }

    #[test]
    fn server_errors_timeouts_and_drops_are_unknown_on_every_send() {
        for status in [500, 502, 503, 504, 599] {
            row(
                CreateAnswer::ServerError { status },
                Effect::Unknown,
                Effect::Unknown,
            );
        }
        row(CreateAnswer::TimedOut, Effect::Unknown, Effect::Unknown);
        row(CreateAnswer::Dropped, Effect::Unknown, Effect::Unknown);
    }

    #[test]
    fn a_request_never_sent_is_not_taken_on_every_send() {
        row(CreateAnswer::NotSent, Effect::NotTaken, Effect::NotTaken);
        assert_eq!(CreateAnswer::NotSent.organization_id(), None);
    }
}
