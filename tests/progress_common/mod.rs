//! Helpers shared by the progress integration tests: running the real
//! binary with a temporary data directory (never the learner's real one)
//! and a small content directory with one exercise.

#![allow(dead_code)]
// Test support: a failed setup step should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_kubedojo");

/// The binary with a clean environment for progress: data in `data`, a
/// fixed learner name, no colours.
pub fn kubedojo(data: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env("KUBEDOJO_HOME", data)
        .env("USER", "tester")
        .env_remove("KUBEDOJO_LEARNER")
        .env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KUBEDOJO_LANG");
    c
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("kubedojo runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON document ({e}): {}", stdout(o)))
}

/// A content directory with one exercise (`cm-demo`, topic rbac, CKA
/// domain cluster-architecture) graded by the `exists` checker, a lesson,
/// and a deck of two review cards. Returns (content dir, solution file,
/// wrong file).
pub fn content(root: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let c = root.join("content");
    let ex = c.join("exercises/rbac");
    std::fs::create_dir_all(ex.join("cm-demo")).unwrap();
    std::fs::create_dir_all(c.join("lessons/en")).unwrap();
    std::fs::create_dir_all(c.join("lessons/cards")).unwrap();
    std::fs::write(
        ex.join("cm-demo.yaml"),
        r#"id: cm-demo
topic: rbac
exam: CKA
domains: {cka: cluster-architecture}
kind: yaml
lesson: rbac
title: {en: "Make a ConfigMap", ko: "컨피그맵 만들기"}
prompt: {en: "Create ConfigMap app-config in default.", ko: "default 네임스페이스에 app-config 컨피그맵을 만드세요."}
workspace: [{file: cm.yaml}]
checks:
  - id: cm-exists
    check: exists
    points: 2
    describe: {en: "ConfigMap default/app-config exists", ko: "컨피그맵 default/app-config 존재"}
    params: {kind: ConfigMap, name: app-config, namespace: default}
solution: [cm-demo/solution.yaml]
"#,
    )
    .unwrap();
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  namespace: default\ndata:\n  a: b\n";
    std::fs::write(ex.join("cm-demo/solution.yaml"), cm).unwrap();
    std::fs::write(
        c.join("lessons/en/rbac.md"),
        "---\nid: rbac\ntitle: RBAC\ntopic: rbac\norder: 1\nexam: both\nminutes: 10\n---\n# RBAC\n",
    )
    .unwrap();
    std::fs::write(
        c.join("lessons/cards/rbac.yaml"),
        r#"lesson: rbac
cards:
  - id: rbac-c1
    type: basic
    question: {en: "q1", ko: "질문1"}
    answer: {en: "a1", ko: "답1"}
  - id: rbac-c2
    type: basic
    question: {en: "q2", ko: "질문2"}
    answer: {en: "a2", ko: "답2"}
"#,
    )
    .unwrap();
    let solution = root.join("cm.yaml");
    std::fs::write(&solution, cm).unwrap();
    let wrong = root.join("wrong.yaml");
    std::fs::write(&wrong, cm.replace("app-config", "app-cfg")).unwrap();
    (c, solution, wrong)
}

/// Fill `data` with `n` committed attempts through the hidden writer.
pub fn write_stream(data: &Path, tag: &str, n: u64) -> Vec<String> {
    let o = run(kubedojo(data).args([
        "progress",
        "__write-stream",
        "--tag",
        tag,
        "--count",
        &n.to_string(),
    ]));
    assert!(o.status.success(), "writer failed: {}", stderr(&o));
    stdout(&o).lines().map(str::to_string).collect()
}
