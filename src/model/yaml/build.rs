//! YAML events to a tree of [`Node`]s, shared by both front ends (the fast
//! block scanner and serde-saphyr's parser): anchors and aliases, merge
//! keys, duplicate keys, and the node, byte, depth and document budgets.

use super::{Document, Limits, Parsed, ReadError, YamlProblem, YamlProblemKind};
use crate::model::node::{Entry, Node, Pos, Scalar, Style, Value};
use compact_str::{CompactString, ToCompactString};
use std::collections::HashMap;

/// One parser event, in the form both front ends can produce.
#[derive(Debug)]
pub(super) enum Ev {
    DocStart,
    DocEnd,
    Scalar {
        scalar: Scalar,
        anchor: usize,
    },
    Alias(usize),
    SeqStart {
        anchor: usize,
    },
    MapStart {
        anchor: usize,
    },
    /// The end of the innermost open sequence or mapping.
    End,
}

struct Anchored {
    node: Node,
    nodes: usize,
    bytes: usize,
}

enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        entries: Vec<Entry>,
        /// Keys seen so far → index into `entries`, built once the map is
        /// big enough that a linear scan would be quadratic.
        index: Option<HashMap<CompactString, usize>>,
        key: Option<(CompactString, Pos)>,
        /// Entries that came in through `<<` merge keys; explicit keys win.
        merged: Vec<Entry>,
    },
}

pub(super) struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    nodes: usize,
    alias_nodes: usize,
    expanded_bytes: usize,
    problems: Vec<YamlProblem>,
    documents: Vec<Document>,
    doc_index: usize,
    root: Option<Node>,
}

impl<'l> Builder<'l> {
    pub(super) fn new(limits: &'l Limits) -> Self {
        Builder {
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            alias_nodes: 0,
            expanded_bytes: 0,
            problems: Vec::new(),
            documents: Vec::new(),
            doc_index: 0,
            root: None,
        }
    }

    /// The documents read so far and every problem found in them.
    pub(super) fn finish(self) -> Parsed {
        Parsed {
            documents: self.documents,
            problems: self.problems,
        }
    }

    /// A syntax error ends the stream (the parser cannot resynchronise);
    /// the documents before it are kept.
    pub(super) fn syntax_error(&mut self, pos: Pos, message: String) {
        self.problems.push(YamlProblem {
            pos,
            message,
            hint: Some(
                "check the indentation (spaces only, no tabs) and that every `key:` has a space after the colon"
                    .into(),
            ),
            kind: YamlProblemKind::Syntax,
        });
    }

    pub(super) fn event(&mut self, ev: Ev, pos: Pos) -> Result<(), ReadError> {
        match ev {
            Ev::DocStart => {
                self.root = None;
                self.anchors.clear();
            }
            Ev::DocEnd => {
                if let Some(node) = self.root.take()
                    && !node.is_null()
                {
                    if self.documents.len() >= self.limits.max_documents {
                        return Err(ReadError::Limit {
                            pos,
                            what: format!("more than {} documents", self.limits.max_documents),
                        });
                    }
                    self.documents.push(Document {
                        index: self.doc_index,
                        root: node,
                    });
                }
                self.doc_index += 1;
            }
            Ev::Scalar { scalar, anchor } => {
                let bytes = scalar.text.len();
                self.count(1, bytes, pos)?;
                let node = Node {
                    pos,
                    value: Value::Scalar(scalar),
                };
                self.push(node, anchor, 1, bytes);
            }
            Ev::Alias(id) => {
                let Some(a) = self.anchors.get(&id) else {
                    return Ok(());
                };
                let (nodes, bytes) = (a.nodes, a.bytes);
                self.alias_nodes += nodes;
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(ReadError::Limit {
                        pos,
                        what: format!(
                            "aliases expand to more than {} YAML nodes",
                            self.limits.max_alias_nodes
                        ),
                    });
                }
                self.count(nodes, bytes, pos)?;
                let mut node = self.anchors[&id].node.clone();
                node.pos = pos;
                self.push(node, 0, nodes, bytes);
            }
            Ev::SeqStart { anchor } => {
                self.open(
                    Frame::Seq {
                        pos,
                        anchor,
                        items: Vec::new(),
                    },
                    pos,
                )?;
            }
            Ev::MapStart { anchor } => {
                self.open(
                    Frame::Map {
                        pos,
                        anchor,
                        entries: Vec::new(),
                        index: None,
                        key: None,
                        merged: Vec::new(),
                    },
                    pos,
                )?;
            }
            Ev::End => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (node, anchor) = match frame {
                    Frame::Seq { pos, anchor, items } => (
                        Node {
                            pos,
                            value: Value::Seq(items),
                        },
                        anchor,
                    ),
                    Frame::Map {
                        pos,
                        anchor,
                        mut entries,
                        merged,
                        ..
                    } => {
                        for m in merged {
                            if !entries.iter().any(|e| e.key == m.key) {
                                entries.push(m);
                            }
                        }
                        (
                            Node {
                                pos,
                                value: Value::Map(entries),
                            },
                            anchor,
                        )
                    }
                };
                let (nodes, bytes) = if anchor != 0 { measure(&node) } else { (0, 0) };
                self.push(node, anchor, nodes, bytes);
            }
        }
        Ok(())
    }

    fn count(&mut self, nodes: usize, bytes: usize, pos: Pos) -> Result<(), ReadError> {
        self.nodes += nodes;
        self.expanded_bytes += bytes;
        if self.nodes > self.limits.max_nodes {
            return Err(ReadError::Limit {
                pos,
                what: format!(
                    "more than {} YAML nodes (after expanding aliases)",
                    self.limits.max_nodes
                ),
            });
        }
        if self.expanded_bytes > self.limits.max_expanded_bytes {
            return Err(ReadError::Limit {
                pos,
                what: format!(
                    "more than {} bytes of text after expanding aliases",
                    self.limits.max_expanded_bytes
                ),
            });
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame, pos: Pos) -> Result<(), ReadError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(ReadError::Limit {
                pos,
                what: format!("nesting deeper than {} levels", self.limits.max_depth),
            });
        }
        self.count(1, 0, pos)?;
        self.stack.push(frame);
        Ok(())
    }

    /// A finished node goes into its parent, or becomes the document root.
    fn push(&mut self, node: Node, anchor: usize, nodes: usize, bytes: usize) {
        if anchor != 0 {
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    nodes,
                    bytes,
                },
            );
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                index,
                key,
                merged,
                ..
            }) => {
                match key.take() {
                    None => {
                        // This node is a key. Only a plain `<<` is a merge key.
                        if matches!(&node.value, Value::Scalar(s) if s.style == Style::Plain && s.tag.is_none() && s.text == "<<")
                        {
                            *key = Some((CompactString::const_new(MERGE_KEY), node.pos));
                            return;
                        }
                        let key_pos = node.pos;
                        match key_string(node) {
                            Ok(k) => *key = Some((k, key_pos)),
                            Err(msg) => {
                                self.problems.push(YamlProblem {
                                    pos: key_pos,
                                    message: msg,
                                    hint: Some("Kubernetes objects use plain string keys".into()),
                                    kind: YamlProblemKind::BadKey,
                                });
                                *key = Some((CompactString::const_new(INVALID_KEY), key_pos));
                            }
                        }
                    }
                    Some((k, key_pos)) => {
                        if k == INVALID_KEY {
                            return;
                        }
                        if k == MERGE_KEY {
                            collect_merge(&node, merged);
                            return;
                        }
                        let found = match index {
                            Some(ix) => ix.get(&k).copied(),
                            None => entries.iter().position(|e| e.key == k),
                        };
                        match found {
                            Some(i) => {
                                let first = entries[i].key_pos;
                                self.problems.push(YamlProblem {
                                    pos: key_pos,
                                    message: format!(
                                        "duplicate key \"{k}\": also at line {}; kubectl apply silently keeps this last one (line {}) and drops the first",
                                        first.line, key_pos.line
                                    ),
                                    hint: Some(format!(
                                        "merge the two \"{k}\" blocks into one; the API server's strict field validation rejects duplicate fields"
                                    )),
                                    kind: YamlProblemKind::DuplicateKey,
                                });
                                entries[i] = Entry {
                                    key: k,
                                    key_pos,
                                    value: node,
                                };
                            }
                            None => {
                                if let Some(ix) = index {
                                    ix.insert(k.clone(), entries.len());
                                } else if entries.len() >= 32 {
                                    let mut ix: HashMap<CompactString, usize> = entries
                                        .iter()
                                        .enumerate()
                                        .map(|(i, e)| (e.key.clone(), i))
                                        .collect();
                                    ix.insert(k.clone(), entries.len());
                                    *index = Some(ix);
                                }
                                entries.push(Entry {
                                    key: k,
                                    key_pos,
                                    value: node,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Marks a pending plain `<<` key; NUL cannot appear in a YAML key.
const MERGE_KEY: &str = "\u{0}merge";
/// Marks a pending key we already reported as unusable.
const INVALID_KEY: &str = "\u{0}invalid";

fn collect_merge(node: &Node, merged: &mut Vec<Entry>) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                if !merged.iter().any(|m| m.key == e.key) {
                    merged.push(e.clone());
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                collect_merge(item, merged);
            }
        }
        Value::Scalar(_) => {}
    }
}

/// The key string the API server sees. kubectl (sigs.k8s.io/yaml) turns
/// boolean and number keys into their text; anything else is an error.
/// A string key keeps its text without copying it.
fn key_string(node: Node) -> Result<CompactString, String> {
    use crate::model::node::Resolved;
    match node.value {
        Value::Scalar(s) => {
            let converted = match s.resolve() {
                Resolved::Str(_) | Resolved::Float(_) => None,
                Resolved::Bool(b) => Some(b.to_compact_string()),
                Resolved::Int(i) => Some(i.to_compact_string()),
                Resolved::Null => return Err("a mapping key is empty (null)".into()),
            };
            Ok(converted.unwrap_or(s.text))
        }
        _ => Err("a mapping key is a list or a mapping, not a string".into()),
    }
}

fn measure(node: &Node) -> (usize, usize) {
    match &node.value {
        Value::Scalar(s) => (1, s.text.len()),
        Value::Seq(items) => items
            .iter()
            .map(measure)
            .fold((1, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
        Value::Map(entries) => entries
            .iter()
            .map(|e| {
                let (n, b) = measure(&e.value);
                (n + 1, b + e.key.len())
            })
            .fold((1, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
    }
}
