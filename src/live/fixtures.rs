//! An exercise's starting state on a live cluster: its `given:` files
//! applied by server-side apply (field manager `kubedojo`), every object
//! labelled with the exercise id; and the reset that deletes exactly the
//! objects carrying that label, nothing else.
//!
//! The label is the only record: setup keeps no state on disk, so a reset
//! works from any machine and after any crash.

use super::error::LiveError;
use super::fetch::ListKind;
use super::session::{CALL_TIMEOUT, Session};
use crate::checks::run::given_inputs;
use crate::content::{Content, Exercise};
use crate::model::kinds::KindInfo;
use crate::model::load::RawObject;
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams};
use std::time::{Duration, Instant};

pub const EXERCISE_LABEL: &str = "kubedojo.dev/exercise";
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
pub const FIELD_MANAGER: &str = "kubedojo";

/// Namespaces every cluster has; an exercise may put objects in them but
/// never owns (so never deletes) them.
const BUILT_IN_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public", "kube-node-lease"];

/// How long setup waits for a namespace of a previous reset to finish
/// terminating before it can be created again.
const TERMINATING_WAIT: Duration = Duration::from_secs(60);

/// `kubedojo.dev/exercise=ID,app.kubernetes.io/managed-by=kubedojo`.
pub fn selector(exercise: &str) -> String {
    format!("{EXERCISE_LABEL}={exercise},{MANAGED_BY_LABEL}={FIELD_MANAGER}")
}

/// One object of the starting state, ready to apply.
#[derive(Clone, Debug)]
pub struct Fixture {
    pub kind: ListKind,
    pub namespace: Option<String>,
    pub name: String,
    pub body: serde_json::Value,
}

impl Fixture {
    pub fn id(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{}/{}/{}", self.kind.resource.kind, ns, self.name),
            None => format!("{}/{}", self.kind.resource.kind, self.name),
        }
    }

    fn api(&self, session: &Session) -> Api<DynamicObject> {
        match &self.namespace {
            Some(ns) => Api::namespaced_with(session.client.clone(), ns, &self.kind.resource),
            None => Api::all_with(session.client.clone(), &self.kind.resource),
        }
    }
}

/// An object of the given files that setup leaves to the cluster, and why.
pub type Skipped = (String, String);

#[derive(Debug, Default, serde::Serialize)]
pub struct Applied {
    pub applied: Vec<String>,
    /// Objects of the given files a cluster provides itself, with why.
    pub skipped: Vec<Skipped>,
}

/// The exercise's given objects, labelled, in apply order (namespaces and
/// CRDs first), and those left out with the reason.
pub fn fixtures(
    content: &Content,
    ex: &Exercise,
) -> Result<(Vec<Fixture>, Vec<Skipped>), LiveError> {
    let objects = given_objects(content, ex)?;
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for o in &objects {
        let Some(info) = o.info else { continue };
        let id = o.id();
        if info.kind == "Node" {
            skipped.push((
                id.to_string(),
                "nodes come from the cluster (`kubedojo cluster up` creates them)".into(),
            ));
            continue;
        }
        if info.kind == "Namespace" && BUILT_IN_NAMESPACES.contains(&id.name.as_str()) {
            skipped.push((id.to_string(), "every cluster has this namespace".into()));
            continue;
        }
        out.push(fixture(ex, info, o));
    }
    out.sort_by_key(|f| match f.kind.resource.kind.as_str() {
        "Namespace" => 0,
        "CustomResourceDefinition" => 1,
        _ => 2,
    });
    Ok((out, skipped))
}

fn given_objects(content: &Content, ex: &Exercise) -> Result<Vec<RawObject>, LiveError> {
    let inputs = given_inputs(content, ex).map_err(|e| LiveError::Exercise(e.to_string()))?;
    let validated = crate::validate::validate_inputs(&inputs)
        .map_err(|e| LiveError::Exercise(e.to_string()))?;
    if let Some(p) = validated.problems.first() {
        return Err(LiveError::Exercise(format!(
            "the exercise's own files are invalid (a bug in the exercise): {p}"
        )));
    }
    Ok(validated.objects)
}

fn fixture(ex: &Exercise, info: &'static KindInfo, o: &RawObject) -> Fixture {
    let id = o.id();
    let mut body = o.node().to_json();
    if let Some(map) = body.as_object_mut() {
        // Status is the cluster's to write; setup applies only intent.
        map.remove("status");
        let meta = map
            .entry("metadata")
            .or_insert_with(|| serde_json::json!({}));
        if let Some(meta) = meta.as_object_mut() {
            if let Some(ns) = &id.namespace {
                meta.insert("namespace".into(), ns.clone().into());
            }
            let labels = meta
                .entry("labels")
                .or_insert_with(|| serde_json::json!({}));
            if let Some(labels) = labels.as_object_mut() {
                labels.insert(EXERCISE_LABEL.into(), ex.id.clone().into());
                labels.insert(MANAGED_BY_LABEL.into(), FIELD_MANAGER.into());
            }
        }
    }
    Fixture {
        kind: ListKind::from_info(info),
        namespace: id.namespace.clone(),
        name: id.name.clone(),
        body,
    }
}

/// Apply the starting state. An object that exists and was not created by
/// kubedojo stops setup before anything is changed.
pub fn setup(session: &Session, content: &Content, ex: &Exercise) -> Result<Applied, LiveError> {
    let (fixtures, skipped) = fixtures(content, ex)?;
    for f in &fixtures {
        let api = f.api(session);
        let name = f.name.clone();
        let existing = session.call(CALL_TIMEOUT, |_| async move { api.get_opt(&name).await })?;
        if let Some(obj) = existing {
            let ours = obj
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(MANAGED_BY_LABEL))
                .is_some_and(|v| v == FIELD_MANAGER);
            if !ours {
                return Err(LiveError::NotOurs {
                    exercise: ex.id.clone(),
                    object: f.id(),
                });
            }
        }
    }
    let mut out = Applied {
        skipped,
        ..Applied::default()
    };
    for f in &fixtures {
        if f.kind.resource.kind == "Namespace" {
            wait_until_not_terminating(session, f)?;
        }
        let api = f.api(session);
        let params = PatchParams::apply(FIELD_MANAGER).force();
        let (name, body) = (f.name.clone(), f.body.clone());
        session.call(CALL_TIMEOUT, |_| async move {
            api.patch(&name, &params, &Patch::Apply(&body)).await
        })?;
        out.applied.push(f.id());
    }
    Ok(out)
}

/// A namespace deleted by an earlier reset may still be terminating; an
/// apply into it would be refused.
fn wait_until_not_terminating(session: &Session, f: &Fixture) -> Result<(), LiveError> {
    let start = Instant::now();
    loop {
        let api = f.api(session);
        let name = f.name.clone();
        let existing = session.call(CALL_TIMEOUT, |_| async move { api.get_opt(&name).await })?;
        let terminating = existing.is_some_and(|o| o.metadata.deletion_timestamp.is_some());
        if !terminating {
            return Ok(());
        }
        if start.elapsed() > TERMINATING_WAIT {
            return Err(LiveError::Api {
                context: session.at.context.clone(),
                reason: format!(
                    "{} is still terminating after {} s; try again in a minute",
                    f.id(),
                    TERMINATING_WAIT.as_secs()
                ),
            });
        }
        session.block_on(tokio::time::sleep(Duration::from_secs(1)));
    }
}

/// The kinds a reset looks at: every kind of the given files (nodes and
/// built-in namespaces are never applied, so never deleted), plus pods
/// for the probe pods live grading may have left.
pub fn reset_kinds(content: &Content, ex: &Exercise) -> Result<Vec<ListKind>, LiveError> {
    let mut kinds: Vec<ListKind> = Vec::new();
    let (fixtures, _) = fixtures(content, ex)?;
    let pods = super::fetch::resolve_kind("Pod").map(ListKind::from_info);
    for k in fixtures.iter().map(|f| f.kind.clone()).chain(pods) {
        if !kinds
            .iter()
            .any(|x| x.resource.kind == k.resource.kind && x.resource.group == k.resource.group)
        {
            kinds.push(k);
        }
    }
    Ok(kinds)
}

/// Delete every object labelled with this exercise (and managed by
/// kubedojo), namespaced objects before namespaces. Returns what it deleted.
pub fn reset(
    session: &Session,
    content: &Content,
    ex: &Exercise,
) -> Result<Vec<String>, LiveError> {
    let kinds = reset_kinds(content, ex)?;
    let selector = selector(&ex.id);
    let mut found: Vec<Fixture> = Vec::new();
    for kind in &kinds {
        let api: Api<DynamicObject> = Api::all_with(session.client.clone(), &kind.resource);
        let lp = ListParams::default().labels(&selector);
        let list = session.call(CALL_TIMEOUT, |_| async move { api.list(&lp).await })?;
        for item in list.items {
            let Some(name) = item.metadata.name.clone() else {
                continue;
            };
            found.push(Fixture {
                kind: kind.clone(),
                namespace: if kind.namespaced {
                    item.metadata.namespace.clone()
                } else {
                    None
                },
                name,
                body: serde_json::Value::Null,
            });
        }
    }
    found.sort_by_key(|f| f.kind.resource.kind == "Namespace");
    let mut deleted = Vec::new();
    for f in &found {
        let api = f.api(session);
        let name = f.name.clone();
        let dp = DeleteParams::background();
        let r = session.call(
            CALL_TIMEOUT,
            |_| async move { api.delete(&name, &dp).await },
        );
        match r {
            Ok(_) => deleted.push(f.id()),
            // Already gone (its namespace went first, or someone else
            // deleted it): the goal is reached.
            Err(LiveError::Api { reason, .. }) if reason.starts_with("404") => {}
            Err(e) => return Err(e),
        }
    }
    Ok(deleted)
}
