//! Watching the workspace files. The parent directory is watched, not the
//! files: editors that save by writing a new file and renaming it over the
//! old one (vim does) end a watch on the file itself after the first save.
//! Events are filtered to the files' names; reads (ours, when grading) are
//! ignored, or every grade would trigger the next. Debouncing is the event
//! loop's job.

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

pub struct Watcher {
    _inner: RecommendedWatcher,
}

/// Whether an event kind can mean "the file's content changed".
pub fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

/// Watch `files`; each change to one of them sends its path on `tx`.
pub fn watch(files: &[PathBuf], tx: Sender<PathBuf>) -> Result<Watcher, String> {
    let wanted: Vec<PathBuf> = files.to_vec();
    let handler = move |res: notify::Result<notify::Event>| {
        let Ok(ev) = res else { return };
        if !is_change(&ev.kind) {
            return;
        }
        for p in &ev.paths {
            if let Some(f) = wanted.iter().find(|f| same_file(f, p)) {
                let _ = tx.send(f.clone());
            }
        }
    };
    let mut inner = notify::recommended_watcher(handler).map_err(|e| e.to_string())?;
    let mut dirs: Vec<&Path> = files.iter().filter_map(|f| f.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        inner
            .watch(d, RecursiveMode::NonRecursive)
            .map_err(|e| format!("{}: {e}", d.display()))?;
    }
    Ok(Watcher { _inner: inner })
}

/// Same directory entry: the watcher may report the path through another
/// spelling of the directory (a symlink, `..`), so the name decides when
/// the parents agree once resolved.
fn same_file(want: &Path, got: &Path) -> bool {
    if want == got {
        return true;
    }
    if want.file_name() != got.file_name() {
        return false;
    }
    match (want.parent(), got.parent()) {
        (Some(a), Some(b)) => match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_rename_over_the_file_is_seen_every_time() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ns.yaml");
        std::fs::write(&file, "a").unwrap();
        let (tx, rx) = mpsc::channel();
        let _w = watch(std::slice::from_ref(&file), tx).unwrap();
        for round in 0..3 {
            // vim-style: write a temporary file, rename it over the original.
            let tmp = dir.path().join(format!(".ns.yaml.{round}.swp"));
            std::fs::write(&tmp, format!("round {round}")).unwrap();
            std::fs::rename(&tmp, &file).unwrap();
            let got = rx.recv_timeout(Duration::from_secs(5)).unwrap();
            assert_eq!(got, file, "round {round}");
            while rx.recv_timeout(Duration::from_millis(100)).is_ok() {}
        }
        // Other files in the directory, and reading ours, say nothing.
        std::fs::write(dir.path().join("other.yaml"), "x").unwrap();
        let _ = std::fs::read(&file).unwrap();
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
    }
}
