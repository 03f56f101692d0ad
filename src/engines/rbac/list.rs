//! What `kubectl auth can-i --list` prints: the user's rules as the API
//! server's SelfSubjectRulesReview returns them (resource rules, then
//! non-resource rules; plugin/pkg/auth/authorizer/rbac/rbac.go `RulesFor`),
//! broken down to one verb, resource and name each, compacted per
//! resource, sorted, and laid out as kubectl's tab writer does
//! (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go `printStatus`,
//! kubectl/pkg/util/rbac `BreakdownRule`, `CompactRules`,
//! `SortableRuleSlice`, kubectl/pkg/describe `CombineResourceGroup`).

use k8s_openapi::api::rbac::v1::PolicyRule;
use serde::Serialize;

/// One line of the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// `pods`, `deployments.apps`, `deployments.apps/scale`; empty for a
    /// non-resource rule.
    pub resources: String,
    pub non_resource_urls: Vec<String>,
    pub resource_names: Vec<String>,
    pub verbs: Vec<String>,
}

/// What simple rules are compacted by: group, resource, resource name.
type SimpleKey = (String, String, Option<String>);

/// The rule as kubectl holds it after the round trip through the review.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Rule {
    verbs: Vec<String>,
    api_groups: Vec<String>,
    resources: Vec<String>,
    resource_names: Vec<String>,
    non_resource_urls: Vec<String>,
}

fn go_list(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

impl Rule {
    /// The generated `PolicyRule.String()` kubectl sorts by.
    fn go_string(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            go_list(&self.verbs),
            go_list(&self.api_groups),
            go_list(&self.resources),
            go_list(&self.resource_names),
            go_list(&self.non_resource_urls)
        )
    }

    fn breakdown(&self) -> Vec<Rule> {
        let mut out = Vec::new();
        for g in &self.api_groups {
            for r in &self.resources {
                for v in &self.verbs {
                    let one = |names: Vec<String>| Rule {
                        verbs: vec![v.clone()],
                        api_groups: vec![g.clone()],
                        resources: vec![r.clone()],
                        resource_names: names,
                        non_resource_urls: vec![],
                    };
                    if self.resource_names.is_empty() {
                        out.push(one(vec![]));
                    } else {
                        for n in &self.resource_names {
                            out.push(one(vec![n.clone()]));
                        }
                    }
                }
            }
        }
        for u in &self.non_resource_urls {
            for v in &self.verbs {
                out.push(Rule {
                    verbs: vec![v.clone()],
                    non_resource_urls: vec![u.clone()],
                    ..Default::default()
                });
            }
        }
        out
    }

    /// `isSimpleResourceRule`: one group, one resource, at most one name,
    /// no URLs. Its key is what rules are compacted by.
    fn simple_key(&self) -> Option<SimpleKey> {
        if self.resource_names.len() > 1
            || !self.non_resource_urls.is_empty()
            || self.api_groups.len() != 1
            || self.resources.len() != 1
        {
            return None;
        }
        Some((
            self.api_groups[0].clone(),
            self.resources[0].clone(),
            self.resource_names.first().cloned(),
        ))
    }
}

/// The SelfSubjectRulesReview's rules, in the order kubectl reads them:
/// a rule with resources becomes a resource rule, one with URLs a
/// non-resource rule (a rule with both would be both).
fn review_rules(rules: &[PolicyRule]) -> Vec<Rule> {
    let l = |v: &Option<Vec<String>>| v.clone().unwrap_or_default();
    let mut resource = Vec::new();
    let mut non_resource = Vec::new();
    for r in rules {
        if !l(&r.resources).is_empty() {
            resource.push(Rule {
                verbs: r.verbs.clone(),
                api_groups: l(&r.api_groups),
                resources: l(&r.resources),
                resource_names: l(&r.resource_names),
                non_resource_urls: vec![],
            });
        }
        if !l(&r.non_resource_urls).is_empty() {
            non_resource.push(Rule {
                verbs: r.verbs.clone(),
                non_resource_urls: l(&r.non_resource_urls),
                ..Default::default()
            });
        }
    }
    resource.extend(non_resource);
    resource
}

/// `CompactRules` over the broken-down rules: simple rules for the same
/// group, resource and name merge their verbs (duplicates kept, as
/// kubectl prints them); other rules stay as they are.
fn compact(rules: Vec<Rule>) -> Vec<Rule> {
    let mut out = Vec::new();
    let mut simple: Vec<(SimpleKey, Rule)> = Vec::new();
    for r in rules {
        match r.simple_key() {
            Some(key) => match simple.iter_mut().find(|(k, _)| *k == key) {
                Some((_, existing)) => existing.verbs.extend(r.verbs),
                None => simple.push((key, r)),
            },
            None => out.push(r),
        }
    }
    out.extend(simple.into_iter().map(|(_, r)| r));
    out
}

/// `CombineResourceGroup`: `resource.group/subresource`.
fn combine_resource_group(resources: &[String], groups: &[String]) -> String {
    let Some(first) = resources.first() else {
        return String::new();
    };
    let (resource, sub) = match first.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (first.as_str(), None),
    };
    let mut out = resource.to_string();
    if let Some(g) = groups.first().filter(|g| !g.is_empty()) {
        out.push('.');
        out.push_str(g);
    }
    if let Some(s) = sub {
        out.push('/');
        out.push_str(s);
    }
    out
}

/// The rows kubectl prints for these rules, in its order.
pub fn rows(rules: &[PolicyRule]) -> Vec<Row> {
    let broken: Vec<Rule> = review_rules(rules)
        .iter()
        .flat_map(Rule::breakdown)
        .collect();
    let mut compacted = compact(broken);
    compacted.sort_by_cached_key(Rule::go_string);
    compacted
        .into_iter()
        .map(|r| Row {
            resources: combine_resource_group(&r.resources, &r.api_groups),
            non_resource_urls: r.non_resource_urls,
            resource_names: r.resource_names,
            verbs: r.verbs,
        })
        .collect()
}

/// The table as kubectl prints it: tab-separated cells aligned as Go's
/// tabwriter does with kubectl's settings (minimum width 6, padding 3,
/// spaces); the last column is not padded.
pub fn table(rows: &[Row], headers: bool) -> String {
    let mut lines: Vec<[String; 4]> = Vec::new();
    if headers {
        lines.push([
            "Resources".into(),
            "Non-Resource URLs".into(),
            "Resource Names".into(),
            "Verbs".into(),
        ]);
    }
    for r in rows {
        lines.push([
            r.resources.clone(),
            go_list(&r.non_resource_urls),
            go_list(&r.resource_names),
            go_list(&r.verbs),
        ]);
    }
    const MIN_WIDTH: usize = 6;
    const PADDING: usize = 3;
    let mut widths = [0usize; 3];
    for (c, w) in widths.iter_mut().enumerate() {
        *w = lines
            .iter()
            .map(|l| l[c].chars().count() + PADDING)
            .max()
            .unwrap_or(0)
            .max(MIN_WIDTH);
    }
    let mut out = String::new();
    for l in &lines {
        for (c, w) in widths.iter().enumerate() {
            out.push_str(&l[c]);
            out.push_str(&" ".repeat(w - l[c].chars().count()));
        }
        out.push_str(&l[3]);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::matching::rule;
    use super::*;

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    // upstream: kubectl/pkg/util/rbac/rbac_test.go TestCompactRules
    // ("single rule", "compact by verbs", "exclude rules with resource
    // names" semantics) and TestBreakdownRule
    #[test]
    fn breakdown_then_compact() {
        let rules = vec![
            rule(&["get", "list"])
                .groups(&[""])
                .resources(&["pods", "services"])
                .build(),
            rule(&["watch"]).groups(&[""]).resources(&["pods"]).build(),
            rule(&["get"])
                .groups(&[""])
                .resources(&["secrets"])
                .names(&["a", "b"])
                .build(),
            rule(&["get"]).groups(&[""]).resources(&["pods"]).build(),
        ];
        let r = rows(&rules);
        let find = |res: &str, names: &[&str]| {
            r.iter()
                .find(|x| x.resources == res && x.resource_names == strs(names))
                .map(|x| x.verbs.clone())
        };
        // verbs merge per resource in the order met, duplicates kept
        assert_eq!(
            find("pods", &[]),
            Some(strs(&["get", "list", "watch", "get"]))
        );
        assert_eq!(find("services", &[]), Some(strs(&["get", "list"])));
        // each resource name is its own row
        assert_eq!(find("secrets", &["a"]), Some(strs(&["get"])));
        assert_eq!(find("secrets", &["b"]), Some(strs(&["get"])));
        assert_eq!(r.len(), 4);
    }

    #[test]
    fn rows_sort_by_the_go_string_and_combine_groups() {
        let rules = vec![
            rule(&["list"])
                .groups(&["apps"])
                .resources(&["deployments/scale"])
                .build(),
            rule(&["get"]).urls(&["/healthz", "/api"]).build(),
            rule(&["get"]).urls(&["/healthz"]).build(),
            rule(&["create"])
                .groups(&["authorization.k8s.io"])
                .resources(&["selfsubjectaccessreviews"])
                .build(),
        ];
        let r = rows(&rules);
        let got: Vec<(&str, Vec<String>, Vec<String>)> = r
            .iter()
            .map(|x| {
                (
                    x.resources.as_str(),
                    x.non_resource_urls.clone(),
                    x.verbs.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "selfsubjectaccessreviews.authorization.k8s.io",
                    vec![],
                    strs(&["create"])
                ),
                ("", strs(&["/api"]), strs(&["get"])),
                ("", strs(&["/healthz"]), strs(&["get"])),
                // non-resource rules are not compacted: the duplicate stays
                ("", strs(&["/healthz"]), strs(&["get"])),
                ("deployments.apps/scale", vec![], strs(&["list"])),
            ]
        );
    }

    #[test]
    fn table_aligns_like_kubectl() {
        let r = vec![
            Row {
                resources: "pods".into(),
                non_resource_urls: vec![],
                resource_names: vec![],
                verbs: strs(&["get", "list"]),
            },
            Row {
                resources: String::new(),
                non_resource_urls: strs(&["/api/*"]),
                resource_names: vec![],
                verbs: strs(&["get"]),
            },
        ];
        let want = "\
Resources   Non-Resource URLs   Resource Names   Verbs
pods        []                  []               [get list]
            [/api/*]            []               [get]
";
        assert_eq!(table(&r, true), want);
        // without headers: widths 4+3, 8+3 and max(2+3, 6)
        let no_headers = "\
pods   []         []    [get list]
       [/api/*]   []    [get]
";
        assert_eq!(table(&r, false), no_headers);
    }
}
