//! Quota checkers: whether a pod is admitted by the ResourceQuotas and
//! LimitRanges of the state (optionally with the API server's reason), or
//! the learner's account of why it is not; what a namespace's quotas cap
//! a resource at; and a pod's QoS class (checked on the pod, or the
//! learner's answer checked against it).

use super::registry::{Checker, Ctx, Outcome, params};
use super::scheduling::find_target;
use crate::engines::quantity::Quantity;
use crate::engines::quota::claims::default_class;
use crate::engines::quota::{Admission, AdmitResult, QuotaState, qos_class};
use crate::model::{FieldPath, Object};
use k8s_openapi::api::core::v1::{LimitRange, PersistentVolumeClaim, Pod, ResourceQuota};
use k8s_openapi::api::storage::v1::StorageClass;
use serde::Deserialize;
use std::collections::BTreeSet;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "admit",
        about: "pods (NS/NAME) and PersistentVolumeClaims (PersistentVolumeClaim/NS/NAME) created in order over the state are admitted or rejected by ResourceQuota/LimitRange (optionally: the reason contains a phrase)",
        run: admit,
    },
    Checker {
        name: "admit-answer",
        about: "the learner's answer says whether a pod is admitted, which object rejects it, or which resources the rejection names, as ResourceQuota/LimitRange admission decides",
        run: admit_answer,
    },
    Checker {
        name: "quota-hard",
        about: "the ResourceQuotas of a namespace (unscoped, or with exactly these scopes) cap each resource at this quantity (the lowest hard value wins)",
        run: quota_hard,
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
    /// Objects to create, in order: Pods (`NS/NAME`) and claims
    /// (`PersistentVolumeClaim/NS/NAME`).
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

/// A claim exists already when it has a status (Pending, Bound).
fn claim_exists(c: &PersistentVolumeClaim) -> bool {
    c.status.as_ref().is_some_and(|s| s.phase.is_some())
}

/// Create `objects` in order over the state (`NS/NAME` is a Pod,
/// `PersistentVolumeClaim/NS/NAME` a claim); the verdict on `judged` (the
/// last one by default), with the object.
fn run_admission<'m>(
    ctx: &Ctx<'m>,
    objects: &[String],
    judged: Option<&String>,
) -> Result<Result<(AdmitResult, &'m Object), String>, String> {
    let judged = judged
        .or_else(|| objects.last())
        .cloned()
        .ok_or("give the pods to create")?;
    let key = |o: &Object| {
        let base = format!("{}/{}", ns_of(&o.id), o.id.name);
        if o.id.kind == "Pod" {
            base
        } else {
            format!("{}/{base}", o.id.kind)
        }
    };
    let default = default_class(ctx.model.of::<StorageClass>().map(|c| c.obj));
    let mut adm = Admission::new(
        ctx.model
            .of::<LimitRange>()
            .map(|l| (ns_of(&l.object.id), l.obj)),
        ctx.model
            .of::<ResourceQuota>()
            .map(|q| (ns_of(&q.object.id), q.obj)),
        ctx.model
            .of::<Pod>()
            .filter(|p| exists(p.obj) && !objects.contains(&key(p.object)))
            .map(|p| (ns_of(&p.object.id), p.obj)),
    )
    .with_claims(
        ctx.model
            .of::<PersistentVolumeClaim>()
            .filter(|c| claim_exists(c.obj) && !objects.contains(&key(c.object)))
            .map(|c| (ns_of(&c.object.id), c.obj)),
        default.as_deref(),
    );
    for k in objects {
        let r = if let Some(pod) = ctx.model.of::<Pod>().find(|p| key(p.object) == *k) {
            (adm.admit(ns_of(&pod.object.id), pod.obj), pod.object)
        } else if let Some(c) = ctx
            .model
            .of::<PersistentVolumeClaim>()
            .find(|c| key(c.object) == *k)
        {
            (
                adm.admit_claim(ns_of(&c.object.id), c.obj, default.as_deref()),
                c.object,
            )
        } else if k.starts_with("PersistentVolumeClaim/") {
            return Ok(Err(format!("no {k}")));
        } else {
            return Ok(Err(format!("no Pod {k}")));
        };
        if *k == judged {
            return Ok(Ok(r));
        }
    }
    Err(format!("{judged} is not among the objects to create"))
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
    let (r, pod) = match run_admission(ctx, &ap.pods, ap.pod.as_ref())? {
        Ok(v) => v,
        Err(missing) => return Ok(Outcome::fail(missing)),
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
        (true, false) => Outcome::fail(format!(
            "{} is still admitted: no LimitRange or ResourceQuota in {} refuses it",
            r.pod,
            r.pod.split('/').next().unwrap_or_default()
        ))
        .at(at),
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

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Asked {
    /// Is the pod admitted? (`true`/`false`, `yes`/`no`, `admitted`/`rejected`)
    Admitted,
    /// Which object rejects it (`NAME` or `Kind/NAME`; `validation` when
    /// the API server's validation does).
    RejectedBy,
    /// Which resources the rejection names (a list).
    Resources,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdmitAnswerParams {
    /// Pods to create, in order (`NS/NAME`).
    pods: Vec<String>,
    /// The pod asked about; default: the last one.
    #[serde(default)]
    pod: Option<String>,
    /// The answer key.
    key: String,
    about: Asked,
}

fn answer_bool(v: &serde_json::Value) -> Option<bool> {
    match v {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" | "admitted" => Some(true),
            "no" | "false" | "rejected" | "denied" | "forbidden" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `compute`, `ResourceQuota/compute`, `quota/compute` or
/// `ResourceQuota/NS/compute` names `ResourceQuota/NS/compute`.
fn names_object(answer: &str, blamed: &str) -> bool {
    let answer = answer.trim();
    let mut want = blamed.split('/');
    let (Some(kind), Some(ns), Some(name)) = (want.next(), want.next(), want.next()) else {
        return false;
    };
    let kinds: &[&str] = match kind {
        "ResourceQuota" => &["resourcequota", "resourcequotas", "quota"],
        "LimitRange" => &["limitrange", "limitranges", "limits"],
        _ => &[],
    };
    let parts: Vec<&str> = answer.split('/').collect();
    let kind_ok = |k: &str| kinds.contains(&k.to_ascii_lowercase().as_str());
    match parts.as_slice() {
        [n] => *n == name,
        [k, n] => kind_ok(k) && *n == name,
        [k, s, n] => kind_ok(k) && *s == ns && *n == name,
        _ => false,
    }
}

/// Resource names however the learner wrote them: a list, or strings
/// split on commas or spaces (names hold neither). A number, a boolean or
/// a mapping is not a list of names.
fn resource_names(v: &serde_json::Value) -> Option<BTreeSet<String>> {
    use serde_json::Value as J;
    if matches!(v, J::Bool(_) | J::Number(_) | J::Object(_)) {
        return None;
    }
    Some(
        super::registry::answer_list(v)
            .iter()
            .flat_map(|s| {
                s.split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect(),
    )
}

fn admit_answer(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let ap: AdmitAnswerParams = params(p)?;
    let (r, _) = run_admission(ctx, &ap.pods, ap.pod.as_ref())?
        .map_err(|e| format!("bad parameters: {e}"))?;
    let Some(given) = ctx.answers.get(&ap.key) else {
        return Ok(Outcome::fail(format!(
            "no answer under `{}:` in your answer file",
            ap.key
        )));
    };
    let verdict = match &r.reason {
        None => format!("{} is admitted", r.pod),
        Some(reason) => format!("{} is rejected: {reason}", r.pod),
    };
    let wrong = |why: String| Ok(Outcome::fail(format!("{}: {why}", ap.key)));
    match ap.about {
        Asked::Admitted => match answer_bool(given) {
            None => wrong(format!("answer true or false, not {given}")),
            Some(b) if b == r.admitted => Ok(Outcome::pass(verdict)),
            Some(_) => wrong(format!(
                "not right: {verdict}{}",
                r.explain
                    .as_deref()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            )),
        },
        Asked::RejectedBy => {
            let Some(text) = given.as_str() else {
                return wrong(format!("answer with an object name, not {given}"));
            };
            let right = match (&r.blamed, r.admitted) {
                (_, true) => return wrong(format!("{verdict}, so nothing rejects it")),
                (Some(b), _) => names_object(text, b),
                (None, _) => text.trim().eq_ignore_ascii_case("validation"),
            };
            if right {
                Ok(Outcome::pass(verdict))
            } else {
                let who = r
                    .blamed
                    .clone()
                    .unwrap_or_else(|| "the API server's validation (request above limit)".into());
                wrong(format!(
                    "{text} is not what rejects it; admission runs LimitRange defaults, LimitRange bounds, then every ResourceQuota, and the first failure answers. {who} rejects it"
                ))
            }
        }
        Asked::Resources => {
            let Some(list) = resource_names(given) else {
                return wrong(format!("answer with a list of resource names, not {given}"));
            };
            let want: BTreeSet<String> = r.resources.iter().cloned().collect();
            if r.admitted {
                return if list.is_empty() {
                    Ok(Outcome::pass(verdict))
                } else {
                    wrong(format!("{verdict}, so no resource is named"))
                };
            }
            if list == want {
                return Ok(Outcome::pass(verdict));
            }
            let extra: Vec<&str> = list.difference(&want).map(String::as_str).collect();
            let lacking: Vec<&str> = want.difference(&list).map(String::as_str).collect();
            let mut why = Vec::new();
            if !extra.is_empty() {
                why.push(format!(
                    "the message does not name {} (only resources that fail are listed)",
                    extra.join(", ")
                ));
            }
            if !lacking.is_empty() {
                why.push(format!(
                    "{} more resource(s) fail: for each resource, add what every container of the pod asks (LimitRange defaults included) to what is already used",
                    lacking.len()
                ));
            }
            wrong(why.join("; "))
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotaHardParams {
    namespace: String,
    /// Resource name → the cap it must have; `null`: no quota may cap it.
    hard: std::collections::BTreeMap<String, Option<String>>,
    /// Only quotas with exactly these scopes (`BestEffort`, or
    /// `PriorityClass In a,b`); default: unscoped quotas.
    #[serde(default)]
    scopes: Vec<String>,
}

/// The names one counter goes by: the legacy object counts and their
/// `count/` form are the same counter (upstream: pkg/quota/v1/evaluator/core
/// registry.go legacyObjectCountAliases, services.go and
/// persistent_volume_claims.go, whose usage sets both names).
fn counter_names(res: &str) -> Vec<String> {
    const LEGACY: &[&str] = &[
        "configmaps",
        "secrets",
        "services",
        "persistentvolumeclaims",
        "replicationcontrollers",
        "resourcequotas",
    ];
    let bare = res.strip_prefix("count/").unwrap_or(res);
    if LEGACY.contains(&bare) {
        vec![bare.to_string(), format!("count/{bare}")]
    } else {
        vec![res.to_string()]
    }
}

/// A quota's scopes as `Scope` (Exists) or `Scope Op v1,v2`, sorted.
fn scope_key(q: &QuotaState) -> Vec<String> {
    let mut keys: Vec<String> = q
        .scopes
        .iter()
        .map(|s| match s.operator.as_str() {
            "Exists" => s.scope.clone(),
            op => {
                let mut v = s.values.clone();
                v.sort();
                format!("{} {op} {}", s.scope, v.join(","))
            }
        })
        .collect();
    keys.sort();
    keys
}

fn quota_hard(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let qp: QuotaHardParams = params(p)?;
    let mut want_scopes = qp.scopes.clone();
    want_scopes.sort();
    let quotas: Vec<(QuotaState, &crate::model::Object)> = ctx
        .model
        .of::<ResourceQuota>()
        .filter(|q| ns_of(&q.object.id) == qp.namespace)
        .map(|q| (QuotaState::of(q.obj, &qp.namespace), q.object))
        .collect();
    let scoped = |q: &QuotaState| scope_key(q) == want_scopes;
    let which = if want_scopes.is_empty() {
        "no unscoped ResourceQuota".to_string()
    } else {
        format!("no ResourceQuota with scopes [{}]", want_scopes.join(", "))
    };
    let mut right = Vec::new();
    let mut wrong = Vec::new();
    let mut at = None;
    for (res, want) in &qp.hard {
        let names = counter_names(res);
        // The lowest hard value among the quotas that set it is the cap.
        let cap = quotas
            .iter()
            .filter(|(q, _)| scoped(q))
            .flat_map(|(q, o)| {
                names
                    .iter()
                    .filter_map(move |n| q.hard.get(n).map(|h| (h, q, o)))
            })
            .min_by(|a, b| a.0.cmp_value(b.0));
        let Some(want) = want else {
            if let Some((h, q, o)) = cap {
                at = at.or_else(|| o.locate(&FieldPath::root().field("spec").field("hard")));
                wrong.push(format!(
                    "ResourceQuota {} caps {res} at {}, which the task leaves unlimited",
                    q.name,
                    h.canonical()
                ));
            }
            continue;
        };
        let want_q = Quantity::parse(want)
            .map_err(|e| format!("bad parameters: hard[{res}] {want:?}: {e}"))?;
        match cap {
            Some((h, q, _)) if h.cmp_value(&want_q).is_eq() => {
                right.push(format!(
                    "ResourceQuota {} caps {res} at {}",
                    q.name,
                    h.canonical()
                ));
            }
            Some((h, q, o)) => {
                at = at.or_else(|| o.locate(&FieldPath::root().field("spec").field("hard")));
                wrong.push(format!(
                    "ResourceQuota {} caps {res} at {}, not {}",
                    q.name,
                    h.canonical(),
                    want_q.canonical()
                ));
            }
            None => {
                let set: BTreeSet<&str> = quotas
                    .iter()
                    .filter(|(q, _)| scoped(q))
                    .flat_map(|(q, _)| q.hard.keys().map(String::as_str))
                    .collect();
                let near: Vec<&str> = set
                    .iter()
                    .copied()
                    .filter(|k| {
                        let stem = |s: &str| {
                            s.split(['.', '/'])
                                .filter(|p| p.len() > 3 && *p != "count")
                                .map(str::to_string)
                                .collect::<BTreeSet<_>>()
                        };
                        !stem(k).is_disjoint(&stem(res))
                    })
                    .collect();
                let mut why = format!("{which} in {} sets {res}", qp.namespace);
                if !near.is_empty() {
                    why.push_str(&format!(
                        " (found {}: the resource name must be exactly {res})",
                        near.join(", ")
                    ));
                } else if !want_scopes.is_empty()
                    || quotas
                        .iter()
                        .any(|(q, _)| !scoped(q) && q.hard.contains_key(res))
                {
                    why.push_str(" (a quota sets it, but with other scopes)");
                }
                wrong.push(why);
            }
        }
    }
    Ok(if wrong.is_empty() {
        Outcome::pass(right.join("; "))
    } else {
        Outcome::fail(wrong.join("; ")).at(at)
    })
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{model, run};
    use super::*;
    use serde_json::json;

    // The lesson's own example (upstream wording: resourcequota
    // controller.go CheckRequest): a sidecar without resources gets the
    // LimitRange defaults, and the memory limit sum goes over the quota.
    const STATE: &str = r#"
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: shop}
spec:
  hard: {requests.memory: 1Gi, limits.memory: 2Gi}
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: shop}
spec:
  limits:
  - type: Container
    default: {memory: 1Gi}
    defaultRequest: {memory: 256Mi}
---
apiVersion: v1
kind: LimitRange
metadata: {name: ratio, namespace: edge}
spec:
  limits:
  - type: Container
    maxLimitRequestRatio: {cpu: "2"}
---
apiVersion: v1
kind: Pod
metadata: {name: report, namespace: shop}
spec:
  containers:
  - name: app
    image: app
    resources:
      requests: {memory: 512Mi}
      limits: {memory: 1536Mi}
  - name: shipper
    image: shipper
---
apiVersion: v1
kind: Pod
metadata: {name: cache, namespace: edge}
spec:
  containers:
  - name: redis
    image: redis
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {cpu: 400m, memory: 128Mi}
"#;

    #[test]
    fn admit_answer_judges_each_part() {
        let m = model(STATE);
        let ask =
            |pod: &str, key: &str, about: &str| json!({"pods": [pod], "key": key, "about": about});
        let report = "shop/report";
        // 512Mi + 256Mi requests fit 1Gi; 1536Mi + 1Gi limits do not fit 2Gi.
        for (answer, ok) in [
            (json!(false), true),
            (json!("no"), true),
            (json!(true), false),
        ] {
            let o = run(
                admit_answer,
                &m,
                ask(report, "a", "admitted"),
                json!({ "a": answer }),
            );
            assert_eq!(o.passed, ok, "{answer}: {}", o.detail);
        }
        for (answer, ok) in [
            ("compute", true),
            ("ResourceQuota/compute", true),
            ("quota/shop/compute", true),
            ("defaults", false),
            ("LimitRange/compute", false),
        ] {
            let o = run(
                admit_answer,
                &m,
                ask(report, "b", "rejected_by"),
                json!({ "b": answer }),
            );
            assert_eq!(o.passed, ok, "{answer}: {}", o.detail);
        }
        let o = run(
            admit_answer,
            &m,
            ask(report, "r", "resources"),
            json!({"r": ["limits.memory"]}),
        );
        assert!(o.passed, "{}", o.detail);
        // Every written form of the same list; empty items are nothing.
        for answer in [
            json!(["limits.memory", ""]),
            json!(" limits.memory "),
            json!(["limits.memory, "]),
        ] {
            let o = run(
                admit_answer,
                &m,
                ask(report, "r", "resources"),
                json!({ "r": answer }),
            );
            assert!(o.passed, "{answer}: {}", o.detail);
        }
        let o = run(
            admit_answer,
            &m,
            ask(report, "r", "resources"),
            json!({"r": 5}),
        );
        assert!(
            !o.passed && o.detail.contains("list of resource names"),
            "{}",
            o.detail
        );
        let o = run(
            admit_answer,
            &m,
            ask(report, "r", "resources"),
            json!({"r": "limits.memory requests.memory"}),
        );
        assert!(
            !o.passed && o.detail.contains("does not name requests.memory"),
            "{}",
            o.detail
        );
        let o = run(
            admit_answer,
            &m,
            ask(report, "r", "resources"),
            json!({"r": ["limits.memory", "requests.memory"]}),
        );
        assert!(
            !o.passed && o.detail.contains("does not name requests.memory"),
            "{}",
            o.detail
        );
        // The ratio 400m/100m = 4 breaks the LimitRange before any quota.
        let o = run(
            admit_answer,
            &m,
            ask("edge/cache", "b", "rejected_by"),
            json!({"b": "ratio"}),
        );
        assert!(o.passed, "{}", o.detail);
        let o = run(
            admit_answer,
            &m,
            ask("edge/cache", "r", "resources"),
            json!({"r": "cpu"}),
        );
        assert!(o.passed, "{}", o.detail);
        let o = run(
            admit_answer,
            &m,
            ask("edge/cache", "r", "resources"),
            json!({}),
        );
        assert!(!o.passed && o.detail.contains("no answer"));
    }

    #[test]
    fn quota_hard_takes_the_lowest_cap_and_compares_quantities() {
        let m = model(
            r#"
apiVersion: v1
kind: ResourceQuota
metadata: {name: counts, namespace: t}
spec:
  hard: {count/deployments: "5", pods: "20", services.loadbalancers: 0}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: small, namespace: t}
spec:
  hard: {pods: "10", count/configmaps: "7"}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: be, namespace: t}
spec:
  hard: {pods: "3"}
  scopes: [BestEffort]
"#,
        );
        let hard = |h: serde_json::Value| json!({"namespace": "t", "hard": h});
        assert!(run(quota_hard, &m, hard(json!({"pods": "10"})), json!({})).passed);
        assert!(
            run(
                quota_hard,
                &m,
                hard(json!({"services.loadbalancers": "0m"})),
                json!({})
            )
            .passed
        );
        let o = run(quota_hard, &m, hard(json!({"pods": "20"})), json!({}));
        assert!(
            !o.passed && o.detail.contains("small caps pods at 10"),
            "{}",
            o.detail
        );
        let o = run(
            quota_hard,
            &m,
            hard(json!({"count/deployments.apps": "5"})),
            json!({}),
        );
        assert!(
            !o.passed
                && o.detail
                    .contains("count/deployments: the resource name must be exactly"),
            "{}",
            o.detail
        );
        // Only names of the same resource are offered, not every count/ name.
        assert!(!o.detail.contains("count/configmaps"), "{}", o.detail);
        // null: nothing may cap it.
        let o = run(quota_hard, &m, hard(json!({"services": null})), json!({}));
        assert!(o.passed, "{}", o.detail);
        let o = run(quota_hard, &m, hard(json!({"pods": null})), json!({}));
        assert!(
            !o.passed && o.detail.contains("leaves unlimited"),
            "{}",
            o.detail
        );
        // configmaps and count/configmaps are one counter.
        assert!(run(quota_hard, &m, hard(json!({"configmaps": "7"})), json!({})).passed);
        let scoped = json!({"namespace": "t", "hard": {"pods": "3"}, "scopes": ["BestEffort"]});
        assert!(run(quota_hard, &m, scoped, json!({})).passed);
        let other = json!({"namespace": "u", "hard": {"pods": "3"}});
        assert!(!run(quota_hard, &m, other, json!({})).passed);
    }

    #[test]
    fn object_names_in_answers() {
        let b = "ResourceQuota/shop/compute";
        assert!(names_object("compute", b));
        assert!(names_object("resourcequota/compute", b));
        assert!(names_object("quota/shop/compute", b));
        assert!(!names_object("quota/dev/compute", b));
        assert!(!names_object("limitrange/compute", b));
        assert!(names_object("limits/defaults", "LimitRange/shop/defaults"));
    }
}
