//! The aggregates behind the summary (`exercise_stat`, `activity`), kept
//! up to date inside each write's transaction, and rebuilt from the raw
//! records after an import. Keeping them makes the summary cost grow with
//! the number of exercises and active days, not with the whole history.

use rusqlite::{Connection, params};

/// An attempt without a measured duration counts the time since the
/// learner's previous attempt, when that is at most this long (reading and
/// editing between two checks); longer gaps count nothing.
pub const IDLE_GAP_MS: i64 = 15 * 60 * 1000;

/// Activity is kept by quarter hour: every time zone offset in use is a
/// multiple of 15 minutes, so each bucket falls in one local day.
pub const BUCKET_MS: i64 = 15 * 60 * 1000;

/// What one attempt adds to its exercise's aggregate.
pub(super) struct AttemptFacts<'a> {
    pub learner_id: i64,
    pub exercise: &'a str,
    pub at: i64,
    pub exam: bool,
    pub passed: bool,
    pub score: u32,
    pub max_score: u32,
    pub duration_ms: Option<u64>,
}

/// Time an attempt adds to "time spent". Exam attempts count nothing: the
/// exam session's own time covers them.
fn attempt_time(conn: &Connection, a: &AttemptFacts<'_>) -> rusqlite::Result<i64> {
    if a.exam {
        return Ok(0);
    }
    if let Some(d) = a.duration_ms {
        return Ok(d as i64);
    }
    let prev: Option<i64> = conn
        .prepare_cached("SELECT MAX(at) FROM attempt WHERE learner_id = ?1 AND at <= ?2")?
        .query_row(params![a.learner_id, a.at], |r| r.get(0))?;
    Ok(match prev {
        Some(p) if a.at - p <= IDLE_GAP_MS => a.at - p,
        _ => 0,
    })
}

fn fraction(passed: bool, score: u32, max_score: u32) -> f64 {
    if max_score > 0 {
        f64::from(score) / f64::from(max_score)
    } else if passed {
        1.0
    } else {
        0.0
    }
}

/// Fold a new attempt into the aggregates. Call inside the transaction
/// that inserts it, before the insert (the previous attempt is looked up).
pub(super) fn note_attempt(conn: &Connection, a: &AttemptFacts<'_>) -> rusqlite::Result<()> {
    let time = attempt_time(conn, a)?;
    conn.prepare_cached(
        "INSERT INTO exercise_stat (learner_id, exercise, attempts, passes, best, last_at, time_ms)
         VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6)
         ON CONFLICT (learner_id, exercise) DO UPDATE SET
           attempts = attempts + 1,
           passes = passes + excluded.passes,
           best = MAX(best, excluded.best),
           last_at = MAX(last_at, excluded.last_at),
           time_ms = time_ms + excluded.time_ms",
    )?
    .execute(params![
        a.learner_id,
        a.exercise,
        i64::from(a.passed),
        fraction(a.passed, a.score, a.max_score),
        a.at,
        time
    ])?;
    note_activity(conn, a.learner_id, a.at)
}

/// Remember that the learner did something at `at`.
pub(super) fn note_activity(conn: &Connection, learner_id: i64, at: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO activity (learner_id, bucket) VALUES (?1, ?2)")?
        .execute(params![learner_id, at.div_euclid(BUCKET_MS)])?;
    Ok(())
}

/// Recompute a learner's aggregates from the raw records.
pub(super) fn rebuild(conn: &Connection, learner_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM exercise_stat WHERE learner_id = ?1",
        [learner_id],
    )?;
    conn.execute("DELETE FROM activity WHERE learner_id = ?1", [learner_id])?;
    conn.execute(
        "INSERT INTO exercise_stat (learner_id, exercise, attempts, passes, best, last_at, time_ms)
         SELECT ?1, exercise, COUNT(*), SUM(passed),
                MAX(CASE WHEN max_score > 0 THEN CAST(score AS REAL) / max_score
                         ELSE passed END),
                MAX(at),
                SUM(CASE WHEN source = 'exam' THEN 0
                         WHEN duration_ms IS NOT NULL THEN duration_ms
                         WHEN gap <= ?2 THEN gap ELSE 0 END)
         FROM (SELECT exercise, passed, score, max_score, at, source, duration_ms,
                      at - LAG(at) OVER (ORDER BY at, id) AS gap
               FROM attempt WHERE learner_id = ?1)
         GROUP BY exercise",
        params![learner_id, IDLE_GAP_MS],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO activity (learner_id, bucket)
         SELECT ?1, at / ?2 FROM attempt WHERE learner_id = ?1
         UNION SELECT ?1, at / ?2 FROM card_review WHERE learner_id = ?1
         UNION SELECT ?1, first_read_at / ?2 FROM lesson_read WHERE learner_id = ?1
         UNION SELECT ?1, last_read_at / ?2 FROM lesson_read WHERE learner_id = ?1",
        params![learner_id, BUCKET_MS],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::progress::attempts::{NewAttempt, Source};
    use crate::progress::fsrs::Rating;
    use crate::progress::store::Store;

    type Snapshot = (Vec<(String, i64, i64, f64, i64, i64)>, Vec<i64>);

    fn snapshot(s: &Store, learner: i64) -> Snapshot {
        let stats = s
            .conn
            .prepare("SELECT exercise, attempts, passes, best, last_at, time_ms FROM exercise_stat WHERE learner_id = ?1 ORDER BY exercise")
            .unwrap()
            .query_map([learner], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let buckets = s
            .conn
            .prepare("SELECT bucket FROM activity WHERE learner_id = ?1 ORDER BY bucket")
            .unwrap()
            .query_map([learner], |r| r.get(0))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        (stats, buckets)
    }

    /// The aggregates kept write by write equal those rebuilt from scratch.
    #[test]
    fn maintained_aggregates_equal_rebuilt_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let me = s.ensure_learner("me").unwrap();
        let other = s.ensure_learner("other").unwrap();
        let mut at = 1_700_000_000_000i64;
        for i in 0..300u32 {
            // Gaps from seconds to hours, some attempts timed, some exams.
            at += [
                20_000, 240_000, 899_000, 900_000, 901_000, 3_600_000, 86_400_000,
            ][(i % 7) as usize];
            let source = if i % 11 == 0 {
                Source::Exam
            } else {
                Source::Yaml
            };
            let a = NewAttempt {
                exercise: format!("ex-{}", i % 13),
                at,
                source,
                passed: i % 4 == 0,
                score: i % 5,
                max_score: if i % 17 == 0 { 0 } else { 4 },
                findings: serde_json::json!([]),
                duration_ms: (i % 5 == 0).then_some(u64::from(i) * 1000),
                exam_session: None,
            };
            s.record_attempt(if i % 3 == 0 { &other } else { &me }, &a)
                .unwrap();
            if i % 9 == 0 {
                s.review_card(&me, &format!("card-{}", i % 4), Rating::Good, at + 1, None)
                    .unwrap();
                s.mark_lesson_read(&me, "lesson", at + 2).unwrap();
            }
        }
        for l in [&me, &other] {
            let kept = snapshot(&s, l.id);
            assert!(!kept.0.is_empty());
            super::rebuild(&s.conn, l.id).unwrap();
            assert_eq!(snapshot(&s, l.id), kept, "learner {}", l.name);
        }
    }
}
