//! Cases from qos_test.go, the limitranger and resourcequota admission
//! tests, and pods.go's evaluator rules.

use super::*;
use k8s_openapi::api::core::v1::PodSpec;
use serde_json::json;

fn pod(v: serde_json::Value) -> Pod {
    serde_json::from_value(v).expect("pod")
}

fn rl(cpu: &str, mem: &str) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    if !cpu.is_empty() {
        m.insert("cpu".into(), cpu.into());
    }
    if !mem.is_empty() {
        m.insert("memory".into(), mem.into());
    }
    serde_json::Value::Object(m)
}

fn c(name: &str, req: serde_json::Value, lim: serde_json::Value) -> serde_json::Value {
    json!({"name": name, "resources": {"requests": req, "limits": lim}})
}

fn qos_as_written(spec: serde_json::Value) -> QosClass {
    let spec: PodSpec = serde_json::from_value(spec).expect("spec");
    compute_qos(&PodContainers::as_written(&spec))
}

// upstream: pkg/apis/core/v1/helper/qos/qos_test.go TestComputePodQOS
#[test]
fn qos_table() {
    use QosClass::*;
    let cases = [
        (
            json!({"containers": [c("g", rl("100m", "100Mi"), rl("100m", "100Mi"))]}),
            Guaranteed,
        ),
        (
            json!({"containers": [c("g", rl("100m", "100Mi"), rl("100m", "100Mi")), c("g", rl("100m", "100Mi"), rl("100m", "100Mi"))]}),
            Guaranteed,
        ),
        (
            json!({"containers": [c("b", rl("", ""), rl("", "")), c("b", rl("", ""), rl("", ""))]}),
            BestEffort,
        ),
        (
            json!({"containers": [c("b", rl("", ""), rl("", ""))]}),
            BestEffort,
        ),
        (
            json!({"containers": [c("b", rl("", ""), rl("", "")), c("bu", rl("1", ""), rl("2", ""))]}),
            Burstable,
        ),
        (
            json!({"containers": [c("b", rl("", ""), rl("", "")), c("g", rl("10m", "100Mi"), rl("10m", "100Mi"))]}),
            Burstable,
        ),
        (
            json!({"containers": [c("bu", rl("", "100Mi"), rl("", "100Mi"))]}),
            Burstable,
        ),
        (
            json!({"containers": [c("bu", rl("100m", "100Mi"), rl("", ""))]}),
            Burstable,
        ),
        (
            json!({"containers": [c("bu", rl("1", "100Mi"), rl("2", "100Mi")), c("g", rl("100m", "100Mi"), rl("100m", "100Mi"))]}),
            Burstable,
        ),
        (
            json!({"containers": [c("bu", rl("100m", "100Mi"), rl("200m", "200Mi")), c("un", rl("100m", "100Mi"), rl("", ""))]}),
            Burstable,
        ),
        (
            json!({"containers": [c("bu", rl("10m", "100Mi"), rl("100m", "200Mi"))]}),
            Burstable,
        ),
        (
            json!({"containers": [c("bu", rl("0", "0"), rl("100m", "200Mi"))]}),
            Burstable,
        ),
        (
            json!({"containers": [{"name": "b", "resources": {
            "requests": {"cpu": "0", "memory": "0", "hugepages-2Mi": "1Gi"},
            "limits": {"cpu": "0", "memory": "0", "hugepages-2Mi": "1Gi"}}}]}),
            BestEffort,
        ),
        (
            json!({"containers": [c("b", rl("", ""), rl("", ""))], "initContainers": [c("bu", rl("10m", "100Mi"), rl("100m", "200Mi"))]}),
            Burstable,
        ),
        (
            json!({"containers": [c("b", rl("", ""), rl("", ""))], "resources": {"requests": rl("10m", "100Mi"), "limits": rl("10m", "100Mi")}}),
            Guaranteed,
        ),
        (
            json!({"containers": [c("bu", rl("3m", "10Mi"), rl("5m", "20Mi"))], "resources": {"requests": rl("10m", "100Mi"), "limits": rl("10m", "100Mi")}}),
            Guaranteed,
        ),
        (
            json!({"containers": [c("b", rl("", ""), rl("", ""))], "resources": {"requests": rl("10m", "10Mi"), "limits": rl("20m", "50Mi")}}),
            Burstable,
        ),
        (
            json!({"containers": [c("bu", rl("5m", "10Mi"), rl("5m", "10Mi"))], "resources": {"requests": rl("10m", "10Mi"), "limits": rl("20m", "50Mi")}}),
            Burstable,
        ),
        (
            json!({"containers": [c("bu", rl("5m", "10Mi"), rl("", ""))], "resources": {"requests": rl("10m", "10Mi"), "limits": rl("", "")}}),
            Burstable,
        ),
        (
            json!({"containers": [c("bu", rl("5m", "10Mi"), rl("", "")), c("g", rl("5m", "10Mi"), rl("5m", "10Mi"))], "resources": {"requests": rl("10m", "10Mi"), "limits": rl("5m", "")}}),
            Burstable,
        ),
    ];
    for (i, (spec, want)) in cases.into_iter().enumerate() {
        assert_eq!(qos_as_written(spec), want, "case {i}");
    }
}

#[test]
fn qos_after_defaulting_limits_only_is_guaranteed() {
    // The API server copies limits into missing requests, so a pod with
    // only limits is Guaranteed once stored.
    let spec: PodSpec =
        serde_json::from_value(json!({"containers": [c("a", rl("", ""), rl("1", "1Gi"))]}))
            .expect("spec");
    assert_eq!(qos_class(&spec), QosClass::Guaranteed);
    assert_eq!(
        compute_qos(&PodContainers::as_written(&spec)),
        QosClass::Burstable
    );
}

fn lr(v: serde_json::Value) -> LimitRange {
    serde_json::from_value(
        json!({"metadata": {"name": "limits", "namespace": "dev"}, "spec": {"limits": v}}),
    )
    .expect("lr")
}

fn quota(name: &str, spec: serde_json::Value) -> ResourceQuota {
    serde_json::from_value(json!({"metadata": {"name": name, "namespace": "dev"}, "spec": spec}))
        .expect("quota")
}

fn admit_one(
    lrs: &[LimitRange],
    quotas: &[ResourceQuota],
    existing: &[Pod],
    p: &Pod,
) -> AdmitResult {
    let mut a = Admission::new(
        lrs.iter().map(|l| ("dev", l)),
        quotas.iter().map(|q| ("dev", q)),
        existing.iter().map(|p| ("dev", p)),
    );
    a.admit("dev", p)
}

fn p(name: &str, containers: serde_json::Value) -> Pod {
    pod(json!({"metadata": {"name": name}, "spec": {"containers": containers}}))
}

// upstream: plugin/pkg/admission/limitranger/admission_test.go
// TestDefaultContainerResourceRequirements, TestMergePodResourceRequirements
// and pkg/apis/core/v1/defaults_test.go TestSetDefaultLimitRangeItem
#[test]
fn limit_range_defaults() {
    // A LimitRange with only max still defaults: max → default limit →
    // default request.
    let only_max = lr(json!([{"type": "Container", "max": {"cpu": "1"}}]));
    let r = admit_one(&[only_max], &[], &[], &p("a", json!([{"name": "app"}])));
    assert!(r.admitted, "{r:?}");
    let got: Vec<(String, String, String)> = r
        .defaults_applied
        .iter()
        .map(|d| (d.field.clone(), d.resource.clone(), d.value.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("limits".into(), "cpu".into(), "1".into()),
            ("requests".into(), "cpu".into(), "1".into())
        ]
    );
    // min becomes the default request when there is no default.
    let it = LimitItem::of(
        &serde_json::from_value(
            json!({"type": "Container", "min": {"cpu": "100m"}, "default": {"memory": "1Gi"}}),
        )
        .expect("item"),
    );
    assert_eq!(
        it.default_request
            .get("cpu")
            .map(|q| q.canonical())
            .as_deref(),
        Some("100m")
    );
    assert_eq!(
        it.default_request
            .get("memory")
            .map(|q| q.canonical())
            .as_deref(),
        Some("1Gi")
    );
    // Pod items are not defaulted.
    let it = LimitItem::of(
        &serde_json::from_value(json!({"type": "Pod", "max": {"cpu": "1"}})).expect("item"),
    );
    assert!(it.default.is_empty());
}

#[test]
fn default_limit_below_request_is_invalid() {
    // The container asks for 2 cpu; the LimitRange's default limit of 1
    // is filled in and the request is now above its limit.
    let l = lr(json!([{"type": "Container", "default": {"cpu": "1"}}]));
    let r = admit_one(
        &[l],
        &[],
        &[],
        &p("a", json!([c("app", rl("2", ""), json!({}))])),
    );
    assert!(!r.admitted);
    assert_eq!(r.stage, Stage::Validation);
    assert_eq!(
        r.reason.as_deref(),
        Some(
            "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"
        )
    );
}

// upstream: limitranger/admission_test.go TestPodLimitFunc (min, max,
// maxLimitRequestRatio, per Container and per Pod)
#[test]
fn limit_range_validation_messages() {
    let l = lr(
        json!([{"type": "Container", "min": {"cpu": "100m"}, "max": {"cpu": "1", "memory": "1Gi"}, "maxLimitRequestRatio": {"memory": "2"}}]),
    );
    let check = |containers: serde_json::Value| {
        admit_one(std::slice::from_ref(&l), &[], &[], &p("a", containers)).reason
    };
    assert_eq!(
        check(json!([c("app", rl("50m", "512Mi"), rl("500m", "512Mi"))])).as_deref(),
        Some("minimum cpu usage per Container is 100m, but request is 50m")
    );
    assert_eq!(
        check(json!([c("app", rl("500m", "512Mi"), rl("2", "512Mi"))])).as_deref(),
        Some("maximum cpu usage per Container is 1, but limit is 2")
    );
    assert_eq!(
        check(json!([c("app", rl("500m", "256Mi"), rl("1", "1Gi"))])).as_deref(),
        Some(
            "memory max limit to request ratio per Container is 2, but provided ratio is 4.000000"
        )
    );
    assert_eq!(
        check(json!([c("app", rl("500m", "512Mi"), rl("1", "1Gi"))])),
        None
    );
    // Two violations come back as an aggregate.
    assert_eq!(
        check(json!([c("app", rl("50m", "256Mi"), rl("2", "1Gi"))])).as_deref(),
        Some(
            "[minimum cpu usage per Container is 100m, but request is 50m, maximum cpu usage per Container is 1, but limit is 2, memory max limit to request ratio per Container is 2, but provided ratio is 4.000000]"
        )
    );
    // Per Pod: the sum of the containers.
    let pod_max = lr(json!([{"type": "Pod", "max": {"cpu": "1"}}]));
    let r = admit_one(
        &[pod_max],
        &[],
        &[],
        &p(
            "a",
            json!([
                c("x", rl("600m", ""), rl("600m", "")),
                c("y", rl("600m", ""), rl("600m", ""))
            ]),
        ),
    );
    assert_eq!(
        r.reason.as_deref(),
        Some("maximum cpu usage per Pod is 1, but limit is 1200m")
    );
    let pod_max = lr(json!([{"type": "Pod", "max": {"cpu": "1"}}]));
    let r = admit_one(&[pod_max], &[], &[], &p("a", json!([{"name": "x"}])));
    assert_eq!(
        r.reason.as_deref(),
        Some("maximum cpu usage per Pod is 1.  No limit is specified")
    );
}

// upstream: plugin/pkg/admission/resourcequota/admission_test.go
// TestAdmitExceedQuotaLimit, TestAdmitBelowQuotaLimit,
// TestAdmitEnforceQuotaConstraints
#[test]
fn quota_exceeded_and_must_specify() {
    let q = quota(
        "compute",
        json!({"hard": {"requests.cpu": "1", "limits.cpu": "2", "pods": "3"}}),
    );
    let existing = [p("old", json!([c("app", rl("500m", ""), rl("1", ""))]))];
    let r = admit_one(
        &[],
        std::slice::from_ref(&q),
        &existing,
        &p("new", json!([c("app", rl("500m", ""), rl("1", ""))])),
    );
    assert!(r.admitted, "{r:?}");
    // Equality is allowed; one more millicore is not.
    let r = admit_one(
        &[],
        std::slice::from_ref(&q),
        &existing,
        &p("new", json!([c("app", rl("501m", ""), rl("1", ""))])),
    );
    assert_eq!(
        r.reason.as_deref(),
        Some(
            "exceeded quota: compute, requested: requests.cpu=501m, used: requests.cpu=500m, limited: requests.cpu=1"
        )
    );
    // Both exceeded, sorted by name.
    let r = admit_one(
        &[],
        std::slice::from_ref(&q),
        &existing,
        &p("new", json!([c("app", rl("1", ""), rl("2", ""))])),
    );
    assert_eq!(
        r.reason.as_deref(),
        Some(
            "exceeded quota: compute, requested: limits.cpu=2,requests.cpu=1, used: limits.cpu=1,requests.cpu=500m, limited: limits.cpu=2,requests.cpu=1"
        )
    );
    // A quota on limits.cpu needs every container to set a cpu limit.
    let r = admit_one(
        &[],
        std::slice::from_ref(&q),
        &[],
        &p(
            "new",
            json!([
                c("app", rl("100m", ""), json!({})),
                c("side", rl("", ""), json!({}))
            ]),
        ),
    );
    assert_eq!(
        r.reason.as_deref(),
        Some(
            "failed quota: compute: must specify limits.cpu for: app,side; requests.cpu for: side"
        )
    );
    // A LimitRange default fills it in.
    let l = lr(
        json!([{"type": "Container", "default": {"cpu": "200m"}, "defaultRequest": {"cpu": "100m"}}]),
    );
    let r = admit_one(
        &[l],
        std::slice::from_ref(&q),
        &[],
        &p("new", json!([{"name": "app"}])),
    );
    assert!(r.admitted, "{r:?}");
}

#[test]
fn quota_counts_pods_and_skips_finished_ones() {
    let q = quota("count", json!({"hard": {"pods": "1", "count/pods": "2"}}));
    let done = pod(
        json!({"metadata": {"name": "done"}, "spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Succeeded"}}),
    );
    let mut a = Admission::new(std::iter::empty(), [("dev", &q)], [("dev", &done)]);
    let r = a.admit("dev", &p("one", json!([{"name": "a"}])));
    assert!(r.admitted, "{r:?}");
    let r = a.admit("dev", &p("two", json!([{"name": "a"}])));
    assert_eq!(
        r.reason.as_deref(),
        Some(
            "exceeded quota: count, requested: count/pods=1,pods=1, used: count/pods=2,pods=1, limited: count/pods=2,pods=1"
        )
    );
    let usage = a.usage();
    assert_eq!(usage[0].used.get("pods").map(String::as_str), Some("1"));
    assert_eq!(
        usage[0].used.get("count/pods").map(String::as_str),
        Some("2")
    );
}

// upstream: resourcequota/admission_test.go TestAdmitBelowBestEffortQuotaLimit,
// TestAdmitBestEffortQuotaLimitIgnoresBurstable, TestAdmitBelowTerminatingQuotaLimit,
// TestAdmitLimitedScopeWithCoverQuota (PriorityClass scope selector)
#[test]
fn quota_scopes() {
    let be = quota(
        "be",
        json!({"hard": {"pods": "0"}, "scopes": ["BestEffort"]}),
    );
    let r = admit_one(
        &[],
        std::slice::from_ref(&be),
        &[],
        &p("x", json!([{"name": "a"}])),
    );
    assert!(
        r.reason
            .as_deref()
            .is_some_and(|m| m.starts_with("exceeded quota: be")),
        "{r:?}"
    );
    let r = admit_one(
        &[],
        std::slice::from_ref(&be),
        &[],
        &p("x", json!([c("a", rl("1", ""), json!({}))])),
    );
    assert!(r.admitted);
    let term = quota(
        "term",
        json!({"hard": {"pods": "0"}, "scopes": ["Terminating"]}),
    );
    let r = admit_one(
        &[],
        std::slice::from_ref(&term),
        &[],
        &p("x", json!([{"name": "a"}])),
    );
    assert!(r.admitted);
    let job = pod(
        json!({"metadata": {"name": "j"}, "spec": {"activeDeadlineSeconds": 60, "containers": [{"name": "a"}]}}),
    );
    assert!(!admit_one(&[], std::slice::from_ref(&term), &[], &job).admitted);
    let pc = quota(
        "high",
        json!({"hard": {"pods": "0"}, "scopeSelector": {"matchExpressions": [
        {"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]}}),
    );
    let high = pod(
        json!({"metadata": {"name": "h"}, "spec": {"priorityClassName": "high", "containers": [{"name": "a"}]}}),
    );
    assert!(!admit_one(&[], std::slice::from_ref(&pc), &[], &high).admitted);
    assert!(
        admit_one(
            &[],
            std::slice::from_ref(&pc),
            &[],
            &p("x", json!([{"name": "a"}]))
        )
        .admitted
    );
    let not_in = quota(
        "rest",
        json!({"hard": {"pods": "0"}, "scopeSelector": {"matchExpressions": [
        {"scopeName": "PriorityClass", "operator": "NotIn", "values": ["high"]}]}}),
    );
    assert!(
        !admit_one(
            &[],
            std::slice::from_ref(&not_in),
            &[],
            &p("x", json!([{"name": "a"}]))
        )
        .admitted
    );
    assert!(admit_one(&[], std::slice::from_ref(&not_in), &[], &high).admitted);
}

#[test]
fn quota_usage_is_max_of_app_sum_and_largest_init_plus_overhead() {
    let q = quota("mem", json!({"hard": {"requests.memory": "1Gi"}}));
    let spec = json!({
        "containers": [c("a", rl("", "300Mi"), json!({})), c("b", rl("", "300Mi"), json!({}))],
        "initContainers": [c("init", rl("", "700Mi"), json!({}))],
        "overhead": {"memory": "100Mi"}
    });
    let big = pod(json!({"metadata": {"name": "x"}, "spec": spec}));
    let mut a = Admission::new(std::iter::empty(), [("dev", &q)], std::iter::empty());
    assert!(a.admit("dev", &big).admitted);
    assert_eq!(
        a.usage()[0].used.get("requests.memory").map(String::as_str),
        Some("800Mi")
    );
}
