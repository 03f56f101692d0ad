//! Host names and IPs against a certificate's SANs, as Go's crypto/x509
//! `VerifyHostname` matches them (the CN is never used), and the SANs
//! kubeadm puts on the API server's certificate (upstream:
//! cmd/kubeadm/app/util/pkiutil/pki_helpers.go GetAPIServerAltNames).

use super::cert::Sans;
use std::net::IpAddr;

/// The names every kubeadm `apiserver.crt` carries whatever the cluster:
/// the `kubernetes` Service's DNS names (with the default DNS domain
/// `cluster.local`) and its ClusterIP (the first address of the default
/// service subnet 10.96.0.0/12). The node name, advertise address,
/// controlPlaneEndpoint and certSANs are cluster-specific: give them with
/// `--san`.
pub const KUBEADM_APISERVER_SANS: &[&str] = &[
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
    "10.96.0.1",
];

/// Go's `matchHostnames`: case-insensitive, a trailing dot ignored, `*`
/// only as the whole leftmost label, matching exactly one label.
fn match_hostname(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if pattern.is_empty() || host.is_empty() {
        return false;
    }
    let p: Vec<&str> = pattern.split('.').collect();
    let h: Vec<&str> = host.split('.').collect();
    if p.len() != h.len() {
        return false;
    }
    p.iter()
        .zip(&h)
        .enumerate()
        .all(|(i, (pp, hp))| (i == 0 && *pp == "*") || pp == hp)
}

/// Whether a client connecting to `name` would accept a certificate with
/// these SANs. An IP (IPv6 may be in brackets) only matches IP SANs.
pub fn covers(sans: &Sans, name: &str) -> bool {
    let bare = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return sans.ips.contains(&ip);
    }
    sans.dns.iter().any(|d| match_hostname(d, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    // upstream: Go crypto/x509 verify_test.go matchHostnames cases
    #[test]
    fn matches_like_go() {
        let sans = Sans {
            dns: vec!["*.example.com".into(), "Kubernetes.Default".into()],
            ips: vec!["10.96.0.1".parse().expect("ip"), "::1".parse().expect("ip")],
            ..Sans::default()
        };
        assert!(covers(&sans, "a.example.com"));
        assert!(covers(&sans, "A.EXAMPLE.COM."));
        assert!(!covers(&sans, "a.b.example.com"), "one label only");
        assert!(!covers(&sans, "example.com"));
        assert!(covers(&sans, "kubernetes.default"));
        assert!(covers(&sans, "10.96.0.1"));
        assert!(covers(&sans, "[::1]"));
        assert!(!covers(&sans, "10.96.0.10"));
        // an IP never matches a DNS SAN that spells it
        let dns_ip = Sans {
            dns: vec!["10.0.0.1".into()],
            ..Sans::default()
        };
        assert!(!covers(&dns_ip, "10.0.0.1"));
    }
}
