//! Which cluster to talk to: an explicit kubeconfig context, never the
//! user's current context by accident, and never a remote server unless the
//! learner says so (kubedojo creates and deletes objects there).

use super::error::LiveError;
use kube::config::Kubeconfig;
use std::path::PathBuf;

/// The kind cluster `kubedojo cluster up` creates.
pub const CLUSTER_NAME: &str = "kubedojo";
/// kind names a cluster's context `kind-` + its name.
pub const DEFAULT_CONTEXT: &str = "kind-kubedojo";

#[derive(Clone, Debug)]
pub struct Target {
    pub context: String,
    pub allow_remote: bool,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            context: DEFAULT_CONTEXT.into(),
            allow_remote: false,
        }
    }
}

/// A context found in the kubeconfig, checked to be local.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub kubeconfig: Kubeconfig,
    pub context: String,
    pub server: String,
    /// Where the kubeconfig came from, for messages.
    pub source: String,
}

/// The kubeconfig files kubectl would read: `$KUBECONFIG` (a path list),
/// else `~/.kube/config`.
pub fn kubeconfig_paths() -> Vec<PathBuf> {
    match std::env::var_os("KUBECONFIG") {
        Some(v) if !v.is_empty() => std::env::split_paths(&v)
            .filter(|p| !p.as_os_str().is_empty())
            .collect(),
        _ => home_dir()
            .map(|h| vec![h.join(".kube").join("config")])
            .unwrap_or_default(),
    }
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

fn describe(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "$KUBECONFIG and ~/.kube/config: neither is set".into();
    }
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Read and merge the kubeconfig files that exist (as kubectl does,
/// missing files in `$KUBECONFIG` are skipped; first value wins).
pub fn read_kubeconfig(context: &str) -> Result<(Kubeconfig, String), LiveError> {
    let paths = kubeconfig_paths();
    let existing: Vec<&PathBuf> = paths.iter().filter(|p| p.is_file()).collect();
    if existing.is_empty() {
        return Err(LiveError::NoKubeconfig {
            context: context.to_string(),
            looked: describe(&paths),
        });
    }
    let mut merged = Kubeconfig::default();
    for p in &existing {
        let one = Kubeconfig::read_from(p).map_err(|e| LiveError::BadKubeconfig {
            path: p.display().to_string(),
            reason: e.to_string(),
        })?;
        merged = merged.merge(one).map_err(|e| LiveError::BadKubeconfig {
            path: p.display().to_string(),
            reason: e.to_string(),
        })?;
    }
    let source = existing
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Ok((merged, source))
}

/// Find `target.context` and check that its server is on this machine.
pub fn resolve(target: &Target) -> Result<Resolved, LiveError> {
    let (kubeconfig, source) = read_kubeconfig(&target.context)?;
    resolve_in(kubeconfig, source, target)
}

pub fn resolve_in(
    kubeconfig: Kubeconfig,
    source: String,
    target: &Target,
) -> Result<Resolved, LiveError> {
    let Some(ctx) = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == target.context)
    else {
        return Err(LiveError::MissingContext {
            context: target.context.clone(),
            source_desc: source,
            available: kubeconfig.contexts.iter().map(|c| c.name.clone()).collect(),
        });
    };
    let cluster_name = ctx
        .context
        .as_ref()
        .map(|c| c.cluster.clone())
        .unwrap_or_default();
    let server = kubeconfig
        .clusters
        .iter()
        .find(|c| c.name == cluster_name)
        .and_then(|c| c.cluster.as_ref())
        .and_then(|c| c.server.clone())
        .ok_or_else(|| LiveError::BadKubeconfig {
            path: source.clone(),
            reason: format!(
                "context \"{}\" names cluster \"{cluster_name}\", which has no server address",
                target.context
            ),
        })?;
    if !target.allow_remote && !is_local(&server) {
        return Err(LiveError::Remote {
            context: target.context.clone(),
            server,
        });
    }
    Ok(Resolved {
        kubeconfig,
        context: target.context.clone(),
        server,
        source,
    })
}

/// Whether a server URL is on this machine: loopback addresses and
/// `localhost` (kind publishes its API server on 127.0.0.1).
pub fn is_local(server: &str) -> bool {
    let Ok(uri) = server.parse::<http::Uri>() else {
        return false;
    };
    let Some(host) = uri.host() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_servers_are_local() {
        for s in [
            "https://127.0.0.1:6443",
            "https://127.0.0.53:443",
            "https://localhost:6443",
            "https://[::1]:6443",
            "http://api.localhost",
        ] {
            assert!(is_local(s), "{s}");
        }
        for s in [
            "https://10.0.0.1:6443",
            "https://192.168.1.5",
            "https://api.example.com",
            "https://localhost.example.com",
            "https://[2001:db8::1]:6443",
            "not a url",
        ] {
            assert!(!is_local(s), "{s}");
        }
    }

    fn config(server: &str) -> Kubeconfig {
        Kubeconfig::from_yaml(&format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: '{server}'}}\ncontexts:\n- name: kind-kubedojo\n  context: {{cluster: c, user: u}}\n- name: prod\n  context: {{cluster: c, user: u}}\ncurrent-context: prod\nusers:\n- name: u\n  user: {{token: t}}\n"
        ))
        .unwrap()
    }

    #[test]
    fn the_explicit_context_is_used_never_the_current_one() {
        let r = resolve_in(
            config("https://127.0.0.1:1"),
            "k".into(),
            &Target::default(),
        )
        .unwrap();
        assert_eq!(r.context, "kind-kubedojo");
    }

    #[test]
    fn a_remote_server_is_refused_unless_allowed() {
        let err = resolve_in(
            config("https://10.1.2.3:6443"),
            "k".into(),
            &Target::default(),
        )
        .unwrap_err();
        assert!(matches!(err, LiveError::Remote { .. }));
        assert!(err.to_string().contains("--allow-remote"));
        let allowed = Target {
            allow_remote: true,
            ..Target::default()
        };
        assert!(resolve_in(config("https://10.1.2.3:6443"), "k".into(), &allowed).is_ok());
    }
}
