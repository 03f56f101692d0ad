//! Upstream's NetworkPolicy conformance cases, transcribed.
//!
//! Source: kubernetes/kubernetes test/e2e/network/netpol/network_policy.go
//! (each test names its `f.It(...)` case), with the e2e model of
//! model.go: namespaces x, y, z (labelled `ns: <name>` and, by the API
//! server, `kubernetes.io/metadata.name`), pods labelled `pod: <name>`,
//! one container per port and protocol whose port is named
//! `serve-<port>-<protocol>`. Expectations use reachability.go's helpers
//! (`Expect`, `ExpectPeer`, `ExpectAllIngress`, `ExpectAllEgress`) and are
//! compared for every ordered pair of pods except a pod to itself, which
//! upstream ignores (`ignoreLoopback`) and kubernetes.io documents as
//! always allowed (checked separately). Each matrix cell is also checked
//! against the single-query evaluator, so both paths agree.
//!
//! Also transcribed: kubernetes-sigs/kube-network-policies
//! pkg/networkpolicy/networkpolicy_test.go (TestSyncPacket and the
//! evaluate* tables), the reference dataplane's own cases.

use super::*;
use crate::model::ClusterModel;
use crate::model::load::Input;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A cluster as initializeResources builds it: the three namespaces and
/// the given pods, with every port on every protocol.
fn setup(pods: &[&str], ports: &[i32], protocols: &[&str]) -> String {
    let mut y = String::new();
    for ns in ["x", "y", "z"] {
        let _ = write!(
            y,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \"{ns}\"\n  labels: {{ns: \"{ns}\"}}\n---\n"
        );
    }
    for (i, p) in pods.iter().enumerate() {
        let (ns, name) = p.split_once('/').expect("x/a");
        let _ = write!(
            y,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: \"{ns}\"\n  labels: {{pod: {name}}}\nspec:\n  containers:\n"
        );
        for port in ports {
            for proto in protocols {
                let lower = proto.to_lowercase();
                let _ = write!(
                    y,
                    "  - name: cont-{port}-{lower}\n    image: registry.k8s.io/e2e-test-images/agnhost:2.53\n    ports:\n    - {{containerPort: {port}, name: serve-{port}-{lower}, protocol: {proto}}}\n"
                );
            }
        }
        let _ = write!(y, "status:\n  podIP: {}\n---\n", ip_of(i));
    }
    y
}

/// Pod IPs: 10.0.0.1, 10.0.0.2, ... in the order the test lists pods.
fn ip_of(i: usize) -> String {
    format!("10.0.0.{}", i + 1)
}

/// The model of `yaml`, which must validate.
fn model(yaml: &str) -> ClusterModel {
    let v = crate::validate::validate_inputs(&[Input::new("e2e.yaml", yaml.as_bytes().to_vec())])
        .expect("readable");
    assert!(
        v.is_valid(),
        "test cluster must validate: {:#?}",
        v.problems
    );
    v.model()
}

/// A policy document in namespace `ns`.
fn policy(ns: &str, name: &str, spec: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: \"{ns}\"\nspec:\n{spec}\n---\n"
    )
}

/// reachability.go's `Peer`: empty fields match everything.
#[derive(Clone, Copy)]
struct P(&'static str, &'static str);
const ANY: P = P("", "");

impl P {
    fn matches(&self, pod: &str) -> bool {
        let (ns, name) = pod.split_once('/').unwrap_or_default();
        (self.0.is_empty() || self.0 == ns) && (self.1.is_empty() || self.1 == name)
    }
}

/// reachability.go's expected truth table.
struct Reach {
    pods: Vec<String>,
    expected: BTreeMap<(String, String), bool>,
}

impl Reach {
    fn new(pods: &[&str], default: bool) -> Reach {
        let mut expected = BTreeMap::new();
        for a in pods {
            for b in pods {
                expected.insert((a.to_string(), b.to_string()), default);
            }
        }
        Reach {
            pods: pods.iter().map(|p| p.to_string()).collect(),
            expected,
        }
    }
    fn expect(&mut self, from: &str, to: &str, v: bool) {
        self.expected.insert((from.into(), to.into()), v);
    }
    fn all_ingress(&mut self, to: &str, v: bool) {
        for from in self.pods.clone() {
            self.expect(&from, to, v);
        }
    }
    fn all_egress(&mut self, from: &str, v: bool) {
        for to in self.pods.clone() {
            self.expect(from, &to, v);
        }
    }
    fn peer(&mut self, from: P, to: P, v: bool) {
        for a in self.pods.clone() {
            for b in self.pods.clone() {
                if from.matches(&a) && to.matches(&b) {
                    self.expect(&a, &b, v);
                }
            }
        }
    }
}

/// network_policy.go `ValidateOrFail`: the engine's matrix must equal the
/// expected table (loopback ignored), and every cell must agree with a
/// single evaluated query.
fn validate_or_fail(yaml: &str, port: i32, protocol: Protocol, reach: &Reach) {
    let model = model(yaml);
    let net = Network::from_model(&model).expect("network");
    let eps: Vec<Endpoint> = reach
        .pods
        .iter()
        .map(|p| net.endpoint(p).expect("pod"))
        .collect();
    let m = net.matrix(&eps, &eps, &PortChoice::Number(port, protocol));
    let mut wrong = Vec::new();
    let mut table = String::new();
    for (s, from) in reach.pods.iter().enumerate() {
        for (d, to) in reach.pods.iter().enumerate() {
            let cell = m.cell(s, d, 0);
            let single = net.evaluate(&Query {
                from: eps[s],
                to: eps[d],
                port,
                protocol,
            });
            assert_eq!(
                single.allowed, cell.allowed,
                "matrix and single query disagree on {from} -> {to}"
            );
            assert_eq!(single.egress.allowed, cell.egress, "{from} -> {to} egress");
            assert_eq!(
                single.ingress.allowed, cell.ingress,
                "{from} -> {to} ingress"
            );
            if from == to {
                assert!(cell.allowed && cell.loopback, "loopback {from}");
                continue;
            }
            let want = reach.expected[&(from.clone(), to.clone())];
            if cell.allowed != want {
                wrong.push(format!("{from} -> {to}: want {want}, got {}", cell.allowed));
            }
        }
    }
    if !wrong.is_empty() {
        let _ = writeln!(table, "-\t{}", reach.pods.join("\t"));
        for (s, from) in reach.pods.iter().enumerate() {
            let marks: Vec<&str> = (0..reach.pods.len())
                .map(|d| if m.cell(s, d, 0).allowed { "." } else { "X" })
                .collect();
            let _ = writeln!(table, "{from}\t{}", marks.join("\t"));
        }
        panic!(
            "{} wrong results on {port}/{protocol}:\n{}\nobserved:\n{table}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}

const TCP: Protocol = Protocol::Tcp;
const UDP: Protocol = Protocol::Udp;
const SCTP: Protocol = Protocol::Sctp;

// --- NetworkPolicy between server and client -------------------------------

#[test]
fn default_deny_ingress() {
    // upstream: "should support a 'default-deny-ingress' policy"
    let pods = ["x/a", "x/b", "y/a", "y/b"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "deny-ingress",
            "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress: []",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(ANY, P("x", ""), false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn default_deny_all() {
    // upstream: "should support a 'default-deny-all' policy"
    let pods = ["x/a", "x/b", "y/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "deny-all",
            "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: []\n  egress: []",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(ANY, P("x", ""), false);
    r.peer(P("x", ""), ANY, false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn allow_from_pods_within_namespace_by_pod_selector() {
    // upstream: "should enforce policy to allow traffic from pods within
    // server namespace based on PodSelector"
    let pods = ["x/a", "x/b", "x/c", "y/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "x-a-allows-x-b",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {pod: b}}",
        );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    r.expect("x/b", "x/a", true);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn allow_ingress_for_a_target() {
    // upstream: "should enforce policy to allow ingress traffic for a target"
    let pods = ["x/a", "x/b", "y/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "deny-all",
            "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress: []",
        )
        + &policy(
            "x",
            "allow-all-to-a",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {}\n      namespaceSelector: {}",
        );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", true);
    r.all_ingress("x/b", false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn allow_ingress_from_all_namespaces() {
    // upstream: "should enforce policy to allow ingress traffic from pods
    // in all namespaces"
    let pods = ["x/a", "x/b", "y/a", "z/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-from-another-ns",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {}}",
        );
    let r = Reach::new(&pods, true);
    validate_or_fail(&y, 80, TCP, &r);
}

fn only_from_namespace_y(selector: &str) {
    let pods = ["x/a", "x/b", "y/a", "z/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-client-a-via-ns-selector",
            &format!(
                "  podSelector: {{matchLabels: {{pod: a}}}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {selector}"
            ),
        );
    let mut r = Reach::new(&pods, true);
    r.peer(P("x", ""), P("x", "a"), false);
    r.peer(P("z", ""), P("x", "a"), false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn allow_only_from_a_different_namespace_by_namespace_selector() {
    // upstream: "should enforce policy to allow traffic only from a
    // different namespace, based on NamespaceSelector"
    only_from_namespace_y("{matchLabels: {kubernetes.io/metadata.name: \"y\"}}");
}

#[test]
fn namespace_selector_with_match_expressions() {
    // upstream: "should enforce policy based on NamespaceSelector with
    // MatchExpressions"
    only_from_namespace_y(
        "{matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [\"y\"]}]}",
    );
}

#[test]
fn default_namespace_label_with_match_labels() {
    // upstream: "should enforce policy to allow traffic based on
    // NamespaceSelector with MatchLabels using default ns label" — the
    // label is set by the API server, not written on the namespaces.
    let pods = ["x/a", "x/b", "y/a", "z/a"];
    let mut y = setup(&pods, &[80], &["TCP"]).replace("  labels: {ns: \"y\"}\n", "");
    y += &policy(
        "x",
        "allow-client-a-via-ns-selector-for-immutable-ns-label",
        "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: \"y\"}}",
    );
    let mut r = Reach::new(&pods, true);
    r.peer(P("x", ""), P("x", "a"), false);
    r.peer(P("z", ""), P("x", "a"), false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn default_namespace_label_with_match_expressions_on_egress() {
    // upstream: "should enforce policy based on NamespaceSelector with
    // MatchExpressions using default ns label"
    let pods = ["x/a", "x/b", "y/a", "z/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-ns-y-match-selector-for-immutable-ns-label",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [\"y\"]}]}",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(P("x", "a"), P("y", ""), false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn pod_selector_with_match_expressions() {
    // upstream: "should enforce policy based on PodSelector with
    // MatchExpressions"
    let pods = ["x/a", "x/b", "y/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "x-a-allows-x-b",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {matchExpressions: [{key: pod, operator: In, values: [b]}]}",
        );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    r.expect("x/b", "x/a", true);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn pod_selector_or_namespace_selector() {
    // upstream: "should enforce policy based on PodSelector or
    // NamespaceSelector" — two peers are ORed.
    let pods = ["x/a", "x/b", "x/c", "y/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-ns-y-match-selector",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}\n    - podSelector: {matchLabels: {pod: b}}",
        );
    let mut r = Reach::new(&pods, true);
    r.expect("x/a", "x/a", false);
    r.expect("x/c", "x/a", false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn pod_selector_and_namespace_selector() {
    // upstream: "should enforce policy based on PodSelector and
    // NamespaceSelector" — both in one peer are ANDed.
    let pods = ["x/a", "x/b", "y/a", "y/b", "z/b"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-ns-y-podselector-and-nsselector",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}\n      podSelector: {matchLabels: {pod: b}}",
        );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    r.expect("y/b", "x/a", true);
    r.expect("z/b", "x/a", true);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn multiple_pod_selectors_and_namespace_selectors() {
    // upstream: "should enforce policy based on Multiple PodSelectors and
    // NamespaceSelectors"
    let pods = ["x/a", "x/b", "y/a", "y/b", "y/c"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-ns-y-z-pod-b-c",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}\n      podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(P("x", ""), P("x", "a"), false);
    r.expect("y/a", "x/a", false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn any_pod_selectors() {
    // upstream: "should enforce policy based on any PodSelectors"
    let pods = ["x/a", "x/b", "x/c"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-ns-x-pod-b-c",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {pod: b}}\n    - podSelector: {matchLabels: {pod: c}}",
        );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    r.expect("x/b", "x/a", true);
    r.expect("x/c", "x/a", true);
    validate_or_fail(&y, 80, TCP, &r);
}

fn only_from_y_a(protocol: Protocol, extra_pods: bool) {
    let pods: &[&str] = if extra_pods {
        &["x/a", "x/b", "y/a", "y/b", "z/a"]
    } else {
        &["x/a", "x/b", "y/a"]
    };
    let y = setup(pods, &[80], &[protocol.as_str()])
        + &policy(
            "x",
            "allow-ns-y-pod-a-via-namespace-pod-selector",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: \"y\"}}\n      podSelector: {matchLabels: {pod: a}}",
        );
    let mut r = Reach::new(pods, true);
    r.all_ingress("x/a", false);
    r.expect("y/a", "x/a", true);
    validate_or_fail(&y, 80, protocol, &r);
}

#[test]
fn only_from_a_pod_in_another_namespace() {
    // upstream: "should enforce policy to allow traffic only from a pod in
    // a different namespace based on PodSelector and NamespaceSelector",
    // in the TCP, UDP and SCTP suites.
    only_from_y_a(TCP, true);
    only_from_y_a(UDP, false);
    only_from_y_a(SCTP, false);
}

fn port_81_from_y(protocol: Protocol) {
    let pods = ["x/a", "x/b", "y/a", "y/b", "z/a"];
    let y = setup(&pods, &[81], &[protocol.as_str()])
        + &policy(
            "x",
            "allow-client-a-via-ns-selector",
            &format!(
                "  podSelector: {{matchLabels: {{pod: a}}}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: \"y\"}}}}\n    ports:\n    - {{port: 81, protocol: {protocol}}}"
            ),
        );
    let mut r = Reach::new(&pods, true);
    r.peer(P("x", ""), P("x", "a"), false);
    r.peer(P("y", ""), P("x", "a"), true);
    r.peer(P("z", ""), P("x", "a"), false);
    validate_or_fail(&y, 81, protocol, &r);
}

#[test]
fn policy_based_on_ports() {
    // upstream: "should enforce policy based on Ports" (TCP, UDP, SCTP)
    port_81_from_y(TCP);
    port_81_from_y(UDP);
    port_81_from_y(SCTP);
}

#[test]
fn stacked_policies_with_overlapping_pod_selectors() {
    // upstream: "should enforce multiple, stacked policies with
    // overlapping podSelectors"
    let pods = ["x/a", "x/b", "y/a", "y/b", "z/a"];
    let allow = |name: &str, port: i32| {
        policy(
            "x",
            name,
            &format!(
                "  podSelector: {{matchLabels: {{pod: a}}}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: \"y\"}}}}\n    ports:\n    - {{port: {port}, protocol: TCP}}"
            ),
        )
    };
    let base = setup(&pods, &[80, 81], &["TCP"]) + &allow("allow-client-a-via-ns-selector", 81);
    let mut allowed = Reach::new(&pods, true);
    allowed.peer(P("x", ""), P("x", "a"), false);
    allowed.peer(P("y", ""), P("x", "a"), true);
    allowed.peer(P("z", ""), P("x", "a"), false);
    validate_or_fail(&base, 81, TCP, &allowed);
    let mut denied = Reach::new(&pods, true);
    denied.all_ingress("x/a", false);
    validate_or_fail(&base, 80, TCP, &denied);
    let stacked = base + &allow("allow-client-a-via-ns-selector-80", 80);
    validate_or_fail(&stacked, 80, TCP, &allowed);
}

#[test]
fn allow_all_policy() {
    // upstream: "should support allow-all policy"
    let pods = ["x/a", "x/b", "y/a"];
    let y = setup(&pods, &[80, 81], &["TCP"])
        + &policy(
            "x",
            "allow-all",
            "  podSelector: {matchLabels: {}}\n  policyTypes: [Ingress]\n  ingress:\n  - {}",
        );
    let r = Reach::new(&pods, true);
    validate_or_fail(&y, 80, TCP, &r);
    validate_or_fail(&y, 81, TCP, &r);
}

#[test]
fn ingress_on_one_named_port() {
    // upstream: "should allow ingress access on one named port"
    let pods = ["x/a", "x/b", "y/a"];
    let y = setup(&pods, &[80, 81], &["TCP"])
        + &policy(
            "x",
            "allow-all",
            "  podSelector: {matchLabels: {}}\n  policyTypes: [Ingress]\n  ingress:\n  - ports:\n    - port: serve-81-tcp",
        );
    validate_or_fail(&y, 81, TCP, &Reach::new(&pods, true));
    let mut r80 = Reach::new(&pods, true);
    r80.peer(ANY, P("x", ""), false);
    validate_or_fail(&y, 80, TCP, &r80);
}

#[test]
fn ingress_from_namespace_on_one_named_port() {
    // upstream: "should allow ingress access from namespace on one named port"
    let pods = ["x/a", "x/b", "y/a", "z/a"];
    let y = setup(&pods, &[80, 81], &["TCP"])
        + &policy(
            "x",
            "allow-client-a-via-ns-selector-80",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: \"y\"}}\n    ports:\n    - {port: serve-80-tcp, protocol: TCP}",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(P("x", ""), P("x", "a"), false);
    r.peer(P("z", ""), P("x", "a"), false);
    validate_or_fail(&y, 80, TCP, &r);
    let mut r81 = Reach::new(&pods, true);
    r81.all_ingress("x/a", false);
    validate_or_fail(&y, 81, TCP, &r81);
}

#[test]
fn egress_on_one_named_port() {
    // upstream: "should allow egress access on one named port" — the
    // name is looked up on the destination pod.
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[80, 81], &["TCP"])
        + &policy(
            "x",
            "allow-egress",
            "  podSelector: {matchLabels: {}}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - port: serve-80-tcp",
        );
    validate_or_fail(&y, 80, TCP, &Reach::new(&pods, true));
    let mut r81 = Reach::new(&pods, true);
    r81.peer(P("x", ""), ANY, false);
    validate_or_fail(&y, 81, TCP, &r81);
}

#[test]
fn updated_policy_from_allow_all_to_deny_all() {
    // upstream: "should enforce updated policy" — the later definition of
    // the same policy replaces the first, as an update does.
    let pods = ["x/a", "y/a"];
    let first = setup(&pods, &[81], &["TCP"])
        + &policy(
            "x",
            "allow-all-mutate-to-deny-all",
            "  podSelector: {matchLabels: {}}\n  policyTypes: [Ingress]\n  ingress:\n  - {}",
        );
    validate_or_fail(&first, 81, TCP, &Reach::new(&pods, true));
    let updated = first
        + &policy(
            "x",
            "allow-all-mutate-to-deny-all",
            "  podSelector: {matchLabels: {}}\n  policyTypes: [Ingress]\n  ingress: []",
        );
    let mut deny = Reach::new(&pods, true);
    deny.peer(ANY, P("x", ""), false);
    validate_or_fail(&updated, 81, TCP, &deny);
}

#[test]
fn ingress_from_updated_namespace() {
    // upstream: "should allow ingress access from updated namespace"
    let pods = ["x/a", "y/a"];
    let pol = policy(
        "x",
        "allow-client-a-via-ns-selector",
        "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {ns2: updated}}",
    );
    let before = setup(&pods, &[80], &["TCP"]) + &pol;
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    validate_or_fail(&before, 80, TCP, &r);
    let after = before.replace(
        "  labels: {ns: \"y\"}",
        "  labels: {ns: \"y\", ns2: updated}",
    );
    let mut r2 = Reach::new(&pods, true);
    r2.all_ingress("x/a", false);
    r2.peer(P("y", ""), ANY, true);
    validate_or_fail(&after, 80, TCP, &r2);
}

#[test]
fn ingress_from_updated_pod() {
    // upstream: "should allow ingress access from updated pod"
    let pods = ["x/a", "x/b"];
    let pol = policy(
        "x",
        "allow-client-a-via-pod-selector",
        "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {pod: b, pod2: updated}}",
    );
    let before = setup(&pods, &[80], &["TCP"]) + &pol;
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    validate_or_fail(&before, 80, TCP, &r);
    let after = before.replace("  labels: {pod: b}", "  labels: {pod: b, pod2: updated}");
    r.expect("x/b", "x/a", true);
    validate_or_fail(&after, 80, TCP, &r);
}

#[test]
fn deny_ingress_from_other_namespaces() {
    // upstream: "should deny ingress from pods on other namespaces" — an
    // empty podSelector peer means every pod of the policy's namespace.
    let pods = ["x/a", "x/b", "y/a", "z/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "deny-empty-policy",
            "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {}}",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(P("y", ""), P("x", ""), false);
    r.peer(P("z", ""), P("x", ""), false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn deny_ingress_to_updated_pod() {
    // upstream: "should deny ingress access to updated pod"
    let pods = ["x/a", "y/a"];
    let before = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "deny-ingress-via-label-selector",
            "  podSelector: {matchLabels: {target: isolated}}\n  policyTypes: [Ingress]\n  ingress: []",
        );
    validate_or_fail(&before, 80, TCP, &Reach::new(&pods, true));
    let after = before.replacen(
        "  labels: {pod: a}",
        "  labels: {pod: a, target: isolated}",
        1,
    );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    validate_or_fail(&after, 80, TCP, &r);
}

#[test]
fn deny_egress_by_pod_selector() {
    // upstream: "should deny egress from pods based on PodSelector"
    let pods = ["x/a", "x/b", "y/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "deny-egress-pod-a",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n  egress: []",
        );
    let mut r = Reach::new(&pods, true);
    r.all_egress("x/a", false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn deny_egress_from_all_pods_in_namespace() {
    // upstream: "should deny egress from all pods in a namespace"
    let pods = ["x/a", "x/b", "y/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "deny-egress-ns-x",
            "  podSelector: {}\n  policyTypes: [Egress]\n  egress: []",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(P("x", ""), ANY, false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn ingress_and_egress_together() {
    // upstream: "should work with Ingress, Egress specified together"
    let pods = ["x/a", "x/b", "x/c", "y/a"];
    let y = setup(&pods, &[80, 81], &["TCP"])
        + &policy(
            "x",
            "allow-client-a-via-pod-selector",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress, Ingress]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {pod: b}}\n  egress:\n  - ports:\n    - port: 80",
        );
    let mut r80 = Reach::new(&pods, true);
    r80.all_ingress("x/a", false);
    r80.expect("x/b", "x/a", true);
    validate_or_fail(&y, 80, TCP, &r80);
    let mut r81 = Reach::new(&pods, true);
    r81.all_ingress("x/a", false);
    r81.all_egress("x/a", false);
    r81.expect("x/b", "x/a", true);
    validate_or_fail(&y, 81, TCP, &r81);
}

#[test]
fn egress_denied_on_client_even_if_server_allows() {
    // upstream: "should support denying of egress traffic on the client
    // side (even if the server explicitly allows this traffic)"
    let pods = ["x/a", "y/a", "y/b"];
    let from_xa = "  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}\n      podSelector: {matchLabels: {pod: a}}";
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-to-ns-y-pod-a",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: \"y\"}}\n      podSelector: {matchLabels: {pod: a}}",
        )
        + &policy(
            "y",
            "allow-from-xa-on-ya-match-selector",
            &format!(
                "  podSelector: {{matchLabels: {{pod: a}}}}\n  policyTypes: [Ingress]\n  ingress:\n{from_xa}"
            ),
        )
        + &policy(
            "y",
            "allow-from-xa-on-yb-match-selector",
            &format!(
                "  podSelector: {{matchLabels: {{pod: b}}}}\n  policyTypes: [Ingress]\n  ingress:\n{from_xa}"
            ),
        );
    let mut r = Reach::new(&pods, true);
    r.peer(P("x", "a"), ANY, false);
    r.peer(ANY, P("y", "a"), false);
    r.peer(P("x", "a"), P("y", "a"), true);
    r.peer(ANY, P("y", "b"), false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn egress_to_a_server_in_another_namespace() {
    // upstream: "should enforce egress policy allowing traffic to a server
    // in a different namespace based on PodSelector and NamespaceSelector"
    let pods = ["x/a", "y/a", "y/b"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-to-ns-y-pod-a",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: \"y\"}}\n      podSelector: {matchLabels: {pod: a}}",
        );
    let mut r = Reach::new(&pods, true);
    r.all_egress("x/a", false);
    r.expect("x/a", "y/a", true);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn ingress_any_port_on_one_protocol() {
    // upstream: "should enforce ingress policy allowing any port traffic to
    // a server on a specific protocol"
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[80], &["TCP", "UDP"])
        + &policy(
            "x",
            "allow-ingress-by-proto",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - ports:\n    - protocol: TCP",
        );
    validate_or_fail(&y, 80, TCP, &Reach::new(&pods, true));
    let mut udp = Reach::new(&pods, true);
    udp.peer(ANY, P("x", "a"), false);
    validate_or_fail(&y, 80, UDP, &udp);
}

#[test]
fn ingress_allow_all_takes_precedence() {
    // upstream: "should enforce multiple ingress policies with ingress
    // allow-all policy taking precedence"
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[81], &["TCP"])
        + &policy(
            "x",
            "allow-ingress-port-80",
            "  podSelector: {matchLabels: {}}\n  policyTypes: [Ingress]\n  ingress:\n  - ports:\n    - port: 80",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(ANY, P("x", ""), false);
    validate_or_fail(&y, 81, TCP, &r);
    let y = y + &policy(
        "x",
        "allow-ingress",
        "  podSelector: {matchLabels: {}}\n  policyTypes: [Ingress]\n  ingress:\n  - {}",
    );
    validate_or_fail(&y, 81, TCP, &Reach::new(&pods, true));
}

#[test]
fn egress_allow_all_takes_precedence() {
    // upstream: "should enforce multiple egress policies with egress
    // allow-all policy taking precedence"
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[81], &["TCP"])
        + &policy(
            "x",
            "allow-egress-port-80",
            "  podSelector: {matchLabels: {}}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - port: 80",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(P("x", ""), ANY, false);
    validate_or_fail(&y, 81, TCP, &r);
    let y = y + &policy(
        "x",
        "allow-egress",
        "  podSelector: {matchLabels: {}}\n  policyTypes: [Egress]\n  egress:\n  - {}",
    );
    validate_or_fail(&y, 81, TCP, &Reach::new(&pods, true));
}

#[test]
fn no_enforcement_without_policies() {
    // upstream: "should stop enforcing policies after they are deleted"
    let pods = ["x/a", "y/a"];
    let with = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "deny-all",
            "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: []\n  egress: []",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(P("x", ""), ANY, false);
    r.peer(ANY, P("x", ""), false);
    validate_or_fail(&with, 80, TCP, &r);
    let without = setup(&pods, &[80], &["TCP"]);
    validate_or_fail(&without, 80, TCP, &Reach::new(&pods, true));
}

#[test]
fn egress_to_server_in_cidr_block() {
    // upstream: "should allow egress access to server in CIDR block" — an
    // ipBlock matches a pod's IP.
    let pods = ["x/a", "y/a", "y/b"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-client-a-via-cidr-egress-rule",
            &format!(
                "  podSelector: {{matchLabels: {{pod: a}}}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {{cidr: {}/32}}",
                ip_of(2)
            ),
        );
    let mut r = Reach::new(&pods, true);
    r.all_egress("x/a", false);
    r.expect("x/a", "y/b", true);
    validate_or_fail(&y, 80, TCP, &r);
}

/// makeLargeCIDRForIP: the /4 holding the IP (10.0.0.0/8 pods: 0.0.0.0/4).
const LARGE_CIDR: &str = "0.0.0.0/4";

#[test]
fn except_clause_in_cidr_block() {
    // upstream: "should enforce except clause while egress access to server
    // in CIDR block"
    let pods = ["x/a", "x/b", "x/c"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-client-a-via-cidr-egress-rule",
            &format!(
                "  podSelector: {{matchLabels: {{pod: a}}}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {{cidr: {LARGE_CIDR}, except: [{}/32]}}",
                ip_of(1)
            ),
        );
    let mut r = Reach::new(&pods, true);
    r.expect("x/a", "x/b", false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn ip_in_both_cidr_and_except_is_allowed_by_another_rule() {
    // upstream: "should ensure an IP overlapping both IPBlock.CIDR and
    // IPBlock.Except is allowed" (the second policy replaces the first,
    // as UpdatePolicy does).
    let pods = ["x/a", "x/b", "x/c"];
    let first = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-client-a-via-cidr-egress-rule",
            &format!(
                "  podSelector: {{matchLabels: {{pod: a}}}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {{cidr: {LARGE_CIDR}, except: [{}/32]}}",
                ip_of(1)
            ),
        );
    let mut r = Reach::new(&pods, true);
    r.expect("x/a", "x/b", false);
    validate_or_fail(&first, 80, TCP, &r);
    let updated = first
        + &policy(
            "x",
            "allow-client-a-via-cidr-egress-rule",
            &format!(
                "  podSelector: {{matchLabels: {{pod: a}}}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {{cidr: {}/32}}",
                ip_of(1)
            ),
        );
    let mut r2 = Reach::new(&pods, true);
    r2.all_egress("x/a", false);
    r2.expect("x/a", "x/b", true);
    validate_or_fail(&updated, 80, TCP, &r2);
}

#[test]
fn ingress_and_egress_controlled_independently() {
    // upstream: "should enforce policies to check ingress and egress
    // policies can be controlled independently based on PodSelector"
    let pods = ["x/a", "x/b", "y/a"];
    let egress = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "allow-egress-for-target",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n  egress:\n  - {}",
        );
    validate_or_fail(&egress, 80, TCP, &Reach::new(&pods, true));
    let both = egress
        + &policy(
            "x",
            "deny-ingress-via-label-selector",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress: []",
        );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    validate_or_fail(&both, 80, TCP, &r);
}

#[test]
fn sctp_is_not_tcp() {
    // upstream: "should not mistakenly treat 'protocol: SCTP' as
    // 'protocol: TCP', even if the plugin doesn't support SCTP"
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[81], &["TCP"])
        + &policy(
            "x",
            "deny-ingress",
            "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress: []",
        )
        + &policy(
            "x",
            "allow-only-sctp-ingress-on-port-81",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - ports:\n    - {port: 81, protocol: SCTP}",
        );
    let mut r = Reach::new(&pods, true);
    r.peer(ANY, P("x", ""), false);
    validate_or_fail(&y, 81, TCP, &r);
}

#[test]
fn sctp_policy_still_isolates() {
    // upstream: "should properly isolate pods that are selected by a
    // policy allowing SCTP, even if the plugin doesn't support SCTP"
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[81], &["TCP"])
        + &policy(
            "x",
            "allow-only-sctp-ingress-on-port-80",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - ports:\n    - {port: 80, protocol: SCTP}",
        );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    validate_or_fail(&y, 81, TCP, &r);
}

#[test]
fn udp_only_policy_denies_tcp() {
    // upstream: "should not allow access by TCP when a policy specifies
    // only UDP"
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[81], &["TCP"])
        + &policy(
            "x",
            "allow-only-udp-ingress-on-port-81",
            "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n  ingress:\n  - ports:\n    - {port: 81, protocol: UDP}",
        );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    validate_or_fail(&y, 81, TCP, &r);
}

#[test]
fn default_deny_ingress_udp_and_sctp() {
    // upstream: "Netpol [LinuxOnly] ... using UDP" and "... using SCTP":
    // "should support a 'default-deny-ingress' policy"
    for proto in [UDP, SCTP] {
        let pods = ["x/a", "x/b", "y/a", "y/b"];
        let y = setup(&pods, &[80], &[proto.as_str()])
            + &policy(
                "x",
                "deny-all",
                "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress: []",
            );
        let mut r = Reach::new(&pods, true);
        r.peer(ANY, P("x", ""), false);
        validate_or_fail(&y, 80, proto, &r);
    }
}

// --- Semantics the e2e suite relies on but states only in the API text ---

#[test]
fn omitted_policy_types_with_egress_rules_isolate_both_directions() {
    // upstream: pkg/apis/networking/v1/defaults.go SetDefaults_NetworkPolicy
    // and types.go PolicyTypes: no policyTypes + egress rules = [Ingress,
    // Egress]; the policy then also isolates ingress.
    let pods = ["x/a", "x/b", "y/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "egress-only-intended",
            "  podSelector: {matchLabels: {pod: a}}\n  egress:\n  - to:\n    - podSelector: {matchLabels: {pod: b}}",
        );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    r.all_egress("x/a", false);
    r.expect("x/a", "x/b", true);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn omitted_policy_types_with_empty_egress_isolate_ingress_only() {
    // upstream: defaults.go: `len(obj.Spec.Egress) != 0`; an empty egress
    // list does not add Egress.
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[80], &["TCP"]) + &policy("x", "p", "  podSelector: {}\n  egress: []");
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn policy_types_egress_ignores_ingress_rules() {
    // upstream: types.go PolicyTypes — only the listed types apply.
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "p",
            "  podSelector: {}\n  policyTypes: [Egress]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {pod: nobody}}\n  egress:\n  - {}",
        );
    validate_or_fail(&y, 80, TCP, &Reach::new(&pods, true));
}

#[test]
fn omitted_pod_selector_selects_every_pod() {
    // upstream: types.go NetworkPolicySpec.PodSelector "If it is not
    // specified, it defaults to an empty selector".
    let pods = ["x/a", "x/b", "y/a"];
    let y = setup(&pods, &[80], &["TCP"]) + &policy("x", "p", "  policyTypes: [Ingress]");
    let mut r = Reach::new(&pods, true);
    r.peer(ANY, P("x", ""), false);
    validate_or_fail(&y, 80, TCP, &r);
}

#[test]
fn end_port_is_an_inclusive_range() {
    // upstream: types.go NetworkPolicyPort.EndPort "the range of ports from
    // port to endPort if set, inclusive".
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[32000, 32768, 32769], &["TCP"])
        + &policy(
            "x",
            "range",
            "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n  - ports:\n    - {port: 32000, endPort: 32768}",
        );
    validate_or_fail(&y, 32000, TCP, &Reach::new(&pods, true));
    validate_or_fail(&y, 32768, TCP, &Reach::new(&pods, true));
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    validate_or_fail(&y, 32769, TCP, &r);
    validate_or_fail(&y, 31999, TCP, &r);
}

#[test]
fn named_port_needs_the_same_protocol_on_the_pod() {
    // kube-network-policies TestEvaluator_evaluatePorts "no match UDP named
    // port": a named port matches a container port of that name AND the
    // rule's protocol.
    let pods = ["x/a", "y/a"];
    let y = setup(&pods, &[80], &["TCP"])
        + &policy(
            "x",
            "named-udp",
            "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n  - ports:\n    - {port: serve-80-tcp, protocol: UDP}",
        );
    let mut r = Reach::new(&pods, true);
    r.all_ingress("x/a", false);
    validate_or_fail(&y, 80, TCP, &r);
    validate_or_fail(&y, 80, UDP, &r);
}

// --- kube-network-policies pkg/networkpolicy/networkpolicy_test.go -------

/// TestSyncPacket's cluster: pods a (foo), b (bar), c (blocked, other
/// labels), d (bar, other labels); namespaces labelled a=b.
fn sync_packet_cluster(policies: &str) -> String {
    let mut y = String::new();
    for ns in ["foo", "bar", "blocked"] {
        let labels = if ns == "blocked" { "{}" } else { "{a: b}" };
        let _ = write!(
            y,
            "apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}, labels: {labels}}}\n---\n"
        );
    }
    for (name, ns, ip, labels) in [
        ("a", "foo", "192.168.1.11", "{a: b}"),
        ("b", "bar", "192.168.2.22", "{a: b}"),
        ("c", "blocked", "192.168.3.33", "{c: d}"),
        ("d", "bar", "192.168.4.44", "{c: d}"),
    ] {
        let _ = write!(
            y,
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: {ns}, labels: {labels}}}\nspec:\n  containers:\n  - name: write-pod\n    image: busybox\n    ports: [{{name: http, containerPort: 80, protocol: TCP}}]\nstatus: {{podIP: {ip}}}\n---\n"
        );
    }
    y + policies
}

fn allowed(yaml: &str, from: &str, to: &str, port: i32) -> bool {
    let model = model(yaml);
    let net = Network::from_model(&model).expect("network");
    let q = Query {
        from: net.endpoint(from).expect("from"),
        to: net.endpoint(to).expect("to"),
        port,
        protocol: TCP,
    };
    net.evaluate(&q).allowed
}

#[test]
fn kube_network_policies_sync_packet() {
    let deny_ingress = policy(
        "bar",
        "default-deny-ingress",
        "  podSelector: {}\n  policyTypes: [Ingress]",
    );
    let deny_egress = policy(
        "bar",
        "default-deny-egress",
        "  podSelector: {}\n  policyTypes: [Egress]",
    );
    let ipblock_ingress = policy(
        "bar",
        "default-allow-ingress-ipblock",
        "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - ipBlock: {cidr: 192.168.0.0/16}",
    );
    // The range is 30000-65535 here: upstream's 65537 is invalid and the
    // API server would reject it.
    let multiport = policy(
        "foo",
        "multiport-egress",
        "  podSelector: {matchLabels: {a: b}}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - {protocol: TCP, port: 30000, endPort: 65535}",
    );
    let egress_pod = policy(
        "foo",
        "multiport-egress-pod",
        "  podSelector: {matchLabels: {a: b}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - podSelector: {matchLabels: {a: b}}",
    );
    let egress_ns = policy(
        "foo",
        "multiport-egress-ns",
        "  podSelector: {matchLabels: {a: b}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector: {matchLabels: {a: b}}",
    );
    let egress_pod_ns = policy(
        "foo",
        "multiport-egress-pod-ns",
        "  podSelector: {matchLabels: {a: b}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - podSelector: {matchLabels: {a: b}}\n      namespaceSelector: {matchLabels: {a: b}}",
    );
    let ingress_pod_ns = policy(
        "bar",
        "multiport-ingress-pod-ns",
        "  podSelector: {matchLabels: {a: b}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {a: b}}\n      namespaceSelector: {matchLabels: {a: b}}",
    );
    let c = |p: &[&String]| sync_packet_cluster(&p.iter().map(|s| s.as_str()).collect::<String>());
    // "no network policy"
    assert!(allowed(&c(&[]), "foo/a", "bar/b", 80));
    // "deny ingress"
    assert!(!allowed(&c(&[&deny_ingress]), "foo/a", "bar/b", 80));
    // "deny egress"
    assert!(!allowed(&c(&[&deny_egress]), "bar/b", "foo/a", 80));
    // "ip block override deny ingress"
    assert!(allowed(
        &c(&[&deny_ingress, &ipblock_ingress]),
        "foo/a",
        "bar/b",
        80
    ));
    // "ip block deny ingress": 10.0.0.1 is outside 192.168.0.0/16
    assert!(!allowed(
        &c(&[&ipblock_ingress]),
        "ip:10.0.0.1",
        "bar/b",
        80
    ));
    // "multiport deny egress port" / "multiport allow egress port"
    assert!(!allowed(
        &c(&[&deny_egress, &multiport]),
        "foo/a",
        "bar/b",
        80
    ));
    assert!(allowed(
        &c(&[&deny_egress, &multiport]),
        "foo/a",
        "bar/b",
        30080
    ));
    // "multiport allow egress port selector not match ns": a podSelector
    // alone stays in the policy's namespace (foo), and b is in bar
    assert!(!allowed(
        &c(&[&deny_egress, &multiport, &egress_pod]),
        "foo/a",
        "bar/b",
        80
    ));
    // "... not match pod selector"
    assert!(!allowed(
        &c(&[&deny_egress, &multiport, &egress_pod]),
        "foo/a",
        "blocked/c",
        80
    ));
    // "multiport allow egress ns selector" / "... fail"
    assert!(allowed(
        &c(&[&deny_egress, &multiport, &egress_ns]),
        "foo/a",
        "bar/b",
        80
    ));
    assert!(!allowed(
        &c(&[&deny_egress, &multiport, &egress_ns]),
        "foo/a",
        "blocked/c",
        80
    ));
    // "multiport allow egress ns and pod selector" / "... fail"
    assert!(allowed(
        &c(&[&deny_egress, &multiport, &egress_pod_ns]),
        "foo/a",
        "bar/b",
        80
    ));
    assert!(!allowed(
        &c(&[&deny_egress, &multiport, &egress_pod_ns]),
        "foo/a",
        "blocked/c",
        80
    ));
    // "multiport allow ingress ns and pod selector" / "... fail"
    assert!(allowed(
        &c(&[&deny_ingress, &ingress_pod_ns]),
        "foo/a",
        "bar/b",
        80
    ));
    assert!(!allowed(
        &c(&[&deny_ingress, &ingress_pod_ns]),
        "foo/a",
        "bar/d",
        80
    ));
}

#[test]
fn kube_network_policies_named_port_egress() {
    // "allow egress on named port" / "deny egress on wrong named port"
    let ok = policy(
        "foo",
        "named",
        "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - {port: http, protocol: TCP}",
    );
    let wrong = policy(
        "foo",
        "named",
        "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - {port: https, protocol: TCP}",
    );
    assert!(allowed(&sync_packet_cluster(&ok), "foo/a", "bar/b", 80));
    assert!(!allowed(&sync_packet_cluster(&wrong), "foo/a", "bar/b", 80));
    // A named port never matches an address outside the pods.
    assert!(!allowed(
        &sync_packet_cluster(&ok),
        "foo/a",
        "ip:8.8.8.8",
        80
    ));
}

#[test]
fn kube_network_policies_ip_blocks() {
    // TestEvaluator_evaluateIPBlocks: "match cidr", "no match cidr",
    // "match cidr and not except", "match cidr and except".
    let p = |except: &str| {
        policy(
            "bar",
            "ipb",
            &format!(
                "  podSelector: {{}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - ipBlock: {{cidr: 192.168.0.0/16{except}}}"
            ),
        )
    };
    let plain = sync_packet_cluster(&p(""));
    assert!(allowed(&plain, "ip:192.168.1.1", "bar/b", 80));
    assert!(!allowed(&plain, "ip:10.0.0.1", "bar/b", 80));
    let except = sync_packet_cluster(&p(", except: [192.168.1.0/24]"));
    assert!(allowed(&except, "ip:192.168.2.1", "bar/b", 80));
    assert!(!allowed(&except, "ip:192.168.1.1", "bar/b", 80));
    // Pod IPs are matched too: a in foo has 192.168.1.11.
    assert!(!allowed(&except, "foo/a", "bar/b", 80));
    assert!(allowed(&plain, "foo/a", "bar/b", 80));
}
