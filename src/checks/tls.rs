//! Certificate checkers. Certificates reach them inside Kubernetes objects
//! (a `kubernetes.io/tls` Secret, a ConfigMap, a CertificateSigningRequest's
//! `spec.request`), so the TLS engine reads them from the model.

use super::basic::ObjectSel;
use super::registry::{Checker, Ctx, Outcome, params};
use crate::engines::tls::{self, Identity, Material, Want};
use crate::model::{FieldPath, Object, Typed};
use k8s_openapi::api::certificates::v1::CertificateSigningRequest;
use serde::Deserialize;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "cert-identity",
        about: "the identity (user = CN, groups = O) a client certificate in a Secret, ConfigMap or CSR gives; compared with expected values or with the learner's answers",
        run: cert_identity,
    },
    Checker {
        name: "csr",
        about: "a CertificateSigningRequest object: its decoded request (CN/O, signature), signerName, usages and expirationSeconds",
        run: csr,
    },
];

/// The certificate (or request) bytes an object carries.
fn pem_of(o: &Object, key: Option<&str>) -> Result<(Vec<u8>, FieldPath), String> {
    let root = FieldPath::root();
    match &o.typed {
        Typed::Secret(s) => {
            let key = key.unwrap_or("tls.crt");
            if let Some(b) = s.data.as_ref().and_then(|d| d.get(key)) {
                return Ok((b.0.clone(), root.field("data").key(key)));
            }
            s.string_data
                .as_ref()
                .and_then(|d| d.get(key))
                .map(|v| (v.as_bytes().to_vec(), root.field("stringData").key(key)))
                .ok_or_else(|| format!("{} has no {key}", o.id))
        }
        Typed::ConfigMap(c) => {
            let data = c
                .data
                .as_ref()
                .ok_or_else(|| format!("{} has no data", o.id))?;
            let (k, v) = match key {
                Some(k) => data
                    .get_key_value(k)
                    .ok_or_else(|| format!("{} has no {k}", o.id))?,
                None => data
                    .iter()
                    .find(|(_, v)| v.contains("-----BEGIN"))
                    .ok_or_else(|| format!("{} holds no PEM data", o.id))?,
            };
            Ok((v.as_bytes().to_vec(), root.field("data").key(k)))
        }
        Typed::CertificateSigningRequest(c) => Ok((
            c.spec.request.0.clone(),
            root.field("spec").field("request"),
        )),
        _ => Err(format!(
            "{} is not a Secret, ConfigMap or CertificateSigningRequest",
            o.id
        )),
    }
}

fn identity_of(m: &Material) -> Option<Identity> {
    let name = m
        .certs
        .first()
        .map(|c| &c.subject)
        .or(m.csr.as_ref().map(|c| &c.subject))?;
    Some(Identity {
        user: name.common_name.clone().unwrap_or_default(),
        groups: name.organizations.clone(),
    })
}

fn same_groups(a: &[String], b: &[String]) -> bool {
    let mut x: Vec<&String> = a.iter().collect();
    let mut y: Vec<&String> = b.iter().collect();
    x.sort();
    y.sort();
    x == y
}

fn groups_text(g: &[String]) -> String {
    if g.is_empty() {
        "no groups".into()
    } else {
        format!("groups [{}]", g.join(", "))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentityParams {
    #[serde(flatten)]
    object: ObjectSel,
    /// The data key holding the certificate (Secret default `tls.crt`).
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    groups: Option<Vec<String>>,
    /// Compare the learner's answer under this key with the user.
    #[serde(default)]
    answer_user: Option<String>,
    #[serde(default)]
    answer_groups: Option<String>,
    /// The learner's yes/no: is this certificate cluster-admin
    /// (system:masters)?
    #[serde(default)]
    answer_admin: Option<String>,
}

fn answer_strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect(),
        serde_json::Value::String(s) if s.trim().is_empty() => Vec::new(),
        serde_json::Value::String(s) => s.split(',').map(|x| x.trim().to_string()).collect(),
        serde_json::Value::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

fn cert_identity(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let ip: IdentityParams = params(p)?;
    let Some(o) = ip.object.find(ctx) else {
        return Ok(Outcome::fail(format!("no {} found", ip.object.describe())));
    };
    let (bytes, path) = match pem_of(o, ip.key.as_deref()) {
        Ok(x) => x,
        Err(e) => return Ok(Outcome::fail(e).at(o.locate(&FieldPath::root()))),
    };
    let loc = o.locate(&path);
    let m = match tls::read(&bytes, Want::Subject) {
        Ok(m) => m,
        Err(e) => return Ok(Outcome::fail(format!("{path} of {}: {e}", o.id)).at(loc)),
    };
    let Some(id) = identity_of(&m) else {
        return Ok(Outcome::fail(format!("{path} of {} holds no certificate", o.id)).at(loc));
    };
    if let Some(k) = &ip.answer_user {
        let Some(given) = ctx.answers.get(k) else {
            return Ok(Outcome::fail(format!(
                "no answer under `{k}:` in your answer file"
            )));
        };
        let given = given.as_str().map(str::trim).unwrap_or_default();
        return Ok(if given == id.user {
            Outcome::pass(format!(
                "the API server takes the CN as the user: \"{}\"",
                id.user
            ))
        } else {
            Outcome::fail(format!(
                "you answered \"{given}\"; the API server takes the user from the subject's CN, not the issuer or the file name"
            ))
        });
    }
    if let Some(k) = &ip.answer_groups {
        let Some(given) = ctx.answers.get(k) else {
            return Ok(Outcome::fail(format!(
                "no answer under `{k}:` in your answer file"
            )));
        };
        let given = answer_strings(given);
        return Ok(if same_groups(&given, &id.groups) {
            Outcome::pass(format!("every O is a group: {}", groups_text(&id.groups)))
        } else {
            Outcome::fail(format!(
                "you answered {}; every O in the subject is a group, in any order (there are {})",
                groups_text(&given),
                id.groups.len()
            ))
        });
    }
    if let Some(k) = &ip.answer_admin {
        let Some(given) = ctx.answers.get(k) else {
            return Ok(Outcome::fail(format!(
                "no answer under `{k}:` in your answer file"
            )));
        };
        let given = match given {
            serde_json::Value::Bool(b) => Some(*b),
            serde_json::Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "yes" | "true" => Some(true),
                "no" | "false" => Some(false),
                _ => None,
            },
            _ => None,
        };
        let admin = id.is_cluster_admin();
        return Ok(if given == Some(admin) {
            Outcome::pass(if admin {
                "yes: the group system:masters is cluster-admin, and RBAC cannot take it away"
            } else {
                "no: none of its groups is system:masters"
            })
        } else {
            Outcome::fail(
                "look for the group system:masters among the O's: it is bound to cluster-admin and bypasses RBAC",
            )
        });
    }
    let mut wrong = Vec::new();
    if let Some(u) = &ip.user
        && *u != id.user
    {
        wrong.push(format!(
            "the user (CN) is \"{}\", expected \"{u}\"",
            id.user
        ));
    }
    if let Some(g) = &ip.groups
        && !same_groups(g, &id.groups)
    {
        wrong.push(format!(
            "the groups (O) are {}, expected {}",
            groups_text(&id.groups),
            groups_text(g)
        ));
    }
    Ok(if wrong.is_empty() {
        Outcome::pass(format!(
            "authenticates as user \"{}\" with {}",
            id.user,
            groups_text(&id.groups)
        ))
        .at(loc)
    } else {
        Outcome::fail(wrong.join("; ")).at(loc)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CsrParams {
    name: String,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    groups: Option<Vec<String>>,
    #[serde(default)]
    signer: Option<String>,
    /// The exact set of usages.
    #[serde(default)]
    usages: Option<Vec<String>>,
    #[serde(default)]
    expiration_seconds: Option<i32>,
}

fn csr(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let cp: CsrParams = params(p)?;
    let Some(c) = ctx.model.find::<CertificateSigningRequest>(None, &cp.name) else {
        let others: Vec<String> = ctx
            .model
            .of::<CertificateSigningRequest>()
            .map(|c| c.id().name.clone())
            .collect();
        return Ok(Outcome::fail(if others.is_empty() {
            format!("no CertificateSigningRequest \"{}\"", cp.name)
        } else {
            format!(
                "no CertificateSigningRequest \"{}\" (found {})",
                cp.name,
                others.join(", ")
            )
        }));
    };
    let spec_path = FieldPath::root().field("spec");
    let mut wrong: Vec<(String, FieldPath)> = Vec::new();
    let mut good: Vec<String> = Vec::new();
    if cp.user.is_some() || cp.groups.is_some() {
        let path = spec_path.field("request");
        match tls::read(&c.spec.request.0, Want::Subject) {
            Err(e) => wrong.push((format!("spec.request: {e}"), path)),
            Ok(m) => match (&m.csr, identity_of(&m)) {
                (Some(r), Some(id)) => {
                    if !r.signature_ok {
                        wrong.push(("spec.request: the request's signature does not verify".into(), path.clone()));
                    }
                    if let Some(u) = &cp.user {
                        if *u == id.user {
                            good.push(format!("the request's CN is \"{u}\""));
                        } else {
                            wrong.push((
                                format!("the request's CN (the user) is \"{}\", expected \"{u}\"", id.user),
                                path.clone(),
                            ));
                        }
                    }
                    if let Some(g) = &cp.groups {
                        if same_groups(g, &id.groups) {
                            good.push(format!("its O's give {}", groups_text(g)));
                        } else {
                            wrong.push((
                                format!(
                                    "the request's O's (the groups) are {}, expected {}",
                                    groups_text(&id.groups),
                                    groups_text(g)
                                ),
                                path.clone(),
                            ));
                        }
                    }
                }
                _ => wrong.push((
                    "spec.request holds a certificate, not a certificate request (PKCS#10 \"CERTIFICATE REQUEST\")".into(),
                    path,
                )),
            },
        }
    }
    if let Some(s) = &cp.signer {
        if c.spec.signer_name == *s {
            good.push(format!("signerName is {s}"));
        } else {
            let why = match c.spec.signer_name.as_str() {
                "kubernetes.io/kubelet-serving" => {
                    " (that signer issues kubelet serving certificates, for nodes only)"
                }
                "kubernetes.io/kube-apiserver-client-kubelet" => {
                    " (that signer issues kubelets' client certificates, for system:node:* only)"
                }
                _ => "",
            };
            wrong.push((
                format!(
                    "signerName is \"{}\", expected {s}{why}",
                    c.spec.signer_name
                ),
                spec_path.field("signerName"),
            ));
        }
    }
    if let Some(u) = &cp.usages {
        let have = c.spec.usages.clone().unwrap_or_default();
        if same_groups(u, &have) {
            good.push(format!("usages are [{}]", u.join(", ")));
        } else {
            wrong.push((
                format!(
                    "usages are [{}], expected [{}]",
                    have.join(", "),
                    u.join(", ")
                ),
                spec_path.field("usages"),
            ));
        }
    }
    if let Some(e) = cp.expiration_seconds {
        match c.spec.expiration_seconds {
            Some(x) if x == e => good.push(format!("expirationSeconds is {e}")),
            Some(x) if x < 600 => wrong.push((
                format!("expirationSeconds is {x}: the API server refuses durations under 600 seconds (10 minutes); expected {e}"),
                spec_path.field("expirationSeconds"),
            )),
            Some(x) => wrong.push((
                format!("expirationSeconds is {x}, expected {e}"),
                spec_path.field("expirationSeconds"),
            )),
            None => wrong.push((
                format!("expirationSeconds is not set (the signer's default applies, a year with kubeadm), expected {e}"),
                spec_path,
            )),
        }
    }
    Ok(match wrong.first() {
        None => Outcome::pass(good.join("; ")).at(c.locate(&FieldPath::root())),
        Some((_, path)) => Outcome::fail(
            wrong
                .iter()
                .map(|(m, _)| m.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )
        .at(c.locate(path)),
    })
}
