//! Who asks and what they ask for: the API server's `user.Info` and
//! `authorizer.Attributes`, the service-account user names and groups
//! (apiserver `authentication/serviceaccount/util.go`), and the groups the
//! impersonation filter gives an impersonated user
//! (apiserver `endpoints/filters/impersonation.go`).

pub const ALL_AUTHENTICATED: &str = "system:authenticated";
pub const ALL_UNAUTHENTICATED: &str = "system:unauthenticated";
pub const ANONYMOUS: &str = "system:anonymous";
pub const SERVICE_ACCOUNT_USERNAME_PREFIX: &str = "system:serviceaccount:";
pub const ALL_SERVICE_ACCOUNTS_GROUP: &str = "system:serviceaccounts";
pub const SERVICE_ACCOUNT_GROUP_PREFIX: &str = "system:serviceaccounts:";

/// An authenticated identity: a user name and its groups.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserInfo {
    pub name: String,
    pub groups: Vec<String>,
}

impl UserInfo {
    pub fn new(name: impl Into<String>, groups: &[&str]) -> Self {
        UserInfo {
            name: name.into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    /// The user the API server authorizes when a request impersonates
    /// `name` with `groups` (`kubectl --as NAME --as-group G`):
    /// a service-account name without explicit groups gets
    /// `system:serviceaccounts` and `system:serviceaccounts:NS`; every user
    /// but `system:anonymous` gets `system:authenticated` unless the groups
    /// already hold it or `system:unauthenticated`; `system:anonymous` gets
    /// `system:unauthenticated`.
    pub fn impersonated(name: &str, groups: &[String]) -> Self {
        let mut groups: Vec<String> = groups.to_vec();
        if groups.is_empty()
            && let Some((namespace, _)) = split_username(name)
        {
            groups = make_group_names(&namespace);
        }
        if name != ANONYMOUS {
            if !groups
                .iter()
                .any(|g| g == ALL_AUTHENTICATED || g == ALL_UNAUTHENTICATED)
            {
                groups.push(ALL_AUTHENTICATED.to_string());
            }
        } else if !groups.iter().any(|g| g == ALL_UNAUTHENTICATED) {
            groups.push(ALL_UNAUTHENTICATED.to_string());
        }
        UserInfo {
            name: name.to_string(),
            groups,
        }
    }

    /// `(namespace, name)` when this user is a service account.
    pub fn service_account(&self) -> Option<(String, String)> {
        split_username(&self.name)
    }
}

/// `system:serviceaccount:NS:NAME`.
pub fn make_username(namespace: &str, name: &str) -> String {
    format!("{SERVICE_ACCOUNT_USERNAME_PREFIX}{namespace}:{name}")
}

/// Whether `username` is the service account `namespace/name`.
pub fn matches_username(namespace: &str, name: &str, username: &str) -> bool {
    username
        .strip_prefix(SERVICE_ACCOUNT_USERNAME_PREFIX)
        .and_then(|rest| rest.strip_prefix(namespace))
        .and_then(|rest| rest.strip_prefix(':'))
        .is_some_and(|rest| rest == name)
}

/// The namespace and name of a service-account user name, when it is one:
/// exactly two parts after the prefix, a valid namespace name and a valid
/// service-account name.
pub fn split_username(username: &str) -> Option<(String, String)> {
    let rest = username.strip_prefix(SERVICE_ACCOUNT_USERNAME_PREFIX)?;
    let parts: Vec<&str> = rest.split(':').collect();
    let [namespace, name] = parts.as_slice() else {
        return None;
    };
    (is_dns1123_label(namespace) && is_dns1123_subdomain(name))
        .then(|| (namespace.to_string(), name.to_string()))
}

/// The groups every service account of `namespace` is in.
pub fn make_group_names(namespace: &str) -> Vec<String> {
    vec![
        ALL_SERVICE_ACCOUNTS_GROUP.to_string(),
        format!("{SERVICE_ACCOUNT_GROUP_PREFIX}{namespace}"),
    ]
}

fn is_lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && is_lower_alnum(b[0])
        && is_lower_alnum(b[b.len() - 1])
        && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
}

fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && is_lower_alnum(b[0])
                && is_lower_alnum(b[b.len() - 1])
                && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
        })
}

/// One request as the authorizer sees it (upstream `AttributesRecord`).
/// A resource request names a verb, API group, resource, optional
/// subresource and name, in a namespace (empty: cluster-wide); a
/// non-resource request names a verb and a URL path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attributes {
    pub user: UserInfo,
    pub verb: String,
    pub namespace: String,
    pub api_group: String,
    pub resource: String,
    pub subresource: String,
    pub name: String,
    pub resource_request: bool,
    pub path: String,
}

impl Attributes {
    pub fn resource(user: UserInfo, verb: &str, api_group: &str, resource: &str) -> Self {
        Attributes {
            user,
            verb: verb.to_string(),
            api_group: api_group.to_string(),
            resource: resource.to_string(),
            resource_request: true,
            ..Default::default()
        }
    }

    pub fn non_resource(user: UserInfo, verb: &str, path: &str) -> Self {
        Attributes {
            user,
            verb: verb.to_string(),
            path: path.to_string(),
            resource_request: false,
            ..Default::default()
        }
    }

    pub fn in_namespace(mut self, namespace: &str) -> Self {
        self.namespace = namespace.to_string();
        self
    }

    pub fn with_subresource(mut self, subresource: &str) -> Self {
        self.subresource = subresource.to_string();
        self
    }

    pub fn named(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }

    /// `pods` or `pods/log`: what a rule's `resources` must list.
    pub fn combined_resource(&self) -> String {
        if self.subresource.is_empty() {
            self.resource.clone()
        } else {
            format!("{}/{}", self.resource, self.subresource)
        }
    }

    /// The operation as the RBAC authorizer logs a denial:
    /// `"list" resource "deployments.apps/scale" named "web"` or
    /// `"get" nonResourceURL "/healthz"`.
    pub fn operation(&self) -> String {
        if !self.resource_request {
            return format!(
                "{} nonResourceURL {}",
                go_quote(&self.verb),
                go_quote(&self.path)
            );
        }
        let mut r = self.resource.clone();
        if !self.api_group.is_empty() {
            r.push('.');
            r.push_str(&self.api_group);
        }
        if !self.subresource.is_empty() {
            r.push('/');
            r.push_str(&self.subresource);
        }
        let mut s = format!("{} resource {}", go_quote(&self.verb), go_quote(&r));
        if !self.name.is_empty() {
            s.push_str(&format!(" named {}", go_quote(&self.name)));
        }
        s
    }

    /// `in namespace "dev"` or `cluster-wide`.
    pub fn scope(&self) -> String {
        if self.namespace.is_empty() {
            "cluster-wide".to_string()
        } else {
            format!("in namespace {}", go_quote(&self.namespace))
        }
    }
}

/// Go's `%q` for the strings upstream messages quote.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%q` of a `[]string`: `["a" "b"]`.
pub fn go_quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", quoted.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    // upstream: staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util_test.go
    // (MakeUsername / SplitUsername round trips and rejections)
    #[test]
    fn service_account_user_names() {
        assert_eq!(
            make_username("kube-system", "default"),
            "system:serviceaccount:kube-system:default"
        );
        assert_eq!(
            split_username("system:serviceaccount:dev:app"),
            Some(("dev".into(), "app".into()))
        );
        // too many parts, a missing part, a bad namespace, a bad name
        assert_eq!(split_username("system:serviceaccount:a:b:c"), None);
        assert_eq!(split_username("system:serviceaccount:dev"), None);
        assert_eq!(split_username("system:serviceaccount:Dev:app"), None);
        assert_eq!(split_username("system:serviceaccount:dev:App"), None);
        assert_eq!(split_username("jane"), None);
        assert!(matches_username(
            "dev",
            "app",
            "system:serviceaccount:dev:app"
        ));
        assert!(!matches_username(
            "de",
            "v:app",
            "system:serviceaccount:dev:app"
        ));
        assert!(!matches_username(
            "dev",
            "app",
            "system:serviceaccount:dev:apps"
        ));
        assert!(!matches_username("dev", "app", "serviceaccount:dev:app"));
    }

    // upstream: staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go
    // (buildImpersonationRequests; TestImpersonationFilter cases
    // "impersonating-sa-allowed", "impersonating-anonymous", "group-impersonation")
    #[test]
    fn impersonated_users_get_the_api_servers_groups() {
        let u = UserInfo::impersonated("jane", &[]);
        assert_eq!(u.groups, ["system:authenticated"]);
        let sa = UserInfo::impersonated("system:serviceaccount:dev:app", &[]);
        assert_eq!(
            sa.groups,
            [
                "system:serviceaccounts",
                "system:serviceaccounts:dev",
                "system:authenticated"
            ]
        );
        // explicit groups replace the service-account groups
        let sa = UserInfo::impersonated("system:serviceaccount:dev:app", &["ops".into()]);
        assert_eq!(sa.groups, ["ops", "system:authenticated"]);
        // system:authenticated is not added twice, nor next to unauthenticated
        let u = UserInfo::impersonated("jane", &["system:authenticated".into()]);
        assert_eq!(u.groups, ["system:authenticated"]);
        let u = UserInfo::impersonated("jane", &["system:unauthenticated".into()]);
        assert_eq!(u.groups, ["system:unauthenticated"]);
        let anon = UserInfo::impersonated("system:anonymous", &[]);
        assert_eq!(anon.groups, ["system:unauthenticated"]);
    }

    #[test]
    fn operations_print_like_the_authorizers_log() {
        let a = Attributes::resource(UserInfo::default(), "get", "apps", "deployments")
            .with_subresource("scale")
            .named("web")
            .in_namespace("dev");
        assert_eq!(
            a.operation(),
            r#""get" resource "deployments.apps/scale" named "web""#
        );
        assert_eq!(a.scope(), r#"in namespace "dev""#);
        let n = Attributes::non_resource(UserInfo::default(), "get", "/healthz");
        assert_eq!(n.operation(), r#""get" nonResourceURL "/healthz""#);
        assert_eq!(n.scope(), "cluster-wide");
        assert_eq!(go_quote_list(&["a".into(), "b".into()]), r#"["a" "b"]"#);
    }
}
