//! The little quantity arithmetic object validation needs: exact
//! comparison (`request <= limit`), integrality, and the text the API
//! server prints for a quantity (apimachinery's `Quantity.String()`).
//!
//! Values here have already passed the decoder's syntax check, so parsing
//! only has to be exact, not to explain failures. `engines::quantity` owns
//! quantities for everything else; this stays private to validation.

use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// An exact quantity: `(-1)^neg * mant * 10^exp`.
#[derive(Clone, Debug)]
pub struct Qty {
    neg: bool,
    mant: u128,
    exp: i32,
    format: Format,
    /// The input, when upstream keeps it as the printed form.
    cached: Option<String>,
}

/// apimachinery's `Nano` scale: parsing rounds anything finer up to it.
const NANO: i32 = -9;

/// Parse as `resource.ParseQuantity` does; None for anything it rejects
/// or for magnitudes beyond what 128 bits hold (never a learner's value).
pub fn parse(s: &str) -> Option<Qty> {
    let s = s.trim();
    if s == "0" {
        return Some(Qty {
            neg: false,
            mant: 0,
            exp: 0,
            format: Format::DecimalSi,
            cached: Some("0".into()),
        });
    }
    let b = s.as_bytes();
    let mut pos = 0;
    let mut neg = false;
    match b.first()? {
        b'-' => {
            neg = true;
            pos += 1
        }
        b'+' => pos += 1,
        _ => {}
    }
    while pos < b.len() && b[pos] == b'0' {
        pos += 1;
    }
    let start = pos;
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = &s[start..pos];
    let mut denom = "";
    if pos < b.len() && b[pos] == b'.' {
        pos += 1;
        let d = pos;
        while pos < b.len() && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[d..pos];
    }
    let (format, base2, exponent) = suffix(&s[pos..])?;
    let digits: String = format!("{num}{denom}");
    let raw: u128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let mut q = Qty {
        neg,
        mant: raw,
        exp: -(denom.len() as i32),
        format,
        cached: None,
    };
    if base2 {
        q.mant = q.mant.checked_mul(1u128.checked_shl(exponent as u32)?)?;
    } else {
        q.exp = q.exp.checked_add(exponent)?;
    }
    if q.mant != 0 && q.exp < NANO {
        // Round up (away from zero) to the nano scale.
        let div = pow10(NANO - q.exp)?;
        q.mant = q.mant.div_ceil(div);
        q.exp = NANO;
    }
    if q.mant == 0 {
        q.neg = false;
    }
    q.cached = keeps_input(s, num, denom, format, exponent).then(|| s.to_string());
    Some(q)
}

/// `(format, is_binary, exponent)` for a suffix.
fn suffix(s: &str) -> Option<(Format, bool, i32)> {
    let dec = |e| Some((Format::DecimalSi, false, e));
    let bin = |e| Some((Format::BinarySi, true, e));
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
            Some((Format::DecimalExponent, false, rest.parse().ok()?))
        }
    }
}

/// Whether `ParseQuantity` keeps the input string as the printed form: its
/// int64 fast path, when the input is already canonical.
fn keeps_input(s: &str, num: &str, denom: &str, format: Format, exponent: i32) -> bool {
    let num = if num.is_empty() { "0" } else { num };
    let shifted = format!("{num}{denom}");
    match format {
        Format::BinarySi => {
            if exponent < 0 || !denom.is_empty() {
                return false;
            }
            let precision = 15 - num.len() as i32 - (exponent as f32 * 3.0 / 10.0) as i32 - 1;
            let Ok(value) = shifted.parse::<i64>() else {
                return false;
            };
            precision >= 0
                && value
                    .checked_shl(exponent as u32)
                    .is_some_and(|r| r >> exponent == value)
                && exponent % 10 == 0
                && value & 0x07 != 0
        }
        Format::DecimalSi | Format::DecimalExponent => {
            let precision = 18 - (num.len() + denom.len()) as i32;
            let scale = exponent - denom.len() as i32;
            precision >= 0
                && scale >= NANO
                && shifted.parse::<i64>().is_ok()
                && scale % 3 == 0
                && !shifted.ends_with("000")
                && !shifted.starts_with('0')
                && !s.is_empty()
        }
    }
}

fn pow10(n: i32) -> Option<u128> {
    10u128.checked_pow(u32::try_from(n).ok()?)
}

impl Qty {
    pub fn is_zero(&self) -> bool {
        self.mant == 0
    }

    pub fn is_negative(&self) -> bool {
        self.neg && self.mant != 0
    }

    /// No fractional part (`MilliValue() % 1000 == 0`, given nano precision).
    pub fn is_integer(&self) -> bool {
        self.exp >= 0 || self.int_and_frac().1 == 0
    }

    /// `(|integer part|, |fraction numerator|)`.
    fn int_and_frac(&self) -> (u128, u128) {
        if self.exp >= 0 {
            let i = pow10(self.exp).and_then(|p| self.mant.checked_mul(p));
            return (i.unwrap_or(u128::MAX), 0);
        }
        match pow10(-self.exp) {
            Some(d) => (self.mant / d, self.mant % d),
            None => (0, self.mant),
        }
    }

    /// `Value()`: the integer value, rounded up (away from zero).
    pub fn value_ceil(&self) -> Option<i128> {
        let v = if self.exp >= 0 {
            self.mant.checked_mul(pow10(self.exp)?)?
        } else {
            let (i, f) = self.int_and_frac();
            i + u128::from(f != 0)
        };
        let v = i128::try_from(v).ok()?;
        Some(if self.neg { -v } else { v })
    }

    fn scaled_to(&self, exp: i32) -> Option<u128> {
        self.mant.checked_mul(pow10(self.exp - exp)?)
    }

    pub fn cmp_qty(&self, other: &Qty) -> Ordering {
        let sign = |q: &Qty| {
            if q.is_zero() {
                0
            } else if q.neg {
                -1
            } else {
                1
            }
        };
        let (a, b) = (sign(self), sign(other));
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let exp = self.exp.min(other.exp);
        let mag = match (self.scaled_to(exp), other.scaled_to(exp)) {
            (Some(x), Some(y)) => x.cmp(&y),
            // Too large to align exactly: the larger exponent wins.
            _ => self.exp.cmp(&other.exp),
        };
        if a < 0 { mag.reverse() } else { mag }
    }

    /// `q.Add(other)`: the exact sum, printed in this quantity's format.
    pub fn add(&self, other: &Qty) -> Option<Qty> {
        let exp = self.exp.min(other.exp);
        let a = i128::try_from(self.scaled_to(exp)?).ok()?;
        let b = i128::try_from(other.scaled_to(exp)?).ok()?;
        let sum = (if self.neg { -a } else { a }).checked_add(if other.neg { -b } else { b })?;
        Some(Qty {
            neg: sum < 0,
            mant: sum.unsigned_abs(),
            exp,
            format: self.format,
            cached: None,
        })
    }

    fn abs_is_below_1024(&self) -> bool {
        self.int_and_frac().0 < 1024
    }
}

impl std::fmt::Display for Qty {
    /// `Quantity.String()`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(c) = &self.cached {
            return f.write_str(c);
        }
        if self.is_zero() {
            return f.write_str("0");
        }
        let sign = if self.neg { "-" } else { "" };
        let mut format = self.format;
        if format == Format::BinarySi && (self.abs_is_below_1024() || !self.is_integer()) {
            format = Format::DecimalSi;
        }
        if format == Format::BinarySi {
            let (mut v, _) = self.int_and_frac();
            let mut e = 0;
            while e < 60 && v % 1024 == 0 {
                v /= 1024;
                e += 10;
            }
            let suffix = match e {
                0 => "",
                10 => "Ki",
                20 => "Mi",
                30 => "Gi",
                40 => "Ti",
                50 => "Pi",
                _ => "Ei",
            };
            return write!(f, "{sign}{v}{suffix}");
        }
        let (mut m, mut e) = (self.mant, self.exp);
        while m % 10 == 0 {
            m /= 10;
            e += 1;
        }
        while e.rem_euclid(3) != 0 {
            m *= 10;
            e -= 1;
        }
        let suffix = match (format, e) {
            (Format::DecimalExponent, 0) => String::new(),
            (Format::DecimalExponent, e) => format!("e{e}"),
            (_, -9) => "n".into(),
            (_, -6) => "u".into(),
            (_, -3) => "m".into(),
            (_, 0) => String::new(),
            (_, 3) => "k".into(),
            (_, 6) => "M".into(),
            (_, 9) => "G".into(),
            (_, 12) => "T".into(),
            (_, 15) => "P".into(),
            (_, 18) => "E".into(),
            (_, e) => format!("e{e}"),
        };
        write!(f, "{sign}{m}{suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> String {
        parse(x).map(|q| q.to_string()).unwrap_or_default()
    }

    // upstream: apimachinery pkg/api/resource/quantity_test.go
    // TestQuantityParse (canonical forms) and TestQuantityString.
    #[test]
    fn prints_what_the_api_server_prints() {
        assert_eq!(s("500m"), "500m");
        assert_eq!(s("0.5"), "500m");
        assert_eq!(s("1000m"), "1");
        assert_eq!(s("1"), "1");
        assert_eq!(s("1Gi"), "1Gi");
        assert_eq!(s("1024Mi"), "1Gi");
        assert_eq!(s("128Mi"), "128Mi");
        assert_eq!(s("1.5Gi"), "1536Mi");
        assert_eq!(s("0.5Gi"), "512Mi");
        assert_eq!(s("100Mi"), "100Mi");
        assert_eq!(s("1e3"), "1e3");
        assert_eq!(s("1000"), "1k");
        assert_eq!(s("1500"), "1500");
        assert_eq!(s("0.25"), "250m");
        assert_eq!(s("2.5"), "2500m");
        assert_eq!(s("1.5Ki"), "1536");
        assert_eq!(s("0"), "0");
        assert_eq!(s("0m"), "0");
        assert_eq!(s("0.0001"), "100u");
        assert_eq!(s("1n"), "1n");
        assert_eq!(s("0.1n"), "1n");
    }

    #[test]
    fn compares_exactly() {
        let c = |a: &str, b: &str| parse(a).unwrap().cmp_qty(&parse(b).unwrap());
        assert_eq!(c("500m", "0.5"), Ordering::Equal);
        assert_eq!(c("1", "999m"), Ordering::Greater);
        assert_eq!(c("1Gi", "1G"), Ordering::Greater);
        assert_eq!(c("128Mi", "134217728"), Ordering::Equal);
        assert_eq!(c("-1", "0"), Ordering::Less);
        assert_eq!(c("-2", "-1"), Ordering::Less);
        assert_eq!(c("0", "0m"), Ordering::Equal);
    }

    #[test]
    fn integrality_and_value() {
        assert!(parse("2").unwrap().is_integer());
        assert!(parse("2000m").unwrap().is_integer());
        assert!(!parse("0.5").unwrap().is_integer());
        assert!(parse("1Ki").unwrap().is_integer());
        assert_eq!(parse("1.5").unwrap().value_ceil(), Some(2));
        assert_eq!(parse("2Mi").unwrap().value_ceil(), Some(2 * 1024 * 1024));
        assert!(parse("-1").unwrap().is_negative());
    }
}
