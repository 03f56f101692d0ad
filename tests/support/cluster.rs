//! Helpers for live-mode tests: a session on the fake API server, the
//! test exercises, and an exercise's files as the objects a cluster would
//! hold after `kubectl apply`.

#![allow(dead_code)]

use crate::fake_apiserver::FakeApiServer;
use kubedojo::content::{Content, ContentSource, Exercise};
use kubedojo::live::target::{Target, resolve_in};
use kubedojo::live::{DEFAULT_CONTEXT, Session};
use kubedojo::model::load::Input;
use serde_json::Value;
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
