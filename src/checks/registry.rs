//! The checker registry: name → function. Parameters arrive as JSON from
//! the exercise file and are parsed by each checker into its own type.

use crate::content::Lang;
use crate::model::{ClusterModel, Location};
use serde::de::DeserializeOwned;

/// What a checker sees: the whole model (given state and the learner's
/// objects) and the learner's answers to questions.
pub struct Ctx<'a> {
    pub model: &'a ClusterModel,
    pub answers: &'a serde_json::Map<String, serde_json::Value>,
    pub lang: Lang,
}

/// A checker's verdict and why, pointing at the object or line responsible.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub passed: bool,
    pub detail: String,
    pub location: Option<Location>,
}

impl Outcome {
    pub fn pass(detail: impl Into<String>) -> Self {
        Outcome {
            passed: true,
            detail: detail.into(),
            location: None,
        }
    }

    pub fn fail(detail: impl Into<String>) -> Self {
        Outcome {
            passed: false,
            detail: detail.into(),
            location: None,
        }
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }
}

pub type RunFn = fn(&serde_json::Value, &Ctx) -> Result<Outcome, String>;

pub struct Checker {
    pub name: &'static str,
    /// One line for instructors writing exercises.
    pub about: &'static str,
    pub run: RunFn,
}

/// Every registered checker. Each topic module contributes its own.
pub fn all() -> impl Iterator<Item = &'static Checker> {
    super::basic::CHECKERS
        .iter()
        .chain(super::netpol::CHECKERS.iter())
}

pub fn checker(name: &str) -> Option<&'static Checker> {
    all().find(|c| c.name == name)
}

/// Parse a checker's parameters, rejecting unknown fields so a typo in an
/// exercise file is caught by `validate-content`, not by a learner.
pub fn params<T: DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| format!("bad parameters: {e}"))
}
