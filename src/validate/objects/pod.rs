//! Pod specs as the API server validates them on create
//! (pkg/apis/core/validation/validation.go: `ValidatePodCreate`,
//! `ValidatePodSpec`, `ValidatePodTemplateSpec` and the functions they
//! call), for Pods and for every workload's pod template.
//!
//! Objects arrive as written, before the API server's defaulting, so every
//! field the server defaults (restartPolicy, dnsPolicy, protocol, probe
//! thresholds, imagePullPolicy, a volume with no source ...) counts as its
//! default here. Tolerations are validated elsewhere.
//!
//! This module holds the pod and pod-spec level rules; each part of a spec
//! has its own submodule (volumes, containers, env, probes, resources,
//! security, scheduling).

use super::core::{is_config_map_key, validate_pvc_spec};
use super::gofmt;
use crate::engines::quantity::Quantity;
use crate::model::FieldPath;
use crate::validate::field::{
    FieldError, is_dns1123_label, is_dns1123_subdomain, is_label_key, is_label_value,
    is_relaxed_env_var_name, is_valid_port_name, is_valid_port_num, validate_annotations,
    validate_labels,
};
use crate::validate::selector::{SelectorOptions, validate_label_name, validate_label_selector};
use k8s_openapi::api::core::v1 as api;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::{BTreeMap, HashMap, HashSet};

mod containers;
mod env;
mod probes;
mod resources;
mod scheduling;
mod security;
mod volumes;

use containers::*;
use env::*;
pub(crate) use probes::port_num_or_name;
use probes::*;
use resources::*;
use scheduling::*;
use security::*;
use volumes::*;

/// `PodValidationOptions` fields that change what is checked.
#[derive(Clone, Copy, Debug, Default)]
pub struct PodOpts {
    /// The object is a Pod, not a template inside another object.
    pub resource_is_pod: bool,
}

const DEFAULT_GRACE_PERIOD: i64 = 30;
const FILE_MODE_MSG: &str = "must be a number between 0 and 0777 (octal), both inclusive";
const NEGATIVE_MSG: &str = "must be greater than or equal to 0";
const NOT_POSITIVE_MSG: &str = "must be greater than zero";

fn root() -> FieldPath {
    FieldPath::root()
}

/// A defaulted string field: absent and `""` both mean "the default".
fn set(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

fn in_range_msg(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

fn nonneg(v: i64, path: &FieldPath) -> Option<FieldError> {
    (v < 0).then(|| FieldError::invalid(path, v, NEGATIVE_MSG))
}

fn dns_label(v: &str, path: &FieldPath) -> Vec<FieldError> {
    is_dns1123_label(v)
        .into_iter()
        .map(|m| FieldError::invalid(path, v, m))
        .collect()
}

fn dns_subdomain(v: &str, path: &FieldPath) -> Vec<FieldError> {
    is_dns1123_subdomain(v)
        .into_iter()
        .map(|m| FieldError::invalid(path, v, m))
        .collect()
}

/// `NameIsDNSSubdomain(name, prefix)`: with a prefix, one trailing '-'
/// is allowed.
pub(crate) fn subdomain_name_msgs(name: &str, prefix: bool) -> Vec<String> {
    let masked;
    let name = if prefix && name.len() > 1 && name.ends_with('-') {
        masked = format!("{}a", &name[..name.len() - 1]);
        masked.as_str()
    } else {
        name
    };
    is_dns1123_subdomain(name)
}

fn qualified_name(v: &str, path: &FieldPath) -> Vec<FieldError> {
    is_label_key(v)
        .into_iter()
        .map(|m| FieldError::invalid(path, v, m))
        .collect()
}

/// Move each error's line pointer from one prefix to another: upstream
/// reports template labels at `template.labels`, written under
/// `template.metadata.labels`.
fn repoint(mut errs: Vec<FieldError>, from: &FieldPath, to: &FieldPath) -> Vec<FieldError> {
    for e in &mut errs {
        let at = e.at.clone().unwrap_or_else(|| e.path.clone());
        if at.0.starts_with(&from.0) {
            let mut p = to.clone();
            p.0.extend(at.0[from.0.len()..].iter().cloned());
            e.at = Some(p);
        }
    }
    errs
}

/// `IsValidIP` (with `ParseIPSloppy`, which allows leading zeros in IPv4).
pub(crate) fn is_ip_sloppy(s: &str) -> bool {
    if s.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty() && p.len() <= 3 && p.bytes().all(|c| c.is_ascii_digit()) && {
                p.parse::<u16>().is_ok_and(|n| n <= 255)
            }
        })
}

pub(crate) fn validate_ip(v: &str, path: &FieldPath) -> Vec<FieldError> {
    if is_ip_sloppy(v) {
        Vec::new()
    } else {
        vec![FieldError::invalid(
            path,
            v,
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        )]
    }
}

// ---------------------------------------------------------------- pods ---

/// `ValidatePodCreate`, minus the ObjectMeta checks every kind gets.
pub fn validate_pod(pod: &api::Pod) -> Vec<FieldError> {
    let default = api::PodSpec::default();
    let spec = pod.spec.as_ref().unwrap_or(&default);
    let spec_path = root().field("spec");
    let mut errs = pod_annotations(
        pod.metadata.annotations.as_ref(),
        spec,
        &root().field("metadata").field("annotations"),
    );
    let opts = PodOpts {
        resource_is_pod: true,
    };
    errs.extend(validate_pod_spec(
        spec,
        pod.metadata.name.as_deref(),
        &spec_path,
        opts,
    ));
    // Pod-only checks (not for templates, for backwards compatibility).
    for (list, name) in [
        (Some(&spec.containers), "containers"),
        (spec.init_containers.as_ref(), "initContainers"),
    ] {
        for (i, c) in list.into_iter().flatten().enumerate() {
            let image = c.image.as_deref().unwrap_or_default();
            if image.len() != image.trim().len() {
                errs.push(FieldError::invalid(
                    &spec_path.field(name).index(i).field("image"),
                    image,
                    "must not have leading or trailing whitespace",
                ));
            }
        }
    }
    if spec
        .ephemeral_containers
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        errs.push(FieldError::forbidden(
            &spec_path.field("ephemeralContainers"),
            "cannot be set on create",
        ));
    }
    if set(&spec.node_name).is_some()
        && spec
            .scheduling_gates
            .as_ref()
            .is_some_and(|g| !g.is_empty())
    {
        errs.push(FieldError::forbidden(
            &spec_path.field("nodeName"),
            "cannot be set until all schedulingGates have been cleared",
        ));
    }
    errs
}

/// `ValidatePodSpecificAnnotations` (deletion cost, AppArmor and seccomp
/// annotations).
fn pod_annotations(
    annotations: Option<&BTreeMap<String, String>>,
    spec: &api::PodSpec,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(a) = annotations else {
        return errs;
    };
    if let Some(v) = a.get("controller.kubernetes.io/pod-deletion-cost") {
        let b = v.as_bytes();
        let first_ok = match b.first() {
            Some(b'-') => true,
            Some(b'0') => v == "0",
            Some(c) => c.is_ascii_digit(),
            None => false,
        };
        if !first_ok || v.parse::<i32>().is_err() {
            errs.push(FieldError::invalid(
                &path.key("controller.kubernetes.io/pod-deletion-cost"),
                v.as_str(),
                "must be a 32bit integer",
            ));
        }
    }
    if let Some(p) = a.get("seccomp.security.alpha.kubernetes.io/pod") {
        errs.extend(seccomp_annotation(
            p,
            &path.field("seccomp.security.alpha.kubernetes.io/pod"),
        ));
    }
    for (k, p) in a {
        if k.starts_with("container.seccomp.security.alpha.kubernetes.io/") {
            errs.extend(seccomp_annotation(p, &path.field(k)));
        }
        if let Some(name) = k.strip_prefix("container.apparmor.security.beta.kubernetes.io/") {
            let has = spec
                .containers
                .iter()
                .chain(spec.init_containers.iter().flatten())
                .any(|c| c.name == name)
                || spec
                    .ephemeral_containers
                    .iter()
                    .flatten()
                    .any(|c| c.name == name);
            if !has {
                errs.push(FieldError::invalid(
                    &path.key(k),
                    name,
                    "container not found",
                ));
            }
            if !(p.is_empty()
                || p == "runtime/default"
                || p == "unconfined"
                || p.starts_with("localhost/"))
            {
                errs.push(FieldError::invalid(
                    &path.key(k),
                    p.as_str(),
                    format!(
                        "invalid AppArmor profile name: {}",
                        crate::validate::field::go_quote(p)
                    ),
                ));
            }
        }
    }
    errs
}

fn seccomp_annotation(p: &str, path: &FieldPath) -> Vec<FieldError> {
    if matches!(p, "runtime/default" | "docker/default" | "unconfined") {
        return Vec::new();
    }
    if let Some(rest) = p.strip_prefix("localhost/") {
        return local_descending_path(rest, path);
    }
    vec![FieldError::invalid(
        path,
        p,
        "must be a valid seccomp profile",
    )]
}

/// `ValidatePodTemplateSpec`: a workload's pod template at `path`
/// (`spec.template`).
pub fn validate_template(t: &api::PodTemplateSpec, path: &FieldPath) -> Vec<FieldError> {
    let meta = t.metadata.as_ref();
    let labels = meta.and_then(|m| m.labels.as_ref());
    let annotations = meta.and_then(|m| m.annotations.as_ref());
    let written = path.field("metadata");
    let mut errs = repoint(
        validate_labels(labels.into_iter().flatten(), &path.field("labels")),
        &path.field("labels"),
        &written.field("labels"),
    );
    errs.extend(repoint(
        validate_annotations(
            annotations.into_iter().flatten(),
            &path.field("annotations"),
        ),
        &path.field("annotations"),
        &written.field("annotations"),
    ));
    let default = api::PodSpec::default();
    let spec = t.spec.as_ref().unwrap_or(&default);
    errs.extend(repoint(
        pod_annotations(annotations, spec, &path.field("annotations")),
        &path.field("annotations"),
        &written.field("annotations"),
    ));
    let spec_path = path.field("spec");
    errs.extend(validate_pod_spec(
        spec,
        None,
        &spec_path,
        PodOpts::default(),
    ));
    if spec
        .ephemeral_containers
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        errs.push(FieldError::forbidden(
            &spec_path.field("ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
    errs
}

/// The restart policy after defaulting.
pub fn restart_policy(spec: Option<&api::PodSpec>) -> &str {
    spec.and_then(|s| set(&s.restart_policy))
        .unwrap_or("Always")
}

/// `ValidatePodSpec`.
pub fn validate_pod_spec(
    spec: &api::PodSpec,
    pod_name: Option<&str>,
    path: &FieldPath,
    opts: PodOpts,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let grace = spec
        .termination_grace_period_seconds
        .unwrap_or(DEFAULT_GRACE_PERIOD);
    let sc = spec.security_context.as_ref();
    let _ = sc;
    let host_users = spec.host_users.unwrap_or(true);
    let restart = restart_policy(Some(spec)).to_string();

    let (vols, verrs) = validate_volumes(spec.volumes.as_deref(), pod_name, &path.field("volumes"));
    errs.extend(verrs);
    let ctx = Ctx {
        vols: &vols,
        grace,
        restart: &restart,
        host_users,
    };
    errs.extend(validate_containers(
        &spec.containers,
        &ctx,
        &path.field("containers"),
    ));
    errs.extend(validate_init_containers(
        spec.init_containers.as_deref().unwrap_or_default(),
        &spec.containers,
        &ctx,
        &path.field("initContainers"),
    ));
    errs.extend(validate_ephemeral_containers(
        spec,
        &ctx,
        &path.field("ephemeralContainers"),
    ));
    if let Some(r) = &spec.resources {
        errs.extend(validate_pod_resources(r, spec, &path.field("resources")));
    }
    errs.extend(host_network_deps(spec, path, opts));
    errs.extend(enum_check(
        set(&spec.restart_policy),
        &path.field("restartPolicy"),
        &["Always", "OnFailure", "Never"],
    ));
    errs.extend(enum_check(
        set(&spec.dns_policy),
        &path.field("dnsPolicy"),
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    ));
    if let Some(ns) = &spec.node_selector {
        errs.extend(validate_labels(ns.iter(), &path.field("nodeSelector")));
    }
    errs.extend(pod_security_context(spec, &path.field("securityContext")));
    if let Some(a) = &spec.affinity {
        errs.extend(validate_affinity(a, &path.field("affinity")));
    }
    errs.extend(validate_dns_config(spec, &path.field("dnsConfig")));
    for (i, g) in spec.readiness_gates.iter().flatten().enumerate() {
        errs.extend(qualified_name(
            &g.condition_type,
            &path.field("readinessGates").index(i).field("conditionType"),
        ));
    }
    let mut gates = HashSet::new();
    for (i, g) in spec.scheduling_gates.iter().flatten().enumerate() {
        let p = path.field("schedulingGates").index(i);
        errs.extend(qualified_name(&g.name, &p));
        if !gates.insert(g.name.as_str()) {
            errs.push(FieldError::duplicate(&p, g.name.as_str()));
        }
    }
    errs.extend(topology_spread(
        spec.topology_spread_constraints
            .as_deref()
            .unwrap_or_default(),
        &path.field("topologySpreadConstraints"),
    ));
    errs.extend(host_users_deps(spec, path));
    if let Some(sa) = set(&spec.service_account_name) {
        for m in subdomain_name_msgs(sa, false) {
            errs.push(FieldError::invalid(
                &path.field("serviceAccountName"),
                sa,
                m,
            ));
        }
    }
    if let Some(n) = set(&spec.node_name) {
        for m in subdomain_name_msgs(n, false) {
            errs.push(FieldError::invalid(&path.field("nodeName"), n, m));
        }
    }
    if let Some(v) = spec.active_deadline_seconds
        && !(1..=i64::from(i32::MAX)).contains(&v)
    {
        errs.push(FieldError::invalid(
            &path.field("activeDeadlineSeconds"),
            v,
            in_range_msg(1, i32::MAX.into()),
        ));
    }
    if let Some(h) = set(&spec.hostname) {
        errs.extend(dns_label(h, &path.field("hostname")));
    }
    if let Some(s) = set(&spec.subdomain) {
        errs.extend(dns_label(s, &path.field("subdomain")));
    }
    for (i, h) in spec.host_aliases.iter().flatten().enumerate() {
        let p = path.field("hostAliases").index(i);
        errs.extend(validate_ip(&h.ip, &p.field("ip")));
        for (j, name) in h.hostnames.iter().flatten().enumerate() {
            errs.extend(dns_subdomain(name, &p.field("hostnames").index(j)));
        }
    }
    if let Some(pc) = set(&spec.priority_class_name) {
        for m in subdomain_name_msgs(pc, false) {
            errs.push(FieldError::invalid(&path.field("priorityClassName"), pc, m));
        }
    }
    if let Some(rc) = &spec.runtime_class_name {
        errs.extend(dns_subdomain(rc, &path.field("runtimeClassName")));
    }
    if let Some(pp) = &spec.preemption_policy {
        errs.extend(required_enum(
            pp,
            &path.field("preemptionPolicy"),
            &["PreemptLowerPriority", "Never"],
        ));
    }
    if let Some(os) = &spec.os {
        errs.extend(validate_os(os, spec, path));
    }
    errs
}

/// An enum the server defaults when unset: only a set, unknown value is
/// wrong.
fn enum_check(v: Option<&str>, path: &FieldPath, valid: &[&str]) -> Vec<FieldError> {
    match v {
        Some(v) if !valid.contains(&v) => vec![FieldError::not_supported(path, v, valid)],
        _ => Vec::new(),
    }
}

/// An enum with no default: empty is "Required".
fn required_enum(v: &str, path: &FieldPath, valid: &[&str]) -> Vec<FieldError> {
    if v.is_empty() {
        vec![FieldError::required(path, "")]
    } else {
        enum_check(Some(v), path, valid)
    }
}

fn validate_os(os: &api::PodOS, spec: &api::PodSpec, path: &FieldPath) -> Vec<FieldError> {
    let p = path.field("os");
    if os.name.is_empty() {
        return vec![FieldError::required(&p.field("name"), "cannot be empty")];
    }
    if os.name != "linux" && os.name != "windows" {
        return vec![FieldError::not_supported(
            &p,
            os.name.as_str(),
            &["linux", "windows"],
        )];
    }
    let mut errs = Vec::new();
    let forbid = |errs: &mut Vec<FieldError>, p: FieldPath, msg: &str| {
        errs.push(FieldError::forbidden(&p, msg));
    };
    if os.name == "linux" {
        let msg = "windows options cannot be set for a linux pod";
        if spec
            .security_context
            .as_ref()
            .is_some_and(|s| s.windows_options.is_some())
        {
            forbid(
                &mut errs,
                path.field("securityContext").field("windowsOptions"),
                msg,
            );
        }
        for (c, cp) in all_containers(spec, path) {
            if c.security_context
                .as_ref()
                .is_some_and(|s| s.windows_options.is_some())
            {
                forbid(
                    &mut errs,
                    cp.field("securityContext").field("windowsOptions"),
                    msg,
                );
            }
        }
        return errs;
    }
    let msg = "cannot be set for a windows pod";
    if let Some(s) = &spec.security_context {
        let sp = path.field("securityContext");
        let checks: [(bool, FieldPath); 11] = [
            (s.app_armor_profile.is_some(), sp.field("appArmorProfile")),
            (s.se_linux_options.is_some(), sp.field("seLinuxOptions")),
            (spec.host_users.is_some(), path.field("hostUsers")),
            (spec.host_pid == Some(true), path.field("hostPID")),
            (spec.host_ipc == Some(true), path.field("hostIPC")),
            (s.seccomp_profile.is_some(), sp.field("seccompProfile")),
            (s.fs_group.is_some(), sp.field("fsGroup")),
            (
                s.fs_group_change_policy.is_some(),
                sp.field("fsGroupChangePolicy"),
            ),
            (
                s.sysctls.as_ref().is_some_and(|v| !v.is_empty()),
                sp.field("sysctls"),
            ),
            (s.run_as_user.is_some(), sp.field("runAsUser")),
            (s.run_as_group.is_some(), sp.field("runAsGroup")),
        ];
        for (bad, p) in checks {
            if bad {
                forbid(&mut errs, p, msg);
            }
        }
    }
    for (c, cp) in all_containers(spec, path) {
        let Some(s) = &c.security_context else {
            continue;
        };
        let sp = cp.field("securityContext");
        let checks: [(bool, &str); 10] = [
            (s.app_armor_profile.is_some(), "appArmorProfile"),
            (s.se_linux_options.is_some(), "seLinuxOptions"),
            (s.seccomp_profile.is_some(), "seccompProfile"),
            (s.capabilities.is_some(), "capabilities"),
            (
                s.read_only_root_filesystem.is_some(),
                "readOnlyRootFilesystem",
            ),
            (s.privileged.is_some(), "privileged"),
            (
                s.allow_privilege_escalation.is_some(),
                "allowPrivilegeEscalation",
            ),
            (s.proc_mount.is_some(), "procMount"),
            (s.run_as_user.is_some(), "runAsUser"),
            (s.run_as_group.is_some(), "runAsGroup"),
        ];
        for (bad, f) in checks {
            if bad {
                forbid(&mut errs, sp.field(f), msg);
            }
        }
    }
    errs
}

/// Regular and init containers with their paths
/// (`podshelper.VisitContainersWithPath`, ephemeral ones aside).
fn all_containers<'a>(
    spec: &'a api::PodSpec,
    path: &FieldPath,
) -> Vec<(&'a api::Container, FieldPath)> {
    let mut out: Vec<(&api::Container, FieldPath)> = spec
        .init_containers
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, c)| (c, path.field("initContainers").index(i)))
        .collect();
    out.extend(
        spec.containers
            .iter()
            .enumerate()
            .map(|(i, c)| (c, path.field("containers").index(i))),
    );
    out
}

fn host_users_deps(spec: &api::PodSpec, path: &FieldPath) -> Vec<FieldError> {
    if spec.host_users != Some(false) {
        return Vec::new();
    }
    let msg = "when `pod.Spec.HostUsers` is false";
    let mut errs = Vec::new();
    // Upstream's own paths, capitals included.
    if spec.host_network == Some(true) {
        errs.push(FieldError::forbidden(&path.field("hostNetwork"), msg));
    }
    if spec.host_pid == Some(true) {
        errs.push(
            FieldError::forbidden(&path.field("HostPID"), msg).pointing_at(path.field("hostPID")),
        );
    }
    if spec.host_ipc == Some(true) {
        errs.push(
            FieldError::forbidden(&path.field("HostIPC"), msg).pointing_at(path.field("hostIPC")),
        );
    }
    errs
}

/// `validatePodHostNetworkDeps`. The server defaults an unset hostPort to
/// the containerPort when hostNetwork is true, so only a different,
/// explicit hostPort is wrong.
fn host_network_deps(spec: &api::PodSpec, path: &FieldPath, _opts: PodOpts) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec.host_network != Some(true) {
        return errs;
    }
    for (i, c) in spec.containers.iter().enumerate() {
        for (j, p) in c.ports.iter().flatten().enumerate() {
            let hp = p.host_port.unwrap_or(0);
            if hp != 0 && hp != p.container_port {
                errs.push(FieldError::invalid(
                    &path
                        .field("containers")
                        .index(i)
                        .field("ports")
                        .index(j)
                        .field("hostPort"),
                    hp,
                    "must match `containerPort` when `hostNetwork` is true",
                ));
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests;
