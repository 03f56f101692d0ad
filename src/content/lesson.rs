//! Lessons: markdown with a small front matter block.

use super::exercise::Exam;
use super::text::Lang;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub id: String,
    pub title: String,
    pub topic: String,
    pub order: u32,
    pub exam: Exam,
    pub minutes: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub lang: Lang,
    pub meta: FrontMatter,
    /// The markdown after the front matter.
    pub body: String,
    /// Line of the body's first line in the file, to report block errors.
    pub body_line: u32,
    pub path: String,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LessonError {
    #[error(
        "{0}: no front matter: a lesson starts with a `---` line, its front matter, and another `---`"
    )]
    NoFrontMatter(String),
    #[error("{path}: front matter: {message}")]
    BadFrontMatter { path: String, message: String },
}

impl Lesson {
    pub fn parse(path: &str, lang: Lang, text: &str) -> Result<Lesson, LessonError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let rest = text
            .strip_prefix("---\n")
            .or_else(|| text.strip_prefix("---\r\n"))
            .ok_or_else(|| LessonError::NoFrontMatter(path.to_string()))?;
        let end = rest
            .find("\n---\n")
            .or_else(|| rest.find("\n---\r\n"))
            .or_else(|| rest.strip_suffix("\n---").map(|r| r.len()))
            .ok_or_else(|| LessonError::NoFrontMatter(path.to_string()))?;
        let front = &rest[..end];
        let after = &rest[end + 1..];
        let body = after.split_once('\n').map_or("", |(_, b)| b);
        let meta: FrontMatter =
            serde_saphyr::from_str(front).map_err(|e| LessonError::BadFrontMatter {
                path: path.to_string(),
                message: e.to_string().lines().next().unwrap_or("").to_string(),
            })?;
        let body_line = (text.len() - body.len()) as u32;
        let body_line = text[..body_line as usize].matches('\n').count() as u32 + 1;
        Ok(Lesson {
            lang,
            meta,
            body: body.to_string(),
            body_line,
            path: path.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter_and_body() {
        let l = Lesson::parse(
            "x.md",
            Lang::En,
            "---\nid: rbac\ntitle: RBAC\ntopic: rbac\norder: 3\nexam: both\nminutes: 20\n---\n# Hello\n",
        )
        .unwrap();
        assert_eq!(l.meta.id, "rbac");
        assert_eq!(l.meta.exam, Exam::Both);
        assert_eq!(l.body, "# Hello\n");
        assert_eq!(l.body_line, 9);
    }

    #[test]
    fn rejects_missing_or_unknown_front_matter() {
        assert!(matches!(
            Lesson::parse("x.md", Lang::En, "# no"),
            Err(LessonError::NoFrontMatter(_))
        ));
        let bad = "---\nid: a\ntitle: b\ntopic: c\norder: 1\nexam: both\nminutes: 1\ncolour: red\n---\nx\n";
        assert!(matches!(
            Lesson::parse("x.md", Lang::En, bad),
            Err(LessonError::BadFrontMatter { .. })
        ));
    }
}
