//! `kubedojo can-i` as a user runs it: exit codes (0 yes, 1 no, 2 bad
//! input), the JSON contract `{allowed, reason, matched}`, kubectl's
//! warnings and the `--list` table.

// Test helpers may panic: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

const RBAC: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: dev
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "watch"]
- apiGroups: ["apps"]
  resources: ["deployments", "deployments/scale"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: jane-read
  namespace: dev
subjects:
- kind: User
  name: jane
- kind: ServiceAccount
  name: app
roleRef:
  kind: Role
  name: pod-reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: team-view
  namespace: dev
subjects:
- kind: Group
  name: team
  apiGroup: rbac.authorization.k8s.io
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
"#;

struct Files {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn write(contents: &str) -> Files {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rbac.yaml");
    std::fs::write(&path, contents).unwrap();
    Files { _dir: dir, path }
}

fn run(args: &[&str], files: &Files) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubedojo"))
        // Never the learner's real progress database.
        .env(
            "KUBEDOJO_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/kubedojo-home"),
        )
        .arg("can-i")
        .args(args)
        .arg("-f")
        .arg(&files.path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn yes_is_exit_0_and_no_is_exit_1() {
    let f = write(RBAC);
    let o = run(&["get", "pods", "-n", "dev", "--as", "jane"], &f);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "yes\n");
    assert!(stderr(&o).contains("allowed by RoleBinding/dev/jane-read"));
    let o = run(&["list", "pods", "-n", "dev", "--as", "jane"], &f);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "no\n");
    // the nearest miss names the rule and its line
    let err = stderr(&o);
    assert!(
        err.contains("grants Role pod-reader, which allows get and watch on pods, but not list"),
        "{err}"
    );
    assert!(err.contains("rbac.yaml:8:3"), "{err}");
    // another namespace
    let o = run(&["get", "pods", "-n", "prod", "--as", "jane"], &f);
    assert_eq!(o.status.code(), Some(1));
    // -q prints nothing, the exit code answers
    let o = run(&["get", "pods", "-n", "dev", "--as", "jane", "-q"], &f);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "");
    assert_eq!(stderr(&o), "");
}

#[test]
fn json_contract() {
    let f = write(RBAC);
    let o = run(&["get", "po", "-n", "dev", "--as", "jane", "--json"], &f);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["allowed"], true);
    assert_eq!(
        v["reason"],
        "RBAC: allowed by RoleBinding \"jane-read/dev\" of Role \"pod-reader\" to User \"jane\""
    );
    assert_eq!(
        v["matched"],
        serde_json::json!({"binding": "RoleBinding/dev/jane-read", "role": "Role/dev/pod-reader", "rule_index": 0})
    );
    // subresource and group resolution: deployments.apps/scale is rule 1
    let o = run(
        &[
            "get",
            "deploy",
            "--subresource",
            "scale",
            "-n",
            "dev",
            "--as",
            "jane",
            "--json",
        ],
        &f,
    );
    assert_eq!(json(&o)["matched"]["rule_index"], 1);
    let o = run(
        &["delete", "pods", "-n", "dev", "--as", "jane", "--json"],
        &f,
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["allowed"], false);
    assert_eq!(v["matched"], serde_json::Value::Null);
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .starts_with("RBAC: no rules authorize user \"jane\"")
    );
}

#[test]
fn service_accounts_groups_and_defaults() {
    let f = write(RBAC);
    // a ServiceAccount subject without namespace is the binding's namespace
    let o = run(
        &[
            "get",
            "pods",
            "-n",
            "dev",
            "--as",
            "system:serviceaccount:dev:app",
        ],
        &f,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(
        &[
            "get",
            "pods",
            "-n",
            "dev",
            "--as",
            "system:serviceaccount:ci:app",
        ],
        &f,
    );
    assert_eq!(o.status.code(), Some(1));
    // a RoleBinding to the built-in view ClusterRole (aggregated)
    let o = run(
        &[
            "list",
            "deployments.apps",
            "-n",
            "dev",
            "--as",
            "bob",
            "--as-group",
            "team",
            "--json",
        ],
        &f,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["matched"]["role"], "ClusterRole/view");
    // view does not read secrets
    let o = run(
        &[
            "get",
            "secrets",
            "-n",
            "dev",
            "--as",
            "bob",
            "--as-group",
            "team",
        ],
        &f,
    );
    assert_eq!(o.status.code(), Some(1));
    // --no-defaults leaves view out
    let o = run(
        &[
            "list",
            "deployments.apps",
            "-n",
            "dev",
            "--as",
            "bob",
            "--as-group",
            "team",
            "--no-defaults",
        ],
        &f,
    );
    assert_eq!(o.status.code(), Some(1));
    // system:masters is allowed by the API server's privileged-group
    // authorizer before RBAC is asked (pkg/kubeapiserver/authorizer/config.go
    // NewPrivilegedGroups(user.SystemPrivilegedGroup)): even with no
    // cluster-admin binding at all, and with no matched rule.
    for defaults in [&[][..], &["--no-defaults"][..]] {
        let mut args = vec![
            "delete",
            "nodes",
            "--as",
            "root",
            "--as-group",
            "system:masters",
        ];
        args.extend_from_slice(defaults);
        let o = run(&args, &f);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "yes\n");
        assert!(
            stderr(&o).contains("before RBAC is asked"),
            "{}",
            stderr(&o)
        );
        args.push("--json");
        let j = json(&run(&args, &f));
        assert_eq!(j["allowed"], true);
        assert!(j["matched"].is_null(), "{j}");
    }
    // The group name is compared exactly.
    let o = run(
        &[
            "delete",
            "nodes",
            "--as",
            "root",
            "--as-group",
            "System:Masters",
            "--no-defaults",
        ],
        &f,
    );
    assert_eq!(o.status.code(), Some(1));
    // every authenticated user may read the discovery URLs
    let o = run(&["get", "/api/v1", "--as", "anyone"], &f);
    assert_eq!(o.status.code(), Some(0));
    let o = run(&["get", "/metrics", "--as", "anyone"], &f);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn kubectl_warnings() {
    let f = write(RBAC);
    let o = run(&["get", "widgets", "-n", "dev", "--as", "jane"], &f);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Warning: the server doesn't have a resource type 'widgets'"),
        "{}",
        stderr(&o)
    );
    let o = run(&["get", "nodes", "--as", "jane"], &f);
    assert!(stderr(&o).contains("Warning: resource 'nodes' is not namespace scoped"));
    let o = run(&["frob", "pods", "-n", "dev", "--as", "jane"], &f);
    assert!(stderr(&o).contains("Warning: verb 'frob' is not a known verb"));
}

#[test]
fn list_prints_kubectls_table() {
    let f = write(RBAC);
    let o = run(&["--list", "-n", "dev", "--as", "jane"], &f);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("Resources "), "{out}");
    assert!(
        lines[0].ends_with("Non-Resource URLs   Resource Names   Verbs"),
        "{out}"
    );
    assert!(out.contains("pods "), "{out}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("pods ") && l.ends_with("[get watch]")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("deployments.apps/scale ")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.trim_start().starts_with("[/healthz]")),
        "{out}"
    );
    let o = run(
        &[
            "--list",
            "-n",
            "dev",
            "--as",
            "jane",
            "--no-headers",
            "--no-defaults",
        ],
        &f,
    );
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 3, "{out}");
    let o = run(&["--list", "-n", "dev", "--as", "jane", "--json"], &f);
    let v = json(&o);
    assert_eq!(v["namespace"], "dev");
    assert!(
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["resources"] == "pods")
    );
}

#[test]
fn usage_and_bad_input_are_exit_2() {
    let f = write(RBAC);
    let o = run(&["get", "--as", "jane"], &f);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("you must specify two arguments"));
    let o = run(&["--list", "get", "pods", "--as", "jane"], &f);
    assert_eq!(o.status.code(), Some(2));
    let o = run(
        &["get", "/healthz", "--subresource", "x", "--as", "jane"],
        &f,
    );
    assert_eq!(o.status.code(), Some(2));
    let o = Command::new(env!("CARGO_BIN_EXE_kubedojo"))
        // Never the learner's real progress database.
        .env(
            "KUBEDOJO_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/kubedojo-home"),
        )
        .args([
            "can-i",
            "get",
            "pods",
            "--as",
            "jane",
            "-f",
            "/nonexistent/rbac.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    // a rule the API server would reject is reported with its line, not evaluated
    let bad = write(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: mixed\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  nonResourceURLs: [\"/healthz\"]\n  verbs: [\"get\"]\n",
    );
    let o = run(&["get", "pods", "--as", "jane"], &bad);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("rbac.yaml:8:3"), "{err}");
    assert!(
        err.contains("rules cannot apply to both regular resources and non-resource URLs"),
        "{err}"
    );
    let o = run(&["get", "pods", "--as", "jane", "--json"], &bad);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert!(v["error"].is_string());
    assert_eq!(v["problems"][0]["line"], 8);
    // roleRef to an unknown kind
    let bad = write(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\n  namespace: dev\nroleRef:\n  kind: Policy\n  name: x\nsubjects:\n- kind: User\n  name: jane\n",
    );
    let o = run(&["get", "pods", "--as", "jane"], &bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("roleRef.kind: Unsupported value: \"Policy\""));
}

#[test]
fn missing_roles_print_the_authorizers_reason() {
    let f = write(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\n  namespace: dev\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: ghost\nsubjects:\n- kind: User\n  name: jane\n",
    );
    let o = run(&["get", "pods", "-n", "dev", "--as", "jane"], &f);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "no - RBAC: role.rbac.authorization.k8s.io \"ghost\" not found\n"
    );
    assert!(
        stderr(&o).contains("which does not exist: a binding to a missing role grants nothing")
    );
}

/// kubectl resolves an installed CRD through discovery, so a type named
/// by a CRD in the files is no unknown type; a ClusterRole labelled
/// aggregate-to-view brings it into the built-in view.
#[test]
fn installed_crds_resolve_and_aggregate_into_view() {
    let crd = RBAC.to_string()
        + r#"---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.backup.example.com
spec:
  group: backup.example.com
  scope: Namespaced
  names: {plural: backups, singular: backup, kind: Backup, shortNames: [bk]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: backups-view
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- apiGroups: [backup.example.com]
  resources: [backups]
  verbs: [get, list, watch]
"#;
    let f = write(&crd);
    for t in ["backups", "bk", "backups.backup.example.com"] {
        let o = run(
            &["list", t, "-n", "dev", "--as", "x", "--as-group", "team"],
            &f,
        );
        assert_eq!(o.status.code(), Some(0), "{t}: {}", stderr(&o));
        assert!(!stderr(&o).contains("Warning"), "{t}: {}", stderr(&o));
    }
    let o = run(
        &[
            "delete",
            "bk",
            "-n",
            "dev",
            "--as",
            "x",
            "--as-group",
            "team",
        ],
        &f,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // without the CRD the same name is unknown, as kubectl says
    let f = write(RBAC);
    let o = run(
        &["list", "bk", "-n", "dev", "--as", "x", "--as-group", "team"],
        &f,
    );
    assert!(stderr(&o).contains("Warning: the server doesn't have a resource type 'bk'"));
}
