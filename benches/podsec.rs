//! PodSecurity over 1,000 pods (a mix of compliant and violating ones, in
//! a namespace that enforces baseline and warns at restricted). Target:
//! under 20 ms for the whole set.

// Benchmark setup builds known-good fixtures; a failure there is a bug in the bench.
#![allow(clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kubedojo::engines::podsec::review_model;
use kubedojo::model::ClusterModel;
use std::hint::black_box;

fn pod(i: usize) -> Pod {
    let sc = match i % 4 {
        0 => serde_json::json!({}),
        1 => {
            serde_json::json!({"privileged": true, "capabilities": {"add": ["NET_ADMIN", "SYS_TIME"]}})
        }
        2 => {
            serde_json::json!({"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}})
        }
        _ => serde_json::json!({"runAsUser": 0, "seccompProfile": {"type": "Unconfined"}}),
    };
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": format!("p{i}"), "namespace": "prod"},
        "spec": {
            "securityContext": {"runAsNonRoot": i.is_multiple_of(2), "seccompProfile": {"type": "RuntimeDefault"}},
            "initContainers": [{"name": "init", "image": "busybox", "securityContext": sc.clone()}],
            "containers": [
                {"name": "app", "image": "nginx", "securityContext": sc,
                 "ports": [{"containerPort": 80, "hostPort": if i.is_multiple_of(5) { 8080 } else { 0 }}]},
                {"name": "sidecar", "image": "envoy"}
            ],
            "volumes": [{"name": "data", "emptyDir": {}}, {"name": "host", "hostPath": {"path": "/var/log"}}]
        }
    }))
    .expect("bench pod")
}

fn bench(c: &mut Criterion) {
    let ns: Namespace = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "prod", "labels": {
            "pod-security.kubernetes.io/enforce": "baseline",
            "pod-security.kubernetes.io/warn": "restricted"}}
    }))
    .expect("namespace");
    let mut model = ClusterModel::new().with(ns);
    for i in 0..1000 {
        model = model.with(pod(i));
    }
    c.bench_function(
        "podsec 1000 pods (enforce baseline, warn restricted)",
        |b| b.iter(|| black_box(review_model(black_box(&model), None)).len()),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
