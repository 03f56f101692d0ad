//! `kubedojo validate -f FILE...`: would the API server take this?

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::model::Problem;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files to validate (many YAML documents and `kind: List` allowed).
    #[arg(short = 'f', long = "filename", required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    valid: bool,
    problems: &'a [Problem],
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    let v = crate::validate::validate_files(&a.files)?;
    if a.json {
        print_json(&JsonOut {
            valid: v.is_valid(),
            problems: &v.problems,
        });
    } else {
        // A closed pipe (`| head`) ends the listing; it is not an error.
        let _ = print_text(g.color, &a.files, &v);
    }
    Ok(if v.is_valid() { Exit::Pass } else { Exit::Fail })
}

fn print_text(
    color: bool,
    files: &[PathBuf],
    v: &crate::validate::Validated,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    if v.is_valid() {
        let n = files.len();
        writeln!(
            out,
            "{} {} object{} in {} file{} would be accepted by a Kubernetes 1.36 API server",
            paint(color, "32", "valid:"),
            v.objects.len(),
            if v.objects.len() == 1 { "" } else { "s" },
            n,
            if n == 1 { "" } else { "s" }
        )?;
        return Ok(());
    }
    for p in &v.problems {
        write_problem(&mut out, color, p)?;
    }
    let n = v.problems.len();
    writeln!(
        out,
        "{}",
        paint(
            color,
            "31",
            &format!("invalid: {n} problem{}", if n == 1 { "" } else { "s" })
        )
    )
}

pub fn print_problem(color: bool, p: &Problem) {
    let _ = write_problem(&mut std::io::stdout().lock(), color, p);
}

fn write_problem(out: &mut impl Write, color: bool, p: &Problem) -> std::io::Result<()> {
    let at = paint(color, "1", &format!("{}:{}:{}", p.file, p.line, p.column));
    match &p.object {
        Some(o) => writeln!(out, "{at}: {o}: {}", p.message)?,
        None => writeln!(out, "{at}: {}", p.message)?,
    }
    if let Some(h) = &p.hint {
        writeln!(out, "    {} {h}", paint(color, "36", "hint:"))?;
    }
    Ok(())
}
