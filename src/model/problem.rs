//! A problem in the input, pointing at a file, line and column: what
//! `validate` prints, and why `check` refuses to grade.

use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemCode {
    Syntax,
    DuplicateKey,
    BadKey,
    Empty,
    NotAnObject,
    MissingTypeInfo,
    NotServed,
    UnknownKind,
    UnknownField,
    WrongType,
    Required,
    /// The API server's object validation rejects a value.
    Invalid,
}

impl ProblemCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::Syntax => "syntax",
            ProblemCode::DuplicateKey => "duplicate-key",
            ProblemCode::BadKey => "bad-key",
            ProblemCode::Empty => "empty",
            ProblemCode::NotAnObject => "not-an-object",
            ProblemCode::MissingTypeInfo => "missing-type-info",
            ProblemCode::NotServed => "not-served",
            ProblemCode::UnknownKind => "unknown-kind",
            ProblemCode::UnknownField => "unknown-field",
            ProblemCode::WrongType => "wrong-type",
            ProblemCode::Required => "required",
            ProblemCode::Invalid => "invalid",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// `Kind/NS/NAME` (or `Kind/NAME` when cluster-scoped), when known.
    pub object: Option<String>,
    /// Field path such as `spec.containers[0].env[0].value`.
    pub path: Option<String>,
    pub code: ProblemCode,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if let Some(o) = &self.object {
            write!(f, "{o}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n    hint: {h}")?;
        }
        Ok(())
    }
}
