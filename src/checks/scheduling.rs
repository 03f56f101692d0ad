//! Scheduling checkers: where a pod (or a workload's pod template) can
//! run, and when NoExecute taints evict it. They ask the scheduling
//! engine and explain its answer node by node.

use super::registry::{Checker, Ctx, Outcome, params};
use crate::engines::scheduling::{
    Cluster, Placement, PodToPlace, eviction_seconds, tolerations_of,
};
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

fn place(model: &ClusterModel, target: &Target) -> Placement {
    let cluster = Cluster::new(model.of::<Node>().map(|n| n.obj), bound_pods(model));
    // A workload's pods are new: give them a key no bound pod has.
    let key = if target.object.id.kind == "Pod" {
        target.key.clone()
    } else {
        format!("{}:{}", target.object.id.kind, target.key)
    };
    cluster.place(&PodToPlace::new(key, target.spec))
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
    let got = eviction_seconds(taints, tolerations_of(target.spec));
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
