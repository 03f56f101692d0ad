//! `kubedojo schedule`: the JSON contract, explanations, exit codes and
//! bad input.

#![allow(clippy::expect_used)] // fixtures built in code; a failure is a bug in the test itself

use std::io::Write;
use std::process::Command;

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new()
        .suffix(".yaml")
        .tempfile()
        .expect("temp");
    f.write_all(text.as_bytes()).expect("write");
    f
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kubedojo"))
        // Never the learner's real progress database.
        .env(
            "KUBEDOJO_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/kubedojo-home"),
        )
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const CLUSTER: &str = r#"
apiVersion: v1
kind: Node
metadata: {name: node-1, labels: {pool: general}}
status: {allocatable: {cpu: "2", memory: 4Gi, pods: "110"}}
---
apiVersion: v1
kind: Node
metadata: {name: node-2, labels: {pool: gpu}}
spec:
  taints:
  - {key: dedicated, value: gpu, effect: NoSchedule}
  - {key: maintenance, effect: NoExecute}
  - {key: noisy, effect: PreferNoSchedule}
status: {allocatable: {cpu: "8", memory: 16Gi, pods: "110"}}
---
apiVersion: v1
kind: Node
metadata: {name: node-3, labels: {pool: general}}
spec:
  unschedulable: true
status: {allocatable: {cpu: "8", memory: 16Gi, pods: "110"}}
---
apiVersion: v1
kind: Pod
metadata: {name: typo, namespace: ml}
spec:
  tolerations:
  - {key: dedicated, operator: Equal, value: gpus, effect: NoSchedule}
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: good}
spec:
  tolerations:
  - {key: dedicated, operator: Exists}
  - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 120}
  containers: [{name: c, image: busybox, resources: {requests: {cpu: "1"}}}]
"#;

#[test]
fn json_contract() {
    let f = file(CLUSTER);
    let path = f.path().to_str().expect("path");
    let (code, out, _) = run(&["schedule", "-f", path, "--json"]);
    assert_eq!(code, 0, "every pod fits somewhere: {out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let pods = v["pods"].as_array().expect("pods");
    assert_eq!(pods.len(), 2);
    let typo = &pods[0];
    assert_eq!(typo["pod"], "ml/typo");
    let n2 = &typo["nodes"][1];
    assert_eq!(n2["node"], "node-2");
    assert_eq!(n2["fits"], false);
    assert!(n2["taint_score"].is_null());
    assert_eq!(
        n2["reasons"][0],
        "taint dedicated=gpu:NoSchedule is not tolerated: your toleration has value gpus"
    );
    let n3 = &typo["nodes"][2];
    assert_eq!(n3["scheduler_messages"][0], "node(s) were unschedulable");
    // The untolerated NoExecute taint evicts at once.
    assert_eq!(typo["evicted_from"][0]["node"], "node-2");
    assert_eq!(typo["evicted_from"][0]["after_seconds"], 0);
    let good = &pods[1];
    assert_eq!(good["pod"], "default/good");
    // Both fitting nodes scored: node-2 has an untolerated PreferNoSchedule taint.
    assert_eq!(good["nodes"][0]["taint_score"], 100);
    assert_eq!(good["nodes"][1]["taint_score"], 0);
    assert_eq!(good["evicted_from"][0]["after_seconds"], 120);
}

#[test]
fn one_pod_and_exit_code() {
    let f = file(CLUSTER);
    let path = f.path().to_str().expect("path");
    let (code, out, _) = run(&["schedule", "-f", path, "--pod", "good"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("default/good can run on node-1, node-2"),
        "{out}"
    );
    let (code, _, err) = run(&["schedule", "-f", path, "--pod", "ml/missing"]);
    assert_eq!(code, 2);
    assert!(err.contains("no pod ml/missing"));
    let picky = file(&format!(
        "{CLUSTER}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: picky}}\nspec:\n  nodeSelector: {{pool: none}}\n  containers: [{{name: c, image: busybox}}]\n"
    ));
    let (code, out, _) = run(&[
        "schedule",
        "-f",
        picky.path().to_str().expect("path"),
        "--pod",
        "picky",
    ]);
    assert_eq!(code, 1, "a pod that fits no node: {out}");
    assert!(out.contains("nodeSelector pool=none"));
}

#[test]
fn bad_input_is_exit_2_with_file_and_line() {
    let f = file(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  tolerations:\n  - {key: a, operator: Exists, value: x, effect: NoSchedul}\n  containers:\n  - name: c\n    image: busybox\n    resources: {requests: {memory: 1gi}}\n",
    );
    let path = f.path().to_str().expect("path");
    let (code, out, err) = run(&["schedule", "-f", path]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains(":6:"), "{err}");
    assert!(
        err.contains("value must be empty when `operator` is 'Exists'"),
        "{err}"
    );
    assert!(err.contains("Unsupported value: \"NoSchedul\""), "{err}");
    assert!(err.contains(":10:"), "{err}");
    assert!(
        err.contains("quantities must match the regular expression"),
        "{err}"
    );
    let (code, out, _) = run(&["schedule", "-f", path, "--json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json error document");
    assert!(
        v["error"]
            .as_str()
            .is_some_and(|e| e.contains("value must be empty"))
    );
    let (code, _, err) = run(&["schedule", "-f", "/nonexistent/x.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file"));
}
