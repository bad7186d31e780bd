//! Costs of the dns module: deriving a domain's records, rendering them as zone-file lines,
//! reading a `GetMailDomain` response and its tokens, and checking resolver answers.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use workmail_org::aws::GetMailDomainResponse;
use workmail_org::dns::{DomainTokens, ObservedRecord, RequiredRecords};
use workmail_org::{DomainName, Region};

const TOKEN: &str = "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=";
const DKIM: [&str; 3] = [
    "ekes3zs2uqbrswnhnd5wlnzl3u6hkcxd",
    "3wbw2nuq4ybgaus5qdqffz3hdzvq6lno",
    "k4ppzrbmbbpfbhm2ecbwslypotm7dhwt",
];

fn domain() -> DomainName {
    "example.com".parse().expect("a valid domain")
}

fn tokens() -> DomainTokens {
    DomainTokens::new(
        TOKEN.parse().expect("a valid token"),
        DKIM.iter()
            .map(|t| t.parse().expect("a valid DKIM token"))
            .collect(),
    )
    .expect("valid tokens")
}

fn records(c: &mut Criterion) {
    let (domain, tokens) = (domain(), tokens());
    c.bench_function("RequiredRecords::new, 3 DKIM tokens", |b| {
        b.iter(|| RequiredRecords::new(black_box(&domain), Region::UsEast1, black_box(&tokens)))
    });
    let records = RequiredRecords::new(&domain, Region::UsEast1, &tokens);
    c.bench_function("to_zone_snippet, 8 records", |b| {
        b.iter(|| black_box(&records).to_zone_snippet())
    });
}

fn response(c: &mut Criterion) {
    let records = RequiredRecords::new(&domain(), Region::UsEast1, &tokens());
    let json = serde_json::json!({
        "Records": records.to_dns_records(),
        "IsTestDomain": false,
        "IsDefault": false,
        "OwnershipVerificationStatus": "PENDING",
        "DkimVerificationStatus": "PENDING",
    })
    .to_string();
    c.bench_function("read GetMailDomain JSON, 8 records", |b| {
        b.iter(|| serde_json::from_str::<GetMailDomainResponse>(black_box(&json)).expect("reads"))
    });
    let response: GetMailDomainResponse = serde_json::from_str(&json).expect("reads");
    let domain = domain();
    c.bench_function("listed_records, 8 records", |b| {
        b.iter(|| {
            black_box(&response)
                .listed_records(&domain, Region::UsEast1)
                .expect("tokens")
        })
    });
}

fn check(c: &mut Criterion) {
    let records = RequiredRecords::new(&domain(), Region::UsEast1, &tokens());
    let observed: Vec<ObservedRecord> = records
        .iter()
        .map(|r| match r.kind().as_str() {
            "TXT" => ObservedRecord::txt(format!("{}.", r.host()), [r.value()]),
            "MX" => ObservedRecord::mx(r.host(), 10, "inbound-smtp.us-east-1.amazonaws.com."),
            _ => ObservedRecord::cname(r.host(), r.value()),
        })
        .collect();
    c.bench_function("check, 8 records all published", |b| {
        b.iter(|| black_box(&records).check(black_box(&observed)))
    });
}

criterion_group!(benches, records, response, check);
criterion_main!(benches);
