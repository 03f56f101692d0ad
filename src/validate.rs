//! "Would the API server take this?": strict decoding against the 1.36
//! schema, then the API server's own object validation for the kinds the
//! curriculum uses. Every problem is collected; nothing stops at the first.

pub mod field;
pub mod objects;
pub mod schema;
pub mod selector;

use crate::model::load::{self, FileError, Input, RawObject};
use crate::model::yaml::Limits;
use crate::model::{ClusterModel, FieldPath, Problem, ProblemCode, Typed};
use schema::{LeafChecks, SchemaCode, Walker};
use std::path::Path;

struct ApiLeafChecks;

impl LeafChecks for ApiLeafChecks {
    fn quantity(&self, text: &str) -> Result<(), String> {
        crate::engines::quantity::check(text).map_err(|e| e.to_string())
    }
}

/// Inputs loaded and judged: the objects, and every problem found.
#[derive(Debug, Default)]
pub struct Validated {
    pub objects: Vec<RawObject>,
    pub problems: Vec<Problem>,
}

impl Validated {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// The typed model of every object that decoded.
    pub fn model(&self) -> ClusterModel {
        load::build_model(&self.objects)
    }

    /// The model, moving the decoded objects instead of copying them.
    pub fn into_model(mut self) -> ClusterModel {
        let typed: Vec<Option<Typed>> = self.objects.iter_mut().map(|o| o.typed.take()).collect();
        load::into_model(self.objects.iter().zip(typed))
    }
}

/// Read files from disk and validate them. Unreadable files stop here.
pub fn validate_files(paths: &[impl AsRef<Path>]) -> Result<Validated, FileError> {
    let limits = Limits::default();
    let inputs = paths
        .iter()
        .map(|p| load::read_file(p.as_ref(), &limits))
        .collect::<Result<Vec<_>, _>>()?;
    validate_inputs(&inputs)
}

pub fn validate_inputs(inputs: &[Input]) -> Result<Validated, FileError> {
    let limits = Limits::default();
    let mut out = Validated::default();
    for input in inputs {
        let loaded = load::parse_input(input, &limits)?;
        out.objects.extend(loaded.objects);
        out.problems.extend(loaded.problems);
    }
    out.problems.extend(load::resolve_kinds(&mut out.objects));
    for o in &mut out.objects {
        let (problems, typed) = validate_object(o);
        out.problems.extend(problems);
        o.typed = typed;
    }
    dedupe(&mut out.problems);
    // Files in the order they were given, then by position.
    let order = |file: &str| inputs.iter().position(|i| i.name == file);
    out.problems.sort_by(|a, b| {
        (order(&a.file), a.line, a.column).cmp(&(order(&b.file), b.line, b.column))
    });
    Ok(out)
}

/// Schema problems first; then, if the object decoded, its object
/// validation. Returns the decoded object for the model.
pub fn validate_object(o: &RawObject) -> (Vec<Problem>, Option<Typed>) {
    let Some(info) = o.info else {
        return (Vec::new(), o.decode());
    };
    let schema = schema::schema_for(info);
    let leaf = ApiLeafChecks;
    let mut walker = Walker::new(schema, &leaf);
    walker.walk_root(o.node());
    let mut problems: Vec<Problem> = walker
        .problems
        .iter()
        .map(|p| {
            let mut pr = o.problem(
                &p.path,
                match p.code {
                    SchemaCode::UnknownField => ProblemCode::UnknownField,
                    SchemaCode::WrongType => ProblemCode::WrongType,
                    SchemaCode::Required => ProblemCode::Required,
                    SchemaCode::BadValue => ProblemCode::Invalid,
                },
                p.message.clone(),
                p.hint.clone(),
            );
            pr.line = p.pos.line;
            pr.column = p.pos.column;
            pr
        })
        .collect();
    let wrong_types: Vec<&FieldPath> = walker
        .problems
        .iter()
        .filter(|p| p.code == SchemaCode::WrongType)
        .map(|p| &p.path)
        .collect();
    let typed = if wrong_types.is_empty() {
        o.decode()
    } else {
        // Values of the wrong type cannot decode; drop them and validate
        // the rest, so one type error does not hide the object's others.
        let mut json = o.node().to_json();
        for p in wrong_types {
            remove_path(&mut json, p);
        }
        Typed::decode(&o.api_version, &o.kind, json)
            .ok()
            .map(|mut t| {
                o.default_namespace(&mut t);
                t
            })
    };
    // A value the decoder could not read, or a required field that is
    // missing, is reported once, by the schema: object validation sees the
    // typed object's default there, and would report it again in other
    // words. An object holding an unknown field (`matchLabel:`) is read
    // without it; what object validation says about that object itself (an
    // "empty" selector) follows from the typo, already reported.
    let reported: Vec<&FieldPath> = walker
        .problems
        .iter()
        .filter(|p| matches!(p.code, SchemaCode::WrongType | SchemaCode::Required))
        .map(|p| &p.path)
        .collect();
    let typo_parents: Vec<FieldPath> = walker
        .problems
        .iter()
        .filter(|p| p.code == SchemaCode::UnknownField)
        .filter_map(|p| p.path.parent())
        .collect();
    let already_reported = |e: &field::FieldError| {
        let under = |r: &FieldPath| {
            e.path.0.starts_with(&r.0) || e.at.as_ref().is_some_and(|a| a.0.starts_with(&r.0))
        };
        reported.iter().any(|r| under(r)) || typo_parents.contains(&e.path)
    };
    if let Some(t) = &typed {
        for e in objects::validate(t, info) {
            if already_reported(&e) {
                continue;
            }
            let at = e.at.clone().unwrap_or_else(|| e.path.clone());
            problems.push(o.problem(
                &at,
                ProblemCode::Invalid,
                e.to_string(),
                objects::hint_for(&e),
            ));
        }
    }
    (problems, typed)
}

/// Files loaded as written (see [`model_as_written`]): the model, the
/// problems that stop a command (unparseable YAML, documents that are not
/// objects, objects that cannot be decoded at all) and the ones it only
/// mentions (duplicate keys, kinds 1.36 does not serve).
#[derive(Debug, Default)]
pub struct AsWritten {
    pub model: ClusterModel,
    pub fatal: Vec<Problem>,
    pub notes: Vec<Problem>,
}

pub fn load_as_written(inputs: &[Input]) -> Result<AsWritten, FileError> {
    let limits = Limits::default();
    let mut out = AsWritten::default();
    let mut objects = Vec::new();
    for input in inputs {
        let loaded = load::parse_input(input, &limits)?;
        objects.extend(loaded.objects);
        for p in loaded.problems {
            if p.code == ProblemCode::DuplicateKey {
                out.notes.push(p);
            } else {
                out.fatal.push(p);
            }
        }
    }
    out.notes.extend(load::resolve_kinds(&mut objects));
    let (model, failed) = model_as_written(&objects);
    out.model = model;
    for (i, reason) in failed {
        let o = &objects[i];
        out.fatal.push(o.problem(
            &FieldPath::root(),
            ProblemCode::WrongType,
            format!("cannot read this {} at all: {reason}", o.kind),
            Some("run `kubedojo validate -f` on the file for every problem".into()),
        ));
    }
    Ok(out)
}

/// Decode objects as written, for engines that judge what the API server's
/// admission plugins would see even where its validation would object
/// (`podsec` evaluates pods exactly as written). Values of the wrong type
/// are dropped and missing required fields get Go's zero value, as a Go
/// decoder leaves them. Returns the model and the objects that still could
/// not be decoded, with the reason.
pub fn model_as_written(objects: &[RawObject]) -> (ClusterModel, Vec<(usize, String)>) {
    let mut model = ClusterModel::new();
    let mut failed = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        let Some(info) = o.info else {
            continue;
        };
        let schema = schema::schema_for(info);
        let leaf = ApiLeafChecks;
        let mut walker = Walker::new(schema, &leaf);
        walker.walk_root(o.node());
        let mut json = o.node().to_json();
        for p in walker
            .problems
            .iter()
            .filter(|p| p.code == SchemaCode::WrongType)
        {
            remove_path(&mut json, &p.path);
        }
        schema::fill_zero_values(schema, &schema.root, &mut json);
        let id = o.id();
        if let (Some(ns), Some(meta)) = (
            &id.namespace,
            json.get_mut("metadata").and_then(|m| m.as_object_mut()),
        ) {
            meta.entry("namespace")
                .or_insert_with(|| serde_json::Value::String(ns.clone()));
        }
        match Typed::decode(&o.api_version, &o.kind, json) {
            Ok(typed) => model.push(crate::model::Object {
                id,
                typed,
                origin: Some(o.origin.clone()),
            }),
            Err(e) => failed.push((i, e.to_string())),
        }
    }
    (model, failed)
}

fn remove_path(json: &mut serde_json::Value, path: &FieldPath) {
    use crate::model::path::Seg;
    let Some((last, parents)) = path.0.split_last() else {
        return;
    };
    let mut cur = json;
    for seg in parents {
        let next = match seg {
            Seg::Field(f) | Seg::Key(f) => cur.get_mut(f.as_str()),
            Seg::Index(i) => cur.get_mut(*i),
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    match (last, cur) {
        (Seg::Field(f) | Seg::Key(f), serde_json::Value::Object(m)) => {
            m.remove(f.as_str());
        }
        (Seg::Index(i), serde_json::Value::Array(a)) if *i < a.len() => {
            a[*i] = serde_json::Value::Null
        }
        _ => {}
    }
}

/// Schema and object validation can both report a missing field; keep one.
fn dedupe(problems: &mut Vec<Problem>) {
    let mut seen = std::collections::HashSet::new();
    problems.retain(|p| seen.insert((p.file.clone(), p.object.clone(), p.message.clone())));
}
