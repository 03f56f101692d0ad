//! What a file holds: PEM (certificates, requests, keys), raw DER, or a
//! Kubernetes document that carries them — a kubeconfig
//! (`client-certificate-data`, `client-key-data`,
//! `certificate-authority-data`), a CertificateSigningRequest
//! (`spec.request`), a `kubernetes.io/tls` Secret (`tls.crt`, `tls.key`,
//! `ca.crt`) or a ConfigMap holding PEM. Bytes in, facts out; reading the
//! file is the caller's job.

use super::cert::{CertInfo, CsrInfo};
use super::keys::{self, PublicKey};
use super::pem::{self, PemError};
use crate::model::node::Node;
use crate::model::yaml::{Limits, parse as parse_yaml};
use base64::Engine as _;

/// What the caller needs from the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// A certificate (chain) or a certificate request to check.
    Subject,
    /// CA certificates to check against.
    Ca,
    /// A private key.
    Key,
}

impl Want {
    fn describe(self) -> &'static str {
        match self {
            Want::Subject => "a certificate or a certificate request",
            Want::Ca => "a CA certificate",
            Want::Key => "a private key",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Material {
    /// Certificates in file order (a leaf first, then its chain).
    pub certs: Vec<CertInfo>,
    pub csr: Option<CsrInfo>,
    /// Public halves of the private keys in the file.
    pub keys: Vec<PublicKey>,
    /// CA certificates that came with the subject (a kubeconfig's cluster
    /// CA, a Secret's `ca.crt`).
    pub embedded_ca: Vec<CertInfo>,
    /// Where the material came from, for messages (`kubeconfig user "jane"`).
    pub source: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MaterialError {
    #[error("{0}")]
    Pem(#[from] PemError),
    #[error(
        "is not PEM (no \"-----BEGIN ...-----\" line) and not a kubeconfig, CertificateSigningRequest, Secret or ConfigMap holding one"
    )]
    NotPem,
    #[error(
        "the private key on line {line} is encrypted; kubedojo never asks for passphrases: decrypt a copy first (openssl pkey -in FILE -out plain.key)"
    )]
    Encrypted { line: usize },
    #[error("holds {found}, not {wanted}")]
    WrongType { found: String, wanted: &'static str },
    #[error("the {label} block on line {line} is not a valid {what}: {detail}")]
    BadDer {
        label: String,
        line: usize,
        what: &'static str,
        detail: String,
    },
    #[error("the {label} block on line {line} {error}")]
    BadKey {
        label: String,
        line: usize,
        error: keys::KeyError,
    },
    #[error("{0}")]
    Document(String),
}

/// Read `bytes` for the given purpose.
pub fn read(bytes: &[u8], want: Want) -> Result<Material, MaterialError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return read_der(bytes, want);
    };
    if pem::looks_like_pem(text) {
        return read_pem(text, want);
    }
    if (text.trim_start().starts_with('{') || text.contains(':'))
        && let Some(m) = read_document(text, want)?
    {
        return Ok(m);
    }
    if bytes.first() == Some(&0x30) {
        return read_der(bytes, want);
    }
    Err(MaterialError::NotPem)
}

fn read_der(bytes: &[u8], want: Want) -> Result<Material, MaterialError> {
    let mut m = Material::default();
    if let Ok(c) = CertInfo::parse(bytes) {
        m.certs.push(c);
    } else if let Ok(r) = CsrInfo::parse(bytes) {
        m.csr = Some(r);
    } else if let Ok(k) = keys::public_of_private("PRIVATE KEY", bytes) {
        m.keys.push(k);
    } else {
        return Err(MaterialError::NotPem);
    }
    fits(m, want, "DER data")
}

const CERT_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE"];
const CSR_LABELS: &[&str] = &["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"];
const KEY_LABELS: &[&str] = &["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

fn read_pem(text: &str, want: Want) -> Result<Material, MaterialError> {
    let blocks = pem::parse(text)?;
    let mut m = Material::default();
    let mut encrypted_at = None;
    let mut others: Vec<String> = Vec::new();
    for b in &blocks {
        let label = b.label.as_str();
        if CERT_LABELS.contains(&label) {
            let c = CertInfo::parse(&b.der).map_err(|detail| MaterialError::BadDer {
                label: b.label.clone(),
                line: b.line,
                what: "X.509 certificate",
                detail,
            })?;
            m.certs.push(c);
        } else if CSR_LABELS.contains(&label) {
            let r = CsrInfo::parse(&b.der).map_err(|detail| MaterialError::BadDer {
                label: b.label.clone(),
                line: b.line,
                what: "certificate request (PKCS#10)",
                detail,
            })?;
            if m.csr.is_none() {
                m.csr = Some(r);
            }
        } else if label == "ENCRYPTED PRIVATE KEY" || (KEY_LABELS.contains(&label) && b.encrypted) {
            encrypted_at.get_or_insert(b.line);
        } else if KEY_LABELS.contains(&label) {
            let k =
                keys::public_of_private(label, &b.der).map_err(|error| MaterialError::BadKey {
                    label: b.label.clone(),
                    line: b.line,
                    error,
                })?;
            m.keys.push(k);
        } else if label != "EC PARAMETERS" {
            others.push(format!("a {label} block"));
        }
    }
    if want == Want::Key
        && m.keys.is_empty()
        && let Some(line) = encrypted_at
    {
        return Err(MaterialError::Encrypted { line });
    }
    let found = found_text(&m, &others, encrypted_at.is_some());
    fits(m, want, &found)
}

fn found_text(m: &Material, others: &[String], encrypted: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !m.certs.is_empty() {
        parts.push("a certificate".into());
    }
    if m.csr.is_some() {
        parts.push("a certificate request".into());
    }
    if !m.keys.is_empty() || encrypted {
        parts.push("a private key".into());
    }
    parts.extend(others.iter().cloned());
    if parts.is_empty() {
        "nothing usable".into()
    } else {
        parts.join(" and ")
    }
}

fn fits(m: Material, want: Want, found: &str) -> Result<Material, MaterialError> {
    let ok = match want {
        Want::Subject => !m.certs.is_empty() || m.csr.is_some(),
        Want::Ca => !m.certs.is_empty() || !m.embedded_ca.is_empty(),
        Want::Key => !m.keys.is_empty(),
    };
    if ok {
        Ok(m)
    } else {
        Err(MaterialError::WrongType {
            found: found.to_string(),
            wanted: want.describe(),
        })
    }
}

fn b64(s: &str) -> Option<Vec<u8>> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean.as_bytes())
        .ok()
}

/// Decode a base64 field holding PEM, naming the field when it is broken.
fn b64_field(value: &str, field: &str) -> Result<String, MaterialError> {
    let bytes = b64(value).ok_or_else(|| {
        MaterialError::Document(format!(
            "{field} is not valid base64 (truncated or corrupted)"
        ))
    })?;
    String::from_utf8(bytes)
        .map_err(|_| MaterialError::Document(format!("{field} does not decode to PEM text")))
}

fn parse_inner(pem_text: &str, want: Want, field: &str) -> Result<Material, MaterialError> {
    read_pem(pem_text, want).map_err(|e| MaterialError::Document(format!("{field}: {e}")))
}

/// A kubeconfig, CSR, Secret or ConfigMap; None when it is none of them.
fn read_document(text: &str, want: Want) -> Result<Option<Material>, MaterialError> {
    let Ok(parsed) = parse_yaml(text, &Limits::default()) else {
        return Ok(None);
    };
    let Some(doc) = parsed.documents.first() else {
        return Ok(None);
    };
    let root = &doc.root;
    let Some(kind) = root.get_str("kind") else {
        return Ok(None);
    };
    let m = match kind {
        "Config" => kubeconfig(root, want)?,
        "CertificateSigningRequest" => {
            let req = root
                .get("spec")
                .and_then(|s| s.get_str("request"))
                .ok_or_else(|| {
                    MaterialError::Document(
                        "the CertificateSigningRequest has no spec.request".into(),
                    )
                })?;
            let pem_text = b64_field(req, "spec.request")?;
            let mut m = parse_inner(&pem_text, Want::Subject, "spec.request")?;
            let name = root
                .get("metadata")
                .and_then(|m| m.get_str("name"))
                .unwrap_or("");
            m.source = Some(format!("CertificateSigningRequest {name}"));
            m
        }
        "Secret" | "ConfigMap" => data_object(root, kind, want)?,
        _ => return Ok(None),
    };
    Ok(Some(m))
}

/// The certificates kubectl would use from a kubeconfig: the current
/// context's cluster CA and user credentials, resolved by the authn
/// engine exactly as kubectl resolves them (a context that names a user
/// the file lacks sends no certificate at all; it does not fall back to
/// another entry).
fn kubeconfig(root: &Node, want: Want) -> Result<Material, MaterialError> {
    let config = crate::engines::authn::kubeconfig::load(&root.to_json())
        .map_err(MaterialError::Document)?;
    let used = config.effective(None);
    let pem_of = |bytes: &[u8], field: &str| {
        String::from_utf8(bytes.to_vec())
            .map_err(|_| MaterialError::Document(format!("{field} does not decode to PEM text")))
    };
    let mut m = Material::default();
    if let Some(c) = used
        .cluster
        .filter(|c| !c.item.certificate_authority_data.is_empty())
    {
        let pem_text = pem_of(
            &c.item.certificate_authority_data,
            "certificate-authority-data",
        )?;
        m.embedded_ca = parse_inner(&pem_text, Want::Ca, "certificate-authority-data")?.certs;
    }
    if want == Want::Ca {
        m.certs = std::mem::take(&mut m.embedded_ca);
        return fits(m, want, "a kubeconfig without certificate-authority-data");
    }
    let Some(user) = used.user else {
        return Err(MaterialError::Document(if used.user_name.is_empty() {
            format!(
                "the current context \"{}\" names no user: kubectl sends no client certificate",
                used.context_name
            )
        } else {
            format!(
                "the current context \"{}\" names user \"{}\", which the kubeconfig does not have: kubectl sends no client certificate",
                used.context_name, used.user_name
            )
        }));
    };
    let auth = &user.item;
    if !auth.client_certificate_data.is_empty() {
        let pem_text = pem_of(&auth.client_certificate_data, "client-certificate-data")?;
        m.certs = parse_inner(&pem_text, Want::Subject, "client-certificate-data")?.certs;
    } else if !auth.client_certificate.is_empty() {
        return Err(MaterialError::Document(format!(
            "the kubeconfig's user refers to the file {} (client-certificate); check that file instead",
            auth.client_certificate
        )));
    }
    if !auth.client_key_data.is_empty() {
        let pem_text = pem_of(&auth.client_key_data, "client-key-data")?;
        m.keys = read_pem(&pem_text, Want::Key)
            .map_err(|e| MaterialError::Document(format!("client-key-data: {e}")))?
            .keys;
    }
    m.source = Some(format!("kubeconfig user \"{}\"", user.name));
    fits(m, want, "a kubeconfig without client-certificate-data")
}

fn data_object(root: &Node, kind: &str, want: Want) -> Result<Material, MaterialError> {
    let get = |key: &str| -> Result<Option<String>, MaterialError> {
        if let Some(v) = root.get("data").and_then(|d| d.get_str(key)) {
            if kind == "Secret" {
                return b64_field(v, &format!("data[{key}]")).map(Some);
            }
            return Ok(Some(v.to_string()));
        }
        Ok(root
            .get("stringData")
            .and_then(|d| d.get_str(key))
            .map(str::to_string))
    };
    let mut m = Material::default();
    let cert_key = if kind == "Secret" {
        "tls.crt"
    } else {
        "ca.crt"
    };
    if let Some(t) = get(cert_key)? {
        m.certs = parse_inner(&t, Want::Ca, cert_key)?.certs;
    }
    if kind == "Secret" {
        if let Some(t) = get("tls.key")? {
            m.keys = read_pem(&t, Want::Key)
                .map_err(|e| MaterialError::Document(format!("tls.key: {e}")))?
                .keys;
        }
        if let Some(t) = get("ca.crt")? {
            m.embedded_ca = parse_inner(&t, Want::Ca, "ca.crt")?.certs;
        }
    }
    let name = root
        .get("metadata")
        .and_then(|m| m.get_str("name"))
        .unwrap_or("");
    m.source = Some(format!("{kind} {name}"));
    fits(m, want, &format!("a {kind} without {cert_key}"))
}
