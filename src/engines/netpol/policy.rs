//! A NetworkPolicy compiled for evaluation, with the API server's defaults
//! applied (pkg/apis/networking/v1/defaults.go): `policyTypes` when
//! omitted is Ingress, plus Egress when the policy has egress rules; a
//! port without `protocol` is TCP. Every rule, peer and port keeps its
//! field path, so an explanation can point at the line responsible.

use super::Protocol;
use super::cidr::Cidr;
use crate::engines::selector::{Selector, SelectorError};
use crate::model::{FieldPath, Location, Object};
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::fmt;

/// Traffic direction, as `policyTypes` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// The list of peers in a rule of this direction.
    fn peers_field(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Policy<'m> {
    pub namespace: String,
    pub name: String,
    pub object: Option<&'m Object>,
    pub pod_selector: Selector,
    pub ingress: Option<Vec<Rule>>,
    pub egress: Option<Vec<Rule>>,
    /// True when `policyTypes` was omitted and the API server's default
    /// decided the directions (a classic surprise worth explaining).
    pub defaulted_types: bool,
}

impl Policy<'_> {
    /// `NS/NAME`, as the reach JSON names policies.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The rules of one direction, when the policy isolates in it.
    pub fn rules(&self, d: Direction) -> Option<&[Rule]> {
        match d {
            Direction::Ingress => self.ingress.as_deref(),
            Direction::Egress => self.egress.as_deref(),
        }
    }

    pub fn isolates(&self, d: Direction) -> bool {
        self.rules(d).is_some()
    }
}

impl fmt::Display for Policy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NetworkPolicy/{}/{}", self.namespace, self.name)
    }
}

/// One ingress or egress rule. Empty `ports` or `peers` match everything.
#[derive(Clone, Debug)]
pub struct Rule {
    pub path: FieldPath,
    pub ports: Vec<Port>,
    pub peers: Vec<Peer>,
    /// Global index of the first peer of this rule (peers are numbered
    /// across all policies, for the matrix's precomputed peer matches).
    pub first_peer: usize,
}

#[derive(Clone, Debug)]
pub struct Port {
    pub path: FieldPath,
    pub protocol: Protocol,
    pub port: PortSpec,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortSpec {
    /// No `port`: every port of the protocol.
    Any,
    /// `port` with an optional `endPort` (inclusive).
    Range(i32, i32),
    /// A named port, looked up on the destination pod.
    Named(String),
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.port {
            PortSpec::Any => write!(f, "any/{}", self.protocol),
            PortSpec::Range(a, b) if a == b => write!(f, "{a}/{}", self.protocol),
            PortSpec::Range(a, b) => write!(f, "{a}-{b}/{}", self.protocol),
            PortSpec::Named(n) => write!(f, "{n}/{}", self.protocol),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Peer {
    pub path: FieldPath,
    pub kind: PeerKind,
}

#[derive(Clone, Debug)]
pub enum PeerKind {
    /// Pods: `pods` absent means every pod of the selected namespaces;
    /// `namespaces` absent means the policy's own namespace only.
    Pods {
        pods: Option<Selector>,
        namespaces: Option<Selector>,
    },
    IpBlock {
        cidr: Cidr,
        except: Vec<Cidr>,
    },
}

/// Why a policy cannot be compiled: the API server would have rejected
/// it, so nothing about it is evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    pub policy: String,
    pub path: FieldPath,
    pub message: String,
    pub location: Option<Location>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(l) = &self.location {
            write!(f, "{l}: ")?;
        }
        write!(f, "{}: {}: {}", self.policy, self.path, self.message)
    }
}

/// Compile one policy. `next_peer` numbers peers across policies.
pub fn compile<'m>(
    np: &NetworkPolicy,
    namespace: &str,
    object: Option<&'m Object>,
    next_peer: &mut usize,
) -> Result<Policy<'m>, PolicyError> {
    let name = np.metadata.name.clone().unwrap_or_default();
    let id = format!("NetworkPolicy/{namespace}/{name}");
    let err = |path: FieldPath, message: String| PolicyError {
        policy: id.clone(),
        location: object.and_then(|o| o.locate(&path)),
        path,
        message,
    };
    let sel_err =
        |path: &FieldPath, e: SelectorError| err(path.clone(), format!("invalid selector: {e}"));
    let spec = np.spec.clone().unwrap_or_default();
    let spec_path = FieldPath::root().field("spec");
    let pod_selector = match &spec.pod_selector {
        Some(s) => Selector::from_api(Some(s)),
        // upstream: types.go "If it is not specified, it defaults to an
        // empty selector".
        None => Ok(Selector::everything()),
    }
    .map_err(|e| sel_err(&spec_path.field("podSelector"), e))?;

    let (mut ingress_on, mut egress_on) = (false, false);
    let mut defaulted_types = false;
    match spec.policy_types.as_deref() {
        Some(types) if !types.is_empty() => {
            for (i, t) in types.iter().enumerate() {
                match t.as_str() {
                    "Ingress" => ingress_on = true,
                    "Egress" => egress_on = true,
                    other => {
                        return Err(err(
                            spec_path.field("policyTypes").index(i),
                            format!("unsupported policy type {other:?}"),
                        ));
                    }
                }
            }
        }
        // upstream: defaults.go SetDefaults_NetworkPolicy.
        _ => {
            defaulted_types = true;
            ingress_on = true;
            egress_on = spec.egress.as_ref().is_some_and(|e| !e.is_empty());
        }
    }

    let mut ingress = None;
    if ingress_on {
        let mut rules = Vec::new();
        for (i, r) in spec.ingress.iter().flatten().enumerate() {
            let path = spec_path.field("ingress").index(i);
            rules.push(compile_rule(
                &id,
                object,
                Direction::Ingress,
                path,
                r.ports.as_deref(),
                r.from.as_deref(),
                next_peer,
            )?);
        }
        ingress = Some(rules);
    }
    let mut egress = None;
    if egress_on {
        let mut rules = Vec::new();
        for (i, r) in spec.egress.iter().flatten().enumerate() {
            let path = spec_path.field("egress").index(i);
            rules.push(compile_rule(
                &id,
                object,
                Direction::Egress,
                path,
                r.ports.as_deref(),
                r.to.as_deref(),
                next_peer,
            )?);
        }
        egress = Some(rules);
    }

    return Ok(Policy {
        namespace: namespace.to_string(),
        name,
        object,
        pod_selector,
        ingress,
        egress,
        defaulted_types,
    });

    fn compile_rule(
        policy: &str,
        object: Option<&Object>,
        d: Direction,
        path: FieldPath,
        ports: Option<&[NetworkPolicyPort]>,
        peers: Option<&[NetworkPolicyPeer]>,
        next_peer: &mut usize,
    ) -> Result<Rule, PolicyError> {
        let fail = |p: FieldPath, m: String| PolicyError {
            policy: policy.to_string(),
            location: object.and_then(|o| o.locate(&p)),
            path: p,
            message: m,
        };
        let mut out_ports = Vec::new();
        for (i, p) in ports.unwrap_or_default().iter().enumerate() {
            let pp = path.field("ports").index(i);
            let protocol = match p.protocol.as_deref() {
                None => Protocol::Tcp,
                Some(s) => Protocol::parse(s).ok_or_else(|| {
                    fail(pp.field("protocol"), format!("unsupported protocol {s:?}"))
                })?,
            };
            let port = match (&p.port, p.end_port) {
                (None, None) => PortSpec::Any,
                (Some(IntOrString::Int(n)), None) => PortSpec::Range(*n, *n),
                (Some(IntOrString::Int(n)), Some(e)) if e >= *n => PortSpec::Range(*n, e),
                (Some(IntOrString::String(s)), None) => PortSpec::Named(s.clone()),
                _ => return Err(fail(pp.field("endPort"), "invalid endPort".into())),
            };
            out_ports.push(Port {
                path: pp,
                protocol,
                port,
            });
        }
        let first_peer = *next_peer;
        let mut out_peers = Vec::new();
        for (i, p) in peers.unwrap_or_default().iter().enumerate() {
            let pp = path.field(d.peers_field()).index(i);
            let kind = match (&p.ip_block, &p.pod_selector, &p.namespace_selector) {
                (Some(b), None, None) => {
                    let cidr = Cidr::parse(&b.cidr).ok_or_else(|| {
                        fail(
                            pp.field("ipBlock").field("cidr"),
                            format!("invalid CIDR {:?}", b.cidr),
                        )
                    })?;
                    let mut except = Vec::new();
                    for (j, e) in b.except.iter().flatten().enumerate() {
                        except.push(Cidr::parse(e).ok_or_else(|| {
                            fail(
                                pp.field("ipBlock").field("except").index(j),
                                format!("invalid CIDR {e:?}"),
                            )
                        })?);
                    }
                    PeerKind::IpBlock { cidr, except }
                }
                (None, pods, namespaces) if pods.is_some() || namespaces.is_some() => {
                    let compile = |s: &Option<_>, f: &str| {
                        s.as_ref()
                            .map(|s| Selector::from_api(Some(s)))
                            .transpose()
                            .map_err(|e| fail(pp.field(f), format!("invalid selector: {e}")))
                    };
                    PeerKind::Pods {
                        pods: compile(pods, "podSelector")?,
                        namespaces: compile(namespaces, "namespaceSelector")?,
                    }
                }
                _ => {
                    return Err(fail(
                        pp.clone(),
                        "a peer needs exactly one of ipBlock or selectors".into(),
                    ));
                }
            };
            out_peers.push(Peer { path: pp, kind });
            *next_peer += 1;
        }
        Ok(Rule {
            path,
            ports: out_ports,
            peers: out_peers,
            first_peer,
        })
    }
}
