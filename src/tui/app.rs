//! The app's state and the only function that changes it:
//! `update(&mut App, Msg) -> Vec<Effect>`. No I/O here: keys arrive as
//! messages (through the keymap), so do the results of the outside world
//! (progress loaded, a file saved, a grade), and whatever must touch the
//! world (SQLite, files, `$EDITOR`, grading) leaves as an `Effect` for the
//! event loop to perform. Every screen can be driven by messages in tests.

pub mod exercise;
pub mod home;
pub mod lesson;
pub mod overlay;
pub mod review;

use super::keymap::{Action, Context};
use super::library::{ExamFilter, Library};
use super::markdown::Rendered;
use super::theme::Theme;
use crate::checks::Report;
use crate::content::Lang;
use crate::model::Problem;
use crate::progress::fsrs::Rating;
use crate::progress::{Attempt, ReviewQueue, Summary};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

pub use exercise::{ExerciseView, TopPane};
pub use home::{HomeItem, HomeView, Pane};
pub use lesson::LessonView;
pub use overlay::{Confirm, ConfirmAction, Overlay, Picker, Search, Target};
pub use review::ReviewView;

/// The smallest terminal the layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    Act(Action),
    /// A character typed into the search box.
    Input(char),
    /// Backspace in the search box.
    Erase,
    Resize(u16, u16),
    Progress(Box<ProgressData>),
    Workspace(Box<WorkspaceInfo>),
    Graded(Box<Graded>),
    /// A workspace file changed on disk (already debounced).
    FileChanged(PathBuf),
    /// `$EDITOR` returned; `Some` when it could not be started.
    EditorDone(Option<String>),
    Notice(Notice),
}

/// What only the event loop can do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    LoadProgress,
    MarkRead {
        lesson: String,
    },
    /// Copy the starter into the workspace if needed, watch the files,
    /// answer with `Msg::Workspace`, then grade without recording.
    OpenExercise {
        exercise: String,
    },
    CloseExercise,
    Grade {
        exercise: String,
        record: bool,
    },
    Edit {
        path: PathBuf,
        line: Option<u32>,
    },
    RevealHint {
        exercise: String,
        index: u32,
    },
    RevealSolution {
        exercise: String,
    },
    /// Put the starter back, then grade without recording.
    Reset {
        exercise: String,
    },
    Rate {
        card: String,
        rating: Rating,
        duration_ms: Option<u64>,
    },
}

/// The learner's history, as the screens need it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgressData {
    pub summary: Summary,
    /// Newest first.
    pub recent: Vec<Attempt>,
    pub lessons_read: BTreeSet<String>,
    pub exercises: BTreeMap<String, ExerciseRecord>,
    pub queue: ReviewQueue,
    /// Why progress is not being saved, when it is not.
    pub problem: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ExerciseRecord {
    pub attempts: u64,
    pub passed: bool,
    /// Best score fraction, 0..=1.
    pub best: f64,
}

/// An exercise's workspace, ready to edit.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkspaceInfo {
    pub exercise: String,
    pub files: Vec<PathBuf>,
    /// Hint indices already revealed (in earlier sessions too).
    pub hints_revealed: Vec<u32>,
    pub solution_seen: bool,
    pub attempts: u64,
    /// The reference solution: (file name, text).
    pub solution: Vec<(String, String)>,
    /// Why the files are not watched (then `r` re-checks by hand).
    pub watch_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Report(Report),
    /// The API server would reject the files: every problem.
    Rejected(Vec<Problem>),
    /// The files could not be read, or the exercise is broken.
    Error(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Graded {
    pub exercise: String,
    pub outcome: Outcome,
    /// Whether it was recorded as an attempt.
    pub recorded: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            error: false,
            text: text.into(),
        }
    }

    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            error: true,
            text: text.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Home,
    Lesson(LessonView),
    Exercise(Box<ExerciseView>),
    Review(ReviewView),
    Progress { scroll: usize },
}

pub struct App {
    pub lib: Library,
    pub lang: Lang,
    pub theme: Theme,
    pub size: (u16, u16),
    /// The time messages are handled at (Unix ms), set by the loop.
    pub now: i64,
    /// For dates on the progress screen.
    pub tz: jiff::tz::TimeZone,
    pub exam: ExamFilter,
    pub home: HomeView,
    /// Home is always at the bottom; Esc pops.
    pub stack: Vec<Screen>,
    pub overlay: Option<Overlay>,
    pub progress: ProgressData,
    pub notice: Option<Notice>,
    pub quit: bool,
}

pub struct Options {
    pub lang: Lang,
    pub color: bool,
    pub size: (u16, u16),
    pub now: i64,
    pub tz: jiff::tz::TimeZone,
}

impl App {
    pub fn new(lib: Library, opts: Options) -> App {
        let catalog = lib.catalog(opts.lang);
        let progress = ProgressData {
            summary: Summary::without_history("", &catalog),
            recent: Vec::new(),
            lessons_read: BTreeSet::new(),
            exercises: BTreeMap::new(),
            queue: ReviewQueue::default(),
            problem: None,
        };
        App {
            lib,
            lang: opts.lang,
            theme: Theme::new(opts.color),
            size: opts.size,
            now: opts.now,
            tz: opts.tz,
            exam: ExamFilter::All,
            home: HomeView::default(),
            stack: vec![Screen::Home],
            overlay: None,
            progress,
            notice: None,
            quit: false,
        }
    }

    pub fn screen(&self) -> &Screen {
        self.stack.last().unwrap_or(&Screen::Home)
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// Where keys are read now.
    pub fn context(&self) -> Context {
        if self.too_small() {
            return Context::TooSmall;
        }
        match &self.overlay {
            Some(Overlay::Help) => return Context::Help,
            Some(Overlay::Search(_)) => return Context::Search,
            Some(Overlay::Picker(_)) => return Context::Picker,
            Some(Overlay::Confirm(_)) => return Context::Confirm,
            None => {}
        }
        match self.screen() {
            Screen::Home => Context::Home,
            Screen::Lesson(_) => Context::Lesson,
            Screen::Exercise(_) => Context::Exercise,
            Screen::Review(_) => Context::Review,
            Screen::Progress { .. } => Context::Progress,
        }
    }

    /// A UI string in the current language.
    pub fn t<'a>(&self, en: &'a str, ko: &'a str) -> &'a str {
        super::i18n::t(self.lang, en, ko)
    }

    pub fn exercise_view(&self) -> Option<&ExerciseView> {
        match self.screen() {
            Screen::Exercise(v) => Some(v),
            _ => None,
        }
    }

    fn push(&mut self, screen: Screen) -> Vec<Effect> {
        let mut fx = Vec::new();
        // Only one exercise is watched: leaving one for another stops it.
        if matches!(screen, Screen::Exercise(_))
            && self.stack.iter().any(|s| matches!(s, Screen::Exercise(_)))
        {
            self.stack.retain(|s| !matches!(s, Screen::Exercise(_)));
            fx.push(Effect::CloseExercise);
        }
        self.stack.push(screen);
        fx
    }

    fn pop(&mut self) -> Vec<Effect> {
        if self.stack.len() <= 1 {
            return Vec::new();
        }
        match self.stack.pop() {
            Some(Screen::Exercise(_)) => vec![Effect::CloseExercise],
            _ => Vec::new(),
        }
    }

    /// Open whatever a target names.
    pub fn open(&mut self, target: Target) -> Vec<Effect> {
        match target {
            Target::Lesson { id, heading } => lesson::open(self, &id, heading.as_deref()),
            Target::Exercise(id) => exercise::open(self, &id),
            Target::Line(line) => {
                if let Some(Screen::Lesson(v)) = self.stack.last_mut() {
                    v.scroll = line;
                    lesson::clamp(self);
                }
                Vec::new()
            }
            Target::Review => review::open(self),
            Target::Progress => self.push(Screen::Progress { scroll: 0 }),
        }
    }

    /// Lay out what depends on the width or the language again.
    fn relayout(&mut self) {
        lesson::relayout(self);
        exercise::relayout(self);
    }
}

/// Lay out markdown for a screen of this app.
pub(crate) fn render_markdown(app: &App, text: &str, width: u16) -> Rendered {
    super::markdown::render(text, width, &app.theme, false)
}

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Resize(w, h) => {
            app.size = (w, h);
            app.relayout();
            Vec::new()
        }
        Msg::Progress(p) => {
            app.progress = *p;
            home::clamp(app);
            Vec::new()
        }
        Msg::Workspace(w) => exercise::workspace(app, *w),
        Msg::Graded(g) => exercise::graded(app, *g),
        Msg::FileChanged(path) => exercise::file_changed(app, &path),
        Msg::EditorDone(error) => exercise::editor_done(app, error),
        Msg::Notice(n) => {
            app.notice = Some(n);
            Vec::new()
        }
        Msg::Input(c) => overlay::input(app, Some(c)),
        Msg::Erase => overlay::input(app, None),
        Msg::Act(a) => act(app, a),
    }
}

fn act(app: &mut App, a: Action) -> Vec<Effect> {
    app.notice = None;
    if a == Action::ForceQuit {
        app.quit = true;
        return Vec::new();
    }
    if app.too_small() {
        if a == Action::Quit {
            app.quit = true;
        }
        return Vec::new();
    }
    if app.overlay.is_some() {
        return overlay::act(app, a);
    }
    match a {
        Action::Quit => {
            app.quit = true;
            return Vec::new();
        }
        Action::Help => {
            app.overlay = Some(Overlay::Help);
            return Vec::new();
        }
        Action::Search => {
            overlay::open_search(app);
            return Vec::new();
        }
        Action::ToggleLang => {
            app.lang = match app.lang {
                Lang::En => Lang::Ko,
                Lang::Ko => Lang::En,
            };
            app.relayout();
            // Findings are worded by the checkers, in the grading language.
            return match app.exercise_view() {
                Some(v) if v.result.is_some() => vec![Effect::Grade {
                    exercise: app.lib.exercises[v.idx].id.clone(),
                    record: false,
                }],
                _ => Vec::new(),
            };
        }
        Action::Back => return app.pop(),
        _ => {}
    }
    match app.screen() {
        Screen::Home => home::act(app, a),
        Screen::Lesson(_) => lesson::act(app, a),
        Screen::Exercise(_) => exercise::act(app, a),
        Screen::Review(_) => review::act(app, a),
        Screen::Progress { .. } => {
            if let Some(Screen::Progress { scroll }) = app.stack.last_mut() {
                *scroll = match a {
                    Action::Up => scroll.saturating_sub(1),
                    Action::Down => *scroll + 1,
                    Action::PageUp => scroll.saturating_sub(10),
                    Action::PageDown => *scroll + 10,
                    Action::Top => 0,
                    Action::Bottom => usize::MAX / 2,
                    _ => *scroll,
                };
            }
            Vec::new()
        }
    }
}
