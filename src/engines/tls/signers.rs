//! What the control plane does with a CertificateSigningRequest after it is
//! written: the `CertificateSubjectRestriction` admission plugin, which
//! refuses to create some requests at all, and the built-in signers of
//! kube-controller-manager, which mark an approved request `Failed` instead
//! of issuing it when the request does not fit the signer.
//!
//! upstream:
//! - plugin/pkg/admission/certificates/subjectrestriction/admission.go
//! - pkg/controller/certificates/signer/signer.go (`handle`,
//!   `getCSRVerificationFuncForSignerName`, `validAPIServerClientUsages`)
//! - pkg/apis/certificates/helpers.go (`ParseCSR`,
//!   `ValidateKubeletServingCSR`, `ValidateKubeletClientCSR`)

use super::cert::CsrInfo;
use super::pem;

pub const KUBE_APISERVER_CLIENT: &str = "kubernetes.io/kube-apiserver-client";
pub const KUBE_APISERVER_CLIENT_KUBELET: &str = "kubernetes.io/kube-apiserver-client-kubelet";
pub const KUBELET_SERVING: &str = "kubernetes.io/kubelet-serving";
pub const LEGACY_UNKNOWN: &str = "kubernetes.io/legacy-unknown";

/// `ParseCSR`: the first PEM block must be a `CERTIFICATE REQUEST` (not
/// `NEW CERTIFICATE REQUEST`, not DER) holding a PKCS#10 request. Errors
/// use upstream's wording.
pub fn parse_csr(request: &[u8]) -> Result<CsrInfo, String> {
    const WRONG_TYPE: &str = "PEM block type must be CERTIFICATE REQUEST";
    let text = std::str::from_utf8(request).map_err(|_| WRONG_TYPE.to_string())?;
    // Go's pem.Decode returns the first well-formed block; a broken block
    // is no block at all.
    let block = pem::parse(text)
        .ok()
        .and_then(|b| b.into_iter().next())
        .ok_or_else(|| WRONG_TYPE.to_string())?;
    if block.label != "CERTIFICATE REQUEST" {
        return Err(WRONG_TYPE.into());
    }
    CsrInfo::parse(&block.der).map_err(|e| format!("x509: malformed certificate request: {e}"))
}

/// The `CertificateSubjectRestriction` admission plugin, on by default: a
/// request for the `kube-apiserver-client` signer may not ask for the
/// group `system:masters`. `Err` is the message `kubectl` prints.
pub fn subject_restriction(name: &str, signer_name: &str, request: &[u8]) -> Result<(), String> {
    if signer_name != KUBE_APISERVER_CLIENT {
        return Ok(());
    }
    let forbidden = |why: String| {
        format!("certificatesigningrequests.certificates.k8s.io \"{name}\" is forbidden: {why}")
    };
    let csr = parse_csr(request).map_err(|e| forbidden(format!("failed to parse CSR: {e}")))?;
    if csr
        .subject
        .organizations
        .iter()
        .any(|o| o == "system:masters")
    {
        return Err(forbidden(format!(
            "use of {KUBE_APISERVER_CLIENT} signer with system:masters group is not allowed"
        )));
    }
    Ok(())
}

/// What a built-in signer does with an approved request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerVerdict {
    /// It issues the certificate.
    Issues,
    /// It adds the condition `Failed` (reason `SignerValidationFailure`)
    /// with this message, and issues nothing.
    Fails(String),
    /// No signer in kube-controller-manager serves this name: an external
    /// signer must, or the approved request waits forever.
    NotBuiltIn,
}

/// The built-in signer's verdict on `csr` asked for with `usages`
/// (`spec.usages`, as written).
pub fn built_in_signer(signer_name: &str, csr: &CsrInfo, usages: &[String]) -> SignerVerdict {
    let verdict = match signer_name {
        KUBELET_SERVING => validate_kubelet_serving(csr, usages),
        KUBE_APISERVER_CLIENT_KUBELET => validate_kubelet_client(csr, usages),
        KUBE_APISERVER_CLIENT => valid_apiserver_client_usages(usages),
        // No restrictions, kept for backward compatibility.
        LEGACY_UNKNOWN => Ok(()),
        _ => return SignerVerdict::NotBuiltIn,
    };
    match verdict {
        Ok(()) => SignerVerdict::Issues,
        Err(e) => SignerVerdict::Fails(e),
    }
}

fn valid_apiserver_client_usages(usages: &[String]) -> Result<(), String> {
    let mut client_auth = false;
    for u in usages {
        match u.as_str() {
            "digital signature" | "key encipherment" => {}
            "client auth" => client_auth = true,
            other => return Err(format!("invalid usage for client certificate: {other}")),
        }
    }
    if client_auth {
        Ok(())
    } else {
        Err("missing required usage for client certificate: client auth".into())
    }
}

/// Usages as a set, compared with one of the allowed sets.
fn usages_equal(usages: &[String], allowed: &[&str]) -> bool {
    let mut have: Vec<&str> = usages.iter().map(String::as_str).collect();
    have.sort_unstable();
    have.dedup();
    let mut want = allowed.to_vec();
    want.sort_unstable();
    have == want
}

const NOT_SYSTEM_NODES: &str = "subject organization is not system:nodes";
const CN_NOT_NODE: &str = "subject common name does not begin with system:node:";

fn only_system_nodes(csr: &CsrInfo) -> bool {
    csr.subject.organizations.len() == 1 && csr.subject.organizations[0] == "system:nodes"
}

fn node_cn(csr: &CsrInfo) -> bool {
    csr.subject
        .common_name
        .as_deref()
        .is_some_and(|cn| cn.starts_with("system:node:"))
}

fn validate_kubelet_serving(csr: &CsrInfo, usages: &[String]) -> Result<(), String> {
    if !only_system_nodes(csr) {
        return Err(NOT_SYSTEM_NODES.into());
    }
    if csr.sans.dns.is_empty() && csr.sans.ips.is_empty() {
        return Err("DNS or IP subjectAltName is required".into());
    }
    if !csr.sans.emails.is_empty() {
        return Err("Email subjectAltNames are not allowed".into());
    }
    if !csr.sans.uris.is_empty() {
        return Err("URI subjectAltNames are not allowed".into());
    }
    if !usages_equal(
        usages,
        &["digital signature", "key encipherment", "server auth"],
    ) && !usages_equal(usages, &["digital signature", "server auth"])
    {
        return Err("usages did not match [digital signature key encipherment server auth]".into());
    }
    if !node_cn(csr) {
        return Err(CN_NOT_NODE.into());
    }
    Ok(())
}

fn validate_kubelet_client(csr: &CsrInfo, usages: &[String]) -> Result<(), String> {
    if !only_system_nodes(csr) {
        return Err(NOT_SYSTEM_NODES.into());
    }
    if !csr.sans.dns.is_empty() {
        return Err("DNS subjectAltNames are not allowed".into());
    }
    if !csr.sans.emails.is_empty() {
        return Err("Email subjectAltNames are not allowed".into());
    }
    if !csr.sans.ips.is_empty() {
        return Err("IP subjectAltNames are not allowed".into());
    }
    if !csr.sans.uris.is_empty() {
        return Err("URI subjectAltNames are not allowed".into());
    }
    if !node_cn(csr) {
        return Err(CN_NOT_NODE.into());
    }
    if !usages_equal(
        usages,
        &["digital signature", "key encipherment", "client auth"],
    ) && !usages_equal(usages, &["digital signature", "client auth"])
    {
        return Err("usages did not match [client auth digital signature key encipherment]".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{CertificateParams, DnType, KeyPair, SanType};

    struct Opts<'a> {
        cn: &'a str,
        orgs: &'a [&'a str],
        dns: &'a [&'a str],
        ips: &'a [&'a str],
        emails: &'a [&'a str],
        uris: &'a [&'a str],
    }

    const KUBELET_CLIENT: Opts<'static> = Opts {
        cn: "system:node:nodename",
        orgs: &["system:nodes"],
        dns: &[],
        ips: &[],
        emails: &[],
        uris: &[],
    };

    const KUBELET_SERVER: Opts<'static> = Opts {
        cn: "system:node:requester-name",
        orgs: &["system:nodes"],
        dns: &["node-server-name"],
        ips: &["0.0.0.0"],
        emails: &[],
        uris: &[],
    };

    fn csr_pem(o: &Opts) -> String {
        let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
        if !o.cn.is_empty() {
            p.distinguished_name.push(DnType::CommonName, o.cn);
        }
        for org in o.orgs {
            p.distinguished_name.push(DnType::OrganizationName, *org);
        }
        for d in o.dns {
            p.subject_alt_names
                .push(SanType::DnsName((*d).try_into().expect("dns")));
        }
        for i in o.ips {
            p.subject_alt_names
                .push(SanType::IpAddress(i.parse().expect("ip")));
        }
        for e in o.emails {
            p.subject_alt_names
                .push(SanType::Rfc822Name((*e).try_into().expect("email")));
        }
        for u in o.uris {
            p.subject_alt_names
                .push(SanType::URI((*u).try_into().expect("uri")));
        }
        let key = KeyPair::generate().expect("key");
        p.serialize_request(&key).expect("csr").pem().expect("pem")
    }

    fn csr(o: &Opts) -> CsrInfo {
        parse_csr(csr_pem(o).as_bytes()).expect("parses")
    }

    fn u(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    const CLIENT_USAGES: &[&str] = &["digital signature", "key encipherment", "client auth"];
    const CLIENT_USAGES_NO_RSA: &[&str] = &["digital signature", "client auth"];
    const SERVER_USAGES: &[&str] = &["digital signature", "key encipherment", "server auth"];
    const SERVER_USAGES_NO_RSA: &[&str] = &["digital signature", "server auth"];

    fn issues(signer: &str, o: &Opts, usages: &[&str]) -> bool {
        built_in_signer(signer, &csr(o), &u(usages)) == SignerVerdict::Issues
    }

    // upstream: pkg/apis/certificates/v1beta1/helpers_test.go TestIsKubeletClientCSR
    #[test]
    fn kubelet_client_requests_like_upstream() {
        let s = KUBE_APISERVER_CLIENT_KUBELET;
        assert!(issues(s, &KUBELET_CLIENT, CLIENT_USAGES), "defaults");
        assert!(
            issues(s, &KUBELET_CLIENT, CLIENT_USAGES_NO_RSA),
            "without key encipherment"
        );
        let o = |f: fn(&mut Opts<'static>)| {
            let mut x = Opts { ..KUBELET_CLIENT };
            f(&mut x);
            x
        };
        assert!(!issues(
            s,
            &o(|x| x.orgs = &["not-system:nodes"]),
            CLIENT_USAGES
        ));
        assert!(!issues(s, &o(|x| x.dns = &["something"]), CLIENT_USAGES));
        assert!(!issues(
            s,
            &o(|x| x.emails = &["something@example.com"]),
            CLIENT_USAGES
        ));
        assert!(!issues(
            s,
            &o(|x| x.uris = &["http://something"]),
            CLIENT_USAGES
        ));
        assert!(!issues(s, &o(|x| x.ips = &["0.0.0.0"]), CLIENT_USAGES));
        assert!(!issues(s, &o(|x| x.cn = "not-prefixed"), CLIENT_USAGES));
        assert!(!issues(
            s,
            &KUBELET_CLIENT,
            &[
                "digital signature",
                "key encipherment",
                "client auth",
                "server auth"
            ]
        ));
        assert!(
            !issues(s, &KUBELET_CLIENT, &CLIENT_USAGES[1..]),
            "missing usage"
        );
        assert!(
            !issues(s, &KUBELET_CLIENT, &CLIENT_USAGES_NO_RSA[1..]),
            "missing usage without key encipherment"
        );
    }

    // upstream: pkg/apis/certificates/v1beta1/helpers_test.go TestIsKubeletServingCSR
    #[test]
    fn kubelet_serving_requests_like_upstream() {
        let s = KUBELET_SERVING;
        assert!(issues(s, &KUBELET_SERVER, SERVER_USAGES), "defaults");
        assert!(
            issues(s, &KUBELET_SERVER, SERVER_USAGES_NO_RSA),
            "without key encipherment"
        );
        let o = |f: fn(&mut Opts<'static>)| {
            let mut x = Opts { ..KUBELET_SERVER };
            f(&mut x);
            x
        };
        assert!(!issues(
            s,
            &o(|x| x.orgs = &["not-system:nodes"]),
            SERVER_USAGES
        ));
        assert!(!issues(s, &o(|x| x.cn = "notprefixed"), SERVER_USAGES));
        assert!(!issues(
            s,
            &KUBELET_SERVER,
            &[
                "digital signature",
                "key encipherment",
                "server auth",
                "client auth"
            ]
        ));
        assert!(!issues(s, &KUBELET_SERVER, &SERVER_USAGES[1..]));
        assert!(!issues(
            s,
            &o(|x| {
                x.dns = &[];
                x.ips = &[];
            }),
            &SERVER_USAGES[1..]
        ));
        assert!(!issues(
            s,
            &o(|x| x.uris = &["http://something"]),
            SERVER_USAGES
        ));
        assert!(!issues(
            s,
            &o(|x| x.emails = &["something@example.com"]),
            SERVER_USAGES
        ));
    }

    // upstream: pkg/controller/certificates/signer/signer_test.go TestHandle
    #[test]
    fn handle_cases_like_upstream() {
        let hello = Opts {
            cn: "hello-world",
            orgs: &["some-org"],
            ..KUBELET_CLIENT
        };
        // "should sign if signerName is kubernetes.io/kube-apiserver-client"
        assert!(issues(
            KUBE_APISERVER_CLIENT,
            &hello,
            &["client auth", "digital signature", "key encipherment"]
        ));
        // "... and contains an unexpected usage": Failed condition
        assert_eq!(
            built_in_signer(
                KUBE_APISERVER_CLIENT,
                &csr(&hello),
                &u(&[
                    "server auth",
                    "client auth",
                    "digital signature",
                    "key encipherment"
                ])
            ),
            SignerVerdict::Fails("invalid usage for client certificate: server auth".into())
        );
        // "should sign if signerName is kubernetes.io/kube-apiserver-client-kubelet"
        let node = Opts {
            cn: "system:node:hello-world",
            ..KUBELET_CLIENT
        };
        assert!(issues(
            KUBE_APISERVER_CLIENT_KUBELET,
            &node,
            &["client auth", "digital signature", "key encipherment"]
        ));
        // "should sign if signerName is kubernetes.io/legacy-unknown"
        assert!(issues(LEGACY_UNKNOWN, &hello, &[]));
        // "should sign if signerName is kubernetes.io/kubelet-serving"
        let serving = Opts {
            cn: "system:node:testnode",
            orgs: &["system:nodes"],
            dns: &["example.com"],
            ..KUBELET_CLIENT
        };
        assert!(issues(
            KUBELET_SERVING,
            &serving,
            &["server auth", "digital signature", "key encipherment"]
        ));
        // unrecognised signer names: no built-in signer
        for s in ["kubernetes.io/not-a-real-signer", "example.com/sample-name"] {
            assert_eq!(
                built_in_signer(s, &csr(&hello), &u(&["client auth"])),
                SignerVerdict::NotBuiltIn
            );
        }
    }

    #[test]
    fn signer_messages_use_upstream_wording() {
        let jane = Opts {
            cn: "jane",
            orgs: &["dev"],
            ..KUBELET_CLIENT
        };
        assert_eq!(
            built_in_signer(
                KUBE_APISERVER_CLIENT,
                &csr(&jane),
                &u(&["digital signature"])
            ),
            SignerVerdict::Fails(
                "missing required usage for client certificate: client auth".into()
            )
        );
        assert_eq!(
            built_in_signer(
                KUBE_APISERVER_CLIENT_KUBELET,
                &csr(&jane),
                &u(CLIENT_USAGES)
            ),
            SignerVerdict::Fails("subject organization is not system:nodes".into())
        );
        let two_orgs = Opts {
            orgs: &["system:nodes", "extra"],
            ..KUBELET_CLIENT
        };
        assert_eq!(
            built_in_signer(
                KUBE_APISERVER_CLIENT_KUBELET,
                &csr(&two_orgs),
                &u(CLIENT_USAGES)
            ),
            SignerVerdict::Fails("subject organization is not system:nodes".into())
        );
        assert_eq!(
            built_in_signer(
                KUBE_APISERVER_CLIENT_KUBELET,
                &csr(&KUBELET_CLIENT),
                &u(&["client auth"])
            ),
            SignerVerdict::Fails(
                "usages did not match [client auth digital signature key encipherment]".into()
            )
        );
        assert_eq!(
            built_in_signer(KUBELET_SERVING, &csr(&KUBELET_CLIENT), &u(SERVER_USAGES)),
            SignerVerdict::Fails("DNS or IP subjectAltName is required".into())
        );
    }

    // upstream: plugin/pkg/admission/certificates/subjectrestriction/admission_test.go TestPlugin_Validate
    #[test]
    fn subject_restriction_like_upstream() {
        let masters = csr_pem(&Opts {
            cn: "",
            orgs: &["system:masters"],
            ..KUBELET_CLIENT
        });
        let admin = csr_pem(&Opts {
            cn: "",
            orgs: &["system:admin"],
            ..KUBELET_CLIENT
        });
        // "some other signer"
        assert_eq!(
            subject_restriction("x", KUBE_APISERVER_CLIENT_KUBELET, masters.as_bytes()),
            Ok(())
        );
        // "invalid request"
        assert_eq!(
            subject_restriction("bear", KUBE_APISERVER_CLIENT, b"this is not a CSR"),
            Err("certificatesigningrequests.certificates.k8s.io \"bear\" is forbidden: failed to parse CSR: PEM block type must be CERTIFICATE REQUEST".into())
        );
        // "some other group"
        assert_eq!(
            subject_restriction("x", KUBE_APISERVER_CLIENT, admin.as_bytes()),
            Ok(())
        );
        // "request for system:masters"
        assert_eq!(
            subject_restriction("pooh", KUBE_APISERVER_CLIENT, masters.as_bytes()),
            Err("certificatesigningrequests.certificates.k8s.io \"pooh\" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed".into())
        );
    }

    #[test]
    fn parse_csr_wants_the_exact_pem_type() {
        let pem_text = csr_pem(&KUBELET_CLIENT);
        assert!(parse_csr(pem_text.as_bytes()).is_ok());
        let renamed = pem_text.replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
        assert_eq!(
            parse_csr(renamed.as_bytes()).err().as_deref(),
            Some("PEM block type must be CERTIFICATE REQUEST")
        );
    }
}
