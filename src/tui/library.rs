//! The content the app shows, loaded once at start: lessons in both
//! languages (so switching language needs no reload), exercises, review
//! cards, and topics in course order. Read-only after loading.

use crate::content::cards::{Card, Deck, load_decks};
use crate::content::exercise::Exam;
use crate::content::{Content, ContentError, Exercise, Lang, Lesson};
use crate::progress::Catalog;

#[derive(Clone, Debug)]
pub struct Library {
    pub content: Content,
    pub lessons_en: Vec<Lesson>,
    pub lessons_ko: Vec<Lesson>,
    /// In course order: the practised lesson's order, difficulty, id.
    pub exercises: Vec<Exercise>,
    pub decks: Vec<Deck>,
    pub topics: Vec<Topic>,
}

/// A topic: its lessons (ids, in order) and exercises (indices into
/// `Library::exercises`, in course order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    pub id: String,
    pub lessons: Vec<String>,
    pub exercises: Vec<usize>,
}

/// Which exam the learner is studying for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExamFilter {
    #[default]
    All,
    Cka,
    Cks,
}

impl ExamFilter {
    pub fn admits(self, exam: Exam) -> bool {
        match self {
            ExamFilter::All => true,
            ExamFilter::Cka => exam != Exam::Cks,
            ExamFilter::Cks => exam != Exam::Cka,
        }
    }

    pub fn next(self) -> ExamFilter {
        match self {
            ExamFilter::All => ExamFilter::Cka,
            ExamFilter::Cka => ExamFilter::Cks,
            ExamFilter::Cks => ExamFilter::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExamFilter::All => "CKA+CKS",
            ExamFilter::Cka => "CKA",
            ExamFilter::Cks => "CKS",
        }
    }
}

impl Library {
    pub fn load(content: Content) -> Result<Library, ContentError> {
        let lessons_en = content.lessons(Lang::En)?;
        let lessons_ko = content.lessons(Lang::Ko)?;
        let decks = load_decks(&content)?;
        let mut exercises = content.exercises()?;
        let order = |id: Option<&str>| {
            id.and_then(|i| lessons_en.iter().find(|l| l.meta.id == i))
                .map_or(u32::MAX, |l| l.meta.order)
        };
        exercises.sort_by(|a, b| {
            (order(a.lesson.as_deref()), a.difficulty, &a.id).cmp(&(
                order(b.lesson.as_deref()),
                b.difficulty,
                &b.id,
            ))
        });
        let topics = topics(&lessons_en, &exercises);
        Ok(Library {
            content,
            lessons_en,
            lessons_ko,
            exercises,
            decks,
            topics,
        })
    }

    /// Lessons in `lang`, in order (English where a translation is missing).
    pub fn lessons(&self, lang: Lang) -> impl Iterator<Item = &Lesson> {
        self.lessons_en
            .iter()
            .map(move |en| self.lesson(lang, &en.meta.id).unwrap_or(en))
    }

    pub fn lesson(&self, lang: Lang, id: &str) -> Option<&Lesson> {
        let find = |v: &'_ [Lesson]| v.iter().position(|l| l.meta.id == id);
        match lang {
            Lang::Ko => find(&self.lessons_ko)
                .map(|i| &self.lessons_ko[i])
                .or_else(|| find(&self.lessons_en).map(|i| &self.lessons_en[i])),
            Lang::En => find(&self.lessons_en).map(|i| &self.lessons_en[i]),
        }
    }

    pub fn exercise_index(&self, id: &str) -> Option<usize> {
        self.exercises.iter().position(|e| e.id == id)
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.decks
            .iter()
            .flat_map(|d| d.cards.iter())
            .find(|c| c.id == id)
    }

    /// The lesson a card belongs to.
    pub fn card_lesson(&self, id: &str) -> Option<&str> {
        self.decks
            .iter()
            .find(|d| d.cards.iter().any(|c| c.id == id))
            .map(|d| d.lesson.as_str())
    }

    /// A topic's name: the title of its first lesson, else its id.
    pub fn topic_title(&self, lang: Lang, topic: &Topic) -> String {
        topic
            .lessons
            .first()
            .and_then(|id| self.lesson(lang, id))
            .map(|l| l.meta.title.clone())
            .unwrap_or_else(|| topic.id.clone())
    }

    /// Exercises practising a lesson, in course order.
    pub fn lesson_exercises(&self, lesson: &str) -> Vec<usize> {
        (0..self.exercises.len())
            .filter(|&i| self.exercises[i].lesson.as_deref() == Some(lesson))
            .collect()
    }

    pub fn catalog(&self, lang: Lang) -> Catalog {
        Catalog::new(&self.exercises, &self.lessons_en, &self.decks, lang)
    }

    pub fn lesson_exam(&self, id: &str) -> Option<Exam> {
        self.lesson(Lang::En, id).map(|l| l.meta.exam)
    }
}

/// Topics in the order of their first lesson; topics with exercises but
/// no lesson come last, by id.
fn topics(lessons: &[Lesson], exercises: &[Exercise]) -> Vec<Topic> {
    let mut out: Vec<(u32, Topic)> = Vec::new();
    fn entry(out: &mut Vec<(u32, Topic)>, id: &str, order: u32) -> usize {
        match out.iter().position(|(_, t)| t.id == id) {
            Some(i) => {
                out[i].0 = out[i].0.min(order);
                i
            }
            None => {
                out.push((
                    order,
                    Topic {
                        id: id.to_string(),
                        lessons: Vec::new(),
                        exercises: Vec::new(),
                    },
                ));
                out.len() - 1
            }
        }
    }
    for l in lessons {
        let i = entry(&mut out, &l.meta.topic, l.meta.order);
        out[i].1.lessons.push(l.meta.id.clone());
    }
    for (k, e) in exercises.iter().enumerate() {
        let i = entry(&mut out, &e.topic, u32::MAX);
        out[i].1.exercises.push(k);
    }
    out.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    out.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_content_loads_into_topics_in_course_order() {
        let lib = Library::load(Content::embedded()).unwrap();
        assert_eq!(lib.topics[0].id, "tls", "TLS is lesson 1");
        assert!(lib.topics.iter().all(|t| !t.lessons.is_empty()));
        let rbac = lib.topics.iter().find(|t| t.id == "rbac").unwrap();
        assert_eq!(rbac.lessons, ["rbac"]);
        assert!(rbac.exercises.len() >= 3);
        let ids: Vec<&str> = rbac
            .exercises
            .iter()
            .map(|&i| lib.exercises[i].id.as_str())
            .collect();
        assert!(ids.contains(&"rbac-jane-read-pods"), "{ids:?}");
        assert_eq!(lib.lesson(Lang::Ko, "rbac").unwrap().lang, Lang::Ko);
        assert!(lib.card("rbac-scope").is_some() || !lib.decks.is_empty());
    }

    #[test]
    fn exam_filter_admits_both_and_its_own() {
        assert!(ExamFilter::Cka.admits(Exam::Both));
        assert!(ExamFilter::Cka.admits(Exam::Cka));
        assert!(!ExamFilter::Cka.admits(Exam::Cks));
        assert!(!ExamFilter::Cks.admits(Exam::Cka));
        assert!(ExamFilter::All.admits(Exam::Cks));
        assert_eq!(ExamFilter::Cks.next(), ExamFilter::All);
    }
}
