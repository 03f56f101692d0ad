//! `validateCertificateSigningRequest` for a new object
//! (pkg/apis/certificates/validation/validation.go, create options):
//! usages (required, known, no duplicates), signerName (not the legacy
//! signer in v1; `domain/path` with DNS labels and subdomains) and
//! expirationSeconds (at least ten minutes).
//!
//! The `Required` details ("usages must be provided", "signerName must be
//! provided") are those of validation.go; upstream's test table compares
//! them with an empty detail, so only the type and path are pinned there.
//!
//! Not transcribed: the `spec.request` check (the `csr` checker reports an
//! unparsable or badly signed request itself) and status conditions, which
//! a learner never writes on create.

use crate::engines::tls::signers::LEGACY_UNKNOWN;
use crate::model::FieldPath;
use crate::validate::field::{BadValue, FieldError, is_dns1123_label, is_dns1123_subdomain};
use k8s_openapi::api::certificates::v1::CertificateSigningRequest;

/// `allValidUsages.List()`: sorted.
const VALID_USAGES: &[&str] = &[
    "any",
    "cert sign",
    "client auth",
    "code signing",
    "content commitment",
    "crl sign",
    "data encipherment",
    "decipher only",
    "digital signature",
    "email protection",
    "encipher only",
    "ipsec end system",
    "ipsec tunnel",
    "ipsec user",
    "key agreement",
    "key encipherment",
    "microsoft sgc",
    "netscape sgc",
    "ocsp signing",
    "s/mime",
    "server auth",
    "signing",
    "timestamping",
];

const DNS1123_SUBDOMAIN_MAX: usize = 253;
const DNS1123_LABEL_MAX: usize = 63;

pub fn validate_csr(csr: &CertificateSigningRequest) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let spec = FieldPath::root().field("spec");
    let usages = csr.spec.usages.clone().unwrap_or_default();
    if usages.is_empty() {
        errs.push(FieldError::required(
            &spec.field("usages"),
            "usages must be provided",
        ));
    }
    for (i, u) in usages.iter().enumerate() {
        if !VALID_USAGES.contains(&u.as_str()) {
            errs.push(FieldError::not_supported(
                &spec.field("usages").index(i),
                u.as_str(),
                VALID_USAGES,
            ));
        }
    }
    for (i, u) in usages.iter().enumerate() {
        if usages[..i].contains(u) {
            errs.push(FieldError::duplicate(
                &spec.field("usages").index(i),
                u.as_str(),
            ));
        }
    }
    let signer = csr.spec.signer_name.as_str();
    if signer == LEGACY_UNKNOWN {
        errs.push(FieldError::invalid(
            &spec.field("signerName"),
            signer,
            "the legacy signerName is not allowed via this API version",
        ));
    } else {
        errs.extend(validate_signer_name(&spec.field("signerName"), signer));
    }
    if let Some(e) = csr.spec.expiration_seconds
        && e < 600
    {
        errs.push(FieldError::invalid(
            &spec.field("expirationSeconds"),
            BadValue::Int(i64::from(e)),
            "may not specify a duration less than 600 seconds (10 minutes)",
        ));
    }
    errs
}

/// `ValidateCertificateSigningRequestSignerName`.
pub fn validate_signer_name(path: &FieldPath, signer: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if signer.is_empty() {
        errs.push(FieldError::required(path, "signerName must be provided"));
        return errs;
    }
    let segments: Vec<&str> = signer.split('/').collect();
    let [domain, rest] = segments.as_slice() else {
        errs.push(FieldError::invalid(
            path,
            signer,
            "must be a fully qualified domain and path of the form 'example.com/signer-name'",
        ));
        return errs;
    };
    if domain.len() > DNS1123_SUBDOMAIN_MAX {
        errs.push(FieldError::too_long(path, DNS1123_SUBDOMAIN_MAX));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    for l in &labels {
        let bad = is_dns1123_label(l);
        if !bad.is_empty() {
            for m in bad {
                errs.push(FieldError::invalid(
                    path,
                    *domain,
                    format!("validating label \"{l}\": {m}"),
                ));
            }
            break;
        }
    }
    if labels.len() < 2 {
        errs.push(FieldError::invalid(
            path,
            *domain,
            "should be a domain with at least two segments separated by dots",
        ));
    }
    for l in rest.split('.') {
        let bad = is_dns1123_subdomain(l);
        if !bad.is_empty() {
            for m in bad {
                errs.push(FieldError::invalid(
                    path,
                    *rest,
                    format!("validating label \"{l}\": {m}"),
                ));
            }
            break;
        }
    }
    let max = DNS1123_SUBDOMAIN_MAX + (DNS1123_SUBDOMAIN_MAX + DNS1123_LABEL_MAX + 1) + 1;
    if signer.len() > max {
        errs.push(FieldError::too_long(path, max));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::ByteString;
    use k8s_openapi::api::certificates::v1::CertificateSigningRequestSpec;

    fn csr(signer: &str, usages: &[&str], exp: Option<i32>) -> CertificateSigningRequest {
        CertificateSigningRequest {
            spec: CertificateSigningRequestSpec {
                request: ByteString(Vec::new()),
                signer_name: signer.into(),
                usages: Some(usages.iter().map(|s| s.to_string()).collect()),
                expiration_seconds: exp,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn bodies(errs: &[FieldError]) -> Vec<String> {
        errs.iter()
            .map(|e| format!("{}: {}", e.path, e.body()))
            .collect()
    }

    const OK: &str = "example.com/signer-name";

    // upstream: pkg/apis/certificates/validation/validation_test.go
    // TestValidateCertificateSigningRequestCreate: "CSR with no usages",
    // "CSR with unknown usages", "CSR with duplicate usages",
    // "signerName missing", "signerName with no domain segment",
    // "signerName with a domain segment of a single label", the duration
    // cases ("negative duration", "zero duration", "one duration",
    // "too short duration", "valid duration" 600)
    #[test]
    fn create_rules_like_upstream() {
        assert!(validate_csr(&csr(OK, &["client auth"], Some(600))).is_empty());
        assert_eq!(
            bodies(&validate_csr(&csr(OK, &[], None))),
            vec!["spec.usages: Required value: usages must be provided"]
        );
        let unknown = bodies(&validate_csr(&csr(OK, &["unknown"], None)));
        assert_eq!(unknown.len(), 1);
        assert!(
            unknown[0].starts_with("spec.usages[0]: Unsupported value: \"unknown\": supported values: \"any\", \"cert sign\", \"client auth\""),
            "{unknown:?}"
        );
        assert_eq!(
            bodies(&validate_csr(&csr(
                OK,
                &["client auth", "client auth"],
                None
            ))),
            vec!["spec.usages[1]: Duplicate value: \"client auth\""]
        );
        assert_eq!(
            bodies(&validate_csr(&csr("", &["client auth"], None))),
            vec!["spec.signerName: Required value: signerName must be provided"]
        );
        assert_eq!(
            bodies(&validate_csr(&csr("signer-name", &["client auth"], None))),
            vec![
                "spec.signerName: Invalid value: \"signer-name\": must be a fully qualified domain and path of the form 'example.com/signer-name'"
            ]
        );
        assert_eq!(
            bodies(&validate_csr(&csr(
                "example/signer-name",
                &["client auth"],
                None
            ))),
            vec![
                "spec.signerName: Invalid value: \"example\": should be a domain with at least two segments separated by dots"
            ]
        );
        for e in [-1, 0, 1, 599] {
            assert_eq!(
                bodies(&validate_csr(&csr(OK, &["client auth"], Some(e)))),
                vec![format!(
                    "spec.expirationSeconds: Invalid value: {e}: may not specify a duration less than 600 seconds (10 minutes)"
                )]
            );
        }
        // "unknown and duplicate usages": both unsupported, then the duplicate
        let both = bodies(&validate_csr(&csr(OK, &["unknown", "unknown"], None)));
        assert_eq!(both.len(), 3, "{both:?}");
        assert!(both[0].starts_with("spec.usages[0]: Unsupported value"));
        assert!(both[1].starts_with("spec.usages[1]: Unsupported value"));
        assert_eq!(both[2], "spec.usages[1]: Duplicate value: \"unknown\"");
        let subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        // "signerName path component is empty" / "ends with a symbol"
        assert_eq!(
            bodies(&validate_csr(&csr("example.com/", &["client auth"], None))),
            vec![format!(
                "spec.signerName: Invalid value: \"\": validating label \"\": {subdomain}"
            )]
        );
        assert_eq!(
            bodies(&validate_csr(&csr(
                "example.com/something-",
                &["client auth"],
                None
            ))),
            vec![format!(
                "spec.signerName: Invalid value: \"something-\": validating label \"something-\": {subdomain}"
            )]
        );
        // "signerName contains two '/'"
        assert_eq!(
            bodies(&validate_csr(&csr(
                "an-invalid-signer-name.com/something/else",
                &["client auth"],
                None
            )))
            .len(),
            1
        );
        // "signerName with a domain label greater than 63 characters will fail"
        let long = "a".repeat(66);
        assert_eq!(
            bodies(&validate_csr(&csr(
                &format!("{long}.example.io/valid-path"),
                &["client auth"],
                None
            ))),
            vec![format!(
                "spec.signerName: Invalid value: \"{long}.example.io\": validating label \"{long}\": must be no more than 63 characters"
            )]
        );
        // "signerName of max length ... is valid", "signerName can have a
        // longer path if the domain component is less than the max length"
        let a = |n: usize| "a".repeat(n);
        let fqdn = format!("{}.{}.{}.{}", a(63), a(63), a(63), a(61));
        let max = format!("{fqdn}/{}.{}", a(63), a(253));
        assert!(validate_csr(&csr(&max, &["client auth"], None)).is_empty());
        assert!(
            validate_csr(&csr(
                &format!("abc.io/{}.{}", a(253), a(253)),
                &["client auth"],
                None
            ))
            .is_empty()
        );
        // "...total length greater than 571 characters should be rejected"
        let too_long = bodies(&validate_csr(&csr(
            &format!("{max}.toolong"),
            &["client auth"],
            None,
        )));
        assert_eq!(
            too_long,
            vec![format!(
                "spec.signerName: Too long: must have at most {} bytes",
                max.len()
            )]
        );
        assert_eq!(
            bodies(&validate_csr(&csr(LEGACY_UNKNOWN, &["client auth"], None))),
            vec![
                "spec.signerName: Invalid value: \"kubernetes.io/legacy-unknown\": the legacy signerName is not allowed via this API version"
            ]
        );
    }
}
