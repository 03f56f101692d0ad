//! Bytes to YAML documents: encoding checks, hostile-input limits, anchors,
//! merge keys and duplicate keys, read by a fast block scanner or serde-saphyr.
//!
//! Limits make every input finish fast and small: a file is at most
//! [`Limits::max_bytes`], and alias expansion is counted, so a "billion
//! laughs" file stops at [`Limits::max_nodes`] instead of filling memory.

mod block;
mod build;
mod granit;

use super::node::{Node, Pos};

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

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// 0-based index of the document in its file.
    pub index: usize,
    pub root: Node,
}

#[derive(Debug, Default, PartialEq)]
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

/// Parse every document in `text`. A syntax error ends the file (the
/// parser cannot resynchronise) but keeps the documents before it.
///
/// Most files, and every `kubectl get -o yaml` dump, are plain block YAML:
/// the block scanner reads those several times faster. Anything it does not
/// take (nested flow collections, anchors, tags, `>` folded or multi-line
/// quoted scalars, syntax errors, hostile input) goes to serde-saphyr's
/// parser, which reads all of YAML; both build the same tree
/// (tests/yaml_front_ends.rs compares them on every manifest we have and on
/// thousands of mutations).
pub fn parse(text: &str, limits: &Limits) -> Result<Parsed, ReadError> {
    match block::parse(text, limits) {
        Some(parsed) => Ok(parsed),
        None => granit::parse(text, limits),
    }
}

/// Both front ends, for the tests that hold them to the same result.
#[doc(hidden)]
pub mod front_ends {
    use super::{Limits, Parsed, ReadError};

    /// The block scanner's result, or `None` where it defers.
    pub fn block(text: &str, limits: &Limits) -> Option<Parsed> {
        super::block::parse(text, limits)
    }

    /// Where in the scanner's source it deferred, for test messages.
    pub fn block_deferred_at(text: &str, limits: &Limits) -> Option<u32> {
        super::block::scan(text, limits).err().map(|d| d.line)
    }

    pub fn general(text: &str, limits: &Limits) -> Result<Parsed, ReadError> {
        super::granit::parse(text, limits)
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
