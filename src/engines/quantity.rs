//! Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`) exactly as
//! apimachinery's `resource.Quantity` reads and prints them: the parse
//! grammar and its three errors, rounding up to the nano unit, the binary
//! cap at 2^63-1, the canonical form the API server writes back (which may
//! change the suffix: `1.5Gi` comes back as `1536Mi`), and exact values
//! beyond 64 bits.
//!
//! Upstream: staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go,
//! amount.go, math.go, suffix.go.

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
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

impl Suffix {
    fn format(self) -> Format {
        match self {
            Suffix::DecimalSi(_) => Format::DecimalSi,
            Suffix::BinarySi(_) => Format::BinarySi,
            Suffix::DecimalExponent(_) => Format::DecimalExponent,
        }
    }

    fn exponent(self) -> i32 {
        match self {
            Suffix::DecimalSi(e) | Suffix::BinarySi(e) | Suffix::DecimalExponent(e) => e,
        }
    }
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
    /// Whether any digit was written at all (`.` and `-.` have none).
    pub has_digits: bool,
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
    let zeros_start = pos;
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(Parts {
            positive,
            num: "0",
            denom: "",
            suffix: Suffix::DecimalSi(0),
            has_digits: true,
        });
    }
    let had_zeros = pos > zeros_start;
    let num_start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = if pos == num_start {
        "0"
    } else {
        &s[num_start..pos]
    };
    let mut has_digits = had_zeros || pos > num_start;
    let mut denom = "";
    if pos < end && b[pos] == b'.' {
        pos += 1;
        let d_start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[d_start..pos];
        has_digits |= !denom.is_empty();
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
        has_digits,
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
            // strconv.ParseInt(rest, 10, 64), then kept only when the scale
            // and its negation both fit an int32 (quantity_test.go
            // TestInterpretExponentInt32Bounds).
            let e = rest.parse::<i64>().ok()?;
            if e.unsigned_abs() > i32::MAX as u64 {
                return None;
            }
            Some(Suffix::DecimalExponent(e as i32))
        }
    }
}

impl Quantity {
    /// A quantity as it arrives in an object: `Quantity.UnmarshalJSON`
    /// trims surrounding spaces, then parses.
    pub fn from_api(
        q: &k8s_openapi::apimachinery::pkg::api::resource::Quantity,
    ) -> Result<Quantity, QuantityError> {
        Quantity::parse(q.0.trim())
    }
}

/// Whether the API server would accept `s` as a quantity.
pub fn check(s: &str) -> Result<(), QuantityError> {
    Quantity::parse(s).map(|_| ())
}

/// How a quantity prints: upstream's `Format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `12e6`
    DecimalExponent,
    /// `12Mi` (12 × 2^20)
    BinarySi,
    /// `12M` (12 × 10^6)
    DecimalSi,
}

/// The largest value a binary-suffixed quantity may hold (`maxAllowed`).
const MAX_ALLOWED: i64 = i64::MAX;
/// Exponents beyond this are too far apart to align digit by digit; the
/// API server would not store such a value meaningfully either.
const MAX_ALIGN_DIGITS: i64 = 100_000;

/// An exact quantity: `value × 10^exp`, its print format and, when the
/// input was already canonical, the input itself (upstream reuses it
/// verbatim when it prints the quantity back).
#[derive(Clone, Debug)]
pub struct Quantity {
    value: BigInt,
    exp: i64,
    format: Format,
    cached: Option<Box<str>>,
    /// Parsed on upstream's int64 fast path (kept as an int64Amount).
    int64_form: bool,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

impl Quantity {
    /// `ParseQuantity`.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::Format);
        }
        if s == "0" {
            return Ok(Quantity {
                value: BigInt::zero(),
                exp: 0,
                format: Format::DecimalSi,
                cached: Some("0".into()),
                int64_form: true,
            });
        }
        let parts = parse_parts(s)?;
        let format = parts.suffix.format();
        let exponent = parts.suffix.exponent();
        if let Some(q) = fast_path(s, &parts, format, exponent) {
            return Ok(q);
        }
        if !parts.has_digits {
            // inf.Dec.SetString on "." reads no digits.
            return Err(QuantityError::Numeric);
        }
        if let Some(q) = exact_path_small(&parts) {
            return Ok(q);
        }
        let mut value = digits_to_big(parts.num, parts.denom);
        let mut exp = -(parts.denom.len() as i64);
        match parts.suffix {
            Suffix::BinarySi(e) => value <<= e as usize,
            Suffix::DecimalSi(e) | Suffix::DecimalExponent(e) => exp += i64::from(e),
        }
        // Round the magnitude up to the nano unit: asking for a sliver of a
        // resource gets the smallest amount, never zero.
        if !value.is_zero() && exp < -9 {
            let shift = -9 - exp;
            let digits = value.to_string().len() as i64;
            value = if shift > digits {
                BigInt::one()
            } else {
                let (q, r) = value.div_rem(&pow10(shift as u32));
                if r.is_zero() { q } else { q + 1 }
            };
            exp = -9;
        }
        let mut format = format;
        if format == Format::BinarySi {
            let max = Quantity::from_i64(MAX_ALLOWED, 0, format);
            let this = Quantity::raw(value.clone(), exp, format);
            if this.cmp_value(&max) == Ordering::Greater {
                value = BigInt::from(MAX_ALLOWED);
                exp = 0;
            } else if !value.is_zero() && this.cmp_value(&Quantity::from_i64(1, 0, format)).is_lt()
            {
                format = Format::DecimalSi;
            }
        }
        if !parts.positive {
            value = -value;
        }
        Ok(Quantity::raw(value, exp, format))
    }

    fn raw(value: BigInt, exp: i64, format: Format) -> Quantity {
        Quantity {
            value,
            exp,
            format,
            cached: None,
            int64_form: false,
        }
    }

    /// `value × 10^scale`, like `NewScaledQuantity` with a chosen format.
    pub fn from_i64(value: i64, scale: i32, format: Format) -> Quantity {
        Quantity::raw(BigInt::from(value), i64::from(scale), format)
    }

    /// A whole number of nano units (10^-9), as the engines count.
    pub fn from_nano(nano: i128, format: Format) -> Quantity {
        Quantity::raw(BigInt::from(nano), -9, format)
    }

    pub fn zero() -> Quantity {
        Quantity::raw(BigInt::zero(), 0, Format::DecimalSi)
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn is_zero(&self) -> bool {
        self.value.is_zero()
    }

    /// -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        match self.value.sign() {
            Sign::Minus => -1,
            Sign::NoSign => 0,
            Sign::Plus => 1,
        }
    }

    /// Exact comparison of the values (the format does not matter).
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        let (a, b) = (self.sign(), other.sign());
        if a != b {
            return a.cmp(&b);
        }
        if a == 0 {
            return Ordering::Equal;
        }
        if self.exp == other.exp {
            return self.value.cmp(&other.value);
        }
        if let (Some(x), Some(y)) = (self.value.to_i128(), other.value.to_i128()) {
            let (lo, hi, flip) = if self.exp < other.exp {
                (x, (y, other.exp - self.exp), false)
            } else {
                (y, (x, self.exp - other.exp), true)
            };
            if let Some(scaled) = pow10_i128(hi.1).and_then(|p| hi.0.checked_mul(p)) {
                let o = lo.cmp(&scaled);
                return if flip { o.reverse() } else { o };
            }
        }
        // Settle by magnitude first, so a far exponent never forces
        // writing out its digits (upstream's cmpDec does the same).
        let mag = |q: &Quantity| q.value.magnitude().to_string().len() as i64 + q.exp;
        let (ma, mb) = (mag(self), mag(other));
        if ma != mb {
            let by_mag = ma.cmp(&mb);
            return if a > 0 { by_mag } else { by_mag.reverse() };
        }
        let (x, y) = align(self, other);
        x.cmp(&y)
    }

    /// Exact sum. The format is ours, or the other's when we are zero
    /// (upstream's `Add`).
    pub fn add(&self, other: &Quantity) -> Quantity {
        let format = if self.is_zero() {
            other.format
        } else {
            self.format
        };
        if other.is_zero() {
            return Quantity::raw(self.value.clone(), self.exp, format);
        }
        if self.is_zero() {
            return Quantity::raw(other.value.clone(), other.exp, format);
        }
        let exp = self.exp.min(other.exp);
        if let (Some(x), Some(y)) = (self.value.to_i128(), other.value.to_i128()) {
            let up = |v: i128, e: i64| pow10_i128(e - exp).and_then(|p| v.checked_mul(p));
            if let Some(sum) = up(x, self.exp)
                .zip(up(y, other.exp))
                .and_then(|(a, b)| a.checked_add(b))
            {
                return Quantity::raw(BigInt::from(sum), exp, format);
            }
        }
        let (x, y) = align(self, other);
        Quantity::raw(x + y, exp, format)
    }

    /// Exact difference (upstream's `Sub`).
    pub fn sub(&self, other: &Quantity) -> Quantity {
        self.add(&other.neg())
    }

    /// The negated value, same format.
    pub fn neg(&self) -> Quantity {
        Quantity::raw(-self.value.clone(), self.exp, self.format)
    }

    /// The value in nano units (10^-9), exact for every parsed quantity
    /// up to about 1.7e20; larger magnitudes saturate at the i128 rails.
    pub fn to_nano(&self) -> i128 {
        self.scaled_value(-9)
    }

    /// `ScaledValue(scale)`: ceil(|q| / 10^scale) with q's sign, as i128
    /// (saturating).
    pub fn scaled_value(&self, scale: i32) -> i128 {
        if self.is_zero() {
            return 0;
        }
        let shift = self.exp - i64::from(scale);
        let sat = if self.sign() > 0 {
            i128::MAX
        } else {
            i128::MIN
        };
        if let Some(v) = self.value.to_i128() {
            if shift >= 0 {
                return pow10_i128(shift)
                    .and_then(|p| v.checked_mul(p))
                    .unwrap_or(sat);
            }
            return match pow10_i128(-shift) {
                Some(p) => {
                    let (q, r) = (v / p, v % p);
                    if r == 0 { q } else { q + v.signum() }
                }
                // |v| < 10^39 <= 10^-shift: a sliver, away from zero.
                None => v.signum(),
            };
        }
        if shift >= 0 {
            if shift > 40 {
                return sat;
            }
            return (&self.value * pow10(shift as u32)).to_i128().unwrap_or(sat);
        }
        let down = -shift;
        let mag = self.value.magnitude();
        if down > mag.to_string().len() as i64 {
            return self.sign() as i128;
        }
        let (q, r) = mag.div_rem(&pow10(down as u32).into_parts().1);
        let q = if r.is_zero() { q } else { q + 1u32 };
        let q = q.to_i128().unwrap_or(i128::MAX);
        if self.sign() < 0 { -q } else { q }
    }

    /// `Value()`: the value rounded away from zero to a whole number.
    pub fn value(&self) -> i128 {
        self.scaled_value(0)
    }

    /// `MilliValue()`: the value in thousandths, rounded away from zero.
    pub fn milli_value(&self) -> i128 {
        self.scaled_value(-3)
    }

    /// Whether the API server counts this a whole number: its integrality
    /// test is `MilliValue() % 1000 == 0` (ValidateResourceQuantityValue,
    /// IsHugePageResourceValueDivisible), so a value within a thousandth
    /// below a whole number counts as whole. A value without a fraction
    /// is whole however large it is.
    pub fn is_whole(&self) -> bool {
        self.exp >= 0 || self.milli_value() % 1000 == 0
    }

    /// The value × 1000 as an exact decimal string (`1.5` → `1500`,
    /// `1n` → `0.000001`, `100E` → 23 digits). None when it would need
    /// more than 100,000 digits.
    pub fn milli_exact(&self) -> Option<String> {
        exact_decimal(&self.value, self.exp + 3)
    }

    /// The value as an exact decimal string.
    pub fn exact(&self) -> Option<String> {
        exact_decimal(&self.value, self.exp)
    }

    /// What the API server prints back: the input itself when it was
    /// already canonical, else the canonical form.
    pub fn canonical(&self) -> String {
        match &self.cached {
            Some(s) => s.to_string(),
            None => self.canonicalize(),
        }
    }

    /// Go's `%#v` of the parsed `resource.Quantity`, which is how the API
    /// server prints a quantity it reports as a bad value. The address of
    /// an arbitrary-precision value is not knowable; a stand-in is shown.
    pub fn go_struct(&self) -> String {
        let format = match self.format {
            Format::DecimalExponent => "DecimalExponent",
            Format::BinarySi => "BinarySI",
            Format::DecimalSi => "DecimalSI",
        };
        let s = self.cached.as_deref().unwrap_or("");
        if self.int64_form {
            format!(
                "resource.Quantity{{i:resource.int64Amount{{value:{}, scale:{}}}, d:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:\"{s}\", Format:\"{format}\"}}",
                self.value, self.exp
            )
        } else {
            format!(
                "resource.Quantity{{i:resource.int64Amount{{value:0, scale:0}}, d:resource.infDecAmount{{Dec:(*inf.Dec)(0xc000010000)}}, s:\"{s}\", Format:\"{format}\"}}"
            )
        }
    }

    /// The quantity as the API server holds it after writing it out and
    /// reading it back: the same value, with the format its printed form
    /// parses to (`1025` written by a BinarySI sum reads back DecimalSI).
    pub fn stored(self) -> Quantity {
        let format = match self.value.to_i128() {
            _ if self.is_zero() => Format::DecimalSi,
            Some(v) => match printed_small(v, self.exp, self.format) {
                Some((_, Printed::Binary(_))) => Format::BinarySi,
                Some((_, Printed::Si(_))) => Format::DecimalSi,
                Some((_, Printed::Exponent(_))) => Format::DecimalExponent,
                None => return Quantity::parse(&self.canonical()).unwrap_or(self),
            },
            None => return Quantity::parse(&self.canonical()).unwrap_or(self),
        };
        Quantity::raw(self.value, self.exp, format)
    }

    /// `CanonicalizeBytes`, ignoring the cached input.
    pub fn canonicalize(&self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        if let Some(v) = self.value.to_i128()
            && let Some(s) = canonical_small(v, self.exp, self.format)
        {
            return s;
        }
        let mut format = self.format;
        if format == Format::BinarySi {
            let lo = Quantity::from_i64(-1024, 0, format);
            let hi = Quantity::from_i64(1024, 0, format);
            if self.cmp_value(&lo).is_gt() && self.cmp_value(&hi).is_lt() {
                format = Format::DecimalSi;
            } else {
                let rounded = self.round_up_to(0);
                if rounded.cmp_value(self).is_ne() {
                    format = Format::DecimalSi;
                } else {
                    let int = integer_of(&rounded);
                    let (amount, times) = remove_factors(int, 1024);
                    if (1..=6).contains(&times) {
                        let suffix = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][times as usize - 1];
                        return format!("{amount}{suffix}");
                    }
                    if times == 0 {
                        return amount.to_string();
                    }
                    // No binary suffix past Ei: fall back to the exact
                    // decimal form (quantity_test.go TestQuantityString).
                    format = Format::DecimalExponent;
                }
            }
        }
        let (number, exponent) = self.canonical_base10();
        let suffix = match format {
            Format::DecimalSi => match exponent {
                -9 => Some("n"),
                -6 => Some("u"),
                -3 => Some("m"),
                0 => Some(""),
                3 => Some("k"),
                6 => Some("M"),
                9 => Some("G"),
                12 => Some("T"),
                15 => Some("P"),
                18 => Some("E"),
                _ => None,
            },
            _ => None,
        };
        match suffix {
            Some(s) => format!("{number}{s}"),
            None if exponent == 0 => number.to_string(),
            None => format!("{number}e{exponent}"),
        }
    }

    /// Mantissa and exponent with every factor of ten moved into the
    /// exponent, then the exponent brought down to a multiple of three.
    fn canonical_base10(&self) -> (BigInt, i64) {
        let (mut amount, times) = remove_factors(self.value.clone(), 10);
        let mut exponent = self.exp + times;
        while exponent % 3 != 0 {
            amount *= 10;
            exponent -= 1;
        }
        (amount, exponent)
    }

    /// `AsScale(scale)` for a non-negative scale: rounded away from zero.
    fn round_up_to(&self, scale: i64) -> Quantity {
        if self.exp >= scale {
            return self.clone();
        }
        let down = scale - self.exp;
        let mag = self.value.magnitude();
        let q = if down > mag.to_string().len() as i64 {
            num_bigint::BigUint::one()
        } else {
            let (q, r) = mag.div_rem(&pow10(down as u32).into_parts().1);
            if r.is_zero() { q } else { q + 1u32 }
        };
        let v = BigInt::from_biguint(self.value.sign(), q);
        Quantity::raw(v, scale, self.format)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

/// Upstream's int64 fast path: when it applies, the result is the same
/// value, and the input is kept verbatim if it already looks canonical.
fn fast_path(s: &str, parts: &Parts, format: Format, exponent: i32) -> Option<Quantity> {
    // 18 digits always fit an int64 (quantity_test.go TestParseQuantity
    // pins the 19-digit inputs to the exact path).
    const MAX_INT64_FACTORS: i64 = 18;
    let (num, denom) = (parts.num, parts.denom);
    let mut mantissa: i64 = 1;
    let mut scale: i64 = 0;
    let precision = match format {
        Format::DecimalExponent | Format::DecimalSi => {
            scale = i64::from(exponent);
            MAX_INT64_FACTORS - (num.len() + denom.len()) as i64
        }
        Format::BinarySi => {
            if exponent >= 0 && denom.is_empty() {
                mantissa = 1i64 << exponent;
                // int32(float32(exponent)*3/10): truncated toward zero.
                15 - num.len() as i64 - (exponent as f32 * 3.0 / 10.0) as i64 - 1
            } else {
                -1
            }
        }
    };
    if precision < 0 {
        return None;
    }
    scale -= denom.len() as i64;
    if scale < -9 {
        return None;
    }
    // shifted = num + denom, read without building the string.
    let digits = || num.bytes().chain(denom.bytes());
    let mut value: i64 = 0;
    for d in digits() {
        value = value.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
    }
    let mut result = value.checked_mul(mantissa)?;
    if !parts.positive {
        result = -result;
    }
    let len = num.len() + denom.len();
    let ends_000 = len >= 3 && digits().skip(len - 3).all(|d| d == b'0');
    let starts_0 = digits().next() == Some(b'0');
    let canonical_input = match format {
        Format::BinarySi => exponent % 10 == 0 && value & 0x07 != 0,
        _ => scale % 3 == 0 && !ends_000 && !starts_0,
    };
    Some(Quantity {
        value: BigInt::from(result),
        exp: scale,
        format,
        cached: canonical_input.then(|| s.into()),
        int64_form: true,
    })
}

fn pow10_i128(n: i64) -> Option<i128> {
    if !(0..=38).contains(&n) {
        return None;
    }
    10i128.checked_pow(n as u32)
}

/// The exact path of `ParseQuantity` in i128 when the digits and the
/// scaling fit; None hands over to the arbitrary-precision path.
fn exact_path_small(parts: &Parts) -> Option<Quantity> {
    if parts.num.len() + parts.denom.len() > 36 {
        return None;
    }
    let mut value: i128 = 0;
    for d in parts.num.bytes().chain(parts.denom.bytes()) {
        value = value * 10 + i128::from(d - b'0');
    }
    let mut exp = -(parts.denom.len() as i64);
    let mut format = parts.suffix.format();
    match parts.suffix {
        Suffix::BinarySi(e) => value = value.checked_mul(1i128.checked_shl(e as u32)?)?,
        Suffix::DecimalSi(e) | Suffix::DecimalExponent(e) => exp += i64::from(e),
    }
    if value != 0 && exp < -9 {
        let shift = -9 - exp;
        value = match pow10_i128(shift) {
            Some(p) => {
                let (q, r) = (value / p, value % p);
                if r == 0 { q } else { q + 1 }
            }
            // More than 38 digits to drop from at most 36: a sliver.
            None => 1,
        };
        exp = -9;
    }
    if format == Format::BinarySi {
        // Compare with 2^63-1 and with 1, both at this exponent.
        let scale = pow10_i128(-exp.min(0))?;
        let whole = if exp >= 0 {
            value.checked_mul(pow10_i128(exp)?)
        } else {
            Some(value)
        };
        match whole {
            Some(w) if exp >= 0 && w > i128::from(MAX_ALLOWED) => {
                value = i128::from(MAX_ALLOWED);
                exp = 0;
            }
            None => {
                value = i128::from(MAX_ALLOWED);
                exp = 0;
            }
            _ if exp < 0 && value > i128::from(MAX_ALLOWED).checked_mul(scale)? => {
                value = i128::from(MAX_ALLOWED);
                exp = 0;
            }
            _ => {}
        }
        let one = if exp >= 0 { 1 } else { scale };
        if value != 0 && exp < 0 && value < one {
            format = Format::DecimalSi;
        }
    }
    if !parts.positive {
        value = -value;
    }
    Some(Quantity::raw(BigInt::from(value), exp, format))
}

/// How a canonical form is written: a binary suffix (1..=6 for Ki..Ei),
/// a decimal SI suffix for this exponent, or `e<exponent>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Printed {
    Binary(usize),
    Si(i64),
    Exponent(i64),
}

/// `CanonicalizeBytes` in i128 arithmetic: the number and how its suffix
/// is written; None when a step would not fit.
fn printed_small(v: i128, exp: i64, format: Format) -> Option<(i128, Printed)> {
    let mut format = format;
    if format == Format::BinarySi {
        let scale = pow10_i128(-exp.min(0))?;
        let up = if exp > 0 { pow10_i128(exp)? } else { 1 };
        // |q| < 1024 → DecimalSI.
        let mag = v.checked_abs()?.checked_mul(up)?;
        if mag < 1024i128.checked_mul(scale)? || (exp < 0 && v % scale != 0) {
            // Small, or not a whole number: printed exactly as DecimalSI.
            format = Format::DecimalSi;
        } else {
            let mut int = if exp < 0 {
                v / scale
            } else {
                v.checked_mul(up)?
            };
            let mut times = 0;
            while int % 1024 == 0 {
                int /= 1024;
                times += 1;
            }
            return match times {
                0 => Some((int, Printed::Si(0))),
                1..=6 => Some((int, Printed::Binary(times))),
                _ => None,
            };
        }
    }
    let mut amount = v;
    let mut exponent = exp;
    while amount % 10 == 0 {
        amount /= 10;
        exponent += 1;
    }
    while exponent % 3 != 0 {
        amount = amount.checked_mul(10)?;
        exponent -= 1;
    }
    let si = format == Format::DecimalSi && (-9..=18).contains(&exponent);
    Some(if si || exponent == 0 {
        (amount, Printed::Si(exponent))
    } else {
        (amount, Printed::Exponent(exponent))
    })
}

fn canonical_small(v: i128, exp: i64, format: Format) -> Option<String> {
    let (amount, printed) = printed_small(v, exp, format)?;
    Some(match printed {
        Printed::Binary(t) => format!("{amount}{}", ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][t - 1]),
        Printed::Si(e) => {
            let suffix = match e {
                -9 => "n",
                -6 => "u",
                -3 => "m",
                3 => "k",
                6 => "M",
                9 => "G",
                12 => "T",
                15 => "P",
                18 => "E",
                _ => "",
            };
            format!("{amount}{suffix}")
        }
        Printed::Exponent(e) => format!("{amount}e{e}"),
    })
}

fn digits_to_big(num: &str, denom: &str) -> BigInt {
    let mut digits = String::with_capacity(num.len() + denom.len());
    digits.push_str(num);
    digits.push_str(denom);
    BigInt::parse_bytes(digits.as_bytes(), 10).unwrap_or_default()
}

fn pow10(n: u32) -> BigInt {
    num_traits::pow(BigInt::from(10u32), n as usize)
}

/// Both values at the smaller exponent, as integers.
fn align(a: &Quantity, b: &Quantity) -> (BigInt, BigInt) {
    let exp = a.exp.min(b.exp);
    let up = |q: &Quantity| {
        let d = (q.exp - exp).min(MAX_ALIGN_DIGITS);
        &q.value * pow10(d as u32)
    };
    (up(a), up(b))
}

/// `value` with every factor `base` removed, and how many there were.
fn remove_factors(mut value: BigInt, base: u32) -> (BigInt, i64) {
    let mut times = 0;
    if value.is_zero() {
        return (value, 0);
    }
    let b = BigInt::from(base);
    loop {
        let (q, r) = value.div_rem(&b);
        if !r.is_zero() {
            return (value, times);
        }
        value = q;
        times += 1;
    }
}

/// The integer value of a quantity whose exponent is not negative.
fn integer_of(q: &Quantity) -> BigInt {
    if q.exp >= 0 {
        &q.value * pow10(q.exp.min(MAX_ALIGN_DIGITS) as u32)
    } else {
        q.value.clone() / pow10((-q.exp) as u32)
    }
}

fn exact_decimal(value: &BigInt, exp: i64) -> Option<String> {
    if value.is_zero() {
        return Some("0".into());
    }
    if !(-MAX_ALIGN_DIGITS..=MAX_ALIGN_DIGITS).contains(&exp) {
        return None;
    }
    let neg = value.is_negative();
    let digits = value.magnitude().to_string();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if exp >= 0 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', exp as usize));
        return Some(out);
    }
    let frac = (-exp) as usize;
    let (int_part, frac_part) = if digits.len() > frac {
        let (i, f) = digits.split_at(digits.len() - frac);
        (i.to_string(), f.to_string())
    } else {
        (
            "0".to_string(),
            format!("{}{digits}", "0".repeat(frac - digits.len())),
        )
    };
    let frac_part = frac_part.trim_end_matches('0');
    out.push_str(&int_part);
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(frac_part);
    }
    Some(out)
}

#[cfg(test)]
mod tests;
