//! Field errors worded as the API server words them (apimachinery's
//! `field.Error`), and the name, label and annotation rules every object
//! shares (apimachinery `util/validation` and `api/validate/content`).

use crate::model::path::FieldPath;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
}

impl ErrorType {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
        }
    }
}

/// The offending value, printed as Go's `%q` (strings) or `%v` (numbers).
#[derive(Clone, Debug, PartialEq)]
pub enum BadValue {
    None,
    Str(String),
    Int(i64),
    /// Already formatted (a Stringer's output).
    Raw(String),
}

impl From<&str> for BadValue {
    fn from(s: &str) -> Self {
        BadValue::Str(s.to_string())
    }
}
impl From<String> for BadValue {
    fn from(s: String) -> Self {
        BadValue::Str(s)
    }
}
impl From<i64> for BadValue {
    fn from(i: i64) -> Self {
        BadValue::Int(i)
    }
}
impl From<i32> for BadValue {
    fn from(i: i32) -> Self {
        BadValue::Int(i.into())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub kind: ErrorType,
    /// The path upstream prints.
    pub path: FieldPath,
    pub value: BadValue,
    pub detail: String,
    /// A more precise path to point the learner at, when upstream prints a
    /// parent (labels are reported at `metadata.labels`, but the line that
    /// matters is the label's own).
    pub at: Option<FieldPath>,
}

impl FieldError {
    fn new(kind: ErrorType, path: &FieldPath, value: BadValue, detail: impl Into<String>) -> Self {
        FieldError {
            kind,
            path: path.clone(),
            value,
            detail: detail.into(),
            at: None,
        }
    }

    pub fn required(path: &FieldPath, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Required, path, BadValue::None, detail)
    }

    pub fn invalid(
        path: &FieldPath,
        value: impl Into<BadValue>,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(ErrorType::Invalid, path, value.into(), detail)
    }

    pub fn forbidden(path: &FieldPath, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Forbidden, path, BadValue::None, detail)
    }

    pub fn duplicate(path: &FieldPath, value: impl Into<BadValue>) -> Self {
        Self::new(ErrorType::Duplicate, path, value.into(), "")
    }

    pub fn not_found(path: &FieldPath, value: impl Into<BadValue>) -> Self {
        Self::new(ErrorType::NotFound, path, value.into(), "")
    }

    pub fn not_supported(path: &FieldPath, value: impl Into<BadValue>, valid: &[&str]) -> Self {
        let detail = if valid.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = valid.iter().map(|v| go_quote(v)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        Self::new(ErrorType::NotSupported, path, value.into(), detail)
    }

    pub fn too_long(path: &FieldPath, max_bytes: usize) -> Self {
        Self::new(
            ErrorType::TooLong,
            path,
            BadValue::None,
            format!("must have at most {max_bytes} bytes"),
        )
    }

    pub fn too_many(path: &FieldPath, actual: usize, max: usize) -> Self {
        Self::new(
            ErrorType::TooMany,
            path,
            BadValue::Int(actual as i64),
            format!("must have at most {max} items"),
        )
    }

    pub fn pointing_at(mut self, at: FieldPath) -> Self {
        self.at = Some(at);
        self
    }

    /// What follows `path: ` in upstream's message.
    pub fn body(&self) -> String {
        let mut s = match (self.kind, &self.value) {
            (ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong, _)
            | (_, BadValue::None) => self.kind.as_str().to_string(),
            (_, BadValue::Str(v)) => format!("{}: {}", self.kind.as_str(), go_quote(v)),
            (_, BadValue::Int(i)) => format!("{}: {i}", self.kind.as_str()),
            (_, BadValue::Raw(r)) => format!("{}: {r}", self.kind.as_str()),
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.body())
    }
}

/// Go's `%q` for the strings we print: double quotes, backslash escapes.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

pub fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut m = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            m.push_str(" or ");
        }
        m.push_str(&format!("'{e}', "));
    }
    m.push_str(&format!("regex used for validation is '{fmt}')"));
    m
}

pub fn inclusive_range_error(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

fn is_lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
fn matches_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && is_lower_alnum(b[0])
        && is_lower_alnum(b[b.len() - 1])
        && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
}

fn matches_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns1123_label)
}

pub fn is_dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !matches_dns1123_label(s) {
        if matches_dns1123_subdomain(s) {
            errs.push("must not contain dots".into());
        } else {
            errs.push(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

pub fn is_dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !matches_dns1123_subdomain(s) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

pub fn is_dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    let b = s.as_bytes();
    let ok = !b.is_empty()
        && b[0].is_ascii_lowercase()
        && is_lower_alnum(b[b.len() - 1])
        && b.iter().all(|&c| is_lower_alnum(c) || c == b'-');
    if !ok {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`
fn matches_label_key_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

const LABEL_KEY_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// A label key, also called a qualified name: `[prefix/]name`.
pub fn is_label_key(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    is_dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_MSG, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".into());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !matches_label_key_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                LABEL_KEY_MSG,
                LABEL_KEY_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

pub fn is_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !value.is_empty() && !matches_label_key_name(value) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// An IANA service name, as container and service port names must be.
pub fn is_valid_port_name(port: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push(max_len_error(15));
    }
    if port.is_empty()
        || !port
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if !port.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

pub fn is_valid_port_num(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec![inclusive_range_error(1, 65535)]
    }
}

/// Environment variable names since RelaxedEnvironmentVariableValidation
/// went GA: any printable ASCII except `=`.
pub fn is_relaxed_env_var_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.is_empty() {
        errs.push("environment variable name must be non-empty".into());
    }
    if value.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
        errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='".into());
    }
    errs
}

/// `path.ValidatePathSegmentName`, used for RBAC and some other names.
pub fn is_path_segment_name(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name == "." || name == ".." {
        errs.push(format!("may not be '{name}'"));
    }
    for bad in ["/", "%"] {
        if name.contains(bad) {
            errs.push(format!("may not contain '{bad}'"));
        }
    }
    errs
}

/// How a kind's `metadata.name` is validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    Subdomain,
    Label,
    Dns1035,
    PathSegment,
}

impl NameRule {
    pub fn check(self, name: &str) -> Vec<String> {
        match self {
            NameRule::Subdomain => is_dns1123_subdomain(name),
            NameRule::Label => is_dns1123_label(name),
            NameRule::Dns1035 => is_dns1035_label(name),
            NameRule::PathSegment => is_path_segment_name(name),
        }
    }

    /// The rule each kind's registry strategy uses.
    pub fn for_kind(kind: &str) -> NameRule {
        match kind {
            "Namespace" => NameRule::Label,
            "Service" => NameRule::Dns1035,
            "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" | "PersistentVolume" => {
                NameRule::PathSegment
            }
            _ => NameRule::Subdomain,
        }
    }
}

/// `ValidateLabels`: upstream reports at `metadata.labels`; we also point
/// at the label's own line.
pub fn validate_labels<'a>(
    labels: impl Iterator<Item = (&'a String, &'a String)>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut out = Vec::new();
    for (k, v) in labels {
        for msg in is_label_key(k) {
            out.push(FieldError::invalid(path, k.as_str(), msg).pointing_at(path.key(k)));
        }
        for msg in is_label_value(v) {
            out.push(FieldError::invalid(path, v.as_str(), msg).pointing_at(path.key(k)));
        }
    }
    out
}

pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * (1 << 10);

pub fn validate_annotations<'a>(
    annotations: impl Iterator<Item = (&'a String, &'a String)>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut out = Vec::new();
    let mut total = 0;
    for (k, v) in annotations {
        for msg in is_label_key(&k.to_ascii_lowercase()) {
            out.push(FieldError::invalid(path, k.as_str(), msg).pointing_at(path.key(k)));
        }
        total += k.len() + v.len();
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        out.push(FieldError::too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    out
}

/// `ValidateObjectMeta` for a new object: name (or generateName), the
/// namespace's own format, labels and annotations.
pub fn validate_object_meta(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    kind: &str,
    namespaced: bool,
) -> Vec<FieldError> {
    let path = FieldPath::root().field("metadata");
    let mut out = Vec::new();
    let rule = NameRule::for_kind(kind);
    match (meta.name.as_deref(), meta.generate_name.as_deref()) {
        (Some(name), _) if !name.is_empty() => {
            for msg in rule.check(name) {
                out.push(FieldError::invalid(&path.field("name"), name, msg));
            }
        }
        (_, Some(gen_name)) if !gen_name.is_empty() => {
            // Upstream checks the prefix with the trailing '-' trimmed.
            let prefix = gen_name.trim_end_matches('-');
            for msg in rule.check(if prefix.is_empty() { "a" } else { prefix }) {
                out.push(FieldError::invalid(
                    &path.field("generateName"),
                    gen_name,
                    msg,
                ));
            }
        }
        _ => out.push(FieldError::required(
            &path.field("name"),
            "name or generateName is required",
        )),
    }
    if namespaced && let Some(ns) = meta.namespace.as_deref() {
        for msg in is_dns1123_label(ns) {
            out.push(FieldError::invalid(&path.field("namespace"), ns, msg));
        }
    }
    if let Some(labels) = &meta.labels {
        out.extend(validate_labels(labels.iter(), &path.field("labels")));
    }
    if let Some(annotations) = &meta.annotations {
        out.extend(validate_annotations(
            annotations.iter(),
            &path.field("annotations"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Messages from apimachinery validation_test.go / errors_test.go.
    #[test]
    fn errors_print_like_upstream() {
        let p = FieldPath::parse("metadata.name");
        let e = FieldError::invalid(&p, "My_App", "bad");
        assert_eq!(
            e.to_string(),
            "metadata.name: Invalid value: \"My_App\": bad"
        );
        let e = FieldError::required(&FieldPath::parse("spec.containers"), "");
        assert_eq!(e.to_string(), "spec.containers: Required value");
        let e = FieldError::not_supported(
            &FieldPath::parse("spec.ports[0].protocol"),
            "tcp",
            &["SCTP", "TCP", "UDP"],
        );
        assert_eq!(
            e.to_string(),
            "spec.ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\""
        );
        let e = FieldError::invalid(
            &FieldPath::parse("spec.replicas"),
            -1i64,
            "must be greater than or equal to 0",
        );
        assert_eq!(
            e.to_string(),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        let e = FieldError::forbidden(&FieldPath::parse("spec.x"), "not allowed");
        assert_eq!(e.to_string(), "spec.x: Forbidden: not allowed");
    }

    #[test]
    fn dns_names() {
        assert!(is_dns1123_label("my-name").is_empty());
        assert!(is_dns1123_label("123-abc").is_empty());
        assert_eq!(is_dns1123_label("a.b"), ["must not contain dots"]);
        assert!(!is_dns1123_label("My-Name").is_empty());
        assert!(!is_dns1123_label("-a").is_empty());
        assert_eq!(is_dns1123_label(&"a".repeat(64)), [max_len_error(63)]);
        assert!(is_dns1123_subdomain("example.com").is_empty());
        assert!(!is_dns1123_subdomain("example..com").is_empty());
        assert!(!is_dns1123_subdomain("My_App").is_empty());
        assert!(is_dns1035_label("abc-123").is_empty());
        assert!(!is_dns1035_label("1abc").is_empty());
    }

    #[test]
    fn label_keys_and_values() {
        assert!(is_label_key("app").is_empty());
        assert!(is_label_key("app.kubernetes.io/name").is_empty());
        assert!(is_label_key("MyName").is_empty());
        assert_eq!(is_label_key("/a"), ["prefix part must be non-empty"]);
        assert!(is_label_key("a/b/c")[0].starts_with("a valid label key must consist"));
        assert!(
            is_label_key("Example.com/a")[0]
                .starts_with("prefix part a lowercase RFC 1123 subdomain")
        );
        assert!(is_label_value("").is_empty());
        assert!(is_label_value("v1.2_3-x").is_empty());
        assert!(!is_label_value("-x").is_empty());
        assert!(!is_label_value("a b").is_empty());
        assert_eq!(is_label_value(&"a".repeat(64)), [max_len_error(63)]);
    }

    #[test]
    fn port_names() {
        assert!(is_valid_port_name("http").is_empty());
        assert!(is_valid_port_name("http-alt2").is_empty());
        assert_eq!(
            is_valid_port_name("8080"),
            ["must contain at least one letter (a-z)"]
        );
        assert!(is_valid_port_name("HTTP").contains(
            &"must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string()
        ));
        assert!(!is_valid_port_name("a-very-long-port-name").is_empty());
    }
}
