//! `kubedojo check EXERCISE --live`: grade the cluster's current state
//! with the same checkers, then show the live probes, and the engine's
//! prediction beside the cluster's answer where they disagree. The
//! attempt is recorded in progress with source `live`.

use super::Global;
use super::check::{Args, print_report, report_attempt, verdict_exit};
use super::output::{Exit, Failure, paint, print_json};
use crate::content::{Exercise, ExerciseKind};
use crate::live::grade::LiveReport;
use crate::live::probe::{KubeProber, Observed};
use crate::live::{Session, Target, grade_live};
use crate::progress::Source;

pub fn run(g: &Global, ex: &Exercise, a: &Args) -> Result<Exit, Failure> {
    if ex.kind == ExerciseKind::Yaml {
        return Err(Failure::usage(format!(
            "{} is graded from your files, not from a cluster: run `kubedojo check {}` without --live",
            ex.id, ex.id
        )));
    }
    if !a.files.is_empty() {
        return Err(Failure::usage(format!(
            "with --live kubedojo grades the cluster, not files: apply them with `kubectl --context {} apply -f FILE`, then run `kubedojo check {} --live`",
            a.context, ex.id
        )));
    }
    let target = Target {
        context: a.context.clone(),
        allow_remote: a.allow_remote,
    };
    let session = Session::connect(&target)?;
    let mut prober = KubeProber::new(&session, session.config.clone(), &ex.id);
    let report = grade_live(&session, &g.content, ex, g.lang, &mut prober)?;
    prober.cleanup();
    if a.json {
        print_json(&report);
    } else {
        print_report(g, ex.title.get(g.lang), &report.report);
        print_live(g, &report);
    }
    // Recorded like an offline check, once the cluster has been graded; a
    // cluster that cannot be reached is no attempt.
    super::progress::record_check(g, report_attempt(ex, &report.report, Source::Live));
    Ok(verdict_exit(&report.report))
}

fn print_live(g: &Global, r: &LiveReport) {
    println!(
        "live: context {} as {}, {} objects of {} kinds",
        r.live.context,
        r.live.user,
        r.live.objects,
        r.live.kinds.len()
    );
    for p in &r.live.probes {
        let observed = match p.observed {
            Observed::Yes => "yes",
            Observed::No => "no",
            Observed::Inconclusive => "inconclusive",
        };
        let predicted = match p.predicted {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        };
        let mark = match p.agree {
            Some(true) => paint(g.color, "32", "="),
            Some(false) => paint(g.color, "33", "≠"),
            None => paint(g.color, "2", "?"),
        };
        println!("  {mark} {}: {}", p.question, p.detail);
        if p.agree == Some(false) {
            println!(
                "      {} the engine predicts {predicted} from the objects; the cluster says {observed}",
                paint(g.color, "33", "disagree:")
            );
        }
    }
}
