//! `kubedojo check --live` records the attempt in progress like the
//! offline check, with source `live`: through the real binary, a fake API
//! server and a temporary data directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/cluster.rs"]
mod cluster;
#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;
mod progress_common;

use fake_apiserver::{FakeApiServer, Mode};
use kubedojo::content::Exercise;
use progress_common::{json, kubedojo, run, stderr};
use std::path::Path;
use std::process::Output;

/// A fake cluster holding the exercise's given objects and these files.
fn cluster_with(ex: &Exercise, files: &[String]) -> FakeApiServer {
    let content = cluster::fixture_content();
    let server = FakeApiServer::start();
    let inputs = cluster::inputs(&content, ex, &ex.given)
        .into_iter()
        .chain(cluster::inputs(&content, ex, files))
        .collect::<Vec<_>>();
    for o in cluster::objects_of(&inputs) {
        server.insert(o);
    }
    server
}

/// `kubedojo check live-web-replicas --live --json` against `server`,
/// progress kept in `data`.
fn check_live(data: &Path, home: &Path, server: &FakeApiServer) -> Output {
    let kubeconfig = home.join("config");
    std::fs::write(&kubeconfig, server.kubeconfig("kind-kubedojo")).unwrap();
    run(kubedojo(data)
        .arg("--content")
        .arg(cluster::fixture_dir())
        .args(["check", "live-web-replicas", "--live", "--json"])
        .env("KUBECONFIG", &kubeconfig)
        .env("HOME", home))
}

fn exported(data: &Path) -> Vec<serde_json::Value> {
    let o = run(kubedojo(data).args(["progress", "--export", "json"]));
    assert!(o.status.success(), "{}", stderr(&o));
    json(&o)["attempts"].as_array().unwrap().clone()
}

#[test]
fn live_checks_are_recorded_with_source_live() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let ex = cluster::fixture_content()
        .exercise("live-web-replicas")
        .unwrap();

    let wrong = cluster_with(&ex, &ex.wrong[0].files);
    let o = check_live(&data, tmp.path(), &wrong);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "recording is silent when it works");
    let printed = json(&o);

    let right = cluster_with(&ex, &ex.solution);
    let o = check_live(&data, tmp.path(), &right);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let attempts = exported(&data);
    assert_eq!(attempts.len(), 2);
    for a in &attempts {
        assert_eq!(a["exercise"], "live-web-replicas");
        assert_eq!(a["source"], "live");
        assert_eq!(a["learner"], "tester");
    }
    assert_eq!(attempts[0]["passed"], false);
    assert_eq!(attempts[0]["score"], printed["score"]);
    assert_eq!(attempts[0]["max_score"], printed["max_score"]);
    // The findings are kept as `check --live --json` printed them.
    assert_eq!(attempts[0]["findings"], printed["findings"]);
    let failed: Vec<&str> = attempts[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["passed"] == false)
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["two-replicas", "service-account"]);
    assert_eq!(attempts[1]["passed"], true);
    assert_eq!(attempts[1]["score"], attempts[1]["max_score"]);

    // The summary counts live attempts like offline ones.
    let o = run(kubedojo(&data)
        .arg("--content")
        .arg(cluster::fixture_dir())
        .args(["progress", "--json"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let s = json(&o);
    assert_eq!(s["attempts"], 2);
    assert_eq!(s["passed_attempts"], 1);
}

#[test]
fn a_cluster_that_cannot_be_graded_records_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let server = FakeApiServer::start();
    server.set_mode(Mode::Unauthorized);
    let o = check_live(&data, tmp.path(), &server);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(exported(&data).len(), 0);
}
