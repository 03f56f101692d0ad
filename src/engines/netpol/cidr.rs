//! IP addresses and CIDR blocks as the API server reads `ipBlock.cidr`
//! and `ipBlock.except`: `k8s.io/utils/net.ParseCIDRSloppy`, which, unlike
//! strict parsing, accepts leading zeros in IPv4 octets and in the prefix
//! length, and an address with host bits set (`10.0.0.1/8` means
//! `10.0.0.0/8`). The StrictIPCIDRValidation gate that would reject those
//! is alpha and off by default.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A network: address with host bits cleared, and prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cidr {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    /// `ParseCIDRSloppy`: `None` when the API server would say "must be a
    /// valid CIDR value".
    pub fn parse(s: &str) -> Option<Cidr> {
        let (ip, prefix) = s.split_once('/')?;
        let addr = parse_ip_sloppy(ip)?;
        let bits: u32 = if addr.is_ipv4() { 32 } else { 128 };
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Leading zeros are fine; a huge number is not.
        let digits = prefix.trim_start_matches('0');
        if digits.len() > 3 {
            return None;
        }
        let n: u32 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        if n > bits {
            return None;
        }
        let prefix = n as u8;
        Some(Cidr {
            addr: mask(addr, prefix),
            prefix,
        })
    }

    /// Go's `IPNet.Contains`: families must agree.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)) => {
                mask(ip, self.prefix) == self.addr
            }
            _ => false,
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let m = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(prefix))
            };
            IpAddr::V4(Ipv4Addr::from(bits & m))
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let m = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix))
            };
            IpAddr::V6(Ipv6Addr::from(bits & m))
        }
    }
}

/// `ParseIPSloppy`: IPv4 octets may carry leading zeros (read as
/// decimal); IPv6 as the standard library reads it.
pub fn parse_ip_sloppy(s: &str) -> Option<IpAddr> {
    if s.contains(':') {
        return s.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for o in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits = part.trim_start_matches('0');
        if digits.len() > 3 {
            return None;
        }
        let n: u32 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        *o = u8::try_from(n).ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(IpAddr::V4(Ipv4Addr::from(octets)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    // upstream: pkg/apis/networking/validation/validation_test.go
    // TestValidateNetworkPolicy: "invalid cidr format" (192.168.5.6),
    // "invalid ipv6 cidr format" (fd00:192:168::), "except field is an
    // invalid ip" (300.300.300.300), empty and space strings.
    #[test]
    fn rejects_what_the_api_server_rejects() {
        for bad in [
            "192.168.5.6",
            "fd00:192:168::",
            "300.300.300.300/32",
            "",
            " ",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "10.0.0/8",
            "10.0.0.0.0/8",
            "::/129",
            "10.0.0.0/ 8",
        ] {
            assert_eq!(Cidr::parse(bad), None, "{bad:?} must be invalid");
        }
    }

    // upstream: staging/.../util/validation/ip.go IsValidCIDRForLegacyField
    // with strict validation off: leading zeros and host bits are allowed.
    #[test]
    fn accepts_sloppy_forms() {
        let c = Cidr::parse("192.168.0.0/16").unwrap();
        assert_eq!(c.to_string(), "192.168.0.0/16");
        assert_eq!(
            Cidr::parse("010.001.0.0/08").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            Cidr::parse("10.0.0.1/24").unwrap().to_string(),
            "10.0.0.0/24"
        );
        assert_eq!(
            Cidr::parse("fd00:192:168::/48").unwrap().to_string(),
            "fd00:192:168::/48"
        );
        assert_eq!(Cidr::parse("0.0.0.0/0").unwrap().prefix, 0);
    }

    #[test]
    fn contains_by_family_and_prefix() {
        let c = Cidr::parse("192.168.0.0/16").unwrap();
        assert!(c.contains(ip("192.168.3.4")));
        assert!(!c.contains(ip("192.169.0.1")));
        assert!(!c.contains(ip("::1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(!Cidr::parse("::/0").unwrap().contains(ip("8.8.8.8")));
        assert!(Cidr::parse("10.1.2.3/32").unwrap().contains(ip("10.1.2.3")));
        assert!(!Cidr::parse("10.1.2.3/32").unwrap().contains(ip("10.1.2.4")));
        let v6 = Cidr::parse("fd00:192:168::/48").unwrap();
        assert!(v6.contains(ip("fd00:192:168:3::1")));
        assert!(!v6.contains(ip("fd00:192:169::1")));
    }
}
