//! Review cards (`lessons/cards/<lesson-id>.yaml`): short questions on a
//! lesson's concepts, reviewed on an FSRS schedule. Progress keys reviews
//! by card id, so ids are unique across all decks and never reused.
//!
//! ```yaml nocheck
//! lesson: rbac
//! cards:
//!   - id: rbac-verbs-vs-resources
//!     type: basic
//!     question: {en: "...", ko: "..."}
//!     answer: {en: "...", ko: "..."}
//!   - id: rbac-rolebinding-scope
//!     type: choice
//!     question: {en: "...", ko: "..."}
//!     answer: {en: "...", ko: "..."}     # the explanation shown after answering
//!     choices: [{en: "...", ko: "..."}, {en: "...", ko: "..."}]
//!     correct: 1                          # index into choices
//! ```

use super::source::{Content, ContentError};
use super::text::Text;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const CARDS_DIR: &str = "lessons/cards";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardType {
    /// Question, then the answer to compare with.
    Basic,
    /// Multiple choice.
    Choice,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: CardType,
    pub question: Text,
    pub answer: Text,
    #[serde(default)]
    pub choices: Option<Vec<Text>>,
    #[serde(default)]
    pub correct: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deck {
    pub lesson: String,
    pub cards: Vec<Card>,
}

impl Deck {
    /// Parse and check one deck file (`path` is for messages; its file
    /// name must be the lesson id).
    pub fn parse(path: &str, text: &str) -> Result<Deck, ContentError> {
        let bad = |message: String| ContentError::File {
            path: path.to_string(),
            message,
        };
        let deck: Deck = serde_saphyr::from_str(text).map_err(|e| bad(e.to_string()))?;
        let stem = path
            .rsplit(['/', '\\'])
            .next()
            .and_then(|f| f.strip_suffix(".yaml"))
            .unwrap_or("");
        if deck.lesson != stem {
            return Err(bad(format!(
                "lesson \"{}\" must match the file name ({stem}.yaml)",
                deck.lesson
            )));
        }
        let mut seen = HashMap::new();
        for (i, c) in deck.cards.iter().enumerate() {
            if c.id.trim().is_empty() {
                return Err(bad(format!("cards[{i}]: empty id")));
            }
            if let Some(j) = seen.insert(c.id.as_str(), i) {
                return Err(bad(format!(
                    "cards[{i}]: id \"{}\" is also cards[{j}]",
                    c.id
                )));
            }
            match (c.kind, &c.choices, c.correct) {
                (CardType::Basic, None, None) => {}
                (CardType::Basic, _, _) => {
                    return Err(bad(format!(
                        "cards[{i}] ({}): a basic card has no choices or correct",
                        c.id
                    )));
                }
                (CardType::Choice, Some(ch), Some(k)) if ch.len() >= 2 && k < ch.len() => {}
                (CardType::Choice, _, _) => {
                    return Err(bad(format!(
                        "cards[{i}] ({}): a choice card needs at least two choices and `correct`, the index of the right one",
                        c.id
                    )));
                }
            }
        }
        Ok(deck)
    }
}

/// Every deck of the content, sorted by lesson id. Card ids must be unique
/// across decks.
pub fn load_decks(content: &Content) -> Result<Vec<Deck>, ContentError> {
    let mut decks = Vec::new();
    for path in content.source.files(CARDS_DIR) {
        if !path.ends_with(".yaml") {
            continue;
        }
        let bytes = content.source.read(&path)?;
        let shown = content.source.display(&path);
        let text = String::from_utf8(bytes).map_err(|_| ContentError::File {
            path: shown.clone(),
            message: "not UTF-8".into(),
        })?;
        decks.push(Deck::parse(&shown, &text)?);
    }
    decks.sort_by(|a, b| a.lesson.cmp(&b.lesson));
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for d in &decks {
        for c in &d.cards {
            if let Some(other) = owner.insert(&c.id, &d.lesson) {
                return Err(ContentError::File {
                    path: format!("{CARDS_DIR}/{}.yaml", d.lesson),
                    message: format!("card id \"{}\" is also in {CARDS_DIR}/{other}.yaml", c.id),
                });
            }
        }
    }
    Ok(decks)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = r#"
lesson: rbac
cards:
  - id: rbac-scope
    type: basic
    question: {en: "What does a RoleBinding grant?", ko: "롤바인딩은 무엇을 부여하나요?"}
    answer: {en: "A role's rules in one namespace", ko: "한 네임스페이스에서 롤의 규칙"}
  - id: rbac-clusterrole-in-ns
    type: choice
    question: {en: "A RoleBinding to a ClusterRole grants it where?", ko: "클러스터롤에 대한 롤바인딩은 어디에 부여되나요?"}
    answer: {en: "Only in the binding's namespace", ko: "바인딩의 네임스페이스에서만"}
    choices:
      - {en: "Cluster-wide", ko: "클러스터 전체"}
      - {en: "In the binding's namespace", ko: "바인딩의 네임스페이스"}
    correct: 1
"#;

    #[test]
    fn parses_both_card_types() {
        let d = Deck::parse("lessons/cards/rbac.yaml", DECK).unwrap();
        assert_eq!(d.lesson, "rbac");
        assert_eq!(d.cards.len(), 2);
        assert_eq!(d.cards[1].kind, CardType::Choice);
        assert_eq!(d.cards[1].correct, Some(1));
    }

    #[test]
    fn rejects_mismatched_lesson_duplicates_and_bad_choices() {
        let e = Deck::parse("lessons/cards/netpol.yaml", DECK)
            .unwrap_err()
            .to_string();
        assert!(e.contains("must match the file name"), "{e}");
        let dup = DECK.replace("rbac-clusterrole-in-ns", "rbac-scope");
        let e = Deck::parse("lessons/cards/rbac.yaml", &dup)
            .unwrap_err()
            .to_string();
        assert!(e.contains("also cards[0]"), "{e}");
        let bad = DECK.replace("correct: 1", "correct: 2");
        let e = Deck::parse("lessons/cards/rbac.yaml", &bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("choice card"), "{e}");
        let unknown = DECK.replace("type: basic", "type: basic\n    hint: x");
        assert!(Deck::parse("lessons/cards/rbac.yaml", &unknown).is_err());
    }

    #[test]
    fn loads_decks_from_a_content_dir_and_rejects_shared_ids() {
        let dir = tempfile::tempdir().unwrap();
        let cards = dir.path().join("lessons/cards");
        std::fs::create_dir_all(&cards).unwrap();
        std::fs::create_dir_all(dir.path().join("exercises")).unwrap();
        std::fs::write(cards.join("rbac.yaml"), DECK).unwrap();
        let content = Content::new(super::super::ContentSource::Dir(dir.path().into())).unwrap();
        let decks = load_decks(&content).unwrap();
        assert_eq!(decks.len(), 1);
        let other = DECK.replace("lesson: rbac", "lesson: authz");
        std::fs::write(cards.join("authz.yaml"), other).unwrap();
        let e = load_decks(&content).unwrap_err().to_string();
        assert!(e.contains("is also in lessons/cards/"), "{e}");
    }

    #[test]
    fn embedded_decks_load() {
        load_decks(&Content::embedded()).expect("built-in review cards are valid");
    }
}
