//! Every file in tests/data/mistakes/ holds one mistake a learner makes,
//! and says in `# expect: CODE LINE:COLUMN TEXT` comments exactly which
//! problems `validate` must report: the code, where, and a key part of
//! the message (or its hint). Nothing else may be reported.

// Test helpers may panic on broken fixtures: that is a test failure.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use kubedojo::model::Problem;
use std::path::{Path, PathBuf};

struct Expect {
    code: String,
    line: u32,
    column: u32,
    text: String,
}

fn expectations(path: &Path) -> Vec<Expect> {
    let text = std::fs::read_to_string(path).expect("readable test file");
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let code = parts.next().unwrap_or_default().to_string();
            let pos = parts.next().unwrap_or_default();
            let (line, column) = pos.split_once(':').expect("LINE:COLUMN");
            Expect {
                code,
                line: line.parse().expect("line"),
                column: column.parse().expect("column"),
                text: parts.next().unwrap_or_default().to_string(),
            }
        })
        .collect()
}

fn mistake_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mistakes");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("mistakes dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

fn matches(p: &Problem, e: &Expect) -> bool {
    p.code.as_str() == e.code
        && p.line == e.line
        && p.column == e.column
        && (p.message.contains(&e.text) || p.hint.as_deref().is_some_and(|h| h.contains(&e.text)))
}

#[test]
fn each_seeded_mistake_is_reported_where_it_is() {
    let files = mistake_files();
    assert!(files.len() >= 30, "the mistakes corpus is complete");
    let mut failures = Vec::new();
    for f in &files {
        let expected = expectations(f);
        assert!(!expected.is_empty(), "{}: no `# expect:` line", f.display());
        let v = kubedojo::validate::validate_files(&[f]).expect("file reads");
        assert!(!v.is_valid(), "{} must be invalid", f.display());
        for e in &expected {
            if !v.problems.iter().any(|p| matches(p, e)) {
                failures.push(format!(
                    "{}: expected {} {}:{} {:?}; got:\n  {}",
                    f.display(),
                    e.code,
                    e.line,
                    e.column,
                    e.text,
                    v.problems
                        .iter()
                        .map(|p| format!(
                            "{} {}:{} {}",
                            p.code.as_str(),
                            p.line,
                            p.column,
                            p.message
                        ))
                        .collect::<Vec<_>>()
                        .join("\n  ")
                ));
            }
        }
        for p in &v.problems {
            if !expected.iter().any(|e| matches(p, e)) {
                failures.push(format!(
                    "{}: unexpected {} {}:{} {}",
                    f.display(),
                    p.code.as_str(),
                    p.line,
                    p.column,
                    p.message
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_required_code_is_exercised() {
    let codes: Vec<String> = mistake_files()
        .iter()
        .flat_map(|f| expectations(f).into_iter().map(|e| e.code))
        .collect();
    for code in [
        "unknown-field",
        "wrong-type",
        "required",
        "not-served",
        "duplicate-key",
        "syntax",
        "invalid",
    ] {
        assert!(
            codes.iter().any(|c| c == code),
            "no mistake exercises {code}"
        );
    }
}
