//! Review: the cards due (most overdue first), then a few new ones; show
//! the answer, rate it, next. FSRS schedules each rating (in `progress`).

use super::{App, Effect, Notice, Screen};
use crate::content::cards::{Card, CardType};
use crate::progress::fsrs::Rating;
use crate::tui::keymap::Action;

/// New cards offered in one session, so a first review is not 140 cards.
pub const NEW_PER_SESSION: usize = 20;

#[derive(Clone, Debug, PartialEq)]
pub struct ReviewView {
    /// Card ids, in the order they are shown.
    pub queue: Vec<String>,
    pub pos: usize,
    pub revealed: bool,
    /// The choice picked on a multiple-choice card.
    pub chosen: Option<usize>,
    /// The choice under the cursor.
    pub cursor: usize,
    /// When the current card was shown (Unix ms).
    pub shown_at: i64,
    pub reviewed: usize,
}

impl ReviewView {
    pub fn done(&self) -> bool {
        self.pos >= self.queue.len()
    }

    /// The rating Enter gives: a wrong choice is "again", else "good".
    pub fn suggested(&self, card: &Card) -> Rating {
        match (card.kind, self.chosen, card.correct) {
            (CardType::Choice, Some(c), Some(k)) if c != k => Rating::Again,
            _ => Rating::Good,
        }
    }
}

pub fn open(app: &mut App) -> Vec<Effect> {
    let q = &app.progress.queue;
    let queue: Vec<String> = q
        .due
        .iter()
        .map(|c| c.card.clone())
        .chain(q.new.iter().take(NEW_PER_SESSION).map(|c| c.card.clone()))
        .filter(|id| app.lib.card(id).is_some())
        .collect();
    if queue.is_empty() {
        app.notice = Some(Notice::info(app.t(
            "Nothing to review right now.",
            "지금은 복습할 카드가 없습니다.",
        )));
        return Vec::new();
    }
    let now = app.now;
    app.push(Screen::Review(ReviewView {
        queue,
        pos: 0,
        revealed: false,
        chosen: None,
        cursor: 0,
        shown_at: now,
        reviewed: 0,
    }))
}

pub fn act(app: &mut App, a: Action) -> Vec<Effect> {
    let now = app.now;
    let Some(Screen::Review(v)) = app.stack.last() else {
        return Vec::new();
    };
    if v.done() {
        return Vec::new();
    }
    let Some(card) = app.lib.card(&v.queue[v.pos]).cloned() else {
        return Vec::new();
    };
    let Some(Screen::Review(v)) = app.stack.last_mut() else {
        return Vec::new();
    };
    let choices = card.choices.as_ref().map_or(0, Vec::len);
    if !v.revealed {
        match a {
            Action::Up if choices > 0 => v.cursor = v.cursor.saturating_sub(1),
            Action::Down if choices > 0 => v.cursor = (v.cursor + 1).min(choices - 1),
            Action::Digit(n) if (1..=choices).contains(&(n as usize)) => {
                v.chosen = Some(n as usize - 1);
                v.revealed = true;
            }
            Action::Open if choices > 0 => {
                v.chosen = Some(v.cursor);
                v.revealed = true;
            }
            Action::Open | Action::Reveal => v.revealed = true,
            _ => {}
        }
        return Vec::new();
    }
    let rating = match a {
        Action::Digit(n) => Rating::from_number(n as i64),
        Action::Open => Some(v.suggested(&card)),
        _ => None,
    };
    let Some(rating) = rating else {
        return Vec::new();
    };
    let duration_ms = u64::try_from(now - v.shown_at).ok();
    v.pos += 1;
    v.revealed = false;
    v.chosen = None;
    v.cursor = 0;
    v.shown_at = now;
    v.reviewed += 1;
    vec![Effect::Rate {
        card: card.id,
        rating,
        duration_ms,
    }]
}
