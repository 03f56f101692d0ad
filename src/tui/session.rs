//! The app's hands: the progress store, the exercise workspace and
//! grading. The event loop performs effects through it, and so does the
//! plain-text mode. Progress problems never stop learning: reads fall back
//! to "no history", failed writes come back as a message to show.

use super::app::{ExerciseRecord, Graded, Outcome, ProgressData, WorkspaceInfo};
use super::library::Library;
use crate::checks::run::{self, grade_inputs};
use crate::content::{Exercise, Lang};
use crate::model::load::{Input, read_file};
use crate::model::yaml::Limits;
use crate::progress::attempts::SOLUTION_HINT;
use crate::progress::fsrs::Rating;
use crate::progress::learners::{Learner, default_name};
use crate::progress::{NewAttempt, Paths, ReviewQueue, Source, Store, Summary};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

/// How many attempts the progress screen lists.
const RECENT: usize = 8;

pub struct Session {
    paths: Paths,
    store: Option<Store>,
    /// Why the store could not be opened, when it could not.
    problem: Option<String>,
    learner: Option<Learner>,
    /// Per exercise, a hash of the files last recorded as an attempt:
    /// the same bytes graded again (a save that changed nothing, the
    /// watcher and the editor both reporting one save) record once.
    recorded: HashMap<String, u64>,
}

impl Session {
    /// Open the progress database if there is one (looking creates
    /// nothing; the first write does).
    pub fn open(paths: Paths) -> Session {
        let (store, problem) = match Store::open_existing(&paths) {
            Ok(s) => (s, None),
            Err(e) => (None, Some(e.to_string())),
        };
        let mut s = Session {
            paths,
            store,
            problem,
            learner: None,
            recorded: HashMap::new(),
        };
        if let Some(store) = &s.store
            && let Ok(name) = store.current_learner_name(None)
        {
            s.learner = store.find_learner(&name).ok().flatten();
        }
        s
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// The store and learner for a write, creating both on first use.
    fn writer(&mut self) -> Result<(&mut Store, Learner), String> {
        if let Some(p) = &self.problem {
            return Err(p.clone());
        }
        if self.store.is_none() {
            self.store = Some(Store::open(&self.paths).map_err(|e| e.to_string())?);
        }
        let store = self.store.as_mut().ok_or("no progress database")?;
        let learner = match &self.learner {
            Some(l) => l.clone(),
            None => {
                let name = store
                    .current_learner_name(None)
                    .map_err(|e| e.to_string())?;
                let l = store.ensure_learner(&name).map_err(|e| e.to_string())?;
                self.learner = Some(l.clone());
                l
            }
        };
        Ok((store, learner))
    }

    pub fn progress(
        &self,
        lib: &Library,
        lang: Lang,
        now: i64,
        tz: &jiff::tz::TimeZone,
    ) -> ProgressData {
        let catalog = lib.catalog(lang);
        let empty = |name: String, problem: Option<String>| ProgressData {
            summary: Summary::without_history(&name, &catalog),
            recent: Vec::new(),
            lessons_read: BTreeSet::new(),
            exercises: BTreeMap::new(),
            queue: ReviewQueue {
                due: Vec::new(),
                new: catalog
                    .cards
                    .iter()
                    .map(|c| crate::progress::DueCard {
                        card: c.clone(),
                        due: None,
                        state: None,
                    })
                    .collect(),
            },
            problem,
        };
        let (Some(store), Some(learner)) = (&self.store, &self.learner) else {
            let name = self
                .store
                .as_ref()
                .and_then(|s| s.current_learner_name(None).ok())
                .unwrap_or_else(default_name);
            return empty(name, self.problem.clone());
        };
        let read = || -> Result<ProgressData, crate::progress::StoreError> {
            let summary = store.summary(learner, &catalog, now, tz)?;
            let mut recent = store.attempts(learner, None)?;
            recent.reverse();
            recent.truncate(RECENT);
            let exercises = store
                .exercise_stats(learner)?
                .into_iter()
                .map(|s| {
                    (
                        s.exercise.clone(),
                        ExerciseRecord {
                            attempts: s.attempts,
                            passed: s.passed,
                            best: s.best,
                        },
                    )
                })
                .collect();
            Ok(ProgressData {
                summary,
                recent,
                lessons_read: store.lessons_read(learner)?.into_iter().collect(),
                exercises,
                queue: store.review_queue(learner, &catalog.cards, now)?,
                problem: None,
            })
        };
        read().unwrap_or_else(|e| empty(learner.name.clone(), Some(e.to_string())))
    }

    pub fn mark_read(&mut self, lesson: &str, now: i64) -> Result<(), String> {
        let (store, learner) = self.writer()?;
        store
            .mark_lesson_read(&learner, lesson, now)
            .map_err(|e| e.to_string())
    }

    pub fn reveal_hint(&mut self, exercise: &str, index: u32, now: i64) -> Result<(), String> {
        let (store, learner) = self.writer()?;
        store
            .reveal_hint(&learner, exercise, index, now)
            .map_err(|e| e.to_string())
    }

    pub fn reveal_solution(&mut self, exercise: &str, now: i64) -> Result<(), String> {
        let (store, learner) = self.writer()?;
        store
            .reveal_solution(&learner, exercise, now)
            .map_err(|e| e.to_string())
    }

    pub fn rate(
        &mut self,
        card: &str,
        rating: Rating,
        now: i64,
        duration_ms: Option<u64>,
    ) -> Result<(), String> {
        let (store, learner) = self.writer()?;
        store
            .review_card(&learner, card, rating, now, duration_ms)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// The learner's files for an exercise.
    pub fn files(&self, ex: &Exercise) -> Vec<PathBuf> {
        let dir = self.paths.workspace().join(&ex.id);
        ex.workspace.iter().map(|w| dir.join(&w.file)).collect()
    }

    /// Make the workspace: the directory, and each file from its starter
    /// (or empty) where it does not exist yet. Existing work is kept.
    pub fn prepare(&self, lib: &Library, ex: &Exercise) -> Result<Vec<PathBuf>, String> {
        let files = self.files(ex);
        if let Some(dir) = files.first().and_then(|f| f.parent()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        for (w, path) in ex.workspace.iter().zip(&files) {
            if !path.exists() {
                let bytes = starter(lib, ex, w)?;
                std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        Ok(files)
    }

    /// Put every starter back.
    pub fn reset(&self, lib: &Library, ex: &Exercise) -> Result<(), String> {
        self.prepare(lib, ex)?;
        for (w, path) in ex.workspace.iter().zip(self.files(ex)) {
            let bytes = starter(lib, ex, w)?;
            std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(())
    }

    /// Everything the exercise screen needs once the workspace exists.
    pub fn workspace_info(
        &self,
        lib: &Library,
        ex: &Exercise,
        files: Vec<PathBuf>,
        watch_error: Option<String>,
    ) -> WorkspaceInfo {
        let (hints, attempts) = match (&self.store, &self.learner) {
            (Some(s), Some(l)) => (
                s.hints_revealed(l, &ex.id).unwrap_or_default(),
                s.attempts(l, Some(&ex.id))
                    .map(|a| a.len() as u64)
                    .unwrap_or(0),
            ),
            _ => (Vec::new(), 0),
        };
        WorkspaceInfo {
            exercise: ex.id.clone(),
            files,
            solution_seen: hints.contains(&SOLUTION_HINT),
            hints_revealed: hints.into_iter().filter(|&h| h != SOLUTION_HINT).collect(),
            attempts,
            solution: ex
                .solution
                .iter()
                .filter_map(|rel| {
                    let (_, bytes) = lib.content.exercise_file(ex, rel).ok()?;
                    let name = rel.rsplit('/').next().unwrap_or(rel).to_string();
                    Some((name, String::from_utf8_lossy(&bytes).into_owned()))
                })
                .collect(),
            watch_error,
        }
    }

    /// Grade the workspace files; with `record`, remember the attempt
    /// (once per distinct content).
    pub fn grade(
        &mut self,
        lib: &Library,
        ex: &Exercise,
        lang: Lang,
        record: bool,
        now: i64,
    ) -> (Graded, Option<String>) {
        let limits = Limits::default();
        let inputs: Result<Vec<Input>, String> = self
            .files(ex)
            .iter()
            .map(|f| read_file(f, &limits).map_err(|e| e.to_string()))
            .collect();
        let outcome = match inputs.as_ref() {
            Err(e) => Outcome::Error(e.clone()),
            Ok(inputs) => match grade_inputs(&lib.content, ex, inputs, lang) {
                Ok(run::Graded::Report(r)) => Outcome::Report(r),
                Ok(run::Graded::Rejected(p)) => Outcome::Rejected(p),
                Err(e) => Outcome::Error(e.to_string()),
            },
        };
        let mut recorded = false;
        let mut problem = None;
        if let (true, Ok(inputs)) = (record, &inputs) {
            let hash = content_hash(inputs);
            let attempt = attempt_of(ex, &outcome, now);
            if self.recorded.get(&ex.id) != Some(&hash)
                && let Some(attempt) = attempt
            {
                match self
                    .writer()
                    .and_then(|(s, l)| s.record_attempt(&l, &attempt).map_err(|e| e.to_string()))
                {
                    Ok(_) => {
                        recorded = true;
                        self.recorded.insert(ex.id.clone(), hash);
                    }
                    Err(e) => problem = Some(e),
                }
            }
        }
        (
            Graded {
                exercise: ex.id.clone(),
                outcome,
                recorded,
            },
            problem,
        )
    }
}

fn starter(
    lib: &Library,
    ex: &Exercise,
    w: &crate::content::exercise::WorkspaceFile,
) -> Result<Vec<u8>, String> {
    match &w.starter {
        Some(rel) => lib
            .content
            .exercise_file(ex, rel)
            .map(|(_, b)| b)
            .map_err(|e| e.to_string()),
        None => Ok(Vec::new()),
    }
}

fn content_hash(inputs: &[Input]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for i in inputs {
        i.name.hash(&mut h);
        i.bytes.hash(&mut h);
    }
    h.finish()
}

/// The attempt to remember, as `kubedojo check` records it: files the API
/// server would reject score 0 with one `validation` finding. An error
/// (unreadable file, broken exercise) is not an attempt.
fn attempt_of(ex: &Exercise, outcome: &Outcome, now: i64) -> Option<NewAttempt> {
    let (passed, score, findings) = match outcome {
        Outcome::Error(_) => return None,
        Outcome::Rejected(problems) => (
            false,
            0,
            serde_json::json!([{
                "check": "validation",
                "passed": false,
                "message": format!("{} problem(s); first: {}", problems.len(),
                    problems.first().map(|p| p.to_string()).unwrap_or_default()),
            }]),
        ),
        Outcome::Report(r) => (
            r.passed,
            r.score,
            serde_json::to_value(&r.findings).unwrap_or(serde_json::Value::Null),
        ),
    };
    Some(NewAttempt {
        exercise: ex.id.clone(),
        at: now,
        source: Source::Yaml,
        passed,
        score,
        max_score: ex.max_score(),
        findings,
        duration_ms: None,
        exam_session: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Content, ContentSource};
    use crate::progress::Origin;

    fn lib() -> Library {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/content");
        Library::load(Content::new(ContentSource::Dir(dir)).unwrap()).unwrap()
    }

    #[test]
    fn workspace_grading_and_recording() {
        let home = tempfile::tempdir().unwrap();
        let lib = lib();
        let ex = lib
            .exercises
            .iter()
            .find(|e| e.id == "ns-exists")
            .unwrap()
            .clone();
        let mut s = Session::open(Paths::at(home.path(), Origin::Flag));
        assert!(
            !home.path().join("progress.db").exists(),
            "opening creates nothing"
        );
        let files = s.prepare(&lib, &ex).unwrap();
        assert_eq!(files, [home.path().join("workspace/ns-exists/ns.yaml")]);
        // No starter: an empty file, which the API server would not take.
        let (g, _) = s.grade(&lib, &ex, Lang::En, false, 1000);
        assert!(matches!(g.outcome, Outcome::Rejected(_)), "{:?}", g.outcome);
        assert!(!g.recorded);

        let solution = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/content/exercises/basics/ns-exists/solution.yaml"),
        )
        .unwrap();
        std::fs::write(&files[0], &solution).unwrap();
        let (g, problem) = s.grade(&lib, &ex, Lang::En, true, 2000);
        assert_eq!(problem, None);
        assert!(g.recorded);
        assert!(matches!(&g.outcome, Outcome::Report(r) if r.passed));
        // The same bytes again: graded, not recorded twice.
        let (g, _) = s.grade(&lib, &ex, Lang::En, true, 3000);
        assert!(!g.recorded);
        let p = s.progress(&lib, Lang::En, 4000, &jiff::tz::TimeZone::UTC);
        assert_eq!(p.summary.attempts, 1);
        assert!(p.exercises["ns-exists"].passed);
        assert_eq!(p.recent.len(), 1);

        s.reveal_hint(&ex.id, 0, 5000).unwrap();
        s.reveal_solution(&ex.id, 6000).unwrap();
        let info = s.workspace_info(&lib, &ex, files.clone(), None);
        assert_eq!(info.hints_revealed, [0]);
        assert!(info.solution_seen);
        assert_eq!(info.attempts, 1);
        assert_eq!(info.solution.len(), 1);
        assert_eq!(info.solution[0].0, "solution.yaml");

        // Work is kept by prepare, replaced by reset.
        std::fs::write(&files[0], "mine").unwrap();
        s.prepare(&lib, &ex).unwrap();
        assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), "mine");
        s.reset(&lib, &ex).unwrap();
        assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), "");
    }

    #[test]
    fn a_broken_database_is_reported_not_fatal() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join("progress.db"),
            b"this is not sqlite at all",
        )
        .unwrap();
        let lib = lib();
        let mut s = Session::open(Paths::at(home.path(), Origin::Flag));
        let p = s.progress(&lib, Lang::En, 0, &jiff::tz::TimeZone::UTC);
        assert!(p.problem.is_some());
        assert!(s.mark_read("intro", 1).is_err());
        assert_eq!(
            std::fs::read(home.path().join("progress.db")).unwrap(),
            b"this is not sqlite at all"
        );
    }
}
