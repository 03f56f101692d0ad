#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `update()` driven by real key events (through the keymap, as the event
//! loop does): ctrl-c quits from everywhere, Esc goes back one step, hints
//! come one at a time and the solution only after an attempt or a "yes",
//! and what must be remembered leaves as effects that, performed by the
//! real `Session`, end up in the progress store.

use kubedojo::content::{Content, ContentSource, Lang};
use kubedojo::progress::{Origin, Paths};
use kubedojo::tui::app::{
    self, App, ConfirmAction, Effect, Graded, Msg, Outcome, Overlay, Screen, Target, TopPane,
    update,
};
use kubedojo::tui::keymap::{self, Context};
use kubedojo::tui::library::Library;
use kubedojo::tui::session::Session;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};

const NOW: i64 = 1_768_478_400_000;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tui-content")
}

fn lib() -> Library {
    Library::load(Content::new(ContentSource::Dir(fixture())).unwrap()).unwrap()
}

/// The app and the session that performs its effects, on a fresh data
/// directory.
struct Rig {
    app: App,
    session: Session,
    _home: tempfile::TempDir,
}

impl Rig {
    fn new(lang: Lang) -> Rig {
        let home = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let session = Session::open(Paths::at(home.path(), Origin::Flag));
        let mut app = App::new(
            lib(),
            app::Options {
                lang,
                color: false,
                size: (80, 24),
                now: NOW,
                tz: jiff::tz::TimeZone::UTC,
            },
        );
        let p = session.progress(&app.lib, lang, NOW, &jiff::tz::TimeZone::UTC);
        update(&mut app, Msg::Progress(Box::new(p)));
        Rig {
            app,
            session,
            _home: home,
        }
    }

    /// Press a key; perform the effects like the event loop (the editor
    /// excepted); return the effects.
    fn press(&mut self, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
        let msg = keymap::map(KeyEvent::new(code, mods), self.app.context());
        match msg {
            Some(m) => self.send(m),
            None => Vec::new(),
        }
    }

    fn key(&mut self, c: char) -> Vec<Effect> {
        self.press(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn send(&mut self, msg: Msg) -> Vec<Effect> {
        let mut all = Vec::new();
        let mut queue = std::collections::VecDeque::from([msg]);
        while let Some(m) = queue.pop_front() {
            for fx in update(&mut self.app, m) {
                all.push(fx.clone());
                queue.extend(self.perform(fx));
            }
        }
        all
    }

    fn perform(&mut self, fx: Effect) -> Vec<Msg> {
        let lib = self.app.lib.clone();
        let ex = |id: &str| lib.exercises[lib.exercise_index(id).unwrap()].clone();
        let mut out = Vec::new();
        match fx {
            Effect::OpenExercise { exercise } => {
                let e = ex(&exercise);
                let files = self.session.prepare(&lib, &e).unwrap();
                let info = self.session.workspace_info(&lib, &e, files, None);
                out.push(Msg::Workspace(Box::new(info)));
            }
            Effect::Grade { exercise, record } => {
                let (g, problem) =
                    self.session
                        .grade(&lib, &ex(&exercise), self.app.lang, record, NOW);
                assert_eq!(problem, None);
                out.push(Msg::Graded(Box::new(g)));
            }
            Effect::RevealHint { exercise, index } => {
                self.session.reveal_hint(&exercise, index, NOW).unwrap()
            }
            Effect::RevealSolution { exercise } => {
                self.session.reveal_solution(&exercise, NOW).unwrap()
            }
            Effect::MarkRead { lesson } => self.session.mark_read(&lesson, NOW).unwrap(),
            Effect::Reset { exercise } => self.session.reset(&lib, &ex(&exercise)).unwrap(),
            Effect::Rate {
                card,
                rating,
                duration_ms,
            } => self.session.rate(&card, rating, NOW, duration_ms).unwrap(),
            Effect::LoadProgress | Effect::CloseExercise | Effect::Edit { .. } => {}
        }
        out
    }

    fn view(&self) -> &app::ExerciseView {
        self.app.exercise_view().expect("the exercise screen")
    }

    fn workspace_file(&self) -> PathBuf {
        self.view().files[0].clone()
    }
}

fn ctrl_c(r: &mut Rig) {
    r.press(KeyCode::Char('c'), KeyModifiers::CONTROL);
}

fn solution_bytes() -> Vec<u8> {
    std::fs::read(fixture().join("exercises/basics/ns-exists/solution.yaml")).unwrap()
}

fn open_exercise(r: &mut Rig) {
    let fx = r.app.open(Target::Exercise("ns-exists".into()));
    assert_eq!(
        fx,
        [Effect::OpenExercise {
            exercise: "ns-exists".into()
        }]
    );
    for f in fx {
        for m in r.perform(f) {
            r.send(m);
        }
    }
}

// ------------------------------------------------------------------ quit

#[test]
fn ctrl_c_quits_from_every_screen_and_overlay() {
    type Setup = fn(&mut Rig);
    let places: Vec<(&str, Context, Setup)> = vec![
        ("home", Context::Home, |_| {}),
        ("lesson", Context::Lesson, |r| {
            r.key('l');
            r.press(KeyCode::Enter, KeyModifiers::NONE);
        }),
        ("exercise", Context::Exercise, open_exercise),
        ("review", Context::Review, |r| {
            r.key('r');
        }),
        ("progress", Context::Progress, |r| {
            r.key('p');
        }),
        ("help", Context::Help, |r| {
            r.key('?');
        }),
        ("search", Context::Search, |r| {
            r.key('/');
        }),
        ("picker", Context::Picker, |r| {
            r.key('l');
            r.press(KeyCode::Enter, KeyModifiers::NONE);
            r.key('t');
        }),
        ("confirm", Context::Confirm, |r| {
            open_exercise(r);
            r.key('R');
        }),
        ("too small", Context::TooSmall, |r| {
            r.send(Msg::Resize(40, 10));
        }),
    ];
    for (name, ctx, setup) in places {
        let mut r = Rig::new(Lang::En);
        setup(&mut r);
        assert_eq!(r.app.context(), ctx, "{name}");
        assert!(!r.app.quit);
        ctrl_c(&mut r);
        assert!(r.app.quit, "ctrl-c did not quit from {name}");
    }
}

#[test]
fn q_quits_on_screens_but_is_text_in_search_and_no_in_confirm() {
    let mut r = Rig::new(Lang::En);
    r.key('/');
    r.key('q');
    assert!(!r.app.quit);
    match &r.app.overlay {
        Some(Overlay::Search(s)) => assert_eq!(s.query, "q"),
        o => panic!("{o:?}"),
    }
    let mut r = Rig::new(Lang::En);
    open_exercise(&mut r);
    r.key('R');
    r.key('q');
    assert!(!r.app.quit, "q answers no to a confirmation");
    assert_eq!(r.app.overlay, None);
    r.key('q');
    assert!(r.app.quit);
}

// ------------------------------------------------------------------ back

#[test]
fn esc_goes_back_one_step() {
    let mut r = Rig::new(Lang::En);
    let esc = |r: &mut Rig| r.press(KeyCode::Esc, KeyModifiers::NONE);
    // Esc at home goes nowhere and does not quit.
    esc(&mut r);
    assert!(matches!(r.app.screen(), Screen::Home) && !r.app.quit);

    // home → lesson → table of contents; Esc closes the overlay first.
    r.key('l');
    r.press(KeyCode::Enter, KeyModifiers::NONE);
    assert!(matches!(r.app.screen(), Screen::Lesson(v) if v.id == "intro"));
    r.key('t');
    assert!(matches!(r.app.overlay, Some(Overlay::Picker(_))));
    esc(&mut r);
    assert_eq!(r.app.overlay, None);
    assert!(matches!(r.app.screen(), Screen::Lesson(_)));

    // lesson → its exercise (x, the only one) → back to the lesson, and
    // leaving the exercise stops watching it.
    let fx = r.key('x');
    assert!(
        fx.contains(&Effect::OpenExercise {
            exercise: "ns-exists".into()
        }),
        "{fx:?}"
    );
    assert!(matches!(r.app.screen(), Screen::Exercise(_)));
    let fx = esc(&mut r);
    assert_eq!(fx, [Effect::CloseExercise]);
    assert!(matches!(r.app.screen(), Screen::Lesson(_)));
    esc(&mut r);
    assert!(matches!(r.app.screen(), Screen::Home));
    assert_eq!(r.app.stack.len(), 1);
}

// ----------------------------------------------------------------- hints

#[test]
fn hints_are_revealed_one_at_a_time_and_recorded() {
    let mut r = Rig::new(Lang::En);
    open_exercise(&mut r);
    assert_eq!(r.view().hints, 0);
    let total = r.app.lib.exercises[r.view().idx].hints.len();
    assert_eq!(total, 2, "the fixture has two hints");

    let fx = r.key('H');
    assert_eq!(
        fx,
        [Effect::RevealHint {
            exercise: "ns-exists".into(),
            index: 0
        }]
    );
    assert_eq!(r.view().hints, 1);
    assert_eq!(r.view().pane, TopPane::Hints);

    let fx = r.key('H');
    assert_eq!(
        fx,
        [Effect::RevealHint {
            exercise: "ns-exists".into(),
            index: 1
        }]
    );
    assert_eq!(r.view().hints, 2);

    // No third hint: nothing recorded, the learner is told.
    let fx = r.key('H');
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(r.view().hints, 2);
    assert!(r.app.notice.as_ref().unwrap().text.contains("last hint"));

    // In the store: both hints, once each.
    let lib = r.app.lib.clone();
    let ex = &lib.exercises[r.view().idx];
    let info = r.session.workspace_info(&lib, ex, vec![], None);
    assert_eq!(info.hints_revealed, [0, 1]);
    assert!(!info.solution_seen, "hints are not the solution");
    let p = r
        .session
        .progress(&lib, Lang::En, NOW, &jiff::tz::TimeZone::UTC);
    assert_eq!(p.summary.hints_revealed, 2);

    // Opened again later, the exercise remembers them.
    r.press(KeyCode::Esc, KeyModifiers::NONE);
    open_exercise(&mut r);
    assert_eq!(r.view().hints, 2);
}

// -------------------------------------------------------------- solution

#[test]
fn the_solution_before_an_attempt_needs_a_yes_and_is_recorded() {
    let mut r = Rig::new(Lang::En);
    open_exercise(&mut r);
    assert_eq!(r.view().attempts, 0);
    let fx = r.key('S');
    assert!(fx.is_empty());
    match &r.app.overlay {
        Some(Overlay::Confirm(c)) => {
            assert_eq!(c.action, ConfirmAction::Solution("ns-exists".into()))
        }
        o => panic!("{o:?}"),
    }
    // "no": nothing shown, nothing recorded.
    let fx = r.key('n');
    assert!(fx.is_empty());
    assert_eq!(r.view().pane, TopPane::Task);
    assert!(!r.view().solution_seen);

    r.key('S');
    let fx = r.key('y');
    assert_eq!(
        fx,
        [Effect::RevealSolution {
            exercise: "ns-exists".into()
        }]
    );
    assert_eq!(r.view().pane, TopPane::Solution);
    assert!(r.view().solution_seen);
    let lib = r.app.lib.clone();
    let ex = &lib.exercises[r.view().idx];
    assert!(
        r.session
            .workspace_info(&lib, ex, vec![], None)
            .solution_seen
    );
    // Seen once is recorded once.
    r.press(KeyCode::Tab, KeyModifiers::NONE);
    let fx = r.key('S');
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(r.view().pane, TopPane::Solution);
}

#[test]
fn after_an_attempt_the_solution_shows_at_once_and_is_recorded() {
    let mut r = Rig::new(Lang::En);
    open_exercise(&mut r);
    // A save of a wrong answer: graded and recorded.
    let file = r.workspace_file();
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n",
    )
    .unwrap();
    let fx = r.send(Msg::FileChanged(file.clone()));
    assert_eq!(
        fx,
        [Effect::Grade {
            exercise: "ns-exists".into(),
            record: true
        }]
    );
    assert_eq!(r.view().attempts, 1);
    assert!(matches!(&r.view().result, Some(Outcome::Report(rep)) if !rep.passed));

    let fx = r.key('S');
    assert_eq!(
        fx,
        [Effect::RevealSolution {
            exercise: "ns-exists".into()
        }]
    );
    assert_eq!(r.app.overlay, None, "no question after an attempt");
    let lib = r.app.lib.clone();
    let ex = &lib.exercises[r.view().idx];
    let info = r.session.workspace_info(&lib, ex, vec![], None);
    assert!(info.solution_seen);
    assert_eq!(info.attempts, 1);
}

// --------------------------------------------------------------- grading

#[test]
fn saving_the_workspace_file_grades_and_other_files_are_ignored() {
    let mut r = Rig::new(Lang::Ko);
    open_exercise(&mut r);
    // Opening grades without recording.
    assert_eq!(r.view().attempts, 0);
    assert!(r.view().result.is_some());
    let fx = r.send(Msg::FileChanged(PathBuf::from("/somewhere/else.yaml")));
    assert!(fx.is_empty());

    let file = r.workspace_file();
    std::fs::write(&file, solution_bytes()).unwrap();
    r.send(Msg::FileChanged(file.clone()));
    assert!(matches!(&r.view().result, Some(Outcome::Report(rep)) if rep.passed));
    assert_eq!(r.view().attempts, 1);
    assert!(r.app.notice.as_ref().unwrap().text.contains("통과"));
    // The editor closing on the same bytes grades again, records nothing.
    let fx = r.send(Msg::EditorDone(None));
    assert!(matches!(&fx[0], Effect::Grade { record: true, .. }));
    assert_eq!(r.view().attempts, 1);
    let p = r
        .session
        .progress(&r.app.lib, Lang::Ko, NOW, &jiff::tz::TimeZone::UTC);
    assert_eq!(p.summary.attempts, 1);
    assert!(p.exercises["ns-exists"].passed);
}

#[test]
fn manual_recheck_and_reset() {
    let mut r = Rig::new(Lang::En);
    open_exercise(&mut r);
    let file = r.workspace_file();
    std::fs::write(&file, solution_bytes()).unwrap();
    // No watcher event (WSL2, NFS): `r` grades and records.
    let fx = r.key('r');
    assert_eq!(
        fx,
        [Effect::Grade {
            exercise: "ns-exists".into(),
            record: true
        }]
    );
    assert_eq!(r.view().attempts, 1);

    // Reset asks first; yes puts the starter (empty here) back and grades.
    r.key('R');
    let fx = r.key('y');
    assert_eq!(
        fx[0],
        Effect::Reset {
            exercise: "ns-exists".into()
        }
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"");
}

#[test]
fn a_grade_for_another_exercise_is_ignored() {
    let mut r = Rig::new(Lang::En);
    open_exercise(&mut r);
    let before = r.view().result.clone();
    r.send(Msg::Graded(Box::new(Graded {
        exercise: "some-other".into(),
        outcome: Outcome::Error("x".into()),
        recorded: true,
    })));
    assert_eq!(r.view().result, before);
    assert_eq!(r.view().attempts, 0);
}

// ---------------------------------------------------------- lesson, lang

#[test]
fn mark_read_is_recorded_and_language_switches_in_place() {
    let mut r = Rig::new(Lang::En);
    r.key('l');
    r.press(KeyCode::Enter, KeyModifiers::NONE);
    let fx = r.key('m');
    assert_eq!(
        fx,
        [Effect::MarkRead {
            lesson: "intro".into()
        }]
    );
    let p = r
        .session
        .progress(&r.app.lib, Lang::En, NOW, &jiff::tz::TimeZone::UTC);
    assert!(p.lessons_read.contains("intro"));

    r.key('L');
    assert_eq!(r.app.lang, Lang::Ko);
    match r.app.screen() {
        Screen::Lesson(v) => assert!(v.doc.headings.iter().any(|h| h.text == "왜 중요한가")),
        s => panic!("{s:?}"),
    }
}
