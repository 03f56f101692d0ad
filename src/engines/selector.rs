//! Label selectors as the API server and every controller evaluate them
//! (apimachinery `metav1.LabelSelectorAsSelector` and `labels.Selector`):
//! `matchLabels` and `matchExpressions` (In, NotIn, Exists, DoesNotExist)
//! are ANDed; an empty selector selects everything; an absent one nothing.
//!
//! Reusable by every engine that selects objects by label (NetworkPolicy
//! peers, RBAC aggregation, affinity, quota scopes). Besides a yes/no, a
//! selector says which requirement a label set misses, so an explanation
//! can read "needs team=web; namespace y has team=api".

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;
use std::fmt;

/// Labels as k8s-openapi keeps them.
pub type Labels = BTreeMap<String, String>;

/// The label set of an object that has none (a nil map in Go).
pub static NO_LABELS: Labels = Labels::new();

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// From `matchLabels`: `key=value`.
    Equals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// One requirement; values are sorted and deduplicated, as upstream's
/// `NewRequirement` keeps them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Requirement {
    pub key: String,
    pub op: Operator,
    pub values: Vec<String>,
}

impl Requirement {
    /// upstream: labels/selector.go `Requirement.Matches`. A missing key
    /// satisfies NotIn; it never satisfies In or Equals.
    pub fn matches(&self, labels: &Labels) -> bool {
        let got = labels.get(&self.key);
        match self.op {
            Operator::Equals | Operator::In => got.is_some_and(|v| self.has(v)),
            Operator::NotIn => got.is_none_or(|v| !self.has(v)),
            Operator::Exists => got.is_some(),
            Operator::DoesNotExist => got.is_none(),
        }
    }

    fn has(&self, v: &str) -> bool {
        self.values.binary_search_by(|x| x.as_str().cmp(v)).is_ok()
    }

    /// What a label set has for this requirement's key, for explanations:
    /// `team=api` or `no team label`.
    pub fn found(&self, labels: &Labels) -> String {
        match labels.get(&self.key) {
            Some(v) => format!("{}={v}", self.key),
            None => format!("no {} label", self.key),
        }
    }
}

/// Printed as upstream's `Requirement.String()`: `x=a`, `x in (a,b)`,
/// `x notin (a)`, `x`, `!x`.
impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.op {
            Operator::Equals => write!(f, "{}={}", self.key, self.values.join(",")),
            Operator::In => write!(f, "{} in ({})", self.key, self.values.join(",")),
            Operator::NotIn => write!(f, "{} notin ({})", self.key, self.values.join(",")),
            Operator::Exists => write!(f, "{}", self.key),
            Operator::DoesNotExist => write!(f, "!{}", self.key),
        }
    }
}

/// A compiled label selector.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Selector {
    /// An absent selector (`LabelSelectorAsSelector(nil)`): matches nothing.
    Nothing,
    /// Requirements sorted by key; empty means "everything".
    Requirements(Vec<Requirement>),
}

/// A selector the API server would not compile.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    #[error("{0:?} is not a valid label selector operator")]
    Operator(String),
    #[error("for 'in', 'notin' operators, values set can't be empty")]
    EmptyValues,
    #[error("values set must be empty for exists and does not exist")]
    UnexpectedValues,
    #[error("key: Invalid value: {key:?}: {message}")]
    Key { key: String, message: String },
    #[error("values: Invalid value: {value:?}: {message}")]
    Value { value: String, message: String },
}

impl Selector {
    pub fn everything() -> Selector {
        Selector::Requirements(Vec::new())
    }

    /// upstream: apimachinery meta/v1 helpers.go `LabelSelectorAsSelector`.
    pub fn from_api(selector: Option<&LabelSelector>) -> Result<Selector, SelectorError> {
        let Some(ls) = selector else {
            return Ok(Selector::Nothing);
        };
        let mut reqs = Vec::new();
        for (k, v) in ls.match_labels.iter().flatten() {
            reqs.push(requirement(k, Operator::Equals, std::slice::from_ref(v))?);
        }
        for e in ls.match_expressions.iter().flatten() {
            let op = match e.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => return Err(SelectorError::Operator(other.to_string())),
            };
            reqs.push(requirement(
                &e.key,
                op,
                e.values.as_deref().unwrap_or_default(),
            )?);
        }
        // Upstream's Selector.Add sorts by key (stably).
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Selector::Requirements(reqs))
    }

    /// upstream: labels.Set.AsSelector (`SelectorFromSet`): one `key=value`
    /// requirement per entry, taken as given (no validation, as upstream's
    /// `SelectorFromValidatedSet`); an empty set selects everything.
    pub fn from_set(set: &Labels) -> Selector {
        Selector::Requirements(
            set.iter()
                .map(|(k, v)| Requirement {
                    key: k.clone(),
                    op: Operator::Equals,
                    values: vec![v.clone()],
                })
                .collect(),
        )
    }

    pub fn matches(&self, labels: &Labels) -> bool {
        match self {
            Selector::Nothing => false,
            Selector::Requirements(reqs) => reqs.iter().all(|r| r.matches(labels)),
        }
    }

    /// True for an empty selector (`{}`), which selects every object.
    pub fn is_everything(&self) -> bool {
        matches!(self, Selector::Requirements(r) if r.is_empty())
    }

    /// The requirements `labels` does not meet, in key order. Empty when
    /// the selector matches (or is `Nothing`, which has no requirement).
    pub fn unmet<'a>(&'a self, labels: &Labels) -> Vec<&'a Requirement> {
        match self {
            Selector::Nothing => Vec::new(),
            Selector::Requirements(reqs) => reqs.iter().filter(|r| !r.matches(labels)).collect(),
        }
    }
}

/// Printed as upstream's `Selector.String()` (requirements joined by `,`);
/// `Nothing` prints as upstream's `nothingSelector` does, empty.
impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Nothing => Ok(()),
            Selector::Requirements(reqs) => {
                for (i, r) in reqs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{r}")?;
                }
                Ok(())
            }
        }
    }
}

/// upstream: labels/selector.go `NewRequirement` (without Gt/Lt, which a
/// LabelSelector cannot express).
fn requirement(key: &str, op: Operator, values: &[String]) -> Result<Requirement, SelectorError> {
    if let Some(message) = crate::validate::field::is_label_key(key).into_iter().next() {
        return Err(SelectorError::Key {
            key: key.to_string(),
            message,
        });
    }
    match op {
        Operator::In | Operator::NotIn if values.is_empty() => {
            return Err(SelectorError::EmptyValues);
        }
        Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
            return Err(SelectorError::UnexpectedValues);
        }
        _ => {}
    }
    for v in values {
        if let Some(message) = crate::validate::field::is_label_value(v).into_iter().next() {
            return Err(SelectorError::Value {
                value: v.clone(),
                message,
            });
        }
    }
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    Ok(Requirement {
        key: key.to_string(),
        op,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
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

    fn sel(match_labels: &[(&str, &str)], exprs: Vec<LabelSelectorRequirement>) -> Selector {
        let ls = LabelSelector {
            match_labels: (!match_labels.is_empty()).then(|| labels(match_labels)),
            match_expressions: (!exprs.is_empty()).then_some(exprs),
        };
        Selector::from_api(Some(&ls)).expect("valid selector")
    }

    // upstream: apimachinery meta/v1 helpers.go LabelSelectorAsSelector:
    // nil selects nothing, an empty selector everything.
    #[test]
    fn absent_selects_nothing_and_empty_selects_everything() {
        let nothing = Selector::from_api(None).unwrap();
        assert!(!nothing.matches(&labels(&[])));
        assert!(!nothing.matches(&labels(&[("a", "b")])));
        let all = Selector::from_api(Some(&LabelSelector::default())).unwrap();
        assert!(all.is_everything());
        assert!(all.matches(&labels(&[])));
        assert!(all.matches(&labels(&[("x", "y")])));
        // `matchLabels: {}` is still empty.
        let empty_map = LabelSelector {
            match_labels: Some(BTreeMap::new()),
            match_expressions: Some(vec![]),
        };
        assert!(
            Selector::from_api(Some(&empty_map))
                .unwrap()
                .is_everything()
        );
    }

    // upstream: labels/selector_test.go TestSelectorMatches (the cases a
    // LabelSelector can express).
    #[test]
    fn selector_matches_upstream_cases() {
        assert!(sel(&[("x", "y")], vec![]).matches(&labels(&[("x", "y")])));
        assert!(sel(&[("x", "y"), ("z", "w")], vec![]).matches(&labels(&[("x", "y"), ("z", "w")])));
        assert!(sel(&[], vec![expr("x", "Exists", &[])]).matches(&labels(&[("x", "z")])));
        assert!(sel(&[], vec![expr("x", "DoesNotExist", &[])]).matches(&labels(&[("y", "z")])));
        assert!(!sel(&[("x", "z")], vec![]).matches(&labels(&[])));
        assert!(!sel(&[("x", "y")], vec![]).matches(&labels(&[("x", "z")])));
        assert!(
            !sel(&[("x", "y"), ("z", "w")], vec![]).matches(&labels(&[("x", "w"), ("z", "w")]))
        );
        assert!(!sel(&[], vec![expr("x", "Exists", &[])]).matches(&labels(&[("y", "z")])));
        assert!(!sel(&[], vec![expr("x", "DoesNotExist", &[])]).matches(&labels(&[("x", "z")])));
        let set = labels(&[("foo", "bar"), ("baz", "blah")]);
        assert!(sel(&[("foo", "bar"), ("baz", "blah")], vec![]).matches(&set));
        assert!(!sel(&[("foo", "blah")], vec![]).matches(&set));
        assert!(
            !sel(
                &[("foo", "bar"), ("foobar", "bar"), ("baz", "blah")],
                vec![]
            )
            .matches(&set)
        );
        // x!=y,z!=w against {x:z, z:a}: NotIn of one value.
        assert!(
            sel(
                &[],
                vec![expr("x", "NotIn", &["y"]), expr("z", "NotIn", &["w"])]
            )
            .matches(&labels(&[("x", "z"), ("z", "a")]))
        );
        assert!(
            !sel(
                &[],
                vec![expr("x", "NotIn", &["y"]), expr("z", "NotIn", &["w"])]
            )
            .matches(&labels(&[("x", "z"), ("z", "w")]))
        );
    }

    // upstream: labels/selector_test.go TestRequirementSelectorMatching.
    #[test]
    fn requirement_matching_upstream_cases() {
        let xy = labels(&[("x", "foo"), ("y", "baz")]);
        assert!(
            sel(
                &[],
                vec![expr("x", "In", &["foo"]), expr("y", "NotIn", &["alpha"])]
            )
            .matches(&xy)
        );
        assert!(
            !sel(
                &[],
                vec![expr("x", "In", &["foo"]), expr("y", "In", &["alpha"])]
            )
            .matches(&xy)
        );
        let y_empty = labels(&[("y", "")]);
        assert!(
            sel(
                &[],
                vec![expr("x", "NotIn", &[""]), expr("y", "Exists", &[])]
            )
            .matches(&y_empty)
        );
        assert!(
            sel(
                &[],
                vec![expr("x", "DoesNotExist", &[]), expr("y", "Exists", &[])]
            )
            .matches(&y_empty)
        );
        assert!(
            !sel(
                &[],
                vec![expr("x", "NotIn", &[""]), expr("y", "DoesNotExist", &[])]
            )
            .matches(&y_empty)
        );
        assert!(!sel(&[], vec![expr("x", "In", &[""])]).matches(&labels(&[("y", "baz")])));
    }

    // matchLabels and matchExpressions on the same key are ANDed.
    #[test]
    fn match_labels_and_expressions_are_anded() {
        let s = sel(&[("app", "db")], vec![expr("app", "In", &["db", "cache"])]);
        assert!(s.matches(&labels(&[("app", "db")])));
        assert!(!s.matches(&labels(&[("app", "cache")])));
        let s = sel(&[("app", "db")], vec![expr("tier", "NotIn", &["dev"])]);
        assert!(s.matches(&labels(&[("app", "db")])));
        assert!(!s.matches(&labels(&[("app", "db"), ("tier", "dev")])));
    }

    // upstream: labels/selector_test.go TestRequirementConstructor.
    #[test]
    fn requirement_constructor_upstream_cases() {
        let bad = |e: LabelSelectorRequirement| {
            Selector::from_api(Some(&LabelSelector {
                match_labels: None,
                match_expressions: Some(vec![e]),
            }))
        };
        assert_eq!(bad(expr("x", "In", &[])), Err(SelectorError::EmptyValues));
        assert_eq!(
            bad(expr("x", "NotIn", &[])),
            Err(SelectorError::EmptyValues)
        );
        assert!(bad(expr("x", "In", &["foo"])).is_ok());
        assert!(bad(expr("x", "Exists", &[])).is_ok());
        assert!(bad(expr("1foo", "In", &["bar"])).is_ok());
        assert!(bad(expr("1234", "In", &["bar"])).is_ok());
        assert_eq!(
            bad(expr("x", "Exists", &["a"])),
            Err(SelectorError::UnexpectedValues)
        );
        assert!(matches!(
            bad(expr(&"a".repeat(254), "Exists", &[])),
            Err(SelectorError::Key { .. })
        ));
        // upstream: helpers.go LabelSelectorAsSelector rejects Gt and typos.
        assert_eq!(
            bad(expr("x", "Gt", &["1"])).unwrap_err().to_string(),
            "\"Gt\" is not a valid label selector operator"
        );
        assert!(matches!(
            bad(expr("x", "In", &["not a value"])),
            Err(SelectorError::Value { .. })
        ));
    }

    // upstream: labels/selector_test.go TestToString.
    #[test]
    fn prints_like_upstream() {
        let s = sel(
            &[],
            vec![
                expr("x", "In", &["def", "abc"]),
                expr("y", "NotIn", &["jkl"]),
                expr("z", "Exists", &[]),
            ],
        );
        assert_eq!(s.to_string(), "x in (abc,def),y notin (jkl),z");
        let s = sel(
            &[("b", "2"), ("a", "1")],
            vec![expr("c", "DoesNotExist", &[])],
        );
        assert_eq!(s.to_string(), "a=1,b=2,!c");
    }

    #[test]
    fn unmet_names_what_is_missing() {
        let s = sel(&[("team", "web"), ("env", "prod")], vec![]);
        let l = labels(&[("team", "api"), ("env", "prod")]);
        let unmet = s.unmet(&l);
        assert_eq!(unmet.len(), 1);
        assert_eq!(unmet[0].to_string(), "team=web");
        assert_eq!(unmet[0].found(&l), "team=api");
        assert_eq!(unmet[0].found(&labels(&[])), "no team label");
        assert!(
            s.unmet(&labels(&[("team", "web"), ("env", "prod")]))
                .is_empty()
        );
    }

    // A selector is compiled whole before any label set is looked at, so a
    // broken expression is an error even where matchLabels already fail
    // (the ClusterRole aggregation controller stops on it), and the
    // operator must be spelled as the API defines it.
    // upstream: apimachinery meta/v1/helpers.go LabelSelectorAsSelector;
    // pkg/controller/clusterroleaggregation (returns the error).
    #[test]
    fn compiles_whole_selector_before_matching() {
        let both = LabelSelector {
            match_labels: Some(labels(&[("a", "9")])),
            match_expressions: Some(vec![expr("a", "In", &[])]),
        };
        assert_eq!(
            Selector::from_api(Some(&both)),
            Err(SelectorError::EmptyValues)
        );
        let equals = LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![expr("a", "Equals", &["1"])]),
        };
        assert_eq!(
            Selector::from_api(Some(&equals)),
            Err(SelectorError::Operator("Equals".into()))
        );
        // matchLabels go through NewRequirement too: a bad value fails.
        let bad_value = LabelSelector {
            match_labels: Some(labels(&[("a", "<uid>")])),
            match_expressions: None,
        };
        assert!(matches!(
            Selector::from_api(Some(&bad_value)),
            Err(SelectorError::Value { .. })
        ));
    }

    // An object with no labels (a nil map) is matched as an empty set:
    // NotIn and DoesNotExist hold, In and Exists do not.
    // upstream: labels/selector_test.go TestRequirementMatches (missing key).
    #[test]
    fn no_labels_is_an_empty_set() {
        let s = sel(
            &[],
            vec![
                expr("env", "NotIn", &["dev"]),
                expr("x", "DoesNotExist", &[]),
            ],
        );
        assert!(s.matches(&NO_LABELS));
        assert!(!s.matches(&labels(&[("env", "dev")])));
        assert!(!sel(&[], vec![expr("x", "Exists", &[])]).matches(&NO_LABELS));
        assert!(!Selector::from_api(None).unwrap().is_everything());
    }

    // upstream: labels/labels.go Set.AsSelector (SelectorFromSet): what a
    // ReplicationController's map selector becomes.
    #[test]
    fn from_set_is_equality_per_entry() {
        let s = Selector::from_set(&labels(&[("b", "2"), ("a", "1")]));
        assert_eq!(s.to_string(), "a=1,b=2");
        assert!(s.matches(&labels(&[("a", "1"), ("b", "2"), ("c", "3")])));
        assert!(!s.matches(&labels(&[("a", "1")])));
        assert!(Selector::from_set(&Labels::new()).is_everything());
    }
}
