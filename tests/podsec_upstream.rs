//! Every upstream Pod Security fixture, at the level and policy version it
//! was written for (upstream: kubernetes/pod-security-admission v0.36.2
//! test/testdata/<level>/<version>/{pass,fail}/*.yaml, bundled one file per
//! directory under tests/fixtures/podsec/upstream). Pass fixtures must have
//! no violation; fail fixtures must fail with the check they were written
//! for (or the restricted check that replaces it), worded as upstream's
//! fixture expects (test/fixtures_*.go expectErrorSubstring).

// Test helpers fail loudly on broken fixtures.
#![allow(clippy::expect_used)]

use k8s_openapi::api::core::v1::Pod;
use kubedojo::engines::podsec::{self, Level, LevelVersion, Source, Subject, Version};
use kubedojo::model::load::{Input, parse_input, resolve_kinds};
use kubedojo::model::yaml::Limits;
use kubedojo::validate::model_as_written;
use std::path::Path;

const DIR: &str = "tests/fixtures/podsec/upstream";

/// upstream: test/fixtures_*.go expectErrorSubstring, by fixture prefix.
fn expected_substring(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "apparmorprofile" => "forbidden AppArmor profile",
        "capabilities_baseline" => "capabilities",
        "capabilities_restricted" => "unrestricted capabilities",
        "hostnamespaces" => "host namespaces",
        "hostpathvolumes" => "hostPath",
        "hostports" => "hostPort",
        "hostprobesandhostlifecycle" => "probe or lifecycle host",
        "procmount" | "procmount_restricted" => "procMount",
        "restrictedvolumes" => "restricted volume types",
        "selinuxoptions" => "seLinuxOptions",
        "seccompprofile_baseline" | "seccompprofile_restricted" => "seccompProfile",
        "sysctls" => "forbidden sysctl",
        "windowshostprocess" => "hostProcess",
        _ => return None,
    })
}

/// The check a restricted policy runs in place of a baseline one.
fn replaced_by(check: &str, level: Level, minor: u32) -> &str {
    if level != Level::Restricted {
        return check;
    }
    match check {
        "capabilities_baseline" if minor >= 22 => "capabilities_restricted",
        "hostpathvolumes" => "restrictedvolumes",
        "seccompprofile_baseline" if minor >= 19 => "seccompprofile_restricted",
        "procmount" if minor >= 35 => "procmount_restricted",
        other => other,
    }
}

fn load(path: &Path) -> Vec<Pod> {
    let bytes = std::fs::read(path).expect("fixture readable");
    let input = Input::new(path.display().to_string(), bytes);
    let mut loaded = parse_input(&input, &Limits::default()).expect("fixture parses");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert!(resolve_kinds(&mut loaded.objects).is_empty());
    let (model, failed) = model_as_written(&loaded.objects);
    assert!(failed.is_empty(), "{path:?}: {failed:?}");
    model.of::<Pod>().map(|p| p.obj.clone()).collect()
}

#[test]
fn every_upstream_fixture_agrees() {
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(DIR)
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let mut parts = stem.split('-');
        let (Some(level), Some(version), Some(kind)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let level = Level::parse(level).expect("level in file name");
        let version = Version::parse(version).expect("version in file name");
        let minor = version.effective_minor();
        let lv = LevelVersion { level, version };
        for pod in load(&path) {
            checked += 1;
            let name = pod.metadata.name.clone().unwrap_or_default();
            let subject = Subject {
                meta: &pod.metadata,
                spec: pod.spec.as_ref().expect("fixture has a spec"),
                source: Source::Pod,
            };
            let violations = podsec::evaluate(lv, &subject);
            let detail = podsec::forbidden_detail(&violations);
            if kind == "pass" {
                if !violations.is_empty() {
                    failures.push(format!("{stem}/{name}: should pass, got {detail}"));
                }
                continue;
            }
            let prefix = name.trim_end_matches(|c: char| c.is_ascii_digit());
            let want = replaced_by(prefix, level, minor);
            if !violations.iter().any(|v| v.check.to_lowercase() == want) {
                failures.push(format!("{stem}/{name}: should fail {want}, got [{detail}]"));
            }
            if let Some(sub) = expected_substring(prefix)
                && !detail.contains(sub)
            {
                failures.push(format!("{stem}/{name}: {sub:?} not in [{detail}]"));
            }
        }
    }
    assert!(checked > 1000, "only {checked} fixtures found");
    assert!(
        failures.is_empty(),
        "{} of {checked} fixtures disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
