//! Pod Security checkers: an object is admitted (or denied, or warned
//! about) under its namespace's labels or at a given level, or violates
//! exactly a set of checks (or the learner's answer names them); a
//! namespace's labels resolve to the policy the task asks for; a
//! container runs with the security context the task asks for (pod and
//! container settings merged as the kubelet does); a path in a container
//! is backed by the kind of volume asked for.

use super::basic::ObjectSel;
use super::registry::{Checker, Ctx, Outcome, params};
use crate::engines::podsec::admission::Outcome as Admitted;
use crate::engines::podsec::api::{self, Level, Policy, policy_to_evaluate};
use crate::engines::podsec::context::effective;
use crate::engines::podsec::review::pod_spec_of;
use crate::engines::podsec::{Subject, forbidden_detail, review_model};
use crate::model::FieldPath;
use k8s_openapi::api::core::v1::AppArmorProfile;
use k8s_openapi::api::core::v1::Namespace;
use serde::Deserialize;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "podsec",
        about: "a Pod or workload is allowed / denied / warned about by PodSecurity admission (namespace labels, or a given level), or violates exactly these check IDs",
        run: podsec,
    },
    Checker {
        name: "podsec-answer",
        about: "the learner's answer says whether a Pod or workload meets a level, or lists exactly the check IDs it violates there",
        run: podsec_answer,
    },
    Checker {
        name: "security-context",
        about: "a container's effective security context (its own settings over the pod's) has these values",
        run: security_context,
    },
    Checker {
        name: "mount",
        about: "a container mounts a volume of this type (emptyDir, configMap, ...) at this path, writable or read-only",
        run: mount,
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

fn find_review<'a>(
    reviews: &'a [crate::engines::podsec::ObjectReview<'a>],
    sel: &ObjectSel,
) -> Option<&'a crate::engines::podsec::ObjectReview<'a>> {
    reviews.iter().find(|r| {
        let id = r.id();
        id.kind == sel.kind
            && id.name == sel.name
            && (sel.namespace.is_none() || id.namespace == sel.namespace)
    })
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Asked {
    /// Does it meet the level? (`true`/`false`, `yes`/`no`)
    Allowed,
    /// Which check IDs fail (a list; `[]` when none).
    Checks,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PodsecAnswerParams {
    #[serde(flatten)]
    object: ObjectSel,
    /// Judge at this level instead of the namespace's labels.
    #[serde(default)]
    level: Option<String>,
    key: String,
    about: Asked,
}

fn podsec_answer(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let pp: PodsecAnswerParams = params(p)?;
    let level = pp
        .level
        .as_deref()
        .map(Level::parse)
        .transpose()
        .map_err(|e| format!("bad parameters: level {e}"))?;
    let reviews = review_model(ctx.model, level);
    let r = find_review(&reviews, &pp.object)
        .ok_or_else(|| format!("bad parameters: no {} found", pp.object.describe()))?;
    let adm = &r.admission;
    let lv = adm.enforce;
    let Some(given) = ctx.answers.get(&pp.key) else {
        return Ok(Outcome::fail(format!(
            "no answer under `{}:` in your answer file",
            pp.key
        )));
    };
    let wrong = |why: String| Ok(Outcome::fail(format!("{}: {why}", pp.key)));
    match pp.about {
        Asked::Allowed => {
            let b = match given {
                serde_json::Value::Bool(b) => Some(*b),
                serde_json::Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                    "yes" | "true" | "allowed" => Some(true),
                    "no" | "false" | "denied" | "forbidden" => Some(false),
                    _ => None,
                },
                _ => None,
            };
            match b {
                None => wrong(format!("answer true or false, not {given}")),
                Some(b) if b == adm.allowed => Ok(Outcome::pass(if adm.allowed {
                    format!("{} meets {lv}", r.id())
                } else {
                    format!("{} violates {lv}", r.id())
                })),
                Some(_) if adm.allowed => wrong(format!(
                    "not right: {} meets {lv}; look again at what that level actually forbids",
                    r.id()
                )),
                Some(_) => wrong(format!(
                    "not right: {} violates {lv} ({} check(s) fail)",
                    r.id(),
                    adm.violations.len()
                )),
            }
        }
        Asked::Checks => {
            let list: Option<Vec<String>> = match given {
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map(|s| s.trim().to_string()))
                    .collect(),
                serde_json::Value::Null => Some(Vec::new()),
                serde_json::Value::String(s) => Some(
                    s.split([',', ' '])
                        .filter(|p| !p.is_empty())
                        .map(str::to_string)
                        .collect(),
                ),
                _ => None,
            };
            let Some(list) = list else {
                return wrong(format!("answer with a list of check IDs, not {given}"));
            };
            let norm = |s: &str| s.to_ascii_lowercase();
            let got: std::collections::BTreeSet<String> = list.iter().map(|s| norm(s)).collect();
            let want: std::collections::BTreeSet<String> =
                adm.violations.iter().map(|v| norm(v.check)).collect();
            if got == want {
                return Ok(Outcome::pass(format!(
                    "{} violates [{}] at {lv}",
                    r.id(),
                    adm.violations
                        .iter()
                        .map(|v| v.check)
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            let known: std::collections::BTreeSet<String> =
                crate::engines::podsec::registry::CHECKS
                    .iter()
                    .map(|c| norm(c.id))
                    .collect();
            let mut why = Vec::new();
            let unknown: Vec<&str> = list
                .iter()
                .filter(|s| !known.contains(&norm(s)))
                .map(String::as_str)
                .collect();
            if !unknown.is_empty() {
                why.push(format!(
                    "{} is not a check ID (use the IDs the task lists)",
                    unknown.join(", ")
                ));
            }
            let extra: Vec<&str> = list
                .iter()
                .filter(|s| known.contains(&norm(s)) && !want.contains(&norm(s)))
                .map(String::as_str)
                .collect();
            why.extend(extra.iter().map(|id| not_reported(id, lv)));
            let missed = want.difference(&got).count();
            if missed > 0 {
                why.push(format!(
                    "{missed} failing check(s) are missing from your list"
                ));
            }
            wrong(why.join("; "))
        }
    }
}

/// Why a real check ID the learner listed is not among the failures at
/// `lv`: it belongs to a stricter level, a restricted check reports in its
/// place (upstream: policy/registry.go drops the baseline checks a
/// restricted check overrides), or it simply passes.
fn not_reported(id: &str, lv: api::LevelVersion) -> String {
    use crate::engines::podsec::registry::CHECKS;
    let minor = lv.version.effective_minor();
    let def = CHECKS.iter().find(|c| c.id.eq_ignore_ascii_case(id));
    if let Some(d) = def
        && d.level == Level::Restricted
        && lv.level != Level::Restricted
    {
        return format!("{id} is a restricted check: {lv} does not run it");
    }
    if lv.level == Level::Restricted
        && let Some(by) = CHECKS.iter().find(|c| {
            c.level == Level::Restricted
                && c.at(minor)
                    .is_some_and(|v| v.overrides.iter().any(|o| o.eq_ignore_ascii_case(id)))
        })
    {
        return format!(
            "{id} is not reported at {lv}: {} replaces it (and reports what it would have found)",
            by.id
        );
    }
    format!("{id} passes at {lv}")
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ProfileExpect {
    #[serde(rename = "type")]
    type_: String,
    #[serde(default)]
    localhost_profile: Option<String>,
    /// AppArmor: only the securityContext field counts, not the deprecated
    /// per-container annotation (for tasks that ask for the 1.30+ field).
    #[serde(default)]
    field_only: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CapsExpect {
    /// `drop` contains `ALL`.
    #[serde(default)]
    drops_all: Option<bool>,
    /// `add` holds exactly these (order does not matter).
    #[serde(default)]
    add: Option<Vec<String>>,
}

/// Values the container must run with; unset fields are not judged.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ContextExpect {
    #[serde(default)]
    run_as_user: Option<i64>,
    #[serde(default)]
    run_as_group: Option<i64>,
    #[serde(default)]
    run_as_non_root: Option<bool>,
    /// Pod level only.
    #[serde(default)]
    fs_group: Option<i64>,
    #[serde(default)]
    privileged: Option<bool>,
    #[serde(default)]
    allow_privilege_escalation: Option<bool>,
    #[serde(default)]
    read_only_root_filesystem: Option<bool>,
    #[serde(default)]
    seccomp_profile: Option<ProfileExpect>,
    #[serde(default)]
    app_armor_profile: Option<ProfileExpect>,
    #[serde(default)]
    capabilities: Option<CapsExpect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextParams {
    #[serde(flatten)]
    object: ObjectSel,
    container: String,
    expect: ContextExpect,
}

/// The API server's AppArmor version skew handling on pod create
/// (pkg/registry/core/pod/strategy.go applyAppArmorVersionSkew): a
/// container with the deprecated annotation and no field gets the field
/// from the annotation.
fn app_armor_from_annotation(value: &str) -> Option<AppArmorProfile> {
    let v = value.trim();
    let (t, p) = match v {
        "runtime/default" => ("RuntimeDefault", None),
        "unconfined" => ("Unconfined", None),
        _ => ("Localhost", Some(v.strip_prefix("localhost/")?.to_string())),
    };
    Some(AppArmorProfile {
        type_: t.into(),
        localhost_profile: p,
    })
}

fn show_profile(t: &str, p: Option<&str>) -> String {
    match p {
        Some(p) => format!("{t} {p}"),
        None => t.to_string(),
    }
}

fn security_context(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let cp: ContextParams = params(p)?;
    let Some(object) = cp.object.find(ctx) else {
        return Ok(Outcome::fail(format!("no {} found", cp.object.describe())));
    };
    let Some((meta, spec, source, spec_path)) = pod_spec_of(&object.typed) else {
        return Err(format!("bad parameters: {} has no pod spec", object.id));
    };
    let subject = Subject {
        meta,
        spec: spec.0,
        source,
    };
    let all = effective(&subject);
    let Some(eff) = all.iter().find(|e| e.container == cp.container) else {
        return Ok(
            Outcome::fail(format!("{} has no container {}", object.id, cp.container))
                .at(object.locate(&spec_path.field("containers"))),
        );
    };
    let annotation = meta
        .annotations
        .as_ref()
        .and_then(|a| a.get(&format!("{APPARMOR_ANNOTATION_PREFIX}{}", cp.container)));
    let ctr_sc = subject
        .containers()
        .find(|c| c.name == cp.container)
        .map(|c| (c.list_field(), c.index, c.security_context));
    let app_armor: Option<AppArmorProfile> = match (
        ctr_sc
            .and_then(|c| c.2)
            .and_then(|s| s.app_armor_profile.clone()),
        annotation,
    ) {
        (Some(f), _) => Some(f),
        (None, Some(a)) => app_armor_from_annotation(a)
            .or_else(|| eff.app_armor_profile.as_ref().map(|s| s.value.clone())),
        (None, None) => eff.app_armor_profile.as_ref().map(|s| s.value.clone()),
    };
    let e = &cp.expect;
    let mut wrong: Vec<String> = Vec::new();
    let mut right: Vec<String> = Vec::new();
    let mut judge = |name: &str, want: String, got: Option<String>, unset: &str| match got {
        Some(g) if g == want => right.push(format!("{name} is {g}")),
        Some(g) => wrong.push(format!("{name} is {g}, expected {want}")),
        None => wrong.push(format!("{name} is not set ({unset}), expected {want}")),
    };
    if let Some(w) = e.run_as_user {
        judge(
            "runAsUser",
            w.to_string(),
            eff.run_as_user.as_ref().map(|s| s.value.to_string()),
            "the image's user runs",
        );
    }
    if let Some(w) = e.run_as_group {
        judge(
            "runAsGroup",
            w.to_string(),
            eff.run_as_group.as_ref().map(|s| s.value.to_string()),
            "the image's group is used",
        );
    }
    if let Some(w) = e.run_as_non_root {
        judge(
            "runAsNonRoot",
            w.to_string(),
            eff.run_as_non_root.as_ref().map(|s| s.value.to_string()),
            "nothing stops a root user",
        );
    }
    if let Some(w) = e.fs_group {
        judge(
            "fsGroup",
            w.to_string(),
            spec.0
                .security_context
                .as_ref()
                .and_then(|s| s.fs_group)
                .map(|g| g.to_string()),
            "fsGroup exists only in the pod's securityContext",
        );
    }
    if let Some(w) = e.privileged {
        judge(
            "privileged",
            w.to_string(),
            Some(eff.privileged.unwrap_or(false).to_string()),
            "",
        );
    }
    if let Some(w) = e.allow_privilege_escalation {
        judge(
            "allowPrivilegeEscalation",
            w.to_string(),
            eff.allow_privilege_escalation.map(|b| b.to_string()),
            "a process may gain privileges through setuid binaries",
        );
    }
    if let Some(w) = e.read_only_root_filesystem {
        judge(
            "readOnlyRootFilesystem",
            w.to_string(),
            Some(eff.read_only_root_filesystem.unwrap_or(false).to_string()),
            "",
        );
    }
    if let Some(w) = &e.seccomp_profile {
        judge(
            "seccompProfile",
            show_profile(&w.type_, w.localhost_profile.as_deref()),
            eff.seccomp_profile
                .as_ref()
                .map(|s| show_profile(&s.value.type_, s.value.localhost_profile.as_deref())),
            "the container runtime's choice, often Unconfined",
        );
    }
    if let Some(w) = &e.app_armor_profile {
        // The field as written: the container's own, else the pod's.
        let from_field: Option<AppArmorProfile> =
            eff.app_armor_profile.as_ref().map(|s| s.value.clone());
        let want = show_profile(&w.type_, w.localhost_profile.as_deref());
        if w.field_only && from_field.is_none() && annotation.is_some() {
            wrong.push(format!(
                "appArmorProfile is set only by the annotation {APPARMOR_ANNOTATION_PREFIX}{}, deprecated since Kubernetes 1.30; set securityContext.appArmorProfile to {want}",
                cp.container
            ));
        } else {
            judge(
                "appArmorProfile",
                want,
                if w.field_only { from_field } else { app_armor }
                    .as_ref()
                    .map(|a| show_profile(&a.type_, a.localhost_profile.as_deref())),
                "the runtime default applies",
            );
        }
    }
    if let Some(w) = &e.capabilities {
        let caps = eff.capabilities.as_ref();
        if let Some(want_all) = w.drops_all {
            let drops = caps
                .and_then(|c| c.drop.as_ref())
                .is_some_and(|d| d.iter().any(|x| x == "ALL"));
            if drops == want_all {
                right.push(format!(
                    "capabilities.drop {} ALL",
                    if drops { "has" } else { "lacks" }
                ));
            } else if want_all {
                wrong.push(
                    "capabilities.drop does not contain ALL (names are upper case, without CAP_)"
                        .into(),
                );
            } else {
                wrong.push("capabilities.drop contains ALL".into());
            }
        }
        if let Some(want) = &w.add {
            let mut got: Vec<String> = caps.and_then(|c| c.add.clone()).unwrap_or_default();
            got.sort();
            got.dedup();
            let mut want = want.clone();
            want.sort();
            if got == want {
                right.push(format!("capabilities.add is [{}]", got.join(", ")));
            } else {
                wrong.push(format!(
                    "capabilities.add is [{}], expected [{}]",
                    got.join(", "),
                    want.join(", ")
                ));
            }
        }
    }
    let at = match ctr_sc {
        Some((list, i, _)) => object
            .locate(&spec_path.field(list).index(i).field("securityContext"))
            .or_else(|| object.locate(&spec_path.field(list).index(i))),
        None => object.locate(&spec_path),
    };
    Ok(if wrong.is_empty() {
        Outcome::pass(format!("container {}: {}", cp.container, right.join(", "))).at(at)
    } else {
        Outcome::fail(format!("container {}: {}", cp.container, wrong.join("; "))).at(at)
    })
}

const APPARMOR_ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MountParams {
    #[serde(flatten)]
    object: ObjectSel,
    container: String,
    path: String,
    /// Volume source field name: `emptyDir`, `configMap`, `secret`, ...
    volume: String,
    /// With `true`, the mount must not be read-only; with `false`, it must be.
    #[serde(default)]
    writable: Option<bool>,
}

/// A volume's source, by its field name.
fn volume_type(v: &k8s_openapi::api::core::v1::Volume) -> String {
    let json = serde_json::to_value(v).unwrap_or_default();
    json.as_object()
        .and_then(|m| m.keys().find(|k| k.as_str() != "name").cloned())
        // A volume with no source is an emptyDir (SetDefaults_Volume).
        .unwrap_or_else(|| "emptyDir".into())
}

fn mount(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let mp: MountParams = params(p)?;
    let Some(object) = mp.object.find(ctx) else {
        return Ok(Outcome::fail(format!("no {} found", mp.object.describe())));
    };
    let Some((_, spec, _, spec_path)) = pod_spec_of(&object.typed) else {
        return Err(format!("bad parameters: {} has no pod spec", object.id));
    };
    let spec = spec.0;
    let lists = [
        (
            "initContainers",
            spec.init_containers.as_deref().unwrap_or(&[]),
        ),
        ("containers", spec.containers.as_slice()),
    ];
    let found = lists.iter().find_map(|(list, cs)| {
        cs.iter()
            .position(|c| c.name == mp.container)
            .map(|i| (*list, i, &cs[i]))
    });
    let Some((list, i, c)) = found else {
        return Ok(Outcome::fail(format!(
            "{} has no container {}",
            object.id, mp.container
        )));
    };
    let norm = |s: &str| {
        let t = s.trim_end_matches('/');
        if t.is_empty() {
            "/".to_string()
        } else {
            t.to_string()
        }
    };
    let want_path = norm(&mp.path);
    let mounts = c.volume_mounts.as_deref().unwrap_or(&[]);
    let at_mounts = object
        .locate(&spec_path.field(list).index(i).field("volumeMounts"))
        .or_else(|| object.locate(&spec_path.field(list).index(i)));
    let Some((mi, m)) = mounts
        .iter()
        .enumerate()
        .find(|(_, m)| norm(&m.mount_path) == want_path)
    else {
        let paths: Vec<&str> = mounts.iter().map(|m| m.mount_path.as_str()).collect();
        return Ok(Outcome::fail(format!(
            "container {} mounts nothing at {want_path}{}",
            mp.container,
            if paths.is_empty() {
                String::new()
            } else {
                format!(" (it mounts {})", paths.join(", "))
            }
        ))
        .at(at_mounts));
    };
    let at = object.locate(
        &spec_path
            .field(list)
            .index(i)
            .field("volumeMounts")
            .index(mi),
    );
    let Some(vol) = spec.volumes.iter().flatten().find(|v| v.name == m.name) else {
        return Ok(Outcome::fail(format!(
            "the mount at {want_path} names volume {}, which the pod does not define",
            m.name
        ))
        .at(at));
    };
    let t = volume_type(vol);
    if t != mp.volume {
        return Ok(Outcome::fail(format!(
            "{want_path} in container {} is volume {} of type {t}, not {}",
            mp.container, m.name, mp.volume
        ))
        .at(at));
    }
    let read_only = m.read_only.unwrap_or(false);
    if let Some(w) = mp.writable
        && w == read_only
    {
        return Ok(Outcome::fail(format!(
            "{want_path} in container {} is mounted {}",
            mp.container,
            if read_only {
                "readOnly: the application cannot write there"
            } else {
                "writable"
            }
        ))
        .at(at));
    }
    Ok(Outcome::pass(format!(
        "container {} has {} volume {} at {want_path}{}",
        mp.container,
        t,
        m.name,
        if read_only { " (read-only)" } else { "" }
    ))
    .at(at))
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{model, run};
    use super::*;
    use serde_json::json;

    const STATE: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: app
  annotations:
    container.apparmor.security.beta.kubernetes.io/side: localhost/k8s-side
spec:
  securityContext:
    runAsUser: 1000
    runAsNonRoot: true
    fsGroup: 2000
    seccompProfile: {type: RuntimeDefault}
  volumes:
  - name: data
    emptyDir: {}
  - name: host
    hostPath: {path: /var/log}
  containers:
  - name: main
    image: nginx
    securityContext:
      readOnlyRootFilesystem: true
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
    volumeMounts:
    - {name: data, mountPath: /data/}
    - {name: host, mountPath: /logs}
  - name: side
    image: busybox
    securityContext:
      runAsUser: 0
      privileged: true
    volumeMounts:
    - {name: data, mountPath: /data, readOnly: true}
"#;

    fn ctx_params(container: &str, expect: serde_json::Value) -> serde_json::Value {
        json!({"kind": "Pod", "namespace": "app", "name": "web", "container": container, "expect": expect})
    }

    // The kubelet's merge (pkg/securitycontext/util.go
    // DetermineEffectiveSecurityContext): a container's own field wins,
    // otherwise the pod's applies.
    #[test]
    fn security_context_merges_pod_and_container() {
        let m = model(STATE);
        let ok = run(
            security_context,
            &m,
            ctx_params(
                "main",
                json!({"runAsUser": 1000, "runAsNonRoot": true, "fsGroup": 2000,
                    "readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false,
                    "seccompProfile": {"type": "RuntimeDefault"},
                    "capabilities": {"dropsAll": true, "add": ["NET_BIND_SERVICE"]}}),
            ),
            json!({}),
        );
        assert!(ok.passed, "{}", ok.detail);
        let side = run(
            security_context,
            &m,
            ctx_params("side", json!({"runAsUser": 1000, "privileged": false})),
            json!({}),
        );
        assert!(!side.passed);
        assert!(
            side.detail.contains("runAsUser is 0, expected 1000"),
            "{}",
            side.detail
        );
        assert!(
            side.detail.contains("privileged is true"),
            "{}",
            side.detail
        );
        let caps = run(
            security_context,
            &m,
            ctx_params("side", json!({"capabilities": {"dropsAll": true}})),
            json!({}),
        );
        assert!(
            !caps.passed && caps.detail.contains("does not contain ALL"),
            "{}",
            caps.detail
        );
        let rofs = run(
            security_context,
            &m,
            ctx_params("side", json!({"readOnlyRootFilesystem": true})),
            json!({}),
        );
        assert!(!rofs.passed, "{}", rofs.detail);
        let missing = run(
            security_context,
            &m,
            ctx_params("nope", json!({})),
            json!({}),
        );
        assert!(!missing.passed && missing.detail.contains("no container nope"));
    }

    // pkg/registry/core/pod/strategy.go applyAppArmorVersionSkew: the
    // deprecated per-container annotation becomes the field on create.
    #[test]
    fn app_armor_annotation_counts_as_the_field() {
        let m = model(STATE);
        let o = run(
            security_context,
            &m,
            ctx_params(
                "side",
                json!({"appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-side"}}),
            ),
            json!({}),
        );
        assert!(o.passed, "{}", o.detail);
        let o = run(
            security_context,
            &m,
            ctx_params(
                "main",
                json!({"appArmorProfile": {"type": "RuntimeDefault"}}),
            ),
            json!({}),
        );
        assert!(!o.passed && o.detail.contains("not set"), "{}", o.detail);
        // A task that asks for the field does not take the annotation.
        let o = run(
            security_context,
            &m,
            ctx_params(
                "side",
                json!({"appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-side",
                    "fieldOnly": true}}),
            ),
            json!({}),
        );
        assert!(
            !o.passed && o.detail.contains("only by the annotation"),
            "{}",
            o.detail
        );
        // The pod-level field covers every container (upstream: AppArmor
        // tutorial, kubernetes.io/docs/tutorials/security/apparmor).
        let pod_level = model(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: app}\nspec:\n  securityContext:\n    appArmorProfile: {type: Localhost, localhostProfile: k8s-side}\n  containers:\n  - {name: side, image: busybox}\n",
        );
        let o = run(
            security_context,
            &pod_level,
            ctx_params(
                "side",
                json!({"appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-side",
                    "fieldOnly": true}}),
            ),
            json!({}),
        );
        assert!(o.passed, "{}", o.detail);
        assert_eq!(
            app_armor_from_annotation("runtime/default").map(|p| p.type_),
            Some("RuntimeDefault".to_string())
        );
        assert!(app_armor_from_annotation("bogus").is_none());
    }

    #[test]
    fn mount_judges_type_path_and_writability() {
        let m = model(STATE);
        let p = |c: &str, path: &str, vol: &str, w: bool| {
            json!({"kind": "Pod", "namespace": "app", "name": "web", "container": c,
                "path": path, "volume": vol, "writable": w})
        };
        // A trailing slash names the same path.
        let ok = run(mount, &m, p("main", "/data", "emptyDir", true), json!({}));
        assert!(ok.passed, "{}", ok.detail);
        let ro = run(mount, &m, p("side", "/data/", "emptyDir", true), json!({}));
        assert!(
            !ro.passed && ro.detail.contains("readOnly"),
            "{}",
            ro.detail
        );
        assert!(run(mount, &m, p("side", "/data", "emptyDir", false), json!({})).passed);
        let host = run(mount, &m, p("main", "/logs", "emptyDir", true), json!({}));
        assert!(
            !host.passed && host.detail.contains("of type hostPath"),
            "{}",
            host.detail
        );
        let none = run(mount, &m, p("main", "/tmp", "emptyDir", true), json!({}));
        assert!(
            !none.passed && none.detail.contains("mounts nothing at /tmp"),
            "{}",
            none.detail
        );
    }

    // The side container is privileged and runs as root: baseline fails
    // `privileged` alone (runAsUser is a restricted check).
    // upstream: pod-security-admission policy/check_privileged.go.
    #[test]
    fn podsec_answer_compares_verdict_and_check_ids() {
        let m = model(STATE);
        let ask = |about: &str| {
            json!({"kind": "Pod", "namespace": "app", "name": "web", "level": "baseline",
                "key": "a", "about": about})
        };
        assert!(run(podsec_answer, &m, ask("allowed"), json!({"a": false})).passed);
        assert!(run(podsec_answer, &m, ask("allowed"), json!({"a": "no"})).passed);
        assert!(!run(podsec_answer, &m, ask("allowed"), json!({"a": true})).passed);
        let got: Outcome = run(
            podsec_answer,
            &m,
            ask("checks"),
            json!({"a": ["privileged", "hostPathVolumes"]}),
        );
        assert!(got.passed, "{}", got.detail);
        let extra = run(
            podsec_answer,
            &m,
            ask("checks"),
            json!({"a": ["privileged", "hostPathVolumes", "runAsNonRoot"]}),
        );
        assert!(
            !extra.passed
                && extra.detail.contains(
                    "runAsNonRoot is a restricted check: baseline:latest does not run it"
                ),
            "{}",
            extra.detail
        );
        let passing = run(
            podsec_answer,
            &m,
            ask("checks"),
            json!({"a": ["privileged", "hostPathVolumes", "hostPorts"]}),
        );
        assert!(
            !passing.passed
                && passing
                    .detail
                    .contains("hostPorts passes at baseline:latest"),
            "{}",
            passing.detail
        );
        let short = run(
            podsec_answer,
            &m,
            ask("checks"),
            json!({"a": ["privileged"]}),
        );
        assert!(
            !short.passed && short.detail.contains("1 failing check(s)"),
            "{}",
            short.detail
        );
        let bogus = run(podsec_answer, &m, ask("checks"), json!({"a": ["root"]}));
        assert!(
            !bogus.passed && bogus.detail.contains("root is not a check ID"),
            "{}",
            bogus.detail
        );
        let none = run(podsec_answer, &m, ask("checks"), json!({}));
        assert!(!none.passed && none.detail.contains("no answer"));
    }

    // At restricted, restrictedVolumes replaces hostPathVolumes and
    // capabilities_restricted replaces capabilities_baseline: the baseline
    // IDs are not reported even though the pod breaks them.
    // upstream: pod-security-admission policy/check_restrictedVolumes.go and
    // check_capabilities_restricted.go (OverrideCheckIDs), policy/registry.go.
    #[test]
    fn podsec_answer_explains_overridden_baseline_ids() {
        let m = model(STATE);
        let ask = json!({"kind": "Pod", "namespace": "app", "name": "web", "level": "restricted",
            "key": "a", "about": "checks"});
        let got = run(
            podsec_answer,
            &m,
            ask.clone(),
            json!({"a": ["hostPathVolumes", "privileged"]}),
        );
        assert!(!got.passed);
        assert!(
            got.detail.contains(
                "hostPathVolumes is not reported at restricted:latest: restrictedVolumes replaces it"
            ),
            "{}",
            got.detail
        );
        let right = run(
            podsec_answer,
            &m,
            ask,
            json!({"a": ["privileged", "allowPrivilegeEscalation", "capabilities_restricted",
                "restrictedVolumes", "runAsUser"]}),
        );
        assert!(right.passed, "{}", right.detail);
    }
}
