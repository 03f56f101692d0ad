//! `kubedojo reach` as a user runs it: exit codes, the JSON contract of
//! DESIGN.md, the explained single query, the e2e-style grid, and bad
//! input. Also: every equivalent answer shipped beside a netpol exercise
//! (`also-*.yaml`) passes `kubedojo check`.

// Helpers outside #[test] functions may panic too: this is a test crate.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kubedojo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubedojo"))
        // Never the learner's real progress database.
        .env(
            "KUBEDOJO_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/kubedojo-home"),
        )
        .args(args)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .output()
        .expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("one JSON document: {e}\n{}", stdout(o)))
}

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Files {
        Files {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn write(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p.display().to_string()
    }
}

/// Namespaces x and y, pods x/a, x/b, y/a serving TCP 80 (named http).
const CLUSTER: &str = r#"apiVersion: v1
kind: Namespace
metadata: {name: x}
---
apiVersion: v1
kind: Namespace
metadata: {name: "y", labels: {team: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {pod: a}}
spec:
  containers: [{name: c, image: agnhost, ports: [{containerPort: 80, name: http}]}]
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {pod: b}}
spec:
  containers: [{name: c, image: agnhost, ports: [{containerPort: 80, name: http}]}]
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: "y", labels: {pod: a}}
spec:
  containers: [{name: c, image: agnhost, ports: [{containerPort: 80, name: http}, {containerPort: 53, name: dns, protocol: UDP}]}]
status: {podIP: 10.0.1.1}
"#;

/// x/a accepts only x/b (e2e "x-a-allows-x-b").
const POLICY: &str = r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: x-a-allows-x-b
  namespace: x
spec:
  podSelector:
    matchLabels:
      pod: a
  ingress:
  - from:
    - podSelector:
        matchLabels:
          pod: b
"#;

#[test]
fn single_query_allowed_exits_0_with_the_json_contract() {
    let f = Files::new();
    let c = f.write("cluster.yaml", CLUSTER);
    let p = f.write("policy.yaml", POLICY);
    let o = kubedojo(&[
        "reach", "-f", &c, "-f", &p, "--from", "x/b", "--to", "x/a", "--port", "80", "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(
        v,
        serde_json::json!({"results": [{
            "from": "x/b", "to": "x/a", "port": 80, "protocol": "TCP",
            "allowed": true, "loopback": false,
            "egress": {"allowed": true, "policies": []},
            "ingress": {"allowed": true, "policies": ["x/x-a-allows-x-b"]}
        }]})
    );
}

#[test]
fn single_query_denied_exits_1_and_explains_with_lines() {
    let f = Files::new();
    let c = f.write("cluster.yaml", CLUSTER);
    let p = f.write("policy.yaml", POLICY);
    let o = kubedojo(&[
        "reach", "-f", &c, "-f", &p, "--from", "y/a", "--to", "x/a", "--port", "80",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("y/a -> x/a on 80/TCP: denied"), "{out}");
    assert!(
        out.contains("x/a is isolated for ingress by NetworkPolicy/x/x-a-allows-x-b"),
        "{out}"
    );
    assert!(
        out.contains("from[0] has a podSelector without namespaceSelector, so it only selects pods in the policy's namespace x; y/a is in namespace y"),
        "{out}"
    );
    // The peer's podSelector is at line 12 of policy.yaml.
    assert!(out.contains(&format!("at {p}:12:7")), "{out}");
    assert!(
        out.contains("it has no ports, so every port matches, but no peer matches y/a"),
        "{out}"
    );
    // Without --port, every container port of the destination is asked.
    let o = kubedojo(&[
        "reach", "-f", &c, "-f", &p, "--from", "x/a", "--to", "y/a", "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let ports: Vec<(i64, String)> = json(&o)["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["port"].as_i64().unwrap_or(0),
                r["protocol"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(ports, [(53, "UDP".to_string()), (80, "TCP".to_string())]);
}

#[test]
fn loopback_is_always_allowed() {
    let f = Files::new();
    let c = f.write("cluster.yaml", CLUSTER);
    let deny = f.write(
        "deny.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: x}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n",
    );
    let o = kubedojo(&[
        "reach", "-f", &c, "-f", &deny, "--from", "x/a", "--to", "x/a", "--port", "80", "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let r = &json(&o)["results"][0];
    assert_eq!(r["allowed"], true);
    assert_eq!(r["loopback"], true);
    assert_eq!(r["ingress"]["policies"], serde_json::json!(["x/deny"]));
}

#[test]
fn matrix_json_covers_every_pod_pair_and_port() {
    let f = Files::new();
    let c = f.write("cluster.yaml", CLUSTER);
    let p = f.write("policy.yaml", POLICY);
    let o = kubedojo(&["reach", "-f", &c, "-f", &p, "--port", "80", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let results = v["results"].as_array().expect("results");
    assert_eq!(results.len(), 9);
    let denied: Vec<String> = results
        .iter()
        .filter(|r| r["allowed"] == false)
        .map(|r| {
            format!(
                "{}->{}",
                r["from"].as_str().unwrap_or(""),
                r["to"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(denied, ["y/a->x/a"]);
    for r in results {
        let keys: Vec<&str> = r
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut keys = keys.clone();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "allowed", "egress", "from", "ingress", "loopback", "port", "protocol", "to"
            ]
        );
    }
}

#[test]
fn matrix_text_is_a_grid() {
    let f = Files::new();
    let c = f.write("cluster.yaml", CLUSTER);
    let p = f.write("policy.yaml", POLICY);
    let o = kubedojo(&["reach", "-f", &c, "-f", &p, "--port", "80"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "80/TCP\n\
         -    x/a  x/b  y/a\n\
         x/a  .    .    .\n\
         x/b  .    .    .\n\
         y/a  X    .    .\n\
         \n\
         . allowed, X denied; 8 of 9 connections allowed\n"
    );
    // One source against every pod: one row.
    let o = kubedojo(&[
        "reach", "-f", &c, "-f", &p, "--from", "y/a", "--port", "http",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("y/a  X    .    ."), "{}", stdout(&o));
}

#[test]
fn addresses_as_sources_and_destinations() {
    let f = Files::new();
    let c = f.write("cluster.yaml", CLUSTER);
    let p = f.write(
        "ipb.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ipb, namespace: x}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 192.168.0.0/16, except: [192.168.1.0/24]}\n",
    );
    let ask = |from: &str| {
        kubedojo(&[
            "reach", "-f", &c, "-f", &p, "--from", from, "--to", "x/a", "--port", "80",
        ])
        .status
        .code()
    };
    assert_eq!(ask("ip:192.168.7.7"), Some(0));
    assert_eq!(ask("ip:192.168.1.7"), Some(1));
    assert_eq!(ask("ip:10.9.9.9"), Some(1));
    let o = kubedojo(&[
        "reach",
        "-f",
        &c,
        "--from",
        "x/a",
        "--to",
        "ip:8.8.8.8",
        "--port",
        "53",
        "--protocol",
        "udp",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["results"][0]["protocol"], "UDP");
    let o = kubedojo(&["reach", "-f", &c, "--from", "x/a", "--to", "ip:8.8.8.8"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give --port"), "{}", stderr(&o));
}

#[test]
fn invalid_policies_are_rejected_with_file_and_line() {
    let f = Files::new();
    let c = f.write("cluster.yaml", CLUSTER);
    let bad = f.write(
        "bad.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: x}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}\n    ports:\n    - {protocol: tcp, port: 80}\n    - {endPort: 90}\n",
    );
    let o = kubedojo(&["reach", "-f", &c, "-f", &bad]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{bad}:8:")) && err.contains("must be a strict subset of `cidr`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{bad}:10:")) && err.contains("Unsupported value: \"tcp\""),
        "{err}"
    );
    assert!(
        err.contains("may not be specified when `port` is not specified"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
    let o = kubedojo(&["reach", "-f", &c, "-f", &bad, "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        json(&o)["error"]
            .as_str()
            .expect("error")
            .contains("strict subset")
    );
}

#[test]
fn bad_usage_exits_2() {
    let f = Files::new();
    let c = f.write("cluster.yaml", CLUSTER);
    for args in [
        vec!["reach", "-f", &c, "--from", "x/nope", "--to", "x/a"],
        vec!["reach", "-f", &c, "--from", "nope"],
        vec!["reach", "-f", &c, "--port", "70000"],
        vec!["reach", "-f", &c, "--port", "Not_A_Name"],
        vec!["reach", "-f", &c, "--protocol", "ICMP"],
        vec!["reach", "-f", "/nonexistent/file.yaml"],
        vec![
            "reach", "-f", &c, "--from", "x/a", "--to", "x/b", "--port", "metrics",
        ],
    ] {
        let o = kubedojo(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
        assert!(!stderr(&o).contains("panicked"));
    }
    let o = kubedojo(&["reach", "-f", &c, "--from", "x/nope", "--json"]);
    assert!(
        json(&o)["error"]
            .as_str()
            .unwrap_or("")
            .contains("no pod x/nope")
    );
}

/// Every netpol exercise ships equivalent answers written differently
/// (`also-*.yaml`); each must pass, as a learner's would.
#[test]
fn equivalent_answers_pass_the_netpol_exercises() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises/netpol");
    let mut checked = 0;
    for entry in std::fs::read_dir(&root).expect("exercises/netpol") {
        let dir: PathBuf = entry.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        let id = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        for f in std::fs::read_dir(&dir).expect("dir") {
            let path = f.expect("file").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !name.starts_with("also-") {
                continue;
            }
            let o = kubedojo(&["check", &id, path.to_str().expect("utf-8"), "--json"]);
            let v = json(&o);
            assert_eq!(o.status.code(), Some(0), "{id} {name}: {v:#}");
            assert_eq!(v["passed"], true, "{id} {name}");
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} equivalent answers found");
}
