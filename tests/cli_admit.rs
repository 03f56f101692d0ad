//! `kubedojo admit`: results in order, usage, wording, bad input.

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

const STATE: &str = r#"
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: dev}
spec:
  hard: {requests.cpu: "1", limits.cpu: "2", pods: "3"}
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: dev}
spec:
  limits:
  - type: Container
    max: {cpu: 500m}
---
apiVersion: v1
kind: Pod
metadata: {name: old, namespace: dev}
spec:
  nodeName: n1
  containers:
  - {name: app, image: nginx, resources: {requests: {cpu: 500m}, limits: {cpu: 500m}}}
"#;

const NEW: &str = r#"
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: dev}
spec:
  containers: [{name: nginx, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: dev}
spec:
  containers: [{name: nginx, image: nginx}]
"#;

#[test]
fn admits_in_order_with_limitrange_defaults_from_max() {
    let s = file(STATE);
    let n = file(NEW);
    let (code, out, _) = run(&[
        "admit",
        "-f",
        s.path().to_str().expect("p"),
        "--admit",
        n.path().to_str().expect("p"),
        "--json",
    ]);
    assert_eq!(code, 1, "the second pod is rejected: {out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let r = v["results"].as_array().expect("results");
    assert_eq!(r[0]["pod"], "dev/a");
    assert_eq!(r[0]["admitted"], true);
    assert!(r[0]["reason"].is_null());
    // A LimitRange with only max still defaults the limit and the request.
    let d = r[0]["defaults_applied"].as_array().expect("defaults");
    assert_eq!(d.len(), 2);
    assert_eq!(d[0]["field"], "limits");
    assert_eq!(d[0]["resource"], "cpu");
    assert_eq!(d[0]["value"], "500m");
    assert_eq!(d[0]["by"], "LimitRange/dev/defaults");
    assert_eq!(d[0]["container"], "nginx");
    assert_eq!(r[1]["admitted"], false);
    assert_eq!(
        r[1]["reason"],
        "exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1"
    );
    let u = &v["usage"][0];
    assert_eq!(u["quota"], "compute");
    assert_eq!(u["namespace"], "dev");
    assert_eq!(u["used"]["requests.cpu"], "1");
    assert_eq!(u["used"]["pods"], "2");
}

#[test]
fn text_output_reads_like_kubectl() {
    let s = file(STATE);
    let n = file(NEW);
    let (_, out, _) = run(&[
        "admit",
        "-f",
        s.path().to_str().expect("p"),
        "--admit",
        n.path().to_str().expect("p"),
    ]);
    assert!(
        out.contains(
            "Error from server (Forbidden): pods \"b\" is forbidden: exceeded quota: compute"
        ),
        "{out}"
    );
}

#[test]
fn bad_input_is_exit_2() {
    let s = file(
        "apiVersion: v1\nkind: LimitRange\nmetadata: {name: l, namespace: dev}\nspec:\n  limits:\n  - type: Container\n    max: {cpu: 500m}\n    default: {cpu: \"1\"}\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: dev}\nspec:\n  hard: {pods: \"1\"}\n  scopes: [BestEfort]\n",
    );
    let n = file(NEW);
    let (code, _, err) = run(&[
        "admit",
        "-f",
        s.path().to_str().expect("p"),
        "--admit",
        n.path().to_str().expect("p"),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("default value 1 is greater than max value 500m"),
        "{err}"
    );
    assert!(err.contains("unsupported scope"), "{err}");
    // --admit takes Pods only.
    let s = file(STATE);
    let (code, _, err) = run(&[
        "admit",
        "-f",
        s.path().to_str().expect("p"),
        "--admit",
        s.path().to_str().expect("p"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--admit takes Pods"), "{err}");
}
