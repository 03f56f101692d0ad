//! The RBAC authorizer: which bindings apply to a user, which rules they
//! grant, and whether one of them allows a request
//! (pkg/registry/rbac/validation/rule.go `VisitRulesFor`, `appliesTo`,
//! `appliesToUser`, `GetRoleReferenceRules`, and
//! plugin/pkg/auth/authorizer/rbac/rbac.go `Authorize`, `RulesFor`).
//!
//! ClusterRoleBindings are visited first, for every request; the
//! RoleBindings of the request's namespace only when it has one. A binding
//! applies when one of its subjects is the user: a User by name, a Group by
//! one of the user's groups, a ServiceAccount by its
//! `system:serviceaccount:NS:NAME` user name, where a subject without a
//! namespace takes the binding's namespace. A binding whose role does not
//! exist grants nothing (and is reported as an error).

use super::attributes::{Attributes, UserInfo, go_quote, go_quote_list, matches_username};
use super::matching::rule_allows;
use super::policy::{BindingDef, Policy, RoleDef};
use super::subjects::SYSTEM_PRIVILEGED_GROUP;
use crate::model::{FieldPath, Location, ObjectRef};
use k8s_openapi::api::rbac::v1::{PolicyRule, RoleRef, Subject};
use serde::Serialize;

/// One rule a binding grants a user.
#[derive(Clone, Copy, Debug)]
pub struct Grant<'a> {
    pub binding: &'a BindingDef,
    /// The binding's first subject that is the user.
    pub subject_index: usize,
    pub role: &'a RoleDef,
    pub rule_index: usize,
    pub rule: &'a PolicyRule,
}

impl Grant<'_> {
    /// Upstream's source describer:
    /// `RoleBinding "jane-read/dev" of Role "pod-reader" to User "jane"`.
    pub fn describe(&self) -> String {
        let b = self.binding;
        let subject = &b.subjects[self.subject_index];
        let binding = if b.is_cluster() {
            go_quote(b.name())
        } else {
            go_quote(&format!("{}/{}", b.name(), b.namespace()))
        };
        format!(
            "{} {binding} of {} {} to {}",
            b.source.id.kind,
            b.role_ref.kind,
            go_quote(&b.role_ref.name),
            describe_subject(subject, b.namespace())
        )
    }

    /// Where the rule was written.
    pub fn rule_location(&self) -> Option<Location> {
        self.role
            .rule_sources
            .get(self.rule_index)
            .and_then(|s| s.locate())
    }

    pub fn binding_location(&self) -> Option<Location> {
        self.binding.source.locate(&FieldPath::root())
    }
}

fn describe_subject(s: &Subject, binding_namespace: &str) -> String {
    match s.kind.as_str() {
        "ServiceAccount" => {
            let ns = match s.namespace.as_deref() {
                Some(ns) if !ns.is_empty() => ns,
                _ => binding_namespace,
            };
            format!("{} {}", s.kind, go_quote(&format!("{}/{ns}", s.name)))
        }
        _ => format!("{} {}", s.kind, go_quote(&s.name)),
    }
}

/// What the visitor is shown: a granted rule, or a binding whose role
/// cannot be resolved.
#[derive(Clone, Debug)]
pub enum Visit<'a> {
    Rule(Grant<'a>),
    Error {
        binding: &'a BindingDef,
        message: String,
    },
}

/// Whether the user is in `system:masters`, which the API server allows
/// everything (`privilegedGroupAuthorizer` compares group names exactly).
pub fn is_privileged(user: &UserInfo) -> bool {
    user.groups.iter().any(|g| g == SYSTEM_PRIVILEGED_GROUP)
}

/// `appliesToUser`.
pub fn applies_to_user(user: &UserInfo, subject: &Subject, namespace: &str) -> bool {
    match subject.kind.as_str() {
        "User" => user.name == subject.name,
        "Group" => user.groups.contains(&subject.name),
        "ServiceAccount" => {
            let sa_namespace = match subject.namespace.as_deref() {
                Some(ns) if !ns.is_empty() => ns,
                _ => namespace,
            };
            !sa_namespace.is_empty() && matches_username(sa_namespace, &subject.name, &user.name)
        }
        _ => false,
    }
}

/// `appliesTo`: the index of the first subject that is the user.
pub fn applies_to(user: &UserInfo, subjects: &[Subject], namespace: &str) -> Option<usize> {
    subjects
        .iter()
        .position(|s| applies_to_user(user, s, namespace))
}

/// `GetRoleReferenceRules`: the role a binding points at, or upstream's
/// error (`role.rbac.authorization.k8s.io "x" not found`).
pub fn resolve_role_ref<'a>(
    policy: &'a Policy,
    role_ref: &RoleRef,
    binding_namespace: &str,
) -> Result<&'a RoleDef, String> {
    match role_ref.kind.as_str() {
        "Role" => policy
            .role(binding_namespace, &role_ref.name)
            .ok_or_else(|| not_found("role", &role_ref.name)),
        "ClusterRole" => policy
            .cluster_role(&role_ref.name)
            .ok_or_else(|| not_found("clusterrole", &role_ref.name)),
        other => Err(format!(
            "unsupported role reference kind: {}",
            go_quote(other)
        )),
    }
}

fn not_found(resource: &str, name: &str) -> String {
    format!(
        "{resource}.rbac.authorization.k8s.io {} not found",
        go_quote(name)
    )
}

impl Policy {
    /// `VisitRulesFor`: every rule that applies to `user` in `namespace`
    /// (empty: cluster-wide), ClusterRoleBindings first. Stops when the
    /// visitor returns false.
    pub fn visit_rules_for<'a>(
        &'a self,
        user: &UserInfo,
        namespace: &str,
        mut visitor: impl FnMut(Visit<'a>) -> bool,
    ) {
        let bindings = self.cluster_role_bindings.iter().map(|b| (b, "")).chain(
            (!namespace.is_empty())
                .then(|| {
                    self.role_bindings_in(namespace)
                        .map(move |b| (b, namespace))
                })
                .into_iter()
                .flatten(),
        );
        for (binding, ns) in bindings {
            let Some(subject_index) = applies_to(user, &binding.subjects, ns) else {
                continue;
            };
            let role = match resolve_role_ref(self, &binding.role_ref, ns) {
                Ok(r) => r,
                Err(message) => {
                    if !visitor(Visit::Error { binding, message }) {
                        return;
                    }
                    continue;
                }
            };
            for (rule_index, rule) in role.rules.iter().enumerate() {
                let grant = Grant {
                    binding,
                    subject_index,
                    role,
                    rule_index,
                    rule,
                };
                if !visitor(Visit::Rule(grant)) {
                    return;
                }
            }
        }
    }

    /// Every rule granted to `user` in `namespace`, with its source, and
    /// the errors met resolving roles.
    pub fn grants_for<'a>(
        &'a self,
        user: &UserInfo,
        namespace: &str,
    ) -> (Vec<Grant<'a>>, Vec<String>) {
        let mut grants = Vec::new();
        let mut errors = Vec::new();
        self.visit_rules_for(user, namespace, |v| {
            match v {
                Visit::Rule(g) => grants.push(g),
                Visit::Error { message, .. } => errors.push(message),
            }
            true
        });
        (grants, errors)
    }

    /// `RulesFor`: the rules alone.
    pub fn rules_for(&self, user: &UserInfo, namespace: &str) -> (Vec<PolicyRule>, Vec<String>) {
        let (grants, errors) = self.grants_for(user, namespace);
        (grants.iter().map(|g| g.rule.clone()).collect(), errors)
    }

    /// What the API server decides, as kubeadm and kind configure it. Before
    /// any authorization mode runs, the privileged-group authorizer allows
    /// every request of a `system:masters` member
    /// (pkg/kubeapiserver/authorizer/config.go puts
    /// `authorizerfactory.NewPrivilegedGroups(user.SystemPrivilegedGroup)`
    /// first in the union); RBAC is asked only for everyone else, so no RBAC
    /// object can grant or take away what that group has. The Node
    /// authorizer, which kind also runs, is not modelled.
    pub fn authorize_request(&self, attrs: &Attributes) -> Decision {
        if is_privileged(&attrs.user) {
            return Decision {
                allowed: true,
                reason: format!(
                    "allowed before RBAC is asked: {SYSTEM_PRIVILEGED_GROUP} is the API server's privileged group"
                ),
                matched: None,
                errors: Vec::new(),
            };
        }
        self.authorize(attrs)
    }

    /// `Authorize`: allowed by the first rule that allows the request.
    pub fn authorize(&self, attrs: &Attributes) -> Decision {
        let mut matched: Option<Matched> = None;
        let mut errors = Vec::new();
        self.visit_rules_for(&attrs.user, &attrs.namespace, |v| match v {
            Visit::Rule(g) if rule_allows(attrs, g.rule) => {
                matched = Some(Matched::from(&g));
                false
            }
            Visit::Rule(_) => true,
            Visit::Error { message, .. } => {
                errors.push(message);
                true
            }
        });
        match matched {
            Some(m) => Decision {
                allowed: true,
                reason: format!("RBAC: allowed by {}", m.describer),
                matched: Some(m),
                errors,
            },
            None => {
                let reason = if errors.is_empty() {
                    format!(
                        "RBAC: no rules authorize user {} with groups {} to {} {}",
                        go_quote(&attrs.user.name),
                        go_quote_list(&attrs.user.groups),
                        attrs.operation(),
                        attrs.scope()
                    )
                } else {
                    format!("RBAC: {}", aggregate_errors(&errors))
                };
                Decision {
                    allowed: false,
                    reason,
                    matched: None,
                    errors,
                }
            }
        }
    }
}

/// `utilerrors.NewAggregate(...).Error()`: one message alone, several
/// (duplicates dropped) as `[a, b]`.
pub fn aggregate_errors(errors: &[String]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for e in errors {
        if !seen.contains(&e.as_str()) {
            seen.push(e);
        }
    }
    match seen.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// The binding, role and rule that allowed a request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Matched {
    /// `RoleBinding/NS/NAME` or `ClusterRoleBinding/NAME`.
    pub binding: String,
    /// `Role/NS/NAME` or `ClusterRole/NAME`.
    pub role: String,
    /// Index into the role's rules (after aggregation).
    pub rule_index: usize,
    #[serde(skip)]
    pub subject_index: usize,
    #[serde(skip)]
    pub binding_ref: ObjectRef,
    #[serde(skip)]
    pub role_ref: ObjectRef,
    #[serde(skip)]
    pub rule: PolicyRule,
    /// Upstream's description of the source.
    #[serde(skip)]
    pub describer: String,
    #[serde(skip)]
    pub binding_location: Option<Location>,
    #[serde(skip)]
    pub rule_location: Option<Location>,
    /// The role the rule was collected from, for an aggregated ClusterRole.
    #[serde(skip)]
    pub aggregated_from: Option<ObjectRef>,
    #[serde(skip)]
    pub builtin: bool,
}

impl From<&Grant<'_>> for Matched {
    fn from(g: &Grant<'_>) -> Self {
        let src = g.role.rule_sources.get(g.rule_index);
        Matched {
            binding: g.binding.source.id.to_string(),
            role: g.role.source.id.to_string(),
            rule_index: g.rule_index,
            subject_index: g.subject_index,
            binding_ref: g.binding.source.id.clone(),
            role_ref: g.role.source.id.clone(),
            rule: g.rule.clone(),
            describer: g.describe(),
            binding_location: g.binding_location(),
            rule_location: g.rule_location(),
            aggregated_from: src
                .filter(|s| s.role != g.role.source.id)
                .map(|s| s.role.clone()),
            builtin: g.binding.source.builtin,
        }
    }
}

/// The authorizer's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    /// Upstream's reason when allowed (`RBAC: allowed by ...`); when denied,
    /// upstream's error text if roles could not be resolved, else the
    /// denial as the authorizer logs it.
    pub reason: String,
    pub matched: Option<Matched>,
    /// Roles that could not be resolved while looking.
    pub errors: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{cluster_role, meta, new_rule, role, role_ref, subject};
    use super::super::matching::rule;
    use super::*;
    use k8s_openapi::api::rbac::v1::{ClusterRoleBinding, RoleBinding};

    fn crb(role: &str, subjects: &[&str]) -> ClusterRoleBinding {
        ClusterRoleBinding {
            metadata: meta(None, &format!("crb-{role}")),
            role_ref: role_ref("ClusterRole", role),
            subjects: Some(subjects.iter().map(|s| subject(s)).collect()),
        }
    }

    fn rb(ns: &str, kind: &str, role: &str, subjects: &[&str]) -> RoleBinding {
        RoleBinding {
            metadata: meta(Some(ns), &format!("rb-{role}")),
            role_ref: role_ref(kind, role),
            subjects: Some(subjects.iter().map(|s| subject(s)).collect()),
        }
    }

    /// upstream rbac_test.go `defaultAttributes{user, groups, verb, resource, subresource, namespace, apiGroup}`
    fn attrs(
        user: &str,
        groups: &str,
        verb: &str,
        resource: &str,
        sub: &str,
        ns: &str,
        group: &str,
    ) -> Attributes {
        let u = UserInfo {
            name: user.into(),
            groups: groups.split(',').map(str::to_string).collect(),
        };
        Attributes::resource(u, verb, group, resource)
            .with_subresource(sub)
            .in_namespace(ns)
    }

    fn url_as(name: &str, groups: &[&str], verb: &str, path: &str) -> Attributes {
        Attributes::non_resource(UserInfo::new(name, groups), verb, path)
    }

    fn allows(p: &Policy, a: &Attributes) -> bool {
        p.authorize(a).allowed
    }

    // upstream: plugin/pkg/auth/authorizer/rbac/rbac_test.go TestAuthorizer case 0
    #[test]
    fn authorizer_role_binding_to_cluster_role() {
        let p = Policy::new(
            vec![],
            vec![rb(
                "ns1",
                "ClusterRole",
                "admin",
                &["User:admin", "Group:admins"],
            )],
            vec![cluster_role("admin", vec![new_rule("*", "*", "*", "*")])],
            vec![],
        );
        for a in [
            attrs("admin", "", "get", "Pods", "", "ns1", ""),
            attrs("admin", "", "watch", "Pods", "", "ns1", ""),
            attrs("admin", "group1", "watch", "Foobar", "", "ns1", ""),
            attrs("joe", "admins", "watch", "Foobar", "", "ns1", ""),
            attrs("joe", "group1,admins", "watch", "Foobar", "", "ns1", ""),
        ] {
            assert!(allows(&p, &a), "{a:?}");
        }
        for a in [
            attrs("admin", "", "GET", "Pods", "", "ns2", ""),
            attrs("admin", "", "GET", "Nodes", "", "", ""),
            attrs("admin", "admins", "GET", "Pods", "", "ns2", ""),
            attrs("admin", "admins", "GET", "Nodes", "", "", ""),
        ] {
            assert!(!allows(&p, &a), "{a:?}");
        }
    }

    // upstream: rbac_test.go TestAuthorizer case "Non-resource-url tests"
    #[test]
    fn authorizer_non_resource_urls() {
        let p = Policy::new(
            vec![],
            vec![],
            vec![
                cluster_role(
                    "non-resource-url-getter",
                    vec![new_rule("get", "", "", "/apis")],
                ),
                cluster_role("non-resource-url", vec![new_rule("*", "", "", "/apis")]),
                cluster_role(
                    "non-resource-url-prefix",
                    vec![new_rule("get", "", "", "/apis/*")],
                ),
            ],
            vec![
                crb("non-resource-url-getter", &["User:foo", "Group:bar"]),
                crb("non-resource-url", &["User:admin", "Group:admin"]),
                crb(
                    "non-resource-url-prefix",
                    &["User:prefixed", "Group:prefixed"],
                ),
            ],
        );
        for a in [
            url_as("foo", &[], "get", "/apis"),
            url_as("", &["bar"], "get", "/apis"),
            url_as("admin", &[], "get", "/apis"),
            url_as("", &["admin"], "get", "/apis"),
            url_as("admin", &[], "watch", "/apis"),
            url_as("", &["admin"], "watch", "/apis"),
            url_as("prefixed", &[], "get", "/apis/v1"),
            url_as("", &["prefixed"], "get", "/apis/v1"),
            url_as("prefixed", &[], "get", "/apis/v1/foobar"),
            url_as("", &["prefixed"], "get", "/apis/v1/foorbar"),
        ] {
            assert!(allows(&p, &a), "{a:?}");
        }
        for a in [
            // wrong verb
            url_as("foo", &[], "watch", "/apis"),
            url_as("", &["bar"], "watch", "/apis"),
            // wrong path
            url_as("foo", &[], "get", "/api/v1"),
            url_as("", &["bar"], "get", "/api/v1"),
            url_as("admin", &[], "get", "/api/v1"),
            url_as("", &["admin"], "get", "/api/v1"),
            // not covered by prefix
            url_as("prefixed", &[], "get", "/api/v1"),
            url_as("", &["prefixed"], "get", "/api/v1"),
        ] {
            assert!(!allows(&p, &a), "{a:?}");
        }
    }

    // upstream: rbac_test.go TestAuthorizer "test subresource resolution" (both cases)
    #[test]
    fn authorizer_subresource_resolution() {
        let p = Policy::new(
            vec![],
            vec![rb(
                "ns1",
                "ClusterRole",
                "admin",
                &["User:admin", "Group:admins"],
            )],
            vec![cluster_role("admin", vec![new_rule("*", "*", "pods", "*")])],
            vec![],
        );
        assert!(allows(
            &p,
            &attrs("admin", "", "get", "pods", "", "ns1", "")
        ));
        assert!(!allows(
            &p,
            &attrs("admin", "", "get", "pods", "status", "ns1", "")
        ));
        let p = Policy::new(
            vec![],
            vec![rb(
                "ns1",
                "ClusterRole",
                "admin",
                &["User:admin", "Group:admins"],
            )],
            vec![cluster_role(
                "admin",
                vec![new_rule("*", "*", "pods/status", "*")],
            )],
            vec![],
        );
        assert!(allows(
            &p,
            &attrs("admin", "", "get", "pods", "status", "ns1", "")
        ));
        assert!(!allows(
            &p,
            &attrs("admin", "", "get", "pods", "", "ns1", "")
        ));
    }

    fn static_roles1() -> Policy {
        let read_pods = PolicyRule {
            verbs: vec!["GET".into(), "WATCH".into()],
            api_groups: Some(vec!["v1".into()]),
            resources: Some(vec!["pods".into()]),
            ..Default::default()
        };
        let read_services = PolicyRule {
            resources: Some(vec!["services".into()]),
            ..read_pods.clone()
        };
        let write_nodes = PolicyRule {
            verbs: vec!["PUT".into(), "CREATE".into(), "UPDATE".into()],
            api_groups: Some(vec!["v1".into()]),
            resources: Some(vec!["nodes".into()]),
            ..Default::default()
        };
        let admin = rule(&["*"]).groups(&["*"]).resources(&["*"]).build();
        Policy::new(
            vec![role(
                "namespace1",
                "readthings",
                vec![read_pods, read_services],
            )],
            vec![rb(
                "namespace1",
                "Role",
                "readthings",
                &["User:foobar", "Group:group1"],
            )],
            vec![
                cluster_role("cluster-admin", vec![admin]),
                cluster_role("write-nodes", vec![write_nodes]),
            ],
            vec![crb("cluster-admin", &["User:admin", "Group:admin"])],
        )
    }

    // upstream: pkg/registry/rbac/validation/rule_test.go TestDefaultRuleResolver
    #[test]
    fn default_rule_resolver() {
        let p = static_roles1();
        let names = |rules: Vec<PolicyRule>| -> Vec<String> {
            let mut v: Vec<String> = rules
                .iter()
                .map(|r| r.resources.clone().unwrap_or_default().join(","))
                .collect();
            v.sort();
            v
        };
        let (rules, errs) = p.rules_for(&UserInfo::new("foobar", &[]), "namespace1");
        assert!(errs.is_empty());
        assert_eq!(names(rules), ["pods", "services"]);
        let (rules, _) = p.rules_for(&UserInfo::new("foobar", &[]), "namespace2");
        assert!(rules.is_empty());
        // without a namespace only cluster rules apply
        let (rules, _) = p.rules_for(&UserInfo::new("foobar", &["admin"]), "");
        assert_eq!(names(rules), ["*"]);
        let (rules, _) = p.rules_for(&UserInfo::default(), "");
        assert!(rules.is_empty());
    }

    fn sa(ns: Option<&str>, name: &str) -> Subject {
        Subject {
            kind: "ServiceAccount".into(),
            name: name.into(),
            namespace: ns.map(str::to_string),
            api_group: None,
        }
    }

    // upstream: pkg/registry/rbac/validation/rule_test.go TestAppliesTo
    #[test]
    fn applies_to_cases() {
        let u = |name: &str, groups: &[&str]| UserInfo::new(name, groups);
        let cases: Vec<(Vec<Subject>, UserInfo, &str, bool, &str)> = vec![
            (
                vec![subject("User:foobar")],
                u("foobar", &[]),
                "",
                true,
                "single subject that matches username",
            ),
            (
                vec![subject("User:barfoo"), subject("User:foobar")],
                u("foobar", &[]),
                "",
                true,
                "multiple subjects, one that matches username",
            ),
            (
                vec![subject("User:barfoo"), subject("User:foobar")],
                u("zimzam", &[]),
                "",
                false,
                "multiple subjects, none that match username",
            ),
            (
                vec![subject("User:barfoo"), subject("Group:foobar")],
                u("zimzam", &["foobar"]),
                "",
                true,
                "multiple subjects, one that match group",
            ),
            (
                vec![subject("User:barfoo"), subject("Group:foobar")],
                u("zimzam", &["foobar"]),
                "namespace1",
                true,
                "multiple subjects, one that match group, should ignore namespace",
            ),
            (
                vec![
                    subject("User:barfoo"),
                    subject("Group:foobar"),
                    sa(Some("kube-system"), "default"),
                ],
                u("system:serviceaccount:kube-system:default", &[]),
                "default",
                true,
                "multiple subjects with a service account that matches",
            ),
            (
                vec![subject("User:*")],
                u("foobar", &[]),
                "default",
                false,
                "* user subject name doesn't match all users",
            ),
            (
                vec![
                    subject("Group:system:authenticated"),
                    subject("Group:system:unauthenticated"),
                ],
                u("foobar", &["system:authenticated"]),
                "default",
                true,
                "binding to all authenticated and unauthenticated subjects matches authenticated user",
            ),
            (
                vec![
                    subject("Group:system:authenticated"),
                    subject("Group:system:unauthenticated"),
                ],
                u("system:anonymous", &["system:unauthenticated"]),
                "default",
                true,
                "binding to all authenticated and unauthenticated subjects matches anonymous user",
            ),
            // rule.go appliesToUser: a ServiceAccount subject without a
            // namespace takes the binding's namespace, and never matches
            // cluster-wide
            (
                vec![sa(None, "app")],
                u("system:serviceaccount:dev:app", &[]),
                "dev",
                true,
                "service account without namespace defaults to the binding's",
            ),
            (
                vec![sa(None, "app")],
                u("system:serviceaccount:dev:app", &[]),
                "prod",
                false,
                "service account without namespace in another namespace",
            ),
            (
                vec![sa(None, "app")],
                u("system:serviceaccount:dev:app", &[]),
                "",
                false,
                "service account without namespace cluster-wide",
            ),
            (
                vec![sa(Some("dev"), "app")],
                u("app", &[]),
                "dev",
                false,
                "a service account subject is not a user with the same short name",
            ),
            (
                vec![Subject {
                    kind: "user".into(),
                    name: "jane".into(),
                    ..Default::default()
                }],
                u("jane", &[]),
                "",
                false,
                "kinds are case-sensitive",
            ),
        ];
        for (subjects, user, ns, want, name) in cases {
            assert_eq!(applies_to(&user, &subjects, ns).is_some(), want, "{name}");
        }
        // the index of the first subject that applies
        let subjects = vec![subject("User:a"), subject("Group:g"), subject("User:b")];
        assert_eq!(applies_to(&u("b", &["g"]), &subjects, ""), Some(1));
    }

    #[test]
    fn missing_roles_grant_nothing_and_are_reported() {
        let p = Policy::new(
            vec![],
            vec![
                rb("dev", "Role", "missing", &["User:jane"]),
                rb("dev", "ClusterRole", "gone", &["User:jane"]),
            ],
            vec![],
            vec![],
        );
        let d = p.authorize(&attrs("jane", "", "get", "pods", "", "dev", ""));
        assert!(!d.allowed);
        assert_eq!(
            d.reason,
            r#"RBAC: [role.rbac.authorization.k8s.io "missing" not found, clusterrole.rbac.authorization.k8s.io "gone" not found]"#
        );
        // a Role is looked up in the binding's namespace only
        let p = Policy::new(
            vec![role(
                "other",
                "reader",
                vec![rule(&["get"]).groups(&[""]).resources(&["pods"]).build()],
            )],
            vec![rb("dev", "Role", "reader", &["User:jane"])],
            vec![],
            vec![],
        );
        let d = p.authorize(&attrs("jane", "", "get", "pods", "", "dev", ""));
        assert_eq!(
            d.reason,
            r#"RBAC: role.rbac.authorization.k8s.io "reader" not found"#
        );
    }

    #[test]
    fn reasons_and_matches_use_upstream_wording() {
        let p = Policy::new(
            vec![role(
                "dev",
                "pod-reader",
                vec![rule(&["get"]).groups(&[""]).resources(&["pods"]).build()],
            )],
            vec![RoleBinding {
                metadata: meta(Some("dev"), "jane-read"),
                role_ref: role_ref("Role", "pod-reader"),
                subjects: Some(vec![sa(None, "app"), subject("User:jane")]),
            }],
            vec![],
            vec![],
        );
        let d = p.authorize(&attrs(
            "jane",
            "system:authenticated",
            "get",
            "pods",
            "",
            "dev",
            "",
        ));
        assert!(d.allowed);
        assert_eq!(
            d.reason,
            r#"RBAC: allowed by RoleBinding "jane-read/dev" of Role "pod-reader" to User "jane""#
        );
        let m = d.matched.unwrap();
        assert_eq!(m.binding, "RoleBinding/dev/jane-read");
        assert_eq!(m.role, "Role/dev/pod-reader");
        assert_eq!(m.rule_index, 0);
        assert_eq!(m.subject_index, 1);
        let d = p.authorize(&attrs(
            "system:serviceaccount:dev:app",
            "",
            "get",
            "pods",
            "",
            "dev",
            "",
        ));
        assert_eq!(
            d.reason,
            r#"RBAC: allowed by RoleBinding "jane-read/dev" of Role "pod-reader" to ServiceAccount "app/dev""#
        );
        let d = p.authorize(&attrs(
            "jane",
            "system:authenticated",
            "list",
            "pods",
            "",
            "dev",
            "",
        ));
        assert!(!d.allowed);
        assert_eq!(
            d.reason,
            r#"RBAC: no rules authorize user "jane" with groups ["system:authenticated"] to "list" resource "pods" in namespace "dev""#
        );
    }

    #[test]
    fn cluster_role_bindings_apply_in_every_namespace_and_cluster_wide() {
        let p = Policy::new(
            vec![],
            vec![],
            vec![cluster_role(
                "reader",
                vec![
                    rule(&["get"])
                        .groups(&[""])
                        .resources(&["pods", "nodes"])
                        .build(),
                ],
            )],
            vec![crb("reader", &["Group:readers"])],
        );
        let u = "readers";
        assert!(allows(&p, &attrs("x", u, "get", "pods", "", "a", "")));
        assert!(allows(&p, &attrs("x", u, "get", "pods", "", "b", "")));
        assert!(allows(&p, &attrs("x", u, "get", "nodes", "", "", "")));
        // a RoleBinding to the same ClusterRole grants only in its namespace
        let p = Policy::new(
            vec![],
            vec![rb("a", "ClusterRole", "reader", &["Group:readers"])],
            vec![cluster_role(
                "reader",
                vec![
                    rule(&["get"])
                        .groups(&[""])
                        .resources(&["pods", "nodes"])
                        .build(),
                ],
            )],
            vec![],
        );
        assert!(allows(&p, &attrs("x", u, "get", "pods", "", "a", "")));
        assert!(!allows(&p, &attrs("x", u, "get", "pods", "", "b", "")));
        assert!(!allows(&p, &attrs("x", u, "get", "nodes", "", "", "")));
    }

    #[test]
    fn system_masters_is_allowed_before_rbac_even_with_no_bindings() {
        // No RBAC objects at all: RBAC alone denies, the API server allows
        // (privilegedGroupAuthorizer runs first in the union).
        let p = Policy::new(vec![], vec![], vec![], vec![]);
        let root = attrs("root", "system:masters", "delete", "nodes", "", "", "");
        assert!(!p.authorize(&root).allowed);
        let d = p.authorize_request(&root);
        assert!(d.allowed && d.matched.is_none() && d.errors.is_empty());
        assert!(d.reason.contains("system:masters"), "{}", d.reason);
        // Non-resource requests too.
        let url = url_as("root", &["system:masters"], "get", "/metrics");
        assert!(p.authorize_request(&url).allowed);
        // Exact group names only; other users still go through RBAC.
        for groups in ["System:Masters", "system:masters-ish", "masters"] {
            let a = attrs("root", groups, "delete", "nodes", "", "", "");
            assert!(!p.authorize_request(&a).allowed, "{groups}");
        }
    }

    #[test]
    fn defaults_give_every_user_discovery_and_masters_everything() {
        let p = Policy::from_model(&crate::model::ClusterModel::new(), true);
        let jane = UserInfo::impersonated("jane", &[]);
        assert!(allows(
            &p,
            &Attributes::non_resource(jane.clone(), "get", "/api/v1")
        ));
        assert!(allows(
            &p,
            &Attributes::non_resource(jane.clone(), "get", "/healthz")
        ));
        assert!(!allows(
            &p,
            &Attributes::non_resource(jane.clone(), "get", "/metrics")
        ));
        let ssar = Attributes::resource(
            jane.clone(),
            "create",
            "authorization.k8s.io",
            "selfsubjectaccessreviews",
        );
        assert!(allows(&p, &ssar));
        assert!(!allows(
            &p,
            &Attributes::resource(jane, "list", "", "pods").in_namespace("default")
        ));
        let admin = UserInfo::impersonated("root", &["system:masters".into()]);
        assert!(allows(
            &p,
            &Attributes::resource(admin, "delete", "", "nodes")
        ));
        // kubeadm's admin kubeconfig group
        let kadmin = UserInfo::impersonated("kubernetes-admin", &["kubeadm:cluster-admins".into()]);
        assert!(allows(
            &p,
            &Attributes::resource(
                kadmin,
                "create",
                "rbac.authorization.k8s.io",
                "clusterrolebindings"
            )
        ));
        // anonymous users may read the public info endpoints only
        let anon = UserInfo::impersonated("system:anonymous", &[]);
        assert!(allows(
            &p,
            &Attributes::non_resource(anon.clone(), "get", "/version")
        ));
        assert!(!allows(&p, &Attributes::non_resource(anon, "get", "/api")));
        // the kube-scheduler binding is a User subject
        let sched = UserInfo::impersonated("system:kube-scheduler", &[]);
        assert!(allows(
            &p,
            &Attributes::resource(sched, "create", "", "pods")
                .with_subresource("binding")
                .in_namespace("x")
        ));
    }

    #[test]
    fn aggregated_errors_print_like_upstream() {
        assert_eq!(aggregate_errors(&["a".into()]), "a");
        assert_eq!(aggregate_errors(&["a".into(), "a".into()]), "a");
        assert_eq!(aggregate_errors(&["a".into(), "b".into()]), "[a, b]");
    }
}
