//! Environment variables and downward-API field references
//! (`ValidateEnv`, `ValidateEnvFrom`, `validateObjectFieldSelector`,
//! `validateContainerResourceFieldSelector`).

use super::*;

pub(super) const RESOURCE_FIELD_PATHS: [&str; 6] = [
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];

pub(super) const ENV_FIELD_PATHS: [&str; 9] = [
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

pub(super) const VOLUME_FIELD_PATHS: [&str; 5] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
];

/// `ValidateEnv`, with relaxed names (GA since 1.34).
pub(super) fn validate_env(vars: &[api::EnvVar], path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn env_value_from(ev: &api::EnvVar, path: &FieldPath) -> Vec<FieldError> {
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
pub(super) fn key_selector(name: &str, key: &str, path: &FieldPath) -> Vec<FieldError> {
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
pub(super) fn split_subscript(p: &str) -> Option<(&str, &str)> {
    let s = p.strip_suffix("']")?;
    let (path, sub) = s.split_once("['")?;
    (!path.is_empty()).then_some((path, sub))
}

/// `validateObjectFieldSelector` (with `ConvertDownwardAPIFieldLabel`).
pub(super) fn object_field_selector(
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
pub(super) fn resource_field_selector(
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
    if let Some(d) = fs.divisor.as_ref().and_then(|d| Quantity::from_api(d).ok())
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

pub(super) fn validate_env_from(vars: &[api::EnvFromSource], path: &FieldPath) -> Vec<FieldError> {
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
