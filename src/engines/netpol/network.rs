//! The part of a cluster NetworkPolicy cares about, read from the model:
//! namespaces and their labels (with the `kubernetes.io/metadata.name`
//! label the API server sets on every namespace), pods with their labels,
//! IPs (`status.podIP`, `status.podIPs`) and container ports, and the
//! compiled policies. Later definitions of the same object replace earlier
//! ones, as `kubectl apply` of both files would.

use super::Protocol;
use super::cidr::parse_ip_sloppy;
use super::policy::{self, Policy, PolicyError};
use crate::engines::selector::Labels;
use crate::model::{ClusterModel, FieldPath, Location, Object};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;

/// upstream: k8s.io/api core/v1 `LabelMetadataName`.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

#[derive(Clone, Debug)]
pub struct Namespace {
    pub name: String,
    pub labels: Labels,
    /// False when no Namespace object was given and the namespace only
    /// exists because pods or policies name it.
    pub declared: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub port: i32,
    pub protocol: Protocol,
}

#[derive(Clone, Debug)]
pub struct Pod<'m> {
    pub namespace: String,
    pub name: String,
    /// Index into [`Network::namespaces`].
    pub ns: usize,
    pub labels: Labels,
    pub ips: Vec<IpAddr>,
    pub ports: Vec<ContainerPort>,
    pub object: Option<&'m Object>,
}

impl Pod<'_> {
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// A traffic source or destination: a pod, or an IP outside the pods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    Pod(usize),
    Ip(IpAddr),
}

/// Something in the model that keeps it from being evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetworkError {
    Policy(PolicyError),
    Pod {
        pod: String,
        message: String,
        location: Option<Location>,
    },
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkError::Policy(e) => write!(f, "{e}"),
            NetworkError::Pod {
                pod,
                message,
                location,
            } => {
                if let Some(l) = location {
                    write!(f, "{l}: ")?;
                }
                write!(f, "Pod/{pod}: {message}")
            }
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Network<'m> {
    pub namespaces: Vec<Namespace>,
    pub pods: Vec<Pod<'m>>,
    pub policies: Vec<Policy<'m>>,
    /// Peers across all policies (see [`policy::Rule::first_peer`]).
    pub peer_count: usize,
    ns_index: HashMap<String, usize>,
    pod_index: HashMap<(String, String), usize>,
}

impl<'m> Network<'m> {
    pub fn from_model(model: &'m ClusterModel) -> Result<Network<'m>, Vec<NetworkError>> {
        let mut net = Network::default();
        let mut errors = Vec::new();
        for ns in model.of::<core::Namespace>() {
            let name = ns.metadata.name.clone().unwrap_or_default();
            let labels = ns.metadata.labels.clone().unwrap_or_default();
            let i = net.namespace_index(&name);
            net.namespaces[i].labels = labels;
            net.namespaces[i].declared = true;
        }
        for pod in model.of::<core::Pod>() {
            match read_pod(&pod, pod.object) {
                Ok(mut p) => {
                    p.ns = net.namespace_index(&p.namespace);
                    let key = (p.namespace.clone(), p.name.clone());
                    match net.pod_index.get(&key) {
                        Some(&i) => net.pods[i] = p,
                        None => {
                            net.pod_index.insert(key, net.pods.len());
                            net.pods.push(p);
                        }
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        let mut raw: Vec<(String, String, &'m NetworkPolicy, &'m Object)> = Vec::new();
        for np in model.of::<NetworkPolicy>() {
            let ns = np
                .id()
                .namespace
                .clone()
                .unwrap_or_else(|| "default".into());
            let name = np.metadata.name.clone().unwrap_or_default();
            match raw.iter().position(|(n, m, _, _)| *n == ns && *m == name) {
                Some(i) => raw[i] = (ns, name, np.obj, np.object),
                None => raw.push((ns, name, np.obj, np.object)),
            }
        }
        let mut next_peer = 0;
        for (ns, _, np, object) in raw {
            net.namespace_index(&ns);
            match policy::compile(np, &ns, Some(object), &mut next_peer) {
                Ok(p) => net.policies.push(p),
                Err(e) => errors.push(NetworkError::Policy(e)),
            }
        }
        net.peer_count = next_peer;
        // upstream: pkg/apis/core/v1/defaults.go SetDefaults_Namespace sets
        // the label to the name on every namespace, overriding any value.
        for ns in &mut net.namespaces {
            ns.labels
                .insert(NAMESPACE_NAME_LABEL.to_string(), ns.name.clone());
        }
        if errors.is_empty() {
            Ok(net)
        } else {
            Err(errors)
        }
    }

    fn namespace_index(&mut self, name: &str) -> usize {
        if let Some(&i) = self.ns_index.get(name) {
            return i;
        }
        let i = self.namespaces.len();
        self.namespaces.push(Namespace {
            name: name.to_string(),
            labels: Labels::new(),
            declared: false,
        });
        self.ns_index.insert(name.to_string(), i);
        i
    }

    pub fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.ns_index.get(name).map(|&i| &self.namespaces[i])
    }

    pub fn pod(&self, namespace: &str, name: &str) -> Option<usize> {
        self.pod_index
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
    }

    /// Every pod, in load order.
    pub fn pod_endpoints(&self) -> Vec<Endpoint> {
        (0..self.pods.len()).map(Endpoint::Pod).collect()
    }

    /// `NS/POD` or `ip:A.B.C.D`, as the reach command and checkers name
    /// endpoints.
    pub fn endpoint(&self, spec: &str) -> Result<Endpoint, String> {
        if let Some(ip) = spec.strip_prefix("ip:") {
            return ip
                .parse::<IpAddr>()
                .map(Endpoint::Ip)
                .map_err(|_| format!("{spec:?}: not an IP address (write ip:10.0.0.5)"));
        }
        let Some((ns, name)) = spec.split_once('/') else {
            return Err(format!(
                "{spec:?}: name a pod as NAMESPACE/POD (e.g. default/web) or an address as ip:A.B.C.D"
            ));
        };
        if let Some(i) = self.pod(ns, name) {
            return Ok(Endpoint::Pod(i));
        }
        let mut msg = format!("no pod {spec} in the files");
        let close: Vec<String> = self
            .pods
            .iter()
            .map(Pod::key)
            .filter(|k| strsim::levenshtein(k, spec) <= 2 || k.ends_with(&format!("/{name}")))
            .collect();
        if !close.is_empty() {
            msg.push_str(&format!(" (did you mean {}?)", close.join(", ")));
        } else if self.pods.is_empty() {
            msg.push_str(" (the files hold no pods)");
        }
        Err(msg)
    }

    /// How the reach command prints an endpoint.
    pub fn endpoint_name(&self, e: Endpoint) -> String {
        match e {
            Endpoint::Pod(i) => self.pods[i].key(),
            Endpoint::Ip(ip) => format!("ip:{ip}"),
        }
    }

    pub fn pod_of(&self, e: Endpoint) -> Option<&Pod<'m>> {
        match e {
            Endpoint::Pod(i) => self.pods.get(i),
            Endpoint::Ip(_) => None,
        }
    }

    /// The addresses an endpoint sends from and receives on.
    pub fn ips<'a>(&'a self, e: &'a Endpoint) -> &'a [IpAddr] {
        match e {
            Endpoint::Pod(i) => &self.pods[*i].ips,
            Endpoint::Ip(ip) => std::slice::from_ref(ip),
        }
    }
}

fn read_pod<'m>(pod: &core::Pod, object: &'m Object) -> Result<Pod<'m>, NetworkError> {
    let namespace = object
        .id
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let name = pod.metadata.name.clone().unwrap_or_default();
    let err = |path: &str, message: String| NetworkError::Pod {
        pod: format!("{namespace}/{name}"),
        message,
        location: object.locate(&FieldPath::parse(path)),
    };
    let mut ips = Vec::new();
    if let Some(status) = &pod.status {
        let listed = status.pod_ips.iter().flatten().map(|p| p.ip.as_str());
        for (field, text) in status
            .pod_ip
            .as_deref()
            .map(|t| ("status.podIP", t))
            .into_iter()
            .chain(listed.map(|t| ("status.podIPs", t)))
        {
            if text.is_empty() {
                continue;
            }
            let ip = parse_ip_sloppy(text)
                .ok_or_else(|| err(field, format!("{field}: {text:?} is not an IP address")))?;
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
    }
    let mut ports = Vec::new();
    if let Some(spec) = &pod.spec {
        // Sidecars (init containers that keep running) serve ports too.
        let regular = spec
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| ("containers", i, c));
        let sidecars = spec
            .init_containers
            .iter()
            .flatten()
            .enumerate()
            .filter(|(_, c)| c.restart_policy.as_deref() == Some("Always"))
            .map(|(i, c)| ("initContainers", i, c));
        for (list, i, c) in regular.chain(sidecars) {
            for (j, p) in c.ports.iter().flatten().enumerate() {
                let protocol = match p.protocol.as_deref() {
                    None => Protocol::Tcp,
                    Some(s) => Protocol::parse(s).ok_or_else(|| {
                        err(
                            &format!("spec.{list}[{i}].ports[{j}].protocol"),
                            format!(
                                "container {}: port protocol {s:?} is not TCP, UDP or SCTP",
                                c.name
                            ),
                        )
                    })?,
                };
                let port = ContainerPort {
                    name: p.name.clone().filter(|n| !n.is_empty()),
                    port: p.container_port,
                    protocol,
                };
                if !ports.contains(&port) {
                    ports.push(port);
                }
            }
        }
    }
    Ok(Pod {
        namespace,
        name,
        ns: 0,
        labels: pod.metadata.labels.clone().unwrap_or_default(),
        ips,
        ports,
        object: Some(object),
    })
}
