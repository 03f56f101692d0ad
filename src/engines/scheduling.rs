//! Where a pod can run, as kube-scheduler's filters decide it, and what
//! happens to it there: taints and tolerations (NoSchedule and NoExecute
//! filter, PreferNoSchedule only scores), spec.nodeName, nodeSelector and
//! required node affinity, cordoned nodes, and resource fit against
//! allocatable minus the requests of the pods already bound. Then the
//! TaintToleration score, normalised as the scheduler does, and NoExecute
//! eviction as the taint-eviction controller times it. A pod is placed
//! with the tolerations it has once created: those the
//! DefaultTolerationSeconds admission plugin adds to every pod, and for a
//! DaemonSet's pods those the DaemonSet controller adds.
//!
//! Upstream: staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint),
//! pkg/scheduler/framework/plugins/{tainttoleration,nodename,
//! nodeunschedulable,nodeaffinity,noderesources/fit.go,helper/normalize_score.go},
//! staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity,
//! pkg/controller/tainteviction/taint_eviction.go (getMinTolerationTime),
//! plugin/pkg/admission/defaulttolerationseconds/admission.go,
//! pkg/controller/daemon/util/daemonset_util.go (AddOrUpdateDaemonPodTolerations),
//! pkg/apis/core/v1/helper/helpers.go (AddOrUpdateTolerationInPodSpec).

use super::pod_resources::{PodContainers, ResourceList};
use super::quantity::Quantity;
use k8s_openapi::api::core::v1::{
    Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Taint, Toleration,
};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

pub const TAINT_NODE_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
pub const TAINT_NODE_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_NODE_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// The kube-apiserver defaults of `--default-not-ready-toleration-seconds`
/// and `--default-unreachable-toleration-seconds`.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;
const MAX_NODE_SCORE: i64 = 100;

/// `Toleration.ToleratesTaint`.
pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    let effect = t.effect.as_deref().unwrap_or("");
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = t.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    let t_value = t.value.as_deref().unwrap_or("");
    let taint_value = taint.value.as_deref().unwrap_or("");
    match t.operator.as_deref().unwrap_or("") {
        "" | "Equal" => t_value == taint_value,
        "Exists" => true,
        op @ ("Lt" | "Gt") => {
            // strconv.ParseInt on both; either failing tolerates nothing.
            match (t_value.parse::<i64>(), taint_value.parse::<i64>()) {
                (Ok(tv), Ok(nv)) if op == "Lt" => nv < tv,
                (Ok(tv), Ok(nv)) => nv > tv,
                _ => false,
            }
        }
        _ => false,
    }
}

/// `TolerationsTolerateTaint`: some toleration tolerates it.
pub fn tolerated_by(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| tolerates(t, taint))
}

/// `Taint.ToString`: `key=value:Effect`, or `key:Effect` without a value.
pub fn taint_string(t: &Taint) -> String {
    match t.value.as_deref().unwrap_or("") {
        "" => format!("{}:{}", t.key, t.effect),
        v => format!("{}={v}:{}", t.key, t.effect),
    }
}

fn toleration_string(t: &Toleration) -> String {
    let key = t.key.as_deref().unwrap_or("");
    let op = t.operator.as_deref().unwrap_or("Equal");
    let value = t.value.as_deref().unwrap_or("");
    let effect = t.effect.as_deref().unwrap_or("");
    let mut s = if key.is_empty() {
        "(any key)".to_string()
    } else {
        key.to_string()
    };
    match op {
        "Exists" => s.push_str(" Exists"),
        "" | "Equal" => s.push_str(&format!("={value}")),
        other => s.push_str(&format!(" {other} {value}")),
    }
    s.push(':');
    s.push_str(if effect.is_empty() {
        "(any effect)"
    } else {
        effect
    });
    s
}

/// Why no toleration covers `taint`, naming the closest one.
pub fn explain_untolerated(tolerations: &[Toleration], taint: &Taint) -> String {
    let base = format!("taint {} is not tolerated", taint_string(taint));
    let Some(t) = tolerations
        .iter()
        .find(|t| t.key.as_deref().unwrap_or("") == taint.key)
    else {
        if let Some(t) = tolerations
            .iter()
            .find(|t| t.key.as_deref().unwrap_or("").is_empty())
        {
            return format!(
                "{base}: your key-less toleration covers effect {} only",
                t.effect.as_deref().unwrap_or("")
            );
        }
        return if tolerations.is_empty() {
            format!("{base}: the pod has no tolerations")
        } else {
            format!("{base}: no toleration has key {}", taint.key)
        };
    };
    let effect = t.effect.as_deref().unwrap_or("");
    if !effect.is_empty() && effect != taint.effect {
        return format!(
            "{base}: your toleration has effect {effect}, the taint's effect is {}",
            taint.effect
        );
    }
    let value = t.value.as_deref().unwrap_or("");
    let taint_value = taint.value.as_deref().unwrap_or("");
    match t.operator.as_deref().unwrap_or("") {
        "" | "Equal" if value.is_empty() => format!(
            "{base}: your toleration (operator Equal) has no value, the taint's value is {taint_value}; use operator Exists to match any value"
        ),
        "" | "Equal" => format!("{base}: your toleration has value {value}"),
        "Lt" | "Gt" => format!(
            "{base}: your toleration {} needs both values to be integers with {taint_value} {} {value}",
            toleration_string(t),
            if t.operator.as_deref() == Some("Lt") {
                "<"
            } else {
                ">"
            }
        ),
        op => format!("{base}: operator {op} tolerates nothing"),
    }
}

/// A pod spec's tolerations, or none.
pub fn tolerations_of(spec: &PodSpec) -> &[Toleration] {
    spec.tolerations.as_deref().unwrap_or(&[])
}

fn exists_toleration(key: &str, effect: &str, seconds: Option<i64>) -> Toleration {
    Toleration {
        key: Some(key.into()),
        operator: Some("Exists".into()),
        effect: Some(effect.into()),
        toleration_seconds: seconds,
        value: None,
    }
}

/// `Toleration.MatchToleration`: tolerations are unique by key, operator,
/// value and effect (tolerationSeconds is not part of the identity).
fn same_toleration(a: &Toleration, b: &Toleration) -> bool {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    s(&a.key) == s(&b.key)
        && s(&a.operator) == s(&b.operator)
        && s(&a.value) == s(&b.value)
        && s(&a.effect) == s(&b.effect)
}

/// `AddOrUpdateTolerationInPodSpec`: a toleration with the same identity
/// is replaced where it stands; otherwise the new one is appended.
fn add_or_update_toleration(list: &mut Vec<Toleration>, t: Toleration) {
    match list.iter_mut().find(|e| same_toleration(e, &t)) {
        Some(existing) => *existing = t,
        None => list.push(t),
    }
}

/// The tolerations a pod has once the DefaultTolerationSeconds admission
/// plugin has seen it: unless some toleration already covers
/// `not-ready:NoExecute` (resp. `unreachable:NoExecute`), one with
/// `operator: Exists` and 300 seconds is added. "Covers" is judged on key
/// and effect alone (an empty key or effect counts), not on operator or
/// value, exactly as the plugin does.
pub fn with_default_toleration_seconds(tolerations: &[Toleration]) -> Vec<Toleration> {
    let covers = |key: &str| {
        tolerations.iter().any(|t| {
            let k = t.key.as_deref().unwrap_or("");
            let e = t.effect.as_deref().unwrap_or("");
            (k == key || k.is_empty()) && (e == "NoExecute" || e.is_empty())
        })
    };
    let mut out = tolerations.to_vec();
    for key in [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE] {
        if !covers(key) {
            add_or_update_toleration(
                &mut out,
                exists_toleration(key, "NoExecute", Some(DEFAULT_TOLERATION_SECONDS)),
            );
        }
    }
    out
}

/// The tolerations of a DaemonSet's pods (`AddOrUpdateDaemonPodTolerations`):
/// the template's, plus `not-ready` and `unreachable` NoExecute without a
/// time limit (they are never evicted for those), and NoSchedule for
/// disk, memory and PID pressure and for cordoned nodes (and for
/// `network-unavailable` when the pod uses the host network). A template
/// toleration with the same key, operator, value and effect is replaced.
pub fn with_daemon_pod_tolerations(spec: &PodSpec) -> Vec<Toleration> {
    let mut out = tolerations_of(spec).to_vec();
    let mut add = |key: &str, effect: &str| {
        add_or_update_toleration(&mut out, exists_toleration(key, effect, None))
    };
    add(TAINT_NODE_NOT_READY, "NoExecute");
    add(TAINT_NODE_UNREACHABLE, "NoExecute");
    add("node.kubernetes.io/disk-pressure", "NoSchedule");
    add("node.kubernetes.io/memory-pressure", "NoSchedule");
    add("node.kubernetes.io/pid-pressure", "NoSchedule");
    add(TAINT_NODE_UNSCHEDULABLE, "NoSchedule");
    if spec.host_network == Some(true) {
        add("node.kubernetes.io/network-unavailable", "NoSchedule");
    }
    out
}

/// When the taint-eviction controller evicts a pod from a node with these
/// taints (only NoExecute ones count). None: never.
pub fn eviction_seconds(taints: &[Taint], tolerations: &[Toleration]) -> Option<i64> {
    let mut min: Option<i64> = None;
    for taint in taints.iter().filter(|t| t.effect == "NoExecute") {
        // GetMatchingTolerations: the first toleration that tolerates a
        // taint is the one used for it; an untolerated taint evicts now.
        let Some(used) = tolerations.iter().find(|t| tolerates(t, taint)) else {
            return Some(0);
        };
        // getMinTolerationTime: 0 or less is at once; the shortest wins;
        // no tolerationSeconds at all is forever.
        if let Some(s) = used.toleration_seconds {
            min = Some(min.map_or(s, |m| m.min(s)));
        }
    }
    min.map(|m| m.max(0))
}

/// Which filter turned a node down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Filter {
    NodeName,
    NodeUnschedulable,
    NodeAffinity,
    TaintToleration,
    NodeResourcesFit,
}

/// One reason a node is filtered out: the scheduler's own message and
/// our explanation of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub filter: Filter,
    /// kube-scheduler's wording ("node(s) had untolerated taint(s)").
    pub upstream: Cow<'static, str>,
    /// What it means for this pod and node.
    pub explain: String,
}

/// Resources as the scheduler counts them (`framework.Resource`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    pub milli_cpu: i128,
    pub memory: i128,
    pub ephemeral_storage: i128,
    pub scalars: BTreeMap<String, i128>,
}

impl Resources {
    pub fn from_list(list: &ResourceList) -> (Resources, Option<i128>) {
        let mut r = Resources::default();
        let mut pods = None;
        for (name, q) in list {
            match name.as_str() {
                "cpu" => r.milli_cpu += q.milli_value(),
                "memory" => r.memory += q.value(),
                "ephemeral-storage" => r.ephemeral_storage += q.value(),
                "pods" => pods = Some(q.value()),
                n if is_scalar_resource(n) => {
                    *r.scalars.entry(n.to_string()).or_default() += q.value()
                }
                _ => {}
            }
        }
        (r, pods)
    }

    fn add(&mut self, o: &Resources) {
        self.milli_cpu += o.milli_cpu;
        self.memory += o.memory;
        self.ephemeral_storage += o.ephemeral_storage;
        for (k, v) in &o.scalars {
            *self.scalars.entry(k.clone()).or_default() += v;
        }
    }

    fn sub(&mut self, o: &Resources) {
        self.milli_cpu -= o.milli_cpu;
        self.memory -= o.memory;
        self.ephemeral_storage -= o.ephemeral_storage;
        for (k, v) in &o.scalars {
            *self.scalars.entry(k.clone()).or_default() -= v;
        }
    }
}

/// Extended resources (`example.com/gpu`), hugepages and attachable
/// volumes: what `IsScalarResourceName` counts.
pub fn is_scalar_resource(name: &str) -> bool {
    let native = !name.contains('/') || name.contains("kubernetes.io/");
    (!native && !name.starts_with("requests."))
        || name.starts_with("hugepages-")
        || name.starts_with("attachable-volumes-")
}

/// The pod's requests as the scheduler sees them.
pub fn pod_request(spec: &PodSpec) -> Resources {
    Resources::from_list(&PodContainers::of(spec).requests()).0
}

/// A node, prepared once: allocatable and what its bound pods request.
pub struct NodeState<'a> {
    pub name: &'a str,
    pub node: &'a Node,
    /// None when the node has no `status.allocatable` (a hand-written Node):
    /// resource fit is then not judged.
    pub allocatable: Option<(Resources, i128)>,
    pub requested: Resources,
    /// Pods bound here, by key, with their requests.
    pub bound: Vec<(String, Resources)>,
}

impl NodeState<'_> {
    fn taints(&self) -> &[Taint] {
        self.node
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_deref())
            .unwrap_or(&[])
    }

    fn labels(&self) -> Option<&BTreeMap<String, String>> {
        self.node.metadata.labels.as_ref()
    }
}

/// A pod to place: its key (`NS/NAME`), spec and precomputed requests.
pub struct PodToPlace<'a> {
    pub key: String,
    pub spec: &'a PodSpec,
    pub request: Resources,
    /// The tolerations the created pod has (after admission, and the
    /// DaemonSet controller's for a DaemonSet's pods).
    pub tolerations: Vec<Toleration>,
    /// Written once per pod, shown for every node it does not name.
    node_name_explain: Option<String>,
}

impl<'a> PodToPlace<'a> {
    /// A pod as the API server stores it: with the DefaultTolerationSeconds
    /// plugin's tolerations.
    pub fn new(key: impl Into<String>, spec: &'a PodSpec) -> Self {
        Self::with_tolerations(
            key,
            spec,
            with_default_toleration_seconds(tolerations_of(spec)),
        )
    }

    /// A pod the DaemonSet controller creates from this template.
    pub fn daemon_pod(key: impl Into<String>, spec: &'a PodSpec) -> Self {
        Self::with_tolerations(
            key,
            spec,
            with_default_toleration_seconds(&with_daemon_pod_tolerations(spec)),
        )
    }

    fn with_tolerations(
        key: impl Into<String>,
        spec: &'a PodSpec,
        tolerations: Vec<Toleration>,
    ) -> Self {
        PodToPlace {
            key: key.into(),
            spec,
            request: pod_request(spec),
            tolerations,
            node_name_explain: spec
                .node_name
                .as_deref()
                .filter(|n| !n.is_empty())
                .map(|n| format!("the pod names node {n} in spec.nodeName")),
        }
    }
}

/// The verdict for one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeFit {
    pub node: String,
    pub fits: bool,
    pub reasons: Vec<Reason>,
    /// The TaintToleration score (0-100), normalised over the nodes that
    /// fit; None where the pod does not fit.
    pub taint_score: Option<i64>,
    /// PreferNoSchedule taints the pod does not tolerate (the raw score).
    #[serde(skip)]
    pub intolerable_prefer_no_schedule: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Eviction {
    pub node: String,
    /// 0 = at once.
    pub after_seconds: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub pod: String,
    pub nodes: Vec<NodeFit>,
    pub evicted_from: Vec<Eviction>,
}

impl Placement {
    pub fn fitting(&self) -> impl Iterator<Item = &NodeFit> {
        self.nodes.iter().filter(|n| n.fits)
    }
}

/// The nodes of a cluster and the pods bound to them.
pub struct Cluster<'a> {
    pub nodes: Vec<NodeState<'a>>,
}

impl<'a> Cluster<'a> {
    /// `bound` are (key, spec, phase) of every pod; those with a nodeName
    /// that are not finished count against that node.
    pub fn new(
        nodes: impl IntoIterator<Item = &'a Node>,
        bound: impl IntoIterator<Item = (String, &'a PodSpec, Option<&'a str>)>,
    ) -> Self {
        let mut states: Vec<NodeState<'a>> = nodes
            .into_iter()
            .map(|n| {
                let allocatable = n
                    .status
                    .as_ref()
                    .and_then(|s| s.allocatable.as_ref())
                    .map(|a| {
                        let list = super::pod_resources::parse_list(Some(a));
                        let (r, pods) = Resources::from_list(&list);
                        (r, pods.unwrap_or(0))
                    });
                NodeState {
                    name: n.metadata.name.as_deref().unwrap_or(""),
                    node: n,
                    allocatable,
                    requested: Resources::default(),
                    bound: Vec::new(),
                }
            })
            .collect();
        let index: HashMap<&str, usize> = states
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name, i))
            .collect();
        for (key, spec, phase) in bound {
            // The scheduler's pod informer leaves finished pods out.
            if matches!(phase, Some("Succeeded" | "Failed")) {
                continue;
            }
            let Some(node) = spec.node_name.as_deref() else {
                continue;
            };
            if let Some(&i) = index.get(node) {
                let r = pod_request(spec);
                states[i].requested.add(&r);
                states[i].bound.push((key, r));
            }
        }
        Cluster { nodes: states }
    }

    /// Every node's verdict for `pod`, its taint scores and evictions.
    pub fn place(&self, pod: &PodToPlace) -> Placement {
        let tolerations = pod.tolerations.as_slice();
        let prefer_tolerations: Vec<&Toleration> = tolerations
            .iter()
            .filter(|t| {
                matches!(
                    t.effect.as_deref(),
                    None | Some("") | Some("PreferNoSchedule")
                )
            })
            .collect();
        let mut nodes: Vec<NodeFit> = self
            .nodes
            .iter()
            .map(|n| {
                let reasons = filter(n, pod, tolerations);
                let intolerable = n
                    .taints()
                    .iter()
                    .filter(|t| t.effect == "PreferNoSchedule")
                    .filter(|t| !prefer_tolerations.iter().any(|tol| tolerates(tol, t)))
                    .count() as i64;
                NodeFit {
                    node: n.name.to_string(),
                    fits: reasons.is_empty(),
                    reasons,
                    taint_score: None,
                    intolerable_prefer_no_schedule: intolerable,
                }
            })
            .collect();
        normalize_taint_scores(&mut nodes);
        let evicted_from = self
            .nodes
            .iter()
            .filter_map(|n| {
                eviction_seconds(n.taints(), tolerations).map(|s| Eviction {
                    node: n.name.to_string(),
                    after_seconds: s,
                })
            })
            .collect();
        Placement {
            pod: pod.key.clone(),
            nodes,
            evicted_from,
        }
    }
}

/// `DefaultNormalizeScore(MaxNodeScore, reverse=true, scores)` over the
/// nodes that passed filtering.
pub fn normalize_taint_scores(nodes: &mut [NodeFit]) {
    let max = nodes
        .iter()
        .filter(|n| n.fits)
        .map(|n| n.intolerable_prefer_no_schedule)
        .max()
        .unwrap_or(0);
    for n in nodes.iter_mut() {
        n.taint_score = n.fits.then(|| {
            if max == 0 {
                MAX_NODE_SCORE
            } else {
                MAX_NODE_SCORE - MAX_NODE_SCORE * n.intolerable_prefer_no_schedule / max
            }
        });
    }
}

/// Every filter's reasons for `node`, in the scheduler's plugin order.
fn filter(node: &NodeState, pod: &PodToPlace, tolerations: &[Toleration]) -> Vec<Reason> {
    let mut out = Vec::new();
    let spec = pod.spec;
    // NodeUnschedulable
    let cordoned = node
        .node
        .spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false);
    if cordoned {
        let taint = Taint {
            key: TAINT_NODE_UNSCHEDULABLE.into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        };
        if !tolerated_by(tolerations, &taint) {
            out.push(Reason {
                filter: Filter::NodeUnschedulable,
                upstream: Cow::Borrowed("node(s) were unschedulable"),
                explain: format!(
                    "{} is cordoned (spec.unschedulable: true) and the pod does not tolerate {TAINT_NODE_UNSCHEDULABLE}:NoSchedule",
                    node.name
                ),
            });
        }
    }
    // NodeName
    if let Some(want) = spec.node_name.as_deref().filter(|n| !n.is_empty())
        && want != node.name
        && let Some(explain) = &pod.node_name_explain
    {
        out.push(Reason {
            filter: Filter::NodeName,
            upstream: Cow::Borrowed("node(s) didn't match the requested node name"),
            explain: explain.clone(),
        });
    }
    // TaintToleration
    if let Some(taint) = node.taints().iter().find(|t| {
        (t.effect == "NoSchedule" || t.effect == "NoExecute") && !tolerated_by(tolerations, t)
    }) {
        out.push(Reason {
            filter: Filter::TaintToleration,
            upstream: Cow::Borrowed("node(s) had untolerated taint(s)"),
            explain: explain_untolerated(tolerations, taint),
        });
    }
    // NodeAffinity (nodeSelector and required node affinity)
    if let Some(why) = node_affinity_mismatch(spec, node) {
        out.push(Reason {
            filter: Filter::NodeAffinity,
            upstream: Cow::Borrowed("node(s) didn't match Pod's node affinity/selector"),
            explain: why,
        });
    }
    // NodeResourcesFit
    out.extend(resource_fit(node, pod));
    out
}

/// Why the node's labels do not satisfy the pod's nodeSelector or its
/// required node affinity; None when they do.
pub fn node_affinity_mismatch(spec: &PodSpec, node: &NodeState) -> Option<String> {
    let empty = BTreeMap::new();
    let labels = node.labels().unwrap_or(&empty);
    for (k, v) in spec.node_selector.iter().flatten() {
        match labels.get(k) {
            Some(have) if have == v => {}
            Some(have) => {
                return Some(format!(
                    "nodeSelector {k}={v}: the node's label {k} is {have}"
                ));
            }
            None => return Some(format!("nodeSelector {k}={v}: the node has no label {k}")),
        }
    }
    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| {
            na.required_during_scheduling_ignored_during_execution
                .as_ref()
        })?;
    let mut why = Vec::new();
    for (i, term) in required.node_selector_terms.iter().enumerate() {
        match term_mismatch(term, labels, node.name) {
            None => return None,
            Some(w) => why.push(format!("term {i}: {w}")),
        }
    }
    if why.is_empty() {
        why.push("there are no node selector terms".into());
    }
    Some(format!(
        "required node affinity: no term matches ({})",
        why.join("; ")
    ))
}

/// Why a node selector term does not match (terms are ORed, the
/// expressions of a term ANDed); None when it matches.
pub fn term_mismatch(
    term: &NodeSelectorTerm,
    labels: &BTreeMap<String, String>,
    node_name: &str,
) -> Option<String> {
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    if exprs.is_empty() && fields.is_empty() {
        return Some("an empty term matches no node".into());
    }
    for r in exprs {
        if let Err(why) = requirement_matches(r, labels.get(&r.key).map(String::as_str)) {
            return Some(why);
        }
    }
    for r in fields {
        if r.key != "metadata.name" {
            return Some(format!(
                "matchFields key {} is not supported (only metadata.name)",
                r.key
            ));
        }
        let values = r.values.as_deref().unwrap_or(&[]);
        let ok = match r.operator.as_str() {
            "In" if values.len() == 1 => values[0] == node_name,
            "NotIn" if values.len() == 1 => values[0] != node_name,
            _ => {
                return Some(format!(
                    "matchFields metadata.name {} needs exactly one value",
                    r.operator
                ));
            }
        };
        if !ok {
            return Some(format!(
                "matchFields metadata.name {} {}: the node is {node_name}",
                r.operator, values[0]
            ));
        }
    }
    None
}

/// `labels.Requirement.Matches` for one node selector requirement.
fn requirement_matches(r: &NodeSelectorRequirement, have: Option<&str>) -> Result<(), String> {
    let values = r.values.as_deref().unwrap_or(&[]);
    let k = &r.key;
    let list = || format!("[{}]", values.join(", "));
    let has = |v: &str| format!("the node's label {k} is {v}");
    match r.operator.as_str() {
        "In" => match have {
            _ if values.is_empty() => Err(format!("{k} In needs values")),
            Some(v) if values.iter().any(|x| x == v) => Ok(()),
            Some(v) => Err(format!("{k} In {}: {}", list(), has(v))),
            None => Err(format!("{k} In {}: the node has no label {k}", list())),
        },
        "NotIn" => match have {
            _ if values.is_empty() => Err(format!("{k} NotIn needs values")),
            Some(v) if values.iter().any(|x| x == v) => {
                Err(format!("{k} NotIn {}: {}", list(), has(v)))
            }
            _ => Ok(()),
        },
        "Exists" => match have {
            Some(_) => Ok(()),
            None => Err(format!("{k} Exists: the node has no label {k}")),
        },
        "DoesNotExist" => match have {
            None => Ok(()),
            Some(v) => Err(format!("{k} DoesNotExist: {}", has(v))),
        },
        op @ ("Gt" | "Lt") => {
            let [want] = values else {
                return Err(format!("{k} {op} needs exactly one value"));
            };
            let Ok(want_n) = want.parse::<i64>() else {
                return Err(format!("{k} {op} {want}: the value is not an integer"));
            };
            let Some(v) = have else {
                return Err(format!("{k} {op} {want}: the node has no label {k}"));
            };
            let Ok(n) = v.parse::<i64>() else {
                return Err(format!("{k} {op} {want}: {} (not an integer)", has(v)));
            };
            let ok = if op == "Gt" { n > want_n } else { n < want_n };
            if ok {
                Ok(())
            } else {
                Err(format!("{k} {op} {want}: {}", has(v)))
            }
        }
        op => Err(format!("{k}: unknown operator {op}")),
    }
}

fn resource_fit(node: &NodeState, pod: &PodToPlace) -> Vec<Reason> {
    let Some((alloc, allowed_pods)) = &node.allocatable else {
        return Vec::new();
    };
    let own = node
        .bound
        .iter()
        .find(|(k, _)| *k == pod.key)
        .map(|(_, r)| r);
    let requested: Cow<Resources> = match own {
        Some(r) => {
            let mut less = node.requested.clone();
            less.sub(r);
            Cow::Owned(less)
        }
        None => Cow::Borrowed(&node.requested),
    };
    let pods = node.bound.len() as i128 - i128::from(own.is_some());
    let mut out = Vec::new();
    if pods + 1 > *allowed_pods {
        out.push(Reason {
            filter: Filter::NodeResourcesFit,
            upstream: Cow::Borrowed("Too many pods"),
            explain: format!(
                "{} already runs {pods} pod(s) and allows {allowed_pods}",
                node.name
            ),
        });
    }
    let req = &pod.request;
    if req.milli_cpu == 0 && req.memory == 0 && req.ephemeral_storage == 0 && req.scalars.is_empty()
    {
        return out;
    }
    let mut check = |name: &str, want: i128, cap: i128, used: i128, show: fn(i128) -> String| {
        if want > 0 && want > cap - used {
            out.push(Reason {
                filter: Filter::NodeResourcesFit,
                upstream: match name {
                    "cpu" => Cow::Borrowed("Insufficient cpu"),
                    "memory" => Cow::Borrowed("Insufficient memory"),
                    "ephemeral-storage" => Cow::Borrowed("Insufficient ephemeral-storage"),
                    n => Cow::Owned(format!("Insufficient {n}")),
                },
                explain: format!(
                    "the pod requests {} {name}; {} has {} allocatable, {} already requested by its pods, {} free",
                    show(want),
                    node.name,
                    show(cap),
                    show(used),
                    show(cap - used)
                ),
            });
        }
    };
    check(
        "cpu",
        req.milli_cpu,
        alloc.milli_cpu,
        requested.milli_cpu,
        show_milli,
    );
    check(
        "memory",
        req.memory,
        alloc.memory,
        requested.memory,
        show_bytes,
    );
    check(
        "ephemeral-storage",
        req.ephemeral_storage,
        alloc.ephemeral_storage,
        requested.ephemeral_storage,
        show_bytes,
    );
    for (name, want) in &req.scalars {
        if *want == 0 {
            continue;
        }
        let cap = alloc.scalars.get(name).copied().unwrap_or(0);
        let used = requested.scalars.get(name).copied().unwrap_or(0);
        check(name, *want, cap, used, show_plain);
    }
    out
}

fn show_milli(m: i128) -> String {
    Quantity::from_nano(
        m.saturating_mul(1_000_000),
        super::quantity::Format::DecimalSi,
    )
    .canonical()
}

fn show_bytes(b: i128) -> String {
    Quantity::from_nano(
        b.saturating_mul(1_000_000_000),
        super::quantity::Format::BinarySi,
    )
    .canonical()
}

fn show_plain(n: i128) -> String {
    n.to_string()
}

#[cfg(test)]
mod tests;
