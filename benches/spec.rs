//! Cost of validating whole organization specs, of turning them into `CreateOrganization`
//! request JSON, of generating them with the `proptest` strategies, and of admitting them
//! into a catalog.
//!
//! `cargo bench --bench spec` runs the timings (`--all-features` adds the generators).
//! `COUNT=NAME [COUNT_ITERS=N] cargo bench --bench spec` runs one operation N times without
//! criterion, for `benches/instructions.sh` to count its instructions under callgrind.

use std::hint::black_box;

use criterion::{criterion_group, Criterion};
use workmail_org::aws::CreateOrganization;
use workmail_org::{AccountId, Catalog, OrganizationDraft, OrganizationSpec};

const FULL: &str = include_str!("../examples/specs/valid-full.json");
const MANY_VIOLATIONS: &str = include_str!("../examples/specs/invalid-many.json");
/// Five existing Route 53 domains, an existing AD Connector, a KMS key and a client token:
/// about 1.1 KB, the request the side-by-side comparison (`benches/compare.sh`) uses.
const FIVE_DOMAINS: &str = include_str!("data/five-domains.json");
/// The same shape with ten violations.
const TEN_VIOLATIONS: &str = include_str!("data/ten-violations.json");

fn spec(c: &mut Criterion) {
    let mut group = c.benchmark_group("spec");
    let five: OrganizationDraft = serde_json::from_str(FIVE_DOMAINS).expect("a draft");
    let ten: OrganizationDraft = serde_json::from_str(TEN_VIOLATIONS).expect("a draft");
    group.bench_function("json_to_spec_5_domains", |b| {
        b.iter(|| serde_json::from_str::<OrganizationSpec>(black_box(FIVE_DOMAINS)))
    });
    group.bench_function("json_to_violations_10", |b| {
        b.iter(|| serde_json::from_str::<OrganizationSpec>(black_box(TEN_VIOLATIONS)))
    });
    group.bench_function("json_to_draft_5_domains", |b| {
        b.iter(|| serde_json::from_str::<OrganizationDraft>(black_box(FIVE_DOMAINS)))
    });
    group.bench_function("validate_5_domains", |b| {
        b.iter(|| black_box(&five).validate())
    });
    group.bench_function("validate_10_violations", |b| {
        b.iter(|| black_box(&ten).validate())
    });
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
    let five = five.validate().expect("valid");
    group.bench_function("spec_to_request_json_5_domains", |b| {
        b.iter(|| request_json(black_box(&five)))
    });
    group.finish();
}

/// Spec → `CreateOrganization` → the request body as JSON.
fn request_json(spec: &OrganizationSpec) -> String {
    let call = CreateOrganization::new(spec).expect("no new Route 53 domain");
    serde_json::to_string(call.request()).expect("a request serializes")
}

#[cfg(feature = "proptest")]
fn generation(c: &mut Criterion) {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    let mut group = c.benchmark_group("strategy");
    let mut runner = TestRunner::deterministic();
    let specs = workmail_org::strategy::organization_spec();
    group.bench_function("organization_spec", |b| {
        b.iter(|| specs.new_tree(&mut runner).expect("a spec").current())
    });
    let drafts = workmail_org::strategy::organization_draft();
    group.bench_function("organization_draft", |b| {
        b.iter(|| drafts.new_tree(&mut runner).expect("a draft").current())
    });
    group.finish();
}

#[cfg(not(feature = "proptest"))]
fn generation(_: &mut Criterion) {}

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

/// Runs operation `name` `iterations` times: what `benches/instructions.sh` counts.
fn count(name: &str, iterations: usize) {
    let five: OrganizationDraft = serde_json::from_str(FIVE_DOMAINS).expect("a draft");
    let spec = five.validate().expect("valid");
    let run: Box<dyn Fn()> = match name {
        "json_to_spec_5_domains" => Box::new(|| {
            black_box(serde_json::from_str::<OrganizationSpec>(black_box(FIVE_DOMAINS)).is_ok());
        }),
        "json_to_violations_10" => Box::new(|| {
            black_box(serde_json::from_str::<OrganizationSpec>(black_box(TEN_VIOLATIONS)).is_err());
        }),
        "validate_5_domains" => Box::new(|| {
            black_box(black_box(&five).validate().is_ok());
        }),
        "spec_to_request_json_5_domains" => Box::new(|| {
            black_box(request_json(black_box(&spec)));
        }),
        _ => panic!("COUNT={name}: no such operation"),
    };
    for _ in 0..iterations {
        run();
    }
}

criterion_group!(benches, spec, generation, catalog);

fn main() {
    if let Ok(name) = std::env::var("COUNT") {
        let iterations = std::env::var("COUNT_ITERS").map_or(1, |n| n.parse().expect("a count"));
        return count(&name, iterations);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
