//! Why a request is allowed or denied, in words a learner can act on.
//! Allowed: which binding, role and rule (the authorizer's own answer),
//! with a note when a real request would still fail (resourceNames and
//! create). Denied: the nearest misses, closest first: a rule that differs
//! in one part of the request ("allows get and watch on pods but not
//! list"), a binding to a role that does not exist, a RoleBinding in
//! another namespace, a subject that is nearly the user (a ServiceAccount
//! whose namespace defaulted to the binding's, a User where a Group was
//! meant).

use super::attributes::{Attributes, UserInfo, go_quote};
use super::authorizer::{Decision, applies_to, resolve_role_ref};
use super::matching::{
    api_group_matches, non_resource_url_matches, resource_matches, resource_name_matches,
    rule_allows, verb_matches,
};
use super::policy::{BindingDef, Policy, RoleDef};
use crate::model::{FieldPath, Location};
use k8s_openapi::api::rbac::v1::{PolicyRule, Subject};
use serde::Serialize;

/// How many misses an explanation keeps.
pub const MAX_MISSES: usize = 5;

#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub decision: Decision,
    /// Caveats about the decision (why a real request could still differ).
    pub notes: Vec<String>,
    /// For a denied request, the nearest misses, closest first.
    pub misses: Vec<Miss>,
}

/// A binding or rule that nearly allows the request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Miss {
    /// `RoleBinding/NS/NAME` or `ClusterRoleBinding/NAME`.
    pub binding: String,
    /// `Role/NS/NAME` or `ClusterRole/NAME`, when the role exists.
    pub role: Option<String>,
    pub rule_index: Option<usize>,
    pub message: String,
    /// The line to look at: the rule, the subject, the roleRef.
    pub location: Option<Location>,
    /// How far from allowing: 1 is one change away.
    #[serde(skip)]
    pub distance: u32,
    /// Part of the API server's defaults, not the learner's objects.
    #[serde(skip)]
    pub builtin: bool,
}

/// Authorize `attrs` and explain the answer.
pub fn explain(policy: &Policy, attrs: &Attributes) -> Explanation {
    let decision = policy.authorize_request(attrs);
    if decision.allowed && decision.matched.is_none() {
        return Explanation {
            decision,
            notes: vec![privileged_note(attrs)],
            misses: Vec::new(),
        };
    }
    if let Some(m) = &decision.matched {
        let notes = allowed_notes(attrs, &m.rule);
        return Explanation {
            decision,
            notes,
            misses: Vec::new(),
        };
    }
    let mut misses = Vec::new();
    rule_misses(policy, attrs, &mut misses);
    other_namespace_misses(policy, attrs, &mut misses);
    subject_misses(policy, attrs, &mut misses);
    misses.sort_by_key(|m| (m.distance + u32::from(m.builtin), m.builtin));
    misses.retain(|m| m.distance + u32::from(m.builtin) <= 2);
    misses.dedup_by(|a, b| a.message == b.message);
    misses.truncate(MAX_MISSES);
    let mut notes = Vec::new();
    if !any_binding_applies(policy, attrs) {
        notes.push(no_binding_note(attrs));
    } else if misses.is_empty() {
        notes.extend(searched_roles_note(policy, attrs));
    }
    Explanation {
        decision,
        notes,
        misses,
    }
}

/// Why a `system:masters` member is allowed with no binding involved.
pub fn privileged_note(attrs: &Attributes) -> String {
    format!(
        "user {} is in the group system:masters: the API server allows its members every request before RBAC is asked, and no Role or binding can take that away (which is why certificates with O=system:masters are never handed out)",
        go_quote(&attrs.user.name)
    )
}

fn allowed_notes(attrs: &Attributes, rule: &PolicyRule) -> Vec<String> {
    let names = rule.resource_names.as_deref().unwrap_or_default();
    if names.is_empty() || !attrs.resource_request {
        return Vec::new();
    }
    match attrs.verb.as_str() {
        "create" | "deletecollection" => vec![format!(
            "the rule allows only the names {}; a real {} request carries no object name, so the API server would still refuse it",
            quoted_list(names),
            attrs.verb
        )],
        "list" | "watch" => vec![format!(
            "the rule allows only the names {}; a real {} is allowed only with --field-selector metadata.name={}",
            quoted_list(names),
            attrs.verb,
            attrs.name
        )],
        _ => Vec::new(),
    }
}

fn any_binding_applies(policy: &Policy, attrs: &Attributes) -> bool {
    let user = &attrs.user;
    policy
        .cluster_role_bindings
        .iter()
        .filter(|b| !b.source.builtin)
        .any(|b| applies_to(user, &b.subjects, "").is_some())
        || (!attrs.namespace.is_empty()
            && policy
                .role_bindings_in(&attrs.namespace)
                .any(|b| applies_to(user, &b.subjects, &attrs.namespace).is_some()))
}

fn no_binding_note(attrs: &Attributes) -> String {
    let who = describe_user(&attrs.user);
    if attrs.namespace.is_empty() {
        format!("no ClusterRoleBinding (besides the built-in defaults) applies to {who}")
    } else {
        format!(
            "no RoleBinding in namespace {} and no ClusterRoleBinding (besides the built-in defaults) applies to {who}",
            attrs.namespace
        )
    }
}

/// Bindings apply but no rule of their roles comes near the request: name
/// the roles searched, so the learner sees where the rule is missing (a
/// role replaced by one of the same name, a label that did not aggregate).
fn searched_roles_note(policy: &Policy, attrs: &Attributes) -> Option<String> {
    let mut roles = Vec::new();
    for (b, ns) in in_scope(policy, &attrs.namespace) {
        if b.source.builtin || applies_to(&attrs.user, &b.subjects, ns).is_none() {
            continue;
        }
        if let Ok(role) = resolve_role_ref(policy, &b.role_ref, ns) {
            let text = format!("{} (through {})", role_label(role), binding_label(b));
            if !roles.contains(&text) {
                roles.push(text);
            }
        }
    }
    if roles.is_empty() {
        return None;
    }
    let what = if attrs.resource_request {
        let mut r = attrs.resource.clone();
        if !attrs.api_group.is_empty() {
            r = format!("{r}.{}", attrs.api_group);
        }
        if !attrs.subresource.is_empty() {
            r = format!("{r}/{}", attrs.subresource);
        }
        format!("{} on {r}", attrs.verb)
    } else {
        format!("{} on {}", attrs.verb, attrs.path)
    };
    Some(format!(
        "no rule of the roles bound here covers {what}: {}",
        and_list(&roles)
    ))
}

fn describe_user(user: &UserInfo) -> String {
    if user.groups.is_empty() {
        format!("user {}", go_quote(&user.name))
    } else {
        format!(
            "user {} or one of its groups ({})",
            go_quote(&user.name),
            user.groups.join(", ")
        )
    }
}

/// One part of a request a rule does not cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gap {
    Verb,
    Group,
    /// The rule lists the resource but not the subresource, or the other
    /// way round.
    Subresource,
    Resource,
    Name,
    Url,
}

impl Gap {
    fn weight(self) -> u32 {
        match self {
            Gap::Resource => 2,
            _ => 1,
        }
    }
}

fn list(v: &Option<Vec<String>>) -> &[String] {
    v.as_deref().unwrap_or_default()
}

/// The parts of the request `rule` misses; None when the rule is of the
/// other sort (resource vs non-resource).
fn gaps(attrs: &Attributes, rule: &PolicyRule) -> Option<Vec<Gap>> {
    let mut out = Vec::new();
    if attrs.resource_request {
        if list(&rule.resources).is_empty() {
            return None;
        }
        if !verb_matches(rule, &attrs.verb) {
            out.push(Gap::Verb);
        }
        if !api_group_matches(rule, &attrs.api_group) {
            out.push(Gap::Group);
        }
        if !resource_matches(rule, &attrs.combined_resource(), &attrs.subresource) {
            let lists_base = list(&rule.resources).iter().any(|r| {
                r == &attrs.resource
                    || r.split_once('/')
                        .is_some_and(|(base, _)| base == attrs.resource)
            });
            out.push(if lists_base {
                Gap::Subresource
            } else {
                Gap::Resource
            });
        }
        if !resource_name_matches(rule, &attrs.name) {
            out.push(Gap::Name);
        }
    } else {
        if list(&rule.non_resource_urls).is_empty() {
            return None;
        }
        if !verb_matches(rule, &attrs.verb) {
            out.push(Gap::Verb);
        }
        if !non_resource_url_matches(rule, &attrs.path) {
            out.push(Gap::Url);
        }
    }
    Some(out)
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn quoted_list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    and_list(&q)
}

fn verbs_text(rule: &PolicyRule) -> String {
    if rule.verbs.iter().any(|v| v == "*") {
        "every verb (*)".into()
    } else {
        and_list(&rule.verbs)
    }
}

fn group_text(g: &str) -> String {
    if g.is_empty() {
        "\"\" (the core group)".into()
    } else {
        go_quote(g)
    }
}

fn groups_text(rule: &PolicyRule) -> String {
    let gs: Vec<String> = list(&rule.api_groups)
        .iter()
        .map(|g| group_text(g))
        .collect();
    if gs.is_empty() {
        "no API group at all".into()
    } else {
        and_list(&gs)
    }
}

/// What a rule allows, in words: `get and watch on pods`.
pub fn rule_text(rule: &PolicyRule) -> String {
    let targets = if list(&rule.resources).is_empty() {
        list(&rule.non_resource_urls).to_vec()
    } else {
        list(&rule.resources).to_vec()
    };
    let targets = if targets.iter().any(|t| t == "*") {
        "everything (*)".to_string()
    } else {
        and_list(&targets)
    };
    format!("{} on {targets}", verbs_text(rule))
}

fn binding_label(b: &BindingDef) -> String {
    if b.is_cluster() {
        format!("ClusterRoleBinding {}", b.name())
    } else {
        format!("RoleBinding {}/{}", b.namespace(), b.name())
    }
}

fn role_label(r: &RoleDef) -> String {
    format!("{} {}", r.source.id.kind, r.name())
}

fn rule_miss_text(attrs: &Attributes, rule: &PolicyRule, gaps: &[Gap]) -> String {
    let mut text = format!("allows {}", rule_text(rule));
    if gaps.contains(&Gap::Group) {
        text.push_str(&format!(" in API group {}", groups_text(rule)));
    }
    let mut clauses: Vec<String> = Vec::new();
    for g in gaps {
        clauses.push(match g {
            Gap::Verb => format!("not {}", attrs.verb),
            Gap::Group => format!(
                "{} {} in API group {}",
                attrs.resource,
                if attrs.resource.ends_with('s') { "are" } else { "is" },
                group_text(&attrs.api_group)
            ),
            Gap::Subresource if !attrs.subresource.is_empty() => format!(
                "not {}: a subresource must be listed itself, as {}",
                attrs.combined_resource(),
                go_quote(&attrs.combined_resource())
            ),
            Gap::Subresource => format!(
                "only subresources of {}, not {} itself",
                attrs.resource, attrs.resource
            ),
            Gap::Resource => format!("not {}", attrs.combined_resource()),
            Gap::Name if attrs.name.is_empty() => format!(
                "only for the names {}, and a request without a name ({} as clients send it) never matches resourceNames",
                quoted_list(list(&rule.resource_names)),
                attrs.verb
            ),
            Gap::Name => format!(
                "only for the names {}, not {}",
                quoted_list(list(&rule.resource_names)),
                go_quote(&attrs.name)
            ),
            Gap::Url => {
                let prefix_hint = list(&rule.non_resource_urls)
                    .iter()
                    .any(|u| !u.ends_with('*') && attrs.path.starts_with(&format!("{u}/")));
                if prefix_hint {
                    format!(
                        "not {}: a URL covers its sub-paths only with a trailing *",
                        attrs.path
                    )
                } else {
                    format!("not {}", attrs.path)
                }
            }
        });
    }
    format!("{text}, but {}", clauses.join("; and "))
}

/// Rules of the bindings that apply to the user here, that miss in few
/// parts; and bindings that apply but point at a missing role.
fn rule_misses(policy: &Policy, attrs: &Attributes, out: &mut Vec<Miss>) {
    let scope: Vec<(&BindingDef, &str)> = in_scope(policy, &attrs.namespace);
    for (b, ns) in scope {
        if applies_to(&attrs.user, &b.subjects, ns).is_none() {
            continue;
        }
        match resolve_role_ref(policy, &b.role_ref, ns) {
            Err(_) => out.push(missing_role_miss(policy, b, ns)),
            Ok(role) => {
                for (i, rule) in role.rules.iter().enumerate() {
                    let Some(g) = gaps(attrs, rule) else {
                        continue;
                    };
                    if g.is_empty() {
                        continue;
                    }
                    let distance: u32 = g.iter().map(|x| x.weight()).sum();
                    let from = role
                        .rule_sources
                        .get(i)
                        .filter(|s| s.role != role.source.id)
                        .map(|s| {
                            format!(
                                " (rule {} of ClusterRole {}, aggregated)",
                                s.index, s.role.name
                            )
                        })
                        .unwrap_or_default();
                    out.push(Miss {
                        binding: b.source.id.to_string(),
                        role: Some(role.source.id.to_string()),
                        rule_index: Some(i),
                        message: format!(
                            "{} grants {}, which {}{from}",
                            binding_label(b),
                            role_label(role),
                            rule_miss_text(attrs, rule, &g)
                        ),
                        location: role.rule_sources.get(i).and_then(|s| s.locate()),
                        distance,
                        builtin: role.source.builtin && b.source.builtin,
                    });
                }
            }
        }
    }
}

/// The bindings the authorizer visits for a request in `namespace`.
fn in_scope<'a>(policy: &'a Policy, namespace: &'a str) -> Vec<(&'a BindingDef, &'a str)> {
    let mut v: Vec<(&BindingDef, &str)> = policy
        .cluster_role_bindings
        .iter()
        .map(|b| (b, ""))
        .collect();
    if !namespace.is_empty() {
        v.extend(policy.role_bindings_in(namespace).map(|b| (b, namespace)));
    }
    v
}

/// `refers to Role dev/x, which does not exist: ...`, with the fix when
/// a role of the other kind (or in another namespace) has that name.
fn missing_role_text(policy: &Policy, b: &BindingDef, ns: &str) -> String {
    let r = &b.role_ref;
    let target = if r.kind == "Role" {
        format!("Role {ns}/{}", r.name)
    } else {
        format!("{} {}", r.kind, r.name)
    };
    let mut message = format!(
        "refers to {target}, which does not exist: a binding to a missing role grants nothing"
    );
    if r.kind == "Role" && policy.cluster_role(&r.name).is_some() {
        message.push_str(&format!(
            " (there is a ClusterRole {}: set roleRef.kind: ClusterRole)",
            r.name
        ));
    } else if r.kind == "ClusterRole"
        && let Some(other) = policy.roles.iter().find(|x| x.name() == r.name)
    {
        let where_ = other.source.id.namespace.clone().unwrap_or_default();
        if where_ == ns {
            message.push_str(&format!(
                " (there is a Role {ns}/{}: set roleRef.kind: Role)",
                r.name
            ));
        } else {
            message.push_str(&format!(
                " (there is a Role {}/{} in another namespace)",
                where_, r.name
            ));
        }
    } else if r.kind == "Role"
        && let Some(other) = policy.roles.iter().find(|x| x.name() == r.name)
    {
        message.push_str(&format!(
            " (a Role {}/{} exists, but a RoleBinding can only use a Role of its own namespace)",
            other.source.id.namespace.clone().unwrap_or_default(),
            r.name
        ));
    }
    message
}

fn missing_role_miss(policy: &Policy, b: &BindingDef, ns: &str) -> Miss {
    Miss {
        binding: b.source.id.to_string(),
        role: None,
        rule_index: None,
        message: format!("{} {}", binding_label(b), missing_role_text(policy, b, ns)),
        location: b
            .source
            .locate(&FieldPath::root().field("roleRef").field("name")),
        distance: 1,
        builtin: b.source.builtin,
    }
}

/// The first rule of `role` that allows the request, by index.
fn allowing_rule(role: &RoleDef, attrs: &Attributes) -> Option<usize> {
    role.rules.iter().position(|r| rule_allows(attrs, r))
}

/// RoleBindings elsewhere that would allow the request in their own
/// namespace; for cluster-wide and non-resource requests, every
/// RoleBinding that would allow it.
fn other_namespace_misses(policy: &Policy, attrs: &Attributes, out: &mut Vec<Miss>) {
    for b in &policy.role_bindings {
        let ns = b.namespace();
        if ns == attrs.namespace || applies_to(&attrs.user, &b.subjects, ns).is_none() {
            continue;
        }
        let Ok(role) = resolve_role_ref(policy, &b.role_ref, ns) else {
            continue;
        };
        let Some(i) = allowing_rule(role, attrs) else {
            continue;
        };
        let message = if !attrs.resource_request {
            format!(
                "{} grants {}, which allows {}, but non-resource URLs are granted only through a ClusterRoleBinding",
                binding_label(b),
                role_label(role),
                rule_text(&role.rules[i])
            )
        } else if attrs.namespace.is_empty() {
            format!(
                "{} grants {}, which allows {}, but only inside namespace {ns}: a cluster-wide request needs a ClusterRoleBinding",
                binding_label(b),
                role_label(role),
                rule_text(&role.rules[i])
            )
        } else {
            format!(
                "{} would allow this, but only in namespace {ns}, not in {}",
                binding_label(b),
                attrs.namespace
            )
        };
        out.push(Miss {
            binding: b.source.id.to_string(),
            role: Some(role.source.id.to_string()),
            rule_index: Some(i),
            message,
            location: b
                .source
                .locate(&FieldPath::root().field("metadata").field("namespace")),
            distance: 1,
            builtin: b.source.builtin,
        });
    }
}

/// Bindings here whose role would allow the request, with a subject that
/// is nearly the user.
fn subject_misses(policy: &Policy, attrs: &Attributes, out: &mut Vec<Miss>) {
    for (b, ns) in in_scope(policy, &attrs.namespace) {
        if applies_to(&attrs.user, &b.subjects, ns).is_some() {
            continue;
        }
        // A binding with a near subject and a missing role is two changes
        // away; with a role that would allow the request, one.
        let (grants, distance, role_id) = match resolve_role_ref(policy, &b.role_ref, ns) {
            Ok(role) if allowing_rule(role, attrs).is_some() => (
                format!("grants {}, which would allow this, but", role_label(role)),
                1,
                Some(role.source.id.to_string()),
            ),
            Ok(_) => continue,
            Err(_) => (
                format!("{}; also,", missing_role_text(policy, b, ns)),
                2,
                None,
            ),
        };
        for (i, s) in b.subjects.iter().enumerate() {
            if let Some(why) = near_subject(&attrs.user, s, b) {
                out.push(Miss {
                    binding: b.source.id.to_string(),
                    role: role_id.clone(),
                    rule_index: None,
                    message: format!("{} {grants} its subject {why}", binding_label(b)),
                    location: b
                        .source
                        .locate(&FieldPath::root().field("subjects").index(i)),
                    distance,
                    builtin: b.source.builtin,
                });
            }
        }
    }
}

/// Why `s` is nearly, but not, the user: the rest of "its subject ...".
fn near_subject(user: &UserInfo, s: &Subject, b: &BindingDef) -> Option<String> {
    let sa = user.service_account();
    let q = |x: &str| go_quote(x);
    match s.kind.as_str() {
        "ServiceAccount" => {
            let given = s.namespace.as_deref().filter(|n| !n.is_empty());
            if let Some((user_ns, user_name)) = &sa {
                if &s.name != user_name {
                    return None;
                }
                return Some(match given {
                    None if b.is_cluster() => format!(
                        "ServiceAccount {} has no namespace, which never matches in a ClusterRoleBinding: set namespace: {user_ns}",
                        q(&s.name)
                    ),
                    None => format!(
                        "ServiceAccount {} has no namespace, so it means {}/{} (the binding's namespace), while the request comes from {}: set namespace: {user_ns}",
                        q(&s.name),
                        b.namespace(),
                        s.name,
                        user.name
                    ),
                    Some(ns) => format!(
                        "ServiceAccount {ns}/{} is another service account than {}",
                        s.name, user.name
                    ),
                });
            }
            (s.name == user.name).then(|| {
                format!(
                    "ServiceAccount {} is a service account, while {} is a user: use kind: User",
                    q(&s.name),
                    q(&user.name)
                )
            })
        }
        "User" => {
            if let Some((ns, name)) = &sa
                && &s.name == name
            {
                return Some(format!(
                    "User {} is not the service account, which authenticates as {}: use kind: ServiceAccount, name: {name}, namespace: {ns}",
                    q(&s.name),
                    user.name
                ));
            }
            if s.name != user.name && s.name.eq_ignore_ascii_case(&user.name) {
                return Some(format!(
                    "User {} differs in case from {} (names are case-sensitive)",
                    q(&s.name),
                    q(&user.name)
                ));
            }
            user.groups.contains(&s.name).then(|| {
                format!(
                    "User {} names one of the user's groups: use kind: Group",
                    q(&s.name)
                )
            })
        }
        "Group" => {
            if s.name == user.name {
                return Some(format!(
                    "Group {} names the user, not a group: use kind: User",
                    q(&s.name)
                ));
            }
            user.groups
                .iter()
                .find(|g| **g != s.name && g.eq_ignore_ascii_case(&s.name))
                .map(|g| {
                    format!(
                        "Group {} differs in case from the user's group {} (names are case-sensitive)",
                        q(&s.name),
                        q(g)
                    )
                })
        }
        other => (s.name == user.name || user.groups.contains(&s.name)).then(|| {
            format!(
                "has kind {}, which RBAC does not know (kinds are User, Group and ServiceAccount, case-sensitive)",
                q(other)
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::meta;
    use super::super::matching::rule;
    use super::*;
    use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding, RoleRef};

    fn user_subject(kind: &str, name: &str, ns: Option<&str>) -> Subject {
        Subject {
            kind: kind.into(),
            name: name.into(),
            namespace: ns.map(str::to_string),
            api_group: None,
        }
    }

    fn rb(ns: &str, name: &str, kind: &str, role: &str, subjects: Vec<Subject>) -> RoleBinding {
        RoleBinding {
            metadata: meta(Some(ns), name),
            role_ref: RoleRef {
                api_group: Some("rbac.authorization.k8s.io".into()),
                kind: kind.into(),
                name: role.into(),
            },
            subjects: Some(subjects),
        }
    }

    fn pod_reader() -> Role {
        Role {
            metadata: meta(Some("dev"), "pod-reader"),
            rules: Some(vec![
                rule(&["get", "watch"])
                    .groups(&[""])
                    .resources(&["pods"])
                    .build(),
            ]),
        }
    }

    fn jane() -> UserInfo {
        UserInfo::impersonated("jane", &[])
    }

    fn first_miss(p: &Policy, a: &Attributes) -> String {
        let e = explain(p, a);
        assert!(!e.decision.allowed);
        e.misses
            .first()
            .map(|m| m.message.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_missing_verb_is_the_nearest_miss() {
        let p = Policy::new(
            vec![pod_reader()],
            vec![rb(
                "dev",
                "jane-read",
                "Role",
                "pod-reader",
                vec![user_subject("User", "jane", None)],
            )],
            vec![],
            vec![],
        );
        let a = Attributes::resource(jane(), "list", "", "pods").in_namespace("dev");
        assert_eq!(
            first_miss(&p, &a),
            "RoleBinding dev/jane-read grants Role pod-reader, which allows get and watch on pods, but not list"
        );
        let e = explain(&p, &a);
        assert_eq!(e.misses[0].rule_index, Some(0));
        assert_eq!(e.misses[0].role.as_deref(), Some("Role/dev/pod-reader"));
    }

    #[test]
    fn subresources_and_api_groups_are_explained() {
        let p = Policy::new(
            vec![
                pod_reader(),
                Role {
                    metadata: meta(Some("dev"), "deployer"),
                    rules: Some(vec![
                        rule(&["list"])
                            .groups(&[""])
                            .resources(&["deployments"])
                            .build(),
                    ]),
                },
            ],
            vec![
                rb(
                    "dev",
                    "jane-read",
                    "Role",
                    "pod-reader",
                    vec![user_subject("User", "jane", None)],
                ),
                rb(
                    "dev",
                    "jane-deploy",
                    "Role",
                    "deployer",
                    vec![user_subject("User", "jane", None)],
                ),
            ],
            vec![],
            vec![],
        );
        let logs = Attributes::resource(jane(), "get", "", "pods")
            .with_subresource("log")
            .in_namespace("dev");
        assert_eq!(
            first_miss(&p, &logs),
            "RoleBinding dev/jane-read grants Role pod-reader, which allows get and watch on pods, but not pods/log: a subresource must be listed itself, as \"pods/log\""
        );
        let deploys =
            Attributes::resource(jane(), "list", "apps", "deployments").in_namespace("dev");
        assert_eq!(
            first_miss(&p, &deploys),
            "RoleBinding dev/jane-deploy grants Role deployer, which allows list on deployments in API group \"\" (the core group), but deployments are in API group \"apps\""
        );
    }

    #[test]
    fn missing_roles_and_wrong_kinds_are_explained() {
        let p = Policy::new(
            vec![pod_reader()],
            vec![rb(
                "dev",
                "jane-read",
                "ClusterRole",
                "pod-reader",
                vec![user_subject("User", "jane", None)],
            )],
            vec![],
            vec![],
        );
        let a = Attributes::resource(jane(), "get", "", "pods").in_namespace("dev");
        assert_eq!(
            first_miss(&p, &a),
            "RoleBinding dev/jane-read refers to ClusterRole pod-reader, which does not exist: a binding to a missing role grants nothing (there is a Role dev/pod-reader: set roleRef.kind: Role)"
        );
    }

    #[test]
    fn service_account_namespaces_are_explained() {
        let deployer = UserInfo::impersonated("system:serviceaccount:ci:deployer", &[]);
        let p = Policy::new(
            vec![pod_reader()],
            vec![rb(
                "dev",
                "ci",
                "Role",
                "pod-reader",
                vec![user_subject("ServiceAccount", "deployer", None)],
            )],
            vec![],
            vec![],
        );
        let a = Attributes::resource(deployer.clone(), "get", "", "pods").in_namespace("dev");
        assert_eq!(
            first_miss(&p, &a),
            "RoleBinding dev/ci grants Role pod-reader, which would allow this, but its subject ServiceAccount \"deployer\" has no namespace, so it means dev/deployer (the binding's namespace), while the request comes from system:serviceaccount:ci:deployer: set namespace: ci"
        );
        // a User subject with the service account's short name
        let p = Policy::new(
            vec![pod_reader()],
            vec![rb(
                "dev",
                "ci",
                "Role",
                "pod-reader",
                vec![user_subject("User", "deployer", None)],
            )],
            vec![],
            vec![],
        );
        assert!(
            first_miss(&p, &a).contains("use kind: ServiceAccount, name: deployer, namespace: ci")
        );
    }

    #[test]
    fn role_bindings_elsewhere_are_explained() {
        let p = Policy::new(
            vec![Role {
                metadata: meta(Some("prod"), "pod-reader"),
                ..pod_reader()
            }],
            vec![rb(
                "prod",
                "jane-read",
                "Role",
                "pod-reader",
                vec![user_subject("User", "jane", None)],
            )],
            vec![],
            vec![],
        );
        let a = Attributes::resource(jane(), "get", "", "pods").in_namespace("dev");
        assert_eq!(
            first_miss(&p, &a),
            "RoleBinding prod/jane-read would allow this, but only in namespace prod, not in dev"
        );
        let cluster = ClusterRole {
            metadata: meta(None, "node-reader"),
            rules: Some(vec![
                rule(&["get"]).groups(&[""]).resources(&["nodes"]).build(),
            ]),
            aggregation_rule: None,
        };
        let p = Policy::new(
            vec![],
            vec![rb(
                "dev",
                "nodes",
                "ClusterRole",
                "node-reader",
                vec![user_subject("User", "jane", None)],
            )],
            vec![cluster],
            vec![],
        );
        let a = Attributes::resource(jane(), "get", "", "nodes");
        assert!(first_miss(&p, &a).contains("a cluster-wide request needs a ClusterRoleBinding"));
    }

    #[test]
    fn resource_names_are_explained_and_noted() {
        let p = Policy::new(
            vec![Role {
                metadata: meta(Some("dev"), "one-secret"),
                rules: Some(vec![
                    rule(&["get", "create"])
                        .groups(&[""])
                        .resources(&["secrets"])
                        .names(&["db"])
                        .build(),
                ]),
            }],
            vec![rb(
                "dev",
                "s",
                "Role",
                "one-secret",
                vec![user_subject("User", "jane", None)],
            )],
            vec![],
            vec![],
        );
        let other = Attributes::resource(jane(), "get", "", "secrets")
            .named("api")
            .in_namespace("dev");
        assert!(first_miss(&p, &other).ends_with("but only for the names \"db\", not \"api\""));
        let create = Attributes::resource(jane(), "create", "", "secrets")
            .named("db")
            .in_namespace("dev");
        let e = explain(&p, &create);
        assert!(e.decision.allowed);
        assert!(e.notes[0].contains("a real create request carries no object name"));
    }

    #[test]
    fn nobody_bound_gets_a_note() {
        let p = Policy::from_model(&crate::model::ClusterModel::new(), true);
        let a = Attributes::resource(jane(), "list", "", "pods").in_namespace("dev");
        let e = explain(&p, &a);
        assert!(!e.decision.allowed);
        assert!(e.notes[0].starts_with("no RoleBinding in namespace dev"));
        // built-in rules far from the request are not offered as misses
        assert!(e.misses.is_empty(), "{:?}", e.misses);
        let crb = ClusterRoleBinding {
            metadata: meta(None, "x"),
            role_ref: RoleRef {
                api_group: None,
                kind: "ClusterRole".into(),
                name: "view".into(),
            },
            subjects: Some(vec![user_subject("Group", "jane", None)]),
        };
        let view = ClusterRole {
            metadata: meta(None, "view"),
            rules: Some(vec![
                rule(&["list"]).groups(&[""]).resources(&["pods"]).build(),
            ]),
            aggregation_rule: None,
        };
        let p = Policy::new(vec![], vec![], vec![view], vec![crb]);
        assert_eq!(
            first_miss(&p, &a),
            "ClusterRoleBinding x grants ClusterRole view, which would allow this, but its subject Group \"jane\" names the user, not a group: use kind: User"
        );
    }

    // A binding applies but its role has no rule anywhere near the
    // request (here a ClusterRole "view" replaced by one about backups):
    // the note names the role searched.
    #[test]
    fn bound_roles_without_a_near_rule_are_named() {
        let view = ClusterRole {
            metadata: meta(None, "view"),
            rules: Some(vec![
                rule(&["get", "list", "watch"])
                    .groups(&["backup.example.com"])
                    .resources(&["backups"])
                    .build(),
            ]),
            aggregation_rule: None,
        };
        let p = Policy::new(
            vec![],
            vec![rb(
                "prod",
                "auditors",
                "ClusterRole",
                "view",
                vec![user_subject("User", "jane", None)],
            )],
            vec![view],
            vec![],
        );
        let a = Attributes::resource(jane(), "list", "", "pods").in_namespace("prod");
        let e = explain(&p, &a);
        assert!(!e.decision.allowed);
        assert!(e.misses.is_empty(), "{:?}", e.misses);
        assert_eq!(
            e.notes,
            [
                "no rule of the roles bound here covers list on pods: ClusterRole view (through RoleBinding prod/auditors)"
            ]
        );
        // in another namespace nothing applies: the usual note
        let e = explain(&p, &a.clone().in_namespace("dev"));
        assert!(e.notes[0].starts_with("no RoleBinding in namespace dev"));
    }

    #[test]
    fn and_lists() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&s(&["a"])), "a");
        assert_eq!(and_list(&s(&["a", "b"])), "a and b");
        assert_eq!(and_list(&s(&["a", "b", "c"])), "a, b and c");
    }
}
