//! `ValidateValidatingAdmissionPolicy` and
//! `ValidateValidatingAdmissionPolicyBinding`
//! (pkg/apis/admissionregistration/validation/validation.go) for a new
//! object, after the API server's defaulting (`failurePolicy: Fail`,
//! `matchPolicy: Equivalent`, empty namespace/object selectors, rule
//! `scope: "*"`), so unset defaulted fields are not errors here.
//!
//! Covered: failurePolicy, paramKind, matchConstraints (required, with at
//! least one resourceRule), rules (operations, apiGroups, apiVersions,
//! resources), matchConditions (names, expressions), variables, the
//! validations-or-auditAnnotations rule, each validation's expression,
//! message and reason; the binding's policyName, paramRef and
//! validationActions; and Validating/MutatingWebhookConfigurations
//! (`validateValidatingWebhook`: name, rules, failurePolicy, sideEffects,
//! timeoutSeconds, clientConfig, admissionReviewVersions). CEL expressions are not type-checked here (the
//! evaluator reports what it cannot compile).

use crate::model::FieldPath;
use crate::validate::field::{
    BadValue, FieldError, go_quote, is_dns1035_label, is_dns1123_subdomain, is_path_segment_name,
};
use crate::validate::selector::{SelectorOptions, validate_label_selector};
use k8s_openapi::api::admissionregistration::v1::{
    MatchResources, MutatingWebhookConfiguration, NamedRuleWithOperations, ParamKind, ParamRef,
    RuleWithOperations, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
    ValidatingWebhookConfiguration, Validation, WebhookClientConfig,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// upstream: `supportedFailurePolicies` (sets.List order).
const FAILURE_POLICIES: &[&str] = &["Fail", "Ignore"];
/// upstream: `supportedMatchPolicies`.
const MATCH_POLICIES: &[&str] = &["Equivalent", "Exact"];
/// upstream: `supportedOperations`.
const OPERATIONS: &[&str] = &["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];
/// upstream: `supportedValidationPolicyReason`.
const REASONS: &[&str] = &["Forbidden", "Invalid", "RequestEntityTooLarge"];
/// upstream: `validValidationActions`.
const ACTIONS: &[&str] = &["Audit", "Deny", "Warn"];
/// upstream: `celReserved`.
const CEL_RESERVED: &[&str] = &[
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

fn go_slice(type_name: &str, items: &[String]) -> BadValue {
    let quoted: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    BadValue::Raw(format!("[]{type_name}{{{}}}", quoted.join(", ")))
}

fn has_newlines(s: &str) -> bool {
    s.contains('\n') || s.contains('\r')
}

/// upstream: `isCELIdentifier`.
fn is_cel_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '_' || first.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !CEL_RESERVED.contains(&name)
}

/// upstream: `validateValidatingAdmissionPolicySpec`.
pub fn validate_policy(p: &ValidatingAdmissionPolicy) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let path = FieldPath::root().field("spec");
    let default_spec = Default::default();
    let spec = p.spec.as_ref().unwrap_or(&default_spec);
    if let Some(fp) = &spec.failure_policy
        && !FAILURE_POLICIES.contains(&fp.as_str())
    {
        errs.push(FieldError::not_supported(
            &path.field("failurePolicy"),
            fp.as_str(),
            FAILURE_POLICIES,
        ));
    }
    if let Some(pk) = &spec.param_kind {
        errs.extend(validate_param_kind(pk, &path.field("paramKind")));
    }
    match &spec.match_constraints {
        None => errs.push(FieldError::required(&path.field("matchConstraints"), "")),
        Some(mc) => {
            errs.extend(validate_match_resources(
                mc,
                &path.field("matchConstraints"),
            ));
            // At least one resource rule gives the expressions their types.
            if mc.resource_rules.as_deref().unwrap_or_default().is_empty() {
                errs.push(FieldError::required(
                    &path.field("matchConstraints").field("resourceRules"),
                    "",
                ));
            }
        }
    }
    let conditions = spec.match_conditions.as_deref().unwrap_or_default();
    let cp = path.field("matchConditions");
    if conditions.len() > 64 {
        errs.push(FieldError::too_many(&cp, conditions.len(), 64));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, mc) in conditions.iter().enumerate() {
        let ip = cp.index(i);
        if mc.expression.trim().is_empty() {
            errs.push(FieldError::required(&ip.field("expression"), ""));
        }
        if mc.name.is_empty() {
            errs.push(FieldError::required(&ip.field("name"), ""));
        } else if seen.contains(&mc.name.as_str()) {
            errs.push(FieldError::duplicate(&ip.field("name"), mc.name.as_str()));
        } else {
            seen.push(mc.name.as_str());
        }
    }
    for (i, var) in spec.variables.iter().flatten().enumerate() {
        let ip = path.field("variables").index(i);
        if var.name.trim().is_empty() {
            errs.push(FieldError::required(
                &ip.field("name"),
                "name is not specified",
            ));
        } else if !is_cel_identifier(&var.name) {
            errs.push(FieldError::invalid(
                &ip.field("name"),
                var.name.as_str(),
                "name is not a valid CEL identifier",
            ));
        }
        if var.expression.trim().is_empty() {
            errs.push(FieldError::required(
                &ip.field("expression"),
                "expression is not specified",
            ));
        }
    }
    let validations = spec.validations.as_deref().unwrap_or_default();
    let audits = spec.audit_annotations.as_deref().unwrap_or_default();
    if validations.is_empty() && audits.is_empty() {
        let msg = "validations or auditAnnotations must contain at least one item";
        errs.push(FieldError::required(&path.field("validations"), msg));
        errs.push(FieldError::required(&path.field("auditAnnotations"), msg));
    } else {
        for (i, v) in validations.iter().enumerate() {
            errs.extend(validate_validation(v, &path.field("validations").index(i)));
        }
    }
    errs
}

/// upstream: `validateValidation` (without compiling the expressions).
fn validate_validation(v: &Validation, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if v.expression.trim().is_empty() {
        errs.push(FieldError::required(
            &path.field("expression"),
            "expression is not specified",
        ));
    }
    if let Some(me) = &v.message_expression
        && !me.is_empty()
        && me.trim().is_empty()
    {
        errs.push(FieldError::invalid(
            &path.field("messageExpression"),
            me.as_str(),
            "must be non-empty if specified",
        ));
    }
    if let Some(m) = &v.message {
        if !m.is_empty() && m.trim().is_empty() {
            errs.push(FieldError::invalid(
                &path.field("message"),
                m.as_str(),
                "message must be non-empty if specified",
            ));
        } else if has_newlines(m.trim()) {
            errs.push(FieldError::invalid(
                &path.field("message"),
                m.as_str(),
                "message must not contain line breaks",
            ));
        }
    }
    if let Some(r) = &v.reason
        && !REASONS.contains(&r.as_str())
    {
        errs.push(FieldError::not_supported(
            &path.field("reason"),
            r.as_str(),
            REASONS,
        ));
    }
    errs
}

/// upstream: `validateParamKind`.
fn validate_param_kind(pk: &ParamKind, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let avp = path.field("apiVersion");
    match pk.api_version.as_deref().unwrap_or_default() {
        "" => errs.push(FieldError::required(&avp, "")),
        av => {
            let (group, version) = match av.matches('/').count() {
                0 => ("", av),
                1 => av.split_once('/').unwrap_or(("", av)),
                _ => {
                    errs.push(FieldError::invalid(
                        &avp,
                        av,
                        format!("unexpected GroupVersion string: {av}"),
                    ));
                    ("", "")
                }
            };
            if !group.is_empty() {
                let msgs = is_dns1123_subdomain(group);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid(&avp, group, msgs.join(",")));
                }
            }
            if av.matches('/').count() <= 1 {
                if version.is_empty() {
                    errs.push(FieldError::invalid(&avp, av, "version must be specified"));
                } else {
                    let msgs = is_dns1035_label(version);
                    if !msgs.is_empty() {
                        errs.push(FieldError::invalid(&avp, version, msgs.join(",")));
                    }
                }
            }
        }
    }
    match pk.kind.as_deref().unwrap_or_default() {
        "" => errs.push(FieldError::required(&path.field("kind"), "")),
        kind => {
            let msgs = is_dns1035_label(&kind.to_ascii_lowercase());
            if !msgs.is_empty() {
                errs.push(FieldError::invalid(
                    &path.field("kind"),
                    kind,
                    format!(
                        "may have mixed case, but should otherwise match: {}",
                        msgs.join(",")
                    ),
                ));
            }
        }
    }
    errs
}

/// upstream: `validateMatchResources` (selectors and matchPolicy were
/// defaulted when unset).
fn validate_match_resources(mc: &MatchResources, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(mp) = &mc.match_policy
        && !MATCH_POLICIES.contains(&mp.as_str())
    {
        errs.push(FieldError::not_supported(
            &path.field("matchPolicy"),
            mp.as_str(),
            MATCH_POLICIES,
        ));
    }
    if let Some(s) = &mc.namespace_selector {
        errs.extend(validate_label_selector(
            Some(s),
            SelectorOptions::default(),
            &path.field("namespaceSelector"),
        ));
    }
    if let Some(s) = &mc.object_selector {
        errs.extend(validate_label_selector(
            Some(s),
            SelectorOptions::default(),
            &path.field("objectSelector"),
        ));
    }
    for (i, r) in mc.resource_rules.iter().flatten().enumerate() {
        errs.extend(validate_rule(r, &path.field("resourceRules").index(i)));
    }
    for (i, r) in mc.exclude_resource_rules.iter().flatten().enumerate() {
        errs.extend(validate_rule(
            r,
            &path.field("excludeResourceRules").index(i),
        ));
    }
    errs
}

/// upstream: `validateNamedRuleWithOperations`: resourceNames, then the
/// rule itself.
fn validate_rule(r: &NamedRuleWithOperations, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (i, n) in r.resource_names.iter().flatten().enumerate() {
        let np = path.field("resourceNames").index(i);
        for msg in is_path_segment_name(n) {
            errs.push(FieldError::invalid(&np, n.as_str(), msg));
        }
        if names.contains(&n.as_str()) {
            errs.push(FieldError::duplicate(&np, n.as_str()));
        } else {
            names.push(n.as_str());
        }
    }
    errs.extend(validate_rule_with_operations(
        RuleParts {
            operations: r.operations.as_deref().unwrap_or_default(),
            api_groups: r.api_groups.as_deref().unwrap_or_default(),
            api_versions: r.api_versions.as_deref().unwrap_or_default(),
            resources: r.resources.as_deref().unwrap_or_default(),
            scope: r.scope.as_deref(),
        },
        path,
    ));
    errs
}

/// The fields a webhook rule and a policy rule share.
struct RuleParts<'a> {
    operations: &'a [String],
    api_groups: &'a [String],
    api_versions: &'a [String],
    resources: &'a [String],
    scope: Option<&'a str>,
}

/// upstream: `validateRuleWithOperations` and the required-list, wildcard
/// and scope parts of `validateRule`.
fn validate_rule_with_operations(r: RuleParts, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let ops = r.operations;
    let op = path.field("operations");
    if ops.is_empty() {
        errs.push(FieldError::required(&op, ""));
    }
    if ops.len() > 1 && ops.iter().any(|o| o == "*") {
        errs.push(FieldError::invalid(
            &op,
            go_slice("admissionregistration.OperationType", ops),
            "if '*' is present, must not specify other operations",
        ));
    }
    for (i, o) in ops.iter().enumerate() {
        if !OPERATIONS.contains(&o.as_str()) {
            errs.push(FieldError::not_supported(
                &op.index(i),
                o.as_str(),
                OPERATIONS,
            ));
        }
    }
    let groups = r.api_groups;
    if groups.is_empty() {
        errs.push(FieldError::required(&path.field("apiGroups"), ""));
    }
    if groups.len() > 1 && groups.iter().any(|g| g == "*") {
        errs.push(FieldError::invalid(
            &path.field("apiGroups"),
            go_slice("string", groups),
            "if '*' is present, must not specify other API groups",
        ));
    }
    let versions = r.api_versions;
    if versions.is_empty() {
        errs.push(FieldError::required(&path.field("apiVersions"), ""));
    }
    if versions.len() > 1 && versions.iter().any(|v| v == "*") {
        errs.push(FieldError::invalid(
            &path.field("apiVersions"),
            go_slice("string", versions),
            "if '*' is present, must not specify other API versions",
        ));
    }
    for (i, v) in versions.iter().enumerate() {
        if v.is_empty() {
            errs.push(FieldError::required(
                &path.field("apiVersions").index(i),
                "",
            ));
        }
    }
    if r.resources.is_empty() {
        errs.push(FieldError::required(&path.field("resources"), ""));
    }
    if let Some(s) = r.scope
        && !matches!(s, "*" | "Cluster" | "Namespaced")
    {
        errs.push(FieldError::not_supported(
            &path.field("scope"),
            s,
            &["*", "Cluster", "Namespaced"],
        ));
    }
    errs
}

/// The fields of one Validating or Mutating webhook that
/// `validateValidatingWebhook` / `validateMutatingWebhook` check.
struct WebhookParts<'a> {
    name: &'a str,
    rules: &'a [RuleWithOperations],
    failure_policy: Option<&'a str>,
    match_policy: Option<&'a str>,
    side_effects: &'a str,
    timeout_seconds: Option<i32>,
    namespace_selector: Option<&'a LabelSelector>,
    object_selector: Option<&'a LabelSelector>,
    client: &'a WebhookClientConfig,
    review_versions: &'a [String],
    reinvocation_policy: Option<&'a str>,
}

/// upstream: `validateValidatingWebhookConfiguration` /
/// `validateMutatingWebhookConfiguration` for a new object: unique
/// webhook names, admissionReviewVersions, then each webhook.
fn validate_webhooks(hooks: &[WebhookParts]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (i, h) in hooks.iter().enumerate() {
        let path = FieldPath::root().field("webhooks").index(i);
        errs.extend(validate_webhook(h, &path));
        let avp = path.field("admissionReviewVersions");
        if h.review_versions.is_empty() {
            errs.push(FieldError::required(
                &avp,
                "must specify one of v1, v1beta1",
            ));
        } else {
            let mut seen: Vec<&str> = Vec::new();
            for (j, v) in h.review_versions.iter().enumerate() {
                if seen.contains(&v.as_str()) {
                    errs.push(FieldError::invalid(
                        &avp.index(j),
                        v.as_str(),
                        "duplicate version",
                    ));
                    continue;
                }
                seen.push(v.as_str());
                for msg in is_dns1035_label(v) {
                    errs.push(FieldError::invalid(&avp.index(j), v.as_str(), msg));
                }
            }
            if !seen.iter().any(|v| matches!(*v, "v1" | "v1beta1")) {
                errs.push(FieldError::invalid(
                    &avp,
                    go_slice("string", h.review_versions),
                    "must include at least one of v1, v1beta1",
                ));
            }
        }
        if !h.name.is_empty() {
            if names.contains(&h.name) {
                errs.push(FieldError::duplicate(&path.field("name"), h.name));
            }
            names.push(h.name);
        }
    }
    errs
}

fn validate_webhook(h: &WebhookParts, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    // upstream: utilvalidation.IsFullyQualifiedName.
    let np = path.field("name");
    if h.name.is_empty() {
        errs.push(FieldError::required(&np, ""));
    } else {
        let msgs = is_dns1123_subdomain(h.name);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(&np, h.name, msgs.join(",")));
        } else if h.name.split('.').count() < 3 {
            errs.push(FieldError::invalid(
                &np,
                h.name,
                "should be a domain with at least three segments separated by dots",
            ));
        }
    }
    for (i, r) in h.rules.iter().enumerate() {
        errs.extend(validate_rule_with_operations(
            RuleParts {
                operations: r.operations.as_deref().unwrap_or_default(),
                api_groups: r.api_groups.as_deref().unwrap_or_default(),
                api_versions: r.api_versions.as_deref().unwrap_or_default(),
                resources: r.resources.as_deref().unwrap_or_default(),
                scope: r.scope.as_deref(),
            },
            &path.field("rules").index(i),
        ));
    }
    if let Some(fp) = h.failure_policy
        && !FAILURE_POLICIES.contains(&fp)
    {
        errs.push(FieldError::not_supported(
            &path.field("failurePolicy"),
            fp,
            FAILURE_POLICIES,
        ));
    }
    if let Some(mp) = h.match_policy
        && !MATCH_POLICIES.contains(&mp)
    {
        errs.push(FieldError::not_supported(
            &path.field("matchPolicy"),
            mp,
            MATCH_POLICIES,
        ));
    }
    // admissionregistration.k8s.io/v1 creates require a webhook without
    // side effects (`requireNoSideEffects`).
    if !matches!(h.side_effects, "None" | "NoneOnDryRun") {
        errs.push(FieldError::not_supported(
            &path.field("sideEffects"),
            h.side_effects,
            &["None", "NoneOnDryRun"],
        ));
    }
    if let Some(t) = h.timeout_seconds
        && !(1..=30).contains(&t)
    {
        errs.push(FieldError::invalid(
            &path.field("timeoutSeconds"),
            t,
            "the timeout value must be between 1 and 30 seconds",
        ));
    }
    if let Some(s) = h.namespace_selector {
        errs.extend(validate_label_selector(
            Some(s),
            SelectorOptions::default(),
            &path.field("namespaceSelector"),
        ));
    }
    if let Some(s) = h.object_selector {
        errs.extend(validate_label_selector(
            Some(s),
            SelectorOptions::default(),
            &path.field("objectSelector"),
        ));
    }
    if let Some(rp) = h.reinvocation_policy
        && !matches!(rp, "Never" | "IfNeeded")
    {
        errs.push(FieldError::not_supported(
            &path.field("reinvocationPolicy"),
            rp,
            &["IfNeeded", "Never"],
        ));
    }
    if h.client.url.is_some() == h.client.service.is_some() {
        errs.push(FieldError::required(
            &path.field("clientConfig"),
            "exactly one of url or service is required",
        ));
    }
    errs
}

pub fn validate_validating_webhooks(c: &ValidatingWebhookConfiguration) -> Vec<FieldError> {
    let parts: Vec<WebhookParts> = c
        .webhooks
        .iter()
        .flatten()
        .map(|w| WebhookParts {
            name: &w.name,
            rules: w.rules.as_deref().unwrap_or_default(),
            failure_policy: w.failure_policy.as_deref(),
            match_policy: w.match_policy.as_deref(),
            side_effects: &w.side_effects,
            timeout_seconds: w.timeout_seconds,
            namespace_selector: w.namespace_selector.as_ref(),
            object_selector: w.object_selector.as_ref(),
            client: &w.client_config,
            review_versions: &w.admission_review_versions,
            reinvocation_policy: None,
        })
        .collect();
    validate_webhooks(&parts)
}

pub fn validate_mutating_webhooks(c: &MutatingWebhookConfiguration) -> Vec<FieldError> {
    let parts: Vec<WebhookParts> = c
        .webhooks
        .iter()
        .flatten()
        .map(|w| WebhookParts {
            name: &w.name,
            rules: w.rules.as_deref().unwrap_or_default(),
            failure_policy: w.failure_policy.as_deref(),
            match_policy: w.match_policy.as_deref(),
            side_effects: &w.side_effects,
            timeout_seconds: w.timeout_seconds,
            namespace_selector: w.namespace_selector.as_ref(),
            object_selector: w.object_selector.as_ref(),
            client: &w.client_config,
            review_versions: &w.admission_review_versions,
            reinvocation_policy: w.reinvocation_policy.as_deref(),
        })
        .collect();
    validate_webhooks(&parts)
}

/// upstream: `validateValidatingAdmissionPolicyBindingSpec`.
pub fn validate_binding(b: &ValidatingAdmissionPolicyBinding) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let path = FieldPath::root().field("spec");
    let spec = &b.spec;
    let pp = path.field("policyName");
    if spec.policy_name.is_empty() {
        errs.push(FieldError::required(&pp, ""));
    } else {
        for msg in is_dns1123_subdomain(&spec.policy_name) {
            errs.push(FieldError::invalid(&pp, spec.policy_name.as_str(), msg));
        }
    }
    if let Some(pr) = &spec.param_ref {
        errs.extend(validate_param_ref(pr, &path.field("paramRef")));
    }
    if let Some(mr) = &spec.match_resources {
        // upstream spells this path "matchResouces".
        errs.extend(validate_match_resources(mr, &path.field("matchResouces")));
    }
    errs.extend(validate_actions(
        &spec.validation_actions,
        &path.field("validationActions"),
    ));
    errs
}

/// upstream: `validateParamRef`.
fn validate_param_ref(pr: &ParamRef, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = pr.name.as_deref().unwrap_or_default();
    if !name.is_empty() {
        for msg in is_path_segment_name(name) {
            errs.push(FieldError::invalid(&path.field("name"), name, msg));
        }
        if pr.selector.is_some() {
            errs.push(FieldError::forbidden(
                &path.field("name"),
                "name and selector are mutually exclusive",
            ));
        }
    }
    if let Some(sel) = &pr.selector {
        errs.extend(validate_label_selector(
            Some(sel),
            SelectorOptions::default(),
            &path.field("selector"),
        ));
        if !name.is_empty() {
            errs.push(FieldError::forbidden(
                &path.field("selector"),
                "name and selector are mutually exclusive",
            ));
        }
    }
    if name.is_empty() && pr.selector.is_none() {
        errs.push(FieldError::required(
            path,
            "one of name or selector must be specified",
        ));
    }
    match pr.parameter_not_found_action.as_deref().unwrap_or_default() {
        "" => errs.push(FieldError::required(
            &path.field("parameterNotFoundAction"),
            "",
        )),
        "Deny" | "Allow" => {}
        other => errs.push(FieldError::not_supported(
            &path.field("parameterNotFoundAction"),
            other,
            &["Deny", "Allow"],
        )),
    }
    errs
}

/// upstream: `validateValidationActions`.
fn validate_actions(actions: &[String], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        if !ACTIONS.contains(&a.as_str()) {
            errs.push(FieldError::not_supported(
                &path.index(i),
                a.as_str(),
                ACTIONS,
            ));
        }
        if seen.contains(&a.as_str()) {
            errs.push(FieldError::duplicate(&path.index(i), a.as_str()));
        }
        seen.push(a.as_str());
    }
    if seen.contains(&"Deny") && seen.contains(&"Warn") {
        errs.push(FieldError::invalid(
            path,
            go_slice("admissionregistration.ValidationAction", actions),
            "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)",
        ));
    }
    if seen.is_empty() {
        errs.push(FieldError::required(
            path,
            "at least one validation action is required",
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn policy(yaml: &str) -> ValidatingAdmissionPolicy {
        let v: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
        serde_json::from_value(v).unwrap()
    }
    fn binding(yaml: &str) -> ValidatingAdmissionPolicyBinding {
        let v: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
        serde_json::from_value(v).unwrap()
    }
    fn msgs(errs: Vec<FieldError>) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    const GOOD_POLICY: &str = r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: p}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"]}
  validations:
    - expression: "true"
"#;

    #[test]
    fn a_minimal_policy_is_valid() {
        assert!(validate_policy(&policy(GOOD_POLICY)).is_empty());
    }

    // upstream: validation_test.go TestValidateValidatingAdmissionPolicy
    // cases "Validations is required", "MatchConstraints is required",
    // "matchConstraints.resourceRules is required", "invalid reason",
    // "invalid failure policy", "API version is required in ParamKind".
    #[test]
    fn policy_required_fields_and_values() {
        let p = policy(
            "metadata: {name: p}\nspec: {failurePolicy: Always, paramKind: {kind: ConfigMap}}\n",
        );
        assert_eq!(
            msgs(validate_policy(&p)),
            vec![
                "spec.failurePolicy: Unsupported value: \"Always\": supported values: \"Fail\", \"Ignore\"",
                "spec.paramKind.apiVersion: Required value",
                "spec.matchConstraints: Required value",
                "spec.validations: Required value: validations or auditAnnotations must contain at least one item",
                "spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item",
            ]
        );
        let p = policy(
            r#"
metadata: {name: p}
spec:
  matchConstraints: {namespaceSelector: {}}
  validations:
    - {expression: " ", reason: Teapot, message: "a\nb"}
"#,
        );
        assert_eq!(
            msgs(validate_policy(&p)),
            vec![
                "spec.matchConstraints.resourceRules: Required value",
                "spec.validations[0].expression: Required value: expression is not specified",
                "spec.validations[0].message: Invalid value: \"a\\nb\": message must not contain line breaks",
                "spec.validations[0].reason: Unsupported value: \"Teapot\": supported values: \"Forbidden\", \"Invalid\", \"RequestEntityTooLarge\"",
            ]
        );
    }

    // upstream: validation_test.go "operation must be either create/update/delete/connect",
    // "wildcard operation cannot be mixed with other strings", "matchConditions duplicate name".
    #[test]
    fn rules_and_match_conditions() {
        let p = policy(
            r#"
metadata: {name: p}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["*", "PATCH"], resources: []}
  matchConditions:
    - {name: a, expression: "true"}
    - {name: a, expression: "true"}
  variables:
    - {name: "in", expression: "1"}
  validations: [{expression: "true"}]
"#,
        );
        assert_eq!(
            msgs(validate_policy(&p)),
            vec![
                "spec.matchConstraints.resourceRules[0].operations: Invalid value: []admissionregistration.OperationType{\"*\", \"PATCH\"}: if '*' is present, must not specify other operations",
                "spec.matchConstraints.resourceRules[0].operations[1]: Unsupported value: \"PATCH\": supported values: \"*\", \"CONNECT\", \"CREATE\", \"DELETE\", \"UPDATE\"",
                "spec.matchConstraints.resourceRules[0].resources: Required value",
                "spec.matchConditions[1].name: Duplicate value: \"a\"",
                "spec.variables[0].name: Invalid value: \"in\": name is not a valid CEL identifier",
            ]
        );
    }

    const GOOD_BINDING: &str = r#"
metadata: {name: b}
spec: {policyName: p, validationActions: [Deny]}
"#;

    // upstream: validation_test.go TestValidateValidatingAdmissionPolicyBinding
    // cases "validationActions must contain supported values", "must not
    // contain duplicates", "Deny and Warn", "at least one".
    #[test]
    fn binding_validation_actions() {
        assert!(validate_binding(&binding(GOOD_BINDING)).is_empty());
        for ok in ["[Warn]", "[Audit]", "[Deny, Audit]", "[Warn, Audit]"] {
            let b = binding(&format!(
                "metadata: {{name: b}}\nspec: {{policyName: p, validationActions: {ok}}}\n"
            ));
            assert!(validate_binding(&b).is_empty(), "{ok}");
        }
        let b = binding(
            "metadata: {name: b}\nspec: {policyName: p, validationActions: [Deny, Warn]}\n",
        );
        assert_eq!(
            msgs(validate_binding(&b)),
            vec![
                "spec.validationActions: Invalid value: []admissionregistration.ValidationAction{\"Deny\", \"Warn\"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"
            ]
        );
        let b = binding(
            "metadata: {name: b}\nspec: {policyName: p, validationActions: [deny, Audit, Audit]}\n",
        );
        assert_eq!(
            msgs(validate_binding(&b)),
            vec![
                "spec.validationActions[0]: Unsupported value: \"deny\": supported values: \"Audit\", \"Deny\", \"Warn\"",
                "spec.validationActions[2]: Duplicate value: \"Audit\"",
            ]
        );
        let b = binding("metadata: {name: b}\nspec: {policyName: '', validationActions: []}\n");
        assert_eq!(
            msgs(validate_binding(&b)),
            vec![
                "spec.policyName: Required value",
                "spec.validationActions: Required value: at least one validation action is required",
            ]
        );
    }

    // upstream: validation_test.go "paramRef name and selector are mutually exclusive",
    // "paramRef parameterNotFoundAction must be set".
    #[test]
    fn binding_param_ref() {
        let b = binding(
            "metadata: {name: b}\nspec: {policyName: p, validationActions: [Deny], paramRef: {name: x, selector: {}}}\n",
        );
        assert_eq!(
            msgs(validate_binding(&b)),
            vec![
                "spec.paramRef.name: Forbidden: name and selector are mutually exclusive",
                "spec.paramRef.selector: Forbidden: name and selector are mutually exclusive",
                "spec.paramRef.parameterNotFoundAction: Required value",
            ]
        );
        let b = binding(
            "metadata: {name: b}\nspec: {policyName: p, validationActions: [Deny], paramRef: {parameterNotFoundAction: Skip}}\n",
        );
        assert_eq!(
            msgs(validate_binding(&b)),
            vec![
                "spec.paramRef: Required value: one of name or selector must be specified",
                "spec.paramRef.parameterNotFoundAction: Unsupported value: \"Skip\": supported values: \"Deny\", \"Allow\"",
            ]
        );
    }

    // upstream: validation_test.go TestValidateValidatingWebhookConfiguration
    // cases "timeout seconds cannot be greater than 30", "timeout seconds
    // cannot be smaller than 1", "webhook name must be fully qualified",
    // "both service and URL missing", "SideEffects can only be None or
    // NoneOnDryRun when created".
    #[test]
    fn webhook_configuration() {
        let parse = |yaml: &str| -> ValidatingWebhookConfiguration {
            let v: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
            serde_json::from_value(v).unwrap()
        };
        let good = r#"
metadata: {name: c}
webhooks:
  - name: a.b.example
    clientConfig: {service: {namespace: ns, name: svc}}
    rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
    sideEffects: None
    admissionReviewVersions: [v1]
"#;
        assert!(validate_validating_webhooks(&parse(good)).is_empty());
        let bad = r#"
metadata: {name: c}
webhooks:
  - name: webhook
    clientConfig: {}
    failurePolicy: Never
    timeoutSeconds: 31
    sideEffects: Some
    admissionReviewVersions: [v1]
  - name: x.y.example
    clientConfig: {url: "https://x.example/"}
    timeoutSeconds: 0
    sideEffects: NoneOnDryRun
    admissionReviewVersions: [v1beta1]
"#;
        assert_eq!(
            msgs(validate_validating_webhooks(&parse(bad))),
            vec![
                "webhooks[0].name: Invalid value: \"webhook\": should be a domain with at least three segments separated by dots",
                "webhooks[0].failurePolicy: Unsupported value: \"Never\": supported values: \"Fail\", \"Ignore\"",
                "webhooks[0].sideEffects: Unsupported value: \"Some\": supported values: \"None\", \"NoneOnDryRun\"",
                "webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds",
                "webhooks[0].clientConfig: Required value: exactly one of url or service is required",
                "webhooks[1].timeoutSeconds: Invalid value: 0: the timeout value must be between 1 and 30 seconds",
            ]
        );
    }
}
