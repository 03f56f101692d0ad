//! ResourceQuota and LimitRange admission of pod creates, in the API
//! server's order: API defaulting (a limit copied into a missing request),
//! LimitRanger defaults, request ≤ limit validation, LimitRanger min/max/
//! ratio per Container and per Pod, then every matching quota (scopes,
//! scopeSelector, the "must specify" rule, usage against hard). Also the
//! QoS class a pod gets.
//!
//! Upstream: plugin/pkg/admission/limitranger/admission.go,
//! pkg/apis/core/v1/defaults.go (SetDefaults_LimitRangeItem),
//! staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go
//! (CheckRequest, message wording), pkg/quota/v1/evaluator/core/pods.go,
//! pkg/apis/core/v1/helper/qos/qos.go, pkg/apis/core/validation
//! (ValidateResourceRequirements). PersistentVolumeClaim creates are in
//! `claims`.

use super::pod_resources::{ContainerResources, PodContainers, ResourceList, add_into};
use super::quantity::Quantity;
use k8s_openapi::api::core::v1::{LimitRange, LimitRangeItem, Pod, ResourceQuota};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------- QoS

/// A pod's QoS class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum QosClass {
    Guaranteed,
    Burstable,
    BestEffort,
}

impl QosClass {
    pub fn as_str(self) -> &'static str {
        match self {
            QosClass::Guaranteed => "Guaranteed",
            QosClass::Burstable => "Burstable",
            QosClass::BestEffort => "BestEffort",
        }
    }
}

/// The class the kubelet reports for a pod as the API server stores it
/// (limits already copied into missing requests).
pub fn qos_class(spec: &k8s_openapi::api::core::v1::PodSpec) -> QosClass {
    compute_qos(&PodContainers::of(spec))
}

/// `ComputePodQOS` over containers exactly as given.
pub fn compute_qos(pc: &PodContainers) -> QosClass {
    let zero = Quantity::zero();
    let supported = |n: &str| n == "cpu" || n == "memory";
    let mut requests = ResourceList::new();
    let mut limits = ResourceList::new();
    let mut guaranteed = true;
    // Adds one container's (or the pod level's) positive cpu and memory;
    // true when its limits name both cpu and memory.
    let take =
        |res: &ContainerResources, requests: &mut ResourceList, limits: &mut ResourceList| {
            for (name, q) in &res.requests {
                if supported(name) && q.cmp_value(&zero).is_gt() {
                    add_one(requests, name, q);
                }
            }
            let mut found = 0;
            for (name, q) in &res.limits {
                if supported(name) && q.cmp_value(&zero).is_gt() {
                    found += 1;
                    add_one(limits, name, q);
                }
            }
            found == 2
        };
    match &pc.pod_level {
        // Pod-level resources decide the class when they are set.
        Some(p) if !p.requests.is_empty() || !p.limits.is_empty() => {
            let both = take(p, &mut requests, &mut limits);
            if !p.limits.is_empty() && !both {
                guaranteed = false;
            }
        }
        _ => {
            for c in pc.app.iter().chain(pc.init.iter()) {
                if !take(&c.res, &mut requests, &mut limits) {
                    guaranteed = false;
                }
            }
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return QosClass::BestEffort;
    }
    if guaranteed {
        guaranteed = requests
            .iter()
            .all(|(name, req)| limits.get(name).is_some_and(|l| l.cmp_value(req).is_eq()));
    }
    if guaranteed && requests.len() == limits.len() {
        QosClass::Guaranteed
    } else {
        QosClass::Burstable
    }
}

fn add_one(list: &mut ResourceList, name: &str, q: &Quantity) {
    match list.get_mut(name) {
        Some(t) => *t = q.add(t),
        None => {
            list.insert(name.to_string(), q.clone());
        }
    }
}

// ---------------------------------------------------------- LimitRange

/// A LimitRange item after the API server's defaulting
/// (`SetDefaults_LimitRangeItem`): for Container items, a max with no
/// default becomes the default limit, a default limit with no default
/// request becomes the default request, then a min with no default
/// request becomes the default request.
#[derive(Clone, Debug, Default)]
pub struct LimitItem {
    pub type_: String,
    pub max: ResourceList,
    pub min: ResourceList,
    pub default: ResourceList,
    pub default_request: ResourceList,
    pub max_limit_request_ratio: ResourceList,
}

impl LimitItem {
    pub fn of(item: &LimitRangeItem) -> Self {
        use super::pod_resources::parse_list;
        let mut it = LimitItem {
            type_: item.type_.clone(),
            max: parse_list(item.max.as_ref()),
            min: parse_list(item.min.as_ref()),
            default: parse_list(item.default.as_ref()),
            default_request: parse_list(item.default_request.as_ref()),
            max_limit_request_ratio: parse_list(item.max_limit_request_ratio.as_ref()),
        };
        if it.type_ == "Container" {
            for (k, v) in &it.max {
                it.default.entry(k.clone()).or_insert_with(|| v.clone());
            }
            for (k, v) in &it.default {
                it.default_request
                    .entry(k.clone())
                    .or_insert_with(|| v.clone());
            }
            for (k, v) in &it.min {
                it.default_request
                    .entry(k.clone())
                    .or_insert_with(|| v.clone());
            }
        }
        it
    }
}

/// A LimitRange with its items defaulted.
#[derive(Clone, Debug)]
pub struct Limits {
    /// `LimitRange/NS/NAME`.
    pub id: String,
    pub namespace: String,
    pub items: Vec<LimitItem>,
}

impl Limits {
    pub fn of(lr: &LimitRange, namespace: &str) -> Self {
        Limits {
            id: format!(
                "LimitRange/{namespace}/{}",
                lr.metadata.name.as_deref().unwrap_or("")
            ),
            namespace: namespace.to_string(),
            items: lr
                .spec
                .iter()
                .flat_map(|s| s.limits.iter())
                .map(LimitItem::of)
                .collect(),
        }
    }

    /// `defaultContainerResourceRequirements`: later Container items
    /// override earlier ones.
    fn container_defaults(&self) -> ContainerResources {
        let mut d = ContainerResources::default();
        for it in self.items.iter().filter(|i| i.type_ == "Container") {
            for (k, v) in &it.default_request {
                d.requests.insert(k.clone(), v.clone());
            }
            for (k, v) in &it.default {
                d.limits.insert(k.clone(), v.clone());
            }
        }
        d
    }
}

/// A value LimitRanger filled in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DefaultApplied {
    pub container: String,
    /// `requests` or `limits`.
    pub field: String,
    pub resource: String,
    pub value: String,
    /// `LimitRange/NS/NAME`.
    pub by: String,
}

/// `requestLimitEnforcedValues`: milli precision when nothing overflows.
fn enforced_values(
    req: Option<&Quantity>,
    lim: Option<&Quantity>,
    enforced: &Quantity,
) -> (i128, i128, i128) {
    const MAX_MILLI_VALUE: i128 = (i64::MAX / 1000) as i128;
    let v = |q: Option<&Quantity>| q.map_or(0, |q| q.value());
    let (r, l, e) = (v(req), v(lim), enforced.value());
    if r <= MAX_MILLI_VALUE && l <= MAX_MILLI_VALUE && e <= MAX_MILLI_VALUE {
        let m = |q: Option<&Quantity>| q.map_or(0, |q| q.milli_value());
        (m(req), m(lim), enforced.milli_value())
    } else {
        (r, l, e)
    }
}

fn min_constraint(
    kind: &str,
    name: &str,
    enforced: &Quantity,
    res: &ContainerResources,
) -> Option<String> {
    let req = res.requests.get(name);
    let lim = res.limits.get(name);
    let (r, l, e) = enforced_values(req, lim, enforced);
    let Some(req) = req else {
        return Some(format!(
            "minimum {name} usage per {kind} is {enforced}.  No request is specified"
        ));
    };
    if r < e {
        return Some(format!(
            "minimum {name} usage per {kind} is {enforced}, but request is {req}"
        ));
    }
    if let Some(lim) = lim
        && l < e
    {
        return Some(format!(
            "minimum {name} usage per {kind} is {enforced}, but limit is {lim}"
        ));
    }
    None
}

fn max_constraint(
    kind: &str,
    name: &str,
    enforced: &Quantity,
    res: &ContainerResources,
) -> Option<String> {
    let req = res.requests.get(name);
    let lim = res.limits.get(name);
    let (r, l, e) = enforced_values(req, lim, enforced);
    let Some(lim) = lim else {
        return Some(format!(
            "maximum {name} usage per {kind} is {enforced}.  No limit is specified"
        ));
    };
    if l > e {
        return Some(format!(
            "maximum {name} usage per {kind} is {enforced}, but limit is {lim}"
        ));
    }
    if let Some(req) = req
        && r > e
    {
        return Some(format!(
            "maximum {name} usage per {kind} is {enforced}, but request is {req}"
        ));
    }
    None
}

fn ratio_constraint(
    kind: &str,
    name: &str,
    enforced: &Quantity,
    res: &ContainerResources,
) -> Option<String> {
    const MAX_MILLI_VALUE: i128 = (i64::MAX / 1000) as i128;
    let req = res.requests.get(name);
    let lim = res.limits.get(name);
    let (r, l, _) = enforced_values(req, lim, enforced);
    if req.is_none() || r == 0 {
        return Some(format!(
            "{name} max limit to request ratio per {kind} is {enforced}, but no request is specified or request is 0"
        ));
    }
    if lim.is_none() || l == 0 {
        return Some(format!(
            "{name} max limit to request ratio per {kind} is {enforced}, but no limit is specified or limit is 0"
        ));
    }
    let display = l as f64 / r as f64;
    let (observed, max) = if enforced.value() <= MAX_MILLI_VALUE {
        (display * 1000.0, enforced.milli_value() as f64)
    } else {
        (display, enforced.value() as f64)
    };
    (observed > max).then(|| {
        format!(
            "{name} max limit to request ratio per {kind} is {enforced}, but provided ratio is {display:.6}"
        )
    })
}

/// `PodValidateLimitFunc` for one LimitRange: every violation, in order,
/// with the resource it is about.
fn limit_violations(lr: &Limits, pod: &PodContainers) -> Vec<(String, String)> {
    let mut errs = Vec::new();
    for it in &lr.items {
        let checks = |errs: &mut Vec<(String, String)>, kind: &str, res: &ContainerResources| {
            for (k, v) in &it.min {
                errs.extend(min_constraint(kind, k, v, res).map(|m| (m, k.clone())));
            }
            for (k, v) in &it.max {
                errs.extend(max_constraint(kind, k, v, res).map(|m| (m, k.clone())));
            }
            for (k, v) in &it.max_limit_request_ratio {
                errs.extend(ratio_constraint(kind, k, v, res).map(|m| (m, k.clone())));
            }
        };
        match it.type_.as_str() {
            "Container" => {
                for c in pod.app.iter().chain(pod.init.iter()) {
                    checks(&mut errs, "Container", &c.res);
                }
            }
            "Pod" => {
                let res = ContainerResources {
                    requests: pod.aggregate(|c| &c.requests),
                    limits: pod.aggregate(|c| &c.limits),
                };
                checks(&mut errs, "Pod", &res);
            }
            _ => {}
        }
    }
    errs
}

/// `utilerrors.NewAggregate(errs).Error()`.
fn aggregate(errs: &[String]) -> String {
    if errs.len() == 1 {
        errs[0].clone()
    } else {
        format!("[{}]", errs.join(", "))
    }
}

// ---------------------------------------------------------- ResourceQuota

/// One scope requirement (`spec.scopes` become `Exists`).
#[derive(Clone, Debug)]
pub struct ScopeReq {
    pub scope: String,
    pub operator: String,
    pub values: Vec<String>,
}

/// A quota and what is used of it.
#[derive(Clone, Debug)]
pub struct QuotaState {
    pub name: String,
    pub namespace: String,
    pub hard: ResourceList,
    pub scopes: Vec<ScopeReq>,
    /// Hard resources the pod evaluator handles.
    pub pod_resources: Vec<String>,
    /// Hard resources the PersistentVolumeClaim evaluator handles.
    pub claim_resources: Vec<String>,
    pub used: ResourceList,
}

impl QuotaState {
    pub fn of(q: &ResourceQuota, namespace: &str) -> Self {
        let spec = q.spec.as_ref();
        let hard = super::pod_resources::parse_list(spec.and_then(|s| s.hard.as_ref()));
        let mut scopes: Vec<ScopeReq> = spec
            .and_then(|s| s.scopes.as_ref())
            .into_iter()
            .flatten()
            .map(|s| ScopeReq {
                scope: s.clone(),
                operator: "Exists".into(),
                values: Vec::new(),
            })
            .collect();
        if let Some(sel) = spec.and_then(|s| s.scope_selector.as_ref()) {
            for e in sel.match_expressions.iter().flatten() {
                scopes.push(ScopeReq {
                    scope: e.scope_name.clone(),
                    operator: e.operator.clone(),
                    values: e.values.clone().unwrap_or_default(),
                });
            }
        }
        let pod_resources = hard
            .keys()
            .filter(|k| is_pod_resource(k))
            .cloned()
            .collect();
        let claim_resources = hard
            .keys()
            .filter(|k| claims::is_claim_resource(k))
            .cloned()
            .collect();
        // The quota controller fills every hard resource with its usage,
        // zero when nothing uses it.
        let used = hard.keys().map(|k| (k.clone(), Quantity::zero())).collect();
        QuotaState {
            name: q.metadata.name.clone().unwrap_or_default(),
            namespace: namespace.to_string(),
            hard,
            scopes,
            pod_resources,
            claim_resources,
            used,
        }
    }
}

/// `podEvaluator.MatchingResources` for one name.
pub fn is_pod_resource(name: &str) -> bool {
    const POD_RESOURCES: &[&str] = &[
        "count/pods",
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
    ];
    POD_RESOURCES.contains(&name)
        || name.starts_with("hugepages-")
        || name.starts_with("requests.hugepages-")
        || (!is_native_resource(name) && name.starts_with("requests."))
}

fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

fn is_extended_resource(name: &str) -> bool {
    !is_native_resource(name) && !name.starts_with("requests.")
}

/// The facts about a pod that quota scopes look at.
#[derive(Clone, Debug, Default)]
pub struct PodFacts {
    pub best_effort: bool,
    pub terminating: bool,
    pub priority_class: String,
    pub cross_namespace_affinity: bool,
    /// Succeeded or Failed: only `count/pods` is charged.
    pub terminal: bool,
}

impl PodFacts {
    pub fn of(pod: &Pod, containers: &PodContainers) -> Self {
        let spec = pod.spec.as_ref();
        let cross = spec.and_then(|s| s.affinity.as_ref()).is_some_and(|a| {
            let terms = |t: Option<&Vec<k8s_openapi::api::core::v1::PodAffinityTerm>>| {
                t.into_iter().flatten().any(|t| {
                    t.namespaces.as_ref().is_some_and(|n| !n.is_empty())
                        || t.namespace_selector.is_some()
                })
            };
            let weighted =
                |t: Option<&Vec<k8s_openapi::api::core::v1::WeightedPodAffinityTerm>>| {
                    t.into_iter().flatten().any(|w| {
                        w.pod_affinity_term
                            .namespaces
                            .as_ref()
                            .is_some_and(|n| !n.is_empty())
                            || w.pod_affinity_term.namespace_selector.is_some()
                    })
                };
            a.pod_affinity.as_ref().is_some_and(|p| {
                terms(
                    p.required_during_scheduling_ignored_during_execution
                        .as_ref(),
                ) || weighted(
                    p.preferred_during_scheduling_ignored_during_execution
                        .as_ref(),
                )
            }) || a.pod_anti_affinity.as_ref().is_some_and(|p| {
                terms(
                    p.required_during_scheduling_ignored_during_execution
                        .as_ref(),
                ) || weighted(
                    p.preferred_during_scheduling_ignored_during_execution
                        .as_ref(),
                )
            })
        });
        PodFacts {
            best_effort: compute_qos(containers) == QosClass::BestEffort,
            terminating: spec
                .and_then(|s| s.active_deadline_seconds)
                .is_some_and(|d| d >= 0),
            priority_class: spec
                .and_then(|s| s.priority_class_name.clone())
                .unwrap_or_default(),
            cross_namespace_affinity: cross,
            terminal: matches!(
                pod.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            ),
        }
    }
}

/// `podMatchesScopeFunc`.
pub fn scope_matches(s: &ScopeReq, pod: &PodFacts) -> bool {
    match s.scope.as_str() {
        "Terminating" => pod.terminating,
        "NotTerminating" => !pod.terminating,
        "BestEffort" => pod.best_effort,
        "NotBestEffort" => !pod.best_effort,
        "PriorityClass" => {
            let has = !pod.priority_class.is_empty();
            match s.operator.as_str() {
                "Exists" => has,
                "DoesNotExist" => !has,
                "In" => has && s.values.contains(&pod.priority_class),
                "NotIn" => !has || !s.values.contains(&pod.priority_class),
                _ => false,
            }
        }
        "CrossNamespacePodAffinity" => pod.cross_namespace_affinity,
        _ => false,
    }
}

/// `PodUsageFunc`.
pub fn pod_usage(pod: &PodContainers, facts: &PodFacts) -> ResourceList {
    let mut result = ResourceList::new();
    result.insert(
        "count/pods".into(),
        Quantity::from_i64(1, 0, super::quantity::Format::DecimalSi),
    );
    if facts.terminal {
        return result;
    }
    let usage = compute_usage(&pod.requests(), &pod.limits());
    add_into(&mut result, &usage);
    result
}

/// `podComputeUsageHelper`.
pub fn compute_usage(requests: &ResourceList, limits: &ResourceList) -> ResourceList {
    let mut r = ResourceList::new();
    r.insert("pods".into(), one());
    for (res, req_name, lim_name) in [
        ("cpu", "requests.cpu", "limits.cpu"),
        ("memory", "requests.memory", "limits.memory"),
        (
            "ephemeral-storage",
            "requests.ephemeral-storage",
            "limits.ephemeral-storage",
        ),
    ] {
        if let Some(q) = requests.get(res) {
            r.insert(res.into(), q.clone());
            r.insert(req_name.into(), q.clone());
        }
        if let Some(q) = limits.get(res) {
            r.insert(lim_name.into(), q.clone());
        }
    }
    for (name, q) in requests {
        if name.starts_with("hugepages-") {
            r.insert(name.clone(), q.clone());
            r.insert(format!("requests.{name}"), q.clone());
        }
        if is_extended_resource(name) {
            r.insert(format!("requests.{name}"), q.clone());
        }
    }
    r
}

fn one() -> Quantity {
    // resource.MustParse("1")
    Quantity::parse("1").unwrap_or_else(|_| Quantity::zero())
}

/// Resources whose absence on a container fails a quota that tracks them.
const VALIDATION_SET: &[&str] = &[
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
];

/// Which of the "must specify" resources each container names
/// (`podComputeUsageHelper` keys within the validation set).
fn container_usage_keys(pod: &PodContainers) -> Vec<(&str, Vec<&'static str>)> {
    pod.app
        .iter()
        .chain(pod.init.iter())
        .map(|c| {
            let req = |r: &str| c.res.requests.contains_key(r);
            let lim = |r: &str| c.res.limits.contains_key(r);
            let mut keys = Vec::new();
            for (res, req_name, lim_name) in [
                ("cpu", "requests.cpu", "limits.cpu"),
                ("memory", "requests.memory", "limits.memory"),
            ] {
                if req(res) {
                    keys.push(res);
                    keys.push(req_name);
                }
                if lim(res) {
                    keys.push(lim_name);
                }
            }
            (c.name.as_str(), keys)
        })
        .collect()
}

/// `podEvaluator.Constraints`: "must specify ..." and the resources some
/// container lacks, or None.
fn must_specify(
    required: &[String],
    containers: &[(&str, Vec<&'static str>)],
) -> Option<(String, BTreeSet<String>)> {
    let required: BTreeSet<&str> = required
        .iter()
        .map(String::as_str)
        .filter(|r| VALIDATION_SET.contains(r))
        .collect();
    if required.is_empty() {
        return None;
    }
    let mut missing: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, keys) in containers {
        for r in &required {
            if !keys.contains(r) {
                missing.entry(r).or_default().insert(name);
            }
        }
    }
    if missing.is_empty() {
        return None;
    }
    let parts: Vec<String> = missing
        .iter()
        .map(|(r, names)| {
            format!(
                "{r} for: {}",
                names.iter().copied().collect::<Vec<_>>().join(",")
            )
        })
        .collect();
    let lacking = missing.keys().map(|r| r.to_string()).collect();
    Some((format!("must specify {}", parts.join("; ")), lacking))
}

/// `prettyPrint`: `name=value` sorted by name, comma-joined.
pub fn pretty(list: &ResourceList) -> String {
    list.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn mask(list: &ResourceList, names: &[&str]) -> ResourceList {
    list.iter()
        .filter(|(k, _)| names.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Storing a quantity in etcd and reading it back: what `status.used`
/// holds is its canonical form, parsed again.
fn stored(q: &Quantity) -> Quantity {
    q.clone().stored()
}

// ---------------------------------------------------------- admission

/// Where admission stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Admitted,
    /// `spec.containers[i].resources.requests` above the limit.
    Validation,
    LimitRange,
    ResourceQuota,
}

/// The verdict on one pod create.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AdmitResult {
    /// `NS/NAME`.
    pub pod: String,
    pub admitted: bool,
    /// The API server's own message, None when admitted.
    pub reason: Option<String>,
    pub defaults_applied: Vec<DefaultApplied>,
    pub stage: Stage,
    /// What the message means for this pod.
    pub explain: Option<String>,
    /// The object responsible (`ResourceQuota/NS/NAME`, `LimitRange/NS/NAME`).
    pub blamed: Option<String>,
    /// The resources the rejection names, sorted: those over a quota's
    /// hard limit, those a quota requires and a container lacks, those a
    /// LimitRange bound is broken for, or those requested above their
    /// limit.
    #[serde(skip)]
    pub resources: Vec<String>,
}

/// Quota usage after admission.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuotaUsage {
    pub quota: String,
    pub namespace: String,
    pub used: BTreeMap<String, String>,
}

/// Why a quota refuses an object: the API server's message, our account
/// of it, the quota (`ResourceQuota/NS/NAME`) and the resources over hard.
#[derive(Clone, Debug, PartialEq)]
pub struct QuotaRejection {
    pub reason: String,
    pub explain: String,
    pub blamed: String,
    pub exceeded: Vec<String>,
}

/// Admission over a state: limit ranges, quotas and the usage of the pods
/// that already exist. Each admitted pod adds to the usage.
pub struct Admission {
    pub limits: Vec<Limits>,
    pub quotas: Vec<QuotaState>,
}

impl Admission {
    /// `existing` are the pods already in the cluster, with namespaces.
    pub fn new<'a>(
        limit_ranges: impl IntoIterator<Item = (&'a str, &'a LimitRange)>,
        quotas: impl IntoIterator<Item = (&'a str, &'a ResourceQuota)>,
        existing: impl IntoIterator<Item = (&'a str, &'a Pod)>,
    ) -> Self {
        let limits = limit_ranges
            .into_iter()
            .map(|(ns, lr)| Limits::of(lr, ns))
            .collect();
        let mut quotas: Vec<QuotaState> = quotas
            .into_iter()
            .map(|(ns, q)| QuotaState::of(q, ns))
            .collect();
        // The quota admission's list order; by name keeps it stable.
        quotas.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        let mut adm = Admission { limits, quotas };
        for (ns, pod) in existing {
            let pc = PodContainers::of(pod.spec.as_ref().unwrap_or(&Default::default()));
            let facts = PodFacts::of(pod, &pc);
            let usage = pod_usage(&pc, &facts);
            for q in adm.quotas.iter_mut().filter(|q| q.namespace == ns) {
                if q.scopes.iter().all(|s| scope_matches(s, &facts)) && !q.pod_resources.is_empty()
                {
                    for name in &q.pod_resources {
                        if let Some(u) = usage.get(name)
                            && let Some(t) = q.used.get_mut(name)
                        {
                            *t = t.add(u);
                        }
                    }
                }
            }
        }
        for q in &mut adm.quotas {
            for v in q.used.values_mut() {
                *v = stored(v);
            }
        }
        adm
    }

    /// Admit one pod create; on success its usage is charged.
    pub fn admit(&mut self, namespace: &str, pod: &Pod) -> AdmitResult {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let key = format!("{namespace}/{name}");
        let empty = Default::default();
        let spec = pod.spec.as_ref().unwrap_or(&empty);
        // 1. API defaulting.
        let mut pc = PodContainers::of(spec);
        // 2. LimitRanger defaults, LimitRange by LimitRange.
        let mut applied = Vec::new();
        for lr in self.limits.iter().filter(|l| l.namespace == namespace) {
            let d = lr.container_defaults();
            for c in pc.app.iter_mut().chain(pc.init.iter_mut()) {
                for (field, defaults, target) in [
                    ("limits", &d.limits, &mut c.res.limits),
                    ("requests", &d.requests, &mut c.res.requests),
                ] {
                    for (k, v) in defaults {
                        if !target.contains_key(k) {
                            target.insert(k.clone(), v.clone());
                            applied.push(DefaultApplied {
                                container: c.name.clone(),
                                field: field.into(),
                                resource: k.clone(),
                                value: v.canonical(),
                                by: lr.id.clone(),
                            });
                        }
                    }
                }
            }
        }
        let result = |stage,
                      reason: String,
                      explain: String,
                      blamed: Option<String>,
                      applied,
                      resources: BTreeSet<String>| AdmitResult {
            pod: key.clone(),
            admitted: false,
            reason: Some(reason),
            defaults_applied: applied,
            stage,
            explain: Some(explain),
            blamed,
            resources: resources.into_iter().collect(),
        };
        // 3. Validation: request ≤ limit.
        let mut invalid = Vec::new();
        for (list, kind) in [(&pc.app, "containers"), (&pc.init, "initContainers")] {
            for (i, c) in list.iter().enumerate() {
                for (r, req) in &c.res.requests {
                    if let Some(lim) = c.res.limits.get(r)
                        && req.cmp_value(lim).is_gt()
                    {
                        invalid.push((
                            format!(
                                "spec.{kind}[{i}].resources.requests: Invalid value: \"{req}\": must be less than or equal to {r} limit of {lim}"
                            ),
                            format!("container {} requests {r} {req} but its limit is {lim}", c.name),
                            r.clone(),
                        ));
                    }
                }
            }
        }
        if !invalid.is_empty() {
            let msgs: Vec<String> = invalid.iter().map(|(m, _, _)| m.clone()).collect();
            let resources = invalid.iter().map(|(_, _, r)| r.clone()).collect();
            let explain = invalid
                .iter()
                .map(|(_, e, _)| e.clone())
                .collect::<Vec<_>>()
                .join("; ");
            let by_default = applied.iter().any(|a| a.field == "limits");
            let explain = if by_default {
                format!("{explain} (a limit a LimitRange filled in as a default is still a limit)")
            } else {
                explain
            };
            return result(
                Stage::Validation,
                aggregate(&msgs),
                explain,
                None,
                applied,
                resources,
            );
        }
        // 4. LimitRanger validation: the first LimitRange with violations.
        for lr in self.limits.iter().filter(|l| l.namespace == namespace) {
            let errs = limit_violations(lr, &pc);
            if !errs.is_empty() {
                let msgs: Vec<String> = errs.iter().map(|(m, _)| m.clone()).collect();
                return result(
                    Stage::LimitRange,
                    aggregate(&msgs),
                    format!("{} sets these bounds and the pod breaks them", lr.id),
                    Some(lr.id.clone()),
                    applied,
                    errs.into_iter().map(|(_, r)| r).collect(),
                );
            }
        }
        // 5. ResourceQuota.
        let facts = PodFacts::of(pod, &pc);
        let usage_keys = container_usage_keys(&pc);
        let mut interesting = Vec::new();
        for (i, q) in self.quotas.iter().enumerate() {
            if q.namespace != namespace
                || q.pod_resources.is_empty()
                || !q.scopes.iter().all(|s| scope_matches(s, &facts))
            {
                continue;
            }
            if let Some((msg, missing)) = must_specify(&q.pod_resources, &usage_keys) {
                let id = format!("ResourceQuota/{namespace}/{}", q.name);
                return result(
                    Stage::ResourceQuota,
                    format!("failed quota: {}: {msg}", q.name),
                    format!(
                        "{id} tracks {}, so every container must set it (a LimitRange default can fill it in)",
                        q.pod_resources
                            .iter()
                            .filter(|r| VALIDATION_SET.contains(&r.as_str()))
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    Some(id),
                    applied,
                    missing,
                );
            }
            interesting.push(i);
        }
        let delta: ResourceList = pod_usage(&pc, &facts)
            .into_iter()
            .filter(|(_, v)| !v.is_zero())
            .collect();
        if let Err(r) = self.charge(namespace, &interesting, &delta, "this pod") {
            return result(
                Stage::ResourceQuota,
                r.reason,
                r.explain,
                Some(r.blamed),
                applied,
                r.exceeded.into_iter().collect(),
            );
        }
        AdmitResult {
            pod: key,
            admitted: true,
            reason: None,
            defaults_applied: applied,
            stage: Stage::Admitted,
            explain: None,
            blamed: None,
            resources: Vec::new(),
        }
    }

    /// `CheckRequest` over the quotas at `interesting` (indices into
    /// `self.quotas`): used + `delta` must stay within hard for every
    /// resource a quota limits. On success the usage is charged; otherwise
    /// the first quota that would go over answers, in the API server's words.
    pub(crate) fn charge(
        &mut self,
        namespace: &str,
        interesting: &[usize],
        delta: &ResourceList,
        what: &str,
    ) -> Result<(), QuotaRejection> {
        let mut updates = Vec::new();
        if interesting.is_empty() || delta.is_empty() {
            return Ok(());
        }
        for &i in interesting {
            let q = &self.quotas[i];
            // Only the resources this object adds to and the quota limits.
            let mut changed: Vec<(&String, Quantity)> = Vec::new();
            let mut over = false;
            for (k, v) in delta {
                let Some(h) = q.hard.get(k) else {
                    continue;
                };
                let n = match q.used.get(k) {
                    Some(u) => u.add(v),
                    None => v.clone(),
                };
                over |= n.cmp_value(h).is_gt();
                changed.push((k, n));
            }
            if over {
                let hard_names: Vec<&str> = q.hard.keys().map(String::as_str).collect();
                let requested = mask(delta, &hard_names);
                let exceeded: Vec<&str> = changed
                    .iter()
                    .filter(|(k, n)| q.hard.get(*k).is_some_and(|h| n.cmp_value(h).is_gt()))
                    .map(|(k, _)| k.as_str())
                    .collect();
                let new_usage: ResourceList = changed
                    .iter()
                    .map(|(k, n)| ((*k).clone(), n.clone()))
                    .collect();
                let id = format!("ResourceQuota/{namespace}/{}", q.name);
                let req = mask(&requested, &exceeded);
                let used = mask(&q.used, &exceeded);
                let hard = mask(&q.hard, &exceeded);
                let explain = exceeded
                    .iter()
                    .map(|k| {
                        format!(
                            "{k}: {} already used + {} for {what} = {} > {} allowed",
                            used.get(*k)
                                .map(|q| q.canonical())
                                .unwrap_or_else(|| "0".into()),
                            req.get(*k).map(|q| q.canonical()).unwrap_or_default(),
                            new_usage.get(*k).map(|q| q.canonical()).unwrap_or_default(),
                            hard.get(*k).map(|q| q.canonical()).unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                return Err(QuotaRejection {
                    reason: format!(
                        "exceeded quota: {}, requested: {}, used: {}, limited: {}",
                        q.name,
                        pretty(&req),
                        pretty(&used),
                        pretty(&hard)
                    ),
                    explain: format!("{id}: {explain}"),
                    blamed: id,
                    exceeded: exceeded.iter().map(|k| k.to_string()).collect(),
                });
            }
            updates.push((
                i,
                changed
                    .into_iter()
                    .map(|(k, n)| (k.clone(), n))
                    .collect::<Vec<_>>(),
            ));
        }
        for (i, changed) in updates {
            let used = &mut self.quotas[i].used;
            for (k, n) in changed {
                used.insert(k, n.stored());
            }
        }
        Ok(())
    }

    /// Every quota's usage now.
    pub fn usage(&self) -> Vec<QuotaUsage> {
        self.quotas
            .iter()
            .map(|q| QuotaUsage {
                quota: q.name.clone(),
                namespace: q.namespace.clone(),
                used: q
                    .used
                    .iter()
                    .map(|(k, v)| (k.clone(), v.canonical()))
                    .collect(),
            })
            .collect()
    }
}

pub mod claims;

#[cfg(test)]
mod tests;
