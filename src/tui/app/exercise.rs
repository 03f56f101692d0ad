//! The exercise screen: the task, the learner's workspace file, findings
//! re-graded on every save, hints one at a time, the solution, reset.

use super::{
    App, Confirm, ConfirmAction, Effect, Graded, Notice, Outcome, Overlay, Screen, WorkspaceInfo,
    render_markdown,
};
use crate::tui::keymap::Action;
use crate::tui::markdown::Rendered;
use crate::tui::view;
use std::path::{Path, PathBuf};

/// What the upper pane shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TopPane {
    #[default]
    Task,
    Hints,
    Solution,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseView {
    /// Index into `Library::exercises`.
    pub idx: usize,
    pub prompt: Rendered,
    pub pane: TopPane,
    /// Scroll of the upper pane.
    pub scroll: usize,
    /// Empty until the workspace is ready.
    pub files: Vec<PathBuf>,
    pub file: usize,
    pub result: Option<Outcome>,
    pub checking: bool,
    /// The selected finding (or problem).
    pub selected: usize,
    /// Hints revealed so far (the first `hints` of the exercise).
    pub hints: usize,
    pub solution_seen: bool,
    pub attempts: u64,
    pub solution: Vec<(String, String)>,
    pub watch_error: Option<String>,
}

impl ExerciseView {
    /// Rows in the findings list.
    pub fn rows(&self) -> usize {
        match &self.result {
            Some(Outcome::Report(r)) => r.findings.len(),
            Some(Outcome::Rejected(p)) => p.len(),
            _ => 0,
        }
    }

    /// Where the selected finding points: (file as graded, line).
    pub fn selected_location(&self) -> Option<(&str, u32)> {
        match &self.result {
            Some(Outcome::Report(r)) => r
                .findings
                .get(self.selected)
                .and_then(|f| f.location.as_ref())
                .map(|l| (l.file.as_str(), l.line)),
            Some(Outcome::Rejected(p)) => p.get(self.selected).map(|p| (p.file.as_str(), p.line)),
            _ => None,
        }
    }
}

fn prompt(app: &App, idx: usize) -> Rendered {
    let text = app.lib.exercises[idx].prompt.get(app.lang);
    render_markdown(app, text, view::exercise::prompt_width(app.size))
}

pub fn open(app: &mut App, id: &str) -> Vec<Effect> {
    let Some(idx) = app.lib.exercise_index(id) else {
        let msg = format!("{}: {id}", app.t("No such exercise", "실습이 없습니다"));
        app.notice = Some(Notice::error(msg));
        return Vec::new();
    };
    let view = ExerciseView {
        idx,
        prompt: prompt(app, idx),
        pane: TopPane::Task,
        scroll: 0,
        files: Vec::new(),
        file: 0,
        result: None,
        checking: false,
        selected: 0,
        hints: 0,
        solution_seen: false,
        attempts: 0,
        solution: Vec::new(),
        watch_error: None,
    };
    let mut fx = app.push(Screen::Exercise(Box::new(view)));
    fx.push(Effect::OpenExercise {
        exercise: id.to_string(),
    });
    fx
}

pub fn relayout(app: &mut App) {
    let idxs: Vec<(usize, usize)> = app
        .stack
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Screen::Exercise(v) => Some((i, v.idx)),
            _ => None,
        })
        .collect();
    for (i, idx) in idxs {
        let p = prompt(app, idx);
        if let Screen::Exercise(v) = &mut app.stack[i] {
            v.prompt = p;
            v.scroll = 0;
        }
    }
}

/// The open exercise, if the top screen is the exercise `id`.
fn current<'a>(app: &'a mut App, id: &str) -> Option<&'a mut ExerciseView> {
    let ids_match = app
        .exercise_view()
        .is_some_and(|v| app.lib.exercises[v.idx].id == id);
    match app.stack.last_mut() {
        Some(Screen::Exercise(v)) if ids_match => Some(v),
        _ => None,
    }
}

pub fn workspace(app: &mut App, w: WorkspaceInfo) -> Vec<Effect> {
    let hints_total = app
        .lib
        .exercise_index(&w.exercise)
        .map_or(0, |i| app.lib.exercises[i].hints.len());
    let Some(v) = current(app, &w.exercise) else {
        return Vec::new();
    };
    v.files = w.files;
    v.file = 0;
    v.hints = w
        .hints_revealed
        .iter()
        .map(|&i| i as usize + 1)
        .filter(|&n| n <= hints_total)
        .max()
        .unwrap_or(0);
    v.solution_seen = w.solution_seen;
    v.attempts = w.attempts;
    v.solution = w.solution;
    v.watch_error = w.watch_error;
    v.checking = true;
    vec![Effect::Grade {
        exercise: w.exercise,
        record: false,
    }]
}

pub fn graded(app: &mut App, g: Graded) -> Vec<Effect> {
    let lang = app.lang;
    let Some(v) = current(app, &g.exercise) else {
        return Vec::new();
    };
    v.checking = false;
    if g.recorded {
        v.attempts += 1;
    }
    let passed = matches!(&g.outcome, Outcome::Report(r) if r.passed);
    // Point at the first thing to fix.
    v.selected = match &g.outcome {
        Outcome::Report(r) => r.findings.iter().position(|f| !f.passed).unwrap_or(0),
        _ => 0,
    };
    let score = match &g.outcome {
        Outcome::Report(r) => Some((r.score, r.max_score)),
        _ => None,
    };
    v.result = Some(g.outcome);
    if passed
        && g.recorded
        && let Some((s, m)) = score
    {
        let text = match lang {
            crate::content::Lang::En => format!("Passed, {s}/{m}. Well done! Esc goes back."),
            crate::content::Lang::Ko => {
                format!("통과했습니다, {s}/{m}. 잘했어요! Esc로 돌아갑니다.")
            }
        };
        app.notice = Some(Notice::info(text));
    }
    Vec::new()
}

pub fn file_changed(app: &mut App, path: &Path) -> Vec<Effect> {
    let Some(v) = app.exercise_view() else {
        return Vec::new();
    };
    if !v.files.iter().any(|f| f == path) {
        return Vec::new();
    }
    let id = app.lib.exercises[v.idx].id.clone();
    if let Some(Screen::Exercise(v)) = app.stack.last_mut() {
        v.checking = true;
    }
    vec![Effect::Grade {
        exercise: id,
        record: true,
    }]
}

pub fn editor_done(app: &mut App, error: Option<String>) -> Vec<Effect> {
    if let Some(e) = error {
        app.notice = Some(Notice::error(e));
        return Vec::new();
    }
    // The watcher may be blind (WSL2 on Windows drives, NFS): grade what
    // the editor left. Grading the same bytes twice records once.
    match app.exercise_view() {
        Some(v) if !v.files.is_empty() => {
            let id = app.lib.exercises[v.idx].id.clone();
            vec![Effect::Grade {
                exercise: id,
                record: true,
            }]
        }
        _ => Vec::new(),
    }
}

/// The workspace file a finding's location names, if it is one.
fn workspace_file(v: &ExerciseView, graded_as: &str) -> Option<PathBuf> {
    let base = Path::new(graded_as).file_name();
    v.files
        .iter()
        .find(|f| f.as_os_str() == graded_as)
        .or_else(|| v.files.iter().find(|f| f.file_name() == base))
        .cloned()
}

pub fn act(app: &mut App, a: Action) -> Vec<Effect> {
    let Some(v) = app.exercise_view() else {
        return Vec::new();
    };
    let ex = &app.lib.exercises[v.idx];
    let id = ex.id.clone();
    let hints_total = ex.hints.len();
    let rows = v.rows();
    let page = (view::exercise::top_height(app.size) as usize)
        .saturating_sub(1)
        .max(1);
    let jump = v
        .selected_location()
        .map(|(file, line)| (workspace_file(v, file), line));
    let current_file = v.files.get(v.file).cloned();
    let may_see_solution = v.solution_seen || v.attempts > 0;
    let solution_seen = v.solution_seen;
    let lang = app.lang;
    let t = |en: &'static str, ko: &'static str| crate::tui::i18n::t(lang, en, ko);
    let mut notice = None;
    let mut overlay = None;
    let mut fx = Vec::new();
    let Some(Screen::Exercise(v)) = app.stack.last_mut() else {
        return Vec::new();
    };
    match a {
        Action::Up => v.selected = v.selected.saturating_sub(1),
        Action::Down => v.selected = (v.selected + 1).min(rows.saturating_sub(1)),
        Action::Top => v.selected = 0,
        Action::Bottom => v.selected = rows.saturating_sub(1),
        Action::PageUp => v.scroll = v.scroll.saturating_sub(page),
        Action::PageDown => v.scroll += page,
        Action::NextPane => {
            v.pane = match v.pane {
                TopPane::Task if v.hints > 0 => TopPane::Hints,
                TopPane::Task | TopPane::Hints if v.solution_seen => TopPane::Solution,
                _ => TopPane::Task,
            };
            v.scroll = 0;
        }
        Action::NextFile if !v.files.is_empty() => v.file = (v.file + 1) % v.files.len(),
        Action::Edit => match current_file {
            Some(path) => fx.push(Effect::Edit { path, line: None }),
            None => {
                notice = Some(Notice::info(t(
                    "The workspace is not ready yet.",
                    "작업 공간이 아직 준비되지 않았습니다.",
                )))
            }
        },
        Action::Open => match (jump, current_file) {
            (Some((Some(path), line)), _) => fx.push(Effect::Edit {
                path,
                line: Some(line),
            }),
            (Some((None, _)), _) => {
                notice = Some(Notice::info(t(
                    "That line is in the exercise's given cluster state, not in your file.",
                    "그 줄은 내 파일이 아니라 실습에 주어진 클러스터 상태에 있습니다.",
                )))
            }
            (None, Some(path)) => fx.push(Effect::Edit { path, line: None }),
            (None, None) => {}
        },
        Action::Recheck => {
            v.checking = true;
            fx.push(Effect::Grade {
                exercise: id,
                record: true,
            });
        }
        Action::Hint => {
            if v.hints < hints_total {
                let index = v.hints as u32;
                v.hints += 1;
                v.pane = TopPane::Hints;
                v.scroll = 0;
                fx.push(Effect::RevealHint {
                    exercise: id,
                    index,
                });
            } else {
                v.pane = TopPane::Hints;
                notice = Some(Notice::info(if hints_total == 0 {
                    t(
                        "This exercise has no hints.",
                        "이 실습에는 힌트가 없습니다.",
                    )
                } else {
                    t("That was the last hint.", "마지막 힌트였습니다.")
                }));
            }
        }
        Action::Solution if may_see_solution => {
            v.pane = TopPane::Solution;
            v.scroll = 0;
            if !solution_seen {
                v.solution_seen = true;
                fx.push(Effect::RevealSolution { exercise: id });
            }
        }
        Action::Solution => {
            overlay = Some(Overlay::Confirm(Confirm {
                question: t(
                    "You have not tried this exercise yet. Show the solution anyway?",
                    "아직 이 실습을 시도하지 않았습니다. 그래도 정답을 볼까요?",
                )
                .to_string(),
                action: ConfirmAction::Solution(id),
            }))
        }
        Action::Reset => {
            overlay = Some(Overlay::Confirm(Confirm {
                question: t(
                    "Put the starter file back? Your changes to it are lost.",
                    "처음 파일로 되돌릴까요? 파일의 변경 내용은 사라집니다.",
                )
                .to_string(),
                action: ConfirmAction::Reset(id),
            }))
        }
        _ => {}
    }
    if notice.is_some() {
        app.notice = notice;
    }
    if overlay.is_some() {
        app.overlay = overlay;
    }
    fx
}

/// After "yes" on a confirmation.
pub fn confirmed(app: &mut App, action: ConfirmAction) -> Vec<Effect> {
    match action {
        ConfirmAction::Solution(id) => {
            if let Some(v) = current(app, &id) {
                v.pane = TopPane::Solution;
                v.scroll = 0;
                v.solution_seen = true;
            }
            vec![Effect::RevealSolution { exercise: id }]
        }
        ConfirmAction::Reset(id) => {
            if let Some(v) = current(app, &id) {
                v.checking = true;
            }
            app.notice = Some(Notice::info(
                app.t("The starter file is back.", "처음 파일로 되돌렸습니다."),
            ));
            vec![Effect::Reset { exercise: id }]
        }
    }
}
