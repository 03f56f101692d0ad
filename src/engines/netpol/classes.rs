//! Classes of endpoints that behave identically under the policies, so the
//! matrix decides once per pair of classes instead of once per pair of
//! pods.
//!
//! What the decision reads about an endpoint is: the policies isolating it
//! (its namespace and labels), which peers of all policies match it (its
//! namespace's labels, its labels, its IPs), its container ports (named
//! ports) and the ports tested on it. Endpoints alike in all of these are
//! one class.

use super::Protocol;
use super::eval::pods_admit;
use super::matrix::PortChoice;
use super::network::{ContainerPort, Endpoint, Network};
use super::policy::{Direction, Peer, PeerKind};
use crate::engines::selector::{Labels, Selector};
use std::collections::HashMap;

/// Endpoints that behave identically, and what the decision needs of them.
pub(super) struct Class {
    /// Any member: the one named ports and the decision are asked about.
    pub rep: Endpoint,
    /// Policies isolating the members for ingress and for egress.
    pub ingress: Vec<usize>,
    pub egress: Vec<usize>,
    /// Bit `g` set when global peer `g` matches the members.
    pub hits: Vec<u64>,
    /// The (port, protocol) pairs tested on the members as destinations.
    pub ports: Vec<(i32, Protocol)>,
}

#[derive(Hash, PartialEq, Eq)]
struct ClassKey {
    /// (namespace, labels) group; `None` for addresses.
    group: Option<usize>,
    ip_hits: Vec<u64>,
    container_ports: Vec<ContainerPort>,
    ports: Vec<(i32, Protocol)>,
}

/// What pods of one namespace with one label set share.
struct Group {
    ingress: Vec<usize>,
    egress: Vec<usize>,
    selector_hits: Vec<u64>,
}

pub(super) struct Classifier<'a, 'm> {
    net: &'a Network<'m>,
    choice: &'a PortChoice,
    words: usize,
    ip_peers: Vec<(usize, usize, &'a Peer)>,
    /// Per namespace: the selector peers whose namespace half admits its
    /// pods (global index, pod half).
    ns_candidates: Vec<Vec<(usize, Option<&'a Selector>)>>,
    groups: HashMap<(usize, &'a Labels), usize>,
    group_info: Vec<Group>,
    class_index: HashMap<ClassKey, usize>,
    endpoint_class: HashMap<Endpoint, usize>,
    pub classes: Vec<Class>,
}

impl<'a, 'm> Classifier<'a, 'm> {
    pub fn new(net: &'a Network<'m>, choice: &'a PortChoice) -> Self {
        let peers = peer_refs(net);
        let ip_peers = peers
            .iter()
            .filter(|(_, _, p)| matches!(p.kind, PeerKind::IpBlock { .. }))
            .copied()
            .collect();
        // The namespace half of a selector peer depends on the namespace
        // only: decide it once per namespace.
        let ns_candidates = (0..net.namespaces.len())
            .map(|ns| {
                peers
                    .iter()
                    .filter_map(|&(pi, g, peer)| match &peer.kind {
                        PeerKind::Pods { pods, namespaces }
                            if net.namespace_admits(&net.policies[pi], namespaces.as_ref(), ns) =>
                        {
                            Some((g, pods.as_ref()))
                        }
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        Classifier {
            net,
            choice,
            words: net.peer_count.div_ceil(64),
            ip_peers,
            ns_candidates,
            groups: HashMap::new(),
            group_info: Vec::new(),
            class_index: HashMap::new(),
            endpoint_class: HashMap::new(),
            classes: Vec::new(),
        }
    }

    pub fn class_of(&mut self, e: Endpoint) -> usize {
        if let Some(&c) = self.endpoint_class.get(&e) {
            return c;
        }
        let net = self.net;
        let group = match e {
            Endpoint::Pod(i) => Some(self.group_of(i)),
            Endpoint::Ip(_) => None,
        };
        let mut ip_hits = vec![0u64; self.words];
        for &(pi, g, peer) in &self.ip_peers {
            if net.peer_check(&net.policies[pi], peer, e, None) {
                set(&mut ip_hits, g);
            }
        }
        let ports = self.choice.resolve(net, e);
        let key = ClassKey {
            group,
            ip_hits,
            container_ports: net.pod_of(e).map(|p| p.ports.clone()).unwrap_or_default(),
            ports,
        };
        let c = match self.class_index.get(&key) {
            Some(&c) => c,
            None => {
                let (ingress, egress, mut hits) = match group {
                    Some(g) => {
                        let info = &self.group_info[g];
                        (
                            info.ingress.clone(),
                            info.egress.clone(),
                            info.selector_hits.clone(),
                        )
                    }
                    None => (Vec::new(), Vec::new(), vec![0u64; self.words]),
                };
                for (h, i) in hits.iter_mut().zip(&key.ip_hits) {
                    *h |= i;
                }
                self.classes.push(Class {
                    rep: e,
                    ingress,
                    egress,
                    hits,
                    ports: key.ports.clone(),
                });
                self.class_index.insert(key, self.classes.len() - 1);
                self.classes.len() - 1
            }
        };
        self.endpoint_class.insert(e, c);
        c
    }

    fn group_of(&mut self, pod_index: usize) -> usize {
        let net = self.net;
        let pod = &net.pods[pod_index];
        if let Some(&g) = self.groups.get(&(pod.ns, &pod.labels)) {
            return g;
        }
        let mut selector_hits = vec![0u64; self.words];
        for &(g, pods) in &self.ns_candidates[pod.ns] {
            if pods_admit(pods, &pod.labels) {
                set(&mut selector_hits, g);
            }
        }
        let e = Endpoint::Pod(pod_index);
        self.group_info.push(Group {
            ingress: net.isolating(Direction::Ingress, e),
            egress: net.isolating(Direction::Egress, e),
            selector_hits,
        });
        let g = self.group_info.len() - 1;
        self.groups.insert((pod.ns, &pod.labels), g);
        g
    }
}

fn set(bits: &mut [u64], g: usize) {
    bits[g / 64] |= 1 << (g % 64);
}

pub(super) fn bit(bits: &[u64], g: usize) -> bool {
    bits[g / 64] & (1 << (g % 64)) != 0
}

/// Every compiled peer: (policy index, global peer index, peer).
fn peer_refs<'a>(net: &'a Network) -> Vec<(usize, usize, &'a Peer)> {
    let mut out = Vec::with_capacity(net.peer_count);
    for (pi, p) in net.policies.iter().enumerate() {
        for d in [Direction::Ingress, Direction::Egress] {
            for rule in p.rules(d).unwrap_or_default() {
                for (k, peer) in rule.peers.iter().enumerate() {
                    out.push((pi, rule.first_peer + k, peer));
                }
            }
        }
    }
    out
}
