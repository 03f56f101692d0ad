//! `kubedojo podsec -f FILE... [--level L] [--json]`: would the
//! PodSecurity admission controller of Kubernetes 1.36 let these pods in?
//! Objects are judged as written: the API server's validation is not run
//! first, as the admission plugin sees objects validation may still reject.

use super::Global;
use super::output::{Exit, Failure, paint, print_json};
use crate::engines::podsec::admission::Outcome;
use crate::engines::podsec::api::LabelError;
use crate::engines::podsec::{Level, ObjectReview, Violation, review_model};
use crate::model::load::read_file;
use crate::model::yaml::Limits;
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum LevelArg {
    Privileged,
    Baseline,
    Restricted,
}

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Level {
        match l {
            LevelArg::Privileged => Level::Privileged,
            LevelArg::Baseline => Level::Baseline,
            LevelArg::Restricted => Level::Restricted,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files with Pods, workloads and Namespaces (many documents and `kind: List` allowed).
    #[arg(short = 'f', long = "filename", required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Judge every object at this level instead of its namespace's enforce label.
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct JsonResult<'a> {
    object: String,
    level: Level,
    version: String,
    policy: String,
    allowed: bool,
    violations: &'a [Violation],
    outcome: Outcome,
    denied: Option<&'a str>,
    warnings: &'a [String],
    audit: Option<&'a str>,
    label_errors: Vec<String>,
    file: Option<String>,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    results: Vec<JsonResult<'a>>,
}

pub fn run(g: &Global, a: Args) -> Result<Exit, Failure> {
    let limits = Limits::default();
    let inputs = a
        .files
        .iter()
        .map(|f| read_file(f, &limits))
        .collect::<Result<Vec<_>, _>>()?;
    let loaded = crate::validate::load_as_written(&inputs)?;
    if let Some(p) = loaded.fatal.first() {
        let more = match loaded.fatal.len() {
            1 => String::new(),
            n => format!(" (and {} more problems)", n - 1),
        };
        let hint = p
            .hint
            .as_deref()
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        return Err(Failure::usage(format!(
            "{}:{}:{}: {}{hint}{more}",
            p.file, p.line, p.column, p.message
        )));
    }
    for n in &loaded.notes {
        eprintln!("note: {}:{}:{}: {}", n.file, n.line, n.column, n.message);
    }
    let reviews = review_model(&loaded.model, a.level.map(Level::from));
    if reviews.is_empty() {
        eprintln!("note: no Pods or pod templates in the files; nothing to judge");
    }
    let all_allowed = reviews.iter().all(|r| r.admission.allowed);
    if a.json {
        let results = reviews.iter().map(json_result).collect();
        print_json(&JsonOut { results });
    } else {
        for r in &reviews {
            print_review(g, r);
        }
        if !reviews.is_empty() {
            let ok = reviews.iter().filter(|r| r.admission.allowed).count();
            println!(
                "{ok} of {} object{} allowed",
                reviews.len(),
                if reviews.len() == 1 { "" } else { "s" }
            );
        }
    }
    Ok(if all_allowed { Exit::Pass } else { Exit::Fail })
}

fn json_result<'a>(r: &'a ObjectReview) -> JsonResult<'a> {
    let adm = &r.admission;
    JsonResult {
        object: r.id().to_string(),
        level: adm.enforce.level,
        version: adm.enforce.version.to_string(),
        policy: adm.enforce.to_string(),
        allowed: adm.allowed,
        violations: &adm.violations,
        outcome: adm.outcome,
        denied: adm.denied.as_deref(),
        warnings: &adm.warnings,
        audit: adm.audit.as_deref(),
        label_errors: adm.label_errors.iter().map(LabelError::to_string).collect(),
        file: r.object.origin.as_ref().map(|o| o.file.to_string()),
    }
}

fn print_review(g: &Global, r: &ObjectReview) {
    let adm = &r.admission;
    let id = paint(g.color, "1", &r.id().to_string());
    let verdict = match (adm.outcome, adm.allowed) {
        (Outcome::Denied, _) => paint(g.color, "31", &format!("denied at {}", adm.enforce)),
        (_, true) => paint(g.color, "32", &format!("allowed at {}", adm.enforce)),
        (_, false) => paint(
            g.color,
            "31",
            &format!("admitted, but its pods would be denied at {}", adm.enforce),
        ),
    };
    let at = r
        .object
        .locate(&r.spec_path)
        .map(|l| format!(" ({}:{})", l.file, l.line))
        .unwrap_or_default();
    println!("{id}{at}: {verdict}");
    for e in &adm.label_errors {
        println!("  note: namespace label ignored: {e}");
    }
    if let Some(d) = &adm.denied {
        let file = r
            .object
            .origin
            .as_ref()
            .map(|o| o.file.to_string())
            .unwrap_or_default();
        println!("  Error from server (Forbidden): error when creating \"{file}\": {d}");
    }
    for w in &adm.warnings {
        println!("  {} {w}", paint(g.color, "33", "Warning:"));
    }
    if adm.denied.is_none() && !adm.allowed {
        println!(
            "  {}: {}",
            adm.enforce,
            crate::engines::podsec::forbidden_detail(&adm.violations)
        );
    }
    for v in &adm.violations {
        let detail = if v.detail.is_empty() {
            v.reason.clone()
        } else {
            v.detail.clone()
        };
        println!("    - {}: {detail}", v.check);
    }
}
