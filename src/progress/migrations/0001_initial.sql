-- kubedojo progress schema, version 1.
-- Append-only: never edit a migration that has shipped; add the next file.
-- Times are Unix milliseconds (UTC). `uid` columns are random ids that
-- identify a record across machines, so an import never duplicates it.

CREATE TABLE learner (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- Small key/value settings (the active learner of a shared machine).
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE exam_session (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    learner_id   INTEGER NOT NULL REFERENCES learner(id),
    exam         TEXT NOT NULL CHECK (exam IN ('CKA', 'CKS')),
    started_at   INTEGER NOT NULL,
    time_limit_s INTEGER NOT NULL CHECK (time_limit_s > 0),
    ended_at     INTEGER,
    score        INTEGER,
    max_score    INTEGER,
    passed       INTEGER CHECK (passed IN (0, 1))
);
CREATE INDEX exam_session_by_learner ON exam_session(learner_id, started_at);

CREATE TABLE attempt (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    learner_id      INTEGER NOT NULL REFERENCES learner(id),
    exercise        TEXT NOT NULL,
    at              INTEGER NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('yaml', 'live', 'exam')),
    passed          INTEGER NOT NULL CHECK (passed IN (0, 1)),
    score           INTEGER NOT NULL CHECK (score >= 0),
    max_score       INTEGER NOT NULL CHECK (max_score >= 0),
    findings        TEXT NOT NULL,          -- JSON array of findings
    duration_ms     INTEGER CHECK (duration_ms >= 0),  -- NULL: not measured
    exam_session_id INTEGER REFERENCES exam_session(id)
);
-- Time order per learner (streaks, time spent, "continue where you left off").
CREATE INDEX attempt_by_time ON attempt(learner_id, at);
-- One exercise's history.
CREATE INDEX attempt_by_exercise ON attempt(learner_id, exercise, at);

CREATE TABLE hint_reveal (
    learner_id INTEGER NOT NULL REFERENCES learner(id),
    exercise   TEXT NOT NULL,
    hint_index INTEGER NOT NULL CHECK (hint_index >= 0),
    at         INTEGER NOT NULL,
    PRIMARY KEY (learner_id, exercise, hint_index)
) WITHOUT ROWID;

CREATE TABLE lesson_read (
    learner_id    INTEGER NOT NULL REFERENCES learner(id),
    lesson        TEXT NOT NULL,
    first_read_at INTEGER NOT NULL,
    last_read_at  INTEGER NOT NULL,
    PRIMARY KEY (learner_id, lesson)
) WITHOUT ROWID;

-- Every answer to a review card: the source of truth for scheduling.
CREATE TABLE card_review (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    learner_id  INTEGER NOT NULL REFERENCES learner(id),
    card        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms INTEGER CHECK (duration_ms >= 0)
);
CREATE INDEX card_review_by_card ON card_review(learner_id, card, at);
-- Covers the time-spent sum of the summary.
CREATE INDEX card_review_by_time ON card_review(learner_id, at, duration_ms);

-- The FSRS memory state of each card, derived from card_review by
-- replaying it (kept so "what is due" is one indexed query).
CREATE TABLE card_state (
    learner_id  INTEGER NOT NULL REFERENCES learner(id),
    card        TEXT NOT NULL,
    state       INTEGER NOT NULL CHECK (state IN (1, 2, 3)),
    step        INTEGER,
    stability   REAL,
    difficulty  REAL,
    due         INTEGER NOT NULL,
    last_review INTEGER,
    reps        INTEGER NOT NULL,
    lapses      INTEGER NOT NULL,
    PRIMARY KEY (learner_id, card)
) WITHOUT ROWID;
CREATE INDEX card_state_by_due ON card_state(learner_id, due);

-- Aggregates kept up to date in the same transaction as each write, so the
-- summary reads a few hundred rows instead of the whole history. They can
-- always be rebuilt from the tables above (an import does).

-- Per learner and exercise. `time_ms` is the time spent on its attempts:
-- the measured duration, else the gap since the learner's previous attempt
-- when that gap is short (see progress/stats.rs).
CREATE TABLE exercise_stat (
    learner_id INTEGER NOT NULL REFERENCES learner(id),
    exercise   TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    passes     INTEGER NOT NULL,
    best       REAL NOT NULL,     -- best score fraction, 0..1
    last_at    INTEGER NOT NULL,
    time_ms    INTEGER NOT NULL,
    PRIMARY KEY (learner_id, exercise)
) WITHOUT ROWID;

-- Quarter hours (Unix ms / 900000) with any activity: streaks are counted
-- in local days, and every time zone offset is a multiple of 15 minutes.
CREATE TABLE activity (
    learner_id INTEGER NOT NULL REFERENCES learner(id),
    bucket     INTEGER NOT NULL,
    PRIMARY KEY (learner_id, bucket)
) WITHOUT ROWID;
