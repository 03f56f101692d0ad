//! Conventional live hooks for the topic checkers whose parameters follow
//! the exercise format's examples (`reach`, `can-i`, `schedule`): which
//! kinds they read and which questions a live cluster can answer for them.
//!
//! Parameters are read leniently here (a few spellings, unknown keys
//! ignored): grading itself is the checker's job and rejects bad
//! parameters; a parameter shape this module does not recognise simply
//! asks the cluster nothing. A topic that registers its own hook for the
//! same checker name takes precedence (see `registry::live_hooks`).

use super::registry::{LiveHook, PodName, Question};
use serde_json::Value;

const NETPOL_KINDS: &[&str] = &["Namespace", "Pod", "NetworkPolicy"];
const RBAC_KINDS: &[&str] = &[
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ServiceAccount",
];
const SCHEDULING_KINDS: &[&str] = &["Node", "Pod", "Namespace"];

pub static LIVE: &[LiveHook] = &[
    LiveHook {
        checker: "reach",
        kinds: |_| owned(NETPOL_KINDS),
        questions: reach,
    },
    LiveHook {
        checker: "can-i",
        kinds: |_| owned(RBAC_KINDS),
        questions: can_i,
    },
    LiveHook {
        checker: "schedule",
        kinds: |_| owned(SCHEDULING_KINDS),
        questions: placement,
    },
];

fn owned(kinds: &[&str]) -> Vec<String> {
    kinds.iter().map(|k| k.to_string()).collect()
}

fn text<'a>(p: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| p.get(*k).and_then(Value::as_str))
}

/// `expect: allow|deny|yes|no` or `allowed: true|false`; allow by default.
fn expectation(p: &Value) -> Option<bool> {
    match p.get("expect").or_else(|| p.get("allowed")) {
        None => Some(true),
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "allow" | "allowed" | "yes" | "true" | "open" => Some(true),
            "deny" | "denied" | "no" | "false" | "blocked" => Some(false),
            _ => None,
        },
        Some(_) => None,
    }
}

fn reach(p: &Value) -> Vec<Question> {
    let (Some(from), Some(to)) = (
        text(p, &["from"]).and_then(PodName::parse),
        text(p, &["to"]).and_then(PodName::parse),
    ) else {
        return Vec::new();
    };
    let Some(port) = p
        .get("port")
        .and_then(Value::as_u64)
        .and_then(|n| u16::try_from(n).ok())
    else {
        return Vec::new();
    };
    let Some(expect) = expectation(p) else {
        return Vec::new();
    };
    vec![Question::Reach {
        from,
        to,
        port,
        protocol: text(p, &["protocol"]).unwrap_or("TCP").to_ascii_uppercase(),
        expect,
    }]
}

fn can_i(p: &Value) -> Vec<Question> {
    let (Some(user), Some(verb), Some(resource)) = (
        text(p, &["as", "user"]),
        text(p, &["verb"]),
        text(p, &["resource", "type", "url"]),
    ) else {
        return Vec::new();
    };
    let Some(expect) = expectation(p) else {
        return Vec::new();
    };
    // `deployments.apps` names the group after the first dot, as kubectl reads it.
    let (resource, group) = match resource.split_once('.') {
        Some((r, g)) if !resource.starts_with('/') => (r, g),
        _ => (resource, text(p, &["group"]).unwrap_or("")),
    };
    let groups = match p.get("groups").or_else(|| p.get("as_group")) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    vec![Question::Access {
        user: user.to_string(),
        groups,
        verb: verb.to_string(),
        resource: resource.to_string(),
        group: group.to_string(),
        subresource: text(p, &["subresource"]).unwrap_or("").to_string(),
        namespace: text(p, &["namespace", "ns"]).map(str::to_string),
        name: text(p, &["name"]).map(str::to_string),
        expect,
    }]
}

fn placement(p: &Value) -> Vec<Question> {
    let Some(pod) = text(p, &["pod"]).and_then(PodName::parse) else {
        return Vec::new();
    };
    let nodes: Vec<String> = match p.get("nodes").or_else(|| p.get("node")) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let expect_scheduled = match p.get("fits").or_else(|| p.get("scheduled")) {
        Some(Value::Bool(b)) => *b,
        _ => true,
    };
    vec![Question::Placement {
        pod,
        expect_scheduled,
        nodes,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reach_reads_the_exercise_format_example() {
        let q =
            reach(&json!({"from": "prod/web", "to": "prod/db", "port": 5432, "expect": "deny"}));
        assert_eq!(
            q,
            vec![Question::Reach {
                from: PodName::parse("prod/web").unwrap(),
                to: PodName::parse("prod/db").unwrap(),
                port: 5432,
                protocol: "TCP".into(),
                expect: false,
            }]
        );
        assert!(reach(&json!({"from": "prod/web", "to": "prod/db"})).is_empty());
        assert!(
            reach(&json!({"from": "a/b", "to": "c/d", "port": 1, "expect": "maybe"})).is_empty()
        );
    }

    #[test]
    fn can_i_splits_resource_and_group_like_kubectl() {
        let q = can_i(
            &json!({"as": "jane", "verb": "create", "resource": "deployments.apps", "namespace": "dev", "expect": "yes"}),
        );
        let Question::Access {
            resource,
            group,
            namespace,
            expect,
            ..
        } = &q[0]
        else {
            panic!("access question expected")
        };
        assert_eq!(
            (
                resource.as_str(),
                group.as_str(),
                namespace.as_deref(),
                *expect
            ),
            ("deployments", "apps", Some("dev"), true)
        );
        let url = can_i(&json!({"user": "x", "verb": "get", "url": "/healthz"}));
        assert!(
            matches!(&url[0], Question::Access { resource, group, .. } if resource == "/healthz" && group.is_empty())
        );
    }

    #[test]
    fn placement_defaults_to_expecting_a_scheduled_pod() {
        let q = placement(&json!({"pod": "web", "node": "kind-worker"}));
        assert_eq!(
            q,
            vec![Question::Placement {
                pod: PodName::parse("default/web").unwrap(),
                expect_scheduled: true,
                nodes: vec!["kind-worker".into()]
            }]
        );
    }
}
