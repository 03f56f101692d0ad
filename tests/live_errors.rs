//! Every way the cluster can be missing, reported by `kubedojo check
//! --live` as one line that names the context and the fix, exit 2, within
//! 5 s. Runs the real binary with a generated kubeconfig.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/cluster.rs"]
mod cluster;
#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;

use fake_apiserver::{FakeApiServer, Mode, kubeconfig_for};
use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn check_live(kubeconfig: Option<&str>, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    if let Some(text) = kubeconfig {
        std::fs::write(&path, text).unwrap();
    }
    let content = cluster::fixture_dir();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubedojo"));
    cmd.env(
        "KUBEDOJO_HOME",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/kubedojo-home"),
    );
    cmd.arg("--content")
        .arg(&content)
        .args(["check", "live-web-replicas", "--live"])
        .args(extra)
        .env("KUBECONFIG", &path)
        .env("HOME", dir.path())
        .env("NO_COLOR", "1");
    let start = Instant::now();
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: start.elapsed(),
    }
}

/// Exit 2, one line on stderr naming the context, within 5 s.
fn assert_one_line(r: &Run, needles: &[&str]) {
    assert_eq!(r.code, 2, "exit code; stderr: {}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {:?}", r.stderr);
    assert!(lines[0].starts_with("kubedojo: "), "{}", lines[0]);
    for n in needles {
        assert!(lines[0].contains(n), "{n:?} missing from: {}", lines[0]);
    }
    assert!(r.took < Duration::from_secs(5), "took {:?}", r.took);
}

#[test]
fn no_kubeconfig() {
    let r = check_live(None, &[]);
    assert_one_line(
        &r,
        &[
            "context \"kind-kubedojo\": no kubeconfig found",
            "kubedojo cluster up",
        ],
    );
}

#[test]
fn missing_context() {
    let text = kubeconfig_for("http://127.0.0.1:1", "kind-other");
    let r = check_live(Some(&text), &[]);
    assert_one_line(
        &r,
        &[
            "context \"kind-kubedojo\" is not in the kubeconfig",
            "kind-other, production",
            "kubedojo cluster up",
            "--context",
        ],
    );
}

#[test]
fn a_remote_context_is_refused_unless_allowed() {
    let text = kubeconfig_for("http://127.0.0.1:1", "kind-kubedojo");
    let r = check_live(Some(&text), &["--context", "production"]);
    assert_one_line(
        &r,
        &[
            "context \"production\"",
            "https://203.0.113.10:6443",
            "not this machine",
            "--allow-remote",
        ],
    );
}

#[test]
fn connection_refused() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let text = kubeconfig_for(&format!("http://127.0.0.1:{port}"), "kind-kubedojo");
    let r = check_live(Some(&text), &[]);
    assert_one_line(
        &r,
        &[
            "context \"kind-kubedojo\"",
            "connection refused",
            "kubedojo cluster up",
        ],
    );
    assert!(
        r.took < Duration::from_secs(1),
        "refused is immediate: {:?}",
        r.took
    );
}

#[test]
fn connect_timeout_after_3_seconds() {
    // A listener whose accept queue is full: the kernel drops further SYNs,
    // so a connect hangs as it does towards a paused cluster.
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    sock.bind(
        &"127.0.0.1:0"
            .parse::<std::net::SocketAddr>()
            .unwrap()
            .into(),
    )
    .unwrap();
    sock.listen(0).unwrap();
    let addr = sock.local_addr().unwrap().as_socket().unwrap();
    let _filler = std::net::TcpStream::connect(addr).unwrap();
    let text = kubeconfig_for(&format!("http://{addr}"), "kind-kubedojo");
    let r = check_live(Some(&text), &[]);
    assert_one_line(
        &r,
        &[
            "context \"kind-kubedojo\"",
            "could not connect",
            "within 3 s",
        ],
    );
    assert!(
        r.took >= Duration::from_millis(2900),
        "the connect timeout is 3 s: {:?}",
        r.took
    );
}

#[test]
fn a_server_that_never_answers() {
    let server = FakeApiServer::start();
    server.set_mode(Mode::Hang);
    let r = check_live(Some(&server.kubeconfig("kind-kubedojo")), &[]);
    assert_one_line(
        &r,
        &["context \"kind-kubedojo\"", "did not answer within 4.5 s"],
    );
}

#[test]
fn expired_credentials() {
    let server = FakeApiServer::start();
    server.set_mode(Mode::Unauthorized);
    let r = check_live(Some(&server.kubeconfig("kind-kubedojo")), &[]);
    assert_one_line(
        &r,
        &[
            "context \"kind-kubedojo\"",
            "rejected the credentials",
            "expired",
            "kind export kubeconfig --name kubedojo",
        ],
    );
}

#[test]
fn credentials_the_cluster_ignores_are_reported_like_expired_ones() {
    let server = FakeApiServer::start();
    server.set_mode(Mode::Anonymous);
    let r = check_live(Some(&server.kubeconfig("kind-kubedojo")), &[]);
    assert_one_line(&r, &["system:anonymous", "kind export kubeconfig"]);
}

#[test]
fn forbidden() {
    let server = FakeApiServer::start();
    server.set_mode(Mode::ForbidList("configmaps".into()));
    let r = check_live(Some(&server.kubeconfig("kind-kubedojo")), &[]);
    assert_one_line(
        &r,
        &[
            "context \"kind-kubedojo\": forbidden",
            "cannot list resource \"configmaps\"",
            "admin rights",
        ],
    );
}

#[test]
fn with_json_stdout_still_gets_one_document() {
    let r = check_live(None, &["--json"]);
    assert_eq!(r.code, 2);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        doc["error"]
            .as_str()
            .unwrap()
            .contains("no kubeconfig found")
    );
}

#[test]
fn a_healthy_fake_cluster_grades_through_the_binary() {
    let content = cluster::fixture_content();
    let ex = content.exercise("live-web-replicas").unwrap();
    let server = FakeApiServer::start();
    let files = cluster::inputs(&content, &ex, &ex.given)
        .into_iter()
        .chain(cluster::inputs(&content, &ex, &ex.solution))
        .collect::<Vec<_>>();
    for o in cluster::objects_of(&files) {
        server.insert(o);
    }
    let r = check_live(Some(&server.kubeconfig("kind-kubedojo")), &["--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["passed"], true);
    assert_eq!(doc["score"], doc["max_score"]);
    assert_eq!(doc["live"]["context"], "kind-kubedojo");
    assert_eq!(doc["findings"].as_array().unwrap().len(), 3);
    // Text mode says where it graded.
    let r = check_live(Some(&server.kubeconfig("kind-kubedojo")), &[]);
    assert!(
        r.stdout
            .contains("live: context kind-kubedojo as kubernetes-admin"),
        "{}",
        r.stdout
    );
}

#[test]
fn live_refuses_files_and_yaml_only_exercises() {
    let r = check_live(None, &["some.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("grades the cluster, not files"),
        "{}",
        r.stderr
    );
}
