//! Lessons and exercises: their formats, and loading them from the files
//! embedded in the binary or from an instructor's directory (`--content`).
//! Content names checkers by string; it never runs them.

pub mod cards;
pub mod curriculum;
pub mod exercise;
pub mod lesson;
pub mod source;
pub mod text;

pub use exercise::{Exercise, ExerciseKind};
pub use lesson::Lesson;
pub use source::{Content, ContentError, ContentSource};
pub use text::{Lang, Text};
