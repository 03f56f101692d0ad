//! Who may make a request: the subjects of every binding whose role allows
//! it, as the API server's subject locator finds them for a
//! LocalSubjectAccessReview's inverse question
//! (plugin/pkg/auth/authorizer/rbac/subject_locator.go `AllowedSubjects`):
//! the `system:masters` group first (and a configured super-user), then
//! the subjects of each ClusterRoleBinding whose role allows the request,
//! then, for a namespaced request, those of each RoleBinding of that
//! namespace. A binding whose role cannot be resolved contributes nothing
//! and its error is kept. Subjects are listed as written, in that order,
//! duplicates included (upstream computes a de-duplicated list but returns
//! the full one); [`identities`] gives the distinct identities.

use super::attributes::{Attributes, go_quote};
use super::authorizer::resolve_role_ref;
use super::matching::rule_allows;
use super::policy::{BindingDef, Policy};
use k8s_openapi::api::rbac::v1::Subject;

/// `user.SystemPrivilegedGroup`: allowed everything before RBAC is asked.
pub const SYSTEM_PRIVILEGED_GROUP: &str = "system:masters";

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// One subject allowed to make the request, and the grant that allows it
/// (none for `system:masters` and the super-user).
#[derive(Clone, Debug)]
pub struct AllowedSubject<'a> {
    pub subject: Subject,
    pub via: Option<Via<'a>>,
}

/// The binding, and the first rule of its role that allows the request.
#[derive(Clone, Copy, Debug)]
pub struct Via<'a> {
    pub binding: &'a BindingDef,
    /// `Role/NS/NAME` or `ClusterRole/NAME`.
    pub role: &'a super::policy::RoleDef,
    pub rule_index: usize,
}

impl Via<'_> {
    /// `RoleBinding/prod/ops → ClusterRole/admin rule 3`.
    pub fn describe(&self) -> String {
        format!(
            "{} → {} rule {}",
            self.binding.source.id, self.role.source.id, self.rule_index
        )
    }
}

/// `AllowedSubjects`: the subjects, and the errors met resolving roles.
/// `super_user` is the API server's optional super-user name (empty: none).
pub fn allowed_subjects<'a>(
    policy: &'a Policy,
    attrs: &Attributes,
    super_user: &str,
) -> (Vec<AllowedSubject<'a>>, Vec<String>) {
    let mut out = vec![AllowedSubject {
        subject: rbac_subject("Group", SYSTEM_PRIVILEGED_GROUP),
        via: None,
    }];
    if !super_user.is_empty() {
        out.push(AllowedSubject {
            subject: rbac_subject("User", super_user),
            via: None,
        });
    }
    let mut errors = Vec::new();
    let namespaced = (!attrs.namespace.is_empty())
        .then(|| {
            policy
                .role_bindings_in(&attrs.namespace)
                .map(|b| (b, attrs.namespace.as_str()))
        })
        .into_iter()
        .flatten();
    let bindings = policy
        .cluster_role_bindings
        .iter()
        .map(|b| (b, ""))
        .chain(namespaced);
    for (binding, ns) in bindings {
        let role = match resolve_role_ref(policy, &binding.role_ref, ns) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some(rule_index) = role.rules.iter().position(|r| rule_allows(attrs, r)) else {
            continue;
        };
        for s in &binding.subjects {
            out.push(AllowedSubject {
                subject: s.clone(),
                via: Some(Via {
                    binding,
                    role,
                    rule_index,
                }),
            });
        }
    }
    (out, errors)
}

fn rbac_subject(kind: &str, name: &str) -> Subject {
    Subject {
        kind: kind.into(),
        api_group: Some(RBAC_GROUP.into()),
        name: name.into(),
        namespace: None,
    }
}

/// The identity a subject stands for, as the authorizer matches it: a
/// ServiceAccount without a namespace is the one in its binding's
/// namespace (and in a ClusterRoleBinding matches no one).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Identity {
    User(String),
    Group(String),
    /// (namespace, name)
    ServiceAccount(String, String),
}

impl Identity {
    /// `User "jane"`, `Group "ops"`, `ServiceAccount "prod/backup"`.
    pub fn describe(&self) -> String {
        match self {
            Identity::User(n) => format!("User {}", go_quote(n)),
            Identity::Group(n) => format!("Group {}", go_quote(n)),
            Identity::ServiceAccount(ns, n) => {
                format!("ServiceAccount {}", go_quote(&format!("{ns}/{n}")))
            }
        }
    }

    /// What to write for it: `jane`, `ops`, `prod/backup`.
    pub fn short(&self) -> String {
        match self {
            Identity::User(n) | Identity::Group(n) => n.clone(),
            Identity::ServiceAccount(ns, n) => format!("{ns}/{n}"),
        }
    }
}

/// The identity of `s` in a binding of `binding_namespace` (empty for a
/// ClusterRoleBinding); None for a subject that can match no one.
pub fn identity(s: &Subject, binding_namespace: &str) -> Option<Identity> {
    match s.kind.as_str() {
        "User" => Some(Identity::User(s.name.clone())),
        "Group" => Some(Identity::Group(s.name.clone())),
        "ServiceAccount" => {
            let ns = s
                .namespace
                .as_deref()
                .filter(|n| !n.is_empty())
                .unwrap_or(binding_namespace);
            (!ns.is_empty()).then(|| Identity::ServiceAccount(ns.to_string(), s.name.clone()))
        }
        _ => None,
    }
}

/// The distinct identities among `allowed`, each with the first grant
/// that allows it, in order of appearance.
pub fn identities<'a>(allowed: &[AllowedSubject<'a>]) -> Vec<(Identity, Option<Via<'a>>)> {
    let mut out: Vec<(Identity, Option<Via<'a>>)> = Vec::new();
    for a in allowed {
        let ns = a.via.map(|v| v.binding.namespace()).unwrap_or("");
        let Some(id) = identity(&a.subject, ns) else {
            continue;
        };
        if !out.iter().any(|(x, _)| *x == id) {
            out.push((id, a.via));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::attributes::UserInfo;
    use super::super::fixtures::{cluster_role, meta, new_rule, role_ref, subject};
    use super::*;
    use k8s_openapi::api::rbac::v1::{ClusterRoleBinding, Role, RoleBinding};

    fn crb(role: &str, subjects: &[&str]) -> ClusterRoleBinding {
        ClusterRoleBinding {
            metadata: meta(None, role),
            role_ref: role_ref("ClusterRole", role),
            subjects: Some(subjects.iter().map(|s| subject(s)).collect()),
        }
    }

    fn rb(ns: &str, kind: &str, role: &str, subjects: &[&str]) -> RoleBinding {
        RoleBinding {
            metadata: meta(Some(ns), role),
            role_ref: role_ref(kind, role),
            subjects: Some(subjects.iter().map(|s| subject(s)).collect()),
        }
    }

    /// upstream rbac_test.go `defaultAttributes{"", "", verb, resource, "", namespace, ""}`
    fn action(verb: &str, resource: &str, ns: &str) -> Attributes {
        Attributes::resource(UserInfo::default(), verb, "", resource).in_namespace(ns)
    }

    fn names(p: &Policy, a: &Attributes, super_user: &str) -> Vec<String> {
        let (subjects, errors) = allowed_subjects(p, a, super_user);
        assert!(errors.is_empty(), "{errors:?}");
        subjects
            .iter()
            .map(|s| format!("{}:{}", s.subject.kind, s.subject.name))
            .collect()
    }

    // upstream: plugin/pkg/auth/authorizer/rbac/subject_locator_test.go
    // TestSubjectLocator case "no super user, star matches star"
    #[test]
    fn no_super_user_star_matches_star() {
        let p = Policy::new(
            vec![],
            vec![rb(
                "ns1",
                "ClusterRole",
                "admin",
                &["User:admin", "Group:admins"],
            )],
            vec![cluster_role("admin", vec![new_rule("*", "*", "*", "*")])],
            vec![crb("admin", &["User:super-admin", "Group:super-admins"])],
        );
        assert_eq!(
            names(&p, &action("get", "Pods", "ns1"), ""),
            [
                "Group:system:masters",
                "User:super-admin",
                "Group:super-admins",
                "User:admin",
                "Group:admins"
            ]
        );
        // cluster role matches star in namespace
        assert_eq!(
            names(&p, &action("*", "Pods", "*"), ""),
            [
                "Group:system:masters",
                "User:super-admin",
                "Group:super-admins"
            ]
        );
        // empty ns
        assert_eq!(
            names(&p, &action("*", "Pods", ""), ""),
            [
                "Group:system:masters",
                "User:super-admin",
                "Group:super-admins"
            ]
        );
    }

    // upstream: subject_locator_test.go TestSubjectLocator case
    // "super user, local roles work"
    #[test]
    fn super_user_local_roles_work() {
        let p = Policy::new(
            vec![Role {
                metadata: meta(Some("ns1"), "admin"),
                rules: Some(vec![new_rule("get", "*", "Pods", "*")]),
            }],
            vec![rb("ns1", "Role", "admin", &["User:admin", "Group:admins"])],
            vec![cluster_role("admin", vec![new_rule("*", "*", "*", "*")])],
            vec![crb("admin", &["User:super-admin", "Group:super-admins"])],
        );
        assert_eq!(
            names(&p, &action("get", "Pods", "ns1"), "foo"),
            [
                "Group:system:masters",
                "User:foo",
                "User:super-admin",
                "Group:super-admins",
                "User:admin",
                "Group:admins"
            ]
        );
        // verb matches correctly
        assert_eq!(
            names(&p, &action("create", "Pods", "ns1"), "foo"),
            [
                "Group:system:masters",
                "User:foo",
                "User:super-admin",
                "Group:super-admins"
            ]
        );
        // binding only works in correct ns
        assert_eq!(
            names(&p, &action("get", "Pods", "ns2"), "foo"),
            [
                "Group:system:masters",
                "User:foo",
                "User:super-admin",
                "Group:super-admins"
            ]
        );
    }

    // upstream: subject_locator.go keeps going past a binding whose role is
    // missing and returns its error alongside the subjects found.
    #[test]
    fn missing_roles_are_errors_not_subjects() {
        let p = Policy::new(
            vec![],
            vec![
                rb("ns1", "Role", "gone", &["User:ghost"]),
                rb("ns1", "ClusterRole", "admin", &["User:admin"]),
            ],
            vec![cluster_role("admin", vec![new_rule("*", "*", "*", "*")])],
            vec![],
        );
        let (subjects, errors) = allowed_subjects(&p, &action("get", "pods", "ns1"), "");
        let got: Vec<&str> = subjects.iter().map(|s| s.subject.name.as_str()).collect();
        assert_eq!(got, ["system:masters", "admin"]);
        assert_eq!(
            errors,
            ["role.rbac.authorization.k8s.io \"gone\" not found"]
        );
    }

    // Duplicates are returned as upstream returns them; identities() folds
    // them, resolving a ServiceAccount without namespace to its binding's.
    #[test]
    fn identities_fold_duplicates_and_default_sa_namespaces() {
        let p = Policy::new(
            vec![],
            vec![
                rb(
                    "ns1",
                    "ClusterRole",
                    "admin",
                    &["User:admin", "ServiceAccount:ci"],
                ),
                rb("ns1", "ClusterRole", "edit", &["User:admin"]),
            ],
            vec![
                cluster_role("admin", vec![new_rule("*", "*", "*", "*")]),
                cluster_role("edit", vec![new_rule("get", "", "pods", "")]),
            ],
            vec![crb("admin", &["ServiceAccount:orphan"])],
        );
        let (subjects, _) = allowed_subjects(&p, &action("get", "pods", "ns1"), "");
        assert_eq!(subjects.len(), 5);
        let ids: Vec<Identity> = identities(&subjects).into_iter().map(|(i, _)| i).collect();
        assert_eq!(
            ids,
            [
                Identity::Group("system:masters".into()),
                Identity::User("admin".into()),
                Identity::ServiceAccount("ns1".into(), "ci".into()),
            ]
        );
    }
}
