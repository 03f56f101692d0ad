//! Progress: streak, time, mastery per topic and per exam domain, the
//! last attempts. One scrolling page.

use super::home::row_at;
use super::widgets::{self, bar, fit, fit_right, percent, wrap};
use crate::content::Lang;
use crate::content::curriculum::Curriculum;
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const RECENT: usize = 8;

fn duration(l: Lang, ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    match (l, minutes / 60, minutes % 60) {
        (Lang::En, 0, m) => format!("{m}m"),
        (Lang::En, h, m) => format!("{h}h {m:02}m"),
        (Lang::Ko, 0, m) => format!("{m}분"),
        (Lang::Ko, h, m) => format!("{h}시간 {m}분"),
    }
}

fn days(l: Lang, n: u32) -> String {
    match l {
        Lang::Ko => format!("{n}일"),
        Lang::En if n == 1 => "1 day".into(),
        Lang::En => format!("{n} days"),
    }
}

/// The page, laid out for `width` columns.
pub fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let s = &app.progress.summary;
    let l = app.lang;
    let mut out: Vec<Line<'static>> = Vec::new();
    let facts = [
        format!(
            "{} {} ({} {})",
            app.t("Streak", "연속 학습"),
            days(l, s.streak.current),
            app.t("best", "최고"),
            days(l, s.streak.longest)
        ),
        format!(
            "{} {}",
            app.t("Time", "학습 시간"),
            duration(l, s.time_spent_ms)
        ),
        format!(
            "{} {} ({} {})",
            app.t("Attempts", "시도"),
            s.attempts,
            s.passed_attempts,
            app.t("passed", "통과")
        ),
        format!(
            "{} {}/{}",
            app.t("Exercises passed", "통과한 실습"),
            s.exercises_passed,
            s.exercises_total
        ),
        format!(
            "{} {}/{}",
            app.t("Lessons read", "읽은 레슨"),
            s.lessons_read,
            s.lessons_total
        ),
        format!("{} {}", app.t("Hints seen", "본 힌트"), s.hints_revealed),
        format!(
            "{} {} (+{} {})",
            app.t("Cards due", "복습할 카드"),
            s.reviews_due,
            s.reviews_new,
            app.t("new", "새 카드")
        ),
    ];
    for line in wrap(&facts.join("  ·  "), width.saturating_sub(2)) {
        out.push(Line::raw(format!(" {line}")));
    }
    if let Some(p) = &app.progress.problem {
        for line in wrap(p, width.saturating_sub(4)) {
            out.push(Line::styled(format!(" ✗ {line}"), t.fail));
        }
    }
    out.push(Line::raw(""));
    let name_w = width.saturating_sub(2 + 11 + 5 + 8 + 9).clamp(12, 40);
    out.push(Line::styled(
        format!(
            " {} {} {} {}",
            fit(app.t("TOPIC", "주제"), name_w),
            fit(app.t("MASTERY", "숙련도"), 15),
            fit_right(app.t("PASSED", "통과"), 7),
            fit_right(app.t("ATTEMPTS", "시도"), 8)
        ),
        t.title,
    ));
    for tm in &s.topics {
        let name = app
            .lib
            .topics
            .iter()
            .find(|x| x.id == tm.topic)
            .map(|x| app.lib.topic_title(l, x))
            .unwrap_or_else(|| tm.topic.clone());
        out.push(Line::from(vec![
            Span::raw(format!(" {} ", fit(&name, name_w))),
            Span::styled(bar(tm.mastery, 10), t.bar),
            Span::raw(format!(
                " {} {} {}",
                percent(tm.mastery),
                fit_right(&format!("{}/{}", tm.passed, tm.total), 7),
                fit_right(&tm.attempts.to_string(), 8)
            )),
        ]));
    }
    out.push(Line::raw(""));
    // A row is " exam(4) title(dom_w) mastery(7) passed(7)": 22 columns around the title.
    let dom_w = width.saturating_sub(23).clamp(16, 60);
    out.push(Line::styled(
        format!(
            " {} {} {}",
            fit(app.t("EXAM DOMAIN", "시험 영역"), dom_w + 5),
            fit_right(app.t("MASTERY", "숙련도"), 7),
            fit_right(app.t("PASSED", "통과"), 7)
        ),
        t.title,
    ));
    let curriculum = Curriculum::builtin();
    for d in &s.domains {
        let title = curriculum
            .domain(d.exam, &d.domain)
            .map(|x| x.title.get(l).to_string())
            .unwrap_or_else(|| d.domain.clone());
        out.push(Line::raw(format!(
            " {} {} {} {}",
            fit(d.exam, 4),
            fit(&title, dom_w),
            fit_right(&percent(d.mastery), 7),
            fit_right(&format!("{}/{}", d.passed, d.total), 7)
        )));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!(" {}", app.t("RECENT ATTEMPTS", "최근 시도")),
        t.title,
    ));
    if app.progress.recent.is_empty() {
        out.push(Line::styled(
            format!(
                " {}",
                app.t(
                    "None yet: open an exercise from Home.",
                    "아직 없습니다. 홈에서 실습을 여세요."
                )
            ),
            t.dim,
        ));
    }
    for a in app.progress.recent.iter().take(RECENT) {
        let when = jiff::Timestamp::from_millisecond(a.at)
            .map(|ts| {
                ts.to_zoned(app.tz.clone())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        let title = app
            .lib
            .exercise_index(&a.exercise)
            .map(|i| app.lib.exercises[i].title.get(l).to_string())
            .unwrap_or_else(|| a.exercise.clone());
        let (mark, style) = if a.passed {
            ("✓", t.pass)
        } else {
            ("✗", t.fail)
        };
        let score = format!("{}/{}", a.score, a.max_score);
        let title_w = width.saturating_sub(2 + 16 + 2 + 2 + 6);
        out.push(Line::from(vec![
            Span::styled(format!(" {when}  "), t.dim),
            Span::styled(mark, style),
            Span::raw(format!(
                " {} {}",
                fit(&title, title_w),
                fit_right(&score, 5)
            )),
        ]));
    }
    out
}

pub fn max_scroll(app: &App) -> usize {
    let (w, h) = app.size;
    lines(app, w as usize)
        .len()
        .saturating_sub(h.saturating_sub(2) as usize)
}

pub fn render(app: &App, scroll: usize, frame: &mut Frame, area: Rect) {
    widgets::header(
        app,
        frame,
        row_at(area, 0),
        app.t("Progress", "진행 상황"),
        "",
    );
    let all = lines(app, area.width as usize);
    let h = area.height.saturating_sub(2) as usize;
    let scroll = scroll.min(all.len().saturating_sub(h));
    let shown: Vec<Line<'static>> = all.into_iter().skip(scroll).take(h).collect();
    frame.render_widget(
        Paragraph::new(shown),
        Rect {
            y: area.y + 1,
            height: h as u16,
            ..area
        },
    );
    widgets::footer(
        app,
        frame,
        row_at(area, area.height - 1),
        &[("j/k", "scroll", "스크롤"), ("Esc", "back", "뒤로")],
    );
}
