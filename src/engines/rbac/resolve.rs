//! Resource type names as `kubectl auth can-i` resolves them
//! (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go `resourceFor`, over
//! the REST mapper and shortcut expander of client-go's `restmapper`):
//! a plural, singular, short name or Kind, case-insensitive, optionally
//! `.group` (`deployments.apps`) or `.version.group`. A name no served
//! kind has is used verbatim, with kubectl's warning. Also the subresources
//! a Kubernetes 1.36 API server serves, for hints. With a model, the
//! CustomResourceDefinitions in it are served too, as discovery would
//! list them once they are installed ([`resolve_in`]).

use crate::model::ClusterModel;
use crate::model::kinds::{KINDS, KindInfo, Served};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

/// What a TYPE argument names.
#[derive(Clone, Debug)]
pub struct ResourceType {
    pub group: String,
    pub resource: String,
    /// The kind, when the type is served by a default 1.36 API server.
    pub info: Option<&'static KindInfo>,
    /// kubectl's warning for a type it cannot resolve.
    pub warning: Option<String>,
}

impl ResourceType {
    /// `deployments.apps`, or `pods` for the core group.
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }
}

/// Resources kubectl accepts without discovery (users and groups, for the
/// `impersonate` verb).
const NON_STANDARD: &[&str] = &["users", "groups"];

fn served() -> impl Iterator<Item = &'static KindInfo> {
    KINDS.iter().filter(|k| k.served == Served::Yes)
}

/// Exact plural or singular name, in a group when one is given. Served
/// kinds are in discovery order (the core group first), which is how
/// kubectl's priority mapper breaks ties (`events` is the core one).
fn by_name(
    resource: &str,
    group: Option<&str>,
    version: Option<&str>,
) -> Option<&'static KindInfo> {
    served().find(|k| {
        group.is_none_or(|g| g == k.group)
            && version.is_none_or(|v| v == k.version)
            && (k.plural == resource || k.singular() == resource)
    })
}

/// The shortcut expander: a short name, in the given group, or failing
/// that in a group the given one is a prefix of (`hpa.autoscal`).
fn by_short_name(resource: &str, group: Option<&str>) -> Option<&'static KindInfo> {
    let exact =
        served().find(|k| group.is_none_or(|g| g == k.group) && k.short_names.contains(&resource));
    exact.or_else(|| {
        let g = group?;
        served().find(|k| k.group.starts_with(g) && k.short_names.contains(&resource))
    })
}

fn lookup(resource: &str, group: Option<&str>, version: Option<&str>) -> Option<&'static KindInfo> {
    if let Some(k) = by_name(resource, group, None) {
        return (version.is_none_or(|v| by_name(resource, group, Some(v)).is_some())).then_some(k);
    }
    let k = by_short_name(resource, group)?;
    match version {
        Some(v) => by_name(k.plural, Some(k.group), Some(v)),
        None => Some(k),
    }
}

/// kubectl's `resourceFor`.
pub fn resolve(arg: &str) -> ResourceType {
    if arg == "*" {
        return ResourceType {
            group: String::new(),
            resource: "*".into(),
            info: None,
            warning: None,
        };
    }
    let lower = arg.to_lowercase();
    // resource.version.group, tried first when there are two dots or more
    let mut found = None;
    if lower.matches('.').count() >= 2 {
        let mut parts = lower.splitn(3, '.');
        if let (Some(r), Some(v), Some(g)) = (parts.next(), parts.next(), parts.next()) {
            found = lookup(r, Some(g), Some(v));
        }
    }
    let (resource, group) = match lower.split_once('.') {
        Some((r, g)) => (r.to_string(), Some(g.to_string())),
        None => (lower.clone(), None),
    };
    if found.is_none() {
        found = lookup(&resource, group.as_deref(), None);
    }
    match found {
        Some(k) => ResourceType {
            group: k.group.to_string(),
            resource: k.plural.to_string(),
            info: Some(k),
            warning: None,
        },
        None => {
            let group_resource = match &group {
                Some(g) => format!("{resource}.{g}"),
                None => resource.clone(),
            };
            let warning =
                (!NON_STANDARD.contains(&group_resource.as_str())).then(|| match &group {
                    Some(g) if !g.is_empty() => format!(
                        "the server doesn't have a resource type '{resource}' in group '{g}'"
                    ),
                    _ => format!("the server doesn't have a resource type '{resource}'"),
                });
            ResourceType {
                group: String::new(),
                resource: arg.to_string(),
                info: None,
                warning,
            }
        }
    }
}

/// The names discovery gives a custom resource: plural, singular, short
/// names and the lower-cased kind (client-go's restmapper matches all of
/// them, case-insensitively).
fn crd_names(crd: &CustomResourceDefinition) -> Vec<String> {
    let n = &crd.spec.names;
    let mut out = vec![n.plural.to_lowercase(), n.kind.to_lowercase()];
    out.extend(n.singular.iter().map(|s| s.to_lowercase()));
    out.extend(n.short_names.iter().flatten().map(|s| s.to_lowercase()));
    out.retain(|s| !s.is_empty());
    out
}

/// The CRD `arg` names: `backups`, `backup`, `bk`, `Backup`,
/// `backups.backup.example.com` or `backups.v1.backup.example.com` (the
/// version must be one the CRD serves).
fn crd_for<'a>(
    arg: &str,
    crds: &[&'a CustomResourceDefinition],
) -> Option<&'a CustomResourceDefinition> {
    let lower = arg.to_lowercase();
    let named = |resource: &str, group: Option<&str>, version: Option<&str>| {
        crds.iter().copied().find(|c| {
            group.is_none_or(|g| g == c.spec.group.to_lowercase())
                && version.is_none_or(|v| c.spec.versions.iter().any(|x| x.served && x.name == v))
                && crd_names(c).iter().any(|n| n == resource)
        })
    };
    if lower.matches('.').count() >= 2 {
        let mut parts = lower.splitn(3, '.');
        if let (Some(r), Some(v), Some(g)) = (parts.next(), parts.next(), parts.next())
            && let Some(c) = named(r, Some(g), Some(v))
        {
            return Some(c);
        }
    }
    match lower.split_once('.') {
        Some((r, g)) => named(r, Some(g), None),
        None => named(&lower, None, None),
    }
}

/// [`resolve`], with the CustomResourceDefinitions of `model` served as
/// well: kubectl finds an installed CRD through discovery. Built-in types
/// win a name both have.
pub fn resolve_in(arg: &str, model: &ClusterModel) -> ResourceType {
    let rt = resolve(arg);
    if rt.warning.is_none() {
        return rt;
    }
    let crds: Vec<&CustomResourceDefinition> = model
        .of::<CustomResourceDefinition>()
        .map(|c| c.obj)
        .collect();
    match crd_for(arg, &crds) {
        Some(c) => ResourceType {
            group: c.spec.group.clone(),
            resource: c.spec.names.plural.clone(),
            info: None,
            warning: None,
        },
        None => rt,
    }
}

/// The subresources a Kubernetes 1.36 API server serves for a resource,
/// including the kubelet API's node subresources RBAC rules name
/// (`nodes/log`, `nodes/metrics`, ...).
pub fn subresources(group: &str, resource: &str) -> &'static [&'static str] {
    match (group, resource) {
        ("", "pods") => &[
            "attach",
            "binding",
            "ephemeralcontainers",
            "eviction",
            "exec",
            "log",
            "portforward",
            "proxy",
            "resize",
            "status",
        ],
        ("", "nodes") => &[
            "configz", "healthz", "log", "metrics", "pods", "proxy", "spec", "stats", "status",
        ],
        ("", "services") => &["proxy", "status"],
        ("", "namespaces") => &["finalize", "status"],
        ("", "serviceaccounts") => &["token"],
        ("", "replicationcontrollers") => &["scale", "status"],
        ("", "persistentvolumeclaims" | "persistentvolumes" | "resourcequotas") => &["status"],
        ("apps", "deployments" | "replicasets" | "statefulsets") => &["scale", "status"],
        ("apps", "daemonsets") => &["status"],
        ("batch", "jobs" | "cronjobs") => &["status"],
        ("autoscaling", "horizontalpodautoscalers") => &["status"],
        ("certificates.k8s.io", "certificatesigningrequests") => &["approval", "status"],
        ("networking.k8s.io", "ingresses" | "servicecidrs") => &["status"],
        ("policy", "poddisruptionbudgets") => &["status"],
        ("storage.k8s.io", "volumeattachments") => &["status"],
        ("apiextensions.k8s.io", "customresourcedefinitions") => &["status"],
        ("apiregistration.k8s.io", "apiservices") => &["status"],
        ("flowcontrol.apiserver.k8s.io", "flowschemas" | "prioritylevelconfigurations") => {
            &["status"]
        }
        ("resource.k8s.io", "resourceclaims") => &["status"],
        ("admissionregistration.k8s.io", "validatingadmissionpolicies") => &["status"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gr(arg: &str) -> (String, String, bool) {
        let r = resolve(arg);
        (r.group, r.resource, r.warning.is_some())
    }

    // upstream: kubectl cani.go resourceFor; cani_test.go (TestRunResourceFor:
    // "any resources", "server-supported standard resources without verb",
    // "server-supported nonstandard resources", "invalid resources")
    #[test]
    fn kubectl_resolution() {
        let ok = |g: &str, r: &str| (g.to_string(), r.to_string(), false);
        assert_eq!(gr("*"), ok("", "*"));
        assert_eq!(gr("pods"), ok("", "pods"));
        assert_eq!(gr("pod"), ok("", "pods"));
        assert_eq!(gr("po"), ok("", "pods"));
        assert_eq!(gr("Pod"), ok("", "pods"));
        assert_eq!(gr("PODS"), ok("", "pods"));
        assert_eq!(gr("deployments"), ok("apps", "deployments"));
        assert_eq!(gr("deploy"), ok("apps", "deployments"));
        assert_eq!(gr("Deployment"), ok("apps", "deployments"));
        assert_eq!(gr("deployments.apps"), ok("apps", "deployments"));
        assert_eq!(gr("deployments.v1.apps"), ok("apps", "deployments"));
        assert_eq!(
            gr("ingresses.networking.k8s.io"),
            ok("networking.k8s.io", "ingresses")
        );
        assert_eq!(gr("netpol"), ok("networking.k8s.io", "networkpolicies"));
        assert_eq!(
            gr("clusterrolebinding"),
            ok("rbac.authorization.k8s.io", "clusterrolebindings")
        );
        assert_eq!(
            gr("csr"),
            ok("certificates.k8s.io", "certificatesigningrequests")
        );
        assert_eq!(gr("hpa"), ok("autoscaling", "horizontalpodautoscalers"));
        // the short-name expander also matches a group prefix
        assert_eq!(
            gr("hpa.autoscal"),
            ok("autoscaling", "horizontalpodautoscalers")
        );
        // the core group wins a tie (events.k8s.io also serves events)
        assert_eq!(gr("events"), ok("", "events"));
        assert_eq!(gr("ev"), ok("", "events"));
        assert_eq!(gr("events.events.k8s.io"), ok("events.k8s.io", "events"));
        assert_eq!(gr("secrets"), ok("", "secrets"));
        assert_eq!(gr("sa"), ok("", "serviceaccounts"));
    }

    #[test]
    fn unknown_types_are_used_verbatim_with_kubectls_warning() {
        let r = resolve("foo");
        assert_eq!((r.group.as_str(), r.resource.as_str()), ("", "foo"));
        assert_eq!(
            r.warning.as_deref(),
            Some("the server doesn't have a resource type 'foo'")
        );
        let r = resolve("Foos.Example.COM");
        assert_eq!(
            (r.group.as_str(), r.resource.as_str()),
            ("", "Foos.Example.COM")
        );
        assert_eq!(
            r.warning.as_deref(),
            Some("the server doesn't have a resource type 'foos' in group 'example.com'")
        );
        // deployments are not in the core group
        let r = resolve("deployments.core");
        assert!(r.warning.is_some());
        // users and groups are served without discovery: no warning
        assert_eq!(resolve("users").warning, None);
        assert_eq!(resolve("groups").resource, "groups");
        // a beta-only resource is not served by default
        assert!(resolve("leasecandidates").warning.is_some());
    }

    const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.backup.example.com
spec:
  group: backup.example.com
  scope: Namespaced
  names:
    plural: backups
    singular: backup
    kind: Backup
    shortNames: [bk]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
"#;

    // kubectl resolves an installed CRD through discovery: every name of
    // spec.names, alone or with .group or .version.group.
    #[test]
    fn installed_crds_resolve_like_served_types() {
        let v = crate::validate::validate_inputs(&[crate::model::load::Input::new(
            "crd.yaml",
            CRD.as_bytes().to_vec(),
        )])
        .expect("readable");
        assert!(v.is_valid(), "{:#?}", v.problems);
        let model = v.model();
        for arg in [
            "backups",
            "backup",
            "bk",
            "Backup",
            "BACKUPS",
            "backups.backup.example.com",
            "backups.v1.backup.example.com",
        ] {
            let r = resolve_in(arg, &model);
            assert_eq!(
                (r.group.as_str(), r.resource.as_str(), r.warning.as_deref()),
                ("backup.example.com", "backups", None),
                "{arg}"
            );
        }
        // a version the CRD does not serve, or another group: not found
        for arg in ["backups.v2.backup.example.com", "backups.example.org"] {
            assert!(resolve_in(arg, &model).warning.is_some(), "{arg}");
        }
        // built-in types are unchanged
        assert_eq!(resolve_in("deploy", &model).group, "apps");
    }

    #[test]
    fn subresource_table() {
        assert!(subresources("", "pods").contains(&"log"));
        assert!(subresources("apps", "deployments").contains(&"scale"));
        assert!(subresources("", "configmaps").is_empty());
    }
}
