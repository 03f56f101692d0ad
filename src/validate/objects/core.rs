//! Core kinds other than pods and quotas, as pkg/apis/core/validation
//! (and pkg/apis/scheduling/validation for PriorityClass) validates them on
//! create: Service, ConfigMap, Secret, Namespace, PriorityClass and
//! PersistentVolumeClaim. ServiceAccounts have only their metadata checked.
//!
//! Values the server defaults before validating (a Service's type,
//! protocol, targetPort, sessionAffinity, traffic policies; a Secret's
//! type) count as defaulted.

use super::super::field::{
    BadValue, FieldError, go_quote, is_dns1123_subdomain, is_label_key, max_len_error, regex_error,
    validate_labels,
};
use super::pod::{is_ip_sloppy, port_num_or_name, subdomain_name_msgs, validate_ip};
use crate::engines::quantity::Quantity;
use crate::model::FieldPath;
use crate::validate::selector::{SelectorOptions, validate_label_selector};
use k8s_openapi::api::core::v1 as api;
use k8s_openapi::api::scheduling::v1 as sched;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::{BTreeMap, HashSet};

fn root() -> FieldPath {
    FieldPath::root()
}

fn set(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

fn qualified_name(v: &str, path: &FieldPath) -> Vec<FieldError> {
    is_label_key(v)
        .into_iter()
        .map(|m| FieldError::invalid(path, v, m))
        .collect()
}

/// `IsConfigMapKey`: the keys of ConfigMap and Secret data, and of the
/// keys pods select from them.
pub fn is_config_map_key(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if value.is_empty()
        || !value
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
    {
        errs.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    match value {
        "." => errs.push("must not be '.'".into()),
        ".." => errs.push("must not be '..'".into()),
        v if v.starts_with("..") => errs.push("must not start with '..'".into()),
        _ => {}
    }
    errs
}

// ------------------------------------------------------------ Service ---

/// `ValidateService` for a new Service.
pub fn validate_service(svc: &api::Service) -> Vec<FieldError> {
    let default = api::ServiceSpec::default();
    let spec = svc.spec.as_ref().unwrap_or(&default);
    let sp = root().field("spec");
    let mut errs = Vec::new();
    let ann = svc.metadata.annotations.as_ref();
    let hints = ann.and_then(|a| a.get("service.kubernetes.io/topology-aware-hints"));
    let mode = ann.and_then(|a| a.get("service.kubernetes.io/topology-mode"));
    if let (Some(h), Some(m)) = (hints, mode)
        && h != m
    {
        errs.push(FieldError::invalid(
            &root()
                .field("metadata")
                .field("annotations")
                .key("service.kubernetes.io/topology-mode"),
            m.as_str(),
            "must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified",
        ));
    }
    let ty = set(&spec.type_).unwrap_or("ClusterIP");
    // The REST strategy keeps clusterIP and clusterIPs in step.
    let cluster_ip = set(&spec.cluster_ip);
    let mut cluster_ips: Vec<&str> = spec
        .cluster_ips
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if cluster_ips.is_empty()
        && let Some(ip) = cluster_ip
    {
        cluster_ips.push(ip);
    }
    let headless = cluster_ips == ["None"];
    let ports = spec.ports.as_deref().unwrap_or_default();
    if ports.is_empty() && !headless && ty != "ExternalName" {
        errs.push(FieldError::required(&sp.field("ports"), ""));
    }
    match ty {
        "LoadBalancer" | "NodePort" if headless => errs.push(
            FieldError::invalid(
                &sp.field("clusterIPs").index(0),
                "None",
                format!("may not be set to 'None' for {ty} services"),
            )
            .pointing_at(if spec.cluster_ips.is_some() {
                sp.field("clusterIPs").index(0)
            } else {
                sp.field("clusterIP")
            }),
        ),
        "ExternalName" => {
            if !cluster_ips.is_empty() {
                errs.push(
                    FieldError::forbidden(
                        &sp.field("clusterIPs"),
                        "may not be set for ExternalName services",
                    )
                    .pointing_at(if spec.cluster_ips.is_some() {
                        sp.field("clusterIPs")
                    } else {
                        sp.field("clusterIP")
                    }),
                );
            }
            if spec.ip_families.as_ref().is_some_and(|f| !f.is_empty()) {
                errs.push(FieldError::forbidden(
                    &sp.field("ipFamilies"),
                    "may not be set for ExternalName services",
                ));
            }
            if spec.ip_family_policy.is_some() {
                errs.push(FieldError::forbidden(
                    &sp.field("ipFamilyPolicy"),
                    "may not be set for ExternalName services",
                ));
            }
            let name = spec.external_name.as_deref().unwrap_or_default();
            let cname = name.strip_suffix('.').unwrap_or(name);
            if cname.is_empty() {
                errs.push(FieldError::required(&sp.field("externalName"), ""));
            } else {
                for m in is_dns1123_subdomain(cname) {
                    errs.push(FieldError::invalid(&sp.field("externalName"), cname, m));
                }
            }
        }
        _ => {}
    }
    let mut names = HashSet::new();
    for (i, p) in ports.iter().enumerate() {
        errs.extend(service_port(
            p,
            ports.len() > 1,
            &mut names,
            &sp.field("ports").index(i),
        ));
    }
    if let Some(sel) = &spec.selector {
        errs.extend(validate_labels(sel.iter(), &sp.field("selector")));
    }
    let affinity = set(&spec.session_affinity).unwrap_or("None");
    match affinity {
        "ClientIP" => {
            // The timeout defaults to 10800 when no config is given.
            if let Some(t) = spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.client_ip.as_ref())
                .and_then(|c| c.timeout_seconds)
                && (t <= 0 || t > 86400)
            {
                errs.push(FieldError::invalid(
                    &sp.field("sessionAffinityConfig")
                        .field("clientIP")
                        .field("timeoutSeconds"),
                    t,
                    "must be greater than 0 and less than 86400",
                ));
            }
        }
        "None" => {
            if spec.session_affinity_config.is_some() {
                errs.push(FieldError::forbidden(
                    &sp.field("sessionAffinityConfig"),
                    "must not be set when session affinity is None",
                ));
            }
        }
        other => errs.push(FieldError::not_supported(
            &sp.field("sessionAffinity"),
            other,
            &["ClientIP", "None"],
        )),
    }
    if ty != "ExternalName" {
        errs.extend(cluster_ip_fields(
            spec,
            cluster_ip,
            &cluster_ips,
            headless,
            &sp,
        ));
    }
    for (i, ip) in spec.external_ips.iter().flatten().enumerate() {
        let p = sp.field("externalIPs").index(i);
        let bad = validate_ip(ip, &p);
        if bad.is_empty() {
            errs.extend(non_special_ip(ip, &p));
        } else {
            errs.extend(bad);
        }
    }
    const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    if !TYPES.contains(&ty) {
        errs.push(FieldError::not_supported(&sp.field("type"), ty, &TYPES));
    }
    if ty == "ClusterIP" {
        for (i, p) in ports.iter().enumerate() {
            if p.node_port.is_some_and(|n| n != 0) {
                errs.push(FieldError::forbidden(
                    &sp.field("ports").index(i).field("nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut node_ports = HashSet::new();
    let mut port_keys = HashSet::new();
    for (i, p) in ports.iter().enumerate() {
        let proto = set(&p.protocol).unwrap_or("TCP");
        if let Some(np) = p.node_port.filter(|n| *n != 0)
            && !node_ports.insert((proto, np))
        {
            errs.push(FieldError::duplicate(
                &sp.field("ports").index(i).field("nodePort"),
                np,
            ));
        }
        if !port_keys.insert((proto, p.port)) {
            errs.push(FieldError::duplicate(
                &sp.field("ports").index(i),
                BadValue::Raw(format!(
                    "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                    go_quote(proto),
                    p.port
                )),
            ));
        }
    }
    let ranges = spec
        .load_balancer_source_ranges
        .as_deref()
        .unwrap_or_default();
    if !ranges.is_empty() {
        // Upstream's own capitalization.
        let fp = sp.field("LoadBalancerSourceRanges");
        let at = sp.field("loadBalancerSourceRanges");
        if ty != "LoadBalancer" {
            errs.push(
                FieldError::forbidden(&fp, "may only be used when `type` is 'LoadBalancer'")
                    .pointing_at(at.clone()),
            );
        }
        for (i, r) in ranges.iter().enumerate() {
            let r = r.trim();
            if !is_cidr(r) {
                errs.push(
                    FieldError::invalid(
                        &fp.index(i),
                        r,
                        "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                    )
                    .pointing_at(at.index(i)),
                );
            }
        }
    }
    if spec.allocate_load_balancer_node_ports.is_some() && ty != "LoadBalancer" {
        errs.push(FieldError::forbidden(
            &sp.field("allocateLoadBalancerNodePorts"),
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    if let Some(c) = &spec.load_balancer_class {
        if ty != "LoadBalancer" {
            errs.push(FieldError::forbidden(
                &sp.field("loadBalancerClass"),
                "may only be used when service type is 'LoadBalancer'",
            ));
        } else {
            errs.extend(qualified_name(c, &sp.field("loadBalancerClass")));
        }
    }
    errs.extend(traffic_policies(spec, ty, &sp));
    errs
}

fn service_port(
    p: &api::ServicePort,
    require_name: bool,
    names: &mut HashSet<String>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match set(&p.name) {
        None if require_name => errs.push(FieldError::required(&path.field("name"), "")),
        None => {}
        Some(n) => {
            for m in super::super::field::is_dns1123_label(n) {
                errs.push(FieldError::invalid(&path.field("name"), n, m));
            }
            if !names.insert(n.to_string()) {
                errs.push(FieldError::duplicate(&path.field("name"), n));
            }
        }
    }
    for m in super::super::field::is_valid_port_num(p.port.into()) {
        errs.push(FieldError::invalid(&path.field("port"), p.port, m));
    }
    if let Some(proto) = set(&p.protocol)
        && !["SCTP", "TCP", "UDP"].contains(&proto)
    {
        errs.push(FieldError::not_supported(
            &path.field("protocol"),
            proto,
            &["SCTP", "TCP", "UDP"],
        ));
    }
    // targetPort defaults to port when unset or zero.
    let target = match &p.target_port {
        None | Some(IntOrString::Int(0)) => IntOrString::Int(p.port),
        Some(IntOrString::String(s)) if s.is_empty() => IntOrString::Int(p.port),
        Some(t) => t.clone(),
    };
    if p.target_port.is_some() {
        errs.extend(port_num_or_name(&target, &path.field("targetPort")));
    }
    if let Some(ap) = &p.app_protocol {
        errs.extend(qualified_name(ap, &path.field("appProtocol")));
    }
    errs
}

/// `ValidateServiceClusterIPsRelatedFields`.
fn cluster_ip_fields(
    spec: &api::ServiceSpec,
    cluster_ip: Option<&str>,
    ips: &[&str],
    headless: bool,
    sp: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let ips_path = sp.field("clusterIPs");
    let ips_value = || {
        let items: Vec<String> = ips.iter().map(|s| go_quote(s)).collect();
        BadValue::Raw(format!("[]string{{{}}}", items.join(", ")))
    };
    match cluster_ip {
        Some(ip) if ips.first() != Some(&ip) => {
            errs.push(FieldError::invalid(
                &ips_path,
                ips_value(),
                "first value must match `clusterIP`",
            ));
        }
        None if !ips.is_empty() && spec.cluster_ip.is_some() => {
            errs.push(FieldError::invalid(
                &ips_path,
                ips_value(),
                "must be empty when `clusterIP` is not specified",
            ));
        }
        _ => {}
    }
    let families: Vec<&str> = spec
        .ip_families
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let mut seen = HashSet::new();
    for (i, f) in families.iter().enumerate() {
        if *f != "IPv4" && *f != "IPv6" {
            errs.push(FieldError::not_supported(
                &sp.field("ipFamilies").index(i),
                *f,
                &["IPv4", "IPv6"],
            ));
        }
        if !seen.insert(*f) {
            errs.push(FieldError::duplicate(&sp.field("ipFamilies").index(i), *f));
        }
    }
    if let Some(p) = &spec.ip_family_policy {
        const POLICIES: [&str; 3] = ["PreferDualStack", "RequireDualStack", "SingleStack"];
        if !POLICIES.contains(&p.as_str()) {
            errs.push(FieldError::not_supported(
                &sp.field("ipFamilyPolicy"),
                p.as_str(),
                &POLICIES,
            ));
        }
    }
    let at = |i: usize| {
        if spec.cluster_ips.is_some() {
            ips_path.index(i)
        } else {
            sp.field("clusterIP")
        }
    };
    let mut invalid = false;
    for (i, ip) in ips.iter().enumerate() {
        if i == 0 && *ip == "None" {
            if ips.len() > 1 {
                invalid = true;
                errs.push(FieldError::invalid(
                    &ips_path,
                    ips_value(),
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        let bad: Vec<FieldError> = validate_ip(ip, &ips_path.index(i))
            .into_iter()
            .map(|e| e.pointing_at(at(i)))
            .collect();
        invalid |= !bad.is_empty();
        errs.extend(bad);
    }
    if ips.len() > 2 {
        errs.push(FieldError::invalid(
            &ips_path,
            ips_value(),
            "may only hold up to 2 values",
        ));
    }
    if invalid {
        return errs;
    }
    let v6 = |ip: &str| ip.contains(':');
    if ips.len() > 1 && v6(ips[0]) == v6(ips[1]) {
        errs.push(FieldError::invalid(
            &ips_path,
            ips_value(),
            "may specify no more than one IP for each IP family",
        ));
    }
    if !headless {
        for (i, ip) in ips.iter().enumerate().take(families.len()) {
            if families[i] == "IPv4" && v6(ip) {
                errs.push(
                    FieldError::invalid(
                        &ips_path.index(i),
                        *ip,
                        format!("expected an IPv4 value as indicated by `ipFamilies[{i}]`"),
                    )
                    .pointing_at(at(i)),
                );
            }
            if families[i] == "IPv6" && !v6(ip) {
                errs.push(
                    FieldError::invalid(
                        &ips_path.index(i),
                        *ip,
                        format!("expected an IPv6 value as indicated by `ipFamilies[{i}]`"),
                    )
                    .pointing_at(at(i)),
                );
            }
        }
    }
    errs
}

/// `ValidateNonSpecialIP`.
fn non_special_ip(ip: &str, path: &FieldPath) -> Vec<FieldError> {
    let parsed: Option<std::net::IpAddr> = ip.parse().ok().or_else(|| {
        let octets: Vec<u8> = ip.split('.').filter_map(|p| p.parse().ok()).collect();
        (octets.len() == 4)
            .then(|| std::net::IpAddr::from([octets[0], octets[1], octets[2], octets[3]]))
    });
    let Some(addr) = parsed else {
        return vec![FieldError::invalid(path, ip, "must be a valid IP address")];
    };
    let mut errs = Vec::new();
    if addr.is_unspecified() {
        errs.push(FieldError::invalid(
            path,
            ip,
            format!("may not be unspecified ({ip})"),
        ));
    }
    if addr.is_loopback() {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ));
    }
    let link_local_unicast = match addr {
        std::net::IpAddr::V4(a) => a.is_link_local(),
        std::net::IpAddr::V6(a) => (a.segments()[0] & 0xffc0) == 0xfe80,
    };
    if link_local_unicast {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        ));
    }
    let link_local_multicast = match addr {
        std::net::IpAddr::V4(a) => a.octets()[..3] == [224, 0, 0],
        std::net::IpAddr::V6(a) => (a.segments()[0] & 0xff0f) == 0xff02,
    };
    if link_local_multicast {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
        ));
    }
    errs
}

fn is_cidr(s: &str) -> bool {
    let Some((ip, bits)) = s.split_once('/') else {
        return false;
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return false;
    };
    is_ip_sloppy(ip) && bits <= if ip.contains(':') { 128 } else { 32 }
}

/// External and internal traffic policies, and the health-check port.
fn traffic_policies(spec: &api::ServiceSpec, ty: &str, sp: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let external = matches!(ty, "LoadBalancer" | "NodePort")
        || (ty == "ClusterIP" && spec.external_ips.as_ref().is_some_and(|e| !e.is_empty()));
    let etp = set(&spec.external_traffic_policy);
    if !external {
        if let Some(p) = etp {
            errs.push(FieldError::invalid(
                &sp.field("externalTrafficPolicy"),
                p,
                "may only be set for externally-accessible services",
            ));
        }
    } else if let Some(p) = etp
        && p != "Cluster"
        && p != "Local"
    {
        errs.push(FieldError::not_supported(
            &sp.field("externalTrafficPolicy"),
            p,
            &["Cluster", "Local"],
        ));
    }
    let needs_health_check = ty == "LoadBalancer" && etp == Some("Local");
    if let Some(hc) = spec.health_check_node_port.filter(|h| *h != 0) {
        if !needs_health_check {
            errs.push(FieldError::invalid(
                &sp.field("healthCheckNodePort"),
                hc,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            ));
        } else {
            for m in super::super::field::is_valid_port_num(hc.into()) {
                errs.push(FieldError::invalid(&sp.field("healthCheckNodePort"), hc, m));
            }
        }
    }
    if let Some(p) = &spec.internal_traffic_policy
        && p != "Cluster"
        && p != "Local"
    {
        errs.push(FieldError::not_supported(
            &sp.field("internalTrafficPolicy"),
            p.as_str(),
            &["Cluster", "Local"],
        ));
    }
    if let Some(t) = &spec.traffic_distribution {
        const DIST: [&str; 3] = ["PreferClose", "PreferSameNode", "PreferSameZone"];
        if !DIST.contains(&t.as_str()) {
            errs.push(FieldError::not_supported(
                &sp.field("trafficDistribution"),
                t.as_str(),
                &DIST,
            ));
        }
    }
    errs
}

// ------------------------------------------------- ConfigMap, Secret ---

const MAX_SECRET_SIZE: usize = 1024 * 1024;

/// `ValidateConfigMap`.
pub fn validate_config_map(cm: &api::ConfigMap) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut total = 0;
    let binary = cm.binary_data.as_ref();
    for (k, v) in cm.data.iter().flatten() {
        let p = root().field("data").key(k);
        for m in is_config_map_key(k) {
            errs.push(FieldError::invalid(&p, k.as_str(), m));
        }
        if binary.is_some_and(|b| b.contains_key(k)) {
            errs.push(FieldError::invalid(
                &p,
                k.as_str(),
                "duplicate of key present in binaryData",
            ));
        }
        total += v.len();
    }
    for (k, v) in binary.into_iter().flatten() {
        for m in is_config_map_key(k) {
            errs.push(FieldError::invalid(
                &root().field("binaryData").key(k),
                k.as_str(),
                m,
            ));
        }
        total += v.0.len();
    }
    if total > MAX_SECRET_SIZE {
        errs.push(FieldError::too_long(&root(), MAX_SECRET_SIZE));
    }
    errs
}

/// `ValidateSecret`. `stringData` is merged into `data` before
/// validation, so its keys are checked (and reported) as data keys.
pub fn validate_secret(s: &api::Secret) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut data: BTreeMap<&str, usize> = BTreeMap::new();
    let mut written: BTreeMap<&str, FieldPath> = BTreeMap::new();
    for (k, v) in s.data.iter().flatten() {
        data.insert(k, v.0.len());
        written.insert(k, root().field("data").key(k));
    }
    for (k, v) in s.string_data.iter().flatten() {
        data.insert(k, v.len());
        written.insert(k, root().field("stringData").key(k));
    }
    let data_path = root().field("data");
    let mut total = 0;
    for (k, len) in &data {
        for m in is_config_map_key(k) {
            let mut e = FieldError::invalid(&data_path.key(k), *k, m);
            if let Some(at) = written.get(k) {
                e = e.pointing_at(at.clone());
            }
            errs.push(e);
        }
        total += len;
    }
    if total > MAX_SECRET_SIZE {
        errs.push(FieldError::too_long(&data_path, MAX_SECRET_SIZE));
    }
    let has = |k: &str| data.contains_key(k);
    let require = |errs: &mut Vec<FieldError>, k: &str| {
        errs.push(FieldError::required(&data_path.key(k), "").pointing_at(data_path.clone()));
    };
    match set(&s.type_).unwrap_or("Opaque") {
        "kubernetes.io/service-account-token" => {
            let name = s
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubernetes.io/service-account.name"));
            if name.is_none_or(|n| n.is_empty()) {
                errs.push(FieldError::required(
                    &root()
                        .field("metadata")
                        .field("annotations")
                        .key("kubernetes.io/service-account.name"),
                    "",
                ));
            }
        }
        "kubernetes.io/dockercfg" if !has(".dockercfg") => require(&mut errs, ".dockercfg"),
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => {
            require(&mut errs, ".dockerconfigjson")
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            require(&mut errs, "username");
            require(&mut errs, "password");
        }
        "kubernetes.io/ssh-auth" if data.get("ssh-privatekey").is_none_or(|l| *l == 0) => {
            require(&mut errs, "ssh-privatekey")
        }
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                require(&mut errs, "tls.crt");
            }
            if !has("tls.key") {
                require(&mut errs, "tls.key");
            }
        }
        _ => {}
    }
    errs
}

// ------------------------------------------- Namespace, PriorityClass ---

/// `ValidateNamespace`: the name (a DNS label) is checked with the
/// metadata; here, `spec.finalizers`.
pub fn validate_namespace(ns: &api::Namespace) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let p = root().field("spec").field("finalizers");
    for (i, f) in ns
        .spec
        .iter()
        .flat_map(|s| s.finalizers.iter().flatten())
        .enumerate()
    {
        errs.extend(
            qualified_name(f, &p)
                .into_iter()
                .map(|e| e.pointing_at(p.index(i))),
        );
        if !f.contains('/') && !matches!(f.as_str(), "kubernetes" | "orphan" | "foregroundDeletion")
        {
            errs.push(
                FieldError::invalid(
                    &p,
                    f.as_str(),
                    "name is neither a standard finalizer name nor is it fully qualified",
                )
                .pointing_at(p.index(i)),
            );
        }
    }
    errs
}

const HIGHEST_USER_PRIORITY: i32 = 1_000_000_000;

/// `ValidatePriorityClass` (pkg/apis/scheduling/validation).
pub fn validate_priority_class(pc: &sched::PriorityClass) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = pc.metadata.name.as_deref().unwrap_or_default();
    let global = pc.global_default.unwrap_or(false);
    if name.starts_with("system-") {
        let known = match name {
            "system-node-critical" => Some(2_000_001_000),
            "system-cluster-critical" => Some(2_000_000_000),
            _ => None,
        };
        let err = match known {
            None => Some(format!("{name} is not a known system priority class")),
            Some(v) if v != pc.value.unwrap_or(0) => {
                Some(format!("value of {name} PriorityClass must be {v}"))
            }
            Some(_) if global => Some(format!(
                "globalDefault of {name} PriorityClass must be false"
            )),
            Some(_) => None,
        };
        if let Some(e) = err {
            errs.push(FieldError::forbidden(
                &root().field("metadata").field("name"),
                format!(
                    "priority class names with 'system-' prefix are reserved for system use only. error: {e}"
                ),
            ));
        }
    } else if pc.value.unwrap_or(0) > HIGHEST_USER_PRIORITY {
        errs.push(FieldError::forbidden(
            &root().field("value"),
            format!("maximum allowed value of a user defined priority is {HIGHEST_USER_PRIORITY}"),
        ));
    }
    if let Some(p) = &pc.preemption_policy {
        if p.is_empty() {
            errs.push(FieldError::required(&root().field("preemptionPolicy"), ""));
        } else if p != "PreemptLowerPriority" && p != "Never" {
            errs.push(FieldError::not_supported(
                &root().field("preemptionPolicy"),
                p.as_str(),
                &["PreemptLowerPriority", "Never"],
            ));
        }
    }
    errs
}

// -------------------------------------------------------------- PVC ---

/// `ValidatePersistentVolumeClaim` beyond its metadata.
pub fn validate_pvc(pvc: &api::PersistentVolumeClaim) -> Vec<FieldError> {
    let default = api::PersistentVolumeClaimSpec::default();
    validate_pvc_spec(pvc.spec.as_ref().unwrap_or(&default), &root().field("spec"))
}

const ACCESS_MODES: [&str; 4] = [
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

/// `ValidatePersistentVolumeClaimSpec`.
pub fn validate_pvc_spec(
    spec: &api::PersistentVolumeClaimSpec,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let modes = spec.access_modes.as_deref().unwrap_or_default();
    if modes.is_empty() {
        errs.push(FieldError::required(
            &path.field("accessModes"),
            "at least 1 access mode is required",
        ));
    }
    if let Some(sel) = &spec.selector {
        errs.extend(validate_label_selector(
            Some(sel),
            SelectorOptions::default(),
            &path.field("selector"),
        ));
    }
    let (mut rwop, mut other) = (false, false);
    for (i, m) in modes.iter().enumerate() {
        if !ACCESS_MODES.contains(&m.as_str()) {
            errs.push(
                FieldError::not_supported(&path.field("accessModes"), m.as_str(), &ACCESS_MODES)
                    .pointing_at(path.field("accessModes").index(i)),
            );
        }
        if m == "ReadWriteOncePod" {
            rwop = true;
        } else if ACCESS_MODES.contains(&m.as_str()) {
            other = true;
        }
    }
    if rwop && other {
        errs.push(FieldError::forbidden(
            &path.field("accessModes"),
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
    let storage_path = path.field("resources").key("storage");
    let written = path.field("resources").field("requests").key("storage");
    let storage = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"));
    match storage.and_then(|q| Quantity::from_api(q).ok()) {
        None if storage.is_none() => {
            errs.push(FieldError::required(&storage_path, "").pointing_at(path.field("resources")))
        }
        None => {}
        Some(q) if q.sign() <= 0 => errs.push(
            FieldError::invalid(&storage_path, q.canonical(), "must be greater than zero")
                .pointing_at(written),
        ),
        Some(_) => {}
    }
    if let Some(sc) = set(&spec.storage_class_name) {
        for m in subdomain_name_msgs(sc, false) {
            errs.push(FieldError::invalid(&path.field("storageClassName"), sc, m));
        }
    }
    if let Some(vm) = &spec.volume_mode
        && vm != "Block"
        && vm != "Filesystem"
    {
        errs.push(FieldError::not_supported(
            &path.field("volumeMode"),
            vm.as_str(),
            &["Block", "Filesystem"],
        ));
    }
    if let Some(ds) = &spec.data_source {
        errs.extend(data_source(
            &ds.name,
            &ds.kind,
            ds.api_group.as_deref(),
            &path.field("dataSource"),
        ));
    }
    if let Some(dr) = &spec.data_source_ref {
        let p = path.field("dataSourceRef");
        errs.extend(data_source(&dr.name, &dr.kind, dr.api_group.as_deref(), &p));
        if let Some(ns) = set(&dr.namespace) {
            for m in super::super::field::is_dns1123_label(ns) {
                errs.push(FieldError::invalid(&p.field("namespace"), ns, m));
            }
        }
    }
    if let (Some(ds), Some(dr)) = (&spec.data_source, &spec.data_source_ref) {
        if set(&dr.namespace).is_some() {
            errs.push(FieldError::invalid(
                path,
                BadValue::Raw(path.field("dataSource").to_string()),
                "may not be specified when dataSourceRef.namespace is specified",
            ));
        } else if ds.api_group != dr.api_group || ds.kind != dr.kind || ds.name != dr.name {
            errs.push(FieldError::invalid(
                path,
                BadValue::Raw(path.field("dataSource").to_string()),
                "must match dataSourceRef",
            ));
        }
    }
    if let Some(vac) = set(&spec.volume_attributes_class_name) {
        for m in subdomain_name_msgs(vac, false) {
            errs.push(FieldError::invalid(
                &path.field("volumeAttributesClassName"),
                vac,
                m,
            ));
        }
    }
    errs
}

fn data_source(name: &str, kind: &str, group: Option<&str>, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push(FieldError::required(&path.field("name"), ""));
    }
    if kind.is_empty() {
        errs.push(FieldError::required(&path.field("kind"), ""));
    }
    let group = group.unwrap_or_default();
    if group.is_empty() && kind != "PersistentVolumeClaim" {
        errs.push(FieldError::invalid(
            path,
            kind,
            "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        ));
    }
    if !group.is_empty() {
        for m in is_dns1123_subdomain(group) {
            errs.push(FieldError::invalid(&path.field("apiGroup"), group, m));
        }
    }
    errs
}

#[cfg(test)]
mod tests;
