//! A progress database we cannot use — damaged, not SQLite, from a newer
//! kubedojo — or a data directory we cannot write: a clear message with the
//! path and what to do, exit 2, the file never rewritten; `--reset` moves
//! it aside; and `check` still grades exactly as before.

// Test helpers outside #[test] functions panic on failed setup too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod progress_common;

use progress_common::*;
use std::path::Path;

fn db(data: &Path) -> std::path::PathBuf {
    data.join("progress.db")
}

/// A database with some history, closed cleanly (its WAL checkpointed).
fn healthy(data: &Path) {
    write_stream(data, "x", 400);
    assert!(!data.join("progress.db-wal").exists(), "closed cleanly");
}

/// Overwrite pages in the middle of the file with garbage.
fn damage(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let page = 4096;
    assert!(
        bytes.len() > 6 * page,
        "big enough to damage: {}",
        bytes.len()
    );
    let end = bytes.len() - page;
    for b in &mut bytes[2 * page..end] {
        *b = 0xA5;
    }
    std::fs::write(path, bytes).unwrap();
}

fn assert_refused(data: &Path, want: &[&str]) {
    let before = std::fs::read(db(data)).unwrap();
    for args in [
        vec!["progress", "--learner", "stream-x"],
        vec!["progress", "--export", "json"],
        vec!["progress", "__write-stream", "--count", "1"],
    ] {
        let o = run(kubedojo(data).args(&args));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "one message: {err}");
        assert!(
            err.contains(&db(data).display().to_string()),
            "names the file: {err}"
        );
        for w in want {
            assert!(err.contains(w), "{args:?}: wanted {w:?} in {err}");
        }
    }
    let o = run(kubedojo(data).args(["progress", "--learner", "stream-x", "--json"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(json(&o)["error"].as_str().unwrap().contains("--reset"));
    assert_eq!(
        std::fs::read(db(data)).unwrap(),
        before,
        "the file is never rewritten"
    );
}

#[test]
fn a_damaged_database_is_reported_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    healthy(&data);
    damage(&db(&data));
    assert_refused(
        &data,
        &["damaged", "left untouched", "kubedojo progress --reset"],
    );
}

#[test]
fn check_finds_damage_no_query_has_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    healthy(&data);
    let o = run(kubedojo(&data).args(["progress", "--check"]));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(": ok"), "{}", stdout(&o));
    // Damage one page in the middle of the file (mostly attempt rows,
    // which hold the findings): a page no command may read for weeks.
    let path = db(&data);
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    let victim = (bytes.len() / page) / 2;
    for b in &mut bytes[victim * page + 8..(victim + 1) * page] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let o = run(kubedojo(&data).args(["progress", "--check"]));
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("damaged")
            && err.contains(&path.display().to_string())
            && err.contains("--reset"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "checking changes nothing"
    );
    let o = run(kubedojo(tmp.path().join("none").as_path()).args(["progress", "--check"]));
    assert!(o.status.success());
    assert!(stdout(&o).contains("nothing to check"));
}

#[test]
fn a_file_that_is_not_sqlite_is_reported_and_kept() {
    for body in [
        &b"these are my notes, not a database\n"[..],
        &[0u8, 1, 2, 3, 200, 201][..],
        &[0x53u8; 9000][..],
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(db(&data), body).unwrap();
        assert_refused(
            &data,
            &[
                "not a kubedojo progress database",
                "left untouched",
                "--reset",
            ],
        );
    }
}

#[test]
fn a_database_from_a_newer_kubedojo_is_reported_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    healthy(&data);
    {
        let conn = rusqlite::Connection::open(db(&data)).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    assert_refused(
        &data,
        &["newer kubedojo", "schema version 99", "Upgrade kubedojo"],
    );
}

#[test]
fn reset_moves_the_file_aside_and_starts_fresh() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    healthy(&data);
    damage(&db(&data));
    let damaged = std::fs::read(db(&data)).unwrap();
    let o = run(kubedojo(&data).args(["progress", "--reset"]));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("nothing was deleted"), "{}", stdout(&o));
    let moved: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("progress.db.corrupt-"))
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(
        std::fs::read(data.join(&moved[0])).unwrap(),
        damaged,
        "moved as it was"
    );
    assert!(!db(&data).exists());
    // A fresh start works.
    assert_eq!(write_stream(&data, "y", 2).len(), 2);
    // Reset on a healthy database keeps its data in the moved file.
    let o = run(kubedojo(&data).args(["progress", "--reset"]));
    assert!(o.status.success());
    let old: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("progress.db.old-")
        })
        .filter(|p| {
            !p.to_string_lossy().ends_with("-wal") && !p.to_string_lossy().ends_with("-shm")
        })
        .collect();
    assert_eq!(old.len(), 1);
    let conn = rusqlite::Connection::open(&old[0]).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM attempt", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2, "the moved database holds the attempts");
    // Nothing to reset.
    let o = run(kubedojo(&data).args(["progress", "--reset"]));
    assert!(o.status.success());
    assert!(stdout(&o).contains("nothing to reset"));
}

/// A directory this process cannot write into, or `None` if there is no
/// way to make one here (root ignores permission bits; then /sys, which
/// is read-only even for root, stands in).
fn unwritable_dir(tmp: &Path) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let d = tmp.join("locked");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(d.join("probe"), b"x").is_err() {
        return Some(d);
    }
    let _ = std::fs::remove_file(d.join("probe"));
    let sys = Path::new("/sys");
    (sys.is_dir() && std::fs::write(sys.join("kubedojo-probe"), b"x").is_err())
        .then(|| sys.to_path_buf())
}

#[test]
fn a_read_only_data_directory_is_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = unwritable_dir(tmp.path()) else {
        eprintln!("skipped: no unwritable directory on this machine");
        return;
    };
    let o = run(kubedojo(&dir).args(["progress", "use", "alice"]));
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&dir.display().to_string()) && err.contains("read-only"),
        "{err}"
    );
    assert!(
        err.contains("--data-dir") && err.contains("KUBEDOJO_HOME"),
        "{err}"
    );

    // A data directory that cannot be created (its parent is unwritable).
    let inside = dir.join("kubedojo");
    let o = run(kubedojo(&inside).args(["progress", "use", "alice"]));
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("cannot create the data directory")
            && err.contains(&inside.display().to_string()),
        "{err}"
    );

    // A data directory that is a file.
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = run(kubedojo(&file).args(["progress", "use", "alice"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a directory"), "{}", stderr(&o));
    let o = run(kubedojo(&file).arg("progress"));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn check_grades_the_same_when_progress_cannot_be_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let (content, solution, wrong) = content(tmp.path());
    let good_data = tmp.path().join("good");
    let bad_data = tmp.path().join("bad");
    std::fs::create_dir_all(&bad_data).unwrap();
    std::fs::write(db(&bad_data), "not a database").unwrap();
    for file in [&solution, &wrong] {
        for json in [true, false] {
            let mut args = vec!["check", "cm-demo", file.to_str().unwrap()];
            if json {
                args.push("--json");
            }
            let good = run(kubedojo(&good_data)
                .arg("--content")
                .arg(&content)
                .args(&args));
            let bad = run(kubedojo(&bad_data)
                .arg("--content")
                .arg(&content)
                .args(&args));
            assert_eq!(good.status.code(), bad.status.code(), "{args:?}");
            assert_eq!(stdout(&good), stdout(&bad), "{args:?}");
            assert_eq!(stderr(&good), "");
            let warning = stderr(&bad);
            assert_eq!(warning.lines().count(), 1, "one warning: {warning}");
            assert!(
                warning.starts_with("kubedojo: warning: progress not saved:"),
                "{warning}"
            );
            assert!(
                warning.contains(&db(&bad_data).display().to_string()),
                "{warning}"
            );
        }
    }
    assert_eq!(std::fs::read(db(&bad_data)).unwrap(), b"not a database");
    // With an unwritable data directory, too.
    if let Some(dir) = unwritable_dir(tmp.path()) {
        let o = run(kubedojo(&dir)
            .arg("--content")
            .arg(&content)
            .args(["check", "cm-demo"])
            .arg(&solution));
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("passed"));
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    }
}
