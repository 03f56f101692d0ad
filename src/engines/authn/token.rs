//! ServiceAccount tokens: JWTs whose claims name a ServiceAccount, and the
//! user the API server's token authenticator makes of them.
//!
//! Two kinds exist. Legacy tokens (issuer `kubernetes/serviceaccount`, in
//! Secrets of type `kubernetes.io/service-account-token`) carry flat
//! `kubernetes.io/serviceaccount/...` claims, no expiry, and die with their
//! Secret. Bound tokens (TokenRequest API, projected volumes, `kubectl
//! create token`) carry a `kubernetes.io` object naming the namespace, the
//! ServiceAccount and the object they are bound to (pod, secret or node),
//! and an `exp`.
//!
//! upstream: pkg/serviceaccount/claims.go (`privateClaims`, `Validate`:
//! expiry, bound objects), pkg/serviceaccount/legacy.go (legacy claims,
//! `sub` must match), staging/src/k8s.io/apiserver/pkg/authentication/
//! serviceaccount/util.go (`UserInfo`: user name, groups, extra), and the
//! authenticated-group adder (`system:authenticated`).
//!
//! The signature is not verified: that needs the cluster's `sa.pub`.

use crate::engines::rbac::attributes::{
    ALL_AUTHENTICATED, make_group_names, make_username, split_username,
};
use base64::Engine as _;
use serde_json::Value as J;

pub const LEGACY_ISSUER: &str = "kubernetes/serviceaccount";

/// An object a bound token is tied to: deleting it invalidates the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRef {
    pub kind: &'static str,
    pub name: String,
    pub uid: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Legacy { secret: String },
    Bound { bound_to: Option<ObjectRef> },
}

/// What the token says, read but not trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub algorithm: String,
    pub issuer: String,
    pub subject: String,
    pub audiences: Vec<String>,
    /// Unix seconds; None: the token never expires.
    pub expires: Option<i64>,
    pub not_before: Option<i64>,
    pub namespace: String,
    pub service_account: String,
    pub service_account_uid: String,
    pub kind: Kind,
}

/// The user the API server authenticates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub user: String,
    pub uid: String,
    /// Every group, `system:authenticated` last, as `kubectl auth whoami`
    /// lists them.
    pub groups: Vec<String>,
    /// `authentication.kubernetes.io/...` extra values.
    pub extra: Vec<(String, String)>,
}

fn b64url(part: &str, what: &str) -> Result<Vec<u8>, String> {
    let trimmed = part.trim_end_matches('=');
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed.as_bytes())
        .map_err(|_| format!("the {what} is not base64url"))
}

fn json_part(part: &str, what: &str) -> Result<serde_json::Map<String, J>, String> {
    let bytes = b64url(part, what)?;
    match serde_json::from_slice::<J>(&bytes) {
        Ok(J::Object(m)) => Ok(m),
        _ => Err(format!("the {what} is not a JSON object")),
    }
}

fn text(m: &serde_json::Map<String, J>, key: &str) -> String {
    m.get(key)
        .and_then(J::as_str)
        .unwrap_or_default()
        .to_string()
}

fn seconds(m: &serde_json::Map<String, J>, key: &str) -> Option<i64> {
    m.get(key)
        .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
}

fn obj_ref(v: Option<&J>, kind: &'static str) -> Option<ObjectRef> {
    let m = v?.as_object()?;
    let name = text(m, "name");
    (!name.is_empty()).then(|| ObjectRef {
        kind,
        name,
        uid: text(m, "uid"),
    })
}

/// Read a token (`header.payload.signature`, whitespace around it
/// ignored). `Err` says why it is not a ServiceAccount JWT.
pub fn decode(token: &str) -> Result<Token, String> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, _signature] = parts.as_slice() else {
        return Err(format!(
            "a JWT has three base64url parts separated by dots; this has {}",
            parts.len()
        ));
    };
    let header = json_part(header, "JWT header")?;
    let claims = json_part(payload, "JWT payload")?;
    let audiences = match claims.get("aud") {
        Some(J::String(s)) => vec![s.clone()],
        Some(J::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let issuer = text(&claims, "iss");
    let mut t = Token {
        algorithm: text(&header, "alg"),
        subject: text(&claims, "sub"),
        audiences,
        expires: seconds(&claims, "exp"),
        not_before: seconds(&claims, "nbf"),
        namespace: String::new(),
        service_account: String::new(),
        service_account_uid: String::new(),
        kind: Kind::Bound { bound_to: None },
        issuer,
    };
    if t.issuer == LEGACY_ISSUER {
        t.namespace = text(&claims, "kubernetes.io/serviceaccount/namespace");
        t.service_account = text(&claims, "kubernetes.io/serviceaccount/service-account.name");
        t.service_account_uid = text(&claims, "kubernetes.io/serviceaccount/service-account.uid");
        t.kind = Kind::Legacy {
            secret: text(&claims, "kubernetes.io/serviceaccount/secret.name"),
        };
        return Ok(t);
    }
    let Some(k) = claims.get("kubernetes.io").and_then(J::as_object) else {
        return Err(format!(
            "the token has no \"kubernetes.io\" claims and its issuer is \"{}\", not {LEGACY_ISSUER}: it is not a ServiceAccount token (an OIDC ID token, perhaps)",
            t.issuer
        ));
    };
    t.namespace = text(k, "namespace");
    let sa = k.get("serviceaccount").and_then(J::as_object);
    t.service_account = sa.map(|s| text(s, "name")).unwrap_or_default();
    t.service_account_uid = sa.map(|s| text(s, "uid")).unwrap_or_default();
    // Upstream binds to at most one of pod and secret; a node claim comes
    // with a pod (the pod's node) or alone.
    let bound_to = obj_ref(k.get("pod"), "Pod")
        .or_else(|| obj_ref(k.get("secret"), "Secret"))
        .or_else(|| obj_ref(k.get("node"), "Node"));
    t.kind = Kind::Bound { bound_to };
    Ok(t)
}

impl Token {
    /// The user the API server authenticates, or the validator's error
    /// for claims it refuses (never the signature or the lookups of the
    /// objects, which need the cluster).
    pub fn identity(&self) -> Result<Identity, String> {
        match &self.kind {
            Kind::Legacy { secret } => {
                // legacy.go: every claim must be there, and sub must name
                // the same account.
                if self.subject.is_empty() {
                    return Err("sub claim is missing".into());
                }
                if self.namespace.is_empty() {
                    return Err("namespace claim is missing".into());
                }
                if secret.is_empty() {
                    return Err("secretName claim is missing".into());
                }
                if self.service_account.is_empty() {
                    return Err("serviceAccountName claim is missing".into());
                }
                if self.service_account_uid.is_empty() {
                    return Err("serviceAccountUID claim is missing".into());
                }
                match split_username(&self.subject) {
                    Some((ns, name)) if ns == self.namespace && name == self.service_account => {}
                    _ => return Err("sub claim is invalid".into()),
                }
            }
            Kind::Bound { .. } => {
                if self.namespace.is_empty() || self.service_account.is_empty() {
                    return Err(
                        "the kubernetes.io claims name no namespace and service account".into(),
                    );
                }
            }
        }
        let mut groups = make_group_names(&self.namespace);
        groups.push(ALL_AUTHENTICATED.to_string());
        let mut extra = Vec::new();
        if let Kind::Bound { bound_to: Some(r) } = &self.kind
            && r.kind == "Pod"
            && !r.uid.is_empty()
        {
            extra.push((
                "authentication.kubernetes.io/pod-name".into(),
                r.name.clone(),
            ));
            extra.push(("authentication.kubernetes.io/pod-uid".into(), r.uid.clone()));
        }
        Ok(Identity {
            // The user comes from the private claims, never from `sub`.
            user: make_username(&self.namespace, &self.service_account),
            uid: self.service_account_uid.clone(),
            groups,
            extra,
        })
    }

    /// Whether the token is past its `exp` at `now` (go-jose's default
    /// leeway of one minute, as the validator uses it). Never for a token
    /// without `exp`.
    pub fn expired_at(&self, now: i64) -> bool {
        const LEEWAY: i64 = 60;
        self.expires.is_some_and(|exp| now > exp + LEEWAY)
    }

    /// What to delete to make the token useless before it expires: the
    /// Secret of a legacy token, the object a bound token is bound to.
    /// Deleting (and recreating) the ServiceAccount always works too, as
    /// its UID changes.
    pub fn revoked_by(&self) -> Option<ObjectRef> {
        match &self.kind {
            Kind::Legacy { secret } => Some(ObjectRef {
                kind: "Secret",
                name: secret.clone(),
                uid: String::new(),
            }),
            Kind::Bound { bound_to } => bound_to.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jwt(header: J, claims: J) -> String {
        let e = |v: &J| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
        };
        format!("{}.{}.c2ln", e(&header), e(&claims))
    }

    // upstream: pkg/serviceaccount/legacy.go LegacyClaims; jwt_test.go
    // TestTokenGenerateAndValidate "valid legacy token"
    #[test]
    fn legacy_token_identity() {
        let t = decode(&jwt(
            json!({"alg": "RS256", "kid": ""}),
            json!({
                "iss": "kubernetes/serviceaccount",
                "kubernetes.io/serviceaccount/namespace": "ci",
                "kubernetes.io/serviceaccount/secret.name": "deployer-token",
                "kubernetes.io/serviceaccount/service-account.name": "deployer",
                "kubernetes.io/serviceaccount/service-account.uid": "12345",
                "sub": "system:serviceaccount:ci:deployer"
            }),
        ))
        .expect("decodes");
        let id = t.identity().expect("valid");
        assert_eq!(id.user, "system:serviceaccount:ci:deployer");
        assert_eq!(
            id.groups,
            vec![
                "system:serviceaccounts",
                "system:serviceaccounts:ci",
                "system:authenticated"
            ]
        );
        assert_eq!(t.expires, None);
        assert!(!t.expired_at(i64::MAX - 100));
        assert_eq!(
            t.revoked_by().map(|r| (r.kind, r.name)),
            Some(("Secret", "deployer-token".to_string()))
        );
    }

    // upstream: legacy.go "sub claim is invalid" when sub names another account
    #[test]
    fn legacy_sub_must_match() {
        let t = decode(&jwt(
            json!({"alg": "RS256"}),
            json!({
                "iss": "kubernetes/serviceaccount",
                "kubernetes.io/serviceaccount/namespace": "ci",
                "kubernetes.io/serviceaccount/secret.name": "s",
                "kubernetes.io/serviceaccount/service-account.name": "deployer",
                "kubernetes.io/serviceaccount/service-account.uid": "1",
                "sub": "system:serviceaccount:kube-system:admin"
            }),
        ))
        .expect("decodes");
        assert_eq!(t.identity().err().as_deref(), Some("sub claim is invalid"));
    }

    // upstream: claims.go Claims (pod-bound); util.go UserInfo extra
    #[test]
    fn bound_token_identity_ignores_sub() {
        let t = decode(&jwt(
            json!({"alg": "RS256", "kid": "abc"}),
            json!({
                "aud": ["https://kubernetes.default.svc.cluster.local"],
                "exp": 1_750_000_000,
                "iat": 1_749_996_400,
                "iss": "https://kubernetes.default.svc.cluster.local",
                "kubernetes.io": {
                    "namespace": "payments",
                    "pod": {"name": "debug-shell", "uid": "p-1"},
                    "serviceaccount": {"name": "default", "uid": "s-1"}
                },
                "nbf": 1_749_996_400,
                "sub": "system:serviceaccount:kube-system:something-else"
            }),
        ))
        .expect("decodes");
        let id = t.identity().expect("valid");
        assert_eq!(id.user, "system:serviceaccount:payments:default");
        assert_eq!(
            id.extra[0],
            (
                "authentication.kubernetes.io/pod-name".to_string(),
                "debug-shell".to_string()
            )
        );
        assert!(t.expired_at(1_750_000_061));
        assert!(!t.expired_at(1_750_000_060), "one minute of leeway");
        assert_eq!(t.revoked_by().map(|r| r.kind), Some("Pod"));
    }

    #[test]
    fn not_a_service_account_token() {
        let oidc = jwt(
            json!({"alg": "RS256"}),
            json!({"iss": "https://sso.example.com", "sub": "jane", "email": "jane@example.com"}),
        );
        assert!(
            decode(&oidc)
                .expect_err("oidc")
                .contains("not a ServiceAccount token")
        );
        assert!(decode("abc.def").is_err());
        assert!(decode("!!!.e30.x").is_err());
    }
}
