//! What a check looks at: a pod's metadata and spec as the admission plugin
//! receives them, and its containers in upstream's visiting order (init,
//! app, ephemeral; upstream: policy/visitor.go).
//!
//! The API server defaults an object before admission runs, so the two
//! defaults that change a verdict are applied here, as reads rather than
//! copies: a volume with no source is an `emptyDir`, and in a Pod (not a
//! template) with `hostNetwork: true` every container and init container
//! port without a `hostPort` gets `hostPort = containerPort`
//! (upstream: pkg/apis/core/v1/defaults.go SetDefaults_Volume,
//! SetDefaults_Pod).

use k8s_openapi::api::core::v1::{
    Container, ContainerPort, EphemeralContainer, Lifecycle, PodSpec, Probe, SecurityContext,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Whether the spec came from a Pod or from a workload's pod template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Pod,
    Template,
}

/// A pod (or pod template) under review.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    pub meta: &'a ObjectMeta,
    pub spec: &'a PodSpec,
    pub source: Source,
}

/// Which list a container came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    App,
    Ephemeral,
}

/// The fields of a container the checks read; init, app and ephemeral
/// containers look the same through it.
#[derive(Clone, Copy, Debug)]
pub struct Ctr<'a> {
    pub name: &'a str,
    pub kind: ContainerKind,
    pub index: usize,
    pub security_context: Option<&'a SecurityContext>,
    pub ports: &'a [ContainerPort],
    pub liveness_probe: Option<&'a Probe>,
    pub readiness_probe: Option<&'a Probe>,
    pub startup_probe: Option<&'a Probe>,
    pub lifecycle: Option<&'a Lifecycle>,
}

impl<'a> Ctr<'a> {
    fn of(c: &'a Container, kind: ContainerKind, index: usize) -> Self {
        Ctr {
            name: &c.name,
            kind,
            index,
            security_context: c.security_context.as_ref(),
            ports: c.ports.as_deref().unwrap_or(&[]),
            liveness_probe: c.liveness_probe.as_ref(),
            readiness_probe: c.readiness_probe.as_ref(),
            startup_probe: c.startup_probe.as_ref(),
            lifecycle: c.lifecycle.as_ref(),
        }
    }

    fn of_ephemeral(c: &'a EphemeralContainer, index: usize) -> Self {
        Ctr {
            name: &c.name,
            kind: ContainerKind::Ephemeral,
            index,
            security_context: c.security_context.as_ref(),
            ports: c.ports.as_deref().unwrap_or(&[]),
            liveness_probe: c.liveness_probe.as_ref(),
            readiness_probe: c.readiness_probe.as_ref(),
            startup_probe: c.startup_probe.as_ref(),
            lifecycle: c.lifecycle.as_ref(),
        }
    }

    /// The list this container sits in, as a field path prefix.
    pub fn list_field(&self) -> &'static str {
        match self.kind {
            ContainerKind::Init => "initContainers",
            ContainerKind::App => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }
}

impl<'a> Subject<'a> {
    /// Every container: init, then app, then ephemeral.
    pub fn containers(&self) -> impl Iterator<Item = Ctr<'a>> + 'a {
        let spec = self.spec;
        let init = spec.init_containers.as_deref().unwrap_or(&[]);
        let eph = spec.ephemeral_containers.as_deref().unwrap_or(&[]);
        init.iter()
            .enumerate()
            .map(|(i, c)| Ctr::of(c, ContainerKind::Init, i))
            .chain(
                spec.containers
                    .iter()
                    .enumerate()
                    .map(|(i, c)| Ctr::of(c, ContainerKind::App, i)),
            )
            .chain(eph.iter().enumerate().map(|(i, c)| Ctr::of_ephemeral(c, i)))
    }

    /// A port's host port after the API server's defaulting.
    pub fn host_port(&self, ctr: &Ctr, port: &ContainerPort) -> i32 {
        let written = port.host_port.unwrap_or(0);
        if written == 0
            && self.source == Source::Pod
            && ctr.kind != ContainerKind::Ephemeral
            && self.spec.host_network == Some(true)
        {
            return port.container_port;
        }
        written
    }

    pub fn is_windows(&self) -> bool {
        self.spec.os.as_ref().is_some_and(|os| os.name == "windows")
    }

    /// `hostUsers: false`: the pod runs in a user namespace.
    pub fn in_user_namespace(&self) -> bool {
        self.spec.host_users == Some(false)
    }
}
