//! Run an exercise's checks and score them.

use super::registry::{Ctx, checker};
use crate::content::{Exercise, Lang};
use crate::model::{ClusterModel, Location};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub check: String,
    pub passed: bool,
    pub message: String,
    pub hint: Option<String>,
    pub location: Option<Location>,
    #[serde(skip)]
    pub points: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub exercise: String,
    pub passed: bool,
    pub score: u32,
    pub max_score: u32,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn failed(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.passed)
    }
}

/// Grade `model` against every check of `ex`. A checker that is missing or
/// given bad parameters is a content bug: it fails its part, loudly.
pub fn grade(
    ex: &Exercise,
    model: &ClusterModel,
    answers: &serde_json::Map<String, serde_json::Value>,
    lang: Lang,
) -> Report {
    let ctx = Ctx::new(model, answers, lang);
    let findings: Vec<Finding> = ex
        .checks
        .iter()
        .map(|spec| {
            let outcome = match checker(&spec.check) {
                Some(c) => (c.run)(&spec.params, &ctx),
                None => Err(format!("unknown checker \"{}\"", spec.check)),
            };
            let describe = spec.describe.get(lang);
            match outcome {
                Ok(o) => Finding {
                    check: spec.id.clone(),
                    passed: o.passed,
                    message: if o.detail.is_empty() {
                        describe.to_string()
                    } else {
                        format!("{describe}: {}", o.detail)
                    },
                    hint: if o.passed {
                        None
                    } else {
                        spec.hint.as_ref().map(|h| h.get(lang).to_string())
                    },
                    location: o.location,
                    points: spec.points,
                },
                Err(e) => Finding {
                    check: spec.id.clone(),
                    passed: false,
                    message: format!("{describe}: this check is broken in the exercise file ({e})"),
                    hint: Some("report this to the exercise's author".into()),
                    location: None,
                    points: spec.points,
                },
            }
        })
        .collect();
    let score = findings.iter().filter(|f| f.passed).map(|f| f.points).sum();
    let max_score = ex.max_score();
    Report {
        exercise: ex.id.clone(),
        passed: findings.iter().all(|f| f.passed),
        score,
        max_score,
        findings,
    }
}
