//! `kubedojo check EXERCISE [FILE...]`: grade the learner's files (or,
//! with `--live`, the cluster: see `live_check`).

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::checks::Report;
use crate::checks::run::{Graded, grade_inputs};
use crate::model::Problem;
use crate::model::load::read_file;
use crate::model::yaml::Limits;
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Exercise id (see `kubedojo exercises`).
    pub exercise: String,
    /// Your files; default: the exercise's workspace files in this directory.
    pub files: Vec<PathBuf>,
    #[arg(long)]
    pub json: bool,
    /// Grade the live cluster instead of files (see `kubedojo cluster`).
    #[arg(long)]
    pub live: bool,
    /// Kubeconfig context to grade with --live.
    #[arg(long, requires = "live", default_value = crate::live::DEFAULT_CONTEXT)]
    pub context: String,
    /// Allow --live against a context whose server is not on this machine.
    #[arg(long, requires = "live")]
    pub allow_remote: bool,
}

#[derive(Serialize)]
struct Rejected<'a> {
    exercise: &'a str,
    passed: bool,
    score: u32,
    max_score: u32,
    findings: [(); 0],
    problems: &'a [Problem],
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    let ex = g.content.exercise(&a.exercise)?;
    if a.live {
        return super::live_check::run(g, &ex, &a);
    }
    let files: Vec<PathBuf> = if a.files.is_empty() {
        ex.workspace
            .iter()
            .map(|w| PathBuf::from(&w.file))
            .collect()
    } else {
        a.files.clone()
    };
    if files.is_empty() {
        return Err(Failure::usage(format!(
            "give the files to grade: kubedojo check {} FILE...",
            ex.id
        )));
    }
    let limits = Limits::default();
    let inputs = files
        .iter()
        .map(|f| read_file(f, &limits))
        .collect::<Result<Vec<_>, _>>()?;
    match grade_inputs(&g.content, &ex, &inputs, g.lang)? {
        Graded::Rejected(problems) => {
            if a.json {
                print_json(&Rejected {
                    exercise: &ex.id,
                    passed: false,
                    score: 0,
                    max_score: ex.max_score(),
                    findings: [],
                    problems: &problems,
                });
            } else {
                for p in &problems {
                    super::validate::print_problem(g.color, p);
                }
                eprintln!(
                    "kubedojo: not graded: the API server would reject these files; fix the problems above first"
                );
            }
            Ok(Exit::Rejected)
        }
        Graded::Report(report) => {
            if a.json {
                print_json(&report);
            } else {
                print_report(g, ex.title.get(g.lang), &report);
            }
            Ok(if report.passed {
                Exit::Pass
            } else {
                Exit::Fail
            })
        }
    }
}

pub(super) fn print_report(g: &Global, title: &str, r: &Report) {
    println!("{} — {title}", paint(g.color, "1", &r.exercise));
    for f in &r.findings {
        let mark = if f.passed {
            paint(g.color, "32", "✓")
        } else {
            paint(g.color, "31", "✗")
        };
        println!("  {mark} {}", f.message);
        if !f.passed {
            if let Some(l) = &f.location {
                println!("      at {l}");
            }
            if let Some(h) = &f.hint {
                println!("      {} {h}", paint(g.color, "36", "hint:"));
            }
        }
    }
    let verdict = if r.passed {
        paint(g.color, "32", "passed")
    } else {
        paint(g.color, "31", "not yet")
    };
    println!("score {}/{}: {verdict}", r.score, r.max_score);
}

pub(super) fn verdict_exit(r: &Report) -> Exit {
    if r.passed { Exit::Pass } else { Exit::Fail }
}
