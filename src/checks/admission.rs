//! Admission checkers: a request for a test object is denied / allowed /
//! warned about by the ValidatingAdmissionPolicies and bindings in the
//! model; a request is admitted or rejected while admission webhooks are
//! down; a webhook configuration keeps its timeouts and failure policy.

use super::basic::ObjectSel;
use super::registry::{Checker, Ctx, Outcome, params};
use crate::engines::admission::{self, Operation, Request, webhook};
use crate::model::{FieldPath, Location};
use k8s_openapi::api::admissionregistration::v1::{
    MutatingWebhookConfiguration, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
    ValidatingWebhookConfiguration,
};
use serde::Deserialize;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "vap",
        about: "a CREATE/UPDATE/DELETE of a test object is denied / allowed / warned / audited by the ValidatingAdmissionPolicies and bindings in the model (optionally with a message)",
        run: vap,
    },
    Checker {
        name: "webhook",
        about: "while admission webhooks are unreachable, a request for a test object is admitted or rejected (rules, selectors, matchConditions, failurePolicy)",
        run: webhook_outage,
    },
    Checker {
        name: "webhook-config",
        about: "every webhook of a webhook configuration has this failurePolicy and a timeoutSeconds at most this",
        run: webhook_config,
    },
];

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Expect {
    /// Rejected by a policy whose binding has Deny.
    Denied,
    /// Admitted, with or without warnings.
    Allowed,
    /// Admitted with a warning (a binding with Warn).
    Warned,
    /// Admitted, and the failure recorded for the audit log.
    Audited,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VapParams {
    #[serde(flatten)]
    object: ObjectSel,
    /// CREATE (the default), UPDATE or DELETE.
    #[serde(default)]
    operation: Option<String>,
    /// For UPDATE: a JSON merge patch applied to the object to get the
    /// new object (the object as listed is the stored, old one).
    #[serde(default)]
    update: Option<serde_json::Value>,
    expect: Expect,
    /// Text the denial (or warning) message must contain.
    #[serde(default)]
    message: Option<String>,
}

/// RFC 7386 JSON merge patch.
fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    match (target, patch) {
        (serde_json::Value::Object(t), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge_patch(t.entry(k.clone()).or_insert(serde_json::Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

fn build_request(
    sel: &ObjectSel,
    operation: Option<&str>,
    update: Option<&serde_json::Value>,
    ctx: &Ctx,
) -> Result<Result<Request, String>, String> {
    let op = match operation {
        None if update.is_some() => Operation::Update,
        None => Operation::Create,
        Some(s) => Operation::parse(s).ok_or_else(|| format!("bad parameters: operation {s:?}"))?,
    };
    let Some(obj) = sel.find(ctx) else {
        return Ok(Err(format!("no {} found", sel.describe())));
    };
    let mut req = match Request::for_object(op, obj, None) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    if let (Some(patch), Some(new)) = (update, req.object.as_mut()) {
        merge_patch(new, patch);
    }
    Ok(Ok(req))
}

/// The learner's first policy (or binding), to point a finding at.
fn policy_location(ctx: &Ctx) -> Option<Location> {
    let root = FieldPath::root();
    ctx.model
        .of::<ValidatingAdmissionPolicy>()
        .find_map(|p| p.locate(&root))
        .or_else(|| {
            ctx.model
                .of::<ValidatingAdmissionPolicyBinding>()
                .find_map(|b| b.locate(&root))
        })
}

fn vap(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let vp: VapParams = params(p)?;
    let req = match build_request(&vp.object, vp.operation.as_deref(), vp.update.as_ref(), ctx)? {
        Ok(r) => r,
        Err(e) => return Ok(Outcome::fail(e)),
    };
    let what = format!("{} of {}", req.operation.as_str(), vp.object.describe());
    let v = admission::evaluate(ctx.model, &req);
    let loc = policy_location(ctx);
    if !v.unsupported.is_empty() {
        return Ok(Outcome::fail(format!(
            "cannot judge {what}: the policy uses {} which kubedojo does not evaluate offline (unsupported function); check it on a cluster with kubectl apply --dry-run=server",
            v.unsupported.join(", ")
        ))
        .at(loc));
    }
    let notes = if v.notes.is_empty() {
        "no ValidatingAdmissionPolicy matches it".to_string()
    } else {
        v.notes.join("; ")
    };
    let state = match &v.denial {
        Some(d) => format!("{what} is denied: {}", d.message),
        None if !v.warnings.is_empty() => format!(
            "{what} is admitted with a warning: {}",
            v.warnings.join("; ")
        ),
        None if !v.audit.is_empty() => format!(
            "{what} is admitted; the failure is only recorded in the audit log ({})",
            v.audit
                .iter()
                .map(|d| d.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        None => format!("{what} is admitted ({notes})"),
    };
    let ok = match vp.expect {
        Expect::Denied => v.denial.is_some(),
        Expect::Allowed => v.denial.is_none(),
        Expect::Warned => v.denial.is_none() && !v.warnings.is_empty(),
        Expect::Audited => v.denial.is_none() && !v.audit.is_empty(),
    };
    if ok && let Some(want) = &vp.message {
        let said = v
            .denial
            .as_ref()
            .map(|d| d.message.clone())
            .into_iter()
            .chain(v.warnings.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n");
        if !said.contains(want.as_str()) {
            return Ok(
                Outcome::fail(format!("{state}; the message should mention {want:?}")).at(loc),
            );
        }
    }
    Ok(if ok {
        Outcome::pass(state).at(loc)
    } else {
        let expected = match vp.expect {
            Expect::Denied => "it should be denied",
            Expect::Allowed => "it should be admitted",
            Expect::Warned => "it should be admitted with a warning",
            Expect::Audited => "it should be admitted and audited",
        };
        Outcome::fail(format!("{state}; {expected}")).at(loc)
    })
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum WebhookExpect {
    Admitted,
    Rejected,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookParams {
    #[serde(flatten)]
    object: ObjectSel,
    #[serde(default)]
    operation: Option<String>,
    /// Webhooks (or configurations) that are unreachable; empty: all.
    #[serde(default)]
    down: Vec<String>,
    expect: WebhookExpect,
}

fn webhook_location(ctx: &Ctx) -> Option<Location> {
    let root = FieldPath::root();
    ctx.model
        .of::<ValidatingWebhookConfiguration>()
        .find_map(|c| c.locate(&root))
        .or_else(|| {
            ctx.model
                .of::<MutatingWebhookConfiguration>()
                .find_map(|c| c.locate(&root))
        })
}

fn webhook_outage(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let wp: WebhookParams = params(p)?;
    let req = match build_request(&wp.object, wp.operation.as_deref(), None, ctx)? {
        Ok(r) => r,
        Err(e) => return Ok(Outcome::fail(e)),
    };
    let o = webhook::outage(ctx.model, &req, &wp.down);
    let what = format!("{} of {}", req.operation.as_str(), wp.object.describe());
    let hooks: Vec<String> = o
        .hooks
        .iter()
        .map(|h| match &h.call {
            webhook::Call::Called => format!(
                "webhook {} is called (failurePolicy {})",
                h.webhook, h.failure_policy
            ),
            webhook::Call::Skipped(why) => format!("webhook {} is not called: {why}", h.webhook),
            webhook::Call::Error(e) => format!("webhook {} errors while matching: {e}", h.webhook),
        })
        .collect();
    let state = match &o.message {
        Some(m) => format!("while the webhook is down, {what} is rejected: {m}"),
        None => format!(
            "while the webhook is down, {what} is admitted ({})",
            if hooks.is_empty() {
                "no webhook configuration".to_string()
            } else {
                hooks.join("; ")
            }
        ),
    };
    let ok = match wp.expect {
        WebhookExpect::Admitted => o.admitted,
        WebhookExpect::Rejected => !o.admitted,
    };
    let loc = webhook_location(ctx);
    Ok(if ok {
        Outcome::pass(state).at(loc)
    } else {
        let want = match wp.expect {
            WebhookExpect::Admitted => "it should still be admitted",
            WebhookExpect::Rejected => "it should be rejected (fail closed)",
        };
        Outcome::fail(format!("{state}; {want}")).at(loc)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigParams {
    name: String,
    #[serde(default)]
    failure_policy: Option<String>,
    #[serde(default)]
    max_timeout_seconds: Option<i32>,
}

fn webhook_config(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let cp: ConfigParams = params(p)?;
    let hooks: Vec<_> = webhook::hooks(ctx.model)
        .into_iter()
        .filter(|h| h.configuration == cp.name)
        .collect();
    if hooks.is_empty() {
        return Ok(Outcome::fail(format!(
            "no webhook configuration {:?} with webhooks found",
            cp.name
        )));
    }
    let loc = webhook_location(ctx);
    for h in &hooks {
        if let Some(fp) = &cp.failure_policy
            && h.failure_policy != fp
        {
            return Ok(Outcome::fail(format!(
                "webhook {} has failurePolicy {} (the default is Fail), expected {fp}",
                h.name, h.failure_policy
            ))
            .at(loc));
        }
        if let Some(max) = cp.max_timeout_seconds
            && h.timeout_seconds > max
        {
            return Ok(Outcome::fail(format!(
                "webhook {} waits up to {}s (timeoutSeconds; the default is 10), expected at most {max}s",
                h.name, h.timeout_seconds
            ))
            .at(loc));
        }
    }
    Ok(Outcome::pass(format!(
        "{} webhook(s) of {} have failurePolicy {} and timeoutSeconds {}",
        hooks.len(),
        cp.name,
        hooks[0].failure_policy,
        hooks
            .iter()
            .map(|h| h.timeout_seconds.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .at(loc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_replaces_and_removes() {
        // RFC 7386 section 3 examples.
        let mut t = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut t, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(t, json!({"a": "z", "c": {"d": "e"}}));
        let mut t = json!({"spec": {"replicas": 3}});
        merge_patch(&mut t, &json!({"spec": {"replicas": 8}}));
        assert_eq!(t, json!({"spec": {"replicas": 8}}));
    }
}
