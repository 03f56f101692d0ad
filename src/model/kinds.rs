//! Which kinds a Kubernetes 1.36 API server serves, with the names kubectl
//! resolves (plural, singular, short names) and each kind's schema.
//!
//! The list comes from k8s-openapi's `v1_36` types, so group, version,
//! plural and scope are upstream's own constants.

use k8s_openapi::api::{
    admissionregistration::{v1 as admreg, v1alpha1 as admreg_a1, v1beta1 as admreg_b1},
    apps::v1 as apps,
    autoscaling::{v1 as as1, v2 as as2},
    batch::v1 as batch,
    certificates::{v1 as cert, v1alpha1 as cert_a1, v1beta1 as cert_b1},
    coordination::{v1 as coord, v1alpha2 as coord_a2, v1beta1 as coord_b1},
    core::v1 as core,
    discovery::v1 as disc,
    events::v1 as events,
    flowcontrol::v1 as flow,
    networking::{v1 as net, v1beta1 as net_b1},
    node::v1 as node,
    policy::v1 as policy,
    rbac::v1 as rbac,
    resource::{v1 as res, v1alpha3 as res_a3, v1beta1 as res_b1, v1beta2 as res_b2},
    scheduling::{v1 as sched, v1alpha2 as sched_a2},
    storage::{v1 as storage, v1beta1 as storage_b1},
    storagemigration::v1beta1 as migration_b1,
};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1 as apiext;
use k8s_openapi::kube_aggregator::pkg::apis::apiregistration::v1 as apireg;
use k8s_openapi::schemars::{Schema, SchemaGenerator};
use k8s_openapi::{ClusterResourceScope, NamespaceResourceScope, Resource};

/// Whether a default 1.36 API server (as kind starts it) serves a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Served {
    Yes,
    /// Beta and alpha APIs added since 1.24 are off unless the cluster
    /// enables them with `--runtime-config` (KEP-3136).
    OnlyIfEnabled,
}

pub struct KindInfo {
    pub group: &'static str,
    pub version: &'static str,
    pub api_version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub served: Served,
    pub schema: fn(&mut SchemaGenerator) -> Schema,
}

impl std::fmt::Debug for KindInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.api_version, self.kind)
    }
}

impl KindInfo {
    pub fn singular(&self) -> String {
        self.kind.to_ascii_lowercase()
    }
}

trait Scope {
    const NAMESPACED: bool;
}
impl Scope for NamespaceResourceScope {
    const NAMESPACED: bool = true;
}
impl Scope for ClusterResourceScope {
    const NAMESPACED: bool = false;
}

fn schema_of<T: k8s_openapi::schemars::JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

macro_rules! kinds {
    ($($ty:ty => [$($short:literal),*];)*) => {
        pub static KINDS: &[KindInfo] = &[$(
            KindInfo {
                group: <$ty as Resource>::GROUP,
                version: <$ty as Resource>::VERSION,
                api_version: <$ty as Resource>::API_VERSION,
                kind: <$ty as Resource>::KIND,
                plural: <$ty as Resource>::URL_PATH_SEGMENT,
                namespaced: <<$ty as Resource>::Scope as Scope>::NAMESPACED,
                short_names: &[$($short),*],
                served: if is_ga(<$ty as Resource>::VERSION) { Served::Yes } else { Served::OnlyIfEnabled },
                schema: schema_of::<$ty>,
            },
        )*];
    };
}

const fn is_ga(version: &str) -> bool {
    // "v1", "v2": no "alpha"/"beta" suffix means the version is GA.
    let b = version.as_bytes();
    let mut i = 1;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            return false;
        }
        i += 1;
    }
    true
}

kinds! {
    core::Binding => [];
    core::ComponentStatus => ["cs"];
    core::ConfigMap => ["cm"];
    core::Endpoints => ["ep"];
    core::Event => ["ev"];
    core::LimitRange => ["limits"];
    core::Namespace => ["ns"];
    core::Node => ["no"];
    core::PersistentVolumeClaim => ["pvc"];
    core::PersistentVolume => ["pv"];
    core::Pod => ["po"];
    core::PodTemplate => [];
    core::ReplicationController => ["rc"];
    core::ResourceQuota => ["quota"];
    core::Secret => [];
    core::ServiceAccount => ["sa"];
    core::Service => ["svc"];
    admreg::MutatingWebhookConfiguration => [];
    admreg::ValidatingWebhookConfiguration => [];
    admreg::ValidatingAdmissionPolicy => [];
    admreg::ValidatingAdmissionPolicyBinding => [];
    admreg::MutatingAdmissionPolicy => [];
    admreg::MutatingAdmissionPolicyBinding => [];
    admreg_b1::MutatingAdmissionPolicy => [];
    admreg_b1::MutatingAdmissionPolicyBinding => [];
    admreg_a1::MutatingAdmissionPolicy => [];
    admreg_a1::MutatingAdmissionPolicyBinding => [];
    apiext::CustomResourceDefinition => ["crd", "crds"];
    apireg::APIService => [];
    apps::ControllerRevision => [];
    apps::DaemonSet => ["ds"];
    apps::Deployment => ["deploy"];
    apps::ReplicaSet => ["rs"];
    apps::StatefulSet => ["sts"];
    k8s_openapi::api::authentication::v1::SelfSubjectReview => [];
    k8s_openapi::api::authentication::v1::TokenReview => [];
    k8s_openapi::api::authorization::v1::LocalSubjectAccessReview => [];
    k8s_openapi::api::authorization::v1::SelfSubjectAccessReview => [];
    k8s_openapi::api::authorization::v1::SelfSubjectRulesReview => [];
    k8s_openapi::api::authorization::v1::SubjectAccessReview => [];
    as2::HorizontalPodAutoscaler => ["hpa"];
    as1::HorizontalPodAutoscaler => ["hpa"];
    batch::CronJob => ["cj"];
    batch::Job => [];
    cert::CertificateSigningRequest => ["csr"];
    cert_b1::ClusterTrustBundle => [];
    cert_a1::ClusterTrustBundle => [];
    cert_b1::PodCertificateRequest => [];
    coord::Lease => [];
    coord_b1::LeaseCandidate => [];
    coord_a2::LeaseCandidate => [];
    disc::EndpointSlice => [];
    events::Event => ["ev"];
    flow::FlowSchema => [];
    flow::PriorityLevelConfiguration => [];
    net::Ingress => ["ing"];
    net::IngressClass => [];
    net::NetworkPolicy => ["netpol"];
    net::IPAddress => ["ip"];
    net::ServiceCIDR => [];
    net_b1::IPAddress => ["ip"];
    net_b1::ServiceCIDR => [];
    node::RuntimeClass => [];
    policy::PodDisruptionBudget => ["pdb"];
    rbac::ClusterRoleBinding => [];
    rbac::ClusterRole => [];
    rbac::RoleBinding => [];
    rbac::Role => [];
    res::DeviceClass => [];
    res::ResourceClaim => [];
    res::ResourceClaimTemplate => [];
    res::ResourceSlice => [];
    res_b2::DeviceClass => [];
    res_b2::DeviceTaintRule => [];
    res_b2::ResourceClaim => [];
    res_b2::ResourceClaimTemplate => [];
    res_b2::ResourceSlice => [];
    res_b1::DeviceClass => [];
    res_b1::ResourceClaim => [];
    res_b1::ResourceClaimTemplate => [];
    res_b1::ResourceSlice => [];
    res_a3::DeviceTaintRule => [];
    sched::PriorityClass => ["pc"];
    sched_a2::PodGroup => [];
    sched_a2::Workload => [];
    storage::CSIDriver => [];
    storage::CSINode => [];
    storage::CSIStorageCapacity => [];
    storage::StorageClass => ["sc"];
    storage::VolumeAttachment => [];
    storage::VolumeAttributesClass => ["vac"];
    storage_b1::VolumeAttributesClass => ["vac"];
    migration_b1::StorageVersionMigration => [];
}

/// Look up an exact apiVersion/kind pair.
pub fn find(api_version: &str, kind: &str) -> Option<&'static KindInfo> {
    KINDS
        .iter()
        .find(|k| k.api_version == api_version && k.kind == kind)
}

/// Every served version of a kind, GA first.
pub fn versions_of(kind: &str) -> impl Iterator<Item = &'static KindInfo> + '_ {
    KINDS.iter().filter(move |k| k.kind == kind)
}

/// The preferred (first GA) version of a group's kind.
pub fn preferred(group: &str, kind: &str) -> Option<&'static KindInfo> {
    KINDS
        .iter()
        .find(|k| k.group == group && k.kind == kind && k.served == Served::Yes)
}

/// apiVersion/kind pairs that older Kubernetes served and 1.36 does not,
/// with the release that removed them (the deprecated API migration guide,
/// kubernetes.io/docs/reference/using-api/deprecation-guide/).
pub fn removed_in(api_version: &str, kind: &str) -> Option<&'static str> {
    let table: &[(&str, &[&str], &str)] = &[
        (
            "extensions/v1beta1",
            &[
                "Deployment",
                "DaemonSet",
                "ReplicaSet",
                "NetworkPolicy",
                "PodSecurityPolicy",
            ],
            "1.16",
        ),
        (
            "apps/v1beta1",
            &["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"],
            "1.16",
        ),
        (
            "apps/v1beta2",
            &["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"],
            "1.16",
        ),
        ("extensions/v1beta1", &["Ingress"], "1.22"),
        (
            "networking.k8s.io/v1beta1",
            &["Ingress", "IngressClass"],
            "1.22",
        ),
        (
            "rbac.authorization.k8s.io/v1beta1",
            &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
            "1.22",
        ),
        (
            "rbac.authorization.k8s.io/v1alpha1",
            &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
            "1.22",
        ),
        (
            "apiextensions.k8s.io/v1beta1",
            &["CustomResourceDefinition"],
            "1.22",
        ),
        (
            "certificates.k8s.io/v1beta1",
            &["CertificateSigningRequest"],
            "1.22",
        ),
        ("coordination.k8s.io/v1beta1", &["Lease"], "1.22"),
        (
            "admissionregistration.k8s.io/v1beta1",
            &[
                "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration",
            ],
            "1.22",
        ),
        ("scheduling.k8s.io/v1beta1", &["PriorityClass"], "1.22"),
        ("batch/v1beta1", &["CronJob"], "1.25"),
        ("discovery.k8s.io/v1beta1", &["EndpointSlice"], "1.25"),
        ("events.k8s.io/v1beta1", &["Event"], "1.25"),
        (
            "policy/v1beta1",
            &["PodDisruptionBudget", "PodSecurityPolicy"],
            "1.25",
        ),
        ("node.k8s.io/v1beta1", &["RuntimeClass"], "1.25"),
        ("autoscaling/v2beta1", &["HorizontalPodAutoscaler"], "1.25"),
        ("autoscaling/v2beta2", &["HorizontalPodAutoscaler"], "1.26"),
        ("storage.k8s.io/v1beta1", &["CSIStorageCapacity"], "1.27"),
    ];
    table
        .iter()
        .find(|(v, kinds, _)| *v == api_version && kinds.contains(&kind))
        .map(|(_, _, r)| *r)
}

pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_has_upstream_names_and_scopes() {
        let np = find("networking.k8s.io/v1", "NetworkPolicy").unwrap();
        assert_eq!(np.plural, "networkpolicies");
        assert!(np.namespaced);
        assert_eq!(np.short_names, ["netpol"]);
        let cr = find("rbac.authorization.k8s.io/v1", "ClusterRole").unwrap();
        assert!(!cr.namespaced);
        assert_eq!(find("v1", "Pod").unwrap().group, "");
        assert_eq!(find("v1", "Pod").unwrap().served, Served::Yes);
        assert_eq!(
            find("resource.k8s.io/v1beta1", "DeviceClass")
                .unwrap()
                .served,
            Served::OnlyIfEnabled
        );
        assert!(find("extensions/v1beta1", "Deployment").is_none());
        assert_eq!(removed_in("extensions/v1beta1", "Deployment"), Some("1.16"));
        assert_eq!(
            preferred("apps", "Deployment").unwrap().api_version,
            "apps/v1"
        );
    }

    #[test]
    fn no_duplicate_entries() {
        let mut seen = std::collections::HashSet::new();
        for k in KINDS {
            assert!(seen.insert((k.api_version, k.kind)), "{k:?} twice");
        }
    }
}
