//! One admission request: what the API server knows when admission runs
//! (operation, resource, namespace, name, user, new and old object), built
//! from objects of the model, and the cluster state admission reads
//! (namespaces, parameter objects).
//!
//! upstream: staging/src/k8s.io/apiserver/pkg/admission/attributes.go,
//! admission/plugin/cel/condition.go `CreateAdmissionRequest`.

use crate::engines::selector::Labels;
use crate::model::{ClusterModel, Object, kinds};
use serde_json::{Value as Json, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
    Connect,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Connect => "CONNECT",
        }
    }

    pub fn parse(s: &str) -> Option<Operation> {
        match s.to_ascii_uppercase().as_str() {
            "CREATE" => Some(Operation::Create),
            "UPDATE" => Some(Operation::Update),
            "DELETE" => Some(Operation::Delete),
            "CONNECT" => Some(Operation::Connect),
            _ => None,
        }
    }
}

/// Who sends the request (`request.userInfo`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserInfo {
    pub username: String,
    pub uid: String,
    pub groups: Vec<String>,
}

/// Group, version and resource (or kind).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gvr {
    pub group: String,
    pub version: String,
    pub resource: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub operation: Operation,
    pub resource: Gvr,
    pub subresource: String,
    /// The kind of the object (`request.kind.kind`).
    pub kind: String,
    /// Empty for cluster-scoped objects; a Namespace's own name for a
    /// Namespace (as the API server sets it).
    pub namespace: String,
    pub name: String,
    pub object: Option<Json>,
    pub old_object: Option<Json>,
    pub user: UserInfo,
    pub dry_run: bool,
}

/// Fields the API server always has in the object it admits although a
/// manifest may leave them out: Go serializes non-pointer struct fields
/// even when empty, so every container carries `resources: {}`
/// (k8s.io/api/core/v1 `Container.Resources` is a struct, `omitempty` does
/// not drop it). Without this, `has(c.resources.limits)` would raise
/// "no such key" offline where a cluster evaluates it to false.
fn as_served(obj: &mut Json) {
    fn containers(spec: Option<&mut Json>) {
        let Some(spec) = spec.and_then(Json::as_object_mut) else {
            return;
        };
        for list in ["containers", "initContainers", "ephemeralContainers"] {
            for c in spec
                .get_mut(list)
                .and_then(Json::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(c) = c.as_object_mut() {
                    c.entry("resources")
                        .or_insert_with(|| Json::Object(Default::default()));
                }
            }
        }
    }
    containers(obj.pointer_mut("/spec"));
    containers(obj.pointer_mut("/spec/template/spec"));
    containers(obj.pointer_mut("/template/spec"));
    containers(obj.pointer_mut("/spec/jobTemplate/spec/template/spec"));
}

impl Request {
    /// A request for `op` on `object` of the model. For UPDATE, `old` is
    /// the stored object; for DELETE the object itself is the old object.
    pub fn for_object(
        op: Operation,
        object: &Object,
        old: Option<Json>,
    ) -> Result<Request, String> {
        let id = &object.id;
        let info = kinds::find(&id.api_version, &id.kind)
            .ok_or_else(|| format!("{} is not a kind the API server serves", id.api_version))?;
        let mut json = object.typed.to_json();
        as_served(&mut json);
        let namespace = if id.kind == "Namespace" && info.group.is_empty() {
            id.name.clone()
        } else {
            id.namespace.clone().unwrap_or_default()
        };
        let (new, old) = match op {
            Operation::Delete => (None, Some(json)),
            Operation::Update => (Some(json.clone()), Some(old.unwrap_or(json))),
            _ => (Some(json), None),
        };
        Ok(Request {
            operation: op,
            resource: Gvr {
                group: info.group.to_string(),
                version: info.version.to_string(),
                resource: info.plural.to_string(),
            },
            subresource: String::new(),
            kind: info.kind.to_string(),
            namespace,
            name: id.name.clone(),
            object: new,
            old_object: old,
            user: UserInfo {
                username: "kubernetes-admin".into(),
                uid: String::new(),
                groups: vec![
                    "kubeadm:cluster-admins".into(),
                    "system:authenticated".into(),
                ],
            },
            dry_run: false,
        })
    }

    /// `group/version, Kind=kind` as the API server prints a GVK.
    pub fn group_resource(&self) -> String {
        if self.resource.group.is_empty() {
            self.resource.resource.clone()
        } else {
            format!("{}.{}", self.resource.resource, self.resource.group)
        }
    }

    /// Labels of the object (or of the old object).
    pub fn labels(obj: Option<&Json>) -> Option<Labels> {
        let obj = obj?;
        let labels = obj
            .pointer("/metadata/labels")
            .and_then(Json::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        Some(labels)
    }

    /// `request` as CEL sees it (an admission.k8s.io/v1 AdmissionRequest
    /// without object and oldObject), for the matched resource.
    pub fn to_cel(&self, matched: &Gvr) -> Json {
        let mut r = json!({
            "uid": "",
            "kind": {"group": self.resource.group, "version": matched.version, "kind": self.kind},
            "resource": {"group": matched.group, "version": matched.version, "resource": matched.resource},
            "requestKind": {"group": self.resource.group, "version": self.resource.version, "kind": self.kind},
            "requestResource": {
                "group": self.resource.group,
                "version": self.resource.version,
                "resource": self.resource.resource
            },
            "operation": self.operation.as_str(),
            "userInfo": {"username": self.user.username, "groups": self.user.groups},
            "dryRun": self.dry_run,
        });
        if let Some(m) = r.as_object_mut() {
            if !self.name.is_empty() {
                m.insert("name".into(), json!(self.name));
            }
            if !self.namespace.is_empty() {
                m.insert("namespace".into(), json!(self.namespace));
            }
            if !self.subresource.is_empty() {
                m.insert("subResource".into(), json!(self.subresource));
                m.insert("requestSubResource".into(), json!(self.subresource));
            }
            if !self.user.uid.is_empty()
                && let Some(u) = m.get_mut("userInfo").and_then(Json::as_object_mut)
            {
                u.insert("uid".into(), json!(self.user.uid));
            }
        }
        r
    }

    /// Is this a request for an admission configuration object, which no
    /// policy or webhook ever sees?
    /// upstream: webhook/predicates/rules/rules.go
    /// `IsExemptAdmissionConfigurationResource`.
    pub fn is_exempt(&self) -> bool {
        self.resource.group == "admissionregistration.k8s.io"
            && matches!(
                self.kind.as_str(),
                "ValidatingWebhookConfiguration"
                    | "MutatingWebhookConfiguration"
                    | "ValidatingAdmissionPolicy"
                    | "ValidatingAdmissionPolicyBinding"
                    | "MutatingAdmissionPolicy"
                    | "MutatingAdmissionPolicyBinding"
            )
    }
}

/// The cluster state admission reads: namespaces and parameter objects.
pub struct Cluster<'a> {
    pub model: &'a ClusterModel,
}

impl Cluster<'_> {
    /// A namespace as the API server stores it: the
    /// `kubernetes.io/metadata.name` label is always there. A namespace
    /// the model lacks is taken to exist with only that label.
    pub fn namespace(&self, name: &str) -> Json {
        let found = self
            .model
            .objects
            .iter()
            .find(|o| o.id.kind == "Namespace" && o.id.api_version == "v1" && o.id.name == name)
            .map(|o| o.typed.to_json());
        let mut ns = found.unwrap_or_else(
            || json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}),
        );
        if let Some(meta) = ns.get_mut("metadata").and_then(Json::as_object_mut) {
            let labels = meta
                .entry("labels")
                .or_insert_with(|| Json::Object(Default::default()));
            if let Some(l) = labels.as_object_mut() {
                l.entry("kubernetes.io/metadata.name")
                    .or_insert_with(|| json!(name));
            }
        }
        ns
    }

    pub fn namespace_labels(&self, name: &str) -> Labels {
        Request::labels(Some(&self.namespace(name))).unwrap_or_default()
    }

    /// Objects of `api_version`/`kind`, in `namespace` when given.
    pub fn objects_of<'s>(
        &'s self,
        api_version: &'s str,
        kind: &'s str,
        namespace: Option<&'s str>,
    ) -> impl Iterator<Item = &'s Object> + 's {
        self.model.objects.iter().filter(move |o| {
            o.id.api_version == api_version
                && o.id.kind == kind
                && (namespace.is_none() || o.id.namespace.as_deref() == namespace)
        })
    }
}
