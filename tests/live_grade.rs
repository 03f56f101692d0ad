//! Live grading against a fake API server (real HTTP on 127.0.0.1, the
//! real kube client): the same findings as offline grading of the same
//! objects, one list request per kind, and the live probes' requests in
//! the API's own shapes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/cluster.rs"]
mod cluster;
#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;

use cluster::{fixture_content, inputs, objects_of, session_for};
use fake_apiserver::{ExecResult, FakeApiServer};
use kubedojo::checks::registry::PodName;
use kubedojo::checks::run::{Graded, grade_inputs};
use kubedojo::content::{Content, Exercise, ExerciseKind, Lang};
use kubedojo::live::grade::{grade_live, kind_names, resolve_kinds};
use kubedojo::live::probe::{AccessQuery, ConnectQuery, KubeProber, Observed, Prober};

/// Every live exercise, in the test content and in the shipped content.
fn live_exercises() -> Vec<(Content, Exercise)> {
    let mut out = Vec::new();
    for content in [fixture_content(), Content::embedded()] {
        for ex in content.exercises().unwrap() {
            if ex.kind != ExerciseKind::Yaml {
                out.push((content.clone(), ex));
            }
        }
    }
    out
}

/// (name, files) for the solution and every wrong example.
fn scenarios(ex: &Exercise) -> Vec<(String, Vec<String>)> {
    let mut s = vec![("solution".to_string(), ex.solution.clone())];
    for w in &ex.wrong {
        if !w.fails.iter().any(|f| f == "validation") {
            s.push((format!("wrong {}", w.name), w.files.clone()));
        }
    }
    s
}

#[test]
fn live_grading_gives_the_same_findings_as_offline_grading_of_the_same_objects() {
    let exercises = live_exercises();
    assert!(exercises.len() >= 2, "the test exercises are found");
    let mut compared = 0;
    for (content, ex) in &exercises {
        for (name, files) in scenarios(ex) {
            let learner = inputs(content, ex, &files);
            let Graded::Report(offline) = grade_inputs(content, ex, &learner, Lang::En).unwrap()
            else {
                panic!("{} {name}: offline grading rejected the files", ex.id)
            };
            let server = FakeApiServer::start();
            let given = inputs(content, ex, &ex.given);
            for obj in objects_of(&given).into_iter().chain(objects_of(&learner)) {
                server.insert(obj);
            }
            let session = session_for(&server);
            let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
            let live = grade_live(&session, content, ex, Lang::En, &mut prober).unwrap();
            let strip = |r: &kubedojo::checks::Report| {
                r.findings
                    .iter()
                    .map(|f| (f.check.clone(), f.passed, f.message.clone(), f.hint.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(strip(&live.report), strip(&offline), "{} {name}", ex.id);
            assert_eq!(
                (live.report.passed, live.report.score),
                (offline.passed, offline.score),
                "{} {name}",
                ex.id
            );
            compared += 1;
        }
    }
    // Both test exercises: a solution and a wrong answer each.
    assert!(compared >= 4, "compared {compared}");
}

#[test]
fn a_wrong_answer_on_the_cluster_fails_the_check_it_names() {
    let content = fixture_content();
    let ex = content.exercise("live-web-replicas").unwrap();
    let server = FakeApiServer::start();
    let files = inputs(&content, &ex, &ex.given)
        .into_iter()
        .chain(inputs(&content, &ex, &ex.wrong[0].files))
        .collect::<Vec<_>>();
    for obj in objects_of(&files) {
        server.insert(obj);
    }
    let session = session_for(&server);
    let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
    let live = grade_live(&session, &content, &ex, Lang::En, &mut prober).unwrap();
    let failed: Vec<&str> = live.report.failed().map(|f| f.check.as_str()).collect();
    assert_eq!(failed, ["two-replicas", "service-account"]);
    let two = live
        .report
        .findings
        .iter()
        .find(|f| f.check == "two-replicas")
        .unwrap();
    assert!(
        two.message.contains("spec.replicas is 1, expected 2"),
        "{}",
        two.message
    );
    assert!(two.location.is_none(), "a live object has no file line");
}

#[test]
fn grading_lists_each_needed_kind_once_and_nothing_else() {
    let content = fixture_content();
    let ex = content.exercise("live-db-policy").unwrap();
    let server = FakeApiServer::start();
    for obj in objects_of(&inputs(&content, &ex, &ex.given)) {
        server.insert(obj);
    }
    let session = session_for(&server);
    server.clear_log();
    let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
    let live = grade_live(&session, &content, &ex, Lang::En, &mut prober).unwrap();
    let mut expected = vec![
        "/api/v1/namespaces",
        "/api/v1/nodes",
        "/api/v1/pods",
        "/apis/networking.k8s.io/v1/networkpolicies",
    ];
    expected.sort();
    let mut got: Vec<String> = server
        .log()
        .iter()
        .filter(|l| l.method == "GET")
        .map(|l| l.path.clone())
        .collect();
    got.sort();
    assert_eq!(got, expected, "one list per kind, cluster-wide, no paging");
    assert!(server.log().iter().all(|l| !l.query.contains_key("limit")));
    assert_eq!(live.live.kinds.len(), 4);
    assert_eq!(live.live.context, "kind-kubedojo");
    assert_eq!(live.live.user, "kubernetes-admin (kubeadm:cluster-admins)");
    // Nothing but the namespace, node and two pods exists: the policy is missing.
    assert!(!live.report.passed);
    assert_eq!(live.live.objects, 4);
}

#[test]
fn the_kinds_come_from_the_exercise_files_and_the_checkers() {
    let content = fixture_content();
    let ex = content.exercise("live-web-replicas").unwrap();
    let names = kind_names(&content, &ex).unwrap();
    // Files: Namespace, ConfigMap, Deployment, ServiceAccount; checkers'
    // params name Deployment and ServiceAccount again (by bare kind).
    let server = FakeApiServer::start();
    let session = session_for(&server);
    let kinds = resolve_kinds(&session, &names).unwrap();
    let mut labels: Vec<String> = kinds.iter().map(|k| k.label()).collect();
    labels.sort();
    assert_eq!(
        labels,
        [
            "apps/v1 Deployment",
            "v1 ConfigMap",
            "v1 Namespace",
            "v1 ServiceAccount"
        ]
    );
}

#[test]
fn access_is_asked_as_kubectl_auth_can_i_as_does() {
    let server = FakeApiServer::start();
    server.set_access(|user, groups, spec| {
        user == "jane"
            && groups.iter().any(|g| g == "dev-team")
            && spec["resourceAttributes"]["verb"] == "list"
            && spec["resourceAttributes"]["resource"] == "pods"
            && spec["resourceAttributes"]["namespace"] == "dev"
    });
    let session = session_for(&server);
    let mut prober = KubeProber::new(&session, session.config.clone(), "x");
    let mut q = AccessQuery {
        user: "jane".into(),
        groups: vec!["dev-team".into()],
        verb: "list".into(),
        resource: "pods".into(),
        group: String::new(),
        subresource: String::new(),
        namespace: Some("dev".into()),
        name: None,
    };
    assert_eq!(prober.access(&q).observed, Observed::Yes);
    q.verb = "delete".into();
    assert_eq!(prober.access(&q).observed, Observed::No);
    let reviews: Vec<_> = server
        .log()
        .into_iter()
        .filter(|l| l.path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .collect();
    assert_eq!(reviews.len(), 2);
    for r in &reviews {
        assert_eq!(r.header("impersonate-user"), ["jane"]);
        assert_eq!(r.header("impersonate-group"), ["dev-team"]);
        assert_eq!(r.body["kind"], "SelfSubjectAccessReview");
    }
    // The session's own requests never impersonate.
    let own = server
        .log()
        .into_iter()
        .find(|l| l.path.ends_with("selfsubjectreviews"))
        .unwrap();
    assert!(own.header("impersonate-user").is_empty());
}

#[test]
fn connectivity_is_probed_by_exec_from_a_probe_pod_with_the_source_labels() {
    let content = fixture_content();
    let ex = content.exercise("live-db-policy").unwrap();
    let server = FakeApiServer::start();
    for obj in objects_of(&inputs(&content, &ex, &ex.given)) {
        server.insert(obj);
    }
    let db_ip = server.find("Pod", Some("prod"), "db").unwrap()["status"]["podIP"]
        .as_str()
        .unwrap()
        .to_string();
    let ip = db_ip.clone();
    server.set_exec(move |ns, pod, cmd| {
        assert_eq!((ns, pod), ("prod", "kubedojo-probe-web"));
        assert_eq!(cmd[..2], ["/agnhost".to_string(), "connect".to_string()]);
        if cmd[2] == format!("{ip}:5432") {
            ExecResult::Connected
        } else {
            ExecResult::Stderr("TIMEOUT\n".into())
        }
    });
    let session = session_for(&server);
    let names = kind_names(&content, &ex).unwrap();
    let kinds = resolve_kinds(&session, &names).unwrap();
    let model = kubedojo::live::fetch::list(&session, &kinds).unwrap();
    let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
    let mut q = ConnectQuery {
        from: PodName::parse("prod/web").unwrap(),
        to: PodName::parse("prod/db").unwrap(),
        to_ip: db_ip,
        port: 5432,
        protocol: "TCP".into(),
    };
    let open = prober.connect(&model, &q);
    assert_eq!(open.observed, Observed::Yes, "{}", open.detail);
    q.port = 6379;
    let blocked = prober.connect(&model, &q);
    assert_eq!(blocked.observed, Observed::No, "{}", blocked.detail);
    assert!(blocked.detail.contains("timed out"), "{}", blocked.detail);

    let probe = server
        .find("Pod", Some("prod"), "kubedojo-probe-web")
        .unwrap();
    assert_eq!(
        probe["metadata"]["labels"]["app"], "web",
        "policies select it as they select web"
    );
    assert_eq!(
        probe["metadata"]["labels"]["kubedojo.dev/exercise"],
        "live-db-policy"
    );
    assert_eq!(probe["metadata"]["ownerReferences"][0]["name"], "web");
    assert_eq!(probe["metadata"]["ownerReferences"][0]["controller"], true);
    let applies = server.count("PATCH", |p| p.ends_with("/pods/kubedojo-probe-web"));
    assert_eq!(applies, 1, "one probe pod for both probes");
    prober.cleanup();
    assert!(
        server
            .find("Pod", Some("prod"), "kubedojo-probe-web")
            .is_none()
    );
    assert!(server.find("Pod", Some("prod"), "web").is_some());
}

#[test]
fn a_probe_that_cannot_run_is_inconclusive_never_blocked() {
    let content = fixture_content();
    let ex = content.exercise("live-db-policy").unwrap();
    let server = FakeApiServer::start();
    for obj in objects_of(&inputs(&content, &ex, &ex.given)) {
        server.insert(obj);
    }
    server.set_exec(|_, _, _| ExecResult::Stderr("DNS: lookup failed\n".into()));
    let session = session_for(&server);
    let kinds = resolve_kinds(&session, &kind_names(&content, &ex).unwrap()).unwrap();
    let model = kubedojo::live::fetch::list(&session, &kinds).unwrap();
    let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
    let q = ConnectQuery {
        from: PodName::parse("prod/web").unwrap(),
        to: PodName::parse("prod/db").unwrap(),
        to_ip: "10.0.0.1".into(),
        port: 5432,
        protocol: "TCP".into(),
    };
    assert_eq!(prober.connect(&model, &q).observed, Observed::Inconclusive);
    let missing = ConnectQuery {
        from: PodName::parse("prod/nope").unwrap(),
        ..q
    };
    let o = prober.connect(&model, &missing);
    assert_eq!(o.observed, Observed::Inconclusive);
    assert!(o.detail.contains("prod/nope"), "{}", o.detail);
}

#[test]
fn a_500_object_cluster_takes_one_list_request_per_kind() {
    let content = fixture_content();
    let ex = content.exercise("live-db-policy").unwrap();
    let server = FakeApiServer::start();
    cluster::cluster_of_500(&server);
    let session = session_for(&server);
    server.clear_log();
    let start = std::time::Instant::now();
    let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
    let live = grade_live(&session, &content, &ex, Lang::En, &mut prober).unwrap();
    let took = start.elapsed();
    assert_eq!(live.live.objects, 500);
    assert_eq!(server.count("GET", |_| true), 4);
    assert_eq!(server.log().len(), 4, "and no other request");
    // The benchmark (release) holds the 300 ms line; a debug build on a
    // busy machine gets more room.
    assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
}

#[test]
fn the_kinds_are_listed_concurrently() {
    let content = fixture_content();
    let ex = content.exercise("live-db-policy").unwrap();
    let server = FakeApiServer::start();
    let session = session_for(&server);
    server.state.lock().unwrap().list_delay = std::time::Duration::from_millis(400);
    let start = std::time::Instant::now();
    let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
    let live = grade_live(&session, &content, &ex, Lang::En, &mut prober).unwrap();
    let took = start.elapsed();
    assert_eq!(live.live.kinds.len(), 4);
    // Four lists of 400 ms each, one after another, would take 1.6 s.
    assert!(
        took < std::time::Duration::from_millis(1200),
        "took {took:?}"
    );
}

#[test]
fn a_custom_resource_without_its_crd_is_reported_as_not_served() {
    let server = FakeApiServer::start();
    let session = session_for(&server);
    let err = resolve_kinds(&session, &["stable.example.com/v1/CronTab".to_string()]).unwrap_err();
    let line = err.to_string();
    assert!(
        line.starts_with(
            "context \"kind-kubedojo\": the cluster does not serve stable.example.com/v1/CronTab"
        ),
        "{line}"
    );
    // Discovery asked the group-version, as kubectl's RESTMapper would.
    assert_eq!(
        server.count("GET", |p| p == "/apis/stable.example.com/v1"),
        1
    );
}
