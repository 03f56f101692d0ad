//! Probes and lifecycle handlers (`validateProbe`, `validateHandler`,
//! `validateLifecycle`): exactly one handler, valid ports and schemes.

use super::*;

pub(super) fn probe(pr: &api::Probe, path: &FieldPath) -> Vec<FieldError> {
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
pub(super) fn handler(kinds: &[(&str, bool)], path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn exec_action(e: &api::ExecAction, path: &FieldPath) -> Vec<FieldError> {
    if e.command.as_ref().is_none_or(|c| c.is_empty()) {
        vec![FieldError::required(&path.field("command"), "")]
    } else {
        Vec::new()
    }
}

pub(super) fn http_get(h: &api::HTTPGetAction, path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn lifecycle(l: &api::Lifecycle, grace: i64, path: &FieldPath) -> Vec<FieldError> {
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
