//! Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`) exactly as
//! apimachinery's `resource.ParseQuantity` reads them.

use std::fmt;

/// The three errors `ParseQuantity` returns, with upstream's wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    Format,
    Suffix,
    Numeric,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::Format => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            QuantityError::Suffix => "unable to parse quantity's suffix",
            QuantityError::Numeric => "unable to parse numeric part of quantity",
        })
    }
}

impl std::error::Error for QuantityError {}

/// How a suffix scales the number: 10^exp (decimal SI or an `e` exponent)
/// or 2^exp (binary SI).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suffix {
    DecimalSi(i32),
    BinarySi(i32),
    DecimalExponent(i32),
}

/// A quantity split as upstream's `parseQuantityString` splits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parts<'a> {
    pub positive: bool,
    /// Integer digits, leading zeros stripped ("0" when none).
    pub num: &'a str,
    /// Fraction digits after the '.', possibly empty.
    pub denom: &'a str,
    pub suffix: Suffix,
}

/// Split `s` into sign, digits and suffix, with upstream's acceptance rules
/// (which are looser than its own documented regex: `1.` and `.5` parse).
pub fn parse_parts(s: &str) -> Result<Parts<'_>, QuantityError> {
    if s.is_empty() {
        return Err(QuantityError::Format);
    }
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    match b[0] {
        b'-' => {
            positive = false;
            pos += 1;
        }
        b'+' => pos += 1,
        _ => {}
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(Parts {
            positive,
            num: "0",
            denom: "",
            suffix: Suffix::DecimalSi(0),
        });
    }
    let num_start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = if pos == num_start {
        "0"
    } else {
        &s[num_start..pos]
    };
    let mut denom = "";
    if pos < end && b[pos] == b'.' {
        pos += 1;
        let d_start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[d_start..pos];
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::Format);
    }
    let suffix = interpret_suffix(&s[suffix_start..]).ok_or(QuantityError::Suffix)?;
    Ok(Parts {
        positive,
        num,
        denom,
        suffix,
    })
}

fn interpret_suffix(s: &str) -> Option<Suffix> {
    let dec = |e| Some(Suffix::DecimalSi(e));
    let bin = |e| Some(Suffix::BinarySi(e));
    match s {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ => {
            let rest = s.strip_prefix(['e', 'E'])?;
            if rest.is_empty() {
                return None;
            }
            // strconv.ParseInt(rest, 10, 32)
            rest.parse::<i32>().ok().map(Suffix::DecimalExponent)
        }
    }
}

/// Whether the API server would accept `s` as a quantity.
pub fn check(s: &str) -> Result<(), QuantityError> {
    parse_parts(s).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Accept/reject cases from apimachinery resource/quantity_test.go
    // (TestQuantityParse and its invalid list).
    #[test]
    fn accepts_what_upstream_accepts() {
        for ok in [
            "0", "1", "500m", "1.5", "1.5Gi", "100Mi", "1e3", "1E3", "1e-3", "+1", "-1", "0.1",
            ".5", "1.", "5n", "3u", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Ei", "0.0",
            "00100m", "1.5e+2",
        ] {
            assert!(check(ok).is_ok(), "{ok} should parse");
        }
    }

    #[test]
    fn rejects_with_upstream_errors() {
        assert_eq!(check(""), Err(QuantityError::Format));
        assert_eq!(check("1gi"), Err(QuantityError::Format));
        assert_eq!(check("1 Gi"), Err(QuantityError::Format));
        assert_eq!(check("0.1mi"), Err(QuantityError::Suffix));
        assert_eq!(check("1e"), Err(QuantityError::Suffix));
        assert_eq!(check("1MB"), Err(QuantityError::Format));
        assert_eq!(check("1KiB"), Err(QuantityError::Format));
        assert_eq!(check("1.2.3"), Err(QuantityError::Format));
        assert_eq!(check("abc"), Err(QuantityError::Format));
        assert_eq!(check("1e99999999999"), Err(QuantityError::Suffix));
        assert_eq!(
            QuantityError::Format.to_string(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
    }
}
