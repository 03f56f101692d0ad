//! What the PodSecurity admission controller does with one object
//! (upstream: admission/admission.go ValidatePod, ValidatePodController,
//! EvaluatePod): a Pod is denied when it violates the enforce level and
//! otherwise warned about at the warn level; a workload's pod template is
//! never denied, only warned about (and audited). A namespace whose labels
//! could not be read is always evaluated, even when every level is
//! privileged.

use super::api::{LabelError, LevelVersion, Policy};
use super::subject::{Source, Subject};
use super::{Violation, evaluate, forbidden_detail};
use serde::Serialize;

/// What happens to the object itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Admitted with nothing to say.
    Admitted,
    /// Admitted, with warnings for the user.
    Warned,
    /// Rejected (Pods only).
    Denied,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Admission {
    pub policy: Policy,
    pub label_errors: Vec<LabelError>,
    /// The enforce level and version the object is judged at.
    pub enforce: LevelVersion,
    /// Whether the pod (or the pods a template makes) meets the enforce
    /// level: a Pod would be admitted, a workload's pods would be.
    pub allowed: bool,
    /// Failed checks at the enforce level.
    pub violations: Vec<Violation>,
    pub outcome: Outcome,
    /// The API server's error for a denied Pod.
    pub denied: Option<String>,
    /// Warnings as `kubectl` prints them after `Warning: `.
    pub warnings: Vec<String>,
    /// The `pod-security.kubernetes.io/audit-violations` annotation.
    pub audit: Option<String>,
}

/// Judge one pod or pod template under a namespace's policy. `name` is the
/// Pod's name, for the API server's error message.
pub fn admit(
    subject: &Subject,
    name: &str,
    policy: Policy,
    label_errors: Vec<LabelError>,
) -> Admission {
    let mut cache: Vec<(LevelVersion, Vec<Violation>)> = Vec::new();
    let mut eval = |lv: LevelVersion| -> Vec<Violation> {
        if let Some((_, v)) = cache.iter().find(|(k, _)| *k == lv) {
            return v.clone();
        }
        let v = evaluate(lv, subject);
        cache.push((lv, v.clone()));
        v
    };
    let violations = eval(policy.enforce);
    let allowed = violations.is_empty();
    let mut out = Admission {
        policy,
        enforce: policy.enforce,
        allowed,
        violations: violations.clone(),
        outcome: Outcome::Admitted,
        denied: None,
        warnings: Vec::new(),
        audit: None,
        label_errors,
    };
    let clean_labels = out.label_errors.is_empty();
    match subject.source {
        Source::Pod if clean_labels && policy.fully_privileged() => return out,
        Source::Template
            if clean_labels
                && policy.warn.level == super::Level::Privileged
                && policy.audit.level == super::Level::Privileged =>
        {
            return out;
        }
        _ => {}
    }
    if subject.source == Source::Pod && !allowed {
        out.outcome = Outcome::Denied;
        out.denied = Some(format!(
            "pods \"{name}\" is forbidden: violates PodSecurity \"{}\": {}",
            policy.enforce,
            forbidden_detail(&violations)
        ));
    }
    let audit = eval(policy.audit);
    if !audit.is_empty() {
        out.audit = Some(format!(
            "would violate PodSecurity \"{}\": {}",
            policy.audit,
            forbidden_detail(&audit)
        ));
    }
    if out.outcome != Outcome::Denied {
        let warn = eval(policy.warn);
        if !warn.is_empty() {
            out.warnings.push(format!(
                "would violate PodSecurity \"{}\": {}",
                policy.warn,
                forbidden_detail(&warn)
            ));
            out.outcome = Outcome::Warned;
        }
    }
    out
}
