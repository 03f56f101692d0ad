//! Pod Security checkers: an object is admitted (or denied, or warned
//! about) under its namespace's labels or at a given level, or violates
//! exactly a set of checks; a namespace's labels resolve to the policy the
//! task asks for.

use super::basic::ObjectSel;
use super::registry::{Checker, Ctx, Outcome, params};
use crate::engines::podsec::admission::Outcome as Admitted;
use crate::engines::podsec::api::{self, Level, Policy, policy_to_evaluate};
use crate::engines::podsec::{forbidden_detail, review_model};
use crate::model::FieldPath;
use k8s_openapi::api::core::v1::Namespace;
use serde::Deserialize;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "podsec",
        about: "a Pod or workload is allowed / denied / warned about by PodSecurity admission (namespace labels, or a given level), or violates exactly these check IDs",
        run: podsec,
    },
    Checker {
        name: "podsec-namespace",
        about: "a namespace's pod-security.kubernetes.io labels resolve to these enforce / warn / audit levels (and versions), as the admission plugin reads them",
        run: podsec_namespace,
    },
];

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Expect {
    /// Meets the level (a Pod is admitted; a workload's pods would be).
    Allowed,
    /// Does not meet the level.
    Violates,
    /// A Pod is rejected.
    Denied,
    /// Admitted with a warning.
    Warned,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PodsecParams {
    #[serde(flatten)]
    object: ObjectSel,
    /// Judge at this level instead of the namespace's labels.
    #[serde(default)]
    level: Option<String>,
    expect: Expect,
    /// With `violates`: exactly these check IDs fail.
    #[serde(default)]
    checks: Option<Vec<String>>,
}

fn podsec(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let pp: PodsecParams = params(p)?;
    let level = pp
        .level
        .as_deref()
        .map(Level::parse)
        .transpose()
        .map_err(|e| format!("bad parameters: level {e}"))?;
    let reviews = review_model(ctx.model, level);
    let Some(r) = reviews.iter().find(|r| {
        let id = r.id();
        id.kind == pp.object.kind
            && id.name == pp.object.name
            && (pp.object.namespace.is_none() || id.namespace == pp.object.namespace)
    }) else {
        return Ok(Outcome::fail(format!("no {} found", pp.object.describe())));
    };
    let adm = &r.admission;
    let loc = r.object.locate(&r.spec_path);
    let detail = forbidden_detail(&adm.violations);
    let lv = adm.enforce;
    let ok = match pp.expect {
        Expect::Allowed => adm.allowed,
        Expect::Violates => !adm.allowed,
        Expect::Denied => adm.outcome == Admitted::Denied,
        Expect::Warned => adm.outcome == Admitted::Warned,
    };
    if let (true, Some(want)) = (ok, &pp.checks) {
        let mut got: Vec<&str> = adm.violations.iter().map(|v| v.check).collect();
        let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
        got.sort_unstable();
        want.sort_unstable();
        if got != want {
            return Ok(Outcome::fail(format!(
                "{} violates [{}] at {lv}, expected [{}]: {detail}",
                r.id(),
                got.join(", "),
                want.join(", ")
            ))
            .at(loc));
        }
    }
    let state = if adm.allowed {
        format!("{} meets {lv}", r.id())
    } else {
        format!("{} would violate PodSecurity \"{lv}\": {detail}", r.id())
    };
    let warned = adm
        .warnings
        .first()
        .map(|w| format!("; kubectl warns: {w}"))
        .unwrap_or_default();
    Ok(if ok {
        Outcome::pass(format!("{state}{warned}")).at(loc)
    } else {
        let why = if pp.expect == Expect::Warned && adm.outcome == Admitted::Admitted {
            "; no warning is printed: the namespace's warn level is not stricter than what the object meets"
        } else {
            ""
        };
        Outcome::fail(format!("{state}{warned}{why}")).at(loc)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamespaceParams {
    namespace: String,
    #[serde(default)]
    enforce: Option<String>,
    #[serde(default)]
    warn: Option<String>,
    #[serde(default)]
    audit: Option<String>,
}

fn podsec_namespace(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let np: NamespaceParams = params(p)?;
    let Some(ns) = ctx.model.find::<Namespace>(None, &np.namespace) else {
        return Ok(Outcome::fail(format!("no Namespace \"{}\"", np.namespace)));
    };
    let labels = ns.obj.metadata.labels.as_ref();
    let (policy, errors) = policy_to_evaluate(labels, Policy::DEFAULT);
    let mut wrong = Vec::new();
    let mut right = Vec::new();
    for (mode, want, got, label) in [
        ("enforce", &np.enforce, policy.enforce, api::ENFORCE_LABEL),
        ("warn", &np.warn, policy.warn, api::WARN_LABEL),
        ("audit", &np.audit, policy.audit, api::AUDIT_LABEL),
    ] {
        let Some(want) = want else { continue };
        let matches = match want.split_once(':') {
            Some((l, v)) => got.level.as_str() == l && got.version.to_string() == v,
            None => got.level.as_str() == want,
        };
        if matches {
            right.push(format!("{mode} is {got}"));
            continue;
        }
        let mut why = format!("{mode} is {got}, expected {want}");
        if let Some(e) = errors.iter().find(|e| e.label == label) {
            why.push_str(&format!(" (the label is ignored: {e})"));
        } else if !labels.is_some_and(|l| l.contains_key(label)) {
            why.push_str(&format!(" (no {label} label"));
            if mode == "warn" {
                why.push_str(", so warn follows enforce");
            }
            why.push(')');
        }
        wrong.push(why);
    }
    let loc = ns.locate(&FieldPath::root().field("metadata").field("labels"));
    Ok(if wrong.is_empty() {
        Outcome::pass(right.join("; ")).at(loc)
    } else {
        Outcome::fail(wrong.join("; ")).at(loc)
    })
}
