//! Review: one card at a time; question, choices, answer, rating keys.

use super::home::row_at;
use super::widgets::{self, block, row};
use crate::content::cards::CardType;
use crate::progress::fsrs::Rating;
use crate::tui::app::{App, ReviewView};
use crate::tui::markdown;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(app: &App, v: &ReviewView, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let right = match app.lang {
        crate::content::Lang::En => {
            format!("card {}/{}", (v.pos + 1).min(v.queue.len()), v.queue.len())
        }
        crate::content::Lang::Ko => {
            format!("카드 {}/{}", (v.pos + 1).min(v.queue.len()), v.queue.len())
        }
    };
    widgets::header(app, frame, row_at(area, 0), app.t("Review", "복습"), &right);
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    let footer = row_at(area, area.height - 1);
    let card = v.queue.get(v.pos).and_then(|id| app.lib.card(id));
    let Some(card) = card.filter(|_| !v.done()) else {
        let text = match app.lang {
            crate::content::Lang::En => {
                format!("All done: {} cards reviewed. Esc goes back.", v.reviewed)
            }
            crate::content::Lang::Ko => format!(
                "끝났습니다: 카드 {}장을 복습했습니다. Esc로 돌아갑니다.",
                v.reviewed
            ),
        };
        let mid = Rect {
            y: body.y + body.height / 2,
            height: 1,
            ..body
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, t.pass)).alignment(Alignment::Center),
            mid,
        );
        widgets::footer(app, frame, footer, &[("Esc", "back", "뒤로")]);
        return;
    };
    let iw = body.width.saturating_sub(4);
    let lesson = app
        .lib
        .card_lesson(&card.id)
        .and_then(|l| app.lib.lesson(app.lang, l))
        .map(|l| l.meta.title.clone())
        .unwrap_or_default();
    let mut q: Vec<Line<'static>> =
        markdown::render(card.question.get(app.lang), iw, &app.theme, false).lines;
    if let (CardType::Choice, Some(choices)) = (card.kind, &card.choices) {
        q.push(Line::raw(""));
        for (i, c) in choices.iter().enumerate() {
            let mark = match (v.revealed, card.correct == Some(i), v.chosen == Some(i)) {
                (true, true, _) => Span::styled("✓ ", t.pass),
                (true, false, true) => Span::styled("✗ ", t.fail),
                _ => Span::raw("  "),
            };
            let text = format!("{}. {}", i + 1, c.get(app.lang));
            let sel = !v.revealed && v.cursor == i;
            let lines = widgets::wrap(&text, iw.saturating_sub(2) as usize);
            for (k, l) in lines.into_iter().enumerate() {
                let lead = if k == 0 {
                    mark.clone()
                } else {
                    Span::raw("  ")
                };
                q.push(row(app, vec![lead, Span::raw(l)], iw as usize, sel));
            }
        }
    }
    let q_h = (q.len() as u16 + 2)
        .min(body.height.saturating_sub(6))
        .max(4);
    let q_area = Rect {
        height: q_h,
        ..body
    };
    let q_lines: Vec<Line<'static>> = q
        .into_iter()
        .map(|l| {
            let mut s = vec![Span::raw(" ")];
            s.extend(l.spans);
            Line::from(s).style(l.style)
        })
        .collect();
    let q_title = format!(" {} · {lesson} ", app.t("Question", "질문"));
    frame.render_widget(
        Paragraph::new(q_lines).block(block(app, widgets::truncate(&q_title, iw as usize))),
        q_area,
    );
    let a_area = Rect {
        y: body.y + q_h,
        height: body.height.saturating_sub(q_h),
        ..body
    };
    let a_lines: Vec<Line<'static>> = if v.revealed {
        let mut lines = Vec::new();
        if let (CardType::Choice, Some(k)) = (card.kind, card.correct) {
            let right = v.chosen == Some(k);
            let verdict = match v.chosen {
                None => app.t("The answer:", "정답:"),
                Some(_) if right => app.t("Right.", "맞았습니다."),
                Some(_) => app.t("Not quite.", "아쉽습니다."),
            };
            lines.push(Line::styled(
                format!(" {verdict}"),
                if right { t.pass } else { t.fail },
            ));
        }
        for l in markdown::render(card.answer.get(app.lang), iw, &app.theme, false).lines {
            let mut s = vec![Span::raw(" ")];
            s.extend(l.spans);
            lines.push(Line::from(s));
        }
        lines
    } else {
        let hint = if card.kind == CardType::Choice {
            app.t(
                "Pick an answer: 1-4 or j/k and Enter. Space shows the answer.",
                "답을 고르세요: 1-4 또는 j/k와 Enter. Space는 답을 보여 줍니다.",
            )
        } else {
            app.t(
                "Answer in your head, then press Space.",
                "머릿속으로 답한 뒤 Space를 누르세요.",
            )
        };
        vec![Line::styled(format!(" {hint}"), t.dim)]
    };
    frame.render_widget(
        Paragraph::new(a_lines)
            .wrap(Wrap { trim: false })
            .block(block(app, format!(" {} ", app.t("Answer", "답")))),
        a_area,
    );
    if v.revealed {
        let suggested = v.suggested(card);
        let label = |r: Rating| match (r, app.lang) {
            (Rating::Again, crate::content::Lang::En) => "again",
            (Rating::Hard, crate::content::Lang::En) => "hard",
            (Rating::Good, crate::content::Lang::En) => "good",
            (Rating::Easy, crate::content::Lang::En) => "easy",
            (Rating::Again, crate::content::Lang::Ko) => "다시",
            (Rating::Hard, crate::content::Lang::Ko) => "어려움",
            (Rating::Good, crate::content::Lang::Ko) => "좋음",
            (Rating::Easy, crate::content::Lang::Ko) => "쉬움",
        };
        let mut spans = vec![Span::raw(" ")];
        for r in [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy] {
            spans.push(Span::styled(r.number().to_string(), t.key));
            let s = if r == suggested { t.strong } else { t.dim };
            spans.push(Span::styled(format!(" {}  ", label(r)), s));
        }
        spans.push(Span::styled("Enter", t.key));
        spans.push(Span::styled(format!(" = {}", label(suggested)), t.dim));
        if app.notice.is_some() {
            widgets::footer(app, frame, footer, &[]);
        } else {
            frame.render_widget(Paragraph::new(Line::from(spans)), footer);
        }
    } else {
        widgets::footer(
            app,
            frame,
            footer,
            &[
                ("Space", "answer", "답 보기"),
                ("1-4", "choose", "선택"),
                ("Esc", "back", "뒤로"),
            ],
        );
    }
}
