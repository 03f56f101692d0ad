//! Exercise setup and reset against the fake API server: setup applies the
//! given files by server-side apply as field manager `kubedojo`, labelling
//! every object; reset deletes exactly the labelled objects.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/cluster.rs"]
mod cluster;
#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;

use cluster::{fixture_content, session_for};
use fake_apiserver::FakeApiServer;
use kubedojo::live::LiveError;
use kubedojo::live::fixtures::{reset, setup};
use serde_json::json;

/// Objects a learner's cluster already holds, none of them kubedojo's.
fn unrelated(server: &FakeApiServer) {
    server.insert(
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-system"}}),
    );
    server.insert(json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "coredns", "namespace": "kube-system"}, "data": {"Corefile": "."}}));
    server.insert(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "mine"}}));
    server.insert(json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "web-config", "namespace": "mine"}, "data": {"x": "y"}}));
    server.insert(json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]}}));
}

#[test]
fn setup_applies_the_given_files_by_server_side_apply_and_labels_everything() {
    let content = fixture_content();
    let ex = content.exercise("live-db-policy").unwrap();
    let server = FakeApiServer::start();
    let session = session_for(&server);
    server.clear_log();
    let applied = setup(&session, &content, &ex).unwrap();
    assert_eq!(
        applied.applied,
        ["Namespace/prod", "Pod/prod/web", "Pod/prod/db"]
    );
    assert_eq!(applied.skipped.len(), 1);
    assert_eq!(applied.skipped[0].0, "Node/kubedojo-worker");

    let patches: Vec<_> = server
        .log()
        .into_iter()
        .filter(|l| l.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 3);
    for p in &patches {
        assert_eq!(p.header("content-type"), ["application/apply-patch+yaml"]);
        assert_eq!(
            p.query.get("fieldManager").map(String::as_str),
            Some("kubedojo")
        );
        assert_eq!(p.query.get("force").map(String::as_str), Some("true"));
        let labels = &p.body["metadata"]["labels"];
        assert_eq!(
            labels["kubedojo.dev/exercise"], "live-db-policy",
            "{}",
            p.path
        );
        assert_eq!(
            labels["app.kubernetes.io/managed-by"], "kubedojo",
            "{}",
            p.path
        );
        assert!(
            p.body.get("status").is_none(),
            "status is the cluster's to write"
        );
    }
    assert_eq!(
        patches[0].path, "/api/v1/namespaces/prod",
        "namespaces first"
    );
    let db = server.find("Pod", Some("prod"), "db").unwrap();
    assert_eq!(
        db["metadata"]["labels"]["app"], "db",
        "the file's own labels are kept"
    );
    assert_eq!(db["metadata"]["managedFields"][0]["manager"], "kubedojo");
    // Setup again is a no-op apply, not an error.
    setup(&session, &content, &ex).unwrap();
}

#[test]
fn reset_deletes_exactly_the_labelled_objects() {
    let content = fixture_content();
    let ex = content.exercise("live-web-replicas").unwrap();
    let other = content.exercise("live-db-policy").unwrap();
    let server = FakeApiServer::start();
    unrelated(&server);
    let session = session_for(&server);
    setup(&session, &content, &ex).unwrap();
    setup(&session, &content, &other).unwrap();
    // The learner's own work, unlabelled, outside the exercise namespace.
    server.insert(json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "mine"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": []}}}}));
    let before = server.objects();
    server.clear_log();

    let deleted = reset(&session, &content, &ex).unwrap();
    assert_eq!(deleted, ["ConfigMap/team-a/web-config", "Namespace/team-a"]);

    let log = server.log();
    // Lists only by the exercise's label selector.
    for l in log.iter().filter(|l| l.method == "GET") {
        assert_eq!(
            l.query.get("labelSelector").map(String::as_str),
            Some("kubedojo.dev/exercise=live-web-replicas,app.kubernetes.io/managed-by=kubedojo"),
            "{}",
            l.path
        );
    }
    // Every DELETE names an object that carried this exercise's label.
    let deletes: Vec<_> = log.iter().filter(|l| l.method == "DELETE").collect();
    assert_eq!(deletes.len(), 2);
    for d in &deletes {
        let target = before
            .iter()
            .find(|o| {
                let meta = &o["metadata"];
                let path_ns = meta["namespace"]
                    .as_str()
                    .map(|ns| format!("/namespaces/{ns}"))
                    .unwrap_or_default();
                d.path
                    .ends_with(&format!("/{}", meta["name"].as_str().unwrap()))
                    && (path_ns.is_empty() || d.path.contains(&path_ns))
            })
            .unwrap_or_else(|| panic!("DELETE {} names no object", d.path));
        assert_eq!(
            target["metadata"]["labels"]["kubedojo.dev/exercise"], "live-web-replicas",
            "{}",
            d.path
        );
    }
    assert!(
        log.iter().all(|l| l.method != "PATCH"),
        "reset applies nothing"
    );

    // Everything else is still there: kube-system, the learner's namespace
    // and its objects (a same-named ConfigMap too), the other exercise.
    let after = server.objects();
    for (kind, ns, name) in [
        ("ConfigMap", Some("kube-system"), "coredns"),
        ("ConfigMap", Some("mine"), "web-config"),
        ("Deployment", Some("mine"), "web"),
        ("Pod", Some("default"), "web"),
        ("Namespace", None, "prod"),
        ("Pod", Some("prod"), "db"),
    ] {
        assert!(
            server.find(kind, ns, name).is_some(),
            "{kind} {ns:?} {name} was kept"
        );
    }
    assert_eq!(after.len(), before.len() - 2);
    // A second reset finds nothing to delete.
    assert!(reset(&session, &content, &ex).unwrap().is_empty());
}

#[test]
fn setup_refuses_to_take_over_an_object_it_did_not_create() {
    let content = fixture_content();
    let ex = content.exercise("live-web-replicas").unwrap();
    let server = FakeApiServer::start();
    server.insert(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}}));
    let session = session_for(&server);
    server.clear_log();
    let err = setup(&session, &content, &ex).unwrap_err();
    assert!(matches!(err, LiveError::NotOurs { .. }), "{err}");
    assert!(
        err.to_string().contains("Namespace/team-a already exists"),
        "{err}"
    );
    assert_eq!(server.count("PATCH", |_| true), 0, "nothing was changed");
    // And so a reset can never delete it.
    assert!(reset(&session, &content, &ex).unwrap().is_empty());
    assert!(server.find("Namespace", None, "team-a").is_some());
}
