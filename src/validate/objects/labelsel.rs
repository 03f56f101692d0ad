//! `metav1.LabelSelector` as workloads and pod affinity use it: the API
//! server's validation (apimachinery `meta/v1/validation`) and the matching
//! `LabelSelectorAsSelector(...).Matches(labels)` performs.

use super::super::field::{FieldError, is_label_key, is_label_value, validate_labels};
use crate::model::FieldPath;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
use std::collections::BTreeMap;

/// `ValidateLabelName`.
pub fn validate_label_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    is_label_key(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, name, m))
        .collect()
}

/// `ValidateLabelSelector` with `AllowInvalidLabelValueInSelector: false`
/// (what every create uses).
pub fn validate(sel: Option<&LabelSelector>, path: &FieldPath) -> Vec<FieldError> {
    validate_with(sel, path, true)
}

pub fn validate_with(
    sel: Option<&LabelSelector>,
    path: &FieldPath,
    check_values: bool,
) -> Vec<FieldError> {
    let Some(sel) = sel else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    if let Some(m) = &sel.match_labels {
        errs.extend(validate_labels(m.iter(), &path.field("matchLabels")));
    }
    for (i, e) in sel.match_expressions.iter().flatten().enumerate() {
        errs.extend(validate_requirement(
            e,
            &path.field("matchExpressions").index(i),
            check_values,
        ));
    }
    errs
}

fn validate_requirement(
    r: &LabelSelectorRequirement,
    path: &FieldPath,
    check_values: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let values = r.values.as_deref().unwrap_or_default();
    match r.operator.as_str() {
        "In" | "NotIn" => {
            if values.is_empty() {
                errs.push(FieldError::required(
                    &path.field("values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                ));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !values.is_empty() {
                errs.push(FieldError::forbidden(
                    &path.field("values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ));
            }
        }
        op => errs.push(FieldError::invalid(
            &path.field("operator"),
            op,
            "not a valid selector operator",
        )),
    }
    errs.extend(validate_label_name(&r.key, &path.field("key")));
    if check_values {
        for (i, v) in values.iter().enumerate() {
            for m in is_label_value(v) {
                errs.push(FieldError::invalid(
                    &path.field("values").index(i),
                    v.as_str(),
                    m,
                ));
            }
        }
    }
    errs
}

/// A selector as `LabelSelectorAsSelector` builds it.
pub enum Selector<'a> {
    /// A nil selector: matches nothing, and is not "empty".
    Nothing,
    /// Requirements; none at all means "everything" and is "empty".
    Reqs(&'a LabelSelector),
}

/// `LabelSelectorAsSelector`; None when it would return an error (an
/// operator or a value it rejects).
pub fn as_selector(sel: Option<&LabelSelector>) -> Option<Selector<'_>> {
    let Some(s) = sel else {
        return Some(Selector::Nothing);
    };
    for (k, v) in s.match_labels.iter().flatten() {
        if !is_label_key(k).is_empty() || !is_label_value(v).is_empty() {
            return None;
        }
    }
    for e in s.match_expressions.iter().flatten() {
        let values = e.values.as_deref().unwrap_or_default();
        let ok_values = match e.operator.as_str() {
            "In" | "NotIn" => !values.is_empty(),
            "Exists" | "DoesNotExist" => values.is_empty(),
            _ => false,
        };
        if !ok_values
            || !is_label_key(&e.key).is_empty()
            || values.iter().any(|v| !is_label_value(v).is_empty())
        {
            return None;
        }
    }
    Some(Selector::Reqs(s))
}

impl Selector<'_> {
    /// `Selector.Empty()`.
    pub fn is_empty(&self) -> bool {
        match self {
            Selector::Nothing => false,
            Selector::Reqs(s) => {
                s.match_labels.as_ref().is_none_or(|m| m.is_empty())
                    && s.match_expressions.as_ref().is_none_or(|e| e.is_empty())
            }
        }
    }

    /// `Selector.Matches(labels.Set(labels))`.
    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let Selector::Reqs(s) = self else {
            return false;
        };
        let get = |k: &str| labels.and_then(|l| l.get(k));
        let labels_ok = s
            .match_labels
            .iter()
            .flatten()
            .all(|(k, v)| get(k) == Some(v));
        let exprs_ok = s.match_expressions.iter().flatten().all(|e| {
            let values = e.values.as_deref().unwrap_or_default();
            match e.operator.as_str() {
                "In" => get(&e.key).is_some_and(|v| values.contains(v)),
                "NotIn" => get(&e.key).is_none_or(|v| !values.contains(v)),
                "Exists" => get(&e.key).is_some(),
                "DoesNotExist" => get(&e.key).is_none(),
                _ => false,
            }
        });
        labels_ok && exprs_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(labels: &[(&str, &str)], exprs: &[(&str, &str, &[&str])]) -> LabelSelector {
        LabelSelector {
            match_labels: Some(
                labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            match_expressions: Some(
                exprs
                    .iter()
                    .map(|(k, op, vs)| LabelSelectorRequirement {
                        key: k.to_string(),
                        operator: op.to_string(),
                        values: Some(vs.iter().map(|v| v.to_string()).collect()),
                    })
                    .collect(),
            ),
        }
    }

    fn labels(l: &[(&str, &str)]) -> BTreeMap<String, String> {
        l.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    // upstream: apimachinery pkg/labels/selector_test.go TestRequirementMatches
    // and meta/v1/helpers_test.go TestLabelSelectorAsSelector.
    #[test]
    fn matching() {
        let s = sel(&[("app", "web")], &[("tier", "In", &["fe", "be"])]);
        let s = as_selector(Some(&s)).unwrap();
        assert!(s.matches(Some(&labels(&[("app", "web"), ("tier", "fe")]))));
        assert!(!s.matches(Some(&labels(&[("app", "web")]))));
        let n = sel(
            &[],
            &[("env", "NotIn", &["dev"]), ("x", "DoesNotExist", &[])],
        );
        let n = as_selector(Some(&n)).unwrap();
        assert!(n.matches(Some(&labels(&[]))));
        assert!(!n.matches(Some(&labels(&[("env", "dev")]))));
        assert!(as_selector(None).is_some_and(|s| !s.is_empty() && !s.matches(None)));
        let empty = LabelSelector::default();
        assert!(as_selector(Some(&empty)).unwrap().is_empty());
        assert!(as_selector(Some(&sel(&[], &[("k", "Bogus", &[])]))).is_none());
    }

    // upstream: apimachinery meta/v1/validation/validation_test.go
    // TestValidateLabelSelector.
    #[test]
    fn validation_messages() {
        let s = sel(
            &[],
            &[
                ("k", "In", &[]),
                ("k", "Exists", &["x"]),
                ("k", "in", &["a"]),
            ],
        );
        let errs: Vec<String> = validate(Some(&s), &FieldPath::parse("spec.selector"))
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errs,
            [
                "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                "spec.selector.matchExpressions[2].operator: Invalid value: \"in\": not a valid selector operator",
            ]
        );
    }
}
