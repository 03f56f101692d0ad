//! An exercise proves itself: its reference solution passes every check,
//! each listed wrong answer fails exactly where it says it fails, and the
//! starter files do not pass. Used by the tests and by `validate-content`.

use super::run::{Graded, RunError, grade_inputs};
use crate::content::{Content, Exercise, Lang};
use crate::model::load::Input;

/// Every way `ex` fails to prove itself (empty when it is sound).
pub fn prove(content: &Content, ex: &Exercise) -> Vec<String> {
    let mut errs = Vec::new();
    for spec in &ex.checks {
        match super::registry::checker(&spec.check) {
            None => errs.push(format!(
                "check {}: unknown checker \"{}\"",
                spec.id, spec.check
            )),
            Some(_) if spec.describe.en.is_empty() || spec.describe.ko.is_empty() => errs.push(
                format!("check {}: `describe` needs both en and ko", spec.id),
            ),
            Some(_) => {}
        }
    }
    let mut ids: Vec<&str> = ex.checks.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        errs.push("two checks share an id".into());
    }
    match inputs(content, ex, &ex.solution) {
        Err(e) => errs.push(format!("solution: {e}")),
        Ok(sol) => match grade_inputs(content, ex, &sol, Lang::En) {
            Ok(Graded::Report(r)) if r.passed && r.score == r.max_score => {}
            Ok(Graded::Report(r)) => {
                for f in r.failed() {
                    errs.push(format!("solution fails check {}: {}", f.check, f.message));
                }
            }
            Ok(Graded::Rejected(problems)) => {
                for p in problems {
                    errs.push(format!("solution is rejected: {p}"));
                }
            }
            Err(e) => errs.push(format!("solution: {e}")),
        },
    }
    for alt in &ex.alternatives {
        match inputs(content, ex, &alt.files).map(|f| grade_inputs(content, ex, &f, Lang::En)) {
            Ok(Ok(Graded::Report(r))) if r.passed => {}
            Ok(Ok(Graded::Report(r))) => {
                for f in r.failed() {
                    errs.push(format!(
                        "alternative {} fails check {}: {}",
                        alt.name, f.check, f.message
                    ));
                }
            }
            Ok(Ok(Graded::Rejected(problems))) => errs.push(format!(
                "alternative {} is rejected: {}",
                alt.name,
                problems.first().map(|p| p.to_string()).unwrap_or_default()
            )),
            Ok(Err(e)) | Err(e) => errs.push(format!("alternative {}: {e}", alt.name)),
        }
    }
    for w in &ex.wrong {
        for named in &w.fails {
            if named != "validation" && !ex.checks.iter().any(|c| &c.id == named) {
                errs.push(format!(
                    "wrong example {}: names unknown check \"{named}\"",
                    w.name
                ));
            }
        }
        let files = match inputs(content, ex, &w.files) {
            Ok(f) => f,
            Err(e) => {
                errs.push(format!("wrong example {}: {e}", w.name));
                continue;
            }
        };
        match grade_inputs(content, ex, &files, Lang::En) {
            Ok(Graded::Rejected(_)) if w.fails.iter().any(|f| f == "validation") => {}
            Ok(Graded::Rejected(problems)) => errs.push(format!(
                "wrong example {} is rejected before grading ({}), but it names checks {:?}",
                w.name,
                problems.first().map(|p| p.message.as_str()).unwrap_or(""),
                w.fails
            )),
            Ok(Graded::Report(_)) if w.fails.iter().any(|f| f == "validation") => {
                errs.push(format!(
                    "wrong example {} should be rejected by validation, but it was graded",
                    w.name
                ))
            }
            Ok(Graded::Report(r)) => {
                if r.passed {
                    errs.push(format!("wrong example {} passes every check", w.name));
                }
                for named in &w.fails {
                    if r.findings.iter().any(|f| &f.check == named && f.passed) {
                        errs.push(format!(
                            "wrong example {} should fail check {named}, but it passes",
                            w.name
                        ));
                    }
                }
            }
            Err(e) => errs.push(format!("wrong example {}: {e}", w.name)),
        }
    }
    for w in ex.workspace.iter().filter(|w| w.starter.is_some()) {
        let starter = w.starter.as_deref().unwrap_or_default();
        match content.exercise_file(ex, starter) {
            Err(e) => errs.push(format!("starter {starter}: {e}")),
            Ok((_, bytes)) => {
                let input = Input::new(w.file.clone(), bytes);
                if let Ok(Graded::Report(r)) = grade_inputs(content, ex, &[input], Lang::En)
                    && r.passed
                {
                    errs.push(format!("starter {starter} already passes every check"));
                }
            }
        }
    }
    errs
}

fn inputs(content: &Content, ex: &Exercise, files: &[String]) -> Result<Vec<Input>, RunError> {
    files
        .iter()
        .map(|f| {
            let (name, bytes) = content.exercise_file(ex, f)?;
            // Answer files are recognised by their workspace name.
            let base = f.rsplit('/').next().unwrap_or(f);
            let name = if ex.workspace.iter().any(|w| w.answer && w.file == base) {
                base.to_string()
            } else {
                name
            };
            Ok(Input::new(name, bytes))
        })
        .collect()
}
