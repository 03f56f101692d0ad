//! Container and pod-level resources (`validateResourceRequirements`,
//! `validatePodResources`): resource names, non-negative and integral
//! quantities, requests within limits, hugepages.

use super::*;
use crate::engines::pod_resources::PodContainers;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ResourceNames {
    Container,
    Pod,
}

pub(super) const STANDARD_RESOURCES: [&str; 20] = [
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "storage",
    "requests.storage",
    "services.nodeports",
    "services.loadbalancers",
];

pub(super) fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// `helper.IsNativeResource`: unprefixed or `kubernetes.io/` prefixed.
pub(super) fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

pub(super) fn is_extended(name: &str) -> bool {
    if is_native(name) || name.starts_with("requests.") {
        return false;
    }
    is_label_key(&format!("requests.{name}")).is_empty()
}

/// Requests may exceed... nothing: these must equal their limits.
pub(super) fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !is_hugepages(name)
}

/// `helper.IsIntegerResourceName`.
pub(super) fn is_integer_resource(name: &str) -> bool {
    matches!(
        name,
        "pods"
            | "resourcequotas"
            | "services"
            | "replicationcontrollers"
            | "secrets"
            | "configmaps"
            | "persistentvolumeclaims"
            | "services.nodeports"
            | "services.loadbalancers"
    ) || is_extended(name)
}

/// `validateResourceName`.
pub(super) fn resource_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    let errs = qualified_name(name, path);
    if !errs.is_empty() {
        return errs;
    }
    if !name.contains('/')
        && !STANDARD_RESOURCES.contains(&name)
        && !name.starts_with("hugepages-")
        && !name.starts_with("requests.hugepages-")
    {
        return vec![FieldError::invalid(
            path,
            name,
            "must be a standard resource type or fully qualified",
        )];
    }
    Vec::new()
}

/// `validateContainerResourceName`.
pub(super) fn container_resource_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = resource_name(name, path);
    if !name.contains('/') {
        if !matches!(name, "cpu" | "memory" | "ephemeral-storage") && !is_hugepages(name) {
            errs.push(FieldError::invalid(
                path,
                name,
                "must be a standard resource for containers",
            ));
        }
    } else if !is_native(name) && !is_extended(name) {
        errs.push(FieldError::invalid(
            path,
            name,
            "doesn't follow extended resource name standard",
        ));
    }
    errs
}

/// `validatePodResourceName`: pod-level resources cover cpu and memory
/// (and hugepages).
pub(super) fn pod_resource_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    let errs = resource_name(name, path);
    if !errs.is_empty() {
        return errs;
    }
    if !matches!(name, "cpu" | "memory") && !is_hugepages(name) {
        return vec![FieldError::not_supported(path, name, &["cpu", "memory"])];
    }
    Vec::new()
}

/// `ValidateResourceQuantityValue`. The quantity itself is the bad value
/// of "must be an integer" (printed `%#v`), its `String()` that of the
/// negative case, as upstream passes them.
pub(super) fn quantity_value(name: &str, q: &Quantity, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if q.sign() < 0 {
        errs.push(FieldError::invalid(path, q.canonical(), NEGATIVE_MSG));
    }
    if is_integer_resource(name) && !q.is_whole() {
        errs.push(FieldError::invalid(
            path,
            crate::validate::field::BadValue::Raw(q.go_struct()),
            "must be an integer",
        ));
    }
    errs
}

/// The page size a `hugepages-<size>` name declares
/// (`HugePageSizeFromResourceName`).
pub(super) fn hugepage_size(name: &str) -> Option<Quantity> {
    Quantity::parse(name.strip_prefix("hugepages-")?).ok()
}

/// `validateResourceQuantityHugePageValue`, with
/// `IsHugePageResourceValueDivisible`.
pub(super) fn hugepage_value(name: &str, q: &Quantity) -> Option<String> {
    let divisible = hugepage_size(name).is_some_and(|size| {
        let page = size.value();
        size.sign() > 0 && size.is_whole() && q.value() % page == 0
    });
    (!divisible).then(|| format!("{q} is not positive integer multiple of {name}"))
}

/// A resource map's quantities, in name order; values that do not parse
/// are left to the schema check, which reports them.
pub(super) fn parsed(
    list: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) -> Vec<(&str, Quantity)> {
    list.into_iter()
        .flatten()
        .filter_map(|(k, v)| Quantity::from_api(v).ok().map(|q| (k.as_str(), q)))
        .collect()
}

/// `validateResourceRequirements`.
pub(super) fn resource_requirements(
    r: &api::ResourceRequirements,
    path: &FieldPath,
    names: ResourceNames,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let lim_path = path.field("limits");
    let req_path = path.field("requests");
    let name_fn = |n: &str, p: &FieldPath| match names {
        ResourceNames::Container => container_resource_name(n, p),
        ResourceNames::Pod => pod_resource_name(n, p),
    };
    let limits = parsed(r.limits.as_ref());
    let requests = parsed(r.requests.as_ref());
    let (mut lim_cpu_mem, mut req_cpu_mem, mut huge) = (false, false, false);
    for (name, q) in &limits {
        let p = lim_path.key(name);
        errs.extend(name_fn(name, &p));
        errs.extend(quantity_value(name, q, &p));
        if is_hugepages(name) {
            huge = true;
            if let Some(m) = hugepage_value(name, q) {
                errs.push(FieldError::invalid(&p, q.to_string(), m));
            }
        }
        lim_cpu_mem |= matches!(*name, "cpu" | "memory");
    }
    for (name, q) in &requests {
        let p = req_path.key(name);
        errs.extend(name_fn(name, &p));
        errs.extend(quantity_value(name, q, &p));
        match limits.iter().find(|(n, _)| n == name) {
            Some((_, lim)) => {
                let ord = q.cmp_value(lim);
                if ord != std::cmp::Ordering::Equal && !overcommit_allowed(name) {
                    errs.push(
                        FieldError::invalid(
                            &req_path,
                            q.canonical(),
                            format!("must be equal to {name} limit of {lim}"),
                        )
                        .pointing_at(p.clone()),
                    );
                } else if ord == std::cmp::Ordering::Greater {
                    errs.push(
                        FieldError::invalid(
                            &req_path,
                            q.canonical(),
                            format!("must be less than or equal to {name} limit of {lim}"),
                        )
                        .pointing_at(p.clone()),
                    );
                }
            }
            None if !overcommit_allowed(name) => errs.push(
                FieldError::required(
                    &lim_path,
                    "Limit must be set for non overcommitable resources",
                )
                .pointing_at(p.clone()),
            ),
            None => {}
        }
        if is_hugepages(name) {
            huge = true;
            if let Some(m) = hugepage_value(name, q) {
                errs.push(FieldError::invalid(&p, q.to_string(), m));
            }
        }
        req_cpu_mem |= matches!(*name, "cpu" | "memory");
    }
    if !lim_cpu_mem && !req_cpu_mem && huge {
        errs.push(FieldError::forbidden(
            path,
            "HugePages require cpu or memory",
        ));
    }
    errs
}

/// `validatePodResources` (pod-level `spec.resources`, on by default
/// since 1.34).
pub(super) fn validate_pod_resources(
    r: &api::ResourceRequirements,
    spec: &api::PodSpec,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if r.claims.is_some() {
        errs.push(FieldError::forbidden(
            &path.field("claims"),
            "claims cannot be set for Resources at pod-level",
        ));
    }
    errs.extend(resource_requirements(r, path, ResourceNames::Pod));
    // Pod-level requests must cover the containers' requests. A request the
    // pod leaves out is defaulted by the server, so only explicit ones are
    // compared.
    let pod_req = parsed(r.requests.as_ref());
    let pod_lim = parsed(r.limits.as_ref());
    let containers = PodContainers::of(spec).aggregate_containers(|c| &c.requests);
    for (name, pq) in &pod_req {
        let Some(total) = containers.get(*name) else {
            continue;
        };
        if total.cmp_value(pq).is_gt() {
            errs.push(FieldError::invalid(
                &path.field("requests").key(name),
                pq.canonical(),
                format!("must be greater than or equal to aggregate container requests of {total}"),
            ));
        }
    }
    for (i, c) in spec.containers.iter().enumerate() {
        for (name, cl) in parsed(c.resources.as_ref().and_then(|r| r.limits.as_ref())) {
            let Some((_, pl)) = pod_lim.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            if cl.cmp_value(pl).is_gt() {
                errs.push(
                    FieldError::invalid(
                        &path.field("containers").index(i).key(name).field("limits"),
                        cl.canonical(),
                        format!("must be less than or equal to pod limits of {pl}"),
                    )
                    .pointing_at(
                        FieldPath::root()
                            .field("spec")
                            .field("containers")
                            .index(i)
                            .field("resources")
                            .field("limits")
                            .key(name),
                    ),
                );
            }
        }
    }
    errs
}
