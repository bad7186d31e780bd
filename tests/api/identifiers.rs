//! Validity tables for every identifier type: the boundary cases, each rejection with its
//! rule (and, where it has one, its kind and position), the accessors, and the exact error
//! messages.

use std::collections::{BTreeSet, HashSet};

use workmail_org::{
    id::HyphenPlace, id::ParseErrorKind, id::HOSTED_ZONE_PREFIX, id::MAX_ALIAS_LEN,
    id::MAX_CLIENT_TOKEN_LEN, id::MAX_DOMAIN_LEN, id::MAX_HOSTED_ZONE_ID_LEN,
    id::MAX_IDNA_INPUT_BYTES, id::MAX_KMS_KEY_ARN_LEN, id::MAX_LABEL_LEN, id::MIN_DOMAIN_LEN,
    id::MIN_KMS_KEY_ARN_LEN, id::TEST_DOMAIN_SUFFIX, AccountId, ClientToken, DirectoryId,
    DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias, OrganizationArn, OrganizationId,
    Region, Rule,
};

use crate::util::{accepts, domain_of_len, rejects, rejects_with, rep, Type};

fn length(min: usize, max: usize, actual: usize) -> ParseErrorKind {
    ParseErrorKind::Length { min, max, actual }
}

fn character(character: char, position: usize, allowed: &'static str) -> ParseErrorKind {
    ParseErrorKind::Character {
        character,
        position,
        allowed,
    }
}

fn hyphen(position: usize, place: HyphenPlace) -> ParseErrorKind {
    ParseErrorKind::Hyphen { position, place }
}

fn part(part: &'static str, found: &str, expected: &'static str) -> ParseErrorKind {
    ParseErrorKind::Part {
        part,
        found: found.into(),
        expected,
    }
}

#[test]
fn the_published_limits() {
    assert_eq!(MAX_ALIAS_LEN, 62);
    assert_eq!(TEST_DOMAIN_SUFFIX, "awsapps.com");
    assert_eq!(
        (MIN_DOMAIN_LEN, MAX_DOMAIN_LEN, MAX_LABEL_LEN),
        (3, 209, 63)
    );
    assert_eq!(MAX_IDNA_INPUT_BYTES, 1024);
    assert_eq!(HOSTED_ZONE_PREFIX, "/hostedzone/");
    assert_eq!(MAX_HOSTED_ZONE_ID_LEN, 32);
    assert_eq!(MAX_CLIENT_TOKEN_LEN, 128);
    assert_eq!((MIN_KMS_KEY_ARN_LEN, MAX_KMS_KEY_ARN_LEN), (20, 2048));
}

mod alias {
    use super::*;

    const ALLOWED: &str = "ASCII letters, digits and single hyphens only";

    #[test]
    fn valid_aliases_keep_their_spelling() {
        let max = rep('a', 62);
        for input in [
            "a",
            "Z",
            "0",
            "acme",
            "Acme-Corp",
            "a-b-c",
            "a1-B2-c3",
            "0-0",
            "d",
            "D",
            "dd-x",
            "ad-x",
            "d1-x",
            "x-d-y",
            max.as_str(),
        ] {
            accepts::<OrganizationAlias>(input, input);
        }
    }

    #[test]
    fn length_is_1_to_62() {
        rejects_with::<OrganizationAlias>("", Rule::AliasLength, length(1, 62, 0));
        let alias = accepts::<OrganizationAlias>(&rep('a', 62), &rep('a', 62));
        assert_eq!(alias.as_str().len(), MAX_ALIAS_LEN);
        rejects_with::<OrganizationAlias>(&rep('a', 63), Rule::AliasLength, length(1, 62, 63));
        rejects_with::<OrganizationAlias>(
            &rep('a', 10_000),
            Rule::AliasLength,
            length(1, 62, 10_000),
        );
        // Lengths count characters: 63 two-byte characters are 63, not 126.
        rejects_with::<OrganizationAlias>(&rep('é', 63), Rule::AliasLength, length(1, 62, 63));
    }

    #[test]
    fn only_ascii_letters_digits_and_hyphens() {
        for (input, c, position) in [
            ("acme_corp", '_', 4),
            ("abc_def", '_', 3),
            ("acme corp", ' ', 4),
            (" acme", ' ', 0),
            ("acme ", ' ', 4),
            ("acme\n", '\n', 4),
            ("acme\t", '\t', 4),
            ("acme.com", '.', 4),
            ("acmé", 'é', 3),
            ("é", 'é', 0),
            ("dé", 'é', 1),
            ("ａcme", 'ａ', 0),
            ("a\u{0}", '\u{0}', 1),
        ] {
            rejects_with::<OrganizationAlias>(
                input,
                Rule::AliasCharacter,
                character(c, position, ALLOWED),
            );
        }
        // Multi-byte input within 62 bytes, or over 62 bytes but within 62 characters, is a
        // character error at the first non-ASCII character, not a length error.
        rejects_with::<OrganizationAlias>(
            &rep('é', 31),
            Rule::AliasCharacter,
            character('é', 0, ALLOWED),
        );
        rejects_with::<OrganizationAlias>(
            &format!("ab{}", rep('é', 40)),
            Rule::AliasCharacter,
            character('é', 2, ALLOWED),
        );
    }

    #[test]
    fn hyphens_are_single_and_inside() {
        for (input, position, place) in [
            ("-", 0, HyphenPlace::Start),
            ("-acme", 0, HyphenPlace::Start),
            ("--acme", 0, HyphenPlace::Start),
            ("a-", 1, HyphenPlace::End),
            ("acme-", 4, HyphenPlace::End),
            ("abc-", 3, HyphenPlace::End),
            ("ac--me", 3, HyphenPlace::Doubled),
            ("a---b", 2, HyphenPlace::Doubled),
            ("acme--", 5, HyphenPlace::Doubled),
        ] {
            rejects_with::<OrganizationAlias>(input, Rule::AliasHyphen, hyphen(position, place));
        }
    }

    #[test]
    fn d_dash_is_reserved_in_either_case() {
        for (input, prefix) in [
            ("d-acme", "d-"),
            ("D-acme", "D-"),
            ("d-", "d-"),
            ("D-", "D-"),
            ("d-1234567890", "d-"),
            ("D-ACME", "D-"),
        ] {
            rejects_with::<OrganizationAlias>(
                input,
                Rule::AliasReservedPrefix,
                ParseErrorKind::ReservedPrefix {
                    prefix: prefix.into(),
                },
            );
        }
        // Only as a prefix.
        accepts::<OrganizationAlias>("ad-acme", "ad-acme");
        accepts::<OrganizationAlias>("acme-d", "acme-d");
    }

    #[test]
    fn identity_ignores_case_and_display_keeps_spelling() {
        let upper: OrganizationAlias = "Acme".parse().unwrap();
        let lower: OrganizationAlias = "acme".parse().unwrap();
        let shout: OrganizationAlias = "ACME".parse().unwrap();
        assert_eq!(upper, lower);
        assert_eq!(lower, shout);
        assert_eq!(upper.cmp(&shout), std::cmp::Ordering::Equal);
        assert_eq!(upper.to_string(), "Acme");
        assert_eq!(upper.as_str(), "Acme");
        assert_eq!(shout.to_canonical(), "acme");

        let mut set = HashSet::new();
        assert!(set.insert(upper.clone()));
        assert!(!set.insert(lower.clone()), "same alias, different case");
        assert!(set.contains(&shout));
        assert_eq!(set.len(), 1);
        // The first spelling inserted is the one kept.
        assert_eq!(set.iter().next().unwrap().as_str(), "Acme");

        assert_ne!(upper, "acme-corp".parse::<OrganizationAlias>().unwrap());
    }

    #[test]
    fn ordering_is_that_of_the_lower_case_form() {
        // Byte order would put "B" before "a"; the folded order puts "a" first.
        let mut aliases: Vec<OrganizationAlias> = ["B", "a", "C-1", "c-0", "A0"]
            .into_iter()
            .map(|s| s.parse().unwrap())
            .collect();
        aliases.sort();
        let sorted: Vec<&str> = aliases.iter().map(OrganizationAlias::as_str).collect();
        assert_eq!(sorted, ["a", "A0", "B", "c-0", "C-1"]);
        let set: BTreeSet<OrganizationAlias> = ["x", "X", "y"]
            .into_iter()
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn the_test_domain_is_the_lower_case_alias_under_awsapps_com() {
        let alias: OrganizationAlias = "Acme-Corp".parse().unwrap();
        let domain = alias.test_domain();
        assert_eq!(domain.as_str(), "acme-corp.awsapps.com");
        assert!(domain.is_test_domain_namespace());
        assert_eq!(
            domain,
            "ACME-CORP.awsapps.com".parse::<DomainName>().unwrap()
        );

        let longest: OrganizationAlias = rep('Q', 62).parse().unwrap();
        let domain = longest.test_domain();
        assert_eq!(domain.as_str(), format!("{}.awsapps.com", rep('q', 62)));
        assert_eq!(domain.labels().count(), 3);
        assert_eq!(domain.as_str().parse::<DomainName>().unwrap(), domain);
    }

    #[test]
    fn debug_shows_the_spelling() {
        let alias: OrganizationAlias = "Acme".parse().unwrap();
        assert_eq!(format!("{alias:?}"), "OrganizationAlias(\"Acme\")");
    }
}

mod domain {
    use super::*;

    const ALLOWED: &str = "letters, digits, hyphens and dots only";

    #[test]
    fn valid_names_and_their_canonical_form() {
        for (input, canonical) in [
            ("acme.com", "acme.com"),
            ("a.b", "a.b"),
            ("mail.example.com", "mail.example.com"),
            ("ACME.Com", "acme.com"),
            ("acme.com.", "acme.com"),
            ("ACME.COM.", "acme.com"),
            ("a--b.com", "a--b.com"),
            ("abc--d.com", "abc--d.com"),
            ("a-b.c-d.com", "a-b.c-d.com"),
            ("123.com", "123.com"),
            ("1.2.3.a4", "1.2.3.a4"),
            ("acme.b1", "acme.b1"),
            ("acme.1b", "acme.1b"),
            ("awsapps.com", "awsapps.com"),
            ("x.awsapps.com", "x.awsapps.com"),
            ("acme.xn--p1ai", "acme.xn--p1ai"),
        ] {
            accepts::<DomainName>(input, canonical);
        }
    }

    #[test]
    fn unicode_becomes_punycode() {
        for (input, canonical) in [
            ("bücher.example", "xn--bcher-kva.example"),
            ("Bücher.Example.", "xn--bcher-kva.example"),
            ("Mail.Bücher.example.", "mail.xn--bcher-kva.example"),
            ("BÜCHER.example", "xn--bcher-kva.example"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
            ("XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example"),
            ("例え。テスト", "xn--r8jz45g.xn--zckzah"),
            ("例え。テスト。", "xn--r8jz45g.xn--zckzah"),
            ("ａｃｍｅ.com", "acme.com"),
            ("büc--her.example", "xn--bc--her-n2a.example"),
            ("e\u{301}.com", "xn--9ca.com"),
            ("acme.рф", "acme.xn--p1ai"),
        ] {
            accepts::<DomainName>(input, canonical);
        }
        let unicode: DomainName = "bücher.example".parse().unwrap();
        let ascii: DomainName = "xn--bcher-kva.example".parse().unwrap();
        assert_eq!(unicode, ascii);
    }

    #[test]
    fn uts46_ignores_invisible_characters() {
        // UTS 46 maps soft hyphen (U+00AD), zero-width space (U+200B) and word joiner
        // (U+2060) to nothing. (The `# Errors` list of `DomainName::parse` names
        // "a\u{200B}b.com" as a `domain.idna` error; UTS 46 accepts it as `ab.com`.)
        for input in ["a\u{AD}b.com", "a\u{200B}b.com", "a\u{2060}b.com"] {
            accepts::<DomainName>(input, "ab.com");
        }
    }

    #[test]
    fn to_unicode_and_labels() {
        let domain: DomainName = "Mail.Bücher.example.".parse().unwrap();
        assert_eq!(domain.to_unicode(), "mail.bücher.example");
        let labels: Vec<&str> = domain.labels().collect();
        assert_eq!(labels, ["mail", "xn--bcher-kva", "example"]);
        assert_eq!(domain.labels().next_back(), Some("example"));

        let domain: DomainName = "例え。テスト".parse().unwrap();
        assert_eq!(domain.to_unicode(), "例え.テスト");
        assert_eq!(domain.labels().count(), 2);

        let ascii: DomainName = "acme.com".parse().unwrap();
        assert_eq!(ascii.to_unicode(), "acme.com");
        // The Unicode form parses back to the same name.
        assert_eq!(
            "mail.bücher.example".parse::<DomainName>().unwrap(),
            "mail.xn--bcher-kva.example".parse::<DomainName>().unwrap()
        );
    }

    #[test]
    fn length_is_3_to_209_in_ascii_form() {
        for len in [3, 4, 63, 64, 208, 209] {
            let name = domain_of_len(len);
            accepts::<DomainName>(&name, &name);
        }
        // One trailing dot is not counted.
        let name = domain_of_len(209);
        accepts::<DomainName>(&format!("{name}."), &name);

        for (input, actual) in [("", 0), ("a.", 1), (".", 0), ("ab", 2), ("ab.", 2)] {
            rejects_with::<DomainName>(input, Rule::DomainLength, length(3, 209, actual));
        }
        for len in [210, 211, 300] {
            rejects_with::<DomainName>(
                &domain_of_len(len),
                Rule::DomainLength,
                length(3, 209, len),
            );
        }
        rejects_with::<DomainName>(
            &format!("{}.", domain_of_len(210)),
            Rule::DomainLength,
            length(3, 209, 210),
        );
        // The length of the ASCII form counts: 60 × "ü" is 66 characters of Punycode.
        let unicode = format!("{}.{}", rep('ü', 60), rep('b', 150));
        rejects_with::<DomainName>(&unicode, Rule::DomainLength, length(3, 209, 66 + 151));
    }

    #[test]
    fn labels_are_1_to_63_characters() {
        let label63 = rep('a', 63);
        accepts::<DomainName>(&format!("{label63}.com"), &format!("{label63}.com"));
        accepts::<DomainName>(&format!("x.{label63}"), &format!("x.{label63}"));
        let label64 = rep('a', 64);
        rejects_with::<DomainName>(
            &format!("{label64}.com"),
            Rule::DomainLabelLength,
            ParseErrorKind::LabelLength {
                label: 0,
                actual: 64,
                max: 63,
            },
        );
        rejects_with::<DomainName>(
            &format!("x.y.{label64}"),
            Rule::DomainLabelLength,
            ParseErrorKind::LabelLength {
                label: 2,
                actual: 64,
                max: 63,
            },
        );
        // Unicode labels are measured in their Punycode form.
        rejects_with::<DomainName>(
            &format!("{}.com", rep('ü', 60)),
            Rule::DomainLabelLength,
            ParseErrorKind::LabelLength {
                label: 0,
                actual: 66,
                max: 63,
            },
        );
        for (input, label) in [
            ("a..com", 1),
            (".acme.com", 0),
            ("acme.com..", 2),
            ("bücher.example..", 2),
            ("a.b。。", 2),
        ] {
            rejects_with::<DomainName>(
                input,
                Rule::DomainLabelLength,
                ParseErrorKind::LabelLength {
                    label,
                    actual: 0,
                    max: 63,
                },
            );
        }
    }

    #[test]
    fn at_least_two_labels() {
        for input in ["abc", "acme", "acme.", "ACME", "ü", "localhost."] {
            rejects_with::<DomainName>(
                input,
                Rule::DomainLabelCount,
                ParseErrorKind::LabelCount { actual: 1 },
            );
        }
    }

    #[test]
    fn the_last_label_is_not_all_digits() {
        for input in ["1.2.3.4", "acme.123", "acme.123.", "bücher.123", "a.0"] {
            rejects_with::<DomainName>(
                input,
                Rule::DomainNumericTld,
                ParseErrorKind::NumericTopLevel,
            );
        }
    }

    #[test]
    fn no_label_starts_or_ends_with_a_hyphen() {
        for (input, position, place) in [
            ("-acme.com", 0, HyphenPlace::LabelStart),
            ("acme-.com", 4, HyphenPlace::LabelEnd),
            ("acme.-mail.com", 5, HyphenPlace::LabelStart),
            ("acme.mail-.com", 9, HyphenPlace::LabelEnd),
            ("acme.com-", 8, HyphenPlace::LabelEnd),
            ("acme.-", 5, HyphenPlace::LabelStart),
            ("-.com", 0, HyphenPlace::LabelStart),
            ("ACME.-COM", 5, HyphenPlace::LabelStart),
        ] {
            rejects_with::<DomainName>(input, Rule::DomainLabelHyphen, hyphen(position, place));
        }
        // A Unicode name with a misplaced hyphen is rejected too (by IDNA itself).
        for input in ["-bücher.example", "bücher-.example"] {
            let err = DomainName::parse(input).unwrap_err();
            assert!(
                matches!(err.rule(), Rule::DomainIdna | Rule::DomainLabelHyphen),
                "{input:?}: {err}"
            );
        }
    }

    #[test]

    fn an_a_label_and_its_unicode_form_get_the_same_verdict() {
        // ASCII input is checked by IDNA with hyphens allowed anywhere, Unicode input with
        // no hyphen first or last: `xn----o0f` is the Punycode of "-ไ" (U+0E44).
        let a_label = DomainName::parse("xn----o0f.example");
        let u_label = DomainName::parse("-ไ.example");
        assert_eq!(
            a_label.is_ok(),
            u_label.is_ok(),
            "A-label: {a_label:?}, U-label: {u_label:?}"
        );
        if let Ok(domain) = a_label {
            assert_eq!(DomainName::parse(&domain.to_unicode()), Ok(domain));
        }
    }

    #[test]
    fn hyphens_as_third_and_fourth_characters_are_reserved() {
        // RFC 5890 reserves such labels (R-LDH) for ACE prefixes; only `xn--` is in use.
        for (input, position) in [
            ("ab--cd.com", 2),
            ("AB--CD.com", 2),
            ("ab--c.com", 2),
            ("acme.zz--top.com", 7),
            ("acme.com.ab--c", 11),
            ("ｘｙ--z.com", 2),
            ("ab--cd.bücher.example", 2),
        ] {
            rejects_with::<DomainName>(
                input,
                Rule::DomainReservedLabel,
                hyphen(position, HyphenPlace::LabelThirdAndFourth),
            );
        }
        // A hyphen at either end of the label is named first.
        rejects::<DomainName>("ab--.com", Rule::DomainLabelHyphen);
        // A Unicode label with them is rejected by IDNA (UTS 46 CheckHyphens), and so is an
        // A-label decoding to one, or to another `xn--` label.
        for input in [
            "bü--cher.example",
            "xn--b--cher-n2a.example",
            "xn--xn--a--gua.pt",
        ] {
            rejects_with::<DomainName>(input, Rule::DomainIdna, ParseErrorKind::Idna);
        }
    }

    #[test]
    fn only_letters_digits_hyphens_and_dots_with_position() {
        for (input, c, position) in [
            ("acme_corp.com", '_', 4),
            ("_dmarc.acme.com", '_', 0),
            ("acme corp.com", ' ', 4),
            (" acme.com", ' ', 0),
            ("acme.com ", ' ', 8),
            ("acme.com\n", '\n', 8),
            ("acme\t.com", '\t', 4),
            ("\u{0}x.com", '\u{0}', 0),
            ("acme.com/", '/', 8),
            ("user@acme.com", '@', 4),
            ("acme,com", ',', 4),
            ("a*.com", '*', 1),
            ("acme.com\u{7f}", '\u{7f}', 8),
        ] {
            rejects_with::<DomainName>(
                input,
                Rule::DomainCharacter,
                character(c, position, ALLOWED),
            );
        }
    }

    #[test]
    fn idna_rejections() {
        for input in [
            // Punycode that does not decode, or decodes to nothing Unicode.
            "xn--zz.example",
            "xn--a.com",
            "XN--ZZ.example",
            "ｘｎ--zz.example",
            // Disallowed, unassigned or private-use code points.
            "a\u{FFFD}b.com",
            "a\u{E000}b.com",
            "a\u{50000}b.com",
            // Bidi override, and ASCII that STD3 forbids inside Unicode input.
            "\u{202E}abc.com",
            "a＿b.com",
            // Digits of a right-to-left script next to a left-to-right label.
            "ü.١٢٣",
        ] {
            rejects_with::<DomainName>(input, Rule::DomainIdna, ParseErrorKind::Idna);
        }
    }

    #[test]
    fn ascii_rules_are_named_before_idna_runs() {
        // An empty Punycode label is an ASCII label ending with a hyphen.
        for (input, position) in [("xn--.com", 3), ("xn---.com", 4), ("a.xn--", 5)] {
            rejects_with::<DomainName>(
                input,
                Rule::DomainLabelHyphen,
                ParseErrorKind::Hyphen {
                    position,
                    place: HyphenPlace::LabelEnd,
                },
            );
        }
        // ASCII punctuation, spaces and controls inside Unicode input keep their position.
        for (input, character, position) in [("aü b.com", ' ', 2), ("a\u{0}ü.com", '\u{0}', 1)] {
            rejects_with::<DomainName>(
                input,
                Rule::DomainCharacter,
                ParseErrorKind::Character {
                    character,
                    position,
                    allowed: "letters, digits, hyphens and dots only",
                },
            );
        }
    }

    #[test]
    fn over_1024_bytes_is_a_length_error_before_anything_else() {
        rejects_with::<DomainName>(&rep('a', 1025), Rule::DomainLength, length(3, 209, 1025));
        // 1024 bytes still get the character check; 1025 do not.
        rejects_with::<DomainName>(
            &rep('_', MAX_IDNA_INPUT_BYTES),
            Rule::DomainCharacter,
            character('_', 0, ALLOWED),
        );
        rejects_with::<DomainName>(
            &rep('_', MAX_IDNA_INPUT_BYTES + 1),
            Rule::DomainLength,
            length(3, 209, 1025),
        );
        // Nor does IDNA see it: 400 × U+FFFD is 1200 bytes, reported by characters.
        rejects_with::<DomainName>(
            &rep('\u{FFFD}', 400),
            Rule::DomainLength,
            length(3, 209, 400),
        );
        // Ten kilobytes of anything.
        rejects_with::<DomainName>(
            &rep('ü', 5 * 1024),
            Rule::DomainLength,
            length(3, 209, 5 * 1024),
        );
    }

    #[test]
    fn the_test_domain_namespace() {
        for (input, expected) in [
            ("awsapps.com", true),
            ("x.awsapps.com", true),
            ("a.b.awsapps.com", true),
            ("AWSAPPS.COM.", true),
            ("notawsapps.com", false),
            ("awsapps.com.evil.org", false),
            ("awsapps.co", false),
            ("acme.com", false),
        ] {
            let domain: DomainName = input.parse().unwrap();
            assert_eq!(domain.is_test_domain_namespace(), expected, "{input}");
        }
    }

    #[test]
    fn sets_can_be_queried_with_the_canonical_str() {
        let set: HashSet<DomainName> = ["Acme.com.", "bücher.example"]
            .into_iter()
            .map(|s| s.parse().unwrap())
            .collect();
        assert!(set.contains("acme.com"));
        assert!(set.contains("xn--bcher-kva.example"));
        // Only the canonical text: Borrow<str> compares exactly.
        assert!(!set.contains("ACME.com"));
        assert!(!set.contains("acme.com."));
        assert!(!set.contains("bücher.example"));

        let tree: BTreeSet<DomainName> = ["b.com", "A.com"]
            .into_iter()
            .map(|s| s.parse().unwrap())
            .collect();
        assert!(tree.contains("a.com"));
        let sorted: Vec<&str> = tree.iter().map(DomainName::as_str).collect();
        assert_eq!(sorted, ["a.com", "b.com"]);
    }
}

mod hosted_zone {
    use super::*;

    const ALLOWED: &str = "upper-case letters and digits only";

    #[test]
    fn valid_ids_and_the_route53_prefix() {
        let max = rep('Z', 32);
        for (input, canonical) in [
            ("Z", "Z"),
            ("1", "1"),
            ("Z0123456789ABCDEFGHIJ", "Z0123456789ABCDEFGHIJ"),
            ("/hostedzone/Z0123456789ABCDEFGHIJ", "Z0123456789ABCDEFGHIJ"),
            ("/hostedzone/Z", "Z"),
        ] {
            accepts::<HostedZoneId>(input, canonical);
        }
        accepts::<HostedZoneId>(&max, &max);
        accepts::<HostedZoneId>(&format!("/hostedzone/{max}"), &max);
    }

    #[test]
    fn length_is_1_to_32_without_the_prefix() {
        for input in ["", "/hostedzone/"] {
            rejects_with::<HostedZoneId>(input, Rule::HostedZoneIdLength, length(1, 32, 0));
        }
        let long = rep('Z', 33);
        rejects_with::<HostedZoneId>(&long, Rule::HostedZoneIdLength, length(1, 32, 33));
        rejects_with::<HostedZoneId>(
            &format!("/hostedzone/{long}"),
            Rule::HostedZoneIdLength,
            length(1, 32, 33),
        );
    }

    #[test]
    fn only_upper_case_letters_and_digits() {
        for (input, c, position) in [
            ("z0123", 'z', 0),
            ("Z0123abc", 'a', 5),
            ("/hostedzone/z1", 'z', 12),
            ("Z01/23", '/', 3),
            ("Z01\\23", '\\', 3),
            ("/HOSTEDZONE/Z1", '/', 0),
            ("hostedzone/Z1", 'h', 0),
            ("/hostedzone//hostedzone/Z1", '/', 12),
            (" Z1", ' ', 0),
            ("Z1 ", ' ', 2),
            ("ZÜ", 'Ü', 1),
            ("/hostedzone/ZÜ", 'Ü', 13),
        ] {
            rejects_with::<HostedZoneId>(
                input,
                Rule::HostedZoneIdCharacter,
                character(c, position, ALLOWED),
            );
        }
    }
}

mod directory_id {
    use super::*;

    const ALLOWED: &str = "lower-case hex digits 0-9 and a-f only after the prefix";

    #[test]
    fn valid_ids() {
        for input in [
            "d-90670b1c2e",
            "d-0000000000",
            "d-ffffffffff",
            "d-1234567890",
        ] {
            accepts::<DirectoryId>(input, input);
        }
    }

    #[test]
    fn rejections() {
        let missing = ParseErrorKind::MissingPrefix { expected: "d-" };
        for input in [
            "",
            "d",
            "D-1234567890",
            "x-1234567890",
            "1234567890",
            " d-1234567890",
        ] {
            rejects_with::<DirectoryId>(input, Rule::DirectoryIdFormat, missing.clone());
        }
        for (input, c, position) in [
            ("d-12345678AB", 'A', 10),
            ("d-ABCDEF1234", 'A', 2),
            ("d-123456789g", 'g', 11),
            ("d-1234567890 ", ' ', 12),
            ("d--123456789", '-', 2),
            ("d-12345678é0", 'é', 10),
        ] {
            rejects_with::<DirectoryId>(
                input,
                Rule::DirectoryIdFormat,
                character(c, position, ALLOWED),
            );
        }
        for (input, actual) in [
            ("d-", 2),
            ("d-123", 5),
            ("d-123456789", 11),
            ("d-12345678901", 13),
        ] {
            rejects_with::<DirectoryId>(input, Rule::DirectoryIdFormat, length(12, 12, actual));
        }
    }
}

mod organization_id {
    use super::*;

    const ALLOWED: &str = "lower-case hex digits 0-9 and a-f only after the prefix";

    #[test]
    fn valid_ids() {
        let id =
            accepts::<OrganizationId>(crate::util::ORGANIZATION_ID, crate::util::ORGANIZATION_ID);
        assert_eq!(id.as_str().len(), 34);
        let zeros = format!("m-{}", rep('0', 32));
        accepts::<OrganizationId>(&zeros, &zeros);
    }

    #[test]
    fn rejections() {
        let missing = ParseErrorKind::MissingPrefix { expected: "m-" };
        for input in [
            "",
            "M-0123456789abcdef0123456789abcdef",
            "d-0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef",
        ] {
            rejects_with::<OrganizationId>(input, Rule::OrganizationIdFormat, missing.clone());
        }
        for (input, c, position) in [
            ("m-0123456789ABCDEF0123456789abcdef", 'A', 12),
            ("m-0123456789abcdef0123456789abcdeF", 'F', 33),
            ("m-0123456789abcdeg0123456789abcdef", 'g', 17),
            ("m-0123456789abcdef0123456789abcde ", ' ', 33),
            ("m-0123456789abcdef0123456789abcdé", 'é', 32),
        ] {
            rejects_with::<OrganizationId>(
                input,
                Rule::OrganizationIdFormat,
                character(c, position, ALLOWED),
            );
        }
        for (digits, actual) in [(31, 33), (33, 35), (0, 2)] {
            rejects_with::<OrganizationId>(
                &format!("m-{}", rep('a', digits)),
                Rule::OrganizationIdFormat,
                length(34, 34, actual),
            );
        }
    }
}

mod account {
    use super::*;

    #[test]
    fn twelve_digits_with_leading_zeros_kept() {
        for input in [
            "111122223333",
            "012345678901",
            "000000000000",
            "999999999999",
        ] {
            accepts::<AccountId>(input, input);
        }
        let account: AccountId = "012345678901".parse().unwrap();
        assert_eq!(account.as_str(), "012345678901");
        // Dropping the leading zero leaves 11 digits: not the same account, not an account.
        rejects_with::<AccountId>("12345678901", Rule::AccountIdFormat, length(12, 12, 11));
        assert_ne!(account, "123456789010".parse::<AccountId>().unwrap());
    }

    #[test]
    fn rejections() {
        for (input, actual) in [
            ("", 0),
            ("12345", 5),
            ("12345678901", 11),
            ("1234567890123", 13),
        ] {
            rejects_with::<AccountId>(input, Rule::AccountIdFormat, length(12, 12, actual));
        }
        for (input, c, position) in [
            ("1111-2222-3333", '-', 4),
            (" 111122223333", ' ', 0),
            ("111122223333 ", ' ', 12),
            ("11112222333a", 'a', 11),
            ("+11112222333", '+', 0),
            ("١١١١٢٢٢٢٣٣٣٣", '١', 0),
            ("１11122223333", '１', 0),
        ] {
            rejects_with::<AccountId>(
                input,
                Rule::AccountIdFormat,
                character(c, position, "digits only"),
            );
        }
    }
}

mod client_token {
    use super::*;

    const ALLOWED: &str = "printable ASCII 0x21 to 0x7E only";

    #[test]
    fn printable_ascii_1_to_128() {
        let printable: String = ('!'..='~').collect();
        assert_eq!(printable.len(), 94);
        for input in ["a", "create-acme-1", "~", "\"'\\{}", printable.as_str()] {
            accepts::<ClientToken>(input, input);
        }
        let max = rep('x', 128);
        accepts::<ClientToken>(&max, &max);
        rejects_with::<ClientToken>("", Rule::ClientTokenLength, length(1, 128, 0));
        rejects_with::<ClientToken>(&rep('x', 129), Rule::ClientTokenLength, length(1, 128, 129));
    }

    #[test]
    fn no_space_control_or_non_ascii() {
        for (input, c, position) in [
            (" ", ' ', 0),
            ("two words", ' ', 3),
            ("a\u{7f}", '\u{7f}', 1),
            ("\t", '\t', 0),
            ("a\nb", '\n', 1),
            ("\u{0}", '\u{0}', 0),
            ("é", 'é', 0),
            ("tokén", 'é', 3),
            ("token\u{a0}", '\u{a0}', 5),
        ] {
            rejects_with::<ClientToken>(
                input,
                Rule::ClientTokenCharacter,
                character(c, position, ALLOWED),
            );
        }
        // A bad character is reported even in an over-long token.
        rejects_with::<ClientToken>(
            &format!("{} ", rep('x', 200)),
            Rule::ClientTokenCharacter,
            character(' ', 200, ALLOWED),
        );
    }
}

mod region {
    use super::*;

    #[test]
    fn the_three_workmail_regions() {
        for (input, region) in [
            ("us-east-1", Region::UsEast1),
            ("us-west-2", Region::UsWest2),
            ("eu-west-1", Region::EuWest1),
        ] {
            assert_eq!(accepts::<Region>(input, input), region);
            assert_eq!(region.as_str(), input);
        }
        assert_eq!(
            Region::ALL,
            [Region::UsEast1, Region::UsWest2, Region::EuWest1]
        );
    }

    #[test]
    fn everything_else_is_unsupported_with_the_list() {
        let kind = ParseErrorKind::NotSupported {
            allowed: "us-east-1, us-west-2, eu-west-1",
        };
        for input in [
            "",
            "US-EAST-1",
            "Us-East-1",
            "us-east-2",
            "eu-central-1",
            "ap-southeast-2",
            " us-east-1",
            "us-east-1 ",
            "useast1",
            "us_east_1",
            "cn-north-1",
            "us-east-1\n",
            "ｕs-east-1",
        ] {
            rejects_with::<Region>(input, Rule::RegionUnsupported, kind.clone());
        }
    }
}

mod kms_key_arn {
    use super::*;

    const UUID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";
    const MRK: &str = "mrk-1234abcd12ab34cd56ef1234567890ab";
    const KEY_ID: &str = "a lower-case UUID, or mrk- and 32 lower-case hex digits";

    fn arn(region: &str, account: &str, resource: &str) -> String {
        format!("arn:aws:kms:{region}:{account}:{resource}")
    }

    #[test]
    fn a_uuid_key_and_its_parts() {
        let text = arn("eu-west-1", "111122223333", &format!("key/{UUID}"));
        let key = accepts::<KmsKeyArn>(&text, &text);
        assert_eq!(key.region(), Region::EuWest1);
        assert_eq!(key.account().as_str(), "111122223333");
        assert_eq!(key.key_id(), UUID);
        assert!(!key.is_multi_region());
        assert_eq!(key.as_str(), text);
    }

    #[test]
    fn a_multi_region_key() {
        let text = arn("us-west-2", "012345678901", &format!("key/{MRK}"));
        let key = accepts::<KmsKeyArn>(&text, &text);
        assert_eq!(key.region(), Region::UsWest2);
        assert_eq!(key.account().as_str(), "012345678901");
        assert_eq!(key.key_id(), MRK);
        assert!(key.is_multi_region());
    }

    #[test]
    fn every_region_where_workmail_runs() {
        for &region in Region::ALL {
            let text = arn(region.as_str(), "111122223333", &format!("key/{UUID}"));
            assert_eq!(accepts::<KmsKeyArn>(&text, &text).region(), region);
        }
    }

    #[test]
    fn length_is_20_to_2048() {
        rejects_with::<KmsKeyArn>("", Rule::KmsKeyArnLength, length(20, 2048, 0));
        rejects_with::<KmsKeyArn>("short", Rule::KmsKeyArnLength, length(20, 2048, 5));
        let nineteen = "arn:aws:kms:us-east";
        assert_eq!(nineteen.len(), 19);
        rejects_with::<KmsKeyArn>(nineteen, Rule::KmsKeyArnLength, length(20, 2048, 19));
        // At 20 characters the length is fine and the next part is judged.
        rejects::<KmsKeyArn>("arn:aws:kms:us-east-", Rule::KmsKeyArnRegion);

        let prefix = arn("us-east-1", "111122223333", "key/");
        let at_max = format!("{prefix}{}", rep('a', 2048 - prefix.len()));
        rejects::<KmsKeyArn>(&at_max, Rule::KmsKeyArnKeyId);
        let over = format!("{prefix}{}", rep('a', 2049 - prefix.len()));
        rejects_with::<KmsKeyArn>(&over, Rule::KmsKeyArnLength, length(20, 2048, 2049));
        // Characters, not bytes: 2000 two-byte characters are within the limit.
        let wide = format!("{prefix}{}", rep('é', 2000));
        rejects::<KmsKeyArn>(&wide, Rule::KmsKeyArnKeyId);
        // And below the minimum: 11 two-byte characters are 22 bytes but 11 characters.
        let eleven = rep('é', 11);
        assert_eq!((eleven.len(), eleven.chars().count()), (22, 11));
        rejects_with::<KmsKeyArn>(&eleven, Rule::KmsKeyArnLength, length(20, 2048, 11));
    }

    #[test]
    fn prefix_partition_service_and_resource_type() {
        let key = format!("key/{UUID}");
        for (input, which, found, expected) in [
            (
                format!(" arn:aws:kms:us-east-1:111122223333:{key}"),
                "prefix",
                " arn",
                "\"arn\"",
            ),
            (
                format!("arn:aws-cn:kms:us-east-1:111122223333:{key}"),
                "partition",
                "aws-cn",
                "\"aws\"; other partitions have no WorkMail",
            ),
            (
                format!("arn:aws-us-gov:kms:us-east-1:111122223333:{key}"),
                "partition",
                "aws-us-gov",
                "\"aws\"; other partitions have no WorkMail",
            ),
            (
                format!("ARN:aws:kms:us-east-1:111122223333:{key}"),
                "prefix",
                "ARN",
                "\"arn\"",
            ),
            (
                format!("arn:aws:s3:us-east-1:111122223333:{key}"),
                "service",
                "s3",
                "\"kms\"",
            ),
            (
                format!("arn:aws:workmail:us-east-1:111122223333:{key}"),
                "service",
                "workmail",
                "\"kms\"",
            ),
            (
                format!("arn:aws:kms:us-east-1:111122223333:KEY/{UUID}"),
                "resource",
                "KEY/1234abcd-12ab-34cd-56ef-1234567890ab",
                "key/KEY_ID",
            ),
            (
                "arn:aws:kms:us-east-1:111122223333".to_owned(),
                "resource",
                "",
                "key/KEY_ID",
            ),
        ] {
            rejects_with::<KmsKeyArn>(&input, Rule::KmsKeyArnFormat, part(which, found, expected));
        }
    }

    #[test]
    fn the_region_must_be_a_workmail_region() {
        let list = "us-east-1, us-west-2, eu-west-1";
        for region in ["eu-central-1", "US-EAST-1", "us-east-2", ""] {
            rejects_with::<KmsKeyArn>(
                &arn(region, "111122223333", &format!("key/{UUID}")),
                Rule::KmsKeyArnRegion,
                part("region", region, list),
            );
        }
    }

    #[test]
    fn the_account_is_12_digits() {
        for account in [
            "1111222233",
            "11112222333a",
            "1111222233334",
            "",
            "11112222333\n",
        ] {
            rejects_with::<KmsKeyArn>(
                &arn("us-east-1", account, &format!("key/{UUID}")),
                Rule::KmsKeyArnAccount,
                part("account", &account.escape_debug().to_string(), "12 digits"),
            );
        }
    }

    #[test]
    fn alias_arns_are_not_keys() {
        for name in ["alias/my-key", "alias/aws/workmail", "alias/"] {
            rejects_with::<KmsKeyArn>(
                &arn("us-east-1", "111122223333", name),
                Rule::KmsKeyArnAlias,
                part(
                    "resource",
                    name,
                    "key/KEY_ID: an alias ARN names an alias, not a key",
                ),
            );
        }
    }

    #[test]
    fn key_ids_are_lower_case() {
        for id in [
            "1234ABCD-12ab-34cd-56ef-1234567890ab",
            "1234abcd-12ab-34cd-56ef-1234567890AB",
            "mrk-1234ABCD12ab34cd56ef1234567890ab",
            "MRK-1234abcd12ab34cd56ef1234567890ab",
            "mrk-1234abcd12ab34cd56ef1234567890a",
            "mrk-1234abcd12ab34cd56ef1234567890abc",
            "1234abcd-12ab-34cd-56ef",
            "1234abcd-12ab-34cd-56ef-1234567890ab-00",
            "1234abcd12ab34cd56ef1234567890ab",
            "1234abcd-12ab-34cd-56ef-1234567890ag",
            "1234abcd-12ab-34cd-56ef-1234567890ab:x",
            "1234abcd-12ab-34cd-56ef-1234567890ab/",
            "",
        ] {
            rejects_with::<KmsKeyArn>(
                &arn("us-east-1", "111122223333", &format!("key/{id}")),
                Rule::KmsKeyArnKeyId,
                part("key id", id, KEY_ID),
            );
        }
    }
}

mod organization_arn {
    use super::*;

    const TEXT: &str = crate::util::ORGANIZATION_ARN;

    #[test]
    fn a_valid_arn_and_its_parts() {
        let arn = accepts::<OrganizationArn>(TEXT, TEXT);
        assert_eq!(arn.region(), Region::UsEast1);
        assert_eq!(arn.account().as_str(), "111122223333");
        assert_eq!(
            arn.organization_id().as_str(),
            "m-0123456789abcdef0123456789abcdef"
        );
        assert_eq!(arn.as_str(), TEXT);
    }

    #[test]
    fn new_builds_what_parse_reads() {
        let account: AccountId = "012345678901".parse().unwrap();
        let id: OrganizationId = crate::util::ORGANIZATION_ID.parse().unwrap();
        for &region in Region::ALL {
            let built = OrganizationArn::new(region, &account, &id);
            let text = format!(
                "arn:aws:workmail:{}:012345678901:organization/{}",
                region.as_str(),
                crate::util::ORGANIZATION_ID
            );
            assert_eq!(built.as_str(), text);
            assert_eq!(accepts::<OrganizationArn>(&text, &text), built);
            assert_eq!(built.region(), region);
            assert_eq!(built.account(), &account);
            assert_eq!(built.organization_id(), &id);
        }
    }

    #[test]
    fn each_part_wrong() {
        let id = crate::util::ORGANIZATION_ID;
        let resource = "organization/ and an organization id (m- and 32 lower-case hex digits)";
        for (input, which, found, expected) in [
            (
                format!("arm:aws:workmail:us-east-1:111122223333:organization/{id}"),
                "prefix",
                "arm".to_owned(),
                "\"arn\"",
            ),
            (
                format!("arn:aws-cn:workmail:us-east-1:111122223333:organization/{id}"),
                "partition",
                "aws-cn".to_owned(),
                "\"aws\"; other partitions have no WorkMail",
            ),
            (
                format!("arn:aws:kms:us-east-1:111122223333:organization/{id}"),
                "service",
                "kms".to_owned(),
                "\"workmail\"",
            ),
            (
                format!("arn:aws:workmail:eu-central-1:111122223333:organization/{id}"),
                "region",
                "eu-central-1".to_owned(),
                "us-east-1, us-west-2, eu-west-1",
            ),
            (
                format!("arn:aws:workmail:us-east-1:1111:organization/{id}"),
                "account",
                "1111".to_owned(),
                "12 digits",
            ),
            (
                format!("arn:aws:workmail:us-east-1:111122223333:org/{id}"),
                "resource",
                format!("org/{id}"),
                resource,
            ),
            (
                "arn:aws:workmail:us-east-1:111122223333:organization/m-0123".to_owned(),
                "resource",
                "organization/m-0123".to_owned(),
                resource,
            ),
            (
                "arn:aws:workmail:us-east-1:111122223333:organization/m-0123456789ABCDEF0123456789abcdef".to_owned(),
                "resource",
                "organization/m-0123456789ABCDEF0123456789abcdef".to_owned(),
                resource,
            ),
            (
                "arn:aws:workmail:us-east-1:111122223333".to_owned(),
                "resource",
                String::new(),
                resource,
            ),
            (String::new(), "prefix", String::new(), "\"arn\""),
            (
                format!(" arn:aws:workmail:us-east-1:111122223333:organization/{id}"),
                "prefix",
                " arn".to_owned(),
                "\"arn\"",
            ),
            (
                format!("arn:aws:workmail:us-east-1:111122223333:organization/{id}\n"),
                "resource",
                format!("organization/{id}\\n"),
                resource,
            ),
            (
                "arn:aws:workmail:us-east-1:111122223333:organization/m-0123456789abcdef0123456789abcdé".to_owned(),
                "resource",
                "organization/m-0123456789abcdef0123456789abcdé".to_owned(),
                resource,
            ),
        ] {
            rejects_with::<OrganizationArn>(
                &input,
                Rule::OrganizationArnFormat,
                part(which, &found, expected),
            );
        }
    }
}

/// Every rule a validating constructor checks is reached by some input.
#[test]
fn every_value_rule_is_reachable() {
    let witnesses: Vec<(Type, String)> = vec![
        (Type::Alias, String::new()),
        (Type::Alias, "a_b".into()),
        (Type::Alias, "a-".into()),
        (Type::Alias, "D-a".into()),
        (Type::Domain, rep('a', 2000)),
        (Type::Domain, "xn--zz.example".into()),
        (Type::Domain, "a_b.com".into()),
        (Type::Domain, "acme".into()),
        (Type::Domain, "a..com".into()),
        (Type::Domain, "-a.com".into()),
        (Type::Domain, "1.2.3.4".into()),
        (Type::Domain, "ab--cd.com".into()),
        (Type::HostedZone, String::new()),
        (Type::HostedZone, "z".into()),
        (Type::Directory, "d-ABC".into()),
        (Type::OrganizationId, "m-".into()),
        (Type::Account, "1".into()),
        (Type::ClientToken, String::new()),
        (Type::ClientToken, " ".into()),
        (Type::Region, "eu-central-1".into()),
        (Type::KmsKey, "arn".into()),
        (
            Type::KmsKey,
            "arn:aws-cn:kms:us-east-1:111122223333:key/x".into(),
        ),
        (
            Type::KmsKey,
            "arn:aws:kms:eu-central-1:111122223333:key/x".into(),
        ),
        (Type::KmsKey, "arn:aws:kms:us-east-1:1:key/x".into()),
        (
            Type::KmsKey,
            "arn:aws:kms:us-east-1:111122223333:key/x".into(),
        ),
        (
            Type::KmsKey,
            "arn:aws:kms:us-east-1:111122223333:alias/x".into(),
        ),
        (Type::OrganizationArn, "arn".into()),
    ];
    let reached: BTreeSet<Rule> = witnesses
        .iter()
        .map(|(ty, input)| match ty.parse(input) {
            Ok(value) => panic!("{ty:?} accepted {input:?} as {value:?}"),
            Err(err) => err.rule(),
        })
        .collect();
    // The value-type rules, by id prefix. `alias.taken` and `client_token.reused` need a
    // store, not a parser.
    let prefixes = [
        "alias.",
        "domain.",
        "hosted_zone_id.",
        "directory_id.",
        "organization_id.",
        "account_id.",
        "client_token.",
        "region.",
        "kms_key_arn.",
        "organization_arn.",
    ];
    let value_rules: BTreeSet<Rule> = Rule::ALL
        .iter()
        .copied()
        .filter(|rule| prefixes.iter().any(|p| rule.id().starts_with(p)))
        .filter(|rule| ![Rule::AliasTaken, Rule::ClientTokenReused].contains(rule))
        .collect();
    assert_eq!(value_rules.len(), 27);
    let missed: Vec<&str> = value_rules.difference(&reached).map(|r| r.id()).collect();
    assert!(missed.is_empty(), "no witness for {missed:?}");
    assert!(reached.is_subset(&value_rules));
}

/// Exact error messages: a representative failure of every type and every kind.
mod messages {
    use super::*;

    fn pins() -> Vec<(Type, String, String)> {
        let x64 = rep('x', 64);
        let a64 = rep('a', 64);
        let rows: Vec<(Type, String, &str)> = vec![
            // Alias: every kind it reports.
            (Type::Alias, "".into(), "organization alias \"\": must be 1 to 62 characters long, found 0"),
            (Type::Alias, rep('a', 63), "organization alias \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": must be 1 to 62 characters long, found 63"),
            (Type::Alias, "acme_corp".into(), "organization alias \"acme_corp\": character '_' at position 4 is not allowed (ASCII letters, digits and single hyphens only)"),
            (Type::Alias, "-acme".into(), "organization alias \"-acme\": hyphen at position 0 is not allowed (it cannot start with a hyphen)"),
            (Type::Alias, "acme-".into(), "organization alias \"acme-\": hyphen at position 4 is not allowed (it cannot end with a hyphen)"),
            (Type::Alias, "ac--me".into(), "organization alias \"ac--me\": hyphen at position 3 is not allowed (hyphens must be single)"),
            (Type::Alias, "d-acme".into(), "organization alias \"d-acme\": the prefix \"d-\" is reserved for directory ids (in either case)"),
            (Type::Alias, "D-acme".into(), "organization alias \"D-acme\": the prefix \"D-\" is reserved for directory ids (in either case)"),
            // Domain.
            (Type::Domain, "".into(), "domain name \"\": must be 3 to 209 characters long, found 0"),
            (Type::Domain, "acme_corp.com".into(), "domain name \"acme_corp.com\": character '_' at position 4 is not allowed (letters, digits, hyphens and dots only)"),
            (Type::Domain, "acme".into(), "domain name \"acme\": must have at least two labels separated by dots, found 1"),
            (Type::Domain, "a..com".into(), "domain name \"a..com\": label 1 is empty (labels are separated by single dots)"),
            (Type::Domain, format!("{a64}.com"), "domain name \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\": label 0 is 64 characters long (at most 63 allowed)"),
            (Type::Domain, "-acme.com".into(), "domain name \"-acme.com\": hyphen at position 0 is not allowed (a label cannot start with a hyphen)"),
            (Type::Domain, "acme.mail-.com".into(), "domain name \"acme.mail-.com\": hyphen at position 9 is not allowed (a label cannot end with a hyphen)"),
            (Type::Domain, "acme.123".into(), "domain name \"acme.123\": the last label must not be all digits"),
            (Type::Domain, "mail.ab--cd.com".into(), "domain name \"mail.ab--cd.com\": hyphen at position 7 is not allowed (a label with hyphens as its third and fourth characters is reserved, unless it starts with xn--)"),
            (Type::Domain, "xn--zz.example".into(), "domain name \"xn--zz.example\": is not a valid internationalized domain name (IDNA UTS 46 rejects it)"),
            // Hosted zone id.
            (Type::HostedZone, "/hostedzone/".into(), "hosted zone id \"/hostedzone/\": must be 1 to 32 characters long, found 0"),
            (Type::HostedZone, "/hostedzone/z0123".into(), "hosted zone id \"/hostedzone/z0123\": character 'z' at position 12 is not allowed (upper-case letters and digits only)"),
            // Directory id and organization id.
            (Type::Directory, "D-1234567890".into(), "directory id \"D-1234567890\": must start with \"d-\""),
            (Type::Directory, "d-12345678AB".into(), "directory id \"d-12345678AB\": character 'A' at position 10 is not allowed (lower-case hex digits 0-9 and a-f only after the prefix)"),
            (Type::Directory, "d-123".into(), "directory id \"d-123\": must be exactly 12 characters long, found 5"),
            (Type::OrganizationId, "m-0123".into(), "organization id \"m-0123\": must be exactly 34 characters long, found 6"),
            (Type::OrganizationId, "x-0123".into(), "organization id \"x-0123\": must start with \"m-\""),
            // Account id.
            (Type::Account, "12345".into(), "account id \"12345\": must be exactly 12 characters long, found 5"),
            (Type::Account, "1111-2222-3333".into(), "account id \"1111-2222-3333\": character '-' at position 4 is not allowed (digits only)"),
            // Client token.
            (Type::ClientToken, "".into(), "client token \"\": must be 1 to 128 characters long, found 0"),
            (Type::ClientToken, "two words".into(), "client token \"two words\": character ' ' at position 3 is not allowed (printable ASCII 0x21 to 0x7E only)"),
            // Region.
            (Type::Region, "eu-central-1".into(), "region \"eu-central-1\": is not supported (allowed: us-east-1, us-west-2, eu-west-1)"),
            (Type::Region, "US-EAST-1".into(), "region \"US-EAST-1\": is not supported (allowed: us-east-1, us-west-2, eu-west-1)"),
            // KMS key ARN: every rule.
            (Type::KmsKey, "short".into(), "kms key arn \"short\": must be 20 to 2048 characters long, found 5"),
            (Type::KmsKey, "arn:aws-cn:kms:us-east-1:111122223333:key/x".into(), "kms key arn \"arn:aws-cn:kms:us-east-1:111122223333:key/x\": partition \"aws-cn\" is not allowed (expected \"aws\"; other partitions have no WorkMail)"),
            (Type::KmsKey, "arn:aws:kms:eu-central-1:111122223333:key/x".into(), "kms key arn \"arn:aws:kms:eu-central-1:111122223333:key/x\": region \"eu-central-1\" is not allowed (expected us-east-1, us-west-2, eu-west-1)"),
            (Type::KmsKey, "arn:aws:kms:us-east-1:1111:key/x".into(), "kms key arn \"arn:aws:kms:us-east-1:1111:key/x\": account \"1111\" is not allowed (expected 12 digits)"),
            (Type::KmsKey, "arn:aws:kms:us-east-1:111122223333:alias/my-key".into(), "kms key arn \"arn:aws:kms:us-east-1:111122223333:alias/my-key\": resource \"alias/my-key\" is not allowed (expected key/KEY_ID: an alias ARN names an alias, not a key)"),
            (Type::KmsKey, "arn:aws:kms:us-east-1:111122223333:key/ABCD".into(), "kms key arn \"arn:aws:kms:us-east-1:111122223333:key/ABCD\": key id \"ABCD\" is not allowed (expected a lower-case UUID, or mrk- and 32 lower-case hex digits)"),
            // Organization ARN.
            (Type::OrganizationArn, "arn:aws:workmail:us-east-1:111122223333:org/m-1".into(), "organization arn \"arn:aws:workmail:us-east-1:111122223333:org/m-1\": resource \"org/m-1\" is not allowed (expected organization/ and an organization id (m- and 32 lower-case hex digits))"),
            // Unprintable input is escaped, never echoed raw.
            (Type::ClientToken, "a\u{7}b".into(), "client token \"a\\u{7}b\": character '\\u{7}' at position 1 is not allowed (printable ASCII 0x21 to 0x7E only)"),
            (Type::Alias, "line\nbreak".into(), "organization alias \"line\\nbreak\": character '\\n' at position 4 is not allowed (ASCII letters, digits and single hyphens only)"),
            (Type::Alias, "a\"b".into(), "organization alias \"a\\\"b\": character '\"' at position 1 is not allowed (ASCII letters, digits and single hyphens only)"),
            (Type::Domain, "\u{202E}abc.com".into(), "domain name \"\\u{202e}abc.com\": is not a valid internationalized domain name (IDNA UTS 46 rejects it)"),
            (Type::Region, "\u{1b}[31mred".into(), "region \"\\u{1b}[31mred\": is not supported (allowed: us-east-1, us-west-2, eu-west-1)"),
            (Type::KmsKey, "arn:aws:kms:us-east-1:11112222333\r:key/x".into(), "kms key arn \"arn:aws:kms:us-east-1:11112222333\\r:key/x\": account \"11112222333\\r\" is not allowed (expected 12 digits)"),
        ];
        let mut pins: Vec<(Type, String, String)> = rows
            .into_iter()
            .map(|(ty, input, message)| (ty, input, message.to_owned()))
            .collect();
        // Overlong input is cut after 64 characters and marked with `…`.
        pins.push((
            Type::Alias,
            rep('x', 100),
            format!("organization alias \"{x64}…\": must be 1 to 62 characters long, found 100"),
        ));
        pins.push((
            Type::Region,
            rep('x', 10 * 1024),
            format!(
                "region \"{x64}…\": is not supported (allowed: us-east-1, us-west-2, eu-west-1)"
            ),
        ));
        pins.push((
            Type::Alias,
            rep('\u{0}', 70),
            format!(
                "organization alias \"{}…\": must be 1 to 62 characters long, found 70",
                "\\0".repeat(64)
            ),
        ));
        // So is an overlong part of an ARN.
        let id = rep('x', 100);
        pins.push((
            Type::KmsKey,
            format!("arn:aws:kms:us-east-1:111122223333:key/{id}"),
            format!(
                "kms key arn \"arn:aws:kms:us-east-1:111122223333:key/{}…\": key id \"{x64}…\" is not allowed (expected a lower-case UUID, or mrk- and 32 lower-case hex digits)",
                rep('x', 25)
            ),
        ));
        pins
    }

    #[test]
    fn pinned_messages() {
        for (ty, input, expected) in pins() {
            let err = ty.parse(&input).unwrap_err();
            assert_eq!(err.to_string(), expected, "{ty:?} {input:?}");
            assert_eq!(format!("{err:?}"), format!("ParseError({expected:?})"));
        }
    }

    #[test]
    fn input_is_the_shown_form() {
        let err = "line\nbreak".parse::<OrganizationAlias>().unwrap_err();
        assert_eq!(err.input(), "line\\nbreak");
        let err = rep('x', 65).parse::<OrganizationAlias>().unwrap_err();
        assert_eq!(err.input(), format!("{}…", rep('x', 64)));
        // 64 characters exactly are shown in full.
        let err = format!("{} ", rep('x', 63))
            .parse::<ClientToken>()
            .unwrap_err();
        assert_eq!(err.input(), format!("{} ", rep('x', 63)));
        // Multi-byte characters count as one.
        let err = rep('é', 100).parse::<OrganizationAlias>().unwrap_err();
        assert_eq!(err.input(), format!("{}…", rep('é', 64)));
    }

    #[test]
    fn every_kind_and_every_hyphen_place_is_pinned() {
        fn tag(kind: &ParseErrorKind) -> String {
            match kind {
                ParseErrorKind::Length { min, max, .. } if min == max => "length exact".into(),
                ParseErrorKind::Length { .. } => "length range".into(),
                ParseErrorKind::Character { .. } => "character".into(),
                ParseErrorKind::Hyphen { place, .. } => format!("hyphen {place:?}"),
                ParseErrorKind::ReservedPrefix { .. } => "reserved prefix".into(),
                ParseErrorKind::MissingPrefix { .. } => "missing prefix".into(),
                ParseErrorKind::LabelCount { .. } => "label count".into(),
                ParseErrorKind::LabelLength { actual: 0, .. } => "label empty".into(),
                ParseErrorKind::LabelLength { .. } => "label long".into(),
                ParseErrorKind::NumericTopLevel => "numeric top level".into(),
                ParseErrorKind::Idna => "idna".into(),
                ParseErrorKind::NotSupported { .. } => "not supported".into(),
                ParseErrorKind::Part { .. } => "part".into(),
                other => format!("unknown {other:?}"),
            }
        }
        let pinned: BTreeSet<String> = pins()
            .iter()
            .map(|(ty, input, _)| tag(ty.parse(input).unwrap_err().kind()))
            .collect();
        let expected: BTreeSet<String> = [
            "length exact",
            "length range",
            "character",
            "hyphen Start",
            "hyphen End",
            "hyphen Doubled",
            "hyphen LabelStart",
            "hyphen LabelEnd",
            "hyphen LabelThirdAndFourth",
            "reserved prefix",
            "missing prefix",
            "label count",
            "label empty",
            "label long",
            "numeric top level",
            "idna",
            "not supported",
            "part",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(pinned, expected);
    }

    #[test]
    fn every_type_is_pinned() {
        let pins = pins();
        for ty in Type::ALL {
            assert!(
                pins.iter().any(|(t, _, _)| *t == ty),
                "no pinned message for {ty:?}"
            );
        }
    }

    #[test]
    fn errors_are_std_errors_with_rule_and_code() {
        let err = "d-acme".parse::<OrganizationAlias>().unwrap_err();
        let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(err.clone());
        assert_eq!(boxed.to_string(), err.to_string());
        assert!(boxed.source().is_none());
        assert_eq!(err.rule().id(), "alias.reserved_prefix");
        assert_eq!(err.rule().code().as_str(), "InvalidParameter");
    }
}
