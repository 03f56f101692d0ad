//! Certificates and certificate requests, read once into owned facts: who
//! they name, for how long, for what, and with which key.

use super::keys::{self, PublicKey};
use x509_parser::certificate::X509Certificate;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

/// A subject or issuer name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// `CN=jane, O=dev`, in the order written.
    pub text: String,
    pub common_name: Option<String>,
    pub organizations: Vec<String>,
    /// DER of the name, for exact issuer/subject matching.
    pub raw: Vec<u8>,
}

impl Name {
    fn of(n: &X509Name) -> Name {
        let text = n.to_string();
        Name {
            text,
            common_name: n
                .iter_common_name()
                .next()
                .and_then(|a| a.as_str().ok())
                .map(str::to_string),
            organizations: n
                .iter_organization()
                .filter_map(|a| a.as_str().ok())
                .map(str::to_string)
                .collect(),
            raw: n.as_raw().to_vec(),
        }
    }
}

/// Subject alternative names, kept apart by type as Go's x509 keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sans {
    pub dns: Vec<String>,
    pub ips: Vec<std::net::IpAddr>,
    pub emails: Vec<String>,
    pub uris: Vec<String>,
}

impl Sans {
    fn add(&mut self, gn: &GeneralName) {
        match gn {
            GeneralName::DNSName(d) => self.dns.push(d.to_string()),
            GeneralName::IPAddress(b) => {
                if let Ok(a) = <[u8; 4]>::try_from(*b) {
                    self.ips.push(std::net::IpAddr::from(a));
                } else if let Ok(a) = <[u8; 16]>::try_from(*b) {
                    self.ips.push(std::net::IpAddr::from(a));
                }
            }
            GeneralName::RFC822Name(e) => self.emails.push(e.to_string()),
            GeneralName::URI(u) => self.uris.push(u.to_string()),
            _ => {}
        }
    }

    /// All names as text: DNS names, then IPs, emails, URIs.
    pub fn all(&self) -> Vec<String> {
        self.dns
            .iter()
            .cloned()
            .chain(self.ips.iter().map(|i| i.to_string()))
            .chain(self.emails.iter().cloned())
            .chain(self.uris.iter().cloned())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.dns.is_empty() && self.ips.is_empty() && self.emails.is_empty() && self.uris.is_empty()
    }
}

/// Extended key usages, as far as a cluster cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Eku {
    pub any: bool,
    pub server_auth: bool,
    pub client_auth: bool,
    pub others: usize,
}

impl Eku {
    pub fn names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.server_auth {
            v.push("serverAuth");
        }
        if self.client_auth {
            v.push("clientAuth");
        }
        if self.any {
            v.push("any");
        }
        v
    }
}

/// Everything the checks need from one certificate.
#[derive(Clone, Debug)]
pub struct CertInfo {
    pub der: Vec<u8>,
    pub subject: Name,
    pub issuer: Name,
    pub not_before: i64,
    pub not_after: i64,
    pub sans: Sans,
    /// basicConstraints cA; None when the extension is absent.
    pub is_ca: Option<bool>,
    /// keyUsage keyCertSign; None when the extension is absent.
    pub key_cert_sign: Option<bool>,
    /// None when the certificate has no EKU extension (any use).
    pub eku: Option<Eku>,
    pub public_key: PublicKey,
    pub self_issued: bool,
}

impl CertInfo {
    pub fn parse(der: &[u8]) -> Result<CertInfo, String> {
        let (rest, c) = X509Certificate::from_der(der).map_err(|e| e.to_string())?;
        if !rest.is_empty() {
            return Err("trailing data after the certificate".into());
        }
        let mut sans = Sans::default();
        let mut is_ca = None;
        let mut key_cert_sign = None;
        let mut eku = None;
        for ext in c.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::SubjectAlternativeName(s) => {
                    s.general_names.iter().for_each(|g| sans.add(g))
                }
                ParsedExtension::BasicConstraints(b) => is_ca = Some(b.ca),
                ParsedExtension::KeyUsage(k) => key_cert_sign = Some(k.key_cert_sign()),
                ParsedExtension::ExtendedKeyUsage(e) => {
                    eku = Some(Eku {
                        any: e.any,
                        server_auth: e.server_auth,
                        client_auth: e.client_auth,
                        others: e.other.len()
                            + [
                                e.code_signing,
                                e.email_protection,
                                e.time_stamping,
                                e.ocsp_signing,
                            ]
                            .iter()
                            .filter(|b| **b)
                            .count(),
                    })
                }
                _ => {}
            }
        }
        let subject = Name::of(c.subject());
        let issuer = Name::of(c.issuer());
        Ok(CertInfo {
            der: der.to_vec(),
            self_issued: subject.raw == issuer.raw,
            subject,
            issuer,
            not_before: c.validity().not_before.timestamp(),
            not_after: c.validity().not_after.timestamp(),
            sans,
            is_ca,
            key_cert_sign,
            eku,
            public_key: keys::from_spki(c.public_key()),
        })
    }

    /// Whether `issuer`'s key verifies this certificate's signature.
    pub fn signed_by(&self, issuer: &CertInfo) -> bool {
        let (Ok((_, me)), Ok((_, them))) = (
            X509Certificate::from_der(&self.der),
            X509Certificate::from_der(&issuer.der),
        ) else {
            return false;
        };
        me.verify_signature(Some(them.public_key())).is_ok()
    }
}

/// Everything the checks need from a certificate request.
#[derive(Clone, Debug)]
pub struct CsrInfo {
    pub der: Vec<u8>,
    pub subject: Name,
    pub sans: Sans,
    pub eku: Option<Eku>,
    pub public_key: PublicKey,
    /// The request is signed by the key it carries (proof of possession).
    pub signature_ok: bool,
}

impl CsrInfo {
    pub fn parse(der: &[u8]) -> Result<CsrInfo, String> {
        let (rest, r) = X509CertificationRequest::from_der(der).map_err(|e| e.to_string())?;
        if !rest.is_empty() {
            return Err("trailing data after the request".into());
        }
        let info = &r.certification_request_info;
        let mut sans = Sans::default();
        let mut eku = None;
        for ext in r.requested_extensions().into_iter().flatten() {
            match ext {
                ParsedExtension::SubjectAlternativeName(s) => {
                    s.general_names.iter().for_each(|g| sans.add(g))
                }
                ParsedExtension::ExtendedKeyUsage(e) => {
                    eku = Some(Eku {
                        any: e.any,
                        server_auth: e.server_auth,
                        client_auth: e.client_auth,
                        others: e.other.len(),
                    })
                }
                _ => {}
            }
        }
        Ok(CsrInfo {
            der: der.to_vec(),
            subject: Name::of(&info.subject),
            sans,
            eku,
            public_key: keys::from_spki(&info.subject_pki),
            signature_ok: r.verify_signature().is_ok(),
        })
    }
}
