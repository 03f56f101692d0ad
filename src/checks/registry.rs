//! The checker registry: name → function. Parameters arrive as JSON from
//! the exercise file and are parsed by each checker into its own type.

use crate::content::Lang;
use crate::engines::rbac::Policy;
use crate::model::{ClusterModel, Location};
use serde::de::DeserializeOwned;
use std::cell::OnceCell;

/// What a checker sees: the whole model (given state and the learner's
/// objects) and the learner's answers to questions.
pub struct Ctx<'a> {
    pub model: &'a ClusterModel,
    pub answers: &'a serde_json::Map<String, serde_json::Value>,
    pub lang: Lang,
    /// What several checks of one grading derive from the same model.
    memo: Memo,
}

/// Built at most once per grading: an exercise with six RBAC checks
/// would otherwise copy and aggregate the default ClusterRoles six times.
/// Sound because a `Ctx` never outlives or changes its model.
#[derive(Default)]
struct Memo {
    /// Index 0 without the API server's default roles, 1 with them.
    rbac: [OnceCell<Policy>; 2],
}

impl<'a> Ctx<'a> {
    pub fn new(
        model: &'a ClusterModel,
        answers: &'a serde_json::Map<String, serde_json::Value>,
        lang: Lang,
    ) -> Self {
        Ctx {
            model,
            answers,
            lang,
            memo: Memo::default(),
        }
    }

    /// The RBAC objects of the model as the authorizer sees them
    /// (`Policy::from_model`), shared by every check of this grading.
    pub fn rbac_policy(&self, with_defaults: bool) -> &Policy {
        self.memo.rbac[usize::from(with_defaults)]
            .get_or_init(|| Policy::from_model(self.model, with_defaults))
    }
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
        .chain(super::rbac::CHECKERS.iter())
        .chain(super::tls::CHECKERS)
        .chain(super::certs::CHECKERS)
        .chain(super::authn::CHECKERS)
        .chain(super::podsec::CHECKERS)
        .chain(super::scheduling::CHECKERS)
        .chain(super::quota::CHECKERS)
        .chain(super::netpol::CHECKERS.iter())
        .chain(super::admission::CHECKERS)
}

pub fn checker(name: &str) -> Option<&'static Checker> {
    all().find(|c| c.name == name)
}

/// Parse a checker's parameters, rejecting unknown fields so a typo in an
/// exercise file is caught by `validate-content`, not by a learner.
pub fn params<T: DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| format!("bad parameters: {e}"))
}

/// A list answer as the learner may write it: a YAML list, one
/// comma-separated string, or nothing (`[]`, `~`, an empty string).
pub fn answer_list(v: &serde_json::Value) -> Vec<String> {
    use serde_json::Value as J;
    let one = |x: &J| match x {
        J::String(s) => s.trim().to_string(),
        other => other.to_string(),
    };
    let items: Vec<String> = match v {
        J::Array(a) => a.iter().map(one).collect(),
        J::String(s) => s.split(',').map(|x| x.trim().to_string()).collect(),
        J::Null => Vec::new(),
        other => vec![one(other)],
    };
    items.into_iter().filter(|s| !s.is_empty()).collect()
}

/// What live mode needs from a checker: the kinds it reads from a cluster
/// and the questions only a real cluster can answer. A topic declares hooks
/// for its checkers in its own `LIVE` list; a checker without one still
/// works live, with the kinds its exercise's files hold and no probes.
pub struct LiveHook {
    pub checker: &'static str,
    /// Kinds this checker reads for these parameters, as `Kind` or
    /// `apiVersion/Kind` (`networking.k8s.io/v1/NetworkPolicy`).
    pub kinds: fn(&serde_json::Value) -> Vec<String>,
    /// Questions to put to the cluster after grading the listed objects.
    pub questions: fn(&serde_json::Value) -> Vec<Question>,
}

/// `NS/NAME` of a pod.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PodName {
    pub namespace: String,
    pub name: String,
}

impl std::fmt::Display for PodName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

impl PodName {
    /// `NS/NAME`, or `NAME` in `default`.
    pub fn parse(s: &str) -> Option<PodName> {
        let (namespace, name) = s.split_once('/').unwrap_or(("default", s));
        (!name.is_empty() && !name.contains('/') && !namespace.is_empty()).then(|| PodName {
            namespace: namespace.to_string(),
            name: name.to_string(),
        })
    }
}

/// A question a live cluster answers for itself. `expect` is what the
/// exercise wants; the checker's verdict on the model tells what the
/// engine predicts, and the live probe tells what the cluster does.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Question {
    /// `kubectl auth can-i VERB RESOURCE --as USER` (SelfSubjectAccessReview
    /// under impersonation).
    Access {
        user: String,
        groups: Vec<String>,
        verb: String,
        /// Plural resource (`pods`), or a non-resource URL starting with `/`.
        resource: String,
        group: String,
        subresource: String,
        namespace: Option<String>,
        name: Option<String>,
        expect: bool,
    },
    /// Can `from` open a connection to `to` on `port`?
    Reach {
        from: PodName,
        to: PodName,
        port: u16,
        protocol: String,
        expect: bool,
    },
    /// Did `pod` get scheduled (onto one of `nodes`, when given)?
    Placement {
        pod: PodName,
        expect_scheduled: bool,
        nodes: Vec<String>,
    },
}

/// Every live hook; topic hooks come before the conventional defaults so a
/// topic's own declaration wins.
pub fn live_hooks() -> impl Iterator<Item = &'static LiveHook> {
    super::basic::LIVE
        .iter()
        .chain(super::live_defaults::LIVE.iter())
}

pub fn live_hook(name: &str) -> Option<&'static LiveHook> {
    live_hooks().find(|h| h.checker == name)
}

/// The kinds a live grade of `ex` lists: those its checkers' hooks
/// declare, plus `file_kinds`, the kinds its given and solution files hold
/// (the default that works for every checker without a hook).
pub fn kinds_needed(
    ex: &crate::content::Exercise,
    file_kinds: impl IntoIterator<Item = String>,
) -> std::collections::BTreeSet<String> {
    let mut kinds: std::collections::BTreeSet<String> = file_kinds.into_iter().collect();
    for spec in &ex.checks {
        if let Some(hook) = live_hook(&spec.check) {
            kinds.extend((hook.kinds)(&spec.params));
        }
    }
    kinds
}

/// The live questions of every check of `ex`, with the check id each
/// belongs to.
pub fn questions(ex: &crate::content::Exercise) -> Vec<(String, Question)> {
    ex.checks
        .iter()
        .flat_map(|spec| {
            live_hook(&spec.check)
                .map(|h| (h.questions)(&spec.params))
                .unwrap_or_default()
                .into_iter()
                .map(|q| (spec.id.clone(), q))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Ctx, answer_list};
    use crate::content::Lang;
    use crate::model::ClusterModel;
    use serde_json::json;

    #[test]
    fn one_rbac_policy_per_grading_and_per_defaults_choice() {
        let model = ClusterModel::new();
        let answers = serde_json::Map::new();
        let ctx = Ctx::new(&model, &answers, Lang::En);
        let with = ctx.rbac_policy(true);
        assert!(std::ptr::eq(with, ctx.rbac_policy(true)));
        // The defaults hold `view`; without them an empty model has nothing.
        assert!(with.cluster_role("view").is_some());
        assert!(ctx.rbac_policy(false).cluster_role("view").is_none());
    }

    #[test]
    fn list_answers_take_every_written_form() {
        assert_eq!(answer_list(&json!(["a", " b "])), ["a", "b"]);
        assert_eq!(answer_list(&json!("a, b")), ["a", "b"]);
        assert!(answer_list(&json!(null)).is_empty());
        assert!(answer_list(&json!("")).is_empty());
        assert!(answer_list(&json!([])).is_empty());
        assert_eq!(answer_list(&json!([8080])), ["8080"]);
    }
}
