//! The admission chain as data: the built-in plugins in the fixed order
//! the API server runs them, which are on by default, and which phase each
//! takes part in. Every mutating plugin runs (in this order) before any
//! validating one, so validators see the final object.
//!
//! upstream: pkg/kubeapiserver/options/plugins.go `AllOrderedPlugins`,
//! `DefaultOffAdmissionPlugins`; staging/src/k8s.io/apiserver/pkg/
//! admission/chain.go (`Admit` over mutating plugins, then `Validate`).

/// What a plugin does in the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Mutating,
    Validating,
    /// Both: it mutates in the first phase and validates in the second.
    Both,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plugin {
    pub name: &'static str,
    pub phase: Phase,
    pub default_on: bool,
}

const fn p(name: &'static str, phase: Phase, default_on: bool) -> Plugin {
    Plugin {
        name,
        phase,
        default_on,
    }
}

use Phase::{Both, Mutating, Validating};

/// The built-in plugins of kube-apiserver, in execution order.
pub const PLUGINS: &[Plugin] = &[
    p("AlwaysAdmit", Validating, false),
    p("NamespaceAutoProvision", Mutating, false),
    p("NamespaceLifecycle", Validating, true),
    p("NamespaceExists", Validating, false),
    p("LimitPodHardAntiAffinityTopology", Validating, false),
    p("LimitRanger", Both, true),
    p("ServiceAccount", Both, true),
    p("NodeRestriction", Validating, false),
    p("TaintNodesByCondition", Mutating, true),
    p("AlwaysPullImages", Both, false),
    p("ImagePolicyWebhook", Validating, false),
    p("PodSecurity", Validating, true),
    p("PodNodeSelector", Both, false),
    p("Priority", Both, true),
    p("DefaultTolerationSeconds", Mutating, true),
    p("PodTolerationRestriction", Both, false),
    p("EventRateLimit", Validating, false),
    p("ExtendedResourceToleration", Mutating, false),
    p("DefaultStorageClass", Mutating, true),
    p("StorageObjectInUseProtection", Mutating, true),
    p("OwnerReferencesPermissionEnforcement", Validating, false),
    p("PersistentVolumeClaimResize", Validating, true),
    p("RuntimeClass", Both, true),
    p("CertificateApproval", Validating, true),
    p("CertificateSigning", Validating, true),
    p("ClusterTrustBundleAttest", Validating, true),
    p("CertificateSubjectRestriction", Validating, true),
    p("DefaultIngressClass", Mutating, true),
    p("DenyServiceExternalIPs", Validating, false),
    p("PodTopologyLabels", Mutating, true),
    p("MutatingAdmissionPolicy", Mutating, true),
    p("MutatingAdmissionWebhook", Mutating, true),
    p("ValidatingAdmissionPolicy", Validating, true),
    p("ValidatingAdmissionWebhook", Validating, true),
    p("ResourceQuota", Validating, true),
    p("AlwaysDeny", Validating, false),
];

pub fn plugin(name: &str) -> Option<&'static Plugin> {
    PLUGINS.iter().find(|p| p.name == name)
}

/// The order in which the enabled plugins run: first every plugin that
/// mutates, in the fixed order, then every plugin that validates. The
/// order of `--enable-admission-plugins` plays no part.
pub fn run_order(enabled: &[&str]) -> Vec<(&'static str, Phase)> {
    let on = |p: &&Plugin| enabled.contains(&p.name);
    let mutating = PLUGINS
        .iter()
        .filter(on)
        .filter(|p| p.phase != Validating)
        .map(|p| (p.name, Mutating));
    let validating = PLUGINS
        .iter()
        .filter(on)
        .filter(|p| p.phase != Mutating)
        .map(|p| (p.name, Validating));
    mutating.chain(validating).collect()
}

/// The plugins a kube-apiserver runs with `--enable-admission-plugins`
/// and `--disable-admission-plugins` (upstream:
/// staging/src/k8s.io/apiserver/pkg/server/options/admission.go
/// `enabledPluginNames`: an enabled plugin is never disabled).
pub fn enabled(enable: &[&str], disable: &[&str]) -> Vec<&'static str> {
    PLUGINS
        .iter()
        .filter(|p| enable.contains(&p.name) || (p.default_on && !disable.contains(&p.name)))
        .map(|p| p.name)
        .collect()
}
