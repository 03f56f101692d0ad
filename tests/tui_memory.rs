#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Resident memory while browsing stays under 40 MB: the shipped content
//! loaded, every lesson laid out and drawn in both languages, every
//! exercise opened and drawn, the progress and review screens drawn. The
//! peak resident set (VmHWM) of this test process is read from /proc, so
//! this file holds one test only (a debug build: a release build uses less).

use kubedojo::content::{Content, Lang};
use kubedojo::progress::{Origin, Paths};
use kubedojo::tui::app::{self, App, Msg, Target, update};
use kubedojo::tui::keymap::Action;
use kubedojo::tui::library::Library;
use kubedojo::tui::session::Session;
use kubedojo::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn browsing_everything_stays_under_40_mb() {
    if peak_rss_kb().is_none() {
        println!("skipped: no /proc/self/status on this system");
        return;
    }
    let home = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let session = Session::open(Paths::at(home.path(), Origin::Flag));
    let mut a = App::new(
        Library::load(Content::embedded()).unwrap(),
        app::Options {
            lang: Lang::En,
            color: true,
            size: (120, 40),
            now: 1_768_478_400_000,
            tz: jiff::tz::TimeZone::UTC,
        },
    );
    let p = session.progress(&a.lib, Lang::En, a.now, &a.tz);
    update(&mut a, Msg::Progress(Box::new(p)));
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut frames = 0;
    for _lang in 0..2 {
        let lessons: Vec<String> = a.lib.lessons_en.iter().map(|l| l.meta.id.clone()).collect();
        for id in lessons {
            a.open(Target::Lesson { id, heading: None });
            for _ in 0..5 {
                t.draw(|f| view::render(&a, f)).unwrap();
                update(&mut a, Msg::Act(Action::PageDown));
                frames += 1;
            }
            update(&mut a, Msg::Act(Action::Back));
        }
        let exercises: Vec<String> = a.lib.exercises.iter().map(|e| e.id.clone()).collect();
        for id in exercises {
            a.open(Target::Exercise(id));
            t.draw(|f| view::render(&a, f)).unwrap();
            update(&mut a, Msg::Act(Action::Back));
            frames += 1;
        }
        for target in [Target::Progress, Target::Review] {
            a.open(target);
            t.draw(|f| view::render(&a, f)).unwrap();
            update(&mut a, Msg::Act(Action::Back));
            frames += 1;
        }
        update(&mut a, Msg::Act(Action::ToggleLang));
    }
    assert!(frames > 50, "browsed {frames} frames");
    let kb = peak_rss_kb().unwrap();
    println!(
        "peak resident memory: {:.1} MB after {frames} frames",
        kb as f64 / 1024.0
    );
    assert!(kb < 40 * 1024, "peak resident memory {kb} kB is over 40 MB");
}
