//! NetworkPolicy reachability, as the NetworkPolicy API specifies it
//! (k8s.io/api networking/v1 types.go, kubernetes.io "Network Policies"):
//!
//! - a pod is isolated for a direction when any policy in its namespace
//!   selects it and has that direction in its (defaulted) `policyTypes`;
//! - policies are additive: traffic is allowed when any rule of any
//!   isolating policy matches; there is no deny rule;
//! - a connection needs the source's egress AND the destination's ingress;
//! - a rule matches when one of its ports (protocol defaults to TCP; no
//!   port means all ports; `endPort` makes a range; a named port is looked
//!   up on the destination pod by name and protocol) and one of its peers
//!   match; empty `ports` or peers match everything;
//! - a peer is an ipBlock (matched against the IP, pod IPs included) or
//!   selectors: `podSelector` alone means pods of the policy's namespace,
//!   `namespaceSelector` alone every pod of the selected namespaces, both
//!   in one peer means both (AND); separate peers are ORed;
//! - a pod can always reach itself (loopback).
//!
//! The engine answers single queries with an explanation ([`eval`],
//! [`explain`]) and whole matrices fast by grouping endpoints that behave
//! identically ([`matrix`]).

pub mod cidr;
mod classes;
pub mod eval;
pub mod explain;
pub mod matrix;
pub mod network;
pub mod policy;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod upstream_e2e;

pub use eval::{DirectionVerdict, Hit, Miss, MissReason, PeerMiss, PeerWhy, Query, Verdict};
pub use matrix::{Matrix, PortChoice};
pub use network::{ContainerPort, Endpoint, Namespace, Network, NetworkError, Pod};
pub use policy::{Direction, Policy};

use std::fmt;

/// The protocols a NetworkPolicy port can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    /// Exactly as the API spells them (`tcp` is not a protocol).
    pub fn parse(s: &str) -> Option<Protocol> {
        match s {
            "TCP" => Some(Protocol::Tcp),
            "UDP" => Some(Protocol::Udp),
            "SCTP" => Some(Protocol::Sctp),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
