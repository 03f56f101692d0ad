//! Home: topics on the left, the selected topic's lessons and exercises
//! on the right; "continue" to the next thing to do; the exam filter.

use super::{App, Effect, Target};
use crate::progress::mastery::NextReason;
use crate::tui::keymap::Action;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pane {
    #[default]
    Topics,
    Items,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HomeView {
    pub focus: Pane,
    /// Index into the visible topics.
    pub topic: usize,
    /// Index into the selected topic's items.
    pub item: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HomeItem {
    Lesson(String),
    /// Index into `Library::exercises`.
    Exercise(usize),
}

/// Topics the exam filter lets through (indices into `Library::topics`).
pub fn visible_topics(app: &App) -> Vec<usize> {
    (0..app.lib.topics.len())
        .filter(|&i| !items(app, i).is_empty())
        .collect()
}

/// A topic's lessons, then its exercises, as the exam filter allows.
pub fn items(app: &App, topic: usize) -> Vec<HomeItem> {
    let Some(t) = app.lib.topics.get(topic) else {
        return Vec::new();
    };
    let lessons = t
        .lessons
        .iter()
        .filter(|id| app.lib.lesson_exam(id).is_some_and(|e| app.exam.admits(e)))
        .map(|id| HomeItem::Lesson(id.clone()));
    let exercises = t
        .exercises
        .iter()
        .filter(|&&i| app.exam.admits(app.lib.exercises[i].exam))
        .map(|&i| HomeItem::Exercise(i));
    lessons.chain(exercises).collect()
}

/// The selected topic (index into `Library::topics`).
pub fn selected_topic(app: &App) -> Option<usize> {
    visible_topics(app).get(app.home.topic).copied()
}

/// The next thing to do: the exercise progress suggests, or its lesson
/// first when the learner has not read it and not tried the exercise.
pub fn continue_target(app: &App) -> Option<Target> {
    let p = &app.progress;
    match &p.summary.next {
        Some(next) => {
            let idx = app.lib.exercise_index(&next.exercise)?;
            let ex = &app.lib.exercises[idx];
            let tried = p.exercises.get(&ex.id).is_some_and(|r| r.attempts > 0);
            match &ex.lesson {
                Some(l)
                    if next.reason == NextReason::NextInCourse
                        && !tried
                        && !p.lessons_read.contains(l)
                        && app.lib.lesson(app.lang, l).is_some() =>
                {
                    Some(Target::Lesson {
                        id: l.clone(),
                        heading: None,
                    })
                }
                _ => Some(Target::Exercise(ex.id.clone())),
            }
        }
        None => app
            .lib
            .lessons_en
            .iter()
            .find(|l| !p.lessons_read.contains(&l.meta.id))
            .map(|l| Target::Lesson {
                id: l.meta.id.clone(),
                heading: None,
            }),
    }
}

pub fn clamp(app: &mut App) {
    let n = visible_topics(app).len();
    app.home.topic = app.home.topic.min(n.saturating_sub(1));
    let m = selected_topic(app).map_or(0, |t| items(app, t).len());
    app.home.item = app.home.item.min(m.saturating_sub(1));
}

pub fn act(app: &mut App, a: Action) -> Vec<Effect> {
    let topics = visible_topics(app).len();
    let item_count = selected_topic(app).map_or(0, |t| items(app, t).len());
    let h = &mut app.home;
    match (a, h.focus) {
        (Action::Up, Pane::Topics) => {
            h.topic = h.topic.saturating_sub(1);
            h.item = 0;
        }
        (Action::Down, Pane::Topics) => {
            h.topic = (h.topic + 1).min(topics.saturating_sub(1));
            h.item = 0;
        }
        (Action::Top, Pane::Topics) => {
            h.topic = 0;
            h.item = 0;
        }
        (Action::Bottom, Pane::Topics) => {
            h.topic = topics.saturating_sub(1);
            h.item = 0;
        }
        (Action::Up, Pane::Items) => h.item = h.item.saturating_sub(1),
        (Action::Down, Pane::Items) => h.item = (h.item + 1).min(item_count.saturating_sub(1)),
        (Action::Top, Pane::Items) => h.item = 0,
        (Action::Bottom, Pane::Items) => h.item = item_count.saturating_sub(1),
        (Action::Right | Action::Open, Pane::Topics) if item_count > 0 => h.focus = Pane::Items,
        (Action::Left, Pane::Items) => h.focus = Pane::Topics,
        (Action::NextPane, _) => {
            h.focus = match h.focus {
                Pane::Topics if item_count > 0 => Pane::Items,
                _ => Pane::Topics,
            }
        }
        (Action::Open | Action::Right, Pane::Items) => {
            let item =
                selected_topic(app).and_then(|t| items(app, t).into_iter().nth(app.home.item));
            return match item {
                Some(HomeItem::Lesson(id)) => app.open(Target::Lesson { id, heading: None }),
                Some(HomeItem::Exercise(i)) => {
                    let id = app.lib.exercises[i].id.clone();
                    app.open(Target::Exercise(id))
                }
                None => Vec::new(),
            };
        }
        (Action::Continue, _) => {
            return match continue_target(app) {
                Some(t) => app.open(t),
                None => {
                    let msg = app.t(
                        "Everything is done. Review cards keep it fresh: press r.",
                        "모두 끝냈습니다. r을 눌러 카드를 복습하세요.",
                    );
                    app.notice = Some(super::Notice::info(msg));
                    Vec::new()
                }
            };
        }
        (Action::Review, _) => return app.open(Target::Review),
        (Action::Progress, _) => return app.open(Target::Progress),
        (Action::ExamFilter, _) => {
            app.exam = app.exam.next();
            app.home.topic = 0;
            app.home.item = 0;
            app.home.focus = Pane::Topics;
        }
        _ => {}
    }
    Vec::new()
}
