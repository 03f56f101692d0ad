//! Overlays drawn over the screen: help (from the keymap's own tables),
//! search, pickers and confirmations.

use super::widgets::{self, block, centered, fit, row, truncate, wrap};
use crate::tui::app::overlay::HitKind;
use crate::tui::app::{App, Overlay};
use crate::tui::keymap::{self, Binding, Context};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    match &app.overlay {
        None => {}
        Some(Overlay::Help) => help(app, frame, area),
        Some(Overlay::Search(s)) => {
            let w = area.width.saturating_sub(6).min(76);
            let h = area.height.saturating_sub(4).min(20);
            let rect = centered(area, w, h);
            let iw = w.saturating_sub(2) as usize;
            let ih = h.saturating_sub(4) as usize;
            let t = &app.theme;
            let mut lines = vec![
                Line::from(vec![
                    Span::styled(" / ", t.key),
                    Span::raw(s.query.clone()),
                    Span::styled("▏", t.key),
                ]),
                Line::styled("─".repeat(iw), t.border),
            ];
            if s.hits.is_empty() {
                let msg = if s.query.trim().is_empty() {
                    app.t(
                        "Type to search lessons, sections and exercises.",
                        "레슨, 절, 실습을 검색하려면 입력하세요.",
                    )
                } else {
                    app.t("Nothing found.", "찾은 것이 없습니다.")
                };
                lines.push(Line::styled(format!(" {msg}"), t.dim));
            }
            let start = widgets::window(s.selected, ih);
            for (i, hit) in s.hits.iter().enumerate().skip(start).take(ih) {
                let tag = match hit.kind {
                    HitKind::Lesson => app.t("lesson", "레슨"),
                    HitKind::Section => app.t("section", "절"),
                    HitKind::Exercise => app.t("exercise", "실습"),
                };
                let spans = vec![
                    Span::styled(format!(" {} ", fit(tag, 8)), t.dim),
                    Span::raw(truncate(&hit.label, iw.saturating_sub(11))),
                ];
                lines.push(row(app, spans, iw, i == s.selected));
            }
            lines.push(Line::raw(""));
            let title = format!(
                " {} · Enter {} · Esc ",
                app.t("Search", "검색"),
                app.t("open", "열기")
            );
            widgets::clear(frame, rect);
            frame.render_widget(Paragraph::new(lines).block(block(app, title)), rect);
        }
        Some(Overlay::Picker(p)) => {
            let w = area.width.saturating_sub(10).min(70);
            let h = (p.items.len() as u16 + 2).min(area.height.saturating_sub(4));
            let rect = centered(area, w, h);
            let iw = w.saturating_sub(2) as usize;
            let ih = h.saturating_sub(2) as usize;
            let start = widgets::window(p.selected, ih);
            let lines: Vec<Line<'static>> = p
                .items
                .iter()
                .enumerate()
                .skip(start)
                .take(ih)
                .map(|(i, (label, _))| {
                    row(
                        app,
                        vec![Span::raw(format!(
                            " {}",
                            truncate(label, iw.saturating_sub(1))
                        ))],
                        iw,
                        i == p.selected,
                    )
                })
                .collect();
            widgets::clear(frame, rect);
            frame.render_widget(
                Paragraph::new(lines).block(block(app, format!(" {} · Enter · Esc ", p.title))),
                rect,
            );
        }
        Some(Overlay::Confirm(c)) => {
            let w = area.width.saturating_sub(10).min(64);
            let text = wrap(&c.question, w.saturating_sub(4) as usize);
            let h = text.len() as u16 + 4;
            let rect = centered(area, w, h);
            let t = &app.theme;
            let mut lines: Vec<Line<'static>> = text
                .into_iter()
                .map(|l| Line::raw(format!(" {l}")))
                .collect();
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled(" y", t.key),
                Span::styled(format!(" {}   ", app.t("yes", "예")), t.dim),
                Span::styled("n", t.key),
                Span::styled(format!(" {}", app.t("no", "아니요")), t.dim),
            ]));
            widgets::clear(frame, rect);
            frame.render_widget(Paragraph::new(lines).block(block(app, "")), rect);
        }
    }
}

fn help(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let ctx = match app.screen() {
        crate::tui::app::Screen::Home => Context::Home,
        crate::tui::app::Screen::Lesson(_) => Context::Lesson,
        crate::tui::app::Screen::Exercise(_) => Context::Exercise,
        crate::tui::app::Screen::Review(_) => Context::Review,
        crate::tui::app::Screen::Progress { .. } => Context::Progress,
    };
    let entry = |b: &Binding| -> Option<Line<'static>> {
        let (en, ko) = b.help?;
        Some(Line::from(vec![
            Span::styled(format!(" {}", fit(b.label, 18)), t.key),
            Span::raw(app.t(en, ko).to_string()),
        ]))
    };
    let mut lines: Vec<Line<'static>> = keymap::screen_bindings(ctx)
        .iter()
        .filter_map(entry)
        .collect();
    lines.push(Line::raw(""));
    lines.extend(keymap::GLOBAL.iter().filter_map(entry));
    let w = area.width.saturating_sub(8).min(72);
    let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let rect = centered(area, w, h);
    let title = format!(" {} · Esc ", app.t("Keys", "키"));
    widgets::clear(frame, rect);
    frame.render_widget(Paragraph::new(lines).block(block(app, title)), rect);
}
