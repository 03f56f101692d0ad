//! Everything that can go wrong talking to a cluster, each as one line
//! that names the context and says how to fix it. kube's own errors are
//! nested (`ServiceError: client error (Connect)` hides `Connection
//! refused`), so `classify` walks the chain to the cause a learner can act on.

use std::time::Duration;

const STATUS_HINT: &str = "`kubedojo cluster status` shows what is missing";

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(
        "context \"{context}\": no kubeconfig found (looked at {looked}): create the practice cluster with `kubedojo cluster up`"
    )]
    NoKubeconfig { context: String, looked: String },
    #[error("cannot read the kubeconfig {path}: {reason}")]
    BadKubeconfig { path: String, reason: String },
    #[error("context \"{context}\" is not in the kubeconfig ({source_desc}{}): create it with `kubedojo cluster up`, or choose one with --context", available_list(.available))]
    MissingContext {
        context: String,
        source_desc: String,
        available: Vec<String>,
    },
    #[error(
        "context \"{context}\" points at {server}, which is not this machine: kubedojo only works on local practice clusters unless you pass --allow-remote"
    )]
    Remote { context: String, server: String },
    #[error(
        "context \"{context}\": connection refused by {server}: is the cluster running? start it with `kubedojo cluster up` ({STATUS_HINT})"
    )]
    Refused { context: String, server: String },
    #[error("context \"{context}\": could not connect to {server} within {} s: is the cluster's container paused or the address wrong? ({STATUS_HINT})", secs(*.after))]
    ConnectTimeout {
        context: String,
        server: String,
        after: Duration,
    },
    #[error("context \"{context}\": the API server at {server} did not answer within {} s: it may be starting or overloaded; try again, or see `kubedojo cluster status`", secs(*.after))]
    NoAnswer {
        context: String,
        server: String,
        after: Duration,
    },
    #[error(
        "context \"{context}\": the API server rejected the credentials ({detail}): they may have expired; for kind, `kind export kubeconfig --name {cluster}` writes fresh ones"
    )]
    Unauthorized {
        context: String,
        cluster: String,
        detail: String,
    },
    #[error(
        "context \"{context}\": forbidden: {message}: use a context with admin rights (kind's own context kind-kubedojo has them)"
    )]
    Forbidden { context: String, message: String },
    #[error(
        "context \"{context}\": TLS with {server} failed ({reason}): the kubeconfig's certificate authority does not match the cluster; for kind, `kind export kubeconfig --name {cluster}`"
    )]
    Tls {
        context: String,
        server: String,
        cluster: String,
        reason: String,
    },
    #[error("context \"{context}\": could not get credentials: {reason}")]
    Credentials { context: String, reason: String },
    #[error("context \"{context}\": the cluster does not serve {kind}: {reason}")]
    NotServed {
        context: String,
        kind: String,
        reason: String,
    },
    #[error("context \"{context}\": {reason}")]
    Api { context: String, reason: String },
    #[error(
        "setup of {exercise}: {object} already exists and kubedojo did not create it; delete it or use a fresh cluster (`kubedojo cluster down && kubedojo cluster up`)"
    )]
    NotOurs { exercise: String, object: String },
    #[error("{0}")]
    Exercise(String),
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}

fn available_list(available: &[String]) -> String {
    if available.is_empty() {
        "; it has no contexts".into()
    } else {
        let shown: Vec<&str> = available.iter().take(6).map(String::as_str).collect();
        let more = if available.len() > shown.len() {
            ", ..."
        } else {
            ""
        };
        format!("; it has {}{more}", shown.join(", "))
    }
}

/// Which cluster a request went to, for naming it in errors.
#[derive(Clone, Debug)]
pub struct Where {
    pub context: String,
    pub server: String,
}

impl Where {
    /// kind names contexts `kind-NAME`; other contexts use their own name.
    pub fn kind_cluster(&self) -> String {
        self.context
            .strip_prefix("kind-")
            .unwrap_or(&self.context)
            .to_string()
    }

    pub fn timed_out(&self, after: Duration) -> LiveError {
        LiveError::NoAnswer {
            context: self.context.clone(),
            server: self.server.clone(),
            after,
        }
    }

    /// Turn a kube error into the one line a learner can act on.
    pub fn classify(&self, err: &kube::Error, connect_timeout: Duration) -> LiveError {
        let context = self.context.clone();
        if let kube::Error::Api(status) = err {
            let message = if status.message.is_empty() {
                status.reason.clone()
            } else {
                status.message.clone()
            };
            return match status.code {
                401 => LiveError::Unauthorized {
                    context,
                    cluster: self.kind_cluster(),
                    detail: format!("401 {}", status.reason),
                },
                // An API server with anonymous access on treats credentials
                // it cannot verify as no credentials at all.
                403 if message.contains("\"system:anonymous\"") => LiveError::Unauthorized {
                    context,
                    cluster: self.kind_cluster(),
                    detail: "the cluster sees you as system:anonymous".into(),
                },
                403 => LiveError::Forbidden { context, message },
                code => LiveError::Api {
                    context,
                    reason: format!("{code} {}: {message}", status.reason),
                },
            };
        }
        if let kube::Error::Auth(e) = err {
            return LiveError::Credentials {
                context,
                reason: e.to_string(),
            };
        }
        let chain = chain_text(err);
        if let Some(kind) = io_kind(err) {
            match kind {
                std::io::ErrorKind::ConnectionRefused => {
                    return LiveError::Refused {
                        context,
                        server: self.server.clone(),
                    };
                }
                std::io::ErrorKind::TimedOut => {
                    return LiveError::ConnectTimeout {
                        context,
                        server: self.server.clone(),
                        after: connect_timeout,
                    };
                }
                _ => {}
            }
        }
        let lower = chain.to_ascii_lowercase();
        if lower.contains("connection refused") {
            return LiveError::Refused {
                context,
                server: self.server.clone(),
            };
        }
        if lower.contains("timed out") || lower.contains("deadline has elapsed") {
            return LiveError::ConnectTimeout {
                context,
                server: self.server.clone(),
                after: connect_timeout,
            };
        }
        if lower.contains("certificate") || lower.contains("tls") {
            return LiveError::Tls {
                context,
                server: self.server.clone(),
                cluster: self.kind_cluster(),
                reason: last_cause(err),
            };
        }
        LiveError::Api {
            context,
            reason: last_cause(err),
        }
    }
}

/// Every message in the error's source chain.
fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        out.push_str(": ");
        out.push_str(&e.to_string());
        cur = e.source();
    }
    out
}

/// The innermost cause: the one that says what happened.
fn last_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &dyn std::error::Error = err;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

fn io_kind(err: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::TimedOut
            )
        {
            return Some(io.kind());
        }
        cur = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::core::Status;

    fn here() -> Where {
        Where {
            context: "kind-kubedojo".into(),
            server: "https://127.0.0.1:6443".into(),
        }
    }

    fn api(code: u16, reason: &str, message: &str) -> kube::Error {
        let mut s = Status::failure(message, reason);
        s.code = code;
        kube::Error::Api(Box::new(s))
    }

    #[test]
    fn a_401_is_expired_credentials_with_the_kind_fix() {
        let e = here().classify(
            &api(401, "Unauthorized", "Unauthorized"),
            Duration::from_secs(3),
        );
        let line = e.to_string();
        assert!(matches!(e, LiveError::Unauthorized { .. }));
        assert!(line.contains("context \"kind-kubedojo\""), "{line}");
        assert!(
            line.contains("kind export kubeconfig --name kubedojo"),
            "{line}"
        );
        assert!(!line.contains('\n'));
    }

    #[test]
    fn a_403_for_anonymous_means_the_credentials_were_not_accepted() {
        let e = here().classify(
            &api(
                403,
                "Forbidden",
                "pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\"",
            ),
            Duration::from_secs(3),
        );
        assert!(matches!(e, LiveError::Unauthorized { .. }), "{e}");
        let e = here().classify(
            &api(
                403,
                "Forbidden",
                "pods is forbidden: User \"jane\" cannot list resource \"pods\"",
            ),
            Duration::from_secs(3),
        );
        assert!(matches!(e, LiveError::Forbidden { .. }), "{e}");
        assert!(e.to_string().contains("User \"jane\" cannot list"));
    }

    #[test]
    fn missing_context_lists_what_there_is() {
        let e = LiveError::MissingContext {
            context: "kind-kubedojo".into(),
            source_desc: "/tmp/k".into(),
            available: vec!["kind-kind".into(), "prod".into()],
        };
        assert_eq!(
            e.to_string(),
            "context \"kind-kubedojo\" is not in the kubeconfig (/tmp/k; it has kind-kind, prod): create it with `kubedojo cluster up`, or choose one with --context"
        );
    }
}
