//! `kubedojo validate-content [DIR]`: is this content pack sound?

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::checks::audit::audit;
use crate::content::{Content, ContentSource};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A content directory (lessons/ and exercises/); default: the built-in content.
    pub dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    let content = match a.dir {
        Some(d) => Content::new(ContentSource::Dir(d))?,
        None => g.content.clone(),
    };
    let problems = audit(&content);
    if a.json {
        print_json(&serde_json::json!({ "valid": problems.is_empty(), "problems": problems }));
    } else if problems.is_empty() {
        println!(
            "{} lessons, exercises and examples are sound",
            paint(g.color, "32", "valid:")
        );
    } else {
        for p in &problems {
            match p.line {
                Some(l) => println!("{}:{l}: {}", p.file, p.message),
                None => println!("{}: {}", p.file, p.message),
            }
        }
        println!(
            "{}",
            paint(
                g.color,
                "31",
                &format!("invalid: {} problems", problems.len())
            )
        );
    }
    Ok(if problems.is_empty() {
        Exit::Pass
    } else {
        Exit::Fail
    })
}
