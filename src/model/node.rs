//! A YAML document as a tree of nodes that remember where they were written.
//!
//! Scalars keep their source text and style; what a plain scalar *means* is
//! decided by [`Scalar::resolve`] with the YAML 1.1 rules kubectl applies
//! (go-yaml v2's `resolve.go`), because that is what the API server receives.

use compact_str::CompactString;
use std::fmt;

/// A 1-based line and column in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A mapping entry. Keys are kept as the string the API server would see
/// (kubectl turns `true:` into `"true"`), with the key's own position so a
/// finding about an unknown field points at the key.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Most keys fit in the 24 bytes a `CompactString` keeps inline, so a
    /// big dump's tree costs few allocations to build and to drop.
    pub key: CompactString,
    pub key_pos: Pos,
    pub value: Node,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    pub text: CompactString,
    pub style: Style,
    /// An explicit core-schema tag such as `!!str`, by its suffix (`str`).
    pub tag: Option<String>,
}

/// What a scalar means after YAML 1.1 resolution.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'a str),
}

impl Resolved<'_> {
    /// The JSON type name Go's decoder uses in its errors.
    pub fn json_type(&self) -> &'static str {
        match self {
            Resolved::Null => "null",
            Resolved::Bool(_) => "bool",
            Resolved::Int(_) | Resolved::Float(_) => "number",
            Resolved::Str(_) => "string",
        }
    }
}

impl Scalar {
    pub fn plain(text: &str) -> Scalar {
        Scalar {
            text: text.into(),
            style: Style::Plain,
            tag: None,
        }
    }

    /// Resolve as go-yaml v2 does for an untyped target (the step kubectl
    /// runs before it sends JSON to the API server). Quoted and block
    /// scalars are always strings; timestamps stay strings (go-yaml keeps
    /// them as text when decoding into `interface{}`).
    pub fn resolve(&self) -> Resolved<'_> {
        if let Some(tag) = &self.tag {
            return match tag.as_str() {
                "str" | "binary" | "timestamp" => Resolved::Str(&self.text),
                "null" => Resolved::Null,
                "bool" => resolve_plain(&self.text)
                    .filter(|r| matches!(r, Resolved::Bool(_)))
                    .unwrap_or(Resolved::Str(&self.text)),
                "int" => resolve_plain(&self.text)
                    .filter(|r| matches!(r, Resolved::Int(_)))
                    .unwrap_or(Resolved::Str(&self.text)),
                "float" => match resolve_plain(&self.text) {
                    Some(Resolved::Int(i)) => Resolved::Float(i as f64),
                    Some(f @ Resolved::Float(_)) => f,
                    _ => Resolved::Str(&self.text),
                },
                _ => Resolved::Str(&self.text),
            };
        }
        if self.style != Style::Plain {
            return Resolved::Str(&self.text);
        }
        resolve_plain(&self.text).unwrap_or(Resolved::Str(&self.text))
    }
}

/// go-yaml v2 `resolve()`: a table of words first, then numbers by their
/// first character. Returns `None` for "just a string".
fn resolve_plain(s: &str) -> Option<Resolved<'static>> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Resolved::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Some(Resolved::Bool(true));
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Some(Resolved::Bool(false));
        }
        ".nan" | ".NaN" | ".NAN" => return Some(Resolved::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(Resolved::Float(f64::INFINITY));
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(Resolved::Float(f64::NEG_INFINITY)),
        _ => {}
    }
    let first = s.as_bytes()[0];
    match first {
        b'.' => parse_go_float(s).map(Resolved::Float),
        b'0'..=b'9' | b'+' | b'-' => {
            if looks_like_timestamp(s) {
                return None;
            }
            // Most numbers have no `_`; copy only the ones that do.
            let plain: std::borrow::Cow<'_, str> = if s.contains('_') {
                s.chars().filter(|&c| c != '_').collect::<String>().into()
            } else {
                s.into()
            };
            if let Some(i) = parse_go_int(&plain) {
                return Some(Resolved::Int(i));
            }
            if is_yaml_style_float(&plain) {
                return parse_go_float(&plain).map(Resolved::Float);
            }
            None
        }
        _ => None,
    }
}

/// go-yaml v2 `parseTimestamp`: four digits then `-` is the gate.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 4 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

/// `strconv.ParseInt(s, 0, 64)` then `ParseUint`: sign, `0x`, `0o`, `0b`
/// and a leading `0` for octal. Values beyond 64 bits are not integers.
fn parse_go_int(s: &str) -> Option<i128> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let b = body.as_bytes();
    let prefix = |c: u8| b.len() >= 2 && b[0] == b'0' && b[1].eq_ignore_ascii_case(&c);
    let (radix, digits) = if prefix(b'x') {
        (16, &body[2..])
    } else if prefix(b'o') {
        (8, &body[2..])
    } else if prefix(b'b') {
        (2, &body[2..])
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    if neg {
        (magnitude <= i64::MAX as u128 + 1).then(|| -(magnitude as i128))
    } else {
        (magnitude <= u64::MAX as u128).then_some(magnitude as i128)
    }
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

fn parse_go_float(s: &str) -> Option<f64> {
    // Rust accepts "inf"/"nan" words Go's ParseFloat also accepts, but the
    // callers only pass numeric shapes, so the grammars agree here.
    s.parse::<f64>().ok()
}

impl Node {
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The string value of a scalar child, as the API server would read it.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.get(key)?.scalar()?.resolve() {
            Resolved::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s) if s.resolve() == Resolved::Null)
    }

    /// Number of nodes in this tree, counting this one.
    pub fn count(&self) -> usize {
        match &self.value {
            Value::Scalar(_) => 1,
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => 1 + entries.iter().map(|e| 1 + e.value.count()).sum::<usize>(),
        }
    }

    /// Convert to the JSON kubectl would send. Callers validate types
    /// first; this conversion never fails (non-finite floats become null,
    /// as they cannot be JSON).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Null => J::Null,
                Resolved::Bool(b) => J::Bool(b),
                Resolved::Int(i) => {
                    if let Ok(v) = i64::try_from(i) {
                        J::from(v)
                    } else if let Ok(v) = u64::try_from(i) {
                        J::from(v)
                    } else {
                        J::Null
                    }
                }
                Resolved::Float(f) => {
                    // Go's encoder prints integral floats without a
                    // fraction, so `port: 80.0` reaches the server as 80.
                    if f.fract() == 0.0 && f.abs() < 1e15 {
                        J::from(f as i64)
                    } else {
                        serde_json::Number::from_f64(f).map_or(J::Null, J::Number)
                    }
                }
                Resolved::Str(t) => J::String(t.to_string()),
            },
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.to_string(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Resolved<'_> {
        resolve_plain(s).unwrap_or(Resolved::Str(s))
    }

    // Cases from go-yaml v2 resolve.go / decode_test.go: the YAML 1.1 words
    // kubectl turns into booleans, which a YAML 1.2 parser would keep as text.
    #[test]
    fn yaml_1_1_booleans_and_nulls() {
        for t in [
            "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True",
        ] {
            assert_eq!(r(t), Resolved::Bool(true), "{t}");
        }
        for f in ["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false"] {
            assert_eq!(r(f), Resolved::Bool(false), "{f}");
        }
        for n in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(r(n), Resolved::Null, "{n}");
        }
        assert_eq!(r("yEs"), Resolved::Str("yEs"));
        assert_eq!(r("tRUE"), Resolved::Str("tRUE"));
    }

    #[test]
    fn numbers_as_go_yaml_v2_reads_them() {
        assert_eq!(r("8080"), Resolved::Int(8080));
        assert_eq!(r("-12"), Resolved::Int(-12));
        assert_eq!(r("0x1F"), Resolved::Int(31));
        assert_eq!(r("0755"), Resolved::Int(493));
        assert_eq!(r("0o17"), Resolved::Int(15));
        assert_eq!(r("0b101"), Resolved::Int(5));
        assert_eq!(r("1_000"), Resolved::Int(1000));
        // strconv.ParseInt(s, 0, 64) takes upper-case base prefixes too.
        assert_eq!(r("0X1f"), Resolved::Int(31));
        assert_eq!(r("0O17"), Resolved::Int(15));
        assert_eq!(r("0B101"), Resolved::Int(5));
        assert_eq!(r("-0x_10"), Resolved::Int(-16));
        assert_eq!(r("0x"), Resolved::Str("0x"));
        assert_eq!(r("0xZ"), Resolved::Str("0xZ"));
        // "08" is not octal, but it is a YAML-style float.
        assert_eq!(r("08"), Resolved::Float(8.0));
        assert_eq!(r("1.10"), Resolved::Float(1.1));
        assert_eq!(r("1e3"), Resolved::Float(1000.0));
        assert_eq!(r(".5"), Resolved::Float(0.5));
        assert_eq!(r("18446744073709551615"), Resolved::Int(u64::MAX as i128));
        assert_eq!(r("1.2.3"), Resolved::Str("1.2.3"));
        assert_eq!(r("100m"), Resolved::Str("100m"));
        assert_eq!(r("1Gi"), Resolved::Str("1Gi"));
        assert_eq!(r("0.5Gi"), Resolved::Str("0.5Gi"));
        assert_eq!(r("-"), Resolved::Str("-"));
        assert_eq!(r("+"), Resolved::Str("+"));
    }

    #[test]
    fn timestamps_stay_strings() {
        assert_eq!(r("2001-12-14"), Resolved::Str("2001-12-14"));
        assert_eq!(
            r("2001-12-14t21:59:43.10-05:00"),
            Resolved::Str("2001-12-14t21:59:43.10-05:00")
        );
    }

    #[test]
    fn quoted_scalars_are_strings_and_tags_win() {
        let q = Scalar {
            text: "8080".into(),
            style: Style::Quoted,
            tag: None,
        };
        assert_eq!(q.resolve(), Resolved::Str("8080"));
        let t = Scalar {
            text: "8080".into(),
            style: Style::Plain,
            tag: Some("str".into()),
        };
        assert_eq!(t.resolve(), Resolved::Str("8080"));
        let b = Scalar {
            text: "yes".into(),
            style: Style::Block,
            tag: None,
        };
        assert_eq!(b.resolve(), Resolved::Str("yes"));
    }

    #[test]
    fn integral_floats_reach_json_as_integers() {
        let n = Node {
            pos: Pos::default(),
            value: Value::Scalar(Scalar::plain("80.0")),
        };
        assert_eq!(n.to_json(), serde_json::json!(80));
        let n = Node {
            pos: Pos::default(),
            value: Value::Scalar(Scalar::plain("80.5")),
        };
        assert_eq!(n.to_json(), serde_json::json!(80.5));
    }
}
