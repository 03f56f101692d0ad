//! Spaced review of concept cards: each answer is logged, and the card's
//! FSRS state is updated in the same transaction. The log is the source of
//! truth; the state can always be rebuilt by replaying it (an import does).

use super::error::StoreError;
use super::fsrs::{self, Card, Rating, Scheduler, State};
use super::ids::new_uid;
use super::learners::Learner;
use super::store::Store;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use std::collections::HashSet;

/// A card that is due, or new.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DueCard {
    pub card: String,
    /// When it became due (Unix ms); `None` for a card never reviewed.
    pub due: Option<i64>,
    pub state: Option<State>,
}

/// What to review now: cards due (most overdue first), then new cards in
/// deck order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReviewQueue {
    pub due: Vec<DueCard>,
    pub new: Vec<DueCard>,
}

impl Store {
    /// Record an answer to `card` and schedule its next review.
    pub fn review_card(
        &mut self,
        learner: &Learner,
        card: &str,
        rating: Rating,
        at: i64,
        duration_ms: Option<u64>,
    ) -> Result<Card, StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        let before = load_state(&tx, learner.id, card)
            .map_err(sql)?
            .unwrap_or_else(|| Card::new(at));
        let after = Scheduler::default().review(&before, rating, at, fsrs::fuzz_seed(card, at));
        tx.execute(
            "INSERT INTO card_review (uid, learner_id, card, at, rating, duration_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                new_uid(),
                learner.id,
                card,
                at,
                rating.number(),
                duration_ms.map(|d| d as i64)
            ],
        )
        .map_err(sql)?;
        save_state(&tx, learner.id, card, &after).map_err(sql)?;
        super::stats::note_activity(&tx, learner.id, at).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(after)
    }

    /// The FSRS state of a card, if it was ever reviewed.
    pub fn card_state(&self, learner: &Learner, card: &str) -> Result<Option<Card>, StoreError> {
        load_state(&self.conn, learner.id, card).map_err(|e| self.err(e))
    }

    /// Cards to review at `now`, among `deck` (every card the content has,
    /// in lesson order). Cards no longer in the content are left out.
    pub fn review_queue(
        &self,
        learner: &Learner,
        deck: &[String],
        now: i64,
    ) -> Result<ReviewQueue, StoreError> {
        let in_deck: HashSet<&str> = deck.iter().map(String::as_str).collect();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT card, due, state FROM card_state WHERE learner_id = ?1 ORDER BY due, card",
            )
            .map_err(|e| self.err(e))?;
        let rows: Vec<(String, i64, i64)> = stmt
            .query_map([learner.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        let seen: HashSet<&str> = rows.iter().map(|(c, _, _)| c.as_str()).collect();
        let due = rows
            .iter()
            .filter(|(c, due, _)| *due <= now && in_deck.contains(c.as_str()))
            .map(|(c, due, state)| DueCard {
                card: c.clone(),
                due: Some(*due),
                state: State::from_number(*state),
            })
            .collect();
        let new = deck
            .iter()
            .filter(|c| !seen.contains(c.as_str()))
            .map(|c| DueCard {
                card: c.clone(),
                due: None,
                state: None,
            })
            .collect();
        Ok(ReviewQueue { due, new })
    }
}

pub(super) fn load_state(
    conn: &rusqlite::Connection,
    learner_id: i64,
    card: &str,
) -> rusqlite::Result<Option<Card>> {
    conn.prepare_cached(
        "SELECT state, step, stability, difficulty, due, last_review, reps, lapses
         FROM card_state WHERE learner_id = ?1 AND card = ?2",
    )?
    .query_row(params![learner_id, card], |r| {
        Ok(Card {
            state: State::from_number(r.get(0)?).unwrap_or(State::Learning),
            step: r.get::<_, Option<i64>>(1)?.map(|s| s.max(0) as usize),
            stability: r.get(2)?,
            difficulty: r.get(3)?,
            due: r.get(4)?,
            last_review: r.get(5)?,
            reps: r.get(6)?,
            lapses: r.get(7)?,
        })
    })
    .optional()
}

fn save_state(tx: &Transaction<'_>, learner_id: i64, card: &str, c: &Card) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO card_state
           (learner_id, card, state, step, stability, difficulty, due, last_review, reps, lapses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (learner_id, card) DO UPDATE SET
           state = excluded.state, step = excluded.step, stability = excluded.stability,
           difficulty = excluded.difficulty, due = excluded.due,
           last_review = excluded.last_review, reps = excluded.reps, lapses = excluded.lapses",
    )?
    .execute(params![
        learner_id,
        card,
        c.state.number(),
        c.step.map(|s| s as i64),
        c.stability,
        c.difficulty,
        c.due,
        c.last_review,
        c.reps,
        c.lapses
    ])?;
    Ok(())
}

/// Rebuild a card's state from its whole review log (after an import
/// merged reviews from another machine).
pub(super) fn replay(tx: &Transaction<'_>, learner_id: i64, card: &str) -> rusqlite::Result<()> {
    let log: Vec<(i64, i64)> = tx
        .prepare_cached(
            "SELECT at, rating FROM card_review WHERE learner_id = ?1 AND card = ?2 ORDER BY at, id",
        )?
        .query_map(params![learner_id, card], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let Some(&(first, _)) = log.first() else {
        return Ok(());
    };
    let scheduler = Scheduler::default();
    let mut state = Card::new(first);
    for (at, rating) in log {
        if let Some(r) = Rating::from_number(rating) {
            state = scheduler.review(&state, r, at, fsrs::fuzz_seed(card, at));
        }
    }
    save_state(tx, learner_id, card, &state)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn answers_schedule_cards_and_the_queue_follows() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let me = s.ensure_learner("me").unwrap();
        let deck: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let t0 = 1_700_000_000_000;
        let q = s.review_queue(&me, &deck, t0).unwrap();
        assert_eq!(q.due.len(), 0);
        assert_eq!(
            q.new.iter().map(|c| c.card.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );

        let a = s
            .review_card(&me, "a", Rating::Easy, t0, Some(4000))
            .unwrap();
        assert_eq!(a.state, State::Review);
        let b = s.review_card(&me, "b", Rating::Again, t0, None).unwrap();
        assert_eq!((b.state, b.due), (State::Learning, t0 + 60_000));

        let q = s.review_queue(&me, &deck, t0 + 120_000).unwrap();
        assert_eq!(
            q.due.iter().map(|c| c.card.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
        assert_eq!(
            q.new.iter().map(|c| c.card.as_str()).collect::<Vec<_>>(),
            ["c"]
        );
        let q = s.review_queue(&me, &deck, a.due).unwrap();
        assert_eq!(
            q.due.iter().map(|c| c.card.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
        // A card no longer in the content is not offered.
        let q = s.review_queue(&me, &["a".to_string()], a.due).unwrap();
        assert_eq!(q.due.len(), 1);
        assert_eq!(s.card_state(&me, "a").unwrap(), Some(a));
    }

    // Replaying the log reproduces the stored state exactly (py-fsrs
    // test_reschedule_card_same_scheduler: rescheduling with the same
    // scheduler gives an equal card).
    #[test]
    fn replaying_the_log_reproduces_the_state() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let me = s.ensure_learner("me").unwrap();
        let mut at = 1_700_000_000_000;
        let ratings = [
            Rating::Good,
            Rating::Good,
            Rating::Again,
            Rating::Hard,
            Rating::Good,
            Rating::Easy,
        ];
        for r in ratings {
            let c = s.review_card(&me, "k", r, at, None).unwrap();
            at = c.due.max(at + DAY / 3);
        }
        let stored = s.card_state(&me, "k").unwrap().unwrap();
        s.conn.execute("DELETE FROM card_state", []).unwrap();
        let tx = s.conn.transaction().unwrap();
        replay(&tx, me.id, "k").unwrap();
        tx.commit().unwrap();
        assert_eq!(s.card_state(&me, "k").unwrap(), Some(stored));
    }
}
