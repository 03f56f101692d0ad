//! `kubedojo quantity`: the JSON contract and exit codes.

#![allow(clippy::expect_used)] // fixtures built in code; a failure is a bug in the test itself

use std::process::Command;

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

#[test]
fn canonical_forms_and_exact_milli() {
    let (code, out, _) = run(&[
        "quantity", "--json", "1.5Gi", "500m", "0.1", "1000M", "100E", "1e3",
    ]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let rows = v.as_array().expect("array");
    let pick = |i: usize, k: &str| rows[i][k].clone();
    assert_eq!(pick(0, "canonical"), "1536Mi");
    assert_eq!(pick(0, "milli"), "1610612736000");
    assert_eq!(pick(1, "canonical"), "500m");
    assert_eq!(pick(1, "milli"), "500");
    assert_eq!(pick(2, "canonical"), "100m");
    assert_eq!(pick(3, "canonical"), "1G");
    // Beyond 64 bits, still exact.
    assert_eq!(pick(4, "milli"), "100000000000000000000000");
    assert_eq!(pick(5, "canonical"), "1e3");
    for r in rows {
        assert_eq!(r["ok"], true);
        assert!(r["error"].is_null());
    }
}

#[test]
fn invalid_quantities_carry_the_api_servers_message() {
    let (code, out, _) = run(&["quantity", "--json", "1gi", "0.1mi", "1 Gi", "1e"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rows = v.as_array().expect("array");
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter()
            .all(|r| r["ok"] == false && r["canonical"].is_null())
    );
    assert_eq!(
        rows[0]["error"],
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    );
    assert_eq!(rows[1]["error"], "unable to parse quantity's suffix");
    assert_eq!(rows[3]["error"], "unable to parse quantity's suffix");
}

#[test]
fn negative_values_and_text_output() {
    let (code, out, _) = run(&["quantity", "--", "-1.5", "2Ki"]);
    assert_eq!(code, 0);
    assert!(out.contains("-1500m"), "{out}");
    assert!(out.contains("2Ki"), "{out}");
    let (code, _, _) = run(&["quantity"]);
    assert_eq!(code, 2, "no value is a usage error");
}
