//! Does a request match a policy's `matchConstraints`, a binding's
//! `matchResources`, or a webhook's rules and selectors?
//!
//! upstream: staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/
//! matching/matching.go `Matches`, webhook/predicates/rules/rules.go,
//! predicates/namespace/matcher.go, predicates/object/matcher.go;
//! pkg/apis/admissionregistration/v1/defaults.go (absent selectors are
//! defaulted to `{}`, matchPolicy to Equivalent, rule scope to `*`).

use super::request::{Cluster, Gvr, Request};
use crate::engines::selector::Selector;
use crate::model::kinds;
use k8s_openapi::api::admissionregistration::v1::{
    MatchResources, NamedRuleWithOperations, RuleWithOperations,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// What to match on, whichever object holds it.
pub struct Criteria<'a> {
    pub namespace_selector: Option<&'a LabelSelector>,
    pub object_selector: Option<&'a LabelSelector>,
    pub rules: Vec<Rule<'a>>,
    pub exclude: Vec<Rule<'a>>,
    /// `Exact` or `Equivalent` (the default).
    pub match_policy: Option<&'a str>,
    /// A binding's matchResources without resourceRules matches every
    /// resource; a policy must list some.
    pub empty_rules_match_all: bool,
}

/// One rule: operations, groups, versions, resources, scope, names.
pub struct Rule<'a> {
    pub operations: &'a [String],
    pub api_groups: &'a [String],
    pub api_versions: &'a [String],
    pub resources: &'a [String],
    pub scope: Option<&'a str>,
    pub resource_names: &'a [String],
}

impl<'a> Rule<'a> {
    pub fn named(r: &'a NamedRuleWithOperations) -> Rule<'a> {
        Rule {
            operations: r.operations.as_deref().unwrap_or_default(),
            api_groups: r.api_groups.as_deref().unwrap_or_default(),
            api_versions: r.api_versions.as_deref().unwrap_or_default(),
            resources: r.resources.as_deref().unwrap_or_default(),
            scope: r.scope.as_deref(),
            resource_names: r.resource_names.as_deref().unwrap_or_default(),
        }
    }

    pub fn webhook(r: &'a RuleWithOperations) -> Rule<'a> {
        Rule {
            operations: r.operations.as_deref().unwrap_or_default(),
            api_groups: r.api_groups.as_deref().unwrap_or_default(),
            api_versions: r.api_versions.as_deref().unwrap_or_default(),
            resources: r.resources.as_deref().unwrap_or_default(),
            scope: r.scope.as_deref(),
            resource_names: &[],
        }
    }

    /// upstream: rules.go `Matcher.Matches` (scope, operation, group,
    /// version, resource with subresource).
    fn matches(&self, req: &Request, res: &Gvr) -> bool {
        let namespaces = res.group.is_empty() && res.resource == "namespaces";
        let scope = match self.scope.unwrap_or("*") {
            "*" => true,
            "Namespaced" => !namespaces && !req.namespace.is_empty(),
            "Cluster" => namespaces || req.namespace.is_empty(),
            _ => false,
        };
        let exact = |items: &[String], want: &str| items.iter().any(|i| i == "*" || i == want);
        let op = self
            .operations
            .iter()
            .any(|o| o == "*" || o == req.operation.as_str());
        let resource = self.resources.iter().any(|r| {
            let (r, sub) = r.split_once('/').unwrap_or((r, ""));
            (r == "*" || r == res.resource) && (sub == "*" || sub == req.subresource)
        });
        scope
            && op
            && exact(self.api_groups, &res.group)
            && exact(self.api_versions, &res.version)
            && resource
    }

    fn names_match(&self, req: &Request) -> bool {
        self.resource_names.is_empty() || self.resource_names.iter().any(|n| n == &req.name)
    }
}

impl<'a> Criteria<'a> {
    pub fn from_match_resources(m: &'a MatchResources, is_binding: bool) -> Criteria<'a> {
        Criteria {
            namespace_selector: m.namespace_selector.as_ref(),
            object_selector: m.object_selector.as_ref(),
            rules: m.resource_rules.iter().flatten().map(Rule::named).collect(),
            exclude: m
                .exclude_resource_rules
                .iter()
                .flatten()
                .map(Rule::named)
                .collect(),
            match_policy: m.match_policy.as_deref(),
            empty_rules_match_all: is_binding,
        }
    }
}

/// The outcome of matching, with the reason when it does not match.
#[derive(Clone, Debug, PartialEq)]
pub enum Matched {
    /// Matches, as this resource (an equivalent one under Equivalent).
    Yes(Gvr),
    No(String),
    /// A selector that does not compile.
    Error(String),
}

/// Selectors are defaulted to `{}` by the API server: absent means all.
fn selector(s: Option<&LabelSelector>) -> Result<Selector, String> {
    match s {
        None => Ok(Selector::everything()),
        Some(s) => Selector::from_api(Some(s)).map_err(|e| e.to_string()),
    }
}

/// upstream: matching.go `Matcher.Matches`.
pub fn matches(c: &Criteria, req: &Request, cluster: &Cluster) -> Matched {
    // Namespace selector: cluster-scoped objects other than namespaces
    // are never exempted; a Namespace is judged by its own labels.
    let is_namespace = req.resource.group.is_empty() && req.resource.resource == "namespaces";
    let ns_sel = match selector(c.namespace_selector) {
        Ok(s) => s,
        Err(e) => return Matched::Error(e),
    };
    if (!req.namespace.is_empty() || is_namespace) && !ns_sel.is_everything() {
        let labels = if is_namespace
            && req.subresource.is_empty()
            && matches!(
                req.operation,
                super::request::Operation::Create | super::request::Operation::Update
            ) {
            Request::labels(req.object.as_ref()).unwrap_or_default()
        } else {
            cluster.namespace_labels(&req.namespace)
        };
        if !ns_sel.matches(&labels) {
            return Matched::No(format!(
                "namespace {:?} does not match the namespaceSelector ({ns_sel})",
                req.namespace
            ));
        }
    }
    let obj_sel = match selector(c.object_selector) {
        Ok(s) => s,
        Err(e) => return Matched::Error(e),
    };
    if !obj_sel.is_everything() {
        let new = Request::labels(req.object.as_ref()).is_some_and(|l| obj_sel.matches(&l));
        let old = Request::labels(req.old_object.as_ref()).is_some_and(|l| obj_sel.matches(&l));
        if !new && !old {
            return Matched::No(format!(
                "the object's labels do not match the objectSelector ({obj_sel})"
            ));
        }
    }
    let equivalent = c.match_policy != Some("Exact");
    if let Some(_res) = match_rules(&c.exclude, equivalent, req) {
        return Matched::No("the request matches excludeResourceRules".into());
    }
    if c.rules.is_empty() && c.empty_rules_match_all {
        return Matched::Yes(req.resource.clone());
    }
    match match_rules(&c.rules, equivalent, req) {
        Some(res) => Matched::Yes(res),
        None => Matched::No(format!(
            "no rule matches {} {} in {}",
            req.operation.as_str(),
            describe(&req.resource, &req.subresource),
            if req.resource.group.is_empty() {
                "the core group".to_string()
            } else {
                format!("group {:?}", req.resource.group)
            }
        )),
    }
}

fn describe(res: &Gvr, sub: &str) -> String {
    let mut s = format!("{}/{}", res.version, res.resource);
    if !sub.is_empty() {
        s.push('/');
        s.push_str(sub);
    }
    s
}

/// upstream: matching.go `matchesResourceRules`: the request's own
/// resource first, then (Equivalent) the same resource in the other
/// versions its group serves.
fn match_rules(rules: &[Rule], equivalent: bool, req: &Request) -> Option<Gvr> {
    for r in rules {
        if r.matches(req, &req.resource) && r.names_match(req) {
            return Some(req.resource.clone());
        }
    }
    if !equivalent {
        return None;
    }
    let others: Vec<Gvr> = kinds::versions_of(&req.kind)
        .filter(|k| {
            k.group == req.resource.group
                && k.version != req.resource.version
                && k.served == kinds::Served::Yes
        })
        .map(|k| Gvr {
            group: k.group.to_string(),
            version: k.version.to_string(),
            resource: k.plural.to_string(),
        })
        .collect();
    for r in rules {
        for eq in &others {
            if r.matches(req, eq) && r.names_match(req) {
                return Some(eq.clone());
            }
        }
    }
    None
}
