//! `kubedojo podsec` end to end: exit codes, the JSON contract, kubectl's
//! wording in text mode, bad input.

// Test helpers fail loudly on broken fixtures.
#![allow(clippy::expect_used)]

use serde_json::Value;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubedojo"))
        // Never the learner's real progress database.
        .env(
            "KUBEDOJO_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/kubedojo-home"),
        )
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("kubedojo runs")
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("write");
    p.display().to_string()
}

const NAMESPACE: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: prod
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted
";

const PODS: &str = "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod}
spec:
  containers:
  - {name: app, image: nginx}
---
apiVersion: v1
kind: Pod
metadata: {name: root, namespace: prod}
spec:
  containers:
  - name: app
    image: nginx
    securityContext: {privileged: true}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: prod}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - {name: api, image: x}
";

#[test]
fn json_follows_namespace_labels() {
    let d = tempfile::tempdir().expect("tmp");
    let ns = write(&d, "ns.yaml", NAMESPACE);
    let pods = write(&d, "pods.yaml", PODS);
    let out = run(&["podsec", "-f", &ns, "-f", &pods, "--json"]);
    assert_eq!(out.status.code(), Some(1), "the privileged pod is denied");
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let results = v["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["object"], "Pod/prod/web");
    assert_eq!(results[0]["level"], "baseline");
    assert_eq!(results[0]["allowed"], true);
    assert_eq!(results[0]["outcome"], "warned");
    assert!(
        results[0]["warnings"][0]
            .as_str()
            .expect("warning")
            .starts_with(
                "would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"
            )
    );
    assert_eq!(results[1]["allowed"], false);
    assert_eq!(results[1]["violations"][0]["check"], "privileged");
    assert_eq!(results[1]["violations"][0]["reason"], "privileged");
    assert_eq!(
        results[1]["violations"][0]["detail"],
        "container \"app\" must not set securityContext.privileged=true"
    );
    assert_eq!(results[2]["object"], "Deployment/prod/api");
    assert_eq!(results[2]["outcome"], "warned");
}

#[test]
fn level_flag_overrides_labels_and_text_reads_like_kubectl() {
    let d = tempfile::tempdir().expect("tmp");
    let pods = write(&d, "pods.yaml", PODS);
    // no Namespace object: privileged, everything allowed
    let out = run(&["podsec", "-f", &pods]);
    assert_eq!(out.status.code(), Some(0));
    let out = run(&["podsec", "-f", &pods, "--level", "restricted"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("pods \"web\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"app\" must set securityContext.allowPrivilegeEscalation=false)"),
        "{text}"
    );
    assert!(text.contains("0 of 3 objects allowed"), "{text}");
}

#[test]
fn objects_are_judged_as_written() {
    // validation would reject this pod (no image, a Windows pod with
    // seLinuxOptions, an unknown field); admission still judges it
    let d = tempfile::tempdir().expect("tmp");
    let f = write(
        &d,
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  os: {name: windows}\n  bogus: 1\n  securityContext:\n    seLinuxOptions: {user: x}\n    seccompProfile: {}\n  containers:\n  - name: c\n",
    );
    let out = run(&["podsec", "-f", &f, "--level", "baseline", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let checks: Vec<&str> = v["results"][0]["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|x| x["check"].as_str().expect("check"))
        .collect();
    // an empty seccompProfile type is neither RuntimeDefault nor Localhost
    assert_eq!(checks, vec!["seLinuxOptions", "seccompProfile_baseline"]);
    assert_eq!(
        v["results"][0]["violations"][1]["detail"],
        "pod must not set securityContext.seccompProfile.type to \"\""
    );
}

#[test]
fn bad_input_exits_2() {
    let d = tempfile::tempdir().expect("tmp");
    let f = write(
        &d,
        "bad.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n",
    );
    let out = run(&["podsec", "-f", &f, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json error document");
    assert!(v["error"].as_str().expect("error").contains("bad.yaml:"));
    let out = run(&["podsec", "-f", &f, "--level", "strict"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("privileged, baseline, restricted"), "{err}");
    let out = run(&["podsec", "-f", "/nonexistent/pods.yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_container_level_solution_is_accepted_too() {
    // every correct answer passes, not only the reference solution
    let out = run(&[
        "check",
        "restricted-pod",
        "exercises/podsec/restricted-pod/solution-container-level.yaml",
        "--json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["passed"], true, "{v}");
    assert_eq!(out.status.code(), Some(0));
}
