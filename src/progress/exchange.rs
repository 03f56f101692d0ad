//! Export and import: a learner's history leaves one machine as JSON (all of
//! it) or CSV (the attempts, for a spreadsheet) and merges into another.
//! Records carry random uids, so importing the same file twice, or a file
//! that overlaps what is already here, adds nothing twice. An import is one
//! transaction: all of it lands, or none.

use super::error::StoreError;
use super::exam::ExamKind;
use super::fsrs::Rating;
use super::ids::{now_ms, parse_rfc3339, rfc3339};
use super::learners::check_name;
use super::store::Store;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

pub const FORMAT: &str = "kubedojo-progress";
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub exported_at: String,
    #[serde(default)]
    pub learners: Vec<LearnerRec>,
    #[serde(default)]
    pub attempts: Vec<AttemptRec>,
    #[serde(default)]
    pub hints: Vec<HintRec>,
    #[serde(default)]
    pub lessons_read: Vec<LessonRec>,
    #[serde(default)]
    pub reviews: Vec<ReviewRec>,
    #[serde(default)]
    pub exam_sessions: Vec<ExamRec>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnerRec {
    pub name: String,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttemptRec {
    pub uid: String,
    pub learner: String,
    pub exercise: String,
    pub at: String,
    pub source: String,
    pub passed: bool,
    pub score: u32,
    pub max_score: u32,
    #[serde(default)]
    pub duration_ms: Option<u64>,
    /// uid of the exam session, for source `exam`.
    #[serde(default)]
    pub exam_session: Option<String>,
    /// In JSON, the findings array; in CSV, that array as JSON text.
    pub findings: serde_json::Value,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HintRec {
    pub learner: String,
    pub exercise: String,
    pub hint: u32,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonRec {
    pub learner: String,
    pub lesson: String,
    pub first_read_at: String,
    pub last_read_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRec {
    pub uid: String,
    pub learner: String,
    pub card: String,
    pub at: String,
    pub rating: Rating,
    #[serde(default)]
    pub duration_ms: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamRec {
    pub uid: String,
    pub learner: String,
    pub exam: ExamKind,
    pub started_at: String,
    pub time_limit_s: u32,
    #[serde(default)]
    pub ended_at: Option<String>,
    #[serde(default)]
    pub score: Option<u32>,
    #[serde(default)]
    pub max_score: Option<u32>,
    #[serde(default)]
    pub passed: Option<bool>,
}

/// The CSV row: an attempt with its findings as JSON text.
#[derive(Debug, Serialize, Deserialize)]
struct CsvAttempt {
    uid: String,
    learner: String,
    exercise: String,
    at: String,
    source: String,
    passed: bool,
    score: u32,
    max_score: u32,
    duration_ms: Option<u64>,
    exam_session: Option<String>,
    findings: String,
}

/// What an import changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub learners: Vec<String>,
    pub attempts_added: usize,
    pub attempts_already_here: usize,
    pub reviews_added: usize,
    pub reviews_already_here: usize,
    pub exam_sessions_added: usize,
    pub hints: usize,
    pub lessons_read: usize,
}

impl Store {
    /// Everything recorded, for one learner or all.
    pub fn export(&self, only: Option<&str>) -> Result<Export, StoreError> {
        let e = |e| self.err(e);
        let learners: Vec<LearnerRec> = self
            .conn
            .prepare(
                "SELECT name, created_at FROM learner WHERE ?1 IS NULL OR name = ?1 ORDER BY name",
            )
            .and_then(|mut s| {
                s.query_map([only], |r| {
                    Ok(LearnerRec {
                        name: r.get(0)?,
                        created_at: rfc3339(r.get(1)?),
                    })
                })?
                .collect()
            })
            .map_err(e)?;
        let attempts = self
            .conn
            .prepare(
                "SELECT a.uid, l.name, a.exercise, a.at, a.source, a.passed, a.score, a.max_score,
                        a.duration_ms, x.uid, a.findings
                 FROM attempt a JOIN learner l ON l.id = a.learner_id
                 LEFT JOIN exam_session x ON x.id = a.exam_session_id
                 WHERE ?1 IS NULL OR l.name = ?1 ORDER BY a.at, a.id",
            )
            .and_then(|mut s| {
                s.query_map([only], |r| {
                    let findings: String = r.get(10)?;
                    Ok(AttemptRec {
                        uid: r.get(0)?,
                        learner: r.get(1)?,
                        exercise: r.get(2)?,
                        at: rfc3339(r.get(3)?),
                        source: r.get(4)?,
                        passed: r.get(5)?,
                        score: r.get(6)?,
                        max_score: r.get(7)?,
                        duration_ms: r.get::<_, Option<i64>>(8)?.map(|d| d.max(0) as u64),
                        exam_session: r.get(9)?,
                        findings: serde_json::from_str(&findings)
                            .unwrap_or(serde_json::Value::String(findings)),
                    })
                })?
                .collect()
            })
            .map_err(e)?;
        let hints = self
            .conn
            .prepare(
                "SELECT l.name, h.exercise, h.hint_index, h.at FROM hint_reveal h
                 JOIN learner l ON l.id = h.learner_id
                 WHERE ?1 IS NULL OR l.name = ?1 ORDER BY h.at, h.exercise, h.hint_index",
            )
            .and_then(|mut s| {
                s.query_map([only], |r| {
                    Ok(HintRec {
                        learner: r.get(0)?,
                        exercise: r.get(1)?,
                        hint: r.get(2)?,
                        at: rfc3339(r.get(3)?),
                    })
                })?
                .collect()
            })
            .map_err(e)?;
        let lessons_read = self
            .conn
            .prepare(
                "SELECT l.name, r.lesson, r.first_read_at, r.last_read_at FROM lesson_read r
                 JOIN learner l ON l.id = r.learner_id
                 WHERE ?1 IS NULL OR l.name = ?1 ORDER BY r.first_read_at, r.lesson",
            )
            .and_then(|mut s| {
                s.query_map([only], |r| {
                    Ok(LessonRec {
                        learner: r.get(0)?,
                        lesson: r.get(1)?,
                        first_read_at: rfc3339(r.get(2)?),
                        last_read_at: rfc3339(r.get(3)?),
                    })
                })?
                .collect()
            })
            .map_err(e)?;
        let reviews = self
            .conn
            .prepare(
                "SELECT c.uid, l.name, c.card, c.at, c.rating, c.duration_ms FROM card_review c
                 JOIN learner l ON l.id = c.learner_id
                 WHERE ?1 IS NULL OR l.name = ?1 ORDER BY c.at, c.id",
            )
            .and_then(|mut s| {
                s.query_map([only], |r| {
                    Ok(ReviewRec {
                        uid: r.get(0)?,
                        learner: r.get(1)?,
                        card: r.get(2)?,
                        at: rfc3339(r.get(3)?),
                        rating: Rating::from_number(r.get(4)?).unwrap_or(Rating::Again),
                        duration_ms: r.get::<_, Option<i64>>(5)?.map(|d| d.max(0) as u64),
                    })
                })?
                .collect()
            })
            .map_err(e)?;
        let exam_sessions = self
            .conn
            .prepare(
                "SELECT x.uid, l.name, x.exam, x.started_at, x.time_limit_s, x.ended_at, x.score,
                        x.max_score, x.passed
                 FROM exam_session x JOIN learner l ON l.id = x.learner_id
                 WHERE ?1 IS NULL OR l.name = ?1 ORDER BY x.started_at",
            )
            .and_then(|mut s| {
                s.query_map([only], |r| {
                    let exam: String = r.get(2)?;
                    Ok(ExamRec {
                        uid: r.get(0)?,
                        learner: r.get(1)?,
                        exam: ExamKind::parse(&exam).unwrap_or(ExamKind::Cka),
                        started_at: rfc3339(r.get(3)?),
                        time_limit_s: r.get(4)?,
                        ended_at: r.get::<_, Option<i64>>(5)?.map(rfc3339),
                        score: r.get(6)?,
                        max_score: r.get(7)?,
                        passed: r.get(8)?,
                    })
                })?
                .collect()
            })
            .map_err(e)?;
        Ok(Export {
            format: FORMAT.into(),
            version: VERSION,
            exported_at: rfc3339(now_ms()),
            learners,
            attempts,
            hints,
            lessons_read,
            reviews,
            exam_sessions,
        })
    }

    /// Merge an export. `as_learner` files every record under that learner
    /// (the same person under another name on the other machine).
    pub fn import(
        &mut self,
        data: &Export,
        as_learner: Option<&str>,
    ) -> Result<ImportReport, StoreError> {
        check_export(data)?;
        if let Some(n) = as_learner {
            check_name(n)?;
        }
        let name_of = |n: &str| as_learner.unwrap_or(n).to_string();
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(&path, e);
        let mut report = ImportReport::default();
        let tx = self.conn.transaction().map_err(sql)?;

        // Learners: every name the file mentions.
        let mut names: BTreeSet<String> = data.learners.iter().map(|l| name_of(&l.name)).collect();
        names.extend(data.attempts.iter().map(|a| name_of(&a.learner)));
        names.extend(data.reviews.iter().map(|a| name_of(&a.learner)));
        names.extend(data.hints.iter().map(|a| name_of(&a.learner)));
        names.extend(data.lessons_read.iter().map(|a| name_of(&a.learner)));
        names.extend(data.exam_sessions.iter().map(|a| name_of(&a.learner)));
        let created: HashMap<String, i64> = data
            .learners
            .iter()
            .filter_map(|l| Some((name_of(&l.name), parse_rfc3339(&l.created_at)?)))
            .collect();
        let mut ids: HashMap<String, i64> = HashMap::new();
        for n in &names {
            check_name(n)?;
            let at = created.get(n).copied().unwrap_or_else(now_ms);
            tx.execute(
                "INSERT INTO learner (name, created_at) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET created_at = MIN(created_at, excluded.created_at)",
                params![n, at],
            )
            .map_err(sql)?;
            let id: i64 = tx
                .query_row("SELECT id FROM learner WHERE name = ?1", [n], |r| r.get(0))
                .map_err(sql)?;
            ids.insert(n.clone(), id);
        }
        report.learners = names.into_iter().collect();
        let id_of = |n: &str| ids[&name_of(n)];

        for (i, x) in data.exam_sessions.iter().enumerate() {
            let ended = x
                .ended_at
                .as_deref()
                .map(|t| time(t, &format!("exam_sessions[{i}].ended_at")))
                .transpose()?;
            report.exam_sessions_added += tx
                .execute(
                    "INSERT INTO exam_session
                       (uid, learner_id, exam, started_at, time_limit_s, ended_at, score, max_score, passed)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(uid) DO NOTHING",
                    params![
                        x.uid,
                        id_of(&x.learner),
                        x.exam.as_str(),
                        time(&x.started_at, &format!("exam_sessions[{i}].started_at"))?,
                        x.time_limit_s.max(1),
                        ended,
                        x.score,
                        x.max_score,
                        x.passed
                    ],
                )
                .map_err(sql)?;
        }

        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO attempt
                       (uid, learner_id, exercise, at, source, passed, score, max_score,
                        findings, duration_ms, exam_session_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                             (SELECT id FROM exam_session WHERE uid = ?11))
                     ON CONFLICT(uid) DO NOTHING",
                )
                .map_err(sql)?;
            for (i, a) in data.attempts.iter().enumerate() {
                let n = insert
                    .execute(params![
                        a.uid,
                        id_of(&a.learner),
                        a.exercise,
                        time(&a.at, &format!("attempts[{i}].at"))?,
                        a.source,
                        a.passed,
                        a.score,
                        a.max_score,
                        a.findings.to_string(),
                        a.duration_ms.map(|d| d as i64),
                        a.exam_session
                    ])
                    .map_err(sql)?;
                if n == 1 {
                    report.attempts_added += 1;
                } else {
                    report.attempts_already_here += 1;
                }
            }
        }

        for (i, h) in data.hints.iter().enumerate() {
            report.hints += tx
                .execute(
                    "INSERT INTO hint_reveal (learner_id, exercise, hint_index, at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO UPDATE SET at = MIN(at, excluded.at) WHERE excluded.at < at",
                    params![id_of(&h.learner), h.exercise, h.hint, time(&h.at, &format!("hints[{i}].at"))?],
                )
                .map_err(sql)?;
        }
        for (i, l) in data.lessons_read.iter().enumerate() {
            let first = time(
                &l.first_read_at,
                &format!("lessons_read[{i}].first_read_at"),
            )?;
            let last = time(&l.last_read_at, &format!("lessons_read[{i}].last_read_at"))?;
            report.lessons_read += tx
                .execute(
                    "INSERT INTO lesson_read (learner_id, lesson, first_read_at, last_read_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO UPDATE SET
                       first_read_at = MIN(first_read_at, excluded.first_read_at),
                       last_read_at = MAX(last_read_at, excluded.last_read_at)
                     WHERE excluded.first_read_at < first_read_at OR excluded.last_read_at > last_read_at",
                    params![id_of(&l.learner), l.lesson, first, last.max(first)],
                )
                .map_err(sql)?;
        }

        let mut touched: BTreeSet<(i64, String)> = BTreeSet::new();
        for (i, r) in data.reviews.iter().enumerate() {
            let learner = id_of(&r.learner);
            let n = tx
                .execute(
                    "INSERT INTO card_review (uid, learner_id, card, at, rating, duration_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(uid) DO NOTHING",
                    params![
                        r.uid,
                        learner,
                        r.card,
                        time(&r.at, &format!("reviews[{i}].at"))?,
                        r.rating.number(),
                        r.duration_ms.map(|d| d as i64)
                    ],
                )
                .map_err(sql)?;
            if n == 1 {
                report.reviews_added += 1;
                touched.insert((learner, r.card.clone()));
            } else {
                report.reviews_already_here += 1;
            }
        }
        // Reviews from two machines interleave: rebuild each touched card's
        // schedule from its merged log.
        for (learner, card) in &touched {
            super::review::replay(&tx, *learner, card).map_err(sql)?;
        }
        for id in ids.values() {
            super::stats::rebuild(&tx, *id).map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok(report)
    }

    /// Does an attempt with this uid exist? (For tests and tools.)
    pub fn has_attempt(&self, uid: &str) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached("SELECT 1 FROM attempt WHERE uid = ?1")
            .and_then(|mut s| s.query_row([uid], |_| Ok(())).optional())
            .map(|o| o.is_some())
            .map_err(|e| self.err(e))
    }
}

fn time(s: &str, field: &str) -> Result<i64, StoreError> {
    parse_rfc3339(s).ok_or_else(|| {
        StoreError::Invalid(format!(
            "{field}: \"{s}\" is not an RFC 3339 time (like 2026-05-30T10:00:00Z)"
        ))
    })
}

/// Reject what the database would refuse, naming the record, before the
/// transaction starts.
fn check_export(d: &Export) -> Result<(), StoreError> {
    let bad = |m: String| Err(StoreError::Invalid(m));
    if d.format != FORMAT {
        return bad(format!(
            "not a kubedojo progress export (format is \"{}\", expected \"{FORMAT}\")",
            d.format
        ));
    }
    if d.version > VERSION {
        return bad(format!(
            "this export was made by a newer kubedojo (format version {}, this one reads up to {VERSION}); upgrade kubedojo to import it",
            d.version
        ));
    }
    let uid_ok =
        |u: &str| !u.is_empty() && u.len() <= 64 && u.bytes().all(|b| b.is_ascii_graphic());
    for (i, a) in d.attempts.iter().enumerate() {
        if !uid_ok(&a.uid) {
            return bad(format!(
                "attempts[{i}]: uid \"{}\" is not a record id",
                a.uid
            ));
        }
        if super::attempts::Source::parse(&a.source).is_none() {
            return bad(format!(
                "attempts[{i}]: source \"{}\" is not yaml, live or exam",
                a.source
            ));
        }
        if a.exercise.is_empty() {
            return bad(format!("attempts[{i}]: empty exercise"));
        }
    }
    for (i, r) in d.reviews.iter().enumerate() {
        if !uid_ok(&r.uid) {
            return bad(format!(
                "reviews[{i}]: uid \"{}\" is not a record id",
                r.uid
            ));
        }
    }
    for (i, x) in d.exam_sessions.iter().enumerate() {
        if !uid_ok(&x.uid) {
            return bad(format!(
                "exam_sessions[{i}]: uid \"{}\" is not a record id",
                x.uid
            ));
        }
    }
    Ok(())
}

/// Write the attempts as CSV (one row per attempt; findings as JSON text).
pub fn write_csv(data: &Export, out: impl std::io::Write) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    for a in &data.attempts {
        w.serialize(CsvAttempt {
            uid: a.uid.clone(),
            learner: a.learner.clone(),
            exercise: a.exercise.clone(),
            at: a.at.clone(),
            source: a.source.clone(),
            passed: a.passed,
            score: a.score,
            max_score: a.max_score,
            duration_ms: a.duration_ms,
            exam_session: a.exam_session.clone(),
            findings: a.findings.to_string(),
        })?;
    }
    w.flush()?;
    Ok(())
}

/// Read an export file: JSON (starts with `{`) or the attempts CSV.
/// Errors name the file and, where known, the line.
pub fn parse_file(shown: &str, bytes: &[u8]) -> Result<Export, StoreError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let fail = |m: String| StoreError::Invalid(format!("{shown}: {m}"));
    match first {
        None => Err(fail("the file is empty".into())),
        Some(b'{') => {
            let at = |e: serde_json::Error| {
                StoreError::Invalid(format!("{shown}:{}:{}: {e}", e.line(), e.column()))
            };
            // Format and version first, so a newer export is named as such
            // rather than failing on a field this kubedojo does not know.
            #[derive(Deserialize)]
            struct Head {
                format: Option<String>,
                version: Option<u32>,
            }
            let head: Head = serde_json::from_slice(bytes).map_err(at)?;
            if head.format.as_deref() != Some(FORMAT) {
                return Err(fail(format!(
                    "not a kubedojo progress export (format is {}, expected \"{FORMAT}\")",
                    head.format.map_or("missing".into(), |f| format!("\"{f}\""))
                )));
            }
            if let Some(v) = head.version.filter(|v| *v > VERSION) {
                return Err(fail(format!(
                    "this export was made by a newer kubedojo (format version {v}, this one reads up to {VERSION}); upgrade kubedojo to import it"
                )));
            }
            serde_json::from_slice::<Export>(bytes).map_err(at)
        }
        Some(_) => {
            let mut r = csv::Reader::from_reader(bytes);
            let headers = r.headers().map_err(|e| fail(e.to_string()))?.clone();
            if !headers.iter().any(|h| h == "uid") || !headers.iter().any(|h| h == "findings") {
                return Err(fail(
                    "neither a kubedojo JSON export nor its attempts CSV (the CSV header needs uid, learner, exercise, at, source, passed, score, max_score, duration_ms, exam_session, findings)".into(),
                ));
            }
            let mut attempts = Vec::new();
            for row in r.deserialize::<CsvAttempt>() {
                let row = row.map_err(|e| {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    StoreError::Invalid(format!("{shown}:{line}: {e}"))
                })?;
                let findings = serde_json::from_str(&row.findings)
                    .unwrap_or(serde_json::Value::String(row.findings));
                attempts.push(AttemptRec {
                    uid: row.uid,
                    learner: row.learner,
                    exercise: row.exercise,
                    at: row.at,
                    source: row.source,
                    passed: row.passed,
                    score: row.score,
                    max_score: row.max_score,
                    duration_ms: row.duration_ms,
                    exam_session: row.exam_session.filter(|s| !s.is_empty()),
                    findings,
                });
            }
            Ok(Export {
                format: FORMAT.into(),
                version: VERSION,
                exported_at: String::new(),
                learners: Vec::new(),
                attempts,
                hints: Vec::new(),
                lessons_read: Vec::new(),
                reviews: Vec::new(),
                exam_sessions: Vec::new(),
            })
        }
    }
}
