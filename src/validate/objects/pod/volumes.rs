//! A pod's volumes and the containers' mounts and devices
//! (`ValidateVolumes`, `validateVolumeSource`, `ValidateVolumeMounts`,
//! `ValidateVolumeDevices`). A volume with no source is defaulted to
//! emptyDir by the server, so it is never "must specify a volume type".

use super::*;

/// `ValidateVolumes`: the volumes that are valid, by name, and the errors.
pub(super) fn validate_volumes<'a>(
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
pub(super) fn volume_source(
    v: &api::Volume,
    path: &FieldPath,
    pod_name: Option<&str>,
) -> Vec<FieldError> {
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
                .and_then(|q| Quantity::from_api(q).ok())
                && q.sign() < 0
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

pub(super) fn host_path(h: &api::HostPathVolumeSource, path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn file_mode(mode: Option<i32>, path: &FieldPath) -> Option<FieldError> {
    mode.filter(|m| !(0..=0o777).contains(m))
        .map(|m| FieldError::invalid(path, m, FILE_MODE_MSG))
}

pub(super) fn key_to_path(kp: &api::KeyToPath, path: &FieldPath) -> Vec<FieldError> {
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
pub(super) fn no_backsteps(target: &str, path: &FieldPath) -> Vec<FieldError> {
    if target.replace('\\', "/").split('/').any(|p| p == "..") {
        vec![FieldError::invalid(path, target, "must not contain '..'")]
    } else {
        Vec::new()
    }
}

/// `validateLocalDescendingPath`.
pub(super) fn local_descending_path(target: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if target.starts_with('/') {
        errs.push(FieldError::invalid(path, target, "must be a relative path"));
    }
    errs.extend(no_backsteps(target, path));
    errs
}

/// `ValidateLocalNonReservedPath`.
pub(super) fn local_non_reserved_path(target: &str, path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn downward_api_file(
    f: &api::DownwardAPIVolumeFile,
    path: &FieldPath,
) -> Vec<FieldError> {
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

pub(super) fn projected(pr: &api::ProjectedVolumeSource, path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn csi_driver_name(driver: &str, path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn ephemeral(
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
                format!("PVC name {}: {m}", crate::validate::field::go_quote(&pvc)),
            ));
        }
    }
    errs
}

/// `ValidateVolumeMounts`.
pub(super) fn volume_mounts(c: &api::Container, ctx: &Ctx, path: &FieldPath) -> Vec<FieldError> {
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
pub(super) fn volume_devices(c: &api::Container, ctx: &Ctx, path: &FieldPath) -> Vec<FieldError> {
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
