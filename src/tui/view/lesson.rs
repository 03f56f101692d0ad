//! The lesson reader: the laid-out lesson, a scrollbar, where you are.

use super::home::row_at;
use super::widgets;
use crate::tui::app::{App, LessonView};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

/// Lines longer than this are hard to read; wide terminals get margins.
const MAX_TEXT_WIDTH: u16 = 100;

/// Width and height of the text for a terminal of `size`.
pub fn text_area(size: (u16, u16)) -> (u16, u16) {
    let w = size.0.saturating_sub(4).min(MAX_TEXT_WIDTH);
    let h = size.1.saturating_sub(2);
    (w, h)
}

pub fn render(app: &App, v: &LessonView, frame: &mut Frame, area: Rect) {
    let lesson = app.lib.lesson(app.lang, &v.id);
    let title = lesson
        .map(|l| l.meta.title.clone())
        .unwrap_or_else(|| v.id.clone());
    let read = app.progress.lessons_read.contains(&v.id);
    let total = v.doc.lines.len();
    let (tw, th) = text_area((area.width, area.height));
    let pos = if total <= th as usize {
        100
    } else {
        (v.scroll + th as usize) * 100 / total
    };
    let mut right = format!("{}%", pos.min(100));
    if read {
        right.push_str(app.t(" · ✓ read", " · ✓ 읽음"));
    }
    widgets::header(app, frame, row_at(area, 0), &title, &right);
    let x = area.x + (area.width.saturating_sub(tw)) / 2;
    let body = Rect {
        x,
        y: area.y + 1,
        width: tw,
        height: th,
    };
    let lines: Vec<_> = v
        .doc
        .lines
        .iter()
        .skip(v.scroll)
        .take(th as usize)
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
    if total > th as usize {
        let mut state = ScrollbarState::new(total.saturating_sub(th as usize)).position(v.scroll);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .style(app.theme.dim);
        let track = Rect {
            x: area.x + area.width - 1,
            y: area.y + 1,
            width: 1,
            height: th,
        };
        frame.render_stateful_widget(bar, track, &mut state);
    }
    let at_end = v.scroll + th as usize >= total;
    let mut keys = vec![
        ("j/k", "scroll", "스크롤"),
        ("t", "contents", "목차"),
        ("m", "mark read", "읽음 표시"),
        ("x", "exercises", "실습"),
        ("h/l", "prev/next", "이전/다음"),
        ("Esc", "back", "뒤로"),
    ];
    if at_end && !read {
        keys.insert(0, ("m", "done? mark as read", "다 읽었으면 읽음 표시"));
        keys.remove(3);
    }
    widgets::footer(app, frame, row_at(area, area.height - 1), &keys);
}
