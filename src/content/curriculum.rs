//! The CKA and CKS exam domains and their weights, as data
//! (assets/curriculum.yaml), so exam mode can weigh tasks and progress can
//! report per domain.

use super::text::Text;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    pub weight: u32,
    pub title: Text,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamCurriculum {
    pub id: String,
    pub version: String,
    pub pass_percent: u32,
    pub minutes: u32,
    pub domains: Vec<Domain>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Curriculum {
    pub exams: Vec<ExamCurriculum>,
}

impl Curriculum {
    /// The built-in curriculum. It is part of the binary and tested, so a
    /// parse failure is a build defect; fall back to empty rather than panic.
    pub fn builtin() -> &'static Curriculum {
        static C: OnceLock<Curriculum> = OnceLock::new();
        C.get_or_init(|| {
            serde_saphyr::from_str(include_str!("../../assets/curriculum.yaml"))
                .unwrap_or(Curriculum { exams: Vec::new() })
        })
    }

    pub fn exam(&self, id: &str) -> Option<&ExamCurriculum> {
        self.exams.iter().find(|e| e.id == id)
    }

    pub fn domain(&self, exam: &str, id: &str) -> Option<&Domain> {
        self.exam(exam)?.domains.iter().find(|d| d.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_add_up_to_100() {
        let c = Curriculum::builtin();
        assert_eq!(c.exams.len(), 2);
        for e in &c.exams {
            assert_eq!(
                e.domains.iter().map(|d| d.weight).sum::<u32>(),
                100,
                "{}",
                e.id
            );
            assert!(e.domains.iter().all(|d| !d.title.ko.is_empty()));
        }
        assert_eq!(
            c.domain("CKA", "services-networking").map(|d| d.weight),
            Some(20)
        );
    }
}
