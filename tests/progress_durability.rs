//! No learner's work is lost: writers killed with SIGKILL mid-stream lose
//! no acknowledged attempt and leave a sound database; two processes
//! writing at once never fail; two processes creating a brand-new database
//! at once both migrate cleanly.
//!
//! The writer is the real binary's hidden `progress __write-stream`: it
//! records attempts exactly as `kubedojo check` does and prints each uid
//! only after its commit returned (the recipe of the research note, §5.5).

// Test helpers outside #[test] functions panic on failed setup too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod progress_common;

use kubedojo::progress::Store;
use progress_common::*;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::thread::JoinHandle;
use std::time::Duration;

struct Writer {
    child: Child,
    acked: JoinHandle<Vec<String>>,
    errors: JoinHandle<String>,
}

fn spawn_writer(data: &Path, tag: &str, count: Option<u64>) -> Writer {
    let mut cmd = kubedojo(data);
    cmd.args(["progress", "__write-stream", "--tag", tag]);
    if let Some(n) = count {
        cmd.args(["--count", &n.to_string()]);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn writer");
    let out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    // Only complete lines count as acknowledged: a line cut by the kill
    // was not fully reported.
    let acked = std::thread::spawn(move || {
        let mut r = BufReader::new(out);
        let mut v = Vec::new();
        let mut line = String::new();
        while matches!(r.read_line(&mut line), Ok(n) if n > 0) {
            if let Some(uid) = line.strip_suffix('\n') {
                v.push(uid.to_string());
            }
            line.clear();
        }
        v
    });
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    Writer {
        child,
        acked,
        errors,
    }
}

fn check_all_stored(data: &Path, acked: &[String], round: usize) {
    let store = Store::open_file(&data.join("progress.db")).expect("reopens");
    assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}");
    for uid in acked {
        assert!(
            store.has_attempt(uid).unwrap(),
            "round {round}: acknowledged {uid} lost"
        );
    }
}

#[test]
fn kill_9_during_writes_loses_no_acknowledged_attempt() {
    const ROUNDS: usize = 26;
    let tmp = tempfile::tempdir().unwrap();
    let shared = tmp.path().join("shared");
    let mut total = 0usize;
    let mut rounds_with_writes = 0usize;
    for round in 0..ROUNDS {
        // Every other round starts from nothing, so the kill can land in
        // directory creation, the WAL switch or the migration.
        let data = if round % 2 == 0 {
            tmp.path().join(format!("fresh-{round}"))
        } else {
            shared.clone()
        };
        let writers = [
            spawn_writer(&data, "a", None),
            spawn_writer(&data, "b", None),
        ];
        // 40..300 ms, spread over the rounds.
        std::thread::sleep(Duration::from_millis(40 + (round as u64 * 97) % 261));
        let mut acked = Vec::new();
        for mut w in writers {
            w.child.kill().expect("SIGKILL");
            let status = w.child.wait().unwrap();
            assert_eq!(
                status.signal(),
                Some(9),
                "round {round}: the writer was still writing when killed"
            );
            acked.extend(w.acked.join().unwrap());
            let err = w.errors.join().unwrap();
            assert_eq!(err, "", "round {round}: writers never fail");
        }
        if data.join("progress.db").exists() {
            check_all_stored(&data, &acked, round);
        } else {
            assert!(acked.is_empty());
        }
        rounds_with_writes += usize::from(!acked.is_empty());
        total += acked.len();
    }
    assert!(
        rounds_with_writes >= ROUNDS / 2,
        "most rounds wrote: {rounds_with_writes}/{ROUNDS}"
    );
    assert!(total >= 100, "the test exercised real writes: {total}");
}

#[test]
fn two_writers_at_once_never_fail() {
    for round in 0..4 {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let writers = [
            spawn_writer(&data, "a", Some(150)),
            spawn_writer(&data, "b", Some(150)),
        ];
        let mut all = Vec::new();
        for mut w in writers {
            let status = w.child.wait().unwrap();
            let err = w.errors.join().unwrap();
            assert!(status.success(), "round {round}: {err}");
            assert_eq!(err, "");
            let acked = w.acked.join().unwrap();
            assert_eq!(acked.len(), 150);
            all.extend(acked);
        }
        check_all_stored(&data, &all, round);
        let o = run(kubedojo(&data).args(["progress", "--learner", "stream-a", "--json"]));
        assert_eq!(json(&o)["attempts"], 150);
    }
}

#[test]
fn processes_opening_a_new_database_at_once_all_migrate() {
    for round in 0..8 {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("new");
        let writers: Vec<Writer> = (0..4)
            .map(|i| spawn_writer(&data, &format!("w{i}"), Some(1)))
            .collect();
        let mut all = Vec::new();
        for mut w in writers {
            let status = w.child.wait().unwrap();
            let err = w.errors.join().unwrap();
            assert!(status.success(), "round {round}: {err}");
            assert_eq!(err, "", "round {round}");
            all.extend(w.acked.join().unwrap());
        }
        assert_eq!(all.len(), 4);
        check_all_stored(&data, &all, round);
        let store = Store::open_file(&data.join("progress.db")).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            kubedojo::progress::migrations::LATEST
        );
    }
}
