//! Parsing cost of the validated identifier types.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
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
        b.iter(|| {
            KmsKeyArn::parse(black_box(
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
