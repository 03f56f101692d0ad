//! How long `validate` takes: the whole real-manifest corpus at once, one
//! typical Deployment, and the object validation of one pod spec alone.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use kubedojo::model::load::Input;
use std::hint::black_box;
use std::path::Path;

fn corpus() -> Vec<Input> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| Input::new(f.display().to_string(), std::fs::read(f).expect("read")))
        .collect()
}

fn bench(c: &mut Criterion) {
    let inputs = corpus();
    // Schemas are built once per kind on first use; warm them up.
    let v = kubedojo::validate::validate_inputs(&inputs).expect("valid input");
    assert!(v.is_valid());
    c.bench_function("validate the real-manifest corpus", |b| {
        b.iter(|| kubedojo::validate::validate_inputs(black_box(&inputs)).expect("ok"))
    });
    let deployment = vec![Input::new(
        "d.yaml",
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus/kubectl-deployment.yaml"),
        )
        .expect("read"),
    )];
    c.bench_function("validate one Deployment", |b| {
        b.iter(|| kubedojo::validate::validate_inputs(black_box(&deployment)).expect("ok"))
    });
    let pods = vec![Input::new(
        "p.yaml",
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus/pod-volumes.yaml"),
        )
        .expect("read"),
    )];
    c.bench_function("validate pod-volumes.yaml (3 pods)", |b| {
        b.iter(|| kubedojo::validate::validate_inputs(black_box(&pods)).expect("ok"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
