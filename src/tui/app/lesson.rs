//! The lesson reader: the lesson laid out for the terminal's width,
//! scrolling, the table of contents, "mark as read", the lesson's exercises.

use super::{App, Effect, Notice, Overlay, Picker, Screen, Target, render_markdown};
use crate::tui::keymap::Action;
use crate::tui::markdown::Rendered;
use crate::tui::view;

#[derive(Clone, Debug, PartialEq)]
pub struct LessonView {
    pub id: String,
    pub doc: Rendered,
    /// First line shown.
    pub scroll: usize,
}

fn layout(app: &App, id: &str) -> Option<Rendered> {
    let lesson = app.lib.lesson(app.lang, id)?;
    let (w, _) = view::lesson::text_area(app.size);
    Some(render_markdown(app, &lesson.body, w))
}

pub fn open(app: &mut App, id: &str, heading: Option<&str>) -> Vec<Effect> {
    let Some(doc) = layout(app, id) else {
        let msg = format!("{}: {id}", app.t("No such lesson", "레슨이 없습니다"));
        app.notice = Some(Notice::error(msg));
        return Vec::new();
    };
    let scroll = heading
        .and_then(|h| doc.headings.iter().find(|x| x.text == h))
        .map_or(0, |h| h.line);
    let fx = app.push(Screen::Lesson(LessonView {
        id: id.to_string(),
        doc,
        scroll,
    }));
    clamp(app);
    fx
}

/// Lay every open lesson out again (new width or language), keeping the
/// reader at the same place in the text.
pub fn relayout(app: &mut App) {
    let ids: Vec<(usize, String)> = app
        .stack
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Screen::Lesson(v) => Some((i, v.id.clone())),
            _ => None,
        })
        .collect();
    for (i, id) in ids {
        let Some(doc) = layout(app, &id) else {
            continue;
        };
        if let Screen::Lesson(v) = &mut app.stack[i] {
            let old = v.doc.lines.len().max(1);
            v.scroll = v.scroll * doc.lines.len() / old;
            v.doc = doc;
        }
    }
    clamp(app);
}

pub fn max_scroll(app: &App, v: &LessonView) -> usize {
    let (_, h) = view::lesson::text_area(app.size);
    v.doc.lines.len().saturating_sub(h as usize)
}

pub fn clamp(app: &mut App) {
    let max = match app.screen() {
        Screen::Lesson(v) => max_scroll(app, v),
        _ => return,
    };
    if let Some(Screen::Lesson(v)) = app.stack.last_mut() {
        v.scroll = v.scroll.min(max);
    }
}

pub fn act(app: &mut App, a: Action) -> Vec<Effect> {
    let Screen::Lesson(v) = app.screen() else {
        return Vec::new();
    };
    let id = v.id.clone();
    let page = (view::lesson::text_area(app.size).1 as usize)
        .saturating_sub(2)
        .max(1);
    let max = max_scroll(app, v);
    let headings: Vec<(String, usize)> = v
        .doc
        .headings
        .iter()
        .filter(|h| h.level <= 3)
        .map(|h| {
            (
                "  ".repeat(h.level.saturating_sub(1) as usize) + &h.text,
                h.line,
            )
        })
        .collect();
    let scroll = v.scroll;
    let set = |app: &mut App, s: usize| {
        if let Some(Screen::Lesson(v)) = app.stack.last_mut() {
            v.scroll = s.min(max);
        }
    };
    match a {
        Action::Up => set(app, scroll.saturating_sub(1)),
        Action::Down => set(app, scroll + 1),
        Action::PageUp => set(app, scroll.saturating_sub(page)),
        Action::PageDown => set(app, scroll + page),
        Action::Top => set(app, 0),
        Action::Bottom => set(app, max),
        Action::Contents => {
            if headings.is_empty() {
                app.notice = Some(Notice::info(app.t(
                    "This lesson has no headings.",
                    "이 레슨에는 제목이 없습니다.",
                )));
            } else {
                // Start on the section being read.
                let sel = headings
                    .iter()
                    .rposition(|(_, l)| *l <= scroll)
                    .unwrap_or(0);
                app.overlay = Some(Overlay::Picker(Picker {
                    title: app.t("Contents", "목차").to_string(),
                    items: headings
                        .into_iter()
                        .map(|(t, l)| (t, Target::Line(l)))
                        .collect(),
                    selected: sel,
                }));
            }
        }
        Action::MarkRead => {
            app.progress.lessons_read.insert(id.clone());
            app.notice = Some(Notice::info(
                app.t("Marked as read.", "읽음으로 표시했습니다."),
            ));
            return vec![Effect::MarkRead { lesson: id }];
        }
        Action::Exercises => {
            let exs = app.lib.lesson_exercises(&id);
            match exs.as_slice() {
                [] => {
                    app.notice = Some(Notice::info(app.t(
                        "No exercises practise this lesson yet.",
                        "이 레슨을 연습하는 실습이 아직 없습니다.",
                    )));
                }
                [one] => {
                    let ex = app.lib.exercises[*one].id.clone();
                    return app.open(Target::Exercise(ex));
                }
                many => {
                    let items = many
                        .iter()
                        .map(|&i| {
                            let e = &app.lib.exercises[i];
                            (
                                e.title.get(app.lang).to_string(),
                                Target::Exercise(e.id.clone()),
                            )
                        })
                        .collect();
                    app.overlay = Some(Overlay::Picker(Picker {
                        title: app.t("Exercises", "실습").to_string(),
                        items,
                        selected: 0,
                    }));
                }
            }
        }
        Action::Left | Action::Right => {
            let order: Vec<&str> = app
                .lib
                .lessons_en
                .iter()
                .map(|l| l.meta.id.as_str())
                .collect();
            let at = order.iter().position(|l| *l == id);
            let next = match (a, at) {
                (Action::Left, Some(i)) if i > 0 => Some(order[i - 1].to_string()),
                (Action::Right, Some(i)) => order.get(i + 1).map(|s| s.to_string()),
                _ => None,
            };
            if let Some(next) = next {
                app.stack.pop();
                return open(app, &next, None);
            }
        }
        _ => {}
    }
    Vec::new()
}
