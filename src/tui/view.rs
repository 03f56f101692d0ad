//! Drawing: `render(&App, &mut Frame)` is a function of the state, one
//! module per screen. Nothing here changes the app or touches the world.

pub mod exercise;
pub mod home;
pub mod lesson;
pub mod overlay;
pub mod progress;
pub mod review;
pub mod widgets;

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Screen};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if app.too_small() {
        too_small(app, frame, area);
        return;
    }
    match app.screen() {
        Screen::Home => home::render(app, frame, area),
        Screen::Lesson(v) => lesson::render(app, v, frame, area),
        Screen::Exercise(v) => exercise::render(app, v, frame, area),
        Screen::Review(v) => review::render(app, v, frame, area),
        Screen::Progress { scroll } => progress::render(app, *scroll, frame, area),
    }
    overlay::render(app, frame, area);
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let (w, h) = app.size;
    let lines = vec![
        Line::styled(
            app.t("Terminal too small", "터미널이 너무 작습니다"),
            app.theme.title,
        ),
        Line::raw(""),
        Line::raw(match app.lang {
            crate::content::Lang::En => format!("need {MIN_WIDTH}×{MIN_HEIGHT}, have {w}×{h}"),
            crate::content::Lang::Ko => format!("{MIN_WIDTH}×{MIN_HEIGHT} 필요, 현재 {w}×{h}"),
        }),
        Line::raw(""),
        Line::styled(
            app.t(
                "Make the window larger, or press q to quit.",
                "창을 키우거나 q를 눌러 종료하세요.",
            ),
            app.theme.dim,
        ),
    ];
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let rect = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(ratatui::widgets::Wrap { trim: true }),
        rect,
    );
}
