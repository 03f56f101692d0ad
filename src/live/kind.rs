//! The practice cluster's lifecycle, by driving the `kind` CLI (kind has no
//! API a Rust program can call), and `status`: what is there, what is
//! missing and the command that fixes it, and whether NetworkPolicy is
//! really enforced (a canary, never an assumption).

use super::error::LiveError;
use super::fixtures::{FIELD_MANAGER, MANAGED_BY_LABEL};
use super::probe::{ConnectQuery, Observation, Observed, PROBE_IMAGE, exec_connect};
use super::session::{CALL_TIMEOUT, Session};
use super::target::{CLUSTER_NAME, DEFAULT_CONTEXT, Target};
use crate::checks::registry::PodName;
use k8s_openapi::api::core::v1::{Namespace, Node, Pod};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams};
use serde::Serialize;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The cluster config shipped with kubedojo.
pub const KIND_CONFIG: &str = include_str!("../../assets/kind/kubedojo.yaml");
/// What `--cni calico` adds to it.
pub const CALICO_NETWORKING: &str = include_str!("../../assets/kind/calico.yaml");
/// Calico's own manifest, pinned (kubectl applies it).
pub const CALICO_MANIFEST: &str =
    "https://raw.githubusercontent.com/projectcalico/calico/v3.29.3/manifests/calico.yaml";

const CANARY_NAMESPACE: &str = "kubedojo-canary";

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cni {
    /// kind's own CNI (enforces NetworkPolicy since kind v0.24).
    Kindnet,
    /// Calico instead of kindnet (downloads Calico; takes a few minutes).
    Calico,
}

/// The kind config for `cni`.
pub fn config_for(cni: Cni) -> String {
    match cni {
        Cni::Kindnet => KIND_CONFIG.to_string(),
        Cni::Calico => {
            let extra: String = CALICO_NETWORKING
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .map(|l| format!("{l}\n"))
                .collect();
            format!(
                "{}{extra}",
                KIND_CONFIG.trim_end_matches('\n').to_owned() + "\n"
            )
        }
    }
}

/// Run a program, capturing its output; None when it cannot be started.
fn run(program: &str, args: &[&str]) -> Option<std::process::Output> {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()
}

/// One line of `cluster status`.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
    /// The command that fixes it, when it is not ok.
    pub fix: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Status {
    pub ready: bool,
    pub items: Vec<Item>,
}

fn item(name: &'static str, ok: bool, detail: impl Into<String>, fix: Option<&str>) -> Item {
    Item {
        name,
        ok,
        detail: detail.into(),
        fix: if ok { None } else { fix.map(str::to_string) },
    }
}

/// The container engine and kind, as `cluster up` needs them.
pub fn prerequisites() -> Vec<Item> {
    let mut items = Vec::new();
    let provider = std::env::var("KIND_EXPERIMENTAL_PROVIDER").unwrap_or_else(|_| "docker".into());
    match run(&provider, &["info", "--format", "{{.ServerVersion}}"]) {
        None => items.push(item(
            "container engine",
            false,
            format!("{provider} is not installed"),
            Some("install Docker (https://docs.docker.com/engine/install/) or Podman with KIND_EXPERIMENTAL_PROVIDER=podman"),
        )),
        Some(out) if !out.status.success() => items.push(item(
            "container engine",
            false,
            format!("{provider} is installed but its engine is not running"),
            Some("start it: `sudo systemctl start docker` (or start Docker Desktop)"),
        )),
        Some(out) => items.push(item(
            "container engine",
            true,
            format!("{provider} {}", String::from_utf8_lossy(&out.stdout).trim()),
            None,
        )),
    }
    match run("kind", &["version"]) {
        Some(out) if out.status.success() => items.push(item(
            "kind",
            true,
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
            None,
        )),
        _ => items.push(item(
            "kind",
            false,
            "kind is not installed",
            Some("`go install sigs.k8s.io/kind@v0.33.0`, or a release binary: https://kind.sigs.k8s.io/docs/user/quick-start/#installation"),
        )),
    }
    items
}

/// Whether kind lists the cluster (None: kind could not be asked).
pub fn cluster_exists() -> Option<bool> {
    let out = run("kind", &["get", "clusters"])?;
    if !out.status.success() {
        return None;
    }
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .any(|l| l.trim() == CLUSTER_NAME),
    )
}

/// Everything `cluster status` reports. `canary` runs the NetworkPolicy
/// canary (it creates and deletes a namespace; about ten seconds).
pub fn status(target: &Target, canary: bool) -> Status {
    let mut items = prerequisites();
    let tools_ok = items.iter().all(|i| i.ok);
    if target.context == DEFAULT_CONTEXT && tools_ok {
        match cluster_exists() {
            Some(true) => items.push(item(
                "cluster",
                true,
                format!("kind cluster {CLUSTER_NAME} exists"),
                None,
            )),
            _ => items.push(item(
                "cluster",
                false,
                format!("no kind cluster named {CLUSTER_NAME}"),
                Some("kubedojo cluster up"),
            )),
        }
    }
    match Session::connect(target) {
        Err(e) => items.push(item(
            "API server",
            false,
            e.to_string(),
            Some("kubedojo cluster up"),
        )),
        Ok(session) => {
            items.push(item(
                "API server",
                true,
                format!(
                    "context {} at {}, you are {}",
                    session.at.context,
                    session.at.server,
                    session.identity()
                ),
                None,
            ));
            items.push(nodes_item(&session));
            if canary {
                items.push(canary_item(&session));
            }
        }
    }
    Status {
        ready: items.iter().all(|i| i.ok),
        items,
    }
}

fn nodes_item(session: &Session) -> Item {
    let api: Api<Node> = Api::all(session.client.clone());
    match session.call(CALL_TIMEOUT, |_| async move {
        api.list(&ListParams::default()).await
    }) {
        Err(e) => item("nodes", false, e.to_string(), None),
        Ok(list) => {
            let mut ready = 0;
            let mut names = Vec::new();
            for n in &list.items {
                let is_ready = n
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
                if is_ready {
                    ready += 1;
                }
                let version = n
                    .status
                    .as_ref()
                    .and_then(|s| s.node_info.as_ref())
                    .map(|i| i.kubelet_version.clone())
                    .unwrap_or_default();
                names.push(format!(
                    "{} {}{}",
                    n.metadata.name.clone().unwrap_or_default(),
                    version,
                    if is_ready { "" } else { " (NotReady)" }
                ));
            }
            let all = list.items.len();
            item(
                "nodes",
                all > 0 && ready == all,
                format!("{ready}/{all} ready: {}", names.join(", ")),
                Some(
                    "wait a minute and look again; if it stays so, `kubedojo cluster down && kubedojo cluster up`",
                ),
            )
        }
    }
}

/// Deny-all canary: a server and a client pod; the client must connect
/// before the policy and must time out after it. kindnet enforces policy
/// fail-open, so a broken dataplane would otherwise pass silently.
fn canary_item(session: &Session) -> Item {
    let result = run_canary(session);
    cleanup_canary(session);
    match result {
        Ok(detail) => item("NetworkPolicy", true, detail, None),
        Err((enforced_known, detail)) => item(
            "NetworkPolicy",
            false,
            detail,
            Some(if enforced_known {
                "kubedojo cluster down && kubedojo cluster up --cni calico"
            } else {
                "run `kubedojo cluster status` again once the cluster has settled"
            }),
        ),
    }
}

fn apply(
    session: &Session,
    ar: kube::api::ApiResource,
    ns: Option<&str>,
    body: serde_json::Value,
) -> Result<(), LiveError> {
    let api: Api<kube::api::DynamicObject> = match ns {
        Some(ns) => Api::namespaced_with(session.client.clone(), ns, &ar),
        None => Api::all_with(session.client.clone(), &ar),
    };
    let name = body["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let pp = PatchParams::apply(FIELD_MANAGER).force();
    session.call(CALL_TIMEOUT, |_| async move {
        api.patch(&name, &pp, &Patch::Apply(&body)).await
    })?;
    Ok(())
}

fn resource(name: &str) -> kube::api::ApiResource {
    let info = super::fetch::resolve_kind(name);
    super::fetch::ListKind::from_info(info.unwrap_or(&crate::model::kinds::KINDS[0])).resource
}

fn run_canary(session: &Session) -> Result<String, (bool, String)> {
    let fail = |e: LiveError| (false, format!("the canary could not run: {e}"));
    let labels = serde_json::json!({ MANAGED_BY_LABEL: FIELD_MANAGER });
    apply(
        session,
        resource("Namespace"),
        None,
        serde_json::json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": CANARY_NAMESPACE, "labels": labels}
        }),
    )
    .map_err(fail)?;
    for (name, args) in [
        ("server", serde_json::json!(["netexec", "--http-port=8080"])),
        ("client", serde_json::json!(["pause"])),
    ] {
        apply(session, resource("Pod"), Some(CANARY_NAMESPACE), serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": CANARY_NAMESPACE,
                         "labels": {"app": format!("canary-{name}"), MANAGED_BY_LABEL: FIELD_MANAGER}},
            "spec": {"containers": [{"name": name, "image": PROBE_IMAGE, "args": args}],
                     "terminationGracePeriodSeconds": 0}
        }))
        .map_err(fail)?;
    }
    let server_ip = wait_running(session, "server").map_err(|e| (false, e))?;
    wait_running(session, "client").map_err(|e| (false, e))?;
    let q = ConnectQuery {
        from: PodName {
            namespace: CANARY_NAMESPACE.into(),
            name: "client".into(),
        },
        to: PodName {
            namespace: CANARY_NAMESPACE.into(),
            name: "server".into(),
        },
        to_ip: server_ip,
        port: 8080,
        protocol: "TCP".into(),
    };
    let before = exec_connect(session, CANARY_NAMESPACE, "client", &q);
    if before.observed != Observed::Yes {
        return Err((
            false,
            format!(
                "without any policy the canary could not connect ({}), so enforcement cannot be judged",
                before.detail
            ),
        ));
    }
    apply(
        session,
        resource("NetworkPolicy"),
        Some(CANARY_NAMESPACE),
        serde_json::json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "deny-all", "namespace": CANARY_NAMESPACE},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}
        }),
    )
    .map_err(fail)?;
    // The dataplane programs the policy asynchronously: a few tries.
    let mut after = Observation::inconclusive("not probed");
    for _ in 0..4 {
        session.block_on(tokio::time::sleep(Duration::from_secs(2)));
        after = exec_connect(session, CANARY_NAMESPACE, "client", &q);
        if after.observed == Observed::No {
            return Ok("enforced: a deny-all policy blocked the canary's traffic".into());
        }
    }
    match after.observed {
        Observed::Yes => Err((true, "NOT enforced: traffic still flows under a deny-all policy; live NetworkPolicy grading will show the engine's prediction beside what the cluster does".into())),
        _ => Err((false, format!("inconclusive: {}", after.detail))),
    }
}

fn wait_running(session: &Session, name: &str) -> Result<String, String> {
    let start = Instant::now();
    loop {
        let api: Api<Pod> = Api::namespaced(session.client.clone(), CANARY_NAMESPACE);
        let n = name.to_string();
        let pod = session
            .call(CALL_TIMEOUT, |_| async move { api.get(&n).await })
            .map_err(|e| e.to_string())?;
        let status = pod.status.unwrap_or_default();
        if status.phase.as_deref() == Some("Running")
            && let Some(ip) = status.pod_ip
        {
            return Ok(ip);
        }
        if start.elapsed() > Duration::from_secs(90) {
            return Err(format!(
                "canary pod {name} did not start within 90 s (image {PROBE_IMAGE})"
            ));
        }
        session.block_on(tokio::time::sleep(Duration::from_millis(500)));
    }
}

fn cleanup_canary(session: &Session) {
    let api: Api<Namespace> = Api::all(session.client.clone());
    let _ = session.call(CALL_TIMEOUT, |_| async move {
        api.delete(CANARY_NAMESPACE, &DeleteParams::background())
            .await
    });
}

/// `kind create cluster` with the shipped config (output goes to the
/// terminal: it takes a minute and shows its own progress).
pub fn up(cni: Cni) -> Result<(), String> {
    let missing: Vec<Item> = prerequisites().into_iter().filter(|i| !i.ok).collect();
    if let Some(m) = missing.first() {
        return Err(format!(
            "{}: {}",
            m.detail,
            m.fix.clone().unwrap_or_default()
        ));
    }
    if cluster_exists() == Some(true) {
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!("kubedojo-kind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let config = dir.join("kind.yaml");
    std::fs::write(&config, config_for(cni)).map_err(|e| format!("{}: {e}", config.display()))?;
    let status = Command::new("kind")
        .args([
            "create",
            "cluster",
            "--name",
            CLUSTER_NAME,
            "--wait",
            "180s",
            "--config",
        ])
        .arg(&config)
        .status()
        .map_err(|e| format!("kind: {e}"))?;
    let _ = std::fs::remove_dir_all(&dir);
    if !status.success() {
        return Err("kind create cluster failed (its output above says why)".into());
    }
    if cni == Cni::Calico {
        let ok = Command::new("kubectl")
            .args([
                "--context",
                DEFAULT_CONTEXT,
                "apply",
                "--server-side",
                "-f",
                CALICO_MANIFEST,
            ])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err(format!(
                "installing Calico failed: kubectl --context {DEFAULT_CONTEXT} apply --server-side -f {CALICO_MANIFEST}"
            ));
        }
    }
    Ok(())
}

/// `kind delete cluster` (deleting a missing cluster is not an error in kind).
pub fn down() -> Result<(), String> {
    let status = Command::new("kind")
        .args(["delete", "cluster", "--name", CLUSTER_NAME])
        .status()
        .map_err(|_| "kind is not installed, so there is no kind cluster to delete".to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err("kind delete cluster failed (its output above says why)".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_config_has_one_control_plane_two_workers_and_a_pinned_image() {
        let v: serde_json::Value = serde_saphyr::from_str(KIND_CONFIG).unwrap();
        let nodes = v["nodes"].as_array().unwrap();
        let roles: Vec<&str> = nodes.iter().map(|n| n["role"].as_str().unwrap()).collect();
        assert_eq!(roles, ["control-plane", "worker", "worker"]);
        for n in nodes {
            let image = n["image"].as_str().unwrap();
            assert!(image.starts_with("kindest/node:v1.36."), "{image}");
            assert!(image.contains("@sha256:"), "{image}");
        }
        assert_eq!(nodes[2]["labels"]["pool"], "dedicated");
    }

    #[test]
    fn calico_turns_the_default_cni_off() {
        let v: serde_json::Value = serde_saphyr::from_str(&config_for(Cni::Calico)).unwrap();
        assert_eq!(v["networking"]["disableDefaultCNI"], true);
        assert_eq!(v["nodes"].as_array().unwrap().len(), 3);
        let k: serde_json::Value = serde_saphyr::from_str(&config_for(Cni::Kindnet)).unwrap();
        assert!(k.get("networking").is_none());
    }
}
