//! `kubedojo cert check` end to end, with a PKI generated at test time
//! (rcgen) shaped like kubeadm's, and the openssl-made exercise
//! certificates: the JSON contract, exit codes, the kubeadm-like table,
//! and one clear exit-2 message per kind of bad input.

// Test helpers fail loudly on broken fixtures.
#![allow(clippy::expect_used)]

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use serde_json::Value;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubedojo"))
        // Never the learner's real progress database.
        .env(
            "KUBEDOJO_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/kubedojo-home"),
        )
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("kubedojo runs")
}

struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.dir.path().join(name), text).expect("write");
        self.path(name)
    }
}

/// ca.crt, apiserver.crt/.key (kubeadm's SANs for node cp-1 at
/// 192.168.1.10), jane.crt (client), other.key.
fn pki() -> Pki {
    let dir = tempfile::tempdir().expect("tmp");
    let pki = Pki { dir };
    let ca_key = KeyPair::generate().expect("key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("params");
    ca.distinguished_name.push(DnType::CommonName, "kubernetes");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyCertSign,
    ];
    pki.write("ca.crt", &ca.self_signed(&ca_key).expect("ca").pem());
    let issuer = Issuer::from_params(&ca, &ca_key);

    let key = KeyPair::generate().expect("key");
    let mut api = CertificateParams::new(vec![
        "cp-1".to_string(),
        "kubernetes".into(),
        "kubernetes.default".into(),
        "kubernetes.default.svc".into(),
        "kubernetes.default.svc.cluster.local".into(),
        "10.96.0.1".into(),
        "192.168.1.10".into(),
    ])
    .expect("params");
    api.distinguished_name
        .push(DnType::CommonName, "kube-apiserver");
    api.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    pki.write(
        "apiserver.crt",
        &api.signed_by(&key, &issuer).expect("signed").pem(),
    );
    pki.write("apiserver.key", &key.serialize_pem());

    let jkey = KeyPair::generate().expect("key");
    let mut jane = CertificateParams::new(Vec::<String>::new()).expect("params");
    jane.distinguished_name.push(DnType::CommonName, "jane");
    jane.distinguished_name
        .push(DnType::OrganizationName, "dev");
    jane.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    pki.write(
        "jane.crt",
        &jane.signed_by(&jkey, &issuer).expect("signed").pem(),
    );
    pki.write(
        "other.key",
        &KeyPair::generate().expect("key").serialize_pem(),
    );
    pki
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("one JSON document on stdout")
}

#[test]
fn apiserver_certificate_passes_with_kubeadm_sans() {
    let p = pki();
    let out = run(&[
        "cert",
        "check",
        &p.path("apiserver.crt"),
        "--role",
        "apiserver",
        "--ca",
        &p.path("ca.crt"),
        "--key",
        &p.path("apiserver.key"),
        "--san",
        "cp-1",
        "--san",
        "192.168.1.10",
        "--json",
    ]);
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v["ok"], true);
    assert_eq!(v["failed_checks"], serde_json::json!([]));
    assert_eq!(v["subject"], "CN=kube-apiserver");
    assert_eq!(v["issuer"], "CN=kubernetes");
    assert!(
        v["sans"]
            .as_array()
            .expect("sans")
            .iter()
            .any(|s| s == "10.96.0.1")
    );
    for k in [
        "identity",
        "not_before",
        "not_after",
        "findings",
        "missing_sans",
    ] {
        assert!(v.get(k).is_some(), "{k}");
    }
}

#[test]
fn failures_are_named_in_failed_checks() {
    let p = pki();
    // a client certificate used as a server, a foreign key, a missing SAN
    let out = run(&[
        "cert",
        "check",
        &p.path("jane.crt"),
        "--role",
        "server",
        "--key",
        &p.path("other.key"),
        "--san",
        "api.example.com",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(
        v["failed_checks"],
        serde_json::json!(["eku", "san", "key_match"])
    );
    assert_eq!(v["missing_sans"], serde_json::json!(["api.example.com"]));
    assert_eq!(
        v["identity"],
        serde_json::json!({"user": "jane", "groups": ["dev"]})
    );
    // signed by another CA
    let other_key = KeyPair::generate().expect("key");
    let mut other = CertificateParams::new(Vec::<String>::new()).expect("params");
    other
        .distinguished_name
        .push(DnType::CommonName, "other-ca");
    other.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let other_ca = p.write(
        "other-ca.crt",
        &other.self_signed(&other_key).expect("ca").pem(),
    );
    let out = run(&[
        "cert",
        "check",
        &p.path("jane.crt"),
        "--ca",
        &other_ca,
        "--json",
    ]);
    assert_eq!(json(&out)["failed_checks"], serde_json::json!(["chain"]));
}

#[test]
fn text_reads_like_kubeadm_check_expiration() {
    let p = pki();
    let out = run(&[
        "cert",
        "check",
        &p.path("jane.crt"),
        "--ca",
        &p.path("ca.crt"),
        "--role",
        "client",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().expect("header");
    assert!(
        first.starts_with("CERTIFICATE")
            && first.contains("EXPIRES")
            && first.contains("RESIDUAL TIME")
            && first.contains("CERTIFICATE AUTHORITY"),
        "{text}"
    );
    assert!(text.contains("jane.crt"), "{text}");
    assert!(
        text.contains("authenticates as user \"jane\" with group \"dev\""),
        "{text}"
    );
}

#[test]
fn exercise_certificates_made_with_openssl() {
    // RSA keys and several O's, as kubeadm and openssl make them
    let out = run(&[
        "cert",
        "check",
        "exercises/tls/client-cert-identity/deploy-bot.crt",
        "--ca",
        "exercises/tls/client-cert-identity/ca.crt",
        "--role",
        "client",
        "--json",
    ]);
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(
        v["identity"],
        serde_json::json!({"user": "deploy-bot", "groups": ["ci-runners", "system:masters"]})
    );
    assert!(v["key"].as_str().expect("key").starts_with("RSA 2048"));
    let csr = run(&[
        "cert",
        "check",
        "exercises/tls/csr-jane-dev/solution.yaml",
        "--json",
    ]);
    let v = json(&csr);
    assert_eq!(v["kind"], "certificate request");
    assert_eq!(
        v["identity"],
        serde_json::json!({"user": "jane", "groups": ["dev"]})
    );
}

#[test]
fn bad_input_is_one_message_and_exit_2() {
    let p = pki();
    let cases: Vec<(String, Vec<String>, &str)> = vec![
        (p.write("notes.txt", "just some text\n"), vec![], "is not PEM"),
        (p.path("apiserver.key"), vec![], "holds a private key, not a certificate"),
        (
            p.path("jane.crt"),
            vec!["--key".into(), p.path("ca.crt")],
            "holds a certificate, not a private key",
        ),
        (
            p.path("jane.crt"),
            vec![
                "--key".into(),
                p.write(
                    "enc.key",
                    "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n",
                ),
            ],
            "is encrypted",
        ),
        (
            {
                let full = std::fs::read_to_string(p.path("jane.crt")).expect("read");
                let cut: String = full.lines().take(3).collect::<Vec<_>>().join("\n");
                p.write("cut.crt", &cut)
            },
            vec![],
            "truncated",
        ),
        (
            p.write("bad64.crt", "-----BEGIN CERTIFICATE-----\nMIIB*\n-----END CERTIFICATE-----\n"),
            vec![],
            "not valid base64",
        ),
    ];
    for (file, extra, want) in cases {
        let mut args = vec![
            "cert".to_string(),
            "check".into(),
            file.clone(),
            "--json".into(),
        ];
        args.extend(extra);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&refs);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let v = json(&out);
        let msg = v["error"].as_str().expect("error message");
        assert!(msg.contains(want), "{file}: {msg}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
        assert!(!stderr.contains("panicked"));
    }
    let out = run(&["cert", "check", &p.path("jane.crt"), "--role", "admin"]);
    assert_eq!(out.status.code(), Some(2));
}
