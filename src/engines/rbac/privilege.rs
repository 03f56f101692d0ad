//! Least privilege: does a user hold exactly an allowed set of permissions
//! in a namespace, and nothing beyond? Answered with the authorizer, not by
//! comparing rule text: every request a Kubernetes 1.36 API server can
//! receive (each served resource and subresource with the verbs it takes,
//! in the namespace, in other namespaces and cluster-wide, plus common
//! non-resource URLs) is authorized against the bindings that are not the
//! API server's defaults, and each one allowed but not in the set is
//! reported. So `verbs: ["*"]`, a ClusterRoleBinding, or `resources:
//! ["pods", "pods/log"]` with `list` (there is no list on pods/log) are
//! judged by what they really let the user do.

use super::attributes::{Attributes, UserInfo};
use super::authorizer::Matched;
use super::policy::Policy;
use crate::model::kinds::{KINDS, Served};
use std::collections::BTreeSet;

/// One permission of the allowed set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowed {
    pub verbs: Vec<String>,
    pub api_group: String,
    pub resource: String,
    /// Empty for the resource itself.
    pub subresource: String,
    /// Empty: every name.
    pub names: Vec<String>,
}

impl Allowed {
    /// Whether this permission covers a request in the namespace it is
    /// allowed in.
    pub fn covers(&self, a: &Attributes) -> bool {
        a.resource_request
            && self.verbs.contains(&a.verb)
            && self.api_group == a.api_group
            && self.resource == a.resource
            && self.subresource == a.subresource
            && (self.names.is_empty() || (!a.name.is_empty() && self.names.contains(&a.name)))
    }

    /// Whether a `get` on `pods/exec`, `pods/attach` or `pods/portforward`
    /// adds nothing to this permission because it already allows `create`
    /// on the same request. `get` is the verb of the WebSocket upgrade and
    /// `create` that of SPDY's POST; both open the same session. Before
    /// 1.35 either verb alone was enough; since 1.35 (the
    /// AuthorizePodWebsocketUpgradeCreatePermission gate, beta and on by
    /// default) the WebSocket upgrade needs `create` as well. So next to
    /// `create`, `get` grants nothing more on any version, and a Role
    /// granting both (so clients need not fall back from WebSocket to
    /// SPDY) holds no excess privilege.
    /// upstream: kubernetes/website content/en/docs/reference/
    /// command-line-tools-reference/feature-gates/
    /// AuthorizePodWebsocketUpgradeCreatePermission.md
    pub fn covers_connect_get(&self, a: &Attributes) -> bool {
        a.resource_request
            && a.verb == "get"
            && a.api_group.is_empty()
            && a.resource == "pods"
            && matches!(a.subresource.as_str(), "exec" | "attach" | "portforward")
            && self.covers(&Attributes {
                verb: "create".into(),
                ..a.clone()
            })
    }

    /// The requests this permission asks for.
    pub fn requests(&self, user: &UserInfo, namespace: &str) -> Vec<Attributes> {
        let names: Vec<&str> = if self.names.is_empty() {
            vec![""]
        } else {
            self.names.iter().map(String::as_str).collect()
        };
        let mut out = Vec::new();
        for v in &self.verbs {
            for n in &names {
                out.push(
                    Attributes::resource(user.clone(), v, &self.api_group, &self.resource)
                        .with_subresource(&self.subresource)
                        .named(n)
                        .in_namespace(namespace),
                );
            }
        }
        out
    }
}

/// Requests the user may make beyond the allowed set, grouped by the rule
/// that allows them and what they touch.
#[derive(Clone, Debug, PartialEq)]
pub struct Excess {
    /// Empty for cluster-wide requests.
    pub namespace: String,
    /// `pods`, `deployments.apps/scale`, `secrets named "db"`, `/metrics`.
    pub target: String,
    pub verbs: Vec<String>,
    pub matched: Matched,
}

const STANDARD_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];
const URL_VERBS: &[&str] = &["get", "head", "options", "post", "put", "patch", "delete"];
const COMMON_URLS: &[&str] = &[
    "/api",
    "/apis",
    "/healthz",
    "/livez",
    "/readyz",
    "/version",
    "/metrics",
    "/logs",
    "/openapi/v2",
    "/debug/pprof",
];

/// The verbs the API server authorizes for a subresource.
fn subresource_verbs(group: &str, resource: &str, sub: &str) -> &'static [&'static str] {
    match (group, resource, sub) {
        (_, _, "proxy") => &["get", "create", "update", "patch", "delete"],
        ("", "nodes", _) if sub != "status" => &["get"],
        (_, _, "log") => &["get"],
        (_, _, "exec" | "attach" | "portforward") => &["create", "get"],
        (_, _, "eviction" | "binding" | "token") => &["create"],
        (_, _, "approval" | "finalize") => &["update"],
        _ => &["get", "update", "patch"],
    }
}

/// Extra verbs some resources take.
fn special_verbs(group: &str, resource: &str) -> &'static [&'static str] {
    match (group, resource) {
        ("rbac.authorization.k8s.io", "roles" | "clusterroles") => &["bind", "escalate"],
        ("", "serviceaccounts") => &["impersonate"],
        _ => &[],
    }
}

struct Kind {
    group: &'static str,
    resource: &'static str,
    namespaced: bool,
}

/// Every served resource once, plus the resources that exist only for
/// RBAC (users and groups to impersonate, signers to approve).
fn kinds() -> Vec<Kind> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for k in KINDS.iter().filter(|k| k.served == Served::Yes) {
        if seen.insert((k.group, k.plural)) {
            out.push(Kind {
                group: k.group,
                resource: k.plural,
                namespaced: k.namespaced,
            });
        }
    }
    out
}

fn special_requests(user: &UserInfo) -> Vec<Attributes> {
    let mut out = Vec::new();
    for (g, r, verbs) in [
        ("", "users", &["impersonate"][..]),
        ("", "groups", &["impersonate"][..]),
        ("authentication.k8s.io", "uids", &["impersonate"][..]),
        ("authentication.k8s.io", "userextras", &["impersonate"][..]),
        (
            "certificates.k8s.io",
            "signers",
            &["approve", "sign", "attest"][..],
        ),
    ] {
        for v in verbs {
            out.push(Attributes::resource(user.clone(), v, g, r));
        }
    }
    out
}

/// Every request worth asking about in `namespace` (empty: cluster-wide,
/// where namespaced resources are asked across all namespaces).
fn universe(user: &UserInfo, namespace: &str, names: &[String]) -> Vec<Attributes> {
    let mut out = Vec::new();
    let mut name_opts: Vec<&str> = vec![""];
    name_opts.extend(names.iter().map(String::as_str));
    for k in kinds() {
        if !namespace.is_empty() && !k.namespaced {
            continue;
        }
        let mut push = |verb: &str, sub: &str| {
            for n in &name_opts {
                out.push(
                    Attributes::resource(user.clone(), verb, k.group, k.resource)
                        .with_subresource(sub)
                        .named(n)
                        .in_namespace(namespace),
                );
            }
        };
        for v in STANDARD_VERBS
            .iter()
            .chain(special_verbs(k.group, k.resource))
        {
            push(v, "");
        }
        for sub in super::resolve::subresources(k.group, k.resource) {
            for v in subresource_verbs(k.group, k.resource, sub) {
                push(v, sub);
            }
        }
    }
    if namespace.is_empty() {
        out.extend(special_requests(user));
    }
    out
}

fn url_universe(user: &UserInfo, policy: &Policy) -> Vec<Attributes> {
    let mut urls: BTreeSet<String> = COMMON_URLS.iter().map(|u| u.to_string()).collect();
    for r in policy
        .roles
        .iter()
        .chain(&policy.cluster_roles)
        .flat_map(|r| &r.rules)
    {
        for u in r.non_resource_urls.iter().flatten() {
            let base = u.trim_end_matches('*');
            urls.insert(if base.ends_with('/') {
                format!("{base}x")
            } else {
                base.to_string()
            });
        }
    }
    urls.iter()
        .flat_map(|u| {
            URL_VERBS
                .iter()
                .map(move |v| Attributes::non_resource(user.clone(), v, u))
        })
        .collect()
}

/// Every name the allowed set or a rule the user is granted mentions:
/// named requests are asked for these too.
fn mentioned_names(
    policy: &Policy,
    user: &UserInfo,
    scopes: &[&str],
    allowed: &[Allowed],
) -> Vec<String> {
    let mut names: BTreeSet<String> = allowed.iter().flat_map(|a| a.names.clone()).collect();
    for ns in scopes {
        let (grants, _) = policy.grants_for(user, ns);
        for g in grants {
            names.extend(g.rule.resource_names.iter().flatten().cloned());
        }
    }
    names.into_iter().filter(|n| !n.is_empty()).collect()
}

/// The allowed requests the user cannot make (with the full policy,
/// defaults included).
pub fn missing(
    policy: &Policy,
    user: &UserInfo,
    namespace: &str,
    allowed: &[Allowed],
) -> Vec<Attributes> {
    allowed
        .iter()
        .flat_map(|a| a.requests(user, namespace))
        .filter(|r| !policy.authorize(r).allowed)
        .collect()
}

/// What the user's non-default bindings allow beyond `allowed` in
/// `namespace`, in each of `elsewhere`, and cluster-wide.
pub fn excess(
    policy: &Policy,
    user: &UserInfo,
    namespace: &str,
    allowed: &[Allowed],
    elsewhere: &[String],
) -> Vec<Excess> {
    let learner = policy.without_builtin_bindings();
    let mut scopes: Vec<&str> = vec![namespace];
    scopes.extend(
        elsewhere
            .iter()
            .map(String::as_str)
            .filter(|n| *n != namespace && !n.is_empty()),
    );
    scopes.push("");
    let names = mentioned_names(&learner, user, &scopes, allowed);
    let mut out: Vec<Excess> = Vec::new();
    for ns in scopes {
        let mut requests = universe(user, ns, &names);
        if ns.is_empty() {
            requests.extend(url_universe(user, &learner));
        }
        for r in requests {
            if ns == namespace
                && allowed
                    .iter()
                    .any(|a| a.covers(&r) || a.covers_connect_get(&r))
            {
                continue;
            }
            let d = learner.authorize(&r);
            let Some(m) = d.matched else {
                continue;
            };
            let target = target_text(&r);
            match out.iter_mut().find(|e| {
                e.namespace == ns
                    && e.target == target
                    && e.matched.binding == m.binding
                    && e.matched.rule_index == m.rule_index
                    && e.matched.role == m.role
            }) {
                Some(e) => {
                    if !e.verbs.contains(&r.verb) {
                        e.verbs.push(r.verb.clone());
                    }
                }
                None => out.push(Excess {
                    namespace: ns.to_string(),
                    target,
                    verbs: vec![r.verb.clone()],
                    matched: m,
                }),
            }
        }
    }
    out
}

fn target_text(r: &Attributes) -> String {
    if !r.resource_request {
        return r.path.clone();
    }
    let mut t = r.resource.clone();
    if !r.api_group.is_empty() {
        t.push('.');
        t.push_str(&r.api_group);
    }
    if !r.subresource.is_empty() {
        t.push('/');
        t.push_str(&r.subresource);
    }
    if !r.name.is_empty() {
        t.push_str(&format!(" named {:?}", r.name));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::meta;
    use super::super::matching::rule;
    use super::*;
    use k8s_openapi::api::rbac::v1::{
        ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject,
    };

    fn jane_subject() -> Vec<Subject> {
        vec![Subject {
            kind: "User".into(),
            name: "jane".into(),
            ..Default::default()
        }]
    }

    fn role_ref(kind: &str, name: &str) -> RoleRef {
        RoleRef {
            api_group: None,
            kind: kind.into(),
            name: name.into(),
        }
    }

    fn setup(rules: Vec<PolicyRule>, cluster_wide: bool) -> Policy {
        let role = Role {
            metadata: meta(Some("dev"), "r"),
            rules: Some(rules.clone()),
        };
        let cr = k8s_openapi::api::rbac::v1::ClusterRole {
            metadata: meta(None, "r"),
            rules: Some(rules),
            aggregation_rule: None,
        };
        if cluster_wide {
            Policy::new(
                vec![],
                vec![],
                vec![cr],
                vec![ClusterRoleBinding {
                    metadata: meta(None, "b"),
                    role_ref: role_ref("ClusterRole", "r"),
                    subjects: Some(jane_subject()),
                }],
            )
        } else {
            Policy::new(
                vec![role],
                vec![RoleBinding {
                    metadata: meta(Some("dev"), "b"),
                    role_ref: role_ref("Role", "r"),
                    subjects: Some(jane_subject()),
                }],
                vec![],
                vec![],
            )
        }
    }

    fn read_pods_and_logs() -> Vec<Allowed> {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        vec![
            Allowed {
                verbs: s(&["get", "list", "watch"]),
                api_group: String::new(),
                resource: "pods".into(),
                subresource: String::new(),
                names: vec![],
            },
            Allowed {
                verbs: s(&["get"]),
                api_group: String::new(),
                resource: "pods".into(),
                subresource: "log".into(),
                names: vec![],
            },
        ]
    }

    fn jane() -> UserInfo {
        UserInfo::impersonated("jane", &[])
    }

    #[test]
    fn exact_grant_has_no_excess_and_nothing_missing() {
        // "list" on pods/log is granted on paper but is no real request
        let p = setup(
            vec![
                rule(&["get", "list", "watch"])
                    .groups(&[""])
                    .resources(&["pods", "pods/log"])
                    .build(),
            ],
            false,
        );
        assert!(missing(&p, &jane(), "dev", &read_pods_and_logs()).is_empty());
        assert_eq!(
            excess(&p, &jane(), "dev", &read_pods_and_logs(), &[]),
            vec![]
        );
    }

    #[test]
    fn wildcards_and_cluster_bindings_are_excess() {
        let p = setup(
            vec![
                rule(&["*"])
                    .groups(&[""])
                    .resources(&["pods", "pods/log"])
                    .build(),
            ],
            false,
        );
        let e = excess(&p, &jane(), "dev", &read_pods_and_logs(), &[]);
        let pods = e.iter().find(|x| x.target == "pods").unwrap();
        assert!(pods.verbs.contains(&"delete".to_string()));
        assert!(!pods.verbs.contains(&"get".to_string()));
        let p = setup(
            vec![
                rule(&["get", "list", "watch"])
                    .groups(&[""])
                    .resources(&["pods", "pods/log"])
                    .build(),
            ],
            true,
        );
        assert!(missing(&p, &jane(), "dev", &read_pods_and_logs()).is_empty());
        let e = excess(&p, &jane(), "dev", &read_pods_and_logs(), &["prod".into()]);
        assert!(
            e.iter()
                .any(|x| x.namespace == "prod" && x.target == "pods")
        );
        assert!(
            e.iter()
                .any(|x| x.namespace.is_empty() && x.target == "pods")
        );
        assert_eq!(e[0].matched.binding, "ClusterRoleBinding/b");
    }

    #[test]
    fn missing_permissions_are_listed() {
        let p = setup(
            vec![
                rule(&["get", "list", "watch"])
                    .groups(&[""])
                    .resources(&["pods"])
                    .build(),
            ],
            false,
        );
        let m = missing(&p, &jane(), "dev", &read_pods_and_logs());
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].combined_resource(), "pods/log");
    }

    // upstream: kubernetes/website feature-gates/
    // AuthorizePodWebsocketUpgradeCreatePermission.md: a WebSocket
    // upgrade (verb get) on pods/exec, attach or portforward also needs
    // create since 1.35, so get next to create grants nothing more.
    #[test]
    fn get_beside_create_on_connect_subresources_is_no_excess() {
        let exec = |verbs: &[&str], names: &[&str]| Allowed {
            verbs: verbs.iter().map(|v| v.to_string()).collect(),
            api_group: String::new(),
            resource: "pods".into(),
            subresource: "exec".into(),
            names: names.iter().map(|n| n.to_string()).collect(),
        };
        let p = setup(
            vec![
                rule(&["get", "create"])
                    .groups(&[""])
                    .resources(&["pods/exec"])
                    .build(),
            ],
            false,
        );
        assert!(excess(&p, &jane(), "dev", &[exec(&["create"], &[])], &[]).is_empty());
        // get alone was never asked for: without create it is excess
        // (before 1.35 it opened a WebSocket exec by itself)
        let e = excess(&p, &jane(), "dev", &[exec(&["get"], &[])], &[]);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            (e[0].target.as_str(), e[0].verbs.clone()),
            ("pods/exec", vec!["create".to_string()])
        );
        // create on one pod does not excuse get on every pod
        let e = excess(&p, &jane(), "dev", &[exec(&["create"], &["debug"])], &[]);
        assert!(
            e.iter().any(|x| x.verbs.contains(&"get".to_string())),
            "{e:?}"
        );
        // the same rule for attach and portforward, not for pods/log
        let p = setup(
            vec![
                rule(&["get", "create"])
                    .groups(&[""])
                    .resources(&["pods/portforward", "pods/log"])
                    .build(),
            ],
            false,
        );
        let pf = Allowed {
            subresource: "portforward".into(),
            ..exec(&["create"], &[])
        };
        let e = excess(&p, &jane(), "dev", &[pf], &[]);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].target, "pods/log");
    }

    #[test]
    fn resource_names_narrow_and_widen() {
        let one = vec![Allowed {
            verbs: vec!["get".into()],
            api_group: String::new(),
            resource: "secrets".into(),
            subresource: String::new(),
            names: vec!["db".into()],
        }];
        let p = setup(
            vec![
                rule(&["get"])
                    .groups(&[""])
                    .resources(&["secrets"])
                    .names(&["db"])
                    .build(),
            ],
            false,
        );
        assert!(missing(&p, &jane(), "dev", &one).is_empty());
        assert!(excess(&p, &jane(), "dev", &one, &[]).is_empty());
        let p = setup(
            vec![rule(&["get"]).groups(&[""]).resources(&["secrets"]).build()],
            false,
        );
        let e = excess(&p, &jane(), "dev", &one, &[]);
        assert_eq!(e[0].target, "secrets");
    }
}
