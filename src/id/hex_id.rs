//! The two ids that are a fixed prefix and lower-case hex digits: Directory Service directory
//! ids and WorkMail organization ids. One macro writes both, as they differ only in their
//! prefix, length and rule.

use super::scan::{is_prefixed_lower_hex, prefixed_lower_hex, Ascii};
use crate::id::ParseError;
use crate::rule::Rule;
use crate::text::string_type;

macro_rules! hex_id {
    (
        $(#[$doc:meta])*
        $name:ident, $prefix:literal, $digits:literal, $rule:ident, $example:literal, $what:literal
    ) => {
        $(#[$doc])*
        ///
        /// Kept inline, as its fixed number of ASCII bytes: making or cloning one never
        /// allocates.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Ascii<{ $prefix.len() + $digits }>);

        impl $name {
            #[doc = concat!("Parses ", $what, ": `", $prefix, "` and ", stringify!($digits), " lower-case hex digits.")]
            ///
            /// # Errors
            #[doc = concat!("[`Rule::", stringify!($rule), "`] for a missing `", $prefix, "` prefix, ")]
            /// upper-case hex digits or any other length.
            pub fn parse(input: &str) -> Result<Self, ParseError> {
                if !is_prefixed_lower_hex(input, $prefix, $digits) {
                    // The precise error: what is wrong, and where.
                    prefixed_lower_hex(input, $prefix, $digits, Rule::$rule)?;
                }
                Ok($name(Ascii::new(input)))
            }

            #[doc = concat!("The id, e.g. `\"", $example, "\"`.")]
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.as_str()).finish()
            }
        }

        string_type!($name, concat!($what, " such as ", $example));
    };
}

hex_id! {
    /// A Directory Service directory id: `d-` and 10 lower-case hex digits, e.g. `d-1234567890`.
    ///
    /// ```
    /// use workmail_org::DirectoryId;
    /// let id: DirectoryId = "d-90670b1c2e".parse()?;
    /// assert_eq!(id.as_str(), "d-90670b1c2e");
    /// assert!("d-90670B1C2E".parse::<DirectoryId>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    DirectoryId, "d-", 10, DirectoryIdFormat, "d-1234567890", "a directory id"
}

hex_id! {
    /// A WorkMail organization id: `m-` and 32 lower-case hex digits.
    ///
    /// ```
    /// use workmail_org::OrganizationId;
    /// let id: OrganizationId = "m-0123456789abcdef0123456789abcdef".parse()?;
    /// assert_eq!(id.as_str().len(), 34);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    OrganizationId, "m-", 32, OrganizationIdFormat, "m-0123456789abcdef0123456789abcdef", "an organization id"
}
