//! The API server's object validation (pkg/apis/*/validation), per kind,
//! for the kinds the curriculum uses. Each kind's rules live in their own
//! module; this file dispatches and adds the rules every object shares.

mod admission;
mod certificates;
pub mod core;
mod gofmt;
mod networkpolicy;
pub mod pod;
pub mod quota;
mod rbac;
pub mod scheduling;
pub mod workloads;

use super::field::{FieldError, validate_object_meta};
use crate::model::Typed;
use crate::model::kinds::KindInfo;

/// Every object-validation error for a new object of this kind.
pub fn validate(typed: &Typed, info: &KindInfo) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(meta) = typed.metadata() {
        errs.extend(validate_object_meta(meta, info.kind, info.namespaced));
    }
    // One arm per kind with its own rules (pkg/apis/<group>/validation).
    match typed {
        Typed::NetworkPolicy(np) => errs.extend(networkpolicy::validate(np)),
        Typed::Role(r) => errs.extend(rbac::validate_role(r)),
        Typed::ClusterRole(r) => errs.extend(rbac::validate_cluster_role(r)),
        Typed::RoleBinding(r) => errs.extend(rbac::validate_role_binding(r)),
        Typed::ClusterRoleBinding(r) => errs.extend(rbac::validate_cluster_role_binding(r)),
        Typed::Pod(p) => errs.extend(pod::validate_pod(p)),
        Typed::PodTemplate(t) => errs.extend(workloads::validate_pod_template(t)),
        Typed::ReplicationController(rc) => {
            errs.extend(workloads::validate_replication_controller(rc))
        }
        Typed::Deployment(d) => errs.extend(workloads::validate_deployment(d)),
        Typed::ReplicaSet(rs) => errs.extend(workloads::validate_replica_set(rs)),
        Typed::StatefulSet(ss) => errs.extend(workloads::validate_stateful_set(ss)),
        Typed::DaemonSet(ds) => errs.extend(workloads::validate_daemon_set(ds)),
        Typed::Job(j) => errs.extend(workloads::validate_job(j)),
        Typed::CronJob(cj) => errs.extend(workloads::validate_cron_job(cj)),
        Typed::Service(s) => errs.extend(core::validate_service(s)),
        Typed::ConfigMap(cm) => errs.extend(core::validate_config_map(cm)),
        Typed::Secret(s) => errs.extend(core::validate_secret(s)),
        Typed::Namespace(ns) => errs.extend(core::validate_namespace(ns)),
        Typed::PriorityClass(pc) => errs.extend(core::validate_priority_class(pc)),
        Typed::PersistentVolumeClaim(pvc) => errs.extend(core::validate_pvc(pvc)),
        // ServiceAccount: metadata only, as upstream.
        Typed::CertificateSigningRequest(c) => errs.extend(certificates::validate_csr(c)),
        Typed::Node(n) => errs.extend(scheduling::validate_node(n)),
        Typed::ResourceQuota(q) => errs.extend(quota::validate_resource_quota(q)),
        Typed::LimitRange(l) => errs.extend(quota::validate_limit_range(l)),
        Typed::ValidatingAdmissionPolicy(p) => errs.extend(admission::validate_policy(p)),
        Typed::ValidatingAdmissionPolicyBinding(b) => errs.extend(admission::validate_binding(b)),
        Typed::ValidatingWebhookConfiguration(c) => {
            errs.extend(admission::validate_validating_webhooks(c))
        }
        Typed::MutatingWebhookConfiguration(c) => {
            errs.extend(admission::validate_mutating_webhooks(c))
        }
        _ => {}
    }
    // Tolerations of a Pod and of every workload's pod template.
    errs.extend(scheduling::validate_object_tolerations(typed));
    errs
}

/// A teaching hint for an error, where we have one.
pub fn hint_for(e: &FieldError) -> Option<String> {
    if let Some(h) = rbac::hint(e) {
        return Some(h);
    }
    let path = e.path.to_string();
    if path == "metadata.name" && e.kind == super::field::ErrorType::Invalid {
        return Some(
            "names use lower-case letters, digits and '-' (and '.' for most kinds)".into(),
        );
    }
    None
}
