//! Real manifests must never be rejected: every file in
//! tests/data/corpus/ (kubectl's own output, and the shapes of the
//! kubernetes.io examples) validates with zero problems.

// Test helpers may panic on broken fixtures: that is a test failure.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_manifest_is_valid() {
    let files = corpus();
    assert!(files.len() >= 55, "the corpus is complete");
    let mut failures = Vec::new();
    let mut objects = 0;
    for f in &files {
        let v = kubedojo::validate::validate_files(&[f]).expect("file reads");
        objects += v.objects.len();
        assert!(!v.objects.is_empty(), "{}: holds objects", f.display());
        for p in &v.problems {
            failures.push(format!("{p}"));
        }
    }
    assert!(objects >= 150, "only {objects} objects in the corpus");
    assert!(
        failures.is_empty(),
        "false alarms:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_whole_corpus_validates_together() {
    // All files at once: what `validate -f a -f b ...` does, with custom
    // resources resolved against CRDs from other files.
    let v = kubedojo::validate::validate_files(&corpus()).expect("files read");
    assert!(v.is_valid(), "{:?}", v.problems);
}

#[test]
fn the_corpus_covers_the_curriculum_kinds() {
    let v = kubedojo::validate::validate_files(&corpus()).expect("files read");
    let kinds: std::collections::BTreeSet<&str> =
        v.objects.iter().map(|o| o.kind.as_str()).collect();
    for k in [
        "Pod",
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "ReplicationController",
        "PodTemplate",
        "Service",
        "ConfigMap",
        "Secret",
        "Namespace",
        "ServiceAccount",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "NetworkPolicy",
        "ResourceQuota",
        "LimitRange",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "StorageClass",
        "PriorityClass",
        "Ingress",
        "IngressClass",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "CertificateSigningRequest",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "CustomResourceDefinition",
        "CronTab",
        "RuntimeClass",
        "Node",
    ] {
        assert!(kinds.contains(k), "no {k} in the corpus");
    }
}
