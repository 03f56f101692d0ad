//! Pod specs as the API server validates them on create
//! (pkg/apis/core/validation/validation.go: `ValidatePodCreate`,
//! `ValidatePodSpec`, `ValidatePodTemplateSpec` and the functions they
//! call), for Pods and for every workload's pod template.
//!
//! Objects arrive as written, before the API server's defaulting, so every
//! field the server defaults (restartPolicy, dnsPolicy, protocol, probe
//! thresholds, imagePullPolicy, a volume with no source ...) counts as its
//! default here. Tolerations are validated elsewhere.

use super::super::field::{
    ErrorType, FieldError, is_dns1123_label, is_dns1123_subdomain, is_label_key, is_label_value,
    is_relaxed_env_var_name, is_valid_port_name, is_valid_port_num, validate_annotations,
    validate_labels,
};
use super::core::{is_config_map_key, validate_pvc_spec};
use super::{gofmt, labelsel, qty};
use crate::model::FieldPath;
use k8s_openapi::api::core::v1 as api;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::{BTreeMap, HashMap, HashSet};

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
                        super::super::field::go_quote(p)
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

// ------------------------------------------------------------ volumes ---

/// `ValidateVolumes`: the volumes that are valid, by name, and the errors.
fn validate_volumes<'a>(
    volumes: Option<&'a [api::Volume]>,
    pod_name: Option<&str>,
    path: &FieldPath,
) -> (HashMap<&'a str, &'a api::Volume>, Vec<FieldError>) {
    let mut errs = Vec::new();
    let mut ok: HashMap<&str, &api::Volume> = HashMap::new();
    let mut names = HashSet::new();
    let created_pvcs: HashSet<String> = match pod_name {
        Some(pn) if !pn.is_empty() => volumes
            .into_iter()
            .flatten()
            .filter(|v| v.ephemeral.is_some())
            .map(|v| format!("{pn}-{}", v.name))
            .collect(),
        _ => HashSet::new(),
    };
    for (i, v) in volumes.into_iter().flatten().enumerate() {
        let p = path.index(i);
        let mut el = volume_source(v, &p, pod_name);
        if v.name.is_empty() {
            el.push(FieldError::required(&p.field("name"), ""));
        } else {
            el.extend(dns_label(&v.name, &p.field("name")));
        }
        if names.contains(v.name.as_str()) {
            el.push(FieldError::duplicate(&p.field("name"), v.name.as_str()));
        }
        if el.is_empty() {
            names.insert(v.name.as_str());
            ok.insert(v.name.as_str(), v);
        } else {
            errs.extend(el);
        }
        if let Some(c) = &v.persistent_volume_claim
            && created_pvcs.contains(&c.claim_name)
        {
            errs.push(FieldError::invalid(
                &p.field("persistentVolumeClaim").field("claimName"),
                c.claim_name.as_str(),
                "must not reference a PVC that gets created for an ephemeral volume",
            ));
        }
    }
    (ok, errs)
}

/// `validateVolumeSource`. A volume with no source at all is defaulted to
/// emptyDir by the server, so it is never "must specify a volume type".
fn volume_source(v: &api::Volume, path: &FieldPath, pod_name: Option<&str>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    // (present, the child name upstream reports, the field as written).
    let sources: [(bool, &str, &str); 30] = [
        (v.empty_dir.is_some(), "emptyDir", "emptyDir"),
        (v.host_path.is_some(), "hostPath", "hostPath"),
        (v.git_repo.is_some(), "gitRepo", "gitRepo"),
        (
            v.gce_persistent_disk.is_some(),
            "gcePersistentDisk",
            "gcePersistentDisk",
        ),
        (
            v.aws_elastic_block_store.is_some(),
            "awsElasticBlockStore",
            "awsElasticBlockStore",
        ),
        (v.secret.is_some(), "secret", "secret"),
        (v.nfs.is_some(), "nfs", "nfs"),
        (v.iscsi.is_some(), "iscsi", "iscsi"),
        (v.glusterfs.is_some(), "glusterfs", "glusterfs"),
        (v.flocker.is_some(), "flocker", "flocker"),
        (
            v.persistent_volume_claim.is_some(),
            "persistentVolumeClaim",
            "persistentVolumeClaim",
        ),
        (v.rbd.is_some(), "rbd", "rbd"),
        (v.cinder.is_some(), "cinder", "cinder"),
        (v.cephfs.is_some(), "cephFS", "cephfs"),
        (v.quobyte.is_some(), "quobyte", "quobyte"),
        // Upstream's own spelling.
        (v.downward_api.is_some(), "downwarAPI", "downwardAPI"),
        (v.fc.is_some(), "fc", "fc"),
        (v.flex_volume.is_some(), "flexVolume", "flexVolume"),
        (v.config_map.is_some(), "configMap", "configMap"),
        (v.azure_file.is_some(), "azureFile", "azureFile"),
        (v.vsphere_volume.is_some(), "vsphereVolume", "vsphereVolume"),
        (
            v.photon_persistent_disk.is_some(),
            "photonPersistentDisk",
            "photonPersistentDisk",
        ),
        (
            v.portworx_volume.is_some(),
            "portworxVolume",
            "portworxVolume",
        ),
        (v.azure_disk.is_some(), "azureDisk", "azureDisk"),
        (v.storageos.is_some(), "storageos", "storageos"),
        (v.projected.is_some(), "projected", "projected"),
        (v.scale_io.is_some(), "scaleIO", "scaleIO"),
        (v.csi.is_some(), "csi", "csi"),
        (v.ephemeral.is_some(), "ephemeral", "ephemeral"),
        (v.image.is_some(), "image", "image"),
    ];
    let mut first: Option<&str> = None;
    for (present, child, written) in sources {
        if !present {
            continue;
        }
        if first.is_some() {
            errs.push(
                FieldError::forbidden(
                    &path.field(child),
                    "may not specify more than 1 volume type",
                )
                .pointing_at(path.field(written)),
            );
        } else {
            first = Some(written);
        }
    }
    match first {
        Some("emptyDir") => {
            if let Some(q) = v
                .empty_dir
                .as_ref()
                .and_then(|e| e.size_limit.as_ref())
                .and_then(|q| qty::parse(&q.0))
                && q.is_negative()
            {
                errs.push(FieldError::forbidden(
                    &path.field("emptyDir").field("sizeLimit"),
                    "SizeLimit field must be a valid resource quantity",
                ));
            }
        }
        Some("hostPath") => {
            if let Some(h) = &v.host_path {
                errs.extend(host_path(h, &path.field("hostPath")));
            }
        }
        Some("secret") => {
            if let Some(s) = &v.secret {
                let p = path.field("secret");
                if set(&s.secret_name).is_none() {
                    errs.push(FieldError::required(&p.field("secretName"), ""));
                }
                errs.extend(file_mode(s.default_mode, &p.field("defaultMode")));
                for (i, kp) in s.items.iter().flatten().enumerate() {
                    errs.extend(key_to_path(kp, &p.field("items").index(i)));
                }
            }
        }
        Some("configMap") => {
            if let Some(c) = &v.config_map {
                let p = path.field("configMap");
                if c.name.is_empty() {
                    errs.push(FieldError::required(&p.field("name"), ""));
                }
                errs.extend(file_mode(c.default_mode, &p.field("defaultMode")));
                for (i, kp) in c.items.iter().flatten().enumerate() {
                    errs.extend(key_to_path(kp, &p.field("items").index(i)));
                }
            }
        }
        Some("persistentVolumeClaim") => {
            if let Some(c) = &v.persistent_volume_claim
                && c.claim_name.is_empty()
            {
                errs.push(FieldError::required(
                    &path.field("persistentVolumeClaim").field("claimName"),
                    "",
                ));
            }
        }
        Some("nfs") => {
            if let Some(n) = &v.nfs {
                let p = path.field("nfs");
                if n.server.is_empty() {
                    errs.push(FieldError::required(&p.field("server"), ""));
                }
                if n.path.is_empty() {
                    errs.push(FieldError::required(&p.field("path"), ""));
                }
                if !n.path.starts_with('/') {
                    errs.push(FieldError::invalid(
                        &p.field("path"),
                        n.path.as_str(),
                        "must be an absolute path",
                    ));
                }
            }
        }
        Some("downwardAPI") => {
            if let Some(d) = &v.downward_api {
                let p = path.field("downwardAPI");
                errs.extend(file_mode(d.default_mode, &p.field("defaultMode")));
                for (i, f) in d.items.iter().flatten().enumerate() {
                    // Upstream reports every item at the volume's own path.
                    errs.extend(repoint(
                        downward_api_file(f, &p),
                        &p,
                        &p.field("items").index(i),
                    ));
                }
            }
        }
        Some("projected") => {
            if let Some(pr) = &v.projected {
                errs.extend(projected(pr, &path.field("projected")));
            }
        }
        Some("csi") => {
            if let Some(c) = &v.csi {
                errs.extend(csi_driver_name(
                    &c.driver,
                    &path.field("csi").field("driver"),
                ));
                if let Some(r) = &c.node_publish_secret_ref {
                    match r.name.as_str() {
                        "" => errs.push(FieldError::required(
                            &path
                                .field("csi")
                                .field("nodePublishSecretRef")
                                .field("name"),
                            "",
                        )),
                        n => {
                            for m in subdomain_name_msgs(n, false) {
                                errs.push(FieldError::invalid(
                                    &path.field("csi").field("name"),
                                    n,
                                    m,
                                ));
                            }
                        }
                    }
                }
            }
        }
        Some("ephemeral") => {
            if let Some(e) = &v.ephemeral {
                errs.extend(ephemeral(e, &v.name, pod_name, &path.field("ephemeral")));
            }
        }
        Some("image") => {
            if let Some(i) = &v.image
                && set(&i.reference).is_none()
            {
                errs.push(FieldError::required(
                    &path.field("image").field("reference"),
                    "",
                ));
            }
        }
        Some("gitRepo") => {
            if let Some(g) = &v.git_repo {
                let p = path.field("gitRepo");
                if g.repository.is_empty() {
                    errs.push(FieldError::required(&p.field("repository"), ""));
                }
                errs.extend(local_descending_path(
                    g.directory.as_deref().unwrap_or_default(),
                    &p.field("directory"),
                ));
            }
        }
        _ => {}
    }
    errs
}

fn host_path(h: &api::HostPathVolumeSource, path: &FieldPath) -> Vec<FieldError> {
    if h.path.is_empty() {
        return vec![FieldError::required(&path.field("path"), "")];
    }
    let mut errs = no_backsteps(&h.path, &path.field("path"));
    const TYPES: [&str; 8] = [
        "",
        "BlockDevice",
        "CharDevice",
        "Directory",
        "DirectoryOrCreate",
        "File",
        "FileOrCreate",
        "Socket",
    ];
    if let Some(t) = &h.type_
        && !TYPES.contains(&t.as_str())
    {
        errs.push(FieldError::not_supported(
            &path.field("type"),
            t.as_str(),
            &TYPES,
        ));
    }
    errs
}

fn file_mode(mode: Option<i32>, path: &FieldPath) -> Option<FieldError> {
    mode.filter(|m| !(0..=0o777).contains(m))
        .map(|m| FieldError::invalid(path, m, FILE_MODE_MSG))
}

fn key_to_path(kp: &api::KeyToPath, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if kp.key.is_empty() {
        errs.push(FieldError::required(&path.field("key"), ""));
    }
    if kp.path.is_empty() {
        errs.push(FieldError::required(&path.field("path"), ""));
    }
    errs.extend(local_non_reserved_path(&kp.path, &path.field("path")));
    errs.extend(file_mode(kp.mode, &path.field("mode")));
    errs
}

/// `validatePathNoBacksteps`.
fn no_backsteps(target: &str, path: &FieldPath) -> Vec<FieldError> {
    if target.replace('\\', "/").split('/').any(|p| p == "..") {
        vec![FieldError::invalid(path, target, "must not contain '..'")]
    } else {
        Vec::new()
    }
}

/// `validateLocalDescendingPath`.
fn local_descending_path(target: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if target.starts_with('/') {
        errs.push(FieldError::invalid(path, target, "must be a relative path"));
    }
    errs.extend(no_backsteps(target, path));
    errs
}

/// `ValidateLocalNonReservedPath`.
fn local_non_reserved_path(target: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = local_descending_path(target, path);
    if target.starts_with("..") && !target.starts_with("../") {
        errs.push(FieldError::invalid(
            path,
            target,
            "must not start with '..'",
        ));
    }
    errs
}

const VOLUME_FIELD_PATHS: [&str; 5] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
];

const ENV_FIELD_PATHS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

const RESOURCE_FIELD_PATHS: [&str; 6] = [
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];

fn downward_api_file(f: &api::DownwardAPIVolumeFile, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if f.path.is_empty() {
        errs.push(FieldError::required(&path.field("path"), ""));
    }
    errs.extend(local_non_reserved_path(&f.path, &path.field("path")));
    if let Some(fr) = &f.field_ref {
        errs.extend(object_field_selector(
            fr,
            &VOLUME_FIELD_PATHS,
            &path.field("fieldRef"),
        ));
        if f.resource_field_ref.is_some() {
            errs.push(FieldError::invalid(
                path,
                "resource",
                "fieldRef and resourceFieldRef can not be specified simultaneously",
            ));
        }
    } else if let Some(rf) = &f.resource_field_ref {
        errs.extend(resource_field_selector(
            rf,
            &path.field("resourceFieldRef"),
            true,
        ));
    } else {
        errs.push(FieldError::required(
            path,
            "one of fieldRef and resourceFieldRef is required",
        ));
    }
    errs.extend(file_mode(f.mode, &path.field("mode")));
    errs
}

fn projected(pr: &api::ProjectedVolumeSource, path: &FieldPath) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = file_mode(pr.default_mode, &path.field("defaultMode"))
        .into_iter()
        .collect();
    let mut paths: HashSet<String> = HashSet::new();
    let mut dup = |p: &str, value: &str, at: FieldPath, errs: &mut Vec<FieldError>| {
        if !paths.insert(p.to_string()) {
            errs.push(
                FieldError::invalid(path, value, "conflicting duplicate paths").pointing_at(at),
            );
        }
    };
    for (i, s) in pr.sources.iter().flatten().enumerate() {
        let sp = path.field("sources").index(i);
        let mut n = 0;
        if let Some(sec) = &s.secret {
            n += 1;
            let pp = sp.field("secret");
            if sec.name.is_empty() {
                errs.push(FieldError::required(&pp.field("name"), ""));
            }
            for (j, kp) in sec.items.iter().flatten().enumerate() {
                let ip = pp.field("items").index(j);
                errs.extend(key_to_path(kp, &ip));
                if !kp.path.is_empty() {
                    dup(&kp.path, &sec.name, ip.field("path"), &mut errs);
                }
            }
        }
        if let Some(cm) = &s.config_map {
            n += 1;
            let pp = sp.field("configMap");
            if cm.name.is_empty() {
                errs.push(FieldError::required(&pp.field("name"), ""));
            }
            for (j, kp) in cm.items.iter().flatten().enumerate() {
                let ip = pp.field("items").index(j);
                errs.extend(key_to_path(kp, &ip));
                if !kp.path.is_empty() {
                    dup(&kp.path, &cm.name, ip.field("path"), &mut errs);
                }
            }
        }
        if let Some(d) = &s.downward_api {
            n += 1;
            let pp = sp.field("downwardAPI");
            for (j, f) in d.items.iter().flatten().enumerate() {
                let ip = pp.field("items").index(j);
                errs.extend(repoint(downward_api_file(f, &pp), &pp, &ip));
                if !f.path.is_empty() {
                    dup(&f.path, &f.path, ip.field("path"), &mut errs);
                }
            }
        }
        if let Some(t) = &s.service_account_token {
            n += 1;
            let pp = sp.field("serviceAccountToken");
            // Defaulted to one hour when unset.
            let exp = t.expiration_seconds.unwrap_or(3600);
            if exp < 600 {
                errs.push(FieldError::invalid(
                    &pp.field("expirationSeconds"),
                    exp,
                    "may not specify a duration less than 10 minutes",
                ));
            }
            if exp > 1 << 32 {
                errs.push(FieldError::invalid(
                    &pp.field("expirationSeconds"),
                    exp,
                    "may not specify a duration larger than 2^32 seconds",
                ));
            }
            // Upstream reports the token's path at the projection's level.
            if t.path.is_empty() {
                errs.push(FieldError::required(&path.field("path"), "").pointing_at(pp.clone()));
            } else {
                errs.extend(repoint(
                    local_non_reserved_path(&t.path, &path.field("path")),
                    &path.field("path"),
                    &pp.field("path"),
                ));
            }
        }
        if s.cluster_trust_bundle.is_some() {
            n += 1;
        }
        if s.pod_certificate.is_some() {
            n += 1;
        }
        if n > 1 {
            errs.push(FieldError::forbidden(
                &sp,
                "may not specify more than 1 volume type per source",
            ));
        }
    }
    errs
}

fn csi_driver_name(driver: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if driver.is_empty() {
        errs.push(FieldError::required(path, ""));
    }
    if driver.len() > 63 {
        errs.push(FieldError::too_long(path, 63));
    }
    for m in is_dns1123_subdomain(&driver.to_lowercase()) {
        errs.push(FieldError::invalid(path, driver, m));
    }
    errs
}

fn ephemeral(
    e: &api::EphemeralVolumeSource,
    vol_name: &str,
    pod_name: Option<&str>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(t) = &e.volume_claim_template else {
        return vec![FieldError::required(&path.field("volumeClaimTemplate"), "")];
    };
    let tp = path.field("volumeClaimTemplate");
    if let Some(m) = &t.metadata {
        let mp = tp.field("metadata");
        if let Some(a) = &m.annotations {
            errs.extend(validate_annotations(a.iter(), &mp.field("annotations")));
        }
        if let Some(l) = &m.labels {
            errs.extend(validate_labels(l.iter(), &mp.field("labels")));
        }
        // Only labels and annotations may be set.
        let others: [(bool, &str); 6] = [
            (m.name.is_some(), "name"),
            (m.generate_name.is_some(), "generateName"),
            (m.namespace.is_some(), "namespace"),
            (m.finalizers.is_some(), "finalizers"),
            (m.owner_references.is_some(), "ownerReferences"),
            (m.uid.is_some(), "uID"),
        ];
        for (bad, f) in others {
            if bad {
                errs.push(FieldError::forbidden(&mp.field(f), "cannot be set"));
            }
        }
    }
    errs.extend(validate_pvc_spec(&t.spec, &tp.field("spec")));
    if let Some(pn) = pod_name.filter(|p| !p.is_empty())
        && !vol_name.is_empty()
    {
        let pvc = format!("{pn}-{vol_name}");
        for m in is_dns1123_subdomain(&pvc) {
            errs.push(FieldError::invalid(
                &path.field("name"),
                vol_name,
                format!("PVC name {}: {m}", super::super::field::go_quote(&pvc)),
            ));
        }
    }
    errs
}

// --------------------------------------------------------- containers ---

/// What every container check needs to know about its pod.
struct Ctx<'a> {
    vols: &'a HashMap<&'a str, &'a api::Volume>,
    grace: i64,
    restart: &'a str,
    host_users: bool,
}

fn validate_containers(
    containers: &[api::Container],
    ctx: &Ctx,
    path: &FieldPath,
) -> Vec<FieldError> {
    if containers.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let mut errs = Vec::new();
    let mut names = HashSet::new();
    for (i, c) in containers.iter().enumerate() {
        let p = path.index(i);
        errs.extend(container_common(c, ctx, &p));
        if !names.insert(c.name.as_str()) {
            errs.push(FieldError::duplicate(&p.field("name"), c.name.as_str()));
        }
        if let Some(l) = &c.lifecycle {
            errs.extend(lifecycle(l, ctx.grace, &p.field("lifecycle")));
        }
        errs.extend(probes(c, &p));
        errs.extend(container_restart_policy(c, &p));
    }
    errs.extend(host_port_conflicts(containers.iter().enumerate(), path));
    errs
}

fn probes(c: &api::Container, p: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(pr) = &c.liveness_probe {
        let pp = p.field("livenessProbe");
        errs.extend(probe(pr, &pp));
        errs.extend(success_must_be_one(pr, &pp));
    }
    if let Some(pr) = &c.readiness_probe {
        let pp = p.field("readinessProbe");
        errs.extend(probe(pr, &pp));
        if let Some(t) = pr.termination_grace_period_seconds {
            errs.push(FieldError::invalid(
                &pp.field("terminationGracePeriodSeconds"),
                t,
                "must not be set for readinessProbes",
            ));
        }
    }
    if let Some(pr) = &c.startup_probe {
        let pp = p.field("startupProbe");
        errs.extend(probe(pr, &pp));
        errs.extend(success_must_be_one(pr, &pp));
    }
    errs
}

/// A container's own restart policy. Since ContainerRestartRules (beta in
/// 1.35), regular and init containers may set Always, OnFailure or Never;
/// Always on an init container makes it a sidecar.
fn container_restart_policy(c: &api::Container, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let p = path.field("restartPolicy");
    match c.restart_policy.as_deref() {
        None => {
            if c.restart_policy_rules
                .as_ref()
                .is_some_and(|r| !r.is_empty())
            {
                errs.push(FieldError::required(
                    &p,
                    "must specify restartPolicy when restart rules are used",
                ));
            }
        }
        Some("Always" | "OnFailure" | "Never") => {}
        Some(other) => errs.push(FieldError::not_supported(
            &p,
            other,
            &["Always", "OnFailure", "Never"],
        )),
    }
    errs
}

/// Liveness and startup probes: successThreshold (defaulted to 1) must be 1.
fn success_must_be_one(pr: &api::Probe, path: &FieldPath) -> Option<FieldError> {
    match pr.success_threshold {
        Some(s) if s != 0 && s != 1 => Some(FieldError::invalid(
            &path.field("successThreshold"),
            s,
            "must be 1",
        )),
        _ => None,
    }
}

fn validate_init_containers(
    inits: &[api::Container],
    regular: &[api::Container],
    ctx: &Ctx,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names: HashSet<&str> = regular.iter().map(|c| c.name.as_str()).collect();
    for (i, c) in inits.iter().enumerate() {
        let p = path.index(i);
        errs.extend(container_common(c, ctx, &p));
        errs.extend(container_restart_policy(c, &p));
        let always = c.restart_policy.as_deref() == Some("Always");
        if names.contains(c.name.as_str()) {
            errs.push(FieldError::duplicate(&p.field("name"), c.name.as_str()));
        } else if !c.name.is_empty() {
            names.insert(c.name.as_str());
        }
        // Init containers run one at a time: conflicts only within one.
        errs.extend(host_port_conflicts(std::iter::once((i, c)), path));
        if always {
            if let Some(l) = &c.lifecycle {
                errs.extend(lifecycle(l, ctx.grace, &p.field("lifecycle")));
            }
            errs.extend(probes(c, &p));
        } else {
            let msg = "may not be set for init containers without restartPolicy=Always";
            for (present, f) in [
                (c.lifecycle.is_some(), "lifecycle"),
                (c.liveness_probe.is_some(), "livenessProbe"),
                (c.readiness_probe.is_some(), "readinessProbe"),
                (c.startup_probe.is_some(), "startupProbe"),
            ] {
                if present {
                    errs.push(FieldError::forbidden(&p.field(f), msg));
                }
            }
        }
    }
    errs
}

/// Ephemeral containers are refused on create and in templates anyway;
/// their names must still not clash.
fn validate_ephemeral_containers(
    spec: &api::PodSpec,
    ctx: &Ctx,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(eph) = &spec.ephemeral_containers else {
        return errs;
    };
    let mut names: HashSet<&str> = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .map(|c| c.name.as_str())
        .collect();
    for (i, e) in eph.iter().enumerate() {
        let p = path.index(i);
        let c = api::Container {
            name: e.name.clone(),
            image: e.image.clone(),
            env: e.env.clone(),
            env_from: e.env_from.clone(),
            volume_mounts: e.volume_mounts.clone(),
            image_pull_policy: e.image_pull_policy.clone(),
            termination_message_policy: e.termination_message_policy.clone(),
            security_context: e.security_context.clone(),
            ..Default::default()
        };
        errs.extend(container_common(&c, ctx, &p));
        if !names.insert(e.name.as_str()) {
            errs.push(FieldError::duplicate(&p.field("name"), e.name.as_str()));
        }
    }
    errs
}

/// `AccumulateUniqueHostPorts`: `protocol/hostIP/port` must be unique.
fn host_port_conflicts<'a>(
    containers: impl Iterator<Item = (usize, &'a api::Container)>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut seen = HashSet::new();
    let mut errs = Vec::new();
    for (i, c) in containers {
        for (j, p) in c.ports.iter().flatten().enumerate() {
            let port = p.host_port.unwrap_or(0);
            if port == 0 {
                continue;
            }
            let key = format!(
                "{}/{}/{port}",
                set(&p.protocol).unwrap_or("TCP"),
                p.host_ip.as_deref().unwrap_or_default()
            );
            if !seen.insert(key.clone()) {
                errs.push(FieldError::duplicate(
                    &path.index(i).field("ports").index(j).field("hostPort"),
                    key,
                ));
            }
        }
    }
    errs
}

/// `validateContainerCommon`.
fn container_common(c: &api::Container, ctx: &Ctx, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if c.name.is_empty() {
        errs.push(FieldError::required(&path.field("name"), ""));
    } else {
        errs.extend(dns_label(&c.name, &path.field("name")));
    }
    if c.image.as_deref().unwrap_or_default().is_empty() {
        errs.push(FieldError::required(&path.field("image"), ""));
    }
    errs.extend(enum_check(
        set(&c.termination_message_policy),
        &path.field("terminationMessagePolicy"),
        &["File", "FallbackToLogsOnError"],
    ));
    errs.extend(container_ports(
        c.ports.as_deref().unwrap_or_default(),
        &path.field("ports"),
    ));
    errs.extend(validate_env(
        c.env.as_deref().unwrap_or_default(),
        &path.field("env"),
    ));
    errs.extend(validate_env_from(
        c.env_from.as_deref().unwrap_or_default(),
        &path.field("envFrom"),
    ));
    errs.extend(volume_mounts(c, ctx, &path.field("volumeMounts")));
    errs.extend(volume_devices(c, ctx, &path.field("volumeDevices")));
    errs.extend(enum_check(
        set(&c.image_pull_policy),
        &path.field("imagePullPolicy"),
        &["Always", "IfNotPresent", "Never"],
    ));
    if let Some(r) = &c.resources {
        errs.extend(resource_requirements(
            r,
            &path.field("resources"),
            ResourceNames::Container,
        ));
    }
    errs.extend(resize_policy(c, ctx, &path.field("resizePolicy")));
    if let Some(sc) = &c.security_context {
        errs.extend(security_context(
            sc,
            &path.field("securityContext"),
            ctx.host_users,
        ));
    }
    errs
}

fn container_ports(ports: &[api::ContainerPort], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names = HashSet::new();
    for (i, p) in ports.iter().enumerate() {
        let ip = path.index(i);
        if let Some(name) = set(&p.name) {
            let msgs = is_valid_port_name(name);
            if !msgs.is_empty() {
                for m in msgs {
                    errs.push(FieldError::invalid(&ip.field("name"), name, m));
                }
            } else if !names.insert(name) {
                errs.push(FieldError::duplicate(&ip.field("name"), name));
            }
        }
        if p.container_port == 0 {
            errs.push(FieldError::required(&ip.field("containerPort"), ""));
        } else {
            for m in is_valid_port_num(p.container_port.into()) {
                errs.push(FieldError::invalid(
                    &ip.field("containerPort"),
                    p.container_port,
                    m,
                ));
            }
        }
        if let Some(hp) = p.host_port.filter(|h| *h != 0) {
            for m in is_valid_port_num(hp.into()) {
                errs.push(FieldError::invalid(&ip.field("hostPort"), hp, m));
            }
        }
        errs.extend(enum_check(
            set(&p.protocol),
            &ip.field("protocol"),
            &["SCTP", "TCP", "UDP"],
        ));
    }
    errs
}

/// `ValidateEnv`, with relaxed names (GA since 1.34).
fn validate_env(vars: &[api::EnvVar], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, ev) in vars.iter().enumerate() {
        let p = path.index(i);
        if ev.name.is_empty() {
            errs.push(FieldError::required(&p.field("name"), ""));
        } else {
            for m in is_relaxed_env_var_name(&ev.name) {
                errs.push(FieldError::invalid(&p.field("name"), ev.name.as_str(), m));
            }
        }
        errs.extend(env_value_from(ev, &p.field("valueFrom")));
    }
    errs
}

fn env_value_from(ev: &api::EnvVar, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(vf) = &ev.value_from else {
        return errs;
    };
    let mut n = 0;
    if let Some(fr) = &vf.field_ref {
        n += 1;
        errs.extend(object_field_selector(
            fr,
            &ENV_FIELD_PATHS,
            &path.field("fieldRef"),
        ));
    }
    if let Some(rf) = &vf.resource_field_ref {
        n += 1;
        errs.extend(resource_field_selector(
            rf,
            &path.field("resourceFieldRef"),
            false,
        ));
    }
    if let Some(k) = &vf.config_map_key_ref {
        n += 1;
        errs.extend(key_selector(
            &k.name,
            &k.key,
            &path.field("configMapKeyRef"),
        ));
    }
    if let Some(k) = &vf.secret_key_ref {
        n += 1;
        errs.extend(key_selector(&k.name, &k.key, &path.field("secretKeyRef")));
    }
    if vf.file_key_ref.is_some() {
        n += 1;
    }
    let value_set = ev.value.as_deref().is_some_and(|v| !v.is_empty());
    if n == 0 {
        errs.push(FieldError::invalid(
            path,
            "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ));
    } else if value_set {
        errs.push(FieldError::invalid(
            path,
            "",
            "may not be specified when `value` is not empty",
        ));
    } else if n > 1 {
        errs.push(FieldError::invalid(
            path,
            "",
            "may not have more than one field specified at a time",
        ));
    }
    errs
}

/// `validateConfigMapKeySelector` / `validateSecretKeySelector`.
fn key_selector(name: &str, key: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = subdomain_name_msgs(name, false)
        .into_iter()
        .map(|m| FieldError::invalid(&path.field("name"), name, m))
        .collect();
    if key.is_empty() {
        errs.push(FieldError::required(&path.field("key"), ""));
    } else {
        for m in is_config_map_key(key) {
            errs.push(FieldError::invalid(&path.field("key"), key, m));
        }
    }
    errs
}

/// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['app']`.
fn split_subscript(p: &str) -> Option<(&str, &str)> {
    let s = p.strip_suffix("']")?;
    let (path, sub) = s.split_once("['")?;
    (!path.is_empty()).then_some((path, sub))
}

/// `validateObjectFieldSelector` (with `ConvertDownwardAPIFieldLabel`).
fn object_field_selector(
    fs: &api::ObjectFieldSelector,
    valid: &[&str],
    path: &FieldPath,
) -> Vec<FieldError> {
    // apiVersion defaults to v1.
    let version = set(&fs.api_version).unwrap_or("v1");
    if fs.field_path.is_empty() {
        return vec![FieldError::required(&path.field("fieldPath"), "")];
    }
    let label = fs.field_path.as_str();
    let converted: Result<&str, String> = if version != "v1" {
        Err(format!("unsupported pod version: {version}"))
    } else if let Some((p, _)) = split_subscript(label) {
        match p {
            "metadata.annotations" | "metadata.labels" => Ok(label),
            _ => Err(format!("field label does not support subscript: {label}")),
        }
    } else {
        match label {
            "metadata.annotations"
            | "metadata.labels"
            | "metadata.name"
            | "metadata.namespace"
            | "metadata.uid"
            | "spec.nodeName"
            | "spec.restartPolicy"
            | "spec.serviceAccountName"
            | "spec.schedulerName"
            | "status.phase"
            | "status.hostIP"
            | "status.hostIPs"
            | "status.podIP"
            | "status.podIPs" => Ok(label),
            "spec.host" => Ok("spec.nodeName"),
            _ => Err(format!("field label not supported: {label}")),
        }
    };
    let internal = match converted {
        Ok(i) => i,
        Err(e) => {
            return vec![FieldError::invalid(
                &path.field("fieldPath"),
                label,
                format!("error converting fieldPath: {e}"),
            )];
        }
    };
    if let Some((p, sub)) = split_subscript(internal) {
        return match p {
            "metadata.annotations" => qualified_name(&sub.to_lowercase(), path),
            "metadata.labels" => qualified_name(sub, path),
            _ => vec![FieldError::invalid(path, p, "does not support subscript")],
        };
    }
    if !valid.contains(&internal) {
        return vec![FieldError::not_supported(
            &path.field("fieldPath"),
            internal,
            valid,
        )];
    }
    Vec::new()
}

/// `validateContainerResourceFieldSelector`.
fn resource_field_selector(
    fs: &api::ResourceFieldSelector,
    path: &FieldPath,
    volume: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let resource = fs.resource.as_str();
    if volume && set(&fs.container_name).is_none() {
        errs.push(FieldError::required(&path.field("containerName"), ""));
    } else if resource.is_empty() {
        errs.push(FieldError::required(&path.field("resource"), ""));
    } else if !RESOURCE_FIELD_PATHS.contains(&resource)
        && !resource.starts_with("limits.hugepages-")
        && !resource.starts_with("requests.hugepages-")
    {
        errs.push(FieldError::not_supported(
            &path.field("resource"),
            resource,
            &RESOURCE_FIELD_PATHS,
        ));
    }
    if let Some(d) = fs.divisor.as_ref().and_then(|d| qty::parse(&d.0))
        && !d.is_zero()
    {
        let text = d.to_string();
        const SIZES: [&str; 13] = [
            "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei",
        ];
        let sizes_msg = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";
        let bad = |what: &str| {
            FieldError::invalid(
                &path.field("divisor"),
                resource,
                format!("only divisor's values {sizes_msg} are supported with the {what}"),
            )
        };
        match resource {
            "limits.cpu" | "requests.cpu" if text != "1m" && text != "1" => {
                errs.push(FieldError::invalid(
                    &path.field("divisor"),
                    resource,
                    "only divisor's values 1m and 1 are supported with the cpu resource",
                ));
            }
            "limits.memory" | "requests.memory" if !SIZES.contains(&text.as_str()) => {
                errs.push(bad("memory resource"));
            }
            "limits.ephemeral-storage" | "requests.ephemeral-storage"
                if !SIZES.contains(&text.as_str()) =>
            {
                errs.push(bad("local ephemeral storage resource"));
            }
            _ => {}
        }
        if (resource.starts_with("requests.hugepages-")
            || resource.starts_with("limits.hugepages-"))
            && !SIZES.contains(&text.as_str())
        {
            errs.push(bad("hugepages resource"));
        }
    }
    errs
}

fn validate_env_from(vars: &[api::EnvFromSource], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, ev) in vars.iter().enumerate() {
        let p = path.index(i);
        if let Some(prefix) = set(&ev.prefix) {
            for m in is_relaxed_env_var_name(prefix) {
                errs.push(FieldError::invalid(&p.field("prefix"), prefix, m));
            }
        }
        let mut n = 0;
        for (name, field) in [
            (ev.config_map_ref.as_ref().map(|r| &r.name), "configMapRef"),
            (ev.secret_ref.as_ref().map(|r| &r.name), "secretRef"),
        ] {
            let Some(name) = name else { continue };
            n += 1;
            let np = p.field(field).field("name");
            if name.is_empty() {
                errs.push(FieldError::required(&np, ""));
            } else {
                for m in subdomain_name_msgs(name, true) {
                    errs.push(FieldError::invalid(&np, name.as_str(), m));
                }
            }
        }
        // Upstream reports these at the list, not the item.
        if n == 0 {
            errs.push(
                FieldError::invalid(
                    path,
                    "",
                    "must specify one of: `configMapRef` or `secretRef`",
                )
                .pointing_at(p.clone()),
            );
        } else if n > 1 {
            errs.push(
                FieldError::invalid(
                    path,
                    "",
                    "may not have more than one field specified at a time",
                )
                .pointing_at(p.clone()),
            );
        }
    }
    errs
}

/// `ValidateVolumeMounts`.
fn volume_mounts(c: &api::Container, ctx: &Ctx, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let devices: HashMap<&str, &str> = c
        .volume_devices
        .iter()
        .flatten()
        .map(|d| (d.name.as_str(), d.device_path.as_str()))
        .collect();
    let mut mountpoints = HashSet::new();
    let privileged = c
        .security_context
        .as_ref()
        .and_then(|s| s.privileged)
        .unwrap_or(false);
    for (i, m) in c.volume_mounts.iter().flatten().enumerate() {
        let p = path.index(i);
        if m.name.is_empty() {
            errs.push(FieldError::required(&p.field("name"), ""));
        }
        if !ctx.vols.contains_key(m.name.as_str()) {
            errs.push(FieldError::not_found(&p.field("name"), m.name.as_str()));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(&p.field("mountPath"), ""));
        }
        if !mountpoints.insert(m.mount_path.as_str()) {
            errs.push(FieldError::invalid(
                &p.field("mountPath"),
                m.mount_path.as_str(),
                "must be unique",
            ));
        }
        if devices.contains_key(m.name.as_str()) {
            errs.push(FieldError::invalid(
                &p.field("name"),
                m.name.as_str(),
                "must not already exist in volumeDevices",
            ));
        }
        if devices.values().any(|d| *d == m.mount_path) {
            errs.push(FieldError::invalid(
                &p.field("mountPath"),
                m.mount_path.as_str(),
                "must not already exist as a path in volumeDevices",
            ));
        }
        let sub = set(&m.sub_path);
        let sub_expr = set(&m.sub_path_expr);
        if ctx
            .vols
            .get(m.name.as_str())
            .is_some_and(|v| v.image.is_some())
        {
            if let Some(s) = sub {
                errs.push(FieldError::invalid(
                    &p.field("subPath"),
                    s,
                    "not allowed in image volume sources",
                ));
            }
            if let Some(s) = sub_expr {
                errs.push(FieldError::invalid(
                    &p.field("subPathExpr"),
                    s,
                    "not allowed in image volume sources",
                ));
            }
        }
        // Upstream reports these at the list's path; point at the mount.
        if let Some(s) = sub {
            errs.extend(repoint(
                local_descending_path(s, &path.field("subPath")),
                &path.field("subPath"),
                &p.field("subPath"),
            ));
        }
        if let Some(s) = sub_expr {
            if sub.is_some() {
                errs.push(FieldError::invalid(
                    &p.field("subPathExpr"),
                    s,
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            errs.extend(repoint(
                local_descending_path(s, &path.field("subPathExpr")),
                &path.field("subPathExpr"),
                &p.field("subPathExpr"),
            ));
        }
        if let Some(mp) = &m.mount_propagation {
            let at = p.field("mountPropagation");
            const MODES: [&str; 3] = ["Bidirectional", "HostToContainer", "None"];
            if !MODES.contains(&mp.as_str()) {
                errs.push(
                    FieldError::not_supported(&path.field("mountPropagation"), mp.as_str(), &MODES)
                        .pointing_at(at.clone()),
                );
            }
            if mp == "Bidirectional" && !privileged {
                errs.push(
                    FieldError::forbidden(
                        &path.field("mountPropagation"),
                        "Bidirectional mount propagation is available only to privileged containers",
                    )
                    .pointing_at(at),
                );
            }
        }
        if let Some(rro) = &m.recursive_read_only {
            let rp = path.field("recursiveReadOnly");
            let at = p.field("recursiveReadOnly");
            match rro.as_str() {
                "Disabled" => {}
                "Enabled" | "IfPossible" => {
                    if m.read_only != Some(true) {
                        errs.push(
                            FieldError::forbidden(
                                &rp,
                                "may only be specified when readOnly is true",
                            )
                            .pointing_at(at.clone()),
                        );
                    }
                    if m.mount_propagation.as_deref().is_some_and(|x| x != "None") {
                        errs.push(
                            FieldError::forbidden(
                                &rp,
                                "may only be specified when mountPropagation is None or not specified",
                            )
                            .pointing_at(at),
                        );
                    }
                }
                other => errs.push(
                    FieldError::not_supported(&rp, other, &["Disabled", "Enabled", "IfPossible"])
                        .pointing_at(at),
                ),
            }
        }
    }
    errs
}

/// `ValidateVolumeDevices`.
fn volume_devices(c: &api::Container, ctx: &Ctx, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mounts: HashMap<&str, &str> = c
        .volume_mounts
        .iter()
        .flatten()
        .map(|m| (m.name.as_str(), m.mount_path.as_str()))
        .collect();
    let mut paths = HashSet::new();
    let mut names = HashSet::new();
    for (i, d) in c.volume_devices.iter().flatten().enumerate() {
        let p = path.index(i);
        let vol = ctx.vols.get(d.name.as_str());
        if d.name.is_empty() {
            errs.push(FieldError::required(&p.field("name"), ""));
        }
        if names.contains(d.name.as_str()) {
            errs.push(FieldError::invalid(
                &p.field("name"),
                d.name.as_str(),
                "must be unique",
            ));
        }
        match vol {
            Some(v) if v.persistent_volume_claim.is_none() && v.ephemeral.is_none() => {
                errs.push(FieldError::invalid(
                    &p.field("name"),
                    d.name.as_str(),
                    "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
                ));
            }
            Some(_) => {}
            None => errs.push(FieldError::not_found(&p.field("name"), d.name.as_str())),
        }
        if d.device_path.is_empty() {
            errs.push(FieldError::required(&p.field("devicePath"), ""));
        }
        if paths.contains(d.device_path.as_str()) {
            errs.push(FieldError::invalid(
                &p.field("devicePath"),
                d.device_path.as_str(),
                "must be unique",
            ));
        }
        if !d.device_path.is_empty() && d.device_path.split('/').any(|s| s == "..") {
            errs.push(FieldError::invalid(
                &p.field("devicePath"),
                d.device_path.as_str(),
                "can not contain backsteps ('..')",
            ));
        } else {
            paths.insert(d.device_path.as_str());
        }
        if mounts.contains_key(d.name.as_str()) {
            errs.push(FieldError::invalid(
                &p.field("name"),
                d.name.as_str(),
                "must not already exist in volumeMounts",
            ));
        }
        if mounts.values().any(|m| *m == d.device_path) {
            errs.push(FieldError::invalid(
                &p.field("devicePath"),
                d.device_path.as_str(),
                "must not already exist as a path in volumeMounts",
            ));
        }
        if !d.name.is_empty() {
            names.insert(d.name.as_str());
        }
    }
    errs
}

fn resize_policy(c: &api::Container, ctx: &Ctx, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = HashSet::new();
    for (i, p) in c.resize_policy.iter().flatten().enumerate() {
        let at = path.index(i);
        if !seen.insert(p.resource_name.as_str()) {
            errs.push(FieldError::duplicate(&at, p.resource_name.as_str()));
        }
        match p.resource_name.as_str() {
            "cpu" | "memory" => {}
            "" => errs.push(FieldError::required(path, "").pointing_at(at.field("resourceName"))),
            other => errs.push(
                FieldError::not_supported(path, other, &["cpu", "memory"])
                    .pointing_at(at.field("resourceName")),
            ),
        }
        match p.restart_policy.as_str() {
            "NotRequired" | "RestartContainer" => {}
            "" => errs.push(FieldError::required(path, "").pointing_at(at.field("restartPolicy"))),
            other => errs.push(
                FieldError::not_supported(path, other, &["NotRequired", "RestartContainer"])
                    .pointing_at(at.field("restartPolicy")),
            ),
        }
        if ctx.restart == "Never" && p.restart_policy != "NotRequired" {
            errs.push(
                FieldError::invalid(
                    path,
                    p.restart_policy.as_str(),
                    "must be 'NotRequired' when `restartPolicy` is 'Never'",
                )
                .pointing_at(at.field("restartPolicy")),
            );
        }
    }
    errs
}

// ---------------------------------------------------- probes, handlers ---

fn probe(pr: &api::Probe, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = handler(
        &[
            ("exec", pr.exec.is_some()),
            ("httpGet", pr.http_get.is_some()),
            ("tcpSocket", pr.tcp_socket.is_some()),
            ("grpc", pr.grpc.is_some()),
        ],
        path,
    );
    if let Some(e) = &pr.exec {
        errs.extend(exec_action(e, &path.field("exec")));
    }
    if let Some(h) = &pr.http_get {
        errs.extend(http_get(h, &path.field("httpGet")));
    }
    if let Some(t) = &pr.tcp_socket {
        errs.extend(port_num_or_name(
            &t.port,
            &path.field("tcpSocket").field("port"),
        ));
    }
    if let Some(g) = &pr.grpc {
        errs.extend(port_num_or_name(
            &IntOrString::Int(g.port),
            &path.field("grpc").field("port"),
        ));
    }
    for (v, f) in [
        (pr.initial_delay_seconds, "initialDelaySeconds"),
        (pr.timeout_seconds, "timeoutSeconds"),
        (pr.period_seconds, "periodSeconds"),
        (pr.success_threshold, "successThreshold"),
        (pr.failure_threshold, "failureThreshold"),
    ] {
        if let Some(v) = v {
            errs.extend(nonneg(v.into(), &path.field(f)));
        }
    }
    if let Some(t) = pr.termination_grace_period_seconds
        && t <= 0
    {
        errs.push(FieldError::invalid(
            &path.field("terminationGracePeriodSeconds"),
            t,
            "must be greater than 0",
        ));
    }
    errs
}

/// `validateHandler`'s count: exactly one handler type, the first wins.
fn handler(kinds: &[(&str, bool)], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut n = 0;
    for (name, present) in kinds {
        if !present {
            continue;
        }
        if n > 0 {
            errs.push(FieldError::forbidden(
                &path.field(name),
                "may not specify more than 1 handler type",
            ));
        } else {
            n += 1;
        }
    }
    if n == 0 {
        errs.push(FieldError::required(path, "must specify a handler type"));
    }
    errs
}

fn exec_action(e: &api::ExecAction, path: &FieldPath) -> Vec<FieldError> {
    if e.command.as_ref().is_none_or(|c| c.is_empty()) {
        vec![FieldError::required(&path.field("command"), "")]
    } else {
        Vec::new()
    }
}

fn http_get(h: &api::HTTPGetAction, path: &FieldPath) -> Vec<FieldError> {
    // path defaults to "/", scheme to HTTP.
    let mut errs = port_num_or_name(&h.port, &path.field("port"));
    errs.extend(enum_check(
        set(&h.scheme),
        &path.field("scheme"),
        &["HTTP", "HTTPS"],
    ));
    for (i, hd) in h.http_headers.iter().flatten().enumerate() {
        let ok = !hd.name.is_empty()
            && hd
                .name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-');
        if !ok {
            errs.push(
                FieldError::invalid(
                    &path.field("httpHeaders"),
                    hd.name.as_str(),
                    "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
                )
                .pointing_at(path.field("httpHeaders").index(i).field("name")),
            );
        }
    }
    errs
}

/// `ValidatePortNumOrName`.
pub(crate) fn port_num_or_name(port: &IntOrString, path: &FieldPath) -> Vec<FieldError> {
    match port {
        IntOrString::Int(i) => is_valid_port_num((*i).into())
            .into_iter()
            .map(|m| FieldError::invalid(path, *i, m))
            .collect(),
        IntOrString::String(s) => is_valid_port_name(s)
            .into_iter()
            .map(|m| FieldError::invalid(path, s.as_str(), m))
            .collect(),
    }
}

fn lifecycle(l: &api::Lifecycle, grace: i64, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (h, f) in [(&l.post_start, "postStart"), (&l.pre_stop, "preStop")] {
        let Some(h) = h else { continue };
        let p = path.field(f);
        errs.extend(handler(
            &[
                ("exec", h.exec.is_some()),
                ("httpGet", h.http_get.is_some()),
                ("tcpSocket", h.tcp_socket.is_some()),
                ("sleep", h.sleep.is_some()),
            ],
            &p,
        ));
        if let Some(e) = &h.exec {
            errs.extend(exec_action(e, &p.field("exec")));
        }
        if let Some(g) = &h.http_get {
            errs.extend(http_get(g, &p.field("httpGet")));
        }
        if let Some(t) = &h.tcp_socket {
            errs.extend(port_num_or_name(
                &t.port,
                &p.field("tcpSocket").field("port"),
            ));
        }
        if let Some(s) = &h.sleep
            && (s.seconds < 0 || s.seconds > grace)
        {
            // PodLifecycleSleepActionAllowZero is on by default.
            errs.push(FieldError::invalid(
                &p.field("sleep"),
                s.seconds,
                format!(
                    "must be non-negative and less than terminationGracePeriodSeconds ({grace})"
                ),
            ));
        }
    }
    errs
}

// ---------------------------------------------------------- resources ---

#[derive(Clone, Copy, PartialEq, Eq)]
enum ResourceNames {
    Container,
    Pod,
}

const STANDARD_RESOURCES: [&str; 20] = [
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "storage",
    "requests.storage",
    "services.nodeports",
    "services.loadbalancers",
];

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// `helper.IsNativeResource`: unprefixed or `kubernetes.io/` prefixed.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

fn is_extended(name: &str) -> bool {
    if is_native(name) || name.starts_with("requests.") {
        return false;
    }
    is_label_key(&format!("requests.{name}")).is_empty()
}

/// Requests may exceed... nothing: these must equal their limits.
fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !is_hugepages(name)
}

/// `helper.IsIntegerResourceName`.
fn is_integer_resource(name: &str) -> bool {
    matches!(
        name,
        "pods"
            | "resourcequotas"
            | "services"
            | "replicationcontrollers"
            | "secrets"
            | "configmaps"
            | "persistentvolumeclaims"
            | "services.nodeports"
            | "services.loadbalancers"
    ) || is_extended(name)
}

/// `validateResourceName`.
fn resource_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    let errs = qualified_name(name, path);
    if !errs.is_empty() {
        return errs;
    }
    if !name.contains('/')
        && !STANDARD_RESOURCES.contains(&name)
        && !name.starts_with("hugepages-")
        && !name.starts_with("requests.hugepages-")
    {
        return vec![FieldError::invalid(
            path,
            name,
            "must be a standard resource type or fully qualified",
        )];
    }
    Vec::new()
}

/// `validateContainerResourceName`.
fn container_resource_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = resource_name(name, path);
    if !name.contains('/') {
        if !matches!(name, "cpu" | "memory" | "ephemeral-storage") && !is_hugepages(name) {
            errs.push(FieldError::invalid(
                path,
                name,
                "must be a standard resource for containers",
            ));
        }
    } else if !is_native(name) && !is_extended(name) {
        errs.push(FieldError::invalid(
            path,
            name,
            "doesn't follow extended resource name standard",
        ));
    }
    errs
}

/// `validatePodResourceName`: pod-level resources cover cpu and memory
/// (and hugepages).
fn pod_resource_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    let errs = resource_name(name, path);
    if !errs.is_empty() {
        return errs;
    }
    if !matches!(name, "cpu" | "memory") && !is_hugepages(name) {
        return vec![FieldError::not_supported(path, name, &["cpu", "memory"])];
    }
    Vec::new()
}

/// `ValidateResourceQuantityValue`.
fn quantity_value(name: &str, q: &qty::Qty, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if q.is_negative() {
        errs.push(FieldError::invalid(path, q.to_string(), NEGATIVE_MSG));
    }
    if is_integer_resource(name) && !q.is_integer() {
        errs.push(FieldError::invalid(
            path,
            super::super::field::BadValue::Raw(q.to_string()),
            "must be an integer",
        ));
    }
    errs
}

/// The page size a `hugepages-<size>` name declares.
fn hugepage_size(name: &str) -> Option<qty::Qty> {
    qty::parse(name.strip_prefix("hugepages-")?)
}

fn hugepage_value(name: &str, q: &qty::Qty) -> Option<String> {
    let size = hugepage_size(name)?;
    let (page, value) = (size.value_ceil()?, q.value_ceil()?);
    let divisible = page > 0 && size.is_integer() && value % page == 0;
    (!divisible).then(|| format!("{q} is not positive integer multiple of {name}"))
}

fn parsed(list: Option<&BTreeMap<String, Quantity>>) -> Vec<(&str, qty::Qty)> {
    list.into_iter()
        .flatten()
        .filter_map(|(k, v)| qty::parse(&v.0).map(|q| (k.as_str(), q)))
        .collect()
}

/// `validateResourceRequirements`.
fn resource_requirements(
    r: &api::ResourceRequirements,
    path: &FieldPath,
    names: ResourceNames,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let lim_path = path.field("limits");
    let req_path = path.field("requests");
    let name_fn = |n: &str, p: &FieldPath| match names {
        ResourceNames::Container => container_resource_name(n, p),
        ResourceNames::Pod => pod_resource_name(n, p),
    };
    let limits = parsed(r.limits.as_ref());
    let requests = parsed(r.requests.as_ref());
    let (mut lim_cpu_mem, mut req_cpu_mem, mut huge) = (false, false, false);
    for (name, q) in &limits {
        let p = lim_path.key(name);
        errs.extend(name_fn(name, &p));
        errs.extend(quantity_value(name, q, &p));
        if is_hugepages(name) {
            huge = true;
            if let Some(m) = hugepage_value(name, q) {
                errs.push(FieldError::invalid(&p, q.to_string(), m));
            }
        }
        lim_cpu_mem |= matches!(*name, "cpu" | "memory");
    }
    for (name, q) in &requests {
        let p = req_path.key(name);
        errs.extend(name_fn(name, &p));
        errs.extend(quantity_value(name, q, &p));
        match limits.iter().find(|(n, _)| n == name) {
            Some((_, lim)) => {
                let ord = q.cmp_qty(lim);
                if ord != std::cmp::Ordering::Equal && !overcommit_allowed(name) {
                    errs.push(
                        FieldError::invalid(
                            &req_path,
                            q.to_string(),
                            format!("must be equal to {name} limit of {lim}"),
                        )
                        .pointing_at(p.clone()),
                    );
                } else if ord == std::cmp::Ordering::Greater {
                    errs.push(
                        FieldError::invalid(
                            &req_path,
                            q.to_string(),
                            format!("must be less than or equal to {name} limit of {lim}"),
                        )
                        .pointing_at(p.clone()),
                    );
                }
            }
            None if !overcommit_allowed(name) => errs.push(
                FieldError::required(
                    &lim_path,
                    "Limit must be set for non overcommitable resources",
                )
                .pointing_at(p.clone()),
            ),
            None => {}
        }
        if is_hugepages(name) {
            huge = true;
            if let Some(m) = hugepage_value(name, q) {
                errs.push(FieldError::invalid(&p, q.to_string(), m));
            }
        }
        req_cpu_mem |= matches!(*name, "cpu" | "memory");
    }
    if !lim_cpu_mem && !req_cpu_mem && huge {
        errs.push(FieldError::forbidden(
            path,
            "HugePages require cpu or memory",
        ));
    }
    errs
}

/// `validatePodResources` (pod-level `spec.resources`, on by default
/// since 1.34).
fn validate_pod_resources(
    r: &api::ResourceRequirements,
    spec: &api::PodSpec,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if r.claims.is_some() {
        errs.push(FieldError::forbidden(
            &path.field("claims"),
            "claims cannot be set for Resources at pod-level",
        ));
    }
    errs.extend(resource_requirements(r, path, ResourceNames::Pod));
    // Pod-level requests must cover the containers' requests. A request the
    // pod leaves out is defaulted by the server, so only explicit ones are
    // compared.
    let pod_req = parsed(r.requests.as_ref());
    let pod_lim = parsed(r.limits.as_ref());
    for (name, pq) in &pod_req {
        let Some(total) = aggregate_requests(spec, name) else {
            continue;
        };
        if total.cmp_qty(pq) == std::cmp::Ordering::Greater {
            errs.push(FieldError::invalid(
                &path.field("requests").key(name),
                pq.to_string(),
                format!("must be greater than or equal to aggregate container requests of {total}"),
            ));
        }
    }
    for (i, c) in spec.containers.iter().enumerate() {
        for (name, cl) in parsed(c.resources.as_ref().and_then(|r| r.limits.as_ref())) {
            let Some((_, pl)) = pod_lim.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            if cl.cmp_qty(pl) == std::cmp::Ordering::Greater {
                errs.push(
                    FieldError::invalid(
                        &path.field("containers").index(i).key(name).field("limits"),
                        cl.to_string(),
                        format!("must be less than or equal to pod limits of {pl}"),
                    )
                    .pointing_at(
                        FieldPath::root()
                            .field("spec")
                            .field("containers")
                            .index(i)
                            .field("resources")
                            .field("limits")
                            .key(name),
                    ),
                );
            }
        }
    }
    errs
}

/// `AggregateContainerRequests` for one resource: the regular containers
/// and sidecars added up, or the largest init container's request if
/// that is more. Pods default a missing request to the limit. None when no
/// container requests it.
fn aggregate_requests(spec: &api::PodSpec, name: &str) -> Option<qty::Qty> {
    let request = |c: &api::Container| {
        let r = c.resources.as_ref()?;
        let q = r
            .requests
            .as_ref()
            .and_then(|m| m.get(name))
            .or_else(|| r.limits.as_ref().and_then(|m| m.get(name)))?;
        qty::parse(&q.0)
    };
    let add = |acc: Option<qty::Qty>, q: Option<qty::Qty>| match (acc, q) {
        (Some(a), Some(q)) => a.add(&q).or(Some(a)),
        (a, q) => a.or(q),
    };
    let sidecar = |c: &api::Container| c.restart_policy.as_deref() == Some("Always");
    let mut total: Option<qty::Qty> = None;
    for c in spec.containers.iter() {
        total = add(total, request(c));
    }
    let mut sidecars: Option<qty::Qty> = None;
    for c in spec.init_containers.iter().flatten() {
        if sidecar(c) {
            sidecars = add(sidecars, request(c));
            total = add(total, request(c));
        } else if let Some(q) = add(sidecars.clone(), request(c))
            && total
                .as_ref()
                .is_none_or(|t| q.cmp_qty(t) == std::cmp::Ordering::Greater)
        {
            total = Some(q);
        }
    }
    total
}

// --------------------------------------------------- security context ---

const MAX_ID: i64 = i32::MAX as i64;

fn id_range(v: i64, path: &FieldPath) -> Option<FieldError> {
    (!(0..=MAX_ID).contains(&v)).then(|| FieldError::invalid(path, v, in_range_msg(0, MAX_ID)))
}

/// `ValidateSecurityContext` (a container's).
fn security_context(
    sc: &api::SecurityContext,
    path: &FieldPath,
    host_users: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(u) = sc.run_as_user {
        errs.extend(id_range(u, &path.field("runAsUser")));
    }
    if let Some(g) = sc.run_as_group {
        errs.extend(id_range(g, &path.field("runAsGroup")));
    }
    if let Some(pm) = &sc.proc_mount {
        if pm != "Default" && pm != "Unmasked" {
            errs.push(FieldError::not_supported(
                &path.field("procMount"),
                pm.as_str(),
                &["Default", "Unmasked"],
            ));
        }
        if host_users && pm == "Unmasked" {
            errs.push(FieldError::invalid(
                &path.field("procMount"),
                pm.as_str(),
                "`hostUsers` must be false to use `Unmasked`",
            ));
        }
    }
    if let Some(sp) = &sc.seccomp_profile {
        errs.extend(seccomp_profile(sp, &path.field("seccompProfile")));
    }
    if sc.allow_privilege_escalation == Some(false) {
        let value = super::super::field::BadValue::Raw(security_context_go(sc));
        if sc.privileged == Some(true) {
            errs.push(
                FieldError::invalid(
                    path,
                    value.clone(),
                    "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                )
                .pointing_at(path.field("privileged")),
            );
        }
        for (i, cap) in sc
            .capabilities
            .iter()
            .flat_map(|c| c.add.iter().flatten())
            .enumerate()
        {
            if cap == "CAP_SYS_ADMIN" {
                errs.push(
                    FieldError::invalid(
                        path,
                        value.clone(),
                        "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                    )
                    .pointing_at(path.field("capabilities").field("add").index(i)),
                );
            }
        }
    }
    if let Some(a) = &sc.app_armor_profile {
        errs.extend(app_armor(a, &path.field("appArmorProfile")));
    }
    errs
}

/// `%#v` of the internal `core.SecurityContext` upstream prints.
fn security_context_go(sc: &api::SecurityContext) -> String {
    format!(
        "core.SecurityContext{{Capabilities:{}, Privileged:{}, SELinuxOptions:{}, WindowsOptions:{}, RunAsUser:{}, RunAsGroup:{}, RunAsNonRoot:{}, ReadOnlyRootFilesystem:{}, AllowPrivilegeEscalation:{}, ProcMount:{}, SeccompProfile:{}, AppArmorProfile:{}}}",
        gofmt::ptr("*core.Capabilities", sc.capabilities.as_ref()),
        gofmt::ptr("*bool", sc.privileged.as_ref()),
        gofmt::ptr("*core.SELinuxOptions", sc.se_linux_options.as_ref()),
        gofmt::ptr(
            "*core.WindowsSecurityContextOptions",
            sc.windows_options.as_ref()
        ),
        gofmt::ptr("*int64", sc.run_as_user.as_ref()),
        gofmt::ptr("*int64", sc.run_as_group.as_ref()),
        gofmt::ptr("*bool", sc.run_as_non_root.as_ref()),
        gofmt::ptr("*bool", sc.read_only_root_filesystem.as_ref()),
        gofmt::ptr("*bool", sc.allow_privilege_escalation.as_ref()),
        gofmt::ptr("*core.ProcMountType", sc.proc_mount.as_ref()),
        gofmt::ptr("*core.SeccompProfile", sc.seccomp_profile.as_ref()),
        gofmt::ptr("*core.AppArmorProfile", sc.app_armor_profile.as_ref()),
    )
}

fn seccomp_profile(sp: &api::SeccompProfile, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match sp.type_.as_str() {
        "Localhost" | "RuntimeDefault" | "Unconfined" => {}
        "" => errs.push(FieldError::required(
            &path.field("type"),
            "type is required when seccompProfile is set",
        )),
        t => errs.push(FieldError::not_supported(
            &path.field("type"),
            t,
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
    if sp.type_ == "Localhost" {
        match &sp.localhost_profile {
            None => errs.push(FieldError::required(
                &path.field("localhostProfile"),
                "must be set when seccomp type is Localhost",
            )),
            Some(p) => errs.extend(local_descending_path(p, &path.field("localhostProfile"))),
        }
    } else if sp.localhost_profile.is_some() {
        errs.push(FieldError::invalid(
            &path.field("localhostProfile"),
            super::super::field::BadValue::Raw(format!(
                "core.SeccompProfile{{Type:{}, LocalhostProfile:(*string)(0x…)}}",
                super::super::field::go_quote(&sp.type_)
            )),
            "can only be set when seccomp type is Localhost",
        ));
    }
    errs
}

fn app_armor(a: &api::AppArmorProfile, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let lp = path.field("localhostProfile");
    match a.type_.as_str() {
        "Localhost" => match &a.localhost_profile {
            None => errs.push(FieldError::required(
                &lp,
                "must be set when AppArmor type is Localhost",
            )),
            Some(p) => {
                if p.trim() != p {
                    errs.push(FieldError::invalid(
                        &lp,
                        p.as_str(),
                        "must not be padded with whitespace",
                    ));
                } else if p.is_empty() {
                    errs.push(FieldError::required(
                        &lp,
                        "must be set when AppArmor type is Localhost",
                    ));
                }
                if p.len() > 4095 {
                    errs.push(FieldError::too_long(&lp, 4095));
                }
            }
        },
        "RuntimeDefault" | "Unconfined" => {
            if let Some(p) = &a.localhost_profile {
                errs.push(FieldError::invalid(
                    &lp,
                    p.as_str(),
                    "can only be set when AppArmor type is Localhost",
                ));
            }
        }
        "" => errs.push(FieldError::required(
            &path.field("type"),
            "type is required when appArmorProfile is set",
        )),
        t => errs.push(FieldError::not_supported(
            &path.field("type"),
            t,
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
    errs
}

/// `validatePodSpecSecurityContext`.
fn pod_security_context(spec: &api::PodSpec, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(sc) = &spec.security_context else {
        return errs;
    };
    if let Some(g) = sc.fs_group {
        errs.extend(id_range(g, &path.field("fsGroup")));
    }
    if let Some(u) = sc.run_as_user {
        errs.extend(id_range(u, &path.field("runAsUser")));
    }
    if let Some(g) = sc.run_as_group {
        errs.extend(id_range(g, &path.field("runAsGroup")));
    }
    for (i, g) in sc.supplemental_groups.iter().flatten().enumerate() {
        errs.extend(id_range(*g, &path.field("supplementalGroups").index(i)));
    }
    if spec.share_process_namespace == Some(true) && spec.host_pid == Some(true) {
        errs.push(
            FieldError::invalid(
                &path.field("shareProcessNamespace"),
                super::super::field::BadValue::Raw("true".into()),
                "ShareProcessNamespace and HostPID cannot both be enabled",
            )
            .pointing_at(
                FieldPath(path.0[..path.0.len() - 1].to_vec()).field("shareProcessNamespace"),
            ),
        );
    }
    errs.extend(sysctls(sc, spec, &path.field("sysctls")));
    if let Some(p) = &sc.fs_group_change_policy {
        errs.extend(enum_check(
            Some(p.as_str()),
            &path.field("fsGroupChangePolicy"),
            &["Always", "OnRootMismatch"],
        ));
    }
    if let Some(sp) = &sc.seccomp_profile {
        errs.extend(seccomp_profile(sp, &path.field("seccompProfile")));
    }
    if let Some(a) = &sc.app_armor_profile {
        errs.extend(app_armor(a, &path.field("appArmorProfile")));
    }
    if let Some(p) = &sc.supplemental_groups_policy {
        errs.extend(required_enum(
            p,
            &path.field("supplementalGroupsPolicy"),
            &["Merge", "Strict"],
        ));
    }
    if let Some(p) = &sc.se_linux_change_policy {
        errs.extend(enum_check(
            Some(p.as_str()),
            &path.field("seLinuxChangePolicy"),
            &["MountOption", "Recursive"],
        ));
    }
    errs
}

const SYSCTL_RE: &str = "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";

fn is_sysctl_segment(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_')
}

fn is_sysctl_name(name: &str) -> bool {
    name.len() <= 253 && name.split(['.', '/']).all(is_sysctl_segment)
}

fn sysctls(sc: &api::PodSecurityContext, spec: &api::PodSpec, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names = HashSet::new();
    for (i, s) in sc.sysctls.iter().flatten().enumerate() {
        let p = path.index(i).field("name");
        if s.name.is_empty() {
            errs.push(FieldError::required(&p, ""));
        } else if !is_sysctl_name(&s.name) {
            errs.push(FieldError::invalid(
                &p,
                s.name.as_str(),
                format!("must have at most 253 characters and match regex {SYSCTL_RE}"),
            ));
        } else if names.contains(s.name.as_str()) {
            errs.push(FieldError::duplicate(&p, s.name.as_str()));
        }
        // The namespace a sysctl belongs to (utilsysctl.GetNamespace).
        let n = s.name.replace('/', ".");
        let ipc = n.starts_with("kernel.shm")
            || n.starts_with("kernel.msg")
            || n == "kernel.sem"
            || n.starts_with("fs.mqueue.");
        let net = n.starts_with("net.");
        if spec.host_network == Some(true) && net {
            errs.push(FieldError::invalid(
                &p,
                s.name.as_str(),
                "may not be specified when 'hostNetwork' is true",
            ));
        } else if spec.host_ipc == Some(true) && ipc {
            errs.push(FieldError::invalid(
                &p,
                s.name.as_str(),
                "may not be specified when 'hostIPC' is true",
            ));
        }
        names.insert(s.name.as_str());
    }
    errs
}

// ------------------------------------------------- scheduling and DNS ---

fn validate_affinity(a: &api::Affinity, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(na) = &a.node_affinity {
        let p = path.field("nodeAffinity");
        if let Some(req) = &na.required_during_scheduling_ignored_during_execution {
            errs.extend(node_selector(
                req,
                &p.field("requiredDuringSchedulingIgnoredDuringExecution"),
            ));
        }
        for (i, t) in na
            .preferred_during_scheduling_ignored_during_execution
            .iter()
            .flatten()
            .enumerate()
        {
            let tp = p
                .field("preferredDuringSchedulingIgnoredDuringExecution")
                .index(i);
            if t.weight <= 0 || t.weight > 100 {
                errs.push(FieldError::invalid(
                    &tp.field("weight"),
                    t.weight,
                    "must be in the range 1-100",
                ));
            }
            // Preferred terms may hold label values that are not valid.
            errs.extend(node_selector_term(
                &t.preference,
                &tp.field("preference"),
                false,
            ));
        }
    }
    for (pa, name) in [
        (
            a.pod_affinity.as_ref().map(|x| {
                (
                    &x.required_during_scheduling_ignored_during_execution,
                    &x.preferred_during_scheduling_ignored_during_execution,
                )
            }),
            "podAffinity",
        ),
        (
            a.pod_anti_affinity.as_ref().map(|x| {
                (
                    &x.required_during_scheduling_ignored_during_execution,
                    &x.preferred_during_scheduling_ignored_during_execution,
                )
            }),
            "podAntiAffinity",
        ),
    ] {
        let Some((req, pref)) = pa else { continue };
        let p = path.field(name);
        for (i, t) in req.iter().flatten().enumerate() {
            errs.extend(pod_affinity_term(
                t,
                &p.field("requiredDuringSchedulingIgnoredDuringExecution")
                    .index(i),
            ));
        }
        for (i, w) in pref.iter().flatten().enumerate() {
            let wp = p
                .field("preferredDuringSchedulingIgnoredDuringExecution")
                .index(i);
            if w.weight <= 0 || w.weight > 100 {
                errs.push(FieldError::invalid(
                    &wp.field("weight"),
                    w.weight,
                    "must be in the range 1-100",
                ));
            }
            errs.extend(pod_affinity_term(
                &w.pod_affinity_term,
                &wp.field("podAffinityTerm"),
            ));
        }
    }
    errs
}

fn node_selector(ns: &api::NodeSelector, path: &FieldPath) -> Vec<FieldError> {
    let tp = path.field("nodeSelectorTerms");
    if ns.node_selector_terms.is_empty() {
        return vec![FieldError::required(
            &tp,
            "must have at least one node selector term",
        )];
    }
    ns.node_selector_terms
        .iter()
        .enumerate()
        .flat_map(|(i, t)| node_selector_term(t, &tp.index(i), true))
        .collect()
}

fn node_selector_term(
    t: &api::NodeSelectorTerm,
    path: &FieldPath,
    check_values: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (j, r) in t.match_expressions.iter().flatten().enumerate() {
        let rp = path.field("matchExpressions").index(j);
        let values = r.values.as_deref().unwrap_or_default();
        match r.operator.as_str() {
            "In" | "NotIn" if values.is_empty() => errs.push(FieldError::required(
                &rp.field("values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if !values.is_empty() => errs.push(FieldError::forbidden(
                &rp.field("values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "Gt" | "Lt" if values.len() != 1 => errs.push(FieldError::required(
                &rp.field("values"),
                "must be specified single value when `operator` is 'Lt' or 'Gt'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" => {}
            op => errs.push(FieldError::invalid(
                &rp.field("operator"),
                op,
                "not a valid selector operator",
            )),
        }
        errs.extend(labelsel::validate_label_name(&r.key, &rp.field("key")));
        if check_values {
            for (k, v) in values.iter().enumerate() {
                for m in is_label_value(v) {
                    errs.push(FieldError::invalid(
                        &rp.field("values").index(k),
                        v.as_str(),
                        m,
                    ));
                }
            }
        }
    }
    for (j, r) in t.match_fields.iter().flatten().enumerate() {
        let rp = path.field("matchFields").index(j);
        let values = r.values.as_deref().unwrap_or_default();
        match r.operator.as_str() {
            "In" | "NotIn" => {
                if values.len() != 1 {
                    errs.push(FieldError::required(
                        &rp.field("values"),
                        "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                    ));
                }
            }
            op => errs.push(FieldError::invalid(
                &rp.field("operator"),
                op,
                "not a valid selector operator",
            )),
        }
        if r.key != "metadata.name" {
            errs.push(FieldError::invalid(
                &rp.field("key"),
                r.key.as_str(),
                "not a valid field selector key",
            ));
        } else {
            for (k, v) in values.iter().enumerate() {
                for m in subdomain_name_msgs(v, false) {
                    errs.push(FieldError::invalid(
                        &rp.field("values").index(k),
                        v.as_str(),
                        m,
                    ));
                }
            }
        }
    }
    errs
}

fn pod_affinity_term(t: &api::PodAffinityTerm, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = labelsel::validate(t.label_selector.as_ref(), &path.field("labelSelector"));
    errs.extend(labelsel::validate(
        t.namespace_selector.as_ref(),
        &path.field("namespaceSelector"),
    ));
    for (i, ns) in t.namespaces.iter().flatten().enumerate() {
        for m in is_dns1123_label(ns) {
            errs.push(
                FieldError::invalid(&path.field("namespace"), ns.as_str(), m)
                    .pointing_at(path.field("namespaces").index(i)),
            );
        }
    }
    errs.extend(match_label_keys(
        path,
        t.match_label_keys.as_deref().unwrap_or_default(),
        t.mismatch_label_keys.as_deref().unwrap_or_default(),
        t.label_selector.as_ref(),
    ));
    if t.topology_key.is_empty() {
        errs.push(FieldError::required(
            &path.field("topologyKey"),
            "can not be empty",
        ));
    }
    errs.extend(labelsel::validate_label_name(
        &t.topology_key,
        &path.field("topologyKey"),
    ));
    errs
}

/// `validateMatchLabelKeysAndMismatchLabelKeys`.
fn match_label_keys(
    path: &FieldPath,
    matching: &[String],
    mismatching: &[String],
    sel: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (keys, f) in [
        (matching, "matchLabelKeys"),
        (mismatching, "mismatchLabelKeys"),
    ] {
        if keys.is_empty() {
            continue;
        }
        if sel.is_none() {
            errs.push(FieldError::forbidden(
                &path.field(f),
                "must not be specified when labelSelector is not set",
            ));
            continue;
        }
        for (i, k) in keys.iter().enumerate() {
            errs.extend(labelsel::validate_label_name(k, &path.field(f).index(i)));
        }
    }
    if let Some(sel) = sel {
        let mut seen: HashSet<&str> = sel
            .match_labels
            .iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .collect();
        for e in sel.match_expressions.iter().flatten() {
            if let Some(i) = matching.iter().position(|k| *k == e.key)
                && seen.contains(e.key.as_str())
            {
                // Upstream indexes the term's path itself here.
                errs.push(FieldError::invalid(
                    &path.index(i),
                    e.key.as_str(),
                    "exists in both matchLabelKeys and labelSelector",
                ));
            }
            seen.insert(e.key.as_str());
        }
    }
    for (i, k) in matching.iter().enumerate() {
        if mismatching.contains(k) {
            errs.push(FieldError::invalid(
                &path.field("matchLabelKeys").index(i),
                k.as_str(),
                "exists in both matchLabelKeys and mismatchLabelKeys",
            ));
        }
    }
    errs
}

fn topology_spread(c: &[api::TopologySpreadConstraint], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, t) in c.iter().enumerate() {
        let p = path.index(i);
        if t.max_skew <= 0 {
            errs.push(FieldError::invalid(
                &p.field("maxSkew"),
                t.max_skew,
                NOT_POSITIVE_MSG,
            ));
        }
        if t.topology_key.is_empty() {
            errs.push(FieldError::required(
                &p.field("topologyKey"),
                "can not be empty",
            ));
        }
        const ACTIONS: [&str; 2] = ["DoNotSchedule", "ScheduleAnyway"];
        if !ACTIONS.contains(&t.when_unsatisfiable.as_str()) {
            errs.push(FieldError::not_supported(
                &p.field("whenUnsatisfiable"),
                t.when_unsatisfiable.as_str(),
                &ACTIONS,
            ));
        }
        if c[i + 1..].iter().any(|o| {
            o.topology_key == t.topology_key && o.when_unsatisfiable == t.when_unsatisfiable
        }) {
            errs.push(
                FieldError::duplicate(
                    &p.field("{topologyKey, whenUnsatisfiable}"),
                    format!("{{{}, {}}}", t.topology_key, t.when_unsatisfiable),
                )
                .pointing_at(p.field("topologyKey")),
            );
        }
        if let Some(m) = t.min_domains {
            if m <= 0 {
                errs.push(FieldError::invalid(
                    &p.field("minDomains"),
                    m,
                    NOT_POSITIVE_MSG,
                ));
            }
            if t.when_unsatisfiable != "DoNotSchedule" {
                errs.push(FieldError::invalid(
                    &p.field("minDomains"),
                    m,
                    format!(
                        "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {}",
                        t.when_unsatisfiable
                    ),
                ));
            }
        }
        for (v, f) in [
            (&t.node_affinity_policy, "nodeAffinityPolicy"),
            (&t.node_taints_policy, "nodeTaintsPolicy"),
        ] {
            if let Some(v) = v {
                errs.extend(enum_check(
                    Some(v.as_str()),
                    &p.field(f),
                    &["Honor", "Ignore"],
                ));
            }
        }
        let keys = t.match_label_keys.as_deref().unwrap_or_default();
        if !keys.is_empty() {
            let kp = p.field("matchLabelKeys");
            let sel = t.label_selector.as_ref();
            let mut in_sel: HashSet<&str> = HashSet::new();
            match sel {
                Some(s) => {
                    in_sel.extend(s.match_labels.iter().flatten().map(|(k, _)| k.as_str()));
                    in_sel.extend(s.match_expressions.iter().flatten().map(|e| e.key.as_str()));
                }
                None => errs.push(FieldError::forbidden(
                    &kp,
                    "must not be specified when labelSelector is not set",
                )),
            }
            for (j, k) in keys.iter().enumerate() {
                errs.extend(labelsel::validate_label_name(k, &kp.index(j)));
                if in_sel.contains(k.as_str()) {
                    errs.push(FieldError::invalid(
                        &kp.index(j),
                        k.as_str(),
                        "exists in both matchLabelKeys and labelSelector",
                    ));
                }
            }
        }
        errs.extend(labelsel::validate(
            t.label_selector.as_ref(),
            &p.field("labelSelector"),
        ));
    }
    errs
}

fn validate_dns_config(spec: &api::PodSpec, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let cfg = spec.dns_config.as_ref();
    if set(&spec.dns_policy) == Some("None") {
        match cfg {
            None => {
                return vec![FieldError::required(
                    path,
                    "must provide `dnsConfig` when `dnsPolicy` is None",
                )];
            }
            Some(c) if c.nameservers.as_ref().is_none_or(|n| n.is_empty()) => {
                return vec![FieldError::required(
                    &path.field("nameservers"),
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                )];
            }
            _ => {}
        }
    }
    let Some(c) = cfg else { return errs };
    let ns = c.nameservers.as_deref().unwrap_or_default();
    if ns.len() > 3 {
        errs.push(FieldError::invalid(
            &path.field("nameservers"),
            super::super::field::BadValue::Raw(go_string_slice(ns)),
            "must not have more than 3 nameservers",
        ));
    }
    for (i, n) in ns.iter().enumerate() {
        errs.extend(validate_ip(n, &path.field("nameservers").index(i)));
    }
    let searches = c.searches.as_deref().unwrap_or_default();
    if searches.len() > 32 {
        errs.push(FieldError::invalid(
            &path.field("searches"),
            super::super::field::BadValue::Raw(go_string_slice(searches)),
            "must not have more than 32 search paths",
        ));
    }
    if searches.join(" ").len() > 2048 {
        errs.push(FieldError::invalid(
            &path.field("searches"),
            super::super::field::BadValue::Raw(go_string_slice(searches)),
            "must not have more than 2048 characters (including spaces) in the search list",
        ));
    }
    for (i, s) in searches.iter().enumerate() {
        // RelaxedDNSSearchValidation (GA): underscores and a lone "." are fine.
        if s == "." {
            continue;
        }
        let s = s.strip_suffix('.').unwrap_or(s);
        for m in dns_subdomain_with_underscore(s) {
            errs.push(FieldError::invalid(&path.field("searches").index(i), s, m));
        }
    }
    for (i, o) in c.options.iter().flatten().enumerate() {
        if o.name.as_deref().unwrap_or_default().is_empty() {
            errs.push(FieldError::required(
                &path.field("options").index(i),
                "must not be empty",
            ));
        }
    }
    errs
}

fn go_string_slice(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| super::super::field::go_quote(s)).collect();
    format!("[]string{{{}}}", items.join(", "))
}

/// `IsDNS1123SubdomainWithUnderscore`.
fn dns_subdomain_with_underscore(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(super::super::field::max_len_error(253));
    }
    let label_ok = |l: &str| {
        let l = l.strip_prefix('_').unwrap_or(l);
        let b = l.as_bytes();
        !b.is_empty()
            && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
            && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_')
    };
    if !s.split('.').all(label_ok) {
        errs.push(super::super::field::regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character",
            "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*",
            &["example.com"],
        ));
    }
    errs
}

#[allow(dead_code)]
fn is_required(e: &FieldError) -> bool {
    e.kind == ErrorType::Required
}

#[cfg(test)]
mod tests;
