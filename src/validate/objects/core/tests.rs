//! Cases from upstream's pkg/apis/core/validation/validation_test.go and
//! pkg/apis/scheduling/validation/validation_test.go, on v1 objects before
//! defaulting.

use super::*;
use serde_json::json;

// upstream: apimachinery pkg/util/validation/validation_test.go
// TestIsConfigMapKey (good and bad cases).
#[test]
fn config_map_keys() {
    for ok in [
        "a",
        "ab",
        "abc",
        "a1",
        "a-1",
        "a_1",
        "a.1",
        "A",
        "AB",
        "AbC",
        "A1",
        "A-1",
        "A_1",
        "A.1",
        "AB-1",
        "AB_1",
        "AB.1",
        "a-b_c.D",
        ".a",
        "-a",
        "_a",
        ".dockercfg",
    ] {
        assert!(is_config_map_key(ok).is_empty(), "{ok}");
    }
    for bad in ["", ".", "..", "..a", "a b", "a/b", "a$b", "a:b", "a@b"] {
        assert!(!is_config_map_key(bad).is_empty(), "{bad}");
    }
    assert_eq!(is_config_map_key(".."), ["must not be '..'"]);
    assert_eq!(is_config_map_key("..a"), ["must not start with '..'"]);
    assert_eq!(
        is_config_map_key("a b"),
        [
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
        ]
    );
    assert_eq!(
        is_config_map_key(&"a".repeat(254)),
        ["must be no more than 253 characters"]
    );
}

#[test]
fn cidrs() {
    assert!(is_cidr("10.0.0.0/8"));
    assert!(is_cidr("2001:db8::/64"));
    assert!(!is_cidr("10.0.0.0"));
    assert!(!is_cidr("10.0.0.0/33"));
}

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("test object decodes")
}

fn strings(errs: Vec<FieldError>) -> Vec<String> {
    errs.into_iter().map(|e| e.to_string()).collect()
}

fn service(spec: serde_json::Value) -> Vec<String> {
    strings(validate_service(&from(
        json!({"metadata": {"name": "s"}, "spec": spec}),
    )))
}

// upstream: TestValidateServiceCreate (ports required, port names required
// with several ports and unique, port range, protocol, targetPort, type,
// nodePort on ClusterIP, None for NodePort/LoadBalancer, duplicate ports,
// ExternalName, session affinity, source ranges, traffic policies).
#[test]
fn services() {
    assert_eq!(
        service(json!({"ports": [{"port": 80}]})),
        Vec::<String>::new()
    );
    assert_eq!(service(json!({"clusterIP": "None"})), Vec::<String>::new());
    assert_eq!(
        service(json!({"selector": {"app": "a"}})),
        ["spec.ports: Required value"]
    );
    assert_eq!(
        service(
            json!({"ports": [{"port": 80}, {"port": 81, "name": "b"}, {"port": 82, "name": "b"}]})
        ),
        [
            "spec.ports[0].name: Required value",
            "spec.ports[2].name: Duplicate value: \"b\""
        ]
    );
    assert_eq!(
        service(json!({"ports": [{"port": 65536, "protocol": "tcp", "targetPort": "Http"}]})),
        [
            "spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive",
            "spec.ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.ports[0].targetPort: Invalid value: \"Http\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        ]
    );
    assert_eq!(
        service(json!({"type": "Nodeport", "ports": [{"port": 80}]})),
        [
            "spec.type: Unsupported value: \"Nodeport\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""
        ]
    );
    assert_eq!(
        service(json!({"ports": [{"port": 80, "nodePort": 30080}]})),
        ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]
    );
    assert_eq!(
        service(json!({"type": "NodePort", "clusterIP": "None", "ports": [{"port": 80}]})),
        [
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"
        ]
    );
    assert_eq!(
        service(json!({"ports": [{"name": "a", "port": 80}, {"name": "b", "port": 80}]})),
        [
            "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"
        ]
    );
    assert_eq!(
        service(
            json!({"ports": [{"name": "a", "port": 53}, {"name": "b", "port": 53, "protocol": "UDP"}]})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        service(json!({"type": "ExternalName", "externalName": "foo_bar", "clusterIP": "1.2.3.4"})),
        [
            "spec.clusterIPs: Forbidden: may not be set for ExternalName services",
            "spec.externalName: Invalid value: \"foo_bar\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ]
    );
    assert_eq!(
        service(json!({"type": "ExternalName", "externalName": "db.example.com."})),
        Vec::<String>::new()
    );
    assert_eq!(
        service(json!({"type": "ExternalName"})),
        ["spec.externalName: Required value"]
    );
    assert_eq!(
        service(
            json!({"ports": [{"port": 80}], "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86401}}})
        ),
        [
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400"
        ]
    );
    assert_eq!(
        service(
            json!({"ports": [{"port": 80}], "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10}}})
        ),
        ["spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None"]
    );
    assert_eq!(
        service(
            json!({"ports": [{"port": 80}], "loadBalancerSourceRanges": ["10.0.0.0/8", "bogus"]})
        ),
        [
            "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
            "spec.LoadBalancerSourceRanges[1]: Invalid value: \"bogus\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        ]
    );
    assert_eq!(
        service(json!({"ports": [{"port": 80}], "externalTrafficPolicy": "Local"})),
        [
            "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services"
        ]
    );
    assert_eq!(
        service(
            json!({"ports": [{"port": 80}], "clusterIP": "10.0.0.1", "clusterIPs": ["10.0.0.2"]})
        ),
        [
            "spec.clusterIPs: Invalid value: []string{\"10.0.0.2\"}: first value must match `clusterIP`"
        ]
    );
    assert_eq!(
        service(json!({"ports": [{"port": 80}], "clusterIP": "10.0.0.300"})),
        [
            "spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
        ]
    );
    assert_eq!(
        service(json!({"ports": [{"port": 80}], "externalIPs": ["127.0.0.1"]})),
        [
            "spec.externalIPs[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"
        ]
    );
    assert_eq!(
        service(
            json!({"type": "LoadBalancer", "ports": [{"port": 80}], "externalTrafficPolicy": "Local", "healthCheckNodePort": 30000})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        service(json!({"ports": [{"port": 80}], "selector": {"app": "-x"}})).len(),
        1
    );
}

// upstream: TestValidateConfigMap (invalid keys, key in both data and
// binaryData, total size).
#[test]
fn config_maps() {
    let cm = |v: serde_json::Value| strings(validate_config_map(&from(v)));
    assert_eq!(
        cm(json!({"metadata": {"name": "c"}, "data": {"key": "v", ".dot": "v"}})),
        Vec::<String>::new()
    );
    assert_eq!(
        cm(json!({"metadata": {"name": "c"}, "data": {"a": "v"}, "binaryData": {"a": "dg=="}})),
        ["data[a]: Invalid value: \"a\": duplicate of key present in binaryData"]
    );
    assert_eq!(
        cm(json!({"metadata": {"name": "c"}, "data": {"..": "v"}})),
        ["data[..]: Invalid value: \"..\": must not be '..'"]
    );
    let big = "x".repeat(1024 * 1024 + 1);
    assert_eq!(
        cm(json!({"metadata": {"name": "c"}, "data": {"a": big}})),
        [": Too long: must have at most 1048576 bytes"]
    );
}

// upstream: TestValidateSecret and TestValidateDockerConfigSecret,
// TestValidateBasicAuthSecret, TestValidateSSHAuthSecret,
// TestValidateTLSSecret.
#[test]
fn secrets() {
    let s = |v: serde_json::Value| strings(validate_secret(&from(v)));
    assert_eq!(
        s(json!({"metadata": {"name": "s"}, "stringData": {"a": "b"}})),
        Vec::<String>::new()
    );
    assert_eq!(
        s(json!({"metadata": {"name": "s"}, "stringData": {"bad key": "b"}})),
        [
            "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
        ]
    );
    assert_eq!(
        s(json!({"metadata": {"name": "s"}, "type": "kubernetes.io/service-account-token"})),
        ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]
    );
    assert_eq!(
        s(
            json!({"metadata": {"name": "s"}, "type": "kubernetes.io/tls", "data": {"tls.crt": "YQ=="}})
        ),
        ["data[tls.key]: Required value"]
    );
    assert_eq!(
        s(json!({"metadata": {"name": "s"}, "type": "kubernetes.io/basic-auth"})),
        [
            "data[username]: Required value",
            "data[password]: Required value"
        ]
    );
    assert_eq!(
        s(
            json!({"metadata": {"name": "s"}, "type": "kubernetes.io/basic-auth", "stringData": {"password": "p"}})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        s(
            json!({"metadata": {"name": "s"}, "type": "kubernetes.io/dockerconfigjson", "data": {".dockercfg": "e30="}})
        ),
        ["data[.dockerconfigjson]: Required value"]
    );
    assert_eq!(
        s(
            json!({"metadata": {"name": "s"}, "type": "kubernetes.io/ssh-auth", "data": {"ssh-privatekey": ""}})
        ),
        ["data[ssh-privatekey]: Required value"]
    );
}

// upstream: TestValidateNamespace (finalizers).
#[test]
fn namespaces() {
    let ns = |v: serde_json::Value| strings(validate_namespace(&from(v)));
    assert_eq!(
        ns(
            json!({"metadata": {"name": "n"}, "spec": {"finalizers": ["kubernetes", "example.com/x"]}})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        ns(json!({"metadata": {"name": "n"}, "spec": {"finalizers": ["foo"]}})),
        [
            "spec.finalizers: Invalid value: \"foo\": name is neither a standard finalizer name nor is it fully qualified"
        ]
    );
}

// upstream: scheduling TestValidatePriorityClass.
#[test]
fn priority_classes() {
    let pc = |v: serde_json::Value| strings(validate_priority_class(&from(v)));
    assert_eq!(
        pc(json!({"metadata": {"name": "high"}, "value": 1000})),
        Vec::<String>::new()
    );
    assert_eq!(
        pc(json!({"metadata": {"name": "system-node-critical"}, "value": 2000001000})),
        Vec::<String>::new()
    );
    assert_eq!(
        pc(json!({"metadata": {"name": "system-high"}, "value": 1})),
        [
            "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-high is not a known system priority class"
        ]
    );
    assert_eq!(
        pc(json!({"metadata": {"name": "system-cluster-critical"}, "value": 1})),
        [
            "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-cluster-critical PriorityClass must be 2000000000"
        ]
    );
    assert_eq!(
        pc(
            json!({"metadata": {"name": "huge"}, "value": 1000000001, "preemptionPolicy": "Always"})
        ),
        [
            "value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
            "preemptionPolicy: Unsupported value: \"Always\": supported values: \"PreemptLowerPriority\", \"Never\"",
        ]
    );
}

// upstream: TestValidatePersistentVolumeClaim (access modes, storage
// request, storage class name, volume mode, data source).
#[test]
fn pvcs() {
    let pvc = |spec: serde_json::Value| {
        strings(validate_pvc(&from(
            json!({"metadata": {"name": "p"}, "spec": spec}),
        )))
    };
    assert_eq!(
        pvc(
            json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        pvc(json!({"resources": {"requests": {"storage": "1Gi"}}})),
        ["spec.accessModes: Required value: at least 1 access mode is required"]
    );
    assert_eq!(
        pvc(json!({"accessModes": ["ReadWriteOnce"]})),
        ["spec.resources[storage]: Required value"]
    );
    assert_eq!(
        pvc(json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "0"}}})),
        ["spec.resources[storage]: Invalid value: \"0\": must be greater than zero"]
    );
    assert_eq!(
        pvc(
            json!({"accessModes": ["ReadWriteOncePod", "ReadWriteOnce", "ReadWrite"], "resources": {"requests": {"storage": "1Gi"}}, "volumeMode": "Raw"})
        ),
        [
            "spec.accessModes: Unsupported value: \"ReadWrite\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
            "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
            "spec.volumeMode: Unsupported value: \"Raw\": supported values: \"Block\", \"Filesystem\"",
        ]
    );
    assert_eq!(
        pvc(
            json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, "dataSource": {"kind": "VolumeSnapshot", "name": "snap"}})
        ),
        [
            "spec.dataSource: Invalid value: \"VolumeSnapshot\": must be 'PersistentVolumeClaim' when referencing the default apiGroup"
        ]
    );
}
