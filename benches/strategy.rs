//! Cost of generating whole accounts with the `proptest` strategies: 1,000 specs that fit
//! together (ten accounts of 100), against 1,000 independent specs, and ten catalogs of 100.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use proptest::collection::vec;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use workmail_org::catalog::DEFAULT_ORGANIZATION_LIMIT;
use workmail_org::strategy;

/// Ten accounts' worth: 1,000 specs.
const ACCOUNTS: usize = 10;

/// One full account: the default quota, as a count of specs.
const PER_ACCOUNT: usize = DEFAULT_ORGANIZATION_LIMIT as usize;

/// Draws `count` values of `strategy` from `runner`.
fn draw<S: Strategy>(runner: &mut TestRunner, strategy: &S, count: usize) {
    for _ in 0..count {
        let tree = strategy
            .new_tree(runner)
            .expect("the strategy generates values");
        black_box(tree.current());
    }
}

fn accounts(c: &mut Criterion) {
    let mut group = c.benchmark_group("strategy");
    group.sample_size(10);
    group.throughput(Throughput::Elements((ACCOUNTS * PER_ACCOUNT) as u64));
    let mut runner = TestRunner::deterministic();
    let independent = vec(strategy::organization_spec(), PER_ACCOUNT);
    group.bench_function("independent_specs_1000", |b| {
        b.iter(|| draw(&mut runner, &independent, ACCOUNTS))
    });
    let fitting = strategy::fitting_specs(PER_ACCOUNT);
    group.bench_function("fitting_specs_1000", |b| {
        b.iter(|| draw(&mut runner, &fitting, ACCOUNTS))
    });
    let catalogs = strategy::catalog_with_specs(PER_ACCOUNT);
    group.bench_function("catalogs_with_specs_1000", |b| {
        b.iter(|| draw(&mut runner, &catalogs, ACCOUNTS))
    });
    group.finish();
}

criterion_group!(benches, accounts);
criterion_main!(benches);
