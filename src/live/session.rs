//! A connection to one cluster: a kube client for an explicit context and
//! the tokio runtime it runs on. The rest of kubedojo is synchronous, so
//! the runtime lives here (current-thread: kubedojo makes a handful of
//! concurrent requests, not thousands) and `block_on` is the bridge.

use super::error::{LiveError, Where};
use super::target::{Resolved, Target, resolve};
use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use kube::api::{Api, PostParams};
use kube::config::KubeConfigOptions;
use kube::{Client, Config};
use std::future::Future;
use std::time::Duration;

/// A TCP connection that does not open in this long is reported.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// The first request (who am I?) must answer within this: every failure is
/// reported within 5 s.
pub const PREFLIGHT_TIMEOUT: Duration = Duration::from_millis(4500);
/// Any later request (a list of a busy kind, an apply) gets this long.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(20);

pub struct Session {
    rt: tokio::runtime::Runtime,
    pub client: Client,
    /// The configuration the client was built from (probes derive
    /// impersonating clients from it).
    pub config: Config,
    pub at: Where,
    /// Who the cluster says we are (SelfSubjectReview), e.g. `kubernetes-admin`.
    pub user: String,
    pub groups: Vec<String>,
}

impl Session {
    /// Resolve the context, build its client and ask the cluster who we
    /// are: a session exists only once the cluster has answered.
    pub fn connect(target: &Target) -> Result<Session, LiveError> {
        let resolved = resolve(target)?;
        Self::connect_resolved(resolved)
    }

    pub fn connect_resolved(resolved: Resolved) -> Result<Session, LiveError> {
        let at = Where {
            context: resolved.context.clone(),
            server: resolved.server.clone(),
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| LiveError::Api {
                context: at.context.clone(),
                reason: format!("cannot start the network runtime: {e}"),
            })?;
        let options = KubeConfigOptions {
            context: Some(resolved.context.clone()),
            ..Default::default()
        };
        let (client, config) = rt.block_on(async {
            let mut config = Config::from_custom_kubeconfig(resolved.kubeconfig, &options)
                .await
                .map_err(|e| LiveError::BadKubeconfig {
                    path: resolved.source.clone(),
                    reason: e.to_string(),
                })?;
            config.connect_timeout = Some(CONNECT_TIMEOUT);
            // A read timeout would also cut exec streams; every call is
            // bounded with `tokio::time::timeout` instead.
            config.read_timeout = None;
            let client =
                Client::try_from(config.clone()).map_err(|e| at.classify(&e, CONNECT_TIMEOUT))?;
            Ok::<_, LiveError>((client, config))
        })?;
        let mut session = Session {
            rt,
            client,
            config,
            at,
            user: String::new(),
            groups: Vec::new(),
        };
        let review = session.call(PREFLIGHT_TIMEOUT, |c| async move {
            Api::<SelfSubjectReview>::all(c)
                .create(&PostParams::default(), &SelfSubjectReview::default())
                .await
        })?;
        let info = review.status.and_then(|s| s.user_info).unwrap_or_default();
        session.user = info.username.unwrap_or_default();
        session.groups = info.groups.unwrap_or_default();
        if session.user == "system:anonymous" {
            return Err(LiveError::Unauthorized {
                context: session.at.context.clone(),
                cluster: session.at.kind_cluster(),
                detail: "the cluster sees you as system:anonymous".into(),
            });
        }
        Ok(session)
    }

    /// Run a future on this session's runtime.
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// One bounded request: its error, or its silence, becomes a
    /// `LiveError` naming this context.
    pub fn call<T, F, Fut>(&self, limit: Duration, f: F) -> Result<T, LiveError>
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Result<T, kube::Error>>,
    {
        let fut = f(self.client.clone());
        self.rt.block_on(async {
            match tokio::time::timeout(limit, fut).await {
                Ok(Ok(v)) => Ok(v),
                Ok(Err(e)) => Err(self.classify(&e)),
                Err(_) => Err(self.at.timed_out(limit)),
            }
        })
    }

    pub fn classify(&self, e: &kube::Error) -> LiveError {
        self.at.classify(e, CONNECT_TIMEOUT)
    }

    /// `user (group, group)` for messages.
    pub fn identity(&self) -> String {
        let groups: Vec<&str> = self
            .groups
            .iter()
            .map(String::as_str)
            .filter(|g| *g != "system:authenticated")
            .collect();
        if groups.is_empty() {
            self.user.clone()
        } else {
            format!("{} ({})", self.user, groups.join(", "))
        }
    }
}
