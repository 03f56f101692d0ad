//! The reachability matrix: every source against every destination on the
//! destination's ports, computed once per class of endpoints that behave
//! identically.
//!
//! Endpoints are grouped into classes that behave identically
//! ([`super::classes`]); the decision is made once per pair of classes,
//! with peer matches precomputed as bits, and read back per cell.

use super::Protocol;
use super::classes::{Class, Classifier, bit};
use super::network::{ContainerPort, Endpoint, Network};
use super::policy::Direction;
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
        let mut classifier = Classifier::new(self, choice);
        let src_class: Vec<usize> = sources.iter().map(|&e| classifier.class_of(e)).collect();
        let dst_class: Vec<usize> = dests.iter().map(|&e| classifier.class_of(e)).collect();
        let classes = classifier.classes;

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
}
