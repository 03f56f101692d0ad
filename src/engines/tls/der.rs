//! Just enough DER to read private keys (PKCS#1, PKCS#8, SEC1): tag,
//! length, contents. Certificates and requests are parsed by x509-parser.

/// One DER element: its tag byte and contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub body: &'a [u8],
}

pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const OID: u8 = 0x06;
pub const SEQUENCE: u8 = 0x30;

/// Read one element from the front of `input`; the rest follows it.
pub fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((
        Tlv {
            tag,
            body: &rest[..len],
        },
        &rest[len..],
    ))
}

/// Every element inside a constructed body, in order.
pub fn children(body: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (t, r) = read(rest)?;
        out.push(t);
        rest = r;
    }
    Some(out)
}

/// The contents of a whole-input SEQUENCE, split into its elements.
pub fn sequence(input: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let (t, rest) = read(input)?;
    if t.tag != SEQUENCE || !rest.is_empty() {
        return None;
    }
    children(t.body)
}

/// An unsigned big-endian integer without leading zero bytes.
pub fn unsigned(int: &[u8]) -> &[u8] {
    let mut i = int;
    while i.len() > 1 && i[0] == 0 {
        i = &i[1..];
    }
    i
}

/// Dotted form of an OID body (`1.2.840.10045.2.1`).
pub fn oid_string(body: &[u8]) -> String {
    let mut parts: Vec<u64> = Vec::new();
    let mut acc: u64 = 0;
    for b in body {
        acc = (acc << 7) | (b & 0x7f) as u64;
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let first = (acc / 40).min(2);
                parts.push(first);
                parts.push(acc - first * 40);
            } else {
                parts.push(acc);
            }
            acc = 0;
        }
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let short = [0x02, 0x01, 0x05];
        let (t, rest) = read(&short).expect("short form");
        assert_eq!((t.tag, t.body, rest.len()), (INTEGER, &[5u8][..], 0));
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend(std::iter::repeat_n(7u8, 128));
        let (t, _) = read(&long).expect("long form");
        assert_eq!(t.body.len(), 128);
        assert!(read(&[0x04, 0x05, 1]).is_none(), "truncated");
        assert_eq!(unsigned(&[0, 0, 1, 0]), &[1, 0]);
        // id-ecPublicKey
        assert_eq!(
            oid_string(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]),
            "1.2.840.10045.2.1"
        );
    }
}
