//! Identity and origin of an object: which file, which document, and how a
//! field path inside it maps back to a line and column.

use super::node::Node;
use super::path::FieldPath;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// `file:line:column`, what a finding points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Where an object was written. `base` is its path inside the document:
/// empty for a plain document, `items[3]` for an entry of a `kind: List`.
#[derive(Debug)]
pub struct Origin {
    pub file: Arc<str>,
    pub doc: Arc<Node>,
    pub base: FieldPath,
}

impl Origin {
    pub fn node(&self) -> &Node {
        let mut node = self.doc.as_ref();
        for seg in &self.base.0 {
            let next = match (seg, &node.value) {
                (super::path::Seg::Index(i), super::node::Value::Seq(items)) => items.get(*i),
                (super::path::Seg::Field(f) | super::path::Seg::Key(f), _) => node.get(f),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node
    }

    /// The line of `path` inside this object: the key when the path ends in
    /// a field (that is what a reader looks for), else the value, else the
    /// nearest ancestor that exists.
    pub fn locate(&self, path: &FieldPath) -> Location {
        let l = self.node().locate(path);
        let pos = l.key.unwrap_or(l.value);
        Location {
            file: self.file.to_string(),
            line: pos.line,
            column: pos.column,
        }
    }

    /// The position of the value at `path` (for problems about a value).
    /// A value that is a whole mapping or list is pointed at by its key:
    /// its first child's line would blame the wrong field.
    pub fn locate_value(&self, path: &FieldPath) -> Location {
        let l = self.node().locate(path);
        let scalar = l.exact
            && matches!(
                self.node().at(path).map(|n| &n.value),
                Some(super::node::Value::Scalar(_))
            );
        let pos = if scalar {
            l.value
        } else {
            l.key.unwrap_or(l.value)
        };
        Location {
            file: self.file.to_string(),
            line: pos.line,
            column: pos.column,
        }
    }
}

/// `Kind/NS/NAME` or `Kind/NAME`, the way findings and JSON name objects.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{}/{}/{}", self.kind, ns, self.name),
            None => write!(f, "{}/{}", self.kind, self.name),
        }
    }
}
