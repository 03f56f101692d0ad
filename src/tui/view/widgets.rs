//! Pieces every screen uses: the header and footer rows, bordered
//! blocks, text measured in terminal columns (Hangul is two wide),
//! progress bars, and keeping a selection in view.

use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` cut to `max` columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for ch in s.chars() {
        let cw = ch.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(ch);
        w += cw;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// `s` cut from the left (for paths: the file name matters most).
pub fn truncate_left(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut w = 0;
    for ch in s.chars().rev() {
        let cw = ch.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        kept.push(ch);
        w += cw;
    }
    let tail: String = kept.into_iter().rev().collect();
    format!("…{tail}")
}

/// `s` cut or padded with spaces to exactly `w` columns.
pub fn fit(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w.saturating_sub(t.width());
    format!("{t}{}", " ".repeat(fill))
}

/// `s` padded on the left to `w` columns.
pub fn fit_right(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w.saturating_sub(t.width());
    format!("{}{t}", " ".repeat(fill))
}

pub fn bar(frac: f64, cells: usize) -> String {
    let filled = (frac.clamp(0.0, 1.0) * cells as f64).round() as usize;
    format!(
        "{}{}",
        "█".repeat(filled),
        "░".repeat(cells - filled.min(cells))
    )
}

pub fn percent(frac: f64) -> String {
    format!("{:>3}%", (frac.clamp(0.0, 1.0) * 100.0).round() as i64)
}

pub fn difficulty(d: u32) -> String {
    let d = d.clamp(1, 3) as usize;
    format!("{}{}", "★".repeat(d), "☆".repeat(3 - d))
}

/// Greedy word wrap of plain text by display width; words longer than a
/// line are cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        for word in para.split_whitespace() {
            let ww = word.width();
            if w > 0 && w + 1 + ww > width {
                lines.push(std::mem::take(&mut line));
                w = 0;
            }
            if w > 0 {
                line.push(' ');
                w += 1;
            }
            for ch in word.chars() {
                let cw = ch.width().unwrap_or(0);
                if w + cw > width && w > 0 {
                    lines.push(std::mem::take(&mut line));
                    w = 0;
                }
                line.push(ch);
                w += cw;
            }
        }
        lines.push(line);
    }
    lines
}

/// The first row shown so that `selected` is visible in `height` rows.
pub fn window(selected: usize, height: usize) -> usize {
    selected.saturating_sub(height.saturating_sub(1))
}

/// Blank `rect` for an overlay. A double-width character just left of it
/// would spill its right half into the overlay's border (and hide it), so
/// such a character is blanked too.
pub fn clear(frame: &mut Frame, rect: Rect) {
    frame.render_widget(ratatui::widgets::Clear, rect);
    if rect.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in rect.top()..rect.bottom() {
        let cell = &mut buf[(rect.x - 1, y)];
        if cell.symbol().width() > 1 {
            cell.set_symbol(" ");
        }
    }
}

pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

pub fn block<'a>(app: &App, title: impl Into<Line<'a>>) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border)
        .title(title.into().style(app.theme.title))
}

/// The top row: where we are on the left, who and which language on the
/// right.
pub fn header(app: &App, frame: &mut Frame, area: Rect, crumb: &str, right: &str) {
    let t = &app.theme;
    let learner = &app.progress.summary.learner;
    let mut right = right.to_string();
    if !learner.is_empty() {
        if !right.is_empty() {
            right.push_str(" · ");
        }
        right.push_str(learner);
    }
    let lang = if app.lang == crate::content::Lang::Ko {
        " · 한국어 "
    } else {
        " · English "
    };
    // The language is the first thing to go when the row is short: the
    // text on screen already says which one it is.
    if width(&right) + width(lang) <= area.width as usize / 2 {
        right.push_str(lang);
    } else {
        right.push(' ');
    }
    let right_w = width(&right).min(area.width as usize / 2);
    let right = truncate(&right, right_w);
    let left_w = (area.width as usize).saturating_sub(right_w + 1);
    let left = fit(&format!(" kubedojo › {crumb}"), left_w);
    let line = Line::from(vec![
        Span::styled(left, t.title),
        Span::raw(" "),
        Span::styled(right, t.dim),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The bottom row: a notice when there is one, else the screen's keys
/// (as many as fit) and `? help`.
pub fn footer(app: &App, frame: &mut Frame, area: Rect, keys: &[(&str, &str, &str)]) {
    let t = &app.theme;
    let max = area.width as usize;
    let line = if let Some(n) = &app.notice {
        let (glyph, style) = if n.error {
            ("✗ ", t.fail)
        } else {
            ("• ", t.warn)
        };
        Line::from(vec![
            Span::styled(format!(" {glyph}"), style),
            Span::styled(truncate(&n.text, max.saturating_sub(3)), style),
        ])
    } else {
        let mut spans = vec![Span::raw(" ")];
        let mut used = 1;
        let all = keys.iter().copied().chain([("?", "help", "도움말")]);
        for (k, en, ko) in all {
            let label = app.t(en, ko);
            let w = width(k) + 1 + width(label) + 2;
            if used + w > max {
                break;
            }
            spans.push(Span::styled(k.to_string(), t.key));
            spans.push(Span::styled(format!(" {label}  "), t.dim));
            used += w;
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// A list row: the selected one gets the selection style over its whole
/// width, so it shows without colour too (reverse video).
pub fn row(app: &App, text: Vec<Span<'static>>, width: usize, selected: bool) -> Line<'static> {
    let used: usize = text.iter().map(|s| s.content.width()).sum();
    let mut spans = text;
    if used < width {
        spans.push(Span::raw(" ".repeat(width - used)));
    }
    let line = Line::from(spans);
    if selected {
        line.patch_style(app.theme.selected)
    } else {
        line
    }
}

/// Paint a style over a whole span list (used for the selected row when
/// spans carry their own styles).
pub fn styled(text: impl Into<String>, style: Style) -> Span<'static> {
    Span::styled(text.into(), style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_in_columns() {
        assert_eq!(truncate("네트워크폴리시", 7), "네트워…");
        assert_eq!(width(&truncate("네트워크폴리시", 7)), 7);
        assert_eq!(fit("파드", 6), "파드  ");
        assert_eq!(fit_right("ab", 4), "  ab");
        assert_eq!(truncate_left("/a/b/c/ns.yaml", 9), "…/ns.yaml");
        assert_eq!(wrap("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        assert_eq!(wrap("가나다라마", 4), ["가나", "다라", "마"]);
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(window(10, 5), 6);
        assert_eq!(window(2, 5), 0);
    }
}
