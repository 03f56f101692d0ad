//! Cases from upstream's pkg/apis/apps/validation/validation_test.go,
//! pkg/apis/batch/validation/validation_test.go and the
//! ReplicationController/PodTemplate tests of
//! pkg/apis/core/validation/validation_test.go, written against v1
//! objects before defaulting.

use super::*;
use serde_json::json;

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("test object decodes")
}

fn strings(errs: Vec<FieldError>) -> Vec<String> {
    errs.into_iter().map(|e| e.to_string()).collect()
}

fn template(labels: serde_json::Value) -> serde_json::Value {
    json!({"metadata": {"labels": labels}, "spec": {"containers": [{"name": "c", "image": "i"}]}})
}

fn deployment(spec: serde_json::Value) -> Vec<String> {
    strings(validate_deployment(&from(
        json!({"metadata": {"name": "d"}, "spec": spec}),
    )))
}

#[test]
fn percents() {
    assert!(is_percent("25%"));
    assert!(!is_percent("25"));
    assert!(!is_percent("%"));
    assert_eq!(int_or_percent_value(&IntOrString::String("25%".into())), 25);
    assert_eq!(int_or_percent_value(&IntOrString::Int(3)), 3);
}

// upstream: TestValidateDeployment (selector does not match template
// labels, negative replicas, invalid strategy, Recreate with rollingUpdate,
// both maxSurge and maxUnavailable 0, over 100%, progressDeadlineSeconds
// <= minReadySeconds, restartPolicy).
#[test]
fn deployments() {
    assert_eq!(
        deployment(
            json!({"selector": {"matchLabels": {"app": "a"}}, "template": template(json!({"app": "a"}))})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        deployment(
            json!({"selector": {"matchLabels": {"app": "a"}}, "template": template(json!({"app": "b"}))})
        ),
        [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`"
        ]
    );
    assert_eq!(
        deployment(
            json!({"replicas": -1, "selector": {"matchLabels": {"app": "a"}}, "template": template(json!({"app": "a"}))})
        ),
        ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]
    );
    assert_eq!(
        deployment(json!({"selector": {}, "template": template(json!({"app": "a"}))})),
        [
            "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}: empty selector is invalid for deployment"
        ]
    );
    let sel = json!({"matchLabels": {"app": "a"}});
    assert_eq!(
        deployment(
            json!({"selector": sel, "template": template(json!({"app": "a"})), "strategy": {"type": "Recreate", "rollingUpdate": {}}})
        ),
        [
            "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"
        ]
    );
    assert_eq!(
        deployment(
            json!({"selector": sel, "template": template(json!({"app": "a"})), "strategy": {"type": "randomType"}})
        ),
        [
            "spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"randomType\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\""
        ]
    );
    assert_eq!(
        deployment(
            json!({"selector": sel, "template": template(json!({"app": "a"})), "strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}}})
        ),
        [
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0%: may not be 0 when `maxSurge` is 0"
        ]
    );
    assert_eq!(
        deployment(
            json!({"selector": sel, "template": template(json!({"app": "a"})), "strategy": {"rollingUpdate": {"maxUnavailable": "110%"}}})
        ),
        [
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 110%: must not be greater than 100%"
        ]
    );
    assert_eq!(
        deployment(
            json!({"selector": sel, "template": template(json!({"app": "a"})), "strategy": {"rollingUpdate": {"maxSurge": "20"}}})
        ),
        [
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: 20: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%', regex used for validation is '[0-9]+%')"
        ]
    );
    assert_eq!(
        deployment(
            json!({"selector": sel, "template": template(json!({"app": "a"})), "minReadySeconds": 600})
        ),
        ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"]
    );
    let mut t = template(json!({"app": "a"}));
    t["spec"]["restartPolicy"] = json!("OnFailure");
    t["spec"]["activeDeadlineSeconds"] = json!(10);
    assert_eq!(
        deployment(json!({"selector": sel, "template": t})),
        [
            "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported",
        ]
    );
    // The pod template's own problems, at spec.template.spec...
    let mut t = template(json!({"app": "a"}));
    t["spec"]["containers"][0]["name"] = json!("Bad_Name");
    let got = deployment(json!({"selector": sel, "template": t}));
    assert!(
        got[0].starts_with("spec.template.spec.containers[0].name: Invalid value: \"Bad_Name\""),
        "{got:?}"
    );
    // A matchExpressions selector matches as the API server matches.
    assert_eq!(
        deployment(
            json!({"selector": {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]}, "template": template(json!({"tier": "db"}))})
        ),
        [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"tier\":\"db\"}: `selector` does not match template `labels`"
        ]
    );
    let got = deployment(
        json!({"selector": {"matchExpressions": [{"key": "tier", "operator": "in", "values": ["db"]}]}, "template": template(json!({"tier": "db"}))}),
    );
    assert_eq!(
        got[0],
        "spec.selector.matchExpressions[0].operator: Invalid value: \"in\": not a valid selector operator"
    );
    assert!(got[1].ends_with(": invalid label selector"), "{got:?}");
}

// upstream: TestValidateReplicaSet (its empty-selector message says
// "deployment", as upstream's does).
#[test]
fn replica_sets() {
    let rs = |spec: serde_json::Value| {
        strings(validate_replica_set(&from(
            json!({"metadata": {"name": "r"}, "spec": spec}),
        )))
    };
    assert_eq!(
        rs(
            json!({"selector": {"matchLabels": {"a": "b"}}, "template": template(json!({"a": "b"}))})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        rs(json!({"selector": {}, "template": template(json!({"a": "b"}))})),
        [
            "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}: empty selector is invalid for deployment"
        ]
    );
}

// upstream: TestValidateStatefulSet (podManagementPolicy, updateStrategy,
// OnDelete with rollingUpdate, partition, maxUnavailable, selector,
// restartPolicy; the pod spec itself is not validated).
#[test]
fn stateful_sets() {
    let ss = |spec: serde_json::Value| {
        strings(validate_stateful_set(&from(
            json!({"metadata": {"name": "s"}, "spec": spec}),
        )))
    };
    let sel = json!({"matchLabels": {"app": "a"}});
    let mut t = template(json!({"app": "a"}));
    t["spec"]["containers"][0]["name"] = json!("Not_Validated_Here");
    assert_eq!(
        ss(json!({"selector": sel, "serviceName": "svc", "template": t})),
        Vec::<String>::new()
    );
    let t = template(json!({"app": "a"}));
    assert_eq!(
        ss(json!({"selector": sel, "template": t, "podManagementPolicy": "Random"})),
        [
            "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"
        ]
    );
    assert_eq!(
        ss(
            json!({"selector": sel, "template": t, "updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}}})
        ),
        [
            "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"
        ]
    );
    assert_eq!(
        ss(
            json!({"selector": sel, "template": t, "updateStrategy": {"rollingUpdate": {"partition": -1, "maxUnavailable": 0}}})
        ),
        [
            "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0",
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0",
        ]
    );
    assert_eq!(
        ss(json!({"selector": sel, "template": t, "updateStrategy": {"type": "Rolling"}})),
        [
            "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Rolling\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"
        ]
    );
    assert_eq!(
        ss(
            json!({"selector": sel, "template": t, "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Keep"}})
        ),
        [
            "spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: \"Keep\": supported values: \"Retain\", \"Delete\""
        ]
    );
    let got = ss(json!({"selector": sel, "template": t, "serviceName": "my.svc"}));
    assert_eq!(
        got,
        ["spec.serviceName: Invalid value: \"my.svc\": must not contain dots"]
    );
    let mut t2 = template(json!({"app": "a"}));
    t2["spec"]["restartPolicy"] = json!("Never");
    assert_eq!(
        ss(json!({"selector": sel, "template": t2})),
        [
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
        ]
    );
}

// upstream: TestValidateDaemonSet (selector mismatch, empty selector,
// update strategy, maxSurge with maxUnavailable, both zero).
#[test]
fn daemon_sets() {
    let ds = |spec: serde_json::Value| {
        strings(validate_daemon_set(&from(
            json!({"metadata": {"name": "d"}, "spec": spec}),
        )))
    };
    let sel = json!({"matchLabels": {"app": "a"}});
    let t = template(json!({"app": "a"}));
    assert_eq!(
        ds(json!({"selector": sel, "template": t})),
        Vec::<String>::new()
    );
    assert_eq!(
        ds(json!({"selector": sel, "template": template(json!({"app": "b"}))})),
        [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`"
        ]
    );
    assert_eq!(
        ds(
            json!({"selector": sel, "template": t, "updateStrategy": {"rollingUpdate": {"maxUnavailable": 1, "maxSurge": 1}}})
        ),
        [
            "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"
        ]
    );
    assert_eq!(
        ds(
            json!({"selector": sel, "template": t, "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}})
        ),
        [
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
        ]
    );
    assert_eq!(
        ds(json!({"selector": sel, "template": t, "updateStrategy": {"type": "Whenever"}})),
        [
            "spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:\"Whenever\", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: \"RollingUpdate\", \"OnDelete\""
        ]
    );
}

// upstream: TestValidateReplicationController (selector defaults to the
// template's labels; a selector that does not match; no template).
#[test]
fn replication_controllers() {
    let rc = |spec: serde_json::Value| {
        strings(validate_replication_controller(&from(
            json!({"metadata": {"name": "r"}, "spec": spec}),
        )))
    };
    assert_eq!(
        rc(json!({"template": template(json!({"a": "b"}))})),
        Vec::<String>::new()
    );
    assert_eq!(
        rc(json!({"selector": {"a": "c"}, "template": template(json!({"a": "b"}))})),
        [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"a\":\"b\"}: `selector` does not match template `labels`"
        ]
    );
    assert_eq!(
        rc(json!({"template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}})),
        ["spec.selector: Required value"]
    );
    assert_eq!(
        rc(json!({"selector": {"a": "b"}})),
        ["spec.template: Required value"]
    );
}

// upstream: TestValidateJob (restartPolicy, manual selector, generated
// selector, indexed jobs, negative fields) and TestValidateJobSpec.
#[test]
fn jobs() {
    let job = |spec: serde_json::Value| {
        strings(validate_job(&from(
            json!({"metadata": {"name": "myjob"}, "spec": spec}),
        )))
    };
    let mut t = template(json!({}));
    t["spec"]["restartPolicy"] = json!("Never");
    assert_eq!(job(json!({"template": t})), Vec::<String>::new());
    assert_eq!(
        job(json!({"template": template(json!({}))})),
        [
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        ]
    );
    let mut always = template(json!({}));
    always["spec"]["restartPolicy"] = json!("Always");
    assert_eq!(
        job(json!({"template": always})),
        [
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        ]
    );
    assert_eq!(
        job(
            json!({"template": t, "parallelism": -1, "completions": -1, "backoffLimit": -1, "activeDeadlineSeconds": -1})
        ),
        [
            "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
            "spec.completions: Invalid value: -1: must be greater than or equal to 0",
            "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
            "spec.activeDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
        ]
    );
    assert_eq!(
        job(json!({"template": t, "completionMode": "Indexed", "parallelism": 2})),
        ["spec.completions: Required value: when completion mode is Indexed"]
    );
    assert_eq!(
        job(json!({"template": t, "backoffLimitPerIndex": 1})),
        ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"]
    );
    let mut manual = template(json!({"job": "x"}));
    manual["spec"]["restartPolicy"] = json!("Never");
    assert_eq!(
        job(
            json!({"manualSelector": true, "selector": {"matchLabels": {"job": "y"}}, "template": manual})
        ),
        [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"job\":\"x\"}: `selector` does not match template `labels`"
        ]
    );
    let got = job(json!({"selector": {"matchLabels": {"job": "x"}}, "template": manual}));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{batch.kubernetes.io/controller-uid: <uid>,job: x,}"), "{got:?}");
    assert!(got[0].ends_with("`selector` not auto-generated"));
    // A selector the generated one still matches (the Job's own name) is
    // accepted: the server fills in its real UID, a valid label value.
    // upstream: pkg/registry/batch/job/strategy.go generateSelector, then
    // validation.go validateGeneratedSelector (LabelSelectorAsSelector).
    assert_eq!(
        job(
            json!({"selector": {"matchLabels": {"batch.kubernetes.io/job-name": "myjob"}}, "template": manual})
        ),
        Vec::<String>::new()
    );
    let mut pfp = template(json!({}));
    pfp["spec"]["restartPolicy"] = json!("OnFailure");
    assert_eq!(
        job(
            json!({"template": pfp, "podFailurePolicy": {"rules": [{"action": "Bogus", "onExitCodes": {"operator": "In", "values": [0, 2, 1]}}, {"action": "Ignore"}]}})
        ),
        [
            "spec.podFailurePolicy.rules[0].action: Unsupported value: \"Bogus\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
            "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
            "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{0, 2, 1}: must be ordered",
            "spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
            "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified",
        ]
    );
    // An indexed Job whose last pod's hostname would not be a DNS label.
    let long = "a".repeat(62);
    let j: batch::Job = from(
        json!({"metadata": {"name": long}, "spec": {"completionMode": "Indexed", "completions": 10, "template": t}}),
    );
    assert_eq!(
        strings(validate_job(&j)),
        [format!(
            "metadata.name: Invalid value: \"{long}\": will not able to create pod with invalid DNS label: {long}-9"
        )]
    );
}

// upstream: TestValidateCronJob (schedule, name length, concurrencyPolicy,
// timeZone, selector in the job template).
#[test]
fn cron_jobs() {
    let cj = |name: &str, spec: serde_json::Value| {
        strings(validate_cron_job(&from(
            json!({"metadata": {"name": name}, "spec": spec}),
        )))
    };
    let mut t = template(json!({}));
    t["spec"]["restartPolicy"] = json!("OnFailure");
    let jt = json!({"spec": {"template": t}});
    assert_eq!(
        cj("c", json!({"schedule": "* * * * ?", "jobTemplate": jt})),
        Vec::<String>::new()
    );
    assert_eq!(
        cj("c", json!({"schedule": "error", "jobTemplate": jt})),
        ["spec.schedule: Invalid value: \"error\": expected exactly 5 fields, found 1: [error]"]
    );
    assert_eq!(
        cj(
            "c",
            json!({"schedule": "TZ=UTC 0 * * * *", "jobTemplate": jt})
        ),
        [
            "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
        ]
    );
    assert_eq!(
        cj(
            &"a".repeat(53),
            json!({"schedule": "* * * * *", "jobTemplate": jt})
        ),
        [format!(
            "metadata.name: Invalid value: \"{}\": must be no more than 52 characters",
            "a".repeat(53)
        )]
    );
    assert_eq!(
        cj(
            "c",
            json!({"schedule": "* * * * *", "concurrencyPolicy": "Sometimes", "timeZone": "Local", "startingDeadlineSeconds": -1, "jobTemplate": jt})
        ),
        [
            "spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
            "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
            "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
        ]
    );
    let mut bad_tz = json!({"schedule": "* * * * *", "jobTemplate": jt});
    bad_tz["timeZone"] = json!("America/New York");
    assert_eq!(
        cj("c", bad_tz),
        ["spec.timeZone: Invalid value: \"America/New York\": unknown time zone America/New York"]
    );
    let mut with_sel = jt.clone();
    with_sel["spec"]["selector"] = json!({"matchLabels": {"a": "b"}});
    assert_eq!(
        cj(
            "c",
            json!({"schedule": "* * * * *", "jobTemplate": with_sel})
        ),
        [
            "spec.jobTemplate.spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{a: b,},MatchExpressions:[]LabelSelectorRequirement{},}: `selector` will be auto-generated"
        ]
    );
    // The Job template's pod spec, at spec.jobTemplate.spec.template.spec.
    assert_eq!(
        cj(
            "c",
            json!({"schedule": "@daily", "jobTemplate": {"spec": {"template": template(json!({}))}}})
        ),
        [
            "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        ]
    );
}

#[test]
fn pod_templates() {
    let pt: api::PodTemplate = from(
        json!({"metadata": {"name": "t"}, "template": {"spec": {"containers": [{"name": "c"}]}}}),
    );
    assert_eq!(
        strings(validate_pod_template(&pt)),
        ["template.spec.containers[0].image: Required value"]
    );
}
