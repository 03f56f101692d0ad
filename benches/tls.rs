//! A three-certificate chain (root CA → intermediate CA → leaf) checked
//! from PEM: parse, chain signatures, CA fitness, validity, EKU, SANs and
//! key match. Target: under 1 ms.

// Benchmark setup builds known-good fixtures; a failure there is a bug in the bench.
#![allow(clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use kubedojo::engines::tls::{self, Options, Role, Want};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use std::hint::black_box;

fn ca_params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p
}

fn bench(c: &mut Criterion) {
    let root_key = KeyPair::generate().expect("key");
    let root = ca_params("root-ca");
    let root_pem = root.self_signed(&root_key).expect("root").pem();
    let inter_key = KeyPair::generate().expect("key");
    let inter = ca_params("intermediate-ca");
    let inter_pem = inter
        .signed_by(&inter_key, &Issuer::from_params(&root, &root_key))
        .expect("intermediate")
        .pem();
    let leaf_key = KeyPair::generate().expect("key");
    let mut leaf = CertificateParams::new(vec!["api.example.com".to_string()]).expect("params");
    leaf.distinguished_name.push(DnType::CommonName, "api");
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_pem = leaf
        .signed_by(&leaf_key, &Issuer::from_params(&inter, &inter_key))
        .expect("leaf")
        .pem();
    let bundle = format!("{leaf_pem}{inter_pem}");
    let key_pem = leaf_key.serialize_pem();
    let opts = Options {
        role: Some(Role::Server),
        sans: vec!["api.example.com".into()],
        now: 1_800_000_000,
    };
    c.bench_function("tls check 3-certificate chain from PEM", |b| {
        b.iter(|| {
            let s = tls::read(black_box(bundle.as_bytes()), Want::Subject).expect("leaf");
            let ca = tls::read(black_box(root_pem.as_bytes()), Want::Ca).expect("ca");
            let k = tls::read(black_box(key_pem.as_bytes()), Want::Key).expect("key");
            let r = tls::check(&s, Some(&ca), Some(&k), &opts);
            assert!(r.ok && r.chain.len() == 2);
            r
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
