//! The TLS engine against a PKI generated at test time with rcgen, shaped
//! like kubeadm's (upstream: cmd/kubeadm/app/phases/certs/certlist.go —
//! `ca` CN=kubernetes self-signed; `apiserver` serverAuth with
//! GetAPIServerAltNames' SANs; `apiserver-kubelet-client` clientAuth with
//! O=system:masters; pkiutil NewSignedCert: KeyUsage digitalSignature |
//! keyEncipherment (+ keyCertSign for CAs), BasicConstraintsValid).

use super::*;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, date_time_ymd,
};

const NOW: i64 = 1_767_225_600; // 2026-01-01

struct Ca {
    params: CertificateParams,
    key: KeyPair,
    pem: String,
}

fn ca(cn: &str, ca_flag: bool, cert_sign: bool) -> Ca {
    let key = KeyPair::generate().expect("key");
    let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = if ca_flag {
        IsCa::Ca(BasicConstraints::Unconstrained)
    } else {
        IsCa::ExplicitNoCa
    };
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    if cert_sign {
        p.key_usages.push(KeyUsagePurpose::KeyCertSign);
    }
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2035, 1, 1);
    let pem = p.self_signed(&key).expect("self-signed").pem();
    Ca {
        params: p,
        key,
        pem,
    }
}

struct Leaf {
    pem: String,
    key_pem: String,
}

fn leaf(
    issuer: &Ca,
    cn: &str,
    orgs: &[&str],
    sans: &[&str],
    eku: &[ExtendedKeyUsagePurpose],
    until: (i32, u8, u8),
) -> Leaf {
    let key = KeyPair::generate().expect("key");
    let mut p = CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .expect("params");
    p.distinguished_name.push(DnType::CommonName, cn);
    for o in orgs {
        p.distinguished_name.push(DnType::OrganizationName, *o);
    }
    p.extended_key_usages = eku.to_vec();
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(until.0, until.1, until.2);
    let iss = Issuer::from_params(&issuer.params, &issuer.key);
    Leaf {
        pem: p.signed_by(&key, &iss).expect("signed").pem(),
        key_pem: key.serialize_pem(),
    }
}

fn mat(pem: &str, want: Want) -> Material {
    read(pem.as_bytes(), want).expect("readable")
}

fn opts(role: Option<Role>, sans: &[&str]) -> Options {
    Options {
        role,
        sans: sans.iter().map(|s| s.to_string()).collect(),
        now: NOW,
    }
}

fn apiserver_sans() -> Vec<&'static str> {
    let mut v = vec!["cp-1"];
    v.extend(names::KUBEADM_APISERVER_SANS);
    v.push("192.168.1.10");
    v
}

#[test]
fn a_kubeadm_apiserver_certificate_passes() {
    let root = ca("kubernetes", true, true);
    let l = leaf(
        &root,
        "kube-apiserver",
        &[],
        &apiserver_sans(),
        &[ExtendedKeyUsagePurpose::ServerAuth],
        (2026, 12, 1),
    );
    let r = check(
        &mat(&l.pem, Want::Subject),
        Some(&mat(&root.pem, Want::Ca)),
        Some(&mat(&l.key_pem, Want::Key)),
        &opts(Some(Role::Apiserver), &["cp-1", "192.168.1.10"]),
    );
    assert!(r.ok, "{:#?}", r.findings);
    assert!(r.missing_sans.is_empty());
    assert_eq!(r.subject, "CN=kube-apiserver");
    assert_eq!(r.issuer.as_deref(), Some("CN=kubernetes"));
    assert_eq!(r.not_after.as_deref(), Some("2026-12-01T00:00:00Z"));
    assert_eq!(r.chain.len(), 1);
    for c in [
        CheckName::Chain,
        CheckName::Ca,
        CheckName::Eku,
        CheckName::San,
        CheckName::KeyMatch,
        CheckName::Validity,
    ] {
        assert!(r.findings.iter().any(|f| f.check == c && f.passed), "{c:?}");
    }
}

#[test]
fn missing_apiserver_sans_are_named_and_the_cn_does_not_count() {
    let root = ca("kubernetes", true, true);
    // only the CN and one DNS name: Go clients ignore the CN
    let l = leaf(
        &root,
        "kubernetes.default.svc",
        &[],
        &["kubernetes"],
        &[ExtendedKeyUsagePurpose::ServerAuth],
        (2026, 12, 1),
    );
    let r = check(
        &mat(&l.pem, Want::Subject),
        None,
        None,
        &opts(Some(Role::Apiserver), &[]),
    );
    assert_eq!(r.failed_checks, vec![CheckName::San]);
    assert_eq!(
        r.missing_sans,
        vec![
            "kubernetes.default",
            "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local",
            "10.96.0.1"
        ]
    );
    let san = r
        .findings
        .iter()
        .find(|f| f.check == CheckName::San)
        .expect("san");
    assert!(san.message.contains("only the CN"), "{}", san.message);
}

#[test]
fn client_identity_is_cn_and_every_o() {
    let root = ca("kubernetes", true, true);
    let l = leaf(
        &root,
        "jane",
        // rcgen keeps one O per name; several O's are covered by the
        // openssl-made exercise certificates (tests/tls_material.rs)
        &["system:masters"],
        &[],
        &[ExtendedKeyUsagePurpose::ClientAuth],
        (2026, 12, 1),
    );
    let r = check(
        &mat(&l.pem, Want::Subject),
        Some(&mat(&root.pem, Want::Ca)),
        None,
        &opts(Some(Role::Client), &[]),
    );
    assert!(r.ok, "{:#?}", r.findings);
    assert_eq!(r.identity.user, "jane");
    assert_eq!(r.identity.groups, vec!["system:masters"]);
    assert!(r.identity.is_cluster_admin());
    let id = r
        .findings
        .iter()
        .find(|f| f.check == CheckName::Identity)
        .expect("identity");
    assert!(id.message.contains("bypasses RBAC"));
}

#[test]
fn wrong_eku_for_the_role_fails() {
    let root = ca("kubernetes", true, true);
    let l = leaf(
        &root,
        "jane",
        &[],
        &[],
        &[ExtendedKeyUsagePurpose::ServerAuth],
        (2026, 12, 1),
    );
    let r = check(
        &mat(&l.pem, Want::Subject),
        None,
        None,
        &opts(Some(Role::Client), &[]),
    );
    assert_eq!(r.failed_checks, vec![CheckName::Eku]);
    let r = check(
        &mat(&l.pem, Want::Subject),
        None,
        None,
        &opts(Some(Role::Server), &[]),
    );
    // a serving cert with no SANs at all also fails san
    assert_eq!(r.failed_checks, vec![CheckName::San]);
}

#[test]
fn another_ca_and_a_ca_without_the_ca_flag_are_caught() {
    let root = ca("kubernetes", true, true);
    let other = ca("kubernetes", true, true); // same name, another key
    let l = leaf(
        &root,
        "jane",
        &[],
        &[],
        &[ExtendedKeyUsagePurpose::ClientAuth],
        (2026, 12, 1),
    );
    let r = check(
        &mat(&l.pem, Want::Subject),
        Some(&mat(&other.pem, Want::Ca)),
        None,
        &opts(None, &[]),
    );
    assert_eq!(r.failed_checks, vec![CheckName::Chain]);
    assert!(
        r.findings[1].message.contains("same name"),
        "{:?}",
        r.findings
    );
    let stranger = ca("etcd-ca", true, true);
    let r = check(
        &mat(&l.pem, Want::Subject),
        Some(&mat(&stranger.pem, Want::Ca)),
        None,
        &opts(None, &[]),
    );
    assert!(
        r.findings
            .iter()
            .any(|f| f.message.contains("unknown authority"))
    );

    let not_ca = ca("kubernetes", false, false);
    let l = leaf(&not_ca, "jane", &[], &[], &[], (2026, 12, 1));
    let r = check(
        &mat(&l.pem, Want::Subject),
        Some(&mat(&not_ca.pem, Want::Ca)),
        None,
        &opts(None, &[]),
    );
    assert_eq!(r.failed_checks, vec![CheckName::Ca]);
    let ca_f = r
        .findings
        .iter()
        .find(|f| f.check == CheckName::Ca)
        .expect("ca");
    assert!(ca_f.message.contains("not a CA") && ca_f.message.contains("keyCertSign"));
}

#[test]
fn validity_and_role_ca() {
    let root = ca("kubernetes", true, true);
    let l = leaf(&root, "old", &[], &[], &[], (2025, 6, 1));
    let r = check(
        &mat(&l.pem, Want::Subject),
        Some(&mat(&root.pem, Want::Ca)),
        None,
        &opts(None, &[]),
    );
    assert_eq!(r.failed_checks, vec![CheckName::Validity]);
    let r = check(
        &mat(&root.pem, Want::Subject),
        None,
        None,
        &opts(Some(Role::Ca), &[]),
    );
    assert!(r.ok, "{:#?}", r.findings);
    let r = check(
        &mat(&l.pem, Want::Subject),
        None,
        None,
        &opts(Some(Role::Ca), &[]),
    );
    assert!(
        r.failed_checks.contains(&CheckName::Ca) && r.failed_checks.contains(&CheckName::Chain)
    );
}

#[test]
fn a_three_certificate_chain_and_key_mismatch() {
    let root = ca("root-ca", true, true);
    let inter_key = KeyPair::generate().expect("key");
    let mut ip = CertificateParams::new(Vec::<String>::new()).expect("params");
    ip.distinguished_name
        .push(DnType::CommonName, "intermediate-ca");
    ip.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ip.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    ip.not_before = date_time_ymd(2025, 1, 1);
    ip.not_after = date_time_ymd(2030, 1, 1);
    let inter_pem = ip
        .signed_by(&inter_key, &Issuer::from_params(&root.params, &root.key))
        .expect("signed")
        .pem();
    let inter = Ca {
        params: ip,
        key: inter_key,
        pem: inter_pem,
    };
    let l = leaf(
        &inter,
        "svc",
        &[],
        &["svc.example.com"],
        &[ExtendedKeyUsagePurpose::ServerAuth],
        (2026, 12, 1),
    );
    let bundle = format!("{}{}", l.pem, inter.pem);
    let other = KeyPair::generate().expect("key").serialize_pem();
    let r = check(
        &mat(&bundle, Want::Subject),
        Some(&mat(&root.pem, Want::Ca)),
        Some(&mat(&other, Want::Key)),
        &opts(Some(Role::Server), &["svc.example.com"]),
    );
    assert_eq!(r.chain.len(), 2, "{:#?}", r.findings);
    assert_eq!(r.failed_checks, vec![CheckName::KeyMatch]);
}

#[test]
fn csr_objects_and_kubeconfigs_are_read() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let key = KeyPair::generate().expect("key");
    let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
    p.distinguished_name.push(DnType::CommonName, "jane");
    p.distinguished_name.push(DnType::OrganizationName, "dev");
    let csr_pem = p.serialize_request(&key).expect("csr").pem().expect("pem");
    let obj = format!(
        "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: jane\nspec:\n  request: {}\n  signerName: kubernetes.io/kube-apiserver-client\n  usages: [client auth]\n",
        b64(&csr_pem)
    );
    let m = mat(&obj, Want::Subject);
    let r = check(
        &m,
        None,
        Some(&mat(&key.serialize_pem(), Want::Key)),
        &opts(Some(Role::Client), &[]),
    );
    assert!(r.ok, "{:#?}", r.findings);
    assert_eq!(r.kind, "certificate request");
    assert_eq!(r.identity.groups, vec!["dev"]);

    let root = ca("kubernetes", true, true);
    let l = leaf(
        &root,
        "admin",
        &["kubeadm:cluster-admins"],
        &[],
        &[ExtendedKeyUsagePurpose::ClientAuth],
        (2026, 12, 1),
    );
    let kubeconfig = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: a\ncontexts:\n- name: a\n  context: {{cluster: c, user: u}}\nclusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1:6443\n    certificate-authority-data: {}\nusers:\n- name: u\n  user:\n    client-certificate-data: {}\n    client-key-data: {}\n",
        b64(&root.pem),
        b64(&l.pem),
        b64(&l.key_pem)
    );
    let m = mat(&kubeconfig, Want::Subject);
    let r = check(&m, None, None, &opts(Some(Role::Client), &[]));
    assert!(r.ok, "{:#?}", r.findings);
    assert!(
        r.findings
            .iter()
            .any(|f| f.check == CheckName::Chain && f.passed)
    );
    assert!(
        r.findings
            .iter()
            .any(|f| f.check == CheckName::KeyMatch && f.passed)
    );
    assert_eq!(r.identity.user, "admin");

    // kubectl does not fall back to another user when the current
    // context names one the file lacks (client-go DirectClientConfig:
    // the request carries no credentials), so neither do we.
    let dangling = kubeconfig.replace("user: u}", "user: nobody}");
    let e = read(dangling.as_bytes(), Want::Subject).expect_err("no user, no certificate");
    assert!(
        e.to_string()
            .contains("names user \"nobody\", which the kubeconfig does not have"),
        "{e}"
    );
    // The CA still comes from the context's cluster.
    assert_eq!(mat(&dangling, Want::Ca).certs.len(), 1);
}

#[test]
fn bad_input_is_named() {
    let root = ca("kubernetes", true, true);
    assert!(matches!(
        read(b"hello world", Want::Subject),
        Err(MaterialError::NotPem)
    ));
    let key = KeyPair::generate().expect("key").serialize_pem();
    let e = read(key.as_bytes(), Want::Subject).expect_err("a key is not a cert");
    assert_eq!(
        e.to_string(),
        "holds a private key, not a certificate or a certificate request"
    );
    let cut: String = root.pem.lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(matches!(
        read(cut.as_bytes(), Want::Subject),
        Err(MaterialError::Pem(pem::PemError::Truncated { .. }))
    ));
    let enc = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAEC\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assert!(matches!(
        read(enc.as_bytes(), Want::Key),
        Err(MaterialError::Encrypted { line: 1 })
    ));
    let garbage = "-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n";
    let e = read(garbage.as_bytes(), Want::Subject).expect_err("not x509");
    assert!(
        e.to_string()
            .starts_with("the CERTIFICATE block on line 1 is not a valid X.509 certificate")
    );
}

#[test]
fn keys_of_every_kind_match_their_certificates() {
    for alg in [
        &rcgen::PKCS_ECDSA_P256_SHA256,
        &rcgen::PKCS_ECDSA_P384_SHA384,
        &rcgen::PKCS_ED25519,
    ] {
        let key = KeyPair::generate_for(alg).expect("key");
        let mut p = CertificateParams::new(vec!["x.example".to_string()]).expect("params");
        p.distinguished_name.push(DnType::CommonName, "x");
        let pem = p.self_signed(&key).expect("cert").pem();
        let m = mat(&pem, Want::Subject);
        let k = mat(&key.serialize_pem(), Want::Key);
        assert_eq!(m.certs[0].public_key, k.keys[0], "{alg:?}");
    }
}
