//! PEM blocks (RFC 7468) with the line each starts on, so a broken file
//! gets a message that points at the broken block. Legacy OpenSSL headers
//! (`Proc-Type: 4,ENCRYPTED`) are read to recognise encrypted keys.

use base64::Engine as _;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The label between `BEGIN ` and the dashes (`CERTIFICATE`).
    pub label: String,
    pub der: Vec<u8>,
    /// 1-based line of the BEGIN line.
    pub line: usize,
    /// An OpenSSL-encrypted legacy key (`Proc-Type: 4,ENCRYPTED`).
    pub encrypted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PemError {
    #[error(
        "the PEM block \"{label}\" that starts on line {line} has no \"-----END {label}-----\" line: the file is truncated"
    )]
    Truncated { label: String, line: usize },
    #[error(
        "the PEM block \"{label}\" that starts on line {line} is not valid base64 ({detail}): the block is truncated or corrupted"
    )]
    BadBase64 {
        label: String,
        line: usize,
        detail: String,
    },
    #[error("line {line}: \"-----END {found}-----\" closes a block that began as \"{label}\"")]
    Mismatched {
        label: String,
        found: String,
        line: usize,
    },
}

/// Whether the text has any PEM BEGIN line at all.
pub fn looks_like_pem(text: &str) -> bool {
    text.lines().any(|l| begin_label(l).is_some())
}

fn begin_label(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix("-----BEGIN ")?
        .strip_suffix("-----")
}

fn end_label(line: &str) -> Option<&str> {
    line.trim().strip_prefix("-----END ")?.strip_suffix("-----")
}

/// Every PEM block in `text`, in order. Text between blocks is ignored (as
/// openssl does), a block without an END line or with bad base64 is an
/// error.
pub fn parse(text: &str) -> Result<Vec<Block>, PemError> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let Some(label) = begin_label(line) else {
            continue;
        };
        let label = label.to_string();
        let start = i + 1;
        let mut body = String::new();
        let mut encrypted = false;
        let mut closed = false;
        for (j, l) in lines.by_ref() {
            if let Some(found) = end_label(l) {
                if found != label {
                    return Err(PemError::Mismatched {
                        label,
                        found: found.to_string(),
                        line: j + 1,
                    });
                }
                closed = true;
                break;
            }
            if begin_label(l).is_some() {
                break;
            }
            let l = l.trim();
            if let Some((key, value)) = l.split_once(':') {
                // RFC 1421 headers of legacy OpenSSL keys.
                if key.trim() == "Proc-Type" && value.contains("ENCRYPTED") {
                    encrypted = true;
                }
                continue;
            }
            body.push_str(l);
        }
        if !closed {
            return Err(PemError::Truncated { label, line: start });
        }
        let der = base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .map_err(|e| PemError::BadBase64 {
                label: label.clone(),
                line: start,
                detail: e.to_string(),
            })?;
        blocks.push(Block {
            label,
            der,
            line: start,
            encrypted,
        });
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blocks_and_names_broken_ones() {
        let text = "junk\n-----BEGIN CERTIFICATE-----\nAAEC\nAw==\n-----END CERTIFICATE-----\n";
        let b = parse(text).expect("valid");
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].label.as_str(), b[0].line), ("CERTIFICATE", 2));
        assert_eq!(b[0].der, vec![0, 1, 2, 3]);
        let cut = "-----BEGIN CERTIFICATE-----\nAAEC\n";
        assert!(matches!(
            parse(cut),
            Err(PemError::Truncated { line: 1, .. })
        ));
        let bad = "-----BEGIN CERTIFICATE-----\nAAE\n-----END CERTIFICATE-----\n";
        assert!(matches!(parse(bad), Err(PemError::BadBase64 { .. })));
        let enc = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAEC\n-----END RSA PRIVATE KEY-----\n";
        assert!(parse(enc).expect("parses")[0].encrypted);
        assert!(!looks_like_pem("apiVersion: v1\n"));
    }
}
