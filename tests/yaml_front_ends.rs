#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The block scanner must never change what a file means. Wherever it
//! reads a file instead of deferring, its tree (every key, scalar, style and
//! position) and its problems must equal what serde-saphyr's general parser
//! gives. Checked on every YAML file in the project and on mutations of
//! them: deleted, inserted and replaced characters, moved, doubled and
//! re-indented lines — the edits that make YAML subtle.

use kubedojo::model::yaml::{Limits, Parsed, front_ends};
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        "exercises",
        "tests/data",
        "tests/fixtures",
        "assets",
        "lessons",
    ] {
        yaml_files(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).unwrap()).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}

/// The block scanner's result where it reads the file, after checking it
/// against the general parser.
fn agree(name: &str, text: &str) -> Option<Parsed> {
    let limits = Limits::default();
    let fast = front_ends::block(text, &limits)?;
    let general = front_ends::general(text, &limits);
    assert_eq!(
        Ok(&fast),
        general.as_ref(),
        "{name}: the block scanner and the general parser disagree on:\n{text}"
    );
    Some(fast)
}

#[test]
fn every_project_yaml_file_reads_the_same_through_both_front_ends() {
    let files = corpus();
    assert!(files.len() > 500, "corpus too small: {}", files.len());
    let taken = files.iter().filter(|(n, t)| agree(n, t).is_some()).count();
    if std::env::var_os("KUBEDOJO_SHOW_DEFERRED").is_some() {
        eprintln!("taken {taken} of {}", files.len());
        for (name, text) in &files {
            if let Some(line) = front_ends::block_deferred_at(text, &Limits::default()) {
                eprintln!("deferred at block.rs:{line}: {name}");
            }
        }
    }
    // The scanner must actually be used, or agreement proves nothing.
    assert!(
        taken * 10 >= files.len() * 8,
        "block scanner took only {taken} of {} files",
        files.len()
    );
}

#[test]
fn a_kubectl_dump_is_read_by_the_block_scanner() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus/get-o-yaml-dump.yaml"),
    )
    .unwrap();
    let parsed =
        agree("get-o-yaml-dump.yaml", &text).expect("the scanner must read kubectl output");
    let items = parsed.documents[0].root.get("items").unwrap();
    let kubedojo::model::node::Value::Seq(items) = &items.value else {
        panic!("items is a list")
    };
    assert_eq!(items.len(), 2);
}

/// A small deterministic generator, so a failure names a reproducible case.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    " ", "  ", "\n", "-", "- ", ":", ": ", "#", " #", "\"", "'", "''", "|", "|-", "|+", ">", "{",
    "}", "{}", "[", "]", "[]", "a", "0", "~", "&a", "*a", "!", "?", ".", ",", "%", "@", "`", "\\",
    "\\n", "\\u00e9", "---\n", "...\n", "<<: ", "y", "\t", "\r", "é",
];

fn mutate(text: &str, rng: &mut XorShift) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let li = rng.below(lines.len());
    match rng.below(8) {
        0 => {
            let l = &mut lines[li];
            if !l.is_empty() {
                let at = rng.below(l.len());
                if l.is_char_boundary(at) && l.is_char_boundary(at + 1) {
                    l.remove(at);
                }
            }
        }
        1 | 2 => {
            let l = &mut lines[li];
            let at = rng.below(l.len() + 1);
            if l.is_char_boundary(at) {
                l.insert_str(at, PIECES[rng.below(PIECES.len())]);
            }
        }
        3 => {
            let copy = lines[li].clone();
            lines.insert(li, copy);
        }
        4 => {
            lines.remove(li);
        }
        5 => lines[li].insert_str(0, if rng.below(2) == 0 { " " } else { "  " }),
        6 => {
            if lines[li].starts_with(' ') {
                lines[li].remove(0);
            }
        }
        _ => {
            if li + 1 < lines.len() {
                lines.swap(li, li + 1);
            }
        }
    }
    let mut out = lines.join("\n");
    if rng.below(8) != 0 {
        out.push('\n');
    }
    out
}

#[test]
fn mutated_files_read_the_same_or_defer() {
    let files = corpus();
    // KUBEDOJO_MUTATION_ROUNDS and _SEED widen the search by hand.
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let rounds = env("KUBEDOJO_MUTATION_ROUNDS", 12);
    let max_bytes = env("KUBEDOJO_MUTATION_MAX_BYTES", 4_000);
    let mut rng = XorShift(env("KUBEDOJO_MUTATION_SEED", 0x9E37_79B9_7F4A_7C15));
    let (mut tried, mut taken) = (0, 0);
    for (name, text) in &files {
        // Small files keep the test quick; every shape appears in them.
        if text.len() as u64 > max_bytes {
            continue;
        }
        let mut current = text.clone();
        for round in 0..rounds {
            // Stack up to three edits, then start again from the original.
            if round % 3 == 0 {
                current = text.clone();
            }
            current = mutate(&current, &mut rng);
            tried += 1;
            if agree(&format!("{name} (mutation {round})"), &current).is_some() {
                taken += 1;
            }
        }
    }
    assert!(tried > 3_000, "only {tried} mutations");
    if std::env::var_os("KUBEDOJO_SHOW_DEFERRED").is_some() {
        eprintln!("mutations taken {taken} of {tried}");
    }
    // Most mutations keep the file in the scanner's subset; if none did,
    // this test would compare nothing.
    assert!(
        taken * 4 > tried,
        "the scanner took only {taken} of {tried}"
    );
}

/// go-yaml folds long strings with spaces over several lines; kubectl
/// dumps of CRDs and long annotations are full of them.
#[test]
fn folded_plain_scalars_read_the_same() {
    for text in [
        "description: a long sentence\n  that goes on\n  and on\nnext: 1\n",
        "a:\n  b: first line\n\n    after a blank line\n  c: 2\n",
        "- item that wraps\n  onto the next line # and a comment\n- two\n",
        "k: v\n    deeper continuation\n",
    ] {
        let parsed = agree("folded", text).expect("the scanner reads folded plain scalars");
        assert!(!parsed.documents.is_empty());
    }
}

#[test]
fn outside_the_subset_the_scanner_defers() {
    let limits = Limits::default();
    for text in [
        "a: &x 1\nb: *x\n",
        "a: [1, [2]]\n",
        "a: {b: {c: 1}}\n",
        "a: [1, 2,]\n",
        "a: !!str 1\n",
        "a: >\n  folded\n",
        "- plain\n  - continued\n",
        "a: \"two\n  lines\"\n",
        "a:\n\tb: 1\n",
        "a: b\r\n",
        "a: caf\u{85}\n",
        "a: \u{feff}x\n",
        "? complex\n: key\n",
        "a: 1\n...\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: b: c\n",
        "a: |2\n   x\n",
        "- - nested\n",
    ] {
        assert!(
            front_ends::block(text, &limits).is_none(),
            "the scanner should defer on {text:?}"
        );
    }
}
