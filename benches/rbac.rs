//! RBAC engine speed: `can-i --list` and single decisions over the API
//! server's default roles and bindings plus 1,000 bindings (900
//! RoleBindings in 30 namespaces, 100 ClusterRoleBindings, 90 Roles).

// A benchmark whose input does not load must stop at once.
#![allow(clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use kubedojo::engines::rbac::{Attributes, Policy, UserInfo, list};
use kubedojo::model::load::Input;
use std::hint::black_box;

fn cluster_yaml() -> String {
    let mut y = String::new();
    for ns in 0..30 {
        for r in 0..3 {
            y.push_str(&format!(
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: role-{r}\n  namespace: ns-{ns}\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\", \"pods/log\", \"configmaps\"]\n  verbs: [\"get\", \"list\", \"watch\"]\n- apiGroups: [\"apps\"]\n  resources: [\"deployments\"]\n  verbs: [\"get\", \"list\", \"create\", \"patch\"]\n"
            ));
        }
        for b in 0..30 {
            let (kind, role) = if b % 3 == 0 {
                ("ClusterRole", "view".to_string())
            } else {
                ("Role", format!("role-{}", b % 3))
            };
            y.push_str(&format!(
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb-{b}\n  namespace: ns-{ns}\nsubjects:\n- kind: User\n  name: user-{b}\n- kind: Group\n  name: team-{ns}\n- kind: ServiceAccount\n  name: sa-{b}\nroleRef:\n  kind: {kind}\n  name: {role}\n"
            ));
        }
    }
    for c in 0..100 {
        y.push_str(&format!(
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb-{c}\nsubjects:\n- kind: User\n  name: user-{c}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: {}\n",
            if c % 2 == 0 { "view" } else { "system:node-proxier" }
        ));
    }
    y
}

fn bench(c: &mut Criterion) {
    let yaml = cluster_yaml();
    let inputs = vec![Input::new("cluster.yaml", yaml.into_bytes())];
    let validated = kubedojo::validate::validate_inputs(&inputs).expect("bench input loads");
    assert!(validated.is_valid(), "{:?}", validated.problems.first());
    let model = validated.model();
    let user = UserInfo::impersonated("user-3", &["team-7".to_string()]);
    let policy = Policy::from_model(&model, true);
    assert_eq!(
        policy.role_bindings.len() + policy.cluster_role_bindings.len(),
        1000 + 13
    );

    c.bench_function(
        "can-i --list: policy + rules + table (defaults + 1000 bindings)",
        |b| {
            b.iter(|| {
                let policy = Policy::from_model(black_box(&model), true);
                let (grants, _) = policy.grants_for(&user, "ns-7");
                let rules: Vec<_> = grants.iter().map(|g| g.rule.clone()).collect();
                black_box(list::table(&list::rows(&rules), true))
            })
        },
    );

    c.bench_function(
        "can-i --list: from YAML (validate + model + policy + table)",
        |b| {
            b.iter(|| {
                let v = kubedojo::validate::validate_inputs(black_box(&inputs)).expect("loads");
                let policy = Policy::from_model(&v.model(), true);
                let (grants, _) = policy.grants_for(&user, "ns-7");
                let rules: Vec<_> = grants.iter().map(|g| g.rule.clone()).collect();
                black_box(list::table(&list::rows(&rules), true))
            })
        },
    );

    let attrs =
        Attributes::resource(user.clone(), "list", "apps", "deployments").in_namespace("ns-7");
    c.bench_function("authorize one request (defaults + 1000 bindings)", |b| {
        b.iter(|| black_box(policy.authorize(black_box(&attrs))))
    });

    let denied = Attributes::resource(user.clone(), "delete", "", "secrets").in_namespace("ns-7");
    c.bench_function("explain a denied request (defaults + 1000 bindings)", |b| {
        b.iter(|| {
            black_box(kubedojo::engines::rbac::explain(
                &policy,
                black_box(&denied),
            ))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
