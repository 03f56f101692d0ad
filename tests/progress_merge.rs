//! Two machines, one learner: exports merge both ways without duplicates,
//! and review schedules are rebuilt from the merged answer log, as if every
//! answer had been given on one machine.

// Test helpers outside #[test] functions panic on failed setup too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kubedojo::progress::fsrs::Rating;
use kubedojo::progress::{ExamKind, Learner, NewAttempt, Source, Store};
use std::path::Path;

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn store(dir: &Path, name: &str) -> (Store, Learner) {
    let mut s = Store::open_file(&dir.join(format!("{name}.db"))).unwrap();
    let l = s.ensure_learner("mina").unwrap();
    (s, l)
}

fn attempt(ex: &str, at: i64, passed: bool) -> NewAttempt {
    NewAttempt {
        exercise: ex.into(),
        at,
        source: Source::Yaml,
        passed,
        score: if passed { 3 } else { 1 },
        max_score: 3,
        findings: serde_json::json!([{"check": "c", "passed": passed}]),
        duration_ms: Some(60_000),
        exam_session: None,
    }
}

#[test]
fn two_machines_merge_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let (mut laptop, l1) = store(dir.path(), "laptop");
    let (mut lab, l2) = store(dir.path(), "lab");
    let (mut single, l3) = store(dir.path(), "single");

    // The same answers to card "k", split over the two machines, and all
    // on a third machine for comparison.
    let answers = [
        (T0, Rating::Good, 0),
        (T0 + 11 * 60_000, Rating::Good, 1),
        (T0 + 3 * DAY, Rating::Again, 0),
        (T0 + 3 * DAY + HOUR, Rating::Good, 1),
        (T0 + 9 * DAY, Rating::Easy, 0),
    ];
    for (at, r, machine) in answers {
        let (s, l) = if machine == 0 {
            (&mut laptop, &l1)
        } else {
            (&mut lab, &l2)
        };
        s.review_card(l, "k", r, at, Some(5000)).unwrap();
        single.review_card(&l3, "k", r, at, Some(5000)).unwrap();
    }
    laptop
        .record_attempt(&l1, &attempt("rbac-1", T0 + HOUR, false))
        .unwrap();
    lab.record_attempt(&l2, &attempt("rbac-1", T0 + 2 * HOUR, true))
        .unwrap();
    laptop
        .reveal_hint(&l1, "rbac-1", 0, T0 + 30 * 60_000)
        .unwrap();
    lab.reveal_hint(&l2, "rbac-1", 0, T0 + 90 * 60_000).unwrap();
    lab.mark_lesson_read(&l2, "rbac", T0 - DAY).unwrap();
    laptop.mark_lesson_read(&l1, "rbac", T0 + DAY).unwrap();
    let exam = laptop
        .start_exam(&l1, ExamKind::Cka, 7200, T0 + 5 * DAY)
        .unwrap();
    laptop
        .record_attempt(
            &l1,
            &NewAttempt {
                exam_session: Some(exam.id),
                source: Source::Exam,
                ..attempt("netpol-1", T0 + 5 * DAY + HOUR, true)
            },
        )
        .unwrap();
    laptop
        .finish_exam(exam.id, T0 + 5 * DAY + 2 * HOUR, 70, 100, true)
        .unwrap();

    let from_laptop = laptop.export(None).unwrap();
    let from_lab = lab.export(None).unwrap();
    let r = lab.import(&from_laptop, None).unwrap();
    assert_eq!(
        (r.attempts_added, r.reviews_added, r.exam_sessions_added),
        (2, 3, 1)
    );
    laptop.import(&from_lab, None).unwrap();

    // Importing again changes nothing.
    let again = lab.import(&from_laptop, None).unwrap();
    assert_eq!((again.attempts_added, again.attempts_already_here), (0, 2));
    assert_eq!((again.reviews_added, again.reviews_already_here), (0, 3));
    assert_eq!(again.exam_sessions_added, 0);

    // Both machines now hold the same history...
    for (s, l) in [(&laptop, &l1), (&lab, &l2)] {
        let attempts = s.attempts(l, None).unwrap();
        assert_eq!(attempts.len(), 3);
        assert_eq!(s.hints_revealed(l, "rbac-1").unwrap(), [0]);
        assert_eq!(s.lessons_read(l).unwrap(), ["rbac"]);
        assert_eq!(s.exam_sessions(l).unwrap().len(), 1);
        // ...and the card's schedule is the one a single machine computes.
        assert_eq!(
            s.card_state(l, "k").unwrap(),
            single.card_state(&l3, "k").unwrap()
        );
    }
    let laptop_all = laptop.export(None).unwrap();
    let lab_all = lab.export(None).unwrap();
    let uids = |e: &kubedojo::progress::Export| {
        let mut v: Vec<String> = e.attempts.iter().map(|a| a.uid.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(uids(&laptop_all), uids(&lab_all));
    assert_eq!(
        laptop_all.hints[0].at, "2026-01-01T00:30:00Z",
        "the earliest reveal wins"
    );
    assert_eq!(
        lab_all.lessons_read[0].first_read_at,
        "2025-12-31T00:00:00Z"
    );
    assert_eq!(lab_all.lessons_read[0].last_read_at, "2026-01-02T00:00:00Z");
    let exam_attempt = lab_all
        .attempts
        .iter()
        .find(|a| a.source == "exam")
        .unwrap();
    assert_eq!(
        exam_attempt.exam_session.as_deref(),
        Some(exam.uid.as_str())
    );

    // The summary agrees on both machines (aggregates rebuilt on import).
    let catalog = kubedojo::progress::Catalog::default();
    let tz = jiff::tz::TimeZone::UTC;
    let a = laptop.summary(&l1, &catalog, T0 + 10 * DAY, &tz).unwrap();
    let b = lab.summary(&l2, &catalog, T0 + 10 * DAY, &tz).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.attempts, 3);
    // 2 timed yaml attempts (60 s each), 5 reviews (5 s each), the exam (2 h).
    assert_eq!(a.time_spent_ms, 2 * 60_000 + 5 * 5000 + 2 * HOUR);
    assert_eq!(a.exams_taken, 1);
}

#[test]
fn import_under_another_name_and_csv_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (mut home, me) = store(dir.path(), "home");
    for i in 0..4 {
        home.record_attempt(&me, &attempt("quota-1", T0 + i * HOUR, i == 3))
            .unwrap();
    }
    let export = home.export(Some("mina")).unwrap();
    let mut csv = Vec::new();
    kubedojo::progress::exchange::write_csv(&export, &mut csv).unwrap();
    let parsed = kubedojo::progress::exchange::parse_file("x.csv", &csv).unwrap();
    assert_eq!(
        parsed.attempts, export.attempts,
        "CSV keeps every attempt field"
    );

    let mut school = Store::open_file(&dir.path().join("school.db")).unwrap();
    let r = school.import(&parsed, Some("mina.kim")).unwrap();
    assert_eq!(r.learners, ["mina.kim"]);
    assert_eq!(r.attempts_added, 4);
    let l = school.find_learner("mina.kim").unwrap().unwrap();
    assert_eq!(school.attempts(&l, Some("quota-1")).unwrap().len(), 4);
    assert!(school.find_learner("mina").unwrap().is_none());
    // A bad record rolls the whole import back.
    let mut bad = export.clone();
    bad.attempts[0].uid = "fresh-1".into();
    bad.attempts[1].uid = "fresh-2".into();
    bad.attempts[1].at = "not a time".into();
    let err = school.import(&bad, None).unwrap_err().to_string();
    assert!(err.contains("attempts[1].at"), "{err}");
    assert!(
        school.find_learner("mina").unwrap().is_none(),
        "nothing landed"
    );
    assert!(!school.has_attempt("fresh-1").unwrap());
}
