//! Field paths as the API server prints them (`spec.ingress[0].from[1]`,
//! `metadata.labels[app]`), and the way back from a path to a source line.

use super::node::{Node, Pos, Value};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    Field(String),
    Index(usize),
    /// A map key, printed `[key]` as upstream's `field.Path.Key` does.
    Key(String),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    pub fn field(&self, name: &str) -> Self {
        self.child(Seg::Field(name.to_string()))
    }

    pub fn index(&self, i: usize) -> Self {
        self.child(Seg::Index(i))
    }

    pub fn key(&self, k: &str) -> Self {
        self.child(Seg::Key(k.to_string()))
    }

    /// This path and one more segment, allocated once at its final size
    /// (object validation builds a path for every field it visits).
    fn child(&self, seg: Seg) -> Self {
        let mut segs = Vec::with_capacity(self.0.len() + 1);
        segs.extend_from_slice(&self.0);
        segs.push(seg);
        FieldPath(segs)
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn parent(&self) -> Option<FieldPath> {
        let mut p = self.clone();
        p.0.pop().map(|_| p)
    }

    /// Parse the printed form back; `[n]` is an index, `[text]` a key.
    pub fn parse(s: &str) -> FieldPath {
        let mut segs = Vec::new();
        let mut cur = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '.' => {
                    if !cur.is_empty() {
                        segs.push(Seg::Field(std::mem::take(&mut cur)));
                    }
                }
                '[' => {
                    if !cur.is_empty() {
                        segs.push(Seg::Field(std::mem::take(&mut cur)));
                    }
                    let mut inner = String::new();
                    for c in chars.by_ref() {
                        if c == ']' {
                            break;
                        }
                        inner.push(c);
                    }
                    match inner.parse::<usize>() {
                        Ok(i) => segs.push(Seg::Index(i)),
                        Err(_) => segs.push(Seg::Key(inner)),
                    }
                }
                _ => cur.push(c),
            }
        }
        if !cur.is_empty() {
            segs.push(Seg::Field(cur));
        }
        FieldPath(segs)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Field(name) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Seg::Index(n) => write!(f, "[{n}]")?,
                Seg::Key(k) => write!(f, "[{k}]")?,
            }
        }
        Ok(())
    }
}

/// Where a path points in a document tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Located {
    /// The key of the last field, when the path ends in a field.
    pub key: Option<Pos>,
    /// The value at the path.
    pub value: Pos,
    /// False when the path does not exist and this is its nearest ancestor.
    pub exact: bool,
}

impl Node {
    /// The node at `path`, if the whole path exists.
    pub fn at(&self, path: &FieldPath) -> Option<&Node> {
        let mut node = self;
        for seg in &path.0 {
            node = match (seg, &node.value) {
                (Seg::Field(name) | Seg::Key(name), Value::Map(entries)) => {
                    &entries.iter().find(|e| e.key == name)?.value
                }
                (Seg::Index(i), Value::Seq(items)) => items.get(*i)?,
                (Seg::Index(i), Value::Map(entries)) => {
                    let name = i.to_string();
                    &entries.iter().find(|e| e.key == name)?.value
                }
                _ => return None,
            };
        }
        Some(node)
    }

    /// Follow `path` as far as it exists. A numeric segment indexes a list;
    /// against a map it is tried as a key.
    pub fn locate(&self, path: &FieldPath) -> Located {
        let mut node = self;
        let mut key = None;
        for seg in &path.0 {
            let next = match (seg, &node.value) {
                (Seg::Field(name) | Seg::Key(name), Value::Map(entries)) => entries
                    .iter()
                    .find(|e| e.key == name)
                    .map(|e| (Some(e.key_pos), &e.value)),
                (Seg::Index(i), Value::Seq(items)) => items.get(*i).map(|n| (None, n)),
                (Seg::Index(i), Value::Map(entries)) => {
                    let name = i.to_string();
                    entries
                        .iter()
                        .find(|e| e.key == name)
                        .map(|e| (Some(e.key_pos), &e.value))
                }
                _ => None,
            };
            match next {
                Some((k, n)) => {
                    key = k;
                    node = n;
                }
                None => {
                    return Located {
                        key,
                        value: node.pos,
                        exact: false,
                    };
                }
            }
        }
        Located {
            key,
            value: node.pos,
            exact: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::yaml::{Limits, parse};

    #[test]
    fn prints_like_the_api_server() {
        let p = FieldPath::root()
            .field("spec")
            .field("ingress")
            .index(0)
            .field("from")
            .index(1);
        assert_eq!(p.to_string(), "spec.ingress[0].from[1]");
        let l = FieldPath::root()
            .field("metadata")
            .field("labels")
            .key("app.kubernetes.io/name");
        assert_eq!(l.to_string(), "metadata.labels[app.kubernetes.io/name]");
        assert_eq!(FieldPath::parse("spec.ingress[0].from[1]"), p);
        assert_eq!(FieldPath::parse(&l.to_string()), l);
    }

    #[test]
    fn locates_keys_values_and_nearest_ancestors() {
        let doc =
            "spec:\n  ingress:\n  - from:\n    - podSelector: {}\n    - namespaceSelector: {}\n";
        let root = parse(doc, &Limits::default())
            .unwrap()
            .documents
            .remove(0)
            .root;
        let l = root.locate(&FieldPath::parse("spec.ingress[0].from[1]"));
        assert!(l.exact);
        assert_eq!(l.value, Pos { line: 5, column: 7 });
        let l = root.locate(&FieldPath::parse("spec.ingress[0].from"));
        assert_eq!(l.key, Some(Pos { line: 3, column: 5 }));
        let l = root.locate(&FieldPath::parse("spec.egress[0]"));
        assert!(!l.exact);
        assert_eq!(l.value, Pos { line: 2, column: 3 });
    }
}
