//! Exit codes, failures and the small bits of output every command shares.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// 0: pass, yes, valid.
    Pass,
    /// 1: fail, no, invalid.
    Fail,
    /// 2: bad input, already reported in full (so nothing more is printed).
    Rejected,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        match e {
            Exit::Pass => ExitCode::SUCCESS,
            Exit::Fail => ExitCode::from(1),
            Exit::Rejected => ExitCode::from(2),
        }
    }
}

/// Bad input or usage: one clear message, exit 2.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
        }
    }

    /// Print and return exit code 2. In JSON mode stdout still gets one
    /// document, so a script never parses an empty stream.
    pub fn report(&self, json: bool) -> ExitCode {
        if json {
            println!("{}", serde_json::json!({ "error": self.message }));
        }
        eprintln!("kubedojo: {}", self.message);
        ExitCode::from(2)
    }
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure {
            message: e.to_string(),
        }
    }
}

/// Colour only on a terminal, and never with NO_COLOR or `--no-color`.
pub fn use_color(no_color_flag: bool) -> bool {
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color_flag
        && !no_color_env
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
        && std::io::stdout().is_terminal()
}

pub fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Print one JSON document. A closed pipe (`| head`) is not an error.
pub fn print_json(value: &impl serde::Serialize) {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut out, value);
    let _ = writeln!(out);
}
