//! NetworkPolicy checkers: "can A reach B on this port?" (`reach`),
//! "exactly these sources reach B" (`reach-only`), and "the learner named
//! exactly the pods that reach B" (`reach-answer`). All ask the engine and
//! explain a failure with the policy, rule or peer responsible and its
//! file:line.

use super::registry::{Checker, Ctx, Outcome, answer_list, params};
use crate::engines::netpol::explain::Line;
use crate::engines::netpol::{Direction, Endpoint, Network, PortChoice, Protocol, Query, Verdict};
use crate::model::Location;
use serde::Deserialize;

pub static CHECKERS: &[Checker] = &[
    Checker {
        name: "reach",
        about: "traffic from a pod (NS/POD) or address (ip:A.B.C.D) to another on a port is allowed or denied, as NetworkPolicy decides it",
        run: reach,
    },
    Checker {
        name: "reach-only",
        about: "exactly the listed sources reach a pod on a port: every listed one is allowed, every other pod is denied",
        run: reach_only,
    },
    Checker {
        name: "reach-answer",
        about: "the learner's answer under answer_key lists exactly the pods (NS/POD) that reach a pod on a port, as NetworkPolicy decides it; params: to, port, protocol, answer_key",
        run: reach_answer,
    },
];

#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Expect {
    Allow,
    Deny,
}

/// A port number, or a container port name on the destination.
#[derive(Deserialize, Clone, Debug)]
#[serde(untagged)]
enum PortParam {
    Number(i32),
    Name(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReachParams {
    from: String,
    to: String,
    port: PortParam,
    #[serde(default)]
    protocol: Option<String>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReachOnlyParams {
    /// The sources that must reach `to`; every other pod must not.
    from: Vec<String>,
    to: String,
    port: PortParam,
    #[serde(default)]
    protocol: Option<String>,
}

fn network<'m>(ctx: &Ctx<'m>) -> Result<Network<'m>, String> {
    Network::from_model(ctx.model).map_err(|errs| {
        let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        format!("the cluster cannot be evaluated: {}", lines.join("; "))
    })
}

fn protocol(p: &Option<String>) -> Result<Option<Protocol>, String> {
    p.as_deref()
        .map(|s| Protocol::parse(s).ok_or_else(|| format!("protocol {s:?}: use TCP, UDP or SCTP")))
        .transpose()
}

/// The (port, protocol) the parameters name on destination `to`.
fn resolve_port(
    net: &Network,
    to: Endpoint,
    port: &PortParam,
    proto: Option<Protocol>,
) -> Result<(i32, Protocol), String> {
    match port {
        PortParam::Number(n) => Ok((*n, proto.unwrap_or(Protocol::Tcp))),
        PortParam::Name(name) => PortChoice::Named(name.clone(), proto)
            .resolve(net, to)
            .first()
            .copied()
            .ok_or_else(|| {
                format!(
                    "{} has no container port named {name:?}",
                    net.endpoint_name(to)
                )
            }),
    }
}

fn reach(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let rp: ReachParams = params(p)?;
    let net = network(ctx)?;
    let from = net.endpoint(&rp.from)?;
    let to = net.endpoint(&rp.to)?;
    let (port, protocol) = resolve_port(&net, to, &rp.port, protocol(&rp.protocol)?)?;
    let q = Query {
        from,
        to,
        port,
        protocol,
    };
    let v = net.evaluate(&q);
    let what = format!("{} -> {} on {port}/{protocol}", rp.from, rp.to);
    Ok(match (rp.expect, v.allowed) {
        (Expect::Allow, true) => {
            let r = why_allowed(&net, &q, &v);
            Outcome::pass(format!("{what} is allowed ({})", r.summary)).at(r.location)
        }
        (Expect::Deny, false) => {
            let r = why_denied(&net, &q, &v);
            Outcome::pass(format!("{what} is denied ({})", r.summary)).at(r.location)
        }
        (Expect::Allow, false) => {
            let r = why_denied(&net, &q, &v);
            Outcome::fail(format!(
                "{what} is denied, but must be allowed: {}",
                r.detail
            ))
            .at(r.location)
        }
        (Expect::Deny, true) => {
            let r = why_allowed(&net, &q, &v);
            Outcome::fail(format!(
                "{what} is allowed, but must be denied: {}",
                r.detail
            ))
            .at(r.location)
        }
    })
}

fn reach_only(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let rp: ReachOnlyParams = params(p)?;
    let net = network(ctx)?;
    let to = net.endpoint(&rp.to)?;
    let (port, protocol) = resolve_port(&net, to, &rp.port, protocol(&rp.protocol)?)?;
    let mut listed = Vec::new();
    for s in &rp.from {
        listed.push(net.endpoint(s)?);
    }
    let mut sources: Vec<Endpoint> = net
        .pod_endpoints()
        .into_iter()
        .filter(|&e| e != to)
        .collect();
    for &e in &listed {
        if !sources.contains(&e) {
            sources.push(e);
        }
    }
    let mut blocked = Vec::new();
    let mut leaked = Vec::new();
    let mut first_loc: Option<Location> = None;
    for &from in &sources {
        let q = Query {
            from,
            to,
            port,
            protocol,
        };
        let v = net.evaluate(&q);
        let must = listed.contains(&from);
        if must && !v.allowed {
            let r = why_denied(&net, &q, &v);
            first_loc = first_loc.or(r.location);
            blocked.push(format!("{} ({})", net.endpoint_name(from), r.detail));
        } else if !must && v.allowed {
            let r = why_allowed(&net, &q, &v);
            first_loc = first_loc.or(r.location);
            leaked.push(format!("{} ({})", net.endpoint_name(from), r.detail));
        }
    }
    let target = format!("{} on {port}/{protocol}", rp.to);
    if blocked.is_empty() && leaked.is_empty() {
        return Ok(Outcome::pass(format!(
            "only {} reach {target}; the other {} pods are denied",
            rp.from.join(", "),
            sources.len() - listed.len()
        )));
    }
    let mut parts = Vec::new();
    if !leaked.is_empty() {
        parts.push(format!(
            "must not reach {target}, but can: {}",
            leaked.join("; ")
        ));
    }
    if !blocked.is_empty() {
        parts.push(format!(
            "must reach {target}, but cannot: {}",
            blocked.join("; ")
        ));
    }
    Ok(Outcome::fail(parts.join(". ")).at(first_loc))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReachAnswerParams {
    to: String,
    port: PortParam,
    #[serde(default)]
    protocol: Option<String>,
    /// The answer key holding the learner's list of `NS/POD`.
    answer_key: String,
}

fn reach_answer(p: &serde_json::Value, ctx: &Ctx) -> Result<Outcome, String> {
    let rp: ReachAnswerParams = params(p)?;
    let net = network(ctx)?;
    let to = net.endpoint(&rp.to)?;
    let (port, protocol) = resolve_port(&net, to, &rp.port, protocol(&rp.protocol)?)?;
    let target = format!("{} on {port}/{protocol}", rp.to);
    let Some(given) = ctx.answers.get(&rp.answer_key) else {
        return Ok(Outcome::fail(format!(
            "no answer under `{}:` in your answer file",
            rp.answer_key
        )));
    };
    let mut listed: Vec<Endpoint> = Vec::new();
    for s in answer_list(given) {
        let e = match s.split_once('/') {
            Some(_) if !s.starts_with("ip:") => match net.endpoint(&s) {
                Ok(e) => Some(e),
                Err(msg) => return Ok(Outcome::fail(format!("{}: {msg}", rp.answer_key))),
            },
            _ => None,
        };
        match e {
            Some(e) if e == to => {
                return Ok(Outcome::fail(format!(
                    "{}: {s} is the destination itself; list the other pods that reach it",
                    rp.answer_key
                )));
            }
            Some(e) if !listed.contains(&e) => listed.push(e),
            Some(_) => {}
            None => {
                let same: Vec<String> = net
                    .pod_endpoints()
                    .into_iter()
                    .map(|e| net.endpoint_name(e))
                    .filter(|n| n.rsplit('/').next() == Some(s.as_str()))
                    .collect();
                let hint = if same.is_empty() {
                    String::new()
                } else {
                    format!(" (did you mean {}?)", same.join(" or "))
                };
                return Ok(Outcome::fail(format!(
                    "{}: there is no pod \"{s}\"; write each pod as NAMESPACE/NAME{hint}",
                    rp.answer_key
                )));
            }
        }
    }
    let mut extra = Vec::new();
    let mut missing = Vec::new();
    let mut allowed = Vec::new();
    let mut loc: Option<Location> = None;
    for from in net.pod_endpoints().into_iter().filter(|&e| e != to) {
        let q = Query {
            from,
            to,
            port,
            protocol,
        };
        let v = net.evaluate(&q);
        let name = net.endpoint_name(from);
        if v.allowed {
            allowed.push(name.clone());
        }
        match (v.allowed, listed.contains(&from)) {
            (true, false) => {
                let r = why_allowed(&net, &q, &v);
                loc = loc.or(r.location);
                missing.push(format!("{name} ({})", r.summary));
            }
            (false, true) => {
                let r = why_denied(&net, &q, &v);
                loc = loc.or(r.location);
                extra.push(format!("{name} ({})", r.detail));
            }
            _ => {}
        }
    }
    if extra.is_empty() && missing.is_empty() {
        return Ok(Outcome::pass(if allowed.is_empty() {
            format!("no pod reaches {target}")
        } else {
            format!("the pods that reach {target}: {}", allowed.join(", "))
        }));
    }
    let mut parts = Vec::new();
    if !extra.is_empty() {
        parts.push(format!(
            "you listed pods that cannot reach {target}: {}",
            extra.join("; ")
        ));
    }
    if !missing.is_empty() {
        parts.push(format!(
            "you left out pods that can: {}",
            missing.join("; ")
        ));
    }
    Ok(Outcome::fail(format!("{}: {}", rp.answer_key, parts.join(". "))).at(loc))
}

/// Why a verdict came out as it did: one line for a pass, the whole
/// story for a failure, and the line of the policy responsible.
struct Reason {
    summary: String,
    detail: String,
    location: Option<Location>,
}

/// Why a connection is allowed: the rules that admitted it in the
/// isolated directions; when neither end is isolated, that the
/// destination (where a learner would add a policy) is not.
fn why_allowed(net: &Network, q: &Query, v: &Verdict) -> Reason {
    if v.loopback {
        let s = "a pod can always reach itself".to_string();
        return Reason {
            summary: s.clone(),
            detail: s,
            location: None,
        };
    }
    let lines = net.explain(q, v);
    let top = |d: Direction| {
        lines
            .iter()
            .find(|l| l.depth == 0 && l.text.starts_with(d.as_str()))
    };
    let mut picked: Vec<&Line> = Vec::new();
    if !v.egress.policies.is_empty() {
        picked.extend(top(Direction::Egress));
    }
    if !v.ingress.policies.is_empty() {
        picked.extend(top(Direction::Ingress));
    }
    if picked.is_empty() {
        let d = if matches!(q.to, Endpoint::Ip(_)) {
            Direction::Egress
        } else {
            Direction::Ingress
        };
        picked.extend(top(d));
    }
    let text: Vec<&str> = picked.iter().map(|l| l.text.as_str()).collect();
    Reason {
        summary: text.join("; "),
        detail: text.join("; "),
        location: picked.iter().find_map(|l| l.location.clone()),
    }
}

/// Why a connection is denied: the isolating policies of the direction
/// that denies, and how each of their rules misses, pointing at the peer
/// or port that missed.
fn why_denied(net: &Network, q: &Query, v: &Verdict) -> Reason {
    let d = if !v.egress.allowed {
        Direction::Egress
    } else {
        Direction::Ingress
    };
    let lines = net.explain(q, v);
    let Some(start) = lines
        .iter()
        .position(|l| l.depth == 0 && l.text.starts_with(d.as_str()))
    else {
        return Reason {
            summary: "denied".into(),
            detail: "denied".into(),
            location: None,
        };
    };
    let block: Vec<&Line> = lines[start..]
        .iter()
        .enumerate()
        .take_while(|(i, l)| *i == 0 || l.depth > 0)
        .map(|(_, l)| l)
        .collect();
    let text: Vec<&str> = block.iter().map(|l| l.text.as_str()).collect();
    Reason {
        summary: block[0].text.clone(),
        detail: text.join("; "),
        // The deepest explained line: the peer or port that missed.
        location: block
            .iter()
            .rev()
            .find_map(|l| l.location.clone())
            .or_else(|| block[0].location.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Lang;
    use crate::model::load::Input;
    use serde_json::json;

    const STATE: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: data}
---
apiVersion: v1
kind: Namespace
metadata: {name: backend, labels: {team: backend}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: data, labels: {app: db}}
spec:
  containers:
  - {name: pg, image: postgres, ports: [{containerPort: 5432, name: postgres}]}
status: {podIP: 10.0.1.10}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: backend, labels: {app: api}}
spec:
  containers: [{name: api, image: api}]
status: {podIP: 10.0.2.10}
---
apiVersion: v1
kind: Pod
metadata: {name: worker, namespace: backend, labels: {app: worker}}
spec:
  containers: [{name: w, image: w}]
status: {podIP: 10.0.2.11}
---
"#;

    const POLICY: &str = r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-in, namespace: data}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: backend}}
      podSelector: {matchLabels: {app: api}}
    ports: [{port: 5432}]
"#;

    fn run(checker: &str, yaml: &str, p: serde_json::Value) -> Outcome {
        let v =
            crate::validate::validate_inputs(&[Input::new("np.yaml", yaml.as_bytes().to_vec())])
                .expect("readable");
        assert!(v.is_valid(), "{:#?}", v.problems);
        let model = v.model();
        let answers = serde_json::Map::new();
        let ctx = Ctx::new(&model, &answers, Lang::En);
        let c = crate::checks::checker(checker).expect("registered");
        (c.run)(&p, &ctx).expect("runs")
    }

    #[test]
    fn reach_passes_and_fails_with_the_responsible_line() {
        let y = STATE.to_string() + POLICY;
        let o = run(
            "reach",
            &y,
            json!({"from": "backend/api", "to": "data/db", "port": 5432, "expect": "allow"}),
        );
        assert!(o.passed, "{}", o.detail);
        assert!(
            o.detail
                .contains("allowed by NetworkPolicy/data/db-in spec.ingress[0].from[0]"),
            "{}",
            o.detail
        );
        let o = run(
            "reach",
            &y,
            json!({"from": "backend/worker", "to": "data/db", "port": "postgres", "expect": "allow"}),
        );
        assert!(!o.passed);
        assert!(
            o.detail
                .contains("needs pod label app=api; backend/worker has app=worker"),
            "{}",
            o.detail
        );
        let loc = o.location.expect("points at the peer");
        assert_eq!((loc.file.as_str(), loc.line), ("np.yaml", 40));
        let o = run(
            "reach",
            &y,
            json!({"from": "backend/api", "to": "data/db", "port": 5432, "protocol": "UDP", "expect": "deny"}),
        );
        assert!(o.passed, "{}", o.detail);
    }

    #[test]
    fn reach_deny_that_is_allowed_names_the_rule_or_the_missing_isolation() {
        let o = run(
            "reach",
            STATE,
            json!({"from": "backend/worker", "to": "data/db", "port": 5432, "expect": "deny"}),
        );
        assert!(!o.passed);
        assert!(
            o.detail
                .contains("no NetworkPolicy selects data/db for ingress"),
            "{}",
            o.detail
        );
        assert_eq!(o.location, None);
        let y = STATE.to_string() + POLICY;
        let o = run(
            "reach",
            &y,
            json!({"from": "backend/api", "to": "data/db", "port": 5432, "expect": "deny"}),
        );
        assert!(!o.passed);
        assert_eq!(o.location.expect("rule").line, 39);
    }

    #[test]
    fn reach_only_lists_leaks_and_blocks() {
        let y = STATE.to_string() + POLICY;
        let o = run(
            "reach-only",
            &y,
            json!({"from": ["backend/api"], "to": "data/db", "port": 5432}),
        );
        assert!(o.passed, "{}", o.detail);
        let o = run(
            "reach-only",
            &y,
            json!({"from": ["backend/worker"], "to": "data/db", "port": 5432}),
        );
        assert!(!o.passed);
        assert!(
            o.detail
                .contains("must not reach data/db on 5432/TCP, but can: backend/api"),
            "{}",
            o.detail
        );
        assert!(
            o.detail
                .contains("must reach data/db on 5432/TCP, but cannot: backend/worker"),
            "{}",
            o.detail
        );
        let o = run(
            "reach-only",
            STATE,
            json!({"from": ["backend/api"], "to": "data/db", "port": 5432}),
        );
        assert!(!o.passed);
        assert!(
            o.detail
                .contains("backend/worker (ingress: allowed: no NetworkPolicy selects data/db"),
            "{}",
            o.detail
        );
    }

    fn run_answer(yaml: &str, answers: serde_json::Value) -> Outcome {
        let v =
            crate::validate::validate_inputs(&[Input::new("np.yaml", yaml.as_bytes().to_vec())])
                .expect("readable");
        assert!(v.is_valid(), "{:#?}", v.problems);
        let model = v.model();
        let answers = answers.as_object().cloned().unwrap_or_default();
        let ctx = Ctx::new(&model, &answers, Lang::En);
        reach_answer(
            &json!({"to": "data/db", "port": 5432, "answer_key": "pods"}),
            &ctx,
        )
        .expect("runs")
    }

    #[test]
    fn reach_answer_grades_the_set_of_sources() {
        let y = STATE.to_string() + POLICY;
        let o = run_answer(&y, json!({"pods": ["backend/api"]}));
        assert!(o.passed, "{}", o.detail);
        assert_eq!(
            o.detail,
            "the pods that reach data/db on 5432/TCP: backend/api"
        );
        let o = run_answer(&y, json!({"pods": "backend/api, backend/api"}));
        assert!(o.passed, "{}", o.detail);
        let o = run_answer(&y, json!({"pods": ["backend/worker"]}));
        assert!(!o.passed);
        assert!(
            o.detail.contains(
                "you listed pods that cannot reach data/db on 5432/TCP: backend/worker (ingress: denied"
            ),
            "{}",
            o.detail
        );
        assert!(
            o.detail.contains("you left out pods that can: backend/api (ingress: allowed by NetworkPolicy/data/db-in spec.ingress[0].from[0]"),
            "{}",
            o.detail
        );
        assert!(o.location.is_some());
        // without the policy every pod reaches db
        let o = run_answer(STATE, json!({"pods": ["backend/api", "backend/worker"]}));
        assert!(o.passed, "{}", o.detail);
        let o = run_answer(&y, json!({"pods": []}));
        assert!(!o.passed);
    }

    #[test]
    fn reach_answer_rejects_unknown_pods_and_the_destination() {
        let y = STATE.to_string() + POLICY;
        let o = run_answer(&y, json!({"pods": ["api"]}));
        assert!(!o.passed);
        assert!(
            o.detail.contains("there is no pod \"api\"; write each pod as NAMESPACE/NAME (did you mean backend/api?)"),
            "{}",
            o.detail
        );
        let o = run_answer(&y, json!({"pods": ["data/db", "backend/api"]}));
        assert!(!o.passed);
        assert!(o.detail.contains("the destination itself"), "{}", o.detail);
        let o = run_answer(&y, json!({"other": []}));
        assert!(!o.passed);
        assert!(o.detail.contains("no answer under `pods:`"));
        let o = run_answer(&y, json!({"pods": ["backend/apj"]}));
        assert!(!o.passed);
        assert!(
            o.detail
                .contains("no pod backend/apj in the files (did you mean backend/api?)"),
            "{}",
            o.detail
        );
    }

    #[test]
    fn bad_parameters_are_content_errors() {
        let v =
            crate::validate::validate_inputs(&[Input::new("np.yaml", STATE.as_bytes().to_vec())])
                .unwrap();
        let model = v.model();
        let answers = serde_json::Map::new();
        let ctx = Ctx::new(&model, &answers, Lang::En);
        assert!(
            reach(
                &json!({"from": "backend/nope", "to": "data/db", "port": 1, "expect": "allow"}),
                &ctx
            )
            .is_err()
        );
        assert!(
            reach(
                &json!({"from": "backend/api", "to": "data/db", "port": 1, "expect": "maybe"}),
                &ctx
            )
            .is_err()
        );
        assert!(
            reach(
                &json!({"from": "backend/api", "to": "data/db", "port": "nope", "expect": "allow"}),
                &ctx
            )
            .is_err()
        );
        assert!(reach(&json!({"from": "backend/api", "to": "data/db", "port": 1, "protocol": "tcp", "expect": "allow"}), &ctx).is_err());
    }
}
