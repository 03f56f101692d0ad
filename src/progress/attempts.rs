//! What the learner did: graded attempts, hints revealed, lessons read.

use super::error::StoreError;
use super::ids::new_uid;
use super::learners::Learner;
use super::stats;
use super::store::Store;
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// Where a graded attempt came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// `kubedojo check` on the learner's YAML files.
    Yaml,
    /// Graded against a live cluster.
    Live,
    /// Part of a timed exam session.
    Exam,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Yaml => "yaml",
            Source::Live => "live",
            Source::Exam => "exam",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        match s {
            "yaml" => Some(Source::Yaml),
            "live" => Some(Source::Live),
            "exam" => Some(Source::Exam),
            _ => None,
        }
    }
}

/// The hint index that records "the solution was shown".
pub const SOLUTION_HINT: u32 = 1_000_000;

/// A graded attempt to record.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAttempt {
    pub exercise: String,
    /// When it was graded (Unix ms).
    pub at: i64,
    pub source: Source,
    pub passed: bool,
    pub score: u32,
    pub max_score: u32,
    /// The findings, as the `check --json` contract prints them.
    pub findings: serde_json::Value,
    /// How long the learner worked on it, when known.
    pub duration_ms: Option<u64>,
    /// The exam session it belongs to (source `exam`).
    pub exam_session: Option<i64>,
}

/// A recorded attempt, as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attempt {
    pub uid: String,
    pub exercise: String,
    pub at: i64,
    pub source: Source,
    pub passed: bool,
    pub score: u32,
    pub max_score: u32,
    pub findings: serde_json::Value,
    pub duration_ms: Option<u64>,
}

impl Store {
    /// Record one graded attempt, committed (and fsynced) before this
    /// returns, with the summary's aggregates updated in the same
    /// transaction. Returns the attempt's uid.
    pub fn record_attempt(
        &mut self,
        learner: &Learner,
        a: &NewAttempt,
    ) -> Result<String, StoreError> {
        let uid = new_uid();
        let findings = a.findings.to_string();
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        stats::note_attempt(
            &tx,
            &stats::AttemptFacts {
                learner_id: learner.id,
                exercise: &a.exercise,
                at: a.at,
                exam: a.source == Source::Exam,
                passed: a.passed,
                score: a.score,
                max_score: a.max_score,
                duration_ms: a.duration_ms,
            },
        )
        .map_err(sql)?;
        tx.prepare_cached(
            "INSERT INTO attempt
               (uid, learner_id, exercise, at, source, passed, score, max_score,
                findings, duration_ms, exam_session_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .and_then(|mut s| {
            s.execute(params![
                uid,
                learner.id,
                a.exercise,
                a.at,
                a.source.as_str(),
                a.passed,
                a.score,
                a.max_score,
                findings,
                a.duration_ms.map(|d| d as i64),
                a.exam_session,
            ])
        })
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(uid)
    }

    /// A learner's attempts, oldest first (optionally one exercise).
    pub fn attempts(
        &self,
        learner: &Learner,
        exercise: Option<&str>,
    ) -> Result<Vec<Attempt>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT uid, exercise, at, source, passed, score, max_score, findings, duration_ms
                 FROM attempt WHERE learner_id = ?1 AND (?2 IS NULL OR exercise = ?2)
                 ORDER BY at, id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![learner.id, exercise], |r| {
                let source: String = r.get(3)?;
                let findings: String = r.get(7)?;
                Ok(Attempt {
                    uid: r.get(0)?,
                    exercise: r.get(1)?,
                    at: r.get(2)?,
                    source: Source::parse(&source).unwrap_or(Source::Yaml),
                    passed: r.get(4)?,
                    score: r.get(5)?,
                    max_score: r.get(6)?,
                    findings: serde_json::from_str(&findings).unwrap_or(serde_json::Value::Null),
                    duration_ms: r.get::<_, Option<i64>>(8)?.map(|d| d.max(0) as u64),
                })
            })
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Remember that hint `index` of `exercise` was shown (the first time
    /// counts; showing it again changes nothing).
    pub fn reveal_hint(
        &mut self,
        learner: &Learner,
        exercise: &str,
        index: u32,
        at: i64,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO hint_reveal (learner_id, exercise, hint_index, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO UPDATE SET at = MIN(at, excluded.at)",
            )
            .and_then(|mut s| s.execute(params![learner.id, exercise, index, at]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Remember that the exercise's solution was shown (help taken, like
    /// a hint: it is kept as hint index `SOLUTION_HINT`, so exports and
    /// imports carry it with no change to their format).
    pub fn reveal_solution(
        &mut self,
        learner: &Learner,
        exercise: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        self.reveal_hint(learner, exercise, SOLUTION_HINT, at)
    }

    /// Hints revealed for an exercise, by index (`SOLUTION_HINT` when the
    /// solution was shown).
    pub fn hints_revealed(
        &self,
        learner: &Learner,
        exercise: &str,
    ) -> Result<Vec<u32>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT hint_index FROM hint_reveal WHERE learner_id = ?1 AND exercise = ?2 ORDER BY hint_index",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![learner.id, exercise], |r| r.get(0))
            .and_then(|it| it.collect::<Result<Vec<u32>, _>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Remember that a lesson was read (first and latest time).
    pub fn mark_lesson_read(
        &mut self,
        learner: &Learner,
        lesson: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        tx.prepare_cached(
            "INSERT INTO lesson_read (learner_id, lesson, first_read_at, last_read_at)
             VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT DO UPDATE SET
               first_read_at = MIN(first_read_at, excluded.first_read_at),
               last_read_at = MAX(last_read_at, excluded.last_read_at)",
        )
        .and_then(|mut s| s.execute(params![learner.id, lesson, at]))
        .map_err(sql)?;
        stats::note_activity(&tx, learner.id, at).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(())
    }

    /// Lessons read, by id.
    pub fn lessons_read(&self, learner: &Learner) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT lesson FROM lesson_read WHERE learner_id = ?1 ORDER BY lesson")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([learner.id], |r| r.get(0))
            .and_then(|it| it.collect::<Result<Vec<String>, _>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn attempt(exercise: &str, at: i64, passed: bool, score: u32) -> NewAttempt {
        NewAttempt {
            exercise: exercise.into(),
            at,
            source: Source::Yaml,
            passed,
            score,
            max_score: 4,
            findings: serde_json::json!([{"check": "a", "passed": passed}]),
            duration_ms: None,
            exam_session: None,
        }
    }

    #[test]
    fn attempts_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let me = s.ensure_learner("me").unwrap();
        let other = s.ensure_learner("other").unwrap();
        let uid1 = s
            .record_attempt(&me, &attempt("rbac-1", 2000, false, 1))
            .unwrap();
        let mut second = attempt("rbac-1", 1000, true, 4);
        second.duration_ms = Some(90_000);
        s.record_attempt(&me, &second).unwrap();
        s.record_attempt(&other, &attempt("rbac-1", 1500, true, 4))
            .unwrap();
        let got = s.attempts(&me, None).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].at, 1000, "oldest first");
        assert_eq!(got[0].duration_ms, Some(90_000));
        assert_eq!(got[1].uid, uid1);
        assert_eq!(
            got[1].findings,
            serde_json::json!([{"check": "a", "passed": false}])
        );
        assert!(s.attempts(&me, Some("netpol-1")).unwrap().is_empty());
    }

    #[test]
    fn hints_and_lessons_are_remembered_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let me = s.ensure_learner("me").unwrap();
        s.reveal_hint(&me, "ex", 1, 50).unwrap();
        s.reveal_hint(&me, "ex", 0, 60).unwrap();
        s.reveal_hint(&me, "ex", 1, 70).unwrap();
        assert_eq!(s.hints_revealed(&me, "ex").unwrap(), [0, 1]);
        s.reveal_solution(&me, "ex", 80).unwrap();
        assert_eq!(s.hints_revealed(&me, "ex").unwrap(), [0, 1, SOLUTION_HINT]);
        s.mark_lesson_read(&me, "rbac", 10).unwrap();
        s.mark_lesson_read(&me, "rbac", 20).unwrap();
        s.mark_lesson_read(&me, "netpol", 5).unwrap();
        assert_eq!(s.lessons_read(&me).unwrap(), ["netpol", "rbac"]);
        let (first, last): (i64, i64) = s
            .conn
            .query_row(
                "SELECT first_read_at, last_read_at FROM lesson_read WHERE lesson = 'rbac'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((first, last), (10, 20));
    }
}
