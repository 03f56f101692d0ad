//! Authentication checkers: a kubeconfig the learner writes (read as
//! kubectl reads it, its embedded certificates checked by the TLS engine),
//! which ServiceAccount a workload runs as and whether it gets an API
//! token, and who a ServiceAccount token authenticates as.
//!
//! A kubeconfig is not an API object: it is an answer file (its parsed
//! YAML arrives in `ctx.answers`), so findings carry no line numbers.

use super::registry::answer_list as answer_items;
use super::registry::{Checker, Ctx, Outcome, params};
use super::tls::{groups_text, pem_of, same_groups};
use crate::engines::authn::automount::{self, AutomountFrom, NameFrom};
use crate::engines::authn::kubeconfig::{self, Credential, DEFAULT_SERVER, Kubeconfig};
use crate::engines::authn::token;
use crate::engines::tls::{self, CheckName, Material, Options, Role, Want};
use crate::model::{FieldPath, Object};
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use serde::Deserialize;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "kubeconfig",
        about: "the learner's kubeconfig (an answer file) as kubectl reads it: it loads, `valid` (clientcmd Validate), the `context` (default: current-context) is `current`, resolves to `cluster`/`server`/`user`/`namespace`, its client certificate authenticates as `identity`, and `credentials` (embedded cert and key match, valid, clientAuth, chain to `client_ca` or the cluster's CA)",
        run: kubeconfig_check,
    },
    Checker {
        name: "service-account",
        about: "the ServiceAccount a Pod or workload's pods run as (`service_account`, which must exist), whether the API token is automounted (`automount`), and whether any API credential reaches them (`api_credentials`), as the ServiceAccount admission plugin decides",
        run: service_account,
    },
    Checker {
        name: "sa-token",
        about: "a ServiceAccount JWT kept in a Secret or ConfigMap (`token`): the learner's answers for the user (`answer_user`), groups (`answer_groups`), expiry (`answer_expires`: a date or never) and the object whose deletion revokes it (`answer_revoke`); answer keys may be dotted (`ci-log.user`)",
        run: sa_token,
    },
];

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// An answer under `a.b.c` (nested maps), or under the literal key.
fn answer_at<'a>(ctx: &'a Ctx, key: &str) -> Option<&'a serde_json::Value> {
    if let Some(v) = ctx.answers.get(key) {
        return Some(v);
    }
    let mut parts = key.split('.');
    let mut cur = ctx.answers.get(parts.next()?)?;
    for p in parts {
        cur = cur.get(p)?;
    }
    Some(cur)
}

fn no_answer(key: &str) -> Outcome {
    let shown = key.replace('.', " → ");
    Outcome::fail(format!("no answer under `{shown}` in your answer file"))
}

/// An object and a data key, for a CA bundle or a token.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct DataRef {
    kind: String,
    name: String,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    key: Option<String>,
}

impl DataRef {
    fn object<'a>(&self, ctx: &'a Ctx) -> Result<&'a Object, String> {
        ctx.model
            .objects
            .iter()
            .find(|o| {
                o.id.kind == self.kind
                    && o.id.name == self.name
                    && (self.namespace.is_none() || o.id.namespace == self.namespace)
            })
            .ok_or_else(|| format!("bad parameters: no {}/{}", self.kind, self.name))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WantIdentity {
    user: String,
    #[serde(default)]
    groups: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KubeconfigParams {
    /// The context to check, as `--context`; default the current context.
    #[serde(default)]
    context: Option<String>,
    /// The context must be the current context.
    #[serde(default)]
    current: bool,
    #[serde(default)]
    cluster: Option<String>,
    #[serde(default)]
    server: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    identity: Option<WantIdentity>,
    #[serde(default)]
    credentials: bool,
    /// The API server's `--client-ca-file` bundle; default the cluster
    /// entry's certificate-authority-data (the same CA on kubeadm).
    #[serde(default)]
    client_ca: Option<DataRef>,
    /// `clientcmd.Validate` finds nothing anywhere in the file.
    #[serde(default)]
    valid: bool,
}

fn method_text(m: Credential) -> &'static str {
    match m {
        Credential::ClientCertificate => "a client certificate",
        Credential::Token => "a bearer token",
        Credential::Basic => "a user name and password",
        Credential::Exec => "an exec plugin",
        Credential::AuthProvider => "an auth-provider",
        Credential::None => "no credential at all",
    }
}

/// Why a namespace setting had no effect: it was written where client-go
/// does not read it.
fn ignored_note(k: &Kubeconfig, field: &str) -> String {
    let hits: Vec<&String> = k
        .ignored
        .iter()
        .filter(|p| p.rsplit('.').next() == Some(field))
        .collect();
    if hits.is_empty() {
        String::new()
    } else {
        format!(
            " ({} is not where kubectl reads it, so it is ignored: `{field}` belongs inside the context's `context:` map)",
            hits.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn kubeconfig_check(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let kp: KubeconfigParams = params(p)?;
    let doc = serde_json::Value::Object(ctx.answers.clone());
    let k = match kubeconfig::load(&doc) {
        Ok(k) => k,
        Err(e) => {
            return Ok(Outcome::fail(format!(
                "kubectl cannot load this kubeconfig: {e}"
            )));
        }
    };
    let mut good: Vec<String> = Vec::new();
    if kp.valid {
        let errs = k.validate();
        if !errs.is_empty() {
            return Ok(Outcome::fail(format!(
                "invalid configuration: {}",
                errs.join("; ")
            )));
        }
        good.push("the whole file is valid".into());
    }
    if kp.current {
        match (&kp.context, k.current_context.as_str()) {
            (_, "") => {
                return Ok(Outcome::fail(format!(
                    "current-context is not set: kubectl talks to {DEFAULT_SERVER} without credentials (kubectl config use-context NAME)"
                )));
            }
            (Some(want), cur) if want != cur => {
                return Ok(Outcome::fail(format!(
                    "current-context is \"{cur}\", not \"{want}\": plain kubectl commands use \"{cur}\" (kubectl config use-context {want})"
                )));
            }
            (_, cur) => good.push(format!("current-context is {cur}")),
        }
    }
    let e = k.effective(kp.context.as_deref());
    let needs_context = kp.cluster.is_some()
        || kp.server.is_some()
        || kp.user.is_some()
        || kp.namespace.is_some()
        || kp.identity.is_some()
        || kp.credentials
        || kp.current;
    if needs_context {
        if !e.errors.is_empty() {
            return Ok(Outcome::fail(format!(
                "kubectl fails with \"Error in configuration: {}\"",
                e.errors.join(", ")
            )));
        }
        if e.context.is_none() {
            return Ok(Outcome::fail(format!(
                "current-context is not set: kubectl talks to {DEFAULT_SERVER} without credentials"
            )));
        }
    }
    let cname = e.context_name.clone();
    if let Some(want) = &kp.cluster {
        if e.cluster.is_none() {
            return Ok(Outcome::fail(format!(
                "context \"{cname}\" uses cluster \"{}\", which is not under clusters: kubectl falls back to {DEFAULT_SERVER} (\"The connection to the server localhost:8080 was refused\")",
                e.cluster_name
            )));
        }
        if e.cluster_name != *want {
            return Ok(Outcome::fail(format!(
                "context \"{cname}\" uses cluster \"{}\", expected \"{want}\"",
                e.cluster_name
            )));
        }
        good.push(format!("context {cname} uses cluster {want}"));
    }
    if let Some(want) = &kp.server {
        let norm = |s: &str| s.trim_end_matches('/').to_ascii_lowercase();
        if norm(&e.server) != norm(want) {
            return Ok(Outcome::fail(format!(
                "context \"{cname}\" sends requests to {}, expected {want}",
                e.server
            )));
        }
        good.push(format!("server {want}"));
    }
    if let Some(want) = &kp.user {
        if e.user.is_none() {
            return Ok(Outcome::fail(format!(
                "context \"{cname}\" uses user \"{}\", which is not under users: kubectl sends no credentials and the API server sees system:anonymous",
                e.user_name
            )));
        }
        if e.user_name != *want {
            return Ok(Outcome::fail(format!(
                "context \"{cname}\" uses user \"{}\", expected \"{want}\"",
                e.user_name
            )));
        }
        good.push(format!("user {want}"));
    }
    if let Some(want) = &kp.namespace {
        if e.namespace != *want {
            let set = e
                .context
                .map(|c| !c.item.namespace.is_empty())
                .unwrap_or(false);
            return Ok(Outcome::fail(format!(
                "commands in context \"{cname}\" default to namespace \"{}\"{}, expected \"{want}\"{}",
                e.namespace,
                if set {
                    ""
                } else {
                    " (no namespace is set, so \"default\")"
                },
                ignored_note(&k, "namespace")
            )));
        }
        good.push(format!("default namespace {want}"));
    }
    if kp.identity.is_some() || kp.credentials {
        let Some(user) = e.user else {
            return Ok(Outcome::fail(format!(
                "context \"{cname}\" uses user \"{}\", which is not under users: kubectl sends no credentials at all and the API server sees system:anonymous",
                e.user_name
            )));
        };
        let u = &user.item;
        let uname = &user.name;
        if u.method() != Credential::ClientCertificate {
            return Ok(Outcome::fail(format!(
                "user \"{uname}\" authenticates with {}, not a client certificate",
                method_text(u.method())
            )));
        }
        if u.client_certificate_data.is_empty() {
            return Ok(Outcome::fail(format!(
                "user \"{uname}\" points to the file {} (client-certificate), which exists only on the machine that wrote it; embed the certificate as client-certificate-data (kubectl config set-credentials ... --embed-certs=true)",
                u.client_certificate
            )));
        }
        let cert = match tls::read(&u.client_certificate_data, Want::Subject) {
            Ok(m) if !m.certs.is_empty() => m,
            Ok(_) => {
                return Ok(Outcome::fail(format!(
                    "user \"{uname}\": client-certificate-data holds a certificate request, not a certificate"
                )));
            }
            Err(e) => {
                return Ok(Outcome::fail(format!(
                    "user \"{uname}\": client-certificate-data {e}"
                )));
            }
        };
        if let Some(want) = &kp.identity {
            let id = tls::check(&cert, None, None, &Options::default()).identity;
            if id.user != want.user {
                return Ok(Outcome::fail(format!(
                    "user \"{uname}\" holds a certificate for CN=\"{}\": the API server authenticates it as \"{}\", not \"{}\" (the name of the user entry does not matter, the certificate does)",
                    id.user, id.user, want.user
                )));
            }
            if let Some(g) = &want.groups
                && !same_groups(g, &id.groups)
            {
                return Ok(Outcome::fail(format!(
                    "the certificate of user \"{uname}\" gives {}, expected {}",
                    groups_text(&id.groups),
                    groups_text(g)
                )));
            }
            good.push(format!(
                "authenticates as \"{}\" with {}",
                id.user,
                groups_text(&id.groups)
            ));
        }
        if kp.credentials {
            if u.client_key_data.is_empty() {
                return Ok(Outcome::fail(if u.client_key.is_empty() {
                    format!(
                        "user \"{uname}\" has a certificate but no key: client-key-data or client-key must be specified for {uname} to use the clientCert authentication method"
                    )
                } else {
                    format!(
                        "user \"{uname}\" points to the key file {} (client-key); embed the key as client-key-data",
                        u.client_key
                    )
                }));
            }
            let key = match tls::read(&u.client_key_data, Want::Key) {
                Ok(k) => k,
                Err(e) => {
                    return Ok(Outcome::fail(format!(
                        "user \"{uname}\": client-key-data {e}"
                    )));
                }
            };
            let ca: Material = match &kp.client_ca {
                Some(r) => {
                    let o = r.object(ctx)?;
                    let (bytes, _) = pem_of(o, r.key.as_deref())?;
                    tls::read(&bytes, Want::Ca).map_err(|e| format!("client_ca: {e}"))?
                }
                None => {
                    let Some(c) = e.cluster else {
                        return Ok(Outcome::fail(format!(
                            "context \"{cname}\" names no cluster in the file"
                        )));
                    };
                    if c.item.certificate_authority_data.is_empty() {
                        return Ok(Outcome::fail(format!(
                            "cluster \"{}\" has no certificate-authority-data to verify against",
                            c.name
                        )));
                    }
                    match tls::read(&c.item.certificate_authority_data, Want::Ca) {
                        Ok(m) => m,
                        Err(err) => {
                            return Ok(Outcome::fail(format!(
                                "cluster \"{}\": certificate-authority-data {err}",
                                c.name
                            )));
                        }
                    }
                }
            };
            let r = tls::check(
                &cert,
                Some(&ca),
                Some(&key),
                &Options {
                    role: Some(Role::Client),
                    sans: Vec::new(),
                    now: now(),
                },
            );
            let failed: Vec<String> = r
                .findings
                .iter()
                .filter(|f| {
                    !f.passed
                        && matches!(
                            f.check,
                            CheckName::KeyMatch
                                | CheckName::Chain
                                | CheckName::Ca
                                | CheckName::Validity
                                | CheckName::Eku
                                | CheckName::Identity
                        )
                })
                .map(|f| {
                    if f.check == CheckName::KeyMatch {
                        format!("client-key-data: {}", f.message)
                    } else {
                        f.message.clone()
                    }
                })
                .collect();
            if !failed.is_empty() {
                return Ok(Outcome::fail(format!(
                    "user \"{uname}\": {}",
                    failed.join("; ")
                )));
            }
            good.push(format!(
                "user {uname}'s key matches its certificate, which is valid for client auth and chains to the cluster CA"
            ));
        }
    }
    if good.is_empty() {
        good.push("the kubeconfig loads".into());
    }
    Ok(Outcome::pass(good.join("; ")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceAccountParams {
    kind: String,
    namespace: String,
    name: String,
    #[serde(default)]
    service_account: Option<String>,
    #[serde(default)]
    automount: Option<bool>,
    #[serde(default)]
    api_credentials: Option<bool>,
}

fn service_account(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let sp: ServiceAccountParams = params(p)?;
    let Some(o) = ctx.model.objects.iter().find(|o| {
        o.id.kind == sp.kind
            && o.id.name == sp.name
            && o.id.namespace.as_deref() == Some(sp.namespace.as_str())
    }) else {
        let elsewhere: Vec<String> = ctx
            .model
            .objects
            .iter()
            .filter(|o| o.id.kind == sp.kind && o.id.name == sp.name)
            .map(|o| o.id.to_string())
            .collect();
        return Ok(Outcome::fail(if elsewhere.is_empty() {
            format!("no {} {}/{}", sp.kind, sp.namespace, sp.name)
        } else {
            format!(
                "no {} {}/{} (found {})",
                sp.kind,
                sp.namespace,
                sp.name,
                elsewhere.join(", ")
            )
        }));
    };
    let specs = crate::validate::objects::scheduling::pod_specs(&o.typed);
    let Some((spec, spec_path)) = specs.first() else {
        return Err(format!("bad parameters: {} has no pod spec", o.id));
    };
    let token_secrets: Vec<String> = ctx
        .model
        .of::<Secret>()
        .filter(|s| {
            s.id().namespace.as_deref() == Some(sp.namespace.as_str())
                && s.type_.as_deref() == Some("kubernetes.io/service-account-token")
        })
        .map(|s| s.id().name.clone())
        .collect();
    let accounts: Vec<&ServiceAccount> = ctx.model.of::<ServiceAccount>().map(|s| s.obj).collect();
    let pa = automount::pod_account(
        spec,
        &sp.namespace,
        accounts.iter().copied(),
        &token_secrets,
    );
    let pods = if sp.kind == "Pod" {
        format!("Pod {}/{}", sp.namespace, sp.name)
    } else {
        format!("the pods of {} {}/{}", sp.kind, sp.namespace, sp.name)
    };
    let sa_loc = o.locate(&spec_path.field("serviceAccountName"));
    let spec_loc = o.locate(spec_path);
    let from = match pa.name_from {
        NameFrom::ServiceAccountName => "serviceAccountName".to_string(),
        NameFrom::DeprecatedField => "the deprecated serviceAccount field".to_string(),
        NameFrom::Default => "nothing is set, so admission uses \"default\"".to_string(),
    };
    let missing = || {
        Outcome::fail(format!(
            "{pods} name ServiceAccount \"{}\", which does not exist in {}: they are refused (pods \"...\" is forbidden: error looking up service account {}/{}: serviceaccount \"{}\" not found)",
            pa.name, sp.namespace, sp.namespace, pa.name, pa.name
        ))
        .at(sa_loc.clone())
    };
    let mut good = Vec::new();
    if let Some(want) = &sp.service_account {
        // A name that matches nothing is the more urgent news: no pod
        // starts at all.
        if pa.name != *want && pa.account.is_some() {
            return Ok(Outcome::fail(format!(
                "{pods} run as ServiceAccount {}/{} ({from}), expected {want}",
                sp.namespace, pa.name
            ))
            .at(sa_loc));
        }
        if pa.account.is_none() {
            return Ok(missing());
        }
        good.push(format!(
            "{pods} run as {} ({from})",
            pa.username(&sp.namespace)
        ));
    }
    if let Some(want) = sp.automount {
        if pa.account.is_none() {
            return Ok(missing());
        }
        let who = match pa.automount_from {
            AutomountFrom::Pod => "the pod spec sets automountServiceAccountToken".to_string(),
            AutomountFrom::ServiceAccount => format!(
                "ServiceAccount {} sets automountServiceAccountToken and the pod spec does not",
                pa.name
            ),
            AutomountFrom::Default => format!(
                "neither the pod spec nor ServiceAccount {} sets automountServiceAccountToken, and the default is true",
                pa.name
            ),
        };
        if pa.automount != want {
            return Ok(Outcome::fail(if pa.automount {
                format!(
                    "{pods} get the API token mounted at {} ({who})",
                    automount::API_TOKEN_MOUNT_PATH
                )
            } else {
                format!("{pods} get no API token ({who}), expected the token to be mounted")
            })
            .at(spec_loc));
        }
        good.push(if pa.automount {
            format!("the token is mounted ({who})")
        } else {
            format!("no token is mounted ({who})")
        });
    }
    if let Some(want) = sp.api_credentials {
        if pa.account.is_none() {
            return Ok(missing());
        }
        let have = pa.has_api_credentials();
        if have != want {
            let mut what = Vec::new();
            if !pa.mounted_in.is_empty() {
                what.push(format!(
                    "the automounted token (containers {})",
                    pa.mounted_in.join(", ")
                ));
            }
            for t in pa.projected_tokens.iter().filter(|t| t.audience.is_none()) {
                what.push(format!(
                    "volume {}: a projected serviceAccountToken without audience, which the API server accepts",
                    t.volume
                ));
            }
            for v in &pa.token_secret_volumes {
                what.push(format!("volume {v}: a legacy token Secret"));
            }
            return Ok(Outcome::fail(if have {
                format!("{pods} still get an API credential: {}", what.join("; "))
            } else {
                format!("{pods} get no credential for the API server")
            })
            .at(spec_loc));
        }
        good.push(if have {
            "an API credential reaches the pods".to_string()
        } else {
            "no API credential reaches the pods".to_string()
        });
    }
    Ok(Outcome::pass(good.join("; ")).at(o.locate(&FieldPath::root())))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SaTokenParams {
    /// Where the token is (a Secret's or ConfigMap's data key; the value
    /// may be a log line holding the token).
    token: DataRef,
    #[serde(default)]
    answer_user: Option<String>,
    #[serde(default)]
    answer_groups: Option<String>,
    #[serde(default)]
    answer_expires: Option<String>,
    #[serde(default)]
    answer_revoke: Option<String>,
}

/// The first word that looks like a JWT (three dot-separated parts, a
/// JSON header).
fn find_jwt(text: &str) -> Option<&str> {
    text.split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '=')
        .find(|w| w.starts_with("eyJ") && w.matches('.').count() == 2)
}

/// `Secret/NAME`, `secret NAME`, `pod/ns/NAME`, `Secret ci/NAME`.
fn parse_object_answer(s: &str) -> Option<(String, String)> {
    let t = s.trim();
    let (kind, rest) = t.split_once(['/', ' '])?;
    let name = rest.trim().rsplit('/').next()?.trim();
    let kind = match kind.trim().to_ascii_lowercase().as_str() {
        "secret" | "secrets" => "Secret",
        "pod" | "pods" | "po" => "Pod",
        "node" | "nodes" | "no" => "Node",
        "serviceaccount" | "serviceaccounts" | "sa" => "ServiceAccount",
        _ => return None,
    };
    (!name.is_empty()).then(|| (kind.to_string(), name.to_string()))
}

fn sa_token(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let tp: SaTokenParams = params(p)?;
    let o = tp.token.object(ctx)?;
    let (bytes, path) = pem_of(o, tp.token.key.as_deref())?;
    let loc = o.locate(&path);
    let text = String::from_utf8_lossy(&bytes).to_string();
    let raw = find_jwt(&text)
        .ok_or_else(|| format!("bad parameters: {path} of {} holds no JWT", o.id))?;
    let t = token::decode(raw).map_err(|e| format!("bad parameters: {e}"))?;
    let id = t.identity().map_err(|e| format!("bad parameters: {e}"))?;
    let get = |k: &str| answer_at(ctx, k);
    if let Some(k) = &tp.answer_user {
        let Some(v) = get(k) else {
            return Ok(no_answer(k));
        };
        let given = v.as_str().map(str::trim).unwrap_or_default();
        return Ok(if given == id.user {
            Outcome::pass(format!(
                "the user comes from the token's kubernetes.io claims: {}",
                id.user
            ))
            .at(loc)
        } else {
            Outcome::fail(format!(
                "you answered \"{given}\"; a ServiceAccount authenticates as system:serviceaccount:<namespace>:<name>, with the namespace and name from the token's claims"
            ))
            .at(loc)
        });
    }
    if let Some(k) = &tp.answer_groups {
        let Some(v) = get(k) else {
            return Ok(no_answer(k));
        };
        let given = answer_items(v);
        return Ok(if same_groups(&given, &id.groups) {
            Outcome::pass(format!("groups: {}", id.groups.join(", "))).at(loc)
        } else {
            let only_auth_missing = given.len() + 1 == id.groups.len()
                && !given.iter().any(|g| g == "system:authenticated")
                && given.iter().all(|g| id.groups.contains(g));
            Outcome::fail(if only_auth_missing {
                "almost: every authenticated request also gets system:authenticated (kubectl auth whoami lists it)".to_string()
            } else {
                format!(
                    "you answered {}; a ServiceAccount is in system:serviceaccounts and system:serviceaccounts:<namespace>, and every authenticated request is in system:authenticated",
                    groups_text(&given)
                )
            })
            .at(loc)
        });
    }
    if let Some(k) = &tp.answer_expires {
        let Some(v) = get(k) else {
            return Ok(no_answer(k));
        };
        let given = v
            .as_str()
            .map(|s| s.trim().to_ascii_lowercase())
            .unwrap_or_else(|| v.to_string());
        let (ok, truth) = match t.expires {
            None => (given == "never", "never: it has no exp claim".to_string()),
            Some(exp) => {
                let full = tls::timefmt::rfc3339(exp);
                let day = full.get(..10).unwrap_or(&full).to_string();
                (
                    given == day || given == full.to_ascii_lowercase(),
                    format!("{full} (its exp claim)"),
                )
            }
        };
        return Ok(if ok {
            Outcome::pass(format!("expires {truth}")).at(loc)
        } else {
            Outcome::fail(format!(
                "you answered \"{given}\"; decode the payload (the part between the dots, base64url) and read exp, a Unix time; a token without exp never expires"
            ))
            .at(loc)
        });
    }
    if let Some(k) = &tp.answer_revoke {
        let Some(v) = get(k) else {
            return Ok(no_answer(k));
        };
        let given = v.as_str().unwrap_or_default();
        let truth = t.revoked_by();
        let Some(truth) = truth else {
            return Err("bad parameters: this token is bound to no object".into());
        };
        return Ok(match parse_object_answer(given) {
            Some((kind, name)) if kind == truth.kind && name == truth.name => Outcome::pass(format!(
                "deleting {}/{} invalidates it{}",
                truth.kind,
                truth.name,
                if matches!(t.kind, token::Kind::Legacy { .. }) {
                    " (the API server looks the legacy token's Secret up on every request)"
                } else {
                    " (a bound token dies with the object it is bound to)"
                }
            ))
            .at(loc),
            Some((kind, name)) if kind == "ServiceAccount" && name == t.service_account => {
                Outcome::fail(format!(
                    "deleting ServiceAccount/{name} does invalidate it (the validator checks the account's UID), but it also breaks every other token and pod of that account; the token's claims name the one object it is tied to: {}/{}",
                    truth.kind, truth.name
                ))
                .at(loc)
            }
            Some((kind, name)) => Outcome::fail(format!(
                "deleting {kind}/{name} does not invalidate this token; its claims name the object it is bound to"
            ))
            .at(loc),
            None => Outcome::fail(format!(
                "answer as KIND/NAME (for example Secret/my-token or Pod/my-pod), not \"{given}\""
            )),
        });
    }
    Err(
        "bad parameters: give one of answer_user, answer_groups, answer_expires, answer_revoke"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_token_in_a_log_line() {
        let line = "2026-01-01 curl -H \"Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\" https://x";
        assert_eq!(
            find_jwt(line),
            Some("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
        );
        assert_eq!(find_jwt("no token here"), None);
    }

    #[test]
    fn object_answers() {
        assert_eq!(
            parse_object_answer("Secret/deployer-token"),
            Some(("Secret".into(), "deployer-token".into()))
        );
        assert_eq!(
            parse_object_answer("pod payments/debug-shell"),
            Some(("Pod".into(), "debug-shell".into()))
        );
        assert_eq!(parse_object_answer("deployer-token"), None);
    }
}
