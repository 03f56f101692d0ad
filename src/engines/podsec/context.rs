//! The security context a container actually runs with: the pod's
//! settings, overridden field by field by the container's own (upstream:
//! pkg/securitycontext/util.go DetermineEffectiveSecurityContext — the pod
//! supplies seLinuxOptions, windowsOptions (per field), runAsUser,
//! runAsGroup, runAsNonRoot, seccompProfile and appArmorProfile; the other
//! fields exist only on the container).

use super::subject::{ContainerKind, Subject};
use k8s_openapi::api::core::v1::{
    AppArmorProfile, Capabilities, SELinuxOptions, SeccompProfile, WindowsSecurityContextOptions,
};
use serde::Serialize;

/// Where an effective value was set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum From {
    Pod,
    Container,
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Set<T> {
    pub value: T,
    pub from: From,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Effective {
    pub container: String,
    #[serde(skip)]
    pub kind: ContainerKind,
    pub run_as_user: Option<Set<i64>>,
    pub run_as_group: Option<Set<i64>>,
    pub run_as_non_root: Option<Set<bool>>,
    pub se_linux_options: Option<Set<SELinuxOptions>>,
    pub seccomp_profile: Option<Set<SeccompProfile>>,
    pub app_armor_profile: Option<Set<AppArmorProfile>>,
    pub windows_options: Option<WindowsSecurityContextOptions>,
    pub privileged: Option<bool>,
    pub allow_privilege_escalation: Option<bool>,
    pub capabilities: Option<Capabilities>,
    pub read_only_root_filesystem: Option<bool>,
    pub proc_mount: Option<String>,
}

fn pick<T: Clone>(container: Option<&T>, pod: Option<&T>) -> Option<Set<T>> {
    match (container, pod) {
        (Some(v), _) => Some(Set {
            value: v.clone(),
            from: From::Container,
        }),
        (None, Some(v)) => Some(Set {
            value: v.clone(),
            from: From::Pod,
        }),
        (None, None) => None,
    }
}

/// The effective security context of every container, in upstream's
/// visiting order.
pub fn effective(subject: &Subject) -> Vec<Effective> {
    let pod = subject.spec.security_context.as_ref();
    subject
        .containers()
        .map(|c| {
            let sc = c.security_context;
            let windows = merge_windows(
                sc.and_then(|s| s.windows_options.as_ref()),
                pod.and_then(|p| p.windows_options.as_ref()),
            );
            Effective {
                container: c.name.to_string(),
                kind: c.kind,
                run_as_user: pick(
                    sc.and_then(|s| s.run_as_user.as_ref()),
                    pod.and_then(|p| p.run_as_user.as_ref()),
                ),
                run_as_group: pick(
                    sc.and_then(|s| s.run_as_group.as_ref()),
                    pod.and_then(|p| p.run_as_group.as_ref()),
                ),
                run_as_non_root: pick(
                    sc.and_then(|s| s.run_as_non_root.as_ref()),
                    pod.and_then(|p| p.run_as_non_root.as_ref()),
                ),
                se_linux_options: pick(
                    sc.and_then(|s| s.se_linux_options.as_ref()),
                    pod.and_then(|p| p.se_linux_options.as_ref()),
                ),
                seccomp_profile: pick(
                    sc.and_then(|s| s.seccomp_profile.as_ref()),
                    pod.and_then(|p| p.seccomp_profile.as_ref()),
                ),
                app_armor_profile: pick(
                    sc.and_then(|s| s.app_armor_profile.as_ref()),
                    pod.and_then(|p| p.app_armor_profile.as_ref()),
                ),
                windows_options: windows,
                privileged: sc.and_then(|s| s.privileged),
                allow_privilege_escalation: sc.and_then(|s| s.allow_privilege_escalation),
                capabilities: sc.and_then(|s| s.capabilities.clone()),
                read_only_root_filesystem: sc.and_then(|s| s.read_only_root_filesystem),
                proc_mount: sc.and_then(|s| s.proc_mount.clone()),
            }
        })
        .collect()
}

/// windowsOptions merge one field at a time.
fn merge_windows(
    c: Option<&WindowsSecurityContextOptions>,
    p: Option<&WindowsSecurityContextOptions>,
) -> Option<WindowsSecurityContextOptions> {
    if c.is_none() && p.is_none() {
        return None;
    }
    let mut out = c.cloned().unwrap_or_default();
    if let Some(p) = p {
        if out.gmsa_credential_spec_name.is_none() {
            out.gmsa_credential_spec_name = p.gmsa_credential_spec_name.clone();
        }
        if out.gmsa_credential_spec.is_none() {
            out.gmsa_credential_spec = p.gmsa_credential_spec.clone();
        }
        if out.run_as_user_name.is_none() {
            out.run_as_user_name = p.run_as_user_name.clone();
        }
        if out.host_process.is_none() {
            out.host_process = p.host_process;
        }
    }
    Some(out)
}
