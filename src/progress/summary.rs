//! The progress summary: a few aggregate queries (each served by an index)
//! turned into mastery, streaks, time spent and what to do next.

use super::error::StoreError;
use super::learners::Learner;
use super::mastery::{self, Catalog, DomainMastery, ExerciseStat, Next, Streak, TopicMastery};
use super::store::Store;
use jiff::tz::TimeZone;
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

use super::stats::BUCKET_MS;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub learner: String,
    pub attempts: u64,
    pub passed_attempts: u64,
    /// Exercises of the content passed at least once / in the content.
    pub exercises_passed: usize,
    pub exercises_total: usize,
    /// Attempts on exercises the content no longer has.
    pub other_attempts: u64,
    pub time_spent_ms: i64,
    pub streak: Streak,
    pub last_activity: Option<i64>,
    pub topics: Vec<TopicMastery>,
    pub domains: Vec<DomainMastery>,
    pub next: Option<Next>,
    pub reviews_due: usize,
    pub reviews_new: usize,
    pub lessons_read: usize,
    pub lessons_total: usize,
    pub hints_revealed: u64,
    pub exams_taken: u64,
}

impl Summary {
    /// The summary of a learner with no history yet (no database, or a
    /// learner never seen): what the course holds and where to start.
    pub fn without_history(learner: &str, catalog: &Catalog) -> Summary {
        let none = HashMap::new();
        let topics = mastery::topics(catalog, &none);
        Summary {
            learner: learner.to_string(),
            attempts: 0,
            passed_attempts: 0,
            exercises_passed: 0,
            exercises_total: catalog.exercises.len(),
            other_attempts: 0,
            time_spent_ms: 0,
            streak: Streak::default(),
            last_activity: None,
            domains: mastery::domains(catalog, &none),
            next: mastery::next_exercise(catalog, &none, &topics, None),
            topics,
            reviews_due: 0,
            reviews_new: catalog.cards.len(),
            lessons_read: 0,
            lessons_total: catalog.lessons.len(),
            hints_revealed: 0,
            exams_taken: 0,
        }
    }
}

impl Store {
    /// Everything `kubedojo progress` shows, at `now` in time zone `tz`.
    pub fn summary(
        &self,
        learner: &Learner,
        catalog: &Catalog,
        now: i64,
        tz: &TimeZone,
    ) -> Result<Summary, StoreError> {
        let stats = self.exercise_stats(learner)?;
        let by_id: HashMap<&str, &ExerciseStat> =
            stats.iter().map(|s| (s.exercise.as_str(), s)).collect();
        let in_catalog: std::collections::HashSet<&str> =
            catalog.exercises.iter().map(|e| e.id.as_str()).collect();
        let topics = mastery::topics(catalog, &by_id);
        let domains = mastery::domains(catalog, &by_id);
        let last = self.last_attempt(learner)?;
        let next = mastery::next_exercise(
            catalog,
            &by_id,
            &topics,
            last.as_ref().map(|(e, _)| e.as_str()),
        );
        let passed_attempts: u64 = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(SUM(passes), 0) FROM exercise_stat WHERE learner_id = ?1",
            )
            .and_then(|mut s| s.query_row([learner.id], |r| r.get::<_, i64>(0)))
            .map_err(|e| self.err(e))?
            .max(0) as u64;
        let today = jiff::Timestamp::from_millisecond(now)
            .map(|t| t.to_zoned(tz.clone()).date())
            .map_err(|e| StoreError::Invalid(format!("bad time {now}: {e}")))?;
        let days = local_days(&self.activity_buckets(learner)?, tz);
        let queue = self.review_queue(learner, &catalog.cards, now)?;
        let read: BTreeSet<String> = self.lessons_read(learner)?.into_iter().collect();
        let count = |sql: &str| -> Result<u64, StoreError> {
            self.conn
                .prepare_cached(sql)
                .and_then(|mut s| s.query_row([learner.id], |r| r.get::<_, i64>(0)))
                .map(|n| n.max(0) as u64)
                .map_err(|e| self.err(e))
        };
        Ok(Summary {
            learner: learner.name.clone(),
            attempts: stats.iter().map(|s| s.attempts).sum(),
            passed_attempts,
            exercises_passed: stats
                .iter()
                .filter(|s| s.passed && in_catalog.contains(s.exercise.as_str()))
                .count(),
            exercises_total: catalog.exercises.len(),
            other_attempts: stats
                .iter()
                .filter(|s| !in_catalog.contains(s.exercise.as_str()))
                .map(|s| s.attempts)
                .sum(),
            time_spent_ms: self.time_spent(learner)?,
            streak: mastery::streak(days, today),
            last_activity: last.map(|(_, at)| at),
            topics,
            domains,
            next,
            reviews_due: queue.due.len(),
            reviews_new: queue.new.len(),
            lessons_read: catalog.lessons.iter().filter(|l| read.contains(*l)).count(),
            lessons_total: catalog.lessons.len(),
            hints_revealed: count("SELECT COUNT(*) FROM hint_reveal WHERE learner_id = ?1")?,
            exams_taken: count(
                "SELECT COUNT(*) FROM exam_session WHERE learner_id = ?1 AND ended_at IS NOT NULL",
            )?,
        })
    }

    /// Per-exercise attempts, pass, best score fraction, last time (the
    /// maintained aggregate).
    pub fn exercise_stats(&self, learner: &Learner) -> Result<Vec<ExerciseStat>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT exercise, attempts, passes, best, last_at
                 FROM exercise_stat WHERE learner_id = ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([learner.id], |r| {
                Ok(ExerciseStat {
                    exercise: r.get(0)?,
                    attempts: r.get::<_, i64>(1)?.max(0) as u64,
                    passed: r.get::<_, i64>(2)? > 0,
                    best: r.get(3)?,
                    last_at: r.get(4)?,
                })
            })
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// The most recent attempt: exercise and time.
    fn last_attempt(&self, learner: &Learner) -> Result<Option<(String, i64)>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT exercise, at FROM attempt WHERE learner_id = ?1 ORDER BY at DESC, id DESC LIMIT 1",
            )
            .and_then(|mut s| s.query_row([learner.id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(|e| self.err(e))
    }

    /// Time spent: attempts (measured, or short gaps between them; see
    /// [`super::stats::IDLE_GAP_MS`]), card reviews' measured time, and
    /// finished exam sessions (which cover their own attempts).
    pub fn time_spent(&self, learner: &Learner) -> Result<i64, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT
                   (SELECT COALESCE(SUM(time_ms), 0) FROM exercise_stat WHERE learner_id = ?1)
                 + (SELECT COALESCE(SUM(duration_ms), 0) FROM card_review WHERE learner_id = ?1)
                 + (SELECT COALESCE(SUM(ended_at - started_at), 0) FROM exam_session
                    WHERE learner_id = ?1 AND ended_at IS NOT NULL)",
            )
            .and_then(|mut s| s.query_row([learner.id], |r| r.get(0)))
            .map_err(|e| self.err(e))
    }

    /// Quarter-hour buckets with any activity, oldest first.
    fn activity_buckets(&self, learner: &Learner) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT bucket FROM activity WHERE learner_id = ?1 ORDER BY bucket")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([learner.id], |r| r.get(0))
            .and_then(|it| it.collect::<Result<Vec<i64>, _>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}

/// Local calendar days of quarter-hour buckets (sorted). The zone's offset
/// is looked up once per UTC day, not per bucket, unless it changes within
/// that day (a DST switch), where each bucket gets its own.
fn local_days(buckets: &[i64], tz: &TimeZone) -> Vec<jiff::civil::Date> {
    let per_day = 86_400_000 / BUCKET_MS;
    let mut days = Vec::new();
    let mut i = 0;
    while i < buckets.len() {
        let day = buckets[i].div_euclid(per_day);
        let mut j = i;
        while j < buckets.len() && buckets[j].div_euclid(per_day) == day {
            j += 1;
        }
        let to_date = |b: i64| {
            jiff::Timestamp::from_millisecond(b * BUCKET_MS)
                .ok()
                .map(|t| t.to_zoned(tz.clone()).date())
        };
        let first_off = jiff::Timestamp::from_millisecond(buckets[i] * BUCKET_MS)
            .ok()
            .map(|t| tz.to_offset(t));
        let last_off = jiff::Timestamp::from_millisecond(buckets[j - 1] * BUCKET_MS)
            .ok()
            .map(|t| tz.to_offset(t));
        if first_off == last_off {
            // One offset for the run: only the first and last can differ in
            // local date, and days in between are covered by them.
            days.extend(to_date(buckets[i]));
            days.extend(to_date(buckets[j - 1]));
        } else {
            days.extend(buckets[i..j].iter().filter_map(|b| to_date(*b)));
        }
        i = j;
    }
    days.dedup();
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::attempts::{NewAttempt, Source};
    use crate::progress::mastery::{CatalogExercise, NextReason};

    const MIN: i64 = 60_000;
    const DAY: i64 = 86_400_000;
    /// 2026-03-10T12:00:00Z
    const NOON: i64 = 1_773_144_000_000;

    fn catalog() -> Catalog {
        let ex = |id: &str, topic: &str, order| CatalogExercise {
            id: id.into(),
            topic: topic.into(),
            title: id.into(),
            cka_domain: Some(format!("{topic}-domain")),
            cks_domain: None,
            course_key: (order, 1, id.into()),
        };
        Catalog {
            exercises: vec![
                ex("rbac-1", "rbac", 1),
                ex("rbac-2", "rbac", 1),
                ex("netpol-1", "netpol", 2),
            ],
            cards: vec!["c1".into(), "c2".into()],
            lessons: vec!["rbac".into(), "netpol".into()],
        }
    }

    fn attempt(
        exercise: &str,
        at: i64,
        passed: bool,
        score: u32,
        duration: Option<u64>,
    ) -> NewAttempt {
        NewAttempt {
            exercise: exercise.into(),
            at,
            source: Source::Yaml,
            passed,
            score,
            max_score: 4,
            findings: serde_json::json!([]),
            duration_ms: duration,
            exam_session: None,
        }
    }

    #[test]
    fn summary_of_a_learner() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let me = s.ensure_learner("me").unwrap();
        let other = s.ensure_learner("other").unwrap();
        // Yesterday: a pass after a failure 5 minutes earlier.
        s.record_attempt(&me, &attempt("rbac-1", NOON - DAY, false, 2, None))
            .unwrap();
        s.record_attempt(&me, &attempt("rbac-1", NOON - DAY + 5 * MIN, true, 4, None))
            .unwrap();
        // Today: one timed attempt, then one unfinished 3 minutes later.
        s.record_attempt(&me, &attempt("rbac-2", NOON, false, 1, Some(120_000)))
            .unwrap();
        s.record_attempt(&me, &attempt("netpol-1", NOON + 3 * MIN, false, 3, None))
            .unwrap();
        s.record_attempt(
            &me,
            &attempt("gone-exercise", NOON - 3 * DAY, true, 4, None),
        )
        .unwrap();
        s.record_attempt(&other, &attempt("netpol-1", NOON, true, 4, None))
            .unwrap();
        s.reveal_hint(&me, "netpol-1", 0, NOON).unwrap();
        s.mark_lesson_read(&me, "rbac", NOON - DAY).unwrap();
        s.review_card(
            &me,
            "c1",
            crate::progress::fsrs::Rating::Easy,
            NOON,
            Some(10_000),
        )
        .unwrap();

        let sum = s
            .summary(&me, &catalog(), NOON + 10 * MIN, &TimeZone::UTC)
            .unwrap();
        assert_eq!(sum.attempts, 5);
        assert_eq!(sum.passed_attempts, 2);
        assert_eq!((sum.exercises_passed, sum.exercises_total), (1, 3));
        assert_eq!(sum.other_attempts, 1);
        // 5 min gap + 120 s measured + 3 min gap + 10 s of review.
        assert_eq!(sum.time_spent_ms, 5 * MIN + 120_000 + 3 * MIN + 10_000);
        assert_eq!(
            sum.streak,
            Streak {
                current: 2,
                longest: 2,
                active_today: true
            }
        );
        assert_eq!(sum.last_activity, Some(NOON + 3 * MIN));
        let topics: Vec<(&str, f64)> = sum
            .topics
            .iter()
            .map(|t| (t.topic.as_str(), t.mastery))
            .collect();
        assert_eq!(topics, [("rbac", (1.0 + 0.25) / 2.0), ("netpol", 0.75)]);
        assert_eq!(sum.domains.len(), 2);
        let next = sum.next.unwrap();
        assert_eq!(
            (next.exercise.as_str(), next.reason),
            ("netpol-1", NextReason::Continue)
        );
        assert_eq!((sum.reviews_due, sum.reviews_new), (0, 1));
        assert_eq!((sum.lessons_read, sum.lessons_total), (1, 2));
        assert_eq!(sum.hints_revealed, 1);
    }

    #[test]
    fn days_are_local_days() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let me = s.ensure_learner("me").unwrap();
        // 23:30 and 00:30 UTC are different UTC days, but the same day in
        // Seoul (08:30 and 09:30 KST).
        let late = NOON + 11 * 60 * MIN + 30 * MIN;
        s.record_attempt(&me, &attempt("rbac-1", late, false, 0, None))
            .unwrap();
        s.record_attempt(&me, &attempt("rbac-1", late + 60 * MIN, false, 0, None))
            .unwrap();
        let utc = s
            .summary(&me, &catalog(), late + 61 * MIN, &TimeZone::UTC)
            .unwrap();
        assert_eq!(utc.streak.longest, 2);
        let seoul = TimeZone::get("Asia/Seoul").unwrap();
        let kst = s.summary(&me, &catalog(), late + 61 * MIN, &seoul).unwrap();
        assert_eq!(kst.streak.longest, 1);
        assert!(kst.streak.active_today);
    }

    #[test]
    fn empty_history() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let me = s.ensure_learner("me").unwrap();
        let sum = s.summary(&me, &catalog(), NOON, &TimeZone::UTC).unwrap();
        assert_eq!(
            (sum.attempts, sum.time_spent_ms, sum.streak.current),
            (0, 0, 0)
        );
        assert_eq!(sum.next.as_ref().unwrap().exercise, "rbac-1");
        assert_eq!(sum.reviews_new, 2);
        assert_eq!(Summary::without_history("me", &catalog()), sum);
    }
}

#[cfg(test)]
mod local_day_tests {
    use super::*;

    fn naive(buckets: &[i64], tz: &TimeZone) -> Vec<jiff::civil::Date> {
        let mut v: Vec<_> = buckets
            .iter()
            .map(|b| {
                jiff::Timestamp::from_millisecond(b * BUCKET_MS)
                    .unwrap()
                    .to_zoned(tz.clone())
                    .date()
            })
            .collect();
        v.dedup();
        v
    }

    #[test]
    fn local_days_agree_with_converting_every_bucket() {
        // Every quarter hour over the March 2026 DST switch in New York, in
        // Kathmandu (+05:45) and in Seoul, and a sparse pattern.
        let start: i64 = "2026-03-06T00:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond()
            / BUCKET_MS;
        let dense: Vec<i64> = (start..start + 4 * 96 * 5).collect();
        let sparse: Vec<i64> = (start..start + 96 * 30)
            .filter(|b| b % 37 == 0 || b % 96 == 95)
            .collect();
        for zone in ["America/New_York", "Asia/Kathmandu", "Asia/Seoul", "UTC"] {
            let tz = TimeZone::get(zone).unwrap();
            assert_eq!(local_days(&dense, &tz), naive(&dense, &tz), "{zone} dense");
            assert_eq!(
                local_days(&sparse, &tz),
                naive(&sparse, &tz),
                "{zone} sparse"
            );
        }
        assert!(local_days(&[], &TimeZone::UTC).is_empty());
    }
}
