//! Cases from upstream's toleration_test.go, taint_toleration_test.go,
//! the taint-eviction controller's tests, the node affinity helpers and
//! noderesources fit tests, plus our explanations.

use super::*;
use k8s_openapi::api::core::v1::Pod;
use serde_json::json;

fn tol(v: serde_json::Value) -> Toleration {
    serde_json::from_value(v).expect("toleration")
}

fn taint(key: &str, value: &str, effect: &str) -> Taint {
    Taint {
        key: key.into(),
        value: (!value.is_empty()).then(|| value.into()),
        effect: effect.into(),
        ..Default::default()
    }
}

fn node(v: serde_json::Value) -> Node {
    serde_json::from_value(v).expect("node")
}

fn pod(v: serde_json::Value) -> Pod {
    serde_json::from_value(v).expect("pod")
}

fn node_with_taints(name: &str, taints: &[Taint]) -> Node {
    node(json!({"metadata": {"name": name}, "spec": {"taints": taints}}))
}

fn place(nodes: &[Node], p: &Pod) -> Placement {
    let cluster = Cluster::new(nodes.iter(), std::iter::empty());
    let spec = p.spec.as_ref().expect("spec");
    cluster.place(&PodToPlace::new("default/p", spec))
}

// upstream: staging/src/k8s.io/api/core/v1/toleration_test.go
// TestTolerationToleratesTaint
#[test]
fn tolerates_taint_table() {
    let cases = [
        (
            json!({"key": "foo", "operator": "Exists", "effect": "NoSchedule"}),
            taint("foo", "", "NoSchedule"),
            true,
        ),
        (
            json!({"key": "foo", "operator": "Exists", "effect": "NoSchedule"}),
            taint("foo", "bar", "NoSchedule"),
            true,
        ),
        (
            json!({"key": "", "operator": "Exists", "effect": "NoSchedule"}),
            taint("foo", "bar", "NoSchedule"),
            true,
        ),
        (
            json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}),
            taint("foo", "bar", "NoSchedule"),
            true,
        ),
        (
            json!({"key": "foo", "operator": "Equal", "value": "value1", "effect": "NoSchedule"}),
            taint("foo", "value2", "NoSchedule"),
            false,
        ),
        (
            json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}),
            taint("foo", "bar", "NoExecute"),
            false,
        ),
        (
            json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": "NoSchedule"}),
            taint("node.kubernetes.io/sla", "800", "NoSchedule"),
            false,
        ),
        (
            json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "750", "effect": "NoSchedule"}),
            taint("node.kubernetes.io/sla", "950", "NoSchedule"),
            true,
        ),
        (
            json!({"key": "node.kubernetes.io/sla", "operator": "Lt", "value": "800", "effect": "NoSchedule"}),
            taint("node.kubernetes.io/sla", "950", "NoSchedule"),
            false,
        ),
        (
            json!({"key": "node.kubernetes.io/sla", "operator": "Lt", "value": "950", "effect": "NoSchedule"}),
            taint("node.kubernetes.io/sla", "800", "NoSchedule"),
            true,
        ),
        (
            json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": "NoSchedule"}),
            taint("node.kubernetes.io/sla", "950", "NoSchedule"),
            false,
        ),
        (
            json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": "NoSchedule"}),
            taint("node.kubernetes.io/sla", "high", "NoSchedule"),
            false,
        ),
        (
            json!({"key": "test-key", "operator": "Gt", "value": "-100", "effect": "NoSchedule"}),
            taint("test-key", "-200", "NoSchedule"),
            false,
        ),
        (
            json!({"key": "test-key", "operator": "Gt", "value": "9223372036854775806", "effect": "NoSchedule"}),
            taint("test-key", "100", "NoSchedule"),
            false,
        ),
        // Empty effect matches every effect; empty key with Exists matches every taint.
        (
            json!({"key": "foo", "operator": "Equal", "value": "bar"}),
            taint("foo", "bar", "NoExecute"),
            true,
        ),
        (
            json!({"operator": "Exists"}),
            taint("anything", "x", "NoExecute"),
            true,
        ),
        // An empty operator means Equal.
        (
            json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
            taint("foo", "bar", "NoSchedule"),
            true,
        ),
        (
            json!({"key": "foo", "effect": "NoSchedule"}),
            taint("foo", "bar", "NoSchedule"),
            false,
        ),
    ];
    for (i, (t, taint, want)) in cases.into_iter().enumerate() {
        assert_eq!(tolerates(&tol(t), &taint), want, "case {i}");
    }
}

// upstream: pkg/scheduler/framework/plugins/tainttoleration/
// taint_toleration_test.go TestTaintTolerationScore
#[test]
fn taint_score_table() {
    let pns = "PreferNoSchedule";
    let cases: Vec<(Vec<serde_json::Value>, Vec<Node>, Vec<i64>)> = vec![
        (
            vec![json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": pns})],
            vec![
                node_with_taints("nodeA", &[taint("foo", "bar", pns)]),
                node_with_taints("nodeB", &[taint("foo", "blah", pns)]),
            ],
            vec![100, 0],
        ),
        (
            vec![
                json!({"key": "cpu-type", "operator": "Equal", "value": "arm64", "effect": pns}),
                json!({"key": "disk-type", "operator": "Equal", "value": "ssd", "effect": pns}),
            ],
            vec![
                node_with_taints("nodeA", &[]),
                node_with_taints("nodeB", &[taint("cpu-type", "arm64", pns)]),
                node_with_taints(
                    "nodeC",
                    &[
                        taint("cpu-type", "arm64", pns),
                        taint("disk-type", "ssd", pns),
                    ],
                ),
            ],
            vec![100, 100, 100],
        ),
        (
            vec![json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": pns})],
            vec![
                node_with_taints("nodeA", &[]),
                node_with_taints("nodeB", &[taint("cpu-type", "arm64", pns)]),
                node_with_taints(
                    "nodeC",
                    &[
                        taint("cpu-type", "arm64", pns),
                        taint("disk-type", "ssd", pns),
                    ],
                ),
            ],
            vec![100, 50, 0],
        ),
        (
            vec![
                json!({"key": "cpu-type", "operator": "Equal", "value": "arm64", "effect": "NoSchedule"}),
                json!({"key": "disk-type", "operator": "Equal", "value": "ssd", "effect": "NoSchedule"}),
            ],
            vec![
                node_with_taints("nodeA", &[]),
                node_with_taints("nodeB", &[taint("cpu-type", "arm64", "NoSchedule")]),
                node_with_taints(
                    "nodeC",
                    &[
                        taint("cpu-type", "arm64", pns),
                        taint("disk-type", "ssd", pns),
                    ],
                ),
            ],
            vec![100, 100, 0],
        ),
        (
            vec![],
            vec![
                node_with_taints("nodeA", &[]),
                node_with_taints("nodeB", &[taint("cpu-type", "arm64", pns)]),
            ],
            vec![100, 0],
        ),
        (
            vec![
                json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": pns}),
            ],
            vec![
                node_with_taints("nodeA", &[taint("node.kubernetes.io/sla", "800", pns)]),
                node_with_taints("nodeB", &[taint("node.kubernetes.io/sla", "999", pns)]),
            ],
            vec![0, 100],
        ),
        (
            vec![
                json!({"key": "node.kubernetes.io/sla", "operator": "Lt", "value": "800", "effect": pns}),
            ],
            vec![
                node_with_taints("nodeA", &[taint("node.kubernetes.io/sla", "950", pns)]),
                node_with_taints("nodeB", &[taint("node.kubernetes.io/sla", "700", pns)]),
            ],
            vec![0, 100],
        ),
        (
            vec![
                json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": pns}),
            ],
            vec![
                node_with_taints("nodeA", &[]),
                node_with_taints("nodeB", &[taint("node.kubernetes.io/sla", "high", pns)]),
            ],
            vec![100, 0],
        ),
    ];
    for (i, (tols, nodes, want)) in cases.into_iter().enumerate() {
        let p = pod(
            json!({"metadata": {"name": "pod1"}, "spec": {"containers": [], "tolerations": tols}}),
        );
        let got: Vec<i64> = place(&nodes, &p)
            .nodes
            .iter()
            .map(|n| n.taint_score.unwrap_or(-1))
            .collect();
        assert_eq!(got, want, "case {i}");
    }
}

// upstream: taint_toleration_test.go TestTaintTolerationFilter
#[test]
fn taint_filter_table() {
    let cases = [
        (
            vec![],
            vec![taint("dedicated", "user1", "NoSchedule")],
            false,
        ),
        (
            vec![json!({"key": "dedicated", "value": "user1", "effect": "NoSchedule"})],
            vec![taint("dedicated", "user1", "NoSchedule")],
            true,
        ),
        (
            vec![
                json!({"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}),
            ],
            vec![taint("dedicated", "user1", "NoSchedule")],
            false,
        ),
        (
            vec![json!({"key": "foo", "operator": "Exists", "effect": "NoSchedule"})],
            vec![taint("foo", "bar", "NoSchedule")],
            true,
        ),
        (
            vec![
                json!({"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}),
                json!({"key": "foo", "operator": "Exists", "effect": "NoSchedule"}),
            ],
            vec![
                taint("dedicated", "user2", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
            ],
            true,
        ),
        (
            vec![
                json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"}),
            ],
            vec![taint("foo", "bar", "NoSchedule")],
            false,
        ),
        (
            vec![json!({"key": "foo", "operator": "Equal", "value": "bar"})],
            vec![taint("foo", "bar", "NoSchedule")],
            true,
        ),
        (
            vec![
                json!({"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}),
            ],
            vec![taint("dedicated", "user1", "PreferNoSchedule")],
            true,
        ),
        (
            vec![],
            vec![taint("dedicated", "user1", "PreferNoSchedule")],
            true,
        ),
        (
            vec![
                json!({"key": "node.example.com/priority-level", "operator": "Gt", "value": "950", "effect": "NoSchedule"}),
            ],
            vec![taint(
                "node.example.com/priority-level",
                "800",
                "NoSchedule",
            )],
            false,
        ),
        (
            vec![
                json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "750", "effect": "NoSchedule"}),
            ],
            vec![taint("node.kubernetes.io/sla", "950", "NoSchedule")],
            true,
        ),
        (
            vec![
                json!({"key": "node.example.com/priority-level", "operator": "Lt", "value": "800", "effect": "NoSchedule"}),
            ],
            vec![taint(
                "node.example.com/priority-level",
                "950",
                "NoSchedule",
            )],
            false,
        ),
        // NoExecute filters too.
        (vec![], vec![taint("k", "v", "NoExecute")], false),
    ];
    for (i, (tols, taints, fits)) in cases.into_iter().enumerate() {
        let p = pod(
            json!({"metadata": {"name": "pod1"}, "spec": {"containers": [], "tolerations": tols}}),
        );
        let got = place(&[node_with_taints("nodeA", &taints)], &p);
        assert_eq!(
            got.nodes[0].fits, fits,
            "case {i}: {:?}",
            got.nodes[0].reasons
        );
        if !fits {
            assert_eq!(
                got.nodes[0].reasons[0].upstream,
                "node(s) had untolerated taint(s)"
            );
        }
    }
}

// upstream: pkg/controller/tainteviction/taint_eviction_test.go
// (getMinTolerationTime and processPodOnNode: the first matching
// toleration per taint, 0 or less at once, the shortest wins)
#[test]
fn eviction_timing() {
    let ne = |k: &str| taint(k, "", "NoExecute");
    let t = |v: serde_json::Value| vec![tol(v)];
    // No NoExecute taint: never.
    assert_eq!(eviction_seconds(&[taint("a", "", "NoSchedule")], &[]), None);
    // Untolerated: at once.
    assert_eq!(eviction_seconds(&[ne("a")], &[]), Some(0));
    // Tolerated forever.
    assert_eq!(
        eviction_seconds(&[ne("a")], &t(json!({"key": "a", "operator": "Exists"}))),
        None
    );
    // Tolerated for a while.
    assert_eq!(
        eviction_seconds(
            &[ne("a")],
            &t(json!({"key": "a", "operator": "Exists", "tolerationSeconds": 300}))
        ),
        Some(300)
    );
    // Zero and negative are at once.
    assert_eq!(
        eviction_seconds(
            &[ne("a")],
            &t(json!({"key": "a", "operator": "Exists", "tolerationSeconds": -5}))
        ),
        Some(0)
    );
    // The shortest wins across taints.
    let two = vec![
        tol(json!({"key": "a", "operator": "Exists", "tolerationSeconds": 600})),
        tol(json!({"key": "b", "operator": "Exists", "tolerationSeconds": 60})),
    ];
    assert_eq!(eviction_seconds(&[ne("a"), ne("b")], &two), Some(60));
    // One taint tolerated forever, another for a minute: a minute.
    let mixed = vec![
        tol(json!({"key": "a", "operator": "Exists"})),
        tol(json!({"key": "b", "operator": "Exists", "tolerationSeconds": 60})),
    ];
    assert_eq!(eviction_seconds(&[ne("a"), ne("b")], &mixed), Some(60));
    // Only the first toleration that matches a taint is used.
    let first_wins = vec![
        tol(json!({"key": "a", "operator": "Exists"})),
        tol(json!({"key": "a", "operator": "Exists", "tolerationSeconds": 1})),
    ];
    assert_eq!(eviction_seconds(&[ne("a")], &first_wins), None);
    // One of two taints untolerated: at once.
    assert_eq!(
        eviction_seconds(
            &[ne("a"), ne("b")],
            &t(json!({"key": "a", "operator": "Exists", "tolerationSeconds": 60}))
        ),
        Some(0)
    );
}

// upstream: nodeaffinity tests (TestNodeSelectorMatch, required terms
// ORed, expressions ANDed; NotIn and DoesNotExist match a missing label)
#[test]
fn node_affinity_operators() {
    let n = node(
        json!({"metadata": {"name": "n1", "labels": {"zone": "a", "gpu": "2", "disk": "ssd"}}}),
    );
    let fits = |affinity: serde_json::Value| {
        let p = pod(
            json!({"metadata": {"name": "p"}, "spec": {"containers": [], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": affinity}}}}),
        );
        place(std::slice::from_ref(&n), &p).nodes[0].fits
    };
    let term =
        |exprs: serde_json::Value| json!({"nodeSelectorTerms": [{"matchExpressions": exprs}]});
    assert!(fits(term(
        json!([{"key": "zone", "operator": "In", "values": ["a", "b"]}])
    )));
    assert!(!fits(term(
        json!([{"key": "zone", "operator": "In", "values": ["b"]}])
    )));
    assert!(fits(term(
        json!([{"key": "zone", "operator": "NotIn", "values": ["b"]}])
    )));
    assert!(fits(term(
        json!([{"key": "missing", "operator": "NotIn", "values": ["b"]}])
    )));
    assert!(fits(term(json!([{"key": "gpu", "operator": "Exists"}]))));
    assert!(!fits(term(
        json!([{"key": "gpu", "operator": "DoesNotExist"}])
    )));
    assert!(fits(term(
        json!([{"key": "missing", "operator": "DoesNotExist"}])
    )));
    assert!(fits(term(
        json!([{"key": "gpu", "operator": "Gt", "values": ["1"]}])
    )));
    assert!(!fits(term(
        json!([{"key": "gpu", "operator": "Gt", "values": ["2"]}])
    )));
    assert!(fits(term(
        json!([{"key": "gpu", "operator": "Lt", "values": ["3"]}])
    )));
    assert!(!fits(term(
        json!([{"key": "zone", "operator": "Lt", "values": ["3"]}])
    )));
    // ANDed within a term.
    assert!(!fits(term(json!([
        {"key": "zone", "operator": "In", "values": ["a"]},
        {"key": "disk", "operator": "In", "values": ["hdd"]}
    ]))));
    // ORed across terms.
    assert!(fits(json!({"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["x"]}]},
        {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}
    ]})));
    // An empty term matches nothing.
    assert!(!fits(json!({"nodeSelectorTerms": [{}]})));
    // matchFields on the node name.
    assert!(fits(
        json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}]})
    ));
    assert!(!fits(
        json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["n1"]}]}]})
    ));
}

#[test]
fn node_selector_name_and_cordon() {
    let nodes = [
        node(json!({"metadata": {"name": "n1", "labels": {"disktype": "ssd"}}})),
        node(json!({"metadata": {"name": "n2", "labels": {"disktype": "hdd"}}})),
        node(
            json!({"metadata": {"name": "n3", "labels": {"disktype": "ssd"}}, "spec": {"unschedulable": true}}),
        ),
    ];
    let p = pod(
        json!({"metadata": {"name": "p"}, "spec": {"containers": [], "nodeSelector": {"disktype": "ssd"}}}),
    );
    let got = place(&nodes, &p);
    let fits: Vec<bool> = got.nodes.iter().map(|n| n.fits).collect();
    assert_eq!(fits, [true, false, false]);
    assert_eq!(
        got.nodes[1].reasons[0].explain,
        "nodeSelector disktype=ssd: the node's label disktype is hdd"
    );
    assert_eq!(
        got.nodes[2].reasons[0].upstream,
        "node(s) were unschedulable"
    );
    // The toleration for the unschedulable taint lets a pod past a cordon.
    let p = pod(json!({"metadata": {"name": "p"}, "spec": {"containers": [],
        "tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]}}));
    assert!(place(&nodes, &p).nodes[2].fits);
    let p = pod(json!({"metadata": {"name": "p"}, "spec": {"containers": [], "nodeName": "n2"}}));
    let got = place(&nodes, &p);
    assert!(!got.nodes[0].fits && got.nodes[1].fits);
    assert_eq!(
        got.nodes[0].reasons[0].upstream,
        "node(s) didn't match the requested node name"
    );
}

#[test]
fn explanation_names_the_closest_toleration() {
    let p = pod(json!({"metadata": {"name": "p"}, "spec": {"containers": [],
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "gpus", "effect": "NoSchedule"}]}}));
    let got = place(
        &[node_with_taints(
            "node-2",
            &[taint("dedicated", "gpu", "NoSchedule")],
        )],
        &p,
    );
    assert_eq!(
        got.nodes[0].reasons[0].explain,
        "taint dedicated=gpu:NoSchedule is not tolerated: your toleration has value gpus"
    );
}

// upstream: noderesources/fit_test.go TestEnoughRequests (cpu, memory,
// init containers counted as the max, "Too many pods")
#[test]
fn resource_fit() {
    let n = node(
        json!({"metadata": {"name": "n1"}, "status": {"allocatable": {"cpu": "10", "memory": "20", "pods": "32"}}}),
    );
    let bound = pod(
        json!({"metadata": {"name": "b"}, "spec": {"nodeName": "n1", "containers": [
        {"name": "c", "resources": {"requests": {"cpu": "5", "memory": "5"}}}]}}),
    );
    let fits = |spec: serde_json::Value| {
        let p = pod(json!({"metadata": {"name": "p"}, "spec": spec}));
        let cluster = Cluster::new(
            std::iter::once(&n),
            std::iter::once((
                "default/b".to_string(),
                bound.spec.as_ref().expect("spec"),
                None,
            )),
        );
        cluster.place(&PodToPlace::new(
            "default/p",
            p.spec.as_ref().expect("spec"),
        ))
    };
    let c = |cpu: &str, mem: &str| json!({"name": "c", "resources": {"requests": {"cpu": cpu, "memory": mem}}});
    assert!(fits(json!({"containers": [c("5", "15")]})).nodes[0].fits);
    let got = fits(json!({"containers": [c("6", "1")]}));
    assert_eq!(got.nodes[0].reasons[0].upstream, "Insufficient cpu");
    // An init container counts as the max, not the sum.
    assert!(
        fits(json!({"containers": [c("1", "1")], "initContainers": [c("5", "1")]})).nodes[0].fits
    );
    let got = fits(json!({"containers": [c("1", "1")], "initContainers": [c("6", "1")]}));
    assert_eq!(got.nodes[0].reasons[0].upstream, "Insufficient cpu");
    let got = fits(json!({"containers": [c("1", "16")]}));
    assert_eq!(got.nodes[0].reasons[0].upstream, "Insufficient memory");
    // A limit with no request is the request.
    let got = fits(json!({"containers": [{"name": "c", "resources": {"limits": {"cpu": "6"}}}]}));
    assert!(!got.nodes[0].fits);
    // Too many pods.
    let full = node(
        json!({"metadata": {"name": "n1"}, "status": {"allocatable": {"cpu": "10", "memory": "20", "pods": "1"}}}),
    );
    let cluster = Cluster::new(
        std::iter::once(&full),
        std::iter::once((
            "default/b".to_string(),
            bound.spec.as_ref().expect("spec"),
            None,
        )),
    );
    let p = pod(json!({"metadata": {"name": "p"}, "spec": {"containers": []}}));
    let got = cluster.place(&PodToPlace::new(
        "default/p",
        p.spec.as_ref().expect("spec"),
    ));
    assert_eq!(got.nodes[0].reasons[0].upstream, "Too many pods");
    // The bound pod itself does not count against itself.
    let got = cluster.place(&PodToPlace::new(
        "default/b",
        bound.spec.as_ref().expect("spec"),
    ));
    assert!(got.nodes[0].fits, "{:?}", got.nodes[0].reasons);
}

// upstream: plugin/pkg/admission/defaulttolerationseconds/admission_test.go
// TestForgivenessAdmission, every case.
#[test]
fn default_toleration_seconds_admission() {
    let tols = |v: serde_json::Value| -> Vec<Toleration> { serde_json::from_value(v).unwrap() };
    let not_ready_300 = json!({"key": "node.kubernetes.io/not-ready", "operator": "Exists",
        "effect": "NoExecute", "tolerationSeconds": 300});
    let unreachable_300 = json!({"key": "node.kubernetes.io/unreachable", "operator": "Exists",
        "effect": "NoExecute", "tolerationSeconds": 300});
    let cases = [
        // "pod has no tolerations, expect add tolerations for
        // `notread:NoExecute` and `unreachable:NoExecute`"
        (json!([]), json!([not_ready_300, unreachable_300])),
        // "pod has tolerations, but none is for taint `notread:NoExecute`
        // or `unreachable:NoExecute`, ..."
        (
            json!([{"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule", "tolerationSeconds": 700}]),
            json!([{"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule", "tolerationSeconds": 700},
                   not_ready_300, unreachable_300]),
        ),
        // "pod specified a toleration for taint `notReady:NoExecute`,
        // expect add toleration for `unreachable:NoExecute`"
        (
            json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 700}]),
            json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 700},
                   unreachable_300]),
        ),
        // "pod specified a toleration for taint `unreachable:NoExecute`,
        // expect add toleration for `notReady:NoExecute`"
        (
            json!([{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 700}]),
            json!([{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 700},
                   not_ready_300]),
        ),
        // "pod specified tolerations for both ..., expect no change"
        (
            json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 700},
                   {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 700}]),
            json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 700},
                   {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 700}]),
        ),
        // "pod specified toleration for taint `unreachable`, expect add
        // toleration for `notReady:NoExecute`" (an empty effect covers
        // NoExecute)
        (
            json!([{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 700}]),
            json!([{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 700},
                   not_ready_300]),
        ),
        // "pod has wildcard toleration for all kind of taints, expect no change"
        (
            json!([{"operator": "Exists", "tolerationSeconds": 700}]),
            json!([{"operator": "Exists", "tolerationSeconds": 700}]),
        ),
    ];
    for (given, want) in cases {
        assert_eq!(
            with_default_toleration_seconds(&tols(given.clone())),
            tols(want),
            "{given}"
        );
    }
    // The plugin looks at key and effect only: a toleration for not-ready
    // with a value that the real taint never has still stops the default
    // (admission.go: `toleration.Key == TaintNodeNotReady || len(Key) == 0`).
    let odd = tols(
        json!([{"key": "node.kubernetes.io/not-ready", "operator": "Equal",
        "value": "x", "effect": "NoExecute"}]),
    );
    let got = with_default_toleration_seconds(&odd);
    assert_eq!(got.len(), 2);
    assert_eq!(
        eviction_seconds(
            &[taint("node.kubernetes.io/not-ready", "", "NoExecute")],
            &got
        ),
        Some(0)
    );
}

// upstream: pkg/controller/daemon/util/daemonset_util.go
// AddOrUpdateDaemonPodTolerations, with pkg/apis/core/v1/helper/helpers.go
// AddOrUpdateTolerationInPodSpec (same key/operator/value/effect replaced
// in place).
#[test]
fn daemon_pod_tolerations() {
    let spec: PodSpec = serde_json::from_value(json!({
        "containers": [{"name": "c", "image": "i"}],
        "tolerations": [
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30},
            {"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}
        ]
    }))
    .unwrap();
    let got = with_daemon_pod_tolerations(&spec);
    let keys: Vec<(String, String, Option<i64>)> = got
        .iter()
        .map(|t| {
            (
                t.key.clone().unwrap_or_default(),
                t.effect.clone().unwrap_or_default(),
                t.toleration_seconds,
            )
        })
        .collect();
    let k = |a: &str, e: &str| (a.to_string(), e.to_string(), None);
    assert_eq!(
        keys,
        vec![
            // replaced where it stood, without its 30 seconds
            k("node.kubernetes.io/not-ready", "NoExecute"),
            k("dedicated", "NoSchedule"),
            k("node.kubernetes.io/unreachable", "NoExecute"),
            k("node.kubernetes.io/disk-pressure", "NoSchedule"),
            k("node.kubernetes.io/memory-pressure", "NoSchedule"),
            k("node.kubernetes.io/pid-pressure", "NoSchedule"),
            k("node.kubernetes.io/unschedulable", "NoSchedule"),
        ]
    );
    // hostNetwork pods also tolerate network-unavailable.
    let mut host = spec.clone();
    host.host_network = Some(true);
    assert!(
        with_daemon_pod_tolerations(&host)
            .iter()
            .any(|t| t.key.as_deref() == Some("node.kubernetes.io/network-unavailable"))
    );
}

// upstream: test/integration/daemonset/daemonset_test.go
// TestUnschedulableNodeDaemonDoesLaunchPod (a cordoned node and, for a
// hostNetwork DaemonSet, a node tainted network-unavailable both get a
// pod); an ordinary pod fits neither.
#[test]
fn daemon_pods_run_on_cordoned_nodes() {
    let cordoned = node(json!({"metadata": {"name": "cordoned"}, "spec": {"unschedulable": true}}));
    let no_net = node_with_taints(
        "no-net",
        &[taint(
            "node.kubernetes.io/network-unavailable",
            "",
            "NoSchedule",
        )],
    );
    let p =
        pod(json!({"spec": {"hostNetwork": true, "containers": [{"name": "c", "image": "i"}]}}));
    let spec = p.spec.as_ref().unwrap();
    let cluster = Cluster::new([&cordoned, &no_net], std::iter::empty());
    let ds = cluster.place(&PodToPlace::daemon_pod("DaemonSet:ns/ds", spec));
    assert!(ds.nodes.iter().all(|n| n.fits), "{:?}", ds.nodes);
    let plain = cluster.place(&PodToPlace::new("ns/p", spec));
    assert!(plain.nodes.iter().all(|n| !n.fits));
}

// A pod created without its own not-ready/unreachable tolerations stays
// 300 seconds on an unreachable node (the default tolerations), not 0.
#[test]
fn unreachable_node_evicts_after_default_seconds() {
    let n = node_with_taints(
        "gone",
        &[
            taint("node.kubernetes.io/unreachable", "", "NoSchedule"),
            taint("node.kubernetes.io/unreachable", "", "NoExecute"),
        ],
    );
    let p = pod(json!({"spec": {"containers": [{"name": "c", "image": "i"}]}}));
    let got = place(&[n], &p);
    assert_eq!(
        got.evicted_from,
        vec![Eviction {
            node: "gone".into(),
            after_seconds: 300
        }]
    );
    assert!(!got.nodes[0].fits, "the NoSchedule half keeps new pods off");
}
