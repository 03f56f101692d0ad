//! Certificate checkers. Certificates reach them inside Kubernetes objects
//! (a `kubernetes.io/tls` Secret, a ConfigMap, a CertificateSigningRequest's
//! `spec.request`), so the TLS engine reads them from the model.

use super::basic::ObjectSel;
use super::registry::{Checker, Ctx, Outcome, answer_list, params};
use crate::engines::rbac::{Attributes, UserInfo};
use crate::engines::tls::{self, Identity, Material, Want, signers};
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
        about: "a CertificateSigningRequest object: its decoded request (CN/O, signature), signerName, usages, expirationSeconds, whether the API server admits it (admitted) and whether the built-in signer issues it once approved (issues)",
        run: csr,
    },
    Checker {
        name: "csr-decision",
        about: "the learner's approve/deny decision on a pending CSR, against the engine's verdict: deny when the signer would fail it, when a node asks for another node's identity, or when the identity would hold every permission (RBAC); params: name, approve (answer key), deny (answer key)",
        run: csr_decision,
    },
];

/// The certificate (or request) bytes an object carries.
pub(super) fn pem_of(o: &Object, key: Option<&str>) -> Result<(Vec<u8>, FieldPath), String> {
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

pub(super) fn same_groups(a: &[String], b: &[String]) -> bool {
    let mut x: Vec<&String> = a.iter().collect();
    let mut y: Vec<&String> = b.iter().collect();
    x.sort();
    y.sort();
    x == y
}

pub(super) fn groups_text(g: &[String]) -> String {
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
        let given = answer_list(given);
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
    /// The API server's admission (CertificateSubjectRestriction) lets
    /// the request in (true) or refuses it (false).
    #[serde(default)]
    admitted: Option<bool>,
    /// Once approved, the built-in signer issues a certificate (true) or
    /// marks the request Failed (false).
    #[serde(default)]
    issues: Option<bool>,
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
                spec_path.clone(),
            )),
        }
    }
    if let Some(want) = cp.admitted {
        let path = spec_path.field("request");
        match (
            signers::subject_restriction(&cp.name, &c.spec.signer_name, &c.spec.request.0),
            want,
        ) {
            (Ok(()), true) => good.push("the API server admits it".into()),
            (Err(e), false) => good.push(format!("the API server refuses it: {e}")),
            (Err(e), true) => wrong.push((
                format!(
                    "`kubectl apply` fails: {e} (the CertificateSubjectRestriction admission plugin, on by default)"
                ),
                path,
            )),
            (Ok(()), false) => wrong.push((
                "the API server would admit this request, expected it to be refused".into(),
                path,
            )),
        }
    }
    if let Some(want) = cp.issues {
        let usages = c.spec.usages.clone().unwrap_or_default();
        match signers::parse_csr(&c.spec.request.0) {
            Err(e) => wrong.push((format!("spec.request: {e}"), spec_path.field("request"))),
            Ok(req) => match (
                signers::built_in_signer(&c.spec.signer_name, &req, &usages),
                want,
            ) {
                (signers::SignerVerdict::Issues, true) => {
                    good.push(format!("{} issues it once approved", c.spec.signer_name))
                }
                (signers::SignerVerdict::Fails(m), false) => good.push(format!(
                    "the signer would mark it Failed once approved: {m}"
                )),
                (signers::SignerVerdict::Fails(m), true) => wrong.push((
                    format!(
                        "after approval the signer {} marks it Failed (SignerValidationFailure: {m}) and issues nothing",
                        c.spec.signer_name
                    ),
                    spec_path.field("usages"),
                )),
                (signers::SignerVerdict::NotBuiltIn, true) => wrong.push((
                    format!(
                        "no signer in kube-controller-manager serves \"{}\": an approved request would wait forever",
                        c.spec.signer_name
                    ),
                    spec_path.field("signerName"),
                )),
                (_, false) => wrong.push((
                    "the signer would issue this request, expected it to fail".into(),
                    spec_path.clone(),
                )),
            },
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionParams {
    /// The CSR's name.
    name: String,
    /// Answer key holding the list of CSRs the learner approves.
    approve: String,
    /// Answer key holding the list of CSRs the learner denies.
    deny: String,
}

/// Whether a pending request should be approved, and why: the facts a
/// careful approver reads before `kubectl certificate approve`.
pub(super) fn judge(c: &CertificateSigningRequest, ctx: &Ctx) -> (bool, String) {
    let name = c.metadata.name.as_deref().unwrap_or_default();
    let req = match signers::parse_csr(&c.spec.request.0) {
        Ok(r) => r,
        Err(e) => return (false, format!("its request does not parse ({e})")),
    };
    let cn = req.subject.common_name.clone().unwrap_or_default();
    let groups = req.subject.organizations.clone();
    let who = format!(
        "CN={cn}{}",
        groups
            .iter()
            .map(|g| format!(", O={g}"))
            .collect::<String>()
    );
    let usages = c.spec.usages.clone().unwrap_or_default();
    let signer = c.spec.signer_name.as_str();
    match signers::built_in_signer(signer, &req, &usages) {
        signers::SignerVerdict::Fails(m) => {
            return (
                false,
                format!(
                    "{name} asks {signer} for something it will not sign: approving only ends in Failed ({m})"
                ),
            );
        }
        signers::SignerVerdict::NotBuiltIn => {
            return (
                false,
                format!("{name} names the signer {signer}, which no built-in signer serves"),
            );
        }
        signers::SignerVerdict::Issues => {}
    }
    let requester = c.spec.username.clone().unwrap_or_default();
    if (signer == signers::KUBE_APISERVER_CLIENT_KUBELET || signer == signers::KUBELET_SERVING)
        && requester.starts_with("system:node:")
        && requester != cn
    {
        return (
            false,
            format!(
                "{name} was created by {requester} but asks for CN={cn}: a node asking for another node's identity"
            ),
        );
    }
    let mut all: Vec<String> = groups.clone();
    all.push("system:authenticated".into());
    let user = UserInfo {
        name: cn.clone(),
        groups: all,
    };
    let policy = ctx.rbac_policy(true);
    let everything = Attributes::resource(user, "*", "*", "*");
    let d = policy.authorize_request(&everything);
    if d.allowed {
        let via = d
            .matched
            .map(|m| format!(" through {} -> {}", m.binding, m.role))
            .unwrap_or_else(|| {
                " (the group system:masters is allowed everything before RBAC is asked)".into()
            });
        return (
            false,
            format!(
                "{name} asks for {who}, which may do everything in the cluster{via}: whoever holds the key becomes cluster-admin (check the request, not the object name)"
            ),
        );
    }
    (
        true,
        format!(
            "{name} asks {signer} for {who}, requested by {}: the signer issues it and it grants no more than that identity's own bindings",
            if requester.is_empty() {
                "an unknown user".to_string()
            } else {
                requester
            }
        ),
    )
}

fn csr_decision(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let dp: DecisionParams = params(p)?;
    let Some(c) = ctx.model.find::<CertificateSigningRequest>(None, &dp.name) else {
        return Err(format!(
            "bad parameters: no CertificateSigningRequest \"{}\" in the given state",
            dp.name
        ));
    };
    let listed = |key: &str| {
        ctx.answers
            .get(key)
            .map(answer_list)
            .unwrap_or_default()
            .iter()
            .any(|n| n.trim() == dp.name)
    };
    let (approve, deny) = (listed(&dp.approve), listed(&dp.deny));
    let (should_approve, why) = judge(&c, ctx);
    let loc = c.locate(&FieldPath::root());
    Ok(match (approve, deny) {
        (true, true) => Outcome::fail(format!(
            "{} is under both `{}:` and `{}:`; decide once",
            dp.name, dp.approve, dp.deny
        )),
        (false, false) => Outcome::fail(format!(
            "{} is under neither `{}:` nor `{}:`",
            dp.name, dp.approve, dp.deny
        )),
        (a, _) if a == should_approve => Outcome::pass(if a {
            format!("approve: {why}")
        } else {
            format!("deny: {why}")
        })
        .at(loc),
        (true, _) => Outcome::fail(format!(
            "you approve {}, but it must be denied: {why}",
            dp.name
        ))
        .at(loc),
        (false, _) => Outcome::fail(format!(
            "you deny {}, but nothing in it is wrong: {why}",
            dp.name
        ))
        .at(loc),
    })
}
