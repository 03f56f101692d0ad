//! The exercise format (`exercises/<topic>/<id>.yaml`).
//!
//! An exercise names its checks by checker and parameters; the files it
//! points at (starter, given state, solution, wrong answers) sit beside it.

use super::text::Text;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExerciseKind {
    /// The learner writes YAML files, graded offline.
    Yaml,
    /// The learner changes a live cluster.
    Live,
    Both,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exam {
    #[serde(rename = "CKA")]
    Cka,
    #[serde(rename = "CKS")]
    Cks,
    #[serde(rename = "both")]
    Both,
}

impl Exam {
    pub fn as_str(self) -> &'static str {
        match self {
            Exam::Cka => "CKA",
            Exam::Cks => "CKS",
            Exam::Both => "both",
        }
    }
}

/// Exam competencies this exercise trains (curriculum domain ids).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domains {
    #[serde(default)]
    pub cka: Option<String>,
    #[serde(default)]
    pub cks: Option<String>,
}

/// A file the learner works on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceFile {
    /// File name in the learner's workspace, e.g. `netpol.yaml`.
    pub file: String,
    /// Starter content, a path relative to the exercise file.
    #[serde(default)]
    pub starter: Option<String>,
    /// `answer` files hold the learner's answers to questions, not
    /// Kubernetes objects.
    #[serde(default)]
    pub answer: bool,
}

/// One graded part of the task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// Stable id; findings and `wrong:` examples name it.
    pub id: String,
    /// Registered checker name, e.g. `reach` or `can-i`.
    pub check: String,
    #[serde(default = "one")]
    pub points: u32,
    /// What this part of the task asks, shown with the result.
    pub describe: Text,
    #[serde(default)]
    pub hint: Option<Text>,
    #[serde(default)]
    pub params: serde_json::Value,
}

fn one() -> u32 {
    1
}

/// Another correct answer, written differently from the reference
/// solution; it must pass every check (graders accept every correct answer).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub name: String,
    pub files: Vec<String>,
}

/// A common mistake, and the check it must fail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongExample {
    pub name: String,
    /// Files that replace the solution, relative to the exercise file.
    pub files: Vec<String>,
    /// Check ids that must fail; `validation` when the files must be
    /// rejected before grading.
    pub fails: Vec<String>,
    #[serde(default)]
    pub why: Option<Text>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub id: String,
    pub topic: String,
    pub exam: Exam,
    #[serde(default)]
    pub domains: Domains,
    pub kind: ExerciseKind,
    #[serde(default = "one")]
    pub difficulty: u32,
    pub title: Text,
    pub prompt: Text,
    /// The lesson this exercise practises.
    #[serde(default)]
    pub lesson: Option<String>,
    #[serde(default)]
    pub workspace: Vec<WorkspaceFile>,
    /// Cluster state the task starts from: loaded with the learner's files
    /// offline, applied by `cluster reset` live.
    #[serde(default)]
    pub given: Vec<String>,
    pub checks: Vec<CheckSpec>,
    #[serde(default)]
    pub hints: Vec<Text>,
    pub solution: Vec<String>,
    /// Other correct answers, each of which must pass.
    #[serde(default)]
    pub alternatives: Vec<Alternative>,
    #[serde(default)]
    pub wrong: Vec<WrongExample>,
    /// Where this exercise's files live (the content-relative directory).
    #[serde(skip)]
    pub dir: String,
}

impl Exercise {
    pub fn max_score(&self) -> u32 {
        self.checks.iter().map(|c| c.points).sum()
    }
}
