//! The RBAC objects the authorizer reads: Roles, ClusterRoles,
//! RoleBindings and ClusterRoleBindings, each with where it was written,
//! indexed the way the API server's listers find them. ClusterRoles with an
//! aggregationRule get the rules the clusterrole-aggregation controller
//! would give them (pkg/controller/clusterroleaggregation).

use super::defaults;
use crate::engines::selector::Selector;
use crate::model::{ClusterModel, FieldPath, Location, Object, ObjectRef, Origin, Typed};
use k8s_openapi::api::rbac::v1::{
    AggregationRule, ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef,
    Subject,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The label upstream's bootstrap policy puts on its default RBAC objects.
const BOOTSTRAP_LABEL: &str = "kubernetes.io/bootstrapping";
const BOOTSTRAP_VALUE: &str = "rbac-defaults";

/// Where an RBAC object came from.
#[derive(Clone, Debug)]
pub struct Source {
    pub id: ObjectRef,
    pub origin: Option<Arc<Origin>>,
    /// One of the API server's default roles and bindings.
    pub builtin: bool,
}

impl Source {
    pub fn locate(&self, path: &FieldPath) -> Option<Location> {
        self.origin.as_ref().map(|o| o.locate(path))
    }

    /// `builtin` marks a whole model of defaults. An object read from a
    /// live cluster (no source file) is a default too when it carries the
    /// label the API server's bootstrap policy puts on every default role
    /// and binding (plugin/pkg/auth/authorizer/rbac/bootstrappolicy
    /// `addDefaultMetadata`: `kubernetes.io/bootstrapping: rbac-defaults`),
    /// so live grading does not count `system:basic-user` and friends as
    /// the learner's. A file's objects never are: a learner cannot hide a
    /// binding from the checks by labelling it.
    fn of(object: &Object, builtin: bool) -> Self {
        let bootstrap_default = || {
            object
                .typed
                .metadata()
                .and_then(|m| m.labels.as_ref())
                .and_then(|l| l.get(BOOTSTRAP_LABEL))
                .is_some_and(|v| v == BOOTSTRAP_VALUE)
        };
        Source {
            id: object.id.clone(),
            origin: object.origin.clone(),
            builtin: builtin || (object.origin.is_none() && bootstrap_default()),
        }
    }

    fn built(kind: &str, meta: &ObjectMeta, namespaced: bool) -> Self {
        Source {
            id: ObjectRef {
                api_version: "rbac.authorization.k8s.io/v1".into(),
                kind: kind.into(),
                namespace: namespaced.then(|| meta.namespace.clone().unwrap_or_default()),
                name: meta.name.clone().unwrap_or_default(),
            },
            origin: None,
            builtin: false,
        }
    }
}

/// Where one rule was written: `rules[index]` of `role`. For a rule an
/// aggregated ClusterRole collected, the role it was collected from.
#[derive(Clone, Debug)]
pub struct RuleSource {
    pub role: ObjectRef,
    pub index: usize,
    pub origin: Option<Arc<Origin>>,
    pub builtin: bool,
}

impl RuleSource {
    pub fn locate(&self) -> Option<Location> {
        self.origin
            .as_ref()
            .map(|o| o.locate(&FieldPath::root().field("rules").index(self.index)))
    }
}

/// A Role or ClusterRole.
#[derive(Clone, Debug)]
pub struct RoleDef {
    pub source: Source,
    pub labels: BTreeMap<String, String>,
    pub aggregation: Option<AggregationRule>,
    /// The rules in force: as written, or for an aggregating ClusterRole
    /// the rules collected from the ClusterRoles it selects.
    pub rules: Vec<PolicyRule>,
    pub rule_sources: Vec<RuleSource>,
    /// How many rules were written in the object itself (an aggregating
    /// ClusterRole's own rules are replaced by the controller).
    pub written_rules: usize,
    /// A selector the aggregation controller cannot evaluate: it leaves
    /// the rules as they are.
    pub aggregation_error: Option<String>,
}

impl RoleDef {
    fn new(source: Source, meta: &ObjectMeta, rules: Vec<PolicyRule>) -> Self {
        let rule_sources = (0..rules.len())
            .map(|index| RuleSource {
                role: source.id.clone(),
                index,
                origin: source.origin.clone(),
                builtin: source.builtin,
            })
            .collect();
        RoleDef {
            labels: meta.labels.clone().unwrap_or_default(),
            aggregation: None,
            written_rules: rules.len(),
            rules,
            rule_sources,
            source,
            aggregation_error: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.source.id.name
    }

    pub fn is_aggregated(&self) -> bool {
        self.aggregation.is_some()
    }
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Clone, Debug)]
pub struct BindingDef {
    pub source: Source,
    pub role_ref: RoleRef,
    pub subjects: Vec<Subject>,
}

impl BindingDef {
    pub fn name(&self) -> &str {
        &self.source.id.name
    }

    /// The binding's namespace; empty for a ClusterRoleBinding.
    pub fn namespace(&self) -> &str {
        self.source.id.namespace.as_deref().unwrap_or("")
    }

    pub fn is_cluster(&self) -> bool {
        self.source.id.kind == "ClusterRoleBinding"
    }
}

/// Every RBAC object the authorizer can see, indexed for lookups.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub roles: Vec<RoleDef>,
    pub cluster_roles: Vec<RoleDef>,
    pub role_bindings: Vec<BindingDef>,
    pub cluster_role_bindings: Vec<BindingDef>,
    role_index: HashMap<(String, String), usize>,
    cluster_role_index: HashMap<String, usize>,
    role_bindings_by_namespace: HashMap<String, Vec<usize>>,
}

impl Policy {
    /// A policy from plain objects, as upstream's `NewTestRuleResolver`
    /// takes them: every object is kept, even several with one name (a
    /// lookup finds the first). Namespaced objects without a namespace are
    /// in `""`.
    pub fn new(
        roles: Vec<Role>,
        role_bindings: Vec<RoleBinding>,
        cluster_roles: Vec<ClusterRole>,
        cluster_role_bindings: Vec<ClusterRoleBinding>,
    ) -> Policy {
        let mut b = Builder {
            keep_all: true,
            ..Default::default()
        };
        for r in roles {
            b.role(Source::built("Role", &r.metadata, true), r);
        }
        for r in cluster_roles {
            b.cluster_role(Source::built("ClusterRole", &r.metadata, false), r);
        }
        for rb in role_bindings {
            let s = Source::built("RoleBinding", &rb.metadata, true);
            b.role_binding(s, rb);
        }
        for crb in cluster_role_bindings {
            let s = Source::built("ClusterRoleBinding", &crb.metadata, false);
            b.cluster_role_binding(s, crb);
        }
        b.finish()
    }

    /// The RBAC objects of a model, after the API server's default
    /// ClusterRoles and ClusterRoleBindings when `with_defaults`. An object
    /// in the model replaces a default of the same kind and name, as
    /// `kubectl apply` would.
    pub fn from_model(model: &ClusterModel, with_defaults: bool) -> Policy {
        let mut b = Builder::default();
        if with_defaults {
            b.model(defaults::bootstrap(), true);
        }
        b.model(model, false);
        b.finish()
    }

    /// `GetRole(namespace, name)`.
    pub fn role(&self, namespace: &str, name: &str) -> Option<&RoleDef> {
        self.role_index
            .get(&(namespace.to_string(), name.to_string()))
            .map(|&i| &self.roles[i])
    }

    /// `GetClusterRole(name)`.
    pub fn cluster_role(&self, name: &str) -> Option<&RoleDef> {
        self.cluster_role_index
            .get(name)
            .map(|&i| &self.cluster_roles[i])
    }

    /// `ListRoleBindings(namespace)`, in load order.
    pub fn role_bindings_in<'a>(
        &'a self,
        namespace: &str,
    ) -> impl Iterator<Item = &'a BindingDef> + 'a {
        self.role_bindings_by_namespace
            .get(namespace)
            .into_iter()
            .flatten()
            .map(|&i| &self.role_bindings[i])
    }

    /// The same roles, with only the bindings that are not the API
    /// server's defaults: what the learner's (and the exercise's) objects
    /// grant.
    pub fn without_builtin_bindings(&self) -> Policy {
        Builder {
            keep_all: true,
            roles: self.roles.clone(),
            cluster_roles: self.cluster_roles.clone(),
            role_bindings: self
                .role_bindings
                .iter()
                .filter(|b| !b.source.builtin)
                .cloned()
                .collect(),
            cluster_role_bindings: self
                .cluster_role_bindings
                .iter()
                .filter(|b| !b.source.builtin)
                .cloned()
                .collect(),
            seen: Default::default(),
        }
        .finish()
    }

    /// Every namespace that holds a Role or RoleBinding.
    pub fn namespaces(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .roles
            .iter()
            .filter_map(|r| r.source.id.namespace.clone())
            .chain(self.role_bindings.iter().map(|b| b.namespace().to_string()))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Collects objects (later ones replace earlier ones with the same
/// identity, as an apply would), then aggregates and indexes.
#[derive(Default)]
struct Builder {
    /// Keep objects with the same identity side by side instead of
    /// replacing the earlier one.
    keep_all: bool,
    roles: Vec<RoleDef>,
    cluster_roles: Vec<RoleDef>,
    role_bindings: Vec<BindingDef>,
    cluster_role_bindings: Vec<BindingDef>,
    /// Where each identity sits in its list, per kind.
    seen: [HashMap<Key, usize>; 4],
}

/// Identity of an object within its kind's list: (namespace, name).
type Key = (Option<String>, String);

/// Append `item`, or replace the object with the same identity (an
/// apply), using `index` to find it.
fn upsert<T>(
    keep_all: bool,
    list: &mut Vec<T>,
    index: &mut HashMap<Key, usize>,
    item: T,
    id: impl Fn(&T) -> &ObjectRef,
) {
    if !keep_all {
        let key = (id(&item).namespace.clone(), id(&item).name.clone());
        if let Some(&i) = index.get(&key) {
            list[i] = item;
            return;
        }
        index.insert(key, list.len());
    }
    list.push(item);
}

impl Builder {
    fn model(&mut self, model: &ClusterModel, builtin: bool) {
        for o in &model.objects {
            let source = || Source::of(o, builtin);
            match &o.typed {
                Typed::Role(r) => self.role(source(), (**r).clone()),
                Typed::ClusterRole(r) => self.cluster_role(source(), (**r).clone()),
                Typed::RoleBinding(rb) => self.role_binding(source(), (**rb).clone()),
                Typed::ClusterRoleBinding(crb) => {
                    self.cluster_role_binding(source(), (**crb).clone())
                }
                _ => {}
            }
        }
    }

    fn role(&mut self, source: Source, r: Role) {
        let def = RoleDef::new(source, &r.metadata, r.rules.unwrap_or_default());
        upsert(
            self.keep_all,
            &mut self.roles,
            &mut self.seen[0],
            def,
            |d| &d.source.id,
        );
    }

    fn cluster_role(&mut self, source: Source, r: ClusterRole) {
        let mut def = RoleDef::new(source, &r.metadata, r.rules.unwrap_or_default());
        def.aggregation = r.aggregation_rule;
        upsert(
            self.keep_all,
            &mut self.cluster_roles,
            &mut self.seen[1],
            def,
            |d| &d.source.id,
        );
    }

    fn role_binding(&mut self, source: Source, rb: RoleBinding) {
        let def = BindingDef {
            source,
            role_ref: rb.role_ref,
            subjects: rb.subjects.unwrap_or_default(),
        };
        upsert(
            self.keep_all,
            &mut self.role_bindings,
            &mut self.seen[2],
            def,
            |d| &d.source.id,
        );
    }

    fn cluster_role_binding(&mut self, source: Source, crb: ClusterRoleBinding) {
        let def = BindingDef {
            source,
            role_ref: crb.role_ref,
            subjects: crb.subjects.unwrap_or_default(),
        };
        upsert(
            self.keep_all,
            &mut self.cluster_role_bindings,
            &mut self.seen[3],
            def,
            |d| &d.source.id,
        );
    }

    fn finish(mut self) -> Policy {
        aggregate(&mut self.cluster_roles);
        let mut p = Policy {
            roles: self.roles,
            cluster_roles: self.cluster_roles,
            role_bindings: self.role_bindings,
            cluster_role_bindings: self.cluster_role_bindings,
            ..Default::default()
        };
        for (i, r) in p.roles.iter().enumerate() {
            let ns = r.source.id.namespace.clone().unwrap_or_default();
            p.role_index.entry((ns, r.name().to_string())).or_insert(i);
        }
        for (i, r) in p.cluster_roles.iter().enumerate() {
            p.cluster_role_index
                .entry(r.name().to_string())
                .or_insert(i);
        }
        for (i, b) in p.role_bindings.iter().enumerate() {
            p.role_bindings_by_namespace
                .entry(b.namespace().to_string())
                .or_default()
                .push(i);
        }
        p
    }
}

/// Two rules are the same when every list holds the same strings in the
/// same order; an absent list equals an empty one (`equality.Semantic`).
pub fn same_rule(a: &PolicyRule, b: &PolicyRule) -> bool {
    // Borrowed, not cloned: aggregation compares every collected rule with
    // every other, so this is the hot path of building a policy.
    fn l(v: &Option<Vec<String>>) -> &[String] {
        v.as_deref().unwrap_or_default()
    }
    a.verbs == b.verbs
        && l(&a.api_groups) == l(&b.api_groups)
        && l(&a.resources) == l(&b.resources)
        && l(&a.resource_names) == l(&b.resource_names)
        && l(&a.non_resource_urls) == l(&b.non_resource_urls)
}

/// Run the aggregation controller until nothing changes. For each
/// aggregating ClusterRole, in selector order, the selected ClusterRoles
/// (by name, itself excluded) contribute each rule not already present.
/// Aggregating roles can select each other (admin selects edit, edit
/// selects view), so this repeats to a fixed point; a cycle that never
/// settles stops after a bounded number of rounds.
fn aggregate(cluster_roles: &mut [RoleDef]) {
    let mut order: Vec<usize> = (0..cluster_roles.len())
        .filter(|&i| cluster_roles[i].aggregation.is_some())
        .collect();
    if order.is_empty() {
        return;
    }
    order.sort_by(|&a, &b| cluster_roles[a].name().cmp(cluster_roles[b].name()));
    let mut by_name: Vec<usize> = (0..cluster_roles.len()).collect();
    by_name.sort_by(|&a, &b| cluster_roles[a].name().cmp(cluster_roles[b].name()));
    for _round in 0..order.len() + 2 {
        let mut changed = false;
        for &i in &order {
            let Some(rule) = cluster_roles[i].aggregation.clone() else {
                continue;
            };
            match collect(cluster_roles, &by_name, i, &rule) {
                Ok((rules, sources)) => {
                    let same = rules.len() == cluster_roles[i].rules.len()
                        && rules
                            .iter()
                            .zip(&cluster_roles[i].rules)
                            .all(|(a, b)| same_rule(a, b));
                    if !same {
                        cluster_roles[i].rules = rules;
                        cluster_roles[i].rule_sources = sources;
                        changed = true;
                    }
                    cluster_roles[i].aggregation_error = None;
                }
                Err(e) => cluster_roles[i].aggregation_error = Some(e),
            }
        }
        if !changed {
            break;
        }
    }
}

type Collected = (Vec<PolicyRule>, Vec<RuleSource>);

fn collect(
    cluster_roles: &[RoleDef],
    by_name: &[usize],
    me: usize,
    rule: &AggregationRule,
) -> Result<Collected, String> {
    let mut rules: Vec<PolicyRule> = Vec::new();
    let mut sources = Vec::new();
    for sel in rule.cluster_role_selectors.iter().flatten() {
        // The controller compiles each selector and stops on an error.
        let sel = Selector::from_api(Some(sel)).map_err(|e| e.to_string())?;
        for &j in by_name {
            if j == me || cluster_roles[j].name() == cluster_roles[me].name() {
                continue;
            }
            if !sel.matches(&cluster_roles[j].labels) {
                continue;
            }
            for (k, r) in cluster_roles[j].rules.iter().enumerate() {
                if !rules.iter().any(|x| same_rule(x, r)) {
                    rules.push(r.clone());
                    sources.push(cluster_roles[j].rule_sources[k].clone());
                }
            }
        }
    }
    Ok((rules, sources))
}

#[cfg(test)]
mod tests {
    use super::super::matching::rule;
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

    fn meta(name: &str, labels: &[(&str, &str)]) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            labels: Some(
                labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            ..Default::default()
        }
    }

    fn role(name: &str, labels: &[(&str, &str)], rules: Vec<PolicyRule>) -> ClusterRole {
        ClusterRole {
            metadata: meta(name, labels),
            rules: Some(rules),
            aggregation_rule: None,
        }
    }

    fn combined(selectors: &[&[(&str, &str)]], rules: Vec<PolicyRule>) -> ClusterRole {
        ClusterRole {
            metadata: meta("combined", &[]),
            rules: Some(rules),
            aggregation_rule: Some(AggregationRule {
                cluster_role_selectors: Some(
                    selectors
                        .iter()
                        .map(|s| LabelSelector {
                            match_labels: Some(
                                s.iter()
                                    .map(|(k, v)| (k.to_string(), v.to_string()))
                                    .collect(),
                            ),
                            match_expressions: None,
                        })
                        .collect(),
                ),
            }),
        }
    }

    fn hammer() -> Vec<PolicyRule> {
        vec![
            rule(&["hammer"]).resources(&["nails"]).build(),
            rule(&["hammer"]).resources(&["wedges"]).build(),
        ]
    }
    fn chisel() -> Vec<PolicyRule> {
        vec![rule(&["chisel"]).resources(&["mortises"]).build()]
    }
    fn saw() -> Vec<PolicyRule> {
        vec![rule(&["saw"]).resources(&["boards"]).build()]
    }

    fn aggregated(roles: Vec<ClusterRole>) -> Vec<PolicyRule> {
        let p = Policy::new(vec![], vec![], roles, vec![]);
        p.cluster_role("combined").unwrap().rules.clone()
    }

    fn concat(parts: &[Vec<PolicyRule>]) -> Vec<PolicyRule> {
        parts.iter().flatten().cloned().collect()
    }

    // upstream: pkg/controller/clusterroleaggregation/clusterroleaggregation_controller_test.go
    // TestSyncClusterRole
    #[test]
    fn remove_dead_rules() {
        let got = aggregated(vec![
            role("hammer", &[("foo", "bar")], hammer()),
            combined(&[&[("foo", "bar")]], saw()),
        ]);
        assert_eq!(got, hammer());
    }

    // upstream: TestSyncClusterRole case "strip rules"
    #[test]
    fn strip_rules() {
        let got = aggregated(vec![
            role("hammer", &[("foo", "not-bar")], hammer()),
            combined(&[&[("foo", "bar")]], hammer()),
        ]);
        assert!(got.is_empty());
    }

    // upstream: TestSyncClusterRole case "select properly and put in order"
    #[test]
    fn select_properly_and_put_in_order() {
        let got = aggregated(vec![
            role("hammer", &[("foo", "bar")], hammer()),
            role("chisel", &[("foo", "bar")], chisel()),
            role("saw", &[("foo", "not-bar")], saw()),
            combined(&[&[("foo", "bar")]], vec![]),
        ]);
        assert_eq!(got, concat(&[chisel(), hammer()]));
    }

    // upstream: TestSyncClusterRole case "select properly with multiple selectors"
    #[test]
    fn select_properly_with_multiple_selectors() {
        let got = aggregated(vec![
            role("hammer", &[("foo", "bar")], hammer()),
            role("chisel", &[("foo", "bar")], chisel()),
            role("saw", &[("foo", "not-bar")], saw()),
            combined(&[&[("foo", "bar")], &[("foo", "not-bar")]], vec![]),
        ]);
        assert_eq!(got, concat(&[chisel(), hammer(), saw()]));
    }

    // upstream: TestSyncClusterRole case "select properly remove duplicates"
    #[test]
    fn select_properly_remove_duplicates() {
        let got = aggregated(vec![
            role("hammer", &[("foo", "bar")], hammer()),
            role("chisel", &[("foo", "bar")], chisel()),
            role("saw", &[("foo", "bar")], saw()),
            role("other-saw", &[("foo", "not-bar")], saw()),
            combined(&[&[("foo", "bar")], &[("foo", "not-bar")]], vec![]),
        ]);
        assert_eq!(got, concat(&[chisel(), hammer(), saw()]));
    }

    // upstream: TestSyncClusterRole case "no diff skip"
    #[test]
    fn no_diff_keeps_rules() {
        let got = aggregated(vec![
            role("hammer", &[("foo", "bar")], hammer()),
            combined(&[&[("foo", "bar")]], hammer()),
        ]);
        assert_eq!(got, hammer());
    }

    #[test]
    fn aggregation_reaches_a_fixed_point_across_levels() {
        // outer selects inner (an aggregating role) which selects leaf
        let mut inner = combined(&[&[("level", "leaf")]], vec![]);
        inner.metadata = meta("inner", &[("level", "inner")]);
        let mut outer = combined(&[&[("level", "inner")]], vec![]);
        outer.metadata = meta("a-outer", &[]);
        let p = Policy::new(
            vec![],
            vec![],
            vec![outer, inner, role("leaf", &[("level", "leaf")], saw())],
            vec![],
        );
        assert_eq!(p.cluster_role("a-outer").unwrap().rules, saw());
        // the rule still points at the role that wrote it
        let src = &p.cluster_role("a-outer").unwrap().rule_sources[0];
        assert_eq!(src.role.name, "leaf");
        assert_eq!(src.index, 0);
    }

    #[test]
    fn defaults_aggregate_view_edit_admin() {
        let p = Policy::from_model(&ClusterModel::new(), true);
        let view = p.cluster_role("view").unwrap();
        let edit = p.cluster_role("edit").unwrap();
        let admin = p.cluster_role("admin").unwrap();
        assert!(!view.rules.is_empty());
        // edit holds every view rule, admin every edit rule
        assert!(
            view.rules
                .iter()
                .all(|r| edit.rules.iter().any(|e| same_rule(e, r)))
        );
        assert!(
            edit.rules
                .iter()
                .all(|r| admin.rules.iter().any(|e| same_rule(e, r)))
        );
        assert!(edit.rules.len() > view.rules.len());
        assert!(admin.rules.len() > edit.rules.len());
        assert!(view.rule_sources.iter().all(|s| s.builtin));
        assert_eq!(view.rule_sources[0].role.name, "system:aggregate-to-view");
    }

    #[test]
    fn test_policies_keep_every_object_and_find_the_first() {
        let a = role("x", &[], saw());
        let b = role("x", &[], chisel());
        let p = Policy::new(vec![], vec![], vec![a, b], vec![]);
        assert_eq!(p.cluster_roles.len(), 2);
        assert_eq!(p.cluster_role("x").unwrap().rules, saw());
    }

    #[test]
    fn model_objects_replace_defaults_with_the_same_name() {
        let mut m = ClusterModel::new();
        m.push(crate::model::Object::new(role("view", &[], saw())));
        let p = Policy::from_model(&m, true);
        assert_eq!(
            p.cluster_roles
                .iter()
                .filter(|r| r.name() == "view")
                .count(),
            1
        );
        let view = p.cluster_role("view").unwrap();
        assert_eq!(view.rules, saw());
        assert!(!view.source.builtin);
        // edit aggregates view's label, which the replacement does not carry
        let edit = p.cluster_role("edit").unwrap();
        assert!(!edit.rules.iter().any(|r| same_rule(r, &saw()[0])));
    }

    // A learner's object replaces the default of the same kind and name, as
    // on a cluster where the default was edited (kubectl apply replaces the
    // object; the authorizer reads only what is stored). Kind is part of the
    // identity: a Role named `view` is not the ClusterRole `view`.
    // upstream: plugin/pkg/auth/authorizer/rbac/rbac.go (the authorizer reads
    // roles and bindings through listers, one object per name);
    // kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
    #[test]
    fn only_a_live_objects_bootstrap_label_makes_it_a_default() {
        let yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: everyone-admin\n  labels: {kubernetes.io/bootstrapping: rbac-defaults}\nsubjects:\n- {kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}\nroleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}\n";
        let v = crate::validate::validate_inputs(&[crate::model::load::Input::new(
            "mine.yaml",
            yaml.as_bytes().to_vec(),
        )])
        .expect("readable");
        let from_file = v.model();
        let p = Policy::from_model(&from_file, false);
        // Written in a file: the learner's, label or not.
        assert!(!p.cluster_role_bindings[0].source.builtin);
        // Listed from a cluster: a default, as the API server created it.
        let mut live = from_file.clone();
        for o in &mut live.objects {
            o.origin = None;
        }
        let p = Policy::from_model(&live, false);
        assert!(p.cluster_role_bindings[0].source.builtin);
        // Another value of the label is not upstream's.
        let mut other = live.clone();
        for o in &mut other.objects {
            if let Some(m) = o.typed.metadata_mut() {
                m.labels
                    .get_or_insert_default()
                    .insert("kubernetes.io/bootstrapping".into(), "mine".into());
            }
        }
        assert!(
            !Policy::from_model(&other, false).cluster_role_bindings[0]
                .source
                .builtin
        );
    }

    #[test]
    fn a_learners_objects_yield_nothing_to_the_defaults_they_replace() {
        use super::super::{Attributes, UserInfo};
        use k8s_openapi::api::rbac::v1::{RoleRef, Subject};
        let subject = |kind: &str, name: &str| Subject {
            api_group: Some("rbac.authorization.k8s.io".into()),
            kind: kind.into(),
            name: name.into(),
            namespace: None,
        };
        let role_ref = |kind: &str, name: &str| RoleRef {
            api_group: Some("rbac.authorization.k8s.io".into()),
            kind: kind.into(),
            name: name.into(),
        };
        let in_ns = |ns: &str, name: &str| ObjectMeta {
            namespace: Some(ns.into()),
            name: Some(name.into()),
            ..Default::default()
        };
        // jane holds the ClusterRole view in `ns`.
        let jane_view_in = |ns: &str| RoleBinding {
            metadata: in_ns(ns, "jane-view"),
            role_ref: role_ref("ClusterRole", "view"),
            subjects: Some(vec![subject("User", "jane")]),
        };
        let mut view = role("view", &[], vec![]);
        view.rules = Some(vec![
            rule(&["get"]).groups(&[""]).resources(&["pods"]).build(),
        ]);
        let m = ClusterModel::new()
            .with(view)
            .with(jane_view_in("team-a"))
            .with(Role {
                metadata: in_ns("team-b", "view"),
                rules: Some(vec![
                    rule(&["get"]).groups(&[""]).resources(&["secrets"]).build(),
                ]),
            })
            .with(jane_view_in("team-b"))
            .with(ClusterRoleBinding {
                metadata: ObjectMeta {
                    name: Some("kubeadm:cluster-admins".into()),
                    ..Default::default()
                },
                role_ref: role_ref("ClusterRole", "cluster-admin"),
                subjects: Some(vec![subject("User", "alice")]),
            });
        let p = Policy::from_model(&m, true);
        let allows = |user: &UserInfo, verb: &str, resource: &str, ns: &str| {
            p.authorize(&Attributes::resource(user.clone(), verb, "", resource).in_namespace(ns))
                .allowed
        };
        let jane = UserInfo::impersonated("jane", &[]);
        assert!(allows(&jane, "get", "pods", "team-a"));
        // The default view lets its holders list ConfigMaps; the learner's
        // view does not.
        assert!(!allows(&jane, "list", "configmaps", "team-a"));
        // The Role `view` in team-b is another object: the binding to the
        // ClusterRole view does not reach its secrets.
        assert!(allows(&jane, "get", "pods", "team-b"));
        assert!(!allows(&jane, "get", "secrets", "team-b"));
        assert!(p.role("team-b", "view").is_some_and(|r| !r.source.builtin));

        // kubeadm's admin binding now names alice, not its group.
        let kadmin = UserInfo::impersonated("kubernetes-admin", &["kubeadm:cluster-admins".into()]);
        assert!(!allows(&kadmin, "delete", "nodes", ""));
        assert!(allows(
            &UserInfo::impersonated("alice", &[]),
            "delete",
            "pods",
            "x"
        ));
        let admins: Vec<&BindingDef> = p
            .cluster_role_bindings
            .iter()
            .filter(|b| b.name() == "kubeadm:cluster-admins")
            .collect();
        assert_eq!(admins.len(), 1);
        assert!(!admins[0].source.builtin);
        // Every other default stays: the default cluster-admin binding still
        // serves system:masters.
        let root = UserInfo::impersonated("root", &["system:masters".into()]);
        assert!(allows(&root, "delete", "pods", "x"));
        assert_eq!(
            p.cluster_role_bindings.len(),
            defaults::bootstrap().of::<ClusterRoleBinding>().count()
        );
    }
}
