//! `ValidateLabelSelector` and `ValidateLabelName` (apimachinery
//! meta/v1/validation), worded as the API server words them. Shared by every
//! kind that carries a selector; whether a selector *matches* is the
//! engine's business (`engines::selector`).

use super::field::{FieldError, is_label_key, is_label_value, validate_labels};
use crate::model::FieldPath;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// upstream `LabelSelectorValidationOptions`: whether values in
/// `matchExpressions` must be valid label values. True on create
/// (`AllowInvalidLabelValueInSelector: false`), which is every object a
/// learner writes.
#[derive(Clone, Copy, Debug)]
pub struct SelectorOptions {
    pub check_values: bool,
}

impl Default for SelectorOptions {
    fn default() -> Self {
        SelectorOptions { check_values: true }
    }
}

/// `ValidateLabelSelector`; an absent selector (nil) has nothing to report.
pub fn validate_label_selector(
    ls: Option<&LabelSelector>,
    opts: SelectorOptions,
    path: &FieldPath,
) -> Vec<FieldError> {
    let Some(ls) = ls else {
        return Vec::new();
    };
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
        errs.extend(validate_label_name(&e.key, &ep.field("key")));
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

/// `ValidateLabelName`: a qualified name (`IsQualifiedName`).
pub fn validate_label_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    is_label_key(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, name, m))
        .collect()
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
            Some(ls),
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

    // upstream: apimachinery meta/v1/validation/validation_test.go
    // TestValidateLabelSelector: every requirement is judged, in order.
    #[test]
    fn every_requirement_is_reported_in_order() {
        let ls = LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![
                sel("k", "In", &[]).match_expressions.unwrap().remove(0),
                sel("k", "Exists", &["x"])
                    .match_expressions
                    .unwrap()
                    .remove(0),
                sel("k", "in", &["a"]).match_expressions.unwrap().remove(0),
            ]),
        };
        assert_eq!(
            msgs(&ls),
            [
                "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                "spec.podSelector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                "spec.podSelector.matchExpressions[2].operator: Invalid value: \"in\": not a valid selector operator",
            ]
        );
        // nil: nothing to validate.
        assert!(
            validate_label_selector(None, SelectorOptions::default(), &FieldPath::root())
                .is_empty()
        );
    }

    // AllowInvalidLabelValueInSelector (an update of an object stored with
    // such a value) skips only the value check.
    #[test]
    fn options_skip_only_values() {
        let ls = sel("app", "In", &["not valid!"]);
        let lenient = SelectorOptions {
            check_values: false,
        };
        assert!(validate_label_selector(Some(&ls), lenient, &FieldPath::root()).is_empty());
        let ls = sel("bad key", "In", &["not valid!"]);
        assert_eq!(
            validate_label_selector(Some(&ls), lenient, &FieldPath::root()).len(),
            1
        );
    }

    // upstream: ValidateLabelName is IsQualifiedName.
    #[test]
    fn label_name() {
        assert!(validate_label_name("kubernetes.io/hostname", &FieldPath::root()).is_empty());
        let e = validate_label_name("a/b/c", &FieldPath::parse("spec.topologyKey"));
        assert_eq!(e.len(), 1);
        assert!(
            e[0].to_string()
                .starts_with("spec.topologyKey: Invalid value: \"a/b/c\": ")
        );
    }
}
