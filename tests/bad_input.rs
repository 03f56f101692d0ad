#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Bad input gets one clear message and exit 2: never a panic, never a
//! hang, in under a second and well under 200 MB. `check` refuses to grade
//! anything it cannot fully read; `validate` reports YAML problems as
//! problems (exit 1) and unreadable files as exit 2, as its contract says.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kubedojo");

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/content")
}

struct Run {
    out: Output,
    took: Duration,
}

impl Run {
    fn code(&self) -> i32 {
        self.out
            .status
            .code()
            .expect("exited normally, not by a signal")
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
}

fn run(args: &[&str]) -> Run {
    let start = Instant::now();
    let out = Command::new(BIN)
        // Never the learner's real progress database.
        .env(
            "KUBEDOJO_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/kubedojo-home"),
        )
        .arg("--content")
        .arg(content_dir())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    Run {
        out,
        took: start.elapsed(),
    }
}

/// Peak resident memory (MB) of the largest child this test process
/// waited for (Linux reports ru_maxrss in KiB).
fn children_max_rss_mb() -> i64 {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage")
        .max_rss()
        / 1024
}

/// One bad file, checked both ways.
fn bad_file(name: &str, bytes: &[u8], check_says: &str, validate_code: i32, validate_says: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    let p = path.to_str().expect("utf-8 path");

    let r = run(&["check", "ns-exists", p]);
    assert_eq!(r.code(), 2, "check {name}: stderr {}", r.stderr());
    let all = format!("{}{}", r.stdout(), r.stderr());
    assert!(
        all.contains(check_says),
        "check {name}: expected {check_says:?} in:\n{all}"
    );
    assert!(!all.contains("panicked"), "check {name} panicked:\n{all}");
    assert!(
        r.took < Duration::from_secs(1),
        "check {name} took {:?}",
        r.took
    );

    let r = run(&["validate", "-f", p]);
    assert_eq!(
        r.code(),
        validate_code,
        "validate {name}: {}{}",
        r.stdout(),
        r.stderr()
    );
    let all = format!("{}{}", r.stdout(), r.stderr());
    assert!(
        all.contains(validate_says),
        "validate {name}: expected {validate_says:?} in:\n{all}"
    );
    assert!(
        r.took < Duration::from_secs(1),
        "validate {name} took {:?}",
        r.took
    );

    let rss = children_max_rss_mb();
    assert!(rss < 200, "peak memory {rss} MB after {name}");
}

#[test]
fn malformed_yaml() {
    bad_file(
        "bad.yaml",
        b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [dev\n",
        "bad.yaml:",
        1,
        "YAML syntax error",
    );
}

#[test]
fn empty_file() {
    bad_file(
        "empty.yaml",
        b"",
        "no Kubernetes objects",
        1,
        "no Kubernetes objects",
    );
}

#[test]
fn only_comments() {
    bad_file(
        "c.yaml",
        b"# just a comment\n---\n# and another\n",
        "no Kubernetes objects",
        1,
        "no Kubernetes objects",
    );
}

#[test]
fn not_utf8() {
    bad_file(
        "latin1.yaml",
        b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: caf\xe9\n",
        "4:12: invalid UTF-8",
        2,
        "invalid UTF-8",
    );
}

#[test]
fn utf16_with_bom() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "apiVersion: v1\nkind: Namespace\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bad_file("u16.yaml", &bytes, "UTF-16", 2, "UTF-16");
}

#[test]
fn fifty_megabytes() {
    let line = b"# padding padding padding padding padding padding padding padding\n";
    let mut bytes = Vec::with_capacity(50 << 20);
    while bytes.len() < 50 << 20 {
        bytes.extend_from_slice(line);
    }
    bad_file(
        "big.yaml",
        &bytes,
        "kubedojo reads files up to",
        2,
        "kubedojo reads files up to",
    );
}

#[test]
fn billion_laughs() {
    let mut s = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("  {n}: &{n} [{refs}]\n"));
        prev = n;
    }
    bad_file(
        "lol.yaml",
        s.as_bytes(),
        "hostile or broken file",
        2,
        "hostile or broken file",
    );
}

#[test]
fn ten_thousand_levels_of_nesting() {
    // Block sequences nest one level per "- ", so this is 10,000 deep in 20 KB.
    let s = format!("{}x\n", "- ".repeat(10_000));
    bad_file(
        "deep.yaml",
        s.as_bytes(),
        "nesting deeper than",
        2,
        "nesting deeper than",
    );
    let flow = "[".repeat(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("flow.yaml");
    std::fs::write(&path, flow).expect("write");
    let r = run(&["check", "ns-exists", path.to_str().expect("utf-8")]);
    assert_eq!(r.code(), 2, "{}", r.stderr());
    assert!(r.took < Duration::from_secs(1));
}

#[test]
fn missing_file() {
    let r = run(&["check", "ns-exists", "/nonexistent/ns.yaml"]);
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr().contains("/nonexistent/ns.yaml: no such file"),
        "{}",
        r.stderr()
    );
    let r = run(&["validate", "-f", "/nonexistent/ns.yaml"]);
    assert_eq!(r.code(), 2);
}

#[test]
fn a_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8");
    let r = run(&["check", "ns-exists", d]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("is a directory"), "{}", r.stderr());
    let r = run(&["validate", "-f", d]);
    assert_eq!(r.code(), 2);
}

#[test]
fn unknown_exercise_id() {
    let r = run(&["check", "ns-exist", "x.yaml"]);
    assert_eq!(r.code(), 2);
    let err = r.stderr();
    assert!(err.contains("no exercise \"ns-exist\""), "{err}");
    assert!(err.contains("did you mean \"ns-exists\""), "{err}");
    let r = run(&["check", "ns-exist", "x.yaml", "--json"]);
    assert_eq!(r.code(), 2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout()).expect("one JSON document");
    assert!(v["error"].as_str().is_some_and(|e| e.contains("ns-exist")));
}

#[test]
fn unknown_field_is_exit_2_with_did_you_mean_for_check() {
    let f = content_dir().join("exercises/basics/ns-exists/typo.yaml");
    let r = run(&["check", "ns-exists", f.to_str().expect("utf-8")]);
    assert_eq!(r.code(), 2);
    let out = r.stdout();
    assert!(out.contains("typo.yaml:5:3"), "{out}");
    assert!(out.contains("did you mean \"labels\"?"), "{out}");
}
