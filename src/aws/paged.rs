//! The request of every paged call on one organization (`ListUsers`, `ListResources`,
//! `ListMailDomains`, `ListMailboxExportJobs`): `OrganizationId`, `NextToken` and
//! `MaxResults`, declared once; and the setters of the response builders.

/// Declares a paged request type of one organization: the struct, its serde (PascalCase;
/// `MaxResults` re-checked when read), its constructors and accessors.
macro_rules! organization_page_request {
    ($(#[$doc:meta])* $name:ident, $raw:ident, $raw_str:tt) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "PascalCase", deny_unknown_fields, try_from = $raw_str)]
        pub struct $name {
            organization_id: $crate::id::OrganizationId,
            #[serde(skip_serializing_if = "Option::is_none")]
            next_token: Option<$crate::aws::NextToken>,
            #[serde(skip_serializing_if = "Option::is_none")]
            max_results: Option<u8>,
        }

        #[derive(serde::Deserialize)]
        #[serde(rename_all = "PascalCase", deny_unknown_fields)]
        struct $raw {
            organization_id: $crate::id::OrganizationId,
            next_token: Option<$crate::aws::NextToken>,
            max_results: Option<u64>,
        }

        impl TryFrom<$raw> for $name {
            type Error = $crate::aws::PageSizeError;

            fn try_from(raw: $raw) -> Result<Self, $crate::aws::PageSizeError> {
                let max_results = raw
                    .max_results
                    .map(|n| $crate::aws::list::page_size(u8::try_from(n).unwrap_or(u8::MAX)))
                    .transpose()?;
                Ok($name {
                    organization_id: raw.organization_id,
                    next_token: raw.next_token,
                    max_results,
                })
            }
        }

        impl $name {
            /// The first page of `organization_id`, its size left to AWS.
            pub fn new(organization_id: $crate::id::OrganizationId) -> Self {
                $name {
                    organization_id,
                    next_token: None,
                    max_results: None,
                }
            }

            /// The first page of `organization_id`, of at most `max_results` entries.
            ///
            /// # Errors
            /// [`PageSizeError`]($crate::aws::PageSizeError) unless `max_results` is 1 to 100
            /// (API model: `MaxResults`).
            pub fn first_page(
                organization_id: $crate::id::OrganizationId,
                max_results: u8,
            ) -> Result<Self, $crate::aws::PageSizeError> {
                Ok($name {
                    organization_id,
                    next_token: None,
                    max_results: Some($crate::aws::list::page_size(max_results)?),
                })
            }

            /// The page after the one whose response carried `token`, of the same size.
            #[must_use]
            pub fn next_page(&self, token: $crate::aws::NextToken) -> Self {
                $name {
                    organization_id: self.organization_id.clone(),
                    next_token: Some(token),
                    max_results: self.max_results,
                }
            }

            /// `OrganizationId`.
            pub fn organization_id(&self) -> &$crate::id::OrganizationId {
                &self.organization_id
            }

            /// `NextToken`.
            pub fn next_token(&self) -> Option<&$crate::aws::NextToken> {
                self.next_token.as_ref()
            }

            /// `MaxResults`; `None` leaves the page size to AWS.
            pub fn max_results(&self) -> Option<u8> {
                self.max_results
            }
        }
    };
}

/// Declares the setters of a response builder that keeps its parts as read (`self.raw`),
/// each taking what an SDK hands over.
macro_rules! builder_setters {
    ($($(#[$doc:meta])* $field:ident: $ty:ty => $wrap:expr;)*) => {
        $(
            $(#[$doc])*
            pub fn $field(mut self, value: $ty) -> Self {
                #[allow(clippy::redundant_closure_call)]
                {
                    self.raw.$field = ($wrap)(value);
                }
                self
            }
        )*
    };
}
