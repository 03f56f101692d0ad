//! `ValidateLabelSelector` (apimachinery meta/v1/validation), worded as the
//! API server words it. Shared by every kind that carries a selector.

use super::field::{FieldError, is_label_key, is_label_value, validate_labels};
use crate::model::FieldPath;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// Whether values in `matchExpressions` must be valid label values: true
/// on create (`AllowInvalidLabelValueInSelector: false`).
#[derive(Clone, Copy, Debug)]
pub struct SelectorOptions {
    pub check_values: bool,
}

impl Default for SelectorOptions {
    fn default() -> Self {
        SelectorOptions { check_values: true }
    }
}

pub fn validate_label_selector(
    ls: &LabelSelector,
    opts: SelectorOptions,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(ml) = &ls.match_labels {
        errs.extend(validate_labels(ml.iter(), &path.field("matchLabels")));
    }
    for (i, e) in ls.match_expressions.iter().flatten().enumerate() {
        let ep = path.field("matchExpressions").index(i);
        let values = e.values.as_deref().unwrap_or_default();
        match e.operator.as_str() {
            "In" | "NotIn" => {
                if values.is_empty() {
                    errs.push(FieldError::required(
                        &ep.field("values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    errs.push(FieldError::forbidden(
                        &ep.field("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                &ep.field("operator"),
                other,
                "not a valid selector operator",
            )),
        }
        for msg in is_label_key(&e.key) {
            errs.push(FieldError::invalid(&ep.field("key"), e.key.as_str(), msg));
        }
        if opts.check_values {
            for (j, v) in values.iter().enumerate() {
                for msg in is_label_value(v) {
                    errs.push(FieldError::invalid(
                        &ep.field("values").index(j),
                        v.as_str(),
                        msg,
                    ));
                }
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn sel(key: &str, op: &str, values: &[&str]) -> LabelSelector {
        LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: key.into(),
                operator: op.into(),
                values: (!values.is_empty())
                    .then(|| values.iter().map(|v| v.to_string()).collect()),
            }]),
        }
    }

    fn msgs(ls: &LabelSelector) -> Vec<String> {
        validate_label_selector(
            ls,
            SelectorOptions::default(),
            &FieldPath::parse("spec.podSelector"),
        )
        .iter()
        .map(|e| e.to_string())
        .collect()
    }

    // upstream: staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation
    // ValidateLabelSelectorRequirement.
    #[test]
    fn operators_and_values() {
        assert!(msgs(&sel("app", "In", &["a"])).is_empty());
        assert_eq!(
            msgs(&sel("app", "In", &[])),
            [
                "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"
            ]
        );
        assert_eq!(
            msgs(&sel("app", "Exists", &["a"])),
            [
                "spec.podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
            ]
        );
        assert_eq!(
            msgs(&sel("app", "in", &["a"])),
            [
                "spec.podSelector.matchExpressions[0].operator: Invalid value: \"in\": not a valid selector operator"
            ]
        );
        assert_eq!(msgs(&sel("bad key", "Exists", &[])).len(), 1);
        assert!(msgs(&sel("app", "In", &["not valid!"]))[0].starts_with(
            "spec.podSelector.matchExpressions[0].values[0]: Invalid value: \"not valid!\""
        ));
    }

    // upstream: networking validation_test.go "invalid spec.podSelector"
    // ({"NoUppercaseOrSpecialCharsLike=Equals": "b"}).
    #[test]
    fn match_labels_keys() {
        let ls = LabelSelector {
            match_labels: Some(
                [(
                    "NoUppercaseOrSpecialCharsLike=Equals".to_string(),
                    "b".to_string(),
                )]
                .into(),
            ),
            match_expressions: None,
        };
        let m = msgs(&ls);
        assert_eq!(m.len(), 1);
        assert!(m[0].starts_with(
            "spec.podSelector.matchLabels: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\""
        ));
    }
}
