//! Every Pod and every workload pod template in a cluster model, judged
//! under its namespace's labels (or one level for all), in load order.
//! The kinds and template paths are upstream's pod spec extractor
//! (admission/admission.go DefaultPodSpecExtractor).

use super::admission::{Admission, admit};
use super::api::{self, Level, Policy, policy_to_evaluate};
use super::subject::{Source, Subject};
use crate::model::{ClusterModel, FieldPath, Object, ObjectRef, Typed};
use k8s_openapi::api::core::v1::{Namespace, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

/// One object's verdict.
#[derive(Clone, Debug)]
pub struct ObjectReview<'a> {
    pub object: &'a Object,
    pub source: Source,
    /// Where the pod spec sits in the object (`spec.template.spec`).
    pub spec_path: FieldPath,
    pub admission: Admission,
}

impl ObjectReview<'_> {
    pub fn id(&self) -> &ObjectRef {
        &self.object.id
    }
}

/// The pod metadata and spec inside an object, if it carries one.
pub fn pod_spec_of(typed: &Typed) -> Option<(&ObjectMeta, PodSpecRef<'_>, Source, FieldPath)> {
    let root = FieldPath::root();
    fn tmpl(
        t: Option<&PodTemplateSpec>,
        path: FieldPath,
    ) -> Option<(Option<&ObjectMeta>, PodSpecRef<'_>, Source, FieldPath)> {
        t.map(|t| {
            (
                t.metadata.as_ref(),
                PodSpecRef::from(t.spec.as_ref()),
                Source::Template,
                path.field("spec"),
            )
        })
    }
    let spec_tmpl = root.field("spec").field("template");
    let found = match typed {
        Typed::Pod(p) => Some((
            Some(&p.metadata),
            PodSpecRef::from(p.spec.as_ref()),
            Source::Pod,
            root.field("spec"),
        )),
        Typed::PodTemplate(t) => tmpl(t.template.as_ref(), root.field("template")),
        Typed::ReplicationController(r) => {
            tmpl(r.spec.as_ref().and_then(|s| s.template.as_ref()), spec_tmpl)
        }
        Typed::ReplicaSet(r) => tmpl(r.spec.as_ref().and_then(|s| s.template.as_ref()), spec_tmpl),
        Typed::Deployment(d) => tmpl(d.spec.as_ref().map(|s| &s.template), spec_tmpl),
        Typed::DaemonSet(d) => tmpl(d.spec.as_ref().map(|s| &s.template), spec_tmpl),
        Typed::StatefulSet(s) => tmpl(s.spec.as_ref().map(|s| &s.template), spec_tmpl),
        Typed::Job(j) => tmpl(j.spec.as_ref().map(|s| &s.template), spec_tmpl),
        Typed::CronJob(c) => tmpl(
            c.spec.job_template.spec.as_ref().map(|s| &s.template),
            root.field("spec")
                .field("jobTemplate")
                .field("spec")
                .field("template"),
        ),
        _ => None,
    }?;
    let (meta, spec, source, path) = found;
    Some((meta.unwrap_or(empty_meta()), spec, source, path))
}

fn empty_meta() -> &'static ObjectMeta {
    static EMPTY: std::sync::OnceLock<ObjectMeta> = std::sync::OnceLock::new();
    EMPTY.get_or_init(ObjectMeta::default)
}

fn empty_spec() -> &'static PodSpec {
    static EMPTY: std::sync::OnceLock<PodSpec> = std::sync::OnceLock::new();
    EMPTY.get_or_init(PodSpec::default)
}

/// A pod spec that may be absent in the object (Go sees an empty one).
#[derive(Clone, Copy, Debug)]
pub struct PodSpecRef<'a>(pub &'a PodSpec);

impl<'a> From<Option<&'a PodSpec>> for PodSpecRef<'a> {
    fn from(s: Option<&'a PodSpec>) -> Self {
        PodSpecRef(s.unwrap_or(empty_spec()))
    }
}

/// The policy of each namespace in the model, by name. A namespace that
/// is not in the model has no labels: privileged.
pub struct Namespaces<'a> {
    labels: BTreeMap<&'a str, Option<&'a BTreeMap<String, String>>>,
}

impl<'a> Namespaces<'a> {
    pub fn of(model: &'a ClusterModel) -> Self {
        let labels = model
            .of::<Namespace>()
            .map(|n| (n.object.id.name.as_str(), n.obj.metadata.labels.as_ref()))
            .collect();
        Namespaces { labels }
    }

    pub fn labels(&self, ns: &str) -> Option<&'a BTreeMap<String, String>> {
        self.labels.get(ns).copied().flatten()
    }
}

/// The policy an object is judged under: its namespace's labels, or, with
/// `level`, as if the namespace were labelled `enforce=<level>` alone.
pub fn policy_for(
    namespaces: &Namespaces,
    namespace: Option<&str>,
    level: Option<Level>,
) -> (Policy, Vec<api::LabelError>) {
    match level {
        Some(l) => {
            let labels: BTreeMap<String, String> =
                [(api::ENFORCE_LABEL.to_string(), l.as_str().to_string())].into();
            policy_to_evaluate(Some(&labels), Policy::DEFAULT)
        }
        None => policy_to_evaluate(
            namespace.and_then(|n| namespaces.labels(n)),
            Policy::DEFAULT,
        ),
    }
}

/// Judge every Pod and pod template in the model, in load order.
pub fn review_model(model: &ClusterModel, level: Option<Level>) -> Vec<ObjectReview<'_>> {
    let namespaces = Namespaces::of(model);
    model
        .objects
        .iter()
        .filter_map(|o| {
            let (meta, spec, source, spec_path) = pod_spec_of(&o.typed)?;
            let subject = Subject {
                meta,
                spec: spec.0,
                source,
            };
            let (policy, errors) = policy_for(&namespaces, o.id.namespace.as_deref(), level);
            let admission = admit(&subject, &o.id.name, policy, errors);
            Some(ObjectReview {
                object: o,
                source,
                spec_path,
                admission,
            })
        })
        .collect()
}
