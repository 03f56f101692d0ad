//! Strict decoding as the API server does it, over the source tree: unknown
//! fields, wrong JSON types, bad base64, timestamps and quantities, and
//! fields the schema requires. Every problem is reported, not just the first.
//!
//! The schema is k8s-openapi's v1.36 OpenAPI description (its `schemars`
//! output), compacted once per kind on first use.

use crate::model::kinds::KindInfo;
use crate::model::node::{Node, Pos, Resolved, Value};
use crate::model::path::FieldPath;
use k8s_openapi::schemars::generate::SchemaSettings;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Ref(usize),
    Arr(Box<Ty>),
    Map(Box<Ty>),
    Str(StrFormat),
    Int(u8),
    Num,
    Bool,
    IntOrStr,
    Quantity,
    Any,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrFormat {
    Plain,
    Byte,
    DateTime,
}

#[derive(Debug)]
pub struct ObjDef {
    pub name: String,
    /// Sorted by name.
    pub props: Vec<(String, Ty)>,
    pub required: Vec<String>,
}

impl ObjDef {
    pub fn prop(&self, name: &str) -> Option<&Ty> {
        self.props
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| &self.props[i].1)
    }

    /// The Go type name, as the decoder's errors print it (`EnvVar`).
    pub fn go_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }
}

#[derive(Debug)]
enum Def {
    Obj(ObjDef),
    Alias(Ty),
}

#[derive(Debug)]
pub struct KindSchema {
    defs: Vec<Def>,
    pub root: Ty,
}

impl KindSchema {
    fn resolve<'a>(&'a self, ty: &'a Ty) -> Resolve<'a> {
        let mut ty = ty;
        loop {
            match ty {
                Ty::Ref(i) => match &self.defs[*i] {
                    Def::Obj(o) => return Resolve::Obj(o),
                    Def::Alias(t) => ty = t,
                },
                other => return Resolve::Leaf(other),
            }
        }
    }

    pub fn object<'a>(&'a self, ty: &'a Ty) -> Option<&'a ObjDef> {
        match self.resolve(ty) {
            Resolve::Obj(o) => Some(o),
            Resolve::Leaf(_) => None,
        }
    }
}

enum Resolve<'a> {
    Obj(&'a ObjDef),
    Leaf(&'a Ty),
}

/// The compact schema of a kind, built the first time it is needed.
pub fn schema_for(info: &'static KindInfo) -> &'static KindSchema {
    static CACHE: OnceLock<Vec<OnceLock<KindSchema>>> = OnceLock::new();
    let kinds = crate::model::kinds::KINDS;
    let cache = CACHE.get_or_init(|| kinds.iter().map(|_| OnceLock::new()).collect());
    let idx = kinds
        .iter()
        .position(|k| std::ptr::eq(k, info))
        .unwrap_or_default();
    cache[idx].get_or_init(|| build(info))
}

fn build(info: &KindInfo) -> KindSchema {
    let mut generator = SchemaSettings::openapi3().into_generator();
    let root = (info.schema)(&mut generator);
    let defs: Map<String, Json> = generator.take_definitions(true).into_iter().collect();
    let mut b = SchemaBuilder {
        defs: &defs,
        out: Vec::new(),
        index: HashMap::new(),
    };
    let root = b.convert(root.as_value());
    KindSchema { defs: b.out, root }
}

struct SchemaBuilder<'a> {
    defs: &'a Map<String, Json>,
    out: Vec<Def>,
    index: HashMap<String, usize>,
}

impl SchemaBuilder<'_> {
    fn named(&mut self, name: &str) -> Ty {
        match name {
            "io.k8s.apimachinery.pkg.api.resource.Quantity" => return Ty::Quantity,
            "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => return Ty::IntOrStr,
            "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
            | "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => {
                return Ty::Str(StrFormat::DateTime);
            }
            "io.k8s.apimachinery.pkg.runtime.RawExtension"
            | "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"
            | "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON"
            | "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray"
            | "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool"
            | "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray" =>
            {
                return Ty::Any;
            }
            _ => {}
        }
        if let Some(&i) = self.index.get(name) {
            return Ty::Ref(i);
        }
        let i = self.out.len();
        self.index.insert(name.to_string(), i);
        self.out.push(Def::Alias(Ty::Any));
        // `defs` outlives the builder, so reading it does not borrow `self`.
        let defs = self.defs;
        let Some(def) = defs.get(name) else {
            return Ty::Any;
        };
        match self.object(name, def) {
            Some(obj) => self.out[i] = Def::Obj(obj),
            None => {
                let t = self.convert(def);
                self.out[i] = Def::Alias(t);
            }
        }
        Ty::Ref(i)
    }

    fn object(&mut self, name: &str, v: &Json) -> Option<ObjDef> {
        let props = v.get("properties")?.as_object()?;
        let mut out: Vec<(String, Ty)> = props
            .iter()
            .map(|(k, p)| (k.clone(), self.convert(p)))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        let required = v
            .get("required")
            .and_then(Json::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Some(ObjDef {
            name: name.to_string(),
            props: out,
            required,
        })
    }

    fn convert(&mut self, v: &Json) -> Ty {
        if let Some(r) = v.get("$ref").and_then(Json::as_str) {
            let name = r.rsplit('/').next().unwrap_or(r);
            return self.named(name);
        }
        if let Some(all) = v.get("allOf").and_then(Json::as_array)
            && let Some(first) = all.first()
        {
            return self.convert(first);
        }
        if v.get("x-kubernetes-int-or-string").and_then(Json::as_bool) == Some(true) {
            return Ty::IntOrStr;
        }
        let format = v.get("format").and_then(Json::as_str);
        match v.get("type").and_then(Json::as_str) {
            Some("string") => Ty::Str(match format {
                Some("byte") => StrFormat::Byte,
                Some("date-time") => StrFormat::DateTime,
                _ => StrFormat::Plain,
            }),
            Some("integer") => Ty::Int(if format == Some("int32") { 32 } else { 64 }),
            Some("number") => Ty::Num,
            Some("boolean") => Ty::Bool,
            Some("array") => Ty::Arr(Box::new(
                v.get("items").map_or(Ty::Any, |i| self.convert(i)),
            )),
            _ => {
                if v.get("properties").is_some() {
                    let i = self.out.len();
                    self.out.push(Def::Alias(Ty::Any));
                    if let Some(obj) = self.object("object", v) {
                        self.out[i] = Def::Obj(obj);
                    }
                    Ty::Ref(i)
                } else if let Some(ap) = v.get("additionalProperties") {
                    if ap.is_object() {
                        Ty::Map(Box::new(self.convert(ap)))
                    } else {
                        Ty::Any
                    }
                } else {
                    Ty::Any
                }
            }
        }
    }
}

/// A schema problem at a position in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaProblem {
    pub pos: Pos,
    pub path: FieldPath,
    pub code: SchemaCode,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaCode {
    UnknownField,
    WrongType,
    Required,
    BadValue,
}

/// Hooks for leaf values whose syntax the decoder itself checks.
pub trait LeafChecks {
    /// `Err(message)` when `text` is not a valid quantity.
    fn quantity(&self, text: &str) -> Result<(), String>;
}

/// One step of the path being walked, borrowed from the tree so walking
/// allocates nothing until a problem is found.
#[derive(Clone, Copy)]
enum Step<'a> {
    Field(&'a str),
    Index(usize),
    Key(&'a str),
}

pub struct Walker<'a> {
    schema: &'a KindSchema,
    leaf: &'a dyn LeafChecks,
    pub problems: Vec<SchemaProblem>,
    stack: Vec<Step<'a>>,
    /// Enclosing objects and the path depth at which each starts, to tell a
    /// mis-indented field where it belongs.
    parents: Vec<(&'a ObjDef, usize)>,
}

impl<'a> Walker<'a> {
    pub fn new(schema: &'a KindSchema, leaf: &'a dyn LeafChecks) -> Self {
        Walker {
            schema,
            leaf,
            problems: Vec::new(),
            stack: Vec::with_capacity(16),
            parents: Vec::with_capacity(8),
        }
    }

    /// Walk a whole object against its kind's root type.
    pub fn walk_root(&mut self, node: &'a Node) {
        let schema = self.schema;
        self.walk(node, &schema.root, None);
    }

    fn path_to(&self, depth: usize) -> FieldPath {
        FieldPath(
            self.stack[..depth]
                .iter()
                .map(|s| match s {
                    Step::Field(f) => crate::model::path::Seg::Field((*f).to_string()),
                    Step::Index(i) => crate::model::path::Seg::Index(*i),
                    Step::Key(k) => crate::model::path::Seg::Key((*k).to_string()),
                })
                .collect(),
        )
    }

    fn path(&self) -> FieldPath {
        self.path_to(self.stack.len())
    }

    fn push(
        &mut self,
        pos: Pos,
        path: FieldPath,
        code: SchemaCode,
        message: String,
        hint: Option<String>,
    ) {
        self.problems.push(SchemaProblem {
            pos,
            path,
            code,
            message,
            hint,
        });
    }

    fn walk(&mut self, node: &'a Node, ty: &'a Ty, owner: Option<&'a ObjDef>) {
        if node.is_null() {
            return;
        }
        let schema = self.schema;
        match schema.resolve(ty) {
            Resolve::Obj(obj) => {
                let Value::Map(entries) = &node.value else {
                    self.type_error(node, "an object (a mapping of fields)", owner);
                    return;
                };
                self.parents.push((obj, self.stack.len()));
                for e in entries {
                    self.stack.push(Step::Field(&e.key));
                    match obj.prop(&e.key) {
                        Some(t) => self.walk(&e.value, t, Some(obj)),
                        None => {
                            let hint = self.unknown_hint(&e.key, obj);
                            let child = self.path();
                            self.push(
                                e.key_pos,
                                child.clone(),
                                SchemaCode::UnknownField,
                                format!("unknown field \"{child}\""),
                                hint,
                            );
                        }
                    }
                    self.stack.pop();
                }
                self.parents.pop();
                for req in &obj.required {
                    let present = entries.iter().any(|e| e.key == req && !e.value.is_null());
                    if !present && !is_server_defaulted(obj, req) {
                        let p = self.path().field(req);
                        self.push(
                            node.pos,
                            p.clone(),
                            SchemaCode::Required,
                            format!("{p}: Required value"),
                            Some(format!("add `{req}:` here; {} requires it", obj.go_name())),
                        );
                    }
                }
            }
            Resolve::Leaf(leaf) => match leaf {
                Ty::Any | Ty::Ref(_) => {}
                Ty::Arr(item) => {
                    let Value::Seq(items) = &node.value else {
                        self.type_error(node, "a list", owner);
                        return;
                    };
                    for (i, it) in items.iter().enumerate() {
                        self.stack.push(Step::Index(i));
                        self.walk(it, item, owner);
                        self.stack.pop();
                    }
                }
                Ty::Map(val) => {
                    let Value::Map(entries) = &node.value else {
                        self.type_error(node, "a mapping", owner);
                        return;
                    };
                    for e in entries {
                        self.stack.push(Step::Key(&e.key));
                        self.walk(&e.value, val, owner);
                        self.stack.pop();
                    }
                }
                Ty::Str(format) => self.string(node, *format, owner),
                Ty::Int(bits) => self.integer(node, *bits, owner),
                Ty::Num => match scalar(node) {
                    Some(Resolved::Int(_) | Resolved::Float(_)) => {}
                    _ => self.type_error(node, "a number", owner),
                },
                Ty::Bool => match scalar(node) {
                    Some(Resolved::Bool(_)) => {}
                    _ => self.type_error(node, "a boolean (true or false)", owner),
                },
                Ty::IntOrStr => match scalar(node) {
                    Some(Resolved::Str(_)) => {}
                    Some(Resolved::Int(i)) if i32::try_from(i).is_ok() => {}
                    Some(Resolved::Float(f)) if f.fract() == 0.0 && f.abs() <= i32::MAX as f64 => {}
                    _ => self.type_error(node, "an integer or a string", owner),
                },
                Ty::Quantity => self.quantity(node, owner),
            },
        }
    }

    fn string(&mut self, node: &Node, format: StrFormat, owner: Option<&ObjDef>) {
        let Some(Resolved::Str(text)) = scalar(node) else {
            self.type_error(node, "a string", owner);
            return;
        };
        match format {
            StrFormat::Plain => {}
            StrFormat::Byte => {
                if let Err(at) = check_base64(text) {
                    let path = self.path();
                    self.push(
                        node.pos,
                        path.clone(),
                        SchemaCode::BadValue,
                        format!("{path}: illegal base64 data at input byte {at}"),
                        Some(
                            "this field holds base64; encode the value (`echo -n value | base64`) or, in a Secret, put plain text under `stringData` instead of `data`"
                                .into(),
                        ),
                    );
                }
            }
            StrFormat::DateTime => {
                if !is_rfc3339(text) {
                    let path = self.path();
                    self.push(
                        node.pos,
                        path.clone(),
                        SchemaCode::BadValue,
                        format!("{path}: \"{text}\" is not an RFC 3339 time"),
                        Some("write times like 2026-01-31T12:00:00Z".into()),
                    );
                }
            }
        }
    }

    fn integer(&mut self, node: &Node, bits: u8, owner: Option<&ObjDef>) {
        let (min, max) = if bits == 32 {
            (i32::MIN as i128, i32::MAX as i128)
        } else {
            (i64::MIN as i128, i64::MAX as i128)
        };
        match scalar(node) {
            Some(Resolved::Int(i)) if (min..=max).contains(&i) => {}
            Some(Resolved::Float(f))
                if f.fract() == 0.0 && (min as f64..=max as f64).contains(&f) => {}
            Some(Resolved::Int(i)) => {
                let path = self.path();
                self.push(
                    node.pos,
                    path.clone(),
                    SchemaCode::WrongType,
                    format!("{path}: {i} does not fit in a {bits}-bit integer"),
                    None,
                )
            }
            _ => self.type_error(node, "an integer", owner),
        }
    }

    fn quantity(&mut self, node: &Node, owner: Option<&ObjDef>) {
        let text: std::borrow::Cow<'_, str> = match &node.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Str(t) => t.into(),
                Resolved::Int(i) => i.to_string().into(),
                // The decoder sees the number kubectl printed; the source
                // text is what the learner wrote and reads the same.
                Resolved::Float(_) | Resolved::Bool(_) | Resolved::Null => s.text.as_str().into(),
            },
            _ => {
                self.type_error(node, "a quantity such as 500m or 1Gi", owner);
                return;
            }
        };
        if let Err(msg) = self.leaf.quantity(text.trim()) {
            let path = self.path();
            self.push(
                node.pos,
                path.clone(),
                SchemaCode::BadValue,
                format!("{path}: {msg}"),
                Some("quantities look like 500m, 2, 1.5, 128Mi or 1Gi (no space, suffix case matters)".into()),
            );
        }
    }

    fn type_error(&mut self, node: &Node, want: &str, owner: Option<&ObjDef>) {
        let (got, hint) = describe(node, want);
        let path = self.path();
        let go_field = match (owner, path.0.last()) {
            (Some(o), Some(crate::model::path::Seg::Field(f))) => {
                format!(" (Go struct field {}.{f})", o.go_name())
            }
            _ => String::new(),
        };
        self.push(
            node.pos,
            path.clone(),
            SchemaCode::WrongType,
            format!("{path}: expected {want}, got {got}{go_field}"),
            hint,
        );
    }

    /// `obj` is the object being walked; `self.parents` ends with it.
    fn unknown_hint(&self, key: &str, obj: &ObjDef) -> Option<String> {
        if let Some(best) = did_you_mean(key, obj.props.iter().map(|(n, _)| n.as_str())) {
            return Some(format!("did you mean \"{best}\"?"));
        }
        let enclosing = &self.parents[..self.parents.len().saturating_sub(1)];
        // Indented too far: the field belongs to an enclosing object.
        for (parent, depth) in enclosing.iter().rev() {
            if parent.prop(key).is_some() {
                let at = if *depth == 0 {
                    "the top level".to_string()
                } else {
                    format!("`{}`", self.path_to(*depth))
                };
                return Some(format!(
                    "`{key}` is a field of {at}: check its indentation (it is indented too far)"
                ));
            }
        }
        // Not indented enough: the field belongs to one of this object's children.
        if let Some(name) = self.child_with(obj, key) {
            return Some(format!(
                "`{key}` belongs inside `{name}`: check its indentation (it is not indented enough)"
            ));
        }
        // In the wrong section: it belongs to a child of an enclosing object.
        for (parent, depth) in enclosing.iter().rev() {
            if let Some(name) = self.child_with(parent, key) {
                let at = if *depth == 0 {
                    name.to_string()
                } else {
                    format!("{}.{name}", self.path_to(*depth))
                };
                return Some(format!("`{key}` is a field of `{at}`, not of this section"));
            }
        }
        None
    }

    fn child_with<'o>(&self, obj: &'o ObjDef, key: &str) -> Option<&'o str> {
        obj.props.iter().find_map(|(name, ty)| {
            let inner = match ty {
                Ty::Arr(item) => self.schema.object(item),
                other => self.schema.object(other),
            };
            inner
                .is_some_and(|o| o.prop(key).is_some())
                .then_some(name.as_str())
        })
    }
}

fn scalar(node: &Node) -> Option<Resolved<'_>> {
    node.scalar().map(|s| s.resolve())
}

/// What the node is, in words, and how to fix the classic YAML 1.1 traps.
fn describe(node: &Node, want: &str) -> (String, Option<String>) {
    let Value::Scalar(s) = &node.value else {
        let got = if matches!(node.value, Value::Seq(_)) {
            "a list"
        } else {
            "a mapping"
        };
        return (
            got.to_string(),
            Some("check the indentation and the `-` list markers here".into()),
        );
    };
    let wants_string = want == "a string";
    match s.resolve() {
        Resolved::Bool(b) if wants_string => (
            format!("the boolean {b} (from unquoted `{}`)", s.text),
            Some(format!(
                "quote it: \"{}\". kubectl reads YAML 1.1, where unquoted yes/no/on/off/y/n/true/false are booleans, and the API server rejects a boolean here",
                s.text
            )),
        ),
        Resolved::Int(_) | Resolved::Float(_) if wants_string => (
            format!("the number {}", s.text),
            Some(format!(
                "quote it: \"{}\". Unquoted, kubectl sends a number and the API server rejects it (json: cannot unmarshal number into a string field)",
                s.text
            )),
        ),
        Resolved::Bool(b) => (format!("the boolean {b}"), None),
        Resolved::Int(_) | Resolved::Float(_) => (format!("the number {}", s.text), None),
        Resolved::Str(t) => {
            let numeric_wanted = (want.contains("integer") || want.contains("number"))
                && t.trim().parse::<f64>().is_ok();
            let bool_wanted = want.contains("boolean") && matches!(t, "true" | "false");
            let hint = (numeric_wanted || bool_wanted).then(|| format!("remove the quotes: {t}"));
            (format!("the string \"{t}\""), hint)
        }
        Resolved::Null => ("null".into(), None),
    }
}

/// Go's `encoding/base64.StdEncoding` (what `[]byte` fields decode with).
/// Returns the offset of the first bad byte.
fn check_base64(s: &str) -> Result<(), usize> {
    let b = s.as_bytes();
    // Go's decoder skips \r and \n anywhere.
    let clean: Vec<(usize, u8)> = b
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, c)| *c != b'\n' && *c != b'\r')
        .collect();
    let mut pad = 0;
    for (n, &(i, c)) in clean.iter().enumerate() {
        match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' if pad == 0 => {}
            b'=' if n % 4 >= 2 => pad += 1,
            _ => return Err(i),
        }
    }
    if !clean.len().is_multiple_of(4) {
        // The incomplete final group is where decoding fails.
        return Err(clean[clean.len() - clean.len() % 4].0);
    }
    Ok(())
}

/// `time.RFC3339` as `metav1.Time` parses it.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return false;
    }
    if !(b[10] == b'T' || b[10] == b't')
        || !(digits(11..13) && b[13] == b':' && digits(14..16) && b[16] == b':' && digits(17..19))
    {
        return false;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Give every missing required field Go's zero value, and turn `null`
/// entries of object lists into empty objects, so an object decodes the
/// way a Go decoder would read it (used to judge objects as written).
pub fn fill_zero_values(schema: &KindSchema, ty: &Ty, json: &mut Json) {
    match schema.resolve(ty) {
        Resolve::Obj(obj) => {
            if json.is_null() {
                *json = Json::Object(Map::new());
            }
            let Json::Object(map) = json else {
                return;
            };
            for req in &obj.required {
                if !map.contains_key(req.as_str())
                    && let Some(t) = obj.prop(req)
                {
                    map.insert(req.clone(), zero_value(schema, t));
                }
            }
            for (name, value) in map.iter_mut() {
                if value.is_null() {
                    continue;
                }
                if let Some(t) = obj.prop(name) {
                    fill_zero_values(schema, t, value);
                }
            }
        }
        Resolve::Leaf(Ty::Arr(inner)) => {
            if let Json::Array(items) = json {
                for item in items {
                    fill_zero_values(schema, inner, item);
                }
            }
        }
        Resolve::Leaf(Ty::Map(inner)) => {
            if let Json::Object(map) = json {
                for value in map.values_mut() {
                    fill_zero_values(schema, inner, value);
                }
            }
        }
        Resolve::Leaf(_) => {}
    }
}

fn zero_value(schema: &KindSchema, ty: &Ty) -> Json {
    match schema.resolve(ty) {
        Resolve::Obj(_) => {
            let mut v = Json::Object(Map::new());
            fill_zero_values(schema, ty, &mut v);
            v
        }
        Resolve::Leaf(t) => match t {
            Ty::Arr(_) => Json::Array(Vec::new()),
            Ty::Map(_) => Json::Object(Map::new()),
            Ty::Str(_) => Json::String(String::new()),
            Ty::Int(_) | Ty::Num | Ty::IntOrStr => Json::from(0),
            Ty::Bool => Json::Bool(false),
            Ty::Quantity => Json::String("0".into()),
            Ty::Ref(_) | Ty::Any => Json::Null,
        },
    }
}

/// Fields the schema lists as required that the API server fills in
/// before it validates, so leaving them out is fine.
fn is_server_defaulted(_obj: &ObjDef, _field: &str) -> bool {
    false
}

/// The closest candidate, if it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        if c.to_ascii_lowercase() == lower {
            return Some(c);
        }
        let score = strsim::jaro_winkler(word, c);
        let close = score >= 0.88 || (strsim::damerau_levenshtein(word, c) <= 2 && c.len() > 3);
        if close && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_suggestions() {
        let c = ["matchLabels", "matchExpressions"];
        assert_eq!(
            did_you_mean("matchLabel", c.iter().copied()),
            Some("matchLabels")
        );
        assert_eq!(
            did_you_mean("matchlabels", c.iter().copied()),
            Some("matchLabels")
        );
        assert_eq!(did_you_mean("podSelector", c.iter().copied()), None);
        let p = ["containerPort", "hostPort", "name", "protocol", "hostIP"];
        assert_eq!(
            did_you_mean("containerport", p.iter().copied()),
            Some("containerPort")
        );
        assert_eq!(did_you_mean("port", p.iter().copied()), None);
    }

    #[test]
    fn base64_like_go() {
        assert!(check_base64("aGVsbG8=").is_ok());
        assert!(check_base64("aGVs\nbG8=").is_ok());
        assert!(check_base64("").is_ok());
        assert_eq!(check_base64("hello world"), Err(5));
        assert!(check_base64("aGVsbG8").is_err());
    }

    #[test]
    fn rfc3339_times() {
        assert!(is_rfc3339("2026-01-31T12:00:00Z"));
        assert!(is_rfc3339("2026-01-31T12:00:00.123+09:00"));
        assert!(!is_rfc3339("2026-01-31"));
        assert!(!is_rfc3339("2026-01-31 12:00:00Z"));
    }

    #[test]
    fn schemas_come_from_k8s_openapi() {
        let pod = crate::model::kinds::find("v1", "Pod").unwrap();
        let s = schema_for(pod);
        let root = s.object(&s.root).unwrap();
        assert_eq!(root.go_name(), "Pod");
        let spec = s.object(root.prop("spec").unwrap()).unwrap();
        assert_eq!(spec.required, ["containers"]);
        let Ty::Arr(c) = spec.prop("containers").unwrap() else {
            panic!()
        };
        let container = s.object(c).unwrap();
        assert!(container.prop("imagePullPolicy").is_some());
        let Ty::Arr(env) = container.prop("env").unwrap() else {
            panic!()
        };
        let env = s.object(env).unwrap();
        assert_eq!(env.prop("value"), Some(&Ty::Str(StrFormat::Plain)));
        let Ty::Arr(ports) = container.prop("ports").unwrap() else {
            panic!()
        };
        assert_eq!(
            s.object(ports).unwrap().prop("containerPort"),
            Some(&Ty::Int(32))
        );
        let res = s.object(container.prop("resources").unwrap()).unwrap();
        assert_eq!(res.prop("limits"), Some(&Ty::Map(Box::new(Ty::Quantity))));
    }
}
