//! Cost of validating whole organization specs, of turning them into `CreateOrganization`
//! request JSON, of generating them with the `proptest` strategies, and of admitting them
//! into a catalog.
//!
//! `cargo bench --bench spec` runs the timings (`--all-features` adds the generators).
//! `COUNT=NAME [COUNT_ITERS=N] cargo bench --bench spec` runs one operation N times without
//! criterion, for `benches/instructions.sh` to count its instructions under callgrind.

use std::hint::black_box;

use criterion::{criterion_group, Criterion};
use serde::Deserialize;
use workmail_org::aws::{CreateOrganization, CreateOrganizationRequest};
use workmail_org::catalog::{EntryId, Release};
use workmail_org::{AccountId, Catalog, OrganizationDraft, OrganizationSpec};

const FULL: &str = include_str!("../examples/specs/valid-full.json");
const MANY_VIOLATIONS: &str = include_str!("../examples/specs/invalid-many.json");
/// Five existing Route 53 domains, an existing AD Connector, a KMS key and a client token:
/// about 1.1 KB, the request the side-by-side comparison (`benches/compare.sh`) uses.
const FIVE_DOMAINS: &str = include_str!("data/five-domains.json");
/// The same shape with ten violations.
const TEN_VIOLATIONS: &str = include_str!("data/ten-violations.json");
/// The `CreateOrganization` request body of [`FIVE_DOMAINS`], as the crate writes it: what
/// the Python validators of `benches/compare.sh` read.
const FIVE_DOMAINS_REQUEST: &str = include_str!("data/five-domains-request.json");

/// The floor: the same JSON read into borrowed structs of the same shape, with no check at
/// all (a domain's `type` is just a field). What reading the JSON alone costs.
mod floor {
    use super::Deserialize;

    #[derive(Deserialize)]
    #[allow(dead_code)] // read, never looked at
    pub struct Spec<'a> {
        alias: &'a str,
        region: &'a str,
        #[serde(borrow, default)]
        domains: Vec<Domain<'a>>,
        default_domain: Option<&'a str>,
        #[serde(borrow)]
        directory: Option<Directory<'a>>,
        #[serde(borrow)]
        encryption: Option<Encryption<'a>>,
        #[serde(default)]
        interoperability: bool,
        client_token: Option<&'a str>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Domain<'a> {
        #[serde(rename = "type")]
        kind: &'a str,
        name: Option<&'a str>,
        hosted_zone_id: Option<&'a str>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Directory<'a> {
        #[serde(rename = "type")]
        kind: &'a str,
        directory_id: Option<&'a str>,
        directory_type: Option<&'a str>,
        alias: Option<&'a str>,
        region: Option<&'a str>,
        #[serde(borrow, default)]
        additional_regions: Vec<&'a str>,
        stage: Option<&'a str>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Encryption<'a> {
        #[serde(rename = "type")]
        kind: &'a str,
        kms_key_arn: Option<&'a str>,
    }
}

fn spec(c: &mut Criterion) {
    let mut group = c.benchmark_group("spec");
    group.bench_function("floor_borrowed_unchecked_5_domains", |b| {
        b.iter(|| serde_json::from_str::<floor::Spec>(black_box(FIVE_DOMAINS)).is_ok())
    });
    let five: OrganizationDraft = serde_json::from_str(FIVE_DOMAINS).expect("a draft");
    let ten: OrganizationDraft = serde_json::from_str(TEN_VIOLATIONS).expect("a draft");
    let request = request_json(&five.validate().expect("valid"));
    assert_eq!(
        request,
        FIVE_DOMAINS_REQUEST.trim(),
        "the request body the comparison reads"
    );
    assert_eq!(
        ten.validate().expect_err("violations").len(),
        10,
        "ten violations"
    );
    group.bench_function("json_to_spec_5_domains", |b| {
        b.iter(|| serde_json::from_str::<OrganizationSpec>(black_box(FIVE_DOMAINS)))
    });
    group.bench_function("json_to_violations_10", |b| {
        b.iter(|| serde_json::from_str::<OrganizationSpec>(black_box(TEN_VIOLATIONS)))
    });
    group.bench_function("request_json_to_request_5_domains", |b| {
        b.iter(|| {
            serde_json::from_str::<CreateOrganizationRequest>(black_box(FIVE_DOMAINS_REQUEST))
        })
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

    let mut group = c.benchmark_group("generate");
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
    group.bench_function("admit_100_then_release", |b| {
        b.iter(|| {
            let catalog = Catalog::new(account.clone());
            let ids: Vec<EntryId> = specs
                .iter()
                .map(|spec| {
                    let admitted = catalog.blocking(|c| c.admit(spec, 0));
                    admitted.expect("distinct").entry().id()
                })
                .collect();
            for id in ids {
                catalog
                    .blocking(|c| c.release(id, Release::NothingSent, 0))
                    .expect("in memory");
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
        "floor_borrowed_unchecked_5_domains" => Box::new(|| {
            black_box(serde_json::from_str::<floor::Spec>(black_box(FIVE_DOMAINS)).is_ok());
        }),
        "request_json_to_request_5_domains" => Box::new(|| {
            black_box(
                serde_json::from_str::<CreateOrganizationRequest>(black_box(FIVE_DOMAINS_REQUEST))
                    .is_ok(),
            );
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
