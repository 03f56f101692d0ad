//! Quantity parse + canonical form: target under 1 µs each.

#![allow(clippy::expect_used)] // fixtures built in code; a failure is a bug in the test itself

use criterion::{Criterion, criterion_group, criterion_main};
use kubedojo::engines::quantity::Quantity;
use std::hint::black_box;

const INPUTS: &[&str] = &[
    "500m",
    "1.5Gi",
    "1024Mi",
    "2",
    "0.1",
    "100M",
    "1e3",
    "128974848",
];

fn bench(c: &mut Criterion) {
    for input in INPUTS {
        c.bench_function(&format!("quantity parse+canonical {input}"), |b| {
            b.iter(|| {
                let q = Quantity::parse(black_box(input)).expect("valid");
                black_box(q.canonical())
            })
        });
    }
    c.bench_function("quantity parse+canonical mixed (8 values)", |b| {
        b.iter(|| {
            for input in INPUTS {
                let q = Quantity::parse(black_box(input)).expect("valid");
                black_box(q.canonical());
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
