//! PersistentVolumeClaim creates, in the API server's order: the
//! DefaultStorageClass plugin gives a claim without a class the default
//! StorageClass, LimitRanger checks `PersistentVolumeClaim` items (min and
//! max of the requested storage), then every matching ResourceQuota charges
//! the claim: `persistentvolumeclaims`, `requests.storage` and their
//! per-class forms `<class>.storageclass.storage.k8s.io/<resource>`.
//!
//! Upstream: pkg/quota/v1/evaluator/core/persistent_volume_claims.go,
//! plugin/pkg/admission/storage/storageclass/setdefault/admission.go,
//! pkg/volume/util/storageclass.go (GetDefaultClass),
//! staging/src/k8s.io/component-helpers/storage/volume/helpers.go
//! (GetPersistentVolumeClaimClass),
//! plugin/pkg/admission/limitranger/admission.go
//! (PersistentVolumeClaimValidateLimitFunc, maxRequestConstraint).

use super::{Admission, AdmitResult, ScopeReq, Stage, aggregate, min_constraint};
use crate::engines::pod_resources::{ContainerResources, ResourceList, parse_list};
use crate::engines::quantity::{Format, Quantity};
use k8s_openapi::api::core::v1::PersistentVolumeClaim;
use k8s_openapi::api::storage::v1::StorageClass;
use std::collections::BTreeSet;

pub const STORAGE_CLASS_SUFFIX: &str = ".storageclass.storage.k8s.io/";
const BETA_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";
const DEFAULT_CLASS_ANNOTATIONS: [&str; 2] = [
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
];

/// `pvcEvaluator.MatchingResources` for one name.
pub fn is_claim_resource(name: &str) -> bool {
    const CLAIM_RESOURCES: [&str; 2] = ["persistentvolumeclaims", "requests.storage"];
    name == "count/persistentvolumeclaims"
        || CLAIM_RESOURCES.contains(&name)
        || CLAIM_RESOURCES
            .iter()
            .any(|r| name.ends_with(&format!("{STORAGE_CLASS_SUFFIX}{r}")))
}

/// `GetPersistentVolumeClaimClass`: the beta annotation wins over
/// `spec.storageClassName`; "" is no class.
pub fn claim_class(pvc: &PersistentVolumeClaim) -> String {
    if let Some(c) = pvc
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(BETA_CLASS_ANNOTATION))
    {
        return c.clone();
    }
    pvc.spec
        .as_ref()
        .and_then(|s| s.storage_class_name.clone())
        .unwrap_or_default()
}

/// `PersistentVolumeClaimHasClass`: a class was asked for, even "".
fn has_class(pvc: &PersistentVolumeClaim) -> bool {
    pvc.metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(BETA_CLASS_ANNOTATION))
        || pvc
            .spec
            .as_ref()
            .is_some_and(|s| s.storage_class_name.is_some())
}

/// `GetDefaultClass`: among the classes annotated as default, the newest
/// (by creationTimestamp), then the first by name.
pub fn default_class<'a>(classes: impl IntoIterator<Item = &'a StorageClass>) -> Option<String> {
    let mut defaults: Vec<&StorageClass> = classes
        .into_iter()
        .filter(|c| {
            c.metadata.annotations.as_ref().is_some_and(|a| {
                DEFAULT_CLASS_ANNOTATIONS
                    .iter()
                    .any(|k| a.get(*k).is_some_and(|v| v == "true"))
            })
        })
        .collect();
    defaults.sort_by(|a, b| {
        let t = |c: &StorageClass| c.metadata.creation_timestamp.as_ref().map(|t| t.0);
        t(b).cmp(&t(a))
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
    defaults.first().and_then(|c| c.metadata.name.clone())
}

/// The class a claim ends up with: its own, or the default class when it
/// asked for none (the DefaultStorageClass admission plugin).
pub fn admitted_class(pvc: &PersistentVolumeClaim, default: Option<&str>) -> String {
    if has_class(pvc) {
        claim_class(pvc)
    } else {
        default.unwrap_or_default().to_string()
    }
}

fn one() -> Quantity {
    Quantity::from_i64(1, 0, Format::DecimalSi)
}

/// The storage a claim is charged for: its request rounded up to whole
/// bytes, or its allocated size when that is larger (`getStorageUsage`).
fn storage_usage(pvc: &PersistentVolumeClaim) -> Option<Quantity> {
    let requests = parse_list(
        pvc.spec
            .as_ref()
            .and_then(|s| s.resources.as_ref())
            .and_then(|r| r.requests.as_ref()),
    );
    let round = |q: &Quantity| {
        let bytes = q.value();
        if bytes.saturating_mul(1_000_000_000) == q.to_nano() {
            q.clone()
        } else {
            Quantity::from_nano(bytes.saturating_mul(1_000_000_000), q.format())
        }
    };
    let requested = requests.get("storage").map(round)?;
    let allocated = parse_list(
        pvc.status
            .as_ref()
            .and_then(|s| s.allocated_resources.as_ref()),
    );
    Some(match allocated.get("storage") {
        Some(a) if a.cmp_value(&requested).is_gt() => round(a),
        _ => requested,
    })
}

/// `pvcEvaluator.Usage` for a claim of class `class`.
pub fn claim_usage(pvc: &PersistentVolumeClaim, class: &str) -> ResourceList {
    let mut r = ResourceList::new();
    r.insert("persistentvolumeclaims".into(), one());
    r.insert("count/persistentvolumeclaims".into(), one());
    if !class.is_empty() {
        r.insert(
            format!("{class}{STORAGE_CLASS_SUFFIX}persistentvolumeclaims"),
            one(),
        );
    }
    if let Some(storage) = storage_usage(pvc) {
        if !class.is_empty() {
            r.insert(
                format!("{class}{STORAGE_CLASS_SUFFIX}requests.storage"),
                storage.clone(),
            );
        }
        r.insert("requests.storage".into(), storage);
    }
    r
}

/// `pvcMatchesScopeFunc`: claims match only VolumeAttributesClass scopes.
pub fn claim_scope_matches(s: &ScopeReq, pvc: &PersistentVolumeClaim) -> bool {
    if s.scope != "VolumeAttributesClass" {
        return false;
    }
    let mut names = BTreeSet::new();
    if let Some(n) = pvc
        .spec
        .as_ref()
        .and_then(|s| s.volume_attributes_class_name.clone())
        .filter(|n| !n.is_empty())
    {
        names.insert(n);
    }
    if let Some(st) = &pvc.status {
        if let Some(n) = st
            .current_volume_attributes_class_name
            .clone()
            .filter(|n| !n.is_empty())
        {
            names.insert(n);
        }
        if let Some(n) = st
            .modify_volume_status
            .as_ref()
            .and_then(|m| m.target_volume_attributes_class_name.clone())
            .filter(|n| !n.is_empty())
        {
            names.insert(n);
        }
    }
    // The selector reads a label set {VolumeAttributesClass: name}, or an
    // empty one when the claim names no class.
    let matches = |name: Option<&String>| match s.operator.as_str() {
        "Exists" => name.is_some(),
        "DoesNotExist" => name.is_none(),
        "In" => name.is_some_and(|n| s.values.contains(n)),
        "NotIn" => name.is_none_or(|n| !s.values.contains(n)),
        _ => false,
    };
    if s.operator == "Exists" {
        return !names.is_empty();
    }
    if names.is_empty() {
        return matches(None);
    }
    names.iter().any(|n| matches(Some(n)))
}

/// `maxRequestConstraint`: the max is held against the request only.
fn max_request_constraint(
    kind: &str,
    name: &str,
    enforced: &Quantity,
    requests: &ResourceList,
) -> Option<String> {
    let Some(req) = requests.get(name) else {
        return Some(format!(
            "maximum {name} usage per {kind} is {enforced}.  No request is specified"
        ));
    };
    let (r, _, e) = super::enforced_values(Some(req), None, enforced);
    (r > e).then(|| format!("maximum {name} usage per {kind} is {enforced}, but request is {req}"))
}

impl Admission {
    /// Charge claims that exist already (with their admitted class).
    pub fn with_claims<'a>(
        mut self,
        existing: impl IntoIterator<Item = (&'a str, &'a PersistentVolumeClaim)>,
        default: Option<&str>,
    ) -> Self {
        for (ns, pvc) in existing {
            let usage = claim_usage(pvc, &admitted_class(pvc, default));
            for q in self.quotas.iter_mut().filter(|q| {
                q.namespace == ns
                    && !q.claim_resources.is_empty()
                    && q.scopes.iter().all(|s| claim_scope_matches(s, pvc))
            }) {
                for name in &q.claim_resources {
                    if let (Some(u), Some(t)) = (usage.get(name), q.used.get_mut(name)) {
                        *t = t.add(u).stored();
                    }
                }
            }
        }
        self
    }

    /// Admit one claim create; on success it is charged. `default` is the
    /// cluster's default StorageClass, if any.
    pub fn admit_claim(
        &mut self,
        namespace: &str,
        pvc: &PersistentVolumeClaim,
        default: Option<&str>,
    ) -> AdmitResult {
        let name = pvc.metadata.name.clone().unwrap_or_default();
        let key = format!("{namespace}/{name}");
        let class = admitted_class(pvc, default);
        let rejected =
            |stage, reason: String, explain: String, blamed: String, resources| AdmitResult {
                pod: key.clone(),
                admitted: false,
                reason: Some(reason),
                defaults_applied: Vec::new(),
                stage,
                explain: Some(explain),
                blamed: Some(blamed),
                resources,
            };
        // LimitRanger: PersistentVolumeClaim items, the first LimitRange
        // with violations.
        let requests = parse_list(
            pvc.spec
                .as_ref()
                .and_then(|s| s.resources.as_ref())
                .and_then(|r| r.requests.as_ref()),
        );
        let as_request = ContainerResources {
            requests: requests.clone(),
            limits: ResourceList::new(),
        };
        for lr in self.limits.iter().filter(|l| l.namespace == namespace) {
            let mut errs: Vec<(String, String)> = Vec::new();
            for it in lr
                .items
                .iter()
                .filter(|i| i.type_ == "PersistentVolumeClaim")
            {
                for (k, v) in &it.min {
                    errs.extend(
                        min_constraint("PersistentVolumeClaim", k, v, &as_request)
                            .map(|m| (m, k.clone())),
                    );
                }
                for (k, v) in &it.max {
                    errs.extend(
                        max_request_constraint("PersistentVolumeClaim", k, v, &requests)
                            .map(|m| (m, k.clone())),
                    );
                }
            }
            if !errs.is_empty() {
                let msgs: Vec<String> = errs.iter().map(|(m, _)| m.clone()).collect();
                return rejected(
                    Stage::LimitRange,
                    aggregate(&msgs),
                    format!("{} bounds the storage a claim may request", lr.id),
                    lr.id.clone(),
                    errs.into_iter()
                        .map(|(_, r)| r)
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect(),
                );
            }
        }
        let interesting: Vec<usize> = self
            .quotas
            .iter()
            .enumerate()
            .filter(|(_, q)| {
                q.namespace == namespace
                    && !q.claim_resources.is_empty()
                    && q.scopes.iter().all(|s| claim_scope_matches(s, pvc))
            })
            .map(|(i, _)| i)
            .collect();
        let what = if class.is_empty() {
            "this claim".to_string()
        } else {
            format!("this claim of class {class}")
        };
        let delta: ResourceList = claim_usage(pvc, &class)
            .into_iter()
            .filter(|(_, v)| !v.is_zero())
            .collect();
        if let Err(r) = self.charge(namespace, &interesting, &delta, &what) {
            return rejected(Stage::ResourceQuota, r.reason, r.explain, r.blamed, {
                let mut e = r.exceeded;
                e.sort();
                e
            });
        }
        AdmitResult {
            pod: key,
            admitted: true,
            reason: None,
            defaults_applied: Vec::new(),
            stage: Stage::Admitted,
            explain: None,
            blamed: None,
            resources: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{LimitRange, ResourceQuota};
    use serde_json::json;

    fn pvc(v: serde_json::Value) -> PersistentVolumeClaim {
        serde_json::from_value(v).expect("pvc")
    }

    fn claim(name: &str, class: Option<&str>, storage: &str) -> PersistentVolumeClaim {
        let mut spec = json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": storage}}});
        if let Some(c) = class {
            spec["storageClassName"] = json!(c);
        }
        pvc(json!({"metadata": {"name": name, "namespace": "t"}, "spec": spec}))
    }

    fn quota(hard: serde_json::Value) -> ResourceQuota {
        serde_json::from_value(
            json!({"metadata": {"name": "storage", "namespace": "t"}, "spec": {"hard": hard}}),
        )
        .expect("quota")
    }

    fn admission(q: &ResourceQuota) -> Admission {
        Admission::new(std::iter::empty(), [("t", q)], std::iter::empty())
    }

    // upstream: pkg/quota/v1/evaluator/core/persistent_volume_claims_test.go
    // TestPersistentVolumeClaimEvaluatorUsage: "pvc-usage",
    // "pvc-usage-by-class", "pvc-usage-rounded" (1001m is charged as 2),
    // "pvc-usage-higher-allocated-resource".
    #[test]
    fn usage_by_class_and_rounding() {
        let u = claim_usage(&claim("a", None, "10Gi"), "");
        let keys: Vec<&str> = u.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "count/persistentvolumeclaims",
                "persistentvolumeclaims",
                "requests.storage"
            ]
        );
        let u = claim_usage(&claim("a", Some("gold"), "10Gi"), "gold");
        assert_eq!(
            u.get("gold.storageclass.storage.k8s.io/requests.storage")
                .map(|q| q.canonical()),
            Some("10Gi".to_string())
        );
        assert!(u.contains_key("gold.storageclass.storage.k8s.io/persistentvolumeclaims"));
        // "pvc-usage-rounded": 1001m is charged as 2 bytes.
        let frac = claim("a", None, "1001m");
        assert_eq!(
            claim_usage(&frac, "")
                .get("requests.storage")
                .map(|q| q.canonical()),
            Some("2".to_string())
        );
        // "pvc-usage-higher-allocated-resource": requested 5G, allocated 10G.
        let mut bigger = claim("a", None, "5G");
        bigger.status = Some(
            serde_json::from_value(json!({"allocatedResources": {"storage": "10G"}})).unwrap(),
        );
        assert_eq!(
            claim_usage(&bigger, "")
                .get("requests.storage")
                .map(|q| q.canonical()),
            Some("10G".to_string())
        );
    }

    // upstream: persistent_volume_claims.go MatchingResources (object count,
    // persistentvolumeclaims, requests.storage, and both per class)
    #[test]
    fn matching_resources() {
        for (name, want) in [
            ("count/persistentvolumeclaims", true),
            ("persistentvolumeclaims", true),
            ("requests.storage", true),
            ("gold.storageclass.storage.k8s.io/requests.storage", true),
            (
                "gold.storageclass.storage.k8s.io/persistentvolumeclaims",
                true,
            ),
            ("gold.storageclass.storage.k8s.io/storage", false),
            ("requests.cpu", false),
            ("pods", false),
        ] {
            assert_eq!(is_claim_resource(name), want, "{name}");
        }
    }

    // A per-class quota of 0 keeps a namespace off that class, and only that
    // class (the documented way to forbid a StorageClass in a namespace).
    #[test]
    fn zero_per_class_quota_blocks_that_class_only() {
        let q = quota(json!({
            "gold.storageclass.storage.k8s.io/requests.storage": "0",
            "requests.storage": "100Gi"
        }));
        let mut adm = admission(&q);
        let r = adm.admit_claim("t", &claim("g", Some("gold"), "10Gi"), None);
        assert!(!r.admitted);
        assert_eq!(
            r.reason.as_deref(),
            Some(
                "exceeded quota: storage, requested: gold.storageclass.storage.k8s.io/requests.storage=10Gi, used: gold.storageclass.storage.k8s.io/requests.storage=0, limited: gold.storageclass.storage.k8s.io/requests.storage=0"
            )
        );
        assert_eq!(
            r.resources,
            ["gold.storageclass.storage.k8s.io/requests.storage"]
        );
        assert!(
            adm.admit_claim("t", &claim("s", Some("standard"), "60Gi"), None)
                .admitted
        );
        // 60Gi used: another 50Gi goes over requests.storage.
        let r = adm.admit_claim("t", &claim("s2", Some("standard"), "50Gi"), None);
        assert_eq!(r.resources, ["requests.storage"]);
        // Another namespace is not affected.
        assert!(
            adm.admit_claim("u", &claim("g", Some("gold"), "10Gi"), None)
                .admitted
        );
    }

    // upstream: plugin/pkg/admission/storage/storageclass/setdefault/admission_test.go
    // TestAdmission: "no default, no modification of PVCs", "one default,
    // modify PVC with class=nil", "one default, no modification of PVC with
    // class=''", "... with class='foo'"; several defaults: the newest wins
    // (pkg/volume/util/storageclass.go GetDefaultClass).
    #[test]
    fn default_storage_class() {
        let sc = |name: &str, default: Option<&str>, ts: &str| -> StorageClass {
            let mut v =
                json!({"metadata": {"name": name, "creationTimestamp": ts}, "provisioner": "x"});
            if let Some(d) = default {
                v["metadata"]["annotations"] =
                    json!({"storageclass.kubernetes.io/is-default-class": d});
            }
            serde_json::from_value(v).unwrap()
        };
        let classes = [
            sc("old", Some("true"), "2024-01-01T00:00:00Z"),
            sc("new", Some("true"), "2025-01-01T00:00:00Z"),
            sc("no", Some("false"), "2026-01-01T00:00:00Z"),
        ];
        assert_eq!(default_class(&classes).as_deref(), Some("new"));
        assert_eq!(default_class(&classes[2..]), None);
        let d = Some("new");
        assert_eq!(admitted_class(&claim("a", None, "1Gi"), d), "new");
        assert_eq!(admitted_class(&claim("a", Some("gold"), "1Gi"), d), "gold");
        assert_eq!(admitted_class(&claim("a", Some(""), "1Gi"), d), "");
        let beta = pvc(
            json!({"metadata": {"name": "b", "annotations": {BETA_CLASS_ANNOTATION: "silver"}},
            "spec": {"storageClassName": "gold"}}),
        );
        assert_eq!(admitted_class(&beta, d), "silver");
        // A claim defaulted into a blocked class is refused.
        let q = quota(json!({"new.storageclass.storage.k8s.io/persistentvolumeclaims": "0"}));
        let r = admission(&q).admit_claim("t", &claim("a", None, "1Gi"), d);
        assert!(!r.admitted);
    }

    // upstream: plugin/pkg/admission/limitranger/admission_test.go
    // TestPersistentVolumeClaimLimitFunc (min and max on storage requests),
    // messages from minConstraint and maxRequestConstraint.
    #[test]
    fn limit_range_for_claims() {
        let lr: LimitRange = serde_json::from_value(json!({
            "metadata": {"name": "storage", "namespace": "t"},
            "spec": {"limits": [{"type": "PersistentVolumeClaim", "min": {"storage": "1Gi"}, "max": {"storage": "50Gi"}}]}
        }))
        .unwrap();
        let mut adm = Admission::new([("t", &lr)], std::iter::empty(), std::iter::empty());
        assert!(
            adm.admit_claim("t", &claim("ok", None, "10Gi"), None)
                .admitted
        );
        let r = adm.admit_claim("t", &claim("small", None, "500Mi"), None);
        assert_eq!(
            r.reason.as_deref(),
            Some("minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi")
        );
        let r = adm.admit_claim("t", &claim("big", None, "100Gi"), None);
        assert_eq!(
            r.reason.as_deref(),
            Some("maximum storage usage per PersistentVolumeClaim is 50Gi, but request is 100Gi")
        );
    }

    // upstream: persistent_volume_claims.go pvcMatchesScopeFunc
    // (VolumeAttributesClass only) and apiserver quota/v1/generic Matches:
    // a quota with any other scope never matches a claim.
    #[test]
    fn scoped_quotas_and_claims() {
        let q: ResourceQuota = serde_json::from_value(json!({
            "metadata": {"name": "be", "namespace": "t"},
            "spec": {"hard": {"pods": "1", "persistentvolumeclaims": "0"}, "scopes": ["NotTerminating"]}
        }))
        .unwrap();
        assert!(
            admission(&q)
                .admit_claim("t", &claim("a", None, "1Gi"), None)
                .admitted
        );
        let vac = |op: &str, values: &[&str]| ScopeReq {
            scope: "VolumeAttributesClass".into(),
            operator: op.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        let plain = claim("a", None, "1Gi");
        let mut fast = claim("b", None, "1Gi");
        fast.spec.as_mut().unwrap().volume_attributes_class_name = Some("fast".into());
        assert!(!claim_scope_matches(&vac("Exists", &[]), &plain));
        assert!(claim_scope_matches(&vac("Exists", &[]), &fast));
        assert!(claim_scope_matches(&vac("In", &["fast"]), &fast));
        assert!(claim_scope_matches(&vac("NotIn", &["fast"]), &plain));
        assert!(!claim_scope_matches(&vac("NotIn", &["fast"]), &fast));
        assert!(claim_scope_matches(&vac("DoesNotExist", &[]), &plain));
    }
}
