//! Opening the progress database safely: the data directory, a refusal to
//! touch anything that is not a kubedojo database, the SQLite settings that
//! make writes durable and concurrent writers safe, and migrations.
//!
//! Settings (see the research note on SQLite reliability): WAL, so readers
//! and one writer never block each other; `synchronous=FULL`, so every
//! acknowledged commit survives a crash; an explicit busy timeout; and
//! IMMEDIATE transactions, because a deferred transaction that reads and
//! then writes fails at once with SQLITE_BUSY when another process wrote.

use super::error::{StoreError, dir_not_writable, io_reason};
use super::migrations::{LATEST, MIGRATIONS};
use super::paths::Paths;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a writer waits for another one before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The first 16 bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// An open progress database.
pub struct Store {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
    /// Things the learner should know but that do not stop us (for
    /// example WAL being unavailable on a network file system).
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Open the database, creating the data directory and the database if
    /// needed. For commands that write.
    pub fn open(paths: &Paths) -> Result<Store, StoreError> {
        ensure_dir(&paths.data_dir)?;
        Store::open_file(&paths.db())
    }

    /// Open the database only if it exists (`Ok(None)` otherwise): for
    /// commands that only read, so looking never creates files.
    pub fn open_existing(paths: &Paths) -> Result<Option<Store>, StoreError> {
        match std::fs::metadata(&paths.data_dir) {
            Ok(m) if !m.is_dir() => {
                return Err(StoreError::NotADir {
                    path: paths.data_dir.clone(),
                });
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(StoreError::Io {
                    path: paths.data_dir.clone(),
                    source: e,
                });
            }
        }
        if !paths.db().exists() {
            return Ok(None);
        }
        Store::open_file(&paths.db()).map(Some)
    }

    /// Open (or create) the database file at `db`.
    pub fn open_file(db: &Path) -> Result<Store, StoreError> {
        refuse_foreign_file(db)?;
        let sql = |e| StoreError::from_sqlite(db, e);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(db, flags).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        // Read the schema version before writing anything: a database from
        // a newer kubedojo must stay exactly as it is.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        if version < 0 || version as usize > LATEST {
            return Err(StoreError::TooNew {
                path: db.to_path_buf(),
                found: version.max(0) as usize,
                known: LATEST,
            });
        }
        let mut warnings = Vec::new();
        let mode = retry_busy(db, || {
            conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0))
        })?;
        if !mode.eq_ignore_ascii_case("wal") {
            warnings.push(format!(
                "{}: write-ahead logging is not available here (journal mode {mode}); progress is still saved safely, but two kubedojo windows may wait for each other",
                db.display()
            ));
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sql)?;
        migrate(db, &mut conn)?;
        Ok(Store {
            conn,
            path: db.to_path_buf(),
            warnings,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Map an SQLite error on this database to a learner-facing error.
    pub(super) fn err(&self, e: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.path, e)
    }

    /// `PRAGMA integrity_check`: "ok", or SQLite's list of problems.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.err(e))?;
        let lines = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(lines.join("\n"))
    }

    /// `PRAGMA quick_check`: "ok", or the problems found. Reads every page,
    /// so it finds damage no query has touched yet.
    pub fn quick_check(&self) -> Result<String, StoreError> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA quick_check")
            .map_err(|e| self.err(e))?;
        let lines = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(lines.join("\n"))
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<usize, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .map(|v| v.max(0) as usize)
            .map_err(|e| self.err(e))
    }
}

fn ensure_dir(dir: &Path) -> Result<(), StoreError> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(StoreError::NotADir {
            path: dir.to_path_buf(),
        }),
        Err(_) => std::fs::create_dir_all(dir).map_err(|e| StoreError::CreateDir {
            path: dir.to_path_buf(),
            reason: io_reason(&e),
        }),
    }
}

/// Refuse a file that exists, is not empty and is not SQLite, before
/// SQLite sees it. (An empty file is what SQLite itself calls a new
/// database, so there is nothing to lose.)
fn refuse_foreign_file(db: &Path) -> Result<(), StoreError> {
    let mut f = match std::fs::File::open(db) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(StoreError::ReadOnly {
                path: db.to_path_buf(),
                reason: io_reason(&e),
            });
        }
        Err(e) => {
            return Err(StoreError::Io {
                path: db.to_path_buf(),
                source: e,
            });
        }
    };
    let meta = f.metadata().map_err(|e| StoreError::Io {
        path: db.to_path_buf(),
        source: e,
    })?;
    if meta.is_dir() {
        return Err(StoreError::NotADatabase {
            path: db.to_path_buf(),
        });
    }
    if meta.len() == 0 {
        return Ok(());
    }
    let mut head = [0u8; 16];
    let n = read_up_to(&mut f, &mut head).map_err(|e| StoreError::Io {
        path: db.to_path_buf(),
        source: e,
    })?;
    if n < head.len() || &head != SQLITE_MAGIC {
        return Err(StoreError::NotADatabase {
            path: db.to_path_buf(),
        });
    }
    Ok(())
}

fn read_up_to(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Run `op`, retrying while another connection holds a lock SQLite's busy
/// handler does not wait for (switching to WAL needs an exclusive lock).
fn retry_busy<T>(db: &Path, mut op: impl FnMut() -> rusqlite::Result<T>) -> Result<T, StoreError> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        match op() {
            Ok(v) => return Ok(v),
            Err(e) if is_busy(&e) && start.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => return Err(StoreError::from_sqlite(db, e)),
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Bring the schema up to date. Two processes opening a brand-new database
/// at once both read version 0 before either takes the write lock; the
/// loser's migration then fails ("table already exists") or finds the
/// database busy. Retrying re-reads the version and finds the work done.
fn migrate(db: &Path, conn: &mut Connection) -> Result<(), StoreError> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        let err = match MIGRATIONS.to_latest(conn) {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        if let rusqlite_migration::Error::MigrationDefinition(
            rusqlite_migration::MigrationDefinitionError::DatabaseTooFarAhead,
        ) = err
        {
            let found = conn
                .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
                .unwrap_or(0);
            return Err(StoreError::TooNew {
                path: db.to_path_buf(),
                found: found.max(0) as usize,
                known: LATEST,
            });
        }
        let message = err.to_string();
        let sqlite = match err {
            rusqlite_migration::Error::RusqliteError { err, .. } => Some(err),
            _ => None,
        };
        let settled_by_another = sqlite.as_ref().is_some_and(|e| {
            is_busy(e)
                || e.to_string().contains("already exists")
                || e.sqlite_error_code() == Some(ErrorCode::SchemaChanged)
        });
        if settled_by_another && start.elapsed() < BUSY_TIMEOUT {
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
            continue;
        }
        return Err(match sqlite {
            Some(e) => StoreError::from_sqlite(db, e),
            None => StoreError::Invalid(format!(
                "progress database {}: cannot update its schema: {message}",
                db.display()
            )),
        });
    }
}

/// Move the database (and its WAL files, which belong to it) aside as
/// `progress.db.<label>-<time>`. Nothing is deleted. Returns the new path,
/// or `None` when there was no database.
pub fn move_aside(db: &Path, label: &str) -> Result<Option<PathBuf>, StoreError> {
    if std::fs::symlink_metadata(db).is_err() {
        return Ok(None);
    }
    let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S").to_string();
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| super::paths::DB_FILE.to_string());
    let mut target = db.with_file_name(format!("{name}.{label}-{stamp}"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = db.with_file_name(format!("{name}.{label}-{stamp}-{n}"));
    }
    let io = |path: &Path, e: std::io::Error| StoreError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    // Fold the WAL into the database first when SQLite can, so the moved
    // file is whole by itself; then move the WAL files with it anyway
    // (they belong to it), and the database last.
    checkpoint_best_effort(db);
    for suffix in ["-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", db.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}{suffix}", target.display()));
            std::fs::rename(&from, &to).map_err(|e| io(&from, e))?;
        }
    }
    std::fs::rename(db, &target).map_err(|e| io(db, e))?;
    Ok(Some(target))
}

/// Checkpoint and truncate the WAL of `db` if it opens as SQLite at all;
/// errors are ignored (a damaged file is moved as it is).
fn checkpoint_best_effort(db: &Path) {
    if refuse_foreign_file(db).is_err() {
        return;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if let Ok(conn) = Connection::open_with_flags(db, flags) {
        let _ = conn.busy_timeout(BUSY_TIMEOUT);
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
}

/// Why the data directory cannot take writes, if it cannot (for `paths`).
pub fn writable_problem(dir: &Path) -> Option<String> {
    if !dir.exists() {
        return None;
    }
    dir_not_writable(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_durable_and_patient() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open_file(&dir.path().join("p.db")).unwrap();
        let pragma = |name: &str| -> String {
            s.conn
                .query_row(&format!("PRAGMA {name}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .unwrap()
        };
        assert_eq!(pragma("journal_mode"), "wal");
        assert_eq!(pragma("synchronous"), "2", "FULL");
        assert_eq!(pragma("busy_timeout"), "5000");
        assert_eq!(pragma("foreign_keys"), "1");
        assert!(s.warnings.is_empty());
        // Write transactions take the write lock at BEGIN (IMMEDIATE): a
        // second connection cannot start one while the first is open.
        let mut a = Connection::open(dir.path().join("p.db")).unwrap();
        a.set_transaction_behavior(TransactionBehavior::Immediate);
        let b = Connection::open(dir.path().join("p.db")).unwrap();
        b.busy_timeout(Duration::from_millis(10)).unwrap();
        let _tx = a.transaction().unwrap();
        let err = b.execute_batch("BEGIN IMMEDIATE").unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::DatabaseBusy));
    }

    #[test]
    fn an_empty_file_becomes_a_database_and_a_foreign_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, b"").unwrap();
        assert!(Store::open_file(&empty).is_ok());
        let short = dir.path().join("short.db");
        std::fs::write(&short, b"SQLite").unwrap();
        assert!(matches!(
            Store::open_file(&short),
            Err(StoreError::NotADatabase { .. })
        ));
        assert_eq!(std::fs::read(&short).unwrap(), b"SQLite");
        let a_dir = dir.path().join("dir.db");
        std::fs::create_dir(&a_dir).unwrap();
        assert!(matches!(
            Store::open_file(&a_dir),
            Err(StoreError::NotADatabase { .. })
        ));
    }

    #[test]
    fn move_aside_keeps_the_database_whole() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("progress.db");
        {
            let mut s = Store::open_file(&db).unwrap();
            let l = s.ensure_learner("me").unwrap();
            s.mark_lesson_read(&l, "rbac", 5).unwrap();
            // Keep it open: the WAL holds the commit when we move it.
            let moved = move_aside(&db, "old").unwrap().unwrap();
            assert!(!db.exists());
            let name = moved.file_name().unwrap().to_string_lossy().into_owned();
            assert!(name.starts_with("progress.db.old-"), "{name}");
            let conn = Connection::open(&moved).unwrap();
            let n: i64 = conn
                .query_row("SELECT COUNT(*) FROM lesson_read", [], |r| r.get(0))
                .unwrap();
            assert_eq!(n, 1);
        }
        assert_eq!(move_aside(&db, "old").unwrap(), None);
    }
}
