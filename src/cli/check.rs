//! `kubedojo check EXERCISE [FILE...]`: grade the learner's files (or,
//! with `--live`, the cluster: see `live_check`).

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::checks::Report;
use crate::checks::run::{Graded, grade_inputs};
use crate::content::Exercise;
use crate::model::Problem;
use crate::model::load::read_file;
use crate::model::yaml::Limits;
use crate::progress::{NewAttempt, Source};
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
    let graded = grade_inputs(&g.content, &ex, &inputs, g.lang)?;
    let exit = print_graded(g, &ex, &a, &graded);
    super::progress::record_check(g, attempt_of(&ex, &graded));
    Ok(exit)
}

/// The attempt to remember for a graded check. Files the API server would
/// reject score 0, with one `validation` finding.
fn attempt_of(ex: &Exercise, graded: &Graded) -> NewAttempt {
    match graded {
        Graded::Rejected(problems) => new_attempt(
            ex,
            Source::Yaml,
            false,
            0,
            serde_json::json!([{
                "check": "validation",
                "passed": false,
                "message": format!("{} problem(s); first: {}", problems.len(),
                    problems.first().map(|p| p.to_string()).unwrap_or_default()),
            }]),
        ),
        Graded::Report(r) => report_attempt(ex, r, Source::Yaml),
    }
}

/// The attempt to remember for a graded report, from files or (with
/// `--live`) from the cluster: the findings as `check --json` prints them.
pub(super) fn report_attempt(ex: &Exercise, r: &Report, source: Source) -> NewAttempt {
    let findings = serde_json::to_value(&r.findings).unwrap_or(serde_json::Value::Null);
    new_attempt(ex, source, r.passed, r.score, findings)
}

fn new_attempt(
    ex: &Exercise,
    source: Source,
    passed: bool,
    score: u32,
    findings: serde_json::Value,
) -> NewAttempt {
    NewAttempt {
        exercise: ex.id.clone(),
        at: crate::progress::ids::now_ms(),
        source,
        passed,
        score,
        max_score: ex.max_score(),
        findings,
        duration_ms: None,
        exam_session: None,
    }
}

fn print_graded(g: &Global, ex: &Exercise, a: &Args, graded: &Graded) -> Exit {
    match graded {
        Graded::Rejected(problems) => {
            if a.json {
                print_json(&Rejected {
                    exercise: &ex.id,
                    passed: false,
                    score: 0,
                    max_score: ex.max_score(),
                    findings: [],
                    problems,
                });
            } else {
                for p in problems {
                    super::validate::print_problem(g.color, p);
                }
                eprintln!(
                    "kubedojo: not graded: the API server would reject these files; fix the problems above first"
                );
            }
            Exit::Rejected
        }
        Graded::Report(report) => {
            if a.json {
                print_json(report);
            } else {
                print_report(g, ex.title.get(g.lang), report);
            }
            if report.passed {
                Exit::Pass
            } else {
                Exit::Fail
            }
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
