//! Bytes to YAML documents: encoding checks, hostile-input limits, anchors,
//! merge keys and duplicate keys, on top of serde-saphyr's parser.
//!
//! Limits make every input finish fast and small: a file is at most
//! [`Limits::max_bytes`], and alias expansion is counted, so a "billion
//! laughs" file stops at [`Limits::max_nodes`] instead of filling memory.

use super::node::{Entry, Node, Pos, Scalar, Style, Value};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span, StrInput};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_nodes: usize,
    /// Nodes created by expanding aliases. Real manifests rarely use
    /// aliases, so this budget is small: it is what stops a "billion laughs".
    pub max_alias_nodes: usize,
    pub max_expanded_bytes: usize,
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 << 20,
            max_depth: 128,
            max_nodes: 1_500_000,
            max_alias_nodes: 200_000,
            max_expanded_bytes: 64 << 20,
            max_documents: 20_000,
        }
    }
}

/// Why a file could not be read as YAML text at all.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("file is {size} bytes; kubedojo reads files up to {max} bytes")]
    TooLarge { size: u64, max: usize },
    #[error("file is UTF-16 ({0}); save it as UTF-8 (kubectl manifests are UTF-8 text)")]
    Utf16(&'static str),
    #[error("{pos}: invalid UTF-8 byte 0x{byte:02x}; save the file as UTF-8")]
    NotUtf8 { pos: Pos, byte: u8 },
    #[error("{pos}: {what}; this looks like a hostile or broken file, not a manifest")]
    Limit { pos: Pos, what: String },
}

/// A problem in otherwise readable YAML: reported, and parsing goes on
/// where it can.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlProblem {
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
    pub kind: YamlProblemKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlProblemKind {
    Syntax,
    DuplicateKey,
    BadKey,
}

#[derive(Clone, Debug)]
pub struct Document {
    /// 0-based index of the document in its file.
    pub index: usize,
    pub root: Node,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub documents: Vec<Document>,
    pub problems: Vec<YamlProblem>,
}

/// Turn file bytes into text: strip a UTF-8 BOM, refuse UTF-16 and
/// invalid UTF-8 with the position of the first bad byte.
pub fn decode<'a>(bytes: &'a [u8], limits: &Limits) -> Result<&'a str, ReadError> {
    if bytes.len() > limits.max_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            max: limits.max_bytes,
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(ReadError::Utf16("little-endian, with a byte order mark"));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Utf16("big-endian, with a byte order mark"));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            // valid_up_to ends on a char boundary, so this slice is UTF-8.
            let column =
                std::str::from_utf8(&good[line_start..]).map_or(1, |s| s.chars().count() + 1);
            Err(ReadError::NotUtf8 {
                pos: Pos {
                    line: line as u32,
                    column: column as u32,
                },
                byte: bytes[e.valid_up_to()],
            })
        }
    }
}

fn pos_of(span: &Span) -> Pos {
    Pos {
        line: span.start.line() as u32,
        column: span.start.col() as u32 + 1,
    }
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
        index: Option<HashMap<String, usize>>,
        key: Option<(String, Pos)>,
        /// Entries that came in through `<<` merge keys; explicit keys win.
        merged: Vec<Entry>,
    },
}

struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    nodes: usize,
    alias_nodes: usize,
    expanded_bytes: usize,
    problems: Vec<YamlProblem>,
}

impl Builder<'_> {
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
    fn push(&mut self, node: Node, anchor: usize, nodes: usize, bytes: usize) -> Option<Node> {
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
            None => Some(node),
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                None
            }
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
                            *key = Some((MERGE_KEY.to_string(), node.pos));
                            return None;
                        }
                        match key_string(&node) {
                            Ok(k) => *key = Some((k, node.pos)),
                            Err(msg) => {
                                self.problems.push(YamlProblem {
                                    pos: node.pos,
                                    message: msg,
                                    hint: Some("Kubernetes objects use plain string keys".into()),
                                    kind: YamlProblemKind::BadKey,
                                });
                                *key = Some((INVALID_KEY.to_string(), node.pos));
                            }
                        }
                    }
                    Some((k, key_pos)) => {
                        if k == INVALID_KEY {
                            return None;
                        }
                        if k == MERGE_KEY {
                            collect_merge(&node, merged);
                            return None;
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
                                    let mut ix: HashMap<String, usize> = entries
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
                None
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
fn key_string(node: &Node) -> Result<String, String> {
    use super::node::Resolved;
    match &node.value {
        Value::Scalar(s) => match s.resolve() {
            Resolved::Str(t) => Ok(t.to_string()),
            Resolved::Bool(b) => Ok(b.to_string()),
            Resolved::Int(i) => Ok(i.to_string()),
            Resolved::Float(_) => Ok(s.text.clone()),
            Resolved::Null => Err("a mapping key is empty (null)".into()),
        },
        _ => Err("a mapping key is a list or a mapping, not a string".into()),
    }
}

fn scalar_style(style: ScalarStyle) -> Style {
    match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
        _ => Style::Block,
    }
}

/// Parse every document in `text`. A syntax error ends the file (the
/// parser cannot resynchronise) but keeps the documents before it.
pub fn parse(text: &str, limits: &Limits) -> Result<Parsed, ReadError> {
    // Comments are skipped (and still checked as syntax) but not captured:
    // nothing reads them, and capturing them costs on every line.
    let options = serde_saphyr::granit_parser::options! { emit_comments: false };
    let mut parser = Parser::with_options(StrInput::new(text), options);
    let mut b = Builder {
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        alias_nodes: 0,
        expanded_bytes: 0,
        problems: Vec::new(),
    };
    let mut documents = Vec::new();
    let mut doc_index = 0usize;
    let mut root: Option<Node> = None;
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(ev)) => ev,
            Some(Err(e)) => {
                let m = e.marker();
                b.problems.push(YamlProblem {
                    pos: Pos {
                        line: m.line() as u32,
                        column: m.col() as u32 + 1,
                    },
                    message: format!("YAML syntax error: {}", syntax_message(&e.to_string())),
                    hint: Some(
                        "check the indentation (spaces only, no tabs) and that every `key:` has a space after the colon"
                            .into(),
                    ),
                    kind: YamlProblemKind::Syntax,
                });
                break;
            }
        };
        let pos = pos_of(&span);
        match event {
            Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart(..) => {
                root = None;
                b.anchors.clear();
            }
            Event::DocumentEnd => {
                if let Some(node) = root.take()
                    && !node.is_null()
                {
                    if documents.len() >= limits.max_documents {
                        return Err(ReadError::Limit {
                            pos,
                            what: format!("more than {} documents", limits.max_documents),
                        });
                    }
                    documents.push(Document {
                        index: doc_index,
                        root: node,
                    });
                }
                doc_index += 1;
            }
            Event::Scalar(text, style, anchor, tag) => {
                b.count(1, text.len(), pos)?;
                let tag = tag.and_then(|t| t.core_suffix().map(str::to_string));
                let node = Node {
                    pos,
                    value: Value::Scalar(Scalar {
                        text: text.into_owned(),
                        style: scalar_style(style),
                        tag,
                    }),
                };
                let bytes = match &node.value {
                    Value::Scalar(s) => s.text.len(),
                    _ => 0,
                };
                if let Some(r) = b.push(node, anchor, 1, bytes) {
                    root = Some(r);
                }
            }
            Event::Alias(id) => {
                let Some(a) = b.anchors.get(&id) else {
                    continue;
                };
                let (nodes, bytes) = (a.nodes, a.bytes);
                b.alias_nodes += nodes;
                if b.alias_nodes > limits.max_alias_nodes {
                    return Err(ReadError::Limit {
                        pos,
                        what: format!(
                            "aliases expand to more than {} YAML nodes",
                            limits.max_alias_nodes
                        ),
                    });
                }
                b.count(nodes, bytes, pos)?;
                let mut node = b.anchors[&id].node.clone();
                node.pos = pos;
                if let Some(r) = b.push(node, 0, nodes, bytes) {
                    root = Some(r);
                }
            }
            Event::SequenceStart(_, anchor, _) => {
                b.open(
                    Frame::Seq {
                        pos,
                        anchor,
                        items: Vec::new(),
                    },
                    pos,
                )?;
            }
            Event::MappingStart(_, anchor, _) => {
                b.open(
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
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = b.stack.pop() else { continue };
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
                if let Some(r) = b.push(node, anchor, nodes, bytes) {
                    root = Some(r);
                }
            }
            _ => {}
        }
    }
    Ok(Parsed {
        documents,
        problems: b.problems,
    })
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

/// The parser's messages are accurate but terse; keep them and drop the
/// position it appends (we print our own).
fn syntax_message(raw: &str) -> String {
    let cut = [" at char ", " at byte ", " at line "]
        .iter()
        .filter_map(|m| raw.find(m))
        .min();
    match cut {
        Some(i) => raw[..i].to_string(),
        None => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(s: &str) -> Parsed {
        parse(s, &Limits::default()).expect("readable")
    }

    #[test]
    fn documents_keep_positions() {
        let p = parse_ok("a: 1\n---\nkind: Pod\nmetadata:\n  name: x\n");
        assert_eq!(p.documents.len(), 2);
        let d = &p.documents[1].root;
        assert_eq!(d.entry("kind").unwrap().key_pos, Pos { line: 3, column: 1 });
        let name = d.get("metadata").unwrap().entry("name").unwrap();
        assert_eq!(name.key_pos, Pos { line: 5, column: 3 });
        assert_eq!(name.value.pos, Pos { line: 5, column: 9 });
    }

    #[test]
    fn empty_and_comment_documents_are_dropped() {
        assert!(parse_ok("").documents.is_empty());
        assert!(parse_ok("# only a comment\n").documents.is_empty());
        assert!(parse_ok("---\n---\n~\n").documents.is_empty());
    }

    #[test]
    fn duplicate_keys_keep_the_last_and_name_both_lines() {
        let p = parse_ok("metadata:\n  labels:\n    a: b\n  labels:\n    c: d\n");
        assert_eq!(p.problems.len(), 1);
        let prob = &p.problems[0];
        assert_eq!(prob.kind, YamlProblemKind::DuplicateKey);
        assert_eq!(prob.pos.line, 4);
        assert!(prob.message.contains("line 2"), "{}", prob.message);
        let labels = p.documents[0]
            .root
            .get("metadata")
            .unwrap()
            .get("labels")
            .unwrap();
        assert!(labels.get("c").is_some() && labels.get("a").is_none());
    }

    #[test]
    fn duplicate_keys_in_big_maps_are_found() {
        let mut s = String::new();
        for i in 0..100 {
            s.push_str(&format!("k{i}: v\n"));
        }
        s.push_str("k7: again\n");
        let p = parse_ok(&s);
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].message.contains("\"k7\""));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let p = parse_ok("base: &b\n  one: 1\n  two: 2\nuse:\n  <<: *b\n  two: 3\n");
        let u = p.documents[0].root.get("use").unwrap();
        assert_eq!(u.get("one").unwrap().scalar().unwrap().text, "1");
        assert_eq!(u.get("two").unwrap().scalar().unwrap().text, "3");
        assert!(p.problems.is_empty());
        // A quoted "<<" is an ordinary key.
        let p = parse_ok("\"<<\": 1\n");
        assert!(p.documents[0].root.get("<<").is_some());
    }

    #[test]
    fn yaml_1_1_keys_become_their_json_text() {
        // go-yaml v2 resolves `y` and `on` to true; kubectl then prints the key as "true".
        let p = parse_ok("y: 1\n");
        assert!(p.documents[0].root.get("true").is_some());
    }

    #[test]
    fn syntax_error_keeps_earlier_documents() {
        let p = parse_ok("a: 1\n---\nb: [1, 2\n");
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].kind, YamlProblemKind::Syntax);
    }

    #[test]
    fn tabs_are_a_syntax_error_with_a_position() {
        let p = parse_ok("metadata:\n\tname: x\n");
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].pos.line, 2);
    }

    #[test]
    fn billion_laughs_stops_at_the_node_limit() {
        let mut s = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut prev = "a";
        for n in names {
            s.push_str(&format!("{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = n;
        }
        let err = parse(&s, &Limits::default()).unwrap_err();
        assert!(matches!(err, ReadError::Limit { .. }), "{err:?}");
    }

    #[test]
    fn deep_nesting_stops_at_the_depth_limit() {
        let s = "[".repeat(10_000);
        // Either the parser's own flow limit or ours must stop it.
        match parse(&s, &Limits::default()) {
            Err(ReadError::Limit { .. }) => {}
            Ok(p) => assert!(!p.problems.is_empty()),
            Err(e) => panic!("unexpected {e:?}"),
        }
        let mut block = String::new();
        for i in 0..10_000 {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        assert!(matches!(
            parse(&block, &Limits::default()),
            Err(ReadError::Limit { .. })
        ));
    }

    #[test]
    fn decode_rejects_utf16_and_locates_bad_utf8() {
        let l = Limits::default();
        assert!(matches!(
            decode(&[0xFF, 0xFE, b'a', 0], &l),
            Err(ReadError::Utf16(_))
        ));
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1", &l).unwrap(), "a: 1");
        let err = decode(b"a: 1\nb: caf\xE9\n", &l).unwrap_err();
        assert_eq!(
            err,
            ReadError::NotUtf8 {
                pos: Pos { line: 2, column: 7 },
                byte: 0xE9
            }
        );
    }
}
