//! The reachability matrix: every source against every destination on the
//! destination's ports, computed once per class of endpoints that behave
//! identically.
//!
//! What decides a connection about an endpoint is: the policies isolating
//! it (its namespace and labels), which peers of all policies match it
//! (its namespace labels, labels and IPs), and its container ports (named
//! ports). Endpoints alike in all three are one class; the decision is
//! made once per pair of classes, with peer matches precomputed as bits.

use super::Protocol;
use super::eval::pods_admit;
use super::network::{ContainerPort, Endpoint, Network};
use super::policy::{Direction, PeerKind};
use crate::engines::selector::{Labels, Selector};
use std::collections::HashMap;

/// Which ports to test on each destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortChoice {
    /// This port number and protocol, on every destination.
    Number(i32, Protocol),
    /// The destination's container port of this name (and protocol).
    Named(String, Option<Protocol>),
    /// Every container port the destination declares (of this protocol).
    Declared(Option<Protocol>),
}

impl PortChoice {
    /// The (port, protocol) pairs tested on an endpoint, sorted.
    pub fn resolve(&self, net: &Network, e: Endpoint) -> Vec<(i32, Protocol)> {
        let declared: &[ContainerPort] = net.pod_of(e).map(|p| p.ports.as_slice()).unwrap_or(&[]);
        let mut out: Vec<(i32, Protocol)> = match self {
            PortChoice::Number(p, proto) => vec![(*p, *proto)],
            PortChoice::Named(name, proto) => declared
                .iter()
                .filter(|cp| cp.name.as_deref() == Some(name.as_str()))
                .filter(|cp| proto.is_none_or(|p| p == cp.protocol))
                .map(|cp| (cp.port, cp.protocol))
                .collect(),
            PortChoice::Declared(proto) => declared
                .iter()
                .filter(|cp| proto.is_none_or(|p| p == cp.protocol))
                .map(|cp| (cp.port, cp.protocol))
                .collect(),
        };
        out.sort();
        out.dedup();
        out
    }
}

/// One cell of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub allowed: bool,
    pub loopback: bool,
    pub egress: bool,
    pub ingress: bool,
}

const EGRESS: u8 = 1;
const INGRESS: u8 = 2;

/// Endpoints that behave identically.
struct Class {
    rep: Endpoint,
    ingress: Vec<usize>,
    egress: Vec<usize>,
    /// Bit `g` set when global peer `g` matches this class.
    hits: Vec<u64>,
    ports: Vec<(i32, Protocol)>,
}

pub struct Matrix {
    pub sources: Vec<Endpoint>,
    pub dests: Vec<Endpoint>,
    classes: Vec<Class>,
    src_class: Vec<usize>,
    dst_class: Vec<usize>,
    /// `pair_bits` has a row per distinct source class and, in each row,
    /// one byte per tested port of each distinct destination class: the
    /// row of each source and the column of each destination's first port.
    src_row: Vec<usize>,
    dst_col: Vec<usize>,
    row_len: usize,
    pair_bits: Vec<u8>,
}

impl Matrix {
    /// The (port, protocol) pairs tested on destination `d`.
    pub fn ports(&self, d: usize) -> &[(i32, Protocol)] {
        &self.classes[self.dst_class[d]].ports
    }

    pub fn cell(&self, s: usize, d: usize, k: usize) -> Cell {
        let bits = self.pair_bits[self.src_row[s] * self.row_len + self.dst_col[d] + k];
        let egress = bits & EGRESS != 0;
        let ingress = bits & INGRESS != 0;
        let loopback = matches!((self.sources[s], self.dests[d]), (Endpoint::Pod(a), Endpoint::Pod(b)) if a == b);
        Cell {
            allowed: loopback || (egress && ingress),
            loopback,
            egress,
            ingress,
        }
    }

    /// Policies isolating source `s` for egress.
    pub fn egress_policies(&self, s: usize) -> &[usize] {
        &self.classes[self.src_class[s]].egress
    }

    /// Policies isolating destination `d` for ingress.
    pub fn ingress_policies(&self, d: usize) -> &[usize] {
        &self.classes[self.dst_class[d]].ingress
    }

    /// Every cell: (source index, destination index, port index, cell).
    pub fn iter(&self) -> impl Iterator<Item = (usize, usize, usize, Cell)> + '_ {
        (0..self.sources.len()).flat_map(move |s| {
            (0..self.dests.len()).flat_map(move |d| {
                (0..self.ports(d).len()).map(move |k| (s, d, k, self.cell(s, d, k)))
            })
        })
    }

    /// How many distinct behaviours the endpoints fell into.
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }
}

impl Network<'_> {
    /// Decide every connection from `sources` to `dests` on the ports
    /// `choice` names on each destination.
    pub fn matrix(&self, sources: &[Endpoint], dests: &[Endpoint], choice: &PortChoice) -> Matrix {
        let (ip_peers, selector_peers): (Vec<_>, Vec<_>) = self
            .peer_refs()
            .into_iter()
            .partition(|(_, _, p)| matches!(p.kind, PeerKind::IpBlock { .. }));
        // The namespace half of selector peers depends on the namespace
        // only: decide it once per namespace, leaving the pod half for
        // each group of pods.
        let ns_candidates: Vec<Vec<(usize, Option<&Selector>)>> = (0..self.namespaces.len())
            .map(|ns| {
                selector_peers
                    .iter()
                    .filter_map(|&(pi, g, peer)| match &peer.kind {
                        PeerKind::Pods { pods, namespaces }
                            if self.namespace_admits(
                                &self.policies[pi],
                                namespaces.as_ref(),
                                ns,
                            ) =>
                        {
                            Some((g, pods.as_ref()))
                        }
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let mut groups: HashMap<(usize, &Labels), usize> = HashMap::new();
        let mut group_info: Vec<(Vec<usize>, Vec<usize>, Vec<u64>)> = Vec::new();
        let mut class_index: HashMap<ClassKey, usize> = HashMap::new();
        let mut classes: Vec<Class> = Vec::new();
        let mut endpoint_class: HashMap<Endpoint, usize> = HashMap::new();
        let words = self.peer_count.div_ceil(64);

        let mut class_of = |e: Endpoint| -> usize {
            if let Some(&c) = endpoint_class.get(&e) {
                return c;
            }
            let group = self.pod_of(e).map(|pod| {
                *groups.entry((pod.ns, &pod.labels)).or_insert_with(|| {
                    let mut hits = vec![0u64; words];
                    for &(g, pods) in &ns_candidates[pod.ns] {
                        if pods_admit(pods, &pod.labels) {
                            hits[g / 64] |= 1 << (g % 64);
                        }
                    }
                    group_info.push((
                        self.isolating(Direction::Ingress, e),
                        self.isolating(Direction::Egress, e),
                        hits,
                    ));
                    group_info.len() - 1
                })
            });
            let mut ip_hits = vec![0u64; words];
            for &(pi, g, peer) in &ip_peers {
                if self.peer_check(&self.policies[pi], peer, e, None) {
                    ip_hits[g / 64] |= 1 << (g % 64);
                }
            }
            let container_ports = self.pod_of(e).map(|p| p.ports.clone()).unwrap_or_default();
            let ports = choice.resolve(self, e);
            let key = ClassKey {
                group,
                ip_hits: ip_hits.clone(),
                container_ports,
                ports: ports.clone(),
            };
            let c = *class_index.entry(key).or_insert_with(|| {
                let (ingress, egress, mut hits) = match group {
                    Some(g) => group_info[g].clone(),
                    None => (Vec::new(), Vec::new(), vec![0u64; words]),
                };
                for (h, i) in hits.iter_mut().zip(&ip_hits) {
                    *h |= i;
                }
                classes.push(Class {
                    rep: e,
                    ingress,
                    egress,
                    hits,
                    ports,
                });
                classes.len() - 1
            });
            endpoint_class.insert(e, c);
            c
        };
        let src_class: Vec<usize> = sources.iter().map(|&e| class_of(e)).collect();
        let dst_class: Vec<usize> = dests.iter().map(|&e| class_of(e)).collect();

        // Distinct classes on each side, in first-seen order.
        let slots = |of: &[usize]| {
            let mut slot_of = HashMap::new();
            let mut classes_in_order = Vec::new();
            let per_endpoint: Vec<usize> = of
                .iter()
                .map(|&c| {
                    *slot_of.entry(c).or_insert_with(|| {
                        classes_in_order.push(c);
                        classes_in_order.len() - 1
                    })
                })
                .collect();
            (per_endpoint, classes_in_order)
        };
        let (src_row, src_slot_class) = slots(&src_class);
        let (dst_slot, dst_slot_class) = slots(&dst_class);
        let mut dst_slot_offset = Vec::with_capacity(dst_slot_class.len());
        let mut row_len = 0;
        for &c in &dst_slot_class {
            dst_slot_offset.push(row_len);
            row_len += classes[c].ports.len();
        }
        let dst_col: Vec<usize> = dst_slot.iter().map(|&slot| dst_slot_offset[slot]).collect();

        let bit = |hits: &[u64], g: usize| hits[g / 64] & (1 << (g % 64)) != 0;
        let mut pair_bits = vec![0u8; src_slot_class.len() * row_len];
        for (ss, &cs) in src_slot_class.iter().enumerate() {
            let src = &classes[cs];
            for (ds, &cd) in dst_slot_class.iter().enumerate() {
                let dst = &classes[cd];
                for (k, &(port, protocol)) in dst.ports.iter().enumerate() {
                    let egress = self.decide(
                        Direction::Egress,
                        &src.egress,
                        dst.rep,
                        dst.rep,
                        port,
                        protocol,
                        |_, _, g| bit(&dst.hits, g),
                        None,
                    );
                    let ingress = self.decide(
                        Direction::Ingress,
                        &dst.ingress,
                        dst.rep,
                        src.rep,
                        port,
                        protocol,
                        |_, _, g| bit(&src.hits, g),
                        None,
                    );
                    pair_bits[ss * row_len + dst_slot_offset[ds] + k] =
                        if egress { EGRESS } else { 0 } | if ingress { INGRESS } else { 0 };
                }
            }
        }
        Matrix {
            sources: sources.to_vec(),
            dests: dests.to_vec(),
            classes,
            src_class,
            dst_class,
            src_row,
            dst_col,
            row_len,
            pair_bits,
        }
    }

    /// Every compiled peer: (policy index, global peer index, peer).
    fn peer_refs(&self) -> Vec<(usize, usize, &super::policy::Peer)> {
        let mut out = Vec::with_capacity(self.peer_count);
        for (pi, p) in self.policies.iter().enumerate() {
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
}

#[derive(Hash, PartialEq, Eq)]
struct ClassKey {
    /// (namespace, labels) group; `None` for addresses.
    group: Option<usize>,
    ip_hits: Vec<u64>,
    container_ports: Vec<ContainerPort>,
    ports: Vec<(i32, Protocol)>,
}
