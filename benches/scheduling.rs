//! `schedule` over 1,000 pods and 100 nodes: target under 100 ms.

#![allow(clippy::expect_used)] // fixtures built in code; a failure is a bug in the test itself

use criterion::{Criterion, criterion_group, criterion_main};
use k8s_openapi::api::core::v1::{Node, Pod};
use kubedojo::engines::scheduling::{Cluster, PodToPlace};
use serde_json::json;
use std::hint::black_box;

fn nodes() -> Vec<Node> {
    (0..100)
        .map(|i| {
            let mut spec = json!({});
            if i % 4 == 0 {
                spec = json!({"taints": [
                    {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
                    {"key": "maintenance", "effect": "NoExecute"}
                ]});
            } else if i % 4 == 1 {
                spec = json!({"taints": [{"key": "noisy", "effect": "PreferNoSchedule"}]});
            }
            serde_json::from_value(json!({
                "metadata": {"name": format!("node-{i}"), "labels": {"zone": format!("z{}", i % 3), "pool": if i % 4 == 0 { "gpu" } else { "general" }}},
                "spec": spec,
                "status": {"allocatable": {"cpu": "16", "memory": "64Gi", "pods": "110"}}
            }))
            .expect("node")
        })
        .collect()
}

fn pods() -> Vec<Pod> {
    (0..1000)
        .map(|i| {
            let mut spec = json!({
                "containers": [{"name": "app", "image": "nginx", "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]
            });
            if i % 3 == 0 {
                spec["tolerations"] = json!([{"key": "dedicated", "operator": "Exists"}, {"key": "maintenance", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]);
                spec["nodeSelector"] = json!({"pool": "gpu"});
            }
            if i % 5 == 0 {
                spec["affinity"] = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["z0", "z1"]}]}]}}});
            }
            if i % 2 == 0 {
                spec["nodeName"] = json!(format!("node-{}", i % 100));
            }
            serde_json::from_value(json!({"metadata": {"name": format!("p{i}"), "namespace": "default"}, "spec": spec})).expect("pod")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let nodes = nodes();
    let pods = pods();
    c.bench_function("schedule 1000 pods x 100 nodes", |b| {
        b.iter(|| {
            let bound = pods.iter().map(|p| {
                (
                    format!("default/{}", p.metadata.name.as_deref().unwrap_or("")),
                    p.spec.as_ref().expect("spec"),
                    None,
                )
            });
            let cluster = Cluster::new(nodes.iter(), bound);
            let mut fits = 0;
            for p in &pods {
                let key = format!("default/{}", p.metadata.name.as_deref().unwrap_or(""));
                let placement =
                    cluster.place(&PodToPlace::new(key, p.spec.as_ref().expect("spec")));
                fits += placement.fitting().count();
            }
            black_box(fits)
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
