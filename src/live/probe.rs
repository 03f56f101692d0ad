//! Live probes: what only a real cluster can answer. Whether a user may do
//! something (SelfSubjectAccessReview under impersonation, exactly what
//! `kubectl auth can-i --as` sends), whether traffic actually flows (a
//! connection attempt by exec from a probe pod), where pods actually run.
//!
//! The plumbing sits behind [`Prober`] so grading logic can be tested with
//! any implementation; [`KubeProber`] is the real one.

use super::fixtures::{EXERCISE_LABEL, FIELD_MANAGER, MANAGED_BY_LABEL};
use super::session::{CALL_TIMEOUT, Session};
use crate::checks::registry::PodName;
use crate::model::ClusterModel;
use k8s_openapi::api::authorization::v1::{
    NonResourceAttributes, ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{OwnerReference, Status as MetaStatus};
use kube::api::{Api, AttachParams, DeleteParams, Patch, PatchParams, PostParams};
use kube::{Client, Config};
use serde::Serialize;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The image probe pods run: Kubernetes' own e2e test image, whose
/// `connect` subcommand reports TIMEOUT / REFUSED / DNS / OTHER exactly
/// (kubernetes test/images/agnhost/connect/connect.go), as the upstream
/// NetworkPolicy e2e tests use it.
pub const PROBE_IMAGE: &str = "registry.k8s.io/e2e-test-images/agnhost:2.52";
/// How long one connection attempt may take inside the probe pod.
pub const CONNECT_ATTEMPT: Duration = Duration::from_secs(2);
/// The whole exec (upgrade, run, status) must end within this.
pub const EXEC_TIMEOUT: Duration = Duration::from_secs(10);
/// A probe pod that is not running after this (image pull) is inconclusive.
pub const PROBE_POD_READY: Duration = Duration::from_secs(60);
pub const PROBE_LABEL: &str = "kubedojo.dev/probe";

/// What the cluster did. Inconclusive is never read as "no": a probe that
/// could not run says nothing about policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Observed {
    Yes,
    No,
    Inconclusive,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Observation {
    pub observed: Observed,
    pub detail: String,
}

impl Observation {
    pub fn yes(detail: impl Into<String>) -> Self {
        Observation {
            observed: Observed::Yes,
            detail: detail.into(),
        }
    }
    pub fn no(detail: impl Into<String>) -> Self {
        Observation {
            observed: Observed::No,
            detail: detail.into(),
        }
    }
    pub fn inconclusive(detail: impl Into<String>) -> Self {
        Observation {
            observed: Observed::Inconclusive,
            detail: detail.into(),
        }
    }
}

/// An access question in SubjectAccessReview terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessQuery {
    pub user: String,
    pub groups: Vec<String>,
    pub verb: String,
    pub resource: String,
    pub group: String,
    pub subresource: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
}

/// A connection attempt from a pod to an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectQuery {
    pub from: PodName,
    pub to: PodName,
    pub to_ip: String,
    pub port: u16,
    pub protocol: String,
}

pub trait Prober {
    /// Would the API server allow `q` for that user (Yes/No)?
    fn access(&mut self, q: &AccessQuery) -> Observation;
    /// Does a connection from `q.from` to `q.to_ip:q.port` open (Yes), get
    /// dropped (No), or could the probe not run (Inconclusive)?
    fn connect(&mut self, model: &ClusterModel, q: &ConnectQuery) -> Observation;
}

/// Where a pod runs, read from the listed pods (`spec.nodeName`, and the
/// scheduler's `PodScheduled` condition when it could not place it).
pub fn placement(model: &ClusterModel, pod: &PodName) -> (Option<String>, Observation) {
    let Some(p) = model.find::<Pod>(Some(&pod.namespace), &pod.name) else {
        return (
            None,
            Observation::inconclusive(format!("pod {pod} is not in the cluster")),
        );
    };
    if let Some(node) = p.spec.as_ref().and_then(|s| s.node_name.clone()) {
        let phase = p
            .status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Pending".into());
        return (
            Some(node.clone()),
            Observation::yes(format!("pod {pod} is on node {node} ({phase})")),
        );
    }
    let unscheduled = p
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        });
    match unscheduled {
        Some(c) => (
            None,
            Observation::no(format!(
                "pod {pod} is not scheduled: {}",
                c.message
                    .clone()
                    .unwrap_or_else(|| c.reason.clone().unwrap_or_default())
            )),
        ),
        None => (
            None,
            Observation::inconclusive(format!(
                "pod {pod} has not been looked at by the scheduler yet"
            )),
        ),
    }
}

/// The real prober: the session's cluster.
pub struct KubeProber<'a> {
    session: &'a Session,
    config: Config,
    exercise: String,
    impersonating: HashMap<(String, Vec<String>), Client>,
    probe_pods: Vec<(String, String)>,
}

impl<'a> KubeProber<'a> {
    pub fn new(session: &'a Session, config: Config, exercise: &str) -> Self {
        KubeProber {
            session,
            config,
            exercise: exercise.to_string(),
            impersonating: HashMap::new(),
            probe_pods: Vec::new(),
        }
    }

    fn client_as(&mut self, user: &str, groups: &[String]) -> Result<Client, String> {
        let key = (user.to_string(), groups.to_vec());
        if let Some(c) = self.impersonating.get(&key) {
            return Ok(c.clone());
        }
        let mut config = self.config.clone();
        config.auth_info.impersonate = Some(user.to_string());
        config.auth_info.impersonate_groups = (!groups.is_empty()).then(|| groups.to_vec());
        // The client's buffer task must start inside the runtime.
        let client = self
            .session
            .block_on(async { Client::try_from(config) })
            .map_err(|e| e.to_string())?;
        self.impersonating.insert(key, client.clone());
        Ok(client)
    }

    fn probe_pod_name(from: &PodName) -> String {
        let mut name = format!("kubedojo-probe-{}", from.name);
        name.truncate(63);
        name.trim_end_matches(['-', '.']).to_string()
    }

    /// A pod with the source pod's labels (so every policy that selects the
    /// source selects it too) and a controller reference to the source (so
    /// no ReplicaSet adopts it, and it goes when the source goes).
    fn ensure_probe_pod(
        &mut self,
        model: &ClusterModel,
        from: &PodName,
    ) -> Result<String, Observation> {
        let Some(src) = model.find::<Pod>(Some(&from.namespace), &from.name) else {
            return Err(Observation::inconclusive(format!(
                "pod {from} is not in the cluster"
            )));
        };
        let name = Self::probe_pod_name(from);
        if self
            .probe_pods
            .iter()
            .any(|(ns, n)| ns == &from.namespace && n == &name)
        {
            return Ok(name);
        }
        let mut labels = src.metadata.labels.clone().unwrap_or_default();
        labels.insert(EXERCISE_LABEL.into(), self.exercise.clone());
        labels.insert(MANAGED_BY_LABEL.into(), FIELD_MANAGER.into());
        labels.insert(PROBE_LABEL.into(), "true".into());
        let owner = src.metadata.uid.clone().map(|uid| OwnerReference {
            api_version: "v1".into(),
            kind: "Pod".into(),
            name: from.name.clone(),
            uid,
            controller: Some(true),
            block_owner_deletion: Some(false),
        });
        let body = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": name,
                "namespace": from.namespace,
                "labels": labels,
                "ownerReferences": owner.into_iter().collect::<Vec<_>>(),
            },
            "spec": {
                "containers": [{"name": "probe", "image": PROBE_IMAGE, "args": ["pause"]}],
                "terminationGracePeriodSeconds": 0,
                "tolerations": [{"operator": "Exists"}],
                "nodeName": src.spec.as_ref().and_then(|s| s.node_name.clone()),
            }
        });
        let api: Api<Pod> = Api::namespaced(self.session.client.clone(), &from.namespace);
        let pp = PatchParams::apply(FIELD_MANAGER).force();
        let n = name.clone();
        self.session
            .call(CALL_TIMEOUT, |_| async move {
                api.patch(&n, &pp, &Patch::Apply(&body)).await
            })
            .map_err(|e| {
                Observation::inconclusive(format!("could not create the probe pod: {e}"))
            })?;
        self.probe_pods.push((from.namespace.clone(), name.clone()));
        let start = Instant::now();
        loop {
            let api: Api<Pod> = Api::namespaced(self.session.client.clone(), &from.namespace);
            let n = name.clone();
            let pod = self
                .session
                .call(CALL_TIMEOUT, |_| async move { api.get(&n).await })
                .map_err(|e| Observation::inconclusive(e.to_string()))?;
            let phase = pod
                .status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default();
            if phase == "Running" {
                return Ok(name);
            }
            if start.elapsed() > PROBE_POD_READY {
                return Err(Observation::inconclusive(format!(
                    "probe pod {}/{name} is still {phase} after {} s (image {PROBE_IMAGE} not pulled?)",
                    from.namespace,
                    PROBE_POD_READY.as_secs()
                )));
            }
            self.session
                .block_on(tokio::time::sleep(Duration::from_millis(500)));
        }
    }

    /// Delete the probe pods this prober created.
    pub fn cleanup(&mut self) {
        for (ns, name) in std::mem::take(&mut self.probe_pods) {
            let api: Api<Pod> = Api::namespaced(self.session.client.clone(), &ns);
            let _ = self.session.call(CALL_TIMEOUT, |_| async move {
                api.delete(&name, &DeleteParams::default().grace_period(0))
                    .await
            });
        }
    }
}

impl Drop for KubeProber<'_> {
    fn drop(&mut self) {
        self.cleanup();
    }
}

impl Prober for KubeProber<'_> {
    fn access(&mut self, q: &AccessQuery) -> Observation {
        let client = match self.client_as(&q.user, &q.groups) {
            Ok(c) => c,
            Err(e) => return Observation::inconclusive(e),
        };
        let review = ssar(q);
        let api: Api<SelfSubjectAccessReview> = Api::all(client);
        let r = self.session.call(CALL_TIMEOUT, |_| async move {
            api.create(&PostParams::default(), &review).await
        });
        match r {
            Err(e) => Observation::inconclusive(format!("the cluster did not answer: {e}")),
            Ok(answer) => {
                let status = answer.status.unwrap_or_default();
                let why = status
                    .reason
                    .filter(|r| !r.is_empty())
                    .or(status.evaluation_error)
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default();
                if status.allowed {
                    Observation::yes(format!("the API server allows it{why}"))
                } else {
                    Observation::no(format!("the API server denies it{why}"))
                }
            }
        }
    }

    fn connect(&mut self, model: &ClusterModel, q: &ConnectQuery) -> Observation {
        let pod = match self.ensure_probe_pod(model, &q.from) {
            Ok(p) => p,
            Err(o) => return o,
        };
        exec_connect(self.session, &q.from.namespace, &pod, q)
    }
}

/// Run agnhost's connect in `pod` and read its verdict, bounded by
/// [`EXEC_TIMEOUT`].
pub fn exec_connect(
    session: &Session,
    namespace: &str,
    pod: &str,
    q: &ConnectQuery,
) -> Observation {
    let api: Api<Pod> = Api::namespaced(session.client.clone(), namespace);
    let command = connect_command(q);
    let pod = pod.to_string();
    let run = async move {
        let mut attached = api
            .exec(
                &pod,
                command,
                &AttachParams::default()
                    .stdin(false)
                    .stdout(true)
                    .stderr(true),
            )
            .await
            .map_err(|e| format!("exec failed: {e}"))?;
        let mut stderr = attached.stderr();
        let status = attached.take_status();
        let mut err_text = String::new();
        if let Some(s) = stderr.as_mut() {
            use tokio::io::AsyncReadExt;
            let _ = s.read_to_string(&mut err_text).await;
        }
        let status = match status {
            Some(s) => s.await,
            None => None,
        };
        let _ = attached.join().await;
        Ok::<_, String>((status, err_text))
    };
    let result = session.block_on(async { tokio::time::timeout(EXEC_TIMEOUT, run).await });
    match result {
        Err(_) => Observation::inconclusive(format!(
            "the exec into the probe pod did not finish within {} s",
            EXEC_TIMEOUT.as_secs()
        )),
        Ok(Err(e)) => Observation::inconclusive(e),
        Ok(Ok((status, stderr))) => read_connect(q, status.as_ref(), &stderr),
    }
}

/// The review `kubectl auth can-i` sends (kubectl
/// pkg/cmd/auth/cani.go `RunAccessCheck`): resource attributes, or
/// non-resource attributes for a URL. Without `-n`, kubectl asks in the
/// context's namespace, which for kind's context is `default`.
pub fn ssar(q: &AccessQuery) -> SelfSubjectAccessReview {
    let spec = if q.resource.starts_with('/') {
        SelfSubjectAccessReviewSpec {
            non_resource_attributes: Some(NonResourceAttributes {
                path: Some(q.resource.clone()),
                verb: Some(q.verb.clone()),
            }),
            ..Default::default()
        }
    } else {
        SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                namespace: Some(q.namespace.clone().unwrap_or_else(|| "default".into())),
                verb: Some(q.verb.clone()),
                group: Some(q.group.clone()),
                resource: Some(q.resource.clone()),
                subresource: (!q.subresource.is_empty()).then(|| q.subresource.clone()),
                name: q.name.clone(),
                ..Default::default()
            }),
            ..Default::default()
        }
    };
    SelfSubjectAccessReview {
        spec,
        ..Default::default()
    }
}

/// `/agnhost connect IP:PORT --timeout=2s --protocol=tcp`.
pub fn connect_command(q: &ConnectQuery) -> Vec<String> {
    let host = if q.to_ip.contains(':') {
        format!("[{}]", q.to_ip)
    } else {
        q.to_ip.clone()
    };
    vec![
        "/agnhost".into(),
        "connect".into(),
        format!("{host}:{}", q.port),
        format!("--timeout={}s", CONNECT_ATTEMPT.as_secs()),
        format!("--protocol={}", q.protocol.to_ascii_lowercase()),
    ]
}

/// Read agnhost's verdict: exit 0 connected; TIMEOUT means the packets
/// were dropped (what NetworkPolicy enforcement does); REFUSED means they
/// reached the pod, which had nothing listening: the policy let them
/// through. Anything else is inconclusive.
pub fn read_connect(q: &ConnectQuery, status: Option<&MetaStatus>, stderr: &str) -> Observation {
    let target = format!("{} ({}:{}/{})", q.to, q.to_ip, q.port, q.protocol);
    let Some(status) = status else {
        return Observation::inconclusive("the exec ended without an exit status");
    };
    if status.status.as_deref() == Some("Success") {
        return Observation::yes(format!("{} connected to {target}", q.from));
    }
    let first = stderr.trim().lines().next().unwrap_or("").trim();
    if first.starts_with("TIMEOUT") {
        Observation::no(format!(
            "{} could not reach {target}: the connection timed out after {} s (dropped)",
            q.from,
            CONNECT_ATTEMPT.as_secs()
        ))
    } else if first.starts_with("REFUSED") {
        Observation::yes(format!(
            "{} reached {target}, which refused the connection (nothing listens there, but traffic is not blocked)",
            q.from
        ))
    } else if first.is_empty() {
        Observation::inconclusive(format!(
            "the probe failed: {}",
            status.message.as_deref().unwrap_or("no message")
        ))
    } else {
        Observation::inconclusive(format!("the probe failed: {first}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(resource: &str) -> AccessQuery {
        AccessQuery {
            user: "jane".into(),
            groups: vec![],
            verb: "get".into(),
            resource: resource.into(),
            group: "apps".into(),
            subresource: "scale".into(),
            namespace: None,
            name: Some("web".into()),
        }
    }

    // upstream: staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go RunAccessCheck
    // (ResourceAttributes{Namespace, Verb, Group, Resource, Subresource, Name};
    // NonResourceAttributes{Verb, Path} when the argument starts with "/").
    #[test]
    fn the_review_has_kubectls_shape() {
        let r = ssar(&query("deployments"));
        let ra = r.spec.resource_attributes.unwrap();
        assert_eq!(ra.namespace.as_deref(), Some("default"));
        assert_eq!(ra.group.as_deref(), Some("apps"));
        assert_eq!(ra.resource.as_deref(), Some("deployments"));
        assert_eq!(ra.subresource.as_deref(), Some("scale"));
        assert_eq!(ra.name.as_deref(), Some("web"));
        assert!(r.spec.non_resource_attributes.is_none());
        let url = ssar(&query("/healthz"));
        let na = url.spec.non_resource_attributes.unwrap();
        assert_eq!(
            (na.path.as_deref(), na.verb.as_deref()),
            (Some("/healthz"), Some("get"))
        );
        assert!(url.spec.resource_attributes.is_none());
    }

    fn connect_query() -> ConnectQuery {
        ConnectQuery {
            from: PodName::parse("prod/web").unwrap(),
            to: PodName::parse("prod/db").unwrap(),
            to_ip: "10.244.1.7".into(),
            port: 5432,
            protocol: "TCP".into(),
        }
    }

    fn failure() -> MetaStatus {
        MetaStatus {
            status: Some("Failure".into()),
            message: Some("command terminated with non-zero exit code".into()),
            ..Default::default()
        }
    }

    // upstream: test/images/agnhost/connect/connect.go connectTCP: exit 0 on
    // success, else stderr starts with TIMEOUT, REFUSED, DNS, UNKNOWN or OTHER.
    #[test]
    fn agnhost_verdicts_map_to_open_dropped_or_inconclusive() {
        let q = connect_query();
        let ok = MetaStatus {
            status: Some("Success".into()),
            ..Default::default()
        };
        assert_eq!(read_connect(&q, Some(&ok), "").observed, Observed::Yes);
        assert_eq!(
            read_connect(&q, Some(&failure()), "TIMEOUT\n").observed,
            Observed::No
        );
        // Refused: the packets reached the pod, so no policy dropped them.
        assert_eq!(
            read_connect(&q, Some(&failure()), "REFUSED\n").observed,
            Observed::Yes
        );
        for other in [
            "DNS: no such host",
            "OTHER: no route to host",
            "UNKNOWN: bad",
            "",
        ] {
            assert_eq!(
                read_connect(&q, Some(&failure()), other).observed,
                Observed::Inconclusive,
                "{other}"
            );
        }
        assert_eq!(read_connect(&q, None, "").observed, Observed::Inconclusive);
    }

    #[test]
    fn the_connect_command_brackets_ipv6() {
        let mut q = connect_query();
        assert_eq!(
            connect_command(&q),
            [
                "/agnhost",
                "connect",
                "10.244.1.7:5432",
                "--timeout=2s",
                "--protocol=tcp"
            ]
        );
        q.to_ip = "fd00::7".into();
        assert_eq!(connect_command(&q)[2], "[fd00::7]:5432");
    }
}
