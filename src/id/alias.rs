//! The organization alias.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use crate::id::inline::ShortStr;
use crate::id::DomainName;
use crate::id::{HyphenPlace, ParseError, ParseErrorKind};
use crate::rule::Rule;
use crate::text::string_type;

/// The most characters an alias may have (WorkMail API model).
pub const MAX_ALIAS_LEN: usize = 62;

/// The suffix of every free test domain: `ALIAS.awsapps.com`.
pub const TEST_DOMAIN_SUFFIX: &str = "awsapps.com";

const ALLOWED: &str = "ASCII letters, digits and single hyphens only";

/// An organization alias: globally unique, it names the free test domain
/// `ALIAS.awsapps.com`.
///
/// Valid aliases have 1 to 62 characters: runs of ASCII letters and digits joined by single
/// hyphens, not starting with `d-` or `D-` (reserved for directory ids; AWS's own pattern
/// only forbids `d-`, this crate forbids both because Directory Service aliases do). The
/// whole input must match: the API's pattern has no end anchor, this type does not copy that
/// bug.
///
/// # Identity is case-insensitive
/// `Acme` and `acme` are the same alias: `PartialEq`, `Hash` and `Ord` compare the ASCII
/// lower-case form, while `as_str` and `Display` keep the user's spelling. Use
/// [`to_canonical`](Self::to_canonical) for the lower-case form (the key of an alias
/// registry).
///
/// ```
/// use workmail_org::OrganizationAlias;
///
/// let alias: OrganizationAlias = "Acme-Corp".parse()?;
/// assert_eq!(alias.as_str(), "Acme-Corp");
/// assert_eq!(alias, "acme-corp".parse::<OrganizationAlias>()?);
/// assert_eq!(alias.to_canonical(), "acme-corp");
/// assert_eq!(alias.test_domain().as_str(), "acme-corp.awsapps.com");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// An alias of up to 22 characters is kept inline: making or cloning one does not allocate.
#[derive(Clone)]
pub struct OrganizationAlias(ShortStr<22>);

impl OrganizationAlias {
    /// Parses an alias.
    ///
    /// # Errors
    /// A [`ParseError`] naming the rule: `""` or 63 characters ([`Rule::AliasLength`]),
    /// `"acme_corp"` or `"acmé"` ([`Rule::AliasCharacter`]), `"-acme"`, `"acme-"` or
    /// `"ac--me"` ([`Rule::AliasHyphen`]), `"d-acme"` or `"D-acme"`
    /// ([`Rule::AliasReservedPrefix`]).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        if is_valid(input.as_bytes()) {
            return Ok(OrganizationAlias(ShortStr::new(input)));
        }
        Self::reject(input)
    }

    /// The precise error for an input [`is_valid`] refused: the rules in their order.
    #[cold]
    fn reject(input: &str) -> Result<Self, ParseError> {
        let fail = |rule, kind| Err(ParseError::new(rule, kind, input));
        // Every valid alias is ASCII, so a byte length over the limit already fails; the
        // character count is only for the message.
        if input.is_empty() || input.len() > MAX_ALIAS_LEN {
            let actual = input.chars().count();
            if actual == 0 || actual > MAX_ALIAS_LEN {
                return fail(
                    Rule::AliasLength,
                    ParseErrorKind::Length {
                        min: 1,
                        max: MAX_ALIAS_LEN,
                        actual,
                    },
                );
            }
        }
        if let Some(prefix) = input.get(..2).filter(|p| p.eq_ignore_ascii_case("d-")) {
            return fail(
                Rule::AliasReservedPrefix,
                ParseErrorKind::ReservedPrefix {
                    prefix: prefix.into(),
                },
            );
        }
        let mut previous = None;
        for (position, character) in input.chars().enumerate() {
            if character == '-' {
                let place = if position == 0 {
                    Some(HyphenPlace::Start)
                } else if previous == Some('-') {
                    Some(HyphenPlace::Doubled)
                } else {
                    None
                };
                if let Some(place) = place {
                    return fail(
                        Rule::AliasHyphen,
                        ParseErrorKind::Hyphen { position, place },
                    );
                }
            } else if !character.is_ascii_alphanumeric() {
                return fail(
                    Rule::AliasCharacter,
                    ParseErrorKind::Character {
                        character,
                        position,
                        allowed: ALLOWED,
                    },
                );
            }
            previous = Some(character);
        }
        if input.ends_with('-') {
            return fail(
                Rule::AliasHyphen,
                ParseErrorKind::Hyphen {
                    position: input.len() - 1,
                    place: HyphenPlace::End,
                },
            );
        }
        Ok(OrganizationAlias(ShortStr::new(input)))
    }

    /// The alias as the user spelled it.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The alias's bytes, as spelled: what the crate's rules compare, with no UTF-8 check.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The canonical (ASCII lower-case) form: the alias's identity, and the label of its
    /// test domain.
    pub fn to_canonical(&self) -> String {
        self.as_str().to_ascii_lowercase()
    }

    /// The free test domain this alias names: `ALIAS.awsapps.com`, in lower case.
    pub fn test_domain(&self) -> DomainName {
        DomainName::test_domain_of(self.as_bytes())
    }

    fn folded(&self) -> impl Iterator<Item = u8> + '_ {
        self.as_bytes().iter().map(u8::to_ascii_lowercase)
    }
}

/// Whether `bytes` is a valid alias, in one pass: 1 to 62 ASCII letters, digits and single
/// hyphens, no hyphen at either end, not starting with `d-` or `D-`.
fn is_valid(bytes: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if bytes.len() > MAX_ALIAS_LEN || first == b'-' || last == b'-' {
        return false;
    }
    if matches!(bytes, [b'd' | b'D', b'-', ..]) {
        return false;
    }
    // The class of each byte (0 refused, 1 letter or digit, 2 hyphen); a hyphen after a
    // hyphen makes 2 & 2.
    let mut previous = 0;
    for &b in bytes {
        let class = ALIAS_CLASS[usize::from(b)];
        if class == 0 || class & previous == HYPHEN {
            return false;
        }
        previous = class;
    }
    true
}

const HYPHEN: u8 = 2;

/// The class of every byte in an alias: 1 for ASCII letters and digits, [`HYPHEN`] for
/// `-`, 0 for anything else.
const ALIAS_CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = 0;
    while b < 256 {
        if (b as u8).is_ascii_alphanumeric() {
            class[b] = 1;
        }
        b += 1;
    }
    class[b'-' as usize] = HYPHEN;
    class
};

string_type!(OrganizationAlias, "an organization alias string");

impl PartialEq for OrganizationAlias {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes().eq_ignore_ascii_case(other.as_bytes())
    }
}

impl Eq for OrganizationAlias {}

impl Hash for OrganizationAlias {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Aliases are at most 62 ASCII bytes: fold into a stack buffer and hash it in one go.
        let mut buf = [0u8; MAX_ALIAS_LEN];
        let len = self.as_bytes().len();
        buf[..len].copy_from_slice(self.as_bytes());
        buf[..len].make_ascii_lowercase();
        state.write(&buf[..len]);
        state.write_u8(0xff);
    }
}

impl PartialOrd for OrganizationAlias {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrganizationAlias {
    fn cmp(&self, other: &Self) -> Ordering {
        self.folded().cmp(other.folded())
    }
}

impl std::fmt::Debug for OrganizationAlias {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("OrganizationAlias")
            .field(&self.as_str())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    fn hash(alias: &OrganizationAlias) -> u64 {
        let mut h = DefaultHasher::new();
        alias.hash(&mut h);
        h.finish()
    }

    #[test]
    fn identity_ignores_case_but_spelling_is_kept() {
        let a = OrganizationAlias::parse("AcMe").unwrap();
        let b = OrganizationAlias::parse("acme").unwrap();
        assert_eq!(a, b);
        assert_eq!(hash(&a), hash(&b));
        assert_eq!(a.cmp(&b), Ordering::Equal);
        assert_eq!(a.to_string(), "AcMe");
    }

    #[test]
    fn hyphen_rules_name_the_position() {
        let err = OrganizationAlias::parse("ab--c").unwrap_err();
        assert_eq!(
            err.kind(),
            &ParseErrorKind::Hyphen {
                position: 3,
                place: HyphenPlace::Doubled
            }
        );
        let err = OrganizationAlias::parse("abc-").unwrap_err();
        assert_eq!(
            err.kind(),
            &ParseErrorKind::Hyphen {
                position: 3,
                place: HyphenPlace::End
            }
        );
    }

    #[test]
    fn the_one_pass_check_agrees_with_the_rules() {
        for input in [
            "a",
            "acme",
            "Acme-Corp-1",
            "a-b-c",
            "",
            "-a",
            "a-",
            "a--b",
            "d-acme",
            "D-acme",
            "d",
            "dd-a",
            "a_b",
            "acmé",
            "a b",
        ] {
            let valid = is_valid(input.as_bytes());
            assert_eq!(valid, OrganizationAlias::reject(input).is_ok(), "{input}");
        }
        assert!(is_valid("a".repeat(62).as_bytes()));
        assert!(!is_valid("a".repeat(63).as_bytes()));
    }

    #[test]
    fn multibyte_input_within_the_byte_limit_is_a_character_error() {
        // 31 two-byte characters: 62 bytes, so not caught by the length check.
        let err = OrganizationAlias::parse(&"é".repeat(31)).unwrap_err();
        assert_eq!(err.rule(), Rule::AliasCharacter);
        // 40 two-byte characters: 80 bytes but only 40 characters, still a character error.
        let err = OrganizationAlias::parse(&"é".repeat(40)).unwrap_err();
        assert_eq!(err.rule(), Rule::AliasCharacter);
    }
}
