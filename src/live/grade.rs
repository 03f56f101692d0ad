//! Live grading: list the kinds the exercise needs into a ClusterModel,
//! run the very checkers offline grading runs, then put the questions only
//! a cluster can answer to the cluster, and show the engine's prediction
//! beside the cluster's answer wherever they differ.

use super::error::LiveError;
use super::fetch::{self, ListKind};
use super::probe::{AccessQuery, ConnectQuery, Observation, Observed, Prober, placement};
use super::session::{CALL_TIMEOUT, Session};
use crate::checks::registry::{self, Question};
use crate::checks::{Report, grade};
use crate::content::{Content, Exercise, Lang};
use crate::model::ClusterModel;
use crate::model::load::{self, Input};
use crate::model::yaml::Limits;
use k8s_openapi::api::core::v1::Pod;
use kube::api::GroupVersionKind;
use serde::Serialize;

/// The offline report, plus what live mode saw and asked.
#[derive(Debug, Serialize)]
pub struct LiveReport {
    #[serde(flatten)]
    pub report: Report,
    pub live: LiveFacts,
}

#[derive(Debug, Serialize)]
pub struct LiveFacts {
    pub context: String,
    pub user: String,
    /// `apiVersion Kind` of every kind listed (one request each).
    pub kinds: Vec<String>,
    pub objects: usize,
    pub probes: Vec<ProbeResult>,
}

/// One question put to the cluster: what the exercise expects, what the
/// engine predicts from the listed objects, what the cluster did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProbeResult {
    pub check: String,
    pub question: String,
    pub expected: bool,
    /// None when the check itself could not run.
    pub predicted: Option<bool>,
    pub observed: Observed,
    /// None when the probe was inconclusive.
    pub agree: Option<bool>,
    pub detail: String,
}

/// The kind names (`Kind` or `apiVersion/Kind`) an exercise reads: those
/// in its given and solution files, plus what its checkers declare.
pub fn kind_names(content: &Content, ex: &Exercise) -> Result<Vec<String>, LiveError> {
    let limits = Limits::default();
    let mut names = Vec::new();
    let answer_files: Vec<&str> = ex
        .workspace
        .iter()
        .filter(|w| w.answer)
        .map(|w| w.file.as_str())
        .collect();
    for file in ex.given.iter().chain(&ex.solution) {
        let base = file.rsplit('/').next().unwrap_or(file);
        if answer_files.contains(&base) {
            continue;
        }
        let (name, bytes) = content
            .exercise_file(ex, file)
            .map_err(|e| LiveError::Exercise(e.to_string()))?;
        let loaded = load::parse_input(&Input::new(name, bytes), &limits)
            .map_err(|e| LiveError::Exercise(e.to_string()))?;
        for o in loaded.objects {
            names.push(format!("{}/{}", o.api_version, o.kind));
        }
    }
    Ok(registry::kinds_needed(ex, names).into_iter().collect())
}

/// Resolve kind names to list: the 1.36 registry first, then discovery
/// for custom resources (one request per unknown group-version).
pub fn resolve_kinds(session: &Session, names: &[String]) -> Result<Vec<ListKind>, LiveError> {
    let mut out: Vec<ListKind> = Vec::new();
    for name in names {
        let kind = match fetch::resolve_kind(name) {
            Some(info) => ListKind::from_info(info),
            None => discover(session, name)?,
        };
        let same = |k: &ListKind| {
            k.resource.group == kind.resource.group && k.resource.kind == kind.resource.kind
        };
        if !out.iter().any(same) {
            out.push(kind);
        }
    }
    Ok(out)
}

fn discover(session: &Session, name: &str) -> Result<ListKind, LiveError> {
    let not_served = |reason: &str| LiveError::NotServed {
        context: session.at.context.clone(),
        kind: name.to_string(),
        reason: reason.to_string(),
    };
    let Some((api_version, kind)) = name.rsplit_once('/') else {
        return Err(not_served("kubedojo does not know this kind"));
    };
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk = GroupVersionKind::gvk(group, version, kind);
    let (resource, caps) = session
        .call(CALL_TIMEOUT, |c| async move {
            kube::discovery::pinned_kind(&c, &gvk).await
        })
        .map_err(|e| match e {
            LiveError::Api { reason, .. } => not_served(&reason),
            other => other,
        })?;
    Ok(ListKind {
        resource,
        namespaced: caps.scope == kube::discovery::Scope::Namespaced,
    })
}

/// Grade `ex` against the cluster of `session`.
pub fn grade_live(
    session: &Session,
    content: &Content,
    ex: &Exercise,
    lang: Lang,
    prober: &mut dyn Prober,
) -> Result<LiveReport, LiveError> {
    let names = kind_names(content, ex)?;
    let kinds = resolve_kinds(session, &names)?;
    let model = fetch::list(session, &kinds)?;
    let mut report = grade_model(ex, &model, lang, prober);
    report.live.context = session.at.context.clone();
    report.live.user = session.identity();
    report.live.kinds = kinds.iter().map(ListKind::label).collect();
    Ok(report)
}

/// Grade a model listed from a cluster and ask `prober` the exercise's
/// live questions.
pub fn grade_model(
    ex: &Exercise,
    model: &ClusterModel,
    lang: Lang,
    prober: &mut dyn Prober,
) -> LiveReport {
    let report = grade(ex, model, &serde_json::Map::new(), lang);
    let probes = registry::questions(ex)
        .into_iter()
        .map(|(check, q)| {
            let finding = report.findings.iter().find(|f| f.check == check);
            let broken = finding.is_none_or(|f| f.hint.as_deref() == Some(BROKEN_HINT));
            let passed = finding.is_some_and(|f| f.passed);
            ask(prober, model, &check, &q, (!broken).then_some(passed))
        })
        .collect();
    LiveReport {
        report,
        live: LiveFacts {
            context: String::new(),
            user: String::new(),
            kinds: Vec::new(),
            objects: model.len(),
            probes,
        },
    }
}

/// The hint `checks::grade` gives a check that could not run.
const BROKEN_HINT: &str = "report this to the exercise's author";

fn ask(
    prober: &mut dyn Prober,
    model: &ClusterModel,
    check: &str,
    q: &Question,
    passed: Option<bool>,
) -> ProbeResult {
    let (question, expected, obs) = match q {
        Question::Access {
            user,
            groups,
            verb,
            resource,
            group,
            subresource,
            namespace,
            name,
            expect,
        } => {
            let query = AccessQuery {
                user: user.clone(),
                groups: groups.clone(),
                verb: verb.clone(),
                resource: resource.clone(),
                group: group.clone(),
                subresource: subresource.clone(),
                namespace: namespace.clone(),
                name: name.clone(),
            };
            let what = if group.is_empty() {
                resource.clone()
            } else {
                format!("{resource}.{group}")
            };
            let sub = if subresource.is_empty() {
                String::new()
            } else {
                format!("/{subresource}")
            };
            let ns = namespace
                .as_ref()
                .map(|n| format!(" -n {n}"))
                .unwrap_or_default();
            (
                format!("can-i {verb} {what}{sub}{ns} --as {user}"),
                *expect,
                prober.access(&query),
            )
        }
        Question::Reach {
            from,
            to,
            port,
            protocol,
            expect,
        } => {
            let question = format!("reach {from} -> {to}:{port}/{protocol}");
            let ip = model
                .find::<Pod>(Some(&to.namespace), &to.name)
                .and_then(|p| p.status.as_ref().and_then(|s| s.pod_ip.clone()));
            let obs = match ip {
                None => Observation::inconclusive(format!("pod {to} has no IP yet (not running?)")),
                Some(to_ip) => prober.connect(
                    model,
                    &ConnectQuery {
                        from: from.clone(),
                        to: to.clone(),
                        to_ip,
                        port: *port,
                        protocol: protocol.clone(),
                    },
                ),
            };
            (question, *expect, obs)
        }
        Question::Placement {
            pod,
            expect_scheduled,
            nodes,
        } => {
            let (node, mut obs) = placement(model, pod);
            if obs.observed == Observed::Yes
                && !nodes.is_empty()
                && !node.as_ref().is_some_and(|n| nodes.contains(n))
            {
                obs.observed = Observed::No;
                obs.detail = format!("{}, not on {}", obs.detail, nodes.join(" or "));
            }
            let on = if nodes.is_empty() {
                String::new()
            } else {
                format!(" on {}", nodes.join("|"))
            };
            (format!("scheduled {pod}{on}"), *expect_scheduled, obs)
        }
    };
    // The checker passing means the engine predicts the expectation holds.
    let predicted = passed.map(|p| if p { expected } else { !expected });
    let agree = match (obs.observed, predicted) {
        (Observed::Inconclusive, _) | (_, None) => None,
        (o, Some(p)) => Some((o == Observed::Yes) == p),
    };
    ProbeResult {
        check: check.to_string(),
        question,
        expected,
        predicted,
        observed: obs.observed,
        agree,
        detail: obs.detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::registry::PodName;

    struct Scripted {
        access: Observed,
        connect: Observed,
        asked: Vec<String>,
    }

    impl Prober for Scripted {
        fn access(&mut self, q: &AccessQuery) -> Observation {
            self.asked.push(format!("access {} {}", q.user, q.verb));
            Observation {
                observed: self.access,
                detail: "scripted".into(),
            }
        }
        fn connect(&mut self, _: &ClusterModel, q: &ConnectQuery) -> Observation {
            self.asked
                .push(format!("connect {} {}:{}", q.from, q.to_ip, q.port));
            Observation {
                observed: self.connect,
                detail: "scripted".into(),
            }
        }
    }

    fn model_with_db_ip() -> ClusterModel {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "db", "namespace": "prod"},
            "status": {"podIP": "10.244.2.7"}
        }))
        .unwrap();
        ClusterModel::new().with(pod)
    }

    fn reach(expect: bool) -> Question {
        Question::Reach {
            from: PodName::parse("prod/web").unwrap(),
            to: PodName::parse("prod/db").unwrap(),
            port: 5432,
            protocol: "TCP".into(),
            expect,
        }
    }

    #[test]
    fn a_cni_that_ignores_policy_is_shown_as_a_disagreement() {
        // The engine says deny holds (check passed, expect deny); the
        // cluster connected anyway.
        let mut p = Scripted {
            access: Observed::Yes,
            connect: Observed::Yes,
            asked: vec![],
        };
        let r = ask(
            &mut p,
            &model_with_db_ip(),
            "db-isolated",
            &reach(false),
            Some(true),
        );
        assert_eq!(p.asked, vec!["connect prod/web 10.244.2.7:5432"]);
        assert_eq!(
            (r.predicted, r.observed, r.agree),
            (Some(false), Observed::Yes, Some(false))
        );
    }

    #[test]
    fn an_inconclusive_probe_is_never_read_as_blocked() {
        let mut p = Scripted {
            access: Observed::Yes,
            connect: Observed::Inconclusive,
            asked: vec![],
        };
        let r = ask(&mut p, &model_with_db_ip(), "c", &reach(false), Some(true));
        assert_eq!((r.observed, r.agree), (Observed::Inconclusive, None));
    }

    #[test]
    fn a_pod_without_an_ip_is_not_probed() {
        let mut p = Scripted {
            access: Observed::Yes,
            connect: Observed::No,
            asked: vec![],
        };
        let r = ask(&mut p, &ClusterModel::new(), "c", &reach(true), Some(true));
        assert!(p.asked.is_empty());
        assert_eq!(r.observed, Observed::Inconclusive);
    }

    #[test]
    fn placement_on_the_wrong_node_is_a_no() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"nodeName": "kubedojo-worker", "containers": []},
            "status": {"phase": "Running"}
        }))
        .unwrap();
        let model = ClusterModel::new().with(pod);
        let mut p = Scripted {
            access: Observed::Yes,
            connect: Observed::Yes,
            asked: vec![],
        };
        let q = Question::Placement {
            pod: PodName::parse("web").unwrap(),
            expect_scheduled: true,
            nodes: vec!["kubedojo-worker2".into()],
        };
        let r = ask(&mut p, &model, "c", &q, Some(false));
        assert_eq!(
            (r.observed, r.predicted, r.agree),
            (Observed::No, Some(false), Some(true))
        );
        assert!(r.detail.contains("not on kubedojo-worker2"), "{}", r.detail);
    }
}
