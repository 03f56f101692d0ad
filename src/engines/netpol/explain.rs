//! A verdict in words, each line pointing at the policy, rule or peer
//! responsible: "isolated for ingress by NetworkPolicy/prod/db", "allowed
//! by NetworkPolicy/prod/db spec.ingress[0].from[1]", "from[0] needs
//! namespace label team=web; namespace y has team=api".

use super::eval::{DirectionVerdict, MissReason, PeerWhy, Query, Verdict};
use super::network::{Endpoint, Network};
use super::policy::{Direction, Policy};
use crate::model::{FieldPath, Location};

/// One line of an explanation and where it points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Nesting depth, for indentation.
    pub depth: usize,
    pub text: String,
    pub location: Option<Location>,
}

/// `NetworkPolicy/NS/NAME` and the file:line of `path` in it.
pub fn locate(policy: &Policy, path: &FieldPath) -> Option<Location> {
    policy.object.and_then(|o| o.locate(path))
}

impl Network<'_> {
    /// The verdict's story, top to bottom.
    pub fn explain(&self, q: &Query, v: &Verdict) -> Vec<Line> {
        let mut out = Vec::new();
        if v.loopback {
            out.push(Line {
                depth: 0,
                text: format!(
                    "{} can always reach itself (loopback): NetworkPolicy does not apply to a pod's traffic to itself",
                    self.endpoint_name(q.from)
                ),
                location: None,
            });
            return out;
        }
        self.explain_direction(q, &v.egress, &mut out);
        self.explain_direction(q, &v.ingress, &mut out);
        out
    }

    fn explain_direction(&self, q: &Query, v: &DirectionVerdict, out: &mut Vec<Line>) {
        let d = v.direction;
        let (subject, other) = match d {
            Direction::Egress => (q.from, q.to),
            Direction::Ingress => (q.to, q.from),
        };
        let subject_name = self.endpoint_name(subject);
        let other_name = self.endpoint_name(other);
        let line = |depth, text: String, location| Line {
            depth,
            text,
            location,
        };
        if v.policies.is_empty() {
            let text = match subject {
                Endpoint::Ip(_) => format!(
                    "{}: allowed: {subject_name} is not a pod, so no NetworkPolicy governs its {}",
                    d.as_str(),
                    d.as_str()
                ),
                Endpoint::Pod(_) => format!(
                    "{}: allowed: no NetworkPolicy selects {subject_name} for {}, so it is not isolated",
                    d.as_str(),
                    d.as_str()
                ),
            };
            out.push(line(0, text, None));
            return;
        }
        let names: Vec<String> = v
            .policies
            .iter()
            .map(|&i| self.policies[i].to_string())
            .collect();
        if let Some(hit) = v.allowed_by {
            let pol = &self.policies[hit.policy];
            let rule = &pol.rules(d).unwrap_or_default()[hit.rule];
            let path = match hit.peer {
                Some(k) => rule.peers[k].path.clone(),
                None => rule.path.clone(),
            };
            let mut text = format!("{}: allowed by {pol} {path}", d.as_str());
            match (hit.peer, rule.peers.is_empty()) {
                (_, true) => text.push_str(&format!(
                    " (the rule has no {}, so it matches every {})",
                    peers_word(d),
                    other_word(d)
                )),
                (Some(_), false) => text.push_str(&format!(" (matches {other_name})")),
                (None, false) => {}
            }
            out.push(line(0, text, locate(pol, &path)));
            if names.len() > 1 {
                out.push(line(
                    1,
                    format!(
                        "{subject_name} is isolated for {} by {}",
                        d.as_str(),
                        names.join(", ")
                    ),
                    None,
                ));
            }
            return;
        }
        out.push(line(
            0,
            format!(
                "{}: denied: {subject_name} is isolated for {} by {}, and no {} rule admits {}",
                d.as_str(),
                d.as_str(),
                names.join(", "),
                d.as_str(),
                self.describe_traffic(q, d)
            ),
            v.policies
                .first()
                .and_then(|&i| locate(&self.policies[i], &FieldPath::parse("spec.podSelector"))),
        ));
        for m in &v.misses {
            let pol = &self.policies[m.policy];
            let rules = pol.rules(d).unwrap_or_default();
            match &m.reason {
                MissReason::NoRules => {
                    let text = if pol.defaulted_types {
                        let types = if pol.isolates(Direction::Egress) {
                            "[Ingress, Egress]"
                        } else {
                            "[Ingress]"
                        };
                        format!(
                            "{pol} has no policyTypes, so the API server sets them to {types}; it has no {} rules, so it allows no {}",
                            d.as_str(),
                            d.as_str()
                        )
                    } else {
                        format!(
                            "{pol} has no {} rules: it only isolates ({} allows nothing)",
                            d.as_str(),
                            d.as_str()
                        )
                    };
                    out.push(line(
                        1,
                        text,
                        locate(pol, &FieldPath::parse("spec.policyTypes")),
                    ));
                }
                MissReason::Ports { rule } => {
                    let r = &rules[*rule];
                    let ports: Vec<String> = r.ports.iter().map(|p| p.to_string()).collect();
                    out.push(line(
                        1,
                        format!(
                            "{pol} {}: port {}/{} is not one of its ports [{}]{}",
                            r.path,
                            q.port,
                            q.protocol,
                            ports.join(", "),
                            self.named_port_note(r, q.to)
                        ),
                        locate(pol, &r.path.field("ports")),
                    ));
                }
                MissReason::Peers { rule, peers } => {
                    let r = &rules[*rule];
                    let ports = if r.ports.is_empty() {
                        "it has no ports, so every port matches"
                    } else {
                        "the port matches"
                    };
                    out.push(line(
                        1,
                        format!(
                            "{pol} {}: {ports}, but no peer matches {other_name}",
                            r.path
                        ),
                        locate(pol, &r.path),
                    ));
                    for pm in peers {
                        let peer = &r.peers[pm.peer];
                        let field = format!("{}[{}]", peers_word(d), pm.peer);
                        let why: Vec<String> = pm
                            .why
                            .iter()
                            .map(|w| self.peer_why(w, other, &other_name))
                            .collect();
                        // Point at the selector or block that missed.
                        let at = match pm.why.first() {
                            Some(PeerWhy::NamespaceLabels(_)) => {
                                peer.path.field("namespaceSelector")
                            }
                            Some(PeerWhy::PodLabels(_) | PeerWhy::OtherNamespace { .. }) => {
                                peer.path.field("podSelector")
                            }
                            Some(PeerWhy::OutsideCidr(_) | PeerWhy::NoIp) => {
                                peer.path.field("ipBlock").field("cidr")
                            }
                            Some(PeerWhy::InExcept(_)) => {
                                peer.path.field("ipBlock").field("except")
                            }
                            Some(PeerWhy::NotAPod) | None => peer.path.clone(),
                        };
                        out.push(line(
                            2,
                            format!("{field} {}", why.join("; and it ")),
                            locate(pol, &at),
                        ));
                    }
                }
            }
        }
    }

    fn describe_traffic(&self, q: &Query, d: Direction) -> String {
        match d {
            Direction::Egress => format!(
                "traffic to {} on {}/{}",
                self.endpoint_name(q.to),
                q.port,
                q.protocol
            ),
            Direction::Ingress => format!(
                "traffic from {} on {}/{}",
                self.endpoint_name(q.from),
                q.port,
                q.protocol
            ),
        }
    }

    /// For named ports, what the destination actually declares.
    fn named_port_note(&self, r: &super::policy::Rule, dst: Endpoint) -> String {
        use super::policy::PortSpec;
        let named: Vec<&str> = r
            .ports
            .iter()
            .filter_map(|p| match &p.port {
                PortSpec::Named(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        if named.is_empty() {
            return String::new();
        }
        match self.pod_of(dst) {
            None => format!(
                " (a named port only matches a pod; {} is not one)",
                self.endpoint_name(dst)
            ),
            Some(pod) => {
                let declared: Vec<String> = pod
                    .ports
                    .iter()
                    .filter(|cp| cp.name.as_deref().is_some_and(|n| named.contains(&n)))
                    .map(|cp| {
                        format!(
                            "{}={}/{}",
                            cp.name.as_deref().unwrap_or_default(),
                            cp.port,
                            cp.protocol
                        )
                    })
                    .collect();
                if declared.is_empty() {
                    format!(
                        " ({} declares no container port named {})",
                        pod.key(),
                        named.join(" or ")
                    )
                } else {
                    format!(" ({} declares {})", pod.key(), declared.join(", "))
                }
            }
        }
    }

    fn peer_why(&self, w: &PeerWhy, e: Endpoint, name: &str) -> String {
        match w {
            PeerWhy::NotAPod => format!("selects pods; {name} is not a pod"),
            PeerWhy::OtherNamespace { policy_namespace } => {
                let ns = self.pod_of(e).map(|p| p.namespace.as_str()).unwrap_or("");
                format!(
                    "has a podSelector without namespaceSelector, so it only selects pods in the policy's namespace {policy_namespace}; {name} is in namespace {ns}"
                )
            }
            PeerWhy::NamespaceLabels(unmet) => {
                let Some(pod) = self.pod_of(e) else {
                    return String::new();
                };
                let labels = &self.namespaces[pod.ns].labels;
                let parts: Vec<String> = unmet
                    .iter()
                    .map(|r| {
                        format!(
                            "needs namespace label {r}; namespace {} has {}",
                            pod.namespace,
                            r.found(labels)
                        )
                    })
                    .collect();
                parts.join("; and it ")
            }
            PeerWhy::PodLabels(unmet) => {
                let Some(pod) = self.pod_of(e) else {
                    return String::new();
                };
                let parts: Vec<String> = unmet
                    .iter()
                    .map(|r| format!("needs pod label {r}; {name} has {}", r.found(&pod.labels)))
                    .collect();
                parts.join("; and it ")
            }
            PeerWhy::NoIp => {
                format!("is an ipBlock; {name} has no IP (status.podIP), so no block can match it")
            }
            PeerWhy::OutsideCidr(c) => {
                format!(
                    "allows ipBlock {c}; {name} ({}) is outside it",
                    self.ip_list(e)
                )
            }
            PeerWhy::InExcept(c) => format!(
                "allows its ipBlock, except {c}, and {name} ({}) is in the exception",
                self.ip_list(e)
            ),
        }
    }

    fn ip_list(&self, e: Endpoint) -> String {
        self.ips(&e)
            .iter()
            .map(|ip| ip.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn peers_word(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    }
}

fn other_word(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "source",
        Direction::Egress => "destination",
    }
}
