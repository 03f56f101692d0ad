//! `admit` of 1,000 pods in sequence against 50 quotas: target under 100 ms.

#![allow(clippy::expect_used)] // fixtures built in code; a failure is a bug in the test itself

use criterion::{Criterion, criterion_group, criterion_main};
use k8s_openapi::api::core::v1::{LimitRange, Pod, ResourceQuota};
use kubedojo::engines::quota::Admission;
use serde_json::json;
use std::hint::black_box;

fn quotas() -> Vec<ResourceQuota> {
    let scopes = [
        json!(null),
        json!(["NotBestEffort"]),
        json!(["NotTerminating"]),
        json!(["BestEffort"]),
    ];
    (0..50)
        .map(|i| {
            let mut spec = json!({"hard": if i % 4 == 3 {
                json!({"pods": "100000"})
            } else {
                json!({"requests.cpu": "1000", "limits.cpu": "2000", "requests.memory": "1Ti", "limits.memory": "2Ti", "pods": "100000", "count/pods": "100000"})
            }});
            if !scopes[i % 4].is_null() {
                spec["scopes"] = scopes[i % 4].clone();
            }
            serde_json::from_value(json!({"metadata": {"name": format!("q{i}"), "namespace": "dev"}, "spec": spec})).expect("quota")
        })
        .collect()
}

fn pods() -> Vec<Pod> {
    (0..1000)
        .map(|i| {
            let resources = if i % 2 == 0 {
                json!({"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "200m", "memory": "256Mi"}})
            } else {
                json!({})
            };
            serde_json::from_value(json!({
                "metadata": {"name": format!("p{i}"), "namespace": "dev"},
                "spec": {"containers": [{"name": "app", "image": "nginx", "resources": resources}]}
            }))
            .expect("pod")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let quotas = quotas();
    let pods = pods();
    let lr: LimitRange = serde_json::from_value(json!({
        "metadata": {"name": "defaults", "namespace": "dev"},
        "spec": {"limits": [{"type": "Container", "default": {"cpu": "200m", "memory": "256Mi"}, "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]}
    }))
    .expect("lr");
    c.bench_function("admit 1000 pods against 50 quotas", |b| {
        b.iter(|| {
            let mut adm = Admission::new(
                [("dev", &lr)],
                quotas.iter().map(|q| ("dev", q)),
                std::iter::empty(),
            );
            let mut admitted = 0;
            for p in &pods {
                admitted += usize::from(adm.admit("dev", p).admitted);
            }
            black_box(admitted)
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
