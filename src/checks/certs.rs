//! Certificate inspection checkers: the learner reads certificates kept in
//! Secrets and ConfigMaps and answers questions an operator must answer
//! (which names does the API server certificate lack, which client
//! certificates would the API server accept, which certificate expires
//! first, which CA signed it), or serves a certificate to an Ingress. Every
//! expected answer is computed by the TLS engine, never written down.

use super::registry::answer_list as answer_items;
use super::registry::{Checker, Ctx, Outcome, params};
use super::tls::pem_of;
use crate::engines::tls::{self, CheckName, Material, Options, Role, Want, names::covers};
use crate::model::{FieldPath, Object};
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::api::networking::v1::Ingress;
use serde::Deserialize;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "cert-sans",
        about: "which of `names` a certificate's SANs do not cover, as Go clients match them (never the CN); compared with the learner's list under `answer`, or with `missing`",
        run: cert_sans,
    },
    Checker {
        name: "client-cert-accepted",
        about: "whether the API server's x509 authenticator accepts a client certificate, verified against `client_ca`: `accepted`, or why not (`expired`, `not-yet-valid`, `untrusted-ca`, `wrong-usage`, `no-username`); compared with the learner's answer under `answer`",
        run: client_cert_accepted,
    },
    Checker {
        name: "cert-expiry",
        about: "which of the certificates under `keys` of one object expires first and on which date (UTC, YYYY-MM-DD); compared with the learner's answers under `answer_first` and `answer_date`",
        run: cert_expiry,
    },
    Checker {
        name: "cert-issuer",
        about: "which of the CA certificates under `cas` signed the certificate under `key` (signature verified, not just the issuer name); compared with the learner's answer under `answer`",
        run: cert_issuer,
    },
    Checker {
        name: "ingress-tls",
        about: "an Ingress's TLS Secrets: in the Ingress's namespace, `secret_type` kubernetes.io/tls, `key_match` (tls.key belongs to tls.crt), `serves` (valid now, serverAuth, SANs cover every tls host)",
        run: ingress_tls,
    },
];

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// An object and the data key holding PEM.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct PemRef {
    kind: String,
    name: String,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    key: Option<String>,
}

impl PemRef {
    fn describe(&self) -> String {
        let obj = match &self.namespace {
            Some(ns) => format!("{}/{}/{}", self.kind, ns, self.name),
            None => format!("{}/{}", self.kind, self.name),
        };
        match &self.key {
            Some(k) => format!("{obj} key {k}"),
            None => obj,
        }
    }

    fn object<'a>(&self, ctx: &'a Ctx) -> Option<&'a Object> {
        ctx.model.objects.iter().find(|o| {
            o.id.kind == self.kind
                && o.id.name == self.name
                && (self.namespace.is_none() || o.id.namespace == self.namespace)
        })
    }

    /// The material under the key, read for `want`. A missing or broken
    /// fixture is an exercise bug (`Err`).
    fn read(
        &self,
        ctx: &Ctx,
        want: Want,
    ) -> Result<(Material, Option<crate::model::Location>), String> {
        let o = self
            .object(ctx)
            .ok_or_else(|| format!("bad parameters: no {}", self.describe()))?;
        let (bytes, path) = pem_of(o, self.key.as_deref())?;
        let m = tls::read(&bytes, want).map_err(|e| format!("{}: {e}", self.describe()))?;
        Ok((m, o.locate(&path)))
    }

    fn with_key(&self, key: &str) -> PemRef {
        PemRef {
            key: Some(key.to_string()),
            ..self.clone()
        }
    }
}

/// A host name or IP as the learner wrote it, normalised for comparison.
fn norm_name(s: &str) -> String {
    let t = s.trim().trim_end_matches('.').to_ascii_lowercase();
    match t.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.to_string(),
        Err(_) => t,
    }
}

fn answer_list(ctx: &Ctx, key: &str) -> Option<Vec<String>> {
    ctx.answers.get(key).map(answer_items)
}

fn no_answer(key: &str) -> Outcome {
    Outcome::fail(format!("no answer under `{key}:` in your answer file"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SansParams {
    cert: PemRef,
    /// The names clients will use.
    names: Vec<String>,
    #[serde(default)]
    answer: Option<String>,
    /// Expected missing names (when no answer is compared).
    #[serde(default)]
    missing: Option<Vec<String>>,
}

fn cert_sans(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let sp: SansParams = params(p)?;
    let (m, loc) = sp.cert.read(ctx, Want::Subject)?;
    let leaf = m
        .certs
        .first()
        .ok_or_else(|| format!("{} holds no certificate", sp.cert.describe()))?;
    let lacking: Vec<String> = sp
        .names
        .iter()
        .filter(|n| !covers(&leaf.sans, n))
        .map(|n| norm_name(n))
        .collect();
    let given = match (&sp.answer, &sp.missing) {
        (Some(k), _) => match answer_list(ctx, k) {
            Some(v) => v
                .iter()
                .map(|n| norm_name(n))
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>(),
            None => return Ok(no_answer(k)),
        },
        (None, Some(expected)) => expected.iter().map(|n| norm_name(n)).collect(),
        (None, None) => return Err("bad parameters: give `answer` or `missing`".into()),
    };
    let covered_but_listed: Vec<&String> = given.iter().filter(|g| !lacking.contains(g)).collect();
    let left_out = lacking.iter().filter(|l| !given.contains(l)).count();
    if covered_but_listed.is_empty() && left_out == 0 {
        let sans = leaf.sans.all().join(", ");
        return Ok(Outcome::pass(format!(
            "the certificate lacks {}; its SANs are {sans}",
            lacking.join(", ")
        ))
        .at(loc));
    }
    let mut why = Vec::new();
    for n in &covered_but_listed {
        if sp.names.iter().any(|x| norm_name(x) == **n) {
            why.push(format!("{n} is covered by a SAN"));
        } else {
            why.push(format!("{n} is not one of the names the task lists"));
        }
    }
    if left_out > 0 {
        why.push(format!(
            "{left_out} name{} the certificate does not cover {} missing from your list (compare every name with the X509v3 Subject Alternative Name list; the CN does not count)",
            if left_out == 1 { "" } else { "s" },
            if left_out == 1 { "is" } else { "are" }
        ));
    }
    Ok(Outcome::fail(why.join("; ")).at(loc))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptedParams {
    cert: PemRef,
    /// The CA bundle the API server trusts for clients (`--client-ca-file`).
    client_ca: PemRef,
    answer: String,
}

/// The API server's verdict on a client certificate, in the answer words.
fn client_verdict(subject: &Material, ca: &Material, at: i64) -> (&'static str, String) {
    let r = tls::check(
        subject,
        Some(ca),
        None,
        &Options {
            role: Some(Role::Client),
            sans: Vec::new(),
            now: at,
        },
    );
    let failed = |c: CheckName| {
        r.findings
            .iter()
            .find(|f| f.check == c && !f.passed)
            .map(|f| f.message.clone())
    };
    // Go's Verify checks the leaf's validity, then builds the chain, then
    // the key usages; the authenticator then needs a CN.
    if let Some(m) = failed(CheckName::Validity) {
        let word = if r.not_after_ts.is_some_and(|t| at > t) {
            "expired"
        } else {
            "not-yet-valid"
        };
        return (word, m);
    }
    if let Some(m) = failed(CheckName::Chain).or_else(|| failed(CheckName::Ca)) {
        return ("untrusted-ca", m);
    }
    if let Some(m) = failed(CheckName::Eku) {
        return ("wrong-usage", m);
    }
    if let Some(m) = failed(CheckName::Identity) {
        return ("no-username", m);
    }
    (
        "accepted",
        format!(
            "it chains to the client CA, is valid and allows clientAuth: user \"{}\"",
            r.identity.user
        ),
    )
}

fn answer_word(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::Bool(true) => "accepted".to_string(),
        serde_json::Value::String(s) => s.trim().to_ascii_lowercase().replace([' ', '_'], "-"),
        other => other.to_string(),
    };
    match s.as_str() {
        "yes" | "ok" | "accept" => "accepted".into(),
        "wrong-ca" | "unknown-ca" | "unknown-authority" => "untrusted-ca".into(),
        "wrong-eku" | "eku" => "wrong-usage".into(),
        _ => s,
    }
}

fn client_cert_accepted(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let ap: AcceptedParams = params(p)?;
    let (subject, loc) = ap.cert.read(ctx, Want::Subject)?;
    let (ca, _) = ap.client_ca.read(ctx, Want::Ca)?;
    let (word, why) = client_verdict(&subject, &ca, now());
    let Some(given) = ctx.answers.get(&ap.answer) else {
        return Ok(no_answer(&ap.answer));
    };
    let given = answer_word(given);
    Ok(if given == word {
        Outcome::pass(format!("{word}: {why}")).at(loc)
    } else if word == "accepted" {
        Outcome::fail(format!(
            "you answered {given}, but the API server accepts this certificate: check its dates, its issuer against the client CA, and its extended key usage"
        ))
        .at(loc)
    } else {
        Outcome::fail(format!(
            "you answered {given}; check in order what the API server checks: the dates (Not Before/Not After), whether it chains to the client CA (openssl verify -CAfile), then the extended key usage (TLS Web Client Authentication)"
        ))
        .at(loc)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpiryParams {
    /// The object holding the certificates (its `key` is ignored).
    certs: PemRef,
    keys: Vec<String>,
    #[serde(default)]
    answer_first: Option<String>,
    #[serde(default)]
    answer_date: Option<String>,
}

/// A key as the learner may write it: with or without `.crt`.
fn same_key(given: &str, key: &str) -> bool {
    let base = |s: &str| {
        let t = s.trim();
        t.strip_suffix(".crt").unwrap_or(t).to_string()
    };
    base(given) == base(key)
}

fn cert_expiry(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let ep: ExpiryParams = params(p)?;
    let mut first: Option<(String, i64)> = None;
    for k in &ep.keys {
        let (m, _) = ep.certs.with_key(k).read(ctx, Want::Subject)?;
        let leaf = m
            .certs
            .first()
            .ok_or_else(|| format!("{} holds no certificate", ep.certs.with_key(k).describe()))?;
        if first.as_ref().is_none_or(|(_, t)| leaf.not_after < *t) {
            first = Some((k.clone(), leaf.not_after));
        }
    }
    let (key, ts) = first.ok_or("bad parameters: `keys` is empty")?;
    let date = tls::timefmt::rfc3339(ts);
    let day = date.get(..10).unwrap_or(&date).to_string();
    if let Some(a) = &ep.answer_first {
        let Some(given) = ctx.answers.get(a) else {
            return Ok(no_answer(a));
        };
        let given = answer_items(given).join(",");
        if given.trim().is_empty() {
            return Ok(no_answer(a));
        }
        return Ok(if same_key(&given, &key) {
            Outcome::pass(format!("{key} expires first, on {date}"))
        } else {
            Outcome::fail(format!(
                "{given} is not the first to expire; compare the notAfter dates of all {} certificates (openssl x509 -noout -enddate)",
                ep.keys.len()
            ))
        });
    }
    if let Some(a) = &ep.answer_date {
        let Some(given) = ctx.answers.get(a) else {
            return Ok(no_answer(a));
        };
        let given = answer_items(given).join(",");
        if given.trim().is_empty() {
            return Ok(no_answer(a));
        }
        let g = given.trim().trim_matches('"');
        return Ok(if g == day || g == date {
            Outcome::pass(format!("{key} expires on {date}"))
        } else {
            Outcome::fail(format!(
                "{given} is not the expiry date (UTC, YYYY-MM-DD) of the certificate that expires first"
            ))
        });
    }
    Err("bad parameters: give `answer_first` or `answer_date`".into())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerParams {
    /// The object and key of the certificate.
    cert: PemRef,
    /// Keys of the same object holding the candidate CA certificates.
    cas: Vec<String>,
    answer: String,
}

fn cert_issuer(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let ip: IssuerParams = params(p)?;
    let (subject, loc) = ip.cert.read(ctx, Want::Subject)?;
    let mut signer = None;
    for k in &ip.cas {
        let (ca, _) = ip.cert.with_key(k).read(ctx, Want::Ca)?;
        let r = tls::check(
            &subject,
            Some(&ca),
            None,
            &Options {
                role: None,
                sans: Vec::new(),
                now: now(),
            },
        );
        if r.findings
            .iter()
            .any(|f| f.check == CheckName::Chain && f.passed)
        {
            signer = Some(k.clone());
            break;
        }
    }
    let signer = signer.ok_or_else(|| {
        format!(
            "bad parameters: none of {:?} signed {}",
            ip.cas,
            ip.cert.describe()
        )
    })?;
    let Some(given) = ctx.answers.get(&ip.answer) else {
        return Ok(no_answer(&ip.answer));
    };
    let given = answer_items(given).join(",");
    if given.trim().is_empty() {
        return Ok(no_answer(&ip.answer));
    }
    Ok(if same_key(&given, &signer) {
        Outcome::pass(format!(
            "{signer} signed it: its signature verifies with that CA's key"
        ))
        .at(loc)
    } else {
        Outcome::fail(format!(
            "{given} did not sign it; read its Issuer and confirm with openssl verify -CAfile <ca> <cert>"
        ))
        .at(loc)
    })
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IngressTlsParams {
    namespace: String,
    name: String,
    #[serde(default)]
    secret_type: bool,
    #[serde(default)]
    key_match: bool,
    #[serde(default)]
    serves: bool,
    /// Also require the Secret to exist (on unless turned off).
    #[serde(default = "yes")]
    exists: bool,
}

/// `tls.crt` or `tls.key` of a Secret, from `data` or `stringData`.
fn secret_bytes(s: &Secret, key: &str) -> Option<(Vec<u8>, FieldPath)> {
    let root = FieldPath::root();
    if let Some(b) = s.data.as_ref().and_then(|d| d.get(key)) {
        return Some((b.0.clone(), root.field("data").key(key)));
    }
    s.string_data
        .as_ref()
        .and_then(|d| d.get(key))
        .map(|v| (v.as_bytes().to_vec(), root.field("stringData").key(key)))
}

fn ingress_tls(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let ip: IngressTlsParams = params(p)?;
    let Some(ing) = ctx.model.find::<Ingress>(Some(&ip.namespace), &ip.name) else {
        return Err(format!(
            "bad parameters: no Ingress {}/{}",
            ip.namespace, ip.name
        ));
    };
    let tls_entries = ing
        .spec
        .as_ref()
        .and_then(|s| s.tls.clone())
        .unwrap_or_default();
    if tls_entries.is_empty() {
        return Err(format!(
            "bad parameters: Ingress {}/{} has no spec.tls",
            ip.namespace, ip.name
        ));
    }
    let mut good = Vec::new();
    for t in &tls_entries {
        let Some(secret_name) = t.secret_name.as_deref() else {
            continue;
        };
        let hosts = t.hosts.clone().unwrap_or_default();
        let Some(secret) = ctx.model.find::<Secret>(Some(&ip.namespace), secret_name) else {
            let elsewhere: Vec<String> = ctx
                .model
                .of::<Secret>()
                .filter(|s| s.id().name == secret_name)
                .map(|s| s.id().namespace.clone().unwrap_or_default())
                .collect();
            return Ok(Outcome::fail(if elsewhere.is_empty() {
                format!(
                    "the Ingress {}/{} needs the Secret {secret_name} in namespace {}, and there is none: the controller serves its default certificate",
                    ip.namespace, ip.name, ip.namespace
                )
            } else {
                format!(
                    "the Secret {secret_name} is in namespace {}, but an Ingress only reads Secrets from its own namespace ({})",
                    elsewhere.join(", "),
                    ip.namespace
                )
            }));
        };
        let sid = format!("Secret {}/{secret_name}", ip.namespace);
        if !ip.exists && !ip.secret_type && !ip.key_match && !ip.serves {
            continue;
        }
        if ip.secret_type {
            let ty = secret.type_.clone().unwrap_or_else(|| "Opaque".into());
            if ty != "kubernetes.io/tls" {
                return Ok(Outcome::fail(format!(
                    "{sid} has type {ty}; a certificate for an Ingress goes in a Secret of type kubernetes.io/tls (kubectl create secret tls), whose tls.crt and tls.key the API server requires"
                ))
                .at(secret.locate(&FieldPath::root().field("type"))));
            }
            good.push(format!("{sid} is of type kubernetes.io/tls"));
        }
        if !(ip.key_match || ip.serves) {
            continue;
        }
        let Some((crt, crt_path)) = secret_bytes(&secret, "tls.crt") else {
            return Ok(Outcome::fail(format!("{sid} has no tls.crt"))
                .at(secret.locate(&FieldPath::root())));
        };
        let crt_loc = secret.locate(&crt_path);
        let cert = match tls::read(&crt, Want::Subject) {
            Ok(m) if !m.certs.is_empty() => m,
            Ok(_) => {
                return Ok(
                    Outcome::fail(format!("{sid}: tls.crt holds no certificate")).at(crt_loc),
                );
            }
            Err(e) => return Ok(Outcome::fail(format!("{sid}: tls.crt {e}")).at(crt_loc)),
        };
        if ip.key_match {
            let Some((key, key_path)) = secret_bytes(&secret, "tls.key") else {
                return Ok(Outcome::fail(format!("{sid} has no tls.key"))
                    .at(secret.locate(&FieldPath::root())));
            };
            let key_loc = secret.locate(&key_path);
            let key = match tls::read(&key, Want::Key) {
                Ok(k) => k,
                Err(e) => return Ok(Outcome::fail(format!("{sid}: tls.key {e}")).at(key_loc)),
            };
            let r = tls::check(&cert, None, Some(&key), &Options::default());
            if let Some(f) = r
                .findings
                .iter()
                .find(|f| f.check == CheckName::KeyMatch && !f.passed)
            {
                return Ok(Outcome::fail(format!("{sid}: {}", f.message)).at(key_loc));
            }
            good.push(format!("{sid}: tls.key belongs to tls.crt"));
        }
        if ip.serves {
            let r = tls::check(
                &cert,
                None,
                None,
                &Options {
                    role: Some(Role::Server),
                    sans: hosts.clone(),
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
                            CheckName::Validity | CheckName::Eku | CheckName::San
                        )
                })
                .map(|f| f.message.clone())
                .collect();
            if !failed.is_empty() {
                return Ok(
                    Outcome::fail(format!("{sid}: the certificate {}", failed.join("; ")))
                        .at(crt_loc),
                );
            }
            good.push(format!(
                "{sid} serves {} (valid, serverAuth, SANs {})",
                hosts.join(", "),
                r.sans.join(", ")
            ));
        }
        if good.is_empty() {
            good.push(format!("{sid} exists"));
        }
    }
    Ok(
        Outcome::pass(good.join("; "))
            .at(ing.locate(&FieldPath::root().field("spec").field("tls"))),
    )
}
