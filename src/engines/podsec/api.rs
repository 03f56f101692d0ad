//! Levels, policy versions and namespace labels, as the pod-security-admission
//! library's `api` package reads them (upstream: api/helpers.go,
//! api/constants.go at v0.36.2).

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

pub const LABEL_PREFIX: &str = "pod-security.kubernetes.io/";
pub const ENFORCE_LABEL: &str = "pod-security.kubernetes.io/enforce";
pub const ENFORCE_VERSION_LABEL: &str = "pod-security.kubernetes.io/enforce-version";
pub const AUDIT_LABEL: &str = "pod-security.kubernetes.io/audit";
pub const AUDIT_VERSION_LABEL: &str = "pod-security.kubernetes.io/audit-version";
pub const WARN_LABEL: &str = "pod-security.kubernetes.io/warn";
pub const WARN_VERSION_LABEL: &str = "pod-security.kubernetes.io/warn-version";

/// The three Pod Security Standards, least strict first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub const VALID: &'static str = "privileged, baseline, restricted";

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }

    /// `ParseLevel`: an unknown level is an error, and upstream falls back
    /// to restricted (callers decide whether to fail open instead).
    pub fn parse(s: &str) -> Result<Level, String> {
        match s {
            "privileged" => Ok(Level::Privileged),
            "baseline" => Ok(Level::Baseline),
            "restricted" => Ok(Level::Restricted),
            _ => Err(format!("must be one of {}", Level::VALID)),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy version: `latest` or `v1.<minor>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    Latest,
    Minor(u32),
}

impl Version {
    /// `ParseVersion`: `latest` or `v1.x` (no leading zeros); anything else
    /// is an error and upstream uses `latest`.
    pub fn parse(s: &str) -> Result<Version, String> {
        const MSG: &str = "must be \"latest\" or \"v1.x\"";
        if s == "latest" {
            return Ok(Version::Latest);
        }
        let Some(minor) = s.strip_prefix("v1.") else {
            return Err(MSG.into());
        };
        let digits_ok = !minor.is_empty()
            && minor.bytes().all(|b| b.is_ascii_digit())
            && (minor == "0" || !minor.starts_with('0'));
        if !digits_ok {
            return Err(MSG.into());
        }
        // Go's Atoi fails on overflow, which falls back to latest too.
        minor
            .parse::<u32>()
            .ok()
            .filter(|m| *m <= i32::MAX as u32)
            .map(Version::Minor)
            .ok_or_else(|| MSG.into())
    }

    /// The minor version whose policy applies: upstream evaluates any newer
    /// version (and `latest`) with the newest policy it has.
    pub fn effective_minor(self) -> u32 {
        match self {
            Version::Latest => super::registry::MAX_MINOR,
            Version::Minor(m) => m.min(super::registry::MAX_MINOR),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Latest => f.write_str("latest"),
            Version::Minor(m) => write!(f, "v1.{m}"),
        }
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A level at a version, printed `restricted:latest` as upstream does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LevelVersion {
    pub level: Level,
    pub version: Version,
}

impl LevelVersion {
    pub const fn latest(level: Level) -> Self {
        LevelVersion {
            level,
            version: Version::Latest,
        }
    }

    /// Two privileged policies are the same whatever their versions.
    pub fn equivalent(&self, other: &LevelVersion) -> bool {
        (self.level == Level::Privileged && other.level == Level::Privileged) || self == other
    }
}

impl fmt::Display for LevelVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.level, self.version)
    }
}

impl Serialize for LevelVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a namespace enforces, audits and warns about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub enforce: LevelVersion,
    pub audit: LevelVersion,
    pub warn: LevelVersion,
}

impl Policy {
    /// The API server's built-in defaults (no AdmissionConfiguration):
    /// privileged at latest for all three modes.
    pub const DEFAULT: Policy = Policy {
        enforce: LevelVersion::latest(Level::Privileged),
        audit: LevelVersion::latest(Level::Privileged),
        warn: LevelVersion::latest(Level::Privileged),
    };

    pub fn fully_privileged(&self) -> bool {
        self.enforce.level == Level::Privileged
            && self.audit.level == Level::Privileged
            && self.warn.level == Level::Privileged
    }
}

/// A label the admission plugin could not read, worded like the
/// `field.Invalid` error upstream builds for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LabelError {
    pub label: String,
    pub value: String,
    pub message: String,
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "metadata.labels[{}]: Invalid value: {}: {}",
            self.label,
            super::text::go_quote(&self.value),
            self.message
        )
    }
}

/// `PolicyToEvaluate`: the namespace's labels over the defaults. A bad
/// enforce level means restricted; a bad audit or warn level means
/// privileged (they fail open); a bad version means latest. Warn follows an
/// explicitly stricter enforce level when warn is not set itself.
pub fn policy_to_evaluate(
    labels: Option<&BTreeMap<String, String>>,
    defaults: Policy,
) -> (Policy, Vec<LabelError>) {
    let mut p = defaults;
    let mut errs = Vec::new();
    let Some(labels) = labels.filter(|l| !l.is_empty()) else {
        return (p, errs);
    };
    let mut err = |label: &str, value: &str, message: String| {
        errs.push(LabelError {
            label: label.into(),
            value: value.into(),
            message,
        })
    };
    let mut has_enforce_level = false;
    if let Some(v) = labels.get(ENFORCE_LABEL) {
        match Level::parse(v) {
            Ok(l) => {
                p.enforce.level = l;
                has_enforce_level = true;
            }
            Err(m) => {
                p.enforce.level = Level::Restricted;
                err(ENFORCE_LABEL, v, m);
            }
        }
    }
    if let Some(v) = labels.get(ENFORCE_VERSION_LABEL) {
        p.enforce.version = Version::parse(v).unwrap_or_else(|m| {
            err(ENFORCE_VERSION_LABEL, v, m);
            Version::Latest
        });
    }
    if let Some(v) = labels.get(AUDIT_LABEL) {
        p.audit.level = Level::parse(v).unwrap_or_else(|m| {
            err(AUDIT_LABEL, v, m);
            Level::Privileged
        });
    }
    if let Some(v) = labels.get(AUDIT_VERSION_LABEL) {
        p.audit.version = Version::parse(v).unwrap_or_else(|m| {
            err(AUDIT_VERSION_LABEL, v, m);
            Version::Latest
        });
    }
    let has_warn_level = labels.contains_key(WARN_LABEL);
    if let Some(v) = labels.get(WARN_LABEL) {
        p.warn.level = Level::parse(v).unwrap_or_else(|m| {
            err(WARN_LABEL, v, m);
            Level::Privileged
        });
    }
    let has_warn_version = labels.contains_key(WARN_VERSION_LABEL);
    if let Some(v) = labels.get(WARN_VERSION_LABEL) {
        p.warn.version = Version::parse(v).unwrap_or_else(|m| {
            err(WARN_VERSION_LABEL, v, m);
            Version::Latest
        });
    }
    if !has_warn_level && has_enforce_level && p.enforce.level > p.warn.level {
        p.warn.level = p.enforce.level;
        if !has_warn_version {
            p.warn.version = p.enforce.version;
        }
    }
    (p, errs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    // upstream: api/helpers_test.go TestParseVersion
    #[test]
    fn parses_versions_like_upstream() {
        assert_eq!(Version::parse("latest"), Ok(Version::Latest));
        assert_eq!(Version::parse("v1.0"), Ok(Version::Minor(0)));
        assert_eq!(Version::parse("v1.36"), Ok(Version::Minor(36)));
        for bad in [
            "", "1.0", "v1.", "v1.01", "v2.0", "v1.0.0", "V1.2", "v1.-1", "v1.x",
        ] {
            assert!(Version::parse(bad).is_err(), "{bad}");
        }
        assert!(Version::parse("v1.99999999999999999999").is_err());
        assert_eq!(Version::Minor(40).effective_minor(), 35);
        assert_eq!(Version::Latest.effective_minor(), 35);
    }

    // upstream: api/helpers_test.go TestPolicyToEvaluate
    #[test]
    fn namespace_labels_resolve_like_upstream() {
        let (p, e) = policy_to_evaluate(None, Policy::DEFAULT);
        assert!(e.is_empty() && p.fully_privileged());

        // enforce alone also warns at that level and version
        let l = labels(&[
            (ENFORCE_LABEL, "baseline"),
            (ENFORCE_VERSION_LABEL, "v1.24"),
        ]);
        let (p, _) = policy_to_evaluate(Some(&l), Policy::DEFAULT);
        assert_eq!(p.warn.to_string(), "baseline:v1.24");
        assert_eq!(p.audit.to_string(), "privileged:latest");

        // an explicit warn level is kept, even a weaker one
        let l = labels(&[(ENFORCE_LABEL, "restricted"), (WARN_LABEL, "privileged")]);
        let (p, _) = policy_to_evaluate(Some(&l), Policy::DEFAULT);
        assert_eq!(p.warn.level, Level::Privileged);

        // bad enforce level: restricted, and warn is not defaulted from it
        let l = labels(&[(ENFORCE_LABEL, "Baseline")]);
        let (p, e) = policy_to_evaluate(Some(&l), Policy::DEFAULT);
        assert_eq!(p.enforce.level, Level::Restricted);
        assert_eq!(p.warn.level, Level::Privileged);
        assert_eq!(
            e[0].to_string(),
            "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"Baseline\": must be one of privileged, baseline, restricted"
        );

        // bad warn/audit levels fail open; bad versions mean latest
        let l = labels(&[
            (WARN_LABEL, "strict"),
            (AUDIT_LABEL, "x"),
            (ENFORCE_LABEL, "baseline"),
            (ENFORCE_VERSION_LABEL, "1.25"),
        ]);
        let (p, e) = policy_to_evaluate(Some(&l), Policy::DEFAULT);
        assert_eq!(p.warn.level, Level::Privileged);
        assert_eq!(p.audit.level, Level::Privileged);
        assert_eq!(p.enforce.to_string(), "baseline:latest");
        assert_eq!(e.len(), 3);
    }
}
