//! Pod Security Standards exactly as the pod-security-admission library
//! v0.36 (what Kubernetes 1.36 vendors) evaluates them: the baseline and
//! restricted checks with upstream's IDs, reasons and details, policy
//! versions, namespace labels, and what the admission controller does with
//! a Pod (deny on enforce) and with a workload's pod template (warn).
//!
//! ```text
//! api        levels, versions, namespace labels → Policy
//! subject    a pod or template as the checks see it (after defaulting)
//! baseline   restricted    the checks, one function per upstream version
//! registry   which checks run at a level and version, in upstream's order
//! admission  enforce / warn / audit for a Pod or a pod template
//! review     every Pod and pod template in a ClusterModel
//! context    the effective security context of each container
//! ```

pub mod admission;
pub mod api;
pub mod baseline;
pub mod context;
pub mod registry;
pub mod restricted;
pub mod review;
pub mod subject;
pub mod text;

pub use admission::{Admission, Outcome, admit};
pub use api::{Level, LevelVersion, Policy, Version, policy_to_evaluate};
pub use review::{ObjectReview, review_model};
pub use subject::{Source, Subject};

use serde::Serialize;

/// Why one check forbids a pod: upstream's `ForbiddenReason` (always
/// printed) and `ForbiddenDetail` (the specifics; may be empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forbidden {
    pub reason: String,
    pub detail: String,
}

impl Forbidden {
    pub fn new(reason: impl Into<String>, detail: impl Into<String>) -> Self {
        Forbidden {
            reason: reason.into(),
            detail: detail.into(),
        }
    }
}

/// A failed check: its upstream ID, reason and detail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub check: &'static str,
    pub reason: String,
    pub detail: String,
}

/// Run every check of `lv` over a pod, in upstream's order; the failed
/// ones are returned.
pub fn evaluate(lv: LevelVersion, subject: &Subject) -> Vec<Violation> {
    let minor = lv.version.effective_minor();
    registry::checks_for(lv.level, minor)
        .iter()
        .filter_map(|(id, check)| {
            check(subject).map(|f| Violation {
                check: id,
                reason: if f.reason.is_empty() {
                    "unknown forbidden reason".into()
                } else {
                    f.reason
                },
                detail: f.detail,
            })
        })
        .collect()
}

/// Upstream's `ForbiddenDetail()`: each reason, with its detail in
/// parentheses when there is one, joined by ", ".
pub fn forbidden_detail(violations: &[Violation]) -> String {
    let mut out = String::new();
    for (i, v) in violations.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&v.reason);
        if !v.detail.is_empty() {
            out.push_str(" (");
            out.push_str(&v.detail);
            out.push(')');
        }
    }
    out
}

/// Upstream's `ForbiddenReason()`: the reasons alone, joined by ", ".
pub fn forbidden_reason(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| v.reason.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
