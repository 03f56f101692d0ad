//! What opens over a screen: help, search, a picker (table of contents,
//! a lesson's exercises) and yes/no confirmations.

use super::{App, Effect, exercise};
use crate::tui::keymap::Action;

#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    Help,
    Search(Search),
    Picker(Picker),
    Confirm(Confirm),
}

/// Where choosing something leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Lesson {
        id: String,
        heading: Option<String>,
    },
    Exercise(String),
    /// A line of the open lesson.
    Line(usize),
    Review,
    Progress,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Picker {
    pub title: String,
    pub items: Vec<(String, Target)>,
    pub selected: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitKind {
    Lesson,
    Section,
    Exercise,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub kind: HitKind,
    pub label: String,
    pub target: Target,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Search {
    pub query: String,
    pub hits: Vec<Hit>,
    pub selected: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfirmAction {
    Solution(String),
    Reset(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Confirm {
    pub question: String,
    pub action: ConfirmAction,
}

const MAX_HITS: usize = 50;

pub fn open_search(app: &mut App) {
    app.overlay = Some(Overlay::Search(Search::default()));
}

/// A character typed (`Some`) or erased (`None`) in the search box.
pub fn input(app: &mut App, c: Option<char>) -> Vec<Effect> {
    let Some(Overlay::Search(s)) = &app.overlay else {
        return Vec::new();
    };
    let mut query = s.query.clone();
    match c {
        Some(c) => query.push(c),
        None => {
            query.pop();
        }
    }
    let hits = search(app, &query);
    app.overlay = Some(Overlay::Search(Search {
        query,
        hits,
        selected: 0,
    }));
    Vec::new()
}

/// Lessons (by title and section heading) and exercises (by title and
/// id) whose text contains the query, ignoring case.
pub fn search(app: &App, query: &str) -> Vec<Hit> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let has = |s: &str| s.to_lowercase().contains(&q);
    let mut hits = Vec::new();
    for l in app.lib.lessons(app.lang) {
        if has(&l.meta.title) {
            hits.push(Hit {
                kind: HitKind::Lesson,
                label: l.meta.title.clone(),
                target: Target::Lesson {
                    id: l.meta.id.clone(),
                    heading: None,
                },
            });
        }
        for h in headings(&l.body) {
            if has(&h) {
                hits.push(Hit {
                    kind: HitKind::Section,
                    label: format!("{} › {h}", l.meta.title),
                    target: Target::Lesson {
                        id: l.meta.id.clone(),
                        heading: Some(h),
                    },
                });
            }
        }
    }
    for e in &app.lib.exercises {
        let title = e.title.get(app.lang);
        if has(title) || has(&e.id) {
            hits.push(Hit {
                kind: HitKind::Exercise,
                label: title.to_string(),
                target: Target::Exercise(e.id.clone()),
            });
        }
    }
    hits.truncate(MAX_HITS);
    hits
}

/// Section headings of a markdown body, as the renderer shows them (no
/// markers, no backticks), skipping fenced code.
fn headings(body: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in body.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced || !t.starts_with('#') {
            continue;
        }
        let text = t.trim_start_matches('#');
        if !text.starts_with(' ') {
            continue;
        }
        let text: String = text
            .trim()
            .trim_end_matches('#')
            .trim()
            .replace(['`', '*'], "");
        if !text.is_empty() {
            out.push(text);
        }
    }
    out
}

fn step(selected: usize, len: usize, a: Action) -> usize {
    let last = len.saturating_sub(1);
    match a {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (selected + 1).min(last),
        Action::PageUp => selected.saturating_sub(10),
        Action::PageDown => (selected + 10).min(last),
        _ => selected,
    }
}

pub fn act(app: &mut App, a: Action) -> Vec<Effect> {
    let Some(overlay) = app.overlay.as_mut() else {
        return Vec::new();
    };
    match overlay {
        Overlay::Help => {
            if matches!(a, Action::Back | Action::Help | Action::Quit) {
                app.overlay = None;
            }
        }
        Overlay::Confirm(c) => match a {
            Action::Yes => {
                let action = c.action.clone();
                app.overlay = None;
                return exercise::confirmed(app, action);
            }
            Action::No | Action::Back => app.overlay = None,
            _ => {}
        },
        Overlay::Picker(p) => match a {
            Action::Open => {
                let target = p.items.get(p.selected).map(|(_, t)| t.clone());
                app.overlay = None;
                if let Some(t) = target {
                    return app.open(t);
                }
            }
            Action::Back => app.overlay = None,
            _ => p.selected = step(p.selected, p.items.len(), a),
        },
        Overlay::Search(s) => match a {
            Action::Open => {
                let target = s.hits.get(s.selected).map(|h| h.target.clone());
                app.overlay = None;
                if let Some(t) = target {
                    return app.open(t);
                }
            }
            Action::Back => app.overlay = None,
            _ => s.selected = step(s.selected, s.hits.len(), a),
        },
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_skip_code_and_lose_markup() {
        let body = "# One\ntext\n```yaml\n# not a heading\n```\n## The `view` role ##\n#nospace\n";
        assert_eq!(headings(body), ["One", "The view role"]);
    }
}
