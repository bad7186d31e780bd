//! The `dns` module: tokens, required records, their zone-file form read back by a real zone
//! parser (NLnet Labs' `domain`, a dev-dependency), the `GetMailDomain` wire format, the check
//! (one test per row of the verdict table) and the default-domain decision.

use std::path::{Path, PathBuf};

use workmail_org::aws::{
    DnsRecord, GetMailDomainResponse, GetMailDomainResponseBuilder, RecordType, ResponseError,
    ResponseErrorKind, VerificationStatus,
};
use workmail_org::dns::{
    quoted_txt, DefaultDomainEligibility, Difference, DkimToken, DomainTokens, ObservedRecord,
    Purpose, Reason, RecordData, RequiredRecords, Status, TokensError, Verdict, VerificationToken,
    DMARC_VALUE, SPF_VALUE,
};
use workmail_org::id::{HyphenPlace, ParseErrorKind};
use workmail_org::{AwsErrorCode, DomainName, Region, Reported, Rule};

use crate::util::{accepts, domain_of_len, rejects, rejects_with, rep};

const TOKEN: &str = "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=";
const DKIM: [&str; 3] = [
    "ekes3zs2uqbrswnhnd5wlnzl3u6hkcxd",
    "3wbw2nuq4ybgaus5qdqffz3hdzvq6lno",
    "k4ppzrbmbbpfbhm2ecbwslypotm7dhwt",
];

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dns")
}

fn domain(name: &str) -> DomainName {
    name.parse().expect("a valid domain")
}

fn tokens(verification: &str, dkim: &[&str]) -> DomainTokens {
    DomainTokens::new(
        verification.parse().expect("a valid token"),
        dkim.iter()
            .map(|t| t.parse().expect("a valid DKIM token"))
            .collect(),
    )
    .expect("valid tokens")
}

fn example_records() -> RequiredRecords {
    RequiredRecords::new(
        &domain("example.com"),
        Region::UsEast1,
        &tokens(TOKEN, &DKIM),
    )
}

/// Compares `actual` with the golden file, or rewrites it under `WORKMAIL_ORG_BLESS=1`.
#[track_caller]
fn assert_golden(file: &str, actual: &str) {
    let path = data_dir().join(file);
    if std::env::var_os("WORKMAIL_ORG_BLESS").is_some() {
        std::fs::write(&path, actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "{}: {err} (bless with WORKMAIL_ORG_BLESS=1)",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "{} differs; if the change is intended, run `WORKMAIL_ORG_BLESS=1 cargo test --test api dns` and commit it",
        path.display()
    );
}

pub(crate) mod zone_parser {
    //! Reading zone-file text back with a real zone parser: NLnet Labs' `domain`, which
    //! reads character strings as octets (`\DDD` escapes included).

    use domain::base::iana::Class;
    use domain::rdata::ZoneRecordData;
    use domain::zonefile::inplace::{Entry, ScannedRecord, Zonefile};
    use serde_json::{json, Value};

    /// Reads zone-file text and returns its records as JSON objects: `name`, `ttl`, `class`,
    /// `type` and, by type, TXT `strings` (each character string as its bytes), MX
    /// `preference` and `exchange`, CNAME `target`, any other `rdata`. No origin is set, so
    /// a relative name (a missing trailing dot) is an error: the text must append to any
    /// zone unchanged. Fails the test if the parser rejects the text.
    #[track_caller]
    pub fn parse(text: &str) -> Vec<Value> {
        try_parse(text).unwrap_or_else(|err| panic!("{err}"))
    }

    /// Like [`parse`], but a rejection is an `Err` with the parser's message.
    pub fn try_parse(text: &str) -> Result<Vec<Value>, String> {
        let mut zone = Zonefile::new();
        zone.set_default_class(Class::IN);
        zone.extend_from_slice(text.as_bytes());
        let mut records = Vec::new();
        loop {
            match zone.next_entry() {
                Ok(None) => return Ok(records),
                Ok(Some(Entry::Record(record))) => records.push(describe(&record)),
                Ok(Some(Entry::Include { .. })) => return Err("an $INCLUDE directive".into()),
                Err(err) => {
                    return Err(format!(
                        "the zone parser rejected the text: {err}\n--- text ---\n{text}"
                    ))
                }
            }
        }
    }

    fn describe(record: &ScannedRecord) -> Value {
        let mut out = json!({
            "name": absolute(record.owner().to_string()),
            "ttl": record.ttl().as_secs(),
            "class": record.class().to_string(),
            "type": record.rtype().to_string(),
        });
        match record.data() {
            ZoneRecordData::Txt(txt) => {
                out["strings"] = txt.iter().map(|s| s.to_vec()).collect();
            }
            ZoneRecordData::Mx(mx) => {
                out["preference"] = mx.preference().into();
                out["exchange"] = absolute(mx.exchange().to_string()).into();
            }
            ZoneRecordData::Cname(cname) => {
                out["target"] = absolute(cname.cname().to_string()).into();
            }
            other => out["rdata"] = other.to_string().into(),
        }
        out
    }

    /// A name as the zone file writes an absolute one: with its trailing dot.
    fn absolute(name: String) -> String {
        if name.ends_with('.') {
            name
        } else {
            name + "."
        }
    }

    /// The TXT strings of a parsed record, as bytes.
    pub fn strings(record: &Value) -> Vec<Vec<u8>> {
        record["strings"]
            .as_array()
            .expect("a TXT record has strings")
            .iter()
            .map(|s| {
                s.as_array()
                    .expect("a string is a list of bytes")
                    .iter()
                    .map(|b| u8::try_from(b.as_u64().expect("a byte")).expect("a byte"))
                    .collect()
            })
            .collect()
    }
}

/// Asserts that the zone parser reads `records`' zone snippet back as exactly those records.
#[track_caller]
fn assert_parser_reads_back(records: &RequiredRecords) {
    let text = records.to_zone_snippet();
    let parsed = zone_parser::parse(&text);
    // Match each required record to one parsed.
    assert_eq!(parsed.len(), records.len(), "record count in\n{text}");
    for record in records {
        let name = format!("{}.", record.host());
        let found = parsed.iter().find(|p| {
            p["name"] == name.as_str()
                && p["type"] == record.kind().as_str()
                && match record.data() {
                    RecordData::Txt(text) => zone_parser::strings(p).concat() == text.as_bytes(),
                    RecordData::Mx {
                        preference,
                        exchange,
                    } => {
                        p["preference"] == *preference
                            && p["exchange"] == format!("{exchange}.").as_str()
                    }
                    RecordData::Cname(target) => p["target"] == format!("{target}.").as_str(),
                    _ => false,
                }
        });
        let found = found.unwrap_or_else(|| {
            panic!("the zone parser did not read back {record}; it read {parsed:#?}")
        });
        assert_eq!(found["ttl"], record.ttl(), "{record}");
        assert_eq!(found["class"], "IN", "{record}");
        if let RecordData::Txt(_) = record.data() {
            for string in zone_parser::strings(found) {
                assert!(
                    string.len() <= 255,
                    "a TXT string of {} bytes",
                    string.len()
                );
            }
        }
    }
}

mod tokens {
    use super::*;

    #[test]
    fn verification_tokens_are_case_sensitive_base64_of_1_to_256() {
        accepts::<VerificationToken>(TOKEN, TOKEN);
        accepts::<VerificationToken>("a", "a");
        accepts::<VerificationToken>("ab+/==", "ab+/==");
        accepts::<VerificationToken>(&rep('A', 256), &rep('A', 256));
        let lower = accepts::<VerificationToken>("abc=", "abc=");
        let upper = accepts::<VerificationToken>("ABC=", "ABC=");
        assert_ne!(lower, upper, "the token is case-sensitive");

        let base64 = "base64 only: letters, digits, '+' and '/', then at most two '=' of padding";
        rejects_with::<VerificationToken>(
            "",
            Rule::DnsVerificationToken,
            ParseErrorKind::Length {
                min: 1,
                max: 256,
                actual: 0,
            },
        );
        rejects_with::<VerificationToken>(
            &rep('A', 257),
            Rule::DnsVerificationToken,
            ParseErrorKind::Length {
                min: 1,
                max: 256,
                actual: 257,
            },
        );
        for (input, character, position) in [
            ("ab cd", ' ', 2),
            ("ab\"cd", '"', 2),
            ("ab-cd", '-', 2),
            ("ab=cd", '=', 2),
            ("ab===", '=', 2),
            ("=", '=', 0),
            ("abé", 'é', 2),
        ] {
            rejects_with::<VerificationToken>(
                input,
                Rule::DnsVerificationToken,
                ParseErrorKind::Character {
                    character,
                    position,
                    allowed: base64,
                },
            );
        }
    }

    #[test]
    fn dkim_tokens_are_one_label_of_at_most_32_kept_in_lower_case() {
        accepts::<DkimToken>(DKIM[0], DKIM[0]);
        accepts::<DkimToken>("ABC-123", "abc-123");
        accepts::<DkimToken>(&rep('a', 32), &rep('a', 32));
        rejects_with::<DkimToken>(
            &rep('a', 33),
            Rule::DnsDkimToken,
            ParseErrorKind::Length {
                min: 1,
                max: 32,
                actual: 33,
            },
        );
        rejects::<DkimToken>("", Rule::DnsDkimToken);
        for (input, character) in [("a.b", '.'), ("a_b", '_'), ("a b", ' ')] {
            rejects_with::<DkimToken>(
                input,
                Rule::DnsDkimToken,
                ParseErrorKind::Character {
                    character,
                    position: 1,
                    allowed: "letters, digits and hyphens only",
                },
            );
        }
        rejects_with::<DkimToken>(
            "-ab",
            Rule::DnsDkimToken,
            ParseErrorKind::Hyphen {
                position: 0,
                place: HyphenPlace::Start,
            },
        );
        rejects_with::<DkimToken>(
            "ab-",
            Rule::DnsDkimToken,
            ParseErrorKind::Hyphen {
                position: 2,
                place: HyphenPlace::End,
            },
        );
    }

    #[test]
    fn token_messages_name_the_rule_subject() {
        let err = "ab=cd".parse::<VerificationToken>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "ses verification token \"ab=cd\": character '=' at position 2 is not allowed \
             (base64 only: letters, digits, '+' and '/', then at most two '=' of padding)"
        );
        assert_eq!(err.rule().code(), AwsErrorCode::InvalidParameter);
        let err = "a.b".parse::<DkimToken>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "dkim token \"a.b\": character '.' at position 1 is not allowed \
             (letters, digits and hyphens only)"
        );
    }

    #[test]
    fn domain_tokens_bound_and_deduplicate_dkim_tokens() {
        let eleven: Vec<DkimToken> = (0..11).map(|i| format!("t{i}").parse().unwrap()).collect();
        let err = DomainTokens::new(TOKEN.parse().unwrap(), eleven).unwrap_err();
        assert_eq!(
            err,
            TokensError::TooMany {
                max: 10,
                actual: 11
            }
        );
        assert_eq!(
            err.to_string(),
            "dkim tokens: 11 given (at most 10 allowed)"
        );
        let ten: Vec<DkimToken> = (0..10).map(|i| format!("t{i}").parse().unwrap()).collect();
        assert!(DomainTokens::new(TOKEN.parse().unwrap(), ten).is_ok());
        let err = DomainTokens::new(
            TOKEN.parse().unwrap(),
            vec!["Abc".parse().unwrap(), "aBC".parse().unwrap()],
        )
        .unwrap_err();
        assert_eq!(
            format!("{err:?}"),
            "TokensError(\"dkim tokens: \\\"abc\\\" is listed twice\")"
        );
    }

    #[test]
    fn domain_tokens_serde_round_trips_and_revalidates() {
        let tokens = tokens(TOKEN, &DKIM[..1]);
        let json = serde_json::to_string(&tokens).unwrap();
        assert_eq!(
            json,
            format!(r#"{{"verification":"{TOKEN}","dkim":["{}"]}}"#, DKIM[0])
        );
        assert_eq!(serde_json::from_str::<DomainTokens>(&json).unwrap(), tokens);
        let twice = format!(r#"{{"verification":"{TOKEN}","dkim":["a","A"]}}"#);
        let err = serde_json::from_str::<DomainTokens>(&twice).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("dkim tokens: \"a\" is listed twice"),
            "{err}"
        );
        let bad = r#"{"verification":"not base64!"}"#;
        let err = serde_json::from_str::<DomainTokens>(bad).unwrap_err();
        assert!(
            err.to_string().starts_with("ses verification token"),
            "{err}"
        );
    }
}

mod records {
    use super::*;

    #[test]
    fn the_records_are_the_ones_aws_asks_for_in_order() {
        let records = example_records();
        let rows: Vec<(Purpose, String, String, String, u32)> = records
            .iter()
            .map(|r| {
                (
                    r.purpose(),
                    r.kind().to_string(),
                    r.host().to_owned(),
                    r.value(),
                    r.ttl(),
                )
            })
            .collect();
        let row =
            |p, t: &str, h: &str, v: &str| (p, t.to_owned(), h.to_owned(), v.to_owned(), 3600);
        assert_eq!(
            rows,
            [
                row(Purpose::Ownership, "TXT", "_amazonses.example.com", TOKEN),
                row(
                    Purpose::InboundMail,
                    "MX",
                    "example.com",
                    "10 inbound-smtp.us-east-1.amazonaws.com"
                ),
                row(
                    Purpose::Autodiscover,
                    "CNAME",
                    "autodiscover.example.com",
                    "autodiscover.mail.us-east-1.awsapps.com"
                ),
                row(
                    Purpose::Dkim,
                    "CNAME",
                    "ekes3zs2uqbrswnhnd5wlnzl3u6hkcxd._domainkey.example.com",
                    "ekes3zs2uqbrswnhnd5wlnzl3u6hkcxd.dkim.amazonses.com"
                ),
                row(
                    Purpose::Dkim,
                    "CNAME",
                    "3wbw2nuq4ybgaus5qdqffz3hdzvq6lno._domainkey.example.com",
                    "3wbw2nuq4ybgaus5qdqffz3hdzvq6lno.dkim.amazonses.com"
                ),
                row(
                    Purpose::Dkim,
                    "CNAME",
                    "k4ppzrbmbbpfbhm2ecbwslypotm7dhwt._domainkey.example.com",
                    "k4ppzrbmbbpfbhm2ecbwslypotm7dhwt.dkim.amazonses.com"
                ),
                row(Purpose::Spf, "TXT", "example.com", SPF_VALUE),
                row(Purpose::Dmarc, "TXT", "_dmarc.example.com", DMARC_VALUE),
            ]
        );
        assert_eq!(records.domain().as_str(), "example.com");
        assert_eq!(records.region(), Region::UsEast1);
        assert_eq!(records.by_purpose(Purpose::Dkim).count(), 3);
        assert!(!records.is_empty());
        assert_eq!((&records).into_iter().count(), records.as_slice().len());
    }

    #[test]
    fn every_region_gets_its_own_mx_and_autodiscover_targets() {
        for region in Region::ALL {
            let records =
                RequiredRecords::new(&domain("example.com"), *region, &tokens(TOKEN, &[]));
            assert_eq!(records.len(), 5);
            let mx = records.by_purpose(Purpose::InboundMail).next().unwrap();
            assert_eq!(
                mx.value(),
                format!("10 inbound-smtp.{region}.amazonaws.com")
            );
            let autodiscover = records.by_purpose(Purpose::Autodiscover).next().unwrap();
            assert_eq!(
                autodiscover.value(),
                format!("autodiscover.mail.{region}.awsapps.com")
            );
            assert_parser_reads_back(&records);
        }
    }

    #[test]
    fn the_longest_domain_and_token_give_a_253_character_name() {
        let long = domain(&domain_of_len(209));
        let token = rep('z', 32);
        let records = RequiredRecords::new(&long, Region::EuWest1, &tokens(TOKEN, &[&token]));
        let dkim = records.by_purpose(Purpose::Dkim).next().unwrap();
        assert_eq!(dkim.host().len(), 253);
        assert!(records.iter().all(|r| r.host().len() <= 253));
        assert_parser_reads_back(&records);
    }

    #[test]
    fn aws_shape_is_type_hostname_value() {
        let records = example_records();
        let json = serde_json::to_string_pretty(&records.to_dns_records()).unwrap();
        assert_golden("example.com.us-east-1.dns-records.json", &(json + "\n"));
        // And it reads back as AWS's shape.
        let back: Vec<DnsRecord> = serde_json::from_str(
            &std::fs::read_to_string(data_dir().join("example.com.us-east-1.dns-records.json"))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(back, records.to_dns_records());
    }

    #[test]
    fn required_records_serialize_with_type_host_value_ttl_purpose() {
        let records = example_records();
        let json = serde_json::to_value(&records).unwrap();
        assert_eq!(
            json[1],
            serde_json::json!({
                "type": "MX",
                "host": "example.com",
                "value": "10 inbound-smtp.us-east-1.amazonaws.com",
                "ttl": 3600,
                "purpose": "inbound_mail"
            })
        );
        assert_eq!(json.as_array().unwrap().len(), 8);
    }

    #[test]
    fn record_types_ignore_case_and_reported_ones_keep_unknown_spellings() {
        assert_eq!("cname".parse::<RecordType>().unwrap(), RecordType::Cname);
        assert_eq!("Aaaa".parse::<RecordType>().unwrap(), RecordType::Aaaa);
        assert_eq!(RecordType::Aaaa.to_string(), "AAAA");
        assert_eq!(
            serde_json::from_str::<RecordType>("\"mx\"").unwrap(),
            RecordType::Mx
        );
        let err = "Https".parse::<RecordType>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown DNS record type \"Https\" (expected one of: TXT, MX, CNAME, A, AAAA)"
        );

        let https = Reported::<RecordType>::new("Https");
        assert!(!https.is_known());
        assert_eq!(https.as_str(), "Https");
        assert_eq!(format!("{https:?}"), "Unknown(\"Https\")");
        assert_eq!(serde_json::to_string(&https).unwrap(), "\"Https\"");
        // A known type in another case: equal to the type, kept in its spelling.
        let lower = Reported::<RecordType>::new("cname");
        assert_eq!(lower, RecordType::Cname);
        assert_eq!(lower.to_string(), "cname");
        assert_ne!(
            lower,
            Reported::from(RecordType::Cname),
            "reports compare as text"
        );
    }
}

mod zone_file {
    use super::*;

    #[test]
    fn golden_zone_snippet_read_back_by_the_zone_parser() {
        let records = example_records();
        let snippet = records.to_zone_snippet();
        assert_golden("example.com.us-east-1.zone", &snippet);
        assert_parser_reads_back(&records);
    }

    #[test]
    fn lines_are_absolute_and_one_per_record() {
        let records = example_records();
        let snippet = records.to_zone_snippet();
        let lines: Vec<&str> = snippet.lines().filter(|l| !l.starts_with(';')).collect();
        assert_eq!(lines.len(), records.len());
        for (line, record) in lines.iter().zip(&records) {
            assert_eq!(*line, record.to_zone_line());
            assert!(
                line.starts_with(&format!("{}. 3600 IN ", record.host())),
                "{line}"
            );
        }
        assert!(snippet.ends_with('\n'));
        assert!(!snippet.contains("$ORIGIN"));
    }

    #[test]
    fn a_256_character_token_is_split_into_two_strings() {
        let token = format!("{}==", rep('Q', 254));
        let records = RequiredRecords::new(
            &domain("example.com"),
            Region::UsWest2,
            &tokens(&token, &[]),
        );
        let ownership = records.by_purpose(Purpose::Ownership).next().unwrap();
        assert_eq!(
            ownership.to_zone_line(),
            format!(
                "_amazonses.example.com. 3600 IN TXT \"{}\" \"=\"",
                &token[..255]
            )
        );
        let parsed = zone_parser::parse(&records.to_zone_snippet());
        let txt = parsed
            .iter()
            .find(|p| p["name"] == "_amazonses.example.com.")
            .unwrap();
        let strings = zone_parser::strings(txt);
        assert_eq!(strings.len(), 2);
        assert_eq!(strings[0].len(), 255);
        assert_eq!(strings.concat(), token.as_bytes());
        assert_parser_reads_back(&records);
    }

    #[test]
    fn quoted_txt_survives_the_real_parser_whatever_the_text() {
        let texts: Vec<String> = vec![
            String::new(),
            "plain".into(),
            "say \"hi\"".into(),
            "back\\slash \\\" both".into(),
            "semi; colon (parens) $dollar @at".into(),
            "tab\tnew\nline\r\u{0}nul\u{7f}del".into(),
            "Bücher ☃ 例え".into(),
            rep('x', 255),
            rep('x', 256),
            rep('"', 300),
            rep('é', 200), // 400 bytes: a split falls inside a character
        ];
        let mut zone = String::new();
        for (index, text) in texts.iter().enumerate() {
            zone.push_str(&format!(
                "t{index}.example.com. 60 IN TXT {}\n",
                quoted_txt(text)
            ));
        }
        let parsed = zone_parser::parse(&zone);
        assert_eq!(parsed.len(), texts.len());
        for (index, text) in texts.iter().enumerate() {
            let name = format!("t{index}.example.com.");
            let record = parsed.iter().find(|p| p["name"] == name.as_str()).unwrap();
            let strings = zone_parser::strings(record);
            assert!(strings.iter().all(|s| s.len() <= 255), "{name}");
            assert_eq!(strings.len(), text.len().div_ceil(255).max(1), "{name}");
            assert_eq!(strings.concat(), text.as_bytes(), "{name}");
        }
    }

    #[test]
    fn a_missing_trailing_dot_would_be_caught_by_the_parser_check() {
        // The harness itself: with no origin, a relative name cannot be read.
        let relative =
            "autodiscover.example.com. 3600 IN CNAME autodiscover.mail.us-east-1.awsapps.com\n";
        let message = zone_parser::try_parse(relative).expect_err("a relative name is reported");
        assert!(message.contains("origin"), "{message}");
        let absolute = relative.replace(".com\n", ".com.\n");
        assert_eq!(zone_parser::parse(&absolute).len(), 1);
        let unterminated = "x.example.com. 3600 IN TXT \"open\n";
        zone_parser::try_parse(unterminated).expect_err("a syntax error is reported");
    }
}

mod wire {
    use super::*;

    fn read(file: &str) -> GetMailDomainResponse {
        let text = std::fs::read_to_string(data_dir().join("responses").join(file)).unwrap();
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{file}: {err}"))
    }

    /// Everything the crate makes of one response, as golden text.
    fn report(response: &GetMailDomainResponse, domain_name: &str, region: Region) -> String {
        let mut out = String::new();
        out.push_str("== response, written back\n");
        out.push_str(&serde_json::to_string_pretty(response).unwrap());
        out.push_str("\n== listed records\n");
        let listed = response
            .listed_records(&domain(domain_name), region)
            .unwrap();
        out.push_str(&format!("tokens: {}\n", listed.tokens()));
        for difference in listed.differences() {
            out.push_str(&format!("difference: {difference}\n"));
        }
        out.push_str("== zone\n");
        out.push_str(&listed.required().to_zone_snippet());
        out.push_str("== default domain\n");
        out.push_str(&format!("{}\n", response.default_domain_eligibility(None)));
        out
    }

    #[test]
    fn golden_pending_response() {
        let response = read("pending.json");
        assert_eq!(response.records().len(), 8);
        assert!(!response.is_test_domain());
        assert!(!response.is_default());
        assert_eq!(
            response.ownership_verification_status(),
            Some(&VerificationStatus::Pending.into())
        );
        assert_eq!(
            response.dkim_verification_status(),
            Some(&VerificationStatus::Pending.into())
        );
        let listed = response
            .listed_records(&domain("example.com"), Region::UsEast1)
            .unwrap();
        assert_eq!(listed.tokens(), &tokens(TOKEN, &DKIM));
        assert_eq!(listed.differences(), &[]);
        assert_eq!(listed.required(), &example_records());
        assert_golden(
            "responses/pending.golden",
            &report(&response, "example.com", Region::UsEast1),
        );
        assert_parser_reads_back(listed.required());
    }

    #[test]
    fn golden_response_with_what_aws_may_add_or_vary() {
        let response = read("verified-aws-variations.json");
        assert!(response.is_default());
        assert!(
            !response.is_test_domain(),
            "null reads as absent, and absent as false"
        );
        let dkim = response.dkim_verification_status().unwrap();
        assert!(!dkim.is_known());
        assert_eq!(dkim.as_str(), "EXPIRED");
        assert_eq!(response.records()[5].kind(), &Reported::new("HTTPS"));
        assert!(!response.records()[5].kind().is_known());
        assert_eq!(response.records()[1].kind(), &RecordType::Mx);

        let listed = response
            .listed_records(&domain("mail.example.org"), Region::EuWest1)
            .unwrap();
        // The quotes around the TXT value are not part of the token; the DKIM token listed
        // twice (in two cases) is one token.
        assert_eq!(listed.tokens(), &tokens("Zm9vYmFyYmF6+/==", &["abc123"]));
        assert_eq!(
            listed.differences(),
            &[
                Difference::Unrecognized { index: 5 },
                Difference::Unrecognized { index: 6 },
                Difference::ValueDiffers {
                    index: 7,
                    purpose: Purpose::Dmarc,
                    derived: DMARC_VALUE.into(),
                    listed: "v=DMARC1;p=none".into(),
                },
                Difference::NotListed {
                    purpose: Purpose::Spf
                },
            ]
        );
        assert_golden(
            "responses/verified-aws-variations.golden",
            &report(&response, "mail.example.org", Region::EuWest1),
        );
        // Written back, it reads back the same.
        let json = serde_json::to_string(&response).unwrap();
        assert_eq!(
            serde_json::from_str::<GetMailDomainResponse>(&json).unwrap(),
            response
        );
    }

    #[test]
    fn another_region_than_aws_used_is_reported_not_hidden() {
        let response = read("pending.json");
        let listed = response
            .listed_records(&domain("example.com"), Region::EuWest1)
            .unwrap();
        let purposes: Vec<(usize, Purpose)> = listed
            .differences()
            .iter()
            .map(|d| match d {
                Difference::ValueDiffers { index, purpose, .. } => (*index, *purpose),
                other => panic!("unexpected {other}"),
            })
            .collect();
        assert_eq!(
            purposes,
            [(1, Purpose::InboundMail), (2, Purpose::Autodiscover)]
        );
        assert_eq!(
            listed.differences()[0].to_string(),
            "Records[1] (inbound_mail) has value \"10 inbound-smtp.us-east-1.amazonaws.com\", \
             derived \"10 inbound-smtp.eu-west-1.amazonaws.com\""
        );
        // The derived records stay what the documentation asks for in that Region.
        assert_eq!(listed.required().region(), Region::EuWest1);
    }

    #[test]
    fn a_dkim_cname_to_another_target_and_missing_records_are_differences() {
        let response = GetMailDomainResponse::builder()
            .record(Some("TXT"), Some("_amazonses.example.com"), Some(TOKEN))
            .record(
                Some("CNAME"),
                Some("abc._domainkey.example.com"),
                Some("abc.dkim.amazonses.co"),
            )
            .build()
            .unwrap();
        let listed = response
            .listed_records(&domain("example.com"), Region::UsEast1)
            .unwrap();
        let expected: Vec<String> = vec![
            "Records[1] (dkim) has value \"abc.dkim.amazonses.co\", derived \"abc.dkim.amazonses.com\"".into(),
            "no record in Records for inbound_mail, which is derived".into(),
            "no record in Records for autodiscover, which is derived".into(),
            "no record in Records for spf, which is derived".into(),
            "no record in Records for dmarc, which is derived".into(),
        ];
        let actual: Vec<String> = listed.differences().iter().map(|d| d.to_string()).collect();
        assert_eq!(actual, expected);
        assert_eq!(
            serde_json::to_value(&listed.differences()[1]).unwrap(),
            serde_json::json!({"difference": "not_listed", "purpose": "inbound_mail"})
        );
        assert_eq!(listed.clone().into_required(), *listed.required());
    }

    #[track_caller]
    fn read_error(json: &str) -> String {
        match serde_json::from_str::<GetMailDomainResponse>(json) {
            Ok(response) => panic!("{json} was read as {response:?}"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn malformed_known_fields_are_errors_naming_the_field() {
        let long = rep('v', 257);
        let cases: Vec<(String, &str)> = vec![
            (
                r#"{"Records":[{"Type":"TXT","Hostname":"a.example.com"}]}"#.into(),
                "GetMailDomain response: Records[0].Value: missing, but required",
            ),
            (
                r#"{"Records":[{"Type":"MX","Hostname":"a","Value":"b"},{"Type":"TXT","Hostname":null,"Value":"x"}]}"#.into(),
                "GetMailDomain response: Records[1].Hostname: missing, but required",
            ),
            (
                r#"{"Records":[{"Hostname":"a","Value":"b"}]}"#.into(),
                "GetMailDomain response: Records[0].Type: missing, but required",
            ),
            (
                format!(r#"{{"Records":[{{"Type":"TXT","Hostname":"a","Value":"{long}"}}]}}"#),
                "GetMailDomain response: Records[0].Value: \"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv…\" is 257 characters long; the API allows 0 to 256",
            ),
            (
                format!(r#"{{"OwnershipVerificationStatus":"{long}"}}"#),
                "GetMailDomain response: OwnershipVerificationStatus: \"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv…\" is 257 characters long; the API allows 0 to 256",
            ),
            (
                r#"{"IsDefault":"yes"}"#.into(),
                "invalid type: string \"yes\", expected a boolean at line 1 column 18",
            ),
            (
                r#"{"IsTestDomain":1}"#.into(),
                "invalid type: integer `1`, expected a boolean at line 1 column 17",
            ),
            (
                r#"{"DkimVerificationStatus":true}"#.into(),
                "invalid type: boolean `true`, expected a string at line 1 column 30",
            ),
            (
                r#"{"Records":{}}"#.into(),
                "invalid type: map, expected a sequence at line 1 column 11",
            ),
            (
                r#"{"Records":[1]}"#.into(),
                "invalid type: integer `1`, expected a record: an object with `Type`, `Hostname` and `Value` at line 1 column 13",
            ),
            (
                r#"{"Records":[{"Type":5}]}"#.into(),
                "invalid type: integer `5`, expected a string at line 1 column 21",
            ),
            (
                r#"{"Records":[{"Type":"A","Type":"B"}]}"#.into(),
                "duplicate field `Type` at line 1 column 30",
            ),
            (
                r#"{"IsDefault":true,"IsDefault":false}"#.into(),
                "duplicate field `IsDefault` at line 1 column 29",
            ),
            (
                "1".into(),
                "invalid type: integer `1`, expected a GetMailDomain response: an object at line 1 column 1",
            ),
        ];
        for (json, expected) in &cases {
            assert_eq!(&read_error(json), expected, "{json}");
        }
    }

    #[test]
    fn records_are_bounded() {
        let record = r#"{"Type":"A","Hostname":"a.example.com","Value":"192.0.2.1"}"#;
        let hundred = vec![record; 100].join(",");
        let response: GetMailDomainResponse =
            serde_json::from_str(&format!(r#"{{"Records":[{hundred}]}}"#)).unwrap();
        assert_eq!(response.records().len(), 100);
        let many = vec![record; 5000].join(",");
        let message = read_error(&format!(r#"{{"Records":[{many}]}}"#));
        assert!(
            message
                .starts_with("GetMailDomain response: Records: 5000 entries (at most 100 allowed)"),
            "{message}"
        );
        let mut builder = GetMailDomainResponse::builder();
        for _ in 0..150 {
            builder = builder.record(Some("A"), Some("a.example.com"), Some("192.0.2.1"));
        }
        let err = builder.build().unwrap_err();
        assert_eq!((err.operation(), err.field()), ("GetMailDomain", "Records"));
        assert_eq!(
            err.kind(),
            &ResponseErrorKind::TooMany {
                max: 100,
                actual: 150
            }
        );
    }

    #[test]
    fn empty_and_null_fields_read_as_absent() {
        let response: GetMailDomainResponse = serde_json::from_str("{}").unwrap();
        assert_eq!(response, GetMailDomainResponse::builder().build().unwrap());
        assert!(response.records().is_empty());
        assert_eq!(response.ownership_verification_status(), None);
        let nulls = r#"{"Records":null,"IsDefault":null,"OwnershipVerificationStatus":null}"#;
        assert_eq!(
            serde_json::from_str::<GetMailDomainResponse>(nulls).unwrap(),
            response
        );
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"Records":[],"IsTestDomain":false,"IsDefault":false}"#
        );
    }

    #[test]
    fn builder_errors_name_the_field_like_json_errors() {
        let err = GetMailDomainResponse::builder()
            .record(Some("TXT"), Some("a"), Some("b"))
            .record(None, Some("a"), Some("b"))
            .build()
            .unwrap_err();
        assert_eq!(err.field(), "Records[1].Type");
        assert_eq!(err.kind(), &ResponseErrorKind::Missing);
        let err = GetMailDomainResponse::builder()
            .dkim_verification_status(Some(&rep('X', 300)))
            .build()
            .unwrap_err();
        assert_eq!(err.field(), "DkimVerificationStatus");
        assert!(matches!(
            err.kind(),
            ResponseErrorKind::Length {
                min: 0,
                max: 256,
                actual: 300,
                ..
            }
        ));
        let err = DnsRecord::new("TXT", rep('h', 257), "v").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "GetMailDomain response: Hostname: \"{}…\" is 257 characters long; the API allows 0 to 256",
                rep('h', 64)
            )
        );
        let err = serde_json::from_str::<DnsRecord>(r#"{"Type":"TXT","Value":"v"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "GetMailDomain response: Hostname: missing, but required"
        );
    }

    #[test]
    fn verification_statuses_are_exact_and_reported_ones_lenient() {
        for (text, status) in [
            ("PENDING", VerificationStatus::Pending),
            ("VERIFIED", VerificationStatus::Verified),
            ("FAILED", VerificationStatus::Failed),
        ] {
            assert_eq!(text.parse::<VerificationStatus>().unwrap(), status);
            assert_eq!(status.as_str(), text);
            let reported = Reported::<VerificationStatus>::new(text);
            assert_eq!(reported, status);
            assert_eq!(reported, Reported::from(status));
        }
        let err = "verified".parse::<VerificationStatus>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown verification status \"verified\" (expected one of: PENDING, VERIFIED, FAILED)"
        );
        let lower = Reported::<VerificationStatus>::new("verified");
        assert!(!lower.is_known(), "the spelling is exact");
        assert_ne!(lower, VerificationStatus::Verified);
        assert_eq!(lower.to_string(), "verified");
        let new: Reported<VerificationStatus> = serde_json::from_str("\"NEW\"").unwrap();
        assert_eq!((new.known(), new.as_str()), (None, "NEW"));
        assert_eq!(serde_json::to_string(&new).unwrap(), "\"NEW\"");
    }

    #[test]
    fn token_records_that_cannot_be_read_are_errors_naming_the_record() {
        let domain = domain("example.com");
        let read = |records: &[(&str, &str, &str)]| {
            let mut builder = GetMailDomainResponse::builder();
            for (kind, host, value) in records {
                builder = builder.record(Some(kind), Some(host), Some(value));
            }
            builder
                .build()
                .unwrap()
                .listed_records(&domain, Region::UsEast1)
        };
        let err = read(&[("MX", "example.com", "10 x")]).unwrap_err();
        assert!(matches!(err, TokensError::NoVerificationToken { .. }));
        assert_eq!(
            err.to_string(),
            "Records: no TXT record at \"_amazonses.example.com\" \
             holds the ownership verification token"
        );
        let err = read(&[("TXT", "_amazonses.example.com", "not base64!")]).unwrap_err();
        let TokensError::InvalidToken { field, error } = &err else {
            panic!("{err}");
        };
        assert_eq!(&**field, "Records[0].Value");
        assert_eq!(error.rule(), Rule::DnsVerificationToken);
        let err = read(&[
            ("TXT", "_amazonses.example.com", TOKEN),
            ("CNAME", "a_b._domainkey.example.com", "x"),
        ])
        .unwrap_err();
        assert!(
            matches!(&err, TokensError::InvalidToken { field, .. } if &**field == "Records[1].Hostname")
        );
        assert_eq!(
            err.to_string(),
            "Records[1].Hostname: dkim token \"a_b\": character '_' \
             at position 1 is not allowed (letters, digits and hyphens only)"
        );
        let err = read(&[
            ("TXT", "_amazonses.example.com", TOKEN),
            ("TXT", "_amazonses.example.com", "b3RoZXI="),
        ])
        .unwrap_err();
        assert_eq!(
            err,
            TokensError::ConflictingVerificationTokens {
                first: 0,
                second: 1
            }
        );
        assert_eq!(
            err.to_string(),
            "Records[1].Value: a second ownership verification token, different from the one in \
             Records[0]"
        );
        // The same token twice is one token.
        let listed = read(&[
            ("TXT", "_amazonses.example.com", TOKEN),
            ("TXT", "_amazonses.example.com.", TOKEN),
        ])
        .unwrap();
        assert_eq!(listed.tokens().verification().as_str(), TOKEN);
        let mut eleven = vec![(
            "TXT".to_owned(),
            "_amazonses.example.com".to_owned(),
            TOKEN.to_owned(),
        )];
        for i in 0..11 {
            eleven.push((
                "CNAME".into(),
                format!("t{i}._domainkey.example.com"),
                "x".into(),
            ));
        }
        let eleven: Vec<(&str, &str, &str)> = eleven
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        let err = read(&eleven).unwrap_err();
        assert_eq!(
            err,
            TokensError::TooMany {
                max: 10,
                actual: 11
            }
        );
        assert_eq!(
            err.to_string(),
            "dkim tokens: 11 given (at most 10 allowed)"
        );
    }
}

/// One test per row of the verdict table in the `dns` module docs, in its order.
mod verdicts {
    use super::*;

    const MX_HOST: &str = "inbound-smtp.us-east-1.amazonaws.com.";
    const AUTODISCOVER: &str = "autodiscover.mail.us-east-1.awsapps.com.";
    const DKIM_HOST: &str = "abc._domainkey.example.com.";
    const DKIM_TARGET: &str = "abc.dkim.amazonses.com.";

    fn records() -> RequiredRecords {
        RequiredRecords::new(
            &domain("example.com"),
            Region::UsEast1,
            &tokens(TOKEN, &["abc"]),
        )
    }

    /// The verdict on the record with `purpose` (the first one) for `observed`.
    #[track_caller]
    fn verdict(purpose: Purpose, observed: &[ObservedRecord]) -> Verdict {
        let records = records();
        let index = records
            .iter()
            .position(|r| r.purpose() == purpose)
            .expect("the purpose has a record");
        let verdicts = records.check(observed);
        assert_eq!(verdicts.len(), records.len());
        verdicts[index].clone()
    }

    /// Checks status and reason, and that the message holds the reason's text.
    #[track_caller]
    fn assert_verdict(verdict: &Verdict, status: Status, reason: Reason, message: &str) {
        assert_eq!(verdict.status(), status, "{verdict}");
        assert_eq!(verdict.reason(), &reason, "{verdict}");
        assert_eq!(verdict.reason().status(), status);
        assert_eq!(verdict.is_verified(), status == Status::Verified);
        assert_eq!(verdict.to_string(), message);
    }

    fn boxed(values: &[&str]) -> Vec<Box<str>> {
        values.iter().map(|v| (*v).into()).collect()
    }

    // Ownership TXT.

    #[test]
    fn ownership_verified_when_the_exact_token_is_among_the_txt_values() {
        let v = verdict(
            Purpose::Ownership,
            &[
                ObservedRecord::txt("_AMAZONSES.Example.com.", ["b3RoZXIgcmVnaW9u"]),
                ObservedRecord::txt("_amazonses.example.com", [&TOKEN[..10], &TOKEN[10..]]),
            ],
        );
        assert_verdict(
            &v,
            Status::Verified,
            Reason::Published,
            "ownership TXT _amazonses.example.com: verified (published as required)",
        );
    }

    #[test]
    fn ownership_inconsistent_when_the_token_differs_in_case() {
        let lower = TOKEN.to_ascii_lowercase();
        let v = verdict(
            Purpose::Ownership,
            &[ObservedRecord::txt(
                "_amazonses.example.com.",
                [lower.as_str()],
            )],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::TokenCaseDiffers {
                found: lower.as_str().into(),
            },
            &format!(
                "ownership TXT _amazonses.example.com: inconsistent (found \"{lower}\", which \
                 differs in letter case: the token is case-sensitive base64)"
            ),
        );
    }

    #[test]
    fn ownership_missing_when_no_txt_is_at_the_name() {
        let v = verdict(
            Purpose::Ownership,
            &[
                ObservedRecord::txt("example.com", [TOKEN]),
                ObservedRecord::cname("_amazonses.example.org", "x.example.net"),
            ],
        );
        assert_verdict(
            &v,
            Status::Missing,
            Reason::NotPublished,
            "ownership TXT _amazonses.example.com: missing (no such record at the name)",
        );
    }

    #[test]
    fn ownership_inconsistent_when_only_other_values_are_there() {
        let v = verdict(
            Purpose::Ownership,
            &[ObservedRecord::txt(
                "_amazonses.example.com",
                ["b2xkIHRva2Vu"],
            )],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::ValueDiffers {
                found: boxed(&["b2xkIHRva2Vu"]),
            },
            "ownership TXT _amazonses.example.com: inconsistent (found only other values: \
             \"b2xkIHRva2Vu\")",
        );
    }

    // MX.

    #[test]
    fn mx_missing_when_no_mx_is_at_the_domain() {
        let v = verdict(
            Purpose::InboundMail,
            &[
                ObservedRecord::other("example.com", "A", "192.0.2.1"),
                ObservedRecord::mx("www.example.com", 10, MX_HOST),
            ],
        );
        assert_verdict(
            &v,
            Status::Missing,
            Reason::NotPublished,
            "inbound_mail MX example.com: missing (no such record at the name)",
        );
    }

    #[test]
    fn mx_inconsistent_when_every_mx_points_elsewhere() {
        let v = verdict(
            Purpose::InboundMail,
            &[
                ObservedRecord::mx("example.com", 10, "inbound-smtp.eu-west-1.amazonaws.com."),
                ObservedRecord::mx("example.com", 20, "mx.old-provider.net"),
            ],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::MxElsewhere {
                exchanges: boxed(&[
                    "inbound-smtp.eu-west-1.amazonaws.com.",
                    "mx.old-provider.net",
                ]),
            },
            "inbound_mail MX example.com: inconsistent (the MX records point elsewhere: \
             \"inbound-smtp.eu-west-1.amazonaws.com.\", \"mx.old-provider.net\")",
        );
    }

    #[test]
    fn mx_inconsistent_when_another_mx_stands_beside_workmails() {
        let v = verdict(
            Purpose::InboundMail,
            &[
                ObservedRecord::mx("example.com.", 10, MX_HOST),
                ObservedRecord::mx("example.com.", 20, "mx.old-provider.net."),
            ],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::MxBeside {
                others: boxed(&["mx.old-provider.net."]),
            },
            "inbound_mail MX example.com: inconsistent (another MX beside WorkMail's would take \
             some mail: \"mx.old-provider.net.\")",
        );
    }

    #[test]
    fn mx_inconsistent_when_workmails_host_has_another_preference() {
        let v = verdict(
            Purpose::InboundMail,
            &[ObservedRecord::mx(
                "example.com",
                5,
                "INBOUND-SMTP.us-east-1.amazonaws.com",
            )],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::MxPreference { found: 5 },
            "inbound_mail MX example.com: inconsistent (WorkMail's host is published at \
             preference 5, not 10)",
        );
    }

    #[test]
    fn mx_verified_when_workmails_host_is_the_only_mx_at_preference_10() {
        let v = verdict(
            Purpose::InboundMail,
            &[
                ObservedRecord::mx("Example.COM.", 10, "Inbound-SMTP.us-east-1.amazonaws.com"),
                ObservedRecord::txt("example.com", [SPF_VALUE]),
            ],
        );
        assert_verdict(
            &v,
            Status::Verified,
            Reason::Published,
            "inbound_mail MX example.com: verified (published as required)",
        );
    }

    // CNAME: autodiscover and DKIM alike.

    #[test]
    fn cname_missing_when_nothing_is_at_the_name() {
        let v = verdict(
            Purpose::Dkim,
            &[ObservedRecord::cname(
                "xyz._domainkey.example.com",
                "xyz.dkim.amazonses.com",
            )],
        );
        assert_verdict(
            &v,
            Status::Missing,
            Reason::NotPublished,
            "dkim CNAME abc._domainkey.example.com: missing (no such record at the name)",
        );
    }

    #[test]
    fn cname_inconsistent_when_other_records_take_the_name() {
        let v = verdict(
            Purpose::Autodiscover,
            &[
                ObservedRecord::other("autodiscover.example.com", "AAAA", "2001:db8::1"),
                ObservedRecord::other("autodiscover.example.com", "A", "192.0.2.1"),
                ObservedRecord::other("autodiscover.example.com", "A", "192.0.2.2"),
            ],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::NameTaken {
                found: vec![RecordType::A.into(), RecordType::Aaaa.into()],
            },
            "autodiscover CNAME autodiscover.example.com: inconsistent (no CNAME, and A, AAAA \
             at the name, which a CNAME cannot join)",
        );
    }

    #[test]
    fn cname_inconsistent_when_not_alone_at_its_name() {
        let v = verdict(
            Purpose::Autodiscover,
            &[
                ObservedRecord::cname("autodiscover.example.com.", AUTODISCOVER),
                ObservedRecord::txt("autodiscover.example.com.", ["hello"]),
            ],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::CnameNotAlone {
                found: vec![RecordType::Txt.into(), RecordType::Cname.into()],
            },
            "autodiscover CNAME autodiscover.example.com: inconsistent (a CNAME must be alone \
             at its name, found TXT, CNAME)",
        );
        // Two CNAMEs to different targets are not alone either; the same target twice is.
        let v = verdict(
            Purpose::Dkim,
            &[
                ObservedRecord::cname(DKIM_HOST, DKIM_TARGET),
                ObservedRecord::cname(DKIM_HOST, "abc.dkim.example.net"),
            ],
        );
        assert_eq!(
            v.reason(),
            &Reason::CnameNotAlone {
                found: vec![RecordType::Cname.into()]
            }
        );
        let v = verdict(
            Purpose::Dkim,
            &[
                ObservedRecord::cname(DKIM_HOST, DKIM_TARGET),
                ObservedRecord::cname("ABC._domainkey.example.com", "ABC.dkim.amazonses.com"),
            ],
        );
        assert_eq!(v.reason(), &Reason::Published);
    }

    #[test]
    fn cname_inconsistent_when_it_points_elsewhere() {
        let v = verdict(
            Purpose::Dkim,
            &[ObservedRecord::cname(
                DKIM_HOST,
                "abc.dkim.amazonses.com.evil.net.",
            )],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::CnameTarget {
                found: "abc.dkim.amazonses.com.evil.net.".into(),
            },
            "dkim CNAME abc._domainkey.example.com: inconsistent (the CNAME points to \
             \"abc.dkim.amazonses.com.evil.net.\")",
        );
    }

    #[test]
    fn cname_verified_when_alone_and_to_the_target() {
        let v = verdict(
            Purpose::Autodiscover,
            &[ObservedRecord::cname(
                "AutoDiscover.example.com",
                "AUTODISCOVER.mail.us-east-1.awsapps.com",
            )],
        );
        assert_verdict(
            &v,
            Status::Verified,
            Reason::Published,
            "autodiscover CNAME autodiscover.example.com: verified (published as required)",
        );
        let v = verdict(
            Purpose::Dkim,
            &[ObservedRecord::cname(DKIM_HOST, DKIM_TARGET)],
        );
        assert_eq!(v.reason(), &Reason::Published);
    }

    // SPF.

    #[test]
    fn spf_missing_when_no_spf_record_is_at_the_domain() {
        let v = verdict(
            Purpose::Spf,
            &[
                ObservedRecord::txt("example.com", ["google-site-verification=abc"]),
                ObservedRecord::txt("www.example.com", [SPF_VALUE]),
                ObservedRecord::txt("example.com", ["v=spf10 nonsense"]),
            ],
        );
        assert_verdict(
            &v,
            Status::Missing,
            Reason::NotPublished,
            "spf TXT example.com: missing (no such record at the name)",
        );
    }

    #[test]
    fn spf_verified_when_exactly_the_recommended_record() {
        let v = verdict(
            Purpose::Spf,
            &[
                ObservedRecord::txt("example.com.", ["v=spf1 include:amazonses.com", " ~all"]),
                ObservedRecord::txt("example.com.", ["google-site-verification=abc"]),
            ],
        );
        assert_verdict(
            &v,
            Status::Verified,
            Reason::Published,
            "spf TXT example.com: verified (published as required)",
        );
    }

    #[test]
    fn spf_verified_when_the_one_record_includes_amazon_ses_among_others() {
        let v = verdict(
            Purpose::Spf,
            &[ObservedRecord::txt(
                "example.com",
                ["v=spf1 include:_spf.google.com +include:amazonses.com -all"],
            )],
        );
        assert_verdict(
            &v,
            Status::Verified,
            Reason::SpfIncludesAmazonSes,
            "spf TXT example.com: verified (the SPF record includes amazonses.com among other \
             terms)",
        );
    }

    #[test]
    fn spf_inconsistent_when_the_one_record_lacks_amazon_ses() {
        let found = "v=spf1 include:_spf.google.com ~all";
        let v = verdict(Purpose::Spf, &[ObservedRecord::txt("example.com", [found])]);
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::SpfWithoutAmazonSes {
                found: found.into(),
            },
            "spf TXT example.com: inconsistent (the SPF record \"v=spf1 \
             include:_spf.google.com ~all\" does not include amazonses.com)",
        );
        // A failing qualifier does not authorize SES.
        let v = verdict(
            Purpose::Spf,
            &[ObservedRecord::txt(
                "example.com",
                ["v=spf1 -include:amazonses.com"],
            )],
        );
        assert_eq!(v.status(), Status::Inconsistent);
    }

    #[test]
    fn spf_inconsistent_when_two_spf_records_are_published() {
        let v = verdict(
            Purpose::Spf,
            &[
                ObservedRecord::txt("example.com", [SPF_VALUE]),
                ObservedRecord::txt("example.com", ["v=spf1 include:_spf.google.com ~all"]),
            ],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::SpfMultiple { count: 2 },
            "spf TXT example.com: inconsistent (2 SPF records at the name, and SPF allows one \
             (RFC 7208))",
        );
    }

    // DMARC.

    #[test]
    fn dmarc_missing_when_no_dmarc_record_is_at_the_name() {
        let v = verdict(
            Purpose::Dmarc,
            &[
                ObservedRecord::txt("_dmarc.example.com", ["some other text"]),
                ObservedRecord::txt("example.com", [DMARC_VALUE]),
            ],
        );
        assert_verdict(
            &v,
            Status::Missing,
            Reason::NotPublished,
            "dmarc TXT _dmarc.example.com: missing (no such record at the name)",
        );
    }

    #[test]
    fn dmarc_verified_when_one_record_is_exactly_the_recommended_one() {
        let v = verdict(
            Purpose::Dmarc,
            &[ObservedRecord::txt(
                "_DMARC.example.com.",
                ["v=DMARC1;p=quarantine;", "pct=100;fo=1"],
            )],
        );
        assert_verdict(
            &v,
            Status::Verified,
            Reason::Published,
            "dmarc TXT _dmarc.example.com: verified (published as required)",
        );
    }

    #[test]
    fn dmarc_inconsistent_when_one_record_has_another_value() {
        let v = verdict(
            Purpose::Dmarc,
            &[ObservedRecord::txt(
                "_dmarc.example.com",
                ["v=DMARC1; p=reject"],
            )],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::ValueDiffers {
                found: boxed(&["v=DMARC1; p=reject"]),
            },
            "dmarc TXT _dmarc.example.com: inconsistent (found only other values: \
             \"v=DMARC1; p=reject\")",
        );
    }

    #[test]
    fn dmarc_inconsistent_when_two_dmarc_records_are_published() {
        let v = verdict(
            Purpose::Dmarc,
            &[
                ObservedRecord::txt("_dmarc.example.com", [DMARC_VALUE]),
                ObservedRecord::txt("_dmarc.example.com", ["v=DMARC1;p=none"]),
            ],
        );
        assert_verdict(
            &v,
            Status::Inconsistent,
            Reason::DmarcMultiple { count: 2 },
            "dmarc TXT _dmarc.example.com: inconsistent (2 DMARC records at the name, and \
             DMARC allows one (RFC 7489))",
        );
    }

    // The whole set.

    #[test]
    fn the_zone_snippet_itself_read_back_by_the_zone_parser_verifies_every_record() {
        // What the zone parser reads from the snippet, handed to the check as a resolver would.
        let records = records();
        let parsed = zone_parser::parse(&records.to_zone_snippet());
        let observed: Vec<ObservedRecord> = parsed
            .iter()
            .map(|p| {
                let name = p["name"].as_str().unwrap();
                match p["type"].as_str().unwrap() {
                    "TXT" => ObservedRecord::txt(
                        name,
                        zone_parser::strings(p)
                            .into_iter()
                            .map(|s| String::from_utf8(s).unwrap()),
                    ),
                    "MX" => ObservedRecord::mx(
                        name,
                        u16::try_from(p["preference"].as_u64().unwrap()).unwrap(),
                        p["exchange"].as_str().unwrap(),
                    ),
                    "CNAME" => ObservedRecord::cname(name, p["target"].as_str().unwrap()),
                    other => panic!("unexpected type {other}"),
                }
            })
            .collect();
        let verdicts = records.check(&observed);
        assert!(verdicts.iter().all(Verdict::is_verified), "{verdicts:#?}");
        assert_eq!(
            records
                .check(&[])
                .iter()
                .filter(|v| v.status() == Status::Missing)
                .count(),
            records.len()
        );
    }

    #[test]
    fn verdicts_serialize_with_record_status_and_reason() {
        let v = verdict(Purpose::InboundMail, &[]);
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["status"], "missing");
        assert_eq!(json["reason"], "no such record at the name");
        assert_eq!(json["record"]["type"], "MX");
    }

    #[test]
    fn the_check_is_linear_in_the_observed_records() {
        // 200 000 records at the CNAME's name: one pass per required record, no pairs.
        let observed: Vec<ObservedRecord> = (0..200_000)
            .map(|i| ObservedRecord::cname(DKIM_HOST, format!("t{i}.example.net")))
            .collect();
        let start = std::time::Instant::now();
        let verdicts = records().check(&observed);
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        assert!(matches!(
            verdicts[3].reason(),
            Reason::CnameNotAlone { found } if found == &[RecordType::Cname]
        ));
    }
}

mod default_domain {
    use super::*;

    fn response(status: Option<&str>, is_default: bool) -> GetMailDomainResponse {
        GetMailDomainResponse::builder()
            .ownership_verification_status(status)
            .dkim_verification_status(Some("PENDING"))
            .is_default(is_default)
            .build()
            .unwrap()
    }

    fn ownership_verdict(observed: &[ObservedRecord]) -> Verdict {
        example_records().check(observed).remove(0)
    }

    #[test]
    fn only_verified_ownership_can_become_default_whatever_dkim_says() {
        let eligibility = response(Some("VERIFIED"), false).default_domain_eligibility(None);
        assert_eq!(eligibility, DefaultDomainEligibility::Eligible);
        assert!(eligibility.can_become_default());
        assert_eq!(eligibility.check(&domain("example.com")), Ok(()));
        assert_eq!(
            eligibility.to_string(),
            "can become the default domain (ownership VERIFIED)"
        );
    }

    #[test]
    fn the_default_domain_already_is_one() {
        let eligibility = response(Some("PENDING"), true).default_domain_eligibility(None);
        assert_eq!(eligibility, DefaultDomainEligibility::AlreadyDefault);
        assert!(eligibility.can_become_default());
    }

    #[test]
    fn any_other_status_is_a_mail_domain_state_violation() {
        let domain = domain("example.com");
        for status in [
            Some("PENDING"),
            Some("FAILED"),
            Some("EXPIRED"),
            Some("verified"),
            None,
        ] {
            let eligibility = response(status, false).default_domain_eligibility(None);
            assert_eq!(
                eligibility,
                DefaultDomainEligibility::NotVerified {
                    status: status.map(Reported::new),
                    published: None
                }
            );
            assert!(!eligibility.can_become_default());
            let violation = eligibility.check(&domain).unwrap_err();
            assert_eq!(violation.rule(), Rule::DefaultDomainUnverified);
            assert_eq!(violation.code(), AwsErrorCode::MailDomainState);
            assert_eq!(violation.path().to_string(), "default_domain");
        }
        let violation = response(Some("FAILED"), false)
            .default_domain_eligibility(None)
            .check(&domain)
            .unwrap_err();
        assert_eq!(
            violation.to_string(),
            "default_domain: domain \"example.com\" cannot become the default domain: ownership \
             verification status is FAILED, and only VERIFIED domains can \
             [default_domain.unverified, MailDomainState]"
        );
        assert_eq!(
            AwsErrorCode::MailDomainState.exception_name(),
            "MailDomainStateException"
        );
    }

    #[test]
    fn the_dns_verdict_says_what_to_do_next() {
        let pending = response(Some("PENDING"), false);
        let published =
            ownership_verdict(&[ObservedRecord::txt("_amazonses.example.com", [TOKEN])]);
        let missing = ownership_verdict(&[]);
        let wrong = ownership_verdict(&[ObservedRecord::txt("_amazonses.example.com", ["b2xk"])]);
        for (verdict, status, advice) in [
            (
                &published,
                Status::Verified,
                "the ownership TXT record is published, so AWS has not verified it yet",
            ),
            (
                &missing,
                Status::Missing,
                "publish the ownership TXT record at _amazonses",
            ),
            (
                &wrong,
                Status::Inconsistent,
                "fix the ownership TXT record at _amazonses",
            ),
        ] {
            let eligibility = pending.default_domain_eligibility(Some(verdict));
            assert_eq!(
                eligibility,
                DefaultDomainEligibility::NotVerified {
                    status: Some(VerificationStatus::Pending.into()),
                    published: Some(status)
                }
            );
            assert!(eligibility.to_string().ends_with(advice), "{eligibility}");
        }
        // The DNS verdict never makes a domain eligible, and one on another record is ignored.
        let mx = example_records().check(&[]).remove(1);
        assert_eq!(
            pending.default_domain_eligibility(Some(&mx)),
            DefaultDomainEligibility::NotVerified {
                status: Some(VerificationStatus::Pending.into()),
                published: None
            }
        );
    }
}

#[test]
fn dns_types_are_send_sync_and_errors_are_std_errors() {
    fn send_sync<T: Send + Sync + Unpin + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    use workmail_org::dns::*;
    send_sync::<RequiredRecord>();
    send_sync::<RequiredRecords>();
    send_sync::<RecordData>();
    send_sync::<RecordType>();
    send_sync::<Reported<RecordType>>();
    send_sync::<Purpose>();
    send_sync::<VerificationToken>();
    send_sync::<DkimToken>();
    send_sync::<DomainTokens>();
    send_sync::<TokensError>();
    send_sync::<DnsRecord>();
    send_sync::<GetMailDomainResponse>();
    send_sync::<GetMailDomainResponseBuilder>();
    send_sync::<VerificationStatus>();
    send_sync::<Reported<VerificationStatus>>();
    send_sync::<ResponseError>();
    send_sync::<ResponseErrorKind>();
    send_sync::<ListedRecords>();
    send_sync::<Difference>();
    send_sync::<ObservedRecord>();
    send_sync::<ObservedData>();
    send_sync::<Verdict>();
    send_sync::<Status>();
    send_sync::<Reason>();
    send_sync::<DefaultDomainEligibility>();
    error::<TokensError>();
    error::<ResponseError>();
}
