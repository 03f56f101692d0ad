//! ValidatingAdmissionPolicy evaluation: one policy (every container has
//! cpu and memory limits) with its binding, evaluated for CREATE requests
//! of 1,000 pods, half of which violate it.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use kubedojo::engines::admission::{self, Operation, Request};
use kubedojo::model::load::Input;
use std::fmt::Write;
use std::hint::black_box;

const POLICY: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {environment: prod}}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: require-limits}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"]}
  validations:
    - expression: >-
        object.spec.containers.all(c, has(c.resources) && has(c.resources.limits)
        && 'cpu' in c.resources.limits && 'memory' in c.resources.limits)
      messageExpression: "'pod ' + object.metadata.name + ' needs cpu and memory limits'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: require-limits}
spec:
  policyName: require-limits
  validationActions: [Deny]
  matchResources:
    namespaceSelector: {matchLabels: {environment: prod}}
"#;

fn manifests() -> String {
    let mut s = POLICY.to_string();
    for i in 0..1000 {
        let resources = if i % 2 == 0 {
            "{limits: {cpu: 200m, memory: 256Mi}}"
        } else {
            "{requests: {cpu: 100m}}"
        };
        write!(
            s,
            "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, namespace: prod}}\nspec:\n  containers:\n    - {{name: app, image: nginx, resources: {resources}}}\n    - {{name: side, image: envoy, resources: {{limits: {{cpu: 100m, memory: 64Mi}}}}}}\n"
        )
        .unwrap();
    }
    s
}

fn bench(c: &mut Criterion) {
    let v =
        kubedojo::validate::validate_inputs(&[Input::new("bench.yaml", manifests().into_bytes())])
            .expect("readable");
    assert!(v.is_valid());
    let model = v.model();
    let requests: Vec<Request> = model
        .objects
        .iter()
        .filter(|o| o.id.kind == "Pod")
        .map(|o| Request::for_object(Operation::Create, o, None).expect("request"))
        .collect();
    assert_eq!(requests.len(), 1000);
    let denied = requests
        .iter()
        .filter(|r| !admission::evaluate(&model, r).allowed())
        .count();
    assert_eq!(denied, 500);
    c.bench_function(
        "evaluate one ValidatingAdmissionPolicy for 1000 pods",
        |b| {
            b.iter(|| {
                requests
                    .iter()
                    .filter(|r| !admission::evaluate(black_box(&model), r).allowed())
                    .count()
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
