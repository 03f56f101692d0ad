//! Timed exam sessions: started, then finished with a score. Their tasks'
//! attempts are recorded with source `exam` and point at the session.

use super::error::StoreError;
use super::ids::new_uid;
use super::learners::Learner;
use super::store::Store;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExamKind {
    #[serde(rename = "CKA")]
    Cka,
    #[serde(rename = "CKS")]
    Cks,
}

impl ExamKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExamKind::Cka => "CKA",
            ExamKind::Cks => "CKS",
        }
    }

    pub fn parse(s: &str) -> Option<ExamKind> {
        match s {
            "CKA" => Some(ExamKind::Cka),
            "CKS" => Some(ExamKind::Cks),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExamSession {
    pub id: i64,
    pub uid: String,
    pub exam: ExamKind,
    pub started_at: i64,
    pub time_limit_s: u32,
    pub ended_at: Option<i64>,
    pub score: Option<u32>,
    pub max_score: Option<u32>,
    pub passed: Option<bool>,
}

impl Store {
    pub fn start_exam(
        &mut self,
        learner: &Learner,
        exam: ExamKind,
        time_limit_s: u32,
        at: i64,
    ) -> Result<ExamSession, StoreError> {
        if time_limit_s == 0 {
            return Err(StoreError::Invalid("an exam needs a time limit".into()));
        }
        let uid = new_uid();
        self.conn
            .execute(
                "INSERT INTO exam_session (uid, learner_id, exam, started_at, time_limit_s)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![uid, learner.id, exam.as_str(), at, time_limit_s],
            )
            .map_err(|e| self.err(e))?;
        Ok(ExamSession {
            id: self.conn.last_insert_rowid(),
            uid,
            exam,
            started_at: at,
            time_limit_s,
            ended_at: None,
            score: None,
            max_score: None,
            passed: None,
        })
    }

    /// Close a session with its result. A session is finished once.
    pub fn finish_exam(
        &mut self,
        session_id: i64,
        at: i64,
        score: u32,
        max_score: u32,
        passed: bool,
    ) -> Result<(), StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE exam_session SET ended_at = ?2, score = ?3, max_score = ?4, passed = ?5
                 WHERE id = ?1 AND ended_at IS NULL",
                params![session_id, at, score, max_score, passed],
            )
            .map_err(|e| self.err(e))?;
        if n == 0 {
            return Err(StoreError::Invalid(format!(
                "exam session {session_id} does not exist or is already finished"
            )));
        }
        Ok(())
    }

    pub fn exam_session(&self, session_id: i64) -> Result<Option<ExamSession>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, uid, exam, started_at, time_limit_s, ended_at, score, max_score, passed
                 FROM exam_session WHERE id = ?1",
                [session_id],
                session_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn exam_sessions(&self, learner: &Learner) -> Result<Vec<ExamSession>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, uid, exam, started_at, time_limit_s, ended_at, score, max_score, passed
                 FROM exam_session WHERE learner_id = ?1 ORDER BY started_at",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([learner.id], session_row)
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}

fn session_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExamSession> {
    let exam: String = r.get(2)?;
    Ok(ExamSession {
        id: r.get(0)?,
        uid: r.get(1)?,
        exam: ExamKind::parse(&exam).unwrap_or(ExamKind::Cka),
        started_at: r.get(3)?,
        time_limit_s: r.get(4)?,
        ended_at: r.get(5)?,
        score: r.get(6)?,
        max_score: r.get(7)?,
        passed: r.get(8)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::attempts::{NewAttempt, Source};

    #[test]
    fn sessions_start_finish_once_and_own_their_attempts() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let me = s.ensure_learner("me").unwrap();
        let session = s.start_exam(&me, ExamKind::Cks, 7200, 1_000).unwrap();
        s.record_attempt(
            &me,
            &NewAttempt {
                exercise: "podsec-1".into(),
                at: 2_000,
                source: Source::Exam,
                passed: true,
                score: 3,
                max_score: 3,
                findings: serde_json::json!([]),
                duration_ms: Some(600_000),
                exam_session: Some(session.id),
            },
        )
        .unwrap();
        s.finish_exam(session.id, 5_000, 60, 100, false).unwrap();
        assert!(s.finish_exam(session.id, 6_000, 70, 100, true).is_err());
        let got = s.exam_session(session.id).unwrap().unwrap();
        assert_eq!(
            (got.ended_at, got.score, got.passed),
            (Some(5_000), Some(60), Some(false))
        );
        assert_eq!(s.exam_sessions(&me).unwrap().len(), 1);
        let linked: i64 = s
            .conn
            .query_row(
                "SELECT COUNT(*) FROM attempt WHERE exam_session_id = ?1",
                [session.id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(linked, 1);
        assert!(s.start_exam(&me, ExamKind::Cka, 0, 1).is_err());
    }
}
