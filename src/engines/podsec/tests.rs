//! Upstream's check tests, transcribed (upstream: policy/check_*_test.go at
//! v0.36.2). Pods are written as YAML; each case names the upstream test
//! and case it comes from.

use super::*;
use crate::model::yaml::{Limits, parse};
use k8s_openapi::api::core::v1::Pod;

fn pod(yaml: &str) -> Pod {
    let doc = parse(yaml, &Limits::default())
        .expect("test YAML parses")
        .documents
        .remove(0);
    serde_json::from_value(doc.root.to_json()).expect("test pod decodes")
}

fn subject(p: &Pod) -> Subject<'_> {
    Subject {
        meta: &p.metadata,
        spec: p.spec.as_ref().expect("spec"),
        source: Source::Pod,
    }
}

/// The one violation of `check` at restricted:latest (or baseline when the
/// check is a baseline check).
fn only(check: &str, yaml: &str) -> Option<(String, String)> {
    let p = pod(yaml);
    let s = subject(&p);
    let def = registry::CHECKS
        .iter()
        .find(|c| c.id == check)
        .expect("known check");
    let f = (def.at(registry::MAX_MINOR).expect("current").check)(&s);
    f.map(|f| (f.reason, f.detail))
}

fn denied(check: &str, yaml: &str) -> (String, String) {
    only(check, yaml).unwrap_or_else(|| panic!("{check} should forbid"))
}

// upstream: check_allowPrivilegeEscalation_test.go "multiple containers",
// "windows pod, admit without checking privilegeEscalation"
#[test]
fn allow_privilege_escalation() {
    let (r, d) = denied(
        "allowPrivilegeEscalation",
        "spec:\n  containers:\n  - name: a\n  - name: b\n    securityContext: {allowPrivilegeEscalation: true}\n  - name: c\n    securityContext: {}\n  - name: d\n    securityContext: {allowPrivilegeEscalation: false}\n",
    );
    assert_eq!(r, "allowPrivilegeEscalation != false");
    assert_eq!(
        d,
        r#"containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false"#
    );
    assert!(
        only(
            "allowPrivilegeEscalation",
            "spec:\n  os: {name: windows}\n  containers:\n  - name: a\n"
        )
        .is_none()
    );
}

// upstream: check_appArmorProfile_test.go "unconfined pod", "unconfined
// init container", "multiple containers"
#[test]
fn app_armor() {
    let (r, d) = denied(
        "appArmorProfile",
        "spec:\n  securityContext:\n    appArmorProfile: {type: Unconfined}\n  containers: [{name: a}]\n",
    );
    assert_eq!(r, "forbidden AppArmor profile");
    assert_eq!(
        d,
        r#"pod must not set AppArmor profile type to "Unconfined""#
    );
    let (_, d) = denied(
        "appArmorProfile",
        "spec:\n  initContainers:\n  - name: bar\n    securityContext:\n      appArmorProfile: {type: Unconfined}\n  containers:\n  - name: foo\n    securityContext:\n      appArmorProfile: {type: RuntimeDefault}\n",
    );
    assert_eq!(
        d,
        r#"container "bar" must not set AppArmor profile type to "Unconfined""#
    );
    let (r, d) = denied(
        "appArmorProfile",
        r#"metadata:
  annotations:
    container.apparmor.security.beta.kubernetes.io/: bogus
    container.apparmor.security.beta.kubernetes.io/a: ""
    container.apparmor.security.beta.kubernetes.io/b: runtime/default
    container.apparmor.security.beta.kubernetes.io/c: localhost/
    container.apparmor.security.beta.kubernetes.io/d: localhost/foo
    container.apparmor.security.beta.kubernetes.io/e: unconfined
    container.apparmor.security.beta.kubernetes.io/f: unknown
spec:
  containers: []
"#,
    );
    assert_eq!(r, "forbidden AppArmor profiles");
    assert_eq!(
        d,
        r#"annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/="bogus"", "container.apparmor.security.beta.kubernetes.io/e="unconfined"", "container.apparmor.security.beta.kubernetes.io/f="unknown"""#
    );
}

// upstream: check_capabilities_baseline_test.go "multiple containers"
#[test]
fn capabilities_baseline() {
    let (r, d) = denied(
        "capabilities_baseline",
        "spec:\n  containers:\n  - name: a\n    securityContext: {capabilities: {add: [FOO, BAR]}}\n  - name: b\n    securityContext: {capabilities: {add: [BAR, BAZ]}}\n  - name: c\n    securityContext: {capabilities: {add: [CHOWN, NET_BIND_SERVICE]}}\n",
    );
    assert_eq!(r, "non-default capabilities");
    assert_eq!(
        d,
        r#"containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add"#
    );
}

// upstream: check_capabilities_restricted_test.go "multiple containers",
// "windows pod, admit without checking capabilities", "linux pod, reject
// if security context is not set"
#[test]
fn capabilities_restricted() {
    let (r, d) = denied(
        "capabilities_restricted",
        "spec:\n  containers:\n  - name: a\n    securityContext: {capabilities: {add: [FOO, BAR]}}\n  - name: b\n    securityContext: {capabilities: {add: [BAR, BAZ]}}\n  - name: c\n    securityContext: {capabilities: {add: [NET_BIND_SERVICE, CHOWN], drop: [ALL, FOO]}}\n",
    );
    assert_eq!(r, "unrestricted capabilities");
    assert_eq!(
        d,
        r#"containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add"#
    );
    assert!(
        only(
            "capabilities_restricted",
            "spec:\n  os: {name: windows}\n  containers: [{name: a}]\n"
        )
        .is_none()
    );
    let (_, d) = denied(
        "capabilities_restricted",
        "spec:\n  os: {name: linux}\n  containers: [{name: a}]\n",
    );
    assert_eq!(
        d,
        r#"container "a" must set securityContext.capabilities.drop=["ALL"]"#
    );
}

// upstream: check_hostNamespaces_test.go "multiple host namespaces"
#[test]
fn host_namespaces() {
    let (r, d) = denied(
        "hostNamespaces",
        "spec:\n  hostIPC: true\n  hostNetwork: true\n  hostPID: true\n  containers: []\n",
    );
    assert_eq!(r, "host namespaces");
    assert_eq!(d, "hostNetwork=true, hostPID=true, hostIPC=true");
}

// upstream: check_hostPathVolumes_test.go "host path volumes"
#[test]
fn host_path_volumes() {
    let (r, d) = denied(
        "hostPathVolumes",
        "spec:\n  containers: []\n  volumes:\n  - {name: a, hostPath: {path: /a}}\n  - {name: b, hostPath: {path: /b}}\n  - {name: c, emptyDir: {}}\n",
    );
    assert_eq!(r, "hostPath volumes");
    assert_eq!(d, r#"volumes "a", "b""#);
}

// upstream: check_hostPorts_test.go "one container, one host port",
// "multiple containers, multiple host port"
#[test]
fn host_ports() {
    let (r, d) = denied(
        "hostPorts",
        "spec:\n  containers:\n  - {name: a, ports: [{containerPort: 1}]}\n  - {name: b, ports: [{containerPort: 2, hostPort: 20}]}\n",
    );
    assert_eq!(r, "hostPort");
    assert_eq!(d, r#"container "b" uses hostPort 20"#);
    let (_, d) = denied(
        "hostPorts",
        "spec:\n  containers:\n  - {name: a, ports: [{containerPort: 1}]}\n  - {name: b, ports: [{containerPort: 2, hostPort: 20}]}\n  - {name: c, ports: [{containerPort: 1, hostPort: 10}, {containerPort: 3, hostPort: 30}]}\n",
    );
    assert_eq!(d, r#"containers "b", "c" use hostPorts 10, 20, 30"#);
    // ports are a sorted set of strings: "10" < "9"
    let (_, d) = denied(
        "hostPorts",
        "spec:\n  containers:\n  - {name: a, ports: [{containerPort: 1, hostPort: 9}, {containerPort: 2, hostPort: 10}, {containerPort: 3, hostPort: 9}]}\n",
    );
    assert_eq!(d, r#"container "a" uses hostPorts 10, 9"#);
}

// The API server defaults hostPort to containerPort in a hostNetwork Pod
// before admission (upstream: pkg/apis/core/v1/defaults.go SetDefaults_Pod),
// but not in a pod template.
#[test]
fn host_network_pods_get_host_ports() {
    let p = pod(
        "spec:\n  hostNetwork: true\n  containers:\n  - {name: web, ports: [{containerPort: 8080}]}\n",
    );
    let mut s = subject(&p);
    let v = evaluate(LevelVersion::latest(Level::Baseline), &s);
    assert_eq!(
        forbidden_detail(&v),
        r#"host namespaces (hostNetwork=true), hostPort (container "web" uses hostPort 8080)"#
    );
    s.source = Source::Template;
    let v = evaluate(LevelVersion::latest(Level::Baseline), &s);
    assert_eq!(forbidden_detail(&v), "host namespaces (hostNetwork=true)");
}

// upstream: check_hostProbesAndhostLifecycle_test.go
#[test]
fn host_probes_and_lifecycle() {
    let (r, d) = denied(
        "hostProbesAndHostLifecycle",
        r#"spec:
  containers:
  - name: a
    livenessProbe: {httpGet: {host: localhost, port: 80}}
    readinessProbe: {tcpSocket: {host: 127.0.0.1, port: 80}}
    startupProbe: {httpGet: {host: "::1", port: 80}}
"#,
    );
    assert_eq!(r, "probe or lifecycle host");
    assert_eq!(
        d,
        r#"container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost""#
    );
    let (_, d) = denied(
        "hostProbesAndHostLifecycle",
        r#"spec:
  containers:
  - name: invalid2
    lifecycle: {preStop: {httpGet: {host: b.com, port: 80}}}
  - name: valid
    livenessProbe: {httpGet: {host: "", port: 80}}
  - name: invalid1
    lifecycle: {postStart: {tcpSocket: {host: a.com, port: 80}}}
    readinessProbe: {httpGet: {host: a.com, port: 80}}
"#,
    );
    assert_eq!(
        d,
        r#"containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com""#
    );
    let (_, d) = denied(
        "hostProbesAndHostLifecycle",
        "spec:\n  initContainers:\n  - name: init\n    livenessProbe: {tcpSocket: {host: invalid.init.host, port: 80}}\n  containers: []\n",
    );
    assert_eq!(
        d,
        r#"container "init" uses probe or lifecycle host "invalid.init.host""#
    );
    // not part of policy 1.33
    let p = pod(
        "spec:\n  containers:\n  - name: a\n    livenessProbe: {httpGet: {host: x, port: 80}}\n",
    );
    let old = LevelVersion {
        level: Level::Baseline,
        version: Version::Minor(33),
    };
    assert!(evaluate(old, &subject(&p)).is_empty());
}

// upstream: check_privileged_test.go "privileged"
#[test]
fn privileged() {
    let (r, d) = denied(
        "privileged",
        "spec:\n  containers:\n  - name: a\n  - {name: b, securityContext: {}}\n  - {name: c, securityContext: {privileged: false}}\n  - {name: d, securityContext: {privileged: true}}\n  - {name: e, securityContext: {privileged: true}}\n",
    );
    assert_eq!(r, "privileged");
    assert_eq!(
        d,
        r#"containers "d", "e" must not set securityContext.privileged=true"#
    );
}

// upstream: check_procMount_baseline_test.go "procMount", "procMount with
// userns"; check_procMount_restricted_test.go "procMount"
#[test]
fn proc_mount() {
    let yaml = "spec:\n  containers:\n  - name: a\n  - {name: b, securityContext: {}}\n  - {name: c, securityContext: {procMount: Default}}\n  - {name: d, securityContext: {procMount: Unmasked}}\n  - {name: e, securityContext: {procMount: other}}\n";
    let (r, d) = denied("procMount", yaml);
    assert_eq!(r, "procMount");
    assert_eq!(
        d,
        r#"containers "d", "e" must not set securityContext.procMount to "Unmasked", "other""#
    );
    assert_eq!(denied("procMount_restricted", yaml).1, d);
    let userns = yaml.replace("spec:\n", "spec:\n  hostUsers: false\n");
    assert!(only("procMount", &userns).is_none());
    // hostUsers: false does not relax procMount_restricted
    assert_eq!(denied("procMount_restricted", &userns).1, d);
    // at restricted, the baseline check is replaced, not reported twice
    let p = pod(&userns);
    let v = evaluate(LevelVersion::latest(Level::Restricted), &subject(&p));
    let ids: Vec<&str> = v.iter().map(|v| v.check).collect();
    assert!(ids.contains(&"procMount_restricted") && !ids.contains(&"procMount"));
}

// upstream: check_restrictedVolumes_test.go "host path volumes" — except
// the source-less volume, which the API server defaults to emptyDir
// before admission (SetDefaults_Volume).
#[test]
fn restricted_volumes() {
    let yaml = r#"spec:
  containers: []
  volumes:
  - {name: a1, emptyDir: {}}
  - {name: a2, secret: {}}
  - {name: a3, persistentVolumeClaim: {claimName: x}}
  - {name: a4, downwardAPI: {}}
  - {name: a5, configMap: {}}
  - {name: a6, projected: {}}
  - {name: a7, csi: {driver: x}}
  - {name: a8, ephemeral: {}}
  - {name: a9, image: {}}
  - {name: b1, hostPath: {path: /}}
  - {name: b2, gcePersistentDisk: {pdName: x}}
  - {name: b3, awsElasticBlockStore: {volumeID: x}}
  - {name: b4, gitRepo: {repository: x}}
  - {name: b5, nfs: {server: x, path: /}}
  - {name: b6, iscsi: {targetPortal: x, iqn: x, lun: 0}}
  - {name: b7, glusterfs: {endpoints: x, path: x}}
  - {name: b8, rbd: {monitors: [x], image: x}}
  - {name: b9, flexVolume: {driver: x}}
  - {name: b10, cinder: {volumeID: x}}
  - {name: b11, cephfs: {monitors: [x]}}
  - {name: b12, flocker: {}}
  - {name: b13, fc: {}}
  - {name: b14, azureFile: {secretName: x, shareName: x}}
  - {name: b15, vsphereVolume: {volumePath: x}}
  - {name: b16, quobyte: {registry: x, volume: x}}
  - {name: b17, azureDisk: {diskName: x, diskURI: x}}
  - {name: b18, photonPersistentDisk: {pdID: x}}
  - {name: b19, portworxVolume: {volumeID: x}}
  - {name: b20, scaleIO: {gateway: x, system: x, secretRef: {}}}
  - {name: b21, storageos: {}}
  - {name: c1}
"#;
    let (r, d) = denied("restrictedVolumes", yaml);
    assert_eq!(r, "restricted volume types");
    assert_eq!(
        d,
        concat!(
            r#"volumes "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21""#,
            r#" use restricted volume types "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", "#,
            r#""hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "vsphereVolume""#
        )
    );
    assert!(
        only(
            "restrictedVolumes",
            "spec:\n  containers: []\n  volumes: [{name: c1}]\n"
        )
        .is_none()
    );
}

// upstream: check_runAsNonRoot_test.go
#[test]
fn run_as_non_root() {
    let (r, d) = denied("runAsNonRoot", "spec:\n  containers: [{name: a}]\n");
    assert_eq!(r, "runAsNonRoot != true");
    assert_eq!(
        d,
        r#"pod or container "a" must set securityContext.runAsNonRoot=true"#
    );
    let (_, d) = denied(
        "runAsNonRoot",
        "spec:\n  securityContext: {runAsNonRoot: false}\n  containers: [{name: a}]\n",
    );
    assert_eq!(d, "pod must not set securityContext.runAsNonRoot=false");
    let (_, d) = denied(
        "runAsNonRoot",
        "spec:\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - name: a\n  - {name: b, securityContext: {}}\n  - {name: c, securityContext: {runAsNonRoot: false}}\n  - {name: d, securityContext: {runAsNonRoot: false}}\n  - {name: e, securityContext: {runAsNonRoot: true}}\n",
    );
    assert_eq!(
        d,
        r#"containers "c", "d" must not set securityContext.runAsNonRoot=false"#
    );
    let (_, d) = denied(
        "runAsNonRoot",
        "spec:\n  containers:\n  - name: a\n  - {name: b, securityContext: {}}\n  - {name: c, securityContext: {runAsNonRoot: true}}\n",
    );
    assert_eq!(
        d,
        r#"pod or containers "a", "b" must set securityContext.runAsNonRoot=true"#
    );
    assert!(
        only(
            "runAsNonRoot",
            "spec:\n  hostUsers: false\n  containers: [{name: a}]\n"
        )
        .is_none()
    );
}

// upstream: check_runAsUser_test.go
#[test]
fn run_as_user() {
    let (r, d) = denied(
        "runAsUser",
        "spec:\n  securityContext: {runAsUser: 0}\n  containers: [{name: a}]\n",
    );
    assert_eq!(r, "runAsUser=0");
    assert_eq!(d, "pod must not set runAsUser=0");
    assert!(
        only(
            "runAsUser",
            "spec:\n  securityContext: {runAsUser: 1000}\n  containers: [{name: a}]\n"
        )
        .is_none()
    );
    let (_, d) = denied(
        "runAsUser",
        "spec:\n  securityContext: {runAsUser: 1000}\n  containers:\n  - name: a\n  - {name: b, securityContext: {}}\n  - {name: c, securityContext: {runAsUser: 0}}\n  - {name: d, securityContext: {runAsUser: 0}}\n  - {name: e, securityContext: {runAsUser: 1}}\n",
    );
    assert_eq!(d, r#"containers "c", "d" must not set runAsUser=0"#);
    assert!(only("runAsUser", "spec:\n  hostUsers: false\n  securityContext: {runAsUser: 0}\n  containers: [{name: a}]\n").is_none());
}

// upstream: check_seLinuxOptions_test.go
#[test]
fn se_linux_options() {
    let (r, d) = denied(
        "seLinuxOptions",
        r#"spec:
  securityContext:
    seLinuxOptions: {type: foo, user: bar, role: baz}
  containers:
  - {name: a, securityContext: {seLinuxOptions: {type: container_t}}}
  - {name: b, securityContext: {seLinuxOptions: {type: container_init_t}}}
  - {name: c, securityContext: {seLinuxOptions: {type: container_kvm_t}}}
  - {name: d, securityContext: {seLinuxOptions: {type: container_engine_t}}}
  - {name: e, securityContext: {seLinuxOptions: {type: bar}}}
  - {name: f, securityContext: {seLinuxOptions: {user: bar}}}
  - {name: g, securityContext: {seLinuxOptions: {role: baz}}}
"#,
    );
    assert_eq!(r, "seLinuxOptions");
    assert_eq!(
        d,
        r#"pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set"#
    );
    let (_, d) = denied(
        "seLinuxOptions",
        "spec:\n  securityContext: {seLinuxOptions: {type: bad}}\n  containers: []\n",
    );
    assert_eq!(
        d,
        r#"pod set forbidden securityContext.seLinuxOptions: type "bad""#
    );
    let (_, d) = denied(
        "seLinuxOptions",
        "spec:\n  securityContext: {seLinuxOptions: {role: x}}\n  containers: []\n",
    );
    assert_eq!(
        d,
        "pod set forbidden securityContext.seLinuxOptions: role may not be set"
    );
    // container_engine_t is allowed from policy 1.31 only
    let p = pod(
        "spec:\n  containers:\n  - {name: d, securityContext: {seLinuxOptions: {type: container_engine_t}}}\n",
    );
    let at = |m| LevelVersion {
        level: Level::Baseline,
        version: Version::Minor(m),
    };
    assert_eq!(evaluate(at(30), &subject(&p)).len(), 1);
    assert!(evaluate(at(31), &subject(&p)).is_empty());
}

// upstream: check_seccompProfile_baseline_test.go (1.0 and 1.19)
#[test]
fn seccomp_baseline() {
    let yaml = r#"metadata:
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: unconfined
    container.seccomp.security.alpha.kubernetes.io/a: unconfined
    container.seccomp.security.alpha.kubernetes.io/b: unknown
spec:
  containers: [{name: a}, {name: b}, {name: c}]
"#;
    let p = pod(yaml);
    let f = baseline::seccomp_profile_baseline_1_0(&subject(&p)).expect("forbidden");
    assert_eq!(f.reason, "seccompProfile");
    assert_eq!(
        f.detail,
        r#"forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined""#
    );
    // annotations are ignored at latest
    assert!(only("seccompProfile_baseline", yaml).is_none());
    let (r, d) = denied(
        "seccompProfile_baseline",
        "spec:\n  securityContext: {seccompProfile: {type: Unconfined}}\n  containers:\n  - name: a\n  - {name: b, securityContext: {seccompProfile: {type: RuntimeDefault}}}\n  - {name: c, securityContext: {seccompProfile: {type: Unconfined}}}\n  - {name: d, securityContext: {seccompProfile: {type: Unconfined}}}\n",
    );
    assert_eq!(r, "seccompProfile");
    assert_eq!(
        d,
        r#"pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined""#
    );
}

// upstream: check_seccompProfile_restricted_test.go
#[test]
fn seccomp_restricted() {
    let (r, d) = denied(
        "seccompProfile_restricted",
        "spec:\n  containers: [{name: a}]\n",
    );
    assert_eq!(r, "seccompProfile");
    assert_eq!(
        d,
        r#"pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#
    );
    assert!(
        only(
            "seccompProfile_restricted",
            "spec:\n  os: {name: windows}\n  containers: [{name: a}]\n"
        )
        .is_none()
    );
    let (_, d) = denied(
        "seccompProfile_restricted",
        "spec:\n  securityContext: {seccompProfile: {type: Unconfined}}\n  containers: [{name: a}]\n",
    );
    assert_eq!(
        d,
        r#"pod must not set securityContext.seccompProfile.type to "Unconfined""#
    );
    let (_, d) = denied(
        "seccompProfile_restricted",
        "spec:\n  securityContext: {seccompProfile: {type: Localhost}}\n  containers:\n  - name: a\n  - {name: b, securityContext: {}}\n  - {name: c, securityContext: {seccompProfile: {type: Unconfined}}}\n  - {name: d, securityContext: {seccompProfile: {type: Unconfined}}}\n  - {name: e, securityContext: {seccompProfile: {type: RuntimeDefault}}}\n",
    );
    assert_eq!(
        d,
        r#"containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined""#
    );
    let (_, d) = denied(
        "seccompProfile_restricted",
        "spec:\n  containers:\n  - name: a\n  - {name: b, securityContext: {}}\n  - {name: c, securityContext: {seccompProfile: {type: RuntimeDefault}}}\n",
    );
    assert_eq!(
        d,
        r#"pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#
    );
}

// upstream: check_sysctls_test.go — the 1.32 set is the newest in v0.36;
// names newer releases allow are still forbidden here.
#[test]
fn sysctls() {
    let (r, d) = denied(
        "sysctls",
        "spec:\n  securityContext: {sysctls: [{name: a, value: v1}, {name: b, value: v2}]}\n  containers: []\n",
    );
    assert_eq!(r, "forbidden sysctls");
    assert_eq!(d, "a, b");
    for ok in [
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_probes",
        "net.ipv4.tcp_rmem",
        "net.ipv4.tcp_wmem",
    ] {
        assert!(baseline::sysctl_allowed(ok, 35), "{ok}");
    }
    assert!(!baseline::sysctl_allowed("net.ipv4.tcp_rmem", 31));
    assert!(!baseline::sysctl_allowed(
        "net.ipv4.ip_local_reserved_ports",
        26
    ));
    assert!(!baseline::sysctl_allowed("kernel.msgmax", 35));
    assert!(!baseline::sysctl_allowed("net.ipv4.tcp_keepalive_time", 28));
}

// upstream: check_windowsHostProcess_test.go
#[test]
fn windows_host_process() {
    let (r, d) = denied(
        "windowsHostProcess",
        "spec:\n  securityContext: {windowsOptions: {hostProcess: true}}\n  containers:\n  - {name: a, securityContext: {windowsOptions: {hostProcess: true}}}\n  - {name: b, securityContext: {windowsOptions: {hostProcess: false}}}\n  - {name: c, securityContext: {windowsOptions: {hostProcess: true}}}\n",
    );
    assert_eq!(r, "hostProcess");
    assert_eq!(
        d,
        r#"pod and containers "a", "c" must not set securityContext.windowsOptions.hostProcess=true"#
    );
}

// upstream: admission/admission.go EvaluatePod — deny on enforce, warn on
// warn, workloads only warn; the aggregate detail joins as upstream does.
#[test]
fn admission_denies_pods_and_warns_for_templates() {
    let p = pod(
        "metadata: {name: web}\nspec:\n  containers: [{name: app, securityContext: {privileged: true}}]\n",
    );
    let policy = Policy {
        enforce: LevelVersion::latest(Level::Baseline),
        warn: LevelVersion::latest(Level::Restricted),
        audit: LevelVersion::latest(Level::Privileged),
    };
    let a = admit(&subject(&p), "web", policy, Vec::new());
    assert_eq!(a.outcome, Outcome::Denied);
    assert_eq!(
        a.denied.as_deref(),
        Some(
            r#"pods "web" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)"#
        )
    );
    assert!(a.warnings.is_empty(), "no warnings on a denied request");
    let mut s = subject(&p);
    s.source = Source::Template;
    let a = admit(&s, "web", policy, Vec::new());
    assert_eq!(a.outcome, Outcome::Warned);
    assert!(!a.allowed);
    assert_eq!(a.warnings.len(), 1);
    assert!(a.warnings[0].starts_with(
        r#"would violate PodSecurity "restricted:latest": privileged (container "app" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities"#
    ));
    // a compliant pod under enforce=baseline, warn=restricted is warned
    let p = pod("metadata: {name: ok}\nspec:\n  containers: [{name: app}]\n");
    let a = admit(&subject(&p), "ok", policy, Vec::new());
    assert_eq!(a.outcome, Outcome::Warned);
    assert!(a.allowed);
}

// upstream: pkg/securitycontext/util.go DetermineEffectiveSecurityContext —
// the container's value wins, the pod's fills in; windowsOptions merge per
// field; container-only fields never come from the pod.
#[test]
fn effective_security_context() {
    let p = pod(r#"spec:
  securityContext:
    runAsUser: 1000
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
    windowsOptions: {runAsUserName: pod-user, hostProcess: false}
  initContainers:
  - name: init
    securityContext: {runAsUser: 0, privileged: true}
  containers:
  - name: app
    securityContext:
      seccompProfile: {type: Localhost, localhostProfile: p.json}
      windowsOptions: {gmsaCredentialSpecName: spec}
"#);
    let eff = context::effective(&subject(&p));
    assert_eq!(eff.len(), 2);
    assert_eq!(eff[0].container, "init");
    let init = &eff[0];
    assert_eq!(
        init.run_as_user.as_ref().map(|s| (s.value, s.from)),
        Some((0, context::From::Container))
    );
    assert_eq!(
        init.run_as_non_root.as_ref().map(|s| (s.value, s.from)),
        Some((true, context::From::Pod))
    );
    assert_eq!(init.privileged, Some(true));
    let app = &eff[1];
    assert_eq!(
        app.run_as_user.as_ref().map(|s| s.from),
        Some(context::From::Pod)
    );
    assert_eq!(
        app.seccomp_profile
            .as_ref()
            .map(|s| (s.value.type_.as_str(), s.from)),
        Some(("Localhost", context::From::Container))
    );
    let w = app
        .windows_options
        .as_ref()
        .expect("merged windows options");
    assert_eq!(w.gmsa_credential_spec_name.as_deref(), Some("spec"));
    assert_eq!(w.run_as_user_name.as_deref(), Some("pod-user"));
    assert_eq!(app.privileged, None);
}
