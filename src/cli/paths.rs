//! `kubedojo paths`: where kubedojo keeps its files, and who chose that.

use super::Global;
use super::output::{Exit, Failure, print_json};
use crate::content::ContentSource;
use crate::progress::Paths;
use crate::progress::store::writable_problem;
use serde::Serialize;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report {
    data_dir: String,
    /// `flag`, `env` or `platform`.
    data_dir_from: crate::progress::Origin,
    data_dir_exists: bool,
    /// Why the data directory cannot be written to, when it cannot.
    data_dir_problem: Option<String>,
    progress_db: String,
    progress_db_exists: bool,
    progress_db_bytes: Option<u64>,
    /// The app's exercise files, one directory per exercise.
    workspace: String,
    /// `built-in`, or the `--content` directory.
    content: String,
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    let paths = Paths::resolve(g.data_dir.as_deref())?;
    let db = paths.db();
    let db_bytes = std::fs::metadata(&db).ok().map(|m| m.len());
    let r = Report {
        data_dir: paths.data_dir.display().to_string(),
        data_dir_from: paths.origin,
        data_dir_exists: paths.data_dir.is_dir(),
        data_dir_problem: writable_problem(&paths.data_dir),
        progress_db: db.display().to_string(),
        progress_db_exists: db_bytes.is_some(),
        progress_db_bytes: db_bytes,
        workspace: paths.workspace().display().to_string(),
        content: match &g.content.source {
            ContentSource::Embedded => "built-in".into(),
            ContentSource::Dir(d) => d.display().to_string(),
        },
    };
    if a.json {
        print_json(&r);
        return Ok(Exit::Pass);
    }
    let origin = match paths.origin {
        crate::progress::Origin::Platform => {
            "platform default; move it with --data-dir DIR or KUBEDOJO_HOME=DIR".to_string()
        }
        o => format!("from {}", o.describe()),
    };
    println!("data      {}  ({origin})", r.data_dir);
    if !r.data_dir_exists {
        println!("          not created yet: it is made when progress is first saved");
    } else if let Some(p) = &r.data_dir_problem {
        println!("          cannot be written to: {p}");
    }
    let db_state = match r.progress_db_bytes {
        Some(n) => format!("{:.1} KiB", n as f64 / 1024.0),
        None => "not created yet".into(),
    };
    println!("progress  {}  ({db_state})", r.progress_db);
    println!("workspace {}", r.workspace);
    println!("content   {}", r.content);
    Ok(Exit::Pass)
}
