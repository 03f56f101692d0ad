//! Helpers for live-mode tests: a session on the fake API server, the
//! test exercises, and an exercise's files as the objects a cluster would
//! hold after `kubectl apply`.

// Test scaffolding: a broken fixture should stop the test loudly.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use crate::fake_apiserver::FakeApiServer;
use kubedojo::content::{Content, ContentSource, Exercise};
use kubedojo::live::target::{Target, resolve_in};
use kubedojo::live::{DEFAULT_CONTEXT, Session};
use kubedojo::model::load::Input;
use serde_json::{Value, json};
use std::path::PathBuf;

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live")
}

pub fn fixture_content() -> Content {
    Content::new(ContentSource::Dir(fixture_dir())).expect("fixture content")
}

/// A session for kind's default context on `server`, from a generated
/// kubeconfig whose *current* context points elsewhere.
pub fn session_for(server: &FakeApiServer) -> Session {
    let kc = kube::config::Kubeconfig::from_yaml(&server.kubeconfig(DEFAULT_CONTEXT)).unwrap();
    let resolved = resolve_in(kc, "generated".into(), &Target::default()).unwrap();
    Session::connect_resolved(resolved).unwrap()
}

pub fn inputs(content: &Content, ex: &Exercise, files: &[String]) -> Vec<Input> {
    files
        .iter()
        .map(|f| {
            let (name, bytes) = content.exercise_file(ex, f).unwrap();
            Input::new(name, bytes)
        })
        .collect()
}

/// The objects of these files as the API server stores them: namespaced
/// objects get `default` when they name no namespace.
pub fn objects_of(inputs: &[Input]) -> Vec<Value> {
    let v = kubedojo::validate::validate_inputs(inputs).unwrap();
    v.objects
        .iter()
        .map(|o| {
            let id = o.id();
            let mut json = o.node().to_json();
            if let Some(ns) = id.namespace {
                json["metadata"]["namespace"] = ns.into();
            }
            json
        })
        .collect()
}

/// 20 namespaces, 3 nodes, 400 pods, 77 NetworkPolicies: 500 objects.
pub fn cluster_of_500(server: &FakeApiServer) {
    for n in 0..20 {
        server.insert(json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": format!("team-{n}"), "labels": {"team": format!("t{n}")}}}));
    }
    for n in 0..3 {
        server.insert(json!({"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": format!("kubedojo-worker{n}"), "labels": {"kubernetes.io/os": "linux"}},
            "spec": {"podCIDR": format!("10.244.{n}.0/24")},
            "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True"}]}}));
    }
    for n in 0..400 {
        server.insert(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("app-{n}"), "namespace": format!("team-{}", n % 20),
                         "labels": {"app": format!("app-{}", n % 7), "tier": if n % 2 == 0 { "web" } else { "db" }}},
            "spec": {"nodeName": format!("kubedojo-worker{}", n % 3),
                     "containers": [{"name": "main", "image": "registry.k8s.io/e2e-test-images/agnhost:2.52",
                                     "args": ["netexec", "--http-port=8080"],
                                     "ports": [{"containerPort": 8080, "name": "http"}],
                                     "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]},
            "status": {"phase": "Running", "podIP": format!("10.244.{}.{}", n % 3, n % 250 + 2),
                       "conditions": [{"type": "PodScheduled", "status": "True"}]}}));
    }
    for n in 0..77 {
        server.insert(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": format!("policy-{n}"), "namespace": format!("team-{}", n % 20)},
            "spec": {"podSelector": {"matchLabels": {"tier": "db"}}, "policyTypes": ["Ingress"],
                     "ingress": [{"from": [{"podSelector": {"matchLabels": {"tier": "web"}}}],
                                  "ports": [{"port": 8080}]}]}}),
        );
    }
}
