//! One connection, decided and explained: which policies isolate the
//! source (egress) and the destination (ingress), which rule allowed each
//! direction, or why every rule missed.
//!
//! The decision (`decide`) is written once; the matrix calls it with
//! precomputed peer matches, a single query with live ones and a trace.

use super::network::{Endpoint, Network};
use super::policy::{Direction, Peer, PeerKind, Policy, Port, PortSpec};
use super::{Protocol, cidr::Cidr};
use crate::engines::selector::{Labels, Requirement, Selector};

/// Can `from` open a connection to `to` on `port`/`protocol`?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Query {
    pub from: Endpoint,
    pub to: Endpoint,
    pub port: i32,
    pub protocol: Protocol,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    /// A pod talking to itself: always allowed, whatever the policies say.
    pub loopback: bool,
    pub egress: DirectionVerdict,
    pub ingress: DirectionVerdict,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectionVerdict {
    pub direction: Direction,
    pub allowed: bool,
    /// Indices of the policies that isolate the subject (the source for
    /// egress, the destination for ingress); empty means not isolated.
    pub policies: Vec<usize>,
    /// The rule that allowed it, when the subject is isolated.
    pub allowed_by: Option<Hit>,
    /// Why each rule missed (filled only when no rule matched).
    pub misses: Vec<Miss>,
}

/// A rule that matched: indices into the policy's rules, peers, ports
/// (`None` when the rule has no peers or no ports, which match all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub policy: usize,
    pub rule: usize,
    pub peer: Option<usize>,
    pub port: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    pub policy: usize,
    pub reason: MissReason,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MissReason {
    /// The policy isolates in this direction but has no rules for it.
    NoRules,
    /// No port of the rule matches the port and protocol.
    Ports { rule: usize },
    /// The ports match but no peer does.
    Peers { rule: usize, peers: Vec<PeerMiss> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerMiss {
    /// Index of the peer in the rule's `from`/`to`.
    pub peer: usize,
    pub why: Vec<PeerWhy>,
}

/// Why one peer does not match an endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerWhy {
    /// The peer selects pods; the endpoint is an address.
    NotAPod,
    /// A podSelector without namespaceSelector selects pods of the
    /// policy's own namespace only.
    OtherNamespace {
        policy_namespace: String,
    },
    PodLabels(Vec<Requirement>),
    NamespaceLabels(Vec<Requirement>),
    /// An ipBlock cannot match a pod whose IP is unknown.
    NoIp,
    OutsideCidr(Cidr),
    InExcept(Cidr),
}

impl Network<'_> {
    /// Decide a connection and explain it.
    pub fn evaluate(&self, q: &Query) -> Verdict {
        let loopback = matches!((q.from, q.to), (Endpoint::Pod(a), Endpoint::Pod(b)) if a == b);
        let egress = self.direction(Direction::Egress, q);
        let ingress = self.direction(Direction::Ingress, q);
        Verdict {
            allowed: loopback || (egress.allowed && ingress.allowed),
            loopback,
            egress,
            ingress,
        }
    }

    fn direction(&self, d: Direction, q: &Query) -> DirectionVerdict {
        let (subject, other) = match d {
            Direction::Egress => (q.from, q.to),
            Direction::Ingress => (q.to, q.from),
        };
        let isolating = self.isolating(d, subject);
        let mut v = DirectionVerdict {
            direction: d,
            allowed: false,
            policies: isolating.clone(),
            allowed_by: None,
            misses: Vec::new(),
        };
        v.allowed = self.decide(
            d,
            &isolating,
            q.to,
            other,
            q.port,
            q.protocol,
            |pol, peer, _| self.peer_check(pol, peer, other, None),
            Some(&mut v),
        );
        v
    }

    /// The policies that isolate `e` in direction `d`: those of its
    /// namespace whose podSelector selects it and whose policy types
    /// include `d`. Addresses outside the pods are never isolated.
    pub fn isolating(&self, d: Direction, e: Endpoint) -> Vec<usize> {
        let Some(pod) = self.pod_of(e) else {
            return Vec::new();
        };
        self.policies
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.isolates(d) && p.namespace == pod.namespace && p.pod_selector.matches(&pod.labels)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The decision for one direction, given the isolating policies.
    /// `dst` is the connection's destination (named ports are looked up
    /// on it); `other` is the endpoint peers are matched against (the
    /// destination for egress, the source for ingress). `peer_ok(policy,
    /// peer, global peer index)` says whether a peer matches `other`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn decide(
        &self,
        d: Direction,
        isolating: &[usize],
        dst: Endpoint,
        other: Endpoint,
        port: i32,
        protocol: Protocol,
        mut peer_ok: impl FnMut(&Policy, &Peer, usize) -> bool,
        mut trace: Option<&mut DirectionVerdict>,
    ) -> bool {
        if isolating.is_empty() {
            return true;
        }
        for &pi in isolating {
            let pol = &self.policies[pi];
            let rules = pol.rules(d).unwrap_or_default();
            if rules.is_empty() {
                if let Some(t) = trace.as_deref_mut() {
                    t.misses.push(Miss {
                        policy: pi,
                        reason: MissReason::NoRules,
                    });
                }
                continue;
            }
            for (ri, rule) in rules.iter().enumerate() {
                let port_hit = if rule.ports.is_empty() {
                    Some(None)
                } else {
                    rule.ports
                        .iter()
                        .position(|p| self.port_matches(p, dst, port, protocol))
                        .map(Some)
                };
                let Some(port_hit) = port_hit else {
                    if let Some(t) = trace.as_deref_mut() {
                        t.misses.push(Miss {
                            policy: pi,
                            reason: MissReason::Ports { rule: ri },
                        });
                    }
                    continue;
                };
                let peer_hit = if rule.peers.is_empty() {
                    Some(None)
                } else {
                    rule.peers
                        .iter()
                        .enumerate()
                        .position(|(k, peer)| peer_ok(pol, peer, rule.first_peer + k))
                        .map(Some)
                };
                match peer_hit {
                    Some(peer_hit) => {
                        if let Some(t) = trace.as_deref_mut() {
                            t.allowed_by = Some(Hit {
                                policy: pi,
                                rule: ri,
                                peer: peer_hit,
                                port: port_hit,
                            });
                        }
                        return true;
                    }
                    None => {
                        if let Some(t) = trace.as_deref_mut() {
                            let peers = rule
                                .peers
                                .iter()
                                .enumerate()
                                .map(|(k, peer)| {
                                    let mut why = Vec::new();
                                    self.peer_check(pol, peer, other, Some(&mut why));
                                    PeerMiss { peer: k, why }
                                })
                                .collect();
                            t.misses.push(Miss {
                                policy: pi,
                                reason: MissReason::Peers { rule: ri, peers },
                            });
                        }
                    }
                }
            }
        }
        false
    }

    /// Does `peer` (of `policy`) match endpoint `e`? With `why`, every
    /// reason it does not is recorded.
    pub fn peer_check(
        &self,
        policy: &Policy,
        peer: &Peer,
        e: Endpoint,
        mut why: Option<&mut Vec<PeerWhy>>,
    ) -> bool {
        let explaining = why.is_some();
        let mut note = |w: PeerWhy| {
            if let Some(v) = why.as_deref_mut() {
                v.push(w);
            }
        };
        match &peer.kind {
            PeerKind::IpBlock { cidr, except } => {
                // The API text: ipBlock selects IP ranges; e2e "should allow
                // egress access to server in CIDR block" shows pod IPs match.
                let ips = self.ips(&e);
                if ips.is_empty() {
                    note(PeerWhy::NoIp);
                    return false;
                }
                let mut first_miss = None;
                for &ip in ips {
                    if !cidr.contains(ip) {
                        first_miss.get_or_insert(PeerWhy::OutsideCidr(*cidr));
                    } else if let Some(x) = except.iter().find(|x| x.contains(ip)) {
                        first_miss.get_or_insert(PeerWhy::InExcept(*x));
                    } else {
                        return true;
                    }
                }
                if let Some(w) = first_miss {
                    note(w);
                }
                false
            }
            PeerKind::Pods { pods, namespaces } => {
                let Some(pod) = self.pod_of(e) else {
                    note(PeerWhy::NotAPod);
                    return false;
                };
                let mut ok = true;
                if !self.namespace_admits(policy, namespaces.as_ref(), pod.ns) {
                    if !explaining {
                        return false;
                    }
                    ok = false;
                    note(match namespaces {
                        None => PeerWhy::OtherNamespace {
                            policy_namespace: policy.namespace.clone(),
                        },
                        Some(sel) => PeerWhy::NamespaceLabels(
                            sel.unmet(&self.namespaces[pod.ns].labels)
                                .into_iter()
                                .cloned()
                                .collect(),
                        ),
                    });
                }
                if !pods_admit(pods.as_ref(), &pod.labels) {
                    ok = false;
                    if let Some(sel) = pods {
                        note(PeerWhy::PodLabels(
                            sel.unmet(&pod.labels).into_iter().cloned().collect(),
                        ));
                    }
                }
                ok
            }
        }
    }

    /// The namespace half of a selector peer: does it admit the pods of
    /// namespace `ns`? Without a namespaceSelector, only the policy's own
    /// namespace; with one, the namespaces whose labels it matches.
    pub(super) fn namespace_admits(
        &self,
        policy: &Policy,
        namespaces: Option<&Selector>,
        ns: usize,
    ) -> bool {
        match namespaces {
            None => self.namespaces[ns].name == policy.namespace,
            Some(sel) => sel.matches(&self.namespaces[ns].labels),
        }
    }

    /// Does a rule's port match? Protocols must agree; a named port must
    /// be a container port of the destination pod with that name, that
    /// protocol and that number.
    pub fn port_matches(&self, p: &Port, dst: Endpoint, port: i32, protocol: Protocol) -> bool {
        if p.protocol != protocol {
            return false;
        }
        match &p.port {
            PortSpec::Any => true,
            PortSpec::Range(lo, hi) => *lo <= port && port <= *hi,
            PortSpec::Named(name) => self.pod_of(dst).is_some_and(|pod| {
                pod.ports.iter().any(|cp| {
                    cp.name.as_deref() == Some(name.as_str())
                        && cp.protocol == protocol
                        && cp.port == port
                })
            }),
        }
    }
}

/// The pod half of a selector peer: without a podSelector, every pod.
pub(super) fn pods_admit(pods: Option<&Selector>, labels: &Labels) -> bool {
    pods.is_none_or(|s| s.matches(labels))
}
