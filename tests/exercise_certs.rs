//! The certificate material committed with the exercises still parses and
//! will not expire for decades (it was made with openssl, valid 100 years).

// Test helpers fail loudly on broken fixtures.
#![allow(clippy::expect_used)]

use kubedojo::engines::tls::{self, Want};

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("crt" | "csr")) {
            out.push(p);
        }
    }
}

#[test]
fn committed_certificates_parse_and_stay_valid() {
    let mut found = Vec::new();
    files(std::path::Path::new("exercises"), &mut found);
    assert!(found.len() >= 3, "{found:?}");
    // 2076-01-01: fifty years of margin
    let far = 3_345_062_400;
    for p in found {
        let bytes = std::fs::read(&p).expect("read");
        let m = tls::read(&bytes, Want::Subject).unwrap_or_else(|e| panic!("{p:?}: {e}"));
        for c in &m.certs {
            assert!(c.not_after > far, "{p:?} expires too soon");
        }
        if let Some(r) = &m.csr {
            assert!(r.signature_ok, "{p:?}");
        }
    }
}
