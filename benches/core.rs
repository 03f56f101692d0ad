#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Grading core speed: loading a 1,000-object `kubectl get -o yaml` dump
//! with full strict validation (target < 50 ms), and grading an exercise
//! in-process (target < 1 ms).

use criterion::{Criterion, criterion_group, criterion_main};
use kubedojo::checks::run::{Graded, grade_inputs};
use kubedojo::content::{Content, ContentSource, Lang};
use kubedojo::model::load::Input;
use std::hint::black_box;

/// A dump shaped like `kubectl get pods,services,deployments -A -o yaml`:
/// one `kind: List` with status, managedFields and the usual defaults.
fn dump(objects: usize) -> String {
    let mut s =
        String::from("apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n");
    for i in 0..objects {
        let ns = format!("team-{}", i % 50);
        match i % 3 {
            0 => s.push_str(&format!(
                r#"- apiVersion: v1
  kind: Pod
  metadata:
    creationTimestamp: "2026-01-01T10:00:00Z"
    labels:
      app: web-{i}
      pod-template-hash: 5d8f9c7b6d
    managedFields:
    - apiVersion: v1
      fieldsType: FieldsV1
      fieldsV1:
        f:metadata:
          f:labels:
            .: {{}}
            f:app: {{}}
      manager: kube-controller-manager
      operation: Update
      time: "2026-01-01T10:00:00Z"
    name: web-{i}
    namespace: {ns}
    resourceVersion: "{i}"
    uid: 0b0f0e3c-1d7a-4f1e-9b51-{i:012}
  spec:
    containers:
    - image: nginx:1.27
      imagePullPolicy: IfNotPresent
      name: nginx
      ports:
      - containerPort: 80
        name: http
        protocol: TCP
      resources:
        limits:
          cpu: 500m
          memory: 128Mi
        requests:
          cpu: 250m
          memory: 64Mi
      terminationMessagePath: /dev/termination-log
      terminationMessagePolicy: File
      volumeMounts:
      - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
        name: kube-api-access
        readOnly: true
    dnsPolicy: ClusterFirst
    enableServiceLinks: true
    nodeName: worker-{node}
    preemptionPolicy: PreemptLowerPriority
    priority: 0
    restartPolicy: Always
    schedulerName: default-scheduler
    securityContext: {{}}
    serviceAccountName: default
    terminationGracePeriodSeconds: 30
    tolerations:
    - effect: NoExecute
      key: node.kubernetes.io/not-ready
      operator: Exists
      tolerationSeconds: 300
    volumes:
    - name: kube-api-access
      projected:
        defaultMode: 420
        sources:
        - serviceAccountToken:
            expirationSeconds: 3607
            path: token
  status:
    phase: Running
    podIP: 10.244.{a}.{b}
    podIPs:
    - ip: 10.244.{a}.{b}
    qosClass: Burstable
    startTime: "2026-01-01T10:00:00Z"
"#,
                node = i % 3,
                a = i / 250,
                b = i % 250
            )),
            1 => s.push_str(&format!(
                r#"- apiVersion: v1
  kind: Service
  metadata:
    name: svc-{i}
    namespace: {ns}
  spec:
    clusterIP: 10.96.{a}.{b}
    ports:
    - name: http
      port: 80
      protocol: TCP
      targetPort: http
    selector:
      app: web-{i}
    type: ClusterIP
  status:
    loadBalancer: {{}}
"#,
                a = i / 250,
                b = i % 250
            )),
            _ => s.push_str(&format!(
                r#"- apiVersion: apps/v1
  kind: Deployment
  metadata:
    annotations:
      deployment.kubernetes.io/revision: "1"
    name: dep-{i}
    namespace: {ns}
  spec:
    progressDeadlineSeconds: 600
    replicas: 2
    revisionHistoryLimit: 10
    selector:
      matchLabels:
        app: dep-{i}
    strategy:
      rollingUpdate:
        maxSurge: 25%
        maxUnavailable: 25%
      type: RollingUpdate
    template:
      metadata:
        labels:
          app: dep-{i}
      spec:
        containers:
        - image: registry.example.com/app:1.0
          name: app
          env:
          - name: MODE
            value: "prod"
        restartPolicy: Always
  status:
    availableReplicas: 2
    replicas: 2
"#
            )),
        }
    }
    s
}

/// The same objects as `dump`, one YAML document each (`kubectl get -o
/// yaml` per object, joined with `---`).
fn multi_document(list: &str) -> String {
    let mut s = String::new();
    for line in list.lines().skip_while(|l| !l.starts_with("- ")) {
        if let Some(first) = line.strip_prefix("- ") {
            s.push_str("---\n");
            s.push_str(first);
        } else {
            s.push_str(line.strip_prefix("  ").expect("item lines are indented"));
        }
        s.push('\n');
    }
    s
}

fn load(c: &mut Criterion) {
    let text = dump(1000);
    let list = vec![Input::new("dump.yaml", text.clone().into_bytes())];
    let docs = vec![Input::new("dump.yaml", multi_document(&text).into_bytes())];
    for input in [&list, &docs] {
        let v = kubedojo::validate::validate_inputs(input).expect("readable");
        assert!(
            v.problems.is_empty(),
            "dump must be valid: {:?}",
            v.problems.first()
        );
        assert_eq!(v.objects.len(), 1000);
    }
    let mut g = c.benchmark_group("core");
    g.sample_size(20);
    for (name, input) in [
        ("load+validate 1000-object dump", &list),
        ("load+validate 1000-object multi-document dump", &docs),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let v = kubedojo::validate::validate_inputs(black_box(input)).expect("readable");
                black_box(v.model().len())
            })
        });
    }
    // Where the time goes: reading the YAML alone.
    g.bench_function("parse 1000-object multi-document dump", |b| {
        let limits = kubedojo::model::yaml::Limits::default();
        b.iter(|| {
            let l = kubedojo::model::load::parse_input(black_box(&docs[0]), &limits).expect("ok");
            black_box(l.objects.len())
        })
    });
    g.finish();
}

fn grade(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/content");
    let content = Content::new(ContentSource::Dir(dir.clone())).expect("test content");
    let ex = content.exercise("ns-exists").expect("exercise");
    let sol =
        std::fs::read(dir.join("exercises/basics/ns-exists/solution.yaml")).expect("solution");
    let inputs = vec![Input::new("ns.yaml", sol)];
    c.bench_function("grade ns-exists (validate + model + checks)", |b| {
        b.iter(
            || match grade_inputs(&content, &ex, black_box(&inputs), Lang::En) {
                Ok(Graded::Report(r)) => black_box(r.score),
                _ => panic!("solution must grade"),
            },
        )
    });
}

/// A typical exercise is one of the shipped ones: the learner's answer files
/// plus the exercise's setup objects, validated, modelled and graded.
fn grade_shipped(c: &mut Criterion) {
    let content = Content::embedded();
    let mut g = c.benchmark_group("grade shipped exercise");
    for id in [
        "netpol-db-from-api",
        "rbac-auditors-view",
        "taint-tolerate-gpu",
        "quota-limitrange-defaults",
        "client-cert-identity",
        "restricted-pod",
    ] {
        let ex = content.exercise(id).expect("shipped exercise");
        let inputs: Vec<Input> = ex
            .solution
            .iter()
            .map(|f| {
                let (_, bytes) = content.exercise_file(&ex, f).expect("solution file");
                let base = f.rsplit('/').next().unwrap_or(f);
                Input::new(base.to_string(), bytes)
            })
            .collect();
        match grade_inputs(&content, &ex, &inputs, Lang::En) {
            Ok(Graded::Report(r)) => assert!(r.passed, "{id}: solution must pass"),
            _ => panic!("{id}: solution must grade"),
        }
        g.bench_function(id, |b| {
            b.iter(
                || match grade_inputs(&content, &ex, black_box(&inputs), Lang::En) {
                    Ok(Graded::Report(r)) => black_box(r.score),
                    _ => panic!("solution must grade"),
                },
            )
        });
    }
    g.finish();
}

criterion_group!(benches, load, grade, grade_shipped);
criterion_main!(benches);
