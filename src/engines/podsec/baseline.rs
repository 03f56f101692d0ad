//! The baseline checks, one function per upstream check version
//! (upstream: policy/check_*.go at v0.36.2). Each returns `None` when the
//! pod is allowed, else upstream's forbidden reason and detail.

use super::Forbidden;
use super::subject::Subject;
use super::text::{go_quote, join_quote, pluralize};
use std::collections::BTreeSet;

/// `container "a"` / `containers "a", "b"`.
pub(super) fn containers_phrase<S: AsRef<str>>(names: &[S]) -> String {
    format!(
        "{} {}",
        pluralize("container", "containers", names.len()),
        join_quote(names)
    )
}

const APPARMOR_ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// appArmorProfile 1.0: profile types other than RuntimeDefault and
/// Localhost, and AppArmor annotations other than runtime/default and
/// localhost/*.
pub fn app_armor_profile(s: &Subject) -> Option<Forbidden> {
    let allowed_type = |t: &str| t == "RuntimeDefault" || t == "Localhost";
    let mut bad_setters: Vec<String> = Vec::new();
    let mut bad_values: BTreeSet<String> = BTreeSet::new();
    if let Some(p) = s
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.app_armor_profile.as_ref())
        && !allowed_type(&p.type_)
    {
        bad_setters.push("pod".into());
        bad_values.insert(p.type_.clone());
    }
    let mut bad_containers: Vec<&str> = Vec::new();
    for c in s.containers() {
        if let Some(p) = c
            .security_context
            .and_then(|sc| sc.app_armor_profile.as_ref())
            && !allowed_type(&p.type_)
        {
            bad_containers.push(c.name);
            bad_values.insert(p.type_.clone());
        }
    }
    if !bad_containers.is_empty() {
        bad_setters.push(containers_phrase(&bad_containers));
    }
    let mut forbidden_annotations: Vec<String> = s
        .meta
        .annotations
        .iter()
        .flatten()
        .filter(|(k, v)| {
            k.starts_with(APPARMOR_ANNOTATION_PREFIX)
                && !(v.is_empty() || *v == "runtime/default" || v.starts_with("localhost/"))
        })
        .map(|(k, v)| format!("{k}={}", go_quote(v)))
        .collect();
    let mut bad_value_list: Vec<String> = bad_values.into_iter().collect();
    if !forbidden_annotations.is_empty() {
        forbidden_annotations.sort();
        let n = forbidden_annotations.len();
        bad_value_list.extend(forbidden_annotations);
        bad_setters.push(pluralize("annotation", "annotations", n).into());
    }
    if bad_setters.is_empty() {
        return None;
    }
    Some(Forbidden::new(
        pluralize(
            "forbidden AppArmor profile",
            "forbidden AppArmor profiles",
            bad_value_list.len(),
        ),
        format!(
            "{} must not set AppArmor profile type to {}",
            bad_setters.join(" and "),
            join_quote(&bad_value_list)
        ),
    ))
}

/// The capabilities a container runtime grants by default.
const DEFAULT_CAPABILITIES: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// capabilities_baseline 1.0: only the default set may be added.
pub fn capabilities_baseline(s: &Subject) -> Option<Forbidden> {
    let mut bad_containers: Vec<&str> = Vec::new();
    let mut non_default: BTreeSet<&str> = BTreeSet::new();
    for c in s.containers() {
        let Some(caps) = c.security_context.and_then(|sc| sc.capabilities.as_ref()) else {
            continue;
        };
        let mut valid = true;
        for cap in caps.add.iter().flatten() {
            if !DEFAULT_CAPABILITIES.contains(&cap.as_str()) {
                valid = false;
                non_default.insert(cap);
            }
        }
        if !valid {
            bad_containers.push(c.name);
        }
    }
    if bad_containers.is_empty() {
        return None;
    }
    let caps: Vec<&str> = non_default.into_iter().collect();
    Some(Forbidden::new(
        "non-default capabilities",
        format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers_phrase(&bad_containers),
            join_quote(&caps)
        ),
    ))
}

/// hostNamespaces 1.0: hostNetwork, hostPID, hostIPC.
pub fn host_namespaces(s: &Subject) -> Option<Forbidden> {
    let mut found = Vec::new();
    if s.spec.host_network == Some(true) {
        found.push("hostNetwork=true");
    }
    if s.spec.host_pid == Some(true) {
        found.push("hostPID=true");
    }
    if s.spec.host_ipc == Some(true) {
        found.push("hostIPC=true");
    }
    if found.is_empty() {
        return None;
    }
    Some(Forbidden::new("host namespaces", found.join(", ")))
}

/// hostPathVolumes 1.0.
pub fn host_path_volumes(s: &Subject) -> Option<Forbidden> {
    let names: Vec<&str> = s
        .spec
        .volumes
        .iter()
        .flatten()
        .filter(|v| v.host_path.is_some())
        .map(|v| v.name.as_str())
        .collect();
    if names.is_empty() {
        return None;
    }
    Some(Forbidden::new(
        "hostPath volumes",
        format!(
            "{} {}",
            pluralize("volume", "volumes", names.len()),
            join_quote(&names)
        ),
    ))
}

/// hostPorts 1.0: any non-zero hostPort (after defaulting).
pub fn host_ports(s: &Subject) -> Option<Forbidden> {
    let mut bad_containers: Vec<&str> = Vec::new();
    let mut ports: BTreeSet<String> = BTreeSet::new();
    for c in s.containers() {
        let mut valid = true;
        for p in c.ports {
            let hp = s.host_port(&c, p);
            if hp != 0 {
                valid = false;
                ports.insert(hp.to_string());
            }
        }
        if !valid {
            bad_containers.push(c.name);
        }
    }
    if bad_containers.is_empty() {
        return None;
    }
    let ports: Vec<String> = ports.into_iter().collect();
    Some(Forbidden::new(
        "hostPort",
        format!(
            "{} {} {} {}",
            containers_phrase(&bad_containers),
            pluralize("uses", "use", bad_containers.len()),
            pluralize("hostPort", "hostPorts", ports.len()),
            ports.join(", ")
        ),
    ))
}

/// hostProbesAndHostLifecycle 1.34: a `host` in an httpGet or tcpSocket
/// probe or lifecycle handler. Containers and hosts are sorted sets.
pub fn host_probes_and_host_lifecycle(s: &Subject) -> Option<Forbidden> {
    let mut bad_containers: BTreeSet<&str> = BTreeSet::new();
    let mut hosts: BTreeSet<&str> = BTreeSet::new();
    for c in s.containers() {
        let mut found: Vec<&str> = Vec::new();
        for probe in [c.liveness_probe, c.readiness_probe, c.startup_probe]
            .into_iter()
            .flatten()
        {
            found.extend(probe.http_get.as_ref().and_then(|h| h.host.as_deref()));
            found.extend(probe.tcp_socket.as_ref().and_then(|t| t.host.as_deref()));
        }
        if let Some(lc) = c.lifecycle {
            for handler in [lc.post_start.as_ref(), lc.pre_stop.as_ref()]
                .into_iter()
                .flatten()
            {
                found.extend(handler.http_get.as_ref().and_then(|h| h.host.as_deref()));
                found.extend(handler.tcp_socket.as_ref().and_then(|t| t.host.as_deref()));
            }
        }
        found.retain(|h| !h.is_empty());
        if !found.is_empty() {
            bad_containers.insert(c.name);
            hosts.extend(found);
        }
    }
    if bad_containers.is_empty() {
        return None;
    }
    let containers: Vec<&str> = bad_containers.into_iter().collect();
    let hosts: Vec<&str> = hosts.into_iter().collect();
    Some(Forbidden::new(
        "probe or lifecycle host",
        format!(
            "{} {} {} {}",
            containers_phrase(&containers),
            pluralize("uses", "use", containers.len()),
            pluralize(
                "probe or lifecycle host",
                "probe or lifecycle hosts",
                hosts.len()
            ),
            join_quote(&hosts)
        ),
    ))
}

/// privileged 1.0.
pub fn privileged(s: &Subject) -> Option<Forbidden> {
    let bad: Vec<&str> = s
        .containers()
        .filter(|c| c.security_context.and_then(|sc| sc.privileged) == Some(true))
        .map(|c| c.name)
        .collect();
    if bad.is_empty() {
        return None;
    }
    Some(Forbidden::new(
        "privileged",
        format!(
            "{} must not set securityContext.privileged=true",
            containers_phrase(&bad)
        ),
    ))
}

/// procMount 1.0 (also procMount_restricted at every version): any
/// procMount other than Default.
pub fn proc_mount_1_0(s: &Subject) -> Option<Forbidden> {
    let mut bad: Vec<&str> = Vec::new();
    let mut types: BTreeSet<&str> = BTreeSet::new();
    for c in s.containers() {
        if let Some(pm) = c.security_context.and_then(|sc| sc.proc_mount.as_deref())
            && pm != "Default"
        {
            bad.push(c.name);
            types.insert(pm);
        }
    }
    if bad.is_empty() {
        return None;
    }
    let types: Vec<&str> = types.into_iter().collect();
    Some(Forbidden::new(
        "procMount",
        format!(
            "{} must not set securityContext.procMount to {}",
            containers_phrase(&bad),
            join_quote(&types)
        ),
    ))
}

/// procMount 1.35: any value is allowed in a user namespace.
pub fn proc_mount_1_35(s: &Subject) -> Option<Forbidden> {
    if s.in_user_namespace() {
        return None;
    }
    proc_mount_1_0(s)
}

const SELINUX_TYPES_1_0: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t"];
const SELINUX_TYPES_1_31: &[&str] = &[
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

pub fn se_linux_options_1_0(s: &Subject) -> Option<Forbidden> {
    se_linux_options(s, SELINUX_TYPES_1_0)
}

pub fn se_linux_options_1_31(s: &Subject) -> Option<Forbidden> {
    se_linux_options(s, SELINUX_TYPES_1_31)
}

fn se_linux_options(s: &Subject, allowed: &[&str]) -> Option<Forbidden> {
    use k8s_openapi::api::core::v1::SELinuxOptions;
    let mut bad_types: BTreeSet<String> = BTreeSet::new();
    let mut set_user = false;
    let mut set_role = false;
    let mut valid = |o: &SELinuxOptions| {
        let mut ok = true;
        let t = o.type_.as_deref().unwrap_or("");
        if !allowed.contains(&t) {
            ok = false;
            bad_types.insert(t.to_string());
        }
        if o.user.as_deref().is_some_and(|u| !u.is_empty()) {
            ok = false;
            set_user = true;
        }
        if o.role.as_deref().is_some_and(|r| !r.is_empty()) {
            ok = false;
            set_role = true;
        }
        ok
    };
    let mut bad_setters: Vec<String> = Vec::new();
    if let Some(o) = s
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.se_linux_options.as_ref())
        && !valid(o)
    {
        bad_setters.push("pod".into());
    }
    let mut bad_containers: Vec<&str> = Vec::new();
    for c in s.containers() {
        if let Some(o) = c
            .security_context
            .and_then(|sc| sc.se_linux_options.as_ref())
            && !valid(o)
        {
            bad_containers.push(c.name);
        }
    }
    if !bad_containers.is_empty() {
        bad_setters.push(containers_phrase(&bad_containers));
    }
    if bad_setters.is_empty() {
        return None;
    }
    let mut bad_data: Vec<String> = Vec::new();
    if !bad_types.is_empty() {
        let types: Vec<String> = bad_types.into_iter().collect();
        bad_data.push(format!(
            "{} {}",
            pluralize("type", "types", types.len()),
            join_quote(&types)
        ));
    }
    if set_user {
        bad_data.push("user may not be set".into());
    }
    if set_role {
        bad_data.push("role may not be set".into());
    }
    Some(Forbidden::new(
        "seLinuxOptions",
        format!(
            "{} set forbidden securityContext.seLinuxOptions: {}",
            bad_setters.join(" and "),
            bad_data.join("; ")
        ),
    ))
}

const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

pub(super) fn valid_seccomp_type(t: &str) -> bool {
    t == "Localhost" || t == "RuntimeDefault"
}

/// seccompProfile_baseline 1.0 (policy versions before 1.19): the alpha
/// seccomp annotations. Later versions ignore them.
pub fn seccomp_profile_baseline_1_0(s: &Subject) -> Option<Forbidden> {
    let valid =
        |v: &str| v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/");
    let annotations = s.meta.annotations.as_ref();
    let mut forbidden: BTreeSet<String> = BTreeSet::new();
    if let Some(v) = annotations.and_then(|a| a.get(SECCOMP_POD_ANNOTATION))
        && !valid(v)
    {
        forbidden.insert(format!("{SECCOMP_POD_ANNOTATION}={}", go_quote(v)));
    }
    for c in s.containers() {
        let key = format!("{SECCOMP_CONTAINER_ANNOTATION_PREFIX}{}", c.name);
        if let Some(v) = annotations.and_then(|a| a.get(&key))
            && !valid(v)
        {
            forbidden.insert(format!("{key}={}", go_quote(v)));
        }
    }
    if forbidden.is_empty() {
        return None;
    }
    let list: Vec<String> = forbidden.into_iter().collect();
    Some(Forbidden::new(
        "seccompProfile",
        format!(
            "forbidden {} {}",
            pluralize("annotation", "annotations", list.len()),
            list.join(", ")
        ),
    ))
}

/// seccompProfile_baseline 1.19: a profile type, where set, must be
/// RuntimeDefault or Localhost.
pub fn seccomp_profile_baseline_1_19(s: &Subject) -> Option<Forbidden> {
    let mut bad_setters: Vec<String> = Vec::new();
    let mut bad_values: BTreeSet<&str> = BTreeSet::new();
    if let Some(p) = s
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.seccomp_profile.as_ref())
        && !valid_seccomp_type(&p.type_)
    {
        bad_setters.push("pod".into());
        bad_values.insert(&p.type_);
    }
    let mut bad_containers: Vec<&str> = Vec::new();
    for c in s.containers() {
        if let Some(p) = c
            .security_context
            .and_then(|sc| sc.seccomp_profile.as_ref())
            && !valid_seccomp_type(&p.type_)
        {
            bad_containers.push(c.name);
            bad_values.insert(&p.type_);
        }
    }
    if !bad_containers.is_empty() {
        bad_setters.push(containers_phrase(&bad_containers));
    }
    if bad_setters.is_empty() {
        return None;
    }
    let values: Vec<&str> = bad_values.into_iter().collect();
    Some(Forbidden::new(
        "seccompProfile",
        format!(
            "{} must not set securityContext.seccompProfile.type to {}",
            bad_setters.join(" and "),
            join_quote(&values)
        ),
    ))
}

const SYSCTLS_1_0: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
];
const SYSCTLS_1_27: &[&str] = &["net.ipv4.ip_local_reserved_ports"];
const SYSCTLS_1_29: &[&str] = &[
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];
const SYSCTLS_1_32: &[&str] = &["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];

/// Whether `name` is a safe sysctl at policy version 1.`minor`. The 1.32
/// set is the newest in v0.36 (what Kubernetes 1.36 vendors); later
/// releases of the library allow more.
pub fn sysctl_allowed(name: &str, minor: u32) -> bool {
    SYSCTLS_1_0.contains(&name)
        || (minor >= 27 && SYSCTLS_1_27.contains(&name))
        || (minor >= 29 && SYSCTLS_1_29.contains(&name))
        || (minor >= 32 && SYSCTLS_1_32.contains(&name))
}

fn sysctls(s: &Subject, minor: u32) -> Option<Forbidden> {
    let forbidden: Vec<&str> = s
        .spec
        .security_context
        .iter()
        .flat_map(|sc| sc.sysctls.iter().flatten())
        .map(|x| x.name.as_str())
        .filter(|n| !sysctl_allowed(n, minor))
        .collect();
    if forbidden.is_empty() {
        return None;
    }
    Some(Forbidden::new("forbidden sysctls", forbidden.join(", ")))
}

pub fn sysctls_1_0(s: &Subject) -> Option<Forbidden> {
    sysctls(s, 0)
}
pub fn sysctls_1_27(s: &Subject) -> Option<Forbidden> {
    sysctls(s, 27)
}
pub fn sysctls_1_29(s: &Subject) -> Option<Forbidden> {
    sysctls(s, 29)
}
pub fn sysctls_1_32(s: &Subject) -> Option<Forbidden> {
    sysctls(s, 32)
}

/// windowsHostProcess 1.0.
pub fn windows_host_process(s: &Subject) -> Option<Forbidden> {
    let bad: Vec<&str> = s
        .containers()
        .filter(|c| {
            c.security_context
                .and_then(|sc| sc.windows_options.as_ref())
                .and_then(|w| w.host_process)
                == Some(true)
        })
        .map(|c| c.name)
        .collect();
    let pod = s
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.windows_options.as_ref())
        .and_then(|w| w.host_process)
        == Some(true);
    let mut setters: Vec<String> = Vec::new();
    if pod {
        setters.push("pod".into());
    }
    if !bad.is_empty() {
        setters.push(containers_phrase(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    Some(Forbidden::new(
        "hostProcess",
        format!(
            "{} must not set securityContext.windowsOptions.hostProcess=true",
            setters.join(" and ")
        ),
    ))
}
