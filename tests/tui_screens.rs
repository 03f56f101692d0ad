#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every screen of the app drawn on ratatui's `TestBackend`, in English and
//! Korean, compared with committed insta snapshots (tests/snapshots/), plus
//! the style facts a text snapshot cannot show: under `NO_COLOR` no cell
//! has a colour and the selection is still visible (reversed and bold);
//! Korean double-width text never splits a character or pushes a border.
//!
//! The content is a small fixture (tests/data/tui-content) so the
//! snapshots do not change whenever the curriculum grows. The learner's
//! history is made through the real progress store at fixed times, and the
//! workspace path shown is a fixed one, so every snapshot is the same on
//! every machine.

use kubedojo::checks::run::{Graded as RunGraded, grade_inputs};
use kubedojo::content::{Content, ContentSource, Lang};
use kubedojo::model::load::Input;
use kubedojo::progress::fsrs::Rating;
use kubedojo::progress::{Origin, Paths};
use kubedojo::tui::app::{
    self, App, Effect, Graded, Msg, Outcome, ProgressData, Screen, Target, TopPane, update,
};
use kubedojo::tui::keymap::Action;
use kubedojo::tui::library::Library;
use kubedojo::tui::session::Session;
use kubedojo::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

/// Thursday 2026-01-15 12:00:00 UTC.
const NOW: i64 = 1_768_478_400_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// The workspace file as the screen shows it (a real one lives in a
/// temporary directory whose name changes each run).
const WS: &str = "/home/learner/.local/share/kubedojo/workspace/ns-exists/ns.yaml";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tui-content")
}

fn lib() -> Library {
    Library::load(Content::new(ContentSource::Dir(fixture())).unwrap()).unwrap()
}

fn exercise_file(name: &str) -> Vec<u8> {
    std::fs::read(fixture().join("exercises/basics/ns-exists").join(name)).unwrap()
}

/// A learner with some history, made through the real store: the intro
/// read two days ago, a wrong attempt yesterday, a hint, the right answer
/// an hour ago, one card reviewed.
fn history(lib: &Library, lang: Lang) -> ProgressData {
    let home = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let mut s = Session::open(Paths::at(home.path(), Origin::Flag));
    let ex = &lib.exercises[lib.exercise_index("ns-exists").unwrap()];
    s.mark_read("intro", NOW - 2 * DAY).unwrap();
    let files = s.prepare(lib, ex).unwrap();
    std::fs::write(&files[0], exercise_file("no-label.yaml")).unwrap();
    let (g, problem) = s.grade(lib, ex, lang, true, NOW - DAY);
    assert!(g.recorded && problem.is_none(), "{problem:?}");
    s.reveal_hint(&ex.id, 0, NOW - DAY + HOUR).unwrap();
    std::fs::write(&files[0], exercise_file("solution.yaml")).unwrap();
    let (g, _) = s.grade(lib, ex, lang, true, NOW - HOUR);
    assert!(g.recorded);
    s.rate("intro-02", Rating::Good, NOW - DAY, Some(9000))
        .unwrap();
    let mut p = s.progress(lib, lang, NOW, &jiff::tz::TimeZone::UTC);
    // The learner's name comes from $USER; the snapshots must not.
    p.summary.learner = "learner".into();
    p
}

/// A learner who has done nothing yet.
fn fresh(lib: &Library, lang: Lang) -> ProgressData {
    let home = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let s = Session::open(Paths::at(home.path(), Origin::Flag));
    let mut p = s.progress(lib, lang, NOW, &jiff::tz::TimeZone::UTC);
    p.summary.learner = "learner".into();
    p
}

fn make(lang: Lang, color: bool, size: (u16, u16), progress: ProgressData) -> App {
    let mut a = App::new(
        lib(),
        app::Options {
            lang,
            color,
            size,
            now: NOW,
            tz: jiff::tz::TimeZone::UTC,
        },
    );
    update(&mut a, Msg::Progress(Box::new(progress)));
    a
}

fn with_history(lang: Lang, color: bool) -> App {
    let p = history(&lib(), lang);
    make(lang, color, (80, 24), p)
}

fn act(a: &mut App, actions: &[Action]) -> Vec<Effect> {
    actions
        .iter()
        .flat_map(|&x| update(a, Msg::Act(x)))
        .collect()
}

/// Grade `file` (from the exercise's directory) as the workspace file, the
/// way the event loop answers `Effect::Grade`.
fn graded(a: &App, file: &str, recorded: bool) -> Msg {
    let lib = &a.lib;
    let ex = &lib.exercises[lib.exercise_index("ns-exists").unwrap()];
    let input = Input::new(WS, exercise_file(file));
    let outcome = match grade_inputs(&lib.content, ex, &[input], a.lang).unwrap() {
        RunGraded::Report(r) => Outcome::Report(r),
        RunGraded::Rejected(p) => Outcome::Rejected(p),
    };
    Msg::Graded(Box::new(Graded {
        exercise: ex.id.clone(),
        outcome,
        recorded,
    }))
}

/// Open the exercise and answer its effects like the loop: the workspace
/// is ready (with the hint already revealed in `history`), then graded.
fn open_exercise(a: &mut App, file: &str) {
    let fx = a.open(Target::Exercise("ns-exists".into()));
    assert_eq!(
        fx,
        [Effect::OpenExercise {
            exercise: "ns-exists".into()
        }]
    );
    let lib = lib();
    let ex = &lib.exercises[lib.exercise_index("ns-exists").unwrap()];
    let home = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let s = Session::open(Paths::at(home.path(), Origin::Flag));
    let mut info = s.workspace_info(&lib, ex, vec![PathBuf::from(WS)], None);
    // As `history` left it: one hint seen, two attempts.
    info.hints_revealed = vec![0];
    info.attempts = 2;
    let fx = update(a, Msg::Workspace(Box::new(info)));
    assert_eq!(
        fx,
        [Effect::Grade {
            exercise: "ns-exists".into(),
            record: false
        }]
    );
    let msg = graded(a, file, false);
    update(a, msg);
}

fn draw(a: &App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(a.size.0, a.size.1)).unwrap();
    t.draw(|f| view::render(a, f)).unwrap();
    t.backend().buffer().clone()
}

/// The screen as text, one quoted line per row. A double-width character
/// takes two cells; the cell it covers is not printed (and must be blank).
fn text(buf: &Buffer) -> String {
    let w = buf.area.width as usize;
    let mut out = String::new();
    for (y, cells) in buf.content.chunks(w).enumerate() {
        let mut line = String::new();
        let mut skip = 0usize;
        for (x, c) in cells.iter().enumerate() {
            if skip > 0 {
                assert!(
                    c.symbol() == " " || c.symbol().is_empty(),
                    "row {y} col {x}: {:?} drawn under a double-width character",
                    c.symbol()
                );
                skip -= 1;
                continue;
            }
            line.push_str(c.symbol());
            skip = c.symbol().width().saturating_sub(1);
        }
        assert_eq!(line.width(), w, "row {y} is not {w} columns wide: {line:?}");
        out.push('"');
        out.push_str(&line);
        out.push_str("\"\n");
    }
    out
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Ko => "ko",
    }
}

fn snap(name: &str, a: &App) -> Buffer {
    let buf = draw(a);
    insta::assert_snapshot!(format!("{name}-{}", lang_name(a.lang)), text(&buf));
    buf
}

/// Columns holding box-drawing edges, row by row.
fn edges(buf: &Buffer) -> Vec<Vec<u16>> {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .filter(|&x| {
                    matches!(
                        buf[(x, y)].symbol(),
                        "│" | "┌" | "┐" | "└" | "┘" | "├" | "┤" | "╭" | "╮" | "╰" | "╯"
                    )
                })
                .collect()
        })
        .collect()
}

/// Rows drawn reversed (a selection under the no-colour theme), as text.
fn reversed_rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .filter_map(|y| {
            let cells: Vec<_> = (0..buf.area.width)
                .map(|x| &buf[(x, y)])
                .filter(|c| c.modifier.contains(Modifier::REVERSED))
                .collect();
            if cells.is_empty() {
                return None;
            }
            assert!(
                cells.iter().all(|c| c.modifier.contains(Modifier::BOLD)),
                "row {y}: a reversed cell that is not bold"
            );
            Some(cells.iter().map(|c| c.symbol()).collect::<String>())
        })
        .collect()
}

fn assert_no_colour(buf: &Buffer, what: &str) {
    for (i, c) in buf.content.iter().enumerate() {
        assert!(
            c.fg == Color::Reset && c.bg == Color::Reset && c.underline_color == Color::Reset,
            "{what}: cell {i} ({:?}) has a colour: {c:?}",
            c.symbol()
        );
    }
}

const LANGS: [Lang; 2] = [Lang::En, Lang::Ko];

// ---------------------------------------------------------------- screens

#[test]
fn home() {
    for lang in LANGS {
        let a = with_history(lang, true);
        snap("home", &a);
        let a = make(lang, true, (80, 24), fresh(&lib(), lang));
        snap("home-fresh", &a);
    }
}

#[test]
fn home_items_pane_and_exam_filter() {
    for lang in LANGS {
        let mut a = with_history(lang, true);
        act(&mut a, &[Action::Right, Action::Down]);
        snap("home-items", &a);
        let mut a = with_history(lang, true);
        act(&mut a, &[Action::ExamFilter, Action::ExamFilter]);
        snap("home-cks", &a);
    }
}

#[test]
fn lesson() {
    for lang in LANGS {
        let mut a = with_history(lang, true);
        a.open(Target::Lesson {
            id: "intro".into(),
            heading: None,
        });
        snap("lesson", &a);
        act(&mut a, &[Action::PageDown]);
        snap("lesson-scrolled", &a);
        act(&mut a, &[Action::Contents]);
        snap("lesson-contents", &a);
    }
}

#[test]
fn lesson_at_a_wide_terminal() {
    let mut a = with_history(Lang::En, true);
    update(&mut a, Msg::Resize(120, 30));
    a.open(Target::Lesson {
        id: "intro".into(),
        heading: None,
    });
    snap("lesson-120x30", &a);
}

#[test]
fn exercise() {
    for lang in LANGS {
        let mut a = with_history(lang, true);
        open_exercise(&mut a, "no-label.yaml");
        snap("exercise-failing", &a);

        let mut a = with_history(lang, true);
        open_exercise(&mut a, "typo.yaml");
        snap("exercise-rejected", &a);

        let mut a = with_history(lang, true);
        open_exercise(&mut a, "no-label.yaml");
        let msg = graded(&a, "solution.yaml", true);
        update(&mut a, msg);
        snap("exercise-passed", &a);
        act(&mut a, &[Action::Solution]);
        snap("exercise-solution", &a);
    }
}

#[test]
fn exercise_hints_and_confirmations() {
    for lang in LANGS {
        let mut a = make(lang, true, (80, 24), fresh(&lib(), lang));
        a.open(Target::Exercise("ns-exists".into()));
        let lib = lib();
        let ex = &lib.exercises[lib.exercise_index("ns-exists").unwrap()];
        let home = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let s = Session::open(Paths::at(home.path(), Origin::Flag));
        let info = s.workspace_info(&lib, ex, vec![PathBuf::from(WS)], None);
        update(&mut a, Msg::Workspace(Box::new(info)));
        let msg = graded(&a, "no-label.yaml", false);
        update(&mut a, msg);
        act(&mut a, &[Action::Hint]);
        snap("exercise-hint", &a);
        act(&mut a, &[Action::Solution]);
        snap("exercise-confirm-solution", &a);
        act(&mut a, &[Action::No, Action::Reset]);
        snap("exercise-confirm-reset", &a);
    }
}

#[test]
fn review() {
    for lang in LANGS {
        // The card reviewed yesterday is due again first, then the new one.
        let mut a = with_history(lang, true);
        act(&mut a, &[Action::Review]);
        snap("review-basic", &a);
        act(&mut a, &[Action::Reveal]);
        snap("review-basic-answer", &a);
        let fx = act(&mut a, &[Action::Open]);
        assert!(
            matches!(&fx[..], [Effect::Rate { card, rating: Rating::Good, .. }] if card == "intro-02"),
            "{fx:?}"
        );
        snap("review-choice", &a);
        act(&mut a, &[Action::Down, Action::Down, Action::Open]);
        snap("review-choice-wrong", &a);
        let fx = act(&mut a, &[Action::Open]);
        assert!(
            matches!(&fx[..], [Effect::Rate { card, rating: Rating::Again, .. }] if card == "intro-01"),
            "a wrong choice suggests again: {fx:?}"
        );
        snap("review-done", &a);
    }
}

#[test]
fn progress() {
    for lang in LANGS {
        let mut a = with_history(lang, true);
        act(&mut a, &[Action::Progress]);
        snap("progress", &a);
    }
}

#[test]
fn overlays() {
    for lang in LANGS {
        let mut a = with_history(lang, true);
        act(&mut a, &[Action::Help]);
        snap("help-home", &a);

        let mut a = with_history(lang, true);
        open_exercise(&mut a, "no-label.yaml");
        act(&mut a, &[Action::Help]);
        snap("help-exercise", &a);

        let mut a = with_history(lang, true);
        act(&mut a, &[Action::Search]);
        for c in "name".chars() {
            update(&mut a, Msg::Input(c));
        }
        snap("search", &a);
    }
}

#[test]
fn too_small() {
    for lang in LANGS {
        let a = make(lang, true, (79, 24), fresh(&lib(), lang));
        let buf = snap("too-small-79x24", &a);
        assert!(text(&buf).contains("79×24"));
        let a = make(lang, true, (80, 23), fresh(&lib(), lang));
        let buf = draw(&a);
        assert!(text(&buf).contains("80×23"), "{}", text(&buf));
        // And 80x24 itself is a real screen.
        let a = make(lang, true, (80, 24), fresh(&lib(), lang));
        let t = text(&draw(&a));
        assert!(!t.contains("80×24"), "{t}");
    }
}

#[test]
fn resize_to_too_small_and_back() {
    let mut a = with_history(Lang::En, true);
    a.open(Target::Lesson {
        id: "intro".into(),
        heading: None,
    });
    update(&mut a, Msg::Resize(60, 20));
    assert!(text(&draw(&a)).contains("Terminal too small"));
    // Keys other than quit do nothing while too small.
    act(&mut a, &[Action::Back]);
    assert!(matches!(a.screen(), Screen::Lesson(_)));
    update(&mut a, Msg::Resize(80, 24));
    assert!(!text(&draw(&a)).contains("Terminal too small"));
    assert!(matches!(a.screen(), Screen::Lesson(_)));
}

// ----------------------------------------------------------------- styles

/// Every screen with a selection, under the no-colour theme: not one cell
/// has a colour, and the selected row is reversed and bold.
#[test]
fn no_color_selection_is_reversed_and_bold_and_nothing_is_coloured() {
    for lang in LANGS {
        let l = lang_name(lang);
        // Home: the first topic is selected.
        let a = with_history(lang, false);
        let buf = draw(&a);
        assert_no_colour(&buf, "home");
        let title = a.lib.topic_title(lang, &a.lib.topics[0]);
        let rows = reversed_rows(&buf);
        assert_eq!(rows.len(), 1, "{l} home: {rows:?}");
        assert!(rows[0].contains(&title), "{l} home: {rows:?} lacks {title}");

        // Moving the selection moves the reversed row.
        let mut a = with_history(lang, false);
        act(&mut a, &[Action::Down]);
        let title = a.lib.topic_title(lang, &a.lib.topics[1]);
        let rows = reversed_rows(&draw(&a));
        assert_eq!(rows.len(), 1, "{l}: {rows:?}");
        assert!(rows[0].contains(&title), "{l}: {rows:?} lacks {title}");

        // The items pane.
        let mut a = with_history(lang, false);
        act(&mut a, &[Action::Right, Action::Down]);
        let buf = draw(&a);
        assert_no_colour(&buf, "home items");
        let ex_title = a.lib.exercises[0].title.get(lang).to_string();
        assert!(
            reversed_rows(&buf).iter().any(|r| r.contains(&ex_title)),
            "{l}: {:?}",
            reversed_rows(&buf)
        );

        // Exercise findings: the first failing finding is selected.
        let mut a = with_history(lang, false);
        open_exercise(&mut a, "no-label.yaml");
        let buf = draw(&a);
        assert_no_colour(&buf, "exercise");
        let describe = a.lib.exercises[0].checks[1].describe.get(lang).to_string();
        let rows = reversed_rows(&buf);
        assert!(
            rows.iter().any(|r| r.contains(&describe)),
            "{l}: {rows:?} lacks {describe}"
        );

        // Review choices.
        let mut a = with_history(lang, false);
        act(
            &mut a,
            &[Action::Review, Action::Reveal, Action::Open, Action::Down],
        );
        let buf = draw(&a);
        assert_no_colour(&buf, "review");
        let card = a.lib.card("intro-01").unwrap();
        let second = card.choices.as_ref().unwrap()[1].get(lang).to_string();
        let rows = reversed_rows(&buf);
        assert!(rows.iter().any(|r| r.contains(&second)), "{l}: {rows:?}");

        // The table of contents picker.
        let mut a = with_history(lang, false);
        a.open(Target::Lesson {
            id: "intro".into(),
            heading: None,
        });
        act(&mut a, &[Action::Contents, Action::Down]);
        let buf = draw(&a);
        assert_no_colour(&buf, "contents");
        assert_eq!(reversed_rows(&buf).len(), 1, "{l}");

        // Every other screen: still no colour.
        let mut a = with_history(lang, false);
        act(&mut a, &[Action::Progress]);
        assert_no_colour(&draw(&a), "progress");
        let mut a = with_history(lang, false);
        act(&mut a, &[Action::Help]);
        assert_no_colour(&draw(&a), "help");
        let a = make(lang, false, (70, 20), fresh(&lib(), lang));
        assert_no_colour(&draw(&a), "too small");
    }
}

/// With colour, the selection is still distinguishable by more than colour.
#[test]
fn colour_selection_is_bold_too() {
    let a = with_history(Lang::En, true);
    let buf = draw(&a);
    let title = a.lib.topic_title(Lang::En, &a.lib.topics[0]);
    let y = (0..buf.area.height)
        .find(|&y| {
            let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            row.contains(&title) && row.contains('▶')
        })
        .expect("the selected topic row");
    let x = (0..buf.area.width)
        .find(|&x| buf[(x, y)].symbol() == "▶")
        .unwrap();
    assert!(buf[(x + 2, y)].modifier.contains(Modifier::BOLD));
    assert_ne!(buf[(x + 2, y)].bg, Color::Reset);
}

/// Korean text is double width: the boxes of every screen have their
/// edges in the same columns as in English (text fits its box, nothing is
/// pushed), and `text()` has checked that no character is split.
#[test]
fn korean_boxes_line_up_with_english() {
    type Go = fn(&mut App);
    let screens: Vec<(&str, Go)> = vec![
        ("home", |_| {}),
        ("home items", |a| {
            act(a, &[Action::Right]);
        }),
        ("lesson", |a| {
            a.open(Target::Lesson {
                id: "intro".into(),
                heading: None,
            });
        }),
        ("exercise", |a| open_exercise(a, "no-label.yaml")),
        ("review", |a| {
            act(a, &[Action::Review]);
        }),
        ("progress", |a| {
            act(a, &[Action::Progress]);
        }),
        ("help", |a| {
            act(a, &[Action::Help]);
        }),
    ];
    for (name, go) in screens {
        let mut en = with_history(Lang::En, true);
        go(&mut en);
        let mut ko = with_history(Lang::Ko, true);
        go(&mut ko);
        let (be, bk) = (draw(&en), draw(&ko));
        let (te, tk) = (text(&be), text(&bk));
        let (ee, ek) = (edges(&be), edges(&bk));
        // Frames are in the same columns (a lesson's own tables are sized
        // by their text, so there only the screen's right edge counts).
        let w = be.area.width;
        for y in 0..ee.len() {
            let (e, k): (Vec<u16>, Vec<u16>) = if name == "lesson" {
                let right = |v: &[u16]| v.iter().copied().filter(|&x| x + 1 == w).collect();
                (right(&ee[y]), right(&ek[y]))
            } else {
                (ee[y].clone(), ek[y].clone())
            };
            assert_eq!(
                e,
                k,
                "{name} row {y}:\nen {:?}\nko {:?}",
                te.lines().nth(y),
                tk.lines().nth(y)
            );
        }
        assert!(
            tk.chars().any(|c| ('가'..='힣').contains(&c)),
            "{name}: the Korean screen has no Hangul:\n{tk}"
        );
    }
}

/// The language switch relays out without restarting.
#[test]
fn language_switch_in_place() {
    let mut a = with_history(Lang::En, true);
    a.open(Target::Lesson {
        id: "intro".into(),
        heading: None,
    });
    assert!(text(&draw(&a)).contains("Why they matter"));
    act(&mut a, &[Action::ToggleLang]);
    assert_eq!(a.lang, Lang::Ko);
    let t = text(&draw(&a));
    assert!(t.contains("왜 중요한가"), "{t}");
    assert!(matches!(a.screen(), Screen::Lesson(_)));
}

#[test]
fn pane_after_hint_is_hints() {
    let mut a = make(Lang::En, true, (80, 24), fresh(&lib(), Lang::En));
    a.open(Target::Exercise("ns-exists".into()));
    act(&mut a, &[Action::Hint]);
    assert!(matches!(
        a.exercise_view().map(|v| v.pane),
        Some(TopPane::Hints)
    ));
}
