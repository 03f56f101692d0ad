//! What can go wrong with the progress store, each worded for the learner:
//! the path involved and what to do about it. A database we cannot read is
//! never overwritten; the messages say so.

use rusqlite::ErrorCode;
use std::path::{Path, PathBuf};

const CHOOSE_ANOTHER: &str = "choose another place with --data-dir DIR or KUBEDOJO_HOME=DIR";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no home directory to keep progress in; {CHOOSE_ANOTHER}")]
    NoHome,
    #[error("cannot create the data directory {}: {reason}; {CHOOSE_ANOTHER}", path.display())]
    CreateDir { path: PathBuf, reason: String },
    #[error("the data directory {} is not a directory; {CHOOSE_ANOTHER}", path.display())]
    NotADir { path: PathBuf },
    #[error(
        "the data directory {} is read-only ({reason}), so progress cannot be saved there; make it writable, or {CHOOSE_ANOTHER}",
        path.display()
    )]
    ReadOnly { path: PathBuf, reason: String },
    #[error(
        "{} is not a kubedojo progress database (not an SQLite file); it was left untouched. Move it away, or run `kubedojo progress --reset` to move it aside and start a new one",
        path.display()
    )]
    NotADatabase { path: PathBuf },
    #[error(
        "the progress database {} is damaged ({detail}); it was left untouched. To rescue what it holds try `sqlite3 {} .recover`; to start over run `kubedojo progress --reset` (it moves the file aside, nothing is deleted)",
        path.display(), path.display()
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "the progress database {} was written by a newer kubedojo (schema version {found}, this one knows up to {known}); it was left untouched. Upgrade kubedojo, or use another data directory with --data-dir; `kubedojo progress --reset` moves it aside",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: usize,
        known: usize,
    },
    #[error(
        "the progress database {} stayed locked by another kubedojo for too long; close other kubedojo windows and try again",
        path.display()
    )]
    Busy { path: PathBuf },
    #[error("progress database {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no learner named \"{name}\"{known}")]
    UnknownLearner { name: String, known: String },
    #[error("{0}")]
    Invalid(String),
}

impl StoreError {
    /// Turn an SQLite error on `db` into the error a learner can act on.
    pub fn from_sqlite(db: &Path, e: rusqlite::Error) -> StoreError {
        let path = db.to_path_buf();
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path },
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
                path,
                detail: e.to_string(),
            },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path },
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                let dir = db.parent().unwrap_or(Path::new("."));
                match dir_not_writable(dir) {
                    Some(reason) => StoreError::ReadOnly {
                        path: dir.to_path_buf(),
                        reason,
                    },
                    None => StoreError::Sqlite { path, source: e },
                }
            }
            _ => StoreError::Sqlite { path, source: e },
        }
    }

    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Busy { .. })
    }
}

/// Why `dir` cannot be written to, or `None` when it can. Probes with a
/// real file: permission bits lie (root, ACLs, read-only mounts).
pub fn dir_not_writable(dir: &Path) -> Option<String> {
    let probe = dir.join(format!(".kubedojo-write-test-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
        Err(e) => Some(io_reason(&e)),
    }
}

/// An io::Error without the "(os error N)" noise.
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}
