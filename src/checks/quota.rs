//! Quota checkers: whether a pod is admitted by the ResourceQuotas and
//! LimitRanges of the state (optionally with the API server's reason),
//! and a pod's QoS class (checked on the pod, or the learner's answer
//! checked against it).

use super::registry::{Checker, Ctx, Outcome, params};
use super::scheduling::find_target;
use crate::engines::quota::{Admission, qos_class};
use crate::model::FieldPath;
use k8s_openapi::api::core::v1::{LimitRange, Pod, ResourceQuota};
use serde::Deserialize;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "admit",
        about: "pods created in order over the state are admitted or rejected by ResourceQuota/LimitRange (optionally: the reason contains a phrase)",
        run: admit,
    },
    Checker {
        name: "qos",
        about: "a pod's QoS class is the expected one, or the learner's answer names the pod's class",
        run: qos,
    },
];

/// Pods in the model that exist already: bound to a node or with a
/// status. The others are pods waiting to be created.
fn exists(p: &Pod) -> bool {
    p.spec.as_ref().is_some_and(|s| s.node_name.is_some())
        || p.status.as_ref().is_some_and(|s| s.phase.is_some())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdmitParams {
    /// Pods to create, in order (`NS/NAME`).
    pods: Vec<String>,
    /// The pod judged; default: the last one.
    #[serde(default)]
    pod: Option<String>,
    /// `admitted` or `rejected`.
    expect: String,
    /// With `rejected`: a phrase the API server's message must contain.
    #[serde(default)]
    reason_contains: Option<String>,
}

fn ns_of(id: &crate::model::ObjectRef) -> &str {
    id.namespace.as_deref().unwrap_or("default")
}

fn admit(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let ap: AdmitParams = params(p)?;
    let want_admitted = match ap.expect.as_str() {
        "admitted" => true,
        "rejected" => false,
        other => {
            return Err(format!(
                "expect must be admitted or rejected, not {other:?}"
            ));
        }
    };
    let judged = ap
        .pod
        .clone()
        .or_else(|| ap.pods.last().cloned())
        .ok_or("give the pods to create")?;
    let key = |p: &crate::model::Sourced<'_, Pod>| {
        format!("{}/{}", ns_of(&p.object.id), p.object.id.name)
    };
    let mut adm = Admission::new(
        ctx.model
            .of::<LimitRange>()
            .map(|l| (ns_of(&l.object.id), l.obj)),
        ctx.model
            .of::<ResourceQuota>()
            .map(|q| (ns_of(&q.object.id), q.obj)),
        ctx.model
            .of::<Pod>()
            .filter(|p| exists(p.obj) && !ap.pods.contains(&key(p)))
            .map(|p| (ns_of(&p.object.id), p.obj)),
    );
    let mut verdict = None;
    for k in &ap.pods {
        let Some(pod) = ctx.model.of::<Pod>().find(|p| &key(p) == k) else {
            return Ok(Outcome::fail(format!("no Pod {k}")));
        };
        let r = adm.admit(ns_of(&pod.object.id), pod.obj);
        if *k == judged {
            verdict = Some((r, pod));
            break;
        }
    }
    let Some((r, pod)) = verdict else {
        return Err(format!("{judged} is not among the pods to create"));
    };
    let blamed_at = r.blamed.as_ref().and_then(|b| {
        ctx.model
            .objects
            .iter()
            .find(|o| o.id.to_string() == *b)
            .and_then(|o| o.locate(&FieldPath::root().field("spec")))
    });
    let at = blamed_at.or_else(|| pod.locate(&FieldPath::root().field("spec")));
    let reason = r.reason.clone().unwrap_or_default();
    let explain = r.explain.clone().unwrap_or_default();
    Ok(match (r.admitted, want_admitted) {
        (true, true) => Outcome::pass(format!("{} is admitted", r.pod)),
        (true, false) => Outcome::fail(format!("{} is still admitted", r.pod)).at(at),
        (false, true) => {
            Outcome::fail(format!("{} is rejected: {reason} ({explain})", r.pod)).at(at)
        }
        (false, false) => match &ap.reason_contains {
            Some(phrase) if !reason.contains(phrase.as_str()) => Outcome::fail(format!(
                "{} is rejected, but for another reason: {reason}",
                r.pod
            ))
            .at(at),
            _ => Outcome::pass(format!("{} is rejected: {reason}", r.pod)),
        },
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QosParams {
    /// `NS/NAME` or `Kind/NS/NAME`.
    pod: String,
    /// The class the pod must have.
    #[serde(default)]
    expect: Option<String>,
    /// The answer key that must name the pod's class.
    #[serde(default)]
    answer_key: Option<String>,
}

fn qos(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let qp: QosParams = params(p)?;
    let target = match find_target(ctx.model, &qp.pod) {
        Ok(t) => t,
        Err(e) => return Ok(Outcome::fail(e)),
    };
    let class = qos_class(target.spec).as_str();
    let at = target.object.locate(&target.spec_path.field("containers"));
    if let Some(key) = &qp.answer_key {
        let Some(given) = ctx.answers.get(key) else {
            return Ok(Outcome::fail(format!(
                "no answer under `{key}:` in your answer file"
            )));
        };
        let given = given.as_str().unwrap_or_default().trim();
        return Ok(if given.eq_ignore_ascii_case(class) {
            Outcome::pass(format!("{} is {class}", target.key))
        } else {
            Outcome::fail(format!(
                "{key} is {given}, which is not right: look at every container's requests and limits for cpu and memory (a limit with no request counts as the request)"
            ))
        });
    }
    let want = qp
        .expect
        .as_deref()
        .ok_or("give `expect` or `answer_key`")?;
    Ok(if want == class {
        Outcome::pass(format!("{} is {class}", target.key))
    } else {
        Outcome::fail(format!("{} is {class}, not {want}", target.key)).at(at)
    })
}
