//! Cases transcribed from upstream's pkg/apis/core/validation/validation_test.go
//! (named per test), adapted where upstream validates the internal type
//! after defaulting and we validate the v1 object as written.

use super::*;
use crate::validate::field::ErrorType;
use serde_json::json;

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("test object decodes")
}

fn strings(errs: &[FieldError]) -> Vec<String> {
    errs.iter().map(|e| e.to_string()).collect()
}

fn field() -> FieldPath {
    FieldPath::root().field("field")
}

fn pod(spec: serde_json::Value) -> Vec<String> {
    let p: api::Pod = from(json!({"metadata": {"name": "p"}, "spec": spec}));
    strings(&validate_pod(&p))
}

fn one_container(extra: serde_json::Value) -> serde_json::Value {
    let mut c = json!({"name": "c", "image": "nginx"});
    if let (Some(c), Some(e)) = (c.as_object_mut(), extra.as_object()) {
        c.extend(e.clone());
    }
    json!({"containers": [c]})
}

// upstream: TestValidatePorts success and error cases. "protocol required"
// does not apply: the v1 default fills an unset protocol with TCP.
#[test]
fn ports_cases() {
    let ok: Vec<api::ContainerPort> = from(json!([
        {"name": "abc", "containerPort": 80, "hostPort": 80, "protocol": "TCP"},
        {"name": "easy", "containerPort": 82, "protocol": "TCP"},
        {"name": "as", "containerPort": 83, "protocol": "UDP"},
        {"name": "do-re-me", "containerPort": 84, "protocol": "SCTP"},
        {"containerPort": 85, "protocol": "TCP"},
        {"containerPort": 86}
    ]));
    assert!(container_ports(&ok, &field()).is_empty());
    let cases: [(serde_json::Value, ErrorType, &str, &str); 8] = [
        (
            json!([{"name": "a".repeat(16), "containerPort": 80}]),
            ErrorType::Invalid,
            "name",
            "15",
        ),
        (
            json!([{"name": "a.b.c", "containerPort": 80}]),
            ErrorType::Invalid,
            "name",
            "alpha-numeric",
        ),
        (
            json!([{"name": "80", "containerPort": 80}]),
            ErrorType::Invalid,
            "name",
            "at least one letter",
        ),
        (
            json!([{"name": "abc", "containerPort": 80}, {"name": "abc", "containerPort": 81}]),
            ErrorType::Duplicate,
            "[1].name",
            "",
        ),
        (
            json!([{"containerPort": 0}]),
            ErrorType::Required,
            "containerPort",
            "",
        ),
        (
            json!([{"containerPort": 65536}]),
            ErrorType::Invalid,
            "containerPort",
            "between",
        ),
        (
            json!([{"containerPort": 80, "hostPort": 65536}]),
            ErrorType::Invalid,
            "hostPort",
            "between",
        ),
        (
            json!([{"containerPort": 80, "protocol": "tcp"}]),
            ErrorType::NotSupported,
            "protocol",
            "supported values: \"SCTP\", \"TCP\", \"UDP\"",
        ),
    ];
    for (ports, kind, f, detail) in cases {
        let ports: Vec<api::ContainerPort> = from(ports);
        let errs = container_ports(&ports, &field());
        assert!(!errs.is_empty(), "{ports:?}");
        for e in errs {
            assert_eq!(e.kind, kind, "{e}");
            assert!(e.path.to_string().contains(f), "{e}");
            assert!(e.detail.contains(detail), "{e}");
        }
    }
}

// upstream: TestRelaxedValidateEnv success and error cases (relaxed names
// are GA). "missing APIVersion" does not apply: v1 defaults it to "v1".
#[test]
fn env_cases() {
    let ok: Vec<api::EnvVar> = from(json!([
        {"name": "!\"#$%&'()", "value": "value"},
        {"name": "* +,-./0123456789", "value": "value"},
        {"name": ":;<>?@", "value": "value"},
        {"name": "[\\]^_`{}|~", "value": "value"},
        {"name": "abc", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.annotations['key']"}}},
        {"name": "abc", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels['key']"}}},
        {"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "metadata.uid"}}},
        {"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "spec.serviceAccountName"}}},
        {"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIPs"}}},
        {"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "status.podIPs"}}},
        {"name": "abc", "valueFrom": {"secretKeyRef": {"name": "some-secret", "key": "secret-key"}}},
        {"name": "abc", "valueFrom": {"configMapKeyRef": {"name": "some-config-map", "key": "some-key"}}},
        // upstream: TestLocalStorageEnvWithFeatureGate, TestHugePagesEnv
        {"name": "a", "valueFrom": {"resourceFieldRef": {"containerName": "c", "resource": "limits.ephemeral-storage"}}},
        {"name": "b", "valueFrom": {"resourceFieldRef": {"containerName": "c", "resource": "requests.hugepages-2Mi"}}}
    ]));
    assert_eq!(strings(&validate_env(&ok, &field())), Vec::<String>::new());
    let cases: [(serde_json::Value, &str); 13] = [
        (
            json!({"name": "=abc"}),
            "field[0].name: Invalid value: \"=abc\": a valid environment variable name must consist only of printable ASCII characters other than '='",
        ),
        (json!({"name": ""}), "field[0].name: Required value"),
        (
            json!({"name": "abc", "value": "foo", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}),
            "field[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
        ),
        (
            json!({"name": "abc", "valueFrom": {}}),
            "field[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ),
        (
            json!({"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}, "secretKeyRef": {"name": "a-secret", "key": "a-key"}}}),
            "field[0].valueFrom: Invalid value: \"\": may not have more than one field specified at a time",
        ),
        (
            json!({"name": "abc", "valueFrom": {"secretKeyRef": {"name": "$%^&*#", "key": "a-key"}}}),
            "field[0].valueFrom.secretKeyRef.name: Invalid value: \"$%^&*#\": a lowercase RFC 1123 subdomain",
        ),
        (
            json!({"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": ""}}}),
            "field[0].valueFrom.fieldRef.fieldPath: Required value",
        ),
        (
            json!({"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "metadata.whoops", "apiVersion": "v1"}}}),
            "field[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.whoops\": error converting fieldPath",
        ),
        (
            json!({"name": "labels", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name['key']"}}}),
            "field[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.name['key']\": error converting fieldPath: field label does not support subscript",
        ),
        (
            json!({"name": "labels", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels"}}}),
            "field[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"metadata.labels\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"",
        ),
        (
            json!({"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "metadata.annotations['invalid~key']"}}}),
            "field[0].valueFrom.fieldRef: Invalid value: \"invalid~key\"",
        ),
        (
            json!({"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['Www.k8s.io/test']"}}}),
            "field[0].valueFrom.fieldRef: Invalid value: \"Www.k8s.io/test\"",
        ),
        (
            json!({"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "status.phase"}}}),
            "field[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\"",
        ),
    ];
    for (ev, want) in cases {
        let vars: Vec<api::EnvVar> = vec![from(ev)];
        let got = strings(&validate_env(&vars, &field()));
        assert!(!got.is_empty(), "expected failure for {want}");
        assert!(
            got.iter().all(|g| g.contains(want)),
            "{got:?} should all contain {want}"
        );
    }
}

// upstream: TestValidateVolumes ("no volume source" is defaulted to
// emptyDir by v1, so it is valid here; "multiple volume types"; projected
// sources with more than one type; duplicate names).
#[test]
fn volumes_cases() {
    let vols: Vec<api::Volume> = from(json!([
        {"name": "a"},
        {"name": "b", "emptyDir": {}, "hostPath": {"path": "/x"}},
        {"name": "c", "projected": {"sources": [{"secret": {}}, {"secret": {}, "downwardAPI": {}}]}},
        {"name": "d", "configMap": {}},
        {"name": "e", "secret": {"defaultMode": 1000}},
        {"name": "f", "hostPath": {"path": "/a/../b", "type": "Dir"}},
        {"name": "g", "nfs": {"server": "s", "path": "relative"}},
        {"name": "a", "emptyDir": {}},
        {"name": "Bad_Name", "emptyDir": {}}
    ]));
    let (ok, errs) = validate_volumes(Some(&vols), None, &field());
    let got = strings(&errs);
    let want = [
        "field[1].hostPath: Forbidden: may not specify more than 1 volume type",
        "field[2].projected.sources[0].secret.name: Required value",
        "field[2].projected.sources[1].secret.name: Required value",
        "field[2].projected.sources[1]: Forbidden: may not specify more than 1 volume type per source",
        "field[3].configMap.name: Required value",
        "field[4].secret.secretName: Required value",
        "field[4].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive",
        "field[5].hostPath.path: Invalid value: \"/a/../b\": must not contain '..'",
        "field[5].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"",
        "field[6].nfs.path: Invalid value: \"relative\": must be an absolute path",
        "field[7].name: Duplicate value: \"a\"",
    ];
    for w in want {
        assert!(got.iter().any(|g| g == w), "missing {w} in {got:#?}");
    }
    assert!(got.iter().any(|g| {
        g.starts_with("field[8].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label")
    }));
    assert_eq!(got.len(), want.len() + 1, "{got:#?}");
    // Only volumes without errors can be mounted.
    assert!(ok.contains_key("a") && !ok.contains_key("b"));
    // The path upstream reports for a second type keeps its own spelling.
    let v: Vec<api::Volume> = from(json!([{"name": "x", "emptyDir": {}, "downwardAPI": {}}]));
    let (_, errs) = validate_volumes(Some(&v), None, &field());
    assert_eq!(
        strings(&errs),
        ["field[0].downwarAPI: Forbidden: may not specify more than 1 volume type"]
    );
}

// upstream: TestValidateVolumeMounts (name not found, mountPath required,
// subPath backsteps and absolute, mutually exclusive subPathExpr), and
// TestValidateMountPropagation (Bidirectional needs privileged).
#[test]
fn volume_mounts_in_a_pod() {
    let got = pod(json!({
        "volumes": [{"name": "abc", "emptyDir": {}}, {"name": "123", "emptyDir": {}}],
        "containers": [{
            "name": "c", "image": "nginx",
            "volumeMounts": [
                {"name": "abc", "mountPath": "/foo"},
                {"name": "missing", "mountPath": "/bar"},
                {"name": "abc", "mountPath": ""},
                {"name": "123", "mountPath": "/foo"},
                {"name": "abc", "mountPath": "/baz", "subPath": "../etc"},
                {"name": "abc", "mountPath": "/qux", "subPath": "/abs"},
                {"name": "abc", "mountPath": "/quux", "subPath": "a", "subPathExpr": "$(POD_NAME)"},
                {"name": "abc", "mountPath": "/p", "mountPropagation": "Bidirectional"},
                {"name": "abc", "mountPath": "/q", "mountPropagation": "Shared"}
            ]
        }]
    }));
    let p = "spec.containers[0].volumeMounts";
    for w in [
        format!("{p}[1].name: Not found: \"missing\""),
        format!("{p}[2].mountPath: Required value"),
        format!("{p}[3].mountPath: Invalid value: \"/foo\": must be unique"),
        format!("{p}.subPath: Invalid value: \"../etc\": must not contain '..'"),
        format!("{p}.subPath: Invalid value: \"/abs\": must be a relative path"),
        format!(
            "{p}[6].subPathExpr: Invalid value: \"$(POD_NAME)\": subPathExpr and subPath are mutually exclusive"
        ),
        format!(
            "{p}.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers"
        ),
        format!(
            "{p}.mountPropagation: Unsupported value: \"Shared\": supported values: \"Bidirectional\", \"HostToContainer\", \"None\""
        ),
    ] {
        assert!(got.contains(&w), "missing {w} in {got:#?}");
    }
    assert_eq!(got.len(), 8, "{got:#?}");
}

// upstream: TestValidateProbe, TestValidateHandler,
// TestValidateLivenessProbe/TestValidateStartupProbe (successThreshold 1),
// TestValidateReadinessProbe (terminationGracePeriodSeconds).
#[test]
fn probes_and_handlers() {
    let got = pod(one_container(json!({
        "livenessProbe": {"exec": {"command": ["true"]}, "httpGet": {"port": 80}, "successThreshold": 2, "periodSeconds": -1},
        "readinessProbe": {"tcpSocket": {"port": "not_a_name"}, "terminationGracePeriodSeconds": 10},
        "startupProbe": {"httpGet": {"port": 0, "scheme": "ftp", "httpHeaders": [{"name": "X Y", "value": "v"}]}},
        "lifecycle": {"preStop": {}, "postStart": {"exec": {}}}
    })));
    let p = "spec.containers[0]";
    for w in [
        format!("{p}.livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type"),
        format!(
            "{p}.livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"
        ),
        format!("{p}.livenessProbe.successThreshold: Invalid value: 2: must be 1"),
        format!(
            "{p}.readinessProbe.tcpSocket.port: Invalid value: \"not_a_name\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
        ),
        format!(
            "{p}.readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes"
        ),
        format!(
            "{p}.startupProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive"
        ),
        format!(
            "{p}.startupProbe.httpGet.scheme: Unsupported value: \"ftp\": supported values: \"HTTP\", \"HTTPS\""
        ),
        format!(
            "{p}.startupProbe.httpGet.httpHeaders: Invalid value: \"X Y\": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"
        ),
        format!("{p}.lifecycle.preStop: Required value: must specify a handler type"),
        format!("{p}.lifecycle.postStart.exec.command: Required value"),
    ] {
        assert!(got.contains(&w), "missing {w} in {got:#?}");
    }
}

// upstream: TestValidateInitContainers (names unique across init and
// regular containers; probes and lifecycle only on restartable init
// containers) and the sidecar cases of TestValidatePodSpec.
#[test]
fn init_and_sidecar_containers() {
    let got = pod(json!({
        "containers": [{"name": "app", "image": "nginx"}],
        "initContainers": [
            {"name": "app", "image": "busybox"},
            {"name": "init", "image": "busybox", "readinessProbe": {"exec": {"command": ["true"]}}},
            {"name": "sidecar", "image": "busybox", "restartPolicy": "Always",
             "readinessProbe": {"exec": {"command": ["true"]}}, "startupProbe": {"exec": {"command": ["true"]}}},
            {"name": "bad", "image": "busybox", "restartPolicy": "Sometimes"}
        ]
    }));
    assert_eq!(
        got,
        [
            "spec.initContainers[0].name: Duplicate value: \"app\"",
            "spec.initContainers[1].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
            "spec.initContainers[3].restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
        ]
    );
}

// upstream: TestValidateContainers error cases (name, image, duplicate
// names, pull policy, termination message policy).
#[test]
fn containers_cases() {
    let got = pod(json!({"containers": [
        {"name": "", "image": "nginx"},
        {"name": "Bad", "image": "nginx"},
        {"name": "dup", "image": "nginx"},
        {"name": "dup", "image": "nginx"},
        {"name": "noimage"},
        {"name": "pull", "image": "nginx", "imagePullPolicy": "Whenever"},
        {"name": "tmp", "image": "nginx", "terminationMessagePolicy": "Nowhere"},
        {"name": "ws", "image": " nginx"}
    ]}));
    let want = [
        "spec.containers[0].name: Required value",
        "spec.containers[3].name: Duplicate value: \"dup\"",
        "spec.containers[4].image: Required value",
        "spec.containers[5].imagePullPolicy: Unsupported value: \"Whenever\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
        "spec.containers[6].terminationMessagePolicy: Unsupported value: \"Nowhere\": supported values: \"File\", \"FallbackToLogsOnError\"",
        "spec.containers[7].image: Invalid value: \" nginx\": must not have leading or trailing whitespace",
    ];
    for w in want {
        assert!(got.iter().any(|g| g == w), "missing {w} in {got:#?}");
    }
    assert!(
        got.iter()
            .any(|g| g.starts_with("spec.containers[1].name: Invalid value: \"Bad\""))
    );
    assert_eq!(got.len(), want.len() + 1, "{got:#?}");
    assert_eq!(
        pod(json!({"containers": []})),
        ["spec.containers: Required value"]
    );
}

// upstream: TestValidateResourceRequirements and TestHugePagesIsolation.
#[test]
fn resources_cases() {
    let r = |v: serde_json::Value| {
        let rr: api::ResourceRequirements = from(v);
        strings(&resource_requirements(
            &rr,
            &field(),
            ResourceNames::Container,
        ))
    };
    assert!(r(json!({"limits": {"cpu": "10", "memory": "10G", "hugepages-2Mi": "1Gi"}, "requests": {"cpu": "10", "memory": "10G", "hugepages-2Mi": "1Gi"}})).is_empty());
    assert!(
        r(json!({"limits": {"nvidia.com/gpu": "2"}, "requests": {"nvidia.com/gpu": "2"}}))
            .is_empty()
    );
    assert_eq!(
        r(json!({"limits": {"hugepages-2Mi": "1Gi"}, "requests": {"hugepages-2Mi": "1Gi"}})),
        ["field: Forbidden: HugePages require cpu or memory"]
    );
    assert_eq!(
        r(
            json!({"limits": {"cpu": "1", "hugepages-2Mi": "2Gi"}, "requests": {"cpu": "1", "hugepages-2Mi": "1Gi"}})
        ),
        ["field.requests: Invalid value: \"1Gi\": must be equal to hugepages-2Mi limit of 2Gi"]
    );
    assert_eq!(
        r(json!({"requests": {"cpu": "2"}, "limits": {"cpu": "1"}})),
        ["field.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"]
    );
    assert_eq!(
        r(json!({"requests": {"memory": "0.5Gi"}, "limits": {"memory": "256Mi"}})),
        [
            "field.requests: Invalid value: \"512Mi\": must be less than or equal to memory limit of 256Mi"
        ]
    );
    assert_eq!(
        r(json!({"requests": {"nvidia.com/gpu": "1"}})),
        ["field.limits: Required value: Limit must be set for non overcommitable resources"]
    );
    assert_eq!(
        r(json!({"limits": {"nvidia.com/gpu": "0.5"}})),
        // upstream passes the Quantity itself (not its String()), which
        // field.Error prints with %#v: the same wording quota validation gives.
        [
            "field.limits[nvidia.com/gpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:5, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"\", Format:\"DecimalSI\"}: must be an integer"
        ]
    );
    assert_eq!(
        r(json!({"limits": {"cpus": "1"}})),
        [
            "field.limits[cpus]: Invalid value: \"cpus\": must be a standard resource type or fully qualified",
            "field.limits[cpus]: Invalid value: \"cpus\": must be a standard resource for containers",
        ]
    );
    assert_eq!(
        r(json!({"limits": {"pods": "1"}})),
        ["field.limits[pods]: Invalid value: \"pods\": must be a standard resource for containers"]
    );
    assert_eq!(
        r(json!({"limits": {"memory": "-1"}})),
        ["field.limits[memory]: Invalid value: \"-1\": must be greater than or equal to 0"]
    );
    assert_eq!(
        r(json!({"limits": {"cpu": "1", "hugepages-2Mi": "1.5Mi"}})),
        [
            "field.limits[hugepages-2Mi]: Invalid value: \"1536Ki\": 1536Ki is not positive integer multiple of hugepages-2Mi"
        ]
    );
}

// upstream: TestValidatePodResourceConsistency and
// TestValidatePodResourceNames (pod-level resources, beta in 1.34).
#[test]
fn pod_level_resources() {
    let got = pod(json!({
        "resources": {"requests": {"cpu": "500m", "storage": "1Gi"}, "limits": {"memory": "100Mi"}},
        "containers": [
            {"name": "a", "image": "nginx", "resources": {"requests": {"cpu": "400m"}, "limits": {"memory": "200Mi"}}},
            {"name": "b", "image": "nginx", "resources": {"requests": {"cpu": "200m"}}}
        ]
    }));
    assert_eq!(
        got,
        [
            "spec.resources.requests[storage]: Unsupported value: \"storage\": supported values: \"cpu\", \"memory\"",
            "spec.resources.requests[cpu]: Invalid value: \"500m\": must be greater than or equal to aggregate container requests of 600m",
            "spec.resources.containers[0][memory].limits: Invalid value: \"200Mi\": must be less than or equal to pod limits of 100Mi",
        ]
    );
}

// upstream: TestValidateSecurityContext and TestValidatePodSecurityContext.
#[test]
fn security_contexts() {
    let got = pod(json!({
        "securityContext": {"runAsUser": -1, "fsGroup": 2147483648_i64, "supplementalGroups": [1, -2],
                            "seccompProfile": {"type": "Localhost"}, "fsGroupChangePolicy": "Sometimes",
                            "sysctls": [{"name": "net.ipv4.ip_forward", "value": "1"}, {"name": "Bad", "value": "1"}]},
        "hostNetwork": true,
        "containers": [{"name": "c", "image": "nginx", "securityContext": {
            "runAsGroup": 2147483648_i64, "procMount": "Unmasked",
            "seccompProfile": {"type": "RuntimeDefault", "localhostProfile": "x.json"},
            "allowPrivilegeEscalation": false, "capabilities": {"add": ["CAP_SYS_ADMIN"]},
            "appArmorProfile": {"type": "Localhost"}
        }}]
    }));
    let sc = "spec.securityContext";
    let c = "spec.containers[0].securityContext";
    for w in [
        format!("{sc}.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive"),
        format!(
            "{sc}.fsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive"
        ),
        format!(
            "{sc}.supplementalGroups[1]: Invalid value: -2: must be between 0 and 2147483647, inclusive"
        ),
        format!(
            "{sc}.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost"
        ),
        format!(
            "{sc}.fsGroupChangePolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnRootMismatch\""
        ),
        format!(
            "{sc}.sysctls[0].name: Invalid value: \"net.ipv4.ip_forward\": may not be specified when 'hostNetwork' is true"
        ),
        format!(
            "{sc}.sysctls[1].name: Invalid value: \"Bad\": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"
        ),
        format!(
            "{c}.runAsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive"
        ),
        format!(
            "{c}.procMount: Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`"
        ),
        format!(
            "{c}.appArmorProfile.localhostProfile: Required value: must be set when AppArmor type is Localhost"
        ),
    ] {
        assert!(got.contains(&w), "missing {w} in {got:#?}");
    }
    assert!(got.iter().any(|g| g.starts_with(&format!("{c}.seccompProfile.localhostProfile: Invalid value: core.SeccompProfile{{Type:\"RuntimeDefault\""))
        && g.ends_with("can only be set when seccomp type is Localhost")));
    assert!(got.iter().any(|g| g.starts_with(&format!("{c}: Invalid value: core.SecurityContext{{"))
        && g.ends_with("cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN")));
}

// upstream: TestValidatePodSpec error cases (restartPolicy, dnsPolicy,
// activeDeadlineSeconds, hostname, subdomain, serviceAccountName,
// nodeName, priorityClassName, preemptionPolicy, readinessGates, os).
#[test]
fn pod_spec_fields() {
    let got = pod(json!({
        "containers": [{"name": "c", "image": "nginx"}],
        "restartPolicy": "Sometimes",
        "dnsPolicy": "ClusterFirstt",
        "activeDeadlineSeconds": 0,
        "hostname": "a.b",
        "subdomain": "-x",
        "serviceAccountName": "Bad_SA",
        "nodeName": "node_1",
        "priorityClassName": "Hi!",
        "preemptionPolicy": "Sometimes",
        "readinessGates": [{"conditionType": "bad/key/x"}],
        "os": {"name": "darwin"},
        "nodeSelector": {"disk type": "ssd"}
    }));
    for w in [
        "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
        "spec.dnsPolicy: Unsupported value: \"ClusterFirstt\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"",
        "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
        "spec.hostname: Invalid value: \"a.b\": must not contain dots",
        "spec.preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", \"Never\"",
        "spec.os: Unsupported value: \"darwin\": supported values: \"linux\", \"windows\"",
    ] {
        assert!(got.iter().any(|g| g == w), "missing {w} in {got:#?}");
    }
    for prefix in [
        "spec.subdomain: Invalid value: \"-x\"",
        "spec.serviceAccountName: Invalid value: \"Bad_SA\"",
        "spec.nodeName: Invalid value: \"node_1\"",
        "spec.priorityClassName: Invalid value: \"Hi!\"",
        "spec.readinessGates[0].conditionType: Invalid value: \"bad/key/x\"",
        "spec.nodeSelector: Invalid value: \"disk type\"",
    ] {
        assert!(
            got.iter().any(|g| g.starts_with(prefix)),
            "missing {prefix} in {got:#?}"
        );
    }
    assert_eq!(
        pod(
            json!({"containers": [{"name": "c", "image": "i"}], "ephemeralContainers": [{"name": "e", "image": "i"}]})
        ),
        ["spec.ephemeralContainers: Forbidden: cannot be set on create"]
    );
}

// upstream: TestValidatePodDNSConfig.
#[test]
fn dns_config_cases() {
    let c = json!([{"name": "c", "image": "i"}]);
    assert_eq!(
        pod(json!({"containers": c, "dnsPolicy": "None"})),
        ["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"]
    );
    assert_eq!(
        pod(json!({"containers": c, "dnsPolicy": "None", "dnsConfig": {"searches": ["a"]}})),
        [
            "spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None"
        ]
    );
    let got = pod(json!({"containers": c, "dnsConfig": {
        "nameservers": ["1.1.1.1", "8.8.8.8", "9.9.9.9", "bad"],
        "searches": ["my_domain.com", "Bad.Domain", "."],
        "options": [{"value": "1"}]
    }}));
    for w in [
        "spec.dnsConfig.nameservers: Invalid value: []string{\"1.1.1.1\", \"8.8.8.8\", \"9.9.9.9\", \"bad\"}: must not have more than 3 nameservers",
        "spec.dnsConfig.nameservers[3]: Invalid value: \"bad\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        "spec.dnsConfig.options[0]: Required value: must not be empty",
    ] {
        assert!(got.iter().any(|g| g == w), "missing {w} in {got:#?}");
    }
    assert!(
        got.iter()
            .any(|g| g.starts_with("spec.dnsConfig.searches[1]: Invalid value: \"Bad.Domain\""))
    );
    assert_eq!(got.len(), 4, "{got:#?}");
}

// upstream: TestValidatePodSpec hostNetwork cases
// (validatePodHostNetworkDeps) and TestValidateHostPorts.
#[test]
fn host_network_and_host_ports() {
    assert_eq!(
        pod(
            json!({"hostNetwork": true, "containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80, "hostPort": 8080}, {"containerPort": 81}]}]})
        ),
        [
            "spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"
        ]
    );
    assert_eq!(
        pod(json!({"containers": [
            {"name": "a", "image": "i", "ports": [{"containerPort": 80, "hostPort": 8080}]},
            {"name": "b", "image": "i", "ports": [{"containerPort": 81, "hostPort": 8080}]}
        ]})),
        ["spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\""]
    );
}

// upstream: TestValidateAffinity and TestValidateTopologySpreadConstraints.
#[test]
fn affinity_and_spread() {
    let got = pod(json!({
        "containers": [{"name": "c", "image": "i"}],
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "zone", "operator": "In"}, {"key": "k", "operator": "Exists", "values": ["x"]}, {"key": "k", "operator": "Equal"}]},
                    {"matchFields": [{"key": "metadata.namespace", "operator": "In", "values": ["a"]}]}
                ]},
                "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 101, "preference": {}}]
            },
            "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{"labelSelector": {"matchLabels": {"app": "x"}}, "topologyKey": ""}]}
        },
        "topologySpreadConstraints": [
            {"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"},
            {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"},
            {"maxSkew": 1, "topologyKey": "node", "whenUnsatisfiable": "Sometimes", "minDomains": 2}
        ]
    }));
    let na = "spec.affinity.nodeAffinity";
    let t = "spec.topologySpreadConstraints";
    for w in [
        format!("{na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"),
        format!("{na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        format!("{na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].operator: Invalid value: \"Equal\": not a valid selector operator"),
        format!("{na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchFields[0].key: Invalid value: \"metadata.namespace\": not a valid field selector key"),
        format!("{na}.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100"),
        "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty".to_string(),
        format!("{t}[0].maxSkew: Invalid value: 0: must be greater than zero"),
        format!("{t}[0].{{topologyKey, whenUnsatisfiable}}: Duplicate value: \"{{zone, DoNotSchedule}}\""),
        format!("{t}[2].whenUnsatisfiable: Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\""),
        format!("{t}[2].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not Sometimes"),
    ] {
        assert!(got.contains(&w), "missing {w} in {got:#?}");
    }
}

// upstream: TestValidatePodTemplateSpec-style paths: a template reports
// its labels at `template.labels` and its spec at `template.spec`.
#[test]
fn templates_use_template_paths() {
    let t: api::PodTemplateSpec = from(json!({
        "metadata": {"labels": {"-bad": "x"}},
        "spec": {"containers": [{"name": "c"}], "ephemeralContainers": [{"name": "e", "image": "i"}]}
    }));
    let tp = FieldPath::parse("spec.template");
    let errs = validate_template(&t, &tp);
    let got = strings(&errs);
    assert!(
        got.iter()
            .any(|g| g.starts_with("spec.template.labels: Invalid value: \"-bad\"")),
        "{got:#?}"
    );
    assert!(got.contains(&"spec.template.spec.containers[0].image: Required value".to_string()));
    assert!(got.contains(&"spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template".to_string()));
    // The label error points at the label as written.
    let label = errs
        .iter()
        .find(|e| e.path.to_string() == "spec.template.labels")
        .expect("label error");
    assert_eq!(
        label.at.as_ref().map(|a| a.to_string()).as_deref(),
        Some("spec.template.metadata.labels[-bad]")
    );
}

// The v1 defaults upstream applies before validating (SetDefaults_*):
// every field left out here must be accepted.
#[test]
fn defaulted_fields_are_accepted() {
    assert_eq!(
        pod(json!({
            "volumes": [{"name": "v"}, {"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}}],
            "containers": [{
                "name": "c", "image": "i",
                "ports": [{"containerPort": 80}],
                "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                "livenessProbe": {"httpGet": {"port": 80}},
                "volumeMounts": [{"name": "v", "mountPath": "/v"}, {"name": "t", "mountPath": "/t"}],
                "resources": {"limits": {"hugepages-2Mi": "2Mi", "memory": "1Gi"}}
            }]
        })),
        Vec::<String>::new()
    );
}
