//! RBAC object validation as the API server does it on create
//! (pkg/apis/rbac/validation/validation.go), after the defaults the API
//! server fills in first (pkg/apis/rbac/v1/defaults.go: a binding's
//! roleRef.apiGroup, and the apiGroup of User and Group subjects, default
//! to rbac.authorization.k8s.io). Messages are upstream's.

use crate::engines::selector::Selector;
use crate::model::FieldPath;
use crate::validate::field::{
    BadValue, FieldError, go_quote, is_dns1123_subdomain, is_path_segment_name,
};
use crate::validate::selector::{SelectorOptions, validate_label_selector};
use k8s_openapi::api::rbac::v1::{
    ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject,
};

pub const GROUP_NAME: &str = "rbac.authorization.k8s.io";

fn list(v: &Option<Vec<String>>) -> &[String] {
    v.as_deref().unwrap_or_default()
}

/// A `[]string` as field errors print it (`%#v`).
fn go_string_slice(v: &[String]) -> BadValue {
    let items: Vec<String> = v.iter().map(|s| go_quote(s)).collect();
    BadValue::Raw(format!("[]string{{{}}}", items.join(", ")))
}

/// `ValidatePolicyRule`.
pub fn validate_policy_rule(
    rule: &PolicyRule,
    namespaced: bool,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if rule.verbs.is_empty() {
        errs.push(FieldError::required(
            &path.field("verbs"),
            "verbs must contain at least one value",
        ));
    }
    let urls = list(&rule.non_resource_urls);
    if !urls.is_empty() {
        if namespaced {
            errs.push(FieldError::invalid(
                &path.field("nonResourceURLs"),
                go_string_slice(urls),
                "namespaced rules cannot apply to non-resource URLs",
            ));
        }
        if !list(&rule.api_groups).is_empty()
            || !list(&rule.resources).is_empty()
            || !list(&rule.resource_names).is_empty()
        {
            errs.push(FieldError::invalid(
                &path.field("nonResourceURLs"),
                go_string_slice(urls),
                "rules cannot apply to both regular resources and non-resource URLs",
            ));
        }
        return errs;
    }
    if list(&rule.api_groups).is_empty() {
        errs.push(FieldError::required(
            &path.field("apiGroups"),
            "resource rules must supply at least one api group",
        ));
    }
    if list(&rule.resources).is_empty() {
        errs.push(FieldError::required(
            &path.field("resources"),
            "resource rules must supply at least one resource",
        ));
    }
    errs
}

fn validate_rules(rules: &Option<Vec<PolicyRule>>, namespaced: bool) -> Vec<FieldError> {
    let path = FieldPath::root().field("rules");
    list_of(rules)
        .iter()
        .enumerate()
        .flat_map(|(i, r)| validate_policy_rule(r, namespaced, &path.index(i)))
        .collect()
}

fn list_of<T>(v: &Option<Vec<T>>) -> &[T] {
    v.as_deref().unwrap_or_default()
}

/// `ValidateRole` (object metadata is validated for every kind elsewhere).
pub fn validate_role(role: &Role) -> Vec<FieldError> {
    validate_rules(&role.rules, true)
}

/// `ValidateClusterRole`, with label values in selectors checked strictly
/// (as for a new object).
pub fn validate_cluster_role(role: &ClusterRole) -> Vec<FieldError> {
    let mut errs = validate_rules(&role.rules, false);
    if let Some(agg) = &role.aggregation_rule {
        let path = FieldPath::root()
            .field("aggregationRule")
            .field("clusterRoleSelectors");
        let selectors = list_of(&agg.cluster_role_selectors);
        if selectors.is_empty() {
            errs.push(FieldError::required(
                &path,
                "at least one clusterRoleSelector required if aggregationRule is non-nil",
            ));
        }
        for (i, sel) in selectors.iter().enumerate() {
            let p = path.index(i);
            errs.extend(validate_label_selector(
                Some(sel),
                SelectorOptions::default(),
                &p,
            ));
            if Selector::from_api(Some(sel)).is_err() {
                // upstream prints the nil selector LabelSelectorAsSelector
                // returned alongside its error.
                errs.push(FieldError::invalid(
                    &p,
                    BadValue::Raw("null".into()),
                    "invalid label selector.",
                ));
            }
        }
    }
    errs
}

fn validate_role_ref(role_ref: &RoleRef, kinds: &[&str]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let path = FieldPath::root().field("roleRef");
    // defaults.go: an empty apiGroup becomes rbac.authorization.k8s.io
    let group = role_ref
        .api_group
        .as_deref()
        .filter(|g| !g.is_empty())
        .unwrap_or(GROUP_NAME);
    if group != GROUP_NAME {
        errs.push(FieldError::not_supported(
            &path.field("apiGroup"),
            group,
            &[GROUP_NAME],
        ));
    }
    if !kinds.contains(&role_ref.kind.as_str()) {
        errs.push(FieldError::not_supported(
            &path.field("kind"),
            role_ref.kind.as_str(),
            kinds,
        ));
    }
    if role_ref.name.is_empty() {
        errs.push(FieldError::required(&path.field("name"), ""));
    } else {
        for msg in is_path_segment_name(&role_ref.name) {
            errs.push(FieldError::invalid(
                &path.field("name"),
                role_ref.name.as_str(),
                msg,
            ));
        }
    }
    errs
}

/// `ValidateRoleBindingSubject`, after subject defaulting.
pub fn validate_subject(s: &Subject, namespaced: bool, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if s.name.is_empty() {
        errs.push(FieldError::required(&path.field("name"), ""));
    }
    let given_group = s.api_group.as_deref().unwrap_or("");
    match s.kind.as_str() {
        "ServiceAccount" => {
            if !s.name.is_empty() {
                for msg in is_dns1123_subdomain(&s.name) {
                    errs.push(FieldError::invalid(
                        &path.field("name"),
                        s.name.as_str(),
                        msg,
                    ));
                }
            }
            if !given_group.is_empty() {
                errs.push(FieldError::not_supported(
                    &path.field("apiGroup"),
                    given_group,
                    &[""],
                ));
            }
            if !namespaced && s.namespace.as_deref().unwrap_or("").is_empty() {
                errs.push(FieldError::required(&path.field("namespace"), ""));
            }
        }
        "User" | "Group" => {
            let group = if given_group.is_empty() {
                GROUP_NAME
            } else {
                given_group
            };
            if group != GROUP_NAME {
                errs.push(FieldError::not_supported(
                    &path.field("apiGroup"),
                    group,
                    &[GROUP_NAME],
                ));
            }
        }
        kind => errs.push(FieldError::not_supported(
            &path.field("kind"),
            kind,
            &["ServiceAccount", "User", "Group"],
        )),
    }
    errs
}

fn validate_subjects(subjects: &Option<Vec<Subject>>, namespaced: bool) -> Vec<FieldError> {
    let path = FieldPath::root().field("subjects");
    list_of(subjects)
        .iter()
        .enumerate()
        .flat_map(|(i, s)| validate_subject(s, namespaced, &path.index(i)))
        .collect()
}

/// `ValidateRoleBinding`.
pub fn validate_role_binding(rb: &RoleBinding) -> Vec<FieldError> {
    let mut errs = validate_role_ref(&rb.role_ref, &["Role", "ClusterRole"]);
    errs.extend(validate_subjects(&rb.subjects, true));
    errs
}

/// `ValidateClusterRoleBinding`.
pub fn validate_cluster_role_binding(crb: &ClusterRoleBinding) -> Vec<FieldError> {
    let mut errs = validate_role_ref(&crb.role_ref, &["ClusterRole"]);
    errs.extend(validate_subjects(&crb.subjects, false));
    errs
}

/// A teaching hint for an RBAC validation error.
pub fn hint(e: &FieldError) -> Option<String> {
    let path = e.path.to_string();
    let ends = |s: &str| path.ends_with(s);
    if ends(".nonResourceURLs") && e.detail.contains("both") {
        return Some(
            "split it in two rules: one with apiGroups/resources, one with nonResourceURLs".into(),
        );
    }
    if ends(".nonResourceURLs") {
        return Some("non-resource URLs (/healthz, /metrics) go in a ClusterRole bound with a ClusterRoleBinding".into());
    }
    if ends(".apiGroups") {
        return Some("list the API group: \"\" for the core group (pods, services, secrets), \"apps\" for deployments".into());
    }
    if path == "roleRef.kind" && e.detail == "supported values: \"ClusterRole\"" {
        return Some("a ClusterRoleBinding can only grant a ClusterRole; to grant a Role, use a RoleBinding in the Role's namespace".into());
    }
    if path == "roleRef.kind" {
        return Some("roleRef.kind is Role or ClusterRole (case-sensitive)".into());
    }
    if ends(".kind") && path.starts_with("subjects") {
        return Some("subject kinds are User, Group and ServiceAccount (case-sensitive)".into());
    }
    if ends(".namespace") && path.starts_with("subjects") {
        return Some("a ServiceAccount subject of a ClusterRoleBinding must say which namespace the service account is in".into());
    }
    if ends(".apiGroup") && path.starts_with("subjects") {
        return Some("ServiceAccount subjects take apiGroup: \"\" (or none); User and Group subjects take rbac.authorization.k8s.io".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::rbac::matching::rule;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};

    fn msgs(errs: Vec<FieldError>) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    fn subject(kind: &str, name: &str, ns: Option<&str>, group: Option<&str>) -> Subject {
        Subject {
            kind: kind.into(),
            name: name.into(),
            namespace: ns.map(str::to_string),
            api_group: group.map(str::to_string),
        }
    }

    fn role_ref(group: Option<&str>, kind: &str, name: &str) -> RoleRef {
        RoleRef {
            api_group: group.map(str::to_string),
            kind: kind.into(),
            name: name.into(),
        }
    }

    // upstream: pkg/apis/rbac/validation/validation_test.go TestValidateRoleNonResourceURL,
    // TestValidateRoleNamespacedNonResourceURL, TestValidateRoleNonResourceURLNoVerbs,
    // TestValidateRoleMixedNonResourceAndResource, TestValidateRoleValidResource,
    // TestValidateRoleNoAPIGroup, TestValidateRoleNoResources
    #[test]
    fn policy_rules() {
        let p = FieldPath::root().field("rules").index(0);
        let ok = rule(&["get"]).urls(&["/*"]).build();
        assert!(validate_policy_rule(&ok, false, &p).is_empty());
        assert_eq!(
            msgs(validate_policy_rule(&ok, true, &p)),
            [
                "rules[0].nonResourceURLs: Invalid value: []string{\"/*\"}: namespaced rules cannot apply to non-resource URLs"
            ]
        );
        let no_verbs = rule(&[]).urls(&["/*"]).build();
        assert_eq!(
            msgs(validate_policy_rule(&no_verbs, false, &p)),
            ["rules[0].verbs: Required value: verbs must contain at least one value"]
        );
        let mixed = rule(&["get"])
            .groups(&[""])
            .resources(&["pods"])
            .urls(&["/*"])
            .build();
        assert_eq!(
            msgs(validate_policy_rule(&mixed, false, &p)),
            [
                "rules[0].nonResourceURLs: Invalid value: []string{\"/*\"}: rules cannot apply to both regular resources and non-resource URLs"
            ]
        );
        let valid = rule(&["get"]).groups(&[""]).resources(&["pods"]).build();
        assert!(validate_policy_rule(&valid, true, &p).is_empty());
        let no_group = rule(&["get"]).resources(&["pods"]).build();
        assert_eq!(
            msgs(validate_policy_rule(&no_group, true, &p)),
            [
                "rules[0].apiGroups: Required value: resource rules must supply at least one api group"
            ]
        );
        let no_resources = rule(&["get"]).groups(&[""]).build();
        assert_eq!(
            msgs(validate_policy_rule(&no_resources, true, &p)),
            [
                "rules[0].resources: Required value: resource rules must supply at least one resource"
            ]
        );
        // resourceNames with several resources is allowed since upstream
        // removed that check
        let names = rule(&["get"])
            .groups(&[""])
            .resources(&["pods", "secrets"])
            .names(&["a"])
            .build();
        assert!(validate_policy_rule(&names, true, &p).is_empty());
    }

    // upstream: validation_test.go TestValidateRoleBinding / TestValidateClusterRoleBinding
    // (and defaults.go for roleRef.apiGroup and User/Group subject apiGroup)
    #[test]
    fn bindings() {
        let rb = |r: RoleRef, s: Vec<Subject>| RoleBinding {
            metadata: Default::default(),
            role_ref: r,
            subjects: Some(s),
        };
        let ok = rb(
            role_ref(Some(GROUP_NAME), "Role", "valid"),
            vec![subject("User", "validsaname", None, Some(GROUP_NAME))],
        );
        assert!(validate_role_binding(&ok).is_empty());
        // defaulting: no apiGroup anywhere is fine
        let defaulted = rb(
            role_ref(None, "ClusterRole", "view"),
            vec![
                subject("User", "jane", None, None),
                subject("Group", "devs", None, None),
                subject("ServiceAccount", "app", None, None),
            ],
        );
        assert!(validate_role_binding(&defaulted).is_empty());
        let bad = rb(
            role_ref(Some("rbac"), "ClusterRoleBinding", ""),
            vec![
                subject("user", "jane", None, None),
                subject("ServiceAccount", "App", None, Some(GROUP_NAME)),
                subject("User", "", None, Some("v1")),
            ],
        );
        assert_eq!(
            msgs(validate_role_binding(&bad)),
            [
                "roleRef.apiGroup: Unsupported value: \"rbac\": supported values: \"rbac.authorization.k8s.io\"",
                "roleRef.kind: Unsupported value: \"ClusterRoleBinding\": supported values: \"Role\", \"ClusterRole\"",
                "roleRef.name: Required value",
                "subjects[0].kind: Unsupported value: \"user\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
                "subjects[1].name: Invalid value: \"App\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "subjects[1].apiGroup: Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\"",
                "subjects[2].name: Required value",
                "subjects[2].apiGroup: Unsupported value: \"v1\": supported values: \"rbac.authorization.k8s.io\"",
            ]
        );
        let crb = |r: RoleRef, s: Vec<Subject>| ClusterRoleBinding {
            metadata: Default::default(),
            role_ref: r,
            subjects: Some(s),
        };
        let to_role = crb(
            role_ref(Some(GROUP_NAME), "Role", "x/y"),
            vec![subject("ServiceAccount", "app", None, None)],
        );
        assert_eq!(
            msgs(validate_cluster_role_binding(&to_role)),
            [
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "roleRef.name: Invalid value: \"x/y\": may not contain '/'",
                "subjects[0].namespace: Required value",
            ]
        );
    }

    // upstream: validation_test.go TestValidateClusterRoleAggregation-style cases
    #[test]
    fn aggregation_rules() {
        use k8s_openapi::api::rbac::v1::AggregationRule;
        let cr = |sel: Option<Vec<LabelSelector>>| ClusterRole {
            metadata: Default::default(),
            rules: None,
            aggregation_rule: Some(AggregationRule {
                cluster_role_selectors: sel,
            }),
        };
        assert_eq!(
            msgs(validate_cluster_role(&cr(None))),
            [
                "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil"
            ]
        );
        let good = LabelSelector {
            match_labels: Some(
                [(
                    "rbac.example.com/aggregate-to-monitoring".to_string(),
                    "true".to_string(),
                )]
                .into(),
            ),
            match_expressions: None,
        };
        assert!(validate_cluster_role(&cr(Some(vec![good]))).is_empty());
        let bad = LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "a".into(),
                operator: "In".into(),
                values: None,
            }]),
        };
        assert_eq!(
            msgs(validate_cluster_role(&cr(Some(vec![bad])))),
            [
                "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                "aggregationRule.clusterRoleSelectors[0]: Invalid value: null: invalid label selector.",
            ]
        );
    }
}
