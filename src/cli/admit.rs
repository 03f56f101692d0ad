//! `kubedojo admit -f STATE... --admit PODS...`: ResourceQuota and
//! LimitRange admission of new pods, in order, over the existing state.

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use super::schedule::load_model;
use crate::engines::quota::{Admission, AdmitResult, QuotaUsage, Stage};
use crate::model::ClusterModel;
use k8s_openapi::api::core::v1::{LimitRange, Pod, ResourceQuota};
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The cluster state: ResourceQuotas, LimitRanges, existing Pods.
    #[arg(short = 'f', long = "filename", required = true, value_name = "STATE")]
    pub files: Vec<PathBuf>,
    /// Pods to create, admitted one after another.
    #[arg(long = "admit", required = true, value_name = "PODS")]
    pub admit: Vec<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    results: &'a [AdmitResult],
    usage: &'a [QuotaUsage],
}

fn ns(id: &crate::model::ObjectRef) -> &str {
    id.namespace.as_deref().unwrap_or("default")
}

/// Admission over `state` of every Pod in `incoming`, in order.
pub fn admit_all(
    state: &ClusterModel,
    incoming: &ClusterModel,
) -> (Vec<AdmitResult>, Vec<QuotaUsage>) {
    let mut adm = Admission::new(
        state.of::<LimitRange>().map(|l| (ns(&l.object.id), l.obj)),
        state
            .of::<ResourceQuota>()
            .map(|q| (ns(&q.object.id), q.obj)),
        state.of::<Pod>().map(|p| (ns(&p.object.id), p.obj)),
    );
    let results = incoming
        .of::<Pod>()
        .map(|p| adm.admit(ns(&p.object.id), p.obj))
        .collect();
    (results, adm.usage())
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    let state = load_model(&a.files)?;
    let incoming = load_model(&a.admit)?;
    if let Some(other) = incoming.objects.iter().find(|o| o.id.kind != "Pod") {
        return Err(Failure::usage(format!(
            "--admit takes Pods; {} is not one (put it in the state files with -f)",
            other.id
        )));
    }
    if incoming.is_empty() {
        return Err(Failure::usage("no Pods to admit in the --admit files"));
    }
    let (results, usage) = admit_all(&state, &incoming);
    let all = results.iter().all(|r| r.admitted);
    if a.json {
        print_json(&JsonOut {
            results: &results,
            usage: &usage,
        });
    } else {
        for r in &results {
            print_result(g.color, r);
        }
        for u in &usage {
            let used: Vec<String> = u.used.iter().map(|(k, v)| format!("{k}={v}")).collect();
            println!(
                "quota {}/{} used: {}",
                u.namespace,
                u.quota,
                if used.is_empty() {
                    "nothing".into()
                } else {
                    used.join(", ")
                }
            );
        }
    }
    Ok(if all { Exit::Pass } else { Exit::Fail })
}

fn print_result(color: bool, r: &AdmitResult) {
    let name = r.pod.rsplit('/').next().unwrap_or(&r.pod);
    if r.admitted {
        println!("{} {} admitted", paint(color, "32", "✓"), r.pod);
    } else {
        let reason = r.reason.as_deref().unwrap_or("");
        let server = match r.stage {
            Stage::Validation => format!("The Pod \"{name}\" is invalid: {reason}"),
            _ => format!("Error from server (Forbidden): pods \"{name}\" is forbidden: {reason}"),
        };
        println!(
            "{} {} rejected\n    {server}",
            paint(color, "31", "✗"),
            r.pod
        );
        if let Some(e) = &r.explain {
            println!("    {} {e}", paint(color, "36", "why:"));
        }
    }
    for d in &r.defaults_applied {
        println!(
            "    {} set {}.{}={} on container {}",
            d.by, d.field, d.resource, d.value, d.container
        );
    }
}
