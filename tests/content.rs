#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The shipped content is sound, and `validate-content` finds what makes a
//! content pack unsound: a broken YAML example (at its real line), a lesson
//! missing in one language, an exercise mapped to a domain that does not exist.

use kubedojo::checks::audit::audit;
use kubedojo::content::{Content, ContentSource, Lang};
use std::fs;

#[test]
fn shipped_content_is_sound() {
    let problems = audit(&Content::embedded());
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{}:{:?}: {}", p.file, p.line, p.message))
        .collect();
    assert!(problems.is_empty(), "{}", lines.join("\n"));
}

#[test]
fn shipped_lessons_cover_the_curriculum_in_both_languages() {
    let c = Content::embedded();
    let en = c.lessons(Lang::En).unwrap();
    let ko = c.lessons(Lang::Ko).unwrap();
    assert!(en.len() >= 10, "at least ten lessons");
    assert_eq!(en.len(), ko.len());
    for l in &en {
        assert!(
            (15..=30).contains(&l.meta.minutes),
            "{} reads in {} minutes",
            l.meta.id,
            l.meta.minutes
        );
        assert!(
            l.body.split_whitespace().count() > 2000,
            "{} is too short for its reading time",
            l.meta.id
        );
    }
}

#[test]
fn a_broken_pack_is_reported_precisely() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("lessons/en")).unwrap();
    fs::create_dir_all(root.join("lessons/ko")).unwrap();
    fs::create_dir_all(root.join("exercises/basics/x")).unwrap();
    // Line 9 of the file is the `kind:` line inside the block.
    fs::write(
        root.join("lessons/en/a.md"),
        "---\nid: a\ntitle: A\ntopic: basics\norder: 1\nexam: both\nminutes: 15\n---\n```yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  nme: x\n```\n\n```yaml nocheck\nclusters: []\n```\n",
    )
    .unwrap();
    fs::write(
        root.join("lessons/en/b.md"),
        "---\nid: b\ntitle: B\ntopic: basics\norder: 2\nexam: both\nminutes: 15\n---\ntext\n",
    )
    .unwrap();
    fs::write(
        root.join("lessons/ko/a.md"),
        "---\nid: a\ntitle: 가\ntopic: basics\norder: 1\nexam: both\nminutes: 15\n---\n본문\n",
    )
    .unwrap();
    fs::write(
        root.join("exercises/basics/x.yaml"),
        "id: x\ntopic: basics\nexam: CKA\ndomains: {cka: networking}\nkind: yaml\ntitle: {en: X, ko: 엑스}\nprompt: {en: P, ko: 피}\nchecks:\n  - id: c\n    check: exists\n    describe: {en: d, ko: 디}\n    params: {kind: Namespace, name: dev}\nsolution: [x/sol.yaml]\n",
    )
    .unwrap();
    fs::write(
        root.join("exercises/basics/x/sol.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n",
    )
    .unwrap();
    let problems = audit(&Content::new(ContentSource::Dir(root.to_path_buf())).unwrap());
    let show: Vec<String> = problems
        .iter()
        .map(|p| format!("{}:{:?}: {}", p.file, p.line, p.message))
        .collect();
    let find = |s: &str| {
        problems
            .iter()
            .find(|p| p.message.contains(s))
            .unwrap_or_else(|| panic!("no {s:?} in {show:#?}"))
    };
    let bad = find("unknown field \"metadata.nme\"");
    assert!(bad.file.ends_with("lessons/en/a.md"));
    assert_eq!(bad.line, Some(13));
    find("lesson `b` has no Korean version");
    find("unknown CKA domain `networking`");
    find("metadata.name: Required value");
    find("lesson `a` has 0 review cards; it needs at least 10");
    assert_eq!(problems.len(), 6, "{show:#?}");
}
