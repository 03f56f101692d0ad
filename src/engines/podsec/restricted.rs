//! The restricted checks, one function per upstream check version
//! (upstream: policy/check_*.go at v0.36.2).

use super::Forbidden;
use super::baseline::{containers_phrase, valid_seccomp_type};
use super::subject::Subject;
use super::text::{join_quote, pluralize};
use std::collections::BTreeSet;

/// allowPrivilegeEscalation 1.8: every container must set it to false.
pub fn allow_privilege_escalation_1_8(s: &Subject) -> Option<Forbidden> {
    let bad: Vec<&str> = s
        .containers()
        .filter(|c| {
            c.security_context
                .and_then(|sc| sc.allow_privilege_escalation)
                != Some(false)
        })
        .map(|c| c.name)
        .collect();
    if bad.is_empty() {
        return None;
    }
    Some(Forbidden::new(
        "allowPrivilegeEscalation != false",
        format!(
            "{} must set securityContext.allowPrivilegeEscalation=false",
            containers_phrase(&bad)
        ),
    ))
}

/// allowPrivilegeEscalation 1.25: Windows pods are exempt.
pub fn allow_privilege_escalation_1_25(s: &Subject) -> Option<Forbidden> {
    if s.is_windows() {
        return None;
    }
    allow_privilege_escalation_1_8(s)
}

/// capabilities_restricted 1.22: drop ALL, add nothing but
/// NET_BIND_SERVICE.
pub fn capabilities_restricted_1_22(s: &Subject) -> Option<Forbidden> {
    let mut missing_drop_all: Vec<&str> = Vec::new();
    let mut adding: Vec<&str> = Vec::new();
    let mut forbidden: BTreeSet<&str> = BTreeSet::new();
    for c in s.containers() {
        let Some(caps) = c.security_context.and_then(|sc| sc.capabilities.as_ref()) else {
            missing_drop_all.push(c.name);
            continue;
        };
        if !caps.drop.iter().flatten().any(|d| d == "ALL") {
            missing_drop_all.push(c.name);
        }
        let mut added_forbidden = false;
        for a in caps.add.iter().flatten() {
            if a != "NET_BIND_SERVICE" {
                added_forbidden = true;
                forbidden.insert(a);
            }
        }
        if added_forbidden {
            adding.push(c.name);
        }
    }
    let mut details: Vec<String> = Vec::new();
    if !missing_drop_all.is_empty() {
        details.push(format!(
            "{} must set securityContext.capabilities.drop=[\"ALL\"]",
            containers_phrase(&missing_drop_all)
        ));
    }
    if !adding.is_empty() {
        let caps: Vec<&str> = forbidden.into_iter().collect();
        details.push(format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers_phrase(&adding),
            join_quote(&caps)
        ));
    }
    if details.is_empty() {
        return None;
    }
    Some(Forbidden::new(
        "unrestricted capabilities",
        details.join("; "),
    ))
}

/// capabilities_restricted 1.25: Windows pods are exempt.
pub fn capabilities_restricted_1_25(s: &Subject) -> Option<Forbidden> {
    if s.is_windows() {
        return None;
    }
    capabilities_restricted_1_22(s)
}

/// restrictedVolumes 1.0: only configMap, csi, downwardAPI, emptyDir,
/// ephemeral, image, persistentVolumeClaim, projected and secret. A
/// volume with no source was defaulted to emptyDir by the API server.
pub fn restricted_volumes(s: &Subject) -> Option<Forbidden> {
    let mut bad: Vec<&str> = Vec::new();
    let mut types: BTreeSet<&str> = BTreeSet::new();
    for v in s.spec.volumes.iter().flatten() {
        if v.config_map.is_some()
            || v.csi.is_some()
            || v.downward_api.is_some()
            || v.empty_dir.is_some()
            || v.ephemeral.is_some()
            || v.image.is_some()
            || v.persistent_volume_claim.is_some()
            || v.projected.is_some()
            || v.secret.is_some()
        {
            continue;
        }
        let kind = if v.host_path.is_some() {
            "hostPath"
        } else if v.gce_persistent_disk.is_some() {
            "gcePersistentDisk"
        } else if v.aws_elastic_block_store.is_some() {
            "awsElasticBlockStore"
        } else if v.git_repo.is_some() {
            "gitRepo"
        } else if v.nfs.is_some() {
            "nfs"
        } else if v.iscsi.is_some() {
            "iscsi"
        } else if v.glusterfs.is_some() {
            "glusterfs"
        } else if v.rbd.is_some() {
            "rbd"
        } else if v.flex_volume.is_some() {
            "flexVolume"
        } else if v.cinder.is_some() {
            "cinder"
        } else if v.cephfs.is_some() {
            "cephfs"
        } else if v.flocker.is_some() {
            "flocker"
        } else if v.fc.is_some() {
            "fc"
        } else if v.azure_file.is_some() {
            "azureFile"
        } else if v.vsphere_volume.is_some() {
            "vsphereVolume"
        } else if v.quobyte.is_some() {
            "quobyte"
        } else if v.azure_disk.is_some() {
            "azureDisk"
        } else if v.photon_persistent_disk.is_some() {
            "photonPersistentDisk"
        } else if v.portworx_volume.is_some() {
            "portworxVolume"
        } else if v.scale_io.is_some() {
            "scaleIO"
        } else if v.storageos.is_some() {
            "storageos"
        } else {
            // No source at all: SetDefaults_Volume made it an emptyDir.
            continue;
        };
        bad.push(&v.name);
        types.insert(kind);
    }
    if bad.is_empty() {
        return None;
    }
    let types: Vec<&str> = types.into_iter().collect();
    Some(Forbidden::new(
        "restricted volume types",
        format!(
            "{} {} {} {} {}",
            pluralize("volume", "volumes", bad.len()),
            join_quote(&bad),
            pluralize("uses", "use", bad.len()),
            pluralize(
                "restricted volume type",
                "restricted volume types",
                types.len()
            ),
            join_quote(&types)
        ),
    ))
}

/// runAsNonRoot 1.0: the pod, or else every container, sets
/// runAsNonRoot=true, and nothing sets it to false.
pub fn run_as_non_root_1_0(s: &Subject) -> Option<Forbidden> {
    let mut bad_setters: Vec<String> = Vec::new();
    let mut pod_non_root = false;
    match s
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.run_as_non_root)
    {
        Some(false) => bad_setters.push("pod".into()),
        Some(true) => pod_non_root = true,
        None => {}
    }
    let mut explicit: Vec<&str> = Vec::new();
    let mut implicit: Vec<&str> = Vec::new();
    for c in s.containers() {
        match c.security_context.and_then(|sc| sc.run_as_non_root) {
            Some(false) => explicit.push(c.name),
            Some(true) => {}
            None if !pod_non_root => implicit.push(c.name),
            None => {}
        }
    }
    if !explicit.is_empty() {
        bad_setters.push(containers_phrase(&explicit));
    }
    if !bad_setters.is_empty() {
        return Some(Forbidden::new(
            "runAsNonRoot != true",
            format!(
                "{} must not set securityContext.runAsNonRoot=false",
                bad_setters.join(" and ")
            ),
        ));
    }
    if !implicit.is_empty() {
        return Some(Forbidden::new(
            "runAsNonRoot != true",
            format!(
                "pod or {} must set securityContext.runAsNonRoot=true",
                containers_phrase(&implicit)
            ),
        ));
    }
    None
}

/// runAsNonRoot 1.35: pods in a user namespace are exempt.
pub fn run_as_non_root_1_35(s: &Subject) -> Option<Forbidden> {
    if s.in_user_namespace() {
        return None;
    }
    run_as_non_root_1_0(s)
}

/// runAsUser 1.23: nothing sets runAsUser=0.
pub fn run_as_user_1_23(s: &Subject) -> Option<Forbidden> {
    let mut bad_setters: Vec<String> = Vec::new();
    if s.spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.run_as_user)
        == Some(0)
    {
        bad_setters.push("pod".into());
    }
    let bad: Vec<&str> = s
        .containers()
        .filter(|c| c.security_context.and_then(|sc| sc.run_as_user) == Some(0))
        .map(|c| c.name)
        .collect();
    if !bad.is_empty() {
        bad_setters.push(containers_phrase(&bad));
    }
    if bad_setters.is_empty() {
        return None;
    }
    Some(Forbidden::new(
        "runAsUser=0",
        format!("{} must not set runAsUser=0", bad_setters.join(" and ")),
    ))
}

/// runAsUser 1.35: pods in a user namespace are exempt.
pub fn run_as_user_1_35(s: &Subject) -> Option<Forbidden> {
    if s.in_user_namespace() {
        return None;
    }
    run_as_user_1_23(s)
}

/// seccompProfile_restricted 1.19: RuntimeDefault or Localhost must be set
/// on the pod or on every container, and nothing may set another type.
pub fn seccomp_profile_restricted_1_19(s: &Subject) -> Option<Forbidden> {
    let mut bad_setters: Vec<String> = Vec::new();
    let mut bad_values: BTreeSet<&str> = BTreeSet::new();
    let mut pod_set = false;
    if let Some(p) = s
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.seccomp_profile.as_ref())
    {
        if valid_seccomp_type(&p.type_) {
            pod_set = true;
        } else {
            bad_setters.push("pod".into());
            bad_values.insert(&p.type_);
        }
    }
    let mut explicit: Vec<&str> = Vec::new();
    let mut implicit: Vec<&str> = Vec::new();
    for c in s.containers() {
        match c
            .security_context
            .and_then(|sc| sc.seccomp_profile.as_ref())
        {
            Some(p) if !valid_seccomp_type(&p.type_) => {
                explicit.push(c.name);
                bad_values.insert(&p.type_);
            }
            Some(_) => {}
            None if !pod_set => implicit.push(c.name),
            None => {}
        }
    }
    if !explicit.is_empty() {
        bad_setters.push(containers_phrase(&explicit));
    }
    if !bad_setters.is_empty() {
        let values: Vec<&str> = bad_values.into_iter().collect();
        return Some(Forbidden::new(
            "seccompProfile",
            format!(
                "{} must not set securityContext.seccompProfile.type to {}",
                bad_setters.join(" and "),
                join_quote(&values)
            ),
        ));
    }
    if !implicit.is_empty() {
        return Some(Forbidden::new(
            "seccompProfile",
            format!(
                "pod or {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                containers_phrase(&implicit)
            ),
        ));
    }
    None
}

/// seccompProfile_restricted 1.25: Windows pods are exempt.
pub fn seccomp_profile_restricted_1_25(s: &Subject) -> Option<Forbidden> {
    if s.is_windows() {
        return None;
    }
    seccomp_profile_restricted_1_19(s)
}
