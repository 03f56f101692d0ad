//! Admission webhooks offline: which webhooks of the Validating and
//! MutatingWebhookConfigurations a request would be sent to (rules,
//! namespaceSelector, objectSelector, matchConditions), and what happens
//! to the request when those webhooks cannot be reached: failurePolicy
//! Fail rejects it, Ignore lets it through.
//!
//! upstream: staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/
//! generic/webhook.go `ShouldCallHook`, validating/dispatcher.go and
//! mutating/dispatcher.go (failure handling), matchconditions/matcher.go;
//! pkg/apis/admissionregistration/v1/defaults.go (failurePolicy Fail,
//! matchPolicy Equivalent, timeoutSeconds 10, selectors `{}`).

use super::cel::{self, Activation, Bound, Scope};
use super::matching::{self, Criteria, Matched, Rule};
use super::request::{Cluster, Request};
use crate::model::ClusterModel;
use k8s_openapi::api::admissionregistration::v1::{
    MatchCondition, MutatingWebhookConfiguration, RuleWithOperations, ServiceReference,
    ValidatingWebhookConfiguration, WebhookClientConfig,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Mutating,
    Validating,
}

/// The fields of one webhook that decide whether it is called.
pub struct Hook<'a> {
    pub kind: Kind,
    pub configuration: &'a str,
    pub name: &'a str,
    pub rules: &'a [RuleWithOperations],
    pub namespace_selector: Option<&'a LabelSelector>,
    pub object_selector: Option<&'a LabelSelector>,
    pub match_policy: Option<&'a str>,
    pub match_conditions: &'a [MatchCondition],
    pub failure_policy: &'a str,
    pub timeout_seconds: i32,
    pub client: &'a WebhookClientConfig,
}

/// Every webhook of the model, mutating ones first (the order in which
/// the chain calls them), each configuration's webhooks in order.
pub fn hooks(model: &ClusterModel) -> Vec<Hook<'_>> {
    let mut out = Vec::new();
    let mut mutating: Vec<_> = model.of::<MutatingWebhookConfiguration>().collect();
    mutating.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    for cfg in mutating {
        let cname = cfg.obj.metadata.name.as_deref().unwrap_or_default();
        for w in cfg.obj.webhooks.iter().flatten() {
            out.push(Hook {
                kind: Kind::Mutating,
                configuration: cname,
                name: &w.name,
                rules: w.rules.as_deref().unwrap_or_default(),
                namespace_selector: w.namespace_selector.as_ref(),
                object_selector: w.object_selector.as_ref(),
                match_policy: w.match_policy.as_deref(),
                match_conditions: w.match_conditions.as_deref().unwrap_or_default(),
                failure_policy: w.failure_policy.as_deref().unwrap_or("Fail"),
                timeout_seconds: w.timeout_seconds.unwrap_or(10),
                client: &w.client_config,
            });
        }
    }
    let mut validating: Vec<_> = model.of::<ValidatingWebhookConfiguration>().collect();
    validating.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    for cfg in validating {
        let cname = cfg.obj.metadata.name.as_deref().unwrap_or_default();
        for w in cfg.obj.webhooks.iter().flatten() {
            out.push(Hook {
                kind: Kind::Validating,
                configuration: cname,
                name: &w.name,
                rules: w.rules.as_deref().unwrap_or_default(),
                namespace_selector: w.namespace_selector.as_ref(),
                object_selector: w.object_selector.as_ref(),
                match_policy: w.match_policy.as_deref(),
                match_conditions: w.match_conditions.as_deref().unwrap_or_default(),
                failure_policy: w.failure_policy.as_deref().unwrap_or("Fail"),
                timeout_seconds: w.timeout_seconds.unwrap_or(10),
                client: &w.client_config,
            });
        }
    }
    out
}

/// Whether a webhook is called for a request, and why not.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    Called,
    Skipped(String),
    /// Matching failed (a selector or a match condition errored): the
    /// failure policy decides, as for an unreachable webhook.
    Error(String),
}

/// upstream: generic/webhook.go `ShouldCallHook`, then the match
/// conditions (any false skips; errors with no false follow failurePolicy).
pub fn should_call(hook: &Hook, req: &Request, cluster: &Cluster) -> Call {
    if req.is_exempt() {
        return Call::Skipped(format!("{} objects are never sent to webhooks", req.kind));
    }
    let criteria = Criteria {
        namespace_selector: hook.namespace_selector,
        object_selector: hook.object_selector,
        rules: hook.rules.iter().map(Rule::webhook).collect(),
        exclude: Vec::new(),
        match_policy: hook.match_policy,
        empty_rules_match_all: false,
    };
    let resource = match matching::matches(&criteria, req, cluster) {
        Matched::Yes(r) => r,
        Matched::No(why) => return Call::Skipped(why),
        Matched::Error(e) => return Call::Error(e),
    };
    if hook.match_conditions.is_empty() {
        return Call::Called;
    }
    let act = Activation {
        object: req.object.clone(),
        old_object: req.old_object.clone(),
        request: req.to_cel(&resource),
        params: None,
        namespace_object: None,
    };
    let bound = Bound::new(&act);
    let scope = Scope {
        has_params: false,
        has_authorizer: true,
        variables: Vec::new(),
    };
    let mut errors = Vec::new();
    for mc in hook.match_conditions {
        match cel::compile(&mc.expression, &scope) {
            Err(e) => errors.push(format!("compilation error: {e}")),
            Ok(p) => match bound.eval(&p) {
                Ok(::cel::Value::Bool(false)) => {
                    return Call::Skipped(format!("matchCondition {:?} is false", mc.name));
                }
                Ok(_) => {}
                Err(e) => errors.push(e),
            },
        }
    }
    if errors.is_empty() {
        Call::Called
    } else {
        Call::Error(errors.join(", "))
    }
}

/// The URL the API server posts the AdmissionReview to.
pub fn endpoint(client: &WebhookClientConfig, timeout: i32) -> String {
    match (&client.url, &client.service) {
        (Some(url), _) => format!("{url}?timeout={timeout}s"),
        (
            None,
            Some(ServiceReference {
                name,
                namespace,
                path,
                port,
            }),
        ) => format!(
            "https://{name}.{namespace}.svc:{}{}?timeout={timeout}s",
            port.unwrap_or(443),
            path.as_deref().unwrap_or("")
        ),
        (None, None) => String::from("(no clientConfig)"),
    }
}

/// One webhook's part in the outcome of a request whose webhooks are down.
#[derive(Clone, Debug, PartialEq)]
pub struct HookOutcome {
    pub configuration: String,
    pub webhook: String,
    pub kind: Kind,
    pub call: Call,
    pub failure_policy: String,
}

/// The request when the listed webhooks (or all, when `down` is empty)
/// cannot be reached.
#[derive(Clone, Debug, PartialEq)]
pub struct Outage {
    pub admitted: bool,
    /// What kubectl prints when it is rejected.
    pub message: Option<String>,
    pub hooks: Vec<HookOutcome>,
}

/// upstream: mutating/dispatcher.go and validating/dispatcher.go: a call
/// error under failurePolicy Ignore is logged and skipped; under Fail the
/// request is rejected with `failed calling webhook "NAME": ...`.
pub fn outage(model: &ClusterModel, req: &Request, down: &[String]) -> Outage {
    let cluster = Cluster { model };
    let mut result = Outage {
        admitted: true,
        message: None,
        hooks: Vec::new(),
    };
    for hook in hooks(model) {
        let call = should_call(&hook, req, &cluster);
        let unreachable = down.is_empty()
            || down
                .iter()
                .any(|d| d == hook.name || d == hook.configuration);
        let fails = match &call {
            Call::Called => unreachable,
            Call::Error(_) => true,
            Call::Skipped(_) => false,
        };
        if fails && hook.failure_policy != "Ignore" && result.admitted {
            result.admitted = false;
            let why = match &call {
                Call::Error(e) => e.clone(),
                _ => format!(
                    "failed to call webhook: Post \"{}\": dial tcp: connect: connection refused",
                    endpoint(hook.client, hook.timeout_seconds)
                ),
            };
            result.message = Some(format!(
                "Internal error occurred: failed calling webhook \"{}\": {why}",
                hook.name
            ));
        }
        result.hooks.push(HookOutcome {
            configuration: hook.configuration.to_string(),
            webhook: hook.name.to_string(),
            kind: hook.kind,
            call,
            failure_policy: hook.failure_policy.to_string(),
        });
    }
    result
}
