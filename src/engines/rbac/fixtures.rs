//! Test fixtures shared by the RBAC engine's tests, shaped after upstream's
//! rbac_test.go helpers (`newRule`, `Kind:name` subjects).

use k8s_openapi::api::rbac::v1::{ClusterRole, PolicyRule, Role, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

const GROUP: &str = "rbac.authorization.k8s.io";

/// A subject from `Kind:name`; ServiceAccounts have no API group.
pub fn subject(s: &str) -> Subject {
    let (kind, name) = s.split_once(':').expect("Kind:name");
    Subject {
        kind: kind.into(),
        name: name.into(),
        api_group: (kind != "ServiceAccount").then(|| GROUP.into()),
        namespace: None,
    }
}

pub fn role_ref(kind: &str, name: &str) -> RoleRef {
    RoleRef {
        api_group: Some(GROUP.into()),
        kind: kind.into(),
        name: name.into(),
    }
}

/// upstream rbac_test.go `newRule(verbs, apiGroups, resources, nonResourceURLs)`
pub fn new_rule(verbs: &str, groups: &str, resources: &str, urls: &str) -> PolicyRule {
    let split = |s: &str| Some(s.split(',').map(str::to_string).collect());
    PolicyRule {
        verbs: verbs.split(',').map(str::to_string).collect(),
        api_groups: split(groups),
        resources: split(resources),
        resource_names: None,
        non_resource_urls: split(urls),
    }
}

pub fn meta(ns: Option<&str>, name: &str) -> ObjectMeta {
    ObjectMeta {
        namespace: ns.map(str::to_string),
        name: Some(name.into()),
        ..Default::default()
    }
}

pub fn cluster_role(name: &str, rules: Vec<PolicyRule>) -> ClusterRole {
    ClusterRole {
        metadata: meta(None, name),
        rules: Some(rules),
        aggregation_rule: None,
    }
}

pub fn role(ns: &str, name: &str, rules: Vec<PolicyRule>) -> Role {
    Role {
        metadata: meta(Some(ns), name),
        rules: Some(rules),
    }
}
