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
    let violations = evaluate(policy.enforce, subject);
    let allowed = violations.is_empty();
    let mut out = Admission {
        policy,
        enforce: policy.enforce,
        allowed,
        violations,
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
    // Upstream reuses one evaluation for modes at the same level and
    // version; the others are evaluated on their own.
    let detail_at = |lv: LevelVersion, enforced: &[Violation]| -> Option<String> {
        if lv == policy.enforce {
            return (!enforced.is_empty()).then(|| forbidden_detail(enforced));
        }
        let v = evaluate(lv, subject);
        (!v.is_empty()).then(|| forbidden_detail(&v))
    };
    if subject.source == Source::Pod && !allowed {
        out.outcome = Outcome::Denied;
        out.denied = Some(format!(
            "pods \"{name}\" is forbidden: violates PodSecurity \"{}\": {}",
            policy.enforce,
            forbidden_detail(&out.violations)
        ));
    }
    if let Some(d) = detail_at(policy.audit, &out.violations) {
        out.audit = Some(format!(
            "would violate PodSecurity \"{}\": {d}",
            policy.audit
        ));
    }
    if out.outcome != Outcome::Denied
        && let Some(d) = detail_at(policy.warn, &out.violations)
    {
        out.warnings.push(format!(
            "would violate PodSecurity \"{}\": {d}",
            policy.warn
        ));
        out.outcome = Outcome::Warned;
    }
    out
}
