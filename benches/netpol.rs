//! The full reach matrix (every pod to every pod on every declared port)
//! for clusters of 100 to 5,000 pods in 50 namespaces with 200
//! NetworkPolicies. Timed: building the engine's view of the model and
//! deciding every cell (the cells are all read, so nothing is skipped).
//!
//! Two shapes: pods of Deployments (replicas share labels, as in real
//! clusters) and the worst case where every pod has a unique label
//! (StatefulSet pod names), so no two pods share a class.

// A benchmark of fixed, valid input: a failure to build it is a bug.
#![allow(clippy::expect_used)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kubedojo::engines::netpol::{Network, PortChoice};
use kubedojo::model::ClusterModel;
use serde_json::json;
use std::hint::black_box;

const NAMESPACES: usize = 50;
const APPS: [(&str, &str); 6] = [
    ("web", "frontend"),
    ("api", "backend"),
    ("worker", "backend"),
    ("cache", "db"),
    ("postgres", "db"),
    ("batch", "backend"),
];

fn decode<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("bench objects decode")
}

/// `pods` pods spread over 50 namespaces, 4 policies per namespace.
fn cluster(pods: usize, unique_labels: bool) -> ClusterModel {
    let mut m = ClusterModel::new();
    for n in 0..NAMESPACES {
        m = m.with(decode::<core::Namespace>(json!({
            "metadata": {"name": format!("ns-{n:02}"), "labels": {
                "team": format!("team-{}", n % 10),
                "env": if n % 2 == 0 { "prod" } else { "staging" },
            }}
        })));
    }
    for i in 0..pods {
        let n = i % NAMESPACES;
        let j = i / NAMESPACES;
        let (app, tier) = APPS[j % APPS.len()];
        let mut labels = json!({"app": app, "tier": tier, "version": format!("v{}", j % 2)});
        if unique_labels {
            labels["statefulset.kubernetes.io/pod-name"] = json!(format!("{app}-{j}"));
        }
        let port = match tier {
            "frontend" => json!({"name": "http", "containerPort": 8080}),
            "db" => json!({"name": "pg", "containerPort": 5432}),
            _ => json!({"name": "grpc", "containerPort": 9000}),
        };
        m = m.with(decode::<core::Pod>(json!({
            "metadata": {"name": format!("{app}-{j}"), "namespace": format!("ns-{n:02}"), "labels": labels},
            "spec": {"containers": [{"name": "c", "image": "x", "ports": [port, {"name": "metrics", "containerPort": 9090}]}]},
            "status": {"podIP": format!("10.{n}.{}.{}", j / 250, j % 250 + 1)}
        })));
    }
    for n in 0..NAMESPACES {
        let ns = format!("ns-{n:02}");
        let policies = [
            json!({"metadata": {"name": "default-deny", "namespace": ns},
                   "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}),
            json!({"metadata": {"name": "frontend-from-anywhere", "namespace": ns},
                   "spec": {"podSelector": {"matchLabels": {"tier": "frontend"}},
                            "ingress": [{"from": [{"namespaceSelector": {}}], "ports": [{"port": "http"}]}]}}),
            json!({"metadata": {"name": "db-from-backend", "namespace": ns},
                   "spec": {"podSelector": {"matchLabels": {"tier": "db"}},
                            "ingress": [{"from": [
                                {"namespaceSelector": {"matchLabels": {"team": format!("team-{}", n % 10)}},
                                 "podSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend"]}]}},
                                {"podSelector": {"matchLabels": {"app": "api"}}}],
                                "ports": [{"port": 5432}]},
                                {"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": [format!("10.{n}.0.0/16")]}}],
                                 "ports": [{"port": 9090}]}]}}),
            json!({"metadata": {"name": "backend-egress", "namespace": ns},
                   "spec": {"podSelector": {"matchLabels": {"tier": "backend"}}, "policyTypes": ["Egress"],
                            "egress": [
                                {"to": [{"namespaceSelector": {"matchLabels": {"env": "prod"}},
                                         "podSelector": {"matchLabels": {"tier": "db"}}}],
                                 "ports": [{"port": "pg"}, {"port": 9000, "endPort": 9100}]},
                                {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
                                 "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53}]}]}}),
        ];
        for p in policies {
            m = m.with(decode::<NetworkPolicy>(p));
        }
    }
    m
}

/// Build the engine's view and decide every cell; returns the number of
/// allowed connections so nothing is optimised away.
fn full_matrix(model: &ClusterModel) -> usize {
    let net = Network::from_model(model).expect("bench cluster compiles");
    let pods = net.pod_endpoints();
    let m = net.matrix(&pods, &pods, &PortChoice::Declared(None));
    m.iter().filter(|(_, _, _, c)| c.allowed).count()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("reach_matrix");
    g.sample_size(10);
    for pods in [100, 1000, 2000, 5000] {
        let model = cluster(pods, false);
        g.bench_with_input(BenchmarkId::new("deployments", pods), &model, |b, m| {
            b.iter(|| black_box(full_matrix(m)))
        });
    }
    for pods in [100, 1000, 2000] {
        let model = cluster(pods, true);
        g.bench_with_input(BenchmarkId::new("unique_labels", pods), &model, |b, m| {
            b.iter(|| black_box(full_matrix(m)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
