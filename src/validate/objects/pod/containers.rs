//! Regular, init and ephemeral containers (`validateContainers`,
//! `validateInitContainers`, `validateContainerCommon`): names, images,
//! ports, host-port conflicts, restart policies and resize policies.

use super::*;

/// What every container check needs to know about its pod.
pub(super) struct Ctx<'a> {
    pub(super) vols: &'a HashMap<&'a str, &'a api::Volume>,
    pub(super) grace: i64,
    pub(super) restart: &'a str,
    pub(super) host_users: bool,
}

pub(super) fn validate_containers(
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

pub(super) fn probes(c: &api::Container, p: &FieldPath) -> Vec<FieldError> {
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
pub(super) fn container_restart_policy(c: &api::Container, path: &FieldPath) -> Vec<FieldError> {
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
pub(super) fn success_must_be_one(pr: &api::Probe, path: &FieldPath) -> Option<FieldError> {
    match pr.success_threshold {
        Some(s) if s != 0 && s != 1 => Some(FieldError::invalid(
            &path.field("successThreshold"),
            s,
            "must be 1",
        )),
        _ => None,
    }
}

pub(super) fn validate_init_containers(
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
pub(super) fn validate_ephemeral_containers(
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
pub(super) fn host_port_conflicts<'a>(
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
pub(super) fn container_common(c: &api::Container, ctx: &Ctx, path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn container_ports(ports: &[api::ContainerPort], path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn resize_policy(c: &api::Container, ctx: &Ctx, path: &FieldPath) -> Vec<FieldError> {
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
