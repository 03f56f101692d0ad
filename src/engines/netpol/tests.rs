//! Engine tests beyond the transcribed upstream cases: explanations, the
//! model's namespaces, and the matrix agreeing with single queries on
//! random clusters.

use super::*;
use crate::model::ClusterModel;
use crate::model::load::Input;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use serde_json::json;

fn model(yaml: &str) -> ClusterModel {
    let v = crate::validate::validate_inputs(&[Input::new("t.yaml", yaml.as_bytes().to_vec())])
        .expect("readable");
    assert!(v.is_valid(), "{:#?}", v.problems);
    v.model()
}

const CLUSTER: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: web, labels: {team: web}}
---
apiVersion: v1
kind: Namespace
metadata: {name: api, labels: {team: api, kubernetes.io/metadata.name: not-api}}
---
apiVersion: v1
kind: Pod
metadata: {name: front, namespace: web, labels: {app: front}}
spec:
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: 80, name: http}]
status: {podIP: 10.1.0.5}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: api, labels: {app: server}}
spec:
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: 8080, name: http}, {containerPort: 9090, name: metrics}]
status: {podIP: 10.2.0.7}
---
apiVersion: v1
kind: Pod
metadata: {name: worker, namespace: api, labels: {app: worker}}
spec:
  containers:
  - {name: c, image: busybox}
---
"#;

fn query(net: &Network, from: &str, to: &str, port: i32) -> (Query, Verdict) {
    let q = Query {
        from: net.endpoint(from).expect("from"),
        to: net.endpoint(to).expect("to"),
        port,
        protocol: Protocol::Tcp,
    };
    let v = net.evaluate(&q);
    (q, v)
}

fn explained(net: &Network, q: &Query, v: &Verdict) -> String {
    net.explain(q, v)
        .iter()
        .map(|l| format!("{}{}", "  ".repeat(l.depth), l.text))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn namespace_name_label_is_set_by_the_api_server() {
    // upstream: pkg/apis/core/v1/defaults.go SetDefaults_Namespace
    // overrides the label with the name.
    let m = model(CLUSTER);
    let net = Network::from_model(&m).expect("net");
    let api = net.namespace("api").expect("api");
    assert_eq!(api.labels["kubernetes.io/metadata.name"], "api");
    assert_eq!(api.labels["team"], "api");
    assert!(api.declared);
}

#[test]
fn undeclared_namespaces_exist_with_their_name_label() {
    let m = model(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ghost}\nspec:\n  containers: [{name: c, image: busybox}]\n",
    );
    let net = Network::from_model(&m).expect("net");
    let ghost = net.namespace("ghost").expect("ghost");
    assert!(!ghost.declared);
    assert_eq!(ghost.labels.len(), 1);
    assert_eq!(ghost.labels["kubernetes.io/metadata.name"], "ghost");
}

#[test]
fn explains_a_namespace_label_mismatch() {
    let y = CLUSTER.to_string()
        + r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front-from-web, namespace: web}
spec:
  podSelector: {matchLabels: {app: front}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: web}}
      podSelector: {matchLabels: {app: front}}
"#;
    let m = model(&y);
    let net = Network::from_model(&m).expect("net");
    let (q, v) = query(&net, "api/server", "web/front", 80);
    assert!(!v.allowed);
    assert!(v.egress.allowed && v.egress.policies.is_empty());
    assert!(!v.ingress.allowed);
    assert_eq!(v.ingress.policies.len(), 1);
    let text = explained(&net, &q, &v);
    assert!(
        text.contains("web/front is isolated for ingress by NetworkPolicy/web/front-from-web"),
        "{text}"
    );
    assert!(
        text.contains("from[0] needs namespace label team=web; namespace api has team=api"),
        "{text}"
    );
    assert!(
        text.contains("needs pod label app=front; api/server has app=server"),
        "{text}"
    );
    // Lines point at the file and line of the responsible peer.
    let lines = net.explain(&q, &v);
    let peer_line = lines
        .iter()
        .find(|l| l.text.starts_with("from[0]"))
        .expect("peer line");
    let loc = peer_line.location.clone().expect("location");
    assert_eq!(loc.file, "t.yaml");
    assert!(loc.line > 40, "{loc}");
}

#[test]
fn pod_selector_alone_stays_in_the_policy_namespace() {
    // upstream: types.go NetworkPolicyPeer.PodSelector: without a
    // namespaceSelector it selects pods in the policy's namespace.
    let y = CLUSTER.to_string()
        + r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: server-from-front, namespace: api}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: front}}
"#;
    let m = model(&y);
    let net = Network::from_model(&m).expect("net");
    let (q, v) = query(&net, "web/front", "api/server", 8080);
    assert!(!v.allowed);
    let text = explained(&net, &q, &v);
    assert!(
        text.contains(
            "only selects pods in the policy's namespace api; web/front is in namespace web"
        ),
        "{text}"
    );
}

#[test]
fn explains_the_rule_that_allowed() {
    let y = CLUSTER.to_string()
        + r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: server-ingress, namespace: api}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: metrics}]
  - from:
    - namespaceSelector: {matchLabels: {team: db}}
    - namespaceSelector: {matchLabels: {team: web}}
    ports: [{port: 8080}]
"#;
    let m = model(&y);
    let net = Network::from_model(&m).expect("net");
    let (q, v) = query(&net, "web/front", "api/server", 8080);
    assert!(v.allowed);
    let hit = v.ingress.allowed_by.expect("hit");
    assert_eq!((hit.rule, hit.peer, hit.port), (1, Some(1), Some(0)));
    let text = explained(&net, &q, &v);
    assert!(
        text.contains("ingress: allowed by NetworkPolicy/api/server-ingress spec.ingress[1].from[1] (matches web/front)"),
        "{text}"
    );
    // The named port `metrics` resolves on the destination: 9090 only.
    let (_, v) = query(&net, "web/front", "api/server", 9090);
    assert!(v.allowed);
    let (q, v) = query(&net, "web/front", "api/server", 7000);
    assert!(!v.allowed);
    let text = explained(&net, &q, &v);
    assert!(
        text.contains("port 7000/TCP is not one of its ports [metrics/TCP] (api/server declares metrics=9090/TCP)"),
        "{text}"
    );
}

#[test]
fn default_deny_is_explained_as_having_no_rules() {
    let y = CLUSTER.to_string()
        + "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: api}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n";
    let m = model(&y);
    let net = Network::from_model(&m).expect("net");
    let (q, v) = query(&net, "api/server", "web/front", 80);
    assert!(!v.allowed && !v.egress.allowed && v.ingress.allowed);
    let text = explained(&net, &q, &v);
    assert!(
        text.contains(
            "egress: denied: api/server is isolated for egress by NetworkPolicy/api/deny"
        ),
        "{text}"
    );
    assert!(
        text.contains("NetworkPolicy/api/deny has no egress rules"),
        "{text}"
    );
    // Loopback stays allowed, and says why.
    let (q, v) = query(&net, "api/server", "api/server", 8080);
    assert!(v.allowed && v.loopback);
    assert!(!v.ingress.allowed, "the policies alone would deny it");
    assert!(explained(&net, &q, &v).contains("loopback"));
}

#[test]
fn addresses_and_pods_without_ips() {
    let y = CLUSTER.to_string()
        + r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front-in, namespace: web}
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.0/16]}
    - podSelector: {}
"#;
    let m = model(&y);
    let net = Network::from_model(&m).expect("net");
    let (_, v) = query(&net, "ip:10.9.9.9", "web/front", 80);
    assert!(v.allowed);
    let (q, v) = query(&net, "ip:192.168.1.1", "web/front", 80);
    assert!(!v.allowed);
    let text = explained(&net, &q, &v);
    assert!(
        text.contains(
            "from[0] allows ipBlock 10.0.0.0/8; ip:192.168.1.1 (192.168.1.1) is outside it"
        ),
        "{text}"
    );
    assert!(
        text.contains("from[1] selects pods; ip:192.168.1.1 is not a pod"),
        "{text}"
    );
    assert!(
        text.contains("egress: allowed: ip:192.168.1.1 is not a pod"),
        "{text}"
    );
    // api/server's IP is in the exception.
    let (q, v) = query(&net, "api/server", "web/front", 80);
    assert!(!v.allowed);
    assert!(explained(&net, &q, &v).contains("except 10.2.0.0/16"));
    // api/worker has no IP at all.
    let (q, v) = query(&net, "api/worker", "web/front", 80);
    assert!(!v.allowed);
    assert!(explained(&net, &q, &v).contains("api/worker has no IP"));
    // Traffic to an address leaves only the source's egress to decide.
    let (_, v) = query(&net, "web/front", "ip:1.1.1.1", 443);
    assert!(v.allowed && v.ingress.policies.is_empty());
}

#[test]
fn later_definitions_replace_earlier_ones() {
    let y = CLUSTER.to_string()
        + "apiVersion: v1\nkind: Pod\nmetadata: {name: front, namespace: web, labels: {app: other}}\nspec:\n  containers: [{name: c, image: nginx}]\nstatus: {podIP: 10.1.0.6}\n";
    let m = model(&y);
    let net = Network::from_model(&m).expect("net");
    assert_eq!(net.pods.len(), 3);
    let i = net.pod("web", "front").expect("front");
    assert_eq!(net.pods[i].labels["app"], "other");
    assert_eq!(net.pods[i].ips[0].to_string(), "10.1.0.6");
}

#[test]
fn endpoint_names_and_errors() {
    let m = model(CLUSTER);
    let net = Network::from_model(&m).expect("net");
    assert_eq!(
        net.endpoint_name(net.endpoint("api/server").unwrap()),
        "api/server"
    );
    assert_eq!(
        net.endpoint_name(net.endpoint("ip:10.0.0.1").unwrap()),
        "ip:10.0.0.1"
    );
    assert!(
        net.endpoint("api/servr")
            .unwrap_err()
            .contains("did you mean api/server?")
    );
    assert!(
        net.endpoint("server")
            .unwrap_err()
            .contains("NAMESPACE/POD")
    );
    assert!(net.endpoint("ip:10.0.0.300").is_err());
}

// --- The matrix agrees with single queries on random clusters ----------

/// A small deterministic generator (no dependency needed for tests).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next(xs.len())]
    }
}

fn random_cluster(seed: u64) -> ClusterModel {
    let mut r = Lcg(seed);
    let mut m = ClusterModel::new();
    let namespaces = ["n0", "n1", "n2"];
    for ns in namespaces {
        let team = r.pick(&["a", "b"]);
        m = m.with(
            serde_json::from_value::<core::Namespace>(json!({
                "metadata": {"name": ns, "labels": {"team": team}}
            }))
            .expect("ns"),
        );
    }
    for i in 0..12 {
        let ns = r.pick(&namespaces);
        let app = r.pick(&["web", "db", "api"]);
        let ports = match r.next(3) {
            0 => json!([{"containerPort": 80, "name": "http"}]),
            1 => {
                json!([{"containerPort": 8080, "name": "http"}, {"containerPort": 53, "name": "dns", "protocol": "UDP"}])
            }
            _ => json!([]),
        };
        let ip = if r.next(6) == 0 {
            json!(null)
        } else {
            json!(format!("10.{}.0.{}", r.next(3), i + 1))
        };
        m = m.with(
            serde_json::from_value::<core::Pod>(json!({
                "metadata": {"name": format!("p{i}"), "namespace": ns, "labels": {"app": app}},
                "spec": {"containers": [{"name": "c", "image": "x", "ports": ports}]},
                "status": {"podIP": ip}
            }))
            .expect("pod"),
        );
    }
    for i in 0..5 {
        let ns = r.pick(&namespaces);
        let mut peers = Vec::new();
        for _ in 0..r.next(3) {
            peers.push(match r.next(5) {
                0 => json!({"podSelector": {"matchLabels": {"app": r.pick(&["web", "db", "api"])}}}),
                1 => json!({"namespaceSelector": {"matchLabels": {"team": r.pick(&["a", "b"])}}}),
                2 => json!({"namespaceSelector": {}, "podSelector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["db"]}]}}),
                3 => json!({"ipBlock": {"cidr": "10.0.0.0/8", "except": [format!("10.{}.0.0/16", r.next(3))]}}),
                _ => json!({"podSelector": {}}),
            });
        }
        let port = match r.next(5) {
            0 => json!([{"port": 80}]),
            1 => json!([{"port": "http"}]),
            2 => json!([{"port": 50, "endPort": 60, "protocol": "UDP"}]),
            3 => json!([{"protocol": "UDP"}]),
            _ => json!([]),
        };
        let rule = json!({"ports": port, "from": peers.clone(), "to": peers});
        let types = match r.next(4) {
            0 => json!(["Ingress"]),
            1 => json!(["Egress"]),
            2 => json!(["Ingress", "Egress"]),
            _ => json!(null),
        };
        let rules = if r.next(4) == 0 {
            json!([])
        } else {
            json!([rule])
        };
        let mut spec = json!({
            "podSelector": {"matchLabels": {"app": r.pick(&["web", "db", "api"])}},
            "ingress": rules.clone(),
            "egress": rules,
            "policyTypes": types,
        });
        if r.next(3) == 0 {
            spec["podSelector"] = json!({});
        }
        let np: NetworkPolicy = serde_json::from_value(json!({
            "metadata": {"name": format!("np{i}"), "namespace": ns},
            "spec": spec,
        }))
        .expect("policy");
        m = m.with(np);
    }
    m
}

#[test]
fn matrix_agrees_with_single_queries_on_random_clusters() {
    let mut cells = 0;
    let mut denied = 0;
    for seed in 0..60u64 {
        let m = random_cluster(seed);
        let net = Network::from_model(&m).expect("random cluster compiles");
        let mut eps = net.pod_endpoints();
        eps.push(Endpoint::Ip("10.1.0.9".parse().unwrap()));
        eps.push(Endpoint::Ip("192.168.0.1".parse().unwrap()));
        for choice in [
            PortChoice::Declared(None),
            PortChoice::Number(80, Protocol::Tcp),
        ] {
            let mx = net.matrix(&eps, &eps, &choice);
            for (s, d, k, cell) in mx.iter() {
                let (port, protocol) = mx.ports(d)[k];
                let v = net.evaluate(&Query {
                    from: eps[s],
                    to: eps[d],
                    port,
                    protocol,
                });
                assert_eq!(
                    (v.allowed, v.loopback, v.egress.allowed, v.ingress.allowed),
                    (cell.allowed, cell.loopback, cell.egress, cell.ingress),
                    "seed {seed}: {} -> {} on {port}/{protocol}",
                    net.endpoint_name(eps[s]),
                    net.endpoint_name(eps[d])
                );
                assert_eq!(v.egress.policies, mx.egress_policies(s));
                assert_eq!(v.ingress.policies, mx.ingress_policies(d));
                cells += 1;
                denied += usize::from(!cell.allowed);
            }
        }
    }
    // The random clusters must exercise both outcomes.
    assert!(
        cells > 5000 && denied > cells / 10 && denied < cells * 9 / 10,
        "{cells} cells, {denied} denied"
    );
}

#[test]
fn identical_pods_share_a_class() {
    let mut m = ClusterModel::new();
    for i in 0..20 {
        m = m.with(
            serde_json::from_value::<core::Pod>(json!({
                "metadata": {"name": format!("web-{i}"), "namespace": "shop", "labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "x", "ports": [{"containerPort": 80}]}]},
                "status": {"podIP": format!("10.0.0.{}", i + 1)}
            }))
            .expect("pod"),
        );
    }
    let net = Network::from_model(&m).expect("net");
    let eps = net.pod_endpoints();
    let mx = net.matrix(&eps, &eps, &PortChoice::Declared(None));
    assert_eq!(mx.class_count(), 1);
    assert_eq!(mx.iter().count(), 400);
    assert!(mx.iter().all(|(_, _, _, c)| c.allowed));
}
