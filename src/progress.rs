//! The learner's history, in SQLite: attempts, hints, lessons read, review
//! cards and exam sessions; and what is made of it (mastery per topic and
//! exam domain, streaks, time spent, what to do next, what to review).
//!
//! This module is the only one with SQL. It is built so that a learner's
//! work is never lost: WAL with `synchronous=FULL` (an acknowledged write
//! survives a crash), IMMEDIATE transactions and a busy timeout (two
//! kubedojo processes writing at once both succeed), migrations that
//! tolerate two processes creating the database at once, and a refusal to
//! touch a file that is corrupt, not SQLite, or from a newer kubedojo.

pub mod attempts;
pub mod error;
pub mod exam;
pub mod exchange;
pub mod fsrs;
pub mod ids;
pub mod learners;
pub mod mastery;
pub mod migrations;
pub mod paths;
pub mod review;
pub mod stats;
pub mod store;
pub mod summary;

pub use attempts::{Attempt, NewAttempt, Source};
pub use error::StoreError;
pub use exam::{ExamKind, ExamSession};
pub use exchange::{Export, ImportReport};
pub use learners::{Learner, LearnerInfo};
pub use mastery::Catalog;
pub use paths::{Origin, Paths};
pub use review::{DueCard, ReviewQueue};
pub use store::Store;
pub use summary::Summary;
