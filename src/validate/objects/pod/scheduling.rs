//! Where and how a pod is placed and resolves names: affinity, topology
//! spread constraints and DNS config.

use super::*;

pub(super) fn validate_affinity(a: &api::Affinity, path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn node_selector(ns: &api::NodeSelector, path: &FieldPath) -> Vec<FieldError> {
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

pub(super) fn node_selector_term(
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
        errs.extend(validate_label_name(&r.key, &rp.field("key")));
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

pub(super) fn pod_affinity_term(t: &api::PodAffinityTerm, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = validate_label_selector(
        t.label_selector.as_ref(),
        SelectorOptions::default(),
        &path.field("labelSelector"),
    );
    errs.extend(validate_label_selector(
        t.namespace_selector.as_ref(),
        SelectorOptions::default(),
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
    errs.extend(validate_label_name(
        &t.topology_key,
        &path.field("topologyKey"),
    ));
    errs
}

/// `validateMatchLabelKeysAndMismatchLabelKeys`.
pub(super) fn match_label_keys(
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
            errs.extend(validate_label_name(k, &path.field(f).index(i)));
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

pub(super) fn topology_spread(
    c: &[api::TopologySpreadConstraint],
    path: &FieldPath,
) -> Vec<FieldError> {
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
                errs.extend(validate_label_name(k, &kp.index(j)));
                if in_sel.contains(k.as_str()) {
                    errs.push(FieldError::invalid(
                        &kp.index(j),
                        k.as_str(),
                        "exists in both matchLabelKeys and labelSelector",
                    ));
                }
            }
        }
        errs.extend(validate_label_selector(
            t.label_selector.as_ref(),
            SelectorOptions::default(),
            &p.field("labelSelector"),
        ));
    }
    errs
}

pub(super) fn validate_dns_config(spec: &api::PodSpec, path: &FieldPath) -> Vec<FieldError> {
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
            crate::validate::field::BadValue::Raw(go_string_slice(ns)),
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
            crate::validate::field::BadValue::Raw(go_string_slice(searches)),
            "must not have more than 32 search paths",
        ));
    }
    if searches.join(" ").len() > 2048 {
        errs.push(FieldError::invalid(
            &path.field("searches"),
            crate::validate::field::BadValue::Raw(go_string_slice(searches)),
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

pub(super) fn go_string_slice(v: &[String]) -> String {
    let items: Vec<String> = v
        .iter()
        .map(|s| crate::validate::field::go_quote(s))
        .collect();
    format!("[]string{{{}}}", items.join(", "))
}

/// `IsDNS1123SubdomainWithUnderscore`.
pub(super) fn dns_subdomain_with_underscore(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(crate::validate::field::max_len_error(253));
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
        errs.push(crate::validate::field::regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character",
            "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*",
            &["example.com"],
        ));
    }
    errs
}
