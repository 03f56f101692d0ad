//! `kubedojo progress`: the learner's summary, export and import, learner
//! profiles, `--reset`; and recording `check` results, which must never
//! change a grade or its exit code.

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::content::cards::load_decks;
use crate::content::{Lang, Text};
use crate::progress::mastery::NextReason;
use crate::progress::store::move_aside;
use crate::progress::{Catalog, NewAttempt, Paths, Source, Store, StoreError, Summary};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Whose progress (default: the active learner; see `kubedojo progress learners`).
    #[arg(long, value_name = "NAME")]
    pub learner: Option<String>,
    /// Print the records instead: json (everything) or csv (the attempts).
    /// Every learner's, or only --learner's.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub export: Option<ExportFormat>,
    /// Move the progress database aside (nothing is deleted) so the next
    /// command starts a new one.
    #[arg(long, conflicts_with_all = ["export", "learner", "check"])]
    pub reset: bool,
    /// Verify the whole database (SQLite's integrity check); exit 2 if it
    /// is damaged.
    #[arg(long, conflicts_with_all = ["export", "learner"])]
    pub check: bool,
    #[arg(long, conflicts_with = "export")]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(clap::Subcommand, Debug)]
pub enum Action {
    /// Merge an export (JSON or CSV) from another machine; records already
    /// here are skipped, so importing twice is harmless.
    Import {
        file: PathBuf,
        /// File every record under this learner (your name on the other machine differed).
        #[arg(long, value_name = "NAME")]
        learner: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the learners on this machine.
    Learners {
        #[arg(long)]
        json: bool,
    },
    /// Make NAME the learner kubedojo records for on this machine.
    Use { name: String },
    /// Record synthetic attempts as fast as possible, printing each uid once
    /// it is committed (durability tests).
    #[command(name = "__write-stream", hide = true)]
    WriteStream {
        #[arg(long, default_value = "stream")]
        tag: String,
        #[arg(long)]
        count: Option<u64>,
    },
}

impl Args {
    pub fn wants_json(&self) -> bool {
        match &self.action {
            Some(Action::Import { json, .. } | Action::Learners { json }) => *json,
            Some(_) => false,
            None => self.json || self.export == Some(ExportFormat::Json),
        }
    }
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    let paths = Paths::resolve(g.data_dir.as_deref())?;
    match a.action {
        Some(Action::Import {
            file,
            learner,
            json,
        }) => import(&paths, &file, learner.as_deref(), json),
        Some(Action::Learners { json }) => learners(&paths, json),
        Some(Action::Use { name }) => {
            let mut store = Store::open(&paths)?;
            store.set_active_learner(&name)?;
            println!("kubedojo now records progress for {name} on this machine");
            Ok(Exit::Pass)
        }
        Some(Action::WriteStream { tag, count }) => write_stream(&paths, &tag, count),
        None if a.reset => reset(&paths),
        None if a.check => check(&paths),
        None => match a.export {
            Some(format) => export(&paths, a.learner.as_deref(), format),
            None => summary(g, &paths, a.learner.as_deref(), a.json),
        },
    }
}

fn warn_all(store: &Store) {
    for w in &store.warnings {
        eprintln!("kubedojo: warning: {w}");
    }
}

fn catalog(g: &Global) -> Result<Catalog, Failure> {
    let exercises = g.content.exercises()?;
    let lessons = g.content.lessons(Lang::En)?;
    let decks = load_decks(&g.content)?;
    Ok(Catalog::new(&exercises, &lessons, &decks, g.lang))
}

fn summary(g: &Global, paths: &Paths, flag: Option<&str>, json: bool) -> Result<Exit, Failure> {
    let catalog = catalog(g)?;
    let store = Store::open_existing(paths)?;
    let explicit = crate::progress::learners::requested_name(flag);
    let sum = match &store {
        Some(store) => {
            warn_all(store);
            let name = store.current_learner_name(flag)?;
            let learner = if explicit.is_some() {
                Some(store.existing_learner(&name)?)
            } else {
                store.find_learner(&name)?
            };
            match learner {
                Some(l) => store.summary(
                    &l,
                    &catalog,
                    crate::progress::ids::now_ms(),
                    &jiff::tz::TimeZone::system(),
                )?,
                None => Summary::without_history(&name, &catalog),
            }
        }
        None => {
            if let Some(name) = &explicit {
                return Err(StoreError::UnknownLearner {
                    name: name.clone(),
                    known: format!("; nothing is recorded yet in {}", paths.db().display()),
                }
                .into());
            }
            Summary::without_history(&crate::progress::learners::default_name(), &catalog)
        }
    };
    if json {
        print_json(&sum);
    } else {
        print_summary(g, paths, store.is_some(), &sum);
    }
    Ok(Exit::Pass)
}

/// A UI string in the learner's language.
fn t(lang: Lang, en: &str, ko: &str) -> String {
    Text {
        en: en.into(),
        ko: ko.into(),
    }
    .get(lang)
    .to_string()
}

/// `s` padded with spaces to `width` terminal columns (Hangul is two
/// columns wide, so `{:<12}` would misalign Korean headers).
fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(unicode_width::UnicodeWidthStr::width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

fn percent(x: f64) -> String {
    format!("{:>3}%", (x * 100.0).round() as i64)
}

fn bar(x: f64) -> String {
    let filled = (x.clamp(0.0, 1.0) * 10.0).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

fn duration(l: Lang, ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    match (l, minutes / 60, minutes % 60) {
        (Lang::En, 0, m) => format!("{m}m"),
        (Lang::En, h, m) => format!("{h}h {m:02}m"),
        (Lang::Ko, 0, m) => format!("{m}분"),
        (Lang::Ko, h, m) => format!("{h}시간 {m}분"),
    }
}

fn local_date(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::system()).date().to_string())
        .unwrap_or_default()
}

fn print_summary(g: &Global, paths: &Paths, has_db: bool, s: &Summary) {
    let l = g.lang;
    let bold = |x: &str| paint(g.color, "1", x);
    println!(
        "{} {}",
        bold(&t(l, "Progress of", "학습 진행 상황:")),
        bold(&s.learner)
    );
    if s.attempts == 0 {
        let note = if has_db {
            t(l, "nothing recorded yet", "아직 기록이 없습니다")
        } else {
            format!(
                "{}: {} {}",
                t(l, "nothing recorded yet", "아직 기록이 없습니다"),
                paths.db().display(),
                t(
                    l,
                    "does not exist yet; your first `kubedojo check` creates it",
                    "파일이 아직 없습니다. 첫 `kubedojo check`가 만듭니다"
                )
            )
        };
        println!("  {note}");
    }
    println!(
        "  {} {}/{}   {} {}/{}   {} {} ({} {})",
        t(l, "exercises passed", "통과한 실습"),
        s.exercises_passed,
        s.exercises_total,
        t(l, "lessons read", "읽은 레슨"),
        s.lessons_read,
        s.lessons_total,
        t(l, "streak", "연속 학습"),
        plural_days(l, s.streak.current),
        t(l, "best", "최고"),
        plural_days(l, s.streak.longest),
    );
    println!(
        "  {} {} ({} {})   {} {}   {} {} + {} {}",
        t(l, "attempts", "시도"),
        s.attempts,
        s.passed_attempts,
        t(l, "passed", "통과"),
        t(l, "time", "학습 시간"),
        duration(l, s.time_spent_ms),
        t(l, "reviews due", "복습할 카드"),
        s.reviews_due,
        s.reviews_new,
        t(l, "new", "새 카드"),
    );
    if !s.topics.is_empty() {
        println!();
        println!(
            "  {} {} {} {}  {}",
            pad(&t(l, "TOPIC", "주제"), 12, false),
            pad(&t(l, "MASTERY", "숙련도"), 15, false),
            pad(&t(l, "PASSED", "통과"), 7, true),
            pad(&t(l, "ATTEMPTS", "시도"), 8, true),
            t(l, "LAST", "최근")
        );
        for tm in &s.topics {
            println!(
                "  {:<12} {} {} {:>7} {:>8}  {}",
                tm.topic,
                bar(tm.mastery),
                percent(tm.mastery),
                format!("{}/{}", tm.passed, tm.total),
                tm.attempts,
                tm.last_at.map(local_date).unwrap_or_else(|| "-".into())
            );
        }
    }
    if !s.domains.is_empty() {
        println!();
        println!(
            "  {} {} {}",
            pad(&t(l, "EXAM DOMAIN", "시험 영역"), 48, false),
            pad(&t(l, "MASTERY", "숙련도"), 7, true),
            pad(&t(l, "PASSED", "통과"), 7, true)
        );
        for d in &s.domains {
            println!(
                "  {:<48} {:>7} {:>7}",
                format!("{} {}", d.exam, d.domain),
                percent(d.mastery),
                format!("{}/{}", d.passed, d.total)
            );
        }
    }
    println!();
    match &s.next {
        Some(n) => {
            let why = match n.reason {
                NextReason::Continue => {
                    t(l, "continue where you left off", "하던 실습 이어서 하기")
                }
                NextReason::WeakestTopic => format!(
                    "{}: {}",
                    t(l, "your weakest topic", "가장 약한 주제"),
                    n.topic
                ),
                NextReason::NextInCourse => t(l, "next in the course", "코스의 다음 실습"),
            };
            println!(
                "{} {} — {} ({why})",
                bold(&t(l, "Next:", "다음:")),
                n.exercise,
                n.title
            );
            println!("      kubedojo check {}", n.exercise);
        }
        None if s.exercises_total > 0 => println!(
            "{}",
            t(
                l,
                "Every exercise passed. Well done!",
                "모든 실습을 통과했습니다. 잘했어요!"
            )
        ),
        None => {}
    }
}

fn plural_days(l: Lang, n: u32) -> String {
    match l {
        Lang::Ko => format!("{n}일"),
        Lang::En if n == 1 => "1 day".into(),
        Lang::En => format!("{n} days"),
    }
}

fn export(paths: &Paths, learner: Option<&str>, format: ExportFormat) -> Result<Exit, Failure> {
    let data = match Store::open_existing(paths)? {
        Some(store) => {
            warn_all(&store);
            if let Some(name) = learner {
                store.existing_learner(name)?;
            }
            store.export(learner)?
        }
        None => crate::progress::Export {
            format: crate::progress::exchange::FORMAT.into(),
            version: crate::progress::exchange::VERSION,
            exported_at: crate::progress::ids::rfc3339(crate::progress::ids::now_ms()),
            learners: vec![],
            attempts: vec![],
            hints: vec![],
            lessons_read: vec![],
            reviews: vec![],
            exam_sessions: vec![],
        },
    };
    match format {
        ExportFormat::Json => print_json(&data),
        ExportFormat::Csv => {
            let out = std::io::stdout().lock();
            if let Err(e) = crate::progress::exchange::write_csv(&data, out) {
                // A closed pipe (`| head`) is not an error worth a message.
                if !matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
                {
                    return Err(Failure::usage(format!("cannot write the CSV: {e}")));
                }
            }
        }
    }
    Ok(Exit::Pass)
}

fn import(
    paths: &Paths,
    file: &std::path::Path,
    learner: Option<&str>,
    json: bool,
) -> Result<Exit, Failure> {
    let bytes = std::fs::read(file).map_err(|e| {
        Failure::usage(format!(
            "{}: {}",
            file.display(),
            crate::progress::error::io_reason(&e)
        ))
    })?;
    let data = crate::progress::exchange::parse_file(&file.display().to_string(), &bytes)?;
    let mut store = Store::open(paths)?;
    warn_all(&store);
    let report = store.import(&data, learner).map_err(|e| match e {
        StoreError::Invalid(m) => Failure::usage(format!("{}: {m}", file.display())),
        other => Failure::from(other),
    })?;
    if json {
        print_json(&report);
    } else {
        println!(
            "imported {} attempts ({} already here), {} reviews ({} already here), {} exam sessions for {}",
            report.attempts_added,
            report.attempts_already_here,
            report.reviews_added,
            report.reviews_already_here,
            report.exam_sessions_added,
            if report.learners.is_empty() {
                "nobody".to_string()
            } else {
                report.learners.join(", ")
            }
        );
    }
    Ok(Exit::Pass)
}

fn learners(paths: &Paths, json: bool) -> Result<Exit, Failure> {
    let list = match Store::open_existing(paths)? {
        Some(store) => store.learners()?,
        None => Vec::new(),
    };
    if json {
        print_json(&list);
        return Ok(Exit::Pass);
    }
    if list.is_empty() {
        println!(
            "no learners yet: progress is recorded for {} by default",
            crate::progress::learners::default_name()
        );
    }
    for l in &list {
        let mark = if l.active { "*" } else { " " };
        println!(
            "{mark} {:<24} {:>6} attempts   last {}",
            l.name,
            l.attempts,
            l.last_activity
                .map(local_date)
                .unwrap_or_else(|| "-".into())
        );
    }
    Ok(Exit::Pass)
}

fn reset(paths: &Paths) -> Result<Exit, Failure> {
    let db = paths.db();
    // Name the moved file for what it is: a full check finds damage that
    // no query has touched yet.
    let label = match Store::open_existing(paths) {
        Ok(Some(store)) if store.quick_check().is_ok_and(|r| r == "ok") => "old",
        Ok(None) => "old",
        Err(StoreError::TooNew { .. }) => "newer",
        Ok(Some(_)) | Err(_) => "corrupt",
    };
    match move_aside(&db, label)? {
        Some(to) => {
            println!(
                "moved {} to {} (nothing was deleted); a new progress database starts with your next check",
                db.display(),
                to.display()
            );
        }
        None => println!("no progress database at {}; nothing to reset", db.display()),
    }
    Ok(Exit::Pass)
}

fn check(paths: &Paths) -> Result<Exit, Failure> {
    let Some(store) = Store::open_existing(paths)? else {
        println!(
            "no progress database at {}; nothing to check",
            paths.db().display()
        );
        return Ok(Exit::Pass);
    };
    let report = store.integrity_check()?;
    if report != "ok" {
        let detail = report.lines().take(3).collect::<Vec<_>>().join("; ");
        return Err(StoreError::Corrupt {
            path: paths.db(),
            detail,
        }
        .into());
    }
    println!(
        "{}: ok (schema version {})",
        paths.db().display(),
        store.schema_version()?
    );
    Ok(Exit::Pass)
}

/// Hidden: record attempts in a loop, printing each uid only after its
/// commit returned (the kill -9 durability test reads these).
fn write_stream(paths: &Paths, tag: &str, count: Option<u64>) -> Result<Exit, Failure> {
    let mut store = Store::open(paths)?;
    let learner = store.ensure_learner(&format!("stream-{tag}"))?;
    let mut out = std::io::stdout().lock();
    let mut n = 0u64;
    while count.is_none_or(|c| n < c) {
        let uid = store.record_attempt(
            &learner,
            &NewAttempt {
                exercise: format!("stream-{tag}"),
                at: crate::progress::ids::now_ms(),
                source: Source::Yaml,
                passed: n.is_multiple_of(2),
                score: (n % 5) as u32,
                max_score: 4,
                findings: serde_json::json!([{"check": "seq", "passed": true, "message": n.to_string()}]),
                duration_ms: None,
                exam_session: None,
            },
        )?;
        if writeln!(out, "{uid}").and_then(|_| out.flush()).is_err() {
            break;
        }
        n += 1;
    }
    Ok(Exit::Pass)
}

/// Record a graded `check`. Never fails the caller: a problem is one
/// warning on stderr, and the grade and exit code stay as they are.
pub fn record_check(g: &Global, attempt: NewAttempt) {
    if let Err(e) = try_record(g, &attempt) {
        eprintln!("kubedojo: warning: progress not saved: {e}");
    }
}

fn try_record(g: &Global, attempt: &NewAttempt) -> Result<(), StoreError> {
    let paths = Paths::resolve(g.data_dir.as_deref())?;
    let mut store = Store::open(&paths)?;
    let name = store.current_learner_name(None)?;
    let learner = store.ensure_learner(&name)?;
    store.record_attempt(&learner, attempt)?;
    Ok(())
}
