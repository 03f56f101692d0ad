//! The app's speed with the shipped content: the first frame after start
//! (content loaded, progress read from a fresh data directory, the home
//! screen drawn; target under 50 ms) and one frame of each screen (target
//! under 2 ms). Frames are drawn on ratatui's `TestBackend`, so terminal
//! output is not measured, only layout and drawing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use kubedojo::content::{Content, Lang};
use kubedojo::progress::{Origin, Paths};
use kubedojo::tui::app::{self, App, Msg, Target, update};
use kubedojo::tui::keymap::Action;
use kubedojo::tui::library::Library;
use kubedojo::tui::session::Session;
use kubedojo::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;

fn start(home: &std::path::Path, size: (u16, u16)) -> (App, Terminal<TestBackend>) {
    let lib = Library::load(Content::embedded()).unwrap();
    let session = Session::open(Paths::at(home, Origin::Flag));
    let mut a = App::new(
        lib,
        app::Options {
            lang: Lang::En,
            color: true,
            size,
            now: 1_768_478_400_000,
            tz: jiff::tz::TimeZone::UTC,
        },
    );
    let p = session.progress(&a.lib, Lang::En, a.now, &a.tz);
    update(&mut a, Msg::Progress(Box::new(p)));
    let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    t.draw(|f| view::render(&a, f)).unwrap();
    (a, t)
}

fn bench(c: &mut Criterion) {
    let home = tempfile::tempdir().unwrap();
    c.bench_function(
        "tui first frame (load content, read progress, draw home 80x24)",
        |b| b.iter(|| black_box(start(home.path(), (80, 24)))),
    );

    for size in [(80u16, 24u16), (200, 60)] {
        let (mut a, mut t) = start(home.path(), size);
        let name = |screen: &str| format!("tui frame {screen} {}x{}", size.0, size.1);
        c.bench_function(&name("home"), |b| {
            b.iter(|| {
                t.draw(|f| view::render(black_box(&a), f))
                    .map(|_| ())
                    .unwrap()
            })
        });
        // The longest lesson.
        let longest = a
            .lib
            .lessons_en
            .iter()
            .max_by_key(|l| l.body.len())
            .unwrap()
            .meta
            .id
            .clone();
        a.open(Target::Lesson {
            id: longest,
            heading: None,
        });
        update(&mut a, Msg::Act(Action::PageDown));
        c.bench_function(&name("lesson"), |b| {
            b.iter(|| {
                t.draw(|f| view::render(black_box(&a), f))
                    .map(|_| ())
                    .unwrap()
            })
        });
        let ex = a.lib.exercises[0].id.clone();
        a.open(Target::Exercise(ex));
        c.bench_function(&name("exercise"), |b| {
            b.iter(|| {
                t.draw(|f| view::render(black_box(&a), f))
                    .map(|_| ())
                    .unwrap()
            })
        });
        a.open(Target::Progress);
        c.bench_function(&name("progress"), |b| {
            b.iter(|| {
                t.draw(|f| view::render(black_box(&a), f))
                    .map(|_| ())
                    .unwrap()
            })
        });
        update(&mut a, Msg::Act(Action::Help));
        c.bench_function(&name("help overlay"), |b| {
            b.iter(|| {
                t.draw(|f| view::render(black_box(&a), f))
                    .map(|_| ())
                    .unwrap()
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
