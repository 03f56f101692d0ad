//! `validate-content`: everything that makes a content pack trustworthy.
//! Lessons parse and their YAML examples are valid for 1.36; English and
//! Korean carry the same lessons; every exercise proves itself and maps to
//! real exam domains. Reports every problem, for instructors' own packs too.

use super::prove::prove;
use crate::content::curriculum::Curriculum;
use crate::content::{Content, Lang, Lesson};
use crate::model::load::Input;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContentProblem {
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

pub const TOPICS: &[&str] = &[
    "tls",
    "authn",
    "rbac",
    "tenancy",
    "quota",
    "scheduling",
    "netpol",
    "podsec",
    "admission",
    "supplychain",
    "basics",
];

pub fn audit(content: &Content) -> Vec<ContentProblem> {
    let mut out = Vec::new();
    let mut by_lang: BTreeMap<&str, Vec<Lesson>> = BTreeMap::new();
    for lang in [Lang::En, Lang::Ko] {
        let dir = format!("lessons/{}", lang.code());
        let mut lessons = Vec::new();
        for path in content
            .source
            .files(&dir)
            .into_iter()
            .filter(|p| p.ends_with(".md"))
        {
            let shown = content.source.display(&path);
            let text = match content.source.read(&path).map(String::from_utf8) {
                Ok(Ok(t)) => t,
                Ok(Err(_)) => {
                    out.push(problem(&shown, None, "not UTF-8".into()));
                    continue;
                }
                Err(e) => {
                    out.push(problem(&shown, None, e.to_string()));
                    continue;
                }
            };
            match Lesson::parse(&shown, lang, &text) {
                Ok(l) => {
                    let stem = path
                        .rsplit('/')
                        .next()
                        .unwrap_or("")
                        .trim_end_matches(".md");
                    if l.meta.id != stem {
                        out.push(problem(
                            &shown,
                            Some(2),
                            format!(
                                "id `{}` does not match the file name `{stem}.md`",
                                l.meta.id
                            ),
                        ));
                    }
                    if !TOPICS.contains(&l.meta.topic.as_str()) {
                        out.push(problem(
                            &shown,
                            None,
                            format!(
                                "unknown topic `{}` (one of {})",
                                l.meta.topic,
                                TOPICS.join(", ")
                            ),
                        ));
                    }
                    out.extend(yaml_blocks(&l));
                    lessons.push(l);
                }
                Err(e) => out.push(problem(&shown, Some(1), e.to_string())),
            }
        }
        by_lang.insert(lang.code(), lessons);
    }
    let en = by_lang.get("en").map(Vec::as_slice).unwrap_or_default();
    let ko = by_lang.get("ko").map(Vec::as_slice).unwrap_or_default();
    for l in en {
        match ko.iter().find(|k| k.meta.id == l.meta.id) {
            None => out.push(problem(&l.path, None, format!("lesson `{}` has no Korean version", l.meta.id))),
            Some(k) if (k.meta.topic.as_str(), k.meta.order, k.meta.exam) != (l.meta.topic.as_str(), l.meta.order, l.meta.exam) => out.push(problem(
                &k.path,
                Some(1),
                format!("front matter differs from the English lesson `{}` (topic, order and exam must match)", l.meta.id),
            )),
            Some(_) => {}
        }
    }
    for k in ko
        .iter()
        .filter(|k| !en.iter().any(|l| l.meta.id == k.meta.id))
    {
        out.push(problem(
            &k.path,
            None,
            format!("lesson `{}` has no English version", k.meta.id),
        ));
    }
    out.extend(audit_cards(content, en));
    let curriculum = Curriculum::builtin();
    let lesson_ids: Vec<&str> = en.iter().map(|l| l.meta.id.as_str()).collect();
    for path in content.exercise_paths() {
        let shown = content.source.display(&path);
        let ex = match content.parse_exercise(&path) {
            Ok(ex) => ex,
            Err(e) => {
                out.push(problem(&shown, None, e.to_string()));
                continue;
            }
        };
        if path != format!("exercises/{}/{}.yaml", ex.topic, ex.id) {
            out.push(problem(
                &shown,
                None,
                format!("must live at exercises/{}/{}.yaml", ex.topic, ex.id),
            ));
        }
        if !TOPICS.contains(&ex.topic.as_str()) {
            out.push(problem(
                &shown,
                None,
                format!("unknown topic `{}`", ex.topic),
            ));
        }
        for (exam, domain) in [("CKA", &ex.domains.cka), ("CKS", &ex.domains.cks)] {
            if let Some(d) = domain
                && curriculum.domain(exam, d).is_none()
            {
                let ids: Vec<&str> = curriculum
                    .exam(exam)
                    .map(|e| e.domains.iter().map(|d| d.id.as_str()).collect())
                    .unwrap_or_default();
                out.push(problem(
                    &shown,
                    None,
                    format!("unknown {exam} domain `{d}` (one of {})", ids.join(", ")),
                ));
            }
        }
        if let Some(l) = &ex.lesson
            && !lesson_ids.contains(&l.as_str())
            && !lesson_ids.is_empty()
        {
            out.push(problem(
                &shown,
                None,
                format!("lesson `{l}` does not exist"),
            ));
        }
        for text in [&ex.title, &ex.prompt].into_iter().chain(ex.hints.iter()) {
            if text.en.trim().is_empty() || text.ko.trim().is_empty() {
                out.push(problem(
                    &shown,
                    None,
                    "every title, prompt and hint needs both en and ko".into(),
                ));
                break;
            }
        }
        for e in prove(content, &ex) {
            out.push(problem(&shown, None, e));
        }
    }
    out
}

/// Review cards: every deck parses, every card speaks both languages, and
/// every lesson has at least ten cards to review.
fn audit_cards(content: &Content, lessons: &[Lesson]) -> Vec<ContentProblem> {
    use crate::content::cards::{CARDS_DIR, Deck};
    let mut out = Vec::new();
    let mut decks = Vec::new();
    for path in content
        .source
        .files(CARDS_DIR)
        .into_iter()
        .filter(|p| p.ends_with(".yaml"))
    {
        let shown = content.source.display(&path);
        match content.source.read(&path).map(String::from_utf8) {
            Ok(Ok(text)) => match Deck::parse(&shown, &text) {
                Ok(d) => decks.push((shown, d)),
                Err(e) => out.push(problem(&shown, None, e.to_string())),
            },
            _ => out.push(problem(
                &shown,
                None,
                "cannot read this deck as UTF-8 text".into(),
            )),
        }
    }
    for (shown, deck) in &decks {
        for c in &deck.cards {
            let mut texts = vec![&c.question, &c.answer];
            texts.extend(c.choices.iter().flatten());
            if texts
                .iter()
                .any(|t| t.en.trim().is_empty() || t.ko.trim().is_empty())
            {
                out.push(problem(
                    shown,
                    None,
                    format!(
                        "card {}: every question, answer and choice needs en and ko",
                        c.id
                    ),
                ));
            }
        }
        if !lessons.is_empty() && !lessons.iter().any(|l| l.meta.id == deck.lesson) {
            out.push(problem(
                shown,
                None,
                format!("deck for lesson `{}`, which does not exist", deck.lesson),
            ));
        }
    }
    for l in lessons {
        let n = decks
            .iter()
            .find(|(_, d)| d.lesson == l.meta.id)
            .map_or(0, |(_, d)| d.cards.len());
        if n < 10 {
            out.push(problem(
                &l.path,
                None,
                format!(
                    "lesson `{}` has {n} review cards; it needs at least 10 ({CARDS_DIR}/{}.yaml)",
                    l.meta.id, l.meta.id
                ),
            ));
        }
    }
    out
}

fn problem(file: &str, line: Option<u32>, message: String) -> ContentProblem {
    ContentProblem {
        file: file.to_string(),
        line,
        message,
    }
}

/// Every ```yaml block must be valid Kubernetes objects (```yaml nocheck
/// opts out, for kubeconfigs and other non-API YAML).
fn yaml_blocks(l: &Lesson) -> Vec<ContentProblem> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut in_block: Option<usize> = None;
    let mut text = String::new();
    for (ev, range) in Parser::new(&l.body).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == "yaml" => {
                in_block = Some(range.start);
                text.clear();
            }
            Event::Text(t) if in_block.is_some() => text.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = in_block.take() {
                    // The block's first content line is the line after the fence.
                    let first = l.body_line + l.body[..start].matches('\n').count() as u32 + 1;
                    let input = Input::new(l.path.clone(), text.clone().into_bytes());
                    match crate::validate::validate_inputs(&[input]) {
                        Ok(v) => {
                            for p in v.problems {
                                out.push(problem(
                                    &l.path,
                                    Some(first + p.line - 1),
                                    format!("YAML example: {}", p.message),
                                ));
                            }
                        }
                        Err(e) => {
                            out.push(problem(&l.path, Some(first), format!("YAML example: {e}")))
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}
