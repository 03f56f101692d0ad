//! RBAC checkers: ask the RBAC engine whether a user can do something
//! (`can-i`), or whether a user holds exactly a set of permissions in a
//! namespace and nothing beyond (`rbac-least-privilege`), or whether the
//! learner named exactly the subjects that may make a request
//! (`who-can-answer`). All see the API server's default roles (and, except
//! `who-can-answer`, its default bindings), so a RoleBinding to `view`
//! works as on a real cluster. Answers point at the binding or rule
//! responsible.

use super::registry::{Checker, Ctx, Outcome, answer_list, params};
use crate::engines::rbac::authorizer::resolve_role_ref;
use crate::engines::rbac::explain::rule_text;
use crate::engines::rbac::privilege::{self, Allowed};
use crate::engines::rbac::resolve::resolve_in;
use crate::engines::rbac::subjects::{self, Identity, SYSTEM_PRIVILEGED_GROUP};
use crate::engines::rbac::{Attributes, Matched, Policy, UserInfo, explain, rules_allow};
use crate::model::ClusterModel;
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
    Checker {
        name: "who-can-answer",
        about: "the learner's answer under answer_key lists exactly the subjects of one kind (User, Group or ServiceAccount as NS/NAME) that the bindings allow to make a request; system:masters aside, and the API server's default bindings aside unless defaults: true; params: verb, resource (or url), subresource, name, namespace, kind, answer_key, defaults",
        run: who_can_answer,
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

/// A resource name from exercise parameters: a type kubectl resolves (a
/// CRD in the model included), or an error (a typo in an exercise must not
/// pass silently).
fn resource_of(arg: &str, model: &ClusterModel) -> Result<(String, String), String> {
    let rt = resolve_in(arg, model);
    match rt.warning {
        Some(w) => Err(format!("bad parameters: {w}")),
        None => Ok((rt.group, rt.resource)),
    }
}

fn request(p: &CanIParams, model: &ClusterModel) -> Result<Attributes, String> {
    let user = UserInfo::impersonated(&p.user, &p.groups);
    match (&p.resource, &p.url) {
        (Some(r), None) => {
            let (group, resource) = resource_of(r, model)?;
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
    let attrs = request(&cp, ctx.model)?;
    let policy = ctx.rbac_policy(cp.defaults);
    let e = explain(policy, &attrs);
    let d = &e.decision;
    let what = describe(&attrs);
    // Allowed with no rule matched: the privileged group, before RBAC.
    let privileged = || e.notes.first().cloned().unwrap_or_else(|| d.reason.clone());
    Ok(match (d.allowed, cp.expect) {
        (true, true) => match d.matched.as_ref() {
            Some(m) => Outcome::pass(format!("{what}: yes, {}", via(m))).at(match_location(m)),
            None => Outcome::pass(format!("{what}: yes: {}", privileged())),
        },
        (false, false) => Outcome::pass(format!("{what}: no")),
        (true, false) => match d.matched.as_ref() {
            Some(m) => Outcome::fail(format!("{what}: yes, but it should not be: {}", via(m)))
                .at(match_location(m)),
            None => Outcome::fail(format!(
                "{what}: yes, and no RBAC change can stop it: {}",
                privileged()
            )),
        },
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
        let (group, resource) = resource_of(&a.resource, ctx.model)?;
        allowed.push(Allowed {
            verbs: a.verbs.clone(),
            api_group: group,
            resource,
            subresource: a.subresource.clone().unwrap_or_default(),
            names: a.names.clone(),
        });
    }
    let policy = ctx.rbac_policy(true);
    let missing = privilege::missing(policy, &user, &lp.namespace, &allowed);
    if let Some(first) = missing.first() {
        let e = explain(policy, first);
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
    let excess = privilege::excess(policy, &user, &lp.namespace, &allowed, &elsewhere);
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhoCanParams {
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
    /// The subjects this check grades: `User`, `Group` or `ServiceAccount`.
    kind: String,
    /// The answer key holding the learner's list.
    answer_key: String,
    /// Count the API server's default bindings too (its default roles
    /// always resolve).
    #[serde(default)]
    defaults: bool,
}

/// A subject of `kind` as the learner wrote it; service accounts as
/// `NS/NAME` or `system:serviceaccount:NS:NAME`.
fn identity_of_answer(kind: &str, s: &str) -> Result<Identity, String> {
    match kind {
        "User" => Ok(Identity::User(s.to_string())),
        "Group" => Ok(Identity::Group(s.to_string())),
        _ => {
            if let Some((ns, name)) = crate::engines::rbac::attributes::split_username(s) {
                return Ok(Identity::ServiceAccount(ns, name));
            }
            match s.split_once('/') {
                Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
                    Ok(Identity::ServiceAccount(ns.to_string(), name.to_string()))
                }
                _ => Err(format!(
                    "\"{s}\" is not a service account: write it as NAMESPACE/NAME"
                )),
            }
        }
    }
}

fn kind_plural(kind: &str) -> &'static str {
    match kind {
        "User" => "users",
        "Group" => "groups",
        _ => "service accounts",
    }
}

/// Why `id` is not allowed: the bindings that name it and what they lack,
/// or that none does. With the location of the first such binding.
fn why_not(
    policy: &Policy,
    attrs: &Attributes,
    id: &Identity,
) -> (String, Option<crate::model::Location>) {
    let mut reasons = Vec::new();
    let mut loc = None;
    let bindings = policy
        .cluster_role_bindings
        .iter()
        .chain(&policy.role_bindings);
    for b in bindings {
        let ns = b.namespace();
        if !b
            .subjects
            .iter()
            .any(|s| subjects::identity(s, ns).as_ref() == Some(id))
        {
            continue;
        }
        let in_scope = b.is_cluster() || ns == attrs.namespace;
        let why = match resolve_role_ref(policy, &b.role_ref, ns) {
            // A RoleBinding's Role is looked up in the binding's own
            // namespace only; a Role of that name elsewhere does not count.
            Err(_) if b.role_ref.kind == "Role" => Some(format!(
                "{} names it, but its Role {} does not exist in namespace {ns}",
                b.source.id, b.role_ref.name
            )),
            Err(_) => Some(format!(
                "{} names it, but its {} {} does not exist",
                b.source.id, b.role_ref.kind, b.role_ref.name
            )),
            Ok(role) if in_scope => Some(format!(
                "{} names it, but {} does not allow this",
                b.source.id, role.source.id
            )),
            Ok(role) if rules_allow(attrs, &role.rules) => Some(format!(
                "{} would allow it, but only in namespace {ns}",
                b.source.id
            )),
            Ok(_) => None,
        };
        if let Some(w) = why {
            loc = loc.or_else(|| b.source.locate(&crate::model::FieldPath::root()));
            reasons.push(w);
        }
    }
    if reasons.is_empty() {
        reasons.push("no binding that allows it names it".into());
    }
    (reasons.join("; "), loc)
}

fn who_can_answer(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let wp: WhoCanParams = params(p)?;
    if !["User", "Group", "ServiceAccount"].contains(&wp.kind.as_str()) {
        return Err(format!(
            "bad parameters: kind {:?}: use User, Group or ServiceAccount",
            wp.kind
        ));
    }
    let cp = CanIParams {
        user: String::new(),
        groups: Vec::new(),
        verb: wp.verb.clone(),
        resource: wp.resource.clone(),
        url: wp.url.clone(),
        subresource: wp.subresource.clone(),
        name: wp.name.clone(),
        namespace: wp.namespace.clone(),
        expect: true,
        defaults: true,
    };
    let mut attrs = request(&cp, ctx.model)?;
    attrs.user = UserInfo::default();
    let full = ctx.rbac_policy(true);
    let learners;
    let policy = if wp.defaults {
        full
    } else {
        learners = full.without_builtin_bindings();
        &learners
    };
    let (allowed, _errors) = subjects::allowed_subjects(policy, &attrs, "");
    let expected: Vec<(Identity, Option<subjects::Via>)> = subjects::identities(&allowed)
        .into_iter()
        .filter(|(id, _)| match id {
            Identity::User(_) => wp.kind == "User",
            Identity::Group(g) => wp.kind == "Group" && g != SYSTEM_PRIVILEGED_GROUP,
            Identity::ServiceAccount(..) => wp.kind == "ServiceAccount",
        })
        .collect();
    let what = describe(&attrs);
    let what = what.trim_start();
    let Some(given) = ctx.answers.get(&wp.answer_key) else {
        return Ok(Outcome::fail(format!(
            "no answer under `{}:` in your answer file",
            wp.answer_key
        )));
    };
    let mut listed: Vec<Identity> = Vec::new();
    for s in answer_list(given) {
        match identity_of_answer(&wp.kind, &s) {
            Ok(id) if !listed.contains(&id) => listed.push(id),
            Ok(_) => {}
            Err(e) => return Ok(Outcome::fail(format!("{}: {e}", wp.answer_key))),
        }
    }
    let plural = kind_plural(&wp.kind);
    let extra: Vec<&Identity> = listed
        .iter()
        .filter(|id| !expected.iter().any(|(e, _)| e == *id))
        .collect();
    let missing: Vec<&(Identity, Option<subjects::Via>)> = expected
        .iter()
        .filter(|(e, _)| !listed.contains(e))
        .collect();
    if extra.is_empty() && missing.is_empty() {
        let names: Vec<String> = expected.iter().map(|(id, _)| id.short()).collect();
        return Ok(Outcome::pass(if names.is_empty() {
            format!("no {plural} are allowed to {what}")
        } else {
            format!("the {plural} allowed to {what}: {}", names.join(", "))
        }));
    }
    let mut parts = Vec::new();
    let mut loc = None;
    for id in &extra {
        let (why, l) = why_not(policy, &attrs, id);
        loc = loc.or(l);
        parts.push(format!("{} cannot: {why}", id.describe()));
    }
    for (id, via) in &missing {
        let through = via
            .map(|v| {
                loc = loc
                    .clone()
                    .or_else(|| v.binding.source.locate(&crate::model::FieldPath::root()));
                format!(
                    ", through {} ({})",
                    v.describe(),
                    rule_text(&v.role.rules[v.rule_index])
                )
            })
            .unwrap_or_default();
        parts.push(format!("{} can{through}, but is missing", id.describe()));
    }
    Ok(Outcome::fail(format!(
        "`{}` should list exactly the {plural} allowed to {what}: {}",
        wp.answer_key,
        parts.join("; ")
    ))
    .at(loc))
}

#[cfg(test)]
mod tests {
    use super::super::testkit;
    use super::*;
    use crate::content::Lang;
    use crate::model::load::Input;
    use serde_json::json;

    const STATE: &str = r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-admin, namespace: prod}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [get, list, delete]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: secret-admins, namespace: prod}
subjects:
- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: rotator}
roleRef: {kind: Role, name: secret-admin, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-edit, namespace: prod}
subjects:
- {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: ClusterRole, name: edit, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers, namespace: prod}
subjects:
- {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: staging-admin, namespace: staging}
subjects:
- {kind: User, name: carol, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: ClusterRole, name: admin, apiGroup: rbac.authorization.k8s.io}
"#;

    fn run(yaml: &str, answers: serde_json::Value, p: serde_json::Value) -> Outcome {
        let v =
            crate::validate::validate_inputs(&[Input::new("rbac.yaml", yaml.as_bytes().to_vec())])
                .expect("readable");
        assert!(v.is_valid(), "{:#?}", v.problems);
        let model = v.model();
        let answers = answers.as_object().cloned().unwrap_or_default();
        let ctx = Ctx::new(&model, &answers, Lang::En);
        who_can_answer(&p, &ctx).expect("runs")
    }

    fn params_for(kind: &str, key: &str) -> serde_json::Value {
        json!({"verb": "delete", "resource": "secrets", "namespace": "prod", "kind": kind, "answer_key": key})
    }

    #[test]
    fn can_i_says_system_masters_cannot_be_taken_away_by_rbac() {
        let m = testkit::model(STATE);
        let root = |expect: bool| {
            json!({"user": "root", "groups": ["system:masters"], "verb": "delete",
                   "resource": "secrets", "namespace": "prod", "expect": expect, "defaults": false})
        };
        // Without the default cluster-admin binding, still allowed.
        let o = testkit::run(can_i, &m, root(true), json!({}));
        assert!(o.passed, "{}", o.detail);
        assert!(o.detail.contains("before RBAC is asked"), "{}", o.detail);
        let o = testkit::run(can_i, &m, root(false), json!({}));
        assert!(!o.passed);
        assert!(
            o.detail.contains("no RBAC change can stop it"),
            "{}",
            o.detail
        );
    }

    #[test]
    fn exact_answers_pass_in_any_order_and_form() {
        let o = run(
            STATE,
            json!({"users": ["alice"]}),
            params_for("User", "users"),
        );
        assert!(o.passed, "{}", o.detail);
        // edit, a default ClusterRole, resolves; its default bindings do not count
        let o = run(
            STATE,
            json!({"groups": "devs"}),
            params_for("Group", "groups"),
        );
        assert!(o.passed, "{}", o.detail);
        // a ServiceAccount subject without namespace is the binding's
        for sa in ["prod/rotator", "system:serviceaccount:prod:rotator"] {
            let o = run(
                STATE,
                json!({"sas": [sa]}),
                params_for("ServiceAccount", "sas"),
            );
            assert!(o.passed, "{sa}: {}", o.detail);
        }
    }

    #[test]
    fn wrong_answers_say_who_is_extra_and_who_is_missing() {
        let o = run(
            STATE,
            json!({"users": ["alice", "bob", "carol"]}),
            params_for("User", "users"),
        );
        assert!(!o.passed);
        assert!(
            o.detail.contains(
                "User \"bob\" cannot: RoleBinding/prod/viewers names it, but ClusterRole/view does not allow this"
            ),
            "{}",
            o.detail
        );
        assert!(
            o.detail.contains(
                "User \"carol\" cannot: RoleBinding/staging/staging-admin would allow it, but only in namespace staging"
            ),
            "{}",
            o.detail
        );
        let o = run(STATE, json!({"users": []}), params_for("User", "users"));
        assert!(!o.passed);
        assert!(
            o.detail.contains(
                "User \"alice\" can, through RoleBinding/prod/secret-admins → Role/prod/secret-admin rule 0 (get, list and delete on secrets), but is missing"
            ),
            "{}",
            o.detail
        );
        assert_eq!(o.location.expect("binding").line, 7);
        let o = run(
            STATE,
            json!({"sas": ["default/rotator"]}),
            params_for("ServiceAccount", "sas"),
        );
        assert!(!o.passed);
        assert!(
            o.detail
                .contains("ServiceAccount \"default/rotator\" cannot: no binding")
        );
        let o = run(
            STATE,
            json!({"sas": ["rotator"]}),
            params_for("ServiceAccount", "sas"),
        );
        assert!(!o.passed);
        assert!(
            o.detail.contains("write it as NAMESPACE/NAME"),
            "{}",
            o.detail
        );
        let o = run(STATE, json!({}), params_for("Group", "groups"));
        assert!(!o.passed);
        assert!(o.detail.contains("no answer under `groups:`"));
    }

    // upstream: rbac.go resolves a RoleBinding's Role in the binding's
    // namespace ("role.rbac.authorization.k8s.io \"x\" not found"), so
    // a Role of that name in another namespace grants nothing.
    #[test]
    fn a_binding_to_a_role_of_another_namespace_grants_nothing() {
        let y = STATE.to_string()
            + r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cleaner, namespace: staging}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [delete]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: cleanup, namespace: prod}
subjects:
- {kind: User, name: dave, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: Role, name: cleaner, apiGroup: rbac.authorization.k8s.io}
"#;
        let o = run(
            &y,
            json!({"users": ["alice", "dave"]}),
            params_for("User", "users"),
        );
        assert!(!o.passed);
        assert!(
            o.detail.contains(
                "User \"dave\" cannot: RoleBinding/prod/cleanup names it, but its Role cleaner does not exist in namespace prod"
            ),
            "{}",
            o.detail
        );
        let o = run(&y, json!({"users": ["alice"]}), params_for("User", "users"));
        assert!(o.passed, "{}", o.detail);
    }

    #[test]
    fn defaults_true_counts_the_api_servers_bindings() {
        // system:masters is always left out; with the default bindings,
        // kubeadm's kubeadm:cluster-admins group (bound to cluster-admin)
        // may delete secrets too.
        let p = json!({"verb": "delete", "resource": "secrets", "namespace": "prod",
            "kind": "Group", "answer_key": "groups", "defaults": true});
        let o = run(STATE, json!({"groups": ["devs"]}), p.clone());
        assert!(!o.passed);
        assert!(
            o.detail.contains(
                "Group \"kubeadm:cluster-admins\" can, through ClusterRoleBinding/kubeadm:cluster-admins → ClusterRole/cluster-admin rule 0"
            ),
            "{}",
            o.detail
        );
        let o = run(
            STATE,
            json!({"groups": ["devs", "kubeadm:cluster-admins"]}),
            p,
        );
        assert!(o.passed, "{}", o.detail);
    }

    #[test]
    fn bad_parameters_are_content_errors() {
        let v =
            crate::validate::validate_inputs(&[Input::new("r.yaml", STATE.as_bytes().to_vec())])
                .expect("readable");
        let model = v.model();
        let answers = serde_json::Map::new();
        let ctx = Ctx::new(&model, &answers, Lang::En);
        assert!(who_can_answer(&params_for("Robot", "x"), &ctx).is_err());
        assert!(
            who_can_answer(
                &json!({"verb": "delete", "resource": "secretz", "namespace": "prod", "kind": "User", "answer_key": "x"}),
                &ctx
            )
            .is_err()
        );
    }

    /// A live cluster lists its own default roles and bindings next to the
    /// learner's, with no source file. Least privilege must not count the
    /// defaults (system:basic-user, system:discovery, ...) as the learner's
    /// grants, or a correct answer fails live while it passes offline.
    #[test]
    fn least_privilege_ignores_a_live_clusters_default_bindings() {
        let answer = r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: dev}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-read, namespace: dev}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
"#;
        let mut inputs = crate::engines::rbac::defaults::inputs();
        inputs.push(Input::new("answer.yaml", answer.as_bytes().to_vec()));
        let v = crate::validate::validate_inputs(&inputs).expect("readable");
        assert!(v.is_valid(), "{:#?}", v.problems);
        let params = json!({"user": "jane", "namespace": "dev",
            "allow": [{"verbs": ["get", "list"], "resource": "pods"}]});
        let grade = |model: &crate::model::ClusterModel| {
            let answers = serde_json::Map::new();
            let ctx = Ctx::new(model, &answers, Lang::En);
            least_privilege(&params, &ctx).expect("runs")
        };
        let mut live = v.model();
        for o in &mut live.objects {
            o.origin = None;
        }
        let o = grade(&live);
        assert!(o.passed, "{}", o.detail);
        // A learner's broader Role is still caught live.
        let broad = answer.replace("verbs: [get, list]", "verbs: [get, list, delete]");
        let mut inputs = crate::engines::rbac::defaults::inputs();
        inputs.push(Input::new("answer.yaml", broad.into_bytes()));
        let mut live = crate::validate::validate_inputs(&inputs)
            .expect("readable")
            .model();
        for o in &mut live.objects {
            o.origin = None;
        }
        let o = grade(&live);
        assert!(!o.passed);
        assert!(o.detail.contains("delete"), "{}", o.detail);
    }

    #[test]
    fn can_i_resolves_installed_crds() {
        let crd = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: backups.backup.example.com}
spec:
  group: backup.example.com
  scope: Namespaced
  names: {plural: backups, singular: backup, kind: Backup}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: backups-view
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- {apiGroups: [backup.example.com], resources: [backups], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: auditors, namespace: prod}
subjects:
- {kind: Group, name: auditors, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}
"#;
        let v = crate::validate::validate_inputs(&[Input::new("r.yaml", crd.as_bytes().to_vec())])
            .expect("readable");
        assert!(v.is_valid(), "{:#?}", v.problems);
        let model = v.model();
        let answers = serde_json::Map::new();
        let ctx = Ctx::new(&model, &answers, Lang::En);
        let o = can_i(
            &json!({"user": "ann", "groups": ["auditors"], "verb": "list", "resource": "backups", "namespace": "prod", "expect": true}),
            &ctx,
        )
        .expect("runs");
        assert!(o.passed, "{}", o.detail);
        assert!(
            o.detail.contains("collected from ClusterRole/backups-view"),
            "{}",
            o.detail
        );
    }
}
