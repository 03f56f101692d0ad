//! Home: "continue", review cards due, topics with their mastery, and the
//! selected topic's lessons and exercises.

use super::widgets::{self, bar, block, difficulty, fit, fit_right, percent, row, truncate, width};
use crate::progress::mastery::NextReason;
use crate::tui::app::home::{
    HomeItem, Pane, continue_target, items, selected_topic, visible_topics,
};
use crate::tui::app::{App, Target};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let filter = app.exam.label();
    widgets::header(app, frame, row_at(area, 0), app.t("Home", "홈"), filter);
    let next = Rect {
        y: area.y + 1,
        height: 3,
        ..area
    };
    render_continue(app, frame, next);
    let body = Rect {
        y: area.y + 4,
        height: area.height.saturating_sub(5),
        ..area
    };
    let left_w = (area.width / 2).clamp(36, 50);
    let left = Rect {
        width: left_w,
        ..body
    };
    let right = Rect {
        x: body.x + left_w,
        width: body.width - left_w,
        ..body
    };
    render_topics(app, frame, left);
    render_items(app, frame, right);
    widgets::footer(
        app,
        frame,
        row_at(area, area.height - 1),
        &[
            ("Enter", "open", "열기"),
            ("c", "continue", "이어서"),
            ("r", "review", "복습"),
            ("p", "progress", "진행"),
            ("f", "exam", "시험"),
            ("/", "search", "검색"),
            ("L", "한국어", "English"),
            ("q", "quit", "종료"),
        ],
    );
}

pub fn row_at(area: Rect, y: u16) -> Rect {
    Rect {
        y: area.y + y,
        height: 1,
        ..area
    }
}

fn render_continue(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inner_w = area.width.saturating_sub(2) as usize;
    let q = &app.progress.queue;
    let cards = q.due.len() + q.new.len().min(crate::tui::app::review::NEW_PER_SESSION);
    let right = if cards > 0 {
        match app.lang {
            crate::content::Lang::En => format!("r  {cards} cards to review "),
            crate::content::Lang::Ko => format!("r  복습할 카드 {cards}장 "),
        }
    } else {
        app.t("no cards due ", "복습할 카드 없음 ").to_string()
    };
    let (what, why) = match continue_target(app) {
        Some(Target::Lesson { id, .. }) => (
            app.lib
                .lesson(app.lang, &id)
                .map(|l| l.meta.title.clone())
                .unwrap_or(id),
            app.t("read the lesson first", "먼저 레슨 읽기"),
        ),
        Some(Target::Exercise(id)) => {
            let title = app
                .lib
                .exercise_index(&id)
                .map(|i| app.lib.exercises[i].title.get(app.lang).to_string())
                .unwrap_or(id);
            let why = match app.progress.summary.next.as_ref().map(|n| n.reason) {
                Some(NextReason::Continue) => {
                    app.t("pick up where you left off", "하던 실습 이어서")
                }
                Some(NextReason::WeakestTopic) => app.t("your weakest topic", "가장 약한 주제"),
                _ => app.t("next in the course", "코스의 다음 실습"),
            };
            (title, why)
        }
        _ => (app.t("Everything done", "모두 끝냈습니다").to_string(), ""),
    };
    let right_w = width(&right);
    let why_part = if why.is_empty() {
        String::new()
    } else {
        format!("  ({why})")
    };
    let left_w = inner_w.saturating_sub(right_w + 1);
    let title_w = left_w.saturating_sub(4 + width(&why_part)).max(10);
    let line = Line::from(vec![
        Span::styled(" c ", t.key),
        Span::styled("▶ ", t.pass),
        Span::styled(truncate(&what, title_w), t.strong),
        Span::styled(why_part, t.dim),
    ]);
    let used = line.width();
    let line = Line::from(
        line.spans
            .into_iter()
            .chain([
                Span::raw(" ".repeat(inner_w.saturating_sub(used + right_w))),
                Span::styled(right, t.dim),
            ])
            .collect::<Vec<_>>(),
    );
    let title = format!(" {} ", app.t("Continue", "이어서 하기"));
    frame.render_widget(Paragraph::new(line).block(block(app, title)), area);
}

/// Mastery over the exercises the filter shows (passed = 1, else the
/// best score); a topic without exercises counts its lessons read.
fn topic_progress(app: &App, topic: usize) -> f64 {
    let its = items(app, topic);
    let exs: Vec<usize> = its
        .iter()
        .filter_map(|i| match i {
            HomeItem::Exercise(k) => Some(*k),
            _ => None,
        })
        .collect();
    if exs.is_empty() {
        let lessons: Vec<&String> = its
            .iter()
            .filter_map(|i| match i {
                HomeItem::Lesson(id) => Some(id),
                _ => None,
            })
            .collect();
        let read = lessons
            .iter()
            .filter(|l| app.progress.lessons_read.contains(**l))
            .count();
        return read as f64 / lessons.len().max(1) as f64;
    }
    let credit: f64 = exs
        .iter()
        .map(|&k| {
            app.progress
                .exercises
                .get(&app.lib.exercises[k].id)
                .map_or(0.0, |r| {
                    if r.passed {
                        1.0
                    } else {
                        r.best.clamp(0.0, 1.0)
                    }
                })
        })
        .sum();
    credit / exs.len() as f64
}

fn render_topics(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let iw = area.width.saturating_sub(2) as usize;
    let ih = area.height.saturating_sub(2) as usize;
    let topics = visible_topics(app);
    let focused = app.home.focus == Pane::Topics;
    let bar_w = 8;
    let title_w = iw.saturating_sub(2 + 1 + bar_w + 1 + 4);
    let start = widgets::window(app.home.topic, ih);
    let lines: Vec<Line<'static>> = topics
        .iter()
        .enumerate()
        .skip(start)
        .take(ih)
        .map(|(i, &topic)| {
            let sel = i == app.home.topic;
            let frac = topic_progress(app, topic);
            let marker = match (sel, focused) {
                (true, true) => "▶ ",
                (true, false) => "› ",
                _ => "  ",
            };
            let name = app.lib.topic_title(app.lang, &app.lib.topics[topic]);
            let spans = vec![
                Span::raw(marker),
                Span::raw(fit(&name, title_w)),
                Span::raw(" "),
                Span::styled(bar(frac, bar_w), t.bar),
                Span::raw(" "),
                Span::raw(percent(frac)),
            ];
            if sel && !focused {
                Line::from(spans).patch_style(t.strong)
            } else {
                row(app, spans, iw, sel && focused)
            }
        })
        .collect();
    let title = format!(" {} · {} ", app.t("Topics", "주제"), app.exam.label());
    frame.render_widget(Paragraph::new(lines).block(block(app, title)), area);
}

fn render_items(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let iw = area.width.saturating_sub(2) as usize;
    let ih = area.height.saturating_sub(2) as usize;
    let Some(topic) = selected_topic(app) else {
        let empty = Paragraph::new(app.t(
            "Nothing for this exam yet.",
            "이 시험에 해당하는 내용이 아직 없습니다.",
        ))
        .block(block(app, ""));
        frame.render_widget(empty, area);
        return;
    };
    let focused = app.home.focus == Pane::Items;
    let its = items(app, topic);
    // Rows: section titles (not selectable) and items.
    let mut rows: Vec<(Line<'static>, Option<usize>)> = Vec::new();
    let mut section = None;
    for (i, item) in its.iter().enumerate() {
        let kind = matches!(item, HomeItem::Lesson(_));
        if section != Some(kind) {
            let name = if kind {
                app.t("Lessons", "레슨")
            } else {
                app.t("Exercises", "실습")
            };
            rows.push((Line::styled(format!(" {name}"), t.dim), None));
            section = Some(kind);
        }
        let sel = focused && i == app.home.item;
        let (glyph, title, right) = match item {
            HomeItem::Lesson(id) => {
                let l = app.lib.lesson(app.lang, id);
                let read = app.progress.lessons_read.contains(id);
                (
                    if read { "[x]" } else { "[ ]" },
                    l.map(|l| l.meta.title.clone())
                        .unwrap_or_else(|| id.clone()),
                    l.map(|l| match app.lang {
                        crate::content::Lang::En => format!("{} min", l.meta.minutes),
                        crate::content::Lang::Ko => format!("{}분", l.meta.minutes),
                    })
                    .unwrap_or_default(),
                )
            }
            HomeItem::Exercise(k) => {
                let e = &app.lib.exercises[*k];
                let rec = app.progress.exercises.get(&e.id);
                let glyph = match rec {
                    Some(r) if r.passed => " ✓ ",
                    Some(r) if r.attempts > 0 => " ✗ ",
                    _ => " · ",
                };
                (
                    glyph,
                    e.title.get(app.lang).to_string(),
                    difficulty(e.difficulty),
                )
            }
        };
        let right_w = width(&right);
        let title_w = iw.saturating_sub(1 + 3 + 1 + 1 + right_w + 1);
        let glyph_style = match glyph {
            " ✓ " | "[x]" => t.pass,
            " ✗ " => t.fail,
            _ => t.dim,
        };
        let spans = vec![
            Span::raw(" "),
            Span::styled(glyph, glyph_style),
            Span::raw(" "),
            Span::raw(fit(&title, title_w)),
            Span::raw(" "),
            Span::styled(fit_right(&right, right_w), t.dim),
        ];
        rows.push((row(app, spans, iw, sel), Some(i)));
    }
    let sel_row = rows
        .iter()
        .position(|(_, i)| *i == Some(app.home.item))
        .unwrap_or(0);
    let start = widgets::window(sel_row, ih);
    let lines: Vec<Line<'static>> = rows
        .into_iter()
        .skip(start)
        .take(ih)
        .map(|(l, _)| l)
        .collect();
    let title = format!(
        " {} ",
        app.lib.topic_title(app.lang, &app.lib.topics[topic])
    );
    frame.render_widget(
        Paragraph::new(lines).block(block(app, truncate(&title, iw))),
        area,
    );
}
