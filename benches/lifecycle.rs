//! Costs of the run-time lifecycle checks: a direct move, an observed jump, and parsing.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use workmail_org::lifecycle::{OrganizationState, ReportedState, Tracked};

fn every_pair() -> Vec<(OrganizationState, OrganizationState)> {
    OrganizationState::ALL
        .iter()
        .flat_map(|&from| OrganizationState::ALL.iter().map(move |&to| (from, to)))
        .collect()
}

fn transitions(c: &mut Criterion) {
    let pairs = every_pair();
    c.bench_function("Tracked::transition_to, all 81 pairs", |b| {
        b.iter(|| {
            pairs
                .iter()
                .filter(|(from, to)| {
                    Tracked::new(black_box(*from), ())
                        .transition_to(black_box(*to))
                        .is_ok()
                })
                .count()
        })
    });
    c.bench_function("observe, all 81 pairs", |b| {
        b.iter(|| {
            pairs
                .iter()
                .filter_map(|(from, to)| black_box(*from).observe(black_box(*to)).ok())
                .map(|path| path.len())
                .sum::<usize>()
        })
    });
}

fn parsing(c: &mut Criterion) {
    let inputs = ["Active", "Deleted", "Suspended", "active"];
    c.bench_function("parse OrganizationState", |b| {
        b.iter(|| {
            inputs
                .iter()
                .filter(|s| black_box(**s).parse::<OrganizationState>().is_ok())
                .count()
        })
    });
    c.bench_function("ReportedState::new", |b| {
        b.iter(|| {
            inputs
                .iter()
                .filter(|s| ReportedState::new(black_box(**s)).known().is_some())
                .count()
        })
    });
}

criterion_group!(benches, transitions, parsing);
criterion_main!(benches);
