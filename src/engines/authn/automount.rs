//! Which ServiceAccount a pod runs as and whether it gets an API token, as
//! the `ServiceAccount` admission plugin decides when the pod is created.
//!
//! upstream: plugin/pkg/admission/serviceaccount/admission.go (`Admit`:
//! default name `default`, the account must exist; `shouldAutomount`: the
//! pod's `automountServiceAccountToken` wins over the account's, default
//! true; `mountServiceAccountToken`: every container and init container
//! that does not already mount something at
//! /var/run/secrets/kubernetes.io/serviceaccount gets the projected
//! `kube-api-access-*` volume), pkg/apis/core/v1/conversion.go
//! (`serviceAccount` is a deprecated alias of `serviceAccountName`, which
//! wins when both are set).

use k8s_openapi::api::core::v1::{PodSpec, ServiceAccount};

pub const DEFAULT_SERVICE_ACCOUNT: &str = "default";
pub const API_TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// Where the account name came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameFrom {
    ServiceAccountName,
    /// The deprecated `serviceAccount` field.
    DeprecatedField,
    /// Neither field: admission sets `default`.
    Default,
}

/// Who decided whether the token is mounted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutomountFrom {
    Pod,
    ServiceAccount,
    /// Neither sets it: true, for backward compatibility.
    Default,
}

/// A `serviceAccountToken` projection the pod asks for itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectedToken {
    pub volume: String,
    /// None: the API server's own audience, so the token works against it.
    pub audience: Option<String>,
    pub expiration_seconds: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PodAccount<'a> {
    pub name: String,
    pub name_from: NameFrom,
    /// None: no such ServiceAccount in the namespace; admission refuses
    /// the pod (`error looking up service account NS/NAME: ...`).
    pub account: Option<&'a ServiceAccount>,
    pub automount: bool,
    pub automount_from: AutomountFrom,
    /// Containers (init containers first) that get the API token mounted
    /// at `API_TOKEN_MOUNT_PATH`; empty when automount is off.
    pub mounted_in: Vec<String>,
    pub projected_tokens: Vec<ProjectedToken>,
    /// Volumes that mount one of `token_secrets` (legacy token Secrets).
    pub token_secret_volumes: Vec<String>,
}

impl PodAccount<'_> {
    /// The user name the pod's API requests authenticate as.
    pub fn username(&self, namespace: &str) -> String {
        crate::engines::rbac::attributes::make_username(namespace, &self.name)
    }

    /// Whether any credential for the API server reaches the pod: the
    /// automounted token, a projection without audience, or a legacy
    /// token Secret.
    pub fn has_api_credentials(&self) -> bool {
        !self.mounted_in.is_empty()
            || self.projected_tokens.iter().any(|p| p.audience.is_none())
            || !self.token_secret_volumes.is_empty()
    }
}

/// `spec` created in `namespace`, against the ServiceAccounts that exist
/// there (`accounts`, any namespace: filtered here) and the names of the
/// namespace's `kubernetes.io/service-account-token` Secrets.
pub fn pod_account<'a>(
    spec: &PodSpec,
    namespace: &str,
    accounts: impl IntoIterator<Item = &'a ServiceAccount>,
    token_secrets: &[String],
) -> PodAccount<'a> {
    #[allow(deprecated)]
    let deprecated = spec.service_account.clone().unwrap_or_default();
    let (name, name_from) = match spec.service_account_name.as_deref() {
        Some(n) if !n.is_empty() => (n.to_string(), NameFrom::ServiceAccountName),
        _ if !deprecated.is_empty() => (deprecated, NameFrom::DeprecatedField),
        _ => (DEFAULT_SERVICE_ACCOUNT.to_string(), NameFrom::Default),
    };
    let account = accounts.into_iter().find(|sa| {
        sa.metadata.name.as_deref() == Some(name.as_str())
            && sa.metadata.namespace.as_deref().unwrap_or("default") == namespace
    });
    let (automount, automount_from) = match (spec.automount_service_account_token, account) {
        (Some(b), _) => (b, AutomountFrom::Pod),
        (None, Some(sa)) if sa.automount_service_account_token.is_some() => (
            sa.automount_service_account_token.unwrap_or(true),
            AutomountFrom::ServiceAccount,
        ),
        _ => (true, AutomountFrom::Default),
    };
    let mut mounted_in = Vec::new();
    if automount && account.is_some() {
        let containers = spec
            .init_containers
            .iter()
            .flatten()
            .chain(spec.containers.iter());
        for c in containers {
            let has_own = c
                .volume_mounts
                .iter()
                .flatten()
                .any(|m| m.mount_path == API_TOKEN_MOUNT_PATH);
            if !has_own {
                mounted_in.push(c.name.clone());
            }
        }
    }
    let mut projected_tokens = Vec::new();
    let mut token_secret_volumes = Vec::new();
    for v in spec.volumes.iter().flatten() {
        if let Some(p) = &v.projected {
            for s in p.sources.iter().flatten() {
                if let Some(t) = &s.service_account_token {
                    projected_tokens.push(ProjectedToken {
                        volume: v.name.clone(),
                        audience: t.audience.clone().filter(|a| !a.is_empty()),
                        expiration_seconds: t.expiration_seconds,
                    });
                }
            }
        }
        if let Some(s) = &v.secret
            && s.secret_name
                .as_ref()
                .is_some_and(|n| token_secrets.contains(n))
        {
            token_secret_volumes.push(v.name.clone());
        }
    }
    PodAccount {
        name,
        name_from,
        account,
        automount,
        automount_from,
        mounted_in,
        projected_tokens,
        token_secret_volumes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(v: serde_json::Value) -> PodSpec {
        serde_json::from_value(v).expect("spec")
    }

    fn sa(name: &str, automount: Option<bool>) -> ServiceAccount {
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "dev"},
            "automountServiceAccountToken": automount
        }))
        .expect("sa")
    }

    // upstream: plugin/pkg/admission/serviceaccount/admission_test.go
    // TestAutomountsAPIToken, TestRespectsExistingMount,
    // TestDeniesInvalidServiceAccount; admission.go shouldAutomount (pod
    // first, then the account, default true)
    #[test]
    fn automount_like_the_admission_plugin() {
        let app = json!([{"name": "app", "image": "nginx"}]);
        let default_sa = sa("default", None);
        let off = sa("quiet", Some(false));
        let accounts = [default_sa.clone(), off.clone()];

        let p = pod_account(&spec(json!({"containers": app})), "dev", &accounts, &[]);
        assert_eq!(
            (p.name.as_str(), p.name_from),
            ("default", NameFrom::Default)
        );
        assert_eq!(
            (p.automount, p.automount_from),
            (true, AutomountFrom::Default)
        );
        assert_eq!(p.mounted_in, vec!["app"]);

        let p = pod_account(
            &spec(json!({"serviceAccountName": "quiet", "containers": app})),
            "dev",
            &accounts,
            &[],
        );
        assert_eq!(
            (p.automount, p.automount_from),
            (false, AutomountFrom::ServiceAccount)
        );
        assert!(p.mounted_in.is_empty() && !p.has_api_credentials());

        // the pod's true wins over the account's false
        let p = pod_account(
            &spec(
                json!({"serviceAccountName": "quiet", "automountServiceAccountToken": true, "containers": app}),
            ),
            "dev",
            &accounts,
            &[],
        );
        assert_eq!((p.automount, p.automount_from), (true, AutomountFrom::Pod));

        // an existing mount at the token path keeps that container's own
        let p = pod_account(
            &spec(
                json!({"initContainers": [{"name": "init", "image": "busybox"}],
                "containers": [{"name": "app", "image": "nginx",
                "volumeMounts": [{"name": "mine", "mountPath": API_TOKEN_MOUNT_PATH}]}],
                "volumes": [{"name": "mine", "emptyDir": {}}]}),
            ),
            "dev",
            &accounts,
            &[],
        );
        assert_eq!(p.mounted_in, vec!["init"]);

        // a missing account: the pod is refused, nothing is mounted
        let p = pod_account(
            &spec(json!({"serviceAccountName": "ghost", "containers": app})),
            "dev",
            &accounts,
            &[],
        );
        assert!(p.account.is_none() && p.mounted_in.is_empty());
        // same name in another namespace does not count
        let p = pod_account(&spec(json!({"containers": app})), "prod", &accounts, &[]);
        assert!(p.account.is_none());
    }

    // upstream: pkg/apis/core/v1/conversion.go Convert_v1_PodSpec_To_core_PodSpec
    #[test]
    fn deprecated_service_account_field() {
        let accounts = [sa("old", Some(false)), sa("new", None)];
        let p = pod_account(
            &spec(json!({"serviceAccount": "old", "containers": [{"name": "a", "image": "x"}]})),
            "dev",
            &accounts,
            &[],
        );
        assert_eq!(
            (p.name.as_str(), p.name_from),
            ("old", NameFrom::DeprecatedField)
        );
        let p = pod_account(
            &spec(json!({"serviceAccount": "old", "serviceAccountName": "new",
                "containers": [{"name": "a", "image": "x"}]})),
            "dev",
            &accounts,
            &[],
        );
        assert_eq!(p.name, "new");
    }

    #[test]
    fn tokens_the_pod_asks_for_itself() {
        let accounts = [sa("quiet", Some(false))];
        let p = pod_account(
            &spec(json!({"serviceAccountName": "quiet",
            "containers": [{"name": "a", "image": "x"}],
            "volumes": [
                {"name": "vault", "projected": {"sources": [{"serviceAccountToken": {"path": "t", "audience": "vault", "expirationSeconds": 600}}]}},
                {"name": "legacy", "secret": {"secretName": "quiet-token"}}
            ]})),
            "dev",
            &accounts,
            &["quiet-token".to_string()],
        );
        assert_eq!(p.projected_tokens[0].audience.as_deref(), Some("vault"));
        assert_eq!(p.token_secret_volumes, vec!["legacy"]);
        assert!(
            p.has_api_credentials(),
            "the legacy token Secret is an API credential"
        );
    }
}
