//! ValidatingAdmissionPolicy evaluation, as the ValidatingAdmissionPolicy
//! admission plugin dispatches it: every policy that matches the request,
//! every binding of it that matches, every parameter object, then
//! matchConditions, variables and validations, and finally the binding's
//! validationActions (Deny, Warn, Audit) and the policy's failurePolicy.
//!
//! upstream: staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/
//! validating/dispatcher.go `Dispatch`, validator.go `Validate`,
//! generic/policy_dispatcher.go `CollectParams`,
//! webhook/matchconditions/matcher.go `Match`.

use super::cel::{self, Activation, Bound, CompileError, Scope};
use super::matching::{self, Criteria, Matched};
use super::request::{Cluster, Request};
use crate::engines::selector::Selector;
use crate::model::{ClusterModel, kinds};
use k8s_openapi::api::admissionregistration::v1::{
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
};
use serde_json::Value as Json;

/// One binding's (or a policy's) contribution to the verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub policy: String,
    pub binding: Option<String>,
    /// Index of the failing validation; None for errors outside one.
    pub validation: Option<usize>,
    /// The binding's validationActions that applied (`Deny`, `Warn`,
    /// `Audit`); a configuration error denies by itself.
    pub actions: Vec<String>,
    pub message: String,
    /// `Invalid` unless the validation names another reason.
    pub reason: String,
    /// An evaluation or configuration error (as opposed to a false
    /// expression).
    pub error: bool,
}

/// Why the request was rejected.
#[derive(Clone, Debug, PartialEq)]
pub struct Denial {
    pub policy: String,
    pub binding: Option<String>,
    pub reason: String,
    pub code: u16,
    /// What `kubectl` prints after `Error from server (Reason): `.
    pub message: String,
}

/// What the ValidatingAdmissionPolicy plugin decides for one request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdict {
    pub denial: Option<Denial>,
    /// `Warning: ...` lines kubectl prints.
    pub warnings: Vec<String>,
    /// `validation.policy.admission.k8s.io/validation_failure` audit
    /// annotation entries (policy, binding, message).
    pub audit: Vec<Decision>,
    pub decisions: Vec<Decision>,
    /// How each policy and binding related to the request, for
    /// explanations ("binding x does not match: ...").
    pub notes: Vec<String>,
    /// Functions kubedojo cannot evaluate that this request reached: the
    /// verdict is then not trustworthy.
    pub unsupported: Vec<String>,
}

impl Verdict {
    pub fn allowed(&self) -> bool {
        self.denial.is_none()
    }
}

/// upstream: dispatcher.go `reasonToCode`.
fn reason_to_code(reason: &str) -> u16 {
    match reason {
        "Forbidden" => 403,
        "Unauthorized" => 401,
        "RequestEntityTooLarge" => 413,
        "Invalid" => 422,
        _ => 500,
    }
}

fn fail_policy(p: &ValidatingAdmissionPolicy) -> &str {
    p.spec
        .as_ref()
        .and_then(|s| s.failure_policy.as_deref())
        .unwrap_or("Fail")
}

/// Run every ValidatingAdmissionPolicy of `model` on `req`.
pub fn evaluate(model: &ClusterModel, req: &Request) -> Verdict {
    let cluster = Cluster { model };
    let mut v = Verdict::default();
    if req.is_exempt() {
        v.notes.push(format!(
            "{} objects are never subject to admission policies",
            req.kind
        ));
        return v;
    }
    let mut policies: Vec<&ValidatingAdmissionPolicy> = model
        .of::<ValidatingAdmissionPolicy>()
        .map(|s| s.obj)
        .collect();
    policies.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let mut bindings: Vec<&ValidatingAdmissionPolicyBinding> = model
        .of::<ValidatingAdmissionPolicyBinding>()
        .map(|s| s.obj)
        .collect();
    bindings.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));

    let mut denied: Vec<Decision> = Vec::new();
    for policy in policies {
        let pname = policy.metadata.name.clone().unwrap_or_default();
        let mine: Vec<&&ValidatingAdmissionPolicyBinding> = bindings
            .iter()
            .filter(|b| b.spec.policy_name == pname)
            .collect();
        if mine.is_empty() {
            v.notes.push(format!(
                "ValidatingAdmissionPolicy '{pname}' has no binding (no ValidatingAdmissionPolicyBinding has policyName: {pname}), so it is never applied"
            ));
            continue;
        }
        let Some(spec) = policy.spec.as_ref() else {
            continue;
        };
        let config_error =
            |v: &mut Verdict, denied: &mut Vec<Decision>, binding: Option<String>, err: String| {
                let msg = match &binding {
                    None => format!("failed to configure policy: {err}"),
                    Some(_) => format!("failed to configure binding: {err}"),
                };
                v.notes
                    .push(format!("ValidatingAdmissionPolicy '{pname}': {msg}"));
                if fail_policy(policy) != "Ignore" {
                    denied.push(Decision {
                        policy: pname.clone(),
                        binding,
                        validation: None,
                        actions: vec!["Deny".into()],
                        message: msg,
                        reason: "Invalid".into(),
                        error: true,
                    });
                }
            };
        let matched = match spec.match_constraints.as_ref() {
            None => {
                config_error(
                    &mut v,
                    &mut denied,
                    None,
                    "policy contained no match constraints, a required field".into(),
                );
                continue;
            }
            Some(mc) => {
                matching::matches(&Criteria::from_match_resources(mc, false), req, &cluster)
            }
        };
        let resource = match matched {
            Matched::Yes(r) => r,
            Matched::No(why) => {
                v.notes.push(format!(
                    "ValidatingAdmissionPolicy '{pname}' does not match: {why}"
                ));
                continue;
            }
            Matched::Error(e) => {
                config_error(&mut v, &mut denied, None, e);
                continue;
            }
        };
        for binding in mine {
            let bname = binding.metadata.name.clone().unwrap_or_default();
            let bspec = &binding.spec;
            if let Some(mr) = bspec.match_resources.as_ref() {
                match matching::matches(&Criteria::from_match_resources(mr, true), req, &cluster) {
                    Matched::Yes(_) => {}
                    Matched::No(why) => {
                        v.notes.push(format!(
                            "binding '{bname}' of ValidatingAdmissionPolicy '{pname}' does not match: {why}"
                        ));
                        continue;
                    }
                    Matched::Error(e) => {
                        config_error(&mut v, &mut denied, Some(bname), e);
                        continue;
                    }
                }
            }
            let params = match collect_params(policy, binding, req, &cluster) {
                Ok(p) => p,
                Err(e) => {
                    config_error(&mut v, &mut denied, Some(bname), e);
                    continue;
                }
            };
            if params.is_empty() {
                v.notes.push(format!(
                    "binding '{bname}' of ValidatingAdmissionPolicy '{pname}' found no parameter object and its parameterNotFoundAction is Allow: nothing is validated"
                ));
            }
            let actions: Vec<String> = bspec.validation_actions.clone();
            for param in params {
                let namespace_object = (!req.namespace.is_empty() && req.kind != "Namespace")
                    .then(|| namespace_for_cel(cluster.namespace(&req.namespace)));
                let act = Activation {
                    object: req.object.clone(),
                    old_object: req.old_object.clone(),
                    request: req.to_cel(&resource),
                    params: param,
                    namespace_object,
                };
                let results = validate(policy, &act, &mut v.unsupported);
                v.notes.push(format!(
                    "ValidatingAdmissionPolicy '{pname}' with binding '{bname}' (validationActions [{}]) applies",
                    actions.join(", ")
                ));
                for mut d in results {
                    d.binding = Some(bname.clone());
                    d.actions = actions.clone();
                    for action in &actions {
                        match action.as_str() {
                            "Deny" => denied.push(d.clone()),
                            "Warn" => v.warnings.push(format!(
                                "Validation failed for ValidatingAdmissionPolicy '{pname}' with binding '{bname}': {}",
                                d.message
                            )),
                            "Audit" => v.audit.push(d.clone()),
                            _ => {}
                        }
                    }
                    v.decisions.push(d);
                }
            }
        }
    }
    v.unsupported.sort();
    v.unsupported.dedup();
    if let Some(d) = denied.first() {
        let detail = match &d.binding {
            Some(b) => format!(
                "ValidatingAdmissionPolicy '{}' with binding '{b}' denied request: {}",
                d.policy, d.message
            ),
            None => format!(
                "ValidatingAdmissionPolicy '{}' denied request: {}",
                d.policy, d.message
            ),
        };
        v.denial = Some(Denial {
            policy: d.policy.clone(),
            binding: d.binding.clone(),
            reason: d.reason.clone(),
            code: reason_to_code(&d.reason),
            message: format!(
                "{} {:?} is forbidden: {detail}",
                req.group_resource(),
                req.name
            ),
        });
    }
    v
}

/// The namespace fields CEL may read (`CreateNamespaceObject`).
fn namespace_for_cel(mut ns: Json) -> Json {
    if let Some(m) = ns.as_object_mut() {
        m.remove("apiVersion");
        m.remove("kind");
    }
    ns
}

/// upstream: generic/policy_dispatcher.go `CollectParams`. One entry per
/// parameter object to validate with; `None` means no params at all.
fn collect_params(
    policy: &ValidatingAdmissionPolicy,
    binding: &ValidatingAdmissionPolicyBinding,
    req: &Request,
    cluster: &Cluster,
) -> Result<Vec<Option<Json>>, String> {
    let kind = policy.spec.as_ref().and_then(|s| s.param_kind.as_ref());
    let pref = binding.spec.param_ref.as_ref();
    let (Some(kind), Some(pref)) = (kind, pref) else {
        return Ok(vec![None]);
    };
    let api_version = kind.api_version.clone().unwrap_or_default();
    let kind_name = kind.kind.clone().unwrap_or_default();
    let namespaced = match kinds::find(&api_version, &kind_name) {
        Some(k) => k.namespaced,
        None => {
            return Err(format!(
                "paramKind kind `{api_version}, Kind={kind_name}` not known"
            ));
        }
    };
    let ref_ns = pref.namespace.clone().unwrap_or_default();
    let ns = if namespaced {
        if !ref_ns.is_empty() {
            Some(ref_ns.clone())
        } else if !req.namespace.is_empty() {
            Some(req.namespace.clone())
        } else {
            return Err(
                "cannot use namespaced paramRef in policy binding that matches cluster-scoped resources"
                    .into(),
            );
        }
    } else {
        if !ref_ns.is_empty() {
            return Err(
                "paramRef.namespace must not be provided for a cluster-scoped `paramKind`".into(),
            );
        }
        None
    };
    let candidates = cluster.objects_of(&api_version, &kind_name, ns.as_deref());
    let found: Vec<Option<Json>> = match (&pref.name, &pref.selector) {
        (Some(name), _) if !name.is_empty() => candidates
            .filter(|o| &o.id.name == name)
            .map(|o| Some(o.typed.to_json()))
            .collect(),
        (_, Some(sel)) => {
            let sel = Selector::from_api(Some(sel)).map_err(|e| e.to_string())?;
            candidates
                .filter(|o| {
                    let j = o.typed.to_json();
                    Request::labels(Some(&j)).is_some_and(|l| sel.matches(&l))
                })
                .map(|o| Some(o.typed.to_json()))
                .collect()
        }
        _ => return Err("one of name or selector must be provided".into()),
    };
    if found.is_empty() && pref.parameter_not_found_action.as_deref() == Some("Deny") {
        return Err(
            "no params found for policy binding with `Deny` parameterNotFoundAction".into(),
        );
    }
    Ok(found)
}

fn scope_of(policy: &ValidatingAdmissionPolicy, variables: usize) -> Scope {
    let spec = policy.spec.as_ref();
    Scope {
        has_params: spec.and_then(|s| s.param_kind.as_ref()).is_some(),
        has_authorizer: true,
        variables: spec
            .and_then(|s| s.variables.as_ref())
            .map(|vs| vs.iter().take(variables).map(|v| v.name.clone()).collect())
            .unwrap_or_default(),
    }
}

/// A compile failure as the evaluation error upstream reports for it.
fn compile_failure(e: &CompileError, unsupported: &mut Vec<String>) -> String {
    if let CompileError::Unsupported(f) = e {
        unsupported.push(f.clone());
    }
    format!("compilation error: {e}")
}

/// upstream: validator.go `Validate`: matchConditions, then validations
/// (with variables), each failed or erroring validation as a decision.
fn validate(
    policy: &ValidatingAdmissionPolicy,
    act: &Activation,
    unsupported: &mut Vec<String>,
) -> Vec<Decision> {
    let Some(spec) = policy.spec.as_ref() else {
        return Vec::new();
    };
    let pname = policy.metadata.name.clone().unwrap_or_default();
    let fail = fail_policy(policy) != "Ignore";
    let error = |message: String| Decision {
        policy: pname.clone(),
        binding: None,
        validation: None,
        actions: Vec::new(),
        message,
        reason: "Invalid".into(),
        error: true,
    };
    let all_vars = spec.variables.as_ref().map_or(0, Vec::len);
    let mut bound = Bound::new(act);

    // Match conditions: any false skips the policy; errors count only
    // when none is false.
    let mut errors = Vec::new();
    for mc in spec.match_conditions.iter().flatten() {
        let scope = Scope {
            variables: Vec::new(),
            ..scope_of(policy, 0)
        };
        match cel::compile(&mc.expression, &scope) {
            Err(e) => errors.push(compile_failure(&e, unsupported)),
            Ok(p) => match bound.eval(&p) {
                Ok(::cel::Value::Bool(false)) => return Vec::new(),
                Ok(_) => {}
                Err(e) => errors.push(e),
            },
        }
    }
    if !errors.is_empty() {
        if !fail {
            return Vec::new();
        }
        let message = if errors.len() == 1 {
            errors.remove(0)
        } else {
            format!("[{}]", errors.join(", "))
        };
        return vec![error(message)];
    }

    for (i, var) in spec.variables.iter().flatten().enumerate() {
        match cel::compile(&var.expression, &scope_of(policy, i)) {
            Ok(p) => bound.define(&var.name, &p),
            Err(e) => {
                // Reading the variable then fails with the compile error.
                bound.define_failed(&var.name, compile_failure(&e, unsupported));
            }
        }
    }

    let mut out = Vec::new();
    for (i, val) in spec.validations.iter().flatten().enumerate() {
        let scope = scope_of(policy, all_vars);
        let result = match cel::compile(&val.expression, &scope) {
            Err(e) => Err(compile_failure(&e, unsupported)),
            Ok(p) => bound.eval(&p),
        };
        let value = match result {
            Err(e) => {
                if fail {
                    out.push(Decision {
                        validation: Some(i),
                        ..error(e)
                    });
                }
                continue;
            }
            Ok(v) => v,
        };
        if value == ::cel::Value::Bool(true) {
            continue;
        }
        let mut message = String::new();
        if let Some(me) = val
            .message_expression
            .as_deref()
            .filter(|m| !m.trim().is_empty())
        {
            let scope = Scope {
                has_authorizer: false,
                ..scope_of(policy, all_vars)
            };
            match cel::compile(me, &scope) {
                Ok(p) => {
                    if let Ok(::cel::Value::String(s)) = bound.eval(&p) {
                        let s = s.trim();
                        if !s.contains('\n') && s.len() <= 5 * 1024 {
                            message = s.to_string();
                        }
                    }
                }
                Err(e) => {
                    compile_failure(&e, unsupported);
                }
            }
        }
        if message.is_empty() {
            message = val
                .message
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_string();
        }
        if message.is_empty() {
            message = format!("failed expression: {}", val.expression.trim());
        }
        out.push(Decision {
            policy: pname.clone(),
            binding: None,
            validation: Some(i),
            actions: Vec::new(),
            message,
            reason: val.reason.clone().unwrap_or_else(|| "Invalid".into()),
            error: false,
        });
    }
    out
}
