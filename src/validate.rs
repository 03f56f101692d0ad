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
    for o in &out.objects {
        out.problems.extend(validate_object(o));
    }
    dedupe(&mut out.problems);
    out.problems
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Ok(out)
}

/// Schema problems first; then, if the object decoded, its object
/// validation.
pub fn validate_object(o: &RawObject) -> Vec<Problem> {
    let Some(info) = o.info else {
        return Vec::new();
    };
    let schema = schema::schema_for(info);
    let leaf = ApiLeafChecks;
    let mut walker = Walker::new(schema, &leaf);
    walker.walk_root(o.node(), &FieldPath::root());
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
    // Values of the wrong type cannot decode; drop them and validate the
    // rest, so one type error does not hide the object's other problems.
    let mut json = o.node().to_json();
    for p in walker
        .problems
        .iter()
        .filter(|p| p.code == SchemaCode::WrongType)
    {
        remove_path(&mut json, &p.path);
    }
    {
        if let Some(meta) = json.get_mut("metadata").and_then(|m| m.as_object_mut())
            && info.namespaced
            && !meta.contains_key("namespace")
        {
            meta.insert("namespace".into(), "default".into());
        }
        if let Ok(typed) = Typed::decode(&o.api_version, &o.kind, json) {
            for e in objects::validate(&typed, info) {
                let at = e.at.clone().unwrap_or_else(|| e.path.clone());
                problems.push(o.problem(
                    &at,
                    ProblemCode::Invalid,
                    e.to_string(),
                    objects::hint_for(&e),
                ));
            }
        }
    }
    problems
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
