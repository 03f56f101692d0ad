//! How apimachinery's `field.Error` prints the bad values that are not
//! plain strings or numbers: Go's `%#v` for maps and internal structs, a
//! type's own `String()` where it has one (LabelSelector, IntOrString).
//! Pointer addresses cannot be reproduced; they print as `0x…`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// `%#v` of a `map[string]string`: sorted keys, Go-quoted.
pub fn string_map(m: Option<&BTreeMap<String, String>>) -> String {
    match m {
        None => "map[string]string(nil)".into(),
        Some(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}:{}",
                        super::super::field::go_quote(k),
                        super::super::field::go_quote(v)
                    )
                })
                .collect();
            format!("map[string]string{{{}}}", items.join(", "))
        }
    }
}

/// `(*metav1.LabelSelector).String()` (gogo-protobuf's generated form).
pub fn label_selector(s: Option<&LabelSelector>) -> String {
    let Some(s) = s else {
        return "nil".into();
    };
    let mut labels = String::from("map[string]string{");
    for (k, v) in s.match_labels.iter().flatten() {
        labels.push_str(&format!("{k}: {v},"));
    }
    labels.push('}');
    let mut exprs = String::from("[]LabelSelectorRequirement{");
    for e in s.match_expressions.iter().flatten() {
        exprs.push_str(&format!(
            "LabelSelectorRequirement{{Key:{},Operator:{},Values:[{}],}},",
            e.key,
            e.operator,
            e.values.as_deref().unwrap_or_default().join(" ")
        ));
    }
    exprs.push('}');
    format!("&LabelSelector{{MatchLabels:{labels},MatchExpressions:{exprs},}}")
}

/// `(*intstr.IntOrString).String()`.
pub fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// `%#v` of a Go pointer field inside a struct.
pub fn ptr<T>(go_type: &str, v: Option<&T>) -> String {
    match v {
        None => format!("({go_type})(nil)"),
        Some(_) => format!("({go_type})(0x…)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    // upstream: Go fmt `%#v` of map[string]string; gogo-protobuf String()
    // of LabelSelector as staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/generated.pb.go prints it.
    #[test]
    fn go_forms() {
        let m: BTreeMap<String, String> =
            [("b".into(), "2".into()), ("a".into(), "1".into())].into();
        assert_eq!(
            string_map(Some(&m)),
            r#"map[string]string{"a":"1", "b":"2"}"#
        );
        assert_eq!(string_map(None), "map[string]string(nil)");
        let s = LabelSelector {
            match_labels: Some([("app".into(), "web".into())].into()),
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: "In".into(),
                values: Some(vec!["a".into(), "b".into()]),
            }]),
        };
        assert_eq!(
            label_selector(Some(&s)),
            "&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[a b],},},}"
        );
        assert_eq!(int_or_string(&IntOrString::String("25%".into())), "25%");
    }
}
