//! Learner profiles: several learners can share one machine (a classroom),
//! each with their own history. Which learner a command acts for: the
//! `--learner` flag, else `KUBEDOJO_LEARNER`, else the active learner
//! chosen with `kubedojo progress use NAME`, else the login name.

use super::error::StoreError;
use super::ids::now_ms;
use super::store::Store;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

pub const LEARNER_ENV: &str = "KUBEDOJO_LEARNER";
const ACTIVE_KEY: &str = "active_learner";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Learner {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LearnerInfo {
    pub name: String,
    pub created_at: i64,
    pub attempts: u64,
    pub last_activity: Option<i64>,
    pub active: bool,
}

/// A learner name must be something a person typed: 1-64 characters, no
/// control characters, no surrounding spaces.
pub fn check_name(name: &str) -> Result<(), StoreError> {
    let bad = |why: &str| {
        Err(StoreError::Invalid(format!(
            "learner name \"{}\" {why}; use 1-64 letters, digits, spaces or punctuation",
            name.escape_debug()
        )))
    };
    if name.trim().is_empty() {
        return bad("is empty");
    }
    if name.trim() != name {
        return bad("starts or ends with a space");
    }
    if name.chars().count() > 64 {
        return bad("is too long");
    }
    if name.chars().any(char::is_control) {
        return bad("has control characters");
    }
    Ok(())
}

/// The login name, or "learner".
pub fn default_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| check_name(v).is_ok())
        .unwrap_or_else(|| "learner".to_string())
}

/// The learner to act for, before looking at the database's active one.
pub fn requested_name(flag: Option<&str>) -> Option<String> {
    flag.map(str::to_string).or_else(|| {
        std::env::var(LEARNER_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty())
    })
}

impl Store {
    /// The learner's id, creating the profile on first use.
    pub fn ensure_learner(&mut self, name: &str) -> Result<Learner, StoreError> {
        check_name(name)?;
        if let Some(l) = self.find_learner(name)? {
            return Ok(l);
        }
        self.conn
            .prepare_cached(
                "INSERT INTO learner (name, created_at) VALUES (?1, ?2) ON CONFLICT(name) DO NOTHING",
            )
            .and_then(|mut s| s.execute(params![name, now_ms()]))
            .map_err(|e| self.err(e))?;
        self.find_learner(name)?
            .ok_or_else(|| StoreError::Invalid(format!("learner \"{name}\" vanished")))
    }

    pub fn find_learner(&self, name: &str) -> Result<Option<Learner>, StoreError> {
        self.conn
            .prepare_cached("SELECT id, name FROM learner WHERE name = ?1")
            .and_then(|mut s| {
                s.query_row([name], |r| {
                    Ok(Learner {
                        id: r.get(0)?,
                        name: r.get(1)?,
                    })
                })
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    /// A learner that must exist (for commands that only look).
    pub fn existing_learner(&self, name: &str) -> Result<Learner, StoreError> {
        if let Some(l) = self.find_learner(name)? {
            return Ok(l);
        }
        let names: Vec<String> = self.learners()?.into_iter().map(|l| l.name).collect();
        let known = if names.is_empty() {
            String::new()
        } else {
            format!(
                "; learners here: {} (`kubedojo progress learners`)",
                names.join(", ")
            )
        };
        Err(StoreError::UnknownLearner {
            name: name.to_string(),
            known,
        })
    }

    pub fn active_learner(&self) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT value FROM setting WHERE key = ?1",
                [ACTIVE_KEY],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Make `name` the learner that commands act for on this machine.
    pub fn set_active_learner(&mut self, name: &str) -> Result<Learner, StoreError> {
        let learner = self.ensure_learner(name)?;
        self.conn
            .execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![ACTIVE_KEY, name],
            )
            .map_err(|e| self.err(e))?;
        Ok(learner)
    }

    /// Flag, environment, the active learner, the login name: the first
    /// that is set.
    pub fn current_learner_name(&self, flag: Option<&str>) -> Result<String, StoreError> {
        if let Some(n) = requested_name(flag) {
            return Ok(n);
        }
        Ok(self.active_learner()?.unwrap_or_else(default_name))
    }

    pub fn learners(&self) -> Result<Vec<LearnerInfo>, StoreError> {
        let active = self.active_learner()?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT l.name, l.created_at,
                        (SELECT COUNT(*) FROM attempt a WHERE a.learner_id = l.id),
                        (SELECT MAX(at) FROM attempt a WHERE a.learner_id = l.id)
                 FROM learner l ORDER BY l.name",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                let name: String = r.get(0)?;
                Ok(LearnerInfo {
                    active: active.as_deref() == Some(name.as_str()),
                    name,
                    created_at: r.get(1)?,
                    attempts: r.get::<_, i64>(2)? as u64,
                    last_activity: r.get(3)?,
                })
            })
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(check_name("alice").is_ok());
        assert!(check_name("김민수").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name(" bob").is_err());
        assert!(check_name("a\nb").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
    }

    #[test]
    fn learners_are_created_once_and_the_active_one_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let a = s.ensure_learner("alice").unwrap();
        assert_eq!(s.ensure_learner("alice").unwrap(), a);
        let b = s.ensure_learner("bob").unwrap();
        assert_ne!(a.id, b.id);
        assert_eq!(s.active_learner().unwrap(), None);
        s.set_active_learner("bob").unwrap();
        assert_eq!(s.active_learner().unwrap().as_deref(), Some("bob"));
        assert_eq!(s.current_learner_name(Some("alice")).unwrap(), "alice");
        let list = s.learners().unwrap();
        assert_eq!(
            list.iter()
                .map(|l| (l.name.as_str(), l.active))
                .collect::<Vec<_>>(),
            [("alice", false), ("bob", true)]
        );
        let err = s.existing_learner("carol").unwrap_err().to_string();
        assert!(err.contains("carol") && err.contains("alice, bob"), "{err}");
    }
}
