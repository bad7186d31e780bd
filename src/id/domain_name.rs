//! Mail domain names.

use std::borrow::{Borrow, Cow};

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

use crate::id::inline::{InlineStr, ShortStr};
use crate::id::scan::swar;
use crate::id::TEST_DOMAIN_SUFFIX;
use crate::id::{HyphenPlace, ParseError, ParseErrorKind};
use crate::rule::Rule;
use crate::text::string_type;

/// The most characters a mail domain may have in ASCII form: every WorkMail mail-domain call
/// allows 209, which leaves room for `TOKEN._domainkey.DOMAIN` within DNS's 253.
pub const MAX_DOMAIN_LEN: usize = 209;

/// The fewest characters a domain name may have (API model).
pub const MIN_DOMAIN_LEN: usize = 3;

/// The most characters of one label (RFC 1035).
pub const MAX_LABEL_LEN: usize = 63;

/// The most bytes of a single domain name given to IDNA: a longer input is rejected by its
/// length before any IDNA work, as no valid name needs more (209 characters of at most 4 UTF-8
/// bytes each is 836). A whole spec's body has its own limit,
/// [`spec::MAX_BODY_BYTES`](crate::spec::MAX_BODY_BYTES).
pub const MAX_IDNA_INPUT_BYTES: usize = 1024;

const ALLOWED: &str = "letters, digits, hyphens and dots only";

/// The prefix of an A-label: a Unicode label in its Punycode form (RFC 5890).
const ACE_PREFIX: &str = "xn--";

/// U+0338 COMBINING LONG SOLIDUS OVERLAY: after `<`, `=` or `>`, Unicode normalization
/// (NFC) composes it into `≮`, `≠` or `≯`. No other ASCII punctuation composes with anything.
const LONG_SOLIDUS_OVERLAY: char = '\u{338}';

/// The most bytes of a name kept inline, without an allocation: most names, and the test
/// domain of every alias of up to 26 characters.
const INLINE_LEN: usize = 38;

/// A mail domain name, kept in its canonical ASCII form.
///
/// Parsing accepts Unicode (converted with IDNA, UTS 46, to Punycode), any letter case
/// (lowered) and one trailing dot (dropped: `acme.com.` is `acme.com`). The canonical form
/// then has at least two labels of 1 to 63 characters from `a-z 0-9 -`, no label starting or
/// ending with a hyphen, a last label that is not all digits, and 3 to 209 characters in all.
/// Equality, hashing and ordering use the canonical form, so `Bücher.example` equals
/// `xn--bcher-kva.example`; [`to_unicode`](Self::to_unicode) gives the form to show people.
///
/// # IDNA: UTS 46 with every check on
/// Unicode labels, and Punycode (`xn--`) labels once decoded, must pass UTS 46 processing
/// (nontransitional) with every flag a registration uses: the standard ASCII rules (STD3),
/// hyphens checked, the Bidi and joiner rules. Code points unassigned in the Unicode version
/// of the IDNA data (the `idna` crate's, from ICU4X) are rejected, typed or Punycode-encoded;
/// a code point is accepted once that data assigns it, as UTS 46 of that version does.
///
/// - decision: no label may have hyphens as its third and fourth characters unless it is an
///   A-label (`xn--…`): RFC 5890 reserves such labels (R-LDH), and UTS 46 rejects them when
///   it checks hyphens, as registration does. An ASCII label such as `ab--cd` breaks
///   [`Rule::DomainReservedLabel`]; a Unicode label such as `bü--cher`, or an A-label that
///   decodes to one (`xn--xn--a--gua`), breaks [`Rule::DomainIdna`].
/// - decision: ASCII punctuation is refused before any IDNA work, with its position
///   ([`Rule::DomainCharacter`]), except `<`, `=` and `>` directly followed by U+0338
///   COMBINING LONG SOLIDUS OVERLAY: normalization composes those pairs into `≮`, `≠` and
///   `≯`, which UTS 46 accepts, so the pair gets the same verdict as the composed character
///   (canonically equivalent text is the same name). The pair must be adjacent, as in every
///   normalized text; a non-normalized `<` + another mark + U+0338 is refused at the `<`.
///
/// The crate's tests run Unicode's UTS 46 conformance file (`IdnaTestV2.txt`, Unicode 16.0)
/// through this type: every case agrees with UTS 46, except where this type is stricter (at
/// least two labels, 3 to 209 characters, a last label that is not all digits) and where a
/// code point unassigned in Unicode 16.0 has since been assigned in the IDNA data.
///
/// `awsapps.com` and every name under it parse (the free test domains live there), and
/// [`is_test_domain_namespace`](Self::is_test_domain_namespace) tells them apart: whether such
/// a name may be used is a rule of the organization, not of the name.
///
/// ```
/// use workmail_org::DomainName;
///
/// let domain: DomainName = "Bücher.Example.".parse()?;
/// assert_eq!(domain.as_str(), "xn--bcher-kva.example");
/// assert_eq!(domain.to_unicode(), "bücher.example");
/// assert!(!domain.is_test_domain_namespace());
/// assert!("acme.awsapps.com".parse::<DomainName>()?.is_test_domain_namespace());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A name of up to 38 characters is kept inline: making or cloning one does not allocate.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DomainName(ShortStr<INLINE_LEN>);

impl DomainName {
    /// Parses a domain name, converting it to its canonical ASCII form.
    ///
    /// # Errors
    /// A [`ParseError`] naming the rule: `"a.b"` is fine but `"ab"` has one label
    /// ([`Rule::DomainLabelCount`]); `"acme_corp.com"` ([`Rule::DomainCharacter`]);
    /// `"a..com"` or a 64-character label ([`Rule::DomainLabelLength`]); `"-acme.com"`
    /// ([`Rule::DomainLabelHyphen`]); `"acme.123"` ([`Rule::DomainNumericTld`]); 210
    /// characters ([`Rule::DomainLength`]); `"ab--cd.com"` ([`Rule::DomainReservedLabel`]);
    /// `"xn--zz.com"` (invalid Punycode), `"a\u{FFFD}b.com"`, `"bü--cher.example"` or an
    /// unassigned code point ([`Rule::DomainIdna`]). Characters UTS 46 ignores, such as a
    /// zero-width space, are dropped, not rejected: `"a\u{200B}b.com"` is `ab.com`.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let text = input.strip_suffix('.').unwrap_or(input);
        if text.len() <= INLINE_LEN {
            if let Some(name) = short_plain_ascii_name(text) {
                return Ok(DomainName(ShortStr::Inline(name)));
            }
        } else if let Some(name) = plain_ascii_name(input) {
            return Ok(DomainName(name));
        }
        let fail = |rule, kind| ParseError::new(rule, kind, input);
        if input.len() > MAX_IDNA_INPUT_BYTES {
            return Err(fail(Rule::DomainLength, too_long(input.chars().count())));
        }
        // ASCII punctuation, spaces and controls are never valid, whatever the script of the
        // rest: name the first one with its position (IDNA would only say "invalid").
        if let Some((position, character)) = first_forbidden_ascii(input) {
            return Err(fail(
                Rule::DomainCharacter,
                ParseErrorKind::Character {
                    character,
                    position,
                    allowed: ALLOWED,
                },
            ));
        }
        let idna_error = || fail(Rule::DomainIdna, ParseErrorKind::Idna);
        let ascii: Cow<'_, str> = if input.is_ascii() {
            if input.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(input.to_ascii_lowercase())
            } else {
                Cow::Borrowed(input)
            }
        } else {
            Cow::Owned(to_ascii(input).ok_or_else(idna_error)?)
        };
        let name = ascii.strip_suffix('.').unwrap_or(&ascii);
        check_ascii_name(name).map_err(|(rule, kind)| fail(rule, kind))?;
        // Plain letters-digits-hyphens labels need no IDNA work; Punycode labels must decode
        // to a valid Unicode label, under the same rules as Unicode input.
        if !input.is_ascii() || name.contains(ACE_PREFIX) {
            let valid_a_labels = !input.is_ascii() || to_ascii(name).is_some();
            if !(valid_a_labels && u_labels_are_valid(name)) {
                return Err(idna_error());
            }
        }
        Ok(DomainName(ShortStr::new(name)))
    }

    /// The test domain of a valid alias (ASCII): `ALIAS.awsapps.com`, in lower case.
    pub(crate) fn test_domain_of(alias: &[u8]) -> Self {
        let mut name = ShortStr::from_ascii_parts(&[alias, b".", TEST_DOMAIN_SUFFIX.as_bytes()]);
        name.make_ascii_lowercase();
        debug_assert!(
            check_ascii_name(name.as_str()).is_ok(),
            "{name:?} is not a valid domain"
        );
        DomainName(name)
    }

    /// The canonical ASCII form: lower case, Punycode for Unicode labels, no trailing dot.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The canonical form's bytes: what the crate's rules compare, with no UTF-8 check.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The Unicode form, for showing to people: Punycode labels decoded.
    pub fn to_unicode(&self) -> String {
        let (unicode, _) =
            Uts46::new().to_unicode(self.as_bytes(), AsciiDenyList::STD3, Hyphens::Allow);
        unicode.into_owned()
    }

    /// The labels from left to right.
    pub fn labels(&self) -> impl DoubleEndedIterator<Item = &str> + '_ {
        self.as_str().split('.')
    }

    /// Whether the name is `awsapps.com` or under it: the namespace of WorkMail's free test
    /// domains, which no user domain may use.
    pub fn is_test_domain_namespace(&self) -> bool {
        self.as_bytes()
            .strip_suffix(TEST_DOMAIN_SUFFIX.as_bytes())
            .is_some_and(|rest| rest.is_empty() || rest.ends_with(b"."))
    }
}

impl std::fmt::Debug for DomainName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DomainName").field(&self.as_str()).finish()
    }
}

string_type!(DomainName, "a domain name string");

impl Borrow<str> for DomainName {
    /// Domain names compare by their canonical text, so maps keyed by `DomainName` can be
    /// queried with a canonical `&str`.
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// The canonical form of a plain ASCII name, in one pass over its bytes: letters (lowered),
/// digits, hyphens and dots, an optional trailing dot, 3 to 209 characters, at least two
/// labels of 1 to 63 characters with no hyphen at either end, a last label that is not all
/// digits, and no `--` anywhere (so no A-label and no reserved label: those take the full
/// path, with IDNA). `None` for anything else, which [`DomainName::parse`] then checks rule
/// by rule for the precise error; this accepts nothing that path rejects.
fn plain_ascii_name(input: &str) -> Option<ShortStr<INLINE_LEN>> {
    let text = input.strip_suffix('.').unwrap_or(input);
    let name = text.as_bytes();
    if !(MIN_DOMAIN_LEN..=MAX_DOMAIN_LEN).contains(&name.len()) {
        return None;
    }
    // Every class seen, and the class before: a separator (hyphen or dot) after a separator
    // or at the start is a hyphen starting a label, `--`, a hyphen ending a label or an
    // empty label.
    let mut seen = 0;
    let mut previous = DOT;
    let mut label_start = 0;
    let mut labels = 0;
    for (index, &b) in name.iter().enumerate() {
        let class = NAME_CLASS[usize::from(b)];
        if class == 0 || class & previous & SEPARATOR != 0 {
            return None;
        }
        if class == DOT {
            if index - label_start > MAX_LABEL_LEN {
                return None;
            }
            labels += 1;
            label_start = index + 1;
        }
        seen |= class;
        previous = class;
    }
    let last = &name[label_start..];
    if previous & SEPARATOR != 0
        || last.len() > MAX_LABEL_LEN
        || labels == 0
        || last.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    Some(if seen & UPPER != 0 {
        ShortStr::new_ascii_lowercase(text)
    } else {
        ShortStr::new(text)
    })
}

/// [`plain_ascii_name`] for a name (trailing dot dropped) of at most [`INLINE_LEN`]
/// characters, eight bytes at a time, lowered as it is checked: no label can be over 63
/// characters. Accepts exactly the names `plain_ascii_name` accepts.
fn short_plain_ascii_name(text: &str) -> Option<InlineStr<INLINE_LEN>> {
    let len = text.len();
    if !(MIN_DOMAIN_LEN..=INLINE_LEN).contains(&len) {
        return None;
    }
    let mut buffer = [0; INLINE_LEN.next_multiple_of(8)];
    buffer[..len].copy_from_slice(text.as_bytes());
    let mut refused = 0;
    // The separators (hyphens and dots) of the word before; the name starts as after a
    // separator, so it cannot start with one.
    let mut separators_before = swar::HIGH;
    for at in (0..len).step_by(8) {
        let word = swar::word(&buffer, at);
        let separators = swar::in_range(word, b'-', b'.');
        let upper = swar::in_range(word, b'A', b'Z');
        let allowed = separators
            | upper
            | swar::in_range(word, b'0', b'9')
            | swar::in_range(word, b'a', b'z');
        // A separator right after a separator: a label starting with a hyphen, an empty
        // label, a hyphen ending a label, or `--`.
        let after_separator = (separators << 8) | (separators_before >> 56);
        refused |= (word & swar::HIGH)
            | (swar::first(len - at) & !allowed)
            | (separators & after_separator);
        separators_before = separators;
        // Upper-case letters lowered: 0x20 added where the high bit marks one.
        buffer[at..at + 8].copy_from_slice(&(word | (upper >> 2)).to_le_bytes());
    }
    if refused != 0 || matches!(buffer[len - 1], b'-' | b'.') {
        return None;
    }
    // At least two labels, and a last one that is not all digits.
    let last_dot = buffer[..len].iter().rposition(|&b| b == b'.')?;
    if buffer[last_dot + 1..len].iter().all(u8::is_ascii_digit) {
        return None;
    }
    InlineStr::from_zero_padded(&buffer, len)
}

/// A byte's class in [`NAME_CLASS`]: a letter or digit,
const ALPHANUMERIC: u8 = 1;
/// an upper-case letter (with [`ALPHANUMERIC`]),
const UPPER: u8 = 2;
/// a hyphen or a dot (with [`HYPHEN`] or [`DOT`]).
const SEPARATOR: u8 = 4;
const HYPHEN: u8 = SEPARATOR | 8;
const DOT: u8 = SEPARATOR | 16;

/// The class of every byte in a plain ASCII name; 0 for any byte it may not hold.
const NAME_CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_lowercase() || byte.is_ascii_digit() {
            class[b] = ALPHANUMERIC;
        } else if byte.is_ascii_uppercase() {
            class[b] = ALPHANUMERIC | UPPER;
        }
        b += 1;
    }
    class[b'-' as usize] = HYPHEN;
    class[b'.' as usize] = DOT;
    class
};

/// UTS 46 ToASCII with the standard (STD3) ASCII rules and no hyphen at either end of a
/// label, for Unicode and Punycode labels alike. The hyphens in the third and fourth
/// characters are checked apart: [`check_ascii_name`] for ASCII labels, with their own rule
/// and position, and [`u_labels_are_valid`] for the decoded A-labels.
fn to_ascii(input: &str) -> Option<String> {
    Uts46::new()
        .to_ascii(
            input.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::CheckFirstLast,
            DnsLength::Ignore,
        )
        .ok()
        .map(Cow::into_owned)
}

/// The first ASCII character that no domain name may hold, with its character position:
/// anything but letters, digits, hyphens and dots, except `<`, `=` or `>` composing with a
/// directly following U+0338 (see the type's docs).
fn first_forbidden_ascii(input: &str) -> Option<(usize, char)> {
    let mut chars = input.chars().enumerate().peekable();
    while let Some((position, c)) = chars.next() {
        if c.is_ascii() && !(c.is_ascii_alphanumeric() || c == '-' || c == '.') {
            let composes = matches!(c, '<' | '=' | '>')
                && chars
                    .peek()
                    .is_some_and(|&(_, next)| next == LONG_SOLIDUS_OVERLAY);
            if !composes {
                return Some((position, c));
            }
        }
    }
    None
}

/// The UTS 46 hyphen check (CheckHyphens) that [`to_ascii`] leaves out, on every A-label of
/// a canonical name (each at most 63 characters): decoded, the label has no hyphens as its
/// third and fourth characters. An A-label that decodes to another `xn--…` breaks it too.
fn u_labels_are_valid(name: &str) -> bool {
    name.split('.')
        .filter_map(|label| label.strip_prefix(ACE_PREFIX))
        .all(|punycode| {
            idna::punycode::decode(punycode)
                .is_some_and(|label| !(label.get(2) == Some(&'-') && label.get(3) == Some(&'-')))
        })
}

fn too_long(actual: usize) -> ParseErrorKind {
    ParseErrorKind::Length {
        min: MIN_DOMAIN_LEN,
        max: MAX_DOMAIN_LEN,
        actual,
    }
}

/// The label rules, on a lower-case ASCII name without a trailing dot.
fn check_ascii_name(name: &str) -> Result<(), (Rule, ParseErrorKind)> {
    if !(MIN_DOMAIN_LEN..=MAX_DOMAIN_LEN).contains(&name.len()) {
        return Err((Rule::DomainLength, too_long(name.len())));
    }
    let mut start = 0;
    let mut count = 0;
    for (index, label) in name.split('.').enumerate() {
        if label.is_empty() || label.len() > MAX_LABEL_LEN {
            return Err((
                Rule::DomainLabelLength,
                ParseErrorKind::LabelLength {
                    label: index,
                    actual: label.len(),
                    max: MAX_LABEL_LEN,
                },
            ));
        }
        let place = if label.starts_with('-') {
            Some((start, HyphenPlace::LabelStart))
        } else if label.ends_with('-') {
            Some((start + label.len() - 1, HyphenPlace::LabelEnd))
        } else {
            None
        };
        if let Some((position, place)) = place {
            return Err((
                Rule::DomainLabelHyphen,
                ParseErrorKind::Hyphen { position, place },
            ));
        }
        if label.get(2..4) == Some("--") && !label.starts_with(ACE_PREFIX) {
            return Err((
                Rule::DomainReservedLabel,
                ParseErrorKind::Hyphen {
                    position: start + 2,
                    place: HyphenPlace::LabelThirdAndFourth,
                },
            ));
        }
        start += label.len() + 1;
        count += 1;
    }
    if count < 2 {
        return Err((
            Rule::DomainLabelCount,
            ParseErrorKind::LabelCount { actual: count },
        ));
    }
    if name
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err((Rule::DomainNumericTld, ParseErrorKind::NumericTopLevel));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_hyphen_positions_count_from_the_start_of_the_name() {
        let err = DomainName::parse("acme.-mail.com").unwrap_err();
        assert_eq!(
            err.kind(),
            &ParseErrorKind::Hyphen {
                position: 5,
                place: HyphenPlace::LabelStart
            }
        );
        let err = DomainName::parse("acme.mail-.com").unwrap_err();
        assert_eq!(
            err.kind(),
            &ParseErrorKind::Hyphen {
                position: 9,
                place: HyphenPlace::LabelEnd
            }
        );
    }

    #[test]
    fn test_namespace_is_the_suffix_at_a_label_boundary() {
        for (name, expected) in [
            ("awsapps.com", true),
            ("acme.awsapps.com", true),
            ("a.b.awsapps.com", true),
            ("notawsapps.com", false),
            ("awsapps.com.evil.org", false),
        ] {
            assert_eq!(
                DomainName::parse(name).unwrap().is_test_domain_namespace(),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn the_one_pass_check_agrees_with_the_rules() {
        let long_label = format!("{}.com", "a".repeat(63));
        let too_long_label = format!("{}.com", "a".repeat(64));
        let long_name = format!("{}.com", vec!["a".repeat(60); 4].join("."));
        for input in [
            "a.b",
            "acme.com",
            "ACME.Com.",
            "mail.acme-corp.example.com",
            "a-b.c-d",
            "1.a",
            "a.1",
            "a.b1",
            "ab",
            "a..b",
            ".a.b",
            "a.b..",
            "a.b.",
            "-a.b",
            "a-.b",
            "a.-b",
            "a.b-",
            "a--b.com",
            "xn--bcher-kva.example",
            "a_b.com",
            "a b.com",
            "ab.",
            "a.b.c.d",
            "é.com",
            &long_label,
            &too_long_label,
            &long_name,
        ] {
            let text = input.strip_suffix('.').unwrap_or(input);
            let short = short_plain_ascii_name(text);
            if text.len() <= INLINE_LEN {
                assert_eq!(
                    short.map(|name| name.as_str().to_owned()),
                    plain_ascii_name(input).map(|name| name.as_str().to_owned()),
                    "{input}"
                );
            } else {
                assert!(short.is_none(), "{input}");
            }
            if let Some(name) = plain_ascii_name(input) {
                let full = DomainName::parse(input).unwrap();
                assert_eq!(name.as_str(), full.as_str(), "{input}");
            }
        }
        for input in ["a.b", "ACME.Com.", "a-b.c-d", "1.a", &long_label] {
            assert!(plain_ascii_name(input).is_some(), "{input}");
        }
        for input in [
            "a.1",
            "a--b.com",
            "a..b",
            "a-.b",
            ".a.b",
            "ab",
            &too_long_label,
        ] {
            assert!(plain_ascii_name(input).is_none(), "{input}");
        }
    }

    #[test]
    fn eight_bytes_at_a_time_agrees_with_one_byte_at_a_time() {
        // Every text of up to four characters from a small alphabet, placed at each offset in
        // a word (after a valid prefix), so every pair of neighbours meets across words too.
        let alphabet = ['a', 'Z', '0', '-', '.', '_', '\u{e9}'];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
                .collect();
            texts.extend(longer);
        }
        for prefix in [
            "",
            "a",
            "ab.",
            "abcde",
            "abcdef",
            "abcdefg",
            "abcdefgh.",
            "a.bcdefghijklmn",
        ] {
            for text in &texts {
                for suffix in ["", ".com", "1"] {
                    let name = format!("{prefix}{text}{suffix}");
                    let text = name.strip_suffix('.').unwrap_or(&name);
                    if text.len() > INLINE_LEN {
                        continue;
                    }
                    let plain = plain_ascii_name(&name).map(|n| n.as_str().to_owned());
                    let short = short_plain_ascii_name(text).map(|n| n.as_str().to_owned());
                    assert_eq!(short, plain, "{name}");
                }
            }
        }
        let longest = format!("{}.{}", "a".repeat(30), "B".repeat(7));
        assert_eq!(
            short_plain_ascii_name(&longest).map(|n| n.as_str().to_owned()),
            Some(longest.to_ascii_lowercase())
        );
    }

    #[test]
    fn ideographic_full_stop_is_a_dot() {
        let domain = DomainName::parse("例え。テスト").unwrap();
        assert_eq!(domain.labels().count(), 2);
        assert!(domain.as_str().starts_with("xn--"));
        assert_eq!(domain.to_unicode(), "例え.テスト");
    }
}
