//! `kubedojo schedule -f FILE... [--pod NS/NAME]`: where each pod can run,
//! node by node, with kube-scheduler's reasons explained, the
//! TaintToleration score and NoExecute evictions.

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::engines::scheduling::{Cluster, Placement, PodToPlace};
use crate::model::ClusterModel;
use k8s_openapi::api::core::v1::{Node, Pod};
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files with Nodes and Pods (many documents and `kind: List` allowed).
    #[arg(short = 'f', long = "filename", required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Only this pod (`NS/NAME`, or `NAME` in `default`).
    #[arg(long, value_name = "NS/NAME")]
    pub pod: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// Load and strictly validate files; any problem is bad input (exit 2)
/// naming every file:line.
pub fn load_model(files: &[PathBuf]) -> Result<ClusterModel, Failure> {
    let v = crate::validate::validate_files(files)?;
    if !v.is_valid() {
        let lines: Vec<String> = v.problems.iter().map(|p| p.to_string()).collect();
        return Err(Failure::usage(format!(
            "the API server would reject these files:\n{}",
            lines.join("\n")
        )));
    }
    Ok(v.model())
}

#[derive(Serialize)]
struct JsonNode<'a> {
    node: &'a str,
    fits: bool,
    /// Why the node is filtered out, explained.
    reasons: Vec<&'a str>,
    /// kube-scheduler's own messages for the same reasons.
    scheduler_messages: Vec<&'a str>,
    taint_score: Option<i64>,
}

#[derive(Serialize)]
struct JsonPod<'a> {
    pod: &'a str,
    nodes: Vec<JsonNode<'a>>,
    evicted_from: &'a [crate::engines::scheduling::Eviction],
}

#[derive(Serialize)]
struct JsonOut<'a> {
    pods: Vec<JsonPod<'a>>,
}

/// Every pod's placement over the nodes of the model.
pub fn placements(model: &ClusterModel, only: Option<&str>) -> Result<Vec<Placement>, Failure> {
    let pods: Vec<(String, &Pod)> = model
        .of::<Pod>()
        .map(|p| {
            let id = p.id();
            (
                format!(
                    "{}/{}",
                    id.namespace.as_deref().unwrap_or("default"),
                    id.name
                ),
                p.obj,
            )
        })
        .collect();
    let bound = pods.iter().filter_map(|(k, p)| {
        p.spec.as_ref().map(|s| {
            (
                k.clone(),
                s,
                p.status.as_ref().and_then(|st| st.phase.as_deref()),
            )
        })
    });
    let cluster = Cluster::new(model.of::<Node>().map(|n| n.obj), bound);
    let wanted = only.map(|p| {
        if p.contains('/') {
            p.to_string()
        } else {
            format!("default/{p}")
        }
    });
    let mut out = Vec::new();
    for (key, pod) in &pods {
        if wanted.as_ref().is_some_and(|w| w != key) {
            continue;
        }
        let Some(spec) = pod.spec.as_ref() else {
            continue;
        };
        out.push(cluster.place(&PodToPlace::new(key.clone(), spec)));
    }
    if let Some(w) = wanted
        && out.is_empty()
    {
        return Err(Failure::usage(format!("no pod {w} in the files")));
    }
    Ok(out)
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    let model = load_model(&a.files)?;
    if model.of::<Node>().next().is_none() {
        return Err(Failure::usage(
            "no Node objects in the files: give the nodes to schedule onto (kubectl get nodes -o yaml)",
        ));
    }
    let placements = placements(&model, a.pod.as_deref())?;
    let all_fit = placements.iter().all(|p| p.fitting().next().is_some());
    if a.json {
        let pods = placements
            .iter()
            .map(|p| JsonPod {
                pod: &p.pod,
                nodes: p
                    .nodes
                    .iter()
                    .map(|n| JsonNode {
                        node: &n.node,
                        fits: n.fits,
                        reasons: n.reasons.iter().map(|r| r.explain.as_str()).collect(),
                        scheduler_messages: n.reasons.iter().map(|r| r.upstream.as_ref()).collect(),
                        taint_score: n.taint_score,
                    })
                    .collect(),
                evicted_from: &p.evicted_from,
            })
            .collect();
        print_json(&JsonOut { pods });
    } else {
        for p in &placements {
            print_placement(g.color, p);
        }
    }
    Ok(if all_fit { Exit::Pass } else { Exit::Fail })
}

fn print_placement(color: bool, p: &Placement) {
    let fitting: Vec<&str> = p.fitting().map(|n| n.node.as_str()).collect();
    let head = if fitting.is_empty() {
        paint(color, "31", "fits no node")
    } else {
        paint(color, "32", &format!("can run on {}", fitting.join(", ")))
    };
    println!("{} {head}", paint(color, "1", &p.pod));
    for n in &p.nodes {
        if n.fits {
            let score = n.taint_score.unwrap_or(0);
            println!(
                "  {} {} (taint score {score})",
                paint(color, "32", "✓"),
                n.node
            );
        } else {
            for r in &n.reasons {
                println!("  {} {}: {}", paint(color, "31", "✗"), n.node, r.explain);
            }
        }
    }
    for e in &p.evicted_from {
        let when = if e.after_seconds == 0 {
            "at once".to_string()
        } else {
            format!("after {}s", e.after_seconds)
        };
        println!(
            "  {} on {} the pod would be evicted {when} (NoExecute)",
            paint(color, "33", "!"),
            e.node
        );
    }
}
