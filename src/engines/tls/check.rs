//! The checks and the report: chain (signature up to a given CA), ca (the
//! issuers are fit to issue: CA flag, keyCertSign, in their own validity
//! window — Go's `isValid` for parents), validity, eku (for the role, and
//! as restricted by the chain, Go's `checkChainForKeyUsage`), san (as Go
//! clients match names: never the CN), key_match, and the identity the API
//! server's x509 authenticator derives (upstream:
//! staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go
//! CommonNameUserConversion: user = CN, groups = O; an empty CN does not
//! authenticate).

use super::Role;
use super::cert::{CertInfo, Eku, Name, Sans};
use super::keys::PublicKey;
use super::material::Material;
use super::names::{KUBEADM_APISERVER_SANS, covers};
use super::timefmt::{rfc3339, short_duration};
use serde::Serialize;

/// The name of a check, as `failed_checks` lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckName {
    Chain,
    Validity,
    Eku,
    San,
    KeyMatch,
    Ca,
    Identity,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub check: CheckName,
    pub passed: bool,
    pub message: String,
}

/// Who the API server says the holder of a client certificate is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub user: String,
    pub groups: Vec<String>,
}

impl Identity {
    fn of(name: &Name) -> Identity {
        Identity {
            user: name.common_name.clone().unwrap_or_default(),
            groups: name.organizations.clone(),
        }
    }

    pub fn is_cluster_admin(&self) -> bool {
        self.groups.iter().any(|g| g == "system:masters")
    }
}

/// A CA certificate the subject chains through, leaf's issuer first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChainEntry {
    pub subject: String,
    pub common_name: Option<String>,
    pub not_after: String,
    #[serde(skip)]
    pub not_after_ts: i64,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub role: Option<Role>,
    /// Names clients will connect to (host names or IPs).
    pub sans: Vec<String>,
    /// Unix seconds.
    pub now: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub ok: bool,
    pub failed_checks: Vec<CheckName>,
    pub missing_sans: Vec<String>,
    pub identity: Identity,
    pub subject: String,
    pub issuer: Option<String>,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub sans: Vec<String>,
    pub findings: Vec<Finding>,
    /// `certificate` or `certificate request`.
    pub kind: &'static str,
    pub role: Option<Role>,
    pub source: Option<String>,
    pub key: String,
    pub extended_key_usage: Option<Vec<&'static str>>,
    pub is_ca: bool,
    pub chain: Vec<ChainEntry>,
    #[serde(skip)]
    pub not_after_ts: Option<i64>,
}

struct Acc {
    findings: Vec<Finding>,
}

impl Acc {
    fn add(&mut self, check: CheckName, passed: bool, message: String) {
        self.findings.push(Finding {
            check,
            passed,
            message,
        });
    }
}

fn left(now: i64, until: i64) -> String {
    short_duration(until - now)
}

/// Check `subject` (its first certificate, else its request) against the
/// CA certificates in `ca` (else those that came with the subject) and the
/// key in `key` (else one that came with the subject).
pub fn check(
    subject: &Material,
    ca: Option<&Material>,
    key: Option<&Material>,
    opts: &Options,
) -> Report {
    let anchors: Vec<&CertInfo> = match ca {
        Some(m) => m.certs.iter().chain(&m.embedded_ca).collect(),
        None => subject.embedded_ca.iter().collect(),
    };
    let keys: &[PublicKey] = match key {
        Some(k) => &k.keys,
        None => &subject.keys,
    };
    let mut acc = Acc {
        findings: Vec::new(),
    };
    let mut missing_sans = Vec::new();
    let mut report = match (subject.certs.first(), &subject.csr) {
        (Some(leaf), _) => {
            let intermediates: Vec<&CertInfo> = subject.certs.iter().skip(1).collect();
            let chain = check_cert(leaf, &intermediates, &anchors, opts, &mut acc);
            check_sans(
                &leaf.sans,
                leaf.subject.common_name.as_deref(),
                opts,
                &mut acc,
                &mut missing_sans,
            );
            check_key(&leaf.public_key, keys, "certificate", &mut acc);
            base_report(
                "certificate",
                &leaf.subject,
                &leaf.sans,
                &leaf.public_key,
                leaf.eku.as_ref(),
            )
            .with_cert(leaf, chain)
        }
        (None, Some(csr)) => {
            acc.add(
                CheckName::Chain,
                csr.signature_ok,
                if csr.signature_ok {
                    "the request is signed by the key it carries (proof of possession)".into()
                } else {
                    "the request's signature does not verify with its own public key: it was altered or corrupted".into()
                },
            );
            if let (Some(role), Some(eku)) = (opts.role, &csr.eku) {
                check_eku_of(role, eku, "the request asks for", &mut acc);
            }
            check_sans(
                &csr.sans,
                csr.subject.common_name.as_deref(),
                opts,
                &mut acc,
                &mut missing_sans,
            );
            check_key(&csr.public_key, keys, "request", &mut acc);
            base_report(
                "certificate request",
                &csr.subject,
                &csr.sans,
                &csr.public_key,
                csr.eku.as_ref(),
            )
        }
        (None, None) => base_report(
            "certificate",
            &Name {
                text: String::new(),
                common_name: None,
                organizations: Vec::new(),
                raw: Vec::new(),
            },
            &Sans::default(),
            &PublicKey::Other(String::new()),
            None,
        ),
    };
    check_identity(&report.identity, opts.role, &mut acc);
    let mut failed: Vec<CheckName> = acc
        .findings
        .iter()
        .filter(|f| !f.passed)
        .map(|f| f.check)
        .collect();
    failed.sort();
    failed.dedup();
    report.ok = failed.is_empty();
    report.failed_checks = failed;
    report.missing_sans = missing_sans;
    report.findings = acc.findings;
    report.role = opts.role;
    report.source = subject.source.clone();
    report
}

fn base_report(
    kind: &'static str,
    subject: &Name,
    sans: &Sans,
    key: &PublicKey,
    eku: Option<&Eku>,
) -> Report {
    Report {
        ok: true,
        failed_checks: Vec::new(),
        missing_sans: Vec::new(),
        identity: Identity::of(subject),
        subject: subject.text.clone(),
        issuer: None,
        not_before: None,
        not_after: None,
        sans: sans.all(),
        findings: Vec::new(),
        kind,
        role: None,
        source: None,
        key: key.describe(),
        extended_key_usage: eku.map(Eku::names),
        is_ca: false,
        chain: Vec::new(),
        not_after_ts: None,
    }
}

impl Report {
    fn with_cert(mut self, leaf: &CertInfo, chain: Vec<ChainEntry>) -> Report {
        self.issuer = Some(leaf.issuer.text.clone());
        self.not_before = Some(rfc3339(leaf.not_before));
        self.not_after = Some(rfc3339(leaf.not_after));
        self.not_after_ts = Some(leaf.not_after);
        self.is_ca = leaf.is_ca == Some(true);
        self.chain = chain;
        self
    }
}

fn entry(c: &CertInfo) -> ChainEntry {
    ChainEntry {
        subject: c.subject.text.clone(),
        common_name: c.subject.common_name.clone(),
        not_after: rfc3339(c.not_after),
        not_after_ts: c.not_after,
    }
}

/// Validity, chain, ca and eku for a certificate; returns the issuers it
/// chains through.
fn check_cert(
    leaf: &CertInfo,
    intermediates: &[&CertInfo],
    anchors: &[&CertInfo],
    opts: &Options,
    acc: &mut Acc,
) -> Vec<ChainEntry> {
    let now = opts.now;
    if now < leaf.not_before {
        acc.add(
            CheckName::Validity,
            false,
            format!(
                "not valid yet: valid from {} (in {})",
                rfc3339(leaf.not_before),
                left(now, leaf.not_before)
            ),
        );
    } else if now > leaf.not_after {
        acc.add(
            CheckName::Validity,
            false,
            format!(
                "expired on {} ({} ago); kubeadm renews with `kubeadm certs renew`",
                rfc3339(leaf.not_after),
                short_duration(now - leaf.not_after)
            ),
        );
    } else {
        acc.add(
            CheckName::Validity,
            true,
            format!(
                "valid from {} until {} ({} left)",
                rfc3339(leaf.not_before),
                rfc3339(leaf.not_after),
                left(now, leaf.not_after)
            ),
        );
    }

    let mut path: Vec<&CertInfo> = Vec::new();
    if anchors.is_empty() {
        if opts.role == Some(Role::Ca) {
            let self_signed = leaf.self_issued && leaf.signed_by(leaf);
            acc.add(
                CheckName::Chain,
                self_signed,
                if self_signed {
                    "self-signed: its signature verifies with its own key, as a cluster root CA's does".into()
                } else {
                    format!(
                        "a kubeadm cluster CA is self-signed, but this one is issued by \"{}\"; give that CA with --ca",
                        leaf.issuer.text
                    )
                },
            );
        }
    } else if anchors.iter().any(|a| a.der == leaf.der) {
        acc.add(
            CheckName::Chain,
            true,
            "is itself one of the given CA certificates".into(),
        );
    } else {
        match build_chain(leaf, intermediates, anchors, 0) {
            Ok(p) => {
                let names: Vec<String> = p
                    .iter()
                    .map(|c| format!("\"{}\"", c.subject.text))
                    .collect();
                acc.add(
                    CheckName::Chain,
                    true,
                    format!("signed by {}", names.join(", which is signed by ")),
                );
                path = p;
            }
            Err(e) => acc.add(CheckName::Chain, false, e.message(leaf, anchors)),
        }
    }

    // The issuers must be fit to issue (Go's isValid for parents).
    for issuer in &path {
        let mut problems = Vec::new();
        if issuer.is_ca != Some(true) {
            problems.push("it is not a CA (basicConstraints CA:TRUE is missing)".to_string());
        }
        if issuer.key_cert_sign == Some(false) {
            problems.push("its keyUsage lacks keyCertSign".to_string());
        }
        if now > issuer.not_after {
            problems.push(format!("it expired on {}", rfc3339(issuer.not_after)));
        } else if now < issuer.not_before {
            problems.push(format!(
                "it is not valid before {}",
                rfc3339(issuer.not_before)
            ));
        }
        if problems.is_empty() {
            acc.add(
                CheckName::Ca,
                true,
                format!(
                    "\"{}\" may issue certificates (CA:TRUE, keyCertSign, valid until {})",
                    issuer.subject.text,
                    rfc3339(issuer.not_after)
                ),
            );
        } else {
            acc.add(
                CheckName::Ca,
                false,
                format!(
                    "\"{}\" cannot vouch for this certificate: {}",
                    issuer.subject.text,
                    problems.join("; ")
                ),
            );
        }
    }
    if opts.role == Some(Role::Ca) {
        let mut problems = Vec::new();
        if leaf.is_ca != Some(true) {
            problems.push("basicConstraints CA:TRUE is missing");
        }
        if leaf.key_cert_sign == Some(false) {
            problems.push("keyUsage lacks keyCertSign");
        }
        acc.add(
            CheckName::Ca,
            problems.is_empty(),
            if problems.is_empty() {
                "is a CA: basicConstraints CA:TRUE and allowed to sign certificates".into()
            } else {
                format!("cannot act as a CA: {}", problems.join("; "))
            },
        );
    }

    if let Some(role) = opts.role.filter(|r| *r != Role::Ca) {
        match &leaf.eku {
            None => acc.add(
                CheckName::Eku,
                true,
                "has no extended key usage extension, so any use is allowed".into(),
            ),
            Some(eku) => check_eku_of(role, eku, "is for", acc),
        }
        for issuer in &path {
            if let Some(eku) = &issuer.eku
                && !eku_allows(role, eku)
            {
                acc.add(
                    CheckName::Eku,
                    false,
                    format!(
                        "the CA \"{}\" limits what it vouches for to {}, which excludes {}",
                        issuer.subject.text,
                        eku_list(eku),
                        needed(role)
                    ),
                );
            }
        }
    }
    path.into_iter().map(entry).collect()
}

fn needed(role: Role) -> &'static str {
    if role.needs_server_auth() {
        "serverAuth"
    } else {
        "clientAuth"
    }
}

fn eku_allows(role: Role, eku: &Eku) -> bool {
    eku.any
        || (role.needs_server_auth() && eku.server_auth)
        || (role.needs_client_auth() && eku.client_auth)
}

fn eku_list(eku: &Eku) -> String {
    let n = eku.names();
    if n.is_empty() {
        "other purposes (neither serverAuth nor clientAuth)".into()
    } else {
        n.join(", ")
    }
}

fn check_eku_of(role: Role, eku: &Eku, verb: &str, acc: &mut Acc) {
    if eku_allows(role, eku) {
        acc.add(
            CheckName::Eku,
            true,
            format!(
                "{verb} {} as a {} certificate needs",
                eku_list(eku),
                role.as_str()
            ),
        );
        return;
    }
    let why = if role.needs_server_auth() {
        "a serving certificate needs serverAuth: TLS clients (kubectl, kubelet) reject it with \"x509: certificate specifies an incompatible key usage\""
    } else {
        // upstream: apiserver/pkg/authentication/request/x509/x509.go: a
        // chain that fails Verify (KeyUsages clientAuth) is an error, and
        // the authenticator chain fails on error before anonymous is tried
        // (pkg/kubeapiserver/authenticator/config.go union.NewFailOnError).
        "a client certificate needs clientAuth: the API server's x509 authenticator fails verification and answers 401 Unauthorized (the request is not treated as anonymous)"
    };
    acc.add(
        CheckName::Eku,
        false,
        format!("{verb} {} only; {why}", eku_list(eku)),
    );
}

fn check_sans(
    sans: &Sans,
    cn: Option<&str>,
    opts: &Options,
    acc: &mut Acc,
    missing: &mut Vec<String>,
) {
    let serving = matches!(opts.role, Some(Role::Apiserver | Role::Server));
    let mut required: Vec<String> = Vec::new();
    if opts.role == Some(Role::Apiserver) {
        required.extend(KUBEADM_APISERVER_SANS.iter().map(|s| s.to_string()));
    }
    for s in &opts.sans {
        if !required.contains(s) {
            required.push(s.clone());
        }
    }
    if required.is_empty() && !serving {
        return;
    }
    if serving && sans.dns.is_empty() && sans.ips.is_empty() {
        let cn_note = cn
            .map(|c| format!(" (its CN \"{c}\" does not count: Go clients ignore the CN)"))
            .unwrap_or_default();
        acc.add(
            CheckName::San,
            false,
            format!("has no DNS or IP SANs{cn_note}; clients fail with \"x509: certificate relies on legacy Common Name field\""),
        );
    }
    missing.extend(required.iter().filter(|n| !covers(sans, n)).cloned());
    if required.is_empty() {
        return;
    }
    if missing.is_empty() {
        acc.add(
            CheckName::San,
            true,
            format!("covers {}", required.join(", ")),
        );
    } else {
        let in_cn = cn.filter(|c| missing.iter().any(|m| m.eq_ignore_ascii_case(c)));
        let cn_note = in_cn
            .map(|c| format!("; \"{c}\" is only the CN, which Go clients ignore"))
            .unwrap_or_default();
        acc.add(
            CheckName::San,
            false,
            format!(
                "lacks the SAN{} {}: clients connecting by {} get \"x509: certificate is valid for ..., not ...\"{cn_note}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                if missing.len() == 1 { "that name" } else { "those names" }
            ),
        );
    }
}

fn check_key(public: &PublicKey, keys: &[PublicKey], what: &str, acc: &mut Acc) {
    if keys.is_empty() {
        return;
    }
    if keys.iter().any(|k| k == public) {
        acc.add(
            CheckName::KeyMatch,
            true,
            format!(
                "the private key belongs to this {what} ({})",
                public.describe()
            ),
        );
    } else {
        acc.add(
            CheckName::KeyMatch,
            false,
            format!(
                "the private key ({}) does not belong to this {what} ({}): TLS fails with \"tls: private key does not match public key\"",
                keys[0].describe(),
                public.describe()
            ),
        );
    }
}

fn check_identity(id: &Identity, role: Option<Role>, acc: &mut Acc) {
    let client = matches!(role, Some(Role::Client | Role::KubeletClient));
    if id.user.is_empty() {
        if client {
            acc.add(
                CheckName::Identity,
                false,
                "has no CN, so the API server's x509 authenticator does not authenticate it: requests are anonymous".into(),
            );
        }
        return;
    }
    let groups = if id.groups.is_empty() {
        "no groups (no O in the subject)".to_string()
    } else {
        format!(
            "group{} {}",
            if id.groups.len() == 1 { "" } else { "s" },
            id.groups
                .iter()
                .map(|g| format!("\"{g}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut msg = format!(
        "as a client certificate it authenticates as user \"{}\" with {groups}, plus system:authenticated",
        id.user
    );
    if id.is_cluster_admin() {
        msg.push_str("; system:masters is cluster-admin that bypasses RBAC entirely and cannot be revoked short of replacing the CA");
    }
    acc.add(CheckName::Identity, true, msg);
}

/// Why no chain was found.
enum ChainError {
    /// No given certificate is named as the issuer.
    NoIssuer,
    /// A certificate with the issuer's name exists, but its key did not
    /// sign this one.
    WrongKey,
}

impl ChainError {
    fn message(&self, leaf: &CertInfo, anchors: &[&CertInfo]) -> String {
        match self {
            ChainError::NoIssuer => {
                let given: Vec<String> = anchors
                    .iter()
                    .map(|a| format!("\"{}\"", a.subject.text))
                    .collect();
                format!(
                    "issued by \"{}\", but the given CA is {}: it does not chain to it, and the API server (or client) rejects it with \"x509: certificate signed by unknown authority\"",
                    leaf.issuer.text,
                    given.join(", ")
                )
            }
            ChainError::WrongKey => format!(
                "names \"{}\" as its issuer, but the signature does not verify with that CA's key: another CA with the same name signed it (a cluster CA re-created by a new `kubeadm init`?)",
                leaf.issuer.text
            ),
        }
    }
}

/// Issuers from `cur` up to an anchor: `cur`'s issuer first.
fn build_chain<'a>(
    cur: &CertInfo,
    intermediates: &[&'a CertInfo],
    anchors: &[&'a CertInfo],
    depth: usize,
) -> Result<Vec<&'a CertInfo>, ChainError> {
    let mut err = ChainError::NoIssuer;
    let named = |c: &&&'a CertInfo| c.subject.raw == cur.issuer.raw && c.der != cur.der;
    for a in anchors.iter().filter(named) {
        if cur.signed_by(a) {
            return Ok(vec![*a]);
        }
        err = ChainError::WrongKey;
    }
    if depth < 8 {
        for i in intermediates.iter().filter(named) {
            if !cur.signed_by(i) {
                err = ChainError::WrongKey;
                continue;
            }
            match build_chain(i, intermediates, anchors, depth + 1) {
                Ok(mut rest) => {
                    rest.insert(0, *i);
                    return Ok(rest);
                }
                Err(e) => err = e,
            }
        }
    }
    Err(err)
}
