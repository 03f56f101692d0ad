//! ResourceQuota and LimitRange as the API server validates them
//! (pkg/apis/core/validation: ValidateResourceQuota with its scopes and
//! scopeSelector, ValidateLimitRange on the defaulted object).

use crate::engines::quantity::Quantity;
use crate::engines::quota::LimitItem;
use crate::model::FieldPath;
use crate::validate::field::{BadValue, FieldError, go_quote, is_label_key};
use k8s_openapi::api::core::v1::{LimitRange, ResourceQuota};
use std::collections::BTreeSet;

const STANDARD_RESOURCES: &[&str] = &[
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "persistentvolumeclaims",
    "storage",
    "requests.storage",
    "services.nodeports",
    "services.loadbalancers",
    "configmaps",
];

const STANDARD_QUOTA_RESOURCES: &[&str] = &[
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.storage",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
];

const SCOPES: &[&str] = &[
    "Terminating",
    "NotTerminating",
    "BestEffort",
    "NotBestEffort",
    "PriorityClass",
    "CrossNamespacePodAffinity",
    "VolumeAttributesClass",
];

const INTEGER_RESOURCES: &[&str] = &[
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
];

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-") || name.starts_with("requests.hugepages-")
}

fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `IsExtendedResourceName`.
fn is_extended(name: &str) -> bool {
    !is_native(name)
        && !name.starts_with("requests.")
        && is_label_key(&format!("requests.{name}")).is_empty()
}

fn is_integer_resource(name: &str) -> bool {
    INTEGER_RESOURCES.contains(&name) || is_extended(name)
}

/// `validateResourceName`.
fn validate_resource_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = is_label_key(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, name, m))
        .collect();
    if errs.is_empty()
        && !name.contains('/')
        && !(STANDARD_RESOURCES.contains(&name) || is_hugepages(name))
    {
        errs.push(FieldError::invalid(
            path,
            name,
            "must be a standard resource type or fully qualified",
        ));
    }
    errs
}

/// `ValidateResourceQuantityValue`.
fn validate_quantity_value(name: &str, q: &Quantity, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if q.sign() < 0 {
        errs.push(FieldError::invalid(
            path,
            q.canonical(),
            "must be greater than or equal to 0",
        ));
    }
    if is_integer_resource(name) && q.milli_value() % 1000 != 0 {
        errs.push(FieldError::invalid(
            path,
            BadValue::Raw(q.go_struct()),
            "must be an integer",
        ));
    }
    errs
}

/// `IsResourceQuotaScopeValidForResource`.
fn scope_valid_for(scope: &str, resource: &str) -> bool {
    const COMPUTE: &[&str] = &[
        "cpu",
        "memory",
        "limits.cpu",
        "limits.memory",
        "requests.cpu",
        "requests.memory",
    ];
    match scope {
        "Terminating"
        | "NotTerminating"
        | "NotBestEffort"
        | "PriorityClass"
        | "CrossNamespacePodAffinity" => resource == "pods" || COMPUTE.contains(&resource),
        "BestEffort" => resource == "pods",
        "VolumeAttributesClass" => {
            resource == "persistentvolumeclaims" || resource == "requests.storage"
        }
        _ => true,
    }
}

fn scopes_go(scopes: &[String]) -> BadValue {
    BadValue::Raw(format!(
        "[]core.ResourceQuotaScope{{{}}}",
        scopes
            .iter()
            .map(|s| go_quote(s))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// `ValidateResourceQuota` (spec).
pub fn validate_resource_quota(q: &ResourceQuota) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(spec) = q.spec.as_ref() else {
        return errs;
    };
    let spec_path = FieldPath::root().field("spec");
    let hard_path = spec_path.field("hard");
    let hard_names: BTreeSet<&str> = spec
        .hard
        .iter()
        .flatten()
        .map(|(k, _)| k.as_str())
        .collect();
    for (k, v) in spec.hard.iter().flatten() {
        let p = hard_path.key(k);
        errs.extend(validate_resource_name(k, &p));
        if !(k.contains('/') || STANDARD_QUOTA_RESOURCES.contains(&k.as_str()) || is_hugepages(k)) {
            errs.push(FieldError::invalid(
                &p,
                k.as_str(),
                "must be a standard resource for quota",
            ));
        }
        if let Ok(q) = Quantity::parse(v.0.trim()) {
            errs.extend(validate_quantity_value(k, &q, &p));
        }
    }
    let conflicting = |set: &BTreeSet<&str>| {
        (set.contains("BestEffort") && set.contains("NotBestEffort"))
            || (set.contains("Terminating") && set.contains("NotTerminating"))
    };
    let scopes = spec.scopes.clone().unwrap_or_default();
    if !scopes.is_empty() {
        let p = spec_path.field("scopes");
        let mut set = BTreeSet::new();
        for (i, scope) in scopes.iter().enumerate() {
            if !SCOPES.contains(&scope.as_str()) {
                errs.push(
                    FieldError::invalid(&p, scopes_go(&scopes), "unsupported scope")
                        .pointing_at(p.index(i)),
                );
            }
            for k in &hard_names {
                if STANDARD_QUOTA_RESOURCES.contains(k) && !scope_valid_for(scope, k) {
                    errs.push(
                        FieldError::invalid(
                            &p,
                            scopes_go(&scopes),
                            "unsupported scope applied to resource",
                        )
                        .pointing_at(p.index(i)),
                    );
                }
            }
            set.insert(scope.as_str());
        }
        if conflicting(&set) {
            errs.push(FieldError::invalid(
                &p,
                scopes_go(&scopes),
                "conflicting scopes",
            ));
        }
    }
    if let Some(sel) = spec.scope_selector.as_ref() {
        let p = spec_path.field("scopeSelector").field("matchExpressions");
        let mut set = BTreeSet::new();
        for (i, req) in sel.match_expressions.iter().flatten().enumerate() {
            let at = p.index(i);
            if !SCOPES.contains(&req.scope_name.as_str()) {
                errs.push(
                    FieldError::invalid(
                        &p.field("scopeName"),
                        req.scope_name.as_str(),
                        "unsupported scope",
                    )
                    .pointing_at(at.field("scopeName")),
                );
            }
            for k in &hard_names {
                if STANDARD_QUOTA_RESOURCES.contains(k) && !scope_valid_for(&req.scope_name, k) {
                    errs.push(
                        FieldError::invalid(
                            &p,
                            BadValue::None,
                            "unsupported scope applied to resource",
                        )
                        .pointing_at(at.field("scopeName")),
                    );
                }
            }
            if matches!(
                req.scope_name.as_str(),
                "BestEffort"
                    | "NotBestEffort"
                    | "Terminating"
                    | "NotTerminating"
                    | "CrossNamespacePodAffinity"
            ) && req.operator != "Exists"
            {
                errs.push(
                    FieldError::invalid(
                        &p.field("operator"),
                        req.operator.as_str(),
                        "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
                    )
                    .pointing_at(at.field("operator")),
                );
            }
            let values = req.values.as_deref().unwrap_or(&[]);
            match req.operator.as_str() {
                "In" | "NotIn" if values.is_empty() => errs.push(
                    FieldError::required(
                        &p.field("values"),
                        "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
                    )
                    .pointing_at(at.field("operator")),
                ),
                "In" | "NotIn" => {}
                "Exists" | "DoesNotExist" if !values.is_empty() => errs.push(
                    FieldError::invalid(
                        &p.field("values"),
                        BadValue::Raw(format!(
                            "[]string{{{}}}",
                            values.iter().map(|v| go_quote(v)).collect::<Vec<_>>().join(", ")
                        )),
                        "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
                    )
                    .pointing_at(at.field("values")),
                ),
                "Exists" | "DoesNotExist" => {}
                op => errs.push(
                    FieldError::invalid(&p.field("operator"), op, "not a valid selector operator")
                        .pointing_at(at.field("operator")),
                ),
            }
            set.insert(req.scope_name.as_str());
        }
        if conflicting(&set) {
            errs.push(FieldError::invalid(
                &p,
                scopes_go(&scopes),
                "conflicting scopes",
            ));
        }
    }
    errs
}

/// `ValidateLimitRange`, on the object as the API server defaults it.
pub fn validate_limit_range(lr: &LimitRange) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(spec) = lr.spec.as_ref() else {
        return errs;
    };
    let path = FieldPath::root().field("spec").field("limits");
    let mut types = BTreeSet::new();
    for (i, raw) in spec.limits.iter().enumerate() {
        let p = path.index(i);
        let t = raw.type_.as_str();
        let type_errs = is_label_key(t);
        if !type_errs.is_empty() {
            for m in type_errs {
                errs.push(FieldError::invalid(&p.field("type"), t, m));
            }
        } else if !t.contains('/') && !matches!(t, "Pod" | "Container" | "PersistentVolumeClaim") {
            errs.push(FieldError::invalid(
                &p.field("type"),
                t,
                "must be a standard limit type or fully qualified",
            ));
        }
        if !types.insert(t) {
            errs.push(FieldError::duplicate(&p.field("type"), t));
        }
        if t == "Pod" {
            if raw.default.as_ref().is_some_and(|d| !d.is_empty()) {
                errs.push(FieldError::forbidden(
                    &p.field("default"),
                    "may not be specified when `type` is 'Pod'",
                ));
            }
            if raw.default_request.as_ref().is_some_and(|d| !d.is_empty()) {
                errs.push(FieldError::forbidden(
                    &p.field("defaultRequest"),
                    "may not be specified when `type` is 'Pod'",
                ));
            }
        }
        let it = LimitItem::of(raw);
        let (default, default_request) = if t == "Pod" {
            (Default::default(), Default::default())
        } else {
            (it.default.clone(), it.default_request.clone())
        };
        let mut keys: BTreeSet<&String> = it.max.keys().chain(it.min.keys()).collect();
        keys.extend(default.keys());
        keys.extend(default_request.keys());
        keys.extend(it.max_limit_request_ratio.keys());
        for k in keys {
            let (min, max) = (it.min.get(k), it.max.get(k));
            let (def, req) = (default.get(k), default_request.get(k));
            let ratio = it.max_limit_request_ratio.get(k);
            let bad = |q: &Quantity| BadValue::Raw(q.go_struct());
            if let (Some(mn), Some(mx)) = (min, max)
                && mn.cmp_value(mx).is_gt()
            {
                errs.push(FieldError::invalid(
                    &p.field("min").key(k),
                    bad(mn),
                    format!("min value {mn} is greater than max value {mx}"),
                ));
            }
            if let (Some(r), Some(mn)) = (req, min)
                && mn.cmp_value(r).is_gt()
            {
                errs.push(FieldError::invalid(
                    &p.field("defaultRequest").key(k),
                    bad(r),
                    format!("min value {mn} is greater than default request value {r}"),
                ));
            }
            if let (Some(r), Some(mx)) = (req, max)
                && r.cmp_value(mx).is_gt()
            {
                errs.push(FieldError::invalid(
                    &p.field("defaultRequest").key(k),
                    bad(r),
                    format!("default request value {r} is greater than max value {mx}"),
                ));
            }
            if let (Some(r), Some(d)) = (req, def)
                && r.cmp_value(d).is_gt()
            {
                errs.push(FieldError::invalid(
                    &p.field("defaultRequest").key(k),
                    bad(r),
                    format!("default request value {r} is greater than default limit value {d}"),
                ));
            }
            if let (Some(d), Some(mn)) = (def, min)
                && mn.cmp_value(d).is_gt()
            {
                errs.push(FieldError::invalid(
                    &p.field("default").key(k),
                    bad(mn),
                    format!("min value {mn} is greater than default value {d}"),
                ));
            }
            if let (Some(d), Some(mx)) = (def, max)
                && d.cmp_value(mx).is_gt()
            {
                errs.push(FieldError::invalid(
                    &p.field("default").key(k),
                    bad(mx),
                    format!("default value {d} is greater than max value {mx}"),
                ));
            }
            if let Some(r) = ratio
                && r.cmp_value(&Quantity::from_i64(
                    1,
                    0,
                    crate::engines::quantity::Format::DecimalSi,
                ))
                .is_lt()
            {
                errs.push(FieldError::invalid(
                    &p.field("maxLimitRequestRatio").key(k),
                    bad(r),
                    format!("ratio {r} is less than 1"),
                ));
            }
            if let (Some(r), Some(mn), Some(mx)) = (ratio, min, max) {
                const MAX_MILLI: i128 = (i64::MAX / 1000) as i128;
                let (mut rv, mut mnv, mut mxv) = (r.value() as f64, mn.value(), mx.value());
                if r.value() < MAX_MILLI && mnv < MAX_MILLI && mxv < MAX_MILLI {
                    rv = r.milli_value() as f64 / 1000.0;
                    mnv = mn.milli_value();
                    mxv = mx.milli_value();
                }
                let limit = mxv as f64 / mnv as f64;
                if rv > limit {
                    errs.push(FieldError::invalid(
                        &p.field("maxLimitRequestRatio").key(k),
                        bad(r),
                        format!("ratio {r} is greater than max/min = {limit:.6}"),
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
    use serde_json::json;

    fn lr_errs(v: serde_json::Value) -> Vec<String> {
        let lr: LimitRange =
            serde_json::from_value(json!({"metadata": {"name": "l"}, "spec": {"limits": v}}))
                .expect("lr");
        validate_limit_range(&lr)
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    fn rq_errs(spec: serde_json::Value) -> Vec<String> {
        let q: ResourceQuota =
            serde_json::from_value(json!({"metadata": {"name": "q"}, "spec": spec})).expect("rq");
        validate_resource_quota(&q)
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    // upstream: validation_test.go TestValidateLimitRange (error cases)
    #[test]
    fn limit_range() {
        assert!(lr_errs(json!([{"type": "Container", "max": {"cpu": "1"}, "min": {"cpu": "100m"}, "default": {"cpu": "500m"}}])).is_empty());
        let e =
            lr_errs(json!([{"type": "Container", "max": {"cpu": "1"}, "default": {"cpu": "2"}}]));
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with(
                "spec.limits[0].defaultRequest[cpu]: Invalid value: resource.Quantity{"
            )
        );
        assert!(e[0].ends_with(": default request value 2 is greater than max value 1"));
        assert!(e[1].starts_with("spec.limits[0].default[cpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1, scale:0}"));
        assert!(e[1].ends_with(": default value 2 is greater than max value 1"));
        let e = lr_errs(json!([{"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "1"}}]));
        assert!(
            e[0].ends_with("min value 2 is greater than max value 1"),
            "{e:?}"
        );
        let e = lr_errs(json!([{"type": "Pod", "default": {"cpu": "1"}}]));
        assert_eq!(
            e,
            ["spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"]
        );
        let e = lr_errs(json!([{"type": "Container", "maxLimitRequestRatio": {"cpu": "500m"}}]));
        assert!(e[0].ends_with("ratio 500m is less than 1"), "{e:?}");
        let e = lr_errs(
            json!([{"type": "Container", "min": {"cpu": "1"}, "max": {"cpu": "2"}, "maxLimitRequestRatio": {"cpu": "3"}}]),
        );
        assert!(
            e[0].ends_with("ratio 3 is greater than max/min = 2.000000"),
            "{e:?}"
        );
        let e = lr_errs(json!([{"type": "Container"}, {"type": "Container"}]));
        assert_eq!(e, ["spec.limits[1].type: Duplicate value: \"Container\""]);
    }

    // upstream: validation_test.go TestValidateResourceQuota (error cases)
    #[test]
    fn resource_quota() {
        assert!(rq_errs(json!({"hard": {"cpu": "10", "pods": "10", "count/pods": "5", "requests.nvidia.com/gpu": "2"}})).is_empty());
        assert_eq!(
            rq_errs(json!({"hard": {"pods": "10"}, "scopes": ["BestEfort"]})),
            [
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEfort\"}: unsupported scope"
            ]
        );
        assert_eq!(
            rq_errs(json!({"hard": {"cpu": "10"}, "scopes": ["BestEffort"]})),
            [
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\"}: unsupported scope applied to resource"
            ]
        );
        assert_eq!(
            rq_errs(json!({"hard": {"pods": "10"}, "scopes": ["BestEffort", "NotBestEffort"]})),
            [
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\"}: conflicting scopes"
            ]
        );
        assert_eq!(
            rq_errs(json!({"hard": {"cpu": "-1"}})),
            ["spec.hard[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"]
        );
        let e = rq_errs(json!({"hard": {"pods": "1.5"}}));
        assert!(
            e[0].starts_with("spec.hard[pods]: Invalid value: resource.Quantity{")
                && e[0].ends_with(": must be an integer"),
            "{e:?}"
        );
        assert_eq!(
            rq_errs(json!({"hard": {"foo": "1"}})),
            [
                "spec.hard[foo]: Invalid value: \"foo\": must be a standard resource type or fully qualified",
                "spec.hard[foo]: Invalid value: \"foo\": must be a standard resource for quota"
            ]
        );
        assert_eq!(
            rq_errs(
                json!({"hard": {"pods": "1"}, "scopeSelector": {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In"}]}})
            ),
            [
                "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"
            ]
        );
    }
}
