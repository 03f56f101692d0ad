//! Scheduling checkers: where a pod (or a workload's pod template) can
//! run, and when NoExecute taints evict it; or the learner's answer to
//! "which nodes can this pod run on?" judged against the same. They ask
//! the scheduling engine and explain its answer node by node. A
//! DaemonSet's pods carry the tolerations its controller adds.

use super::registry::{Checker, Ctx, Outcome, params};
use crate::engines::scheduling::{Cluster, Placement, PodToPlace, eviction_seconds};
use crate::model::{ClusterModel, FieldPath, Location, Object};
use k8s_openapi::api::core::v1::{Node, Pod, PodSpec};
use serde::Deserialize;
use std::collections::BTreeSet;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "schedule",
        about: "a pod or workload template can (or cannot) run on a node, or lands only on a set of nodes",
        run: schedule,
    },
    Checker {
        name: "evicted",
        about: "when NoExecute taints on a node evict a pod: after N seconds, at once (0) or never",
        run: evicted,
    },
    Checker {
        name: "schedule-answer",
        about: "the learner's answer lists exactly the nodes a pod (or workload template) can be scheduled onto",
        run: schedule_answer,
    },
];

/// A pod to reason about: `NS/NAME` of a Pod, or `Kind/NS/NAME` of a Pod
/// or a workload (its pod template is used).
pub struct Target<'a> {
    pub key: String,
    pub spec: &'a PodSpec,
    pub object: &'a Object,
    pub spec_path: FieldPath,
}

pub fn find_target<'a>(model: &'a ClusterModel, sel: &str) -> Result<Target<'a>, String> {
    let parts: Vec<&str> = sel.split('/').collect();
    let (kind, ns, name) = match parts.as_slice() {
        [ns, name] => ("Pod", *ns, *name),
        [kind, ns, name] => (*kind, *ns, *name),
        [name] => ("Pod", "default", *name),
        _ => {
            return Err(format!(
                "bad pod selector {sel:?}: use NS/NAME or Kind/NS/NAME"
            ));
        }
    };
    let object = model
        .objects
        .iter()
        .find(|o| o.id.kind == kind && o.id.name == name && o.id.namespace.as_deref() == Some(ns));
    let Some(object) = object else {
        return Err(format!("no {kind} {ns}/{name}"));
    };
    let specs = crate::validate::objects::scheduling::pod_specs(&object.typed);
    let Some((spec, spec_path)) = specs.into_iter().next() else {
        return Err(format!("{} has no pod spec", object.id));
    };
    Ok(Target {
        key: format!("{ns}/{name}"),
        spec,
        object,
        spec_path,
    })
}

/// Every Pod in the model as (key, spec, phase), for bound-pod accounting.
pub fn bound_pods(model: &ClusterModel) -> Vec<(String, &PodSpec, Option<&str>)> {
    model
        .of::<Pod>()
        .filter_map(|p| {
            let id = &p.object.id;
            p.obj.spec.as_ref().map(|s| {
                (
                    format!(
                        "{}/{}",
                        id.namespace.as_deref().unwrap_or("default"),
                        id.name
                    ),
                    s,
                    p.obj.status.as_ref().and_then(|st| st.phase.as_deref()),
                )
            })
        })
        .collect()
}

/// The pod as it is created: a DaemonSet's pods get its controller's
/// tolerations, every pod the DefaultTolerationSeconds plugin's.
fn to_place<'a>(target: &Target<'a>) -> PodToPlace<'a> {
    // A workload's pods are new: give them a key no bound pod has.
    let kind = target.object.id.kind.as_str();
    if kind == "Pod" {
        PodToPlace::new(target.key.clone(), target.spec)
    } else if kind == "DaemonSet" {
        PodToPlace::daemon_pod(format!("{kind}:{}", target.key), target.spec)
    } else {
        PodToPlace::new(format!("{kind}:{}", target.key), target.spec)
    }
}

fn place(model: &ClusterModel, target: &Target) -> Placement {
    let cluster = Cluster::new(model.of::<Node>().map(|n| n.obj), bound_pods(model));
    cluster.place(&to_place(target))
}

fn locate(target: &Target, field: &str) -> Option<Location> {
    let path = target.spec_path.field(field);
    target
        .object
        .locate(&path)
        .or_else(|| target.object.locate(&FieldPath::root()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleParams {
    pod: String,
    /// With `expect`: the node judged.
    #[serde(default)]
    node: Option<String>,
    /// `fits` or `not-fits`.
    #[serde(default)]
    expect: Option<String>,
    /// The exact set of nodes the pod may land on.
    #[serde(default)]
    only_on: Option<Vec<String>>,
}

fn schedule(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let sp: ScheduleParams = params(p)?;
    let target = match find_target(ctx.model, &sp.pod) {
        Ok(t) => t,
        Err(e) => return Ok(Outcome::fail(e)),
    };
    let placement = place(ctx.model, &target);
    let at = locate(&target, "tolerations");
    if let Some(only) = &sp.only_on {
        let want: BTreeSet<&str> = only.iter().map(String::as_str).collect();
        let got: BTreeSet<&str> = placement.fitting().map(|n| n.node.as_str()).collect();
        if want == got {
            return Ok(Outcome::pass(format!(
                "{} can run only on {}",
                target.key,
                got.into_iter().collect::<Vec<_>>().join(", ")
            ))
            .at(at));
        }
        let mut why = Vec::new();
        let mut extra = Vec::new();
        for n in &placement.nodes {
            let wanted = want.contains(n.node.as_str());
            if wanted && !n.fits {
                let r: Vec<&str> = n.reasons.iter().map(|r| r.explain.as_str()).collect();
                why.push(format!("it cannot run on {}: {}", n.node, r.join("; ")));
            } else if !wanted && n.fits {
                extra.push(n.node.as_str());
            }
        }
        if !extra.is_empty() {
            why.push(format!(
                "it can also run on {}: a toleration lets a pod onto tainted nodes but does not keep it off the others; a nodeSelector or node affinity does that",
                extra.join(", ")
            ));
        }
        return Ok(Outcome::fail(why.join("; ")).at(at));
    }
    let node = sp
        .node
        .as_deref()
        .ok_or("give `node` with `expect`, or `only_on`")?;
    let expect_fit = match sp.expect.as_deref() {
        Some("fits") | None => true,
        Some("not-fits") => false,
        Some(other) => return Err(format!("expect must be fits or not-fits, not {other:?}")),
    };
    let Some(n) = placement.nodes.iter().find(|n| n.node == node) else {
        return Ok(Outcome::fail(format!("there is no node {node}")));
    };
    let reasons: Vec<&str> = n.reasons.iter().map(|r| r.explain.as_str()).collect();
    Ok(match (n.fits, expect_fit) {
        (true, true) => Outcome::pass(format!("{} can run on {node}", target.key)),
        (false, false) => Outcome::pass(format!(
            "{} cannot run on {node}: {}",
            target.key,
            reasons.join("; ")
        )),
        (false, true) => Outcome::fail(format!(
            "{} cannot run on {node}: {}",
            target.key,
            reasons.join("; ")
        ))
        .at(at),
        (true, false) => Outcome::fail(format!("{} can still run on {node}", target.key)).at(at),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvictedParams {
    pod: String,
    node: String,
    /// Seconds until eviction (0 = at once), or `never`.
    expect: serde_json::Value,
}

fn describe(e: Option<i64>) -> String {
    match e {
        None => "never evicted".into(),
        Some(0) => "evicted at once".into(),
        Some(s) => format!("evicted after {s}s"),
    }
}

fn evicted(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let ep: EvictedParams = params(p)?;
    let want = match &ep.expect {
        serde_json::Value::String(s) if s == "never" => None,
        serde_json::Value::Number(n) => Some(n.as_i64().ok_or("expect must be whole seconds")?),
        other => return Err(format!("expect must be seconds or \"never\", not {other}")),
    };
    let target = match find_target(ctx.model, &ep.pod) {
        Ok(t) => t,
        Err(e) => return Ok(Outcome::fail(e)),
    };
    let Some(node) = ctx.model.find::<Node>(None, &ep.node) else {
        return Ok(Outcome::fail(format!("there is no node {}", ep.node)));
    };
    let taints = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or(&[]);
    let got = eviction_seconds(taints, &to_place(&target).tolerations);
    let at = locate(&target, "tolerations");
    Ok(if got == want {
        Outcome::pass(format!("{} on {}: {}", target.key, ep.node, describe(got)))
    } else {
        Outcome::fail(format!(
            "{} on {} is {}, but should be {} (the first toleration that matches each NoExecute taint counts, and the shortest tolerationSeconds wins)",
            target.key,
            ep.node,
            describe(got),
            describe(want)
        ))
        .at(at)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleAnswerParams {
    pod: String,
    /// The answer key holding the list of nodes.
    key: String,
}

/// Node names from an answer: a list, one name, or `[]`/`none` for none.
fn answer_nodes(v: &serde_json::Value) -> Option<BTreeSet<String>> {
    use serde_json::Value as J;
    match v {
        J::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(|s| s.trim().to_string()))
            .collect(),
        J::String(s) if s.trim().eq_ignore_ascii_case("none") || s.trim().is_empty() => {
            Some(BTreeSet::new())
        }
        J::String(s) => Some(
            s.split([',', ' '])
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        J::Null => Some(BTreeSet::new()),
        _ => None,
    }
}

fn schedule_answer(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let sp: ScheduleAnswerParams = params(p)?;
    let target = find_target(ctx.model, &sp.pod).map_err(|e| format!("bad parameters: {e}"))?;
    let Some(given) = ctx.answers.get(&sp.key) else {
        return Ok(Outcome::fail(format!(
            "no answer under `{}:` in your answer file",
            sp.key
        )));
    };
    let Some(given) = answer_nodes(given) else {
        return Ok(Outcome::fail(format!(
            "`{}:` should be a list of node names, like [node-1, node-2], or [] for none",
            sp.key
        )));
    };
    let placement = place(ctx.model, &target);
    let fitting: BTreeSet<String> = placement.fitting().map(|n| n.node.clone()).collect();
    if given == fitting {
        let list = fitting.iter().cloned().collect::<Vec<_>>().join(", ");
        return Ok(Outcome::pass(if list.is_empty() {
            format!("{} fits no node", target.key)
        } else {
            format!("{} can be scheduled onto {list}", target.key)
        }));
    }
    let mut why = Vec::new();
    for n in &placement.nodes {
        match (given.contains(&n.node), n.fits) {
            (true, false) => {
                let r: Vec<&str> = n.reasons.iter().map(|r| r.explain.as_str()).collect();
                why.push(format!("{} is not possible: {}", n.node, r.join("; ")));
            }
            (false, true) => why.push(format!(
                "{} is missing: every filter passes there (a PreferNoSchedule taint only lowers a score, and a toleration permits a tainted node without restricting the pod to it)",
                n.node
            )),
            _ => {}
        }
    }
    let known: BTreeSet<&str> = placement.nodes.iter().map(|n| n.node.as_str()).collect();
    for g in given.iter().filter(|g| !known.contains(g.as_str())) {
        why.push(format!("there is no node {g}"));
    }
    Ok(Outcome::fail(format!(
        "{} for {}: {}",
        sp.key,
        target.key,
        why.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{model, run};
    use super::*;
    use serde_json::json;

    const NODES: &str = r#"
apiVersion: v1
kind: Node
metadata: {name: cp, labels: {node-role.kubernetes.io/control-plane: ""}}
spec:
  taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]
---
apiVersion: v1
kind: Node
metadata: {name: w1}
spec: {unschedulable: true}
---
apiVersion: v1
kind: Node
metadata: {name: w2}
spec:
  taints: [{key: spot, value: "true", effect: PreferNoSchedule}]
---
apiVersion: v1
kind: Node
metadata: {name: gone}
spec:
  taints:
  - {key: node.kubernetes.io/unreachable, effect: NoSchedule}
  - {key: node.kubernetes.io/unreachable, effect: NoExecute}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers: [{name: web, image: nginx}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: busybox}]
"#;

    #[test]
    fn schedule_answer_compares_node_sets() {
        let m = model(NODES);
        let p = json!({"pod": "shop/web", "key": "web"});
        // The control plane's taint, the cordon and the unreachable node's
        // NoSchedule taint filter; PreferNoSchedule does not.
        let ok = run(schedule_answer, &m, p.clone(), json!({"web": ["w2"]}));
        assert!(ok.passed, "{}", ok.detail);
        let bad = run(schedule_answer, &m, p.clone(), json!({"web": ["w1", "w2"]}));
        assert!(!bad.passed);
        assert!(bad.detail.contains("w1 is not possible"), "{}", bad.detail);
        let missing = run(schedule_answer, &m, p.clone(), json!({"web": []}));
        assert!(
            missing.detail.contains("w2 is missing"),
            "{}",
            missing.detail
        );
        let typo = run(schedule_answer, &m, p.clone(), json!({"web": ["w2", "w9"]}));
        assert!(
            typo.detail.contains("there is no node w9"),
            "{}",
            typo.detail
        );
        let none = run(schedule_answer, &m, p, json!({}));
        assert!(!none.passed && none.detail.contains("no answer"));
    }

    #[test]
    fn daemonset_pods_tolerate_cordon_but_not_control_plane() {
        let m = model(NODES);
        let p = json!({"pod": "DaemonSet/shop/agent", "key": "agent"});
        // The DaemonSet tolerates the cordon and unreachable:NoExecute, but
        // neither the control-plane taint nor unreachable:NoSchedule.
        let ok = run(schedule_answer, &m, p, json!({"agent": ["w1", "w2"]}));
        assert!(ok.passed, "{}", ok.detail);
        let ev = run(
            evicted,
            &m,
            json!({"pod": "DaemonSet/shop/agent", "node": "gone", "expect": "never"}),
            json!({}),
        );
        assert!(ev.passed, "{}", ev.detail);
        let pod_ev = run(
            evicted,
            &m,
            json!({"pod": "shop/web", "node": "gone", "expect": 300}),
            json!({}),
        );
        assert!(pod_ev.passed, "{}", pod_ev.detail);
    }

    #[test]
    fn answer_nodes_accepts_lists_and_none() {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(answer_nodes(&json!(["a", " b"])), Some(set(&["a", "b"])));
        assert_eq!(answer_nodes(&json!("none")), Some(set(&[])));
        assert_eq!(answer_nodes(&json!("a, b")), Some(set(&["a", "b"])));
        assert_eq!(answer_nodes(&json!(3)), None);
    }
}
