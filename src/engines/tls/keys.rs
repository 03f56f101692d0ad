//! Private keys (PKCS#1 RSA, SEC1 EC, PKCS#8 RSA/EC/Ed25519) reduced to
//! the public key they belong to, so a key can be matched against a
//! certificate or request: RSA by modulus and exponent, EC and Ed25519 by
//! the public point derived from the private scalar (never by trusting an
//! embedded public key).

use super::der::{self, INTEGER, OCTET_STRING, OID};
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
const OID_ED25519: &str = "1.3.101.112";

/// A public key in a form two sources can be compared in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    /// Uncompressed SEC1 point.
    Ec {
        curve: &'static str,
        point: Vec<u8>,
    },
    Ed25519(Vec<u8>),
    Other(String),
}

impl PublicKey {
    pub fn describe(&self) -> String {
        match self {
            PublicKey::Rsa { n, .. } => format!("RSA {} bit", bits(n)),
            PublicKey::Ec { curve, .. } => format!("ECDSA {curve}"),
            PublicKey::Ed25519(_) => "Ed25519".into(),
            PublicKey::Other(oid) => format!("key algorithm {oid}"),
        }
    }
}

fn bits(n: &[u8]) -> usize {
    let n = der::unsigned(n);
    match n.first() {
        Some(b) => n.len() * 8 - b.leading_zeros() as usize,
        None => 0,
    }
}

/// Why a private key could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("is not a valid {0} (the DER inside the PEM block does not parse)")]
    Malformed(&'static str),
    #[error(
        "uses an unsupported key type ({0}); kubedojo reads RSA, ECDSA P-256/P-384 and Ed25519 keys"
    )]
    Unsupported(String),
}

/// The public key of a certificate's or request's SubjectPublicKeyInfo.
pub fn from_spki(spki: &SubjectPublicKeyInfo) -> PublicKey {
    use x509_parser::public_key::PublicKey as P;
    let alg = spki.algorithm.algorithm.to_id_string();
    match spki.parsed() {
        Ok(P::RSA(k)) => PublicKey::Rsa {
            n: der::unsigned(k.modulus).to_vec(),
            e: der::unsigned(k.exponent).to_vec(),
        },
        Ok(P::EC(point)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string())
                .unwrap_or_default();
            ec_public(&curve, point.data()).unwrap_or(PublicKey::Other(alg))
        }
        _ if alg == OID_ED25519 => PublicKey::Ed25519(spki.subject_public_key.data.to_vec()),
        _ => PublicKey::Other(alg),
    }
}

/// Normalise a SEC1 point (compressed or not) to its uncompressed form.
fn ec_public(curve_oid: &str, sec1: &[u8]) -> Option<PublicKey> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    // Already uncompressed: compare as is (signature checks validate it).
    let uncompressed_len = match curve_oid {
        OID_P256 => 65,
        OID_P384 => 97,
        _ => 0,
    };
    if sec1.len() == uncompressed_len && sec1.first() == Some(&4) {
        return Some(PublicKey::Ec {
            curve: if uncompressed_len == 65 {
                "P-256"
            } else {
                "P-384"
            },
            point: sec1.to_vec(),
        });
    }
    match curve_oid {
        OID_P256 => p256::PublicKey::from_sec1_bytes(sec1)
            .ok()
            .map(|k| PublicKey::Ec {
                curve: "P-256",
                point: k.to_encoded_point(false).as_bytes().to_vec(),
            }),
        OID_P384 => p384::PublicKey::from_sec1_bytes(sec1)
            .ok()
            .map(|k| PublicKey::Ec {
                curve: "P-384",
                point: k.to_encoded_point(false).as_bytes().to_vec(),
            }),
        _ => None,
    }
}

/// The public half of a private key, by PEM label.
pub fn public_of_private(label: &str, der_bytes: &[u8]) -> Result<PublicKey, KeyError> {
    match label {
        "RSA PRIVATE KEY" => rsa_pkcs1(der_bytes),
        "EC PRIVATE KEY" => sec1(der_bytes, None),
        _ => pkcs8(der_bytes),
    }
}

fn rsa_pkcs1(d: &[u8]) -> Result<PublicKey, KeyError> {
    let bad = KeyError::Malformed("RSA private key (PKCS#1)");
    let items = der::sequence(d).ok_or(bad.clone())?;
    match items.as_slice() {
        [v, n, e, ..] if v.tag == INTEGER && n.tag == INTEGER && e.tag == INTEGER => {
            Ok(PublicKey::Rsa {
                n: der::unsigned(n.body).to_vec(),
                e: der::unsigned(e.body).to_vec(),
            })
        }
        _ => Err(bad),
    }
}

fn sec1(d: &[u8], curve_from_pkcs8: Option<String>) -> Result<PublicKey, KeyError> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let bad = KeyError::Malformed("EC private key (SEC1)");
    let items = der::sequence(d).ok_or(bad.clone())?;
    let scalar = items
        .iter()
        .find(|t| t.tag == OCTET_STRING)
        .ok_or(bad.clone())?
        .body;
    // [0] parameters: the curve OID, when the key is not inside PKCS#8.
    let curve = curve_from_pkcs8
        .or_else(|| {
            items
                .iter()
                .find(|t| t.tag == 0xa0)
                .and_then(|t| der::read(t.body))
                .filter(|(o, _)| o.tag == OID)
                .map(|(o, _)| der::oid_string(o.body))
        })
        .ok_or(bad.clone())?;
    // The embedded public key, when ring confirms it belongs to the scalar
    // (ring derives it and compares, in constant-time assembly), saves a
    // slow derivation; otherwise derive it ourselves.
    let embedded = items
        .iter()
        .find(|t| t.tag == 0xa1)
        .and_then(|t| der::read(t.body))
        .filter(|(b, _)| b.tag == der::BIT_STRING && b.body.first() == Some(&0))
        .map(|(b, _)| &b.body[1..]);
    let ring_alg = match curve.as_str() {
        OID_P256 => Some((&ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING, "P-256")),
        OID_P384 => Some((&ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING, "P-384")),
        _ => None,
    };
    if let (Some(point), Some((alg, name))) = (embedded, ring_alg)
        && ring::signature::EcdsaKeyPair::from_private_key_and_public_key(
            alg,
            scalar,
            point,
            &ring::rand::SystemRandom::new(),
        )
        .is_ok()
    {
        return Ok(PublicKey::Ec {
            curve: name,
            point: point.to_vec(),
        });
    }
    match curve.as_str() {
        OID_P256 => {
            let k = p256::SecretKey::from_slice(scalar).map_err(|_| bad)?;
            Ok(PublicKey::Ec {
                curve: "P-256",
                point: k.public_key().to_encoded_point(false).as_bytes().to_vec(),
            })
        }
        OID_P384 => {
            let k = p384::SecretKey::from_slice(scalar).map_err(|_| bad)?;
            Ok(PublicKey::Ec {
                curve: "P-384",
                point: k.public_key().to_encoded_point(false).as_bytes().to_vec(),
            })
        }
        other => Err(KeyError::Unsupported(format!("elliptic curve {other}"))),
    }
}

fn pkcs8(d: &[u8]) -> Result<PublicKey, KeyError> {
    let bad = KeyError::Malformed("private key (PKCS#8)");
    let items = der::sequence(d).ok_or(bad.clone())?;
    let [_version, alg, key, ..] = items.as_slice() else {
        return Err(bad);
    };
    if key.tag != OCTET_STRING {
        return Err(bad);
    }
    let alg_items = der::children(alg.body).ok_or(bad.clone())?;
    let oid = alg_items
        .first()
        .filter(|t| t.tag == OID)
        .map(|t| der::oid_string(t.body))
        .ok_or(bad.clone())?;
    match oid.as_str() {
        OID_RSA => rsa_pkcs1(key.body),
        OID_EC => {
            let curve = alg_items
                .get(1)
                .filter(|t| t.tag == OID)
                .map(|t| der::oid_string(t.body));
            sec1(key.body, curve)
        }
        OID_ED25519 => {
            let (seed, _) = der::read(key.body).ok_or(bad.clone())?;
            if seed.tag != OCTET_STRING || seed.body.len() != 32 {
                return Err(bad);
            }
            let pair =
                ring::signature::Ed25519KeyPair::from_seed_unchecked(seed.body).map_err(|_| bad)?;
            use ring::signature::KeyPair;
            Ok(PublicKey::Ed25519(pair.public_key().as_ref().to_vec()))
        }
        other => Err(KeyError::Unsupported(other.to_string())),
    }
}

/// The public key inside a DER SubjectPublicKeyInfo (a `PUBLIC KEY` block).
pub fn from_spki_der(d: &[u8]) -> Option<PublicKey> {
    SubjectPublicKeyInfo::from_der(d)
        .ok()
        .map(|(_, spki)| from_spki(&spki))
}
