//! The app (`kubedojo` with no command): terminal lifecycle and the event
//! loop. The terminal is restored on every way out: a guard whose `Drop`
//! runs on return and on unwinding, and a panic hook that restores before
//! the panic message is printed. One thread reads the terminal
//! (`event::poll` with a short timeout); the file watcher reports on a
//! channel, debounced here; effects are performed here and answer with
//! messages. Suspending for `$EDITOR` leaves the alternate screen and raw
//! mode, and nothing reads the terminal while the editor runs.
//!
//! Without a terminal (a pipe, CI) the app says so and exits 2 instead of
//! waiting for keys that never come; `--plain` is the line-by-line mode
//! that works anywhere (and with screen readers).

pub mod app;
pub mod editor;
pub mod i18n;
pub mod keymap;
pub mod library;
pub mod markdown;
pub mod plain;
pub mod session;
pub mod theme;
pub mod view;
pub mod watch;

use crate::cli::{Exit, Failure};
use crate::content::{Content, Lang};
use crate::progress::Paths;
use crate::progress::ids::now_ms;
use app::{App, Effect, Msg, Notice};
use library::Library;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use session::Session;
use std::collections::HashMap;
use std::io::{IsTerminal, Stdout, Write};
use std::path::PathBuf;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

/// How long a file must stay quiet after a change before it is graded:
/// editors write a file in several steps.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// How often the loop looks at the watcher's channel while no key comes.
const TICK: Duration = Duration::from_millis(100);

pub struct RunOptions {
    pub content: Content,
    pub lang: Lang,
    pub color: bool,
    pub data_dir: Option<PathBuf>,
    pub plain: bool,
    pub mouse: bool,
}

pub const NO_TERMINAL: &str = "the app needs a terminal (stdin and stdout are not one here); use `kubedojo --plain` for the line-by-line mode, or the commands in `kubedojo --help` (check, lessons, exercises, progress, ...) in scripts";

pub fn run(o: RunOptions) -> Result<Exit, Failure> {
    let lib = Library::load(o.content.clone())?;
    let paths = Paths::resolve(o.data_dir.as_deref())?;
    let session = Session::open(paths);
    if o.plain {
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        plain::run(lib, session, o.lang, stdin.lock(), stdout.lock())
            .map_err(|e| Failure::usage(format!("cannot write to the terminal: {e}")))?;
        return Ok(Exit::Pass);
    }
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(Failure::usage(NO_TERMINAL));
    }
    let size = ratatui::crossterm::terminal::size()
        .map_err(|e| Failure::usage(format!("cannot read the terminal size: {e}")))?;
    let mut app = App::new(
        lib,
        app::Options {
            lang: o.lang,
            color: o.color,
            size,
            now: now_ms(),
            tz: jiff::tz::TimeZone::system(),
        },
    );
    let (guard, terminal) =
        Guard::enter(o.mouse).map_err(|e| Failure::usage(format!("cannot start the app: {e}")))?;
    let (tx, rx) = mpsc::channel();
    let mut lp = Loop {
        session,
        terminal,
        guard,
        tx,
        rx,
        watcher: None,
        pending: HashMap::new(),
    };
    let result = lp.run(&mut app);
    drop(lp);
    result.map_err(|e| Failure::usage(format!("terminal error: {e}")))?;
    Ok(Exit::Pass)
}

type Term = Terminal<CrosstermBackend<Stdout>>;

/// Restores the terminal when dropped.
struct Guard {
    mouse: bool,
}

static PANIC_HOOK: Once = Once::new();

impl Guard {
    fn enter(mouse: bool) -> std::io::Result<(Guard, Term)> {
        PANIC_HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore(true);
                eprintln!(
                    "kubedojo crashed: this is a bug. Please report it with the message below; your progress is saved."
                );
                previous(info);
            }));
        });
        let guard = Guard { mouse };
        guard.resume()?;
        let terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
        Ok((guard, terminal))
    }

    fn resume(&self) -> std::io::Result<()> {
        ACTIVE.store(true, Ordering::SeqCst);
        enable_raw_mode()?;
        let mut out = std::io::stdout();
        execute!(out, EnterAlternateScreen, cursor::Hide)?;
        if self.mouse {
            execute!(out, EnableMouseCapture)?;
        }
        Ok(())
    }

    fn suspend(&self) {
        restore(self.mouse);
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore(self.mouse);
    }
}

/// Whether the app's terminal modes are on. Leaving the alternate screen
/// twice is not harmless: the second time moves the cursor back to where
/// the app started, so what was printed after the first (the panic
/// message) is overwritten by the shell. The panic hook restores, then the
/// guard's `Drop` runs while unwinding: only the first does anything.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Leave the app's terminal modes, once.
fn restore(mouse: bool) {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = std::io::stdout();
    if mouse {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

struct Loop {
    session: Session,
    terminal: Term,
    guard: Guard,
    tx: Sender<PathBuf>,
    rx: Receiver<PathBuf>,
    watcher: Option<watch::Watcher>,
    /// Files changed and when they last changed, waiting out `DEBOUNCE`.
    pending: HashMap<PathBuf, Instant>,
}

impl Loop {
    fn run(&mut self, app: &mut App) -> std::io::Result<()> {
        self.dispatch(app, vec![Msg::Progress(Box::new(self.progress(app)))]);
        let mut dirty = true;
        loop {
            if dirty {
                self.terminal.draw(|f| view::render(app, f))?;
                dirty = false;
                // Debug builds only: lets tests/tui_tmux.rs prove the
                // terminal is restored when the app panics.
                #[cfg(debug_assertions)]
                if std::env::var_os("KUBEDOJO_DEBUG_PANIC").is_some() {
                    panic!("KUBEDOJO_DEBUG_PANIC is set");
                }
            }
            if app.quit {
                return Ok(());
            }
            let mut msgs = Vec::new();
            if event::poll(TICK)? {
                match event::read()? {
                    Event::Key(k) => msgs.extend(keymap::map(k, app.context())),
                    Event::Resize(w, h) => msgs.push(Msg::Resize(w, h)),
                    _ => {}
                }
            }
            while let Ok(path) = self.rx.try_recv() {
                self.pending.insert(path, Instant::now());
            }
            let quiet: Vec<PathBuf> = self
                .pending
                .iter()
                .filter(|(_, t)| t.elapsed() >= DEBOUNCE)
                .map(|(p, _)| p.clone())
                .collect();
            for p in quiet {
                self.pending.remove(&p);
                msgs.push(Msg::FileChanged(p));
            }
            if !msgs.is_empty() {
                self.dispatch(app, msgs);
                dirty = true;
            }
        }
    }

    /// Handle messages, perform their effects, handle the answers.
    fn dispatch(&mut self, app: &mut App, msgs: Vec<Msg>) {
        let mut queue: std::collections::VecDeque<Msg> = msgs.into();
        while let Some(msg) = queue.pop_front() {
            app.now = now_ms();
            for effect in app::update(app, msg) {
                queue.extend(self.perform(app, effect));
            }
        }
    }

    fn progress(&self, app: &App) -> app::ProgressData {
        self.session.progress(&app.lib, app.lang, now_ms(), &app.tz)
    }

    fn perform(&mut self, app: &App, effect: Effect) -> Vec<Msg> {
        let now = now_ms();
        let exercise = |id: &str| app.lib.exercise_index(id).map(|i| &app.lib.exercises[i]);
        let mut out = Vec::new();
        let mut refresh = false;
        let failed = |e: Option<String>, out: &mut Vec<Msg>| {
            if let Some(e) = e {
                let text = match app.lang {
                    Lang::En => format!("progress not saved: {e}"),
                    Lang::Ko => format!("진행 상황을 저장하지 못했습니다: {e}"),
                };
                out.push(Msg::Notice(Notice::error(text)));
            }
        };
        match effect {
            Effect::LoadProgress => refresh = true,
            Effect::MarkRead { lesson } => {
                failed(self.session.mark_read(&lesson, now).err(), &mut out);
                refresh = true;
            }
            Effect::OpenExercise { exercise: id } => {
                let Some(ex) = exercise(&id) else { return out };
                self.watcher = None;
                self.pending.clear();
                match self.session.prepare(&app.lib, ex) {
                    Ok(files) => {
                        let (watcher, watch_error) = match watch::watch(&files, self.tx.clone()) {
                            Ok(w) => (Some(w), None),
                            Err(e) => (None, Some(e)),
                        };
                        self.watcher = watcher;
                        let info = self
                            .session
                            .workspace_info(&app.lib, ex, files, watch_error);
                        out.push(Msg::Workspace(Box::new(info)));
                    }
                    Err(e) => out.push(Msg::Notice(Notice::error(e))),
                }
            }
            Effect::CloseExercise => {
                self.watcher = None;
                self.pending.clear();
            }
            Effect::Grade {
                exercise: id,
                record,
            } => {
                let Some(ex) = exercise(&id) else { return out };
                let (graded, problem) = self.session.grade(&app.lib, ex, app.lang, record, now);
                refresh = graded.recorded;
                out.push(Msg::Graded(Box::new(graded)));
                failed(problem, &mut out);
            }
            Effect::Edit { path, line } => out.push(Msg::EditorDone(self.edit(&path, line).err())),
            Effect::RevealHint { exercise, index } => {
                failed(
                    self.session.reveal_hint(&exercise, index, now).err(),
                    &mut out,
                );
                refresh = true;
            }
            Effect::RevealSolution { exercise } => {
                failed(self.session.reveal_solution(&exercise, now).err(), &mut out);
                refresh = true;
            }
            Effect::Reset { exercise: id } => {
                let Some(ex) = exercise(&id) else { return out };
                match self.session.reset(&app.lib, ex) {
                    Ok(()) => {
                        let (graded, _) = self.session.grade(&app.lib, ex, app.lang, false, now);
                        out.push(Msg::Graded(Box::new(graded)));
                    }
                    Err(e) => out.push(Msg::Notice(Notice::error(e))),
                }
            }
            Effect::Rate {
                card,
                rating,
                duration_ms,
            } => {
                failed(
                    self.session.rate(&card, rating, now, duration_ms).err(),
                    &mut out,
                );
                refresh = true;
            }
        }
        if refresh {
            out.push(Msg::Progress(Box::new(self.progress(app))));
        }
        out
    }

    /// Run the learner's editor on `path` with the app suspended.
    fn edit(&mut self, path: &std::path::Path, line: Option<u32>) -> Result<(), String> {
        let words = editor::command(
            std::env::var("VISUAL").ok().as_deref(),
            std::env::var("EDITOR").ok().as_deref(),
        )?;
        let (program, fixed) = words.split_first().ok_or("no editor")?;
        self.guard.suspend();
        let status = std::process::Command::new(program)
            .args(fixed)
            .args(editor::args(program, path, line))
            .status();
        let resumed = self.guard.resume();
        let _ = self.terminal.clear();
        resumed.map_err(|e| format!("cannot return to the app: {e}"))?;
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("{program} exited with {s}")),
            Err(e) => Err(format!(
                "cannot run the editor \"{program}\": {e}; set VISUAL or EDITOR to the editor you use"
            )),
        }
    }
}
