//! Tolerations (in pod specs and every workload's pod template) and Node
//! taints, as the API server validates them (pkg/apis/core/validation:
//! ValidateTolerations, validateNodeTaints, validateTaintEffect). The
//! TaintTolerationComparisonOperators gate (Lt, Gt) is alpha and off in
//! 1.36, so those operators are rejected as upstream rejects them.

use crate::model::FieldPath;
use crate::model::Typed;
use crate::validate::field::{BadValue, FieldError, go_quote, is_label_key, is_label_value};
use k8s_openapi::api::core::v1::{PodSpec, Taint, Toleration};

const TAINT_EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// The pod spec of a Pod or of a workload's template, with its path.
pub fn pod_specs(typed: &Typed) -> Vec<(&PodSpec, FieldPath)> {
    let root = FieldPath::root();
    let tmpl = |p: &FieldPath| p.field("template").field("spec");
    let mut out = Vec::new();
    match typed {
        Typed::Pod(p) => out.extend(p.spec.as_ref().map(|s| (s, root.field("spec")))),
        Typed::PodTemplate(t) => out.extend(
            t.template
                .as_ref()
                .and_then(|t| t.spec.as_ref())
                .map(|s| (s, root.field("template").field("spec"))),
        ),
        Typed::ReplicationController(r) => out.extend(
            r.spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .and_then(|t| t.spec.as_ref())
                .map(|s| (s, tmpl(&root.field("spec")))),
        ),
        Typed::Deployment(d) => out.extend(
            d.spec
                .as_ref()
                .and_then(|s| s.template.spec.as_ref())
                .map(|s| (s, tmpl(&root.field("spec")))),
        ),
        Typed::ReplicaSet(d) => out.extend(
            d.spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .and_then(|t| t.spec.as_ref())
                .map(|s| (s, tmpl(&root.field("spec")))),
        ),
        Typed::StatefulSet(d) => out.extend(
            d.spec
                .as_ref()
                .and_then(|s| s.template.spec.as_ref())
                .map(|s| (s, tmpl(&root.field("spec")))),
        ),
        Typed::DaemonSet(d) => out.extend(
            d.spec
                .as_ref()
                .and_then(|s| s.template.spec.as_ref())
                .map(|s| (s, tmpl(&root.field("spec")))),
        ),
        Typed::Job(j) => out.extend(
            j.spec
                .as_ref()
                .and_then(|s| s.template.spec.as_ref())
                .map(|s| (s, tmpl(&root.field("spec")))),
        ),
        Typed::CronJob(c) => out.extend(
            c.spec
                .job_template
                .spec
                .as_ref()
                .and_then(|s| s.template.spec.as_ref())
                .map(|s| {
                    (
                        s,
                        tmpl(&root.field("spec").field("jobTemplate").field("spec")),
                    )
                }),
        ),
        _ => {}
    }
    out
}

/// Toleration problems of every pod spec in the object.
pub fn validate_object_tolerations(typed: &Typed) -> Vec<FieldError> {
    pod_specs(typed)
        .into_iter()
        .flat_map(|(spec, path)| {
            validate_tolerations(
                spec.tolerations.as_deref().unwrap_or(&[]),
                &path.field("tolerations"),
            )
        })
        .collect()
}

/// `ValidateTolerations`.
pub fn validate_tolerations(tolerations: &[Toleration], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, t) in tolerations.iter().enumerate() {
        let p = path.index(i);
        let key = t.key.as_deref().unwrap_or("");
        let op = t.operator.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        if !key.is_empty() {
            for msg in is_label_key(key) {
                errs.push(FieldError::invalid(&p.field("key"), key, msg));
            }
        }
        if key.is_empty() && op != "Exists" {
            errs.push(FieldError::invalid(
                &p.field("operator"),
                op,
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            errs.push(FieldError::invalid(
                &p.field("effect"),
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match op {
            "" | "Equal" => {
                let msgs = is_label_value(value);
                if !msgs.is_empty() {
                    errs.push(
                        FieldError::invalid(&p.field("operator"), value, msgs.join(";"))
                            .pointing_at(p.field("value")),
                    );
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    errs.push(
                        FieldError::invalid(
                            &p.field("operator"),
                            BadValue::Raw(toleration_go_struct(t)),
                            "value must be empty when `operator` is 'Exists'",
                        )
                        .pointing_at(p.field("value")),
                    );
                }
            }
            _ => errs.push(FieldError::not_supported(
                &p.field("operator"),
                op,
                &["Equal", "Exists"],
            )),
        }
        if !effect.is_empty() && !TAINT_EFFECTS.contains(&effect) {
            errs.push(FieldError::not_supported(
                &p.field("effect"),
                effect,
                TAINT_EFFECTS,
            ));
        }
    }
    errs
}

/// Go's `%#v` of a `core.Toleration`, as upstream prints it.
fn toleration_go_struct(t: &Toleration) -> String {
    format!(
        "core.Toleration{{Key:{}, Operator:{}, Value:{}, Effect:{}, TolerationSeconds:{}}}",
        go_quote(t.key.as_deref().unwrap_or("")),
        go_quote(t.operator.as_deref().unwrap_or("")),
        go_quote(t.value.as_deref().unwrap_or("")),
        go_quote(t.effect.as_deref().unwrap_or("")),
        match t.toleration_seconds {
            None => "(*int64)(nil)".to_string(),
            // The pointer's address is not knowable; a stand-in is shown.
            Some(_) => "(*int64)(0xc000010000)".to_string(),
        }
    )
}

/// `validateNodeTaints` for `spec.taints`.
pub fn validate_taints(taints: &[Taint], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, t) in taints.iter().enumerate() {
        let p = path.index(i);
        for msg in is_label_key(&t.key) {
            errs.push(FieldError::invalid(&p.field("key"), t.key.as_str(), msg));
        }
        let value = t.value.as_deref().unwrap_or("");
        let msgs = is_label_value(value);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(
                &p.field("value"),
                value,
                msgs.join(";"),
            ));
        }
        if t.effect.is_empty() {
            errs.push(FieldError::required(&p.field("effect"), ""));
        } else if !TAINT_EFFECTS.contains(&t.effect.as_str()) {
            errs.push(FieldError::not_supported(
                &p.field("effect"),
                t.effect.as_str(),
                TAINT_EFFECTS,
            ));
        }
        if seen.contains(&(t.effect.as_str(), t.key.as_str())) {
            let mut e = FieldError::duplicate(
                &p,
                BadValue::Raw(format!(
                    "core.Taint{{Key:{}, Value:{}, Effect:{}, TimeAdded:(*v1.Time)(nil)}}",
                    go_quote(&t.key),
                    go_quote(value),
                    go_quote(&t.effect)
                )),
            );
            e.detail = "taints must be unique by key and effect pair".into();
            errs.push(e);
            continue;
        }
        seen.push((t.effect.as_str(), t.key.as_str()));
    }
    errs
}

/// Node object rules this module owns: its taints.
pub fn validate_node(node: &k8s_openapi::api::core::v1::Node) -> Vec<FieldError> {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .map(|t| validate_taints(t, &FieldPath::root().field("spec").field("taints")))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tols(v: serde_json::Value) -> Vec<String> {
        let t: Vec<Toleration> = serde_json::from_value(v).expect("tolerations");
        validate_tolerations(&t, &FieldPath::parse("spec.tolerations"))
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    // upstream: pkg/apis/core/validation/validation_test.go
    // TestValidateTolerations (success and error cases)
    #[test]
    fn tolerations() {
        assert!(
            tols(json!([{"key": "foo", "operator": "Exists", "effect": "NoSchedule"}])).is_empty()
        );
        assert!(
            tols(
                json!([{"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}])
            )
            .is_empty()
        );
        assert!(tols(json!([{"operator": "Exists"}])).is_empty());
        assert!(tols(json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}])).is_empty());
        assert_eq!(
            tols(
                json!([{"key": "foo", "operator": "Exists", "value": "bar", "effect": "NoSchedule"}])
            ),
            [
                "spec.tolerations[0].operator: Invalid value: core.Toleration{Key:\"foo\", Operator:\"Exists\", Value:\"bar\", Effect:\"NoSchedule\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'"
            ]
        );
        assert_eq!(
            tols(json!([{"operator": "Equal", "value": "bar", "effect": "NoSchedule"}])),
            [
                "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""
            ]
        );
        assert_eq!(
            tols(
                json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 20}])
            ),
            [
                "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"
            ]
        );
        assert_eq!(
            tols(json!([{"key": "foo", "operator": "In", "value": "bar", "effect": "NoSchedule"}])),
            [
                "spec.tolerations[0].operator: Unsupported value: \"In\": supported values: \"Equal\", \"Exists\""
            ]
        );
        assert_eq!(
            tols(json!([{"key": "foo", "operator": "Exists", "effect": "NoSchedul"}])),
            [
                "spec.tolerations[0].effect: Unsupported value: \"NoSchedul\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""
            ]
        );
        assert!(tols(json!([{"key": "nospecialchars^=@", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}]))[0]
            .starts_with("spec.tolerations[0].key: Invalid value: \"nospecialchars^=@\": name part must consist of"));
        // Lt and Gt need an alpha gate that 1.36 leaves off.
        assert_eq!(
            tols(json!([{"key": "sla", "operator": "Gt", "value": "900", "effect": "NoSchedule"}])),
            [
                "spec.tolerations[0].operator: Unsupported value: \"Gt\": supported values: \"Equal\", \"Exists\""
            ]
        );
    }

    // upstream: validation_test.go TestValidateNode (taints)
    #[test]
    fn taints() {
        let t: Vec<Taint> = serde_json::from_value(json!([
            {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
            {"key": "dedicated", "value": "other", "effect": "NoSchedule"},
            {"key": "x", "effect": "Sometimes"}
        ]))
        .expect("taints");
        let got: Vec<String> = validate_taints(&t, &FieldPath::parse("spec.taints"))
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "spec.taints[1]: Duplicate value: core.Taint{Key:\"dedicated\", Value:\"other\", Effect:\"NoSchedule\", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair",
                "spec.taints[2].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""
            ]
        );
    }
}
