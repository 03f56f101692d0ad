//! The exercise screen: task (or hints, or solution) above, the file
//! being watched, and the findings of the last grade below.

use super::home::row_at;
use super::widgets::{self, block, difficulty, fit, row, truncate_left, width, wrap};
use crate::tui::app::{App, ExerciseView, Outcome, TopPane};
use crate::tui::markdown;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn top_outer(size: (u16, u16)) -> u16 {
    (size.1.saturating_sub(2) * 9 / 22).max(5)
}

/// Rows inside the upper pane.
pub fn top_height(size: (u16, u16)) -> u16 {
    top_outer(size).saturating_sub(2)
}

/// Width of the task text (inside the border, one column of padding).
pub fn prompt_width(size: (u16, u16)) -> u16 {
    size.0.saturating_sub(4)
}

pub fn render(app: &App, v: &ExerciseView, frame: &mut Frame, area: Rect) {
    let ex = &app.lib.exercises[v.idx];
    let size = (area.width, area.height);
    let pts = match app.lang {
        crate::content::Lang::En => format!("{} pts", ex.max_score()),
        crate::content::Lang::Ko => format!("{}점", ex.max_score()),
    };
    let right = format!("{} · {} · {pts}", ex.topic, difficulty(ex.difficulty));
    widgets::header(app, frame, row_at(area, 0), ex.title.get(app.lang), &right);
    let outer = top_outer(size);
    let top = Rect {
        y: area.y + 1,
        height: outer,
        ..area
    };
    render_top(app, v, frame, top);
    render_file(app, v, frame, row_at(area, 1 + outer));
    let results = Rect {
        y: area.y + 2 + outer,
        height: area.height.saturating_sub(3 + outer),
        ..area
    };
    render_results(app, v, frame, results);
    widgets::footer(
        app,
        frame,
        row_at(area, area.height - 1),
        &[
            ("e", "edit", "편집"),
            ("r", "check", "채점"),
            ("Enter", "go to line", "해당 줄로"),
            ("H", "hint", "힌트"),
            ("S", "solution", "정답"),
            ("R", "reset", "초기화"),
            ("Tab", "pane", "창"),
            ("Esc", "back", "뒤로"),
        ],
    );
}

fn top_lines(app: &App, v: &ExerciseView, width: u16) -> Vec<Line<'static>> {
    let ex = &app.lib.exercises[v.idx];
    match v.pane {
        TopPane::Task => v.prompt.lines.clone(),
        TopPane::Hints if v.hints == 0 => vec![Line::styled(
            app.t(
                "No hints shown yet. H reveals the first one (your progress notes it).",
                "아직 본 힌트가 없습니다. H를 누르면 첫 힌트가 나옵니다(기록됩니다).",
            ),
            app.theme.dim,
        )],
        TopPane::Hints => {
            let md: String = ex
                .hints
                .iter()
                .take(v.hints)
                .enumerate()
                .map(|(i, h)| format!("{}. {}\n", i + 1, h.get(app.lang)))
                .collect();
            markdown::render(&md, width, &app.theme, false).lines
        }
        TopPane::Solution => {
            let md: String = v
                .solution
                .iter()
                .map(|(name, text)| format!("**{name}**\n\n```yaml\n{}\n```\n\n", text.trim_end()))
                .collect();
            markdown::render(&md, width, &app.theme, false).lines
        }
    }
}

fn render_top(app: &App, v: &ExerciseView, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let ex = &app.lib.exercises[v.idx];
    let inner_h = area.height.saturating_sub(2) as usize;
    let width = prompt_width((area.width, area.height));
    let lines = top_lines(app, v, width);
    let max = lines.len().saturating_sub(inner_h);
    let scroll = v.scroll.min(max);
    let shown: Vec<Line<'static>> = lines
        .into_iter()
        .skip(scroll)
        .take(inner_h)
        .map(|l| {
            let mut spans = vec![Span::raw(" ")];
            spans.extend(l.spans);
            Line::from(spans)
        })
        .collect();
    let mut tabs = vec![(TopPane::Task, app.t("Task", "과제").to_string())];
    if !ex.hints.is_empty() {
        tabs.push((
            TopPane::Hints,
            format!("{} {}/{}", app.t("Hints", "힌트"), v.hints, ex.hints.len()),
        ));
    }
    if v.solution_seen {
        tabs.push((TopPane::Solution, app.t("Solution", "정답").to_string()));
    }
    let mut title = vec![Span::raw(" ")];
    for (i, (pane, name)) in tabs.into_iter().enumerate() {
        if i > 0 {
            title.push(Span::styled(" │ ", t.border));
        }
        let style = if pane == v.pane { t.title } else { t.dim };
        title.push(Span::styled(name, style));
    }
    title.push(Span::raw(" "));
    if max > 0 {
        let more = if scroll < max {
            " ▼ PgDn "
        } else {
            " ▲ PgUp "
        };
        title.push(Span::styled(more, t.dim));
    }
    frame.render_widget(
        Paragraph::new(shown).block(block(app, Line::from(title))),
        area,
    );
}

fn render_file(app: &App, v: &ExerciseView, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let w = area.width as usize;
    let Some(path) = v.files.get(v.file) else {
        let line = Line::styled(
            format!(
                " {}",
                app.t("Preparing your workspace…", "작업 공간을 준비하는 중…")
            ),
            t.dim,
        );
        frame.render_widget(Paragraph::new(line), area);
        return;
    };
    let (state, style) = match &v.watch_error {
        None => (
            app.t(
                "● watching: saving re-checks",
                "● 감시 중: 저장하면 다시 채점",
            )
            .to_string(),
            t.pass,
        ),
        Some(_) => (
            app.t(
                "○ not watched: press r after saving",
                "○ 감시 안 됨: 저장 후 r",
            )
            .to_string(),
            t.warn,
        ),
    };
    let count = if v.files.len() > 1 {
        format!(" ({}/{}, n)", v.file + 1, v.files.len())
    } else {
        String::new()
    };
    let path_w = w.saturating_sub(3 + width(&count) + 2 + width(&state) + 1);
    let line = Line::from(vec![
        Span::styled(" ✎ ", t.key),
        Span::styled(truncate_left(&path.display().to_string(), path_w), t.strong),
        Span::styled(count, t.dim),
        Span::raw("  "),
        Span::styled(state, style),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// A results row and the lines under it when it is selected.
struct Entry {
    head: Line<'static>,
    detail: Vec<Line<'static>>,
}

fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

fn entries(app: &App, v: &ExerciseView, iw: usize) -> (String, Vec<Entry>) {
    let t = &app.theme;
    let detail = |text: &str, style, prefix: &str| -> Vec<Line<'static>> {
        let pw = width(prefix);
        wrap(text, iw.saturating_sub(5 + pw))
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let p = if i == 0 {
                    prefix.to_string()
                } else {
                    " ".repeat(pw)
                };
                Line::from(vec![
                    Span::raw("     "),
                    Span::styled(p, t.key),
                    Span::styled(l, style),
                ])
            })
            .collect()
    };
    match &v.result {
        None => {
            let msg = if v.checking || !v.files.is_empty() {
                app.t("Checking…", "채점하는 중…")
            } else {
                app.t("Not checked yet.", "아직 채점하지 않았습니다.")
            };
            (
                String::new(),
                vec![Entry {
                    head: Line::styled(format!(" {msg}"), t.dim),
                    detail: Vec::new(),
                }],
            )
        }
        Some(Outcome::Error(e)) => (
            app.t("error", "오류").to_string(),
            wrap(e, iw.saturating_sub(3))
                .into_iter()
                .map(|l| Entry {
                    head: Line::styled(format!(" {l}"), t.fail),
                    detail: Vec::new(),
                })
                .collect(),
        ),
        Some(Outcome::Rejected(problems)) => {
            let status = app.t(
                "not graded: the API server would reject it",
                "채점 안 됨: API 서버가 거부합니다",
            );
            let out = problems
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let loc = format!("{}:{}:{}", base_name(&p.file), p.line, p.column);
                    let text = format!("{loc} {}", p.message);
                    let sel = i == v.selected;
                    let head = row(
                        app,
                        vec![
                            Span::styled(" ✗ ", t.fail),
                            Span::raw(fit(&text, iw.saturating_sub(3))),
                        ],
                        iw,
                        sel,
                    );
                    let mut d = Vec::new();
                    if sel {
                        if width(&text) > iw.saturating_sub(3) {
                            d.extend(detail(&p.message, ratatui::style::Style::new(), ""));
                        }
                        if let Some(h) = &p.hint {
                            d.extend(detail(h, t.dim, app.t("hint: ", "힌트: ")));
                        }
                    }
                    Entry { head, detail: d }
                })
                .collect();
            (status.to_string(), out)
        }
        Some(Outcome::Report(r)) => {
            let verdict = if r.passed {
                app.t("passed ✓", "통과 ✓")
            } else {
                app.t("not yet", "아직")
            };
            let status = format!("{}/{} · {verdict}", r.score, r.max_score);
            let out = r
                .findings
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let sel = i == v.selected;
                    let loc = match (&f.location, f.passed) {
                        (Some(l), false) => format!("{}:{}", base_name(&l.file), l.line),
                        _ => String::new(),
                    };
                    let text_w =
                        iw.saturating_sub(3 + width(&loc) + usize::from(!loc.is_empty()) + 1);
                    let (mark, style) = if f.passed {
                        (" ✓ ", t.pass)
                    } else {
                        (" ✗ ", t.fail)
                    };
                    let mut spans = vec![
                        Span::styled(mark, style),
                        Span::raw(fit(&f.message, text_w)),
                    ];
                    if !loc.is_empty() {
                        spans.push(Span::raw(" "));
                        spans.push(Span::styled(loc, t.dim));
                    }
                    let head = row(app, spans, iw, sel);
                    let mut d = Vec::new();
                    if sel && width(&f.message) > text_w {
                        d.extend(detail(&f.message, ratatui::style::Style::new(), ""));
                    }
                    if sel
                        && !f.passed
                        && let Some(h) = &f.hint
                    {
                        d.extend(detail(h, t.dim, app.t("hint: ", "힌트: ")));
                    }
                    Entry { head, detail: d }
                })
                .collect();
            (status, out)
        }
    }
}

fn render_results(app: &App, v: &ExerciseView, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let iw = area.width.saturating_sub(2) as usize;
    let ih = area.height.saturating_sub(2) as usize;
    let (status, entries) = entries(app, v, iw);
    // Keep the selected row and its detail in view.
    let mut lines = Vec::new();
    let mut sel_first = 0;
    let mut sel_last = 0;
    for (i, e) in entries.into_iter().enumerate() {
        if i == v.selected {
            sel_first = lines.len();
            sel_last = lines.len() + e.detail.len();
        }
        lines.push(e.head);
        lines.extend(e.detail);
    }
    let start = (sel_last + 1).saturating_sub(ih).min(sel_first);
    let shown: Vec<Line<'static>> = lines.into_iter().skip(start).take(ih).collect();
    let mut title = vec![
        Span::raw(" "),
        Span::raw(app.t("Results", "결과").to_string()),
    ];
    if v.checking {
        title.push(Span::raw(app.t(" · checking…", " · 채점 중…").to_string()));
    } else if !status.is_empty() {
        title.push(Span::raw(format!(" · {status}")));
    }
    title.push(Span::raw(" "));
    let passed = matches!(&v.result, Some(Outcome::Report(r)) if r.passed);
    let style = if passed { t.pass } else { t.title };
    let title = Line::from(title).style(style);
    frame.render_widget(
        Paragraph::new(shown).block(
            ratatui::widgets::Block::default()
                .borders(ratatui::widgets::Borders::ALL)
                .border_style(t.border)
                .title(title),
        ),
        area,
    );
}
