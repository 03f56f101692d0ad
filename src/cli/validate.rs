//! `kubedojo validate -f FILE...`: would the API server take this?

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::model::Problem;
use serde::Serialize;
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
    } else if v.is_valid() {
        let files = a.files.len();
        println!(
            "{} {} object{} in {} file{} would be accepted by a Kubernetes 1.36 API server",
            paint(g.color, "32", "valid:"),
            v.objects.len(),
            if v.objects.len() == 1 { "" } else { "s" },
            files,
            if files == 1 { "" } else { "s" }
        );
    } else {
        for p in &v.problems {
            print_problem(g.color, p);
        }
        let n = v.problems.len();
        println!(
            "{}",
            paint(
                g.color,
                "31",
                &format!("invalid: {n} problem{}", if n == 1 { "" } else { "s" })
            )
        );
    }
    Ok(if v.is_valid() { Exit::Pass } else { Exit::Fail })
}

pub fn print_problem(color: bool, p: &Problem) {
    let at = paint(color, "1", &format!("{}:{}:{}", p.file, p.line, p.column));
    match &p.object {
        Some(o) => println!("{at}: {o}: {}", p.message),
        None => println!("{at}: {}", p.message),
    }
    if let Some(h) = &p.hint {
        println!("    {} {h}", paint(color, "36", "hint:"));
    }
}
