#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The app in a real terminal: tmux runs a shell, the shell runs the
//! binary, the test types keys and reads the screen with `capture-pane`.
//! It opens a lesson, opens an exercise, saves the reference solution into
//! the workspace file (the watcher re-grades it), sees it pass, quits with
//! `q`, and checks the terminal was restored: the alternate screen is left
//! (tmux says so, and the shell's lines are back), the cursor is shown and
//! the tty is out of raw mode (`stty` reports `icanon` and `echo`).
//! A second run goes through `e`: the "editor" (a script that writes the
//! solution) runs with the app suspended, and the app comes back intact.
//!
//! Skipped, with the reason printed, when tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kubedojo");
/// The shell's prompt (capture-pane drops trailing blanks, so no space).
const PROMPT: &str = "shell>";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tui-content")
}

fn tmux_missing() -> Option<String> {
    match Command::new("tmux").arg("-V").output() {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(format!(
            "`tmux -V` failed: {}",
            String::from_utf8_lossy(&o.stderr)
        )),
        Err(e) => Some(format!("tmux is not installed ({e})")),
    }
}

/// A tmux server of our own (its own socket, no user config), killed on
/// drop, running one session with a plain shell.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str) -> Tmux {
        let t = Tmux {
            socket: format!("kubedojo-test-{name}-{}", std::process::id()),
        };
        let out = t.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "100",
            "-y",
            "30",
            "env",
            &format!("PS1={PROMPT} "),
            "TERM=tmux-256color",
            "sh",
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t.wait_for("the shell", |s| s.contains(PROMPT));
        t
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    fn display(&self, format: &str) -> String {
        String::from_utf8_lossy(
            &self
                .run(&["display-message", "-p", "-t", "t", format])
                .stdout,
        )
        .trim()
        .to_string()
    }

    /// Type text literally, then Enter.
    fn line(&self, text: &str) {
        self.run(&["send-keys", "-t", "t", "-l", text]);
        self.run(&["send-keys", "-t", "t", "Enter"]);
    }

    /// Press keys by tmux name (`Enter`, `Escape`, `q`).
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "t", k]);
        }
    }

    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("waited 20s for {what}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// A fresh data directory under the build's temporary directory.
fn home(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("tui-tmux-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn command_line(home: &Path, extra_env: &str) -> String {
    format!(
        "KUBEDOJO_HOME='{}' {extra_env} '{BIN}' --lang en --content '{}'; echo \"EXIT=$?\"",
        home.display(),
        fixture().display()
    )
}

/// Home → the first topic's items → its lesson → the lesson's exercise.
fn open_lesson_then_exercise(t: &Tmux) {
    t.wait_for("the home screen", |s| s.contains("kubedojo › Home"));
    assert_eq!(
        t.display("#{alternate_on}"),
        "1",
        "the app runs on the alternate screen"
    );
    t.keys(&["Enter", "Enter"]);
    t.wait_for("the lesson", |s| s.contains("Why they matter"));
    t.keys(&["x"]);
    // Opening grades the empty workspace file at once.
    t.wait_for("the exercise, graded", |s| {
        s.contains("Create the namespace") && s.contains("no Kubernetes objects in this file")
    });
}

fn quit_and_check_restored(t: &Tmux) {
    t.keys(&["q"]);
    let s = t.wait_for("the shell after quitting", |s| s.contains("EXIT=0"));
    assert!(
        !s.contains("kubedojo ›"),
        "the app's screen is still shown:\n{s}"
    );
    assert!(s.contains(PROMPT), "{s}");
    assert_eq!(
        t.display("#{alternate_on}"),
        "0",
        "the alternate screen was left"
    );
    assert_eq!(
        t.display("#{cursor_flag}"),
        "1",
        "the cursor is shown again"
    );
    // Raw mode is off: the tty is canonical and echoes again.
    t.line(
        "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo | sort | tr '\\n' ' '; echo STTY",
    );
    let s = t.wait_for("stty", |s| {
        s.contains("echo icanon STTY") || s.contains("-icanon")
    });
    assert!(s.contains("echo icanon STTY"), "the tty is still raw:\n{s}");
}

#[test]
fn open_a_lesson_and_an_exercise_save_the_solution_see_it_pass_and_quit() {
    if let Some(why) = tmux_missing() {
        println!("skipped: {why}");
        return;
    }
    let home = home("save");
    let t = Tmux::start("save");
    t.line(&command_line(&home, "NO_COLOR=1"));
    open_lesson_then_exercise(&t);

    let ws = home.join("workspace/ns-exists/ns.yaml");
    assert!(ws.exists(), "the workspace file was made: {}", ws.display());
    let solution = fixture().join("exercises/basics/ns-exists/solution.yaml");
    std::fs::write(&ws, std::fs::read(&solution).unwrap()).unwrap();
    let s = t.wait_for("the pass after saving", |s| s.contains("passed ✓"));
    assert!(s.contains("Passed, 3/3"), "{s}");

    quit_and_check_restored(&t);
    assert!(
        home.join("progress.db").exists(),
        "the attempt was recorded"
    );
}

#[test]
fn edit_with_the_editor_and_come_back_to_an_intact_screen() {
    if let Some(why) = tmux_missing() {
        println!("skipped: {why}");
        return;
    }
    let home = home("edit");
    // The "editor": writes the solution into the file it is given.
    let editor = home.join("editor.sh");
    let solution = fixture().join("exercises/basics/ns-exists/solution.yaml");
    std::fs::write(
        &editor,
        format!("#!/bin/sh\ncp '{}' \"$1\"\n", solution.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let t = Tmux::start("edit");
    t.line(&command_line(
        &home,
        &format!("VISUAL='{}'", editor.display()),
    ));
    open_lesson_then_exercise(&t);
    t.keys(&["e"]);
    let s = t.wait_for("the pass after editing", |s| s.contains("passed ✓"));
    // Back on the alternate screen, the whole exercise screen redrawn.
    assert_eq!(t.display("#{alternate_on}"), "1");
    assert!(
        s.contains("Create the namespace") && s.contains("kubedojo ›"),
        "{s}"
    );
    assert!(!s.contains(PROMPT), "the shell shows through:\n{s}");
    quit_and_check_restored(&t);
}

/// Piped (CI, scripts): one message on stderr, nothing on stdout, exit 2,
/// and no waiting for keys that never come.
#[test]
fn without_a_terminal_it_says_so_and_exits_2() {
    let home = home("pipe");
    let out = Command::new(BIN)
        .env("KUBEDOJO_HOME", &home)
        .arg("--content")
        .arg(fixture())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("needs a terminal") && err.contains("--plain"),
        "{err}"
    );
    assert!(!home.join("progress.db").exists(), "nothing was written");
}

/// A panic (forced in debug builds by KUBEDOJO_DEBUG_PANIC after the first
/// frame) restores the terminal before the message is printed.
#[test]
fn a_panic_restores_the_terminal() {
    if let Some(why) = tmux_missing() {
        println!("skipped: {why}");
        return;
    }
    if !cfg!(debug_assertions) {
        println!("skipped: the panic switch exists in debug builds only");
        return;
    }
    let home = home("panic");
    let t = Tmux::start("panic");
    t.line(&command_line(&home, "KUBEDOJO_DEBUG_PANIC=1"));
    // (The typed command itself reads `EXIT=$?`.)
    let s = t.wait_for("the crash", |s| {
        s.lines()
            .any(|l| l.starts_with("EXIT=") && !l.contains('$'))
    });
    assert!(s.contains("EXIT=101"), "{s}");
    assert!(s.contains("kubedojo crashed: this is a bug"), "{s}");
    assert!(s.contains("KUBEDOJO_DEBUG_PANIC is set"), "{s}");
    assert!(
        !s.contains("kubedojo ›"),
        "the app's screen is still shown:\n{s}"
    );
    assert_eq!(
        t.display("#{alternate_on}"),
        "0",
        "the alternate screen was left"
    );
    assert_eq!(
        t.display("#{cursor_flag}"),
        "1",
        "the cursor is shown again"
    );
    t.line(
        "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo | sort | tr '\\n' ' '; echo STTY",
    );
    let s = t.wait_for("stty", |s| {
        s.contains("echo icanon STTY") || s.contains("-icanon")
    });
    assert!(s.contains("echo icanon STTY"), "the tty is still raw:\n{s}");
}
