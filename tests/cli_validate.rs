//! `kubedojo validate` as a user runs it: exit codes 0 (valid), 1
//! (invalid), 2 (a file cannot be read), and the stable JSON contract
//! `{valid, problems:[{file, line, column, object, path, message, hint}]}`.

// Test helpers may panic on broken fixtures: that is a test failure.
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
        .output()
        .expect("kubedojo runs")
}

fn data(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
        .display()
        .to_string()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

#[test]
fn valid_files_exit_0() {
    let out = kubedojo(&["validate", "-f", &data("corpus/workloads.yaml")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("valid: 6 objects in 1 file"), "{text}");
}

#[test]
fn invalid_files_exit_1_with_file_line_column() {
    let f = data("mistakes/pod-protocol-lowercase.yaml");
    let out = kubedojo(&["validate", "-f", &f]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "{f}:13:17: Pod/default/web: spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\""
        )),
        "{text}"
    );
    assert!(text.trim_end().ends_with("invalid: 1 problem"), "{text}");
}

#[test]
fn json_contract() {
    let f = data("mistakes/env-value-unquoted-number.yaml");
    let out = kubedojo(&["validate", "-f", &f, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    let problems = v["problems"].as_array().expect("problems array");
    assert_eq!(problems.len(), 1);
    let p = &problems[0];
    let keys: Vec<&str> = p
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "file", "line", "column", "object", "path", "message", "hint",
    ] {
        assert!(keys.contains(&k), "{k} missing from {p}");
    }
    assert_eq!(p["file"], f.as_str());
    assert_eq!(p["line"], 13);
    assert_eq!(p["column"], 14);
    assert_eq!(p["object"], "Pod/default/web");
    assert_eq!(p["path"], "spec.containers[0].env[0].value");
    assert!(
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("expected a string, got the number 8080"))
    );
    assert!(
        p["hint"]
            .as_str()
            .is_some_and(|h| h.contains("quote it: \"8080\""))
    );
}

#[test]
fn json_valid_has_empty_problems() {
    let out = kubedojo(&["validate", "--json", "-f", &data("corpus/services.yaml")]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["problems"].as_array().map(Vec::len), Some(0));
}

#[test]
fn object_is_null_when_unknown() {
    let out = kubedojo(&["validate", "--json", "-f", &data("mistakes/tabs.yaml")]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["problems"][0]["object"], serde_json::Value::Null);
    assert_eq!(v["problems"][0]["path"], serde_json::Value::Null);
}

#[test]
fn a_missing_file_exits_2_with_one_message() {
    let out = kubedojo(&["validate", "-f", "/no/such/file.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/no/such/file.yaml: no such file"), "{err}");
    assert!(!err.contains("panicked"));
    let out = kubedojo(&["validate", "--json", "-f", "/no/such/file.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        json(&out)["error"]
            .as_str()
            .is_some_and(|e| e.contains("no such file"))
    );
}

#[test]
fn a_directory_exits_2() {
    let out = kubedojo(&["validate", "-f", &data("corpus")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is a directory"), "{err}");
}

#[test]
fn no_file_is_a_usage_error() {
    let out = kubedojo(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn many_files_are_validated_together() {
    let a = data("corpus/crd.yaml");
    let b = data("mistakes/service-type-typo.yaml");
    let c = data("mistakes/label-yes-boolean.yaml");
    let out = kubedojo(&["validate", "--json", "-f", &a, "-f", &b, "--filename", &c]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let files: Vec<&str> = v["problems"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["file"].as_str())
        .collect();
    assert_eq!(files, [b.as_str(), c.as_str()]);
}

#[test]
fn a_custom_resource_needs_its_crd() {
    // The CronTab alone is an unknown kind; with its CRD in another file it is valid.
    let dir = tempfile::tempdir().expect("tempdir");
    let cr: PathBuf = dir.path().join("crontab.yaml");
    std::fs::write(
        &cr,
        "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: c\nspec:\n  cronSpec: \"* * * * */5\"\n",
    )
    .expect("write");
    let cr = cr.display().to_string();
    let alone = kubedojo(&["validate", "-f", &cr]);
    assert_eq!(alone.status.code(), Some(1));
    let with_crd = kubedojo(&["validate", "-f", &data("corpus/crd.yaml"), "-f", &cr]);
    assert_eq!(
        with_crd.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&with_crd.stdout)
    );
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubedojo"))
        // Never the learner's real progress database.
        .env(
            "KUBEDOJO_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/kubedojo-home"),
        )
        .args([
            "validate",
            "-f",
            &data("mistakes/containerport-lowercase.yaml"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    drop(child.stdout.take());
    let status = child.wait().expect("exits");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("reads");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(status.code(), Some(1));
}
