//! `kubedojo progress`, `kubedojo paths`, and `check` recording attempts,
//! through the real binary with temporary data directories.

// Test helpers outside #[test] functions panic on failed setup too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod progress_common;

use progress_common::*;
use std::path::Path;

#[test]
fn paths_follow_flag_then_env() {
    let tmp = tempfile::tempdir().unwrap();
    let env_dir = tmp.path().join("from-env");
    let flag_dir = tmp.path().join("from-flag");
    let o = run(kubedojo(&env_dir).args(["paths", "--json"]));
    assert!(o.status.success());
    let j = json(&o);
    assert_eq!(j["data_dir"], env_dir.display().to_string());
    assert_eq!(j["data_dir_from"], "env");
    assert_eq!(
        j["progress_db"],
        env_dir.join("progress.db").display().to_string()
    );
    assert_eq!(j["progress_db_exists"], false);

    let o = run(kubedojo(&env_dir)
        .args(["--data-dir"])
        .arg(&flag_dir)
        .args(["paths", "--json"]));
    let j = json(&o);
    assert_eq!(j["data_dir"], flag_dir.display().to_string());
    assert_eq!(j["data_dir_from"], "flag");

    let o = run(kubedojo(&env_dir).arg("paths"));
    let out = stdout(&o);
    assert!(
        out.contains(&env_dir.display().to_string()) && out.contains("KUBEDOJO_HOME"),
        "{out}"
    );
    assert!(out.contains("not created yet"), "{out}");
}

#[test]
fn check_records_attempts_and_progress_summarises_them() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (content, solution, wrong) = content(tmp.path());
    let check = |file: &Path| {
        run(kubedojo(&data)
            .arg("--content")
            .arg(&content)
            .args(["check", "cm-demo"])
            .arg(file)
            .arg("--json"))
    };
    let o = check(&wrong);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "", "recording is silent when it works");
    let o = check(&solution);
    assert_eq!(o.status.code(), Some(0));

    let o = run(kubedojo(&data)
        .arg("--content")
        .arg(&content)
        .args(["progress", "--json"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let s = json(&o);
    assert_eq!(s["learner"], "tester");
    assert_eq!(s["attempts"], 2);
    assert_eq!(s["passed_attempts"], 1);
    assert_eq!(s["exercises_passed"], 1);
    assert_eq!(s["exercises_total"], 1);
    assert_eq!(s["topics"][0]["topic"], "rbac");
    assert_eq!(s["topics"][0]["mastery"], 1.0);
    assert_eq!(s["domains"][0]["exam"], "CKA");
    assert_eq!(s["domains"][0]["domain"], "cluster-architecture");
    assert_eq!(s["streak"]["current"], 1);
    assert_eq!(s["reviews_new"], 2);
    assert_eq!(s["lessons_total"], 1);
    assert!(s["next"].is_null(), "everything passed");

    // The findings are kept as `check --json` printed them.
    let o = run(kubedojo(&data).args(["progress", "--export", "json"]));
    let e = json(&o);
    let attempts = e["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0]["exercise"], "cm-demo");
    assert_eq!(attempts[0]["source"], "yaml");
    assert_eq!(attempts[0]["passed"], false);
    assert_eq!(attempts[0]["max_score"], 2);
    assert_eq!(attempts[0]["findings"][0]["check"], "cm-exists");
    assert_eq!(attempts[1]["passed"], true);
    assert_eq!(attempts[1]["score"], 2);

    let o = run(kubedojo(&data)
        .arg("--content")
        .arg(&content)
        .arg("progress"));
    let out = stdout(&o);
    assert!(out.contains("Progress of tester"), "{out}");
    assert!(out.contains("rbac") && out.contains("100%"), "{out}");
    assert!(out.contains("CKA cluster-architecture"), "{out}");
    assert!(out.contains("Every exercise passed"), "{out}");
}

#[test]
fn next_exercise_continues_an_unfinished_attempt() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (content, _, wrong) = content(tmp.path());
    run(kubedojo(&data)
        .arg("--content")
        .arg(&content)
        .args(["check", "cm-demo"])
        .arg(&wrong));
    let o = run(kubedojo(&data)
        .arg("--content")
        .arg(&content)
        .args(["progress", "--json"]));
    let s = json(&o);
    assert_eq!(s["next"]["exercise"], "cm-demo");
    assert_eq!(s["next"]["reason"], "continue");
    let o = run(kubedojo(&data)
        .arg("--content")
        .arg(&content)
        .arg("progress"));
    let out = stdout(&o);
    assert!(
        out.contains("Next: cm-demo") && out.contains("continue where you left off"),
        "{out}"
    );
    assert!(out.contains("kubedojo check cm-demo"), "{out}");
}

#[test]
fn learners_share_a_machine() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (content, solution, _) = content(tmp.path());
    let o = run(kubedojo(&data).args(["progress", "use", "alice"]));
    assert!(o.status.success(), "{}", stderr(&o));
    run(kubedojo(&data)
        .arg("--content")
        .arg(&content)
        .args(["check", "cm-demo"])
        .arg(&solution));
    // KUBEDOJO_LEARNER wins over the active learner.
    run(kubedojo(&data)
        .env("KUBEDOJO_LEARNER", "bob")
        .arg("--content")
        .arg(&content)
        .args(["check", "cm-demo"])
        .arg(&solution));
    run(kubedojo(&data)
        .env("KUBEDOJO_LEARNER", "bob")
        .arg("--content")
        .arg(&content)
        .args(["check", "cm-demo"])
        .arg(&solution));
    let o = run(kubedojo(&data).args(["progress", "learners", "--json"]));
    let l = json(&o);
    let rows: Vec<(String, u64, bool)> = l
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["attempts"].as_u64().unwrap(),
                r["active"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [("alice".into(), 1, true), ("bob".into(), 2, false)]);
    let o = run(kubedojo(&data).args(["progress", "--learner", "bob", "--json"]));
    assert_eq!(json(&o)["attempts"], 2);
    let o = run(kubedojo(&data).args(["progress", "--json"]));
    assert_eq!(json(&o)["learner"], "alice");
    let o = run(kubedojo(&data).args(["progress", "--learner", "carol"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no learner named \"carol\"") && stderr(&o).contains("alice, bob"),
        "{}",
        stderr(&o)
    );
    let o = run(kubedojo(&data).args(["progress", "--export", "csv", "--learner", "bob"]));
    assert_eq!(
        stdout(&o).lines().count(),
        3,
        "header and bob's two attempts"
    );
}

#[test]
fn export_import_round_trip_without_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let laptop = tmp.path().join("laptop");
    let lab = tmp.path().join("lab");
    let uids = write_stream(&laptop, "x", 5);
    write_stream(&lab, "x", 3);
    for format in ["json", "csv"] {
        let o = run(kubedojo(&laptop).args(["progress", "--export", format]));
        assert!(o.status.success(), "{}", stderr(&o));
        let file = tmp.path().join(format!("export.{format}"));
        std::fs::write(&file, &o.stdout).unwrap();
        let o = run(kubedojo(&lab)
            .args(["progress", "import"])
            .arg(&file)
            .arg("--json"));
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        let r = json(&o);
        if format == "json" {
            assert_eq!(
                (
                    r["attempts_added"].as_u64(),
                    r["attempts_already_here"].as_u64()
                ),
                (Some(5), Some(0))
            );
        } else {
            assert_eq!(
                (
                    r["attempts_added"].as_u64(),
                    r["attempts_already_here"].as_u64()
                ),
                (Some(0), Some(5)),
                "the CSV holds the same attempts"
            );
        }
    }
    let o = run(kubedojo(&lab).args(["progress", "--learner", "stream-x", "--json"]));
    assert_eq!(json(&o)["attempts"], 8);
    let o = run(kubedojo(&lab).args(["progress", "--export", "json"]));
    let e = json(&o);
    let lab_uids: Vec<&str> = e["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["uid"].as_str().unwrap())
        .collect();
    for u in &uids {
        assert!(lab_uids.contains(&u.as_str()), "{u} merged");
    }
    // Import under another name.
    let file = tmp.path().join("export.json");
    let other = tmp.path().join("other");
    let o = run(kubedojo(&other)
        .args(["progress", "import"])
        .arg(&file)
        .args(["--learner", "jin"]));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("imported 5 attempts"), "{}", stdout(&o));
    let o = run(kubedojo(&other).args(["progress", "--learner", "jin", "--json"]));
    assert_eq!(json(&o)["attempts"], 5);
}

#[test]
fn bad_import_files_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let cases: [(&str, &str, &str); 6] = [
        ("empty.json", "", "empty"),
        (
            "broken.json",
            "{\n  \"format\": \"kubedojo-progress\",\n  \"version\": 1,\n  \"exported_at\": \"x\",\n  \"attempts\": [ { \"uid\": 1 } ]\n}",
            "broken.json:5:",
        ),
        (
            "other.json",
            "{\"format\": \"anki\", \"version\": 1, \"exported_at\": \"x\"}",
            "not a kubedojo progress export",
        ),
        (
            "future.json",
            "{\"format\": \"kubedojo-progress\", \"version\": 9, \"exported_at\": \"x\", \"attempts\": [{\"uid\": \"a\", \"mood\": \"happy\"}]}",
            "newer kubedojo",
        ),
        ("array.json", "{\"a\": [1, 2,", "array.json:1:"),
        (
            "table.csv",
            "a,b\n1,2\n",
            "neither a kubedojo JSON export nor its attempts CSV",
        ),
    ];
    for (name, body, want) in cases {
        let f = tmp.path().join(name);
        std::fs::write(&f, body).unwrap();
        let o = run(kubedojo(&data).args(["progress", "import"]).arg(&f));
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert!(stderr(&o).contains(want), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(name), "{name} is named: {}", stderr(&o));
    }
    let o = run(kubedojo(&data)
        .args(["progress", "import"])
        .arg(tmp.path().join("missing.json")));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("missing.json") && stderr(&o).contains("No such file"),
        "{}",
        stderr(&o)
    );
    let bad_source = tmp.path().join("source.json");
    std::fs::write(
        &bad_source,
        r#"{"format":"kubedojo-progress","version":1,"exported_at":"x","attempts":[{"uid":"u1","learner":"a","exercise":"e","at":"2026-01-01T00:00:00Z","source":"paper","passed":true,"score":1,"max_score":1,"findings":[]}]}"#,
    )
    .unwrap();
    let o = run(kubedojo(&data)
        .args(["progress", "import"])
        .arg(&bad_source));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("attempts[0]: source \"paper\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_missing_data_directory_is_explained_not_created_by_looking() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("not-yet");
    let o = run(kubedojo(&data).arg("progress"));
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("nothing recorded yet")
            && out.contains(&data.join("progress.db").display().to_string()),
        "{out}"
    );
    assert!(out.contains("does not exist yet"), "{out}");
    assert!(!data.exists(), "looking creates nothing");
    let o = run(kubedojo(&data).args(["progress", "--export", "json"]));
    assert_eq!(json(&o)["attempts"], serde_json::json!([]));
    assert!(!data.exists());
}
