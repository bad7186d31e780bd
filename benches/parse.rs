//! Parsing cost of the validated identifier types.
//!
//! `COUNT=NAME [COUNT_ITERS=N] cargo bench --bench parse` runs one parse N times without
//! criterion, for `benches/instructions.sh` to count its instructions under callgrind.

use std::hint::black_box;

use criterion::{criterion_group, Criterion};
use workmail_org::{DirectoryId, DomainName, KmsKeyArn, OrganizationAlias};

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.bench_function("alias", |b| {
        b.iter(|| OrganizationAlias::parse(black_box("acme-corp-mail")))
    });
    group.bench_function("alias_rejected", |b| {
        b.iter(|| OrganizationAlias::parse(black_box("acme_corp")))
    });
    group.bench_function("domain_ascii", |b| {
        b.iter(|| DomainName::parse(black_box("mail.acme-corp.example.com")))
    });
    group.bench_function("domain_ascii_upper", |b| {
        b.iter(|| DomainName::parse(black_box("Mail.ACME-Corp.Example.com.")))
    });
    group.bench_function("domain_punycode", |b| {
        b.iter(|| DomainName::parse(black_box("mail.xn--bcher-kva.example")))
    });
    group.bench_function("domain_unicode", |b| {
        b.iter(|| DomainName::parse(black_box("mail.bücher.example")))
    });
    let long = "a".repeat(10_000);
    group.bench_function("domain_10kb_rejected", |b| {
        b.iter(|| DomainName::parse(black_box(&long)))
    });
    group.bench_function("directory_id", |b| {
        b.iter(|| DirectoryId::parse(black_box("d-1234567890")))
    });
    group.bench_function("kms_key_arn", |b| {
        b.iter(|| KmsKeyArn::parse(black_box(KMS_KEY_ARN)))
    });
    group.finish();
}

const KMS_KEY_ARN: &str =
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// Runs parse `name` `iterations` times: what `benches/instructions.sh` counts.
fn count(name: &str, iterations: usize) {
    let run: fn() -> bool = match name {
        "alias" => || OrganizationAlias::parse(black_box("acme-corp-mail")).is_ok(),
        "domain_ascii" => || DomainName::parse(black_box("mail.acme-corp.example.com")).is_ok(),
        "directory_id" => || DirectoryId::parse(black_box("d-1234567890")).is_ok(),
        "kms_key_arn" => || KmsKeyArn::parse(black_box(KMS_KEY_ARN)).is_ok(),
        _ => panic!("COUNT={name}: no such parse"),
    };
    for _ in 0..iterations {
        black_box(run());
    }
}

criterion_group!(benches, parse);

fn main() {
    if let Ok(name) = std::env::var("COUNT") {
        let iterations = std::env::var("COUNT_ITERS").map_or(1, |n| n.parse().expect("a count"));
        return count(&name, iterations);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
