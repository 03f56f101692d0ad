#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `--plain`, the line-by-line mode for screen readers: a scripted session
//! (read a lesson, open an exercise, check, hints, the solution, progress)
//! prints no box drawing, no colour escapes, and records what it should.

use kubedojo::content::{Content, ContentSource, Lang};
use kubedojo::progress::{Origin, Paths};
use kubedojo::tui::library::Library;
use kubedojo::tui::plain;
use kubedojo::tui::session::Session;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tui-content")
}

fn run(home: &Path, lang: Lang, script: &str) -> String {
    let lib = Library::load(Content::new(ContentSource::Dir(fixture())).unwrap()).unwrap();
    let session = Session::open(Paths::at(home, Origin::Flag));
    let mut out = Vec::new();
    plain::run(lib, session, lang, script.as_bytes(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn assert_plain(out: &str) {
    for (i, line) in out.lines().enumerate() {
        assert!(
            !line
                .chars()
                .any(|c| ('\u{2500}'..='\u{259F}').contains(&c) || c == '\u{1b}'),
            "line {i} has box drawing or an escape: {line:?}"
        );
    }
}

#[test]
fn a_scripted_session_is_plain_text_and_recorded() {
    let home = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let out = run(
        home.path(),
        Lang::En,
        "lessons\nread intro\ndone\nopen ns-exists\ncheck\nhint\nhint\nhint\nsolution\nsolution\nprogress\nquit\n",
    );
    assert_plain(&out);
    for want in [
        "Why they matter",
        "Nodes and PersistentVolumes are not namespaced.",
        "Create the namespace",
        "kubectl create namespace dev --dry-run=client -o yaml",
        "Add `labels: {team: web}` under `metadata`.",
        "team: web",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    let lib = Library::load(Content::new(ContentSource::Dir(fixture())).unwrap()).unwrap();
    let s = Session::open(Paths::at(home.path(), Origin::Flag));
    let ex = &lib.exercises[lib.exercise_index("ns-exists").unwrap()];
    let info = s.workspace_info(&lib, ex, vec![], None);
    assert_eq!(info.hints_revealed, [0, 1], "two hints, once each");
    assert!(info.solution_seen);
    let p = s.progress(&lib, Lang::En, 0, &jiff::tz::TimeZone::UTC);
    assert!(
        p.lessons_read.contains("intro"),
        "done marks the lesson read"
    );
}

#[test]
fn korean_lessons_in_plain_mode() {
    let home = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let out = run(home.path(), Lang::En, "lang ko\nread intro\nquit\n");
    assert_plain(&out);
    assert!(out.contains("왜 중요한가"), "{out}");
    assert!(out.contains("노드와 퍼시스턴트볼륨은"), "{out}");
}
