#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every shipped exercise proves itself: the reference solution passes,
//! each listed wrong answer fails with the finding it names, starters fail.

use kubedojo::checks::prove::prove;
use kubedojo::content::Content;

#[test]
fn every_exercise_proves_itself() {
    let content = Content::embedded();
    let exercises = content.exercises().expect("exercise files parse");
    let mut failures = Vec::new();
    for ex in &exercises {
        for e in prove(&content, ex) {
            failures.push(format!("{}: {e}", ex.id));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn exercise_ids_are_unique_and_match_their_files() {
    let content = Content::embedded();
    let mut seen = std::collections::HashSet::new();
    for path in content.exercise_paths() {
        let ex = content.parse_exercise(&path).expect("parses");
        assert!(seen.insert(ex.id.clone()), "duplicate id {}", ex.id);
        assert_eq!(
            path,
            format!("exercises/{}/{}.yaml", ex.topic, ex.id),
            "file name and topic must match the id"
        );
        assert!(
            !ex.title.ko.is_empty() && !ex.prompt.ko.is_empty(),
            "{}: Korean title and prompt",
            ex.id
        );
        assert!(
            ex.hints.iter().all(|h| !h.ko.is_empty()),
            "{}: Korean hints",
            ex.id
        );
    }
}
