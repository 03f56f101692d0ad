//! `kubedojo lessons` and `kubedojo exercises`.

use super::Global;
use super::output::{Exit, Failure, print_json};
use serde::Serialize;

#[derive(clap::Args, Debug)]
pub struct LessonsArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct ExercisesArgs {
    /// Only this topic (tls, authn, rbac, tenancy, quota, scheduling, netpol, podsec, admission).
    #[arg(long)]
    pub topic: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct LessonRow<'a> {
    id: &'a str,
    topic: &'a str,
    title: &'a str,
    order: u32,
    exam: &'a str,
    minutes: u32,
}

#[derive(Serialize)]
struct ExerciseRow<'a> {
    id: &'a str,
    topic: &'a str,
    title: &'a str,
    kind: crate::content::ExerciseKind,
    exam: &'a str,
}

pub fn lessons(g: &Global, a: LessonsArgs) -> Result<Exit, Failure> {
    let lessons = g.content.lessons(g.lang)?;
    let rows: Vec<LessonRow> = lessons
        .iter()
        .map(|l| LessonRow {
            id: &l.meta.id,
            topic: &l.meta.topic,
            title: &l.meta.title,
            order: l.meta.order,
            exam: l.meta.exam.as_str(),
            minutes: l.meta.minutes,
        })
        .collect();
    if a.json {
        print_json(&rows);
    } else {
        for r in &rows {
            println!(
                "{:>2}  {:<22} {:<5} {:>3} min  {}",
                r.order, r.id, r.exam, r.minutes, r.title
            );
        }
    }
    Ok(Exit::Pass)
}

pub fn exercises(g: &Global, a: ExercisesArgs) -> Result<Exit, Failure> {
    let all = g.content.exercises()?;
    let rows: Vec<ExerciseRow> = all
        .iter()
        .filter(|e| a.topic.as_deref().is_none_or(|t| e.topic == t))
        .map(|e| ExerciseRow {
            id: &e.id,
            topic: &e.topic,
            title: e.title.get(g.lang),
            kind: e.kind,
            exam: e.exam.as_str(),
        })
        .collect();
    if a.json {
        print_json(&rows);
    } else {
        for r in &rows {
            println!("{:<28} {:<10} {:<5} {}", r.id, r.topic, r.exam, r.title);
        }
    }
    Ok(Exit::Pass)
}
