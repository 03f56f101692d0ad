//! RBAC checkers: ask the RBAC engine whether a user can do something
//! (`can-i`), or whether a user holds exactly a set of permissions in a
//! namespace and nothing beyond (`rbac-least-privilege`). Both see the
//! API server's default roles and bindings, so a RoleBinding to `view`
//! works as on a real cluster. Answers point at the binding or rule
//! responsible.

use super::registry::{Checker, Ctx, Outcome, params};
use crate::engines::rbac::explain::rule_text;
use crate::engines::rbac::privilege::{self, Allowed};
use crate::engines::rbac::resolve::resolve;
use crate::engines::rbac::{Attributes, Matched, Policy, UserInfo, explain};
use k8s_openapi::api::core::v1::Namespace;
use serde::Deserialize;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "can-i",
        about: "a user can (expect: true) or cannot (expect: false) make a request, as RBAC decides it; params: user, groups, verb, resource (or url), subresource, name, namespace (absent: cluster-wide), expect",
        run: can_i,
    },
    Checker {
        name: "rbac-least-privilege",
        about: "a user can do exactly the allowed set in a namespace and nothing beyond it, anywhere (the API server's default bindings aside); params: user, groups, namespace, allow: [{verbs, resource, subresource, names}]",
        run: least_privilege,
    },
];

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CanIParams {
    user: String,
    #[serde(default)]
    groups: Vec<String>,
    verb: String,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    subresource: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    namespace: Option<String>,
    expect: bool,
    /// Include the API server's default roles and bindings.
    #[serde(default = "yes")]
    defaults: bool,
}

/// A resource name from exercise parameters: a type kubectl resolves, or
/// an error (a typo in an exercise must not pass silently).
fn resource_of(arg: &str) -> Result<(String, String), String> {
    let rt = resolve(arg);
    match rt.warning {
        Some(w) => Err(format!("bad parameters: {w}")),
        None => Ok((rt.group, rt.resource)),
    }
}

fn request(p: &CanIParams) -> Result<Attributes, String> {
    let user = UserInfo::impersonated(&p.user, &p.groups);
    match (&p.resource, &p.url) {
        (Some(r), None) => {
            let (group, resource) = resource_of(r)?;
            Ok(Attributes::resource(user, &p.verb, &group, &resource)
                .with_subresource(p.subresource.as_deref().unwrap_or(""))
                .named(p.name.as_deref().unwrap_or(""))
                .in_namespace(p.namespace.as_deref().unwrap_or("")))
        }
        (None, Some(u)) => Ok(Attributes::non_resource(user, &p.verb, u)),
        _ => Err("bad parameters: give exactly one of resource and url".into()),
    }
}

/// `jane list pods in dev`, `jane get /healthz`.
fn describe(a: &Attributes) -> String {
    if !a.resource_request {
        return format!("{} {} {}", a.user.name, a.verb, a.path);
    }
    let mut target = a.resource.clone();
    if !a.api_group.is_empty() {
        target = format!("{target}.{}", a.api_group);
    }
    if !a.subresource.is_empty() {
        target = format!("{target}/{}", a.subresource);
    }
    let mut s = format!("{} {} {target}", a.user.name, a.verb);
    if !a.name.is_empty() {
        s.push_str(&format!(" named {}", a.name));
    }
    if a.namespace.is_empty() {
        s.push_str(" cluster-wide");
    } else {
        s.push_str(&format!(" in {}", a.namespace));
    }
    s
}

fn via(m: &Matched) -> String {
    let from = m
        .aggregated_from
        .as_ref()
        .map(|r| format!(", collected from {r}"))
        .unwrap_or_default();
    format!(
        "{} grants {} rule {}{from} ({})",
        m.binding,
        m.role,
        m.rule_index,
        rule_text(&m.rule)
    )
}

/// The learner's line for a match: the rule if the learner wrote it, else
/// the binding.
fn match_location(m: &Matched) -> Option<crate::model::Location> {
    if m.builtin {
        return None;
    }
    m.rule_location
        .clone()
        .filter(|l| !l.file.starts_with("assets/"))
        .or_else(|| m.binding_location.clone())
}

fn can_i(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let cp: CanIParams = params(p)?;
    let attrs = request(&cp)?;
    let policy = Policy::from_model(ctx.model, cp.defaults);
    let e = explain(&policy, &attrs);
    let d = &e.decision;
    let what = describe(&attrs);
    Ok(match (d.allowed, cp.expect) {
        (true, true) => {
            let m = d.matched.as_ref().ok_or("allowed without a match")?;
            Outcome::pass(format!("{what}: yes, {}", via(m))).at(match_location(m))
        }
        (false, false) => Outcome::pass(format!("{what}: no")),
        (true, false) => {
            let m = d.matched.as_ref().ok_or("allowed without a match")?;
            Outcome::fail(format!("{what}: yes, but it should not be: {}", via(m)))
                .at(match_location(m))
        }
        (false, true) => {
            let why = match e.misses.first() {
                Some(m) => m.message.clone(),
                None => e.notes.first().cloned().unwrap_or_else(|| d.reason.clone()),
            };
            let loc = e.misses.first().and_then(|m| m.location.clone());
            Outcome::fail(format!("{what}: no: {why}")).at(loc)
        }
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowParams {
    verbs: Vec<String>,
    resource: String,
    #[serde(default)]
    subresource: Option<String>,
    #[serde(default)]
    names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LeastParams {
    user: String,
    #[serde(default)]
    groups: Vec<String>,
    namespace: String,
    allow: Vec<AllowParams>,
}

/// One rule that grants too much: the match, and the verbs, targets and
/// namespaces it covers beyond the allowed set.
type ExcessGroup<'a> = (&'a Matched, Vec<String>, Vec<String>, Vec<String>);

/// Where excess grants apply, in words.
fn scope_text(scopes: &[String], target: &str) -> String {
    let mut parts = Vec::new();
    if scopes.iter().any(|s| s == ELSEWHERE) {
        parts.push("in every namespace".to_string());
    } else {
        let named: Vec<&str> = scopes
            .iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        if !named.is_empty() {
            parts.push(format!("in {}", named.join(", ")));
        }
    }
    if scopes.iter().any(|s| s.is_empty()) {
        parts.push("cluster-wide".to_string());
    }
    let _ = target;
    parts.join(" and ")
}

/// A namespace no object mentions: a grant there is a grant everywhere.
const ELSEWHERE: &str = "kubedojo-elsewhere";

/// How many excess grants a finding names.
const MAX_REPORTED: usize = 3;

fn least_privilege(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let lp: LeastParams = params(p)?;
    let user = UserInfo::impersonated(&lp.user, &lp.groups);
    let mut allowed = Vec::new();
    for a in &lp.allow {
        let (group, resource) = resource_of(&a.resource)?;
        allowed.push(Allowed {
            verbs: a.verbs.clone(),
            api_group: group,
            resource,
            subresource: a.subresource.clone().unwrap_or_default(),
            names: a.names.clone(),
        });
    }
    let policy = Policy::from_model(ctx.model, true);
    let missing = privilege::missing(&policy, &user, &lp.namespace, &allowed);
    if let Some(first) = missing.first() {
        let e = explain(&policy, first);
        let why = e
            .misses
            .first()
            .map(|m| m.message.clone())
            .or_else(|| e.notes.first().cloned())
            .unwrap_or_else(|| e.decision.reason.clone());
        return Ok(Outcome::fail(format!("{}: no: {why}", describe(first)))
            .at(e.misses.first().and_then(|m| m.location.clone())));
    }
    let mut elsewhere: Vec<String> = ctx
        .model
        .of::<Namespace>()
        .map(|n| n.id().name.clone())
        .chain(policy.namespaces())
        .collect();
    elsewhere.push(ELSEWHERE.into());
    elsewhere.sort();
    elsewhere.dedup();
    let excess = privilege::excess(&policy, &user, &lp.namespace, &allowed, &elsewhere);
    if excess.is_empty() {
        return Ok(Outcome::pass(format!(
            "{} can do exactly what was asked in {}, and nothing more",
            user.name, lp.namespace
        )));
    }
    // One line per rule that grants too much: its verbs, what they touch
    // and where.
    let mut groups: Vec<ExcessGroup> = Vec::new();
    for x in &excess {
        let key = (&x.matched.binding, &x.matched.role, x.matched.rule_index);
        let slot = match groups
            .iter()
            .position(|(m, ..)| (&m.binding, &m.role, m.rule_index) == key)
        {
            Some(i) => i,
            None => {
                groups.push((&x.matched, Vec::new(), Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        let (_, verbs, targets, scopes) = &mut groups[slot];
        for v in &x.verbs {
            if !verbs.contains(v) {
                verbs.push(v.clone());
            }
        }
        if !targets.contains(&x.target) {
            targets.push(x.target.clone());
        }
        if !scopes.contains(&x.namespace) {
            scopes.push(x.namespace.clone());
        }
    }
    let shown: Vec<String> = groups
        .iter()
        .take(MAX_REPORTED)
        .map(|(m, verbs, targets, scopes)| {
            let mut t: Vec<String> = targets.iter().take(4).cloned().collect();
            if targets.len() > 4 {
                t.push(format!("{} more", targets.len() - 4));
            }
            format!(
                "{} on {} {} (via {} → {} rule {})",
                verbs.join(", "),
                t.join(", "),
                scope_text(scopes, &lp.namespace),
                m.binding,
                m.role,
                m.rule_index
            )
        })
        .collect();
    let more = groups.len().saturating_sub(MAX_REPORTED);
    let tail = if more > 0 {
        format!("; and {more} more rules")
    } else {
        String::new()
    };
    Ok(Outcome::fail(format!(
        "{} can do more than asked: {}{tail}",
        user.name,
        shown.join("; ")
    ))
    .at(match_location(&excess[0].matched)))
}
