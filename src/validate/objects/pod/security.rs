//! Pod and container security contexts (`ValidateSecurityContext`,
//! `validatePodSpecSecurityContext`): user and group ids, seccomp and
//! AppArmor profiles, sysctls, privilege escalation.

use super::*;

pub(super) const MAX_ID: i64 = i32::MAX as i64;

pub(super) fn id_range(v: i64, path: &FieldPath) -> Option<FieldError> {
    (!(0..=MAX_ID).contains(&v)).then(|| FieldError::invalid(path, v, in_range_msg(0, MAX_ID)))
}

/// `ValidateSecurityContext` (a container's).
pub(super) fn security_context(
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
        let value = crate::validate::field::BadValue::Raw(security_context_go(sc));
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
pub(super) fn security_context_go(sc: &api::SecurityContext) -> String {
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

pub(super) fn seccomp_profile(sp: &api::SeccompProfile, path: &FieldPath) -> Vec<FieldError> {
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
            crate::validate::field::BadValue::Raw(format!(
                "core.SeccompProfile{{Type:{}, LocalhostProfile:(*string)(0x…)}}",
                crate::validate::field::go_quote(&sp.type_)
            )),
            "can only be set when seccomp type is Localhost",
        ));
    }
    errs
}

pub(super) fn app_armor(a: &api::AppArmorProfile, path: &FieldPath) -> Vec<FieldError> {
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
pub(super) fn pod_security_context(spec: &api::PodSpec, path: &FieldPath) -> Vec<FieldError> {
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
                crate::validate::field::BadValue::Raw("true".into()),
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

pub(super) const SYSCTL_RE: &str =
    "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";

pub(super) fn is_sysctl_segment(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_')
}

pub(super) fn is_sysctl_name(name: &str) -> bool {
    name.len() <= 253 && name.split(['.', '/']).all(is_sysctl_segment)
}

pub(super) fn sysctls(
    sc: &api::PodSecurityContext,
    spec: &api::PodSpec,
    path: &FieldPath,
) -> Vec<FieldError> {
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
