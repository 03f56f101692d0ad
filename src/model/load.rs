//! Files to objects: read (with a size cap), parse, split documents, expand
//! `kind: List`, and resolve each apiVersion/kind against what 1.36 serves.
//! Typed decoding into the [`ClusterModel`] happens after validation.

use super::cluster::{ClusterModel, Object, Typed};
use super::kinds::{self, KindInfo, Served};
use super::node::{Node, Value};
use super::object::{ObjectRef, Origin};
use super::path::FieldPath;
use super::problem::{Problem, ProblemCode};
use super::yaml::{self, Limits, ReadError, YamlProblemKind};
use std::path::Path;
use std::sync::Arc;

/// A file that cannot be read at all: the command stops with exit 2.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path}: no such file")]
    Missing { path: String },
    #[error("{path}: is a directory; give the YAML files inside it")]
    Directory { path: String },
    #[error("{path}: cannot read: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: {error}")]
    Unreadable { path: String, error: ReadError },
}

/// One input: a display name (the path as the user gave it) and its bytes.
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Input {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Input {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

pub fn read_file(path: &Path, limits: &Limits) -> Result<Input, FileError> {
    let name = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(FileError::Missing { path: name });
        }
        Err(e) => {
            return Err(FileError::Io {
                path: name,
                reason: e.to_string(),
            });
        }
    };
    if meta.is_dir() {
        return Err(FileError::Directory { path: name });
    }
    // Check the size before reading, so a huge file costs nothing.
    if meta.len() > limits.max_bytes as u64 {
        return Err(FileError::Unreadable {
            path: name,
            error: ReadError::TooLarge {
                size: meta.len(),
                max: limits.max_bytes,
            },
        });
    }
    let bytes = std::fs::read(path).map_err(|e| FileError::Io {
        path: name.clone(),
        reason: e.to_string(),
    })?;
    Ok(Input { name, bytes })
}

/// An object as written, before typed decoding.
#[derive(Debug)]
pub struct RawObject {
    pub api_version: String,
    pub kind: String,
    /// Set once the kind is resolved; None for custom resources.
    pub info: Option<&'static KindInfo>,
    pub origin: Arc<Origin>,
    /// The decoded object, once validation has decoded it.
    pub typed: Option<Typed>,
}

impl RawObject {
    pub fn node(&self) -> &Node {
        self.origin.node()
    }

    pub fn name(&self) -> Option<&str> {
        self.node().get("metadata")?.get_str("name")
    }

    pub fn namespace(&self) -> Option<&str> {
        self.node().get("metadata")?.get_str("namespace")
    }

    /// `Kind/NS/NAME`, with the namespace a namespaced object gets by
    /// default (`default`, as `kubectl apply` without `-n` does).
    pub fn id(&self) -> ObjectRef {
        let namespaced = self.info.is_none_or(|i| i.namespaced);
        ObjectRef {
            api_version: self.api_version.clone(),
            kind: self.kind.clone(),
            namespace: if namespaced {
                Some(self.namespace().unwrap_or("default").to_string())
            } else {
                None
            },
            name: self.name().unwrap_or("").to_string(),
        }
    }

    pub fn problem(
        &self,
        path: &FieldPath,
        code: ProblemCode,
        message: String,
        hint: Option<String>,
    ) -> Problem {
        let loc = if matches!(code, ProblemCode::WrongType | ProblemCode::Invalid) {
            self.origin.locate_value(path)
        } else {
            self.origin.locate(path)
        };
        let mut full_path = self.origin.base.clone();
        full_path.0.extend(path.0.iter().cloned());
        Problem {
            file: loc.file,
            line: loc.line,
            column: loc.column,
            object: Some(self.id().to_string()),
            path: (!path.is_root()).then(|| path.to_string()),
            code,
            message,
            hint,
        }
    }
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub objects: Vec<RawObject>,
    pub problems: Vec<Problem>,
}

/// Parse one input into raw objects. Only unreadable input is an error;
/// everything else is a problem and parsing goes on.
pub fn parse_input(input: &Input, limits: &Limits) -> Result<Loaded, FileError> {
    let unreadable = |error| FileError::Unreadable {
        path: input.name.clone(),
        error,
    };
    let text = yaml::decode(&input.bytes, limits).map_err(unreadable)?;
    let parsed = yaml::parse(text, limits).map_err(unreadable)?;
    let file: Arc<str> = Arc::from(input.name.as_str());
    let mut out = Loaded::default();
    for p in parsed.problems {
        out.problems.push(Problem {
            file: input.name.clone(),
            line: p.pos.line,
            column: p.pos.column,
            object: None,
            path: None,
            code: match p.kind {
                YamlProblemKind::Syntax => ProblemCode::Syntax,
                YamlProblemKind::DuplicateKey => ProblemCode::DuplicateKey,
                YamlProblemKind::BadKey => ProblemCode::BadKey,
            },
            message: p.message,
            hint: p.hint,
        });
    }
    if parsed.documents.is_empty() && out.problems.is_empty() {
        out.problems.push(Problem {
            file: input.name.clone(),
            line: 1,
            column: 1,
            object: None,
            path: None,
            code: ProblemCode::Empty,
            message: "no Kubernetes objects in this file (it is empty or holds only comments)"
                .into(),
            hint: Some("write at least one object with apiVersion, kind and metadata".into()),
        });
    }
    for doc in parsed.documents {
        let doc = Arc::new(doc.root);
        collect(&file, &doc, FieldPath::root(), &mut out, 0);
    }
    Ok(out)
}

fn collect(file: &Arc<str>, doc: &Arc<Node>, base: FieldPath, out: &mut Loaded, depth: usize) {
    let origin = Arc::new(Origin {
        file: file.clone(),
        doc: doc.clone(),
        base,
    });
    let node = origin.node();
    let pos = node.pos;
    let problem = |code, message: String, hint: Option<&str>| Problem {
        file: file.to_string(),
        line: pos.line,
        column: pos.column,
        object: None,
        path: (!origin.base.is_root()).then(|| origin.base.to_string()),
        code,
        message,
        hint: hint.map(str::to_string),
    };
    if !matches!(node.value, Value::Map(_)) {
        out.problems.push(problem(
            ProblemCode::NotAnObject,
            "this document is not a Kubernetes object: expected a mapping with apiVersion and kind"
                .into(),
            Some("a manifest starts with `apiVersion:` and `kind:` at the left margin"),
        ));
        return;
    }
    let api_version = node.get_str("apiVersion");
    let kind = node.get_str("kind");
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        let mut missing = Vec::new();
        if api_version.is_none() {
            missing.push("apiVersion not set");
        }
        if kind.is_none() {
            missing.push("kind not set");
        }
        out.problems.push(problem(
            ProblemCode::MissingTypeInfo,
            missing.join(", "),
            Some("every object needs `apiVersion:` and `kind:` (for example `apiVersion: v1` and `kind: Pod`)"),
        ));
        return;
    };
    if is_list(api_version, kind, node) && depth < 4 {
        if let Some(Value::Seq(items)) = node.get("items").map(|n| &n.value) {
            for i in 0..items.len() {
                let mut p = origin.base.clone();
                p.0.push(super::path::Seg::Field("items".into()));
                p.0.push(super::path::Seg::Index(i));
                collect(file, doc, p, out, depth + 1);
            }
        }
        return;
    }
    out.objects.push(RawObject {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        info: None,
        origin,
        typed: None,
    });
}

/// `kind: List` (what `kubectl get -o yaml` prints for several objects) and
/// typed lists such as `PodList`, which kubectl also accepts.
fn is_list(api_version: &str, kind: &str, node: &Node) -> bool {
    if api_version == "v1" && kind == "List" {
        return true;
    }
    kind.strip_suffix("List")
        .is_some_and(|k| kinds::find(api_version, k).is_some() && node.get("items").is_some())
}

/// Resolve every object's kind. Custom resources are accepted when a
/// CustomResourceDefinition among the objects serves their group, version
/// and kind, as the API server would once the CRD exists.
pub fn resolve_kinds(objects: &mut [RawObject]) -> Vec<Problem> {
    let crds: Vec<(String, String, String)> = objects
        .iter()
        .filter(|o| {
            o.api_version == "apiextensions.k8s.io/v1" && o.kind == "CustomResourceDefinition"
        })
        .flat_map(|o| crd_served(o.node()))
        .collect();
    let mut problems = Vec::new();
    for o in objects.iter_mut() {
        match kinds::find(&o.api_version, &o.kind) {
            Some(info) => {
                o.info = Some(info);
                if info.served == Served::OnlyIfEnabled {
                    let ga = kinds::preferred(info.group, info.kind)
                        .map(|g| format!("use {}", g.api_version))
                        .unwrap_or_else(|| {
                            "enable it with the API server's --runtime-config".into()
                        });
                    problems.push(o.problem(
                        &FieldPath::root().field("apiVersion"),
                        ProblemCode::NotServed,
                        format!(
                            "{} {} is not served by a default Kubernetes 1.36 API server (pre-release APIs are off unless the cluster enables them)",
                            o.api_version, o.kind
                        ),
                        Some(ga),
                    ));
                }
            }
            None => {
                let (group, version) = kinds::split_api_version(&o.api_version);
                if crds
                    .iter()
                    .any(|(g, v, k)| g == group && v == version && k == &o.kind)
                {
                    continue;
                }
                let (message, hint) = unknown_kind_message(&o.api_version, &o.kind);
                // A kind that some version serves, or that an older release
                // served (a removed API such as policy/v1beta1
                // PodSecurityPolicy), is a version problem, not a typo.
                let known = kinds::versions_of(&o.kind).next().is_some()
                    || kinds::removed_in(&o.api_version, &o.kind).is_some();
                let path = FieldPath::root().field(if known { "apiVersion" } else { "kind" });
                let code = if known {
                    ProblemCode::NotServed
                } else {
                    ProblemCode::UnknownKind
                };
                problems.push(o.problem(&path, code, message, hint));
            }
        }
    }
    problems
}

fn unknown_kind_message(api_version: &str, kind: &str) -> (String, Option<String>) {
    if kind == "PodSecurityPolicy" {
        return (
            format!("{api_version} PodSecurityPolicy was removed in Kubernetes 1.25"),
            Some("use Pod Security Admission: label the namespace pod-security.kubernetes.io/enforce=baseline or restricted".into()),
        );
    }
    let current: Vec<&str> = kinds::versions_of(kind)
        .filter(|k| k.served == Served::Yes)
        .map(|k| k.api_version)
        .collect();
    let use_hint =
        (!current.is_empty()).then(|| format!("use apiVersion: {}", current.join(" or ")));
    if let Some(release) = kinds::removed_in(api_version, kind) {
        return (
            format!(
                "{api_version} {kind} was removed in Kubernetes {release}; a 1.36 API server does not serve it"
            ),
            use_hint,
        );
    }
    if !current.is_empty() {
        return (
            format!("Kubernetes 1.36 does not serve {kind} in {api_version}"),
            use_hint,
        );
    }
    let near = super::kinds::KINDS
        .iter()
        .map(|k| k.kind)
        .find(|k| k.eq_ignore_ascii_case(kind) || strsim::jaro_winkler(k, kind) > 0.92);
    let hint = match near {
        Some(k) => format!("did you mean kind: {k}? Kinds are case-sensitive"),
        None => "a custom resource needs its CustomResourceDefinition among the files".into(),
    };
    (
        format!("no kind \"{kind}\" is registered for version \"{api_version}\""),
        Some(hint),
    )
}

/// (group, version, kind) triples a CRD document serves.
fn crd_served(node: &Node) -> Vec<(String, String, String)> {
    let Some(spec) = node.get("spec") else {
        return Vec::new();
    };
    let (Some(group), Some(kind)) = (
        spec.get_str("group"),
        spec.get("names").and_then(|n| n.get_str("kind")),
    ) else {
        return Vec::new();
    };
    let Some(Value::Seq(versions)) = spec.get("versions").map(|v| &v.value) else {
        return Vec::new();
    };
    versions
        .iter()
        .filter_map(|v| v.get_str("name"))
        .map(|v| (group.to_string(), v.to_string(), kind.to_string()))
        .collect()
}

impl RawObject {
    /// Decode the object, with the namespace `kubectl apply` would give a
    /// namespaced object that names none, so engines never see it missing.
    pub fn decode(&self) -> Option<Typed> {
        let mut typed = Typed::from_node(&self.api_version, &self.kind, self.node()).ok()?;
        self.default_namespace(&mut typed);
        Some(typed)
    }

    pub fn default_namespace(&self, typed: &mut Typed) {
        if self.info.is_some_and(|i| i.namespaced)
            && let Some(meta) = typed.metadata_mut()
        {
            meta.namespace.get_or_insert_with(|| "default".to_string());
        }
    }
}

/// Decode objects into a typed model, reusing what validation decoded.
/// Objects that fail to decode were already reported; they are left out.
pub fn build_model(objects: &[RawObject]) -> ClusterModel {
    into_model(objects.iter().map(|o| (o, o.typed.clone())))
}

pub fn into_model<'a>(
    objects: impl Iterator<Item = (&'a RawObject, Option<Typed>)>,
) -> ClusterModel {
    let mut model = ClusterModel::new();
    for (o, typed) in objects {
        let Some(typed) = typed.or_else(|| o.decode()) else {
            continue;
        };
        model.push(Object {
            id: o.id(),
            typed,
            origin: Some(o.origin.clone()),
        });
    }
    model
}
