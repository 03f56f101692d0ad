//! Label selectors as ClusterRole aggregation evaluates them
//! (`metav1.LabelSelectorAsSelector` then `Matches`): matchLabels and
//! matchExpressions all hold; an empty selector selects everything.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

/// Why a selector cannot be turned into a label selector (the API server
/// rejects these; the aggregation controller would stop with an error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorError(pub String);

/// Whether `labels` satisfy `selector`.
pub fn matches(
    selector: &LabelSelector,
    labels: &BTreeMap<String, String>,
) -> Result<bool, SelectorError> {
    if let Some(ml) = &selector.match_labels {
        for (k, v) in ml {
            if labels.get(k) != Some(v) {
                return check_rest(selector).map(|_| false);
            }
        }
    }
    let mut all = true;
    for e in selector.match_expressions.iter().flatten() {
        let values = e.values.as_deref().unwrap_or_default();
        let got = labels.get(&e.key);
        let ok = match e.operator.as_str() {
            "In" => {
                if values.is_empty() {
                    return Err(empty_values(&e.operator));
                }
                got.is_some_and(|g| values.contains(g))
            }
            "NotIn" => {
                if values.is_empty() {
                    return Err(empty_values(&e.operator));
                }
                got.is_none_or(|g| !values.contains(g))
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    return Err(SelectorError(
                        "values set must be empty for exists and does not exist".into(),
                    ));
                }
                got.is_some() == (e.operator == "Exists")
            }
            other => {
                return Err(SelectorError(format!(
                    "{other:?} is not a valid label selector operator"
                )));
            }
        };
        all &= ok;
    }
    Ok(all)
}

/// Keep reporting malformed expressions even when matchLabels already
/// failed, so a broken selector is never mistaken for a non-matching one.
fn check_rest(selector: &LabelSelector) -> Result<(), SelectorError> {
    let empty = BTreeMap::new();
    let only_exprs = LabelSelector {
        match_labels: None,
        match_expressions: selector.match_expressions.clone(),
    };
    matches(&only_exprs, &empty).map(|_| ())
}

fn empty_values(_op: &str) -> SelectorError {
    SelectorError("for 'in', 'notin' operators, values set can't be empty".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn expr(key: &str, op: &str, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: (!values.is_empty()).then(|| values.iter().map(|v| v.to_string()).collect()),
        }
    }

    // upstream: apimachinery pkg/labels/selector_test.go (In, NotIn, Exists,
    // DoesNotExist semantics) and meta/v1/helpers.go LabelSelectorAsSelector
    #[test]
    fn selector_semantics() {
        let l = labels(&[("a", "1"), ("b", "2")]);
        let empty = LabelSelector::default();
        assert_eq!(matches(&empty, &l), Ok(true));
        let ml = LabelSelector {
            match_labels: Some(labels(&[("a", "1")])),
            match_expressions: None,
        };
        assert_eq!(matches(&ml, &l), Ok(true));
        assert_eq!(matches(&ml, &labels(&[("a", "2")])), Ok(false));
        let sel = |e: LabelSelectorRequirement| LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![e]),
        };
        assert_eq!(matches(&sel(expr("a", "In", &["1", "3"])), &l), Ok(true));
        assert_eq!(matches(&sel(expr("c", "In", &["1"])), &l), Ok(false));
        // NotIn matches when the label is absent
        assert_eq!(matches(&sel(expr("c", "NotIn", &["1"])), &l), Ok(true));
        assert_eq!(matches(&sel(expr("a", "NotIn", &["1"])), &l), Ok(false));
        assert_eq!(matches(&sel(expr("b", "Exists", &[])), &l), Ok(true));
        assert_eq!(matches(&sel(expr("b", "DoesNotExist", &[])), &l), Ok(false));
        assert!(matches(&sel(expr("a", "In", &[])), &l).is_err());
        assert!(matches(&sel(expr("a", "Exists", &["x"])), &l).is_err());
        assert!(matches(&sel(expr("a", "Equals", &["1"])), &l).is_err());
        // a broken expression is an error even when matchLabels already fail
        let both = LabelSelector {
            match_labels: Some(labels(&[("a", "9")])),
            match_expressions: Some(vec![expr("a", "In", &[])]),
        };
        assert!(matches(&both, &l).is_err());
    }
}
