//! Which checks run at a level and policy version, and in what order
//! (upstream: policy/registry.go). Baseline checks come first, then
//! restricted ones, each group sorted by ID in byte order; at restricted,
//! a restricted check replaces the baseline checks it overrides.

use super::Forbidden;
use super::api::Level;
use super::baseline as b;
use super::restricted as r;
use super::subject::Subject;

pub type CheckFn = fn(&Subject) -> Option<Forbidden>;

/// One version of a check: used from policy version 1.`since`.
pub struct Versioned {
    pub since: u32,
    pub check: CheckFn,
    /// Baseline check IDs this restricted version replaces.
    pub overrides: &'static [&'static str],
}

pub struct CheckDef {
    pub id: &'static str,
    pub level: Level,
    /// Strictly increasing `since`.
    pub versions: &'static [Versioned],
}

impl CheckDef {
    /// The version of this check that applies at 1.`minor`, if any.
    pub fn at(&self, minor: u32) -> Option<&Versioned> {
        self.versions.iter().rev().find(|v| v.since <= minor)
    }
}

const fn v(since: u32, check: CheckFn) -> Versioned {
    Versioned {
        since,
        check,
        overrides: &[],
    }
}

const fn o(since: u32, check: CheckFn, overrides: &'static [&'static str]) -> Versioned {
    Versioned {
        since,
        check,
        overrides,
    }
}

/// The newest policy version with a change in v0.36 of the library
/// (what Kubernetes 1.36 vendors); `latest` and newer versions use it.
pub const MAX_MINOR: u32 = 35;

/// Every check, baseline IDs sorted, then restricted IDs sorted: the order
/// violations are reported in.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        id: "appArmorProfile",
        level: Level::Baseline,
        versions: &[v(0, b::app_armor_profile)],
    },
    CheckDef {
        id: "capabilities_baseline",
        level: Level::Baseline,
        versions: &[v(0, b::capabilities_baseline)],
    },
    CheckDef {
        id: "hostNamespaces",
        level: Level::Baseline,
        versions: &[v(0, b::host_namespaces)],
    },
    CheckDef {
        id: "hostPathVolumes",
        level: Level::Baseline,
        versions: &[v(0, b::host_path_volumes)],
    },
    CheckDef {
        id: "hostPorts",
        level: Level::Baseline,
        versions: &[v(0, b::host_ports)],
    },
    CheckDef {
        id: "hostProbesAndHostLifecycle",
        level: Level::Baseline,
        versions: &[v(34, b::host_probes_and_host_lifecycle)],
    },
    CheckDef {
        id: "privileged",
        level: Level::Baseline,
        versions: &[v(0, b::privileged)],
    },
    CheckDef {
        id: "procMount",
        level: Level::Baseline,
        versions: &[v(0, b::proc_mount_1_0), v(35, b::proc_mount_1_35)],
    },
    CheckDef {
        id: "seLinuxOptions",
        level: Level::Baseline,
        versions: &[
            v(0, b::se_linux_options_1_0),
            v(31, b::se_linux_options_1_31),
        ],
    },
    CheckDef {
        id: "seccompProfile_baseline",
        level: Level::Baseline,
        versions: &[
            v(0, b::seccomp_profile_baseline_1_0),
            v(19, b::seccomp_profile_baseline_1_19),
        ],
    },
    CheckDef {
        id: "sysctls",
        level: Level::Baseline,
        versions: &[
            v(0, b::sysctls_1_0),
            v(27, b::sysctls_1_27),
            v(29, b::sysctls_1_29),
            v(32, b::sysctls_1_32),
        ],
    },
    CheckDef {
        id: "windowsHostProcess",
        level: Level::Baseline,
        versions: &[v(0, b::windows_host_process)],
    },
    CheckDef {
        id: "allowPrivilegeEscalation",
        level: Level::Restricted,
        versions: &[
            v(8, r::allow_privilege_escalation_1_8),
            v(25, r::allow_privilege_escalation_1_25),
        ],
    },
    CheckDef {
        id: "capabilities_restricted",
        level: Level::Restricted,
        versions: &[
            o(
                22,
                r::capabilities_restricted_1_22,
                &["capabilities_baseline"],
            ),
            o(
                25,
                r::capabilities_restricted_1_25,
                &["capabilities_baseline"],
            ),
        ],
    },
    CheckDef {
        id: "procMount_restricted",
        level: Level::Restricted,
        versions: &[o(35, b::proc_mount_1_0, &["procMount"])],
    },
    CheckDef {
        id: "restrictedVolumes",
        level: Level::Restricted,
        versions: &[o(0, r::restricted_volumes, &["hostPathVolumes"])],
    },
    CheckDef {
        id: "runAsNonRoot",
        level: Level::Restricted,
        versions: &[v(0, r::run_as_non_root_1_0), v(35, r::run_as_non_root_1_35)],
    },
    CheckDef {
        id: "runAsUser",
        level: Level::Restricted,
        versions: &[v(23, r::run_as_user_1_23), v(35, r::run_as_user_1_35)],
    },
    CheckDef {
        id: "seccompProfile_restricted",
        level: Level::Restricted,
        versions: &[
            o(
                19,
                r::seccomp_profile_restricted_1_19,
                &["seccompProfile_baseline"],
            ),
            o(
                25,
                r::seccomp_profile_restricted_1_25,
                &["seccompProfile_baseline"],
            ),
        ],
    },
];

/// The checks that run at `level` and policy version 1.`minor`, in
/// reporting order. Built once per level and version, as upstream's
/// registry does at start-up.
pub fn checks_for(level: Level, minor: u32) -> &'static [(&'static str, CheckFn)] {
    static TABLE: std::sync::OnceLock<Vec<Vec<(&'static str, CheckFn)>>> =
        std::sync::OnceLock::new();
    let minor = minor.min(MAX_MINOR) as usize;
    let row = match level {
        Level::Privileged => return &[],
        Level::Baseline => minor,
        Level::Restricted => (MAX_MINOR as usize + 1) + minor,
    };
    let table = TABLE.get_or_init(|| {
        let mut t = Vec::new();
        for l in [Level::Baseline, Level::Restricted] {
            for m in 0..=MAX_MINOR {
                t.push(build(l, m));
            }
        }
        t
    });
    &table[row]
}

fn build(level: Level, minor: u32) -> Vec<(&'static str, CheckFn)> {
    let overridden: Vec<&str> = if level == Level::Restricted {
        CHECKS
            .iter()
            .filter(|c| c.level == Level::Restricted)
            .filter_map(|c| c.at(minor))
            .flat_map(|v| v.overrides.iter().copied())
            .collect()
    } else {
        Vec::new()
    };
    CHECKS
        .iter()
        .filter(|c| c.level == Level::Baseline || level == Level::Restricted)
        .filter(|c| !overridden.contains(&c.id))
        .filter_map(|c| c.at(minor).map(|v| (c.id, v.check)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_in_upstream_order() {
        let baseline: Vec<&str> = CHECKS
            .iter()
            .filter(|c| c.level == Level::Baseline)
            .map(|c| c.id)
            .collect();
        let restricted: Vec<&str> = CHECKS
            .iter()
            .filter(|c| c.level == Level::Restricted)
            .map(|c| c.id)
            .collect();
        let mut sorted = baseline.clone();
        sorted.sort_unstable();
        assert_eq!(baseline, sorted);
        let mut sorted = restricted.clone();
        sorted.sort_unstable();
        assert_eq!(restricted, sorted);
        assert_eq!(baseline.len() + restricted.len(), CHECKS.len());
        assert!(
            CHECKS
                .iter()
                .all(|c| c.versions.windows(2).all(|w| w[0].since < w[1].since))
        );
        assert_eq!(
            CHECKS
                .iter()
                .flat_map(|c| c.versions)
                .map(|v| v.since)
                .max(),
            Some(MAX_MINOR)
        );
    }

    // upstream: policy/registry_test.go — overrides apply only from the
    // version of the overriding check.
    #[test]
    fn restricted_replaces_overridden_baseline_checks() {
        let ids = |l, m| -> Vec<&str> { checks_for(l, m).iter().map(|c| c.0).collect() };
        let latest = ids(Level::Restricted, MAX_MINOR);
        for gone in [
            "capabilities_baseline",
            "hostPathVolumes",
            "procMount",
            "seccompProfile_baseline",
        ] {
            assert!(!latest.contains(&gone), "{gone}");
        }
        assert_eq!(latest.len(), 15);
        assert_eq!(ids(Level::Baseline, MAX_MINOR).len(), 12);
        // before 1.22 capabilities_baseline still runs at restricted
        assert!(ids(Level::Restricted, 21).contains(&"capabilities_baseline"));
        assert!(!ids(Level::Restricted, 21).contains(&"capabilities_restricted"));
        // before 1.35 the baseline procMount check runs at restricted
        assert!(ids(Level::Restricted, 34).contains(&"procMount"));
        assert!(!ids(Level::Baseline, 33).contains(&"hostProbesAndHostLifecycle"));
        assert!(ids(Level::Privileged, MAX_MINOR).is_empty());
    }
}
