//! Where content comes from: the lessons and exercises embedded in the
//! binary (so `cargo run --release` works from any directory), or an
//! instructor's directory given with `--content`.

use super::exercise::Exercise;
use super::lesson::{Lesson, LessonError};
use super::text::Lang;
use include_dir::{Dir, include_dir};
use std::path::{Path, PathBuf};

static EMBEDDED_LESSONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/lessons");
static EMBEDDED_EXERCISES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/exercises");

#[derive(Clone, Debug)]
pub enum ContentSource {
    Embedded,
    /// A directory holding `lessons/` and `exercises/`.
    Dir(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("{0}: content directory not found (it should hold lessons/ and exercises/)")]
    NoDir(String),
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error(transparent)]
    Lesson(#[from] LessonError),
    #[error("no exercise \"{id}\"{suggestion}; `kubedojo exercises` lists them")]
    UnknownExercise { id: String, suggestion: String },
}

impl ContentSource {
    pub fn check(&self) -> Result<(), ContentError> {
        match self {
            ContentSource::Embedded => Ok(()),
            ContentSource::Dir(d) if d.is_dir() => Ok(()),
            ContentSource::Dir(d) => Err(ContentError::NoDir(d.display().to_string())),
        }
    }

    /// Read a content-relative file (`exercises/rbac/x/solution.yaml`).
    pub fn read(&self, rel: &str) -> Result<Vec<u8>, ContentError> {
        let missing = || ContentError::File {
            path: rel.to_string(),
            message: "no such file in the content".into(),
        };
        match self {
            ContentSource::Embedded => {
                let (root, inner) = split_root(rel).ok_or_else(missing)?;
                root.get_file(inner)
                    .map(|f| f.contents().to_vec())
                    .ok_or_else(missing)
            }
            ContentSource::Dir(d) => std::fs::read(d.join(rel)).map_err(|e| ContentError::File {
                path: d.join(rel).display().to_string(),
                message: e.to_string(),
            }),
        }
    }

    /// Content-relative paths of the files directly inside `dir`.
    pub fn files(&self, dir: &str) -> Vec<String> {
        let mut out = match self {
            ContentSource::Embedded => match split_root(dir) {
                Some((root, "")) => root
                    .files()
                    .map(|f| format!("{dir}/{}", f.path().display()))
                    .collect(),
                Some((root, inner)) => root
                    .get_dir(inner)
                    .map(|d| {
                        d.files()
                            .map(|f| format!("{}/{}", root_name(root), f.path().display()))
                            .collect()
                    })
                    .unwrap_or_default(),
                None => Vec::new(),
            },
            ContentSource::Dir(d) => std::fs::read_dir(d.join(dir))
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .filter(|e| e.path().is_file())
                        .map(|e| format!("{dir}/{}", e.file_name().to_string_lossy()))
                        .collect()
                })
                .unwrap_or_default(),
        };
        out.sort();
        out
    }

    /// Content-relative paths of the directories directly inside `dir`.
    pub fn dirs(&self, dir: &str) -> Vec<String> {
        let mut out = match self {
            ContentSource::Embedded => match split_root(dir) {
                Some((root, "")) => root
                    .dirs()
                    .map(|d| format!("{dir}/{}", d.path().display()))
                    .collect(),
                Some((root, inner)) => root
                    .get_dir(inner)
                    .map(|d| {
                        d.dirs()
                            .map(|s| format!("{}/{}", root_name(root), s.path().display()))
                            .collect()
                    })
                    .unwrap_or_default(),
                None => Vec::new(),
            },
            ContentSource::Dir(d) => std::fs::read_dir(d.join(dir))
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .filter(|e| e.path().is_dir())
                        .map(|e| format!("{dir}/{}", e.file_name().to_string_lossy()))
                        .collect()
                })
                .unwrap_or_default(),
        };
        out.sort();
        out
    }

    /// A path to show the learner for a content file.
    pub fn display(&self, rel: &str) -> String {
        match self {
            ContentSource::Embedded => rel.to_string(),
            ContentSource::Dir(d) => d.join(rel).display().to_string(),
        }
    }
}

fn split_root(rel: &str) -> Option<(&'static Dir<'static>, &str)> {
    let (first, rest) = rel.split_once('/').unwrap_or((rel, ""));
    match first {
        "lessons" => Some((&EMBEDDED_LESSONS, rest)),
        "exercises" => Some((&EMBEDDED_EXERCISES, rest)),
        _ => None,
    }
}

fn root_name(root: &Dir<'_>) -> &'static str {
    if std::ptr::eq(root, &EMBEDDED_LESSONS) {
        "lessons"
    } else {
        "exercises"
    }
}

/// Loaded content. Exercises parse on demand so one `check` pays only for
/// the exercise it grades.
#[derive(Clone, Debug)]
pub struct Content {
    pub source: ContentSource,
}

impl Content {
    pub fn new(source: ContentSource) -> Result<Content, ContentError> {
        source.check()?;
        Ok(Content { source })
    }

    pub fn embedded() -> Content {
        Content {
            source: ContentSource::Embedded,
        }
    }

    /// Paths of every exercise file (`exercises/<topic>/<id>.yaml`).
    pub fn exercise_paths(&self) -> Vec<String> {
        self.source
            .dirs("exercises")
            .iter()
            .flat_map(|topic| self.source.files(topic))
            .filter(|f| f.ends_with(".yaml"))
            .collect()
    }

    pub fn parse_exercise(&self, rel: &str) -> Result<Exercise, ContentError> {
        let bytes = self.source.read(rel)?;
        let text = String::from_utf8(bytes).map_err(|_| ContentError::File {
            path: self.source.display(rel),
            message: "not UTF-8".into(),
        })?;
        let mut ex: Exercise = serde_saphyr::from_str(&text).map_err(|e| ContentError::File {
            path: self.source.display(rel),
            message: e.to_string(),
        })?;
        ex.dir = Path::new(rel)
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        Ok(ex)
    }

    /// Every exercise, sorted by topic then id; the first broken file is
    /// an error (`validate-content` reports them all).
    pub fn exercises(&self) -> Result<Vec<Exercise>, ContentError> {
        let mut out = self
            .exercise_paths()
            .iter()
            .map(|p| self.parse_exercise(p))
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| (&a.topic, &a.id).cmp(&(&b.topic, &b.id)));
        Ok(out)
    }

    pub fn exercise(&self, id: &str) -> Result<Exercise, ContentError> {
        let paths = self.exercise_paths();
        if let Some(p) = paths
            .iter()
            .find(|p| p.rsplit('/').next() == Some(&format!("{id}.yaml")))
        {
            return self.parse_exercise(p);
        }
        let ids: Vec<String> = paths
            .iter()
            .filter_map(|p| {
                p.rsplit('/')
                    .next()?
                    .strip_suffix(".yaml")
                    .map(str::to_string)
            })
            .collect();
        let suggestion = crate::validate::schema::did_you_mean(id, ids.iter().map(String::as_str))
            .map(|s| format!(" (did you mean \"{s}\"?)"))
            .unwrap_or_default();
        Err(ContentError::UnknownExercise {
            id: id.to_string(),
            suggestion,
        })
    }

    /// Read a file named relative to an exercise.
    pub fn exercise_file(
        &self,
        ex: &Exercise,
        rel: &str,
    ) -> Result<(String, Vec<u8>), ContentError> {
        let path = format!("{}/{}", ex.dir, rel);
        let bytes = self.source.read(&path)?;
        Ok((self.source.display(&path), bytes))
    }

    pub fn lessons(&self, lang: Lang) -> Result<Vec<Lesson>, ContentError> {
        let dir = format!("lessons/{}", lang.code());
        let mut out = Vec::new();
        for path in self.source.files(&dir) {
            if !path.ends_with(".md") {
                continue;
            }
            let bytes = self.source.read(&path)?;
            let text = String::from_utf8_lossy(&bytes);
            out.push(Lesson::parse(&self.source.display(&path), lang, &text)?);
        }
        out.sort_by_key(|l| l.meta.order);
        Ok(out)
    }
}
