//! Progress store speed: recording one attempt (a committed, fsynced
//! INSERT: the cost `kubedojo check` pays) and the summary over a history
//! of 100,000 attempts. The database lives on the target directory's disk,
//! not in memory, so fsync is real.

// A benchmark whose setup fails should stop loudly.
#![allow(clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use kubedojo::progress::exchange::{AttemptRec, Export, FORMAT, ReviewRec, VERSION};
use kubedojo::progress::fsrs::Rating;
use kubedojo::progress::ids::rfc3339;
use kubedojo::progress::mastery::{Catalog, CatalogExercise};
use kubedojo::progress::{NewAttempt, Source, Store};
use std::hint::black_box;
use std::path::PathBuf;

const TOPICS: [&str; 9] = [
    "tls",
    "authn",
    "rbac",
    "tenancy",
    "quota",
    "scheduling",
    "netpol",
    "podsec",
    "admission",
];
const DAY: i64 = 86_400_000;
/// 2026-01-01T00:00:00Z
const START: i64 = 1_767_225_600_000;

fn bench_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    dir
}

fn catalog() -> Catalog {
    let mut exercises = Vec::new();
    for (t, topic) in TOPICS.iter().enumerate() {
        for i in 0..10 {
            exercises.push(CatalogExercise {
                id: format!("{topic}-{i}"),
                topic: topic.to_string(),
                title: format!("{topic} exercise {i}"),
                cka_domain: Some(format!("cka-{}", t % 5)),
                cks_domain: (t % 2 == 0).then(|| format!("cks-{}", t % 6)),
                course_key: (t as u32, (i % 3) as u32 + 1, format!("{topic}-{i}")),
            });
        }
    }
    Catalog {
        exercises,
        cards: (0..300).map(|i| format!("card-{i}")).collect(),
        lessons: TOPICS.iter().map(|t| t.to_string()).collect(),
    }
}

/// A year of history: 100,000 attempts over 90 exercises (and a few the
/// content no longer has), 2,000 card reviews.
fn history(n: usize) -> Export {
    let attempts = (0..n)
        .map(|i| {
            let topic = TOPICS[i % TOPICS.len()];
            let exercise = if i % 97 == 0 {
                format!("retired-{}", i % 7)
            } else {
                format!("{topic}-{}", (i / 9) % 10)
            };
            let score = (i % 5) as u32;
            AttemptRec {
                uid: format!("bench-{i:08}"),
                learner: "bench".into(),
                exercise,
                at: rfc3339(START + (i as i64) * (365 * DAY / n as i64)),
                source: "yaml".into(),
                passed: score == 4,
                score,
                max_score: 4,
                duration_ms: (i % 3 == 0).then_some(90_000),
                exam_session: None,
                findings: serde_json::json!([
                    {"check": "a", "passed": score >= 2, "message": "ConfigMap default/app-config exists", "hint": null, "location": null},
                    {"check": "b", "passed": score == 4, "message": "RoleBinding dev/read-pods grants list pods", "hint": "check the subject's namespace", "location": {"file": "rbac.yaml", "line": 12, "column": 5}}
                ]),
            }
        })
        .collect();
    let reviews = (0..2000)
        .map(|i| ReviewRec {
            uid: format!("review-{i:06}"),
            learner: "bench".into(),
            card: format!("card-{}", i % 300),
            at: rfc3339(START + (i as i64) * (365 * DAY / 2000)),
            rating: [Rating::Good, Rating::Again, Rating::Easy, Rating::Hard][i % 4],
            duration_ms: Some(8000),
        })
        .collect();
    Export {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: rfc3339(START),
        learners: vec![],
        attempts,
        hints: vec![],
        lessons_read: vec![],
        reviews,
        exam_sessions: vec![],
    }
}

/// Where to put a benchmark database: the target directory's disk (real
/// fsync), and /dev/shm when there is one (tmpfs: the same code and
/// settings, with fsync free, so the figure is our own cost).
fn record_dirs() -> Vec<(&'static str, PathBuf)> {
    let mut dirs = vec![("disk", bench_dir("progress-record"))];
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() {
        let d = shm.join(format!("kubedojo-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        if std::fs::create_dir_all(&d).is_ok() {
            dirs.push(("tmpfs", d));
        }
    }
    dirs
}

fn record(c: &mut Criterion) {
    for (place, dir) in record_dirs() {
        record_in(c, place, &dir);
        if place == "tmpfs" {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

fn record_in(c: &mut Criterion, place: &str, dir: &std::path::Path) {
    let mut store = Store::open_file(&dir.join("progress.db")).expect("open");
    let learner = store.ensure_learner("bench").expect("learner");
    let findings = serde_json::json!([
        {"check": "db-isolated", "passed": true, "message": "prod/web cannot reach prod/db on 5432", "hint": null, "location": null},
        {"check": "api-allowed", "passed": false, "message": "prod/api cannot reach prod/db on 5432", "hint": "podSelector and namespaceSelector in one item are ANDed", "location": {"file": "netpol.yaml", "line": 14, "column": 9}}
    ]);
    let mut n = 0u64;
    c.bench_function(
        &format!("progress/record_attempt on {place} (WAL, synchronous=FULL)"),
        |b| {
            b.iter(|| {
                n += 1;
                let a = NewAttempt {
                    exercise: "netpol-db-from-api".into(),
                    at: START + n as i64,
                    source: Source::Yaml,
                    passed: false,
                    score: 2,
                    max_score: 4,
                    findings: findings.clone(),
                    duration_ms: None,
                    exam_session: None,
                };
                black_box(store.record_attempt(&learner, &a).expect("record"))
            })
        },
    );
    // The whole of what `kubedojo check` adds: open, migrate check, learner, insert.
    c.bench_function(
        &format!("progress/open + record on {place} (as check does)"),
        |b| {
            b.iter(|| {
                n += 1;
                let mut s = Store::open_file(&dir.join("progress.db")).expect("open");
                let l = s.ensure_learner("bench").expect("learner");
                let a = NewAttempt {
                    exercise: "netpol-db-from-api".into(),
                    at: START + n as i64,
                    source: Source::Yaml,
                    passed: true,
                    score: 4,
                    max_score: 4,
                    findings: findings.clone(),
                    duration_ms: None,
                    exam_session: None,
                };
                black_box(s.record_attempt(&l, &a).expect("record"))
            })
        },
    );
}

fn summary(c: &mut Criterion) {
    let dir = bench_dir("progress-summary");
    let mut store = Store::open_file(&dir.join("progress.db")).expect("open");
    store.import(&history(100_000), None).expect("import");
    let learner = store.ensure_learner("bench").expect("learner");
    let catalog = catalog();
    let now = START + 366 * DAY;
    let tz = jiff::tz::TimeZone::get("Asia/Seoul").expect("tz");
    let s = store
        .summary(&learner, &catalog, now, &tz)
        .expect("summary");
    assert_eq!(s.attempts, 100_000);
    c.bench_function("progress/summary over 100,000 attempts", |b| {
        b.iter(|| {
            black_box(
                store
                    .summary(&learner, &catalog, now, &tz)
                    .expect("summary"),
            )
        })
    });
    c.bench_function(
        "progress/integrity quick_check over 100,000 attempts",
        |b| b.iter(|| black_box(store.quick_check().expect("quick_check"))),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(4));
    targets = record, summary
}
criterion_main!(benches);
