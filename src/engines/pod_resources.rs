//! What a pod asks for, as the API server defaults it and as the
//! scheduler, the quota evaluator and the kubelet add it up: a limit with
//! no request becomes the request (pkg/apis/core/v1/defaults.go), app
//! containers sum, an init container counts only while it runs alone
//! (unless it is a restartable sidecar, which runs alongside), pod-level
//! `resources` replace the container sum where set, overhead is added.
//!
//! Upstream: staging/src/k8s.io/component-helpers/resource/helpers.go
//! (PodRequests, PodLimits, AggregateContainerRequests).

use super::quantity::Quantity;
use k8s_openapi::api::core::v1::{Container, PodSpec, ResourceRequirements};
use std::collections::BTreeMap;

/// Resource name → quantity.
pub type ResourceList = BTreeMap<String, Quantity>;

/// Parse a k8s-openapi resource map. Values that do not parse (strict
/// validation rejects them before any engine runs) are left out.
pub fn parse_list(
    list: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) -> ResourceList {
    let mut out = ResourceList::new();
    for (k, v) in list.into_iter().flatten() {
        if let Ok(q) = Quantity::from_api(v) {
            out.insert(k.clone(), q);
        }
    }
    out
}

/// A container's requests and limits after the API server's defaulting.
#[derive(Clone, Debug, Default)]
pub struct ContainerResources {
    pub requests: ResourceList,
    pub limits: ResourceList,
}

impl ContainerResources {
    pub fn of(r: Option<&ResourceRequirements>) -> Self {
        let requests = parse_list(r.and_then(|r| r.requests.as_ref()));
        let limits = parse_list(r.and_then(|r| r.limits.as_ref()));
        ContainerResources { requests, limits }
    }

    /// `SetDefaults_Pod`: a limit with no request becomes the request.
    pub fn defaulted(mut self) -> Self {
        for (k, v) in &self.limits {
            self.requests.entry(k.clone()).or_insert_with(|| v.clone());
        }
        self
    }
}

/// One container's name, whether it is a restartable init container
/// (a sidecar), and its resources.
#[derive(Clone, Debug)]
pub struct ContainerEntry {
    pub name: String,
    pub sidecar: bool,
    pub res: ContainerResources,
}

/// The containers of a pod spec with their resources.
#[derive(Clone, Debug)]
pub struct PodContainers {
    pub app: Vec<ContainerEntry>,
    pub init: Vec<ContainerEntry>,
    /// Pod-level `spec.resources` (PodLevelResources).
    pub pod_level: Option<ContainerResources>,
    pub overhead: ResourceList,
}

impl PodContainers {
    /// As the API server stores the pod: limits copied into missing
    /// requests.
    pub fn of(spec: &PodSpec) -> Self {
        Self::build(spec, true)
    }

    /// As written, without the API server's defaulting.
    pub fn as_written(spec: &PodSpec) -> Self {
        Self::build(spec, false)
    }

    fn build(spec: &PodSpec, defaulted: bool) -> Self {
        let entry = |c: &Container| {
            let res = ContainerResources::of(c.resources.as_ref());
            ContainerEntry {
                name: c.name.clone(),
                sidecar: is_sidecar(c),
                res: if defaulted { res.defaulted() } else { res },
            }
        };
        let app = spec.containers.iter().map(entry).collect();
        let init = spec.init_containers.iter().flatten().map(entry).collect();
        let pod_level = spec.resources.as_ref().map(|r| {
            let mut res = ContainerResources::of(Some(r));
            if defaulted {
                for (k, v) in &res.limits {
                    if is_supported_pod_level_resource(k) {
                        res.requests.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
            res
        });
        PodContainers {
            app,
            init,
            pod_level,
            overhead: parse_list(spec.overhead.as_ref()),
        }
    }

    /// `PodRequests`, overhead included.
    pub fn requests(&self) -> ResourceList {
        let mut r = self.aggregate(|c| &c.requests);
        add_into(&mut r, &self.overhead);
        r
    }

    /// `PodLimits`: overhead is added only to limits that are set.
    pub fn limits(&self) -> ResourceList {
        let mut l = self.aggregate(|c| &c.limits);
        for (k, v) in &self.overhead {
            if let Some(t) = l.get_mut(k) {
                *t = t.add(v);
            }
        }
        l
    }

    /// Requests or limits of the containers (max of app sum and each init
    /// container), replaced by pod-level values where those are set;
    /// no overhead.
    pub fn aggregate(&self, pick: impl Fn(&ContainerResources) -> &ResourceList) -> ResourceList {
        let mut total = self.aggregate_containers(&pick);
        if let Some(p) = &self.pod_level
            && is_pod_level_set(p)
        {
            for (k, v) in pick(p) {
                if is_supported_pod_level_resource(k) {
                    total.insert(k.clone(), v.clone());
                }
            }
        }
        total
    }

    /// `AggregateContainerRequests` (or its limits twin): the containers
    /// alone, pod-level `resources` not applied. What pod validation
    /// holds pod-level requests against.
    pub fn aggregate_containers(
        &self,
        pick: impl Fn(&ContainerResources) -> &ResourceList,
    ) -> ResourceList {
        let mut total = ResourceList::new();
        for c in &self.app {
            add_into(&mut total, pick(&c.res));
        }
        let mut sidecars = ResourceList::new();
        let mut init_max = ResourceList::new();
        for c in &self.init {
            let this = if c.sidecar {
                add_into(&mut total, pick(&c.res));
                add_into(&mut sidecars, pick(&c.res));
                sidecars.clone()
            } else {
                let mut tmp = pick(&c.res).clone();
                add_into(&mut tmp, &sidecars);
                tmp
            };
            max_into(&mut init_max, &this);
        }
        max_into(&mut total, &init_max);
        total
    }
}

/// An init container with `restartPolicy: Always` runs for the pod's
/// whole life, beside the app containers.
pub fn is_sidecar(c: &Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

/// Resources that pod-level `resources` may set.
pub fn is_supported_pod_level_resource(name: &str) -> bool {
    name == "cpu" || name == "memory" || name.starts_with("hugepages-")
}

fn is_pod_level_set(p: &ContainerResources) -> bool {
    !p.requests.is_empty() || p.limits.keys().any(|k| is_supported_pod_level_resource(k))
}

/// `addResourceList`: sums, keeping the first operand's format.
pub fn add_into(total: &mut ResourceList, add: &ResourceList) {
    for (k, v) in add {
        match total.get_mut(k) {
            Some(t) => *t = t.add(v),
            None => {
                total.insert(k.clone(), v.clone());
            }
        }
    }
}

/// `maxResourceList`.
pub fn max_into(total: &mut ResourceList, other: &ResourceList) {
    for (k, v) in other {
        match total.get_mut(k) {
            Some(t) if v.cmp_value(t).is_gt() => *t = v.clone(),
            Some(_) => {}
            None => {
                total.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(v: serde_json::Value) -> PodSpec {
        serde_json::from_value(v).expect("pod spec")
    }

    fn s(list: &ResourceList, k: &str) -> String {
        list.get(k).map(|q| q.canonical()).unwrap_or_default()
    }

    // upstream: component-helpers/resource/helpers_test.go TestPodRequests
    // ("init container + sidecars" cases): a sidecar adds to the app sum
    // and to every later init container.
    #[test]
    fn init_and_sidecar_requests() {
        let p = spec(json!({
            "initContainers": [
                {"name": "init-1", "resources": {"requests": {"cpu": "1"}}},
                {"name": "sidecar", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1"}}},
                {"name": "init-2", "resources": {"requests": {"cpu": "5"}}}
            ],
            "containers": [{"name": "app", "resources": {"requests": {"cpu": "1"}}}]
        }));
        // app 1 + sidecar 1 = 2; init-2 runs with the sidecar: 6.
        assert_eq!(s(&PodContainers::of(&p).requests(), "cpu"), "6");
    }

    #[test]
    fn limits_default_requests_and_overhead_adds() {
        let p = spec(json!({
            "containers": [
                {"name": "a", "resources": {"limits": {"memory": "1Gi", "cpu": "500m"}}},
                {"name": "b", "resources": {"requests": {"cpu": "250m"}, "limits": {"cpu": "1"}}}
            ],
            "overhead": {"cpu": "250m"}
        }));
        let pc = PodContainers::of(&p);
        let r = pc.requests();
        assert_eq!(s(&r, "cpu"), "1");
        assert_eq!(s(&r, "memory"), "1Gi");
        assert_eq!(s(&pc.limits(), "cpu"), "1750m");
    }

    #[test]
    fn pod_level_resources_replace_the_container_sum() {
        let p = spec(json!({
            "resources": {"limits": {"cpu": "2"}},
            "containers": [{"name": "a", "resources": {"requests": {"cpu": "500m", "memory": "64Mi"}}}]
        }));
        let r = PodContainers::of(&p).requests();
        assert_eq!(s(&r, "cpu"), "2");
        assert_eq!(s(&r, "memory"), "64Mi");
    }

    // A non-sidecar init container is held against the final sum, sidecars
    // declared after it included (upstream compares the init maximum with
    // the total once every container is counted).
    // upstream: component-helpers/resource/helpers.go
    // AggregateContainerRequests; helpers_test.go TestPodRequests
    // "restartable init container ... sidecar after init" shape.
    #[test]
    fn init_max_is_taken_after_every_container() {
        let p = spec(json!({
            "resources": {"requests": {"cpu": "1"}},
            "initContainers": [
                {"name": "init", "resources": {"requests": {"cpu": "5"}}},
                {"name": "sidecar", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1"}}}
            ],
            "containers": [{"name": "app", "resources": {"limits": {"cpu": "1"}}}]
        }));
        let pc = PodContainers::of(&p);
        // app 1 (its limit defaults the request) + sidecar 1 = 2 < init 5.
        assert_eq!(s(&pc.aggregate_containers(|c| &c.requests), "cpu"), "5");
        // Pod-level requests replace the container figure.
        assert_eq!(s(&pc.requests(), "cpu"), "1");
    }
}
