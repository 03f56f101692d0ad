//! From files to a report: the exercise's given state and the learner's
//! files are validated together (a learner's file that the API server
//! would reject is not graded), answer files are read, then `grade` runs.

use super::grade::{Report, grade};
use crate::content::{Content, ContentError, Exercise, Lang};
use crate::model::load::{FileError, Input};
use crate::model::node::Value;
use crate::model::yaml::{self, Limits};
use crate::model::{ClusterModel, Problem, ProblemCode};
use crate::validate;

#[derive(Debug)]
pub enum Graded {
    Report(Report),
    /// The learner's files would not be accepted; every problem is listed.
    Rejected(Vec<Problem>),
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Content(#[from] ContentError),
    #[error("the exercise's own files are invalid (a bug in the exercise):\n{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    BrokenExercise(Vec<Problem>),
}

/// The given state of an exercise as inputs.
pub fn given_inputs(content: &Content, ex: &Exercise) -> Result<Vec<Input>, ContentError> {
    ex.given
        .iter()
        .map(|g| {
            content
                .exercise_file(ex, g)
                .map(|(name, bytes)| Input::new(name, bytes))
        })
        .collect()
}

/// Whether `input` is one of the exercise's answer files (by file name).
fn is_answer_file(ex: &Exercise, input: &Input) -> bool {
    let base = input.name.rsplit(['/', '\\']).next().unwrap_or(&input.name);
    ex.workspace.iter().any(|w| w.answer && w.file == base)
        || (ex.workspace.len() == 1 && ex.workspace[0].answer)
}

/// Validate and grade. `learner` are the learner's files, already read.
pub fn grade_inputs(
    content: &Content,
    ex: &Exercise,
    learner: &[Input],
    lang: Lang,
) -> Result<Graded, RunError> {
    let given = given_inputs(content, ex)?;
    let (answers_in, manifests): (Vec<&Input>, Vec<&Input>) =
        learner.iter().partition(|i| is_answer_file(ex, i));
    let mut problems = Vec::new();
    let mut answers = serde_json::Map::new();
    for a in answers_in {
        match read_answers(a) {
            Ok(map) => answers.extend(map),
            Err(p) => problems.push(*p),
        }
    }
    let all: Vec<Input> = given
        .iter()
        .chain(manifests.iter().copied())
        .map(|i| Input::new(i.name.clone(), i.bytes.clone()))
        .collect();
    let validated = validate::validate_inputs(&all)?;
    let given_names: Vec<&str> = given.iter().map(|g| g.name.as_str()).collect();
    let (given_problems, learner_problems): (Vec<Problem>, Vec<Problem>) = validated
        .problems
        .iter()
        .cloned()
        .partition(|p| given_names.contains(&p.file.as_str()));
    if !given_problems.is_empty() {
        return Err(RunError::BrokenExercise(given_problems));
    }
    problems.extend(learner_problems);
    if !problems.is_empty() {
        return Ok(Graded::Rejected(problems));
    }
    let model: ClusterModel = validated.into_model();
    Ok(Graded::Report(grade(ex, &model, &answers, lang)))
}

/// An answer file is a YAML mapping of answers (`user: jane`).
fn read_answers(input: &Input) -> Result<serde_json::Map<String, serde_json::Value>, Box<Problem>> {
    let limits = Limits::default();
    let problem = |line, column, message: String| {
        Box::new(Problem {
            file: input.name.clone(),
            line,
            column,
            object: None,
            path: None,
            code: ProblemCode::Syntax,
            message,
            hint: Some(
                "an answer file is YAML: one `key: value` per line, as the exercise asks".into(),
            ),
        })
    };
    let text = yaml::decode(&input.bytes, &limits).map_err(|e| problem(1, 1, e.to_string()))?;
    let parsed = yaml::parse(text, &limits).map_err(|e| problem(1, 1, e.to_string()))?;
    if let Some(p) = parsed.problems.first() {
        return Err(problem(p.pos.line, p.pos.column, p.message.clone()));
    }
    let Some(doc) = parsed.documents.first() else {
        return Err(problem(1, 1, "the answer file is empty".into()));
    };
    match (&doc.root.value, doc.root.to_json()) {
        (Value::Map(_), serde_json::Value::Object(map)) => Ok(map),
        _ => Err(problem(
            doc.root.pos.line,
            doc.root.pos.column,
            "expected `key: value` answers".into(),
        )),
    }
}
