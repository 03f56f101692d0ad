//! Mastery, streaks and "what next", computed from per-exercise statistics
//! and the content's catalog. Pure: the store supplies the numbers.
//!
//! Definitions (shown to learners, so kept simple):
//! - an exercise's credit is 1 once passed, else its best score fraction;
//! - a topic's (or exam domain's) mastery is the mean credit of its
//!   exercises, untried ones counting 0;
//! - a streak is a run of calendar days (local time) with any activity;
//!   today not being over yet, a streak that reached yesterday is alive.

use crate::content::cards::Deck;
use crate::content::{Exercise, Lesson};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What the summary needs to know about one exercise of the content.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogExercise {
    pub id: String,
    pub topic: String,
    pub title: String,
    pub cka_domain: Option<String>,
    pub cks_domain: Option<String>,
    /// Position in the course: the practised lesson's order (unknown
    /// lessons last), then difficulty, then id.
    pub course_key: (u32, u32, String),
}

/// The content as progress sees it, in course order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    pub exercises: Vec<CatalogExercise>,
    /// Review card ids in lesson order.
    pub cards: Vec<String>,
    /// Lesson ids in order.
    pub lessons: Vec<String>,
}

impl Catalog {
    pub fn new(
        exercises: &[Exercise],
        lessons: &[Lesson],
        decks: &[Deck],
        lang: crate::content::Lang,
    ) -> Catalog {
        let order: HashMap<&str, u32> = lessons
            .iter()
            .map(|l| (l.meta.id.as_str(), l.meta.order))
            .collect();
        let lesson_order =
            |id: Option<&str>| id.and_then(|i| order.get(i).copied()).unwrap_or(u32::MAX);
        let mut ex: Vec<CatalogExercise> = exercises
            .iter()
            .map(|e| CatalogExercise {
                id: e.id.clone(),
                topic: e.topic.clone(),
                title: e.title.get(lang).to_string(),
                cka_domain: e.domains.cka.clone(),
                cks_domain: e.domains.cks.clone(),
                course_key: (
                    lesson_order(e.lesson.as_deref()),
                    e.difficulty,
                    e.id.clone(),
                ),
            })
            .collect();
        ex.sort_by(|a, b| a.course_key.cmp(&b.course_key));
        let mut decks: Vec<&Deck> = decks.iter().collect();
        decks.sort_by_key(|d| (lesson_order(Some(&d.lesson)), d.lesson.clone()));
        let mut lesson_ids: Vec<(u32, String)> = lessons
            .iter()
            .map(|l| (l.meta.order, l.meta.id.clone()))
            .collect();
        lesson_ids.sort();
        Catalog {
            exercises: ex,
            cards: decks
                .iter()
                .flat_map(|d| d.cards.iter().map(|c| c.id.clone()))
                .collect(),
            lessons: lesson_ids.into_iter().map(|(_, id)| id).collect(),
        }
    }

    pub fn exercise(&self, id: &str) -> Option<&CatalogExercise> {
        self.exercises.iter().find(|e| e.id == id)
    }
}

/// A learner's record on one exercise.
#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseStat {
    pub exercise: String,
    pub attempts: u64,
    pub passed: bool,
    /// Best score fraction (0..=1).
    pub best: f64,
    pub last_at: i64,
}

impl ExerciseStat {
    pub fn credit(&self) -> f64 {
        if self.passed {
            1.0
        } else {
            self.best.clamp(0.0, 1.0)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopicMastery {
    pub topic: String,
    /// 0..=1
    pub mastery: f64,
    pub passed: usize,
    pub total: usize,
    pub attempts: u64,
    pub last_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DomainMastery {
    /// `CKA` or `CKS`.
    pub exam: &'static str,
    pub domain: String,
    pub mastery: f64,
    pub passed: usize,
    pub total: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NextReason {
    /// The last exercise tried, not yet passed.
    Continue,
    /// The unfinished topic with the lowest mastery among those started.
    WeakestTopic,
    /// The next unfinished exercise in course order.
    NextInCourse,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Next {
    pub exercise: String,
    pub topic: String,
    pub title: String,
    pub reason: NextReason,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Streak {
    /// Days in the run that reaches today (or yesterday).
    pub current: u32,
    pub longest: u32,
    pub active_today: bool,
}

/// Mastery per topic, in course order.
pub fn topics(catalog: &Catalog, stats: &HashMap<&str, &ExerciseStat>) -> Vec<TopicMastery> {
    let mut order: Vec<&str> = Vec::new();
    let mut groups: HashMap<&str, Vec<&CatalogExercise>> = HashMap::new();
    for e in &catalog.exercises {
        if !groups.contains_key(e.topic.as_str()) {
            order.push(&e.topic);
        }
        groups.entry(&e.topic).or_default().push(e);
    }
    order
        .into_iter()
        .map(|topic| {
            let exs = &groups[topic];
            let st: Vec<&ExerciseStat> = exs
                .iter()
                .filter_map(|e| stats.get(e.id.as_str()).copied())
                .collect();
            TopicMastery {
                topic: topic.to_string(),
                mastery: mean_credit(exs.len(), &st),
                passed: st.iter().filter(|s| s.passed).count(),
                total: exs.len(),
                attempts: st.iter().map(|s| s.attempts).sum(),
                last_at: st.iter().map(|s| s.last_at).max(),
            }
        })
        .collect()
}

/// Mastery per exam domain: CKA domains first, then CKS, each by name.
pub fn domains(catalog: &Catalog, stats: &HashMap<&str, &ExerciseStat>) -> Vec<DomainMastery> {
    let mut groups: BTreeMap<(&'static str, &str), Vec<&CatalogExercise>> = BTreeMap::new();
    for e in &catalog.exercises {
        if let Some(d) = &e.cka_domain {
            groups.entry(("CKA", d)).or_default().push(e);
        }
        if let Some(d) = &e.cks_domain {
            groups.entry(("CKS", d)).or_default().push(e);
        }
    }
    groups
        .into_iter()
        .map(|((exam, domain), exs)| {
            let st: Vec<&ExerciseStat> = exs
                .iter()
                .filter_map(|e| stats.get(e.id.as_str()).copied())
                .collect();
            DomainMastery {
                exam,
                domain: domain.to_string(),
                mastery: mean_credit(exs.len(), &st),
                passed: st.iter().filter(|s| s.passed).count(),
                total: exs.len(),
            }
        })
        .collect()
}

fn mean_credit(total: usize, tried: &[&ExerciseStat]) -> f64 {
    if total == 0 {
        return 0.0;
    }
    tried.iter().map(|s| s.credit()).sum::<f64>() / total as f64
}

/// What the learner should do next; `None` when everything is passed.
/// `last` is the most recent attempt's exercise.
pub fn next_exercise(
    catalog: &Catalog,
    stats: &HashMap<&str, &ExerciseStat>,
    topics: &[TopicMastery],
    last: Option<&str>,
) -> Option<Next> {
    let passed = |id: &str| stats.get(id).is_some_and(|s| s.passed);
    let pick = |e: &CatalogExercise, reason| Next {
        exercise: e.id.clone(),
        topic: e.topic.clone(),
        title: e.title.clone(),
        reason,
    };
    if let Some(e) = last
        .and_then(|id| catalog.exercise(id))
        .filter(|e| !passed(&e.id))
    {
        return Some(pick(e, NextReason::Continue));
    }
    let started_unfinished = topics
        .iter()
        .filter(|t| t.attempts > 0 && t.passed < t.total)
        .min_by(|a, b| a.mastery.total_cmp(&b.mastery));
    let weakest = started_unfinished.and_then(|t| {
        catalog
            .exercises
            .iter()
            .find(|e| e.topic == t.topic && !passed(&e.id))
    });
    if let Some(e) = weakest {
        return Some(pick(e, NextReason::WeakestTopic));
    }
    catalog
        .exercises
        .iter()
        .find(|e| !passed(&e.id))
        .map(|e| pick(e, NextReason::NextInCourse))
}

/// Streaks over the days with activity (any order, duplicates allowed).
pub fn streak(mut days: Vec<Date>, today: Date) -> Streak {
    days.sort();
    days.dedup();
    let mut longest = 0u32;
    let mut run = 0u32;
    let mut prev: Option<Date> = None;
    for d in &days {
        run = match prev {
            Some(p) if p.tomorrow().ok() == Some(*d) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        prev = Some(*d);
    }
    let active_today = days.last() == Some(&today);
    let yesterday = today.yesterday().ok();
    let alive = active_today || (days.last().copied() == yesterday && yesterday.is_some());
    Streak {
        current: if alive { run } else { 0 },
        longest,
        active_today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ex(
        id: &str,
        topic: &str,
        order: u32,
        cka: Option<&str>,
        cks: Option<&str>,
    ) -> CatalogExercise {
        CatalogExercise {
            id: id.into(),
            topic: topic.into(),
            title: format!("title of {id}"),
            cka_domain: cka.map(String::from),
            cks_domain: cks.map(String::from),
            course_key: (order, 1, id.into()),
        }
    }

    fn catalog() -> Catalog {
        Catalog {
            exercises: vec![
                ex("rbac-1", "rbac", 1, Some("cluster-architecture"), None),
                ex(
                    "rbac-2",
                    "rbac",
                    1,
                    Some("cluster-architecture"),
                    Some("cluster-hardening"),
                ),
                ex("netpol-1", "netpol", 2, Some("services-networking"), None),
                ex(
                    "netpol-2",
                    "netpol",
                    2,
                    None,
                    Some("minimize-microservice-vulnerabilities"),
                ),
                ex(
                    "podsec-1",
                    "podsec",
                    3,
                    None,
                    Some("minimize-microservice-vulnerabilities"),
                ),
            ],
            cards: vec![],
            lessons: vec![],
        }
    }

    fn stat(id: &str, attempts: u64, passed: bool, best: f64, last_at: i64) -> ExerciseStat {
        ExerciseStat {
            exercise: id.into(),
            attempts,
            passed,
            best,
            last_at,
        }
    }

    fn index(stats: &[ExerciseStat]) -> HashMap<&str, &ExerciseStat> {
        stats.iter().map(|s| (s.exercise.as_str(), s)).collect()
    }

    #[test]
    fn topic_mastery_is_the_mean_credit_in_course_order() {
        let stats = [
            stat("rbac-1", 3, true, 1.0, 30),
            stat("rbac-2", 1, false, 0.5, 40),
            stat("netpol-1", 2, false, 0.25, 10),
        ];
        let t = topics(&catalog(), &index(&stats));
        let got: Vec<(&str, f64, usize, usize, u64)> = t
            .iter()
            .map(|t| (t.topic.as_str(), t.mastery, t.passed, t.total, t.attempts))
            .collect();
        assert_eq!(
            got,
            [
                ("rbac", 0.75, 1, 2, 4),
                ("netpol", 0.125, 0, 2, 2),
                ("podsec", 0.0, 0, 1, 0)
            ]
        );
        assert_eq!(t[0].last_at, Some(40));
        assert_eq!(t[2].last_at, None);
    }

    #[test]
    fn domain_mastery_groups_by_exam_and_domain() {
        let stats = [
            stat("rbac-2", 1, true, 1.0, 1),
            stat("podsec-1", 1, false, 0.5, 2),
        ];
        let d = domains(&catalog(), &index(&stats));
        let got: Vec<(&str, &str, f64, usize, usize)> = d
            .iter()
            .map(|d| (d.exam, d.domain.as_str(), d.mastery, d.passed, d.total))
            .collect();
        assert_eq!(
            got,
            [
                ("CKA", "cluster-architecture", 0.5, 1, 2),
                ("CKA", "services-networking", 0.0, 0, 1),
                ("CKS", "cluster-hardening", 1.0, 1, 1),
                ("CKS", "minimize-microservice-vulnerabilities", 0.25, 0, 2),
            ]
        );
    }

    #[test]
    fn next_continues_an_unfinished_last_exercise() {
        let c = catalog();
        let stats = [
            stat("rbac-1", 1, true, 1.0, 1),
            stat("netpol-2", 1, false, 0.5, 2),
        ];
        let idx = index(&stats);
        let n = next_exercise(&c, &idx, &topics(&c, &idx), Some("netpol-2")).unwrap();
        assert_eq!(
            (n.exercise.as_str(), n.reason),
            ("netpol-2", NextReason::Continue)
        );
    }

    #[test]
    fn next_goes_to_the_weakest_started_topic_then_the_course() {
        let c = catalog();
        // rbac started (0.5 + 1)/2 = 0.75, netpol started 0.2/2 = 0.1: netpol.
        let stats = [
            stat("rbac-1", 1, true, 1.0, 5),
            stat("rbac-2", 1, false, 0.5, 4),
            stat("netpol-2", 1, false, 0.2, 3),
        ];
        let idx = index(&stats);
        let n = next_exercise(&c, &idx, &topics(&c, &idx), Some("rbac-1")).unwrap();
        assert_eq!(
            (n.exercise.as_str(), n.reason),
            ("netpol-1", NextReason::WeakestTopic)
        );

        // Everything started is finished: the course goes on.
        let stats = [
            stat("rbac-1", 1, true, 1.0, 5),
            stat("rbac-2", 2, true, 1.0, 6),
        ];
        let idx = index(&stats);
        let n = next_exercise(&c, &idx, &topics(&c, &idx), Some("rbac-2")).unwrap();
        assert_eq!(
            (n.exercise.as_str(), n.reason),
            ("netpol-1", NextReason::NextInCourse)
        );

        // A beginner starts at the beginning.
        let n = next_exercise(&c, &HashMap::new(), &topics(&c, &HashMap::new()), None).unwrap();
        assert_eq!(
            (n.exercise.as_str(), n.reason),
            ("rbac-1", NextReason::NextInCourse)
        );

        // All done: nothing next.
        let all: Vec<ExerciseStat> = c
            .exercises
            .iter()
            .map(|e| stat(&e.id, 1, true, 1.0, 1))
            .collect();
        let idx = index(&all);
        assert_eq!(
            next_exercise(&c, &idx, &topics(&c, &idx), Some("rbac-1")),
            None
        );
    }

    #[test]
    fn streaks_count_consecutive_local_days() {
        let today = date(2026, 3, 10);
        let days = vec![
            date(2026, 3, 1),
            date(2026, 3, 2),
            date(2026, 3, 3),
            date(2026, 3, 3),
            date(2026, 3, 8),
            date(2026, 3, 9),
        ];
        let s = streak(days.clone(), today);
        assert_eq!(
            s,
            Streak {
                current: 2,
                longest: 3,
                active_today: false
            }
        );
        let mut with_today = days.clone();
        with_today.push(today);
        assert_eq!(
            streak(with_today, today),
            Streak {
                current: 3,
                longest: 3,
                active_today: true
            }
        );
        let s = streak(vec![date(2026, 3, 7)], today);
        assert_eq!((s.current, s.longest), (0, 1), "a gap breaks the streak");
        assert_eq!(streak(vec![], today), Streak::default());
        // Month boundaries are consecutive days.
        let s = streak(vec![date(2026, 2, 28), date(2026, 3, 1)], date(2026, 3, 1));
        assert_eq!(s.current, 2);
    }
}
