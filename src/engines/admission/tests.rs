//! Engine tests. Cases transcribed from upstream name their source:
//! `// upstream: <file> <test> "<case>"`.

use super::cel::{self, Activation, Bound, CompileError, Scope};
use super::request::{Operation, Request};
use super::webhook;
use super::*;
use crate::model::ClusterModel;
use crate::model::load::Input;
use serde_json::json;

fn model(yaml: &str) -> ClusterModel {
    let v = crate::validate::validate_inputs(&[Input::new("t.yaml", yaml.as_bytes().to_vec())])
        .expect("readable");
    v.model()
}

/// Evaluate one expression with `object` bound.
fn eval(expr: &str, object: serde_json::Value) -> Result<::cel::Value, String> {
    let scope = Scope {
        has_params: true,
        ..Scope::default()
    };
    let p = cel::compile(expr, &scope).map_err(|e| e.to_string())?;
    let b = Bound::new(&Activation {
        object: Some(object),
        ..Activation::default()
    });
    b.eval(&p)
}

fn truth(expr: &str) -> bool {
    match eval(expr, json!({})) {
        Ok(::cel::Value::Bool(b)) => b,
        other => panic!("{expr}: {other:?}"),
    }
}

fn request(m: &ClusterModel, op: Operation, kind: &str, ns: Option<&str>, name: &str) -> Request {
    let o = m
        .objects
        .iter()
        .find(|o| o.id.kind == kind && o.id.name == name && o.id.namespace.as_deref() == ns)
        .expect("object in model");
    Request::for_object(op, o, None).expect("request")
}

// ---- CEL: the language and the Kubernetes libraries ----

#[test]
fn cel_standard_macros_and_presence() {
    let pod = json!({"metadata": {"name": "p"}, "spec": {"containers": [{"image": "a/b:1"}, {"image": "c/d"}]}});
    assert_eq!(
        eval("has(object.metadata.labels)", pod.clone()),
        Ok(::cel::Value::Bool(false))
    );
    assert_eq!(
        eval(
            "object.spec.containers.all(c, c.image.contains('/'))",
            pod.clone()
        ),
        Ok(::cel::Value::Bool(true))
    );
    assert_eq!(
        eval(
            "object.spec.containers.exists(c, c.image.endsWith(':1'))",
            pod.clone()
        ),
        Ok(::cel::Value::Bool(true))
    );
    assert_eq!(
        eval(
            "object.spec.containers.map(c, c.image).filter(i, i.startsWith('c/')).size()",
            pod.clone()
        ),
        Ok(::cel::Value::Int(1))
    );
    // A missing field is an error, as in cel-go ("no such key").
    let err = eval("object.metadata.labels.team == 'x'", pod.clone()).unwrap_err();
    assert_eq!(
        err,
        "expression 'object.metadata.labels.team == 'x'' resulted in error: no such key: labels"
    );
    // has() on a missing parent is an error too.
    assert!(eval("has(object.metadata.labels.team)", pod).is_err());
}

#[test]
fn cel_numbers_from_json_are_ints() {
    let d = json!({"spec": {"replicas": 3}});
    assert_eq!(
        eval("object.spec.replicas <= 5", d.clone()),
        Ok(::cel::Value::Bool(true))
    );
    assert_eq!(
        eval("object.spec.replicas + 1", d.clone()),
        Ok(::cel::Value::Int(4))
    );
    // ConfigMap data are strings: comparing int with string has no overload.
    assert!(eval("object.spec.replicas <= '5'", d).is_err());
    assert!(truth("int('5') == 5"));
    assert!(truth("string(5) == '5'"));
}

#[test]
fn cel_string_extension() {
    // upstream: cel-go ext/strings_test.go (version 2 functions).
    assert!(truth("'a,b,c'.split(',') == ['a', 'b', 'c']"));
    assert!(truth("'Hello'.lowerAscii() == 'hello'"));
    assert!(truth("'hello'.upperAscii() == 'HELLO'"));
    assert!(truth("'  x '.trim() == 'x'"));
    assert!(truth("'tacocat'.indexOf('c') == 2"));
    assert!(truth("'tacocat'.lastIndexOf('c') == 4"));
    assert!(truth("'tacocat'.substring(4) == 'cat'"));
    assert!(truth("'tacocat'.replace('a', 'o') == 'tococot'"));
    assert!(truth("['a', 'b'].join('-') == 'a-b'"));
    assert!(truth(
        "'registry.example.com/app:1'.matches('^registry\\\\.example\\\\.com/')"
    ));
}

#[test]
fn cel_kubernetes_list_library() {
    // upstream: staging/src/k8s.io/apiserver/pkg/cel/library/lists_test.go
    assert!(truth("[1, 2, 3].isSorted()"));
    assert!(!truth("[3, 1].isSorted()"));
    assert!(truth("['a', 'b'].isSorted()"));
    assert!(truth("[1, 2, 3].sum() == 6"));
    assert!(truth("[].sum() == 0"));
    assert!(truth("[1.5, 2.5].sum() == 4.0"));
    assert!(truth("[3, 1, 2].min() == 1"));
    assert!(truth("[3, 1, 2].max() == 3"));
    assert!(truth("[1, 2, 2, 3].indexOf(2) == 1"));
    assert!(truth("[1, 2, 2, 3].lastIndexOf(2) == 2"));
    assert!(truth("[1, 2].indexOf(9) == -1"));
    assert!(eval("[].min()", json!({})).is_err());
}

#[test]
fn cel_regex_and_sets() {
    // upstream: library/regex_test.go; cel-go ext/sets_test.go
    assert!(truth("'abc 123'.find('[0-9]+') == '123'"));
    assert!(truth("'abc'.find('[0-9]+') == ''"));
    assert!(truth("'1 2 3'.findAll('[0-9]') == ['1', '2', '3']"));
    assert!(truth("'1 2 3'.findAll('[0-9]', 2) == ['1', '2']"));
    assert!(truth("sets.contains([1, 2, 3], [2, 3])"));
    assert!(!truth("sets.contains([1, 2], [2, 3])"));
    assert!(truth("sets.equivalent([1, 2, 1], [2, 1])"));
    assert!(truth("sets.intersects([1, 2], [2, 5])"));
    assert!(!truth("sets.intersects([1], [5])"));
}

#[test]
fn cel_quantity_library() {
    // upstream: staging/src/k8s.io/apiserver/pkg/cel/library/quantity_test.go
    assert!(truth("isQuantity('200M')"));
    assert!(!truth("isQuantity('200Mi0')"));
    assert!(truth("quantity('200M') == quantity('0.2G')"));
    assert!(truth("quantity('1') == quantity('1000m')"));
    assert!(truth("quantity('200M').isGreaterThan(quantity('100M'))"));
    assert!(truth("quantity('50M').isLessThan(quantity('100M'))"));
    assert!(truth("quantity('50M').compareTo(quantity('100M')) == -1"));
    assert!(truth("quantity('50M').compareTo(quantity('50M')) == 0"));
    assert!(truth("quantity('200M').sign() == 1"));
    assert!(truth("quantity('-50M').sign() == -1"));
    assert!(truth(
        "quantity('50k').add(quantity('20')) == quantity('50.02k')"
    ));
    assert!(truth("quantity('50k').add(20) == quantity('50020')"));
    assert!(truth(
        "quantity('50k').sub(quantity('20')) == quantity('49.98k')"
    ));
    assert!(truth("quantity('50k').sub(20) == quantity('49980')"));
    assert!(truth("quantity('50k').isInteger()"));
    assert!(!truth(
        "quantity('9999999999999999999999999999999999999G').isInteger()"
    ));
    assert!(!truth("quantity('50m').isInteger()"));
    assert!(truth("quantity('50k').asInteger() == 50000"));
    assert!(truth("quantity('50.5').asApproximateFloat() == 50.5"));
    let e = eval("quantity('50m').asInteger()", json!({})).unwrap_err();
    assert!(e.contains("cannot convert value to integer"), "{e}");
    let e = eval("quantity('1.2.3')", json!({})).unwrap_err();
    assert!(
        e.contains("quantities must match the regular expression"),
        "{e}"
    );
}

#[test]
fn compiled_expressions_are_reused_per_source_and_scope() {
    let s = Scope::default();
    let a = cel::compile("object.spec.replicas > 1", &s).unwrap();
    let b = cel::compile("object.spec.replicas > 1", &s).unwrap();
    assert!(
        std::rc::Rc::ptr_eq(&a, &b),
        "the second compile is the cached one"
    );
    // The scope is part of the key: the same source can compile in one
    // place and not in another, in either order.
    let with_params = Scope {
        has_params: true,
        ..s.clone()
    };
    for _ in 0..2 {
        assert!(cel::compile("params.data.x == 'y'", &with_params).is_ok());
        assert!(cel::compile("params.data.x == 'y'", &s).is_err());
    }
}

#[test]
fn compile_rejects_what_the_api_server_rejects() {
    let s = Scope::default();
    // undeclared function and variable
    assert!(
        matches!(cel::compile("foo(1)", &s), Err(CompileError::Invalid(m)) if m.contains("undeclared reference to 'foo'"))
    );
    assert!(
        matches!(cel::compile("nope > 1", &s), Err(CompileError::Invalid(m)) if m.contains("undeclared reference to 'nope'"))
    );
    // params without paramKind
    assert!(
        matches!(cel::compile("params.data.x == 'y'", &s), Err(CompileError::Invalid(m)) if m.contains("'params'"))
    );
    assert!(
        cel::compile(
            "params.data.x == 'y'",
            &Scope {
                has_params: true,
                ..s.clone()
            }
        )
        .is_ok()
    );
    // syntax
    assert!(matches!(
        cel::compile("object.spec.replicas <=", &s),
        Err(CompileError::Invalid(_))
    ));
    // comprehension variables are declared inside the macro only
    assert!(cel::compile("object.spec.containers.all(c, c.image != '')", &s).is_ok());
    assert!(matches!(
        cel::compile("object.spec.containers.all(c, true) && c.image == ''", &s),
        Err(CompileError::Invalid(_))
    ));
    // a variable that is not declared
    assert!(
        matches!(cel::compile("variables.x", &s), Err(CompileError::Invalid(m)) if m.contains("undefined field 'x'"))
    );
}

#[test]
fn compile_reports_unsupported_kubernetes_functions() {
    let s = Scope::default();
    assert_eq!(
        cel::compile("isURL(object.spec.url)", &s).unwrap_err(),
        CompileError::Unsupported("isURL".into())
    );
    assert_eq!(
        cel::compile("ip('10.0.0.1').family() == 4", &s).unwrap_err(),
        CompileError::Unsupported("ip".into())
    );
    assert_eq!(
        cel::compile(
            "authorizer.group('').resource('pods').check('get').allowed()",
            &Scope {
                has_authorizer: true,
                ..s.clone()
            }
        )
        .unwrap_err(),
        CompileError::Unsupported("authorizer".into())
    );
}

// ---- ValidatingAdmissionPolicy dispatch ----

const REPLICAS_POLICY: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {env: prod}}
---
apiVersion: v1
kind: Namespace
metadata: {name: dev, labels: {env: dev}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: small, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: s}}
  template:
    metadata: {labels: {app: s}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: big, namespace: shop}
spec:
  replicas: 10
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: big, namespace: dev}
spec:
  replicas: 10
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-replicas}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: [apps]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [deployments]
  validations:
    - expression: "object.spec.replicas <= 5"
      messageExpression: "'replicas must be at most 5, got ' + string(object.spec.replicas)"
      reason: Forbidden
"#;

fn with_binding(binding: &str) -> ClusterModel {
    model(&format!("{REPLICAS_POLICY}---\n{binding}"))
}

const DENY_BINDING: &str = r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-replicas-binding}
spec:
  policyName: max-replicas
  validationActions: [Deny]
"#;

#[test]
fn deny_binding_rejects_with_the_api_server_message() {
    let m = with_binding(DENY_BINDING);
    let v = evaluate(
        &m,
        &request(&m, Operation::Create, "Deployment", Some("shop"), "big"),
    );
    let d = v.denial.expect("denied");
    // upstream: validating/dispatcher.go Dispatch (message, reason, code)
    assert_eq!(
        d.message,
        "deployments.apps \"big\" is forbidden: ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding' denied request: replicas must be at most 5, got 10"
    );
    assert_eq!((d.reason.as_str(), d.code), ("Forbidden", 403));
    let ok = evaluate(
        &m,
        &request(&m, Operation::Create, "Deployment", Some("shop"), "small"),
    );
    assert!(ok.allowed());
    assert!(ok.decisions.is_empty());
}

#[test]
fn policy_without_binding_does_nothing() {
    let m = model(REPLICAS_POLICY);
    let v = evaluate(
        &m,
        &request(&m, Operation::Create, "Deployment", Some("shop"), "big"),
    );
    assert!(v.allowed());
    assert!(
        v.notes.iter().any(|n| n.contains("has no binding")),
        "{:?}",
        v.notes
    );
}

#[test]
fn binding_for_another_policy_name_does_nothing() {
    let m =
        with_binding(&DENY_BINDING.replace("policyName: max-replicas", "policyName: max-replica"));
    let v = evaluate(
        &m,
        &request(&m, Operation::Create, "Deployment", Some("shop"), "big"),
    );
    assert!(v.allowed());
}

#[test]
fn warn_and_audit_admit() {
    // upstream: validating/dispatcher.go: Warn adds a warning, Audit an
    // annotation; neither rejects.
    let m = with_binding(&DENY_BINDING.replace("[Deny]", "[Warn, Audit]"));
    let v = evaluate(
        &m,
        &request(&m, Operation::Create, "Deployment", Some("shop"), "big"),
    );
    assert!(v.allowed());
    assert_eq!(
        v.warnings,
        vec![
            "Validation failed for ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding': replicas must be at most 5, got 10"
        ]
    );
    assert_eq!(v.audit.len(), 1);
}

#[test]
fn binding_match_resources_narrow() {
    let m = with_binding(
        r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: prod-only}
spec:
  policyName: max-replicas
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels: {env: prod}
"#,
    );
    assert!(
        !evaluate(
            &m,
            &request(&m, Operation::Create, "Deployment", Some("shop"), "big")
        )
        .allowed()
    );
    let dev = evaluate(
        &m,
        &request(&m, Operation::Create, "Deployment", Some("dev"), "big"),
    );
    assert!(dev.allowed());
    assert!(
        dev.notes
            .iter()
            .any(|n| n.contains("does not match the namespaceSelector")),
        "{:?}",
        dev.notes
    );
}

#[test]
fn operations_not_listed_are_not_validated() {
    let m = with_binding(DENY_BINDING);
    let v = evaluate(
        &m,
        &request(&m, Operation::Delete, "Deployment", Some("shop"), "big"),
    );
    assert!(v.allowed());
    assert!(
        v.notes.iter().any(|n| n.contains("no rule matches DELETE")),
        "{:?}",
        v.notes
    );
}

#[test]
fn default_reason_is_invalid_and_message_falls_back_to_expression() {
    // upstream: validating/validator.go Validate ("failed expression: ...")
    let yaml = REPLICAS_POLICY
        .replace("      messageExpression: \"'replicas must be at most 5, got ' + string(object.spec.replicas)\"\n", "")
        .replace("      reason: Forbidden\n", "");
    let m = model(&format!("{yaml}---\n{DENY_BINDING}"));
    let v = evaluate(
        &m,
        &request(&m, Operation::Create, "Deployment", Some("shop"), "big"),
    );
    let d = v.denial.expect("denied");
    assert!(
        d.message
            .ends_with("denied request: failed expression: object.spec.replicas <= 5"),
        "{}",
        d.message
    );
    assert_eq!((d.reason.as_str(), d.code), ("Invalid", 422));
}

#[test]
fn runtime_errors_follow_failure_policy() {
    // A Deployment without replicas: `object.spec.replicas` has no such key.
    let yaml = REPLICAS_POLICY.replace("  replicas: 3\n", "");
    let fail = model(&format!("{yaml}---\n{DENY_BINDING}"));
    let v = evaluate(
        &fail,
        &request(
            &fail,
            Operation::Create,
            "Deployment",
            Some("shop"),
            "small",
        ),
    );
    let d = v.denial.expect("failurePolicy Fail denies on error");
    assert!(
        d.message.contains(
            "expression 'object.spec.replicas <= 5' resulted in error: no such key: replicas"
        ),
        "{}",
        d.message
    );
    let ignore = model(&format!(
        "{}---\n{DENY_BINDING}",
        yaml.replace("failurePolicy: Fail", "failurePolicy: Ignore")
    ));
    assert!(
        evaluate(
            &ignore,
            &request(
                &ignore,
                Operation::Create,
                "Deployment",
                Some("shop"),
                "small"
            )
        )
        .allowed()
    );
}

const PARAMS: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: policy-system}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: registries, namespace: policy-system}
data: {allowed: "registry.example.com,mirror.example.com"}
---
apiVersion: v1
kind: Pod
metadata: {name: good, namespace: shop}
spec: {containers: [{name: c, image: registry.example.com/app:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: bad, namespace: shop}
spec: {containers: [{name: c, image: docker.io/app:1}]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: registries}
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  variables:
    - name: allowed
      expression: "params.data.allowed.split(',')"
  validations:
    - expression: "object.spec.containers.all(c, variables.allowed.exists(r, c.image.startsWith(r + '/')))"
      message: "image registry not allowed"
"#;

fn params_model(param_ref: &str) -> ClusterModel {
    model(&format!(
        "{PARAMS}---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {{name: registries}}\nspec:\n  policyName: registries\n  validationActions: [Deny]\n  paramRef: {param_ref}\n"
    ))
}

#[test]
fn params_and_variables() {
    let m =
        params_model("{name: registries, namespace: policy-system, parameterNotFoundAction: Deny}");
    assert!(
        evaluate(
            &m,
            &request(&m, Operation::Create, "Pod", Some("shop"), "good")
        )
        .allowed()
    );
    let v = evaluate(
        &m,
        &request(&m, Operation::Create, "Pod", Some("shop"), "bad"),
    );
    assert!(
        v.denial
            .expect("denied")
            .message
            .ends_with("denied request: image registry not allowed")
    );
}

#[test]
fn param_ref_without_namespace_looks_in_the_request_namespace() {
    // upstream: generic/policy_dispatcher.go CollectParams: a namespaced
    // paramKind without paramRef.namespace is read from the request's
    // namespace; nothing found + Deny is a configuration error.
    let m = params_model("{name: registries, parameterNotFoundAction: Deny}");
    let v = evaluate(
        &m,
        &request(&m, Operation::Create, "Pod", Some("shop"), "good"),
    );
    assert!(
        v.denial.expect("denied").message.ends_with(
            "ValidatingAdmissionPolicy 'registries' with binding 'registries' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction"
        )
    );
    let allow = params_model("{name: registries, parameterNotFoundAction: Allow}");
    assert!(
        evaluate(
            &allow,
            &request(&allow, Operation::Create, "Pod", Some("shop"), "bad")
        )
        .allowed()
    );
}

const LABELS: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {env: prod}}
---
apiVersion: v1
kind: Pod
metadata: {name: bare, namespace: shop}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: labelled, namespace: shop, labels: {team: a}}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: team}
spec: {policyName: team, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: team}
spec:
  failurePolicy: FP
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
"#;

#[test]
fn match_conditions_skip_and_errors() {
    // upstream: webhook/matchconditions/matcher.go Match: any false skips;
    // errors count only when nothing is false.
    let m = model(&format!(
        "{}  matchConditions:\n    - name: not-labelled-a\n      expression: \"object.metadata.labels.team != 'a'\"\n  validations:\n    - expression: \"false\"\n",
        LABELS.replace("FP", "Fail")
    ));
    // labelled team=a: condition false -> skipped
    assert!(
        evaluate(
            &m,
            &request(&m, Operation::Create, "Pod", Some("shop"), "labelled")
        )
        .allowed()
    );
    // bare: condition errors (no labels) -> Fail denies with the error
    let v = evaluate(
        &m,
        &request(&m, Operation::Create, "Pod", Some("shop"), "bare"),
    );
    assert!(
        v.denial
            .expect("denied")
            .message
            .contains("no such key: labels")
    );
}

#[test]
fn unguarded_label_check_depends_on_failure_policy() {
    let body = "  validations:\n    - expression: \"has(object.metadata.labels.team)\"\n";
    let fail = model(&format!("{}{body}", LABELS.replace("FP", "Fail")));
    assert!(
        !evaluate(
            &fail,
            &request(&fail, Operation::Create, "Pod", Some("shop"), "bare")
        )
        .allowed()
    );
    let ignore = model(&format!("{}{body}", LABELS.replace("FP", "Ignore")));
    assert!(
        evaluate(
            &ignore,
            &request(&ignore, Operation::Create, "Pod", Some("shop"), "bare")
        )
        .allowed()
    );
    assert!(
        evaluate(
            &ignore,
            &request(&ignore, Operation::Create, "Pod", Some("shop"), "labelled")
        )
        .allowed()
    );
}

#[test]
fn unsupported_functions_are_reported() {
    let body = "  validations:\n    - expression: \"isURL('http://x')\"\n";
    let m = model(&format!("{}{body}", LABELS.replace("FP", "Fail")));
    let v = evaluate(
        &m,
        &request(&m, Operation::Create, "Pod", Some("shop"), "bare"),
    );
    assert_eq!(v.unsupported, vec!["isURL".to_string()]);
}

#[test]
fn object_selector_matches_new_or_old_labels() {
    // upstream: webhook/predicates/object/matcher.go MatchObjectSelector
    let m = model(&format!(
        "{}  validations:\n    - expression: \"false\"\n---\n",
        LABELS.replace("FP", "Fail").replace(
            "  matchConstraints:\n",
            "  matchConstraints:\n    objectSelector: {matchLabels: {team: a}}\n"
        )
    ));
    assert!(
        !evaluate(
            &m,
            &request(&m, Operation::Create, "Pod", Some("shop"), "labelled")
        )
        .allowed()
    );
    assert!(
        evaluate(
            &m,
            &request(&m, Operation::Create, "Pod", Some("shop"), "bare")
        )
        .allowed()
    );
}

#[test]
fn exclude_resource_rules_and_exempt_kinds() {
    let m = model(&format!(
        "{}    excludeResourceRules:\n      - {{apiGroups: [\"\"], apiVersions: [v1], operations: [\"*\"], resources: [pods], resourceNames: [bare]}}\n  validations:\n    - expression: \"false\"\n",
        LABELS.replace("FP", "Fail")
    ));
    assert!(
        evaluate(
            &m,
            &request(&m, Operation::Create, "Pod", Some("shop"), "bare")
        )
        .allowed()
    );
    assert!(
        !evaluate(
            &m,
            &request(&m, Operation::Create, "Pod", Some("shop"), "labelled")
        )
        .allowed()
    );
    let policy = request(
        &m,
        Operation::Create,
        "ValidatingAdmissionPolicy",
        None,
        "team",
    );
    assert!(policy.is_exempt());
}

// ---- webhooks ----

const WEBHOOK: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: dns, namespace: kube-system}
spec: {containers: [{name: c, image: coredns}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: image-checker}
webhooks:
  - name: image-checker.example.com
    clientConfig:
      service: {namespace: policy-system, name: image-checker, path: /validate}
    rules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
    FAILURE
    sideEffects: None
    admissionReviewVersions: [v1]
"#;

#[test]
fn webhook_outage_follows_failure_policy_and_selectors() {
    let m = model(&WEBHOOK.replace("FAILURE", "failurePolicy: Fail"));
    let web = request(&m, Operation::Create, "Pod", Some("shop"), "web");
    let o = webhook::outage(&m, &web, &[]);
    assert!(!o.admitted);
    assert_eq!(
        o.message.as_deref(),
        Some(
            "Internal error occurred: failed calling webhook \"image-checker.example.com\": failed to call webhook: Post \"https://image-checker.policy-system.svc:443/validate?timeout=10s\": dial tcp: connect: connection refused"
        )
    );
    let ignore = model(&WEBHOOK.replace("FAILURE", "failurePolicy: Ignore"));
    assert!(
        webhook::outage(
            &ignore,
            &request(&ignore, Operation::Create, "Pod", Some("shop"), "web"),
            &[]
        )
        .admitted
    );

    // Exempting kube-system by its automatic name label.
    let exempt = model(&WEBHOOK.replace(
        "FAILURE",
        "failurePolicy: Fail\n    namespaceSelector:\n      matchExpressions:\n        - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system]}",
    ));
    assert!(
        webhook::outage(
            &exempt,
            &request(
                &exempt,
                Operation::Create,
                "Pod",
                Some("kube-system"),
                "dns"
            ),
            &[]
        )
        .admitted
    );
    assert!(
        !webhook::outage(
            &exempt,
            &request(&exempt, Operation::Create, "Pod", Some("shop"), "web"),
            &[]
        )
        .admitted
    );

    // A `name` label kube-system does not carry exempts nothing.
    let wrong = model(&WEBHOOK.replace(
        "FAILURE",
        "failurePolicy: Fail\n    namespaceSelector:\n      matchExpressions:\n        - {key: name, operator: NotIn, values: [kube-system]}",
    ));
    assert!(
        !webhook::outage(
            &wrong,
            &request(&wrong, Operation::Create, "Pod", Some("kube-system"), "dns"),
            &[]
        )
        .admitted
    );
}

#[test]
fn chain_runs_mutating_before_validating() {
    use super::chain;
    let on = chain::enabled(&["NodeRestriction"], &[]);
    assert!(on.contains(&"NodeRestriction"));
    assert!(!on.contains(&"AlwaysPullImages"));
    let order = chain::run_order(&on);
    let pos = |n: &str, p: chain::Phase| order.iter().position(|x| *x == (n, p)).expect(n);
    assert!(
        pos("MutatingAdmissionWebhook", chain::Phase::Mutating)
            < pos("ValidatingAdmissionPolicy", chain::Phase::Validating)
    );
    assert!(
        pos("LimitRanger", chain::Phase::Validating)
            > pos("MutatingAdmissionWebhook", chain::Phase::Mutating)
    );
    assert!(
        pos("ValidatingAdmissionWebhook", chain::Phase::Validating)
            < pos("ResourceQuota", chain::Phase::Validating)
    );
}

// A container always reaches admission with `resources: {}` (Go encodes
// the non-pointer struct `Container.Resources` even when empty), so
// `has(c.resources.limits)` is false rather than an error; `kubectl get
// pod -o yaml` shows the same `resources: {}`.
#[test]
fn containers_reach_admission_with_empty_resources() {
    let m = model(
        r#"
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: Pod
metadata: {name: bare, namespace: prod}
spec:
  initContainers: [{name: init, image: busybox}]
  containers: [{name: app, image: nginx}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: nginx, resources: {limits: {cpu: "1"}}}]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: limits}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"]}
  validations:
    - expression: "object.spec.containers.all(c, has(c.resources.limits))"
      message: "limits required"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: limits}
spec: {policyName: limits, validationActions: [Deny]}
"#,
    );
    let req = request(&m, Operation::Create, "Pod", Some("prod"), "bare");
    let obj = req.object.as_ref().expect("object");
    assert_eq!(
        obj.pointer("/spec/containers/0/resources"),
        Some(&json!({}))
    );
    assert_eq!(
        obj.pointer("/spec/initContainers/0/resources"),
        Some(&json!({}))
    );
    let v = evaluate(&m, &req);
    let d = v.denial.expect("denied");
    // A false expression (the message), not an evaluation error.
    assert!(
        d.message.ends_with("denied request: limits required"),
        "{}",
        d.message
    );
    let dep = request(&m, Operation::Create, "Deployment", Some("prod"), "web");
    assert_eq!(
        dep.object
            .as_ref()
            .and_then(|o| o.pointer("/spec/template/spec/containers/0/resources/limits/cpu")),
        Some(&json!("1"))
    );
}
