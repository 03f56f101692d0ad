//! Where kubedojo keeps a learner's data: `--data-dir`, else
//! `KUBEDOJO_HOME`, else the platform's data directory (on Linux
//! `$XDG_DATA_HOME/kubedojo` or `~/.local/share/kubedojo`).

use super::error::StoreError;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The environment variable that moves the data directory.
pub const HOME_ENV: &str = "KUBEDOJO_HOME";
/// File name of the progress database inside the data directory.
pub const DB_FILE: &str = "progress.db";
/// Directory of the app's exercise workspaces inside the data directory.
pub const WORKSPACE_DIR: &str = "workspace";

/// Who chose the data directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// `--data-dir`
    Flag,
    /// `KUBEDOJO_HOME`
    Env,
    /// The platform default.
    Platform,
}

impl Origin {
    pub fn describe(self) -> &'static str {
        match self {
            Origin::Flag => "--data-dir",
            Origin::Env => HOME_ENV,
            Origin::Platform => "platform default",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    pub data_dir: PathBuf,
    pub origin: Origin,
}

impl Paths {
    /// Resolve from the flag and the environment.
    pub fn resolve(flag: Option<&Path>) -> Result<Paths, StoreError> {
        let env = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty());
        Self::resolve_with(flag, env.as_deref().map(Path::new))
    }

    /// Resolution with the environment passed in (testable without
    /// touching the process environment).
    pub fn resolve_with(flag: Option<&Path>, env: Option<&Path>) -> Result<Paths, StoreError> {
        if let Some(dir) = flag {
            return Ok(Paths::at(dir, Origin::Flag));
        }
        if let Some(dir) = env {
            return Ok(Paths::at(dir, Origin::Env));
        }
        let dirs = directories::ProjectDirs::from("dev", "kubedojo", "kubedojo")
            .ok_or(StoreError::NoHome)?;
        Ok(Paths::at(dirs.data_dir(), Origin::Platform))
    }

    /// A data directory chosen by the caller (tests, benchmarks).
    pub fn at(dir: impl AsRef<Path>, origin: Origin) -> Paths {
        let dir = dir.as_ref();
        // Relative paths are made absolute so messages name a findable file.
        let data_dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        Paths { data_dir, origin }
    }

    pub fn db(&self) -> PathBuf {
        self.data_dir.join(DB_FILE)
    }

    /// Where the app keeps the learner's exercise files, one directory
    /// per exercise.
    pub fn workspace(&self) -> PathBuf {
        self.data_dir.join(WORKSPACE_DIR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_env_beats_platform() {
        let flag = Path::new("/tmp/flag");
        let env = Path::new("/tmp/env");
        let p = Paths::resolve_with(Some(flag), Some(env)).unwrap();
        assert_eq!((p.data_dir.as_path(), p.origin), (flag, Origin::Flag));
        let p = Paths::resolve_with(None, Some(env)).unwrap();
        assert_eq!((p.data_dir.as_path(), p.origin), (env, Origin::Env));
        if let Ok(p) = Paths::resolve_with(None, None) {
            assert_eq!(p.origin, Origin::Platform);
            assert!(p.data_dir.ends_with("kubedojo"), "{:?}", p.data_dir);
        }
        assert_eq!(
            Paths::at("/x", Origin::Flag).db(),
            Path::new("/x/progress.db")
        );
        assert_eq!(
            Paths::at("/x", Origin::Flag).workspace(),
            Path::new("/x/workspace")
        );
    }

    #[test]
    fn relative_dirs_become_absolute() {
        let p = Paths::at("rel/dir", Origin::Flag);
        assert!(p.data_dir.is_absolute());
        assert!(p.data_dir.ends_with("rel/dir"));
    }
}
