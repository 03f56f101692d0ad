//! Helpers for the checkers' unit tests: a model from YAML, and one
//! checker run against it.

use super::registry::{Ctx, Outcome};
use crate::content::Lang;
use crate::model::ClusterModel;
use crate::model::load::Input;

/// The model of `yaml`, which must be valid.
pub fn model(yaml: &str) -> ClusterModel {
    let v = crate::validate::validate_inputs(&[Input::new("t.yaml", yaml.as_bytes().to_vec())])
        .expect("loads");
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    v.into_model()
}

/// Run checker `f` with parameters `p` and the learner's `answers`.
pub fn run(
    f: fn(&serde_json::Value, &Ctx) -> Result<Outcome, String>,
    m: &ClusterModel,
    p: serde_json::Value,
    answers: serde_json::Value,
) -> Outcome {
    let answers = answers.as_object().cloned().unwrap_or_default();
    let ctx = Ctx::new(m, &answers, Lang::En);
    f(&p, &ctx).expect("runs")
}
