//! Does one PolicyRule allow one request? The rule-matching helpers of
//! `pkg/apis/rbac/v1/evaluation_helpers.go` and `RuleAllows` of
//! `plugin/pkg/auth/authorizer/rbac/rbac.go`. Matching is exact and
//! case-sensitive; `*` is the only wildcard, except a trailing `*` in a
//! non-resource URL and a `*/subresource` resource.

use super::attributes::Attributes;
use k8s_openapi::api::rbac::v1::PolicyRule;

pub const VERB_ALL: &str = "*";
pub const API_GROUP_ALL: &str = "*";
pub const RESOURCE_ALL: &str = "*";
pub const NON_RESOURCE_ALL: &str = "*";

fn list(v: &Option<Vec<String>>) -> &[String] {
    v.as_deref().unwrap_or_default()
}

pub fn verb_matches(rule: &PolicyRule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == VERB_ALL || v == verb)
}

pub fn api_group_matches(rule: &PolicyRule, group: &str) -> bool {
    list(&rule.api_groups)
        .iter()
        .any(|g| g == API_GROUP_ALL || g == group)
}

/// `combined` is `resource` or `resource/subresource`. A rule resource of
/// `*` matches everything, including subresources; `*/log` matches the
/// `log` subresource of every resource; `pods` never matches `pods/log`.
pub fn resource_matches(rule: &PolicyRule, combined: &str, subresource: &str) -> bool {
    list(&rule.resources).iter().any(|r| {
        r == RESOURCE_ALL
            || r == combined
            || (!subresource.is_empty()
                && r.len() == subresource.len() + 2
                && r.starts_with("*/")
                && r.ends_with(subresource))
    })
}

/// No resourceNames: every name (and no name) matches. Otherwise the
/// request's name must be listed; a request without a name (list, watch,
/// create, deletecollection as clients send them) never matches.
pub fn resource_name_matches(rule: &PolicyRule, name: &str) -> bool {
    let names = list(&rule.resource_names);
    names.is_empty() || names.iter().any(|n| n == name)
}

/// `*` matches every URL; `/apis/*` matches every URL starting with
/// `/apis/` (but not `/apis` itself); otherwise the URL must be equal.
pub fn non_resource_url_matches(rule: &PolicyRule, url: &str) -> bool {
    list(&rule.non_resource_urls).iter().any(|u| {
        u == NON_RESOURCE_ALL
            || u == url
            || (u.ends_with('*') && url.starts_with(u.trim_end_matches('*')))
    })
}

/// `RuleAllows`: every part of the request must match the rule.
pub fn rule_allows(attrs: &Attributes, rule: &PolicyRule) -> bool {
    if attrs.resource_request {
        let combined = attrs.combined_resource();
        return verb_matches(rule, &attrs.verb)
            && api_group_matches(rule, &attrs.api_group)
            && resource_matches(rule, &combined, &attrs.subresource)
            && resource_name_matches(rule, &attrs.name);
    }
    verb_matches(rule, &attrs.verb) && non_resource_url_matches(rule, &attrs.path)
}

/// `RulesAllow`: some rule allows the request.
pub fn rules_allow(attrs: &Attributes, rules: &[PolicyRule]) -> bool {
    rules.iter().any(|r| rule_allows(attrs, r))
}

/// Build a rule as `rbac.NewRule(verbs...).Groups(...).Resources(...)`
/// does in upstream's tests.
pub fn rule(verbs: &[&str]) -> RuleBuilder {
    RuleBuilder(PolicyRule {
        verbs: verbs.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    })
}

pub struct RuleBuilder(PolicyRule);

fn strings(v: &[&str]) -> Option<Vec<String>> {
    Some(v.iter().map(|s| s.to_string()).collect())
}

impl RuleBuilder {
    pub fn groups(mut self, g: &[&str]) -> Self {
        self.0.api_groups = strings(g);
        self
    }
    pub fn resources(mut self, r: &[&str]) -> Self {
        self.0.resources = strings(r);
        self
    }
    pub fn names(mut self, n: &[&str]) -> Self {
        self.0.resource_names = strings(n);
        self
    }
    pub fn urls(mut self, u: &[&str]) -> Self {
        self.0.non_resource_urls = strings(u);
        self
    }
    pub fn build(self) -> PolicyRule {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::attributes::UserInfo;
    use super::*;

    fn res(verb: &str, group: &str, resource: &str) -> Attributes {
        Attributes::resource(UserInfo::default(), verb, group, resource)
    }
    fn url(verb: &str, path: &str) -> Attributes {
        Attributes::non_resource(UserInfo::default(), verb, path)
    }

    /// Every request of upstream's table, with the expected answer.
    fn check(name: &str, r: &PolicyRule, cases: &[(Attributes, bool)]) {
        for (a, want) in cases {
            assert_eq!(rule_allows(a, r), *want, "{name}: {a:?}");
        }
    }

    // upstream: plugin/pkg/auth/authorizer/rbac/rbac_test.go TestRuleMatches
    // case "star verb, exact match other"
    #[test]
    fn star_verb_exact_match_other() {
        let r = rule(&["*"])
            .groups(&["group1"])
            .resources(&["resource1"])
            .build();
        check(
            "star verb",
            &r,
            &[
                (res("verb1", "group1", "resource1"), true),
                (res("verb1", "group2", "resource1"), false),
                (res("verb1", "group1", "resource2"), false),
                (res("verb1", "group2", "resource2"), false),
                (res("verb2", "group1", "resource1"), true),
                (res("verb2", "group2", "resource1"), false),
                (res("verb2", "group1", "resource2"), false),
                (res("verb2", "group2", "resource2"), false),
            ],
        );
    }

    // upstream: rbac_test.go TestRuleMatches case "star group, exact match other"
    #[test]
    fn star_group_exact_match_other() {
        let r = rule(&["verb1"])
            .groups(&["*"])
            .resources(&["resource1"])
            .build();
        check(
            "star group",
            &r,
            &[
                (res("verb1", "group1", "resource1"), true),
                (res("verb1", "group2", "resource1"), true),
                (res("verb1", "group1", "resource2"), false),
                (res("verb1", "group2", "resource2"), false),
                (res("verb2", "group1", "resource1"), false),
                (res("verb2", "group2", "resource1"), false),
                (res("verb2", "group1", "resource2"), false),
                (res("verb2", "group2", "resource2"), false),
            ],
        );
    }

    // upstream: rbac_test.go TestRuleMatches case "star resource, exact match other"
    #[test]
    fn star_resource_exact_match_other() {
        let r = rule(&["verb1"])
            .groups(&["group1"])
            .resources(&["*"])
            .build();
        check(
            "star resource",
            &r,
            &[
                (res("verb1", "group1", "resource1"), true),
                (res("verb1", "group2", "resource1"), false),
                (res("verb1", "group1", "resource2"), true),
                (res("verb1", "group2", "resource2"), false),
                (res("verb2", "group1", "resource1"), false),
                (res("verb2", "group2", "resource1"), false),
                (res("verb2", "group1", "resource2"), false),
                (res("verb2", "group2", "resource2"), false),
            ],
        );
    }

    // upstream: rbac_test.go TestRuleMatches case "tuple expansion"
    #[test]
    fn tuple_expansion() {
        let r = rule(&["verb1", "verb2"])
            .groups(&["group1", "group2"])
            .resources(&["resource1", "resource2"])
            .build();
        for v in ["verb1", "verb2"] {
            for g in ["group1", "group2"] {
                for res_ in ["resource1", "resource2"] {
                    assert!(rule_allows(&res(v, g, res_), &r));
                }
            }
        }
    }

    // upstream: rbac_test.go TestRuleMatches case "subresource expansion"
    #[test]
    fn subresource_expansion() {
        let r = rule(&["*"])
            .groups(&["*"])
            .resources(&["resource1/subresource1"])
            .build();
        let sub = |v: &str, g: &str, r: &str, s: &str| res(v, g, r).with_subresource(s);
        check(
            "subresource expansion",
            &r,
            &[
                (sub("verb1", "group1", "resource1", "subresource1"), true),
                (sub("verb1", "group2", "resource1", "subresource2"), false),
                (sub("verb1", "group1", "resource2", "subresource1"), false),
                (sub("verb1", "group2", "resource2", "subresource1"), false),
                (sub("verb2", "group1", "resource1", "subresource1"), true),
                (sub("verb2", "group2", "resource1", "subresource2"), false),
                (sub("verb2", "group1", "resource2", "subresource1"), false),
                (sub("verb2", "group2", "resource2", "subresource1"), false),
            ],
        );
    }

    // upstream: rbac_test.go TestRuleMatches case "star nonresource, exact match other"
    #[test]
    fn star_nonresource() {
        let r = rule(&["verb1"]).urls(&["*"]).build();
        for p in [
            "/foo",
            "/foo/bar",
            "/foo/baz",
            "/foo/bar/one",
            "/foo/baz/one",
        ] {
            assert!(rule_allows(&url("verb1", p), &r), "{p}");
            assert!(!rule_allows(&url("verb2", p), &r), "{p}");
        }
    }

    // upstream: rbac_test.go TestRuleMatches case "star nonresource subpath"
    #[test]
    fn star_nonresource_subpath() {
        let r = rule(&["verb1"]).urls(&["/foo/*"]).build();
        check(
            "subpath",
            &r,
            &[
                (url("verb1", "/foo"), false),
                (url("verb1", "/foo/bar"), true),
                (url("verb1", "/foo/baz"), true),
                (url("verb1", "/foo/bar/one"), true),
                (url("verb1", "/foo/baz/one"), true),
                (url("verb1", "/notfoo"), false),
                (url("verb1", "/notfoo/bar"), false),
                (url("verb1", "/notfoo/baz"), false),
                (url("verb1", "/notfoo/bar/one"), false),
                (url("verb1", "/notfoo/baz/one"), false),
            ],
        );
    }

    // upstream: rbac_test.go TestRuleMatches case "star verb, exact nonresource"
    #[test]
    fn star_verb_exact_nonresource() {
        let r = rule(&["*"]).urls(&["/foo", "/foo/bar/one"]).build();
        for v in ["verb1", "verb2"] {
            check(
                "exact nonresource",
                &r,
                &[
                    (url(v, "/foo"), true),
                    (url(v, "/foo/bar"), false),
                    (url(v, "/foo/baz"), false),
                    (url(v, "/foo/bar/one"), true),
                    (url(v, "/foo/baz/one"), false),
                ],
            );
        }
    }

    // upstream: evaluation_helpers.go ResourceMatches ("*/subresource"), and
    // kubernetes.io RBAC docs "Referring to resources"
    #[test]
    fn star_slash_subresource_matches_any_resources_subresource() {
        let r = rule(&["get"])
            .groups(&["*"])
            .resources(&["*/scale"])
            .build();
        assert!(rule_allows(
            &res("get", "apps", "deployments").with_subresource("scale"),
            &r
        ));
        assert!(rule_allows(
            &res("get", "", "replicationcontrollers").with_subresource("scale"),
            &r
        ));
        assert!(!rule_allows(&res("get", "apps", "deployments"), &r));
        assert!(!rule_allows(
            &res("get", "apps", "deployments").with_subresource("status"),
            &r
        ));
        // "*/scale" is not a prefix match: "*/sc" does not match "scale"
        let short = rule(&["get"]).groups(&["*"]).resources(&["*/sc"]).build();
        assert!(!rule_allows(
            &res("get", "apps", "deployments").with_subresource("scale"),
            &short
        ));
        // a plain "*" covers subresources too
        let all = rule(&["get"]).groups(&["*"]).resources(&["*"]).build();
        assert!(rule_allows(
            &res("get", "", "pods").with_subresource("log"),
            &all
        ));
    }

    // upstream: evaluation_helpers.go ResourceNameMatches
    #[test]
    fn resource_names_match_only_named_requests() {
        let r = rule(&["get", "list", "create"])
            .groups(&[""])
            .resources(&["configmaps"])
            .names(&["app-config"])
            .build();
        assert!(rule_allows(
            &res("get", "", "configmaps").named("app-config"),
            &r
        ));
        assert!(!rule_allows(
            &res("get", "", "configmaps").named("other"),
            &r
        ));
        // a request without a name (list, create as clients send them)
        assert!(!rule_allows(&res("list", "", "configmaps"), &r));
        assert!(!rule_allows(&res("create", "", "configmaps"), &r));
        // no resourceNames: named and unnamed requests both match
        let any = rule(&["get"])
            .groups(&[""])
            .resources(&["configmaps"])
            .build();
        assert!(rule_allows(&res("get", "", "configmaps").named("x"), &any));
        assert!(rule_allows(&res("get", "", "configmaps"), &any));
    }

    #[test]
    fn matching_is_case_sensitive_and_core_group_is_empty() {
        let r = rule(&["get"]).groups(&[""]).resources(&["pods"]).build();
        assert!(!rule_allows(&res("GET", "", "pods"), &r));
        assert!(!rule_allows(&res("get", "", "Pods"), &r));
        assert!(!rule_allows(&res("get", "apps", "pods"), &r));
        // a rule without apiGroups matches no resource request
        let no_group = rule(&["get"]).resources(&["pods"]).build();
        assert!(!rule_allows(&res("get", "", "pods"), &no_group));
        // a resource rule never matches a non-resource request, and back
        assert!(!rule_allows(&url("get", "/api"), &r));
        let u = rule(&["get"]).urls(&["/api"]).build();
        assert!(!rule_allows(&res("get", "", "pods"), &u));
        assert!(rules_allow(&url("get", "/api"), &[r, u]));
    }
}
