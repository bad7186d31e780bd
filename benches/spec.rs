//! Cost of validating whole organization specs, and of admitting them into a catalog.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use workmail_org::{AccountId, Catalog, OrganizationDraft, OrganizationSpec};

const FULL: &str = include_str!("../examples/specs/valid-full.json");
const MANY_VIOLATIONS: &str = include_str!("../examples/specs/invalid-many.json");

fn spec(c: &mut Criterion) {
    let mut group = c.benchmark_group("spec");
    let full: OrganizationDraft = serde_json::from_str(FULL).expect("a draft");
    let broken: OrganizationDraft = serde_json::from_str(MANY_VIOLATIONS).expect("a draft");
    group.bench_function("validate_full", |b| b.iter(|| black_box(&full).validate()));
    group.bench_function("validate_many_violations", |b| {
        b.iter(|| black_box(&broken).validate())
    });
    group.bench_function("json_to_spec_full", |b| {
        b.iter(|| serde_json::from_str::<OrganizationSpec>(black_box(FULL)))
    });
    let valid = full.validate().expect("valid");
    group.bench_function("advisories_full", |b| {
        b.iter(|| black_box(&valid).advisories())
    });
    group.finish();
}

fn catalog(c: &mut Criterion) {
    let mut group = c.benchmark_group("catalog");
    let account: AccountId = "111122223333".parse().expect("an account");
    let specs: Vec<OrganizationSpec> = (0..100)
        .map(|i| {
            OrganizationDraft::new(format!("org{i}"), "us-east-1")
                .validate()
                .expect("valid")
        })
        .collect();
    group.bench_function("admit_100_then_remove", |b| {
        b.iter(|| {
            let mut catalog = Catalog::new(account.clone());
            for spec in &specs {
                catalog.admit(spec.clone()).expect("distinct");
            }
            for spec in &specs {
                catalog.remove(spec.alias()).expect("in memory");
            }
            catalog
        })
    });
    group.finish();
}

criterion_group!(benches, spec, catalog);
criterion_main!(benches);
